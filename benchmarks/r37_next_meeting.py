"""Round 37 (issue 10): "before our next meeting" resolved to the day the pair agreed on in the session ("Same time in
two weeks, on the eighth of December?", «Встречаемся через две недели, седьмого декабря») instead of the configured
interval — where does the rule fire?

Usage (repository root; about a minute, no models)::

    python benchmarks/r37_next_meeting.py --out benchmarks/results/r37_next_meeting.json

The closing part of every session (its last third, at least 10 and at most 40 utterances, as the stage reads it) of the MRDA and AMI
TRAIN meetings (fit, tune, held-out: no dev meeting), of the real transcripts nobody here wrote (the Zoom class, SBCSAE,
QMSum) and of the two scripted examples is read with a session date of 2026-11-24 (none of the real files has one
except the Zoom class); every sentence that :func:`sessionscope.analysis.extract.dates.agreed_next_meeting` takes for
an agreed next meeting is listed with its day, so a wrong reading shows. The examples' action items are scored
against their gold due dates before (the configured 7 days) and after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, DATA, ROOT, load_acts  # noqa: E402

DAY = dt.date(2026, 11, 24)


def _tail(texts: list[str]) -> list[str]:
    from sessionscope.analysis.extract.stage import AGREED_TAIL_MIN, AGREED_TAIL_UTTERANCES

    n = len(texts)
    return texts[n - min(AGREED_TAIL_UTTERANCES, max(AGREED_TAIL_MIN, n // 3)):] if n else []


def _fires(texts: list[str]) -> list[dict]:
    from sessionscope.analysis.extract.dates import agreed_next_meeting
    from sessionscope.language.nlp import split_sentences

    out = []
    for t in _tail(texts):
        for s, _, _ in split_sentences(t):
            day = agreed_next_meeting([s], DAY)
            if day is not None:
                out.append({"sentence": s, "day": day.isoformat()})
    return out


def _examples() -> dict:
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import ExtractionConfig
    from sessionscope.model import Participant, Role, Session, Utterance

    res = {}
    for gold_path in sorted((ROOT / "examples").glob("*/gold.json")):
        g = json.loads(gold_path.read_text(encoding="utf-8"))
        meta = g["session"]
        s = Session(id=meta["id"], language=meta.get("language"), date=dt.date.fromisoformat(meta["date"]),
                    participants=tuple(Participant(p["id"], p["name"], Role.parse(p.get("role")))
                                       for p in meta["participants"]),
                    utterances=tuple(Utterance(id=u["id"], speaker=u["speaker"], text=u["text"], start=u.get("start"),
                                               end=u.get("end")) for u in g["utterances"]))
        gold = {a["utterance_id"]: a.get("due_date") for a in g.get("action_items", [])}
        row = {"session_date": meta["date"], "fires": _fires([u.text for u in s.utterances])}
        import sessionscope.analysis.extract.stage as st

        for name, agreed in (("configured_interval", False), ("agreed", True)):
            saved = st.agreed_interval
            if not agreed:
                st.agreed_interval = lambda session, parsed, cfg: (cfg, None)  # noqa: E731 - the rule off
            try:
                items = ExtractionStage(ExtractionConfig())(s).action_items
            finally:
                st.agreed_interval = saved
            found = [a for a in items if a.utterance_id in gold]
            ok = sum((a.due_date.isoformat() if a.due_date else None) == gold[a.utterance_id] for a in found)
            row[name] = {"items_in_gold": len(found), "due_date_right": ok,
                         "due_date_accuracy": round(ok / len(found), 3) if found else None}
        res[meta["id"]] = row
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    from sessionscope.io import read_transcript

    res: dict = {"command": "python benchmarks/r37_next_meeting.py --out " + str(args.out), "session_date": DAY.isoformat(),
                 "split": "MRDA and AMI train meetings (fit, tune, held-out; no dev), real transcripts, examples"}
    for c in CORPORA:
        by: dict[str, list[str]] = {}
        for a in load_acts(c):
            if a.split in ("train", "heldout"):
                by.setdefault(a.meeting, []).append(a.text)
        fires = {m: f for m, texts in sorted(by.items()) if (f := _fires(texts))}
        res[c] = {"meetings": len(by), "meetings_with_a_reading": len(fires), "fires": fires}
    files = [DATA / "zoom-vtt-class-meeting" / "GMT20240124-202901_Recording.transcript.vtt",
             *sorted((DATA / "sbcsae-text-refs").glob("*.stm")), *sorted((DATA / "qmsum-topics-queries").glob("*.json"))]
    real = {f.name: _fires([u.text for u in read_transcript(f).utterances]) for f in files}
    res["real_transcripts"] = {"files": len(files), "files_with_a_reading": sum(1 for v in real.values() if v),
                               "fires": {k: v for k, v in real.items() if v}}
    res["examples"] = _examples()
    (ROOT / args.out if not args.out.is_absolute() else args.out).write_text(
        json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: ({kk: vv for kk, vv in v.items() if kk != "fires"} if isinstance(v, dict) else v)
                      for k, v in res.items()}, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

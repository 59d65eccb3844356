"""Round 46 (issue 10): Russian yes/no questions written without "?", told by their answer — and what a Russian
question a rule found carries as its confidence.

faster-whisper writes most Russian questions with "." (round 17), and a Russian yes/no question has no word that says
it is one («Ты успел отправить опрос.» — «Ещё нет.»): round 17's rules find the ones with an interrogative word or
«ли», not these. ``questions.ru_yes_no_by_reply`` reads the answer: the other person's next sentence opens yes or no
(or says again a word of the question: «Удобно.»), and the sentence asks about the listener or how something went; not
advice, a request or the speaker's own statement. A Russian question a rule finds in punctuated text (no "?") carried
the English-trained head's probability of the sentence (a few per cent: the head reads "?"), so it was listed "to
check"; it now carries none (method ``rule``).

Data: the bundled Russian example's reference transcript and its gold questions (written for the example — a sanity
check, not a measure of real talk; no real Russian dialogue with labelled questions is at hand), as written, with
every "?" written "." (as faster-whisper gives it), and bare (punctuation and capitals removed); the written RU dev
rows through round 17's script (``ru_questions_r17_ruq.py``: single sentences in one stream, a check that the rule adds
no false question where the next row happens to open with «да»).

Usage (repository root; the before run from a worktree of the round's base commit)::

    PYTHONPATH=<scratch dir>/before/src python benchmarks/r46_ru_yesno.py --out <scratch dir>/before.json
    python benchmarks/r46_ru_yesno.py --out benchmarks/results/r46_ru_yesno.json \\
        --before <scratch dir>/before.json

A question counts on its utterance (gold: the example's gold question utterances).

``--sessions BEFORE AFTER`` compares the questions of two ``session.json`` files of ``sessionscope run`` on the same
recording (the bundled Russian example's audio, recognised by faster-whisper ``base``; before from the base commit's
code): each question's confidence and "to check" mark::

    PYTHONPATH=<scratch dir>/before/src sessionscope run examples/ru_session/recording.ogg \
        --manifest <a manifest of that one session> --out <scratch dir>/before
    sessionscope run examples/ru_session/recording.ogg --manifest <the same> --out <scratch dir>/after
    python benchmarks/r46_ru_yesno.py --sessions <scratch dir>/before/ru_session/session.json \
        <scratch dir>/after/ru_session/session.json --out benchmarks/results/r46_ru_example_run.json
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "ru_session"


def _variants(text: str) -> dict[str, str]:
    return {"written": text, "whisper_marks": text.replace("?", "."),
            "bare": " ".join(re.sub(r"[^\w\s'-]", " ", text).casefold().split())}


def read() -> dict:
    import dataclasses

    import sessionscope
    from sessionscope import api
    from sessionscope.analysis.questions import find_questions
    from sessionscope.config import DynamicsConfig

    session = api.read_transcript(str(EXAMPLE / "reference.stm"))
    gold = json.loads((EXAMPLE / "gold.json").read_text(encoding="utf-8"))
    ids = [u.id for u in session.utterances]
    gold_ids = {q["utterance_id"] for q in gold["questions"]}
    dyn = DynamicsConfig()
    out: dict = {"sessionscope": str(Path(sessionscope.__file__).resolve()), "gold_questions": len(gold_ids),
                 "utterances": len(ids), "variants": {}}
    for name in ("written", "whisper_marks", "bare"):
        utts = [dataclasses.replace(u, text=_variants(u.text)[name]) for u in session.utterances]
        events = find_questions(utts, language="ru", backchannels=dyn.backchannels)
        found = {e.utterance_id: e for e in events}
        tp = len(set(found) & gold_ids)
        p = tp / len(found) if found else 0.0
        r = tp / len(gold_ids)
        out["variants"][name] = {
            "found": len(found), "tp": tp, "fp": len(set(found) - gold_ids), "fn": len(gold_ids - set(found)),
            "p": round(p, 3), "r": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "to_check": sum(1 for e in events if e.confidence is not None and e.confidence < 0.5),
            "no_confidence": sum(1 for e in events if e.confidence is None),
            "missed": [u.text for u in utts if u.id in gold_ids - set(found)],
            "false": [u.text for u in utts if u.id in set(found) - gold_ids],
        }
    return out


def sessions(before: Path, after: Path) -> dict:
    def questions(path: Path) -> dict:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {q["utterance_id"]: q for q in data["questions"]}

    b, a = questions(before), questions(after)
    rows = [{"utterance_id": k, "text": (a.get(k) or b[k])["text"],
             "before": None if k not in b else {"confidence": b[k]["confidence"], "to_check": b[k]["to_check"]},
             "after": None if k not in a else {"confidence": a[k]["confidence"], "to_check": a[k]["to_check"]}}
            for k in sorted(set(a) | set(b))]
    return {"before_questions": len(b), "after_questions": len(a),
            "before_to_check": sum(q["to_check"] for q in b.values()),
            "after_to_check": sum(q["to_check"] for q in a.values()), "rows": rows}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--before", type=Path, help="a read of the base commit, kept beside this one")
    ap.add_argument("--sessions", type=Path, nargs=2, metavar=("BEFORE", "AFTER"),
                    help="compare the questions of two session.json files instead")
    args = ap.parse_args()
    if args.sessions is not None:
        res = sessions(*args.sessions)
        res["command"] = "python benchmarks/r46_ru_yesno.py --sessions <before>/session.json <after>/session.json " \
                         f"--out {args.out}"
        print({k: v for k, v in res.items() if k != "rows"})
        args.out.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
        return
    res = read()
    res["command"] = "python benchmarks/r46_ru_yesno.py --out " + str(args.out) + (
        f" --before {args.before}" if args.before else "")
    res["commit"] = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    if args.before is not None:
        res["before"] = json.loads(args.before.read_text(encoding="utf-8"))
    for name, v in res["variants"].items():
        was = res.get("before", {}).get("variants", {}).get(name)
        print(name, {k: v[k] for k in ("found", "tp", "fp", "fn", "p", "r", "f1", "to_check", "no_confidence")},
              "before:", None if was is None else {k: was[k] for k in ("tp", "fp", "f1", "to_check")})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(args.out)


if __name__ == "__main__":
    sys.exit(main())

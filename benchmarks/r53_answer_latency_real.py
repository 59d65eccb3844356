"""Round 53: which questions of real timed talk the shorter answer latency (10 → 6 s) leaves open, with the reply the
old window credited, for reading.

    nice -n 10 python benchmarks/r53_answer_latency_real.py --out benchmarks/results/r53_answer_latency_real.json

The sources of ``r53_pre_questions.py`` (QMSum's meetings carry no times, so no window applies there; SBCSAE's three
conversations, the Zoom class meeting and the examples are timed), each through ``find_questions`` with the shipped
configuration at ``--before`` and at the shipped latency; every question whose answer differs is listed with the
reply, the gap and the asker's words in between.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from r52_task_phrases import ROOT, sources  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", type=float, default=10.0, help="the latency compared with (s)")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    from sessionscope import api
    from sessionscope.analysis.questions import find_questions
    from sessionscope.config import DynamicsConfig

    cfg = DynamicsConfig()
    rows, total, changed = [], 0, 0
    for path in [*sources(), ROOT / "examples" / "ru_session" / "reference.stm"]:
        s = api.analyze(path)
        utts = list(s.utterances)
        at = {u.id: i for i, u in enumerate(utts)}
        kw = {"language": s.language, "backchannels": cfg.backchannels, "backchannel_max_words": cfg.backchannel_max_words,
              "answer_max_utterances": cfg.answer_max_utterances}
        now = find_questions(utts, answer_max_latency_s=cfg.answer_max_latency_s, **kw)
        old = {e.utterance_id: e for e in find_questions(utts, answer_max_latency_s=args.before, **kw)}
        diff = []
        for e in now:
            b = old[e.utterance_id]
            if b.answered == e.answered:
                continue
            i, j = at[e.utterance_id], at[(b if b.answered else e).answer_utterance_id]
            diff.append({"asker": e.asker, "question": utts[i].text, "answered_before": b.answered, "answered_now": e.answered,
                         "reply": utts[j].text, "replier": utts[j].speaker,
                         "gap_s": round(utts[j].start - utts[i].end, 2) if utts[j].start is not None and utts[i].end is not None else None,
                         "between": [f"{u.speaker}: {u.text}" for u in utts[i + 1:j]]})
        total += len(now)
        changed += len(diff)
        rows.append({"source": str(path.resolve().relative_to(ROOT.parent)), "questions": len(now),
                     "answered_before": sum(e.answered for e in old.values()), "answered_now": sum(e.answered for e in now),
                     "changed": diff})
        print(path.name, len(now), "questions,", len(diff), "changed", flush=True)
    out = {"command": "python benchmarks/r53_answer_latency_real.py " + " ".join(argv if argv is not None else sys.argv[1:]),
           "commit": commit(), "date": dt.date.today().isoformat(), "latency_before_s": args.before,
           "latency_now_s": cfg.answer_max_latency_s, "questions": total, "changed": changed, "sources": rows}
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Round 26 (audit): does an affirmation ("Mhm.", "Right.", "Uh-huh.") answering a yes/no question agree with the corpora?

Usage (repository root; about a minute on the shared 2-core box)::

    nice -n 10 .venv/bin/python benchmarks/r26_affirm_heldout.py --json benchmarks/results/r26_affirm_heldout.json

The round-26 audit of a pair's report on SBC009 let the answer rule (which decides in two-person, Russian and
untimed sessions) count an affirmation as the answer to a yes/no question, chosen on that conversation. This is the
independent check: on the **held-out train** meetings of MRDA and AMI (never the dev split), the questions the
shipped question head finds among the gold question acts, the rule's answered decision without and with the
affirmations (``_rule_answer(..., affirmations=False/True)``), scored against "the corpus links a responder" as
``dialogue_acts_eval.py`` scores ``answered_vs_responder``; plus the questions that flip, and how many of those
flips the corpus links a responder to.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, meetings  # noqa: E402
from dialogue_acts_eval import answered_figures  # noqa: E402
from train_answer_head_r15_answered import utterances  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402


def rows_for(acts: list, dyn) -> list[dict]:  # noqa: ANN001
    from sessionscope.analysis.questions import _head_questions, _rule_answer, bundled_question_head, reply_window

    utts = utterances(acts)
    gold = {a.id: a for a in acts}
    bc = list(dyn.backchannels)
    found = _head_questions(utts, bundled_question_head(), "en")
    out = []
    for i, u in enumerate(utts):
        a = gold[u.id]
        qs = found[i][0]
        if not a.question or not qs:
            continue
        _, window = reply_window(utts, i, dyn.answer_max_utterances, dyn.answer_max_latency_s)
        before = _rule_answer(utts, window, qs, bc, dyn.backchannel_max_words, "en")
        after = _rule_answer(utts, window, qs, bc, dyn.backchannel_max_words, "en", affirmations=True)
        out.append({"id": u.id, "meeting": a.meeting, "gold": a.responder is not None, "before": before is not None,
                    "after": after is not None, "text": u.text,
                    "reply": utts[after].text if after is not None and after != before else None})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", type=Path, required=True)
    args = ap.parse_args()
    from sessionscope.config import DynamicsConfig

    dyn = DynamicsConfig()
    res: dict = {"command": " ".join(["benchmarks/r26_affirm_heldout.py", *sys.argv[1:]]), "commit": commit(),
                 "split": "heldout (train meetings held out from the heads' training)", "corpora": {}}
    for c in CORPORA:
        rows = [r for acts in meetings(c, "heldout").values() for r in rows_for(acts, dyn)]
        gold = [r["gold"] for r in rows]
        flips = [r for r in rows if r["after"] != r["before"]]
        res["corpora"][c] = {
            "questions": len(rows),
            "rule_before": answered_figures([r["before"] for r in rows], gold),
            "rule_after": answered_figures([r["after"] for r in rows], gold),
            "flipped_to_answered": sum(1 for r in flips if r["after"]),
            "flipped_with_gold_responder": sum(1 for r in flips if r["after"] and r["gold"]),
            "flip_examples": [{k: r[k] for k in ("meeting", "text", "reply", "gold")} for r in flips[:25]],
        }
        print(c, {k: v for k, v in res["corpora"][c].items() if k != "flip_examples"})
    args.json.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

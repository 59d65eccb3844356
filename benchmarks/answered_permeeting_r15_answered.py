"""How robust the answer head's gain is on the held-out train meetings: per meeting, and a bootstrap over questions.

Usage: ``python benchmarks/answered_permeeting_r15_answered.py`` (~30 s) → ``benchmarks/results/answered_permeeting_heldout_r15_answered.json``.
Same questions as ``dialogue_acts_eval.py --only questions --split heldout`` scores (gold questions the shipped
question head finds); "learned" = the shipped answer head, "rule" = the rule alone.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, ROOT, meetings  # noqa: E402
from train_answer_head_r15_answered import question_rows, question_scores  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402


def main() -> int:
    from sessionscope.analysis.questions import bundled_answer_head
    from sessionscope.config import DynamicsConfig

    dyn, head = DynamicsConfig(), bundled_answer_head()
    assert head is not None, "no answer head shipped"
    rng = np.random.default_rng(0)
    out: dict = {"command": "python benchmarks/answered_permeeting_r15_answered.py", "commit": commit(), "split": "heldout"}
    for c in CORPORA:
        per: dict = {}
        diffs = []
        for m, acts in meetings(c, "heldout").items():
            rows = question_rows(acts, dyn, detected=True)
            gold = np.array([r["gold"] for r in rows], dtype=bool)
            learned = question_scores(rows, head.weights, head.bias) >= head.threshold
            rule = np.array([r["rule"] for r in rows], dtype=bool)
            per[m] = {"n": len(rows), "learned": round(float((learned == gold).mean()), 3),
                      "rule": round(float((rule == gold).mean()), 3)}
            diffs += list((learned == gold).astype(float) - (rule == gold))
        d = np.array(diffs)
        boots = [d[rng.integers(0, len(d), len(d))].mean() for _ in range(2000)]
        out[c] = {"meetings": per, "meetings_learned_better": sum(v["learned"] > v["rule"] for v in per.values()),
                  "meetings_tied": sum(v["learned"] == v["rule"] for v in per.values()),
                  "agreement_gain": round(float(d.mean()), 4),
                  "agreement_gain_95ci_bootstrap": [round(float(x), 4) for x in np.percentile(boots, [2.5, 97.5])]}
        print(c, json.dumps({k: v for k, v in out[c].items() if k != "meetings"}), flush=True)
    path = ROOT / "benchmarks" / "results" / "answered_permeeting_heldout_r15_answered.json"
    path.write_text(json.dumps(out, indent=2) + "\n")
    print("wrote", path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

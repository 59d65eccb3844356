"""Round 25 (answer): one general change to the answer head, measured against the shipped head (not shipped unless
better on the held-out train meetings of both corpora).

Usage (from the repository root; ~1–2 min)::

    nice -n 10 .venv/bin/python benchmarks/r25_answer_variant.py --variant detected

``detected``: train on the questions as the head meets them when it runs — the gold questions of the train meetings
that the shipped question head finds, with the head's question sentences (``question_rows(..., detected=True)``) —
instead of every gold question act with the lexical rule's sentences. Everything else as
``train_answer_head_r15_answered.py``: the same features, logistic regression, C grid, one threshold for both corpora
chosen on the held-out train meetings by mean agreement. Compared per question with the shipped head (paired bootstrap
over meetings and questions, as ``r25_answer.py``). Never writes the head file. Writes
``benchmarks/results/r25_answer_variant_<variant>.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, ROOT, meetings  # noqa: E402
from dialogue_acts_eval import answered_figures  # noqa: E402
from r25_answer import _diff_stats  # noqa: E402
from train_answer_head_r15_answered import THRESHOLDS, fits, matrix, question_rows, question_scores  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

VARIANTS = ("detected",)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variant", choices=VARIANTS, required=True)
    args = ap.parse_args(argv)
    from sessionscope.analysis.questions import bundled_answer_head
    from sessionscope.config import DynamicsConfig

    shipped = bundled_answer_head()
    assert shipped is not None, "no answer head shipped"
    dyn = DynamicsConfig()
    t0 = time.time()
    train = [r for c in CORPORA for acts in meetings(c, "train").values()
             for r in question_rows(acts, dyn, detected=args.variant == "detected")]
    held = {c: [r for acts in meetings(c, "heldout").values() for r in question_rows(acts, dyn, detected=True)]
            for c in CORPORA}
    print(f"rows: train {len(train)}; {time.time() - t0:.0f}s", flush=True)
    x, y = matrix(train)
    gold = {c: np.array([r["gold"] for r in rows], dtype=bool) for c, rows in held.items()}
    best = None
    for C, _, _, scores in fits(x, y, held):
        for t in THRESHOLDS:
            mean = float(np.mean([((scores[c] >= t) == gold[c]).mean() for c in held]))
            if best is None or mean > best[0]:
                best = (mean, C, float(t), scores)
    assert best is not None
    mean, C, t, scores = best
    rng = np.random.default_rng(0)
    out: dict = {"command": f"nice -n 10 .venv/bin/python benchmarks/r25_answer_variant.py --variant {args.variant}",
                 "commit": commit(), "split": "train meetings to fit; held-out train meetings to choose and compare",
                 "variant": args.variant, "train_questions": len(train), "train_candidates": int(x.shape[0]),
                 "chosen": {"C": C, "threshold": t, "mean_agreement": round(mean, 4)},
                 "shipped": {"threshold": shipped.threshold, "C": shipped.meta.get("C")}}
    for c, rows in held.items():
        var = scores[c] >= t
        ship = question_scores(rows, shipped.weights, shipped.bias) >= shipped.threshold
        rule = np.array([r["rule"] for r in rows], dtype=bool)
        meet = np.array([r["meeting"] for r in rows])
        out[c] = {"questions": len(rows), "rule": answered_figures(list(rule), list(gold[c])),
                  "shipped_head": answered_figures(list(ship), list(gold[c])),
                  "variant_head": answered_figures(list(var), list(gold[c])),
                  "variant_minus_shipped": _diff_stats(meet, gold[c], var, ship, rng)}
        print(c, {k: (out[c][k]["agreement"], out[c][k]["f1"]) for k in ("rule", "shipped_head", "variant_head")},
              {k: out[c]["variant_minus_shipped"][k] for k in ("agreement_diff", "agreement_diff_95ci_meetings",
                                                                "f1_diff", "f1_diff_95ci_meetings")}, flush=True)
    out["seconds"] = round(time.time() - t0)
    path = ROOT / "benchmarks" / "results" / f"r25_answer_variant_{args.variant}.json"
    path.write_text(json.dumps(out, indent=2) + "\n")
    print("wrote", path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

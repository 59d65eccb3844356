"""Round 29 (issue 10): action items — the act tagger's logits in the shipped action stacker's own form (mlp+rules).

Usage (from the repository root; a few minutes once ``train_act_tagger.py`` has filled its caches)::

    nice -n 10 python benchmarks/r29_action_nolex.py --out benchmarks/results/r29_action_nolex.json

The OOF search of ``train_act_lexical.stack`` (held-out train meetings + written EN dev rows) with the inputs the
shipped action stacker uses (``mlp+rules``, no lexical logits), without and with the tagger's three logits, over 6
fold seeds (seed 0 = the shipped folds), and a 1,000-draw meeting bootstrap of the mean per-corpus F1 difference on the
shipped folds. The ship rule (progress notes, written before scoring): objective >= +0.02, no corpus F1 lower by more
than 0.01, written EN F1 not lower, bootstrap 2.5 % point > 0 and every fold seed > 0.
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
from train_act_tagger import tagger_logits  # noqa: E402
from train_dialogue_acts import KINDS, commit  # noqa: E402


def f1(p: np.ndarray, yy: np.ndarray) -> float:
    tp = float((p & (yy == 1)).sum())
    return 2 * tp / (2 * tp + float((p & (yy == 0)).sum()) + float((~p & (yy == 1)).sum())) if tp else 0.0


def main(argv: list[str] | None = None) -> int:
    from sessionscope.analysis.extract.tagger import load_act_tagger, save_tagger_file, segment_text

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    d = tal.data()
    tagger = load_act_tagger()
    hz_tag, _ = tagger_logits(tagger, d)
    rows, wfold = written_fold()
    wz_tag = np.zeros((len(rows), 3))
    for k in sorted(set(wfold.tolist())):
        fk = tat.tagger_change(tat.CKPT.with_name(f"ft6w_{k}.pt"), 64)
        tk = load_act_tagger(save_tagger_file(tal.CACHE / f"act_tagger_written_fold{k}.npz", *fk[:3], None, {}))
        wz_tag[wfold == k] = tk.logits([(segment_text(None, False), r.text) for r, f in zip(rows, wfold, strict=True) if f == k])
    k = KINDS.index("action")
    hx, wx = tal.columns(d["hz"], d["hev"], k, None, True), tal.columns(d["wz"], d["wev"], k, None, True)
    y, corpus, meet = d["hy"][:, k], d["hc"], d["hm"]
    res: dict = {"command": f"python benchmarks/r29_action_nolex.py --out {args.out}", "commit": commit(),
                 "date": dt.date.today().isoformat(), "fold_seeds": []}
    for seed in range(6):
        names = np.unique(meet)
        order = {m: i % tal.CV_FOLDS for i, m in enumerate(np.random.default_rng(seed).permutation(names))}
        fold = (np.array([order[m] for m in meet]), np.random.default_rng(seed + 1).permutation(d["n_written"]) % tal.CV_FOLDS)
        a = tal.stack(hx, y, corpus, wx, d["wy"][:, k], fold)
        b = tal.stack(np.concatenate([hx, hz_tag], 1), y, corpus, np.concatenate([wx, wz_tag], 1), d["wy"][:, k], fold)
        pa, pb = a["pm"] >= a["threshold"], b["pm"] >= b["threshold"]
        r = {"fold_seed": seed, "objective": [round(a["objective"], 4), round(b["objective"], 4)],
             "meetings_f1": {c: [round(f1(pa[corpus == c], y[corpus == c]), 3), round(f1(pb[corpus == c], y[corpus == c]), 3)]
                             for c in CORPORA},
             "written_f1": [a["written"]["f1"], b["written"]["f1"]]}
        res["fold_seeds"].append(r)
        print(r, flush=True)
        if seed == 0:
            rng = np.random.default_rng(0)
            diffs = []
            idx_by = {c: {m: np.flatnonzero((corpus == c) & (meet == m)) for m in np.unique(meet[corpus == c])} for c in CORPORA}
            for _ in range(1000):
                per = []
                for c in CORPORA:
                    ms = list(idx_by[c])
                    idx = np.concatenate([idx_by[c][m] for m in rng.choice(ms, len(ms))])
                    per.append(f1(pb[idx], y[idx]) - f1(pa[idx], y[idx]))
                diffs.append(float(np.mean(per)))
            res["bootstrap_shipped_folds"] = {"mean": round(float(np.mean(diffs)), 4),
                                              "p2.5": round(float(np.percentile(diffs, 2.5)), 4),
                                              "p97.5": round(float(np.percentile(diffs, 97.5)), 4)}
    s0 = res["fold_seeds"][0]
    res["rule_met"] = bool(s0["objective"][1] - s0["objective"][0] >= 0.02
                           and all(v[1] - v[0] >= -0.01 for v in s0["meetings_f1"].values())
                           and s0["written_f1"][1] >= s0["written_f1"][0] and res["bootstrap_shipped_folds"]["p2.5"] > 0
                           and all(r["objective"][1] > r["objective"][0] for r in res["fold_seeds"]))
    args.out.write_text(json.dumps(res, indent=1) + "\n")
    print(json.dumps({"bootstrap": res["bootstrap_shipped_folds"], "rule_met": res["rule_met"]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

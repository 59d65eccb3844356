"""Round 29 (issue 10): continue the act tagger's fine-tuning with the written EN dev rows (out-of-fold by design).

Round 28's tagger (``ft6``) learned only meeting acts; the shipped MLP and lexical heads also learned the written EN dev
rows (weight 5) and give the stackers their logits of those rows out-of-fold. This does the same for the tagger:
``--fold k`` continues ``ft6_final.pt`` on the written EN dev rows outside fold ``k`` of 3 (``--fold all``: every row,
the model that ships), each batch 8 written rows + 24 replayed ``fit`` meeting rows (as ``r28_ft_train.py`` builds
them: 30 % of the acts without a kind, as transcribed or bare with p = 0.5), 300 steps, lr 3e-5 (head 3e-4) with
linear decay, seed 0, 2 threads. Usage::

    nice -n 10 python benchmarks/r29_ft_written.py --fold 0   # 1, 2, all

Checkpoints: ``.cache/r28_ft/ft6w_<fold>.pt``, each run's log in ``benchmarks/results/r29_ft_written.json``;
fold k's model gives the logits of fold k's rows
(``train_act_tagger.py --written-folds``). The held-out and dev meetings are never read.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from r28_ft_data import KINDS, bare  # noqa: E402
from r28_ft_model import build, encode_pairs, tokenizer  # noqa: E402
from r28_ft_train import SEED, WORK, seeded, train_step, training_rows  # noqa: E402
from train_dialogue_acts import commit, written_rows  # noqa: E402

FOLDS = 3
STEPS = 300
WRITTEN_PER_BATCH = 8
MEETING_PER_BATCH = 24


def written_fold() -> tuple[list, np.ndarray]:
    """The written EN dev rows and the fold of each (fixed seed)."""
    rows = [r for r in written_rows() if r.lang == "en"]
    return rows, np.random.default_rng(SEED).permutation(len(rows)) % FOLDS


def continue_on_written(model, written: tuple, meeting: tuple, rng: np.random.Generator, steps: int, t0: float) -> list[float]:
    """``steps`` steps of 8 written rows (``(as transcribed, bare, targets)``, one of the two forms with p = 0.5) + 24
    meeting rows (``(rows, targets)``, ``training_rows``' pairs), lr 3e-5 (head 3e-4) with warm-up and linear decay."""
    import torch

    raw, bar, wy = written
    meet, my = meeting
    params = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("head.")]
    opt = torch.optim.AdamW([{"params": params, "lr": 3e-5}, {"params": model.head.parameters(), "lr": 3e-4}], weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / 15, max(0.05, (steps - s) / steps)))
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor([1.0, 1.0, 3.0]))
    model.train()
    losses: list[float] = []
    for step in range(steps):
        bw = rng.choice(len(raw), WRITTEN_PER_BATCH, replace=False)
        bm = rng.choice(len(meet), MEETING_PER_BATCH, replace=False)
        sw, sm = rng.random(len(bw)) < 0.5, rng.random(len(bm)) < 0.5
        batch = [bar[i] if s else raw[i] for i, s in zip(bw, sw, strict=True)] + \
                [meet[i][int(s)] for i, s in zip(bm, sm, strict=True)]
        losses.append(train_step(model, opt, sched, params, loss_fn, batch, np.concatenate([wy[bw], my[bm]])))
        if (step + 1) % 50 == 0:
            print(f"step {step + 1}/{steps} loss {np.mean(losses[-50:]):.4f} {(time.time() - t0) / 60:.1f} min", flush=True)
    return losses


def main(argv: list[str] | None = None) -> int:
    import torch

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fold", required=True, choices=[*map(str, range(FOLDS)), "all"])
    ap.add_argument("--steps", type=int, default=STEPS)
    args = ap.parse_args(argv)
    rng = seeded()
    t0 = time.time()
    meet, my, _ = training_rows(0.3, rng)
    tok = tokenizer()
    rows, fold = written_fold()
    keep = np.ones(len(rows), bool) if args.fold == "all" else fold != int(args.fold)
    wr = [r for r, k in zip(rows, keep, strict=True) if k]
    raw = encode_pairs(tok, [("start", r.text) for r in wr])
    bar = encode_pairs(tok, [("start", bare(r.text)) for r in wr])
    wy = np.array([[r.label == k for k in KINDS] for r in wr], dtype=np.float32)
    print(f"meeting rows {len(meet)}, written rows {len(wr)} ({time.time() - t0:.0f}s)", flush=True)
    model = build(6)
    model.load_state_dict(torch.load(WORK / "ft6_final.pt"), strict=False)
    losses = continue_on_written(model, (raw, bar, wy), (meet, my), rng, args.steps, t0)
    path = WORK / f"ft6w_{args.fold}.pt"
    torch.save(model.delta_state(), path)
    log = {"command": f"python benchmarks/r29_ft_written.py --fold {args.fold}", "commit": commit(), "seed": SEED,
           "start": "ft6_final.pt", "steps": args.steps, "written_rows": len(wr), "meeting_rows": len(meet),
           "loss_first_50": round(float(np.mean(losses[:50])), 4), "loss_last_50": round(float(np.mean(losses[-50:])), 4),
           "minutes": round((time.time() - t0) / 60, 1), "checkpoint": str(path)}
    (WORK / f"ft6w_{args.fold}_log.json").write_text(json.dumps(log, indent=1) + "\n")
    results = Path(__file__).resolve().parents[1] / "benchmarks" / "results" / "r29_ft_written.json"
    allr = json.loads(results.read_text()) if results.exists() else {
        "command": "for f in 0 1 2 all; do python benchmarks/r29_ft_written.py --fold $f; done", "runs": {}}
    allr["runs"][args.fold] = {**log, "checkpoint": f".cache/r28_ft/{path.name}"}
    results.write_text(json.dumps(allr, indent=1) + "\n")
    print(json.dumps(log), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

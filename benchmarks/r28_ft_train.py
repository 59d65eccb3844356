"""Round 28 (issue 10): fine-tune the MiniLM-L6 act tagger on the ``fit`` train meetings of MRDA + AMI.

Usage (from the repository root; 2 threads, stops at ``--minutes`` of training)::

    nice -n 10 python benchmarks/r28_ft_train.py --minutes 70

Training rows: every act of the ``fit`` meetings (:mod:`r28_ft_data`) with a gold question,
recommendation or action, plus a fixed random share (``--neg``) of the other acts; each row is fed as
transcribed or bare (no punctuation, no capitals; both the current and the previous act) with p = 0.5.
Multi-label BCE with ``pos_weight`` on the action logit; AdamW, linear warm-up and decay over the
planned steps; seeds fixed. Checkpoints (the trained layers + head) go to ``.cache/r28_ft/``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA  # noqa: E402
from r28_ft_data import KINDS, split_meetings  # noqa: E402
from r28_ft_model import batch_tensors, build, encode_acts, tokenizer  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

SEED = 0
WORK = Path(__file__).resolve().parents[1] / ".cache" / "r28_ft"  # checkpoints, ONNX files, probabilities (never shipped)


def training_rows(neg: float, rng: np.random.Generator):
    tok = tokenizer()
    rows, ys, corp = [], [], []
    for corpus in CORPORA:
        by_meeting = split_meetings(corpus, "fit")
        acts = [a for v in by_meeting.values() for a in v]
        raw = encode_acts(tok, by_meeting, strip=False)
        bare = encode_acts(tok, by_meeting, strip=True)
        y = np.array([[getattr(a, k) for k in KINDS] for a in acts], dtype=np.float32)
        keep = y.any(1) | (rng.random(len(acts)) < neg)
        for i in np.flatnonzero(keep):
            rows.append((raw[i], bare[i]))
            ys.append(y[i])
            corp.append(corpus)
    return rows, np.stack(ys), corp


def seeded() -> np.random.Generator:
    """2 torch threads, every seed fixed (random, numpy, torch); the numpy generator of the run."""
    import torch

    torch.set_num_threads(2)
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    return np.random.default_rng(SEED)


def batches(n: int, size: int, lengths: np.ndarray, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffled batches of similar lengths (sorted inside chunks of 50 batches)."""
    order = rng.permutation(n)
    out = []
    chunk = size * 50
    for s in range(0, n, chunk):
        part = order[s:s + chunk]
        part = part[np.argsort(lengths[part], kind="stable")]
        out.extend(part[k:k + size] for k in range(0, len(part), size))
    return [out[i] for i in rng.permutation(len(out))]


def train_step(model, opt, sched, params, loss_fn, batch: list, y: np.ndarray) -> float:
    """One optimiser step on encoded rows ``batch`` with targets ``y`` (gradients clipped at 1); the loss."""
    import torch

    loss = loss_fn(model(*batch_tensors(batch)), torch.from_numpy(y))
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 1.0)
    opt.step()
    sched.step()
    return float(loss.detach())


def main(argv: list[str] | None = None) -> int:
    import torch

    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--neg", type=float, default=0.3, help="share of the acts without a gold kind kept")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--action-pos-weight", type=float, default=3.0)
    ap.add_argument("--steps-per-min", type=float, default=0.0, help="measured throughput (plans the schedule)")
    ap.add_argument("--bench", type=int, default=0, help="time this many steps and exit")
    ap.add_argument("--name", default="ft")
    ap.add_argument("--time-decay", action="store_true", help="decay the learning rate over --minutes, not the steps")
    ap.add_argument("--trained-layers", type=int, default=2, help="top transformer layers fine-tuned (6 = all)")
    args = ap.parse_args(argv)
    rng = seeded()
    t0 = time.time()
    rows, y, corp = training_rows(args.neg, rng)
    print(f"{len(rows)} rows ({time.time() - t0:.0f}s); positives {y.sum(0).tolist()}", flush=True)
    lengths = np.array([len(r[0][0]) for r in rows])
    model = build(args.trained_layers)
    params = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("head.")]
    opt = torch.optim.AdamW([{"params": params, "lr": args.lr}, {"params": model.head.parameters(), "lr": args.head_lr}],
                            weight_decay=0.01)
    plan = int(args.steps_per_min * args.minutes) if args.steps_per_min else len(rows) // args.batch
    warm = max(1, plan // 20)
    t_start = time.time()

    def factor(s: int) -> float:
        """Linear warm-up, then linear decay over the planned steps (``--time-decay``: over ``--minutes``)."""
        left = 1 - (time.time() - t_start) / 60 / args.minutes if args.time_decay else (plan - s) / max(1, plan - warm)
        return min((s + 1) / warm, max(0.05, left))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, factor)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor([1.0, 1.0, args.action_pos_weight]))
    model.train()
    step, t1, losses, epoch = 0, time.time(), [], 0
    saved = []
    stop = False
    while not stop:
        for b in batches(len(rows), args.batch, lengths, rng):
            strip = rng.random(len(b)) < 0.5
            losses.append(train_step(model, opt, sched, params, loss_fn, [rows[i][int(s)] for i, s in zip(b, strip, strict=True)], y[b]))
            step += 1
            el = (time.time() - t1) / 60
            if step % 50 == 0:
                print(f"epoch {epoch} step {step}/{plan} loss {np.mean(losses[-50:]):.4f} {el:.1f} min "
                      f"{step / el:.1f} steps/min", flush=True)
            if args.bench and step >= args.bench:
                print(json.dumps({"steps": step, "minutes": el, "steps_per_min": step / el, "batch": args.batch}))
                return 0
            if step == plan // 2 and not saved:
                path = WORK / f"{args.name}_half.pt"
                torch.save(model.delta_state(), path)
                saved.append({"step": step, "path": str(path), "minutes": round(el, 1)})
            if step % 300 == 0:  # a recent checkpoint in case the run is stopped
                torch.save(model.delta_state(), WORK / f"{args.name}_last.pt")
            if step >= plan or el >= args.minutes or (WORK / f"{args.name}.stop").exists():
                stop = True
                break
        epoch += 1
    path = WORK / f"{args.name}_final.pt"
    torch.save(model.delta_state(), path)
    saved.append({"step": step, "path": str(path), "minutes": round((time.time() - t1) / 60, 1)})
    log = {"commit": commit(), "seed": SEED, "args": vars(args), "rows": len(rows), "positives": y.sum(0).tolist(),
           "kinds": list(KINDS), "planned_steps": plan, "steps": step, "epochs_started": epoch,
           "loss_first_200": float(np.mean(losses[:200])), "loss_last_200": float(np.mean(losses[-200:])),
           "checkpoints": saved, "delta_parameters": int(sum(v.numel() for v in model.delta_state().values()))}
    (WORK / f"{args.name}_train_log.json").write_text(json.dumps(log, indent=1) + "\n")
    print(json.dumps(log), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

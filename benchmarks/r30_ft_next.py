"""Round 30 (issue 10): the act tagger that also reads the act AFTER the current one.

Round 28's tagger (``ft6``) reads ``[CLS] <same|other|start> <previous act> [SEP] <current act> [SEP]``. A suggestion
is often recognisable by its reply ("yeah, good idea", "okay, I'll do that") and a question by its answer, so this
variant appends the next segment: ``… [SEP] <same|other|end> <next act> [SEP]`` (token type 0 like the previous one:
the model's pooled context is the mean of both sides; :func:`sessionscope.analysis.extract.tagger.encode`). Same
model, same head, same ONNX graph; only the encoding changes.

Subcommands (from the repository root; 2 threads, ``nice``)::

    python benchmarks/r30_ft_next.py train --minutes 30 --name ft7n     # continue ft6_final.pt, every fit row
    python benchmarks/r30_ft_next.py train --steps N --no-next --name ft7p   # the control: as long, no next act
    python benchmarks/r30_ft_next.py probs --split tune --ckpt .cache/r28_ft/ft7n_final.pt
    python benchmarks/r30_ft_next.py tune --ckpt .cache/r28_ft/ft7n_final.pt    # choosing: the tune meetings only
    python benchmarks/r30_ft_next.py written --fold 0|1|2|all --start ft7n_final.pt   # as r29_ft_written.py
    python benchmarks/r30_ft_next.py written --fold 0|1|2|all --start ft7p_final.pt --no-next   # the control's

``train`` builds the rows exactly as ``r28_ft_train.py`` (the ``fit`` train meetings, every act with a gold kind plus
30 % of the others, each fed as transcribed or bare with p = 0.5, seed 0) with the next segment added, and continues
``ft6_final.pt`` (lr ``--lr`` with warm-up and a linear decay over ``--minutes``). ``written`` continues a checkpoint
on the written EN dev rows out of fold, as round 29 did (the rows have no neighbours: ``start`` / ``end``). The
held-out and dev meetings are never read here.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, Act  # noqa: E402
from r28_ft_data import KINDS, bare, pair, split_meetings  # noqa: E402
from r28_ft_model import build  # noqa: E402
from r28_ft_train import SEED, WORK, batches, seeded, train_step  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

RESULTS = Path(__file__).resolve().parents[1] / "benchmarks" / "results"


def triple(acts: list[Act], i: int, *, strip: bool) -> tuple[str, str, str]:
    """(previous segment, current act, next segment) as the shipped stage builds them from a session's acts."""
    from sessionscope.analysis.extract.tagger import next_segment_text

    prev, cur = pair(acts, i, strip=strip)
    if i + 1 < len(acts):
        n = acts[i + 1]
        nxt = next_segment_text(bare(n.text) if strip else n.text, n.speaker == acts[i].speaker)
    else:
        nxt = next_segment_text(None, False)
    return prev, cur, nxt


def encode_acts3(acts_by_meeting: dict[str, list[Act]], *, strip: bool, with_next: bool = True) -> list:
    from sessionscope.analysis.extract.tagger import encode, tokenizer

    rows = []
    for acts in acts_by_meeting.values():
        rows.extend(triple(acts, i, strip=strip)[: 3 if with_next else 2] for i in range(len(acts)))
    return encode(tokenizer(), rows)


def training_rows3(neg: float, rng: np.random.Generator, *, with_next: bool = True):
    """``r28_ft_train.training_rows`` with the next segment (same acts kept: the same generator calls)."""
    rows, ys = [], []
    for corpus in CORPORA:
        by_meeting = split_meetings(corpus, "fit")
        acts = [a for v in by_meeting.values() for a in v]
        raw = encode_acts3(by_meeting, strip=False, with_next=with_next)
        bar = encode_acts3(by_meeting, strip=True, with_next=with_next)
        y = np.array([[getattr(a, k) for k in KINDS] for a in acts], dtype=np.float32)
        keep = y.any(1) | (rng.random(len(acts)) < neg)
        for i in np.flatnonzero(keep):
            rows.append((raw[i], bar[i]))
            ys.append(y[i])
    return rows, np.stack(ys)


def load(start: str):
    import torch

    model = build(6)
    missing = model.load_state_dict(torch.load(WORK / start), strict=False)
    assert not missing.unexpected_keys, missing.unexpected_keys
    return model


def train_main(args) -> int:
    import torch

    rng = seeded()
    t0 = time.time()
    rows, y = training_rows3(0.3, rng, with_next=not args.no_next)
    print(f"{len(rows)} rows ({time.time() - t0:.0f}s); positives {y.sum(0).tolist()}", flush=True)
    lengths = np.array([len(r[0][0]) for r in rows])
    model = load(args.start)
    params = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("head.")]
    opt = torch.optim.AdamW([{"params": params, "lr": args.lr}, {"params": model.head.parameters(), "lr": args.lr * 10}],
                            weight_decay=0.01)
    warm, t_start = 50, time.time()
    def left(s: int) -> float:  # the share of the run still to go: by time, or by steps (``--steps``, the control run)
        return 1 - s / args.steps if args.steps else 1 - (time.time() - t_start) / 60 / args.minutes

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / warm, max(0.05, left(s))))
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor([1.0, 1.0, 3.0]))
    model.train()
    step, losses, stop, epoch = 0, [], False, 0
    while not stop:
        for b in batches(len(rows), 32, lengths, rng):
            strip = rng.random(len(b)) < 0.5
            losses.append(train_step(model, opt, sched, params, loss_fn, [rows[i][int(s)] for i, s in zip(b, strip, strict=True)], y[b]))
            step += 1
            el = (time.time() - t_start) / 60
            if step % 50 == 0:
                print(f"epoch {epoch} step {step} loss {np.mean(losses[-50:]):.4f} {el:.1f} min", flush=True)
            if step % 300 == 0:
                torch.save(model.delta_state(), WORK / f"{args.name}_last.pt")
            if (step >= args.steps if args.steps else el >= args.minutes) or (WORK / f"{args.name}.stop").exists():
                stop = True
                break
        epoch += 1
    torch.save(model.delta_state(), WORK / f"{args.name}_final.pt")
    cmd = f"python benchmarks/r30_ft_next.py train --minutes {args.minutes} --lr {args.lr} --name {args.name}" + (
        f" --steps {args.steps}" if args.steps else "") + (" --no-next" if args.no_next else "")
    log = {"command": cmd, "next_act_read": not args.no_next,
           "commit": commit(), "seed": SEED, "start": args.start, "rows": len(rows), "steps": step, "epochs_started": epoch,
           "minutes": round((time.time() - t_start) / 60, 1), "loss_first_200": round(float(np.mean(losses[:200])), 4),
           "loss_last_200": round(float(np.mean(losses[-200:])), 4), "checkpoint": f".cache/r28_ft/{args.name}_final.pt"}
    _record("train", args.name, log)
    print(json.dumps(log), flush=True)
    return 0


def probs_main(args) -> int:
    """Probabilities of the ``tune`` / ``heldout`` acts in ``r28_ft_eval.py``'s file format (next segment read)."""
    import r28_ft_eval

    return r28_ft_eval.probs_main(args, encode=encode_acts3)


def tune_main(args) -> int:
    """``r28_ft_eval.py tune`` (the tune-optimal mean per-corpus F1 of the tagger alone, per figure), logged here."""
    from r28_ft_eval import FIGURES, best_t, split_data

    tune = split_data("tune", args.ckpt.stem)
    row = {fig: dict(zip(("threshold", "mean_f1"), best_t(tune, fig, "ft"), strict=True)) for fig in FIGURES}
    row["mean_of_figures"] = round(float(np.mean([r["mean_f1"] for r in row.values()])), 4)
    _record("tune", args.ckpt.stem, {"command": f"python benchmarks/r30_ft_next.py tune --ckpt .cache/r28_ft/{args.ckpt.name}",
                                     "commit": commit(), **row})
    print(json.dumps(row, indent=1))
    return 0


def written_main(args) -> int:
    """``r29_ft_written.py`` for a next-reading checkpoint: written EN dev rows out of fold + replayed meeting rows."""
    import torch

    from r29_ft_written import STEPS, continue_on_written, written_fold
    from sessionscope.analysis.extract.tagger import encode, tokenizer

    rng = seeded()
    t0 = time.time()
    meet, my = training_rows3(0.3, rng, with_next=not args.no_next)
    rows, fold = written_fold()
    keep = np.ones(len(rows), bool) if args.fold == "all" else fold != int(args.fold)
    wr = [r for r, k in zip(rows, keep, strict=True) if k]
    tok = tokenizer()
    after = () if args.no_next else ("end",)
    raw = encode(tok, [("start", r.text, *after) for r in wr])
    bar = encode(tok, [("start", bare(r.text), *after) for r in wr])
    wy = np.array([[r.label == k for k in KINDS] for r in wr], dtype=np.float32)
    model = load(args.start)
    losses = continue_on_written(model, (raw, bar, wy), (meet, my), rng, STEPS, t0)
    name = f"{Path(args.start).stem.removesuffix('_final')}w_{args.fold}"
    torch.save(model.delta_state(), WORK / f"{name}.pt")
    log = {"command": f"python benchmarks/r30_ft_next.py written --fold {args.fold} --start {args.start}"
                      + (" --no-next" if args.no_next else ""), "commit": commit(),
           "seed": SEED, "start": args.start, "steps": STEPS, "written_rows": len(wr), "meeting_rows": len(meet),
           "loss_first_50": round(float(np.mean(losses[:50])), 4), "loss_last_50": round(float(np.mean(losses[-50:])), 4),
           "minutes": round((time.time() - t0) / 60, 1), "checkpoint": f".cache/r28_ft/{name}.pt"}
    _record("written", name, log)
    print(json.dumps(log), flush=True)
    return 0


def _record(kind: str, name: str, log: dict) -> None:
    path = RESULTS / "r30_ft_next.json"
    allr = json.loads(path.read_text()) if path.exists() else {"runs": {}}
    allr["runs"][f"{kind}:{name}"] = log
    path.write_text(json.dumps(allr, indent=1) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train")
    t.add_argument("--minutes", type=float, default=30.0)
    t.add_argument("--lr", type=float, default=5e-5)
    t.add_argument("--name", default="ft7n")
    t.add_argument("--start", default="ft6_final.pt")
    t.add_argument("--steps", type=int, default=0, help="stop (and decay) after this many steps instead of --minutes")
    t.add_argument("--no-next", action="store_true", help="the control: the same continuation without the next act")
    p = sub.add_parser("probs")
    p.add_argument("--split", choices=("tune", "heldout"), required=True)
    p.add_argument("--ckpt", type=Path, required=True)
    u = sub.add_parser("tune")
    u.add_argument("--ckpt", type=Path, required=True)
    w = sub.add_parser("written")
    w.add_argument("--fold", required=True, choices=["0", "1", "2", "all"])
    w.add_argument("--start", required=True)
    w.add_argument("--no-next", action="store_true", help="a checkpoint that reads the previous act only (the control)")
    args = ap.parse_args(argv)
    return {"train": train_main, "probs": probs_main, "tune": tune_main, "written": written_main}[args.cmd](args)


if __name__ == "__main__":
    raise SystemExit(main())

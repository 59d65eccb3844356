"""Train the English lexical dialogue-act head (recommendations, action items) and its stacker.

Usage (from the repository root; a few minutes on 2 cores once the MLP heads' caches exist)::

    nice -n 10 python benchmarks/train_act_lexical.py [--C 0.1]

A logistic regression (liblinear, seed 0) per kind on hashed word 1–3-grams of the act and
the words / speaker change of its neighbours (:func:`sessionscope.analysis.extract.heads.lexical_features`),
fit on the *train* meetings of ICSI MRDA and AMI plus the English rows of the written dev
split (weight 5, no context). Per kind, a small logistic regression stacks the MLP heads'
logits (every kind), optionally this head's logits (every kind) and the rule evidence (hit /
veto / confidence, of every kind or the kind's own) — with ``--context`` (measurement only,
with ``--no-save``: the stage does not pass the context to this stacker) also the act's
dialogue context (the 11 ``CTX_NAMES`` values; zeros for a written row) — the inputs, the share of written rows
and the threshold are chosen on the *held-out* 15 % of train meetings
(:func:`dialogue_acts.heldout_meeting`) and the written EN dev rows (their lexical and MLP
logits out-of-fold), by ``(2·F1_meetings + F1_written) / 3`` scored **out-of-fold** (5 folds,
a meeting's acts in one fold): an in-sample stacker flatters the written rows. The L2
strength is chosen among :data:`C_GRID` unless ``--C`` gives it. The corpora's dev meetings
are never read. Russian sessions do not use this head (no Russian meetings to learn words from).

Needs the written rows' out-of-fold MLP logits of the shipped heads
(``python benchmarks/train_dialogue_acts.py --only written-oof`` rebuilds them; ``--only acts``
writes them with new heads). Writes ``src/sessionscope/resources/dialogue_acts/act_lexical_en.npz``
and ``benchmarks/results/train_act_lexical.json`` (or ``--results``: the search, every input set
per kind, and the shipped MLP stacker's in-sample figures).
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
from dialogue_acts import CACHE, CORPORA, ROOT, act_embeddings, load_acts  # noqa: E402
from train_dialogue_acts import (  # noqa: E402
    KINDS,
    OUT,
    SEED,
    WRITTEN_FOLDS,
    WRITTEN_OOF,
    act_features,
    cached_rule_evidence,
    commit,
    f1,
    per_corpus_f1,
    rule_evidence,
    written_rows,
)

C_GRID = (0.1, 0.3)  # 1.0 was tried: lower objective on both kinds, 3x slower
SHARES = (0.0, 0.1, 0.2, 0.3, 0.5)
WRITTEN_WEIGHT = 5.0
LEX_FILE = OUT / "act_lexical_en.npz"


def _matrix(indptr: np.ndarray, indices: np.ndarray):
    from scipy import sparse

    from sessionscope.analysis.extract.heads import LEX_HASH_BITS

    return sparse.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr),
                             shape=(len(indptr) - 1, 1 << LEX_HASH_BITS))


def _csr(rows: list[list[int]]):
    indptr = np.cumsum([0] + [len(r) for r in rows]).astype(np.int64)
    return _matrix(indptr, np.fromiter((j for r in rows for j in r), dtype=np.int32, count=int(indptr[-1])))


def lexical_rows(corpus: str):
    """Hashed lexical features of every train / held-out act (cached): the acts' indices and the sparse matrix."""
    from sessionscope.analysis.extract.heads import LEX_FEATURES_VERSION, Turn, lexical_feature_ids

    acts = load_acts(corpus)
    keep = np.array([i for i, a in enumerate(acts) if a.split in ("train", "heldout")])
    path = CACHE / f"lexical_v{LEX_FEATURES_VERSION}_{corpus}.npz"
    if path.exists():
        with np.load(path) as z:
            if np.array_equal(z["acts"], keep):
                return keep, _matrix(z["indptr"], z["indices"])
    rows = []
    for i in keep:
        a = acts[i]
        prev = acts[i - 1] if i > 0 and acts[i - 1].meeting == a.meeting else None
        nxt = acts[i + 1] if i + 1 < len(acts) and acts[i + 1].meeting == a.meeting else None
        rows.append(lexical_feature_ids(a.text, prev and Turn(prev.text, prev.speaker), a.speaker,
                                        nxt and Turn(nxt.text, nxt.speaker)))
    x = _csr(rows)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(path, acts=keep, indptr=x.indptr, indices=x.indices)
    return keep, x


def data() -> dict:
    """Train / held-out matrices, gold, corpus, MLP logits and rule evidence of the held-out acts; written EN dev rows."""
    from scipy import sparse

    from sessionscope.analysis.extract.heads import fingerprint, lexical_feature_ids, load_act_heads

    heads = load_act_heads(OUT / "act_heads_usem3.npz")
    d: dict = {"x": [], "y": [], "hx": [], "hy": [], "hc": [], "hm": [], "hz": [], "hev": [], "hctx": []}
    for c in CORPORA:
        acts = load_acts(c)
        keep, x = lexical_rows(c)
        split = np.array([acts[i].split for i in keep])
        y = np.array([[getattr(acts[i], k) for k in KINDS] for i in keep], dtype=int)
        d["x"].append(x[split == "train"])
        d["y"].append(y[split == "train"])
        d["hx"].append(x[split == "heldout"])
        d["hy"].append(y[split == "heldout"])
        d["hc"].append(np.full(int((split == "heldout").sum()), c))
        idx = keep[split == "heldout"]
        d["hm"].append(np.array([acts[i].meeting for i in idx]))
        emb, feats = act_embeddings(c), act_features(c)
        d["hz"].append(heads.logits(emb[idx], np.concatenate([feats["cue_raw"][idx], feats["ctx_raw"][idx]], axis=1)))
        d["hev"].append(cached_rule_evidence(c, idx))
        d["hctx"].append(feats["ctx_raw"][idx].astype(np.float64))  # context_features of the act, as the stage builds them
    for k in ("x", "hx"):
        d[k] = sparse.vstack(d[k], format="csr")
    for k in ("y", "hy", "hc", "hm", "hz", "hev", "hctx"):
        d[k] = np.concatenate(d[k])
    rows = [r for r in written_rows() if r.lang == "en"]
    d["wx"] = _csr([lexical_feature_ids(r.text, None, "", None) for r in rows])
    d["wy"] = np.array([[r.label == k for k in KINDS] for r in rows], dtype=int)
    if not WRITTEN_OOF.exists():
        raise SystemExit(f"{WRITTEN_OOF} is missing: run `python benchmarks/train_dialogue_acts.py --only written-oof`")
    with np.load(WRITTEN_OOF) as z:
        if str(z["heads"]) != fingerprint(heads):  # the same CRC32 as train_dialogue_acts.heads_fingerprint
            raise SystemExit(f"{WRITTEN_OOF} belongs to other heads: run `python benchmarks/train_dialogue_acts.py --only written-oof`")
        oof = dict(zip((str(i) for i in z["ids"]), z["logits"], strict=True))
    d["wz"] = np.stack([oof[r.id] for r in rows])
    d["wev"] = rule_evidence([r.text for r in rows], language="en")
    d["wctx"] = np.zeros((len(rows), d["hctx"].shape[1]))  # a written sentence has no neighbours (the stage's zeros)
    d["heads"] = heads
    d["n_written"] = len(rows)
    return d


def fit_lexical(x, y: np.ndarray, w: np.ndarray, c_reg: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c_reg, solver="liblinear", max_iter=3000, random_state=SEED).fit(x, y, sample_weight=w)


def lexical_logits(d: dict, c_reg: float) -> tuple[list, np.ndarray, np.ndarray]:
    """Per kind: the model on all training rows, held-out logits, written logits out-of-fold (cached)."""
    import pickle

    from scipy import sparse

    from sessionscope.analysis.extract.heads import LEX_FEATURES_VERSION

    path = CACHE / f"lexical_v{LEX_FEATURES_VERSION}_fits_C{c_reg}.pkl"  # a local cache of our own fits, never shipped
    if path.exists():
        with open(path, "rb") as fh:
            cached = pickle.load(fh)
        if cached["hz"].shape[0] == d["hx"].shape[0] and cached["wz"].shape[0] == d["wx"].shape[0]:
            return cached["models"], cached["hz"], cached["wz"]

    n_w = d["wx"].shape[0]
    x = sparse.vstack([d["x"], d["wx"]], format="csr")
    w = np.concatenate([np.ones(d["x"].shape[0]), np.full(n_w, WRITTEN_WEIGHT)])
    fold = np.random.default_rng(SEED).permutation(n_w) % WRITTEN_FOLDS
    models, hz, wz = [], np.zeros((d["hx"].shape[0], len(KINDS))), np.zeros((n_w, len(KINDS)))
    for k in range(len(KINDS)):
        y = np.concatenate([d["y"][:, k], d["wy"][:, k]])
        m = fit_lexical(x, y, w, c_reg)
        models.append(m)
        hz[:, k] = m.decision_function(d["hx"])
        for f in range(WRITTEN_FOLDS):
            keep = np.concatenate([np.ones(d["x"].shape[0], dtype=bool), fold != f])
            part = fit_lexical(x[keep], y[keep], w[keep], c_reg)
            wz[fold == f, k] = part.decision_function(d["wx"][fold == f])
    with open(path, "wb") as fh:
        pickle.dump({"models": models, "hz": hz, "wz": wz}, fh)
    return models, hz, wz


INPUTS = {  # the stacker's inputs tried per kind (see columns): (lexical, every kind's rules, context)
    "mlp+own rules": (False, False, False),  # the MLP heads' own stacker, refitted
    "mlp+rules": (False, True, False),
    "mlp+lexical+own rules": (True, False, False),  # the form shipped before round 5 (recommendations)
    "mlp+lexical+rules": (True, True, False),  # round 5, recs
    "mlp+rules+context": (False, True, True),  # round 5, ctx: + the sentence's 11 CTX_NAMES values
    "mlp+lexical+rules+context": (True, True, True),
}
CV_FOLDS = 5  # the held-out meetings (and the written rows) in folds: each stacker is scored on rows it was not fitted on


def folds(d: dict) -> tuple[np.ndarray, np.ndarray]:
    """Fold of every held-out act (by meeting: a meeting's acts stay together) and of every written row (fixed seeds)."""
    names = np.unique(d["hm"])
    by_meeting = {m: i % CV_FOLDS for i, m in enumerate(np.random.default_rng(SEED).permutation(names))}
    return np.array([by_meeting[m] for m in d["hm"]]), np.random.default_rng(SEED + 1).permutation(d["n_written"]) % CV_FOLDS


def _fit_stacker(x: np.ndarray, y: np.ndarray, wx: np.ndarray, wy: np.ndarray, share: float):
    from sklearn.linear_model import LogisticRegression

    w = np.concatenate([np.ones(len(x)), np.full(len(wx), share * len(x) / len(wx) if share else 1e-9)])
    return LogisticRegression(C=10.0, max_iter=2000).fit(np.vstack([x, wx]), np.concatenate([y, wy]), sample_weight=w)


def stack(x: np.ndarray, y: np.ndarray, corpus: np.ndarray, wx: np.ndarray, wy: np.ndarray,
          fold: tuple[np.ndarray, np.ndarray]) -> dict:
    """The stacker share and threshold with the best cross-validated ``(2·F1_meetings + F1_written) / 3``.

    Each setting is scored on out-of-fold probabilities: the stacker of fold ``f`` is fitted on
    the other folds' held-out meetings and written rows (an in-sample stacker flatters the
    written rows, on which the rules were written). The model returned is refitted on all rows.
    """
    hf, wf = fold
    best: dict = {}
    for share in SHARES:
        pm, pw = np.zeros(len(y)), np.zeros(len(wy))
        for f in range(CV_FOLDS):
            st = _fit_stacker(x[hf != f], y[hf != f], wx[wf != f], wy[wf != f], share)
            pm[hf == f], pw[wf == f] = st.predict_proba(x[hf == f])[:, 1], st.predict_proba(wx[wf == f])[:, 1]
        for t in np.arange(0.05, 0.95, 0.01):
            fm, fw = per_corpus_f1(pm, y, corpus, float(t)), f1(pw >= t, wy)
            obj = (2 * fm + fw["f1"]) / 3
            if not best or obj > best["objective"] + 1e-9:
                best = {"objective": obj, "share": share, "threshold": round(float(t), 2), "f1_meetings": fm, "written": fw,
                        "pm": pm}
    best["meetings"] = {c: f1(best["pm"][corpus == c] >= best["threshold"], y[corpus == c]) for c in CORPORA}
    best["model"] = _fit_stacker(x, y, wx, wy, best["share"])
    return best


def columns(z_mlp: np.ndarray, ev: np.ndarray, k: int, z_lex: np.ndarray | None, all_rules: bool = True,
            ctx: np.ndarray | None = None) -> np.ndarray:
    """Stacker inputs of kind ``k``: the MLP logits of every kind (with ``z_lex``, the lexical ones too) and rule evidence.

    Every kind's logits, not only its own: "let's do a demo next week" is a suggestion in
    MRDA and an action item in the written sets; the other kind's score tells them apart.
    ``all_rules``: every kind's rule evidence (hit, veto, confidence; an action rule's hit or
    veto on "I'll send it" / "I'll give you an example" is evidence about a recommendation
    too), else the kind's own. ``ctx``: the sentences' context features (speaker change, the
    next speaker answering or backchannelling...), after the rules.
    """
    rules = ev.reshape(len(ev), -1) if all_rules else ev[:, k, :]
    cols = [z_mlp] + ([z_lex] if z_lex is not None else []) + [rules] + ([ctx] if ctx is not None else [])
    return np.concatenate(cols, axis=1)


def stack_row(coef: np.ndarray, intercept: float, k: int, n_k: int, lexical: bool, all_rules: bool,
              n_ctx: int = 0) -> np.ndarray:
    """One row of :attr:`LexicalActHead.stack` from a fitted stacker.

    ``5·n_k + n_ctx + 1``: MLP, lexical, every kind's rules, ``n_ctx`` context weights (0: a
    head whose stacker reads no context), bias. A kind fitted without context gets zeros there.
    """
    row = np.zeros(5 * n_k + n_ctx + 1)
    row[:n_k] = coef[:n_k]
    i = n_k
    if lexical:
        row[n_k : 2 * n_k] = coef[i : i + n_k]
        i += n_k
    if all_rules:
        row[2 * n_k : 5 * n_k] = coef[i : i + 3 * n_k]
    else:
        row[2 * n_k + 3 * k : 2 * n_k + 3 * k + 3] = coef[i : i + 3]
    i += 3 * n_k if all_rules else 3
    if len(coef) > i:
        row[5 * n_k : 5 * n_k + n_ctx] = coef[i : i + n_ctx]
    row[-1] = intercept
    return row


def summary(b: dict) -> dict:
    """The JSON record of one :func:`stack` result."""
    return {"objective": round(b["objective"], 4), "f1_meetings_mean": round(b["f1_meetings"], 4), "share": b["share"],
            "threshold": b["threshold"], "meetings": b["meetings"], "written_dev_en": b["written"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-save", action="store_true", help="search and report only; do not write the head")
    ap.add_argument("--C", dest="c_reg", type=float, default=None,
                    help=f"the lexical head's L2 strength (default: chosen among {C_GRID} on the held-out meetings)")
    ap.add_argument("--out", type=Path, default=LEX_FILE, help="where to write the head")
    ap.add_argument("--context", action="store_true",
                    help="also try stacker inputs with the act's 11 CTX_NAMES values (round 5, ctx; needs --no-save: "
                         "the stage passes no context to this stacker)")
    ap.add_argument("--results", type=Path, default=None,
                    help="the search's JSON (default: benchmarks/results/train_act_lexical[_<out stem>].json)")
    args = ap.parse_args(argv)
    if args.context and not args.no_save:
        ap.error("--context needs --no-save: the stage passes no dialogue context to the lexical head's stacker")
    from sessionscope.analysis.extract.heads import LEX_FEATURES_VERSION, LEX_HASH_BITS, LexicalActHead, fingerprint

    t0 = time.time()
    d = data()
    print(f"data: train {d['x'].shape}, held-out {d['hx'].shape}, written EN {d['n_written']} ({time.time() - t0:.0f}s)", flush=True)
    command = "python benchmarks/train_act_lexical.py" + (f" --C {args.c_reg:g}" if args.c_reg is not None else "") \
        + (" --context --no-save" if args.context else "")
    log: dict = {"command": command, "commit": commit(), "date": dt.date.today().isoformat(),
                 "split": "fit: train meetings + written EN dev rows; choose: held-out train meetings + written EN dev rows "
                          f"(stacker settings scored out-of-fold, {CV_FOLDS} folds by meeting; head logits of the written "
                          "rows out-of-fold); dev meetings never read", "seed": SEED}
    shipped = {}
    heads = d["heads"]
    fold = folds(d)
    for k, kind in enumerate(KINDS):  # the shipped MLP heads' stacker and thresholds as they are (in-sample on held-out)
        pm = heads.fuse(d["hz"], d["hev"])[:, k]
        pw = heads.fuse(d["wz"], d["wev"])[:, k]
        t = float(heads.thresholds[k])
        shipped[kind] = {"f1_meetings_mean": round(per_corpus_f1(pm, d["hy"][:, k], d["hc"], t), 4), "threshold": t,
                         "meetings": {c: f1(pm[d["hc"] == c] >= t, d["hy"][d["hc"] == c, k]) for c in CORPORA},
                         "written_dev_en": f1(pw >= t, d["wy"][:, k])}
    log["shipped_mlp_rules_in_sample"] = shipped
    print("shipped (MLP + rules, in-sample):", json.dumps(shipped), flush=True)
    search, best = {}, None
    for c_reg in (args.c_reg,) if args.c_reg is not None else C_GRID:
        t1 = time.time()
        models, hz, wz = lexical_logits(d, c_reg)
        res = {}
        for k, kind in enumerate(KINDS):
            for name, (lexical, all_rules, context) in INPUTS.items():
                if context and not args.context:
                    continue
                res[(kind, name)] = stack(
                    columns(d["hz"], d["hev"], k, hz if lexical else None, all_rules, d["hctx"] if context else None),
                    d["hy"][:, k], d["hc"],
                    columns(d["wz"], d["wev"], k, wz if lexical else None, all_rules, d["wctx"] if context else None),
                    d["wy"][:, k], fold)
        score = float(np.mean([max(r["objective"] for (kd, _), r in res.items() if kd == kind) for kind in KINDS]))
        search[f"C={c_reg}"] = {kind: {name: summary(res[(kind, name)]) for name in INPUTS if (kind, name) in res}
                                for kind in KINDS}
        print(f"C={c_reg}: {json.dumps(search[f'C={c_reg}'])} ({time.time() - t1:.0f}s)", flush=True)
        if best is None or score > best[0]:
            best = (score, c_reg, models, res)
    assert best is not None
    _, c_reg, models, res = best
    log["search"] = search
    # per kind, the inputs and share with the best cross-validated objective (real meetings count twice)
    n_k = len(KINDS)
    stacks, thresholds, chosen = [], [], {"C": c_reg}
    names = {kind: max((nm for nm in INPUTS if (kind, nm) in res), key=lambda nm: res[(kind, nm)]["objective"]) for kind in KINDS}
    reads_context = any(INPUTS[nm][2] for nm in names.values())  # the stage then passes every sentence's context
    n_ctx = d["hctx"].shape[1] if reads_context else 0
    for k, kind in enumerate(KINDS):
        name = names[kind]
        r = res[(kind, name)]
        lexical, all_rules, _ = INPUTS[name]
        stacks.append(stack_row(r["model"].coef_[0], float(r["model"].intercept_[0]), k, n_k, lexical, all_rules, n_ctx))
        thresholds.append(r["threshold"])
        chosen[kind] = {"inputs": name, "uses_lexical": lexical, **summary(r)}
    log["chosen"] = chosen
    print("chosen:", json.dumps(chosen), flush=True)
    head = LexicalActHead(
        labels=KINDS, weights=np.stack([m.coef_[0] for m in models]).astype(np.float32),
        bias=np.array([m.intercept_[0] for m in models], dtype=np.float32),
        stack=np.array(stacks), thresholds=np.array(thresholds),
        meta={"trained": dt.date.today().isoformat(), "commit": commit(), "seed": SEED, "C": c_reg,
              "command": command, "features_version": LEX_FEATURES_VERSION,
              "hash_bits": LEX_HASH_BITS, "mlp_heads": fingerprint(heads),
              "data": "ICSI MRDA (^cs|^co, ^cc) + AMI (sug, off) train meetings + benchmarks/data/extraction dev split, "
                      f"English rows (weight {WRITTEN_WEIGHT:g}, no context)",
              "split": log["split"],
              "stack": "per kind: w_mlp[kinds], w_lexical[kinds], w_rules[kinds x (hit, veto, confidence)], "
                       + ("w_context[CTX_NAMES], " if reads_context else "") + "bias",
              "stack_reads_context": reads_context,
              "heldout": log["chosen"]})
    if not args.no_save:
        head.save(args.out)
        log["file"] = str(args.out.relative_to(ROOT)) if args.out.is_relative_to(ROOT) else str(args.out)
        log["bytes"] = args.out.stat().st_size
        print("wrote", args.out, log["bytes"], "bytes", flush=True)
    log["seconds"] = round(time.time() - t0)
    out = args.results or ROOT / "benchmarks" / "results" / (
        "train_act_lexical.json" if args.out == LEX_FILE else f"train_act_lexical_{args.out.stem}.json")
    out.write_text(json.dumps(log, indent=2, ensure_ascii=False) + "\n")
    print("wrote", out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

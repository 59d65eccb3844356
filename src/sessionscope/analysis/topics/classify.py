"""Classify text windows into taxonomy labels: zero-shot from prototypes, or a trained head.

Zero-shot: a window's score for a label is the mean cosine to that label's ``top_k``
most similar prototypes. Raw cosines are not comparable across backends (e5 squeezes
everything into ~0.8–0.9), so scores are standardised per window (z-scores over the
labels) before a softmax with a temperature: decisions *compare* labels, they never
threshold a cosine.

``other`` is decided by margin: a window goes to the catch-all area unless its best
real area beats ``other`` by at least ``other_margin`` (nats of log-probability).

The optional supervised head is a multinomial logistic regression on the embeddings,
trained with scikit-learn (``sessionscope topics train``) and stored as plain arrays
in an ``.npz`` (no pickle); inference is numpy only.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Optional

import numpy as np

from sessionscope.analysis.topics.taxonomy import Label, Taxonomy
from sessionscope.errors import ConfigError, InputError
from sessionscope.language.embeddings import Encoder

log = logging.getLogger(__name__)

HEAD_FORMAT = "sessionscope-topic-head/1"
#: The positive class of the optional binary ``other`` head (the other-vs-substantive gate).
OTHER_CLASS = "other"
#: Suffix of the heads used for windows classified *alone* (``TopicModel.predict``, labelled
#: windows, ``sessionscope topics evaluate``), not as consecutive windows of a session: a head
#: file may hold ``mode_single`` / ``other_single`` beside ``mode`` / ``other``. The session heads
#: were chosen for talk seen in context (the gate reads the neighbouring windows; the mode head
#: learned real meetings); on isolated written windows the context-free ones do better
#: (grouped cross-validation on the written dev windows, docs/benchmarks/topics.md section 0c).
SINGLE_SUFFIX = "_single"
#: Optional session mode head that reads each window next to its neighbours' mean (``meta["context"]``);
#: mixed with the plain ``mode`` head by how rarely the session's plain modes change
#: (:func:`context_mix_weight`; docs/benchmarks/topics.md, issue 10).
MODE_CONTEXT = "mode_context"


def softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """Numerically stable softmax."""
    z = z - z.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def standardise(scores: np.ndarray) -> np.ndarray:
    """Per-row z-scores, so that decisions do not depend on a backend's cosine range."""
    mu = scores.mean(axis=1, keepdims=True)
    sd = scores.std(axis=1, keepdims=True)
    return (scores - mu) / np.maximum(sd, 1e-6)


class PrototypeClassifier:
    """Zero-shot classifier over descriptive prototypes.

    Args:
        encoder: the embedding backend (anything with ``encode(texts) -> array``).
        labels: the taxonomy areas or modes.
        top_k: how many of a label's best-matching prototypes are averaged.
        temperature: softmax temperature on z-scores (lower = sharper).
    """

    def __init__(self, encoder: Encoder, labels: Sequence[Label], *, top_k: int = 2, temperature: float = 0.5) -> None:
        self.labels = tuple(lab.id for lab in labels)
        self.top_k = top_k
        self.temperature = temperature
        texts: list[str] = []
        owner: list[int] = []
        for i, lab in enumerate(labels):
            texts.extend(lab.prototypes)
            owner.extend([i] * len(lab.prototypes))
        self._protos = np.asarray(encoder.encode(texts), dtype=np.float32)
        self._owner = np.asarray(owner)

    def raw_scores(self, X: np.ndarray) -> np.ndarray:
        """``(n, labels)`` mean cosine to each label's ``top_k`` nearest prototypes."""
        sims = X @ self._protos.T
        out = np.empty((X.shape[0], len(self.labels)), dtype=np.float32)
        for j in range(len(self.labels)):
            s = sims[:, self._owner == j]
            k = min(self.top_k, s.shape[1])
            out[:, j] = np.sort(s, axis=1)[:, -k:].mean(axis=1)
        return out

    def proba(self, X: np.ndarray) -> np.ndarray:
        """``(n, labels)`` probabilities (softmax of standardised scores)."""
        if X.shape[0] == 0:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        return softmax(standardise(self.raw_scores(X)) / self.temperature)


@dataclass(frozen=True)
class LinearHead:
    """A trained softmax-regression head: ``proba = softmax(X @ W.T + b)``."""

    kind: str
    classes: tuple[str, ...]
    W: np.ndarray
    b: np.ndarray
    backend: str
    meta: dict

    def proba(self, X: np.ndarray) -> np.ndarray:
        """``(n, classes)`` probabilities."""
        if X.shape[1] != self.W.shape[1]:
            raise ConfigError(
                f"the {self.kind} head was trained on {self.W.shape[1]}-d embeddings from backend {self.backend!r}, "
                f"but the configured backend gives {X.shape[1]}-d vectors; use backend {self.backend!r} or retrain the head"
            )
        return softmax(X @ self.W.T + self.b)


def fit_head(X: np.ndarray, y: Sequence[str], *, kind: str, backend: str, C: float = 16.0, meta: Optional[dict] = None) -> LinearHead:
    """Train a multinomial logistic regression head on embeddings (scikit-learn, lazy import)."""
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError as e:
        raise ConfigError("training a topic head needs scikit-learn: pip install 'sessionscope[nlp]'") from e
    classes = sorted(set(y))
    if len(classes) < 2:
        raise InputError(f"cannot train the {kind} head: the labels contain only {classes}; at least two classes are needed")
    clf = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
    clf.fit(X, list(y))
    W = np.asarray(clf.coef_, dtype=np.float32)
    b = np.asarray(clf.intercept_, dtype=np.float32)
    if len(clf.classes_) == 2:  # sklearn stores one row for binary problems
        W = np.vstack([-W / 2, W / 2])
        b = np.concatenate([-b / 2, b / 2])
    return LinearHead(kind=kind, classes=tuple(str(c) for c in clf.classes_), W=W, b=b, backend=backend, meta=dict(meta or {}))


def save_heads(path: str | Path, heads: Sequence[LinearHead]) -> Path:
    """Write heads to one ``.npz`` of plain arrays (no pickle), atomically."""
    import io

    from sessionscope.fileio import atomic_write_bytes

    arrays: dict[str, np.ndarray] = {}
    header: dict[str, Any] = {"format": HEAD_FORMAT, "heads": []}
    for h in heads:
        arrays[f"{h.kind}_W"] = h.W
        arrays[f"{h.kind}_b"] = h.b
        header["heads"].append({"kind": h.kind, "classes": list(h.classes), "backend": h.backend, "meta": h.meta})
    arrays["header"] = np.frombuffer(json.dumps(header, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)  # type: ignore[arg-type]  # numpy stub matches **kwds to allow_pickle
    return atomic_write_bytes(path, buf.getvalue())


def load_heads(path: str | Path) -> dict[str, LinearHead]:
    """Read heads written by :func:`save_heads`: ``{"area": head, "mode": head}`` (either may be absent).

    Raises:
        ConfigError: missing or unreadable file, or not a sessionscope head file.
    """
    p = Path(path).expanduser()
    try:
        with np.load(p, allow_pickle=False) as data:
            header = json.loads(bytes(data["header"]).decode("utf-8"))
            if header.get("format") != HEAD_FORMAT:
                raise ConfigError(f"not a sessionscope topic head (format {header.get('format')!r}, expected {HEAD_FORMAT!r})", path=p)
            return {
                h["kind"]: LinearHead(kind=h["kind"], classes=tuple(h["classes"]), W=data[f"{h['kind']}_W"],
                                      b=data[f"{h['kind']}_b"], backend=h["backend"], meta=h.get("meta", {}))
                for h in header["heads"]
            }
    except ConfigError:
        raise
    except (OSError, KeyError, ValueError) as e:
        raise ConfigError(f"cannot read topic head file (train one with `sessionscope topics train`): {e}", path=p) from e


def align_proba(head: LinearHead, X: np.ndarray, labels: Sequence[str]) -> np.ndarray:
    """The head's probabilities re-ordered to ``labels`` (labels the head lacks get 0)."""
    unknown = sorted(set(head.classes) - set(labels))
    if unknown:
        raise ConfigError(f"the {head.kind} head knows labels {unknown} that the taxonomy does not have "
                          f"(taxonomy: {', '.join(labels)}); retrain the head on labels of this taxonomy")
    p = head.proba(X)
    out = np.zeros((X.shape[0], len(labels)), dtype=np.float32)
    for j, c in enumerate(head.classes):
        out[:, labels.index(c)] = p[:, j]
    return out


def decide_other(proba: np.ndarray, labels: Sequence[str], other: str, margin: float, *, pooled: bool = False) -> np.ndarray:
    """Label indices with the margin rule for the catch-all label.

    The best real label wins only when its log-probability beats ``other``'s by at least
    ``margin`` nats (for the zero-shot classifier, ``margin * temperature`` z-units of
    the underlying similarity); otherwise the window is ``other``.

    ``pooled``: compare ``other`` with *all* real labels together (their summed
    probability), as when an other-vs-substantive gate decided ``other``'s probability;
    a window judged substantive then always gets its closest real label.
    """
    if other not in labels or proba.shape[0] == 0:
        return proba.argmax(axis=1)
    o = list(labels).index(other)
    logp = np.log(np.maximum(proba, 1e-12))
    real = logp.copy()
    real[:, o] = -np.inf
    best = real.argmax(axis=1)
    if pooled:
        rest = np.delete(proba, o, axis=1).sum(axis=1)
        gap = np.log(np.maximum(rest, 1e-12)) - logp[:, o]
    else:
        gap = real[np.arange(len(best)), best] - logp[:, o]
    return np.where(gap >= margin, best, o)


def context_features(X: np.ndarray, neighbours: int, *, weight: float = 0.5) -> np.ndarray:
    """``[x_i, c_i]``: each row next to the weighted mean of its ``neighbours`` on each side.

    Neighbour ``d`` steps away weighs ``weight ** d``; with no neighbours (``neighbours`` = 0,
    a single row, or windows that are not consecutive) ``c_i`` is the row itself. The gate
    uses this: a kick-off window ("I'm the designer, the aim is a new remote control") reads
    like introductions on its own, but the talk around it is about the project.
    """
    C = np.zeros_like(X, dtype=np.float32)
    tot = np.zeros((X.shape[0], 1), dtype=np.float32)
    for d in range(1, min(neighbours, max(X.shape[0] - 1, 0)) + 1):
        w = weight ** d
        C[d:] += w * X[:-d]
        tot[d:] += w
        C[:-d] += w * X[d:]
        tot[:-d] += w
    C = np.where(tot > 0, C / np.maximum(tot, 1e-12), X)
    return np.hstack([X, C]).astype(np.float32)


def head_input(head: LinearHead, X: np.ndarray, *, consecutive: bool) -> np.ndarray:
    """What ``head`` reads: the window vectors, or with ``meta["context"]`` = k > 0 each next to its
    neighbours' weighted mean (:func:`context_features`)."""
    k = int(head.meta.get("context", 0) or 0)
    if k <= 0:
        return X
    return context_features(X, k if consecutive else 0, weight=float(head.meta.get("context_weight", 0.5)))


def context_mix_weight(p0: np.ndarray, how: str, *, lo: float, hi: float, k: int) -> float | np.ndarray:
    """How much a session's windows should trust a head that reads their neighbours, from the
    no-context probabilities ``p0`` (``(n, m)``, consecutive windows of one session).

    ``how="rate"``: one weight for the session, 1 where the no-context modes change between adjacent
    windows at most ``lo`` of the time, 0 from ``hi`` on, linear between (short mode passages make
    neighbours another mode). ``how="agree"``: one weight per window from the share ``f`` of its up to
    ``k`` neighbours each side whose no-context mode is its own: 0 up to ``lo``, 1 from ``hi`` on.
    """
    top = np.asarray(p0).argmax(axis=1)
    n = len(top)
    if how == "rate":
        rate = float(np.mean(top[1:] != top[:-1])) if n > 1 else 0.0
        return float(np.clip((hi - rate) / max(hi - lo, 1e-9), 0.0, 1.0)) if hi > lo else float(rate <= lo)
    if how == "agree":
        f = np.ones(n)
        for i in range(n):
            nb = [j for j in range(max(0, i - k), min(n, i + k + 1)) if j != i]
            if nb:
                f[i] = float(np.mean(top[nb] == top[i]))
        return np.clip((f - lo) / max(hi - lo, 1e-9), 0.0, 1.0) if hi > lo else (f >= hi).astype(float)
    raise ConfigError(f"unknown context mix {how!r} (rate, agree)")


def gate_other(proba: np.ndarray, p_other: np.ndarray, labels: Sequence[str], other: str) -> np.ndarray:
    """Area probabilities whose ``other`` mass is set by a binary gate.

    ``other`` gets ``p_other``; the real areas share ``1 - p_other`` in proportion to
    their own probabilities. The gate decides *whether* a window is work talk, the area
    classifier only *which* area.
    """
    if other not in labels or proba.shape[0] == 0:
        return proba
    o = list(labels).index(other)
    real = proba.astype(np.float32).copy()
    real[:, o] = 0.0
    real /= np.maximum(real.sum(axis=1, keepdims=True), 1e-12)
    out = real * (1.0 - p_other)[:, None]
    out[:, o] = p_other
    return out


#: ``meta`` key of an ``other`` gate that carries a *position prior*: where a window lies in the session (words before
#: and after it) next to the gate's own log-odds (:func:`position_prior`). The bundled gate has none: fitted on AMI
#: train meetings in round 48 (``benchmarks/r48_position_gate.py``), it caught more AMI small talk but called more AMI
#: dev work ``other`` and moved the examples' first topic into the greeting (docs/benchmarks/topics.md).
POSITION_META = "position"


def position_prior(p_other: np.ndarray, words_before: np.ndarray, words_after: np.ndarray, spec: dict) -> np.ndarray:
    """``p' = sigmoid(a·logit(p) + Σ_s (b_s·exp(-before/s) + e_s·exp(-after/s)) + c)``: small talk is likelier at the edges.

    ``spec`` (the gate's ``meta["position"]``): ``unit`` (``words``, or ``fraction``: the words before and after
    as shares of the two together), ``scales`` (in that unit), ``coef`` (``a``, then ``b_s, e_s`` per scale) and
    ``bias`` (``c``). Counted in words, so transcripts without times get the same prior.
    """
    scales = [float(x) for x in spec["scales"]]
    coef = [float(x) for x in spec["coef"]]
    if len(coef) != 1 + 2 * len(scales):
        raise ConfigError(f"position prior of the other gate: {len(coef)} coefficients for {len(scales)} scales "
                          f"(expected {1 + 2 * len(scales)})")
    p = np.clip(np.asarray(p_other, dtype=np.float64), 1e-6, 1 - 1e-6)
    z = coef[0] * np.log(p / (1 - p)) + float(spec["bias"])
    before, after = np.asarray(words_before, dtype=np.float64), np.asarray(words_after, dtype=np.float64)
    unit = spec.get("unit", "words")
    if unit == "fraction":
        total = np.maximum(before + after, 1.0)
        before, after = before / total, after / total
    elif unit != "words":
        raise ConfigError(f"position prior of the other gate: unit {unit!r} (expected 'words' or 'fraction')")
    for k, s in enumerate(scales):
        z += coef[1 + 2 * k] * np.exp(-before / s) + coef[2 + 2 * k] * np.exp(-after / s)
    return (1.0 / (1.0 + np.exp(-z))).astype(np.float32)


def subject_area(taxonomy: Taxonomy, area: str, proba: np.ndarray, labels: Sequence[str], text: str,
                 lang: Optional[str] = None, *, margin: Optional[float] = 0.5, per_words: Optional[int] = None) -> str:
    """``area``, or — when it is an area with ``subject`` patterns, ``text`` names none of its subject (at least once
    per ``per_words`` words when given: :meth:`~sessionscope.analysis.topics.taxonomy.Label.about`) and its
    probability beats the next substantive area's by less than ``margin`` (the model is not sure) — the most probable
    other substantive area (by ``proba``, in ``labels`` order) whose own subject, if any, the text names. ``other`` is
    never given or taken here: small talk is the gate's decision. ``margin`` None: the subject is not read (round 58)."""
    if margin is None or area == taxonomy.other_area or area not in taxonomy.area_ids \
            or taxonomy.area(area).about(text, lang, per_words=per_words):
        return area
    allowed = [j for j, a in enumerate(labels) if a not in (area, taxonomy.other_area) and a in taxonomy.area_ids
               and taxonomy.area(a).about(text, lang, per_words=per_words)]
    if not allowed:
        return area
    best = max(allowed, key=lambda j: proba[j])
    return area if proba[list(labels).index(area)] - proba[best] >= margin else labels[best]


@dataclass(frozen=True)
class Prediction:
    """Per-window probabilities and decisions for areas and modes."""

    area_labels: tuple[str, ...]
    mode_labels: tuple[str, ...]
    area_proba: np.ndarray
    mode_proba: np.ndarray
    areas: tuple[str, ...]
    modes: tuple[str, ...]
    #: whether ``other``'s probability came from the other-vs-substantive gate (decided pooled)
    gated: bool = False


class TopicModel:
    """Areas and modes for text windows: zero-shot prototypes, blended with trained heads when given.

    Args:
        encoder: embedding backend.
        taxonomy: areas, modes and their prototypes.
        heads: optional trained heads (``{"area": ..., "mode": ..., "other": ...}``); the binary
            ``other`` head (classes ``other`` / ``substantive``) is a gate that sets the
            catch-all area's probability, see :func:`gate_other`.
        head_weight: weight of a head's probabilities against zero-shot ones (1 = head only).
        other_margin: nats by which the best area must beat the catch-all area.
        mode_margin: nats by which a specific mode must beat the default (general) mode.
        top_k, temperature: see :class:`PrototypeClassifier`.
    """

    def __init__(self, encoder: Encoder, taxonomy: Taxonomy, *, heads: Optional[dict[str, LinearHead]] = None,
                 head_weight: float = 0.7, other_margin: float = 0.0, mode_margin: float = 0.0,
                 top_k: int = 2, temperature: float = 0.5, subject_margin: Optional[float] = 0.5,
                 subject_per_words: Optional[int] = None) -> None:
        self.encoder = encoder
        self.taxonomy = taxonomy
        self.heads = dict(heads or {})
        self.head_weight = head_weight
        self.other_margin = other_margin
        self.mode_margin = mode_margin
        self.subject_margin = subject_margin
        self.subject_per_words = subject_per_words
        self.areas = PrototypeClassifier(encoder, taxonomy.areas, top_k=top_k, temperature=temperature)
        self.modes = PrototypeClassifier(encoder, taxonomy.modes, top_k=top_k, temperature=temperature)

    def _head(self, kind: str, *, isolated: bool) -> Optional[LinearHead]:
        """The head of ``kind``; for isolated windows its ``_single`` variant when the file has one."""
        if isolated and kind + SINGLE_SUFFIX in self.heads:
            return self.heads[kind + SINGLE_SUFFIX]
        return self.heads.get(kind)

    def _blend(self, kind: str, zs: np.ndarray, X: np.ndarray, labels: Sequence[str], *, isolated: bool = False) -> np.ndarray:
        head = self._head(kind, isolated=isolated)
        if head is None or self.head_weight <= 0:
            return zs
        return (1 - self.head_weight) * zs + self.head_weight * align_proba(head, X, list(labels))

    def _mode_proba(self, X: np.ndarray, *, consecutive: bool, isolated: bool) -> np.ndarray:
        """Window mode probabilities (before neighbours are mixed in). For consecutive windows of one
        session and a head file with a :data:`MODE_CONTEXT` head (one that reads each window next to its
        neighbours), that head's blend is mixed with the plain one by :func:`context_mix_weight` with the
        head's ``meta`` ``mix`` / ``mix_lo`` / ``mix_hi``, so neighbours count only where the session's
        plain modes do not change too often."""
        zs = self.modes.proba(X)
        p0 = self._blend("mode", zs, X, self.modes.labels, isolated=isolated)
        head = self.heads.get(MODE_CONTEXT)
        if head is None or not consecutive or isolated or self.head_weight <= 0:
            return p0
        p1 = (1 - self.head_weight) * zs + self.head_weight * align_proba(head, head_input(head, X, consecutive=True),
                                                                          list(self.modes.labels))
        a = context_mix_weight(p0, str(head.meta.get("mix", "rate")), lo=float(head.meta.get("mix_lo", 0.0)),
                               hi=float(head.meta.get("mix_hi", 1.0)), k=int(head.meta.get("context", 0) or 0))
        a = np.asarray(a, dtype=float)[:, None] if np.ndim(a) else float(a)
        return (1 - a) * p0 + a * p1

    @property
    def position_prior(self) -> bool:
        """Whether the session gate carries a position prior (:data:`POSITION_META`): the stage then passes positions."""
        gate = self.heads.get("other")
        return gate is not None and bool(gate.meta.get(POSITION_META))

    def other_proba(self, X: np.ndarray, *, consecutive: bool = False, isolated: bool = False) -> np.ndarray:
        """``(n,)`` probability that each window is small talk or logistics, from the ``other`` gate head.

        A gate trained with context (``meta["context"]`` = k > 0) sees each window next to its
        ``k`` neighbours on each side when the rows are ``consecutive`` windows of one session,
        else next to itself (:func:`context_features`). ``isolated``: windows classified alone
        use the ``other_single`` gate when the head file has one.
        """
        gate = self._head("other", isolated=isolated)
        if gate is None:
            raise ConfigError("no other-vs-substantive head (kind 'other') in the topic heads")
        if OTHER_CLASS not in gate.classes:
            raise ConfigError(f"the other-vs-substantive head has classes {list(gate.classes)}; "
                              f"one of them must be {OTHER_CLASS!r}")
        return gate.proba(head_input(gate, X, consecutive=consecutive))[:, gate.classes.index(OTHER_CLASS)]

    def predict_embeddings(self, X: np.ndarray, *, context: int = 0, isolated: bool = False,
                           position: Optional[tuple[np.ndarray, np.ndarray]] = None) -> Prediction:
        """Decide areas and modes for pre-computed window embeddings.

        ``context`` > 0 mixes each window's probabilities with its neighbours' (for
        consecutive windows of one session; see ``segment.with_context``). ``isolated``: the
        rows are separate windows classified alone (labelled windows, not a session), so
        the ``_single`` heads are used where the head file has them (:data:`SINGLE_SUFFIX`).
        ``position``: the words before and after each window of a whole session, read by a gate
        that carries a position prior (:data:`POSITION_META`, after the neighbours are mixed in).
        """
        from sessionscope.analysis.topics.segment import with_context

        a_lab, m_lab = self.areas.labels, self.modes.labels
        pa = self._blend("area", self.areas.proba(X), X, a_lab)
        gate = self.heads.get("other")
        if gate is not None:
            pa = gate_other(pa, self.other_proba(X, consecutive=context > 0, isolated=isolated), a_lab,
                            self.taxonomy.other_area)
        pa = with_context(pa, neighbours=context)
        spec = gate.meta.get(POSITION_META) if gate is not None and not isolated else None
        if spec and position is not None and self.taxonomy.other_area in a_lab and len(pa):
            o = list(a_lab).index(self.taxonomy.other_area)
            pa = gate_other(pa, position_prior(pa[:, o], position[0], position[1], spec), a_lab, self.taxonomy.other_area)
        pm = with_context(self._mode_proba(X, consecutive=context > 0, isolated=isolated), neighbours=context)
        ai = decide_other(pa, a_lab, self.taxonomy.other_area, self.other_margin, pooled=gate is not None)
        mi = decide_other(pm, m_lab, self.taxonomy.default_mode, self.mode_margin)
        return Prediction(a_lab, m_lab, pa, pm, tuple(a_lab[i] for i in ai), tuple(m_lab[i] for i in mi),
                          gated=gate is not None)

    def predict(self, texts: Sequence[str], *, lang: Optional[str] = None) -> Prediction:
        """Embed and classify text windows, each on its own (``isolated``; a session goes through the stage); an area
        whose subject a window does not name gives way (:func:`subject_area`)."""
        pred = self.predict_embeddings(self.encoder.encode(list(texts)), isolated=True)
        areas = tuple(subject_area(self.taxonomy, a, p, pred.area_labels, t, lang, margin=self.subject_margin,
                                   per_words=self.subject_per_words)
                      for a, p, t in zip(pred.areas, pred.area_proba, texts, strict=True))
        return replace(pred, areas=areas)


__all__ = [
    "HEAD_FORMAT", "MODE_CONTEXT", "OTHER_CLASS", "POSITION_META", "position_prior", "SINGLE_SUFFIX", "LinearHead", "Prediction", "PrototypeClassifier", "TopicModel", "align_proba",
    "context_features", "context_mix_weight", "decide_other", "fit_head", "gate_other", "head_input", "load_heads", "save_heads", "softmax", "standardise",
    "subject_area",
]

"""Clustering speaker embeddings with an automatic speaker count (pure numpy/sklearn).

Spectral clustering of the cosine affinity with p-pruning and the eigengap rule, as in
3D-Speaker / SpeechBrain, then two clean-ups: tiny clusters are folded into the nearest
big one and clusters whose centroids are nearly identical are merged. The count is kept
within ``[min_speakers, max_speakers]``; ``min == max`` forces it (a pair: 2).

Long recordings would need an n×n eigendecomposition (2 h ≈ 9,000 windows ≈ minutes
and gigabytes); beyond ``max_points`` windows are first summarised by k-means into
``max_points`` prototypes, clustered, and the labels mapped back.
"""

from __future__ import annotations

import logging

import numpy as np

log = logging.getLogger(__name__)


def _normalise(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)


def _p_prune(a: np.ndarray, pval: float, min_keep: int = 6) -> np.ndarray:
    """Keep, per row, only the strongest ``pval`` share of affinities (at least ``min_keep``)."""
    n = a.shape[0]
    keep = max(min_keep, int(np.ceil(pval * n)))
    if keep >= n:
        return a
    idx = np.argpartition(a, n - keep, axis=1)[:, : n - keep]
    out = a.copy()
    np.put_along_axis(out, idx, 0.0, axis=1)
    return out


def spectral_labels(x: np.ndarray, *, min_speakers: int, max_speakers: int, pval: float = 0.012,
                    weights: np.ndarray | None = None) -> np.ndarray:
    """Spectral clustering with the eigengap count, bounded by min/max speakers."""
    n = x.shape[0]
    xn = _normalise(x)
    sim = xn @ xn.T
    sim = _p_prune(sim, pval)
    sim = 0.5 * (sim + sim.T)
    np.fill_diagonal(sim, 0.0)
    if weights is not None:  # prototypes stand for many windows
        sim = sim * np.sqrt(np.outer(weights, weights))
    lap = np.diag(np.abs(sim).sum(axis=1)) - sim
    lambdas, vecs = np.linalg.eigh(lap)
    hi = min(max_speakers, n - 1)
    lo = min(min_speakers, hi)
    if lo == hi:
        k = max(1, lo)
    else:
        gaps = np.diff(lambdas[max(lo - 1, 0): hi + 1])
        k = int(np.argmax(gaps)) + max(lo, 1)
    if k <= 1:
        return np.zeros(n, dtype=int)
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=k, random_state=0, n_init=10).fit_predict(vecs[:, :k])


def _fold_minor(labels: np.ndarray, x: np.ndarray, min_size: int) -> np.ndarray:
    ids, counts = np.unique(labels, return_counts=True)
    major = ids[counts >= min_size]
    if len(major) == 0 or len(major) == len(ids):
        return labels
    centers = _normalise(np.stack([x[labels == i].mean(0) for i in major]))
    out = labels.copy()
    minor = ~np.isin(labels, major)
    out[minor] = major[np.argmax(_normalise(x[minor]) @ centers.T, axis=1)]
    return out


def _merge_close(labels: np.ndarray, x: np.ndarray, threshold: float, min_speakers: int) -> np.ndarray:
    out = labels.copy()
    while True:
        ids = np.unique(out)
        if len(ids) <= max(1, min_speakers):
            return out
        centers = _normalise(np.stack([x[out == i].mean(0) for i in ids]))
        aff = np.triu(centers @ centers.T, 1)
        i, j = np.unravel_index(np.argmax(aff), aff.shape)
        if aff[i, j] < threshold:
            return out
        out[out == ids[j]] = ids[i]


def cluster_embeddings(x: np.ndarray, *, min_speakers: int = 1, max_speakers: int = 6, merge_threshold: float = 0.875,
                       min_cluster_size: int = 4, max_points: int = 1500, min_points: int = 10) -> np.ndarray:
    """Speaker labels 0..k-1 for embeddings ``x`` (n × d), largest cluster first.

    Args:
        min_speakers / max_speakers: bounds of the automatic count; equal values force it.
        merge_threshold: clusters whose centroids have a cosine above this are one speaker.
        min_cluster_size: clusters with fewer windows are folded into the nearest other.
        max_points: above this many windows, cluster k-means prototypes instead.
        min_points: with fewer windows than this, everything is one speaker (unless a
            count is forced).
    """
    n = x.shape[0]
    if n == 0:
        return np.zeros(0, dtype=int)
    if n < min_points and min_speakers <= 1:
        return np.zeros(n, dtype=int)
    if n < 2:
        return np.zeros(n, dtype=int)
    if n > max_points:
        from sklearn.cluster import MiniBatchKMeans

        km = MiniBatchKMeans(n_clusters=max_points // 3, random_state=0, batch_size=2048, n_init=3)
        proto_of = km.fit_predict(_normalise(x))
        protos = np.stack([x[proto_of == i].mean(0) if np.any(proto_of == i) else km.cluster_centers_[i]
                           for i in range(km.n_clusters)])
        weights = np.bincount(proto_of, minlength=km.n_clusters).astype(float)
        keep = weights > 0
        sub = spectral_labels(protos[keep], min_speakers=min_speakers, max_speakers=max_speakers,
                              weights=weights[keep] / weights[keep].mean())
        full = np.full(km.n_clusters, -1)
        full[np.flatnonzero(keep)] = sub
        labels = full[proto_of]
    else:
        labels = spectral_labels(x, min_speakers=min_speakers, max_speakers=max_speakers)
    labels = _fold_minor(labels, x, min_cluster_size)
    if min_speakers != max_speakers:
        labels = _merge_close(labels, x, merge_threshold, min_speakers)
    # relabel 0..k-1 by size, largest first
    ids, counts = np.unique(labels, return_counts=True)
    order = ids[np.argsort(-counts, kind="stable")]
    remap = {old: new for new, old in enumerate(order)}
    return np.array([remap[v] for v in labels], dtype=int)

"""VBx-style Bayesian clustering of speaker embeddings (numpy only, deterministic).

The model of Landini, Profant, Diez & Burget, "Bayesian HMM clustering of x-vector sequences (VBx) in speaker
diarization" (Computer Speech & Language, 2022), in its mixture form (pyannote 3.x / community-1 run it so,
initialised by agglomerative clustering), with the optional HMM over the time order of the embeddings:

* every embedding ``x_t`` (D-dim) belongs to one of S speakers; speaker ``s`` has a mean ``m_s`` drawn from
  N(0, diag(phi)) and its embeddings scatter around it with identity covariance (the features are scaled so);
* variational Bayes gives the responsibilities ``q`` (T × S) and the speaker weights ``pi``; a speaker the data do
  not need loses its weight (the count is the speakers with weight left), which replaces a fixed size rule;
* ``fa`` scales the embeddings' evidence (they are not independent: overlapping chunks, one talker's runs),
  ``fb`` the prior on the speaker means (larger: speakers must be farther apart to be kept).

There is no PLDA for CAM++ here (and too few labelled development speakers to fit one): the features are the
file's unit embeddings centred on their mean and divided by ``within`` (the median within-speaker standard deviation
per dimension of development speakers), with an isotropic ``phi`` (their between / within variance ratio, about 1;
``benchmarks/r20_vbx_replay.py --stats``). VBx's own length normalisation after centring is optional (``renorm``):
with the file's own mean (VBx uses a global one) it blows a lone talker's noise up to unit length.
No random initialisation: the start is the agglomerative clustering's labels, softened.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class VBxResult:
    """Responsibilities (T × S), speaker weights (S,) and the lower bound of each iteration."""

    q: np.ndarray
    pi: np.ndarray
    elbo: list[float]


def _logsumexp(a: np.ndarray, axis: int) -> np.ndarray:
    m = np.max(a, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    return np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(a - m), axis=axis))


def _forward_backward(log_lik: np.ndarray, log_trans: np.ndarray, log_init: np.ndarray
                      ) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """Posteriors (T × S), log evidence and the forward / backward log messages of an HMM."""
    t_n, s_n = log_lik.shape
    fwd = np.empty((t_n, s_n))
    bwd = np.zeros((t_n, s_n))
    fwd[0] = log_lik[0] + log_init
    for t in range(1, t_n):
        fwd[t] = log_lik[t] + _logsumexp(fwd[t - 1][:, None] + log_trans, axis=0)
    for t in range(t_n - 2, -1, -1):
        bwd[t] = _logsumexp(log_trans + (log_lik[t + 1] + bwd[t + 1])[None, :], axis=1)
    log_px = float(_logsumexp(fwd[-1], axis=0))
    return np.exp(fwd + bwd - log_px), log_px, fwd, bwd


def vbx(x: np.ndarray, phi: np.ndarray, q_init: np.ndarray, *, fa: float = 0.07, fb: float = 0.8,
        loop_p: float = 0.0, max_iters: int = 20, tol: float = 1e-6) -> VBxResult:
    """Variational Bayes over a mixture (``loop_p`` 0) or an HMM (``loop_p`` > 0: the probability that the next
    embedding in time order has the same speaker) of speakers.

    Args:
        x: T × D features (within-speaker covariance about the identity).
        phi: (D,) between-speaker variances of the features.
        q_init: T × S initial responsibilities (rows sum to 1).
        fa / fb: evidence scale and speaker-prior scale.
    """
    t_n, d = x.shape
    q = np.asarray(q_init, dtype=np.float64).copy()
    s_n = q.shape[1]
    pi = np.full(s_n, 1.0 / s_n)
    g = -0.5 * (np.sum(x * x, axis=1, keepdims=True) + d * np.log(2 * np.pi))  # (T, 1)
    rho = x * np.sqrt(phi)  # (T, D)
    elbo: list[float] = []
    with np.errstate(divide="ignore"):
        for it in range(max_iters):
            inv_l = 1.0 / (1.0 + fa / fb * q.sum(axis=0)[:, None] * phi[None, :])  # (S, D) posterior variances
            alpha = fa / fb * inv_l * (q.T @ rho)  # (S, D) posterior means of the speaker factors
            log_lik = fa * (rho @ alpha.T - 0.5 * (inv_l + alpha ** 2) @ phi + g)  # (T, S)
            if loop_p > 0 and t_n > 1:
                trans = np.eye(s_n) * loop_p + (1 - loop_p) * pi[None, :]
                q, log_px, fwd, bwd = _forward_backward(log_lik, np.log(trans), np.log(pi))
                # expected transitions into each speaker, from the "switch" part of the transition
                xi = np.exp(_logsumexp(fwd[:-1], axis=1)[:, None] + np.log(1 - loop_p) + np.log(pi)[None, :]
                            + log_lik[1:] + bwd[1:] - log_px)
                pi = q[0] + xi.sum(axis=0)
            else:
                joint = log_lik + np.log(pi)[None, :]
                norm = _logsumexp(joint, axis=1)
                q = np.exp(joint - norm[:, None])
                log_px = float(norm.sum())
                pi = q.sum(axis=0)
            pi = pi / pi.sum()
            bound = log_px + fb * 0.5 * float(np.sum(np.log(inv_l) - inv_l - alpha ** 2 + 1))
            elbo.append(bound)
            if it > 0 and bound - elbo[-2] < tol:
                break
    return VBxResult(q, pi, elbo)


def features(xn: np.ndarray, within: float, renorm: bool = False) -> np.ndarray:
    """VBx features of unit embeddings: centred on their mean (``renorm``: length normalised again, as VBx does
    with a global mean; with the file's own mean it blows a lone talker's noise up to unit length: every
    embedding then looks like a voice of its own), divided by ``within``."""
    y = xn - xn.mean(axis=0, keepdims=True)
    if renorm:
        y = y / np.maximum(np.linalg.norm(y, axis=1, keepdims=True), 1e-9)
    return y / within


def project(x: np.ndarray, dims: int, phi: float) -> tuple[np.ndarray, np.ndarray]:
    """The features on their ``dims`` principal axes (0: all, unrotated) and the between-speaker variance of each
    axis: ``phi`` > 0 the same on all; ``phi`` <= 0 the axis's variance less the within-speaker variance (1),
    at least ``|phi|`` (at least 0.01) — the file's own spread of voices, in place of a PLDA's."""
    if dims <= 0 and phi > 0:
        return x, np.full(x.shape[1], phi)
    c = x - x.mean(axis=0, keepdims=True)
    _, sv, vt = np.linalg.svd(c, full_matrices=False)
    keep = min(dims, len(sv)) if dims > 0 else len(sv)
    vt = vt[:keep] * np.where(vt[:keep, :1] < 0, -1.0, 1.0)  # a fixed sign per axis: deterministic
    y = x @ vt.T
    if phi > 0:
        return y, np.full(keep, phi)
    var = sv[:keep] ** 2 / max(len(x) - 1, 1)
    return y, np.maximum(var - 1.0, max(-phi, 0.01))


def vbx_labels(xn: np.ndarray, init: np.ndarray, *, within: float, phi: float, fa: float, fb: float,
               loop_p: float = 0.0, smoothing: float = 7.0, min_weight: float = 1e-7, dims: int = 0,
               renorm: bool = False) -> np.ndarray:
    """Cluster ids (0..k-1, in order of the initial clusters) of unit embeddings ``xn`` (T × D) by VBx started
    from the labels ``init``: the speakers whose weight stays above ``min_weight`` are kept, each embedding
    goes to its most responsible kept speaker. ``dims`` / ``phi``: see :func:`project`."""
    n = len(xn)
    k0 = int(init.max()) + 1 if n else 0
    if n < 2 or k0 < 2:
        return np.zeros(n, dtype=int)
    x, phis = project(features(xn, within, renorm), dims, phi)
    onehot = np.zeros((n, k0))
    onehot[np.arange(n), init] = 1.0
    soft = np.exp(smoothing * onehot)  # the initial labels softened (a softmax), as pyannote starts VBx
    res = vbx(x, phis, soft / soft.sum(axis=1, keepdims=True), fa=fa, fb=fb, loop_p=loop_p)
    keep = np.flatnonzero(res.pi > min_weight)
    if len(keep) == 0:
        keep = np.array([int(np.argmax(res.pi))])
    labels = keep[np.argmax(res.q[:, keep], axis=1)]
    _, out = np.unique(labels, return_inverse=True)
    return np.asarray(out, dtype=int)


@dataclass(frozen=True)
class VBxSettings:
    """How :func:`sessionscope.audio.reconstruct.agglomerative` runs VBx: the agglomerative start's distance
    ``threshold`` (unit embeddings, euclidean), the feature scale ``within``, the isotropic between-speaker
    variance ``phi``, ``fa`` / ``fb``, the HMM's ``loop_p`` (0: a mixture) and whether the small-cluster fold
    (``min_cluster_size`` / ``keep_far``) still runs after VBx (``fold``)."""

    threshold: float = 0.72  # the shipped agglomerative threshold: VBx then decides which of its clusters merge
    within: float = 0.033  # median within-speaker s.d. per dimension, development files (r20_vbx_stats.json)
    phi: float = 1.0  # ... between / within variance per dimension there: 0.7-1.3
    fa: float = 0.15  # round 20 development grid: fa / fb 0.19-0.3 never below the shipped count on a set, 0.08 loses far-field voices
    fb: float = 0.8
    loop_p: float = 0.0  # the HMM (0.5, 0.9) did not help on the development sets
    fold: bool = True
    dims: int = 0  # principal axes kept (0: all), see :func:`project`
    renorm: bool = False  # features length-normalised after centring (round 20's first grids; see :func:`features`)

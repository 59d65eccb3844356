"""Windows of utterances, temporal smoothing and topic boundaries (pure numpy, no models).

A single short utterance ("yes, sure") has no topic, so the unit of classification is a
*window*: consecutive utterances gathered until they hold ``min_words`` words (or
``max_utterances`` utterances). Per-window label probabilities are smoothed with an HMM
whose only parameter is the probability of staying in the same label (Viterbi decoding),
so the timeline does not flicker. Independently, semantic shifts are found TextTiling-style
on the window embeddings (depth scores of the similarity between the blocks before and
after each gap); a shift also starts a new segment inside one area.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional

import numpy as np

from sessionscope.model import Utterance
from sessionscope.text import word_count


@dataclass(frozen=True, slots=True)
class Window:
    """Consecutive utterances classified together (indices into the session's utterances)."""

    first: int
    last: int  # inclusive
    text: str
    words: int


def build_windows(utterances: Sequence[Utterance], *, min_words: int = 20, max_utterances: int = 8,
                  sep: str = " ") -> list[Window]:
    """Cut the utterance sequence into consecutive, non-overlapping windows.

    A window closes once it holds ``min_words`` words or ``max_utterances`` utterances; a
    short tail is merged into the previous window so no window is a lone "okay".
    """
    windows: list[Window] = []
    start, words, texts = 0, 0, []
    for i, u in enumerate(utterances):
        texts.append(u.text.strip())
        words += word_count(u.text)
        if words >= min_words or (i - start + 1) >= max_utterances:
            windows.append(Window(start, i, sep.join(t for t in texts if t), words))
            start, words, texts = i + 1, 0, []
    if texts:
        if windows and words < min_words / 2:
            prev = windows.pop()
            tail = sep.join(t for t in texts if t)
            windows.append(Window(prev.first, len(utterances) - 1, f"{prev.text}{sep}{tail}".strip(), prev.words + words))
        else:
            windows.append(Window(start, len(utterances) - 1, sep.join(t for t in texts if t), words))
    return windows


def with_context(P: np.ndarray, *, neighbours: int = 1, weight: float = 0.5) -> np.ndarray:
    """Each row of a probability matrix mixed with its ``neighbours`` on each side, rows re-summed to 1.

    Neighbour ``d`` steps away gets weight ``weight ** d``. Short windows are thus judged
    with the surrounding talk as context, at no extra embedding cost, while boundaries
    keep the fine window granularity. Mixing probabilities rather than embeddings keeps
    it backend-independent (e5 vectors share a large common component, so averaged
    embeddings drift towards one label).
    """
    if neighbours <= 0 or P.shape[0] < 2:
        return P
    out = P.astype(np.float32).copy()
    for d in range(1, min(neighbours, P.shape[0] - 1) + 1):
        w = weight ** d
        out[d:] += w * P[:-d]
        out[:-d] += w * P[d:]
    return out / np.maximum(out.sum(axis=1, keepdims=True), 1e-12)


def viterbi(log_emission: np.ndarray, *, stay: float) -> np.ndarray:
    """Most likely label path under a sticky HMM.

    Args:
        log_emission: ``(n, K)`` log-probabilities of each label per window.
        stay: probability of keeping the same label from one window to the next
            (``1/K`` = no smoothing; close to 1 = very stable timeline).
    """
    n, k = log_emission.shape
    if n == 0:
        return np.zeros(0, dtype=int)
    if k == 1:
        return np.zeros(n, dtype=int)
    stay = min(max(stay, 1e-6), 1 - 1e-6)
    trans = np.full((k, k), np.log((1 - stay) / (k - 1)))
    np.fill_diagonal(trans, np.log(stay))
    score = log_emission[0] - np.log(k)
    back = np.zeros((n, k), dtype=int)
    for t in range(1, n):
        cand = score[:, None] + trans  # from i (rows) to j (cols)
        back[t] = cand.argmax(axis=0)
        score = cand.max(axis=0) + log_emission[t]
    path = np.zeros(n, dtype=int)
    path[-1] = int(score.argmax())
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


def gap_similarity(X: np.ndarray, *, block: int = 3) -> np.ndarray:
    """Cosine between the mean of the ``block`` rows before and after each gap (``n-1`` values)."""
    n = X.shape[0]
    out = np.zeros(max(n - 1, 0), dtype=np.float32)
    for g in range(n - 1):
        left = X[max(0, g + 1 - block):g + 1].mean(axis=0)
        right = X[g + 1:min(n, g + 1 + block)].mean(axis=0)
        out[g] = float(left @ right / max(np.linalg.norm(left) * np.linalg.norm(right), 1e-12))
    return out


def depth_scores(sim: np.ndarray) -> np.ndarray:
    """TextTiling depth: how far each gap's similarity lies below the peaks on both sides."""
    n = len(sim)
    depth = np.zeros(n, dtype=np.float32)
    for g in range(n):
        lp = sim[g]
        i = g
        while i > 0 and sim[i - 1] >= lp:
            i -= 1
            lp = sim[i]
        rp = sim[g]
        j = g
        while j < n - 1 and sim[j + 1] >= rp:
            j += 1
            rp = sim[j]
        depth[g] = (lp - sim[g]) + (rp - sim[g])
    return depth


def shift_boundaries(X: np.ndarray, *, block: int = 3, strength: float = 0.5, min_gap: int = 2) -> list[int]:
    """Gaps (``g`` = boundary between row ``g`` and ``g+1``) where the topic shifts.

    A gap is a boundary when its depth score exceeds ``mean + strength * std`` of all
    depths (TextTiling's relative cut-off, so no cosine threshold is involved) and it is a
    local maximum at least ``min_gap`` rows from the previous boundary.
    """
    if X.shape[0] < 2 * block:
        return []
    depth = depth_scores(gap_similarity(X, block=block))
    cut = depth.mean() + strength * depth.std()
    chosen: list[int] = []
    for g in np.argsort(-depth):
        if depth[g] <= cut or depth[g] <= 1e-6:
            break
        if all(abs(int(g) - c) >= min_gap for c in chosen):
            chosen.append(int(g))
    return sorted(chosen)


def absorb_short_runs(path: np.ndarray, proba: np.ndarray, *, min_len: int, catch_all: Optional[int] = None,
                      protect_below: float = 0.15, keep_edge_above: Optional[float] = None) -> np.ndarray:
    """Relabel runs shorter than ``min_len`` windows with a neighbouring run's label.

    The neighbour whose label the short run's windows find more probable wins. A run
    that is the whole sequence is kept. Repeats until no short run is left.

    ``catch_all``: the index of the catch-all label when a gate already smoothed "small talk
    or work" (``two_level_path`` in the stage): a short run of clear work talk (mean
    catch-all probability below ``protect_below``) is then never relabelled as the
    catch-all, only merged into a neighbouring area; with small talk on both sides it
    stays. Without this, a 4-window presentation between two stretches of equipment
    trouble became small talk on long meetings (``min_len`` grows with their length).
    0.15 was chosen on 40 held-out AMI train meetings (0.25 and "always" kept more work
    segments but lost a quarter of the small-talk recall; docs/benchmarks/topics.md).

    ``keep_edge_above`` (with ``catch_all``): a short catch-all run at the start or the end of
    the sequence whose mean catch-all probability is above this is kept. A session's greeting
    and goodbye are where small talk belongs; with one neighbour only, a one- or two-window
    opening was otherwise always absorbed into the first topic (on long meetings the minimum
    is 5 % of the windows, so even a 5-window opening was). Issue 10, round 6: 0.5 (the gate
    finds it more likely small talk than work), chosen on 40 held-out AMI train meetings
    together with the gate's calibration (docs/benchmarks/topics.md).
    """
    path = np.asarray(path).copy()
    if min_len <= 1 or len(path) == 0:
        return path
    kept: set[tuple[int, int]] = set()
    while True:
        rs = runs(path.tolist())
        short = [(b - a + 1, a, b) for a, b in rs if b - a + 1 < min_len and (a, b) not in kept]
        if not short or len(rs) == 1:
            return path
        _, a, b = min(short)
        cands = []
        if a > 0:
            cands.append(int(path[a - 1]))
        if b < len(path) - 1:
            cands.append(int(path[b + 1]))
        if catch_all is not None and int(path[a]) != catch_all and proba[a:b + 1, catch_all].mean() < protect_below:
            cands = [c for c in cands if c != catch_all]
        if catch_all is not None and keep_edge_above is not None and int(path[a]) == catch_all \
                and (a == 0 or b == len(path) - 1) and proba[a:b + 1, catch_all].mean() > keep_edge_above:
            cands = []
        if not cands:
            kept.add((a, b))
            continue
        path[a:b + 1] = max(cands, key=lambda c: float(proba[a:b + 1, c].sum()))


def runs(labels: Sequence[int], boundaries: Sequence[int] = ()) -> list[tuple[int, int]]:
    """Maximal ``(first, last)`` runs of equal labels, also split after each gap in ``boundaries``."""
    cuts = set(boundaries)
    out: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[i - 1] or (i - 1) in cuts:
            out.append((start, i - 1))
            start = i
    return out


__all__ = [
    "Window", "absorb_short_runs", "build_windows", "depth_scores", "gap_similarity", "runs", "shift_boundaries",
    "viterbi", "with_context",
]

"""Chunk-level speakers → global speakers → who spoke when, with overlap (pure numpy).

The model-free half of the pyannote 3.x recipe (Plaquet & Bredin, "Powerset multi-class
cross entropy loss for neural speaker diarization", Interspeech 2023; Bredin,
"pyannote.audio 2.1 speaker diarization pipeline", Interspeech 2023):

1. a segmentation model gives, for each sliding chunk, up to three *local* speakers
   with a per-frame activity (``binarized``: chunks × frames × local speakers);
2. each local speaker gets one speaker embedding (elsewhere);
3. :func:`cluster_local_speakers` clusters the embeddings of local speakers with enough
   clean speech (agglomerative, centroid linkage, cosine threshold = the automatic
   speaker count, at least :func:`distinct_local_speakers`), then assigns *every* active local speaker of each chunk to a global
   cluster with the Hungarian algorithm, so two local speakers of one chunk never become
   the same global speaker (except a left-over local speaker, when there are more local
   than global speakers: it joins its nearest global voice, so no speech the segmentation
   found is dropped);
4. :func:`reconstruct` sums the chunks' activities per global speaker on a global frame
   grid, estimates how many people speak in each frame (the weighted mean of the number
   of active local speakers), keeps that many most active speakers per frame and turns
   runs of frames into (possibly overlapping) speaker turns.

Everything is deterministic: no random initialisation anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sessionscope.audio.vbx import VBxSettings


@dataclass(frozen=True)
class LocalSegmentation:
    """Per-chunk local speaker activity.

    Attributes:
        starts: chunk start times in seconds (C,).
        binarized: 0/1 activity, chunks × frames × local speakers (C, F, S).
        frame_step: seconds between frames.
        frame_offset: seconds from a chunk start to its first frame's centre.
        duration: length of the recording in seconds.
        extra: second local speakers the argmax left out (C × F × S of the unsplit local speakers), kept aside
            for the turns only (:func:`with_extra`; round 26, opt-in), or None.
    """

    starts: np.ndarray
    binarized: np.ndarray
    frame_step: float
    frame_offset: float
    duration: float
    extra: np.ndarray | None = None

    @property
    def n_global_frames(self) -> int:
        return int(np.ceil(self.duration / self.frame_step)) + 1

    def first_frame(self, c: int) -> int:
        """Index on the global grid of chunk ``c``'s first frame."""
        return int(round(float(self.starts[c]) / self.frame_step))


def split_runs(seg: LocalSegmentation, *, min_gap_s: float = 0.5) -> tuple[LocalSegmentation, np.ndarray]:
    """Each local speaker's runs of activity (separated by pauses of at least ``min_gap_s``) as their own slots.

    The segmentation model sometimes gives two real speakers of a chunk one local label
    (similar voices, short pauses); embedding and clustering each run on its own lets
    the clustering tell them apart. Returns the split segmentation (C × F × R) and the
    original local speaker of every slot (C × R, -1 for empty slots).
    """
    c_n, f_n, s_n = seg.binarized.shape
    gap = max(1, int(round(min_gap_s / seg.frame_step)))
    per_chunk: list[list[tuple[int, int, int]]] = []  # (local speaker, first, last+1)
    for ci in range(c_n):
        runs: list[tuple[int, int, int]] = []
        for k in range(s_n):
            runs.extend((k, a, b) for a, b in _runs(seg.binarized[ci, :, k].astype(bool), gap - 1))
        per_chunk.append(runs)
    r_n = max([len(r) for r in per_chunk] + [1])
    out = np.zeros((c_n, f_n, r_n), dtype=np.uint8)
    origin = np.full((c_n, r_n), -1, dtype=int)
    for ci, runs in enumerate(per_chunk):
        for r, (k, a, b) in enumerate(runs):
            out[ci, a:b, r] = seg.binarized[ci, a:b, k]
            origin[ci, r] = k
    return LocalSegmentation(seg.starts, out, seg.frame_step, seg.frame_offset, seg.duration), origin


def with_extra(seg: LocalSegmentation, origin: np.ndarray, clusters: np.ndarray, extra: np.ndarray) -> LocalSegmentation:
    """``seg`` (slots of clustered runs) with the stretches of ``extra`` (C × F × local speakers, e.g.
    :func:`sessionscope.audio.segmentation.added_overlap`'s) added to the slot of the same local speaker in the same
    chunk nearest in time that has a voice (``clusters`` ≥ 0); a stretch whose local speaker has no such slot in its
    chunk is dropped (no voice to give it). The runs were clustered without them: only the turns change."""
    out = seg.binarized.copy()
    t = np.arange(out.shape[1])
    for ci in range(out.shape[0]):
        for k in range(extra.shape[2]):
            col = extra[ci, :, k].astype(bool)
            if not col.any():
                continue
            slots = [r for r in np.flatnonzero((origin[ci] == k) & (clusters[ci] >= 0)) if out[ci, :, r].any()]
            if not slots:
                continue
            for a, b in _runs(col, 0):
                mid = (a + b - 1) / 2
                r = min(slots, key=lambda r: float(np.min(np.abs(t[out[ci, :, r].astype(bool)] - mid))))
                out[ci, a:b, r] = 1
    return LocalSegmentation(seg.starts, out, seg.frame_step, seg.frame_offset, seg.duration)


def unsplit_origin(seg: LocalSegmentation) -> np.ndarray:
    """The origin (C × S) of a segmentation that :func:`split_runs` did not split: each slot is its own local speaker."""
    return np.tile(np.arange(seg.binarized.shape[2]), (len(seg.starts), 1))


def _normalise(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-9)


def agglomerative(x: np.ndarray, *, threshold: float, min_clusters: int = 1, max_clusters: int = 20,
                  min_cluster_size: int = 1, keep_far: float = 0.0, support: np.ndarray | None = None,
                  vbx: VBxSettings | None = None) -> np.ndarray:
    """Cluster ids 0..k-1 (largest first) of embeddings ``x`` (n × d).

    Centroid linkage on length-normalised embeddings; clusters are merged while their
    centroids are closer than ``threshold`` in euclidean distance (on unit vectors
    d = sqrt(2 - 2 cos): 0.8 ≈ cosine 0.68). The count is then kept within
    ``[min_clusters, max_clusters]``; clusters with fewer than ``min_cluster_size``
    members are given to the nearest large cluster (all become one when none is large:
    a voice needs that many embeddings to count), unless ``keep_far`` > 0 and the small
    cluster's centroid is farther than ``keep_far`` from every large one (a rarely speaking
    participant: few embeddings, but a voice unlike the others). When that leaves fewer than
    ``min_clusters``, the embeddings are cut into exactly ``min_clusters`` (average linkage).
    ``support``: embeddings that are not clustered (runs too short to take part) but count towards the size
    of the cluster whose centroid is nearest, so a voice heard once at length and a few times briefly is
    not folded away as a one-run cluster.
    ``vbx``: the count by VBx (:mod:`sessionscope.audio.vbx`) started from the clusters at ``vbx.threshold``
    instead of the cut at ``threshold``; the bounds then apply as above, the small-cluster fold only with
    ``vbx.fold``. ``vbx.threshold`` 0: VBx starts from the clusters above (cut, bounds, fold) and can only
    merge them (down to ``min_clusters``).
    """
    from sessionscope.audio.hierarchy import fcluster_distance, linkage

    n = len(x)
    if n == 0:
        return np.zeros(0, dtype=int)
    if n == 1:
        return np.zeros(1, dtype=int)
    xn = _normalise(np.asarray(x, dtype=np.float64))
    tree = linkage(xn, "centroid")
    after = vbx is not None and vbx.threshold <= 0  # VBx refines the shipped clusters (it can only merge them)
    if vbx is None or after:
        labels = fcluster_distance(tree, threshold) - 1  # SciPy's centroid linkage, same labels
    else:
        labels = _vbx(xn, fcluster_distance(tree, vbx.threshold) - 1, vbx)
        if not vbx.fold:
            min_cluster_size, keep_far = 1, 0.0
    k = len(np.unique(labels))
    hi = min(max_clusters, n)
    lo = min(max(1, min_clusters), hi)
    if k > hi or k < lo:
        labels = _cut(xn, hi if k > hi else lo)
    extra = None if support is None or len(support) == 0 else _normalise(np.asarray(support, dtype=np.float64))
    labels = _fold_small(labels, xn, min_cluster_size, keep_far, extra)
    if after and vbx is not None:
        labels = _vbx(xn, _by_size(labels), vbx)
    if len(np.unique(labels)) < lo:
        labels = _cut(xn, lo)
    return _by_size(labels)


def _vbx(xn: np.ndarray, init: np.ndarray, vbx: VBxSettings) -> np.ndarray:
    from sessionscope.audio.vbx import vbx_labels

    return vbx_labels(xn, init, within=vbx.within, phi=vbx.phi, fa=vbx.fa, fb=vbx.fb, loop_p=vbx.loop_p, dims=vbx.dims,
                      renorm=vbx.renorm)


def _cut(xn: np.ndarray, k: int) -> np.ndarray:
    """Exactly ``k`` clusters: centroid linkage is not monotone (its maxclust may give fewer
    clusters), average linkage is."""
    from sessionscope.audio.hierarchy import fcluster_maxclust, linkage

    return np.asarray(fcluster_maxclust(linkage(xn, "average"), k) - 1)


def _fold_small(labels: np.ndarray, xn: np.ndarray, min_size: int, keep_far: float = 0.0,
                support: np.ndarray | None = None) -> np.ndarray:
    """Clusters of fewer than ``min_size`` members joined to the nearest large one; one cluster when none is large.
    ``keep_far`` > 0: a small cluster whose centroid is farther than this (euclidean, unit vectors) from every
    large cluster's centroid stays a voice of its own. ``support``: unit embeddings that each add one to the
    size of the cluster whose centroid is nearest."""
    ids, counts = np.unique(labels, return_counts=True)
    if support is not None and len(ids) > 1:
        cents = _normalise(np.stack([xn[labels == i].mean(0) for i in ids]))
        counts = counts + np.bincount(np.argmax(support @ cents.T, axis=1), minlength=len(ids))
    large = ids[counts >= min_size]
    if keep_far > 0 and 0 < len(large) < len(ids):
        big = _normalise(np.stack([xn[labels == i].mean(0) for i in large]))
        far = [i for i in ids[counts < min_size]
               if np.min(np.linalg.norm(big - _normalise(xn[labels == i].mean(0)), axis=1)) > keep_far]
        large = np.sort(np.concatenate([large, np.asarray(far, dtype=large.dtype)]))
    if len(large) == len(ids):
        return labels
    if len(large) == 0:
        return np.zeros_like(labels)
    centres = _normalise(np.stack([xn[labels == i].mean(0) for i in large]))
    out = labels.copy()
    small = ~np.isin(labels, large)
    out[small] = large[np.argmax(xn[small] @ centres.T, axis=1)]
    return out


def distinct_local_speakers(seg: LocalSegmentation, origin: np.ndarray, embeddings: np.ndarray, usable: np.ndarray, *,
                            min_s: float, distance: float) -> int:
    """A lower bound on the number of people: the most local speakers that one chunk holds, each
    active for at least ``min_s`` seconds, that are not possibly one voice.

    The segmentation model separates the voices of a 10 s chunk by itself, without
    embeddings; on far-field audio it is more reliable than the embeddings of short
    stretches, whose same-speaker distances reach the different-speaker ones (development
    AMI excerpts: mean 0.89-0.97 against 1.03-1.06). But it also splits a continuous talker
    into two local speakers now and then, so two local speakers whose embeddings are both
    present and closer than ``distance`` count as one voice. ``origin``: the local speaker
    of each slot (:func:`split_runs`).
    """
    import itertools

    if not usable.any():
        return 0
    xn = _normalise(embeddings.astype(np.float64))
    seconds = seg.binarized.sum(axis=1) * seg.frame_step  # (C, slots)
    best = 1
    for ci in range(len(seg.starts)):
        voices: list[np.ndarray | None] = []
        for k in np.unique(origin[ci][origin[ci] >= 0]):
            slots = origin[ci] == k
            if seconds[ci, slots].sum() < min_s:
                continue
            emb = usable[ci] & slots
            voices.append(_normalise(xn[ci, emb].mean(0)) if emb.any() else None)
        for n in range(len(voices), best, -1):
            if any(all(a is None or b is None or float(np.linalg.norm(a - b)) > distance
                       for a, b in itertools.combinations(group, 2)) for group in itertools.combinations(voices, n)):
                best = n
                break
    return best


def _by_size(labels: np.ndarray) -> np.ndarray:
    ids, counts = np.unique(labels, return_counts=True)
    order = ids[np.lexsort((ids, -counts))]
    remap = np.zeros(ids.max() + 1, dtype=int)
    remap[order] = np.arange(len(order))
    return remap[labels]


@dataclass(frozen=True)
class Assignment:
    """Global cluster of each (chunk, local speaker); -1 = inactive or left out."""

    clusters: np.ndarray  # (C, S) int
    centroids: np.ndarray  # (K, d) unit vectors
    similarity: np.ndarray  # (C, S) cosine to the assigned centroid (nan when unassigned)
    n_trained: int  # local speakers that took part in the clustering


def cluster_local_speakers(embeddings: np.ndarray, usable: np.ndarray, trainable: np.ndarray, *, threshold: float,
                           min_clusters: int = 1, max_clusters: int = 20, min_cluster_size: int = 1,
                           activity: np.ndarray | None = None, short_voices: bool = True, keep_far: float = 0.0,
                           fold_support: bool = False, vbx: VBxSettings | None = None) -> Assignment:
    """Global speakers for local speakers.

    Args:
        embeddings: (C, S, d) one embedding per chunk and local speaker.
        usable: (C, S) bool, the local speaker is active and has an embedding.
        trainable: (C, S) bool, ... with enough clean speech to take part in clustering.
        threshold / min_clusters / max_clusters / min_cluster_size: see :func:`agglomerative`.
        activity: (C, F, S) local activity. Given, only local speakers active at the same
            time must get different global speakers (runs of one speaker split into slots
            may share one); without it, all local speakers of a chunk must differ.
        short_voices: when fewer local speakers are ``trainable`` than ``min_clusters`` (the voices the
            segmentation told apart in one chunk), every usable one takes part in the clustering: in sparse
            far-field speech (short utterances) few or no voices have a second of clean speech, and clustering
            those few alone gave one speaker whatever the count (off: only when none is trainable).
        keep_far: see :func:`agglomerative`.
        fold_support: the usable local speakers left out of the clustering count towards the size of their
            nearest cluster before small clusters are folded (``support`` of :func:`agglomerative`).
        vbx: the count by VBx (see :func:`agglomerative`); None: the agglomerative cut.
    """
    c, s, d = embeddings.shape
    train = trainable & usable
    if train.sum() < (max(1, min_clusters) if short_voices else 1):
        train = usable.copy()  # fewer long stretches than the voices the segmentation tells apart: the short ones too
    clusters = np.full((c, s), -1, dtype=int)
    sim = np.full((c, s), np.nan)
    if not train.any():
        return Assignment(clusters, np.zeros((0, d)), sim, 0)
    xn = _normalise(embeddings.astype(np.float64))
    labels = agglomerative(xn[train], threshold=threshold, min_clusters=min_clusters, max_clusters=max_clusters,
                           min_cluster_size=min_cluster_size, keep_far=keep_far,
                           support=xn[usable & ~train] if fold_support else None, vbx=vbx)
    k = int(labels.max()) + 1
    centroids = _normalise(np.stack([xn[train][labels == j].mean(0) for j in range(k)]))
    for ci in range(c):
        locals_ = np.flatnonzero(usable[ci])
        if len(locals_) == 0:
            continue
        score = xn[ci, locals_] @ centroids.T  # (active local, K)
        if activity is None:
            groups = [list(range(len(locals_)))]
        else:
            a = activity[ci][:, locals_].astype(bool)
            groups = _coactive_groups(a)
        for g in groups:
            _assign_group(score, g, locals_, clusters[ci], sim[ci])
    return Assignment(clusters, centroids, sim, int(train.sum()))


def _coactive_groups(a: np.ndarray) -> list[list[int]]:
    """Connected groups of slots that are active in some common frame (F × n bool)."""
    n = a.shape[1]
    co = (a.T.astype(np.int32) @ a.astype(np.int32)) > 0
    seen, out = set(), []
    for i in range(n):
        if i in seen:
            continue
        stack, comp = [i], []
        seen.add(i)
        while stack:
            j = stack.pop()
            comp.append(j)
            for m in np.flatnonzero(co[j]).tolist():
                if m not in seen:
                    seen.add(m)
                    stack.append(m)
        out.append(sorted(comp))
    return out


def _assign_group(score: np.ndarray, group: list[int], locals_: np.ndarray, clusters: np.ndarray, sim: np.ndarray) -> None:
    """Hungarian assignment of co-active slots to distinct global speakers; a left-over slot (more
    slots than speakers) joins its nearest voice: its speech is kept, never dropped (the segmentation split
    one talker, or a voice that the clustering folded; dropping it lost the whole run, overlapped or not)."""
    from sessionscope.audio.hierarchy import linear_sum_assignment

    sub = score[group]
    rows, cols = linear_sum_assignment(-sub)
    for r, col in zip(rows, cols, strict=True):
        clusters[locals_[group[r]]] = col
        sim[locals_[group[r]]] = sub[r, col]
    for r in sorted(set(range(len(group))) - set(rows.tolist())):
        col = int(np.argmax(sub[r]))
        clusters[locals_[group[r]]] = col
        sim[locals_[group[r]]] = sub[r, col]


def reconstruct(seg: LocalSegmentation, clusters: np.ndarray, n_clusters: int, *, weights: np.ndarray | None = None,
                min_on: float = 0.0, min_off: float = 0.0, max_count: int | None = None, overlap_bias: float = 0.0
                ) -> list[tuple[float, float, int]]:
    """(start, end, cluster) turns, possibly overlapping, from clustered local activity.

    Args:
        seg: the local segmentation (binarized activity).
        clusters: (C, S) global cluster of each local speaker (-1: dropped).
        n_clusters: number of global clusters.
        weights: per-frame weight inside a chunk (F,), e.g. a Hamming window that trusts
            chunk centres more than edges (default: uniform).
        min_on: turns shorter than this are dropped.
        min_off: gaps shorter than this within one speaker are filled.
        max_count: cap of simultaneous speakers per frame (default: the model's local maximum).
        overlap_bias: a frame whose mean local count rounds to 1 counts 2 speakers where that mean is at least
            1.5 - ``overlap_bias`` (0: off; more of the chunks' overlap kept, no new speech frames; round 26, opt-in).
    """
    c, f, s = seg.binarized.shape
    n = seg.n_global_frames + f
    w = np.ones(f) if weights is None else np.asarray(weights, dtype=np.float64)
    act = np.zeros((n, max(n_clusters, 1)))
    count = np.zeros(n)
    cover = np.zeros(n)
    for ci in range(c):
        g0 = seg.first_frame(ci)
        b = seg.binarized[ci].astype(np.float64)  # (F, S)
        count[g0:g0 + f] += b.sum(axis=1) * w
        cover[g0:g0 + f] += w
        for k in range(s):
            j = clusters[ci, k]
            if j >= 0:
                act[g0:g0 + f, j] += b[:, k] * w  # summed activity
    n_frames = min(n, seg.n_global_frames)
    act, count, cover = act[:n_frames], count[:n_frames], cover[:n_frames]
    mean_count = np.where(cover > 0, count / np.maximum(cover, 1e-9), 0.0)
    k_frame = np.floor(mean_count + 0.5).astype(int)  # round half up, deterministic
    if overlap_bias > 0:
        k_frame[(k_frame == 1) & (mean_count >= 1.5 - overlap_bias)] = 2
    k_frame = np.minimum(k_frame, max_count if max_count is not None else s)
    k_frame = np.minimum(k_frame, n_clusters)
    chosen = np.zeros_like(act, dtype=bool)
    if n_clusters > 0:
        order = np.argsort(-act, axis=1, kind="stable")
        for rank in range(min(n_clusters, int(k_frame.max(initial=0)))):
            rows = np.flatnonzero(k_frame > rank)
            cols = order[rows, rank]
            ok = act[rows, cols] > 0
            chosen[rows[ok], cols[ok]] = True
    turns: list[tuple[float, float, int]] = []
    step = seg.frame_step
    for j in range(n_clusters):
        for a, b in _runs(chosen[:, j], int(round(min_off / step))):
            start = max(0.0, a * step + seg.frame_offset - step / 2)
            end = min(seg.duration, b * step + seg.frame_offset - step / 2)
            if end - start >= max(min_on, 1e-6):
                turns.append((round(start, 3), round(end, 3), j))
    turns.sort(key=lambda t: (t[0], t[2]))
    return turns


def _runs(mask: np.ndarray, fill: int) -> list[tuple[int, int]]:
    """(first, last+1) frame runs of True, with gaps of at most ``fill`` frames filled."""
    if not mask.any():
        return []
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
    out: list[tuple[int, int]] = []
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        if out and a - out[-1][1] <= fill:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def frame_db(samples: np.ndarray, *, hop: int = 160, block: int = 60000) -> np.ndarray:
    """RMS level (dBFS) of consecutive ``hop``-sample frames (10 ms at 16 kHz), computed in blocks of
    ``block`` frames (no float64 copy of a long recording)."""
    n = len(samples) // hop
    out = np.empty(n)
    frames = samples[: n * hop].reshape(n, hop)
    for a in range(0, n, block):
        part = frames[a:a + block]
        out[a:a + len(part)] = np.einsum("ij,ij->i", part, part, dtype=np.float64) / hop
    return 10 * np.log10(out + 1e-12)


@dataclass(frozen=True)
class LevelEdges:
    """Settings of :func:`level_edges` (round 24, docs/benchmarks/audio.md "talk share")."""

    extend_s: float = 0.8  # a turn edge grows by at most this much (0: off); 0.5 s at 0.2 measured too (round 24)
    share: float = 0.15  # ... into frames at least this far from the floor to the voice's level
    carve_s: float = 0.0  # quiet stretches of at least this length inside a turn are cut out (0: off)
    carve_share: float = 0.3  # ... quiet = under this far from the floor to the voice's level
    min_solo_s: float = 5.0  # a voice with less speech alone than this keeps its turns (its level is not known)
    min_floor_s: float = 2.0  # a recording with less time outside all turns keeps its turns (no floor known)
    level_q: float = 90.0  # the voice's level: this percentile of its frames' levels where it speaks alone

    @property
    def on(self) -> bool:
        return self.extend_s > 0 or self.carve_s > 0


def level_edges(turns: list[tuple[float, float, int]], db: np.ndarray, *, frame_s: float = 0.01,
                settings: LevelEdges = LevelEdges()) -> list[tuple[float, float, int]]:
    """Turn edges set by each voice's own level (who loses talk time at the boundaries, round 24).

    The segmentation network misses the quiet onsets and phrase ends of a voice recorded with its own
    background noise or a soft delivery, and widens the edges of a clean voice: talk shares then favour
    the clean voice (docs/benchmarks/audio.md). Here each voice's level is measured where it speaks alone
    (``settings.level_q`` percentile of the 10 ms levels ``db``), the recording's floor where nobody does
    (median), and

    * a turn edge grows, by at most ``extend_s``, over adjacent frames at least ``share`` of the way from
      the floor to that voice's level where no other voice speaks (a quiet tail of *this* voice), and at
      most to the middle of a gap up to another voice's turn (never into an overlap of its own making);
    * with ``carve_s`` > 0, a stretch of at least ``carve_s`` inside a turn quieter than ``carve_share`` of
      the way is cut out (a pause, not talk).

    A voice with under ``min_solo_s`` of speech alone, or a recording with under ``min_floor_s`` outside all
    turns, is left as it is. Turns of one voice that come to touch are joined. Deterministic, pure numpy.
    """
    if not turns or not settings.on:
        return list(turns)
    n = len(db)
    voices = sorted({j for *_, j in turns})
    act = np.zeros((len(voices), n), dtype=bool)
    row = {j: i for i, j in enumerate(voices)}
    for s, e, j in turns:
        act[row[j], _frame(s, frame_s, n):_frame(e, frame_s, n)] = True
    count = act.sum(axis=0)
    off = count == 0
    if off.sum() * frame_s < settings.min_floor_s:
        return list(turns)
    floor = float(np.median(db[off]))
    out: list[tuple[float, float, int]] = []
    for j in voices:
        mine = sorted((s, e) for s, e, x in turns if x == j)
        i = row[j]
        solo = act[i] & (count == 1)
        level = float(np.percentile(db[solo], settings.level_q)) if solo.sum() * frame_s >= settings.min_solo_s else floor
        if level > floor:
            others = (count - act[i]) > 0
            if settings.extend_s > 0:
                free = (db >= floor + settings.share * (level - floor)) & ~others & ~act[i]
                mine = _grow(mine, free, np.flatnonzero(others), int(round(settings.extend_s / frame_s)), frame_s)
            if settings.carve_s > 0:
                quiet = db < floor + settings.carve_share * (level - floor)
                mine = _carve(mine, quiet, int(round(settings.carve_s / frame_s)), frame_s)
        out += [(s, e, j) for s, e in _join(mine)]
    out.sort(key=lambda t: (t[0], t[2]))
    return out


def _frame(t: float, frame_s: float, n: int) -> int:
    return min(n, max(0, int(round(t / frame_s))))


def _grow(spans: list[tuple[float, float]], free: np.ndarray, busy: np.ndarray, reach: int, frame_s: float
          ) -> list[tuple[float, float]]:
    """Each span's edges moved over adjacent ``free`` frames, by at most ``reach`` frames and at most to the
    middle of the gap up to the nearest ``busy`` frame (another voice's)."""
    n = len(free)
    out = []
    for s, e in spans:
        a, b = _frame(s, frame_s, n), _frame(e, frame_s, n)
        p = int(np.searchsorted(busy, a)) - 1
        back = min(reach, (a - int(busy[p]) - 1) // 2) if p >= 0 else reach
        q = int(np.searchsorted(busy, b))
        ahead = min(reach, (int(busy[q]) - b + 1) // 2) if q < len(busy) else reach
        k = a
        while k > 0 and a - k < back and free[k - 1]:
            k -= 1
        m = b
        while m < n and m - b < ahead and free[m]:
            m += 1
        out.append((round(k * frame_s, 3) if k < a else s, round(m * frame_s, 3) if m > b else e))
    return out


def _carve(spans: list[tuple[float, float]], quiet: np.ndarray, need: int, frame_s: float) -> list[tuple[float, float]]:
    """Each span with its ``quiet`` runs of at least ``need`` frames cut out (runs at its edges are kept)."""
    n = len(quiet)
    out = []
    for s, e in spans:
        a, b = _frame(s, frame_s, n), _frame(e, frame_s, n)
        start = s
        for qa, qb in _runs(quiet[a:b], 0):
            if qa > 0 and a + qb < b and qb - qa >= need:
                out.append((start, round((a + qa) * frame_s, 3)))
                start = round((a + qb) * frame_s, 3)
        out.append((start, e))
    return [(x, y) for x, y in out if y > x]


def _join(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sorted spans with touching or overlapping ones joined."""
    joined: list[tuple[float, float]] = []
    for s, e in sorted(spans):
        if joined and s <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], e))
        else:
            joined.append((s, e))
    return joined

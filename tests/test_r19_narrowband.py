"""Telephone-band audio gets its own transcription VAD threshold (round 19; no models)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sessionscope.audio import asr
from sessionscope.audio.decode import NARROWBAND_DB, SAMPLE_RATE, high_band_db, is_narrowband, load_audio
from sessionscope.config import AsrConfig


def _band_noise(seconds: float, lo_hz: float, hi_hz: float, seed: int = 0) -> np.ndarray:
    """White noise kept only between ``lo_hz`` and ``hi_hz`` (an FFT brick-wall filter), at about -20 dBFS."""
    n = int(seconds * SAMPLE_RATE)
    spec = np.fft.rfft(np.random.default_rng(seed).normal(0.0, 1.0, n))
    f = np.fft.rfftfreq(n, 1 / SAMPLE_RATE)
    spec[(f < lo_hz) | (f > hi_hz)] = 0.0
    x = np.fft.irfft(spec, n)
    return (0.1 * x / np.sqrt(np.mean(x**2))).astype(np.float32)


def _bursts(x: np.ndarray) -> np.ndarray:
    """Speech-like on/off: every other 0.5 s at a tenth of the level, so the loudest frames are the 'speech'."""
    env = np.where((np.arange(len(x)) // (SAMPLE_RATE // 2)) % 2 == 0, 1.0, 0.1).astype(np.float32)
    return x * env


def test_telephone_band_is_narrowband_and_wideband_is_not() -> None:
    phone = _bursts(_band_noise(10, 300, 3400))
    wide = _bursts(_band_noise(10, 100, 7800))
    assert high_band_db(phone) < NARROWBAND_DB < high_band_db(wide)
    assert is_narrowband(phone) and not is_narrowband(wide)


def test_speech_with_little_high_band_energy_stays_wideband() -> None:
    # energy above 4.3 kHz 40 dB under the low band (a muffled wideband recording): not a telephone line
    x = _bursts(_band_noise(10, 100, 3800) + 0.01 * _band_noise(10, 4300, 7800, seed=1))
    assert -45 < high_band_db(x) < -35
    assert not is_narrowband(x)


def test_silence_and_short_clips_are_not_narrowband() -> None:
    assert high_band_db(np.zeros(SAMPLE_RATE * 5, dtype=np.float32)) == 0.0
    assert high_band_db(np.ones(100, dtype=np.float32)) == 0.0
    assert not is_narrowband(np.zeros(SAMPLE_RATE * 5, dtype=np.float32))


def test_the_vad_threshold_follows_the_band() -> None:
    phone = _bursts(_band_noise(10, 300, 3400))
    wide = _bursts(_band_noise(10, 100, 7800))
    cfg = AsrConfig()
    assert (cfg.vad_threshold, cfg.vad_threshold_narrowband) == (0.5, 0.3)
    assert asr.vad_threshold_for(phone, cfg) == 0.3
    assert asr.vad_threshold_for(wide, cfg) == 0.5
    off = AsrConfig(vad_threshold_narrowband=None)
    assert asr.vad_threshold_for(phone, off) == 0.5
    assert asr.vad_parameters(cfg, 0.3)["threshold"] == 0.3
    assert asr.vad_parameters(cfg)["threshold"] == 0.5


def test_the_narrowband_threshold_is_part_of_the_cache_key_and_validated() -> None:
    assert asr.asr_params(AsrConfig())["vad_threshold_narrowband"] == 0.3
    assert asr.asr_params(AsrConfig(vad_threshold_narrowband=None))["vad_threshold_narrowband"] is None
    with pytest.raises(ValueError):
        AsrConfig(vad_threshold_narrowband=1.5)


def test_real_recordings_fall_on_the_right_side_of_the_line(shared_data) -> None:
    """pyannote's sample is a real telephone call; the AMI excerpts, the Russian clips and the examples are wideband."""
    assert is_narrowband(load_audio(shared_data / "pyannote-sample" / "sample.wav").mono)
    wideband = [shared_data / "pyannote-ami-excerpts" / "dev00.wav", shared_data / "ru-silero-unlabeled" / "ru.wav",
                *sorted((Path(__file__).resolve().parents[1] / "examples").glob("*/recording.ogg"))]
    for path in wideband:
        assert high_band_db(load_audio(path).mono) > NARROWBAND_DB + 10, path

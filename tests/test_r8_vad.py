"""The transcription's VAD: a levelled copy of the audio for Silero, the configured VAD options (model-free)."""

from __future__ import annotations

import numpy as np

from sessionscope.audio.decode import SAMPLE_RATE, VAD_RMS, vad_level
from sessionscope.config import AsrConfig


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def test_vad_level_brings_each_block_to_the_target_and_leaves_the_input_alone():
    rng = np.random.default_rng(0)
    quiet = (rng.standard_normal(2 * SAMPLE_RATE) * 0.002).astype(np.float32)
    loud = (rng.standard_normal(2 * SAMPLE_RATE) * 0.2).astype(np.float32)
    x = np.concatenate([quiet, loud])
    before = x.copy()
    y = vad_level(x, block_s=2.0)
    assert y.dtype == np.float32 and y.shape == x.shape
    np.testing.assert_array_equal(x, before)  # the samples transcribed are untouched
    assert abs(_rms(y[: 2 * SAMPLE_RATE]) - VAD_RMS) < 1e-3  # the quiet block raised by ~28 dB
    assert abs(_rms(y[2 * SAMPLE_RATE :]) - VAD_RMS) < 1e-3  # the loud one lowered
    # one block over the whole: a single gain, the quiet part stays quieter than the loud one
    z = vad_level(x, block_s=4.0)
    assert _rms(z[: 2 * SAMPLE_RATE]) < 0.1 * _rms(z[2 * SAMPLE_RATE :])


def test_vad_level_leaves_digital_silence_and_clips():
    silence = np.zeros(SAMPLE_RATE, dtype=np.float32)
    np.testing.assert_array_equal(vad_level(silence), silence)
    spike = np.zeros(SAMPLE_RATE, dtype=np.float32)
    spike[::1000] = 0.01  # sparse clicks: a gain that would push the peaks past full scale
    assert np.abs(vad_level(spike)).max() <= 1.0


def test_vad_parameters_follow_the_config_and_enter_the_cache_key(monkeypatch):
    from sessionscope.audio import asr

    cfg = AsrConfig(vad_threshold=0.3, vad_min_silence_ms=500, vad_speech_pad_ms=200)
    assert asr.vad_parameters(cfg) == {"threshold": 0.3, "min_silence_duration_ms": 500, "speech_pad_ms": 200}
    monkeypatch.setattr("sessionscope.models.resolve_whisper", lambda *a, **k: "/nowhere")
    keys = [asr.asr_params(AsrConfig(vad_normalise=v)) for v in (True, False)]
    assert keys[0] != keys[1] and keys[0]["vad_normalise"] is True
    assert asr.asr_params(cfg)["vad_threshold"] == 0.3


def test_defaults_are_the_batched_pipelines_own_but_the_levelled_input():
    cfg = AsrConfig()
    assert (cfg.vad_threshold, cfg.vad_min_silence_ms, cfg.vad_speech_pad_ms) == (0.5, 160, 400)


def test_recorded_vad_feeds_the_levelled_copy_to_silero_and_records_its_regions(monkeypatch):
    import faster_whisper.transcribe as fwt

    from sessionscope.audio.asr import recorded_vad

    seen: list[float] = []

    def fake(audio, *args, **kwargs):
        seen.append(_rms(audio))
        return [{"start": 16000, "end": 32000}]

    monkeypatch.setattr(fwt, "get_speech_timestamps", fake)
    quiet = (np.random.default_rng(1).standard_normal(3 * SAMPLE_RATE) * 0.001).astype(np.float32)
    for level in (False, True):
        with recorded_vad(level=level) as speech:
            fwt.get_speech_timestamps(quiet, None)
        assert speech == [(1.0, 2.0)]
    assert abs(seen[0] - _rms(quiet)) < 1e-6 and abs(seen[1] - VAD_RMS) < 1e-3
    assert fwt.get_speech_timestamps is fake  # put back

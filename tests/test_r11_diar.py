"""Issue 11, round 11 (diar): the diarization's filterbank computed with numpy, all frames at once; ``run``'s
text stages built beside the transcription instead of before the audio."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from sessionscope.config import Config


def _kaldi_native(samples: np.ndarray) -> np.ndarray:
    """The frames ``kaldi-native-fbank`` computes with the settings the diarization used before (the reference)."""
    knf = pytest.importorskip("kaldi_native_fbank")
    opts = knf.FbankOptions()
    opts.frame_opts.dither = 0.0
    opts.frame_opts.samp_freq = 16000
    opts.mel_opts.num_bins = 80
    fb = knf.OnlineFbank(opts)
    fb.accept_waveform(16000, samples * np.float32(32768.0))
    fb.input_finished()
    n = fb.num_frames_ready
    return np.asarray([fb.get_frame(i) for i in range(n)], dtype=np.float32).reshape(n, 80)


def test_fbank_matches_kaldi_native_fbank_on_real_speech(shared_data):
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.diarize import _fbank

    x = load_audio(shared_data / "pyannote-sample" / "sample.wav").mono
    for seg in (x, x[12345:12345 + 160000], x[:561], x[:400]):
        ref, got = _kaldi_native(seg), _fbank(seg)
        assert got.shape == ref.shape and got.dtype == np.float32
        diff = np.abs(got - ref)
        assert float(np.percentile(diff, 99)) < 1e-4 and float(diff.max()) < 2e-2, (seg.shape, float(diff.max()))
    quiet = x[:160000] * np.float32(1e-3)  # 60 dB down: the log floor and low-energy bins
    assert np.abs(_fbank(quiet) - _kaldi_native(quiet)).max() < 2e-2


def test_fbank_edges():
    from sessionscope.audio.diarize import _fbank

    assert _fbank(np.zeros(399, dtype=np.float32)).shape == (0, 80)
    assert _fbank(np.zeros(0, dtype=np.float32)).shape == (0, 80)
    silent = _fbank(np.zeros(16000, dtype=np.float32))
    assert silent.shape == (98, 80) and np.allclose(silent, np.log(np.finfo(np.float32).eps))
    rng = np.random.default_rng(1)
    noise = (0.05 * rng.standard_normal(16000)).astype(np.float32)
    assert np.abs(_fbank(noise) - _kaldi_native(noise)).max() < 1e-3
    assert np.array_equal(_fbank(noise.astype(np.float64)), _fbank(noise))  # float64 input: the same frames


def test_diarization_turns_unchanged_by_the_numpy_fbank(shared_data, monkeypatch):
    """The same turns and speaker count as with kaldi-native-fbank's frames, on a real two-person recording."""
    from sessionscope.audio import diarize as dz
    from sessionscope.audio import segmentation
    from sessionscope.audio.decode import load_audio

    if not segmentation.available():
        pytest.skip("segmentation model not installed")
    x = load_audio(shared_data / "pyannote-sample" / "sample.wav").mono
    new = dz.diarize(x)
    monkeypatch.setattr(dz, "_fbank", _kaldi_native)
    old = dz.diarize(x)
    assert len(new.speakers) == 2
    assert [(t.start, t.end, t.speaker) for t in new.turns] == [(t.start, t.end, t.speaker) for t in old.turns]
    for k, c in old.centroids.items():
        a, b = np.asarray(c), np.asarray(new.centroids[k])
        assert float(a @ b / np.linalg.norm(a) / np.linalg.norm(b)) > 0.9999


# -- RunSpec.warm leaves the stages for the transcription's tail -------------------------------------------------------


def _counting_build(monkeypatch) -> list[str]:
    from sessionscope import pipeline as stage_pipeline
    from sessionscope import runspec

    built: list[str] = []
    real = stage_pipeline.build_stages

    def build(config, names=None):
        built.append(threading.current_thread().name)
        return real(config, names)

    monkeypatch.setattr(stage_pipeline, "build_stages", build)
    monkeypatch.setattr(runspec, "_PLANS", {})
    monkeypatch.setattr(runspec, "_DEFERRED", set())
    return built


def test_run_warm_loads_the_asr_model_and_checks_stage_names_but_leaves_the_stages(monkeypatch):
    from sessionscope import runspec
    from sessionscope.audio import asr
    from sessionscope.errors import ConfigError

    built = _counting_build(monkeypatch)
    models: list[str] = []
    monkeypatch.setattr(asr, "get_model", lambda cfg: models.append(cfg.model))
    spec = runspec.build_run_spec("run")
    spec.warm()
    assert models == [spec.config.asr.model] and built == []
    assert runspec.prepare_stages(spec.config) and built == [threading.current_thread().name]
    assert not runspec.prepare_stages(spec.config)  # built once
    assert spec.stages() is runspec.stage_plan(spec.config) and len(built) == 1
    bad = runspec.build_run_spec("run", config=Config.model_validate({"pipeline": {"stages": ["dynamics", "nope"]}}))
    with pytest.raises(ConfigError, match="unknown stage"):
        bad.warm()  # a typo still fails before any audio
    analyze = runspec.build_run_spec("analyze", config=Config.model_validate({"pipeline": {"stages": ["dynamics"]}}))
    analyze.warm()
    assert len(built) == 2  # analyze builds its stages at once, as before


def test_prepare_stages_does_nothing_unless_run_left_them(monkeypatch):
    from sessionscope import runspec

    built = _counting_build(monkeypatch)
    assert not runspec.prepare_stages(Config()) and built == []  # transcribe_file called directly: no stage work


def test_deferred_stages_are_built_in_the_diarization_thread_beside_the_transcription(monkeypatch):
    from sessionscope import runspec
    from sessionscope.audio import asr
    from sessionscope.audio import pipeline as audio_pipeline
    from sessionscope.audio.cache import ResultCache
    from test_r10_runspeed import _decoded, _fake_stages

    built = _counting_build(monkeypatch)
    monkeypatch.setattr(asr, "get_model", lambda cfg: None)
    monkeypatch.setenv(audio_pipeline.CONCURRENT_ENV, "1")
    spec = runspec.build_run_spec("run")
    spec.warm()
    warmed = _fake_stages(monkeypatch, asr_wait=threading.Event())
    rec = audio_pipeline.recognise_step(_decoded(), config=spec.config, language=None, n_people=0,
                                        cache=ResultCache(enabled=False))
    assert len(built) == 1 and built[0].startswith("sessionscope-diarize")  # beside the transcription
    assert [lang for lang, _ in warmed] == ["ru"] and "text_models" in rec.clock.wall
    spec.stages()
    assert len(built) == 1  # the session finds them built

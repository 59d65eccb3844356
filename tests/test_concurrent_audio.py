"""Transcription and diarization at once (issue 11): the same result as one after the other, errors as
before, the cache still short-cuts each branch, progress reports in order.

Model-free tests fake the two stages (``pipeline._asr`` / ``pipeline._diarize`` or the functions they
wrap); one real-model test compares both orders on a real recording (tiny.en, 30 s).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from sessionscope.audio import pipeline
from sessionscope.audio.asr import AsrResult
from sessionscope.audio.cache import ResultCache
from sessionscope.audio.decode import Audio
from sessionscope.audio.diarize import Diarization, SpeakerTurn
from sessionscope.audio.hallucination import AsrSegment, AsrWord
from sessionscope.config import Config
from sessionscope.errors import AudioError, ModelError

SEGMENTS = (AsrSegment(0.0, 1.0, "hello there", words=(AsrWord(" hello", 0.0, 0.4, 0.9), AsrWord(" there", 0.5, 1.0, 0.8))),
            AsrSegment(1.2, 2.0, "fine thanks", words=(AsrWord(" fine", 1.2, 1.5, 0.7), AsrWord(" thanks", 1.6, 2.0, 0.9))))
TURNS = (SpeakerTurn(0.0, 1.05, "SPEAKER_00"), SpeakerTurn(1.1, 2.0, "SPEAKER_01"))


def _decoded(seconds: float = 2.0) -> pipeline.Decoded:
    return pipeline.Decoded(Path("x.wav"), "0" * 64, Audio(np.zeros((1, int(seconds * 16000)), dtype=np.float32), "x.wav"))


def _asr_result() -> AsrResult:
    return AsrResult(segments=SEGMENTS, language="en", language_probability=1.0, language_source="given", model="tiny")


def _diarization() -> Diarization:
    return Diarization(turns=TURNS, centroids={"SPEAKER_00": [1.0, 0.0], "SPEAKER_01": [0.0, 1.0]}, method="test",
                       speech_s=2.0)


def _recognise(**kw):
    return pipeline.recognise_step(_decoded(), config=Config(), language="en", n_people=0,
                                   cache=ResultCache(enabled=False), **kw)


def _same(a, b) -> None:
    assert a.utterances == b.utterances and a.diarization == b.diarization and a.asr == b.asr
    assert a.notes == b.notes and [r[:3] for r in a.stage_runs] == [r[:3] for r in b.stage_runs]


def test_switch_and_devices(monkeypatch):
    cfg = Config()
    monkeypatch.setenv(pipeline.CONCURRENT_ENV, "0")
    assert not pipeline.concurrent_recognition(cfg)
    monkeypatch.setenv(pipeline.CONCURRENT_ENV, "1")
    assert pipeline.concurrent_recognition(cfg)
    cuda = Config.model_validate({"asr": {"device": "cuda"}})
    assert not pipeline.concurrent_recognition(cuda)  # one GPU: one after the other
    monkeypatch.delenv(pipeline.CONCURRENT_ENV)
    monkeypatch.setenv("OMP_NUM_THREADS", "1")  # e.g. a local-engine worker given one core
    assert pipeline.available_cores() == 1 and not pipeline.concurrent_recognition(cfg)
    monkeypatch.delenv("OMP_NUM_THREADS")
    monkeypatch.setattr(pipeline, "available_cores", lambda: 1)
    assert not pipeline.concurrent_recognition(cfg)
    monkeypatch.setattr(pipeline, "available_cores", lambda: 2)
    for busy, expected in ((0, True), (None, True), (1, False), (5, False)):  # other processes on the cores
        monkeypatch.setattr(pipeline, "others_running", lambda b=busy: b)
        assert pipeline.concurrent_recognition(cfg) is expected, busy
    monkeypatch.setattr(pipeline, "available_cores", lambda: 4)
    monkeypatch.setattr(pipeline, "others_running", lambda: 2)
    assert pipeline.concurrent_recognition(cfg)
    monkeypatch.setenv(pipeline.CONCURRENT_ENV, "1")
    monkeypatch.setattr(pipeline, "others_running", lambda: 9)
    assert pipeline.concurrent_recognition(cfg)  # forced


def test_others_running_reads_the_kernel_count():
    n = pipeline.others_running(samples=3)
    assert n is None or n >= 0


def test_both_run_at_once_in_two_threads_with_the_sequential_result(monkeypatch):
    main = threading.get_ident()
    seen: dict[str, int] = {}
    diarizing = threading.Event()

    def fake_asr(*a, **k):
        seen["asr"] = threading.get_ident()
        if pipeline.concurrent_recognition(Config()):
            assert diarizing.wait(10), "the diarization did not start while the transcription ran"
        return _asr_result()

    def fake_diarize(*a, **k):
        seen["diarize"] = threading.get_ident()
        diarizing.set()
        return _diarization()

    monkeypatch.setattr(pipeline, "_asr", fake_asr)
    monkeypatch.setattr(pipeline, "_diarize", fake_diarize)
    monkeypatch.setenv(pipeline.CONCURRENT_ENV, "1")
    both = _recognise()
    assert seen["asr"] == main and seen["diarize"] != main
    assert {"transcription", "diarization", "recognition"} <= set(both.clock.wall)
    assert all(v >= 0 for v in both.clock.cpu.values())
    monkeypatch.setenv(pipeline.CONCURRENT_ENV, "0")
    one_by_one = _recognise()
    assert seen["diarize"] == main and "recognition" not in one_by_one.clock.wall
    _same(both, one_by_one)
    assert [u.speaker for u in both.utterances] == ["SPEAKER_00", "SPEAKER_01"]


def test_whichever_finishes_first_the_result_is_the_same(monkeypatch):
    monkeypatch.setenv(pipeline.CONCURRENT_ENV, "1")
    results = []
    for asr_delay, diar_delay in ((0.2, 0.0), (0.0, 0.2)):
        monkeypatch.setattr(pipeline, "_asr", lambda *a, d=asr_delay, **k: (time.sleep(d), _asr_result())[1])
        monkeypatch.setattr(pipeline, "_diarize", lambda *a, d=diar_delay, **k: (time.sleep(d), _diarization())[1])
        results.append(_recognise())
    _same(*results)


def test_a_failed_transcription_stops_the_diarization_and_is_raised(monkeypatch):
    monkeypatch.setenv(pipeline.CONCURRENT_ENV, "1")
    started, stopped = threading.Event(), threading.Event()

    def slow_diarize(decoded, config, n, cache, hook, **k):
        started.set()
        try:
            for i in range(2000):  # 20 s unless stopped: reports progress like the real one
                hook("diarize", completed=i, total=2000)
                time.sleep(0.01)
            return _diarization()
        finally:
            stopped.set()

    def failing_asr(*a, **k):
        assert started.wait(10)
        raise AudioError("no speech found")

    monkeypatch.setattr(pipeline, "_diarize", slow_diarize)
    monkeypatch.setattr(pipeline, "_asr", failing_asr)
    t0 = time.perf_counter()
    with pytest.raises(AudioError, match="no speech found"):
        _recognise()
    assert stopped.is_set() and time.perf_counter() - t0 < 10  # stopped and waited for, not left running


def test_a_failed_diarization_is_raised_as_in_sequential_order(monkeypatch):
    def failing_diarize(*a, **k):
        raise ModelError("segmentation checkpoint checksum mismatch")

    monkeypatch.setattr(pipeline, "_asr", lambda *a, **k: _asr_result())
    monkeypatch.setattr(pipeline, "_diarize", failing_diarize)
    for mode in ("1", "0"):
        monkeypatch.setenv(pipeline.CONCURRENT_ENV, mode)
        with pytest.raises(ModelError, match="checksum mismatch"):
            _recognise()


def test_progress_reports_are_the_transcriptions_then_the_diarizations(monkeypatch):
    monkeypatch.setenv(pipeline.CONCURRENT_ENV, "1")
    asr_done = threading.Event()

    def fake_asr(decoded, config, language, cache, hook, **k):
        for i in range(5):
            hook("transcribe", completed=i, total=5)
            time.sleep(0.01)
        asr_done.set()
        return _asr_result()

    def fake_diarize(decoded, config, n, cache, hook, **k):
        for i in range(20):
            hook("diarize", completed=i, total=20)
            time.sleep(0.005)
        return _diarization()

    monkeypatch.setattr(pipeline, "_asr", fake_asr)
    monkeypatch.setattr(pipeline, "_diarize", fake_diarize)
    steps: list[str] = []
    _recognise(hook=lambda step, *a, **k: steps.append(step))
    assert steps[0] == "transcribe" and steps.count("transcribe") == 6
    last_transcribe = max(i for i, s in enumerate(steps) if s == "transcribe")
    assert all(s == "transcribe" for s in steps[:last_transcribe + 1])  # nothing interleaved


def test_cache_hits_short_cut_each_branch(monkeypatch, tmp_path):
    calls = {"asr": 0, "diarize": 0}

    def fake_transcribe(*a, **k):
        calls["asr"] += 1
        return _asr_result()

    def fake_diarize(*a, **k):
        calls["diarize"] += 1
        return _diarization()

    monkeypatch.setattr(pipeline, "transcribe", fake_transcribe)
    monkeypatch.setattr(pipeline, "diarize", fake_diarize)
    monkeypatch.setenv(pipeline.CONCURRENT_ENV, "1")
    cache = ResultCache(tmp_path)
    kw = dict(config=Config(), language="en", n_people=0, cache=cache)
    first = pipeline.recognise_step(_decoded(), **kw)
    assert calls == {"asr": 1, "diarize": 1}
    again = pipeline.recognise_step(_decoded(), **kw)
    assert calls == {"asr": 1, "diarize": 1}  # both from the cache
    _same(first, again)
    pipeline.recognise_step(_decoded(), **kw, no_cache=True)
    assert calls == {"asr": 2, "diarize": 2}


def test_onnx_thread_setting_is_per_thread():
    """One thread's ONNX Runtime setting is not another's (torch's own setting, when torch is loaded, stays
    process-wide: the CPU path does not load it)."""
    from sessionscope.audio import onnx_models

    def in_other_thread() -> list[int]:
        seen: list[list[int]] = []
        t = threading.Thread(target=lambda: seen.append(list(onnx_models._threads_stack())))
        t.start()
        t.join()
        return seen[0]

    with onnx_models.intra_threads(37):
        assert onnx_models._default_threads() == 37 and onnx_models._threads_stack() == [37]
        assert in_other_thread() == []  # a concurrent stage keeps its own setting
    assert onnx_models._threads_stack() == []


@pytest.mark.slow
def test_real_recording_same_turns_and_words_in_both_orders(shared_data, monkeypatch, tmp_path):
    """The first 22 s of the pyannote sample (two speakers, one overlap) with tiny.en: concurrent and sequential
    give the same words, speaker turns, voiceprints and utterances."""
    from sessionscope.audio.decode import load_audio
    from sessionscope.config import load_config

    cfg = load_config(overrides={"asr": {"model": "tiny.en"}})
    audio = load_audio(shared_data / "pyannote-sample" / "sample.wav")
    clip = Audio(np.ascontiguousarray(audio.channels[:, : 22 * 16000]), "sample22.wav")
    decoded = pipeline.Decoded(Path("sample22.wav"), "2" * 64, clip)
    out = {}
    for mode in ("1", "0"):
        monkeypatch.setenv(pipeline.CONCURRENT_ENV, mode)
        pipeline.seed_everything(decoded.sha256)
        out[mode] = pipeline.recognise_step(decoded, config=cfg, language=None, n_people=0, cache=ResultCache(tmp_path),
                                            no_cache=True)
    _same(out["1"], out["0"])
    assert out["1"].diarization is not None and out["1"].diarization.turns and any(u.words for u in out["1"].utterances)
    assert "recognition" in out["1"].clock.wall


@pytest.mark.slow
def test_segmentation_runs_without_the_memory_arena_campplus_with_it():
    """The segmentation network's large activations go back after each batch (they would sit on top of the
    transcription's memory when both run at once); CAM++ keeps its arena (many small batches)."""
    from sessionscope.audio import onnx_models
    from sessionscope.audio.segmentation import load_segmentation
    from sessionscope.models import load_campplus

    if not onnx_models.enabled():
        pytest.skip("onnxruntime not installed")
    net, _ = load_segmentation("cpu")
    cam = load_campplus()
    assert isinstance(net, onnx_models.OnnxModel) and isinstance(cam, onnx_models.OnnxModel)
    assert not net.session(1).get_session_options().enable_cpu_mem_arena
    assert cam.session(1).get_session_options().enable_cpu_mem_arena

"""Issue 11, round 10 (runspeed): the text stages' models are loaded while the transcription still runs.

Once the diarization beside the transcription is done, its thread loads what the extraction stage will
load for the transcription's language (:func:`sessionscope.audio.pipeline.text_warmup`); the recognition's
result is the same, and nothing is loaded when the transcription finished first or no stage needs it.
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

SEGMENTS = (AsrSegment(0.0, 1.0, "hello there", words=(AsrWord(" hello", 0.0, 0.4, 0.9), AsrWord(" there", 0.5, 1.0, 0.8))),)
TURNS = (SpeakerTurn(0.0, 1.05, "SPEAKER_00"),)


def _decoded() -> pipeline.Decoded:
    return pipeline.Decoded(Path("x.wav"), "0" * 64, Audio(np.zeros((1, 32000), dtype=np.float32), "x.wav"))


def _asr_result(language: str = "ru") -> AsrResult:
    return AsrResult(segments=SEGMENTS, language=language, language_probability=0.99, language_source="detected",
                     model="tiny")


def _recognise(config: Config | None = None):
    return pipeline.recognise_step(_decoded(), config=config or Config(), language=None, n_people=0,
                                   cache=ResultCache(enabled=False))


def test_text_warmup_only_when_the_extraction_stage_runs():
    assert pipeline.text_warmup(Config()) is not None  # extraction is a default stage
    without = Config.model_validate({"pipeline": {"stages": ["dynamics", "topics"]}})
    assert pipeline.text_warmup(without) is None


def test_text_warmup_loads_the_parser_of_that_language(monkeypatch):
    from sessionscope.language import nlp

    loaded: list[str] = []
    monkeypatch.setattr(nlp, "english_pipeline", lambda: loaded.append("en"))
    monkeypatch.setattr(nlp, "russian_pipeline", lambda: loaded.append("ru"))
    warm = pipeline.text_warmup(Config())
    assert warm is not None
    for lang in ("en", "ru", "de"):
        warm(lang)
    assert loaded == ["en", "ru"]

    def broken() -> None:
        raise RuntimeError("model not installed")

    monkeypatch.setattr(nlp, "english_pipeline", broken)
    warm("en")  # left for the stage to meet and report


def _fake_stages(monkeypatch, *, asr_wait: threading.Event | None, diar_delay: float = 0.0):
    """Fake stages whose order is fixed by events, not by the machine's load: with ``asr_wait`` the diarization ends
    after the transcription has chosen its language and before it ends; with ``diar_delay`` it ends that long after
    the transcription returned."""
    warmed: list[tuple[str, int]] = []
    language_said, asr_returned = threading.Event(), threading.Event()

    def fake_asr(decoded, config, language, cache, hook, *, on_language=None, **k):
        if on_language is not None:
            on_language("ru")  # chosen before the decoding
        language_said.set()
        if asr_wait is not None:
            assert asr_wait.wait(10), "the models were not loaded while the transcription ran"
        asr_returned.set()
        return _asr_result()

    def fake_diarize(*a, **k):
        if asr_wait is not None:
            assert language_said.wait(10)
        elif diar_delay:
            assert asr_returned.wait(10)
        time.sleep(diar_delay)
        return Diarization(turns=TURNS, centroids={"SPEAKER_00": [1.0, 0.0]}, method="test", speech_s=1.0)

    def warmup(config):
        def warm(language: str) -> None:
            warmed.append((language, threading.get_ident()))
            if asr_wait is not None:
                asr_wait.set()
        return warm

    monkeypatch.setattr(pipeline, "_asr", fake_asr)
    monkeypatch.setattr(pipeline, "_diarize", fake_diarize)
    monkeypatch.setattr(pipeline, "text_warmup", warmup)
    return warmed


def test_models_load_beside_the_transcription_after_the_diarization(monkeypatch):
    monkeypatch.setenv(pipeline.CONCURRENT_ENV, "1")
    warmed = _fake_stages(monkeypatch, asr_wait=threading.Event())
    both = _recognise()
    assert [lang for lang, _ in warmed] == ["ru"]  # the transcription's language, not a guess
    assert warmed[0][1] != threading.get_ident()  # in the diarization's thread
    assert "text_models" in both.clock.wall and both.clock.cpu["text_models"] >= 0
    monkeypatch.setenv(pipeline.CONCURRENT_ENV, "0")
    warmed.clear()
    _fake_stages(monkeypatch, asr_wait=None)
    one_by_one = _recognise()
    assert "text_models" not in one_by_one.clock.wall  # one after the other: nothing runs beside
    assert both.utterances == one_by_one.utterances and both.diarization == one_by_one.diarization
    assert both.asr == one_by_one.asr


def test_nothing_loaded_when_the_transcription_finished_first(monkeypatch):
    monkeypatch.setenv(pipeline.CONCURRENT_ENV, "1")
    warmed = _fake_stages(monkeypatch, asr_wait=None, diar_delay=0.3)
    rec = _recognise()
    assert warmed == [] and "text_models" not in rec.clock.wall  # the stage loads them itself, as before


def test_transcribe_reports_the_language_through_asr(monkeypatch):
    seen: dict = {}

    def fake_transcribe(samples, **kw):
        seen.update(kw)
        kw["on_language"]("en")
        return _asr_result("en")

    monkeypatch.setattr(pipeline, "transcribe", fake_transcribe)
    got: list[str] = []
    pipeline._asr(_decoded(), Config(), None, ResultCache(enabled=False), None, on_language=got.append)
    assert got == ["en"] and "on_language" in seen


@pytest.mark.slow
def test_real_transcription_reports_its_language_before_decoding(shared_data):
    """The default model on 12 s of the pyannote sample, detecting: the language reported is the result's, and it comes
    before the first decoded segment."""
    from sessionscope.audio.asr import transcribe
    from sessionscope.audio.decode import load_audio
    from sessionscope.config import load_config

    cfg = load_config().asr
    audio = load_audio(shared_data / "pyannote-sample" / "sample.wav")
    events: list[str] = []
    res = transcribe(audio.mono[: 12 * 16000], config=cfg, language=None,
                     hook=lambda step, *a, **k: events.append(step), on_language=lambda lang: events.append(f"lang:{lang}"))
    assert events[0] == f"lang:{res.language}" and events.count(f"lang:{res.language}") == 1

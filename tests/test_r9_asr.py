"""Round 9 (asr): speech the batched transcription leaves without a word is decoded again; the raw language
probability is kept next to the renormalised one. Model-free: hand-built words and a fake pipeline."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from sessionscope.audio.asr import (
    ASR_CODE_VERSION,
    AsrResult,
    detection_among,
    recover_gaps,
    speech_within,
    splice,
    uncovered,
)
from sessionscope.audio.hallucination import AsrSegment, AsrWord, FilterReport
from sessionscope.config import AsrConfig


def w(text: str, start: float, end: float, p: float = 0.9) -> AsrWord:
    return AsrWord(f" {text}", start, end, p)


def seg(*words: AsrWord, **kw: Any) -> AsrSegment:
    return AsrSegment(start=words[0].start, end=words[-1].end, text="".join(x.text for x in words).strip(),
                      words=words, **kw)


# -- finding speech without words ------------------------------------------------------
def test_uncovered_finds_stretches_between_words_that_hold_enough_speech():
    speech = [(0.0, 5.0), (6.0, 10.0), (12.0, 20.0)]
    words = [w("a", 0.5, 1.0), w("b", 1.0, 2.0), w("c", 13.0, 14.0)]
    # 2.0-13.0 holds 3 + 4 + 1 = 8 s of speech; 14.0-20.0 holds 6 s; before "a" only 0.5 s
    assert uncovered(speech, words, min_s=2.0) == [(2.0, 13.0), (14.0, 20.0)]
    assert speech_within(speech, 2.0, 13.0) == pytest.approx(8.0)
    assert uncovered(speech, words, min_s=6.5) == [(2.0, 13.0)]  # 6 s after "c" is under 6.5 s
    # a word covers at most 1.5 s from its start (Whisper stretches a word over the text it left out)
    assert uncovered(speech, [w("x", 0.0, 5.0), w("y", 5.5, 20.0)], min_s=2.0) == [(1.5, 5.0), (7.0, 20.0)]
    assert uncovered(speech, [w("x", 0.0, 5.0), w("y", 5.5, 20.0)], min_s=2.0, max_word_s=100.0) == []


def test_a_stretch_of_only_pauses_is_not_uncovered_speech():
    speech = [(0.0, 2.0), (8.0, 10.0)]
    words = [w("a", 0.2, 1.8), w("b", 8.2, 9.8)]  # 6 s between the words, none of it speech
    assert uncovered(speech, words, min_s=2.0) == []
    assert uncovered([], words, min_s=0.1) == []


def test_uncovered_stretches_are_cut_into_whisper_windows():
    got = uncovered([(0.0, 70.0)], [], min_s=2.0)
    assert got == [(0.0, 30.0), (30.0, 60.0), (60.0, 70.0)]


# -- splicing ---------------------------------------------------------------------------
def test_splice_keeps_only_words_whose_middle_lies_in_a_gap_in_time_order():
    first = seg(w("one", 0.0, 0.5), w("two", 0.5, 1.0))
    last = seg(w("five", 9.0, 9.5))
    found = seg(w("two", 0.6, 1.1), w("three", 3.0, 3.5), w("four", 4.0, 4.5))  # "two" again: before the gap
    out = splice([first, last], [found], [(1.2, 8.0)])
    assert [s.text for s in out] == ["one two", "three four", "five"]
    assert out[1].flags == ("recovered",) and (out[1].start, out[1].end) == (3.0, 4.5)
    assert splice([first], [seg(w("x", 0.2, 0.4))], [(1.2, 8.0)]) == [first]


# -- the second decoding, with a fake batched pipeline ---------------------------------------
class FakePipe:
    """Answers each clip with the segments given for it; records what it was asked."""

    def __init__(self, answers: list[list[Any]]):
        self.answers = answers
        self.calls: list[dict[str, Any]] = []

    def transcribe(self, samples: np.ndarray, **kw: Any) -> tuple[Any, None]:
        self.calls.append(kw)
        return iter([s for answer in self.answers for s in answer]), None


def fw_segment(text: str, start: float, end: float, *, avg_logprob: float = -0.3, no_speech_prob: float = 0.05) -> Any:
    words = [SimpleNamespace(word=f" {t}", start=start + i * 0.4, end=start + i * 0.4 + 0.3, probability=0.8)
             for i, t in enumerate(text.split())]
    return SimpleNamespace(start=start, end=end, text=text, words=words, avg_logprob=avg_logprob,
                           no_speech_prob=no_speech_prob, compression_ratio=1.2)


def test_recover_gaps_decodes_the_stretch_and_filters_hallucinations():
    cfg = AsrConfig(model="base")
    # times of the recording; the samples (a channel, say) start at 10 s and the pipeline answers in theirs
    speech = [(10.0, 13.0), (13.2, 19.0)]
    have = [seg(w("hello", 10.2, 10.6), w("there", 10.6, 11.0))]
    pipe = FakePipe([[fw_segment("we lost this part", 1.5, 3.0)],
                     [fw_segment("Thank you for watching", 4.0, 5.0, no_speech_prob=0.9)]])
    out, report, gaps = recover_gaps(pipe, np.zeros(16000 * 10, np.float32), have, FilterReport(), speech,
                                     language="en", config=cfg, min_gap_s=2.0, offset_s=10.0)
    assert pipe.calls[0]["clip_timestamps"] == [{"start": pytest.approx(1.0), "end": pytest.approx(9.0)}]
    assert pipe.calls[0]["language"] == "en" and pipe.calls[0]["vad_filter"] is False
    assert gaps == [(pytest.approx(11.0), pytest.approx(19.0))]
    assert [s.text for s in out] == ["hello there", "we lost this part"]
    assert report.hallucinations_dropped == 1 and report.dropped_texts == ("Thank you for watching",)


def test_recover_gaps_does_nothing_when_every_stretch_has_words():
    pipe = FakePipe([])
    have = [seg(w("a", 0.0, 1.0), w("b", 1.2, 2.0))]
    out, report, gaps = recover_gaps(pipe, np.zeros(16000 * 3, np.float32), have, FilterReport(), [(0.0, 2.5)],
                                     language="en", config=AsrConfig(model="base"), min_gap_s=2.0)
    assert (out, gaps, pipe.calls) == (have, [], [])


# -- the raw language probability -----------------------------------------------------------
def test_detection_records_whispers_own_probability_next_to_the_renormalised_one():
    class Model:
        def detect_language(self, **kw: Any) -> Any:
            return "de", 0.6, [("de", 0.6), ("en", 0.3), ("ru", 0.1)]

    m = Model()
    with detection_among(m, ["en", "ru"]) as found:
        m.detect_language()
    assert found["chosen"][1] == pytest.approx(0.75) and found["raw"] == pytest.approx(0.3)


def test_result_fields_default_and_code_version():
    r = AsrResult(segments=(), language="en", language_probability=None, language_source="given", model="base")
    assert r.language_probability_raw is None and r.recovered == ()
    assert ASR_CODE_VERSION >= 5


# -- configuration and cache --------------------------------------------------------------------
def test_the_second_pass_is_an_opt_in_setting_that_keys_the_cache():
    from sessionscope.audio.asr import asr_params
    from sessionscope.config import Config

    assert Config().asr.recover_gap_s is None  # off by default (cost, one held-out invented sentence)
    on = Config.model_validate({"asr": {"recover_gap_s": 2.0}}).asr
    assert asr_params(on)["recover_gap_s"] == 2.0 != asr_params(AsrConfig())["recover_gap_s"]
    with pytest.raises(Exception, match="recover_gap_s"):
        Config.model_validate({"asr": {"recover_gap_s": 0}})


def test_the_cache_keeps_the_raw_probability_and_the_recovered_stretches():
    from sessionscope.audio.cache import asr_from_dict, asr_to_dict

    r = AsrResult(segments=(seg(w("so", 0.0, 0.4)),), language="en", language_probability=0.9,
                  language_source="detected", model="base", language_probability_raw=0.42,
                  recovered=((3.0, 5.5),))
    back = asr_from_dict(asr_to_dict(r))
    assert back.language_probability_raw == 0.42 and back.recovered == ((3.0, 5.5),)
    assert back == r

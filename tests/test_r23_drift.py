"""Round 23 (drift): the 30 s chunks Whisper wrote without punctuation are decoded again with a punctuated prompt.

Model-free: the chunk packing against faster-whisper's own, the time mapping against its ``SpeechTimestampsMap``,
the choice of drift chunks, the acceptance rules and the whole step with a fake batched pipeline. One real-model
test on a development clip (skipped when the model or the clip is missing)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from sessionscope.audio.asr import (
    REPUNCT_PROMPTS,
    accept_redecode,
    asr_params,
    chunk_of,
    drift_groups,
    pack_chunks,
    packed_to_original,
    repunctuate,
)
from sessionscope.audio.hallucination import AsrSegment, AsrWord, FilterReport
from sessionscope.config import AsrConfig, Config

SR = 16000


def seg_of(text: str, start: float, step: float = 0.4) -> AsrSegment:
    words = tuple(AsrWord(f" {t}", start + i * step, start + i * step + 0.3, 0.9) for i, t in enumerate(text.split()))
    return AsrSegment(start=words[0].start, end=words[-1].end, text=text, words=words)


def regions(seed: int, n: int = 40) -> list[tuple[int, int]]:
    rng = np.random.default_rng(seed)
    out, t = [], int(rng.integers(0, SR))
    for _ in range(n):
        a = t + int(rng.integers(SR // 10, 3 * SR))
        b = a + int(rng.integers(SR // 4, 12 * SR))
        out.append((a, b))
        t = b
    return out


# -- the chunks, as faster-whisper packs them ----------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_chunks_are_packed_as_faster_whispers_batched_pipeline_packs_them(seed: int) -> None:
    from faster_whisper.vad import collect_chunks

    speech = regions(seed)
    audio = np.zeros(speech[-1][1] + SR, np.float32)
    audio_chunks, meta = collect_chunks(audio, [{"start": a, "end": b} for a, b in speech], max_duration=30.0)
    mine = pack_chunks(speech)
    assert [sum(b - a for a, b in c) for c in mine] == [len(x) for x in audio_chunks]
    starts = np.cumsum([0] + [sum(b - a for a, b in c) for c in mine])[:-1] / SR
    assert starts.tolist() == pytest.approx([m["offset"] for m in meta])
    assert [p for c in mine for p in c] == speech  # every region once, in order


def test_packed_times_map_back_as_speech_timestamps_map_does() -> None:
    from faster_whisper.vad import SpeechTimestampsMap

    pieces = [(3 * SR, 5 * SR), (int(6.5 * SR), 9 * SR), (20 * SR, 22 * SR)]
    ts = SpeechTimestampsMap([{"start": a, "end": b} for a, b in pieces], SR)
    for t in np.arange(0.0, 6.4, 0.13):
        k = ts.get_chunk_index(t)
        assert packed_to_original(t, pieces) == pytest.approx(ts.get_original_time(t, k), abs=0.006)
    # a word across a piece boundary stays in the piece of its middle: 1.9-2.3 packed, middle 2.1 (second piece)
    assert packed_to_original(1.9, pieces, mid=2.1) == pytest.approx(6.4)
    assert packed_to_original(2.3, pieces, mid=2.1) == pytest.approx(6.8)
    assert packed_to_original(7.0, pieces) == pytest.approx(22.5)  # past the end: stays in the last piece


def test_chunk_of_a_time_is_the_last_chunk_starting_before_it() -> None:
    chunks = [[(SR, 10 * SR), (12 * SR, 30 * SR)], [(31 * SR, 50 * SR)]]
    assert [chunk_of(t, chunks) for t in (0.0, 5.0, 11.0, 30.5, 31.0, 99.0)] == [0, 0, 0, 0, 1, 1]


# -- which chunks are decoded again ------------------------------------------------------------------
def test_drift_groups_are_chunks_of_eight_words_or_more_without_a_sentence_mark() -> None:
    chunks = [[(0, 30 * SR)], [(31 * SR, 60 * SR)], [(61 * SR, 90 * SR)], [(91 * SR, 120 * SR)]]
    segs = [seg_of("and then we went to the shop and bought bread", 1.0),         # chunk 0: drift
            seg_of("and so on we went to the shop and bought", 32.0),            # chunk 1: two segments, one
            seg_of("Really? Yes, bread.", 40.0),                                 #   of them punctuated
            seg_of("only seven words here and no marks", 62.0),                 # chunk 2: too short
            seg_of("yes no maybe", 92.0), seg_of("later on we will see how it goes", 95.0)]  # chunk 3: 3 + 8 words
    assert drift_groups(segs, chunks) == {0: [0], 3: [4, 5]}
    # times of the recording with the samples starting at offset 100 s
    shifted = [seg_of("and then we went to the shop and bought bread", 101.0)]
    assert drift_groups(shifted, chunks, offset_s=100.0) == {0: [0]}
    assert drift_groups([seg_of("and then we went… to the shop and bought bread", 1.0)], chunks) == {}


# -- when the second decoding is kept ----------------------------------------------------------------------
OLD = [seg_of("so how was your week it was fine we finished the report", 0.0)]  # 12 words


@pytest.mark.parametrize("new, verdict", [
    ("So, how was your week? It was fine. We finished the report.", ""),
    ("So, how was your week? It was fine. We finished report.", ""),              # one word fewer: kept
    ("So, how was your week? It was fine. We finished.", "words 12 -> 10"),
    ("so how was your week it was fine we finished the report", "still no sentence mark"),
    ("Hello, how are you? So, how was your week? It was fine. We finished the report.", "prompt words"),
    ("So, how was your week? Fine, thanks. We finished the report.", "prompt words fine thanks"),
])
def test_a_second_decoding_is_kept_only_punctuated_without_lost_words_or_prompt_words(new: str, verdict: str) -> None:
    why = accept_redecode(OLD, [seg_of(new, 0.0)], REPUNCT_PROMPTS["en"])
    assert why.startswith(verdict) if verdict else why == ""


def test_prompt_words_that_were_said_the_first_time_do_not_count_as_copied() -> None:
    old = [seg_of("hello how are you doing today we should start with the plan", 0.0)]
    new = [seg_of("Hello, how are you doing today? We should start with the plan.", 0.0)]
    assert accept_redecode(old, new, REPUNCT_PROMPTS["en"]) == ""


# -- the whole step with a fake batched pipeline ---------------------------------------------------------------
class FakePipe:
    """Answers with the given faster-whisper-like segments (times in the packed buffer); records the call."""

    def __init__(self, answers: list[Any]):
        self.answers: list[Any] = answers
        self.calls: list[dict[str, Any]] = []

    def transcribe(self, samples: np.ndarray, **kw: Any) -> tuple[Any, None]:
        self.calls.append({**kw, "samples": samples})
        return iter(self.answers), None


def fw(text: str, start: float, step: float = 0.4) -> Any:
    words = [SimpleNamespace(word=f" {t}", start=start + i * step, end=start + i * step + 0.3, probability=0.8)
             for i, t in enumerate(text.split())]
    return SimpleNamespace(text=" " + text, words=words, avg_logprob=-0.3, no_speech_prob=0.05, compression_ratio=1.3)


def test_repunctuate_redecodes_only_drift_chunks_and_maps_times_back() -> None:
    # VAD regions (s): chunk 0 = 2-12 and 14-30 (26 s), chunk 1 = 40-55 and 57-70 (28 s); samples start at 100 s
    speech = [(2.0, 12.0), (14.0, 30.0), (40.0, 55.0), (57.0, 70.0)]
    samples = np.arange(80 * SR, dtype=np.float32)
    segs = [seg_of("Hello there. We begin.", 102.5),
            seg_of("and then we went to the shop and bought some bread", 140.5, step=1.5)]  # 10 words, 140.5-154.3
    # the second decoding of chunk 1 (packed 0-28 s): 11 words, 2 s apart from packed 0.5 s
    pipe = FakePipe([fw("And then we went to the shop. And bought some bread.", 0.5, step=2.0)])
    out, report, replaced = repunctuate(pipe, samples, segs, FilterReport(), speech, language="en",
                                        config=AsrConfig(model="base"), offset_s=100.0)
    call = pipe.calls[0]
    assert call["initial_prompt"] == " " + REPUNCT_PROMPTS["en"] and call["language"] == "en"
    assert call["vad_filter"] is False and len(call["clip_timestamps"]) == 1
    # the buffer decoded is chunk 1's audio end to end, as the batched pass packed it
    expected = np.concatenate([samples[40 * SR:55 * SR], samples[57 * SR:70 * SR]])
    assert np.array_equal(call["samples"], expected)
    assert int(call["clip_timestamps"][0]["start"] * SR) == 0 and int(call["clip_timestamps"][0]["end"] * SR) == len(expected)
    assert replaced == [(pytest.approx(140.0), pytest.approx(170.0))]
    assert [s.text for s in out] == ["Hello there. We begin.", "And then we went to the shop. And bought some bread."]
    words = out[1].words
    assert words[0].start == pytest.approx(140.5)                  # packed 0.5 s -> 40.5 s + 100 s
    assert words[7].start == pytest.approx(154.5)                  # packed 14.5 s: still the first piece (15 s long)
    assert words[8].start == pytest.approx(158.5)                  # packed 16.5 s: 1.5 s into the piece at 57 s (+100)
    assert all(140.0 <= x.start and x.end <= 170.0 for x in words)  # inside the chunk's stretch
    assert out[1].flags == ("repunctuated",) and out[0] is segs[0] and report == FilterReport()


def test_repunctuate_keeps_the_first_pass_when_the_second_loses_words_or_for_other_languages() -> None:
    speech = [(0.0, 20.0)]
    segs = [seg_of("and then we went to the shop and bought some bread", 1.0)]
    pipe = FakePipe([fw("And then we went.", 1.0)])
    out, _, replaced = repunctuate(pipe, np.zeros(21 * SR, np.float32), segs, FilterReport(), speech, language="en",
                                   config=AsrConfig(model="base"))
    assert out is segs and replaced == []
    pipe = FakePipe([])
    out, _, replaced = repunctuate(pipe, np.zeros(21 * SR, np.float32), segs, FilterReport(), speech, language="de",
                                   config=AsrConfig(model="base"))
    assert out is segs and replaced == [] and pipe.calls == []
    punctuated = [seg_of("And then we went to the shop and bought some bread.", 1.0)]
    out, _, replaced = repunctuate(pipe, np.zeros(21 * SR, np.float32), punctuated, FilterReport(), speech,
                                   language="en", config=AsrConfig(model="base"))
    assert out is punctuated and pipe.calls == []  # nothing to do: no decoding at all


# -- configuration --------------------------------------------------------------------------------------------
def test_repunctuate_is_a_validated_setting_that_keys_the_cache_only_when_on() -> None:
    on = Config.model_validate({"asr": {"repunctuate": True}}).asr
    assert asr_params(on)["repunctuate"] is True and "repunctuate" not in asr_params(AsrConfig(repunctuate=False))
    with pytest.raises(Exception, match="repunctuate"):
        Config.model_validate({"asr": {"repunctuate": "sometimes"}})
    assert "repunctuate" in AsrConfig.model_fields and AsrConfig.model_fields["repunctuate"].description


# -- one real decoding ----------------------------------------------------------------------------------------
def _dev00(tmp: Path) -> Path:
    """libri-dev dev_r19/dev00, built here from the shared LibriSpeech voices exactly as
    `librispeech_conversations.py --split dev --perturb 0.9 1.1 --seed 20261219 --triples 4` writes it."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from librispeech_conversations import conversations, write_wav

    uri, _, mix, _, _ = next(conversations("dev", seed=20261219, perturb=[0.9, 1.1], triples=4))
    assert uri == "dev00"
    write_wav(tmp / "dev00.wav", mix)
    return tmp / "dev00.wav"


def test_a_real_drift_chunk_comes_back_punctuated_with_its_words(tmp_path: Path, shared_data: Path) -> None:
    """libri-dev dev_r19/dev00 (development): Whisper writes its third chunk without punctuation."""
    assert (shared_data / "librispeech-voices").is_dir()
    clip = _dev00(tmp_path)
    from sessionscope.audio.asr import transcribe
    from sessionscope.audio.decode import load_audio

    try:
        x = load_audio(clip).mono.astype(np.float32)
        r = transcribe(x, config=AsrConfig(repunctuate=True))
    except Exception as e:  # noqa: BLE001 - no embedded model in this checkout
        if "model" in str(e).lower():
            pytest.skip(f"no Whisper model: {e}")
        raise
    redone = [s for s in r.segments if "repunctuated" in s.flags]
    assert redone and all(any(m in s.text for m in ".?!") for s in redone)
    assert all(61.0 <= w.start and w.end <= 69.5 for s in redone for w in s.words)
    assert sum(len(s.words) for s in r.segments) >= 158  # the first pass's word count on this clip

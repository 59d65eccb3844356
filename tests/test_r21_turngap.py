"""Round 21 (turngap): the diarized turns the batched transcription left without words, decoded again per voice
(``benchmarks/r21_turngap_lib.py``: measured, not shipped). Model-free: synthetic turns, VAD regions and words,
and a fake batched pipeline."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from r21_turngap_lib import (  # noqa: E402
    SAMPLE_RATE,
    TURN_CLIP_S,
    _minus,
    _union,
    clip_audio,
    map_clip_words,
    pack_by_voice,
    recover_turns,
    turn_stretches,
)
from sessionscope.audio.hallucination import AsrSegment, AsrWord, FilterReport  # noqa: E402
from sessionscope.config import AsrConfig  # noqa: E402


def w(text: str, start: float, end: float, p: float = 0.9) -> AsrWord:
    return AsrWord(f" {text}", start, end, p)


def seg(*words: AsrWord, **kw: Any) -> AsrSegment:
    return AsrSegment(start=words[0].start, end=words[-1].end, text="".join(x.text for x in words).strip(),
                      words=words, **kw)


def turn(a: float, b: float, spk: str) -> Any:
    return SimpleNamespace(start=a, end=b, speaker=spk)


def words_every(a: float, b: float, step: float = 0.5) -> list[AsrWord]:
    return [w("x", t, t + 0.4) for t in np.arange(a, b - 0.4, step).tolist()]


# -- interval helpers ------------------------------------------------------------------------
def test_union_and_minus():
    assert _union([(3.0, 4.0), (0.0, 1.0), (0.5, 2.0), (5.0, 5.0)]) == [(0.0, 2.0), (3.0, 4.0)]
    assert _minus([(0.0, 10.0), (12.0, 15.0)], [(1.0, 2.0), (9.0, 13.0)]) == [(0.0, 1.0), (2.0, 9.0), (13.0, 15.0)]
    assert _minus([(0.0, 1.0)], []) == [(0.0, 1.0)]
    assert _minus([(0.0, 1.0)], [(-1.0, 2.0)]) == []


# -- choosing the stretches ----------------------------------------------------------------------
def test_a_second_voices_turn_without_words_is_a_stretch_of_that_voice():
    turns = [turn(0.0, 10.0, "A"), turn(10.0, 20.0, "B"), turn(20.0, 30.0, "A")]
    words = words_every(0.0, 10.0) + words_every(20.0, 30.0)
    got = turn_stretches([(0.0, 30.0)], turns, words, min_s=1.5)
    assert got == [(pytest.approx(10.0), pytest.approx(20.0), "B")]


def test_both_detectors_must_hear_speech():
    turns = [turn(0.0, 10.0, "A"), turn(10.0, 20.0, "B")]
    words = words_every(0.0, 10.0)
    # the VAD hears only 10-12 s of B's turn: the stretch is that speech, first to last
    assert turn_stretches([(0.0, 12.0)], turns, words, min_s=1.5) == [(pytest.approx(10.0), 12.0, "B")]
    # 0.5 s of both: under the minimum
    assert turn_stretches([(0.0, 10.5)], turns, words, min_s=1.5) == []
    # VAD speech nobody's turn covers is not decoded
    assert turn_stretches([(0.0, 10.0), (25.0, 30.0)], turns, words, min_s=1.5) == []
    # a turn over VAD silence is not decoded either
    assert turn_stretches([(0.0, 10.0)], turns, words, min_s=1.5) == []


def test_overlapped_speech_is_left_out_and_words_split_a_region():
    turns = [turn(0.0, 12.0, "A"), turn(8.0, 20.0, "B")]
    words = words_every(0.0, 8.0) + [w("mid", 15.0, 15.4)]
    got = turn_stretches([(0.0, 20.0)], turns, words, min_s=1.5)
    # A alone 0-8 has words; 8-12 is two voices; B alone 12-20 is cut by "mid" into 12-15 and 15.4-20
    assert got == [(12.0, 15.0, "B"), (15.4, 20.0, "B")]
    assert turn_stretches([(0.0, 20.0)], turns, words, min_s=3.5) == [(15.4, 20.0, "B")]


def test_a_word_covers_at_most_max_word_s():
    turns = [turn(0.0, 20.0, "A")]
    stretched = [w("medical", 0.0, 20.0)]  # Whisper stretched one word over what it left out
    assert turn_stretches([(0.0, 20.0)], turns, stretched, min_s=2.0) == [(1.5, 20.0, "A")]


def test_long_stretches_are_cut_into_clips():
    got = turn_stretches([(0.0, 70.0)], [turn(0.0, 70.0, "A")], [], min_s=1.0)
    assert [(a, b) for a, b, _ in got] == [(0.0, TURN_CLIP_S), (TURN_CLIP_S, 2 * TURN_CLIP_S), (2 * TURN_CLIP_S, 70.0)]


def test_other_voice_only_keeps_the_voice_the_chunk_passed_over():
    turns = [turn(0.0, 10.0, "A"), turn(10.0, 14.0, "B"), turn(14.0, 24.0, "A"), turn(24.0, 30.0, "A")]
    words = words_every(0.0, 10.0) + words_every(14.0, 22.0)
    every = turn_stretches([(0.0, 30.0)], turns, words, min_s=1.5)
    assert [(round(a), s) for a, _, s in every] == [(10, "B"), (22, "A")]
    only = turn_stretches([(0.0, 30.0)], turns, words, min_s=1.5, other_voice_only=True)
    assert [s for _, _, s in only] == ["B"]


# -- packing per voice -----------------------------------------------------------------------------
def test_each_clip_holds_one_voice_in_time_order_within_the_limit():
    st = [(0.0, 5.0, "A"), (6.0, 8.0, "B"), (10.0, 20.0, "A"), (30.0, 45.0, "A"), (50.0, 52.0, "B")]
    clips = pack_by_voice(st, clip_s=28.0, sep_s=0.5)
    # A: 5 + 0.5 + 10 = 15.5, +0.5 + 15 = 31 > 28: a second clip; B: 2 + 0.5 + 2
    assert clips == [[(0.0, 0.0, 5.0), (5.5, 10.0, 10.0)], [(0.0, 6.0, 2.0), (2.5, 50.0, 2.0)], [(0.0, 30.0, 15.0)]]
    for clip in clips:
        assert clip[-1][0] + clip[-1][2] <= 28.0
    assert pack_by_voice([(0.0, 40.0, "A")], clip_s=28.0) == [[(0.0, 0.0, 28.0)]]  # never longer than a clip
    assert pack_by_voice([]) == []


def test_clip_audio_places_pieces_with_silence_between():
    samples = np.arange(10 * SAMPLE_RATE, dtype=np.float32) / SAMPLE_RATE  # value = time (s)
    clips = [[(0.0, 2.0, 1.0), (1.5, 6.0, 1.0)], [(0.0, 8.0, 0.5)]]
    audio, starts = clip_audio(samples, clips)
    assert starts == [0.0, 2.5] and len(audio) == int(3.0 * SAMPLE_RATE)
    assert audio[int(0.5 * SAMPLE_RATE)] == pytest.approx(2.5)
    assert not audio[int(1.2 * SAMPLE_RATE):int(1.5 * SAMPLE_RATE)].any()  # the separator
    assert audio[int(2.0 * SAMPLE_RATE)] == pytest.approx(6.5)
    assert audio[int(2.6 * SAMPLE_RATE)] == pytest.approx(8.1)
    # samples that start later in the recording (a channel, an offset)
    audio2, _ = clip_audio(samples, [[(0.0, 12.0, 1.0)]], offset_s=10.0)
    assert audio2[int(0.5 * SAMPLE_RATE)] == pytest.approx(2.5)


def test_words_are_moved_back_dropped_in_separators_and_segments_split_per_piece():
    clips = [[(0.0, 40.0, 2.0), (2.5, 70.0, 2.0)], [(0.0, 100.0, 3.0)]]
    starts = [0.0, 4.5]
    s1 = seg(w("one", 0.2, 0.6), w("two", 1.0, 1.6), w("sep", 2.05, 2.45), w("three", 2.8, 3.3))
    s2 = seg(w("four", 5.0, 5.5), w("past", 7.6, 8.0))
    got = map_clip_words([s1, s2], clips, starts)
    assert [s.text for s in got] == ["one two", "three", "four"]
    assert got[0].words[0].start == pytest.approx(40.2) and got[0].end == pytest.approx(41.6)
    assert got[1].start == pytest.approx(70.3) and got[1].end == pytest.approx(70.8)
    assert got[2].start == pytest.approx(100.5)
    # a word that straddles a piece's edge keeps times inside the piece
    edge = map_clip_words([seg(w("edge", 1.6, 2.2))], clips, starts)
    assert edge[0].words[0].end == pytest.approx(42.0)


# -- the decoding, with a fake batched pipeline ---------------------------------------------------
class FakePipe:
    def __init__(self, answers: list[Any]):
        self.answers = answers
        self.calls: list[tuple[int, dict[str, Any]]] = []

    def transcribe(self, samples: np.ndarray, **kw: Any) -> tuple[Any, None]:
        self.calls.append((len(samples), kw))
        return iter(self.answers), None


def fw_segment(words: list[tuple[str, float, float]], *, no_speech_prob: float = 0.05) -> Any:
    ws = [SimpleNamespace(word=f" {t}", start=a, end=b, probability=0.8) for t, a, b in words]
    return SimpleNamespace(start=ws[0].start, end=ws[-1].end, text=" ".join(t for t, _, _ in words), words=ws,
                           avg_logprob=-0.3, no_speech_prob=no_speech_prob, compression_ratio=1.2)


def test_recover_turns_decodes_one_window_per_voice_and_splices_the_words():
    cfg = AsrConfig(model="base")
    turns = [turn(0.0, 4.0, "A"), turn(4.0, 7.0, "B"), turn(7.0, 11.0, "A"), turn(11.0, 14.0, "B")]
    have = [seg(*words_every(0.0, 4.0)), seg(*words_every(7.0, 11.0))]
    # B's two turns (4-7, 11-14) are packed into one clip: 0-3, separator 3-3.5, 3.5-6.5
    pipe = FakePipe([fw_segment([("what", 0.5, 0.9), ("now", 1.0, 1.4), ("then", 4.0, 4.5)]),
                     fw_segment([("Thank", 5.0, 5.2), ("you", 5.2, 5.4), ("for", 5.4, 5.6), ("watching", 5.6, 6.0)],
                                no_speech_prob=0.9)])
    out, report, st = recover_turns(pipe, np.zeros(14 * SAMPLE_RATE, np.float32), have, FilterReport(),
                                    [(0.0, 14.0)], turns, language="en", config=cfg, min_s=1.5, sep_s=0.5, pad_s=0.0)
    assert st == [(4.0, 7.0, "B"), (11.0, 14.0, "B")]
    n, kw = pipe.calls[0]
    assert n == int(6.5 * SAMPLE_RATE) and kw["clip_timestamps"] == [{"start": 0.0, "end": 6.5}]
    assert kw["vad_filter"] is False and kw["language"] == "en"
    rec = [s for s in out if "recovered" in s.flags]
    assert [s.text for s in rec] == ["what now", "then"]
    assert rec[0].start == pytest.approx(4.5) and rec[1].start == pytest.approx(11.5)
    assert [s.start for s in out] == sorted(s.start for s in out)
    assert report.hallucinations_dropped == 1


def test_recover_turns_does_nothing_without_a_stretch():
    pipe = FakePipe([])
    have = [seg(*words_every(0.0, 4.0))]
    out, _, st = recover_turns(pipe, np.zeros(5 * SAMPLE_RATE, np.float32), have, FilterReport(), [(0.0, 4.0)],
                               [turn(0.0, 4.0, "A")], language="en", config=AsrConfig(model="base"), min_s=1.5)
    assert (out, st, pipe.calls) == (have, [], [])


def test_voices_may_share_clips_when_asked():
    st = [(0.0, 5.0, "A"), (6.0, 8.0, "B"), (10.0, 12.0, "A")]
    assert pack_by_voice(st, sep_s=0.5, one_voice=False) == [[(0.0, 0.0, 5.0), (5.5, 10.0, 2.0), (8.0, 6.0, 2.0)]]


def test_padding_widens_a_stretch_but_not_over_words_or_into_its_neighbour():
    turns = [turn(0.0, 10.0, "A"), turn(10.0, 14.0, "B"), turn(14.0, 20.0, "C")]
    words = words_every(0.0, 9.0)  # the last word starts at 8.5: covers 8.5-8.9
    got = turn_stretches([(0.0, 20.0)], turns, words, min_s=0.5, pad_s=0.3)
    # A's 8.9-10 widened left stops at the word; A|B and B|C meet at their edges, the last widened right by 0.3
    assert [(round(a, 2), round(b, 2), s) for a, b, s in got] == [(8.9, 10.0, "A"), (10.0, 14.0, "B"), (14.0, 20.3, "C")]
    far = turn_stretches([(0.0, 20.0)], [turn(2.0, 6.0, "A")], [w("x", 0.0, 0.4), w("y", 6.2, 6.6)], min_s=1.0, pad_s=0.3)
    assert [(round(a, 2), round(b, 2)) for a, b, _ in far] == [(1.7, 6.2)]


def test_a_piece_holding_a_loop_gets_no_words():
    clips = [[(0.0, 50.0, 2.0), (2.5, 60.0, 2.0)]]
    loop = seg(*[w(f"w{i}", 2.6 + i * 0.1, 2.65 + i * 0.1) for i in range(14)])  # 14 words in 2 s: over 5/s + 2
    fine = seg(w("one", 0.2, 0.6), w("two", 0.7, 1.0))
    got = map_clip_words([fine, loop], clips, [0.0])
    assert [s.text for s in got] == ["one two"]
    assert len(map_clip_words([loop], clips, [0.0], max_words_per_s=10.0)[0].words) == 14


def test_a_piece_that_repeats_a_long_sentence_gets_no_words():
    sentence = "when you are on the line what are the first things that you should cope with".split()
    looped = [w(t, 0.1 * i, 0.1 * i + 0.05) for i, t in enumerate(sentence * 3)]  # 48 words in 26 s: under 5/s
    clips = [[(0.0, 100.0, 26.0)]]
    assert map_clip_words([seg(*looped)], clips, [0.0]) == []
    once = [w(t, 0.5 * i, 0.5 * i + 0.3) for i, t in enumerate(sentence + "and then I will say what are the odds".split())]
    assert len(map_clip_words([seg(*once)], clips, [0.0])[0].words) == len(once)  # one trigram said twice: kept


def test_a_voice_the_first_pass_never_transcribed_gets_no_window():
    turns = [turn(0.0, 10.0, "A"), turn(10.0, 14.0, "X"), turn(14.0, 16.0, "A"), turn(16.0, 20.0, "A")]
    words = words_every(0.0, 10.0)
    every = turn_stretches([(0.0, 20.0)], turns, words, min_s=1.0)
    assert [s for _, _, s in every] == ["X", "A"]
    assert [s for _, _, s in turn_stretches([(0.0, 20.0)], turns, words, min_s=1.0, min_voice_words=3)] == ["A"]


def test_a_clip_may_be_limited_to_a_few_stretches():
    st = [(float(t), t + 1.0, "A") for t in range(0, 10, 2)]
    assert [len(c) for c in pack_by_voice(st, max_per_clip=2)] == [2, 2, 1]
    assert [len(c) for c in pack_by_voice(st)] == [5]

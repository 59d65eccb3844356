"""Round 9 (diar): speech the diarization did not mark but the transcription heard words in gets a speaker."""

from __future__ import annotations

from sessionscope.audio.align import FillParams, fill_gaps, uncovered, utterances_from_turns
from sessionscope.audio.diarize import SpeakerTurn
from sessionscope.audio.hallucination import AsrSegment, AsrWord

A, B = "SPEAKER_00", "SPEAKER_01"


def _seg(*words: tuple[str, float, float]) -> AsrSegment:
    ws = tuple(AsrWord(f" {t}", s, e, 0.9) for t, s, e in words)
    return AsrSegment(ws[0].start, ws[-1].end, " ".join(t for t, _, _ in words), ws)


def test_uncovered_subtracts_every_turn():
    turns = [SpeakerTurn(1.0, 2.0, A), SpeakerTurn(1.5, 3.0, B), SpeakerTurn(5.0, 6.0, A)]
    assert uncovered([(0.5, 4.0), (4.5, 5.5), (7.0, 8.0)], turns) == [(0.5, 1.0), (3.0, 4.0), (4.5, 5.0), (7.0, 8.0)]


def test_words_next_to_a_turn_take_its_speaker():
    turns = [SpeakerTurn(0.0, 4.0, A), SpeakerTurn(10.0, 14.0, B)]
    segs = [_seg(("so", 4.2, 4.5), ("then", 4.55, 5.0)), _seg(("okay", 9.0, 9.78))]

    def never(s: float, e: float) -> str:
        raise AssertionError("a stretch next to a turn is not embedded")

    out = fill_gaps(turns, segs, voice_of=never)
    assert out == [SpeakerTurn(0.0, 4.0, A), SpeakerTurn(4.2, 5.0, A), SpeakerTurn(9.0, 9.78, B), SpeakerTurn(10.0, 14.0, B)]


def test_spilled_last_words_and_unplaced_words_are_no_evidence():
    turns = [SpeakerTurn(0.0, 4.0, A), SpeakerTurn(10.0, 14.0, B)]
    spill = _seg(("been.", 4.1, 4.6))  # starts 0.1 s after the turn: its last word stretched into the pause
    unplaced = _seg(("and", 6.0, 6.02))  # Whisper could not place it: (almost) no length
    assert fill_gaps(turns, [spill, unplaced]) == turns
    assert fill_gaps(turns, [spill, unplaced], params=FillParams(touch_s=0.0, min_word_s=0.0))[1:3] == [
        SpeakerTurn(4.1, 4.6, A), SpeakerTurn(5.86, 6.16, A)]  # unplaced word padded to 0.3 s, nearest turn


def test_bridge_covers_the_pause_to_the_adjacent_turn():
    turns = [SpeakerTurn(0.0, 4.0, A)]
    out = fill_gaps(turns, [_seg(("so", 4.2, 4.8))], params=FillParams(bridge=True))
    assert out[-1] == SpeakerTurn(4.0, 4.8, A)


def test_short_spill_and_covered_words_add_nothing():
    turns = [SpeakerTurn(0.0, 4.0, A), SpeakerTurn(4.1, 8.0, B)]
    segs = [_seg(("in", 1.0, 1.4), ("spill", 7.9, 8.15))]  # 0.15 s past the turn: word-time spill, not speech
    assert fill_gaps(turns, segs) == turns


def test_a_long_stretch_far_from_every_turn_goes_to_the_nearest_voice():
    turns = [SpeakerTurn(0.0, 2.0, A), SpeakerTurn(2.0, 4.0, B)]
    segs = [_seg(("a", 10.0, 10.6), ("long", 10.7, 11.5), ("remark", 11.6, 12.4))]
    asked = []

    def voice_of(s: float, e: float) -> str:
        asked.append((s, e))
        return A

    out = fill_gaps(turns, segs, voice_of=voice_of)
    assert asked == [(10.0, 12.4)] and out[-1] == SpeakerTurn(10.0, 12.4, A)
    # too short to embed: the speaker of the nearest turn
    out = fill_gaps(turns, [_seg(("hm", 10.0, 10.4))], voice_of=voice_of)
    assert out[-1] == SpeakerTurn(10.0, 10.4, B) and len(asked) == 1


def test_vad_regions_are_evidence_only_when_asked():
    turns = [SpeakerTurn(0.0, 4.0, A)]
    assert fill_gaps(turns, [], speech=[(4.1, 5.0)]) == turns
    assert fill_gaps(turns, [], speech=[(4.1, 5.0)], params=FillParams(vad=True))[-1] == SpeakerTurn(4.1, 5.0, A)


def test_filled_turns_carry_their_words_and_count_as_talk_time():
    turns = [SpeakerTurn(0.0, 4.0, A), SpeakerTurn(10.0, 14.0, B)]
    segs = [_seg(("hello", 0.5, 1.0)), _seg(("so", 4.2, 4.5), ("then", 4.55, 5.0)), _seg(("fine", 11.0, 11.5))]
    utts = utterances_from_turns(segs, fill_gaps(turns, segs))
    assert [(u.speaker, u.start, u.end, u.text) for u in utts] == [
        (A, 0.0, 4.0, "hello"), (A, 4.2, 5.0, "so then"), (B, 10.0, 14.0, "fine")]


def test_no_turns_nothing_to_fill():
    assert fill_gaps([], [_seg(("hello", 0.5, 1.0))]) == []


def test_the_recognition_step_fills_only_when_asked():
    import numpy as np

    from sessionscope.audio.asr import AsrResult
    from sessionscope.audio.diarize import Diarization
    from sessionscope.audio.pipeline import WORD_FILL, align_words

    asr = AsrResult(segments=(_seg(("hello", 0.5, 1.0)), _seg(("so", 4.2, 4.6), ("then", 4.65, 5.0))), language="en",
                    language_probability=None, language_source="assumed", model="fake")
    diar = Diarization(turns=(SpeakerTurn(0.0, 4.0, A),), centroids={A: [1.0, 0.0]})
    samples = np.zeros(16000 * 6, dtype=np.float32)
    assert WORD_FILL == FillParams()  # on by default
    filled = align_words(asr, diar, samples, word_fill=WORD_FILL)
    assert [(u.speaker, u.start, u.end, u.text) for u in filled] == [(A, 0.0, 4.0, "hello"), (A, 4.2, 5.0, "so then")]
    plain = align_words(asr, diar, samples, word_fill=None)  # the words stay, the talk time is the diarization's
    assert [(u.speaker, u.start, u.end, u.text) for u in plain] == [(A, 0.0, 4.0, "hello so then")]


def test_the_fill_is_a_validated_option():
    from sessionscope.config import Config

    assert Config().diarization.word_fill is True
    assert Config.model_validate({"diarization": {"word_fill": False}}).diarization.word_fill is False

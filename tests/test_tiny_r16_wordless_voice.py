"""A wordless blip split off a single talker is not a speaker of its own (issue 11, round 16)."""
from sessionscope.audio.align import fold_wordless_voices, utterances_from_turns
from sessionscope.audio.diarize import SpeakerTurn
from sessionscope.audio.hallucination import AsrSegment, AsrWord


def _seg(*words: tuple[str, float, float]) -> AsrSegment:
    ws = tuple(AsrWord(w, s, e, 0.9) for w, s, e in words)
    return AsrSegment(ws[0].start, ws[-1].end, " ".join(w for w, _, _ in words), words=ws)


def test_wordless_blip_goes_to_the_nearest_voice() -> None:
    # the ru-pisets shape: a 0.19 s wordless run, then one voice with all the words
    turns = [SpeakerTurn(0.02, 0.21, "SPEAKER_00"), SpeakerTurn(0.33, 2.40, "SPEAKER_01")]
    segs = [_seg(("нейронной", 0.5, 1.1), ("сети", 1.2, 1.6), ("хорошо", 1.8, 2.3))]
    out = fold_wordless_voices(turns, segs)
    assert {t.speaker for t in out} == {"SPEAKER_01"}
    assert [(t.start, t.end) for t in out] == [(0.02, 0.21), (0.33, 2.40)]
    assert {u.speaker for u in utterances_from_turns(segs, out)} == {"SPEAKER_01"}


def test_overlapping_blip_goes_to_the_voice_it_overlaps() -> None:
    turns = [SpeakerTurn(0.0, 1.0, "A"), SpeakerTurn(1.0, 3.0, "B"), SpeakerTurn(2.0, 2.3, "C")]
    segs = [_seg(("one", 0.1, 0.8)), _seg(("two", 1.2, 1.8))]
    out = fold_wordless_voices(turns, segs)
    assert [t.speaker for t in out] == ["A", "B", "B"]


def test_short_voice_with_a_word_or_long_enough_stays() -> None:
    turns = [SpeakerTurn(0.0, 0.3, "A"), SpeakerTurn(0.5, 3.0, "B")]
    worded = [_seg(("yes", 0.05, 0.25)), _seg(("well", 0.6, 1.0))]
    assert [t.speaker for t in fold_wordless_voices(turns, worded)] == ["A", "B"]
    long_turns = [SpeakerTurn(0.0, 0.8, "A"), SpeakerTurn(1.0, 3.0, "B")]
    assert [t.speaker for t in fold_wordless_voices(long_turns, [_seg(("well", 1.1, 1.5))])] == ["A", "B"]


def test_no_words_at_all_keeps_the_voices() -> None:
    turns = [SpeakerTurn(0.0, 0.3, "A"), SpeakerTurn(0.5, 3.0, "B")]
    assert [t.speaker for t in fold_wordless_voices(turns, [])] == ["A", "B"]

"""Seamless speaker changes inside running words, checked against the voices (model-free)."""

from __future__ import annotations

from sessionscope.audio.align import SeamParams, check_seams, find_seams, mend_seams, utterances_from_turns
from sessionscope.audio.diarize import SpeakerTurn
from sessionscope.audio.hallucination import AsrSegment, AsrWord


def seg(*words: tuple[str, float, float]) -> AsrSegment:
    ws = tuple(AsrWord(f" {t}", s, e, 0.9) for t, s, e in words)
    return AsrSegment(ws[0].start, ws[-1].end, "".join(w.text for w in ws), ws)


# one person's sentence, 6.0-9.0 s, cut at 7.5 s (where the 0-10 s and 5-15 s segmentation chunks are stitched)
SENTENCE = seg(("so", 6.0, 6.4), ("we", 6.45, 6.9), ("went", 6.95, 7.4), ("down", 7.45, 7.9), ("to", 7.95, 8.3),
               ("the", 8.35, 8.6), ("river", 8.65, 9.0))
CUT = [SpeakerTurn(2.0, 5.5, "B"), SpeakerTurn(6.0, 7.5, "A"), SpeakerTurn(7.5, 9.0, "B")]


def test_a_seamless_change_inside_running_words_is_a_seam() -> None:
    seams = find_seams(CUT, [SENTENCE])
    assert len(seams) == 1
    sm = seams[0]
    assert (CUT[sm.before].speaker, CUT[sm.after].speaker, sm.at) == ("A", "B", 7.5)
    assert abs(sm.left_s - 1.5) < 1e-9 and abs(sm.right_s - 1.5) < 1e-9  # the words run 6.0-9.0 without a pause


def test_no_seam_at_a_pause_at_a_gap_or_between_one_speakers_turns() -> None:
    paused = seg(("so", 6.0, 6.4), ("we", 6.45, 7.0), ("went", 8.0, 8.4))  # 1 s pause around 7.5: a real change may be there
    assert find_seams(CUT, [paused]) == []
    gap = [SpeakerTurn(6.0, 7.4, "A"), SpeakerTurn(7.5, 9.0, "B")]  # not seamless: the diarization saw a pause
    assert find_seams(gap, [SENTENCE]) == []
    same = [SpeakerTurn(6.0, 7.5, "A"), SpeakerTurn(7.5, 9.0, "A")]
    assert find_seams(same, [SENTENCE]) == []
    later = [SpeakerTurn(6.0, 8.3, "A"), SpeakerTurn(8.3, 9.0, "B")]  # anywhere in the words, not only at 7.5
    sm = find_seams(later, [SENTENCE])
    assert len(sm) == 1 and abs(sm[0].left_s - 2.3) < 1e-9 and abs(sm[0].right_s - 0.7) < 1e-9


def test_the_piece_that_matches_the_other_voice_moves_to_it() -> None:
    seams = find_seams(CUT, [SENTENCE])
    # the left piece sounds like B (B's voice 0.8, A's 0.5); the right piece like B too
    sims = [{"A": 0.5, "B": 0.8}, {"A": 0.4, "B": 0.9}]
    out = mend_seams(CUT, seams, sims)
    assert out == [SpeakerTurn(2.0, 5.5, "B"), SpeakerTurn(6.0, 9.0, "B")]
    utts = utterances_from_turns([SENTENCE], out)
    assert [(u.speaker, u.text) for u in utts if u.words] == [("B", "so we went down to the river")]


def test_the_right_piece_moves_when_it_matches_better() -> None:
    seams = find_seams(CUT, [SENTENCE])
    sims = [{"A": 0.8, "B": 0.5}, {"A": 0.7, "B": 0.4}]  # both pieces sound like A
    out = mend_seams(CUT, seams, sims)
    assert out == [SpeakerTurn(2.0, 5.5, "B"), SpeakerTurn(6.0, 9.0, "A")]


def test_nothing_moves_without_a_better_match_by_the_margin_or_on_short_pieces() -> None:
    seams = find_seams(CUT, [SENTENCE])
    agree = [{"A": 0.8, "B": 0.5}, {"A": 0.4, "B": 0.9}]  # each piece matches its own label: a real change
    assert mend_seams(CUT, seams, agree) == CUT
    close = [{"A": 0.50, "B": 0.55}, {"A": 0.4, "B": 0.9}]
    assert mend_seams(CUT, seams, close, params=SeamParams(margin=0.1)) == CUT
    assert mend_seams(CUT, seams, [{"A": 0.5, "B": 0.8}, {}], params=SeamParams(min_s=2.0)) == CUT


def test_check_seams_embeds_only_long_enough_pieces_and_needs_two_voices() -> None:
    asked: list[list[tuple[float, float]]] = []

    def sims(spans: list[tuple[float, float]]) -> list[dict[str, float]]:
        asked.append(spans)
        return [{"A": 0.2, "B": 0.9} for _ in spans]

    short = seg(("so", 6.0, 6.4), ("we", 6.45, 7.3), ("went", 7.3, 7.4), ("down", 7.45, 7.6))
    turns = [SpeakerTurn(2.0, 5.5, "B"), SpeakerTurn(7.1, 7.5, "A"), SpeakerTurn(7.5, 9.0, "B")]
    out = check_seams(turns, [short], voice_sims=sims)
    # the left piece is A's whole 0.4 s turn (embedded), the right one 0.1 s of words (under min_s: not embedded)
    assert len(asked) == 1 and len(asked[0]) == 1
    assert abs(asked[0][0][0] - 7.1) < 1e-9 and asked[0][0][1] == 7.5
    assert out == [SpeakerTurn(2.0, 5.5, "B"), SpeakerTurn(7.1, 9.0, "B")]
    asked.clear()
    one = [SpeakerTurn(6.0, 7.5, "A"), SpeakerTurn(7.5, 9.0, "A")]
    assert check_seams(one, [SENTENCE], voice_sims=sims) == one and asked == []


def test_a_short_gap_between_the_labels_is_a_seam_only_when_allowed() -> None:
    gapped = [SpeakerTurn(6.0, 7.4, "A"), SpeakerTurn(7.6, 9.0, "B")]
    assert find_seams(gapped, [SENTENCE]) == []  # the default: seamless changes only
    (sm,) = find_seams(gapped, [SENTENCE], params=SeamParams(gap_s=0.3))
    assert (sm.at, sm.to) == (7.4, 7.6)
    out = mend_seams(gapped, [sm], [{"A": 0.9, "B": 0.1}, {"A": 0.8, "B": 0.3}])  # the right piece sounds like A
    assert out == [SpeakerTurn(6.0, 9.0, "A")]

"""Round 24 measures audit: the dynamics measures as docs/metrics.md defines them, on hand-built transcripts.

Each case is one the audit (``benchmarks/r24_measures.py``) found on real transcripts where the tool's figure was not
the documented one: QMSum's "Mm - hmm ." took the floor, a listener's "mm" under a monologue that had started more
than five utterances earlier took it too, and an RTTM (speaker turns without text) wrote 0 words and 0 questions.
"""

from __future__ import annotations

from pathlib import Path

from sessionscope.analysis.dynamics import backchannel, compute_metrics, contained, find_interruptions
from sessionscope.config import DynamicsConfig
from sessionscope.io import read_transcript
from sessionscope.model import DataQuality, Participant, Role, Session, Utterance

CFG = DynamicsConfig()


def _u(i: int, who: str, text: str, start: float | None = None, end: float | None = None) -> Utterance:
    return Utterance(id=f"u{i:03d}", speaker=who, text=text, start=start, end=end)


def _session(utts: list[Utterance], **kw: object) -> Session:
    people = tuple(Participant(id=p, name=p, role=Role.OTHER) for p in dict.fromkeys(u.speaker for u in utts))
    return Session(id="s", participants=people, utterances=tuple(utts), **kw)  # type: ignore[arg-type]


def test_a_spaced_out_mm_hmm_is_a_backchannel() -> None:
    """QMSum / AMI text writes "Mm - hmm ." with spaces: the lone "-" is no word (docs: words are letters/digits)."""
    assert backchannel(_u(1, "b", "Mm - hmm ."), CFG)
    assert backchannel(_u(1, "b", "Mm-hmm."), CFG)
    assert not backchannel(_u(1, "b", "Mm - hmm , I think so ."), CFG)
    m = compute_metrics(_session([_u(1, "a", "So the remote has four buttons and a screen ."),
                                  _u(2, "b", "Mm - hmm ."),
                                  _u(3, "a", "And the screen shows the channel .")]), CFG)
    assert m.session["turns"] == 1  # was 3: the "Mm - hmm" took the floor and split a's turn
    assert m.participants["b"]["backchannels"] == 1


def test_a_backchannel_under_a_monologue_started_long_before_takes_no_floor() -> None:
    """AMI ES2014b: a 36 s monologue, five short utterances of others inside it, then a 0.3 s "mm" (no text in an
    RTTM: judged by its length) still inside it. Before round 24 only five utterances back were looked at."""
    utts = [_u(1, "a", "", 0.0, 36.0)]
    utts += [_u(i + 2, "c", "", 2.0 + 5 * i, 2.3 + 5 * i) for i in range(5)]  # short, inside a's
    utts += [_u(8, "b", "", 30.0, 30.3), _u(9, "b", "", 40.0, 45.0)]
    assert "u008" in contained(utts)
    m = compute_metrics(_session(utts), CFG)
    assert [t.utterance_ids for t in m.turns] == [("u001",), ("u009",)]
    assert m.participants["b"]["backchannels"] == 1


def test_contained_takes_equal_starts_and_the_speakers_own_speech_apart() -> None:
    utts = [_u(1, "a", "x", 0.0, 5.0), _u(2, "b", "y", 0.0, 2.0), _u(3, "a", "z", 6.0, 7.0), _u(4, "a", "w", 6.5, 6.8)]
    assert contained(utts) == {"u002"}  # b inside a (same start); a's own "w" inside a's "z" is no one else's


def test_an_interruption_of_an_utterance_started_more_than_twenty_utterances_earlier() -> None:
    """B cuts into A's long utterance after 25 short backchannels of others: before round 24 only the last 20
    utterances were looked at, and the interruption was lost."""
    utts = [_u(1, "a", "I will now explain the whole plan in detail", 0.0, 100.0)]
    utts += [_u(i + 2, "c", "mm", 1.0 + 3 * i, 1.5 + 3 * i) for i in range(25)]
    utts.append(_u(30, "b", "Sorry, but that is not what we agreed on at all", 90.0, 104.0))
    overlap = DynamicsConfig(interruptions="overlap")
    assert find_interruptions(utts, overlap) == [("b", "a", True, "u030")]
    m = compute_metrics(_session(utts), overlap)
    assert m.session["interruptions"] == 1
    assert m.interruption_matrix == {"b": {"a": 1}}
    # the cut-off rule (round 50) looks back as far: A left hanging when B starts is cut off
    utts[0] = _u(1, "a", "I will now explain the whole plan in detail and the", 0.0, 91.0)
    assert find_interruptions(utts, CFG, "en") == [("b", "a", True, "u030")]


def test_speech_without_any_text_has_no_word_measures(tmp_path: Path) -> None:
    """An RTTM: words, questions and their shares are unknown (null, listed), not zero; time measures stay."""
    rttm = "\n".join(f"SPEAKER t 1 {s:.2f} {d:.2f} <NA> <NA> {who} <NA> <NA>"
                     for s, d, who in ((0.0, 4.0, "A"), (4.2, 3.0, "B"), (8.0, 3.0, "A")))
    p = tmp_path / "t.rttm"
    p.write_text(rttm + "\n", encoding="utf-8")
    m = compute_metrics(read_transcript(p), CFG)
    for row in m.participants.values():
        assert row["word_count"] is None and row["questions_asked"] is None and row["words_per_minute"] is None
        assert row["talk_time_s"] is not None and (row["turns"] or 0) > 0
    assert m.session["words"] is None and m.session["questions"] is None and m.session["word_gini"] is None
    assert {"word_count", "questions_asked", "session.words", "session.questions"} <= set(m.unavailable)
    assert m.session["balance_score"] is not None


def test_a_recording_transcribed_into_no_words_keeps_its_zeros() -> None:
    """The recogniser heard no word: 0 words is a measurement there (the report's note on speech without words)."""
    utts = [_u(1, "a", "", 0.0, 4.0), _u(2, "b", "", 4.5, 8.0)]
    m = compute_metrics(_session(utts, quality=DataQuality(asr_model="base")), CFG)
    assert m.participants["a"]["word_count"] == 0
    assert m.session["questions"] == 0
    assert "word_count" not in m.unavailable


def test_a_backchannel_behind_a_transcript_mark_answers_no_wh_question() -> None:
    """QMSum ES2014b: "So how would this menu function work ?" → "{vocalsound} Yeah ,": the mark is no word (docs), so
    the reply is a backchannel and answers no what/why/how question; a yes/no question it still answers."""
    from sessionscope.analysis.questions import find_questions, spoken_backchannel

    assert spoken_backchannel("{vocalsound} Yeah ,", CFG.backchannels)
    assert not spoken_backchannel("{vocalsound}", CFG.backchannels)  # marks alone: no words at all
    for question, answered in (("So how would this menu function work ?", False), ("Is the menu on the remote ?", True)):
        utts = [_u(1, "a", question), _u(2, "b", "{vocalsound} Yeah ,")]
        (q,) = find_questions(utts, language="en", backchannels=CFG.backchannels, head=None, answer_head=None)
        assert q.answered is answered

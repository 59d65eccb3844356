"""Round 12 (questions): quoted questions in bare stories; the real-talk benchmark's units and reference."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from sessionscope.analysis.questions import quoted_after, reported_question, session_questions
from sessionscope.config import DynamicsConfig
from sessionscope.model import Participant, Session, Utterance

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.mark.parametrize("text", [
    "and i said what do you mean he was weird",
    "I was like, why did she send this to us?",
    "he goes do you want it",
    "and she asked can we go",
    "I said, well, are you coming?",
    "and he's like well what what's why are you here",  # a restarted interrogative after the frame
    "and I'm like then why are you talking about it",
])
def test_a_question_quoted_without_marks_is_reported(text):
    assert reported_question(text)


@pytest.mark.parametrize("text", [
    "you said what do you mean",  # the listener's words checked back: still asked
    "did he say what do you mean",  # a question about the report
    "what did you say",
    "so what he said was fine",  # no question after the frame
    "it goes where the sub is",
    "as i said the plan is fine",
])
def test_other_saying_words_are_not_a_quote(text):
    assert not reported_question(text)


def test_a_bare_clause_after_a_saying_frame_is_quoted():
    assert quoted_after("and then i said", "what do you mean")
    assert quoted_after("and she was like", "oh why are you here")
    assert not quoted_after("you said", "what do you mean")
    assert not quoted_after("i asked him whether it works", "it does")  # the first clause is the report already
    assert not quoted_after("okay so", "what do you mean")


def _bare_session(lines: list[tuple[str, str]]) -> Session:
    utts = tuple(Utterance(id=f"u{k}", speaker=s, text=t, start=2.0 * k, end=2.0 * k + 1.5) for k, (s, t) in enumerate(lines))
    return Session(id="s", language="en", utterances=utts, participants=(Participant(id="a", name="a"), Participant(id="b", name="b")))


def test_session_questions_leave_a_quoted_question_in_a_bare_story_out():
    story = _bare_session([
        ("a", "so my manager came over yesterday"),
        ("a", "and i said what do you mean the release moved"),
        ("b", "oh no"),
        ("b", "what did he answer"),
        ("a", "he did not say much"),
    ])
    found = {e.utterance_id for e in session_questions(story, DynamicsConfig())}
    assert "u1" not in found  # told, not asked
    assert "u3" in found  # the listener's own question is still found


@pytest.fixture(scope="module")
def realtalk():
    sys.path.insert(0, str(BENCH))
    try:
        import questions_realtalk_r12_questions as mod
    finally:
        sys.path.remove(str(BENCH))
    return mod


def test_stm_lines_become_sentences_closed_by_final_marks_and_pauses(realtalk):
    from sessionscope.io._common import Record

    recs = [Record(label="A", text="So you don't need,", start=0.0, end=1.0), Record(label="A", text="to", start=1.0, end=1.2),
            Record(label="B", text="Mhm.", start=1.1, end=1.4), Record(label="A", text="to do the ~feet?", start=1.3, end=2.0),
            Record(label="A", text="and then", start=2.0, end=2.5), Record(label="A", text="#later.", start=6.0, end=7.0)]
    sents = realtalk._stm_sentences("x", recs)
    assert [(s.speaker, s.text) for s in sents] == [("A", "So you don't need, to to do the feet?"), ("B", "Mhm."),
                                                     ("A", "and then"), ("A", "later.")]
    assert [s.question for s in sents] == [True, False, False, False]
    assert realtalk.half_of(sents) == ["choose", "choose", "choose", "report"]


def test_vtt_cues_split_at_sentence_ends_and_carry_unended_sentences(realtalk):
    from sessionscope.io._common import Record

    recs = [Record(label="A", text="Okay? This is the tool that I use to write the code", start=0.0, end=3.0),
            Record(label="A", text="that. Does anybody have questions?", start=3.0, end=5.0),
            Record(label="B", text="Yes, one", start=5.0, end=6.0)]
    sents = realtalk._cue_sentences("z", recs)
    assert [s.text for s in sents] == ["Okay?", "This is the tool that I use to write the code that.",
                                       "Does anybody have questions?", "Yes, one"]
    assert [s.question for s in sents] == [True, False, True, False]
    assert sents[1].reader is False and sents[2].shape == "INV"


def test_the_real_talk_transcripts_and_their_reference(realtalk, shared_data):
    sents = realtalk.transcripts()
    assert set(sents) == {"SBC001", "SBC009", "SBC044", "zoom"}
    assert {k: sum(s.question for s in v) for k, v in sents.items()} == {"SBC001": 89, "SBC009": 69, "SBC044": 46, "zoom": 27}
    assert all(not any(ch in s.text for ch in "~#<>") for v in sents.values() for s in v)


def test_bare_question_forms_on_real_talk_are_found(realtalk, shared_data):
    """Real talk no head was trained on (choosing half): bare, the "?" sentences in question form are found, and the
    quoted questions of the stories are not counted."""
    res = realtalk.realtalk("choose")
    form = res["recall_by_form_of_q_sentences"]["shipped_bare"]
    found = sum(form[s]["found"] for s in ("WH", "INV"))
    total = sum(form[s]["n"] for s in ("WH", "INV"))
    assert total >= 20 and found / total >= 0.9  # 25 / 25 at this round
    assert res["pooled"]["shipped_bare_reader"]["p"] >= 0.65  # 0.74
    # 0.929 at round 12, 0.920 before round 28; 0.888 since: SBC044's "?" is unreliable (most of its question-shaped
    # sentences end with "."), so its "."-ended sentences are read by the bare weights and its falling questions ("What's
    # wrong.") are found, which this "?" reference counts as false; against the reader's standard 0.824 → 0.844
    assert res["pooled"]["shipped_transcribed"]["f1"] >= 0.87
    assert res["pooled"]["shipped_transcribed_reader"]["f1"] >= 0.84
    false = {e["text"] for e in res["errors_bare_shipped"]["false"]}
    assert "And I said what do you mean he was weird." not in false

"""Round 31: a question quoted by a saying frame in the speaker's segment(s) just before is no question."""

from __future__ import annotations

import pytest

from sessionscope.analysis import questions as q
from sessionscope.analysis.questions import quoted_across, session_questions
from sessionscope.config import DynamicsConfig
from sessionscope.model import Participant, Session, Utterance


def _session(lines: list[tuple[str, str]]) -> Session:
    utts = tuple(Utterance(id=f"u{k}", speaker=s, text=t, start=2.0 * k, end=2.0 * k + 1.5) for k, (s, t) in enumerate(lines))
    return Session(id="s", language="en", utterances=utts,
                   participants=(Participant(id="a", name="a"), Participant(id="b", name="b")))


def test_the_frame_of_an_open_sentence_two_segments_back_quotes_the_question():
    assert quoted_across(["And I said well,", "why,"], ["a", "a"], [False, False], "a", "does that bother you?", False)
    assert quoted_across(["So I asked him,"], ["a"], [False], "a", "can you send the slides?", False)
    assert quoted_across(["И я его спросил,"], ["a"], [False], "a", "ты придёшь завтра?", False)  # Russian frames too
    assert quoted_across(["Он мне говорит:"], ["a"], [False], "a", "ты придёшь завтра?", False)


@pytest.mark.parametrize(("texts", "speakers", "speaker"), [
    (["And I said well."], ["a"], "a"),  # the sentence with the frame is closed: a new sentence asks
    (["And I said well,"], ["b"], "a"),  # another speaker's frame
    (["so my question is,"], ["a"], "a"),  # no saying frame
    (["you said,"], ["a"], "a"),  # the listener's words checked back: still asked
    (["I said,", "a", "b", "c"], ["a"] * 4, "a"),  # the frame is further back than QUOTE_OPEN_SEGMENTS open segments
])
def test_no_quote_without_an_open_frame_of_the_same_speaker(texts, speakers, speaker):
    assert not quoted_across(texts, speakers, [False] * len(texts), speaker, "does that bother you?", False)


def test_a_quoted_sentence_carries_on_to_the_next_open_segment():
    assert quoted_across(["do you leave,"], ["a"], [False], "a", "or what do you do.", False, last_quoted=True)
    assert not quoted_across(["do you leave."], ["a"], [False], "a", "or what do you do.", False, last_quoted=True)


def test_session_questions_leave_a_story_quote_cut_into_segments_out(monkeypatch):
    story = _session([
        ("a", "she's like well I think he might have been."),
        ("a", "And I said well,"),
        ("a", "why,"),
        ("a", "does that bother you?"),
        ("b", "What did she say?"),
        ("a", "She said no."),
    ])
    cfg = DynamicsConfig()
    q._SESSION_QUESTIONS.clear()
    found = {e.utterance_id for e in session_questions(story, cfg)}
    assert "u3" not in found  # told, not asked
    assert "u4" in found  # the listener's own question is still found
    monkeypatch.setattr(q, "QUOTES_ACROSS_SEGMENTS", False)
    q._SESSION_QUESTIONS.clear()
    assert "u3" in {e.utterance_id for e in session_questions(story, cfg)}  # before round 31
    q._SESSION_QUESTIONS.clear()


@pytest.mark.parametrize(("text", "reported"), [
    ("I'm like, how the hell did he end up with that thing.", True),  # an intensifier after the wh-word
    ("and he'll always ask me, well how's Scott, how is your sex life with Scott.", True),  # a habit of asking someone
    ("I'll ask him, does it work?", True),
    ("Can I ask him, does it work?", False),  # asks the listener
    ("Let me ask you, is it ready?", False),
    ("how the hell did he do it?", False),  # no frame
])
def test_more_saying_frames(text, reported):
    assert q.reported_question(text) is reported

"""Round 27 (issue 10): a greeting, summons or channel check said as a question ("Hello?", "Can you hear me?",
«Алло?», «Вы меня слышите?») is no question: not asked, not open, no knowledge flow. Model-free (the shipped question
head is a file of weights) and a faked extraction stage."""

from __future__ import annotations

import pytest

from helpers import make_session
from sessionscope.analysis.dynamics import compute_metrics
from sessionscope.analysis.flow import KnowledgeFlowStage
from sessionscope.analysis.questions import (
    _head_questions,
    bundled_question_head,
    find_questions,
    phatic_question,
    session_questions,
)
from sessionscope.config import DynamicsConfig
from sessionscope.model import Question, Session

ROLES = {"diane": "junior", "sheila": "senior"}


@pytest.mark.parametrize("text", [
    "Hello?", "Hi?", "Hey there?", "Hey, can you hear me?", "Hello, hello?", "Oh, hello?", "Hi there?", "Hello everyone?", "Can you hear me?",
    "Can you hear me now?", "Can everyone hear me okay?", "Are you there?", "Are you still there?", "You still there?",
    "Anybody there?", "Is anyone there?", "Am I on mute?", "Hello, can you hear me?", "Hello? Are you there?",
    "hello can you hear me", "Good morning?",
    "Алло?", "Алё?", "Алло, алло?", "Вы меня слышите?", "Ты меня слышишь?", "Слышите меня?", "Меня слышно?",
    "Алло, вы меня слышите?", "Ты тут?", "Вы ещё здесь?", "Вы на связи?", "Здравствуйте?", "Есть кто-нибудь?",
])
def test_greetings_summons_and_channel_checks_are_phatic(text: str) -> None:
    assert phatic_question(text)


@pytest.mark.parametrize("text", [
    "Hello, can you explain the budget?", "Are you there yet with the report?", "Hi, how was the trip?",
    "Hello, what do you think?", "Can you hear the difference?", "Can you?", "Are you?", "How are you?",
    "Okay?", "Right?", "Huh?", "Hey?", "Hello what?", "Can you see my screen?", "Did I lose you?", "Hello Kitty is a brand?",
    "Алло, а что с отчётом?", "Вы там уже закончили?", "Слышите?", "Ты тут был вчера?", "Как дела?",
    "Привет, ты сделал задачу?", "Вы меня слышите, когда я говорю быстро?",
])
def test_questions_that_ask_are_not_phatic(text: str) -> None:
    """The whole sentence decides, never its first word."""
    assert not phatic_question(text)


def _events(rows, language="en", **kw):  # noqa: ANN001, ANN202
    s = make_session(rows, roles=ROLES, language=language)
    return find_questions(s.utterances, language=language, backchannels=DynamicsConfig().backchannels, **kw)


@pytest.mark.parametrize("head", ["bundled", None])
def test_a_phatic_question_gives_no_question_event(head) -> None:  # noqa: ANN001
    """With the shipped head and with the lexical rule alone (no head file)."""
    rows = [("diane", 0.0, 0.5, "Hello?"), ("sheila", 0.9, 1.4, "Hello?"), ("diane", 1.7, 2.2, "Oh, hello."),
            ("sheila", 3.0, 4.0, "Can you hear me?"), ("diane", 4.2, 4.6, "Yes, I can.")]
    assert _events(rows, head=head) == []
    asks = [("diane", 0.0, 2.0, "Hello, can you explain the budget?"), ("sheila", 2.2, 5.0, "It covers the new hires."),
            ("diane", 6.0, 7.0, "Hello? What about the office?"), ("sheila", 7.2, 9.0, "That is next year.")]
    got = _events(asks, head=head)
    assert [(e.text, e.answered) for e in got] == [("Hello, can you explain the budget?", True),
                                                   ("What about the office?", True)]
    ru = [("diane", 0.0, 0.5, "Алло?"), ("sheila", 0.9, 1.4, "Алло, вы меня слышите?"), ("diane", 1.7, 2.2, "Да, слышу."),
          ("diane", 3.0, 4.0, "Алло, а что с отчётом?"), ("sheila", 4.2, 5.0, "Я пришлю его завтра.")]
    assert [e.text for e in _events(ru, "ru", head=head)] == ["Алло, а что с отчётом?"]


def test_head_questions_keeps_phatic_questions_only_when_asked_to() -> None:
    """``keep_phatic``: the comparison's before (benchmarks/r27_phatic_heldout.py)."""
    s = make_session([("diane", 0.0, 0.5, "Hello?"), ("sheila", 0.9, 1.4, "Hi. How are you?")], roles=ROLES)
    head = bundled_question_head()
    assert head is not None
    assert [q for q, _ in _head_questions(s.utterances, head, "en", keep_phatic=True)] == [["Hello?"], ["How are you?"]]
    assert [q for q, _ in _head_questions(s.utterances, head, "en")] == [[], ["How are you?"]]


class _FakeExtraction:
    """The extraction stage's questions (the dynamics' own events, as the stage builds its ``Question`` items) and no
    other item: the parsers and classifiers are not needed to weigh knowledge flow from questions."""

    name = "extraction"

    def __call__(self, session: Session) -> Session:
        events = session_questions(session, DynamicsConfig())
        qs = tuple(Question(id=f"q-{n:03d}", utterance_id=e.utterance_id, start=None, asker=e.asker, addressee=e.addressee,
                            text=e.text, answered=e.answered, answer_utterance_id=e.answer_utterance_id,
                            confidence=e.confidence, confirmation_tag=e.confirmation_tag)
                   for n, e in enumerate(events, 1))
        return session.evolve(questions=qs, extra={**session.extra, "extraction": {}})


def _pipeline(rows) -> Session:  # noqa: ANN001
    s = make_session(rows, roles=ROLES, duration=30.0)
    s = s.evolve(metrics=compute_metrics(s, DynamicsConfig()))
    return KnowledgeFlowStage()(_FakeExtraction()(s))


def test_a_hello_exchange_is_no_knowledge_flow() -> None:
    """The pyannote sample's call opens "Hello?" — "Hello?" — "Oh, hello.": before round 27 both "Hello?"s were
    answered questions, two flows, and the summary read "Knowledge flowed both ways (mutuality 1.00)"."""
    from sessionscope.report.session_md import render_session_markdown

    rows = [("diane", 6.68, 7.16, "Hello?"), ("sheila", 7.634, 8.155, "Hello?"), ("diane", 8.436, 8.876, "Oh, hello."),
            ("diane", 8.916, 9.798, "I didn't know you were there."), ("sheila", 9.838, 10.78, "Neither did I."),
            ("diane", 12.542, 14.184, "This is Diane in New Jersey.")]
    s = _pipeline(rows)
    assert s.questions == ()
    assert s.knowledge_flow is not None and s.knowledge_flow.matrix == {} and s.knowledge_flow.mutuality_index is None
    assert s.metrics is not None
    assert {p: m["questions_asked"] for p, m in s.metrics.participants.items()} == {"diane": 0, "sheila": 0}
    assert "Knowledge flowed both ways" not in render_session_markdown(s)
    # the same exchange with questions that ask: flows both ways
    asks = [("diane", 6.68, 7.16, "Hello, can you explain the budget?"), ("sheila", 7.634, 8.155, "It covers the hires."),
            ("sheila", 8.3, 9.0, "Are you there yet with the report?"), ("diane", 9.2, 9.8, "Almost, it is half done.")]
    s = _pipeline(asks)
    assert [q.text for q in s.questions] == ["Hello, can you explain the budget?", "Are you there yet with the report?"]
    assert s.knowledge_flow is not None and s.knowledge_flow.mutuality_index == 1.0

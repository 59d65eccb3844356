"""Russian questions in bare text (no punctuation, no capitals): the rule or the head's bare weights decide."""

from dataclasses import replace

import numpy as np
import pytest

from sessionscope.analysis.questions import bundled_question_head, find_questions, is_question
from sessionscope.model import Utterance

BACKCHANNELS = ("да", "угу", "ага")


def _dialogue(first: str, reply: str) -> list[Utterance]:
    return [Utterance(id="u1", speaker="A", text=first, start=0.0, end=2.0),
            Utterance(id="u2", speaker="B", text=reply, start=2.5, end=4.0),
            Utterance(id="u3", speaker="A", text="хорошо тогда продолжим", start=4.5, end=6.0)]


@pytest.fixture(scope="module")
def head():
    h = bundled_question_head()
    assert h is not None, "the shipped question head is missing"
    return h


def test_bare_declarative_russian_question_found_by_the_head(head):
    utts = _dialogue("ты уже отправил отчёт клиенту", "да вчера вечером")
    assert not is_question(utts[0].text, language="ru")  # no lexical cue: the rule alone misses it
    assert find_questions(utts, language="ru", backchannels=BACKCHANNELS, head=None) == []
    events = find_questions(utts, language="ru", backchannels=BACKCHANNELS, head=head)
    assert [e.utterance_id for e in events] == ["u1"]
    ev = events[0]
    assert ev.answered and ev.answer_utterance_id == "u2" and ev.asker == "A"  # answered by someone else
    assert ev.confidence is not None and ev.confidence >= head.thresholds[1]


def test_bare_russian_statement_stays_a_statement(head):
    utts = _dialogue("я вчера отправил отчёт клиенту", "хорошо спасибо")
    assert find_questions(utts, language="ru", backchannels=BACKCHANNELS, head=head) == []


def test_bare_russian_lexical_questions_kept_when_the_head_says_no(head):
    silent = replace(head, bias=np.array([head.bias[0], -1e3]))  # a bare weight set that never says yes
    utts = _dialogue("почему релиз перенесли на понедельник", "тесты не прошли")
    assert is_question(utts[0].text, language="ru")
    events = find_questions(utts, language="ru", backchannels=BACKCHANNELS, head=silent)
    assert [e.utterance_id for e in events] == ["u1"]  # «почему» opens it: the rule still decides yes


def test_punctuated_russian_keeps_the_lexical_decision(head):
    """With punctuation the "." is trusted: the head's yes does not turn a marked statement into a question."""
    eager = replace(head, bias=np.array([1e3, head.bias[1]]))  # a punctuated weight set that always says yes
    utts = [Utterance(id="u1", speaker="A", text="Ты уже отправил отчёт клиенту.", start=0.0, end=2.0),
            # (not «Да, вчера вечером.»: since round 46 a yes or no answer tells a yes/no question written with ".")
            Utterance(id="u2", speaker="B", text="Отлично, вчера вечером.", start=2.5, end=4.0),
            Utterance(id="u3", speaker="A", text="Хорошо, тогда продолжим.", start=4.5, end=6.0)]
    assert find_questions(utts, language="ru", backchannels=BACKCHANNELS, head=eager) == []
    utts[0] = replace(utts[0], text="Ты уже отправил отчёт клиенту?")
    assert [e.utterance_id for e in find_questions(utts, language="ru", backchannels=BACKCHANNELS, head=head)] == ["u1"]

"""Round 33: in a group, a first name said on its own next to a question hands that participant the question
("Any thoughts on the budget? Sam." / "Sam. What do you think?"), whoever answers first."""

from __future__ import annotations

import pytest

from helpers import make_session


def _addressees(rows):
    from sessionscope.analysis.questions import session_questions
    from sessionscope.config import DynamicsConfig

    return {e.utterance_id: e.addressee for e in session_questions(make_session(rows), DynamicsConfig())}


@pytest.mark.parametrize(("question", "addressee"), [
    ("Any thoughts on the budget? Sam.", "sam"),
    ("Sam. What do you think about the budget?", "sam"),
    ("What do you think about the budget? Sam?", "sam"),
    ("What do you think about the budget? Okay.", "alex"),  # no name: the next other speaker
    ("What do you think about the budget? Maria.", "alex"),  # no participant of that name
    ("What do you think about the budget? Sam and Lee.", "alex"),  # two people: no single addressee
    ("What do you think about the budget? Kim.", "alex"),  # the asker's own name
    ("What do you think about the budget? Same.", "alex"),  # a word that starts like a name is none
])
def test_a_name_alone_beside_a_question_addresses_it(question, addressee):
    rows = [("kim", "Okay, next point."), ("kim", question), ("alex", "It's fine."), ("sam", "Agreed."),
            ("lee", "Right.")]
    assert _addressees(rows)["u0002"] == addressee


def test_a_name_alone_without_a_question_hands_nothing_and_pairs_are_unchanged():
    rows = [("kim", "Thanks for that. Sam."), ("sam", "So the budget is fine."), ("alex", "Good."), ("lee", "Right.")]
    assert _addressees(rows) == {}
    assert list(_addressees([("kim", "What do you think? Sam."), ("sam", "Fine.")]).values()) == ["sam"]

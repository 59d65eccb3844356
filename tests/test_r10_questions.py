"""Round 10: confirmation tags among the questions ("…, right?", "You know?") are marked, not dropped."""

import pytest

from helpers import make_session
from sessionscope.analysis.questions import confirmation_tag, find_questions, session_questions
from sessionscope.config import DynamicsConfig


@pytest.mark.parametrize("sentence", [
    "You know?", "Right?", "okay ?", "Isn't it?", "Don't you?", "All right?", "Is that right?",
    "we still have to do this too | right ?",       # MRDA writes the tag as its own segment
    "It is on the web, isn't it?", "You were there, weren't you?", "So that's the plan, okay?",
    "and you sent the slides right",                # bare text: the words decide
    "pretty neat huh?", "Правда?", "Ты же пришлёшь, да?", "Это всё, понимаешь?",
    "We do it, right?",                              # set off by a comma: a tag even after "it"
])
def test_confirmation_tags(sentence):
    assert confirmation_tag(sentence)


@pytest.mark.parametrize("sentence", [
    "What do you mean?", "Do you use Notion?", "Do you think that's important, right?",  # questions in their own right
    "Huh?",                                          # asks for a repeat
    "but now if I went to do that?", "you did it?",  # a verb and its object, not "do you" / "did it" tags
    "is that okay?", "Where do we start?", "Когда ты придёшь?", "Routing?", "",
    "you are definitely right", "the battery's okay",  # bare statements: "right" / "okay" is the predicate
    "so is that ==?",                                 # cut off
])
def test_not_confirmation_tags(sentence):
    assert not confirmation_tag(sentence)


def test_tags_are_marked_and_still_counted():
    s = make_session([
        ("a", 0, 2, "I went there last year, you know?"),
        ("b", 2, 3, "Mm."),
        ("a", 3, 5, "What did you think of it? Right?"),  # one real question in the turn: not a tag
        ("b", 5, 7, "It was fine."),
        ("a", 7, 8, "Right?"),
    ])
    events = session_questions(s, DynamicsConfig())  # the shipped head counts tags as questions, as the corpora do
    assert [e.utterance_id for e in events] == ["u0001", "u0003", "u0005"]
    assert [e.confirmation_tag for e in events] == [True, False, True]
    assert [e.answered for e in events] == [True, True, False]  # the open question list less the tags is empty


def test_lexical_rule_events_carry_the_flag_too():
    bc = DynamicsConfig().backchannels
    s = make_session([("a", "We ship on Friday, don't we?"), ("b", "Yes."), ("a", "Who writes the notes?")])
    events = find_questions(s.utterances, language="en", backchannels=bc, head=None)
    assert [(e.utterance_id, e.confirmation_tag) for e in events] == [("u0001", True), ("u0003", False)]

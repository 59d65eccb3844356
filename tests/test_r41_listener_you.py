"""Round 41 (issue 10): a task taken from someone else's words speaks of its owner in the first person.

A new user's one-to-one call: "You should try the Pomodoro method when you prepare slides." — "I'll try it this week."
gave the task "try the Pomodoro method when you prepare slides", and the report, reading the owner's "you" as the other
person, printed "when Boris prepare slides"."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from sessionscope.language.nlp import Sentence, Token


def _tok(text: str, idx: int, dep: str) -> Token:
    return Token(text=text, lemma=text.lower(), pos="PRON" if text.lower() == "you" else "X", idx=idx, dep=dep)


def _sentence(words: list[tuple[str, str]]) -> Sentence:
    text, tokens = "", []
    for w, dep in words:
        if text:
            text += " "
        tokens.append(_tok(w, len(text), dep))
        text += w
    return Sentence(text=text, start_char=0, end_char=len(text), tokens=tuple(tokens))


def test_the_listeners_you_is_i_as_a_subject_and_me_otherwise() -> None:
    """Model-free: the parse's ``nsubj`` decides, for the phrase's own tokens."""
    from sessionscope.analysis.extract.accept import _to_speaker

    said = _sentence([("Could", "aux"), ("you", "nsubj"), ("ask", "ROOT"), ("your", "poss"), ("manager", "nsubj"),
                      ("to", "aux"), ("give", "xcomp"), ("you", "dative"), ("feedback", "dobj"), ("when", "advmod"),
                      ("you", "nsubj"), ("are", "advcl"), ("back", "advmod")])
    phrase = "ask your manager to give you feedback when you are back"
    assert _to_speaker(phrase, said) == "ask my manager to give me feedback when I am back"
    # "me" / "my" of the one who asked become "you" / "your" at the same time, not twice
    said2 = _sentence([("send", "ROOT"), ("me", "dative"), ("the", "det"), ("notes", "dobj"), ("you", "nsubj"),
                       ("took", "relcl")])
    assert _to_speaker("send me the notes you took", said2) == "send you the notes I took"


def test_without_a_parse_a_you_before_a_word_is_the_subject() -> None:
    from sessionscope.analysis.extract.accept import _to_speaker

    unparsed = Sentence(text="x", start_char=0, end_char=1, tokens=())
    assert _to_speaker("check if you're free, then call you", unparsed) == "check if I'm free, then call me"


def _parsed(texts: list[str]):  # noqa: ANN202
    from sessionscope.analysis.extract.bare import parse_utterances

    return parse_utterances(texts, language="en")


@pytest.mark.parametrize(("rows", "want"), [
    ([("b", "Could you send me the slides you showed at the review?"), ("a", "Sure, I'll send them tonight.")],
     "send you the slides I showed at the review"),
])
def test_an_echoed_object_speaks_of_the_promiser_as_i(rows, want) -> None:  # noqa: ANN001
    from sessionscope.analysis.extract.accept import echoed_task
    from sessionscope.analysis.extract.actions import task_phrase
    from sessionscope.analysis.extract.rules import RuleHit

    parsed = _parsed([t for _, t in rows])
    sent = parsed[-1][-1]
    task = task_phrase(sent, RuleHit("action", 0.5, "classifier"))
    assert echoed_task(sent, task, rows[-1][0], [s for s, _ in rows], parsed, len(rows) - 1) == want


_CALL = [
    ("boris", 0.0, 5.0, "You should try the Pomodoro method when you prepare slides."),
    ("anna", 5.5, 8.0, "I'll try it."),
    ("boris", 8.5, 12.0, "Could you send me the slides you showed at the review?"),
    ("anna", 12.5, 14.0, "Sure, I'll send them tonight."),
    ("boris", 14.5, 20.0, "I'd recommend that you write down what you learned after each client call."),
    ("anna", 20.5, 23.0, "Good idea, I'll do that."),
    ("boris", 23.5, 28.0, "And, if I may, you should take the short AI course for managers on Coursera."),
    ("anna", 28.5, 31.0, "Ha, fair enough. I'll do it before our next meeting."),
]


def test_the_stage_and_the_report_name_the_owner_rightly() -> None:
    """The shipped stage (real parser) and the report's task text: no "you" left for the owner."""
    from helpers import make_session
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.report.tasktext import task_for_reader

    session = make_session(_CALL, roles={"anna": "junior", "boris": "senior"})
    out = ExtractionStage()(dataclasses.replace(session, date=dt.date(2026, 12, 1)))
    got = {a.utterance_id: a for a in out.action_items}
    assert got["u0002"].task == "try the Pomodoro method when I prepare slides"
    assert got["u0004"].task == "send you the slides I showed at the review"
    assert got["u0006"].task == "write down what I learned after each client call"
    assert got["u0008"].task == "take the short AI course for managers on Coursera"  # the aside left out
    shown = {k: task_for_reader(a, out) for k, a in got.items()}
    assert shown["u0004"] == "send Boris the slides I showed at the review"
    assert all("Boris" not in t for k, t in shown.items() if k != "u0004"), shown

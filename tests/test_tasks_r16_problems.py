"""Round 16 (issue 10, tasks): a speaker looking for a word is no problem in the work.

"I don't know how to say it." (SBCSAE SBC001) and "I don't know how to call it." (AMI TS3009a) were listed as
problems; a difficulty said with the same words stays one ("I don't know how to explain it to my manager").
Model-free: the rules read the text.
"""

from __future__ import annotations

import pytest

from sessionscope.analysis.extract.problems import problem_rule, word_finding
from sessionscope.analysis.extract.stage import extract_items
from sessionscope.config import DynamicsConfig, ExtractionConfig
from sessionscope.language.nlp import parse_texts
from test_r9_actions import _session


def _rule(text: str, language: str = "en"):
    return problem_rule(parse_texts([text], language=language)[0][0])


@pytest.mark.parametrize(
    "text",
    [
        "I don't know how to say it.",
        "I don't know how to call it.",
        "uh I dunno how to say that.",
        "I don't know what it's called.",
        "I can't find the word.",
        "I'm not sure how to put it.",
        "It's hard to explain.",
        "like it's difficult to say .",
    ],
)
def test_word_finding_is_no_problem(text: str) -> None:
    hit = _rule(text)
    assert hit is not None and hit.veto and hit.rule == "word_finding"


@pytest.mark.parametrize("text", ["Не знаю, как сказать.", "Не могу подобрать слово."])
def test_russian_word_finding_is_no_problem(text: str) -> None:
    hit = _rule(text, "ru")
    assert hit is not None and hit.veto and hit.rule == "word_finding"


@pytest.mark.parametrize(
    "text, rule",
    [
        ("I don't know how to explain it to my manager.", "cannot"),
        ("I don't know how to fix the build.", "cannot"),
        ("I don't know how to put it, but I'm struggling with the budget.", "struggling"),
        ("It's hard to explain the delays to the client.", "hard_for_me"),
        ("I'm not sure how to handle the client.", "not_sure_how"),
    ],
)
def test_a_difficulty_stays_a_problem(text: str, rule: str) -> None:
    hit = _rule(text)
    assert hit is not None and not hit.veto and hit.rule == rule


def test_russian_difficulty_stays_a_problem() -> None:
    hit = _rule("Ну, не знаю, как это назвать, но у меня проблема с дедлайнами.", "ru")
    assert hit is not None and not hit.veto and hit.rule == "problem_noun"


def test_word_finding_text() -> None:
    assert word_finding("i don't know how to say it, but the budget is late.") == ", but the budget is late."
    assert word_finding("the budget is late.") is None


def test_no_problem_listed_end_to_end() -> None:
    cfg = ExtractionConfig(classifier=None, dialogue_act_heads=None)
    lines = [("a", "I don't know how to say it."), ("b", "Take your time."), ("a", "I'm struggling with the deadlines.")]
    sess = _session([("a", "Ann"), ("b", "Bob")], lines)
    items = extract_items(sess, parse_texts([t for _, t in lines], language="en"), None, cfg, DynamicsConfig())
    assert [p.utterance_id for p in items["problems"]] == ["u2"]

"""Round 28 (issue 10): questions written with a final "." in a punctuated transcript whose "?" is unreliable."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import make_session, toy_question_head
from sessionscope.analysis import questions as q
from sessionscope.analysis.questions import (
    QuestionHead,
    find_questions,
    period_candidates,
    qmark_unreliable,
    sentences,
    strong_question_shape,
)
from sessionscope.config import DynamicsConfig

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
BC = DynamicsConfig().backchannels


@pytest.mark.parametrize("text", [
    "So what did you change in the build.",
    "Do you want me to review it.",
    "um, is the staging server up.",
    "What's the plan.",
    "Where did you put the release notes?",
    "Can we move the demo to Thursday",
])
def test_strong_question_shape(text):
    assert strong_question_shape(text)


@pytest.mark.parametrize("text", [
    "We can ship on Monday then.",
    "What I mean is we wait.",  # an interrogative word without an auxiliary after it
    "How nice.",  # an exclamation
    "She asked whether we ship on Monday.",  # reported
    "Do you think we -",  # cut off
    "Is it",  # under three words after the auxiliary
    "Вы придёте завтра.",  # Russian: round 17's rule decides
])
def test_not_a_strong_question_shape(text):
    assert not strong_question_shape(text)


def _texts(*lines: str) -> list[str]:
    return [s for line in lines for s in sentences(line)]


def test_qmark_unreliable_needs_most_question_shapes_ending_with_a_period():
    shaped_period = ["Do you want the slides.", "What did the client say.", "Is the server up.", "Where did you park."]
    assert qmark_unreliable(_texts(*shaped_period, "We ship on Monday."))
    # three of five shaped sentences carry "?": the transcript's "?" is trusted
    assert not qmark_unreliable(_texts("Do you want the slides?", "What did the client say?", "Is the server up?",
                                       "Where did you park.", "Can we go."))
    assert not qmark_unreliable(_texts(*shaped_period[:3]))  # too few shaped sentences to judge
    assert not qmark_unreliable(_texts("We ship on Monday.", "It works.", "Thanks.", "Fine.", "Good."))


def test_period_candidates_in_an_unreliable_transcript():
    texts = _texts("Do you want the slides.", "What did the client say.", "Is the server up.", "Where did you park.",
                   "We ship on Monday.", "Is it done?", "Well...", "Это важно.")
    decisions = [False] * len(texts)
    decisions[1] = True  # already a question: nothing to read again
    got = [texts[k] for k in period_candidates(texts, decisions)]
    assert got == ["Do you want the slides.", "Is the server up.", "Where did you park.", "We ship on Monday."]
    # the same sentences where "?" is reliable: the punctuated reading stands
    reliable = _texts("Do you want the slides?", "What did the client say?", "Is the server up?", "Where did you park?",
                      "We ship on Monday.", "Can we go.")
    assert period_candidates(reliable, [False] * len(reliable)) == []


def test_period_rules_of_the_benchmark(monkeypatch):
    texts = _texts("Do you want the slides.", "We ship on Monday.")  # too few shaped sentences to judge the transcript
    no = [False, False]
    assert period_candidates(texts, no) == []
    monkeypatch.setattr(q, "PERIOD_RULE", "shape")  # candidate A: strongly shaped ones in any transcript
    assert period_candidates(texts, no) == [0]
    monkeypatch.setattr(q, "PERIOD_RULE", "off")
    unreliable = _texts("Do you want the slides.", "What did the client say.", "Is the server up.", "Where did you park.")
    assert period_candidates(unreliable, [False] * 4) == []


def _period_head() -> QuestionHead:
    return toy_question_head()


ROWS = [("a", 0, 2, "So what did you change in the build."), ("b", 2, 4, "The cache key, mostly."),
        ("a", 4, 5, "Do you want me to review it."), ("b", 5, 6, "Yes, please."),
        ("a", 6, 8, "Is the staging server up."), ("b", 8, 9, "It restarted this morning."),
        ("a", 9, 10, "Where did you put the release notes."), ("b", 10, 11, "In the shared folder."),
        ("a", 11, 12, "We can ship on Monday then."), ("b", 12, 13, "Sounds good.")]


def test_questions_ending_with_a_period_are_read_by_the_bare_weights():
    s = make_session(ROWS)
    events = find_questions(s.utterances, language="en", backchannels=BC, head=_period_head())
    assert [e.utterance_id for e in events] == ["u0001", "u0003", "u0005", "u0007"]
    assert all(e.confidence == pytest.approx(1 / (1 + np.exp(-2.5)), abs=1e-3) for e in events)  # the bare weights'


def test_a_reliable_question_mark_keeps_the_period_as_a_statement():
    rows = [(a, b, c, t.replace("build.", "build?").replace("it.", "it?").replace("notes.", "notes?"))
            for a, b, c, t in ROWS]
    events = find_questions(make_session(rows).utterances, language="en", backchannels=BC, head=_period_head())
    assert [e.utterance_id for e in events] == ["u0001", "u0003", "u0007"]  # "Is the staging server up." stays out


def test_before_round_28_the_periods_hid_the_questions(monkeypatch):
    monkeypatch.setattr(q, "PERIOD_RULE", "off")
    assert find_questions(make_session(ROWS).utterances, language="en", backchannels=BC, head=_period_head()) == []


def test_russian_is_left_to_round_17s_rule():
    rows = [("a", 0, 1, "Вы придёте завтра."), ("b", 1, 2, "Да."), ("a", 2, 3, "Do you want the slides."),
            ("a", 3, 4, "What did the client say."), ("a", 4, 5, "Is the server up."), ("a", 5, 6, "Where did you park.")]
    texts = _texts(*(r[3] for r in rows))
    assert 0 not in period_candidates(texts, [False] * len(texts))
    events = find_questions(make_session(rows, language="ru").utterances, language="ru", backchannels=BC,
                            head=_period_head())
    assert "u0003" not in {e.utterance_id for e in events}  # a Russian session: the English rule does not run


def test_the_shipped_head_finds_questions_written_with_periods():
    s = make_session(ROWS)
    found = {e.utterance_id for e in find_questions(s.utterances, language="en", backchannels=BC)}
    assert {"u0001", "u0003", "u0005", "u0007"} <= found and not found & {"u0002", "u0009", "u0010"}


def test_qmark_as_period_touches_only_the_question_marks_of_gold_questions():
    sys.path.insert(0, str(BENCH))
    try:
        from dialogue_acts import Act
        from dialogue_acts_eval import qmark_as_period
    finally:
        sys.path.remove(str(BENCH))

    def act(i: int, text: str, question: bool) -> Act:
        return Act(corpus="x", meeting="m", split="heldout", index=i, id=f"m.{i}", speaker="a", start=None, end=None,
                   text=text, label="", addressee=None, responder=None, question=question, question_with_qh=question,
                   recommendation=False, action=False)

    acts = [act(0, "Can we go? Now?", True), act(1, "Huh? Right.", False), act(2, "What time is it?", True)]
    full, replaced, total = qmark_as_period(acts, 1.0)
    assert [a.text for a in full] == ["Can we go. Now.", "Huh? Right.", "What time is it."] and (replaced, total) == (3, 3)
    assert qmark_as_period(acts, 0.0)[0] == acts
    everything, _, _ = qmark_as_period(acts, 1.0, all_acts=True)
    assert everything[1].text == "Huh. Right."
    for seed in range(5):  # with one seed the "?"s replaced at 0.5 are among those replaced at 1.0 (all of them here)
        half, r, _ = qmark_as_period(acts, 0.5, seed)
        assert all(h.text.replace("?", ".") == f.text for h, f in zip(half, full, strict=True) if h.question) and r <= 3

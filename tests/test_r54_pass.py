"""Round 54 (issue 10): a new user's pass over a committee hearing and real meetings — what a reader counts as wrong.

"I'm not sure if you received them as well" (AMI TS3011b) and "I'm not sure how long we've got left" (ES2004c) were
listed as problems raised: a doubt about how things are is no difficulty of the speaker's, while "I'm not sure how to
structure the presentation" or "whether I should specialise" stay problems. The requests of being brought up to date
("Perhaps you can run us through it quickly.", a committee to a witness) are in ``test_r22_request.py``.
Model-free (the rules read the text), but for the last test: the shipped stage with its heads and the written-set
classifier, whose problems alone no longer count in English.
"""

from __future__ import annotations

import dataclasses

import pytest

from sessionscope.analysis.extract.problems import problem_rule
from sessionscope.analysis.extract.stage import extract_items
from sessionscope.config import DynamicsConfig, ExtractionConfig
from sessionscope.language.nlp import parse_texts
from test_r9_actions import _session


def _rule(text: str):
    return problem_rule(parse_texts([text], language="en")[0][0])


@pytest.mark.parametrize(
    "text",
    [
        "I'm not sure how to structure the presentation for the board.",
        "I'm not sure what to do about a client who never pays on time.",
        "I'm not sure whether I should specialise or stay a generalist.",
        "The designers are a week behind, and I'm not sure whether we should move the launch date.",
        "I'm still not sure where to start.",
        "I'm not sure how how we'll uh determine the costs.",  # a stutter before the clause
        "I'm not sure how we can fix the build.",
        "I'm not sure what exactly to do.",
        "I have no idea how to measure the success of the campaign.",
        "I'm not sure how the hand dynamo works.",  # not knowing how something works, said in the present
        "I'm not sure what it means.",
    ],
)
def test_not_knowing_what_to_do_is_a_problem(text: str) -> None:
    hit = _rule(text)
    assert hit is not None and not hit.veto and hit.rule == "not_sure_how"


@pytest.mark.parametrize(
    "text",
    [
        "I'm not sure if you received them as well, but I will tell you about it.",
        "I'm not sure how long we've got left, but we need to make a decision.",
        "I'm not sure how that would work.",
        "I'm not sure whether we want to look at the size issue.",
        "I'm not sure if that counts.",
        "I'm not sure how much the cost would be.",
        "I'm not sure what you mean.",
    ],
)
def test_a_doubt_about_how_things_are_is_no_problem(text: str) -> None:
    hit = _rule(text)
    assert hit is None or hit.veto


def test_doubt_not_listed_end_to_end() -> None:
    cfg = ExtractionConfig(classifier=None, dialogue_act_heads=None)
    lines = [("a", "I'm not sure if you received the agenda."), ("b", "Yes, I did."),
             ("a", "I'm not sure how to prioritise the client requests.")]
    sess = _session([("a", "Ann"), ("b", "Bob")], lines)
    items = extract_items(sess, parse_texts([t for _, t in lines], language="en"), None, cfg, DynamicsConfig())
    assert [p.utterance_id for p in items["problems"]] == ["u2"]


@pytest.mark.parametrize(
    "text, problem",
    [
        ("So I don't know how long we have left of our time.", False),  # a doubt, as "not sure" above
        ("I don't know how we'll pay for it.", True),
        ("I don't know how this tool works.", True),
        ("So he need not use a pointer to keep changing the channel.", False),  # "to keep changing": no complaint
        ("The build keeps failing.", True),
        ("I don't know how we deal with that.", True),  # the own doing in the present, after "how"
        ("I don't know if we deal with that.", False),
        ("I don't know what we are going to do with that.", True),
        ("I have failed to reach the client twice.", True),
        ("We failed to notice it at the time.", False),  # a past failure told, no difficulty now
    ],
)
def test_dont_know_how_and_keeps_failing(text: str, problem: bool) -> None:
    hit = _rule(text)
    assert (hit is not None and not hit.veto) == problem


def test_the_written_set_classifier_alone_makes_no_english_problem() -> None:
    """The shipped stage (heads and classifier): a sentence no problem rule fires on is no problem, whatever the
    written-set classifier says ("Mine's not quite as complicated as all that." was one, AMI ES2014b)."""
    from sessionscope.analysis.extract.stage import ExtractionStage

    lines = [("a", "Mine's not quite as complicated as all that."), ("b", "Okay."),
             ("a", "I'm struggling with the deadlines.")]
    out = ExtractionStage()(_session([("a", "Ann"), ("b", "Bob")], lines))
    assert [p.utterance_id for p in out.problems] == ["u2"]


@pytest.mark.parametrize(
    "text, problem",
    [
        ("And if it doesn't work we won't impact people.", False),  # a condition, not a difficulty had
        ("If that's a problem for me then I shouldn't suggest it.", False),
        ("If I'm honest, I'm struggling with the deadlines.", True),  # the condition's clause ends at the comma
        ("Even if I try I can't focus.", True),  # "even if" concedes
        ("But if you try the same parameters on another speaker it doesn't work anymore.", True),  # how things behave
        ("Because that would be too much work.", False),  # a forecast
        ("We have too many meetings.", True),
        ("I'm not sure what this'll mean.", False),
    ],
)
def test_conditions_and_forecasts(text: str, problem: bool) -> None:
    hit = _rule(text)
    assert (hit is not None and not hit.veto) == problem


def test_programme_subtitle_says_how_many_sessions_are_dated() -> None:
    """Round 54: a batch of 15 transcripts, one dated, read "15 sessions of 15 pairs, 2024-01-24 – 2024-01-24": as if all
    were held that day. One day is one date, and a partly dated batch says of how many."""
    from sessionscope.report.i18n import Translator
    from sessionscope.report.programme import build_programme, programme_subtitle
    from test_report_data import full_session

    dated = full_session(sid="s1", pair="p1")
    undated = dataclasses.replace(full_session(sid="s2", pair="p2"), date=None)
    prog = build_programme([dated, undated], encoder=None, goal_vectors=None)
    en = programme_subtitle(Translator("en"), prog, 2, 2, "2026-03-02", "2026-03-02")
    assert en.startswith("2 sessions of 2 pairs, 2026-03-02 (") and "dated: 1 of 2 sessions" in en
    assert "–" not in en.split("(")[0]
    ru = programme_subtitle(Translator("ru"), prog, 2, 2, "2026-03-02", "2026-03-02")
    assert "даты известны для 1 из 2 встреч" in ru
    alone = build_programme([dated], encoder=None, goal_vectors=None)  # every session dated: no note
    assert "dated" not in programme_subtitle(Translator("en"), alone, 1, 1, "2026-03-02", "2026-03-02")


def test_checklist_evidence_quotes_the_items_own_words() -> None:
    """Round 54: a witness's long answer was quoted from its first words as the evidence of "recommendations recorded"
    and "small goals" («Well, it's yet to move from a Bill into an Act…»); the evidence is the item's own sentence."""
    from sessionscope.model import ActionItem, Recommendation
    from sessionscope.report.checklist import session_checklist

    long = ("Well, it's yet to move from a Bill into an Act. We know there would be a period of time. "
            "You should look at some examples first. I'll send you the guidance by Friday.")
    s = _session([("a", "Ann"), ("b", "Bob")], [("b", "How would you approach it?"), ("a", long)])
    advice_at = long.index("You should")
    task_at = long.index("I'll send")
    rec = Recommendation(id="rec-001", utterance_id="u1", start=1.0, giver="a", receiver="b",
                         text="You should look at some examples first.", confidence=0.8, char_start=advice_at,
                         char_end=advice_at + 39)
    act = ActionItem(id="act-001", utterance_id="u1", start=1.0, owner="a", task="send you the guidance",
                     due_text="by Friday", confidence=0.8, char_start=task_at, char_end=len(long))
    s = dataclasses.replace(s, recommendations=(rec,), action_items=(act,))
    items = {i.item: i for i in session_checklist(s).items}
    assert items["recommendations_recorded"].evidence == (("u1", "You should look at some examples first."),)
    assert items["goals_owner_date"].evidence == (("u1", "I'll send you the guidance by Friday."),)

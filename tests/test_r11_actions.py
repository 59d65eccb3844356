"""Round 11 (issue 10, actions): moves made within the meeting itself are kept as action items but marked
``in_meeting`` (``Session.tasks`` leaves them out); the assignment step's turn veto is that general rule.

Sentences are parsed with the pipeline's English / Russian spaCy models (small, no embeddings or heads).
"""

from __future__ import annotations

import pytest

from sessionscope.analysis.extract.actions import in_meeting, in_meeting_move
from sessionscope.analysis.extract.assign import describes_or_runs_meeting
from sessionscope.analysis.extract.stage import extract_items
from sessionscope.config import DynamicsConfig, ExtractionConfig
from sessionscope.language.nlp import parse_texts
from sessionscope.model import ActionItem, Session
from sessionscope.model.serialize import json_schema, session_from_dict, session_to_dict
from test_r9_actions import ROLES, _sent, _session


@pytest.mark.parametrize(
    ("text", "move"),
    [
        # presenting or talking now, a turn taken
        ("I'll show you the next slide.", True),
        ("which I will show you .", True),
        ("Uh I'll I'll just explain a bit of the components .", True),
        ("Okay so I'm gonna talk a bit about the technical functions design .", True),
        ("First I will introduce myself .", True),
        ("Uh yeah yeah , I'll go , sure .", True),
        ("I guess I'll go next then.", True),
        ("Yeah I'll have a go .", True),
        # the whiteboard, the pen, the screen, notes now, a thing at hand
        ("I'll draw it on the whiteboard.", True),
        ("Okay, so let let me draw the body first.", True),
        ("Guess I'll pass the pen to our User Interface Designer .", True),
        ("Let me share my screen.", True),
        ("I'll just uh I'll load it up then.", True),
        ("I'm gonna go ahead and take notes on this too", True),
        ("I'm gonna pull this off .", True),
        ("and I'll show them to you in a moment.", True),
        # tasks for after the meeting stay tasks
        ("I'll send you the report by Friday.", False),
        ("I'll prepare the slides for the review.", False),
        ("I'll present the results at the next meeting.", False),
        ("I'll present it to my team.", False),
        ("I'll draw up the budget.", False),
        ("I'll take over the project.", False),
        ("I'll do the minutes of this meeting.", False),
        ("I'll go to the bank.", False),
        ("I'll start working on the report.", False),
        ("I'll show you the prototype tomorrow.", False),
        # no frame of the speaker's own: a description, not a move
        ("The screen is too small.", False),
    ],
)
def test_in_meeting_english(text: str, move: bool) -> None:
    assert in_meeting(text) is move


@pytest.mark.parametrize(
    ("text", "move"),
    [
        ("Я покажу на доске.", True),
        ("Сейчас покажу, как это делается.", True),
        ("Я поделюсь экраном.", True),
        ("Перейду к следующему слайду.", True),
        ("Я пришлю отчёт до пятницы.", False),
        ("Я подготовлю слайды.", False),
        ("Я покажу прототип на следующей встрече.", False),
        ("Я покажу презентацию команде.", False),
    ],
)
def test_in_meeting_russian(text: str, move: bool) -> None:
    assert in_meeting(text, "ru") is move


def test_in_meeting_move_reads_the_sentence_language() -> None:
    assert in_meeting_move(parse_texts(["Я покажу на доске."], language="ru")[0][0])
    assert not in_meeting_move(parse_texts(["Я пришлю отчёт до пятницы."], language="ru")[0][0])


def test_anyone_frame_is_for_moves_handed_out() -> None:
    text = "and now uh our Industrial Designer can uh draw its uh most favourite animal."
    assert not in_meeting(text)  # nobody's own move
    assert in_meeting(text, anyone=True)
    assert not in_meeting("You'll present your findings at the next meeting.", anyone=True)
    assert not in_meeting("The Industrial Designer is going to work on the working design.", anyone=True)


@pytest.mark.parametrize(
    "text",
    [
        "Can you uh draw your animal on the whiteboard?",  # not a handout anyway (a question), kept as a probe
        "you can draw something on the whiteboard now.",
        "I'd like to maybe start with the Industrial Designer if it's possible.",
        "Tell us about yourself first.",
    ],
)
def test_a_move_handed_out_is_no_assignment(text: str) -> None:
    assert describes_or_runs_meeting(_sent(text), ROLES, "project-manager", "marketing")


def test_a_task_handed_out_for_later_stays_an_assignment() -> None:
    text = "you'll present the user requirements at the next meeting."
    assert not describes_or_runs_meeting(_sent(text), ROLES, "project-manager", "marketing")


def test_items_are_marked_and_session_tasks_leaves_moves_out() -> None:
    cfg = ExtractionConfig(classifier=None, dialogue_act_heads=None)
    lines = [("a", "I'll draw it on the whiteboard."), ("b", "Okay."),
             ("a", "I'll send the report to the client by Friday.")]
    sess = _session([("a", "Ann"), ("b", "Bob")], lines)
    items = extract_items(sess, parse_texts([t for _, t in lines], language="en"), None, cfg, DynamicsConfig())
    acts = items["action_items"]
    assert [(a.utterance_id, a.in_meeting) for a in acts] == [("u0", True), ("u2", False)]
    done = sess.evolve(action_items=acts)
    assert [a.utterance_id for a in done.tasks] == ["u2"]
    assert len(done.action_items) == 2  # kept in the list (the corpus scoring counts them)


def test_in_meeting_round_trips_and_defaults_to_false() -> None:
    item = ActionItem(id="act-001", utterance_id="u0", start=0.0, owner="a", task="draw it", in_meeting=True)
    sess = Session(id="s", action_items=(item, ActionItem(id="act-002", utterance_id="u1", start=1.0, owner="a",
                                                           task="send the report")))
    data = session_to_dict(sess)
    assert [a["in_meeting"] for a in data["action_items"]] == [True, False]
    assert session_from_dict(data).action_items == sess.action_items
    for a in data["action_items"]:  # a session.json written before round 11 has no such field
        del a["in_meeting"]
    assert [a.in_meeting for a in session_from_dict(data).action_items] == [False, False]
    assert "in_meeting" in json_schema()["$defs"]["ActionItem"]["properties"]


@pytest.mark.parametrize(("text", "language"), [
    ("I'll present the results at the conference.", "en"),
    ("I'll take notes in every meeting from now on.", "en"),
    ("I'll make a note to call the client.", "en"),
    ("Я буду показывать отчёт на каждой встрече.", "ru"),
    ("Я покажу это на совещании.", "ru"),
])
def test_a_habit_or_a_later_venue_is_a_task_not_a_move_now(text: str, language: str) -> None:
    assert not in_meeting(text, language)


@pytest.mark.parametrize("text", ["I'll make a note of that.", "I'll share my screen.", "Let me show you the next slide."])
def test_moves_now_stay_marked_beside_the_later_guard(text: str) -> None:
    assert in_meeting(text, "en")

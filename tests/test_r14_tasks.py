"""Round 14 (issue 10, tasks): a predicate with no task of its own after the speaker's frame ("I'll just fill it in.",
"I'll take one.", "Let me catch up.") is a move at the table, marked ``in_meeting`` and left out of ``Session.tasks``;
the speaker's frame also takes a wish or need of the moment ("I'll have to get it back up now", "I'd like to show you
some of the results").

The cases are sentences of AMI / MRDA train and held-out train meetings (the blind files' sessions excluded), and
tasks for later that must stay tasks. Model-free: the rules read the text; the end-to-end test runs the rules only.
"""

from __future__ import annotations

import pytest

from sessionscope.analysis.extract.actions import in_meeting, in_meeting_move
from sessionscope.analysis.extract.stage import extract_items
from sessionscope.config import DynamicsConfig, ExtractionConfig
from sessionscope.language.nlp import parse_texts
from test_r9_actions import _session


@pytest.mark.parametrize(
    "text",
    [
        # a light verb with a pronoun / "one" and at most a place or a moment (held-out train meetings, AMI)
        "I'll just fill it in.",
        "Yeah, but I've ta uh right, I'll just re-do it.",
        "I wan I'll take one.",
        "Ha hang on Let me catch up.",
        "Still, I'll do without that.",
        "I'll make it.",
        "I will see.",
        "Uh I'll I'll change it, I'll make it m my my mark will be a four.",
        "I'll put that , intrepid .",
        "Yeah I'll just I'll just keep it there.",  # AMI train, TS3006c
        "I'm gonna save it.",  # AMI train, TS3007d
        "i'll wait .",  # MRDA train
        "so I'll go over here.",
        # the speaker's wish or need of the moment as the frame of a move now
        "And the next one is I'll have to get it back up now.",
        "I'll have to restore my uh my desktop uh",
        "and I'd like to show you some of the results we found on this survey.",  # AMI train, IS1006b
        "So first of all um I wanna talk about what possibilities we've got for the energy source.",  # AMI train
        # guiding the others through, a point added to the talk now, the speaker's own presentation
        "I'm Bart {gap} the project manager so I'll direct you through the project .",
        "Let me just add one more thing that I couldn't say before,",
        "I'll just uh resume something else I was gonna say.",
        "I can address some of that issue, I think, with uh my presentation.",
        "But I'll I'll go into that deeper in my presentation.",  # AMI train
        "I'll t i no no yeah I'm just gonna write a couple of 'em down.",
    ],
)
def test_a_predicate_with_no_task_of_its_own_is_a_move(text: str) -> None:
    assert in_meeting(text)


@pytest.mark.parametrize(
    "text",
    [
        # a content verb, a content object, or a task said before: tasks (labelled right on the held-out meetings)
        "I will investigate.",
        "I'll have to find that out .",
        "I'll do some research for the next meeting.",
        "And uh I will do the minutes.",
        "I'll put delay to allow um multiple numbers .",
        "i'll do that .",  # MRDA ^cc: takes on a task said before, not a move at the table
        "i'll do it .",
        "and i'll put it together .",
        "so i'll send him email .",
        # a deadline after the meeting, or someone outside it
        "I'll do it by Friday.",
        "I'll fix it before the next meeting.",
        "I need to show it to my manager.",
        # only the first frame counts; a frame inside a clause about something else does not
        "okay well i'll talk to you about it and we can see .",
        "Manuel you're going to work on the components for for what we're gonna use.",
        "we need to figure out what kind of buttons we're going to use,",
        # a light verb that often names a task for later with a pronoun
        "I'll write it up.",
        "I'll set it up.",
        "I'll turn it in.",
        "I'll drop it off.",
        "I'll pick it up.",
        # something added or said to someone or somewhere else, a walk-through after the meeting
        "I'll add something to the report.",
        "I'll say something to him.",
        "I'll take you through the budget next week.",
        # no frame of the speaker's own
        "You can take one.",
        "It is there.",
    ],
)
def test_a_task_or_no_frame_is_not_marked(text: str) -> None:
    assert not in_meeting(text)


def test_a_bare_predicate_handed_out_is_not_a_move_handed_out() -> None:
    # anyone's frame (the assignment step's veto) keeps round 11's moves only
    assert not in_meeting("you'll take one.", anyone=True)
    assert in_meeting("you can draw it on the whiteboard.", anyone=True)


def test_in_meeting_move_reads_the_parsed_sentence() -> None:
    sent = parse_texts(["I'll just fill it in."], language="en")[0][0]
    assert in_meeting_move(sent)


def test_bare_moves_are_listed_but_left_out_of_the_tasks() -> None:
    cfg = ExtractionConfig(classifier=None, dialogue_act_heads=None)
    lines = [("a", "I'll just fill it in."), ("b", "Okay."), ("a", "I'll send the report to the client by Friday."),
             ("b", "Fine."), ("a", "I will investigate.")]
    sess = _session([("a", "Ann"), ("b", "Bob")], lines)
    items = extract_items(sess, parse_texts([t for _, t in lines], language="en"), None, cfg, DynamicsConfig())
    acts = items["action_items"]
    assert [(a.utterance_id, a.in_meeting) for a in acts] == [("u0", True), ("u2", False), ("u4", False)]
    assert [a.utterance_id for a in sess.evolve(action_items=acts).tasks] == ["u2", "u4"]

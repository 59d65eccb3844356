"""Round 16 (issue 10, tasks): what someone will be given is no task of theirs, and is marked, not dropped.

"you'll get instructions in your email" is listed (AMI's summaries count such acts as action items) but marked
``in_meeting`` (listed, no task of its own), so ``Session.tasks`` leaves it out. The cases are sentences of AMI / MRDA
train and held-out train meetings (the blind files' sessions excluded) and tasks that must stay tasks. Model-free.
"""

from __future__ import annotations

import pytest

from sessionscope.analysis.extract.actions import in_meeting, in_meeting_move, receives_only
from sessionscope.analysis.extract.stage import extract_items
from sessionscope.config import DynamicsConfig, ExtractionConfig
from sessionscope.language.nlp import parse_texts
from test_r9_actions import _session


@pytest.mark.parametrize(
    "text",
    [
        "you'll be getting specific instructions once you go back to your workspace,",
        "and you'll get emails and so forth.",
        "And Next instructions you'll get in your email.",
        "Okay, and you should all be getting an email pretty soon.",
        "Maybe you will get some information on that .",
        "Uh uh the specifi uh specific instructions for the next uh meeting you will {disfmarker} all will receive uh at the "
        "uh the the email .",
        "and uh you will be informed via email and other kind of communication.",
        "but you will be uh recalled to the actions by uh email I think",
        "And so specific instructions will be sent to you by your personal coach.",
        "You'll get the details from legal by Friday.",
        "We will receive the samples next week.",
        # a cut-off word before the thing sent (AMI ES2009a)
        "Um U_I_D_ well yeah you right g your assignments are up there and you'll also get s assignments from in your email",
    ],
)
def test_what_someone_will_be_given_is_marked(text: str) -> None:
    assert receives_only(text)
    assert not in_meeting(text)  # the assignment step's veto (anyone's frame) does not take it: nothing is dropped


@pytest.mark.parametrize(
    "text",
    [
        "I'll get some information on that.",  # finding it out: a task
        "you get product evaluation",  # a part handed out (AMI links it to a human action item)
        "You'll get the report done by Friday.",
        "You'll get back to me on that.",
        "You'll get in touch with the client.",
        "You will receive an email, please reply by Friday.",  # a task in the same sentence
        "You will get an email and then you will fill in the form.",
        "After this meeting we're gonna be sent a questionnaire and summary again which we need to reply to that e-mail.",
        "I would like to receive the components concept",  # asked of someone else
        # the thing said before is not what "you get" here: a task done (AMI TS3007b)
        "so uh uh wait for your email and uh hopefully you get it done uh in the in the thirty minutes ,",
        "I'll send you the minutes.",
        "You will write the report.",
        # a purpose said with what is given is the receiver's task (round 16, lead)
        "You will be sent a transcript following the meeting to check for accuracy.",
        "You'll get a link to fill in the survey.",
        "Я получу отчёт в пятницу.",  # Russian: not read
    ],
)
def test_a_task_is_not_marked(text: str) -> None:
    assert not receives_only(text, "ru" if text.startswith("Я") else "en")


def test_in_meeting_move_reads_the_parsed_sentence() -> None:
    sent = parse_texts(["You'll get specific instructions from your personal coach."], language="en")[0][0]
    assert in_meeting_move(sent)


def test_a_hand_out_of_what_you_receive_is_listed_but_no_task() -> None:
    cfg = ExtractionConfig(classifier=None, dialogue_act_heads=None)
    people = [("pm", "Ann"), ("ui", "Bob"), ("id", "Cat"), ("me", "Dan")]
    lines = [("pm", "Okay."), ("ui", "Right."), ("pm", "You will receive further instructions by email next week."),
             ("me", "Okay."), ("pm", "And you will write the user requirements by Friday."), ("id", "Sure.")]
    sess = _session(people, lines)
    items = extract_items(sess, parse_texts([t for _, t in lines], language="en"), None, cfg, DynamicsConfig(),
                          assign_threshold=0.5)
    acts = items["action_items"]
    assert [(a.utterance_id, a.in_meeting) for a in acts] == [("u2", True), ("u4", False)]
    assert [a.utterance_id for a in sess.evolve(action_items=acts).tasks] == ["u4"]

"""Round 7 (issue 10, actions): what is no task handed out, model-free.

The assignment step gave MRDA research talk many "assignments" that hand out nothing (a
question, a condition or explanation about "you", a description of what someone does,
"everybody" outside a task frame); these tests pin the vetoes and what they must leave.
"""

from __future__ import annotations

import pytest

from sessionscope.analysis.extract.assign import assignment_target, group_named, not_a_handout
from sessionscope.analysis.extract.heads import tokens

PEOPLE = [("pm", "Anna"), ("id", "Boris"), ("ui", "Carla"), ("me", "Dmitri")]


def _low(text: str) -> str:
    return " ".join(tokens(text))


@pytest.mark.parametrize(
    "text",
    [
        "or do you have a very clear idea of what you're going to do ?",
        "and then you pass it out to everybody ahead of time ?",
        "i mean if you do man p. file or apropos p. file you'll see a lot .",
        "because you're going to have to write a program that goes through your feature file .",
        "and be sure and say would you like fries with that when you're thinking about your pay scale .",
        "so you now know what you're going to do .",
        "and you're going to end up looking at power - uh noise power that you're trying to reduce .",
    ],
)
def test_talk_about_you_is_not_a_handout(text: str) -> None:
    assert not_a_handout(_low(text), text)
    assert assignment_target(text, PEOPLE, "pm", "id") is None


@pytest.mark.parametrize(
    "text",
    [
        "You'll work on the user interface design.",
        "Could you prepare the figures for the next meeting?",
        "can you send it by Friday?",
        "If you could send me the draft by Monday, that would be great.",
        "you'll be getting specific instructions once you go back to your workspace,",
        "When you get back, send me the notes.",
        "you're going to look at the components concept.",
        "You'll see in your email, I guess.",
    ],
)
def test_requests_and_handouts_stay(text: str) -> None:
    assert not not_a_handout(_low(text), text)
    t = assignment_target(text, PEOPLE, "pm", "id")
    assert t is not None and t.owner == "id"


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("Each of you should prepare a slide.", True),
        ("You two are going to work together on a prototype.", True),
        ("Everyone should bring their laptop next time.", True),
        ("Everybody gets a copy of the report.", True),
        ("and so far everyone has done email .", False),
        ("wait why is everybody looking at me", False),
        ("it depends what - what everybody wants to do .", False),
        ("everybody's worked for the company for a while,", False),
    ],
)
def test_everyone_is_the_group_only_as_subject_of_a_task_frame(text: str, group: bool) -> None:
    assert group_named(_low(text)) is group


def test_everyone_outside_a_task_frame_hands_out_nothing() -> None:
    assert assignment_target("and so far everyone has done email .", PEOPLE, "pm", "id") is None
    t = assignment_target("Everyone should bring their laptop next time.", PEOPLE, "pm", "id")
    assert t is not None and t.how == "group" and t.owners == ("id", "ui", "me")
    # "everybody" outside a frame, but the sentence gives "you" a task: the addressee gets it
    t = assignment_target("you'll send the summary to everybody.", PEOPLE, "pm", "id")
    assert t is not None and (t.owner, t.how) == ("id", "addressee")


def test_a_russian_request_question_can_still_hand_out_a_task() -> None:
    from sessionscope.analysis.extract.assign import not_a_handout

    for text in ("Сможешь подготовить отчёт к пятнице?", "А вы можете прислать план?", "Не могли бы вы прислать план?"):
        assert not not_a_handout(text.lower().replace("?", " ?"), text), text
    assert not_a_handout("ты знаешь , как это сделать ?", "Ты знаешь, как это сделать?")

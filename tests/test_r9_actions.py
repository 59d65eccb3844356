"""Round 9 (issue 10, actions): no assignment from the speaker's own side or a turn in the meeting, no commitment told as a
habit, a role named as the owner, spoken task phrases without fillers and stutters.

Sentences are parsed with the pipeline's English spaCy model (small, no embeddings or heads).
"""

from __future__ import annotations

import pytest

from sessionscope.analysis.extract.actions import (
    _spoken_clean,
    habitual_context,
    not_promised,
    rating_or_ask,
    task_phrase,
    then_can,
)
from sessionscope.analysis.extract.assign import describes_or_runs_meeting, role_named
from sessionscope.analysis.extract.rules import RuleHit
from sessionscope.analysis.extract.stage import extract_items, named_owners
from sessionscope.config import DynamicsConfig, ExtractionConfig
from sessionscope.language.nlp import parse_texts
from sessionscope.model import Participant, Session, Utterance

ROLES = [("project-manager", "Project Manager"), ("marketing", "Marketing"), ("user-interface", "User Interface"),
         ("industrial-designer", "Industrial Designer")]
PEOPLE = [("pm", "Anna"), ("id", "Boris"), ("ui", "Carla"), ("me", "Dmitri")]


def _sent(text: str):
    return parse_texts([text], language="en")[0][0]


@pytest.mark.parametrize(
    "text",
    [
        "We've got the Marketing Expert for uh the trendy and user friendly look .",
        "I have some uh new findings on uh Marketing Expert level ,",
        "I I think I will let uh our User Interface Designer speak first, Mister David Jordan.",
        "and now uh our Industrial Designer can uh draw its uh most favourite animal.",
        "Hear from the User Interface Designer now I think might be an idea.",
        "and while you're doing that tell us your name, what your role is.",
    ],
)
def test_the_speakers_own_side_or_a_turn_in_the_meeting_hands_out_no_task(text: str) -> None:
    assert describes_or_runs_meeting(_sent(text), ROLES, "project-manager", "marketing")


@pytest.mark.parametrize(
    "text",
    [
        "The Industrial Designer is going to work on the working design , uh components design .",
        "you're looking at the technical functions design,",
        "and for you the trend-watching.",
        "Marketing, the user requirement specification.",
        "Send me your presentations so that I can use them to make the minutes,",
        "you'll send me the draft by Friday.",
        "You gonna study some more tomorrow then,",
        "And you will look into the technical design and um form, I think.",
        # present-tense hand-outs to "you", a name or the group (linked to AMI human action items)
        "You all uh have the the questionnaire again about uh the after work .",
        "I guess that is something for Roo and Sebastian.",
        "you get product evaluation.",
        "So that's maybe something for the User Interface uh Designer .",
        "I have a final report to present,",
    ],
)
def test_a_task_frame_or_a_hand_out_stays(text: str) -> None:
    assert not describes_or_runs_meeting(_sent(text), ROLES, "project-manager", "marketing")


def test_russian_is_left_to_its_rules() -> None:
    sent = parse_texts(["У тебя есть отчёт."], language="ru")[0][0]
    assert not describes_or_runs_meeting(sent, PEOPLE, "pm", "id")


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("I will ask the Industrial Designer to find out what the components cost.", "industrial-designer"),
        ("so I'll tell our Marketing Expert to send the report", "marketing"),
        ("Uh the User Interface uh Designer is going to do the technical function design.", "user-interface"),
        ("and the industrial designer will look at the materials", "industrial-designer"),
        ("Guess I'll pass the pen to our User Interface Designer .", None),
        ("I talked to the industrial designer yesterday.", None),
        ("I will ask the Project Manager to check it.", None),  # the speaker's own role: not someone else
    ],
)
def test_a_role_names_the_owner_where_participants_are_roles(text: str, owner: str | None) -> None:
    assert role_named(text, ROLES, "project-manager") == owner


def test_a_role_names_nobody_where_participants_have_personal_names() -> None:
    assert role_named("I will ask the Industrial Designer to find out what it costs.", PEOPLE, "pm") is None


def _session(people: list[tuple[str, str]], lines: list[tuple[str, str]]) -> Session:
    return Session(
        id="s", language="en", participants=tuple(Participant(id=p, name=n) for p, n in people),
        utterances=tuple(Utterance(id=f"u{k}", speaker=s, text=t, start=float(k), end=k + 0.9)
                         for k, (s, t) in enumerate(lines)),
    )


def test_named_owner_reads_a_role() -> None:
    text = "I will ask the Industrial Designer to find out what the components cost."
    sess = _session(ROLES, [("project-manager", text)])
    assert named_owners(_sent(text), sess, "project-manager") == ("industrial-designer",)


def test_the_asked_role_owns_the_action_item() -> None:
    text = "I will ask the Industrial Designer to find out what the components cost."
    sess = _session(ROLES, [("project-manager", text), ("marketing", "Okay.")])
    parsed = parse_texts([u.text for u in sess.utterances], language="en")
    items = extract_items(sess, parsed, None, ExtractionConfig(classifier=None, dialogue_act_heads=None),
                          DynamicsConfig())
    assert [a.owner for a in items["action_items"]] == ["industrial-designer"]


def test_habitual_context() -> None:
    speakers = ["a", "a", "a", "a", "b", "a", "a", "a", "a", "a"]
    texts = ["When I get done with them,", "A lot of times,", "like I'll get done,", "and I'll look at it.",
             "Mhm.", "I'll send it tomorrow.", "I usually walk.", "I'll call you.", "I'll call Anna.",
             "I'll call Boris.", ]
    parsed = parse_texts(texts, language="en")
    got = habitual_context(speakers, parsed)
    assert {(2, 0), (3, 0), (6, 0), (7, 0), (8, 0)} <= got
    assert (5, 0) not in got and (0, 0) not in got and (4, 0) not in got
    assert (9, 0) in got  # three sentences after "usually": still within the window
    parsed_ru = parse_texts(["Обычно я пришлю отчёт."], language="ru")
    assert habitual_context(["a"], parsed_ru) == set()


def test_a_commitment_told_as_a_habit_is_no_action_item() -> None:
    cfg = ExtractionConfig(classifier=None, dialogue_act_heads=None)
    lines = [("a", "A lot of times,"), ("a", "I'll send the report to the client."), ("b", "Right."),
             ("a", "I'll send the report to the client by Friday.")]
    sess = _session([("a", "Ann"), ("b", "Bob")], lines)
    items = extract_items(sess, parse_texts([t for _, t in lines], language="en"), None, cfg, DynamicsConfig())
    assert [a.utterance_id for a in items["action_items"]] == ["u3"]


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("um I'll grab the wire out the back of this one", "grab the wire out the back of this one"),
        ("show it to you in in a in a few seconds", "show it to you in a few seconds"),
        ("uh explaining a bit about uh working design", "explaining a bit about working design"),
        ("I'll I'll give it a two", "give it a two"),
        ("send the report", "send the report"),
        ("call 555 555 1234", "call 555 555 1234"),
        ("The I_D_ is going to do it", "The I_D_ is going to do it"),
        ("um", "um"),  # nothing left: the phrase as it was
        # round 53: words broken off and said again whole, four-word frames said twice, a hedge before the frame
        ("the specifi specific instructions for the next meeting", "the specific instructions for the next meeting"),
        ("see the user interface c concept", "see the user interface concept"),
        ("m maybe I should write that down", "write that down"),
        ("look at the w w working design", "look at the working design"),
        ("I would like to I would like to receive the components", "receive the components"),
        ("Because I'll have some updated info on that", "have some updated info on that"),
        ("But I'll send it tonight", "send it tonight"),
        # common short words before a longer one are no broken words; "a" / "I" stay
        ("go to today's meeting", "go to today's meeting"),
        ("put in into the folder", "put in into the folder"),
        ("send some something", "send some something"),
        ("find a about page", "find a about page"),
    ],
)
def test_spoken_clean(text: str, clean: str) -> None:
    assert _spoken_clean(text) == clean


def test_task_phrase_of_a_stuttered_frame() -> None:
    sent = _sent("Uh I'll I'll just explain a bit of the components .")
    assert task_phrase(sent, RuleHit("action", 0.5, "classifier")) == "explain a bit of the components"


@pytest.mark.parametrize(
    ("text", "step"),
    [
        ("And then I can go to Zoom.", True),
        ("then i can add a couple of cards at most .", True),
        ("So then we can see who spoke.", True),
        ("Uh, then I can start doing analytics.", True),
        ("I can send it then.", False),
        ("then I'll send it to you.", False),
        ("so I can try to include it in the final report.", False),
    ],
)
def test_then_can(text: str, step: bool) -> None:
    assert then_can(text) is step


def test_then_i_can_is_no_action_item() -> None:
    cfg = ExtractionConfig(classifier=None, dialogue_act_heads=None)
    lines = [("a", "And then I can send the report to the client by Friday."), ("b", "Right."),
             ("a", "I'll send the report to the client by Friday.")]
    sess = _session([("a", "Ann"), ("b", "Bob")], lines)
    items = extract_items(sess, parse_texts([t for _, t in lines], language="en"), None, cfg, DynamicsConfig())
    assert [a.utterance_id for a in items["action_items"]] == ["u2"]


@pytest.mark.parametrize(
    ("text", "rating"),
    [
        ("I'll I'll I'll give it a two.", True),
        ("Uh I'll go uh for the two.", True),
        ("b- - le- - let me - let me ask you a question about uh u.", True),
        ("I'll give it to you tomorrow.", False),
        ("I'll send two copies.", False),
        ("I'll ask Boris about it.", False),
    ],
)
def test_rating_or_ask(text: str, rating: bool) -> None:
    assert rating_or_ask(text) is rating
    assert not_promised(_sent(text)) is rating

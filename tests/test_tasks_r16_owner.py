"""Round 16 (issue 10, tasks): a task handed to "you" in a group is for the next other speaker.

On the addressee-annotated AMI train meetings the one told answers ("okay", "I will"): the next other speaker is the
annotated single addressee of such tasks more often than the previous one (``benchmarks/owner_r16_tasks.py``). In a
pair nothing changes. Model-free: the assignment step runs on its rule (no heads).
"""

from __future__ import annotations

from sessionscope.analysis.extract.addressee import task_addressee
from sessionscope.analysis.extract.stage import extract_items, other_participant
from sessionscope.config import DynamicsConfig, ExtractionConfig
from sessionscope.language.nlp import parse_texts
from test_r9_actions import _session

GROUP = [("pm", "Ann"), ("ui", "Bob"), ("id", "Cat"), ("me", "Dan")]


def _acts(people: list[tuple[str, str]], lines: list[tuple[str, str]]) -> list:
    cfg = ExtractionConfig(classifier=None, dialogue_act_heads=None)
    sess = _session(people, lines)
    items = extract_items(sess, parse_texts([t for _, t in lines], language="en"), None, cfg, DynamicsConfig(),
                          assign_threshold=0.5)
    return list(items["action_items"])


def test_next_other_speaker_in_a_group() -> None:
    lines = [("pm", "So that's the plan."), ("ui", "Sounds good."), ("pm", "And you will write the user requirements by Friday."),
             ("me", "Okay, I will.")]
    sess = _session(GROUP, lines)
    assert other_participant(sess, 2) == "ui"  # the previous other speaker: round 15's owner
    assert task_addressee(sess, 2, other_participant(sess, 2)) == "me"
    acts = _acts(GROUP, lines)
    assert [(a.utterance_id, a.owner, a.owners) for a in acts] == [("u2", "me", ("me",))]


def test_no_later_speaker_keeps_the_previous_one() -> None:
    lines = [("pm", "So that's the plan."), ("ui", "Sounds good."), ("pm", "And you will write the user requirements by Friday.")]
    sess = _session(GROUP, lines)
    assert task_addressee(sess, 2, other_participant(sess, 2)) == "ui"
    lines = [*lines[:2], ("pm", "And you will write the user requirements by Friday."), ("pm", "Right."), ("pm", "Next."),
             ("pm", "Then."), ("id", "Yes.")]
    sess = _session(GROUP, lines)
    assert task_addressee(sess, 2, "ui") == "ui"  # beyond three utterances


def test_an_unattributed_stretch_is_no_addressee() -> None:
    from sessionscope.io._common import UNKNOWN_ID

    lines = [("pm", "Hi."), ("ui", "Hello."), ("pm", "You will send the slides tomorrow."), (UNKNOWN_ID, "mm"), ("id", "Sure.")]
    sess = _session([*GROUP, (UNKNOWN_ID, "")], lines)
    assert task_addressee(sess, 2, "ui") == "id"


def test_a_pair_keeps_the_other_person() -> None:
    people = [("a", "Ann"), ("b", "Bob")]
    lines = [("a", "You will send me the draft by Friday."), ("b", "Okay.")]
    sess = _session(people, lines)
    assert task_addressee(sess, 0, "b") == "b"
    assert [(a.owner, a.owners) for a in _acts(people, lines)] == [("b", ("b",))]


def test_the_group_and_the_speaker_are_not_asked() -> None:
    lines = [("pm", "Okay."), ("ui", "Right."), ("pm", "Each of you will write a short report by Friday."), ("me", "Okay.")]
    acts = _acts(GROUP, lines)
    assert [(a.owner, set(a.owners)) for a in acts] == [(None, {"ui", "id", "me"})]
    lines = [("pm", "Okay."), ("ui", "Right."), ("pm", "I'll send you the minutes by Friday."), ("me", "Thanks.")]
    assert [a.owner for a in _acts(GROUP, lines)] == ["pm"]

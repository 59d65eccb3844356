"""Round 8 (issue 10, actions): verbless hand-outs and the speaker's own "I'll X so you can Y".

The hand-out detector reads spaCy's parse (the pipeline's English model); the commitment test is model-free.
"""

from __future__ import annotations

import pytest

from sessionscope.analysis.extract.assign import (
    assignment_target,
    handout,
    handout_items,
    not_a_handout,
    speaker_commits,
)
from sessionscope.analysis.extract.heads import tokens

PEOPLE = [("pm", "Anna"), ("id", "Boris"), ("ui", "Carla"), ("me", "Dmitri")]


def _low(text: str) -> str:
    return " ".join(tokens(text))


@pytest.mark.parametrize(
    "text",
    [
        "next meeting maybe I will do a small sketch of the architecture so you can have a better idea.",
        "I'll send you the file.",
        "so I'm going to email you guys the agenda.",
        "I will give you a call tomorrow.",
    ],
)
def test_own_task_with_you_as_beneficiary_is_the_speakers(text: str) -> None:
    assert speaker_commits(_low(text))
    target = assignment_target(text, PEOPLE, "pm", "id")
    assert target is not None and target.owner == "pm" and target.how == "speaker"


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("so I'll ask you to check it.", "id"),
        ("I will ask the Industrial Designer to find out what the components cost.", None),
        ("i could generate the segmentation and you could do the words.", "id"),
        ("I'll do the slides and you should do the report.", "id"),
        ("you'll send me the draft by Friday.", "id"),
    ],
)
def test_handing_out_stays_an_assignment(text: str, owner: str | None) -> None:
    assert not speaker_commits(_low(text))
    target = assignment_target(text, PEOPLE, "pm", "id")
    assert target is not None and target.owner == owner and target.how != "speaker"


def _sent(text: str):
    from sessionscope.language.nlp import parse_texts

    return parse_texts([text], language="en")[0][0]


@pytest.mark.parametrize(
    ("text", "owner", "how", "task"),
    [
        ("Marketing, the user requirement specification.", None, "role", "Work on the user requirement specification"),
        ("um U_I_D_ the user interface concept,", None, "role", "Work on the user interface concept"),
        ("For U_I_D_ the technical functions design.", None, "role", "Work on the technical functions design"),
        ("and you the components design.", "id", "addressee", "Work on the components design"),
        ("and for you the trend watching.", "id", "addressee", "Work on the trend watching"),
        ("Carla, the working design.", "ui", "named", "Work on the working design"),
        ("Um the look and feel design is for Dmitri,", "me", "named", "Work on the look and feel design"),
    ],
)
def test_verbless_handout(text: str, owner: str | None, how: str, task: str) -> None:
    h = handout(_sent(text), PEOPLE, "pm", "id")
    assert h is not None
    assert (h.assignee.owner, h.assignee.how, h.task) == (owner, how, task)


@pytest.mark.parametrize(
    "text",
    [
        "Yeah. The interface specification",
        "The next slide.",
        "Okay, the next point.",
        "Marketing, what do you think?",
        "We need the user requirements.",
        "Anna, the working design.",  # the speaker's own name
    ],
)
def test_not_a_verbless_handout(text: str) -> None:
    assert handout(_sent(text), PEOPLE, "pm", "id") is None


def test_handout_items_need_an_allocation_context() -> None:
    from sessionscope.language.nlp import parse_texts
    from sessionscope.model import Participant, Session, Utterance

    def session(lines: list[tuple[str, str]]) -> tuple[Session, list]:
        utts = tuple(
            Utterance(id=f"u{i}", speaker=s, text=t, start=float(i), end=i + 0.5) for i, (s, t) in enumerate(lines)
        )
        sess = Session(
            id="s", participants=tuple(Participant(id=p, name=n) for p, n in PEOPLE), utterances=utts, language="en"
        )
        return sess, parse_texts([u.text for u in utts], language="en")

    alone, parsed = session(
        [("pm", "Right."), ("id", "Okay."), ("pm", "Marketing, the user requirement specification.")]
    )
    assert handout_items(alone, parsed, []) == []
    ctx, parsed = session(
        [
            ("pm", "So for the next meeting."),
            ("id", "Okay."),
            ("pm", "Marketing, the user requirement specification."),
            ("pm", "and Carla the technical functions design."),
        ]
    )
    items = handout_items(ctx, parsed, [])
    assert [(a.utterance_id, a.owner, a.method) for a in items] == [("u2", None, "handout"), ("u3", "ui", "handout")]
    assert items[1].task == "Work on the technical functions design"
    pair = Session(id="p", participants=ctx.participants[:2], utterances=ctx.utterances, language="en")
    assert handout_items(pair, parsed, []) == []


@pytest.mark.parametrize(
    "text",
    [
        "yeah | but you should always look at insertions deletions and substitutions .",
        "but you probably won't have anything before the next time we have to evaluate .",
        "and so you'll get - you'll get down to one point two x.  by the time you get done .",
        "and so you know in discourse analysis you get things like @reject@ the role .",
        "but i think you both said no you'll just use text file .",
        "andreas i think you've met everyone except nancy .",
    ],
)
def test_mrda_talk_that_hands_out_nothing(text: str) -> None:
    assert not_a_handout(_low(text), text)
    assert assignment_target(text, PEOPLE, "pm", "id") is None


@pytest.mark.parametrize(
    "text",
    [
        "And it seems you get more information by email.",  # AMI: linked to a human action item
        "and you will get extra instructions from your personal coach.",
        "you'll be getting specific instructions once you go back to your workspace,",
        "So you want me to look at shapes and everything you said?",
        "you'll have to check with them .",
    ],
)
def test_r8_vetoes_leave_real_tasks(text: str) -> None:
    from sessionscope.analysis.extract.assign import _NOT_HANDOUT_R8

    assert not _NOT_HANDOUT_R8.search(_low(text))

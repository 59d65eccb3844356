"""Round 40 (issue 10): what a new user's pass over a real meeting series and a batch's programme report found."""

from __future__ import annotations

import pytest


def _sentence(text: str, language: str = "en"):  # noqa: ANN202
    from sessionscope.analysis.extract.bare import parse_utterances

    (sent, *_), = parse_utterances([text], language=language)
    return sent


# -- a task asked for as a question reads as a task -------------------------------------------------------------------
@pytest.mark.parametrize(("text", "task"), [
    ("Can you look into the company logo ?", "look into the company logo"),  # ES2004b, as QMSum writes it
    ("Could you send me the slides by Friday?", "send me the slides"),
    ("Sam, can you send the report by Friday?", "send the report"),
    ("Okay, so could you guys please check the costs?", "check the costs"),
    ("Will you be able to finish the draft tomorrow?", "finish the draft"),
    ("Please send me the notes after the call.", "send me the notes after the call"),
    # declaratives as before
    ("You will look into the logo.", "look into the logo"),
    ("I'll send them tomorrow morning.", "send them"),
])
def test_a_requests_frame_is_not_part_of_the_task(text: str, task: str) -> None:
    from sessionscope.analysis.extract.actions import task_phrase
    from sessionscope.analysis.extract.rules import RuleHit

    assert task_phrase(_sentence(text), RuleHit("action", 0.5, "classifier")) == task


@pytest.mark.parametrize("text", ["Can I ask a question?", "Could I interject there?"])
def test_the_speakers_own_ask_keeps_its_words(text: str) -> None:
    from sessionscope.analysis.extract.actions import task_start

    assert task_start(text, "en") == 0  # not a task for someone else: nothing to leave out


@pytest.mark.parametrize("text", ["Would you like to make any comments about next", "Would you mind sending the notes?",
                                  "Can you imagine that?"])
def test_an_invitation_keeps_its_words(text: str) -> None:
    from sessionscope.analysis.extract.actions import task_start

    assert task_start(text, "en") == 0

"""Round 10 (issue 10, actions): no commitment in a possibility, in leaving, in what is done already or in a move
opened by "now"; the rule must leave firm commitments, deadlines and a task after a step alone.

Sentences are parsed with the pipeline's English spaCy model (small, no embeddings or heads).
"""

from __future__ import annotations

import pytest

from sessionscope.analysis.extract.actions import no_task_promised, not_promised
from sessionscope.analysis.extract.stage import extract_items
from sessionscope.config import DynamicsConfig, ExtractionConfig
from sessionscope.language.nlp import parse_texts
from test_r9_actions import _session


@pytest.mark.parametrize(
    ("text", "none"),
    [
        # a possibility: "could" / "might" with no firmer frame and no deadline
        ("So one way I could do it.", True),
        ("We might try the other cable.", True),
        ("I could send it by Friday.", False),
        ("I'll send it, and we could meet after.", False),
        # leaving
        ("I'm gonna go home in just a few minutes.", True),
        ("I have to run, I'll call you.", True),
        ("I'll go to the bank tomorrow.", False),
        ("I have to run, I'll call you tomorrow.", False),  # a deadline: a task for later
        # done already
        ("Uh I will put my minutes {disfmarker} uh I have updated them so they're in the shared folder", True),
        ("I'll just uh saved in my documents .", True),
        ("I already sent it to them.", True),
        ("So I'll put them there as soon as I've written them.", False),
        ("I'll update the minutes.", False),
        # a move opened by "now"
        ("Uh Now first I'll tell you a little bit about the setting .", True),
        ("So now I'm gonna hand over the pen on the new blank sheet to you .", True),
        ("Now that we agreed, I'll send the draft.", False),
        ("I'll send it now.", False),
        ("Now I'll send you the report by Friday.", False),
        ("I have updated the minutes and I'll send them by Friday.", False),
        ("Known issues: I'll fix them next week.", False),
    ],
)
def test_no_task_promised(text: str, none: bool) -> None:
    assert no_task_promised(text) is none


def test_not_promised_reads_english_only() -> None:
    assert not_promised(parse_texts(["So one way I could do it."], language="en")[0][0])
    assert not not_promised(parse_texts(["Я могла бы это сделать."], language="ru")[0][0])


def test_leaving_and_done_are_no_action_items_end_to_end() -> None:
    cfg = ExtractionConfig(classifier=None, dialogue_act_heads=None)
    lines = [("a", "I'm going to go home in a few minutes."), ("b", "Okay."),
             ("a", "I'll just uh saved it in my documents."), ("b", "Right."),
             ("a", "I'll send the report to the client by Friday.")]
    items = extract_items(_session([("a", "Ann"), ("b", "Bob")], lines), parse_texts([t for _, t in lines], language="en"), None, cfg,
                          DynamicsConfig())
    assert [a.utterance_id for a in items["action_items"]] == ["u4"]

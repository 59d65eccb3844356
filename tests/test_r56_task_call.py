"""Round 56: a call before a task frame is no part of the task ("Industrial Designer, you will work on…")."""

from __future__ import annotations

from sessionscope.analysis.extract.actions import task_start


def _task(text: str) -> str:
    return text[task_start(text, "en"):]


def test_a_role_or_name_called_before_the_frame_is_left_out():
    assert _task("Industrial Designer, you will work on the components design.") == "work on the components design."
    assert _task("User Interface Designer, Roo, I would like to see the technical functions.").startswith(
        "see the technical functions")
    assert _task("So, Maria, could you send the figures?") == "send the figures?"


def test_words_before_a_comma_without_a_frame_after_them_stay():
    text = "Paris, London and Berlin are the markets we will target."
    assert _task(text) == text
    assert _task("Yesterday, the board approved it.") == "Yesterday, the board approved it."

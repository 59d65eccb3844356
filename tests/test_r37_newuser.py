"""Round 37 (issue 10): what a new user's pass over real-looking inputs found. Model-free."""

from __future__ import annotations

import pytest

from sessionscope.analysis.questions import phatic_question


@pytest.mark.parametrize("text", [
    "Hi Boris, can you hear me okay?", "Can you hear me, Boris?", "Boris, can you hear me?", "Hi Boris?",
    "Hello, Anna Smirnova?", "Алло, Игорь Петрович, вы меня слышите?", "Анна, ты меня слышишь?",
])
def test_a_channel_check_that_calls_the_other_by_name_is_phatic(text: str) -> None:
    assert phatic_question(text)


@pytest.mark.parametrize("text", [
    "Hi Boris, how was the trip?", "Hi Boris, can you explain Jira?", "Hello Kitty is a brand?",
    "Hello? What about Jira?", "Why can you hear me?", "Boris can you hear the difference?",
    "Игорь, вы меня слышите, когда я говорю быстро?",
    # written bare (no capitals), a name cannot be told from a word: round 27's rule alone
    "hi boris can you hear me",
])
def test_a_name_never_makes_an_asking_question_phatic(text: str) -> None:
    assert not phatic_question(text)

"""Round 46 (issue 10): a Russian yes/no question written without "?" (as faster-whisper writes most of them) is told
by its answer; a Russian question a rule finds carries no head probability (it was listed "to check" at a few per
cent: the head reads "?")."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("sentence", "reply", "want"), [
    ("Ты успел отправить опрос.", "Ещё нет.", True),
    ("А к среде успеешь.", "Успею.", True),  # the answer says the verb again
    ("Тебе удобно в четверг в три.", "Удобно.", True),
    ("Получилось настроить выгрузку.", "Да.", True),
    ("Ты уже говорил с Ольгой.", "Нет ещё.", True),
    ("У тебя есть доступ к CRM.", "Есть.", True),
    ("Вы в офисе.", "Да.", True),
    ("Вам стоит попробовать шаблоны.", "Да, хорошо.", False),  # advice taken up
    ("Я отправила вам отчёт.", "Да, спасибо.", False),  # the speaker's own statement
    ("Посмотрите мой отчёт.", "Да, посмотрю.", False),  # a request
    ("Понимаешь, бюджет уже был потрачен.", "Да.", False),  # a marker, not a question to the listener
    ("В прошлый раз вы обещали разобраться с телеграм-каналом нашего отдела.", "Да, я подготовила план.", False),
    ("Вы создаёте чаты до среды и смотрите каналы.", "Да, договорились.", False),  # a task handed over
    ("Ты успел отправить опрос.", "Я вчера был в отпуске.", False),  # no yes or no
    ("Ты успел отправить опрос?", "Да.", False),  # "?" is read elsewhere
    ("Did you send the survey.", "Yes.", False),  # Russian only
])
def test_a_russian_yes_no_question_told_by_its_answer(sentence: str, reply: str, want: bool) -> None:
    from sessionscope.analysis.questions import ru_yes_no_by_reply

    assert ru_yes_no_by_reply(sentence, reply) is want


def _events(lines: list[tuple[str, str]]):
    from helpers import make_session
    from sessionscope.analysis.questions import find_questions
    from sessionscope.config import DynamicsConfig

    session = make_session([(who, 3.0 * n, 3.0 * n + 2.5, text) for n, (who, text) in enumerate(lines)], language="ru")
    return find_questions(session.utterances, language="ru", backchannels=DynamicsConfig().backchannels)


def test_in_a_transcript_the_question_is_counted_not_to_check() -> None:
    events = _events([("anna", "Ты успел отправить опрос."), ("boris", "Ещё нет, сделаю к пятнице."),
                      ("anna", "Как дела с проектом."), ("boris", "Нормально.")])
    assert [(e.text, e.confidence, e.answered) for e in events] == [
        ("Ты успел отправить опрос.", None, True), ("Как дела с проектом.", None, True)]


def test_the_speaker_s_own_next_sentence_is_no_answer() -> None:
    events = _events([("anna", "Ты успел отправить опрос. Да, кстати, я тоже не успела."), ("boris", "Понятно.")])
    assert [e.text for e in events] == []


def test_a_question_mark_keeps_the_head_s_probability() -> None:
    events = _events([("anna", "Ты успел отправить опрос?"), ("boris", "Ещё нет.")])
    assert len(events) == 1 and events[0].confidence is not None and events[0].confidence > 0.5

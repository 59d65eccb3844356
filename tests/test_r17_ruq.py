"""Russian questions that speech recognition writes with "." or "," (round 17, task ruq)."""

from __future__ import annotations

import pytest

from sessionscope.analysis.questions import bare_clauses, find_questions, ru_unmarked_question
from sessionscope.model import Utterance


@pytest.mark.parametrize("text", [
    "60 тысяч тенге сколько будет стоить.",
    "Как, кстати, идёт проект с новым сайтом.",
    "А тексты кто будет писать, я же не копирайтер.",
    "можно я тоже спрошу,",
    "Как прошла неделя.",
    "с чего ты обычно начинаешь встречу",
    "Стоит ли мне использовать Trello для этого.",
    "Почему, как думаешь, кампания не сработала.",
    "Три раза в день, а если что-то срочное.",
    "Ну а вы как.",
])
def test_unmarked_russian_questions(text: str) -> None:
    assert ru_unmarked_question(text)


@pytest.mark.parametrize("text", [
    "Когда ты новенький, ты никого не знаешь.",
    "Что мне помогло, так это журнал решений.",
    "Как я говорил, отчёт готов.",
    "Кто-то мне когда-то сказал всегда всё записывать.",
    "Я плохо оцениваю, сколько времени займёт работа.",
    "Не знаю, с чего начать с соцсетями для бренда.",
    "нейронной сети.",
    "Это хорошо.",
    "Так, сколько это примерно?",  # "?" is decided by is_question, not here
])
def test_russian_statements_stay_statements(text: str) -> None:
    assert not ru_unmarked_question(text)


def test_continuation_of_a_comma_cut_segment() -> None:
    # the recogniser cut one sentence at a comma: the next segment's «что» / «как» is a conjunction
    assert not ru_unmarked_question("что мы сорвали сроки за запуск рекламы.", "Они оставили комментарии под постом,")
    assert not ru_unmarked_question("как их помирить.", "и я не знаю,")
    assert ru_unmarked_question("как вы считаете,", "И последний вопрос, я думаю пройти курс,")


def _questions(texts: list[tuple[str, str]]) -> list[str]:
    utts = [Utterance(id=f"u{i}", speaker=s, text=t) for i, (s, t) in enumerate(texts)]
    return [e.utterance_id for e in find_questions(utts, language="ru", backchannels=())]


def test_pipeline_reads_whisper_marks_in_russian() -> None:
    found = _questions([
        ("a", "Добрый день, проходите."), ("a", "Как прошли выходные."), ("b", "Хорошо, спасибо."),
        ("b", "Они оставили комментарии под постом,"), ("b", "что мы сорвали сроки."), ("a", "А вы сорвали?"),
    ])
    assert found == ["u1", "u5"]


def test_english_is_not_read_by_the_russian_rule() -> None:
    # an English sentence ending in "." in a punctuated transcript is not sent to the Russian rule
    utts = [Utterance(id="u0", speaker="a", text="Good morning, come in."), Utterance(id="u1", speaker="a", text="Where we go next."),
            Utterance(id="u2", speaker="b", text="The office.")]
    assert not ru_unmarked_question("Where we go next.")
    assert [e.utterance_id for e in find_questions(utts, language="en", backchannels=(), head=None)] == []


@pytest.mark.parametrize("text", [
    "не знаю с чего начать с соцсетями",
    "покажи джунам как ты готовишься к презентации",
    "соберу обратную связь от тех кто ушёл из команды",
    "записывайте рекомендации которые мы обсуждаем",
    "я плохо оцениваю сколько времени займёт работа",
])
def test_bare_russian_indirect_questions_are_not_cut(text: str) -> None:
    assert bare_clauses(text) == [text]


def test_bare_russian_question_after_a_statement_is_cut() -> None:
    assert bare_clauses("хорошо спасибо а с чего нам начать") == ["хорошо спасибо а", "с чего нам начать"]
    assert bare_clauses("да вот на даче был сколько снега выпало") == ["да вот на даче был", "сколько снега выпало"]


@pytest.mark.parametrize("text", ["Как обычно.", "Как же я устал.", "Кто бы сомневался.", "Что и требовалось доказать.",
                                  "Как договорились.", "Сколько можно.", "Куда деваться.", "Кто как, а я пойду.",
                                  "Почему бы и нет.", "Как будто никто не знает."])
def test_set_phrases_and_exclamations_are_no_unmarked_questions(text: str) -> None:
    """The lead's check of common spoken idioms: an interrogative word before «бы», «же», «и», «обычно»… is not asking."""
    assert not ru_unmarked_question(text)


def test_a_suggestion_with_pochemu_by_still_asks() -> None:
    assert ru_unmarked_question("Почему бы тебе не сходить со мной на встречу.")

"""Round 38 (issue 10): what a new user's pass over a Russian (and an English) one-to-one call found."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

_DAY = dt.date(2026, 12, 1)  # a Tuesday


# -- a part of the day is read with "today / tomorrow" or a weekday ---------------------------------------------------
@pytest.mark.parametrize(("text", "due", "day"), [
    ("Хорошо, пришлю сегодня вечером.", "сегодня вечером", "2026-12-01"),
    ("Пришлю завтра утром.", "завтра утром", "2026-12-02"), ("Сделаю завтра с утра.", "завтра с утра", "2026-12-02"),
    ("Сегодня же вечером отправлю.", "Сегодня же вечером", "2026-12-01"),
    ("Sure, I'll send them tomorrow morning.", "tomorrow morning", "2026-12-02"),
    ("I'll share them this afternoon.", "this afternoon", "2026-12-01"),
    ("I'll get it done later today.", "later today", "2026-12-01"),
    ("First thing tomorrow I'll call the client.", "First thing tomorrow", "2026-12-02"),
    ("I'll send it on Friday afternoon.", "on Friday afternoon", "2026-12-04"),
    ("Next Monday morning we ship.", "Next Monday morning", "2026-12-07"),
    ("Пришлю в пятницу после обеда.", "в пятницу после обеда", "2026-12-04"),
    ("В следующий вторник утром пришлю.", "В следующий вторник утром", "2026-12-08"),
])
def test_a_part_of_the_day_is_read_with_today_tomorrow_or_a_weekday(text: str, due: str, day: str) -> None:
    from sessionscope.analysis.extract.dates import find_due

    got = find_due(text, session_date=_DAY)
    assert got is not None and (got.text, str(got.date)) == (due, day)


def _parsed(texts: list[str], language: str):  # noqa: ANN202
    from sessionscope.analysis.extract.bare import parse_utterances

    return parse_utterances(texts, language=language)


# -- a Russian deadline belongs to the verb before it ------------------------------------------------------------------
@pytest.mark.parametrize(("text", "task"), [
    ("Я настрою фильтр до пятницы и покажу вам на следующей встрече.", "настрою фильтр и покажу вам на следующей встрече"),
    ("Пришлите ссылки, посмотрю к пятнице.", "посмотрю"),  # the deadline's own verb, after the request
    ("До пятницы пришлю отчёт.", "пришлю отчёт"),  # no verb before the deadline
])
def test_a_russian_deadline_belongs_to_the_nearest_verb_before_it(text: str, task: str) -> None:
    from sessionscope.analysis.extract.actions import action_rule, task_phrase

    (sent,), = _parsed([text], "ru")
    hit = action_rule(sent)
    assert hit is not None and not hit.veto
    assert task_phrase(sent, hit) == task


# -- a commitment that names only its verb takes the object said with it just before -----------------------------------
def _echo(rows: list[tuple[str, str]], language: str = "en"):  # noqa: ANN202
    from sessionscope.analysis.extract.accept import echoed_task
    from sessionscope.analysis.extract.actions import task_phrase
    from sessionscope.analysis.extract.rules import RuleHit

    parsed = _parsed([t for _, t in rows], language)
    sent = parsed[-1][-1]
    task = task_phrase(sent, RuleHit("action", 0.5, "classifier"))
    return echoed_task(sent, task, rows[-1][0], [s for s, _ in rows], parsed, len(rows) - 1)


@pytest.mark.parametrize(("rows", "language", "want"), [
    ([("b", "Could you send me the slides from your training session?"), ("a", "Sure, I'll send them tomorrow morning.")],
     "en", "send you the slides from my training session"),
    ([("b", "And I can share my notes on the escalation process with you."), ("a", "Oh, please do."),
      ("b", "Great, I'll share them this afternoon.")], "en", "share my notes on the escalation process with you"),
    ([("b", "Могу прислать вам свой шаблон."), ("a", "Пришлите, пожалуйста, буду благодарна."),
      ("b", "Хорошо, пришлю сегодня вечером.")], "ru", "пришлю вам свой шаблон"),
    ([("b", "Пришлите мне, пожалуйста, ссылку на доску."), ("a", "Ок, пришлю её завтра.")], "ru", "пришлю вам ссылку на доску"),
])
def test_a_commitment_naming_only_its_verb_takes_the_object_said_with_it(rows, language, want) -> None:  # noqa: ANN001
    assert _echo(rows, language) == want


@pytest.mark.parametrize(("rows", "language"), [
    # the commitment names its own object
    ([("b", "Could you send me the slides?"), ("a", "Sure, I'll send the old deck tomorrow.")], "en"),
    # the verb before has no noun object («буду благодарна»; "send it")
    ([("a", "Пришлите, пожалуйста, буду благодарна."), ("b", "Хорошо, пришлю сегодня вечером.")], "ru"),
    ([("b", "Could you send it?"), ("a", "Sure, I'll send it tonight.")], "en"),
    # another verb
    ([("b", "Could you review my draft?"), ("a", "Sure, I'll send it tonight.")], "en"),
    # too far back: four utterances
    ([("b", "Could you send me the slides?"), ("a", "Which ones?"), ("b", "The training ones."), ("a", "Right."),
      ("a", "I'll send them tomorrow.")], "en"),
])
def test_a_commitment_keeps_its_words_without_an_object_said_with_its_verb(rows, language) -> None:  # noqa: ANN001
    assert _echo(rows, language) is None


# -- advice taken up with a "when" ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "language", "want"), [
    ("Okay, I'll try that at the next team meeting", "en", True), ("I'll try that next time", "en", True),
    ("я попробую на следующей планёрке", "ru", True), ("попробую в следующий раз", "ru", True),
    ("I'll try that with the next client", "en", False), ("попробую с новым клиентом", "ru", False),
])
def test_advice_taken_up_with_a_when(text: str, language: str, want: bool) -> None:
    from sessionscope.analysis.extract.accept import takes_up_advice

    (sent,), = _parsed([text], language)
    assert takes_up_advice(text, sent) is want


_RU_CALL = [
    ("anna", 0.0, 8.0, "В прошлый раз мы договорились посмотреть, как вы ведёте задачи в Jira. Получилось что-нибудь?"),
    ("boris", 8.5, 16.0, "Я открыл доску, но так и не понял, как там фильтровать задачи моего отдела. Как это сделать?"),
    ("anna", 16.5, 30.0, "Я советую вам создать фильтр по компоненту вашего отдела и добавить его на главную панель."),
    ("boris", 30.5, 40.0, "Хорошо, попробую. Я настрою фильтр до пятницы и покажу вам на следующей встрече."),
    ("boris", 40.5, 55.0, "Вы на планёрках часто молчите, хотя я знаю, что у вас есть идеи. Почему так?"),
    ("anna", 55.5, 65.0, "Наверное, я не уверена, что это уместно. Мне кажется, что мои предложения никому не нужны."),
    ("boris", 65.5, 80.0, "Это зря. Вам стоит заранее записать одну-две мысли и сказать их в начале встречи, пока никто не "
                          "задал тон. И не бойтесь спорить с руководителями, это нормально."),
    ("anna", 80.5, 86.0, "Спасибо, я попробую на следующей планёрке во вторник."),
    ("boris", 86.5, 96.0, "Могу прислать вам свой шаблон списка задач на неделю."),
    ("anna", 96.5, 100.0, "Пришлите, пожалуйста, буду благодарна."),
    ("boris", 100.5, 104.0, "Хорошо, пришлю сегодня вечером."),
]


def test_the_stage_on_a_russian_call_gives_tasks_that_stand_on_their_own() -> None:
    """The shipped stage on a short Russian call: each commitment reads as its task, due dates resolved."""
    from helpers import make_session
    from sessionscope.analysis.extract.stage import ExtractionStage

    session = make_session(_RU_CALL, roles={"anna": "junior", "boris": "senior"}, language="ru")
    out = ExtractionStage()(dataclasses.replace(session, date=_DAY))
    got = {a.utterance_id: (a.owner, a.task, a.due_text) for a in out.action_items}
    assert got["u0004"] == ("boris", "настрою фильтр и покажу вам на следующей встрече", "до пятницы")
    assert got["u0008"] == ("anna", "заранее записать одну-две мысли и сказать их в начале встречи, пока никто не "
                                    "задал тон (на следующей планёрке)", "во вторник")
    assert got["u0011"] == ("boris", "пришлю вам свой шаблон списка задач на неделю", "сегодня вечером")


def test_a_habit_of_mornings_is_still_no_deadline() -> None:
    from sessionscope.analysis.extract.dates import find_due

    assert find_due("I meet them on Friday mornings.", session_date=_DAY) is None


# -- asking for the floor is no task -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "task"), [
    ("Игорь Петрович, можно я тоже спрошу,", False), ("Можно я добавлю одну вещь.", False),
    ("Можно, я уточню у Марины и вернусь к вам завтра.", True),  # leave asked for a task
    ("Я спрошу у клиента до пятницы.", True), ("Я добавлю это в план до пятницы.", True),
])
def test_asking_for_the_floor_in_russian_is_no_task(text: str, task: bool) -> None:
    from sessionscope.analysis.extract.actions import action_rule

    (sent,), = _parsed([text], "ru")
    hit = action_rule(sent)
    assert (hit is not None and not hit.veto) is task


# -- a deadline of another clause is not the task's --------------------------------------------------------------------
@pytest.mark.parametrize(("text", "language", "want"), [
    ("Завтра звоню в агентство, вы создаёте чаты и смотрите каналы.", "ru", None),  # «завтра» is the call's
    ("Завтра звоню в агентство, вы создаёте чаты и смотрите каналы до пятницы.", "ru", "до пятницы"),
    ("By Friday, I'll send the report.", "en", "By Friday"), ("Tomorrow I'm going to call them.", "en", "Tomorrow"),
    ("Завтра постараюсь прислать отчёт.", "ru", "Завтра"),
])
def test_a_deadline_of_another_clause_is_not_the_tasks(text: str, language: str, want: str | None) -> None:
    from sessionscope.analysis.extract.actions import action_rule
    from sessionscope.analysis.extract.dates import find_due
    from sessionscope.analysis.extract.stage import own_due

    (sent,), = _parsed([text], language)
    hit = action_rule(sent)
    assert hit is not None and hit.task_start is not None
    got = own_due(sent, hit.task_start, find_due(text, session_date=_DAY), _DAY, 7)
    assert (got.text if got else None) == want

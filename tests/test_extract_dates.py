"""Due-expression resolution against a fixed session date (pure logic, no models)."""

from __future__ import annotations

import datetime as dt

import pytest

from sessionscope.analysis.extract.dates import find_due

THU = dt.date(2026, 11, 26)  # a Thursday


@pytest.mark.parametrize(
    ("text", "due_text", "expected"),
    [
        ("I'll send it by Friday.", "by Friday", dt.date(2026, 11, 27)),
        ("I'll send it by Thursday.", "by Thursday", dt.date(2026, 12, 3)),  # a Thursday session: next week's
        ("Let's meet next Monday.", "next Monday", dt.date(2026, 11, 30)),
        ("I'll do it next week.", "next week", dt.date(2026, 12, 4)),
        ("by the end of the week", "by the end of the week", dt.date(2026, 11, 27)),
        ("before our next meeting", "before our next meeting", dt.date(2026, 12, 3)),
        ("tomorrow morning", "tomorrow morning", dt.date(2026, 11, 27)),  # read whole (round 38)
        ("in two weeks", "in two weeks", dt.date(2026, 12, 10)),
        ("by the end of the month", "by the end of the month", dt.date(2026, 11, 30)),
        ("by March 3rd", "by March 3rd", dt.date(2027, 3, 3)),
        ("Пришлю до пятницы.", "до пятницы", dt.date(2026, 11, 27)),
        ("Сделаю к следующей встрече.", "к следующей встрече", dt.date(2026, 12, 3)),
        ("Созвонимся на следующей неделе.", "на следующей неделе", dt.date(2026, 12, 4)),
        ("через три дня", "через три дня", dt.date(2026, 11, 29)),
        ("в следующий понедельник", "в следующий понедельник", dt.date(2026, 11, 30)),
        ("к 15 марта", "к 15 марта", dt.date(2027, 3, 15)),
        ("до конца месяца", "до конца месяца", dt.date(2026, 11, 30)),
        ("завтра", "завтра", dt.date(2026, 11, 27)),
        ("в среду", "в среду", dt.date(2026, 12, 2)),
    ],
)
def test_resolves_against_session_date(text: str, due_text: str, expected: dt.date) -> None:
    due = find_due(text, session_date=THU)
    assert due is not None
    assert due.text == due_text
    assert due.date == expected
    assert text[due.char_start : due.char_end] == due.text


def test_unknown_session_date_keeps_text_only() -> None:
    due = find_due("I'll send it by Friday.")
    assert due is not None and due.text == "by Friday" and due.date is None


@pytest.mark.parametrize(
    "text", ["среди прочего мы обсудили", "I may come", "We talked about the weekly plan.", "Это стоит дорого."]
)
def test_no_due_expression(text: str) -> None:
    assert find_due(text, session_date=THU) is None


def test_meeting_interval_is_configurable() -> None:
    due = find_due("до следующей встречи", session_date=THU, meeting_interval_days=14)
    assert due is not None and due.date == dt.date(2026, 12, 10)


@pytest.mark.parametrize(
    ("text", "due_text", "date"),
    [
        ("I'll send it tomorrow", "tomorrow", dt.date(2026, 12, 2)),
        ("early next week I will fix it", "early next week", dt.date(2026, 12, 8)),
        ("by the tenth of December", "by the tenth of December", dt.date(2026, 12, 10)),
        ("December the twenty-first", "December the twenty-first", dt.date(2026, 12, 21)),
        ("send it by the 10th", "by the 10th", dt.date(2026, 12, 10)),
        ("пришлю к десятому декабря", "к десятому декабря", dt.date(2026, 12, 10)),
        ("до двадцать пятого декабря", "до двадцать пятого декабря", dt.date(2026, 12, 25)),
    ],
)
def test_relative_and_ordinal_dates(text, due_text, date) -> None:
    due = find_due(text, session_date=dt.date(2026, 12, 1))  # a Tuesday
    assert (due.text, due.date) == (due_text, date)


def test_ordinal_without_month_is_not_a_date() -> None:
    assert find_due("the second thing is the budget") is None


# round 7: relative dates heard in real talk, against a Tuesday session (2026-12-01)
TUE = dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("text", "due_text", "date"),
    [
        ("I'll have it by Wednesday next week", "by Wednesday next week", dt.date(2026, 12, 9)),
        ("on Monday of next week", "on Monday of next week", dt.date(2026, 12, 7)),
        ("a week from today", "a week from today", dt.date(2026, 12, 8)),
        ("a week from Friday", "a week from Friday", dt.date(2026, 12, 11)),
        ("send it by the weekend", "by the weekend", dt.date(2026, 12, 4)),
        ("I'll read it over the weekend", "over the weekend", dt.date(2026, 12, 6)),
        ("next weekend", "next weekend", dt.date(2026, 12, 13)),
        ("I'll fix it this afternoon", "this afternoon", dt.date(2026, 12, 1)),
        ("by the end of December", "by the end of December", dt.date(2026, 12, 31)),
        ("by mid-January", "by mid-January", dt.date(2027, 1, 15)),
        ("due Dec 10", "Dec 10", dt.date(2026, 12, 10)),
        ("on 14 Dec.", "on 14 Dec", dt.date(2026, 12, 14)),
        ("send the slides by the tenth", "by the tenth", dt.date(2026, 12, 10)),
        ("Пришлю к выходным.", "к выходным", dt.date(2026, 12, 4)),
        ("Посмотрю на выходных.", "на выходных", dt.date(2026, 12, 6)),
        ("Сделаю в начале следующей недели.", "в начале следующей недели", dt.date(2026, 12, 7)),
        ("Допишу в конце недели.", "в конце недели", dt.date(2026, 12, 4)),
        ("Подготовь к следующему разу.", "к следующему разу", dt.date(2026, 12, 8)),
        ("Прочитай до следующего занятия.", "до следующего занятия", dt.date(2026, 12, 8)),
        ("Ответь в течение двух недель.", "в течение двух недель", dt.date(2026, 12, 15)),
        ("Сдам к десятому числу.", "к десятому числу", dt.date(2026, 12, 10)),
        ("Закончу к концу декабря.", "к концу декабря", dt.date(2026, 12, 31)),
        ("Пришлю к вечеру.", "к вечеру", dt.date(2026, 12, 1)),
    ],
)
def test_relative_dates_of_real_talk_r7(text: str, due_text: str, date: dt.date) -> None:
    due = find_due(text, session_date=TUE)
    assert due is not None
    assert (due.text, due.date) == (due_text, date)
    assert text[due.char_start : due.char_end] == due.text


def test_weekend_on_a_saturday_session_is_the_next_friday_or_this_sunday() -> None:
    sat = dt.date(2026, 12, 5)
    assert find_due("by the weekend", session_date=sat).date == dt.date(2026, 12, 11)
    assert find_due("over the weekend", session_date=sat).date == dt.date(2026, 12, 6)


@pytest.mark.parametrize("text", ["by February 30th", "sep 31"])
def test_unresolvable_date_keeps_its_text(text: str) -> None:
    due = find_due(text, session_date=TUE)
    assert due is not None and due.text == text and due.date is None


@pytest.mark.parametrize(
    "text",
    [
        "давайте перейдём к первому вопросу",
        "перейдём к первому.",
        "we took 10 decisions",
        "by the second one",
        "in December",
    ],
)
def test_not_a_due_expression_r7(text: str) -> None:
    assert find_due(text, session_date=TUE) is None


def test_a_possessive_after_the_date_belongs_to_the_deadline() -> None:
    """The demo's "I'll run a poll before next Monday's meeting." became the task "run a poll 's meeting"."""
    import datetime as _d

    from sessionscope.analysis.extract.dates import find_due

    text = "I'll run a poll before next Monday's meeting."
    due = find_due(text, session_date=_d.date(2026, 12, 1))
    assert due is not None and due.text == "before next Monday's meeting" and due.date == _d.date(2026, 12, 7)
    assert text[:due.char_start] + text[due.char_end:] == "I'll run a poll ."
    due = find_due("Send it by Friday's review with Anna.")
    assert due is not None and due.text == "by Friday's review"
    due = find_due("before Monday's big team meeting, please")
    assert due is not None and due.text == "before Monday's big team meeting"
    due = find_due("by Friday, Monday's fine")  # not right after the date: not the deadline's
    assert due is not None and due.text == "by Friday"

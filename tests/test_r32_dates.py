"""Round 32: business and calendar deadlines ("by EOD", "by the end of the quarter", "by Q1", «к 15 числу»)."""

from __future__ import annotations

import datetime as dt

import pytest

from sessionscope.analysis.extract.dates import find_due

THU = dt.date(2026, 11, 26)  # a Thursday in the year's last quarter


@pytest.mark.parametrize(("text", "due", "date"), [
    ("I'll send it by EOD.", "by EOD", dt.date(2026, 11, 26)),
    ("I'll send it by close of business.", "by close of business", dt.date(2026, 11, 26)),
    ("I'll send it by EOW.", "by EOW", dt.date(2026, 11, 27)),
    ("I'll send it by the end of the year.", "by the end of the year", dt.date(2026, 12, 31)),
    ("I'll send it by year end.", "by year end", dt.date(2026, 12, 31)),
    ("I'll send it by the end of the quarter.", "by the end of the quarter", dt.date(2026, 12, 31)),
    ("I'll send it by next quarter.", "by next quarter", dt.date(2027, 3, 31)),
    ("I'll send it by Q1.", "by Q1", dt.date(2027, 3, 31)),
    ("I'll send it by Q4.", "by Q4", dt.date(2026, 12, 31)),
    ("I'll send it by the end of Q3 2027.", "by the end of Q3 2027", dt.date(2027, 9, 30)),
    ("I'll send it by New Year.", "by New Year", dt.date(2026, 12, 31)),
    ("I'll send it before Christmas.", "before Christmas", dt.date(2026, 12, 24)),
    ("I'll send it by Christmas.", "by Christmas", dt.date(2026, 12, 25)),
    ("Пришлю до конца года.", "до конца года", dt.date(2026, 12, 31)),
    ("Пришлю к концу квартала.", "к концу квартала", dt.date(2026, 12, 31)),
    ("Пришлю к концу следующего квартала.", "к концу следующего квартала", dt.date(2027, 3, 31)),
    ("Пришлю к 15-му числу.", "к 15-му числу", dt.date(2026, 12, 15)),
    ("Пришлю до 30 числа.", "до 30 числа", dt.date(2026, 11, 30)),
    ("Пришлю к Новому году.", "к Новому году", dt.date(2026, 12, 31)),
])
def test_business_and_calendar_deadlines(text, due, date):
    d = find_due(text, session_date=THU)
    assert d is not None and (d.text, d.date) == (due, date)


@pytest.mark.parametrize("text", [
    "In Q1 we sold a lot.",  # tells, sets no date
    "My sister got one for Christmas.",  # a gift
    "We sold more this year.",
    "А результаты будут в следующем квартале, я думаю.",
    "Перейдём к 15 пункту.",  # «число» required
])
def test_no_deadline(text):
    assert find_due(text, session_date=THU) is None

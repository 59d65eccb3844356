"""Round 27 (leftovers): the evaluator audit's two open findings (benchmarks/results/r27_evalaudit_findings.json,
EA-11 and EA-13). Model-free: sessions from ``test_report_data``, the lexical goal method."""

from __future__ import annotations

from dataclasses import replace

from sessionscope.report.checklist import checklist_section, session_checklist
from sessionscope.report.i18n import Translator
from test_report_data import full_session


def _with_items_to_check():  # noqa: ANN202
    """full_session with Boris's r3, Anna's q3 and the dated a1 marked to check."""
    s = full_session()
    return s.evolve(
        recommendations=tuple(replace(r, to_check=True) if r.id == "r3" else r for r in s.recommendations),
        questions=tuple(replace(q, to_check=True) if q.id == "q3" else q for q in s.questions),
        action_items=tuple(replace(a, to_check=True) if a.id == "a1" else a for a in s.action_items))


def test_checklist_measures_count_the_counted_items_then_those_to_check() -> None:
    """EA-13: "junior 2/8, senior 15/15" and "(0 of 4)" counted the items marked to check, the status did not."""
    items = {i.item: i for i in session_checklist(_with_items_to_check()).items}
    assert items["both_ways"].measure == "questions/recommendations: junior 1/1 (+1 to check), senior 1/1 (+1 to check)"
    assert items["recommendations_recorded"].measure == "recommendations found (+1 to check)"
    assert items["recommendations_recorded"].value == 2
    assert items["junior_questions"].measure == "questions asked by the junior (+1 to check)"
    assert items["junior_questions"].value == 1
    # a1 (owner and due date) is the one to check: 0 of the 2 counted, 1 to check; the status is unchanged
    goals = items["goals_owner_date"]
    assert goals.measure == "action items with an owner and a due date (0 of 2; +1 to check)" and goals.value == 0
    assert goals.status == "cant_tell"
    # nothing to check: the measures read as before
    plain = {i.item: i for i in session_checklist(full_session()).items}
    assert plain["both_ways"].measure == "questions/recommendations: junior 2/1, senior 1/2"
    assert plain["goals_owner_date"].measure == "action items with an owner and a due date (1 of 3)"
    assert plain["junior_questions"].measure == "questions asked by the junior"


def test_checklist_section_shows_those_to_check_apart_in_both_languages() -> None:
    s = _with_items_to_check()
    rows = {r[0]: r[2] for r in checklist_section(s, Translator("en")).rows}
    assert "junior 1/1 (+1 to check), senior 1/1 (+1 to check)" in rows["Both asked and both advised"]
    assert "recommendations found: 2 (+1 to check; threshold 1)" in rows["Recommendations recorded"]
    assert ": 0 (+1 to check; threshold 1)" in rows["Small goals with owners and dates"]
    ru = [r[2] for r in checklist_section(s.evolve(language="ru"), Translator("ru")).rows]
    assert any("1/1 (+1 на проверку)" in r and "to check" not in r for r in ru)
    assert any("найдено рекомендаций: 2 (+1 на проверку; порог 1)" in r for r in ru)
    assert not any("to check" in r for r in ru)

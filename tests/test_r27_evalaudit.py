"""Round 27 (evalaudit): what a programme evaluator reads (benchmarks/results/r27_evalaudit_findings.json).

No models: sessions from ``test_report_data``, the keyword encoder of ``test_programme_goals`` or the lexical method.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sessionscope.report.dashboard import dashboard_data, render_dashboard
from sessionscope.report.goals import follow_goals
from sessionscope.report.i18n import Translator
from sessionscope.report.programme import build_programme, render_programme_markdown
from test_report_data import full_session


def _checked_task(s):  # the session's first action item marked to check
    first = replace(s.action_items[0], to_check=True)
    return s.evolve(action_items=(first, *s.action_items[1:])), first.id


def test_items_marked_to_check_are_no_goals() -> None:
    """EA-05..07: 9 goals "still open" of which 6 were items marked to check ('0 action items found')."""
    s0, checked = _checked_task(full_session(sid="g0", date=dt.date(2026, 1, 5)))
    s1 = full_session(sid="g1", date=dt.date(2026, 1, 12)).evolve(action_items=())
    goals = follow_goals([s0, s1], encoder=None)
    assert goals and checked not in {g.action_item_id for g in goals}
    assert len(goals) == sum(1 for a in s0.tasks if not a.to_check)
    prog = build_programme([s0, s1], encoder=None, goal_vectors=None)
    assert int(prog.programme.iloc[0]["n_action_items"]) == len(goals)
    assert checked not in set(prog.goals["action_item_id"])


def test_counts_show_the_counted_items_then_those_to_check() -> None:
    """EA-01..04: "8 / 13 (18 to check)" beside a flag "Kathy gave 3 of 3" → "0 / 3 (+18 to check)"."""
    s = full_session(sid="s1")
    junior = next(p.id for p in s.participants if p.role.value == "junior")
    recs = tuple(replace(r, to_check=True) if r.giver == junior else r for r in s.recommendations)
    s, _ = _checked_task(s.evolve(recommendations=recs))
    prog = build_programme([s], encoder=None, goal_vectors=None)
    row = prog.sessions.iloc[0]
    by_junior = sum(1 for r in s.advice if r.giver == junior)
    assert by_junior and row["recs_by_junior"] == by_junior and row["recs_by_junior_to_check"] == by_junior
    assert row["recs_by_senior_to_check"] == 0
    pair = prog.pairs.iloc[0]
    assert pair["recs_by_junior_to_check"] == by_junior
    n, k = int(row["n_action_items"]), int(row["n_action_items_to_check"])
    assert k == 1
    md = render_programme_markdown(prog)
    assert f"{n - k} (+{k} to check)" in md and f"{n} ({k} to check)" not in md
    page = render_dashboard(prog)
    n_r, k_r = len(s.advice), sum(1 for r in s.advice if r.to_check)
    assert f"{n_r - k_r} (+{k_r} to check)" in page  # the sessions table
    data = dashboard_data(prog, Translator("en"))
    first = data["sessions"][0]
    assert first["rj"] - first["rjc"] == 0 and first["rsc"] == 0  # the page script shows rj - rjc / rs - rsc
    assert data["t"]["to_check"] == "+{n} to check"
    script = page.split('<script>')[-1]
    assert "counted(s.rj, s.rjc)" in script and "counted(s.ai, s.ac)" in script
    assert "проверку" in render_programme_markdown(prog, language="ru")


def test_mean_mutuality_says_over_how_many_sessions() -> None:
    """EA-09: every key figure but the mean mutuality said over how many sessions it was."""
    a = full_session(sid="m1", date=dt.date(2026, 1, 5))
    b = full_session(sid="m2", date=dt.date(2026, 1, 12))
    assert a.knowledge_flow is not None and a.knowledge_flow.mutuality_index is not None
    b = b.evolve(knowledge_flow=replace(b.knowledge_flow, mutuality_index=None))
    prog = build_programme([a, b], encoder=None, goal_vectors=None)
    assert int(prog.programme.iloc[0]["n_mutuality_sessions"]) == 1
    assert "(over the 1 of 2 sessions where it could be measured)" in render_programme_markdown(prog)
    both = build_programme([a, a.evolve(id="m3")], encoder=None, goal_vectors=None)
    assert "where it could be measured" not in render_programme_markdown(both)


def test_mean_minutes_of_short_sessions_are_not_zero() -> None:
    """EA-08: two 30-second sessions had a mean length of "0" minutes on the dashboard (programme.md: 0.5)."""
    page = render_dashboard(build_programme([full_session(sid="z1")], encoder=None, goal_vectors=None))
    script = page.split('<script>')[-1]
    assert "minutesText(mean(minutes))" in script and "fmt(mean(minutes), 0)" not in script


def test_dashboard_says_over_how_many_sessions_the_mean_mutuality_is() -> None:
    """EA-12: the dashboard's key figures said it for hours and talk share, not for the mean mutuality."""
    a = full_session(sid="m1", date=dt.date(2026, 1, 5))
    b = full_session(sid="m2", date=dt.date(2026, 1, 12))
    b = b.evolve(knowledge_flow=replace(b.knowledge_flow, mutuality_index=None))
    prog = build_programme([a, b], encoder=None, goal_vectors=None)
    page = render_dashboard(prog)
    assert 'id="kpi-mutuality-note"' in page and "T.mutuality_note" in page
    data = dashboard_data(prog, Translator("en"))
    assert data["t"]["mutuality_note"] == ("The mean mutuality is over the {n} of {total} sessions where it could "
                                           "be measured.")
    assert [s["mu"] is None for s in data["sessions"]] == [False, True]
    ru = dashboard_data(prog, Translator("ru"))
    assert "{n} из {total}" in ru["t"]["mutuality_note"]


def test_a_mutuality_on_too_few_exchanges_is_said_in_the_programme() -> None:
    """EA-10: the Zoom page said its mutuality 'rests on only 4 exchanges … too few to read much into'; the
    programme showed 0.00 and averaged it without a word."""
    s = full_session(sid="f1", date=dt.date(2026, 1, 5))
    kf = s.knowledge_flow
    assert kf is not None and kf.mutuality_index is not None
    flows = sum(n for rows in kf.matrix.values() for r in rows.values() for n in r.values())
    few = build_programme([s], encoder=None, goal_vectors=None, mutual_few_flows=flows + 1)
    row = few.sessions.iloc[0]
    assert row["mutuality_flows"] == flows and bool(row["mutuality_few_flows"])
    md = render_programme_markdown(few)
    assert "1 of 1 session has a mutuality that rests on too few exchanges" in md and ": f1." in md
    assert "rests on too few exchanges" in render_dashboard(few)
    assert "взаимность рассчитана по слишком малому числу обменов" in render_programme_markdown(few, language="ru")
    enough = build_programme([s], encoder=None, goal_vectors=None, mutual_few_flows=flows)
    assert not bool(enough.sessions.iloc[0]["mutuality_few_flows"])
    assert "too few exchanges" not in render_programme_markdown(enough)
    none = s.evolve(id="f2", knowledge_flow=replace(kf, mutuality_index=None))
    row = build_programme([none], encoder=None, goal_vectors=None).sessions.iloc[0]
    assert row["mutuality_flows"] is None or row["mutuality_flows"] != row["mutuality_flows"]  # unknown, not 0

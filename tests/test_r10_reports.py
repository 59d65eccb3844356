"""Round 10: the programme's key figures say what an evaluator would otherwise misread."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from helpers import make_session
from sessionscope.analysis.dynamics import compute_metrics
from sessionscope.config import DynamicsConfig
from sessionscope.model import ActionItem
from sessionscope.report.dashboard import render_dashboard
from sessionscope.report.programme import build_programme, render_programme_markdown


def _session(sid: str, *, pair: str | None, date: str | None, actions: int) -> object:
    import datetime as dt

    s = make_session([("a", 0, 60, "I will send the draft."), ("b", 60, 120, "Fine.")], sid=sid)
    items = tuple(ActionItem(id=f"{sid}-a{k}", utterance_id=s.utterances[0].id, owner="a", task=f"send draft {k}",
                             start=0.0)
                  for k in range(actions))
    s = dataclasses.replace(s, pair_id=pair, date=dt.date.fromisoformat(date) if date else None,
                            action_items=items)
    return dataclasses.replace(s, metrics=compute_metrics(s, DynamicsConfig()))


def _goal_rows(md: str) -> dict[str, str]:
    rows = {}
    for line in md.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 2:
            rows[cells[0]] = cells[1]
    return rows


def test_open_goals_of_a_one_session_pair_say_no_later_session_judged_them() -> None:
    prog = build_programme([_session("s1", pair="anna-boris", date="2026-11-02", actions=3)], encoder=None)
    rows = _goal_rows(render_programme_markdown(prog))
    assert rows["Goals done"] == "n/a"
    # was "Open now | 3" beside "Goals done | n/a": three goals nobody could yet follow up
    assert rows["Open now"] == "3 (3 of them with no later session yet to judge them by)"
    assert int(prog.programme.iloc[0]["goals_pending"]) == 3


def test_open_goals_without_pending_ones_are_a_plain_count() -> None:
    prog = build_programme([_session("s1", pair="p", date="2026-11-02", actions=0)], encoder=None)
    assert _goal_rows(render_programme_markdown(prog))["Open now"] == "0"


def test_subtitle_puts_both_notes_in_one_parenthesis(tmp_path: Path) -> None:
    sessions = [_session(f"m{k}", pair=None, date=None, actions=0) for k in range(2)]
    prog = build_programme(sessions, encoder=None)
    md = render_programme_markdown(prog)
    expected = ("2 sessions of 2 pairs (no pairs named in a manifest: each session counts as its own; "
                "no session dates: add them in the manifest)")
    assert expected in md and ") (" not in md.splitlines()[2]
    assert expected in render_dashboard(prog)
    ru = render_programme_markdown(prog, language="ru")
    assert "(пары в манифесте не заданы: каждая встреча считается отдельной парой; даты встреч не указаны" in ru

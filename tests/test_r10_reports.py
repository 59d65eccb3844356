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
    assert rows["Goals (action items) still open"] == "3 (3 of them with no later session yet to judge them by)"
    assert int(prog.programme.iloc[0]["goals_pending"]) == 3


def test_open_goals_without_pending_ones_are_a_plain_count() -> None:
    prog = build_programme([_session("s1", pair="p", date="2026-11-02", actions=0)], encoder=None)
    assert _goal_rows(render_programme_markdown(prog))["Goals (action items) still open"] == "0"


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


def _flagged_session():
    from sessionscope.analysis.flow import item_measures, knowledge_flow
    from sessionscope.model import Question, Recommendation

    s = make_session([("a", 0, 10, "Next slide, please."), ("b", 10, 20, "You should book the client call early."),
                      ("a", 20, 30, "It works, right?"), ("b", 30, 40, "Where is the report?")],
                     roles={"a": "junior", "b": "senior"}, sid="flagged")
    recs = (Recommendation("rec-001", "u0001", 0.0, "a", "b", "Next slide, please.", procedure=True),
            Recommendation("rec-002", "u0002", 10.0, "b", "a", "You should book the client call early."))
    qs = (Question("q-001", "u0003", 20.0, "a", "b", "It works, right?", answered=False, confirmation_tag=True),
          Question("q-002", "u0004", 30.0, "b", "a", "Where is the report?", answered=False))
    s = dataclasses.replace(s, recommendations=recs, questions=qs)
    s = dataclasses.replace(s, knowledge_flow=knowledge_flow(s))
    return s, item_measures(s)


def test_meeting_procedure_is_listed_but_not_counted_as_advice(tmp_path: Path) -> None:
    from sessionscope.model import read_session_json, write_session_json
    from sessionscope.report.session_md import render_session_markdown
    from sessionscope.report.tables import session_tables

    s, (part, sess) = _flagged_session()
    assert [r.id for r in s.advice] == ["rec-002"]
    assert sess["recommendations"] == 1 and sess["procedure_suggestions"] == 1
    assert part["a"]["recommendations_given"] == 0 and part["b"]["recommendations_given"] == 1
    flows = s.knowledge_flow.recommendation_matrix  # type: ignore[union-attr]
    assert flows and all(giver != "a" for by_giver in flows.values() for giver in by_giver)
    md = render_session_markdown(s)
    assert "About running the meeting (listed, not counted as advice)" in md and "Next slide, please." in md
    # confirmation checks are counted as questions but not listed among the open ones
    assert "Where is the report?" in md and "It works, right?" not in md
    assert "1 confirmation check (" in md and "is counted as a question" in md
    tables = session_tables([s])
    row = tables["sessions"].iloc[0]
    assert (row["n_recommendations"], row["n_procedure_suggestions"], row["n_open_confirmation_tags"]) == (1, 1, 1)
    assert tables["recommendations"]["procedure"].tolist() == [True, False]
    assert tables["questions"]["confirmation_tag"].tolist() == [True, False]
    write_session_json(s, tmp_path / "s.json")
    back = read_session_json(tmp_path / "s.json")
    assert back.recommendations[0].procedure and back.questions[0].confirmation_tag
    assert not back.recommendations[1].procedure and not back.questions[1].confirmation_tag


def test_only_procedure_suggestions_say_so_in_the_no_recommendations_flag() -> None:
    from sessionscope.analysis.flow import compute_flags
    from sessionscope.config import FlagsConfig
    from sessionscope.model import Recommendation

    s = make_session([("a", 0, 10, "Next slide, please."), ("b", 10, 20, "Sure.")], sid="proc")
    s = dataclasses.replace(s, recommendations=(
        Recommendation("rec-001", "u0001", 0.0, "a", "b", "Next slide, please.", procedure=True),))
    flag = next(f for f in compute_flags(s, FlagsConfig()) if f.code == "no_recommendations")
    assert "only 1 suggestion about running the meeting, which is not counted" in flag.message

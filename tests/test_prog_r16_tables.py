"""Round 16 (prog): units of the measures, whole numbers in tables and frames, the junior's share kept apart by basis."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

import sessionscope as ss
from sessionscope.analysis.dynamics import PARTICIPANT_UNITS, SESSION_UNITS, WHOLE_UNITS
from sessionscope.report.programme import build_programme, render_programme_markdown, write_programme
from sessionscope.report.tables import INTEGER_COLUMNS, session_tables

ROOT = Path(__file__).resolve().parents[1]

VTT = ("WEBVTT\n\n1\n00:00:01.000 --> 00:00:20.000\nBoris Ivanov: Tell me what you tried with the client last week "
       "and what happened then?\n\n2\n00:00:19.000 --> 00:00:25.000\nAnna Lee: I called them twice, then wrote.\n\n"
       "3\n00:00:26.000 --> 00:00:40.000\nBoris Ivanov: Next time try a short agenda first, it helps.\n")
TXT = ("Boris Ivanov: How did the review go?\nAnna Lee: It went fine, they liked the draft and asked for more tests "
       "and a clearer plan for the next release.\nBoris Ivanov: Good.\n")
PEOPLE = {"Anna Lee": "junior", "Boris Ivanov": "senior"}


def _doc_units(section: str) -> dict[str, str]:
    """measure → unit from one table of docs/metrics.md (a row may name several measures and units)."""
    doc = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    table = doc.split(section)[1].split("\n## ")[0]
    out: dict[str, str] = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`"):
            continue
        keys = re.findall(r"`([a-z_]+)`", cells[0])
        units = [u.strip() for u in cells[1].split(",")]
        units += [units[-1]] * (len(keys) - len(units))
        out.update(zip(keys, units, strict=False))
    return out


def test_the_unit_map_is_the_documented_one() -> None:
    assert _doc_units("## Per participant") == PARTICIPANT_UNITS
    assert _doc_units("## Per session") == SESSION_UNITS


def test_integer_columns_are_the_documented_int_columns() -> None:
    doc = (ROOT / "docs" / "data_dictionary.md").read_text(encoding="utf-8")
    for name in ("sessions", "utterances", "turns", "topic_segments", "problems", "knowledge_flows"):
        section = doc.split(f"## `{name}`")[1].split("\n## ")[0].split("\n# ")[0]
        documented = {k for line in section.splitlines() if re.search(r"\|\s*int\s*\|", line)
                      for k in re.findall(r"`([a-z_]+)`", line.split("|")[1])}
        assert documented == set(INTEGER_COLUMNS[name]), name


def _sessions(tmp_path: Path) -> list:
    vtt, txt = tmp_path / "a.transcript.vtt", tmp_path / "b.txt"
    vtt.write_text(VTT, encoding="utf-8")
    txt.write_text(TXT, encoding="utf-8")
    a = ss.analyze(vtt, participants=PEOPLE, stages=["dynamics"]).evolve(pair_id="anna-boris", date=dt.date(2026, 1, 5))
    b = ss.analyze(txt, participants=PEOPLE, stages=["dynamics"]).evolve(pair_id="anna-boris", date=dt.date(2026, 1, 12))
    return [a, b]


def test_counts_are_integers_nullable_where_unavailable(tmp_path: Path) -> None:
    sessions = _sessions(tmp_path)
    f = ss.frames(sessions)
    pm = f["participant_metrics"]
    for col in ("turns", "questions_asked", "word_count", "interruptions_made", "backchannels"):
        assert str(pm[col].dtype) == "Int64", col
    assert pm["talk_share"].dtype.kind == "f" and pm["mean_turn_words"].dtype.kind == "f"
    by = pm.set_index(["session_id", "name"])["interruptions_made"]
    a, b = sessions[0].id, sessions[1].id
    assert by[(a, "Anna Lee")] == 1 and by[(a, "Boris Ivanov")] == 0  # Anna starts at 19 s inside Boris's cue
    assert by[[(b, "Anna Lee"), (b, "Boris Ivanov")]].isna().all()  # untimed: unknown, not 0
    assert str(f["session_metrics"]["turns"].dtype) == "Int64"
    long = f["metrics"]
    assert set(long.loc[long["metric"] == "turns", "unit"]) == {"count"}
    assert long.loc[long["metric"] == "talk_share", "unit"].iloc[0] == "0–1"
    assert set(long["unit"].dropna()) <= set(PARTICIPANT_UNITS.values()) | set(SESSION_UNITS.values())
    assert WHOLE_UNITS <= set(long["unit"])
    tables = session_tables(sessions)
    assert str(tables["sessions"]["interruptions"].dtype) == "Int64"  # was float64: "22.0" in the CSV
    csv = tables["sessions"][["session_id", "n_words", "interruptions"]].to_csv(index=False)
    assert ".0" not in csv


def test_one_mutuality_row_per_session() -> None:
    from test_report_data import full_session

    s = full_session(sid="m1", date=dt.date(2026, 1, 5))
    assert s.knowledge_flow is not None and s.metrics is not None
    s = s.evolve(metrics=s.metrics.__class__(participants=s.metrics.participants,
                                             session={**s.metrics.session, "mutuality_index": 0.5},
                                             turns=s.metrics.turns))
    long = session_tables([s])["metrics"]
    assert (long["metric"] == "mutuality_index").sum() == 1  # the flow stage's row, not a second copy


def test_junior_share_kept_apart_by_basis(tmp_path: Path) -> None:
    sessions = _sessions(tmp_path)
    prog = build_programme(sessions, encoder=None, goal_vectors=None)
    rows = prog.sessions.set_index("session_id")
    timed, untimed = sessions[0].id, sessions[1].id
    assert rows.loc[untimed, "junior_talk_share"] != rows.loc[untimed, "junior_talk_share"]  # NaN: no talk time
    assert 0 < rows.loc[untimed, "junior_word_share"] < 1
    row = prog.programme.iloc[0]
    assert row["mean_junior_talk_share"] == rows.loc[timed, "junior_talk_share"]  # not averaged with a word share
    assert row["n_talk_share_sessions"] == 1 and row["n_word_share_sessions"] == 2
    assert row["mean_junior_word_share"] == (rows["junior_word_share"].mean())
    md = render_programme_markdown(prog)
    assert "over the 1 of 2 sessions with the junior's talk time" in md
    assert "Mean junior share of words" in md


def test_a_pair_without_times_shows_its_word_share_marked(tmp_path: Path) -> None:
    prog = build_programme(_sessions(tmp_path)[1:], encoder=None, goal_vectors=None)
    md = render_programme_markdown(prog)
    share = prog.pairs.iloc[0]["mean_junior_word_share"]
    assert f"{round(100 * share)} % of words" in md
    out = tmp_path / "out"
    write_programme(_sessions(tmp_path)[1:], out, encoder=None, research_tables=False, workbook=False,
                    formats=("csv",))
    pairs = pd.read_csv(out / "programme_pairs.csv", dtype=str, keep_default_na=False)
    assert pairs.loc[0, "sessions_60min_or_more"] == ""  # unknown without times, not "0" and not "nan"
    assert pairs.loc[0, "n_sessions"] == "1"
    sessions = pd.read_csv(out / "programme_sessions.csv", dtype=str, keep_default_na=False)
    assert sessions.loc[0, "interruptions"] == ""
    assert not any(v.endswith(".0") for v in sessions[["n_words", "questions"]].to_numpy().ravel())


def _not_extracted(sid: str = "s9"):
    from sessionscope.model import record_stage_run
    from test_report_data import full_session

    s = full_session(sid=sid, date=dt.date(2026, 3, 9))
    for name, status in (("dynamics", "ok"), ("extraction", "skipped"), ("flow", "skipped")):
        s = record_stage_run(s, name, status, "not requested")
    return s


def test_counts_of_a_stage_that_did_not_run_are_unknown_not_zero() -> None:
    from sessionscope.report.dashboard import render_dashboard
    from test_report_data import full_session

    skipped, ran = _not_extracted(), full_session(sid="s1")
    row = session_tables([skipped])["sessions"].iloc[0]
    assert pd.isna(row["n_recommendations"]) and pd.isna(row["n_action_items"]) and pd.isna(row["n_open_questions"])
    assert row["n_words"] > 0  # the dynamics ran: its counts stay
    assert session_tables([ran])["sessions"].iloc[0]["n_recommendations"] == len(ran.advice)
    prog = build_programme([ran, skipped], encoder=None, goal_vectors=None)
    md = render_programme_markdown(prog)
    assert "1 of 2 sessions was not fully analysed" in md and "s9 (extraction: skipped, flow: skipped)" in md
    pair = prog.pairs.iloc[0]
    assert pair["recs_by_senior"] == sum(1 for r in ran.advice if r.giver == "boris")  # over the analysed session
    page = render_dashboard(prog)
    assert 'id="stages-note"' in page
    sessions = page.split('<section id="sessions">')[1]
    s9 = sessions.split('<td>s9</td>')[1].split("</tr>")[0]
    assert re.findall(r'<td class="num">([^<]*)</td>', s9)[3:5] == ["–", "–"]  # recommendations, action items


def test_items_to_check_are_said_beside_the_counts() -> None:
    from dataclasses import replace

    from sessionscope.report.dashboard import render_dashboard
    from test_report_data import full_session

    s = full_session(sid="s1")
    s = s.evolve(recommendations=(replace(s.recommendations[0], to_check=True), *s.recommendations[1:]))
    n, k = len(s.advice), sum(1 for r in s.advice if r.to_check)
    assert k == 1
    page = render_dashboard(build_programme([s], encoder=None, goal_vectors=None))
    assert f"{n - k} (+{k} to check)" in page  # the counted ones, then those to check (round 27)


def test_topic_coverage_keeps_seconds_and_word_shares_apart() -> None:
    """A pair with a timed session (all tools) and a transcript without times (all clients): each counts once."""
    from dataclasses import replace

    from sessionscope.report.dashboard import _charts, dashboard_data
    from sessionscope.report.i18n import Translator
    from test_report_data import bare_session, full_session

    timed = full_session(sid="t1", date=dt.date(2026, 3, 2))
    assert timed.topics is not None and timed.span_s
    timed = timed.evolve(topics=replace(timed.topics, area_time_share={"tools": 1.0}))
    untimed = bare_session(sid="u1").evolve(pair_id=timed.pair_id, date=dt.date(2026, 3, 9),
                                            topics=replace(timed.topics, area_time_share={},
                                                           area_word_share={"clients": 1.0}))
    prog = build_programme([timed, untimed], encoder=None, goal_vectors=None)
    rows = prog.topics.set_index("session_id")
    assert rows.loc["t1", "seconds"] == timed.span_s and rows.loc["t1", "basis"] == "time"
    assert pd.isna(rows.loc["u1", "seconds"]) and rows.loc["u1", "share"] == 1.0 and rows.loc["u1", "basis"] == "words"
    t = Translator("en")
    _lines, coverage = _charts(dashboard_data(prog, t), prog, t)
    assert coverage is not None
    # was: tools 100 % (3,600-odd seconds beside a word share of 1.0)
    assert "Tools and technology 50 %, Client service and relationships 50 %" in coverage


def test_every_programme_table_column_is_documented(tmp_path: Path) -> None:
    from test_report_data import write_programme as write_sessions

    sessions = write_sessions(tmp_path / "results", pairs=2, sessions_per_pair=2)
    prog = build_programme(sessions, encoder=None, goal_vectors=None)
    doc = (ROOT / "docs" / "data_dictionary.md").read_text(encoding="utf-8").split("# Programme tables")[1]
    research = (ROOT / "docs" / "data_dictionary.md").read_text(encoding="utf-8").split("## `sessions`")[1]
    for name, df in prog.tables().items():
        for col in df.columns:
            # programme_sessions and programme_flags extend the research tables sessions and flags
            where = research if name in ("programme_sessions", "programme_flags") else doc
            assert f"`{col}`" in where or f"`{col}`" in doc, f"{name}.{col} is not documented"


def test_knowledge_flow_rows_give_back_the_mutuality_index() -> None:
    """A researcher's recount: the knowledge_flows rows reproduce mutuality_index (2·min / sum over pairs)."""
    from itertools import combinations

    from test_report_data import full_session

    s = full_session(sid="k1")
    assert s.knowledge_flow is not None and s.knowledge_flow.mutuality_index is not None
    rows = session_tables([s])["knowledge_flows"]
    assert len(rows) and (rows["flows"] == rows["recommendations"] + rows["explanations"]).all()
    f = rows.groupby(["giver_id", "receiver_id"])["flows"].sum().to_dict()
    people = sorted({p for k in f for p in k})
    pairs = [(f.get((a, b), 0), f.get((b, a), 0)) for a, b in combinations(people, 2)]
    assert sum(2 * min(x, y) for x, y in pairs) / sum(x + y for x, y in pairs) == s.knowledge_flow.mutuality_index


def test_convokit_export_says_unknown_when_the_extraction_did_not_run() -> None:
    from sessionscope.report.convokit import corpus_records
    from test_report_data import full_session

    convs = corpus_records([_not_extracted("s9"), full_session(sid="s1")])["conversations"]
    assert convs["s9"]["meta"]["n_recommendations"] is None and convs["s9"]["meta"]["n_action_items"] is None
    assert convs["s1"]["meta"]["n_recommendations"] is not None

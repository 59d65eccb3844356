"""Programme aggregation, action-item follow-up, tidy tables, ConvoKit export and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from sessionscope.cli import cli
from sessionscope.model import ActionItem, Utterance
from sessionscope.report.convokit import corpus_records, export_convokit
from sessionscope.report.followup import follow_up, is_done_report, stems
from sessionscope.report.programme import _slope, build_programme, write_programme
from sessionscope.report.tables import COLUMNS, session_tables
from test_report_data import bare_session, full_session
from test_report_data import write_programme as write_sessions


def test_stems_fold_inflections() -> None:
    assert stems("CRM-системы") & stems("систему")
    assert stems("the pipelines") == stems("pipeline")
    assert "the" not in " ".join(stems("the and of"))
    assert is_done_report("I've set it up, done!") and is_done_report("Я уже настроил воронку")
    assert not is_done_report("I will look at it")


def _with_followup(texts: list[str]) -> list:
    first = full_session(sid="a1", date=dt.date(2026, 1, 5))
    later = []
    for k, text in enumerate(texts, 2):
        s = full_session(sid=f"a{k}", date=dt.date(2026, 1, 5) + dt.timedelta(days=7 * (k - 1)))
        utts = (Utterance("x1", "boris", text, 0.0, 5.0),
                Utterance("x2", "anna", "Good to see you again. How was your week?", 6.0, 9.0))
        later.append(s.evolve(utterances=utts, action_items=()))
    return [first, *later]


def test_follow_up_statuses() -> None:
    sessions = _with_followup(["About the CRM pipeline view: I set it up for the team, done."])
    res = {f.action_item_id: f for f in follow_up(sessions) if f.session_id == "a1"}
    assert res["a1"].status == "done" and res["a1"].followed_in_session == "a2"
    assert res["a1"].evidence_utterance_id == "x1"
    assert res["a2"].status == "not_mentioned"  # "block two mornings…" never comes back
    mentioned = _with_followup(["The CRM pipeline view is still on my list for the team."])
    assert {f.action_item_id: f.status for f in follow_up(mentioned) if f.session_id == "a1"}["a1"] == "mentioned"
    # the last session's items have no later session
    assert {f.status for f in follow_up(sessions) if f.session_id == "a2"} <= {"pending"}


def test_follow_up_needs_enough_shared_words() -> None:
    sessions = _with_followup(["We talked about the team offsite."])  # only "team" shared
    res = {f.action_item_id: f.status for f in follow_up(sessions) if f.session_id == "a1"}
    assert res["a1"] == "not_mentioned"


def test_slope() -> None:
    assert _slope([0.2, 0.3, 0.4]) == pytest.approx(0.1)
    assert _slope([0.5]) is None and _slope([None, 0.3]) is None


def test_build_programme_tables(tmp_path: Path) -> None:
    sessions = write_sessions(tmp_path, pairs=2, sessions_per_pair=3)
    planned = {"pair-a": ["tools", "clients", "development"]}
    prog = build_programme(sessions, planned=planned)
    pairs = prog.pairs.set_index("pair_id")
    assert list(pairs.index) == ["pair-a", "pair-b"]
    assert pairs.loc["pair-a", "n_sessions"] == 3
    expected_hours = sum(s.span_s for s in sessions if s.pair_id == "pair-a") / 3600
    assert pairs.loc["pair-a", "total_hours"] == pytest.approx(expected_hours)
    assert pairs.loc["pair-a", "planned_topics_covered_share"] == pytest.approx(2 / 3)
    assert pairs.loc["pair-a", "planned_topics_missing"] == "development"
    assert pd.isna(pairs.loc["pair-b", "planned_topics_covered_share"])
    assert pairs.loc["pair-a", "recs_by_senior"] == 6 and pairs.loc["pair-a", "recs_by_junior"] == 3
    assert prog.programme.iloc[0]["n_sessions"] == 6 and prog.programme.iloc[0]["n_pairs"] == 2
    assert list(prog.sessions["session_number"]) == [1, 2, 3, 1, 2, 3]
    so_far = prog.sessions["planned_topics_covered_so_far"].tolist()
    assert so_far[:3] == [pytest.approx(2 / 3)] * 3 and all(pd.isna(v) for v in so_far[3:])
    assert len(prog.followup) == 18 and len(prog.flags) == 18


def test_planned_topics_from_session_extra() -> None:
    s = full_session().evolve(extra={"topics_planned": "tools; development"})
    prog = build_programme([s])
    assert prog.pairs.iloc[0]["planned_topics_missing"] == "development"


def test_research_tables_have_documented_columns(repo_root: Path) -> None:
    tables = session_tables([full_session(), bare_session()])
    assert set(tables) == set(COLUMNS)
    for name, df in tables.items():
        assert list(df.columns) == list(COLUMNS[name])
    assert len(tables["sessions"]) == 2 and len(tables["utterances"]) == 14
    u = tables["utterances"]
    assert set(u.loc[u.session_id == "s1", "topic_area"].dropna()) == {"tools", "time", "clients", "other"}
    m = tables["metrics"]
    share = m[(m.session_id == "s1") & (m.participant_id == "anna") & (m.metric == "talk_share")]["value"]
    assert float(share.iloc[0]) == pytest.approx(full_session().metrics.participants["anna"]["talk_share"])
    # every column is described in the data dictionary
    doc = (repo_root / "docs" / "data_dictionary.md").read_text(encoding="utf-8")
    for name, cols in COLUMNS.items():
        section = doc.split(f"## `{name}`")[1].split("\n## ")[0]
        for col in cols:
            assert f"`{col}`" in section, f"{name}.{col} is not documented"


def test_write_programme_outputs(tmp_path: Path) -> None:
    sessions = write_sessions(tmp_path / "in", pairs=2, sessions_per_pair=2)
    prog, page = write_programme(sessions, tmp_path / "out")
    for stem in ("programme", "programme_pairs", "programme_sessions", "programme_goals", "programme_topics",
                 "programme_checklist"):
        assert (tmp_path / "out" / f"{stem}.csv").is_file()
        back = pd.read_parquet(tmp_path / "out" / f"{stem}.parquet")
        assert len(back) == len(prog.tables()[stem])
    assert (tmp_path / "out" / "tables" / "utterances.parquet").is_file()
    html = page.read_text(encoding="utf-8")
    assert html.count("<svg") == 4  # three trends + topic coverage
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    data = json.loads(re.search(r'<script type="application/json" id="ss-data">(.*?)</script>', html, re.S)
                      .group(1).replace("<\\/", "</"))
    assert len(data["sessions"]) == 4 and data["pairs"] == ["pair-a", "pair-b"]
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert len([i for i in ids if i.startswith("trend-js-pt-")]) == 4


def test_convokit_export(tmp_path: Path) -> None:
    sessions = [full_session(sid="a"), full_session(sid="b", date=dt.date(2026, 3, 9))]
    out = export_convokit(sessions, tmp_path / "corpus")
    files = sorted(p.name for p in out.iterdir())
    assert files == ["conversations.json", "corpus.json", "index.json", "speakers.json", "utterances.jsonl"]
    utts = [json.loads(line) for line in (out / "utterances.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(utts) == 24
    for u in utts:
        assert {"id", "speaker", "conversation_id", "reply-to", "timestamp", "text", "meta"} <= set(u)
    assert utts[0]["reply-to"] is None and utts[1]["reply-to"] == utts[0]["id"]
    speakers = json.loads((out / "speakers.json").read_text(encoding="utf-8"))
    assert set(speakers) == {"pair-a:anna", "pair-a:boris"}  # one speaker per person across sessions
    assert speakers["pair-a:anna"]["meta"]["role"] == "junior"
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert set(index) == {"utterances-index", "speakers-index", "conversations-index", "overall-index", "version",
                          "vectors"}
    assert index["utterances-index"]["is_recommendation"] == ["<class 'bool'>"]
    convs = json.loads((out / "conversations.json").read_text(encoding="utf-8"))
    assert set(convs) == {"a", "b"} and convs["a"]["meta"]["n_recommendations"] == 3


def test_convokit_loads_when_installed(tmp_path: Path) -> None:
    convokit = pytest.importorskip("convokit", reason="convokit is optional; the format is checked above")
    out = export_convokit([full_session()], tmp_path / "corpus")
    corpus = convokit.Corpus(filename=str(out))
    assert len(list(corpus.iter_utterances())) == 12


def test_convokit_untimed_and_unmapped_speaker() -> None:
    s = bare_session()
    s = s.evolve(utterances=s.utterances + (Utterance("u3", "SPEAKER_02", "Who am I?"),))
    rec = corpus_records([s])
    assert "bare:SPEAKER_02" in rec["speakers"] and rec["utterances"][0]["timestamp"] is None


def test_cli_report_session_and_programme(tmp_path: Path) -> None:
    write_sessions(tmp_path / "res", pairs=2, sessions_per_pair=2)
    runner = CliRunner()
    r = runner.invoke(cli, ["report", "session", str(tmp_path / "res" / "p0-s0"), "--format", "html,md"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "res" / "p0-s0" / "report.html").is_file()
    assert (tmp_path / "res" / "p0-s0" / "report.md").read_text(encoding="utf-8").startswith("# Mentoring")
    r = runner.invoke(cli, ["report", "programme", str(tmp_path / "res"), "--out", str(tmp_path / "prog"),
                            "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert "4 sessions of 2 pairs" in r.output
    dash = (tmp_path / "prog" / "dashboard.html").read_text(encoding="utf-8")
    assert 'href="../res/p0-s0/report.html"' in dash  # the existing report is linked
    assert "p0-s1/report.html" not in dash  # no report there, no link
    r = runner.invoke(cli, ["export", "tables", str(tmp_path / "res"), "--out", str(tmp_path / "t"), "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "t" / "sessions.csv").is_file()
    r = runner.invoke(cli, ["export", "convokit", str(tmp_path / "res"), "--out", str(tmp_path / "ck")])
    assert r.exit_code == 0 and (tmp_path / "ck" / "index.json").is_file()


@pytest.mark.slow
def test_cli_programme_redacted(tmp_path: Path) -> None:
    """--redact runs the NER models over every text."""
    write_sessions(tmp_path / "res", pairs=2, sessions_per_pair=2)
    runner = CliRunner()
    r = runner.invoke(cli, ["report", "programme", str(tmp_path / "res"), "--out", str(tmp_path / "prog2"),
                            "--format", "parquet", "--session-reports", "--redact"])
    assert r.exit_code == 0, r.output
    page = (tmp_path / "prog2" / "sessions" / "p0-s1" / "report.redacted.html").read_text(encoding="utf-8")
    assert "Anna" not in page and "Junior" in page
    dash = (tmp_path / "prog2" / "dashboard.html").read_text(encoding="utf-8")
    assert 'href="sessions/p0-s1/report.redacted.html"' in dash and "Boris" not in dash
    assert "Anna" not in (tmp_path / "prog2" / "programme_goals.parquet").read_bytes().decode("latin-1")


def test_cli_errors_are_clear(tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(cli, ["report", "session", str(tmp_path / "missing")])
    assert r.exit_code == 2 and "no such file or folder" in r.output
    r = runner.invoke(cli, ["report", "session", str(tmp_path), "--format", "pdf"])
    assert r.exit_code == 2 and "valid: html, md" in r.output
    bad = tmp_path / "broken" / "session.json"
    bad.parent.mkdir()
    bad.write_text("{not json", encoding="utf-8")
    r = runner.invoke(cli, ["report", "session", str(bad)])
    assert r.exit_code == 1 and "cannot read session JSON" in r.output


def test_action_item_without_owner_renders() -> None:
    s = full_session()
    s = s.evolve(action_items=(ActionItem("z", s.utterances[0].id, None, None, "write the plan"),))
    prog = build_programme([s])
    assert prog.followup.iloc[0]["status"] == "pending"


def test_dashboard_in_russian_and_empty_programme(tmp_path: Path) -> None:
    from sessionscope.report.dashboard import render_dashboard

    sessions = write_sessions(tmp_path, pairs=2, sessions_per_pair=2)
    html = render_dashboard(build_programme(sessions), language="ru")
    assert 'lang="ru"' in html and "Панель программы наставничества" in html and "Цели от встречи к встрече" in html
    empty = render_dashboard(build_programme([]))
    assert "0 sessions of 0 pairs" in empty and "<svg" not in empty


def test_cli_programme_skips_a_broken_session(tmp_path: Path) -> None:
    write_sessions(tmp_path / "res", pairs=1, sessions_per_pair=2)
    broken = tmp_path / "res" / "broken" / "session.json"
    broken.parent.mkdir()
    broken.write_text('{"schema_version": "9.0"}', encoding="utf-8")
    r = CliRunner().invoke(cli, ["report", "programme", str(tmp_path / "res"), "--out", str(tmp_path / "o"),
                                 "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert "skipped" in r.output and "unsupported schema_version" in r.output
    assert "2 sessions of 1 pair," in r.output
    r = CliRunner().invoke(cli, ["export", "tables", str(broken), "--out", str(tmp_path / "t")])
    assert r.exit_code == 1 and "the session file could not be read" in r.output


def test_programme_markdown(tmp_path: Path) -> None:
    from sessionscope.report.programme import render_programme_markdown

    sessions = write_sessions(tmp_path / "in", pairs=2, sessions_per_pair=2)
    prog = build_programme(sessions, planned={"pair-a": ["tools", "development"]})
    md = render_programme_markdown(prog)
    assert md.startswith("# Mentoring programme summary")
    assert "| Sessions held | 4 |" in md
    assert "| pair-a | 2 |" in md and "Professional development" in md  # planned, not yet covered
    assert "**Recommendations came from one side** — Boris Ivanov gave 2 of 3" in md  # the name, not the id
    ru = render_programme_markdown(prog, language="ru")
    assert "| Проведено встреч | 4 |" in ru and "gave" not in ru
    _prog, _page = write_programme(sessions, tmp_path / "out", formats=("csv",), research_tables=False)
    assert (tmp_path / "out" / "programme.md").read_text(encoding="utf-8").startswith("# Mentoring programme")

"""Participant surveys and the baseline: reading, matching rules, scales, issues, tables, workbook, CLI."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from sessionscope.cli import cli
from sessionscope.report.baseline import baseline_table, measure_id, read_baseline
from sessionscope.report.programme import build_programme, write_programme
from sessionscope.report.surveys import (
    infer_scale,
    load_mapping,
    match_surveys,
    parse_date,
    read_table_file,
    standard_question,
)
from test_report_data import full_session
from test_report_data import write_programme as write_sessions

openpyxl = pytest.importorskip("openpyxl", reason="openpyxl comes with the report extra")


def _sessions() -> list:
    """Pair-a: three sessions two weeks apart (Anna Smirnova junior, Boris Ivanov senior); pair-b: one."""
    out = [full_session(sid=f"a{k}", date=dt.date(2026, 3, 2) + dt.timedelta(days=14 * k)) for k in range(3)]
    out.append(full_session(sid="b0", pair="pair-b", date=dt.date(2026, 3, 3), language="ru"))
    return out


def _csv(tmp_path: Path, text: str, name: str = "survey.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_dates_and_scales() -> None:
    assert parse_date("2026-03-02 18:00:01") == dt.date(2026, 3, 2)
    assert parse_date("02.03.2026") == dt.date(2026, 3, 2)  # day first
    assert parse_date("3/2/2026 10:00:00") == dt.date(2026, 3, 2)  # Google Forms, English locale: month first
    assert parse_date("20/3/2026") == dt.date(2026, 3, 20)
    assert parse_date("31.02.2026") is None and parse_date("soon") is None
    assert infer_scale("Satisfaction", ["4", "5", "1"]) == "likert5"
    assert infer_scale("Usefulness", ["4", "5", "1"]) == "likert5"
    assert infer_scale("Usefulness (0-10)", ["4", "5", "1"]) == "0-10"  # the header says so
    assert infer_scale("Оценка от 0 до 10", ["4"]) == "0-10"
    assert infer_scale("NPS", ["0", "9", "10"]) == "0-10"
    assert infer_scale("Hours", ["12", "40"]) == "number"
    assert infer_scale("Agreed?", ["Yes", "no", "Да", "нет"]) == "yes_no"
    assert infer_scale("Q", ["Strongly agree", "Полностью согласна", "Скорее не согласен"]) == "likert5"
    assert infer_scale("Comments", ["Great session", "More cases please"]) == "text"
    assert standard_question("I could speak freely") == "psychological_safety"
    assert standard_question("Я мог(ла) говорить свободно") == "psychological_safety"
    assert standard_question("Насколько вы довольны встречей?") == "satisfaction"
    assert standard_question("How useful was it?") == "usefulness"
    assert standard_question("Ваша самооценка") == "self_assessment"
    assert standard_question("Anything else?") is None


def test_matching_rules(tmp_path: Path) -> None:
    path = _csv(tmp_path, "\n".join([
        "Session,Pair,Date,Name,Role,Satisfaction (1-5),Comments",
        "a0,,,Anna Smirnova,,5,Great",              # 2: by session id and full name
        ",pair-a,2026-03-16,Boris,,4,",             # 3: pair + date → a1 (16 March), first name only
        ",pair-a,2026-04-20,,junior,3,",            # 4: pair + date without a session → periodic, by role
        ",PAIR-B,03.03.2026,Борис Иванов,,4,",      # 5: pair case-insensitive, RU date and name
        ",,2026-03-30,Anna Smirnova,,2,",           # 6: no pair: the one session that day with Anna → a2
        "zz9,,,Anna,,5,",                           # 7: unknown session
        ",pair-x,2026-03-02,Anna,,5,",              # 8: unknown pair
        ",pair-a,,Anna,,5,",                        # 9: no date
        ",pair-a,2026-03-02,Maria,,5,",             # 10: unknown participant
        ",pair-a,2026-03-02,,,5,",                  # 11: nobody
        ",pair-a,next week,Anna,,5,",               # 12: unreadable date
    ]))
    data = match_surveys(_sessions(), [path])
    by_row: dict[int, list[dict]] = {}
    for a in data.answers:
        by_row.setdefault(a["row"], []).append(a)
    assert [a["session_id"] for a in by_row[2]] == ["a0", "a0"] and by_row[2][0]["participant_id"] == "anna"
    assert by_row[3][0]["session_id"] == "a1" and by_row[3][0]["participant_id"] == "boris"
    assert by_row[3][0]["role"] == "senior"
    assert by_row[4][0]["kind"] == "periodic" and by_row[4][0]["session_id"] is None
    assert by_row[4][0]["participant_id"] == "anna" and by_row[4][0]["date"] == dt.date(2026, 4, 20)
    assert by_row[5][0]["session_id"] == "b0" and by_row[5][0]["participant_id"] == "boris"
    assert by_row[6][0]["session_id"] == "a2"
    unmatched = {i.row: i.message for i in data.issues if i.kind == "unmatched"}
    assert set(unmatched) == {7, 8, 9, 10, 11, 12}, unmatched  # listed, never dropped silently
    assert "no session with id 'zz9'" in unmatched[7]
    assert "no pair 'pair-x'" in unmatched[8]
    assert "no date" in unmatched[9]
    assert "no participant called 'Maria'" in unmatched[10]
    assert "no participant (name, id or role) given" in unmatched[11]
    assert "cannot read the date 'next week'" in unmatched[12]
    sat = [a for a in data.answers if a["question_id"] == "satisfaction"]
    assert {a["scale"] for a in sat} == {"likert5"} and sat[0]["value"] == 5.0 and sat[0]["value_share"] == 1.0
    comment = next(a for a in data.answers if a["scale"] == "text")
    assert comment["value"] is None and comment["value_text"] == "Great"


def test_bad_values_duplicates_and_russian_answers(tmp_path: Path) -> None:
    path = _csv(tmp_path, "\n".join([
        "ID сессии,Имя,Насколько вы довольны встречей?,Я мог(ла) говорить свободно,Полезность (0-10)",
        "a0,Anna Smirnova,5,Полностью согласна,9",
        "a0,Boris Ivanov,4,Скорее согласен,11",     # 11 is outside 0-10
        "a1,Anna,отлично,Согласен,7",               # text in a 1-5 column
        "a1,Anna,3,Не согласен,8",                  # the same person again: duplicate, the later row wins
        "a2,Boris,7,Да,5",                          # 7 outside 1-5; "Да" is not an agreement answer
    ]), name="ru.csv")
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns: {session: 'ID сессии'}\nquestions:\n  satisfaction: "
                       "{column: 'Насколько вы довольны встречей?', scale: likert5}\n", encoding="utf-8")
    data = match_surveys(_sessions(), [path], mapping=load_mapping(mapping))
    kinds = [(i.row, i.column, i.kind) for i in data.issues]
    assert (3, "Полезность (0-10)", "out_of_range") in kinds
    assert (4, "Насколько вы довольны встречей?", "bad_value") in kinds
    assert (6, "Насколько вы довольны встречей?", "out_of_range") in kinds
    assert (6, "Я мог(ла) говорить свободно", "bad_value") in kinds
    dups = [i for i in data.issues if i.kind == "duplicate"]
    assert {i.column for i in dups} == {"Я мог(ла) говорить свободно", "Полезность (0-10)"}
    assert all("first in row 4" in i.message for i in dups)
    safe = [a for a in data.answers if a["question_id"] == "psychological_safety"]
    assert {(a["session_id"], a["participant_id"], a["value"]) for a in safe} == {
        ("a0", "anna", 5.0), ("a0", "boris", 4.0), ("a1", "anna", 2.0)}  # the later answer kept
    assert [a["value"] for a in data.answers if a["row"] == 5 and a["question_id"] == "satisfaction"] == [3.0]


def test_unreadable_files_and_bad_mapping(tmp_path: Path) -> None:
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    missing = tmp_path / "missing.csv"
    good = _csv(tmp_path, "Session,Name,Satisfaction\na0,Anna,4\n")
    data = match_surveys(_sessions(), [bad, missing, good])
    unreadable = [i for i in data.issues if i.kind == "unreadable"]
    assert [i.file for i in unreadable] == ["broken.xlsx", "missing.csv"]
    assert "cannot read the workbook" in unreadable[0].message and "does not exist" in unreadable[1].message
    assert len(data.answers) == 1  # the rest is still processed
    from sessionscope.errors import InputError

    m = tmp_path / "m.yaml"
    m.write_text("questions:\n  satisfaction: {column: X, scale: stars}\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown scale 'stars'"):
        load_mapping(m)
    m.write_text("a: &x [1]\nb: *x\n", encoding="utf-8")
    with pytest.raises(InputError, match="aliases"):
        load_mapping(m)
    with pytest.raises(InputError, match="unsupported file type"):
        read_table_file(_csv(tmp_path, "x", name="s.json"))


def test_xlsx_and_semicolon_csv_legacy_encoding(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Имя", "Пара", "Дата встречи", "Удовлетворённость"])
    ws.append(["Анна Смирнова", "pair-b", dt.datetime(2026, 3, 3), 4])
    wb.save(tmp_path / "s.xlsx")
    header, rows = read_table_file(tmp_path / "s.xlsx")
    assert header[2] == "Дата встречи" and rows[0][2].startswith("2026-03-03")
    (tmp_path / "s.csv").write_bytes("Имя;Пара;Дата;Доволен?\nАнна;pair-b;03.03.2026;Да\n".encode("cp1251"))
    data = match_surveys(_sessions(), [tmp_path / "s.xlsx", tmp_path / "s.csv"])
    assert not data.issues
    assert [(a["session_id"], a["scale"], a["value"]) for a in data.answers] == [
        ("b0", "likert5", 4.0), ("b0", "yes_no", 1.0)]


def test_baseline_long_and_wide(tmp_path: Path) -> None:
    long = _csv(tmp_path, "\n".join([
        "measure,pair,value,now,unit",
        "problems solved share,,45%,,",
        "Время решения (дней),,21,,days",   # unknown alias: shown, not measured
        "срок решения,,21,,days",
        "employee turnover,,0.18,0.12,share",
        "junior talk share,pair-a,0.25,,",
        "satisfaction,pair-zz,3,,",          # unknown pair
        "mutuality,,high,,",                 # text
    ]), name="baseline.csv")
    rows, issues = read_baseline(long, pairs={"pair-a", "pair-b"})
    assert [(r.measure, r.before, r.pair_id) for r in rows][:2] == [("problems solved share", 0.45, None),
                                                                  ("Время решения (дней)", 21.0, None)]
    assert {i.kind for i in issues} == {"unmatched", "bad_value"}
    assert measure_id("срок решения") == "days_to_resolve" and measure_id("Problems solved") == "problems_solved_share"
    prog = build_programme(_sessions(), encoder=None, baseline=(rows, issues))
    b = prog.baseline.set_index("measure")
    solved = sum(1 for p in full_session().problems if p.solved) / len(full_session().problems)
    assert b.loc["problems solved share", "now"] == pytest.approx(solved)
    assert b.loc["problems solved share", "direction"] == "better"
    assert b.loc["Время решения (дней)", "now_source"] == "not measured"
    assert b.loc["employee turnover", "now"] == pytest.approx(0.12) and pd.isna(b.loc["employee turnover", "direction"])
    assert b.loc["junior talk share", "scope"] == "pair-a"
    assert b.loc["junior talk share", "now"] == pytest.approx(prog.sessions[prog.sessions.pair_id == "pair-a"]
                                                              ["junior_talk_share"].mean())
    assert len(prog.survey_issues) == 2  # the baseline's problems are listed with the survey's
    wide = _csv(tmp_path, "pair,problems solved share,session minutes\npair-a,0.5,30\nprogramme,0.4,35\n",
                name="wide.csv")
    rows, issues = read_baseline(wide, pairs={"pair-a"})
    assert not issues and [(r.pair_id, r.measure, r.before) for r in rows] == [
        ("pair-a", "problems solved share", 0.5), ("pair-a", "session minutes", 30.0),
        (None, "problems solved share", 0.4), (None, "session minutes", 35.0)]
    table = baseline_table(rows, {None: {"mean_minutes": (50.0, 3)}})
    assert table.iloc[3]["change"] == pytest.approx(15.0) and table.iloc[3]["n_now"] == 3


def test_programme_tables_and_workbook(tmp_path: Path) -> None:
    survey = _csv(tmp_path, "Session,Name,Satisfaction,I could speak freely,Comments\n"
                            "a0,Anna,4,Agree,=HYPERLINK(\"http://x\")\na0,Boris,5,Strongly agree,ok\n"
                            "a1,Anna,3,Agree,\na1,Boris,5,Agree,\nzz,Anna,1,Agree,\n")
    data = match_surveys(_sessions(), [survey])
    prog, page = write_programme(_sessions(), tmp_path / "out", surveys=data, encoder=None, formats=("csv", "parquet"),
                                 research_tables=False)
    out = tmp_path / "out"
    surveys = pd.read_parquet(out / "programme_surveys.parquet")
    assert list(surveys.columns[:9]) == ["file", "row", "kind", "session_id", "pair_id", "date", "participant_id",
                                         "role", "question"]
    assert len(surveys) == 10
    csv_text = (out / "programme_surveys.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in csv_text  # formula neutralised
    issues = pd.read_csv(out / "programme_input_issues.csv")
    assert issues.iloc[0]["kind"] == "unmatched" and issues.iloc[0]["row"] == 6
    for stem in ("programme_goals", "programme_checklist", "programme_correlations"):
        assert (out / f"{stem}.csv").is_file() and (out / f"{stem}.parquet").is_file()
    wb = openpyxl.load_workbook(out / "programme.xlsx")
    assert set(wb.sheetnames) >= {"programme", "programme_sessions", "programme_pairs", "programme_goals",
                                  "programme_checklist", "programme_surveys", "programme_input_issues"}
    ws = wb["programme_surveys"]
    assert ws.freeze_panes == "A2" and ws["A1"].value == "file" and ws["A1"].font.bold
    assert 8 <= ws.column_dimensions["I"].width <= 62
    texts = [c.value for c in ws["M"]]
    assert "'=HYPERLINK(\"http://x\")" in texts
    dates = [c.value for c in wb["programme_sessions"]["C"][1:]]
    assert all(isinstance(d, (dt.date, dt.datetime)) for d in dates)
    html = page.read_text(encoding="utf-8")
    for sid in ('id="feedback"', 'id="checklist"', 'id="input-issues"', 'id="correlations"', 'id="baseline"'):
        assert sid in html
    assert "no session with id" in html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)) and any(i.startswith("fb-satisfaction-pt-") for i in ids)
    corr = prog.correlations
    assert set(corr["n"]) == {2} and corr["warning"].str.contains("fewer than 3|only 2").all()


def test_cli_programme_with_surveys_and_baseline(tmp_path: Path, repo_root: Path) -> None:
    write_sessions(tmp_path / "res", pairs=2, sessions_per_pair=2)
    survey = _csv(tmp_path, "Pair,Date,Name,Satisfaction,Comments\n"
                            "pair-a,2026-03-02,Anna Smirnova,5,Boris Ivanov helped a lot - mail anna@example.com\n"
                            "pair-a,2026-03-02,Boris,4,\npair-q,2026-03-02,Anna,4,\n")
    base = _csv(tmp_path, "measure,value\nsatisfaction,3.5\n", name="base.csv")
    r = CliRunner().invoke(cli, ["report", "programme", str(tmp_path / "res"), "--out", str(tmp_path / "prog"),
                                 "--format", "csv", "--surveys", str(survey), "--baseline", str(base),
                                 "--config", str(_no_encoder(tmp_path))],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert "1 problem in the survey/baseline input" in r.output and "no pair 'pair-q'" in r.output
    b = pd.read_csv(tmp_path / "prog" / "programme_baseline.csv")
    assert b.iloc[0]["now"] == pytest.approx(4.5) and b.iloc[0]["direction"] == "better"
    html = (tmp_path / "prog" / "dashboard.html").read_text(encoding="utf-8")
    assert "3.50 → 4.50" in html
    data = json.loads(html.split('id="ss-data">')[1].split("</script>")[0])
    assert data["pairs"] == ["pair-a", "pair-b"]
    r = CliRunner().invoke(cli, ["report", "programme", str(tmp_path / "res"), "--out", str(tmp_path / "x"),
                                 "--surveys", str(tmp_path / "nope.csv"), "--config", str(_no_encoder(tmp_path))])
    assert r.exit_code == 0 and "survey/baseline file does not exist" in r.output


@pytest.mark.slow
def test_cli_programme_redacted_links_and_surveys(tmp_path: Path) -> None:
    """--redact without --session-reports: no link to unredacted reports elsewhere (folder names carry names),
    no names in the tables, comments redacted, ids hashed with the programme's secret salt."""
    from sessionscope.model import write_session_json
    from sessionscope.report.redact import SALT_FILE

    res = tmp_path / "res"
    s = full_session(sid="2026-03-02-anna-boris")
    write_session_json(s, res / s.id / "session.json")
    (res / s.id / "report.html").write_text("<p>Anna Smirnova</p>", encoding="utf-8")
    (res / s.id / "report.redacted.html").write_text("<p>Junior</p>", encoding="utf-8")
    survey = _csv(tmp_path, "Session,Name,Satisfaction,Comments\n"
                            "2026-03-02-anna-boris,Anna Smirnova,5,Boris Ivanov was great - anna.s@example.com\n")
    out = tmp_path / "prog"
    r = CliRunner().invoke(cli, ["report", "programme", str(res), "--out", str(out), "--redact", "--surveys",
                                 str(survey)], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    dash = (out / "dashboard.html").read_text(encoding="utf-8")
    assert "report.html" not in dash and "anna-boris" not in dash
    for name in ("programme_sessions", "programme_surveys", "programme_goals", "programme_checklist"):
        text = (out / f"{name}.csv").read_text(encoding="utf-8") + (out / f"{name}.parquet").read_bytes().decode(
            "latin-1")
        for leak in ("Anna", "Boris", "anna-boris", "example.com"):
            assert leak not in text, (name, leak)
    answers = pd.read_csv(out / "programme_surveys.csv")
    assert set(answers["participant_id"]) == {"junior"}
    assert "Senior" in answers.loc[answers["scale"] == "text", "value_text"].iloc[0]
    sid = answers["session_id"].iloc[0]
    assert sid.startswith("session-") and (out / SALT_FILE).is_file()
    r = CliRunner().invoke(cli, ["report", "programme", str(res), "--out", str(out), "--redact"])
    assert r.exit_code == 0 and sid in (out / "programme_sessions.csv").read_text(encoding="utf-8")  # same salt
    r = CliRunner().invoke(cli, ["report", "programme", str(res), "--out", str(tmp_path / "shared"), "--redact",
                                 "--salt-dir", str(tmp_path / "secret")])
    assert r.exit_code == 0 and (tmp_path / "secret" / SALT_FILE).is_file()
    assert not (tmp_path / "shared" / SALT_FILE).exists()
    assert sid not in (tmp_path / "shared" / "programme_sessions.csv").read_text(encoding="utf-8")  # another salt


def test_session_reports_stay_inside_the_output_folder(tmp_path: Path) -> None:
    from sessionscope.model import write_session_json

    for sid in ("good", "x"):
        write_session_json(full_session(sid=sid), tmp_path / "res" / sid / "session.json")
    bad = tmp_path / "res" / "x" / "session.json"
    bad.write_text(bad.read_text(encoding="utf-8").replace('"id": "x"', '"id": "../../evil"'), encoding="utf-8")
    out = tmp_path / "deep" / "prog"
    r = CliRunner().invoke(cli, ["report", "programme", str(tmp_path / "res"), "--out", str(out), "--format", "csv",
                                 "--session-reports", "--no-workbook", "--config", str(_no_encoder(tmp_path))])
    assert r.exit_code == 0, r.output
    assert "would write outside" in r.output
    assert (out / "sessions" / "good" / "report.html").is_file()
    assert not (tmp_path / "evil").exists() and not (tmp_path / "deep" / "evil").exists()
    assert not (out / "programme.xlsx").exists()


def _no_encoder(tmp_path: Path) -> Path:
    cfg = tmp_path / "config.yaml"
    cfg.write_text("programme:\n  goal_encoder: null\n", encoding="utf-8")
    return cfg


_SESSIONS = _sessions()
_CELLS = st.one_of(st.sampled_from(["a0", "pair-a", "2026-03-16", "16.03.2026", "Anna", "Борис Иванов", "junior",
                                    "5", "11", "Да", "Strongly agree", "=1+1", "", "x;y", '"q"']),
                   st.text(max_size=12))


@settings(max_examples=60, deadline=None)
@given(header=st.lists(st.sampled_from(["Session", "Pair", "Date", "Name", "Role", "Satisfaction", "Comments",
                                        "Полезность (0-10)", "Timestamp", "ID"]), min_size=1, max_size=6),
       rows=st.lists(st.lists(_CELLS, min_size=0, max_size=7), max_size=6))
def test_any_survey_table_gives_answers_or_issues(tmp_path_factory: pytest.TempPathFactory, header: list[str],
                                                  rows: list[list[str]]) -> None:
    """Whatever a spreadsheet holds, matching never crashes, and every non-empty row is used or listed."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("prop") / "s.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    data = match_surveys(_SESSIONS, [path])
    used = {a["row"] for a in data.answers}
    listed = {i.row for i in data.issues}
    for a in data.answers:
        assert a["scale"] in ("likert5", "0-10", "yes_no", "number", "text")
        if a["value_share"] is not None:
            assert 0.0 <= a["value_share"] <= 1.0
    # a row is either used, listed, or had nothing to say (no answer cells); none vanishes with answers in it
    assert used <= set(range(2, data.n_rows + 2)) and (listed - {None}) <= set(range(2, data.n_rows + 2))


@settings(max_examples=40, deadline=None)
@given(blob=st.binary(max_size=300))
def test_any_bytes_are_an_issue_not_a_crash(tmp_path_factory: pytest.TempPathFactory, blob: bytes) -> None:
    folder = tmp_path_factory.mktemp("bytes")
    for name in ("s.csv", "s.xlsx"):
        (folder / name).write_bytes(blob)
    data = match_surveys(_SESSIONS, [folder / "s.csv", folder / "s.xlsx"])
    assert any(i.kind == "unreadable" and i.file == "s.xlsx" for i in data.issues)
    rows, issues = read_baseline(folder / "s.csv", pairs={"pair-a"})
    assert all(i.kind in ("unreadable", "bad_value", "unmatched", "mapping") for i in issues)


def test_submission_time_matches_the_session_before(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Timestamp,Pair,Name,Satisfaction\n"
                          "3/18/2026 09:00:00,pair-a,Anna,4\n"     # two days after a1 (16 March)
                          "4/20/2026 09:00:00,pair-a,Anna,3\n")    # three weeks after a2: periodic
    data = match_surveys(_sessions(), [path])
    assert [(a["kind"], a["session_id"]) for a in data.answers] == [("session", "a1"), ("periodic", None)]


def test_bundled_example_surveys_match_the_example_sessions(repo_root: Path) -> None:
    """examples/surveys (used by scripts/demo.sh) match the example manifest's pairs, dates and names."""
    from sessionscope.model import Participant, Role

    def session(sid: str, pair: str, date: dt.date, junior: tuple[str, str], senior: tuple[str, str]) -> object:
        return full_session(sid=sid, pair=pair, date=date).evolve(participants=(
            Participant(junior[0], junior[1], Role.JUNIOR), Participant(senior[0], senior[1], Role.SENIOR)))

    sessions = [session("en_session", "chen-hale", dt.date(2026, 11, 24), ("maya", "Maya Chen"),
                        ("robert", "Robert Hale")),
                session("ru_session", "smirnova-volkov", dt.date(2026, 11, 23), ("anna", "Анна Смирнова"),
                        ("igor", "Игорь Петрович Волков"))]
    folder = repo_root / "examples" / "surveys"
    files = [folder / "feedback_google_forms_en.csv", folder / "feedback_microsoft_forms_ru.xlsx"]
    for mapping in (None, load_mapping(folder / "survey-map.yaml")):
        data = match_surveys(sessions, files, mapping=mapping)
        assert data.issues == []
        kinds = {(a["session_id"], a["participant_id"], a["kind"]) for a in data.answers}
        assert kinds == {("en_session", "maya", "session"), ("en_session", "robert", "session"),
                         (None, "maya", "periodic"), ("ru_session", "anna", "session"),
                         ("ru_session", "igor", "session")}
        scales = {(a["question_id"], a["scale"]) for a in data.answers if a["question_id"]}
        assert ("usefulness", "0-10") in scales and ("self_assessment", "0-10") in scales
        assert ("psychological_safety", "likert5") in scales
    rows, issues = read_baseline(folder / "baseline.csv", pairs={"chen-hale", "smirnova-volkov"})
    assert not issues and len(rows) == 6
    assert {measure_id(r.measure) for r in rows} >= {"problems_solved_share", "days_to_resolve", "satisfaction"}


def test_mapped_question_missing_from_every_file_is_reported(tmp_path: Path) -> None:
    one = _csv(tmp_path, "Session,Name,How satisfied?\na0,Anna,4\n", name="one.csv")
    two = _csv(tmp_path, "Session,Name,Was it useful?\na1,Anna,5\n", name="two.csv")
    m = tmp_path / "m.yaml"
    m.write_text("questions:\n  satisfaction: {column: 'How satisfied?', scale: 0-10}\n"
                 "  usefulness: {column: 'Was it useful?'}\n  self_assessment: {column: 'Rate yourself'}\n",
                 encoding="utf-8")
    data = match_surveys(_sessions(), [one, two], mapping=load_mapping(m))
    assert [(i.file, i.kind) for i in data.issues] == [("one.csv, two.csv", "mapping")]
    assert "'self_assessment'" in data.issues[0].message
    assert [(a["question_id"], a["scale"]) for a in data.answers] == [("satisfaction", "0-10"), ("usefulness", "likert5")]

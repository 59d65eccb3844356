"""Round 40: a programme report says which inputs of its batches it does not count (report/leftout.py).

Found in a new user's pass: a folder analysed with one broken and one binary transcript gave a programme report of
"6 sessions of 6 pairs" with no word of the two sessions that failed, so their pairs looked as if they met less.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from sessionscope.cli import cli
from sessionscope.report.i18n import Translator
from sessionscope.report.leftout import batch_left_out, left_out_items, redact_left_out
from sessionscope.report.programme import build_programme, left_out_notes, n_left_out, programme_subtitle
from test_report_data import full_session

GOOD = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Anna Lee>How do you plan your week?

00:00:04.500 --> 00:00:09.000
<v Boris Ray>I block two mornings for deep work. You could try that.

00:00:09.500 --> 00:00:12.000
<v Anna Lee>Thanks, I will try it next week.
"""


def _batch(tmp_path: Path) -> Path:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.vtt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "in" / "bad.vtt").write_text("WEBVTT\n\n00:00:01.000 --> garbage\n", encoding="utf-8")
    people = "participants: [{name: Anna Lee, role: junior}, {name: Boris Ray, role: senior}]"
    (tmp_path / "m.yaml").write_text(
        "sessions:\n"
        f"  - {{id: s1, pair: lee-ray, date: 2026-11-02, transcript: in/good.vtt, language: en, {people}}}\n"
        f"  - {{id: s2, pair: lee-ray, date: 2026-11-09, transcript: in/bad.vtt, language: en, {people}}}\n",
        encoding="utf-8")
    r = CliRunner().invoke(cli, ["analyze", "--manifest", str(tmp_path / "m.yaml"), "--out", str(tmp_path / "out"),
                                 "--stages", "dynamics", "--no-progress"])
    assert r.exit_code != 0 and "1 failed" in r.output, r.output
    return tmp_path / "out"


def test_batch_json_names_the_pair_and_date_of_a_failed_input(tmp_path: Path) -> None:
    out = _batch(tmp_path)
    rows = {r["session_id"]: r for r in json.loads((out / "batch.json").read_text(encoding="utf-8"))["results"]}
    assert rows["s2"]["status"] == "failed" and rows["s2"]["pair"] == "lee-ray" and rows["s2"]["date"] == "2026-11-09"
    assert rows["s1"]["status"] == "ok"


def test_programme_report_lists_the_input_it_does_not_count(tmp_path: Path) -> None:
    out = _batch(tmp_path)
    r = CliRunner().invoke(cli, ["report", "programme", str(out), "--out", str(tmp_path / "prog"), "--format", "csv",
                                 "--no-workbook"])
    assert r.exit_code == 0, r.output
    assert "1 input of the batches behind this report could not be analysed" in r.output
    assert "s2 (lee-ray, 2026-11-09)" in r.output and "garbage" in r.output
    left = pd.read_csv(tmp_path / "prog" / "programme_left_out.csv")
    assert left[["kind", "session_id", "pair_id"]].values.tolist() == [["not_analysed", "s2", "lee-ray"]]
    assert json.loads((tmp_path / "prog" / "programme.json").read_text(encoding="utf-8"))["n_left_out"] == 1
    md = (tmp_path / "prog" / "programme.md").read_text(encoding="utf-8")
    assert "1 session of 1 pair" in md and "(1 more input of these batches not analysed, listed below)" in md
    assert "- s2 (lee-ray, 2026-11-09) — " in md and "bad.vtt: line 3" in md
    dash = (tmp_path / "prog" / "dashboard.html").read_text(encoding="utf-8")
    assert "could not be analysed and is in none of its figures" in dash and "s2 (lee-ray, 2026-11-09)" in dash


def test_a_clean_batch_leaves_nothing_out(tmp_path: Path) -> None:
    out = _batch(tmp_path)
    (tmp_path / "in" / "bad.vtt").write_text(GOOD, encoding="utf-8")  # corrected; the rerun resumes s1
    r = CliRunner().invoke(cli, ["analyze", "--manifest", str(tmp_path / "m.yaml"), "--out", str(out),
                                 "--stages", "dynamics", "--no-progress"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(cli, ["report", "programme", str(out), "--out", str(tmp_path / "prog"), "--format", "csv",
                                 "--no-workbook"])
    assert r.exit_code == 0 and "could not be analysed" not in r.output, r.output
    assert len(pd.read_csv(tmp_path / "prog" / "programme_left_out.csv")) == 0  # written, empty: nothing left out
    assert json.loads((tmp_path / "prog" / "programme.json").read_text(encoding="utf-8"))["n_left_out"] == 0
    assert "not analysed" not in (tmp_path / "prog" / "programme.md").read_text(encoding="utf-8")


def _write(folder: Path, body: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "batch.json").write_text(json.dumps(body), encoding="utf-8")


def test_kinds_from_batch_json(tmp_path: Path) -> None:
    _write(tmp_path / "a", {"complete": True, "total": 3, "done": 3, "results": [
        {"input": "x.vtt", "session_id": "x", "status": "failed", "error": "bad cue", "pair": "p", "date": "2026-01-02"},
        {"input": "y.vtt", "session_id": "y", "status": "failed", "error": "bad cue"},
        {"input": "z.vtt", "session_id": "z", "status": "ok", "error": None}]})
    _write(tmp_path / "b", {"complete": False, "interrupted": True, "total": 9, "done": 2, "results": []})
    _write(tmp_path / ".hidden", {"results": [{"session_id": "h", "status": "failed"}]})
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "batch.json").write_text("{not json", encoding="utf-8")  # passed over, logged
    rows = batch_left_out([tmp_path], loaded_ids={"y", "z"})
    assert [(r["kind"], r["session_id"]) for r in rows] == [
        ("not_analysed", "x"), ("earlier_output", "y"), ("unfinished", None)]
    assert rows[2]["reason"] == "the batch stopped after 2 of 9 inputs (interrupted)"
    items = left_out_items(rows)
    assert items == ["x (p, 2026-01-02) — x.vtt: bad cue"]  # not the earlier output, nor the unfinished batch


def test_notes_plural_russian_and_redacted(tmp_path: Path) -> None:
    rows = [{"kind": "not_analysed", "session_id": f"s{i}", "pair_id": "anna-boris", "date": None,
             "source": f"Anna/{i}.vtt", "reason": "Anna said"} for i in range(2)]
    rows.append({"kind": "earlier_output", "session_id": "s9", "pair_id": None, "date": None, "source": None,
                 "reason": "x"})
    prog = build_programme([full_session()], encoder=None, goal_vectors=None, left_out=rows)
    assert n_left_out(prog) == 2
    en = left_out_notes(prog, Translator("en"))
    assert en[0][0].startswith("2 inputs of the batches") and len(en[0][1]) == 2
    assert en[1][0].startswith("1 session failed in its latest batch")
    ru = left_out_notes(prog, Translator("ru"))
    assert ru[0][0].startswith("2 файла из пакетов этого отчёта") and ru[1][0].startswith("1 встреча не обработана")
    assert "ещё 2 файла этих пакетов не проанализированы" in programme_subtitle(Translator("ru"), prog, 1, 1, None, None)
    hidden = redact_left_out(rows, {"anna-boris": "pair-1"}, salt=b"k" * 32)
    assert all(r["source"] is None and "Anna" not in r["reason"] for r in hidden)
    assert hidden[0]["pair_id"] == "pair-1" and hidden[0]["session_id"].startswith("session-")


def test_export_tables_says_which_inputs_it_lacks(tmp_path: Path) -> None:
    out = _batch(tmp_path)
    r = CliRunner().invoke(cli, ["export", "tables", str(out), "--out", str(tmp_path / "t"), "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert "1 input of the batches in these folders could not be analysed" in r.output
    assert "s2 (lee-ray, 2026-11-09)" in r.output


def test_a_share_of_goals_says_of_how_many(tmp_path: Path) -> None:
    from sessionscope.report.programme import render_programme_markdown
    from test_report_data import write_programme as write_sessions

    prog = build_programme(write_sessions(tmp_path / "res", pairs=2, sessions_per_pair=2), encoder=None,
                           goal_vectors=None)
    judged = prog.goals[prog.goals["status"] != "pending"]
    assert len(judged)
    done = int((judged["status"] == "done").sum())
    assert f"| Goals done | {round(100 * done / len(judged))} % ({done} of {len(judged)}) |" in \
        render_programme_markdown(prog)
    assert f"({done} из {len(judged)})" in render_programme_markdown(prog, language="ru")


def test_a_failed_rerun_over_an_earlier_output_is_told_apart(tmp_path: Path) -> None:
    _write(tmp_path / "out", {"complete": True, "total": 1, "done": 1, "results": [
        {"input": "x.vtt", "session_id": "x", "status": "failed", "error": "bad cue"}]})
    (tmp_path / "out" / "x").mkdir()
    (tmp_path / "out" / "x" / "session.json").write_text("{}", encoding="utf-8")  # an earlier run's output
    assert [r["kind"] for r in batch_left_out([tmp_path / "out"], loaded_ids=set())] == ["earlier_output"]
    _write(tmp_path / "out", {"complete": True, "total": 1, "done": 1, "results": [
        {"input": "x.vtt", "session_id": "x", "status": "busy", "error": "another batch holds it"}]})
    assert batch_left_out([tmp_path / "out"], loaded_ids=set()) == []  # the other batch wrote it: nothing missing
    _write(tmp_path / "b", {"complete": False, "total": 5, "done": 1, "results": []})
    rows = batch_left_out([tmp_path / "b"], loaded_ids=set())
    prog = build_programme([full_session()], encoder=None, goal_vectors=None, left_out=rows)
    assert n_left_out(prog) == 0 and int(prog.programme["n_left_out"].iloc[0]) == 0  # not known by name: a note
    assert left_out_notes(prog, Translator("en"))[0][0].startswith("A batch behind this report stopped")


def test_a_folder_filled_one_command_at_a_time_keeps_earlier_failures(tmp_path: Path) -> None:
    """An evaluator processes each week's recordings into one results folder: a failure of week 2 must still be
    listed after week 3's command rewrote batch.json, until the input is analysed."""
    out = _batch(tmp_path)  # s2 failed
    (tmp_path / "in" / "week3.vtt").write_text(GOOD, encoding="utf-8")
    args = ["analyze", str(tmp_path / "in" / "week3.vtt"), "--out", str(out), "--stages", "dynamics", "--no-progress",
            "-p", "Anna Lee=junior", "-p", "Boris Ray=senior"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    body = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    assert [r["session_id"] for r in body["results"]] == ["week3"]
    assert [r["session_id"] for r in body["earlier_failures"]] == ["s2"]  # carried over
    rows = batch_left_out([out], loaded_ids={"s1", "week3"})
    assert [(r["kind"], r["session_id"], r["pair_id"]) for r in rows] == [("not_analysed", "s2", "lee-ray")]
    # once s2 is analysed (here by the manifest's command again), nothing is carried any more
    (tmp_path / "in" / "bad.vtt").write_text(GOOD, encoding="utf-8")
    r = CliRunner().invoke(cli, ["analyze", "--manifest", str(tmp_path / "m.yaml"), "--out", str(out),
                                 "--stages", "dynamics", "--no-progress"])
    assert r.exit_code == 0, r.output
    assert "earlier_failures" not in json.loads((out / "batch.json").read_text(encoding="utf-8"))
    assert batch_left_out([out], loaded_ids={"s1", "s2", "week3"}) == []

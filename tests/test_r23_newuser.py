"""Round 23, new-user pass (an evaluator and a researcher on real recordings): model-free checks of what was
fixed. Findings and their evidence: ``benchmarks/results/r23_newuser_findings.json``."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("sig,code", [("TERM", 143), ("INT", 130)])
def test_a_stop_signal_ends_the_workers_and_says_how_to_resume(tmp_path: Path, sig: str, code: int) -> None:
    # before: SIGTERM ended the driver alone (its worker processes went on writing sessions batch.json never
    # listed), and Ctrl-C gave click's bare "Aborted!" with exit code 1
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "r23_newuser_stop.py"), str(out), sig],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    res = json.loads(done.stdout.strip().splitlines()[-1])
    assert res["exit_code"] == code
    assert res["worker_alive_after_stop"] is False
    assert f"interrupted (SIG{sig}): 1 of 3 sessions finished" in res["message"]
    assert "run the same command again to resume" in res["message"]
    body = res["batch"]
    assert body["interrupted"] is True and body["complete"] is False and body["done"] == 1


def test_a_background_batch_stopped_by_sigterm_ends_its_workers(tmp_path: Path) -> None:
    """Round 55: ``sessionscope run … &`` and ``nohup`` start the batch with SIGINT ignored, and its workers inherit the
    ignore: the stop's SIGINT (as Ctrl-C) left them running, writing sessions batch.json never listed. They are ended
    with SIGTERM then."""
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "r23_newuser_stop.py"), str(out), "TERM",
                           "background"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    res = json.loads(done.stdout.strip().splitlines()[-1])
    assert res["exit_code"] == 143
    assert res["worker_alive_after_stop"] is False
    assert res["batch"]["interrupted"] is True and res["batch"]["done"] == 1


def test_stop_on_signals_restores_the_handlers() -> None:
    import signal

    from sessionscope.cli.common import stop_on_signals

    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt), stop_on_signals() as got:
        signal.raise_signal(signal.SIGTERM)
    assert got == [signal.SIGTERM]
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


def test_the_programme_does_not_call_a_session_without_a_junior_an_untimed_transcript() -> None:
    # before: "Mean junior talk share 88 % (over the 4 of 9 sessions with talk times; the others are transcripts
    # without times)" for a folder of recordings, all timed, five of them with nobody named junior
    from sessionscope.model import Participant, Role
    from sessionscope.report.programme import build_programme, render_programme_markdown
    from test_report_data import full_session

    named = full_session(sid="s1")
    unnamed = full_session(sid="s2", pair="pair-b").evolve(
        participants=tuple(Participant(p.id, p.name, Role.OTHER) for p in named.participants))
    assert all(u.start is not None for u in unnamed.utterances)  # timed: the old reason was wrong
    md = render_programme_markdown(build_programme([named, unnamed], encoder=None, goal_vectors=None))
    assert "transcripts without times" not in md
    assert "over the 1 of 2 sessions with the junior's talk time; the others have no times or name no junior" in md
    assert "over the 1 of 2 sessions with the junior's words; the others name no junior or have no words" in md


def _report(tmp_path: Path, notes: tuple[str, ...]):  # type: ignore[no-untyped-def]
    from sessionscope.batch import BatchItem, BatchReport, ItemResult
    from test_report_data import full_session

    s = full_session(sid="half")
    assert s.quality is not None
    s = s.evolve(quality=dataclasses.replace(s.quality, notes=notes))
    return BatchReport(results=(ItemResult(BatchItem(tmp_path / "half.wav", "half"), "ok", out_dir=tmp_path / "half",
                                           session=s),), out_dir=tmp_path)


def test_the_console_names_a_recording_cut_short(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # before: a WAV cut at half its length was "ok" on the console; only the report's 'Data quality' said
    # "the file looks truncated or damaged: decoded 15.0 s of 30.0 s announced"
    from sessionscope.cli.common import print_report

    print_report(_report(tmp_path, ("the file looks truncated or damaged: decoded 15.0 s of 30.0 s announced",)))
    err = " ".join(capsys.readouterr().err.split())
    assert "the recording looks truncated or damaged in half (decoded 15.0 s of 30.0 s announced)" in err, err
    print_report(_report(tmp_path, ()))
    assert "truncated" not in capsys.readouterr().err


def test_a_manifest_session_whose_recording_does_not_exist_is_named(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    # before: a session of the manifest whose `file:` names no existing recording vanished without a word
    from sessionscope.batch import make_items, missing_manifest_files
    from sessionscope.cli.common import print_missing
    from sessionscope.io.manifest import load_manifest

    (tmp_path / "rec").mkdir()
    (tmp_path / "rec" / "a.wav").write_bytes(b"")
    (tmp_path / "rec" / "planned.wav").write_bytes(b"")
    (tmp_path / "m.yaml").write_text(
        "sessions:\n"
        "  - {id: s1, file: rec/a.wav}\n"
        "  - {id: s2, file: recordings/2026-03-26.m4a}\n"  # a typo or a copy that never arrived
        "  - {id: s3, file: rec/planned.wav}\n"  # exists, only not among this run's inputs: not a problem
        "  - {id: s4, file: notes/s4.vtt}\n",  # a transcript: not `run`'s business
        encoding="utf-8")
    m = load_manifest(tmp_path / "m.yaml")
    items = make_items([tmp_path / "rec" / "a.wav"], manifest=m)
    with caplog.at_level("WARNING"):
        missing = missing_manifest_files(m, items, suffixes=(".wav", ".m4a"))
    assert [sid for sid, _ in missing] == ["s2"]
    assert "session 's2' names recordings/2026-03-26.m4a, which does not exist" in caplog.text
    print_missing(missing)
    err = " ".join(capsys.readouterr().err.split())
    assert "1 session of the manifest not analysed: its file does not exist: s2 (" in err
    assert missing_manifest_files(m, items, suffixes=(".vtt",))[0][0] == "s4"


def test_warnings_go_to_stderr_and_the_results_to_stdout(tmp_path: Path) -> None:
    # before: the log (warnings, errors) went to stdout with the result table: `sessionscope run … > table.txt`
    # hid every warning from the terminal and mixed them into the file
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Anna: Hello there.\nBoris: Hi, how are you?\n", encoding="utf-8")
    (tmp_path / "in" / "call.amr").write_bytes(b"#!AMR\n")  # a type analyze does not read: a warning
    done = subprocess.run([sys.executable, "-c", "from sessionscope.cli import main; main()", "analyze",
                           str(tmp_path / "in"), "--stages", "dynamics", "--format", "markdown", "--out",
                           str(tmp_path / "out"), "--no-progress"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "call.amr" in done.stderr and "call.amr" not in done.stdout
    assert "a " in done.stdout  # the result table is on stdout


def test_logging_is_configured_on_stderr() -> None:
    import logging

    from click.testing import CliRunner

    from sessionscope.cli import cli

    CliRunner().invoke(cli, ["config", "show"])
    handler = logging.getLogger().handlers[0]
    console = getattr(handler, "console", None)
    assert console is not None and console.stderr is True


def test_a_rerun_says_why_it_processed_written_sessions_again(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    # before: a rerun after an edited manifest (or config, or upgrade) redid every session and printed "ok" as
    # for new work, without a word on why; and the same recording named from a manifest in another folder
    # (`file: a.txt` / `file: in/a.txt`) counted as a changed entry, so its session was redone for nothing
    from sessionscope.batch import make_items, run_batch
    from sessionscope.cli.common import print_report
    from sessionscope.io.manifest import load_manifest
    from test_batch import _files, _spec

    files = _files(tmp_path, 2)
    out = tmp_path / "out"

    def manifest(where: Path, prefix: str, date: str) -> object:
        where.mkdir(exist_ok=True)
        (where / "m.yaml").write_text(
            f"sessions:\n  - {{id: s0, pair: p, date: {date}, file: {prefix}s0.txt}}\n", encoding="utf-8")
        return load_manifest(where / "m.yaml")

    first = run_batch(make_items(files, manifest=manifest(tmp_path / "in", "", "2026-03-02")), _spec(), out)
    assert [r.status for r in first.results] == ["ok", "ok"]
    # the same entry written from the folder above: the same session
    same = run_batch(make_items(files, manifest=manifest(tmp_path, "in/", "2026-03-02")), _spec(), out)
    assert [r.status for r in same.results] == ["resumed", "resumed"]
    # a corrected date: processed again, and the console says why
    redo = run_batch(make_items(files, manifest=manifest(tmp_path, "in/", "2026-03-03")), _spec(), out)
    assert [r.status for r in redo.results] == ["ok", "resumed"]
    assert redo.results[0].redone == "its manifest entry changed"
    body = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    assert body["results"][0]["redone"] == "its manifest entry changed" and "redone" not in body["results"][1]
    print_report(redo)
    err = " ".join(capsys.readouterr().err.split())
    assert "1 session written by an earlier run was processed again, since its manifest entry changed: s0" in err
    # --force: asked for, nothing to explain
    forced = run_batch(make_items(files), _spec(resume=False), out)
    assert all(r.redone is None for r in forced.results)


def test_redaction_hides_a_latin_id_made_of_russian_names() -> None:
    # before: `report session --redact` of the session "anna-igor-2026-03-05" of Анна Смирнова and Игорь Волков kept
    # the id and the pair "anna-igor" (only ids holding the names as written were hashed)
    from sessionscope.report.redact import id_names_someone, redact_session
    from test_report_data import full_session

    s = full_session(language="ru", sid="anna-boris-2026-03-02", pair="anna-boris")
    assert [p.name for p in s.participants] == ["Анна Смирнова", "Борис Иванов"]
    red = redact_session(s, ner=False, salt=b"k")
    assert red.id.startswith("session-") and red.pair_id is not None and red.pair_id.startswith("pair-")
    kept = redact_session(full_session(language="ru", sid="s01", pair="pair-a"), ner=False, salt=b"k")
    assert (kept.id, kept.pair_id) == ("s01", "pair-a")
    assert id_names_someone("yulia-alexey", ["Юлия Ким", "Алексей Петров"])  # other spellings of the names
    assert not id_names_someone("ami-2026-03-02", ["Ann Lee", "Bob Stone"])


def test_the_dashboard_shows_no_nan_for_a_session_without_a_pair() -> None:
    # before: the dashboard's flag table read "nan" in the pair cell of every session run without a manifest
    # (pandas 3 reads the missing pair as NaN, and NaN is "true")
    from sessionscope.report.dashboard import render_dashboard
    from sessionscope.report.programme import build_programme
    from test_report_data import full_session

    alone = full_session(sid="call").evolve(pair_id=None)
    assert alone.flags
    page = render_dashboard(build_programme([alone, full_session(sid="s1")], encoder=None, goal_vectors=None))
    assert "<td>nan</td>" not in page and ">nan<" not in page


def test_the_remap_hint_names_the_folder_of_one_guessed_session_with_one_voice(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # before: a single guessed session whose recording held one voice got "remap OUT/SESSION --speaker …"
    from sessionscope.batch import BatchItem, BatchReport, ItemResult
    from sessionscope.cli.common import print_report
    from test_report_data import full_session

    audio = {"speaker_map": {"SPEAKER_01": "anna"}, "speaker_mapping": {"SPEAKER_01": "order"}}
    s = full_session(sid="phone").evolve(pair_id="p", extra={"audio": audio})
    print_report(BatchReport(results=(ItemResult(BatchItem(tmp_path / "phone.wav", "phone"), "ok",
                                                 out_dir=tmp_path / "out" / "phone", session=s),),
                             out_dir=tmp_path / "out"))
    err = " ".join(capsys.readouterr().err.split())
    assert f"sessionscope remap {tmp_path / 'out' / 'phone'} --speaker LABEL=PARTICIPANT" in err, err
    assert "SESSION" not in err


@pytest.mark.parametrize("command", ["run", "analyze"])
def test_a_manifest_given_as_an_input_is_a_usage_error_that_says_so(tmp_path: Path, command: str) -> None:
    # before: `sessionscope run rec/ rec/sessions.yaml` processed the folder, then listed the manifest as a failed
    # "recording" ("not a readable audio or video file")
    from click.testing import CliRunner

    from sessionscope.cli import cli

    (tmp_path / "sessions.yaml").write_text("sessions:\n  - {id: s1, file: a.wav}\n", encoding="utf-8")
    res = CliRunner().invoke(cli, [command, str(tmp_path / "sessions.yaml"), "--out", str(tmp_path / "out")])
    assert res.exit_code == 2
    assert f"looks like a session manifest, not a {'recording' if command == 'run' else 'transcript'}: give it " \
           f"with --manifest {tmp_path / 'sessions.yaml'}" in " ".join(res.output.split())
    assert not (tmp_path / "out").exists()


def test_workers_that_are_not_a_number_are_a_usage_error(tmp_path: Path) -> None:
    # before: "Error: invalid literal for int() with base 10: 'two'"
    from click.testing import CliRunner

    from sessionscope.cli import cli

    (tmp_path / "a.txt").write_text("Anna: Hello.\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["analyze", str(tmp_path / "a.txt"), "--workers", "two", "--out",
                                   str(tmp_path / "out")])
    assert res.exit_code == 2
    assert "give a number of worker processes or 'auto', not 'two'" in " ".join(res.output.split())
    assert "invalid literal" not in res.output


def test_the_closing_lines_say_what_the_programme_and_the_exports_left_out(tmp_path: Path) -> None:
    # before: "7 sessions of 5 pairs, 0.1 h in all → dash/dashboard.html" although 2 of 9 session files could not
    # be read (said only among the warnings printed first) and 3 of the 5 "pairs" were sessions without a pair
    from click.testing import CliRunner

    from sessionscope.cli import cli
    from sessionscope.model import write_session_json
    from test_report_data import full_session

    res = tmp_path / "res"
    for s in (full_session(sid="a1"), full_session(sid="a2", date=full_session().date.replace(day=9)),
              full_session(sid="call").evolve(pair_id=None)):
        write_session_json(s, res / s.id / "session.json")
    (res / "broken").mkdir()
    (res / "broken" / "session.json").write_text("{not json", encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(cli, ["report", "programme", str(res), "--out", str(tmp_path / "dash"), "--format", "csv"])
    assert r.exit_code == 0, r.output  # the report is written: a broken file does not stop it
    said = " ".join(r.output.split())
    assert "3 sessions of 2 pairs (of these, 1 is a session without a pair in the manifest, each counted as a pair " \
           "of its own)" in said, said
    assert "; 1 session file could not be read and is left out (see the 'skipped:' lines above)" in said
    for args in (["export", "tables", str(res), "--out", str(tmp_path / "t")],
                 ["export", "convokit", str(res), "--out", str(tmp_path / "c")]):
        r = runner.invoke(cli, args)
        assert r.exit_code == 0 and "1 session file could not be read and is left out" in " ".join(r.output.split())


@pytest.mark.parametrize("note", [
    "no session of the manifest matches this file: analysed without its pair, date and participants' roles",
    "telephone-band audio (nothing above 4 kHz): transcription VAD threshold 0.3 instead of 0.5",
    "diarization: no speaker turns found: every word given to one speaker",
    "diarization degraded: segmentation unavailable",
    "Whisper output without diarization: no speakers (combine with an RTTM via text_path)",
    "text from a.stm, aligned to RTTM turns by time overlap",
    "2 utterances start before the one written above them; sorted by start time",
])
def test_a_russian_report_gives_these_data_quality_notes_in_russian(note: str) -> None:
    # before: the Russian reports of a Russian evaluator's folder kept "no session of the manifest matches this
    # file: …" and "telephone-band audio (nothing above 4 kHz): …" in English
    import re

    from sessionscope.inputs import NO_ENTRY_NOTE
    from sessionscope.report.i18n import translate_note

    ru = translate_note(note, "ru")
    assert ru != note and re.search("[а-я]", ru) and not re.search(r"\b(the|of|by|to)\b", ru), ru
    assert translate_note(NO_ENTRY_NOTE, "ru") != NO_ENTRY_NOTE
    assert translate_note(note, "en") == note


def test_a_rerun_that_redoes_a_remapped_session_says_the_hand_set_names_are_gone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # before: `remap out/sample --speaker SPEAKER_00=Ann:junior …`, then a rerun with a changed config (or an
    # upgrade, or an edited manifest) processed the session again and silently put back SPEAKER_00 / SPEAKER_01
    from sessionscope.batch import make_items, run_batch
    from sessionscope.cli.common import print_report
    from sessionscope.config import Config
    from test_batch import _files, _spec

    files = _files(tmp_path, 1)
    out = tmp_path / "out"
    run_batch(make_items(files), _spec(), out)
    path = out / "s0" / "session.json"
    data = json.loads(path.read_text(encoding="utf-8"))  # as `remap` leaves it
    data["participants"] = [{"id": "ann", "name": "Ann Lee", "role": "junior"},
                            {"id": "bob", "name": "Bob", "role": "senior"}]
    data["extra"]["audio"] = {"speaker_map": {"SPEAKER_00": "ann", "SPEAKER_01": "bob"},
                              "speaker_mapping": {"SPEAKER_00": "manual", "SPEAKER_01": "order"}}
    path.write_text(json.dumps(data), encoding="utf-8")
    rep = run_batch(make_items(files), _spec(config=Config.model_validate({"dynamics": {"turn_merge_gap_s": 3}})), out)
    assert rep.results[0].hand_mapping_lost == ("SPEAKER_00=Ann Lee:junior",)  # only the hand-set label
    body = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    assert body["results"][0]["hand_mapping_lost"] == ["SPEAKER_00=Ann Lee:junior"]
    print_report(rep)
    err = " ".join(capsys.readouterr().err.split())
    assert "the speaker names set by hand (sessionscope remap) were not carried over to 1 session processed again; " \
           f"to set them again: sessionscope remap {out / 's0'} --speaker 'SPEAKER_00=Ann Lee:junior'" in err, err
    again = run_batch(make_items(files), _spec(), out)  # nothing set by hand any more: nothing to say
    assert again.results[0].hand_mapping_lost == ()


def test_remap_of_the_results_folder_says_to_give_one_session(tmp_path: Path) -> None:
    # before: `sessionscope remap out --speaker …` (the results folder) gave "[Errno 2] No such file or directory:
    # 'out/session.json'"
    from click.testing import CliRunner

    from sessionscope.cli import cli
    from sessionscope.model import write_session_json
    from test_report_data import full_session

    write_session_json(full_session(sid="s1"), tmp_path / "out" / "s1" / "session.json")
    r = CliRunner().invoke(cli, ["remap", str(tmp_path / "out"), "--speaker", "SPEAKER_00=anna"])
    said = " ".join(r.output.split())
    assert r.exit_code == 2 and "Errno" not in said
    assert f"holds no session.json: give one session's folder, e.g. {tmp_path / 'out' / 's1'} (of 1 here)" in said


def test_a_russian_excel_manifest_is_read(tmp_path: Path) -> None:
    # before: Excel's "CSV" in a Russian locale (';'-separated, cp1251, dates 05.03.2026) failed three ways:
    # "unknown column(s) 'id;pair;date;…'", "manifest is not UTF-8 text", "invalid character in year"
    from sessionscope.io.manifest import load_manifest

    rows = ("id;pair;date;file;language;junior;senior\n"
            "anna-igor-2026-03-05;anna-igor;05.03.2026;Встреча.ogg;ru;Анна Смирнова;\"Игорь Волков\"\n")
    for enc in ("utf-8", "cp1251"):
        (tmp_path / f"m_{enc}.csv").write_bytes(rows.encode(enc))
        e = load_manifest(tmp_path / f"m_{enc}.csv").entries[0]
        assert (e.id, e.pair_id, str(e.date), e.file) == ("anna-igor-2026-03-05", "anna-igor", "2026-03-05", "Встреча.ogg")
        assert [(p.name, p.role.value) for p in e.participants] == [("Анна Смирнова", "junior"), ("Игорь Волков", "senior")]


def test_a_date_the_manifest_cannot_read_says_how_to_write_it(tmp_path: Path) -> None:
    from sessionscope.errors import ManifestError
    from sessionscope.io.manifest import load_manifest

    (tmp_path / "m.csv").write_text("id,date,file\ns1,3/5/2026,a.wav\n", encoding="utf-8")
    with pytest.raises(ManifestError) as e:
        load_manifest(tmp_path / "m.csv")
    assert "row 2 (id 's1').date" in str(e.value) and "got '3/5/2026'; write dates as YYYY-MM-DD (2026-03-05) or " \
           "DD.MM.YYYY" in str(e.value)
    (tmp_path / "m.yaml").write_text("sessions:\n  - {id: s1, date: 05.03.2026, file: a.wav}\n", encoding="utf-8")
    with pytest.raises(ManifestError) as e:  # YAML is written by hand, as documented: ISO dates only
        load_manifest(tmp_path / "m.yaml")
    assert str(e.value).endswith("got '05.03.2026'; write dates as YYYY-MM-DD (2026-03-05)")


def test_stop_on_signals_leaves_an_ignored_signal_ignored() -> None:
    import signal

    from sessionscope.cli.common import stop_on_signals

    before = signal.signal(signal.SIGINT, signal.SIG_IGN)  # as in a background job or under nohup
    try:
        with stop_on_signals():
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
            assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)

"""Round 22 (newuser): what a new user's pass over the round's changes found wrong in the reports. Model-free:
synthetic voices through the faked recognition stages of the round-21 tests, and flag messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from sessionscope.report.dashboard import render_dashboard
from sessionscope.report.i18n import agree_roles, translate_flag
from sessionscope.report.programme import build_programme, pair_voice_checks, render_programme_markdown
from test_r21_pairvoice import ANNA, BORIS, _run_session, _voice

pytest.importorskip("pymorphy3")


# --- Russian role words before a woman's name in the flags' sentences -------------------------------------------

def test_flag_sentences_agree_the_role_word_with_a_womans_name() -> None:
    # "младший Анна Смирнова" beside "Анна Смирнова (младшая)" in the same report read as a slip
    assert translate_flag("junior Анна Смирнова holds 18% of the talk time", "ru") == "младшая Анна Смирнова: 18 % времени речи"
    assert translate_flag("junior Анна Смирнова holds 12% of the words", "ru") == "младшая Анна Смирнова: 12 % слов"
    assert translate_flag("junior Игорь Волков holds 18% of the talk time", "ru") == "младший Игорь Волков: 18 % времени речи"
    # the object of "перебивал(а)" is accusative: младшего → младшую; the senior agrees with her own name
    assert translate_flag("senior Ольга Петрова interrupted junior Анна Смирнова 5 times (2.1 per 10 min)", "ru") == \
        "старшая (Ольга Петрова) перебивала младшую (Анна Смирнова); перебиваний: 5 (2,1 за 10 мин)"
    assert translate_flag("senior Игорь Волков interrupted junior Павел Орлов 1 time (0.5 per 10 min)", "ru") == \
        "старший (Игорь Волков) перебивал младшего (Павел Орлов); перебиваний: 1 (0,5 за 10 мин)"
    # a name of unknown gender (Latin, either: "Саша") keeps the guide's word; a name is data, never a pattern
    assert translate_flag("junior Maya Chen holds 18% of the talk time", "ru") == "младший Maya Chen: 18 % времени речи"
    assert agree_roles("младший Саша Ким", ["Саша Ким"]) == "младший Саша Ким"
    assert agree_roles("младший Анна (Ann) и младший Анна", ["Анна (Ann)"]) == "младшая Анна (Ann) и младший Анна"


# --- the pair-voice camps: a tie is one note for the pair -------------------------------------------------------

def _tie(vp: Path) -> list:  # type: ignore[type-arg]
    """Four guessed sessions of pair-a: Anna spoke first in two, Boris in the two others (two camps of two)."""
    return [_run_session("s1", 0, _voice(ANNA), _voice(BORIS), vp), _run_session("s2", 7, _voice(ANNA), _voice(BORIS), vp),
            _run_session("s3", 14, _voice(BORIS), _voice(ANNA), vp), _run_session("s4", 21, _voice(BORIS), _voice(ANNA), vp)]


def test_a_tie_between_two_camps_is_one_note_for_the_pair(tmp_path: Path) -> None:
    vp = tmp_path / "voiceprints"
    sessions = _tie(vp)
    checks = pair_voice_checks(sessions, [vp])
    assert all(c.swapped for c in checks.values())  # the columns keep flagging both sides
    prog = build_programme(sessions, encoder=None, goal_vectors=None, voice_checks=checks)
    md = render_programme_markdown(prog)
    # four notes, each "…relative to s3, s4: the junior's figures of this session, or of those…", said one thing
    assert "look swapped" not in md
    assert md.count("split into two equally large groups") == 1
    assert "Pair pair-a: the voices of its sessions split into two equally large groups that disagree, s1, s2 " \
           "against s3, s4" in md
    assert render_dashboard(prog).count("split into two equally large groups") == 1
    assert render_programme_markdown(prog, language="ru").count("делятся на две равные группы") == 1


def test_after_confirming_one_session_the_other_camp_is_named_as_probably_swapped(tmp_path: Path) -> None:
    from sessionscope.remapping import remap_session

    vp = tmp_path / "voiceprints"
    sessions = _tie(vp)
    sessions[0] = remap_session(sessions[0], {"SPEAKER_00": "anna", "SPEAKER_01": "boris"})  # heard and confirmed
    checks = pair_voice_checks(sessions, [vp])
    assert [k for k, c in checks.items() if c.swapped] == ["s3", "s4"]
    md = render_programme_markdown(build_programme(sessions, encoder=None, goal_vectors=None, voice_checks=checks))
    assert "split into" not in md
    for sid in ("s3", "s4"):
        assert f"Session {sid}: its speakers were matched to the participants by a guess, and its two voices look " \
               "swapped relative to the pair's sessions s1, s2, of which s1 matched by voice, introduction or by " \
               "hand: the junior's figures of this session are probably the senior's" in md
    # without evidence on the right side the note stays careful ("of this session, or of those")
    one = _tie(tmp_path / "vp2")[:3]
    md = render_programme_markdown(build_programme(one, encoder=None, goal_vectors=None,
                                                   voice_checks=pair_voice_checks(one, [tmp_path / "vp2"])))
    assert "Session s3:" in md and "of this session, or of those, may be the senior's" in md and "probably" not in md


# --- the no-advice flag of a session with only requests, in a Russian report ------------------------------------

@pytest.mark.parametrize("procedure", [0, 1])
def test_the_no_advice_flag_with_requests_reads_in_russian(procedure: int) -> None:
    import dataclasses

    from helpers import make_session
    from sessionscope.analysis.flow import compute_flags
    from sessionscope.config import FlagsConfig
    from sessionscope.model import Recommendation
    from sessionscope.report.session_md import render_session_markdown

    s = make_session([("igor", 0, 10, "Покажите, как это настроить."), ("anna", 10, 20, "Конечно, смотрите."),
                      ("igor", 20, 30, "Следующий слайд, пожалуйста.")],
                     roles={"anna": "junior", "igor": "senior"}, language="ru", sid="req")
    recs = (Recommendation("rec-001", "u0001", 0.0, "igor", "anna", "Покажите, как это настроить.", confidence=0.7,
                           request=True),
            Recommendation("rec-002", "u0003", 20.0, "igor", "anna", "Следующий слайд, пожалуйста.", confidence=0.7,
                           procedure=True))[:1 + procedure]
    s = dataclasses.replace(s, recommendations=recs)
    flag = next(f for f in compute_flags(s, FlagsConfig()) if f.code == "no_recommendations")
    ru = translate_flag(flag.message, "ru")  # was "": the report's "Подробности" cell stood empty
    said = "просьбы показать, рассказать или прислать: 1; советами они не считаются"
    assert ru == "советов не найдено (только " + ("предложения о ходе встречи: 1 и " if procedure else "") + said + ")"
    md = render_session_markdown(dataclasses.replace(s, flags=(flag,)))
    assert said in md


# --- export tables reads report.csv_bom as report programme does ------------------------------------------------

def test_export_tables_reads_the_csv_bom_setting(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sessionscope.cli import cli
    from sessionscope.model.serialize import write_session_json
    from test_report_data import full_session

    write_session_json(full_session(sid="s1"), tmp_path / "out" / "s1" / "session.json")
    cfg = tmp_path / "bom.yaml"
    cfg.write_text("report:\n  csv_bom: true\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["export", "tables", str(tmp_path / "out"), "--out", str(tmp_path / "t"), "--format", "csv",
                                 "--config", str(cfg)])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "t" / "sessions.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    r = CliRunner().invoke(cli, ["export", "tables", str(tmp_path / "out"), "--out", str(tmp_path / "u"), "--format", "csv"])
    assert r.exit_code == 0 and (tmp_path / "u" / "sessions.csv").read_bytes()[:3] != b"\xef\xbb\xbf"


def test_export_convokit_counts_one_session_in_the_singular(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sessionscope.cli import cli
    from sessionscope.model.serialize import write_session_json
    from test_report_data import full_session

    write_session_json(full_session(sid="s1"), tmp_path / "out" / "s1" / "session.json")
    r = CliRunner().invoke(cli, ["export", "convokit", str(tmp_path / "out"), "--out", str(tmp_path / "c")])
    assert r.exit_code == 0, r.output
    assert "1 session written as a ConvoKit corpus" in r.output  # was "1 sessions written"


def test_the_checklists_counts_name_the_junior_in_her_gender() -> None:
    import dataclasses

    from helpers import make_session
    from sessionscope.model import Participant, Question, Recommendation, Role
    from sessionscope.report.checklist import checklist_section
    from sessionscope.report.i18n import Translator

    s = make_session([("anna", 0, 10, "Как вы ведёте почту?"), ("igor", 10, 20, "Разбираю её утром. Попробуйте так же."),
                      ("igor", 20, 30, "А как настроить отложенный постинг?"), ("anna", 30, 40, "Заведите планировщик.")],
                     language="ru", sid="ck")
    s = dataclasses.replace(
        s, participants=(Participant("anna", "Анна Смирнова", Role.JUNIOR), Participant("igor", "Игорь Волков", Role.SENIOR)),
        questions=(Question("q-001", "u0001", 0.0, "anna", "igor", "Как вы ведёте почту?", answered=True),
                   Question("q-002", "u0003", 20.0, "igor", "anna", "А как настроить отложенный постинг?", answered=True)),
        recommendations=(Recommendation("rec-001", "u0002", 10.0, "igor", "anna", "Попробуйте так же.", confidence=0.9),
                         Recommendation("rec-002", "u0004", 30.0, "anna", "igor", "Заведите планировщик.", confidence=0.9)))
    row = next(r for r in checklist_section(s, Translator("ru")).rows if r[0].startswith("Оба спрашивали"))
    assert "вопросы/рекомендации: младшая 1/1, старший 1/1" in row[2], row  # was "младший" beside "Анна (младшая)"


# --- the console's note on a guessed mapping gives the command that fixes it ------------------------------------

def test_the_console_gives_the_swap_for_one_guessed_session(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sessionscope.batch import BatchItem, BatchReport, ItemResult
    from sessionscope.cli.common import print_report
    from test_report_data import full_session

    audio = {"speaker_map": {"SPEAKER_00": "lena", "SPEAKER_01": "rob"},
             "speaker_mapping": {"SPEAKER_00": "order", "SPEAKER_01": "order"}}

    def report(*ids: str, pair: str | None = None) -> BatchReport:
        return BatchReport(results=tuple(
            ItemResult(BatchItem(tmp_path / f"{i}.wav", i), "ok", out_dir=tmp_path / "out" / i,
                       session=full_session(sid=i).evolve(pair_id=pair, extra={"audio": audio})) for i in ids),
            out_dir=tmp_path / "out")

    print_report(report("s1"))
    err = " ".join(capsys.readouterr().err.split())
    # was "…/SESSION --speaker LABEL=PARTICIPANT" for the one session it named
    assert f"sessionscope remap {tmp_path / 'out' / 's1'} --speaker SPEAKER_00=rob --speaker SPEAKER_01=lena" in err, err
    assert "later recordings" not in err  # no pair: no voiceprints to fold the voices into
    print_report(report("s1", "s2", pair="lena-rob"))
    err = " ".join(capsys.readouterr().err.split())
    assert f"sessionscope remap {tmp_path / 'out'}/SESSION --speaker LABEL=PARTICIPANT" in err, err
    assert "a remap that repeats a right mapping confirms it: with voiceprints on, the pair's later recordings are " \
           "then matched by voice" in err


def test_report_programme_says_the_swapped_voices_on_the_console(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sessionscope.cli import cli
    from sessionscope.model.serialize import write_session_json

    out = tmp_path / "out"
    for s in _tie(out / "voiceprints")[:3]:  # s3 (Boris first) against s1, s2
        write_session_json(s, out / s.id / "session.json")
    r = CliRunner().invoke(cli, ["report", "programme", str(out), "--out", str(tmp_path / "dash"), "--no-workbook"])
    assert r.exit_code == 0, r.output
    # before, only programme.md and the dashboard said it: the console showed the counts alone
    assert "note: Session s3: its speakers were matched to the participants by a guess, and its two voices look " \
           "swapped relative to the pair's sessions s1, s2" in " ".join(r.output.split())


# --- remap says why it updated no voiceprints ------------------------------------------------------------------

def test_remap_says_why_no_voiceprint_was_updated(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sessionscope.cli import cli
    from sessionscope.model.serialize import write_session_json

    s = _run_session("s1", 0, _voice(BORIS), _voice(ANNA), tmp_path / "elsewhere")  # its voices kept elsewhere
    labels = {pid: lab for lab, pid in s.extra["audio"]["speaker_map"].items()}
    swap = ["--speaker", f"{labels['anna']}=boris", "--speaker", f"{labels['boris']}=anna", "--format", "json"]
    prov = {"stages": ["dynamics"], "config": {}}
    write_session_json(s.evolve(pair_id=None), tmp_path / "out" / "s1" / "session.json", provenance=prov)  # `run -p`
    r = CliRunner().invoke(cli, ["remap", str(tmp_path / "out" / "s1"), *swap])
    assert r.exit_code == 0, r.output
    # README: "a remap … folds the named voices into the pair's voiceprints"; before, silence said nothing of why not
    assert "note: voiceprints not updated: the session names no pair" in r.output
    (tmp_path / "out" / "voiceprints").mkdir()
    write_session_json(s.evolve(pair_id="pair-a"), tmp_path / "out" / "s1" / "session.json", provenance=prov)
    r = CliRunner().invoke(cli, ["remap", str(tmp_path / "out" / "s1"), *swap])
    assert r.exit_code == 0 and "note: voiceprints not updated: no voices of the named speakers were kept" in r.output

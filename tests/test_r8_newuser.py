"""Round-8 new-user findings (benchmarks/newuser_r8.py), model-free.

Each test reproduces what an evaluator, a pair or a researcher saw on real inputs (QMSum ES2004a–d as
a programme, SBCSAE SBC044, the Zoom VTT with a manifest whose names do not match, a batch killed
after its first session, two Annas) and fails on the code before the fix (89c7cb8).
"""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import make_session
from sessionscope.batch import BatchItem, BatchReport, ItemResult, discover, write_batch_report
from sessionscope.cli import cli
from sessionscope.model import ActionItem, Flag, Participant, Role, Session, Utterance, write_session_json
from sessionscope.report.checklist import session_checklist
from sessionscope.report.i18n import Translator, report_language, with_names, with_text_language
from sessionscope.report.programme import build_programme, render_programme_markdown
from sessionscope.report.session_md import render_session_markdown
from sessionscope.report.tables import flag_rows

VTT = """WEBVTT

00:00:01.000 --> 00:00:03.000
Anna Smirnova: Hi Anna, I am Anna too.

00:00:03.500 --> 00:00:06.000
Anna Petrova: Nice. Could you show me how you plan your week?

00:00:06.500 --> 00:00:12.000
Anna Smirnova: Sure. Block two mornings for deep work.
"""


def test_session_json_carries_the_language_of_its_report(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "call.vtt").write_text(VTT, encoding="utf-8")
    r = CliRunner().invoke(
        cli,
        [
            "analyze",
            str(tmp_path / "in"),
            "--out",
            str(tmp_path / "out"),
            "--stages",
            "dynamics",
            "--format",
            "markdown",
            "--no-progress",
        ],
    )
    assert r.exit_code == 0, r.output
    data = json.loads((tmp_path / "out" / "call" / "session.json").read_text(encoding="utf-8"))
    assert data["language"] == "en"  # was null while the report said "en (guessed from the text)"
    assert data["extra"]["language_source"] == "text"
    assert "| en (guessed from the text) |" in (tmp_path / "out" / "call" / "summary.md").read_text(encoding="utf-8")


def test_guessed_language_is_marked_and_declared_one_is_not() -> None:
    ru = make_session([("a", 0, 1, "Давайте начнём встречу."), ("b", 1, 2, "Хорошо.")], language=None)
    settled = with_text_language(ru)
    assert settled.language == "ru" and report_language(settled) == ("ru", True)
    declared = make_session([("a", 0, 1, "Hello.")], language="en")
    assert with_text_language(declared) is declared and report_language(declared) == ("en", False)
    turns_only = make_session([("a", 0, 1, ""), ("b", 1, 2, "")], language=None)  # an RTTM: nothing to tell from
    assert with_text_language(turns_only).language is None


def test_programme_flags_name_participants_not_ids() -> None:
    parts = (
        Participant("anna", "Anna Smirnova", Role.JUNIOR),
        Participant("anna-petrova", "Anna Petrova", Role.SENIOR),
    )
    s = Session(
        id="s",
        participants=parts,
        flags=(
            Flag("one_sided", "anna-petrova gave 9 of 10 recommendations (90%)", value=0.9, threshold=0.8),
            Flag("junior_rarely_speaks", "junior anna holds 5% of the talk share", value=0.05, threshold=0.2),
        ),
    )
    messages = [r["message"] for r in flag_rows([s])]
    assert messages == [
        "Anna Petrova gave 9 of 10 recommendations (90%)",
        "junior Anna Smirnova holds 5% of the talk share",
    ]
    # one pass: the name put in is not replaced again, and "anna" does not match inside "anna-petrova"
    assert with_names("anna and anna-petrova", s) == "Anna Smirnova and Anna Petrova"


def test_share_flags_show_percentages() -> None:
    s = make_session([("a", 0, 5, "Hello there."), ("b", 5, 6, "Hi.")], roles={"a": "senior", "b": "junior"})
    s = s.evolve(
        flags=(Flag("junior_rarely_speaks", "junior b holds 5% of the talk share", value=0.05, threshold=0.2),)
    )
    md = render_session_markdown(s)
    assert "| 5 % / 20 % |" in md and "0.05 / 0.2" not in md


def _untimed(sid: str, date: str) -> Session:
    import datetime as dt

    s = make_session(
        [("pm", "We should test the remote with users."), ("mk", "Yes, I will do it by Friday.")],
        roles={"pm": "senior", "mk": "junior"},
        sid=sid,
    )
    return s.evolve(pair_id="team", date=dt.date.fromisoformat(date))


def test_untimed_programme_has_unknown_hours_not_zero(tmp_path: Path) -> None:
    prog = build_programme([_untimed("a", "2026-01-05"), _untimed("b", "2026-01-12")])
    row = prog.programme.iloc[0]
    assert row["total_hours"] is None and row["share_sessions_60min_or_more"] is None
    assert prog.pairs.iloc[0]["sessions_60min_or_more"] is None
    md = render_programme_markdown(prog)
    assert "| Hours of mentoring | n/a |" in md and "| Sessions of 60 min or more | n/a |" in md
    assert "2 sessions of 1 pair," in md and "1 pairs" not in md
    for s in (_untimed("a", "2026-01-05"), _untimed("b", "2026-01-12")):
        write_session_json(s, tmp_path / "res" / s.id / "session.json")
    r = CliRunner().invoke(
        cli,
        [
            "report",
            "programme",
            str(tmp_path / "res"),
            "--out",
            str(tmp_path / "o"),
            "--format",
            "csv",
            "--no-workbook",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "length unknown (untimed transcripts)" in r.output and "0.0 h" not in r.output
    # the same utterances in both folders: one transcript analysed twice is named, not silently counted twice
    assert "have the same utterances" in r.output


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "1 пара"), (3, "3 пары"), (5, "5 пар"), (11, "11 пар"), (21, "21 пара"), (22, "22 пары"), (112, "112 пар")],
)
def test_russian_counts_take_the_right_plural(n: int, text: str) -> None:
    assert Translator("ru").count("count_pairs", n) == text


def test_checklist_on_an_untimed_transcript_says_words_and_counts_a_stated_due() -> None:
    s = _untimed("a", "2026-01-05")
    s = s.evolve(
        metrics=None,
        action_items=(
            ActionItem(
                "x1", owner="mk", task="test the remote", utterance_id="u0002", start=None, due_text="by Friday"
            ),
        ),
    )
    from sessionscope.analysis.dynamics import compute_metrics
    from sessionscope.config import DynamicsConfig

    s = s.evolve(metrics=compute_metrics(s, DynamicsConfig()), extra={"extraction": {}})
    items = {i.item: i for i in session_checklist(s).items}
    assert items["junior_spoke_freely"].measure.startswith("junior share of words")  # no talk share is measured
    assert items["goals_owner_date"].status == "met"  # the item's due "by Friday" is shown in the report
    md = render_session_markdown(s)
    assert "junior talk share: " not in md and "junior share of words (the transcript has no times)" in md


def test_one_question_is_singular() -> None:
    s = make_session([("a", 0, 2, "Could you show me your plan?"), ("b", 2, 4, "Yes, here it is.")])
    from sessionscope.analysis.dynamics import compute_metrics
    from sessionscope.config import DynamicsConfig

    s = s.evolve(metrics=compute_metrics(s, DynamicsConfig()))
    s = s.evolve(
        metrics=dataclasses.replace(s.metrics, session={**s.metrics.session, "questions": 1, "questions_answered": 1})
    )
    md = render_session_markdown(s)
    assert "1 question was asked (1 answered)." in md and "1 questions" not in md


def test_role_other_in_russian_is_a_person() -> None:
    assert Translator("ru").role("other") == "другой участник"


def test_a_killed_batch_is_not_reported_ok(tmp_path: Path) -> None:
    item = BatchItem(tmp_path / "a.json", "a")
    rep = BatchReport(results=(ItemResult(item, "ok"),), out_dir=tmp_path, extra={"total": 4})
    body = json.loads(write_batch_report(rep).read_text(encoding="utf-8"))
    assert body["ok"] is False and body["complete"] is False and body["done"] == 1
    done = BatchReport(results=(ItemResult(item, "ok"),), out_dir=tmp_path, extra={"total": 1})
    body = json.loads(write_batch_report(done).read_text(encoding="utf-8"))
    assert body["ok"] is True and body["complete"] is True


def test_files_of_another_type_are_named_not_dropped_silently(tmp_path: Path, caplog) -> None:
    for name in ("call.vtt", "notes.pdf", "manifest.yaml", "call.wav", ".hidden.pdf"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="sessionscope.batch"):
        files = discover([tmp_path], suffixes=(".vtt",), known=(".wav",))
    assert [f.name for f in files] == ["call.vtt"]
    warned = " ".join(r.getMessage() for r in caplog.records)
    assert "notes.pdf" in warned and "1 file(s) not read" in warned
    assert "manifest.yaml" not in warned and "call.wav" not in warned and ".hidden" not in warned


def test_two_participants_with_one_first_name_stay_apart() -> None:
    from sessionscope.io import read_transcript  # noqa: F401  (the reader used by analyze)
    from sessionscope.io.manifest import apply_manifest
    from sessionscope.model.manifest import ManifestEntry

    utts = (Utterance("u1", "Anna Smirnova", "Hi Anna.", 0.0, 1.0), Utterance("u2", "Anna Petrova", "Hi.", 1.0, 2.0))
    s = Session(
        id="x",
        participants=(Participant("Anna Smirnova", "Anna Smirnova"), Participant("Anna Petrova", "Anna Petrova")),
        utterances=utts,
    )
    entry = ManifestEntry.model_validate(
        {
            "id": "x",
            "participants": [{"name": "Anna Smirnova", "role": "junior"}, {"name": "Anna Petrova", "role": "senior"}],
        }
    )
    out = apply_manifest(s, entry)
    assert {u.speaker for u in out.utterances} == {"anna-smirnova", "anna-petrova"}


def test_one_speaker_advice_fits_where_the_session_came_from() -> None:
    from sessionscope.analysis.dynamics import compute_metrics
    from sessionscope.config import DynamicsConfig
    from sessionscope.model import DataQuality

    named = make_session([("anna", 0, 2, "Hello, shall we start?")])
    named = named.evolve(metrics=compute_metrics(named, DynamicsConfig()))
    md = render_session_markdown(named)  # a one-line transcript of Anna: she has a name
    assert "Only Anna speaks in this transcript" in md and "without speaker names" not in md
    voice = named.evolve(quality=DataQuality(asr_model="base"))  # `run` found one voice: not "run it on the recording"
    md = render_session_markdown(voice)
    assert "Only one voice was found in the recording (Anna)" in md and "`sessionscope run` on the recording" not in md
    ru = voice.evolve(language="ru")
    assert "В записи найден только один голос" in render_session_markdown(ru)

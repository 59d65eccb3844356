"""Round 21 (audit of `run`'s outputs on real and call-like audio): model-free tests of the fixes.

1. a participant whose talk time carries few recognised words is named in the report's Data quality (a call
   voice whose speech was skipped kept 52 % of the talk time with 16 % of the words, and nothing said so);
2. a speaker count the diarization estimated (no participants, no --speakers) is said to be an estimate;
3. sessions whose speakers were matched by order of first speech (a guess) are marked in the programme tables,
   the programme summary and the dashboard (one reader was the junior in one session of a pair and the senior in
   the two others, under a dashboard trend that showed them as one junior).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sessionscope.batch import with_speaker_count_source
from sessionscope.config import Config
from sessionscope.model import DataQuality, Participant, Role, Session, Utterance
from sessionscope.report.dashboard import render_dashboard
from sessionscope.report.programme import build_programme, guessed_sessions, render_programme_markdown
from sessionscope.report.session_md import render_session_markdown
from sessionscope.report.tables import session_row, speakers_guessed
from sessionscope.report.view import count_estimated, sparse_words
from test_report_data import full_session


def _call(words_ann: int, *, asr: str | None = "tiny.en", talk: float = 30.0) -> Session:
    """A transcribed two-person call: Ann talks ``talk`` s with ``words_ann`` words, Bob 28 s with 63 words."""
    from sessionscope.analysis.dynamics import compute_metrics
    from sessionscope.config import DynamicsConfig

    ann = " ".join(["word"] * words_ann) or ""
    utts = (Utterance("u0001", "ann", ann, 0.0, talk), Utterance("u0002", "bob", " ".join(["said"] * 63), talk + 1, talk + 29))
    s = Session(id="call", participants=(Participant("ann", "Ann", Role.JUNIOR), Participant("bob", "Bob", Role.SENIOR)),
                utterances=utts, language="en", duration_s=talk + 30)
    s = s.evolve(metrics=compute_metrics(s, DynamicsConfig()))
    return s.evolve(quality=DataQuality(asr_model=asr, speaker_mapping_method="order"))


def test_sparse_words_named_in_data_quality() -> None:
    s = _call(12)
    assert [(n, w) for n, _t, w, _r in sparse_words(s)] == [("Ann", 12)]
    quality = render_session_markdown(s).split("## Data quality")[1]
    assert "Ann: 0:30 of talk time but only 12 recognised words (24 a minute" in quality, quality
    ru = render_session_markdown(s.evolve(language="ru")).split("## Качество данных")[1]
    assert "Ann: 0:30 речи, но распознанных слов лишь 12 (24 в минуту" in ru, ru


def test_sparse_words_not_for_ordinary_speech_short_talk_or_transcripts() -> None:
    assert sparse_words(_call(60)) == []  # 120 a minute: ordinary speech
    assert sparse_words(_call(1, talk=8.0)) == []  # 8 s of talk: too little to judge
    assert sparse_words(_call(12, asr=None)) == []  # an imported transcript's times are not the speech's
    assert "recognised words" not in render_session_markdown(_call(60))


def _unnamed(extra: dict) -> Session:
    utts = (Utterance("u0001", "SPEAKER_00", "hello there", 0.0, 3.0), Utterance("u0002", "SPEAKER_01", "hi", 3.0, 5.0))
    s = Session(id="rec", participants=(Participant("SPEAKER_00", "SPEAKER_00", Role.OTHER),
                                        Participant("SPEAKER_01", "SPEAKER_01", Role.OTHER)),
                utterances=utts, language="en", duration_s=5.0, extra=extra)
    return s.evolve(quality=DataQuality(asr_model="tiny.en"))


def test_speaker_count_source_recorded_by_run() -> None:
    audio = {"audio": {"diarization": "pyannote-seg3-local+campplus+agglomerative+overlap",
                       "speaker_mapping": {"SPEAKER_00": "none", "SPEAKER_01": "none"}}}
    cfg = Config()
    assert with_speaker_count_source(_unnamed(audio), cfg).extra["speaker_count"] == "estimated"
    fixed = cfg.model_copy(update={"diarization": cfg.diarization.model_copy(update={"min_speakers": 2,
                                                                                      "max_speakers": 2})})
    assert with_speaker_count_source(_unnamed(audio), fixed).extra["speaker_count"] == "given"  # --speakers 2
    channels = {"audio": {**audio["audio"], "diarization": "channels"}}
    assert with_speaker_count_source(_unnamed(channels), cfg).extra["speaker_count"] == "given"
    named = _unnamed(audio).evolve(quality=DataQuality(asr_model="tiny.en", speaker_mapping_method="order"))
    assert with_speaker_count_source(named, cfg).extra["speaker_count"] == "given"  # the participants' count
    transcript = _unnamed({})
    assert with_speaker_count_source(transcript, cfg) is transcript


def test_estimated_count_said_in_the_report() -> None:
    s = _unnamed({"audio": {"diarization": "x"}, "speaker_count": "estimated"})
    assert count_estimated(s)
    quality = render_session_markdown(s).split("## Data quality")[1]
    assert "The number of speakers (2) was estimated from the audio, not given" in quality, quality
    for extra in ({"audio": {"diarization": "x"}, "speaker_count": "given"}, {"audio": {"diarization": "x"}}):
        assert "was estimated" not in render_session_markdown(_unnamed(extra))  # given, or not recorded: silent


def _guessed(s: Session, method: str) -> Session:
    return s.evolve(extra={"audio": {"speaker_map": {"SPEAKER_00": "anna", "SPEAKER_01": "boris"},
                                     "speaker_mapping": {"SPEAKER_00": method, "SPEAKER_01": method}}})


def test_speakers_guessed_column() -> None:
    s = full_session()
    assert speakers_guessed(s) is None and session_row(s)["speakers_guessed"] is None  # a transcript: nothing matched
    assert speakers_guessed(_guessed(s, "order")) is True
    assert speakers_guessed(_guessed(s, "voiceprint")) is False
    assert speakers_guessed(_guessed(s, "none")) is None  # nobody named
    mixed = s.evolve(extra={"audio": {"speaker_mapping": {"SPEAKER_00": "manual", "SPEAKER_01": "order"}}})
    assert speakers_guessed(mixed) is True


def test_guessed_sessions_marked_in_programme_and_dashboard(tmp_path: Path) -> None:
    day = dt.date(2026, 3, 2)
    sessions = [_guessed(full_session(sid="s1", date=day), "order"),
                _guessed(full_session(sid="s2", date=day + dt.timedelta(days=14)), "voiceprint"),
                full_session(sid="s3", pair="pair-b", date=day)]
    prog = build_programme(sessions, encoder=None, goal_vectors=None)
    assert guessed_sessions(prog.sessions) == ["s1"]
    md = render_programme_markdown(prog)
    assert "1 of 3 sessions had its speakers matched to the participants by order of first speech (a guess)" in md
    assert md.rstrip().count("(a guess)") == 1 and "s1." in md
    html = render_dashboard(prog)
    share = f"{round(100 * sessions[0].metrics.participants['anna']['talk_share'])} % (guess)"
    assert share in html and html.count("% (guess)") == 1, share
    ru = render_programme_markdown(prog, language="ru")
    assert "1 из 3 встреч: говорящие сопоставлены с участниками по порядку первой реплики (догадка)" in ru
    clean = build_programme(sessions[1:], encoder=None, goal_vectors=None)
    assert "(a guess)" not in render_programme_markdown(clean) and "(guess)" not in render_dashboard(clean)


def test_console_says_an_estimated_count(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    from sessionscope.batch import BatchItem, BatchReport, ItemResult
    from sessionscope.cli.common import print_report

    item = BatchItem(path=tmp_path / "rec.wav", session_id="rec")
    for count, said in (("estimated", True), ("given", False)):
        s = _unnamed({"audio": {"diarization": "x"}, "speaker_count": count})
        print_report(BatchReport(results=(ItemResult(item=item, status="ok", session=s),), out_dir=tmp_path / "out"))
        err = capsys.readouterr().err
        assert "the voices are not named in rec" in err
        assert ("their number was estimated from the audio (give --speakers N" in " ".join(err.split())) == said, err


def test_guessed_roles_said_under_who_drove_the_conversation() -> None:
    s = _guessed(full_session(), "order")
    balance = render_session_markdown(s).split("## Who drove the conversation")[1].split("\n## ")[0]
    assert "Who is the junior and who the senior was guessed from the order of first speech" in balance, balance
    ru = render_session_markdown(s.evolve(language="ru")).split("## Кто вёл разговор")[1].split("\n## ")[0]
    assert "угадано по порядку первой реплики" in ru, ru
    for sure in (full_session(), _guessed(full_session(), "voiceprint")):
        assert "was guessed from the order" not in render_session_markdown(sure)


def test_speaker_count_source_kept_once_recorded() -> None:
    s = _unnamed({"audio": {"diarization": "x"}, "speaker_count": "given"})
    assert with_speaker_count_source(s, Config()) is s  # not re-guessed from another run's config

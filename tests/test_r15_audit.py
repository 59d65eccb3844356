"""Round-15 audit: a new user's end-to-end pass on real recordings and transcripts, model-free.

Each test reproduces something an evaluator saw in the outputs of ``sessionscope run`` / ``analyze`` on
the shared real material (/tmp/r15/audit_findings.md) and fails on the round-start code (0817492).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from sessionscope.inputs import prefer_best_transcript

VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nAnna: How many weeks is your class?\n"


def test_named_input_skipped_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """`analyze X.transcript.vtt X.cc.vtt` printed "1 of 1 sessions written": the named caption file was
    dropped with an INFO line nobody sees. Named on the command line, its skip is a warning; found in a
    folder, it stays a quiet note (a corpus folder holds X.rttm beside every X.stm)."""
    best, cc = tmp_path / "m.transcript.vtt", tmp_path / "m.cc.vtt"
    for f in (best, cc):
        f.write_text(VTT, encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="sessionscope"):
        assert prefer_best_transcript([best, cc], named=[str(best), str(cc)]) == [best]
    warned = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and "m.cc.vtt" in warned[0].getMessage() and "skipped" in warned[0].getMessage()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="sessionscope"):
        assert prefer_best_transcript([best, cc], named=[str(tmp_path)]) == [best]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert any("m.cc.vtt" in r.getMessage() for r in caplog.records)

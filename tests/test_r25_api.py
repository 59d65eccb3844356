"""Round 25: ``process_batch(kind="run")`` takes what ``sessionscope run`` takes for a batch (model-free)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import sessionscope as ss
from sessionscope.errors import ConfigError


def test_speakers_and_no_cache_reach_the_run_spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def fake_run_batch(items: Any, spec: Any, out: Any, **_: Any) -> str:
        seen.update(spec=spec, items=list(items))
        return "report"

    monkeypatch.setattr("sessionscope.batch.run_batch", fake_run_batch)
    rec = tmp_path / "call.wav"
    rec.write_bytes(b"RIFF")
    assert ss.process_batch(rec, out=tmp_path / "o", kind="run", speakers=2, no_cache=True) == "report"
    spec = seen["spec"]
    assert spec.speakers == 2 and spec.no_cache
    assert spec.config.diarization.min_speakers == spec.config.diarization.max_speakers == 2


@pytest.mark.parametrize("bad", [0, 21, 2.0, "2", True])
def test_a_bad_speaker_count_is_refused_before_any_input(tmp_path: Path, bad: object) -> None:
    with pytest.raises(ConfigError, match="speakers must be"):
        ss.process_batch(tmp_path, out=tmp_path / "o", kind="run", speakers=bad)  # type: ignore[arg-type]


def test_speakers_are_for_recordings(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="kind='run'"):
        ss.process_batch(tmp_path, out=tmp_path / "o", speakers=2)
    with pytest.raises(ConfigError, match="kind='run'"):
        ss.process_batch(tmp_path, out=tmp_path / "o", no_cache=True)

"""Round-15 second audit: a new user's pass on configuration, manifests, programme inputs, the API and the
research tables (/tmp/r15/audit2_findings.md). Each test fails on the round-start code (0817492)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sessionscope.cli import cli


def test_config_check_refuses_an_unknown_stage(tmp_path: Path) -> None:
    """`config check` said "OK" for `pipeline.stages: [dynamics, topic]`, which `analyze` then refused."""
    cfg = tmp_path / "c.yaml"
    cfg.write_text("pipeline:\n  stages: [dynamics, topic]\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["config", "check", str(cfg)])
    assert result.exit_code == 1
    assert "unknown stage 'topic'" in result.output and "topics" in result.output
    cfg.write_text("pipeline:\n  stages: [dynamics, topics]\n", encoding="utf-8")
    assert CliRunner().invoke(cli, ["config", "check", str(cfg)]).exit_code == 0


def test_config_min_speakers_above_max_is_an_error() -> None:
    """`diarization: {min_speakers: 5, max_speakers: 2}` passed `config check`; the run then forced 5 speakers
    (audio/pipeline.py takes max(min, max)) without a word."""
    import pytest

    from sessionscope.config import config_from_dict
    from sessionscope.errors import ConfigError

    with pytest.raises(ConfigError) as e:
        config_from_dict({"diarization": {"min_speakers": 5, "max_speakers": 2}}, source="my.yaml")
    text = str(e.value)
    assert "diarization" in text and "min_speakers (5) is above max_speakers (2)" in text and "my.yaml" in text
    assert config_from_dict({"diarization": {"min_speakers": 2, "max_speakers": 2}}).diarization.max_speakers == 2


def test_cuda_on_a_machine_without_it_says_what_to_set(monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    """`asr.device: cuda` on a CPU machine failed with ctranslate2's "CUDA driver version is insufficient for
    CUDA runtime version": true, but it does not say which setting to change."""
    import sys
    import types

    import pytest

    from sessionscope import models
    from sessionscope.errors import ModelError

    class Boom:
        def __init__(self, *a: object, **k: object) -> None:
            raise RuntimeError("CUDA failed with error CUDA driver version is insufficient for CUDA runtime version")

    monkeypatch.setitem(sys.modules, "faster_whisper", types.SimpleNamespace(WhisperModel=Boom))
    monkeypatch.setattr(models, "resolve_whisper", lambda name, allow_download=False: str(tmp_path))
    models.load_whisper.cache_clear()
    try:
        with pytest.raises(ModelError) as e:
            models.load_whisper("base", device="cuda")
    finally:
        models.load_whisper.cache_clear()
    assert "asr.device" in str(e.value) and "auto" in str(e.value) and "cpu" in str(e.value)

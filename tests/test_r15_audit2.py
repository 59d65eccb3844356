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

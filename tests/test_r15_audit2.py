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


def test_an_input_no_manifest_session_matches_is_said(tmp_path: Path) -> None:
    """A typo in a manifest's `file:` (SBC099.stm for SBC009.stm): `analyze SBC009.stm --manifest m.yaml` wrote
    the session without pair, date or roles, exit 0, not a word on the console or in the report."""
    import json

    vtt = tmp_path / "s09.vtt"
    vtt.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Kathy>How many weeks is your class?\n\n"
                   "00:00:05.000 --> 00:00:08.000\n<v Nathan>Ten weeks, I think.\n", encoding="utf-8")
    man = tmp_path / "m.yaml"
    man.write_text("sessions:\n  - id: kn-1\n    pair: kathy-nathan\n    file: s99.vtt\n    participants:\n"
                   "      - {name: Kathy, role: junior}\n      - {name: Nathan, role: senior}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["analyze", str(vtt), "--manifest", str(man), "--out", str(out),
                                      "--stages", "dynamics"])
    assert "no session of the manifest" in result.output
    notes = json.loads((out / "s09" / "session.json").read_text(encoding="utf-8"))["quality"]["notes"]
    assert any("no session of the manifest matches this file" in n for n in notes)
    man.write_text(man.read_text(encoding="utf-8").replace("s99.vtt", "s09.vtt"), encoding="utf-8")
    out2 = tmp_path / "out2"
    result = CliRunner().invoke(cli, ["analyze", str(vtt), "--manifest", str(man), "--out", str(out2),
                                      "--stages", "dynamics"])
    assert result.exit_code == 0 and "no session of the manifest" not in result.output
    notes = json.loads((out2 / "kn-1" / "session.json").read_text(encoding="utf-8"))["quality"]["notes"]
    assert not any("no session of the manifest" in n for n in notes)


def test_frames_keep_a_measure_unavailable_for_every_participant(tmp_path: Path) -> None:
    """README's notebook line `frames["participant_metrics"][[..., "interruptions_made"]]` raised KeyError on a Zoom VTT
    (the README's own example input): interruptions are null for cue files under the overlap rule (the default until
    round 51: the cut-off model counts them now), and pandas' pivot_table dropped the column."""

    import sessionscope as ss

    vtt = tmp_path / "m.transcript.vtt"
    vtt.write_text("WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nAnna Lee: How many weeks is your class?\n\n"
                   "2\n00:00:05.000 --> 00:00:08.000\nBoris Ivanov: Ten weeks, I think.\n", encoding="utf-8")
    session = ss.analyze(vtt, participants={"Anna Lee": "junior", "Boris Ivanov": "senior"}, stages=["dynamics"],
                         config={"dynamics": {"interruptions": "overlap"}})
    frames = ss.frames(session)
    long = frames["metrics"]
    assert long[long["metric"] == "interruptions_made"]["value"].isna().all()  # unavailable, not zero
    cols = frames["participant_metrics"][["name", "role", "talk_share", "turns", "questions_asked", "interruptions_made"]]
    # null (pandas NA of the integer column since round 16: counts are integers), not zero
    assert len(cols) == 2 and cols["interruptions_made"].isna().all()
    assert "interruptions" in frames["session_metrics"].columns


def test_a_failed_input_is_shown_once_with_worker_processes(tmp_path: Path, capfd) -> None:  # noqa: ANN001
    """`analyze folder --workers 2` (and `--engine ray`) with a broken file: the reason was printed by the worker
    process (its stderr reaches the console) and again in the closing list; c04f1ae fixed only the in-process batch."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "ok.vtt").write_text("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Anna>How many weeks is it?\n",
                                encoding="utf-8")
    (src / "broken.vtt").write_text("WEBVTT\n\n00:00:05.000 --> 00:00:01.000\n<v Anna>backwards\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["analyze", str(src), "--out", str(tmp_path / "out"), "--stages", "dynamics",
                                      "--workers", "2"])
    captured = capfd.readouterr()
    shown = result.output + captured.out + captured.err
    assert result.exit_code == 1
    assert shown.count("cue ends (00:00:01.000) before it starts") == 1, shown


def test_an_impossible_manifest_date_names_its_line(tmp_path: Path) -> None:
    """`date: 2026-02-30` in a YAML manifest gave "invalid YAML value: day is out of range for month": which session?
    (PyYAML builds dates before validation and names no line.)"""
    import pytest

    from sessionscope.errors import ManifestError
    from sessionscope.io.manifest import load_manifest

    m = tmp_path / "m.yaml"
    m.write_text("sessions:\n  - id: s1\n    date: 2026-02-03\n    file: a.vtt\n  - id: s2\n    date: 2026-02-30\n"
                 "    file: b.vtt\n", encoding="utf-8")
    with pytest.raises(ManifestError) as e:
        load_manifest(m)
    assert "line 6" in str(e.value) and "2026-02-30" in str(e.value) and "day is out of range" in str(e.value)


def test_csv_manifest_errors_name_the_spreadsheet_row(tmp_path: Path) -> None:
    """A CSV manifest's errors said "sessions[1] (id 's09').date: …" and "sessions[1]: session id … already used by
    sessions[0]": YAML positions a spreadsheet user cannot find. They name the row now (the header is row 1)."""
    import pytest

    from sessionscope.errors import ManifestError
    from sessionscope.io.manifest import load_manifest

    m = tmp_path / "m.csv"
    m.write_text("id,pair,date,file,junior,senior\ns01,kn,2026-02-03,a.vtt,Kathy,Nathan\n"
                 "s09,kn,2026-13-10,b.vtt,Kathy,Nathan\n", encoding="utf-8")
    with pytest.raises(ManifestError) as e:
        load_manifest(m)
    assert "row 3 (id 's09').date" in str(e.value) and "sessions[" not in str(e.value)
    m.write_text("id,pair,date,file,junior,senior\ns01,kn,2026-02-03,a.vtt,Kathy,Nathan\n"
                 "s01,kn,2026-02-10,b.vtt,Kathy,Nathan\n", encoding="utf-8")
    with pytest.raises(ManifestError) as e:
        load_manifest(m)
    assert "row 3: session id 's01' is already used by row 2" in str(e.value)


def test_a_missing_model_file_in_the_config_stops_before_any_input(tmp_path: Path) -> None:
    """`extraction: {classifier: /nonexistent/clf.npz}`: `config check` said OK, `analyze` wrote every session as
    'partial' (extraction failed in each), exit 1. Now both refuse it up front, naming the setting; nothing is written.
    Same for an unknown output format in `config check` (analyze already refused it)."""
    vtt = tmp_path / "s.vtt"
    vtt.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Anna>How many weeks is it?\n", encoding="utf-8")
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"extraction:\n  classifier: {tmp_path / 'missing.npz'}\n", encoding="utf-8")
    check = CliRunner().invoke(cli, ["config", "check", str(cfg)])
    assert check.exit_code == 1 and "extraction.classifier" in check.output and "missing.npz" in check.output
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["analyze", str(vtt), "--config", str(cfg), "--out", str(out)])
    assert result.exit_code == 1 and "extraction.classifier" in result.output
    assert not (out / "s").exists()
    cfg.write_text("report:\n  formats: [json, pdf]\n", encoding="utf-8")
    check = CliRunner().invoke(cli, ["config", "check", str(cfg)])
    assert check.exit_code == 1 and "pdf" in check.output
    cfg.write_text("extraction:\n  classifier: none\ntopics:\n  head: bundled\n", encoding="utf-8")
    assert CliRunner().invoke(cli, ["config", "check", str(cfg)]).exit_code == 0


def test_a_baseline_share_outside_0_1_is_listed_not_compared(tmp_path: Path) -> None:
    """baseline.csv `junior talk share,140%` (or `45` meaning 45 %) was taken as a share of 1.4: the dashboard showed
    "before 1.4 → now 0.32, worse". A share outside 0–1 is now an input issue naming the row; 0.45 and 45 % still read."""
    from sessionscope.report.baseline import read_baseline

    f = tmp_path / "before.csv"
    f.write_text("measure,value\njunior talk share,140%\nproblems solved share,45\ngoals done share,45 %\n"
                 "session minutes,35\n", encoding="utf-8")
    rows, issues = read_baseline(f)
    assert [(r.measure, r.before) for r in rows] == [("goals done share", 0.45), ("session minutes", 35.0)]
    assert [(i.row, "not a share" in i.message) for i in issues] == [(2, True), (3, True)]

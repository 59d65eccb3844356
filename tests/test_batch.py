"""The batch runner: isolation of failures, atomic outputs, resume keys, stage outcomes, locks (fake loaders)."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys

import pytest

from helpers import make_session
from sessionscope.batch import BatchItem, discover, make_items, process_item, run_batch
from sessionscope.config import Config
from sessionscope.errors import InputError, ModelError
from sessionscope.fileio import DirLock, safe_output_path
from sessionscope.runspec import build_run_spec

CALLS: list[str] = []


def _files(tmp_path, n=3):
    files = []
    for i in range(n):
        f = tmp_path / "in" / f"s{i}.txt"
        f.parent.mkdir(exist_ok=True)
        f.write_text(f"content {i}", encoding="utf-8")
        files.append(f)
    return files


def fake_load(item, spec, hook=None):
    """A loader of hand-made sessions; ``bad*`` files raise an input error, ``crash*`` a bug."""
    CALLS.append(item.path.name)
    if item.path.name.startswith("bad"):
        raise InputError("broken on purpose", path=item.path)
    if item.path.name.startswith("crash"):
        raise RuntimeError("boom")
    return make_session([("a", 0, 1, "hello"), ("b", 1, 2, "hi there")], sid=item.session_id)


def _spec(stages=("dynamics",), config=None, **kw):
    spec = build_run_spec("analyze", config=config or Config(), stages=list(stages), formats=("markdown",), **kw)
    from dataclasses import replace

    return replace(spec, loader=fake_load)


@pytest.fixture(autouse=True)
def _clear_calls():
    CALLS.clear()


def test_failure_isolated_and_reported(tmp_path):
    files = _files(tmp_path)
    crash = tmp_path / "in" / "crash.txt"
    crash.write_text("x", encoding="utf-8")
    bad = tmp_path / "in" / "bad.txt"
    bad.write_text("x", encoding="utf-8")
    missing = tmp_path / "in" / "missing.vtt"
    items = make_items(discover([*files, bad, crash, missing], suffixes=[".txt"]))
    rep = run_batch(items, _spec(), tmp_path / "out")
    assert not rep.ok
    assert [r.status for r in rep.results] == ["ok", "ok", "ok", "failed", "failed", "failed"]
    assert "broken on purpose" in rep.results[3].error
    assert "internal error: RuntimeError: boom" in rep.results[4].error
    assert "No such file" in rep.results[5].error
    assert (tmp_path / "out" / "s2" / "session.json").is_file()
    assert not (tmp_path / "out" / "bad").exists()
    batch = json.loads((tmp_path / "out" / "batch.json").read_text())
    assert batch["failed"] == 3 and batch["total"] == 6 and batch["done"] == 6
    assert not list((tmp_path / "out").rglob("*.tmp"))
    assert not list((tmp_path / "out").rglob(DirLock.NAME))  # locks released


def test_resume_key_covers_participants_language_speakers_and_config(tmp_path):
    files = _files(tmp_path)
    out = tmp_path / "out"
    first = run_batch(make_items(files), _spec(), out)
    assert [r.status for r in first.results] == ["ok"] * 3
    files[0].write_text("changed", encoding="utf-8")
    (out / "s2" / "session.json").unlink()  # as if killed before writing
    CALLS.clear()
    rep = run_batch(make_items(files), _spec(), out)
    assert [r.status for r in rep.results] == ["ok", "resumed", "ok"]
    assert CALLS == ["s0.txt", "s2.txt"]
    assert rep.results[1].session is not None and rep.results[1].session.metrics is not None
    variants = [
        {"config": Config.model_validate({"dynamics": {"turn_merge_gap_s": 3}})},
        {"participants": ["Anna=junior", "Boris=senior"]},
        {"participants": ["Anna=senior", "Boris=junior"]},  # corrected roles must not "resume"
        {"participants": ["Anna=senior", "Boris=junior"], "language": "ru"},
        {"participants": ["Anna=senior", "Boris=junior"], "language": "ru", "speakers": 3},
    ]
    for kw in variants:
        CALLS.clear()
        rep = run_batch(make_items(files), _spec(**kw), out)
        assert [r.status for r in rep.results] == ["ok"] * 3, kw
        assert len(CALLS) == 3, kw
    prov = json.loads((out / "s0" / "session.json").read_text())["provenance"]
    assert prov["run_spec"]["language"] == "ru" and prov["run_spec"]["speakers"] == 3
    assert [p["role"] for p in prov["run_spec"]["default_entry"]["participants"]] == ["senior", "junior"]
    assert prov["versions"]["libraries"]["python"] and "topic_head" in prov["versions"]["models"]
    assert prov["config"]["diarization"]["max_speakers"] == 3  # the config used is the config recorded


class _FailingStage:
    name = "topics"
    requires = ("utterances",)
    assigns = ("topics",)

    def __call__(self, session, *, hook=None):
        raise RuntimeError("topic model exploded")


def test_failed_stage_makes_session_partial_and_is_recorded(tmp_path):
    from sessionscope.analysis.dynamics import DynamicsStage
    from sessionscope.pipeline import StagePlan

    spec = _spec()
    plan = StagePlan(stages=(DynamicsStage(), _FailingStage()), not_run=(("flow", "not requested"),))
    from sessionscope import runspec

    runspec._PLANS[runspec._config_key(spec.config)] = plan
    try:
        rep = run_batch(make_items(_files(tmp_path, 1)), spec, tmp_path / "out")
    finally:
        runspec._PLANS.clear()
    (r,) = rep.results
    assert r.status == "partial" and "topic model exploded" in r.error
    assert not rep.ok  # written, but not a success: exit code 1
    runs = {x.name: x for x in r.session.provenance.stage_runs}
    assert runs["dynamics"].status == "ok" and runs["topics"].status == "failed"
    assert "RuntimeError: topic model exploded" in runs["topics"].reason
    assert runs["flow"].status == "skipped" and runs["flow"].reason == "not requested"
    batch = json.loads((tmp_path / "out" / "batch.json").read_text())
    assert batch["partial"] == 1 and batch["results"][0]["status"] == "partial"
    saved = json.loads((tmp_path / "out" / "s0" / "session.json").read_text())
    assert {x["name"]: x["status"] for x in saved["provenance"]["stage_runs"]}["topics"] == "failed"
    # the stage works again (a transient crash): the rerun retries the session instead of resuming it
    CALLS.clear()
    rep = run_batch(make_items(_files(tmp_path, 1)), spec, tmp_path / "out")
    assert [r.status for r in rep.results] == ["ok"] and CALLS == ["s0.txt"] and rep.ok


def test_stages_dynamics_records_the_others_as_not_requested(tmp_path):
    rep = run_batch(make_items(_files(tmp_path, 1)), _spec(stages=("dynamics",)), tmp_path / "out")
    runs = {x.name: (x.status, x.reason) for x in rep.results[0].session.provenance.stage_runs}
    assert runs == {"dynamics": ("ok", None), "topics": ("skipped", "not requested"),
                    "extraction": ("skipped", "not requested"), "flow": ("skipped", "not requested")}


class _NeedsPackage:
    """A stage whose optional package is missing: the ModelError wraps an ImportError."""

    name = "extraction"
    requires = ("utterances",)
    assigns = ()

    @classmethod
    def from_config(cls, config):
        try:
            import sessionscope_no_such_package  # noqa: F401
        except ImportError as e:
            raise ModelError("needs sessionscope_no_such_package: pip install 'sessionscope[nlp]'") from e

    def __call__(self, session, *, hook=None):  # pragma: no cover - never built
        return session


def test_skip_unavailable_catches_model_error_of_a_missing_package(monkeypatch):
    from sessionscope import pipeline

    monkeypatch.setitem(pipeline.STAGES, "extraction", f"{__name__}:_NeedsPackage")
    plan = pipeline.build_stages(Config(), ["dynamics", "extraction"])
    assert plan.names == ["dynamics"]
    s = pipeline.run_stages(make_session([("a", 0, 1, "hi"), ("b", 1, 2, "yes")]), plan)
    run = s.provenance.outcome("extraction")
    assert run.status == "skipped" and run.reason.startswith("not installed:")
    strict = Config.model_validate({"pipeline": {"skip_unavailable": False}})
    with pytest.raises(ModelError):
        pipeline.build_stages(strict, ["dynamics", "extraction"])


def test_batch_json_is_written_after_every_input(tmp_path):
    seen = []

    def load_and_look(item, spec, hook=None):
        path = tmp_path / "out" / "batch.json"
        seen.append(json.loads(path.read_text())["done"] if path.exists() else None)
        return fake_load(item, spec)

    from dataclasses import replace

    spec = replace(_spec(), loader=load_and_look)
    run_batch(make_items(_files(tmp_path)), spec, tmp_path / "out")
    assert seen == [None, 1, 2]


def test_full_disk_is_a_clear_per_file_error(tmp_path, monkeypatch):
    from sessionscope import batch

    def no_space(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "out" / "x"))

    monkeypatch.setattr(batch, "write_session_json", no_space)
    rep = run_batch(make_items(_files(tmp_path, 2)), _spec(), tmp_path / "out")
    assert [r.status for r in rep.results] == ["failed", "failed"]
    assert all("no space left on device" in r.error for r in rep.results)
    monkeypatch.setattr(batch, "atomic_write_text", no_space)  # batch.json cannot be written either
    rep = run_batch(make_items(_files(tmp_path, 2)), _spec(), tmp_path / "out")
    assert "no space left" in rep.extra["batch_json_error"]


def test_two_batches_do_not_process_the_same_session(tmp_path):
    files = _files(tmp_path, 2)
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (out / "s0").mkdir(parents=True)
        (out / "s0" / DirLock.NAME).write_text(f"{holder.pid} {os.uname().nodename}\n")
        rep = run_batch(make_items(files), _spec(), out)
        assert [r.status for r in rep.results] == ["busy", "ok"]
        assert str(holder.pid) in rep.results[0].error and rep.ok
        assert CALLS == ["s1.txt"]
    finally:
        holder.kill()
        holder.wait()
    # the holder is gone: its lock is stale and taken over
    rep = run_batch(make_items(files), _spec(), out)
    assert [r.status for r in rep.results] == ["ok", "resumed"]


def test_session_ids_cannot_leave_the_output_folder(tmp_path):
    for bad in ("../x", "/abs/path", "..", "a/b", "a\\b", ""):
        with pytest.raises(InputError):
            safe_output_path(tmp_path, bad)
    assert safe_output_path(tmp_path, "s01") == tmp_path / "s01"
    item = BatchItem(path=_files(tmp_path, 1)[0], session_id="../../escape")
    r = process_item(item, _spec(), tmp_path / "out")
    assert r.status == "failed" and "unsafe output name" in r.error
    assert not (tmp_path / "escape").exists()


def test_transcript_size_checked_before_reading(tmp_path, monkeypatch):
    from pathlib import Path

    from sessionscope import inputs

    monkeypatch.setattr(inputs, "MAX_TRANSCRIPT_BYTES", 4)
    big = tmp_path / "big.vtt"
    big.write_text("WEBVTT\n\n", encoding="utf-8")

    def no_read(self, *a, **k):  # pragma: no cover - must not be reached
        raise AssertionError("read before the size check")

    monkeypatch.setattr(Path, "read_bytes", no_read)
    spec = build_run_spec("analyze", config=Config(), stages=["dynamics"])
    with pytest.raises(InputError, match="larger than"):
        inputs.load_transcript_item(BatchItem(path=big, session_id="big"), spec)


def test_discover_and_unique_ids(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.vtt").write_text("WEBVTT", encoding="utf-8")
    (tmp_path / "b" / "x.vtt").write_text("WEBVTT", encoding="utf-8")
    (tmp_path / "b" / "notes.pdf").write_text("", encoding="utf-8")
    (tmp_path / "b" / ".hidden.vtt").write_text("", encoding="utf-8")
    found = discover([tmp_path], suffixes=[".vtt"])
    assert [f.relative_to(tmp_path).as_posix() for f in found] == ["a/x.vtt", "b/x.vtt"]
    ids = [i.session_id for i in make_items(found)]
    assert ids == ["x", "b-x"]
    explicit = discover([tmp_path / "b" / "notes.pdf"], suffixes=[".vtt"])
    assert explicit == [tmp_path / "b" / "notes.pdf"]  # named explicitly: kept, reported later if bad
    assert discover([tmp_path / "missing"], suffixes=[".vtt"]) == [tmp_path / "missing"]  # reported per file


def test_spec_and_results_pickle(tmp_path):
    import pickle

    spec = _spec(participants=["Anna=junior"])
    assert pickle.loads(pickle.dumps(spec)).digest() == spec.digest()
    r = process_item(make_items(_files(tmp_path, 1))[0], spec, tmp_path / "out")
    assert pickle.loads(pickle.dumps(r)).session == r.session


def _fake_transcribe(path, *, config, entry=None, hook=None, session_id=None, language=None, voiceprint_dir=None,
                     **kw):
    from dataclasses import replace

    s = make_session([("SPEAKER_00", 0, 1, "hello there"), ("SPEAKER_01", 1, 2, "hi, how are you")],
                     sid=session_id or "x")
    ids = [p.participant_id for p in entry.participants] if entry else ["SPEAKER_00", "SPEAKER_01"]
    utts = tuple(replace(u, speaker=ids[i % 2]) for i, u in enumerate(s.utterances))
    from sessionscope.model import Participant

    people = tuple(Participant(pid, pid.title()) for pid in ids)
    _fake_transcribe.kwargs = kw
    return s.evolve(utterances=utts, participants=people, language=language,
                    extra={"audio": {"utterance_labels": ["SPEAKER_00", "SPEAKER_01"],
                                     "speaker_map": {"SPEAKER_00": ids[0], "SPEAKER_01": ids[1]}}})


def test_run_keeps_planned_topics_and_notes_and_passes_no_cache(tmp_path, monkeypatch):
    from sessionscope.audio import pipeline as audio_pipeline
    from sessionscope.inputs import load_recording_item
    from sessionscope.io.manifest import load_manifest

    monkeypatch.setattr(audio_pipeline, "transcribe_file", _fake_transcribe)
    m = tmp_path / "m.yaml"
    m.write_text("sessions:\n- id: s01\n  file: s01.wav\n  topics_planned: [tools, time]\n  notes: first meeting\n"
                 "  participants: [{name: Anna, role: junior}, {name: Boris, role: senior}]\n", encoding="utf-8")
    (tmp_path / "s01.wav").write_bytes(b"RIFF")
    manifest = load_manifest(m)
    spec = build_run_spec("run", config=Config(), manifest_path=m, no_cache=True)
    item = make_items([tmp_path / "s01.wav"], manifest=manifest)[0]
    s = load_recording_item(item, spec)
    assert s.id == "s01" and s.extra["topics_planned"] == ["tools", "time"] and s.extra["manifest_notes"] == "first meeting"
    assert _fake_transcribe.kwargs == {"no_cache": True}


def test_api_run_and_remap(tmp_path, monkeypatch):
    import sessionscope as ss
    from sessionscope.audio import pipeline as audio_pipeline

    monkeypatch.setattr(audio_pipeline, "transcribe_file", _fake_transcribe)
    wav = tmp_path / "call.wav"
    wav.write_bytes(b"RIFF")
    s = ss.run(wav, participants={"Anna": "junior", "Boris": "senior"}, stages=["dynamics"])
    assert [u.speaker for u in s.utterances] == ["anna", "boris"] and s.provenance.ran("dynamics")
    swapped = ss.remap(s, {"SPEAKER_00": "boris", "SPEAKER_01": "anna"}, stages=["dynamics"])
    assert [u.speaker for u in swapped.utterances] == ["boris", "anna"]
    assert [r.name for r in swapped.provenance.stage_runs].count("dynamics") == 1  # old outcomes replaced
    assert swapped.metrics.participants["boris"]["word_count"] == 2


def test_flow_without_extraction_says_so():
    from sessionscope import pipeline

    plan = pipeline.build_stages(Config(), ["dynamics", "flow"])
    s = pipeline.run_stages(make_session([("a", 0, 1, "hi"), ("b", 1, 2, "yes")]), plan)
    flow = s.provenance.outcome("flow")
    assert flow.status == "ok" and "without extraction (skipped: not requested)" in flow.reason


def test_lock_of_a_reused_pid_is_stale(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock = tmp_path / "s" / DirLock.NAME
        lock.parent.mkdir()
        lock.write_text(f"{holder.pid} {os.uname().nodename}\n")
        os.utime(lock, (lock.stat().st_atime - 3600, lock.stat().st_mtime - 3600))  # written before it started
        with DirLock(tmp_path / "s"):
            assert lock.read_text().split()[0] == str(os.getpid())
    finally:
        holder.kill()
        holder.wait()


def test_resume_key_covers_the_package_code(tmp_path, monkeypatch):
    import sessionscope.batch as batch_mod

    files = _files(tmp_path)
    out = tmp_path / "out"
    assert [r.status for r in run_batch(make_items(files), _spec(), out).results] == ["ok"] * 3
    assert [r.status for r in run_batch(make_items(files), _spec(), out).results] == ["resumed"] * 3
    monkeypatch.setattr(batch_mod, "code_digest", lambda: "other-code")  # e.g. a retrained head, same version
    CALLS.clear()
    assert [r.status for r in run_batch(make_items(files), _spec(), out).results] == ["ok"] * 3
    assert len(CALLS) == 3


def test_code_digest_follows_source_and_resources_not_bytecode(tmp_path):
    from sessionscope._version import code_digest

    pkg = tmp_path / "pkg"
    (pkg / "resources").mkdir(parents=True)
    (pkg / "mod.py").write_text("x = 1\n", encoding="utf-8")
    (pkg / "resources" / "head.npz").write_bytes(b"\x00\x01")
    first = code_digest(str(pkg))
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"compiled")
    code_digest.cache_clear()
    assert code_digest(str(pkg)) == first
    (pkg / "resources" / "head.npz").write_bytes(b"\x00\x02")
    code_digest.cache_clear()
    assert code_digest(str(pkg)) != first
    assert len(first) == 16 and code_digest() == code_digest()  # the installed package: stable within a process


def test_a_missing_input_is_logged_once(tmp_path, caplog):
    """A path that does not exist is one failed row and one log line, not a discovery warning and then the failure."""
    import logging

    missing = tmp_path / "in" / "missing.txt"
    with caplog.at_level(logging.DEBUG, logger="sessionscope"):
        rep = run_batch(make_items(discover([missing], suffixes=[".txt"])), _spec(), tmp_path / "out")
    assert [r.status for r in rep.results] == ["failed"]
    said = [r for r in caplog.records if "missing.txt" in r.getMessage() and r.levelno >= logging.WARNING]
    assert len(said) == 1 and "No such file" in said[0].getMessage()

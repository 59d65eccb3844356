"""The batch runner: isolation of failures, atomic outputs, resume (with fake loaders)."""

from __future__ import annotations

import json

from helpers import make_session
from sessionscope.analysis.dynamics import DynamicsStage
from sessionscope.batch import discover, make_items, run_batch
from sessionscope.config import Config
from sessionscope.errors import InputError


def _files(tmp_path, n=3):
    files = []
    for i in range(n):
        f = tmp_path / "in" / f"s{i}.txt"
        f.parent.mkdir(exist_ok=True)
        f.write_text(f"content {i}", encoding="utf-8")
        files.append(f)
    return files


def _loader(bad=()):
    calls = []

    def load(item):
        calls.append(item.path.name)
        if item.path.name in bad:
            raise InputError("broken on purpose", path=item.path)
        if item.path.name == "crash.txt":
            raise RuntimeError("boom")
        return make_session([("a", 0, 1, "hello"), ("b", 1, 2, "hi there")], sid=item.session_id)

    load.calls = calls
    return load


def test_failure_isolated_and_reported(tmp_path):
    files = _files(tmp_path)
    crash = tmp_path / "in" / "crash.txt"
    crash.write_text("x", encoding="utf-8")
    items = make_items([*files, crash])
    load = _loader(bad={"s1.txt"})
    rep = run_batch(items, load=load, stages=[DynamicsStage()], config=Config(), out_dir=tmp_path / "out")
    assert not rep.ok
    assert [r.status for r in rep.results] == ["ok", "failed", "ok", "failed"]
    assert "broken on purpose" in rep.results[1].error
    assert "internal error: RuntimeError: boom" in rep.results[3].error
    assert (tmp_path / "out" / "s0" / "session.json").is_file()
    assert (tmp_path / "out" / "s2" / "session.json").is_file()
    assert not (tmp_path / "out" / "s1").exists()
    batch = json.loads((tmp_path / "out" / "batch.json").read_text())
    assert batch["failed"] == 2 and batch["total"] == 4
    assert not list((tmp_path / "out").rglob("*.tmp"))


def test_resume_skips_done_and_redoes_changed(tmp_path):
    files = _files(tmp_path)
    items = make_items(files)
    run_batch(items, load=_loader(), stages=[DynamicsStage()], config=Config(), out_dir=tmp_path / "out")
    files[0].write_text("changed", encoding="utf-8")
    (tmp_path / "out" / "s2" / "session.json").unlink()  # as if killed before writing
    load = _loader()
    rep = run_batch(make_items(files), load=load, stages=[DynamicsStage()], config=Config(), out_dir=tmp_path / "out")
    assert [r.status for r in rep.results] == ["ok", "resumed", "ok"]
    assert load.calls == ["s0.txt", "s2.txt"]
    assert rep.results[1].session is not None and rep.results[1].session.metrics is not None
    # a config change redoes everything
    cfg = Config.model_validate({"dynamics": {"turn_merge_gap_s": 3}})
    load = _loader()
    run_batch(make_items(files), load=load, stages=[DynamicsStage()], config=cfg, out_dir=tmp_path / "out")
    assert len(load.calls) == 3


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
    try:
        discover([tmp_path / "missing"], suffixes=[".vtt"])
    except InputError as e:
        assert "no such file" in str(e)
    else:  # pragma: no cover
        raise AssertionError("missing path must raise")

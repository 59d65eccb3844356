"""Engines: the local engine with worker processes gives the in-process results; worker deaths are retried, bounded."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sessionscope.batch import lost_item, make_items, process_item, run_batch
from sessionscope.config import Config
from sessionscope.engines import EngineError, LocalEngine, drive, engine_for, make_engine
from sessionscope.runspec import build_run_spec

ROOT = Path(__file__).resolve().parents[1]

VTT = """WEBVTT

00:00:00.000 --> 00:00:04.000
<v Anna>Could you show me how the deploy pipeline works?

00:00:04.500 --> 00:00:11.000
<v Boris>Sure. First run the tests, then tag the release and push the tag.

00:00:11.500 --> 00:00:14.000
<v Anna>What happens if a test fails?

00:00:14.500 --> 00:00:20.000
<v Boris>The pipeline stops; fix it and push again. I will send you the checklist.
"""


def transcripts(folder: Path) -> list[Path]:
    """Two real example transcripts, two small hand-made ones and one broken file."""
    folder.mkdir(parents=True, exist_ok=True)
    files = [ROOT / "examples" / "en_session" / "reference.stm", ROOT / "examples" / "ru_session" / "reference.rttm"]
    for i in range(2):
        f = folder / f"call{i}.vtt"
        f.write_text(VTT.replace("Anna", f"Anna{i}"), encoding="utf-8")
        files.append(f)
    bad = folder / "broken.vtt"
    bad.write_bytes(b"\x00\x01 not a transcript \xff")
    return [*files, bad]


def dynamics_spec(**kw):
    return build_run_spec("analyze", config=Config(), stages=["dynamics"], formats=("markdown",), **kw)


def comparable(out: Path) -> dict[str, dict]:
    """Every session.json under ``out`` without what legitimately differs: creation time, stage seconds."""
    found = {}
    for p in sorted(out.glob("*/session.json")):
        d = json.loads(p.read_text(encoding="utf-8"))
        d["provenance"].pop("created")
        for run in d["provenance"].get("stage_runs", []):
            run.pop("seconds")
        found[p.parent.name] = d
    return found


def statuses(report) -> dict[str, str]:
    return {r.item.session_id: r.status for r in report.results}


# -- module-level work functions: worker processes import them by name ----------------------

def dying(item, spec, out_dir):
    """Kills its worker process: once for ``call0`` (a worker lost mid-task), always for ``call1`` (a poison input)."""
    marker = Path(out_dir) / f".died-{item.session_id}"
    if item.session_id == "call1" or (item.session_id == "call0" and not marker.exists()):
        marker.write_text(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)
    return process_item(item, spec, out_dir)


# -- tests ---------------------------------------------------------------------------------

def test_two_local_workers_write_the_in_process_sessions(tmp_path):
    files = transcripts(tmp_path / "in")
    items = make_items(files)
    spec = dynamics_spec()
    ref = run_batch(items, spec, tmp_path / "ref")
    seen = []
    engine = LocalEngine(2)
    par = run_batch(items, spec, tmp_path / "par", engine=engine,
                    hook=lambda step, **kw: seen.append(kw) if step == "session" else None)
    assert statuses(par) == statuses(ref)
    assert statuses(par)["broken"] == "failed" and sum(s == "ok" for s in statuses(par).values()) == 4
    assert [r.item.session_id for r in par.results] == [r.item.session_id for r in ref.results]  # input order
    assert comparable(tmp_path / "par") == comparable(tmp_path / "ref") and len(comparable(tmp_path / "ref")) == 4
    # whole-batch progress from the driver: running count, failures, ETA
    engine_events = [kw for kw in seen if "running" in kw]
    assert max(kw["running"] for kw in engine_events) == 2
    last = engine_events[-1]
    assert last["completed"] == len(items) and last["failed"] == 1 and last["eta_s"] == 0.0
    batch = json.loads((tmp_path / "par" / "batch.json").read_text())
    assert batch["done"] == batch["total"] == 5 and batch["failed"] == 1
    # rerun: everything finished is resumed, by the workers, not redone
    again = run_batch(items, spec, tmp_path / "par", engine=engine)
    assert {k: v for k, v in statuses(again).items() if k != "broken"} == {k: "resumed" for k in statuses(ref) if k != "broken"}


def test_killed_worker_is_retried_and_a_poison_input_fails_after_bounded_retries(tmp_path):
    items = make_items(transcripts(tmp_path / "in")[:4])
    spec = dynamics_spec()
    out = tmp_path / "out"
    got = dict(drive(LocalEngine(2, max_retries=1), dying, items, spec=spec, out_dir=out, lost=lost_item))
    st = {items[i].session_id: r for i, r in got.items()}
    assert (out / ".died-call0").exists()  # the worker really died once on call0 ...
    assert st["call0"].status == "ok"  # ... and call0 was retried in a fresh pool
    assert st["call1"].status == "failed" and "died 2 times" in st["call1"].error  # bounded: 1 + 1 retry
    assert not (out / "call1").exists()  # nothing half-written
    assert {st[k].status for k in st if k != "call1"} == {"ok"}
    run_batch([it for it in items if it.session_id != "call1"], spec, tmp_path / "ref")
    assert comparable(out) == comparable(tmp_path / "ref")


def test_engine_choice():
    assert engine_for("local") is None and engine_for("local", workers="1") is None  # in-process, as before
    assert isinstance(engine_for("local", workers=2), LocalEngine)
    assert make_engine("local", workers="auto").workers >= 1
    with pytest.raises(EngineError, match="at least 1"):
        make_engine("local", workers=0)
    with pytest.raises(EngineError, match="unknown engine"):
        make_engine("spark")
    with pytest.raises(EngineError, match="needs --engine ray"):
        make_engine("local", address="auto")


def test_unreachable_ray_address_is_a_clear_error_not_minutes_of_retries():
    pytest.importorskip("ray")
    from sessionscope.engines.local_cluster import free_port

    with pytest.raises(EngineError, match="cannot reach the Ray cluster at 127.0.0.1"):
        make_engine("ray", address=f"127.0.0.1:{free_port()}")


def test_cluster_ports_are_distinct_and_outside_rays_worker_range():
    from sessionscope.engines.local_cluster import WORKER_PORTS, free_ports

    ports = free_ports(40)
    assert len(set(ports)) == 40 and not any(p in WORKER_PORTS for p in ports)


def test_ports_inside_rays_worker_range_are_let_go(monkeypatch):
    """A machine whose ephemeral ports lie in 10002-19999 (``ip_local_port_range``) made every ``ray start`` exit
    ("worker_ports is trying to use a port number … used by other components"): such ports are never handed to Ray."""
    from sessionscope.engines import local_cluster

    handed = iter([10050, 15000, 20001, 19999, 33000, 10002, 45000])
    closed: list[int] = []

    class FakeSocket:
        def bind(self, addr):
            self.port = next(handed)

        def getsockname(self):
            return ("127.0.0.1", self.port)

        def close(self):
            closed.append(self.port)

    monkeypatch.setattr(local_cluster.socket, "socket", FakeSocket)
    assert local_cluster.free_ports(3) == [20001, 33000, 45000]
    assert sorted(closed) == [10002, 10050, 15000, 19999, 20001, 33000, 45000]  # every socket closed
    handed = iter([12000] * 10)
    monkeypatch.setattr(local_cluster, "MAX_BINDS", 10)
    with pytest.raises(EngineError, match="no 1 free ports outside 10002-19999 in 10 tries"):
        local_cluster.free_ports(1)


def test_a_node_that_never_starts_is_tried_again_then_reported_with_its_log(tmp_path):
    pytest.importorskip("ray")
    from sessionscope.engines.local_cluster import ATTEMPTS, LocalRayCluster, NodeExited

    calls = tmp_path / "calls"
    fake = tmp_path / "ray"
    fake.write_text(f"#!/bin/sh\necho x >> {calls}\necho 'ValueError: port 10050 is used by other components'\nexit 1\n")
    fake.chmod(0o755)
    c = LocalRayCluster(nodes=2, ray_bin=str(fake))
    with pytest.raises(NodeExited, match=r"exited with 1; the end of .*\n.*port 10050 is used by other components"):
        c.start(timeout=30)
    assert len(calls.read_text().split()) == ATTEMPTS and c.procs == []
    c.stop()
    assert not c.tmp.exists()


def test_ray_engine_without_ray_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray -> ImportError
    with pytest.raises(EngineError, match=r"pip install 'sessionscope\[ray\]'"):
        make_engine("ray")
    from sessionscope.cli import cli

    f = transcripts(tmp_path / "in")[2]
    res = CliRunner().invoke(cli, ["analyze", str(f), "--engine", "ray", "--stages", "dynamics", "--out", str(tmp_path / "o")])
    assert res.exit_code == 1 and "sessionscope[ray]" in res.output and not (tmp_path / "o" / "call0").exists()


def test_drive_reports_progress_with_unknown_eta_until_a_file_finished():
    class Two:
        name, workers = "fake", 2

        def map(self, fn, items, *, spec, out_dir, on_start=None, lost=None, release=None):
            on_start(0)
            on_start(1)
            yield 1, fn(items[1], spec, out_dir)
            yield 0, lost(items[0], "worker died")

        def close(self):
            pass

    class Rec:
        def __init__(self, status):
            self.status = status

    events = []
    got = list(drive(Two(), lambda item, spec, out: Rec("ok"), ["a", "b"], spec=None, out_dir=Path("."),
                     hook=lambda step, **kw: events.append(kw), lost=lambda item, why: Rec("failed")))
    assert [i for i, _ in got] == [1, 0]
    assert events[0]["eta_s"] is None and events[1]["running"] == 2
    assert events[-1] == {"completed": 2, "total": 2, "item": None, "failed": 1, "running": 0, "eta_s": 0.0}


def test_python_api_takes_the_engine_choice(tmp_path, monkeypatch):
    import sessionscope as ss
    from sessionscope.engines import InProcessEngine

    class Counting(InProcessEngine):
        calls = 0

        def map(self, *args, **kwargs):
            type(self).calls += 1
            yield from super().map(*args, **kwargs)

    files = transcripts(tmp_path / "in")
    report = ss.process_batch(files, out=tmp_path / "out", stages=["dynamics"], engine=Counting())
    assert Counting.calls == 1 and {r.status for r in report.results} == {"ok", "failed"}
    assert (tmp_path / "out" / "call0" / "session.json").is_file()
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(EngineError, match="sessionscope\\[ray\\]"):
        ss.process_batch(files, out=tmp_path / "o2", engine="ray")


def test_lock_of_a_dead_worker_on_another_host_is_released_before_the_retry(tmp_path):
    from sessionscope.batch import release_dead_worker

    item = make_items(transcripts(tmp_path / "in")[2:3])[0]
    out = tmp_path / "out"
    lock = out / item.session_id / ".sessionscope.lock"
    lock.parent.mkdir(parents=True)
    lock.write_text("4242 worker-node-7\n")  # a worker on another host, which this host cannot check
    assert process_item(item, dynamics_spec(), out).status == "busy"
    release_dead_worker(item, out, "worker-node-7", 4243)  # not the holder: kept
    assert lock.exists()
    release_dead_worker(item, out, "worker-node-7", 4242)
    assert not lock.exists() and process_item(item, dynamics_spec(), out).status == "ok"

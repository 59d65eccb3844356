"""The Ray engine on a real two-node Ray cluster started (and ended, by PID) by this module.

Two ``ray start`` nodes with one CPU each, bound to 127.0.0.1: the sessions written are
the in-process ones, a broken file is isolated, a rerun resumes, and a worker killed
mid-task is replaced and its input retried.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
from pathlib import Path

import pytest

from sessionscope.batch import lost_item, make_items, process_item, release_dead_worker, run_batch
from sessionscope.engines import drive, make_engine
from test_engines import comparable, dynamics_spec, statuses, transcripts

ray = pytest.importorskip("ray")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """One cluster for the module (starting Ray is slow on a busy machine).

    Its head's first ``ray start`` exits at once, as one whose port was taken does: the cluster starts it again.
    """
    from ray import cloudpickle  # Ray's own copy: the one that pickles tasks and actors

    from sessionscope.engines.local_cluster import LocalRayCluster

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the actors run this module's functions
    d = tmp_path_factory.mktemp("raybin")
    flaky = d / "ray"
    flaky.write_text(f"#!/bin/sh\nif [ ! -e {d}/refused ]; then touch {d}/refused; echo 'port taken' >&2; exit 1; fi\n"
                     f"exec {Path(sys.executable).with_name('ray')} \"$@\"\n")
    flaky.chmod(0o755)
    c = LocalRayCluster(nodes=2, cpus=1, ray_bin=str(flaky))
    pids = c.pids
    try:
        c.start()
        assert (d / "refused").exists() and c.attempt == 3  # the refused head, the head, the second node
        yield c
    finally:
        c.stop()
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    for pid in pids:  # every `ray start` this test started has ended
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def dying_loader(item, spec, hook=None):
    """Loads transcripts, but kills its Ray worker the first time it loads ``call0`` — holding the session lock."""
    marker = item.path.parent / f".died-{item.session_id}"
    if item.session_id == "call0" and not marker.exists():
        marker.write_text(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)
    from sessionscope.inputs import load_transcript_item

    return load_transcript_item(item, spec, hook)


def test_two_node_cluster_writes_the_in_process_sessions_and_resumes(cluster, tmp_path):
    items = make_items(transcripts(tmp_path / "in"))
    spec = dynamics_spec()
    ref = run_batch(items, spec, tmp_path / "ref")
    engine = make_engine("ray", address=cluster.address)
    try:
        assert sum(1 for n in ray.nodes() if n["Alive"]) == 2
        got = run_batch(items, spec, tmp_path / "ray", engine=engine)
        assert engine.workers == 2  # one actor per one-CPU node
        assert statuses(got) == statuses(ref) and statuses(got)["broken"] == "failed"  # the broken file is isolated
        assert comparable(tmp_path / "ray") == comparable(tmp_path / "ref") and len(comparable(tmp_path / "ref")) == 4
        again = run_batch(items, spec, tmp_path / "ray", engine=engine)
        assert {k: v for k, v in statuses(again).items() if k != "broken"} == {
            k: "resumed" for k in statuses(ref) if k != "broken"}
    finally:
        engine.close()


@pytest.mark.slow
def test_worker_killed_mid_task_is_replaced_and_retried(cluster, tmp_path):
    from dataclasses import replace

    items = make_items(transcripts(tmp_path / "in")[:4])
    spec = dynamics_spec()
    out = tmp_path / "out"
    released = []

    def release(item, out_dir, host, pid):
        released.append((item.session_id, host, pid, (out_dir / item.session_id / ".sessionscope.lock").exists()))
        release_dead_worker(item, out_dir, host, pid)

    engine = make_engine("ray", address=cluster.address, max_retries=2)
    try:
        results = dict(drive(engine, process_item, items, spec=replace(spec, loader=dying_loader), out_dir=out,
                             lost=lost_item, release=release))
    finally:
        engine.close()
    died_pid = int((tmp_path / "in" / ".died-call0").read_text())  # the worker really died, mid-task
    # the driver released the lock the dead worker held (another host could not judge it stale), then retried
    assert released == [("call0", socket.gethostname(), died_pid, True)]
    assert sorted(results) == [0, 1, 2, 3] and {r.status for r in results.values()} == {"ok"}
    assert not list(out.glob("*/.sessionscope.lock"))
    run_batch(items, spec, tmp_path / "ref")
    assert comparable(out) == comparable(tmp_path / "ref")


def test_a_worker_no_node_can_hold_is_refused_not_waited_for(cluster, tmp_path):
    from sessionscope.engines import EngineError
    from sessionscope.engines.ray_engine import RayEngine

    items = make_items(transcripts(tmp_path / "in")[2:3])
    engine = RayEngine(address=cluster.address, memory_per_worker=10**15)  # a petabyte per worker
    with pytest.raises(EngineError, match="no node of the Ray cluster can hold one worker"):
        list(drive(engine, process_item, items, spec=dynamics_spec(), out_dir=tmp_path / "out"))


def test_workers_whose_models_cannot_load_stop_the_batch_with_the_reason(cluster, tmp_path):
    from dataclasses import dataclass

    from sessionscope.engines import EngineError
    from sessionscope.errors import ModelError
    from sessionscope.runspec import RunSpec

    @dataclass(frozen=True)
    class NoModels(RunSpec):
        def warm(self) -> None:
            raise ModelError("whisper model 'huge' not found in the model cache")

    base = dynamics_spec()
    spec = NoModels(**{f: getattr(base, f) for f in base.__dataclass_fields__})
    items = make_items(transcripts(tmp_path / "in")[2:4])
    engine = make_engine("ray", address=cluster.address)
    with pytest.raises(EngineError, match="cannot start: .*whisper model 'huge' not found"):
        list(drive(engine, process_item, items, spec=spec, out_dir=tmp_path / "out", lost=lost_item))
    assert not list((tmp_path / "out").glob("*/session.json"))

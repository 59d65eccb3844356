"""The Ray engine on a real two-node Ray cluster started (and ended, by PID) by this module.

Two ``ray start`` nodes with one CPU each, bound to 127.0.0.1: the sessions written are
the in-process ones, a broken file is isolated, a rerun resumes, and a worker killed
mid-task is replaced and its input retried.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from sessionscope.batch import lost_item, make_items, process_item, run_batch
from sessionscope.engines import drive, make_engine
from test_engines import comparable, dynamics_spec, statuses, transcripts

ray = pytest.importorskip("ray")


@pytest.fixture(scope="module")
def cluster():
    """One cluster for the module (starting Ray is slow on a busy machine)."""
    from ray import cloudpickle  # Ray's own copy: the one that pickles tasks and actors

    from sessionscope.engines.local_cluster import LocalRayCluster

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the actors run this module's functions
    c = LocalRayCluster(nodes=2, cpus=1)
    pids = c.pids
    try:
        c.start()
        yield c
    finally:
        c.stop()
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    for pid in pids:  # every `ray start` this test started has ended
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def die_once(item, spec, out_dir):
    """Kills its Ray worker the first time it sees ``call0`` (a worker lost mid-task)."""
    marker = Path(out_dir) / f".died-{item.session_id}"
    if item.session_id == "call0" and not marker.exists():
        marker.write_text(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)
    return process_item(item, spec, out_dir)


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
    items = make_items(transcripts(tmp_path / "in")[:4])
    spec = dynamics_spec()
    out = tmp_path / "out"
    engine = make_engine("ray", address=cluster.address, max_retries=2)
    try:
        results = dict(drive(engine, die_once, items, spec=spec, out_dir=out, lost=lost_item))
    finally:
        engine.close()
    assert (out / ".died-call0").exists()  # the worker really died once
    assert sorted(results) == [0, 1, 2, 3] and {r.status for r in results.values()} == {"ok"}
    run_batch(items, spec, tmp_path / "ref")
    assert comparable(out) == comparable(tmp_path / "ref")

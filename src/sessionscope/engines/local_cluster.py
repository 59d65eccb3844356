"""A throw-away Ray cluster on this machine: a head and extra nodes, each a `ray start`.

Used by the tests and ``benchmarks/scaling.py`` to measure a real multi-node cluster
(separate raylets, object stores and worker pools, talking over TCP) on one machine.
Every node is started by its own ``ray start --block`` in a new process group, with its
own free ports and a private temp folder, and :meth:`LocalRayCluster.stop` ends exactly
those process groups (and any descendant that left them), by PID — never ``ray stop``,
which would also end other people's Ray clusters on the machine.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

from sessionscope.engines.base import EngineError

log = logging.getLogger(__name__)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    """Every descendant of ``pid`` (from /proc)."""
    parents: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(d.name))
    out, todo = [], [pid]
    while todo:
        for c in parents.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


class LocalRayCluster:
    """Head + ``nodes - 1`` worker nodes, ``cpus`` CPUs each, bound to 127.0.0.1."""

    def __init__(self, *, nodes: int = 2, cpus: int = 1, memory_gb: Optional[float] = None,
                 object_store_mb: int = 200, ray_bin: Optional[str] = None) -> None:
        self.nodes, self.cpus, self.memory_gb, self.object_store_mb = nodes, cpus, memory_gb, object_store_mb
        self.ray_bin = ray_bin or str(Path(sys.executable).with_name("ray"))
        self.procs: list[subprocess.Popen] = []
        self.pids: set[int] = set()
        self.address: Optional[str] = None
        self.tmp = Path(tempfile.mkdtemp(prefix="ssray"))  # short: Ray's socket paths must stay < 108 chars

    def _start_node(self, head: bool) -> None:
        args = [self.ray_bin, "start", "--block", "--node-ip-address=127.0.0.1", f"--num-cpus={self.cpus}",
                "--num-gpus=0", f"--object-store-memory={self.object_store_mb * 2**20}", "--disable-usage-stats",
                f"--node-manager-port={free_port()}", f"--object-manager-port={free_port()}",
                f"--dashboard-agent-listen-port={free_port()}", f"--dashboard-agent-grpc-port={free_port()}",
                f"--runtime-env-agent-port={free_port()}", f"--metrics-export-port={free_port()}"]
        if self.memory_gb:
            args.append(f"--memory={int(self.memory_gb * 2**30)}")
        if head:
            port = free_port()
            args += ["--head", f"--port={port}", "--include-dashboard=false", f"--temp-dir={self.tmp}"]
            self.address = f"127.0.0.1:{port}"
        else:
            args.append(f"--address={self.address}")
        log_file = open(self.tmp / f"node{len(self.procs)}.log", "wb")  # noqa: SIM115 - lives as long as the node
        # a throw-away cluster for one machine: no token (a ~/.ray/auth_token left by an earlier local Ray would
        # otherwise switch the nodes to token auth while a driver without RAY_AUTH_MODE=token cannot connect)
        env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "disabled"}
        proc = subprocess.Popen(args, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True, env=env)
        log_file.close()
        self.procs.append(proc)
        self.pids.add(proc.pid)

    def _check_alive(self) -> None:
        for p in self.procs:
            if p.poll() is not None:
                raise EngineError(f"ray start exited with {p.returncode}; log in {self.tmp}")

    def _wait_nodes(self, n: int, timeout: float) -> None:
        import ray

        assert self.address is not None
        deadline = time.monotonic() + timeout
        host, port = self.address.rsplit(":", 1)
        while not ray.is_initialized():  # the GCS port first: ray.init would retry for minutes
            self._check_alive()
            if time.monotonic() > deadline:
                raise EngineError(f"the Ray head did not start in {timeout:.0f} s; log in {self.tmp}")
            try:
                socket.create_connection((host, int(port)), timeout=1).close()
            except OSError:
                time.sleep(0.5)
                continue
            ray.init(address=self.address, configure_logging=False, log_to_driver=False)
        while time.monotonic() < deadline:
            self._check_alive()
            if sum(1 for x in ray.nodes() if x.get("Alive")) >= n:
                return
            time.sleep(0.5)
        raise EngineError(f"the local Ray cluster did not come up with {n} nodes in {timeout:.0f} s; logs in {self.tmp}")

    def start(self, timeout: float = 180) -> str:
        """Start the nodes one after the other; returns the address for ``ray.init``/``--ray-address``."""
        import ray

        self._start_node(head=True)
        self._wait_nodes(1, timeout)
        for _ in range(self.nodes - 1):
            self._start_node(head=False)
        self._wait_nodes(self.nodes, timeout)
        ray.shutdown()  # the probe connection; callers connect themselves
        assert self.address is not None
        return self.address

    def stop(self) -> None:
        """End every process this cluster started (process groups and descendants), by PID."""
        import ray

        if ray.is_initialized():
            ray.shutdown()
        victims: set[int] = set()
        for p in self.procs:
            victims.update(_children(p.pid))
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for p in self.procs:
                try:
                    os.killpg(p.pid, sig)  # the group of this `ray start` (it is the leader)
                except ProcessLookupError:
                    pass
            for pid in victims:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and any(p.poll() is None for p in self.procs):
                time.sleep(0.2)
        for p in self.procs:
            p.wait(timeout=10)
        self.procs.clear()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> LocalRayCluster:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

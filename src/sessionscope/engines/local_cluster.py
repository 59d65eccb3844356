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


#: ``ray start``'s default ``--min-worker-port``/``--max-worker-port``: Ray refuses a node whose own ports fall in
#: this range ("is trying to use a port number ... used by other components"), and a machine whose ephemeral range
#: starts low (``net.ipv4.ip_local_port_range``) hands such ports out
WORKER_PORTS = range(10002, 20000)
#: how many free ports :func:`free_ports` asks the kernel for at most (an ephemeral range that lies mostly inside
#: :data:`WORKER_PORTS` still yields a few outside it)
MAX_BINDS = 20000
#: attempts at starting one node: a port chosen free can be taken by another process before Ray binds it
ATTEMPTS = 3


def free_port() -> int:
    return free_ports(1)[0]


def free_ports(n: int) -> list[int]:
    """``n`` distinct free loopback ports outside :data:`WORKER_PORTS` (all held open until all are chosen)."""
    held: list[socket.socket] = []
    ports: list[int] = []
    try:
        for _ in range(MAX_BINDS):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
            if port in WORKER_PORTS:  # let it go (the kernel picks at random, so it rarely comes back)
                s.close()
                continue
            held.append(s)
            ports.append(port)
            if len(ports) == n:
                return ports
    finally:
        for s in held:
            s.close()
    raise EngineError(f"no {n} free ports outside {WORKER_PORTS.start}-{WORKER_PORTS.stop - 1} in {MAX_BINDS} tries "
                      "(net.ipv4.ip_local_port_range)")


def log_tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError as e:
        return f"(no log: {e})"


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


class NodeExited(EngineError):
    """A node's ``ray start`` exited while the cluster was starting (``proc``: that process)."""

    def __init__(self, proc: subprocess.Popen, message: str) -> None:
        super().__init__(message)
        self.proc = proc


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
        self.attempt = 0
        self.logs: dict[int, Path] = {}  # pid -> the log of that `ray start`

    def _start_node(self, head: bool) -> None:
        ports = free_ports(7)
        args = [self.ray_bin, "start", "--block", "--node-ip-address=127.0.0.1", f"--num-cpus={self.cpus}",
                "--num-gpus=0", f"--object-store-memory={self.object_store_mb * 2**20}", "--disable-usage-stats",
                f"--node-manager-port={ports[0]}", f"--object-manager-port={ports[1]}",
                f"--dashboard-agent-listen-port={ports[2]}", f"--dashboard-agent-grpc-port={ports[3]}",
                f"--runtime-env-agent-port={ports[4]}", f"--metrics-export-port={ports[5]}"]
        if self.memory_gb:
            args.append(f"--memory={int(self.memory_gb * 2**30)}")
        if head:
            args += ["--head", f"--port={ports[6]}", "--include-dashboard=false", f"--temp-dir={self.tmp}"]
            self.address = f"127.0.0.1:{ports[6]}"
        else:
            args.append(f"--address={self.address}")
        self.attempt += 1
        log_path = self.tmp / f"node{len(self.procs)}-try{self.attempt}.log"
        log_file = open(log_path, "wb")  # noqa: SIM115 - lives as long as the node
        # a throw-away cluster for one machine: no token (a ~/.ray/auth_token left by an earlier local Ray would
        # otherwise switch the nodes to token auth while a driver without RAY_AUTH_MODE=token cannot connect)
        env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "disabled"}
        proc = subprocess.Popen(args, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True, env=env)
        log_file.close()
        self.procs.append(proc)
        self.pids.add(proc.pid)
        self.logs[proc.pid] = log_path

    def _check_alive(self) -> None:
        for p in self.procs:
            if p.poll() is not None:
                path = self.logs.get(p.pid, self.tmp)
                raise NodeExited(p, f"ray start exited with {p.returncode}; the end of {path}:\n{log_tail(path)}")

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

    def _start_and_wait(self, head: bool, n: int, timeout: float) -> None:
        """Start one node and wait for ``n`` live nodes. A node whose ``ray start`` exits (a port taken between
        choosing and binding it, say) is started again with new ports, up to :data:`ATTEMPTS` times; the last
        error carries the end of its log."""
        import ray

        for attempt in range(1, ATTEMPTS + 1):
            self._start_node(head=head)
            try:
                self._wait_nodes(n, timeout)
                return
            except NodeExited as e:
                if e.proc is not self.procs[-1]:  # an earlier node died: starting this one again would not help
                    raise
                if head and ray.is_initialized():
                    ray.shutdown()
                self._end([self.procs.pop()])
                if attempt == ATTEMPTS:
                    raise
                log.warning("a Ray node did not start (try %d of %d); starting it again: %s", attempt, ATTEMPTS, e)

    def start(self, timeout: float = 180) -> str:
        """Start the nodes one after the other; returns the address for ``ray.init``/``--ray-address``."""
        import ray

        self._start_and_wait(True, 1, timeout)
        for i in range(self.nodes - 1):
            self._start_and_wait(False, i + 2, timeout)
        ray.shutdown()  # the probe connection; callers connect themselves
        assert self.address is not None
        return self.address

    @staticmethod
    def _end(procs: list[subprocess.Popen]) -> None:
        """End these ``ray start`` processes: their process groups and every descendant, by PID."""
        victims: set[int] = set()
        for p in procs:
            victims.update(_children(p.pid))
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for p in procs:
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
            while time.monotonic() < deadline and any(p.poll() is None for p in procs):
                time.sleep(0.2)
        for p in procs:
            p.wait(timeout=10)

    def stop(self) -> None:
        """End every process this cluster started (process groups and descendants), by PID."""
        import ray

        if ray.is_initialized():
            ray.shutdown()
        self._end(self.procs)
        self.procs.clear()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> LocalRayCluster:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

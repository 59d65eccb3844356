"""The Ray engine: the batch on a Ray cluster, with Ray Core actors.

One long-lived actor per worker loads the models once (``spec.warm()``) and then
processes one input at a time with the same per-session function as the local engine,
so a session written on a cluster is the session written locally. The driver only
hands out *items* (paths, ids, manifest entries): every worker reads its input where it
is (a shared filesystem) and writes its outputs atomically to the output location; no
audio travels through the driver or the object store.

Resources: each actor asks Ray for ``num_cpus``, ``num_gpus`` and ``memory`` sized for
the largest input of the batch (:func:`worker_resources`: the model footprint plus the
per-hour growth measured in ``docs/benchmarks/audio.md``), so Ray never packs more
workers on a node than its memory holds and a 2-hour recording gets its memory.

Failures: an input that fails is a ``failed`` record like locally. A worker that dies
(killed, out of memory, its node lost) is replaced by a fresh actor, placed wherever
the cluster has room, and the input it held is handed out again, at most
``max_retries`` more times; nothing finished is lost (each session is on disk as soon
as its worker finished it) and a rerun resumes from the sessions on disk.
"""

from __future__ import annotations

import logging
import os
import socket
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from sessionscope.engines.base import (
    EngineError,
    LostFn,
    ReleaseFn,
    StartFn,
    WorkFn,
    default_lost,
    quiet_item_failures,
    warm,
)

log = logging.getLogger(__name__)

INSTALL_HINT = "the Ray engine needs Ray: pip install 'sessionscope[ray]'"
_AUDIO_SUFFIXES = {".wav", ".flac", ".mp3", ".m4a", ".ogg", ".opus", ".webm", ".mp4", ".mkv", ".mov", ".aac", ".wma"}
GB = 2**30


def require_ray() -> Any:
    """Import Ray, or say what to install."""
    try:
        import ray
    except ImportError as e:
        raise EngineError(INSTALL_HINT) from e
    return ray


@dataclass(frozen=True)
class Resources:
    """What one worker asks the cluster for."""

    num_cpus: float = 1.0
    num_gpus: float = 0.0
    memory: int = int(1.5 * GB)


def _audio_hours(path: Path) -> float:
    """Duration from the container header only (no decoding); 2 h when it cannot be read."""
    try:
        import av

        with av.open(str(path)) as c:
            if c.duration:
                return c.duration / 1_000_000 / 3600
    except Exception:  # noqa: BLE001 - sizing must never fail the batch; assume a long recording
        pass
    return 2.0


def worker_resources(items: Sequence[Any], *, cpus: float = 1.0, gpus: float = 0.0,
                     memory: Optional[int] = None) -> Resources:
    """Resources for one worker, sized from the longest input of the batch.

    Recordings: 2.25 GB (whisper ``base`` + CAM++ loaded, peak of a short file) plus
    0.35 GB per hour of the longest recording (decoded 16 kHz audio 0.23 GB/h, ASR
    features 0.115 GB/h), from ``docs/benchmarks/audio.md``; a URL recording counts as 2 hours (the
    driver never reads it). Transcripts: 1.5 GB (the text
    stages' models; measured peak RSS of a worker in ``docs/scaling.md``).
    """
    if memory is None:
        names = [str(getattr(it, "path", it)) for it in items]
        audio = [n for n in names if Path(n).suffix.lower() in _AUDIO_SUFFIXES]
        if audio:  # a URL recording is never opened on the driver: sized as a 2-hour one
            memory = int((2.25 + 0.35 * max(2.0 if "://" in n else _audio_hours(Path(n)) for n in audio)) * GB)
        else:
            memory = int(1.5 * GB)
    return Resources(num_cpus=cpus, num_gpus=gpus, memory=memory)


def _check_reachable(address: Optional[str], timeout: float = 5.0) -> None:
    """A ``HOST:PORT`` that does not answer is an error now (``ray.init`` would retry for minutes)."""
    if not address or address == "auto" or "://" in address or ":" not in address:
        return
    host, _, port = address.rpartition(":")
    try:
        socket.create_connection((host, int(port)), timeout=timeout).close()
    except (OSError, ValueError) as e:
        raise EngineError(f"cannot reach the Ray cluster at {address}: {e}; is `ray start --head` running there?") from e


def _init_error(e: Exception) -> str:
    """The exception raised in a worker's constructor, in one line."""
    lines = [x.strip() for x in str(e).splitlines() if x.strip()]
    return lines[-1] if lines else type(e).__name__


class _Worker:
    """One Ray actor: the models of one worker, loaded once, and the per-session function."""

    def __init__(self, fn: WorkFn, spec: Any, out_dir: Path) -> None:
        self.fn, self.spec, self.out_dir = fn, spec, out_dir
        quiet_item_failures()
        warm(spec)

    def run(self, item: Any) -> Any:
        return self.fn(item, self.spec, self.out_dir)

    def where(self) -> tuple[str, int]:
        """Host name and PID of this worker (what its session locks record)."""
        return socket.gethostname(), os.getpid()


class RayEngine:
    """Workers as Ray actors on an existing cluster (``address``) or on a Ray started here."""

    name = "ray"

    def __init__(self, *, address: Optional[str] = None, workers: Optional[int] = None, cpus_per_worker: float = 1.0,
                 gpus_per_worker: float = 0.0, memory_per_worker: Optional[int] = None, max_retries: int = 2) -> None:
        self.address = address
        self.requested = workers
        self.workers = workers or 1
        self.cpus, self.gpus, self.memory = cpus_per_worker, gpus_per_worker, memory_per_worker
        self.max_retries = max_retries
        self._started_here = False

    def connect(self) -> Any:
        """Join the cluster at ``address``, or start a local Ray; returns the ``ray`` module."""
        ray = require_ray()
        if ray.is_initialized():
            return ray
        _check_reachable(self.address)
        try:
            if self.address:
                ray.init(address=self.address, configure_logging=False, log_to_driver=True)
            else:
                ray.init(include_dashboard=False, configure_logging=False, log_to_driver=True)
                self._started_here = True
        except (ConnectionError, RuntimeError, ValueError) as e:
            where = self.address or "a local Ray"
            raise EngineError(f"cannot start or join Ray at {where}: {e}") from e
        return ray

    @staticmethod
    def _capacity(ray: Any, res: Resources, n_items: int) -> int:
        """How many workers the live nodes can hold, each node counted on its own."""
        fit = 0
        for node in ray.nodes():
            if not node.get("Alive"):
                continue
            have = node.get("Resources", {})
            per = [int(have.get("CPU", 0) // res.num_cpus) if res.num_cpus else n_items,
                   int(have.get("memory", 0) // res.memory) if res.memory else n_items]
            if res.num_gpus:
                per.append(int(have.get("GPU", 0) // res.num_gpus))
            fit += max(0, min(per))
        return fit

    def _count(self, ray: Any, res: Resources, n_items: int) -> int:
        """Workers to start: what the live nodes can hold, capped by ``--workers`` and the number of
        inputs. An actor no node can hold would wait forever: refused."""
        fit = self._capacity(ray, res, n_items)
        if fit == 0:
            raise EngineError(
                f"no node of the Ray cluster can hold one worker ({res.num_cpus:g} CPU, {res.num_gpus:g} GPU, "
                f"{res.memory / GB:.1f} GB memory); add a bigger node or lower cpus/gpus/memory per worker")
        if self.requested and self.requested > fit:
            log.warning("ray: %d workers asked, the cluster holds %d now; starting %d", self.requested, fit, fit)
        return max(1, min(self.requested or fit, fit, n_items))

    def map(self, fn: WorkFn, items: Sequence[Any], *, spec: Any, out_dir: Path,
            on_start: Optional[StartFn] = None, lost: Optional[LostFn] = None,
            release: Optional[ReleaseFn] = None) -> Iterator[tuple[int, Any]]:
        if not items:
            return
        ray = self.connect()
        from ray.exceptions import RayActorError

        lost = lost or default_lost
        res = worker_resources(items, cpus=self.cpus, gpus=self.gpus, memory=self.memory)
        self.workers = self._count(ray, res, len(items))
        actor_cls = ray.remote(_Worker).options(num_cpus=res.num_cpus, num_gpus=res.num_gpus, memory=res.memory,
                                                max_restarts=0, max_task_retries=0)
        spec_ref = ray.put(spec)
        log.info("ray: %d workers, each %.1f CPU, %.1f GPU, %.1f GB", self.workers, res.num_cpus, res.num_gpus, res.memory / GB)
        where: dict[Any, Any] = {}  # actor -> ref of (host, pid), asked first so it is answered before any input

        def new_actor() -> Any:
            actor = actor_cls.remote(fn, spec_ref, out_dir)
            where[actor] = actor.where.remote()
            return actor

        idle = [new_actor() for _ in range(self.workers)]
        lost_in_a_row = 0  # workers lost since the last finished input
        queue: deque[int] = deque(range(len(items)))
        attempts: Counter[int] = Counter()
        inflight: dict[Any, tuple[int, Any]] = {}
        try:
            while queue or inflight:
                while queue and idle:
                    actor, i = idle.pop(), queue.popleft()
                    inflight[actor.run.remote(items[i])] = (i, actor)
                    if on_start:
                        on_start(i)
                ready, _ = ray.wait(list(inflight), num_returns=1)
                for ref in ready:
                    i, actor = inflight.pop(ref)
                    try:
                        record = ray.get(ref)
                    except RayActorError as e:
                        why = str(e).splitlines()[0] if str(e) else type(e).__name__
                        if getattr(e, "actor_init_failed", False):  # the models cannot load: same on every node
                            raise EngineError(f"Ray workers cannot start: {_init_error(e)}") from e
                        # the worker died (killed, out of memory, node lost)
                        attempts[i] += 1
                        log.warning("%s: worker lost (%s); attempt %d of %d", getattr(items[i], "path", i), why,
                                    attempts[i], self.max_retries + 1)
                        if attempts[i] > self.max_retries:
                            yield i, lost(items[i], f"worker died {attempts[i]} times while processing this input: {why}")
                        else:
                            self._release(ray, release, items[i], out_dir, where.get(actor))
                            queue.appendleft(i)
                        where.pop(actor, None)
                        ray.kill(actor, no_restart=True)
                        lost_in_a_row += 1
                        if lost_in_a_row > self.workers * (self.max_retries + 1):
                            raise EngineError(f"Ray workers keep dying ({lost_in_a_row} lost in a row): {why}") from e
                        # replace it only where the (maybe smaller) cluster has room: an actor that cannot be
                        # placed would hold its input forever
                        active = len(idle) + len(inflight)
                        if self._capacity(ray, res, len(items)) > active:
                            idle.append(new_actor())
                        elif active == 0:
                            raise EngineError(f"no node of the Ray cluster is left to run workers: {why}") from e
                        else:
                            log.warning("ray: no room for a new worker; going on with %d", active)
                        continue
                    except Exception as e:  # noqa: BLE001 - fn isolates input errors; this one cannot travel back
                        record = lost(items[i], f"internal error in worker: {type(e).__name__}: {e}")
                    lost_in_a_row = 0
                    idle.append(actor)
                    yield i, record
        finally:
            for actor in [*idle, *(a for _, a in inflight.values())]:
                ray.kill(actor, no_restart=True)

    @staticmethod
    def _release(ray: Any, release: Optional[ReleaseFn], item: Any, out_dir: Path, where_ref: Any) -> None:
        """Let the batch drop what the dead worker held (its session lock) before the input is retried."""
        if release is None or where_ref is None:
            return
        try:
            host, pid = ray.get(where_ref, timeout=5)
        except Exception:  # noqa: BLE001 - the worker died before it could say where it ran: nothing it held
            return
        release(item, out_dir, host, pid)

    def close(self) -> None:
        if self._started_here:
            require_ray().shutdown()
            self._started_here = False

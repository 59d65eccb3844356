"""The engine contract and the parts every engine shares.

An engine runs the batch's per-session function ``fn(item, spec, out_dir) -> record`` over
many inputs and yields ``(index, record)`` as each one completes (completion order, not
input order). ``fn`` does all the work of one session and writes its outputs atomically
under ``out_dir``; the engine only decides *where* it runs: in this process
(:class:`InProcessEngine`), in worker processes (:class:`~sessionscope.engines.local.LocalEngine`)
or on a Ray cluster (:class:`~sessionscope.engines.ray_engine.RayEngine`). Engines that
run ``fn`` elsewhere need ``fn`` importable by name and ``spec`` picklable; ``spec.warm()``,
when it exists, is called once per worker so models load before the first file.

:func:`drive` wraps any engine with the batch's progress accounting (done / failed /
running, ETA) reported through the library's progress hook.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Protocol, runtime_checkable

from sessionscope.errors import SessionscopeError

log = logging.getLogger(__name__)

#: The per-session function: ``fn(item, spec, out_dir) -> record``; never raises for a bad input.
WorkFn = Callable[[Any, Any, Path], Any]
#: Driver-side: the record for an input whose worker died ``max_retries + 1`` times (``lost(item, reason)``).
LostFn = Callable[[Any, str], Any]
#: Driver-side: called with the input's index when it is handed to a worker.
StartFn = Callable[[int], None]
#: Driver-side, before an input whose worker died is retried: ``release(item, out_dir, host, pid)`` of that worker
#: (its session lock cannot be judged stale from another host).
ReleaseFn = Callable[[Any, Path, str, int], None]


class EngineError(SessionscopeError):
    """An engine cannot run: a missing optional dependency, an unreachable cluster, workers that cannot start."""

    code = "E600"


@runtime_checkable
class Engine(Protocol):
    """Where the per-session work runs."""

    name: str
    workers: int

    def map(
        self, fn: WorkFn, items: Sequence[Any], *, spec: Any, out_dir: Path,
        on_start: Optional[StartFn] = None, lost: Optional[LostFn] = None, release: Optional[ReleaseFn] = None,
    ) -> Iterator[tuple[int, Any]]:
        """Run ``fn`` on every item; yield ``(index, record)`` as each completes."""
        ...

    def close(self) -> None:
        """Release workers (and a Ray runtime this engine started)."""
        ...


def warm(spec: Any) -> None:
    """Load models once in a fresh worker, when the spec knows how (``spec.warm()``)."""
    fn = getattr(spec, "warm", None)
    if callable(fn):
        fn()


class _DropItemFailures(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        from sessionscope.batch import ITEM_FAILURE

        return not all(getattr(record, k, None) == v for k, v in ITEM_FAILURE.items())


def quiet_item_failures() -> None:
    """In a worker process: keep the per-input failure records (:data:`sessionscope.batch.ITEM_FAILURE`) off the
    worker's stderr. Its :class:`ItemResult` carries the reason back and the caller lists each failed input once
    (the CLI's closing list, ``batch.json``); a process-pool or Ray worker's stderr reaches the console too, so
    every reason was shown twice there. Other warnings of the worker still show."""
    batch_log = logging.getLogger("sessionscope.batch")
    if not any(isinstance(f, _DropItemFailures) for f in batch_log.filters):
        batch_log.addFilter(_DropItemFailures())


def default_lost(item: Any, reason: str) -> Any:
    raise RuntimeError(f"{getattr(item, 'path', item)}: {reason}")


class InProcessEngine:
    """One worker: this process, one input after the other (the behaviour without an engine)."""

    name = "local"
    workers = 1

    def map(self, fn: WorkFn, items: Sequence[Any], *, spec: Any, out_dir: Path,
            on_start: Optional[StartFn] = None, lost: Optional[LostFn] = None,
            release: Optional[ReleaseFn] = None) -> Iterator[tuple[int, Any]]:
        for i, item in enumerate(items):
            if on_start:
                on_start(i)
            yield i, fn(item, spec, out_dir)

    def close(self) -> None:
        pass


@dataclass
class BatchProgress:
    """Whole-batch progress on the driver; the ETA uses the inputs that really ran."""

    total: int
    done: int = 0
    failed: int = 0
    running: set[int] = field(default_factory=set)
    started: float = field(default_factory=time.monotonic)
    worked: int = 0  # finished inputs that were not instant resumes

    def eta_s(self) -> Optional[float]:
        left = self.total - self.done
        if left == 0:
            return 0.0
        if self.worked == 0:
            return None
        return (time.monotonic() - self.started) / self.worked * left


def drive(
    engine: Engine, fn: WorkFn, items: Sequence[Any], *, spec: Any, out_dir: Path,
    hook: Optional[Callable[..., None]] = None, lost: Optional[LostFn] = None, release: Optional[ReleaseFn] = None,
) -> Iterator[tuple[int, Any]]:
    """Run the batch on ``engine`` and report progress through ``hook``.

    The hook gets ``hook("session", completed=, total=, item=, failed=, running=, eta_s=)``
    whenever an input starts or finishes (``item`` is the one that just started, or None).
    """
    progress = BatchProgress(total=len(items))

    def report(item: Any) -> None:
        if hook:
            hook("session", completed=progress.done, total=progress.total, item=item, failed=progress.failed,
                 running=len(progress.running), eta_s=progress.eta_s())

    def on_start(i: int) -> None:
        progress.running.add(i)
        report(items[i])

    stream = engine.map(fn, items, spec=spec, out_dir=out_dir, on_start=on_start, lost=lost or default_lost, release=release)
    for i, record in stream:
        progress.running.discard(i)
        progress.done += 1
        status = getattr(record, "status", None)
        progress.failed += status == "failed"
        progress.worked += status != "resumed"
        if engine.workers > 1 or progress.done == progress.total:
            report(None if not progress.running else items[min(progress.running)])
        yield i, record

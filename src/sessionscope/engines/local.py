"""The local engine: N worker processes on this machine.

With one worker everything runs in this process, exactly as without an engine. With
more, a :class:`~concurrent.futures.ProcessPoolExecutor` (``spawn`` start method: no
forked copies of loaded models or their thread pools) whose initializer loads the models
once per worker (``spec.warm()``); each worker then processes one input at a time. The
CPU cores are shared out: each worker's BLAS/OpenMP/torch pools get ``cores // N``
threads, so N workers do not oversubscribe the machine.

A worker that dies mid-file (killed, out of memory, a crash in native code) breaks the
pool: the inputs it held go to a fresh pool and are run one at a time there, so that a
death can be blamed on its input; an input whose worker died while it ran alone more
than ``max_retries`` times is reported as failed. Nothing finished is lost: every session
is written by its worker, atomically, as soon as it is done.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional

from sessionscope.engines.base import (
    EngineError,
    InProcessEngine,
    LostFn,
    ReleaseFn,
    StartFn,
    WorkFn,
    default_lost,
    quiet_item_failures,
    warm,
)

log = logging.getLogger(__name__)

_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
_WORKER: dict[str, Any] = {}


def default_workers(*, memory_per_worker_gb: float = 1.5) -> int:
    """A sensible worker count: one per core, fewer when memory would run short."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        avail_gb = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**30
    except (ValueError, OSError, AttributeError):
        avail_gb = float("inf")
    return max(1, min(cores, int(avail_gb // memory_per_worker_gb)))


def _init_worker(fn: WorkFn, spec: Any, out_dir: Path, threads: int) -> None:
    _WORKER.update(fn=fn, spec=spec, out_dir=out_dir)
    quiet_item_failures()
    try:
        import torch

        torch.set_num_threads(threads)
    except ImportError:
        pass
    warm(spec)


def _run_one(item: Any) -> Any:
    return _WORKER["fn"](item, _WORKER["spec"], _WORKER["out_dir"])


@contextmanager
def _thread_env(threads: int) -> Iterator[None]:
    """Thread counts for the worker processes (read by BLAS/OpenMP when they start)."""
    old = {k: os.environ.get(k) for k in _THREAD_VARS}
    os.environ.update({k: str(threads) for k in _THREAD_VARS})
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


class LocalEngine:
    """N worker processes on this machine (1 = this process)."""

    name = "local"

    def __init__(self, workers: Optional[int] = None, *, max_retries: int = 2, start_method: str = "spawn") -> None:
        self.workers = max(1, workers or 1)
        self.max_retries = max_retries
        self.start_method = start_method

    def _pool(self, fn: WorkFn, spec: Any, out_dir: Path) -> ProcessPoolExecutor:
        main_file = getattr(sys.modules.get("__main__"), "__file__", None)
        if self.start_method == "spawn" and main_file and not Path(main_file).exists():
            # spawn re-imports the main program in each worker: one read from stdin (`python - <<EOF`) has no
            # file, and every worker died with FileNotFoundError: '<stdin>' behind "could not start"
            raise EngineError(f"worker processes cannot start from a program that is not a file ({main_file}): "
                              "run it from a .py file or a notebook, or use one worker (workers=1)")
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        threads = max(1, cores // self.workers)
        with _thread_env(threads):
            pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context(self.start_method),
                                       initializer=_init_worker, initargs=(fn, spec, out_dir, threads))
            # spawn starts every worker at the first submit; do it now, under the thread settings
            try:
                pool.submit(int).result()
            except BrokenProcessPool as e:
                pool.shutdown(wait=False, cancel_futures=True)
                raise EngineError("the worker processes could not start (their error is logged above; a script that "
                                  "starts workers must do it under `if __name__ == \"__main__\":`)") from e
        return pool

    def map(self, fn: WorkFn, items: Sequence[Any], *, spec: Any, out_dir: Path,
            on_start: Optional[StartFn] = None, lost: Optional[LostFn] = None,
            release: Optional[ReleaseFn] = None) -> Iterator[tuple[int, Any]]:
        # ``release`` is not needed here: a dead local worker's session lock is stale on this host
        if self.workers == 1 or len(items) <= 1:
            yield from InProcessEngine().map(fn, items, spec=spec, out_dir=out_dir, on_start=on_start, lost=lost)
            return
        lost = lost or default_lost
        queue: deque[int] = deque(range(len(items)))
        attempts: Counter[int] = Counter()
        suspects: set[int] = set()
        inflight: dict[Future, int] = {}
        pool = self._pool(fn, spec, out_dir)
        try:
            while queue or inflight:
                while queue and len(inflight) < self.workers:
                    # an input that was running when a worker died runs alone, so the next death is its own
                    if any(j in suspects for j in inflight.values()) or (queue[0] in suspects and inflight):
                        break
                    i = queue.popleft()
                    inflight[pool.submit(_run_one, items[i])] = i
                    if on_start:
                        on_start(i)
                done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                died: list[int] = []
                for fut in done:
                    i = inflight.pop(fut)
                    try:
                        yield i, fut.result()
                    except BrokenProcessPool:
                        died.append(i)
                    except Exception as e:  # noqa: BLE001 - fn isolates input errors; this is a record that cannot travel
                        yield i, lost(items[i], f"internal error in worker: {type(e).__name__}: {e}")
                if not died:
                    continue
                # a worker died and took the pool with it: every input the pool held goes back to the queue;
                # the pool cannot say whose worker died, so an attempt is counted only when one input ran alone
                died += inflight.values()
                inflight.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                for i in sorted(died, reverse=True):
                    if len(died) == 1:
                        attempts[i] += 1
                        if attempts[i] > self.max_retries:
                            yield i, lost(items[i], f"worker process died {attempts[i]} times while processing this input")
                            continue
                    suspects.add(i)
                    queue.appendleft(i)
                if queue:
                    log.warning("a worker process died; %d inputs go to a fresh pool", len(queue))
                    pool = self._pool(fn, spec, out_dir)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        pass

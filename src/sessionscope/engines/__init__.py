"""Where a batch runs: this process, N local worker processes, or a Ray cluster.

    >>> from sessionscope.engines import make_engine
    >>> make_engine("local", workers=2)           # two worker processes on this machine
    >>> make_engine("ray", address="auto")        # join the Ray cluster this node belongs to

Every engine runs the same per-session function, so the outputs do not depend on the
engine (apart from timing in the provenance). Ray is optional (``sessionscope[ray]``)
and imported only when the Ray engine runs.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any, Optional, Union

from sessionscope.engines.base import Engine, EngineError, InProcessEngine, drive
from sessionscope.engines.local import LocalEngine, default_workers

__all__ = ["Engine", "EngineError", "InProcessEngine", "LocalEngine", "default_workers", "check_stage_names", "drive", "engine_for",
           "make_engine", "worker_count"]

ENGINES = ("local", "ray")


def make_engine(engine: Union[str, Engine, None] = "local", *, workers: Union[int, str, None] = None,
                address: Optional[str] = None, **options: Any) -> Engine:
    """An engine by name (``local`` or ``ray``), or the engine given.

    Args:
        engine: ``"local"`` (default), ``"ray"``, or an :class:`Engine` instance.
        workers: number of workers; ``"auto"`` = one per core as memory allows; None = 1
            locally (this process), as many as the cluster's CPUs and memory fit on Ray.
        address: Ray only: ``auto``, ``HOST:PORT`` or ``ray://HOST:10001``; None starts a
            local Ray on this machine.
        options: passed to the engine (e.g. ``gpus_per_worker``, ``max_retries``).
    """
    if engine is None:
        engine = "local"
    if not isinstance(engine, str):
        return engine
    n = worker_count(workers)
    if engine == "local":
        if address:
            raise EngineError("--ray-address needs --engine ray (in Python: ray_address= needs engine=\"ray\")")
        return LocalEngine(n, **options)
    if engine == "ray":
        from sessionscope.engines.ray_engine import RayEngine

        ray_engine = RayEngine(address=address, workers=n, **options)
        ray_engine.connect()  # fail now (not installed, cluster unreachable), not mid-batch
        return ray_engine
    raise EngineError(f"unknown engine {engine!r}; valid engines: {', '.join(ENGINES)}")


def worker_count(workers: Union[int, str, None]) -> Optional[int]:
    """``workers`` as a number: ``"auto"`` = one per core as memory allows, None stays None; anything that is not a
    whole number of at least 1 (``"two"``, ``0``, ``1.5``, ``True``) is an :class:`EngineError` that names it (it was
    Python's "invalid literal for int()" from deep inside)."""
    if workers is None:
        return None
    if isinstance(workers, str) and workers.strip().lower() == "auto":
        return default_workers()
    text = workers.strip() if isinstance(workers, str) else workers
    if isinstance(text, bool) or not (isinstance(text, Integral) or (isinstance(text, str) and text.isdigit())):
        raise EngineError(f"workers must be a whole number of worker processes (at least 1) or 'auto', not {workers!r}")
    n = int(text)
    if n < 1:
        raise EngineError(f"workers must be at least 1, not {workers}")
    return n


def check_stage_names(names: Any) -> None:
    """Fail fast on an unknown stage name without loading any model (the workers load them)."""
    from sessionscope.errors import ConfigError
    from sessionscope.pipeline import STAGES

    bad = [n for n in names if n not in STAGES]
    if bad:
        raise ConfigError(f"unknown stage {bad[0]!r}; valid stages: {', '.join(sorted(STAGES))}")


def engine_for(engine: Union[str, Engine, None] = "local", *, workers: Union[int, str, None] = None,
               address: Optional[str] = None, **options: Any) -> Optional[Engine]:
    """Like :func:`make_engine`, but None for one local worker: the batch then runs in this
    process, with per-step progress (what ``run_batch(engine=None)`` does)."""
    if engine in (None, "local") and not address and workers in (None, 1, "1"):
        return None
    return make_engine(engine, workers=workers, address=address, **options)

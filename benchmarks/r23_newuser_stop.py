"""A batch stopped by SIGTERM/SIGINT, model-free (round 23, newuser): a fake engine with one real worker process
finishes one input, then this process gets the signal. Prints one JSON line: the exit code the CLI would give,
whether the worker process still runs after the stop, and ``batch.json``.

Before round 23, SIGTERM ended this process at once (exit -15): its worker processes went on and wrote sessions
that ``batch.json`` never listed. Used by ``tests/test_r23_newuser.py`` and ``benchmarks/r23_newuser.py``.

    python benchmarks/r23_newuser_stop.py OUT_DIR [TERM|INT] [background]

``background`` starts the batch with SIGINT ignored, as a shell starts ``sessionscope run … &`` or ``nohup``: its
workers inherit the ignore, so the stop must end them with SIGTERM (round 55: they went on, as before round 23). Without
it SIGINT is Python's default here, whatever the parent ignores (a test suite run in the background).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sys
import time
from pathlib import Path


def _sleeper() -> None:  # the "worker": busy with its input for a while
    time.sleep(8)


class _Engine:
    workers = 2

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.worker: multiprocessing.process.BaseProcess | None = None

    def map(self, fn, items, *, spec, out_dir, on_start=None, lost=None, release=None):  # noqa: ANN001, ANN201
        from sessionscope.batch import ItemResult

        self.worker = multiprocessing.get_context("spawn").Process(target=_sleeper)
        self.worker.start()
        yield 0, ItemResult(items[0], "ok", out_dir=Path(out_dir) / items[0].session_id)
        os.kill(os.getpid(), self.signum)
        time.sleep(5)  # the signal arrives here
        yield 1, ItemResult(items[1], "ok")

    def close(self) -> None:
        pass


def main() -> None:
    out = Path(sys.argv[1])
    signum = getattr(signal, "SIG" + (sys.argv[2] if len(sys.argv) > 2 else "TERM"))
    background = len(sys.argv) > 3 and sys.argv[3] == "background"
    signal.signal(signal.SIGINT, signal.SIG_IGN if background else signal.default_int_handler)
    from sessionscope.batch import BatchItem
    from sessionscope.cli import common

    items = [BatchItem(path=Path(f"in{i}.vtt"), session_id=f"s{i}") for i in range(3)]
    engine = _Engine(signum)
    code, message = 0, ""
    try:
        common.run_with(engine, items, None, out, hook=None)
    except Exception as e:  # noqa: BLE001 - click's exception, as the CLI would show it
        code, message = getattr(e, "exit_code", 1), str(e)
    time.sleep(0.5)
    alive = engine.worker is not None and engine.worker.is_alive()
    if engine.worker is not None and alive:
        engine.worker.terminate()
    body = json.loads((out / "batch.json").read_text()) if (out / "batch.json").is_file() else None
    print(json.dumps({"exit_code": code, "message": message, "worker_alive_after_stop": alive, "batch": body}))


if __name__ == "__main__":
    main()

"""The ``sessionscope`` command line.

Subcommands live in their own modules and are imported only when used (a lazy click
group), so ``sessionscope --help`` is fast and works without the optional extras.
Only the CLI prints; library errors (:class:`~sessionscope.errors.SessionscopeError`)
become exit code 1 with the message, usage errors exit 2.
"""

from __future__ import annotations

import importlib
import logging
import os
from typing import Any

import click

from sessionscope._version import __version__

#: how long NumPy's OpenBLAS worker threads wait for the next matrix product before they sleep: 2**N CPU cycles
#: (``OPENBLAS_THREAD_TIMEOUT``, read once when NumPy loads OpenBLAS; 22: about 1.6 ms at 2.6 GHz, so the products
#: of one loop still find their worker awake). OpenBLAS's own default, 2**28 cycles (about 0.1 s after every product),
#: kept its worker busy-waiting through most of a `run`: 0.75 CPU s of a 5-minute recording on two cores, taken
#: from the transcription and the diarization (round 26, ``benchmarks/results/speed_5min_r26_*_speed2.json``).
#: Only the waiting changes: the thread count (:func:`sessionscope.models.fixed_blas_threads`) and every result
#: stay the same. A value already in the environment is kept.
BLAS_THREAD_TIMEOUT = "22"
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", BLAS_THREAD_TIMEOUT)

#: command name → "module:attribute". Add a line to register a command.
COMMANDS: dict[str, str] = {
    "analyze": "sessionscope.cli.analyze:analyze",
    "config": "sessionscope.cli.config_cmd:config",
    "run": "sessionscope.cli.run:run",
    "models": "sessionscope.cli.models_cmd:models",
    "remap": "sessionscope.cli.remap:remap",
    "topics": "sessionscope.cli.topics_cmd:topics",
    "report": "sessionscope.cli.report_cmd:report",
    "export": "sessionscope.cli.report_cmd:export",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> Any:
        if cmd_name in COMMANDS:
            module, _, attr = COMMANDS[cmd_name].partition(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="sessionscope")
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
def cli(verbose: int, quiet: bool) -> None:
    """sessionscope: turn recorded mentoring sessions into evidence.

    \b
    Examples:
      sessionscope run recordings/ --manifest sessions.yaml --out results/
      sessionscope analyze transcripts/ --manifest sessions.yaml --out results/
      sessionscope report programme results/ --out results/programme
      sessionscope config show
    """
    from rich.console import Console
    from rich.logging import RichHandler

    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    # warnings and errors go to stderr, beside the closing notes: stdout holds the results alone (a table piped to
    # a file, `export … | tee`), and a warning is still seen when stdout is redirected
    logging.basicConfig(level=level, format="%(message)s", force=True,
                        handlers=[RichHandler(console=Console(stderr=True), show_path=False, show_time=False)])


def main() -> None:
    """Console-script entry point.

    Once the command has finished and said so, the process ends without Python's own finalisation: the
    exit handlers run (workers, clusters and helpers are stopped there), logging and the standard streams are
    flushed, and then the process exits at once instead of freeing every model's objects one by one (0.4–0.6 s
    of wall time after a `run`, measured by ``benchmarks/exit_cost_r12_speed.py``; the outputs are already
    written and closed). A command that leaves a non-daemon thread running, exits with a message, or fails
    with an unexpected exception exits the ordinary way.

    An audio command first starts itself again, once, with transparent huge pages for malloc's memory
    (:func:`sessionscope.cli.hugepages.reexec_with_hugepages`: glibc reads that setting only when a process starts).
    """
    from sessionscope.cli.hugepages import reexec_with_hugepages

    reexec_with_hugepages()
    try:
        cli(prog_name="sessionscope")
    except SystemExit as e:
        if e.code is not None and not isinstance(e.code, int):
            raise  # a message to print: the ordinary way
        _exit_now(e.code or 0)
        raise
    _exit_now(0)


def _exit_now(code: int) -> None:
    """End the process with ``code`` after the exit handlers, unless a non-daemon thread still runs."""
    import atexit
    import os
    import sys
    import threading

    if any(not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        return
    atexit._run_exitfuncs()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            pass
    os._exit(code)


__all__ = ["cli", "main", "COMMANDS", "LazyGroup"]

"""The ``sessionscope`` command line.

Subcommands live in their own modules and are imported only when used (a lazy click
group), so ``sessionscope --help`` is fast and works without the optional extras.
Only the CLI prints; library errors (:class:`~sessionscope.errors.SessionscopeError`)
become exit code 1 with the message, usage errors exit 2.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

import click

from sessionscope._version import __version__

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
      sessionscope analyze transcripts/ --manifest sessions.yaml --out results/
      sessionscope config show
    """
    from rich.logging import RichHandler

    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logging.basicConfig(level=level, format="%(message)s", handlers=[RichHandler(show_path=False, show_time=False)], force=True)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="sessionscope")


__all__ = ["cli", "main", "COMMANDS", "LazyGroup"]

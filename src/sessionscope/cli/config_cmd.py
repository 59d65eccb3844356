"""``sessionscope config``: show and check configuration."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from sessionscope.errors import SessionscopeError


@click.group()
def config() -> None:
    """Show or check the configuration.

    \b
    Examples:
      sessionscope config show
      sessionscope config show --config my.yaml
      sessionscope config check my.yaml
    """


@config.command("show")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), help="YAML overriding the defaults.")
def show(config_path: Optional[Path]) -> None:
    """Print the resolved configuration (defaults + your file) as YAML."""
    from sessionscope.config import config_to_yaml, load_config

    try:
        click.echo(config_to_yaml(load_config(config_path)), nl=False)
    except SessionscopeError as e:
        raise click.ClickException(str(e)) from e


@config.command("check")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def check(path: Path) -> None:
    """Validate a config file; exit 1 with the reasons if it is invalid."""
    from sessionscope.config import load_config
    from sessionscope.engines import check_stage_names
    from sessionscope.outputs import check_formats
    from sessionscope.runspec import check_config_files

    try:
        cfg = load_config(path)
        check_stage_names(cfg.pipeline.stages)  # what analyze/run refuse before any input, refused here too
        check_formats(["json", *cfg.report.formats])
        check_config_files(cfg)
    except SessionscopeError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"{path}: OK")

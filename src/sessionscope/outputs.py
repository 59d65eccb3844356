"""Per-session outputs written next to ``session.json`` (by ``analyze`` and ``run``)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Optional

from sessionscope.config import Config
from sessionscope.errors import ConfigError, ModelError
from sessionscope.fileio import atomic_write_text
from sessionscope.model import Session

log = logging.getLogger(__name__)

#: format name → file name inside the session's output folder
OUTPUT_FILES = {
    "markdown": "summary.md",
    "html": "report.html",
    "srt": "transcript.srt",
    "vtt": "transcript.vtt",
    "rttm": "speakers.rttm",
    "csv": "utterances.csv",
}
FORMATS = ("json", *OUTPUT_FILES)


def check_formats(formats: Sequence[str]) -> list[str]:
    """Validate output format names (``json`` is always written)."""
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ConfigError(f"unknown output format(s) {', '.join(bad)}; valid: {', '.join(FORMATS)}")
    return list(dict.fromkeys(formats))


def write_outputs(session: Session, out_dir: Path, formats: Sequence[str], *, config: Optional[Config] = None,
                  skipped: Optional[list[tuple[str, str]]] = None) -> list[Path]:
    """Write every requested format except ``session.json`` (the batch runner writes it last).

    ``config`` supplies the report wording thresholds (``report`` section); defaults otherwise.
    A format that cannot be written on this install (``html`` without jinja2) or for
    this session (an RTTM export of an untimed transcript) is left out with a warning,
    and appended to ``skipped`` as ``(format, reason)`` when a list is given.
    """
    report_cfg = config.report if config is not None else None
    taxonomy = None  # a programme's own topic taxonomy names the areas in the reports
    if config is not None and config.topics.taxonomy and {"markdown", "html"} & set(formats):
        from sessionscope.analysis.topics.taxonomy import load_taxonomy

        taxonomy = load_taxonomy(config.topics.taxonomy)
    written: list[Path] = []
    for fmt in check_formats(formats):
        if fmt == "json":
            continue
        path = out_dir / OUTPUT_FILES[fmt]
        if fmt == "markdown":
            from sessionscope.report.session_md import render_session_markdown

            atomic_write_text(path, render_session_markdown(session, cfg=report_cfg, taxonomy=taxonomy))
        elif fmt == "html":
            try:
                from sessionscope.report.session_html import render_session_html

                html = render_session_html(session, cfg=report_cfg, taxonomy=taxonomy)
            except (ImportError, ModelError) as e:
                if not isinstance(e, ImportError) and not isinstance(e.__cause__, ImportError):
                    raise
                reason = f"not installed: {getattr(e, 'message', None) or e}"
                log.warning("%s: no html report: %s", session.id, reason)
                if skipped is not None:
                    skipped.append((fmt, reason))
                continue
            atomic_write_text(path, html)
        else:
            from sessionscope.io import export_problem, write_transcript

            problem = export_problem(session, fmt)
            if problem:
                log.warning("%s: no %s export: %s", session.id, fmt, problem)
                if skipped is not None:
                    skipped.append((fmt, problem))
                continue
            write_transcript(session, path, fmt, csv_bom=bool(report_cfg and report_cfg.csv_bom))
        written.append(path)
    return written

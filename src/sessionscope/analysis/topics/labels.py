"""Labelled topic windows: the CSV format ``sessionscope topics train/evaluate`` and the benchmarks read."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Optional


def read_labels(path: Path, *, split: Optional[str] = None) -> list[dict[str, str]]:
    """Rows of a labelled CSV (columns ``text``, ``area`` and optionally ``mode``, ``split``, ``lang``).

    Utterances inside one window may be separated by ``" | "`` or newlines.
    """
    from sessionscope.errors import InputError

    try:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise InputError(f"cannot read labelled CSV: {e}", path=path) from e
    if not rows or "text" not in rows[0] or "area" not in rows[0]:
        raise InputError("a labelled CSV needs a header with at least the columns 'text' and 'area' "
                         "(optional: id, lang, split, mode)", path=path)
    if split:
        rows = [r for r in rows if (r.get("split") or "").strip() == split]
        if not rows:
            raise InputError(f"no rows with split == {split!r}", path=path)
    return rows


def window_text(text: str) -> str:
    """A labelled window as the stage builds it (utterances joined by spaces)."""
    parts = [p.strip() for chunk in text.splitlines() for p in chunk.split(" | ")]
    return " ".join(p for p in parts if p)

"""Utterance tables (CSV/TSV): the CSV sessionscope writes, and spreadsheets shaped like it.

Columns are matched by name, case-insensitively: ``text`` (required), the speaker in
``speaker_name``, ``speaker`` or ``name``, and optionally ``start`` / ``end`` (seconds
or ``hh:mm:ss``) and ``confidence``. Other columns are ignored.
"""

from __future__ import annotations

import csv
import io as _io
from pathlib import Path

from sessionscope.errors import InputError
from sessionscope.escape import csv_uncell
from sessionscope.io._common import Record, Recording, clean_label, parse_seconds, parse_timestamp


def _time(value: str, *, what: str, path: str | Path) -> float | None:
    value = value.strip()
    if not value:
        return None
    if ":" in value:
        return parse_timestamp(value, path=path, where=what)
    return parse_seconds(value, what=what, path=path)


def parse_table(text: str, *, path: str | Path) -> Recording:
    """Records of an utterance CSV/TSV (see the module docstring)."""
    first = text.split("\n", 1)[0]
    dialect = "excel-tab" if "\t" in first and "," not in first else "excel"
    try:
        rows = list(csv.reader(_io.StringIO(text), dialect=dialect))
    except csv.Error as e:
        raise InputError(f"malformed CSV: {e}", path=path) from e
    if not rows:
        raise InputError("empty CSV", path=path)
    header = [h.strip().lower() for h in rows[0]]
    col = {h: i for i, h in reversed(list(enumerate(header)))}
    if "text" not in col:
        raise InputError(f"CSV has no 'text' column (columns: {', '.join(header) or 'none'})", path=path)
    spk = next((col[c] for c in ("speaker_name", "speaker", "name") if c in col), None)
    records = []
    for n, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue

        def get(name: str, row: list[str] = row) -> str:
            i = col.get(name)
            # a leading ' that sessionscope (or a spreadsheet) put before "=", "+", "-", "@" is not text
            return csv_uncell(row[i]) if i is not None and i < len(row) else ""

        text_v = " ".join(get("text").split())
        if not text_v and not get("start").strip():
            continue
        conf = get("confidence").strip()
        start = _time(get("start"), what=f"row {n}: start", path=path)
        end = _time(get("end"), what=f"row {n}: end", path=path)
        if start is not None and end is not None and end < start:
            raise InputError(f"row {n}: ends ({end:g} s) before it starts ({start:g} s)", path=path)
        records.append(Record(
            label=clean_label(csv_uncell(row[spk])) if spk is not None and spk < len(row) else None,
            text=text_v,
            start=start,
            end=end,
            confidence=parse_seconds(conf, what=f"row {n}: confidence", path=path, time=False) if conf else None,
        ))
    return Recording(id=Path(path).stem, records=records)

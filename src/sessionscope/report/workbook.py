"""One Excel workbook of the programme tables, for evaluators who live in spreadsheets.

A sheet per table (named after it, cut to Excel's 31 characters), the header row frozen
and bold, an autofilter, column widths from the longest value (bounded), dates as real
Excel dates. Text cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``,
``@`` first) get a leading apostrophe, as in the CSV files (:func:`sessionscope.escape.csv_cell`).
"""

from __future__ import annotations

import datetime as _dt
import io
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sessionscope.errors import InputError
from sessionscope.escape import csv_cell


def _excel(value: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, (str, list, tuple, set, dict)):
        import pandas as pd

        if pd.isna(value):  # NaN, NaT and pandas' NA
            return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp (NaT is caught by the NaN check below)
        if value != value:
            return None
        value = value.to_pydatetime()
        return value.date() if value.time() == _dt.time(0) else value
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    if isinstance(value, (list, tuple, set, dict)):
        value = ";".join(map(str, value)) if not isinstance(value, dict) else str(value)
    return csv_cell(value) if isinstance(value, str) else value


def workbook_bytes(tables: Mapping[str, Any]) -> bytes:
    """The ``.xlsx`` content: one sheet per table (name → DataFrame)."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter
    except ImportError as e:
        raise InputError("writing programme.xlsx needs openpyxl: pip install 'sessionscope[report]'") from e
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for name, df in tables.items():
        title = name[:31]
        k = 2
        while title in used:
            title = f"{name[:28]}_{k}"
            k += 1
        used.add(title)
        ws = wb.create_sheet(title)
        cols = [str(c) for c in df.columns]
        ws.append(cols)
        widths = [len(c) for c in cols]
        for rec in df.itertuples(index=False, name=None):
            values = [_excel(v) for v in rec]
            ws.append(values)
            for i, v in enumerate(values):
                if v is not None:
                    widths[i] = max(widths[i], len(v.isoformat()[:10]) if isinstance(v, _dt.date) else len(str(v)))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, w + 2))
            for cell in ws.iter_cols(min_col=i, max_col=i, min_row=2):
                for c in cell:
                    if isinstance(c.value, _dt.datetime):
                        c.number_format = "yyyy-mm-dd hh:mm"
                    elif isinstance(c.value, _dt.date):
                        c.number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
        if cols:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(1, len(df) + 1)}"
    if not wb.worksheets:
        wb.create_sheet("empty")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_workbook(tables: Mapping[str, Any], path: str | Path) -> Path:
    """Write ``programme.xlsx`` atomically; returns the path."""
    from sessionscope.fileio import atomic_write_bytes

    return atomic_write_bytes(Path(path), workbook_bytes(tables))

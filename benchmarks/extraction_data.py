"""The labelled EN/RU extraction sets (``benchmarks/data/extraction/{en,ru}.csv``).

Columns: ``id, split, label, owner, due_text, due_date, hard_negative_for, text``.
``label`` is ``recommendation``, ``action``, ``problem``, ``question`` or ``none``;
``owner`` (actions) is ``speaker``, ``addressee`` or ``both``; ``due_date`` is resolved
against the fixed session date :data:`SESSION_DATE`; ``hard_negative_for`` names the kind
a negative is meant to fool. ``split`` is ``dev`` (training, tuning) or ``test`` (kept
aside: report only). See ``benchmarks/data/extraction/README.md``.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data" / "extraction"
SESSION_DATE = dt.date(2026, 11, 26)  # a Thursday
KINDS = ("recommendation", "action", "problem")


@dataclass(frozen=True)
class Row:
    id: str
    lang: str
    split: str
    label: str
    owner: str
    due_text: str
    due_date: str
    hard_negative_for: str
    text: str


def load_rows(langs: tuple[str, ...] = ("en", "ru"), splits: tuple[str, ...] = ("dev", "test")) -> list[Row]:
    """Rows of the labelled sets for the given languages and splits."""
    rows = []
    for lang in langs:
        with open(DATA / f"{lang}.csv", encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                if r["split"] in splits:
                    rows.append(Row(lang=lang, **r))
    return rows

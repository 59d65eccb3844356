"""Round 32 (issue 10): the due dates added in round 32 ("by EOD", "by the end of the year / quarter", "by Q1", "by
Christmas", «до конца года», «к 15 числу»…) — where do they fire in real talk and in the written sets?

Usage (from the repository root; ~1 min, no models)::

    python benchmarks/r32_dates.py --out benchmarks/results/r32_dates.json

The due expression a sentence gets (``dates.find_due``) also feeds the heads' cues, the assignment step's "a
deadline makes it a task" and the meeting-itself veto, so a new expression can move corpus items. This counts the
texts whose due expression the round-32 rules change (``find_due`` with and without them: the rules are picked out of
``dates._RULES`` by their patterns, :data:`KEYS`), on every TRAIN act of MRDA and AMI (fit, tune and held-out
meetings; no dev meeting) and every row of the written EN/RU sets, and lists them.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, ROOT, load_acts  # noqa: E402

#: substrings that pick out the round-32 patterns of ``dates._RULES``
KEYS = ("eod|cob", "eow", "calendar", "quarter", "q([1-4])", "christmas", "new\\s+year", "квартал", "года\\b",
        "нов(?:ому", "(\\d{1,2})(?:-?(?:го")
SESSION = dt.date(2026, 11, 26)  # the written sets' session date


def _due(text: str, rules: list) -> tuple | None:
    from sessionscope.analysis.extract import dates

    saved = dates._RULES
    dates._RULES = rules
    try:
        d = dates._find_due.__wrapped__(text, SESSION, 7)
    finally:
        dates._RULES = saved
    return (d.text, d.date.isoformat() if d.date else None) if d else None


def measure() -> dict:
    from sessionscope.analysis.extract import dates

    new = [r for r in dates._RULES if any(k in r[0].pattern for k in KEYS)]
    old = [r for r in dates._RULES if r not in new]
    texts: dict[str, list[str]] = {c: [a.text for a in load_acts(c) if a.split in ("train", "heldout")] for c in CORPORA}
    for lang in ("en", "ru"):
        with open(ROOT / "benchmarks" / "data" / "extraction" / f"{lang}.csv", encoding="utf-8") as fh:
            texts[f"written_{lang}"] = [r["text"] for r in csv.DictReader(fh)]
    out: dict = {"round32_rules": len(new), "rules_before": len(old)}
    for name, ts in texts.items():
        changed = []
        for t in ts:
            a, b = _due(t, old), _due(t, dates._RULES)
            if a != b:
                changed.append({"text": t[:160], "before": a, "after": b})
        out[name] = {"texts": len(ts), "changed": len(changed), "rows": changed[:50]}
        print(name, len(ts), len(changed), flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    res = {"command": "python benchmarks/r32_dates.py" + (f" --out {args.out}" if args.out else ""),
           "date": dt.date.today().isoformat(), "split": "MRDA and AMI train acts (fit, tune, held-out; no dev), written sets",
           "session_date": SESSION.isoformat(), **measure()}
    if args.out:
        args.out.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

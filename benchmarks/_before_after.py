"""The command line of a before/after benchmark: ``READ --out F`` in each code version, then ``compare``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path


def _brief(res: dict) -> dict:
    """``res`` without its listed rows (top level and one level down), for the console."""
    return {k: ({kk: vv for kk, vv in v.items() if kk != "rows"} if isinstance(v, dict) else v)
            for k, v in res.items() if k != "rows"}


def changed_rows(before: dict, after: dict, unit: str) -> tuple[dict, list[dict]]:
    """Per file of two ``read`` results (``{"files": {file: {key: row}}}``): counts (files, ``{unit}s_before``,
    ``{unit}s_after``, changed) and every key whose row differs, with both rows."""
    rows: list[dict] = []
    counts = {"files": 0, f"{unit}s_before": 0, f"{unit}s_after": 0, "changed": 0}
    for f, y in after["files"].items():
        x = before["files"][f]
        counts["files"] += 1
        counts[f"{unit}s_before"] += len(x)
        counts[f"{unit}s_after"] += len(y)
        for key in sorted(set(x) | set(y)):
            if x.get(key) != y.get(key):
                rows.append({"file": f, unit: key, "before": x.get(key), "after": y.get(key)})
    counts["changed"] = len(rows)
    return counts, rows


def compare_reads(before: Path, after: Path, out: Path, *, script: str, unit: str, files: str) -> dict:
    """Write and return the comparison of two ``read`` results (:func:`changed_rows`) with the command that made it,
    the date, both versions' commit and package path, and ``files`` (what was read, in words)."""
    b = json.loads(before.read_text(encoding="utf-8"))
    a = json.loads(after.read_text(encoding="utf-8"))
    counts, rows = changed_rows(b, a, unit)
    res = {"command": f"python benchmarks/{script} compare --before {before.name} --after {after.name} --out {out}",
           "date": dt.date.today().isoformat(), "before": {"commit": b["commit"], "sessionscope": b["sessionscope"]},
           "after": {"commit": a["commit"], "sessionscope": a["sessionscope"]}, "files": files, **counts, "rows": rows}
    out.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return res


def cli(doc: str, read: Callable[[Path], object], compare: Callable[[Path, Path, Path], dict], *,
        read_cmd: str = "read") -> None:
    """Parse ``read_cmd --out F`` (run ``read`` in the code version on ``PYTHONPATH``) or ``compare --before B
    --after A --out F`` (write the comparison and print it without its rows)."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("cmd", choices=(read_cmd, "compare"))
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--before", type=Path)
    ap.add_argument("--after", type=Path)
    args = ap.parse_args()
    if args.cmd == read_cmd:
        read(args.out)
    elif args.before is None or args.after is None:
        ap.error("compare needs --before and --after")
    else:
        print(json.dumps(_brief(compare(args.before, args.after, args.out)), indent=1, ensure_ascii=False))

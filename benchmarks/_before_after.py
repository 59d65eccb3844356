"""The command line of a before/after benchmark: ``READ --out F`` in each code version, then ``compare``."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path


def _brief(res: dict) -> dict:
    """``res`` without its listed rows (top level and one level down), for the console."""
    return {k: ({kk: vv for kk, vv in v.items() if kk != "rows"} if isinstance(v, dict) else v)
            for k, v in res.items() if k != "rows"}


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

"""Which raw results named in the benchmark docs are missing from ``benchmarks/results/``.

Round 23 (headline): every figure in ``docs/benchmarks.md``, ``docs/benchmarks/*.md`` and
``README.md`` names the JSON file it came from.  This script lists every ``….json`` name those
pages mention and reports the ones that do not exist under ``benchmarks/results/``.

Names may be patterns: ``a_{before,after}.json`` and ``gold{,2}`` expand like the shell's braces,
``grid1..6`` (or ``before1-7``) expands to ``grid1`` … ``grid6``, ``*`` (or ``…``) matches any run
of characters of one file name, and a bare suffix (``_after.json``, short for "the same name ending
``_after``") matches any file ending so.  A pattern counts as present when every expansion matches at least one file.

Standard library only, no models::

    python benchmarks/r23_headline_check.py                      # report, exit 1 if any missing
    python benchmarks/r23_headline_check.py --json out.json      # also write the list
    python benchmarks/r23_headline_check.py --files docs/benchmarks.md
    python benchmarks/r23_headline_check.py --before before.json --json after.json   # compare with an earlier run
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"

#: File names the pages mention that are output formats or inputs, not raw benchmark results.
NOT_RAW_RESULTS = frozenset(
    {
        "session.json",  # the session file `analyze` / `run` write (a transcript format read by io_speed)
    }
)

# A name: letters, digits and the pattern characters, ending in ".json".  Path prefixes
# (benchmarks/results/…) are allowed and stripped.
_NAME = re.compile(r"[A-Za-z0-9_{}\-,.*…/]*[A-Za-z0-9_}*…]\.json\b")
_RANGE = re.compile(r"(?<!\d)(\d+)(?:\.\.|-)(\d+)(?!\d)")


def default_files(root: Path = ROOT) -> list[Path]:
    """The pages the check covers: docs/benchmarks.md, docs/benchmarks/*.md and README.md."""
    files = [root / "docs" / "benchmarks.md", root / "README.md"]
    files += sorted((root / "docs" / "benchmarks").glob("*.md"))
    return [f for f in files if f.is_file()]


def expand_braces(pattern: str) -> list[str]:
    """Shell-style brace expansion (nested braces, empty alternatives); unbalanced braces stay."""
    start = pattern.find("{")
    if start < 0:
        return [pattern]
    depth = 0
    parts: list[str] = []
    last = start + 1
    for i in range(start, len(pattern)):
        ch = pattern[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                parts.append(pattern[last:i])
                head, tail = pattern[:start], pattern[i + 1 :]
                out: list[str] = []
                for part in parts:
                    for alt in expand_braces(part):
                        out.extend(expand_braces(head + alt + tail))
                return out
        elif ch == "," and depth == 1:
            parts.append(pattern[last:i])
            last = i + 1
    return [pattern]


def expand(pattern: str) -> list[str]:
    """Every concrete name or glob a mentioned pattern stands for."""
    names: list[str] = []
    for name in expand_braces(pattern):
        m = _RANGE.search(name)
        if m and int(m.group(1)) <= int(m.group(2)):
            lo, hi = int(m.group(1)), int(m.group(2))
            for k in range(lo, hi + 1):
                names.extend(expand(name[: m.start()] + str(k) + name[m.end() :]))
        else:
            name = name.replace("…", "*")
            if name.startswith("_"):
                name = "*" + name  # a suffix written alone: "(`x_before.json`, `_after.json`)"
            names.append(name)
    return names


def mentioned(text: str) -> list[str]:
    """The .json names (as written, path prefix removed) in a page's text, in order, once each."""
    seen: dict[str, None] = {}
    for m in _NAME.finditer(text):
        name = m.group(0).lstrip(".,-/")
        if "/" in name:
            # benchmarks/results/x.json -> x.json; other folders are kept and reported as written
            prefix, _, rest = name.rpartition("/")
            if prefix.endswith("results") or prefix.endswith("benchmarks"):
                name = rest
        if name and name not in NOT_RAW_RESULTS:
            seen.setdefault(name, None)
    return list(seen)


def missing_in(names: list[str], results: Path = RESULTS) -> list[str]:
    """The mentioned names some expansion of which matches no file under ``results``."""
    present = {p.name for p in results.iterdir()} if results.is_dir() else set()
    missing = []
    for name in names:
        for concrete in expand(name):
            if "/" in concrete:
                ok = (ROOT / concrete).exists() or bool(list(ROOT.glob(concrete)))
            elif "*" in concrete or "?" in concrete:
                ok = bool(fnmatch.filter(present, concrete))
            else:
                ok = concrete in present
            if not ok:
                missing.append(name)
                break
    return missing


def check(files: list[Path], results: Path = RESULTS) -> dict[str, dict[str, list[str]]]:
    """Per page: the names it mentions and the ones missing."""
    report: dict[str, dict[str, list[str]]] = {}
    for f in files:
        names = mentioned(f.read_text(encoding="utf-8"))
        try:
            key = str(f.resolve().relative_to(ROOT))
        except ValueError:
            key = str(f)
        report[key] = {"mentioned": names, "missing": missing_in(names, results)}
    return report


def _commit() -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


def _totals(report: dict[str, dict[str, list[str]]]) -> dict[str, int]:
    return {page: len(entry["missing"]) for page, entry in report.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", nargs="*", type=Path, help="pages to check (default: the benchmark pages)")
    ap.add_argument("--json", type=Path, help="write the report here")
    ap.add_argument(
        "--before", type=Path, help="a report this script wrote earlier (before an edit): compared in the JSON"
    )
    args = ap.parse_args(argv)
    files = args.files or default_files()
    report = check(files)
    total_missing = 0
    for page, entry in report.items():
        print(f"{page}: {len(entry['mentioned'])} names, {len(entry['missing'])} missing")
        for name in entry["missing"]:
            print(f"  missing: {name}")
        total_missing += len(entry["missing"])
    out: dict[str, object] = {
        "commit": _commit(),
        "command": "python benchmarks/r23_headline_check.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "results_dir": "benchmarks/results",
        "missing_per_page": _totals(report),
        "missing_total": total_missing,
        "pages": report,
    }
    if args.before:
        before = json.loads(args.before.read_text(encoding="utf-8"))
        before_missing = {n for entry in before["pages"].values() for n in entry["missing"]}
        added = sorted({n for entry in report.values() for n in entry["missing"]} - before_missing)
        before_total = sum(len(entry["missing"]) for entry in before["pages"].values())
        out["before"] = {
            "commit": before.get("commit"),
            "command": before.get("command"),
            "pages_from": before.get("pages_from"),
            "missing_per_page": _totals(before["pages"]),
            "missing_total": before_total,
            "pages": before["pages"],
        }
        out["missing_added_since_before"] = added
        print(f"missing before: {before_total}  after: {total_missing}  added: {len(added)}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if total_missing else 0


if __name__ == "__main__":
    raise SystemExit(main())

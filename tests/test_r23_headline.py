"""Round 23 (headline): the benchmark pages name only raw results that exist, and their history links resolve."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _checker():
    spec = importlib.util.spec_from_file_location("r23_headline_check", ROOT / "benchmarks" / "r23_headline_check.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


chk = _checker()

#: Names in docs/benchmarks.md allowed to be missing from benchmarks/results/.  None at round 23's
#: start (the checker found 0 missing before and after the restructure); add one only with a reason.
KNOWN_MISSING_BENCHMARKS_MD: frozenset[str] = frozenset()


def test_brace_and_range_expansion():
    assert chk.expand("a_{before,after}.json") == ["a_before.json", "a_after.json"]
    assert chk.expand("g{,2}_after{,fix}.json") == [
        "g_after.json",
        "g_afterfix.json",
        "g2_after.json",
        "g2_afterfix.json",
    ]
    assert chk.expand("grid1..3.json") == ["grid1.json", "grid2.json", "grid3.json"]
    assert chk.expand("p_{b1-2,a3}.json") == ["p_b1.json", "p_b2.json", "p_a3.json"]
    assert chk.expand("r22_x_*.json") == ["r22_x_*.json"]
    assert chk.expand("…_after.json") == ["*_after.json"]
    assert chk.expand("_after.json") == ["*_after.json"]
    # a dotted version number is not a range
    assert chk.expand("gap0.3_choose.json") == ["gap0.3_choose.json"]


def test_mentioned_strips_results_path_and_skips_output_formats():
    text = (
        "`python x.py --json benchmarks/results/a_r1.json` → `a_r1.json`; `b_{c,d}.json`, "
        "written as `session.json`; data `benchmarks/data/g/gold2.json`."
    )
    assert chk.mentioned(text) == ["a_r1.json", "b_{c,d}.json", "benchmarks/data/g/gold2.json"]


def test_missing_is_reported(tmp_path):
    (tmp_path / "a_before.json").write_text("{}")
    (tmp_path / "a_after.json").write_text("{}")
    (tmp_path / "r9_x_dev.json").write_text("{}")
    names = ["a_{before,after}.json", "a_{before,fix}.json", "r9_*_dev.json", "r9_*_heldout.json", "nope.json"]
    assert chk.missing_in(names, tmp_path) == ["a_{before,fix}.json", "r9_*_heldout.json", "nope.json"]


def test_benchmarks_md_names_only_existing_raw_results():
    report = chk.check([DOCS / "benchmarks.md", DOCS / "benchmarks" / "history.md"])
    for page, entry in report.items():
        assert len(entry["mentioned"]) > 10, page  # the pages do name their raw results
        assert set(entry["missing"]) <= KNOWN_MISSING_BENCHMARKS_MD, (page, entry["missing"])


def _anchors(md: str) -> set[str]:
    ids = set(re.findall(r'<a id="([^"]+)"></a>', md))
    for heading in re.findall(r"^#+ (.+)$", md, flags=re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        ids.add(slug)
    return ids


def test_history_links_resolve():
    main = (DOCS / "benchmarks.md").read_text(encoding="utf-8")
    history = (DOCS / "benchmarks" / "history.md").read_text(encoding="utf-8")
    links = re.findall(r"\(benchmarks/history\.md#([^)]+)\)", main)
    assert len(links) >= 40  # every status row and headline row links its history
    assert set(links) <= _anchors(history), sorted(set(links) - _anchors(history))
    back = re.findall(r"\(\.\./benchmarks\.md#([^)]+)\)", history)
    assert set(back) <= _anchors(main), sorted(set(back) - _anchors(main))


def test_headline_cells_stay_short():
    """The main page carries the latest figure only; history lives in history.md."""
    main = (DOCS / "benchmarks.md").read_text(encoding="utf-8")
    for line in main.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            longest = max(len(cell) for cell in line.split(" | "))
            assert longest <= 600, line[:80]


def _readme_headline_rows() -> list[str]:
    """The rows of the README's "How well it works" table (the figures a new user reads first)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## How well it works", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| what |")]


def test_readme_headline_figures_are_the_status_tables():
    """Every decimal figure of the README's headline table is one the benchmark pages carry (the status table, or its
    history for an earlier round's figure): round 28 found the README four rounds behind the status table."""
    pages = (DOCS / "benchmarks.md").read_text(encoding="utf-8") + (DOCS / "benchmarks" / "history.md").read_text(
        encoding="utf-8")
    rows = _readme_headline_rows()
    assert len(rows) >= 8
    stale = [(n, row[:70]) for row in rows for n in re.findall(r"\d+\.\d+", row) if n not in pages]
    assert not stale, stale

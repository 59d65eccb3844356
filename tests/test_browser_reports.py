"""The session report and the programme dashboard in a real browser (headless Chromium).

Checks that each page loads from disk with no console output at all (our pages log
nothing, so any message — an error, an uncaught exception, a failed resource load — is
a bug), that the dashboard's script ran and filters, and that screenshots can be taken.

Chromium: Debian package ``chromium`` (plus ``fonts-dejavu-core``). Skipped only outside
CI when no Chromium is installed. Run as a script to refresh the screenshots in docs/:

    .venv/bin/python tests/test_browser_reports.py docs/screenshots
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sessionscope.report.programme import write_programme  # noqa: E402
from sessionscope.report.session_html import render_session_html  # noqa: E402
from test_report_data import full_session  # noqa: E402
from test_report_data import write_programme as write_sessions

CONSOLE = re.compile(r":CONSOLE(?:\(\d+\)|:\d+)\]\s*(.*)")


def chromium_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def chromium() -> str:
    path = chromium_binary()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("headless Chromium is required in CI (Debian package: chromium)")
        pytest.skip("Chromium not installed (apt-get install chromium fonts-dejavu-core)")
    return path


def run_chromium(binary: str, url: str, *, screenshot: Path | None = None, size: str = "1280,2200",
                 timeout: float = 120.0) -> tuple[str, list[str]]:
    """Load ``url``; returns (DOM after scripts ran, console messages)."""
    with tempfile.TemporaryDirectory(prefix="ss-chromium-") as profile:
        args = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", f"--user-data-dir={profile}",
                "--enable-logging=stderr", "--v=0", f"--window-size={size}"]
        args += [f"--screenshot={screenshot}"] if screenshot else ["--dump-dom"]
        proc = subprocess.run([*args, url], capture_output=True, text=True, timeout=timeout, check=False)
    console = [m.group(1) for line in proc.stderr.splitlines() if (m := CONSOLE.search(line))]
    return proc.stdout, console


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("pages")
    out = {}
    for lang in ("en", "ru"):
        path = root / f"report_{lang}.html"
        path.write_text(render_session_html(full_session(language=lang)), encoding="utf-8")
        out[f"session_{lang}"] = path
    sessions = write_sessions(root / "results", pairs=3, sessions_per_pair=3)
    _prog, page = write_programme(sessions, root / "programme", formats=("csv",), research_tables=False)
    out["dashboard"] = page
    return out


def test_console_capture_detects_errors(chromium: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><link rel="icon" href="data:,"><p>x</p>'
                   '<script>console.error("boom"); missingFunction();</script>', encoding="utf-8")
    _dom, console = run_chromium(chromium, bad.as_uri())
    assert any("boom" in c for c in console)
    assert any("missingFunction" in c for c in console)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_session_report_loads_cleanly(chromium: str, pages: dict[str, Path], lang: str) -> None:
    dom, console = run_chromium(chromium, pages[f"session_{lang}"].as_uri())
    assert console == []
    assert 'id="recommendations"' in dom and "<svg" in dom
    assert ("Рекомендации" if lang == "ru" else "Recommendations") in dom


def _kpi(dom: str, key: str) -> str:
    m = re.search(rf'id="{key}">([^<]*)<', dom)
    assert m, f"{key} missing"
    return m.group(1)


def test_dashboard_runs_and_filters(chromium: str, pages: dict[str, Path]) -> None:
    url = pages["dashboard"].as_uri()
    dom, console = run_chromium(chromium, url)
    assert console == []
    assert 'data-ready="1"' in dom, "the dashboard script did not finish"
    assert _kpi(dom, "kpi_sessions") == "9"
    assert dom.count("<tr data-i=") > 0 and "hidden" not in re.findall(r"<tr data-i=\"\d+\"[^>]*>", dom)[0]
    # the same page filtered to one pair and a date range through the URL hash
    dom, console = run_chromium(chromium, url + "#pair=pair-b&from=2026-03-10")
    assert console == []
    assert _kpi(dom, "kpi_sessions") == "2"
    visible = [r for r in re.findall(r"<tr data-i=\"\d+\"[^>]*>", dom) if "hidden" not in r]
    assert visible, "some rows must stay visible"
    hidden_points = re.findall(r'id="trend-js-pt-\d+"[^>]*style="display: none;"', dom)
    assert len(hidden_points) == 7
    body = dom.split('id="pair-body">')[1].split("</tbody>")[0]
    assert body.count("<tr>") == 1 and "pair-b" in body and "pp/session" in body  # trend of 2 sessions


def test_dashboard_keeps_undated_sessions(chromium: str, tmp_path: Path) -> None:
    sessions = write_sessions(tmp_path / "res", pairs=1, sessions_per_pair=3)
    sessions[1] = sessions[1].evolve(date=None)
    _prog, page = write_programme(sessions, tmp_path / "prog", formats=("csv",), research_tables=False)
    dom, console = run_chromium(chromium, page.as_uri())
    assert console == [] and _kpi(dom, "kpi_sessions") == "3"
    dom, _console = run_chromium(chromium, page.as_uri() + "#from=2026-03-20")
    assert _kpi(dom, "kpi_sessions") == "2"  # the undated one and the one on 2026-03-30


def test_screenshots(chromium: str, pages: dict[str, Path], tmp_path: Path) -> None:
    for name in ("session_en", "dashboard"):
        shot = tmp_path / f"{name}.png"
        _dom, console = run_chromium(chromium, pages[name].as_uri(), screenshot=shot)
        assert console == []
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_dashboard_programme_evaluation_sections(chromium: str, tmp_path: Path) -> None:
    """Surveys, baseline, goals, checklist and correlations render, and hostile data cannot stop the script."""
    from sessionscope.report.baseline import read_baseline
    from sessionscope.report.surveys import match_surveys

    sessions = write_sessions(tmp_path / "res", pairs=2, sessions_per_pair=3)
    sessions[0] = sessions[0].evolve(pair_id="<!--<script>")  # issue 9 item 5: data must stay data
    survey = tmp_path / "survey.csv"
    survey.write_text("Pair,Date,Name,Satisfaction,I could speak freely,Comments\n"
                      "pair-a,2026-03-16,Anna Smirnova,4,Agree,</script><script>alert(1)</script>\n"
                      "pair-a,2026-03-16,Boris,5,Strongly agree,\u2028 ok\n"
                      "pair-b,2026-03-17,Анна Смирнова,5,Полностью согласна,Спасибо\n"
                      "pair-z,2026-03-17,Anna,5,Agree,\n", encoding="utf-8")
    base = tmp_path / "baseline.csv"
    base.write_text("measure,value\nsatisfaction,3.2\nproblems solved share,40%\n", encoding="utf-8")
    data = match_surveys(sessions, [survey])
    _prog, page = write_programme(sessions, tmp_path / "prog", formats=("csv",), research_tables=False, surveys=data,
                                  baseline=read_baseline(base, pairs={s.pair_id or s.id for s in sessions}),
                                  encoder=None)
    dom, console = run_chromium(chromium, page.as_uri())
    assert console == []
    assert 'data-ready="1"' in dom, "the dashboard script did not finish"
    assert _kpi(dom, "kpi_sessions") == "6" and _kpi(dom, "kpi_goals_done") != "–"
    judged = _prog.goals[_prog.goals["status"] != "pending"]  # a share of goals says of how many (round 40)
    assert _kpi(dom, "kpi_goals_done").endswith(f"({int((judged['status'] == 'done').sum())} of {len(judged)})")
    for section in ("feedback", "baseline", "checklist", "correlations", "input-issues", "followup"):
        assert f'id="{section}"' in dom, section
    assert "3.20 → 4.67" in dom and "no pair 'pair-z'" in dom
    assert "alert(1)" in dom and "<script>alert" not in dom  # shown as text, never run
    dom, console = run_chromium(chromium, page.as_uri() + "#pair=pair-b")
    assert console == [] and _kpi(dom, "kpi_sessions") == "3"
    blocks = re.findall(r'<(?:div|tr) data-p="(\d+)"([^>]*)>', dom)
    assert blocks and all(("hidden" in attrs) == (p != "2") for p, attrs in blocks)  # pairs: <!--<script>, a, b
    dom, console = run_chromium(chromium, page.as_uri() + "#from=2026-03-20")
    assert console == []
    hidden_cols = re.findall(r'<th class="sess" data-ci="\d+" hidden="">', dom)
    assert len(hidden_cols) == 4  # the two earlier sessions of each pair with a checklist grid of 3


def test_session_report_hostile_names_stage_gaps_and_to_check(chromium: str, tmp_path: Path) -> None:
    """Names are data (no script runs, no chart math), skipped stages read "not analysed", "to check" is visible."""
    from dataclasses import replace

    from sessionscope.model import Participant, record_stage_run

    s = full_session()
    hostile = "<img src=x onerror=console.error('xss')> $x^2$ CORP\\jsmith"
    s = s.evolve(participants=tuple(Participant(p.id, hostile if p.id == "boris" else p.name, p.role)
                                    for p in s.participants),
                 recommendations=(replace(s.recommendations[0], to_check=True, confidence=0.4),),
                 action_items=(), questions=())
    for name, status, reason in (("dynamics", "ok", None), ("topics", "ok", None),
                                 ("extraction", "failed", "RuntimeError: <b>boom</b>"), ("flow", "ok", None)):
        s = record_stage_run(s, name, status, reason)
    page = tmp_path / "hostile.html"
    page.write_text(render_session_html(s), encoding="utf-8")
    dom, console = run_chromium(chromium, page.as_uri())
    assert console == []  # the onerror handler never ran
    assert "<img src=" not in dom and "$x^2$ CORP\\jsmith" in dom
    assert "Not analysed: the step failed (RuntimeError: &lt;b&gt;boom&lt;/b&gt;)." in dom
    assert '<span class="badge to-check">to check</span>' in dom


def main(out_dir: str) -> None:
    """Write the documentation screenshots (session report EN/RU, dashboard)."""
    binary = chromium_binary()
    if binary is None:
        raise SystemExit("chromium not found")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for lang in ("en", "ru"):
            page = root / f"session_{lang}.html"
            page.write_text(render_session_html(full_session(language=lang)), encoding="utf-8")
            run_chromium(binary, page.as_uri(), screenshot=out / f"session_report_{lang}.png", size="1100,2300")
        # the dashboard shot uses the benchmark's SYNTHETIC programme (varied trends), labelled as such in docs
        import datetime as dt
        import random

        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
        from dashboard_speed import synthetic_session

        rng = random.Random(3)
        sessions = [synthetic_session(rng, pair=p, k=k, start=dt.date(2026, 1, 12)) for p in range(1, 6)
                    for k in range(5)]
        _prog, page = write_programme(sessions, root / "programme", formats=("csv",), research_tables=False)
        run_chromium(binary, page.as_uri(), screenshot=out / "dashboard.png", size="1280,2300")
        run_chromium(binary, page.as_uri() + "#pair=pair-02,pair-04&from=2026-02-01",
                     screenshot=out / "dashboard_filtered.png",
                     size="1280,1300")
    print("screenshots written to", out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")

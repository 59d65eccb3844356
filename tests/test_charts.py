"""The session report's charts, written as SVG without a plotting library (``report/svg.py``).

The charts are parsed back as XML and their marks mapped back to data: every timed
utterance is a bar at its own times in its speaker's row, every topic segment a bar of
its area's colour, every share bar as long as the share; labels, legend and tooltips name
what they show; names are data, never markup.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sessionscope.report import svg
from sessionscope.report.charts import (
    AREA_COLOURS,
    ROLE_COLOURS,
    render_share,
    render_timeline,
    session_timeline_svg,
    share_spec,
    talk_share_svg,
    timeline_spec,
)
from sessionscope.report.i18n import Translator
from test_report_data import bare_session, full_session

NS = "{http://www.w3.org/2000/svg}"


def _parse(chart: str) -> ET.Element:
    root = ET.fromstring(chart)  # well-formed XML, or this raises
    assert root.tag == f"{NS}svg" and root.get("role") == "img" and root.get("class") == "chart"
    assert root.get("aria-label") and root.findtext(f"{NS}title") == root.get("aria-label")
    return root


def _texts(root: ET.Element) -> list[str]:
    return ["".join(e.itertext()) for e in root.iter(f"{NS}text")]


def _axis(root: ET.Element) -> tuple[float, float, float]:
    """(x of value 0, units per value, value of the last tick) from the tick labels and their x."""
    ticks = [(float(e.get("x")), e.text) for e in root.iter(f"{NS}text") if e.get("dominant-baseline") == "hanging"]
    (x0, t0), (x1, t1) = ticks[0], ticks[-1]
    v0, v1 = (float(re.sub(r"[^\d.]", "", t)) for t in (t0, t1))
    return x0, (x1 - x0) / (v1 - v0), v1


@pytest.mark.parametrize("language", ["en", "ru"])
def test_timeline_shows_every_timed_utterance_and_topic_segment(language: str) -> None:
    s = full_session(language=language)
    t = Translator(language)
    root = _parse(session_timeline_svg(s, t))
    x0, per_minute, _ = _axis(root)
    groups = {g.get("id"): g for g in root.iter(f"{NS}g") if g.get("id")}
    assert set(groups) == {"timeline-s1-topics", "timeline-s1-row-0", "timeline-s1-row-1"}
    for i, p in enumerate(s.participants):
        row = groups[f"timeline-s1-row-{i}"]
        assert row.get("fill") == ROLE_COLOURS[p.role]
        bars = [(float(r.get("x")), float(r.get("width")), r.findtext(f"{NS}title")) for r in row.iter(f"{NS}rect")]
        mine = [u for u in s.utterances if u.speaker == p.id]
        assert len(bars) == len(mine)
        for (x, w, tip), u in zip(bars, mine, strict=True):
            assert (x - x0) / per_minute == pytest.approx(u.start / 60, abs=0.01)
            assert w / per_minute == pytest.approx((u.end - u.start) / 60, abs=0.01)
            assert tip.startswith(f"{p.name} ({t.role(p.role, p.name)}): ")
    segments = [(r.get("fill"), r.findtext(f"{NS}title")) for r in groups["timeline-s1-topics"].iter(f"{NS}rect")]
    assert [c for c, _ in segments] == [AREA_COLOURS[seg.area] for seg in s.topics.segments]
    assert all(t.area(seg.area) in tip for (_, tip), seg in zip(segments, s.topics.segments, strict=True))
    texts = _texts(root)
    for p in s.participants:
        assert p.name in texts and f"({t.role(p.role, p.name)})" in texts  # name and role, one <text> per line
    for label in (t("chart_topics_row"), t("chart_time_axis"), *(t.area(seg.area) for seg in s.topics.segments)):
        assert label in texts  # row, axis and legend labels
    assert root.get("aria-label") == t("sec_timeline")
    assert all(p.name in root.findtext(f"{NS}desc") for p in s.participants)


def test_timeline_axis_covers_the_session() -> None:
    s = full_session()
    root = _parse(session_timeline_svg(s, Translator("en")))
    _, _, last = _axis(root)
    span = s.duration_s / 60
    assert span - svg.nice_ticks(0, span, most=8)[1] < last <= span  # the last tick is the last one inside


@pytest.mark.parametrize("language", ["en", "ru"])
def test_share_bars_are_as_long_as_the_shares(language: str) -> None:
    s = full_session(language=language)
    t = Translator(language)
    root = _parse(talk_share_svg(s, t))
    x0, per_unit, last = _axis(root)
    assert last == 100  # a 0–100 % axis
    bars = list(root.iter(f"{NS}rect"))
    assert len(bars) == len(s.participants)
    for bar, p in zip(bars, s.participants, strict=True):
        share = s.metrics.participants[p.id]["talk_share"]
        assert float(bar.get("width")) / per_unit == pytest.approx(100 * share, abs=0.01)
        assert bar.get("fill") == ROLE_COLOURS[p.role]
        assert bar.findtext(f"{NS}title") == f"{p.name} ({t.role(p.role, p.name)}): {t.pct(share)}"
        assert t.pct(share) in _texts(root) and f"{p.name} ({t.role(p.role, p.name)})" in _texts(root)
    assert t("chart_talk_share") in _texts(root)
    assert len(list(root.iter(f"{NS}line"))) == 2 + 6 + 1  # axes, ticks, the even-split line of a pair


def test_charts_escape_names_and_stay_well_formed() -> None:
    from sessionscope.model import Participant

    hostile = '<script>"x"</script> & Co'
    s = full_session()
    s = s.evolve(participants=tuple(Participant(p.id, hostile if p.id == "anna" else p.name, p.role)
                                    for p in s.participants))
    t = Translator("en")
    for chart in (session_timeline_svg(s, t), talk_share_svg(s, t)):
        assert "<script" not in chart
        assert hostile in _texts(_parse(chart)) or f"{hostile} (junior)" in _texts(_parse(chart))
    # a control character (from a meeting tool's export) cannot make the chart unreadable XML
    s = s.evolve(participants=tuple(Participant(p.id, "Ann\x0ba\x00" if p.id == "anna" else p.name, p.role)
                                    for p in s.participants))
    for chart in (session_timeline_svg(s, t), talk_share_svg(s, t)):
        assert "Ann\ufffda\ufffd" in _texts(_parse(chart)) or "Ann\ufffda\ufffd (junior)" in _texts(_parse(chart))


def test_a_very_long_name_is_cut_in_the_label_and_kept_whole_in_the_tooltip() -> None:
    from sessionscope.model import Participant

    long = "Anna " + "Maria " * 40 + "Smirnova"
    s = full_session()
    s = s.evolve(participants=tuple(Participant(p.id, long if p.id == "anna" else p.name, p.role)
                                    for p in s.participants))
    t = Translator("en")
    for chart in (session_timeline_svg(s, t), talk_share_svg(s, t)):
        root = _parse(chart)
        width = float(root.get("viewBox").split()[2])
        x0, _, _ = _axis(root)
        assert x0 < 0.5 * width  # the plot keeps most of the width
        assert any(x.startswith("Anna Maria") and x.endswith("…") for x in _texts(root))
        assert long in root.findtext(f"{NS}desc")
        assert any(long in (r.findtext(f"{NS}title") or "") for r in root.iter(f"{NS}rect"))


def test_no_timestamps_no_timeline_and_specs_drive_the_drawing() -> None:
    t = Translator("en")
    assert session_timeline_svg(bare_session(), t) is None
    s = full_session()
    assert render_timeline(timeline_spec(s, t)) == session_timeline_svg(s, t)
    assert render_share(share_spec(s, t)) == talk_share_svg(s, t)


def test_nice_ticks() -> None:
    assert svg.nice_ticks(0, 4.9, most=8) == [0, 1, 2, 3, 4]
    assert svg.nice_ticks(0, 60, most=8) == [0, 10, 20, 30, 40, 50, 60]
    assert svg.nice_ticks(0, 0.3, most=8) == [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]
    assert svg.nice_ticks(0, 125, most=8) == [0, 20, 40, 60, 80, 100, 120]
    assert svg.nice_ticks(0, 0) == [0]
    assert svg.tick_label(2.5) == "2.5" and svg.tick_label(10.0) == "10"


def test_text_width_grows_with_the_text() -> None:
    assert svg.text_width("", 12) == 0
    assert svg.text_width("Anna (junior)", 12) < svg.text_width("Anna Smirnova (junior)", 12)
    assert svg.text_width("iiii", 10) < svg.text_width("MMMM", 10)
    assert svg.fit("Anna", 12, 100) == "Anna"
    cut = svg.fit("Anna Smirnova-Volkova", 12, 60)
    assert cut.endswith("…") and svg.text_width(cut, 12) <= 60 and "Anna Smirnova-Volkova".startswith(cut[:-1])


def test_the_session_report_does_not_import_matplotlib() -> None:
    tests = str(Path(__file__).resolve().parent)
    code = (f"import sys; sys.path.insert(0, {tests!r}); from test_report_data import full_session; "
            "from sessionscope.report.session_html import render_session_html; "
            "assert render_session_html(full_session()).count('<svg') == 2; "
            "assert 'matplotlib' not in sys.modules")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr


def test_line_chart_marks_every_point_and_segment_at_its_date_and_value() -> None:
    import datetime as dt

    from sessionscope.report.charts import MARKERS, SERIES, line_chart_svg

    d = dt.date(2026, 3, 2)
    series = [{"label": "pair-a", "points": [(d, 0.3, 1), (d + dt.timedelta(days=14), None, 2),
                                             (d + dt.timedelta(days=28), 0.5, 3)]},
              {"label": "pair-b", "points": [(d + dt.timedelta(days=7), 0.7, 4)]}]
    root = _parse(line_chart_svg(series=series, title="Junior share", ylabel="share", gid_prefix="trend-js",
                                 ylim=(0, 1), percent=True, reference=(0.5, "even split"), xlabel="date"))
    marks = {e.get("id"): e for e in root.iter() if e.get("id")}
    assert set(marks) == {"trend-js-pt-1", "trend-js-pt-3", "trend-js-pt-4", "trend-js-seg-1-3"}  # None: no mark
    assert marks["trend-js-pt-1"].get("fill") == SERIES[0] and marks["trend-js-pt-4"].get("fill") == SERIES[1]
    assert marks["trend-js-pt-3"].findtext(f"{NS}title") == "pair-a 2026-03-30: 50 %"
    seg = marks["trend-js-seg-1-3"]
    # the segment joins the two points: x grows with the date (28 days), y with the value (0.3 → 0.5)
    x1, y1, x2, y2 = (float(seg.get(k)) for k in ("x1", "y1", "x2", "y2"))
    assert x2 > x1 and y2 < y1
    per_day, per_unit = (x2 - x1) / 28, (y1 - y2) / 0.2
    x4 = float(re.match(r"M([\d.]+)", marks["trend-js-pt-4"].get("d")).group(1))  # pair-b's square: its left side
    assert x4 + 0.85 * 4.5 == pytest.approx(x1 + 7 * per_day, abs=0.05)
    texts = _texts(root)
    for label in ("Junior share", "share", "date", "even split", "pair-a", "pair-b", "0 %", "100 %"):
        assert label in texts
    assert MARKERS[:2] == ["o", "s"] and per_unit > 0


def test_date_ticks_are_days_weeks_or_months() -> None:
    import datetime as dt

    from sessionscope.report.charts import _date_ticks

    o = dt.date(2026, 3, 2).toordinal()
    days = _date_ticks(o - 2, o + 12)
    assert days[0][1].startswith("2026 ") and all(lab.isdigit() or lab[:3].isalpha() for _, lab in days[1:])
    assert len(days) <= 11
    months = _date_ticks(o, o + 400)
    assert all(dt.date.fromordinal(int(day)).day == 1 for day, _ in months)
    assert any(lab == "2027 Jan" for _, lab in months)


def test_stacked_bars_are_as_long_as_each_pairs_shares() -> None:
    from sessionscope.report.charts import stacked_bar_svg

    t = Translator("en")
    root = _parse(stacked_bar_svg(groups=["pair-a", "pair-b"], shares=[{"tools": 30.0, "time": 10.0}, {"time": 5.0}],
                                  t=t, title="Coverage", gid_prefix="cov", ids=["0", "1"]))
    bars = {e.get("id"): float(e.get("width")) for e in root.iter(f"{NS}rect") if e.get("id")}
    assert set(bars) == {"cov-bar-0-tools", "cov-bar-0-time", "cov-bar-1-time"}
    full = bars["cov-bar-1-time"]
    assert bars["cov-bar-0-tools"] == pytest.approx(0.75 * full, abs=0.02)
    assert bars["cov-bar-0-time"] == pytest.approx(0.25 * full, abs=0.02)
    assert t.area("tools") in _texts(root) and t.area("time") in _texts(root)

"""The report's charts as self-contained inline SVG, in a colour-blind-safe palette.

Every chart is returned as an ``<svg>`` string ready to inline in HTML: no files, no
network, text kept as text so it stays sharp, searchable and small. Colours are the
Okabe–Ito palette (Okabe & Ito 2008), distinguishable with every common colour-vision
deficiency; lines also differ by marker so that nothing relies on colour alone.

All charts are written directly by :mod:`sessionscope.report.svg`, without a plotting
library, in a few milliseconds. The session report's two charts (the speaker timeline, the
talk-share bars) are first described by a *spec* (what they show: :class:`TimelineSpec`,
:class:`ShareSpec`) and then drawn from it. The programme dashboard's charts (trend lines over
dates, the topic-coverage bars) give the marks a page may filter client-side an SVG id: a
session's point ``trend-js-pt-12``, the segment between two sessions ``trend-js-seg-12-15``, a
pair's bar piece ``cov-bar-3-tools`` (see ``resources/templates/dashboard.js``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Optional

from sessionscope.model import Role, Session
from sessionscope.report import svg
from sessionscope.report.i18n import Translator, is_role_label
from sessionscope.text import fmt_clock

#: Okabe–Ito colour-blind-safe palette.
OKABE_ITO = {
    "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000",
}
ROLE_COLOURS = {Role.JUNIOR: OKABE_ITO["blue"], Role.SENIOR: OKABE_ITO["vermillion"], Role.OTHER: OKABE_ITO["green"]}
AREA_COLOURS = {
    "tools": OKABE_ITO["orange"], "time": OKABE_ITO["sky"], "teamwork": OKABE_ITO["green"],
    "projects": OKABE_ITO["yellow"], "clients": OKABE_ITO["purple"], "development": OKABE_ITO["blue"],
    "other": "#BBBBBB",
}
SERIES = [OKABE_ITO[k] for k in ("blue", "vermillion", "green", "orange", "purple", "sky", "yellow", "black")]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]

def area_colour(area: str, t: Optional[Translator] = None) -> str:
    """Colour of a topic area.

    With a custom taxonomy (``t.taxonomy``), its areas take the palette in the
    taxonomy's order and its "other" area is grey, so a programme's own areas get
    distinct colours; the guide's areas keep theirs. Unknown areas cycle through the palette.
    """
    if t is not None and t.taxonomy is not None:
        if area == t.other_area:
            return AREA_COLOURS["other"]
        order = [a for a in t.areas if a != t.other_area]
        if area in order and not set(order) <= set(AREA_COLOURS):
            return SERIES[order.index(area) % len(SERIES)]
    if area in AREA_COLOURS:
        return AREA_COLOURS[area]
    return SERIES[sum(map(ord, area)) % len(SERIES)]


def _area_order(t: Translator, present: set[str]) -> list[str]:
    """Areas present, in the taxonomy's display order, unknown ones after them."""
    known = [a for a in t.areas if a in present]
    return known + sorted(present - set(known))


@dataclass(frozen=True)
class TimelineSpec:
    """Everything :func:`render_timeline` draws: the chart is a function of this value alone.

    Rows are ``(label, colour, ((start, width), …))`` in minutes, top to bottom (a label may
    hold a line break); ``segments`` are the topic row's ``(start, width, colour, area name)``;
    ``legend`` its ``(colour, area name)`` entries.
    """

    salt: str
    label: str
    n_rows: int
    segments: tuple[tuple[float, float, str, str], ...]
    topics_label: str
    rows: tuple[tuple[str, str, tuple[tuple[float, float], ...]], ...]
    xmax: float
    xlabel: str
    legend: tuple[tuple[str, str], ...]
    #: the decimal separator of the axis's tick labels ("0,5" in a Russian report, as its other figures)
    decimal: str = "."


@dataclass(frozen=True)
class ShareSpec:
    """Everything :func:`render_share` draws: ``(label, colour, value, value text)`` per participant."""

    salt: str
    label: str
    title: str
    bars: tuple[tuple[str, str, float, str], ...]


def timeline_spec(session: Session, t: Translator) -> Optional[TimelineSpec]:
    """What the speaker timeline of ``session`` shows (``None`` without timestamps)."""
    timed = [u for u in session.utterances if u.timed]
    if not timed:
        return None
    span = max(session.span_s or 0.0, max(u.end for u in timed))  # type: ignore[type-var]
    scale = 60.0
    people = list(session.participants)
    known = {p.id for p in people}
    extra_ids = sorted({u.speaker for u in timed} - known)
    rows: list[tuple[str, str, tuple[tuple[float, float], ...]]] = []
    for p in people:
        spans = tuple((u.start / scale, (u.end - u.start) / scale) for u in timed if u.speaker == p.id)  # type: ignore[operator]
        label = p.name if is_role_label(p.name, p.role) else f"{p.name}\n({t.role(p.role, p.name)})"  # redacted: "Other 1"
        rows.append((label, ROLE_COLOURS.get(p.role, OKABE_ITO["green"]), spans))
    for sid in extra_ids:
        spans = tuple((u.start / scale, (u.end - u.start) / scale) for u in timed if u.speaker == sid)  # type: ignore[operator]
        rows.append((sid, "#777777", spans))
    segments = [s for s in (session.topics.segments if session.topics else ()) if s.start is not None and s.end is not None]
    legend: tuple[tuple[str, str], ...] = ()
    if segments:
        legend = tuple((area_colour(a, t), t.area(a)) for a in _area_order(t, {s.area for s in segments}))
    return TimelineSpec(
        salt=f"timeline-{session.id}", label=t("sec_timeline"), n_rows=len(rows) + (1 if segments else 0),
        segments=tuple((seg.start / scale, (seg.end - seg.start) / scale, area_colour(seg.area, t),  # type: ignore[operator]  # timed segments only
                        t.area(seg.area)) for seg in segments),
        topics_label=t("chart_topics_row"), rows=tuple(rows), xmax=span / scale,  # type: ignore[operator]  # timed utterances: never None
        xlabel=t("chart_time_axis"), legend=legend, decimal="," if t.lang == "ru" else ".",
    )


def _clock(minutes: float) -> str:
    """Minutes as a clock reading: ``4:05``, ``1:02:09``."""
    return fmt_clock(minutes * 60)


def _ident(salt: str) -> str:
    """``salt`` as the start of an SVG id (unique per chart in a page)."""
    return re.sub(r"[^\w-]", "_", salt)


#: font sizes (SVG user units) of the session charts
_SIZE, _SMALL = 12.0, 11.0
#: the widest a row label may be (≈ 40 characters; longer ones end in "…", tooltips keep them whole)
_MAX_LABEL = 270.0


def render_timeline(spec: TimelineSpec) -> str:
    """The speaker timeline drawn from its :class:`TimelineSpec` as an inline ``<svg>``.

    One row per participant (a bar per timed utterance) under a row of topic segments,
    minutes on the x axis with a light grid, the areas' legend below. Every bar's tooltip
    gives its row and times; each row is a ``<g id="{salt}-row-{i}">``.
    """
    width, pitch = 900.0, 46.0
    labels: list[tuple[str, ...]] = [tuple(svg.fit(line_, _SIZE, _MAX_LABEL) for line_ in lab) for lab in (
        ([(spec.topics_label,)] if spec.segments else []) + [tuple(r[0].split("\n")) for r in spec.rows])]
    left = max((svg.text_width(line_, _SIZE) for lab in labels for line_ in lab), default=0.0) + 14
    right, top = 12.0, 8.0
    plot_w, plot_h = width - left - right, pitch * (spec.n_rows + 0.2)
    bottom = top + plot_h
    xmax = spec.xmax if spec.xmax > 0 else 1.0

    def x(minutes: float) -> float:
        return left + plot_w * min(max(minutes, 0.0), xmax) / xmax

    def centre(row: int) -> float:  # row 0 is the top row
        return top + pitch * (0.6 + row)

    ident = _ident(spec.salt)
    ticks = svg.nice_ticks(0.0, xmax, most=8)
    body = [svg.line(x(v), top, x(v), bottom, stroke="#dddddd", width=0.8) for v in ticks]  # the grid, behind
    row = 0
    if spec.segments:
        y = centre(0) - 0.4 * pitch
        marks = "".join(svg.rect(x(s), y, x(s + w) - x(s), 0.8 * pitch, fill=c,
                                 tip=f"{spec.topics_label}: {area} {_clock(s)}–{_clock(s + w)}")
                        for s, w, c, area in spec.segments)
        body.append(f'<g id="{ident}-topics" stroke="#ffffff" stroke-width="0.8">{marks}</g>')
        row = 1
    for i, (label, colour, spans) in enumerate(spec.rows):
        y = centre(row + i) - 0.35 * pitch
        name = " ".join(label.split("\n"))
        marks = "".join(svg.rect(x(s), y, x(s + w) - x(s), 0.7 * pitch, tip=f"{name}: {_clock(s)}–{_clock(s + w)}")
                        for s, w in spans)
        body.append(f'<g id="{ident}-row-{i}" fill="{colour}">{marks}</g>')
    for r, lab in enumerate(labels):  # row labels, right-aligned against the axis, one <text> per line
        for j, line_ in enumerate(lab):
            dy = (j - (len(lab) - 1) / 2) * _SIZE * 1.15
            body.append(svg.text(left - 8, centre(r) + dy, line_, size=_SIZE, anchor="end"))
    body.append(svg.line(left, top, left, bottom, stroke="#000000", width=1))
    body.append(svg.line(left, bottom, left + plot_w, bottom, stroke="#000000", width=1))
    for v, tick in zip(ticks, svg.tick_labels(ticks), strict=True):
        body.append(svg.line(x(v), bottom, x(v), bottom + 4, stroke="#000000", width=1))
        body.append(svg.text(x(v), bottom + 6, tick.replace(".", spec.decimal), size=_SIZE, anchor="middle", baseline="hanging"))
    body.append(svg.text(left + plot_w / 2, bottom + 30, spec.xlabel, size=_SIZE, anchor="middle"))
    height = bottom + 42
    if spec.segments:
        items, used = svg.legend(list(spec.legend), width=width, top=height, size=_SMALL)
        body.extend(items)
        height += used + 4
    desc = "; ".join([*(f"{spec.topics_label}: {area} {_clock(s)}–{_clock(s + w)}" for s, w, _, area in spec.segments),
                      *(f"{' '.join(lab.split(chr(10)))}: {len(spans)} × {_clock(sum(w for _, w in spans))}"
                        for lab, _, spans in spec.rows)])
    return svg.document(width, height, body, label=spec.label, desc=desc)


def session_timeline_svg(session: Session, t: Translator) -> Optional[str]:
    """Speaker timeline: one row per participant plus a top row of topic segments.

    Returns ``None`` when the transcript has no timestamps (nothing honest to draw).
    """
    spec = timeline_spec(session, t)
    return None if spec is None else render_timeline(spec)


def share_spec(session: Session, t: Translator) -> Optional[ShareSpec]:
    """What the talk-share chart of ``session`` shows (``None`` without metrics or participants)."""
    m = session.metrics
    if m is None or not session.participants:
        return None
    key = "talk_share" if session.timed else "word_share"
    people = list(session.participants)
    values = [float(m.participants.get(p.id, {}).get(key) or 0.0) for p in people]
    return ShareSpec(
        salt=f"share-{session.id}", label=t("chart_talk_share"),
        title=t("chart_talk_share") if session.timed else t("word_share"),
        bars=tuple((t.with_role(p.name, p.role), ROLE_COLOURS.get(p.role, OKABE_ITO["green"]), v, t.pct(v))
                   for p, v in zip(people, values, strict=True)),
    )


def render_share(spec: ShareSpec) -> str:
    """The talk-share chart drawn from its :class:`ShareSpec` as an inline ``<svg>``.

    One horizontal bar per participant on a 0–100 % axis, its value written beside it
    (and in its tooltip); a dotted line marks an even split between two people.
    """
    width, pitch = 600.0, 40.0
    bars = spec.bars
    names = [svg.fit(b[0], _SIZE, _MAX_LABEL) for b in bars]
    left = max((svg.text_width(n, _SIZE) for n in names), default=0.0) + 14
    right, top = 24.0, 30.0
    plot_w, plot_h = width - left - right, pitch * (len(bars) + 0.2)
    bottom = top + plot_h

    def x(share: float) -> float:
        return left + plot_w * min(max(share, 0.0), 1.0)

    body = [svg.text(left, 12, spec.title, size=13, weight="bold")]
    for i, (label, colour, value, value_text) in enumerate(bars):
        y = top + pitch * (0.6 + i)
        body.append(svg.rect(left, y - 0.3 * pitch, x(value) - left, 0.6 * pitch, fill=colour,
                             tip=f"{label}: {value_text}"))
        body.append(svg.text(x(min(value + 0.01, 0.9)), y, value_text, size=_SIZE))
        body.append(svg.text(left - 8, y, names[i], size=_SIZE, anchor="end"))
    if len(bars) == 2:
        body.append(svg.line(x(0.5), top, x(0.5), bottom, stroke="#555555", width=1, dash="1.5,2.5"))
    body.append(svg.line(left, top, left, bottom, stroke="#000000", width=1))
    body.append(svg.line(left, bottom, left + plot_w, bottom, stroke="#000000", width=1))
    for v in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0):
        body.append(svg.line(x(v), bottom, x(v), bottom + 4, stroke="#000000", width=1))
        body.append(svg.text(x(v), bottom + 6, f"{100 * v:.0f} %", size=_SIZE, anchor="middle", baseline="hanging"))
    desc = "; ".join(f"{label}: {value_text}" for label, _, _, value_text in bars)
    return svg.document(width, bottom + 24, body, label=spec.label, desc=desc)


def talk_share_svg(session: Session, t: Translator) -> Optional[str]:
    """Horizontal bars of each participant's share of talk time (words when untimed)."""
    spec = share_spec(session, t)
    return None if spec is None else render_share(spec)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: the months on a Russian date axis (a Russian dashboard showed "2026 Nov 8 … Dec 1")
_MONTHS_RU = ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")


def _date_ticks(lo: float, hi: float, lang: str = "en") -> list[tuple[float, str]]:
    """Ticks on an axis of day ordinals: days, weeks or months at a readable step, labelled concisely.

    A tick reads as the day of the month (``5``); the first tick of each month shows the month
    too (``Mar 2``), and the first tick of the axis and of each year the year (``2026 Mar 2``);
    month ticks read ``Mar``, with the year on January and on the first tick. Russian (``lang="ru"``):
    ``2 мар``, ``2 мар 2026``, ``мар``, ``янв 2026``.
    """
    ticks = _date_ticks_en(lo, hi)
    if lang != "ru":
        return ticks
    ru = dict(zip(_MONTHS, _MONTHS_RU, strict=True))

    def one(label: str) -> str:
        parts = [ru.get(p, p) for p in label.split()]
        year = [p for p in parts if len(p) == 4 and p.isdigit()]
        rest = [p for p in parts if p not in year]
        if len(rest) == 2:  # month, day → day, month
            rest = [rest[1], rest[0]]
        return " ".join(rest + year)

    return [(v, one(label)) for v, label in ticks]


def _date_ticks_en(lo: float, hi: float) -> list[tuple[float, str]]:
    """:func:`_date_ticks` in English."""
    import datetime as _dt

    span = hi - lo
    ticks: list[tuple[float, str]] = []
    if span <= 200:
        step = next(d for d in (1, 2, 4, 7, 14, 28) if span / d <= 10)
        first = _dt.date.fromordinal(int(math.ceil(lo)))
        if step == 7 or step == 14 or step == 28:  # weeks start on Monday
            first += _dt.timedelta(days=(7 - first.weekday()) % 7)
        d, prev = first, None
        while d.toordinal() <= hi:
            if prev is None:
                label = f"{d.year} {_MONTHS[d.month - 1]} {d.day}"
            elif d.year != prev.year:
                label = f"{d.year} {_MONTHS[d.month - 1]} {d.day}"
            elif d.month != prev.month:
                label = f"{_MONTHS[d.month - 1]} {d.day}"
            else:
                label = str(d.day)
            ticks.append((float(d.toordinal()), label))
            prev, d = d, d + _dt.timedelta(days=step)
        return ticks
    months = next(m for m in (1, 2, 3, 6, 12, 24, 60) if span / (30.4 * m) <= 10)
    start = _dt.date.fromordinal(int(math.ceil(lo)))
    y, m = start.year, start.month + (start.day > 1)
    y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    while (m - 1) % months:
        y, m = y + m // 12, m % 12 + 1
    while True:
        d = _dt.date(y, m, 1)
        if d.toordinal() > hi:
            return ticks
        ticks.append((float(d.toordinal()), f"{y} {_MONTHS[m - 1]}" if m == 1 or not ticks else _MONTHS[m - 1]))
        y, m = y + (m - 1 + months) // 12, (m - 1 + months) % 12 + 1


def _marker(shape: str, x: float, y: float, r: float) -> str:
    """The SVG path (``d``) of a plot marker centred on ``(x, y)``: o s ^ D v P X *."""
    n = svg.num
    if shape == "o":
        return f"M{n(x - r)} {n(y)}a{n(r)} {n(r)} 0 1 0 {n(2 * r)} 0a{n(r)} {n(r)} 0 1 0 {n(-2 * r)} 0Z"
    if shape == "s":
        q = 0.85 * r
        return f"M{n(x - q)} {n(y - q)}h{n(2 * q)}v{n(2 * q)}h{n(-2 * q)}Z"
    if shape in "^v":
        k = 1 if shape == "^" else -1
        return f"M{n(x)} {n(y - k * r)}L{n(x + r)} {n(y + k * 0.8 * r)}L{n(x - r)} {n(y + k * 0.8 * r)}Z"
    if shape == "D":
        return f"M{n(x)} {n(y - r)}L{n(x + 0.8 * r)} {n(y)}L{n(x)} {n(y + r)}L{n(x - 0.8 * r)} {n(y)}Z"
    w = 0.35 * r
    if shape == "P":  # a filled plus
        return (f"M{n(x - w)} {n(y - r)}h{n(2 * w)}v{n(r - w)}h{n(r - w)}v{n(2 * w)}h{n(w - r)}v{n(r - w)}"
                f"h{n(-2 * w)}v{n(w - r)}h{n(w - r)}v{n(-2 * w)}h{n(r - w)}Z")
    if shape == "X":  # a filled cross: the plus turned by 45°
        pts = [(-w, -r), (w, -r), (w, -w), (r, -w), (r, w), (w, w), (w, r), (-w, r), (-w, w), (-r, w), (-r, -w),
               (-w, -w)]
        c = math.sqrt(0.5)
        return "M" + "L".join(f"{n(x + c * (a - b))} {n(y + c * (a + b))}" for a, b in pts) + "Z"
    pts = [(math.sin(math.pi * k / 5) * (r if k % 2 == 0 else 0.45 * r),  # a five-pointed star
            -math.cos(math.pi * k / 5) * (r if k % 2 == 0 else 0.45 * r)) for k in range(10)]
    return "M" + "L".join(f"{n(x + a)} {n(y + b)}" for a, b in pts) + "Z"


def _y_label(y: float, x: float, label: str) -> str:
    return (f'<text x="{svg.num(x)}" y="{svg.num(y)}" font-size="{svg.num(_SIZE)}" text-anchor="middle" '
            f'transform="rotate(-90 {svg.num(x)} {svg.num(y)})" fill="#000000">{svg.esc(label)}</text>')


def line_chart_svg(
    *,
    series: Sequence[dict[str, Any]],
    title: str,
    ylabel: str,
    gid_prefix: str,
    ylim: Optional[tuple[float, float]] = None,
    percent: bool = False,
    reference: Optional[tuple[float, str]] = None,
    xlabel: Optional[str] = None,
    width: float = 11.0,
    height: float = 3.0,
    lang: str = "en",
) -> str:
    """Points over dates, one series per group (e.g. per pair), each point a separately ided mark.

    ``series`` items: ``{"label": str, "points": [(date, value, point_id), ...]}``. Every
    point gets the SVG id ``{gid_prefix}-pt-{point_id}`` and every connecting segment
    ``{gid_prefix}-seg-{id_a}-{id_b}``, so a page can hide sessions outside a filter.
    ``width`` and ``height`` are in inches of 100 user units. Series differ by colour and marker.
    ``lang="ru"``: Russian month names on the date axis and the decimal comma in the figures.
    """
    dec = "," if lang == "ru" else "."
    size = _SIZE
    n_cols = 1 if len(series) <= 14 else 2
    legend_w = min(260.0, max((svg.text_width(s["label"], _SMALL) for s in series), default=0.0) + 28) * n_cols \
        if series else 0.0
    w, h = 100 * width, 100 * height
    left, right, top = 62.0, 14 + legend_w, 26.0
    bottom = h - (44 if xlabel else 28)
    plot_w = w - left - right
    points = [p for s in series for p in s["points"] if p[1] is not None]
    if points:  # at least two weeks on the axis, so ticks are days, never hours
        lo_d = min(p[0].toordinal() for p in points)
        hi_d = max(p[0].toordinal() for p in points)
        pad = max(2.0, (14 - (hi_d - lo_d)) / 2)
        x_lo, x_hi = lo_d - pad, hi_d + pad
    else:
        x_lo, x_hi = 0.0, 1.0
    values = [float(p[1]) for p in points]
    if ylim is not None:
        y_lo, y_hi = ylim
    else:
        y_lo, y_hi = min([0.0, *values]), max([1.0, *values]) * 1.05
    if reference is not None and ylim is None:
        y_hi = max(y_hi, reference[0] * 1.05)

    def x(day: float) -> float:
        return left + plot_w * (day - x_lo) / (x_hi - x_lo)

    def y(v: float) -> float:
        return bottom - (bottom - top) * (v - y_lo) / ((y_hi - y_lo) or 1.0)

    body = [svg.text(left, 12, title, size=13, weight="bold")]
    y_ticks = [v for v in svg.nice_ticks(y_lo, y_hi, most=6) if v >= y_lo - 1e-9]
    for v, tick in zip(y_ticks, svg.tick_labels(y_ticks), strict=True):
        body.append(svg.line(left, y(v), left + plot_w, y(v), stroke="#e5e5e5", width=0.8))
        body.append(svg.line(left - 4, y(v), left, y(v), stroke="#000000", width=1))
        body.append(svg.text(left - 6, y(v), f"{100 * v:.0f} %" if percent else tick.replace(".", dec), size=size,
                             anchor="end"))
    for day, label in (_date_ticks(x_lo, x_hi, lang) if points else []):
        body.append(svg.line(x(day), bottom, x(day), bottom + 4, stroke="#000000", width=1))
        body.append(svg.text(x(day), bottom + 6, label, size=size, anchor="middle", baseline="hanging"))
    body.append(svg.line(left, top, left, bottom, stroke="#000000", width=1))
    body.append(svg.line(left, bottom, left + plot_w, bottom, stroke="#000000", width=1))
    body.append(_y_label((top + bottom) / 2, 14, ylabel))
    if xlabel:
        body.append(svg.text(left + plot_w / 2, h - 10, xlabel, size=size, anchor="middle"))
    if reference is not None:
        body.append(svg.line(left, y(reference[0]), left + plot_w, y(reference[0]), stroke="#555555", width=1,
                             dash="1.5,2.5"))
        body.append(svg.text(left + plot_w - 2, y(reference[0]) - 3, reference[1], size=_SMALL - 1,
                             anchor="end", fill="#555555", baseline="auto"))
    descs = []
    for i, s in enumerate(series):
        colour, shape = SERIES[i % len(SERIES)], MARKERS[i % len(MARKERS)]
        pts = [p for p in s["points"] if p[1] is not None]
        for (d0, v0, id0), (d1, v1, id1) in zip(pts, pts[1:], strict=False):
            seg = svg.line(x(d0.toordinal()), y(v0), x(d1.toordinal()), y(v1), stroke=colour, width=1.2)
            ident = svg.esc(f"{gid_prefix}-seg-{id0}-{id1}")
            body.append(seg.replace("<line ", f'<line id="{ident}" stroke-opacity="0.8" ', 1))
        label = s["label"]
        said = []
        for d, v, pid in pts:
            value = f"{100 * v:.0f} %" if percent else svg.tick_label(round(float(v), 2)).replace(".", dec)
            ident, tip = svg.esc(f"{gid_prefix}-pt-{pid}"), svg.esc(f"{label} {d.isoformat()}: {value}")
            body.append(f'<path id="{ident}" d="{_marker(shape, x(d.toordinal()), y(v), 4.5)}" fill="{colour}">'
                        f"<title>{tip}</title></path>")
            said.append(f"{d.isoformat()} {value}")
        descs.append(f"{label}: " + ", ".join(said))
    rows = math.ceil(len(series) / n_cols) if series else 0
    col_w = legend_w / n_cols if series else 0.0
    for i, s in enumerate(series):
        lx = w - legend_w - 4 + (i // rows) * col_w
        ly = top + 8 + (i % rows) * 16
        colour, shape = SERIES[i % len(SERIES)], MARKERS[i % len(MARKERS)]
        body.append(svg.line(lx, ly, lx + 18, ly, stroke=colour, width=1.2))
        body.append(f'<path d="{_marker(shape, lx + 9, ly, 4)}" fill="{colour}"/>')
        body.append(svg.text(lx + 24, ly, svg.fit(s["label"], _SMALL, col_w - 28), size=_SMALL))
    return svg.document(w, h, body, label=title, desc="; ".join(descs))


def stacked_bar_svg(
    *,
    groups: Sequence[str],
    shares: Sequence[dict[str, float]],
    t: Translator,
    title: str,
    gid_prefix: str,
    ids: Optional[Sequence[str]] = None,
) -> str:
    """One horizontal 100 % bar per group (pair) split by topic area.

    Each bar piece gets the SVG id ``{gid_prefix}-bar-{id}-{area}`` (``id`` from ``ids``,
    default the group label) so that a page can dim a group.
    """
    areas = _area_order(t, {a for s in shares for a, v in s.items() if v})
    width, pitch = 1100.0, 32.0
    names = [svg.fit(g, _SIZE, _MAX_LABEL) for g in groups]
    left = max((svg.text_width(n, _SIZE) for n in names), default=0.0) + 14
    right, top = 24.0, 30.0
    plot_w = width - left - right
    bottom = top + pitch * (len(groups) + 0.2)
    body = [svg.text(left, 12, title, size=13, weight="bold")]
    descs = []
    for i, (g, key, share) in enumerate(zip(groups, ids or groups, shares, strict=False)):
        yc = top + pitch * (0.6 + i)
        at = 0.0
        total = sum(share.values()) or 1.0
        parts = []
        for a in areas:
            frac = share.get(a, 0.0) / total
            if frac <= 0:
                continue
            tip = f"{g}: {t.area(a)} {t.pct(frac)}"
            ident = svg.esc(f"{gid_prefix}-bar-{key}-{a}")
            body.append(svg.rect(left + plot_w * at, yc - 0.35 * pitch, plot_w * frac, 0.7 * pitch,
                                 fill=area_colour(a, t), tip=tip,
                                 extra=f' id="{ident}" stroke="#ffffff" stroke-width="0.5"'))
            parts.append(f"{t.area(a)} {t.pct(frac)}")
            at += frac
        body.append(svg.text(left - 8, yc, names[i], size=_SIZE, anchor="end"))
        descs.append(f"{g}: " + ", ".join(parts))
    body.append(svg.line(left, top, left, bottom, stroke="#000000", width=1))
    body.append(svg.line(left, bottom, left + plot_w, bottom, stroke="#000000", width=1))
    for v in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0):
        body.append(svg.line(left + plot_w * v, bottom, left + plot_w * v, bottom + 4, stroke="#000000", width=1))
        body.append(svg.text(left + plot_w * v, bottom + 6, f"{100 * v:.0f} %", size=_SIZE, anchor="middle",
                             baseline="hanging"))
    height = bottom + 30
    items, used = svg.legend([(area_colour(a, t), t.area(a)) for a in areas], width=width, top=height, size=_SMALL)
    body.extend(items)
    return svg.document(width, height + used + 4, body, label=title, desc="; ".join(descs))

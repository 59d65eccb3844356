"""The report's charts as self-contained inline SVG, in a colour-blind-safe palette.

Every chart is returned as an ``<svg>`` string ready to inline in HTML: no files, no
network, text kept as text so it stays sharp, searchable and small. Colours are the
Okabe–Ito palette (Okabe & Ito 2008), distinguishable with every common colour-vision
deficiency; lines also differ by marker so that nothing relies on colour alone.

The session report's two charts (the speaker timeline, the talk-share bars) are written
directly by :mod:`sessionscope.report.svg`: a chart is first described by a *spec* (what it
shows: :class:`TimelineSpec`, :class:`ShareSpec`) and then drawn from it, in a few
milliseconds and without a plotting library. The programme dashboard's charts (trend lines
over dates, the topic-coverage bars) are drawn with matplotlib (the ``report`` extra), which
sets ``svg.hashsalt`` per figure so that the ids of several inline SVGs in one page never
collide. Artists that a page may filter client-side carry an SVG id through matplotlib's
``set_gid`` (e.g. ``trend-share-pt-12`` for session 12); see ``report/programme.py``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Optional

from sessionscope.model import Role, Session
from sessionscope.report import svg
from sessionscope.report.i18n import Translator, fmt_clock

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

_RC = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Liberation Sans"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "svg.image_inline": True,
    # names and area labels are data: "$5 Bob$" must not be parsed as mathtext
    "text.parse_math": False,
}


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def to_svg(fig: Any, *, salt: str, label: Optional[str] = None) -> str:
    """Serialise a figure as an inline ``<svg>`` element (XML prolog and DOCTYPE removed).

    ``label`` becomes the SVG's accessible name (``role="img"``, ``aria-label``) for screen readers.
    """
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({**_RC, "svg.hashsalt": salt}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)  # RDF boilerplate, not needed inline
    svg = re.sub(r'\s+xmlns:(?:dc|cc|rdf)="[^"]*"', "", svg)
    # matplotlib numbers its element ids per figure (figure_1, patch_1…): make them unique in the page
    prefix = re.sub(r"[^\w-]", "_", salt)

    def rename(ident: str) -> str:
        return ident if ident.startswith(prefix) else f"{prefix}-{ident}"

    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{rename(m.group(1))}"', svg)
    svg = re.sub(r'url\(#([^)]+)\)', lambda m: f"url(#{rename(m.group(1))})", svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{rename(m.group(1))}"', svg)
    # responsive: keep the viewBox, let CSS decide the size
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 class="chart"', svg, count=1)
    if label:
        from html import escape

        svg = svg.replace('<svg', f'<svg role="img" aria-label="{escape(label)}"', 1)
    return svg


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
        rows.append((f"{p.name}\n({t.role(p.role)})", ROLE_COLOURS.get(p.role, OKABE_ITO["green"]), spans))
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
        xlabel=t("chart_time_axis"), legend=legend,
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
    for v in ticks:
        body.append(svg.line(x(v), bottom, x(v), bottom + 4, stroke="#000000", width=1))
        body.append(svg.text(x(v), bottom + 6, svg.tick_label(v), size=_SIZE, anchor="middle", baseline="hanging"))
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
        bars=tuple((f"{p.name} ({t.role(p.role)})", ROLE_COLOURS.get(p.role, OKABE_ITO["green"]), v, t.pct(v))
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
) -> str:
    """Points over dates, one series per group (e.g. per pair), each point a separately ided artist.

    ``series`` items: ``{"label": str, "points": [(date, value, point_id), ...]}``. Every
    point gets the SVG id ``{gid_prefix}-pt-{point_id}`` and every connecting segment
    ``{gid_prefix}-seg-{id_a}-{id_b}``, so a page can hide sessions outside a filter.
    """
    import matplotlib
    import matplotlib.dates as mdates

    with matplotlib.rc_context({**_RC, "svg.hashsalt": gid_prefix}):
        fig = _figure(width, height)
        ax = fig.add_subplot()
        for i, s in enumerate(series):
            colour, marker = SERIES[i % len(SERIES)], MARKERS[i % len(MARKERS)]
            pts = [p for p in s["points"] if p[1] is not None]
            for (d0, v0, id0), (d1, v1, id1) in zip(pts, pts[1:], strict=False):
                (seg,) = ax.plot([d0, d1], [v0, v1], color=colour, linewidth=1.2, alpha=0.8)
                seg.set_gid(f"{gid_prefix}-seg-{id0}-{id1}")
            for d, v, pid in pts:
                (pt,) = ax.plot([d], [v], marker=marker, color=colour, markersize=5, linestyle="none")
                pt.set_gid(f"{gid_prefix}-pt-{pid}")
            ax.plot([], [], marker=marker, color=colour, label=s["label"])  # legend handle
        dates = [p[0] for s in series for p in s["points"] if p[1] is not None]
        if dates:  # at least two weeks on the axis, so ticks are days, never hours
            import datetime as _dt

            lo, hi = min(dates), max(dates)
            pad = max(_dt.timedelta(days=2), (_dt.timedelta(days=14) - (hi - lo)) / 2)
            ax.set_xlim(lo - pad, hi + pad)
        if reference is not None:
            ax.axhline(reference[0], color="#555555", linestyle=":", linewidth=1)
            ax.annotate(reference[1], (0.995, reference[0]), xycoords=("axes fraction", "data"), ha="right",
                        va="bottom", fontsize=8, color="#555555")
        if ylim:
            ax.set_ylim(*ylim)
        if percent:
            ax.yaxis.set_major_formatter(lambda x, _pos: f"{100 * x:.0f} %")
        ax.set_title(title, loc="left")
        ax.set_ylabel(ylabel)
        if xlabel:
            ax.set_xlabel(xlabel)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
        ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
        if series:
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8,
                      ncols=1 if len(series) <= 14 else 2)
        return to_svg(fig, salt=gid_prefix, label=title)


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
    import matplotlib
    from matplotlib.patches import Patch

    areas = _area_order(t, {a for s in shares for a, v in s.items() if v})
    with matplotlib.rc_context({**_RC, "svg.hashsalt": gid_prefix}):
        fig = _figure(11.0, 0.32 * len(groups) + 1.4)
        ax = fig.add_subplot()
        ys = list(range(len(groups)))[::-1]
        for y, g, share in zip(ys, ids or groups, shares, strict=False):
            left = 0.0
            total = sum(share.values()) or 1.0
            for a in areas:
                w = share.get(a, 0.0) / total
                if w <= 0:
                    continue
                (bar,) = ax.barh([y], [w], left=left, color=area_colour(a, t), height=0.7, edgecolor="white",
                                 linewidth=0.5).patches
                bar.set_gid(f"{gid_prefix}-bar-{g}-{a}")
                left += w
        ax.set_yticks(ys, list(groups))
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(lambda x, _pos: f"{100 * x:.0f} %")
        ax.set_title(title, loc="left")
        ax.tick_params(axis="y", length=0)
        handles = [Patch(facecolor=area_colour(a, t), label=t.area(a)) for a in areas]
        if handles:
            fig.legend(handles=handles, loc="outside lower center", ncols=min(4, len(handles)), frameon=False,
                       fontsize=8)
        return to_svg(fig, salt=gid_prefix, label=title)

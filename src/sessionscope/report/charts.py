"""Static, self-contained charts (matplotlib → inline SVG) in a colour-blind-safe palette.

Every chart is returned as an ``<svg>`` string ready to inline in HTML: no files, no
network, text kept as text (``svg.fonttype = none``) so it stays sharp, searchable and
small. Colours are the Okabe–Ito palette (Okabe & Ito 2008), distinguishable with every
common colour-vision deficiency; lines also differ by marker so that nothing relies on
colour alone. Each figure gets its own ``svg.hashsalt`` so that the ids of several
inline SVGs in one page never collide.

Artists that a page may filter client-side carry an SVG id through matplotlib's
``set_gid`` (e.g. ``trend-share-pt-12`` for session 12); see ``report/programme.py``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any, Optional

from sessionscope.model import Role, Session
from sessionscope.report.i18n import Translator

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


def session_timeline_svg(session: Session, t: Translator) -> Optional[str]:
    """Speaker timeline: one row per participant plus a top row of topic segments.

    Returns ``None`` when the transcript has no timestamps (nothing honest to draw).
    """
    import matplotlib
    from matplotlib.patches import Patch

    timed = [u for u in session.utterances if u.timed]
    if not timed:
        return None
    span = max(session.span_s or 0.0, max(u.end for u in timed))  # type: ignore[type-var]
    scale = 60.0
    people = list(session.participants)
    known = {p.id for p in people}
    extra_ids = sorted({u.speaker for u in timed} - known)
    rows: list[tuple[str, str, list[tuple[float, float]]]] = []
    for p in people:
        spans = [(u.start / scale, (u.end - u.start) / scale) for u in timed if u.speaker == p.id]  # type: ignore[operator]
        rows.append((f"{p.name}\n({t.role(p.role)})", ROLE_COLOURS.get(p.role, OKABE_ITO["green"]), spans))
    for sid in extra_ids:
        spans = [(u.start / scale, (u.end - u.start) / scale) for u in timed if u.speaker == sid]  # type: ignore[operator]
        rows.append((sid, "#777777", spans))
    segments = [s for s in (session.topics.segments if session.topics else ()) if s.start is not None and s.end is not None]
    n_rows = len(rows) + (1 if segments else 0)
    with matplotlib.rc_context({**_RC, "svg.hashsalt": f"timeline-{session.id}"}):
        fig = _figure(9.0, 0.55 * n_rows + 1.5)
        ax = fig.add_subplot()
        labels = []
        y = n_rows - 1
        if segments:
            for seg in segments:
                ax.broken_barh([(seg.start / scale, (seg.end - seg.start) / scale)], (y - 0.4, 0.8),  # type: ignore[operator]  # timed segments only
                               facecolors=area_colour(seg.area, t), edgecolors="white", linewidth=0.8)
            labels.append((y, t("chart_topics_row")))
            y -= 1
        for label, colour, spans in rows:
            ax.broken_barh(spans, (y - 0.35, 0.7), facecolors=colour, linewidth=0)
            labels.append((y, label))
            y -= 1
        ax.set_yticks([yy for yy, _ in labels], [lab for _, lab in labels])
        ax.set_ylim(-0.6, n_rows - 0.4)
        ax.set_xlim(0, span / scale)  # type: ignore[operator]  # timed utterances: never None
        ax.set_xlabel(t("chart_time_axis"))
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.tick_params(axis="y", length=0)
        if segments:
            present = _area_order(t, {s.area for s in segments})
            handles = [Patch(facecolor=area_colour(a, t), label=t.area(a)) for a in present]
            fig.legend(handles=handles, loc="outside lower center", ncols=min(4, len(handles)), frameon=False,
                       fontsize=8)
        return to_svg(fig, salt=f"timeline-{session.id}", label=t("sec_timeline"))


def talk_share_svg(session: Session, t: Translator) -> Optional[str]:
    """Horizontal bars of each participant's share of talk time (words when untimed)."""
    import matplotlib

    m = session.metrics
    if m is None or not session.participants:
        return None
    key = "talk_share" if session.timed else "word_share"
    people = list(session.participants)
    values = [float(m.participants.get(p.id, {}).get(key) or 0.0) for p in people]
    with matplotlib.rc_context({**_RC, "svg.hashsalt": f"share-{session.id}"}):
        fig = _figure(6.0, 0.45 * len(people) + 0.9)
        ax = fig.add_subplot()
        ys = list(range(len(people)))[::-1]
        ax.barh(ys, values, color=[ROLE_COLOURS.get(p.role, OKABE_ITO["green"]) for p in people], height=0.6)
        for y, v in zip(ys, values, strict=False):
            ax.text(min(v + 0.01, 0.9), y, t.pct(v), va="center", fontsize=9)
        if len(people) == 2:
            ax.axvline(0.5, color="#555555", linestyle=":", linewidth=1)
        ax.set_yticks(ys, [f"{p.name} ({t.role(p.role)})" for p in people])
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(lambda x, _pos: f"{100 * x:.0f} %")
        ax.set_title(t("chart_talk_share") if session.timed else t("word_share"), loc="left")
        ax.tick_params(axis="y", length=0)
        return to_svg(fig, salt=f"share-{session.id}", label=t("chart_talk_share"))


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

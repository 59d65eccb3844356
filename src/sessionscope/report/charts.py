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
import logging
import re
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Optional

from sessionscope.model import Role, Session
from sessionscope.report.i18n import Translator

log = logging.getLogger(__name__)

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
    """Everything :func:`session_timeline_svg` draws: the chart is a function of this value alone.

    Rows are ``(label, colour, ((start, width), …))`` in minutes, top to bottom; ``segments``
    are the topic row's ``(start, width, colour)``; ``legend`` its ``(colour, label)`` entries.
    """

    salt: str
    label: str
    n_rows: int
    segments: tuple[tuple[float, float, str], ...]
    topics_label: str
    rows: tuple[tuple[str, str, tuple[tuple[float, float], ...]], ...]
    xmax: float
    xlabel: str
    legend: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ShareSpec:
    """Everything :func:`talk_share_svg` draws: ``(label, colour, value, value text)`` per participant."""

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
        segments=tuple((seg.start / scale, (seg.end - seg.start) / scale, area_colour(seg.area, t))  # type: ignore[operator]  # timed segments only
                       for seg in segments),
        topics_label=t("chart_topics_row"), rows=tuple(rows), xmax=span / scale,  # type: ignore[operator]  # timed utterances: never None
        xlabel=t("chart_time_axis"), legend=legend,
    )


def render_timeline(spec: TimelineSpec) -> str:
    """The speaker timeline drawn from its :class:`TimelineSpec`."""
    import matplotlib
    from matplotlib.patches import Patch

    n_rows = spec.n_rows
    with matplotlib.rc_context({**_RC, "svg.hashsalt": spec.salt}):
        fig = _figure(9.0, 0.55 * n_rows + 1.5)
        ax = fig.add_subplot()
        labels = []
        y = n_rows - 1
        if spec.segments:
            for start, width, colour in spec.segments:
                ax.broken_barh([(start, width)], (y - 0.4, 0.8), facecolors=colour, edgecolors="white", linewidth=0.8)
            labels.append((y, spec.topics_label))
            y -= 1
        for label, colour, spans in spec.rows:
            ax.broken_barh(list(spans), (y - 0.35, 0.7), facecolors=colour, linewidth=0)
            labels.append((y, label))
            y -= 1
        ax.set_yticks([yy for yy, _ in labels], [lab for _, lab in labels])
        ax.set_ylim(-0.6, n_rows - 0.4)
        ax.set_xlim(0, spec.xmax)
        ax.set_xlabel(spec.xlabel)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.tick_params(axis="y", length=0)
        if spec.segments:
            handles = [Patch(facecolor=colour, label=label) for colour, label in spec.legend]
            fig.legend(handles=handles, loc="outside lower center", ncols=min(4, len(handles)), frameon=False,
                       fontsize=8)
        return to_svg(fig, salt=spec.salt, label=spec.label)


def session_timeline_svg(session: Session, t: Translator) -> Optional[str]:
    """Speaker timeline: one row per participant plus a top row of topic segments.

    Returns ``None`` when the transcript has no timestamps (nothing honest to draw).
    """
    spec = timeline_spec(session, t)
    return None if spec is None else _rendered(spec)


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
    """The talk-share chart drawn from its :class:`ShareSpec`."""
    import matplotlib

    bars = spec.bars
    with matplotlib.rc_context({**_RC, "svg.hashsalt": spec.salt}):
        fig = _figure(6.0, 0.45 * len(bars) + 0.9)
        ax = fig.add_subplot()
        ys = list(range(len(bars)))[::-1]
        ax.barh(ys, [b[2] for b in bars], color=[b[1] for b in bars], height=0.6)
        for y, (_, _, v, text) in zip(ys, bars, strict=False):
            ax.text(min(v + 0.01, 0.9), y, text, va="center", fontsize=9)
        if len(bars) == 2:
            ax.axvline(0.5, color="#555555", linestyle=":", linewidth=1)
        ax.set_yticks(ys, [b[0] for b in bars])
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(lambda x, _pos: f"{100 * x:.0f} %")
        ax.set_title(spec.title, loc="left")
        ax.tick_params(axis="y", length=0)
        return to_svg(fig, salt=spec.salt, label=spec.label)


def talk_share_svg(session: Session, t: Translator) -> Optional[str]:
    """Horizontal bars of each participant's share of talk time (words when untimed)."""
    spec = share_spec(session, t)
    return None if spec is None else _rendered(spec)


def render_spec(spec: TimelineSpec | ShareSpec) -> str:
    """Draw a session chart from its spec (here, or in the helper process: :func:`draw_ahead`)."""
    return render_timeline(spec) if isinstance(spec, TimelineSpec) else render_share(spec)


#: session charts being drawn ahead in the helper process, by spec (at most a few)
_AHEAD: dict[TimelineSpec | ShareSpec, Future[str]] = {}
_AHEAD_LOCK = threading.Lock()


def draw_ahead(session: Session, t: Translator) -> None:
    """Start drawing the session's charts in the helper process; :func:`session_timeline_svg` collects them.

    ``analyze`` calls this once the topics are known (see
    :func:`sessionscope.pipeline.run_stages`), so that matplotlib (≈ 2 CPU seconds for a
    60-minute session) works on the second CPU while this process extracts the items. A
    chart is taken from there only when the final session gives the very same spec (what
    it draws), else it is drawn here; the helper draws with this module's own code, so the
    SVG is the same either way. Nothing happens without a working helper process.
    """
    from sessionscope.language.nlp import parse_helper

    specs = [s for s in (timeline_spec(session, t), share_spec(session, t)) if s is not None]
    helper = parse_helper() if specs else None
    if helper is None:
        return
    with _AHEAD_LOCK:
        futures: dict[TimelineSpec | ShareSpec, Future[str]] = {}
        for spec in specs:
            if spec not in _AHEAD:
                while len(_AHEAD) >= 4:
                    _AHEAD.pop(next(iter(_AHEAD)))
                futures[spec] = _AHEAD[spec] = Future()
    if not futures:
        return

    def work() -> None:
        for spec, future in futures.items():
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(helper.call("sessionscope.report.charts:render_spec", spec))
            except BaseException as e:  # noqa: BLE001 - the caller then draws it itself
                future.set_exception(e)

    threading.Thread(target=work, name="sessionscope-charts", daemon=True).start()


#: set by :func:`draw_ahead_for`: the taxonomy the reports will name the areas with
_AHEAD_FOR: Optional[tuple[Any]] = None


def draw_ahead_for(taxonomy: Any) -> None:
    """Have :func:`draw_session_charts_ahead` draw charts ahead, for reports with this taxonomy (or ``None``).

    The ``analyze`` command turns it on when it writes HTML reports with charts, in this process.
    """
    global _AHEAD_FOR
    _AHEAD_FOR = (taxonomy,)


def draw_session_charts_ahead(session: Session) -> None:
    """:func:`draw_ahead` with the report's translator, when :func:`draw_ahead_for` turned it on."""
    if _AHEAD_FOR is not None:
        draw_ahead(session, Translator(session.language, _AHEAD_FOR[0]))


def _rendered(spec: TimelineSpec | ShareSpec) -> str:
    with _AHEAD_LOCK:
        future = _AHEAD.pop(spec, None)
    if future is not None:
        try:
            return future.result()
        except Exception as e:  # noqa: BLE001 - draw it here instead
            log.debug("chart drawn ahead failed (%s); drawing it here", e)
    return render_spec(spec)


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

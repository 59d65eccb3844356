"""A small SVG writer for the report's charts: no plotting library, nothing to import.

The session report draws two charts (the speaker timeline and the talk-share bars, see
:mod:`sessionscope.report.charts`). Drawing them with matplotlib cost about 2 CPU seconds
per process (its import and layout engine) for what is a few hundred rectangles and a few
dozen labels, so they are written here directly. What this module knows:

* the coordinates: charts work in SVG user units (``viewBox``), 1 unit ≈ 1 CSS pixel at
  the chart's natural width; pages scale the chart with CSS (``svg.chart``);
* text: always text (searchable, sharp, translatable), escaped as XML; its width is
  *estimated* from per-character widths of DejaVu Sans (the first font asked for), on the
  generous side, so that the margins leave room for the labels in the usual sans-serif fonts;
* axis ticks at "nice" steps (1, 2, 2.5, 5 × 10ⁿ), as plotting libraries choose them;
* accessibility: ``role="img"`` with an ``aria-label``, a ``<title>`` and a ``<desc>`` with
  the data in words, and a ``<title>`` tooltip on every mark with its value.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from sessionscope.escape import xml_text

#: the font stack of every chart (the first one is the one widths are estimated for)
FONT = "DejaVu Sans, Arial, Liberation Sans, sans-serif"

# approximate advance widths of DejaVu Sans, in ems (its real ones: i 0.28, a 0.61, m 0.97, W 0.99)
_NARROW = frozenset("iIjl.,:;'|!`")
_SEMI = frozenset("frt()[]{}/\\ -\"")
_WIDE = frozenset("mwMW@%")


esc = xml_text  # every label and tooltip of a chart is data, escaped as XML


def num(x: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros (``12``, ``3.5``, ``0.25``)."""
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def text_width(text: str, size: float) -> float:
    """Estimated width of ``text`` at font size ``size`` (user units), slightly generous."""
    em = 0.0
    for ch in text:
        if ch in _NARROW:
            em += 0.3
        elif ch in _SEMI:
            em += 0.4
        elif ch in _WIDE:
            em += 0.95
        elif ch.isupper():
            em += 0.74
        else:  # lower case, digits, Cyrillic lower case (≈ 0.6–0.65)
            em += 0.64
    return em * size


def fit(text: str, size: float, width: float) -> str:
    """``text`` cut to an estimated ``width`` at font size ``size``, ending in "…" when cut."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def nice_ticks(lo: float, hi: float, *, most: int = 10) -> list[float]:
    """Tick values from ``lo`` to ``hi`` at a step of 1, 2, 2.5 or 5 × 10ⁿ, at most ``most`` + 1 of them."""
    if not hi > lo:
        return [lo]
    raw = (hi - lo) / most
    mag = 10.0 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * mag >= raw * (1 - 1e-9))
    first = math.ceil(lo / step - 1e-9)
    ticks, i = [], first
    while i * step <= hi * (1 + 1e-9) + 1e-12:
        ticks.append(round(i * step, 10))
        i += 1
    return ticks


def tick_label(x: float) -> str:
    """A tick value as written on an axis: ``10``, ``2.5``."""
    return f"{x:.10g}"


def tick_labels(ticks: list[float]) -> list[str]:
    """Tick values with as many decimals as their step needs, the same for all: ``0.0 0.5 1.0``, ``0 20 40``."""
    if len(ticks) < 2:
        return [tick_label(t) for t in ticks]
    step = min(abs(b - a) for a, b in zip(ticks, ticks[1:], strict=False)) or 1.0
    decimals = 0
    while decimals < 6 and abs(round(step, decimals) - step) > 1e-9:
        decimals += 1
    return [f"{t:.{decimals}f}" for t in ticks]


def text(x: float, y: float, content: str, *, size: float, anchor: str = "start", weight: str = "",
         fill: str = "#000000", baseline: str = "central") -> str:
    """One ``<text>`` element (``anchor``: start / middle / end; ``y`` is its middle unless ``baseline``)."""
    extra = f' font-weight="{weight}"' if weight else ""
    anchor_attr = "" if anchor == "start" else f' text-anchor="{anchor}"'
    base = "" if baseline == "auto" else f' dominant-baseline="{baseline}"'
    return (f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}"{anchor_attr}{base}{extra} fill="{fill}">'
            f"{esc(content)}</text>")


def rect(x: float, y: float, w: float, h: float, *, fill: str = "", tip: str = "", extra: str = "") -> str:
    """One ``<rect>``; ``tip`` becomes its tooltip (``<title>``)."""
    fill_attr = f' fill="{fill}"' if fill else ""
    head = f'<rect x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}"{fill_attr}{extra}'
    return f"{head}><title>{esc(tip)}</title></rect>" if tip else f"{head}/>"


def line(x1: float, y1: float, x2: float, y2: float, *, stroke: str, width: float = 1.0, dash: str = "") -> str:
    """One ``<line>`` (``dash``: an SVG ``stroke-dasharray``)."""
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" stroke="{stroke}" '
            f'stroke-width="{num(width)}"{dash_attr}/>')


def document(width: float, height: float, body: Iterable[str], *, label: str, desc: str = "") -> str:
    """The ``<svg>`` element around ``body``: sized by its ``viewBox``, named for screen readers.

    ``label`` is the accessible name (``aria-label`` and ``<title>``), ``desc`` the data in words.
    """
    head = (f'<svg role="img" aria-label="{esc(label)}" class="chart" xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 {num(width)} {num(height)}" font-family="{esc(FONT)}">')
    parts = [head, f"<title>{esc(label)}</title>"]
    if desc:
        parts.append(f"<desc>{esc(desc)}</desc>")
    parts.extend(body)
    parts.append("</svg>")
    return "\n".join(parts)


def legend(entries: list[tuple[str, str]], *, width: float, top: float, size: float) -> tuple[list[str], float]:
    """Colour swatches with their labels in rows of up to four columns centred in ``width``.

    Returns the elements and the height they take from ``top``.
    """
    if not entries:
        return [], 0.0
    swatch, gap, pad = size * 1.6, size * 0.5, size * 1.6
    widest = max(text_width(label, size) for _, label in entries) + swatch + gap + pad
    cols = max(1, min(4, len(entries), int(width // widest)))
    col_w = min(widest, width / cols)
    rows = math.ceil(len(entries) / cols)
    row_h = size * 1.6
    left = (width - cols * col_w) / 2
    out = []
    for i, (colour, label) in enumerate(entries):
        x = left + (i % cols) * col_w
        y = top + (i // cols) * row_h
        out.append(rect(x, y + row_h / 2 - size * 0.4, swatch, size * 0.8, fill=colour, tip=label))
        out.append(text(x + swatch + gap, y + row_h / 2, fit(label, size, col_w - swatch - gap), size=size))
    return out, rows * row_h

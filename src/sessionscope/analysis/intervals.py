"""Interval arithmetic on (start, end) pairs in seconds, used by the dynamics."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence

Interval = tuple[float, float]


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Union of intervals as a sorted list of disjoint intervals."""
    out: list[list[float]] = []
    for s, e in sorted((s, e) for s, e in intervals if e > s):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def total(intervals: Iterable[Interval]) -> float:
    """Total length of the union of intervals."""
    return sum(e - s for s, e in merge(intervals))


def clip(intervals: Sequence[Interval], lo: float, hi: float) -> list[Interval]:
    """Intervals clipped to [lo, hi] (empty pieces dropped)."""
    return [(max(s, lo), min(e, hi)) for s, e in intervals if min(e, hi) > max(s, lo)]


def clip_sorted(intervals: Sequence[Interval], lo: float, hi: float, ends: Sequence[float]) -> list[Interval]:
    """:func:`clip` of sorted, disjoint intervals (as :func:`merge` returns them).

    ``ends`` are the intervals' ends (computed once by the caller). A binary search skips the
    intervals that end by ``lo`` and the scan stops at the first that starts at ``hi`` or later:
    those are exactly the ones :func:`clip` drops, so the result is the same list.
    """
    out: list[Interval] = []
    for k in range(bisect_right(ends, lo), len(intervals)):
        s, e = intervals[k]
        if s >= hi:
            break
        if min(e, hi) > max(s, lo):
            out.append((max(s, lo), min(e, hi)))
    return out


def coverage_counts(per_speaker: dict[str, list[Interval]]) -> list[tuple[float, float, frozenset[str]]]:
    """Elementary segments with the set of speakers active in each (sweep line).

    ``per_speaker`` must hold merged (disjoint) intervals per speaker.
    """
    events: list[tuple[float, int, str]] = []
    for spk, ivs in per_speaker.items():
        for s, e in ivs:
            events.append((s, 1, spk))
            events.append((e, -1, spk))
    events.sort(key=lambda ev: (ev[0], ev[1]))
    active: dict[str, int] = {}
    out: list[tuple[float, float, frozenset[str]]] = []
    prev: float | None = None
    for t, kind, spk in events:
        if prev is not None and t > prev and active:
            out.append((prev, t, frozenset(active)))
        if kind == 1:
            active[spk] = active.get(spk, 0) + 1
        else:
            active[spk] -= 1
            if active[spk] == 0:
                del active[spk]
        prev = t
    return out

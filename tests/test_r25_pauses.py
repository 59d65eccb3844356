"""Round 25 (issue 11, pauses): quiet pauses cut out of turns on top of the shipped edge growth
(``reconstruct.level_edges`` with ``carve_s``), and the helpers of ``benchmarks/r25_pauses.py`` /
``benchmarks/r25_pauses_diag.py``. Model-free: synthetic levels, turns and utterances."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from sessionscope.audio.reconstruct import LevelEdges, level_edges
from sessionscope.config import DynamicsConfig
from sessionscope.model.types import Utterance
from test_r24_share import _levels

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def test_carving_on_top_of_the_shipped_growth() -> None:
    # voice 0: loud 1-4 s and 5-8 s, a silent second between (inside its turn), a quiet tail 8.0-8.3 s
    db = _levels(2000, [(1.0, 4.0, -30.0), (5.0, 8.0, -30.0), (8.0, 8.3, -55.0)])
    turns = [(1.0, 8.0, 0)]
    grown = level_edges(turns, db, settings=LevelEdges(extend_s=0.8, share=0.15))
    assert grown == [(1.0, 8.3, 0)]  # the shipped default: the tail grows, the pause stays talk time
    both = level_edges(turns, db, settings=LevelEdges(extend_s=0.8, share=0.15, carve_s=0.8, carve_share=0.3))
    assert both == [(1.0, 4.0, 0), (5.0, 8.3, 0)]  # the 1 s pause is cut out, the grown tail is kept
    # a pause shorter than carve_s stays, whatever its level
    assert level_edges(turns, db, settings=LevelEdges(extend_s=0.8, share=0.15, carve_s=1.2, carve_share=0.3)) == grown


def test_carving_keeps_a_pause_louder_than_its_share() -> None:
    # the pause sits at -50 dB: 43 % of the way from the floor (-65) to the voice (-30)
    db = _levels(2000, [(1.0, 4.0, -30.0), (4.0, 5.0, -50.0), (5.0, 8.0, -30.0)])
    turns = [(1.0, 8.0, 0)]
    assert level_edges(turns, db, settings=LevelEdges(extend_s=0.0, carve_s=0.5, carve_share=0.3)) == turns
    assert level_edges(turns, db, settings=LevelEdges(extend_s=0.0, carve_s=0.5, carve_share=0.5)) == [
        (1.0, 4.0, 0), (5.0, 8.0, 0)]


def test_talk_is_the_union_per_speaker() -> None:
    import r25_pauses as mod

    assert mod.talk([(0.0, 2.0, "a"), (1.0, 3.0, "a"), (2.5, 4.0, "b")]) == {"a": 3.0, "b": 1.5}


def test_pause_stats_follow_the_measures_definition() -> None:
    import r25_pauses as mod

    cfg = DynamicsConfig()
    u = [Utterance(id="1", speaker="a", text="so we start here", start=0.0, end=2.0),
         Utterance(id="2", speaker="a", text="and then go on", start=3.5, end=5.0),  # 1.5 s: a pause
         Utterance(id="3", speaker="a", text="and on", start=5.6, end=6.0),  # 0.6 s: under turn_merge_gap_s
         Utterance(id="4", speaker="b", text="right so what now", start=7.5, end=9.0)]  # a gap, not a pause
    assert mod.pause_stats(u, cfg) == {"pauses": 1, "pause_total_s": 1.5}


def test_reference_pauses_inside_one_speakers_turn() -> None:
    import r25_pauses_diag as mod

    ref = [(0.0, 2.0, "a"), (2.4, 4.0, "a"), (4.1, 5.0, "a"), (6.0, 7.0, "b"), (8.0, 9.0, "a"), (9.0, 9.5, "b"),
           (9.2, 10.0, "a"), (11.0, 12.0, "a")]
    got = mod.ref_pauses(ref)
    # 2.0-2.4 (0.4 s), 10.0-11.0 (1 s); not 4.0-4.1 (under 0.25 s), not 5.0-8.0 (b spoke), 9.5-9.2 (overlap)
    assert got == [(2.0, 2.4, "a"), (10.0, 11.0, "a")]


def test_covered_share_by_same_or_other_label() -> None:
    import r25_pauses_diag as mod

    segs = [(0.0, 1.5, "x"), (1.8, 2.0, "y")]
    assert mod.covered((1.0, 2.0), segs, "x", True) == pytest.approx(0.5)
    assert mod.covered((1.0, 2.0), segs, "x", False) == pytest.approx(0.2)
    assert mod.covered((1.0, 2.0), segs, None, True) == 0.0

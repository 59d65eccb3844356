"""Round 24 (issue 11, talk share): turn edges by each voice's own level (``reconstruct.level_edges``) and the
per-speaker breakdown of ``benchmarks/r24_share.py``. Model-free: synthetic levels and turns."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from sessionscope.audio.reconstruct import LevelEdges, frame_db, level_edges

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def _levels(n: int, spans: list[tuple[float, float, float]], floor: float = -65.0) -> np.ndarray:
    """10 ms levels (dB): ``floor`` everywhere, ``level`` over each (start, end, level) span."""
    db = np.full(n, floor)
    for a, b, lv in spans:
        db[int(round(a * 100)):int(round(b * 100))] = lv
    return db


def test_frame_db_matches_rms() -> None:
    x = np.concatenate([np.full(160, 0.1, dtype=np.float32), np.full(160, 0.01, dtype=np.float32), np.zeros(50, np.float32)])
    db = frame_db(x, block=1)
    assert db.shape == (2,)
    assert db == pytest.approx([-20.0, -40.0], abs=1e-4)


def test_quiet_tail_of_a_voice_is_given_back() -> None:
    # voice 0 speaks 1-9 s at -30 dB with a -55 dB tail 9-9.3 s (above 20 % of the way from -65 to -30)
    db = _levels(2000, [(1.0, 9.0, -30.0), (9.0, 9.3, -55.0), (11.0, 19.0, -25.0)])
    turns = [(1.0, 9.0, 0), (11.0, 19.0, 1)]
    out = level_edges(turns, db, settings=LevelEdges(extend_s=0.5, share=0.2))
    assert (1.0, 9.3, 0) in out  # the tail, and only the tail (the floor after it is not grown into)
    assert (11.0, 19.0, 1) in out


def test_growth_is_bounded_and_stops_at_another_voice() -> None:
    db = _levels(2000, [(1.0, 9.0, -30.0), (9.0, 11.0, -40.0), (11.0, 19.0, -30.0)])
    out = level_edges([(1.0, 9.0, 0), (10.2, 19.0, 1)], db, settings=LevelEdges(extend_s=0.5, share=0.2))
    a = next(t for t in out if t[2] == 0)
    b = next(t for t in out if t[2] == 1)
    assert a[1] == pytest.approx(9.5)  # at most extend_s
    assert b[0] == pytest.approx(9.7)  # voice 1 grows back to 9.7: 0.5 s
    # a short gap between two voices is shared at its middle, never claimed by both
    out2 = level_edges([(1.0, 9.0, 0), (9.4, 19.0, 1)], db, settings=LevelEdges(extend_s=0.5, share=0.2))
    assert next(t for t in out2 if t[2] == 0)[1] == pytest.approx(9.2)
    assert next(t for t in out2 if t[2] == 1)[0] == pytest.approx(9.2)


def test_off_unknown_level_or_no_floor_leave_turns_alone() -> None:
    db = _levels(2000, [(1.0, 9.0, -30.0), (9.0, 9.3, -55.0)])
    turns = [(1.0, 9.0, 0)]
    assert level_edges(turns, db, settings=LevelEdges(extend_s=0.0)) == turns
    assert level_edges(turns, db, settings=LevelEdges(min_solo_s=10.0)) == turns  # 8 s alone: level unknown
    busy = [(0.0, 20.0, 0)]  # nobody is ever silent: no floor
    assert level_edges(busy, db) == busy
    assert level_edges([], db) == []


def test_pause_carving_cuts_only_long_quiet_stretches_inside_a_turn() -> None:
    db = _levels(2000, [(1.0, 4.0, -30.0), (5.0, 8.0, -30.0), (8.3, 12.0, -30.0)])
    turns = [(1.0, 12.0, 0)]
    out = level_edges(turns, db, settings=LevelEdges(extend_s=0.0, carve_s=0.8, carve_share=0.3))
    assert out == [(1.0, 4.0, 0), (5.0, 12.0, 0)]  # the 1 s pause is cut, the 0.3 s one is kept


def test_joined_when_grown_turns_meet() -> None:
    db = _levels(2000, [(1.0, 5.0, -30.0), (5.0, 5.6, -50.0), (5.6, 10.0, -30.0)])
    out = level_edges([(1.0, 5.2, 0), (5.5, 10.0, 0)], db, settings=LevelEdges(extend_s=0.5, share=0.2))
    assert out == [(1.0, 10.0, 0)]


def test_breakdown_splits_missed_and_false_alarm() -> None:
    import r24_share as mod

    ref = [(0.0, 4.0, "A"), (5.0, 9.0, "B")]
    hyp = [(0.0, 3.0, "x"), (3.0, 4.0, "y"), (4.0, 9.5, "y")]  # A's last second given to y (= B); y runs on
    b = mod.breakdown(ref, hyp, 10.0)
    assert b["A"]["label"] == "x" and b["B"]["label"] == "y"
    assert b["A"]["miss_other_s"] == pytest.approx(1.0)
    assert b["B"]["fa_other_s"] == pytest.approx(1.0)
    assert b["B"]["fa_silence_s"] == pytest.approx(1.5)  # 4-5 and 9-9.5: nobody speaks
    assert b["A"]["share_err"] == pytest.approx(100 * (3 / 9.5 - 4 / 8), abs=0.01)


def test_the_settings_are_in_the_diarization_cache_key() -> None:
    from sessionscope.audio.diarize import DiarizationParams, diarization_method, diarization_params
    from sessionscope.config import DiarizationConfig

    config = DiarizationConfig()
    key = diarization_params(config)
    if diarization_method(config) != "local-agglomerative":
        pytest.skip("segmentation model not installed: the fallback has no level edges")
    assert DiarizationParams().edges.on
    assert key["level_edges"] == repr(LevelEdges())



def test_the_level_edges_follow_the_config() -> None:
    """``diarization.edge_extend_s`` / ``edge_share`` reach the settings and the cache key; 0 turns them off; the
    default's key is the one round 24 cached under."""
    from sessionscope.audio.diarize import diarization_method, diarization_params, level_edge_settings
    from sessionscope.audio.pipeline import diarization_settings
    from sessionscope.config import Config, DiarizationConfig

    assert level_edge_settings(DiarizationConfig()) == LevelEdges()
    off = DiarizationConfig(edge_extend_s=0.0)
    assert not level_edge_settings(off).on
    wider = Config.model_validate({"diarization": {"edge_extend_s": 0.5, "edge_share": 0.2}})
    assert diarization_settings(wider).edges == LevelEdges(extend_s=0.5, share=0.2)
    if diarization_method(off) != "local-agglomerative":
        pytest.skip("segmentation model not installed: the fallback has no level edges")
    assert "level_edges" not in diarization_params(off)
    assert diarization_params(wider.diarization)["level_edges"] == repr(LevelEdges(extend_s=0.5, share=0.2))
    with pytest.raises(ValueError):
        DiarizationConfig(edge_share=1.5)

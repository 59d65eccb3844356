"""Issue 10, round 6: small talk at a session's edges is kept by the short-run rule. Model-free."""

from __future__ import annotations

import numpy as np

import sessionscope.analysis.topics.stage as stage_mod
from sessionscope.analysis.topics.segment import absorb_short_runs
from sessionscope.analysis.topics.stage import absorb_runs

OTHER = 2  # label index of the catch-all in these 3-label tests (areas 0 and 1)


def _proba(p_other: list[float], area: list[int]) -> np.ndarray:
    """Rows with ``other`` probability ``p_other``, the rest on ``area`` (80 %) and the other area (20 %)."""
    out = np.zeros((len(p_other), 3))
    for i, (p, a) in enumerate(zip(p_other, area, strict=True)):
        out[i, OTHER] = p
        out[i, a] = 0.8 * (1 - p)
        out[i, 1 - a] = 0.2 * (1 - p)
    return out


def test_short_opening_and_goodbye_are_kept_at_the_edges():
    # a 1-window greeting, 10 windows of work, a 2-window goodbye; the area minimum is 3 windows
    p_other = [0.76] + [0.05] * 10 + [0.8, 0.9]
    proba = _proba(p_other, [0] * 13)
    path = np.array([OTHER] + [0] * 10 + [OTHER] * 2)
    assert absorb_short_runs(path, proba, min_len=3, catch_all=OTHER).tolist() == [0] * 13  # before: both lost
    kept = absorb_short_runs(path, proba, min_len=3, catch_all=OTHER, keep_edge_above=0.5)
    assert kept.tolist() == path.tolist()


def test_edge_rule_needs_the_gate_to_call_it_small_talk():
    p_other = [0.45, 0.45] + [0.05] * 10  # the HMM said small talk, but the run's mean is under 0.5
    proba = _proba(p_other, [0] * 12)
    path = np.array([OTHER] * 2 + [0] * 10)
    assert absorb_short_runs(path, proba, min_len=3, catch_all=OTHER, keep_edge_above=0.5).tolist() == [0] * 12


def test_edge_rule_leaves_small_talk_inside_the_session_alone():
    # a clear 1-window aside in the middle is still absorbed: only the session's start and end are kept
    p_other = [0.05] * 5 + [0.9] + [0.05] * 5
    proba = _proba(p_other, [0] * 11)
    path = np.array([0] * 5 + [OTHER] + [0] * 5)
    assert absorb_short_runs(path, proba, min_len=3, catch_all=OTHER, keep_edge_above=0.5).tolist() == [0] * 11


def test_edge_rule_keeps_only_the_catch_all():
    # a short *area* run at the start is absorbed as before, whatever its probabilities
    p_other = [0.05] * 12
    proba = _proba(p_other, [1] * 2 + [0] * 10)
    path = np.array([1] * 2 + [0] * 10)
    assert absorb_short_runs(path, proba, min_len=3, catch_all=OTHER, keep_edge_above=0.5).tolist() == [0] * 12


def test_absorb_runs_uses_the_stage_constants(monkeypatch):
    p_other = [0.76] + [0.05] * 10 + [0.8, 0.9]
    proba = _proba(p_other, [0] * 13)
    path = np.array([OTHER] + [0] * 10 + [OTHER] * 2)
    assert absorb_runs(path, proba, OTHER, min_len=3).tolist() == path.tolist()
    monkeypatch.setattr(stage_mod, "ABSORB_KEEP_EDGE_ABOVE", None)
    assert absorb_runs(path, proba, OTHER, min_len=3).tolist() == [0] * 13
    monkeypatch.setattr(stage_mod, "ABSORB_KEEP_EDGE_ABOVE", 0.5)
    # without a gate (no catch-all index) the edge rule does not apply
    two = proba[:, :2] / proba[:, :2].sum(axis=1, keepdims=True)
    assert absorb_runs(np.array([1] + [0] * 12), two, None, min_len=3).tolist() == [0] * 13

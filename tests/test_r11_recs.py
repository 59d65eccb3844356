"""Round 11 (recs): the session-prior measurement (benchmarks/recs_prior_r11_recs.py), model-free.

The shift was measured and not shipped; these tests keep the measurement honest: a session at the pooled prior
does not move, a short session is shrunk towards the pool, ``one_sided`` never lowers, and the patched scores move
the recommendation's fused probability only (the action stacker reads no lexical logit).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import recs_prior_r11_recs as rp  # noqa: E402
from sessionscope.analysis.extract.heads import ActHeads, LexicalActHead  # noqa: E402


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def test_session_at_the_pool_does_not_move() -> None:
    p0 = np.full(400, 0.05)
    assert abs(rp.session_shift(p0, 0.05, 50, 1.0, 0)) < 1e-12


def test_shift_is_the_prior_log_odds_shrunk_by_strength() -> None:
    p0 = np.full(150, 0.10)
    share = (150 * 0.10 + 50 * 0.05) / 200
    assert math.isclose(rp.session_shift(p0, 0.05, 50, 1.0, 0), _logit(share) - _logit(0.05))
    assert math.isclose(rp.session_shift(p0, 0.05, 50, 0.5, 0), 0.5 * (_logit(share) - _logit(0.05)))
    # one sentence barely moves the prior, however sure it is
    assert abs(rp.session_shift(np.array([0.99]), 0.05, 50, 1.0, 0)) < 0.45


def test_one_sided_never_lowers() -> None:
    sparse = np.full(500, 0.01)
    assert rp.session_shift(sparse, 0.05, 50, 1.0, 0) < 0
    assert rp.session_shift(sparse, 0.05, 50, 1.0, 0, one_sided=True) == 0.0
    dense = np.full(500, 0.2)
    assert rp.session_shift(dense, 0.05, 50, 1.0, 0, one_sided=True) == rp.session_shift(dense, 0.05, 50, 1.0, 0) > 0


def _toy_heads() -> ActHeads:
    labels = ("recommendation", "action")
    k = len(labels)
    stack = np.zeros((k, 5 * k + 1))
    stack[0, :4] = (0.6, 0.0, 0.4, -0.1)  # recommendation: both MLP logits, both lexical logits
    stack[1, :4] = (0.1, 1.0, 0.0, 0.0)  # action: MLP logits only (as the shipped stacker)
    stack[:, -1] = (-1.0, -2.0)
    lex = LexicalActHead(labels=labels, weights=np.zeros((k, 4)), bias=np.zeros(k), stack=stack,
                         thresholds=np.array([0.29, 0.41]))
    return ActHeads(labels=labels, weights=np.eye(k, 3, dtype=np.float32), bias=np.zeros(k, dtype=np.float32),
                    stack=np.zeros((k, 5)), thresholds=np.array([0.26, 0.38]), encoder="toy", lexical=lex)


def test_patched_scores_move_the_recommendation_only(monkeypatch) -> None:
    heads = _toy_heads()
    rng = np.random.default_rng(0)
    rows = np.concatenate([rng.normal(size=(300, 2)) + 2.0, rng.normal(size=(300, 2))], axis=1)
    monkeypatch.setattr(ActHeads, "scores", lambda self, texts, e, d, c=None: rows)
    ev = np.zeros((len(rows), 2, 3))
    before = heads.lexical.fuse(rows[:, :2], rows[:, 2:], ev)
    spec = {"pool": 0.05, "strength": 50, "lam": 1.0, "one_sided": False}
    rp.patch_scores(spec)
    moved = ActHeads.scores(heads, [""] * len(rows), None, None)
    after = heads.lexical.fuse(moved[:, :2], moved[:, 2:], ev)
    d = rp.session_shift(rp.no_rule_proba(heads, rows), **{k: spec[k] for k in ("pool", "strength", "lam")}, em=0)
    assert d > 0  # this toy session proposes far more than the pool
    assert np.allclose(_logit_arr(after[:, 0]) - _logit_arr(before[:, 0]), d)
    assert np.allclose(after[:, 1], before[:, 1])
    assert np.array_equal(moved[:, :2], rows[:, :2])


def _logit_arr(p: np.ndarray) -> np.ndarray:
    return np.log(p / (1 - p))

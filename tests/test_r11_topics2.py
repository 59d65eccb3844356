"""Issue 10, round 11 (topics2): a mode head that reads its neighbours only where the session's modes are long."""

from __future__ import annotations

import numpy as np
import pytest

from sessionscope.analysis.topics.classify import MODE_CONTEXT, LinearHead, TopicModel, context_mix_weight
from sessionscope.errors import ConfigError
from test_topics import BagOfWords, tax


def onehot(tops: list[int], m: int = 3) -> np.ndarray:
    return np.eye(m)[tops] * 0.8 + 0.2 / m


def test_rate_weight_falls_as_the_plain_modes_change_more_often():
    steady = onehot([0, 0, 0, 0, 1, 1, 1, 1, 1])  # 1 change in 8 steps
    choppy = onehot([0, 1, 0, 2, 0, 1, 2, 1, 0])  # 8 of 8
    half = onehot([0, 0, 1, 1, 2, 2, 0, 0, 1])  # 4 of 8
    assert context_mix_weight(steady, "rate", lo=0.3, hi=0.7, k=2) == 1.0
    assert context_mix_weight(choppy, "rate", lo=0.3, hi=0.7, k=2) == 0.0
    assert context_mix_weight(half, "rate", lo=0.3, hi=0.7, k=2) == pytest.approx(0.5)
    assert context_mix_weight(onehot([2]), "rate", lo=0.3, hi=0.7, k=2) == 1.0  # one window: nothing changes


def test_agree_weight_is_per_window_share_of_neighbours_with_the_same_mode():
    p = onehot([0, 0, 0, 1, 0])
    w = context_mix_weight(p, "agree", lo=0.0, hi=1.0, k=1)
    assert w.tolist() == [1.0, 1.0, 0.5, 0.0, 0.0]
    assert context_mix_weight(p, "agree", lo=0.5, hi=1.0, k=1).tolist() == [1.0, 1.0, 0.0, 0.0, 0.0]
    with pytest.raises(ConfigError, match="unknown context mix"):
        context_mix_weight(p, "always", lo=0.0, hi=1.0, k=1)


def test_context_mode_head_counts_only_in_sessions_with_long_mode_passages():
    enc = BagOfWords()
    modes = ("case", "general", "problem")

    def const(kind: str, winner: str, **meta) -> LinearHead:
        b = np.array([8.0 if c == winner else -8.0 for c in modes], np.float32)
        dim = enc.dim * (2 if meta.get("context") else 1)
        return LinearHead(kind, modes, np.zeros((3, dim), np.float32), b, "fake-bow", meta)

    # the plain head follows the words (its weights read the vector), the context head always says "case"
    plain_W = np.zeros((3, enc.dim), np.float32)
    for j, word in enumerate(["happened", "usually", "stuck"]):
        plain_W[j] = 20 * enc.encode([word])[0]
    plain = LinearHead("mode", modes, plain_W, np.zeros(3, np.float32), "fake-bow", {})
    ctx = const(MODE_CONTEXT, "case", context=1, context_weight=0.5, mix="rate", mix_lo=0.3, mix_hi=0.6)
    model = TopicModel(enc, tax(), heads={"mode": plain, MODE_CONTEXT: ctx}, head_weight=1.0)
    steady = enc.encode(["we are stuck"] * 6 + ["usually we agree"] * 6)  # 1 change in 11
    choppy = enc.encode(["we are stuck", "usually we agree"] * 6)  # changes every window
    assert set(model.predict_embeddings(steady, context=1).modes) == {"case"}  # neighbours trusted
    only_plain = TopicModel(enc, tax(), heads={"mode": plain}, head_weight=1.0)
    assert "case" not in only_plain.predict_embeddings(steady, context=1).modes
    # modes change every window: the plain head alone decides
    np.testing.assert_allclose(model.predict_embeddings(choppy, context=1).mode_proba,
                               only_plain.predict_embeddings(choppy, context=1).mode_proba)
    # windows alone or without context never use the context head
    assert model.predict_embeddings(steady).modes == ("problem",) * 6 + ("general",) * 6
    assert model.predict(["we are stuck"]).modes == ("problem",)

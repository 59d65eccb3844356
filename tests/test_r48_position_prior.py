"""Round 48 (issue 10): a topic gate that carries a position prior (model-free).

The prior was fitted on AMI train meetings and measured, not shipped (docs/benchmarks/topics.md, round 48): the bundled
gate has none, so the stage's output is the gate's own. What stays is the head format's ``meta["position"]``, read by
:func:`position_prior`, and the benchmark's fit (``benchmarks/r48_position_gate.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import make_session
from sessionscope.analysis.topics.classify import POSITION_META, LinearHead, TopicModel, load_heads, position_prior
from sessionscope.analysis.topics.stage import TopicsStage, bundled_head_path, window_positions
from sessionscope.config import TopicsConfig
from sessionscope.errors import ConfigError
from test_topics import ROWS, BagOfWords, tax

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import r48_position_gate as R  # noqa: E402


def _gate(dim: int, bias: float, spec: dict | None = None) -> LinearHead:
    W = np.zeros((2, dim), np.float32)
    return LinearHead("other", ("other", "substantive"), W, np.array([bias / 2, -bias / 2], np.float32), "fake-bow",
                      {POSITION_META: spec} if spec else {})


def test_a_neutral_prior_is_the_gate_itself_and_the_edges_lean_toward_small_talk():
    p = np.array([0.1, 0.5, 0.9])
    neutral = {"unit": "words", "scales": [100.0], "coef": [1.0, 0.0, 0.0], "bias": 0.0}
    np.testing.assert_allclose(position_prior(p, np.full(3, 500.0), np.full(3, 500.0), neutral), p, rtol=1e-5)
    spec = {"unit": "words", "scales": [100.0], "coef": [1.0, 2.0, 3.0], "bias": -0.5}
    first = position_prior(np.array([0.3]), np.array([0.0]), np.array([5000.0]), spec)[0]
    middle = position_prior(np.array([0.3]), np.array([2500.0]), np.array([2500.0]), spec)[0]
    last = position_prior(np.array([0.3]), np.array([5000.0]), np.array([0.0]), spec)[0]
    assert middle < 0.3 < first < last  # the middle keeps log-odds - 0.5; the end weighs more than the start here
    z = np.log(0.3 / 0.7) + 3.0 * np.exp(-50.0) + 2.0 * np.exp(-50.0) - 0.5
    assert middle == pytest.approx(1 / (1 + np.exp(-z)), rel=1e-5)


def test_a_fractional_prior_reads_shares_of_the_session_so_its_length_does_not_matter():
    spec = {"unit": "fraction", "scales": [0.05], "coef": [1.1, 3.4, 3.7], "bias": -0.6}
    p = np.array([0.4, 0.4])
    short = position_prior(p, np.array([30.0, 300.0]), np.array([570.0, 300.0]), spec)
    long = position_prior(p, np.array([300.0, 3000.0]), np.array([5700.0, 3000.0]), spec)
    np.testing.assert_allclose(short, long, rtol=1e-6)
    assert short[0] > short[1]


@pytest.mark.parametrize("spec, match", [
    ({"scales": [100.0], "coef": [1.0, 2.0], "bias": 0.0}, "2 coefficients for 1 scales"),
    ({"unit": "minutes", "scales": [1.0], "coef": [1.0, 2.0, 3.0], "bias": 0.0}, "unit 'minutes'"),
])
def test_a_malformed_prior_is_a_clear_error(spec, match):
    with pytest.raises(ConfigError, match=match):
        position_prior(np.array([0.5]), np.array([0.0]), np.array([0.0]), spec)


def test_window_positions_count_the_words_before_and_after_each_window():
    session = make_session(ROWS)
    st = TopicsStage(TopicsConfig(window_min_words=12, window_max_utterances=4, head=None, context_windows=0),
                     encoder=BagOfWords(), taxonomy=tax(), heads={})
    windows = st.windows(session)
    before, after = window_positions(session, windows)
    words = [len(r[3].replace(",", " ").split()) for r in ROWS]
    for w, b, a in zip(windows, before, after, strict=True):
        assert b == sum(words[:w.first]) and a == sum(words[w.last + 1:])
    assert before[0] == 0 and after[-1] == 0


def test_the_stage_reads_a_gates_prior_and_a_gate_without_one_is_unchanged():
    enc, tx = BagOfWords(), tax()
    X = enc.encode(["the crm app dashboard export"] * 5)
    before, after = np.array([0.0, 200.0, 500.0, 800.0, 1000.0]), np.array([1000.0, 800.0, 500.0, 200.0, 0.0])
    plain = TopicModel(enc, tx, heads={"other": _gate(enc.dim, -0.4)})
    assert plain.predict_embeddings(X, position=(before, after)).area_proba.tolist() == \
        plain.predict_embeddings(X).area_proba.tolist()
    spec = {"unit": "words", "scales": [50.0], "coef": [1.0, 3.0, 3.0], "bias": 0.0}
    model = TopicModel(enc, tx, heads={"other": _gate(enc.dim, -0.4, spec)})
    areas = model.predict_embeddings(X, position=(before, after)).areas
    assert areas[0] == areas[-1] == "other" and "other" not in areas[1:-1]
    assert "other" not in model.predict_embeddings(X).areas  # no positions given (windows classified alone): no prior
    assert model.position_prior and not plain.position_prior
    rows = [("anna", float(i), i + 1.0, " ".join(["the crm app dashboard export and the plugin settings"] * 4))
            for i in range(12)]  # 36 words an utterance: only the first and last windows lie within the prior's reach

    def areas(gate: LinearHead) -> list[str]:
        cfg = TopicsConfig(window_min_words=8, window_max_utterances=1, min_segment_windows=1, context_windows=0)
        out = TopicsStage(cfg, encoder=enc, taxonomy=tx, heads={"other": gate})(make_session(rows))
        return [s.area for s in out.topics.segments]

    assert areas(_gate(enc.dim, -0.4, spec)) == ["other", "tools", "other"]  # the stage passes the positions
    assert areas(_gate(enc.dim, -0.4)) == ["tools"]


def test_the_bundled_gate_carries_no_prior():
    assert POSITION_META not in load_heads(bundled_head_path("usem3"))["other"].meta


def test_the_fit_keeps_the_gates_share_of_work_called_other():
    rng = np.random.default_rng(0)
    rows = []
    for m in range(20):  # meetings of 30 windows: small talk in the first and last two, work between
        for j in range(30):
            small = j < 2 or j >= 28
            p = float(np.clip(rng.normal(0.65 if small else 0.25, 0.2), 0.01, 0.99))
            rows.append({"meeting": f"m{m}", "p_other": p, "words_before": 40 * j, "words_after": 40 * (29 - j),
                         "gold": "small" if small else "work"})
    res = R.fit(rows, [100.0], "words")
    assert res["with_prior"]["work_as_other"] == pytest.approx(res["gate_alone"]["work_as_other"], abs=0.01)
    assert res["with_prior"]["small_recall"] > res["gate_alone"]["small_recall"]
    assert res["spec"]["coef"][1] > 0 and res["spec"]["coef"][2] > 0

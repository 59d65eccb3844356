"""Round 19 (issue 11, calls): the call-like conversation generator keeps speech where it was (model-free)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import call_conversations_r19_calls as calls  # noqa: E402
import librispeech_conversations as lc  # noqa: E402

SR = 16000


def _speechy(n: int, seed: int = 0) -> np.ndarray:
    """Bursts of a harmonic tone with noise, 0.3 s on / 0.2 s off (something a codec keeps)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / SR
    x = 0.2 * np.sin(2 * np.pi * 180 * t) + 0.1 * np.sin(2 * np.pi * 1100 * t) + 0.02 * rng.normal(size=n)
    return x * ((t % 0.5) < 0.3)


def test_best_lag_finds_a_known_shift() -> None:
    x = _speechy(SR)
    assert calls.best_lag(x, np.concatenate([np.zeros(37), x]), max_lag=400) == 37
    assert calls.best_lag(x, x[25:], max_lag=400) == -25


@pytest.mark.parametrize("codec,fmt,rate,bitrate", [("libopus", "ogg", 16000, 24000), ("aac", "adts", 16000, 32000)])
def test_codec_round_trip_comes_back_aligned(codec: str, fmt: str, rate: int, bitrate: int) -> None:
    x = _speechy(2 * SR)
    y, lag = calls.codec_roundtrip(x, SR, codec, fmt, rate, bitrate)
    assert len(y) == len(x)
    assert calls.best_lag(x, y, max_lag=800) == 0
    if codec == "aac":  # raw ADTS keeps the encoder's priming: the lag is measured and removed
        assert lag > 0
    assert np.corrcoef(x, y)[0, 1] > 0.9


def test_filters_and_reverb_do_not_move_speech() -> None:
    x = _speechy(2 * SR)
    rng = np.random.default_rng(1)
    y, p = calls.colour(x, rng, hp=(120, 300), lp=(5000, 7000))
    assert calls.best_lag(x, y, max_lag=800) == 0 and 120 <= p["hp_hz"] <= 300
    r = calls.reverb(x, rng, 0.4)
    assert len(r) == len(x) and calls.best_lag(x, r, max_lag=800) == 0
    assert np.abs(r[int(0.31 * SR): int(0.45 * SR)]).max() > 0  # a tail where the burst stopped


def test_mulaw_quantises_to_256_levels_with_small_error() -> None:
    x = np.linspace(-1, 1, 20001)
    y = calls.mulaw(x)
    assert len(np.unique(np.round(y, 9))) <= 256
    assert np.max(np.abs(y - x)) < 0.04  # coarse only near full scale
    small = np.linspace(-0.01, 0.01, 1001)
    assert np.max(np.abs(calls.mulaw(small) - small)) < 5e-4


def test_duck_attenuates_only_the_later_side_during_double_talk() -> None:
    x = np.ones(3 * SR)
    ref = [(0.0, 2.0, "a"), (1.5, 3.0, "b")]
    yb = calls.duck(x, "b", ref, db=12.0)
    ya = calls.duck(x, "a", ref, db=12.0)
    assert np.allclose(ya, 1.0)
    assert yb[int(1.7 * SR)] == pytest.approx(10 ** (-12 / 20))
    assert yb[int(2.5 * SR)] == pytest.approx(1.0)


def test_stems_sum_to_the_mix_and_do_not_change_it() -> None:
    clips = {s: [_speechy(4 * SR, seed=i)] for i, s in enumerate(("x", "y"))}
    mix0, ref0, g0 = lc.make(("x", "y"), np.random.default_rng(5), clips, 12.0)
    stems: dict[str, np.ndarray] = {}
    mix1, ref1, g1 = lc.make(("x", "y"), np.random.default_rng(5), clips, 12.0, stems=stems)
    assert np.array_equal(mix0, mix1) and ref0 == ref1 and g0 == g1
    assert set(stems) == {"x", "y"}
    resid = mix1 - (stems["x"] + stems["y"])
    assert np.std(resid) == pytest.approx(10 ** (-65 / 20), rel=0.2)  # only the noise floor is left


def test_delivered_text_in_time_order() -> None:
    import diarization_der as dd
    from sessionscope.model.types import Utterance

    class S:
        utterances = (Utterance("2", "b", " world ", 2.0, 3.0), Utterance("1", "a", "hello", 0.0, 1.0))

    assert dd.delivered_text(S()) == {"text": "hello world"}
    assert dd.delivered_text(None) == {"text": ""}


def test_compare_against_the_clean_files() -> None:
    import r19_calls_compare as cmp

    def row(set_, uri, der, hyp, text):
        r = {"set": set_, "uri": uri, "ref_speakers": 2, "hyp_speakers": hyp, "share_err": {"a": 1.0, "b": 3.0},
             "text": text}
        r.update({k: der for k in cmp.KEYS})
        return r

    rows = [row("c", "d0", 5.0, 2, "the cat sat"), row("p", "d0", 9.0, 3, "the cat sad")]
    out = cmp.compare(rows, "c")
    assert out["p"]["run_der_c0.25"] == 9.0 and out["p"]["run_der_c0.25_clean"] == 5.0
    assert out["p"]["count_right"] == "0/1" and out["p"]["count_right_clean"] == "1/1"
    assert out["p"]["found"] == {"d0": 3}
    assert out["p"]["words_changed_vs_clean"] == pytest.approx(1 / 3, abs=1e-3)

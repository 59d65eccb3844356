"""Round 19 (pairs): the simulated conversations' reference option for isolated bursts (model-free)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import diarization_der as dd  # noqa: E402
import librispeech_conversations as lc  # noqa: E402

SR = lc.SR


def _signal(spans: list[tuple[float, float]], length_s: float = 4.0, seed: int = 0) -> np.ndarray:
    """Noise at -60 dBFS with loud (-20 dBFS) tones over ``spans`` (s)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1e-3, int(length_s * SR))
    t = np.arange(len(x)) / SR
    for a, b in spans:
        on = (t >= a) & (t < b)
        x[on] += 0.1 * np.sin(2 * np.pi * 200 * t[on])
    return x.astype(np.float32)


def test_short_bursts_marks_only_isolated_short_runs() -> None:
    m = np.zeros(100, dtype=bool)
    m[10:30] = True  # a long run
    m[33:36] = True  # short, 3 frames after the long one: an onset / plosive, kept
    m[60:63] = True  # short and isolated: a burst
    m[70:72] = True  # short, near the other short one only: still a burst
    out = lc.short_bursts(m, min_run=10, near=5)
    assert out[60:63].all() and out[70:72].all()
    assert not out[10:36].any()
    assert out.sum() == 5


def test_speech_mask_default_is_the_old_reference() -> None:
    x = _signal([(0.5, 1.5), (1.8, 1.85), (2.05, 2.1), (2.3, 2.35), (2.6, 3.4)])
    old = lc.speech_mask(x)
    assert np.array_equal(lc.speech_mask(x, min_run_s=0.0), old)
    # one frame is no shorter than any run: nothing is a short burst
    assert np.array_equal(lc.speech_mask(x, min_run_s=0.01), old)


def test_chain_of_bursts_no_longer_bridges_a_pause() -> None:
    # a 1.4 s pause (1.5-2.9 s) holding three 50 ms bursts 0.2 s apart: the old mask
    # bridges them into one stretch of "speech"; with min_run_s=0.1 the pause is silence
    x = _signal([(0.5, 1.5), (1.8, 1.85), (2.05, 2.1), (2.3, 2.35), (2.9, 3.6)])
    old = lc.speech_mask(x)
    new = lc.speech_mask(x, min_run_s=0.1)
    pause = slice(180, 235)
    assert old[pause].all()
    assert not new[pause].any()
    # the real speech is unchanged, and so is a short onset next to it
    assert np.array_equal(old[50:150], new[50:150]) and new[50:150].all()
    y = _signal([(0.5, 0.53), (0.6, 1.5)])
    assert lc.speech_mask(y, min_run_s=0.1)[50:53].all()


def test_make_keeps_the_audio_and_only_trims_the_reference() -> None:
    clips = {"a": [_signal([(0.2, 1.2), (1.6, 1.64), (1.85, 1.89), (2.1, 3.5)], length_s=6.0, seed=1)] * 2,
             "b": [_signal([(0.3, 2.5), (3.0, 4.5)], length_s=6.0, seed=2)] * 2}
    x0, ref0, _ = lc.make(("a", "b"), np.random.default_rng(7), clips, 12.0)
    x1, ref1, _ = lc.make(("a", "b"), np.random.default_rng(7), clips, 12.0, min_run_s=0.1)
    assert np.array_equal(x0, x1)
    assert sum(e - s for s, e, _ in ref1) < sum(e - s for s, e, _ in ref0)
    assert {s for *_, s in ref1} == {"a", "b"}


def test_conv_folder_set(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "dev_x"
    folder.mkdir()
    (folder / "reference.rttm").write_text("SPEAKER dev00 1 0.00 1.00 <NA> <NA> a <NA> <NA>\n")
    (folder / "dev00.wav").write_bytes(b"")
    monkeypatch.setattr(dd, "CONV", tmp_path)
    assert [(u, w.name) for u, w, _ in dd.cases("conv/dev_x")] == [("dev00", "dev00.wav")]

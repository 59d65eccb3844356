"""A second local speaker where a two-speaker class is probable but not the argmax (round 26, issue 11; opt-in):
synthetic powerset log-probabilities, no models."""

from __future__ import annotations

import numpy as np

from sessionscope.audio.segmentation import _powerset_to_multilabel, binarize

MULTI = _powerset_to_multilabel(3, 2)  # classes: nobody, {0}, {1}, {2}, {0,1}, {0,2}, {1,2}


def _logp(rows: list[list[float]]) -> np.ndarray:
    """One chunk (1 × F × 7) of per-frame class probabilities (normalised), as log-probabilities."""
    p = np.asarray(rows, dtype=np.float64)
    return np.log(p / p.sum(axis=-1, keepdims=True))[None]


NOBODY = [0.80, 0.05, 0.02, 0.02, 0.07, 0.02, 0.02]  # P({0,1}) 0.07 but nobody speaks: stays silent
S0_PAIR01 = [0.02, 0.55, 0.02, 0.02, 0.35, 0.02, 0.02]  # speaker 0, pair {0,1} at 0.35
S0_PAIR02 = [0.02, 0.55, 0.02, 0.02, 0.02, 0.35, 0.02]  # speaker 0, pair {0,2} at 0.35
S0_ALONE = [0.02, 0.86, 0.02, 0.02, 0.04, 0.02, 0.02]
S1_PAIR01 = [0.02, 0.02, 0.55, 0.02, 0.35, 0.02, 0.02]  # speaker 1, pair {0,1} at 0.35
PAIR12 = [0.02, 0.02, 0.30, 0.02, 0.02, 0.02, 0.60]  # the argmax is already a pair
SPLIT = [0.02, 0.50, 0.02, 0.02, 0.24, 0.001, 0.22]  # {1,2} at 0.22 holds no 0: not a candidate


def test_off_is_the_argmax() -> None:
    lp = _logp([NOBODY, S0_PAIR01, S0_ALONE, PAIR12])
    assert np.array_equal(binarize(lp, MULTI), MULTI[lp.argmax(-1)])
    assert np.array_equal(binarize(lp, MULTI, overlap=0.0, overlap_min_frames=5), MULTI[lp.argmax(-1)])


def test_speech_and_the_first_speaker_stay_the_argmax_s() -> None:
    lp = _logp([NOBODY, S0_PAIR01, S0_ALONE, S0_PAIR02, S1_PAIR01, PAIR12, NOBODY])
    out = binarize(lp, MULTI, overlap=0.3)[0]
    argmax = MULTI[lp.argmax(-1)][0]
    assert np.array_equal(out.any(axis=1), argmax.any(axis=1))  # no new speech frames, none lost
    assert np.all(out >= argmax)  # the argmax's speakers all kept
    assert out.tolist() == [[0, 0, 0], [1, 1, 0], [1, 0, 0], [1, 0, 1], [1, 1, 0], [0, 1, 1], [0, 0, 0]]


def test_a_second_speaker_only_where_the_pair_class_passes_the_threshold() -> None:
    lp = _logp([S0_PAIR01, S0_ALONE, SPLIT])
    assert binarize(lp, MULTI, overlap=0.3)[0].tolist() == [[1, 1, 0], [1, 0, 0], [1, 0, 0]]  # {1,2} holds no 0
    assert binarize(lp, MULTI, overlap=0.4)[0].tolist() == [[1, 0, 0], [1, 0, 0], [1, 0, 0]]  # 0.35 < 0.4
    # one pair class over the threshold, not the pairs together (round 4's ovl:T summed them: 0.46 > 0.4)
    assert binarize(lp, MULTI, overlap=0.23)[0].tolist() == [[1, 1, 0], [1, 0, 0], [1, 1, 0]]


def test_added_stretches_shorter_than_the_minimum_are_dropped() -> None:
    rows = [S0_ALONE, S0_PAIR01, S0_PAIR01, S0_ALONE] + [S0_PAIR02] * 5 + [S0_ALONE]
    lp = _logp(rows)
    second = lambda out: out[0, :, 1:].tolist()  # noqa: E731
    assert second(binarize(lp, MULTI, overlap=0.3)) == [[0, 0], [1, 0], [1, 0], [0, 0]] + [[0, 1]] * 5 + [[0, 0]]
    assert second(binarize(lp, MULTI, overlap=0.3, overlap_min_frames=3)) == [[0, 0]] * 4 + [[0, 1]] * 5 + [[0, 0]]
    assert second(binarize(lp, MULTI, overlap=0.3, overlap_min_frames=6)) == [[0, 0]] * 10
    # the argmax's own pair frames are never dropped by the minimum
    lp2 = _logp([PAIR12, S0_ALONE])
    assert binarize(lp2, MULTI, overlap=0.3, overlap_min_frames=6)[0].tolist() == [[0, 1, 1], [1, 0, 0]]


def test_each_chunk_on_its_own() -> None:
    lp = np.concatenate([_logp([S0_PAIR01, S0_PAIR01]), _logp([S0_ALONE, S0_PAIR01])])
    out = binarize(lp, MULTI, overlap=0.3, overlap_min_frames=2)
    assert out[0].tolist() == [[1, 1, 0], [1, 1, 0]]
    assert out[1].tolist() == [[1, 0, 0], [1, 0, 0]]  # one added frame in this chunk: under the minimum


def test_the_settings_reach_the_segmentation_and_the_cache_key(monkeypatch) -> None:
    from sessionscope import models
    from sessionscope.audio import segmentation as seg_mod
    from sessionscope.audio.diarize import DiarizationParams, diarization_params, diarize_local
    from sessionscope.audio.pipeline import diarization_settings
    from sessionscope.audio.reconstruct import LocalSegmentation
    from sessionscope.config import Config

    seen = {}

    def fake(samples, **kw):  # noqa: ANN001, ANN003, ANN202
        seen.update(kw)
        return LocalSegmentation(np.array([0.0]), np.zeros((1, 10, 3), np.uint8), 0.017, 0.01, 1.0)

    monkeypatch.setattr(seg_mod, "local_segmentation", fake)
    diarize_local(np.zeros(16000, np.float32), params=DiarizationParams(overlap_pair=0.3, overlap_min_s=0.15, threads=1))
    assert (seen["overlap"], seen["overlap_min_s"]) == (0.3, 0.15)
    monkeypatch.setattr(models, "segmentation_available", lambda: True)
    off = Config()
    assert diarization_settings(off).overlap_pair == 0.0 and DiarizationParams().overlap_pair == 0.0  # opt-in
    assert "overlap" not in diarization_params(off.diarization)  # the default's cache key as before
    on = off.model_copy(update={"diarization": off.diarization.model_copy(update={"overlap_threshold": 0.3,
                                                                                  "overlap_min_s": 0.15})})
    assert (diarization_settings(on).overlap_pair, diarization_settings(on).overlap_min_s) == (0.3, 0.15)
    assert diarization_params(on.diarization)["overlap"] == (0.3, 0.15)


def test_late_stretches_go_to_the_nearest_voiced_slot_of_their_local_speaker() -> None:
    from sessionscope.audio.reconstruct import LocalSegmentation, with_extra

    # one chunk of 12 frames; local speaker 1 has two runs (slots 1 and 2), speaker 2 one run without a voice (slot 3)
    b = np.zeros((1, 12, 4), np.uint8)
    b[0, 0:12, 0] = 1
    b[0, 0:2, 1] = 1
    b[0, 9:12, 2] = 1
    b[0, 5:6, 3] = 1
    origin = np.array([[0, 1, 1, 2]])
    clusters = np.array([[0, 1, 1, -1]])
    extra = np.zeros((1, 12, 3), np.uint8)
    extra[0, 6:8, 1] = 1  # nearer slot 2 (frame 9) than slot 1 (frame 1)
    extra[0, 3:4, 1] = 1  # nearer slot 1
    extra[0, 7:9, 2] = 1  # speaker 2 has no voiced slot: dropped
    seg = LocalSegmentation(np.array([0.0]), b, 0.017, 0.01, 1.0)
    out = with_extra(seg, origin, clusters, extra).binarized[0]
    assert out[:, 2].tolist() == [0] * 6 + [1, 1, 0, 1, 1, 1]
    assert out[:, 1].tolist() == [1, 1, 0, 1] + [0] * 8
    assert np.array_equal(out[:, 3], b[0, :, 3]) and np.array_equal(out[:, 0], b[0, :, 0])
    assert np.array_equal(seg.binarized, b)  # the input is not changed


def test_late_keeps_the_argmax_activity_and_puts_the_second_speakers_aside(monkeypatch) -> None:
    from sessionscope.audio import onnx_models
    from sessionscope.audio import segmentation as seg_mod

    lp = _logp([S0_ALONE, S0_PAIR01, S0_PAIR01, NOBODY])
    cfg = {"frame_step": 0.017, "frame_duration": 0.017, "frame_start": 0.0}
    monkeypatch.setattr(seg_mod, "load_segmentation", lambda device="cpu": (None, cfg))
    monkeypatch.setattr(onnx_models, "infer_rows", lambda net, batch, device, rows: np.repeat(lp, len(batch), axis=0))
    x = np.zeros(16000, np.float32)
    late = seg_mod.local_segmentation(x, overlap=0.3, overlap_late=True)
    early = seg_mod.local_segmentation(x, overlap=0.3)
    off = seg_mod.local_segmentation(x)
    assert np.array_equal(late.binarized, off.binarized) and off.extra is None and early.extra is None
    assert late.extra is not None and np.array_equal(late.binarized | late.extra, early.binarized)
    assert late.extra[0, :, 1].tolist() == [0, 1, 1, 0]


def test_the_finer_runs_pause_is_a_setting_keyed_only_when_changed(monkeypatch) -> None:
    from sessionscope import models
    from sessionscope.audio.diarize import DiarizationParams, diarization_params
    from sessionscope.audio.pipeline import diarization_settings
    from sessionscope.config import Config

    monkeypatch.setattr(models, "segmentation_available", lambda: True)
    off = Config()
    assert off.diarization.assign_gap_s == DiarizationParams.assign_gap_s == diarization_settings(off).assign_gap_s
    assert "assign_gap" not in diarization_params(off.diarization)
    cfg = off.model_copy(update={"diarization": off.diarization.model_copy(update={"assign_gap_s": 0.2})})
    assert diarization_settings(cfg).assign_gap_s == 0.2 and diarization_params(cfg.diarization)["assign_gap"] == 0.2


def test_the_count_bias_keeps_more_overlap_and_adds_no_speech() -> None:
    from sessionscope.audio.reconstruct import LocalSegmentation, reconstruct

    # three chunks over the same 30 frames: all hear speaker 0 in frames 0-19; one also hears speaker 1 in 5-14;
    # frames 20-24: only one chunk hears speaker 0 (mean count 1/3), frames 25-29 nobody
    b = np.zeros((3, 30, 2), np.uint8)
    b[:, 0:20, 0] = 1
    b[0, 5:15, 1] = 1
    b[0, 20:25, 0] = 1
    seg = LocalSegmentation(np.zeros(3), b, 0.1, 0.05, 3.0)
    clusters = np.array([[0, 1], [0, 1], [0, 1]])
    off = reconstruct(seg, clusters, 2)
    on = reconstruct(seg, clusters, 2, overlap_bias=0.2)
    assert [t[2] for t in off] == [0]  # mean count 4/3 rounds to 1: speaker 1 lost
    assert sorted(on) == sorted([*off, (0.5, 1.5, 1)])  # 4/3 >= 1.5 - 0.2: a second voice, same speech
    assert reconstruct(seg, clusters, 2, overlap_bias=0.1) == off  # 4/3 < 1.4

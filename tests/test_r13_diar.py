"""Issue 11, round 13 (diar): long local runs re-checked piece by piece against the found voices
(``diarize.refine_long_runs``): a run in which the segmentation gave two talkers one local label is split."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest


def test_pieces_cover_every_active_frame_once_and_fold_a_short_tail():
    from sessionscope.audio.diarize import _pieces

    active = np.zeros(300, dtype=bool)
    active[10:150] = True
    active[200:265] = True  # 205 active frames
    pieces = _pieces(active, 50)
    assert np.array_equal(np.sort(np.concatenate(pieces)), np.flatnonzero(active))
    assert [len(p) for p in pieces] == [50, 50, 50, 55]  # the 5-frame tail joins the last piece
    assert [len(p) for p in _pieces(active, 80)] == [80, 80, 45]  # a tail of at least half a piece stays
    assert _pieces(np.zeros(10, dtype=bool), 5) == []


def _voices(shared_data, speaker: str, n: int = 6) -> np.ndarray:
    from sessionscope.audio.decode import load_audio

    clips = sorted((shared_data / "librispeech-voices" / speaker).glob("*.flac"))[:n]
    return np.concatenate([load_audio(c).mono for c in clips]).astype(np.float32)


def test_a_run_holding_two_talkers_is_split_between_their_voices(shared_data):
    """One local speaker over 10 s of two real readers (5 s each): its pieces go to the second voice where the
    second reader speaks; a short run and runs without a voice are left alone."""
    from sessionscope.audio.decode import SAMPLE_RATE
    from sessionscope.audio.diarize import embed_clip, refine_long_runs
    from sessionscope.audio.reconstruct import LocalSegmentation

    a, b = _voices(shared_data, "1688"), _voices(shared_data, "2033")
    sr = SAMPLE_RATE
    x = np.concatenate([a[: 5 * sr], b[: 5 * sr]])
    centroids = np.stack([embed_clip(a[10 * sr: 40 * sr]), embed_clip(b[10 * sr: 40 * sr])])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    step, offset = 0.016875, 0.0
    f_n = int(10 / step)
    binar = np.zeros((1, f_n, 2), dtype=np.uint8)
    binar[0, :, 0] = 1
    seg = LocalSegmentation(np.array([0.0]), binar, step, offset, 10.0)
    clusters = np.array([[0, -1]])
    seg2, cl2 = refine_long_runs(x, seg, clusters, centroids, long_s=4.0, piece_s=2.0)
    t = np.arange(f_n) * step
    voice = np.full(f_n, -1)
    for k in range(seg2.binarized.shape[2]):
        voice[seg2.binarized[0, :, k].astype(bool)] = cl2[0, k]
    assert (voice >= 0).all()  # every frame still has a voice: nothing dropped
    assert np.mean(voice[t < 4.0] == 0) > 0.9
    assert np.mean(voice[t > 6.0] == 1) > 0.9
    # off below the length: a run of 4 s or less is not touched
    same, same_cl = refine_long_runs(x, seg, clusters, centroids, long_s=11.0, piece_s=2.0)
    assert np.array_equal(same.binarized[..., :1], binar[..., :1]) and same_cl[0, 0] == 0
    # one voice: nothing to move to
    one, one_cl = refine_long_runs(x, seg, clusters, centroids[:1], long_s=4.0, piece_s=2.0)
    assert one is seg and one_cl is clusters


def test_a_piece_never_takes_a_voice_that_a_co_active_run_holds(shared_data):
    from sessionscope.audio.decode import SAMPLE_RATE
    from sessionscope.audio.diarize import embed_clip, refine_long_runs
    from sessionscope.audio.reconstruct import LocalSegmentation

    a, b = _voices(shared_data, "1688"), _voices(shared_data, "2033")
    sr = SAMPLE_RATE
    x = np.concatenate([a[: 5 * sr], b[: 5 * sr]])
    centroids = np.stack([embed_clip(a[10 * sr: 40 * sr]), embed_clip(b[10 * sr: 40 * sr])])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    step = 0.016875
    f_n = int(10 / step)
    binar = np.zeros((1, f_n, 2), dtype=np.uint8)
    binar[0, :, 0] = 1
    binar[0, :, 1] = 1  # a second run, active all the time, already holds voice 1
    seg = LocalSegmentation(np.array([0.0]), binar, step, 0.0, 10.0)
    seg2, cl2 = refine_long_runs(x, seg, np.array([[0, 1]]), centroids, long_s=4.0, piece_s=2.0)
    # both runs are cut into the same pieces; neither run's pieces may take the voice the other run holds
    n = seg2.binarized.shape[2] // 2
    assert n >= 2
    assert cl2[0].tolist() == [0] * n + [1] * n


def test_refinement_on_a_real_far_field_excerpt_lowers_confusion_and_is_deterministic(shared_data):
    """pyannote AMI development excerpt dev00 (two talkers, one often given the other's local label): the
    refined turns have less error than the unrefined ones, and the same samples give the same turns."""
    from sessionscope.audio import segmentation
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.der import der, read_rttm
    from sessionscope.audio.diarize import DiarizationParams, diarize_local

    if not segmentation.available():
        pytest.skip("segmentation model not installed")
    x = load_audio(shared_data / "pyannote-ami-excerpts" / "dev00.wav").mono
    ref = read_rttm(shared_data / "pyannote-ami-excerpts" / "reference.rttm")["dev00"]
    on = diarize_local(x, params=replace(DiarizationParams(), refine_long_s=4.0))
    again = diarize_local(x, params=replace(DiarizationParams(), refine_long_s=4.0))
    off = diarize_local(x)  # the default: off (its CPU cost; docs/benchmarks/audio.md, round 13)
    assert [(t.start, t.end, t.speaker) for t in on.turns] == [(t.start, t.end, t.speaker) for t in again.turns]
    score = {name: der(ref, [(t.start, t.end, t.speaker) for t in d.turns], uem=(0.0, 30.0))
             for name, d in (("on", on), ("off", off))}
    assert len(on.speakers) == len(off.speakers) == 2
    assert score["on"].confusion < score["off"].confusion - 1.0
    assert score["on"].der < score["off"].der


def test_refinement_is_opt_in_and_keyed_apart(monkeypatch):
    """Off by default (its CPU cost, docs/benchmarks/audio.md round 13); turned on by config, it reaches the
    diarization and changes the cache key, so a cached default result is never served for it or the reverse."""
    import sessionscope.models as models
    from sessionscope.audio.diarize import diarization_params
    from sessionscope.audio.pipeline import diarization_settings
    from sessionscope.config import Config, config_from_dict

    monkeypatch.setattr(models, "segmentation_available", lambda: True)
    default = Config()
    on = config_from_dict({"diarization": {"refine_long_s": 4.0}})
    assert diarization_settings(default).refine_long_s == 0.0
    assert diarization_settings(on).refine_long_s == 4.0
    assert "refine_long" not in diarization_params(default.diarization)
    assert diarization_params(on.diarization)["refine_long"][0] == 4.0
    assert diarization_params(on.diarization) != diarization_params(default.diarization)

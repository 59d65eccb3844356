"""Round 20 (vbx): VBx-style clustering of the local speakers (model-free, synthetic embeddings)."""

from __future__ import annotations

import numpy as np

from sessionscope.audio.diarize import DiarizationParams
from sessionscope.audio.reconstruct import agglomerative, cluster_local_speakers
from sessionscope.audio.vbx import VBxSettings, features, vbx, vbx_labels

D = 192


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def _voices(seed: int = 0, noise: float = 0.03) -> tuple[np.ndarray, np.ndarray]:
    """3 voices of 12 embeddings each and a rare voice of 2, well apart, with noise: (embeddings, truth)."""
    rng = np.random.default_rng(seed)
    centres = _unit(rng.normal(size=(4, D)))
    sizes = [12, 12, 12, 2]
    truth = np.repeat(np.arange(4), sizes)
    x = _unit(centres[truth] + noise * rng.normal(size=(len(truth), D)))
    return x, truth


def _same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    return len(set(zip(a.tolist(), b.tolist(), strict=True))) == len(np.unique(a)) == len(np.unique(b))


def test_vbx_finds_the_voices_and_keeps_the_rare_one() -> None:
    x, truth = _voices()
    labels = agglomerative(x, threshold=0.72, min_cluster_size=2, vbx=VBxSettings())
    assert _same_partition(labels, truth)


def test_vbx_merges_a_voice_the_start_split() -> None:
    x, truth = _voices(1)
    init = truth.copy()
    init[truth == 0] = np.where(np.arange((truth == 0).sum()) % 2 == 0, 0, 4)  # voice 0 split in two
    labels = vbx_labels(x, init, within=0.033, phi=1.0, fa=0.15, fb=0.8)
    assert _same_partition(labels, truth)


def test_vbx_is_deterministic_and_its_bound_does_not_fall() -> None:
    x, truth = _voices(2)
    first = agglomerative(x, threshold=0.72, vbx=VBxSettings())
    for _ in range(3):
        assert np.array_equal(agglomerative(x, threshold=0.72, vbx=VBxSettings()), first)
    q0 = np.full((len(x), 6), 0.1)
    q0[np.arange(len(x)), np.arange(len(x)) % 6] = 0.5
    res = vbx(features(x, 0.033), np.ones(D), q0 / q0.sum(1, keepdims=True), fa=0.15, fb=0.8)
    assert all(b >= a - 1e-6 for a, b in zip(res.elbo, res.elbo[1:], strict=False))
    assert np.allclose(res.q.sum(1), 1.0) and abs(res.pi.sum() - 1.0) < 1e-9


def test_vbx_respects_the_bounds() -> None:
    x, _ = _voices(3)
    settings = VBxSettings()
    assert len(np.unique(agglomerative(x, threshold=0.72, max_clusters=2, vbx=settings))) == 2
    assert len(np.unique(agglomerative(x, threshold=0.72, min_clusters=6, vbx=settings))) == 6
    assert len(np.unique(agglomerative(x, threshold=0.72, min_clusters=6, vbx=VBxSettings(threshold=0.0)))) == 6


def test_a_single_continuous_talker_stays_one_speaker() -> None:
    rng = np.random.default_rng(4)
    centre = _unit(rng.normal(size=D))
    drift = np.linspace(0, 1, 30)[:, None] * _unit(rng.normal(size=D)) * 0.15  # a slow change of the voice
    x = _unit(centre + drift + 0.03 * rng.normal(size=(30, D)))
    for settings in (VBxSettings(), VBxSettings(threshold=0.0), VBxSettings(threshold=0.4, fold=False)):
        assert len(np.unique(agglomerative(x, threshold=0.72, vbx=settings))) == 1


def test_cluster_local_speakers_with_vbx_keeps_coactive_voices_apart() -> None:
    x, truth = _voices(5)
    c = len(x) // 2
    emb = x[: 2 * c].reshape(c, 2, D)  # two local speakers per chunk
    usable = np.ones((c, 2), dtype=bool)
    asg = cluster_local_speakers(emb, usable, usable, threshold=0.72, min_cluster_size=2, vbx=VBxSettings())
    assert asg.centroids.shape[0] == 4 and asg.n_trained == 2 * c
    assert np.all(asg.clusters[:, 0] != asg.clusters[:, 1])
    assert DiarizationParams().clustering == "ahc"  # the shipped default is unchanged


def test_the_hmm_follows_long_turns_and_renorm_splits_a_lone_talker() -> None:
    x, truth = _voices(6)
    order = np.argsort(truth, kind="stable")  # time order: each voice speaks in one block
    x, truth = x[order], truth[order]
    init = np.minimum(np.arange(len(x)) // 5, 7)  # a start that cuts across the voices
    labels = vbx_labels(x, init, within=0.033, phi=1.0, fa=0.15, fb=0.8, loop_p=0.9)
    assert _same_partition(labels, truth)
    rng = np.random.default_rng(7)
    lone = _unit(_unit(rng.normal(size=D)) + 0.03 * rng.normal(size=(20, D)))
    singletons = np.arange(20)
    assert len(np.unique(vbx_labels(lone, singletons, within=0.033, phi=1.0, fa=0.15, fb=0.8))) == 1
    assert len(np.unique(vbx_labels(lone, singletons, within=0.05, phi=1.0, fa=0.15, fb=0.8, renorm=True))) > 1


def test_diarize_local_runs_vbx_on_a_cached_local_stage_and_rejects_unknown_clustering() -> None:
    import pytest

    from sessionscope.audio.diarize import diarize_local
    from sessionscope.audio.reconstruct import LocalSegmentation, unsplit_origin

    x, truth = _voices(8)
    keep = truth < 2  # two voices, 12 chunks with one local speaker each, alternating
    x = x[keep][np.argsort(np.arange(keep.sum()) % 12, kind="stable")]
    c = len(x)
    binarized = np.zeros((c, 589, 1), dtype=np.uint8)
    binarized[:, 100:400, 0] = 1
    seg = LocalSegmentation(np.arange(c) * 5.0, binarized, 0.017, 0.01, c * 5.0 + 5.0)
    local = (seg, x[:, None, :], np.ones((c, 1), bool), np.ones((c, 1), bool), unsplit_origin(seg))
    d = diarize_local(np.zeros(1, np.float32), params=DiarizationParams(clustering="vbx"), local=local)
    assert len(d.speakers) == 2 and "vbx" in d.method
    with pytest.raises(ValueError):
        diarize_local(np.zeros(1, np.float32), params=DiarizationParams(clustering="kmeans"), local=local)


def test_config_reaches_the_vbx_option_and_keys_it_only_when_on() -> None:
    import pytest
    from pydantic import ValidationError

    from sessionscope.audio.diarize import diarization_params
    from sessionscope.audio.pipeline import diarization_settings
    from sessionscope.config import Config

    default = Config()
    assert diarization_settings(default).clustering == "ahc"
    assert "clustering" not in diarization_params(default.diarization)  # the default's cache key as before
    on = Config.model_validate({"diarization": {"clustering": "vbx"}})
    assert diarization_settings(on).clustering == "vbx"
    if diarization_params(on.diarization)["method"] == "local-agglomerative":
        assert diarization_params(on.diarization)["clustering"][0] == "vbx"
    with pytest.raises(ValidationError):
        Config.model_validate({"diarization": {"clustering": "kmeans"}})

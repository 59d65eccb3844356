"""Sparse short speech (round 6): voices that never get a second of clean speech still count and keep their
speech (synthetic embeddings and segmentation activity, no models)."""

from __future__ import annotations

import numpy as np

from sessionscope.audio.diarize import DiarizationParams, diarize_local
from sessionscope.audio.reconstruct import LocalSegmentation, cluster_local_speakers

STEP = 0.02
F = 500  # 10 s chunks


def _sparse_meeting(n_voices: int = 3, seed: int = 0):
    """One 10 s chunk holding ``n_voices`` utterances of 1.1-1.2 s, the first two overlapping: the segmentation
    tells the voices apart (each speaks a second), but the overlapped two have under a second of clean speech."""
    rng = np.random.default_rng(seed)
    voices = rng.normal(size=(n_voices, 32))
    b = np.zeros((1, F, n_voices), dtype=np.uint8)
    spans = [(1.0, 2.2), (1.5, 2.7), (5.0, 6.1)][:n_voices]
    for k, (a, e) in enumerate(spans):
        b[0, int(a / STEP):int(e / STEP), k] = 1
    emb = (voices + 0.1 * rng.normal(size=voices.shape))[None].astype(np.float32)
    usable = np.ones((1, n_voices), dtype=bool)
    trainable = np.zeros((1, n_voices), dtype=bool)
    trainable[0, 2:] = True  # only the voice that speaks alone has a second of clean speech
    seg = LocalSegmentation(np.array([0.0]), b, STEP, STEP / 2, 10.0)
    return seg, emb, usable, trainable, spans


def test_short_voices_are_clustered_when_the_count_asks_for_them() -> None:
    _, emb, usable, trainable, _ = _sparse_meeting()  # one voice with a long stretch: alone, the only cluster
    on = cluster_local_speakers(emb, usable, trainable, threshold=0.72, min_clusters=3, short_voices=True)
    off = cluster_local_speakers(emb, usable, trainable, threshold=0.72, min_clusters=3, short_voices=False)
    assert len(on.centroids) == 3
    assert sorted(on.clusters[0].tolist()) == [0, 1, 2]
    assert len(off.centroids) == 1  # the former behaviour: every short voice joined the one long voice


def test_trainable_voices_alone_decide_when_there_are_enough() -> None:
    _, emb, usable, trainable, _ = _sparse_meeting()
    trainable[0, :] = True
    a = cluster_local_speakers(emb, usable, trainable, threshold=0.72, min_clusters=2, short_voices=True)
    b = cluster_local_speakers(emb, usable, trainable, threshold=0.72, min_clusters=2, short_voices=False)
    assert a.n_trained == b.n_trained == 3
    np.testing.assert_array_equal(a.clusters, b.clusters)


def test_sparse_short_speech_is_not_dropped() -> None:
    seg, emb, usable, trainable, spans = _sparse_meeting()
    d = diarize_local(np.zeros(1, np.float32), params=DiarizationParams(split_gap_s=0.0), local=(seg, emb, usable, trainable))
    assert len(d.speakers) == 3  # three voices that one chunk tells apart, two without a second of clean speech
    off = diarize_local(np.zeros(1, np.float32), params=DiarizationParams(split_gap_s=0.0, short_voices=False),
                        local=(seg, emb, usable, trainable))
    assert len(off.speakers) == 1
    for a, e in spans:  # every utterance keeps its speech (overlap included)
        covered = sum(max(0.0, min(e, t.end) - max(a, t.start)) for t in d.turns)
        assert covered >= 0.8 * (e - a)
    again = diarize_local(np.zeros(1, np.float32), params=DiarizationParams(split_gap_s=0.0), local=(seg, emb, usable, trainable))
    assert again.turns == d.turns

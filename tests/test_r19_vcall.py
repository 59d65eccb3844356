"""Round 19 (vcall): the clustering's evidence for a voice — one stretch of speech embedded in two overlapping
chunks counts once, small pieces fold to their nearest cluster as a whole, clusters left closer than the
threshold merge (synthetic embeddings and segmentations, no models)."""

from __future__ import annotations

import numpy as np

from sessionscope.audio.reconstruct import (
    LocalSegmentation,
    _merge_centroids,
    _normalise,
    agglomerative,
    stretch_ids,
)

STEP = 0.02
F = int(10.0 / STEP)


def _unit(rng: np.random.Generator, n: int, d: int = 32) -> np.ndarray:
    return _normalise(rng.normal(size=(n, d)))


def _around(rng: np.random.Generator, centre: np.ndarray, n: int, spread: float) -> np.ndarray:
    return _normalise(centre + spread * rng.normal(size=(n, len(centre))) / np.sqrt(len(centre)))


def test_stretch_ids_join_one_run_seen_by_two_overlapping_chunks():
    b = np.zeros((2, F, 3), dtype=np.uint8)
    b[0, 300:400, 0] = 1  # chunk 0 (0-10 s): 6-8 s
    b[1, 50:150, 1] = 1  # chunk 1 (5-15 s): the same 6-8 s
    b[1, 300:350, 0] = 1  # chunk 1: 11-12 s, heard only here
    b[0, 50:100, 2] = 1  # chunk 0: 1-2 s
    seg = LocalSegmentation(np.array([0.0, 5.0]), b, STEP, STEP / 2, 15.0)
    usable = b.any(axis=1)
    ids = stretch_ids(seg, usable)
    assert ids[0, 0] == ids[1, 1]
    assert len({ids[0, 0], ids[1, 0], ids[0, 2]}) == 3
    # a slot that shares under half of the shorter one's frames is a stretch of its own
    b2 = b.copy()
    b2[1, :, 1] = 0
    b2[1, 130:250, 1] = 1  # 7.6-10 s: 0.4 s of 2 s shared
    assert stretch_ids(LocalSegmentation(seg.starts, b2, STEP, STEP / 2, 15.0), usable)[0, 0] != \
        stretch_ids(LocalSegmentation(seg.starts, b2, STEP, STEP / 2, 15.0), usable)[1, 1]
    assert (stretch_ids(seg, np.zeros_like(usable)) == -1).all()


def test_a_cluster_of_one_stretch_embedded_twice_is_not_a_voice():
    rng = np.random.default_rng(3)
    a, b, c = _unit(rng, 3)
    x = np.concatenate([_around(rng, a, 8, 0.2), _around(rng, b, 8, 0.2), _around(rng, c, 2, 0.05)])
    twice = np.concatenate([np.arange(16), [16, 16]])  # the last two: one run, two chunks
    apart = np.arange(18)  # ... two runs
    assert len(set(agglomerative(x, threshold=0.72, min_cluster_size=2))) == 3
    assert len(set(agglomerative(x, threshold=0.72, min_cluster_size=2, evidence=apart))) == 3
    labels = agglomerative(x, threshold=0.72, min_cluster_size=2, evidence=twice)
    assert len(set(labels)) == 2
    assert len(set(labels[:8])) == 1 and len(set(labels[8:16])) == 1 and labels[0] != labels[8]


def test_fold_nearest_lets_two_small_pieces_of_one_voice_make_a_voice():
    rng = np.random.default_rng(5)
    a, b, c = _unit(rng, 3)
    c2 = _normalise(c + _unit(rng, 1)[0])  # the rare voice heard in two different conditions
    x = np.concatenate([_around(rng, a, 8, 0.2), _around(rng, b, 8, 0.2), _around(rng, c, 2, 0.05),
                        _around(rng, c2, 2, 0.05)])
    ev = np.concatenate([np.arange(16), [16, 16, 17, 17]])  # each small piece: one stretch in two chunks
    assert np.linalg.norm(c - c2) > 0.72  # the pieces are not merged by the threshold
    folded = agglomerative(x, threshold=0.72, min_cluster_size=2, evidence=ev)
    assert len(set(folded)) == 2  # each piece alone is folded into a large voice
    kept = agglomerative(x, threshold=0.72, min_cluster_size=2, evidence=ev, fold_nearest=True)
    assert len(set(kept)) == 3
    assert len(set(kept[16:])) == 1 and kept[16] not in set(kept[:16])


def test_merge_centroids_joins_clusters_left_closer_than_the_threshold():
    rng = np.random.default_rng(9)
    a, b = _unit(rng, 2)
    near = _normalise(a + 0.5 * b)
    x = np.concatenate([_around(rng, a, 5, 0.05), _around(rng, near, 5, 0.05), _around(rng, b, 5, 0.05)])
    labels = np.repeat([0, 1, 2], 5)
    d_an = np.linalg.norm(_normalise(x[:5].mean(0)) - _normalise(x[5:10].mean(0)))
    out = _merge_centroids(labels, x, threshold=d_an + 0.05)
    assert len(set(out[:10])) == 1 and out[10] != out[0]
    assert (_merge_centroids(labels, x, threshold=d_an - 0.05) == labels).all()

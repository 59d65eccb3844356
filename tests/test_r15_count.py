"""Round 15 (count): fold support — short runs count towards their nearest cluster's size before the fold.

Measured on development data and not shipped (off by default: ``DiarizationParams.fold_support``); these tests
pin what the option does and that the default is unchanged. Synthetic embeddings, no models.
"""

from __future__ import annotations

import numpy as np

from sessionscope.audio.diarize import DiarizationParams
from sessionscope.audio.reconstruct import agglomerative, cluster_local_speakers


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def _around(rng: np.random.Generator, centre: np.ndarray, n: int, spread: float) -> np.ndarray:
    return _unit(centre + spread * rng.normal(size=(n, len(centre))))


def test_support_keeps_a_one_run_voice_that_short_runs_back():
    rng = np.random.default_rng(15)
    a, b, c = (_unit(rng.normal(size=192)) for _ in range(3))
    x = np.concatenate([_around(rng, a, 10, 0.02), _around(rng, b, 10, 0.02), _around(rng, c, 1, 0.02)])
    short = _around(rng, c, 2, 0.05)  # two short runs of the rare voice, too short to be clustered
    assert len(set(agglomerative(x, threshold=0.72, min_cluster_size=2))) == 2  # the one-run voice is folded
    kept = agglomerative(x, threshold=0.72, min_cluster_size=2, support=short)
    assert len(set(kept)) == 3 and kept[-1] not in set(kept[:20])


def test_support_near_another_voice_does_not_keep_a_one_run_cluster():
    """Short runs that lie nearest a large voice add to that voice, not to the one-run cluster."""
    rng = np.random.default_rng(16)
    a, b, c = (_unit(rng.normal(size=192)) for _ in range(3))
    x = np.concatenate([_around(rng, a, 10, 0.02), _around(rng, b, 10, 0.02), _around(rng, c, 1, 0.02)])
    short = _around(rng, a, 3, 0.05)
    assert len(set(agglomerative(x, threshold=0.72, min_cluster_size=2, support=short))) == 2


def test_fold_support_in_the_assignment_is_off_by_default_and_only_counts_untrained_runs():
    rng = np.random.default_rng(17)
    a, b, c = (_unit(rng.normal(size=192)) for _ in range(3))
    emb = np.zeros((8, 2, 192))
    emb[:, 0] = _around(rng, a, 8, 0.02)
    emb[:7, 1] = _around(rng, b, 7, 0.02)
    emb[7, 1] = _around(rng, c, 1, 0.02)[0]  # chunk 7: the rare voice's one long run
    usable = np.ones((8, 2), dtype=bool)
    trainable = usable.copy()
    # two more chunks where the rare voice speaks briefly (usable, not trainable) beside a
    emb = np.concatenate([emb, np.stack([_around(rng, a, 2, 0.02), _around(rng, c, 2, 0.05)], axis=1)])
    usable = np.concatenate([usable, np.ones((2, 2), dtype=bool)])
    trainable = np.concatenate([trainable, np.array([[True, False], [True, False]])])
    assert DiarizationParams().fold_support is False
    off = cluster_local_speakers(emb, usable, trainable, threshold=0.72, min_cluster_size=2)
    on = cluster_local_speakers(emb, usable, trainable, threshold=0.72, min_cluster_size=2, fold_support=True)
    assert len(off.centroids) == 2
    assert len(on.centroids) == 3
    assert on.clusters[7, 1] == on.clusters[8, 1] == on.clusters[9, 1] != on.clusters[0, 0]


def test_a_continuous_single_talker_stays_one_speaker_with_fold_support():
    """One talker whose runs spread around one voice (some too short to cluster): still one speaker."""
    rng = np.random.default_rng(18)
    a = _unit(rng.normal(size=192))
    emb = _around(rng, a, 24, 0.03).reshape(12, 2, 192)
    usable = np.ones((12, 2), dtype=bool)
    trainable = usable.copy()
    trainable[::3, 1] = False  # short runs
    for support in (False, True):
        asg = cluster_local_speakers(emb, usable, trainable, threshold=0.72, min_cluster_size=2,
                                     fold_support=support)
        assert len(asg.centroids) == 1
        assert set(asg.clusters[usable].tolist()) == {0}

"""Round 8 (diar): a rarely speaking voice unlike the others stays a speaker; the far-field meeting generator."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from sessionscope.audio.reconstruct import agglomerative, cluster_local_speakers

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))


def _voices(rng: np.random.Generator, centres: list[np.ndarray], counts: list[int], spread: float) -> np.ndarray:
    out = [c + spread * rng.normal(size=(n, len(c))) for c, n in zip(centres, counts, strict=True)]
    x = np.concatenate(out)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_a_small_cluster_far_from_every_large_one_stays_a_voice():
    rng = np.random.default_rng(8)
    a, b = rng.normal(size=192), rng.normal(size=192)
    rare = rng.normal(size=192)  # a third voice with two embeddings (two backchannels)
    x = _voices(rng, [a, b, rare], [12, 12, 2], spread=0.02)
    folded = agglomerative(x, threshold=0.7, min_cluster_size=3)
    kept = agglomerative(x, threshold=0.7, min_cluster_size=3, keep_far=0.94)
    assert len(set(folded)) == 2
    assert len(set(kept)) == 3
    assert len(set(kept[-2:])) == 1 and kept[-1] not in set(kept[:24])


def test_a_small_cluster_near_a_large_one_is_still_folded():
    """Split-off embeddings of a known voice (close to its centroid, but beyond the threshold) are folded."""
    rng = np.random.default_rng(9)
    a, b = rng.normal(size=192), rng.normal(size=192)
    a /= np.linalg.norm(a)
    side = rng.normal(size=192)
    side -= side @ a * a
    side /= np.linalg.norm(side)
    near = a + 0.75 * side  # euclidean distance to a's centroid about 0.66: beyond 0.6, well under 0.94
    x = _voices(rng, [a, b, near], [12, 12, 2], spread=0.01)
    assert len(set(agglomerative(x, threshold=0.6, min_cluster_size=1))) == 3  # the clustering alone splits it
    assert len(set(agglomerative(x, threshold=0.6, min_cluster_size=3, keep_far=0.94))) == 2


def test_keep_far_reaches_the_assignment_and_is_deterministic():
    rng = np.random.default_rng(10)
    a, b, rare = rng.normal(size=192), rng.normal(size=192), rng.normal(size=192)
    x = _voices(rng, [a, b, rare], [6, 6, 2], spread=0.02)
    emb = x.reshape(7, 2, 192)  # 7 chunks, 2 local speakers each
    usable = np.ones((7, 2), dtype=bool)
    kw = dict(threshold=0.7, min_cluster_size=3)
    on = cluster_local_speakers(emb, usable, usable, keep_far=0.94, **kw)
    assert len(on.centroids) == 3
    assert len(cluster_local_speakers(emb, usable, usable, keep_far=0.0, **kw).centroids) == 2
    again = cluster_local_speakers(emb.copy(), usable, usable, keep_far=0.94, **kw)
    assert np.array_equal(on.clusters, again.clusters)


def test_rir_decays_at_its_rt60_and_has_the_asked_direct_to_reverberant_ratio():
    from farfield_meetings import SR, rir

    h = rir(np.random.default_rng(1), rt60=0.6, drr_db=3.0)
    assert h[0] == 1.0
    tail = h[1:]
    assert 10 * np.log10(1.0 / np.sum(tail**2)) == pytest.approx(3.0, abs=1e-6)
    e = np.cumsum(tail[::-1] ** 2)[::-1]  # Schroeder backward integral
    t = np.arange(len(tail)) / SR
    db = 10 * np.log10(e / e[0])
    fit = np.polyfit(t[(db < -5) & (db > -25)], db[(db < -5) & (db > -25)], 1)
    assert -60 / fit[0] == pytest.approx(0.6, rel=0.15)


def test_far_field_describe_counts_overlap_and_the_rarest_talker():
    from farfield_meetings import SR, describe

    ref = [(0.0, 4.0, "a"), (3.0, 6.0, "b"), (3.5, 4.0, "c")]
    x = np.zeros(8 * SR, dtype=np.float32)
    d = describe(ref, x)
    assert d["speakers"] == 3
    assert d["overlap_share_of_speech"] == pytest.approx(1.0 / 6.0, abs=0.01)
    assert d["overlap3_share_of_speech"] == pytest.approx(0.5 / 6.0, abs=0.01)
    assert d["rarest_talk_share"] == pytest.approx(0.5 / 7.5, abs=0.01)

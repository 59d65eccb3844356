"""Round 18 (dspeed): the diarization's clustering primitives and fbank FFT without SciPy, the same results."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from sessionscope.audio import hierarchy as h

scipy_hierarchy = pytest.importorskip("scipy.cluster.hierarchy")
scipy_optimize = pytest.importorskip("scipy.optimize")


def _voices(rng: np.random.Generator, n: int, k: int, spread: float) -> np.ndarray:
    x = rng.standard_normal((k, 192))[rng.integers(0, k, n)] + spread * rng.standard_normal((n, 192))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_centroid_linkage_and_distance_cut_match_scipy() -> None:
    rng = np.random.default_rng(7)
    for _ in range(60):
        x = _voices(rng, int(rng.integers(2, 90)), int(rng.integers(1, 6)), float(rng.uniform(0.3, 1.5)))
        ref = scipy_hierarchy.linkage(x, method="centroid", metric="euclidean")
        z = h.linkage(x, "centroid")
        assert np.array_equal(ref[:, [0, 1, 3]], z[:, [0, 1, 3]])
        np.testing.assert_allclose(ref[:, 2], z[:, 2], rtol=1e-12)
        for t in (0.4, 0.72, 0.95, 1.2):
            assert np.array_equal(scipy_hierarchy.fcluster(ref, t=t, criterion="distance"), h.fcluster_distance(z, t))


def test_average_cosine_linkage_and_maxclust_match_scipy() -> None:
    rng = np.random.default_rng(8)
    for _ in range(60):
        x = _voices(rng, int(rng.integers(2, 90)), int(rng.integers(1, 6)), float(rng.uniform(0.3, 1.5)))
        ref = scipy_hierarchy.linkage(x, method="average", metric="cosine")
        z = h.linkage(x, "average")
        assert np.array_equal(ref[:, [0, 1, 3]], z[:, [0, 1, 3]])
        np.testing.assert_allclose(ref[:, 2], z[:, 2], rtol=1e-9, atol=1e-13)
        for k in (1, 2, 3, 4, 7, 200):
            assert np.array_equal(scipy_hierarchy.fcluster(ref, t=k, criterion="maxclust"), h.fcluster_maxclust(z, k))


def test_linear_sum_assignment_matches_scipy_ties_included() -> None:
    rng = np.random.default_rng(9)
    for _ in range(400):
        r, c = (int(v) for v in rng.integers(1, 8, 2))
        for cost in (rng.standard_normal((r, c)), rng.integers(0, 3, (r, c)).astype(float), np.zeros((r, c))):
            a, b = scipy_optimize.linear_sum_assignment(cost), h.linear_sum_assignment(cost)
            assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert [len(v) for v in h.linear_sum_assignment(np.zeros((0, 3)))] == [0, 0]
    with pytest.raises(ValueError):
        h.linear_sum_assignment(np.array([[np.nan, 1.0]]))


def test_agglomerative_labels_as_with_scipy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped clustering (centroid cut, count bounds by average linkage, small clusters folded) gives the
    same labels with the numpy primitives as with SciPy's."""
    from sessionscope.audio import reconstruct

    rng = np.random.default_rng(10)
    cases = []
    for _ in range(40):
        x = _voices(rng, int(rng.integers(3, 70)), int(rng.integers(1, 7)), float(rng.uniform(0.4, 1.3)))
        lo, hi = int(rng.integers(1, 5)), int(rng.integers(4, 7))
        cases.append((x, dict(threshold=0.72, min_clusters=lo, max_clusters=hi, min_cluster_size=int(rng.integers(1, 4)))))
    ours = [reconstruct.agglomerative(x, **kw) for x, kw in cases]
    monkeypatch.setattr(h, "linkage", lambda x, method: scipy_hierarchy.linkage(
        x, method=method, metric="euclidean" if method == "centroid" else "cosine"))
    monkeypatch.setattr(h, "fcluster_distance", lambda z, t: scipy_hierarchy.fcluster(z, t=t, criterion="distance"))
    monkeypatch.setattr(h, "fcluster_maxclust", lambda z, k: scipy_hierarchy.fcluster(z, t=k, criterion="maxclust"))
    theirs = [reconstruct.agglomerative(x, **kw) for x, kw in cases]
    assert all(np.array_equal(a, b) for a, b in zip(ours, theirs, strict=True))
    assert len({len(np.unique(a)) for a in ours}) > 1  # the cases reach several counts


def test_fbank_fft_close_to_scipy_float32(monkeypatch: pytest.MonkeyPatch) -> None:
    """numpy's float64 FFT rounded to complex64 against SciPy's float32 FFT (the round-start fbank)."""
    import scipy.fft

    from sessionscope.audio import diarize as dz

    samples = (0.1 * np.random.default_rng(11).standard_normal(16000 * 3)).astype(np.float32)
    ours = dz._fbank(samples)
    monkeypatch.setattr(np.fft, "rfft", lambda a, axis: scipy.fft.rfft(a.astype(np.float32), axis=axis, workers=1))
    ref = dz._fbank(samples)
    assert ours.dtype == np.float32 and ours.shape == ref.shape and not np.array_equal(ours, ref)
    assert float(np.max(np.abs(ours - ref))) < 1e-3


def test_diarization_clustering_does_not_import_scipy() -> None:
    code = (
        "import sys, numpy as np\n"
        "from sessionscope.audio import diarize, reconstruct, identify, der\n"
        "rng = np.random.default_rng(0)\n"
        "diarize._fbank(rng.standard_normal(16000).astype(np.float32))\n"
        "x = rng.standard_normal((20, 192))\n"
        "reconstruct.agglomerative(x, threshold=0.72, min_clusters=3)\n"
        "emb = rng.standard_normal((4, 2, 192)); use = np.ones((4, 2), bool)\n"
        "reconstruct.cluster_local_speakers(emb, use, use, threshold=0.72, min_clusters=2)\n"
        "identify.match_voiceprints({'A': [1.0, 0.0]}, {'p': np.array([1.0, 0.0])}, threshold=0.5)\n"
        "der.der([(0.0, 1.0, 'a')], [(0.0, 1.0, 'b')])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'scipy'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_keep_freed_memory_sets_glibc_thresholds_once_and_can_be_switched_off() -> None:
    code = (
        "import ctypes, sys\n"
        "from sessionscope.audio import decode\n"
        "ok = decode.keep_freed_memory()\n"
        "again = decode.keep_freed_memory()\n"
        "print(ok, again, decode._libc() is not None)\n"
    )
    import os

    on = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                        env={**os.environ, "SESSIONSCOPE_MALLOC_TUNE": "1"}).stdout.split()
    off = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "SESSIONSCOPE_MALLOC_TUNE": "0"}).stdout.split()
    assert off[:2] == ["False", "False"]
    assert on[:2] == ([on[2]] * 2)  # raised where glibc is there, a no-op (False) elsewhere


def test_transcribe_file_raises_the_thresholds_before_recognition(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """The thresholds are set once the recording is decoded, before the transcription and diarization."""
    from sessionscope.audio import pipeline

    order: list[str] = []

    class Stop(Exception):
        pass

    monkeypatch.setattr(pipeline, "decode_step", lambda path, hook=None: order.append("decode") or
                        type("D", (), {"sha256": "0" * 64})())
    monkeypatch.setattr(pipeline, "keep_freed_memory", lambda: order.append("malloc") or True)

    def recognise(*a, **k):  # noqa: ANN002, ANN003, ANN202
        order.append("recognise")
        raise Stop

    monkeypatch.setattr(pipeline, "recognise_step", recognise)
    from sessionscope.config import Config

    with pytest.raises(Stop):
        pipeline.transcribe_file(tmp_path / "x.wav", config=Config())
    assert order == ["decode", "malloc", "recognise"]

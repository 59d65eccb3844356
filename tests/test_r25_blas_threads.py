"""Round 25: the same recording gives the same output whatever BLAS thread count the engine left
(a Ray worker runs with OMP_NUM_THREADS=1, the calling process with every core)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sessionscope.models import BLAS_THREADS, fixed_blas_threads

threadpoolctl = pytest.importorskip("threadpoolctl")


def _blas_threads() -> set[int]:
    return {i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"}


def test_the_fixed_count_inside_and_the_callers_setting_after() -> None:
    np.ones((4, 4)) @ np.ones((4, 4))  # BLAS loaded
    if not _blas_threads():
        pytest.skip("NumPy reports no BLAS library")
    for outer in (1, 3):
        with threadpoolctl.threadpool_limits(limits=outer, user_api="blas"):
            before = _blas_threads()
            with fixed_blas_threads():
                assert _blas_threads() == {BLAS_THREADS}
            assert _blas_threads() == before


def test_a_float32_product_is_the_same_whatever_the_outer_thread_count() -> None:
    """The product the mel filterbank makes (80 x 201 by 201 x 3000) under an outer limit of 1 or 3 threads."""
    rng = np.random.default_rng(0)
    x, m = rng.standard_normal((201, 3000)).astype(np.float32), rng.standard_normal((80, 201)).astype(np.float32)
    out = []
    for n in (1, 3):
        with threadpoolctl.threadpool_limits(limits=n, user_api="blas"), fixed_blas_threads():
            out.append((m @ x).tobytes())
    assert out[0] == out[1]


@pytest.mark.slow
def test_a_real_recording_is_the_same_under_one_or_two_outer_blas_threads(shared_data: Path, tmp_path: Path) -> None:
    """The pyannote sample (30 s, two people) with tiny.en: words, confidences, turns and utterances are identical
    whether the caller left BLAS at one thread or two (without :func:`fixed_blas_threads` the mel features, word
    confidences and one comma differed)."""
    from sessionscope.audio import pipeline
    from sessionscope.audio.cache import ResultCache
    from sessionscope.config import load_config

    cfg = load_config(overrides={"asr": {"model": "tiny.en"}})
    out = []
    for n in (1, 2):
        with threadpoolctl.threadpool_limits(limits=n, user_api="blas"):
            s = pipeline.transcribe_file(shared_data / "pyannote-sample" / "sample.wav", config=cfg,
                                         cache=ResultCache(tmp_path / str(n)), no_cache=True)
        out.append(s)
    a, b = out
    assert [(u.speaker, u.text, u.start, u.end) for u in a.utterances] == \
        [(u.speaker, u.text, u.start, u.end) for u in b.utterances]
    assert [[w.confidence for w in u.words] for u in a.utterances] == [[w.confidence for w in u.words] for u in b.utterances]

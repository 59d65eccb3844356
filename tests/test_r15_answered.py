"""Round 15: the learned answer head (who answered a question), its features, and the rule it falls back to."""

import json

import numpy as np
import pytest

from helpers import make_session
from sessionscope.analysis.questions import (
    ANSWER_FEATURES_VERSION,
    ANSWER_HASH_BITS,
    ANSWER_HEAD_MIN_SPEAKERS,
    AnswerHead,
    answer_candidate_features,
    answer_feature_ids,
    answer_head_path,
    bundled_answer_head,
    find_questions,
    load_answer_head,
    reply_window,
)
from sessionscope.config import DynamicsConfig
from sessionscope.errors import ModelError

BC = DynamicsConfig().backchannels


def _kw(**extra):
    return {"language": "en", "backchannels": BC, "head": None, **extra}


def _toy(threshold: float, **weights: float) -> AnswerHead:
    """A head whose weights are set by feature name (no training): a feature present adds its weight."""
    w = np.zeros(1 << ANSWER_HASH_BITS, dtype=np.float32)
    for name, v in weights.items():
        w[answer_feature_ids([name.replace("__", "=")])] += v
    return AnswerHead(weights=w, bias=0.0, threshold=threshold, meta={})


THREE = [
    ("ann", 0.0, 2.0, "When is the review?"),
    ("ann", 2.1, 3.0, "I forgot."),
    ("bob", 3.5, 3.8, "Mm-hmm."),
    ("cat", 4.0, 6.0, "Friday at three."),
    ("bob", 6.1, 7.0, "Right, Friday."),
]


def test_reply_window_skips_the_asker_and_stops_after_k_others():
    s = make_session(THREE)
    addressee, window = reply_window(s.utterances, 0, 2, 10.0)
    assert addressee == "bob"
    assert window == [(2, 1), (3, 1)]  # bob's and cat's, each after one more utterance by the asker
    assert reply_window(s.utterances, 0, 1, 10.0)[1] == [(2, 1)]


def test_reply_window_latency_ends_it():
    s = make_session([("ann", 0.0, 1.0, "Any news?"), ("bob", 20.0, 21.0, "Yes, the client signed.")])
    addressee, window = reply_window(s.utterances, 0, 2, 10.0)
    assert addressee == "bob" and window == []


def test_candidate_features_describe_the_reply():
    s = make_session(THREE)
    u = s.utterances
    bob = answer_candidate_features(u, 0, 2, 1, 1, ["When is the review?"], 3, BC)
    cat = answer_candidate_features(u, 0, 3, 2, 1, ["When is the review?"], 3, BC)
    assert {"qs=WH", "pos=1", "own=1", "kind=bc", "rule=False", "ruleany=True", "addr=True"} <= set(bob)
    assert {"pos=2", "kind=content", "rule=True", "w1=friday", "addr=False", "prevbc=True", "prevsame=False"} <= set(cat)
    assert "lat=2" in bob and "lat=5" in cat  # bob starts 1.5 s after the question ends (1–2 s), cat 2.0 s after it (2–5 s)
    yn = answer_candidate_features(make_session([("a", 0, 1, "Did you send it?"), ("b", 1.2, 2, "Yes."),
                                                 ("c", 2, 3, "Ok.")]).utterances, 0, 1, 1, 0, ["Did you send it?"], 1, BC)
    assert {"qs=INV", "yn=True", "yn=True:qs=INV", "keeps=False"} <= set(yn)
    marks = answer_candidate_features(make_session([("a", 0, 1, "Why?"), ("b", 1, 2, "{vocalsound}"),
                                                    ("c", 2, 3, "Ok.")]).utterances, 0, 1, 1, 0, ["Why?"], None, BC)
    assert "kind=marks" in marks and "ruleany=False" in marks


def test_toy_head_takes_the_best_candidate_over_its_threshold():
    s = make_session(THREE)
    head = _toy(0.5, **{"kind__content": 3.0, "kind__bc": -3.0})
    (e,) = find_questions(s.utterances, answer_head=head, **_kw())
    assert e.answered and e.answer_utterance_id == "u0004"  # cat's reply, not bob's backchannel
    (e,) = find_questions(s.utterances, answer_head=_toy(0.99, **{"kind__content": 3.0}), **_kw())
    assert not e.answered and e.answer_utterance_id is None  # sigmoid(3) < 0.99


def test_rule_decides_for_two_people_russian_untimed_and_without_a_head():
    never = _toy(1.1)  # a head that never answers: wherever it is used, nothing is answered
    three = make_session(THREE)
    assert not find_questions(three.utterances, answer_head=never, **_kw())[0].answered
    assert find_questions(three.utterances, answer_head=None, **_kw())[0].answered  # the rule: cat answers
    two = make_session([("ann", 0.0, 2.0, "When is the review?"), ("bob", 2.5, 4.0, "Friday at three.")])
    assert ANSWER_HEAD_MIN_SPEAKERS == 3
    assert find_questions(two.utterances, answer_head=never, **_kw())[0].answered
    untimed = make_session([(spk, text) for spk, _, _, text in THREE])
    assert find_questions(untimed.utterances, answer_head=never, **_kw())[0].answered
    ru = make_session([("аня", 0.0, 2.0, "Когда ревью?"), ("боб", 2.5, 3.0, "В пятницу."), ("кот", 3.1, 4.0, "Да.")],
                      language="ru")
    assert find_questions(ru.utterances, answer_head=never, **_kw(language="ru"))[0].answered


def test_answer_head_file_roundtrip_and_refusal(tmp_path):
    head = _toy(0.42, **{"kind__content": 1.5})
    back = load_answer_head(head.save(tmp_path / "a.npz"))
    assert back.threshold == pytest.approx(0.42) and back.meta["features_version"] == ANSWER_FEATURES_VERSION
    assert np.allclose(back.weights, head.weights, atol=1e-3)
    with np.load(tmp_path / "a.npz") as z:
        arrays = {k: z[k] for k in z.files}
    arrays["meta"] = np.array(json.dumps({"features_version": ANSWER_FEATURES_VERSION + 1}))
    np.savez(tmp_path / "old.npz", **arrays)
    with pytest.raises(ModelError, match="another feature version"):
        load_answer_head(tmp_path / "old.npz")
    with pytest.raises(ModelError, match="not found"):
        load_answer_head(tmp_path / "missing.npz")


@pytest.mark.skipif(not answer_head_path().exists(), reason="no answer head shipped (the rule attributes answers)")
def test_shipped_head_never_credits_the_asker():
    head = bundled_answer_head()
    assert head is not None and 0.0 < head.threshold < 1.0
    assert head.meta["command"].startswith("python benchmarks/train_answer_head_r15_answered.py")
    s = make_session([
        ("ann", 0.0, 2.0, "Did you send the slides to the client?"),
        ("ann", 2.1, 4.0, "Yes, I think I sent them yesterday evening."),  # the asker answers herself
        ("bob", 4.2, 4.5, "Mm-hmm."),
        ("cat", 4.6, 4.9, "Uh-huh."),
        ("ann", 5.0, 7.0, "Okay, let's move on to the budget then."),
    ])
    (e,) = find_questions(s.utterances, answer_head=head, **_kw())
    assert e.answer_utterance_id not in {"u0001", "u0002", "u0005"}
    clear = make_session([
        ("ann", 0.0, 2.0, "What did the client say about the new prices?"),
        ("bob", 2.3, 6.0, "They accepted them, but they want the delivery moved to March."),
        ("cat", 6.2, 7.0, "Okay."),
    ])
    (e,) = find_questions(clear.utterances, answer_head=head, **_kw())
    assert e.answered and e.answer_utterance_id == "u0002"

"""Round 28 (issue 10): a punctuated transcript with stretches the recogniser wrote without punctuation or capitals."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import make_session, toy_question_head
from sessionscope.analysis import questions as q
from sessionscope.analysis.questions import QuestionHead, find_questions, unmarked_utterances
from sessionscope.config import DynamicsConfig

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
BC = DynamicsConfig().backchannels


def test_unmarked_utterances_are_long_lowercase_and_without_any_mark():
    texts = ["so what did you change in the build",  # bare: read as bare text
             "So what did you change in the build",  # a capital: the transcript's own style, not a bare stretch
             "so what did you change, in the build",  # a mark
             "what did you",  # under four words
             "so what did you change in the -",  # cut off
             "а что вы поменяли в сборке",  # Russian: left to round 17's rule
             "We ship on Monday."]
    assert unmarked_utterances(texts) == [True, False, False, False, False, False, False]


def test_the_benchmark_rules(monkeypatch):
    texts = ["So what did you change in the build", "we ship on monday then", "Fine.", "It works, I think."]
    monkeypatch.setattr(q, "MIXED_RULE", "all")  # capitals too
    assert unmarked_utterances(texts) == [True, True, False, False]
    monkeypatch.setattr(q, "MIXED_MIN_WORDS", 6)
    assert unmarked_utterances(texts) == [True, False, False, False]
    monkeypatch.setattr(q, "MIXED_MIN_WORDS", 4)
    monkeypatch.setattr(q, "MIXED_RULE", "share")  # 2 of the 3 utterances of four words or more: share 0.67
    assert unmarked_utterances(texts) == [True, True, False, False]
    monkeypatch.setattr(q, "MIXED_MIN_SHARE", 0.7)
    assert unmarked_utterances(texts) == [False] * 4
    monkeypatch.setattr(q, "MIXED_RULE", "off")
    assert unmarked_utterances(texts) == [False] * 4


def _mixed_head() -> QuestionHead:
    return toy_question_head()


ROWS = [("a", 0, 2, "What did you change in the build?"), ("b", 2, 4, "The cache key, mostly."),
        ("a", 4, 5, "Okay, good."), ("b", 5, 6, "Yes, it was slow."),
        # a chunk the recogniser wrote bare: the question is cut out of the turn and read by the bare weights
        ("a", 6, 8, "okay thanks where did you put the release notes"), ("b", 8, 9, "in the shared folder as usual"),
        ("a", 9, 10, "Right, thanks."), ("b", 10, 11, "We ship on Monday then.")]


def test_a_bare_stretch_of_a_punctuated_transcript_is_read_as_bare_text():
    events = find_questions(make_session(ROWS).utterances, language="en", backchannels=BC, head=_mixed_head())
    assert [e.utterance_id for e in events] == ["u0001", "u0005"]
    assert next(e for e in events if e.utterance_id == "u0005").text == "where did you put the release notes"
    assert events[1].confidence == pytest.approx(1 / (1 + np.exp(-2.5)), abs=1e-3)  # the bare weights'


def test_before_round_28_the_bare_stretch_hid_its_question(monkeypatch):
    monkeypatch.setattr(q, "MIXED_RULE", "off")
    events = find_questions(make_session(ROWS).utterances, language="en", backchannels=BC, head=_mixed_head())
    assert [e.utterance_id for e in events] == ["u0001"]


def test_capitals_keep_the_punctuated_reading():
    rows = [(s, a, b, t.replace("okay thanks", "Okay thanks")) for s, a, b, t in ROWS]
    events = find_questions(make_session(rows).utterances, language="en", backchannels=BC, head=_mixed_head())
    assert [e.utterance_id for e in events] == ["u0001"]


def test_the_shipped_head_finds_the_question_of_a_bare_stretch():
    found = {e.utterance_id for e in find_questions(make_session(ROWS).utterances, language="en", backchannels=BC)}
    assert {"u0001", "u0005"} <= found and not found & {"u0002", "u0006", "u0008"}


def test_bare_stretches_strip_whole_chunks():
    sys.path.insert(0, str(BENCH))
    try:
        from dialogue_acts import Act
        from dialogue_acts_eval import bare_stretches
    finally:
        sys.path.remove(str(BENCH))

    def act(i: int, start: float | None, text: str) -> Act:
        return Act(corpus="x", meeting="m", split="heldout", index=i, id=f"m.{i}", speaker="a", start=start, end=None,
                   text=text, label="", addressee=None, responder=None, question=False, question_with_qh=False,
                   recommendation=False, action=False)

    acts = [act(i, None if i % 5 == 4 else 7.0 * i, f"Is it {i}? Yes.") for i in range(40)]
    assert bare_stretches(acts, 0.0, meeting="m")[0] == acts
    every, ids, n_bare, n = bare_stretches(acts, 1.0, meeting="m")
    assert all(a.text == f"is it {a.index} yes" for a in every) and len(ids) == 40 and n_bare == n
    for seed in range(3):
        low, low_ids, _, _ = bare_stretches(acts, 0.2, seed, meeting="m")
        high, high_ids, _, _ = bare_stretches(acts, 0.4, seed, meeting="m")
        assert low_ids <= high_ids  # one seed: the chunks made bare at 0.2 are among those made bare at 0.4
        chunk: dict[int, set[bool]] = {}  # an untimed act goes with its predecessor's chunk: bare or not as a whole
        c = 0
        for a in acts:
            c = int(a.start // 30) if a.start is not None else c
            chunk.setdefault(c, set()).add(a.id in high_ids)
        assert all(len(v) == 1 for v in chunk.values())
        assert all((a.id in low_ids) == (a.text != b.text) for a, b in zip(acts, low, strict=True))

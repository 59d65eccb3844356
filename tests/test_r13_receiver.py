"""Receiver of advice in groups (issue 10, round 13): one person or the whole group (``None``)."""

from __future__ import annotations

import pytest

from helpers import make_session
from sessionscope.analysis.extract.addressee import FEATURES, WEIGHTS, addressee_features, advice_receiver
from sessionscope.analysis.flow import item_measures, knowledge_flow
from sessionscope.io._common import UNKNOWN_ID
from sessionscope.model import Metrics, Recommendation

GROUP_ROWS = [
    ("ann", "So what material should the case be?"),
    ("bob", "I don't know yet."),
    ("cat", "We could make it rubber."),
    ("bob", "Hmm."),
]
ONE_ROWS = [
    ("ann", "Let me start."),
    ("bob", "How do I test the remote, do you think?"),
    ("cat", "You should try it with the users first."),
    ("bob", "Right, thanks."),
]


def test_pairs_keep_the_other_person_whatever_the_wording() -> None:
    s = make_session([("ann", "How should we go on?"), ("bob", "We could make it rubber."), ("ann", "OK.")])
    assert advice_receiver(s, 1, "We could make it rubber.", "ann") == "ann"
    # an unattributed stretch of speech is no third person
    s = make_session([("ann", "How should we go on?"), (UNKNOWN_ID, "Mm."), ("bob", "We could make it rubber.")])
    assert advice_receiver(s, 2, "We could make it rubber.", "ann") == "ann"


def test_group_forms_in_a_group_go_to_the_group() -> None:
    s = make_session(GROUP_ROWS)
    assert advice_receiver(s, 2, "We could make it rubber.", "bob") is None
    assert advice_receiver(s, 2, "You guys should make it rubber.", "bob") is None


def test_a_you_answering_one_persons_question_goes_to_that_person() -> None:
    s = make_session(ONE_ROWS)
    x = addressee_features(s, 2, ONE_ROWS[2][1])
    assert dict(zip(FEATURES, x, strict=True))["you_only"] == 1.0
    assert advice_receiver(s, 2, ONE_ROWS[2][1], "bob") == "bob"
    # the same words as a group form stay with the group
    assert advice_receiver(s, 2, "We should try it with the users first.", "bob") is None


def test_weights_match_the_features() -> None:
    assert len(WEIGHTS) == len(FEATURES) + 1


def _rec(n: int, giver: str, receiver: str | None) -> Recommendation:
    return Recommendation(id=f"rec-{n}", utterance_id="u0001", start=None, giver=giver, receiver=receiver,
                          text=f"advice {n}", area="tools", confidence=0.8)


def test_group_advice_is_given_but_received_by_no_single_person() -> None:
    s = make_session(GROUP_ROWS).evolve(
        recommendations=(_rec(1, "cat", None), _rec(2, "cat", "bob"), _rec(3, "bob", "cat"), _rec(4, "ann", None)),
        metrics=Metrics(), extra={"extraction": True})
    kf = knowledge_flow(s)
    assert kf.recommendation_matrix == {"tools": {"cat": {"bob": 1}, "bob": {"cat": 1}}}
    assert kf.mutuality_index == 1.0  # the group advice is in no pair's flow
    part, sess = item_measures(s)
    assert sess["recommendations"] == 4 and sess["recommendations_to_group"] == 2
    assert part["cat"]["recommendations_given"] == 2 and part["ann"]["recommendations_given"] == 1
    assert [part[p]["recommendations_received"] for p in ("ann", "bob", "cat")] == [0, 1, 1]


def test_stage_gives_group_advice_no_receiver_and_pairs_the_other_person() -> None:
    pytest.importorskip("spacy")
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import ExtractionConfig

    stage = ExtractionStage(ExtractionConfig(classifier=None, dialogue_act_heads=None))
    rows = [("ann", "I'm stuck with the case design."), ("bob", "I see."),
            ("cat", "I think we should make it rubber."), ("ann", "OK.")]
    out = stage(make_session(rows))
    assert [(r.giver, r.receiver) for r in out.recommendations] == [("cat", None)]
    pair = stage(make_session([rows[0], ("cat", rows[2][1]), rows[3]]))
    assert [(r.giver, r.receiver) for r in pair.recommendations] == [("cat", "ann")]

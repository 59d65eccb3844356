"""Round 49: the knowledge flow checked against the corpora's labels, and what a group's index rests on (no models)."""

from __future__ import annotations

import sys
from pathlib import Path

from helpers import make_session
from sessionscope.analysis.dynamics import compute_metrics
from sessionscope.analysis.flow import knowledge_flow
from sessionscope.config import DynamicsConfig, ReportConfig
from sessionscope.model import KnowledgeFlow, Question, Recommendation
from sessionscope.report.session_md import render_session_markdown

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))


def _act(i: int, speaker: str, *, rec: bool = False, q: bool = False, addressee: str | None = None,
         responder: str | None = None):
    from dialogue_acts import Act

    return Act(corpus="ami", meeting="m", split="dev", index=i, id=f"a{i}", speaker=speaker, start=float(i),
               end=i + 0.5, text="x", label="", addressee=addressee, responder=responder, question=q,
               question_with_qh=q, recommendation=rec, action=False)


def test_gold_receiver_follows_the_addressee_then_the_responder() -> None:
    from r49_flow_validity import gold_receiver

    assert gold_receiver(_act(0, "A", rec=True, addressee="B", responder="C")) == "B"  # the addressee first
    assert gold_receiver(_act(0, "A", rec=True, addressee="B,C")) is None  # several: the group
    assert gold_receiver(_act(0, "A", rec=True, addressee="B,C", responder="C")) is None  # still the group
    assert gold_receiver(_act(0, "A", rec=True, responder="C")) == "C"  # no addressee: who took it up
    assert gold_receiver(_act(0, "A", rec=True, responder="A")) is None  # one's own continuation is nobody
    assert gold_receiver(_act(0, "A", rec=True)) is None


def test_gold_flows_count_advice_to_its_receiver_and_answers_to_the_asker() -> None:
    from r49_flow_validity import gold_flows

    acts = [_act(0, "A", rec=True, responder="B"), _act(1, "B", q=True, responder="C"), _act(2, "C", q=True, responder="C"),
            _act(3, "A", q=True), _act(4, "A", rec=True, addressee="B,C", responder="B")]
    assert gold_flows(acts) == {"advice": {"A": {"B": 1}}, "explanation": {"C": {"B": 1}}}


def test_person_summary_compares_shares_only_where_the_gold_has_enough() -> None:
    from r49_flow_validity import PERSON_KINDS, person_summary

    def person(g: int, p: int, talk: float) -> dict:
        counts = {k: g for k in PERSON_KINDS}
        pred = {k: p for k in PERSON_KINDS}
        return {"gold": counts, "listed": pred, "counted": pred, "expected": pred, "talk_s": talk}

    rows = [{"participants": {"a": person(6, 3, 10.0), "b": person(2, 1, 30.0)}},
            {"participants": {"a": person(1, 0, 5.0), "b": person(1, 2, 5.0)}}]  # 2 gold in all: no share scored
    out = person_summary(rows)["advice_given"]
    assert out["listed"]["counts"]["gold"] == 10 and out["listed"]["counts"]["pred"] == 6
    assert out["listed"]["share"]["n"] == 2 and out["listed"]["share"]["mae"] == 0.0  # 6/8 = 3/4, 2/8 = 1/4
    assert out["share_from_talk_time"]["mae"] == 0.5  # talk 1/4 and 3/4 against 3/4 and 1/4


def _group_session(language: str = "en"):
    s = make_session([("ann", 0.0, 2.0, "How do we ship it?"), ("bob", 2.0, 4.0, "We use the pipeline."),
                      ("cat", 4.0, 6.0, "You should try the staging branch."), ("ann", 6.0, 8.0, "Let's all test it."),
                      ("bob", 8.0, 9.0, "And when?"), ("ann", 9.0, 10.0, "On Monday.")], language=language)
    recs = (Recommendation(id="r1", utterance_id="u0003", start=4.0, giver="cat", receiver="ann",
                           text="You should try the staging branch.", confidence=0.9),
            Recommendation(id="r2", utterance_id="u0004", start=6.0, giver="ann", receiver=None,
                           text="Let's all test it.", confidence=0.8),
            Recommendation(id="r3", utterance_id="u0004", start=6.0, giver="ann", receiver=None,
                           text="test it", confidence=0.3, to_check=True))  # in no flow; one more to the group
    qs = (Question(id="q1", utterance_id="u0001", start=0.0, asker="ann", addressee=None, text="How do we ship it?",
                   answered=True, answer_utterance_id="u0002"),
          Question(id="q2", utterance_id="u0005", start=8.0, asker="bob", addressee=None, text="And when?",
                   answered=True, answer_utterance_id="u0006"))
    s = s.evolve(recommendations=recs, questions=qs)
    return s.evolve(knowledge_flow=knowledge_flow(s), metrics=compute_metrics(s, DynamicsConfig()))


def test_a_group_index_on_few_exchanges_says_only_how_few() -> None:
    md = render_session_markdown(_group_session())  # 3 flows, under the default report.mutual_few_flows
    assert "This rests on only 3 exchanges" in md and "The index rests on" not in md


def test_a_group_report_says_what_its_mutuality_rests_on() -> None:
    s = _group_session()
    kf = s.knowledge_flow
    assert kf is not None and kf.n_flows == 3
    md = render_session_markdown(s, cfg=ReportConfig(mutual_few_flows=3))
    assert "This rests on only" not in md
    assert ("The index rests on answers to questions and requests (2) and recommendations to one person (1); recommendations to the "
            "whole group (2) are not in it.") in md
    ru = render_session_markdown(_group_session("ru"), cfg=ReportConfig(mutual_few_flows=3))
    assert ("Индекс опирается на ответы на вопросы и просьбы (2) и рекомендации одному человеку (1); рекомендации всей группе (2) "
            "в него не входят.") in ru


def test_no_parts_sentence_for_a_pair_or_a_session_json_without_the_parts() -> None:
    s = _group_session()
    # a session.json of an older version: the matrix without its two parts
    old = s.evolve(knowledge_flow=KnowledgeFlow(matrix=s.knowledge_flow.matrix, mutuality_index=s.knowledge_flow.mutuality_index))
    assert "The index rests on" not in render_session_markdown(old)
    pair = make_session([("ann", 0.0, 2.0, "How do we ship it?"), ("bob", 2.0, 4.0, "We use the pipeline."),
                         ("bob", 4.0, 5.0, "Why?"), ("ann", 5.0, 6.0, "Because.")])
    pair = pair.evolve(questions=(
        Question(id="q1", utterance_id="u0001", start=0.0, asker="ann", addressee="bob", text="How do we ship it?",
                 answered=True, answer_utterance_id="u0002"),
        Question(id="q2", utterance_id="u0003", start=4.0, asker="bob", addressee="ann", text="Why?", answered=True,
                 answer_utterance_id="u0004")))
    pair = pair.evolve(knowledge_flow=knowledge_flow(pair), metrics=compute_metrics(pair, DynamicsConfig()))
    md = render_session_markdown(pair)
    assert "Knowledge flowed both ways" in md and "The index rests on" not in md


def test_one_sided_summary_needs_the_same_person() -> None:
    from r49_flow_validity import one_sided_summary

    def row(gold: dict[str, int], tool: dict[str, int]) -> dict:
        return {"participants": {p: {"gold": {"advice_given": gold[p]}, "listed": {"advice_given": tool[p]},
                                     "counted": {"advice_given": tool[p]}, "expected": {"advice_given": tool[p]}}
                                 for p in gold}}

    rows = [row({"a": 4, "b": 0}, {"a": 5, "b": 1}),  # both one-sided, same person: right
            row({"a": 4, "b": 0}, {"a": 0, "b": 4}),  # the other person: raised wrongly
            row({"a": 4, "b": 0}, {"a": 2, "b": 2}),  # missed
            row({"a": 2, "b": 0}, {"a": 1, "b": 1}),  # too few in the labels, none raised
            row({"a": 3, "b": 3}, {"a": 9, "b": 1})]  # raised, the labels balanced
    out = one_sided_summary(rows)["counted"]
    assert out == {"raised_right": 1, "raised_wrongly": 2, "missed": 1, "rightly_not_raised": 1}

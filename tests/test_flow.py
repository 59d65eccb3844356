"""Knowledge flow, mutuality, flags and summary on constructed sessions (pure logic)."""

from __future__ import annotations

from helpers import make_session
from sessionscope.analysis.flow import KnowledgeFlowStage, compute_flags, knowledge_flow, mutuality, summarize
from sessionscope.config import FlagsConfig
from sessionscope.model import ActionItem, Metrics, Problem, Question, Recommendation


def _rec(n: int, giver: str, receiver: str, area: str = "tools", uid: str = "u0001") -> Recommendation:
    return Recommendation(id=f"rec-{n}", utterance_id=uid, start=None, giver=giver, receiver=receiver,
                          text=f"advice {n}", area=area, confidence=0.8)


def _pair(duration: float = 3600.0, junior_share: float = 0.5):
    rows = [("jun", 0.0, duration * junior_share, "word " * 50), ("sen", duration * junior_share, duration, "word " * 50)]
    return make_session(rows, roles={"jun": "junior", "sen": "senior"}, duration=duration)


def test_mutuality_definition() -> None:
    assert mutuality({"a": {"b": 3}, "b": {"a": 3}}) == 1.0
    assert mutuality({"a": {"b": 4}}) == 0.0
    assert mutuality({"a": {"b": 3}, "b": {"a": 1}}) == 0.5
    assert mutuality({"a": {"b": 1}}) is None  # one flow says nothing
    # groups: flow-weighted over pairs: (a,b) balanced 2+2, (a,c) one-way 4 → 4/8
    assert mutuality({"a": {"b": 2, "c": 4}, "b": {"a": 2}}) == 0.5


def test_matrix_by_area_counts_recommendations_and_answers() -> None:
    s = _pair().evolve(
        recommendations=(_rec(1, "jun", "sen", "tools"), _rec(2, "jun", "sen", "tools"), _rec(3, "sen", "jun", "teamwork")),
        questions=(Question(id="q1", utterance_id="u0002", start=None, asker="sen", addressee="jun", text="how?",
                            answered=True, answer_utterance_id="u0001", area="tools"),),
    )
    kf = knowledge_flow(s)
    assert kf.matrix["tools"] == {"jun": {"sen": 3}}
    assert kf.recommendation_matrix["tools"] == {"jun": {"sen": 2}}
    assert kf.explanation_matrix["tools"] == {"jun": {"sen": 1}}
    assert kf.matrix["teamwork"] == {"sen": {"jun": 1}}
    assert kf.per_area_mutuality["tools"] == 0.0
    assert kf.mutuality_index == 2 * 1 / 4


def test_items_marked_to_check_are_no_flow() -> None:
    """Round 16: knowledge counted as flowing only from items the tool does not ask a reader to check (as the flags)."""
    from dataclasses import replace

    q = Question(id="q1", utterance_id="u0002", start=None, asker="sen", addressee="jun", text="how?",
                 answered=True, answer_utterance_id="u0001", area="tools")
    recs = (_rec(1, "jun", "sen"), _rec(2, "sen", "jun"), replace(_rec(3, "sen", "jun"), to_check=True))
    kf = knowledge_flow(_pair().evolve(recommendations=recs, questions=(q,)))
    assert kf.recommendation_matrix["tools"] == {"jun": {"sen": 1}, "sen": {"jun": 1}}
    assert kf.matrix["tools"] == {"jun": {"sen": 2}, "sen": {"jun": 1}}
    assert kf.mutuality_index == 2 * 1 / 3
    kf = knowledge_flow(_pair().evolve(recommendations=recs, questions=(replace(q, to_check=True),)))
    assert kf.explanation_matrix == {} and kf.mutuality_index == 1.0
    assert "to check left out" in kf.definition


def test_one_sided_flag_and_threshold() -> None:
    recs = tuple(_rec(i, "sen", "jun") for i in range(4)) + (_rec(9, "jun", "sen"),)
    s = _pair().evolve(recommendations=recs)
    codes = {f.code: f for f in compute_flags(s, FlagsConfig())}
    assert codes["one_sided"].value == 0.8
    assert "one_sided" not in {f.code for f in compute_flags(s, FlagsConfig(one_sided_share=0.85))}
    # too few recommendations to judge
    few = _pair().evolve(recommendations=recs[:2])
    assert "one_sided" not in {f.code for f in compute_flags(few, FlagsConfig())}


def test_no_action_items_no_recommendations_and_short_session() -> None:
    ran = _pair(duration=1800).evolve(extra={"extraction": {}})
    codes = {f.code for f in compute_flags(ran, FlagsConfig())}
    assert {"no_action_items", "no_recommendations", "short_session"} <= codes
    # without the extraction stage, "nothing found" is unknown, not a finding
    codes = {f.code for f in compute_flags(_pair(duration=1800), FlagsConfig())}
    assert codes == {"short_session"}
    act = ActionItem(id="a1", utterance_id="u0001", start=0.0, owner="jun", task="send the plan")
    codes = {f.code for f in compute_flags(_pair(duration=3700).evolve(action_items=(act,)), FlagsConfig())}
    assert not {"no_action_items", "short_session"} & codes


def test_junior_rarely_speaks_uses_talk_share_when_present() -> None:
    s = _pair(junior_share=0.1)
    metrics = Metrics(participants={"jun": {"talk_share": 0.1}, "sen": {"talk_share": 0.9}})
    flags = {f.code: f for f in compute_flags(s.evolve(metrics=metrics), FlagsConfig())}
    assert flags["junior_rarely_speaks"].value == 0.1
    # untimed fallback: word share (equal words here → not flagged)
    assert "junior_rarely_speaks" not in {f.code for f in compute_flags(s, FlagsConfig())}


def test_senior_interrupts_junior_rate_per_10_minutes() -> None:
    s = _pair(duration=3600).evolve(metrics=Metrics(interruption_matrix={"sen": {"jun": 12}, "jun": {"sen": 30}}))
    flags = {f.code: f for f in compute_flags(s, FlagsConfig())}
    assert flags["senior_interrupts_junior"].value == 2.0
    assert "senior_interrupts_junior" not in {f.code for f in compute_flags(s, FlagsConfig(senior_interruptions_per_10min=2.5))}


def test_one_interruption_in_a_short_session_is_not_often() -> None:
    """The demo: one interruption in a 5-minute session is a rate of 2.0 per 10 min, but not 'often'."""
    s = _pair(duration=300).evolve(metrics=Metrics(interruption_matrix={"sen": {"jun": 1}}))
    assert "senior_interrupts_junior" not in {f.code for f in compute_flags(s, FlagsConfig())}
    three = _pair(duration=300).evolve(metrics=Metrics(interruption_matrix={"sen": {"jun": 3}}))
    assert {f.code: f for f in compute_flags(three, FlagsConfig())}["senior_interrupts_junior"].value == 6.0


def test_summary_per_area_and_stage_keeps_foreign_flags() -> None:
    from sessionscope.model import Flag

    s = _pair().evolve(
        recommendations=(_rec(1, "sen", "jun", "teamwork"), _rec(2, "jun", "sen", "tools")),
        problems=(Problem(id="p1", utterance_id="u0001", start=0.0, raiser="jun", text="I'm stuck", solved=True,
                          area="teamwork", confidence=0.9),),
        flags=(Flag("low_audio_quality", "from another stage"),),
    )
    points = summarize(s, per_area=1)
    assert [(p.area, p.text) for p in points] == [("teamwork", "I'm stuck"), ("tools", "advice 2")]
    out = KnowledgeFlowStage()(s)
    codes = [f.code for f in out.flags]
    assert codes[0] == "low_audio_quality" and "one_sided" not in codes
    assert out.knowledge_flow is not None and out.summary


def test_stage_adds_item_measures_beside_the_dynamics() -> None:
    act = ActionItem(id="a1", utterance_id="u0001", start=0.0, owner=None, task="plan", owners=("jun", "sen"))
    probs = tuple(Problem(id=f"p{i}", utterance_id="u0001", start=0.0, raiser="jun", text="stuck", solved=i < 2)
                  for i in range(3))
    s = _pair().evolve(recommendations=(_rec(1, "sen", "jun"),), action_items=(act,), problems=probs,
                       metrics=Metrics(participants={"jun": {"talk_share": 0.5}}, session={"duration_s": 3600.0}),
                       extra={"extraction": {}})
    m = KnowledgeFlowStage()(s).metrics
    assert m.session["problems_solved"] == 2 and m.session["problems_solved_share"] == 2 / 3
    assert m.session["duration_s"] == 3600.0  # the dynamics' measures are kept
    assert m.participants["jun"] == {"talk_share": 0.5, "recommendations_given": 0, "recommendations_received": 1,
                                     "action_items_owned": 1, "problems_raised": 3, "help_requests_made": 0}
    assert m.participants["sen"]["action_items_owned"] == 1


def test_flag_messages_name_people_not_ids() -> None:
    from sessionscope.model import Participant

    s = _pair(duration=3600, junior_share=0.1)
    people = tuple(Participant(id=p.id, name={"jun": "Anna Lee", "sen": "Boris Ivanov"}[p.id], role=p.role)
                   for p in s.participants)
    recs = tuple(_rec(i, "sen", "jun") for i in range(4))
    metrics = Metrics(participants={"jun": {"talk_share": 0.1}, "sen": {"talk_share": 0.9}},
                      interruption_matrix={"sen": {"jun": 12}})
    flags = {f.code: f.message for f in compute_flags(s.evolve(participants=people, recommendations=recs, metrics=metrics),
                                                      FlagsConfig())}
    assert flags["one_sided"].startswith("Boris Ivanov gave 4 of 4")
    assert flags["junior_rarely_speaks"] == "junior Anna Lee holds 10% of the talk time"
    assert flags["senior_interrupts_junior"].startswith("senior Boris Ivanov interrupted junior Anna Lee 12 times")
    # without metrics: the word share, said as such
    words = {f.code: f.message for f in compute_flags(s.evolve(participants=people, utterances=s.utterances[1:]),
                                                      FlagsConfig())}
    assert words["junior_rarely_speaks"] == "junior Anna Lee holds 0% of the words"


def test_summary_leaves_out_items_to_check_and_the_report_says_so() -> None:
    from dataclasses import replace

    from sessionscope.report.view import build_view

    sure, unsure = _rec(1, "sen", "jun", "teamwork"), replace(_rec(2, "jun", "sen", "tools"), confidence=0.4, to_check=True)
    s = _pair().evolve(recommendations=(sure, unsure))
    assert [p.text for p in summarize(s)] == ["advice 1"]
    only_unsure = KnowledgeFlowStage()(_pair().evolve(recommendations=(unsure,)))
    assert only_unsure.summary == ()
    sec = build_view(only_unsure).section("summary")
    assert sec is not None and not sec.groups and sec.empty is not None and "to check" in sec.empty
    none_at_all = build_view(KnowledgeFlowStage()(_pair())).section("summary")
    assert none_at_all is not None and none_at_all.empty is None  # nothing to check: the plain empty text


def test_a_key_point_names_who_said_it_not_the_tasks_owner() -> None:
    """The demo: Robert's "Deal, send me the timeline…" (owner Maya) was shown as "Maya Chen: Deal, send me…"."""
    said = "word " * 50
    task = ActionItem(id="a1", utterance_id="u0002", start=1800.0, owner="jun", task="word word", confidence=0.9,
                      char_start=0, char_end=len(said.strip()), area="projects")
    s = _pair().evolve(action_items=(task,), extra={"extraction": {}})
    assert s.utterance("u0002").speaker == "sen"
    assert [(p.speaker, p.utterance_id) for p in summarize(s)] == [("sen", "u0002")]

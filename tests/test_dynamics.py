"""Each dynamics measure against values computed by hand (no models)."""

from __future__ import annotations

import math

import pytest

from helpers import make_session
from sessionscope.analysis.dynamics import (
    DynamicsStage,
    build_turns,
    coefficient_of_variation,
    compute_metrics,
    gini,
    normalized_entropy,
)
from sessionscope.config import DynamicsConfig
from sessionscope.model import Participant, Role

CFG = DynamicsConfig()


def test_distribution_measures_by_hand():
    assert gini([1, 1]) == 0
    assert gini([1, 0]) == pytest.approx(0.5)          # max for a pair = 1 - 1/2
    assert gini([3, 1]) == pytest.approx(4 / (2 * 4 * 2))  # (|3-1|+|1-3|)/(2*2^2*2) = 0.25
    assert gini([0, 0]) is None
    assert normalized_entropy([1, 1]) == pytest.approx(1.0)
    assert normalized_entropy([1, 0]) == pytest.approx(0.0)
    p = 0.75
    assert normalized_entropy([3, 1]) == pytest.approx(-(p * math.log(p) + (1 - p) * math.log(1 - p)) / math.log(2))
    assert coefficient_of_variation([2, 2]) == 0
    assert coefficient_of_variation([3, 1]) == pytest.approx(1 / 2)  # pstdev 1, mean 2


def test_talk_time_overlap_and_shares():
    # a: 0-10 and 8-12 (self-overlap -> union 12 s); b: 11-15 (overlaps a by 1 s)
    s = make_session([("a", 0, 10, "one two three"), ("a", 8, 12, "four"), ("b", 11, 15, "five six")], duration=20)
    m = compute_metrics(s, CFG)
    a, b = m.participants["a"], m.participants["b"]
    assert a["talk_time_s"] == pytest.approx(12)
    assert b["talk_time_s"] == pytest.approx(4)
    assert a["talk_share"] == pytest.approx(12 / 16)
    assert a["overlap_s"] == pytest.approx(1) and b["overlap_s"] == pytest.approx(1)
    ms = m.session
    assert ms["overlap_time_s"] == pytest.approx(1)
    assert ms["speech_time_s"] == pytest.approx(15)
    assert ms["silence_share"] == pytest.approx(1 - 15 / 20)
    assert ms["balance_score"] == pytest.approx(0.75)
    assert ms["talk_time_gini"] == pytest.approx(gini([12, 4]))
    assert a["word_count"] == 4 and b["word_count"] == 2
    assert a["word_share"] == pytest.approx(4 / 6)


def test_turns_are_floor_changes_pauses_apart_and_backchannels_absorbed():
    rows = [
        ("a", 0.0, 4.0, "I started with the dashboard"),
        ("b", 2.0, 2.5, "mm-hmm"),                     # backchannel inside a's speech: no turn
        ("a", 4.5, 8.0, "and then the export broke"),  # gap 0.5: same turn, below the pause minimum
        ("a", 10.0, 12.0, "anyway"),                   # a 2 s pause: still a's turn, one pause
        ("b", 12.5, 15.0, "Did you report it?"),
    ]
    turns = build_turns(list(make_session(rows).utterances), CFG)
    assert [(t.speaker, t.utterance_ids) for t in turns] == [("a", ("u0001", "u0003", "u0004")), ("b", ("u0005",))]
    assert turns[0].start == 0.0 and turns[0].end == 12.0 and turns[0].words == 11
    m = compute_metrics(make_session(rows, duration=15), CFG)
    a = m.participants["a"]
    assert a["turns"] == 1 and a["longest_turn_s"] == pytest.approx(12.0)
    assert a["pauses"] == 1 and a["pause_total_s"] == pytest.approx(2.0) and a["pause_mean_s"] == pytest.approx(2.0)
    assert m.participants["b"]["backchannels"] == 1 and m.participants["b"]["pauses"] == 0
    assert m.session["pauses"] == 1 and m.session["pause_total_s"] == pytest.approx(2.0)
    assert m.session["speaker_switches"] == 1
    assert m.session["speaker_switches_per_min"] == pytest.approx(1 / (15 / 60))
    # latency of b's turn: 12.5 - 12.0
    assert m.participants["b"]["response_latency_median_s"] == pytest.approx(0.5)


def test_speaker_who_pauses_a_lot_does_not_gain_turns():
    # a and b alternate the floor 4 times each; a speaks in short bursts with 1.5-3 s pauses,
    # b in one stretch. Turn counts and the turn-taking index must not depend on the pauses.
    rows, t = [], 0.0
    for k in range(4):
        for _ in range(3):  # a: three pieces with pauses
            rows.append(("a", t, t + 2.0, "well I think the plan"))
            t += 2.0 + 1.5 + k * 0.5
        rows.append(("b", t, t + 6.0, "right, and what did the client say about the plan then"))
        t += 6.5
    m = compute_metrics(make_session(rows, duration=t), CFG)
    a, b = m.participants["a"], m.participants["b"]
    assert a["turns"] == 4 and b["turns"] == 4
    assert m.session["turn_taking_index"] == pytest.approx(1.0)
    assert a["pauses"] == 8 and b["pauses"] == 0  # two pauses inside each of a's turns
    assert a["pause_total_s"] == pytest.approx(2 * (1.5 + 2.0 + 2.5 + 3.0))
    assert m.session["speaker_switches"] == 7


def test_backchannel_in_a_pause_keeps_the_floor_but_one_that_opens_a_turn_counts():
    rows = [
        ("a", 0.0, 3.0, "so we moved the release"),
        ("b", 3.4, 3.8, "yeah"),                       # in a's pause; a goes on: no turn for b
        ("a", 4.5, 7.0, "because the tests were failing"),
        ("b", 7.5, 8.0, "okay"),                       # b's next substantive utterance follows: opens b's turn
        ("b", 8.2, 11.0, "so what will you tell the client"),
    ]
    turns = build_turns(list(make_session(rows).utterances), CFG)
    assert [(t.speaker, t.utterance_ids) for t in turns] == [("a", ("u0001", "u0003")), ("b", ("u0004", "u0005"))]
    m = compute_metrics(make_session(rows, duration=11), CFG)
    assert m.participants["b"]["backchannels"] == 1 and m.participants["b"]["turns"] == 1
    assert m.participants["a"]["pauses"] == 1 and m.participants["a"]["pause_total_s"] == pytest.approx(1.5)


def test_untimed_backchannel_between_one_speakers_lines_does_not_split_the_turn():
    s = make_session([("a", "First I opened the report."), ("b", "Mm-hmm."), ("a", "Then I sent it."), ("b", "Why?")])
    turns = build_turns(list(s.utterances), CFG)
    assert [t.speaker for t in turns] == ["a", "b"]
    assert compute_metrics(s, CFG).participants["a"]["pauses"] is None  # time measure: unavailable untimed


def test_interruptions_successful_and_not():
    """The overlap rule (``dynamics.interruptions: overlap``, the default until round 49); the cut-off rule's tests are
    in test_r50_cutoffs.py."""
    rows = [
        ("a", 0.0, 10.0, "let me explain the whole plan for the quarter"),
        ("b", 6.0, 12.0, "wait, that deadline is impossible"),   # starts inside, 4 s overlap, a yields -> successful
        ("a", 13.0, 20.0, "fine, we move it then to next month"),
        ("b", 19.8, 22.0, "good idea honestly"),                    # 0.2 s overlap < 0.5: no interruption
        ("b", 23.0, 30.0, "so the next thing I wanted"),
        ("a", 24.0, 25.0, "yeah"),                                  # backchannel: not an interruption
        ("a", 26.0, 28.0, "no, stop, what about clients"),          # interruption, b continues to 30 -> unsuccessful
    ]
    m = compute_metrics(make_session(rows, duration=30), DynamicsConfig(interruptions="overlap"))
    assert m.participants["b"]["interruptions_made"] == 1
    assert m.participants["b"]["successful_interruptions_made"] == 1
    assert m.participants["a"]["interruptions_made"] == 1
    assert m.participants["a"]["successful_interruptions_made"] == 0
    assert m.participants["a"]["interruptions_received"] == 1
    assert m.interruption_matrix == {"b": {"a": 1}, "a": {"b": 1}}
    assert m.session["interruptions"] == 2


def test_questions_asked_and_answered():
    rows = [
        ("a", 0, 2, "How do you plan your week?"),
        ("b", 3, 6, "Mostly with a paper list, honestly."),         # answers
        ("b", 7, 8, "Do you use Notion"),                           # question without '?': inversion
        ("a", 9, 9.5, "hmm"),                                       # backchannel, not an answer ("mm-hmm", an
        # affirmation, answers a yes/no question since round 26: tests/test_r26_audit.py)
        ("a", 10, 11, "What about Trello?"),                         # counter-question, not an answer
        ("b", 12, 13, "Never tried it."),                            # answers a's question
        ("a", 14, 15, "Why?"),                                       # nobody answers
    ]
    m = compute_metrics(make_session(rows, duration=15), CFG)
    a, b = m.participants["a"], m.participants["b"]
    assert a["questions_asked"] == 3 and a["questions_answered"] == 2
    assert b["questions_asked"] == 1 and b["questions_answered"] == 0
    assert b["answers_given"] == 2
    assert m.session["questions"] == 4 and m.session["questions_answered"] == 2


def test_russian_questions():
    rows = [
        ("a", 0, 2, "Как вы обычно планируете неделю"),
        ("b", 3, 6, "По понедельникам составляю список."),
        ("b", 7, 8, "Знаешь ли ты про Трелло"),
        ("a", 9, 10, "Ммм"),  # a sound, no answer ("Угу" affirms: an answer since round 26)
        ("a", 25, 26, "Что касается клиентов, всё хорошо."),          # statement, too late to answer
    ]
    m = compute_metrics(make_session(rows, language="ru", duration=26), CFG)
    assert m.participants["a"]["questions_asked"] == 1
    assert m.participants["a"]["questions_answered"] == 1
    assert m.participants["b"]["questions_asked"] == 1
    assert m.participants["b"]["questions_answered"] == 0


def test_windowed_dominance():
    # 0-300 s: a talks 0-150 alone, b talks 150-300 alone
    rows = [("a", 0, 150, "a " * 300), ("b", 150, 300, "b " * 300)]
    cfg = DynamicsConfig(dominance_window_s=150, dominance_step_s=30)
    m = compute_metrics(make_session(rows, duration=300), cfg)
    wins = m.dominance_windows
    assert [w.start for w in wins] == [0, 30, 60, 90, 120, 150]
    # window 60-210: a 90 s, b 60 s -> a share 0.6, not > 0.6 -> undominated
    doms = [w.dominant for w in wins]
    assert doms == ["a", "a", None, None, "b", "b"]
    assert m.session["dominance_switches"] == 1
    assert m.participants["a"]["dominated_window_share"] == pytest.approx(2 / 6)
    assert m.session["dominated_window_share"] == pytest.approx(4 / 6)


def test_turn_taking_index_and_silent_participant():
    rows = [("a", 0, 1, "hi"), ("b", 1, 2, "hello"), ("a", 2, 3, "so"), ("b", 3, 4, "yes indeed")]
    s = make_session(rows, duration=4)
    m = compute_metrics(s, CFG)
    assert m.session["turn_taking_index"] == pytest.approx(1.0)
    assert m.session["turn_count_cv"] == pytest.approx(0.0)
    # a manifest participant who never speaks is counted with zeros
    s2 = s.evolve(participants=(*s.participants, Participant("c", "Carol", Role.JUNIOR)))
    m2 = compute_metrics(s2, CFG)
    assert m2.participants["c"]["talk_time_s"] == 0 and m2.participants["c"]["turns"] == 0
    # turns 2,2,0 -> gini = (sum |xi-xj|)/(2*9*4/3) = 8/24 = 1/3 ; normalised * 3/2 = 0.5
    assert m2.session["turn_taking_index"] == pytest.approx(0.5)


def test_untimed_transcript_marks_time_measures_unavailable():
    s = make_session([("a", "Hello there, how are you?"), ("b", "Fine."), ("b", "And you?"), ("a", "Good")])
    m = compute_metrics(s, CFG)
    assert m.participants["a"]["talk_time_s"] is None
    assert m.session["balance_score"] is None
    assert "talk_time_s" in m.unavailable
    assert m.participants["a"]["word_count"] == 6 and m.participants["b"]["word_count"] == 3
    assert m.session["balance_score_words"] == pytest.approx(6 / 9)
    assert m.participants["b"]["turns"] == 1  # two untimed b lines in a row merge
    assert m.participants["a"]["questions_answered"] == 1
    assert m.participants["b"]["questions_answered"] == 1


def test_stage_keeps_measures_added_by_other_stages():
    s = make_session([("a", 0, 1, "hi"), ("b", 1, 2, "hello")], duration=2)
    s = DynamicsStage()(s)
    m = s.metrics
    m.participants["a"]["topic_initiation_share"] = 1.0
    s2 = DynamicsStage()(s)
    assert s2.metrics.participants["a"]["topic_initiation_share"] == 1.0
    assert s2.metrics is not s.metrics


def test_speech_without_text_uses_duration_for_backchannels():
    # RTTM-style input: no words. A 0.6 s segment inside another's speech is a backchannel;
    # a 3 s one starting inside is an interruption.
    rows = [("a", 0, 10, ""), ("b", 2, 2.6, ""), ("b", 8, 11, ""), ("a", 12, 14, "")]
    m = compute_metrics(make_session(rows, duration=14), CFG)
    assert m.participants["b"]["interruptions_made"] == 1
    assert m.participants["b"]["turns"] == 1
    assert m.participants["a"]["turns"] == 2


def test_clip_sorted_is_clip_on_merged_intervals() -> None:
    """The binary-search clip gives exactly clip's list on merged intervals, at every window edge case."""
    import random

    from sessionscope.analysis import intervals as iv

    rng = random.Random(3)
    for _ in range(200):
        ivs = iv.merge((a, a + rng.uniform(0.0, 4.0)) for a in (rng.uniform(0, 60) for _ in range(rng.randint(0, 12))))
        ends = [e for _, e in ivs]
        edges = [x for s, e in ivs for x in (s, e)] + [rng.uniform(-5, 70) for _ in range(4)]
        for lo in edges:
            for hi in (lo, lo + 1.0, lo + 30.0, *edges[:3]):
                assert iv.clip_sorted(ivs, lo, hi, ends) == iv.clip(ivs, lo, hi)


def test_dominance_windows_take_each_speakers_union() -> None:
    from sessionscope.analysis.dynamics import dominance_windows

    cfg = DynamicsConfig()
    merged = {"a": [(0.0, 50.0), (200.0, 260.0)], "b": [(60.0, 190.0)]}
    shuffled = {"a": [(200.0, 260.0), (0.0, 50.0), (10.0, 40.0)], "b": [(60.0, 190.0)]}  # unsorted, one nested
    assert dominance_windows(shuffled, 300.0, cfg) == dominance_windows(merged, 300.0, cfg)

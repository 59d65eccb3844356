"""Round 25: the audio-vs-reference comparison of the conversation measures (``benchmarks/r25_audiomeasures.py``).

Model-free: the reference session built from exact speaker times with the delivered words re-attributed, the speaker
mapping, the floor-change matching, and the rules tried and not shipped (so that their figures stay reproducible).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import r25_audiomeasures as am  # noqa: E402
from sessionscope.analysis.dynamics import build_turns, compute_metrics, find_interruptions  # noqa: E402
from sessionscope.config import DynamicsConfig  # noqa: E402
from sessionscope.model import Participant, Session, Utterance, Word  # noqa: E402


def utt(uid: str, spk: str, start: float, end: float, words: list[tuple[str, float, float]] | None = None,
        text: str | None = None) -> Utterance:
    ws = tuple(Word(t, a, b) for t, a, b in (words or []))
    return Utterance(id=uid, speaker=spk, text=text if text is not None else " ".join(w.text for w in ws),
                     start=start, end=end, words=ws)


def delivered(*utts: Utterance) -> Session:
    return Session(id="x", participants=tuple(Participant(id=s, name=s) for s in sorted({u.speaker for u in utts})),
                   utterances=utts, duration_s=max(u.end or 0.0 for u in utts), language="en")


def test_mapping_is_the_overlap_optimal_assignment_and_leaves_an_unmatched_speaker_out() -> None:
    ref = [(0.0, 5.0, "ann"), (5.0, 10.0, "bob"), (10.0, 11.0, "cat")]
    hyp = [(0.0, 4.0, "S1"), (4.0, 10.0, "S0")]
    assert am.mapping(ref, hyp) == {"ann": "S1", "bob": "S0"}
    assert am.mapping(ref, []) == {}


def test_reference_session_reattributes_every_word_by_its_midpoint() -> None:
    # the delivered session put bob's reply inside ann's utterance (a missed short turn)
    s = delivered(utt("u1", "S0", 0.0, 6.0, [("so", 0.1, 0.4), ("we", 0.5, 0.8), ("yes", 3.1, 3.4), ("then", 5.0, 5.3)]))
    ref = [(0.0, 1.0, "ann"), (3.0, 3.6, "bob"), (4.8, 6.0, "ann")]
    r = am.reference_session(s, ref, {"ann": "S0"})
    assert [(u.speaker, u.text, u.start, u.end) for u in r.utterances] == [
        ("ann", "so we", 0.0, 1.0), ("bob", "yes", 3.0, 3.6), ("ann", "then", 4.8, 6.0)]
    assert [p.id for p in r.participants] == ["ann", "bob"]
    assert r.duration_s == s.duration_s


def test_reference_session_gives_a_word_in_overlap_to_its_own_speaker_and_a_word_in_a_gap_to_the_nearest() -> None:
    s = delivered(utt("u1", "S0", 0.0, 3.0, [("right", 1.9, 2.1)]),
                  utt("u2", "S1", 1.5, 4.0, [("well", 1.95, 2.05), ("late", 4.2, 4.4)]))
    ref = [(0.0, 2.5, "ann"), (1.8, 3.9, "bob")]
    r = am.reference_session(s, ref, {"ann": "S0", "bob": "S1"})
    by = {u.speaker: u.text for u in r.utterances}
    assert by == {"ann": "right", "bob": "well late"}  # "late" (4.2-4.4) lies after every segment: nearest is bob's
    assert sum(len(u.words) for u in r.utterances) == 3  # no word lost


def test_reference_session_measures_the_missed_turn() -> None:
    """The delivered session misses bob's reply: one turn and no switch; the reference: three turns."""
    s = delivered(utt("u1", "S0", 0.0, 6.0, [("so", 0.1, 0.4), ("we", 0.5, 0.8), ("indeed", 3.1, 3.5),
                                             ("then", 5.0, 5.3)]))
    ref = [(0.0, 1.0, "ann"), (3.0, 3.6, "bob"), (4.8, 6.0, "ann")]
    cfg = DynamicsConfig()
    mh = compute_metrics(s, cfg)
    mr = compute_metrics(am.reference_session(s, ref, {"ann": "S0"}), cfg)
    assert (mh.session["turns"], mr.session["turns"]) == (1, 3)
    fc = am.floor_changes(mr.turns, mh.turns, {"S0": "ann"})
    assert fc["ref"] == 2 and fc["hyp"] == 0 and fc["matched"] == 0
    assert fc["by_ref_turn_length"]["<1s"] == [0, 1] and fc["by_ref_turn_length"][">=4s"] == [0, 0]


def test_floor_changes_match_one_to_one_by_speaker_and_time() -> None:
    cfg = DynamicsConfig()
    ref = [utt("r1", "ann", 0, 2, text="a b c"), utt("r2", "bob", 2.5, 5, text="d e f"), utt("r3", "ann", 5.5, 9, text="g h i")]
    hyp = [utt("h1", "S0", 0, 2.2, text="a b c"), utt("h2", "S1", 2.6, 5, text="d e f"),
           utt("h3", "S0", 5.4, 6.5, text="g h i"), utt("h4", "S1", 6.6, 7.5, text="j k l"),
           utt("h5", "S0", 7.6, 9, text="m n o")]
    fc = am.floor_changes(build_turns(ref, cfg), build_turns(hyp, cfg), {"S0": "ann", "S1": "bob"})
    assert (fc["ref"], fc["hyp"], fc["matched"]) == (2, 4, 2)
    assert fc["by_ref_turn_length"]["2-4s"] == [2, 2]
    assert fc["false_by_turn_length"] == {"<1s": 1, "1-2s": 1, "2-4s": 0, ">=4s": 0}  # bob's 0.9 s, ann's 1.4 s


def test_summary_reports_bias_direction_and_relative_error() -> None:
    row = {"set": "conv/dev", "der_c0": 10.0, "ref_speakers": 2, "hyp_speakers": 2,
           "floor_changes": {"ref": 4, "hyp": 3, "matched": 3, "by_ref_turn_length": {"<1s": [0, 1]}},
           "session": {k: {"ref": 10.0, "hyp": 8.0} for k in am.SESSION_MEASURES},
           "participants": {"ann": {k: {"ref": 1.0, "hyp": 2.0} for k in am.PARTICIPANT_MEASURES}}}
    s = am.summarise([row, {**row, "set": "farfield"}])
    turns = s["all"]["session"]["turns"]
    assert turns["bias"] == -2.0 and turns["mae"] == 2.0 and turns["rel_err"] == 0.2 and turns["under"] == 2
    assert s["all"]["participant"]["talk_share"]["over"] == 2
    assert set(s["by_condition"]) == {"pairs", "farfield"} and s["all"]["floor_change_recall"] == 0.75


@pytest.mark.parametrize(("name", "family"), [("conv/dev", "pairs"), ("conv/dev_r19", "pairs"),
                                              ("conv/dev_r19_calls_zoom", "calls"), ("farfield2", "farfield"),
                                              ("pyannote-ami", "ami-dev")])
def test_family(name: str, family: str) -> None:
    assert am.family(name) == family


def test_stretch_variant_counts_an_interruption_whose_onset_the_diarization_split_off() -> None:
    """Tried, not shipped: a wordless 0.4 s onset (a backchannel by length) followed at once by the speaker's words.
    The documented rule judges each utterance alone and counts no interruption; the stretch variant counts one."""
    from sessionscope.analysis import dynamics as dyn

    cfg = DynamicsConfig(interruptions="overlap")  # the variant was measured against the overlap rule (round 25)
    utts = [utt("a", "ann", 0.0, 5.0, text="a long stretch of talk here"),
            utt("b1", "bob", 4.3, 4.7, text=""), utt("b2", "bob", 4.75, 8.0, text="but what about the budget")]
    assert find_interruptions(utts, cfg) == []
    assert am.stretch_interruptions(utts, cfg, 0.3, dyn) == [("bob", "ann", True, "b1")]
    # bob speaking in ann's pause (no simultaneous speech) interrupts under neither rule
    pause = [utt("a1", "ann", 0.0, 3.0, text="one two three four"), utt("a2", "ann", 3.8, 6.0, text="five six seven"),
             utt("b", "bob", 3.05, 3.75, text="and what then")]
    assert find_interruptions(pause, cfg) == [] and am.stretch_interruptions(pause, cfg, 1.0, dyn) == []


def test_variants_are_known_and_a_held_out_set_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from sessionscope.analysis import dynamics as dyn

    monkeypatch.setattr(dyn, "backchannel", dyn.backchannel)  # restored after the test
    am.apply_variant("min_floor_1.0")
    short = utt("u", "ann", 0.0, 0.8, text="we should fix it")
    assert dyn.backchannel(short, DynamicsConfig())
    with pytest.raises(SystemExit):
        am.apply_variant("no_such_rule")
    monkeypatch.setattr(sys, "argv", ["r25_audiomeasures.py", "score", "--sets", "ami"])
    with pytest.raises(SystemExit, match="held-out"):
        am.main()

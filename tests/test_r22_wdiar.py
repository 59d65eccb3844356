"""The word diarization error scorer of ``benchmarks/r22_wdiar.py`` (model-free, hand-built timelines)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

spec = importlib.util.spec_from_file_location("r22_wdiar", Path(__file__).resolve().parents[1] / "benchmarks" / "r22_wdiar.py")
wd = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
spec.loader.exec_module(wd)  # type: ignore[union-attr]

REF = [(0.0, 4.0, "A"), (5.0, 9.0, "B"), (9.0, 9.6, "A"), (10.0, 14.0, "B")]


def test_mapping_is_one_to_one_by_overlap_time() -> None:
    hyp = [(0.0, 4.2, "s1"), (5.0, 14.0, "s0"), (9.0, 9.5, "s2")]
    assert wd.speaker_map(REF, hyp) == {"s1": "A", "s0": "B"}  # s2 (0.5 s of A) loses A to s1: unmapped


def test_words_right_wrong_and_in_silence() -> None:
    hyp = [(0.0, 4.0, "x"), (5.0, 14.0, "y")]
    words = [(1.0, 1.3, "x", " hello"), (3.9, 4.3, "y", " there"), (4.5, 4.7, "x", " um"),
             (6.0, 6.4, "x", " wrong"), (9.1, 9.4, "y", " yeah"), (10.2, 10.5, "y", " ok")]
    r = wd.score(REF, words, hyp, tol=0.1, detail=True)
    # "there" (A active within 0.1 s) given to B: wrong; "um" in silence; "wrong" inside B's turn given to A;
    # "yeah" is A's backchannel given to B; "ok" is right
    assert r["silence"] == 1
    assert r["scored"] == 5 and r["wrong"] == 3
    assert r["wder"] == 60.0
    got = {w["word"]: w["class"] for w in r["wrong_words"]}
    assert got == {"there": "turn_edge", "wrong": "interior", "yeah": "backchannel"}


def test_tolerance_accepts_either_speaker_at_a_change() -> None:
    hyp = [(0.0, 4.0, "x"), (5.0, 14.0, "y")]
    word = [(4.85, 5.2, "x", " so")]  # widened to 4.75-5.3: B only (A ended at 4.0) -> wrong
    assert wd.score(REF, word, hyp, tol=0.1)["wrong"] == 1
    word = [(3.95, 4.2, "y", " so")]  # widened: A only (B starts 5.0) -> B is wrong
    assert wd.score(REF, word, hyp, tol=0.1)["wrong"] == 1
    ref = [(0.0, 4.0, "A"), (4.1, 8.0, "B")]
    word = [(3.9, 4.15, "y", " so")]  # both active within the span: either is right
    assert wd.score(ref, word, [(0.0, 4.0, "x"), (4.1, 8.0, "y")], tol=0.1)["wrong"] == 0


def test_extra_label_is_wrong() -> None:
    hyp = [(0.0, 4.0, "x"), (5.0, 14.0, "y"), (6.0, 6.5, "z")]
    r = wd.score(REF, [(6.1, 6.3, "z", " hm")], hyp, tol=0.1, detail=True)
    assert r["wrong"] == 1 and r["wrong_words"][0]["class"] == "extra_label"


def test_cut_sentence_inside_one_reference_turn() -> None:
    words = [(1.0, 1.3, "x", " one"), (1.4, 1.7, "y", " two"),  # change inside A's turn: a cut
             (3.6, 3.9, "y", " three"), (5.2, 5.5, "x", " four"),  # change across A -> B: not a cut
             (9.1, 9.3, "x", " five"), (10.2, 10.5, "y", " six")]  # A's short turn then B: not a cut
    changes, cut = wd.cuts(REF, words, 0.1)
    assert changes == 3
    assert [(c["before"], c["after"]) for c in cut] == [("one", "two")]


def test_reference_turns_join_pauses_nobody_else_fills() -> None:
    ref = [(0.0, 2.0, "A"), (2.5, 4.0, "A"), (4.2, 5.0, "B"), (5.2, 6.0, "A"), (8.0, 9.0, "A")]
    assert wd.ref_turns(ref, join_s=1.0) == [(0.0, 4.0, "A"), (4.2, 5.0, "B"), (5.2, 6.0, "A"), (8.0, 9.0, "A")]
    # a change in the 0.5 s pause inside A's joined turn is a cut; one across B's turn is not
    words = [(1.5, 1.9, "x", " a"), (2.6, 2.9, "y", " b"), (4.3, 4.6, "x", " c")]
    assert len(wd.cuts(ref, words, 0.1)[1]) == 1


def test_pooled_weighs_words_not_files() -> None:
    rows = [{"words": 10, "scored": 10, "wrong": 5, "silence": 0, "changes": 1, "cut_sentences": 0, "classes": {"interior": 5},
             "flags": {}}, {"words": 90, "scored": 90, "wrong": 0, "silence": 0, "changes": 0, "cut_sentences": 0,
                            "classes": {}, "flags": {}}]
    assert wd.pooled(rows)["wder"] == 5.0

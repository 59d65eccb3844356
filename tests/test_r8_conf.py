"""Round-8 confidence check (benchmarks/confidence_r8.py): binning, calibration error and cuts, model-free."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from confidence_r8 import (  # noqa: E402
    EQUAL_BINS,
    act_rows,
    best_per_act,
    bin_table,
    cut_table,
    ece,
    f1_sweep,
    summary,
    task_gold,
    wilson,
)
from dialogue_acts import Act  # noqa: E402


def _act(uid: str, *, corpus: str = "ami", label: str = "inf", action: bool = False, link: bool = False) -> Act:
    return Act(
        corpus=corpus,
        meeting="M",
        split="heldout",
        index=0,
        id=uid,
        speaker="A",
        start=0.0,
        end=1.0,
        text="x",
        label=label,
        addressee=None,
        responder=None,
        question=False,
        question_with_qh=False,
        recommendation=False,
        action=action,
        action_link=link,
    )


def test_bins_put_each_confidence_in_one_bin_and_one_point_zero_in_the_top_bin():
    rows = [(0.1, False), (0.4, True), (0.45, False), (0.5, True), (0.59, True), (0.9, True), (1.0, False)]
    bins = bin_table(rows)
    assert [b["items"] for b in bins] == [1, 2, 2, 0, 0, 0, 2]
    assert sum(b["items"] for b in bins) == len(rows)
    assert bins[1] == {
        "from": 0.4,
        "below": 0.5,
        "items": 2,
        "right": 1,
        "precision": 0.5,
        "mean_confidence": 0.425,
        "wilson95": wilson(1, 2),
    }
    assert bins[3]["precision"] is None and bins[3]["wilson95"] is None
    assert bins[-1]["below"] == 1.0 and bins[-1]["right"] == 1


def test_ece_is_zero_when_each_bin_is_right_as_often_as_it_claims():
    rows = [(0.25, True)] + [(0.25, False)] * 3 + [(0.95, True)] * 19 + [(0.95, False)]
    assert ece(rows) == 0.0


def test_ece_weights_each_bins_gap_by_its_share_of_items():
    # bin < 0.4: 2 items, mean 0.2, right 1.0 (gap 0.8); bin >= 0.9: 2 items, mean 0.95, right 0.5 (gap 0.45)
    rows = [(0.1, True), (0.3, True), (0.9, True), (1.0, False)]
    assert ece(rows) == pytest.approx(0.5 * 0.8 + 0.5 * 0.45, abs=1e-4)
    # ten equal bins split the low items apart: gaps 0.9 and 0.7, then the 0.9 bin (mean 0.95, right 0.5)
    assert ece(rows, EQUAL_BINS) == pytest.approx(0.25 * 0.9 + 0.25 * 0.7 + 0.5 * 0.45, abs=1e-4)
    assert ece([]) is None


def test_wilson_interval_contains_the_share_and_narrows_with_more_items():
    lo, hi = wilson(5, 10)
    assert lo < 0.5 < hi
    lo2, hi2 = wilson(50, 100)
    assert hi2 - lo2 < hi - lo
    assert wilson(0, 4)[0] == 0.0 and wilson(4, 4)[1] == 1.0
    assert wilson(0, 0) is None


def test_cuts_split_items_below_and_at_or_above():
    rows = [(0.45, False), (0.5, True), (0.55, False), (0.7, True)]
    cuts = cut_table(rows, (0.5, 0.6))
    assert cuts["0.5"] == {"below": [0, 1], "at_or_above": [2, 3]}
    assert cuts["0.6"] == {"below": [1, 3], "at_or_above": [1, 1]}


def test_f1_sweep_drops_items_below_each_threshold():
    rows = [(0.2, False), (0.6, True), (0.8, True)]
    sweep = f1_sweep(rows, gold=4, thresholds=(0.0, 0.5, 0.9))
    assert sweep["0.0"] == {"tp": 2, "fp": 1, "p": 0.667, "r": 0.5, "f1": 0.571}
    assert sweep["0.5"]["fp"] == 0 and sweep["0.5"]["f1"] == pytest.approx(0.667, abs=1e-3)
    assert sweep["0.9"]["f1"] == 0.0


def test_an_act_counts_once_at_its_highest_confidence_and_unscored_items_apart():
    best = best_per_act([("a", 0.3), ("a", 0.7), ("b", None), ("c", None), ("c", 0.4)])
    assert best == {"a": 0.7, "b": None, "c": 0.4}
    acts = {"a": _act("a", action=True), "b": _act("b"), "c": _act("c")}
    rows, unscored = act_rows(best, acts, lambda a: a.action)
    assert sorted(rows) == [(0.4, False), (0.7, True)]
    assert unscored == [False]
    s = summary(rows, unscored=unscored, gold=2)
    assert s["items"] == 2 and s["right"] == 1 and s["no_confidence"] == {"items": 1, "right": 0}
    assert s["min_confidence"]["0.5"]["tp"] == 1


def test_task_gold_takes_commands_and_linked_acts_besides_commitments():
    assert task_gold(_act("m1", corpus="mrda", label="s^co"))
    assert task_gold(_act("m2", corpus="mrda", label="s^cc", action=True))
    assert not task_gold(_act("m3", corpus="mrda", label="s^cs"))
    assert not task_gold(_act("m4", corpus="mrda", label="s^bk"))
    assert task_gold(_act("a1", link=True)) and task_gold(_act("a2", action=True)) and not task_gold(_act("a3"))

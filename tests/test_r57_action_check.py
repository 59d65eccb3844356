"""Round 57 (issue 10): action items — the check's probability recalibrated on blind readers' labels of real meetings;
the meeting's own minutes, its secretary and the floor passed on are moves within the meeting."""

from __future__ import annotations

import numpy as np
import pytest

from sessionscope.analysis.extract.actions import in_meeting
from sessionscope.analysis.extract.check import (
    FEATURES,
    ItemCheck,
    KindCheck,
    apply_check,
    bundled_check_path,
    calibration_provenance,
)
from sessionscope.language.nlp import Sentence
from sessionscope.model import ActionItem, Participant, Session, Utterance


def _check(calibration: dict[str, tuple[float, float]]) -> ItemCheck:
    n = len(FEATURES)
    return ItemCheck(kinds={"action": KindCheck(np.zeros(n), np.ones(n), np.zeros(n), 2.0)}, encoder="x", meta={},
                     calibration=calibration)  # the check alone: sigmoid(2) = 0.881


def _session(speakers: int) -> tuple[Session, Sentence, dict]:
    text = "I'll send the deck to everybody."
    sent = Sentence(text, 0, len(text))
    people = [chr(ord("a") + k) for k in range(speakers)]
    utts = tuple(Utterance(id=f"u{k}", speaker=p, text=text if k == 0 else "Okay.", start=float(k), end=k + 0.5)
                 for k, p in enumerate(people))
    sess = Session(id="s", participants=tuple(Participant(id=p, name=p) for p in people), utterances=utts)
    items = {"recommendations": (), "action_items": (ActionItem(
        id="act-1", utterance_id="u0", start=0, owner="a", task="send the deck to everybody", confidence=0.6,
        char_start=0, char_end=len(text), method="head+rule", owners=("a",)),)}
    return sess, sent, items


def test_the_map_applies_to_every_session() -> None:
    expected = round(float(1 / (1 + np.exp(-(0.38 * 2.0 - 0.93)))), 3)  # 0.458
    for speakers in (2, 3):
        sess, sent, items = _session(speakers)
        parsed = [[sent]] + [[Sentence("Okay.", 0, 5)]] * (speakers - 1)
        (item,) = apply_check(_check({"action": (0.38, -0.93)}), sess, parsed, items, None, 0.5)["action_items"]
        assert (item.confidence, item.to_check) == (expected, True)
    # without a map (the files before round 57) the check's probability stays
    sess, sent, items = _session(3)
    (item,) = apply_check(_check({}), sess, [[sent]] + [[Sentence("Okay.", 0, 5)]] * 2, items, None, 0.5)["action_items"]
    assert item.confidence == 0.881 and not item.to_check


def test_the_map_is_saved_and_loaded(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "check.npz"
    _check({"action": (0.5, -1.0)}).save(path)
    loaded = ItemCheck.load(path)
    assert loaded.calibration == {"action": (0.5, -1.0)}
    assert loaded.calibrated("action", np.array([0.5]))[0] == pytest.approx(1 / (1 + np.e))
    assert loaded.calibrated("recommendation", np.array([0.5]))[0] == 0.5  # no map for that kind


def test_the_bundled_check_carries_the_documented_map() -> None:
    """The map fitted on the readers' 613 items (docs/benchmarks/extraction.md; round 57's ``(a, b)`` took 0.9 to 0.48;
    since round 58 the map also reads the task phrase: tests/test_r58_task_terms.py)."""
    check = ItemCheck.load(bundled_check_path())
    a, b = check.calibration["action"][:2]
    assert (a, b) == pytest.approx((0.3415, -1.0356), abs=1e-4)
    assert "recommendation" not in check.calibration  # their probability held against the readers: no map
    maps = check.calibrated("action", np.array([0.5, 0.9, 0.95]), ["finish the slides"] * 3)  # no term: a, b alone
    assert maps == pytest.approx([0.262, 0.429, 0.492], abs=1e-3)
    assert check.meta["calibration"]["action"]["applies"] == "every session (round 57)"
    agreed = check.meta["calibration"]["action"]["task_agreed"]  # the flag's map
    assert (agreed["a"], agreed["b"]) == pytest.approx((0.7246, 0.5942), abs=1e-4)


@pytest.mark.parametrize("text", [
    "After the opening um I am going to fulfil the role of secretary, take the meeting minutes.",
    "I'm gonna make some minutes or take some minutes.",
    "Again, I'm gonna take minutes.",
    "I'll take you over the minutes of last last meeting.",
    "I'll just take a few minutes and uh go through the previous minutes.",
    "So I'm gonna turn over to the Industrial Designer uh to go ahead and make a presentation on",
    "So I will try to get my presentation running.",
    "Okay so yeah I will I will give a brief outline about what I what I prepared for this meeting.",
    "but let me give you a very short version of this .",
    "I'm gonna check that out for a second.",
    "well i'll - i'll get another one before the end of the meeting .",
])
def test_moves_within_the_meeting(text: str) -> None:
    assert in_meeting(text, "en")


@pytest.mark.parametrize("text", [
    "Mm 'kay um I'll type up mi minutes and probably email those out to all of you.",
    "Um I'll put the minutes in that project documents folder, but I'll send you an email when I do it, so that you know.",
    "Um and I'll get the the minutes up as soon as possible.",
    "I'm going to finish my end report.",
    "I'll take the minutes and send them round tomorrow.",
    "I'll go through the minutes of the board meeting before Friday.",
    "I'll look at the minutes again later.",
    "I'll take the notes to the client next week.",
])
def test_tasks_for_later_stay_tasks(text: str) -> None:
    assert not in_meeting(text, "en")


def test_provenance_records_the_maps_and_the_items() -> None:
    check = ItemCheck(kinds=_check({}).kinds, encoder="x", calibration={"action": (0.38, -0.93)},
                      meta={"calibration": {"action": {"a": 0.38, "b": -0.93, "task_agreed": {"a": 0.69, "b": 0.68}}}})
    assert calibration_provenance(check, ["act-1"]) == {
        "action": [0.38, -0.93], "task_agreed": [0.69, 0.68], "recalibrated_action_items": ["act-1"]}
    assert calibration_provenance(_check({}), ["act-1"]) is None


def test_the_no_action_items_flag_reads_whether_a_task_was_agreed() -> None:
    """The confidence is the chance that the item is right as listed; whether the session agreed a task at all is read
    through the check's ``task_agreed`` map, recorded in the session's provenance with the items it applies to."""
    from dataclasses import replace

    from sessionscope.analysis.flow import task_agreed_map, tasks_likely

    sess, _, items = _session(3)
    task = replace(items["action_items"][0], confidence=0.3, to_check=True)
    assert tasks_likely([task], 1) == pytest.approx(0.3)
    agreed = (0.69, 0.68)
    expected = 1 / (1 + np.exp(-(0.69 * np.log(0.3 / 0.7) + 0.68)))  # 0.52: more likely than not a task was agreed
    mapped = (agreed, frozenset({"act-1"}))
    assert tasks_likely([task], 1, mapped) == pytest.approx(expected)
    assert tasks_likely([replace(task, method="rule+head-low")], 1, mapped) == 0.0  # still adds nothing
    # an item the check did not recalibrate (a Russian sentence keeps the heads' probability) keeps its confidence
    assert tasks_likely([replace(task, id="act-2")], 1, mapped) == pytest.approx(0.3)
    assert task_agreed_map(sess) is None
    extra = {"extraction": {"item_check": {"calibration": {
        "action": [0.38, -0.93], "task_agreed": list(agreed), "recalibrated_action_items": ["act-1"]}}}}
    assert task_agreed_map(replace(sess, extra=extra)) == mapped


def _meeting(speakers: int) -> Session:
    lines = [("a", "Okay, so where are we with the client report?"),
             ("b", "I'll send the report to the client by Friday."),
             ("a", "Great, thanks."),
             ("c", "And I will check the budget figures with finance next week."),
             ("a", "Good, let's stop here.")]
    people = sorted({p for p, _ in lines})[:speakers]
    utts = tuple(Utterance(id=f"u{k}", speaker=p if p in people else people[k % len(people)], text=t,
                           start=float(4 * k), end=4.0 * k + 3) for k, (p, t) in enumerate(lines))
    return Session(id="m", language="en", participants=tuple(Participant(id=p, name=p) for p in people), utterances=utts)


def test_the_stage_recalibrates_the_tasks_and_records_which() -> None:
    """Real models: the same English talk as a three-person meeting and as a two-person session; with the map switched
    off (a check file without it) the stage gives the check's own probability, and the map is a function of it."""
    from sessionscope.analysis.extract import check as check_module
    from sessionscope.api import analyze

    for n in (3, 2):
        session = analyze(_meeting(n), stages=["dynamics", "extraction", "flow"])
        cal = session.extra["extraction"]["item_check"]["calibration"]
        # round 58: (a, b) and the weights of the task phrase's terms (vague_task, errand), in both maps
        assert cal["action"] == [0.3415, -1.0356, -1.6601, 2.0049] and cal["terms"] == ["vague_task", "errand"]
        assert cal["task_agreed"] == [0.7246, 0.5942, 1.1038, 0.3418]
        assert session.action_items and set(cal["recalibrated_action_items"]) == {a.id for a in session.action_items}
        from sessionscope.analysis.extract.stage import ExtractionStage
        from sessionscope.config import DynamicsConfig, ExtractionConfig

        original = check_module.bundled_item_check
        bundled = original()
        plain = check_module.ItemCheck(bundled.kinds, bundled.encoder, bundled.meta)  # the same check, no map
        check_module.bundled_item_check = lambda path=None, plain=plain: plain  # type: ignore[assignment]
        try:
            raw = ExtractionStage(ExtractionConfig(), DynamicsConfig())(analyze(_meeting(n), stages=["dynamics"]))
        finally:
            check_module.bundled_item_check = original
        by_task = {a.task: a.confidence for a in raw.action_items}
        for a in session.action_items:
            p = min(max(by_task[a.task], 1e-6), 1 - 1e-6)
            assert a.confidence == pytest.approx(float(check_module.mapped(cal["action"], [p], [a.task])[0]), abs=2e-3)

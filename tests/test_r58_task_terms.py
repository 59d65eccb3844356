"""Round 58 (issue 10): an action item's confidence also reads its task phrase — a phrase that only points ("do that",
"finish it") is rarely a task a reader can use, an errand run beyond the meeting (write to someone, fix, get, find out)
usually is (blind readers' labels of real meetings: benchmarks/r58_task_terms.py)."""

from __future__ import annotations

import numpy as np
import pytest

from sessionscope.analysis.extract.check import (
    FEATURES,
    TASK_TERMS,
    ItemCheck,
    KindCheck,
    apply_check,
    bundled_check_path,
    calibration_provenance,
    errand,
    mapped,
    task_terms,
    vague_task,
)
from sessionscope.language.nlp import Sentence
from sessionscope.model import ActionItem, Participant, Session, Utterance


@pytest.mark.parametrize("task", ["do that", "do it", "finish it hopefully", "go and check", "look into that", "send it",
                                  "ask", "check with my", "do that tomorrow", "work this out for the", "see it", "try to",
                                  "get to that", "find that out", "", "uh"])
def test_phrases_that_only_point(task: str) -> None:
    assert vague_task(task)


@pytest.mark.parametrize("task", ["do the evaluation", "send him email", "email these notes", "talk to michael",
                                  "finish my end report", "phrase it in passive voice", "put an agenda together",
                                  "check with morgan on the money", "do that on the next set of forms",
                                  "send the report to the client by Friday"])
def test_phrases_that_say_what(task: str) -> None:
    assert not vague_task(task)


def test_errands_run_beyond_the_meeting() -> None:
    assert [task_terms(t)[1] for t in ("send a mail to dan and ask him", "type up minutes and email them",
                                       "check with markham", "look into the licence costs", "fix the build")] == [1.0] * 5
    assert [task_terms(t)[1] for t in ("draw out some ideas", "do the evaluation", "present the figures",
                                       "think about it")] == [0.0] * 4
    # a noun, not the verb; a question asked in the meeting
    assert not any(errand(t) for t in ("give you my phone number", "so wait for your email",
                                       "can I interject to ask a question there", "ask any questions"))
    assert all(errand(t) for t in ("send him an email", "go download transcriber", "ask eva about the costs"))
    assert TASK_TERMS == ("vague_task", "errand") and task_terms("do that").tolist() == [1.0, 0.0]


def test_the_map_adds_the_terms_inside_the_sigmoid() -> None:
    params = (0.5, -1.0, -2.0, 1.5)
    logit = np.log(0.9 / 0.1)
    got = mapped(params, [0.9, 0.9, 0.9], ["do that", "email the notes to the team", "draw the prototype"])
    expected = [1 / (1 + np.exp(-(0.5 * logit - 1.0 + w))) for w in (-2.0, 1.5, 0.0)]
    assert got == pytest.approx(expected)
    assert mapped((0.5, -1.0), [0.9]) == pytest.approx([1 / (1 + np.exp(-(0.5 * logit - 1.0)))])  # round 57's form
    with pytest.raises(ValueError, match="task phrase"):
        mapped(params, [0.9])


def _check(calibration: dict[str, tuple[float, ...]]) -> ItemCheck:
    n = len(FEATURES)
    return ItemCheck(kinds={"action": KindCheck(np.zeros(n), np.ones(n), np.zeros(n), 2.0)}, encoder="x", meta={},
                     calibration=calibration)  # the check alone: sigmoid(2) = 0.881


def test_the_map_with_terms_is_saved_and_loaded(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "check.npz"
    _check({"action": (0.5, -1.0, -2.0, 1.5)}).save(path)
    loaded = ItemCheck.load(path)
    assert loaded.calibration == {"action": (0.5, -1.0, -2.0, 1.5)}
    assert loaded.calibrated("action", np.array([0.5]), ["send it"])[0] == pytest.approx(1 / (1 + np.exp(-(-1.0 - 2.0 + 1.5))))
    # a file whose terms are not this code's is refused, not read with the wrong weights
    with np.load(path) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["action_calibration_terms"] = np.array(["errand", "vague_task"])
    np.savez(tmp_path / "other.npz", **arrays)
    with pytest.raises(ValueError, match="TASK_TERMS"):
        ItemCheck.load(tmp_path / "other.npz")


def _session(task: str, text: str) -> tuple[Session, list[list[Sentence]], dict]:
    utts = (Utterance(id="u0", speaker="a", text=text, start=0.0, end=2.0),
            Utterance(id="u1", speaker="b", text="Okay.", start=2.0, end=3.0))
    sess = Session(id="s", participants=(Participant(id="a", name="a"), Participant(id="b", name="b")), utterances=utts)
    items = {"recommendations": (), "action_items": (ActionItem(
        id="act-1", utterance_id="u0", start=0, owner="a", task=task, confidence=0.6, char_start=0, char_end=len(text),
        method="head+rule", owners=("a",)),)}
    return sess, [[Sentence(text, 0, len(text))], [Sentence("Okay.", 0, 5)]], items


def test_the_stage_reads_each_items_task_phrase() -> None:
    check = _check({"action": (0.38, -0.93, -1.6, 1.9)})
    got = {}
    for task, text in (("do that", "I'll do that."), ("email the deck to Anna", "I'll email the deck to Anna."),
                       ("draw the prototype", "I'll draw the prototype.")):
        sess, parsed, items = _session(task, text)
        (item,) = apply_check(check, sess, parsed, items, None, 0.5)["action_items"]
        got[task] = (item.confidence, item.to_check)
    base = 0.38 * 2.0 - 0.93
    assert got == {"do that": (round(1 / (1 + np.exp(-(base - 1.6))), 3), True),
                   "email the deck to Anna": (round(1 / (1 + np.exp(-(base + 1.9))), 3), False),
                   "draw the prototype": (round(1 / (1 + np.exp(-base)), 3), True)}


def test_provenance_and_the_flag_read_the_terms() -> None:
    from dataclasses import replace

    from sessionscope.analysis.flow import task_agreed_map, tasks_likely

    meta = {"calibration": {"action": {"task_agreed": {"a": 0.7, "b": 0.6, "terms": {"vague_task": 1.1, "errand": 0.3}}}}}
    check = ItemCheck(kinds=_check({}).kinds, encoder="x", calibration={"action": (0.35, -1.0, -1.6, 1.9)}, meta=meta)
    cal = calibration_provenance(check, ["act-1"])
    assert cal == {"action": [0.35, -1.0, -1.6, 1.9], "terms": ["vague_task", "errand"],
                   "task_agreed": [0.7, 0.6, 1.1, 0.3], "recalibrated_action_items": ["act-1"]}
    sess, _, items = _session("do that", "I'll do that.")
    sess = replace(sess, extra={"extraction": {"item_check": {"calibration": cal}}})
    agreed = task_agreed_map(sess)
    assert agreed == ((0.7, 0.6, 1.1, 0.3), frozenset({"act-1"}))
    task = replace(items["action_items"][0], confidence=0.2, to_check=True)
    # "do that" is seldom a usable task as listed, but it shows a task was agreed: the flag's map reads that
    assert tasks_likely([task], 1, agreed) == pytest.approx(1 / (1 + np.exp(-(0.7 * np.log(0.2 / 0.8) + 0.6 + 1.1))))


def test_the_bundled_map_reads_the_task_phrase() -> None:
    """The shipped weights (benchmarks/results/r58_task_terms.json): a pointing phrase down, an errand up."""
    check = ItemCheck.load(bundled_check_path())
    a, b, w_vague, w_errand = check.calibration["action"]
    assert w_vague < -1.0 and w_errand > 1.0
    p = check.calibrated("action", np.array([0.9, 0.9, 0.9]), ["do that", "draw the prototype", "send the timeline"])
    assert p[0] < 0.2 < p[1] < 0.5 < p[2]
    assert check.meta["calibration"]["action"]["terms"] == {"vague_task": w_vague, "errand": w_errand}

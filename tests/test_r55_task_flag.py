"""Round 55 (issue 10): "no action items" is not raised where the tasks listed to check more likely than not hold one.

On real meetings nearly every task is listed to check, and the flag said "no action items" where AMI's human minutes
list four (held-out AMI meetings: 9 of 16 flags right against the minutes; 11 of 16 now,
``benchmarks/r55_task_flag.py``). The chance comes from the tasks' calibrated confidences (Poisson-binomial); a
commitment the heads doubted adds nothing. Model-free.
"""

from __future__ import annotations

import pytest

from sessionscope.analysis.extract.rules import LOW_HEAD
from sessionscope.analysis.flow import tasks_likely
from sessionscope.model import ActionItem
from test_r15_followup import _flags, _pair, _recs


def _task(i: int, confidence: float | None, to_check: bool, method: str = "head") -> ActionItem:
    return ActionItem(id=f"a{i}", utterance_id="u0001", start=0.0, owner="jun", task="send the plan",
                      confidence=confidence, to_check=to_check, method=method)


@pytest.mark.parametrize(
    "items, need, chance",
    [
        ([(0.5, True), (0.5, True)], 1, 0.75),
        ([(0.5, True), (0.5, True)], 2, 0.25),
        ([(0.9, False), (0.2, True)], 1, 0.92),
        ([(None, False)], 1, 1.0),  # uncalibrated and counted: sure
        ([(0.3, True)], 0, 1.0),
        ([], 1, 0.0),
    ],
)
def test_tasks_likely(items: list[tuple[float | None, bool]], need: int, chance: float) -> None:
    assert tasks_likely([_task(i, c, t) for i, (c, t) in enumerate(items)], need) == pytest.approx(chance)


def test_a_doubted_commitment_adds_no_chance() -> None:
    assert tasks_likely([_task(0, 0.76, True, LOW_HEAD)], 1) == 0.0


def test_the_flag_waits_when_tasks_to_check_likely_hold_one() -> None:
    likely = _pair().evolve(recommendations=_recs(1, 0), action_items=(_task(0, 0.45, True), _task(1, 0.45, True)))
    assert "no_action_items" not in _flags(likely)  # 1 - 0.55² = 70 %
    unlikely = _pair().evolve(recommendations=_recs(1, 0), action_items=(_task(0, 0.1, True), _task(1, 0.1, True)))
    msg = _flags(unlikely)["no_action_items"]
    assert msg.endswith("by their confidences, the chance that at least 1 of the 2 listed is a task: 19%")


def test_the_chance_reaches_the_russian_report() -> None:
    from sessionscope.report.i18n import translate_flag

    s = _pair().evolve(recommendations=_recs(1, 0), action_items=(_task(0, 0.1, True), _task(1, 0.1, True)))
    ru = translate_flag(_flags(s)["no_action_items"], "ru")
    assert ru.endswith("вероятность по их уверенности, что хотя бы 1 из 2 перечисленных — задачи: 19 %")

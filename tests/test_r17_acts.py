"""Round 17 (acts): the operating-point / drop-ablation measurement (benchmarks/recs_operating_r17_acts.py), model-free.

Nothing of it ships; these tests keep the measurement honest: a switched-off drop or veto is off only inside the
``patched`` block and the stage is exactly as before afterwards (also after an error), a veto is removed by its name
only, and the label groups of the breakdown follow the corpora's tags.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import recs_operating_r17_acts as ro  # noqa: E402
from dialogue_acts import Act  # noqa: E402
from sessionscope.analysis.extract import stage as _stage  # noqa: E402
from sessionscope.analysis.extract.rules import RuleHit, veto  # noqa: E402

stage: Any = _stage  # the tests call the patched stand-ins with placeholder arguments


def _names() -> dict:
    return {n: getattr(stage, n) for n in ("quoted_by_frame", "informal_context", "own_side_context", "assignment",
                                           "habitual_context", "not_promised", "handout_items")} | dict(stage.RULES)


def test_patched_switches_off_inside_and_restores_after() -> None:
    before = _names()
    with ro.patched({"off": ["quoted", "informal", "own_side", "habitual", "not_promised", "handouts",
                             "assign_from_rec", "problem_override", "veto:question"]}):
        assert stage.quoted_by_frame([], []) == set()
        assert stage.informal_context([], []) == set()
        assert stage.not_promised(None) is False
        assert stage.handout_items(None, [], [], {}) == []
        assert stage.RULES["problem"](None) is None
        assert stage.assignment(None, stage.Decision("recommendation", 0.9, "head", None)) is None
    assert _names() == before


def test_patched_restores_after_an_error() -> None:
    before = _names()
    with pytest.raises(RuntimeError), ro.patched({"off": ["informal", "veto:description"]}):
        raise RuntimeError("boom")
    assert _names() == before


def test_veto_removed_by_name_only(monkeypatch: pytest.MonkeyPatch) -> None:
    hits: dict[Any, RuleHit] = {"a": veto("recommendation", "question"), "b": veto("recommendation", "description"),
            "c": RuleHit("recommendation", 0.8, "you_should")}
    monkeypatch.setitem(stage.RULES, "recommendation", lambda sent: hits[sent])
    with ro.patched({"off": ["veto:question"]}):
        rule = stage.RULES["recommendation"]
        assert rule("a") is None
        assert rule("b") == hits["b"]
        assert rule("c") == hits["c"]
    assert stage.RULES["recommendation"]("a") == hits["a"]


def _act(corpus: str, label: str) -> Act:
    return Act(corpus=corpus, meeting="m", split="heldout", index=0, id="x", speaker="A", start=None, end=None,
               text="t", label=label, addressee=None, responder=None, question=False, question_with_qh=False,
               recommendation=False, action=False)


def test_label_groups() -> None:
    assert ro._label_group(_act("mrda", "s^cs")) == "^cs"
    assert ro._label_group(_act("mrda", "s^co^rt")) == "^co"
    assert ro._label_group(_act("mrda", "s^cs|s^co")) == "^cs+^co"
    assert ro._label_group(_act("mrda", "s^cc")) == "^cc"
    assert ro._label_group(_act("mrda", "s^bk")) == "other"
    assert ro._label_group(_act("ami", "sug")) == "sug"


def test_prf() -> None:
    assert ro._prf(3, 1, 6) == {"tp": 3, "fp": 1, "fn": 3, "p": 0.75, "r": 0.5, "f1": 0.6}
    assert ro._prf(0, 0, 0)["f1"] == 0.0

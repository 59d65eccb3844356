"""Round 11: moves within the meeting ("I'll draw it on the whiteboard") are listed, never counted as tasks."""

from __future__ import annotations

import dataclasses

from helpers import make_session
from sessionscope.analysis.dynamics import compute_metrics
from sessionscope.analysis.flow import KnowledgeFlowStage
from sessionscope.config import DynamicsConfig
from sessionscope.model import ActionItem
from sessionscope.report.checklist import session_checklist
from sessionscope.report.programme import build_programme
from sessionscope.report.session_md import render_session_markdown
from sessionscope.report.tables import session_tables

MOVE = "I'll draw it on the whiteboard."
TASK = "I will send the draft by Friday."


def _session(*, task: bool, move: bool = True):
    s = make_session([("a", 0, 60, f"{MOVE} {TASK}"), ("b", 60, 120, "Fine.")], sid="s1")
    u = s.utterances[0]
    items = []
    if move:
        items.append(ActionItem(id="s1-a0", utterance_id=u.id, owner="a", task="draw it on the whiteboard", start=1.0,
                                char_start=0, char_end=len(MOVE), confidence=0.9, in_meeting=True))
    if task:
        items.append(ActionItem(id="s1-a1", utterance_id=u.id, owner="a", task="send the draft", start=5.0,
                                due_text="by Friday", char_start=len(MOVE) + 1, char_end=len(MOVE) + 1 + len(TASK),
                                confidence=0.8))
    s = dataclasses.replace(s, action_items=tuple(items), extra={"extraction": {}})
    s = dataclasses.replace(s, metrics=compute_metrics(s, DynamicsConfig()))
    return KnowledgeFlowStage()(s)


def test_a_move_is_listed_apart_and_not_counted() -> None:
    s = _session(task=True)
    assert [a.id for a in s.tasks] == ["s1-a1"]
    md = render_session_markdown(s)
    section = md.split("## Action items", 1)[1].split("\n## ", 1)[0]
    table = [line for line in section.splitlines() if line.startswith("| ")]
    assert len(table) == 2 and "send the draft" in table[1]  # header and the one task
    assert "**Moves in the meeting and phrases with no task of their own (listed, not counted as tasks):**" in section
    assert "- A: draw it on the whiteboard (0:01)" in section
    assert s.metrics is not None
    assert s.metrics.session["action_items"] == 1 and s.metrics.session["in_meeting_moves"] == 1
    assert s.metrics.participants["a"]["action_items_owned"] == 1
    assert [k.text for k in s.summary if "whiteboard" in k.text] == []
    tables = session_tables([s])
    row = tables["sessions"].iloc[0]
    assert int(row["n_action_items"]) == 1 and int(row["n_in_meeting_moves"]) == 1
    assert list(tables["action_items"]["in_meeting"]) == [True, False]  # every item stays in the research table
    assert int(build_programme([s], encoder=None).programme.iloc[0]["n_action_items"]) == 1


def test_only_moves_give_the_flag_and_the_empty_text_that_say_so() -> None:
    s = _session(task=False)
    flag = next(f for f in s.flags if f.code == "no_action_items")
    assert flag.value == 0.0 and "1 move within the meeting itself is listed but not counted as a task" in flag.message
    md = render_session_markdown(s)
    assert "No tasks were detected; only moves within the meeting itself (listed below)." in md
    goals = next(i for i in session_checklist(s).items if i.item == "goals_owner_date")
    assert goals.value == 0 and goals.measure == "action items with an owner and a due date (0 of 0)"
    ru = render_session_markdown(dataclasses.replace(s, language="ru"))
    assert "Действия в ходе самой встречи и фразы без самостоятельной задачи (перечислено, но не учитывается как задачи)" in ru


def test_a_plain_task_session_has_no_moves_group() -> None:
    s = _session(task=True, move=False)
    md = render_session_markdown(s)
    assert "Moves in the meeting" not in md and "send the draft" in md
    assert "in_meeting_moves" in (s.metrics.session if s.metrics else {}) and s.metrics.session["in_meeting_moves"] == 0


def test_a_redacted_report_lists_the_move_without_the_name() -> None:
    from sessionscope.model import Participant, Role
    from sessionscope.report.redact import redact_session

    s = make_session([("a", 0, 30, "I'll show Borislava the next slide."), ("b", 30, 60, "Fine.")], sid="s2")
    s = dataclasses.replace(
        s, participants=(Participant("a", "Annika Storm", Role.JUNIOR), Participant("b", "Borislava Kent", Role.SENIOR)),
        action_items=(ActionItem(id="m", utterance_id=s.utterances[0].id, owner="a", task="show Borislava the next slide",
                                 start=1.0, char_start=0, char_end=35, confidence=0.9, in_meeting=True),),
        extra={"extraction": {}})
    md = render_session_markdown(redact_session(KnowledgeFlowStage()(s), ner=False))
    section = md.split("## Action items", 1)[1].split("\n## ", 1)[0]
    assert "the next slide" in section and "Borislava" not in md and "Annika" not in md

"""Round-6 audit fixes on synthetic sentences (error categories seen on real talk, not the audited sentences).

Model-free parts run everywhere; the rule tests that need the English parse are marked slow
(spaCy ``en_core_web_sm``), like ``test_extract_rules.py``.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from helpers import make_session
from sessionscope.analysis.dynamics import backchannel, build_turns, compute_metrics
from sessionscope.analysis.extract.actions import task_phrase
from sessionscope.analysis.extract.assign import assignment_target, role_holder
from sessionscope.analysis.extract.rules import RuleHit
from sessionscope.config import DynamicsConfig
from sessionscope.text import strip_markup

CFG = DynamicsConfig()


# -- dynamics: transcript marks are no words and take no floor ---------------------------------------------
@pytest.mark.parametrize(("text", "clean"), [
    ("{vocalsound}", ""),
    ("[laughter] sure, go on", "sure, go on"),
    ("Well <LAUGH> that was quick", "Well that was quick"),
    ("(inaudible) then the second one", "then the second one"),
    ("the budget (in euros) is fixed", "the budget (in euros) is fixed"),  # ordinary brackets stay
])
def test_strip_markup(text: str, clean: str) -> None:
    assert strip_markup(text) == clean


@pytest.mark.parametrize(("text", "bc"), [
    ("{vocalsound}", True),
    ("[laughs]", True),
    ("{gap} .", True),
    ("[laughter] yeah", True),
    ("{vocalsound} So the budget is fixed at ten euros .", False),
])
def test_marks_alone_are_backchannels(text: str, bc: bool) -> None:
    u = make_session([("a", text)]).utterances[0]
    assert backchannel(u, CFG) is bc


def test_a_listeners_laugh_does_not_split_the_speakers_turn() -> None:
    rows = [("lead", "We start with the budget."), ("kim", "{vocalsound}"), ("lead", "Then the timeline."),
            ("kim", "[laughter]"), ("lead", "And last the staffing."), ("kim", "Who pays for that?")]
    s = make_session(rows)
    assert [t.speaker for t in build_turns(list(s.utterances), CFG)] == ["lead", "kim"]
    m = compute_metrics(s, CFG)
    assert m.participants["lead"]["turns"] == 1 and m.participants["kim"]["turns"] == 1


# -- task phrases that stand on their own ----------------------------------------------------------------
@pytest.mark.parametrize(("text", "task"), [
    ("So then I can upload the file to the portal.", "upload the file to the portal"),
    ("I'm just gonna rerun the tests.", "rerun the tests"),
    ("Guess I'll ask the vendor for a quote .", "ask the vendor for a quote"),
    ("{vocalsound} I'll draft the agenda .", "draft the agenda"),
    ("[laughs] we'll book the venue, I think.", "book the venue"),
    ("Okay, I want to clean up the backlog by Friday, you know.", "clean up the backlog"),
    ("The project lead is going to check the budget.", "The project lead is going to check the budget"),  # a role stays
    ("I'll move the logo to the right.", "move the logo to the right"),  # a last "right" without a comma is a word
    ("I'll send it over, right?", "send it over"),
])
def test_task_phrase_drops_marks_frames_and_hedges(text: str, task: str) -> None:
    sent = SimpleNamespace(text=text, language="en")
    assert task_phrase(sent, RuleHit("action", 0.5, "classifier")) == task


# -- assignments: a question hands out no task; a role names the participant labelled by it -----------
ROLE_PARTS = [("chair", "Project Manager"), ("mkt", "Marketing"), ("ui", "User Interface"), ("id", "Industrial Designer")]


@pytest.mark.parametrize("text", [
    "Do you usually check the logs before the release?",
    "Are we going to prepare the demo ourselves.",            # no question mark (speech recognition)
    "So how do you plan the sprint?",
    "why don't we just move on to the budget, and I'll start",
])
def test_questions_are_no_assignments(text: str) -> None:
    assert assignment_target(text, ROLE_PARTS, "chair", "mkt") is None


@pytest.mark.parametrize("text", [
    "Could you send the slides before the next meeting?",  # a request may assign a task
    "You'll prepare the cost estimate.",
])
def test_requests_and_firm_tasks_still_assign(text: str) -> None:
    t = assignment_target(text, ROLE_PARTS, "chair", "mkt")
    assert t is not None and t.owner == "mkt"


@pytest.mark.parametrize(("text", "owner"), [
    ("The industrial designer is going to draw the casing.", "id"),
    ("And the user interface designer will do the menu layout.", "ui"),
    ("The marketing expert will look at the trends.", "mkt"),
])
def test_role_named_participants_own_the_role_task(text: str, owner: str) -> None:
    t = assignment_target(text, ROLE_PARTS, "chair", "mkt")
    assert t is not None and t.owner == owner and t.owners == (owner,)


def test_roles_with_personal_names_stay_open() -> None:
    people = [("ann", "Ann Lee"), ("bo", "Bo Park"), ("cy", "Cy Diaz")]
    assert role_holder("the industrial designer will draw the casing", people, "ann") is None
    t = assignment_target("The industrial designer will draw the casing.", people, "ann", "bo")
    assert t is not None and t.owner is None and t.how == "role"


def test_the_speakers_own_role_is_not_assigned_to_them() -> None:
    assert role_holder("the project manager will send the minutes", ROLE_PARTS, "chair") is None


# -- recommendation rule: fragments, floor-handling and quoted words (English parse) --------------------
def _rec(text: str):
    pytest.importorskip("spacy")
    from sessionscope.analysis.extract.recommendations import recommendation_rule
    from sessionscope.language.nlp import parse_sentence

    return recommendation_rule(parse_sentence(text))


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "if you wanna keep the old layout,",               # a condition whose main clause never came
    "So when you open the second tab,",
    "and once you have the numbers on the sheet,",
    "because you need the admin rights first.",
    "[laughter] if you really think about it,",
])
def test_lone_condition_is_no_advice(text: str) -> None:
    hit = _rec(text)
    assert hit is not None and hit.veto and hit.rule == "subordinate_only"


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "If you get stuck, ask the support desk.",
    "When you have a minute, check the dashboard.",
    "You should keep a changelog.",
])
def test_condition_with_its_main_clause_stays_advice(text: str) -> None:
    hit = _rec(text)
    assert hit is not None and not hit.veto


@pytest.mark.parametrize("text", ["Go ahead.", "and go ahead please", "Hold on a second.", "{disfmarker} Let's see ."])
@pytest.mark.slow
def test_floor_handling_alone_is_no_advice(text: str) -> None:
    hit = _rec(text)
    assert hit is not None and hit.veto and hit.rule == "discourse"


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "He's like, just drop the class.",
    "and my boss was like, send it again",
    "she goes, try the blue one",
    "So I thought, no, just leave it.",
])
def test_quoted_words_in_a_story_are_reported(text: str) -> None:
    hit = _rec(text)
    assert hit is not None and hit.veto and hit.rule == "reported_speech"


@pytest.mark.slow
def test_go_ahead_with_a_task_is_not_floor_handling() -> None:
    hit = _rec("Go ahead and book the meeting room.")
    assert hit is None or hit.rule != "discourse"


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "if you could send me the figures,",            # a polite request, complete as it is
    "So if we could maybe book the bigger room.",
    "if anybody wants to add something please do",
])
def test_polite_if_requests_are_not_lone_conditions(text: str) -> None:
    hit = _rec(text)
    assert hit is None or hit.rule != "subordinate_only"


# -- talk about the meeting itself: its running order, setting, pen and screen ----------------------------
@pytest.mark.parametrize(("text", "meeting"), [
    ("first i'll introduce myself", True),
    ("so let's start off um with a short presentation", True),
    ("i'll tell you a bit about the agenda", True),
    ("okay i'll pass the pen to anna", True),
    ("{vocalsound} i'll just sit down", True),
    ("we're going to move on to the next point", True),
    ("i'll send the minutes to everyone", False),
    ("i'll start with the supplier contract next week", False),
    ("we'll get started on the prototype tomorrow", False),
])
def test_meeting_itself(text: str, meeting: bool) -> None:
    from sessionscope.analysis.extract.rules import meeting_itself

    assert meeting_itself(text) is meeting


@pytest.mark.slow
@pytest.mark.parametrize(("text", "vetoed"), [
    ("First I will introduce myself.", True),
    ("Let me start with the agenda.", True),
    ("I'll present the mock-ups today.", True),                  # today = this meeting
    ("I'll present the mock-ups at the next meeting.", False),   # a deadline: a task
    ("I'll email the supplier tomorrow.", False),
])
def test_meeting_talk_is_vetoed_as_an_action_unless_it_has_a_deadline(text: str, vetoed: bool) -> None:
    pytest.importorskip("spacy")
    from sessionscope.analysis.extract.actions import action_rule
    from sessionscope.language.nlp import parse_sentence

    hit = action_rule(parse_sentence(text))
    assert (hit is not None and hit.veto and hit.rule == "meeting_itself") is vetoed


@pytest.mark.slow
@pytest.mark.parametrize(("text", "rule", "conf"), [
    ("You can switch the language in the settings.", "you_can", 0.6),     # what is possible: weaker evidence
    ("Maybe you can ask the tutor after class.", "you_could", 0.7),    # hedged: a suggestion
    ("you can just email the office", "you_could", 0.7),
])
def test_bare_you_can_is_weaker_than_a_hedged_one(text: str, rule: str, conf: float) -> None:
    hit = _rec(text)
    assert hit is not None and not hit.veto and hit.rule == rule and hit.confidence == pytest.approx(conf)


# -- a quotative frame at the end of a line opens quoted words in the next one (proposal, measured) -------
@pytest.mark.parametrize(("line", "frame"), [
    ("and my aunt was like,", True),
    ("so she goes,", True),
    ("and I told him,", True),
    ("then we said okay,", True),
    ("I kept asking her,", True),
    ("like you said,", False),            # a discourse marker: the speaker's own point follows
    ("I think we said that last week.", False),
    ("so I parked the car,", False),
    ("I really like it,", False),
    ("it's the easier one, I think.", False),  # a hedge, not a frame: the advice after it stays
    ("and I thought,", True),
])
def test_quotative_end(line: str, frame: bool) -> None:
    from sessionscope.analysis.extract.rules import quotative_end

    assert quotative_end(line) is frame


def test_quoted_by_frame_covers_the_speakers_next_lines_until_someone_else_talks() -> None:
    from sessionscope.analysis.extract.rules import quoted_by_frame

    def sent(text: str) -> SimpleNamespace:
        return SimpleNamespace(text=text)

    speakers = ["a", "a", "a", "a", "b", "a"]
    parsed = [[sent("so I told her,")], [sent("just drop it,")], [sent("move on.")], [sent("And she did.")],
              [sent("Wow.")], [sent("Anyway, and he goes,"), sent("call me later.")]]
    assert quoted_by_frame(speakers, parsed) == {(1, 0), (2, 0), (5, 1)}
    assert quoted_by_frame(["a", "b"], [[sent("and I said,")], [sent("send it.")]]) == set()  # another speaker

"""A forecast about a thing is no advice; meeting procedure as its own flag (issue 10, round 10): hand-parsed, no models.

:func:`~sessionscope.analysis.extract.recommendations.description` now also takes third-person
statements with a modal of prediction ("the energy source would be a battery", "it will be
expensive"), unless the statement puts or weighs an option ("it may be something to explore",
"it would be nice", "that'd be a good solution"). :func:`meeting_procedure` tells talk that runs
the meeting (the agenda, slides, files, the floor, time) from advice. The sentences follow the
shapes seen on real meetings; none is copied from them.
"""

from __future__ import annotations

import pytest

from sessionscope.analysis.extract.recommendations import (
    PREDICTION_MODALS,
    description,
    meeting_procedure,
    recommendation_rule,
)
from test_extract_informal import S

SOURCE_WOULD_BE = (
    "the/DT/det/2 energy/NN/compound/2 source/NN/nsubj/4 would/MD/aux/4 be/VB/ROOT/4 a/DT/det/6 battery/NN/attr/4 ./././4"
)
IT_WILL_BE_EXPENSIVE = "it/PRP/nsubj/2 will/MD/aux/2 be/VB/ROOT/2 expensive/JJ/acomp/2 ./././2"
THAT_LL_COST = "that/DT/nsubj/2 'll/MD/aux/2 cost/VB/ROOT/2 more/JJR/dobj/2 ./././2"
IT_MAY_BE_SOMETHING_TO = (
    "but/CC/cc/3 it/PRP/nsubj/3 may/MD/aux/3 be/VB/ROOT/3 something/NN/attr/3 to/TO/aux/6 explore/VB/relcl/4 ./././3"
)
IT_WOULD_BE_NICE = "it/PRP/nsubj/2 would/MD/aux/2 be/VB/ROOT/2 nice/JJ/acomp/2 ./././2"
A_GOOD_SOLUTION = "that/DT/nsubj/2 'd/MD/aux/2 be/VB/ROOT/2 a/DT/det/5 good/JJ/amod/5 solution/NN/attr/2 ./././2"
IT_CAN_BE_BLUE = "it/PRP/nsubj/2 can/MD/aux/2 be/VB/ROOT/2 blue/JJ/acomp/2 ./././2"
IT_MUST_BE_SLIM = "it/PRP/nsubj/2 must/MD/aux/2 be/VB/ROOT/2 slim/JJ/acomp/2 ./././2"
YOU_WILL_NEED = "you/PRP/nsubj/2 will/MD/aux/2 need/VB/ROOT/2 a/DT/det/4 battery/NN/dobj/2 ./././2"
WE_WOULD_USE = "we/PRP/nsubj/2 would/MD/aux/2 use/VB/ROOT/2 a/DT/det/4 battery/NN/dobj/2 ./././2"
IT_WILL_QUESTION = "will/MD/aux/2 it/PRP/nsubj/2 be/VB/ROOT/2 expensive/JJ/acomp/2 ?/./punct/2"


@pytest.mark.parametrize(
    ("spec", "describes"),
    [
        (SOURCE_WOULD_BE, True),  # a forecast about a thing
        (IT_WILL_BE_EXPENSIVE, True),
        (THAT_LL_COST, True),
        (IT_MAY_BE_SOMETHING_TO, False),  # an option put to the others
        (IT_WOULD_BE_NICE, False),  # an option weighed
        (A_GOOD_SOLUTION, False),
        (IT_CAN_BE_BLUE, False),  # possibility, not prediction: often a design proposal
        (IT_MUST_BE_SLIM, False),  # an obligation: a requirement
        (YOU_WILL_NEED, False),  # about the listener: left to the other rules
        (WE_WOULD_USE, False),  # about the group
        (IT_WILL_QUESTION, False),  # a question
    ],
)
def test_description_takes_predictions(spec: str, describes: bool) -> None:
    assert description(S(spec)) is describes


def test_without_modals_a_forecast_is_left_alone() -> None:
    assert "might" in PREDICTION_MODALS and "could" not in PREDICTION_MODALS
    assert description(S(SOURCE_WOULD_BE), modals=frozenset()) is False  # the round-9 behaviour


def test_the_rule_vetoes_a_forecast() -> None:
    hit = recommendation_rule(S(IT_WILL_BE_EXPENSIVE))
    assert hit is not None and hit.veto and hit.rule == "description"
    assert recommendation_rule(S(IT_MAY_BE_SOMETHING_TO)) is None


NEXT_SLIDE = "next/JJ/amod/1 slide/NN/ROOT/1 ,/,/punct/1 please/UH/intj/1 ./././1"
LETS_MOVE_ON = "let/VB/ROOT/0 's/PRP/nsubj/2 move/VB/ccomp/0 on/RP/prt/2 ./././0"
SAVE_IT_AS = "save/VB/ROOT/0 it/PRP/dobj/0 as/IN/prep/0 a/DT/det/4 pdf/NN/pobj/2 ./././0"
SAVE_AS = "save/VB/ROOT/0 as/IN/prep/0 ./././0"
SEND_THE_AGENDA = ("send/VB/ROOT/0 the/DT/det/2 agenda/NN/dobj/0 before/IN/prep/0 the/DT/det/6 client/NN/compound/6 "
                   "call/NN/pobj/3 ./././0")
BLOCK_MINUTES = ("block/VB/ROOT/0 thirty/CD/nummod/2 minutes/NNS/dobj/0 each/DT/det/4 morning/NN/npadvmod/0 "
                 "./././0")
START_YOUR_PRESENTATION = ("start/VB/ROOT/0 your/PRP$/poss/2 presentation/NN/dobj/0 with/IN/prep/0 a/DT/det/5 "
                           "story/NN/pobj/3 ./././0")
CAN_YOU_START = "can/MD/aux/2 you/PRP/nsubj/2 start/VB/ROOT/2 ?/./punct/2"
TEN_MINUTES_LEFT = "we/PRP/nsubj/1 have/VBP/ROOT/1 ten/CD/nummod/3 minutes/NNS/dobj/1 left/VBN/acl/3 ./././1"
TALK_TO_MANAGER = (
    "you/PRP/nsubj/2 should/MD/aux/2 talk/VB/ROOT/2 to/IN/prep/2 your/PRP$/poss/5 manager/NN/pobj/3 ./././2"
)
BRING_IT_UP = (
    "maybe/RB/advmod/1 bring/VB/ROOT/1 it/PRP/dobj/1 up/RP/prt/1 at/IN/prep/1 the/DT/det/7 next/JJ/amod/7 "
    "meeting/NN/pobj/5 ./././1"
)
YELLOW_CASE = "let/VB/ROOT/0 's/PRP/nsubj/2 go/VB/ccomp/0 with/IN/prep/2 a/DT/det/6 yellow/JJ/amod/6 case/NN/pobj/3 ./././0"


@pytest.mark.parametrize(
    ("spec", "procedure"),
    [
        (NEXT_SLIDE, True),
        (LETS_MOVE_ON, True),
        (SAVE_IT_AS, False),  # tool advice in a mentoring session ("save it as a template"); "Save as." alone is procedure
        (SAVE_AS, True),
        (SEND_THE_AGENDA, False),  # advice about meetings is advice
        (BLOCK_MINUTES, False),  # time-management advice
        (START_YOUR_PRESENTATION, False),
        (CAN_YOU_START, True),
        (TEN_MINUTES_LEFT, True),
        (TALK_TO_MANAGER, False),  # advice
        (BRING_IT_UP, False),  # advice that names a meeting is still advice
        (YELLOW_CASE, False),  # a design proposal
    ],
)
def test_meeting_procedure(spec: str, procedure: bool) -> None:
    assert meeting_procedure(S(spec)) is procedure


def test_meeting_procedure_reads_english_only() -> None:
    import dataclasses

    assert meeting_procedure(dataclasses.replace(S(NEXT_SLIDE), language="ru")) is False


MAYBE_TWO = "maybe/RB/advmod/1 two/CD/ROOT/1 ?/./punct/1"
UM_PERHAPS_YELLOW = "um/UH/intj/3 ,/,/punct/3 perhaps/RB/advmod/3 yellow/JJ/ROOT/3 ?/./punct/3"
IS_IT_YELLOW = "is/VBZ/ROOT/0 it/PRP/nsubj/0 yellow/JJ/acomp/0 ?/./punct/0"
WHAT_IF_WE = "what/WP/dobj/3 if/IN/mark/3 we/PRP/nsubj/3 try/VBP/ROOT/3 red/JJ/dobj/3 ?/./punct/3"


def test_a_maybe_question_is_a_proposal() -> None:
    for spec in (MAYBE_TWO, UM_PERHAPS_YELLOW):
        hit = recommendation_rule(S(spec))
        assert hit is not None and not hit.veto and hit.rule == "maybe_question"
    hit = recommendation_rule(S(IS_IT_YELLOW))  # other questions stay vetoed
    assert hit is not None and hit.veto and hit.rule == "question"
    hit = recommendation_rule(S(WHAT_IF_WE))
    assert hit is not None and not hit.veto and hit.rule == "why_dont_we"

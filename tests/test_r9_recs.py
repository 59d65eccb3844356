"""A statement of how things are is no advice (issue 10, round 9): hand-parsed sentences, no models.

:func:`~sessionscope.analysis.extract.recommendations.description` marks an English statement
whose every main clause has a third-person subject and a finite verb with no modal, with no
imperative clause, no obligation and no advice marker; :func:`recommendation_rule` then vetoes
it (the heads weigh the veto as evidence). The sentences follow the shapes seen on real
meetings; none is copied from them.
"""

from __future__ import annotations

import dataclasses

import pytest

from sessionscope.analysis.extract.recommendations import description, recommendation_rule
from test_extract_informal import S

REMOTES_HAVE = "the/DT/det/1 remotes/NNS/nsubj/2 have/VBP/ROOT/2 a/DT/det/5 simple/JJ/amod/5 structure/NN/dobj/2 ./././2"
THATS_THE_HOLDER = "that/DT/nsubj/1 's/VBZ/ROOT/1 the/DT/det/4 cup/NN/compound/4 holder/NN/attr/1 ./././1"
IT_WAS_CHEAP_AND_THEY_LIKED = (
    "it/PRP/nsubj/1 was/VBD/ROOT/1 cheap/JJ/acomp/1 and/CC/cc/1 they/PRP/nsubj/5 liked/VBD/conj/1 it/PRP/dobj/5 ./././1"
)
MAYBE_THATS = "maybe/RB/advmod/2 that/DT/nsubj/2 's/VBZ/ROOT/2 the/DT/det/5 cup/NN/compound/5 holder/NN/attr/2 ./././2"
YOU_HAVE = "you/PRP/nsubj/1 have/VBP/ROOT/1 a/DT/det/4 simple/JJ/amod/4 structure/NN/dobj/1 ./././1"
WE_HAVE = "we/PRP/nsubj/1 have/VBP/ROOT/1 a/DT/det/4 simple/JJ/amod/4 structure/NN/dobj/1 ./././1"
IT_COULD_BE = "it/PRP/nsubj/2 could/MD/aux/2 be/VB/ROOT/2 yellow/JJ/acomp/2 ./././2"
BUTTONS_HAVE_TO = "the/DT/det/1 buttons/NNS/nsubj/2 have/VBP/ROOT/2 to/TO/aux/4 be/VB/xcomp/2 bigger/JJR/acomp/4 ./././2"
IS_THAT = "is/VBZ/ROOT/0 that/DT/nsubj/0 the/DT/det/4 cup/NN/compound/4 holder/NN/attr/0 ?/./punct/0"
VERBLESS = "in/IN/prep/4 the/DT/det/2 middle/NN/pobj/0 the/DT/det/4 functions/NNS/ROOT/4 ./././4"
THATS_GOOD_SO_USE = (
    "that/DT/nsubj/1 's/VBZ/ROOT/1 good/JJ/acomp/1 ,/,/punct/1 so/RB/advmod/5 use/VB/conj/1 the/DT/det/7 "
    "menu/NN/dobj/5 ./././1"
)
BUTTONS_MAKE_THEM = (  # a topic put first and an imperative ("the buttons, make them clear"), parsed as a subject
    "the/DT/det/1 buttons/NNS/nsubj/2 make/VB/ROOT/2 them/PRP/nsubj/4 clear/JJ/ccomp/2"
)
YOUR_STEP_IS_TO = (  # the listener's next step: a task handed out, not how things are
    "your/PRP$/poss/2 next/JJ/amod/2 step/NN/nsubj/3 is/VBZ/ROOT/3 to/TO/aux/5 talk/VB/xcomp/3 to/IN/prep/5 "
    "the/DT/det/8 client/NN/pobj/6 ./././3"
)
THE_PLAN_IS_TO = "the/DT/det/1 plan/NN/nsubj/2 is/VBZ/ROOT/2 to/TO/aux/4 ship/VB/xcomp/2 today/NN/npadvmod/4 ./././2"
HE_WANTS_TO = "he/PRP/nsubj/1 wants/VBZ/ROOT/1 to/TO/aux/3 leave/VB/xcomp/1 early/RB/advmod/3 ./././1"
ITS_WORTH_TRYING = "it/PRP/nsubj/1 's/VBZ/ROOT/1 worth/JJ/acomp/1 trying/VBG/xcomp/2 ./././1"


@pytest.mark.parametrize(
    ("spec", "describes"),
    [
        (REMOTES_HAVE, True),
        (THATS_THE_HOLDER, True),
        (IT_WAS_CHEAP_AND_THEY_LIKED, True),  # both main clauses third person
        (MAYBE_THATS, False),  # an advice marker makes it a proposal
        (YOU_HAVE, False),  # about the listener: left to the other rules
        (WE_HAVE, False),  # about the group
        (IT_COULD_BE, False),  # a modal: often a design proposal
        (BUTTONS_HAVE_TO, False),  # an obligation: a requirement
        (IS_THAT, False),  # a question
        (VERBLESS, False),  # no finite verb: a piece, not a statement
        (THATS_GOOD_SO_USE, False),  # an imperative clause
        (BUTTONS_MAKE_THEM, False),  # a bare verb is no statement
        (YOUR_STEP_IS_TO, False),  # the listener's step (a possessive "your" / "our" subject)
        (THE_PLAN_IS_TO, False),  # "be" + an infinitive states a task
        (HE_WANTS_TO, True),  # a third person's wish is how things are
    ],
)
def test_description(spec: str, describes: bool) -> None:
    assert description(S(spec)) is describes


def test_russian_is_not_read() -> None:
    assert description(dataclasses.replace(S(REMOTES_HAVE), language="ru")) is False


def test_the_rule_vetoes_a_description_but_keeps_a_positive_pattern() -> None:
    hit = recommendation_rule(S(REMOTES_HAVE))
    assert hit is not None and hit.veto and hit.rule == "description"
    worth = recommendation_rule(S(ITS_WORTH_TRYING))  # "it's worth trying": advice, third person or not
    assert worth is not None and not worth.veto and worth.rule == "worth_it"
    assert recommendation_rule(S(YOU_HAVE)) is None

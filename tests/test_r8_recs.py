"""The speaker's own side's plan is no advice (issue 10, round 8): hand-parsed sentences, no models.

A witness answering "how will you…?" with "we'd need to check…" tells the committee what their
organisation would do; the same words in a team's own discussion may be a proposal, so the drop
needs the situation: an answer of at least ``OWN_SIDE_WORDS`` words to a question put to "you".
The sentences follow the patterns of the audited hearing; none is copied from it.
"""

from __future__ import annotations

import pytest

from sessionscope.analysis.extract.rules import OWN_SIDE_WORDS, own_side_context, own_side_plan
from test_extract_informal import S

WE_D_NEED = (
    "we/PRP/nsubj/2 'd/MD/aux/2 need/VB/ROOT/2 to/TO/aux/4 check/VB/xcomp/2 the/DT/det/6 cases/NNS/dobj/4 ./././2"
)
I_WILL = "i/PRP/nsubj/2 'll/MD/aux/2 bring/VB/ROOT/2 it/PRP/dobj/2 home/NN/advmod/2 ./././2"
WE_OPEN = "we/PRP/nsubj/1 open/VBP/ROOT/1 our/PRP$/poss/3 books/NNS/dobj/1 ./././1"
WE_SHOULD = "we/PRP/nsubj/2 should/MD/aux/2 check/VB/ROOT/2 the/DT/det/4 cases/NNS/dobj/2 ./././2"
MAYBE_WE_WOULD = "maybe/RB/advmod/3 we/PRP/nsubj/3 would/MD/aux/3 check/VB/ROOT/3 the/DT/det/5 cases/NNS/dobj/3 ./././3"
YOU_WILL = "you/PRP/nsubj/2 'll/MD/aux/2 check/VB/ROOT/2 the/DT/det/4 cases/NNS/dobj/2 ./././2"
THEY_WILL = "they/PRP/nsubj/2 'll/MD/aux/2 check/VB/ROOT/2 the/DT/det/4 cases/NNS/dobj/2 ./././2"
LETS = "let/VB/ROOT/0 's/PRP/nsubj/2 check/VB/ccomp/0 the/DT/det/4 cases/NNS/dobj/2 ./././0"
WE_CHECKED = "we/PRP/nsubj/1 checked/VBD/ROOT/1 the/DT/det/3 cases/NNS/dobj/1 ./././1"
HOW_WILL_YOU = "how/WRB/advmod/3 will/MD/aux/3 you/PRP/nsubj/3 handle/VB/ROOT/3 it/PRP/dobj/3 ?/./punct/3"
HOW_WILL_THEY = "how/WRB/advmod/3 will/MD/aux/3 they/PRP/nsubj/3 handle/VB/ROOT/3 it/PRP/dobj/3 ?/./punct/3"
# a long statement of the answer (words only count): 12 words
LONG = (
    "the/DT/det/1 numbers/NNS/nsubj/2 are/VBP/ROOT/2 small/JJ/acomp/2 in/IN/prep/2 every/DT/det/6 "
    "area/NN/pobj/4 of/IN/prep/6 the/DT/det/9 country/NN/pobj/7 this/DT/det/11 year/NN/npadvmod/2 ./././2"
)


@pytest.mark.parametrize(
    ("spec", "plan"),
    [
        (WE_D_NEED, True),  # what the speaker's side would do
        (I_WILL, True),
        (WE_OPEN, True),  # what the side does, present tense
        (WE_SHOULD, False),  # advice marker
        (MAYBE_WE_WOULD, False),  # a hedged proposal to the group
        (YOU_WILL, False),  # addressed to the listener
        (THEY_WILL, False),  # a third party
        (LETS, False),
        (WE_CHECKED, False),  # past: a report, left to the other rules
        (HOW_WILL_YOU, False),
    ],
)
def test_own_side_plan(spec: str, plan: bool) -> None:
    assert own_side_plan(S(spec)) is plan


def _answer(n_long: int) -> list[list]:
    return [[S(LONG)] for _ in range(n_long)] + [[S(WE_D_NEED)]]


def test_own_side_context_needs_a_question_to_you_and_a_long_answer() -> None:
    n = -(-OWN_SIDE_WORDS // 12)  # enough long lines to reach the bar with the plan line
    parsed = [[S(HOW_WILL_YOU)], *_answer(n)]
    speakers = ["chair"] + ["witness"] * (n + 1)
    assert own_side_context(speakers, parsed) == {(n + 1, 0): "own_side"}
    # the same answer after a question about a third party, or with no question: not the speaker's side for sure
    assert own_side_context(speakers, [[S(HOW_WILL_THEY)], *_answer(n)]) == {}
    assert own_side_context(["witness"] * (n + 2), [[S(LONG)], *_answer(n)]) == {}
    # a short answer: a reply in a discussion, where "we" may include the one who asked
    assert own_side_context(["chair", "witness"], [[S(HOW_WILL_YOU)], [S(WE_D_NEED)]]) == {}


def test_own_side_context_long_run_variant_and_habitual_switch() -> None:
    """The measured variants: any long run (``need_question=False``) and no present-tense 'we <verb>'."""
    n = -(-OWN_SIDE_WORDS // 12)
    parsed = [[S(LONG)], *_answer(n)]
    speakers = ["witness"] * (n + 2)
    assert own_side_context(speakers, parsed) == {}
    assert own_side_context(speakers, parsed, need_question=False) == {(n + 1, 0): "own_side"}
    opened = [[S(HOW_WILL_YOU)], *[[S(LONG)] for _ in range(n)], [S(WE_OPEN)]]
    speakers = ["chair"] + ["witness"] * (n + 1)
    assert own_side_context(speakers, opened) == {(n + 1, 0): "own_side"}
    assert own_side_context(speakers, opened, habitual=False) == {}


WE_D_MAKE_SURE = (
    "we/PRP/nsubj/2 'd/MD/aux/2 need/VB/ROOT/2 to/TO/aux/4 make/VB/xcomp/2 sure/JJ/ccomp/4 that/IN/mark/8 "
    "it/PRP/nsubj/8 works/VBZ/ccomp/5 ./././2"
)


@pytest.mark.parametrize(("asked", "kept"), [(True, False), (False, True)])
def test_extract_items_drops_the_own_side_plan_only_after_a_question_to_you(asked: bool, kept: bool) -> None:
    """Rules alone: 'make sure that' fires the recommendation rule; the answer to 'how will you…?' drops it."""
    from helpers import make_session
    from sessionscope.analysis.extract.stage import extract_items
    from sessionscope.config import DynamicsConfig, ExtractionConfig

    n = -(-OWN_SIDE_WORDS // 12)
    first = S(HOW_WILL_YOU) if asked else S(HOW_WILL_THEY)
    parsed = [[first], *[[S(LONG)] for _ in range(n)], [S(WE_D_MAKE_SURE)]]
    rows = [("chair", first.text)] + [("witness", p[0].text) for p in parsed[1:]]
    items = extract_items(
        make_session(rows), parsed, None, ExtractionConfig(classifier=None, dialogue_act_heads=None), DynamicsConfig()
    )
    found = [r.utterance_id for r in items["recommendations"]]
    assert (f"u{n + 2:04d}" in found) is kept

"""Informal talk (issue 10, round 7): lines that advise nobody, on hand-parsed sentences (no models).

Each sentence is written token by token with its Penn tag, dependency and head, the way the
English parse gives them, so the rules are tested without spaCy. The sentences follow the
patterns seen on real conversations (intonation units that split a clause, a "then you have
to…" describing a craft, a speaker narrating their own procedure); none is copied from them.
"""

from __future__ import annotations

import pytest

from helpers import make_session
from sessionscope.analysis.extract.rules import (
    continues_line,
    generic_you,
    informal_context,
    narration,
    open_clause,
    verb_initial,
)
from sessionscope.analysis.extract.stage import extract_items
from sessionscope.config import DynamicsConfig, ExtractionConfig
from sessionscope.language.nlp import Sentence, Token

_POS = {
    "PRP": "PRON",
    "MD": "AUX",
    "RB": "ADV",
    "TO": "PART",
    "CC": "CCONJ",
    "UH": "INTJ",
    "DT": "DET",
    "NN": "NOUN",
    "NNS": "NOUN",
    "IN": "ADP",
    "JJ": "ADJ",
    "RP": "ADP",
    "WP": "PRON",
    "PRP$": "PRON",
}
_PUNCT = {",", ".", "?", "-", ":"}


def S(spec: str) -> Sentence:
    """A parsed English sentence from ``word/TAG/dep/head`` items (head: token index; the root points to itself).

    ``word/TAG`` alone gets dep ``dep`` and the root as head. Punctuation and clitics ('ll, n't) attach to the
    previous word in the text.
    """
    items = [it.rsplit("/", 3) if it.count("/") >= 3 else it.rsplit("/", 1) for it in spec.split()]
    root = next((k for k, it in enumerate(items) if len(it) == 4 and it[2] == "ROOT"), 0)
    toks, text = [], ""
    for it in items:
        word, tag = it[0], it[1]
        dep, head = (it[2], int(it[3])) if len(it) == 4 else ("dep", root)
        if text and not (word in _PUNCT or word.startswith("'") or word == "n't"):
            text += " "
        idx = len(text)
        text += word
        pos = (
            "PUNCT"
            if word in _PUNCT
            else ("AUX" if dep in ("aux", "auxpass") else _POS.get(tag, "VERB" if tag.startswith("VB") else "X"))
        )
        toks.append(Token(text=word, lemma=word.casefold(), pos=pos, idx=idx, tag=tag, dep=dep, head=head))
    return Sentence(text=text, start_char=0, end_char=len(text), tokens=tuple(toks), language="en")


# -- a line that stops inside its clause --------------------------------------------------------------------
SHE_WILL_JUST = "she/PRP/nsubj/2 'll/MD/aux/2 just/RB/advmod/2 ,/,/punct/2"
THEY_HAVE_TO = "they/PRP/nsubj/1 have/VBP/ROOT/1 to/TO/xcomp/1 ,/,/punct/1"
INFINITIVE_AND = "to/TO/aux/2 just/RB/advmod/2 walk/VB/ROOT/2 out/RB/advmod/2 there/RB/advmod/2 and/CC/cc/2 ,/,/punct/2"
CUT_OFF = "and/CC/cc/3 he/PRP/nsubj/3 'll/MD/aux/3 check/VB/ROOT/3 the/DT/det/3 -/:/punct/3"
YOU_SHOULD = "you/PRP/nsubj/1 should/MD/ROOT/1 ,/,/punct/1"
WE_COULD = (
    "we/PRP/nsubj/2 could/MD/aux/2 build/VB/ROOT/2 it/PRP/dobj/2 so/IN/mark/6 it/PRP/nsubj/6 "
    "will/MD/advcl/2 ,/,/punct/2"
)
MAIN_VERB_DO = "think/VB/ROOT/0 about/IN/prep/0 what/WP/dobj/4 we/PRP/nsubj/4 do/VBP/pcomp/1 ,/,/punct/0"
FINISHED = "she/PRP/nsubj/1 grabs/VBZ/ROOT/1 the/DT/det/3 rope/NN/dobj/1 ./././1"
LIKE = "like/UH/ROOT/0 ,/,/punct/0"


NEGATED = "and/CC/cc/4 that/DT/nsubj/4 's/VBZ/ROOT/4 why/WRB/advmod/4 she/PRP/nsubj/7 did/VBD/aux/7 n't/RB/neg/7 really/RB/advmod/7 ,/,/punct/7"
DONT_KNOW = "i/PRP/nsubj/3 do/VBP/aux/3 n't/RB/neg/3 know/VB/ROOT/3 ./././3"
THEY_WILL_YOU_KNOW = "they/PRP/nsubj/2 'll/MD/aux/2 you/PRP/nsubj/4 know/VBP/parataxis/2 ,/,/punct/2"
MAYBE_SHE_WILL = "maybe/RB/advmod/3 she/PRP/nsubj/3 'll/MD/aux/3 ,/,/punct/3"


@pytest.mark.parametrize(
    ("spec", "open_"),
    [
        (SHE_WILL_JUST, True),  # a modal whose verb comes on the next line
        (THEY_HAVE_TO, True),  # "have to" and no verb yet
        (INFINITIVE_AND, True),  # an infinitive coordination left open
        (CUT_OFF, True),  # a cut-off word: the next line restarts the clause
        (YOU_SHOULD, False),  # open, but addressed to the listener: what follows may be advice
        (WE_COULD, False),  # inside a suggestion ("we could…"): the advice goes on
        (MAIN_VERB_DO, False),  # "do" as the main verb closes the clause
        (FINISHED, False),
        (LIKE, False),  # fillers alone open nothing
        (NEGATED, True),  # a negated auxiliary waits for its verb too
        (DONT_KNOW, False),  # "know" here is the verb, not the filler "you know"
        (THEY_WILL_YOU_KNOW, True),  # the filler "you know" after the modal
        (MAYBE_SHE_WILL, True),  # the speaker's doubt is no suggestion frame
    ],
)
def test_open_clause(spec: str, open_: bool) -> None:
    assert open_clause(S(spec)) is open_


@pytest.mark.parametrize(
    ("spec", "verb_first"),
    [
        ("grab/VB/ROOT/0 the/DT/det/2 rope/NN/dobj/0 ,/,/punct/0", True),
        ("so/RB/advmod/2 just/RB/advmod/2 hand/VB/ROOT/2 it/PRP/dobj/2 over/RP/prt/2", True),
        (FINISHED, False),
        ("the/DT/det/1 rope/NN/ROOT/1 ,/,/punct/1", False),
    ],
)
def test_verb_initial(spec: str, verb_first: bool) -> None:
    assert verb_initial(S(spec)) is verb_first


# -- a generic "you" that describes how a craft goes --------------------------------------------------------
@pytest.mark.parametrize(
    ("spec", "generic"),
    [
        (
            "then/RB/advmod/3 you/PRP/nsubj/3 have/VBP/aux/3 to/TO/aux/3 sand/VB/ROOT/3 the/DT/det/6 edges/NNS/dobj/3",
            True,
        ),
        ("so/RB/advmod/3 you/PRP/nsubj/3 need/VBP/ROOT/3 to/TO/aux/5 reset/VB/xcomp/3 it/PRP/dobj/5 ./././3", True),
        # an advice marker keeps it addressed to the listener
        (
            "maybe/RB/advmod/4 then/RB/advmod/4 you/PRP/nsubj/4 have/VBP/ROOT/4 to/TO/aux/6 sand/VB/xcomp/4 it/PRP/dobj/6",
            False,
        ),
        ("then/RB/advmod/3 you/PRP/nsubj/3 should/MD/aux/3 sand/VB/ROOT/3 it/PRP/dobj/3", False),
        # no "then" / "so": a plain "you have to…" is left to the heads (often advice when the listener does the task)
        ("you/PRP/nsubj/1 have/VBP/ROOT/1 to/TO/aux/3 sand/VB/xcomp/1 the/DT/det/5 edges/NNS/dobj/3", False),
    ],
)
def test_generic_you(spec: str, generic: bool) -> None:
    assert generic_you(S(spec)) is generic


@pytest.mark.parametrize(
    ("spec", "narrates"),
    [
        ("and/CC/cc/3 then/RB/advmod/3 i/PRP/nsubj/3 copy/VBP/ROOT/3 it/PRP/dobj/3 over/RP/prt/3", True),  # a sequence
        ("she/PRP/nsubj/1 took/VBD/ROOT/1 the/DT/det/3 car/NN/dobj/1 ./././1", True),  # the past
        ("we/PRP/nsubj/1 took/VBD/ROOT/1 the/DT/det/3 car/NN/dobj/1 ./././1", False),  # "we" may include the listener
        ("you/PRP/nsubj/1 took/VBD/ROOT/1 the/DT/det/3 car/NN/dobj/1 ./././1", False),
        ("i/PRP/nsubj/1 copy/VBP/ROOT/1 it/PRP/dobj/1 ./././1", False),  # a plain present: no narration
        ("did/VBD/aux/2 she/PRP/nsubj/2 take/VB/ROOT/2 it/PRP/dobj/2 ?/./punct/2", False),  # a question
    ],
)
def test_narration(spec: str, narrates: bool) -> None:
    assert narration(S(spec)) is narrates


# -- the speaker's own neighbouring lines -------------------------------------------------------------------
GRAB = "grab/VB/ROOT/0 the/DT/det/2 rope/NN/dobj/0 ,/,/punct/0"
MHM = "mhm/UH/ROOT/0 ./././0"
ASK = "what/WP/dobj/2 did/VBD/aux/3 she/PRP/nsubj/3 do/VB/ROOT/3 ?/./punct/3"
THEN_I_OPEN = "and/CC/cc/3 then/RB/advmod/3 i/PRP/nsubj/3 open/VBP/ROOT/3 the/DT/det/5 folder/NN/dobj/3 ./././3"
CLICK = "click/VB/ROOT/0 the/DT/det/3 export/NN/compound/3 button/NN/dobj/0 ./././0"
MAYBE_CLICK = "maybe/RB/advmod/1 click/VB/ROOT/1 export/NN/dobj/1 ./././1"
THEN_IT_SAVES = "and/CC/cc/3 then/RB/advmod/3 it/PRP/nsubj/3 saves/VBZ/ROOT/3 the/DT/det/5 file/NN/dobj/3 ./././3"
IT_SAVES = "it/PRP/nsubj/1 saves/VBZ/ROOT/1 the/DT/det/3 file/NN/dobj/1 ./././1"


def _ctx(rows: list[tuple[str, list[str]]]) -> dict:
    return informal_context([who for who, _ in rows], [[S(x) for x in sents] for _, sents in rows])


def test_a_line_finishing_the_clause_left_open_is_no_imperative() -> None:
    assert _ctx([("a", [SHE_WILL_JUST]), ("a", [GRAB])]) == {(1, 0): "continued"}
    assert _ctx([("a", [THEY_HAVE_TO]), ("a", [LIKE]), ("a", [GRAB])]) == {(2, 0): "continued"}  # over a filler line
    assert _ctx([("a", [SHE_WILL_JUST]), ("b", [MHM]), ("a", [GRAB])]) == {(2, 0): "continued"}  # over a backchannel
    assert _ctx([("a", [SHE_WILL_JUST]), ("b", [ASK]), ("a", [GRAB])]) == {}  # the other person spoke: a new turn
    assert _ctx([("a", [YOU_SHOULD]), ("a", [GRAB])]) == {}  # "you should, | grab the rope": advice
    assert _ctx([("a", [FINISHED]), ("a", [GRAB])]) == {}


def test_an_imperative_step_inside_the_speakers_own_narration() -> None:
    assert _ctx([("a", [THEN_I_OPEN]), ("a", [CLICK]), ("a", [THEN_IT_SAVES])]) == {(1, 0): "narrated"}
    assert _ctx([("a", [THEN_I_OPEN, CLICK, THEN_IT_SAVES])]) == {(0, 1): "narrated"}  # one utterance, three sentences
    assert _ctx([("a", [THEN_I_OPEN]), ("a", [CLICK]), ("a", [IT_SAVES])]) == {}  # narration on one side only
    assert _ctx([("a", [THEN_I_OPEN]), ("a", [MAYBE_CLICK]), ("a", [THEN_IT_SAVES])]) == {}  # a suggestion
    assert _ctx([("a", [THEN_I_OPEN]), ("b", [CLICK]), ("a", [THEN_IT_SAVES])]) == {}  # the listener's own line


def test_extract_items_drops_those_recommendations_only() -> None:
    """Rules alone (no heads, no classifier): the imperative rule fires on both 'grab' lines; one is a continuation."""
    rows = [
        ("anna", "she'll just,"),
        ("anna", "grab the rope,"),
        ("boris", "what did she do?"),
        ("anna", "grab the rope,"),
    ]
    parsed = [[S(SHE_WILL_JUST)], [S(GRAB)], [S(ASK)], [S(GRAB)]]
    s = make_session(rows)
    items = extract_items(s, parsed, None, ExtractionConfig(classifier=None, dialogue_act_heads=None), DynamicsConfig())
    assert [r.utterance_id for r in items["recommendations"]] == ["u0004"]


I_CAN_WORK = "cause/IN/mark/3 i/PRP/nsubj/3 can/MD/aux/3 work/VB/ROOT/3 at/IN/prep/3 home/NN/pobj/4 ,/,/punct/3"
WE_WORK = "we/PRP/nsubj/1 work/VBP/ROOT/1 at/IN/prep/1 home/NN/pobj/2 ,/,/punct/1"
YOU_COULD_WORK = "you/PRP/nsubj/2 could/MD/aux/2 work/VB/ROOT/2 at/IN/prep/2 home/NN/pobj/3 ,/,/punct/2"
I_WORK_DONE = "i/PRP/nsubj/1 work/VBP/ROOT/1 at/IN/prep/1 home/NN/pobj/2 ./././1"
AND_LET = "and/CC/cc/1 let/VB/ROOT/1 you/PRP/nsubj/3 rest/VB/ccomp/1 ./././1"
LET = "let/VB/ROOT/0 you/PRP/nsubj/2 rest/VB/ccomp/0 ./././0"


@pytest.mark.parametrize(
    ("prev", "spec", "carried"),
    [
        (I_CAN_WORK, AND_LET, True),  # the speaker's own next act: "…at home, | and let you rest"
        (WE_WORK, AND_LET, False),  # "we" may include the listener: a joint suggestion stays possible
        (YOU_COULD_WORK, AND_LET, False),  # addressed to the listener
        (I_WORK_DONE, AND_LET, False),  # the line before was finished
        (I_CAN_WORK, LET, False),  # no "and": a new imperative
    ],
)
def test_continues_line(prev: str, spec: str, carried: bool) -> None:
    assert continues_line(S(prev), S(spec)) is carried

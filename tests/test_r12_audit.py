"""Round 12 (audit): the talk itself handled now marks an action item ``in_meeting``; closing, deferring and the
room's devices mark a recommendation ``procedure``; the audit script's counts and AUC.

Model-free: :func:`~sessionscope.analysis.extract.actions.in_meeting` reads text, and the recommendation's
procedure flag reads the text of a hand-parsed sentence (tags do not matter to it).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from sessionscope.analysis.extract.actions import in_meeting
from sessionscope.analysis.extract.recommendations import meeting_procedure
from test_extract_informal import S

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))


@pytest.mark.parametrize("text, move", [
    # the talk itself, now (the audited transcripts' kinds)
    ("so can I just recap uh Sarah ,", True),
    ("Let me summarise .", True),
    ("Rather , let me rephrase that .", True),
    ("I can attempt an answer. I follow entirely where you are going.", True),
    ("let me answer that.", True),
    ("Right I'm going to wrap it up there .", True),
    ("I'll go over what we decided last meeting ,", True),
    ("I'll go through there", True),
    ("I'll wait until you're all um hooked up .", True),
    ("m maybe I should write that down", True),
    ("So that means that I should switch to the other program .", True),
    # tasks for later stay tasks
    ("I should summarize the findings for my team", False),
    ("I'll sum up the results in a report", False),
    ("I'll answer that in my email", False),
    ("I'll answer your email tomorrow", False),
    ("I should answer the client", False),
    ("let me rephrase the proposal for the client", False),
    ("I will repeat the test", False),
    ("I'll wrap it up and send it next week", False),
    ("I'll wait for your feedback", False),
    ("Can I send you the draft by Friday?", False),
])
def test_in_meeting_talk_now(text: str, move: bool) -> None:
    assert in_meeting(text) is move


@pytest.mark.parametrize("spec, procedure", [
    ("Right/UH ,/, I/PRP think/VBP we/PRP have/VBP to/TO round/VB it/PRP up/RP ,/, um/UH {disfmarker}/NN", True),
    ("Okay/UH ,/, so/RB let/VB 's/PRP break/VB it/PRP up/RP there/RB ./.", True),
    ("and/CC we/PRP 'll/MD come/VB back/RB to/IN that/DT ./.", True),
    ("let/VB 's/PRP come/VB back/RB to/IN it/PRP later/RB ./.", True),
    ("Or/CC ,/, maybe/RB move/VB the/DT laptop/NN over/RP ./.", True),
    ("We/PRP can/MD leave/VB the/DT P_C_/NN on/RP ./.", True),
    # advice that sounds alike stays advice
    ("You/PRP should/MD break/VB it/PRP up/RP into/IN smaller/JJR tasks/NNS ./.", False),
    ("Let/VB 's/PRP break/VB the/DT project/NN up/RP into/IN phases/NNS ./.", False),
    ("We/PRP 'll/MD come/VB back/RB to/IN that/DT issue/NN next/JJ week/NN with/IN data/NNS ./.", False),
    ("You/PRP could/MD get/VB your/PRP$ laptop/NN upgraded/VBN ./.", False),
])
def test_procedure_closing_deferring_devices(spec: str, procedure: bool) -> None:
    assert meeting_procedure(S(spec)) is procedure


def test_audit_auc_and_tally() -> None:
    import audit_r12_audit as a

    assert a.auc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert a.auc([0.1], [0.9]) == 0.0
    assert a.auc([0.5], [0.5]) == 0.5
    assert a.auc([], [0.5]) is None
    rows = [{"label": "ok"}, {"label": "description"}, {"label": None}, {"label": "ok"}]
    t = a.tally(rows)
    assert (t["listed"], t["labelled"], t["right"], t["share_right"]) == (4, 3, 2, 0.667)
    assert t["by_label"] == {"ok": 2, "description": 1}


@pytest.mark.parametrize("text, opened", [
    ("and said I want to see him,", True),
    ("saying I'm gonna", True),
    ("and he says I really love ~Lauren,", True),
    ("she goes come on,", True),
    ("my brother says you should apply,", True),
    # a report of what was said, a finished line, the speaker's own words, a marker
    ("he said that it was fine,", False),
    ("he said so.", False),
    ("they said the deadline moved", False),
    ("and I said fine,", False),
    ("he told me to call you.", False),
    ("like he said,", False),
    ("and it went well,", False),
])
def test_quote_opened(text: str, opened: bool) -> None:
    from sessionscope.analysis.extract.rules import quote_opened

    assert quote_opened(text) is opened


def test_quote_opened_covers_the_speakers_next_lines_only() -> None:
    from sessionscope.analysis.extract.rules import quoted_by_frame

    lines = ["And he was standing outside the house,", "saying I'm gonna", "I'm gonna kill myself,",
             "if you don't talk to me,", "and then the police came.", "Call them next time."]
    speakers = ["a", "a", "a", "a", "a", "b"]
    parsed = [[S(" ".join(f"{w}/NN" for w in line.split()))] for line in lines]
    assert quoted_by_frame(speakers, parsed) == {(2, 0), (3, 0)}
    # another speaker's line ends the quote
    assert quoted_by_frame(["a", "a", "b", "a", "a", "a"], parsed) == set()

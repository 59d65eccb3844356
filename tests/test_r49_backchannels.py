"""Round 49: backchannels as other transcripts spell them; the answer head keeps the list it was trained with."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import make_session
from sessionscope.analysis.dynamics import compute_metrics
from sessionscope.analysis.questions import ANSWER_HEAD_BACKCHANNELS, AnswerHead, spoken_backchannel
from sessionscope.config import DynamicsConfig


@pytest.mark.parametrize("text", ["Uh huh.", "uhhuh .", "Mhmm.", "Mmhmm.", "Mm-mm.", "Hm-hmm.", "Alright.", "All right.",
                                  "Uh-huh, yeah."])
def test_spellings_of_backchannels_are_backchannels(text: str) -> None:
    assert spoken_backchannel(text, DynamicsConfig().backchannels)


@pytest.mark.parametrize("text", ["All right, so the budget is fixed.", "Huh?", "Right, and then what?"])
def test_more_than_a_backchannel_is_not_one(text: str) -> None:
    assert not spoken_backchannel(text, DynamicsConfig().backchannels)


def test_an_uh_huh_under_a_speaker_takes_no_floor() -> None:
    s = make_session([("ann", 0.0, 6.0, "So the plan is to ship the beta next week and then collect feedback."),
                      ("bob", 3.0, 3.5, "Uh huh."),
                      ("ann", 6.2, 9.0, "And the survey goes out on Friday.")])
    m = compute_metrics(s, DynamicsConfig())
    assert m.participants["bob"]["turns"] == 0 and m.participants["bob"]["backchannels"] == 1
    assert m.session["turns"] == 1


def test_the_answer_head_reads_replies_with_its_training_list() -> None:
    head = AnswerHead(weights=np.zeros(4), bias=0.0, threshold=0.5)
    assert head.backchannels == ANSWER_HEAD_BACKCHANNELS  # the bundled head names none: the rounds 15-48 default
    assert "uhhuh" not in head.backchannels and "uhhuh" in DynamicsConfig().backchannels
    assert set(ANSWER_HEAD_BACKCHANNELS) <= set(DynamicsConfig().backchannels)
    named = AnswerHead(weights=np.zeros(4), bias=0.0, threshold=0.5, meta={"backchannels": ["yeah", "uhhuh"]})
    assert named.backchannels == ("yeah", "uhhuh")

"""Round 11 (questions): the speaker's question rate for the bare weights; the AMI error kinds."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from sessionscope.analysis.questions import (
    NO_CONTEXT,
    context_features,
    question_feature_ids,
    speaker_features,
    stream_contexts,
)

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _speaker_feats(texts: list[str], speakers: list[str], k: int, *, punctuated: bool = False) -> list[str]:
    ctx = stream_contexts(texts, speakers)[k]
    return [f for f in context_features(texts[k], ctx, punctuated=punctuated) if f.startswith("S:")]


def test_the_speaker_rate_counts_the_speakers_other_sentences_only():
    texts = ["do you like it", "i think so", "so you sent it", "yeah", "what is the plan", "the plan is fine"]
    speakers = ["a", "b", "a", "b", "a", "b"]
    ctxs = stream_contexts(texts, speakers)
    assert ctxs[2].speaker_asks == pytest.approx(1.0)  # a's two other sentences both open as questions
    assert ctxs[0].speaker_asks == pytest.approx(0.5)  # its own inversion is left out: 1 of the 2 others
    assert ctxs[1].speaker_asks == 0.0 and ctxs[2].stream_asks == pytest.approx(2 / 6)
    assert stream_contexts(["so you sent it"], ["a"])[0].speaker_asks == 0.0  # alone: nothing else to count


def test_speaker_features_read_bare_text_in_a_transcript_only():
    texts = ["do you like it", "i think so", "so you sent it", "yeah", "what is the plan", "the plan is fine"]
    speakers = ["a", "b", "a", "b", "a", "b"]
    asker = _speaker_feats(texts, speakers, 2)
    assert "S:qs=3:shape=DECL:len=4" in asker and "S:rel=hi:shape=DECL" in asker
    other = _speaker_feats(texts, speakers, 5)
    assert "S:qs=0:shape=DECL:len=4" in other and "S:rel=lo:shape=DECL" in other  # b never asks
    assert _speaker_feats(texts, speakers, 2, punctuated=True) == []  # the punctuated weights do not read it
    assert speaker_features(["so", "you", "sent", "it"], "DECL", NO_CONTEXT) == []  # a lone sentence: no transcript
    # the features change the hashed ids the bare head scores
    ctx = stream_contexts(texts, speakers)[2]
    quiet = replace(ctx, speaker_asks=0.0)
    assert question_feature_ids(texts[2], ctx, punctuated=False) != question_feature_ids(texts[2], quiet, punctuated=False)
    assert question_feature_ids(texts[2], ctx, punctuated=True) == question_feature_ids(texts[2], quiet, punctuated=True)


@pytest.fixture(scope="module")
def ami_errors():
    sys.path.insert(0, str(BENCH))
    try:
        import question_ami_errors_r11_questions as mod
    finally:
        sys.path.remove(str(BENCH))
    return mod


def test_ami_error_kinds_by_form_and_neighbours(ami_errors):
    from dialogue_acts import Act  # on the path through the benchmark module's import

    assert ami_errors.form_kind("Would you like to make any comments?") == "inversion_start"
    assert ami_errors.form_kind("What?") == "repeat_request" and ami_errors.form_kind("Sorry?") == "repeat_request"
    assert ami_errors.form_kind("It's not recorded, is it?") == "tag"
    assert ami_errors.form_kind("A or B?") == "or_question"
    assert ami_errors.form_kind("So the keywords are primary colours, spongey?") == "statement_form"
    assert ami_errors.elicit_cue("Um any questions well, just let me know.") == "any_questions_ideas"
    assert ami_errors.elicit_cue("I was just wondering if that's normal") == "wondering"
    assert ami_errors.elicit_cue("It would cost more than plastic.") is None

    def act(k: int, speaker: str, text: str, label: str) -> Act:
        return Act(corpus="ami", meeting="X", split="train", index=k, id=str(k), speaker=speaker, start=k, end=k + 1,
                   text=text, label=label, addressee=None, responder=None, question=label.startswith("el."),
                   question_with_qh=label.startswith("el."), recommendation=False, action=False)

    acts = [act(0, "A", "What do we scrap.", "el.sug"), act(1, "B", "Rubber.", "inf"),
            act(2, "A", "Do you like", "el.inf"), act(3, "A", "the colour", "el.inf"),
            act(4, "B", "I'd appreciate anyone's input,", "el.ass"), act(5, "B", "any ideas?", "el.ass"),
            act(6, "A", "It would cost more than plastic.", "el.inf")]
    assert ami_errors.miss_kind(acts, 0) == "question_form_without_?:."
    assert ami_errors.miss_kind(acts, 3) == "continues_an_elicitation"
    assert ami_errors.miss_kind(acts, 4) == "opens_an_elicitation_ended_later"
    assert ami_errors.miss_kind(acts, 6) == "statement_5plus_words"

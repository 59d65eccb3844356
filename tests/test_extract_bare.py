"""Bare utterances (no punctuation, no capitals) read for recommendations and action items (no models: fake parser)."""

from __future__ import annotations

import pytest

from sessionscope.analysis.extract import bare
from sessionscope.language import nlp


def test_is_bare_wants_no_mark_no_capital_and_latin_text():
    assert bare.is_bare("okay so i'll send the slides tomorrow")
    assert not bare.is_bare("okay so I'll send the slides tomorrow")  # a capital: written by a transcriber
    assert not bare.is_bare("okay so i'll send the slides tomorrow.")
    assert not bare.is_bare("ну давай я пришлю слайды завтра")
    assert not bare.is_bare("   ")
    assert not bare.is_bare("but what i can ==") and not bare.is_bare("i- -")  # cut off


def test_i_case_writes_the_pronoun_only_and_keeps_the_length():
    text = "i think i'll do it if i'm free and i've time hi iii it's i"
    out = bare.i_case(text)
    assert out == "I think I'll do it if I'm free and I've time hi iii it's I"
    assert len(out) == len(text)
    assert bare.i_case("i'd say ipad") == "I'd say ipad"


def test_advice_cuts_before_advice_and_task_starts_with_their_linking_words():
    words = "okay that looks fine so um you should try the red one and i'll send it tomorrow".split()
    cuts = bare.advice_cuts(words)
    assert [" ".join(words[a:b]) for a, b in zip([0, *cuts], [*cuts, len(words)], strict=True)] == [
        "okay that looks fine", "so um you should try the red one", "and i'll send it tomorrow"]


def test_advice_cuts_leave_embedded_starts_and_short_sides_alone():
    assert bare.advice_cuts("she said that we should go home now".split()) == []  # embedded ("that we should")
    assert bare.advice_cuts("i think we should go".split()) == []  # "i think" goes with the advice; nothing before
    assert bare.advice_cuts("yes let's".split()) == []  # one word after the cut
    assert bare.advice_cuts("the plan why don't we meet on monday".split()) == [2]


def test_clause_spans_are_character_spans_of_the_text():
    text = "right  the budget is tight let's keep the rubber case  why don't you ask marketing"
    spans = bare.clause_spans(text, "advice")
    assert [text[a:b] for a, b in spans] == ["right  the budget is tight", "let's keep the rubber case",
                                             "why don't you ask marketing"]
    assert bare.clause_spans(text, "off") == [(0, len(text))]
    assert bare.clause_spans("let's go now", "advice") == [(0, 12)]  # under CUT_MIN_WORDS: not cut


class _NoCutter:
    cut_weights = None  # a question head without the learned cutter: the rule cuts only


def test_clause_spans_question_and_both():
    text = "the remote is done and i'll send it tomorrow but can you check the colours"
    q = bare.clause_spans(text, "question", head=_NoCutter())
    assert [text[a:b] for a, b in q] == ["the remote is done and i'll send it tomorrow but", "can you check the colours"]
    both = bare.clause_spans(text, "both", head=_NoCutter())
    assert [text[a:b] for a, b in both] == ["the remote is done", "and i'll send it tomorrow but",
                                            "can you check the colours"]


def test_parse_utterances_reads_bare_utterances_clause_by_clause(fake_parser, monkeypatch):
    monkeypatch.setattr(bare, "CUT_RULE", "advice")
    texts = ["You should try it. Really.", "okay the board is ready i'll send it to you tomorrow", ""]
    got = bare.parse_utterances(texts, language="en")
    assert [[s.text for s in sents] for sents in got] == [
        ["You should try it.", "Really."], ["okay the board is ready", "I'll send it to you tomorrow"], []]
    for text, sents in zip(texts, got, strict=True):  # spans in the utterance's own text
        assert all(text[s.start_char:s.end_char].casefold() == s.text.casefold() for s in sents)


def test_parse_utterances_is_parse_texts_on_punctuated_text_and_with_the_step_off(fake_parser, monkeypatch):
    texts = ["You should try it. Really.", "I will."]
    assert bare.parse_utterances(texts, language="en") == nlp.parse_texts(texts, language="en")
    monkeypatch.setattr(bare, "I_CASE", False)
    bare_texts = ["okay i'll send it to you tomorrow"]
    assert bare.parse_pieces(bare_texts, language="en") is None
    assert bare.parse_utterances(bare_texts, language="en") == nlp.parse_texts(bare_texts, language="en")
    monkeypatch.setattr(bare, "I_CASE", True)
    assert bare.parse_pieces(bare_texts, language="en") == [(0, 0, "okay I'll send it to you tomorrow")]
    assert bare.parse_pieces(bare_texts, language="ru") is None


def test_pipeline_prefetches_the_parse_of_the_pieces_the_stage_uses(fake_parser, monkeypatch):
    from helpers import make_session
    from sessionscope import pipeline
    from sessionscope.analysis.extract import stage as extract_stage

    seen = []
    monkeypatch.setattr(bare, "CUT_RULE", "advice")  # no weights file read here
    monkeypatch.setattr(extract_stage.ExtractionStage, "probabilities", lambda self, parsed: None)
    monkeypatch.setattr(extract_stage.ExtractionStage, "head_logits", lambda self, session, parsed: None)
    monkeypatch.setattr(extract_stage, "extract_items",
                        lambda session, parsed, *a, **k: seen.append(parsed) or
                        {"recommendations": (), "action_items": (), "questions": (), "problems": ()})
    session = make_session([("a", 0, 1, "so i'll try it later"), ("b", 1, 2, "Fine.")], language="en")
    started = []
    monkeypatch.setattr(nlp, "prefetch_parse", lambda texts, language=None: started.append(list(texts)))
    out = pipeline.run_stages(session, [extract_stage.ExtractionStage()])
    assert out.provenance.outcome("extraction").status == "ok"
    assert started == [["so I'll try it later", "Fine."]]  # what parse_utterances parses, not the utterance texts
    assert [[s.text for s in sents] for sents in seen[-1]] == [["so I'll try it later"], ["Fine."]]


def _bench_act(i: int, start: float | None, text: str, speaker: str = "a", **gold: bool):
    from dialogue_acts import Act

    return Act(corpus="x", meeting="m", split="heldout", index=i, id=f"m.{i}", speaker=speaker, start=start, end=None,
               text=text, label="", addressee=None, responder=None, question=False, question_with_qh=False,
               recommendation=gold.get("recommendation", False), action=gold.get("action", False))


@pytest.fixture()
def bench(monkeypatch):
    from pathlib import Path

    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1] / "benchmarks"))


def test_dialogue_acts_eval_full_run_conditions(bench):
    import argparse

    from dialogue_acts_eval import apply_conditions

    acts = {"m": [_bench_act(i, 10.0 * i, f"You should try {i}. Okay?") for i in range(9)]}
    ns = argparse.Namespace(qmark_as_period=None, bare_stretches=None, bare=True, seed=0, stretch_s=30.0)
    info = apply_conditions(acts, ns)
    assert info == {"acts_bare": 9} and all(a.text == f"you should try {a.index} okay" for a in acts["m"])
    acts = {"m": [_bench_act(i, 10.0 * i, f"You should try {i}.") for i in range(9)]}
    info = apply_conditions(acts, argparse.Namespace(qmark_as_period=None, bare_stretches=1.0, bare=False, seed=0,
                                                     stretch_s=30.0))
    assert info == {"chunks_bare": 3, "chunks": 3, "acts_bare": 9}


def test_r28_recbare_units_merge_a_speakers_bare_acts_and_map_items_back(bench):
    from r28_recbare import _act_at, units_of

    acts = [_bench_act(0, 0.0, "so the board is ready"), _bench_act(1, 2.0, "i'll send it", action=True),
            _bench_act(2, 4.0, "fine", speaker="b"), _bench_act(3, 40.0, "ok then", speaker="b"),
            _bench_act(4, 41.0, "next one", speaker="b")]
    ids = {"m.0", "m.1", "m.2", "m.4"}  # m.3 is not bare: m.4 stays apart
    units = units_of(acts, ids, merge=True)
    assert [(u.text, [a.id for a, _, _ in u.parts]) for u in units] == [
        ("so the board is ready i'll send it", ["m.0", "m.1"]), ("fine", ["m.2"]), ("ok then", ["m.3"]),
        ("next one", ["m.4"])]
    u = units[0]
    assert _act_at(u, u.text.index("i'll")).id == "m.1" and _act_at(u, 0).id == "m.0" and _act_at(u, None).id == "m.0"
    assert len(units_of(acts, ids, merge=False)) == 5


def test_act_cutter_cuts_where_its_score_passes_the_threshold(tmp_path):
    import json

    import numpy as np

    from sessionscope.analysis.questions import CUT_FEATURES_VERSION, CUT_HASH_BITS, cut_feature_ids
    from sessionscope.errors import ModelError

    words = "the remote is done we can go".split()
    w = np.zeros(1 << CUT_HASH_BITS, dtype=np.float32)
    w[cut_feature_ids(words, 4)] = 5.0  # every feature of the gap before "we"
    path = tmp_path / "act_cutter.npz"
    meta = {"features_version": CUT_FEATURES_VERSION, "threshold": 0.5}
    np.savez_compressed(path, weights=w.astype(np.float16), bias=np.float32(-3.0), meta=np.array(json.dumps(meta)))
    cutter = bare.load_act_cutter(path)
    assert cutter.cuts(words) == [4]
    np.savez_compressed(path, weights=w[:10], bias=np.float32(0.0), meta=np.array(json.dumps(meta)))
    with pytest.raises(ModelError):
        bare.load_act_cutter(path)


def test_clause_spans_act_rule_without_a_cutter_is_the_advice_rule(monkeypatch):
    monkeypatch.setattr(bare, "act_cutter", lambda: None)
    text = "right the budget is tight let's keep the rubber case"
    assert bare.clause_spans(text, "act") == bare.clause_spans(text, "advice")

"""The background parse the pipeline starts for the extraction stage (no models: the parser is a fake)."""

from __future__ import annotations

import threading

from helpers import make_session
from sessionscope.language import nlp


def test_prefetched_parse_is_collected_once_and_equals_a_direct_parse(fake_parser):
    texts = ["I will send it. Okay?", "Try the new board.", ""]
    nlp.prefetch_parse(texts, language="en")
    got = nlp.parse_texts(texts, language="en")
    assert [name for _, name in fake_parser] == ["sessionscope-parse"]
    assert not nlp._PREFETCHED  # collected: the next call parses again
    again = nlp.parse_texts(texts, language="en")
    assert got == again and len(fake_parser) == 2 and fake_parser[1][1] == threading.current_thread().name
    assert [[s.text for s in sents] for sents in got] == [["I will send it.", "Okay?"], ["Try the new board."], []]


def test_a_call_with_other_texts_or_language_does_not_take_the_prefetched_result(fake_parser):
    nlp.prefetch_parse(["one text"], language="en")
    assert nlp.parse_texts(["another text"], language="en")[0][0].text == "another text"
    assert nlp.parse_texts(["one text"], language=None)[0][0].text == "one text"
    assert len(nlp._PREFETCHED) == 1  # still waiting for its own caller
    assert nlp.parse_texts(["one text"], language="en")[0][0].text == "one text"
    assert not nlp._PREFETCHED


def test_at_most_two_prefetches_wait(fake_parser):
    for i in range(4):
        nlp.prefetch_parse([f"text {i}"], language="en")
    assert list(nlp._PREFETCHED) == [(("text 2",), "en"), (("text 3",), "en")]


def test_a_failed_background_parse_is_parsed_again_in_the_callers_thread(fake_parser, monkeypatch):
    real = nlp._parse_en

    def flaky(items):
        if threading.current_thread().name == "sessionscope-parse":
            raise RuntimeError("boom")
        return real(items)

    monkeypatch.setattr(nlp, "_parse_en", flaky)
    nlp.prefetch_parse(["a text"], language="en")
    assert nlp.parse_texts(["a text"], language="en")[0][0].text == "a text"
    assert [name for _, name in fake_parser] == [threading.current_thread().name]


def test_pipeline_prefetches_exactly_what_the_extraction_stage_parses(fake_parser, monkeypatch):
    """The stage's own ``parse_texts`` call must be served by the pipeline's prefetch (else no overlap)."""
    from sessionscope import pipeline
    from sessionscope.analysis.extract import stage as extract_stage

    seen = []
    monkeypatch.setattr(extract_stage.ExtractionStage, "probabilities", lambda self, parsed: None)
    monkeypatch.setattr(extract_stage.ExtractionStage, "head_logits", lambda self, session, parsed: None)
    monkeypatch.setattr(extract_stage, "extract_items",
                        lambda session, parsed, *a, **k: seen.append(parsed) or
                        {"recommendations": (), "action_items": (), "questions": (), "problems": ()})
    for language in ("en", None):
        fake_parser.clear()
        session = make_session([("a", 0, 1, "You should try it. Really."), ("b", 1, 2, "I will.")], language=language)
        out = pipeline.run_stages(session, [extract_stage.ExtractionStage()])
        assert out.provenance.outcome("extraction").status == "ok"
        assert [name for _, name in fake_parser] == ["sessionscope-parse"], language
        assert [[s.text for s in sents] for sents in seen[-1]] == [["You should try it.", "Really."], ["I will."]]
        assert not nlp._PREFETCHED


def test_pipeline_does_not_prefetch_without_the_extraction_stage(fake_parser):
    from sessionscope import pipeline
    from sessionscope.analysis.dynamics import DynamicsStage

    pipeline.run_stages(make_session([("a", 0, 1, "hi there"), ("b", 1, 2, "yes")]), [DynamicsStage()])
    assert not nlp._PREFETCHED and not fake_parser

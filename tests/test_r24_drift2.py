"""Round 24 (drift2): the drift chunks are decoded again inside the batched pass, from the same encoder output, and a
second decoding one word short is kept only where two first-pass words were written as one (a merge).

Model-free: the merge rule, the acceptance rule, the second decoding of one batch with a fake model and tokenizer
(which rows of the encoder output are decoded again, with which prompt, what is kept), and the patching of the
pipeline."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from sessionscope.audio.asr import (
    REPUNCT_PROMPTS,
    accept_redecode,
    is_drift,
    merged_words,
    norm_words,
    redecode_drift,
    redecoding_drift,
    repeated_sentences,
)


# -- merges --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("old, new, merges", [
    ("die and they say in all our blood", "Diane, they say, in all our blood.", 1),        # dev_r19/dev01
    ("towards the speak good Margaret", "towards the speaker. Margaret!", 1),               # dev02 with babble
    ("не зимой векути и в Москве", "Неземой в Екутии. В Москве.", 1),                       # ru-join-r21
    ("the cat sat on the mat", "Cat sat on the mat.", 0),                                   # a word dropped
    ("we saw a big red dog there", "We saw a cow dog there.", 0),                           # two words, one unlike
    ("we saw a big red dog there", "We saw a dog there.", 0),                               # two words dropped
    ("it is very good indeed", "It's very good, indeed.", 1),                               # 'it is' -> "it's"
    ("so how was your week", "So, how was your week?", 0),                                  # nothing lost
])
def test_a_merge_is_two_first_pass_words_written_as_one_like_word(old: str, new: str, merges: int) -> None:
    assert merged_words(norm_words(old), norm_words(new)) == merges


def test_a_stretch_two_words_shorter_holds_no_merge_even_with_a_like_word() -> None:
    old, new = norm_words("die and they say so"), norm_words("Diane say.")
    assert merged_words(old, new) == 0  # 'die and they' -> 'diane': two words fewer in one stretch


def test_repeated_sentences_are_whole_sentences_of_four_words_or_more_seen_twice() -> None:
    text = ("You don't mean that you thought me so silly. I really love that. You don't mean that you thought me so "
            "silly! Yes. Yes. No way, no way.")
    assert repeated_sentences(text) == {("you", "don't", "mean", "that", "you", "thought", "me", "so", "silly")}
    # a repetition the first pass had too is not held against the second decoding
    old = "i said it was fine i said it was fine and then we left"
    assert accept_redecode(old, "I said it was fine. I said it was fine. And then we left.", REPUNCT_PROMPTS["en"]) == ""
    assert accept_redecode("you don't mean that you thought me so silly",
                           "You don't mean that you thought me so silly. I really love that. You don't mean that you "
                           "thought me so silly.", REPUNCT_PROMPTS["en"]).startswith("repeats")


def test_norm_words_and_drift() -> None:
    assert norm_words("Всё, ёж! It's OK.") == ["все", "еж", "it's", "ok"]
    assert is_drift("and then we went to the shop and bought")
    assert not is_drift("and then we went to the shop and bought.")
    assert not is_drift("only seven words here and no marks")
    assert not is_drift("and then we went… to the shop and bought bread")
    # a repetition loop is counted as the hallucination filter delivers it (30 s of babble alone, round 24)
    assert not is_drift("The last question, the last question, the last question, the last question,")
    assert is_drift("we said the last question, the last question, the last question, and then we left it")


# -- the acceptance rule -------------------------------------------------------------------------------------------
OLD = "so how was your week it was fine we finished the report"  # 12 words


@pytest.mark.parametrize("new, verdict", [
    ("So, how was your week? It was fine. We finished the report.", ""),
    ("So, how was your week? It was fine. We finished report.", "words 12 -> 11 (0 merged)"),   # a word lost
    ("So, how was your week? It was fine. We finish the report.", ""),                         # a word changed
    ("So, how was your week? It was fine. Wefinished the report.", ""),                        # a merge
    ("So, how was your week? It was fine. We finished.", "words 12 -> 10"),
    ("so how was your week it was fine we finished the report", "still no sentence mark"),
    ("Hello, how are you? So, how was your week? It was fine. We finished the report.", "prompt words"),
    ("So, how was your week? Fine, thanks, it was fine. We finished the report.", "prompt words fine thanks"),
    ("So, how was your week? It was fine. It was fine. It was fine. We finished.", "words 12 -> 10"),  # loop counted once
    ("So, how was your week? It was fine. We finished the report. So, how was your week?", "repeats so how was your"),
])
def test_a_second_decoding_is_kept_only_punctuated_without_lost_words_or_prompt_words(new: str, verdict: str) -> None:
    why = accept_redecode(OLD, new, REPUNCT_PROMPTS["en"])
    assert why.startswith(verdict) if verdict else why == ""


# -- one batch decoded again, with a fake model ---------------------------------------------------------------------
class Tok:
    """A tokenizer whose tokens are indices into a word list (a token per word, with its leading space)."""

    def __init__(self, language: str = "en"):
        self.language_code = language
        self.vocab: list[str] = []

    def encode(self, text: str) -> list[int]:
        out = []
        for w in text.split(" ")[1:] if text.startswith(" ") else text.split(" "):
            if f" {w}" not in self.vocab:
                self.vocab.append(f" {w}")
            out.append(self.vocab.index(f" {w}"))
        return out

    def decode(self, tokens: list[int]) -> str:
        return "".join(self.vocab[t] for t in tokens)


class Model:
    """``WhisperModel``-like: ``get_prompt``, ``encode`` and ``model.generate`` answering per encoder row."""

    max_length = 448

    def __init__(self, answers: dict[float, str], tok: Tok):
        self.answers, self.tok = answers, tok
        self.calls: list[dict[str, Any]] = []
        self.model = SimpleNamespace(generate=self.generate)

    def get_prompt(self, tokenizer: Tok, previous_tokens: list[int], without_timestamps: bool = False,
                   prefix: Any = None, hotwords: Any = None) -> list[int]:
        return [-1, *previous_tokens, -2]  # <|startofprev|> prompt <|startoftranscript|> ...

    def encode(self, features: np.ndarray) -> Any:
        import ctranslate2

        return ctranslate2.StorageView.from_array(np.ascontiguousarray(features[:, :1, :2]))

    def generate(self, encoded: Any, prompts: list[list[int]], **kw: Any) -> list[Any]:
        rows = np.asarray(encoded)
        self.calls.append({"rows": rows[:, 0, 0].tolist(), "prompts": prompts, **kw})
        return [SimpleNamespace(sequences_ids=[self.tok.encode(" " + self.answers[float(r)])], scores=[-0.5],
                                no_speech_prob=0.01) for r in rows[:, 0, 0]]


def options(**kw: Any) -> Any:
    base = dict(multilingual=False, without_timestamps=True, hotwords=None, max_new_tokens=None, beam_size=5,
                patience=1, length_penalty=1, suppress_blank=True, suppress_tokens=[-1], temperatures=[0.0],
                repetition_penalty=1, no_repeat_ngram_size=0)
    return SimpleNamespace(**{**base, **kw})


def batch(texts: list[str], answers: dict[float, str], language: str = "en") -> tuple[Model, Tok, Any, list[Any]]:

    tok = Tok(language)
    model = Model(answers, tok)
    feats = np.zeros((len(texts), 80, 3000), np.float32)
    feats[:, 0, 0] = np.arange(len(texts))  # each row names its chunk
    encoder_output = model.encode(feats)
    output = [{"avg_logprob": -0.2, "no_speech_prob": 0.02, "tokens": tok.encode(" " + t)} for t in texts]
    return model, tok, (encoder_output, feats), output


def test_only_drift_chunks_are_decoded_again_from_their_own_encoder_rows_with_the_prompt() -> None:
    texts = ["Hello there. We begin.", "die and they say in all our blood and a grain or two perhaps is good",
             "All fine here.", "we went to the shop and we bought some bread"]
    model, tok, (enc, feats), output = batch(texts, {1.0: "Diane, they say, in all our blood, and a grain or two "
                                                          "perhaps is good.",
                                                     3.0: "We went to the shop. And bought some bread."})
    kept: set[tuple[int, ...]] = set()
    out = redecode_drift(model, enc, feats, output, tok, options(), kept=kept)
    call = model.calls[0]
    assert call["rows"] == [1.0, 3.0] and call["beam_size"] == 5  # the drift chunks only, the batch's beam
    assert all(tok.decode(p[1:-1]) == " " + REPUNCT_PROMPTS["en"] for p in call["prompts"])
    assert [tok.decode(o["tokens"]).strip() for o in out] == [
        "Hello there. We begin.", "Diane, they say, in all our blood, and a grain or two perhaps is good.",
        "All fine here.", "we went to the shop and we bought some bread"]  # chunk 3 lost 'we': first pass kept
    assert out[0] is output[0] and out[3] is output[3] and kept == {tuple(out[1]["tokens"])}
    assert out[1]["avg_logprob"] == pytest.approx(-0.5 * 15 / 16) and out[1]["no_speech_prob"] == 0.01


def test_no_second_decoding_without_drift_or_prompt_or_with_per_chunk_languages() -> None:
    texts = ["die and they say in all our blood and a grain or two perhaps is good"]
    for lang, opts in (("de", options()), ("en", options(multilingual=True))):
        model, tok, (enc, feats), output = batch(texts, {}, language=lang)
        assert redecode_drift(model, enc, feats, output, tok, opts, kept=set()) is output and model.calls == []
    model, tok, (enc, feats), output = batch(["Hello there. We begin.", "Fine."], {})
    assert redecode_drift(model, enc, feats, output, tok, options(), kept=set()) is output and model.calls == []


def test_the_second_decoding_may_use_its_own_beam() -> None:
    texts = ["we went to the shop and we bought some bread"]
    model, tok, (enc, feats), output = batch(texts, {0.0: "We went to the shop, and we bought some bread."})
    out = redecode_drift(model, enc, feats, output, tok, options(), kept=set(), beam_size=1)
    assert model.calls[0]["beam_size"] == 1 and model.calls[0]["rows"] == [0.0]
    assert tok.decode(out[0]["tokens"]).strip() == "We went to the shop, and we bought some bread."


def test_the_pipeline_is_patched_only_inside_and_only_when_on() -> None:
    class Pipe:
        def __init__(self) -> None:
            self.model = None

        def generate_segment_batched(self, features: Any, tokenizer: Any, options: Any) -> tuple[Any, list[Any]]:
            return "encoded", [{"tokens": [0]}]

    pipe = Pipe()
    with redecoding_drift(pipe, on=False) as kept:
        assert "generate_segment_batched" not in vars(pipe) and kept == set()
    with redecoding_drift(pipe) as kept:
        assert "generate_segment_batched" in vars(pipe)
        tok = Tok("de")  # no prompt: the batch passes unchanged
        tok.encode("x")
        assert pipe.generate_segment_batched(None, tok, options()) == ("encoded", [{"tokens": [0]}])
    assert "generate_segment_batched" not in vars(pipe)
    bare = SimpleNamespace(model=None)  # a pipeline without the method: nothing patched, no error
    with redecoding_drift(bare) as kept:
        assert vars(bare) == {"model": None} and kept == set()


def test_on_another_device_the_drift_chunks_features_are_encoded_again() -> None:
    texts = ["Hello there. We begin.", "we went to the shop and we bought some bread"]
    model, tok, (_, feats), output = batch(texts, {1.0: "We went to the shop, and we bought some bread."})
    encoded: list[np.ndarray] = []
    encode = model.encode

    def encode_rec(features: np.ndarray) -> Any:
        encoded.append(features)
        return encode(features)

    model.encode = encode_rec  # type: ignore[method-assign]
    gpu = SimpleNamespace(device="cuda")  # not readable from here: the rows cannot be picked out of it
    out = redecode_drift(model, gpu, feats, output, tok, options(), kept=set())
    assert len(encoded) == 1 and encoded[0][:, 0, 0].tolist() == [1.0] and model.calls[0]["rows"] == [1.0]
    assert tok.decode(out[1]["tokens"]).strip() == "We went to the shop, and we bought some bread."

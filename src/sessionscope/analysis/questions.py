"""Question detection (English and Russian) and answer attribution.

Shared by the dynamics (``questions_asked`` / ``questions_answered``) and by the
extraction stage (``Question`` items), so that the two always agree.

Questions are found by the trained question head (:class:`QuestionHead`, learned on the
ICSI MRDA and AMI meetings, model-free so the dynamics can use it at no cost): a logistic
regression over hashed features of each sentence — its words after speech disfluencies
are cleaned (first and last words, unigrams, bigrams), its word order in classes
(interrogative word, auxiliary + subject inversion at any clause start, «ли», "or not"),
reported-question cues — and of its dialogue context (the previous sentence and the next
two: same speaker or another, how the next speaker starts: "yes", "no", a number, a
counter-question…; and the sentence's own first and last words crossed with that reply and with
the previous sentence's form, :func:`answer_features`). It has one weight set for punctuated transcripts (where a missing
``?`` is itself evidence) and one for bare text (speech recognition without punctuation,
no capitals), chosen per transcript (:func:`transcript_punctuated`), each calibrated on
held-out meetings; every question carries the calibrated probability as its confidence. In a
punctuated transcript a complete inverted sentence without any mark ("Do you use Notion") is read
as unpunctuated text (:func:`unmarked_inversion`). In a punctuated transcript whose "?" is unreliable
(:func:`qmark_unreliable`: most of its strongly question-shaped sentences end with "." — a recogniser that writes
questions so, or punctuation that marks falling intonation) every English sentence ending with "." is decided by the
bare weights (:func:`period_candidates`; round 28, held-out train meetings with every "?" of a gold question made ".":
F1 MRDA 0.079 → 0.673, AMI 0.207 → 0.592; half of them, mean of three draws: 0.656 → 0.772, 0.524 → 0.605; as
transcribed and bare unchanged; ``benchmarks/r28_period.py``). In a punctuated transcript an English utterance of four
words or more with no mark and no capital at all (a stretch the recogniser wrote bare) is cut and decided as bare text
(:func:`unmarked_utterances`; round 28, held-out train meetings with 30-second chunks made bare with probability 0.4:
F1 MRDA 0.785 → 0.811, AMI 0.658 → 0.690, on the acts of those chunks 0.357 → 0.527, 0.441 → 0.579;
``benchmarks/r28_mixed.py``).
Bare text gives a whole turn as one sentence, so it is cut into clauses first
(:func:`bare_clauses`): before likely question starts by rule, and where the head's learned
clause cutter (a logistic regression over the words around each gap, trained on where question
acts begin and end inside the speakers' turns) puts a boundary.

The head's words were learned on English meetings (and the written RU rows, without context), so
for Russian sentences of a punctuated transcript the lexical rule :func:`is_question` decides; in
bare text a Russian sentence is a question when the rule or the head's bare weights say so (held
out, on the written RU rows without punctuation: F1 0.66 by the rule alone, 0.81 either way;
``benchmarks/train_questions.py --russian``). The head gives the confidence (not calibrated on
Russian speech: none was available). Without the shipped head file the lexical rule decides
(it ends with ``?``, or — unpunctuated — opens with an interrogative word or inversion or
contains «ли»; confidence ``None``). Reported and quoted questions ("he asked whether…",
«она спросила: „…?“») are never questions (:func:`reported_question`).

A question is *answered* when another participant (never the asker's own continuation)
replies within the next few utterances and seconds (by config). Which reply, if any, answers is
decided by the learned answer head (:class:`AnswerHead`: a logistic regression over the question's
form and each candidate reply's position, latency, kind and first words, learned from the adjacency
pairs of the MRDA and AMI train meetings) in timed English transcripts of three or more speakers
(the meetings it learned from; held out, agreement with "the corpus has a responder" MRDA 0.640 →
0.738, AMI 0.586 → 0.678). Otherwise (Russian, no timing, two people, no head file) a rule decides:
the first reply with something more than a backchannel, a counter-question or transcript marks
alone ("{vocalsound}", "[laughter]", a lone "."); a bare "yes" / "no" or an affirmation ("Mhm.", "Right.",
round 26) answers a yes/no question.

A greeting, summons or channel check said as a question ("Hello?", "Can you hear me?", "Are you there?", «Алло?»,
«Вы меня слышите?»; the whole sentence, or a run of such phrases: :func:`phatic_question`) is no question at all
(round 27): it asks for no information, and its answering "Hello." is no knowledge that flowed.

A question whose every sentence is a confirmation tag ("…, right?", "You know?", "isn't it?") is
marked (:attr:`QuestionEvent.confirmation_tag`, :func:`confirmation_tag`) but still counted: the
corpora label tags as questions (MRDA ``qy^g``), a report can list open questions apart from them
(held out, MRDA as transcribed, against ``^g`` among the questions found: P 0.84, R 0.98;
``benchmarks/question_tags_r10_questions.py``).
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import numpy as np

from sessionscope.model import Session, Utterance

if TYPE_CHECKING:
    from sessionscope.config import DynamicsConfig
from sessionscope.text import content_start, normalize_name, spoken_tokens, strip_markup, words

_SENTENCE = re.compile(r"[^.!?…]+[.!?…]*", re.UNICODE)

EN_WH = {"what", "why", "how", "when", "where", "who", "whom", "whose", "which"}
EN_AUX = {
    "do", "does", "did", "can", "could", "will", "would", "shall", "should", "is", "are", "was", "were",
    "have", "has", "had", "may", "might", "must", "am", "isn't", "aren't", "don't", "doesn't", "didn't",
    "can't", "couldn't", "won't", "wouldn't", "shouldn't", "haven't", "hasn't",
}
EN_SUBJ = {"i", "you", "we", "they", "he", "she", "it", "there", "that", "this", "anyone", "someone", "your", "our"}
RU_WH = {
    "что", "чего", "чем", "чему", "почему", "зачем", "как", "какой", "какая", "какое", "какие", "каким", "какую",
    "каких", "когда", "где", "куда", "откуда", "кто", "кого", "кому", "кем", "сколько", "чей", "чья", "чьё", "чьи",
    "разве", "неужели", "который", "которая", "которое", "которые",
}
# "как" / "что" also open plain statements ("как я говорил", "что касается"): require more evidence.
RU_WEAK_WH = {"как", "что", "который", "которая", "которое", "которые", "когда", "где"}
RU_WEAK_FOLLOWERS = {"ты", "вы", "мы", "бы", "же", "именно", "лучше", "думаешь", "думаете", "можно", "нам", "вам", "тебе", "у"}


def sentences(text: str) -> list[str]:
    """Split text into rough sentences (punctuation-based; good enough for question marks)."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


# Tags that turn a statement into a confirmation check rather than a question
# ("…, you know?", "…, right?", "…, понимаешь?"); alone they are discourse markers.
COMMA_TAGS = (
    "right", "okay", "ok", "huh", "eh", "yeah", "no", "see", "isn't it", "aren't they", "don't you think",
    "да", "правда", "верно", "так", "ага", "ну", "нет",
)
FREE_TAGS = ("you know", "you see", "know what i mean", "понимаешь", "понимаете", "знаешь", "знаете", "не так ли", "ведь так")


def _alt(tags: tuple[str, ...]) -> str:
    return "|".join(re.escape(t) for t in sorted(tags, key=len, reverse=True))


_TAG_RE = re.compile(rf"(?:(?:^|,)\s*(?:{_alt(COMMA_TAGS)})|(?:^|[\s,])(?:{_alt(FREE_TAGS)}))\s*\?+$", re.IGNORECASE)


def is_question(sentence: str, *, language: Optional[str] = None) -> bool:
    """Whether a single sentence is a question (see module docstring).

    Punctuation is trusted when present: a sentence ending in ``?`` is a question, one
    ending in ``.``, ``!``, ``,`` or ``…`` is not. The lexical cues (interrogative word,
    inversion, «ли») are used only for unpunctuated text (typical of ASR output and
    some transcripts). A trailing tag ("…, you know?", "…, right?") does not make a
    statement a question: the rest of the sentence decides, by the lexical cues. Reported
    and quoted questions are not questions (:func:`reported_question`).
    """
    return _is_question(sentence, language)


@lru_cache(maxsize=16384)
def _is_question(sentence: str, language: Optional[str]) -> bool:
    """:func:`is_question`, memoised: the rules of every kind and the dynamics ask it of the same sentences."""
    s = sentence.strip()
    if not s or reported_question(s):
        return False
    if s.endswith("?"):
        tag = _TAG_RE.search(s)
        if tag is None:
            return True
        rest = s[: tag.start()].strip(" ,")
        if not rest:
            return False  # "you know?", "right?" on their own: discourse markers
        return _lexical_question(s.rstrip("?"), language) or _lexical_question(rest, language)
    if s[-1] in ".!,;:…-—":
        return False
    return _lexical_question(s, language)


def _lexical_question(s: str, language: Optional[str]) -> bool:
    """Interrogative word + auxiliary, subject–auxiliary inversion, or Russian «ли»."""
    toks = [w.casefold() for w in words(s)]
    if not toks:
        return False
    first = toks[0]
    second = toks[1] if len(toks) > 1 else ""
    if language in (None, "en"):
        if first in EN_WH and len(toks) >= 3 and (second in EN_AUX or second in {"about", "if", "else"}):
            return True
        if first in EN_AUX and second in EN_SUBJ and len(toks) >= 3:
            return True
    if language in (None, "ru"):
        if "ли" in toks[1:3]:
            return True
        if first in RU_WH and first not in RU_WEAK_WH and len(toks) >= 2:
            return True
        if first in RU_WEAK_WH and len(toks) >= 3 and toks[1] in RU_WEAK_FOLLOWERS:
            return True
    return False



# Reported and quoted questions: somebody's question told, not asked ("he asked whether…",
# "she said: 'can we…?'", «он спросил, придёшь ли ты»). Not when the sentence itself opens
# as a question before the frame ("Did he ask whether…?") or the frame is the listener's
# ("you asked whether…").
_INDIRECT = re.compile(
    r"\b(asked|was asking|were asking|asks|wanted to know|inquired|спросил[аи]?|спрашивал[аи]?|спрашивает|"
    r"интересовал(?:ся|ась|ись))\b(?:\s+(?:me|him|her|them|us|меня|его|её|ее|их|нас))?\s*,?\s+"
    r"(whether|if|what|how|why|when|where|who|which|ли|что|как|почему|зачем|когда|где|кто|сколько|какой|какая|какие)\b",
    re.IGNORECASE)
_QUOTED = re.compile(
    r"\b(asked|asks|said|says|goes|went|wrote|writes|was like|were like|is like|'s like|спросил[аи]?|спрашивает|"
    r"сказал[аи]?|говорит|пишет)\b(?:\s+(?:me|him|her|them|us|мне|меня|ему|ей|им|нам))?\s*(?::\s*[\"“«„']?|,?\s*[\"“«„'])",
    re.IGNORECASE)
_ASKED_COMMA = re.compile(r"\b(asked|asks|спросил[аи]?|спрашивает)\b(?:\s+(?:me|him|her|them|us|меня|его|её|ее|их|нас))?\s*,"
                          # round 31: the bare verb with someone other than the listener ("he'll always ask me, well how's…")
                          r"|\b(?:'ll|will|would|'d|always|usually|often|to|gonna)\s+ask\s+(?:me|him|her|them|us)\s*,",
                          re.IGNORECASE)
_LISTENER = {"you", "ты", "вы"}
# A question quoted in a story without marks ("and I said what do you mean", "he goes do you want it", "I was
# like why did she send it", "he's like well what what's why are you here"): a saying frame followed, after fillers, by
# an interrogative word with an auxiliary or subject pronoun, or by an inversion. Speech transcripts carry no
# quotation marks, so :data:`_QUOTED` never sees these.
_QUOTE_FRAME = re.compile(r"\b(said|says|asked|asks|goes|went|was like|were like|is like|'s like|'m like|am like|are like|"
                          r"'re like)\b(?:\s+(?:me|him|her|them|us))?\s*,?\s+", re.IGNORECASE)


_WH_INTENSIFIERS = frozenset({("the", "hell"), ("the", "heck"), ("on", "earth"), ("in", "the"), ("the", "fuck")})


def _quoted_form(sentence: str) -> Optional[re.Match[str]]:
    """The saying frame before an unmarked quoted question ("… said what do you mean"), if any."""
    for m in _QUOTE_FRAME.finditer(sentence):
        toks = question_tokens(sentence[m.end():])
        c = toks[_content_start(toks):] if toks else ()
        j = 0
        while j + 1 < len(c) and c[j] in Q_WH and c[j + 1] in Q_WH:  # a restarted interrogative ("what what's why…")
            j += 1
        if j + 2 < len(c) and c[j] in Q_WH and (c[j + 1], c[j + 2]) in _WH_INTENSIFIERS:  # "how the hell did he…"
            c = (*c[:j + 1], *c[j + 3:])
        if j + 1 < len(c) and (c[j] in Q_WH and (c[j + 1] in Q_AUX or c[j + 1] in EN_SUBJ or c[j].endswith("'s"))
                               or c[j] in Q_AUX and c[j + 1] in EN_SUBJ):
            return m
    return None


def reported_question(sentence: str) -> bool:
    """Whether a sentence reports or quotes somebody's question rather than asking one."""
    return _reported_question(sentence)


@lru_cache(maxsize=16384)
def _reported_question(sentence: str) -> bool:
    """:func:`reported_question`, memoised (asked of every sentence by the head, the rule and the extraction rules)."""
    for rx in (_INDIRECT, _QUOTED, _ASKED_COMMA, None):
        m = rx.search(sentence) if rx is not None else _quoted_form(sentence)
        if m is None:
            continue
        before = [w.casefold() for w in words(sentence[: m.start()])]
        if before and before[-1] in _LISTENER:
            continue
        if len(before) >= 2 and _lexical_question(" ".join(before[:3]), None):
            continue  # "Did he ask whether…?", "Who asked if…?": a question about the report
        return True
    return False


def quoted_after(before: str, clause: str) -> bool:
    """Whether ``clause`` is a question quoted by a saying frame that ends the clause ``before`` it.

    Bare text is cut into clauses before the head reads it, so "and i said | what do you mean" reaches the head
    as two clauses; the second is reported when the two together are and the first alone is not.
    """
    return reported_question(f"{before} {clause}") and not reported_question(before)


def question_sentences(text: str, *, language: Optional[str] = None) -> list[str]:
    """The sentences of ``text`` that are questions."""
    return [s for s in sentences(text) if is_question(s, language=language)]


@lru_cache(maxsize=8)
def _backchannel_vocab(backchannels: tuple[str, ...]) -> frozenset[str]:
    """The normalised backchannel vocabulary, built once per list (not once per utterance)."""
    return frozenset(normalize_name(b) for b in backchannels)


def is_backchannel(text: str, backchannels: Iterable[str], *, max_words: int = 3) -> bool:
    """True for short utterances made only of backchannel tokens ("yeah", "mm-hmm", "угу")."""
    toks = [w.casefold() for w in words(text)]
    if not toks or len(toks) > max_words:
        return False  # no words (e.g. RTTM input) is unknown content, not a backchannel
    vocab = _backchannel_vocab(tuple(backchannels))
    if normalize_name(" ".join(toks)) in vocab:
        return True
    return all(t in vocab for t in toks)


def spoken_backchannel(text: str, backchannels: Iterable[str], *, max_words: int = 3) -> bool:
    """:func:`is_backchannel` on the words docs/metrics.md counts: transcript marks ("{vocalsound}", "[laughter]")
    and a lone "-" are none, so "{vocalsound} Yeah ," and QMSum's "Mm - hmm ." are backchannels (round 24). Used by
    the dynamics, the answer rule and (since round 25) the answer head's features."""
    spoken = spoken_tokens(text)
    return bool(spoken) and is_backchannel(" ".join(spoken), backchannels, max_words=max_words)


# -- the trained question head ---------------------------------------------------------
# Words and classes of the head's features. The head's n-grams are English (MRDA, AMI);
# the classes (interrogative word, auxiliary + subject inversion, «ли», answer words) are
# what carries the decision to unseen words and, for the confidence, to Russian.
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_PUNCTUATED = re.compile(r"[.,!?;:…]")
Q_FILLERS = frozenset({
    "um", "uh", "uhm", "hmm", "mm", "so", "and", "well", "okay", "ok", "but", "oh", "yeah", "like", "now", "alright",
    "right", "then", "also", "just", "actually", "anyway", "ну", "а", "и", "вот", "так", "слушай", "слушайте", "кстати",
    "значит", "ладно", "хорошо", "окей", "но", "да",
})
Q_WH = frozenset({
    "what", "why", "how", "when", "where", "who", "whom", "whose", "which", "what's", "how's", "where's", "who's",
    "why's", *RU_WH, "чье",
})
Q_AUX = frozenset({*EN_AUX, "wasn't", "weren't"})
Q_SUBJ = frozenset({
    "i", "you", "we", "they", "he", "she", "it", "there", "that", "this", "these", "those", "anyone", "someone",
    "anybody", "everyone", "everybody", "somebody", "people", "your", "our", "any", "anything", "something", "the", "a",
    "y'all", "ya",
})
# words after which a new clause (and so an inversion or a wh-question) may start
Q_BOUNDARY = frozenset({
    "and", "but", "so", "or", "um", "uh", "well", "okay", "ok", "like", "then", "because", "yeah", "oh", "now", "right",
    "alright", "i", "mean", "anyway", "actually", "hmm", "mm", "а", "и", "но", "ну", "вот", "так", "или",
})
_NUMBER = re.compile(
    r"^\d+$|^(zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|fifty|hundred|thousand|million)$")
_WH_FOLLOW = frozenset({"about", "if", "else", "kind", "sort", "time", "do"})
_KEEP_SHORT = frozenset({"i", "a", "я", "и", "а", "в", "с", "к", "о", "у", "ли"})
_REPORTED_CUE = re.compile(
    r"\b(asked (whether|if|what|how|why|me|him|her|them|us)|ask(ed|ing|s)? (him|her|them|me|us) (whether|if|what|how|why)|"
    r"wonder(ed|ing)? (if|whether|what|how|why)|(don't|didn't|not|doesn't) know (if|whether|what|how|why|who|where|when)|"
    r"not sure (if|whether|what|how)|no idea (what|how|why|if|whether)|the question (is|was) (whether|if)|"
    r"спросил\w*|интересно (ли|что|как)|не знаю (ли|что|как|где|когда))\b")
SHAPES = ("EMPTY", "WH", "INV", "SHORT", "DECL")
HEAD_HASH_BITS = 18
#: Bump when the features change: a head file of another version is refused (retrain it).
FEATURES_VERSION = 4
CUT_HASH_BITS = 18
#: Bump when the clause cutter's features change: a cutter of another version is refused.
CUT_FEATURES_VERSION = 1


def bare_text(text: str) -> str:
    """The text as a recogniser without punctuation gives it: no punctuation, no capitals."""
    return " ".join(_TOKEN.findall(text.casefold()))


def question_tokens(text: str) -> list[str]:
    """Lower-cased words with speech disfluencies cleaned ("ca- - can - can we" → "can we").

    A short cut-off start of the next word and immediate repeats of one or two words are
    dropped, so that the word order of a spoken question shows.
    """
    return list(_question_tokens(text))  # a fresh list: callers may change it; the memo must not change


@lru_cache(maxsize=4096)
def _question_tokens(text: str) -> tuple[str, ...]:
    """:func:`question_tokens`, memoised: a sentence's features read it again as its neighbours' context."""
    toks = [t.replace("’", "'") for t in _TOKEN.findall(text.casefold().replace("ё", "е"))]
    out: list[str] = []
    for j, t in enumerate(toks):
        nxt = toks[j + 1] if j + 1 < len(toks) else ""
        if len(t) <= 2 and t not in _KEEP_SHORT and nxt != t and nxt.startswith(t):
            continue
        if out and out[-1] == t:
            continue
        out.append(t)
    res: list[str] = []
    k = 0
    while k < len(out):
        if k + 3 < len(out) and out[k] == out[k + 2] and out[k + 1] == out[k + 3]:
            k += 2
            continue
        res.append(out[k])
        k += 1
    return tuple(res)


def _word_class(t: str) -> str:
    if _NUMBER.match(t):
        return "NUM"
    if t in Q_WH:
        return "WH"
    if t in Q_AUX:
        return "AUX"
    if t in Q_SUBJ:
        return "SUBJ"
    return "FIL" if t in ("um", "uh", "uhm", "hmm", "mm") else "x"


def _content_start(toks: Sequence[str]) -> int:
    return content_start(toks, Q_FILLERS)


def question_shape(toks: Sequence[str]) -> str:
    """``WH`` (opens with an interrogative word), ``INV`` (auxiliary + subject), ``SHORT`` (≤ 2 words), ``DECL``."""
    if not toks:
        return "EMPTY"
    c = toks[_content_start(toks):]
    if c[0] in Q_WH:
        return "WH"
    if c[0] in Q_AUX and len(c) > 1 and c[1] in Q_SUBJ:
        return "INV"
    return "SHORT" if len(toks) <= 2 else "DECL"


def _len_bucket(n: int) -> int:
    return n if n < 8 else 8 if n < 12 else 12 if n < 20 else 20


def own_features(text: str, *, punctuated: bool) -> list[str]:
    """Features of a sentence's own words (and, in a punctuated transcript, its punctuation)."""
    toks = question_tokens(text)
    if not toks:
        return ["EMPTY", "P" if punctuated else "B"]
    n = len(toks)
    i = _content_start(toks)
    c = toks[i:]
    f = [f"f1={c[0]}", f"f2={' '.join(c[:2])}", f"f3={' '.join(c[:3])}", f"o1={toks[0]}", f"o2={' '.join(toks[:2])}",
         f"l1={toks[-1]}", f"l2={' '.join(toks[-2:])}", f"l3={' '.join(toks[-3:])}"]
    f += [f"u={t}" for t in toks]
    f += [f"b={a} {b}" for a, b in zip(toks, toks[1:], strict=False)]
    f += ["c3=" + " ".join(_word_class(t) for t in c[:3]), "c2=" + " ".join(_word_class(t) for t in c[:2]),
          "cl3=" + " ".join(_word_class(t) for t in toks[-3:]), f"len={_len_bucket(n)}"]
    for j, t in enumerate(toks):  # inversion / wh-word at the start of any clause
        if j and toks[j - 1] not in Q_BOUNDARY:
            continue
        nx = toks[j + 1] if j + 1 < n else ""
        if t in Q_AUX and nx in Q_SUBJ and j + 2 < n:
            f.append("inv@0" if j == i else "inv@k")
        if t in Q_WH and (nx in Q_AUX or nx in Q_SUBJ or nx in _WH_FOLLOW):
            f.append("wh@0" if j == i else "wh@k")
    if any(t in ("ли", "ль") for t in toks[1:4]):
        f.append("li")
    if _REPORTED_CUE.search(" ".join(toks)):
        f.append("reported")
    if n >= 3 and toks[-2:] == ["or", "not"]:
        f.append("or_not")
    if n <= 3:
        f.append("short=" + " ".join(toks))
    if punctuated:
        s = text.rstrip()
        end = s[-1] if s and s[-1] in "?.,!-=" else "w"
        f += ["P", "end=" + end, f"lp={toks[-1]}{end if end in '?.,!' else ''}"]
        if "?" in s:
            f.append("q_any")
            if not s.endswith("?"):
                f.append("q_mid")
        else:
            f.append("no_q")
    else:
        f.append("B")
    return f


@dataclass(frozen=True, slots=True)
class Neighbour:
    """A neighbouring sentence (text, speaker) in the dialogue."""

    text: str
    speaker: str


@dataclass(frozen=True, slots=True)
class QuestionContext:
    """Where a sentence stands: the speaker, the previous sentence and the next two (``None`` = none)."""

    speaker: str = ""
    prev: Optional[Neighbour] = None
    next: Optional[Neighbour] = None
    next2: Optional[Neighbour] = None
    #: the share of the speaker's *other* sentences in the transcript that open as a question (interrogative word or
    #: inversion), and that share over all sentences (``None``: no transcript around the sentence)
    speaker_asks: Optional[float] = None
    stream_asks: Optional[float] = None


NO_CONTEXT = QuestionContext()


def context_features(text: str, ctx: QuestionContext, *, punctuated: bool) -> list[str]:
    """Dialogue context: who speaks before and after (same speaker or another), how the next speaker starts
    (yes / no / a number / a counter-question…), crossed with the sentence's own form."""
    toks = question_tokens(text)
    shape = question_shape(toks)
    short = " ".join(toks) if len(toks) <= 3 else None
    f: list[str] = []
    if ctx.prev is None:
        f.append("p:none")
    else:
        side = "s" if ctx.prev.speaker == ctx.speaker else "o"
        pt = question_tokens(ctx.prev.text)
        f += ["p:" + side, f"x:{shape}:p:{side}"]
        if question_shape(pt) in ("WH", "INV"):
            f.append(f"p:{side}:qcue")
        if punctuated and "?" in ctx.prev.text:
            f.append(f"p:{side}:q")
        if pt:
            f.append(f"p:{side}:l1={pt[-1]}")
        if short is not None:
            f.append(f"p:{side}:short={short}")
    f += answer_features(toks, shape, ctx)
    if not punctuated:
        f += speaker_features(toks, shape, ctx)
    if ctx.next is None:
        f.append("n:none")
    else:
        side = "s" if ctx.next.speaker == ctx.speaker else "o"
        f.append("n:" + side)
        if short is not None:
            f.append(f"n:{side}:short={short}")
        nt = question_tokens(ctx.next.text)
        if nt:
            j = _content_start(nt)
            m = len(nt)
            f += [f"n:{side}:w1={nt[0]}", f"n:{side}:w2={' '.join(nt[:2])}", f"n:{side}:f1={nt[j]}",
                  f"n:{side}:c1={_word_class(nt[j])}", f"x:{shape}:n:{side}:w1={nt[0]}", f"x:{shape}:n:{side}",
                  f"n:{side}:len={m if m < 5 else 8 if m < 10 else 10}"]
            if punctuated and "?" in ctx.next.text:
                f.append(f"n:{side}:q")
        if side == "s" and ctx.next2 is not None:  # the speaker goes on: who speaks after that
            side2 = "s" if ctx.next2.speaker == ctx.speaker else "o"
            f.append("n2:" + side2)
            n2 = question_tokens(ctx.next2.text)
            if n2 and side2 == "o":
                f += [f"n2:o:w1={n2[0]}", f"n2:o:f1={n2[_content_start(n2)]}"]
    return f


# How a reply starts when it confirms or denies ("yeah", "no", "right"…): after a statement-shaped
# sentence, the sign that it was a question ("you sent the slides" — "yeah I did").
_ANSWER_START = frozenset({"yes", "no", "yeah", "yep", "nope", "sure", "nah", "right", "okay", "ok", "да", "нет", "ага"})
# closing tags of a bare confirmation check ("you sent it right"), crossed with the reply
_CLOSING_TAGS = frozenset({"right", "yeah", "okay", "no", "huh", "eh"})


def answer_features(toks: Sequence[str], shape: str, ctx: QuestionContext) -> list[str]:
    """The sentence's own words crossed with what follows and precedes it (second-order context).

    Its first content word (and the first two) with how the next sentence starts and who says
    it; its last one or two words with that; "you" in it with a yes/no reply; its shape and
    length with the reply; the previous sentence's shape (same speaker or another) with its
    own, and another speaker's last word before it with its first content word; an agreeing
    subject–auxiliary inversion after its first word (with the class of the word before it); a
    closing tag ("…right") with the reply, when the speaker stops there.
    """
    if not toks:
        return []
    c = toks[_content_start(toks):]
    nt = question_tokens(ctx.next.text) if ctx.next is not None else []
    side = "none" if ctx.next is None else "s" if ctx.next.speaker == ctx.speaker else "o"
    yn = bool(nt) and (nt[0] in _ANSWER_START or nt[_content_start(nt)] in _ANSWER_START)
    f = [f"X:f1={c[0]}:n:{side}:w1={nt[0] if nt else '-'}", f"X:f2={' '.join(c[:2])}:n:{side}:yn={yn}",
         f"X:l1={toks[-1]}:n:{side}:yn={yn}", f"X:l2={' '.join(toks[-2:])}:n:{side}",
         f"X:shape={shape}:n:{side}:yn={yn}:len={min(len(toks), 6)}"]
    if "you" in toks:
        f.append(f"X:you:n:{side}:yn={yn}")
    if ctx.prev is not None:
        pt = question_tokens(ctx.prev.text)
        ps = "s" if ctx.prev.speaker == ctx.speaker else "o"
        if pt:
            f.append(f"X:p:{ps}:shape={question_shape(pt)}:me={shape}")
            if ps == "o":
                f.append(f"X:p:o:l1={pt[-1]}:f1={c[0]}")
    start = _content_start(toks)
    for j in range(1, len(toks) - 1):  # an agreeing inversion ("is it", "can you") after a word, and that word's class
        if toks[j + 1] in _INVERSION.get(toks[j], ()):
            f.append(f"X:invagr@{'0' if j == start else 'k'}:prev={_word_class(toks[j - 1])}")
    if len(toks) >= 2 and toks[-1] in _CLOSING_TAGS and side != "s":
        f.append(f"X:tag={toks[-1]}:n:{side}:yn={yn}")
    return f


def speaker_features(toks: Sequence[str], shape: str, ctx: QuestionContext) -> list[str]:
    """How often the sentence's speaker asks in question form elsewhere in the transcript (bare text only).

    The share of the speaker's other sentences that open with an interrogative word or an inversion, in
    absolute buckets and relative to the transcript's rate, crossed with the sentence's own shape and length
    and with who speaks next: a speaker who asks many syntactic questions also asks more declarative ones
    (train meetings, bare declaratives of three words or more: MRDA 3.0 % questions in the lowest bucket, 12.6 %
    in the highest; AMI 3.6 % and 7.6 %). Held out (bare acts, mean per-corpus F1 at the best threshold):
    0.644 → 0.651 (``benchmarks/train_questions.py --speaker``). Not for Russian sentences.
    """
    if not toks or ctx.speaker_asks is None or _cyrillic(" ".join(toks)):
        return []  # Russian: no inversion to count, and the weights were learned on English meetings only
    share, rate = ctx.speaker_asks, ctx.stream_asks or 0.0
    b = 0 if share < 0.03 else 1 if share < 0.06 else 2 if share < 0.10 else 3
    rel = "lo" if share < 0.7 * rate else "mid" if share < 1.3 * rate else "hi"
    ns = "none" if ctx.next is None else "o" if ctx.next.speaker != ctx.speaker else "s"
    ln = min(len(toks), 6)
    return [f"S:qs={b}:shape={shape}:len={ln}", f"S:rel={rel}:shape={shape}", f"S:qs={b}:shape={shape}:n:{ns}",
            f"S:rel={rel}:shape={shape}:n:{ns}:len={min(ln, 4)}"]


# Subject–auxiliary inversion with agreement ("is it", "are you", "can we"): a tighter cue than
# any auxiliary + subject, used to find where a question may start inside bare text.
_PRON_ALL = frozenset({"i", "you", "we", "they", "he", "she", "it", "there", "that", "this", "anyone", "anybody", "someone",
                       "somebody", "everyone", "everybody", "anything", "something", "y'all"})
_SING = frozenset({"he", "she", "it", "there", "that", "this", "anyone", "anybody", "someone", "somebody", "everyone",
                   "everybody", "anything", "something"})
_PLUR = frozenset({"you", "we", "they", "there", "these", "those", "y'all"})
_INVERSION: dict[str, frozenset[str]] = {
    **dict.fromkeys(("is", "was", "isn't", "wasn't"), _SING),
    **dict.fromkeys(("are", "were", "aren't", "weren't"), _PLUR),
    "am": frozenset({"i"}),
    **dict.fromkeys(("do", "don't"), frozenset({"you", "we", "they", "i", "y'all"})),
    **dict.fromkeys(("does", "doesn't", "has", "hasn't"), _SING),
    **dict.fromkeys(("have", "haven't"), frozenset({"you", "we", "they", "i", "y'all"})),
    **dict.fromkeys(("did", "didn't", "had", "can", "could", "will", "would", "shall", "should", "may", "might", "must",
                     "can't", "couldn't", "won't", "wouldn't", "shouldn't"), _PRON_ALL),
}
# words after which a wh-word or an inversion opens an embedded clause, not a question
# ("I don't know what is…", "the one that is…", "how it is…")
_EMBEDDING = frozenset({
    "know", "knows", "knew", "see", "saw", "wonder", "wondering", "wondered", "tell", "told", "ask", "asked", "asking",
    "sure", "idea", "mean", "understand", "remember", "explain", "show", "decide", "figure", "out", "is", "was", "that's",
    "what's", "matter", "no", "than", "of", "for", "to", "with", "from", "by", "about", "on", "at", "guess", "care",
    "realize", "learn", "imagine", "depends", "forget", "forgot", "hear", "heard", "believe", "exactly", "that", "which",
    "who", "what", "where", "when", "why", "how", "if", "whether", "as", "i", "you", "we", "they", "he", "she", "it",
    "there", "here", "only", "not",
})
_COPULA = frozenset({"is", "was", "isn't", "wasn't", "are", "were", "aren't", "weren't", "am"})
_RELATIVE = frozenset({"who", "whom", "whose", "which"})
_RU_EMBEDDING = frozenset({"знаю", "знает", "знаем", "понимаю", "помню", "спросил", "спросила", "спрашиваю", "не", "вот",
                           "интересно", "неважно", "то", "это", "так", "и"})
_RU_STRONG_WH = frozenset(RU_WH - RU_WEAK_WH - {"чем", "чему"})  # "раньше, чем…" compares


def bare_clauses(text: str, head: Optional[QuestionHead] = None) -> list[str]:
    """An unpunctuated utterance cut into the clauses the question head scores.

    Bare text (speech recognition without punctuation) gives a whole turn as one sentence:
    "morning maya come in how was the trip". It is cut where a question may start
    (:func:`rule_cuts`) and, when ``head`` carries a learned clause cutter, also where that
    cutter puts a dialogue-act boundary (:meth:`QuestionHead.learned_cuts`: English text
    only; Russian keeps the rule cuts). Each part is then judged as a sentence.
    """
    toks = text.split()
    return [" ".join(toks[a:b]) for a, b in clause_bounds(toks, head)]


def clause_bounds(toks: Sequence[str], head: Optional[QuestionHead] = None) -> list[tuple[int, int]]:
    """The ``(start, end)`` token spans of :func:`bare_clauses` (whitespace tokens of a bare utterance)."""
    cuts = set(rule_cuts(toks))
    if head is not None and head.cut_weights is not None and not _cyrillic(" ".join(toks)):
        cuts.update(head.learned_cuts(toks))
    bounds = [0, *sorted(cuts), len(toks)]
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def rule_cuts(toks: Sequence[str]) -> list[int]:
    """Token indices before which a question may start in bare text (the rule part of :func:`bare_clauses`).

    Before a wh-word followed by an auxiliary ("how was"), before a subject–auxiliary
    inversion with agreement ("can you", "is it"; a copula or a relative "who/which" only
    after a linking word: "so is it"), before a Russian interrogative word (a weak one such
    as «как», «что» only with «вы», «ты»…; not the comparative «чем») and before the word
    that «ли» follows — not after words that embed a clause ("I don't know what is…",
    "there is this…"), keeping at least two words before the cut. A Russian cut goes before a
    preposition that precedes the interrogative ("а с чего начать"); none is made before an
    indirect question or a relative clause (:func:`_ru_embedded`: "не знаю с чего начать",
    "покажи джунам как ты готовишься", "у тех кто ушёл", «который»).
    """
    low = [t.casefold().replace("’", "'") for t in toks]
    n = len(low)
    cuts: list[int] = []
    for j in range(2, n - 1):
        prev, t, nx = low[j - 1], low[j], low[j + 1]
        if j - (cuts[-1] if cuts else 0) < 2:
            continue
        # a copula or a relative wh-word opens a question only after a linking word ("so is it",
        # "and who did"), not after a noun ("the point is that…", "people who do…")
        linked = prev in Q_BOUNDARY
        if prev not in _EMBEDDING and j + 2 < n and (
                (t in Q_WH and t not in RU_WH and nx in Q_AUX and (linked or t not in _RELATIVE))
                or (nx in _INVERSION.get(t, ()) and (linked or t not in _COPULA))):
            cuts.append(j)
        elif prev not in _RU_EMBEDDING and ((t in _RU_STRONG_WH and j + 1 < n) or nx in ("ли", "ль")
                                            or (t in RU_WEAK_WH and nx in RU_WEAK_FOLLOWERS and j + 2 < n)):
            at = j - 1 if prev in _RU_PREP else j  # "а с чего начать": the question starts at the preposition
            if _ru_embedded(low, cuts[-1] if cuts else 0, at) or t.startswith("котор"):
                continue
            if at - (cuts[-1] if cuts else 0) >= 2:
                cuts.append(at)
    return cuts


# predicates that take an indirect question ("не знаю, с чего начать", "покажи, как ты готовишься") and the
# demonstratives a relative clause follows ("у тех, кто ушёл")
_RU_EMBED_VERBS = frozenset({
    "знаю", "знает", "знаем", "знаешь", "знаете", "знать", "понимаю", "понимаешь", "понять", "понятно", "непонятно",
    "помню", "помнишь", "спроси", "спросите", "спросить", "покажи", "покажите", "показать", "объясни", "объясните",
    "объяснить", "расскажи", "расскажите", "рассказать", "расскажу", "оцениваю", "оценить", "решить", "подумай",
    "подумать", "посмотри", "посмотрите", "посмотреть", "смотря", "зависит", "запутался", "запуталась", "интересно",
    "неважно", "ясно", "выясни", "выяснить", "уточни", "уточнить", "проверь", "проверить", "говорят", "сказал",
    "сказала", "скажу", "представляю", "уверен", "уверена",
})
_RU_DEMONSTRATIVE = frozenset({"тех", "те", "тот", "того", "тем", "том", "та", "ту", "той", "теми", "таких", "такой"})


def _ru_embedded(low: Sequence[str], start: int, j: int) -> bool:
    """Whether a Russian interrogative word at ``low[j]`` opens an indirect question or a relative clause: a predicate
    that embeds one comes earlier in the clause, or a demonstrative comes right before ("у тех кто ушёл")."""
    return bool(set(low[start:j]) & _RU_EMBED_VERBS) or (j > 0 and low[j - 1] in _RU_DEMONSTRATIVE)


def cut_words(toks: Sequence[str]) -> tuple[list[int], list[str]]:
    """The tokens of a bare text that hold a word (their indices) and those words, lower-cased.

    Marks without a word ("|", "==") are skipped, so the cutter sees what a recogniser gives.
    """
    idx: list[int] = []
    out: list[str] = []
    for k, t in enumerate(toks):
        w = " ".join(_TOKEN.findall(t.casefold().replace("’", "'")))
        if w:
            idx.append(k)
            out.append(w)
    return idx, out


def cut_features(ws: Sequence[str], j: int) -> list[str]:
    """Features of the gap before word ``j`` of a bare turn (``0 < j < len(ws)``): is a dialogue act ending there?

    The words on both sides (one to three), their classes, how far the gap is from the
    turn's start and end, a repeated word (a disfluency, not a boundary), an inversion or a
    wh-word opening the right side, a clause-embedding word on the left.
    """
    n = len(ws)
    a1, b1 = ws[j - 1], ws[j]
    a2 = ws[j - 2] if j >= 2 else "<s>"
    b2 = ws[j + 1] if j + 1 < n else "</s>"
    b3 = ws[j + 2] if j + 2 < n else "</s>"
    ca, cb, cb2 = _word_class(a1), _word_class(b1), _word_class(b2) if j + 1 < n else "E"
    f = [f"a1={a1}", f"b1={b1}", f"a2={a2} {a1}", f"b2={b1} {b2}", f"b3={b1} {b2} {b3}", f"ab={a1}|{b1}",
         f"c={ca}|{cb}|{cb2}", f"ca={_word_class(a2) if j >= 2 else 'S'}|{ca}", f"pos={min(j, 6)}", f"rem={min(n - j, 6)}",
         f"a1rem={a1}|{min(n - j, 4)}", f"b1pos={b1}|{min(j, 4)}"]
    if a1 == b1:
        f.append("rep")
    if b2 in _INVERSION.get(b1, ()):
        f.append("inv")
    if b1 in Q_WH and (b2 in Q_AUX or b2 in Q_SUBJ):
        f.append("wh")
    if a1 in _EMBEDDING:
        f.append("emb")
    return f


def cut_feature_ids(ws: Sequence[str], j: int) -> list[int]:
    """The hashed indices of :func:`cut_features` (sorted, unique)."""
    return sorted({zlib.crc32(s.encode("utf-8")) & ((1 << CUT_HASH_BITS) - 1) for s in cut_features(ws, j)})


def stream_contexts(texts: Sequence[str], speakers: Sequence[str]) -> list[QuestionContext]:
    """The context of every sentence of a dialogue given in order (as texts and their speakers)."""
    turns = [Neighbour(t, s) for t, s in zip(texts, speakers, strict=True)]
    n = len(turns)
    asks = [question_shape(_question_tokens(t)) in ("WH", "INV") for t in texts]
    per: dict[str, list[int]] = {}
    for s, a in zip(speakers, asks, strict=True):
        c = per.setdefault(s, [0, 0])
        c[0] += 1
        c[1] += a
    rate = sum(asks) / n if n else 0.0
    return [QuestionContext(speaker=turns[k].speaker, prev=turns[k - 1] if k else None,
                            next=turns[k + 1] if k + 1 < n else None, next2=turns[k + 2] if k + 2 < n else None,
                            speaker_asks=(per[speakers[k]][1] - asks[k]) / max(1, per[speakers[k]][0] - 1),
                            stream_asks=rate)
            for k in range(n)]


def _hash(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & ((1 << HEAD_HASH_BITS) - 1)


def question_feature_ids(text: str, ctx: QuestionContext, *, punctuated: bool) -> list[int]:
    """The hashed feature indices of one sentence in its context (sorted, unique)."""
    crc, mask = zlib.crc32, (1 << HEAD_HASH_BITS) - 1  # :func:`_hash`, inlined: ~40 context features a sentence
    own = _own_feature_ids(text, punctuated)
    return sorted(own.union([crc(f.encode("utf-8")) & mask for f in context_features(text, ctx, punctuated=punctuated)]))


@lru_cache(maxsize=4096)  # a few KB an entry: a two-hour session has ~2,000 distinct sentences
def _own_feature_ids(text: str, punctuated: bool) -> frozenset[int]:
    """The hashed ids of :func:`own_features`, memoised per text: "Yeah.", "Okay." come back all session long."""
    crc, mask = zlib.crc32, (1 << HEAD_HASH_BITS) - 1  # :func:`_hash`, inlined
    return frozenset([crc(f.encode("utf-8")) & mask for f in own_features(text, punctuated=punctuated)])


def transcript_punctuated(texts: Iterable[str]) -> bool:
    """Whether a transcript carries punctuation (at least a third of its utterances of two or more words do).

    The head has one set of weights for punctuated transcripts, where a missing ``?`` is
    itself evidence, and one for bare text (speech recognition without punctuation).
    """
    n = k = 0
    for t in texts:
        if len(t.split()) >= 2:
            n += 1
            k += bool(_PUNCTUATED.search(t))
    return n > 0 and k >= n / 3


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


@dataclass(frozen=True)
class QuestionHead:
    """Model-free question head: a logistic regression over hashed features, one weight set per text kind.

    Row 0 of every array is for punctuated transcripts, row 1 for bare text (no punctuation).

    Attributes:
        weights: ``(2, 2**HEAD_HASH_BITS)`` feature weights; ``bias``: ``(2,)``.
        platt: ``(2, 2)``: the calibration ``sigmoid(a·z + b)`` of each kind.
        thresholds: ``(2,)`` calibrated probability from which a sentence counts as a question.
        meta: training data, commit, seed, held-out scores.
        cut_weights: ``(2**CUT_HASH_BITS,)`` weights of the learned clause cutter for bare turns
            (``None``: bare text is cut by the rule alone); ``cut_bias`` and ``cut_threshold``
            (the probability of a dialogue-act boundary from which a turn is cut) go with it.
    """

    weights: np.ndarray
    bias: np.ndarray
    platt: np.ndarray
    thresholds: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)
    cut_weights: Optional[np.ndarray] = None
    cut_bias: float = 0.0
    cut_threshold: float = 1.0

    def learned_cuts(self, toks: Sequence[str]) -> list[int]:
        """Token indices of a bare turn before which the learned cutter puts a dialogue-act boundary."""
        if self.cut_weights is None:
            return []
        idx, ws = cut_words(toks)
        out = []
        for j in range(1, len(ws)):
            z = float(self.cut_weights[cut_feature_ids(ws, j)].sum()) + self.cut_bias
            if 1.0 / (1.0 + np.exp(-z)) >= self.cut_threshold:
                out.append(idx[j])
        return out

    def logits(self, texts: Sequence[str], contexts: Optional[Sequence[QuestionContext]] = None, *,
               punctuated: Optional[bool] = None) -> np.ndarray:
        """Raw scores; ``punctuated=None`` judges each text by itself (any punctuation mark)."""
        ctxs = contexts if contexts is not None else [NO_CONTEXT] * len(texts)
        kinds = self._kinds(texts, punctuated)
        out = np.empty(len(texts), dtype=np.float64)
        for k, (t, ctx, bare) in enumerate(zip(texts, ctxs, kinds, strict=True)):
            ids = question_feature_ids(t, ctx, punctuated=not bare)
            out[k] = float(self.weights[bare, ids].sum()) + float(self.bias[bare])
        return out

    def _kinds(self, texts: Sequence[str], punctuated: Optional[bool]) -> np.ndarray:
        if punctuated is None:
            return np.array([0 if _PUNCTUATED.search(t) else 1 for t in texts], dtype=int)
        return np.full(len(texts), 0 if punctuated else 1, dtype=int)

    def proba(self, texts: Sequence[str], contexts: Optional[Sequence[QuestionContext]] = None, *,
              punctuated: Optional[bool] = None) -> np.ndarray:
        """Calibrated question probability of each text."""
        z = self.logits(texts, contexts, punctuated=punctuated)
        k = self._kinds(texts, punctuated)
        return _sigmoid(self.platt[k, 0] * z + self.platt[k, 1])

    def is_question(self, texts: Sequence[str], contexts: Optional[Sequence[QuestionContext]] = None, *,
                    punctuated: Optional[bool] = None) -> tuple[np.ndarray, np.ndarray]:
        """``(decisions, probabilities)`` for each text (reported and quoted questions are never questions)."""
        p = self.proba(texts, contexts, punctuated=punctuated)
        k = self._kinds(texts, punctuated)
        yes = (p >= self.thresholds[k]) & np.array([not reported_question(t) for t in texts], dtype=bool)
        return yes, p

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = {**self.meta, "features_version": FEATURES_VERSION, "hash_bits": HEAD_HASH_BITS}
        cut: dict[str, Any] = {}
        if self.cut_weights is not None:
            meta = {**meta, "cut_features_version": CUT_FEATURES_VERSION, "cut_hash_bits": CUT_HASH_BITS}
            cut = {"cut_weights": self.cut_weights.astype(np.float16),
                   "cut": np.array([self.cut_bias, self.cut_threshold], dtype=np.float64)}
        with open(path, "wb") as fh:
            np.savez_compressed(fh, weights=self.weights.astype(np.float16), bias=self.bias.astype(np.float64),
                                platt=self.platt.astype(np.float64), thresholds=self.thresholds.astype(np.float64),
                                meta=np.array(json.dumps(meta, ensure_ascii=False, sort_keys=True)), **cut)
        return path


def load_question_head(path: str | Path) -> QuestionHead:
    """A question head written by ``benchmarks/train_dialogue_acts.py --only questions``."""
    from sessionscope.errors import ModelError

    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except FileNotFoundError as e:
        raise ModelError(f"question head not found: {path}; rebuild it with "
                         "`python benchmarks/train_dialogue_acts.py --only questions`") from e
    except (OSError, ValueError) as e:
        raise ModelError(f"{path} is not a question head (.npz written by benchmarks/train_dialogue_acts.py): {e}") from e
    try:
        meta = json.loads(str(arrays["meta"]))
        head = QuestionHead(weights=arrays["weights"].astype(np.float32), bias=arrays["bias"].astype(np.float64),
                            platt=arrays["platt"].astype(np.float64), thresholds=arrays["thresholds"].astype(np.float64),
                            meta=meta)
    except KeyError as e:
        raise ModelError(f"{path} is not a question head: missing {e}") from e
    if meta.get("features_version") != FEATURES_VERSION or head.weights.shape != (2, 1 << HEAD_HASH_BITS) \
            or head.platt.shape != (2, 2) or head.thresholds.shape != (2,) or head.bias.shape != (2,):
        raise ModelError(f"{path}: question head of another feature version or shape (features changed; retrain it "
                         "with `python benchmarks/train_dialogue_acts.py --only questions`)")
    if "cut_weights" in arrays:
        cw, cut = arrays["cut_weights"].astype(np.float32), arrays.get("cut")
        if meta.get("cut_features_version") != CUT_FEATURES_VERSION or cw.shape != (1 << CUT_HASH_BITS,) \
                or cut is None or cut.shape != (2,):
            raise ModelError(f"{path}: clause cutter of another feature version or shape (retrain it with "
                             "`python benchmarks/train_dialogue_acts.py --only questions`)")
        head = replace(head, cut_weights=cw, cut_bias=float(cut[0]), cut_threshold=float(cut[1]))
    return head


def question_head_path() -> Path:
    from sessionscope.fileio import bundled_resource

    return bundled_resource("dialogue_acts", "question_head.npz")


@lru_cache(maxsize=4)
def bundled_question_head(path: Optional[str] = None) -> Optional[QuestionHead]:
    """The shipped question head (``None`` when the file is absent: the lexical rule is used)."""
    p = Path(path) if path else question_head_path()
    if path is None and not p.exists():
        return None
    return load_question_head(p)


# -- confirmation tags ---------------------------------------------------------------
# A statement's closing check ("…, right?", "…, you know?", "…, isn't it?") or such a check on its own
# ("Right?", "You know?"). The corpora count these as questions (MRDA ``qy^g``; 49 of 50 lone "you know?"
# acts of the MRDA train meetings are q*), so they stay questions, but they ask for no new information: a
# report can list the open questions apart from them (:attr:`QuestionEvent.confirmation_tag`).
_TAG_PHRASES: tuple[tuple[str, ...], ...] = tuple(tuple(t.split()) for t in (
    "right", "okay", "ok", "yeah", "yes", "no", "eh", "correct", "true", "see", "you know", "you see",
    "know what i mean", "you know what i mean", "don't you think", "agreed", "all right", "alright",
    "is that right", "is that correct", "is that true", "isn't that right", "that's right", "that's correct", "am i right",
    "да", "нет", "правда", "верно", "так", "ага", "понимаешь", "понимаете", "знаешь", "знаете", "не так ли",
    "ведь так", "так ведь", "согласен", "согласна", "согласны",
))
_TAG_PRONOUNS = frozenset({"i", "you", "we", "they", "he", "she", "it", "there"})
_MAIN_VERB_AUX = frozenset({"do", "does", "did", "have", "has", "had"})  # "…if I do that", "you did it": verb + object
# a "right" / "okay" that completes the statement rather than checking it ("that's right?", "is that okay?")
_TAG_COMPLEMENT = frozenset({"that's", "thats", "is", "it's", "all", "be", "was", "are", "exactly", "not", "very", "quite",
                             "alright", "seems", "sounds", "looks", "feel", "feels", "right", "turn", "the", "a",
                             "definitely", "absolutely", "totally", "perfectly", "well", "pretty", "it", "them", "me",
                             "him", "her", "am", "were", "been", "being"})
_PREDICATE_CLITIC = ("'s", "'re", "'m")  # "the battery's okay", "you're right": the word is the predicate
_SEPARATED_LAST = re.compile(r"[,|;:—–-]\s*[^\W_]+[.!?…\s]*$")  # "…, right?", "… | right ?": set off as a tag
_TAG_LEAD = frozenset({"um", "uh", "oh", "and", "so", "but", "well", "ah", "ну", "а", "и", "вот"})


def _aux_tag(aux: str, pronoun: str) -> bool:
    """An agreeing auxiliary + subject pronoun that can close a statement ("isn't it", "can't we", "do you"),
    not a verb with its object ("do that", "did it")."""
    if pronoun not in _TAG_PRONOUNS or pronoun not in _INVERSION.get(aux, ()):
        return False
    return not (aux in _MAIN_VERB_AUX and pronoun == "it")


def confirmation_tag(sentence: str) -> bool:
    """Whether a question sentence is a confirmation tag rather than a request for information.

    A tag on its own ("Right?", "You know?", "Okay?", "Don't you?", «Правда?») or a statement closed
    by one ("we still have to do this too, right?", "it's on the web, isn't it?", «ты же пришлёшь, да?»):
    the last one to four words are a tag phrase or an auxiliary + pronoun ("isn't it", "can't we",
    "do you"), and what comes before is not itself a question form (an interrogative word or an
    inversion at the start: "do you think that's important, right?" asks). "Huh?" alone asks for a
    repeat and is not a tag, nor is a cut-off sentence ("is that ==", "do you -"). Works on punctuated
    and bare text alike (the words decide).
    """
    if sentence.rstrip(" ?").endswith(("-", "=", "—", "–")):
        return False
    toks = list(question_tokens(sentence))
    while len(toks) > 1 and toks[0] in _TAG_LEAD:
        toks = toks[1:]
    if not toks:
        return False
    for k in (4, 3, 2, 1):
        if len(toks) < k:
            continue
        tail, body = tuple(toks[-k:]), toks[:-k]
        aux_tag = k == 2 and _aux_tag(tail[0], tail[1])
        if tail not in _TAG_PHRASES and not aux_tag:
            continue
        if not body:
            return True
        if k == 1 and (body[-1] in _TAG_COMPLEMENT or body[-1].endswith(_PREDICATE_CLITIC)) \
                and not _SEPARATED_LAST.search(sentence):
            return False
        if aux_tag and len(body) < 2:
            return False  # "so is it", "oh do you": a short question, not a statement's tag
        return question_shape(body) not in ("WH", "INV")
    if len(toks) >= 3 and toks[-1] == "huh":  # "pretty neat huh": a statement's check; alone, "huh?" asks again
        return question_shape(toks[:-1]) not in ("WH", "INV")
    return False


# -- greetings, summons and channel checks ----------------------------------------------
# "Hello?" at the start of a call (a summons), "Hello?" or "Can you hear me?" mid-call (a channel check), "Are you
# there?", «Алло?», «Вы меня слышите?»: said with a question mark, but they ask for no information, and an answering
# "Hello." is no knowledge that flowed (round 27: on the pyannote sample's transcript the junior's only question was
# "Hello?", and the two answered "Hello?"s made "knowledge flowed both ways"). The whole sentence must be such a phrase,
# or several of them ("Hello, can you hear me?"): "Hello, can you explain X?" and "Are you there yet with the report?"
# ask. Words are read as :func:`question_tokens` gives them (lower case, ё → е, a repeat dropped: "Hello, hello?").
_PHATIC_LEAD = frozenset({"oh", "um", "uh", "ah", "so", "well", "yeah", "okay", "ok", "hm", "hmm", "ну", "а", "э", "эм", "ой", "вот"})
_PHATIC_GREETINGS = frozenset({"hello", "hi", "hey", "hallo", "hullo", "hiya", "алло", "ало", "алле", "але", "привет",
                               "здравствуйте", "здрасте", "здрасьте", "приветствую"})
_PHATIC_GREETING_TAIL = frozenset({"there", "everyone", "everybody", "all", "guys", "folks", "всем", "все"})
_PHATIC_HEARERS = ("you", "you all", "you guys", "y'all", "everyone", "everybody", "anyone", "anybody")
_PHATIC_HEAR_TAIL = ("", "now", "okay", "ok", "alright", "all right", "well", "fine", "clearly", "ok now", "okay now")


def _phatic_phrases() -> frozenset[tuple[str, ...]]:
    en: set[str] = {"good morning", "good afternoon", "good evening"}
    for aux in ("can", "could", "do"):
        for who in _PHATIC_HEARERS:
            for tail in _PHATIC_HEAR_TAIL:
                en.update(f"{aux} {who} hear {obj} {tail}".strip() for obj in ("me", "us"))
    en.update(f"you hear me {tail}".strip() for tail in _PHATIC_HEAR_TAIL)
    for lead in ("are you", "you", "is anyone", "is anybody", "is someone", "is somebody", "anyone", "anybody"):
        en.update({f"{lead} there", f"{lead} still there"})
    en.update({"still there", "am i on mute", "am i muted", "are you on mute", "are you muted"})
    ru = {"добрый день", "добрый вечер", "доброе утро", "на связи", "меня слышно", "слышно меня", "меня хорошо слышно",
          "меня нормально слышно", "меня видно и слышно", "есть кто", "есть кто нибудь", "кто нибудь есть", "кто нибудь тут"}
    for you, hear in (("вы", "слышите"), ("ты", "слышишь")):
        ru.update({f"{you} меня слышите" if you == "вы" else f"{you} меня слышишь", f"{hear} меня", f"{you} {hear} меня",
                   f"меня {hear}", f"{you} меня хорошо {hear}", f"{you} меня {hear} хорошо"})
        for where in ("тут", "здесь", "там", "на связи"):
            ru.update({f"{you} {where}", f"{you} еще {where}", f"{you} все еще {where}"})
    return frozenset(tuple(p.split()) for p in en | ru)


_PHATIC_PHRASES = _phatic_phrases()
_PHATIC_MAX = max(len(p) for p in _PHATIC_PHRASES)


def phatic_question(sentence: str) -> bool:
    """Whether a question sentence is only a greeting, a summons or a channel check ("Hello?", "Hi there?", "Can you
    hear me?", "Are you still there?", "Am I on mute?", «Алло?», «Вы меня слышите?», «Ты тут?»), or a run of them
    ("Hello, hello, can you hear me?"), after leading fillers ("Oh, hello?"), with the name of the one called ("Hi
    Boris, can you hear me okay?": a word written with a capital after the first).

    Such a sentence is no question (:func:`_head_questions`, :func:`find_questions`): not asked, not open, not
    answered, no knowledge flow. The whole sentence decides, never its first word: "Hello, can you explain the
    budget?" and "Are you there yet with the report?" are questions. Not taken: a bare "Hey?" (it also asks for a
    repeat), "How are you?" (it asks about the person, and the corpora tag it a question), "Can you see my screen?",
    "Did I lose you?".
    """
    toks = [t for t in question_tokens(sentence) if t]
    k = 0
    while k < len(toks) - 1 and toks[k] in _PHATIC_LEAD:
        k += 1
    toks = toks[k:]
    if not toks or toks == ["hey"]:  # a bare "Hey?" also asks for a repeat (British "eh?": an AMI train el.inf act)
        return False
    if _phatic_run(tuple(toks)):
        return True
    # a call opens with the other's name ("Hi Boris, can you hear me okay?", «Алло, Игорь Петрович, вы меня
    # слышите?»): words written with a capital after the first are read as a name called, and the rest must still be
    # greetings and channel checks only ("Hello Kitty is a brand?" keeps "is a brand"); text written bare is unchanged
    # (the first word only when a comma follows it: "Boris, can you hear me?")
    words = [(m.group(), k == 0 and not sentence[m.end():].lstrip().startswith(",")) for k, m in
             enumerate(_TOKEN.finditer(sentence))]
    names = {w.casefold().replace("ё", "е") for w, first in words if not first and w[:1].isupper() and w != "I"}
    names -= _PHATIC_GREETINGS | _PHATIC_LEAD  # "Hello, Anna?": the greeting is no name
    rest = tuple(t for t in toks if t not in names)
    return bool(names) and bool(rest) and len(rest) < len(toks) and _phatic_run(rest)


@lru_cache(maxsize=1024)
def _phatic_run(toks: tuple[str, ...]) -> bool:
    """``toks`` is one or more greetings (each with an optional "there" / "everyone"…) and channel-check phrases."""
    if not toks:
        return True
    if toks[0] in _PHATIC_GREETINGS:
        if _phatic_run(toks[1:]) or (len(toks) > 1 and toks[1] in _PHATIC_GREETING_TAIL and _phatic_run(toks[2:])):
            return True
    for n in range(min(_PHATIC_MAX, len(toks)), 0, -1):
        if toks[:n] in _PHATIC_PHRASES and _phatic_run(toks[n:]):
            return True
    return False


# -- questions of courtesy and arrangement -------------------------------------------------------------------------
# "How are you?", "How was your week?", «Как ваши дела?» ask about the person, and "Same time in two weeks?",
# «Через две недели в то же время?» fix the next meeting: real questions (and counted as such),
# but not the questions about work the programme guide asks the junior to bring (round 45: a call's "The junior came
# with questions" was met by «Как ваши дела?» and «Через две недели в то же время?»). The whole question sentence must
# be such a phrase, after fillers, a greeting and a name called; words as :func:`question_tokens` gives them.
_SOCIAL_LEAD = r"(?:(?:oh|so|and|well|okay|ok|yeah|yes|great|deal|perfect|hi|hello|hey|ну|а|так|и|привет|здравствуйте|" \
               r"отлично|договорились|хорошо|ладно)\s+)*"
_SOCIAL = re.compile(
    _SOCIAL_LEAD + r"(?:"
    # courtesy
    r"how are you(?: doing| today| all)?|how(?:'s| is) it going|how are things(?: going)?|how have you been|what's up"
    r"|how(?:'s| is| was| has| were) (?:your|the) (?:week|weekend|day|morning|holiday|holidays|vacation|trip|break|"
    r"evening|summer|monday|friday)(?: been| going| so far)?|(?:did you have|had) a (?:good|nice|great) (?:week|weekend|"
    r"day|holiday|holidays|vacation|trip|break)|(?:are )?you (?:ok|okay|alright|all right|well)"
    r"|как (?:(?:ваши|твои|у вас|у тебя|вообще|ваши вообще|твои вообще) )?дела(?: у вас| у тебя)?(?: вообще)?"
    r"|как (?:вы|ты|поживаете|поживаешь|жизнь|настроение|самочувствие|здоровье|неделя|выходные|отпуск|отдохнули|"
    r"отдохнул|отдохнула|прошли выходные|прошла неделя|прошел отпуск|ваша неделя|твоя неделя)"
    # arranging the next meeting
    r"|same time(?: next (?:week|month|time)| in (?:a|one|two|three|four) (?:week|weeks|month)| on \w+| then| tomorrow"
    r"| as usual)?(?: then)?|(?:shall|should|can|could) we (?:meet|talk|speak|catch up|do this)(?: again)?"
    r"(?: (?:next (?:week|month|time|session|\w+day)|on \w+day|in (?:a|one|two|three|four) (?:week|weeks|days|month)|"
    r"tomorrow|later|at the same time|same time(?: next week)?|at \d+(?: \w+)?))+|when (?:do|shall|should|can|will) we (?:meet|talk|speak|catch up)(?: again| next)?(?: time)?"
    r"|(?:через (?:неделю|две недели|три недели|месяц)|в (?:следующ\w+|этот|эту|это) \w+)(?: в (?:то же|это же|тоже) время)?"
    r"|в (?:то же|это же|тоже) время(?: через (?:неделю|две недели|месяц)| в (?:следующ\w+ \w+|\w+))?"
    r"|(?:встречаемся|созвонимся|созваниваемся|увидимся|встретимся)(?: [\w ]{0,30})?"
    r")", re.IGNORECASE)


def social_question(text: str) -> bool:
    """Whether a question is one of courtesy ("How are you?", "How was your week?", «Как ваши дела?») or one that
    arranges the next meeting ("Same time in two weeks?", «Через две недели в то же время?»): each of its sentences
    with a question mark (all of them when none has one) is such a phrase alone. Counted as questions, but no question
    about work (the programme checklist leaves them out, as it does confirmation checks)."""
    parts = [p for p in re.split(r"(?<=[.!?…])\s+", text.strip()) if p.strip()]
    asked = [p for p in parts if p.rstrip().endswith("?")] or parts
    return bool(asked) and all(_SOCIAL.fullmatch(" ".join(question_tokens(p))) is not None for p in asked)


@dataclass(frozen=True, slots=True)
class QuestionEvent:
    """A question in a transcript and the reply that answered it, if any."""

    utterance_id: str
    asker: str
    text: str
    addressee: Optional[str]
    answered: bool
    answer_utterance_id: Optional[str]
    confidence: Optional[float] = None  # the head's calibrated probability; None = lexical rule
    #: every question sentence of the utterance is a confirmation tag (:func:`confirmation_tag`): a check, not an open question
    confirmation_tag: bool = False


# round 53: a pre-question asks leave to ask ("Can I ask you something?", «Игорь Петрович, можно я тоже спрошу,»); the
# question it announces follows in the asker's next words («у меня сложная ситуация с клиентом… они оставили гневный
# комментарий…»), and the reply to those is its answer. It stays a question (MRDA and AMI tag it so: 9 and 4 such
# acts in all their meetings), but its reply is looked for after the asker's run, not within the latency of its own end.
_VOCATIVE = r"(?:[A-ZА-ЯЁ][\w-]*(?:\s+[A-ZА-ЯЁ][\w-]*)?\s*,\s*)?"
_PRE_QUESTION_EN = re.compile(
    rf"^{_VOCATIVE}(?:(?:so|well|um+|uh+|okay|ok|and|but|oh|yeah|hey|sorry|actually)[\s,]+)*"
    r"(?:(?:can|could|may|might)\s+i\s+(?:just\s+|also\s+|quickly\s+)?(?:ask|pose)(?:\s+you)?"
    r"|(?:do\s+you\s+)?mind\s+if\s+i\s+ask(?:\s+you)?)"
    r"(?:\s+(?:a|one|another|one\s+more|some|two|a\s+couple\s+of))?"
    r"(?:\s+(?:quick|little|small|short|stupid|silly|naive|dumb|personal|follow-up|related|general|last|final))*"
    r"\s+(?:questions?|something|things?)\b", re.IGNORECASE)
_PRE_QUESTION_RU = re.compile(
    rf"^{_VOCATIVE}(?:(?:а|и|ну|так|слушайте|слушай|извините|простите|кстати)[\s,]+)*"
    r"(?:можно|разрешите)\s+(?:(?:я|мне)\s+)?(?:(?:тоже|ещё|еще|тогда|вас|тебя|вам|тебе|один)\s+)*"
    r"(?:спрошу|спросить|задам|задать|вопрос)(?![\w-])", re.IGNORECASE)


def pre_question(sentence: str) -> bool:
    """Whether a question sentence only asks leave to ask: "Can I ask you a quick question?", "Mind if I ask
    something?", «Можно я тоже спрошу», «Можно вопрос?» (a call by name may come first)."""
    text = sentence.strip()
    return bool(_PRE_QUESTION_EN.match(text) or _PRE_QUESTION_RU.match(text))


def find_questions(
    utterances: Sequence[Utterance],
    *,
    language: Optional[str],
    backchannels: Iterable[str],
    backchannel_max_words: int = 3,
    answer_max_utterances: int = 2,
    answer_max_latency_s: float = 6.0,
    head: Any = "bundled",
    answer_head: Any = "bundled",
    tagger: Any = None,
) -> list[QuestionEvent]:
    """Every question utterance with its answer attribution.

    One event per utterance that contains at least one question sentence: "What do you
    use? Notion?" is one question turn, answered (or not) by the reply as a whole.

    The addressee is the next other speaker (in a pair, the other person). The candidate
    replies are the next ``answer_max_utterances`` utterances by someone else, starting
    within ``answer_max_latency_s`` of the question's end (when timed); the asker's own
    continuation never answers. With the learned answer head (:class:`AnswerHead`) the answer
    is the candidate it scores highest, when that score reaches its threshold; it is used for
    English in timed transcripts of :data:`ANSWER_HEAD_MIN_SPEAKERS` or more speakers. Otherwise
    (Russian, no timing, two people, no head file) the rule decides: the first candidate that is not a backchannel (a plain "yes" / "no" / "yeah"
    does answer a yes/no question), not transcript marks alone (a laugh, "{gap}", a lone
    ".") and not itself only questions.

    A greeting, summons or channel check ("Hello?", "Are you there?", «Вы меня слышите?»: :func:`phatic_question`)
    is no question (round 27): an utterance of nothing else gives no event.

    ``head``: a :class:`QuestionHead`, ``"bundled"`` (the shipped one, or the lexical rule
    when absent) or ``None`` (the lexical rule). ``answer_head``: an :class:`AnswerHead`,
    ``"bundled"`` (the shipped one, or the rule when absent) or ``None`` (the rule). ``tagger``: the act tagger that
    joins the head in bare English transcripts (:func:`bare_question_tagger`), or ``None``.
    """
    bc = list(backchannels)
    events: list[QuestionEvent] = []
    ordered = list(utterances)
    if isinstance(head, str):
        head = bundled_question_head()
    if isinstance(answer_head, str):
        answer_head = bundled_answer_head()
    if answer_head is not None and (language == "ru" or not ordered or not all(u.timed for u in ordered)
                                    or len({u.speaker for u in ordered}) < ANSWER_HEAD_MIN_SPEAKERS):
        answer_head = None  # learned on timed English meetings of three or more people
    found = _head_questions(ordered, head, language, tagger=tagger) if head is not None else None
    for i, utt in enumerate(ordered):
        if found is not None:
            qs, conf = found[i]
        else:
            qs, conf = [q for q in question_sentences(utt.text, language=language) if not phatic_question(q)], None
        if not qs:
            continue
        addressee, window = reply_window(ordered, i, answer_max_utterances, answer_max_latency_s,
                                         after_asker=all(pre_question(q) for q in qs))
        window = [(j, k) for j, k in window if not wordless_blip(ordered[j], ordered)]
        if answer_head is not None and not any(_cyrillic(q) for q in qs):
            head_bc = answer_head.backchannels
            rule = _rule_answer(ordered, window, qs, head_bc, backchannel_max_words, language)
            answer = answer_head.answer(ordered, i, window, qs, rule, head_bc, backchannel_max_words)
        else:
            answer = _rule_answer(ordered, window, qs, bc, backchannel_max_words, language, affirmations=True)
        events.append(
            QuestionEvent(
                utterance_id=utt.id,
                asker=utt.speaker,
                text=" ".join(qs),
                addressee=addressee,
                answered=answer is not None,
                answer_utterance_id=ordered[answer].id if answer is not None else None,
                confidence=conf,
                confirmation_tag=all(confirmation_tag(q) for q in qs),
            )
        )
    return events


def reply_window(ordered: Sequence[Utterance], i: int, max_utterances: int,
                 max_latency_s: float, *, after_asker: bool = False) -> tuple[Optional[str], list[tuple[int, int]]]:
    """The addressee of question utterance ``i`` and its candidate replies ``(index, asker's utterances before it)``.

    Candidates: the next ``max_utterances`` utterances by someone else, none starting later than
    ``max_latency_s`` after the question's end (when timed); the asker's own continuation is
    skipped (and ends the window when it starts that late before anyone else spoke). ``after_asker`` (a
    :func:`pre_question`, round 53): the latency runs from the end of the asker's latest utterance instead, each
    continuing the asker's run within ``max_latency_s``.
    """
    utt = ordered[i]
    addressee: Optional[str] = None
    out: list[tuple[int, int]] = []
    seen_other = own = 0
    since = utt.end
    for j in range(i + 1, len(ordered)):
        nxt = ordered[j]
        late = since is not None and nxt.start is not None and nxt.start - since > max_latency_s
        if nxt.speaker == utt.speaker:
            if seen_other == 0 and late:
                break
            own += 1
            if after_asker and not late and since is not None and nxt.end is not None:
                since = max(since, nxt.end)
            continue
        seen_other += 1
        if addressee is None:
            addressee = nxt.speaker
        if seen_other > max_utterances or late:
            break
        out.append((j, own))
    return addressee, out


def _marks_only(text: str) -> bool:
    """Transcript marks or punctuation without any word as docs/metrics.md counts them ("{vocalsound}", "[laughter]",
    a lone "." or "-"): the same test as the answer head's ``kind=marks`` (:func:`~sessionscope.text.spoken_tokens`)."""
    return bool(text.strip()) and not spoken_tokens(text)


#: Speech without any recognised word shorter than this (seconds) answers no question when the session has words
#: elsewhere (recognised audio: a blip the transcription left empty). On the MRDA train meetings 98 % of backchannels
#: are under 1 s against 57 % of the responder's first act after a question; of all those acts under 1 s, 84 % are
#: backchannels, of those of 1 s or more, 88 % are answers (round 21, benchmarks/r21_wordless_answer.py). RTTM input
#: (no text anywhere) is unchanged.
WORDLESS_ANSWER_MIN_S = 1.0


def wordless_blip(utt: Utterance, ordered: Sequence[Utterance]) -> bool:
    """``utt`` has no text, is timed and shorter than :data:`WORDLESS_ANSWER_MIN_S`, in a session that has text."""
    if utt.text.strip() or utt.duration is None or utt.duration >= WORDLESS_ANSWER_MIN_S:
        return False
    return any(u.text.strip() for u in ordered)


def _rule_answer(ordered: Sequence[Utterance], window: Sequence[tuple[int, int]], qs: Sequence[str],
                 bc: Sequence[str], backchannel_max_words: int, language: Optional[str], *,
                 affirmations: bool = False) -> Optional[int]:
    """The rule's answer: the first candidate with content (see :func:`find_questions`), as an index.

    ``affirmations``: an affirmation ("Mhm.", "Right.") answers a yes/no question as "yes" does (round 26; where the
    rule decides); without, the rule as the answer head's feature "is the rule's answer" was trained with."""
    yes_no = any(_yes_no_question(q) for q in qs)
    for j, _ in window:
        nxt = ordered[j]
        if _marks_only(nxt.text):
            continue  # a laugh or a lone "." says nothing; speech without any text (RTTM input) may answer
        yes = _rule_yes_no_answer if affirmations else _yes_no_answer
        if (spoken_backchannel(nxt.text, bc, max_words=backchannel_max_words) or _no_content(nxt.text)) \
                and not (yes_no and yes(strip_markup(nxt.text))):
            continue
        own = sentences(strip_markup(nxt.text))  # "Send what ? {vocalsound}": the mark is no sentence of its own
        if own and all(is_question(s, language=language) for s in own):
            continue
        return j
    return None


# -- the learned answer head -------------------------------------------------------------
ANSWER_HASH_BITS = 14
#: The answer head is used from this many speakers on: the meetings it learned from (MRDA, AMI) have 4–9 people and
#: no two-person talk, where the other person is always the one asked and the corpora cannot say how often they answer.
ANSWER_HEAD_MIN_SPEAKERS = 3
#: Bump when :func:`answer_candidate_features` change: an answer head of another version is refused (retrain it).
#: 2 (round 25): the features read the spoken words (:func:`sessionscope.text.spoken_tokens`), as the rule and the
#: dynamics do since round 24: a transcript mark ("{vocalsound}", "<LAUGH>") is no word of the question or the reply.
ANSWER_FEATURES_VERSION = 2
#: The backchannel list an answer head reads replies with when its file does not name its own (``meta["backchannels"]``):
#: the ``dynamics.backchannels`` default the bundled head was trained with (rounds 15–48). A learned model's features
#: are computed as they were in training; round 49's added spellings ("uhhuh", "uh huh", "mhmm", …) count for the
#: dynamics and the rule, and would have moved the head's answers on dev meetings (MRDA agreement 0.739 → 0.734).
ANSWER_HEAD_BACKCHANNELS: tuple[str, ...] = (
    "yeah", "yes", "yep", "yup", "no", "nope", "mm", "mhm", "mm-hmm", "uh-huh", "hmm", "hm", "right",
    "okay", "ok", "sure", "i see", "exactly", "true", "wow", "oh", "ah", "uh", "um", "cool", "great",
    "да", "ага", "угу", "ну", "нет", "понятно", "ясно", "хорошо", "конечно", "точно", "так", "ок",
    "окей", "ммм", "м", "ой", "ах", "угу-угу", "ну да", "верно", "согласен", "согласна", "отлично",
)


def _latency_bucket(gap: Optional[float]) -> str:
    if gap is None:
        return "none"
    for edge, name in ((-1.0, "olap1"), (0.0, "olap"), (0.3, "0.3"), (1.0, "1"), (2.0, "2"), (5.0, "5")):
        if gap < edge:
            return name
    return "long"


def answer_candidate_features(ordered: Sequence[Utterance], i: int, j: int, pos: int, own_before: int,
                              qs: Sequence[str], rule: Optional[int], bc: Sequence[str],
                              backchannel_max_words: int = 3) -> list[str]:
    """Features of candidate reply ``ordered[j]`` (the ``pos``-th other speaker's utterance) to question ``ordered[i]``.

    The question: its shape (interrogative word, inversion, short, statement), a confirmation tag,
    how many question sentences, whether the utterance goes on after its last question, length.
    The candidate: position, whether the asker spoke again first, latency after the question's end,
    backchannel / no content / marks only / only questions / any question, a yes-no start, length,
    its first one and two words, whether the same speaker keeps the floor after it, whether it is
    the addressee (the first other speaker), whether it is the rule's answer; crossed with the
    question's shape. All of them read the spoken words as docs/metrics.md counts them (round 25): a
    transcript mark ("{vocalsound}", "<LAUGH>") is not a word, so "<LAUGH> No," starts with "no" and a
    laugh alone is ``kind=marks``, as the rule reads them.
    """
    q, c = ordered[i], ordered[j]
    qs = [t for t in (strip_markup(s) for s in qs) if t]
    qtext, ctext = strip_markup(q.text), strip_markup(c.text)
    last = question_tokens(qs[-1]) if qs else []
    shape = question_shape(last)
    tag = all(confirmation_tag(s) for s in qs) if qs else False
    qtoks = question_tokens(qtext)
    ctoks = question_tokens(ctext)
    csent = sentences(ctext)
    marks = not spoken_tokens(c.text)  # a laugh, "{gap}", a lone "." or "-", or speech without text
    backch = spoken_backchannel(c.text, bc, max_words=backchannel_max_words)
    empty = _no_content(c.text)
    only_q = bool(csent) and all(is_question(s) for s in csent)
    any_q = any(is_question(s) for s in csent)
    yn = _yes_no_answer(ctext)
    gap = c.start - q.end if c.start is not None and q.end is not None else None
    lat = _latency_bucket(gap)
    n = len(ctoks)
    clen = str(n if n < 4 else 4 if n < 8 else 8 if n < 16 else 16)
    nxt = ordered[j + 1] if j + 1 < len(ordered) else None
    keeps = nxt is not None and nxt.speaker == c.speaker
    addressee = next((u.speaker for u in ordered[i + 1:] if u.speaker != q.speaker), None)
    kind = "marks" if marks else "bc" if backch else "empty" if empty else "onlyq" if only_q else "content"
    after_q = bool(qs) and not qtext.endswith(qs[-1].strip())  # the asker goes on after the question
    f = ["bias", f"qs={shape}", f"qtag={tag}", f"qn={min(len(qs), 3)}", f"qlen={_len_bucket(len(qtoks))}",
         f"qafter={after_q}", f"pos={pos}", f"own={min(own_before, 2)}", f"lat={lat}", f"pos={pos}:lat={lat}",
         f"kind={kind}", f"kind={kind}:pos={pos}", f"kind={kind}:qs={shape}", f"kind={kind}:lat={lat}",
         f"anyq={any_q}", f"yn={yn}", f"yn={yn}:qs={shape}", f"yn={yn}:tag={tag}", f"clen={clen}", f"clen={clen}:qs={shape}",
         f"keeps={keeps}", f"keeps={keeps}:kind={kind}", f"addr={c.speaker == addressee}", f"rule={rule == j}",
         f"rule={rule == j}:pos={pos}", f"ruleany={rule is not None}", f"own={min(own_before, 2)}:kind={kind}"]
    if last:
        c0 = last[_content_start(last):]
        f += [f"qf1={c0[0]}", f"qf2={' '.join(c0[:2])}", f"ql1={last[-1]}"]
    if ctoks:
        f += [f"w1={ctoks[0]}", f"w2={' '.join(ctoks[:2])}", f"w1={ctoks[0]}:qs={shape}", f"w1={ctoks[0]}:tag={tag}"]
    if pos > 1:  # what the earlier candidate was
        pj = j - 1
        while pj > i and ordered[pj].speaker == q.speaker:
            pj -= 1
        prev = ordered[pj]
        f += [f"prevsame={prev.speaker == c.speaker}",
              f"prevbc={spoken_backchannel(prev.text, bc, max_words=backchannel_max_words) or _no_content(prev.text)}"]
    return f


def answer_feature_ids(features: Iterable[str]) -> list[int]:
    """Hashed indices of answer features (sorted, unique)."""
    mask = (1 << ANSWER_HASH_BITS) - 1
    return sorted({zlib.crc32(f.encode("utf-8")) & mask for f in features})


@dataclass(frozen=True)
class AnswerHead:
    """Learned answer attribution: a logistic regression for "this candidate is the corpus responder's reply".

    Trained on the adjacency pairs of the MRDA and AMI train meetings
    (``benchmarks/train_answer_head_r15_answered.py``); a question is answered by its best
    candidate when that candidate's probability reaches ``threshold`` (chosen on held-out
    train meetings). Never the asker: only other speakers' utterances are candidates.
    """

    weights: np.ndarray
    bias: float
    threshold: float
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def backchannels(self) -> tuple[str, ...]:
        """The backchannel list its features read replies with: the one it was trained with (``meta["backchannels"]``,
        else :data:`ANSWER_HEAD_BACKCHANNELS`)."""
        return tuple(self.meta.get("backchannels") or ANSWER_HEAD_BACKCHANNELS)

    def proba(self, features: Sequence[str]) -> float:
        z = float(self.weights[answer_feature_ids(features)].sum()) + self.bias
        return 1.0 / (1.0 + float(np.exp(-np.clip(z, -30, 30))))

    def scores(self, ordered: Sequence[Utterance], i: int, window: Sequence[tuple[int, int]], qs: Sequence[str],
               rule: Optional[int], bc: Sequence[str], backchannel_max_words: int = 3) -> list[float]:
        """The probability of each candidate of ``window`` (see :func:`reply_window`)."""
        return [self.proba(answer_candidate_features(ordered, i, j, pos, own, qs, rule, bc, backchannel_max_words))
                for pos, (j, own) in enumerate(window, start=1)]

    def answer(self, ordered: Sequence[Utterance], i: int, window: Sequence[tuple[int, int]], qs: Sequence[str],
               rule: Optional[int], bc: Sequence[str], backchannel_max_words: int = 3) -> Optional[int]:
        """The index of the answering utterance, or ``None``."""
        if not window:
            return None
        p = self.scores(ordered, i, window, qs, rule, bc, backchannel_max_words)
        k = int(np.argmax(p))
        return window[k][0] if p[k] >= self.threshold else None

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = {**self.meta, "features_version": ANSWER_FEATURES_VERSION, "hash_bits": ANSWER_HASH_BITS}
        with open(path, "wb") as fh:
            np.savez_compressed(fh, weights=self.weights.astype(np.float16),
                                head=np.array([self.bias, self.threshold], dtype=np.float64),
                                meta=np.array(json.dumps(meta, ensure_ascii=False, sort_keys=True)))
        return path


def load_answer_head(path: str | Path) -> AnswerHead:
    """An answer head written by ``benchmarks/train_answer_head_r15_answered.py``."""
    from sessionscope.errors import ModelError

    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        meta = json.loads(str(arrays["meta"]))
        w, h = arrays["weights"].astype(np.float32), arrays["head"]
    except FileNotFoundError as e:
        raise ModelError(f"answer head not found: {path}") from e
    except (OSError, ValueError, KeyError) as e:
        raise ModelError(f"{path} is not an answer head (.npz written by "
                         f"benchmarks/train_answer_head_r15_answered.py): {e}") from e
    if meta.get("features_version") != ANSWER_FEATURES_VERSION or w.shape != (1 << ANSWER_HASH_BITS,) or h.shape != (2,):
        raise ModelError(f"{path}: answer head of another feature version or shape (retrain it with "
                         "`python benchmarks/train_answer_head_r15_answered.py`)")
    return AnswerHead(weights=w, bias=float(h[0]), threshold=float(h[1]), meta=meta)


def answer_head_path() -> Path:
    from sessionscope.fileio import bundled_resource

    return bundled_resource("dialogue_acts", "answer_head.npz")


@lru_cache(maxsize=4)
def bundled_answer_head(path: Optional[str] = None) -> Optional[AnswerHead]:
    """The shipped answer head (``None`` when the file is absent: the rule attributes answers)."""
    p = Path(path) if path else answer_head_path()
    if path is None and not p.exists():
        return None
    return load_answer_head(p)


_YES_NO_ANSWERS = frozenset({"yes", "no", "yeah", "yep", "yup", "nope", "sure", "да", "нет", "конечно", "ага"})


def _yes_no_question(sentence: str) -> bool:
    """Not an interrogative-word question (those want more than "yes"); read on the spoken words, so
    "{vocalsound} So how would it work ?" is one (round 25)."""
    return question_shape(question_tokens(strip_markup(sentence))) != "WH"


# Sounds and linking words that say nothing on their own ("huh.", "so ==", "uhhuh", "and -").
_EMPTY_REPLY = frozenset({
    "huh", "uhhuh", "uh-huh", "mhm", "mm-hmm", "hmm", "hm", "hmph", "mm", "um", "uh", "oh", "ah", "so", "and", "but",
    "or", "well", "okay", "ok", "yeah", "like", "the", "a", "i", "it", "that", "ну", "а", "и", "но", "вот", "так", "э", "м",
})


def _no_content(text: str) -> bool:
    """A reply made only of sounds and linking words (a cut-off start or a hesitation), not an answer.

    Read on the spoken words (docs/metrics.md): "{vocalsound} Uhhuh ." and "So {disfmarker}" say nothing either
    (until round 25 the mark counted as a word, and such a reply answered the question by the rule)."""
    toks = question_tokens(strip_markup(text))
    return bool(toks) and len(toks) <= 4 and all(t in _EMPTY_REPLY for t in toks)


def _yes_no_answer(text: str) -> bool:
    toks = question_tokens(text)
    return bool(toks) and toks[0] in _YES_NO_ANSWERS


#: Affirmations that answer a yes/no question as "yes" does, for the rule only (the answer head's features keep
#: :data:`_YES_NO_ANSWERS`, which it was trained with). Round 26 (audit): in SBC009 Nathan's "Am I doing that right so
#: far?", "It does?", "I have to flip that sign over if I do that?" … each got Kathy's "Mhm." at once, and 9 of the 20
#: questions the pair's report listed as open were answered so.
_RULE_YES_WORDS = frozenset({"mhm", "right", "exactly", "correct", "угу"})
_RULE_YES_PAIRS = frozenset({("uh", "huh"), ("mm", "hmm"), ("mm", "hm"), ("m", "hm")})


def _rule_yes_no_answer(text: str) -> bool:
    """A reply that answers a yes/no question by the rule: :func:`_yes_no_answer`, or an affirmation ("Mhm.",
    "Uh-huh.", "Mm-hmm.", "Right.", "Угу.")."""
    toks = question_tokens(text)
    return _yes_no_answer(text) or (bool(toks) and (toks[0] in _RULE_YES_WORDS or tuple(toks[:2]) in _RULE_YES_PAIRS))


_CYR = re.compile(r"[а-яё]", re.IGNORECASE)
_LAT = re.compile(r"[a-z]", re.IGNORECASE)


def _cyrillic(text: str) -> bool:
    return len(_CYR.findall(text)) > len(_LAT.findall(text))


def unmarked_inversion(sentence: str) -> bool:
    """A sentence without any punctuation mark in a punctuated transcript that opens (after fillers)
    with a subject–auxiliary inversion and is not cut off: "Do you use Notion" — its "?" was left out.

    The head reads a missing "?" in a punctuated transcript as evidence against a question, which
    the meeting corpora support for fragments ("Do we go for maybe a remote contro", "How can t");
    a complete inverted sentence of four words or more with no mark at all is read as unpunctuated
    text instead (on the held-out train meetings: MRDA unchanged, AMI 0.751 → 0.751, 9 of 23 flips
    gold). Reported questions stay out.
    """
    s = sentence.strip()
    if not s or _PUNCTUATED.search(s) or s[-1] in "-=—" or len(s.split()) < 4 or reported_question(s):
        return False
    return question_shape(question_tokens(s)) == "INV"


#: How a punctuated transcript's English sentences ending with "." that the punctuated weights reject are read again
#: by the bare weights (round 28, :func:`period_candidates`): ``"unreliable"`` (shipped: every one, in a transcript
#: whose "?" is unreliable, :func:`qmark_unreliable`), ``"shape"`` (the strongly question-shaped ones, in any
#: transcript), ``"shape_unreliable"`` (those, in such a transcript), ``"off"`` (before round 28). The others are
#: kept for ``benchmarks/r28_period.py``.
PERIOD_RULE = "unreliable"
#: :func:`qmark_unreliable`: below this share of "?" among the strongly question-shaped sentences ending with "?" or
#: ".", with at least :data:`PERIOD_MIN_SHAPED` of them, a transcript's "?" is unreliable
PERIOD_UNRELIABLE_SHARE = 0.5
PERIOD_MIN_SHAPED = 4
_WH_CONTRACTED = frozenset({"what's", "how's", "where's", "who's", "why's"})


def strong_question_shape(sentence: str) -> bool:
    """An English sentence worded as a question beyond doubt: after fillers, an auxiliary + subject ("do you…",
    "is it…"), an interrogative word + auxiliary ("what did…", "where is…") or a contracted interrogative word
    ("what's…", "how's…"); not a reported question, not cut off ("is that -"), not Russian."""
    s = sentence.strip()
    if not s or s[-1] in "-=—" or _cyrillic(s) or reported_question(s):
        return False
    toks = question_tokens(s)
    if not toks:
        return False
    c = toks[_content_start(toks):]
    if len(c) >= 2 and c[0] in _WH_CONTRACTED:
        return True
    if len(c) >= 3 and c[0] in EN_WH and c[1] in Q_AUX:
        return True
    return len(c) >= 3 and c[0] in Q_AUX and c[1] in Q_SUBJ


def qmark_unreliable(texts: Sequence[str]) -> bool:
    """Whether a punctuated transcript's "?" is unreliable: of its sentences (``texts``) of strong question shape
    (:func:`strong_question_shape`) that end with "?" or ".", at least :data:`PERIOD_MIN_SHAPED`, fewer than
    :data:`PERIOD_UNRELIABLE_SHARE` end with "?" — a recogniser that writes questions with a final "." (Whisper
    often does), or a transcript whose punctuation marks falling intonation ("What's wrong.")."""
    q = d = 0
    for t in texts:
        end = t.rstrip()[-1:]
        if end in ("?", ".") and strong_question_shape(t):
            q += end == "?"
            d += end == "."
    return q + d >= PERIOD_MIN_SHAPED and q < PERIOD_UNRELIABLE_SHARE * (q + d)


#: the data-quality note of a transcript read as unpunctuated text (:func:`punctuation_notes`)
NO_PUNCTUATION_NOTE = ("no punctuation in the transcript: questions were found from word order, advice and tasks from "
                       "clause cuts (less reliable than in punctuated text)")


def punctuation_notes(texts: Sequence[str]) -> list[str]:
    """The data-quality notes on how a transcript's punctuation is read (utterance ``texts``), for its report.

    The question, advice and task figures of a transcript without punctuation, or of one whose "?" is unreliable
    (:func:`qmark_unreliable`), come from word order: fewer of them are right than in a punctuated transcript (round
    28, dev meetings: questions F1 MRDA 0.978 / AMI 0.751 as transcribed, 0.686 / 0.633 bare; docs/benchmarks.md).
    A reader (``io``) and ``run`` add these notes, so that a report says how its counts were made.
    """
    if not any(len(t.split()) >= 2 for t in texts):
        return []
    if not transcript_punctuated(texts):
        return [NO_PUNCTUATION_NOTE]
    if PERIOD_RULE == "off":
        return []
    sents = [s for t in texts for s in sentences(t)]
    if not qmark_unreliable(sents):
        return []
    ends = [s.rstrip()[-1:] for s in sents if s.rstrip()[-1:] in ("?", ".") and strong_question_shape(s)]
    return [f"question marks are unreliable in this transcript ({ends.count('?')} of {len(ends)} sentences worded as "
            "questions end with '?'): English sentences ending with '.' were also judged from word order"]


def period_candidates(texts: Sequence[str], decisions: Sequence[bool] | np.ndarray) -> list[int]:
    """Indices of the English sentences of a punctuated transcript that the punctuated weights rejected and the bare
    weights decide instead (:data:`PERIOD_RULE`; shipped: in a transcript whose "?" is unreliable, every sentence
    ending with a single "."). The punctuated weights read a final "." as evidence of a statement, which holds where
    "?" is reliable and loses the questions where it is not (round 28, held-out train meetings, every "?" of a gold
    question made ".": F1 MRDA 0.079, AMI 0.207 before; ``benchmarks/r28_period.py``)."""
    if PERIOD_RULE == "off":
        return []
    if PERIOD_RULE in ("unreliable", "shape_unreliable") and not qmark_unreliable(texts):
        return []
    out = []
    for k, (t, yes) in enumerate(zip(texts, decisions, strict=True)):
        s = t.rstrip()
        if yes or not s.endswith(".") or s.endswith("..") or _cyrillic(s):
            continue
        if PERIOD_RULE == "unreliable" or strong_question_shape(s):
            out.append(k)
    return out


#: How a punctuated transcript's English utterances without any mark are read (round 28, :func:`unmarked_utterances`):
#: ``"lower"`` (shipped: every one of :data:`MIXED_MIN_WORDS` words or more, not cut off, with no capital letter
#: either, is cut by :func:`bare_clauses` and decided by the bare weights), ``"all"`` (the same with capitals too),
#: ``"share"`` (``"all"``, when such utterances are at least :data:`MIXED_MIN_SHARE` of the transcript's utterances
#: of that length not cut off), ``"off"`` (before round 28: each is one sentence for the punctuated weights,
#: :func:`unmarked_inversion` aside). The others are kept for ``benchmarks/r28_mixed.py``.
MIXED_RULE = "lower"
MIXED_MIN_WORDS = 4
MIXED_MIN_SHARE = 0.25


def bare_utterance(text: str) -> bool:
    """An English utterance with no punctuation mark and no capital letter, not cut off ("so ==", "i- -"): a
    recogniser's bare output. The question head reads such an utterance of a punctuated transcript as bare text
    (:func:`unmarked_utterances`, shipped ``"lower"`` rule) and so does the extraction
    (:func:`sessionscope.analysis.extract.bare.is_bare`), round 28."""
    s = text.strip()
    return (bool(s) and not _PUNCTUATED.search(s) and s[-1] not in "-=—" and not any(ch.isupper() for ch in s)
            and not _cyrillic(s))


def _unmarked(text: str) -> bool:
    """An English utterance of :data:`MIXED_MIN_WORDS` words or more with no punctuation mark, not cut off."""
    s = text.strip()
    return (bool(s) and len(s.split()) >= MIXED_MIN_WORDS and not _PUNCTUATED.search(s) and s[-1] not in "-=—"
            and not _cyrillic(s))


def unmarked_utterances(texts: Sequence[str]) -> list[bool]:
    """Per utterance of a punctuated transcript: whether its text is read as bare text (:data:`MIXED_RULE`; shipped:
    four words or more, no punctuation mark, no capital letter, not cut off, not Russian) — a stretch the recogniser
    wrote without punctuation or capitals (Whisper drops them for whole 30-second chunks now and then), whose questions
    the punctuated weights read as statements for want of "?" (round 28, held-out train meetings with each 30-second
    chunk made bare with probability 0.2 / 0.4, mean of three seeds: F1 MRDA 0.882 → 0.893 / 0.785 → 0.811, AMI
    0.708 → 0.721 / 0.658 → 0.690; as transcribed MRDA unchanged, AMI 0.751 → 0.750; ``benchmarks/r28_mixed.py``)."""
    if MIXED_RULE == "off":
        return [False] * len(texts)
    flags = [_unmarked(t) for t in texts]
    if MIXED_RULE == "share":
        n = sum(len(t.split()) >= MIXED_MIN_WORDS and t.strip()[-1:] not in ("-", "=", "—") for t in texts)
        if not n or sum(flags) < MIXED_MIN_SHARE * n:
            return [False] * len(texts)
    if MIXED_RULE == "lower":
        flags = [f and bare_utterance(t) for f, t in zip(flags, texts, strict=True)]
    return flags


_RU_LEAD = frozenset({"а", "ну", "и", "но", "так", "вот", "кстати", "слушай", "слушайте", "скажи", "скажите"})
_RU_PREP = frozenset({"с", "со", "о", "об", "обо", "в", "во", "на", "для", "за", "к", "ко", "от", "у", "по", "про", "из", "до"})
_RU_CAN = frozenset({"я", "мне", "мы", "нам", "ли", "вопрос", "спросить", "уточнить"})
_RU_END_WH = frozenset({"как", "что", "почему", "зачем", "где", "когда", "куда", "откуда", "кто", "сколько"})
_RU_WH_TAIL = re.compile(r"-(?:то|нибудь|либо|таки)$")
_RU_ASIDE = re.compile(r",\s*(?:кстати|вообще|например|скажите|скажи|слушайте|слушай)\s*,", re.IGNORECASE)
_RU_WHAT_IF = re.compile(r"(?:^|,)\s*а\s+(?:что\s+)?(?:если|вдруг)\s+[^,]+$", re.IGNORECASE)


def ru_unmarked_question(sentence: str, before: str = "") -> bool:
    """A Russian sentence of a punctuated transcript that ends without "?" but is worded as a question.

    faster-whisper writes many Russian questions with "." or "," ("60 тысяч тенге сколько будет
    стоить.", "Как, кстати, идёт проект с новым сайтом.", "можно я тоже спрошу,"), so a final mark
    other than "?" is no evidence against a question there. The first clause (up to a comma), after
    leading particles («а», «ну», «кстати»…), is a question when: the Russian lexical rule holds
    (:func:`_lexical_question`: «ли», an interrogative word first); an interrogative word opens a
    sentence with no comma at all (written Russian sets a fronted «как/что/когда…» clause off with a
    comma: "Когда ты новенький, ты…" is a statement); a preposition + interrogative opens it
    («с чего…»); «можно я/мне/мы…» opens it; a strong interrogative word comes second to fourth, not
    after a verb that embeds it ("60 тысяч тенге сколько будет стоить", "а тексты кто будет писать");
    or a clause of up to three words ends in one ("а вы как"); or the sentence ends in a clause
    «а если… / а что если… / а вдруг…». An aside set off by commas («, кстати,») is dropped first.
    Reported questions stay out.

    ``before``: the same speaker's previous sentence when it ended without a full stop (the recogniser
    cut one sentence into segments at commas: "…под нашим постом," | "что мы сорвали сроки."). The
    sentence then continues a clause: an opening «что», «чем», «когда», «где» or «который» is a
    conjunction, a clause after a verb that embeds it ("я не знаю," | "как их помирить") is reported,
    and the rules for a sentence's opening word do not apply.
    """
    s = _RU_ASIDE.sub(" ", sentence.strip().rstrip(".,!;:…-— "))  # "Как, кстати, идёт…" → "Как идёт…"
    if not s or sentence.strip().endswith("?") or reported_question(s):
        return False
    if _RU_WHAT_IF.search(s):  # "…, а если что-то срочное": a final «а если / а вдруг / а что если» clause
        return True
    clauses = [c for c in (c.strip() for c in s.split(",")) if c]
    toks: list[str] = []
    for c in clauses:  # "Ну, как…": a clause of particles alone is skipped
        toks = _ru_words(c)
        if toks:
            break
    if not toks:
        return False
    continues = bool(before.strip())
    if continues:
        prev = [w.casefold() for w in words(before)]
        if (prev and prev[-1] in _RU_EMBEDDING) or toks[0] in _RU_CONJUNCTION:
            return False
    return _ru_question_words(toks, _ru_words(s), len(clauses) == 1 and not continues)


# -- a Russian yes/no question told by its answer (round 46) ----------------------------------------------------------
#: how a yes or no answer opens («Да, успею.», «Ещё нет.», «Конечно.»)
_RU_YES_NO = re.compile(r"^\W*(?:(?:ну|ой|а|э|эм|м)\W+)*(?:да|нет|ага|угу|конечно|неа|не-а|разумеется|естественно|"
                        r"безусловно|(?:ещё|еще|пока)\s+нет|не\s+(?:совсем|очень|успел[аи]?|получилось)|почти)"
                        r"(?![\w-])", re.IGNORECASE)
#: the listener in a sentence: a pronoun of the second person
_RU_LISTENER = frozenset({"ты", "вы", "тебе", "вам", "тебя", "вас", "тобой", "вами", "твой", "твоя", "твоё", "твое",
                          "твои", "ваш", "ваша", "ваше", "ваши"})
#: words of a check on how something went, which ask whether without a pronoun («Получилось настроить?»)
_RU_CHECK_OPENERS = frozenset({"получилось", "удалось", "понятно", "удобно", "нормально", "ясно", "успели", "успел",
                               "успела", "получается", "помогло", "подходит", "устраивает", "договорились"})
#: advice, a request or a plan put to the listener, which a «да» takes up rather than answers («Вам стоит…» — «Да.»)
_RU_NOT_ASKING = frozenset({"надо", "нужно", "стоит", "следует", "лучше", "можно", "должен", "должна", "должны",
                            "давай", "давайте", "пожалуйста", "попробуй", "попробуйте", "советую", "предлагаю"})
#: second-person words that mark discourse, not a question to the listener («понимаешь», «знаете», «слушай»)
_RU_DISCOURSE_YOU = frozenset({"понимаешь", "понимаете", "знаешь", "знаете", "слушай", "слушайте", "смотри", "смотрите",
                               "видишь", "видите", "представляешь", "представляете", "веришь", "верите", "скажем"})
#: words that make a sentence to the listener a check on something, not a statement («уже», «успел», «удобно», «есть»)
_RU_CHECK_WORDS = frozenset({"уже", "успел", "успела", "успели", "получилось", "удалось", "удобно", "нормально",
                             "понятно", "готов", "готова", "готово", "готовы", "есть", "ещё", "еще", "точно", "тоже"})
#: verbs of ability, intent or plan that ask when said to the listener («успеешь», «сможете», «будешь», «хочешь»)
_RU_ASKING_VERBS = frozenset({"успеть", "смочь", "мочь", "хотеть", "быть", "планировать", "собираться", "справиться",
                              "получиться", "помнить", "знать"})
#: a sentence this short asks whatever its words, when a yes or no answers it («Ты в офисе.» — «Да.»)
RU_YES_NO_SHORT = 5
#: the most words a yes/no question told by its answer may have
RU_YES_NO_MAX_WORDS = 14


def ru_yes_no_by_reply(sentence: str, reply: str) -> bool:
    """A Russian yes/no question written without "?" (faster-whisper writes most Russian questions with "." and a
    yes/no question has no word that says so): the other person's next sentence answers it yes or no («Ты успел
    отправить опрос.» — «Ещё нет.»; «Тебе удобно в четверг в три.» — «Да.»), and it asks about the listener (a
    second-person pronoun, a verb in the second person, not an imperative: «А к среде успеешь.») or opens with a check
    on how something went («Получилось настроить выгрузку.»). Advice, requests and plans put to the listener («Вам
    стоит попробовать…», «Давайте…») and the speaker's own statements (opening «я» / «мы») are not questions: a «да»
    takes those up. At most :data:`RU_YES_NO_MAX_WORDS` words; not reported (round 46)."""
    s = sentence.strip()
    if not s or s.endswith("?") or not _cyrillic(s) or reported_question(s):
        return False
    toks = _ru_words(s.rstrip(".,!;:…-— "))
    if not _RU_YES_NO.match(reply.strip()) and not _ru_echo(toks, reply):
        return False
    if not toks or len(toks) > RU_YES_NO_MAX_WORDS or toks[0] in ("я", "мы") or _RU_NOT_ASKING & set(toks):
        return False
    toks = [w for w in toks if w not in _RU_DISCOURSE_YOU]  # «Понимаешь, бюджет уже был потрачен.»: a marker
    if not toks:
        return False
    if toks[0] in _RU_CHECK_OPENERS:
        return True
    # asking, not telling: a check word («уже», «успел», «удобно», «есть»), a verb of ability or intent, or a few words
    # («В прошлый раз вы обещали разобраться с каналом.» — «Да…» reminds; «Вы создаёте чаты до среды…» assigns)
    asking = len(toks) <= RU_YES_NO_SHORT or bool(_RU_CHECK_WORDS & set(toks)) or _ru_lemma_in(toks, _RU_ASKING_VERBS)
    if not asking:
        return False
    if _RU_LISTENER & set(toks):
        return not _ru_imperative_in(toks)
    return _ru_second_person_verb(toks)


def _ru_echo(toks: Sequence[str], reply: str) -> bool:
    """Whether a short reply opens by saying again a word of the sentence, as a Russian yes is often said («Тебе удобно
    в четверг?» — «Удобно.»; «А к среде успеешь?» — «Успею.»): the same word or the same dictionary word."""
    said = _ru_words(reply)
    if not said or len(said) > 3:
        return False
    first = {p.normal_form for p in _ru_parses(said[0])[:1]} | {said[0]}
    return any(w == said[0] or {p.normal_form for p in _ru_parses(w)[:1]} & first for w in toks)


def _ru_parses(word: str) -> list:
    try:
        from sessionscope.language.morph import morph

        return list(morph().parse(word))
    except ImportError:
        return []


def _ru_lemma_in(toks: Sequence[str], lemmas: frozenset[str]) -> bool:
    """Whether a word's likeliest dictionary word is one of ``lemmas``."""
    return any((p := _ru_parses(w)) and p[0].normal_form.replace("ё", "е") in lemmas for w in toks)


def _ru_imperative_in(toks: Sequence[str]) -> bool:
    """Whether a word is likelier an imperative than anything else («посмотри», «напишите»)."""
    return any((p := _ru_parses(w)) and "impr" in p[0].tag for w in toks)


def _ru_second_person_verb(toks: Sequence[str]) -> bool:
    """Whether a word's likeliest reading is a verb in the second person, not an imperative («успеешь», «сможете»); a
    plural form that is an imperative too («посмотрите», «напишите») only after «вы»."""
    for n, w in enumerate(toks):
        parses = _ru_parses(w)
        if not parses or parses[0].tag.POS != "VERB" or "2per" not in parses[0].tag or "impr" in parses[0].tag:
            continue
        if any("impr" in q.tag for q in parses) and "вы" not in toks[:n]:
            continue
        return True
    return False


_RU_CONJUNCTION = frozenset({"что", "чем", "чему", "когда", "где", "который", "которая", "которое", "которые", "чтобы"})
_RU_WH_FORMS = frozenset({*RU_WH, "каким", "какими", "каком", "какому", "какого", "чьей", "чьим", "чьего", "чём", "ком"})


def _ru_words(text: str) -> list[str]:
    """Lower-cased words (ё → е) without the leading particles («а», «ну», «вот»…)."""
    toks = [w.casefold().replace("ё", "е") for w in words(text)]
    k = 0
    while k < len(toks) and toks[k] in _RU_LEAD:
        k += 1
    return toks[k:]


# an interrogative word followed by these is an exclamation, a comparison or a set phrase, not a question, when no "?"
# says otherwise: "Как обычно.", "Как же я устал.", "Кто бы сомневался.", "Что и требовалось доказать.", "Как договорились."
_RU_NOT_ASKING_NEXT = frozenset({
    "бы", "б", "же", "ж", "и", "будто", "обычно", "всегда", "правило", "минимум", "максимум", "раз", "говорится", "например",
    "договорились", "договаривались", "ни", "угодно", "попало", "видишь", "видите", "знаешь", "знаете", "известно",
})
_RU_SET_PHRASES = frozenset({("сколько", "можно"), ("как", "можно"), ("куда", "деваться"), ("кто", "как")})


def _ru_question_words(toks: Sequence[str], whole: Sequence[str], one_clause: bool) -> bool:
    """The word rules of :func:`ru_unmarked_question`: ``toks`` the first clause, ``whole`` the sentence."""
    first = toks[0]
    second = toks[1] if len(toks) > 1 else ""
    if first in _RU_WH_FORMS and (second in _RU_NOT_ASKING_NEXT or (first, second) in _RU_SET_PHRASES) and not (
            first == "почему" and second in ("бы", "б") and toks[2:3] != ["и"]):  # "Почему бы тебе не…" asks; "…бы и нет" not
        return False
    if _lexical_question(" ".join(whole), "ru") and not (whole[0] in ("когда", "где") and not one_clause):
        return True
    if first in _RU_WH_FORMS and not first.startswith("котор") and one_clause and len(toks) >= 2:
        return True
    if first in _RU_PREP and second in _RU_WH_FORMS and len(toks) >= 3 and (second not in RU_WEAK_WH or one_clause):
        return True
    if first == "можно" and second in _RU_CAN:
        return True
    if _ru_asks_with_infinitive(toks) and not _RU_KNOW.intersection(whole[len(toks):]):  # "Как сделать, я не знаю."
        return True
    for j in range(1, min(4, len(toks) - 1)):
        if toks[j] in _RU_STRONG_WH and not _RU_WH_TAIL.search(toks[j]) and not (set(toks[:j]) & _RU_EMBEDDING):
            return True
    return 2 <= len(toks) <= 3 and toks[-1] in _RU_END_WH


# round 42: an interrogative or a "can you" before an infinitive asks whatever follows the comma ("Как понять, что
# кампания была успешной.", "Что мне делать с клиентом, который…", "Можете прислать ссылку…" — faster-whisper's "."
# for "?"): «как/что/где/куда/кому… (мне/нам/тебе/вам) + infinitive», «можете/можешь/сможете/сможешь/(не) могли бы
# (вы/ты) + infinitive» (not «можете не…»: a permission)
_RU_INFINITIVE = re.compile(r"^[а-яё]{2,}(?:ть|ти|чь|ться|тись)$")
_RU_ASK_DATIVE = frozenset({"мне", "нам", "тебе", "вам", "ему", "ей", "им"})
_RU_CAN_YOU = frozenset({"можете", "можешь", "сможете", "сможешь"})
# a later clause that says the question is the speaker's to answer ("Как сделать лучше, я не знаю."): no question asked
_RU_KNOW = frozenset({"знаю", "знаем", "понимаю", "понимаем", "решим", "решу", "подумаю", "подумаем", "посмотрим",
                      "разберусь", "разберемся", "разберёмся"})


def _ru_asks_with_infinitive(toks: Sequence[str]) -> bool:
    """Whether the first clause's words (``toks``, particles left out) open with an interrogative or a "can you" and
    an infinitive: «как понять…», «что мне делать…», «можете прислать…», «не могли бы вы прислать…»."""
    k = 0
    if toks[:1] == ["не"]:
        k = 1
    if toks[k:k + 2] in (["могли", "бы"], ["мог", "бы"], ["могла", "бы"]):
        k += 2
    elif k == 0 and toks[:1] and (toks[0] in _RU_CAN_YOU or (toks[0] in _RU_WH_FORMS and not toks[0].startswith("котор"))):
        k = 1
    else:
        return False
    if toks[k:k + 1] and toks[k] in (_RU_ASK_DATIVE | {"вы", "ты"}):
        k += 1
    return k < len(toks) and bool(_RU_INFINITIVE.match(toks[k]))


def _open_before(texts: Sequence[str], speakers: Sequence[str], k: int) -> str:
    """The sentence before ``texts[k]`` when the same speaker said it and it ended without a full stop ("," or none)."""
    if k == 0 or speakers[k - 1] != speakers[k]:
        return ""
    prev = texts[k - 1].rstrip()
    return prev if prev and prev[-1] not in ".!?…" else ""


#: Round 31: a question quoted by a saying frame in the same speaker's segment(s) just before, the sentence left open
#: across them (transcripts cut into intonation units or caption lines: "And I said well," | "why," | "does that bother
#: you?"), is no question (:func:`quoted_across`). Off: only quotes inside one segment are recognised, as before.
QUOTES_ACROSS_SEGMENTS = True
#: How many open segments back a saying frame is looked for (punctuated text; bare text: the clause just before).
QUOTE_OPEN_SEGMENTS = 3
_FRAME_END = re.compile(r"\b(?:'ll|will|would|'d|always|usually|often|to|gonna)\s+ask\s+(?:me|him|her|them|us)[\s,:]*$|\b(said|says|asked|asks|goes|went|was like|were like|is like|'s like|'m like|am like|are like|"
                        r"'re like|спросил[аи]?|спрашивал[аи]?|спрашивает|сказал[аи]?|говорит|пишет)\b"
                        r"(?:\s+(?:me|him|her|them|us|мне|меня|ему|ей|им|нам|его|её|ее|их|нас))?[\s,:]*"
                        r"(?:(?:well|oh|okay|so|um|uh|like|ну|вот|так)[\s,]*)*$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.?!…][\"”»')\]]*\s*$")


def quoted_across(texts: Sequence[str], speakers: Sequence[str], bare: Sequence[bool], speaker: str, sentence: str,
                  as_bare: bool, last_quoted: bool = False) -> bool:
    """Whether ``sentence``, the first of a new segment of ``speaker``, is a question quoted by a saying frame in the
    sentence that speaker left open in the segments just before it (``texts`` / ``speakers`` / ``bare``: the stream so far).

    Punctuated text: the same speaker's last sentences before it, back to the one that ends with ". ? !" (at most
    :data:`QUOTE_OPEN_SEGMENTS`), joined; bare text (no sentence ends to see): the clause just before, as
    :func:`quoted_after` reads the clauses of one utterance. Quoted when the joined sentence reports a question
    (:func:`reported_question`) and the open part alone does not, or when it goes on, with no sentence end between,
    from a sentence already quoted (``last_quoted``: "So I'm like, | okay, | so, | do you leave, | or what do you do.")."""
    if not texts or speakers[-1] != speaker:
        return False
    if last_quoted and not as_bare and not bare[-1] and not _SENTENCE_END.search(texts[-1]):
        return True
    if as_bare or bare[-1]:
        return quoted_after(texts[-1], sentence)
    parts: list[str] = []
    k = len(texts) - 1
    while k >= 0 and speakers[k] == speaker and not bare[k] and len(parts) < QUOTE_OPEN_SEGMENTS \
            and not _SENTENCE_END.search(texts[k]):
        parts.insert(0, texts[k])
        k -= 1
    if not parts:
        return False
    before = " ".join(parts)
    # the open part may count as a report by its frame alone ("So I asked him,"): then the frame must end it
    return reported_question(f"{before} {sentence}") and (not reported_question(before) or bool(_FRAME_END.search(before)))


def _sentence_stream(utts: Sequence[Utterance], head: QuestionHead, as_bare: Sequence[bool],
                     ) -> tuple[list[str], list[str], list[int], list[bool], set[int]]:
    """The sentences of a transcript as one stream: ``(texts, speakers, owner utterance, bare, quoted)``.

    An utterance read as bare text (``as_bare``: a bare transcript, or an unmarked utterance of a punctuated one,
    :func:`unmarked_utterances`) is cut by :func:`bare_clauses`, the others by :func:`sentences`; ``quoted``: the bare
    clauses that a saying frame in the clause before introduces ("i said | what…").
    """
    texts: list[str] = []
    speakers: list[str] = []
    owner: list[int] = []
    bare: list[bool] = []
    quoted: set[int] = set()
    for i, utt in enumerate(utts):
        parts = bare_clauses(utt.text, head) if as_bare[i] else sentences(utt.text)
        for j, s in enumerate(parts):
            if j and as_bare[i] and quoted_after(parts[j - 1], s):
                quoted.add(len(texts))
            elif not j and QUOTES_ACROSS_SEGMENTS and quoted_across(texts, speakers, bare, utt.speaker, s, as_bare[i],
                                                                     len(texts) - 1 in quoted):
                quoted.add(len(texts))
            texts.append(s)
            speakers.append(utt.speaker)
            owner.append(i)
            bare.append(as_bare[i])
    return texts, speakers, owner, bare, quoted


def _bare_tagger_questions(tagger: Any, texts: Sequence[str], speakers: Sequence[str], decisions: np.ndarray,
                           probs: np.ndarray) -> None:
    """Round 30: in a transcript without punctuation, the English act tagger's question logit (the clause before as
    context) stacked with the head's bare probability (:class:`~sessionscope.analysis.extract.tagger.BareQuestionStack`)
    decides each non-Cyrillic clause, in place (a reported question is none, as the stack was measured). Punctuated
    transcripts keep the head alone: the stack on their bare-read sentences lost 0.05-0.06 F1 (round 31,
    ``benchmarks/r31_stack_mixed.py``)."""
    from sessionscope.analysis.extract.tagger import segment_text

    stack = tagger.file.bare_question
    ks = [k for k, t in enumerate(texts) if not _cyrillic(t)]
    if stack is None or not ks:
        return
    rows = [(segment_text(texts[k - 1] if k else None, bool(k) and speakers[k - 1] == speakers[k]), texts[k]) for k in ks]
    p = stack.proba(np.array([probs[k] for k in ks]), tagger.logits(rows)[:, 0])
    for k, q in zip(ks, p, strict=True):
        decisions[k], probs[k] = bool(q >= stack.threshold) and not reported_question(texts[k]), float(q)


def bare_question_tagger() -> Any:
    """The act tagger for questions in bare English transcripts (the bundled one, when it carries a bare-question stack
    and can run here), or ``None``."""
    from sessionscope.analysis.extract.tagger import bundled_act_tagger

    t = bundled_act_tagger()
    return t if t is not None and t.file.bare_question is not None else None


def _reread_bare(head: QuestionHead, texts: Sequence[str], contexts: Sequence[QuestionContext], bare: Sequence[bool],
                 decisions: np.ndarray, probs: np.ndarray, language: Optional[str]) -> None:
    """In a punctuated transcript, in place: the sentences the head reads with its bare weights (the unmarked utterances,
    :data:`MIXED_RULE`; the "."-ended sentences where "?" is unreliable, :data:`PERIOD_RULE`)."""
    if any(bare):  # unmarked utterances of a punctuated transcript (MIXED_RULE): the bare weights
        kb = [k for k, b in enumerate(bare) if b]
        yes2, p2 = head.is_question([texts[k] for k in kb], [contexts[k] for k in kb], punctuated=False)
        for k, y, q in zip(kb, yes2, p2, strict=True):
            decisions[k], probs[k] = y, q
    if language != "ru":
        redo = period_candidates(texts, decisions)
        if redo:  # questions written with a final "." (speech recognition, intonation transcripts): the bare weights
            yes2, p2 = head.is_question([texts[k] for k in redo], [contexts[k] for k in redo], punctuated=False)
            for k, y, q in zip(redo, yes2, p2, strict=True):
                if y:
                    decisions[k], probs[k] = True, q


def _head_questions(utts: Sequence[Utterance], head: QuestionHead, language: Optional[str] = None, *,
                    keep_phatic: bool = False, tagger: Any = None) -> list[tuple[list[str], Optional[float]]]:
    """Per utterance: its question sentences by the head and the best probability among them.

    A greeting, summons or channel check ("Hello?", "Can you hear me?", «Алло?»: :func:`phatic_question`) is no
    question sentence (round 27); ``keep_phatic`` keeps them, as before, for the comparison
    (``benchmarks/r27_phatic_heldout.py``).

    The sentences of the whole transcript form one stream, as the dialogue acts the head was
    trained on: each sentence's context is the sentence before it and the two after it, with
    their speakers (the asker's own next sentence or the other side's reply). The head's
    weight set (punctuated / bare) is chosen once for the transcript; in a punctuated one, the
    utterances written bare (:func:`unmarked_utterances`) are cut into clauses and get the bare weights.
    In a transcript with no punctuation at all, ``tagger`` (:func:`bare_question_tagger`) joins the head for English
    clauses (round 30).
    """
    punctuated = transcript_punctuated(u.text for u in utts)
    as_bare = (unmarked_utterances([u.text for u in utts]) if punctuated and language != "ru"
               else [not punctuated] * len(utts))
    texts, speakers, owner, bare, quoted = _sentence_stream(utts, head, as_bare)
    out: list[tuple[list[str], Optional[float]]] = [([], None) for _ in utts]
    if not texts:
        return out
    contexts = stream_contexts(texts, speakers)
    decisions, probs = head.is_question(texts, contexts, punctuated=punctuated)
    if tagger is not None and not punctuated and language != "ru":  # a bare English transcript: the act tagger joins
        _bare_tagger_questions(tagger, texts, speakers, decisions, probs)
    if punctuated:
        _reread_bare(head, texts, contexts, bare, decisions, probs, language)
    for k, (i, s, yes, p) in enumerate(zip(owner, texts, decisions, probs, strict=True)):
        if k in quoted:
            continue
        measured: Optional[float] = float(p)
        if language == "ru" or _cyrillic(s):
            if punctuated and not s.rstrip().endswith("?"):
                # a rule decided it against the head, which reads a Russian sentence by its "?" (round 46): the head's
                # probability says nothing of the rule, so the question carries none (method "rule"), not "to check"
                measured = None
            # Russian: the lexical rule decides punctuated text ("?" is trusted, a final "." or "," is not: faster-whisper
            # writes many Russian questions so — ru_unmarked_question); in bare text either the rule or the head's bare
            # weights (trained with the written RU rows) — declarative questions carry no lexical cue
            yes = is_question(s, language="ru") or (not punctuated and bool(yes)) or (
                punctuated and ru_unmarked_question(s, _open_before(texts, speakers, k))) or (
                k + 1 < len(texts) and speakers[k + 1] != speakers[k] and ru_yes_no_by_reply(s, texts[k + 1]))
        elif punctuated and not yes and not bare[k]:
            yes = unmarked_inversion(s)
        if yes and not keep_phatic and phatic_question(s):
            continue
        if yes:
            qs, best = out[i]
            qs.append(s)
            out[i] = (qs, best if measured is None else max(measured, best or 0.0))
    return out


def _session_tagger(session: Session, cfg: DynamicsConfig) -> Any:
    """The act tagger that joins the question head for this session: only in a bare English transcript (loaded then)."""
    if not cfg.bare_question_tagger or session.language == "ru" or transcript_punctuated(u.text for u in session.utterances):
        return None
    return bare_question_tagger()


def questions_decided_by(session: Session, cfg: DynamicsConfig) -> str:
    """What decides this session's questions, for the provenance (``extra["extraction"]["questions"]``)."""
    if bundled_question_head() is None:
        return "lexical rule"
    if _session_tagger(session, cfg) is not None:
        return "question head + act tagger (English transcript without punctuation)"
    return "question head"


def session_questions(session: Session, cfg: DynamicsConfig) -> list[QuestionEvent]:
    """The questions of a session exactly as the dynamics count them.

    One entry point for the dynamics and the extraction stage, so that
    ``questions_asked`` / ``questions_answered`` and the ``questions`` list always agree:
    utterances in time order (transcript order when untimed) and no latency limit
    without timestamps.

    The two stages run one after the other on the same utterances, so the last few results
    are remembered (keyed by the utterances, the settings and the question head in use) and
    the head runs once per session.
    """
    utts = list(session.utterances)
    timed = bool(utts) and all(u.timed for u in utts)
    if timed:
        utts.sort(key=lambda u: u.start)  # type: ignore[arg-type,return-value]
    latency = cfg.answer_max_latency_s if timed else float("inf")
    tagger = _session_tagger(session, cfg)
    key = (tuple(utts), session.participants, session.language, tuple(cfg.backchannels), cfg.backchannel_max_words,
           cfg.answer_max_utterances, latency, id(bundled_question_head()), id(bundled_answer_head()), id(tagger))
    hit = _SESSION_QUESTIONS.get(key)
    if hit is None:
        hit = tuple(_called_addressees(session, find_questions(
            utts, language=session.language, backchannels=cfg.backchannels,
            backchannel_max_words=cfg.backchannel_max_words, answer_max_utterances=cfg.answer_max_utterances,
            answer_max_latency_s=latency, tagger=tagger,
        )))
        if len(_SESSION_QUESTIONS) >= 4:
            _SESSION_QUESTIONS.pop(next(iter(_SESSION_QUESTIONS)))
        _SESSION_QUESTIONS[key] = hit
    return list(hit)


def _called_addressees(session: Session, events: Sequence[QuestionEvent]) -> list[QuestionEvent]:
    """The events with the addressee a question calls by first name ("Sam, what do you think?": Sam, whoever
    answers), in sessions of three or more participants (round 32, :func:`~.extract.addressee.call`), or names in a
    sentence of its own right before or after it ("Any thoughts on the budget? Sam." / "Sam. What do you think?",
    round 33: how a chair hands the floor); a question calling several people, or none, keeps the next other
    speaker."""
    if len(session.participants) < 3:
        return list(events)
    from sessionscope.analysis.extract.addressee import call

    out = []
    for e in events:
        called = call(e.text, session, e.asker)[0] or _named_beside(session, e)
        out.append(replace(e, addressee=called[0]) if len(called) == 1 else e)
    return out


def _named_beside(session: Session, event: QuestionEvent) -> tuple[str, ...]:
    """The participants named by a sentence that is only their first name ("Sam." / "Sam?") next to one of the
    event's question sentences in its utterance."""
    from sessionscope.analysis.extract.addressee import participant_names

    names = participant_names(session, event.asker)
    if not names:
        return ()
    sents = sentences(session.utterance(event.utterance_id).text)
    found: list[str] = []
    for k, sent in enumerate(sents):
        toks = words(strip_markup(sent))
        # the name itself, not a case form of it (a vocative is the nominative): "Same." is no call of Sam
        pid = names.get(toks[0].casefold()) if len(toks) == 1 and toks[0][:1].isupper() else None
        if pid is not None and any(0 <= k + d < len(sents) and sents[k + d].rstrip().endswith("?") for d in (-1, 1)):
            found.append(pid)
    return tuple(dict.fromkeys(found))


#: session_questions' last results (the dynamics' call and the extraction stage's share one run).
_SESSION_QUESTIONS: dict[tuple[Any, ...], tuple[QuestionEvent, ...]] = {}

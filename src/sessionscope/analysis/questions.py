"""Question detection (English and Russian) and answer attribution.

Shared by the dynamics (``questions_asked`` / ``questions_answered``) and by the
extraction stage (``Question`` items), so that the two always agree.

Questions are found by the trained question head
(:class:`~sessionscope.analysis.extract.heads.QuestionHead`, learned on the ICSI MRDA and
AMI meetings, model-free so the dynamics can use it): word n-grams of the text without
punctuation (wh-word, auxiliary inversion, "do you…", «ли»…), whether it carries a question
mark, reported-question cues ("he asked whether…"), and the dialogue context (does
someone else answer, with "yes"/"no"…). Each question carries the head's calibrated
probability as its confidence. The head's words were learned on English meetings, so for
Russian sentences the lexical rule below decides and the head only gives the confidence
(not calibrated on Russian speech: none was available). Without the shipped head file, the lexical rule
:func:`is_question` decides (it ends with ``?``, or — unpunctuated — opens with an
interrogative word or inversion or contains «ли»; confidence ``None``).

A question is *answered* when another participant (never the asker's own continuation)
speaks next (within a few utterances and seconds, by config) with something more than a
backchannel or a counter-question.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from sessionscope.model import Session, Utterance

if TYPE_CHECKING:
    from sessionscope.config import DynamicsConfig
from sessionscope.text import normalize_name, words

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
    statement a question: the rest of the sentence decides, by the lexical cues.
    """
    s = sentence.strip()
    if not s:
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


def question_sentences(text: str, *, language: Optional[str] = None) -> list[str]:
    """The sentences of ``text`` that are questions."""
    return [s for s in sentences(text) if is_question(s, language=language)]


def is_backchannel(text: str, backchannels: Iterable[str], *, max_words: int = 3) -> bool:
    """True for short utterances made only of backchannel tokens ("yeah", "mm-hmm", "угу")."""
    toks = [w.casefold() for w in words(text)]
    if not toks or len(toks) > max_words:
        return False  # no words (e.g. RTTM input) is unknown content, not a backchannel
    vocab = {normalize_name(b) for b in backchannels}
    if normalize_name(" ".join(toks)) in vocab:
        return True
    return all(t in vocab for t in toks)


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


def find_questions(
    utterances: Sequence[Utterance],
    *,
    language: Optional[str],
    backchannels: Iterable[str],
    backchannel_max_words: int = 3,
    answer_max_utterances: int = 2,
    answer_max_latency_s: float = 10.0,
    head: Any = "bundled",
) -> list[QuestionEvent]:
    """Every question utterance with its answer attribution.

    One event per utterance that contains at least one question sentence: "What do you
    use? Notion?" is one question turn, answered (or not) by the reply as a whole.

    The addressee is the next other speaker (in a pair, the other person). The answer is
    the first of the next ``answer_max_utterances`` utterances by someone else that is
    not a backchannel and not itself only questions, starting within
    ``answer_max_latency_s`` of the question's end (when timed).

    ``head``: a :class:`~sessionscope.analysis.extract.heads.QuestionHead`, ``"bundled"``
    (the shipped one, or the lexical rule when absent) or ``None`` (the lexical rule).
    """
    bc = list(backchannels)
    events: list[QuestionEvent] = []
    ordered = list(utterances)
    if isinstance(head, str):
        from sessionscope.analysis.extract.heads import bundled_question_head

        head = bundled_question_head()
    found = _head_questions(ordered, head) if head is not None else None
    for i, utt in enumerate(ordered):
        if found is not None:
            qs, conf = found[i]
        else:
            qs, conf = question_sentences(utt.text, language=language), None
        if not qs:
            continue
        addressee: Optional[str] = None
        answer: Optional[str] = None
        seen_other = 0
        for nxt in ordered[i + 1 :]:
            if nxt.speaker == utt.speaker:
                # the asker goes on talking; only an immediate continuation is allowed
                if seen_other == 0 and nxt.start is not None and utt.end is not None and nxt.start - utt.end > answer_max_latency_s:
                    break
                continue
            seen_other += 1
            if addressee is None:
                addressee = nxt.speaker
            if seen_other > answer_max_utterances:
                break
            if utt.end is not None and nxt.start is not None and nxt.start - utt.end > answer_max_latency_s:
                break
            if is_backchannel(nxt.text, bc, max_words=backchannel_max_words):
                continue
            own = sentences(nxt.text)
            if own and all(is_question(s, language=language) for s in own):
                continue
            answer = nxt.id
            break
        events.append(
            QuestionEvent(
                utterance_id=utt.id,
                asker=utt.speaker,
                text=" ".join(qs),
                addressee=addressee,
                answered=answer is not None,
                answer_utterance_id=answer,
                confidence=conf,
            )
        )
    return events


_CYR = re.compile(r"[а-яё]", re.IGNORECASE)
_LAT = re.compile(r"[a-z]", re.IGNORECASE)


def _cyrillic(text: str) -> bool:
    return len(_CYR.findall(text)) > len(_LAT.findall(text))


def _head_questions(utts: Sequence[Utterance], head: Any) -> list[tuple[list[str], Optional[float]]]:
    """Per utterance: its question sentences by the head and the best probability among them.

    Every sentence of an utterance gets the utterance's context (previous and next
    utterance, their speakers), as the head was trained on dialogue acts.
    """
    from sessionscope.analysis.extract.heads import Turn, context_features

    texts, ctxs, owner = [], [], []
    for i, utt in enumerate(utts):
        prev = Turn(utts[i - 1].text, utts[i - 1].speaker) if i > 0 else None
        nxt = Turn(utts[i + 1].text, utts[i + 1].speaker) if i + 1 < len(utts) else None
        ctx = context_features(prev, utt.speaker, nxt)
        for s in sentences(utt.text):
            texts.append(s)
            ctxs.append(ctx)
            owner.append(i)
    out: list[tuple[list[str], Optional[float]]] = [([], None) for _ in utts]
    if not texts:
        return out
    decisions, probs = head.is_question(texts, ctxs)
    for i, s, yes, p in zip(owner, texts, decisions, probs, strict=True):
        if _cyrillic(s):  # the head's words are English: Russian keeps the lexical decision, the head's probability
            yes = is_question(s, language="ru")
        if yes:
            qs, best = out[i]
            qs.append(s)
            out[i] = (qs, max(float(p), best or 0.0))
    return out


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
    from sessionscope.analysis.extract.heads import bundled_question_head

    utts = list(session.utterances)
    timed = bool(utts) and all(u.timed for u in utts)
    if timed:
        utts.sort(key=lambda u: u.start)  # type: ignore[arg-type,return-value]
    latency = cfg.answer_max_latency_s if timed else float("inf")
    key = (tuple(utts), session.language, tuple(cfg.backchannels), cfg.backchannel_max_words,
           cfg.answer_max_utterances, latency, id(bundled_question_head()))
    hit = _SESSION_QUESTIONS.get(key)
    if hit is None:
        hit = tuple(find_questions(
            utts, language=session.language, backchannels=cfg.backchannels,
            backchannel_max_words=cfg.backchannel_max_words, answer_max_utterances=cfg.answer_max_utterances,
            answer_max_latency_s=latency,
        ))
        if len(_SESSION_QUESTIONS) >= 4:
            _SESSION_QUESTIONS.pop(next(iter(_SESSION_QUESTIONS)))
        _SESSION_QUESTIONS[key] = hit
    return list(hit)


#: session_questions' last results (the dynamics' call and the extraction stage's share one run).
_SESSION_QUESTIONS: dict[tuple[Any, ...], tuple[QuestionEvent, ...]] = {}

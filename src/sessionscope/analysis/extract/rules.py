"""Shared pieces of the extraction rules: the hit type and the hard-negative detectors.

A rule module looks at one parsed :class:`~sessionscope.language.nlp.Sentence` and
returns a :class:`RuleHit` (positive, with a confidence and the evidence) or a *veto*
(a hard negative the classifier must not overturn: reported speech, "no problem",
a question that merely looks like a suggestion). No models here: the sentences come
parsed, so every rule is testable on hand-built or parsed sentences alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional

from sessionscope.analysis.questions import is_question
from sessionscope.language.nlp import Sentence
from sessionscope.text import strip_markup

_I = re.IGNORECASE | re.UNICODE


@dataclass(frozen=True, slots=True)
class RuleHit:
    """What a rule concluded about one sentence.

    Attributes:
        kind: ``recommendation``, ``action`` or ``problem``.
        confidence: the rule's own confidence in [0, 1]; 0 with ``veto`` set.
        rule: a short name of the pattern that fired (kept for researchers and debugging).
        veto: True for a hard negative (the sentence must not become an item).
        owner: for actions: ``speaker``, ``addressee`` or ``both``.
        task_start: for actions: character offset where the task phrase starts.
    """

    kind: str
    confidence: float
    rule: str
    veto: bool = False
    owner: Optional[str] = None
    task_start: Optional[int] = None


def veto(kind: str, rule: str) -> RuleHit:
    """A hard-negative decision."""
    return RuleHit(kind=kind, confidence=0.0, rule=rule, veto=True)


def norm(text: str) -> str:
    """Lower-case text with typographic apostrophes unified and spaces collapsed."""
    return " ".join(text.replace("’", "'").replace("ё", "е").replace("Ё", "Е").casefold().split())


def search(pattern: str, text: str) -> Optional[re.Match[str]]:
    """Case-insensitive regex search on normalised text."""
    return re.search(pattern, text, _I)


def question(sent: Sentence) -> bool:
    """The lead's question test, so extraction and dynamics agree."""
    return is_question(sent.text, language=sent.language)


# moves about the meeting itself, not tasks: "I'll present some ideas today", "I'll mute myself", «я поделюсь экраном»;
# the session's own running order and setting too: "first I'll introduce myself", "I'll tell you a bit about the
# setting", "let me start with the presentation", "I'll pass the pen to Kim", "I'll just sit down"
_EN_MEETING_SELF = (
    r"\b(i'll|i will|i'm going to|i am going to|i'm gonna|let me|let's|let us|we'll|we will|i can|we can|we're going to|"
    r"we are going to|we're gonna)( just| quickly| now| first| briefly| then| also)? "
    r"(present|mute|unmute|share (my|the) screen|stop sharing|go (through|over) (the|my|this|these|our) (agenda|slides?|points|presentation|minutes)|"
    r"walk you through|introduce (myself|ourselves|us|everyone|you)|turn (on|off) (my|the) (camera|video|mic|microphone)|"
    r"take (the )?(minutes|notes)|be (quick|brief)|wrap (this |it )?up|hand (it )?over|pass (it )?(over|on) to|"
    r"tell you (a )?(little )?(bit |bit more |more |something )?about (myself|ourselves|the (setting|agenda|meeting|session|rules|plan for today))|"
    r"(start|begin|kick)( it| this)?( off)? with (the|a|an|our|my|this|some) ((little|short|quick) )?(presentation|agenda|introduction|intro|"
    r"round|meeting|session|kick ?off|first (point|item|topic|question))|get (started|going)[ .,!]*$|kick (it |this )?off[ .,!]*$|"
    r"(pass|hand)( over)? the (pen|marker|mic|microphone|floor|word|mouse|remote|pointer)|sit down|go first|start from (now|here)|"
    r"move on to|open the (meeting|session)|close the (meeting|session))\b"
    r"|\b(today|now|in this meeting)\b.*\b(i'll|i will|i'm going to) (present|show|talk)\b"
)


def meeting_itself(t: str) -> bool:
    """Whether normalised text ``t`` is a move about the meeting itself (its running order, setting, screen, pen).

    Hesitations and transcript marks are dropped first ("let's start off um with a little presentation").
    """
    return bool(search(_EN_MEETING_SELF, " ".join(re.sub(r"\b(um+|uh+|er+m?|hmm+)\b,?", " ", strip_markup(t)).split())))


# -- reported speech -------------------------------------------------------------------
_EN_SAY = {"say", "tell", "suggest", "recommend", "advise", "propose", "mention", "insist", "warn", "explain"}
_RU_SAY = {
    "сказать", "говорить", "советовать", "посоветовать", "рекомендовать", "порекомендовать", "предлагать",
    "предложить", "объяснять", "объяснить", "настаивать", "советоваться",
}


# quotatives of spoken narrative that introduce someone's words or thoughts, not the speaker's own advice:
# "she's like, leave me alone", "he goes, try the other one", "and I thought, no, I'll do it now"
_EN_QUOTATIVE = (r"\b(he|she|they|i|we|my (mom|dad|mother|father|boss|friend|teacher|wife|husband))"
                 r"('s| is| was| were|'m| am|'re| are)( all| just| kind of| kinda)? like[,:] "
                 r"|\b(he|she|they) (goes|went)[,:] |\b(and |so |then )?i (thought|was thinking|went)[,:] ")


# a line of spoken narrative that ends on a quotative frame, the quoted words following in the next line(s):
# "and I was like," / "he goes," / "and I said fine," / "I keep telling him," (intonation-unit transcripts and
# speech recognition cut a story into such pieces)
_EN_QUOTE_END = re.compile(
    r"(\b(i|he|she|they|we|you|my \w+)|\band)( just| all| kind of| kinda| always| keep| kept)?"
    r"((('s| is| was| were|'m| am|'re| are)( just| all| kind of| kinda)? like)|( (said|says|say|goes|go|went|told|tells|asked|asks|"
    r"thought|yelled|screamed|telling|saying|asking)( to)?( (him|her|them|me|you|myself|us))?))"
    r"(,? (well|okay|ok|fine|oh|you know|like|so|gee|um|uh))*[ ,:.]*$")
# (no present-tense "think": "…, I think." is the speaker's own hedge, and advice often follows it)
_EN_AS_SAID = re.compile(r"\b(like|as) (i|you|he|she|they|we) (said|say|says|mentioned)[ ,:.]*$")  # "like I said,": a marker


def quotative_end(text: str) -> bool:
    """Whether an English line ends on a quotative frame, so that the speaker's next line quotes someone.

    "and I was like,", "he goes,", "and I said fine,", "I keep telling him,": the words that
    follow are a story's quoted speech or thought, not advice or a commitment of the speaker's.
    """
    t = norm(strip_markup(text))
    return bool(_EN_QUOTE_END.search(t)) and not _EN_AS_SAID.search(t)


QUOTE_SPAN = 2  # how many of the speaker's next lines a quotative frame covers


def quoted_by_frame(speakers: Sequence[str], parsed: Sequence[Sequence[Sentence]], *, span: int = QUOTE_SPAN) -> set[tuple[int, int]]:
    """``(utterance, sentence)`` indices of the sentences a quotative frame opens.

    A sentence ending on a frame ("and I was like,") opens the rest of its utterance, and an
    utterance ending on one opens the speaker's next ``span`` utterances, until another speaker
    talks. Their words are the story's quoted speech: ``speakers[i]`` is utterance ``i``'s speaker,
    ``parsed[i]`` its sentences.
    """
    out: set[tuple[int, int]] = set()
    left = 0
    for i, sents in enumerate(parsed):
        if i and speakers[i - 1] != speakers[i]:
            left = 0
        for j in range(len(sents)):
            if left > 0 or (j and quotative_end(sents[j - 1].text)):
                out.add((i, j))
        left = span if sents and quotative_end(sents[-1].text) else max(0, left - 1)
    return out


def reported_speech(sent: Sentence) -> bool:
    """Advice reported rather than given: "she told me I should…", "мне посоветовали…".

    English: a verb of saying/advising in the past or third-person present ("my boss
    suggested", "he says you should"), an "according to", or a quotative of narrative
    ("she's like, leave me alone", "he goes, try…", "I thought, no…"). Russian: such a verb in the
    past tense without «бы» (a conditional "я бы посоветовал" *is* advice), or in the
    third person ("он советует", "говорят").
    """
    t = norm(sent.text)
    if sent.language == "en":
        if search(r"\baccording to\b|\bpeople say\b|\bthey say\b|\bi was told\b|\bi've been told\b|\bi read (that|somewhere)\b", t):
            return True
        if search(_EN_QUOTATIVE, t):
            return True
        for tok in sent.tokens:
            if tok.lemma in _EN_SAY and tok.tag in ("VBD", "VBN", "VBZ"):
                return True
        return False
    has_by = any(tok.lower == "бы" for tok in sent.tokens)
    for tok in sent.tokens:
        if tok.lemma in _RU_SAY:
            if tok.feats.get("Tense") == "Past" and not has_by:
                return True
            if tok.feats.get("Person") == "3":
                return True
    return bool(search(r"\bговорят\b|\bпо словам\b|\bкак пишут\b|\bя читал\w*,? что\b", t))


__all__ = ["RuleHit", "meeting_itself", "norm", "question", "quotative_end", "quoted_by_frame", "reported_speech", "search", "veto"]

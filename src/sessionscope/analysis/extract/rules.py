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
from functools import lru_cache
from typing import Optional

from sessionscope.analysis.questions import is_question
from sessionscope.language.nlp import Sentence
from sessionscope.text import strip_markup

_I = re.IGNORECASE | re.UNICODE


#: the method of an action item the rule found and the heads scored under their threshold, at or above
#: ``extraction.action_rule_floor``: listed, always to check (on real talk such items were moves at the table and a
#: retold story)
LOW_HEAD = "rule+head-low"


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


@lru_cache(maxsize=16384)
def norm(text: str) -> str:
    """Lower-case text with typographic apostrophes unified and spaces collapsed."""
    return " ".join(text.replace("’", "'").replace("ё", "е").replace("Ё", "Е").casefold().split())


#: the rules' patterns, compiled once each (``re``'s own cache is looked up at every call)
_COMPILED: dict[str, re.Pattern[str]] = {}


def search(pattern: str, text: str) -> Optional[re.Match[str]]:
    """Case-insensitive regex search on normalised text."""
    rx = _COMPILED.get(pattern)
    if rx is None:
        rx = _COMPILED[pattern] = re.compile(pattern, _I)
    return rx.search(text)


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
    r"|\b(today|now|in this meeting)\b.*\b(i'll|i will|i'm going to|i'm gonna) (present|show|talk)\b"
)


_HESITATION = re.compile(r"\b(um+|uh+|er+m?|hmm+)\b,?")


@lru_cache(maxsize=8192)
def meeting_itself(t: str) -> bool:
    """Whether normalised text ``t`` is a move about the meeting itself (its running order, setting, screen, pen).

    Hesitations and transcript marks are dropped first ("let's start off um with a little presentation").
    """
    return bool(search(_EN_MEETING_SELF, " ".join(_HESITATION.sub(" ", strip_markup(t)).split())))


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


@lru_cache(maxsize=8192)
def quotative_end(text: str) -> bool:
    """Whether an English line ends on a quotative frame, so that the speaker's next line quotes someone.

    "and I was like,", "he goes,", "and I said fine,", "I keep telling him,": the words that
    follow are a story's quoted speech or thought, not advice or a commitment of the speaker's.
    """
    t = norm(strip_markup(text))
    return bool(_EN_QUOTE_END.search(t)) and not _EN_AS_SAID.search(t)


# round 12 (audit): a line that opens someone's words inside it and leaves them open ("and said I want to see him,",
# "he says I really love Lauren,", "saying I'm gonna"): the speaker's next lines go on quoting, as after a line that
# ends on a frame. Third person or subjectless only ("I said you should…" may be the speaker's own advice retold)
_EN_QUOTE_OPEN = re.compile(
    r"(?:^|\b(?:he|she|they|my \w+|and))(?: just| always| keep| kept)? ?(?:said|says|goes|went|told|tells|yelled|screamed|"
    r"telling|saying)(?: to)?(?: (?:him|her|them|me|you|us))?,? (?!that\b|so\b|it\b)\w")
_OPEN_END = re.compile(r"\w\s*$")


@lru_cache(maxsize=8192)
def quote_opened(text: str) -> bool:
    """Whether an English line opens a third person's quoted words and leaves them open (see above)."""
    t = norm(strip_markup(text))
    m = _EN_QUOTE_OPEN.search(t)
    if m is None or _EN_AS_SAID.search(t):
        return False
    # left open: a final comma, or the quote's first words cut off ("saying I'm gonna")
    return t.rstrip().endswith(",") or (bool(_OPEN_END.search(t)) and len(t[m.end() - 1:].split()) <= 2)


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
        left = span if sents and (quotative_end(sents[-1].text) or quote_opened(sents[-1].text)) else max(0, left - 1)
    return out


@lru_cache(maxsize=8192)
def _en_reported_text(t: str) -> bool:
    """The text part of :func:`reported_speech` in English: "according to", "they say", a quotative (memoised per text)."""
    return bool(search(r"\baccording to\b|\bpeople say\b|\bthey say\b|\bi was told\b|\bi've been told\b|\bi read (that|somewhere)\b", t)
                or search(_EN_QUOTATIVE, t))


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
        if _en_reported_text(t):
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


# -- informal talk: clauses split over lines, generic "you", narrated steps -------------------------------
# Spoken English cut into intonation units or recogniser segments splits one clause over lines, and a
# speaker describing how things are or narrating what happened uses imperative-looking and "you" clauses
# that advise nobody. These detectors read the parse (subject, tense, modal) of the speaker's own
# neighbouring lines; a strong advice frame ("you should", "maybe", "why don't you", "try") keeps an item.
_TRAIL = {"like", "uh", "um", "er", "erm", "just", "well", "kind", "of", "kinda", "sort", "sorta", "really", "you", "know",
          "i", "mean", "actually", "basically", "so"}
_OPEN_AUX = {"gonna", "wanna", "gotta"}  # besides modals, auxiliaries and an infinitive "to" (by the parse)
_OPEN_COORD = {"and", "or", "then", "but"}
_SECOND_PERSON = {"you", "ya", "y'all", "u"}
_NARRATOR = {"i", "he", "she", "they"}  # subjects that are neither the listener nor a group that may include them
_SUBJ = ("nsubj", "nsubjpass", "expl")
_PAST_AUX = {"was", "were", "did", "had", "didn't", "wasn't", "weren't"}
_SEQUENCE = re.compile(r"^((and|so|but|um|uh|oh),? )*(then|and then|and now|after that|next)\b")
_LEAD = {"so", "and", "but", "just", "maybe", "well", "okay", "ok", "also", "then", "now", "oh", "um", "uh", "like",
         "yeah", "first", "next", "perhaps", "actually", "basically", "simply", "really", "always", "i", "mean", "right"}
# words that make an unfinished clause a suggestion frame, so that its next line is part of the advice ("we could
# make it so that it will, | turn off the set"); "maybe", "I think" mark the speaker's doubt and do not
_SUGGESTING = re.compile(r"\b(should|shouldn't|ought|could|might|why don't|why not|try|i'd|i would|i suggest|i recommend|"
                         r"better|please|make sure|let's|let us)\b")
# words that make a clause the speaker's suggestion to the listener whatever its grammar
_ADVICE = re.compile(r"\b(maybe|perhaps|should|shouldn't|ought|could|might|why don't|why not|try|i think|i guess|"
                     r"i'd|i would|i suggest|i recommend|better|please|make sure|don't forget|remember to|let's|let us)\b")
ADVICE_MARKER = _ADVICE  # public: recommendations.description reads the same markers


def _words(sent: Sentence) -> list[int]:
    """Indices of the sentence's word tokens (no punctuation, no transcript marks)."""
    return [k for k, t in enumerate(sent.tokens) if t.pos != "PUNCT" and _word_text(t.text)]


_WORD_CHAR = re.compile(r"\w")


@lru_cache(maxsize=16384)
def _word_text(text: str) -> bool:
    """Whether a token's text is a word: a word character, not a transcript mark (``{…}``, ``[…]``, ``<…>``)."""
    return _WORD_CHAR.search(text) is not None and not text.startswith(("{", "[", "<"))


def _subject(sent: Sentence, head: int) -> Optional[str]:
    """The lower-cased subject attached to the token ``head``, if any."""
    for t in sent.tokens:
        if t.dep in _SUBJ and t.head == head:
            return t.lower
    return None


def open_clause(sent: Sentence) -> bool:
    """Whether an English line stops inside a clause whose predicate the speaker's next line brings.

    "they'll just,", "they have to, like,", "to just go out there and,", "and I'll look at-": the
    line ends (fillers aside) on a modal or auxiliary, an infinitive "to", a coordinator, or a
    cut-off word, and the open clause is not addressed to the listener (its subject is not "you"),
    so a verb opening the next line finishes that clause rather than telling the listener to act.
    "you should," stays open to advice and is not counted.
    """
    if sent.language != "en":
        return False
    toks = sent.tokens
    words = _words(sent)
    cut = bool(re.search(r"\w-\s*$", strip_markup(sent.text)))
    while words and not cut:
        w = toks[words[-1]].lower
        if w in ("know", "mean") and len(words) > 1 and toks[words[-2]].lower == ("you" if w == "know" else "i"):
            del words[-2:]  # "you know,", "I mean,"
        elif (w in _TRAIL and w not in ("you", "know", "i", "mean")) or toks[words[-1]].dep == "neg":
            words.pop()
        else:
            break
    if not words:
        return False
    last = toks[words[-1]]
    subjects = [t for t in toks if t.dep in _SUBJ and t.idx <= last.idx]
    subj = subjects[-1].lower if subjects else None
    if subj in _SECOND_PERSON:
        return False
    if _SUGGESTING.search(norm(strip_markup(sent.text))):  # "we could make it so that it will, | turn off…": advice goes on
        return False
    aux = last.tag == "MD" or last.dep in ("aux", "auxpass") or (last.lower == "to" and last.tag == "TO") \
        or last.lower in _OPEN_AUX
    if cut or aux:
        return subj is not None or last.lower == "to"
    if last.lower in _OPEN_COORD:
        # "…and," after a clause with its own non-listener subject or after an infinitive ("to just go out there and,")
        return subj is not None or any(t.lower == "to" and t.tag == "TO" for t in toks)
    return False


def continues_line(prev: Sentence, sent: Sentence) -> bool:
    """Whether ``sent`` adds a verb phrase to the speaker's previous line ``prev``, whose subject is someone else.

    "cause I can work on this at home, | and let you sleep": ``prev`` hangs on a comma or a dash,
    its last subject is "I", "he", "she" or "they", and ``sent`` opens on "and" / "or" and a bare
    verb: the same subject's next act, not an imperative. A suggestion frame in ``prev`` ("we
    could…"), or a "we" / "you" subject, keeps ``sent`` open to advice.
    """
    if sent.language != "en" or prev.language != "en" or not re.search(r"[,\-—–…]\s*$", strip_markup(prev.text)):
        return False
    words = _words(sent)
    if not words or sent.tokens[words[0]].lower not in ("and", "or") or _SUGGESTING.search(norm(strip_markup(prev.text))):
        return False
    subjects = [t.lower for t in prev.tokens if t.dep in _SUBJ]
    return bool(subjects) and subjects[-1] in _NARRATOR and verb_initial(sent)


def verb_initial(sent: Sentence) -> bool:
    """Whether an English sentence opens (fillers aside) on a bare verb with no subject: the shape of an imperative."""
    toks = sent.tokens
    words = [k for k in _words(sent) if toks[k].lower not in _LEAD]
    if not words:
        return False
    k = words[0]
    v = toks[k]
    return v.tag in ("VB", "VBP") and v.pos in ("VERB", "AUX") and _subject(sent, k) is None


def narration(sent: Sentence) -> bool:
    """Whether an English sentence narrates: a statement whose subject is the speaker or a third party
    (not "you", not "we") in the past tense ("I decided to go on", "she was like…") or opened by a
    sequence marker ("and then I load all that", "then it spits out a list")."""
    if sent.language != "en" or question(sent):
        return False
    toks = sent.tokens
    seq = bool(_SEQUENCE.search(norm(strip_markup(sent.text))))
    for k, t in enumerate(toks):
        if t.dep != "ROOT" and not (t.dep == "conj" and toks[t.head].dep == "ROOT"):
            continue
        subj = _subject(sent, k)
        if subj is None or subj in _SECOND_PERSON or subj in {"we", "let", "'s"}:
            continue
        auxes = [a for a in toks if a.head == k and a.dep in ("aux", "auxpass")]
        if any(a.tag == "MD" and a.lower not in ("would", "'d", "could") for a in auxes) and not seq:
            continue
        if seq or t.tag == "VBD" or any(a.lower in _PAST_AUX or a.tag == "VBD" for a in auxes):
            return True
    return False


def generic_you(sent: Sentence) -> bool:
    """A "you" clause that describes how things go rather than advising the listener.

    English, no advice marker (:data:`_ADVICE`: "maybe", "should", "try", "I think"…), and a "you
    have to / need to / got to" stated as the consequence or next step of a described situation
    ("then you have to round these back", "so you have to have the receiver inside"). A bare "you
    can <verb>" was tried too and left out: AMI labels many such design options as suggestions
    ("you can make it triangle shaped"), and "then / so you can" cost held-out AMI F1 0.004.
    """
    return sent.language == "en" and generic_you_text(sent.text)


@lru_cache(maxsize=8192)
def generic_you_text(text: str) -> bool:
    """:func:`generic_you` on plain text (the caller may prefix a connective left on the line before)."""
    t = norm(strip_markup(text))
    if _ADVICE.search(t):
        return False
    return bool(re.search(r"(\b(then|so)\b,? )you (have to|got to|gotta|need to)\b", t))


NARRATION_SPAN = 4  # the speaker's sentences looked at on each side for narration
_BACKCHANNEL_WORDS = 2  # another speaker's line this short ("Right.", "Mhm.") does not end the speaker's run


def _speaker_runs(speakers: Sequence[str], parsed: Sequence[Sequence[Sentence]]) -> list[list[tuple[int, int]]]:
    """Each speaker's runs of ``(utterance, sentence)``; another speaker's line of at most two words does not end one."""
    runs: list[list[tuple[int, int]]] = []
    last = None
    for i, sents in enumerate(parsed):
        if not sents:
            continue
        if last is not None and speakers[i] != last and sum(len(_words(s)) for s in sents) <= _BACKCHANNEL_WORDS:
            continue
        if last is None or speakers[i] != last:
            runs.append([])
            last = speakers[i]
        runs[-1].extend((i, j) for j in range(len(sents)))
    return runs


def _why_not_advice(prev: Optional[Sentence], sent: Sentence, narrated_around: bool) -> Optional[str]:
    """The reason ``sent`` advises nobody, given the speaker's previous line and whether narration surrounds it."""
    if prev is not None and continues_line(prev, sent):
        return "continued"
    if verb_initial(sent) and not _ADVICE.search(norm(strip_markup(sent.text))):
        if prev is not None and open_clause(prev):
            return "continued"
        return "narrated" if narrated_around else None
    lone = prev is not None and bool(_words(prev)) and {prev.tokens[k].lower for k in _words(prev)} <= {"and", "then", "so"}
    if generic_you(sent) or (lone and generic_you_text("then " + sent.text)):
        return "generic_you"
    return None


def informal_context(speakers: Sequence[str], parsed: Sequence[Sequence[Sentence]], *,
                     span: int = NARRATION_SPAN) -> dict[tuple[int, int], str]:
    """``(utterance, sentence)`` indices of English sentences that advise nobody, with the reason.

    ``continued``: a verb-initial line finishing the clause the speaker's previous line left open
    (:func:`open_clause`: "they'll just, | let the college kids do them"), or a line that only carries
    on a previous line hanging on a comma with another subject (:func:`continues_line`). ``generic_you``:
    :func:`generic_you` ("then you have to round these back"), also with a lone "then," on the line
    before. ``narrated``: a verb-initial line inside narration (:func:`narration` in the speaker's own
    sentences, within ``span`` on both sides: "and then I can go to Zoom. | Go to the cloud
    recordings. | … | and then I load all that"). The speaker's run continues over another
    speaker's backchannel of at most two words; a line of fillers ("like,") is skipped as the previous line.
    """
    out: dict[tuple[int, int], str] = {}
    for run in _speaker_runs(speakers, parsed):
        sents = [parsed[i][j] for i, j in run]
        if sents[0].language != "en":
            continue
        narr = [narration(s) for s in sents]
        prev: Optional[Sentence] = None  # the speaker's last line with a word other than a filler ("like,", "uh,")
        for n, (key, sent) in enumerate(zip(run, sents, strict=True)):
            if n and any(sents[n - 1].tokens[k].lower not in _TRAIL for k in _words(sents[n - 1])):
                prev = sents[n - 1]
            why = _why_not_advice(prev, sent, any(narr[max(0, n - span) : n]) and any(narr[n + 1 : n + 1 + span]))
            if why is not None:
                out[key] = why
    return out


# the speaker's own side: a plan or a forecast of what "we" / "I" will or would do, which tells the listener nothing to
# do ("we'd need to make sure that happened", "we would work on the basis that…"); a suggestion marker keeps it advice
_OWN_MODAL = {"will", "'ll", "would", "'d", "wo", "might", "shall"}
_OWN_SUBJ = {"we", "i"}
HABITUAL = True  # also "we <verb>" in the present ("we open our books"): what the side does
# what still makes such a clause a proposal to the listeners: "should", "let's", "why don't", "I suggest", "maybe we…"
_OWN_ADVICE = re.compile(r"\b(should|shouldn't|ought|let's|let us|how about|what about|why don't|why not|try|please|i suggest|"
                         r"i recommend|better|we could|we can|we need|we have to|we've got to|we must|shall we|"
                         r"(maybe|perhaps) (we|i)|you)\b")


def own_side_plan(sent: Sentence, *, habitual: bool = HABITUAL) -> bool:
    """Whether an English statement says what the speaker or the speaker's side will or would do, with no advice marker.

    A main clause (the root or a clause joined to it) whose subject is "we" or "I" and whose verb
    carries "will / 'll / would / 'd / might" or "going to / gonna": "we'd need to make sure that
    happened", "we would almost certainly work on the basis that…", "I'll bring it home"; with
    ``habitual`` also a present "we <verb>" with no auxiliary ("we open our books"). A proposal
    marker (:data:`_OWN_ADVICE`: "should", "let's", "why don't", "try", "I suggest", "better", "we
    could / can / need / have to", "maybe we…", any "you") or a question keeps the sentence open to
    advice. Unlike :data:`_ADVICE`, a hedge alone ("might", "perhaps as much as", "I think", "make
    sure") does not: a side's plans are hedged too ("we might not have any").
    """
    if sent.language != "en" or question(sent):
        return False
    if _OWN_ADVICE.search(norm(strip_markup(sent.text))):
        return False
    toks = sent.tokens
    for k, v in enumerate(toks):
        if v.dep != "ROOT" and not (v.dep in ("conj", "ccomp") and toks[v.head].dep == "ROOT"):
            continue
        subj = _subject(sent, k)
        if subj not in _OWN_SUBJ:
            continue
        auxes = [a.lower for a in toks if a.head == k and a.dep in ("aux", "auxpass")]
        if any(a in _OWN_MODAL for a in auxes) or (v.lower in ("going", "gonna") and v.tag == "VBG"):
            return True
        if habitual and subj == "we" and v.tag == "VBP" and not auxes:
            return True
    return False


OWN_SIDE_WORDS = 40  # an answer to a "you" question at least this long: the speaker speaks for their side


def own_side_context(speakers: Sequence[str], parsed: Sequence[Sequence[Sentence]], *,
                     min_words: int = OWN_SIDE_WORDS, need_question: bool = True,
                     habitual: bool = HABITUAL) -> dict[tuple[int, int], str]:
    """``(utterance, sentence)`` indices of English sentences that state the speaker's own side's plan (:func:`own_side_plan`).

    Only where the situation says the speaker speaks for a side the listeners are not on: the
    speaker's run answers another speaker's question put to "you" (a committee's "how will you
    approach it?" → "we'd work with…") and holds at least ``min_words`` words (a witness's account,
    not a reply in a discussion). ``need_question=False`` (measured, not the default) also takes any
    run of ``min_words`` words: that removed too many of AMI's suggestions ("we'll have to come up
    with a name"), where "we" is the team in the room.
    """
    out: dict[tuple[int, int], str] = {}
    runs = _speaker_runs(speakers, parsed)
    for r, run in enumerate(runs):
        sents = [parsed[i][j] for i, j in run]
        if not sents or sents[0].language != "en":
            continue
        words = sum(len(_words(s)) for s in sents)
        asked = False
        if r:
            prev = [parsed[i][j] for i, j in runs[r - 1]]
            asked = any(question(s) and any(t.lower in ("you", "your") for t in s.tokens) for s in prev)
        if words < min_words or (need_question and not asked):
            continue
        for key, sent in zip(run, sents, strict=True):
            if own_side_plan(sent, habitual=habitual):
                out[key] = "own_side"
    return out

__all__ = ["ADVICE_MARKER", "RuleHit", "continues_line", "generic_you", "generic_you_text", "informal_context", "meeting_itself", "narration",
           "norm", "open_clause", "own_side_context", "own_side_plan", "question", "quotative_end", "quoted_by_frame", "reported_speech", "search", "verb_initial",
           "veto"]

"""A deadline agreed over a few lines (issue 10, round 46).

On a call a deadline is often settled after the task: "I can do it by Friday." — "Can you do Wednesday? The client
meets on Thursday." — "Okay, Wednesday then."; «Сделаю к пятнице.» — «А к среде успеешь?» — «Да, успею.». The
extraction decides one sentence at a time, so the task kept the first day named and the day both agreed on was lost:
the evaluator's "by when" was wrong exactly where the pair took care over it.

:func:`renegotiated` reads the few lines after each action item (:data:`NEGOTIATE_LINES`): a line that proposes
another day and says nothing else (:func:`proposed_due`: "How about Wednesday?", "Friday would be more realistic.",
"Can it wait till Monday?", «Может, в четверг?», «Давай к пятнице, в среду не успею.») and, right after it, the other
side agreeing (:func:`agrees`: "Okay, Wednesday then.", "Sure.", «Да, успею.», «Хорошо, к пятнице.») move the item's
due to the proposed day, whichever of the two proposed it, when the item's owner is one of the two. A refusal ("No,
Wednesday is too early.") drops the proposal; a later proposal agreed on wins; any other line ends the negotiation.
An action item made of a proposal line itself («Давай к пятнице…» read as a joint task «в среду не успею») is dropped
when its proposal is taken into the task it is about.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any, Optional

from sessionscope.analysis.extract.dates import Due, find_due
from sessionscope.language.nlp import Sentence

#: how many lines after a task a deadline may still be agreed on for it
NEGOTIATE_LINES = 4
#: the most words (the day's own included) a line proposing a day may have
PROPOSAL_MAX_WORDS = 14

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
# the words a line proposing another day may hold besides the day ("Could you maybe make it Wednesday instead?")
_EN_PROPOSAL_WORDS = frozenset({
    "can", "could", "would", "will", "you", "do", "make", "it", "that", "this", "have", "get", "done", "ready", "how",
    "about", "what", "is", "be", "possible", "better", "work", "works", "maybe", "perhaps", "instead", "rather", "any",
    "chance", "then", "so", "or", "even", "please", "actually", "well", "hmm", "um", "uh", "and", "but", "the", "a",
    "latest", "at", "manage", "finish", "finished", "for", "me", "us", "push", "move", "to", "wait", "prefer", "i'd",
    "i", "we", "need", "sooner", "earlier", "later", "possibly", "ideally", "really", "great", "fine", "ideal",
    "realistic", "more", "okay", "ok", "with", "your", "say", "let's", "lets", "let", "if", "also", "there", "send",
    "deliver", "hand", "over", "in", "it's", "that's", "i'll", "can't", "cannot", "couldn't", "won't", "don't",
    "not", "no", "too", "early", "late", "tight", "tough", "doable", "feasible", "until", "till", "yeah", "yes",
    "sure", "right", "alright", "think", "guess", "of", "course", "on", "them", "those", "these",
})
_EN_PROPOSING = re.compile(r"\?|\b(?:how about|what about|instead|rather|better|realistic|doable|feasible|prefer|"
                           r"let'?s say|say|make it|push it|move it|works?|ideal|ideally|i can do|i could do|"
                           r"we can do|we could do|i'll have it|i can have it|i can get it|i could get it)\b",
                           re.IGNORECASE)
_RU_PROPOSAL_WORDS = frozenset({
    "а", "может", "можно", "давай", "давайте", "лучше", "успеешь", "успеете", "сможешь", "сможете", "получится",
    "успеть", "сделать", "тогда", "ну", "хотя", "бы", "если", "уже", "ли", "нельзя", "пораньше", "раньше", "позже",
    "попозже", "было", "хорошо", "хотелось", "нужно", "надо", "вам", "тебе", "нам", "мне", "это", "его", "её", "ее",
    "их", "же", "так", "вот", "точно", "всё", "все", "таки", "реально", "реальнее", "удобно", "удобнее", "я", "мы",
    "не", "успею", "успеем", "смогу", "сможем", "сделаю", "сделаем", "пришлю", "пришлёте", "пришлешь", "пришлёшь",
    "перенести", "перенесём", "перенесем", "сдвинуть", "сдвинем", "да", "нет", "окей", "ладно", "или", "вдруг",
    "крайний", "случай", "крайнем", "случае", "максимум", "хватит", "времени", "и", "но", "только",
})
_RU_PROPOSING = re.compile(r"\?|(?<![\w-])(?:давай|давайте|лучше|может|можно|реальнее|удобнее|перенес\w*|сдвин\w*|"
                           r"успею|смогу|сделаю)(?![\w-])", re.IGNORECASE)
# the words of agreeing to a day besides the day and the words of assent ("Okay, Wednesday then.", "Thursday works.")
_EN_AGREE_WORDS = frozenset({
    "sure", "yes", "yeah", "yep", "yup", "ok", "okay", "alright", "all", "right", "fine", "deal", "perfect", "great",
    "good", "sounds", "then", "it", "is", "it's", "that", "that's", "works", "work", "for", "me", "i", "can", "do",
    "will", "i'll", "we", "we'll", "no", "problem", "worries", "of", "course", "absolutely", "definitely", "agreed",
    "so", "let's", "lets", "say", "done", "makes", "sense", "cool", "manage", "should", "be", "possible", "doable",
    "well", "oh", "um", "uh", "and", "the", "latest", "at", "have", "get", "ready", "by", "too", "also", "gonna",
})
_RU_AGREE_WORDS = frozenset({
    "да", "хорошо", "конечно", "ладно", "окей", "ок", "ага", "угу", "давайте", "давай", "без", "проблем", "договорились",
    "успею", "успеем", "смогу", "сможем", "сделаю", "сделаем", "подойдёт", "подойдет", "подходит", "пойдёт", "пойдет",
    "идёт", "идет", "годится", "устраивает", "отлично", "тогда", "так", "и", "это", "я", "мы", "ну", "принято",
    "понял", "поняла", "нормально", "вполне", "реально", "можно", "значит", "вопросов", "нет",
})
_EN_REFUSING = re.compile(r"\b(?:no|not|never|can't|cannot|couldn't|won't|wouldn't|impossible|unlikely)\b|n't\b",
                          re.IGNORECASE)
_EN_NOT_REFUSING = re.compile(r"\bno (?:problem|worries)\b|\bnot a problem\b|\bwhy not\b", re.IGNORECASE)
_RU_REFUSING = re.compile(r"(?<![\w-])(?:не|нет|нельзя|никак)(?![\w-])", re.IGNORECASE)
_RU_NOT_REFUSING = re.compile(r"(?<![\w-])(?:нет проблем|без проблем|нет вопросов|почему бы и нет)(?![\w-])",
                              re.IGNORECASE)


#: where a clause of a proposal ends: a comma, a dash, "but", «а», «но»
_CLAUSE = re.compile(r"[,;:—–]|\s(?:but|though|а|но|зато)(?![\w-])", re.IGNORECASE)


def _dues(text: str, session: Any, cfg: Any) -> list[Due]:
    """Every due expression in ``text``, in order."""
    out: list[Due] = []
    at = 0
    while at < len(text):
        due = find_due(text[at:], session_date=session.date, meeting_interval_days=cfg.meeting_interval_days)
        if due is None:
            break
        out.append(Due(text=due.text, char_start=due.char_start + at, char_end=due.char_end + at, date=due.date))
        at += max(due.char_end, 1)
    return out


def _other_words(text: str, dues: Sequence[Due], language: str) -> list[str]:
    """The words of ``text`` outside its due expressions, lower case."""
    kept, at = [], 0
    for due in dues:
        kept.append(text[at:due.char_start])
        at = due.char_end
    kept.append(text[at:])
    words = [w.casefold().replace("’", "'") for w in _WORD.findall(" ".join(kept))]
    return [w.replace("ё", "е") for w in words] if language == "ru" else words


def _refuses(text: str, language: str) -> bool:
    if language == "ru":
        return bool(_RU_REFUSING.search(text)) and not _RU_NOT_REFUSING.search(text)
    return bool(_EN_REFUSING.search(text)) and not _EN_NOT_REFUSING.search(text)


def proposed_due(sent: Sentence, session: Any, cfg: Any) -> Optional[Due]:
    """The day a sentence proposes for a task already talked of, when it says nothing else (see the module): a due
    expression, at most :data:`PROPOSAL_MAX_WORDS` words, every other word one of a proposal's, and a question or a
    word of proposing ("how about", "would be better", «давай», «лучше»). The last day named is the one proposed ("I
    can't do Wednesday, but Friday works."); a refusal naming one day only ("Wednesday is not possible.") proposes
    none. English and Russian; ``None`` otherwise."""
    if sent.language not in ("en", "ru"):
        return None
    text = " ".join(sent.text.split())
    dues = _dues(text, session, cfg)
    if not dues or len(_WORD.findall(text)) > PROPOSAL_MAX_WORDS:
        return None
    allowed = _RU_PROPOSAL_WORDS if sent.language == "ru" else _EN_PROPOSAL_WORDS
    if any(w not in allowed for w in _other_words(text, dues, sent.language)):
        return None
    if not (_RU_PROPOSING if sent.language == "ru" else _EN_PROPOSING).search(text):
        return None
    # the day proposed is the last one named outside a refusing clause ("I can't do Wednesday, but Friday works.",
    # «Давай к пятнице, в среду не успею.»); a line refusing its only day ("Wednesday is not possible.") proposes none
    cuts = [0, *(m.end() for m in _CLAUSE.finditer(text)), len(text)]
    free = [d for d in dues if not _refuses(next(text[a:b] for a, b in zip(cuts, cuts[1:], strict=False)
                                                 if a <= d.char_start < b), sent.language)]
    return free[-1] if free else None


def agrees(sent: Sentence, proposed: Due, session: Any, cfg: Any) -> Optional[bool]:
    """Whether a sentence agrees to the ``proposed`` day (``True``: "Okay, Wednesday then.", "Sure.", «Да, успею.»),
    refuses it (``False``: "No, that's too early.", «Нет, не успею.») or neither (``None``). A sentence naming another
    day does not agree to this one."""
    text = " ".join(sent.text.split())
    dues = _dues(text, session, cfg)
    if any(d.date != proposed.date or (d.date is None and d.text.casefold() != proposed.text.casefold()) for d in dues):
        return None
    words = _other_words(text, dues, sent.language)
    if _refuses(text, sent.language):
        return False
    allowed = _RU_AGREE_WORDS if sent.language == "ru" else _EN_AGREE_WORDS
    if not words and not dues:
        return None
    return True if all(w in allowed for w in words) else None


def renegotiated(session: Any, parsed: Sequence[Sequence[Sentence]], acts: list, cfg: Any) -> list:
    """``acts`` with each action item's due moved to the day agreed on in the lines after it (see the module); an
    item made of a line of that negotiation, by the same owner, is dropped (the day is the task's, not a task)."""
    utts = session.utterances
    index = {u.id: k for k, u in enumerate(utts)}
    out = list(acts)
    absorbed: dict[tuple[str, Optional[int]], str] = {}  # a negotiation's sentence → the owner of the task it is about
    kept: set[str] = set()
    for n, item in enumerate(acts):
        i = index.get(item.utterance_id)
        owner = item.owner
        if i is None or owner is None or (item.utterance_id, item.char_start) in absorbed:
            continue
        agreed: Optional[Due] = None
        pending: Optional[tuple[str, Due]] = None
        lines: list[tuple[str, int]] = []  # the negotiation's sentences (utterance id, start)
        for j in range(i + 1, min(len(utts), i + 1 + NEGOTIATE_LINES)):
            speaker = utts[j].speaker
            if "hallucination" in utts[j].flags or not parsed[j]:
                break
            step = False
            if pending is not None and speaker != pending[0]:
                said = [agrees(s, pending[1], session, cfg) for s in parsed[j]]
                if any(said) and owner in (speaker, pending[0]):
                    agreed, pending, step = pending[1], None, True
                    lines += [(utts[j].id, s.start_char) for s, a in zip(parsed[j], said, strict=True) if a]
                elif False in said:
                    pending, step = None, True
            offers = [(s, d) for s in parsed[j] if (d := proposed_due(s, session, cfg)) is not None]
            if offers:
                pending, step = (speaker, offers[-1][1]), True
                lines += [(utts[j].id, s.start_char) for s, _d in offers]
            if not step:
                break
        if agreed is not None:
            out[n] = dataclasses.replace(item, due_text=agreed.text, due_date=agreed.date)
            kept.add(item.id)
            absorbed.update({line: owner for line in lines})

    def part_of_it(a: Any) -> bool:
        whose = absorbed.get((a.utterance_id, a.char_start))
        return a.id not in kept and whose is not None and (a.owner == whose or (a.owner is None and whose in a.owners))

    return [a for a in out if not part_of_it(a)]


__all__ = ["NEGOTIATE_LINES", "agrees", "proposed_due", "renegotiated"]

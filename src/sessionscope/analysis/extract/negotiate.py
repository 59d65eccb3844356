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
when its proposal is taken into the task it is about. A question asking when ("By when?") answered by the owner with
a day sets the due (:func:`asks_when`, :func:`answers_when`).

A request taken up in a bare word ("Can you update the onboarding docs?" — "Sure.") is an item when a day for it is
then agreed, or, between two people, when it asks for something done after the call (:func:`assented_requests`,
:func:`deliverable`). A task turned down in the very next line ("No, sorry, I can't.", "No need, I already have
them.") is no task (:func:`refused`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any, Optional

from sessionscope.analysis.extract.dates import Due, all_dues
from sessionscope.language.nlp import Sentence

#: how many lines after a task a deadline may still be agreed on for it
NEGOTIATE_LINES = 4
#: the most words (the day's own included) a line proposing a day may have
PROPOSAL_MAX_WORDS = 14

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
# the words a line proposing another day may hold besides the day ("Could you maybe make it Wednesday instead?")
_EN_PROPOSAL_WORDS = frozenset({
    "can", "could", "would", "will", "you", "do", "make", "it", "that", "this", "have", "get", "done", "ready",
    "is", "be", "possible", "better", "work", "works", "maybe", "perhaps", "instead", "rather", "any",
    "chance", "then", "so", "or", "even", "please", "actually", "well", "hmm", "um", "uh", "and", "but", "the", "a",
    "latest", "at", "manage", "finish", "finished", "for", "me", "us", "push", "move", "to", "wait", "prefer", "i'd",
    "i", "we", "need", "sooner", "earlier", "later", "possibly", "ideally", "really", "great", "fine", "ideal",
    "realistic", "more", "okay", "ok", "with", "your", "say", "let's", "lets", "let", "if", "also", "there", "send",
    "deliver", "hand", "over", "in", "it's", "that's", "i'll", "can't", "cannot", "couldn't", "won't", "don't",
    "not", "no", "too", "early", "late", "tight", "tough", "doable", "feasible", "until", "till", "yeah", "yes",
    "sure", "right", "alright", "think", "guess", "of", "course", "on", "them", "those", "these", "does", "aim",
    "target", "shoot", "good", "suit", "suits",
})
_EN_PROPOSING = re.compile(r"\?|^\W*(?:(?:so|and|but|then|okay|ok)\W+)?(?:can|could|would|will|is|does)\s+(?:you|we|it|that)\b|"
                           r"\b(?:how about|what about|instead|rather|better|realistic|doable|feasible|prefer|"
                           r"let'?s say|say|make it|push it|move it|works?|ideal|ideally|i can do|i could do|"
                           r"we can do|we could do|i'll have it|i can have it|i can get it|i could get it|at the latest|aim|target|"
                           r"shoot for)\b",
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
                           r"успею|смогу|сделаю|успеешь|успеете|сможешь|сможете|получится)(?![\w-])", re.IGNORECASE)
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


#: "how about", "what about": a proposal's words ("how" or "what" alone ask something else)
_HOW_ABOUT = re.compile(r"\b(?:how|what)\s+about\b", re.IGNORECASE)
#: where a clause of a proposal ends: a comma, a dash, "but", «а», «но»
_CLAUSE = re.compile(r"[,;:—–]|\s(?:but|though|а|но|зато)(?![\w-])", re.IGNORECASE)


def _dues(text: str, session: Any, cfg: Any) -> list[Due]:
    """Every due expression in ``text``, in order, resolved against the session (:func:`~.dates.all_dues`)."""
    return all_dues(text, session_date=session.date, meeting_interval_days=cfg.meeting_interval_days)


_NAMED_DAYS = re.compile(r"^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|"
                         r"may|june|july|august|september|october|november|december|christmas|easter|eod|eow|q[1-4])\b",
                         re.IGNORECASE)


def _as_inside(due: Due, language: str) -> Due:
    """``due`` as it reads inside a task's line: a capital the sentence's start gave it lowered ("End of the week",
    «К пятнице»), a day's or month's name kept ("Friday")."""
    if due.char_start != 0 or not due.text[:1].isupper() or (language != "ru" and _NAMED_DAYS.match(due.text)):
        return due
    return dataclasses.replace(due, text=due.text[:1].lower() + due.text[1:])


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
    found = _proposed(text, sent.language, session, cfg)
    if found is None and not _PUNCTUATED.search(text) and (tail := _last_ask(text, sent.language)) is not None:
        # a recogniser without punctuation runs the reason and the proposal together ("friday is too late the client
        # meets on thursday can you do wednesday"): the proposal is the last question it opens
        found = _proposed(text[tail:], sent.language, session, cfg)
        found = None if found is None else dataclasses.replace(found, char_start=found.char_start + tail,
                                                               char_end=found.char_end + tail)
    return found


#: punctuation inside a line (a line without any is a recogniser's bare text)
_PUNCTUATED = re.compile(r"[.?!,;]")
#: where a question or a proposal opens in bare text
_EN_ASK = re.compile(r"\b(?:can|could|would|will)\s+(?:you|we|it|that)\b|\b(?:how|what)\s+about\b|\blet'?s\b", re.I)
_RU_ASK = re.compile(r"(?<![\w-])(?:а|может|давай|давайте|лучше|можно)(?![\w-])", re.IGNORECASE)


def _last_ask(text: str, language: str) -> Optional[int]:
    """Where the last question or proposal opens in a bare line, or ``None``."""
    starts = [m.start() for m in (_RU_ASK if language == "ru" else _EN_ASK).finditer(text)]
    return starts[-1] if starts and starts[-1] > 0 else None


def _proposed(text: str, language: str, session: Any, cfg: Any) -> Optional[Due]:
    """:func:`proposed_due` on a line's text (see there)."""
    dues = _dues(text, session, cfg)
    if not dues or len(_WORD.findall(text)) > PROPOSAL_MAX_WORDS:
        return None
    allowed = _RU_PROPOSAL_WORDS if language == "ru" else _EN_PROPOSAL_WORDS
    plain = _HOW_ABOUT.sub(" ", text) if language == "en" else text
    if any(w not in allowed for w in _other_words(plain, dues if plain == text else _dues(plain, session, cfg), language)):
        return None  # words of its own ("I'll be in Berlin on Wednesday"; "How have we done today?" asks no day)
    if not (_RU_PROPOSING if language == "ru" else _EN_PROPOSING).search(text):
        return None
    # the day proposed is the last one named outside a refusing clause ("I can't do Wednesday, but Friday works.",
    # «Давай к пятнице, в среду не успею.»); a line refusing its only day ("Wednesday is not possible.") proposes none
    # (a day's clause runs from the comma or "but" before it, or the day named before it, to the one after it, or the
    # next day named: "Friday works, I can't do Wednesday."; a recogniser's «давай к пятнице в среду не успею»)
    cuts = [m.end() for m in _CLAUSE.finditer(text)]
    free = []
    for k, d in enumerate(dues):
        start = max([0, *(c for c in cuts if c <= d.char_start), *([dues[k - 1].char_end] if k else [])])
        end = min([len(text), *(c for c in cuts if c > d.char_end), *([dues[k + 1].char_start] if k + 1 < len(dues) else [])])
        if not _refuses(text[start:end], language):
            free.append(d)
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


#: a question asking when a task will be done ("By when?", "When do you think you can have it?", «К какому числу?»)
_EN_ASKS_WHEN = re.compile(
    r"^\W*(?:(?:and|so|ok|okay|great|good|cool|perfect|thanks|thank you|super|awesome|right)[\s,.!]+)*"
    r"(?:by when|when\W*$|when (?:can|could|will|would|do|might|should|are)\b|how soon\b|any idea when\b|"
    r"roughly when\b|what(?:'s| is| would be) (?:a |the |your )?(?:realistic |rough |good )?"
    r"(?:date|deadline|timeline|eta|timeframe|time frame)\b)", re.IGNORECASE)
_RU_ASKS_WHEN = re.compile(
    r"^\W*(?:(?:а|и|хорошо|отлично|ок|окей|спасибо|так|супер|договорились)[\s,.!]+)*"
    r"(?:к какому (?:числу|сроку|дню)|до какого (?:числа|срока|дня)|когда(?![\w-])|в какие сроки|какие сроки|"
    r"какой срок|сколько (?:времени|дней) (?:тебе|вам) (?:нужно|понадобится))", re.IGNORECASE)
# words an answer to "when?" may hold besides the day ("Probably Thursday.", "Hopefully by the end of the week.")
_EN_ANSWER_WORDS = frozenset({"probably", "hopefully", "maybe", "perhaps", "i", "think", "guess", "should", "be",
                              "done", "ready", "latest", "at", "the", "by", "it", "it'll", "will", "i'll", "have",
                              "get", "that", "can", "could", "say", "let's", "lets", "um", "uh", "well", "so", "hmm",
                              "realistically", "ideally", "sure", "yeah", "yes", "ok", "okay", "then", "or"})
_RU_ANSWER_WORDS = frozenset({"наверное", "думаю", "скорее", "всего", "к", "до", "в", "успею", "сделаю", "смогу",
                              "будет", "готово", "готов", "готова", "я", "ну", "да", "так", "максимум", "крайний",
                              "край", "надеюсь", "постараюсь", "пришлю", "тогда", "где-то", "примерно", "это"})


def asks_when(sent: Sentence) -> bool:
    """Whether a sentence asks when a task will be done ("By when?", "When can you have it?", «К какому числу?»)."""
    text = " ".join(sent.text.split())
    return bool((_RU_ASKS_WHEN if sent.language == "ru" else _EN_ASKS_WHEN).match(text))


def answers_when(sent: Sentence, session: Any, cfg: Any) -> Optional[Due]:
    """The day a short answer to "when?" names ("Probably Thursday.", «К пятнице.»): a due expression, at most
    :data:`PROPOSAL_MAX_WORDS` words, every other word one of such an answer's; not a refusal."""
    if sent.language not in ("en", "ru"):
        return None
    text = " ".join(sent.text.split())
    dues = _dues(text, session, cfg)
    if not dues or len(_WORD.findall(text)) > PROPOSAL_MAX_WORDS or _refuses(text, sent.language):
        return None
    allowed = _RU_ANSWER_WORDS if sent.language == "ru" else _EN_ANSWER_WORDS
    return dues[-1] if all(w in allowed for w in _other_words(text, dues, sent.language)) else None


def agreed_due(session: Any, parsed: Sequence[Sequence[Sentence]], i: int, owner: str,
               cfg: Any) -> tuple[Optional[Due], list[tuple[str, int]]]:
    """The day agreed on for ``owner``'s task of line ``i`` in the :data:`NEGOTIATE_LINES` lines after it, and the
    sentences of that negotiation (utterance id, start); ``(None, [])`` when none is agreed (see the module)."""
    utts = session.utterances
    agreed: Optional[Due] = None
    pending: Optional[tuple[str, Due]] = None
    asked = False  # the other asked when
    lines: list[tuple[str, int]] = []
    done: list[tuple[str, int]] = []
    for j in range(i + 1, min(len(utts), i + 1 + NEGOTIATE_LINES)):
        speaker = utts[j].speaker
        if "hallucination" in utts[j].flags or not parsed[j]:
            break
        step = False
        if asked and speaker == owner and (told := [d for s in parsed[j] if (d := answers_when(s, session, cfg))]):
            # "By when?" — "Probably Thursday.": the owner's own day (the other may still propose another)
            agreed, pending, asked, step = told[-1], (owner, told[-1]), False, True
            lines += [(utts[j].id, s.start_char) for s in parsed[j]]
            done = list(lines)
        elif pending is not None and speaker != pending[0]:
            said = [agrees(s, pending[1], session, cfg) for s in parsed[j]]
            if any(said) and owner in (speaker, pending[0]):
                agreed, pending, step = pending[1], None, True
                lines += [(utts[j].id, s.start_char) for s, a in zip(parsed[j], said, strict=True) if a]
                done = list(lines)
            elif False in said:
                pending, step = None, True
        offers = [(s, d) for s in parsed[j] if (d := proposed_due(s, session, cfg)) is not None]
        if offers:
            pending, step = (speaker, offers[-1][1]), True
            lines += [(utts[j].id, s.start_char) for s, _d in offers]
        elif speaker != owner and any(asks_when(s) for s in parsed[j]):
            asked, step = True, True
            lines += [(utts[j].id, s.start_char) for s in parsed[j] if asks_when(s)]
        if not step:
            break
    return agreed, done


def renegotiated(session: Any, parsed: Sequence[Sequence[Sentence]], acts: list, cfg: Any,
                 heads: Any = None, head_logits: Any = None,
                 areas: Optional[dict] = None) -> tuple[list, set[tuple[str, Optional[int]]]]:
    """``acts`` with each action item's due moved to the day agreed on in the lines after it, and an item for a
    request taken up in a bare word whose day is then agreed ("Can you update the onboarding docs?" — "Sure." — "By
    when?" — "End of the week."; :func:`assented_requests`) or, in a session of two, that asks for something done
    after the call ("Can you send me the link?" — "Sure."); an item made of a line of that negotiation, by the same
    owner, is dropped (the day is the task's, not a task). Also returns the sentences of every agreed negotiation
    (utterance id, start): "Friday at the latest, please." is no advice either. See the module."""
    utts = session.utterances
    index = {u.id: k for k, u in enumerate(utts)}
    out = list(acts)
    absorbed: dict[tuple[str, Optional[int]], str] = {}  # a negotiation's sentence → the owner of the task it is about
    kept: set[str] = set()
    for n, item in enumerate(acts):
        i = index.get(item.utterance_id)
        if i is None or item.owner is None or (item.utterance_id, item.char_start) in absorbed:
            continue
        due, lines = agreed_due(session, parsed, i, item.owner, cfg)
        if due is not None:
            due = _as_inside(due, parsed[i][0].language if parsed[i] else "en")
            out[n] = dataclasses.replace(item, due_text=due.text, due_date=due.date)
            kept.add(item.id)
            absorbed.update({line: item.owner for line in lines})
    from sessionscope.analysis.extract.recap import last_number

    listed = {(a.utterance_id, a.char_start) for a in out}
    pair = len(session.participants) == 2
    for new, asked in assented_requests(session, parsed, cfg, heads, head_logits, areas or {}):
        if (new.utterance_id, new.char_start) in listed or (new.utterance_id, new.char_start) in absorbed:
            continue
        due, lines = agreed_due(session, parsed, index[new.utterance_id], new.owner, cfg)
        if due is None and not (pair and deliverable(new.task, asked)
                                and new.utterance_id not in {a.utterance_id for a in out}):
            continue  # (between two: the yes says nothing else that is a task: "Sure. I'll send you a guide…")
        if due is not None:
            due = _as_inside(due, parsed[index[new.utterance_id]][0].language)
            new = dataclasses.replace(new, due_text=due.text, due_date=due.date)
        new = dataclasses.replace(new, id=f"act-{last_number(out) + 1:03d}")
        out.append(new)
        kept.add(new.id)
        absorbed.update({line: new.owner for line in lines})

    def part_of_it(a: Any) -> bool:
        whose = absorbed.get((a.utterance_id, a.char_start))
        return a.id not in kept and whose is not None and (a.owner == whose or (a.owner is None and whose in a.owners))

    order = {u.id: k for k, u in enumerate(utts)}
    return sorted((a for a in out if not part_of_it(a)),
                  key=lambda a: (order.get(a.utterance_id, 0), a.char_start or 0)), set(absorbed)


#: verbs of a request for something done after the call, which a bare yes takes on between two people ("Can you send me
#: the link?" — "Sure."): not a move of the moment ("share your screen", "give me an example", "try it now")
_EN_DELIVERABLE = frozenset({
    "send", "forward", "email", "e-mail", "share", "prepare", "write", "draft", "update", "fix", "check", "review",
    "find", "book", "schedule", "set", "create", "add", "upload", "introduce", "ask", "remind", "call", "ping",
    "finish", "complete", "submit", "organise", "organize", "arrange", "look", "follow", "get", "make", "put", "order",
    "sign", "register", "invite", "text", "message", "post", "publish", "test", "install", "configure", "move",
    "translate", "print", "bring", "read", "talk", "contact", "loop", "clean", "merge", "deploy", "document",
})
_RU_DELIVERABLE = frozenset({
    "прислать", "отправить", "переслать", "выслать", "скинуть", "подготовить", "написать", "обновить", "исправить",
    "проверить", "посмотреть", "найти", "забронировать", "назначить", "настроить", "создать", "добавить", "загрузить",
    "познакомить", "спросить", "напомнить", "позвонить", "сделать", "доделать", "закончить", "собрать", "оформить",
    "договориться", "пригласить", "поговорить", "связаться", "прочитать", "почитать", "принести", "выложить",
    "опубликовать", "разослать", "заказать", "записать", "записаться", "перевести", "составить",
})
# a request of the moment, in the call ("…now", "share your screen", «покажи экран»)
_NOW = re.compile(r"\b(?:now|right now|here|screen|slide|scroll|example)\b|(?<![\w-])(?:сейчас|экран\w*|слайд\w*|пример\w*)"
                  r"(?![\w-])", re.IGNORECASE)


_PLEASE = re.compile(r"\bplease\b|(?<![\w-])пожалуйста(?![\w-])", re.IGNORECASE)


def deliverable(task: str, asked: Sentence) -> bool:
    """Whether a request taken up in a bare word asks for something done after the call (round 46): it asks ("Could
    you…?", «Можешь…?», "Please send…"; an imperative without "please" is advice as often), its verb is one of a deliverable's (send, prepare, update,
    book…; «прислать», «подготовить»…) and nothing says it is for now."""
    from sessionscope.analysis.extract.accept import _request

    words = task.split()
    first = words[0].casefold().strip(",.") if words else ""
    verbs = _RU_DELIVERABLE if asked.language == "ru" else _EN_DELIVERABLE
    # asked, not advised: "Could you…?", «Можешь…?», an imperative only with "please" («пожалуйста»): "Call her, don't
    # email." — "Okay." takes advice
    polite = _PLEASE.search(asked.text) is not None
    return first in verbs and not _NOW.search(asked.text) and _request(
        asked, imperative="any" if polite else "none") is not None


def assented_requests(session: Any, parsed: Sequence[Sequence[Sentence]], cfg: Any, heads: Any, head_logits: Any,
                      areas: dict) -> list:
    """Candidate items for a request taken up in a bare word ("Can you update the onboarding docs?" — "Sure."; «Обновишь
    документацию?» — «Да, конечно.»), which lists no task by itself (round 41: on the train meetings such answers
    are moves at the table far more often than tasks); :func:`renegotiated` keeps one when a day is then agreed, or,
    between two people, when it asks for something done after the call (:func:`deliverable`).
    The task is the request's, in the words of the one who took it on; the owner the one who said yes; the
    confidence the dialogue-act heads' action probability of the yes (method ``agreed``), as for a commitment made
    in a word. Each candidate comes with the request's sentence; ids are set when one is kept."""
    from sessionscope.analysis.extract.accept import _request, elliptic, other_before
    from sessionscope.analysis.extract.recap import sentence_confidence
    from sessionscope.model import ActionItem

    utts = session.utterances
    speakers = [u.speaker for u in utts]
    out = []
    for i in range(1, len(utts)):
        k = other_before(speakers[i], speakers, i)
        if k is None or not parsed[i] or not parsed[k] or "hallucination" in utts[i].flags:
            continue
        yes = parsed[i][0]
        if not elliptic(yes.text, yes) or _refuses(yes.text, yes.language) or proposed_due(yes, session, cfg):
            continue
        found = next(((prev, f) for prev in reversed(parsed[k]) if prev.language == yes.language
                      and (f := _request(prev, imperative="any")) is not None), None)
        if found is None:
            continue
        row = head_logits[i][0] if head_logits is not None else None
        conf, to_check = sentence_confidence(None, heads, row, yes, cfg)
        out.append((ActionItem(
            id="act-new", utterance_id=utts[i].id, start=utts[i].start, owner=speakers[i], task=found[1][0],
            confidence=conf, area=areas.get(utts[i].id), char_start=yes.start_char, char_end=yes.end_char,
            method="agreed", owners=(speakers[i],), to_check=to_check,
        ), found[0]))
    return out


# -- a task refused or an offer declined (round 46) --------------------------------------------------------------------
#: a refusal of a task asked for ("No, sorry, I can't.", "I'm afraid not.", «Нет, не успею.», «К сожалению, не смогу.»)
_EN_REFUSAL = re.compile(
    r"^\W*(?:(?:oh|um|uh|well|hmm|ah|honestly)\W+)*(?:no\b(?!\W*(?:problem|worries|doubt|question))|nope\b|"
    r"(?:i'?m\s+)?sorry\b[^.?!]*\b(?:can'?t|cannot|won'?t|not|unable)\b|i'?m\s+afraid\s+(?:not|i\s+(?:can'?t|cannot|won'?t))|"
    r"i\s+(?:can'?t|cannot)\b(?!\s+(?:wait|thank|complain|believe|imagine|argue))|i\s+won'?t\s+(?:be\s+able|have\s+(?:the\s+)?time)|unfortunately\b[^.?!]*\b(?:can'?t|cannot|"
    r"won'?t|not)\b|not\s+(?:this\s+(?:week|time)|a\s+chance))", re.IGNORECASE)
_RU_REFUSAL = re.compile(
    r"^\W*(?:(?:ой|ну|эм|слушай|слушайте)\W+)*(?:нет(?![\w-])(?!\W*(?:проблем|вопросов))|не\s+(?:успею|смогу|получится|выйдет|"
    r"успеем|сможем)|к\s+сожалению,?\s+(?:нет|не)|увы|никак|боюсь,?\s+(?:что\s+)?(?:нет|не))", re.IGNORECASE)
#: an offer or a promise declined by the one it was for ("No need.", "No, thanks.", «Не нужно.», «Спасибо, не надо.»)
_EN_DECLINED = re.compile(
    r"^\W*(?:(?:oh|um|uh|well|thanks|thank\s+you|that's\s+kind|that's\s+nice)\W+)*(?:no\s+need|no,?\s+thanks?|no\s+thank\s+you|"
    r"don'?t\s+(?:bother|worry\s+about\s+it)|(?:that'?s|it'?s)\s+not\s+necessary|not\s+necessary|i\s+(?:already|don'?t\s+need))",
    re.IGNORECASE)
_RU_DECLINED = re.compile(
    r"^\W*(?:(?:ой|ну|спасибо)\W+)*(?:не\s+(?:нужно|надо|стоит|обязательно)|нет,?\s+спасибо|не\s+беспокойтесь|не\s+беспокойся|"
    r"у\s+меня\s+(?:уже\s+)?есть)", re.IGNORECASE)


def refused(session: Any, parsed: Sequence[Sequence[Sentence]], acts: list,
            cfg: Any) -> tuple[list, set[tuple[str, Optional[int]]]]:
    """``acts`` less the tasks turned down in the very next line (round 46): a task asked of someone who answers with a
    refusal ("Could you send me the report by Wednesday?" — "No, sorry, I can't, I'm travelling all week."; «Сможешь
    прислать отчёт к среде?» — «Нет, не успею.»), and one a speaker offers or promises that the one it was for
    declines ("I'll send you the slides tomorrow." — "No need, I already have them."). Not when the answer also
    proposes another day ("I can't do Wednesday, but Friday works.": :func:`renegotiated` reads that). Also a task
    the one it was for calls off a little later (:func:`_withdrawn`: "Actually, never mind, I'll pull it myself.").
    Also returns the sentences that called a task off (utterance id, start): "Actually, forget the slides." is no
    advice."""
    utts = session.utterances
    index = {u.id: k for k, u in enumerate(utts)}
    out = []
    off: set[tuple[str, Optional[int]]] = set()
    pair = len({u.speaker for u in utts}) <= 2
    for item in acts:
        i = index.get(item.utterance_id)
        if i is None or i + 1 >= len(utts) or not parsed[i + 1] or item.owner is None \
                or "hallucination" in utts[i + 1].flags:
            out.append(item)
            continue
        j = i + 1
        answer = parsed[j][0]
        speaker, answerer = utts[i].speaker, utts[j].speaker
        ru = answer.language == "ru"
        turned_down = answerer != speaker and (
            (answerer == item.owner and (_RU_REFUSAL if ru else _EN_REFUSAL).match(answer.text) is not None)
            or (item.owner == speaker and (_RU_DECLINED if ru else _EN_DECLINED).match(answer.text) is not None))
        if turned_down and not any(proposed_due(s, session, cfg) for s in parsed[j]):
            continue
        if (called_off := _withdrawn(item, speaker, utts, parsed, i, pair)) is not None:
            off.add(called_off)
            continue
        out.append(item)
    return out, off


#: how many lines after a task the one it was for may still call it off
WITHDRAW_LINES = 3
#: a task called off by the one it was for ("Actually, never mind, I'll pull it myself.", "Forget the slides.",
#: «Хотя нет, не надо, я сама возьму.», «Забудь про отчёт.»)
_EN_WITHDRAWN = re.compile(
    r"^\W*(?:(?:actually|oh|wait|hmm|um|uh|well|on second thought|you know what|thinking about it|no)\W+)*"
    r"(?:never\s*mind\b|forget\s+(?:about\s+)?(?:it|that|this|the|my|about)\b|scratch\s+that\b|don'?t\s+bother\b|"
    r"no\s+need\b|there'?s\s+no\s+need\b|you\s+don'?t\s+(?:need|have)\s+to\s+(?:do\s+(?:that|it|this)\b|bother\b|anymore\b)|"
    r"that\s+won'?t\s+be\s+necessary\b)",
    re.IGNORECASE)
_RU_WITHDRAWN = re.compile(
    r"^\W*(?:(?:хотя|ой|ну|слушай|слушайте|подожди|подождите|нет|знаешь|знаете|а)\W+)*"
    r"(?:не\s+надо|не\s+нужно|уже\s+не\s+(?:надо|нужно)|забудь(?:те)?|отбой|можно\s+не|не\s+стоит|не\s+беспокойся|"
    r"не\s+беспокойтесь)(?![\w-])", re.IGNORECASE)


def _withdrawn(item: Any, speaker: str, utts: Sequence[Any], parsed: Sequence[Sequence[Sentence]],
               i: int, pair: bool) -> Optional[tuple[str, Optional[int]]]:
    """The sentence (utterance id, start) in which the one a task was for calls it off in the :data:`WITHDRAW_LINES`
    lines after it: the one who asked (a task handed to someone else), or the other (a task the speaker took on),
    opening a sentence with "never mind", "forget it", "no need", "don't bother", «не надо», «забудь» (round 46); not a
    question. ``None`` when nobody does. In a meeting of three or more (not ``pair``) only the very next line counts
    (whose "never mind" a later line is, is a guess there)."""
    for j in range(i + 1, min(len(utts), i + 1 + (WITHDRAW_LINES if pair else 1))):
        who = utts[j].speaker
        if who == item.owner or (item.owner == speaker and who == speaker) or (item.owner != speaker and who != speaker):
            continue
        for sent in parsed[j]:
            rule = _RU_WITHDRAWN if sent.language == "ru" else _EN_WITHDRAWN
            if not sent.text.rstrip().endswith("?") and rule.match(sent.text):
                return utts[j].id, sent.start_char
    return None


__all__ = ["NEGOTIATE_LINES", "agreed_due", "agrees", "answers_when", "asks_when", "assented_requests", "deliverable",
           "proposed_due",
           "refused", "renegotiated", "WITHDRAW_LINES"]

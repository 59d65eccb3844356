"""A task accepted in a word takes its words from the request (issue 10, round 37).

On a call the task is often said by the one who asks, and the one who will do it only accepts: "Could you prepare a
short guide for my team?" — "Sure, I will, by our next meeting."; «Не могли бы вы подготовить инструкцию для моей
команды?» — «Да, подготовлю к следующей встрече.». The action item is the one who accepts (owner, the acceptance's
act), but its task phrase was "Sure, I will" or «подготовлю»: no task that stands on its own. :func:`accepted_task`
gives the task from the request instead, in the words of the one who accepts ("prepare a short guide for your team",
«подготовить инструкцию для вашей команды»: the asker's "me" and "my" become "you" and "your"), and the request's
due expression when the acceptance says none ("Can you send it by Friday?" — "Will do.").

Narrow by design: the phrase said must hold no task words of its own (only words of assent, "I will", "do it",
«сделаю», one verb with nothing else in Russian), and the utterance just before, by someone else, must ask the
listener plainly ("can / could / would / will you…", "would you mind…", "I need you to…", «можете / могли бы вы /
не могли бы вы / сможешь…»). Anything else keeps the words said. Only the task phrase (and a missing due date)
changes: which sentences are action items, their owners and confidences stay as the stage found them.

Round 38 adds two readings of the same kind. A commitment that names only its verb ("Sure, I'll send them tomorrow.",
«Хорошо, пришлю сегодня вечером.») takes the noun object said with a verb of the same lemma in the three utterances
before it, by either person (:func:`echoed_task`: the offer «Могу прислать вам свой шаблон.», the request "Could you
send me the slides?"). Advice taken up with a "when" ("I'll try that at the next team meeting") takes the advice, the
"when" kept in brackets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Optional

from sessionscope.analysis.extract.dates import Due, find_due, when_not_by, without_due
from sessionscope.language.nlp import Sentence, Token
from sessionscope.text import strip_markup

# -- what an acceptance says: no task words of its own --------------------------------------------------------------
_EN_ASSENT = frozenset({
    "sure", "yes", "yeah", "yep", "yup", "ok", "okay", "alright", "all", "right", "of", "course", "absolutely",
    "definitely", "certainly", "no", "problem", "fine", "i", "i'll", "will", "do", "can", "it", "that", "this", "so",
    "well", "then", "happy", "glad", "to", "gladly", "consider", "done", "totally", "oh", "um", "uh", "and", "too",
    "also", "great", "good", "sounds", "thing", "deal", "try", "my", "best", "you", "bet", "on", "it's", "that's",
    "we", "we'll", "shall", "could", "would", "be", "let", "me", "cool", "worries", "i'm", "sorry",
})
_RU_ASSENT = frozenset({
    "да", "хорошо", "конечно", "ладно", "окей", "ок", "ага", "угу", "давайте", "давай", "без", "проблем", "обязательно",
    "непременно", "договорились", "сделаю", "сделаем", "это", "я", "мы", "так", "и", "тогда", "постараюсь", "попробую",
    "можно", "могу", "смогу", "разумеется", "отлично", "безусловно", "вопросов", "нет", "ну", "все", "всё", "понял",
    "поняла", "принято",
})
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)


def elliptic(task: str, sent: Sentence) -> bool:
    """Whether the task phrase ``task`` of an acceptance holds no task words of its own ("Sure, I will", "will do",
    «подготовлю», «да, сделаю»): every word is one of assent, or, in Russian, one verb and words of assent. A due
    expression is no task word ("I can do it by Friday.", «Да, сделаю к пятнице.»; round 46)."""
    if (due := find_due(task)) is not None:
        task = task[:due.char_start] + " " + task[due.char_end:]
    if (lead := _NOT_YET_LEAD.match(task)) is not None and task[lead.end():].strip():
        task = task[lead.end():]  # "not yet sorry i can do it by friday": a recogniser's one sentence (round 46)
    words = [w.casefold().replace("’", "'").replace("ё", "е") for w in _WORD.findall(task)]
    if not words:
        return True
    if sent.language == "ru":
        rest = [w for w in words if w not in _RU_ASSENT]
        if "нет" in words and not {"проблем", "вопросов"} & set(words):
            return False  # «нет, не сделаю»: a refusal («без проблем», «нет вопросов» accept)
        if not rest:
            return True
        if len(rest) > 1:
            return False
        verb = next((t for t in sent.tokens if t.lower.replace("ё", "е") == rest[0]), None)
        return verb is not None and verb.pos == "VERB" and verb.feats.get("VerbForm") == "Fin"
    if any(w == "no" and nxt not in ("problem", "worries") for w, nxt in zip(words, [*words[1:], ""], strict=True)):
        return False  # "No, I will not": a refusal, not an acceptance ("no problem" accepts)
    return all(w in _EN_ASSENT for w in words)


# -- what a request to the listener looks like ---------------------------------------------------------------------
_EN_REQUEST = re.compile(
    r"\b(?:can|could|would|will)\s+(?:you|ya|u)\s+(?:(?:please|maybe|possibly|perhaps|also|just|quickly|then)\s+)*"
    r"(?:be\s+able\s+to\s+)?(?P<task>[a-z]\w*\b.*)"
    r"|(?:\bi(?:'d| would)?\s+(?:need|like|want)\s+you\s+to|\b(?:can|could|may)\s+i\s+ask\s+you\s+to"
    r"|^\W*(?:(?:so|and|then|hey)\W+)*(?:do\s+)?you\s+(?:wanna|want\s+to))\s+(?P<task2>[a-z]\w*\b.*)",
    re.IGNORECASE)
# not a request for a task: a question about the listener ("could you hear", "would you say", "can you imagine")
_EN_NOT_TASK = frozenset({"be", "hear", "see", "say", "imagine", "believe", "tell", "think", "remember", "guess",
                          "like", "want", "live", "stop", "go", "repeat", "explain", "describe", "clarify", "elaborate",
                          "speak", "talk", "mute", "unmute", "wait", "hold", "let", "do", "show", "walk"})
# …unless a deadline makes it a task for later: "could you walk me through the pivot tables again on Friday?",
# "can you show me the dashboard next time?" (round 44)
_EN_TASK_WITH_DUE = frozenset({"walk", "show", "explain", "describe", "do", "tell"})
_RU_REQUEST = re.compile(
    r"(?<![\w-])(?:не\s+)?(?:можете|можешь|сможете|сможешь|могли\s+бы|мог\s+бы|могла\s+бы|могу\s+ли\s+я\s+попросить"
    r"|можно\s+(?:(?:вас|тебя)\s+)?попросить),?"  # «Можешь, пожалуйста, прислать…» (round 46)
    r"(?:\s+ли)?(?:\s+(?:вы|ты|тебя|вас),?)?(?:\s+(?:бы|пожалуйста|тоже|ещё|еще|также|потом),?)*\s+(?P<task>[а-яё]\w*.*)",
    re.IGNORECASE)
_RU_NOT_TASK = frozenset({"быть", "сказать", "рассказать", "объяснить", "повторить", "представить", "подождать",
                          "услышать", "слышать", "видеть", "увидеть", "помочь", "уточнить", "пояснить", "показать"})

# the asker's words for themself become the listener's words for the asker, and back
_EN_SWAP = {"me": "you", "my": "your", "mine": "yours", "myself": "yourself", "your": "my", "yours": "mine",
            "yourself": "myself"}
_RU_SWAP_FORMAL = {"меня": "вас", "мне": "вам", "мной": "вами", "мой": "ваш", "моя": "ваша", "моё": "ваше",
                   "мое": "ваше", "мои": "ваши", "моего": "вашего", "моей": "вашей", "моему": "вашему",
                   "мою": "вашу", "моим": "вашим", "моих": "ваших", "моими": "вашими", "моём": "вашем", "моем": "вашем"}
_RU_SWAP_INFORMAL = {"меня": "тебя", "мне": "тебе", "мной": "тобой", "мой": "твой", "моя": "твоя", "моё": "твоё",
                     "мое": "твое", "мои": "твои", "моего": "твоего", "моей": "твоей", "моему": "твоему",
                     "мою": "твою", "моим": "твоим", "моих": "твоих", "моими": "твоими", "моём": "твоём", "моем": "твоем"}


# how advice is framed, before the task itself: "I'd recommend", "my advice is to", "make sure you", «вам стоит», «советую»; the frame
# may come without its "I'd" (the task's start has passed over "I would" already: round 41); Russian in any order
# («вам я бы посоветовала», «я бы посоветовал вам»: round 42)
_ADVICE_FRAME = re.compile(
    r"(?:(?:i(?:'d| would)? )?(?:really |strongly )?(?:recommend|suggest|advise)(?: that)?(?: you)?(?: to)?"
    r"|my (?:advice|suggestion|recommendation) (?:is|would be)(?: to)?|maybe|perhaps|why don't you|how about"
    # round 44: "make sure you talk to Oleg" taken up in a word is "talk to Oleg", not "make sure I talk to Oleg"
    r"|(?:make|be) sure(?: that)?(?: you)?(?: to)?|(?:don't|do not) forget(?: to)?|remember to"
    r"|(?:вам|тебе|вы|ты),?\s+(?:(?:возможно|наверное|может быть|пожалуй),?\s+)?(?:бы\s+)?"
    r"(?:стоит|стоило бы|нужно|надо|следует|следовало бы|лучше|можно)(?:\s+(?:ещё|еще|также|тоже))?"
    r"|(?:(?:вам|тебе)\s+)?(?:я\s+)?(?:бы\s+)?(?:советую|рекомендую|посоветовала?(?:\s+бы)?|порекомендовала?(?:\s+бы)?"
    r"|предлагаю)(?:\s+(?:вам|тебе))?)"
    r"[\s,:]+", re.IGNORECASE)

# an aside before the advice ("And, if I may, you should take…"): the advice's frame comes after it (round 41)
_ADVICE_ASIDE = re.compile(r"^(?:(?:and|so|but|well)\b[\s,]*)?(?:if i may|if you don't mind|if you do not mind|honestly|"
                           r"frankly|to be honest|in my (?:opinion|experience)|personally)\s*,\s*", re.IGNORECASE)

# round 41: both ways at once, as in English ("пришлите мне слайды, которые у вас есть" → "прислать вам слайды, которые у
# меня есть"): the one who spoke becomes "вы / ты", the one who takes it on "я"
_RU_BOTH_FORMAL = {**_RU_SWAP_FORMAL, **{v: k for k, v in _RU_SWAP_FORMAL.items() if k not in ("мое", "моем")}}
_RU_BOTH_INFORMAL = {**_RU_SWAP_INFORMAL, **{v: k for k, v in _RU_SWAP_INFORMAL.items() if k not in ("мое", "моем")}}
_RU_INFORMAL = re.compile(r"(?<![\w-])(?:ты|тебя|тебе|тобой|твой|твоя|твоё|твое|твои|можешь|сможешь)(?![\w-])", re.IGNORECASE)
# a word that may be an imperative, for :func:`_ru_to_speaker`
_RU_IMPERATIVE_WORD = re.compile(r"(?<![\w-])[а-яё]{3,}(?![\w-])", re.IGNORECASE)
# "вы / ты" as the subject of the verb after it, an adverb or "не" between them allowed ("вы уже показывали")
_RU_YOU_VERB = re.compile(r"(?<![\w-])(вы|ты)(\s+(?:(?:уже|тоже|также|ещё|еще|не|часто|обычно|всегда|только)\s+)?)"
                          r"([а-яё]+)(?![\w-])", re.IGNORECASE)


def _ru_to_speaker(phrase: str, *, informal: bool, gender: Optional[str],
                   imperatives: frozenset[str] = frozenset()) -> str:
    """A Russian ``phrase`` said by someone else, in the words of the one who takes it on: "мне / мой" ↔ "вам / ваш"
    ("тебе / твой" when ``informal``) at once, and "вы / ты" with its verb as "я" with the verb in the first person
    ("которые вы показывали" → "которые я показывала" for a woman, :func:`~sessionscope.language.morph.first_person_verb`;
    a past-tense verb of an unknown ``gender`` stays as said, and so does its pronoun). Round 41: "вы" stayed, and
    under the owner's name it read as the other person. Round 42: an imperative to "вы" or "ты" is the owner's first
    person too ("предложите" → "предложу", "пересматривайте" → "буду пересматривать":
    :func:`~sessionscope.language.morph.first_person_of_imperative`). Round 46: a word in ``imperatives`` (the tagger
    read it as one where it was said) is turned even where the dictionary doubts it («пришли»: "send" or "came")."""
    from sessionscope.language.morph import first_person_of_imperative, first_person_verb

    phrase = _swap(phrase, _RU_BOTH_INFORMAL if informal else _RU_BOTH_FORMAL)

    def one(m: re.Match[str]) -> str:
        verb = first_person_verb(m.group(3), gender)
        if verb is None:
            return m.group(0)
        return ("Я" if m.group(1)[:1].isupper() else "я") + m.group(2) + verb

    def imperative(m: re.Match[str]) -> str:
        verb = first_person_of_imperative(m.group(0), sure=m.group(0).casefold() in imperatives)
        if verb is None:
            return m.group(0)
        return verb[:1].upper() + verb[1:] if m.group(0)[:1].isupper() else verb

    return _RU_IMPERATIVE_WORD.sub(imperative, _RU_YOU_VERB.sub(one, phrase))


#: «пожалуйста» said with a request: no part of the task it hands over
_RU_PLEASE = re.compile(r"(?:,\s*)?(?<![\w-])пожалуйста(?![\w-])(?:\s*,)?", re.IGNORECASE)


def _imperatives(sent: Sentence) -> frozenset[str]:
    """The words the tagger read as imperatives in ``sent``, lower case."""
    return frozenset(t.lower for t in sent.tokens if t.pos == "VERB" and t.feats.get("Mood") == "Imp")


def _swap(phrase: str, table: dict[str, str]) -> str:
    def one(m: re.Match[str]) -> str:
        word = m.group(0)
        new = table.get(word.casefold())
        if new is None:
            return word
        return new.capitalize() if word[:1].isupper() else new
    return re.sub(r"[^\W\d_]+", one, phrase)


_YOU = re.compile(r"\byou\b", re.IGNORECASE)
#: the first person of "you" once it is the speaker: subject and object forms stand in until the swap is done (the
#: swap's word pattern passes over digits and underscores)
_AS_I, _AS_ME = "_1_", "_2_"
_I_AGREE = ((re.compile(r"\bI're\b"), "I'm"), (re.compile(r"\bI are\b"), "I am"), (re.compile(r"\bI were\b"), "I was"))


def _to_speaker(phrase: str, said: Sentence) -> str:
    """``phrase``, taken from ``said`` by someone else, in the words of the one who takes it on (English): the
    listener's "you" becomes "I" as a subject and "me" otherwise, and the speaker's words are swapped (``_EN_SWAP``:
    "me" → "you", "your" → "my"), all at once.

    Round 41: "You should try the Pomodoro method when you prepare slides." — "I'll try it this week." gave the task
    "try the Pomodoro method when you prepare slides", which the report, reading "you" as the owner's listener, turned
    into "when Boris prepare slides". Whether a "you" is the subject is the parse's (``nsubj``): of the phrase's own
    tokens when it stands in ``said`` as it is, else of the last "you"s of ``said`` (the phrase is its end); without a
    parse (or as many "you"s), "I" before a word or a contraction ("you're"), "me" at an end.
    """
    spans = list(_YOU.finditer(phrase))
    if not spans:
        return _swap(phrase, _EN_SWAP)
    yous = [t for t in said.tokens if t.lower == "you" and t.dep]
    at = said.text.find(phrase)
    by_offset = {t.idx: t for t in yous}
    if at >= 0 and all(at + m.start() in by_offset for m in spans):  # the phrase as said: its own tokens
        tokens: Optional[list[Token]] = [by_offset[at + m.start()] for m in spans]
    else:  # the phrase rewritten (a due expression taken out): the last "you"s of the sentence, if as many
        tokens = yous[len(yous) - len(spans):] if len(yous) >= len(spans) else None
    out, last = [], 0
    for k, m in enumerate(spans):
        if tokens is not None:
            subject = tokens[k].dep.startswith("nsubj")
        else:
            subject = bool(re.match(r"\s+[a-z]|['’](?:re|ve|ll|d)\b", phrase[m.end():], re.IGNORECASE))
        out += [phrase[last:m.start()], _AS_I if subject else _AS_ME]
        last = m.end()
    swapped = _swap("".join([*out, phrase[last:]]), _EN_SWAP)
    swapped = swapped.replace(_AS_I, "I").replace(_AS_ME, "me")
    for pattern, repl in _I_AGREE:
        swapped = pattern.sub(repl, swapped)
    return swapped


def _en_request_start(sent: Sentence) -> Optional[tuple[int, Optional[str]]]:
    """Where the task of an English request starts, and the lemma of a gerund that opens it ("would you mind sending…":
    "send"); ``None`` for no request. "Would you mind" followed by no gerund looks for a later request in the sentence
    (round 43, a real meeting: "Would you mind um at the conclusion of our meeting could you send us a copy of your
    slides?" — the task is "send us a copy…")."""
    text, pos = sent.text, 0
    while (m := _EN_REQUEST.search(text, pos)) is not None:
        group = "task" if m.group("task") is not None else "task2"
        start = m.start(group)
        first = m.group(group).split()[0].casefold().strip(",.?!")
        if first != "mind":
            dated = first in _EN_TASK_WITH_DUE and find_due(text) is not None  # "walk me through it on Friday"
            return None if first in _EN_NOT_TASK and not dated else (start, None)
        after = next((t for t in sent.tokens if t.idx > start + 4 and t.pos != "PUNCT"), None)
        if after is not None and after.lower.endswith("ing") and after.pos == "VERB":
            return after.idx, after.lemma
        pos = start
    return None


# "do me a favour and send me the recording": the task is the verb after it
_EN_FAVOUR = re.compile(r"^\W*(?:please\W+)?do me a favou?r\W+(?:and\s+)?", re.IGNORECASE)


def _for_the_speaker(sent: Sentence, verb: Token) -> bool:
    """Whether an imperative is done for the one who says it: "me" / "us" right after its verb ("Ping me on Thursday.",
    "Send us the draft on Friday."): a weekday then says by when, not a habit's day ("Plan the week on Sunday";
    round 45)."""
    k = sent.tokens.index(verb)
    return any(t.lower in ("me", "us") for t in sent.tokens[k + 1:k + 3])


def en_dated_imperative(sent: Sentence, *, dated: bool = True) -> Optional[tuple[int, Optional[str]]]:
    """Where the task of an English imperative with a deadline starts ("Next time, bring the numbers from the last
    sprint.", "Send me the draft by Friday.", "Do me a favour and send me the recording tonight."): asked as plainly
    as "could you…" (round 44); ``None`` for none, a negated one ("don't send it before Friday") or one the request
    rule reads as no task ("tell me…", "show me…"). A bare weekday ("on Sunday evening") is no deadline here: it tells
    when as often as by when. ``dated=False``: with or without a deadline."""
    from sessionscope.analysis.extract.recommendations import en_imperative

    favour = _EN_FAVOUR.match(sent.text)
    if favour is not None:
        at = next((t for t in sent.tokens if t.idx >= favour.end() and t.pos == "VERB"), None)
    else:
        verb = en_imperative(sent)
        at = None if verb is None else next((t for t in sent.tokens if t.lower == verb), None)
    due = find_due(sent.text)
    if at is None or at.lower in _EN_NOT_TASK or (dated and (due is None or (when_not_by(due.text)
                                                                            and not _for_the_speaker(sent, at)))):
        return None
    if re.search(r"\b(?:don't|do not|never|dont)\s+$", sent.text[: at.idx], re.IGNORECASE):
        return None
    return at.idx, None


def _ru_future_question(sent: Sentence) -> Optional[Token]:
    """The verb of a Russian question put in the listener's future, which asks them to do it («Попробуешь новый
    линтер до нашего следующего созвона?», «Пришлёте отчёт к пятнице?»; round 44): the question's first verb, second
    person, future, not negated, no verb of saying or being; ``None`` otherwise."""
    if not sent.text.rstrip().endswith("?"):
        return None
    verb = next((t for t in sent.tokens if t.pos in ("VERB", "AUX")), None)
    if verb is None or verb.feats.get("Person") != "2" or verb.feats.get("Tense") != "Fut" or verb.lemma in _RU_NOT_TASK:
        return None
    return None if "не" in [t.lower for t in sent.tokens if t.idx < verb.idx] else verb


def _ru_imperative(sent: Sentence) -> Optional[Token]:
    """The verb of a Russian imperative said to the listener («А вы попросите у техподдержки доступ до этого.»; the
    tagger may read «попросите» as the future, which asks as much), for one who commits to it in a word («Попрошу.»;
    round 44): the first such verb, not «давай(те)», not negated, no verb of saying or being; ``None`` otherwise."""
    toks = list(sent.tokens)
    k = next((n for n, t in enumerate(toks) if t.pos == "VERB" and (t.feats.get("Mood") == "Imp" or (
        t.feats.get("Person") == "2" and t.feats.get("Tense") == "Fut"))), None)  # «вы попросите» read either way
    if k is None or toks[k].lower in ("давай", "давайте") or toks[k].lemma in _RU_NOT_TASK:
        return None
    return None if k > 0 and toks[k - 1].lower == "не" else toks[k]


def _request(sent: Sentence, gender: Optional[str] = None, *,
             imperative: str = "dated") -> Optional[tuple[str, Optional[Due]]]:
    """The task a sentence asks the listener to do, in the listener's words, and its due expression (``gender``: the
    listener's, for a Russian verb in the past; ``imperative``: which English imperatives count too, ``"dated"``
    (with a deadline), ``"any"`` or ``"none"``)."""
    text = sent.text
    gerund: Optional[str] = None
    if sent.language == "ru":
        m = _RU_REQUEST.search(text)
        if m is None:  # «Попробуешь новый линтер до нашего созвона?»: a question in the listener's future asks too
            asked = _ru_future_question(sent) or (_ru_imperative(sent) if imperative == "any" else None)
            if asked is None:
                return None
            start, gerund = asked.idx, asked.lemma
            informal = asked.feats.get("Number") == "Sing"
        else:
            start = m.start("task")
            verb = next((t for t in sent.tokens if t.idx >= start), None)
            if verb is None or verb.feats.get("VerbForm") != "Inf" or verb.lemma in _RU_NOT_TASK:
                return None
            informal = bool(re.search(r"(?<![\w-])(?:можешь|сможешь|мог|могла|ты|тебя)(?![\w-])", m.group(0), re.I))
    else:
        found = _en_request_start(sent) or (
            None if imperative == "none" else en_dated_imperative(sent, dated=imperative == "dated"))
        if found is None:
            return None
        start, gerund = found
    # the task's own due expression, from where it starts ("Friday is too late… can you do Wednesday": not Friday),
    # else one said before it ("By Friday, could you send me the report?")
    due = find_due(text[start:])
    due = find_due(text) if due is None else Due(due.text, due.char_start + start, due.char_end + start, due.date)
    phrase = " ".join(text[start:].split())
    if due is not None and due.char_start >= start:
        phrase = without_due(phrase, " ".join(due.text.split()))  # "… before the end of the month": both words out
    if gerund is not None:  # "would you mind sending me…": "send me…"
        phrase = gerund + phrase[len(phrase.split()[0]):]
    phrase = re.sub(r"\s+([,;:.!?])", r"\1", phrase)
    if sent.language != "ru":  # "Send me the timeline…, and we'll go through it together": the asker's part is not it
        from sessionscope.analysis.extract.actions import next_clause_cut

        phrase = next_clause_cut(phrase)
        phrase = phrase[:1].lower() + phrase[1:] if phrase[:1].isupper() and phrase[1:2].islower() else phrase
    phrase = re.sub(r"(?:[,\s]+(?:please|for me|пожалуйста))?[\s,.!?…]*$", "", phrase, flags=re.IGNORECASE)
    if len(_WORD.findall(phrase)) < 2:  # "could you send?": no task to take
        return None
    if sent.language == "ru":  # «Пришли мне, пожалуйста, ссылку» → «прислать тебе ссылку»
        return _ru_to_speaker(_RU_PLEASE.sub("", phrase), informal=informal, gender=gender), due
    return _to_speaker(phrase, sent), due


# -- a task asked after and not yet done: "Did you manage to send the survey?" — "Not yet. I can do it by Friday." ---
_EN_ASKED_IF_DONE = re.compile(
    r"^\W*(?:(?:so|and|also|oh|by the way|btw|before we start|first|quick question)\W+)*(?:did|have|were|had)\s+you\s+"
    r"(?:(?:already|actually|ever|maybe|by any chance)\s+)?(?:manage[d]?\s+to|get\s+(?:a\s+)?(?:chance|time)\s+to|"
    r"(?:had|have)\s+(?:a\s+)?(?:chance|time)\s+to|been\s+able\s+to|able\s+to)\s+(?P<task>[a-z]\w*\b.*)",
    re.IGNORECASE)
_RU_ASKED_IF_DONE = re.compile(
    r"^\W*(?:(?:а|ну|кстати|слушай|слушайте|скажи|скажите|и)\W+)*(?:(?:ты|вы)\s+)?(?:уже\s+)?"
    r"(?:успел[аи]?|успели|получилось|удалось)(?:\s+(?:ли|уже|у\s+(?:тебя|вас)))*\s+(?P<task>[а-яё]\w*.*)",
    re.IGNORECASE)
# the answer that it is not done yet ("Not yet, sorry.", "No, I haven't.", «Ещё нет.», «Пока не успел.»)
_NOT_YET = re.compile(r"^\W*(?:(?:oh|um|uh|sorry|well|ah)\W+)*(?:not\s+yet|no\b|nope\b|i\s+haven't|i\s+didn't|"
                      r"haven't\b|sorry\b)|^\W*(?:(?:ой|нет|извини|извините|к сожалению)\W+)*"
                      r"(?:ещё\s+нет|еще\s+нет|пока\s+нет|нет|не\s+успел[аи]?|пока\s+не)(?![\w-])", re.IGNORECASE)


# "not yet" opening a commitment's own sentence, as a recogniser without punctuation writes it ("not yet sorry i can do
# it by friday", «ещё нет сделаю к пятнице»)
_NOT_YET_LEAD = re.compile(r"^\W*(?:(?:oh|um|uh|sorry|well|ah|no)\W+)*(?:not\s+yet|i\s+haven't(?:\s+yet)?)\W+"
                           r"(?:(?:sorry|but)\W+)*|^\W*(?:(?:ой|нет|извини|извините)\W+)*(?:ещё|еще|пока)\s+нет\W+",
                           re.IGNORECASE)


def _asked_if_done(sent: Sentence, gender: Optional[str]) -> Optional[tuple[str, Optional[Due]]]:
    """The task a question asks whether the listener has done ("Did you manage to send the survey?", «Ты успел
    отправить опрос?»), in the listener's words, and its due expression; ``None`` for no such question (round 46).
    The words open the sentence, so no "?" is needed (a recogniser without punctuation, «…?» written «.»)."""
    m = (_RU_ASKED_IF_DONE if sent.language == "ru" else _EN_ASKED_IF_DONE).search(sent.text)
    if m is None:
        return None
    phrase = re.sub(r"[\s,.!?…]+$", "", " ".join(m.group("task").split()))
    if sent.language == "ru":
        verb = next((t for t in sent.tokens if t.idx >= m.start("task")), None)
        if verb is None or verb.feats.get("VerbForm") != "Inf" or verb.lemma in _RU_NOT_TASK:
            return None
    elif phrase.split()[0].casefold() in _EN_NOT_TASK or len(_WORD.findall(phrase)) < 2:
        return None
    due = find_due(phrase)
    if due is not None:
        phrase = without_due(phrase, due.text)
    if sent.language == "ru":
        return _ru_to_speaker(phrase, informal=bool(_RU_INFORMAL.search(sent.text)), gender=gender), due
    return _to_speaker(phrase, sent), due


def not_done_yet(said: Sequence[Sentence]) -> bool:
    """Whether an answer opens by saying a task is not done yet ("Not yet, sorry.", «Ещё нет.»; round 46)."""
    return bool(said) and bool(_NOT_YET.match(said[0].text))


# -- advice taken up in a word: "I'll try that", "I'll do it", «попробую», «так и сделаю» -----------------------------
_EN_TAKE_VERBS = frozenset({"try", "do", "use", "implement", "follow", "apply", "adopt", "start", "give"})
_EN_ANAPHORS = frozenset({"that", "it", "this", "them", "those", "so"})
_EN_TAKE_EXTRA = frozenset({"out", "a", "go", "one", "idea", "approach", "advice", "suggestion", "then", "thanks",
                            "thank", "good", "great", "i'm", "going", "gonna", "for", "sure", "surely", "will"})
_RU_TAKE_VERBS = frozenset({"попробую", "сделаю", "учту", "применю", "попробуем", "сделаем", "учтем", "учтём",
                            "воспользуюсь", "последую", "возьму"})
_RU_TAKE_EXTRA = frozenset({"так", "это", "этот", "совет", "советом", "вашим", "твоим", "на", "вооружение",
                            "спасибо", "идея", "хорошая", "отличная", "обязательно", "тогда"})


# when the advice will be tried, said after the verb: "at the next stand-up", «на следующей планёрке» (round 38)
# (round 42: "for / over the next sprint", "for the next two weeks"; "at the meeting", «на встрече» with no "next")
_EN_OCCASION = r"(?:meeting|call|stand-?up|review|sprint|retro|one-on-one|1:1|demo|presentation)"
_RU_OCCASION = r"(?:встрече|созвоне|планёрке|планерке|летучке|ревью|спринте|презентации|демо)"
_WHEN = re.compile(r"\s*\b(?:(?:at|in|on|during|for|over)\s+(?:the\s+|our\s+|my\s+)?next\s+"
                   r"(?:(?:two|three|four|few|couple\s+of|\d+)\s+)?\w+(?:\s+meeting)?|next\s+time"
                   rf"|(?:at|in|during)\s+(?:the|our|my|this|that)\s+(?:\w+\s+)?{_EN_OCCASION})\s*$"
                   r"|\s*(?<![\w-])(?:(?:на|в|во)\s+следующ\w+\s+\w+|в\s+следующий\s+раз"
                   rf"|(?:на|в|во)\s+(?:эт\w+\s+|нашей\s+|моей\s+)?{_RU_OCCASION})\s*$", re.IGNORECASE)


#: a promise to report back after taking advice up ("I'll try it and tell you how it went", «попробую и расскажу, как
#: получилось»; round 45): kept after the advice's words
_REPORT_BACK = re.compile(r"\s*,?\s+(?:and|и)\s+(?:then\s+|потом\s+)?(?:(?:tell|let)\s+(?:you|him|her|them)(?:\s+know)?\s+"
                          r"(?:how|what|whether|if)\b.*|report\s+back\b.*|get\s+back\s+to\s+(?:you|him|her|them)\b.*"
                          r"|(?:расскажу|напишу|сообщу)(?:\s+(?:вам|тебе))?(?:,?\s+(?:как|что)\b.*)?)$", re.IGNORECASE)


def takes_up_advice(task: str, sent: Sentence) -> bool:
    """Whether the task phrase ``task`` only takes up what was just said ("try that", "do it", «попробую», «так и
    сделаю»): a verb of trying or doing, a word pointing back (English), and words of assent; a closing "when"
    ("at the next stand-up", «на следующей планёрке») and a promise to report back ("… and tell you how it went") are
    passed over."""
    if (back := _REPORT_BACK.search(task)) is not None:
        task = task[:back.start()]
    if (when := _WHEN.search(task)) is not None:
        task = task[:when.start()]
    words = [w.casefold().replace("’", "'").replace("ё", "е") for w in _WORD.findall(task)]
    if not words or any(w == "no" or w == "нет" for w in words):
        return False
    if sent.language == "ru":
        return bool(set(words) & _RU_TAKE_VERBS) and all(w in _RU_TAKE_VERBS | _RU_TAKE_EXTRA | _RU_ASSENT for w in words)
    return (bool(set(words) & _EN_TAKE_VERBS) and bool(set(words) & _EN_ANAPHORS)
            and all(w in _EN_TAKE_VERBS | _EN_ANAPHORS | _EN_TAKE_EXTRA | _EN_ASSENT for w in words))


# -- a commitment that names only its verb: «Могу прислать вам свой шаблон.» … «Хорошо, пришлю сегодня вечером.» -----
#: how many utterances back the verb's object is looked for (the offer, the "please do", the promise)
ECHO_UTTERANCES = 3
_EN_ECHO_DROP = frozenset({"it", "them", "that", "this", "those", "these", "one", "over", "along", "out", "up"})
_RU_ECHO_DROP = frozenset({"его", "ее", "её", "их", "это", "то", "тоже", "также", "вам", "тебе", "вас", "тебя"})
_OBJECT_POS = frozenset({"NOUN", "PROPN", "PRON", "DET", "ADJ", "NUM", "ADP"})


def _echo_verb(task: str, sent: Sentence) -> Optional[int]:
    """The index in ``sent.tokens`` of the one verb the task phrase names with nothing of its own but words of assent
    and pronouns ("send them", «пришлю», «отправлю его»), else ``None``."""
    drop = _RU_ECHO_DROP | _RU_ASSENT if sent.language == "ru" else _EN_ECHO_DROP | _EN_ASSENT
    words = [w.casefold().replace("’", "'").replace("ё", "е") for w in _WORD.findall(task)]
    rest = [w for w in words if w not in drop]
    if len(rest) != 1:
        return None
    return next((k for k, t in enumerate(sent.tokens)
                 if t.lower.replace("ё", "е") == rest[0] and t.pos == "VERB"), None)


def _verb_object(prev: Sentence, lemma: str) -> Optional[str]:
    """What follows a verb of ``lemma`` in ``prev`` up to its clause's end, when it is an object with a noun
    ("me the slides", «вам свой шаблон»), else ``None`` («Пришлите, пожалуйста, буду благодарна»: no object)."""
    # "please" and its commas blanked out, the offsets kept: «Пришлите мне, пожалуйста, ссылку на доску»
    text = re.sub(r",?\s*(?<![\w-])(?:please|пожалуйста)(?![\w-])\s*,?", lambda m: " " * len(m.group(0)), prev.text,
                  flags=re.IGNORECASE)
    for k, tok in enumerate(prev.tokens):
        if not _verb_of(prev, k, lemma):
            continue
        start = tok.idx + len(tok.text)
        cut = re.search(r"\s*(?:[,;:.!?…]|\s[—–-]\s)", text[start:])
        end = start + cut.start() if cut else len(text)
        words = [t for t in prev.tokens if start <= t.idx < end and t.pos != "PUNCT" and not text[t.idx].isspace()]
        if not words or words[0].pos not in _OBJECT_POS or not any(t.pos in ("NOUN", "PROPN") for t in words):
            continue
        rest = text[start:end]
        due = find_due(rest)
        if due is not None:
            rest = rest[:due.char_start] + " " + rest[due.char_end:]
        rest = " ".join(rest.split())
        if len(_WORD.findall(rest)) >= 2:
            return rest
    return None


def echoed_task(sent: Sentence, task: str, speaker: str, speakers: Sequence[str],
                parsed: Sequence[Sequence[Sentence]], index: int, gender: Optional[str] = None) -> Optional[str]:
    """The task of a commitment that names only its verb, with the object said with that verb just before (round 38).

    "Could you send me the slides?" — "Sure, I'll send them tonight." gives "send you the slides"; «Могу прислать вам
    свой шаблон.» — «Пришлите, пожалуйста.» — «Хорошо, пришлю сегодня вечером.» gives «пришлю вам свой шаблон». The
    last sentence within :data:`ECHO_UTTERANCES` utterances before with a verb of the same lemma and a noun object
    is taken; another speaker's "me / my" become the promiser's "you / your". ``None`` when the phrase has words of
    its own or no such sentence comes before.
    """
    k = _echo_verb(task, sent)
    if k is None:
        return None
    verb = sent.tokens[k]
    lemma = verb.lemma.replace("ё", "е")
    for j in range(index - 1, max(-1, index - 1 - ECHO_UTTERANCES), -1):
        for prev in reversed(parsed[j]):
            if prev.language != sent.language:
                continue
            obj = _verb_object(prev, lemma)
            if obj is None:
                if _mentions(prev, lemma):  # the nearest mention has no object to take: none from further back
                    return None
                continue
            if speakers[j] != speaker:
                if sent.language == "ru":
                    obj = _ru_to_speaker(obj, informal=bool(_RU_INFORMAL.search(prev.text)), gender=gender)
                else:
                    obj = _to_speaker(obj, prev)
            return f"{verb.text.lower() if sent.language == 'ru' else verb.lemma} {obj}"
    return None


# -- a commitment whose object is a pronoun: "Could you send me your notes?" — "Yes, I will send them tomorrow, …" ---
_EN_POINTING = frozenset({"it", "them", "this", "that", "these", "those"})
#: a person pointed to: "I'll ask her today." after "And ask Olga to send you the template." (round 45) names the one
#: said with the same verb, and what they are asked, never a thing
_EN_PERSON = frozenset({"her", "him"})
_RU_POINTING = frozenset({"его", "её", "ее", "их"})
# verbs that say little of their own: what "it" stands for is not what was said with the verb before ("I was going to
# do a slide of my design… I'll do it on the whiteboard": a real meeting, round 42's read)
_LIGHT_VERBS = frozenset({"do", "make", "have", "get", "go", "be", "делать", "сделать"})
_RU_DATIVE = re.compile(r"^(?:мне|вам|тебе|нам|им|ему|ей)\s+", re.IGNORECASE)
_RU_DATIVE_ANY = re.compile(r"(?<![\w-])(?:мне|вам|тебе|нам|им|ему|ей)(?![\w-])", re.IGNORECASE)
#: the longest object taken for a pronoun (words): a longer one is a clause, not a thing to name in a task
POINTED_MAX_WORDS = 10


def _subtree_span(sent: Sentence, root: int) -> tuple[int, int]:
    """The first and last token index of ``root``'s subtree (by the parse's heads)."""
    inside = {root}
    grew = True
    while grew:
        grew = False
        for k, t in enumerate(sent.tokens):
            if k not in inside and t.head in inside and t.head != k:
                inside.add(k)
                grew = True
    return min(inside), max(inside)


def _object_text(sent: Sentence, obj: int) -> Optional[str]:
    """The words of the object at ``obj`` (its subtree), without a due expression inside it, if at most
    :data:`POINTED_MAX_WORDS` words."""
    first, last = _subtree_span(sent, obj)
    start, end = sent.tokens[first].idx, sent.tokens[last].idx + len(sent.tokens[last].text)
    text = sent.text[start:end]
    due = find_due(text)
    if due is not None:
        text = text[:due.char_start] + " " + text[due.char_end:]
    text = re.sub(r"[\s,;:.!?…]+$", "", " ".join(text.split()))
    return text if 1 <= len(_WORD.findall(text)) <= POINTED_MAX_WORDS else None


def _direct_object(sent: Sentence, verb: int) -> Optional[int]:
    """The index of ``verb``'s direct object when a noun heads it, else ``None``. An imperative that opens the sentence
    and that the tagger read as a noun ("Book a room for the workshop.": "Book" a noun, "room" its apposition) has its
    object as an apposition."""
    deps = ("dobj", "obj", "appos") if imperative_read_as_noun(sent, verb) else ("dobj", "obj")
    obj = next((j for j, t in enumerate(sent.tokens) if t.head == verb and j != verb and t.dep in deps), None)
    return obj if obj is not None and sent.tokens[obj].pos in ("NOUN", "PROPN") else None


def imperative_read_as_noun(sent: Sentence, k: int) -> bool:
    """Whether token ``k`` is a sentence's first word (after "then", "and", "so", "please", "also"), the root of its
    parse, tagged a noun, with a determiner right after it: an English imperative the tagger took for a noun ("Book a
    room", "Book the room"; round 43)."""
    toks = sent.tokens
    lead = 0
    while lead < len(toks) and toks[lead].lower in ("then", "and", "so", "please", "also", ","):
        lead += 1
    return (k == lead and k + 1 < len(toks) and toks[k].pos in ("NOUN", "PROPN") and toks[k].head == k
            and toks[k + 1].pos == "DET")


def _verb_of(sent: Sentence, k: int, lemma: str) -> bool:
    """Whether token ``k`` of ``sent`` is a verb of ``lemma`` (an imperative read as a noun included: "Book a room")."""
    tok = sent.tokens[k]
    if tok.lemma.replace("ё", "е") != lemma:
        return False
    return tok.pos == "VERB" or (sent.language == "en" and imperative_read_as_noun(sent, k))


_POINTING_OBJECTS = frozenset({"it", "one", "ones", "them", "this", "that", "these", "those", "его", "её", "ее", "их",
                               "это"})


def _mentions(sent: Sentence, lemma: str) -> bool:
    """Whether ``sent`` says a word of ``lemma`` that the tagger did not read as a verb: what the promise points to may
    be said there unread, so an object is not looked for further back (round 43: "Book a room for the workshop." — "OK,
    I'll book it tomorrow." took "the training" from "I will book the training…" before); or says the verb with an
    object that points back itself (round 44: "Could you set one up for my team?" — "I'll set it up on Friday…" took
    "reminders" from "You can also set reminders…" two lines up). A verb said without an object («Пришлите,
    пожалуйста») does not stop the search."""
    if any((t.lemma.replace("ё", "е") == lemma or t.lower.replace("ё", "е") == lemma) and t.pos != "VERB"
           for t in sent.tokens):
        return True
    return any(_verb_of(sent, k, lemma) and any(t.head == k and t.dep in ("dobj", "obj") and t.lower in _POINTING_OBJECTS
                                                 for t in sent.tokens)
               for k in range(len(sent.tokens)))


def _en_noun_object(prev: Sentence, lemma: str) -> Optional[str]:
    """The direct object, with a noun at its head, of a verb of ``lemma`` in ``prev`` ("your notes on the escalation
    process" of "Could you send me your notes on the escalation process?"), without a due expression inside it; else
    ``None``."""
    for k in range(len(prev.tokens)):
        if not _verb_of(prev, k, lemma):
            continue
        obj = _direct_object(prev, k)
        text = None if obj is None else _object_text(prev, obj)
        if text is not None:
            return text
    return None


def _en_object_before(sent: Sentence, verb: Token, pron: Token) -> Optional[str]:
    """The noun object of a verb earlier in the promise's own sentence, of the pronoun's number, that the pronoun
    points back to ("Send me the draft and I will check it tonight." — "the draft"), nearest first; else ``None``."""
    plural = pron.lower in ("them", "these", "those")
    at = sent.tokens.index(verb)
    for k in range(at - 1, -1, -1):
        obj = _direct_object(sent, k) if sent.tokens[k].pos == "VERB" else None
        if obj is None or obj >= at or (sent.tokens[obj].feats.get("Number") == "Plur") != plural:
            continue
        text = _object_text(sent, obj)
        if text is not None:
            return text
    return None


def _pointing_pronoun(sent: Sentence) -> Optional[tuple[Token, Token]]:
    """The verb and its object pronoun that only points back: English by the parse (the direct object right after the
    verb: "send them"), Russian by the words («пришлю их», «её настрою»)."""
    toks = sent.tokens
    for k, verb in enumerate(toks):
        if verb.pos != "VERB":
            continue
        if sent.language == "en":
            if k + 1 < len(toks) and toks[k + 1].lower in _EN_POINTING | _EN_PERSON and toks[k + 1].pos == "PRON" \
                    and toks[k + 1].head == k and toks[k + 1].dep in ("dobj", "obj"):
                return verb, toks[k + 1]
        elif verb.feats.get("VerbForm") == "Fin" and verb.feats.get("Person") == "1":
            for j in (k + 1, k - 1):
                if 0 <= j < len(toks) and toks[j].lower in _RU_POINTING and toks[j].pos == "PRON":
                    return verb, toks[j]
    return None


def _en_person_object(prev: Sentence, lemma: str) -> Optional[str]:
    """A person named as the object of a verb of ``lemma`` in ``prev``, with what follows it to the clause's end ("Olga
    to send you the template" of "And ask Olga to send you the template, she has the latest one."); else ``None``."""
    for k in range(len(prev.tokens)):
        obj = _direct_object(prev, k) if _verb_of(prev, k, lemma) else None
        if obj is None or prev.tokens[obj].pos != "PROPN":
            continue
        start = prev.tokens[obj].idx
        end = next((t.idx for t in prev.tokens[obj + 1:] if t.pos == "PUNCT" and t.text in ",;:.!?"), len(prev.text))
        text = " ".join(prev.text[start:end].split())
        return text if len(_WORD.findall(text)) <= POINTED_MAX_WORDS else None
    return None


def _pointed_object(sent: Sentence, prev: Sentence, lemma: str, other: bool, gender: Optional[str],
                    person: bool = False) -> Optional[str]:
    """The object said with a verb of ``lemma`` in ``prev``, in the words of the one who promises (``other``: ``prev``
    is someone else's), or ``None``; ``person``: the pronoun stands for a person (:func:`_en_person_object`)."""
    if sent.language == "en":
        obj = _en_person_object(prev, lemma) if person else _en_noun_object(prev, lemma)
        return None if obj is None else _to_speaker(obj, prev) if other else obj
    obj = _verb_object(prev, lemma)
    if obj is None:
        return None
    if other:
        obj = _ru_to_speaker(obj, informal=bool(_RU_INFORMAL.search(prev.text)), gender=gender)
    if len(_WORD.findall(obj)) > POINTED_MAX_WORDS:
        return None
    return obj


def pointed_task(sent: Sentence, task: str, speaker: str, speakers: Sequence[str],
                 parsed: Sequence[Sequence[Sentence]], index: int, gender: Optional[str] = None) -> Optional[str]:
    """The task of a commitment whose verb's object only points back, with the thing named (round 42).

    "Could you send me your notes on the escalation process?" — "Yes, I will send them to you tomorrow, together with
    the slides." gave the task "send them to you, together with the slides": no task that stands on its own. The
    pronoun ("it", "them", "this", "that", "these", "those": the direct object right after the verb, by the parse;
    «его», «её», «их» next to a verb in the first person) is replaced by the object said with a verb of the same lemma
    in the :data:`ECHO_UTTERANCES` utterances before, by either person ("send my notes on the escalation process to
    you, together with the slides"; «пришлю вам мои заметки…»; another speaker's "my" becomes "your" and back). An
    English object must have a noun at its head. A light verb ("do it", "make it", «сделаю это») is left as said: its
    pronoun stands for an action (round 42's read of real meetings: "I'll do it on the whiteboard" took "a pretty
    PowerPoint slide"). A thing named earlier in the promise's own sentence comes first (:func:`pointed_here`, which
    :func:`accepted_task` tries before the earlier utterances). ``None`` when there is no such pronoun, no such object,
    or the pronoun is not in ``task``.
    """
    found = _pointed_at(sent, task)
    if found is None:
        return None
    verb, pron, m, at = found
    first = pron if pron.idx < verb.idx else verb
    lemma = verb.lemma.replace("ё", "е")
    particle = _particle_after(sent, pron)
    for j in range(index - 1, max(-1, index - 1 - ECHO_UTTERANCES), -1):
        for prev in reversed(parsed[j]):
            if prev.language != sent.language:
                continue
            if particle and any(t.lemma == lemma for t in prev.tokens) and not _with_particle(prev, lemma, particle):
                return None  # "I'll bring it up at the planning meeting" is no "bring my dashboard" (round 45)
            obj = _pointed_object(sent, prev, lemma, speakers[j] != speaker, gender, person=pron.lower in _EN_PERSON)
            if obj is None:
                if _mentions(prev, lemma):
                    return None
                continue
            rest = task[at + len(pron.text):]
            if sent.language == "ru" and _RU_DATIVE.match(obj) and _RU_DATIVE_ANY.search(task):
                obj = _RU_DATIVE.sub("", obj, count=1)  # «пришлю их вам» keeps its own «вам»
            if first is pron:  # «её настрою» → «настрою такую доску…»
                return task[:at] + verb.text + " " + obj + task[m.end():]
            return task[:at] + obj + rest
    return None


def _particle_after(sent: Sentence, pron: Token) -> Optional[str]:
    """The particle of a phrasal verb right after its pronoun object ("bring it up", "write it down"), English only."""
    k = sent.tokens.index(pron)
    nxt = sent.tokens[k + 1] if sent.language == "en" and k + 1 < len(sent.tokens) else None
    return nxt.lower if nxt is not None and nxt.dep == "prt" else None


def _with_particle(prev: Sentence, lemma: str, particle: str) -> bool:
    """Whether a verb of ``lemma`` in ``prev`` has ``particle`` within three words after it ("set up the board")."""
    toks = prev.tokens
    return any(t.lemma == lemma and any(x.lower == particle for x in toks[k + 1:k + 4]) for k, t in enumerate(toks))


# -- a person the task points to: «поговори с Ольгой» — «Напишу ей завтра.» (round 45) --------------------------------
_RU_PERSON_PRONOUN = re.compile(r"(?<![\w-])(?:(с|со|к|ко|о|об|обо)\s+)?(ей|ему|ней|нему|ним)(?![\w-])", re.IGNORECASE)


def person_named(task: str, speakers: Sequence[str], parsed: Sequence[Sequence[Sentence]], index: int,
                 language: str, participants: frozenset[str] = frozenset()) -> str:
    """``task`` with a third person it points to by a pronoun named, when the :data:`ECHO_UTTERANCES` utterances before
    name them (round 45): «И поговори с Ольгой, она ведёт такие таблицы.» — «Напишу ей завтра.» gave «напишу ей»,
    now «напишу Ольге»: the nearest Russian first name of the pronoun's gender, in the pronoun's case, by pymorphy3.
    The participants' own first names (``participants``, lower case) are passed over; the task is kept as said when no
    such name comes before. English is left as said: a name's gender is not known ("call her" after "ask Sergei")."""
    from sessionscope.language.morph import first_name_of, inflect_name

    m = _RU_PERSON_PRONOUN.search(task) if language == "ru" else None  # (English: no gender to check "her" against)
    if m is None:
        return task
    pron, prep = m.group(2).casefold(), (m.group(1) or "").casefold()
    gender = "femn" if pron in ("ей", "ней") else "masc"
    case = "datv" if pron in ("ей", "ему") or prep in ("к", "ко") else "ablt" if prep in ("с", "со") else \
        "loct" if prep in ("о", "об", "обо") else None
    if case is None:
        return task
    for j in range(index - 1, max(-1, index - 1 - ECHO_UTTERANCES), -1):
        for prev in reversed(parsed[j]):
            for t in reversed(prev.tokens):
                named = first_name_of(t.text) if t.pos == "PROPN" or t.text[:1].isupper() else None
                if named is not None and named[1] == gender and named[0].casefold() not in participants:
                    return task[:m.start(2)] + inflect_name(named[0], case) + task[m.end(2):]
    return task


def _pointed_at(sent: Sentence, task: str) -> Optional[tuple[Token, Token, re.Match[str], int]]:
    """The verb and its pointing pronoun (:func:`_pointing_pronoun`, not after a light verb), where the two stand in
    ``task``, and the pronoun's offset there; ``None`` when there are none or they do not open ``task`` (round 42's
    read: "show you the tools…, so that we can all use them" is no task to use them)."""
    found = _pointing_pronoun(sent)
    if found is None:
        return None
    verb, pron = found
    if verb.lemma in _LIGHT_VERBS:  # "I'll do it on the whiteboard": "it" is the action, not the thing done before
        return None
    first, second = (verb, pron) if verb.idx < pron.idx else (pron, verb)
    m = re.search(rf"(?<![\w-]){re.escape(first.text)}\s+{re.escape(second.text)}(?![\w-])", task, re.IGNORECASE)
    if m is None or task[:m.start()].strip():  # the task's own verb, not one in a clause after it ("so we can use them")
        return None
    return verb, pron, m, (m.start() if first is pron else m.end() - len(pron.text))


def pointed_here(sent: Sentence, task: str) -> Optional[str]:
    """``task`` with the thing it points to named from earlier in the promise's own sentence; ``None`` otherwise.

    English: a pointing pronoun is replaced by the noun object, of its number, of a verb before it ("I have the slides
    and I'll send them to you" → "send the slides to you"). Russian: a task that is one transitive verb alone takes the
    object of the request before it («Хорошо, пришлите ссылки, посмотрю к следующей встрече.» → «посмотрю ссылки»).
    Tried before the words of earlier utterances (:func:`echoed_task`, :func:`pointed_task`): the nearest thing said
    is what the promise is about."""
    if sent.language == "ru":
        return _ru_object_of_request(sent, task)
    found = _pointed_at(sent, task) if sent.language == "en" else None
    if found is None or found[1].lower in _EN_PERSON:  # a person is named from before the sentence only
        return None
    verb, pron, _m, at = found
    here = _en_object_before(sent, verb, pron)
    return None if here is None else task[:at] + here + task[at + len(pron.text):]


def _ru_object_of_request(sent: Sentence, task: str) -> Optional[str]:
    """«посмотрю ссылки» for the task «посмотрю» of «Хорошо, пришлите ссылки, посмотрю…»: a task of one transitive verb
    alone takes the words after an imperative earlier in the sentence, to that clause's end (a dative «мне», «нам» and
    «пожалуйста» left out), when a noun is among them."""
    from sessionscope.language.morph import transitive_verb

    k = _echo_verb(task, sent)
    if k is None or not transitive_verb(sent.tokens[k].text):
        return None
    verb = sent.tokens[k]
    for i in range(k - 1, -1, -1):
        imp = sent.tokens[i]
        if imp.pos != "VERB" or imp.feats.get("Mood") != "Imp":
            continue
        words = []
        for t in sent.tokens[i + 1:k]:
            if t.pos == "PUNCT":
                break
            words.append(t)
        words = [t for t in words if t.lower not in ("мне", "нам", "пожалуйста")]
        if words and any(t.pos in ("NOUN", "PROPN") for t in words) and len(words) <= POINTED_MAX_WORDS:
            obj = sent.text[words[0].idx:words[-1].idx + len(words[-1].text)]
            return re.sub(rf"(?<![\w-]){re.escape(verb.text)}(?![\w-])", f"{verb.text} {obj}", task, count=1,
                          flags=re.IGNORECASE)
        return None
    return None


# -- a commitment made in a word: "Will do.", "I will.", «Запишусь.», «Отправлю.» (round 43) -------------------------
_EN_COMMIT_WORDS = re.compile(r"\b(?:will|i'll|we'll|shall)\b|\bi can do (?:it|that|this)\b|\bconsider it done\b"
                              r"|\bi'm on it\b",
                              re.IGNORECASE)
#: Russian verbs of a commitment in a word that need not echo the request's verb («Сделаю.»)
_RU_DO = frozenset({"сделать"})
#: first persons that say nothing will be done («Посмотрим.», «Увидим.»: we'll see)
_RU_WAIT = frozenset({"посмотрим", "увидим"})


def commits_in_a_word(sent: Sentence, before: Sequence[Sentence]) -> bool:
    """Whether ``sent`` commits to what ``before`` (the other person's sentences just before) asked or advised, in a
    word and with no task words of its own (round 43).

    English: only words of assent with "will", "I'll", "we'll", "shall", "I can do it / that", "consider it done" ("Will
    do.", "I will.", "Sure, I'll do that."); a bare "Sure." or "OK." only to a request with a deadline ("Could you
    share the roadmap with my team next week?" — "Sure."; round 41: on the train meetings bare assent answers moves at
    the table far more often than tasks, and none of those requests had a deadline; "we can do that" says what is
    possible). Russian: one verb in the first person, not past, with words of assent («Запишусь.», «Хорошо,
    отправлю.»), that is the verb of an imperative or infinitive in ``before`` («запишитесь», «можете отправить») or
    «сделать»; «Посмотрим.» does not commit. The caller looks for the request or the advice the words are taken from
    (:func:`accepted_task`)."""
    words = [w.casefold().replace("’", "'") for w in _WORD.findall(sent.text)]
    if not words or not elliptic(sent.text, sent):
        return False
    if sent.language != "ru":
        if _EN_COMMIT_WORDS.search(" ".join(words)):
            return True
        # a bare "Sure." to a request with a deadline ("Could you share the roadmap with my team next week?"): none of
        # round 41's 98 train pairs had one, so the corpora's moves at the table are not these (round 43)
        # (a request put as a question: "Share the roadmap with my team next week." — "Sure." may only agree)
        return any(b.language == "en" and find_due(b.text) is not None and _request(b, imperative="none") is not None
                   for b in before)
    verbs = [t for t in sent.tokens if t.pos == "VERB" and t.feats.get("VerbForm") == "Fin"
             and t.feats.get("Person") == "1" and t.feats.get("Tense") != "Past" and t.lower not in _RU_WAIT]
    if len(verbs) != 1:
        return False
    lemma = verbs[0].lemma.replace("ё", "е")
    if lemma in _RU_DO:
        return True
    return any(t.lemma.replace("ё", "е") == lemma and (t.feats.get("Mood") == "Imp" or t.feats.get("VerbForm") == "Inf")
               for b in before for t in b.tokens) or any(
        (q := _ru_future_question(b) or _ru_imperative(b)) is not None and q.lemma.replace("ё", "е") == lemma
        for b in before)


def other_before(speaker: str, speakers: Sequence[str], index: int) -> Optional[int]:
    """The utterance just before ``index`` by someone else (the speaker's own one or two lines before it passed
    over: "Sure." then "I will.")."""
    k = index - 1
    while k >= 0 and speakers[k] == speaker and index - k <= 2:
        k -= 1
    return None if k < 0 or speakers[k] == speaker else k


#: how many utterances back advice taken up may lie when the other's line just before gives none ("Try blocking two
#: hours every morning…" — "Do you also turn off email?" — "Three times a day." — "I'll try it next week.")
ADVICE_BACK = 4


def advice_before(advice: dict[int, list[Sentence]], speaker: str, speakers: Sequence[str], index: int,
                  k: Optional[int], *, further: bool = True) -> Optional[Sentence]:
    """The advice a line taking advice up takes: the last advice in the other's line just before (``k``), else, when
    that line gives none (a question and its answer between; round 45) and ``further``, the last advice someone else
    gave in the :data:`ADVICE_BACK` lines before."""
    if k is None:
        return None
    if advice.get(k):
        return advice[k][-1]
    if not further:
        return None
    for j in range(k - 1, max(-1, index - ADVICE_BACK - 1), -1):
        if speakers[j] != speaker and advice.get(j):
            return advice[j][-1]
    return None


def accepted_task(sent: Sentence, task: str, speaker: str, speakers: Sequence[str],
                  parsed: Sequence[Sequence[Sentence]], index: int,
                  advice: Optional[dict[int, list[Sentence]]] = None,
                  gender: Optional[str] = None) -> Optional[tuple[str, Optional[Due]]]:
    """The task (and the request's due expression) an acceptance takes from the request, or the advice, just before it.

    Args:
        sent: the acceptance's sentence (an action item's).
        task: the task phrase the stage made of it.
        speaker: who accepts (the item's speaker).
        speakers: every utterance's speaker, in order.
        parsed: every utterance's sentences, in order.
        index: the acceptance's utterance.
        advice: the sentences listed as recommendations so far, by utterance: "I'll try that" after "You should
            block two hours every Monday" takes "block two hours every Monday" (in the words of the one who takes
            it up: the adviser's "your" becomes "my").
        gender: the grammatical gender of the one who accepts ("masc", "femn"; from their name), for a Russian verb
            in the past said to them ("которые вы показывали" → "которые я показывала"); ``None``: such a verb
            stays as said.

    In order: the request just before, by someone else (for a phrase with no task words of its own, or advice taken
    up: "I'll give it a go" to "You wanna try the new linter?"; an imperative only with a deadline); the object
    said with the phrase's one verb in the three utterances before, by either person (:func:`echoed_task`; no due
    expression of its own); the advice just before, by someone else; an imperative just before, with or without a
    deadline ("Take a look at my pull request." — "I'm on it."; round 44); the thing a pronoun object points back to
    (:func:`pointed_task`, round 42). Before all but the request: a thing named earlier in the promise's own sentence
    (:func:`pointed_here`). ``None`` when none applies (the speaker's own earlier lines, "Sure." then "I
    will.", are passed over when looking for the request or the advice).
    """
    from sessionscope.analysis.extract.actions import task_start

    k = other_before(speaker, speakers, index)
    if k is not None and (elliptic(task, sent) or takes_up_advice(task, sent)):
        for prev in reversed(parsed[k]):
            if prev.language != sent.language:
                continue
            found = _request(prev, gender) or (_asked_if_done(prev, gender) if not_done_yet(parsed[index]) else None)
            if found is not None:
                return found
    here = pointed_here(sent, task)
    if here is not None:
        return here, None
    echoed = echoed_task(sent, task, speaker, speakers, parsed, index, gender)
    if echoed is not None:
        return echoed, None
    back = _REPORT_BACK.search(task)
    when = _WHEN.search(task[:back.start()] if back else task)
    taken = takes_up_advice(task, sent)  # "try it", not any elliptic task («Давайте я запишу»): it may reach further
    given = advice_before(advice, speaker, speakers, index, k, further=taken) if advice else None
    if given is not None and (elliptic(task, sent) or taken):
        said = given
        if said.language == sent.language:
            # the advice from its verb on, its own time words kept ("every Monday" is how, not a deadline)
            text = strip_markup(said.text)
            text = _ADVICE_ASIDE.sub("", text, count=1)
            text = text[task_start(text, said.language):]
            if (lead := find_due(text)) is not None and lead.char_start == 0:  # "Next time, bring…": when, then what
                text = text[lead.char_end:].lstrip(" ,")
            text = text[m.end():] if (m := _ADVICE_FRAME.match(text)) else text
            phrase = " ".join(text.split())
            phrase = re.sub(r"[\s,.!?…]+$", "", phrase)
            first = phrase.split(maxsplit=1)[0] if phrase else ""
            if first[:1].isupper() and first != "I" and not any(t.text == first and t.pos == "PROPN" for t in said.tokens):
                phrase = first[0].lower() + phrase[1:]  # "Try blocking…" is the task "try blocking…" (round 45)
            if len(_WORD.findall(phrase)) >= 2:
                phrase = _ru_to_speaker(_RU_PLEASE.sub("", phrase), informal=bool(_RU_INFORMAL.search(said.text)),
                                        gender=gender, imperatives=_imperatives(said)) \
                    if sent.language == "ru" else _to_speaker(phrase, said)
                return phrase + (f" ({when.group(0).strip()})" if when else "") + (back.group(0) if back else ""), None
    if k is not None and (elliptic(task, sent) or takes_up_advice(task, sent)):
        # "Take a look at my pull request." — "I'm on it.": an imperative not listed as advice asks too (round 44)
        # (Russian: only the verb the reply repeats, «Попрошу.» to «попросите…», not «Давайте я запишу.» to «пришлите…»)
        found = next((f for prev in reversed(parsed[k]) if prev.language == sent.language
                      and (sent.language != "ru" or commits_in_a_word(sent, [prev]))
                      and (f := _request(prev, gender, imperative="any")) is not None), None)
        if found is not None:
            return found
    pointed = pointed_task(sent, task, speaker, speakers, parsed, index, gender)
    return None if pointed is None else (pointed, None)


__all__ = ["ADVICE_BACK", "ECHO_UTTERANCES", "accepted_task", "advice_before", "commits_in_a_word", "echoed_task", "elliptic", "en_dated_imperative",
           "imperative_read_as_noun", "person_named",
           "other_before", "pointed_here", "pointed_task", "takes_up_advice"]

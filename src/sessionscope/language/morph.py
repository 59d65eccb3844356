"""Russian morphology by pymorphy3, loaded once and only when asked for: names' gender, and verbs in the first person.

Used by the reports (:mod:`sessionscope.report.i18n`: agreement with a participant's name, names in their case) and by
the extraction (:mod:`sessionscope.analysis.extract.accept`: a task taken from the other person's words, in the words of
the one who takes it on).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Optional


@lru_cache(maxsize=1)
def morph() -> Any:
    """The pymorphy3 analyser (``ImportError`` without pymorphy3)."""
    import pymorphy3  # a dependency for Russian; loads in ~0.1 s

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=1024)
def russian_gender(name: str) -> Optional[str]:
    """``"masc"`` or ``"femn"`` from the first word of a Russian name ("Анна Смирнова" → femn, "Игорь Петрович" →
    masc) by the morphological dictionary's first names; ``None`` when it cannot tell: a label, a Latin or
    redacted name, a name for either ("Саша", "Женя"), or pymorphy3 missing."""
    first = re.match(r"[А-Яа-яЁё]+", name.strip())
    if first is None:
        return None
    try:
        parses = morph().parse(first.group(0))
    except ImportError:
        return None
    genders = {g for p in parses if "Name" in p.tag and "nomn" in p.tag for g in ("masc", "femn") if g in p.tag}
    return genders.pop() if len(genders) == 1 else None


@lru_cache(maxsize=512)
def inflect_name(name: str, case: str) -> str:
    """``name`` with each word in ``case`` by pymorphy3 (first names, surnames, patronymics); a word it does not know
    as part of a name is kept as written, and so is the whole name without pymorphy3."""
    try:
        analyser = morph()
    except ImportError:
        return name
    words = []
    for word in name.split():
        parses = [p for p in analyser.parse(word) if {"Name", "Surn", "Patr"} & set(p.tag.grammemes)]
        form = parses[0].inflect({case}) if parses else None
        words.append(word if form is None else (form.word.capitalize() if word[:1].isupper() else form.word))
    return " ".join(words)


@lru_cache(maxsize=1024)
def first_name_of(word: str) -> Optional[tuple[str, str]]:
    """A Russian first name said in any case, in the nominative with its gender («Ольгой» → («Ольга», "femn»)), or
    ``None`` (not a first name, or a name for either gender)."""
    try:
        parses = [p for p in morph().parse(word) if "Name" in p.tag]
    except ImportError:
        return None
    found = {(p.normal_form.capitalize(), g) for p in parses for g in ("masc", "femn") if g in p.tag}
    return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=4096)
def first_person_verb(word: str, gender: Optional[str]) -> Optional[str]:
    """A finite Russian verb said to "вы" / "ты" in the form it takes after "я": present and future in the first person
    singular ("узнаете" → "узнаю", "покажешь" → "покажу"), the past in the singular of ``gender`` ("показывали" →
    "показывала" for "femn"). ``None`` when ``word`` is no such verb, or is in the past and the gender is unknown."""
    try:
        parses = morph().parse(word.casefold())
    except ImportError:
        return None
    verb = next((p for p in parses if p.tag.POS == "VERB" and p.tag.mood == "indc"), None)
    if verb is None:
        return None
    if verb.tag.tense == "past":
        if gender not in ("masc", "femn"):
            return None
        form = verb.inflect({"sing", gender})
    else:
        form = verb.inflect({"1per", "sing"})
    return None if form is None else form.word


#: imperatives and "you" forms that open or hold a sentence rather than ask for a task ("давайте обсудим" is "let's
#: discuss", not "буду давать обсудим"; "извините", "смотрите", "знаете"): never turned into the first person
_DISCOURSE_IMPERATIVES = frozenset({
    "давай", "давайте", "извини", "извините", "прости", "простите", "смотри", "смотрите", "слушай", "слушайте",
    "представь", "представьте", "погоди", "погодите", "подожди", "подождите", "гляди", "глядите", "пожалуйста",
    "знаешь", "знаете", "понимаешь", "понимаете", "видишь", "видите", "слышишь", "слышите",
})
#: how much of a word's dictionary weight must be a singular imperative for :func:`first_person_of_imperative`
SINGULAR_IMPERATIVE_SURE = 0.9


def first_person_of_imperative(word: str, *, sure: bool = False) -> Optional[str]:
    """A Russian imperative said to "вы" or "ты" in the form the one who takes it on says it: a perfective verb in the
    first person future ("предложите" → "предложу", "поставь" → "поставлю"), an imperfective one as "буду" and its
    infinitive ("пересматривайте" → "буду пересматривать"). A plural imperative ("-те", "-тесь") is read whenever the
    dictionary knows the word as one; a singular one only when the dictionary is sure of it (at least
    :data:`SINGULAR_IMPERATIVE_SURE` of its weight): "мой" is "my" far more often than "wash", and "пришли" is as often
    "came" as "send". A form that is also the indicative "вы" form ("хотите", "предложите") takes its indicative first
    person ("хочу", "предложу"). ``None`` when ``word`` is no such imperative, the imperative of two verbs ("стой"), or
    one that opens or holds a sentence ("давайте", "извините", "смотрите"). ``sure``: the tagger read the word as an
    imperative where it was said («Пришли, пожалуйста, отчёт.»), so a singular one needs no dictionary bar (round 46)."""
    if word.casefold() in _DISCOURSE_IMPERATIVES:
        return None
    try:
        analyser = morph()
    except ImportError:
        return None
    parses = analyser.parse(word.casefold())
    if any(p.tag.POS == "VERB" and "indc" in p.tag and "2per" in p.tag for p in parses):
        return first_person_verb(word, None)  # "хотите" is "you want" as often: "хочу", not "буду хотеть"
    imper = [p for p in parses if p.tag.POS == "VERB" and "impr" in p.tag and "incl" not in p.tag]
    if word.casefold().endswith(("те", "тесь")):
        imper = [p for p in imper if "plur" in p.tag]
    else:
        imper = [p for p in imper if "sing" in p.tag]
        if sum(p.score for p in imper) < SINGULAR_IMPERATIVE_SURE and not sure:
            return None
    if not imper or len({p.normal_form for p in imper}) > 1:  # "стой": "stand" or "cost"
        return None
    imp = imper[0]
    if imp.normal_form == "быть":  # "будь", "будьте": "буду"
        return "буду"
    if imp.tag.aspect != "perf":
        return f"буду {imp.normal_form}"
    inf = next((q for q in analyser.parse(imp.normal_form) if q.tag.POS == "INFN"), None)
    form = inf.inflect({"1per", "sing", "futr"}) if inf is not None else None
    return None if form is None else form.word


#: second-person forms that stay as said in an assigned task: "давайте" is "let's", not a task verb
_NOT_TASK_VERBS = frozenset({"давай", "давайте", "извини", "извините", "прости", "простите", "пожалуйста"})


def infinitive_of_second_person(word: str) -> Optional[str]:
    """The infinitive of a Russian verb said to "вы" or "ты", for a task assigned to the listener (round 43): an
    imperative ("отправьте" → "отправить", "посмотрите" → "посмотреть") or an indicative second person ("создаёте" →
    "создавать", "смотрите" → "смотреть"). The same dictionary bar as :func:`first_person_of_imperative` (a singular
    imperative only when the dictionary is sure of it; one verb only). ``None`` when ``word`` is no such form, or
    "давайте", "извините"."""
    if word.casefold() in _NOT_TASK_VERBS:
        return None
    try:
        parses = morph().parse(word.casefold())
    except ImportError:
        return None
    second = [p for p in parses if p.tag.POS == "VERB" and (("indc" in p.tag and "2per" in p.tag)
                                                            or ("impr" in p.tag and "incl" not in p.tag))]
    if word.casefold().endswith(("те", "тесь")):
        second = [p for p in second if "plur" in p.tag]
    elif sum(p.score for p in second) < SINGULAR_IMPERATIVE_SURE:
        return None
    if not second or len({p.normal_form for p in second}) > 1:
        return None
    return second[0].normal_form


_RU_WORD = re.compile(r"(?<![\w-])[а-яё]+(?![\w-])", re.IGNORECASE)
_RU_SUBORDINATE = frozenset({"если", "когда", "чтобы", "как", "что", "хотя", "потому", "поскольку", "который",
                             "которая", "которое", "которые", "где", "куда"})
_RU_MODAL_LEAD = re.compile(r"^\W*(?:(?:вы|ты)\s+)?(?:можешь|сможешь|можете|сможете)\s+(?:(?:ли|пожалуйста)\s+)?"
                            r"(?=[а-яё]+(?:ть|ти|чь|ться|тись)(?![\w-]))", re.IGNORECASE)
_RU_YOU_SUBJECT = re.compile(r"(?<![\w-])(?:вы|ты)\s+$", re.IGNORECASE)


def infinitive_of_past(word: str) -> Optional[str]:
    """The infinitive of a Russian verb in the past, as said after «чтобы вы / ты» («чтобы вы выяснили» → «выяснить»;
    round 44); ``None`` when ``word`` is no such form or the dictionary reads it as more than one verb."""
    try:
        parses = morph().parse(word.casefold())
    except ImportError:
        return None
    past = [p for p in parses if p.tag.POS == "VERB" and "past" in p.tag]
    if not past or len({p.normal_form for p in past}) > 1:
        return None
    return past[0].normal_form


def task_for_listener(phrase: str, *, wished: bool = False) -> str:
    """A Russian task phrase said to the one who will do it, with its verbs to "вы" / "ты" in the infinitive and their
    subject pronoun left out (round 43): «Посмотрите каналы продаж и подготовьте сравнение» → «посмотреть каналы продаж
    и подготовить сравнение», «вы создаёте чаты и смотрите каналы» → «создавать чаты и смотреть каналы». Other words
    stay as said, and so does everything from a subordinating word on («…, если успеете»). ``wished``: the phrase
    follows «чтобы вы / ты», so its first verb, in the past, is the task's («выяснили, какие…» → «выяснить, какие…»;
    round 44). A modal that opens it («сможешь прислать отчёт», a request a recogniser wrote without "?") is left out
    (round 46: it read «смочь прислать отчёт»)."""
    phrase = _RU_MODAL_LEAD.sub("", phrase, count=1)
    out, last = [], 0
    for n, m in enumerate(_RU_WORD.finditer(phrase)):
        if m.group(0).casefold() in _RU_SUBORDINATE:  # «…, если успеете»: the condition's verb stays as said
            break
        inf = infinitive_of_second_person(m.group(0))
        if inf is None and wished and n == 0:
            inf = infinitive_of_past(m.group(0))
        if inf is None:
            continue
        head = phrase[last:m.start()]
        you = _RU_YOU_SUBJECT.search(head)
        out.append(head[:you.start()] if you else head)
        out.append(inf)
        last = m.end()
    if not out:
        return phrase
    return "".join([*out, phrase[last:]]).strip()


def first_person_verb_likely(word: str) -> bool:
    """Whether the dictionary's likeliest reading of a Russian ``word`` is a verb in the first person («дам», «пришлю»,
    «позвоню»; round 44); ``False`` without pymorphy3."""
    try:
        parses = morph().parse(word.casefold())
    except ImportError:
        return False
    return bool(parses) and parses[0].tag.POS == "VERB" and parses[0].tag.person == "1per"


def transitive_verb(word: str) -> bool:
    """Whether the dictionary's likeliest reading of a Russian ``word`` is a transitive verb ("посмотрю", not
    "позвоню"); ``False`` without pymorphy3."""
    try:
        parses = morph().parse(word.casefold())
    except ImportError:
        return False
    return bool(parses) and parses[0].tag.POS == "VERB" and "tran" in parses[0].tag



__all__ = ["SINGULAR_IMPERATIVE_SURE", "first_person_of_imperative", "first_person_verb", "first_person_verb_likely",
           "infinitive_of_past",
           "infinitive_of_second_person", "morph", "russian_gender", "task_for_listener", "transitive_verb"]

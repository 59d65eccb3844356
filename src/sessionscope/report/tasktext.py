"""A task phrase as a reader of the report needs it: "you" and "me" replaced by the people they stand for.

An action item keeps the words that were said: Maya's "I'll send you a short guide" is the task "send you a short
guide", Robert's "send me the timeline" (owner Maya) is "send me the timeline". In the report's table, under the
owner's name, "you" and "me" point at the reader. :func:`task_for_reader` replaces the first- and second-person
pronouns that stand for the *other* person of a pair with that person's name ("send Robert Hale a short guide",
"send Robert Hale the timeline"); pronouns that stand for the owner themself are left as said, and so is every
pronoun in a session of three or more people (whom "you" addresses there is a guess) or of an unknown speaker.
Russian pronouns become the name in the pronoun's case ("пришли мне ссылку" → "пришли Игорю Волкову ссылку"), by
pymorphy3; a name it cannot inflect (a Latin name, a role label) is written as it is. The session data keep the
words as said (``ActionItem.task``); only the reports use this.
"""

from __future__ import annotations

import logging
import re
from typing import Optional

from sessionscope.language.morph import inflect_name as _inflect_ru
from sessionscope.model import ActionItem, Session

log = logging.getLogger(__name__)

#: English first- ("me") and second-person ("you") forms: word → (person, possessive)
_EN = {"me": ("1", False), "myself": ("1", False), "my": ("1", True), "mine": ("1", True),
       "you": ("2", False), "yourself": ("2", False), "your": ("2", True), "yours": ("2", True)}
_EN_RE = re.compile(r"\b(" + "|".join(_EN) + r")\b", re.IGNORECASE)

#: Russian personal pronouns of the first and second person (singular, and the polite "вы"): word → (person, case);
#: possessives (мой, твой, ваш) agree with their noun and are left as said
_RU = {"меня": ("1", "accs"), "мне": ("1", "datv"), "мной": ("1", "ablt"), "мною": ("1", "ablt"),
       "тебя": ("2", "accs"), "тебе": ("2", "datv"), "тобой": ("2", "ablt"), "тобою": ("2", "ablt"),
       "вас": ("2", "accs"), "вам": ("2", "datv"), "вами": ("2", "ablt")}
_RU_RE = re.compile(r"(?<![\w-])(" + "|".join(_RU) + r")(?![\w-])", re.IGNORECASE)
#: Russian possessives of the first and second person: stem → person (the ending agrees with the noun)
_RU_POSS = re.compile(r"(?<![\w-])(?:(мо|тво)(?:й|я|ё|е|и|его|ей|ю|ем|им|их|ими|ею)|(ваш)(?:|а|е|и|у|его|ей|ем|им|их|ими|ею))"
                      r"(?![\w-])", re.IGNORECASE)
_RU_POSS_PERSON = {"мо": "1", "тво": "2", "ваш": "2"}
# a word after a possessive, a hyphenated one whole («ваш пулл-реквест» → «пулл-реквест Кима», not «пулл Кима-реквест»;
# round 44)
_RU_WORD_AFTER = re.compile(r"\s*([а-яё]+(?:-[а-яё]+)*)(?![\w-])", re.IGNORECASE)
#: prepositions after which "меня"/"тебя"/"вас" are genitive ("у меня", "для тебя") and "мне"/"тебе"/"вам" locative
_RU_GENT_AFTER = frozenset({"у", "для", "от", "без", "до", "около", "кроме", "вместо", "после", "возле", "ради"})
_RU_LOCT_AFTER = frozenset({"о", "об", "обо", "при"})


def _ru_noun(word: str, *, genitive: bool = False) -> bool:
    """Whether pymorphy3's likeliest reading of ``word`` is a noun (``genitive``: in the genitive); ``False`` without
    pymorphy3."""
    try:
        from sessionscope.language.morph import morph as analyser

        parses = analyser().parse(word.casefold())
    except ImportError:
        return False
    return bool(parses) and parses[0].tag.POS == "NOUN" and (not genitive or parses[0].tag.case == "gent")


def _named_before(text: str, name: str) -> Optional[str]:
    """«его» / «её» for a person whose name ``text`` already holds (its first word's stem, in any case), by the name's
    gender; ``None`` when the name is not there or its gender is unknown."""
    first = name.split()[0] if name.split() else ""
    if len(first) < 3 or first[:-1].casefold() not in text.casefold():
        return None
    from sessionscope.language.morph import russian_gender

    gender = russian_gender(name)
    return {"masc": "его", "femn": "её"}.get(gender or "")


def _ru_possessives(task: str, names: dict[str, str], person: dict[str, str], owners: set[str]) -> str:
    """``task`` with a possessive that stands for the other person of the pair ("моей команде" said by the one who
    hands the task over) made that person's name in the genitive after the noun it goes with ("команде Сергея"; round
    43); left as said when no noun follows within two words."""
    out, last = [], 0
    for m in _RU_POSS.finditer(task):
        pid = person[_RU_POSS_PERSON[(m.group(1) or m.group(2)).casefold()]]
        if pid in owners or m.start() < last:
            continue
        third = _named_before(task[:m.start()], names[pid])
        if third is not None:  # «Марине Викторовне настрою ваш аккаунт» → «… настрою её аккаунт»
            out.append(task[last:m.start()] + third)
            last = m.end()
            continue
        at, noun_end = m.end(), None
        for _ in range(2):  # "моей новой команде": the noun within the next two words
            w = _RU_WORD_AFTER.match(task, at)
            if w is None:
                break
            at = w.end()
            if _ru_noun(w.group(1)):
                noun_end = at
                while (g := _RU_WORD_AFTER.match(task, noun_end)) is not None and _ru_noun(g.group(1), genitive=True):
                    noun_end = g.end()  # "руководителей групп": the name after the whole chain
                break
        if noun_end is None:
            continue
        out.append(task[last:m.start()])
        out.append(task[m.end():noun_end].lstrip() + " " + _inflect_ru(names[pid], "gent"))
        last = noun_end
    return "".join([*out, task[last:]]) if out else task


def task_for_reader(item: ActionItem, session: Session, *, language: str = "en") -> str:
    """The task phrase of ``item`` with the pair's "you" and "me" made names (see the module); unchanged outside a
    two-person session or when the speaker of the item's utterance is not one of its participants."""
    task = item.task
    if len(session.participants) != 2:
        return task
    try:
        speaker = session.utterance(item.utterance_id).speaker
    except KeyError:
        return task
    names = {p.id: p.name for p in session.participants}
    if speaker not in names:
        return task
    other = next(pid for pid in names if pid != speaker)
    person = {"1": speaker, "2": other}
    owners = {o for o in (item.owner, *item.owners) if o}
    if language.startswith("ru"):
        def ru(m: re.Match[str]) -> str:
            who, case = _RU[m.group(1).casefold()]
            pid = person[who]
            if pid in owners:
                return m.group(0)
            before = task[: m.start()].split()
            prev = before[-1].casefold() if before else ""
            if case == "accs" and prev in _RU_GENT_AFTER:
                case = "gent"
            elif case == "datv" and prev in _RU_LOCT_AFTER:
                case = "loct"
            return _inflect_ru(names[pid], case)

        return _ru_possessives(_RU_RE.sub(ru, task), names, person, owners)

    def en(m: re.Match[str]) -> str:
        who, possessive = _EN[m.group(1).casefold()]
        pid = person[who]
        if pid in owners:
            return m.group(0)
        return names[pid] + ("'s" if possessive else "")

    return _EN_RE.sub(en, task)


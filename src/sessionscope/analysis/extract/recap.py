"""A recap that hands out several tasks in one sentence, one action item per task (issue 10, round 43).

The guide asks a pair to close each session by agreeing who does what by when, and that is said as a recap: "You'll send
me the deck by Friday, I'll review it over the weekend, and I'll call the client on Monday."; «Итак: я готовлю черновик
бюджета к среде, а вы проверяете договор с поставщиком к четвергу.». The extraction decides one item per sentence, so
such a sentence gave one task at most, with the first clause's deadline and the last clause's owner ("review the deck
over the weekend", due "by Friday", under Maya), and a Russian recap in the present tense gave none.

:func:`recap_clauses` cuts a sentence into its task clauses: English clauses that open with "I / you / we" (and a
"will / 'll / am going to / need to…" frame), Russian ones with a finite verb in the first or second person, not past
(a subject pronoun or none: «…и в понедельник звоню клиенту»). A sentence becomes one item per clause only when it has
at least two task clauses and is a recap: a recap word in it or in the speaker's sentence just before ("recap", "to sum
up", "next steps", "what we agreed", «подведу итог», «итак», «резюмируя», «договорились»), or two clauses with a deadline each,
or future clauses for two different people. Each clause's owner is its person (I → the speaker, you → the one told, we →
both), its task the clause from its verb on, its due expression the clause's own; a Russian task handed to the other has
its verbs in the infinitive. The items take the confidence of the sentence's own action item when it had one, else the
heads' action probability of the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Optional

from sessionscope.language.nlp import Sentence

RECAP_CUE = re.compile(
    r"\b(?:recap|sum (?:it )?up|summari[sz]e|in summary|next steps|action items|what we agreed|we agreed)\b"
    r"|(?<![\w-])(?:подвед\w* итог\w*|подытож\w*|итак|итого|резюмир\w*|договорились|следующие шаги)(?![\w-])",
    re.IGNORECASE)  # not «итоги» alone: «отправьте клиенту итоги» are the results
_EN_CUT = re.compile(r"\s*[,;:]\s*(?:(?:and|but|then|while)\s+)?(?=(?:i|you|we)\b)|\s+(?:and|but|while)\s+(?=(?:i|you|we)\b)",
                     re.IGNORECASE)
_RU_CUT = re.compile(r"\s*[,;:]\s*(?:(?:а|и|но|потом|затем)\s+)?|\s+(?:и|а)\s+", re.IGNORECASE)
_EN_CLAUSE = re.compile(
    r"^(?:(?:so|and|then|also|okay|ok|right|now)[\s,]+)*(?P<subj>i|you|we)"
    r"(?P<modal>'ll|'re going to|'m going to|'re gonna|'m gonna|\s+will|\s+shall|\s+am going to|\s+are going to|"
    r"\s+need to|\s+have to)?\s+(?:(?:also|then|just|first|definitely)\s+)?(?P<verb>[a-z]+)\b", re.IGNORECASE)
#: verbs that hand out no task in a recap ("we meet again on the 15th", "I think", "you know")
_EN_NOT_TASK = frozenset({"be", "have", "meet", "see", "talk", "speak", "think", "know", "agree", "guess", "hope", "want",
                          "like", "need", "get", "go", "mean", "say", "feel", "wonder"})
_RU_NOT_TASK = frozenset({"встретиться", "встречаться", "видеться", "увидеться", "созвониться", "созваниваться",
                          "подвести", "подводить", "знать", "думать", "говорить", "сказать", "понимать", "хотеть",
                          "мочь", "быть", "договориться"})
_RU_YOU = re.compile(r"^(?:вы|ты)\s+", re.IGNORECASE)
_RU_SUBJECT = re.compile(r"^(?:(?:итак|так|значит|ну)[\s,:]+)*(?:я|вы|ты|мы)(?![\w-])", re.IGNORECASE)
_TRAIL = re.compile(r"[\s,;:.!?…]+$")


@dataclass(frozen=True)
class Clause:
    """One task of a recap: whose (``"speaker"``, ``"addressee"``, ``"both"``), its words, and where it starts in the
    sentence (``verb_at``) and ends (``end``)."""

    owner: str
    verb_at: int
    end: int
    future: bool
    start: int = 0
    subject: bool = True  # the clause names its subject ("I", «я»); a Russian verb may go on without one


def _spans(text: str, cut: re.Pattern[str]) -> list[tuple[int, int]]:
    out, at = [], 0
    for m in cut.finditer(text):
        out.append((at, m.start()))
        at = m.end()
    out.append((at, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


@lru_cache(maxsize=64)
def _en_patterns(names: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The English clause cut and clause pattern with the participants' first ``names`` as subjects too ("Boris will
    send the survey results by Friday, Carla will draft…")."""
    if not names:
        return _EN_CUT, _EN_CLAUSE
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    cut = re.compile(_EN_CUT.pattern.replace("(?:i|you|we)", f"(?:i|you|we|{alt})"), re.IGNORECASE)
    clause = re.compile(_EN_CLAUSE.pattern.replace("(?P<subj>i|you|we)", f"(?P<subj>i|you|we|{alt})"), re.IGNORECASE)
    return cut, clause


def _en_clause(sent: Sentence, a: int, b: int, names: tuple[str, ...] = ()) -> Optional[Clause]:
    m = _en_patterns(names)[1].match(sent.text[a:b])
    if m is None:
        return None
    at = a + m.start("verb")
    tok = next((t for t in sent.tokens if t.idx == at), None)
    if tok is None or tok.pos != "VERB" or tok.lemma in _EN_NOT_TASK:
        return None
    subj = m.group("subj").casefold()
    owner = {"i": "speaker", "you": "addressee", "we": "both"}.get(subj, f"named:{subj}")
    return Clause(owner, at, b, future=bool(m.group("modal")), start=a)


def _ru_clause(sent: Sentence, a: int, b: int) -> Optional[Clause]:
    for t in sent.tokens:
        at = t.idx
        if not a <= at < b:
            continue
        f = t.feats
        if t.pos != "VERB" or f.get("VerbForm") != "Fin" or f.get("Tense") == "Past" or f.get("Mood") == "Imp":
            continue
        if f.get("Person") not in ("1", "2") or t.lemma in _RU_NOT_TASK:
            return None
        owner = "addressee" if f.get("Person") == "2" else "speaker" if f.get("Number") == "Sing" else "both"
        return Clause(owner, at, b, future=f.get("Tense") == "Fut", start=a,
                      subject=bool(_RU_SUBJECT.match(sent.text[a:b])))
    return None


def _ru_personal(sent: Sentence, a: int, b: int) -> bool:
    """Whether the span ``[a, b)`` of a Russian sentence has a finite verb in the first or second person (a clause of
    someone's own, task or not); a span without one («как прошла планёрка», «если будет время») goes with the clause
    before it."""
    return any(a <= t.idx < b and t.pos in ("VERB", "AUX") and t.feats.get("VerbForm") == "Fin"
               and t.feats.get("Person") in ("1", "2") for t in sent.tokens)


def recap_clauses(sent: Sentence, cue_before: bool = False, names: tuple[str, ...] = ()) -> list[Clause]:
    """The task clauses of a recap sentence (see the module), or ``[]`` when it is none (``cue_before``: the
    speaker's sentence just before holds a recap word; ``names``: the participants' first names, lower-cased, read as
    English subjects: owner ``"named:<name>"``)."""
    if sent.language not in ("en", "ru"):
        return []
    text = sent.text
    spans = _spans(text, _RU_CUT if sent.language == "ru" else _en_patterns(names)[0])
    if len(spans) < 2:
        return []
    if sent.language == "ru":
        clauses = []
        for a, b in spans:
            c = _ru_clause(sent, a, b)
            if c is not None:
                clauses.append(c)
            elif clauses and not _ru_personal(sent, a, b):  # «ты расскажешь, как прошла планёрка»: the task goes on
                clauses[-1] = replace(clauses[-1], end=b)
    else:
        clauses = [c for a, b in spans if (c := _en_clause(sent, a, b, names)) is not None]
    cue = cue_before or bool(RECAP_CUE.search(text))
    if not cue:  # «Я настрою фильтр до пятницы и покажу вам…»: one person's verbs going on, one task unless a recap
        clauses = [c for k, c in enumerate(clauses) if k == 0 or c.subject or c.owner != clauses[k - 1].owner]
    if len(clauses) < 2:
        return []
    from sessionscope.analysis.extract.dates import find_due

    dated = sum(find_due(text[c.verb_at:c.end]) is not None for c in clauses)
    owners = {c.owner for c in clauses if c.future}
    if not (cue or dated >= 2 or len(owners) >= 2):
        return []
    return clauses


def clause_task(sent: Sentence, clause: Clause, *, session_date=None, interval: int = 7):  # noqa: ANN001, ANN201
    """``(task, due)`` of one recap clause: its words from the verb on without its due expression (a Russian task
    handed to the other in the infinitive)."""
    from sessionscope.analysis.extract.accept import pointed_here
    from sessionscope.analysis.extract.dates import find_due, without_due

    due = find_due(sent.text[clause.start:clause.end], session_date=session_date, meeting_interval_days=interval)
    text = sent.text[clause.verb_at:clause.end]
    if due is not None and clause.start + due.char_start >= clause.verb_at:  # the due after the verb: out of the task
        text = without_due(text, due.text)
    task = _TRAIL.sub("", " ".join(text.split()))
    here = pointed_here(sent, task) if sent.language == "en" else None  # "I'll review it" after "the deck"
    task = here or task
    if sent.language == "ru":
        task = _RU_YOU.sub("", task)
        if clause.owner == "addressee":
            from sessionscope.language.morph import task_for_listener

            task = task_for_listener(task)
    return task, due




def _cue_before(parsed: Sequence[Sequence[Sentence]], speakers: Sequence[str], i: int, j: int) -> bool:
    """Whether the speaker's sentence just before sentence ``j`` of utterance ``i`` (in the same utterance, or the last
    of the speaker's utterance right before) holds a recap word ("Let me recap what we agreed.")."""
    if j > 0:
        return bool(RECAP_CUE.search(parsed[i][j - 1].text))
    return i > 0 and speakers[i - 1] == speakers[i] and bool(parsed[i - 1]) and bool(RECAP_CUE.search(parsed[i - 1][-1].text))


def _first_names(session) -> dict[str, str]:  # noqa: ANN001
    """A group's participants by their first name, lower-cased (names two share are left out; none in a pair)."""
    first: dict[str, str] = {}
    if len(session.participants) > 2:
        for p in session.participants:
            words = (p.name or "").split()
            word = words[0].casefold() if words else ""
            if len(word) >= 2 and word not in ("i", "you", "we"):
                first[word] = "" if word in first else p.id
    return {w: pid for w, pid in first.items() if pid}


def sentence_confidence(old, heads, row, sent: Sentence, cfg) -> tuple[Optional[float], bool]:  # noqa: ANN001
    """The confidence and to-check mark the recap's items take: the sentence's own item's, else the heads' action
    probability of the sentence (to check under ``cfg.check_below``), else none."""
    if old is not None:
        return old.confidence, old.to_check
    if heads is None or row is None:
        return None, False
    from sessionscope.analysis.extract.stage import head_decision

    _d, probs = head_decision(heads, row, {}, lexical=sent.language == "en")
    conf = round(probs.get("action", 0.0), 3)
    return conf, conf < cfg.check_below


def _clause_owner(c: Clause, first: dict[str, str], sent: Sentence, speaker: str, receiver: Optional[str],
                  told: Optional[str]) -> tuple[Optional[str], tuple[str, ...]]:
    """A clause's owner by its subject: a participant named ("Boris will send…"), else by its person (the other names
    in the sentence are other clauses' owners)."""
    from sessionscope.analysis.extract.rules import RuleHit
    from sessionscope.analysis.extract.stage import _owner

    if c.owner.startswith("named:"):
        pid = first[c.owner[len("named:"):]]
        return pid, (pid,)
    return _owner(sent, RuleHit("action", 0.0, "recap", owner=c.owner, task_start=c.verb_at), speaker, receiver, told)


def recap_items(session, parsed: Sequence[Sequence[Sentence]], acts: list, cfg, areas: dict,  # noqa: ANN001
                heads=None, head_logits=None, skip: frozenset = frozenset()) -> list:  # noqa: ANN001
    """``acts`` with every recap sentence's item replaced by one item per task clause (method ``recap``; see the
    module). The first clause keeps the sentence's item id; the others get new ids after the highest. ``skip``: the
    ``(utterance, sentence)`` positions told as a story or a habit, read as no recap. In a group, a participant's first
    name opens a clause as "I" and "you" do ("Boris will send the survey results by Friday, Carla will draft…")."""
    from sessionscope.analysis.extract.addressee import task_addressee
    from sessionscope.analysis.extract.stage import other_participant
    from sessionscope.model import ActionItem

    speakers = [u.speaker for u in session.utterances]
    first = _first_names(session)
    names = tuple(sorted(first))
    by_sent = {(a.utterance_id, a.char_start): a for a in acts}
    replaced: dict[str, list] = {}
    added: list = []
    n = last_number(acts)
    for i, (utt, sents) in enumerate(zip(session.utterances, parsed, strict=True)):
        if "hallucination" in utt.flags:
            continue
        receiver = other_participant(session, i)
        told = task_addressee(session, i, receiver)
        for j, sent in enumerate(sents):
            clauses = [] if (i, j) in skip else recap_clauses(sent, _cue_before(parsed, speakers, i, j), names)
            if not clauses:
                continue
            old = by_sent.get((utt.id, sent.start_char))
            row = head_logits[i][j] if head_logits is not None else None
            conf, to_check = sentence_confidence(old, heads, row, sent, cfg)
            items = []
            for k, c in enumerate(clauses):
                owner, owners = _clause_owner(c, first, sent, utt.speaker, receiver, told)
                task, due = clause_task(sent, c, session_date=session.date, interval=cfg.meeting_interval_days)
                if k > 0 or old is None:
                    n += 1
                items.append(ActionItem(
                    id=old.id if k == 0 and old is not None else f"act-{n:03d}", utterance_id=utt.id,
                    start=utt.start, owner=owner, task=task, due_text=due.text if due else None,
                    due_date=due.date if due else None, confidence=conf, area=areas.get(utt.id),
                    char_start=sent.start_char + c.start, char_end=sent.start_char + c.end, method="recap",
                    owners=owners, to_check=to_check,
                ))
            if old is not None:
                replaced[old.id] = items
            else:
                added.extend(items)
    return _without_repeats(session, [*[b for a in acts for b in replaced.get(a.id, [a])], *added])


#: words that may stand between "and" / «и» and the verb of the next task ("and then send…", «и потом пришлю…»)
AND_THEN = frozenset({"then", "also", "just", "потом", "затем", "тоже", "ещё", "еще", "сразу", "заодно"})


def last_number(items: Sequence) -> int:
    """The highest number an item id ends with ("act-007" → 7), at least the number of items: new ids go after it
    (merging and splitting may leave gaps)."""
    return max([int(m.group(1)) for a in items for m in [re.search(r"(\d+)$", a.id)] if m] + [len(items)])


def _next_verbs(sent: Sentence) -> list[tuple[int, int]]:
    """``(conjunction, verb)`` token positions where a sentence goes on with a verb of the same person after "and" /
    "then" (English: a bare verb, "…tomorrow and send…"; Russian: «и» before a verb that is not in the past)."""
    toks, out = sent.tokens, []
    conj = ("and", "then") if sent.language == "en" else ("и",)
    for k, t in enumerate(toks[:-1]):
        if k == 0 or t.lower not in conj:
            continue
        v = k + 1
        while v < len(toks) - 1 and toks[v].lower in AND_THEN:
            v += 1
        tv = toks[v]
        if sent.language == "en":  # the small tagger reads "and book the room" as a noun before its determiner
            after = toks[v + 1] if v + 1 < len(toks) else None
            if tv.tag in ("VB", "VBP") or (tv.tag == "NN" and after is not None and after.tag in ("DT", "PRP$")):
                out.append((k, v))
        elif tv.pos == "VERB" and tv.feats.get("Tense") != "Past":
            out.append((k, v))
    return out


def _task_cut(task: str, verb: str, language: str) -> Optional[re.Match[str]]:
    """Where in ``task`` the conjunction before ``verb`` stands (a Russian task handed over has its verbs in the
    infinitive: the verb is found by its first three letters, «пришлите» → «прислать»)."""
    words = r"(?:\s+(?:" + "|".join(sorted(AND_THEN)) + r"))*"
    if language == "en":
        return re.search(r"\s*,?\s+(?:and|then)" + words + r"\s+(?=" + re.escape(verb) + r"\b)", task, re.IGNORECASE)
    stem = re.escape(verb[:3])  # «пришлите» → «прислать»
    return re.search(r"\s*,?\s+и" + words + r"\s+(?=" + stem + r")", task, re.IGNORECASE)


def dated_pairs(sent: Sentence, session_date=None, interval: int = 7):  # noqa: ANN001, ANN201
    """``(conjunction, verb, first due, second due)`` for each place where a sentence goes on with a verb of the same
    person (:func:`_next_verbs`) and the words before and after it each hold a due expression of their own (two
    different ones): where :func:`dated_conjuncts` may cut a task in two."""
    from sessionscope.analysis.extract.dates import find_due

    for k, v in _next_verbs(sent):
        first = find_due(sent.text[:sent.tokens[k].idx])
        second = find_due(sent.text[sent.tokens[v].idx:], session_date=session_date, meeting_interval_days=interval)
        if first is not None and second is not None and second.text.casefold() != first.text.casefold():
            yield k, v, first, second


def dated_conjuncts(session, parsed: Sequence[Sequence[Sentence]], acts: list, cfg) -> list:  # noqa: ANN001
    """``acts`` with an item whose sentence names two tasks of one owner, each with its own deadline, split in two
    (round 45): "I'll talk to Marco tomorrow and send the client two options by Wednesday." was one task "talk to
    Marco and send the client two options by Wednesday", due tomorrow; now "talk to Marco" (tomorrow) and "send the
    client two options" (Wednesday); «Я позвоню клиенту завтра и отправлю договор юристам до пятницы.» likewise. The
    second task must name its own thing: «Я настрою фильтр до пятницы и покажу вам на следующей встрече.» (what is
    shown is the filter) stays one. The second item takes the first's owner, confidence and mark, and a new id after
    the highest."""
    from sessionscope.analysis.extract.accept import pointed_here
    from sessionscope.analysis.extract.actions import task_phrase
    from sessionscope.analysis.extract.dates import without_due
    from sessionscope.analysis.extract.rules import RuleHit

    sents = {(u.id, s.start_char): s for u, ss in zip(session.utterances, parsed, strict=True) for s in ss}
    n = last_number(acts)
    out: list = []
    for a in acts:
        sent = sents.get((a.utterance_id, a.char_start))
        out.append(a)
        if sent is None or a.method == "recap" or a.due_text is None or sent.language not in ("en", "ru"):
            continue
        for k, v, first, second in dated_pairs(sent, session.date, cfg.meeting_interval_days):
            at = sent.tokens[k].idx
            if first.text != a.due_text:
                continue
            m = _task_cut(a.task, sent.tokens[v].text, sent.language)
            if m is None:
                continue
            head = _TRAIL.sub("", a.task[:m.start()])
            tail = a.task[m.end():]
            if tail.endswith("…"):  # the task was cut at its word limit: the second task from the sentence, whole
                if sent.language == "ru" and a.owner != session.utterance(a.utterance_id).speaker:
                    continue  # (a Russian task handed over would need its verbs in the infinitive again)
                tail = task_phrase(sent, RuleHit("action", 0.0, "split", task_start=sent.tokens[v].idx),
                                   max_words=cfg.max_task_words)
            tail = _TRAIL.sub("", without_due(tail, second.text))
            # the second task must name its own thing: "…and send it to Igor by Thursday" names "it" from before in
            # the sentence; «…и покажу вам на следующей встрече» shows the filter of the first: one task
            named = pointed_here(sent, tail) if sent.language == "en" else None
            verb_at = sent.tokens[v].idx
            if not head or not tail or not (named or any(
                    t.pos == "NOUN" and verb_at < t.idx < verb_at + second.char_start for t in sent.tokens)):
                continue
            tail = named or tail
            n += 1
            out[-1] = replace(a, task=head, char_end=sent.start_char + at)
            out.append(replace(a, id=f"act-{n:03d}", task=tail, due_text=second.text, due_date=second.date,
                               char_start=sent.start_char + at))
            break
    return out


def _without_repeats(session, items: list) -> list:  # noqa: ANN001
    """``items`` in the order said, less the recap items that repeat a task listed before them (:func:`_repeats`)."""
    order = {u.id: k for k, u in enumerate(session.utterances)}
    items = sorted(items, key=lambda a: (order.get(a.utterance_id, 0), a.char_start or 0))
    kept: list = []
    for a in items:  # a recap repeats what was agreed before: its clause is that task, not a new one
        if a.method == "recap" and any(_repeats(a, b) for b in kept):
            continue
        kept.append(a)
    return kept


_STOP = frozenset({"the", "a", "an", "you", "your", "my", "me", "it", "them", "to", "and", "for", "of", "on", "with",
                   "вам", "мне", "вас", "меня", "ваш", "мой", "его", "её", "ее", "их", "и", "в", "на", "с", "к", "по",
                   "для"})


def _stems(task: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[^\W\d_]{4,}", task.casefold()) if w not in _STOP}


def _repeats(item, earlier) -> bool:  # noqa: ANN001
    """Whether a recap's ``item`` repeats ``earlier``, a task of the same owner(s) listed before: they share a word of
    the thing done beyond the verb ("send you the report guide" / "send you a short step by step guide"), or open with
    the same verb and have the same due expression ("call Northwind" / "call her and propose…", both "tomorrow")."""
    if (item.owner, item.owners) != (earlier.owner, earlier.owners):
        return False
    a, b = item.task.split(), earlier.task.split()
    if not a or not b:
        return False
    if _stems(" ".join(a[1:])) & _stems(" ".join(b[1:])):
        return True
    return a[0].casefold() == b[0].casefold() and item.due_text is not None and item.due_text == earlier.due_text


__all__ = ["AND_THEN", "RECAP_CUE", "Clause", "last_number", "sentence_confidence", "clause_task", "dated_conjuncts", "dated_pairs", "recap_clauses", "recap_items"]

"""Action-item follow-up across a pair's consecutive sessions.

The guide asks that progress be tracked ("small achievable goals", "tasks, reports").
For each action item of a session we look through the pair's *later* sessions, in date
order, for an utterance that mentions the task again, and for a report that it was done.

Matching is deliberately simple and transparent (researchers can audit every match):

* a task and an utterance are reduced to content-word stems — lower-cased words of at
  least three letters, stop words removed, cut to their first five letters, which folds
  English plurals and most Russian case endings together ("CRM-систему" / "систему" /
  "системы" → "систе");
* an utterance *mentions* the task when it shares at least ``min_overlap`` of the task's
  stems (default: half of them, and at least two; a one-stem task needs that stem);
* a mention is a *done report* when that utterance also contains a completion cue
  ("done", "finished", "set it up", "сделал", "готово", "настроил"…).

Statuses: ``done`` (reported done), ``mentioned`` (discussed again, no completion
reported), ``not_mentioned`` (later sessions exist but never return to it), ``pending``
(no later session of the pair yet). Known limits: paraphrases without shared words are
missed; a generic task ("send the report") can match an unrelated mention.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional

from sessionscope.model import Session, Utterance

STOP = frozenset("""
a an the and or but if then so to of in on at by for with from into about over after before this that these those
it its is are was were be been being have has had do does did will would shall should can could may might must
i you he she we they me him her us them my your his our their mine yours not no yes just also too very more most
some any all each every other next last week weeks day days time try set up get make take give use new
и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от меня еще
нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь опять уж вам ведь там потом
себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под
будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда
зачем всех никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего них какая
много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им более всегда конечно
всю между неделю неделе следующей встречи
""".split())
DONE_CUES = ("done", "did it", "finished", "complet", "set it up", "set up the", "tried it", "managed to",
             "already", "implemented", "sent it", "i've set", "i have set",
             "сделал", "сделала", "готово", "выполнил", "выполнила", "законч", "попробовал", "попробовала",
             "настроил", "настроила", "уже ", "получилось", "отправил", "отправила", "внедрил")
_DONE = re.compile("|".join(re.escape(c) for c in DONE_CUES))
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def stems(text: str) -> set[str]:
    """Content-word stems of a text (see the module docstring)."""
    out = set()
    for w in _WORD.findall(text.lower()):
        w = w.strip("-")
        if len(w) < 3 or w in STOP:
            continue
        out.add(w[:5])
    return out


def is_done_report(text: str) -> bool:
    """Whether an utterance reports completion."""
    return _DONE.search(f" {text.lower()} ") is not None


@dataclass(frozen=True)
class FollowUp:
    """What happened to one action item in the pair's later sessions."""

    pair_id: Optional[str]
    session_id: str
    action_item_id: str
    owner: Optional[str]
    task: str
    due_date: Optional[str]
    status: str
    owners: tuple[str, ...] = ()
    followed_in_session: Optional[str] = None
    evidence_utterance_id: Optional[str] = None
    evidence_text: Optional[str] = None


def _needed(n: int, min_share: float) -> int:
    return 1 if n == 1 else max(2, math.ceil(min_share * n))


def follow_up(sessions: Sequence[Session], *, min_share: float = 0.5) -> list[FollowUp]:
    """Follow every action item through the later sessions of its pair (sessions of any pairs)."""
    by_pair: dict[Optional[str], list[Session]] = {}
    for s in sessions:
        by_pair.setdefault(s.pair_id or s.id, []).append(s)
    out: list[FollowUp] = []
    cache: dict[str, list[tuple[set[str], Utterance]]] = {}

    def utterance_stems(s: Session) -> list[tuple[set[str], Utterance]]:
        if s.id not in cache:
            cache[s.id] = [(stems(u.text), u) for u in s.utterances]
        return cache[s.id]

    for pair, group in by_pair.items():
        group = sorted(group, key=lambda s: (s.date is None, s.date.isoformat() if s.date else "", s.id))
        for k, s in enumerate(group):
            later = group[k + 1:]
            for a in s.tasks:  # a move within the meeting has nothing to follow up, nor an item marked to check
                if a.to_check:
                    continue
                task_stems = stems(a.task)
                need = _needed(len(task_stems), min_share) if task_stems else 0
                status, where, evidence = ("pending" if not later else "not_mentioned"), None, None
                if need:
                    for nxt in later:
                        for u_stems, u in utterance_stems(nxt):
                            if len(task_stems & u_stems) < need:
                                continue
                            if is_done_report(u.text):
                                status, where, evidence = "done", nxt.id, u
                                break
                            if status != "mentioned":
                                status, where, evidence = "mentioned", nxt.id, u
                        if status == "done":
                            break
                out.append(FollowUp(
                    pair_id=pair, session_id=s.id, action_item_id=a.id,
                    owner=a.owner or (a.owners[0] if a.owners else None), task=a.task,
                    owners=tuple(dict.fromkeys([*([a.owner] if a.owner else []), *a.owners])),
                    due_date=a.due_date.isoformat() if a.due_date else None, status=status,
                    followed_in_session=where, evidence_utterance_id=evidence.id if evidence else None,
                    evidence_text=evidence.text if evidence else None,
                ))
    return out

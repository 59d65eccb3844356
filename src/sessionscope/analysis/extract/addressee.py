"""Whom a recommendation is addressed to: one person, or the whole group (``None``).

In a pair the receiver is always the other person. In sessions with three or more
participants most suggestions are addressed to the group: on the addressee-annotated AMI
training meetings (4-person design meetings), 73 % of the ``sug`` acts are addressed to all
the others, and giving each one to a single person (the previous other speaker,
:func:`~sessionscope.analysis.extract.stage.other_participant`) matched the annotated
addressee on 16 % of them. :func:`advice_receiver` returns ``None`` ("the group") unless
a small logistic model over the cues below says the advice is for one person, who is
then the previous / nearest other speaker.

Cues (:func:`addressee_features`): first-person plural or a group form ("we", "let's",
"us", "everyone", "you guys", "all of you"); a second-person "you" without a group form;
whether the previous utterance is another speaker's (the speaker replies) and whether it
was a question; whether the next utterance is another speaker's; how many other people
spoke in the last six utterances. The weights :data:`WEIGHTS` were fit by
``benchmarks/receiver_r13_receiver.py`` on the choosing half of those meetings (see
``docs/benchmarks/extraction.md``).
"""

from __future__ import annotations

import math
import re
from typing import Optional

from sessionscope.io._common import UNKNOWN_ID
from sessionscope.model import Session

_GROUP = re.compile(
    r"\b(we|we'll|we'd|we've|we're|let's|lets|us|our|ours|ourselves|everyone|everybody|all of you|you guys|you all|"
    r"y'all|each of you|both of you|you two|you both|guys|folks|мы|нам|нас|наш|наша|наше|наши|давайте|давай-ка|"
    r"все|всем|вы все|каждый из вас|вы оба|вы обе)\b",
    re.IGNORECASE,
)
_YOU = re.compile(
    r"\b(you|your|yours|you'll|you'd|you've|you're|yourself|ты|тебе|тебя|твой|твоя|твоё|твои|тобой|вы|вам|вас|ваш|"
    r"ваша|ваше|ваши|вами)\b",
    re.IGNORECASE,
)
#: Recent window (utterances before the advice) in which other speakers are counted.
WINDOW = 6
FEATURES = ("group_form", "you_only", "prev_other", "prev_question", "next_other", "others_recent", "one_other")
#: Logistic weights (bias first, then :data:`FEATURES`) for "addressed to one person"; fit by
#: ``benchmarks/receiver_r13_receiver.py`` on the choosing half of the addressee-annotated AMI train meetings.
WEIGHTS = (-1.848, -1.555, 0.74, 0.019, 0.944, 0.568, 0.455, 0.886)
#: Probability of "one person" at or above which the advice gets a single receiver.
PERSON_THRESHOLD = 0.5


def addressee_features(session: Session, index: int, text: str) -> tuple[float, ...]:
    """The cues of :data:`FEATURES` for sentence ``text`` of utterance ``index``."""
    utts = session.utterances
    speaker = utts[index].speaker
    group = bool(_GROUP.search(text))
    you = bool(_YOU.search(text)) and not group
    prev = utts[index - 1] if index > 0 else None
    nxt = utts[index + 1] if index + 1 < len(utts) else None
    prev_other = prev is not None and prev.speaker != speaker
    prev_question = prev_other and prev is not None and prev.text.rstrip().endswith("?")
    others = {u.speaker for u in utts[max(0, index - WINDOW):index] if u.speaker != speaker}
    return (float(group), float(you), float(prev_other), float(prev_question),
            float(nxt is not None and nxt.speaker != speaker), min(len(others), 3) / 3, float(len(others) == 1))


def person_probability(features: tuple[float, ...], weights: tuple[float, ...] = WEIGHTS) -> float:
    """Logistic probability that advice with these cues is addressed to one person."""
    z = weights[0] + sum(w * x for w, x in zip(weights[1:], features, strict=True))
    return 1 / (1 + math.exp(-z))


def advice_receiver(session: Session, index: int, text: str, nearest: Optional[str], *,
                    weights: tuple[float, ...] = WEIGHTS, threshold: float = PERSON_THRESHOLD) -> Optional[str]:
    """The receiver of advice ``text`` in utterance ``index``: ``nearest`` (the other one of a pair, else the
    previous / nearest other speaker) when it is addressed to one person, ``None`` when it is for the group."""
    ids = ({p.id for p in session.participants} or {u.speaker for u in session.utterances}) - {UNKNOWN_ID}
    if len(ids) < 3 or nearest is None:  # a pair (an unattributed stretch of speech is no third person)
        return nearest
    p = person_probability(addressee_features(session, index, text), weights)
    return nearest if p >= threshold else None


#: Utterances after a task handed to "you" in which the next other speaker is looked for (:func:`task_addressee`).
TASK_REACH = 3


def task_addressee(session: Session, index: int, nearest: Optional[str], *, reach: int = TASK_REACH) -> Optional[str]:
    """Who a task handed to "you" in utterance ``index`` is for: in a group, the next other speaker.

    In a pair ``nearest`` (the other person). In sessions of three or more participants, the next
    speaker other than the speaker (and other than an unattributed stretch) within ``reach``
    utterances, else ``nearest`` (the previous / nearest other speaker). On the addressee-annotated
    AMI train meetings, the next other speaker is the annotated single addressee of a task handed to
    "you" more often than the previous one (round 16: report half 0.601 -> 0.696 of 148 acts, 0.595 ->
    0.709 of 148 as speaker turns), and against the role the linked AMI human action-item sentence names,
    outside the teams the choice was made on, 29 -> 31 of 69 acts and 21 -> 31 of 69 as turns
    (``benchmarks/owner_r16_tasks.py``): the one told answers ("okay", "yeah", "I will"). A task for the
    group ("each of you", "you two") is not asked here.
    """
    ids = ({p.id for p in session.participants} or {u.speaker for u in session.utterances}) - {UNKNOWN_ID}
    if len(ids) < 3:
        return nearest
    utts = session.utterances
    speaker = utts[index].speaker
    for u in utts[index + 1 : index + 1 + reach]:
        if u.speaker != speaker and u.speaker != UNKNOWN_ID:
            return u.speaker
    return nearest


__all__ = ["FEATURES", "PERSON_THRESHOLD", "TASK_REACH", "WEIGHTS", "addressee_features", "advice_receiver",
           "person_probability", "task_addressee"]

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

import functools
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Optional

from sessionscope.io._common import UNKNOWN_ID
from sessionscope.model import Participant, Session

if TYPE_CHECKING:
    from sessionscope.language.nlp import Token

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


_TITLES = frozenset({"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "sir", "dame", "dean"})


def first_name(name: Optional[str]) -> Optional[str]:
    """A participant's first name, case-folded: the first word of the name after a title ("Dr. Melissa Ko" → melissa)
    and without the digits of an id ("0001_LENORE" → lenore); ``None`` when it has fewer than three letters."""
    words = [w for w in re.findall(r"[^\W\d_]+", name or "") if w.casefold() not in _TITLES]
    return words[0].casefold() if words and len(words[0]) >= 3 else None


def participant_names(session: Session, speaker: str) -> dict[str, str]:
    """The other participants' first names (:func:`first_name`) → participant id; a first name two participants share,
    or the speaker's own, names no one. Read once per session and speaker (asked of every sentence): do not mutate."""
    return _participant_names(session.participants, speaker)


@functools.lru_cache(maxsize=64)
def _participant_names(participants: tuple[Participant, ...], speaker: str) -> dict[str, str]:
    names: dict[str, str] = {}
    shared: set[str] = set()
    for p in participants:
        first = first_name(p.name)
        if first is not None:
            if first in names or first in shared:  # two participants of one first name ("Grad A", "Grad B"): neither
                shared.add(first)
                names.pop(first, None)
            elif p.id != speaker:
                names[first] = p.id
            else:
                shared.add(first)  # the speaker's own first name never names someone else
    return names


def match_name(low: str, names: dict[str, str]) -> Optional[str]:
    """The participant whose first name ``low`` (a case-folded word) is, or a case form of it («Олега», «Марии»)."""
    for n, pid in names.items():
        if low == n or (len(low) - len(n) <= 2 and (low.startswith(n) or (len(n) > 4 and low.startswith(n[:-1])))):
            return pid
    return None


# words that may come before a name called out at the start of a sentence ("Okay Sam, …", «Ну, Олег, …»)
CALL_LEAD = frozenset({"so", "okay", "ok", "and", "um", "uh", "well", "right", "alright", "now", "then", "oh", "hey",
                       "yeah", "ну", "так", "итак", "а", "и", "вот", "слушай", "слушайте", "да", "ладно", "хорошо"})
_LINK = frozenset({"and", "и", ","})
# after the names and their comma, an "and" goes on with the list ("Sam, Lee, and I will…"): no call
_LIST_GOES_ON = frozenset({"and", "и"})
_END = frozenset({".", "?", "!", "…", "...", ";"})
_CALENDAR = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
                       "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"})


def _names_at(toks: Sequence[Token], k: int, names: dict[str, str]) -> tuple[list[str], int]:
    """The participants named from token ``k`` on, joined by "and" / "," ("Sam and Lee"), and the index after them."""
    found: list[str] = []
    while k < len(toks):
        pid = match_name(toks[k].lower, names) if toks[k].text[:1].isupper() else None
        if pid is None:
            break
        found.append(pid)
        k += 1
        if k + 1 < len(toks) and toks[k].lower in _LINK and toks[k + 1].text[:1].isupper() \
                and match_name(toks[k + 1].lower, names) is not None:
            k += 1
    return found, k


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[^\w\s]")


def call(text: str, session: Session, speaker: str) -> tuple[tuple[str, ...], int]:
    """The other participants a sentence calls by their first name (a vocative): "Sam, you should…", "Okay Sam and
    Lee, you two will…", "…by Friday, Sam.", «Олег, пришли…». A name heading the sentence counts only when a comma
    follows it and the list of names stops there ("Sam, Lee and I will…" names subjects, not listeners); a name
    at the end only after a comma, not after another capitalised word ("…to Lee, Sam and Kim" ends a list). Names are
    matched with a capital letter, as the participants' first names
    (:func:`participant_names`); the speaker is never called. Returns the participants (empty when no one is) and,
    when they are called at the start, the character offset of the words after the call's comma (else 0).

    Read from the text (words and punctuation cut by a pattern, no parser), so that a sentence gives the same call
    whether it was parsed or only split: the heads' embeddings run ahead of the parse."""
    names = participant_names(session, speaker)
    if not names:
        return (), 0
    from sessionscope.language.nlp import Token

    toks = [Token(m.group(0), m.group(0).casefold(), "", m.start()) for m in _WORD.finditer(text)]
    if not toks:
        return (), 0
    k = 0
    while k < len(toks) and (toks[k].lower in CALL_LEAD or toks[k].text == ","):
        k += 1
    found, k = _names_at(toks, k, names)
    if found and k + 1 < len(toks) and toks[k].text == "," and toks[k + 1].lower not in _LIST_GOES_ON:
        return tuple(dict.fromkeys(found)), toks[k + 1].idx
    end = len(toks)
    while end > 0 and toks[end - 1].text in _END:
        end -= 1
    for start in range(end - 1, 0, -1):
        if toks[start - 1].text == ",":
            found, k = _names_at(toks, start, names)
            # a capitalised word before the comma makes the names the end of a list ("send it to Lee, Sam and Kim")
            listed = start >= 3 and toks[start - 2].text[:1].isupper() and toks[start - 2].lower not in _CALENDAR
            if found and k == end and not listed:
                return tuple(dict.fromkeys(found)), 0
            break
        if toks[start].lower not in _LINK and match_name(toks[start].lower, names) is None:
            break
    return (), 0


def advice_receiver(session: Session, index: int, text: str, nearest: Optional[str], *,
                    weights: tuple[float, ...] = WEIGHTS, threshold: float = PERSON_THRESHOLD,
                    called: tuple[str, ...] = ()) -> Optional[str]:
    """The receiver of advice ``text`` in utterance ``index``: ``nearest`` (the other one of a pair, else the
    previous / nearest other speaker) when it is addressed to one person, ``None`` when it is for the group.
    ``called``: the participants the sentence calls by name (:func:`call`): one of them is the
    receiver, more than one the group (several people, no single receiver)."""
    ids = ({p.id for p in session.participants} or {u.speaker for u in session.utterances}) - {UNKNOWN_ID}
    if len(ids) < 3 or nearest is None:  # a pair (an unattributed stretch of speech is no third person)
        return nearest
    if called:
        return called[0] if len(called) == 1 else None
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
           "call", "first_name", "match_name", "participant_names", "person_probability", "task_addressee"]

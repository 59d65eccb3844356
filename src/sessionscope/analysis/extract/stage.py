"""The extraction stage: recommendations, action items, questions and problems.

Per sentence (same splitter as the question detection), each rule module gives a
decision (hit, veto or nothing) and, when configured, the embedding classifier gives a
probability per kind. They are fused (see :func:`fuse`), the best kind above
``extraction.min_confidence`` becomes an item, and items get the speaker, the other
person (receiver / addressee: for recommendations in groups of three or more ``None`` = the whole group
unless :mod:`.addressee` finds it addressed to one person), the topic area of the segment holding the utterance, the
due date resolved against ``session.date``, and, for problems, the items that followed
as solutions. Questions come from :mod:`sessionscope.analysis.questions` with the
dynamics settings, so they match ``questions_asked`` / ``questions_answered`` exactly.

Recommendations and action items are decided by the dialogue-act heads trained on real
meetings (:mod:`.heads`: sentence embedding + cues + context of the neighbouring
utterances, stacked with the rules' hit/veto and calibrated on held-out training
meetings) when ``extraction.dialogue_act_heads`` is set (the default); their calibrated
probability is the item's ``confidence`` and items below ``extraction.check_below`` are
marked ``to_check``. English recommendations and action items then go through a second-stage
check learned on hand-labelled real talk (:mod:`.check`, ``extraction.item_check``): its
probability that the item is right by the issue's definitions replaces that confidence, and
``to_check`` marks the items under ``extraction.item_check_below``; Russian items keep the heads'. Problems keep the rules + classifier fusion (confidence ``None``:
not calibrated). Action items of one owner with near-identical task phrases (embedding
cosine ≥ ``extraction.merge_similarity``) are merged into the first.
"""

from __future__ import annotations

import datetime as _dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Optional

import numpy as np

from sessionscope.analysis.extract.accept import (
    accepted_task,
    commits_in_a_word,
    elliptic,
    en_dated_imperative,
    imperative_read_as_noun,
    other_before,
    person_named,
)
from sessionscope.analysis.extract.actions import (
    action_rule,
    habitual_context,
    in_meeting_move,
    not_promised,
    said_now,
    task_phrase,
    task_start,
    without_owner_subject,
)
from sessionscope.analysis.extract.addressee import (
    advice_receiver,
    call,
    match_name,
    participant_names,
    task_addressee,
)
from sessionscope.analysis.extract.assign import (
    Assignee,
    assignment_rule,
    assignment_target,
    clear_assignment,
    dated_task,
    describes_or_runs_meeting,
    firm_task,
    group_named,
    handed_over,
    handed_to_group,
    handout_items,
    role_named,
)
from sessionscope.analysis.extract.bare import is_bare, parse_utterances
from sessionscope.analysis.extract.dates import Due, agreed_next_meeting, find_due, without_due
from sessionscope.analysis.extract.negotiate import refused, renegotiated
from sessionscope.analysis.extract.offer import offer_items
from sessionscope.analysis.extract.problems import link_solutions, problem_rule, solution_reach
from sessionscope.analysis.extract.recap import dated_conjuncts, recap_items
from sessionscope.analysis.extract.recommendations import (
    advice_text,
    en_imperative,
    farewell,
    meeting_procedure,
    recommendation_rule,
)
from sessionscope.analysis.extract.request import chooses_from_offer, own_request
from sessionscope.analysis.extract.rules import LOW_HEAD, RuleHit, informal_context, own_side_context, quoted_by_frame
from sessionscope.analysis.questions import questions_decided_by, session_questions
from sessionscope.config import Config, DynamicsConfig, ExtractionConfig
from sessionscope.language.nlp import Sentence
from sessionscope.model import ActionItem, Problem, Question, Recommendation, Session
from sessionscope.text import word_count

log = logging.getLogger(__name__)

RULES = {"recommendation": recommendation_rule, "action": action_rule, "problem": problem_rule}
_FIRST = {"i", "we", "я", "мы"}
_SECOND = {"you", "ты", "вы"}


@dataclass(frozen=True, slots=True)
class Decision:
    """The fused decision for one sentence."""

    kind: str
    confidence: float
    method: str
    hit: Optional[RuleHit]


def fuse(hits: dict[str, Optional[RuleHit]], proba: Optional[dict[str, float]], cfg: ExtractionConfig) -> Optional[Decision]:
    """Combine rule decisions and classifier probabilities into at most one item kind.

    * a veto (hard negative) rules its kind out whatever the classifier says;
    * a rule hit scores ``(1 - w) · rule + w · p`` (``w = classifier_weight``; the rule
      alone without a classifier);
    * no rule: the classifier alone adds the item when ``p ≥ classifier_only_threshold``,
      with confidence ``p``.

    The best-scoring kind wins if it reaches ``min_confidence``.
    """
    best: Optional[Decision] = None
    for kind, hit in hits.items():
        p = proba.get(kind) if proba else None
        if hit is not None and hit.veto:
            continue
        if hit is not None:
            conf = hit.confidence if p is None else (1 - cfg.classifier_weight) * hit.confidence + cfg.classifier_weight * p
            method = "rule" if p is None else "rule+classifier"
        elif p is not None and p >= cfg.classifier_only_threshold:
            conf, method = p, "classifier"
        else:
            continue
        if conf >= cfg.min_confidence and (best is None or conf > best.confidence):
            best = Decision(kind, float(conf), method, hit)
    return best


def other_participant(session: Session, index: int) -> Optional[str]:
    """Whom utterance ``index`` is addressed to: the other one of a pair, else the nearest other speaker.

    In groups the previous other speaker (whom one is replying to) is preferred, then the next
    one (within three utterances), then the nearest other speaker on either side.
    """
    speaker = session.utterances[index].speaker
    ids = [p.id for p in session.participants] or sorted({u.speaker for u in session.utterances})
    others = [p for p in ids if p != speaker]
    if len(others) == 1:
        return others[0]
    for j in range(index - 1, max(-1, index - 4), -1):
        if session.utterances[j].speaker != speaker:
            return session.utterances[j].speaker
    for u in session.utterances[index + 1 : index + 4]:
        if u.speaker != speaker:
            return u.speaker
    # a long monologue: the nearest other speaker on either side
    utts = session.utterances
    for d in range(4, len(utts)):
        for j in (index - d, index + d):
            if 0 <= j < len(utts) and utts[j].speaker != speaker:
                return utts[j].speaker
    return None


def _sentence_texts(parsed: Sequence[Sequence[Sentence]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(s.text for s in sents) for sents in parsed)


def area_by_utterance(session: Session) -> dict[str, str]:
    """Topic area of each utterance, from ``session.topics`` segments (empty without topics)."""
    if session.topics is None:
        return {}
    return {uid: seg.area for seg in session.topics.segments for uid in seg.utterance_ids}


def _owner(sent: Sentence, hit: Optional[RuleHit], speaker: str, receiver: Optional[str],
           addressee: Optional[str] = None) -> tuple[Optional[str], tuple[str, ...]]:
    """Owner (and owners) of an action item by the grammatical person: the speaker, the addressee or both.

    ``receiver``: the other person of the turn (:func:`other_participant`); ``addressee``: whom a task told to
    "you" is for (:func:`~.addressee.task_addressee`; default ``receiver``).
    """
    role = hit.owner if hit is not None and hit.owner else None
    if role is None:  # classifier-only: guess from the grammatical person
        role = _person_role(sent)
    addressee = addressee or receiver
    if role == "addressee" and addressee:
        return addressee, (addressee,)
    if role == "both":
        both = tuple(x for x in (speaker, receiver) if x)
        return None, both
    return speaker, (speaker,)


def _item_owner(sent: Sentence, hit: Optional[RuleHit], session: Session, speaker: str, receiver: Optional[str],
                addressee: Optional[str], called: tuple[str, ...] = ()) -> tuple[Optional[str], tuple[str, ...]]:
    """Owner (and owners) of an action item the heads or rules found (not an assignment): by the grammatical person
    (:func:`_owner`), the group when a group is told ("each of you / you two / everyone will…": every other member, no
    one owner), the participants called by name when "you" are told ("Sam and Lee, you two will…": those two,
    :func:`~.addressee.call`) or share a "let's" task with the speaker, or the third participants named as
    the ones to do it (:func:`named_owners`)."""
    owner, owners = _owner(sent, hit, speaker, receiver, addressee)
    if owner is not None and owner != speaker and len(session.participants) > 2 and sent.language == "en" \
            and group_named(" ".join(sent.lowers)):
        owner, owners = None, tuple(p.id for p in session.participants if p.id != speaker)
    if len(called) > 1 and speaker not in owners:  # "you two" told by name; not the speaker's own nor a "we" task
        owner, owners = None, called
    elif called and owner is None and speaker in owners:  # "Sam, let's meet…": the speaker and the one called
        owners = (speaker, *called)
    named = named_owners(sent, session, speaker)
    if named:
        owner, owners = (named[0] if len(named) == 1 else None), named
    return owner, owners


def named_owners(sent: Sentence, session: Session, speaker: str) -> tuple[str, ...]:
    """The third participants named as the ones who will do the task ("Maria will send the deck", "ask Oleg to…",
    "Alex and Sam are going to build it": both).

    The grammatical subject (or, after "ask"/"tell"/«попроси», the object) is matched by
    first name against the session's other participants (:func:`~.addressee.participant_names`),
    and so are the names coordinated with it ("Alex and Sam", "Alex, Sam and Lee"); where participants
    are labelled by role, a role names them too ("I will ask the Industrial Designer to find out…",
    :func:`~.assign.role_named`). Empty when no one matches.
    """
    by_role = role_named(sent.text, [(p.id, p.name) for p in session.participants], speaker)
    if by_role is not None:
        return (by_role,)
    names = participant_names(session, speaker)
    if not names:
        return ()
    toks = sent.tokens
    after_call = call(sent.text, session, speaker)[1]  # "Sam, let's meet…": the parser may take the one called for the subject
    for k, t in enumerate(toks):
        pid = match_name(t.lower, names) if t.pos in ("PROPN", "NOUN", "X", "") or t.text[:1].isupper() else None
        if pid is None or t.idx < after_call:
            continue
        subject = t.dep in ("nsubj", "nsubjpass")
        asked = k > 0 and toks[k - 1].lower in {"ask", "tell", "get", "попроси", "попросите", "пусть", "поручи"}
        ru_subject = sent.language == "ru" and k + 1 < len(toks) and (
            (toks[k + 1].pos in ("VERB", "AUX") and toks[k + 1].feats.get("Person") == "3")
            or toks[k + 1].lemma.casefold() == "должный")  # «Мария должна подготовить…»
        if subject or asked or ru_subject:
            found, heads = [pid], {k}
            for c in range(k + 1, len(toks)):  # the names coordinated with it, in the parse ("Alex and Sam")
                if toks[c].dep == "conj" and toks[c].head in heads:
                    other = match_name(toks[c].lower, names) if toks[c].text[:1].isupper() else None
                    if other is None:
                        break
                    heads.add(c)
                    found.append(other)
            return tuple(dict.fromkeys(found))
    return ()


def _person_role(sent: Sentence) -> str:
    """speaker / addressee / both from the first person-marked verb or pronoun ("let me", "lemme", «давайте я» =
    speaker; "let's", «давайте» = both), or an English imperative with no "I" / "we" as a subject (addressee)."""
    lowers = sent.lowers
    if lowers[:2] in (["let", "me"], ["let", "'s"], ["lem", "me"]) or "let's" in lowers[:2] or lowers[:1] == ["lemme"]:
        return "speaker" if lowers[1:2] == ["me"] or lowers[:1] == ["lemme"] else "both"
    if sent.language == "en" and en_imperative(sent) is not None and not any(
            t.lower in _FIRST and t.dep in ("nsubj", "nsubjpass") for t in sent.tokens):
        return "addressee"  # "Shoot me an email with the details": the one told does it (round 44)
    lets = next((k for k, w in enumerate(lowers[:4]) if w in ("давайте", "давай")), None)
    if lets is not None:  # «давайте я…» = let me (round 42: the imperative made it the listener's), «давайте вы…»
        nxt = lowers[lets + 1] if lets + 1 < len(lowers) else ""
        return "speaker" if nxt == "я" else "addressee" if nxt in ("вы", "ты") else "both"
    for tok in sent.tokens:
        person, number = tok.feats.get("Person"), tok.feats.get("Number")
        if tok.lower in _FIRST or (tok.pos == "VERB" and person == "1"):
            return "both" if number == "Plur" or tok.lower in {"we", "we'll", "мы"} else "speaker"
        if tok.lower in _SECOND or (tok.pos == "VERB" and (person == "2" or tok.feats.get("Mood") == "Imp")):
            return "addressee"
    return "speaker"


def head_decision(heads: Any, logits: np.ndarray, hits: dict[str, Optional[RuleHit]], *,
                  lexical: bool = True) -> tuple[Optional[Decision], dict[str, float]]:
    """The heads' decision for one sentence: the kind whose fused probability clears its threshold (best margin).

    ``logits``: the sentence's row of :meth:`~.heads.ActHeads.scores`. With the English
    lexical head (``heads.lexical``, its logits in the row) and ``lexical``, its stacker and
    thresholds decide; otherwise the MLP heads' own (Russian keeps these). Returns the
    decision (or ``None``) and every kind's calibrated probability.
    """
    k_n = len(heads.labels)
    ev = np.zeros((1, k_n, 3), dtype=np.float32)
    for k, kind in enumerate(heads.labels):
        hit = hits.get(kind)
        if hit is not None:
            ev[0, k] = (0.0, 1.0, 0.0) if hit.veto else (1.0, 0.0, hit.confidence)
    row = np.asarray(logits, dtype=np.float64)[None]
    lex = getattr(heads, "lexical", None) if lexical else None
    tagger = getattr(heads, "tagger", None) if lex is not None else None
    if lex is not None and row.shape[1] >= 2 * k_n:
        p, thresholds = lex.fuse(row[:, :k_n], row[:, k_n : 2 * k_n], ev)[0], lex.thresholds
        if tagger is not None and row.shape[1] >= 2 * k_n + 3:  # the kinds the tagger's stacker decides
            pt = tagger.fuse(row[:, :k_n], row[:, k_n : 2 * k_n], ev, row[:, 2 * k_n : 2 * k_n + 3])[0]
            p, thresholds = p.copy(), np.array(thresholds, dtype=np.float64)
            for m, kind in enumerate(tagger.kinds):
                k = heads.labels.index(kind)
                p[k], thresholds[k] = pt[m], tagger.thresholds[m]
    else:
        p, thresholds = heads.fuse(row[:, :k_n], ev)[0], heads.thresholds
    probs = {kind: float(p[k]) for k, kind in enumerate(heads.labels)}
    best: Optional[Decision] = None
    margin = 0.0
    for k, kind in enumerate(heads.labels):
        if p[k] >= thresholds[k] and (best is None or p[k] - thresholds[k] > margin):
            hit = hits.get(kind)
            hit = hit if hit is not None and not hit.veto else None
            best = Decision(kind, float(p[k]), "head+rule" if hit else "head", hit)
            margin = float(p[k] - thresholds[k])
    return best, probs


def decide(sent: Sentence, hits: dict[str, Optional[RuleHit]], proba: Optional[dict[str, float]], heads: Any,
           logits: Optional[np.ndarray], cfg: ExtractionConfig) -> tuple[Optional[Decision], bool]:
    """The item kind of one sentence and whether its confidence is the heads' calibrated probability.

    English: the heads (with the lexical head when bundled) decide recommendations and action items; problems keep the rules +
    classifier fusion, and a problem found by a rule outranks a less confident head item. Russian: the heads saw no Russian meetings (their words and
    calibration come from English ones), so the rules + classifier fusion — measured on
    the Russian sets — decides, and a recommendation or action item takes the heads'
    probability of its kind as its confidence. English, when no kind clears its threshold: a
    commitment the action rule finds whose action probability is at least ``cfg.action_rule_floor`` (and which is not
    cut off) is an action item of method :data:`~.rules.LOW_HEAD`, always to check (round 34). Without heads: the fusion alone
    (confidence not calibrated). The same heads decide between two people as in groups: a
    stricter bar for head items without a rule hit in two-person sessions (chosen on the
    written rows) cut real-talk recommendation F1 roughly in half on held-out meetings
    (docs/benchmarks/extraction.md) and was withdrawn.
    """
    if heads is None or logits is None:
        return fuse(hits, proba, cfg), False
    d, probs = head_decision(heads, logits, hits, lexical=sent.language == "en")  # the lexical head learned English words
    if sent.language == "ru":
        d = fuse(hits, proba, cfg)
        if d is not None and d.kind in probs:
            return Decision(d.kind, probs[d.kind], d.method, d.hit), True
        return d, False
    # problems keep the rules + classifier fusion; a problem the rules found outranks the heads' item. Round 54: the
    # written-set classifier alone makes no English problem here (real talk: "I like cats because they are
    # independent", "Mine's not quite as complicated as all that" — 6 of 45 problems on QMSum, SBCSAE and Zoom, none
    # a difficulty; on the written EN rows the rules alone score the same problem F1 as the fusion)
    pd = fuse({"problem": hits["problem"]}, {"problem": proba["problem"]} if proba and "problem" in proba else None, cfg)
    if pd is not None and pd.hit is not None and (d is None or pd.confidence > d.confidence):
        return pd, False
    if d is None and cfg.action_rule_floor is not None:  # the rule's commitment the heads doubt: listed to check
        hit = hits.get("action")
        cut_off = sent.text.rstrip()[-1:] in ("-", "=", "—")  # "i'll take ==": no task that stands on its own
        if hit is not None and not hit.veto and not cut_off and probs.get("action", 0.0) >= cfg.action_rule_floor:
            return Decision("action", probs["action"], LOW_HEAD, hit), True
    return (d, True) if d is not None else (None, False)


def punctuated_floor(d: Optional[Decision], calibrated: bool, *, bare: bool) -> tuple[Optional[Decision], bool]:
    """:func:`decide`'s result, less a :data:`~.rules.LOW_HEAD` item of an utterance read as bare: the floor reads
    text written with punctuation only (round 34: on bare held-out acts it added more false MRDA items than right)."""
    return (None, False) if bare and d is not None and d.method == LOW_HEAD else (d, calibrated)


def assignment(sent: Sentence, d: Optional[Decision], p_assign: Optional[float], threshold: float,
               session: Session, speaker: str, receiver: Optional[str],
               called: tuple[str, ...] = ()) -> Optional[tuple[Decision, Assignee, bool]]:
    """A task assigned to someone else: the action item that replaces a recommendation (or no item).

    English with the assignment head: its calibrated probability ``p_assign`` reaches its
    threshold (the head tells a task from advice), or, in a group, the sentence hands out a
    task plainly (:func:`~.assign.clear_assignment`: "you're gonna work on…", "the I_D_ will
    do…"; the head, trained on AMI's links, misses many of these); otherwise (Russian, or no head) the
    model-free :func:`~.assign.assignment_rule`. Either way the sentence must name an assignee
    other than the speaker (:func:`~.assign.assignment_target`). A problem, or an action item
    the heads already found, is left as it is. Returns the decision, the assignee and whether
    the confidence is calibrated. A task handed over in so many words (:func:`~.assign.handed_over`: "your homework is
    to…", "I'd like you to write…"; round 44) is plain in a pair too, and so is an imperative with a deadline there
    ("Before next session, try the shortcuts I showed you."). Between two people it must be a firm task
    (:func:`~.assign.firm_task`: "you'll…", a deadline), not advice ("you should…"). In a group, a task with a
    due date for a participant named as its subject or called by name (``called``,
    :func:`~.addressee.call`) is handed out plainly too (:func:`~.assign.dated_task`: "Lee is going to
    call the supplier on Monday", "Sam, can you send the report by Friday?").
    """
    handed = sent.language != "ru" and handed_over(sent.text)
    if d is not None and d.kind not in ("recommendation",) and d.method != LOW_HEAD and not (
            d.kind == "action" and d.hit is None and handed):  # the heads' "I want you to…" is not the speaker's
        return None
    use_head = p_assign is not None and sent.language != "ru"
    group = len(session.participants) > 2
    named = named_owners(sent, session, speaker)
    dated_imperative = not group and sent.language != "ru" and en_dated_imperative(sent) is not None
    plain = not group and (handed or dated_imperative)
    clear = use_head and ((group and (clear_assignment(sent.text) or (bool(named or called) and dated_task(sent))))
                          or handed or plain)
    if use_head:
        if p_assign < threshold and not clear:  # type: ignore[operator]
            return None
    elif not (assignment_rule(sent.text) or (group and bool(named or called) and dated_task(sent))):
        return None
    parts = [(p.id, p.name) for p in session.participants]
    target = assignment_target(sent.text, parts, speaker, receiver, named, called)
    if target is None and plain and receiver is not None:  # "Homework: watch…", "Do me a favour and send me…"
        target = Assignee(receiver, (receiver,), "addressee")
    elif target is None and group and handed and handed_to_group(sent.text):  # "Homework for everyone: watch…"
        target = Assignee(None, tuple(p for p, _ in parts if p != speaker), "group")
    if target is None or not firm_task(sent.text, target.how, pair=len(parts) <= 2, dated_imperative=dated_imperative):
        return None
    if describes_or_runs_meeting(sent, parts, speaker, receiver):  # "we've got the Marketing Expert for…", "speak first"
        return None
    if use_head:
        return Decision("action", float(p_assign), "assignment", None), target, True  # type: ignore[arg-type]
    conf = d.confidence if d is not None else 0.5
    return Decision("action", conf, "assignment-rule", None), target, d is not None and d.method.startswith("head")


#: verbs that frame the task verb after them rather than own a deadline ("by Friday I have to send…", «завтра
#: постараюсь прислать»)
_FRAME_VERBS = frozenset({"have", "need", "want", "go", "get", "try", "plan", "mean", "hope", "promise", "постараться",
                          "обещать", "пообещать", "собираться", "планировать", "мочь", "смочь", "хотеть", "надо", "нужно"})


#: a new clause between a due expression and the task («закончить бюджет к среде, поэтому шаблон попробую…»: round 43)
_NEXT_CLAUSE = re.compile(r"[,;—–]\s*(?:поэтому|так что|а потом|потом|затем|so|and then|then)(?![\w-])", re.IGNORECASE)


def own_due(sent: Sentence, task_at: Optional[int], due: Optional[Due], session_date: Optional[_dt.date],
            interval: int) -> Optional[Due]:
    """The due expression of the task that starts at ``task_at`` (round 38): ``due`` (the sentence's first), unless it
    comes before the task and a verb of another clause stands between them («завтра звоню в зерно…, вы создаёте чаты
    и смотрите каналы»: «завтра» is the call's), or a new clause opens between them («…к среде, поэтому шаблон
    попробую…»; round 43); then the first due expression from the task on, else none."""
    if due is None or task_at is None or due.char_end > task_at:
        return due
    if not any(due.char_end <= t.idx < task_at and t.pos == "VERB" and t.lemma.casefold() not in _FRAME_VERBS
               for t in sent.tokens) and not _NEXT_CLAUSE.search(sent.text[due.char_end:task_at]):
        return due
    later = find_due(sent.text[task_at:], session_date=session_date, meeting_interval_days=interval)
    return None if later is None else Due(text=later.text, char_start=later.char_start + task_at,
                                          char_end=later.char_end + task_at, date=later.date)


def _in_context(d: Optional[Decision], calibrated: bool, *, story: bool,
                informal: bool, now: bool = False) -> tuple[Optional[Decision], bool]:
    """:func:`decide`'s result, less a recommendation or an action item in a story's quoted words (``story``), a
    recommendation in informal talk (``informal``: no advice to the listener) and an action item said now, in the
    meeting (``now``: "let me tell you how I prepare…", :func:`~.actions.said_now`; round 44, after the decision, so
    that the heads' inputs stay as trained)."""
    if d is not None and ((story and d.kind in ("recommendation", "action")) or (informal and d.kind == "recommendation")
                          or (now and d.kind == "action")):
        return None, False
    return d, calibrated


#: the rule of a commitment made in a word to the other's request or advice ("Will do.", «Запишусь.»; round 43)
IN_A_WORD = "in_a_word"


def in_a_word(sent: Sentence, i: int, speakers: Sequence[str], parsed: Sequence[Sequence[Sentence]],
              advice: dict[int, list[Sentence]], hits: dict[str, Optional[RuleHit]], heads: Any,
              row: Optional[np.ndarray], handed: Optional[dict[int, list[ActionItem]]] = None,
              ) -> tuple[Optional[Decision], bool]:
    """An action item for a sentence no rule or head listed that commits in a word to the request or the advice of
    the other person just before (:func:`~.accept.commits_in_a_word`: "Sign up for the course before the end of the
    month." — "Will do."; «Отправьте клиенту итоги до пятницы.» — «Отправлю.»), when that request or advice gives the
    task its words (:func:`~.accept.accepted_task`). Its confidence is the heads' action probability of the sentence
    (calibrated; under ``extraction.check_below`` it is to check), absent without the heads. ``(None, False)`` otherwise,
    and when that utterance already made an action item of the speaker's (``handed``: utterance → its action items;
    "Send me the timeline by the end of the month." is Maya's task before she says "Will do."; round 44)."""
    k = other_before(speakers[i], speakers, i)
    if k is None or _handed_to(speakers[i], (handed or {}).get(k, ())) or not commits_in_a_word(sent, parsed[k]):
        return None, False
    if any(s.text.rstrip()[-1:] in ("-", "=", "—") for s in parsed[k]):  # cut off: nothing whole to take
        return None, False
    taken = accepted_task(sent, sent.text, speakers[i], speakers, parsed, i, advice)
    if taken is None or not _opens_with_verb(taken[0], parsed[k], sent.language):
        return None, False
    hit = RuleHit("action", 0.0, IN_A_WORD, owner="speaker", task_start=0)
    if heads is None or row is None:
        return Decision("action", 0.5, IN_A_WORD, hit), False
    _d, probs = head_decision(heads, row, hits, lexical=sent.language == "en")
    return Decision("action", probs.get("action", 0.0), IN_A_WORD, hit), True


def _handed_to(speaker: str, items: Sequence[ActionItem]) -> Optional[ActionItem]:
    """The last of ``items`` (an utterance's action items) that is ``speaker``'s to do, or ``None``."""
    return next((a for a in reversed(items) if a.owner == speaker or (a.owner is None and speaker in a.owners)), None)


def _opens_with_verb(task: str, said: Sequence[Sentence], language: str) -> bool:
    """Whether the task taken from the other's words opens with a verb: a thing to do, not a description taken up
    ("maybe every group has somewhere hidden…" — "we can do that": a real meeting's read, round 43). English: the
    word is a verb where it was said; Russian: the dictionary's likeliest reading of it is a verb (the words were put
    in the first person)."""
    first = next(iter(task.split()), "").strip(",.;:!?").casefold()
    if not first:
        return False
    if language == "ru":
        from sessionscope.language.morph import morph

        try:
            parses = morph().parse(first)
        except ImportError:
            return False
        return bool(parses) and parses[0].tag.POS in ("VERB", "INFN")
    return any(t.lower == first and (t.pos in ("VERB", "AUX") or imperative_read_as_noun(s, k))
               for s in said for k, t in enumerate(s.tokens))


def _source_due(task: str, sents: Sequence[Sentence], cfg: ExtractionConfig,
                session: Session) -> tuple[str, Optional[Due]]:
    """The due expression of the request or advice a commitment in a word takes (the last of ``sents``, the other
    person's utterance, that has one), and ``task`` without it when the advice's words kept it."""
    for said in reversed(sents):
        due = find_due(said.text, session_date=session.date, meeting_interval_days=cfg.meeting_interval_days)
        if due is not None:
            return without_due(task, due.text), due
    return task, None


def _without_own_clause(task: str, sent: Sentence) -> str:
    """A Russian task handed to the listener without the speaker's own clause after a comma («пришлите до вторника, в
    среду дам комментарии» → «пришлите»; round 44): cut at the first comma that opens a clause whose first-person verb
    (the tagger's reading, or the dictionary's likeliest: the tagger reads «дам» as a preposition) comes within its
    first three words."""
    from sessionscope.language.morph import first_person_verb_likely

    by_text = {t.lower: t for t in reversed(sent.tokens)}

    def first_person(word: str) -> bool:
        tok = by_text.get(word.casefold())
        return (tok is not None and tok.pos in ("VERB", "AUX") and tok.feats.get("Person") == "1") or \
            first_person_verb_likely(word)

    for m in re.finditer(r",\s*", task):
        if any(first_person(w) for w in re.findall(r"[\w-]+", task[m.end():])[:3]):
            return task[:m.start()]
    return task


def _without_owner_named(task: str, owner: Optional[str], session: Session, language: str) -> str:
    """An English task phrase without its owner named as its subject (:func:`~.actions.without_owner_subject`), by the
    words the owner goes by: the name, its first word, the id and the id's words ("Industrial Designer" for
    ``industrial-designer``)."""
    if owner is None or language == "ru":
        return task
    try:
        name = session.participant(owner).name or ""
    except KeyError:
        name = ""
    words = (name, name.split()[0] if name.split() else "", owner, owner.replace("-", " "))
    return without_owner_subject(task, [w for w in words if w])


def _task_and_due(sent: Sentence, hit: RuleHit, due: Optional[Due], cfg: ExtractionConfig, session: Session,
                  speakers: Sequence[str], parsed: Sequence[Sequence[Sentence]], i: int,
                  advice: dict[int, list[Sentence]], owner: Optional[str] = None,
                  handed: Optional[dict[int, list[ActionItem]]] = None) -> tuple[str, Optional[Due]]:
    """An action item's task phrase and due expression; a task accepted in a word ("Could you prepare a guide for my
    team?" — "Sure, I will.") takes the request's words, and its due expression when the acceptance says none; advice
    taken up in a word ("You should block two hours every Monday." — "Okay, I'll try that.") takes the advice's. A
    Russian task the speaker hands to ``owner``, someone else, has its verbs to "вы" / "ты" in the infinitive
    («Посмотрите каналы продаж» → «посмотреть каналы продаж»; round 43)."""
    first = due
    due = own_due(sent, hit.task_start, due, session.date, cfg.meeting_interval_days)
    task = task_phrase(sent, hit, max_words=cfg.max_task_words)
    if due is not None and first is not None and due.char_start != first.char_start:  # a later due: not in the task
        task = without_due(task, due.text)
    speaker = session.utterances[i].speaker
    if sent.language == "ru" and owner is not None and owner != speaker:
        from sessionscope.language.morph import task_for_listener

        opening = task.split(maxsplit=1)[0] if task.split() else ""
        wished = bool(opening) and re.search(rf"чтобы\s+(?:вы|ты)\s+{re.escape(opening)}", sent.text, re.I) is not None
        return task_for_listener(_without_own_clause(task, sent), wished=wished), due
    gender = None
    if sent.language == "ru":  # a verb in the past said to the one who accepts agrees with them (round 41)
        from sessionscope.language.morph import russian_gender

        try:
            gender = russian_gender(session.participant(speaker).name)
        except KeyError:  # a speaker the session does not name: no gender
            pass
    accepted = accepted_task(sent, task, speaker, speakers, parsed, i, advice, gender)
    if accepted is None:
        # "One thing for you to do: set up two-factor authentication." — "Done, I'll do it tonight.": the task handed
        # to the speaker just before, said again (the two items then merge; round 44)
        k = other_before(speaker, speakers, i)
        given = _handed_to(speaker, handed.get(k, ())) if handed and k is not None and elliptic(task, sent) else None
        return (given.task if given is not None else task), due
    if due is None and accepted[1] is not None:
        due = find_due(accepted[1].text, session_date=session.date, meeting_interval_days=cfg.meeting_interval_days)
    if due is None and hit.rule == IN_A_WORD and (k := other_before(speaker, speakers, i)) is not None:
        return _source_due(accepted[0], parsed[k], cfg, session)
    return accepted[0], due


#: the closing part of a session where a pair fixes its next meeting: its last third, at least the last
#: ``AGREED_TAIL_MIN`` and at most the last ``AGREED_TAIL_UTTERANCES`` utterances
AGREED_TAIL_MIN, AGREED_TAIL_UTTERANCES = 10, 40


def agreed_interval(session: Session, parsed: Sequence[Sequence[Sentence]],
                    cfg: ExtractionConfig) -> tuple[ExtractionConfig, Optional[dict[str, Any]]]:
    """``cfg`` with ``meeting_interval_days`` set to the days until the next meeting the pair agreed on in the session's
    closing part (:func:`~.dates.agreed_next_meeting`: "Same time in two weeks, on the eighth of December?"), else
    ``cfg`` as it is; and what "the next meeting" resolved to, for the provenance (``None`` without a session date:
    no due date is resolved then)."""
    if session.date is None:
        return cfg, None
    n = len(parsed)
    tail = parsed[n - min(AGREED_TAIL_UTTERANCES, max(AGREED_TAIL_MIN, n // 3)):] if n else []
    day = agreed_next_meeting([s.text for sents in tail for s in sents], session.date)
    if day is not None:
        cfg = cfg.model_copy(update={"meeting_interval_days": (day - session.date).days})
    return cfg, {"date": (session.date + _dt.timedelta(days=cfg.meeting_interval_days)).isoformat(),
                 "from": "agreed in the session" if day is not None else "extraction.meeting_interval_days"}


def extract_items(
    session: Session,
    parsed: Sequence[Sequence[Sentence]],
    proba: Optional[Sequence[Sequence[Optional[dict[str, float]]]]],
    cfg: ExtractionConfig,
    dyn: DynamicsConfig,
    heads: Any = None,
    head_logits: Optional[Sequence[Sequence[np.ndarray]]] = None,
    task_encoder: Any = None,
    assign_threshold: Optional[float] = None,
) -> dict[str, tuple[Any, ...]]:
    """Build the four item lists from parsed sentences and (optional) classifier output.

    Args:
        session: the session (utterances, participants, date, topics).
        parsed: for each utterance, its parsed sentences.
        proba: for each utterance and sentence, ``{kind: probability}`` or ``None``.
        heads: the dialogue-act heads (:class:`~.heads.ActHeads`) and ``head_logits`` their raw
            scores per utterance and sentence; ``None``: rules + classifier decide everything.
        task_encoder: embeds task phrases to merge duplicate action items (``None``: exact text only).
        assign_threshold: the assignment head's threshold; when set, tasks assigned to someone else
            become their action items (:func:`assignment`; English: the head's probability, the last
            column of ``head_logits``; Russian: the model-free rule). ``None``: no assignment step.
    """
    areas = area_by_utterance(session)
    # a story's quoted words ("and I was like, | just leave it"): no advice or commitment of the speaker's
    quoted = quoted_by_frame([u.speaker for u in session.utterances], parsed)
    # informal talk: a line finishing the clause the line before left open, a generic "then you have to…", a step of
    # a narration ("and then I load it | go to the recordings | and then…"): no advice to the listener
    informal = informal_context([u.speaker for u in session.utterances], parsed)
    # the speaker's own side's plan ("we'd need to make sure…" answering "how will you…?"): no advice to the listener
    informal.update(own_side_context([u.speaker for u in session.utterances], parsed))
    # a habit told ("a lot of times, | like I'll get done, | and I'll look at…"): no commitment of the speaker's
    habitual = habitual_context([u.speaker for u in session.utterances], parsed)
    rec_check_below = cfg.recommendation_check_below
    speakers = [u.speaker for u in session.utterances]
    names = tuple(sorted({w for p in session.participants for w in ((p.name or "").split()[:1] + [p.id])}))
    firsts = frozenset(w.casefold() for w in names)
    advice: dict[int, list[Sentence]] = {}
    handed: dict[int, list[ActionItem]] = {}  # utterance → the action items made of it
    recs: list[Recommendation] = []
    acts: list[ActionItem] = []
    probs: list[tuple[int, str, Sentence, Decision]] = []
    solutions: list[tuple[int, str, str, str]] = []
    for i, (utt, sents) in enumerate(zip(session.utterances, parsed, strict=True)):
        if "hallucination" in utt.flags:
            continue
        receiver = other_participant(session, i)
        bare = is_bare(utt.text)  # a recogniser's text without punctuation or capitals
        # a task handed to "you" in a group is for the next other speaker (the one told answers), not the previous
        assignee = task_addressee(session, i, receiver)
        # the other one's question just before, which may offer to show the speaker something (round 42)
        offer = parsed[i - 1][-1] if i > 0 and parsed[i - 1] and speakers[i - 1] != utt.speaker else None
        for j, sent in enumerate(sents):
            if farewell(sent.text, names):  # "Talk to you next time.", «Хороших выходных!»: no advice, no task (round 44)
                continue
            # the participants called by name ("Sam, you should…"): the "you" of this sentence, in a group
            called, after_call = call(sent.text, session, utt.speaker) if len(session.participants) > 2 else ((), 0)
            told = called[0] if len(called) == 1 else assignee
            hits = {kind: rule(sent) for kind, rule in RULES.items()}
            p = proba[i][j] if proba is not None else None
            row = head_logits[i][j] if head_logits is not None else None
            d, calibrated = punctuated_floor(*decide(sent, hits, p, heads, row, cfg), bare=bare)
            story = (i, j) in quoted and sent.language == "en"
            d, calibrated = _in_context(d, calibrated, story=story, informal=(i, j) in informal, now=said_now(sent))
            if d is None and not story:  # "Will do." to the other's request or advice (round 43)
                d, calibrated = in_a_word(sent, i, speakers, parsed, advice, hits, heads, row, handed)
            width = getattr(heads, "row_width", len(heads.labels)) if heads is not None else 0
            p_assign = float(row[width]) if row is not None and heads is not None and len(row) > width else None
            assigned = None if assign_threshold is None or story else \
                assignment(sent, d, p_assign, assign_threshold, session, utt.speaker, told, called)
            if assigned is not None:
                d, target, calibrated = assigned
            elif d is not None and d.kind == "action" and ((i, j) in habitual or not_promised(sent)):
                continue  # a habit told, "and then I can…", "I'll give it a two": no commitment
            if d is None:
                continue
            area = areas.get(utt.id)
            if d.kind == "recommendation":
                rid = f"rec-{len(recs) + 1:03d}"
                shown, at, to = advice_text(utt.text, sents, j)  # "Try that for a week." with what "that" is
                recs.append(Recommendation(
                    id=rid, utterance_id=utt.id, start=utt.start, giver=utt.speaker,
                    receiver=advice_receiver(session, i, sent.text, receiver, called=called),  # None: the group
                    text=shown, area=area, confidence=round(d.confidence, 3) if calibrated else None,
                    char_start=at, char_end=to, method=d.method,
                    to_check=calibrated and d.confidence < rec_check_below,
                    procedure=meeting_procedure(sent),
                    request=own_request(sent) or (offer is not None and chooses_from_offer(offer, sent)),
                ))
                solutions.append((i, "recommendation", utt.speaker, rid))
                _keep_advice(advice, i, sent, recs[-1])
            elif d.kind == "action":
                if assigned is not None:
                    owner, owners = target.owner, target.owners
                else:
                    owner, owners = _item_owner(sent, d.hit, session, utt.speaker, receiver, told, called)
                due = find_due(sent.text, session_date=session.date, meeting_interval_days=cfg.meeting_interval_days)
                hit = d.hit or RuleHit("action", d.confidence, "classifier")
                if after_call and (hit.task_start is None or hit.task_start < after_call):  # "Sam, you'll send…"
                    hit = replace(hit, task_start=after_call + task_start(sent.text[after_call:], sent.language))
                task, due = _task_and_due(sent, hit, due, cfg, session, speakers, parsed, i, advice, owner, handed)
                task = person_named(task, speakers, parsed, i, sent.language, firsts)  # «напишу ей» (round 45)
                task = _without_owner_named(task, owner, session, sent.language)  # "Lee is going to call…" (round 52)
                aid = f"act-{len(acts) + 1:03d}"
                acts.append(ActionItem(
                    id=aid, utterance_id=utt.id, start=utt.start, owner=owner,
                    task=task, due_text=due.text if due else None,
                    due_date=due.date if due else None, confidence=round(d.confidence, 3) if calibrated else None,
                    area=area, char_start=sent.start_char, char_end=sent.end_char, method=d.method, owners=owners,
                    to_check=calibrated and d.confidence < cfg.check_below, in_meeting=in_meeting_move(sent),
                ))
                solutions.append((i, "action", utt.speaker, aid))
                handed.setdefault(i, []).append(acts[-1])
            else:
                probs.append((i, utt.speaker, sent, d))
    # a recap handing out several tasks in one sentence: one item per task (round 43)
    acts = recap_items(session, parsed, acts, cfg, areas, heads, head_logits,
                       skip=frozenset(k for k in quoted | habitual if parsed[k[0]][k[1]].language == "en"))
    acts = dated_conjuncts(session, parsed, acts, cfg)  # two tasks with a deadline each in one sentence (round 45)
    acts = offer_items(session, parsed, acts, cfg, areas, heads, head_logits)  # an offer taken up (round 45)
    acts, settled = renegotiated(session, parsed, acts, cfg, heads, head_logits, areas)  # a deadline agreed (round 46)
    acts, called_off = refused(session, parsed, acts, cfg)  # "Could you…?" — "No, sorry, I can't." (round 46)
    offered = {(a.utterance_id, a.char_start) for a in acts if a.method == "offer"}
    # "I could introduce you…", "Friday at the latest, please.", "Actually, forget the slides.": no advice
    dropped = {r.id for r in recs if (r.utterance_id, r.char_start) in offered | settled | called_off}
    recs = [r for r in recs if r.id not in dropped]
    solutions = [x for x in solutions if x[3] not in dropped]
    acts, merged = merge_duplicate_actions(acts, task_encoder, cfg.merge_similarity)
    if assign_threshold is not None:  # verbless hand-outs in a group: "Marketing, the user requirement specification"
        acts = [*acts, *handout_items(session, parsed, acts, areas)]
    solutions = [(i, kind, who, merged.get(sid, sid)) for i, kind, who, sid in solutions]
    problems = []
    talk = [word_count(u.text) for u in session.utterances] if probs else []
    for n, (i, speaker, sent, _d) in enumerate(probs, 1):
        utt = session.utterances[i]
        sol = link_solutions(i, speaker, solutions, last=solution_reach(
            i, talk, utterances=cfg.problem_window_utterances, within_words=cfg.problem_window_words))
        problems.append(Problem(
            id=f"prob-{n:03d}", utterance_id=utt.id, start=utt.start, raiser=speaker, text=sent.text,
            solved=bool(sol), solution_ids=sol, area=areas.get(utt.id), confidence=None,
        ))
    events = session_questions(session, dyn)  # the dynamics' own call, so counts agree
    starts = {u.id: u.start for u in session.utterances}
    questions = tuple(
        Question(
            id=f"q-{n:03d}", utterance_id=e.utterance_id, start=starts.get(e.utterance_id), asker=e.asker,
            addressee=e.addressee, text=e.text, answered=e.answered, answer_utterance_id=e.answer_utterance_id,
            area=areas.get(e.utterance_id), confidence=None if e.confidence is None else round(e.confidence, 3),
            method="rule" if e.confidence is None else "head",
            to_check=e.confidence is not None and e.confidence < cfg.check_below,
            confirmation_tag=e.confirmation_tag,
        )
        for n, e in enumerate(events, 1)
    )
    return {"recommendations": tuple(recs), "action_items": tuple(acts), "questions": questions, "problems": tuple(problems)}


def _keep_advice(advice: dict[int, list[Sentence]], i: int, sent: Sentence, rec: Recommendation) -> None:
    """Keep utterance ``i``'s advice another may take up in a word ("Okay, I'll try that."): not a request, not
    procedure. Advice to check goes first, so "I'll try that" takes the last advice likelier right (round 38)."""
    if not (rec.request or rec.procedure):
        said = advice.setdefault(i, [])
        said.insert(0 if rec.to_check else len(said), sent)


def merge_duplicate_actions(acts: list[ActionItem], encoder: Any, similarity: float) -> tuple[list[ActionItem], dict[str, str]]:
    """Drop later action items that repeat an earlier one of the same owner (same task, said again).

    Two tasks are the same when their lower-cased phrases are equal or, with an
    ``encoder``, their embeddings' cosine is at least ``similarity``. The first mention
    is kept (with the later due date if it had none, and the higher confidence).
    Returns the kept items and ``{dropped id: kept id}``.
    """
    if len(acts) < 2:
        return acts, {}
    vecs = None
    if encoder is not None:
        vecs = np.asarray(encoder.encode([a.task for a in acts]), dtype=np.float32)
    kept: list[int] = []
    out: list[ActionItem] = []
    merged: dict[str, str] = {}
    for i, a in enumerate(acts):
        dup = None
        for n, j in enumerate(kept):
            b = acts[j]
            if a.owner != b.owner or a.owners != b.owners:
                continue
            same = a.task.casefold() == b.task.casefold() or (vecs is not None and float(vecs[i] @ vecs[j]) >= similarity)
            if same:
                dup = n
                break
        if dup is None:
            kept.append(i)
            out.append(a)
            continue
        merged[a.id] = out[dup].id
        first = out[dup]
        if first.due_date is None and first.due_text is None and a.due_text is not None:
            first = replace(first, due_text=a.due_text, due_date=a.due_date)
        if a.confidence is not None and first.confidence is not None and a.confidence > first.confidence:
            first = replace(first, confidence=a.confidence, to_check=a.to_check)
        out[dup] = first
    return out, merged


class ExtractionStage:
    """Pipeline stage: fills recommendations, action items, questions and problems.

    Args:
        cfg: extraction settings.
        dynamics: the dynamics settings (question/answer detection must match the metrics).
        classifier: a :class:`~sessionscope.analysis.extract.classifier.LinearClassifier`
            (injected in tests); ``None`` loads the configured one lazily.
        encoder: an object with ``encode(texts) -> ndarray`` (injected in tests).
    """

    name: ClassVar[str] = "extraction"
    requires: ClassVar[tuple[str, ...]] = ("utterances", "words")
    assigns: ClassVar[tuple[str, ...]] = ("recommendations", "action_items", "questions", "problems")

    def __init__(self, cfg: ExtractionConfig | None = None, dynamics: DynamicsConfig | None = None, *,
                 classifier: Any = None, encoder: Any = None) -> None:
        self.cfg = cfg or ExtractionConfig()
        self.dynamics = dynamics or DynamicsConfig()
        self._classifier = classifier
        self._encoder = encoder
        self._heads: Any = None
        self._assign: Any = None
        self._tagger: Any = None  # the English act tagger (.tagger), once loaded; False: not used here
        # the last result of each of `probabilities` / `head_logits`, keyed by everything it reads (see _reuse)
        self._last: dict[str, tuple[Any, Any]] = {}

    @classmethod
    def from_config(cls, config: Config) -> ExtractionStage:
        return cls(config.extraction, config.dynamics)

    def _model(self) -> tuple[Any, Any]:
        if self._classifier is None and self.cfg.classifier and self.cfg.classifier.lower() != "none":
            from sessionscope.analysis.extract.classifier import bundled_classifier_path, load_classifier

            path = bundled_classifier_path() if self.cfg.classifier == "bundled" else self.cfg.classifier
            self._classifier = load_classifier(path)
        if self._classifier is not None and self._encoder is None:
            from sessionscope.language.embeddings import get_encoder

            self._encoder = get_encoder(self._classifier.encoder)
        return self._classifier, self._encoder

    def _act_heads(self) -> Any:
        name = self.cfg.dialogue_act_heads
        if self._heads is None and name and name.lower() != "none":
            from sessionscope.analysis.extract.heads import bundled_act_heads

            self._heads = bundled_act_heads(None if name == "bundled" else name)
            if name == "bundled":
                from sessionscope.analysis.extract.assign import bundled_assignment_head

                self._assign = bundled_assignment_head()
        return self._heads

    def _act_tagger(self, heads: Any) -> Any:
        """The English act tagger (:mod:`.tagger`) when configured, loadable here and fitted with ``heads``; else ``None``."""
        name = self.cfg.act_tagger
        if self._tagger is None:
            self._tagger = False
            if name and name.lower() != "none" and getattr(heads, "lexical", None) is not None:
                from sessionscope.analysis.extract.heads import fingerprint, lexical_fingerprint
                from sessionscope.analysis.extract.tagger import bundled_act_tagger, named_act_tagger

                # the bundled tagger falls back (logged) where its packages are missing; a file named in the config raises
                tagger = bundled_act_tagger() if name == "bundled" else named_act_tagger(name)
                meta = tagger.file.meta if tagger is not None else {}
                if tagger is None or tagger.file.stack is None:
                    pass
                elif meta.get("mlp_heads") != fingerprint(heads) or meta.get("lexical_head") != lexical_fingerprint(heads.lexical):
                    log.warning("act tagger not used: its stacker was fitted with other dialogue-act heads (heads %s / "
                                "lexical %s, these %s / %s); retrain it with `python benchmarks/train_act_tagger.py`",
                                meta.get("mlp_heads"), meta.get("lexical_head"), fingerprint(heads), lexical_fingerprint(heads.lexical))
                else:
                    self._tagger = tagger
        return self._tagger or None

    def _session_heads(self, session: Session) -> Any:
        """The dialogue-act heads for ``session`` (also kept as ``self._heads``): from the first session that is not
        Russian on, with the act tagger's stacker attached when the tagger runs here. The tagger learned English
        meetings and its stacker decides English sentences only (:func:`head_decision`); a Russian session's rows
        carry zeros in its columns, and a Russian-only batch never loads it."""
        heads = self._act_heads()
        if heads is None or getattr(heads, "tagger", None) is not None or session.language == "ru":
            return heads
        if self._act_tagger(heads) is not None:
            from dataclasses import replace

            self._heads = heads = replace(heads, tagger=self._tagger.file.stack)
        return heads

    def _tagger_provenance(self, session: Session) -> Optional[dict[str, Any]]:
        """What ``extra["extraction"]["act_tagger"]`` says: ``None`` when the tagger's stacker did not decide."""
        heads = self._session_heads(session)
        stack = getattr(heads, "tagger", None)
        if stack is None or session.language == "ru":
            return None
        meta = self._tagger.file.meta
        return {"trained": meta.get("trained"), "rank": meta.get("rank"), "kinds": list(stack.kinds),
                "thresholds": dict(zip(stack.kinds, map(float, stack.thresholds), strict=True)),
                "onnx": self._tagger.meta.get("quantisation") or self._tagger.meta.get("precision"), "applies_to": "English sentences"}

    def _item_check(self) -> Any:
        """The second-stage check (:mod:`.check`; ``None`` when switched off or missing)."""
        name = self.cfg.item_check
        if not name or name.lower() == "none":
            return None
        from sessionscope.analysis.extract.check import bundled_item_check

        return bundled_item_check(None if name == "bundled" else name)

    def _procedure_model(self) -> Any:
        """The learned meeting-procedure flag (:mod:`.procedure`; ``None`` when its file is missing: the regex alone)."""
        from sessionscope.analysis.extract.procedure import bundled_procedure_model

        return bundled_procedure_model()

    @property
    def assign_threshold(self) -> Optional[float]:
        """The assignment head's threshold (``None`` without heads or without the bundled assignment head)."""
        return None if self._heads is None or self._assign is None else float(self._assign.threshold)

    def head_logits(self, session: Session, parsed: Sequence[Sequence[Sentence]]) -> Optional[list[list[np.ndarray]]]:
        """Raw dialogue-act head scores for every sentence (``None`` without heads).

        The context of every sentence is that of its utterance: the previous and next
        utterance and their speakers (the heads were trained on dialogue acts); in a Russian session none (each
        sentence as a written row, round 39: Russian items are decided by the rules and the written-set classifier,
        and their confidence is the heads' probability as measured on the written Russian rows). A row is
        :meth:`~.heads.ActHeads.scores` (MLP logits, then the lexical head's). With the
        assignment head, each row has one more value after the heads' scores: the calibrated
        probability that the sentence assigns a task (:mod:`.assign`).
        """
        heads = self._session_heads(session)
        if heads is None:
            return None
        from sessionscope.language.embeddings import get_encoder

        enc = self._encoder if self._encoder is not None and getattr(self._encoder, "name", heads.encoder) == heads.encoder \
            else get_encoder(heads.encoder)
        self._encoder = self._encoder or enc
        key = (_sentence_texts(parsed), tuple((u.text, u.speaker) for u in session.utterances), session.participants,
               session.language, id(heads), id(self._assign), id(enc))
        return self._reuse("head_logits", key, lambda: self._head_logits(heads, enc, session, parsed))

    def _reuse(self, what: str, key: Any, compute: Any) -> Any:
        """``compute()``, or its result for the same ``key`` when the previous call of ``what`` had it.

        The pipeline calls :meth:`probabilities` and :meth:`head_logits` ahead, on the splitter's
        sentences while the parse runs (:func:`sessionscope.pipeline._embed_while_parsing`); the
        stage's own calls then ask the same of the parsed sentences. Both read only the sentence
        texts (and, for the heads, the utterances' texts and speakers), which the parse keeps as
        the splitter gives them, and the embeddings come from the encoder's memo, so the result
        is the one computed ahead: it is taken as it is instead of scoring every sentence again.
        """
        last = self._last.get(what)
        if last is not None and last[0] == key:
            return last[1]
        value = compute()
        self._last[what] = (key, value)
        return value

    def _head_logits(self, heads: Any, enc: Any, session: Session,
                     parsed: Sequence[Sequence[Sentence]]) -> list[list[np.ndarray]]:
        from sessionscope.analysis.extract.heads import Turn, context_features, cue_features
        from sessionscope.analysis.extract.heads import spoken_forms as sp
        from sessionscope.analysis.extract.tagger import next_segment_text, segment_text

        utts = session.utterances
        group = len(session.participants) > 2
        reads_next = heads.tagger is not None and self._tagger is not None and self._tagger.reads_next
        rows, texts, dense, contexts = [], [], [], []
        segments: list[tuple[str, ...]] = []  # the tagger's inputs
        # Russian: each sentence is read without its neighbours (round 39), as the written Russian rows its confidence
        # was measured on; the English-trained heads read Russian context as a reason to doubt ("Я настрою фильтр до
        # пятницы…" 0.95 alone, 0.31 in a call), and context ranked the Russian example's right items no better
        # (benchmarks/results/r39_ru_context_{before,after}.json)
        alone = session.language == "ru"
        for i, sents in enumerate(parsed):
            # every text the heads read goes through spoken_forms ("gonna" read as "going to", round 31)
            prev = Turn(sp(utts[i - 1].text), utts[i - 1].speaker) if i > 0 and not alone else None
            nxt = Turn(sp(utts[i + 1].text), utts[i + 1].speaker) if i + 1 < len(utts) and not alone else None
            ctx = context_features(prev, utts[i].speaker, nxt)
            for j, s in enumerate(sents):
                # a sentence opened by a call ("Sam, we will…") is read as said without it: the corpora's vocatives
                # are acts of their own, and the heads learned no names (round 32)
                after_call = call(s.text, session, utts[i].speaker)[1] if group else 0  # split or parsed alike
                said = s.text[after_call:]
                text = sp(said[:1].upper() + said[1:] if after_call else said)
                rows.append((i, j))
                texts.append(text)
                dense.append(np.concatenate([cue_features(text), ctx]))
                contexts.append((prev, utts[i].speaker, nxt))
                if heads.tagger is not None:  # the tagger's context: the act before (this turn's sentence, or the last turn's end)
                    if j > 0:
                        seg = segment_text(sp(sents[j - 1].text), True)
                    elif i > 0:
                        last = parsed[i - 1][-1].text if parsed[i - 1] else utts[i - 1].text
                        seg = segment_text(sp(last), utts[i - 1].speaker == utts[i].speaker)
                    else:
                        seg = segment_text(None, False)
                    if reads_next:  # and the act after (this turn's next sentence, or the next turn's start)
                        if j + 1 < len(sents):
                            after = next_segment_text(sp(sents[j + 1].text), True)
                        elif i + 1 < len(utts):
                            first = parsed[i + 1][0].text if parsed[i + 1] else utts[i + 1].text
                            after = next_segment_text(sp(first), utts[i + 1].speaker == utts[i].speaker)
                        else:
                            after = next_segment_text(None, False)
                        segments.append((seg, text, after))
                    else:
                        segments.append((seg, text))
        width = heads.row_width + (self._assign is not None)
        out: list[list[np.ndarray]] = [[np.zeros(width)] * len(sents) for sents in parsed]
        if texts:
            emb = np.asarray(enc.encode(texts))
            z = heads.scores(texts, emb, np.stack(dense), contexts)
            if heads.tagger is not None:  # (a Russian session: zeros, never read)
                zt = np.zeros((len(texts), 3)) if session.language == "ru" else self._tagger.logits(segments)
                z = np.concatenate([z, zt], axis=1)
            if self._assign is not None:
                from sessionscope.analysis.extract.assign import assignment_cues

                pa = self._assign.proba(emb, np.stack(dense), np.stack([assignment_cues(t) for t in texts]))
                z = np.concatenate([z, pa[:, None]], axis=1)
            for (i, j), row in zip(rows, z, strict=True):
                out[i][j] = row
        return out

    def probabilities(self, parsed: Sequence[Sequence[Sentence]]) -> Optional[list[list[Optional[dict[str, float]]]]]:
        """Classifier probabilities for every sentence long enough to judge (``None`` without a classifier)."""
        clf, enc = self._model()
        if clf is None:
            return None
        return self._reuse("probabilities", (_sentence_texts(parsed), id(clf), id(enc), self.cfg.classifier_min_words),
                           lambda: self._probabilities(clf, enc, parsed))

    def _probabilities(self, clf: Any, enc: Any,
                       parsed: Sequence[Sequence[Sentence]]) -> list[list[Optional[dict[str, float]]]]:
        from sessionscope.analysis.extract.heads import spoken_forms

        todo = [(i, j, spoken_forms(s.text)) for i, sents in enumerate(parsed) for j, s in enumerate(sents)
                if word_count(s.text) >= self.cfg.classifier_min_words]
        out: list[list[Optional[dict[str, float]]]] = [[None] * len(sents) for sents in parsed]
        if todo:
            p = clf.predict_proba(np.asarray(enc.encode([t for _, _, t in todo])))
            for (i, j, _), row in zip(todo, p, strict=True):
                out[i][j] = {k: float(v) for k, v in zip(clf.labels, row, strict=True)}
        return out

    def finish_items(self, session: Session, parsed: Sequence[Sequence[Sentence]], items: dict[str, tuple[Any, ...]],
                     logits: Any) -> tuple[dict[str, tuple[Any, ...]], list[dict[str, Any]]]:
        """:func:`extract_items`' lists as the session gets them: English recommendations' learned ``procedure``
        flag, the second-stage check's confidence (:func:`.check.apply_check`) and the items it finds under
        ``extraction.list_below`` left off the lists (:func:`.check.leave_out`; returned as the second value).
        Without the heads' logits (no English heads ran) the lists are returned as they are."""
        proc = self._procedure_model() if logits is not None else None
        if proc is not None:  # English recommendations' ``procedure`` from the learned flag (Russian: the regex's)
            from sessionscope.analysis.extract.procedure import apply_procedure
            from sessionscope.language.embeddings import get_encoder

            enc = self._encoder if getattr(self._encoder, "name", proc.encoder) == proc.encoder else get_encoder(proc.encoder)
            items = {**items, "recommendations": apply_procedure(proc, session, parsed, items["recommendations"], enc)}
        check = self._item_check() if logits is not None else None
        if check is None:
            return items, []
        from sessionscope.analysis.extract.check import apply_check, leave_out, rescored
        from sessionscope.language.embeddings import get_encoder

        enc = self._encoder if getattr(self._encoder, "name", check.encoder) == check.encoder else get_encoder(check.encoder)
        positions = rescored(check, session, parsed, items)
        items = apply_check(check, session, parsed, items, enc, self.cfg.item_check_below, positions)
        return leave_out(items, positions, self.cfg.list_below)

    def __call__(self, session: Session, *, hook: Any = None) -> Session:
        lang = session.language if session.language in ("en", "ru") else None
        parsed = parse_utterances([u.text for u in session.utterances], language=lang)  # bare text: see .bare
        if hook:
            hook("extraction: classifier")
        proba = self.probabilities(parsed)
        logits = self.head_logits(session, parsed)
        # "before our next meeting": the day the pair agreed on in the session, if it did
        cfg, next_meeting = agreed_interval(session, parsed, self.cfg)
        items = extract_items(session, parsed, proba, cfg, self.dynamics, heads=self._session_heads(session), head_logits=logits,
                              task_encoder=self._encoder if logits is not None else None, assign_threshold=self.assign_threshold)
        items, left_out = self.finish_items(session, parsed, items, logits)
        proc = self._procedure_model() if logits is not None else None
        check = self._item_check() if logits is not None else None
        from sessionscope.analysis.extract.check import calibration_provenance, rescored

        # the action items the check re-scored (English, with a calibrated confidence): the items its map applies to
        rescored_actions = [] if check is None else \
            [items["action_items"][n].id for n in rescored(check, session, parsed, items).get("action_items", ())]

        log.info("%s: %d recommendations, %d action items, %d questions, %d problems", session.id,
                 len(items["recommendations"]), len(items["action_items"]), len(items["questions"]), len(items["problems"]))
        clf = self._classifier
        extra = dict(session.extra)
        extra["extraction"] = {  # provenance, and the marker the flow stage checks
            "classifier": None if clf is None else {"encoder": clf.encoder, "trained": clf.meta.get("trained")},
            "dialogue_act_heads": None if self._heads is None else {"encoder": self._heads.encoder,
                                                                     "trained": self._heads.meta.get("trained"),
                                                                     "thresholds": dict(zip(self._heads.labels, map(float, self._heads.thresholds), strict=True))},
            "assignment_head": None if self.assign_threshold is None else {"encoder": self._assign.encoder,
                                                                           "trained": self._assign.meta.get("trained"),
                                                                           "threshold": self.assign_threshold},
            "item_check": None if check is None else {"trained": check.meta.get("trained"), "check_below": self.cfg.item_check_below,
                                                      "meaning": check.meta.get("meaning"),
                                                      "calibration": calibration_provenance(check, rescored_actions)},
            "act_tagger": self._tagger_provenance(session),
            "questions": questions_decided_by(session, self.dynamics),
            "procedure_flag": None if proc is None else {"trained": proc.meta.get("trained"), "threshold": proc.threshold},
            "check_below": self.cfg.check_below,
            "check_below_recommendations": self.cfg.recommendation_check_below,
            "min_confidence": self.cfg.min_confidence,
            "action_rule_floor": self.cfg.action_rule_floor,  # English commitments the heads doubted, listed to check
            "list_below": self.cfg.list_below if check is not None else None,
            "left_out": left_out,  # items the check found under list_below: not listed, kept here
            "next_meeting": next_meeting,  # the day "the next meeting" resolved to, and from what
        }
        return session.evolve(**items, extra=extra)


__all__ = ["ExtractionStage", "assignment", "decide", "extract_items", "fuse", "head_decision", "merge_duplicate_actions", "other_participant"]

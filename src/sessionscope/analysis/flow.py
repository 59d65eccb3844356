"""Knowledge flow, mutuality, programme flags and the extractive summary.

Runs after ``extraction`` (and, when present, ``dynamics`` and ``topics``). Pure logic,
no models. Definitions (also in ``docs/extraction.md``):

* **Flow** from A to B in area X = recommendations A gave B in X + explanations A gave B
  in X, where an *explanation* is A's answer to a question B asked (the question's
  area) that has words (speech left without recognised words may answer, but what it explained
  is unknown: round 21). Only items not marked ``to_check`` count (as for the flags and the checklist): an
  item the tool itself is unsure of is listed for a reader, not counted as knowledge that
  flowed (round 16: on the example sessions' gold flows the index moved EN 0.857 → 0.762,
  gold 0.692; RU 0.933 → 0.870, gold 0.800). ``KnowledgeFlow.matrix[area][giver][receiver]`` holds the sum;
  ``recommendation_matrix`` and ``explanation_matrix`` hold the two parts. Advice addressed to
  the whole group (``receiver`` ``None``: in sessions of three or more, see
  :mod:`sessionscope.analysis.extract.addressee`) is given but received by no single person: it
  is in no matrix and no mutuality index, in nobody's ``recommendations_received``, and is counted
  in the session's ``recommendations_to_group``; it still counts for its giver
  (``recommendations_given``, ``one_sided``).
* A **request for the speaker's own learning or help** ("show me how you set it up", «покажите, как это
  настроить»; ``Recommendation.request``, round 22) is not the asker's advice: it is in no recommendation matrix, no
  count and no flag (``Session.advice`` leaves it out), and is listed in the report. It is weighed as a question
  is: when the one asked (the request's single ``receiver``) speaks next, with words, that counts **1** in the
  explanation matrix from the one asked to the asker, in the request's area (the example sessions' gold counts
  "Покажете, как это настроить?" answered so; recognised speech loses the question mark and makes it an
  imperative). Not counted: a request marked ``to_check``, one about the meeting itself (``procedure``), one for
  later ("tell me how it went", «вечером расскажите, как прошло»: :func:`~.extract.request.deferred_request`),
  one to the whole group, and one on an utterance that also holds a question (the question counts already).
* **Mutuality index** of a pair = ``2·min(F_ab, F_ba) / (F_ab + F_ba)``: 1 when both
  give as much as they receive, 0 when knowledge flows one way only. For 3+ people it is
  the flow-weighted mean over pairs. ``None`` with fewer than :data:`MIN_FLOWS` flows.
  Per area it shows specialisation (in reverse mentoring the junior may lead on tools and
  the senior on management: low per-area mutuality with high session mutuality is the
  intended exchange).
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import combinations
from typing import Any, ClassVar, Optional

from sessionscope.analysis.dynamics import spoken_words
from sessionscope.config import Config, ExtractionConfig, FlagsConfig
from sessionscope.io._common import UNKNOWN_ID
from sessionscope.model import ActionItem, Flag, KeyPoint, KnowledgeFlow, Metrics, Recommendation, Role, Session
from sessionscope.text import fmt_clock, strip_markup, words  # fmt_clock: the reports' m:ss

log = logging.getLogger(__name__)

#: Fewer flows than this give no mutuality index (one piece of advice says nothing).
MIN_FLOWS = 2
NO_AREA = "all"
FLAG_CODES = ("no_recommendations", "one_sided", "no_action_items", "junior_rarely_speaks", "senior_interrupts_junior",
              "short_session", "unreliable_transcript")
DEFINITION = (
    "mutuality = 2*min(F_ab, F_ba)/(F_ab + F_ba) for a pair, where F_ab counts recommendations a gave b plus "
    "answers a gave to b's questions and to b's requests to be shown or told, items marked to check left out; "
    "flow-weighted mean over pairs for groups; "
    "None below 2 flows. "
    "1 = balanced two-way exchange, 0 = one-way."
)

Matrix = dict[str, dict[str, dict[str, int]]]


def _add(m: Matrix, area: str, giver: str, receiver: str) -> None:
    m.setdefault(area, {}).setdefault(giver, {}).setdefault(receiver, 0)
    m[area][giver][receiver] += 1


def mutuality(flows: dict[str, dict[str, int]]) -> Optional[float]:
    """Mutuality index of a giver → receiver count map (see module docstring)."""
    people = sorted(set(flows) | {r for row in flows.values() for r in row})
    total = weighted = 0.0
    for a, b in combinations(people, 2):
        fab, fba = flows.get(a, {}).get(b, 0), flows.get(b, {}).get(a, 0)
        if fab + fba == 0:
            continue
        weighted += 2 * min(fab, fba)
        total += fab + fba
    if total < MIN_FLOWS:
        return None
    return weighted / total


def knowledge_flow(session: Session) -> KnowledgeFlow:
    """The giver → receiver matrices by area and the mutuality indices."""
    rec: Matrix = {}
    exp: Matrix = {}
    speakers = {u.id: u.speaker for u in session.utterances}
    worded = {u.id for u in session.utterances if words(strip_markup(u.text))}  # an answer without words shows nothing
    for r in session.advice:
        if r.receiver and r.receiver != r.giver and not r.to_check:
            _add(rec, r.area or NO_AREA, r.giver, r.receiver)
    for q in session.questions:
        if q.to_check:
            continue
        answerer = speakers.get(q.answer_utterance_id or "")
        if q.answered and answerer and answerer != q.asker and (q.answer_utterance_id or "") in worded:
            _add(exp, q.area or NO_AREA, answerer, q.asker)
    for r, teacher in _answered_requests(session, worded):
        _add(exp, r.area or NO_AREA, teacher, r.giver)
    both: Matrix = {}
    for m in (rec, exp):
        for area, rows in m.items():
            for g, row in rows.items():
                for r_, n in row.items():
                    both.setdefault(area, {}).setdefault(g, {}).setdefault(r_, 0)
                    both[area][g][r_] += n
    overall: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for rows in both.values():
        for g, row in rows.items():
            for r_, n in row.items():
                overall[g][r_] += n
    return KnowledgeFlow(
        matrix=both, mutuality_index=mutuality({g: dict(r) for g, r in overall.items()}),
        per_area_mutuality={area: mutuality(rows) for area, rows in sorted(both.items())},
        definition=DEFINITION, recommendation_matrix=rec, explanation_matrix=exp,
    )


def _answered_requests(session: Session, worded: set[str]) -> list[tuple[Recommendation, str]]:
    """The requests to be shown or told that the one asked took up at once (see the module docstring), with that person."""
    from sessionscope.analysis.extract.request import deferred_request

    asked = {q.utterance_id for q in session.questions}
    order = {u.id: i for i, u in enumerate(session.utterances)}
    out: list[tuple[Recommendation, str]] = []
    for r in session.help_requests:
        if r.to_check or not r.receiver or r.receiver == r.giver:
            continue
        if r.utterance_id in asked or r.utterance_id not in order or deferred_request(r.text):
            continue
        nxt = next((u for u in session.utterances[order[r.utterance_id] + 1:] if u.speaker != r.giver), None)
        if nxt is not None and nxt.speaker == r.receiver and nxt.id in worded:
            out.append((r, r.receiver))
    return out


def _share(session: Session, pid: str) -> tuple[Optional[float], str]:
    """Talk share from the dynamics metrics, else the word share of the transcript."""
    if session.metrics is not None:
        v = session.metrics.participants.get(pid, {}).get("talk_share")
        if v is not None:
            return float(v), "talk_share"
    total = sum(spoken_words(u.text) for u in session.utterances)
    if not total:
        return None, "word_share"
    return sum(spoken_words(u.text) for u in session.utterances if u.speaker == pid) / total, "word_share"


def _unreliable_transcript(session: Session, threshold: float) -> list[Flag]:
    """``unreliable_transcript`` when at least ``threshold`` (``flags.unreliable_low_confidence_share``, 0.5) of the
    recognised words have low confidence: most of the text is then guesswork (a Russian recording through the
    English-only tiny.en model: 86 % low-confidence words, mean confidence 25 %, against 8 % and 87 % on a clean
    English sample). Not tuned: "most words"."""
    q = session.quality
    if q is None or q.low_confidence_word_share is None or q.low_confidence_word_share < threshold:
        return []
    mean = f", mean word confidence {q.mean_word_confidence:.0%}" if q.mean_word_confidence is not None else ""
    return [Flag("unreliable_transcript",
                 f"{q.low_confidence_word_share:.0%} of the recognised words have low confidence{mean}: the "
                 f"transcript and everything found in it are unreliable; check the recording and its language "
                 f"(model {q.asr_model or 'unknown'})",
                 value=round(q.low_confidence_word_share, 3), threshold=threshold)]


def _display_name(session: Session) -> Callable[[str], str]:
    """A participant id → the participant's name (the id itself when there is none)."""
    names = {p.id: p.name for p in session.participants if p.name}
    return lambda pid: names.get(pid, pid)


def _not_counted(n: int, *, more: bool = True) -> str:
    """The flag message's note on the ``n`` items it left out because they are marked to check ("more": beside
    items that were counted)."""
    m = " more" if more else ""
    return "" if not n else f"; 1{m} marked to check is not counted (confirm it)" if n == 1 else \
        f"; {n}{m} marked to check are not counted (confirm them)"


def _listed_apart(session: Session) -> str:
    """What the recommendations that are not advice are: "2 suggestions about running the meeting and 1 request to
    be shown or told something"."""
    n_procedure = sum(1 for r in session.recommendations if r.procedure)
    n_request = len(session.help_requests)
    parts = ([f"{n_procedure} suggestion{'' if n_procedure == 1 else 's'} about running the meeting"] if n_procedure else []) \
        + ([f"{n_request} request{'' if n_request == 1 else 's'} to be shown, told or sent something"] if n_request else [])
    return " and ".join(parts)


def tasks_likely(tasks: Sequence[ActionItem], need: int,
                 agreed: Optional[tuple[tuple[float, ...], frozenset[str]]] = None) -> float:
    """The chance that at least ``need`` of ``tasks`` are tasks, each by its confidence (a calibrated probability; an
    item without one counts as sure unless it is to check), taken as independent (Poisson-binomial). A commitment the
    rule found and the heads doubted (:data:`~sessionscope.analysis.extract.rules.LOW_HEAD`) is to check whatever its
    confidence says and adds nothing. ``agreed``: ``((a, b, w…), ids)``, mapping the confidence of the items in ``ids``
    to the chance that a task was agreed in the item, ``sigmoid(a · logit(c) + b + Σ w · term)`` (the terms of the
    item's task phrase, round 58: :func:`~sessionscope.analysis.extract.check.mapped`) — the check's map for the action
    items it recalibrated (round 57), whose confidence is the chance that the item is right *as listed* (owner and task
    phrase included), which says less about whether the session agreed a task at all."""
    from sessionscope.analysis.extract.check import mapped
    from sessionscope.analysis.extract.rules import LOW_HEAD

    if need <= 0:
        return 1.0
    dist = [1.0] + [0.0] * need  # dist[k]: chance of k tasks so far (the last cell: need or more)
    for a in tasks:
        p = 0.0 if a.method == LOW_HEAD else a.confidence if a.confidence is not None else (0.0 if a.to_check else 1.0)
        if agreed is not None and a.id in agreed[1] and a.confidence is not None and a.method != LOW_HEAD:
            p = float(mapped(agreed[0], [p], [a.task])[0])
        nxt = [0.0] * (need + 1)
        for k, q in enumerate(dist):
            nxt[min(k + 1, need)] += q * p
            nxt[k] += q * (1 - p)
        dist = nxt
    return dist[need]


def task_agreed_map(session: Session) -> Optional[tuple[tuple[float, ...], frozenset[str]]]:
    """The check's "a task was agreed" map and the action items it applies to, when the extraction stage recalibrated
    this session's action items (round 57; ``extra["extraction"]["item_check"]["calibration"]``), else None."""
    check = ((session.extra or {}).get("extraction") or {}).get("item_check") or {}
    cal = check.get("calibration") or {}
    m = cal.get("task_agreed")
    return (tuple(float(v) for v in m), frozenset(cal.get("recalibrated_action_items") or ())) if m else None


def _task_chance(listed: int, need: int, chance: float) -> str:
    """The "no action items" message's chance, by the listed tasks' confidences, that enough of them are tasks."""
    if listed == 1:
        return f"; by its confidence, the chance that it is a task: {chance:.0%}"
    return f"; by their confidences, the chance that at least {need} of the {listed} listed " \
           f"{'is a task' if need == 1 else 'are tasks'}: {chance:.0%}"


def _item_flags(session: Session, cfg: FlagsConfig, name: Callable[[str], str]) -> list[Flag]:
    """The recommendation and action-item flags of a session whose items were extracted.

    An item marked "to check" (more likely wrong than right) is to be confirmed before it is counted, as in
    the reports and the checklist: these flags count the others and say how many they left out ("Too few
    action items" was not raised beside one task at 8 %; "gave 12 of 14" stood on 13 items marked to check).
    """
    flags: list[Flag] = []
    recs = tuple(r for r in session.advice if not r.to_check)
    unsure_recs = len(session.advice) - len(recs)
    if not recs and unsure_recs:
        flags.append(Flag("no_recommendations", "no recommendation was found with enough confidence"
                          + _not_counted(unsure_recs, more=False), value=0.0))
    elif not recs:
        # "none found" beside a listed "Next slide, please." or "Show me how" would contradict the report: say what was found
        flags.append(Flag("no_recommendations", "no recommendations were found in this session" if not session.recommendations
                          else f"no advice was found in this session (only {_listed_apart(session)}, which "
                               f"{'is' if len(session.recommendations) == 1 else 'are'} not counted as advice)",
                          value=0.0))
    elif len(recs) >= cfg.one_sided_min_recommendations and len({p.id for p in session.participants} - {UNKNOWN_ID}) >= 2:
        # one side of what? A transcript naming one person or nobody ("Unknown speaker gave 8 of 8") has no sides
        counts: dict[str, int] = defaultdict(int)
        for r in recs:
            counts[r.giver] += 1
        giver, n = max(counts.items(), key=lambda kv: kv[1])
        share = n / len(recs)
        if share >= cfg.one_sided_share:
            flags.append(Flag("one_sided", f"{name(giver)} gave {n} of {len(recs)} recommendations ({share:.0%})"
                              + _not_counted(unsure_recs), value=round(share, 3), threshold=cfg.one_sided_share))
    tasks = session.tasks  # moves within the meeting ("I'll draw it on the whiteboard") are listed, not counted
    sure_tasks = [a for a in tasks if not a.to_check]
    # round 55: nor when the tasks listed to check hold enough tasks more likely than not (by their confidences): on
    # real meetings nearly every task is to check, and the flag said "no action items" where the minutes list four
    # (held-out AMI meetings: 9 → 11 of 16 flags right against the human minutes, dev 6 → 8 of 13; docs/benchmarks/extraction.md)
    chance = tasks_likely(tasks, cfg.min_action_items, task_agreed_map(session))
    if len(sure_tasks) < cfg.min_action_items and chance < 0.5:
        n_moves = len(session.action_items) - len(tasks)
        unsure = len(tasks) - len(sure_tasks)
        flags.append(Flag("no_action_items", f"{len(sure_tasks)} action item{'' if len(sure_tasks) == 1 else 's'} found (at least {cfg.min_action_items} "
                          "expected)" + _not_counted(unsure)
                          + (_task_chance(len(tasks), cfg.min_action_items, chance) if unsure and chance > 0 else "")
                          + (f"; {n_moves} move{'' if n_moves == 1 else 's'} within the meeting itself "
                             f"{'is listed but not counted as a task' if n_moves == 1 else 'are listed but not counted as tasks'}"
                             if n_moves else ""), value=float(len(sure_tasks)), threshold=float(cfg.min_action_items)))
    return flags


def compute_flags(session: Session, cfg: FlagsConfig) -> tuple[Flag, ...]:
    """The programme flags (thresholds from ``flags`` in the config; see docs/extraction.md)."""
    flags: list[Flag] = []
    name = _display_name(session)  # messages are for people: names, not id slugs
    extracted = "extraction" in session.extra or bool(session.recommendations or session.action_items)
    if session.utterances and not session.has_words:
        # speaker turns without words (an RTTM): "no recommendations" would be a finding about nothing
        log.info("%s: no words in the input; recommendation and action-item flags skipped", session.id)
    elif not extracted:
        log.warning("%s: the extraction stage has not run; recommendation and action-item flags skipped", session.id)
    else:
        flags.extend(_item_flags(session, cfg, name))
    juniors = [p.id for p in session.by_role(Role.JUNIOR)]
    seniors = [p.id for p in session.by_role(Role.SENIOR)]
    for j in juniors:
        j_share, measure = _share(session, j)
        if j_share is not None and j_share < cfg.junior_min_talk_share:
            flags.append(Flag("junior_rarely_speaks", f"junior {name(j)} holds {j_share:.0%} of the {'talk time' if measure == 'talk_share' else 'words'}",
                              value=round(j_share, 3), threshold=cfg.junior_min_talk_share))
    flags.extend(_unreliable_transcript(session, cfg.unreliable_low_confidence_share))
    span = session.span_s
    if session.metrics is not None and session.metrics.interruption_matrix and span:
        for s in seniors:
            for j in juniors:
                n = session.metrics.interruption_matrix.get(s, {}).get(j, 0)
                rate = n / (span / 600)
                if n >= cfg.senior_min_interruptions and rate >= cfg.senior_interruptions_per_10min:
                    message = (f"senior {name(s)} interrupted junior {name(j)} {n} time{'' if n == 1 else 's'} "
                               f"({rate:.1f} per 10 min)")
                    back = session.metrics.interruption_matrix.get(j, {}).get(s, 0)
                    if back >= n:
                        # round 26 (audit): "The senior often interrupts the junior" as a warning beside a figures
                        # table where the junior interrupted more (Nathan 12, Kathy 8 at one table over homework)
                        # misdescribed overlaps that went both ways: said so, and only as information
                        message += (f"; junior {name(j)} interrupted {name(s)} {back} time{'' if back == 1 else 's'}:"
                                    " the interruptions went both ways")
                    flags.append(Flag("senior_interrupts_junior", message, severity="info" if back >= n else "warning",
                                      value=round(rate, 2), threshold=cfg.senior_interruptions_per_10min))
    if span is not None and span / 60 < cfg.min_session_minutes:
        # "lasts 1:09" read as an hour next to "at least 60 min" (round 21): the unit is said
        # under a minute, seconds: "0:30 min" read as thirty minutes (round 23)
        lasts = f"{round(span)} s" if round(span) < 60 else f"{fmt_clock(span)} {'min' if round(span) < 3600 else 'h'}"
        flags.append(Flag("short_session", f"the session lasts {lasts} (the guide asks for at least "
                          f"{cfg.min_session_minutes:.0f} min)", severity="info", value=round(span / 60, 1),
                          threshold=cfg.min_session_minutes))
    return tuple(flags)


def item_measures(session: Session) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Counts of extracted items per participant and per session, for tables and programme trends.

    Session: ``recommendations`` (advice: ``Session.advice``), ``recommendations_to_group`` (advice with
    no single receiver), ``procedure_suggestions`` (requests for the speaker's own help, ``request``, are in none of these),
    ``action_items`` (tasks: ``Session.tasks``), ``in_meeting_moves``, ``action_items_with_due_date``,
    ``problems_raised``, ``problems_solved``, ``problems_solved_share`` (``None`` without
    problems), ``questions_unanswered``, ``mutuality_index``. Participant:
    ``recommendations_given``, ``recommendations_received``, ``action_items_owned`` (shared
    items count for each owner), ``problems_raised``, ``help_requests_made``. Session, since round 22:
    ``help_requests`` (requests to be shown, told or sent something: ``Recommendation.request``).
    """
    pids = [p.id for p in session.participants] or sorted({u.speaker for u in session.utterances})
    part: dict[str, dict[str, Any]] = {p: {} for p in pids}
    requests = session.help_requests
    for p in pids:
        part[p] = {
            "recommendations_given": sum(1 for r in session.advice if r.giver == p),
            "recommendations_received": sum(1 for r in session.advice if r.receiver == p),
            "action_items_owned": sum(1 for a in session.tasks if p in (a.owners or ((a.owner,) if a.owner else ()))),
            "problems_raised": sum(1 for x in session.problems if x.raiser == p),
            # "show me how you set it up": the asker is the learner (items marked to check included, as for advice)
            "help_requests_made": sum(1 for r in requests if r.giver == p),
        }
    solved = sum(1 for x in session.problems if x.solved)
    sess = {
        "recommendations": len(session.advice),
        "recommendations_to_group": sum(1 for r in session.advice if r.receiver is None),
        "procedure_suggestions": sum(1 for r in session.recommendations if r.procedure),  # requests: listed, not counted
        "help_requests": len(requests),
        "action_items": len(session.tasks),
        "in_meeting_moves": len(session.action_items) - len(session.tasks),
        "action_items_with_due_date": sum(1 for a in session.tasks if a.due_date is not None),
        "problems_raised": len(session.problems),
        "problems_solved": solved,
        "problems_solved_share": solved / len(session.problems) if session.problems else None,
        "questions_unanswered": sum(1 for q in session.questions if not q.answered),
        "mutuality_index": session.knowledge_flow.mutuality_index if session.knowledge_flow else None,
    }
    return part, sess


def _with_measures(session: Session) -> Metrics:
    part, sess = item_measures(session)
    base = session.metrics or Metrics()
    merged = {p: {**base.participants.get(p, {}), **part.get(p, {})} for p in [*base.participants, *(q for q in part if q not in base.participants)]}  # fixed order
    return replace(base, participants=merged, session={**base.session, **sess})


_KIND_WEIGHT = {"problem": 1.0, "recommendation": 0.95, "action": 0.9}


def _word_finding(text: str, language: Optional[str]) -> bool:
    """Whether ``text`` is nothing but the speaker looking for a word ("I don't know how to say it.", «не знаю, как
    сказать»): the problem rule's own word-finding veto (:func:`~sessionscope.analysis.extract.problems.word_finding`)."""
    from sessionscope.analysis.extract.problems import problem_rule
    from sessionscope.language.nlp import Sentence, detect_language

    lang = language if language in ("en", "ru") else detect_language(text)
    hit = problem_rule(Sentence(text, 0, len(text), language=lang))
    return hit is not None and hit.veto and hit.rule == "word_finding"


#: words shorter than this are left out when telling whether a task phrase was said in its item's sentence
_POINT_MIN_LETTERS = 3


def _content(text: str) -> list[str]:
    return [w.casefold().replace("ё", "е") for w in words(text) if len(w) >= _POINT_MIN_LETTERS]


def action_point(said: str, task: str) -> str:
    """The key point of an action item: the words its owner said, and, when those words do not hold the task (a task
    accepted or taken up in a word: "Okay, I'll try that at the next team meeting.", "Sure, I'll send them tomorrow
    morning.", «Хорошо, пришлю сегодня вечером.»), the task after an arrow ("… → send you the slides from my training
    session"): a quote of an acceptance alone says nothing of what was agreed (round 39).

    The task is told apart by its words: fewer than half of its words of three letters or more are in ``said``. A
    trailing "(when)" that ``said`` holds is not repeated ("save a filter … (at the next team meeting)").
    """
    said = said.strip()
    if not said:
        return task
    own = set(_content(said))
    task_words = _content(task)
    if not task_words or sum(w in own for w in task_words) * 2 >= len(task_words):
        return said
    when = re.search(r"\s*\(([^()]*)\)\s*$", task)
    if when and all(w in own for w in _content(when.group(1))):
        task = task[:when.start()]
    return f"{said} → {task}"


def summarize(session: Session, *, per_area: int = 3) -> tuple[KeyPoint, ...]:
    """Extractive summary: per area, the most confident problems, recommendations and action items.

    Points keep the speaker's own words (so the summary is in the session's language; an action item accepted in a
    word adds its task, :func:`action_point`) and are listed per area in order of appearance. They are ranked by the
    item's measured confidence (times a small preference per kind: problem, recommendation, action item); an item
    without a measured confidence (problems, found by rules; items of a run without the calibrated heads) is never a
    key point: ranking it would need a made-up score (a fixed 0.5 put "I don't know how to say it." and "I have no idea
    what I'm looking at." among the key points of real talk). Items marked ``to_check`` (confidence below
    ``extraction.check_below``) are never key points either: the report asks the reader to confirm
    them, so the summary does not state them as what the session said. Nor is a sentence that is only the
    speaker looking for a word.
    """
    order = {u.id: i for i, u in enumerate(session.utterances)}
    cands: dict[str, list[tuple[float, int, KeyPoint]]] = defaultdict(list)
    for kind, items in (("problem", session.problems), ("recommendation", session.advice), ("action", session.tasks)):
        for it in items:
            if getattr(it, "to_check", False) or it.confidence is None:
                continue
            area = it.area or NO_AREA
            # the point quotes the words of the one who said them: "Robert: Send me the timeline…", not the task's
            # owner before Robert's words (the demo read "Maya Chen: Deal, send me the timeline")
            speaker = session.utterance(it.utterance_id).speaker
            # kind says which item type `it` is; mypy only sees the union
            text = it.text if kind != "action" else action_point(  # type: ignore[union-attr]
                session.utterance(it.utterance_id).text[it.char_start:it.char_end], it.task)  # type: ignore[union-attr]
            if _word_finding(text, session.language):
                continue
            score = round(_KIND_WEIGHT[kind] * it.confidence, 3)
            cands[area].append((score, order.get(it.utterance_id, 0), KeyPoint(area, it.utterance_id, speaker, text, score)))
    out: list[KeyPoint] = []
    for area in sorted(cands):
        best: list[tuple[float, int, KeyPoint]] = []
        said: set[str] = set()
        for c in sorted(cands[area], key=lambda c: (-c[0], c[1])):
            # the same words said twice ("but it's really hard to do." / "…do,") are one key point, not two of three
            key = " ".join(words(c[2].text.lower()))
            if key not in said and len(best) < per_area:
                said.add(key)
                best.append(c)
        out.extend(kp for _, _, kp in sorted(best, key=lambda c: c[1]))
    return tuple(out)


class KnowledgeFlowStage:
    """Pipeline stage: knowledge flow + mutuality, flags and the extractive summary."""

    name: ClassVar[str] = "flow"
    requires: ClassVar[tuple[str, ...]] = ("utterances",)
    assigns: ClassVar[tuple[str, ...]] = ("knowledge_flow", "flags", "summary", "metrics")

    def __init__(self, flags: FlagsConfig | None = None, extraction: ExtractionConfig | None = None) -> None:
        self.flags_cfg = flags or FlagsConfig()
        self.extraction_cfg = extraction or ExtractionConfig()

    @classmethod
    def from_config(cls, config: Config) -> KnowledgeFlowStage:
        return cls(config.flags, config.extraction)

    def __call__(self, session: Session, *, hook: Any = None) -> Session:
        kept = tuple(f for f in session.flags if f.code not in FLAG_CODES)  # flags other stages raised
        session = session.evolve(knowledge_flow=knowledge_flow(session))
        if "extraction" in session.extra and session.metrics is not None:  # beside the dynamics' measures
            session = session.evolve(metrics=_with_measures(session))
        return session.evolve(
            flags=kept + compute_flags(session, self.flags_cfg),
            summary=summarize(session, per_area=self.extraction_cfg.summary_points_per_area),
        )


__all__ = ["DEFINITION", "KnowledgeFlowStage", "action_point", "compute_flags", "item_measures", "knowledge_flow", "mutuality", "summarize", "tasks_likely"]

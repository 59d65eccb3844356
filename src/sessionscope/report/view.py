"""The session report's content, computed once and rendered as Markdown or HTML.

:func:`build_view` turns a :class:`~sessionscope.model.Session` into plain, localised
rows and sentences, so that the Markdown and HTML renderers only lay them out and can
never disagree. Every section copes with what the pipeline did not produce (no topics,
no metrics, an untimed transcript): it then says so instead of showing an empty table.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional

from sessionscope import __version__
from sessionscope.config import ReportConfig
from sessionscope.io._common import UNKNOWN_ID
from sessionscope.model import ActionItem, Problem, Session, StageRun
from sessionscope.report.i18n import (
    Translator,
    is_role_label,
    plural,
    report_language,
    translate_flag,
    translate_note,
    with_names,
)
from sessionscope.report.tables import diarized_recording, speakers_guessed
from sessionscope.report.wholetext import WholeText
from sessionscope.text import fmt_clock

if TYPE_CHECKING:
    from sessionscope.analysis.topics.taxonomy import Taxonomy

#: The pipeline stage whose results each report section shows. When that stage was
#: skipped or failed (``session.provenance.stage_runs``) the section says "not analysed
#: (reason)" instead of "none found": an empty list is only a finding when the stage ran.
SECTION_STAGES = {"balance": "dynamics", "figures": "dynamics", "topics": "topics", "summary": "flow",
                  "recommendations": "extraction", "actions": "extraction", "questions": "extraction",
                  "problems": "extraction", "flags": "flow"}


def stage_reason(run: StageRun, t: Translator) -> str:
    """The localised reason of a stage outcome ("not requested" is translated; others are the stage's words)."""
    reason = (run.reason or "").strip().rstrip(".")
    if reason == "not requested":
        return t("reason_not_requested")
    for prefix, key, arg in (("not installed: ", "reason_not_installed", "detail"), ("needs ", "reason_needs", "what")):
        if reason.startswith(prefix):
            return t(key, **{arg: reason[len(prefix):]})
    mapped = re.fullmatch(r"by (\w+)(; no measured confidence)?", reason)
    if mapped and t.has(f"map_{mapped.group(1)}"):  # audio.speaker_mapping's outcome, in the data-quality row's words
        return t(f"map_{mapped.group(1)}") + (t("reason_no_confidence") if mapped.group(2) else "")
    return translate_note(reason, t.lang) or t(f"status_{run.status}")


def stage_gap(session: Session, t: Translator, stage: str) -> Optional[str]:
    """"Not analysed: <reason>." when ``stage`` was skipped or failed; ``None`` when it ran.

    Sessions written before stages were recorded (no record for ``stage``) give ``None``:
    their sections keep reading their data as before.
    """
    run = session.provenance.outcome(stage)
    if run is None or run.status == "ok":
        return None
    return t("not_analysed_failed" if run.status == "failed" else "not_analysed", reason=stage_reason(run, t))


#: sections read from what was said: empty without words, whatever the stages recorded
TEXT_SECTIONS = ("topics", "summary", "recommendations", "actions", "questions", "problems")


def _gap(sec: Section, session: Session, t: Translator) -> bool:
    """Mark ``sec`` as not analysed when its stage did not run; True when it did not."""
    gap = stage_gap(session, t, SECTION_STAGES[sec.key])
    if gap is None:
        return False
    sec.empty = gap
    sec.extra["not_analysed"] = True
    return True


@dataclass
class Section:
    """One report section: a title, optional sentences, optional table, and an empty-state text."""

    key: str
    title: str
    sentences: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    empty: Optional[str] = None
    groups: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.sentences or self.rows or self.groups)


@dataclass
class ReportView:
    """Everything a session report shows, already localised."""

    lang: str
    t: Translator
    title: str
    header: list[tuple[str, str]]
    participants: list[dict[str, str]]
    sections: list[Section]
    footer: str
    redacted: bool = False

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)


class _Names:
    """Participant id → display name (unknown ids shown as given)."""

    def __init__(self, session: Session, t: Translator) -> None:
        self._by_id = {p.id: p for p in session.participants}
        self.t = t

    def __call__(self, pid: Optional[str]) -> str:
        if pid is None:
            return self.t("unknown")
        p = self._by_id.get(pid)
        return p.name if p else pid

    def with_role(self, pid: Optional[str]) -> str:
        p = self._by_id.get(pid or "")
        return self.t.with_role(p.name, p.role) if p else self(pid)


def _at(start: Optional[float]) -> str:
    return fmt_clock(start) if start is not None else "–"


def _start_times_only(session: Session) -> bool:
    """Every utterance has a start time but some lack an end (chat exports, ``[00:01:02] Name:`` lines)."""
    return bool(session.utterances) and all(u.start is not None for u in session.utterances) and not session.timed


def _timing(session: Session, t: Translator, available: bool) -> str:
    """The "timestamps available" value: yes, no, or start times only (not a flat "no" when starts are known)."""
    if available:
        return t("yes")
    return t("start_only") if _start_times_only(session) else t("no")


def _single_speaker(session: Session, t: Translator, names: _Names, shares: dict[str, float]) -> Optional[str]:
    """The balance sentence when only one person can be heard (``None`` when two or more speak)."""
    recorded = session.quality is not None and bool(session.quality.asr_model)
    speaking = [k for k, v in shares.items() if v > 0]
    if len(shares) > 1 and len(speaking) == 1 and recorded:
        # one voice in a recording of two named people: "Lena dominated …; Rob had little room to speak" would be a
        # finding about a voice the speaker separation merged or never heard
        silent = [p.name for p in session.participants if p.id not in speaking]
        return t.trusted("bal_single_voice_silent", name=names(speaking[0]), silent=", ".join(silent), n=len(shares))
    if len(shares) != 1:
        return None
    only = next(iter(shares))  # "X spoke most, with 100 %" and "took 1 turns" say nothing about a conversation
    # named advice: a caption file's "unknown" speaker needs names; a recording may hold a second voice the
    # diarization missed; a named speaker alone is simply one person (not "a transcript without names")
    key = "bal_single" if only == UNKNOWN_ID else "bal_single_voice" if recorded else "bal_single_named"
    return t.trusted(key, name=names(only))  # its `--speakers 2` is the tool's, the name is data


def _mutuality_sentence(session: Session, t: Translator, cfg: ReportConfig) -> Optional[str]:
    """"Knowledge flowed both ways …" (or mostly one way); ``None`` without a mutuality index."""
    kf = session.knowledge_flow
    if kf is None or kf.mutuality_index is None:
        return None
    # "each side" is pair wording: a meeting of five has no two sides
    group = "_group" if len(session.participants) > 2 else ""
    mutual = kf.mutuality_index >= cfg.mutual_min_index
    sentence = t(("mutual_yes" if mutual else "mutual_no") + group, value=t.num(kf.mutuality_index),
                 n=len(session.participants))
    if mutual and not group and any(f.code == "one_sided" for f in session.flags):
        # mutuality counts answers too: say why it stands beside "recommendations came from one side"
        sentence = f"{sentence} {t('mutual_but_one_sided')}"
    flows = kf.n_flows
    parts = _flow_parts(session) if group and flows >= cfg.mutual_few_flows else None  # few: the next sentence says so
    if parts is not None:
        # round 49: on real group meetings (MRDA/AMI dev) 1,110 of the 1,146 counted flows were answers; advice to the
        # group is in no pair's flow, so a reader is told what the index is made of
        sentence = f"{sentence} {t('mutual_group_rests', **parts)}"
    if flows < cfg.mutual_few_flows:
        # round 26 (audit): "Knowledge flowed both ways" on a 30 s call rested on two answered "Hello?"s
        sentence = f"{sentence} {plural(t('mutual_few', n=flows), flows, t.lang)}"
    return sentence


def _flow_parts(session: Session) -> Optional[dict[str, int]]:
    """What a group's mutuality index counts: answers (explanations), advice to one person; and advice to the group.

    ``None`` when the two parts do not add up to the index's flows (a ``session.json`` written before the parts
    were kept apart).
    """
    kf = session.knowledge_flow
    if kf is None:
        return None

    def total(m: dict[str, dict[str, dict[str, int]]]) -> int:
        return sum(n for rows in m.values() for row in rows.values() for n in row.values())

    answers, advice = total(kf.explanation_matrix), total(kf.recommendation_matrix)
    if answers + advice != kf.n_flows:
        return None
    # as the tables' n_recommendations_to_group and the report's "→ everyone" lists count it (to check or not)
    group = sum(1 for r in session.advice if r.receiver is None)
    return {"answers": answers, "advice": advice, "group": group}


#: the most areas named for one direction in :func:`_flow_sentence`
FLOW_AREAS = 3


def _flow_sentence(session: Session, t: Translator, names: _Names) -> Optional[str]:
    """Who shared what with whom in a pair, by topic area: "Dev → Helen: Tools and technology 6; Helen → Dev: Time
    management and priorities 2, Project management 1" (round 42: the pair's summary said only that knowledge flowed
    both ways; what each taught was in session.json and the researchers' tables alone). The flows are those of the
    mutuality index (recommendations given and questions and requests answered, items to check left out); small talk
    is left out, and so are flows without an area (the topics did not run). ``None`` outside a pair or without such
    flows."""
    kf = session.knowledge_flow
    if kf is None or len(session.participants) != 2:
        return None
    parts = []
    for giver in (p.id for p in session.participants):
        counts: dict[str, int] = {}
        for area, rows in kf.matrix.items():
            if area == t.other_area or area not in t.areas:  # small talk; "all" when the topics did not run
                continue
            n = sum(rows.get(giver, {}).values())
            if n:
                counts[area] = n
        if not counts:
            continue
        receiver = next(p.id for p in session.participants if p.id != giver)
        top = sorted(counts, key=lambda a: (-counts[a], t.areas.index(a)))[:FLOW_AREAS]
        parts.append(t("flow_direction", giver=names(giver), receiver=names(receiver),
                       areas=", ".join(f"{t.area(a)} {counts[a]}" for a in top)))
    return t("flow_what", flows="; ".join(parts)) if parts else None


def _exchange_sentences(session: Session, t: Translator, names: _Names, cfg: ReportConfig) -> list[str]:
    """Whether knowledge flowed both ways, then (a pair) what each shared by topic area."""
    mutual = _mutuality_sentence(session, t, cfg)
    if mutual is None:
        return []
    flows = _flow_sentence(session, t, names)
    return [mutual] if flows is None else [mutual, flows]


def balance_sentences(session: Session, t: Translator, names: _Names, cfg: Optional[ReportConfig] = None) -> list[str]:
    """Plain-words description of who drove the conversation (thresholds from ``report`` in the config)."""
    cfg = cfg or ReportConfig()
    m = session.metrics
    if m is None or not session.participants:
        return [stage_gap(session, t, "dynamics") or t("none_metrics")]
    timed = session.timed
    key = "talk_share" if timed else "word_share"
    shares = {p.id: float(m.participants.get(p.id, {}).get(key) or 0.0) for p in session.participants}
    out: list[str] = []
    if not timed:
        out.append(t("start_only_note" if _start_times_only(session) else "untimed_note"))
    if not any(shares.values()):
        return out + [t("bal_none")]
    single = _single_speaker(session, t, names, shares)
    if single is not None:
        return out + [single]
    top = max(shares, key=lambda k: shares[k])
    share = shares[top]
    p = session.participant(top)
    kwargs = {"name": t.with_role(p.name, p.role), "share": t.pct(share),
              "unit": t("unit_time" if timed else "unit_words")}
    if len(shares) == 2:
        other = next(k for k in shares if k != top)
        if t.pct(shares[other]) == kwargs["share"]:  # 50.2 % / 49.8 %: "X spoke most, with 50 %" names no one fairly
            o = session.participant(other)
            out.append(t("bal_even", other=t.with_role(o.name, o.role), **kwargs))
        elif share <= cfg.balanced_max_share:
            o = session.participant(other)
            out.append(t("bal_balanced", other=t.with_role(o.name, o.role), other_share=t.pct(shares[other]), **kwargs))
        elif share <= cfg.dominated_min_share:
            out.append(t("bal_led", **kwargs))
        else:
            out.append(t("bal_dominated", other=names(other), **kwargs))
    else:
        out.append(t("bal_group", **kwargs))
    s = m.session
    longest = {pid: pm.get("longest_turn_s") for pid, pm in m.participants.items() if pm.get("longest_turn_s")}
    if s.get("turns") is not None and longest:
        who = max(longest, key=lambda k: longest[k] or 0.0)
        key = "turns_sentence_one" if s.get("turns") == 1 else "turns_sentence"  # not "There were 1 turns"
        out.append(t(key, turns=s.get("turns"), longest=fmt_clock(longest[who]), name=names(who)))
    if s.get("questions") is not None and session.has_words:  # "0 questions were asked" of an RTTM is no finding
        # "0 questions were asked (0 answered)." reads as a count of answers to nothing
        key = {0: "questions_sentence_none", 1: "questions_sentence_one"}.get(int(s.get("questions") or 0), "questions_sentence")
        sentence = t(key, asked=s.get("questions", 0), answered=s.get("questions_answered", 0))
        n_check = sum(1 for q in session.questions if q.to_check)
        if n_check:  # counted, but not silently: say how many are uncertain
            note = t("questions_to_check_one" if s.get("questions") == 1 else "questions_to_check",
                     n=n_check, asked=s.get("questions", 0))
            sentence = f"{sentence[:-2]}; {note})." if sentence.endswith(").") else f"{sentence.rstrip('.')} ({note})."
        out.append(sentence)
    # over one window (a session shorter than 5 min) "in 0 % of the windows" is one yes/no, not a share
    if s.get("dominated_window_share") is not None and (s.get("dominance_windows") or 0) >= 2:
        out.append(t("dominance_sentence", share=t.pct(s.get("dominated_window_share"))))
    out += _exchange_sentences(session, t, names, cfg)
    if speakers_guessed(session) and any(p.role.value in ("junior", "senior") for p in session.participants):
        out.append(t("bal_guessed"))  # "X (junior) dominated" rests on who spoke first: said where it is read
    return out


def _figures(session: Session, t: Translator, names: _Names) -> Section:
    sec = Section("figures", t("sec_figures"))
    m = session.metrics
    if m is None:
        if not _gap(sec, session, t):
            sec.empty = t("none_metrics")
        return sec
    sec.columns = [t("participant"), t("role"), t("talk_time"), t("talk_share"), t("words"), t("word_share"),
                   t("turns"), t("longest_turn"), t("questions_asked"), t("interruptions_made")]
    words, unnamed = session.has_words, unnamed_only(session)
    for p in session.participants:
        pm = m.participants.get(p.id, {})
        sec.rows.append([
            p.name, t.role(p.role, p.name), fmt_clock(pm.get("talk_time_s")), t.pct(pm.get("talk_share")),
            str(pm.get("word_count", 0)) if words else t("n_a"),  # an RTTM's "0 words" is no count
            t.pct(pm.get("word_share")),
            # a caption file's one "unknown" voice: every cue is one turn of the whole session, no finding
            t("n_a") if unnamed else str(pm.get("turns", 0)),
            t("n_a") if unnamed else fmt_clock(pm.get("longest_turn_s")),
            str(pm.get("questions_asked", 0)) if words else t("n_a"),
            t.num(pm.get("interruptions_made"), 0),
        ])
    if not session.timed:  # an untimed transcript: columns of "–" and "n/a" beside "time-based measures are unavailable"
        _without_unknown_columns(sec, t, (t("talk_time"), t("talk_share"), t("longest_turn"), t("interruptions_made")))
    s = m.session
    n_people = max(len(m.participants), 2)  # an even share is 1/n: 50 % for a pair, 25 % for four people
    people = (("для пары" if n_people == 2 else f"для {n_people} человек") if t.lang == "ru"
              else ("a pair" if n_people == 2 else f"{n_people} people"))
    even = {"even": t.pct(1 / n_people), "people": people}
    measures = [
        (t("balance_score", **even) if s.get("balance_score") is not None or s.get("balance_score_words") is None
         else t("balance_score_words", **even),  # the word-share stand-in is not called a talk share
         t.pct(s.get("balance_score") if s.get("balance_score") is not None else s.get("balance_score_words"))),
        (t("gini"), t.num(s.get("talk_time_gini"))),
        (t("entropy"), t.num(s.get("talk_time_entropy"))),
        (t("turn_taking"), t.num(s.get("turn_taking_index"))),
        (t("switches"), t.num(s.get("speaker_switches_per_min"), 1)),
    ]
    if session.knowledge_flow is not None:
        measures.append((t("mutuality"), t.num(session.knowledge_flow.mutuality_index)))
    if not session.timed:  # talk-time Gini, entropy and switches per minute need times: rows of "n/a"
        timed_only = {t("gini"), t("entropy"), t("switches")}
        measures = [(label, value) for label, value in measures if label not in timed_only or value != t("n_a")]
    sec.extra["measures"] = measures
    return sec


def area_speakers(session: Session) -> dict[str, tuple[str, float]]:
    """Per area, the participant who said the most words in its segments, and their share of those words.

    Round 50: the report's "Led by" (who opened most of the area's time) rested on where the segments start, which on
    real meetings is rarely where people change topic (round 49: the openers matched AMI's human ones no better than
    a guess, r 0.19); who said most about an area is counted, not guessed. Ties: the first participant in id order."""
    from sessionscope.text import spoken_tokens

    topics = session.topics
    if topics is None:
        return {}
    by_id = {u.id: u for u in session.utterances}
    words: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for seg in topics.segments:
        for uid in seg.utterance_ids:
            u = by_id.get(uid)
            if u is not None:
                words[seg.area][u.speaker] += len(spoken_tokens(u.text))
    out: dict[str, tuple[str, float]] = {}
    for area, per in words.items():
        total = sum(per.values())
        if total:
            pid = max(sorted(per), key=lambda k: per[k])
            out[area] = (pid, per[pid] / total)
    return out


def _topics(session: Session, t: Translator, names: _Names) -> Section:
    sec = Section("topics", t("sec_topics"))
    topics = session.topics
    if topics is None or not (topics.segments or topics.area_time_share or topics.area_word_share):
        if not _gap(sec, session, t):
            sec.empty = t("none_topics")
        return sec
    most = area_speakers(session)
    counts: dict[str, int] = defaultdict(int)
    for seg in topics.segments:
        counts[seg.area] += 1
    areas = set(topics.area_time_share) | set(topics.area_word_share) | set(counts)
    order = sorted(areas, key=lambda a: (-(topics.area_time_share.get(a) or topics.area_word_share.get(a) or 0.0),
                                         t.areas.index(a) if a in t.areas else 99))
    sec.columns = [t("area"), t("time_share"), t("word_share"), t("spoke_most"), t("segments")]
    for a in order:
        who = f"{names(most[a][0])} ({t.pct(most[a][1])})" if a in most else t("n_a")
        sec.rows.append([t.area(a), t.pct(topics.area_time_share.get(a)), t.pct(topics.area_word_share.get(a)),
                         who, str(counts.get(a, 0))])
    _without_unknown_columns(sec, t, (t("time_share"),))  # an untimed transcript: no share of time
    # the HTML right-aligns the numbers by position (1-based, as jinja's loop.index)
    sec.extra["num_columns"] = [i for i, c in enumerate(sec.columns, 1)
                                if c in (t("time_share"), t("word_share"), t("segments"))]
    # small talk and logistics have no discussion mode worth naming: the mode heads classify every window, and
    # "Other (small talk, logistics) (current trend)" reads as a finding about the chat (on 40 AMI choosing
    # meetings 68 % of the words of `other` segments carry trend/case/problem, 8 % of them with any mode gold;
    # benchmarks/topics_other_mode_r16_pair.py): the mode stays in session.json, the report leaves it out
    sec.extra["segments"] = [
        {"start": _at(seg.start), "end": _at(seg.end), "area": t.area(seg.area),
         "mode": "" if seg.area == t.other_area else t.mode(seg.mode),
         "initiator": names(seg.initiator) if seg.initiator else t("n_a"), "confidence": t.pct(seg.confidence)}
        for seg in topics.segments
    ]
    return sec


def _measured(t: Translator, confidence: Optional[float]) -> str:
    """"confidence 83 %" for a measured confidence; "" when none was measured (never a default shown as a measure)."""
    return t("measured_confidence", value=t.pct(confidence)) if confidence is not None else ""


def _folded(confidence: Optional[float], to_check: bool, below: Optional[float]) -> bool:
    """A recommendation marked to check whose measured confidence is under ``below`` (``report.fold_to_check_below``):
    folded in the report (HTML: a collapsed block; Markdown: its number), kept in session.json and every count.
    Action items are never folded: the real-talk check scores many tasks handed out in a group under 0.25 (round 35:
    10 of the 15 AMI human action-item sentences found on held-out meetings are found only by such items)."""
    return to_check and below is not None and confidence is not None and confidence < below


def _say_left_out(sec: Section, session: Session, t: Translator, kind: str) -> None:
    """Add the sentence saying how many items of ``kind`` the opt-in ``extraction.list_below`` left off the lists."""
    ext = session.extra.get("extraction") or {}
    n = sum(1 for x in ext.get("left_out") or () if x.get("kind") == kind)
    if n:
        sec.sentences.append(t("left_out_note", n=n, below=t.pct(ext.get("list_below"))))


def _to_check_group(t: Translator, title: str, rest: list[dict[str, Any]], fold: Optional[float]) -> dict[str, Any]:
    """One direction's recommendations marked to check: those above the fold listed, the others folded."""
    folded = [it for it in rest if it["folded"]]
    return {"title": t("to_check_group", group=title), "items": [it for it in rest if not it["folded"]],
            "count": str(len(rest)), "folded": folded,
            "folded_summary": t("folded_summary", n=len(folded), below=t.pct(fold)) if folded else "",
            "folded_md": t("folded_md" if len(folded) < len(rest) else "folded_md_only", n=len(folded),
                           below=t.pct(fold)) if folded else ""}


def _recommendations(session: Session, t: Translator, names: _Names, fold: Optional[float] = None) -> Section:
    sec = Section("recommendations", t("sec_recommendations"))
    groups: dict[tuple[str, Optional[str]], list[dict[str, Any]]] = {}
    procedure: list[dict[str, Any]] = []  # "Next slide, please.": listed apart, not counted as advice
    requests: list[dict[str, Any]] = []  # "Show me how you set it up.": the asker is taught, listed apart (round 22)
    whole = WholeText(session)
    seen: dict[tuple[str, Optional[str], str, bool, bool], dict[str, Any]] = {}
    for r in sorted(session.recommendations, key=lambda r: (r.start is None, r.start or 0.0)):
        text = whole(r.utterance_id, r.text)
        key = (r.giver, r.receiver, text, r.procedure, r.request)
        if key in seen:  # two lines of one sentence ("Just bring two-thirds," | "over to the other side."): one item
            first = seen[key]
            if first["to_check"] and not r.to_check:
                first.update(to_check=False, confidence=_measured(t, r.confidence), folded=False)
            elif first["folded"] and not _folded(r.confidence, r.to_check, fold):
                first.update(confidence=_measured(t, r.confidence), folded=False)
            continue
        item = {"text": text, "at": _at(r.start), "area": t.area(r.area) if r.area else "",
                "confidence": _measured(t, r.confidence), "to_check": r.to_check,
                "folded": _folded(r.confidence, r.to_check, fold)}
        seen[key] = item
        if r.procedure:
            item["text"] = f"{names(r.giver)}: {text}"
            procedure.append(item)
        elif r.request:
            item["text"] = f"{names(r.giver)}: {text}"
            requests.append(item)
        else:
            groups.setdefault((r.giver, r.receiver), []).append(item)

    def count(items: list[dict[str, Any]]) -> str:
        n_check = sum(1 for it in items if it["to_check"])
        return f"{len(items)}, {t('to_check_count', n=n_check)}" if n_check else str(len(items))

    # round 26 (audit): the counted advice first, each direction's items marked to check after all of it under their
    # own heading: SBC009's 3 counted recommendations stood among 18 to check, which a pair read as 21 pieces of advice
    unsure: list[dict[str, Any]] = []
    for (giver, receiver), items in sorted(groups.items(), key=lambda kv: -sum(1 for it in kv[1] if not it["to_check"])):
        title = t("from_to", giver=names.with_role(giver),
                  receiver=names.with_role(receiver) if receiver else t("to_everyone"))
        sure = [it for it in items if not it["to_check"]]
        if sure:
            sec.groups.append({"title": title, "items": sure, "count": str(len(sure))})
        if len(sure) < len(items):
            unsure.append(_to_check_group(t, title, [it for it in items if it["to_check"]], fold))
    sec.groups.extend(unsure)
    if procedure:
        sec.groups.append({"title": t("procedure_group"), "items": procedure, "count": count(procedure)})
    if requests:
        sec.groups.append({"title": t("request_group"), "items": requests, "count": count(requests)})
    if any(r.to_check for r in session.recommendations):
        sec.sentences.append(t("to_check_note"))
    _say_left_out(sec, session, t, "recommendation")
    if not sec.groups and not _gap(sec, session, t):
        sec.empty = t("none_recommendations")
    return sec


def _without_unknown_columns(sec: Section, t: Translator, labels: tuple[str, ...]) -> Section:
    """``sec`` without those of the columns ``labels`` in which every row is unknown ("–" or "n/a")."""
    unknown = {"–", t("n_a")}
    drop = {i for i, c in enumerate(sec.columns) if c in labels and sec.rows and all(r[i] in unknown for r in sec.rows)}
    if drop:
        sec.columns = [c for i, c in enumerate(sec.columns) if i not in drop]
        sec.rows = [[v for i, v in enumerate(r) if i not in drop] for r in sec.rows]
    return sec


def _without_empty_at(sec: Section, t: Translator) -> Section:
    """``sec`` without its "At" column when no row has a time (an untimed transcript: a column of "–")."""
    at = t("at")
    if at in sec.columns and sec.rows:
        i = sec.columns.index(at)
        if all(row[i] == "–" for row in sec.rows):
            sec.columns = sec.columns[:i] + sec.columns[i + 1:]
            sec.rows = [row[:i] + row[i + 1:] for row in sec.rows]
    return sec


def _actions(session: Session, t: Translator, names: _Names) -> Section:
    from sessionscope.report.tasktext import task_for_reader

    lang = session.language or t.lang  # the words are the session's, whatever the report's language

    def task(a: ActionItem) -> str:  # "send you the guide" under the owner's name: "send Robert Hale the guide"
        return task_for_reader(a, session, language=lang)

    # the confidence column only when some item carries a measured confidence
    measured = any(a.confidence is not None for a in session.tasks)
    sec = Section("actions", t("sec_actions"),
                  columns=[t("owner"), t("task"), t("due"), t("at"), *([t("confidence")] if measured else [])])
    # moves within the meeting ("I'll draw it on the whiteboard"): listed under the table, not counted as tasks
    moves = sorted((a for a in session.action_items if a.in_meeting), key=lambda a: (a.start is None, a.start or 0.0))
    if moves:
        sec.extra["aside"] = {"title": t("in_meeting_group"), "items": [
            # the task phrase, not a slice of the utterance: a redacted text no longer matches the item's offsets
            f"{names(a.owner) if a.owner else t('unknown')}: {task(a)}"
            + (f" ({_at(a.start)})" if a.start is not None else "") for a in moves]}
    for a in sorted(session.tasks, key=lambda a: (a.start is None, a.start or 0.0)):
        due = a.due_date.isoformat() if a.due_date else (a.due_text or t("unknown"))
        if a.due_date and a.due_text:
            due = f"{a.due_date.isoformat()} ({a.due_text})"
        owners = list(dict.fromkeys([*([a.owner] if a.owner else []), *a.owners]))
        who = ", ".join(names(o) for o in owners) if owners else t("unknown")
        if a.to_check:
            sec.extra.setdefault("to_check", []).append(len(sec.rows))
        sec.rows.append([who, task(a), due, _at(a.start),
                         *([t.pct(a.confidence) if a.confidence is not None else "–"] if measured else [])])
    sec.extra["mark_column"] = 1
    if sec.extra.get("to_check"):
        sec.sentences.append(t("to_check_note"))
        from sessionscope.analysis.extract.rules import LOW_HEAD

        if any(a.to_check and a.method == LOW_HEAD and (a.confidence or 0.0) >= 0.5 for a in session.tasks):
            sec.sentences.append(t("to_check_rule_note"))
    _say_left_out(sec, session, t, "action")
    if not sec.rows and not _gap(sec, session, t):
        sec.empty = t("none_actions_only_moves") if moves else t("none_actions")
    return _without_empty_at(sec, t)


def unnamed_only(session: Session) -> bool:
    """The transcript names nobody: every utterance is the one ``unknown`` speaker (a caption file), so nothing
    between speakers (who answered whom) can be told."""
    return [p.id for p in session.participants] == [UNKNOWN_ID]


def _questions(session: Session, t: Translator, names: _Names) -> Section:
    sec = Section("questions", t("sec_questions"), columns=[t("asked_by"), t("question"), t("at")])
    n_tags = 0
    whole = WholeText(session)
    rows: dict[tuple[str, str], int] = {}  # one row per sentence: "would that one be," | "square root of one half?"
    for q in session.questions:
        if not q.answered and q.confirmation_tag:  # "…, right?": a check, not a question left open
            n_tags += 1
        elif not q.answered:
            text = whole(q.utterance_id, q.text)
            if (q.asker, text) in rows:
                if not q.to_check and rows[(q.asker, text)] in sec.extra.get("to_check", []):
                    sec.extra["to_check"].remove(rows[(q.asker, text)])
                continue
            rows[(q.asker, text)] = len(sec.rows)
            if q.to_check:
                sec.extra.setdefault("to_check", []).append(len(sec.rows))
            sec.rows.append([names(q.asker), text, _at(q.start)])
    sec.extra["mark_column"] = 1
    if sec.rows and unnamed_only(session):  # one "unknown" speaker: an answer by anyone else is the same label
        sec.sentences.append(t("questions_unnamed"))
    if sec.extra.get("to_check"):
        sec.sentences.append(t("to_check_note"))
    if n_tags:
        sec.sentences.append(t.count("questions_tags_not_listed", n_tags))  # not "1 confirmation checks are"
    if not sec.rows and not _gap(sec, session, t):
        asked = session.metrics is not None and session.metrics.session.get("questions") is not None
        sec.empty = t("none_questions") if (session.questions or asked) else t("none_questions_unknown")
    return _without_empty_at(sec, t)


#: words of the interrupted utterance shown where its speaker stopped
CUT_OFF_WORDS = 10


def _interruptions(session: Session, t: Translator, names: _Names, below: Optional[float] = None) -> Section:
    """Each interruption the dynamics counted (``metrics.interruption_events``, round 51): when, who took the floor,
    who was cut off, the last words they said, and the cut-off model's probability (optional section: shown when there
    are some). Those under ``below`` (``report.interruption_check_below``) are marked to check; the counts keep them."""
    sec = Section("interruptions", t("sec_interruptions"), columns=[
        t("at"), t("interrupter"), t("interrupted_speaker"), t("cut_off_words"), t("likelihood")])
    events = session.metrics.interruption_events if session.metrics else ()
    text = {u.id: u.text for u in session.utterances}
    for e in events:
        words = text.get(e.interrupted_utterance_id, "").split()
        tail = " ".join(words[-CUT_OFF_WORDS:])
        if below is not None and e.probability is not None and e.probability < below:
            sec.extra.setdefault("to_check", []).append(len(sec.rows))
        sec.rows.append([_at(e.start), names(e.interrupter), names(e.interrupted),
                         ("…" if len(words) > CUT_OFF_WORDS else "") + tail,
                         t.pct(e.probability) if e.probability is not None else "–"])
    sec.extra["mark_column"] = 3
    if sec.rows:
        sec.sentences.append(t("interruptions_note"))
    if sec.extra.get("to_check"):
        sec.sentences.append(t("interruptions_to_check_note", below=t.pct(below)))
    return _without_empty_at(sec, t)


def _problems(session: Session, t: Translator, names: _Names) -> Section:
    sec = Section("problems", t("sec_problems"), columns=[t("raised_by"), t("problem"), t("area"), t("at")])
    whole = WholeText(session)
    # one row per sentence (round 53): a sentence recognised as two segments, each with a problem in it ("…мы не
    # успеваем," | "слишком много правок от отдела продаж."), was listed twice as the same whole sentence; solved
    # when either part was
    first: dict[tuple[str, str], Problem] = {}
    solved: dict[tuple[str, str], bool] = {}
    for p in session.problems:
        key = (p.raiser, whole(p.utterance_id, p.text))
        first.setdefault(key, p)
        solved[key] = solved.get(key, False) or p.solved
    for (raiser, text), p in first.items():
        status = t("solved") if solved[(raiser, text)] else t("unsolved")
        sec.rows.append([names(raiser), f"{text} ({status})", t.area(p.area) if p.area else "", _at(p.start)])
    return _without_empty_at(sec, t)


#: flags whose value and threshold are shares (docs/extraction.md, analysis/flow.py compute_flags)
SHARE_FLAGS = frozenset({"one_sided", "junior_rarely_speaks", "unreliable_transcript"})


def _flags(session: Session, t: Translator) -> Section:
    # "86 % / 80 %" under "Value" left the reader to guess what the second figure is: the threshold
    sec = Section("flags", t("sec_flags"), columns=["", t("flag_col"), t("flag_details"), t("flag_value_threshold")])
    for f in session.flags:
        sev = t(f"severity_{f.severity}") if t.has(f"severity_{f.severity}") else f.severity
        # a share is shown as the percentage its message states ("holds 0% … | 0 % / 20 %", not "0 / 0.2")
        show = t.pct if f.code in SHARE_FLAGS else (lambda x: t.num(x, -1))
        value = "" if f.value is None else show(float(f.value))
        if f.threshold is not None:
            value += f" / {show(float(f.threshold))}"
        # stage messages are English: translated for a Russian report (an unknown one left out, its title says it)
        details = translate_flag(with_names(f.message, session), t.lang) if t.has(f"flag_{f.code}") \
            else with_names(f.message, session)
        sec.rows.append([sev, t.flag(f.code), details, value.strip(" /")])
        sec.extra.setdefault("severities", []).append(f.severity)
    if _gap(sec, session, t):
        return sec  # the flags were never computed: "no flags" would be a false all-clear
    run = session.provenance.outcome("extraction")
    if run is not None and run.status != "ok":  # flags ran, but without what extraction finds
        sec.sentences.append(t("flags_partial", reason=stage_reason(run, t)))
    if session.utterances and session.span_s is None:  # "no flags" must not read as "long enough"
        sec.sentences.append(t("flags_no_length"))
    if not sec.rows:
        sec.empty = t("none_flags")
    return sec


#: a diarization label used as a participant's name when nobody named the speakers
_DIARIZATION_LABEL = re.compile(r"SPEAKER_\d+")


def unnamed_voices(session: Session) -> list[str]:
    """The diarization labels ("SPEAKER_00") a transcribed session still shows as participants: nobody was named
    (no participants given, no mapping), so every finding is about a label, not a person."""
    q = session.quality
    if q is None or q.asr_model is None or q.speaker_mapping_method:
        return []
    return [p.name for p in session.participants if _DIARIZATION_LABEL.fullmatch(p.name)]


def _quality(session: Session, t: Translator) -> Section:
    sec = Section("quality", t("sec_quality"), columns=[t("measure"), t("value")])
    sec.extra["steps"] = _steps(session, t)
    sec.extra["steps_columns"] = [t("step"), t("outcome"), t("reason")]
    # "every step ran" only when every analysis stage left a record (not for sessions from before the records)
    recorded = all(session.provenance.outcome(stage) is not None for stage in set(SECTION_STAGES.values()))
    sec.extra["steps_all_ok"] = recorded and not sec.extra["steps"]
    q = session.quality
    if q is None:
        sec.rows.append([t("q_timing"), _timing(session, t, session.timed)])
        sec.empty = t("none_quality")
        return sec
    transcribed = q.asr_model is not None
    rows: list[tuple[str, Optional[str]]] = [
        (t("q_timing"), _timing(session, t, q.timing_available)),
        (t("q_asr_model"), q.asr_model if transcribed else t("q_imported")),
        (t("q_conf"), None if q.mean_word_confidence is None else t.pct(q.mean_word_confidence)),
        (t("q_lowconf"), None if q.low_confidence_word_share is None else t.pct(q.low_confidence_word_share)),
        (t("q_mapping_method"), t(f"map_{q.speaker_mapping_method}") if t.has(f"map_{q.speaker_mapping_method}")
         else q.speaker_mapping_method),  # "order" alone did not say it is a guess
        (t("q_mapping_conf"), None if q.speaker_mapping_confidence is None else t.pct(q.speaker_mapping_confidence)),
        (t("q_unmapped"), ", ".join(q.unmapped_speaker_labels) or "–"),
        # hallucination filtering only exists for speech recognition
        (t("q_dropped"), str(q.hallucinations_dropped) if transcribed or q.hallucinations_dropped else None),
        (t("q_repetitions"), str(q.repetitions_dropped) if transcribed or q.repetitions_dropped else None),
    ]
    sec.rows = [[label, value] for label, value in rows if value is not None]  # unknowns are left out
    sec.extra["dropped_texts"] = list(q.dropped_texts)
    sec.extra["notes"] = [translate_note(_mapping_names(n, session), t.lang) for n in q.notes]
    unnamed = unnamed_voices(session)
    if unnamed:  # "SPEAKER_00" is a label, not a person
        sec.extra["notes"].append(t.trusted("q_unnamed_speakers", labels=", ".join(unnamed)))
        if count_estimated(session):  # "2 speakers" read as a fact: it is the diarization's estimate
            sec.extra["notes"].append(t.trusted("q_count_estimated", n=len(unnamed)))
    if diarized_recording(session):  # turns, interruptions, pauses from the diarization: what they are worth
        sec.extra["notes"].append(t("q_audio_events"))
    for name, talk_s, words, rate in sparse_words(session):  # talk time kept, words lost: say whose
        sec.extra["notes"].append(t("q_sparse_words", name=name, talk=fmt_clock(talk_s), words=words,
                                    word_noun="word" if words == 1 else "words", rate=f"{rate:.0f}"))
    for name, talk_s, share, words in tiny_voices(session):  # "Carl 3 %, 1 word" from a count given too high
        sec.extra["notes"].append(t.trusted("q_tiny_voice", name=name, talk=fmt_clock(talk_s), share=t.pct(share), words=words))
    return sec


#: a participant of a recording with less than this share of the talk time and fewer than
#: :data:`TINY_VOICE_MAX_WORDS` recognised words is named in the data-quality notes: when more participants
#: are named than voices speak, the diarization still makes one label per participant, and the extra one is a
#: sliver of another voice or of noise (round 21 audit: three names on the two-person pyannote sample gave
#: "Carl 3 %" with 1 word). A real but nearly silent participant reads the same; the note says both.
TINY_VOICE_SHARE = 0.05
TINY_VOICE_MAX_WORDS = 10


def tiny_voices(session: Session) -> list[tuple[str, float, float, int]]:
    """(name, talk time s, talk share, words) of each participant of a transcribed recording with less than
    :data:`TINY_VOICE_SHARE` of the talk time and fewer than :data:`TINY_VOICE_MAX_WORDS` words, in sessions of
    two or more participants. Empty for imported transcripts."""
    q, m = session.quality, session.metrics
    if q is None or q.asr_model is None or m is None or len(session.participants) < 2:
        return []
    talk = {p.id: (m.participants.get(p.id) or {}).get("talk_time_s") for p in session.participants}
    total = sum(v for v in talk.values() if v)
    if not total:
        return []
    out = []
    for p in session.participants:
        pm = m.participants.get(p.id) or {}
        words = pm.get("word_count")
        t_s = talk[p.id] or 0.0
        if words is not None and t_s / total < TINY_VOICE_SHARE and words < TINY_VOICE_MAX_WORDS:
            out.append((p.name, float(t_s), t_s / total, int(words)))
    return out


#: words per minute of talk time below which a participant's speech was mostly not transcribed: read and
#: conversational speech runs at about 100-200 (the round-21 development recordings: 130-210 where nothing was
#: lost; 24 for the call voice whose speech was skipped)
SPARSE_WORDS_PER_MIN = 60.0
#: talk time (s) from which the rate is judged: a few seconds of "yeah" and laughter say nothing
SPARSE_WORDS_MIN_TALK_S = 10.0


def sparse_words(session: Session) -> list[tuple[str, float, int, float]]:
    """(name, talk time s, words, words per minute) of each participant of a transcribed recording whose talk
    time carries few recognised words (< :data:`SPARSE_WORDS_PER_MIN` a minute over at least
    :data:`SPARSE_WORDS_MIN_TALK_S` s): speech the recogniser skipped still counts as talk time, so their talk share
    stands while their words, questions, advice and tasks are missing. Empty for imported transcripts (their
    times are the transcript's, not the speech's)."""
    q, m = session.quality, session.metrics
    if q is None or q.asr_model is None or m is None:
        return []
    out = []
    for p in session.participants:
        pm = m.participants.get(p.id) or {}
        talk, words = pm.get("talk_time_s"), pm.get("word_count")
        if talk is None or words is None or talk < SPARSE_WORDS_MIN_TALK_S:
            continue
        rate = 60.0 * words / talk
        if rate < SPARSE_WORDS_PER_MIN:
            out.append((p.name, float(talk), int(words), rate))
    return out


def count_estimated(session: Session) -> bool:
    """Whether a recording's number of speakers was estimated by the diarization (no participants, no
    ``--speakers``, not one voice per channel) rather than given, as ``run`` records it
    (``extra["speaker_count"]``, :func:`~sessionscope.batch.with_speaker_count_source`): a wrong estimate splits one
    person or merges two, and nothing else in the report says the count is not a fact. ``False`` when unrecorded."""
    return (session.extra or {}).get("speaker_count") == "estimated"


#: notes that end in a list "LABEL→participant id, …" (audio/pipeline.py, remapping.py)
_MAPPING_NOTE = re.compile(r"(channel → participant mapping: |speaker mapping corrected by hand: )(.+)")


def _mapping_names(note: str, session: Session) -> str:
    """A mapping note's participant ids as names ("SPEAKER_00→lena" → "SPEAKER_00→Lena"); other notes unchanged
    (their words are not ids: a participant "a" must not turn "(a guess)" into "(A guess)")."""
    m = _MAPPING_NOTE.fullmatch(note)
    if m is None:
        return note
    names = {p.id: p.name for p in session.participants}
    pairs = [pair.partition("→") for pair in m.group(2).split(", ")]
    return m.group(1) + ", ".join(f"{lab}{arrow}{names.get(pid, pid) if arrow else ''}" for lab, arrow, pid in pairs)


def _steps(session: Session, t: Translator) -> list[list[str]]:
    """Rows (step, outcome, why) for every stage or sub-step that was skipped, failed or degraded.

    A step's last outcome counts (a rerun replaces an earlier failure); ``ok`` with a
    reason is a degradation ("fixed-window fallback without the segmentation model").
    """
    last: dict[str, StageRun] = {}
    for run in session.provenance.stage_runs:
        last.pop(run.name, None)
        last[run.name] = run
    return [[t.stage(r.name), t(f"status_{r.status}"), stage_reason(r, t)]
            for r in last.values() if r.status != "ok" or r.reason]


def _summary(session: Session, t: Translator, names: _Names) -> Section:
    sec = Section("summary", t("sec_summary"))
    # the areas in the topic table's order (largest share first) with small talk last, not by their ids ("other"
    # came before "projects", so the chat's key points led the list); in each area the points keep their order
    tp = session.topics
    share = {**(tp.area_word_share if tp else {}), **(tp.area_time_share if tp else {})}

    def rank(area: str) -> tuple[bool, float, int]:
        return (area == t.other_area, -share.get(area, 0.0), t.areas.index(area) if area in t.areas else len(t.areas))

    whole = WholeText(session)
    shown: list[tuple[str, str, str]] = []
    for kp in sorted(session.summary, key=lambda kp: rank(kp.area)):
        text = whole(kp.utterance_id, kp.text)
        # two points on consecutive lines of one sentence ("Do X," | "and leave Y.") read as that same sentence: once
        norm = " ".join(text.split())
        if any(a == kp.area and sp == kp.speaker and norm in seen for a, sp, seen in shown):
            continue
        shown.append((kp.area, kp.speaker, norm))
        sec.groups.append({"area": t.area(kp.area), "speaker": names(kp.speaker), "text": text})
    if not sec.groups and not _gap(sec, session, t):
        if any(r.to_check for r in session.advice) or any(a.to_check for a in session.tasks):
            sec.empty = t("none_summary_to_check")
        elif any(p.confidence is None for p in session.problems) or any(
                r.confidence is None for r in session.advice) or any(a.confidence is None for a in session.tasks):
            sec.empty = t("none_summary_unmeasured")  # not "none extracted" beside a list of problems
    return sec


def _checklist(session: Session, t: Translator) -> Section:
    """The programme guide's checklist (owned by agent-programme: report/checklist.py)."""
    from sessionscope.report.checklist import checklist_section

    return checklist_section(session, t)


def build_view(session: Session, *, redacted: bool = False, cfg: Optional[ReportConfig] = None,
               taxonomy: Optional[Taxonomy] = None) -> ReportView:
    """Localised content of the session report (language from ``session.language``).

    ``taxonomy``: the one the session's topics were classified with (``topics.taxonomy``
    in the config); a custom taxonomy's area and mode names and order are used. Default:
    the programme guide's areas.
    """
    language, guessed = report_language(session)
    t = Translator(language, taxonomy)
    names = _Names(session, t)
    fold = (cfg or ReportConfig()).fold_to_check_below
    header = [(t("session"), session.id)]
    if session.pair_id:
        header.append((t("pair"), session.pair_id))
    if session.date:
        from sessionscope.io._common import DATE_FROM_NAME

        day = session.date.isoformat()
        header.append((t("date"), t("date_from_name", date=day) if session.extra.get("date_source") == DATE_FROM_NAME else day))
    header.append((t("duration"), fmt_clock(session.span_s) if session.span_s is not None else t("n_a")))
    header.append((t("language"), (t("language_guessed", language=language) if guessed else language) or t("n_a")))
    participants = []
    m = session.metrics
    for p in session.participants:
        pm = m.participants.get(p.id, {}) if m else {}
        share = pm.get("talk_share") if session.timed else pm.get("word_share")
        participants.append({"id": p.id, "name": p.name, "role_id": p.role.value,
                             # a redacted name is the role ("Other 1"): not "Other 1 other"
                             "role": "" if is_role_label(p.name, p.role) else t.role(p.role, p.name),
                             "share": t.pct(share) if share is not None else ""})
    balance = Section("balance", t("sec_balance"), sentences=balance_sentences(session, t, names, cfg))
    sections = [
        balance,
        _figures(session, t, names),
        _topics(session, t, names),
        _summary(session, t, names),
        _recommendations(session, t, names, fold),
        _checklist(session, t),
        _actions(session, t, names),
        _questions(session, t, names),
        _interruptions(session, t, names, (cfg or ReportConfig()).interruption_check_below),
        _problems(session, t, names),
        _flags(session, t),
        _quality(session, t),
    ]
    if session.utterances and not session.has_words:  # "none detected" would be a finding about nothing
        for sec in sections:
            if sec.key in TEXT_SECTIONS:
                sec.sentences, sec.rows, sec.groups = [], [], []
                sec.extra = {k: v for k, v in sec.extra.items() if k == "steps"} | {"not_analysed": True}
                sec.empty = t("not_analysed", reason=t("no_words_reason"))
            elif sec.key == "quality":
                sec.extra["steps_all_ok"] = False  # not "every analysis step ran in full" beside six "not analysed"
    return ReportView(lang=t.lang, t=t, title=t("title"), header=header, participants=participants,
                      sections=sections, footer=t("generated_by", version=__version__), redacted=redacted)

"""The guide's checklist for one session: what a recording can show, marked met / not met / can't tell.

DOMAIN.md, "What a session should contain", asks for: at least an hour; concrete cases
rather than general talk; recommendations written down; the junior prepares questions
and asks them; both sides ask and both advise; the junior speaks freely, without being
cut off; small goals with owners and dates; feedback from both participants.

Each item carries its evidence: the measure, its value, the threshold (from the
``programme`` section of the config) and up to three utterances. An item is **can't
tell** when the stage that measures it did not run (``session.provenance.stage_runs``:
skipped or failed, with its reason) or the input cannot show it (an untimed transcript
has no duration; no junior in the session). Sessions written before stages were recorded
(no ``stage_runs`` at all) are read from the data they contain, and the evidence says so.

Limits: a recording shows questions *asked*, not questions *prepared*; "recommendations
recorded" means recommendations were found in the conversation, not that anyone wrote
them down; feedback talk is found by cue phrases ("feedback", "what was useful",
"обратная связь", "что было полезно") or by both participants answering the survey for
that session.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

from sessionscope.config import DynamicsConfig, ProgrammeConfig
from sessionscope.model import Role, Session

ITEMS = ("one_hour", "concrete_cases", "recommendations_recorded", "junior_questions", "both_ways",
         "junior_spoke_freely", "goals_owner_date", "feedback")
MET, NOT_MET, CANT_TELL = "met", "not_met", "cant_tell"
SHARES = ("concrete_cases", "junior_spoke_freely")  # items whose value and threshold are shares
FEEDBACK_CUES = re.compile(
    r"feedback|what was (most )?useful|was (this|today) useful|how did (you find|today go)|what could we do better|"
    r"обратн\w* связ\w*|что было (самым )?полезн\w*|было ли полезн\w*|как (тебе|вам) (сегодняшняя )?встреча|"
    r"что можно улучшить", re.IGNORECASE)
#: which stage produces each item's measure
STAGE_OF = {"one_hour": None, "concrete_cases": "topics", "recommendations_recorded": "extraction",
            "junior_questions": "dynamics", "both_ways": "extraction", "junior_spoke_freely": "dynamics",
            "goals_owner_date": "extraction", "feedback": None}


@dataclass(frozen=True)
class CheckItem:
    """One checklist item of one session."""

    item: str
    status: str
    measure: str
    value: Optional[float] = None
    threshold: Optional[float] = None
    evidence: tuple[tuple[str, str], ...] = ()  # (utterance id, text)
    reason: Optional[str] = None


@dataclass
class SessionChecklist:
    """The checklist of one session."""

    session_id: str
    pair_id: str
    date: Optional[str]
    items: list[CheckItem] = field(default_factory=list)

    def status(self, item: str) -> Optional[str]:
        return next((i.status for i in self.items if i.item == item), None)


def _stage_state(s: Session, stage: Optional[str]) -> tuple[bool, Optional[str]]:
    """(usable, reason when not) for the stage that measures an item."""
    if stage is None:
        return True, None
    runs = s.provenance.stage_runs
    if not runs:  # written before stages were recorded: judge from the data
        present = {"dynamics": s.metrics is not None, "topics": s.topics is not None, "extraction": True}[stage]
        return present, None if present else f"{stage} results missing"
    run = s.provenance.outcome(stage)
    if run is None:
        return False, f"{stage} did not run"
    if run.status != "ok":
        return False, f"{stage} {run.status}" + (f": {run.reason}" if run.reason else "")
    return True, None


def _ev(s: Session, ids: Sequence[str], limit: int = 3) -> tuple[tuple[str, str], ...]:
    by_id = {u.id: u for u in s.utterances}
    return tuple((i, by_id[i].text) for i in list(dict.fromkeys(ids))[:limit] if i in by_id)


def session_checklist(
    s: Session, cfg: Optional[ProgrammeConfig] = None, *, dynamics: Optional[DynamicsConfig] = None,
    survey_roles: Optional[set[str]] = None,
) -> SessionChecklist:
    """Mark each checklist item of ``s``; ``survey_roles`` are the roles that answered this session's survey
    (``None`` when no surveys were given)."""
    from sessionscope.analysis.dynamics import find_interruptions

    cfg = cfg or ProgrammeConfig()
    legacy = not s.provenance.stage_runs
    junior = next((p.id for p in s.participants if p.role == Role.JUNIOR), None)
    senior = next((p.id for p in s.participants if p.role == Role.SENIOR), None)
    out = SessionChecklist(s.id, s.pair_id or s.id, s.date.isoformat() if s.date else None)

    def add(item: str, status: str, measure: str, value: Optional[float] = None, threshold: Optional[float] = None,
            evidence: tuple[tuple[str, str], ...] = (), reason: Optional[str] = None) -> None:
        if legacy and STAGE_OF[item] and status != CANT_TELL:
            reason = (reason + "; " if reason else "") + "no stage record in this file: read from its results"
        out.items.append(CheckItem(item, status, measure, value, threshold, evidence, reason))

    def gate(item: str) -> bool:
        ok, why = _stage_state(s, STAGE_OF[item])
        if not ok:
            add(item, CANT_TELL, "stage did not run", reason=why)
        return ok

    # at least an hour
    span = s.span_s
    if span is None:
        add("one_hour", CANT_TELL, "duration (min)", reason="the transcript has no times")
    else:
        minutes = span / 60
        add("one_hour", MET if minutes >= cfg.checklist_min_minutes else NOT_MET, "duration (min)",
            round(minutes, 1), cfg.checklist_min_minutes)
    # concrete cases
    if gate("concrete_cases"):
        segs = s.topics.segments if s.topics else ()
        if not segs:
            add("concrete_cases", CANT_TELL, "share of case/problem discussion", reason="no topic segments")
        else:
            concrete = [g for g in segs if g.mode in ("case", "problem")]
            timed = all(g.start is not None and g.end is not None for g in segs)
            if timed:
                total = sum(g.end - g.start for g in segs) or 1.0  # type: ignore[operator]
                share = sum(g.end - g.start for g in concrete) / total  # type: ignore[operator]
            else:
                share = len(concrete) / len(segs)
            add("concrete_cases", MET if share >= cfg.checklist_min_case_share else NOT_MET,
                "share of case/problem discussion" + ("" if timed else " (by segment count)"), round(share, 3),
                cfg.checklist_min_case_share, _ev(s, [g.utterance_ids[0] for g in concrete if g.utterance_ids]))
    # recommendations recorded
    if gate("recommendations_recorded"):
        n = len(s.recommendations)
        add("recommendations_recorded", MET if n >= max(1, cfg.checklist_min_recommendations) else NOT_MET,
            "recommendations found", n, cfg.checklist_min_recommendations,
            _ev(s, [r.utterance_id for r in s.recommendations]))
    # the junior came with questions and asked them
    if junior is None:
        add("junior_questions", CANT_TELL, "questions asked by the junior", reason="no participant has the junior role")
    elif gate("junior_questions"):
        qs = [q for q in s.questions if q.asker == junior]
        asked = (s.metrics.participants.get(junior, {}).get("questions_asked") if s.metrics else None)
        n = len(qs) if s.questions or asked is None else int(asked)
        add("junior_questions", MET if n >= cfg.checklist_min_junior_questions else NOT_MET,
            "questions asked by the junior", n, cfg.checklist_min_junior_questions, _ev(s, [q.utterance_id for q in qs]))
    # both ask and both advise
    if junior is None or senior is None:
        add("both_ways", CANT_TELL, "questions and recommendations by each side",
            reason="the session needs a junior and a senior")
    elif gate("both_ways"):
        counts = {who: (sum(1 for q in s.questions if q.asker == who),
                        sum(1 for r in s.recommendations if r.giver == who)) for who in (junior, senior)}
        met = all(a >= 1 and b >= 1 for a, b in counts.values())
        missing = []
        for who, (a, b) in counts.items():
            label = "junior" if who == junior else "senior"
            missing += [f"the {label} asked no question"] if a == 0 else []
            missing += [f"the {label} gave no recommendation"] if b == 0 else []
        ev = [next((q.utterance_id for q in s.questions if q.asker == w), "") for w in (junior, senior)]
        ev += [next((r.utterance_id for r in s.recommendations if r.giver == w), "") for w in (junior, senior)]
        add("both_ways", MET if met else NOT_MET,
            f"questions/recommendations: junior {counts[junior][0]}/{counts[junior][1]}, "
            f"senior {counts[senior][0]}/{counts[senior][1]}",
            float(sum(1 for a, b in counts.values() if a >= 1 and b >= 1)), 2.0, _ev(s, ev, 4),
            None if met else "; ".join(missing))
    # the junior spoke freely and was not cut off
    if junior is None:
        add("junior_spoke_freely", CANT_TELL, "junior talk share", reason="no participant has the junior role")
    elif gate("junior_spoke_freely"):
        m = s.metrics.participants.get(junior, {}) if s.metrics else {}
        share = m.get("talk_share") if m.get("talk_share") is not None else m.get("word_share")
        cut = [(w, v, ok, uid) for w, v, ok, uid in find_interruptions(s.utterances, dynamics or DynamicsConfig())
               if v == junior and ok] if s.timed else []
        per_hour = len(cut) / (span / 3600) if span and s.timed else None
        if share is None:
            add("junior_spoke_freely", CANT_TELL, "junior talk share", reason="no talk share measured")
        else:
            free = share >= cfg.checklist_min_junior_talk_share
            # one cut-off never fails the item: in a short session a single one is a high hourly rate
            not_cut = per_hour is None or len(cut) <= 1 or per_hour <= cfg.checklist_max_junior_cutoffs_per_hour
            measure = f"junior talk share {share:.0%}" + (
                f", cut off {len(cut)} times ({per_hour:.1f}/h, at most {cfg.checklist_max_junior_cutoffs_per_hour:g})"
                if per_hour is not None else ", interruptions not measurable (untimed)")
            add("junior_spoke_freely", MET if free and not_cut else NOT_MET, measure, round(float(share), 3),
                cfg.checklist_min_junior_talk_share, _ev(s, [uid for *_x, uid in cut]))
    # small goals with owners and dates
    if gate("goals_owner_date"):
        good = [a for a in s.action_items if (a.owner or a.owners) and a.due_date]
        add("goals_owner_date", MET if len(good) >= max(1, cfg.checklist_min_goals) else NOT_MET,
            f"action items with an owner and a due date ({len(good)} of {len(s.action_items)})", len(good),
            cfg.checklist_min_goals, _ev(s, [a.utterance_id for a in good or s.action_items]))
    # feedback exchanged
    said = [u for u in s.utterances if FEEDBACK_CUES.search(u.text)]
    speakers = {u.speaker for u in said}
    both_said = junior is not None and senior is not None and {junior, senior} <= speakers
    both_answered = survey_roles is not None and {"junior", "senior"} <= survey_roles
    if both_said or both_answered:
        how = " and ".join(x for x, ok in (("feedback talk from both", both_said),
                                           ("both answered the survey", both_answered)) if ok)
        add("feedback", MET, how, evidence=_ev(s, [u.id for u in said]))
    elif survey_roles is not None:
        add("feedback", NOT_MET, f"survey answers from: {', '.join(sorted(survey_roles)) or 'nobody'}; "
            f"feedback talk from {len(speakers)} participant(s)", evidence=_ev(s, [u.id for u in said]))
    else:
        add("feedback", CANT_TELL, f"feedback talk from {len(speakers)} participant(s)",
            evidence=_ev(s, [u.id for u in said]),
            reason="feedback may be given outside the recording: pass the survey export (--surveys)")
    return out


CHECK_COLUMNS = ("session_id", "pair_id", "date", "item", "status", "measure", "value", "threshold", "reason",
                 "evidence_utterance_ids", "evidence")


def checklist_table(lists: Sequence[SessionChecklist]) -> Any:
    """The ``programme_checklist`` table: one row per session and item."""
    import pandas as pd

    rows = [{"session_id": c.session_id, "pair_id": c.pair_id, "date": c.date, "item": i.item, "status": i.status,
             "measure": i.measure, "value": i.value, "threshold": i.threshold, "reason": i.reason,
             "evidence_utterance_ids": ";".join(e[0] for e in i.evidence),
             "evidence": " | ".join(e[1] for e in i.evidence) or None} for c in lists for i in c.items]
    df = pd.DataFrame(rows, columns=list(CHECK_COLUMNS))
    df["date"] = pd.to_datetime(df["date"], errors="coerce")
    return df


def never_met(table: Any) -> dict[str, list[str]]:
    """Item → pairs that never met it in any session where it could be told (e.g. never discuss concrete cases)."""
    out: dict[str, list[str]] = {}
    if table is None or not len(table):
        return out
    told = table[table["status"] != CANT_TELL]
    for (item, pair), g in told.groupby(["item", "pair_id"], sort=True):
        if (g["status"] == NOT_MET).all():
            out.setdefault(str(item), []).append(str(pair))
    return out


def survey_roles_by_session(answers: Sequence[Mapping[str, Any]]) -> dict[str, set[str]]:
    """Session id → roles that answered its survey."""
    out: dict[str, set[str]] = {}
    for a in answers:
        if a.get("session_id") and a.get("role"):
            out.setdefault(a["session_id"], set()).add(a["role"])
    return out


def checklist_section(session: Session, t: Any, cfg: Optional[ProgrammeConfig] = None) -> Any:
    """The session report's "guide's checklist" section (a :class:`~sessionscope.report.view.Section`),
    localised by ``t``: one row per item with its status, measure and evidence."""
    from sessionscope.report.programme_i18n import pt
    from sessionscope.report.view import Section

    check = session_checklist(session, cfg)
    sec = Section("checklist", pt(t, "sec_checklist"),
                  columns=[pt(t, "ck_item"), pt(t, "ck_status"), pt(t, "ck_evidence")])
    for i in check.items:
        detail = pt(t, "ckm_" + i.item)
        if i.item == "both_ways" and ": " in i.measure:
            counts = i.measure.split(": ", 1)[1]
            detail += ": " + counts.replace("junior", t.role("junior")).replace("senior", t.role("senior"))
        elif i.item == "junior_spoke_freely" and i.value is not None:
            cut = re.search(r"cut off (\d+) times", i.measure)
            detail += f": {t.pct(i.value)}" + (f", {pt(t, 'ck_cut_off', n=cut.group(1))}" if cut else "")
        elif i.value is not None:
            detail += f": {t.pct(i.value) if i.item in SHARES else _short(t, i.value)}"
        if i.threshold is not None and i.item not in ("both_ways", "feedback"):
            limit = t.pct(i.threshold) if i.item in SHARES else _short(t, i.threshold)
            detail += f" ({pt(t, 'ck_threshold')} {limit})"
        if i.status == CANT_TELL and i.reason:
            detail += " — " + (pt(t, "ck_no_survey") if i.item == "feedback" else i.reason)
        if i.evidence:
            detail += " — «" + " | ".join(text[:160] for _uid, text in i.evidence[:2]) + "»"
        sec.rows.append([pt(t, "item_" + i.item), pt(t, "check_" + i.status), detail])
    sec.sentences.append(pt(t, "ck_note"))
    return sec


def _short(t: Any, x: float) -> str:
    """A number with at most two decimals and no trailing zeros, in the report's language."""
    return t.num(float(x), 0) if float(x).is_integer() else t.num(float(x), 2).rstrip("0").rstrip(".,")

"""Programme-level evidence for evaluators: tables per pair and per programme, and a dashboard.

:func:`build_programme` aggregates processed sessions into pandas tables that answer
the guide's quantitative questions — sessions held and time spent per pair, trends of
balance and mutuality over time, topics covered against the topics planned, action
items followed up, and the flags. :func:`write_programme` writes them as CSV and
Parquet plus ``dashboard.html``: one self-contained page (inline CSS, SVG charts made
written by ``report/svg.py``, plain inline JavaScript) that filters by pair and date range in the
browser without any network access.

Planned topics come from ``session.extra["topics_planned"]`` (set from the manifest) or
the ``planned`` argument (pair id → area ids).
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from sessionscope import __version__
from sessionscope.config import ProgrammeConfig
from sessionscope.model import Role, Session
from sessionscope.report.baseline import baseline_table, current_figures
from sessionscope.report.checklist import checklist_table, session_checklist, survey_roles_by_session
from sessionscope.report.goals import follow_goals, goals_table, pair_goal_rates
from sessionscope.report.leftout import NOT_COUNTED, left_out_frame
from sessionscope.report.stats import correlations
from sessionscope.report.surveys import ISSUE_COLUMNS, SurveyData, survey_tables
from sessionscope.report.tables import (
    COLUMNS,
    INTEGER_COLUMNS,
    flag_rows,
    session_row,
    session_tables,
    whole_numbers,
    write_tables,
)

log = logging.getLogger(__name__)


#: whole-number columns of the programme tables (see :data:`~sessionscope.report.tables.INTEGER_COLUMNS`)
PROGRAMME_INTEGER_COLUMNS: dict[str, tuple[str, ...]] = {
    "programme_sessions": (*INTEGER_COLUMNS["sessions"], "session_number", "recs_by_junior", "recs_by_senior",
                           "recs_by_junior_to_check", "recs_by_senior_to_check", "mutuality_flows",
                           "questions_by_junior", "questions_by_senior", "n_problems_solved", "checklist_met",
                           "checklist_told"),
    "programme_pairs": ("n_sessions", "sessions_60min_or_more", "recs_by_junior", "recs_by_senior",
                        "recs_by_junior_to_check", "recs_by_senior_to_check", "n_action_items",
                        "n_recommendations_to_check", "n_action_items_to_check", "n_flags", "goals_judged", "goals_open", "goals_pending"),
    "programme_flows": ("junior_to_senior", "senior_to_junior", "n_sessions"),
    "programme": ("n_pairs", "n_sessions", "n_action_items", "n_flags", "goals_open", "goals_pending",
                  "n_survey_answers", "n_input_issues", "n_left_out", "n_talk_share_sessions", "n_word_share_sessions",
                  "n_mutuality_sessions"),
}


@dataclass
class Programme:
    """The aggregated tables (pandas DataFrames) of a programme."""

    sessions: Any
    pairs: Any
    programme: Any
    topics: Any
    goals: Any
    flags: Any
    checklist: Any = None
    surveys: Any = None
    survey_issues: Any = None
    baseline: Any = None
    correlations: Any = None
    research: dict[str, Any] = field(default_factory=dict)
    voice_checks: dict[str, Any] = field(default_factory=dict)  # session id -> identify.VoiceCheck
    #: inputs of the batches behind the report that are not in it, and unreadable session files (report/leftout.py)
    left_out: Any = None
    #: who taught whom, by topic area: per pair and area, the junior's and the senior's flows to the other (round 42)
    flows: Any = None
    #: the sessions ``flows`` could be measured in (a knowledge flow, topic areas, a named junior and senior)
    flow_sessions: int = 0

    @property
    def followup(self) -> Any:
        """The goals table (action items followed across sessions); the name of earlier versions."""
        return self.goals

    def tables(self) -> dict[str, Any]:
        """Programme tables by file stem (the survey and baseline tables only when given)."""
        out = {"programme_sessions": self.sessions, "programme_pairs": self.pairs, "programme": self.programme,
               "programme_topics": self.topics, "programme_goals": self.goals, "programme_flags": self.flags,
               "programme_checklist": self.checklist}
        if self.surveys is not None:
            out["programme_surveys"] = self.surveys
            out["programme_correlations"] = self.correlations
        if self.baseline is not None:
            out["programme_baseline"] = self.baseline
        if self.survey_issues is not None:
            out["programme_input_issues"] = self.survey_issues
        if self.left_out is not None:
            out["programme_left_out"] = self.left_out
        if self.flows is not None:
            out["programme_flows"] = self.flows
        # as written (CSV, Parquet, workbook): counts as integers, empty where unknown, not "1.0" beside a gap
        return {k: whole_numbers(v.copy(), PROGRAMME_INTEGER_COLUMNS.get(k, ())) for k, v in out.items() if v is not None}


def _goal_vector_folder(where: Path | str | None) -> Optional[Path]:
    """The folder for goal follow-up vectors (``"cache"``: the sessionscope cache), or ``None`` when there is none."""
    if where is None:
        return None
    try:
        if where == "cache":
            from sessionscope.models import cache_dir

            return cache_dir("goal-vectors")
        path = Path(where)
        path.mkdir(parents=True, exist_ok=True)
        return path
    except OSError as e:  # a read-only home only costs the encoding
        log.warning("goal vectors are not kept between runs (%s)", e)
        return None


def _planned(s: Session, planned: Mapping[str, Sequence[str]] | None) -> list[str]:
    if planned and s.pair_id in planned:
        return list(planned[s.pair_id])  # type: ignore[index]  # in planned: not None
    value = s.extra.get("topics_planned") if isinstance(s.extra, dict) else None
    if isinstance(value, str):
        value = [v.strip() for v in value.replace(";", ",").split(",")]
    return [str(v) for v in value or [] if str(v).strip()]


def _area_rows(s: Session) -> list[dict[str, Any]]:
    """Per topic area of a session: ``seconds`` of discussion (``None`` for a transcript without times), its
    ``share`` of the session and the ``basis`` of that share (``time`` or ``words``).

    Until round 16 an untimed session's word share (0-1) went into ``seconds`` beside other sessions' seconds,
    so in a pair's coverage bar it weighed next to nothing."""
    if s.topics is None:
        return []
    timed = bool(s.topics.area_time_share and s.span_s)
    shares = s.topics.area_time_share if timed else s.topics.area_word_share
    return [{"area": a, "seconds": v * s.span_s if timed else None, "share": v,  # type: ignore[operator]
             "basis": "time" if timed else "words"} for a, v in shares.items()]


#: the session's data-quality notes (``quality.notes``: English, as in its session.json and its report's Data
#: quality) that change how its figures in the programme read, carried into ``programme_sessions.data_notes`` (round
#: 27 leftovers, EA-11: the Zoom meeting's interruptions column was simply empty). Not carried: notes on how a file was
#: read that change no figure (title lines skipped, utterances sorted, a cue without a name given to the previous
#: speaker as Zoom and Teams mean it, emoji reactions left out, the channel → participant list).
DATA_NOTE_PATTERNS = (
    r"no two cues of the \w+ file overlap", r"speaker mapping by \w+: no measured confidence",
    r"speaker changes fall inside a sentence",
    r"some speakers were mapped to participants by order of first speech", r"speaker mapping corrected by hand",
    r"telephone-band audio", r"no timestamps", r"only \d+ of \d+ utterances have start and end times",
    r"start times only", r"QMSum meeting: turns without times", r"the \w+ file names no speakers",
    r"utterances have no speaker label", r"captions without speaker names", r"RTTM without words",
    r"looks like a meeting chat export", r"no speaker turns found", r"diarization degraded",
    r"diarization\.enabled is off", r"the file looks truncated or damaged", r"has no WEBVTT header",
    r"transcription: no words recognised", r"had speech but no recognised words",
    r"no punctuation in the transcript: questions were found from word order", r"question marks are unreliable",
    r"the text does not read as English", r"most probable language overall was")
#: one pattern of them all (tests/test_r27_leftovers.py checks that each still matches a note the code writes)
DATA_NOTES = re.compile("|".join(DATA_NOTE_PATTERNS))
#: a cue file in which no two cues overlap (io/_common.py): with the overlap rule its interruptions are not counted,
#: not 0 (the cut-off model, the default since round 51, counts them from the words and pauses)
NO_OVERLAP_NOTE = re.compile(r"no two cues of the \w+ file overlap")
#: speakers matched by what was said, without a measured confidence (order of speech: ``speakers_guessed``)
UNMEASURED_MAPPING_NOTE = re.compile(r"speaker mapping by (introduction|addressing|mixed): no measured confidence")


#: columns of ``programme_flows``
FLOW_COLUMNS = ("pair_id", "area", "junior_to_senior", "senior_to_junior", "n_sessions")


def flow_table(sessions: Sequence[Session]) -> tuple[Any, int]:
    """Who taught whom, by topic area (round 42): per pair and area, the junior's flows to the senior and the senior's
    to the junior over the pair's sessions, and in how many sessions the area had any; and in how many sessions this
    could be measured. A flow is what the session's mutuality index counts (a recommendation given, a question or
    request answered; items to check left out). Sessions without a knowledge flow, topic areas, a junior and a senior
    are not measured; small talk is left out."""
    import pandas as pd

    from sessionscope.analysis.flow import NO_AREA

    acc: dict[tuple[str, str], list[Any]] = {}
    measured = 0
    for s in sessions:
        junior = next((p.id for p in s.participants if p.role == Role.JUNIOR), None)
        senior = next((p.id for p in s.participants if p.role == Role.SENIOR), None)
        kf = s.knowledge_flow
        if kf is None or s.topics is None or junior is None or senior is None:
            continue
        measured += 1
        for area, by_giver in kf.matrix.items():
            if area in (NO_AREA, "other"):
                continue
            j2s, s2j = by_giver.get(junior, {}).get(senior, 0), by_giver.get(senior, {}).get(junior, 0)
            if j2s or s2j:
                row = acc.setdefault((s.pair_id or s.id, area), [0, 0, 0])
                row[0] += j2s
                row[1] += s2j
                row[2] += 1
    rows = [{"pair_id": pair, "area": area, "junior_to_senior": v[0], "senior_to_junior": v[1], "n_sessions": v[2]}
            for (pair, area), v in sorted(acc.items())]
    return pd.DataFrame(rows, columns=list(FLOW_COLUMNS)), measured


def data_notes(s: Session) -> Optional[str]:
    """The session's notes of :data:`DATA_NOTES`, ``; ``-separated (``None`` when it has none)."""
    notes = [n for n in (s.quality.notes if s.quality is not None else ()) if DATA_NOTES.search(n)]
    return "; ".join(notes) or None


def build_programme(
    sessions: Sequence[Session], *, planned: Mapping[str, Sequence[str]] | None = None,
    followup_min_overlap: float = 0.5, cfg: Optional[ProgrammeConfig] = None, encoder: Any = "config",
    surveys: Optional[SurveyData] = None, baseline: Optional[tuple[list[Any], list[Any]]] = None,
    dynamics: Any = None, goal_vectors: Path | str | None = "cache", voice_checks: Mapping[str, Any] | None = None,
    mutual_few_flows: Optional[int] = None, left_out: Optional[Sequence[Mapping[str, Any]]] = None,
) -> Programme:
    """Aggregate sessions (any order, any pairs) into the programme tables.

    ``followup_min_overlap`` is ``report.followup_min_overlap`` of the config (see ``followup.py``);
    ``cfg`` the ``programme`` section (checklist thresholds, goal matching); ``encoder`` the
    sentence encoder for goals (``"config"``: ``cfg.goal_encoder``; ``None``: shared words only).
    ``surveys`` come from :func:`~sessionscope.report.surveys.match_surveys`, ``baseline`` from
    :func:`~sessionscope.report.baseline.read_baseline` (rows, issues). ``goal_vectors``: where the
    goal follow-up keeps utterance vectors between runs (``"cache"``: ``goal-vectors`` in the
    sessionscope cache folder; ``None``: encode every time), see :func:`~sessionscope.report.goals.follow_goals`.
    ``voice_checks``: session id -> :class:`~sessionscope.audio.identify.VoiceCheck` (:func:`pair_voice_checks`).
    ``left_out``: rows of ``programme_left_out`` (:mod:`~sessionscope.report.leftout`): inputs the batches failed on,
    unreadable session files; ``None``: the table is not written.
    """
    import pandas as pd

    cfg = cfg or ProgrammeConfig()
    if mutual_few_flows is None:  # the session reports' threshold (report.mutual_few_flows)
        from sessionscope.config import ReportConfig

        mutual_few_flows = ReportConfig().mutual_few_flows
    sessions = sorted(sessions, key=lambda s: (s.pair_id or "", s.date or _dt.date.min, s.id))
    rows = []
    for s in sessions:
        row = session_row(s)
        row["pair_id"] = s.pair_id or s.id
        row["minutes"] = None if s.span_s is None else s.span_s / 60.0
        junior = next((p.id for p in s.participants if p.role == Role.JUNIOR), None)
        senior = next((p.id for p in s.participants if p.role == Role.SENIOR), None)
        # a session naming no junior (or senior) has no count for them: unknown, not "0 recommendations by the junior"
        row["recs_by_junior"] = sum(1 for r in s.advice if r.giver == junior) if junior else None
        row["recs_by_senior"] = sum(1 for r in s.advice if r.giver == senior) if senior else None
        # of those, the ones marked to check: the reports show them apart, never as counted advice
        row["recs_by_junior_to_check"] = sum(1 for r in s.advice if r.giver == junior and r.to_check) if junior else None
        row["recs_by_senior_to_check"] = sum(1 for r in s.advice if r.giver == senior and r.to_check) if senior else None
        row["questions_by_junior"] = sum(1 for q in s.questions if q.asker == junior) if junior else None
        row["questions_by_senior"] = sum(1 for q in s.questions if q.asker == senior) if senior else None
        row["n_problems_solved"] = sum(1 for p in s.problems if p.solved)
        # the exchanges a mutuality rests on; its session report says "too few to read much into" below the
        # threshold, and so must the programme that averages it (round 27)
        kf = s.knowledge_flow
        flows = kf.n_flows if kf is not None and kf.mutuality_index is not None else None
        row["mutuality_flows"] = flows
        row["mutuality_few_flows"] = None if flows is None else bool(flows < mutual_few_flows)
        if row["n_recommendations"] is None:  # extraction did not run: unknown, not 0 (tables.EXTRACTION_COUNTS)
            row.update(dict.fromkeys(("recs_by_junior", "recs_by_senior", "recs_by_junior_to_check",
                                      "recs_by_senior_to_check", "questions_by_junior",
                                      "questions_by_senior", "n_problems_solved")))
        row["topics_planned"] = ";".join(_planned(s, planned))
        row["data_notes"] = data_notes(s)
        row["report"] = None
        rows.append(row)
    cols = list(rows[0]) if rows else ["session_id", "pair_id", "date", "minutes"]
    df = pd.DataFrame(rows, columns=cols)
    if not df.empty:
        df["date"] = pd.to_datetime(df["date"], errors="coerce")
        df["session_number"] = df.groupby("pair_id").cumcount() + 1
        df["planned_topics_covered_so_far"] = _coverage_so_far(df)
        vc = voice_checks or {}
        df["voices_swapped"] = [vc[sid].swapped if sid in vc else None for sid in df["session_id"]]
        df["voices_swap_margin"] = [vc[sid].margin if sid in vc else None for sid in df["session_id"]]

    enc = cfg.goal_encoder if encoder == "config" else encoder
    fu = goals_table(follow_goals(sessions, encoder=enc, similarity=cfg.goal_similarity,
                                  similarity_shared_words=cfg.goal_similarity_shared_words,
                                  min_overlap=followup_min_overlap,
                                  vector_cache=_goal_vector_folder(goal_vectors) if enc else None),
                     sessions)
    survey_df = issues_df = None
    if surveys is not None:
        survey_df, issues_df = survey_tables(surveys)
    roles = survey_roles_by_session(surveys.answers) if surveys is not None else {}
    checks = [session_checklist(s, cfg, dynamics=dynamics,
                                survey_roles=roles.get(s.id, set()) if surveys is not None else None)
              for s in sessions]
    checklist = checklist_table(checks)
    if not df.empty:
        met = checklist[checklist["status"] == "met"].groupby("session_id").size()
        told = checklist[checklist["status"] != "cant_tell"].groupby("session_id").size()
        df["checklist_met"] = df["session_id"].map(met).fillna(0).astype(int)
        df["checklist_told"] = df["session_id"].map(told).fillna(0).astype(int)
    topic_rows = []
    for s in sessions:
        topic_rows += [{"pair_id": s.pair_id or s.id, "session_id": s.id, "date": s.date, **r} for r in _area_rows(s)]
    topics = pd.DataFrame(topic_rows, columns=["pair_id", "session_id", "date", "area", "seconds", "share", "basis"])
    flags = pd.DataFrame(flag_rows(sessions), columns=list(COLUMNS["flags"]))
    flags["date"] = pd.to_datetime(flags["date"], errors="coerce")

    goal_rates = pair_goal_rates(fu)
    pair_rows = []
    for pair, g in (df.groupby("pair_id", sort=True) if not df.empty else []):
        covered = sorted({a for v in g["areas_covered"].dropna() for a in str(v).split(";") if a})
        planned_set = sorted({a for v in g["topics_planned"].dropna() for a in str(v).split(";") if a})
        pfu = fu[fu["pair_id"].fillna("") == pair] if not fu.empty else fu
        judged = pfu[pfu["status"] != "pending"] if not pfu.empty else pfu
        pair_rows.append({
            "pair_id": pair, "n_sessions": len(g), "first_date": g["date"].min(), "last_date": g["date"].max(),
            "total_hours": g["minutes"].sum(min_count=1) / 60.0 if g["minutes"].notna().any() else None,
            "mean_minutes": g["minutes"].mean(),
            # untimed transcripts have no length: "0 sessions of an hour" would be a finding about nothing
            "sessions_60min_or_more": int((g["minutes"] >= 60).sum()) if g["minutes"].notna().any() else None,
            # over the sessions with talk times (a transcript without times has only a share of the words)
            "mean_junior_talk_share": g["junior_talk_share"].mean(),
            "junior_talk_share_trend": _slope(g["junior_talk_share"].tolist()),
            "mean_junior_word_share": g["junior_word_share"].mean(),
            "mean_balance_score": g["balance_score"].mean(), "mean_mutuality": g["mutuality_index"].mean(),
            "mutuality_trend": _slope(g["mutuality_index"].tolist()),
            # over the sessions whose items were extracted (none: unknown, not 0); "to check" ones included, and counted
            "recs_by_junior": _known_sum(g["recs_by_junior"]), "recs_by_senior": _known_sum(g["recs_by_senior"]),
            "recs_by_junior_to_check": _known_sum(g["recs_by_junior_to_check"]),
            "recs_by_senior_to_check": _known_sum(g["recs_by_senior_to_check"]),
            "n_recommendations_to_check": _known_sum(g["n_recommendations_to_check"]),
            "n_action_items": _known_sum(g["n_action_items"]),
            "n_action_items_to_check": _known_sum(g["n_action_items_to_check"]),
            "action_items_followed_up_share": (float((judged["status"] != "not_mentioned").mean())
                                               if len(judged) else None),
            "action_items_done_share": float((judged["status"] == "done").mean()) if len(judged) else None,
            "areas_covered": ";".join(covered), "topics_planned": ";".join(planned_set),
            "planned_topics_covered_share": (len(set(planned_set) & set(covered)) / len(planned_set)
                                             if planned_set else None),
            "planned_topics_missing": ";".join(sorted(set(planned_set) - set(covered))),
            "n_flags": int(g["n_flags"].sum()),
            **{k: v for k, v in goal_rates.get(pair, {}).items()
               if k not in ("n_goals", "goals_done_share", "goals_followed_up_share")},
            "checklist_met_share": (float(g["checklist_met"].sum() / g["checklist_told"].sum())
                                    if g["checklist_told"].sum() else None),
        })
    pairs = pd.DataFrame(pair_rows)
    judged_all = fu[fu["status"] != "pending"] if not fu.empty else fu
    timed_any = not df.empty and bool(df["minutes"].notna().any())
    programme = pd.DataFrame([{
        "n_pairs": int(df["pair_id"].nunique()) if not df.empty else 0, "n_sessions": len(df),
        "first_date": df["date"].min() if not df.empty else None, "last_date": df["date"].max() if not df.empty else None,
        # hours and the hour-long share over the sessions whose length is known (none: unknown, not 0)
        "total_hours": (df["minutes"].sum() / 60.0) if timed_any else (None if len(df) else 0.0),
        "mean_minutes": df["minutes"].mean() if not df.empty else None,
        "share_sessions_60min_or_more": float((df["minutes"].dropna() >= 60).mean()) if timed_any else None,
        # talk-time shares and word shares apart, each with the number of sessions behind it
        "mean_junior_talk_share": df["junior_talk_share"].mean() if not df.empty else None,
        "n_talk_share_sessions": int(df["junior_talk_share"].notna().sum()) if not df.empty else 0,
        "mean_junior_word_share": df["junior_word_share"].mean() if not df.empty else None,
        "n_word_share_sessions": int(df["junior_word_share"].notna().sum()) if not df.empty else 0,
        "mean_mutuality": df["mutuality_index"].mean() if not df.empty else None,
        "n_mutuality_sessions": int(df["mutuality_index"].notna().sum()) if not df.empty else 0,
        "n_action_items": len(fu),
        "action_items_followed_up_share": float((judged_all["status"] != "not_mentioned").mean()) if len(judged_all) else None,
        "n_flags": len(flags),
        "goals_done_share": float((judged_all["status"] == "done").mean()) if len(judged_all) else None,
        "goals_open": int(fu["open"].sum()) if len(fu) else 0,
        "goals_pending": int((fu["status"] == "pending").sum()) if len(fu) else 0,
        "n_survey_answers": len(survey_df) if survey_df is not None else None,
        "n_input_issues": len(issues_df) if issues_df is not None else None,
        # sessions of the batches behind the report that are in none of its figures (None: not looked for)
        "n_left_out": (sum(r["kind"] in NOT_COUNTED for r in left_out) if left_out is not None else None),
        "generated_by": f"sessionscope {__version__}",
    }])
    prog = Programme(sessions=df, pairs=pairs, programme=programme, topics=topics, goals=fu, flags=flags,
                     checklist=checklist, surveys=survey_df, survey_issues=issues_df, voice_checks=dict(voice_checks or {}),
                     left_out=left_out_frame(left_out) if left_out is not None else None)
    prog.flows, prog.flow_sessions = flow_table(sessions)
    if baseline is not None:
        b_rows, b_issues = baseline
        prog.baseline = baseline_table(b_rows, current_figures(prog, survey_df))
        extra = pd.DataFrame([vars(i) for i in b_issues], columns=list(ISSUE_COLUMNS))
        prog.survey_issues = extra if issues_df is None else pd.concat([issues_df, extra], ignore_index=True)
        prog.programme["n_input_issues"] = len(prog.survey_issues)
    if survey_df is not None:
        prog.correlations = correlations(df, survey_df, min_n=cfg.min_correlation_n)
    return prog


def not_analysed(sessions: Any) -> list[str]:
    """"SBC009 (extraction: skipped, flow: skipped)" for each session whose stages did not all run."""
    if not len(sessions) or "stages_not_run" not in sessions:
        return []
    return [f"{sid} ({', '.join(x.replace(':', ': ') for x in str(v).split(';'))})"
            for sid, v in zip(sessions["session_id"], sessions["stages_not_run"], strict=True)
            if isinstance(v, str) and v]


def pair_voice_checks(sessions: Sequence[Session], voiceprint_dirs: Sequence[str | Path]) -> dict[str, Any]:
    """Per session of a pair: do its voices, as now mapped, agree with the pair's other sessions?

    The voices are those ``run`` kept per speaker label (voiceprints on: ``<dir>/<pair>/sessions/``); each
    session's own ``speaker_map`` (after any ``remap``) says whose they are. A session is flagged only when
    its mapping was a guess (:func:`~sessionscope.audio.identify.voice_consistency`). Returns session id ->
    :class:`~sessionscope.audio.identify.VoiceCheck`, for the sessions that could be checked.
    """
    import numpy as np

    from sessionscope.audio.identify import VoiceprintStore, voice_consistency

    by_pair: dict[str, list[Session]] = {}
    for s in sessions:
        if s.pair_id:
            by_pair.setdefault(s.pair_id, []).append(s)
    out: dict[str, Any] = {}
    for pair, group in sorted(by_pair.items()):
        if len(group) < 2:
            continue
        stored: dict[str, dict[str, Any]] = {}
        for d in voiceprint_dirs:
            for sid, labels in VoiceprintStore(d).load_sessions(pair).items():
                stored.setdefault(sid, labels)
        voices: dict[str, dict[str, Any]] = {}
        guessed: set[str] = set()
        for s in group:
            audio = (s.extra or {}).get("audio") if isinstance(s.extra, dict) else None
            if s.id not in stored or not isinstance(audio, dict):
                continue
            smap, how = audio.get("speaker_map") or {}, audio.get("speaker_mapping") or {}
            mine: dict[str, list[Any]] = {}
            for lab, v in stored[s.id].items():
                if smap.get(lab) not in (None, lab) and how.get(lab) not in (None, "unmapped", "none"):
                    mine.setdefault(smap[lab], []).append(v)
            voices[s.id] = {pid: np.mean(vs, axis=0) for pid, vs in mine.items()}  # two labels one person: their mean
            if "order" in how.values():
                guessed.add(s.id)
        out.update(voice_consistency(voices, guessed))
    return out


def voice_swaps(prog: Programme) -> list[tuple[str, list[str]]]:
    """(session, the sessions it was compared with) for each session whose voices look swapped."""
    return [(sid, list(c.against)) for sid, c in sorted(prog.voice_checks.items()) if c.swapped]


def voice_swap_notes(prog: Programme, t: Any, text: Callable[[str], str] = str) -> list[str]:
    """The notes on guessed mappings whose voices look swapped (:func:`voice_swaps`), for ``programme.md`` and the
    dashboard: one per flagged session, naming the sessions it was compared with and, when some of those were
    mapped by voice, introduction or hand (and none of its own side was), saying its figures are probably swapped;
    a pair whose sessions, all guessed, split into two equally large camps that flag each other (nothing tells
    which is right) gets one note naming both sides instead of one per session. ``text``: how an id is written
    (:func:`~sessionscope.escape.md_text` for Markdown)."""
    from sessionscope.report.programme_i18n import pt

    swaps = voice_swaps(prog)
    flagged = {sid: set(others) for sid, others in swaps}
    guessed = set(guessed_sessions(prog.sessions))
    pair_of = dict(zip(prog.sessions["session_id"], prog.sessions["pair_id"], strict=True)) if len(prog.sessions) else {}
    notes: list[str] = []
    done: set[str] = set()
    for sid, others in swaps:
        if sid in done:
            continue
        side = sorted(s for s, o in flagged.items() if o == set(others))
        if others and all(flagged.get(o) == set(side) for o in others):  # each side flags the other: a tie
            done.update(side, others)
            notes.append(pt(t, "voices_split_note", pair=text(str(pair_of.get(sid, ""))), first=text(", ".join(side)),
                            second=text(", ".join(others))))
            continue
        evidence = [o for o in others if o not in guessed]
        own = [o for o, c in prog.voice_checks.items()  # its own side: the same pair's sessions it was not compared with
               if o != sid and o not in others and o not in guessed and pair_of.get(o) == pair_of.get(sid)
               and c.against and sid not in c.against]
        key = "voices_swapped_note_evidence" if evidence and not own else "voices_swapped_note"
        notes.append(pt(t, key, session=text(sid), others=text(", ".join(others)), evidence=text(", ".join(evidence))))
    return notes


def guessed_sessions(sessions: Any) -> list[str]:
    """Ids of the sessions whose speakers were matched to the participants by order of first speech (a guess)."""
    return sessions_where(sessions, "speakers_guessed")


def few_flow_sessions(sessions: Any) -> list[str]:
    """Ids of the sessions whose mutuality rests on fewer exchanges than ``report.mutual_few_flows`` (round 27): their
    reports say it is too few to read much into, and the programme's means include them."""
    return sessions_where(sessions, "mutuality_few_flows")


def noted_sessions(sessions: Any, note: re.Pattern[str]) -> list[str]:
    """Ids of the sessions whose ``data_notes`` hold ``note`` (:data:`NO_OVERLAP_NOTE`, :data:`UNMEASURED_MAPPING_NOTE`)."""
    if not len(sessions) or "data_notes" not in sessions:
        return []
    return [str(sid) for sid, v in zip(sessions["session_id"], sessions["data_notes"], strict=True)
            if isinstance(v, str) and note.search(v)]


def data_note_lines(prog: Programme, t: Any, text: Callable[[str], str] = str) -> list[str]:
    """The notes under the key figures on the sessions' data-quality notes that bear on them (round 27 leftovers,
    EA-11): cue files that cannot show interruptions, speakers matched without a measured confidence."""
    from sessionscope.report.programme_i18n import stages_note

    out = []
    for note, key in ((NO_OVERLAP_NOTE, "no_overlap_note"), (UNMEASURED_MAPPING_NOTE, "unmeasured_mapping_note")):
        ids = noted_sessions(prog.sessions, note)
        if key == "no_overlap_note":  # only those left without a count (the overlap rule; round 51)
            ids = [sid for sid in ids if sid in uncounted(prog.sessions, "interruptions")]
        if ids:
            out.append(stages_note(t, n=len(ids), total=len(prog.sessions), listed=text(", ".join(ids)), key=key))
    return out


def uncounted(sessions: Any, column: str) -> set[str]:
    """Ids of the rows of the ``sessions`` table whose ``column`` is empty (``None``, NaN, ``pd.NA``; every row
    without that column)."""
    if not len(sessions):
        return set()
    if column not in sessions:
        return {str(sid) for sid in sessions["session_id"]}
    return {str(sid) for sid, v in zip(sessions["session_id"], sessions[column], strict=True) if _empty(v)}


def _empty(v: Any) -> bool:
    try:
        return v is None or v != v
    except TypeError:  # pd.NA
        return True


def audio_sessions(sessions: Any) -> list[str]:
    """Ids of the sessions whose who-spoke-when comes from a recording's diarization (``speaker_times_from_audio``):
    their turn, interruption, overlap, backchannel and pause counts are trends (round 25, docs/metrics.md)."""
    return sessions_where(sessions, "speaker_times_from_audio")


def sessions_where(sessions: Any, column: str) -> list[str]:
    """Ids of the rows of the ``sessions`` table whose bool ``column`` is true (none without that column)."""
    if not len(sessions) or column not in sessions:
        return []
    return [str(sid) for sid, v in zip(sessions["session_id"], sessions[column], strict=True) if is_true(v)]


def is_true(v: Any) -> bool:
    """A table cell that holds true (``True``, numpy's ``True``); ``False`` for false, ``None``, NaN and ``pd.NA``."""
    try:
        return bool(v is not None and v == v and v)
    except TypeError:  # pd.NA
        return False


def _to_check(t: Any, n: Any, to_check: Any) -> str:
    """"1 (+1 to check)": the counted items, then those marked to check (``n`` counts both); "n/a" when unknown
    (the items were not extracted)."""
    from sessionscope.report.programme_i18n import pt

    if n is None or n != n:
        return str(t("n_a"))
    k = 0 if to_check is None or to_check != to_check else int(to_check)
    return f"{int(n) - k} ({pt(t, 'n_to_check', n=k)})" if k else str(int(n))


def _known_sum(col: Any) -> Optional[int]:
    """Sum of the known values of a count column; ``None`` when none is known."""
    return int(col.sum()) if col.notna().any() else None


def _coverage_so_far(df: Any) -> list[Optional[float]]:
    """Per session: share of the pair's planned areas discussed in this or an earlier session (a trend)."""
    out: list[Optional[float]] = []
    covered: dict[str, set[str]] = {}
    planned: dict[str, set[str]] = {}
    for pair, g in df.groupby("pair_id", sort=False):
        planned[pair] = {a for v in g["topics_planned"].dropna() for a in str(v).split(";") if a}
    for pair, areas in zip(df["pair_id"], df["areas_covered"], strict=True):
        seen = covered.setdefault(pair, set())
        seen.update(a for a in str(areas or "").split(";") if a)
        plan = planned.get(pair) or set()
        out.append(len(plan & seen) / len(plan) if plan else None)
    return out


def _slope(values: Sequence[Any]) -> Optional[float]:
    """Least-squares change per session of a series (``None`` with fewer than two values)."""
    ys = [float(v) for v in values if v is not None and v == v]
    if len(ys) < 2:
        return None
    n = len(ys)
    mx, my = (n - 1) / 2, sum(ys) / n
    den = sum((i - mx) ** 2 for i in range(n))
    return sum((i - mx) * (y - my) for i, y in enumerate(ys)) / den


def _records(df: Any, columns: Sequence[str]) -> list[dict[str, Any]]:
    """JSON-safe records (dates as ISO strings, NaN as null)."""
    out = []
    cols = [c for c in columns if c in df.columns]
    for rec in df[cols].to_dict(orient="records"):
        clean = {}
        for k, v in rec.items():
            if hasattr(v, "isoformat"):
                v = v.isoformat()[:10] if v == v else None
            elif isinstance(v, float) and v != v:
                v = None
            clean[k] = v
        out.append(clean)
    return out


def pairs_named(prog: Programme) -> bool:
    """Whether any session belongs to a pair a manifest named; without one every session is its own "pair"."""
    df = prog.sessions
    return bool(len(df)) and bool((df["pair_id"] != df["session_id"]).any())


def programme_subtitle(t: Any, prog: Programme, n_sessions: int, n_pairs: int, first: str | None,
                       last: str | None) -> str:
    """"7 sessions of 4 pairs, 2026-01-12 – 2026-03-02", with what the reader must know in one parenthesis.

    Notes: no manifest named any pair (each session counts as its own; meetings of 4-7 people included)
    and no session dates ("7 sessions of 7 pairs, – – –" would be a date range about nothing).
    """
    counts = {"sessions": t.count("count_sessions", n_sessions), "pairs": t.count("count_pairs", n_pairs)}
    notes = [t("pairs_unnamed")] if n_pairs and not pairs_named(prog) else []
    if not first:
        notes.append(t("dates_missing"))
    else:  # "15 sessions, 2024-01-24 – 2024-01-24" read as 15 sessions on that day when one had a date (round 54)
        df = prog.sessions
        n_dated = int(df["date"].notna().sum()) if len(df) and "date" in df else n_sessions
        if n_dated < n_sessions:
            notes.append(t("dates_partial", n=n_dated, total=n_sessions))
    n_left = n_left_out(prog)
    if n_left:  # "6 sessions of 6 pairs" must not read as the whole batch when 2 inputs failed (round 40)
        from sessionscope.report.i18n import plural
        from sessionscope.report.programme_i18n import pt

        notes.append(plural(pt(t, "left_out_short", n=n_left), n_left, t.lang))
    if first and (last or first) == first:  # one day: "2024-01-24", not "2024-01-24 – 2024-01-24"
        text = t("dash_subtitle_day", first=first, **counts)
    else:
        text = (t("dash_subtitle", first=first, last=last or first, **counts) if first
                else t("dash_subtitle_undated", **counts))
    return f"{text} ({'; '.join(notes)})" if notes else text


def n_left_out(prog: Programme) -> int:
    """Inputs of the batches behind the report, and session files, that are in none of its figures."""
    lo = prog.left_out
    return 0 if lo is None or not len(lo) else int(lo["kind"].isin(NOT_COUNTED).sum())


def left_out_notes(prog: Programme, t: Any) -> list[tuple[str, list[str]]]:
    """(sentence, listed inputs) for what the report leaves out: inputs its batches failed on and unreadable session
    files, batches that did not finish, sessions counted from an earlier run's output (round 40)."""
    from sessionscope.report.i18n import plural
    from sessionscope.report.leftout import left_out_items
    from sessionscope.report.programme_i18n import pt

    lo = prog.left_out
    if lo is None or not len(lo):
        return []
    rows = [{k: (None if v is None or v != v else v) for k, v in r.items()} for r in lo.to_dict(orient="records")]
    out = []
    for key, kinds in (("left_out_note", NOT_COUNTED), ("left_out_earlier_note", ("earlier_output",))):
        items = left_out_items(rows, kinds)
        if items:
            out.append((plural(pt(t, key, n=len(items)), len(items), t.lang), items))
    unfinished = left_out_items(rows, ("unfinished",))
    if unfinished:
        out.append((pt(t, "left_out_unfinished_note", list="; ".join(unfinished)), []))
    return out


def render_programme_markdown(prog: Programme, *, language: str = "en") -> str:
    """A short Markdown summary of the programme (key figures, per pair, flags) for e-mails and wikis."""
    from sessionscope.escape import md_text
    from sessionscope.report.checklist import never_met
    from sessionscope.report.i18n import Translator, translate_flag
    from sessionscope.report.programme_i18n import pt

    t = Translator(language)
    row = prog.programme.iloc[0] if len(prog.programme) else {}

    def num(v: Any, digits: int = 1) -> str:
        return t("n_a") if v is None or v != v else t.num(float(v), digits)

    def pct(v: Any) -> str:
        return t("n_a") if v is None or v != v else t.pct(float(v))

    def minutes(v: Any) -> str:  # sessions of 30 s are not "0" minutes on average
        return num(v, 1 if v is not None and v == v and v < 10 else 0)

    def hours(v: Any) -> str:  # a 3-minute session is not "0.0" hours
        return f"< {t.num(0.1, 1)}" if v is not None and v == v and 0 < v < 0.05 else num(v)

    first, last = row.get("first_date"), row.get("last_date")
    dated = first is not None and first == first and last is not None and last == last  # NaN != NaN
    subtitle = programme_subtitle(t, prog, int(row.get("n_sessions", 0)), int(row.get("n_pairs", 0)),
                                  str(first)[:10] if dated else None, str(last)[:10] if dated else None)
    lines = [f"# {t('prog_md_title')}", "", subtitle, ""]
    n_timed = int(prog.sessions["minutes"].notna().sum()) if len(prog.sessions) else 0
    # hours over the sessions with a known length: say over how many when some have none ("2.4" of 7 of 11)
    of_timed = (f" ({t('kpi_of_timed', n=n_timed, total=len(prog.sessions))})"
                if 0 < n_timed < len(prog.sessions) else "")
    # "Open now 12" beside "Goals done n/a" reads as 12 undone goals: say how many no later session could judge
    n_open, n_pending = int(row.get("goals_open", 0) or 0), int(row.get("goals_pending", 0) or 0)
    open_goals = f"{n_open} ({pt(t, 'goals_pending_note', n=n_pending)})" if n_pending else str(n_open)
    judged = prog.goals[prog.goals["status"] != "pending"] if len(prog.goals) else prog.goals

    def of_goals(kind: str) -> str:  # "100 % (1 of 1)": a share of goals says of how many (round 40)
        if not len(judged):
            return ""
        k = int((judged["status"] == "done").sum() if kind == "done" else (judged["status"] != "not_mentioned").sum())
        return f" ({pt(t, 'share_of', k=k, n=len(judged))})"

    lines += [f"| {t('measure')} | {t('value')} |", "|---|---|",
              f"| {t('kpi_sessions')} | {int(row.get('n_sessions', 0))} |",
              f"| {t('kpi_hours')} | {hours(row.get('total_hours'))}{of_timed} |",  # "0.0" beside pairs' "< 0.1"
              f"| {t('kpi_minutes')} | {minutes(row.get('mean_minutes'))}{of_timed} |",
              f"| {t('kpi_60')} | {pct(row.get('share_sessions_60min_or_more'))}{of_timed} |",
              f"| {t('kpi_jshare')} | {pct(row.get('mean_junior_talk_share'))}{_over(t, row, 'talk', len(prog.sessions))} |",
              f"| {pt(t, 'kpi_jwshare')} | {pct(row.get('mean_junior_word_share'))}"
              f"{_over(t, row, 'word', len(prog.sessions))} |",
              f"| {t('kpi_mutuality')} | {num(row.get('mean_mutuality'), 2)}"
              f"{_over(t, row, 'mutuality', len(prog.sessions))} |",
              f"| {t('kpi_followed')} | {pct(row.get('action_items_followed_up_share'))}{of_goals('followed')} |",
              f"| {t('kpi_flags')} | {int(row.get('n_flags', 0))} |",
              f"| {pt(t, 'kpi_goals_done')} | {pct(row.get('goals_done_share'))}{of_goals('done')} |",
              f"| {pt(t, 'kpi_goals_open')} | {open_goals} |", ""]
    for sentence, items in left_out_notes(prog, t):  # first: what the figures above do not count at all
        lines += [f"**{md_text(sentence)}**", ""] + [f"- {md_text(i)}" for i in items] + ([""] if items else [])
    for note in _figure_notes(prog, t):
        lines += [note, ""]
    if len(prog.pairs):
        lines += [f"## {t('sec_per_pair')}", "",
                  f"| {t('pair')} | {t('col_sessions')} | {t('col_hours')} | {t('col_60')} | {t('col_jshare')} | "
                  f"{t('col_mutuality')} | {t('col_actions')} | {t('kpi_followed')} | {t('col_missing')} | {t('col_flags')} |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for r in prog.pairs.to_dict(orient="records"):
            missing = ", ".join(t.area(a) for a in str(r.get("planned_topics_missing") or "").split(";") if a) or "–"
            lines.append(f"| {md_text(r['pair_id'])} | {r['n_sessions']} | {hours(r['total_hours'])} | "
                         f"{num(r['sessions_60min_or_more'], 0)} | {_pair_share(t, r, pct)} | "
                         f"{num(r['mean_mutuality'], 2)} | {_to_check(t, r['n_action_items'], r['n_action_items_to_check'])} | "
                         f"{pct(r['action_items_followed_up_share'])} | {missing} | {r['n_flags']} |")
        lines.append("")
    lines += _flow_lines(prog, t)
    never = never_met(prog.checklist)
    if never:
        lines += [f"## {pt(t, 'sec_checklist')}", ""]
        for item, pairs in never.items():
            key = "never_item_" + item
            label = pt(t, key) if key in ("never_item_concrete_cases", "never_item_junior_questions") else \
                f"{pt(t, 'never_met')}: {pt(t, 'item_' + item)}"
            lines.append(f"- **{md_text(label)}**: {md_text(', '.join(pairs))}")
        lines.append("")
    if len(prog.flags):
        lines += [f"## {t('sec_flags')}", ""]
        for r in prog.flags.to_dict(orient="records"):
            # names and ids are data: escaped, never Markdown or HTML (issue 9, item 5)
            # an unpaired session's pair is missing (None, or NaN once pandas holds it): no "nan s1:"
            where = [md_text(r["pair_id"]) if isinstance(r["pair_id"], str) else "",
                     str(r["date"])[:10] if r["date"] == r["date"] else "",
                     md_text(r["session_id"])]  # no pair, no date: "- s1: …", not "-   s1: …"
            said = translate_flag(r["message"], t.lang) if t.has(f"flag_{r['code']}") else r["message"]
            lines.append(f"- {' '.join(w for w in where if w and w not in ('None', 'NaT'))}: **{md_text(t.flag(r['code']))}**"
                         + (f" — {md_text(said)}" if said else ""))
        lines.append("")
    lines += ["---", "", f"_{t('generated_by', version=__version__)}_", ""]
    return "\n".join(lines)


def flow_totals(prog: Programme) -> list[dict[str, Any]]:
    """``programme_flows`` summed over the pairs, per area (largest total first): the programme's view of who taught
    whom."""
    f = prog.flows
    if f is None or not len(f):
        return []
    g = f.groupby("area", sort=False)[["junior_to_senior", "senior_to_junior", "n_sessions"]].sum().reset_index()
    g["total"] = g["junior_to_senior"] + g["senior_to_junior"]
    return g.sort_values(["total", "area"], ascending=[False, True]).to_dict(orient="records")


def flows_note(prog: Programme, t: Any) -> str:
    """What the who-taught-whom table counts, and over how many sessions when some could not be measured."""
    from sessionscope.report.programme_i18n import pt

    note = pt(t, "flows_note")
    n, total = prog.flow_sessions, len(prog.sessions)
    return f"{note} {pt(t, 'flows_over', n=n, total=total)}" if 0 < n < total else note


def _flow_lines(prog: Programme, t: Any) -> list[str]:
    """The Markdown section "Who taught whom, by topic area" (round 42)."""
    from sessionscope.report.programme_i18n import pt

    totals = flow_totals(prog)
    if prog.flows is None or not len(prog.sessions):
        return []
    lines = [f"## {pt(t, 'sec_flows')}", "", flows_note(prog, t), ""]
    if not prog.flow_sessions:
        return lines + [pt(t, "flows_not_measured"), ""]
    if not totals:
        return lines + [pt(t, "none_flows"), ""]
    lines += [f"| {pt(t, 'col_area')} | {pt(t, 'col_j2s')} | {pt(t, 'col_s2j')} | {pt(t, 'col_flow_sessions')} |",
              "|---|---|---|---|"]
    lines += [f"| {t.area(r['area'])} | {int(r['junior_to_senior'])} | {int(r['senior_to_junior'])} | "
              f"{int(r['n_sessions'])} |" for r in totals]
    return lines + [""]


def _figure_notes(prog: Programme, t: Any) -> list[str]:
    """The notes under programme.md's key figures: sessions not fully analysed, mapped by a guess, with swapped
    voices, recorded (event counts as trends) and with a mutuality on too few exchanges."""
    from sessionscope.escape import md_text
    from sessionscope.report.programme_i18n import stages_note

    notes = []
    partial = not_analysed(prog.sessions)
    if partial:  # their item counts are unknown, shown as n/a, not as 0 found
        notes.append(stages_note(t, n=len(partial), total=len(prog.sessions), listed="; ".join(partial)))
    guessed = guessed_sessions(prog.sessions)
    if guessed:  # the mean junior share above counts them as the junior's: say they rest on a guess
        notes.append(stages_note(t, n=len(guessed), total=len(prog.sessions), listed=md_text(", ".join(guessed)),
                                 key="guessed_note"))
    notes += voice_swap_notes(prog, t, md_text)  # guessed mappings that disagree with the pair's other sessions
    notes += data_note_lines(prog, t, md_text)  # the session pages' data notes that bear on these figures
    audio = audio_sessions(prog.sessions)
    if audio:  # the tables' interruption and turn counts of recordings are what the diarization heard: trends
        notes.append(stages_note(t, n=len(audio), total=len(prog.sessions), listed="", key="audio_events_note"))
    few = few_flow_sessions(prog.sessions)
    if few:  # the mean mutuality above averages them: say what their reports say (round 27)
        notes.append(stages_note(t, n=len(few), total=len(prog.sessions), listed=md_text(", ".join(few)),
                                 key="few_flows_note"))
    return notes


def _over(t: Any, row: Any, kind: str, total: int) -> str:
    """" (over the 3 of 7 sessions with talk times)" after a mean junior share when some sessions have none."""
    from sessionscope.report.programme_i18n import pt

    n = int(row.get(f"n_{kind}_sessions" if kind == "mutuality" else f"n_{kind}_share_sessions", 0) or 0)
    if kind == "talk" and total and not n and not int(row.get("n_word_share_sessions", 0) or 0):
        return f" ({pt(t, 'kpi_no_junior')})"  # "n/a" alone: a programme of transcripts given without roles
    return f" ({pt(t, f'kpi_over_{kind}', n=n, total=total)})" if 0 < n < total else ""


def _pair_share(t: Any, r: Mapping[str, Any], pct: Any) -> str:
    """A pair's mean junior talk share; for a pair with no timed session its share of the words, marked as such."""
    from sessionscope.report.programme_i18n import pt

    talk, words = r.get("mean_junior_talk_share"), r.get("mean_junior_word_share")
    if (talk is None or talk != talk) and words is not None and words == words:
        return f"{pct(words)} {pt(t, 'of_words')}"
    return str(pct(talk))


def write_programme(
    sessions: Sequence[Session],
    out_dir: str | Path,
    *,
    planned: Mapping[str, Sequence[str]] | None = None,
    formats: Sequence[str] = ("csv", "parquet"),
    report_links: Mapping[str, str] | None = None,
    language: str = "en",
    research_tables: bool = True,
    redacted: bool = False,
    followup_min_overlap: float = 0.5,
    cfg: Optional[ProgrammeConfig] = None,
    encoder: Any = "config",
    surveys: Optional[SurveyData] = None,
    baseline: Optional[tuple[list[Any], list[Any]]] = None,
    dynamics: Any = None,
    workbook: bool = True,
    voice_checks: Mapping[str, Any] | None = None,
    csv_bom: bool = False,
    mutual_few_flows: Optional[int] = None,
    left_out: Optional[Sequence[Mapping[str, Any]]] = None,
) -> tuple[Programme, Path]:
    """Write the programme tables (CSV/Parquet and one ``programme.xlsx``), the research tables,
    ``dashboard.html`` and ``programme.md``; returns (tables, page). ``voice_checks``: see :func:`pair_voice_checks`;
    ``csv_bom``: see :func:`~sessionscope.report.tables.write_tables`; ``left_out``: see :func:`build_programme`."""
    from sessionscope.fileio import atomic_write_text
    from sessionscope.report.dashboard import render_dashboard

    out = Path(out_dir)
    prog = build_programme(sessions, planned=planned, followup_min_overlap=followup_min_overlap, cfg=cfg,
                           encoder=encoder, surveys=surveys, baseline=baseline, dynamics=dynamics,
                           voice_checks=voice_checks, mutual_few_flows=mutual_few_flows, left_out=left_out)
    if report_links:
        prog.sessions["report"] = prog.sessions["session_id"].map(lambda sid: report_links.get(sid))
    write_tables(prog.tables(), out, formats=formats, bom=csv_bom)
    if workbook:
        from sessionscope.report.workbook import write_workbook

        write_workbook(prog.tables(), out / "programme.xlsx")
    if research_tables:
        write_tables(session_tables(sessions), out / "tables", formats=formats, bom=csv_bom)
    html = render_dashboard(prog, language=language, redacted=redacted)
    page = atomic_write_text(out / "dashboard.html", html)
    atomic_write_text(out / "programme.md", render_programme_markdown(prog, language=language))
    atomic_write_text(out / "programme.json", json.dumps(_records(prog.programme, prog.programme.columns)[0]
                                                        if len(prog.programme) else {}, ensure_ascii=False, indent=2))
    return prog, page

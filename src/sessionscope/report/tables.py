"""Tidy research tables: one row per entity, one column per variable (Wickham 2014).

:func:`session_tables` flattens sessions into pandas DataFrames — sessions,
participants, utterances, turns, interruptions, topic segments, recommendations, action items,
questions, problems, flags, metrics (long format: one row per measure) and knowledge flows — keyed by
``session_id`` (and ``participant_id``) so they join without guessing. Column meanings
are in ``docs/data_dictionary.md``; a test keeps the dictionary and the columns in sync
(:data:`COLUMNS`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Optional

from sessionscope.analysis.dynamics import measure_unit, spoken_words
from sessionscope.errors import InputError
from sessionscope.escape import csv_frame
from sessionscope.model import Session, StageRun, read_session_json

log = logging.getLogger(__name__)

#: table name → columns, in order (the data dictionary documents each)
COLUMNS: dict[str, tuple[str, ...]] = {
    "sessions": ("session_id", "pair_id", "date", "language", "duration_s", "timed", "n_participants",
                 "n_utterances", "n_words", "junior_id", "senior_id", "junior_talk_share", "junior_word_share", "balance_score",
                 "balance_score_words", "talk_time_gini", "turn_taking_index", "interruptions", "questions",
                 "questions_answered", "mutuality_index", "n_topic_segments", "areas_covered", "n_recommendations",
                 "n_action_items", "n_recommendations_to_check", "n_action_items_to_check", "n_questions_to_check",
                 "n_open_questions", "n_problems", "n_flags", "flag_codes", "n_procedure_suggestions", "n_in_meeting_moves",
                 "n_open_confirmation_tags", "n_recommendations_to_group", "n_help_requests",
                 "mean_word_confidence", "speaker_mapping_confidence", "speaker_mapping_margin", "speakers_guessed",
                 "speaker_times_from_audio", "hallucinations_dropped",
                 "stages_not_run"),
    "participants": ("session_id", "pair_id", "participant_id", "name", "role"),
    "utterances": ("session_id", "utterance_id", "index", "participant_id", "role", "start_s", "end_s", "text",
                   "n_words", "confidence", "flags", "topic_area"),
    "turns": ("session_id", "turn_index", "participant_id", "role", "start_s", "end_s", "n_words", "n_utterances"),
    "interruptions": ("session_id", "start_s", "interrupter_id", "interrupter_role", "interrupted_id", "interrupted_role",
                      "utterance_id", "interrupted_utterance_id", "successful", "probability"),
    "topic_segments": ("session_id", "segment_index", "area", "mode", "start_s", "end_s", "n_utterances",
                       "initiator_id", "initiator_role", "confidence"),
    # round 56: where the talk moves to a new subject and who moves it there (topic_initiation_share rests on them)
    "topic_shifts": ("session_id", "shift_index", "utterance_id", "start_s", "initiator_id", "initiator_role", "area",
                     "score"),
    "recommendations": ("session_id", "recommendation_id", "utterance_id", "start_s", "giver_id", "giver_role",
                        "receiver_id", "receiver_role", "area", "text", "confidence", "method", "to_check",
                        "procedure", "request"),
    "action_items": ("session_id", "action_item_id", "utterance_id", "start_s", "owner_id", "owner_role", "owner_ids",
                     "task",
                     "due_text", "due_date", "area", "confidence", "method", "to_check", "in_meeting"),
    "questions": ("session_id", "question_id", "utterance_id", "start_s", "asker_id", "asker_role", "addressee_id",
                  "text", "answered", "answer_utterance_id", "area", "confidence", "method", "to_check",
                  "confirmation_tag"),
    "problems": ("session_id", "problem_id", "utterance_id", "start_s", "raiser_id", "raiser_role", "text",
                 "solved", "n_solutions", "area", "confidence"),
    "flags": ("session_id", "pair_id", "date", "code", "severity", "message", "value", "threshold"),
    "metrics": ("session_id", "pair_id", "participant_id", "role", "metric", "value", "unit"),
    "knowledge_flows": ("session_id", "pair_id", "area", "giver_id", "giver_role", "receiver_id", "receiver_role",
                        "recommendations", "explanations", "flows", "area_mutuality"),
}
#: columns of whole numbers (``int`` in docs/data_dictionary.md; a test keeps the two equal): integers in the tables,
#: nullable (pandas ``Int64``, empty in CSV) where a value is unknown, never the floats ("7.0") that pandas makes of
#: a column with a missing value
INTEGER_COLUMNS: dict[str, tuple[str, ...]] = {
    "sessions": ("n_participants", "n_utterances", "n_words", "interruptions", "questions", "questions_answered",
                 "n_topic_segments", "n_recommendations", "n_action_items", "n_recommendations_to_check",
                 "n_action_items_to_check", "n_questions_to_check", "n_open_questions", "n_problems", "n_flags",
                 "n_procedure_suggestions", "n_in_meeting_moves", "n_open_confirmation_tags",
                 "n_recommendations_to_group", "n_help_requests", "hallucinations_dropped"),
    "utterances": ("index", "n_words"),
    "turns": ("turn_index", "n_words", "n_utterances"),
    "topic_segments": ("segment_index", "n_utterances"),
    "topic_shifts": ("shift_index",),
    "problems": ("n_solutions",),
    "knowledge_flows": ("recommendations", "explanations", "flows"),
}


def find_session_files(root: str | Path) -> list[Path]:
    """Every ``session.json`` under ``root`` (sorted; hidden folders skipped)."""
    root = Path(root)
    if not root.exists():
        raise InputError("folder does not exist", path=root)
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("session.json") if not any(part.startswith(".") for part in p.relative_to(root).parts))


def load_sessions(root: str | Path, *, strict: bool = False) -> list[Session]:
    """Read every session under ``root``; unreadable files are logged and skipped unless ``strict``."""
    sessions = []
    for f in find_session_files(root):
        try:
            sessions.append(read_session_json(f))
        except InputError:
            if strict:
                raise
            log.warning("skipping unreadable session file %s", f, exc_info=True)
    return sessions


def _roles(s: Session) -> dict[str, str]:
    return {p.id: p.role.value for p in s.participants}


def _first(s: Session, role: str) -> Any:
    return next((p.id for p in s.participants if p.role.value == role), None)


def speakers_guessed(s: Session) -> Optional[bool]:
    """Whether a recording's speakers were matched to the named participants by order of first speech (a guess)
    for at least one label, as the mapping step (or a later ``remap``) recorded it per label; ``None`` for a
    session that was not transcribed by ``run`` (its speakers come from the transcript) or named nobody."""
    audio = (s.extra or {}).get("audio")
    if not isinstance(audio, dict) or not isinstance(audio.get("speaker_mapping"), dict):
        return None
    methods = set(audio["speaker_mapping"].values())
    if not methods or methods <= {"none"}:
        return None  # nobody named: the labels are shown as they are, nothing was matched
    return "order" in methods


def diarized_recording(session: Session) -> bool:
    """Whether a session's speaker times come from the diarization of a recording (transcribed by ``run``, two or
    more participants, not one voice per channel): its turns, interruptions, overlaps, backchannels and pauses carry
    the diarization's misses of short turns and short overlaps (round 25, docs/metrics.md "Measures from audio").
    ``False`` for imported transcripts and unrecorded sources."""
    q, audio = session.quality, (session.extra or {}).get("audio")
    return (q is not None and q.asr_model is not None and len(session.participants) >= 2 and isinstance(audio, dict)
            and audio.get("diarization") not in (None, "off", "channels"))


def session_row(s: Session) -> dict[str, Any]:
    """The ``sessions`` row of one session."""
    m = s.metrics
    ms = m.session if m else {}
    junior = _first(s, "junior")
    jm = m.participants.get(junior, {}) if (m and junior) else {}
    q = s.quality
    areas = sorted({seg.area for seg in s.topics.segments}) if s.topics else []
    row = {
        "session_id": s.id, "pair_id": s.pair_id, "date": s.date, "language": s.language, "duration_s": s.span_s,
        "timed": s.timed, "n_participants": len(s.participants), "n_utterances": len(s.utterances),
        "n_words": ms.get("words"), "junior_id": junior, "senior_id": _first(s, "senior"),
        # talk time and words kept apart: a mean over sessions of the one column must not mix the two
        "junior_talk_share": jm.get("talk_share"), "junior_word_share": jm.get("word_share"),
        "balance_score": ms.get("balance_score"), "balance_score_words": ms.get("balance_score_words"),
        "talk_time_gini": ms.get("talk_time_gini"), "turn_taking_index": ms.get("turn_taking_index"),
        "interruptions": ms.get("interruptions"), "questions": ms.get("questions"),
        "questions_answered": ms.get("questions_answered"),
        "mutuality_index": s.knowledge_flow.mutuality_index if s.knowledge_flow else None,
        "n_topic_segments": len(s.topics.segments) if s.topics else None, "areas_covered": ";".join(areas),
        # advice only: a suggestion about running the meeting is counted apart (n_procedure_suggestions)
        "n_recommendations": len(s.advice), "n_action_items": len(s.tasks),  # tasks: n_in_meeting_moves apart
        "n_recommendations_to_check": sum(1 for r in s.advice if r.to_check),
        "n_procedure_suggestions": sum(1 for r in s.recommendations if r.procedure),
        # "show me how you set it up": the asker is taught, listed, not counted as advice (round 22)
        "n_help_requests": len(s.help_requests),
        "n_open_confirmation_tags": sum(1 for x in s.questions if not x.answered and x.confirmation_tag),
        # advice to the whole group (3+ people, no single receiver): given, received by nobody in particular
        "n_recommendations_to_group": sum(1 for r in s.advice if r.receiver is None),
        "n_in_meeting_moves": len(s.action_items) - len(s.tasks),
        "n_action_items_to_check": sum(1 for a in s.tasks if a.to_check),
        "n_questions_to_check": sum(1 for q in s.questions if q.to_check),
        "n_open_questions": sum(1 for x in s.questions if not x.answered), "n_problems": len(s.problems),
        "n_flags": len(s.flags), "flag_codes": ";".join(f.code for f in s.flags),
        "mean_word_confidence": q.mean_word_confidence if q else None,
        "speaker_mapping_confidence": q.speaker_mapping_confidence if q else None,
        "speaker_mapping_margin": q.speaker_mapping_margin if q else None,  # the raw voiceprint margin (round 23)
        # the junior's figures of a guessed mapping may be the senior's: say which rows rest on a guess
        "speakers_guessed": speakers_guessed(s),
        # turns, interruptions and pauses from the diarization: trends, not exact counts (round 25 measured them)
        "speaker_times_from_audio": diarized_recording(s),
        "hallucinations_dropped": q.hallucinations_dropped if q else None,
        # a count of 0 is only "none found" when its stage ran: say which did not
        "stages_not_run": ";".join(f"{r.name}:{r.status}" for r in _last_runs(s) if r.status != "ok"),
    }
    if not stage_ran(s, "extraction"):
        row.update(dict.fromkeys(EXTRACTION_COUNTS))
    return row


#: ``sessions`` columns counted from the extraction stage's items: empty (unknown), not 0, when that stage's last
#: outcome was not ``ok`` (``analyze --stages dynamics``, a failed extraction): "0 recommendations" would read as
#: "none found" (sessions from before stage outcomes were recorded keep their counts)
EXTRACTION_COUNTS = ("n_recommendations", "n_action_items", "n_recommendations_to_check", "n_procedure_suggestions",
                     "n_help_requests",
                     "n_open_confirmation_tags", "n_recommendations_to_group", "n_in_meeting_moves",
                     "n_action_items_to_check", "n_questions_to_check", "n_open_questions", "n_problems")


def stage_ran(s: Session, name: str) -> bool:
    """Whether the stage ``name`` last ran ``ok`` (or the session records no outcome for it: an older file)."""
    runs = [r for r in _last_runs(s) if r.name == name]
    return not runs or runs[-1].status == "ok"


def _last_runs(s: Session) -> list[StageRun]:
    """The last recorded outcome of each stage or sub-step, in first-recorded order."""
    last: dict[str, StageRun] = {}
    for run in s.provenance.stage_runs:
        last[run.name] = run
    return list(last.values())


def _rows(sessions: Sequence[Session]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in COLUMNS}
    for s in sessions:
        roles = _roles(s)
        out["sessions"].append(session_row(s))
        out["participants"] += [{"session_id": s.id, "pair_id": s.pair_id, "participant_id": p.id, "name": p.name,
                                 "role": p.role.value} for p in s.participants]
        area_of: dict[str, str] = {}
        if s.topics:
            for seg in s.topics.segments:
                area_of.update(dict.fromkeys(seg.utterance_ids, seg.area))
        out["utterances"] += [{
            "session_id": s.id, "utterance_id": u.id, "index": i, "participant_id": u.speaker,
            "role": roles.get(u.speaker), "start_s": u.start, "end_s": u.end, "text": u.text,
            "n_words": spoken_words(u.text), "confidence": u.confidence, "flags": ";".join(u.flags),
            "topic_area": area_of.get(u.id)} for i, u in enumerate(s.utterances)]
        if s.metrics:
            out["turns"] += [{"session_id": s.id, "turn_index": t.index, "participant_id": t.speaker,
                              "role": roles.get(t.speaker), "start_s": t.start, "end_s": t.end, "n_words": t.words,
                              "n_utterances": len(t.utterance_ids)} for t in s.metrics.turns]
            out["interruptions"] += [{
                "session_id": s.id, "start_s": e.start, "interrupter_id": e.interrupter,
                "interrupter_role": roles.get(e.interrupter), "interrupted_id": e.interrupted,
                "interrupted_role": roles.get(e.interrupted), "utterance_id": e.utterance_id,
                "interrupted_utterance_id": e.interrupted_utterance_id, "successful": e.successful,
                "probability": e.probability} for e in s.metrics.interruption_events]
            for pid, measures in s.metrics.participants.items():
                out["metrics"] += [{"session_id": s.id, "pair_id": s.pair_id, "participant_id": pid,
                                    "role": roles.get(pid), "metric": k, "value": _num(v),
                                    "unit": measure_unit(k, session=False)} for k, v in measures.items()]
            out["metrics"] += [{"session_id": s.id, "pair_id": s.pair_id, "participant_id": None, "role": None,
                                "metric": k, "value": _num(v), "unit": measure_unit(k, session=True)}
                               for k, v in s.metrics.session.items()]
        # the flow stage writes mutuality_index among the session measures: one row, not two
        if (s.knowledge_flow and s.knowledge_flow.mutuality_index is not None
                and "mutuality_index" not in (s.metrics.session if s.metrics else {})):
            out["metrics"].append({"session_id": s.id, "pair_id": s.pair_id, "participant_id": None, "role": None,
                                   "metric": "mutuality_index", "value": s.knowledge_flow.mutuality_index,
                                   "unit": measure_unit("mutuality_index", session=True)})
        if s.topics:
            out["topic_segments"] += [{
                "session_id": s.id, "segment_index": i, "area": g.area, "mode": g.mode, "start_s": g.start,
                "end_s": g.end, "n_utterances": len(g.utterance_ids), "initiator_id": g.initiator,
                "initiator_role": roles.get(g.initiator or ""), "confidence": g.confidence}
                for i, g in enumerate(s.topics.segments)]
            out["topic_shifts"] += [{
                "session_id": s.id, "shift_index": i, "utterance_id": x.utterance_id, "start_s": x.start,
                "initiator_id": x.initiator, "initiator_role": roles.get(x.initiator or ""), "area": x.area,
                "score": x.score}
                for i, x in enumerate(s.topics.shifts)]
        out["recommendations"] += [{
            "session_id": s.id, "recommendation_id": r.id, "utterance_id": r.utterance_id, "start_s": r.start,
            "giver_id": r.giver, "giver_role": roles.get(r.giver), "receiver_id": r.receiver,
            "receiver_role": roles.get(r.receiver or ""), "area": r.area, "text": r.text,
            "confidence": r.confidence, "method": r.method, "to_check": r.to_check, "procedure": r.procedure,
            "request": r.request}
            for r in s.recommendations]
        out["action_items"] += [{
            "session_id": s.id, "action_item_id": a.id, "utterance_id": a.utterance_id, "start_s": a.start,
            "owner_id": a.owner, "owner_role": roles.get(a.owner or ""),
            "owner_ids": ";".join(dict.fromkeys([*([a.owner] if a.owner else []), *a.owners])),
            "task": a.task, "due_text": a.due_text,
            "due_date": a.due_date, "area": a.area, "confidence": a.confidence, "method": a.method,
            "to_check": a.to_check, "in_meeting": a.in_meeting}
            for a in s.action_items]
        out["questions"] += [{
            "session_id": s.id, "question_id": q.id, "utterance_id": q.utterance_id, "start_s": q.start,
            "asker_id": q.asker, "asker_role": roles.get(q.asker), "addressee_id": q.addressee, "text": q.text,
            "answered": q.answered, "answer_utterance_id": q.answer_utterance_id, "area": q.area,
            "confidence": q.confidence, "method": q.method, "to_check": q.to_check,
            "confirmation_tag": q.confirmation_tag} for q in s.questions]
        out["problems"] += [{
            "session_id": s.id, "problem_id": p.id, "utterance_id": p.utterance_id, "start_s": p.start,
            "raiser_id": p.raiser, "raiser_role": roles.get(p.raiser), "text": p.text, "solved": p.solved,
            "n_solutions": len(p.solution_ids), "area": p.area, "confidence": p.confidence} for p in s.problems]
        out["flags"] += flag_rows([s])
        out["knowledge_flows"] += _flow_rows(s, roles)
    return out


def _flow_rows(s: Session, roles: dict[str, str]) -> list[dict[str, Any]]:
    """The knowledge-flow matrices of a session as rows: per (area, giver, receiver), the advice and the answers to
    the receiver's questions that make up the flow behind ``mutuality_index`` (docs/extraction.md)."""
    kf = s.knowledge_flow
    if kf is None:
        return []
    rec, exp = kf.recommendation_matrix, kf.explanation_matrix
    keys = sorted({(a, g, r) for m in (rec, exp) for a, rows in m.items() for g, row in rows.items() for r in row})
    out = []
    for area, giver, receiver in keys:
        n_rec = rec.get(area, {}).get(giver, {}).get(receiver, 0)
        n_exp = exp.get(area, {}).get(giver, {}).get(receiver, 0)
        out.append({"session_id": s.id, "pair_id": s.pair_id, "area": area, "giver_id": giver,
                    "giver_role": roles.get(giver), "receiver_id": receiver, "receiver_role": roles.get(receiver),
                    "recommendations": n_rec, "explanations": n_exp, "flows": n_rec + n_exp,
                    "area_mutuality": kf.per_area_mutuality.get(area)})
    return out


def flag_rows(sessions: Iterable[Session]) -> list[dict[str, Any]]:
    """Rows of the ``flags`` table; the message names the participants (the stage writes their ids)."""
    from sessionscope.report.i18n import with_names

    return [{"session_id": s.id, "pair_id": s.pair_id, "date": s.date, "code": f.code, "severity": f.severity,
             "message": with_names(f.message, s), "value": f.value, "threshold": f.threshold}
            for s in sessions for f in s.flags]


def _num(v: Any) -> Any:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v


def whole_numbers(df: Any, columns: Iterable[str]) -> Any:
    """``df`` with each of ``columns`` that holds only whole numbers as integers: pandas ``Int64`` (nullable: an
    empty cell, not ``7.0`` beside a gap). A column with a fractional value is left as it is (logged): a count
    that is not whole would be a bug to see, not to hide by rounding."""
    import pandas as pd

    for c in columns:
        if c not in df or df[c].dtype.kind in "iu":
            continue
        values = pd.to_numeric(df[c], errors="coerce")
        known = values.dropna()
        if df[c].notna().sum() != len(known) or not (known == known.round()).all():
            log.warning("column %s holds values that are not whole numbers; kept as they are", c)
            continue
        df[c] = values.astype("Int64")
    return df


def measure_frames(long: Any) -> tuple[Any, Any]:
    """The ``metrics`` table as two wide frames: (per participant: ``session_id``, ``participant_id`` and one column
    per measure; per session: ``session_id`` and one column per measure). Counts and numbers of words (their
    ``unit`` in :data:`~sessionscope.analysis.dynamics.WHOLE_UNITS`) are integers (``Int64``); a measure unavailable
    for every row (interruptions of a Zoom VTT) stays a column of nulls (``pivot_table`` would drop it)."""
    from sessionscope.analysis.dynamics import WHOLE_UNITS

    out = []
    for rows, index in ((long[long["participant_id"].notna()], ["session_id", "participant_id"]),
                        (long[long["participant_id"].isna()], ["session_id"])):
        wide = rows.pivot_table(index=index, columns="metric", values="value", aggfunc="first")
        wide = wide.reindex(columns=sorted(rows["metric"].unique()))
        wide.columns.name = None
        whole = sorted(set(rows.loc[rows["unit"].isin(WHOLE_UNITS), "metric"]))
        out.append(whole_numbers(wide.reset_index(), whole))
    return out[0], out[1]


def session_tables(sessions: Iterable[Session]) -> dict[str, Any]:
    """Table name → pandas DataFrame with the columns of :data:`COLUMNS` (empty tables keep their columns);
    the columns of :data:`INTEGER_COLUMNS` are integers (nullable)."""
    import pandas as pd

    rows = _rows(list(sessions))
    tables = {}
    for name, cols in COLUMNS.items():
        df = pd.DataFrame(rows[name], columns=list(cols))
        for c in ("date", "due_date"):
            if c in df:
                df[c] = pd.to_datetime(df[c], errors="coerce")
        tables[name] = whole_numbers(df, INTEGER_COLUMNS.get(name, ()))
    return tables


def write_tables(tables: dict[str, Any], out_dir: str | Path, *, formats: Sequence[str] = ("csv", "parquet"),
                 bom: bool = False) -> list[Path]:
    """Write each table as ``<name>.csv`` (UTF-8; with ``bom``, a byte-order mark first: Excel then reads it as
    UTF-8) and/or ``<name>.parquet``; returns the paths.

    In the CSV files, text cells that a spreadsheet would run as a formula (starting with
    ``=``, ``+``, ``-``, ``@``, tab or CR) get a leading ``'`` (:func:`~sessionscope.escape.csv_cell`);
    the Parquet files keep the values as they are.
    """
    from sessionscope.fileio import atomic_write_bytes

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in tables.items():
        if "csv" in formats:
            # text cells starting with = + - @ are neutralised: these files are opened in spreadsheets
            written.append(atomic_write_bytes(out_dir / f"{name}.csv",
                                              csv_frame(df).to_csv(index=False).encode("utf-8-sig" if bom else "utf-8")))
        if "parquet" in formats:
            import io

            buf = io.BytesIO()
            df.to_parquet(buf, index=False)
            written.append(atomic_write_bytes(out_dir / f"{name}.parquet", buf.getvalue()))
    return written

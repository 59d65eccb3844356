"""Transcript import and export, and the session manifest.

Reading::

    from sessionscope.io import read_transcript
    session = read_transcript("GMT20240124-202901_Recording.transcript.vtt")   # format from content
    session = read_transcript("diarization.rttm", text_path="whisper.json")    # ASR words + speakers

Every reader returns a :class:`~sessionscope.model.Session` whose participants come
from the file's speaker labels (role ``other`` until a manifest or ``-p NAME=ROLE``
options say otherwise, see :mod:`sessionscope.io.manifest`). Formats: see
:data:`FORMATS` and ``docs/formats.md``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Optional

from sessionscope.errors import InputError
from sessionscope.io._common import (
    DEFAULT_MAX_DURATION_S,
    Recording,
    build_session,
    duration_limit,
    max_duration,
    pick_recording,
    read_text_noted,
)
from sessionscope.io.detect import FORMATS, detect_format, detect_text_format, normalize_format
from sessionscope.model import Session

log = logging.getLogger(__name__)

#: Output formats of :func:`write_transcript`.
WRITE_FORMATS = ("json", "rttm", "srt", "vtt", "csv")

__all__ = ["DEFAULT_MAX_DURATION_S", "FORMATS", "WRITE_FORMATS", "detect_format", "export_problem", "read_transcript",
           "read_transcripts", "write_transcript"]


def _recordings(path: Path, text: str, fmt: str) -> list[Recording] | Session:
    """Parse text of a known format: recordings, or a finished Session for session.json."""
    if fmt == "vtt":
        from sessionscope.io.cues import parse_vtt

        return [parse_vtt(text, path=path)]
    if fmt == "srt":
        from sessionscope.io.cues import parse_srt

        return [parse_srt(text, path=path)]
    if fmt == "sbv":
        from sessionscope.io.cues import parse_sbv

        return [parse_sbv(text, path=path)]
    if fmt == "stm":
        from sessionscope.io.stm import parse_stm

        return parse_stm(text, path=path)
    if fmt == "rttm":
        from sessionscope.io.rttm import parse_rttm

        return parse_rttm(text, path=path)
    if fmt == "json":
        from sessionscope.io.whisper_json import is_session_json, load_json, parse_whisper_json

        data = load_json(text, path=path)
        if is_session_json(data):
            from sessionscope.model import session_from_dict

            return _bounded(session_from_dict(data, path=path), path=path)
        return [parse_whisper_json(data, path=path)]
    if fmt == "csv":
        from sessionscope.io.table import parse_table

        return [parse_table(text, path=path)]
    from sessionscope.io.plain import parse_plain

    return [parse_plain(text, path=path)]


def _bounded(session: Session, *, path: Path) -> Session:
    """A session.json read back: the same bound on times as the transcript readers."""
    from sessionscope.io._common import check_time

    if session.duration_s is not None:
        check_time(session.duration_s, what="duration_s", path=path)
    for u in session.utterances:
        for label, value in (("start", u.start), ("end", u.end),
                             *(("word start", w.start) for w in u.words), *(("word end", w.end) for w in u.words)):
            if value is not None:
                check_time(value, what=f"utterance {u.id}: {label}", path=path)
    return session


def _parse(path: str | Path, fmt: Optional[str]) -> tuple[str, list[Recording] | Session]:
    from sessionscope.io.docx import docx_to_text, is_docx

    p = Path(path)
    name = normalize_format(fmt) if fmt else None
    if name == "docx" or (name is None and is_docx(p)):
        # a Word transcript: its text is read like a cue file or plain text
        text = docx_to_text(p)
        inner = detect_text_format(text, path=p.with_suffix(".txt"))
        recs = _recordings(p, text, inner)
        return "docx", recs
    text, note = read_text_noted(p)
    if name is None and p.suffix.lower() == ".vtt" and not text.lstrip().startswith("WEBVTT"):
        # a Zoom/Teams export always starts with the header: without it the file is likely cut (a piece of it
        # was read as a whole session, silently)
        note = "; ".join(filter(None, (note, "the .vtt file has no WEBVTT header: it may be cut or incomplete "
                                             "(its cues were read as SRT)")))
    name = name or detect_text_format(text, path=p)
    try:
        parsed = _recordings(p, text, name)
        if note and not isinstance(parsed, Session):
            for rec in parsed:
                rec.notes.append(note)
        return name, parsed
    except InputError as e:
        if e.path is None:
            raise InputError(e.message, path=p) from e
        raise
    except RecursionError as e:
        raise InputError(f"cannot parse as {name}: nested too deeply", path=p) from e


def read_transcript(
    path: str | Path,
    *,
    fmt: Optional[str] = None,
    session_id: Optional[str] = None,
    text_path: Optional[str | Path] = None,
    max_duration_s: Optional[float] = None,
) -> Session:
    """Read one transcript file into a :class:`Session`.

    Args:
        path: the transcript (WebVTT, SRT, STM, RTTM, Whisper JSON, CSV, plain text,
            Word .docx from Teams / Stream / Google Docs).
        fmt: force a format (one of :data:`FORMATS` or an alias such as ``whisperx``);
            default: detected from the content.
        session_id: the session id; for STM/RTTM files holding several recordings, the
            recording to read (default: the first, with a warning).
        text_path: for RTTM input, a timed transcript (any format, e.g. faster-whisper
            JSON) whose words are given to the speaker turns they overlap most.
        max_duration_s: reject any time later than this (seconds; default
            :data:`DEFAULT_MAX_DURATION_S`, a day): such a time is a typo or a corrupt file.

    Returns:
        The session: participants from speaker labels (role ``other``), utterances in
        time order with ids ``u0001``…, ``source`` = the path, ``quality`` notes saying
        what is missing (timestamps, speaker labels).

    Raises:
        InputError: empty, malformed, unreadable or undetectable input, or a time
            beyond ``max_duration_s`` (the message names the line or cue).
    """
    with duration_limit(max_duration_s):
        return _read_one(path, fmt=fmt, session_id=session_id, text_path=text_path)


def _read_one(path: str | Path, *, fmt: Optional[str], session_id: Optional[str],
              text_path: Optional[str | Path]) -> Session:
    name, parsed = _parse(path, fmt)
    if isinstance(parsed, Session):
        return parsed.evolve(id=session_id) if session_id else parsed
    recording = pick_recording(parsed, session_id, path=path, fmt=name)
    if text_path is not None:
        if name != "rttm":
            raise InputError(f"text_path is only used with RTTM input (this file is {name})", path=path)
        from sessionscope.io.rttm import with_text

        recording = with_text(recording, read_transcript(text_path, max_duration_s=max_duration()),
                              text_path=text_path)
    session = build_session(path, recording, session_id=session_id, fmt=name)
    log.info("%s: read %s, %d utterances, %d speakers", path, name, len(session.utterances), len(session.participants))
    return session


def read_transcripts(path: str | Path, *, fmt: Optional[str] = None,
                     max_duration_s: Optional[float] = None) -> list[Session]:
    """Every recording of a file as its own session (STM/RTTM may hold several; others give one)."""
    with duration_limit(max_duration_s):
        name, parsed = _parse(path, fmt)
    if isinstance(parsed, Session):
        return [parsed]
    if not parsed:
        raise InputError(f"no utterances found (read as {name})", path=path)
    return [build_session(path, rec, fmt=name) for rec in parsed]


def export_problem(session: Session, fmt: str) -> Optional[str]:
    """Why ``session`` cannot be exported as ``fmt`` (e.g. SRT without times), or ``None``."""
    from sessionscope.io.writers import export_problem as _problem

    return _problem(session, fmt)


def write_transcript(session: Session, path: str | Path, fmt: str, *, csv_bom: bool = False) -> Path:
    """Write a session's transcript as ``json``, ``rttm``, ``srt``, ``vtt`` or ``csv`` (atomically; ``csv_bom``:
    a UTF-8 byte-order mark before the CSV, for Excel).

    Raises:
        InputError: unknown format, or a time-based format for a session without times.
    """
    from sessionscope.io.writers import write_transcript as _write

    return _write(session, path, fmt, csv_bom=csv_bom)

"""Transcript export: RTTM, SRT and WebVTT with speaker names, CSV of utterances, session JSON.

Every file is written atomically (:mod:`sessionscope.fileio`). Time-based formats
(RTTM, SRT, VTT) skip utterances without times, with a warning; a session with no
times at all cannot be written in them (use CSV or JSON). Subtitles (SRT, VTT) leave
out utterances without text (e.g. RTTM turns, or laughter-only STM lines); RTTM keeps them. Speaker names are written
as people read them (``<v Anna Smirnova>`` in VTT, ``Anna Smirnova:`` in SRT); RTTM
fields cannot hold spaces, so RTTM uses the participant id.
"""

from __future__ import annotations

import csv
import io as _io
import logging
from pathlib import Path

from sessionscope.errors import InputError
from sessionscope.escape import csv_cell
from sessionscope.fileio import atomic_write_text
from sessionscope.io._common import UNKNOWN_ID, UNKNOWN_NAME
from sessionscope.model import Session, Utterance

log = logging.getLogger(__name__)

CSV_COLUMNS = ("session_id", "id", "speaker", "speaker_name", "role", "start", "end", "duration", "text",
               "confidence", "flags")


def _timed(session: Session, fmt: str, path: str | Path) -> list[Utterance]:
    timed = [u for u in session.utterances if u.timed]
    if not timed:
        raise InputError(f"session {session.id!r} has no timestamps, so it cannot be written as {fmt.upper()}; "
                         "use csv or json", path=path)
    if len(timed) < len(session.utterances):
        log.warning("%s: %d utterances without times are left out of the %s file",
                    session.id, len(session.utterances) - len(timed), fmt.upper())
    return sorted(timed, key=lambda u: u.start)  # type: ignore[arg-type, return-value]


def _clock(seconds: float, sep: str) -> str:
    ms = int(round(seconds * 1000))
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _names(session: Session) -> dict[str, str]:
    """Participant id -> name to write; speech of unknown speakers gets no name (``""``)."""
    return {p.id: "" if (p.id, p.name) == (UNKNOWN_ID, UNKNOWN_NAME) else p.name for p in session.participants}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def to_rttm(session: Session, *, path: str | Path = "") -> str:
    """RTTM ``SPEAKER`` lines (participant ids as speaker names; file id = session id)."""
    file_id = "_".join(session.id.split()) or "session"
    lines = []
    for u in _timed(session, "rttm", path):
        dur = max(0.0, u.end - u.start)  # type: ignore[operator]
        lines.append(f"SPEAKER {file_id} 1 {u.start:.3f} {dur:.3f} <NA> <NA> {'_'.join(u.speaker.split())} <NA> <NA>")
    return "\n".join(lines) + "\n"


def to_srt(session: Session, *, path: str | Path = "") -> str:
    """SRT cues, each ``Name: text``."""
    names = _names(session)
    blocks = []
    for i, u in enumerate((u for u in _timed(session, "srt", path) if u.text.strip()), 1):
        text = _srt_text(_one_line(u.text))
        blocks.append(f"{i}\n{_clock(u.start, ',')} --> {_clock(u.end, ',')}\n"  # type: ignore[arg-type]
                      f"{_prefix(names.get(u.speaker, u.speaker))}{text}\n")
    return "\n".join(blocks)


def _prefix(name: str) -> str:
    return f"{name}: " if name else ""


def _srt_text(text: str) -> str:
    """SRT text as written, unless a reader would change it: readers (ours too) decode entities and drop tags, as caption
    files carry them, so "&amp" or "<i>" in what was said is written escaped ("&amp;amp") to come back as it was."""
    from sessionscope.io.cues import strip_markup

    return _vtt_escape(text) if strip_markup(text) != text else text


def _vtt_escape(text: str) -> str:
    # "{\\" starts an SRT/ASS override tag ({\\an8}) that caption readers drop: keep it as text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("{\\", "&#123;\\")


def to_vtt(session: Session, *, path: str | Path = "") -> str:
    """WebVTT with ``<v Name>`` voice tags (how Teams writes speakers)."""
    names = _names(session)
    out = ["WEBVTT", ""]
    for u in _timed(session, "vtt", path):
        if not u.text.strip():
            continue
        name = _vtt_escape(names.get(u.speaker, u.speaker))
        body = _vtt_escape(_one_line(u.text))
        out.append(f"{u.id}\n{_clock(u.start, '.')} --> {_clock(u.end, '.')}\n"  # type: ignore[arg-type]
                   + (f"<v {name}>{body}</v>\n" if name else f"{body}\n"))
    return "\n".join(out)


def to_csv(session: Session) -> str:
    """One row per utterance (UTF-8, comma-separated; see :data:`CSV_COLUMNS`).

    Text that a spreadsheet would run as a formula gets a leading ``'``
    (:func:`~sessionscope.escape.csv_cell`); the CSV reader removes it again.
    """
    people = {p.id: p for p in session.participants}
    names = _names(session)
    buf = _io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for u in session.utterances:
        p = people.get(u.speaker)
        w.writerow([csv_cell(cell) for cell in (
            session.id, u.id, u.speaker, names.get(u.speaker, u.speaker), p.role.value if p else "",
            "" if u.start is None else f"{u.start:.3f}", "" if u.end is None else f"{u.end:.3f}",
            "" if u.duration is None else f"{u.duration:.3f}", u.text,
            "" if u.confidence is None else f"{u.confidence:.4f}", ";".join(u.flags),
        )])
    return buf.getvalue()


def export_problem(session: Session, fmt: str) -> str | None:
    """Why ``session`` cannot be written as ``fmt`` (``None`` when it can).

    Lets a batch skip an impossible export (SRT of an untimed chat log) with a warning
    instead of failing the session's analysis.
    """
    key = str(fmt).strip().lower().lstrip(".")
    if key not in ("json", "session", "rttm", "srt", "vtt", "webvtt", "csv"):
        return f"unknown export format {fmt!r}; valid: json, rttm, srt, vtt, csv"
    if key in ("rttm", "srt", "vtt", "webvtt") and not any(u.timed for u in session.utterances):
        return f"session {session.id!r} has no timestamps, so it cannot be written as {key.upper()}; use csv or json"
    return None


def write_transcript(session: Session, path: str | Path, fmt: str, *, csv_bom: bool = False) -> Path:
    """Write ``session`` to ``path`` as ``json``, ``rttm``, ``srt``, ``vtt`` or ``csv`` (with ``csv_bom``, the CSV
    starts with a UTF-8 byte-order mark: Excel then reads Cyrillic text as UTF-8).

    Raises:
        InputError: unknown format, or a time-based format for an untimed session.
    """
    key = str(fmt).strip().lower().lstrip(".")
    key = {"webvtt": "vtt", "session": "json"}.get(key, key)
    if key == "json":
        from sessionscope.model import write_session_json

        return write_session_json(session, path)
    writers = {"rttm": to_rttm, "srt": to_srt, "vtt": to_vtt}
    if key == "csv":
        text = ("\ufeff" if csv_bom else "") + to_csv(session)
    elif key in writers:
        text = writers[key](session, path=path)
    else:
        raise InputError(f"unknown export format {fmt!r}; valid: json, rttm, srt, vtt, csv", path=path)
    return atomic_write_text(path, text)

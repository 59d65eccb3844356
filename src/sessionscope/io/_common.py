"""Shared pieces of the transcript readers: decoding, timestamps, and building a Session.

Every reader turns its format into a list of :class:`Record` (speaker label, text,
times, words) and hands it to :func:`build_session`, so that participant ids, utterance
ids, ordering and data-quality notes are the same whatever the input format.
"""

from __future__ import annotations

import logging
import math
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date as _date
from pathlib import Path
from typing import Optional

from sessionscope.errors import InputError
from sessionscope.model import DataQuality, Participant, Role, Session, Utterance, Word
from sessionscope.text import counted, normalize_name, slugify

log = logging.getLogger(__name__)

#: Participant id and name used for speech whose speaker the file does not say.
UNKNOWN_ID = "unknown"
UNKNOWN_NAME = "Unknown speaker"

_MAX_BYTES = 512 * 1024 * 1024
#: Default upper bound of any time in a transcript (seconds): a day. A mentoring session
#: lasts an hour or two; a larger time is a typo or a corrupt file, and would make the
#: time-based measures allocate and loop over millions of seconds.
DEFAULT_MAX_DURATION_S = 24 * 3600.0
#: Environment variable that raises (or lowers) the bound for every reader, e.g. from the CLI.
MAX_DURATION_ENV = "SESSIONSCOPE_MAX_DURATION_S"
_MAX_DURATION: ContextVar[Optional[float]] = ContextVar("max_duration_s", default=None)
_TS = re.compile(r"^\s*(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)\s*$")


@dataclass(frozen=True, slots=True)
class Record:
    """One stretch of speech as a reader found it, before ids are assigned.

    ``label`` is the speaker label exactly as written in the file (``None`` when the
    file does not say who spoke).
    """

    label: Optional[str]
    text: str
    start: Optional[float] = None
    end: Optional[float] = None
    words: tuple[Word, ...] = ()
    confidence: Optional[float] = None
    flags: tuple[str, ...] = ()


@dataclass(slots=True)
class Recording:
    """The records of one recording (STM and RTTM files may hold several)."""

    id: str
    records: list[Record] = field(default_factory=list)
    language: Optional[str] = None
    duration_s: Optional[float] = None
    notes: list[str] = field(default_factory=list)


def read_text(path: str | Path) -> str:
    """Read a text file: BOM-aware UTF-8/UTF-16, else a detected legacy encoding (see :func:`decode_text`).

    Raises:
        InputError: the file is missing, unreadable, binary, or empty.
    """
    return read_text_noted(path)[0]


def read_text_noted(path: str | Path) -> tuple[str, Optional[str]]:
    """:func:`read_text` plus a data-quality note when the encoding had to be guessed (``None`` for UTF)."""
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError("is a folder, not a transcript file", path=p)
        # the size is checked before reading (a 5 GB file is refused, not loaded), and at most
        # one byte more than the limit is read (a pipe or a file still growing has no fixed size)
        if p.stat().st_size > _MAX_BYTES:
            raise InputError(f"file is larger than {_MAX_BYTES // (1024 * 1024)} MB; not a transcript", path=p)
        with p.open("rb") as f:
            data = f.read(_MAX_BYTES + 1)
    except OSError as e:
        raise InputError(f"cannot read file: {e.strerror or e}", path=p) from e
    return decode_text(data, path=p)


#: Legacy (non-UTF) encodings a transcript may come in, most common first: Western
#: European, Cyrillic (Windows, KOI8-R, DOS, Mac), Central European. The detector only
#: chooses among these; on a tie the earlier one wins (cp1252 over cp1250 for "Très").
LEGACY_ENCODINGS = ("cp1252", "cp1251", "koi8_r", "cp1250", "cp866", "mac_cyrillic")
_ENCODING_NAMES = {"cp1252": "Windows-1252 (Western European)", "cp1251": "Windows-1251 (Cyrillic)",
                   "koi8_r": "KOI8-R (Cyrillic)", "cp1250": "Windows-1250 (Central European)",
                   "cp866": "DOS-866 (Cyrillic)", "mac_cyrillic": "Mac Cyrillic"}


def guess_encoding(data: bytes) -> Optional[str]:
    """The most plausible of :data:`LEGACY_ENCODINGS` for bytes that are not UTF-8 (charset-normalizer).

    Candidates are ranked by the detector's "chaos" (mess in the decoded text, lower is
    better), then the order of :data:`LEGACY_ENCODINGS`, then the detector's language
    coherence: on short texts the coherence often prefers Central European cp1250
    ("Trčs bien") over the far more common cp1252 ("Très bien"), so it only breaks ties.
    ``None`` when none decodes the bytes into plausible text.
    """
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)))
    if not matches:
        return None
    order = {e: i for i, e in enumerate(LEGACY_ENCODINGS)}
    best = min(matches, key=lambda m: (round(m.chaos, 2), order.get(m.encoding, 99), -m.coherence))
    return best.encoding if best.encoding in order else None


def decode_bytes(data: bytes, *, path: str | Path | None = None) -> str:
    """Decode transcript bytes; see :func:`read_text`."""
    return decode_text(data, path=path)[0]


def _is_media(data: bytes) -> bool:
    """Whether bytes start like an audio or video file (WAV, MP3, FLAC, Ogg, MP4/M4A/MOV, WebM/MKV, WMA/ASF)."""
    head = data[:12]
    return (head[:4] == b"RIFF" and head[8:12] in (b"WAVE", b"AVI ")) or head[:3] == b"ID3" \
        or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2", b"\xff\xf1", b"\xff\xf9") \
        or head[:4] in (b"fLaC", b"OggS", b"\x1a\x45\xdf\xa3", b"\x30\x26\xb2\x75") or head[4:8] == b"ftyp"


def decode_text(data: bytes, *, path: str | Path | None = None) -> tuple[str, Optional[str]]:
    """Decode transcript bytes: (text, note). BOM-aware UTF-8/UTF-16; otherwise the encoding is detected.

    A file that is not UTF-8 is decoded with :func:`guess_encoding` (a Latin-1 "Jürgen" is
    not turned into Cyrillic "Jьrgen"); the note says which encoding was guessed, so that
    the session's data quality shows it. Bytes that no known encoding reads are rejected
    rather than decoded into mojibake.
    """
    note: Optional[str] = None
    if len(data) > _MAX_BYTES:
        raise InputError(f"file is larger than {_MAX_BYTES // (1024 * 1024)} MB; not a transcript", path=path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise InputError(f"invalid UTF-16 text: {e}", path=path) from e
    else:
        if b"\x00" in data:
            hint = "; it looks like a recording: transcribe it with `sessionscope run`" if _is_media(data) else ""
            raise InputError(f"binary file (contains NUL bytes), not a text transcript{hint}", path=path)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            encoding = guess_encoding(data)
            text = data.decode(encoding, errors="replace") if encoding else "\ufffd"
            if encoding is None or text.count("\ufffd") or _mostly_control(text):
                raise InputError("not UTF-8 text, and no known legacy encoding "
                                 f"({', '.join(LEGACY_ENCODINGS)}) reads it; save the file as UTF-8",
                                 path=path) from None
            note = (f"the file is not UTF-8: decoded as {_ENCODING_NAMES[encoding]}, an encoding guessed by "
                    "charset-normalizer; check that names and accented letters read right")
            log.warning("%s: not UTF-8, decoded as %s (guessed)", path, encoding)
    text = text.lstrip("\ufeff").rstrip("\x1a").replace("\r\n", "\n").replace("\r", "\n")
    if _mostly_control(text):
        raise InputError("binary file (control characters), not a text transcript", path=path)
    if not text.strip():
        raise InputError("file is empty", path=path)
    return text, note


def _mostly_control(text: str) -> bool:
    """Whether the start of decoded text holds a control character no text file has (a binary file read as text).
    Line breaks of any system ("\\r\\n", "\\r"), tabs and form feeds are text; so is a DOS end-of-file mark
    (Ctrl-Z) at the very end."""
    head = text[:4096]
    if len(text) <= 4096:
        head = head.rstrip("\x1a")
    return any(ord(ch) < 32 and ch not in "\n\r\t\f\v" for ch in head)


def _default_limit() -> float:
    raw = os.environ.get(MAX_DURATION_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_DURATION_S
    try:
        limit = float(raw)
    except ValueError:
        limit = math.nan
    if not (math.isfinite(limit) and limit > 0):
        raise InputError(f"{MAX_DURATION_ENV} must be a positive number of seconds, not {raw!r}")
    return limit


@contextmanager
def duration_limit(max_duration_s: Optional[float]) -> Iterator[float]:
    """Within the block, readers reject any time beyond ``max_duration_s``.

    ``None``: the environment variable :data:`MAX_DURATION_ENV` when set, else
    :data:`DEFAULT_MAX_DURATION_S` (a day).
    """
    limit = _default_limit() if max_duration_s is None else float(max_duration_s)
    if not (math.isfinite(limit) and limit > 0):
        raise InputError(f"max_duration_s must be a positive number of seconds, not {max_duration_s!r}")
    token = _MAX_DURATION.set(limit)
    try:
        yield limit
    finally:
        _MAX_DURATION.reset(token)


def max_duration() -> float:
    """The bound on times that the readers apply now (see :func:`duration_limit`)."""
    limit = _MAX_DURATION.get()
    return limit if limit is not None else _default_limit()


def check_time(seconds: float, *, what: str, value: object = None, path: str | Path | None = None) -> float:
    """``seconds`` when it is within the recording-length bound, else an :class:`InputError` naming it.

    Raises:
        InputError: the time is later than :func:`max_duration` (a typo or a corrupt file).
    """
    limit = max_duration()
    if seconds > limit:
        shown = _short(value if value is not None else seconds)
        raise InputError(
            f"{what} {shown} is {_hours(seconds)}, past the {_hours(limit)} limit on a recording's length; "
            f"the time looks mistyped or corrupt (if the recording really is that long, raise the limit: "
            f"{MAX_DURATION_ENV}=<seconds>, or read_transcript(max_duration_s=...))", path=path)
    return seconds


def _short(value: object) -> str:
    if isinstance(value, int) and value.bit_length() > 200:
        return f"an integer of {len(str(value)) if value.bit_length() < 14000 else 'thousands of'} digits"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:,.1f} h" if seconds >= 3600 else f"{seconds:,.0f} s"


def parse_timestamp(value: str, *, path: str | Path | None = None, line: int | None = None,
                    where: str | None = None) -> float:
    """Seconds from ``hh:mm:ss.mmm``, ``mm:ss.mmm``, ``hh:mm:ss,mmm`` or plain seconds.

    ``where`` (e.g. ``"line 12, cue 4"``) or ``line`` names the place in the file for
    the error message. Minutes and seconds must be below 60; a time beyond
    :func:`max_duration` is rejected (:func:`check_time`).

    Raises:
        InputError: the value is not a timestamp, or is beyond the bound.
    """
    place = where or (f"line {line}" if line else None)
    what = f"{place}: timestamp" if place else "timestamp"
    m = _TS.match(value)
    if m:
        h, mi, s = m.group(1), m.group(2), m.group(3)
        seconds = int(h or 0) * 3600 + int(mi) * 60 + float(s.replace(",", "."))
        if int(mi) < 60 and float(s.replace(",", ".")) < 60:
            return check_time(seconds, what=what, value=value.strip(), path=path)
    else:
        try:
            seconds = float(value)
        except ValueError:
            seconds = math.nan
        if math.isfinite(seconds) and seconds >= 0:
            return check_time(seconds, what=what, value=value.strip(), path=path)
    suffix = f" ({place})" if place else ""
    raise InputError(f"invalid timestamp {value!r}{suffix}; expected e.g. 00:01:02.500", path=path)


def parse_seconds(value: object, *, what: str, path: str | Path | None = None, time: bool = True
                  ) -> Optional[float]:
    """A finite, non-negative number of seconds, or ``None`` when absent.

    With ``time`` (the default) the value is a time or a duration and must also be within
    :func:`max_duration`; ``time=False`` for other non-negative numbers (probabilities).
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InputError(f"{what} must be a number of seconds, not {_short(value)}", path=path)
    try:
        seconds = float(value)
    except (ValueError, OverflowError) as e:
        raise InputError(f"{what} must be a number of seconds, not {_short(value)}", path=path) from e
    if not math.isfinite(seconds) or seconds < 0:
        raise InputError(f"{what} must be a finite number of seconds >= 0, not {_short(value)}", path=path)
    return check_time(seconds, what=what, value=value, path=path) if time else seconds


def clean_label(label: Optional[str]) -> Optional[str]:
    """Collapse whitespace in a speaker label; empty labels mean 'unknown'."""
    if label is None:
        return None
    label = " ".join(label.split())
    return label or None


def build_session(
    path: str | Path,
    recording: Recording,
    *,
    session_id: Optional[str] = None,
    fmt: str,
) -> Session:
    """Turn a reader's records into a :class:`Session`.

    Participants come from the speaker labels (case- and whitespace-insensitively the
    same label is one participant, named as first written; id = slug of the label, made
    unique). Speech without a label goes to one participant ``unknown``. Utterances are
    sorted by start time when every record has one (file order otherwise) and numbered
    ``u0001``, ``u0002``…

    Raises:
        InputError: the recording has no speech at all.
    """
    records = recording.records
    if not records:
        raise InputError(f"no utterances found (read as {fmt})", path=path)
    notes = list(recording.notes)
    if all(r.start is not None for r in records):
        back = sum(1 for a, b in zip(records, records[1:], strict=False) if b.start < a.start)  # type: ignore[operator, misc]
        if back and fmt not in ("rttm", "stm"):  # those are often grouped by speaker; elsewhere a sign of editing
            notes.append(f"{counted(back, 'utterance')} start{'s' if back == 1 else ''} before the one written above "
                         f"{'it' if back == 1 else 'them'}; sorted by start time")
        records = sorted(records, key=lambda r: r.start)  # type: ignore[arg-type, return-value]

    by_key: dict[str, Participant] = {}
    used_ids: set[str] = set()
    participants: list[Participant] = []

    def participant_for(label: Optional[str]) -> Participant:
        key = normalize_name(label) if label is not None else "\x00unknown"
        found = by_key.get(key)
        if found is not None:
            return found
        base = slugify(label) if label is not None else UNKNOWN_ID
        pid, n = base, 2
        while pid in used_ids:
            pid, n = f"{base}-{n}", n + 1
        used_ids.add(pid)
        p = Participant(id=pid, name=label if label is not None else UNKNOWN_NAME, role=Role.OTHER)
        by_key[key] = p
        participants.append(p)
        return p

    # Real labels claim their slugs first so that "unknown" never steals a real id.
    for r in records:
        if r.label is not None:
            participant_for(r.label)
    utterances = []
    for i, r in enumerate(records, 1):
        speaker = participant_for(r.label).id
        utterances.append(Utterance(
            id=f"u{i:04d}", speaker=speaker, text=r.text, start=r.start, end=r.end,
            words=r.words, confidence=r.confidence, flags=r.flags,
        ))

    timed = all(u.timed for u in utterances)
    n_unknown = sum(1 for r in records if r.label is None)
    if n_unknown == len(records):
        notes.append(f"the {fmt} file names no speakers: all speech is attributed to '{UNKNOWN_ID}'")
    elif n_unknown:
        notes.append(f"{n_unknown} of {len(records)} utterances have no speaker label (participant '{UNKNOWN_ID}')")
    if not timed and not any("start times only" in n for n in notes):
        n_timed = sum(1 for u in utterances if u.timed)
        notes.append("no timestamps: time-based measures are unavailable" if n_timed == 0
                     else f"only {n_timed} of {len(utterances)} utterances have start and end times")
    notes += implausible_times(utterances)
    from sessionscope.analysis.questions import punctuation_notes
    from sessionscope.language.nlp import language_notes

    notes += language_notes([u.text for u in utterances])  # a transcript in another language: read as English
    notes += punctuation_notes([u.text for u in utterances])
    if fmt in SERIAL_CUE_FORMATS:
        notes += split_sentence_notes(utterances)
    if fmt in SERIAL_CUE_FORMATS and timed and len(participants) > 1 and not any_overlap(utterances):
        notes.append(f"no two cues of the {fmt} file overlap: nobody is heard talking over another, so "
                     "interruptions are cut-offs read from the words and pauses alone (none are counted with "
                     "dynamics.interruptions: overlap)")
    duration = recording.duration_s
    day = date_in_name(path)
    return Session(
        id=session_id or recording.id,
        participants=tuple(participants),
        utterances=tuple(utterances),
        date=day,
        language=recording.language,
        duration_s=duration,
        source=str(path),
        quality=DataQuality(timing_available=timed, notes=tuple(notes)),
        extra={"input_format": fmt, **({"date_source": DATE_FROM_NAME} if day else {})},
    )


#: ``Session.extra["date_source"]`` of a date read from the file's name (a manifest's date replaces it).
DATE_FROM_NAME = "file name"
# dates that recording tools write into file names, year first (unambiguous): Zoom "GMT20240124-202901_Recording",
# "2024-01-24 10-29-01" (OBS), "Meeting-20240124_102901-Meeting Recording" (Teams), "session_2024_01_24"
_NAME_DATES = (
    re.compile(r"GMT(20\d\d)(\d\d)(\d\d)-\d{6}"),
    re.compile(r"(?<![\d.])(20\d\d)([-_.])(\d\d)\2(\d\d)(?![\d.])"),
    re.compile(r"(?<![\d.])(20\d\d)(\d\d)(\d\d)(?=[_T-]\d{4,6}(?!\d)|[^\d.]|$)"),
)


def date_in_name(path: str | Path) -> Optional[_date]:
    """The recording date a file's name carries, year first (``GMT20240124-202901_Recording.vtt``,
    ``2024-01-24 mentoring.m4a``, ``…-20240124_102901-Meeting Recording.mp4``), or ``None``. Day-first or
    two-digit-year forms ("24.01.2024", "240124") are ambiguous and never read."""
    name = Path(path).stem
    for rx in _NAME_DATES:
        for m in rx.finditer(name):
            y, mo, d = (m.group(1), m.group(3), m.group(4)) if rx.groups == 4 else m.groups()
            try:
                return _date(int(y), int(mo), int(d))
            except ValueError:
                continue
    return None


#: An utterance longer than this, or a silence longer than this between two, is flagged.
IMPLAUSIBLE_GAP_S = 3600.0


#: caption formats that write one cue after another (Zoom, Teams, YouTube): a file of them without a single overlap
#: between two speakers cannot show an interruption (``analysis.dynamics`` then leaves the counts ``None``)
SERIAL_CUE_FORMATS = frozenset({"vtt", "srt", "sbv"})


_LETTER = re.compile(r"[^\W\d_]")
_I_START = re.compile(r"\s*(?:i|i'm|i'll|i've|i'd)\b")
_SENTENCE_START = re.compile(r"[.?!]\s+([^\W\d_])")
#: the share of a caption file's speaker changes falling inside a sentence from which its data quality says so, with
#: at least :data:`SPLIT_SENTENCE_MIN` of them (round 51: Zoom's class meeting, 6 of its 24 changes)
SPLIT_SENTENCE_SHARE = 0.1
SPLIT_SENTENCE_MIN = 3


def split_sentence_notes(utterances: Sequence[Utterance]) -> list[str]:
    """A data-quality note when many of a capitalised caption file's speaker changes fall inside a sentence: the next
    speaker's cue goes on in lower case after a cue without a final mark ("So this is a text document" / "that has the
    basics…"). Zoom and Teams give each stretch of the recording to the speaker their active-speaker detection picked,
    so part of one person's sentence can go to another (round 51: the real Zoom class meeting, 6 of 24 changes), which
    moves talk time and can read as a cut-off. ``[]`` for a transcript written mostly in lower case."""
    # capitalised: most sentences inside the cues start with a capital (cues themselves may start mid-sentence)
    starts = [m.group(1) for u in utterances for m in _SENTENCE_START.finditer(u.text)]
    if not starts or sum(c.isupper() for c in starts) < 0.5 * len(starts):
        return []
    changes = split = 0
    for a, b in zip(utterances, utterances[1:], strict=False):
        if a.speaker == b.speaker:
            continue
        changes += 1
        m = _LETTER.search(b.text)
        split += bool(m and m.group(0).islower() and not a.text.rstrip().endswith((".", "?", "!", "…"))
                      and not _I_START.match(b.text))
    if split < SPLIT_SENTENCE_MIN or split < SPLIT_SENTENCE_SHARE * changes:
        return []
    return [f"{split} of {changes} speaker changes fall inside a sentence (the next speaker's cue goes on in lower "
            "case): the file may give part of one person's speech to another, which moves talk time and can read as "
            "an interruption"]


def any_overlap(utterances: Sequence[Utterance]) -> bool:
    """Whether two speakers' utterances overlap in time (the overlap ``dynamics`` measures; sorted by start, each
    against the latest end of every other speaker before it)."""
    reach: dict[str, float] = {}
    for u in sorted(utterances, key=lambda u: u.start or 0.0):
        if u.start is not None and any(end > u.start for spk, end in reach.items() if spk != u.speaker):
            return True
        if u.end is not None:
            reach[u.speaker] = max(reach.get(u.speaker, u.end), u.end)
    return False


def implausible_times(utterances: Sequence[Utterance]) -> list[str]:
    """Data-quality notes for times that are possible but unlikely to be right (a typo in an hour digit).

    One utterance lasting over an hour, or an hour of silence between two utterances,
    is usually a mistyped time ("01:02:03" for "00:02:03"); it is kept, but said.
    """
    notes = []
    timed = [u for u in utterances if u.start is not None]
    long = [u for u in timed if u.end is not None and u.end - u.start > IMPLAUSIBLE_GAP_S]  # type: ignore[operator]
    if long:
        notes.append(f"{counted(len(long), 'utterance')} last{'s' if len(long) == 1 else ''} more than an hour "
                     f"({', '.join(u.id for u in long[:5])}): "
                     "check their times")
    reach = None
    for u in timed:
        if reach is not None and u.start - reach > IMPLAUSIBLE_GAP_S:  # type: ignore[operator]
            notes.append(f"no speech for {u.start - reach:,.0f} s before {u.id}: check its time")  # type: ignore[operator]
            break
        end = u.end if u.end is not None else u.start
        reach = end if reach is None else max(reach, end)  # type: ignore[type-var]
    return notes


def pick_recording(
    recordings: Sequence[Recording], session_id: Optional[str], *, path: str | Path, fmt: str
) -> Recording:
    """The recording matching ``session_id``, else the first one (with a warning)."""
    if not recordings:
        raise InputError(f"no utterances found (read as {fmt})", path=path)
    if session_id is not None:
        for rec in recordings:
            if rec.id == session_id:
                return rec
    if len(recordings) > 1:
        log.warning(
            "%s holds %d recordings (%s); reading %r%s. Use read_transcripts() for all of them.",
            path, len(recordings), ", ".join(r.id for r in recordings[:10]), recordings[0].id,
            f" (none is {session_id!r})" if session_id else "",
        )
    return recordings[0]

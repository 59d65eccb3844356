"""WebVTT and SRT: subtitle cues, with speakers from voice tags or ``Name:`` prefixes.

Meeting tools write speakers in three ways, all handled here:

* Microsoft Teams / Google Meet WebVTT: ``<v Anna Smirnova>text</v>`` voice tags;
* Zoom's "audio transcript" WebVTT (and many SRT files): ``Anna Smirnova: text``;
* live captions (Zoom ``.cc.vtt``, YouTube): no speaker at all → participant ``unknown``.

``Name:`` prefixes are only taken as speakers when most cues of the file have one,
so that a caption such as ``Note: the deadline moved`` in an otherwise unlabelled file
stays text. Formatting (``<i>``, ``<c.yellow>``, ``<font>``, ``{\\an8}``, inline
timestamps) is removed and HTML entities are decoded.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Optional

from sessionscope.errors import InputError
from sessionscope.io._common import Record, Recording, clean_label, parse_timestamp
from sessionscope.text import counted, were

_ARROW = re.compile(
    r"^\s*(?P<start>(?:\d+:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?)\s*-->\s*"
    r"(?P<end>(?:\d+:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?)(?P<settings>(?:\s.*)?)$"  # "00:01:0x" is no time
)
# a line that tries to be a cue timing ("00:00:03.000 --> …", even malformed) and the identifier before it
_TIMING_LIKE = re.compile(r"^\s*(?:\d+:)?\d{1,2}:\d{1,2}\S*\s*-->")
_CUE_ID = re.compile(r"^\s*(?:\d+|[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){0,4}[0-9a-fA-F-]*(?:/[\w-]+)?)\s*$")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:\s+([^>]*))?>", re.IGNORECASE)
# Only real cue markup is removed, so that "<3" or "a <b> c" in speech survive.
_TAG = re.compile(r"</?(?:[ibuv]|c|lang|ruby|rt|font|span|s|em|strong|br)(?:[.\s][^>]*)?/?>"
                  r"|<\d+:\d{2}(?::\d{2})?[.,]\d+>|\{\\[^}]*\}", re.IGNORECASE)
_NAME_PREFIX = re.compile(r"^\s*(?:-\s*|>>\s*)?(?P<name>[^\s:][^:\n]{0,59}?)\s*:\s+(?P<text>\S.*)$", re.DOTALL)
_NAME_BAD = re.compile(r"[?!,;\"“”«»\[\]{}=\\|]|https?$|^\d")
# a meeting tool's display name may hold a comma or a bar ("Ivanov, Boris", "Boris Ivanov | Acme Corp"): read as a
# name where a time follows it on its line (a speaker header) or where it starts several cues or lines of the file
_NAME_BAD_LOOSE = re.compile(r"[?!;\"“”«»\[\]{}=\\]|https?$|^\d|^[,|]|[,|]$")
_MAX_NAME_WORDS = 5
#: how many times a name with a comma or a bar must start a cue or a line to be read as a speaker's name
LOOSE_NAME_MIN = 2


def strip_markup(text: str) -> str:
    """Remove cue formatting tags and decode HTML entities."""
    return html.unescape(_TAG.sub("", text))


def looks_like_name(name: str, *, loose: bool = False) -> bool:
    """Whether ``name`` can be a speaker's name: at most five words, no sentence punctuation, brackets balanced.

    ``loose`` also takes a comma or a bar inside the name, as meeting tools write display names ("Ivanov, Boris",
    "Boris Ivanov | Acme Corp"); the readers use it only where the place of the name tells (a time follows it on its
    line, or it starts at least :data:`LOOSE_NAME_MIN` cues or lines: :func:`recurring_names`).
    """
    name = name.strip()
    if not name or len(name.split()) > _MAX_NAME_WORDS or (_NAME_BAD_LOOSE if loose else _NAME_BAD).search(name):
        return False
    if name.count("(") != name.count(")"):  # Zoom display names: "Anna (she/her)", "iPhone (2)"
        return False
    # a sentence ending with a period is not a name ("Dr. Ko" is: the period is inside)
    return not name.endswith(".")


def recurring_names(texts: Sequence[str]) -> frozenset[str]:
    """The ``Name:`` prefixes with a comma or a bar ("Ivanov, Boris: …") that start at least :data:`LOOSE_NAME_MIN`
    of ``texts``: a speaker's display name, said again at each turn, not a sentence with a colon ("So, the plan: …")."""
    counts: dict[str, int] = {}
    for text in texts:
        m = _NAME_PREFIX.match(text)
        if m and not looks_like_name(m.group("name")) and looks_like_name(m.group("name"), loose=True):
            counts[m.group("name")] = counts.get(m.group("name"), 0) + 1
    return frozenset(n for n, c in counts.items() if c >= LOOSE_NAME_MIN)


def split_name_prefix(text: str, *, also: frozenset[str] = frozenset()) -> tuple[Optional[str], str]:
    """``("Anna", "hello")`` from ``"Anna: hello"``; ``(None, text)`` when no name prefix.

    ``also``: names with a comma or a bar read as names here (:func:`recurring_names` of the file).
    """
    m = _NAME_PREFIX.match(text)
    if m and (looks_like_name(m.group("name")) or m.group("name") in also):
        return m.group("name"), m.group("text").strip()
    return None, text


def _voice_pieces(raw: str) -> list[tuple[Optional[str], str]]:
    """Split a cue payload at ``<v Name>`` tags into (speaker, text) pieces."""
    matches = list(_VOICE.finditer(raw))
    if not matches:
        return [(None, raw)]
    pieces: list[tuple[Optional[str], str]] = []
    head = raw[: matches[0].start()]
    if strip_markup(head).strip():
        pieces.append((None, head))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(raw)
        pieces.append((clean_label(html.unescape(m.group(1) or "")), raw[m.end():end]))
    return pieces


def _cue_records(lines: list[str], start: float, end: float) -> list[tuple[Optional[str], str, float, float, bool]]:
    """(label, text, start, end, label_from_voice_tag) for one cue's payload lines."""
    raw = "\n".join(lines)
    pieces = _voice_pieces(raw)
    out: list[tuple[Optional[str], str, float, float, bool]] = []
    texts = []
    for label, chunk in pieces:
        text = " ".join(strip_markup(chunk).split())
        if text:
            texts.append((label, text, label is not None))
    if len(texts) == 1 and not texts[0][2] and len(lines) > 1:
        # No voice tag: lines starting with different "Name:" prefixes are separate speakers.
        lines_clean = [" ".join(strip_markup(x).split()) for x in lines]
        lines_clean = [x for x in lines_clean if x]
        named = [split_name_prefix(x) for x in lines_clean]
        if len(named) > 1 and sum(1 for n, _ in named if n) > 1:
            merged: list[tuple[Optional[str], str, bool]] = []
            for name, text in named:
                if name is None and merged:
                    prev = merged[-1]
                    merged[-1] = (prev[0], prev[1] + " " + text, prev[2])
                else:
                    merged.append((None, (f"{name}: " if name else "") + text, False))
            texts = merged
    if not texts:
        return out
    # Several speakers in one cue share its time in proportion to their text length.
    total = sum(len(t) for _, t, _ in texts) or 1
    t0 = start
    for i, (label, text, tagged) in enumerate(texts):
        t1 = end if i == len(texts) - 1 else t0 + (end - start) * len(text) / total
        out.append((label, text, round(t0, 3), round(t1, 3), tagged))
        t0 = t1
    return out


_META = re.compile(r"^(?:NOTE\s+)?(language|duration|confidence)\s*:\s*\"?([^\"]+?)\"?\s*$", re.IGNORECASE)


def _meta(line: str, meta: dict[str, object], *, path: str | Path) -> Optional[float]:
    """Record ``Language:``/``NOTE language:``/``NOTE duration:`` values; return a ``NOTE Confidence:``."""
    m = _META.match(line.strip())
    if not m:
        return None
    key, value = m.group(1).lower(), m.group(2).strip()
    try:
        if key == "language" and re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*", value):
            meta.setdefault("language", value.split("-")[0].split("_")[0].lower())
        elif key == "duration":
            meta.setdefault("duration", parse_timestamp(value[:12], path=path))
        elif key == "confidence":
            conf = float(value)
            return conf if 0.0 <= conf <= 1.0 else None
    except (InputError, ValueError):
        return None
    return None


Piece = tuple[Optional[str], str, float, float, bool, Optional[float]]


def _parse_cues(text: str, *, path: str | Path, fmt: str) -> tuple[list[Piece], dict[str, object]]:
    """All cue pieces of a WebVTT or SRT document, in file order, and file metadata.

    Metadata (WebVTT only): ``language`` from a ``Language:`` header (YouTube) or
    ``NOTE language:`` (Teams), ``duration`` from ``NOTE duration:``; a
    ``NOTE Confidence:`` block (Microsoft Stream) gives the next cue its confidence.
    """
    lines = text.split("\n")
    out: list[Piece] = []
    meta: dict[str, object] = {}
    conf: Optional[float] = None
    i, n = 0, len(lines)
    n_cues = 0
    if fmt == "vtt":
        if not lines[0].startswith("WEBVTT"):
            raise InputError("not a WebVTT file: the first line must start with 'WEBVTT'", path=path)
        i = 1
        while i < n and lines[i].strip() and not _ARROW.match(lines[i]):  # header block
            _meta(lines[i], meta, path=path)
            i += 1
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        block_start = i
        while i < n and lines[i].strip():
            i += 1
        block = lines[block_start:i]
        head = block[0].strip()
        if fmt == "vtt" and (head.startswith("NOTE") or head in ("STYLE", "REGION")
                             or head.startswith(("STYLE ", "REGION ", "X-TIMESTAMP-MAP"))):
            if head.startswith("NOTE"):
                for note in block:
                    c = _meta(note, meta, path=path)
                    conf = c if c is not None else conf
            continue
        k = 0
        m = _ARROW.match(block[0])
        if m is None and len(block) > 1:
            k = 1  # cue identifier (SRT counter, Teams GUID, Zoom number)
            m = _ARROW.match(block[1])
        if m is None:
            if fmt == "srt" and len(block) == 1 and head.isdigit():
                continue  # a stray counter
            # blame the line that tries to be a timing line (it has "-->"), not the cue text after it
            bad = next((j for j in range(min(2, len(block))) if "-->" in block[j]), 0)
            raise InputError(
                f"line {block_start + bad + 1} (cue {n_cues + 1}): expected a cue timing line like "
                f"'00:00:01{'.' if fmt == 'vtt' else ','}000 --> 00:00:04{'.' if fmt == 'vtt' else ','}000', "
                f"got {block[bad][:80]!r}", path=path)
        nxt = _next_cue(block, k)
        if nxt is not None:  # the rest of the block is read again as the next cue
            i = block_start + nxt
            block = block[:nxt]
        n_cues += 1
        where = f"line {block_start + k + 1}, cue {n_cues}"
        start = parse_timestamp(m.group("start"), path=path, where=where)
        end = parse_timestamp(m.group("end"), path=path, where=where)
        if end < start:
            # the last line of a file cut off mid-write ("00:00:01.000 --> 00:00:0") reads as an early end
            cut = not any(x.strip() for x in lines[block_start + k + 1:]) and not re.search(r"[.,]\d{3}\s*$",
                                                                                              m.group("end"))
            raise InputError(f"{where}: cue ends ({m.group('end')}) before it starts ({m.group('start')})"
                             + ("; the file ends inside this timing line: is it cut off (an incomplete copy "
                                "or download)?" if cut else ""), path=path)
        out.extend((*r, conf) for r in _cue_records(block[k + 1:], start, end))
        conf = None
    return out, meta


def _next_cue(block: list[str], k: int) -> Optional[int]:
    """Where a next cue starts inside a block whose timing line is ``block[k]`` (a blank line is missing).

    A later line that tries to be a timing line ("00:00:03.000 --> …", even malformed)
    starts a new cue, with the identifier line before it, so that its times are read
    (or its error reported) instead of landing in this cue's text.
    """
    nxt = next((j for j in range(k + 1, len(block)) if _TIMING_LIKE.match(block[j])), None)
    if nxt is not None and nxt - 1 > k and _CUE_ID.match(block[nxt - 1]):
        nxt -= 1
    return nxt


def _to_recording(parsed: tuple[list[Piece], dict[str, object]], *, rec_id: str, fmt: str) -> Recording:
    """Decide whether ``Name:`` prefixes are speakers (most untagged cues have one) and build records."""
    pieces, meta = parsed
    untagged = [p for p in pieces if not p[4]]
    also = recurring_names([p[1] for p in untagged])  # "Boris Ivanov | Acme Corp: …" at each of his turns
    prefixed = [split_name_prefix(p[1], also=also) for p in untagged]
    use_prefix = bool(untagged) and sum(1 for name, _ in prefixed if name) >= 0.5 * len(untagged)
    records: list[Record] = []
    j = 0
    for label, text, start, end, tagged, conf in pieces:
        if not tagged:
            name, rest = prefixed[j]
            j += 1
            if use_prefix and name:
                label, text = clean_label(name), rest
        records.append(Record(label=label, text=text, start=start, end=end, confidence=conf))
    speakers_named = any(p[4] for p in pieces) or use_prefix
    continued = _continue_previous_speaker(records) if speakers_named else 0
    duration = meta.get("duration")
    rec = Recording(id=rec_id, records=records, language=meta.get("language"),  # type: ignore[arg-type]
                    duration_s=duration if isinstance(duration, float) and duration > 0 else None)
    if not speakers_named:
        rec.notes.append(f"{fmt} captions without speaker names")
    if continued:
        rec.notes.append(f"{counted(continued, 'cue')} without a speaker name {were(continued)} attributed to the "
                         "previous speaker "
                         "(Zoom and Teams split one person's speech into cues and name the speaker only on the first)")
    return rec


#: an unnamed cue starting at most this long after the previous cue ended continues its speaker.
#: Zoom names the speaker once per turn and splits one person's speech into cues separated by the
#: speaker's own short pauses; issue 9 asks that such cues continue the previous speaker rather than
#: become an extra "Unknown speaker". After a longer silence the speaker is not known (a guess).
CONTINUE_MAX_GAP_S = 3.0


def _continue_previous_speaker(records: list[Record]) -> int:
    """Give cues without a speaker name the label of the cue just before them; return how many.

    In a file whose cues name their speakers, an unnamed cue that follows the previous
    cue closely is that speaker going on (Zoom names the speaker once per turn; Teams
    drops the voice tag on continuation cues). Cues before the first named one, or after
    a silence longer than :data:`CONTINUE_MAX_GAP_S`, stay unlabelled (participant
    ``unknown``): attributing them would be a guess.
    """
    previous: Optional[Record] = None
    n = 0
    for k, r in enumerate(records):
        if r.label is None and previous is not None:
            gap = None if r.start is None or previous.end is None else r.start - previous.end
            if gap is not None and gap <= CONTINUE_MAX_GAP_S:
                records[k] = replace(r, label=previous.label)
                previous = records[k]
                n += 1
                continue
        if r.label is not None:
            previous = r
        else:
            previous = None
    return n


def parse_vtt(text: str, *, path: str | Path) -> Recording:
    """Parse a WebVTT document (Teams/Meet voice tags, Zoom ``Name:`` cues, plain captions)."""
    return _to_recording(_parse_cues(text, path=path, fmt="vtt"), rec_id=Path(path).stem, fmt="vtt")


def parse_srt(text: str, *, path: str | Path) -> Recording:
    """Parse an SRT document (with or without ``Name:`` prefixes, ``<font>``/``{\\an8}`` tags)."""
    return _to_recording(_parse_cues(text, path=path, fmt="srt"), rec_id=Path(path).stem, fmt="srt")


_SBV_TIMING = re.compile(r"^[ \t]*(\d+:\d{1,2}:\d{1,2}(?:\.\d{1,3})?)[ \t]*,[ \t]*(\d+:\d{1,2}:\d{1,2}(?:\.\d{1,3})?)[ \t]*$",
                         re.MULTILINE)


def parse_sbv(text: str, *, path: str | Path) -> Recording:
    """Parse a SubViewer / YouTube ``.sbv`` caption file (Google Meet recordings in Drive).

    Cues are ``0:00:01.000,0:00:04.000`` lines followed by text; speakers as in SRT.
    """
    srt = _SBV_TIMING.sub(lambda m: f"{m.group(1)} --> {m.group(2)}", text)
    return _to_recording(_parse_cues(srt, path=path, fmt="srt"), rec_id=Path(path).stem, fmt="sbv")

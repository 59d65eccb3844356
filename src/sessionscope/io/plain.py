"""Plain-text transcripts: ``Name: text`` lines, timestamps optional.

Accepted line shapes (times as ``h:mm:ss``, ``mm:ss`` or with milliseconds)::

    Anna: What tools do you use?               no time
    [00:01:02] Anna: What tools do you use?    start time (also "(00:01:02)" or "00:01:02")
    [00:01:02 - 00:01:09] Anna: What ...       start and end time
    Anna [00:01:02]: What tools do you use?    start time after the name
    00:05:16<TAB>Anna:<TAB>message             Zoom chat export

and the "speaker header" layout of Otter / Teams exports (a ``Name  0:03`` line, then
the text lines). A line holding only a time (Google Meet exports put one every few
minutes) gives the start of the next utterance. A line without a name continues the previous utterance. With start
times only, utterance ends are unknown (``None``): talk time is reported as
unavailable rather than guessed from the next start.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from sessionscope.errors import InputError
from sessionscope.io._common import Record, Recording, clean_label, parse_timestamp
from sessionscope.io.cues import looks_like_name, recurring_names, split_name_prefix
from sessionscope.text import counted, were

_T = r"\d{1,3}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_LEAD_TIME = re.compile(rf"^\s*[\[(]?(?P<start>{_T})(?:\s*(?:-|–|-->)\s*(?P<end>{_T}))?[\])]?\s+(?P<rest>.*)$")
_NAME_TIME = re.compile(rf"^\s*(?P<name>[^\[\]():\n]{{1,60}}?)\s*[\[(](?P<start>{_T})(?:\s*(?:-|–)\s*(?P<end>{_T}))?[\])]\s*:\s*(?P<text>.*)$")
_CHAT = re.compile(r"^\d{2}:\d{2}:\d{2}\t[^\t]+:\t")  # Zoom chat: "00:05:16<TAB>Name:<TAB>message"
#: Zoom chat reactions ("Reacted to "Lots of engagement c..." with 👍🏻", "Removed a 👍 reaction from "..."):
#: an emoji on someone else's message, not a message of its own.
_REACTION = re.compile(r'^(?:Reacted to ".*" with \S+|Removed an? \S+ reaction from ".*")$')
_ONLY_TIME = re.compile(rf"^\s*[\[(]?(?P<start>{_T})[\])]?\s*$")
_HEADER = re.compile(rf"^\s*(?P<name>[^\d\s:][^:\n|]{{0,59}}?)(?:\s{{2,}}|\s*\|\s*)(?P<start>{_T})"
                     rf"(?:\s*-->\s*(?P<end>{_T}))?\s*$")


def _parse_line(line: str, *, path: str | Path, lineno: int, also: frozenset[str] = frozenset()
                ) -> tuple[Optional[str], str, Optional[float], Optional[float], Optional[bool]]:
    """(name, text, start, end, is_header) of one line; is_header is None for a bare time line.

    Raises:
        InputError: a time range that ends before it starts ("[00:01:02 - 00:01:00]"), naming the line.
    """
    parsed = _parse_line_times(line, path=path, lineno=lineno, also=also)
    start, end = parsed[2], parsed[3]
    if start is not None and end is not None and end < start:
        raise InputError(f"line {lineno}: the time range ends ({_fmt(end)}) before it starts ({_fmt(start)})",
                         path=path)
    return parsed


def _parse_line_times(line: str, *, path: str | Path, lineno: int, also: frozenset[str]
                      ) -> tuple[Optional[str], str, Optional[float], Optional[float], Optional[bool]]:
    start = end = None
    m = _ONLY_TIME.match(line)
    if m:  # a bare time line (Google Meet exports): the start of what follows
        return None, "", parse_timestamp(m.group("start"), path=path, line=lineno), None, None
    m = _NAME_TIME.match(line)
    if m:
        if looks_like_name(m.group("name"), loose=True):  # a time follows the name: "Ivanov, Boris (00:03): …"
            start = parse_timestamp(m.group("start"), path=path, line=lineno)
            end = parse_timestamp(m.group("end"), path=path, line=lineno) if m.group("end") else None
            return m.group("name"), m.group("text").strip(), start, end, False
    h = _HEADER.match(line)
    if h and looks_like_name(h.group("name"), loose=True):  # Teams' "Ivanov, Boris   0:03"
        end = parse_timestamp(h.group("end"), path=path, line=lineno) if h.group("end") else None
        return h.group("name"), "", parse_timestamp(h.group("start"), path=path, line=lineno), end, True
    m = _LEAD_TIME.match(line)
    rest = line
    if m:
        start = parse_timestamp(m.group("start"), path=path, line=lineno)
        end = parse_timestamp(m.group("end"), path=path, line=lineno) if m.group("end") else None
        rest = m.group("rest")
    name, text = split_name_prefix(rest.replace("\t", " "), also=also)
    return name, text.strip(), start, end, False


def parse_plain(text: str, *, path: str | Path) -> Recording:
    """Parse a plain-text transcript into records (see the module docstring)."""
    lines = [(i, ln) for i, ln in enumerate(text.split("\n"), 1) if ln.strip()]
    # a display name with a comma or a bar ("Ivanov, Boris: …") is a name when it starts several lines
    also = recurring_names([(m.group("rest") if (m := _LEAD_TIME.match(ln)) else ln).replace("\t", " ")
                            for _, ln in lines])
    parsed = [_parse_line(ln, path=path, lineno=i, also=also) for i, ln in lines]
    content = [p for p in parsed if p[4] is not None]
    # the first line after a "Name  0:03" header is its text, not a line that could have had a name
    candidates = [p for k, p in enumerate(content) if not (k and content[k - 1][4])]
    named = sum(1 for p in candidates if p[0])
    first_named = bool(content) and content[0][0] is not None
    use_names = named >= 0.5 * len(candidates) or (first_named and named >= 2)
    pending: Optional[float] = None
    records: list[Record] = []
    cur: Optional[dict] = None
    preamble = 0

    def flush() -> None:
        if cur is not None and (cur["text"] or cur["header"]):
            body = " ".join(" ".join(cur["text"]).split())
            if body:
                records.append(Record(label=cur["label"], text=body, start=cur["start"], end=cur["end"]))

    for name, body, start, end, header in parsed:
        if header is None:
            pending = start
            continue
        if pending is not None and start is None and (name is not None or header or not use_names):
            start, pending = pending, None
        if not use_names and name is not None:
            body = f"{name}  {_fmt(start)}" if header else f"{name}: {body}"
            name, start = None, None if header else start
        if use_names and cur is None and name is None and not header and start is None:
            preamble += 1  # a title or date line before the first speaker
            continue
        if header and use_names:
            flush()
            cur = {"label": clean_label(name), "text": [], "start": start, "end": end, "header": True}
            continue
        if name is not None or start is not None or cur is None or not use_names:
            flush()
            label = clean_label(name) if name is not None else (cur["label"] if cur is not None and use_names else None)
            cur = {"label": label, "text": [body], "start": start, "end": end, "header": False}
        else:
            cur["text"].append(body)
    flush()
    chat = bool(lines) and sum(1 for _, ln in lines if _CHAT.match(ln)) >= 0.8 * len(lines)
    reactions = [r for r in records if chat and _REACTION.match(r.text)]
    rec = Recording(id=Path(path).stem, records=[r for r in records if not (chat and _REACTION.match(r.text))])
    if chat:
        rec.notes.append("looks like a meeting chat export (written messages, not speech)")
    if reactions:
        rec.notes.append(f"{counted(len(reactions), 'emoji reaction')} to other messages {were(len(reactions))} left "
                         "out (not messages)")
    if preamble:
        rec.notes.append(f"{counted(preamble, 'line')} before the first speaker (title, date) {were(preamble)} skipped")
    if rec.records and any(r.start is not None for r in rec.records) and all(r.end is None for r in rec.records):
        rec.notes.append("start times only: utterance ends and talk time are unknown")
    return rec


def _fmt(seconds: Optional[float]) -> str:
    if seconds is None:
        return ""
    m, sec = divmod(seconds, 60)
    return f"{int(m // 60)}:{int(m % 60):02d}:{sec:06.3f}"

"""NIST STM (segment time mark) transcripts, as used by sclite and speech corpora.

One line per segment::

    ;; comment
    <file> <channel> <speaker> <begin> <end> [<label>] transcript text

Segments whose text is ``ignore_time_segment_in_scoring`` (or whose speaker is
``inter_segment_gap``) mark regions excluded from scoring, not speech, and are skipped.
Non-speech tags such as ``<LAUGH>`` or ``<UNK>`` are removed from the text (the
utterance keeps its time: the person was vocalising); an utterance that had them gets
the flag ``nonspeech``. A file may hold several recordings (the first field).
"""

from __future__ import annotations

import re
from pathlib import Path

from sessionscope.errors import InputError
from sessionscope.io._common import Record, Recording, clean_label, parse_seconds

_IGNORE = "ignore_time_segment_in_scoring"
_GAP_SPEAKERS = {"inter_segment_gap", "excluded_region"}
_LABEL = re.compile(r"^<[^<>\s]*>$")
_NONSPEECH = re.compile(r"<[A-Za-z_\-]+>")
_SPACE_PUNCT = re.compile(r"(?<=\S)\s+([.,?!;:])")


def parse_stm(text: str, *, path: str | Path) -> list[Recording]:
    """All recordings of an STM document, in order of first appearance.

    Raises:
        InputError: a line has fewer than five fields or a bad time, naming the line.
    """
    recordings: dict[str, Recording] = {}
    for lineno, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith(";;"):
            continue
        fields = stripped.split(None, 5)
        if len(fields) < 5:
            raise InputError(
                f"line {lineno}: an STM line needs '<file> <channel> <speaker> <begin> <end> [text]', "
                f"got {stripped[:80]!r}", path=path)
        file_id, _channel, speaker, begin, end = fields[:5]
        rest = fields[5] if len(fields) > 5 else ""
        start = parse_seconds(begin, what=f"line {lineno}: begin time", path=path)
        stop = parse_seconds(end, what=f"line {lineno}: end time", path=path)
        assert start is not None and stop is not None
        if stop < start:
            raise InputError(f"line {lineno}: segment ends ({end}) before it begins ({begin})", path=path)
        first, _, after = rest.partition(" ")
        if _LABEL.match(first) and ("," in first or first == first.lower()):  # <o,f0,male>, not <LAUGH>
            rest = after
        rec = recordings.setdefault(file_id, Recording(id=file_id))
        if rest.strip() == _IGNORE or speaker.lower() in _GAP_SPEAKERS:
            continue
        flags: tuple[str, ...] = ()
        cleaned = " ".join(_NONSPEECH.sub(" ", rest).split())
        if cleaned != " ".join(rest.split()):
            flags = ("nonspeech",)
            cleaned = _SPACE_PUNCT.sub(r"\1", cleaned).strip()
        rec.records.append(Record(
            label=clean_label(speaker), text=cleaned, start=start, end=stop, flags=flags,
        ))
    out = [r for r in recordings.values() if r.records]
    if not out:
        raise InputError("no STM segments found (only comments or ignored regions)", path=path)
    return out

"""NIST RTTM (rich transcription time marks): who spoke when, optionally with words.

The diarization format of pyannote, DIHARD and the AMI references::

    SPEAKER <file> <chnl> <tbeg> <tdur> <ortho> <stype> <name> <conf> <slat>

Each ``SPEAKER`` line becomes an utterance (with empty text unless words are known).
Text comes from ``LEXEME`` lines of the same file, or from a separate timed transcript
(``text_path``: e.g. a faster-whisper JSON without speakers): every word (or segment,
when the transcript has no word times) goes to the speaker turn it overlaps most,
which is how ASR output and a diarization are combined. Other line types
(``SPKR-INFO``, ``NOSCORE``…) are ignored. A file may hold several recordings.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Optional

from sessionscope.errors import InputError
from sessionscope.io._common import Record, Recording, check_time, clean_label, parse_seconds
from sessionscope.model import Session, Word

_SKIP_TYPES = {"SPKR-INFO", "NOSCORE", "NO_RT_METADATA", "NON-SPEECH", "NON-LEX", "SEGMENT", "SU", "CB",
               "IP", "EDIT", "FILLER", "A/P", "NOSCORE-REGION"}


def parse_rttm(text: str, *, path: str | Path) -> list[Recording]:
    """All recordings of an RTTM document, with LEXEME words attached to the turns.

    Raises:
        InputError: a malformed line (too few fields, bad time), naming the line.
    """
    turns: dict[str, list[Record]] = {}
    lexemes: dict[str, list[tuple[Optional[str], Word]]] = {}
    for lineno, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith((";;", "#")):
            continue
        fields = stripped.split()
        kind = fields[0].upper()
        if kind in _SKIP_TYPES:
            continue
        if kind not in ("SPEAKER", "LEXEME"):
            raise InputError(f"line {lineno}: unknown RTTM line type {fields[0]!r}; expected SPEAKER or LEXEME "
                             f"(got {stripped[:80]!r})", path=path)
        if len(fields) < 8:
            raise InputError(f"line {lineno}: an RTTM {kind} line needs at least 8 fields "
                             f"('{kind} <file> <chnl> <tbeg> <tdur> <ortho> <stype> <name> ...'), "
                             f"got {len(fields)}", path=path)
        file_id = fields[1]
        start = parse_seconds(fields[3], what=f"line {lineno}: tbeg", path=path)
        dur = parse_seconds(fields[4], what=f"line {lineno}: tdur", path=path)
        assert start is not None and dur is not None
        check_time(start + dur, what=f"line {lineno}: end (tbeg + tdur)", path=path)
        name = None if fields[7] == "<NA>" else clean_label(fields[7])
        turns.setdefault(file_id, [])
        if kind == "SPEAKER":
            turns[file_id].append(Record(label=name, text="", start=round(start, 3), end=round(start + dur, 3)))
        elif fields[5] != "<NA>":
            lexemes.setdefault(file_id, []).append(
                (name, Word(text=fields[5], start=round(start, 3), end=round(start + dur, 3))))
    out = []
    for file_id, recs in turns.items():
        if not recs:
            continue
        rec = Recording(id=file_id, records=recs)
        if file_id in lexemes:
            rec.records = attach_words(recs, lexemes[file_id])
        else:
            rec.notes.append("RTTM without words: utterances have no text (word-based measures unavailable)")
        out.append(rec)
    if not out:
        raise InputError("no RTTM SPEAKER lines found", path=path)
    return out


def attach_words(turns: Sequence[Record], units: Sequence[tuple[Optional[str], Word]]) -> list[Record]:
    """Give every timed word (or text segment) to the speaker turn it overlaps most.

    ``units`` are (speaker label or None, word); a unit with a label prefers turns of
    that speaker. Units overlapping no turn go to the nearest one. Turns keep their
    times; their text is their words in time order.
    """
    order = sorted(range(len(turns)), key=lambda k: (turns[k].start or 0.0, turns[k].end or 0.0))
    starts = [turns[k].start or 0.0 for k in order]
    longest = max(((t.end or 0.0) - (t.start or 0.0) for t in turns), default=0.0)
    assigned: dict[int, list[Word]] = {}
    for label, word in units:
        if word.start is None:
            continue
        w0 = word.start
        w1 = word.end if word.end is not None else w0
        hi = bisect.bisect_right(starts, w1)
        lo = bisect.bisect_left(starts, w0 - longest)
        best, best_score = None, None
        for j in range(max(lo - 1, 0), min(hi + 1, len(order))):
            t = turns[order[j]]
            s, e = t.start or 0.0, t.end or 0.0
            overlap = min(e, w1) - max(s, w0)
            gap = 0.0 if overlap > 0 else max(s - w1, w0 - e, 0.0)
            same = label is not None and t.label is not None and label == t.label
            # Coverage of the unit decides; when the unit lies (almost) wholly inside two
            # turns (overlapped speech), the turn that starts nearest to it wins: speech
            # onsets of ASR segments and diarization turns coincide.
            if w1 > w0:
                cover = max(overlap, 0.0) / (w1 - w0)
            else:
                cover = 1.0 if s <= w0 <= e else 0.0
            score = (cover > 0, same, min(cover, 0.9),
                     -abs(s - w0) if cover >= 0.9 else (overlap if overlap > 0 else -gap))
            if best_score is None or score > best_score:
                best, best_score = order[j], score
        if best is None:  # nothing in the window: nearest turn overall
            mid = (w0 + w1) / 2
            best = min(range(len(turns)), key=lambda k: min(abs((turns[k].start or 0) - mid),
                                                             abs((turns[k].end or 0) - mid)))
        assigned.setdefault(best, []).append(word)
    out = []
    for k, t in enumerate(turns):
        words = sorted(assigned.get(k, []), key=lambda w: w.start or 0.0)
        text = " ".join(w.text.strip() for w in words if w.text.strip())
        keep_words = tuple(w for w in words if len(w.text.split()) == 1)
        confs = [w.confidence for w in keep_words if w.confidence is not None]
        out.append(replace(t, text=text, words=keep_words if len(keep_words) == len(words) else (),
                           confidence=round(sum(confs) / len(confs), 4) if confs else None))
    return out


def text_units(session: Session, *, path: str | Path) -> list[tuple[Optional[str], Word]]:
    """Timed text units of a transcript: its words when they have times, else its utterances.

    Raises:
        InputError: the transcript has no timestamps (it cannot be aligned to turns).
    """
    names = {p.id: p.name for p in session.participants}
    units: list[tuple[Optional[str], Word]] = []
    for u in session.utterances:
        if u.words and all(w.start is not None for w in u.words):
            units.extend((names.get(u.speaker), w) for w in u.words)
        elif u.start is not None:
            units.append((names.get(u.speaker), Word(text=u.text, start=u.start, end=u.end, confidence=u.confidence)))
    if not units:
        raise InputError("the text file has no timestamps, so its words cannot be aligned to RTTM turns", path=path)
    return units


def with_text(recording: Recording, text_session: Session, *, text_path: str | Path) -> Recording:
    """The recording's turns filled with the words of a separate timed transcript."""
    units = text_units(text_session, path=text_path)
    recs = attach_words(recording.records, [(None, w) for _, w in units])
    notes = [n for n in recording.notes if not n.startswith("RTTM without words")]
    notes.append(f"text from {Path(text_path).name}, aligned to RTTM turns by time overlap")
    return Recording(id=recording.id, records=recs, language=text_session.language,
                     duration_s=text_session.duration_s, notes=notes)

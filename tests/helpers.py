"""Builders for hand-made sessions used across test files."""

from __future__ import annotations

from sessionscope.model import Participant, Role, Session, Utterance


def make_session(rows, *, roles=None, language="en", duration=None, sid="t") -> Session:
    """rows: (speaker, start, end, text) or (speaker, text) for untimed."""
    utts = []
    speakers: list[str] = []
    for i, row in enumerate(rows, 1):
        if len(row) == 4:
            spk, start, end, text = row
        else:
            spk, text = row
            start = end = None
        utts.append(Utterance(id=f"u{i:04d}", speaker=spk, text=text, start=start, end=end))
        if spk not in speakers:
            speakers.append(spk)
    roles = roles or {}
    parts = tuple(Participant(s, s.title(), Role(roles.get(s, "other"))) for s in speakers)
    return Session(id=sid, participants=parts, utterances=tuple(utts), language=language, duration_s=duration)

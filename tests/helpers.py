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


def pair_items(rows, language: str, names: dict, date):
    """The extraction stage's items for a dated two-person call: ``names`` maps the junior's id, then the senior's, to
    their names (rounds 43–44)."""
    import dataclasses

    from sessionscope.analysis.extract.stage import ExtractionStage

    ids = list(names)
    session = make_session(rows, roles={ids[0]: "junior", ids[1]: "senior"}, language=language)
    session = dataclasses.replace(session, date=date, participants=(
        Participant(ids[0], names[ids[0]], Role.JUNIOR), Participant(ids[1], names[ids[1]], Role.SENIOR)))
    return ExtractionStage()(session)


def toy_question_head():
    """A question head for rule tests: punctuated weights that believe only "?", bare weights that fire on an
    interrogative word or an inversion at the start (round 28's period and mixed tests)."""
    import numpy as np

    from sessionscope.analysis.questions import HEAD_HASH_BITS, QuestionHead, _hash

    w = np.zeros((2, 1 << HEAD_HASH_BITS), np.float32)
    w[0, _hash("q_any")] = 5.0
    for f in ("wh@0", "inv@0"):
        w[1, _hash(f)] = 5.0
    return QuestionHead(weights=w, bias=np.array([-2.0, -2.5]), platt=np.array([[1.0, 0.0], [1.0, 0.0]]),
                        thresholds=np.array([0.5, 0.5]))

"""The frozen value types every stage reads and returns.

A :class:`Session` is the whole state of one recorded meeting: who took part, what was
said and when, and whatever the analysis stages have added. Stages never mutate a
session; they return a new one with :func:`dataclasses.replace`.

Times are seconds from the start of the recording. ``None`` means "not known" (a plain
text transcript has no timestamps): time-based measures are then reported as
unavailable instead of being invented.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, Optional

from sessionscope.model.annotations import (
    ActionItem,
    DataQuality,
    Flag,
    KeyPoint,
    KnowledgeFlow,
    Metrics,
    Problem,
    Question,
    Recommendation,
    Topics,
)
from sessionscope.model.provenance import Provenance


class Role(str, Enum):
    """A participant's role in the mentoring pair."""

    JUNIOR = "junior"
    SENIOR = "senior"
    OTHER = "other"

    @classmethod
    def parse(cls, value: str | None) -> Role:
        """Parse a role name leniently (case, whitespace, a few synonyms)."""
        if value is None:
            return cls.OTHER
        key = " ".join(str(value).strip().lower().split())
        synonyms = {
            "junior": cls.JUNIOR, "младший": cls.JUNIOR, "джуниор": cls.JUNIOR, "junior mentor": cls.JUNIOR,
            "senior": cls.SENIOR, "старший": cls.SENIOR, "сеньор": cls.SENIOR, "senior mentee": cls.SENIOR,
            "other": cls.OTHER, "observer": cls.OTHER, "coordinator": cls.OTHER, "наблюдатель": cls.OTHER,
            "координатор": cls.OTHER, "": cls.OTHER,
        }
        if key in {"mentor", "mentee", "наставник", "наставляемый", "наставница", "наставляемая"}:
            raise ValueError(
                f"role {value!r} is ambiguous in reverse mentoring, where the junior mentors the senior; "
                "say junior or senior (or other)"
            )
        if key not in synonyms:
            raise ValueError(
                f"unknown role {value!r}; valid roles: junior, senior, other "
                "(also младший, старший, observer, coordinator)"
            )
        return synonyms[key]


@dataclass(frozen=True, slots=True)
class Word:
    """One recognised word with its timing and confidence, when known."""

    text: str
    start: Optional[float] = None
    end: Optional[float] = None
    confidence: Optional[float] = None


@dataclass(frozen=True, slots=True)
class Participant:
    """A person taking part in a session.

    ``id`` is stable across a pair's sessions (a slug of the name unless the manifest
    gives one); ``name`` is what humans read; ``role`` is junior / senior / other.
    """

    id: str
    name: str
    role: Role = Role.OTHER


@dataclass(frozen=True, slots=True)
class Utterance:
    """A stretch of speech by one participant.

    ``speaker`` is a participant id. ``flags`` marks data-quality findings
    (e.g. ``"hallucination"``, ``"repetition"``, ``"overlap"``) without removing text.
    """

    id: str
    speaker: str
    text: str
    start: Optional[float] = None
    end: Optional[float] = None
    words: tuple[Word, ...] = ()
    confidence: Optional[float] = None
    flags: tuple[str, ...] = ()

    @property
    def duration(self) -> Optional[float]:
        """Length in seconds, or ``None`` without timestamps."""
        if self.start is None or self.end is None:
            return None
        return max(0.0, self.end - self.start)

    @property
    def timed(self) -> bool:
        """Whether both start and end are known."""
        return self.start is not None and self.end is not None


@dataclass(frozen=True, slots=True)
class Session:
    """One mentoring session: metadata, participants, utterances and analysis results.

    The analysis fields (``metrics``, ``topics``, ``recommendations``…) start empty and
    are filled by pipeline stages; ``provenance.stage_runs`` records which stages ran,
    were skipped or failed, so an empty field is never mistaken for "none found".
    """

    id: str
    participants: tuple[Participant, ...] = ()
    utterances: tuple[Utterance, ...] = ()
    pair_id: Optional[str] = None
    date: Optional[_dt.date] = None
    language: Optional[str] = None
    duration_s: Optional[float] = None
    source: Optional[str] = None
    metrics: Optional[Metrics] = None
    topics: Optional[Topics] = None
    recommendations: tuple[Recommendation, ...] = ()
    action_items: tuple[ActionItem, ...] = ()
    questions: tuple[Question, ...] = ()
    problems: tuple[Problem, ...] = ()
    knowledge_flow: Optional[KnowledgeFlow] = None
    summary: tuple[KeyPoint, ...] = ()
    flags: tuple[Flag, ...] = ()
    quality: Optional[DataQuality] = None
    extra: dict[str, Any] = field(default_factory=dict)
    provenance: Provenance = field(default_factory=Provenance)

    # -- convenience -------------------------------------------------------------------
    @property
    def timed(self) -> bool:
        """True when every utterance has start and end times."""
        return bool(self.utterances) and all(u.timed for u in self.utterances)

    @property
    def advice(self) -> tuple[Recommendation, ...]:
        """The recommendations that are advice: all but suggestions about running the meeting (``procedure``) and
        requests for the speaker's own learning or help (``request``: "show me how you set it up").

        Mutuality, knowledge flow, flags and the per-person counts use these; the full list stays in
        ``recommendations`` (the corpora tag "Next slide, please." and "show me" as suggestions; the programme guide
        does not count them as the speaker's advice).
        """
        return tuple(r for r in self.recommendations if not (r.procedure or r.request))

    @property
    def help_requests(self) -> tuple[Recommendation, ...]:
        """The recommendations that are requests for the speaker's own learning or help ("show me how you set it
        up"), listed apart from advice; one about running the meeting counts as ``procedure`` only."""
        return tuple(r for r in self.recommendations if r.request and not r.procedure)

    @property
    def tasks(self) -> tuple[ActionItem, ...]:
        """The action items that are tasks: all but moves made within the meeting itself (``in_meeting``).

        Follow-up lists, counts and flags about commitments should use these; the full list stays in
        ``action_items`` (the corpora count "I'll draw it on the whiteboard" as an offer; an evaluator does not).
        """
        return tuple(a for a in self.action_items if not a.in_meeting)

    @property
    def has_words(self) -> bool:
        """True when some utterance has text (an RTTM of speaker turns has none: nothing for the text stages)."""
        return any(u.text.strip() for u in self.utterances)

    @property
    def span_s(self) -> Optional[float]:
        """Recording length: ``duration_s`` if known, else the last utterance end."""
        if self.duration_s is not None:
            return self.duration_s
        ends = [u.end for u in self.utterances if u.end is not None]
        return max(ends) if ends else None

    def participant(self, participant_id: str) -> Participant:
        """The participant with this id (``KeyError`` if absent)."""
        for p in self.participants:
            if p.id == participant_id:
                return p
        raise KeyError(participant_id)

    def utterance(self, utterance_id: str) -> Utterance:
        """The utterance with this id (``KeyError`` if absent)."""
        for u in self.utterances:
            if u.id == utterance_id:
                return u
        raise KeyError(utterance_id)

    def by_role(self, role: Role) -> tuple[Participant, ...]:
        """Participants with the given role."""
        return tuple(p for p in self.participants if p.role == role)

    def evolve(self, **changes: Any) -> Session:
        """A copy with some fields replaced (``dataclasses.replace``)."""
        return replace(self, **changes)

"""Frozen result types that analysis stages attach to a :class:`~sessionscope.model.Session`.

Annotations point into the transcript by utterance id (and character offsets where a
span is meaningful), like spaCy's ``Span``. Every extracted item carries a confidence in
[0, 1] so that users can filter and researchers can study the trade-off.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Optional, Union

Number = Union[int, float, None]


# -- dynamics ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DominanceWindow:
    """One sliding window of the windowed-dominance measure."""

    start: float
    end: float
    shares: dict[str, float]
    dominant: Optional[str] = None


@dataclass(frozen=True, slots=True)
class InterruptionEvent:
    """One interruption the dynamics counted (docs/metrics.md, *Interruptions*): ``interrupter``'s utterance
    ``utterance_id``, starting at ``start``, cut off ``interrupted``'s utterance ``interrupted_utterance_id``.

    ``successful``: the interrupted speaker stopped before the interrupter did. ``probability``: the cut-off model's
    (round 51: docs/metrics.md gives the share of right ones by band, measured on MRDA and AMI), ``None`` where the
    overlap rule decided (``dynamics.interruptions: overlap``, or a pair without words)."""

    interrupter: str
    interrupted: str
    utterance_id: str
    interrupted_utterance_id: str
    start: Optional[float]
    successful: bool
    probability: Optional[float] = None


@dataclass(frozen=True, slots=True)
class Turn:
    """Consecutive utterances of one speaker merged across short gaps."""

    index: int
    speaker: str
    utterance_ids: tuple[str, ...]
    start: Optional[float]
    end: Optional[float]
    words: int


@dataclass(frozen=True, slots=True)
class Metrics:
    """Conversation measures, flat name → value maps (definitions in ``docs/metrics.md``).

    ``participants`` maps participant id → measure → value; ``session`` maps measure →
    value. A value of ``None`` means the measure is unavailable for this input (e.g.
    time-based measures on an untimed transcript).
    """

    participants: dict[str, dict[str, Number]] = field(default_factory=dict)
    session: dict[str, Number] = field(default_factory=dict)
    turns: tuple[Turn, ...] = ()
    dominance_windows: tuple[DominanceWindow, ...] = ()
    interruption_matrix: dict[str, dict[str, int]] = field(default_factory=dict)
    unavailable: tuple[str, ...] = ()
    #: each counted interruption, in time order (round 51; empty where the counts are unavailable, and in a
    #: session.json written before: the counts and the matrix were all it held)
    interruption_events: tuple[InterruptionEvent, ...] = ()


# -- topics ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ModeSpan:
    """A stretch inside a topic segment held in one discussion mode (consecutive utterances)."""

    mode: str
    start: Optional[float]
    end: Optional[float]
    utterance_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TopicSegment:
    """A stretch of the session about one topic area; ``mode`` is its leading discussion mode.

    ``mode_spans`` cover the segment's utterances in order and say where the mode changes
    inside it (empty in sessions written before they existed).
    """

    area: str
    mode: str
    start: Optional[float]
    end: Optional[float]
    utterance_ids: tuple[str, ...]
    initiator: Optional[str]
    confidence: float  # the area's mean probability over the segment: a score, not calibrated (docs/topics.md)
    area_scores: dict[str, float] = field(default_factory=dict)
    mode_spans: tuple[ModeSpan, ...] = ()


@dataclass(frozen=True, slots=True)
class TopicShift:
    """Where the talk moves to a new subject (round 56; not the same as an area change: two subjects of one area are
    two shifts): the subject's first utterance, who opened it (the speaker of its first utterance of 4+ words), the
    area holding most of its words, and the shift head's score there (a class-balanced logistic model's output: it
    ranks turns, it is not a calibrated probability; ``None`` for the session's opening, which is no decision)."""

    utterance_id: str
    start: Optional[float]
    initiator: Optional[str]
    area: Optional[str] = None
    score: Optional[float] = None


@dataclass(frozen=True, slots=True)
class Topics:
    """Topic segmentation of a session and per-area shares; ``initiation_share`` is each participant's share of the
    subject shifts (:attr:`shifts`) that they opened."""

    segments: tuple[TopicSegment, ...] = ()
    area_time_share: dict[str, float] = field(default_factory=dict)
    area_word_share: dict[str, float] = field(default_factory=dict)
    participant_area_share: dict[str, dict[str, float]] = field(default_factory=dict)
    initiation_share: dict[str, float] = field(default_factory=dict)
    backend: Optional[str] = None
    shifts: tuple[TopicShift, ...] = ()


# -- extraction ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Recommendation:
    """A piece of advice one participant gave another (``receiver`` None: the whole group, in sessions of three or more)."""

    id: str
    utterance_id: str
    start: Optional[float]
    giver: str
    receiver: Optional[str]
    text: str
    area: Optional[str] = None
    confidence: Optional[float] = None  # calibrated probability; None = not measured (see method)
    char_start: Optional[int] = None
    char_end: Optional[int] = None
    method: str = "rule"
    to_check: bool = False  # confidence below extraction.check_below
    # about running the meeting (agenda, slides, the floor, files: "Next slide, please."): listed, but not
    # counted as advice in mutuality, knowledge flow, flags or the per-person counts (Session.advice)
    procedure: bool = False
    # a request for the speaker's own learning or help ("show me how you set it up", «покажите, как это настроить»,
    # "can you send me the link?"; round 22): the one asking is taught, not teaching; listed, but not counted as
    # the speaker's advice (Session.advice), like ``procedure``
    request: bool = False


@dataclass(frozen=True, slots=True)
class ActionItem:
    """A commitment or assigned task, with its owner and due date when stated."""

    id: str
    utterance_id: str
    start: Optional[float]
    owner: Optional[str]
    task: str
    due_text: Optional[str] = None
    due_date: Optional[_dt.date] = None
    confidence: Optional[float] = None  # calibrated probability; None = not measured (see method)
    area: Optional[str] = None
    char_start: Optional[int] = None
    char_end: Optional[int] = None
    method: str = "rule"
    owners: tuple[str, ...] = ()
    to_check: bool = False  # confidence below extraction.check_below
    # a move made within the meeting itself ("I'll draw it on the whiteboard", "let me share my screen", "I'll go
    # next") or a phrase with no task of its own ("I'll just fill it in", round 14; what someone will be given: "you'll
    # get instructions in your email", round 16): listed, but no task to follow up (Session.tasks)
    in_meeting: bool = False


@dataclass(frozen=True, slots=True)
class Question:
    """A question, who asked it, whom it was addressed to, and whether it was answered."""

    id: str
    utterance_id: str
    start: Optional[float]
    asker: str
    addressee: Optional[str]
    text: str
    answered: bool
    answer_utterance_id: Optional[str] = None
    confidence: Optional[float] = None  # calibrated probability of the question head; None = lexical rule (method)
    area: Optional[str] = None
    method: str = "head"
    to_check: bool = False  # confidence below extraction.check_below
    confirmation_tag: bool = False  # a check ("…, right?", "You know?"), not an open question; still counted


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem raised, and whether a recommendation or solution followed."""

    id: str
    utterance_id: str
    start: Optional[float]
    raiser: str
    text: str
    solved: bool
    solution_ids: tuple[str, ...] = ()
    area: Optional[str] = None
    confidence: Optional[float] = None  # None: found by a rule, no measured probability


@dataclass(frozen=True, slots=True)
class KnowledgeFlow:
    """Who gives recommendations and explanations to whom, per topic area."""

    matrix: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    mutuality_index: Optional[float] = None
    per_area_mutuality: dict[str, Optional[float]] = field(default_factory=dict)
    definition: str = ""
    recommendation_matrix: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    explanation_matrix: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)

    @property
    def n_flows(self) -> int:
        """The exchanges the mutuality index rests on: every count of :attr:`matrix` (recommendations plus
        explanations), which the session report and the programme both compare with ``report.mutual_few_flows``."""
        return sum(n for rows in self.matrix.values() for row in rows.values() for n in row.values())


@dataclass(frozen=True, slots=True)
class KeyPoint:
    """One sentence of the extractive summary."""

    area: str
    utterance_id: str
    speaker: str
    text: str
    score: float


@dataclass(frozen=True, slots=True)
class Flag:
    """A programme-level warning about a session (thresholds from the config)."""

    code: str
    message: str
    severity: str = "warning"
    value: Optional[float] = None
    threshold: Optional[float] = None


# -- data quality ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DataQuality:
    """What users should know about how far to trust this session's data."""

    timing_available: bool = True
    asr_model: Optional[str] = None
    mean_word_confidence: Optional[float] = None
    low_confidence_word_share: Optional[float] = None
    hallucinations_dropped: int = 0
    repetitions_dropped: int = 0
    dropped_texts: tuple[str, ...] = ()
    speaker_mapping_method: Optional[str] = None
    speaker_mapping_confidence: Optional[float] = None  # share of such voiceprint mappings right (measured, round 23)
    unmapped_speaker_labels: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    speaker_mapping_margin: Optional[float] = None  # the voiceprint mapping's smallest cosine margin (round 23)

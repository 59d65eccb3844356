"""The frozen data model: sessions, participants, utterances and their annotations."""

from sessionscope.model.annotations import (
    ActionItem,
    DataQuality,
    DominanceWindow,
    Flag,
    InterruptionEvent,
    KeyPoint,
    KnowledgeFlow,
    Metrics,
    ModeSpan,
    Problem,
    Question,
    Recommendation,
    Topics,
    TopicSegment,
    TopicShift,
    Turn,
)
from sessionscope.model.provenance import STAGE_STATUSES, Provenance, StageRun, StageStatus, record_stage_run
from sessionscope.model.serialize import (
    SCHEMA_VERSION,
    json_schema,
    read_session_json,
    session_from_dict,
    session_to_dict,
    write_session_json,
)
from sessionscope.model.types import Participant, Role, Session, Utterance, Word

__all__ = [
    "ActionItem", "DataQuality", "DominanceWindow", "Flag", "InterruptionEvent", "KeyPoint", "KnowledgeFlow",
    "Metrics", "ModeSpan", "Participant", "Problem", "Provenance", "STAGE_STATUSES", "StageRun", "StageStatus", "record_stage_run", "Question", "Recommendation", "Role", "Session",
    "TopicSegment", "TopicShift", "Topics", "Turn", "Utterance", "Word", "SCHEMA_VERSION", "json_schema",
    "read_session_json", "session_from_dict", "session_to_dict", "write_session_json",
]

"""The typed manifest entry: one session's id, pair, date, files, language, people and plans.

:class:`ManifestEntry` is the single typed path from a manifest (YAML or CSV), from
``-p NAME=ROLE`` options, or from the Python API to a session: ``run`` and ``analyze``
both apply it with :func:`sessionscope.io.manifest.apply_manifest`, and the audio
pipeline reads its participants and voice samples. Frozen and validated (unknown keys
are errors); session and participant ids must be safe slugs because they name output
folders and files.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sessionscope.model.safe_id import _SAFE_ID, check_safe_id  # noqa: F401 - both kept importable from here
from sessionscope.model.types import Role
from sessionscope.text import normalize_name, slugify


def _str_or_none(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    return value


class ManifestParticipant(BaseModel):
    """One person in a session: display name, role, optional stable id, aliases and voice sample."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="Real name, as reports should show it.")
    role: Role = Field(Role.OTHER, description="junior, senior or other (\"mentor\"/\"mentee\" are refused: ambiguous in reverse mentoring).")
    id: Optional[str] = Field(None, description="Stable participant id across sessions (default: slug of the name).")
    aliases: tuple[str, ...] = Field((), description="Other labels the transcript may use (Zoom display names…).")
    voice_sample: Optional[str] = Field(None, description="Short recording of this person's voice (speaker enrollment).")

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, v: Any) -> Any:
        return " ".join(str(v).split()) if v is not None else v

    @field_validator("id", "voice_sample", mode="before")
    @classmethod
    def _opt_str(cls, v: Any) -> Any:
        return _str_or_none(v)

    @field_validator("id")
    @classmethod
    def _safe_id(cls, v: Optional[str]) -> Optional[str]:
        return None if v is None else check_safe_id(v, what="participant id")

    @field_validator("role", mode="before")
    @classmethod
    def _role(cls, v: Any) -> Role:
        if isinstance(v, Role):
            return v
        return Role.parse(None if v is None else str(v))

    @field_validator("aliases", mode="before")
    @classmethod
    def _aliases(cls, v: Any) -> Any:
        if v is None:
            return ()
        if isinstance(v, str):
            v = v.split("|")
        if isinstance(v, (list, tuple)):
            return tuple(" ".join(str(a).split()) for a in v if str(a).strip())
        return v

    @property
    def participant_id(self) -> str:
        """The id the participant gets in sessions."""
        return self.id or slugify(self.name)

    def keys(self) -> set[str]:
        """Normalised names this participant answers to (name, aliases, id)."""
        keys = {normalize_name(self.name), *(normalize_name(a) for a in self.aliases)}
        if self.id:
            keys.add(normalize_name(self.id))
        return keys


class ManifestEntry(BaseModel):
    """One session of the manifest."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: Optional[str] = Field(None, description="Session id (default: from the file name).")
    pair_id: Optional[str] = Field(None, alias="pair", description="Mentoring pair id; sessions of a pair are compared over time.")
    date: Optional[_dt.date] = Field(None, description="Session date, YYYY-MM-DD.")
    file: Optional[str] = Field(None, description="Recording or transcript, relative to the manifest's folder.")
    transcript: Optional[str] = Field(None, description="Transcript of the recording, if analysed from text.")
    language: Optional[str] = Field(None, description="Language code (en, ru); default: detected.")
    participants: tuple[ManifestParticipant, ...] = ()
    topics_planned: tuple[str, ...] = Field((), description="Topic areas the pair planned to discuss.")
    notes: Optional[str] = Field(None, description="Free text for the evaluator.")

    @field_validator("id", "pair_id", "file", "transcript", "notes", mode="before")
    @classmethod
    def _opt_str(cls, v: Any) -> Any:
        return _str_or_none(v)

    @field_validator("id")
    @classmethod
    def _safe_id(cls, v: Optional[str]) -> Optional[str]:
        return None if v is None else check_safe_id(v)

    @field_validator("language", mode="before")
    @classmethod
    def _lang(cls, v: Any) -> Any:
        v = _str_or_none(v)
        return v.lower() if isinstance(v, str) else v

    @field_validator("topics_planned", mode="before")
    @classmethod
    def _topics(cls, v: Any) -> Any:
        if v is None:
            return ()
        if isinstance(v, str):
            v = v.replace(",", ";").split(";")
        if isinstance(v, (list, tuple)):
            return tuple(str(t).strip() for t in v if str(t).strip())
        return v

    @model_validator(mode="after")
    def _unique_people(self) -> ManifestEntry:
        ids: dict[str, str] = {}
        keys: dict[str, str] = {}
        for p in self.participants:
            if p.participant_id in ids:
                raise ValueError(f"participants {ids[p.participant_id]!r} and {p.name!r} have the same id "
                                 f"{p.participant_id!r}; give one an explicit 'id'")
            ids[p.participant_id] = p.name
            for k in p.keys():
                if k in keys and keys[k] != p.name:
                    raise ValueError(f"{k!r} names both {keys[k]!r} and {p.name!r} (names and aliases must be unique)")
                keys[k] = p.name
        return self

    def participant_for(self, label: str, *, partial: bool = False) -> Optional[ManifestParticipant]:
        """The participant a speaker label (or participant id) refers to, if any.

        With ``partial``, a label whose words are part of exactly one participant's
        name (``"maya"`` for ``Maya Chen``) also matches; an ambiguous one does not. Number words of
        the label do not count: corpora number their speakers (SBCSAE's ``0025_KATHY`` is ``Kathy``).
        """
        key = normalize_name(label)
        for p in self.participants:
            if key in p.keys():
                return p
        if partial and key:
            words = {w for w in key.replace("-", " ").replace("_", " ").split() if not w.isdigit()}
            found = [p for p in self.participants
                     if words and words <= set(normalize_name(p.name).replace("-", " ").split())]
            if len(found) == 1:
                return found[0]
        return None

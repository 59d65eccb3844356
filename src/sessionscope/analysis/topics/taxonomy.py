"""The topic taxonomy as data: areas and discussion modes with descriptive prototypes.

The bundled default (``resources/taxonomy.yaml``, mirrored at ``configs/taxonomy.yaml``)
holds the six areas of the programme guide plus ``other`` and the four discussion modes.
A programme edits a copy and points ``topics.taxonomy`` at it; nothing in the code
names an area. Loading validates the file and raises :class:`ConfigError` naming the
file and the bad key.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from sessionscope.errors import ConfigError

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


@dataclass(frozen=True, slots=True)
class Label:
    """One area or mode: its id, names per language and prototypes (all languages)."""

    id: str
    names: dict[str, str]
    description: str
    prototypes: tuple[str, ...]
    subject: tuple[tuple[str, re.Pattern[str]], ...] = ()

    def name(self, lang: Optional[str] = None) -> str:
        """The display name in ``lang`` (falling back to English, then the id)."""
        return self.names.get(lang or "en") or self.names.get("en") or self.id

    def about(self, text: str, lang: Optional[str] = None, *, per_words: Optional[int] = None) -> bool:
        """Whether ``text`` names this area's subject: True for an area without ``subject`` patterns; else whether the
        pattern of ``lang`` (every language's, when ``lang`` has none) finds a word of it — at least once per
        ``per_words`` words of the text when that is given (a long stretch of meeting talk names a team somewhere)
        (round 58: meeting talk that names no team, colleague, conflict or feedback is not "teamwork and
        communication")."""
        if not self.subject:
            return True
        patterns = [p for lg, p in self.subject if lg == lang] or [p for _, p in self.subject]
        if not per_words:
            return any(p.search(text) for p in patterns)
        found = sum(len(p.findall(text)) for p in patterns)
        return found >= max(1.0, len(text.split()) / per_words)


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """Areas and modes with their prototypes; ``source`` is the file it came from."""

    areas: tuple[Label, ...]
    modes: tuple[Label, ...]
    other_area: str
    default_mode: str
    source: str

    @property
    def area_ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.areas)

    @property
    def mode_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.modes)

    def area(self, area_id: str) -> Label:
        """The area with this id (``KeyError`` if absent)."""
        for a in self.areas:
            if a.id == area_id:
                return a
        raise KeyError(area_id)


# -- file schema (pydantic: unknown keys rejected, messages name the key) ------------------
class _LabelSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: dict[str, str] = Field(default_factory=dict)
    description: str = ""
    prototypes: dict[str, list[str]]
    subject: dict[str, str] = Field(default_factory=dict)

    @field_validator("subject")
    @classmethod
    def _check_subject(cls, v: dict[str, str]) -> dict[str, str]:
        for lang, pattern in v.items():
            try:
                re.compile(pattern)
            except re.error as e:
                raise ValueError(f"subject pattern for {lang!r} is not a valid regular expression: {e}") from e
        return v

    @field_validator("id")
    @classmethod
    def _check_id(cls, v: str) -> str:
        if not _ID.match(v):
            raise ValueError(f"id {v!r} must be letters, digits, '_' or '-' (e.g. 'tools')")
        return v

    @field_validator("prototypes")
    @classmethod
    def _check_prototypes(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        texts = [t for lst in v.values() for t in lst]
        if not texts or any(not isinstance(t, str) or not t.strip() for t in texts):
            raise ValueError("needs at least one non-empty prototype sentence (prototypes: {en: [...], ru: [...]})")
        return v


class _TaxonomySpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = 1
    other_area: str = "other"
    default_mode: str = "general"
    areas: list[_LabelSpec]
    modes: list[_LabelSpec]


def _to_label(spec: _LabelSpec) -> Label:
    protos = tuple(dict.fromkeys(t.strip() for lst in spec.prototypes.values() for t in lst))
    subject = tuple((lang, re.compile(pattern, re.IGNORECASE)) for lang, pattern in spec.subject.items())
    return Label(id=spec.id, names=dict(spec.name), description=spec.description, prototypes=protos, subject=subject)


def _explain(e: ValidationError, data: dict, source: str) -> ConfigError:
    lines = []
    for err in e.errors():
        loc = list(err["loc"])
        where: list[str] = []
        for i, part in enumerate(loc):  # "areas[2] (id 'time').prototypes" reads better than "areas.2.prototypes"
            if isinstance(part, int):
                parent = data.get(loc[i - 1]) if i and isinstance(data, dict) else None
                item = parent[part] if isinstance(parent, list) and part < len(parent) else None
                label = f" (id {item.get('id')!r})" if isinstance(item, dict) and item.get("id") else ""
                where[-1] = f"{where[-1]}[{part}]{label}"
            else:
                where.append(str(part))
        dotted = ".".join(where) or "<top>"
        if err["type"] == "extra_forbidden":
            valid = _TaxonomySpec.model_fields if len(where) == 1 else _LabelSpec.model_fields
            close = difflib.get_close_matches(str(loc[-1]), list(valid), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            lines.append(f"unknown key: {dotted}{hint}")
        elif err["type"] == "missing":
            lines.append(f"missing key: {dotted}")
        else:
            lines.append(f"{dotted}: {err['msg']}")
    valid_keys = "valid top-level keys: version, other_area, default_mode, areas, modes; " \
                 "each area/mode: id, name, description, prototypes, subject"
    return ConfigError("invalid taxonomy:\n  " + "\n  ".join(lines) + f"\n  ({valid_keys})", path=source)


def taxonomy_from_dict(data: object, *, source: str = "<taxonomy>") -> Taxonomy:
    """Validate a parsed taxonomy mapping (see ``resources/taxonomy.yaml`` for the format)."""
    if not isinstance(data, dict):
        raise ConfigError(f"a taxonomy must be a mapping with 'areas' and 'modes', got {type(data).__name__}", path=source)
    try:
        spec = _TaxonomySpec.model_validate(data)
    except ValidationError as e:
        raise _explain(e, data, source) from e
    for kind, items in (("area", spec.areas), ("mode", spec.modes)):
        ids = [s.id for s in items]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ConfigError(f"duplicate {kind} id(s): {', '.join(dup)}", path=source)
    areas = tuple(_to_label(s) for s in spec.areas)
    modes = tuple(_to_label(s) for s in spec.modes)
    area_ids = [a.id for a in areas]
    if spec.other_area not in area_ids:
        raise ConfigError(f"other_area {spec.other_area!r} is not one of the areas ({', '.join(area_ids)}); "
                          "add an area with that id and prototypes for small talk and logistics", path=source)
    if len([a for a in areas if a.id != spec.other_area]) < 1:
        raise ConfigError("a taxonomy needs at least one area besides the other_area", path=source)
    if spec.default_mode not in [m.id for m in modes]:
        raise ConfigError(f"default_mode {spec.default_mode!r} is not one of the modes "
                          f"({', '.join(m.id for m in modes)})", path=source)
    return Taxonomy(areas=areas, modes=modes, other_area=spec.other_area, default_mode=spec.default_mode, source=source)


def bundled_taxonomy_path() -> Path:
    """Path of the bundled default taxonomy (the programme guide's areas)."""
    from sessionscope.fileio import bundled_resource

    return bundled_resource("taxonomy.yaml")


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load and validate a taxonomy YAML (``None``: the bundled default).

    Parsed files are cached per process, keyed by path and modification time, so an
    edited file is re-read.

    Raises:
        ConfigError: unreadable file, invalid YAML, or an invalid taxonomy; the message
            names the file and the offending key.
    """
    p = Path(path).expanduser() if path is not None else bundled_taxonomy_path()
    try:
        mtime = p.stat().st_mtime_ns
    except OSError as e:
        raise ConfigError(f"cannot read taxonomy file: {e.strerror or e}", path=p) from e
    return _load(str(p), mtime)


@functools.lru_cache(maxsize=16)
def _load(path: str, mtime_ns: int) -> Taxonomy:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read taxonomy file: {e}", path=p) from e
    try:
        data = _safe_load(text)
    except yaml.YAMLError as e:
        raise ConfigError(f"taxonomy is not valid YAML: {e}", path=p) from e
    return taxonomy_from_dict(data, source=str(p))


def _safe_load(text: str) -> Any:
    """``yaml.safe_load(text)``, parsed by libyaml where PyYAML has it (the bundled taxonomy: ≈ 0.1–0.3 CPU s less).

    The same safe constructor builds the same objects from libyaml's events; a document libyaml
    rejects is read again by the Python parser, so errors (and anything only it accepts) are as before.
    """
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is not None:
        try:
            return yaml.load(text, Loader=loader)  # noqa: S506 - the safe loader, in C
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


__all__ = ["Label", "Taxonomy", "bundled_taxonomy_path", "load_taxonomy", "taxonomy_from_dict"]

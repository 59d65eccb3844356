"""JSON round-trip of :class:`Session` with a versioned schema.

The dataclasses are the single source of truth: pydantic's ``TypeAdapter`` derives
validation, serialisation and the published JSON Schema (``docs/session.schema.json``)
from them, so the three can never drift apart.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from sessionscope.errors import InputError
from sessionscope.fileio import atomic_write_text
from sessionscope.model.types import Session

SCHEMA_VERSION = "1.0"
SCHEMA_ID = "https://sessionscope.dev/schema/session-1.0.json"
_ENVELOPE_KEYS = ("schema_version",)
#: provenance keys that belong to the typed :class:`~sessionscope.model.Provenance`
_TYPED_PROVENANCE_KEYS = ("stage_runs",)


@lru_cache(maxsize=1)
def _adapter() -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(Session)


def session_to_dict(session: Session, *, provenance: dict[str, Any] | None = None) -> dict[str, Any]:
    """A JSON-ready dict: ``schema_version`` first, then the session's fields.

    ``provenance`` (run-level facts: versions, run specification, resume key) is merged
    into the ``provenance`` object; the session's own ``stage_runs`` always win over a
    stale copy in that dict.
    """
    body = _adapter().dump_python(session, mode="json")
    typed = body.pop("provenance", None) or {}
    out: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    out.update(body)
    out["provenance"] = {**{k: v for k, v in (provenance or {}).items() if k not in _TYPED_PROVENANCE_KEYS}, **typed}
    return out


def session_from_dict(data: dict[str, Any], *, path: str | Path | None = None) -> Session:
    """Validate a dict (as written by :func:`session_to_dict`) into a :class:`Session`."""
    from pydantic import ValidationError

    if not isinstance(data, dict):
        raise InputError("session JSON must be an object", path=path)
    version = str(data.get("schema_version", SCHEMA_VERSION))
    if version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        raise InputError(
            f"unsupported schema_version {version!r}; this sessionscope reads {SCHEMA_VERSION}",
            path=path,
        )
    body = {k: v for k, v in data.items() if k not in _ENVELOPE_KEYS}
    prov = body.get("provenance")
    body["provenance"] = {k: v for k, v in prov.items() if k in _TYPED_PROVENANCE_KEYS} if isinstance(prov, dict) else {}
    try:
        return _adapter().validate_python(body)
    except ValidationError as e:  # one line per error, no pydantic banner or URL (a batch prints it beside others)
        errors = e.errors(include_url=False)
        said = "; ".join(f"{'.'.join(str(x) for x in err['loc']) or 'session'}: {err['msg'].lower()}"
                         for err in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise InputError(f"invalid session JSON: {said}{more}", path=path) from e


def write_session_json(
    session: Session, path: str | Path, *, provenance: dict[str, Any] | None = None
) -> Path:
    """Write ``session.json`` atomically."""
    text = json.dumps(session_to_dict(session, provenance=provenance), ensure_ascii=False, indent=2)
    return atomic_write_text(path, text + "\n")


def read_session_json(path: str | Path) -> Session:
    """Read a ``session.json`` written by sessionscope."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(f"cannot read session JSON: {e}", path=path) from e
    return session_from_dict(data, path=path)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of ``session.json`` (envelope included)."""
    schema = _adapter().json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "sessionscope session"
    props = dict(schema.get("properties", {}))
    prov_ref = props.pop("provenance", None)
    props = {
        "schema_version": {"type": "string", "const": SCHEMA_VERSION},
        **props,
        "provenance": {
            **(prov_ref or {"type": "object"}),
            "description": "what ran (stage_runs) and, written by the batch runner, the resolved run "
                           "specification, library and model versions and the resume key",
        },
    }
    schema["properties"] = props
    defs = schema.get("$defs", {})
    if "Provenance" in defs:  # run-level keys sit beside stage_runs
        defs["Provenance"] = {**defs["Provenance"], "additionalProperties": True}
    return schema

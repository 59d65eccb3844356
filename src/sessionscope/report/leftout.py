"""What a programme report leaves out: inputs its batches could not analyse, and session files it could not read.

A programme report is built from the ``session.json`` files under its folders. An input that failed in
``sessionscope analyze`` or ``run`` wrote none, so without this module the report would show a pair that met four
times as a pair that met three times, and say nothing. Each batch writes ``OUT/batch.json`` (the status of every
input of its latest run, see :func:`sessionscope.batch.write_batch_report`); the report reads those files and lists,
in ``programme_left_out`` and in a note above its figures, every session that is not in them.

Kinds (the ``kind`` column):

- ``not_analysed``: the latest batch failed on this input (or an earlier batch into the same folder did, and nothing
  has written its session since: ``batch.json``'s ``earlier_failures``) and no output of it is in the report;
- ``earlier_output``: the latest batch failed on it, and the report counts an output an earlier run wrote;
- ``unfinished``: a batch stopped before all its inputs were done (the inputs not reached are not known by name);
- ``unreadable``: a ``session.json`` under the folders could not be read.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Optional

log = logging.getLogger(__name__)

#: the columns of ``programme_left_out``
LEFT_OUT_COLUMNS = ("kind", "session_id", "pair_id", "date", "source", "reason")

#: kinds of a known session in none of the report's figures (an ``unfinished`` batch's missing inputs are not known by
#: name: it is told apart)
NOT_COUNTED = ("not_analysed", "unreadable")


def _batch_files(paths: Iterable[Path]) -> list[Path]:
    """``batch.json`` files in the given folders (searched recursively, hidden folders skipped) or beside a given
    ``session.json`` file's session folder (OUT/<session>/session.json → OUT/batch.json)."""
    found: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found += [f for f in p.rglob("batch.json")
                      if not any(part.startswith(".") for part in f.relative_to(p).parts)]
        elif p.is_file() and (p.parent.parent / "batch.json").is_file():
            found.append(p.parent.parent / "batch.json")
    return sorted({f.resolve(): f for f in found}.values())


def _text(v: Any) -> Optional[str]:
    return v if isinstance(v, str) and v else None


def batch_left_out(paths: Iterable[Path], loaded_ids: Iterable[str]) -> list[dict[str, Any]]:
    """Rows of ``programme_left_out`` (:data:`LEFT_OUT_COLUMNS`) from the ``batch.json`` files under ``paths``.

    ``loaded_ids``: the ids of the sessions the report reads. An input is listed when its latest batch failed
    on it (``not_analysed``, or ``earlier_output`` when a session of that id is read anyway); a batch that did
    not finish is one ``unfinished`` row. A ``batch.json`` that cannot be read is logged and passed over: it
    holds no figure, only this account.
    """
    loaded = set(loaded_ids)
    rows: list[dict[str, Any]] = []
    for f in _batch_files(paths):
        try:
            body = json.loads(f.read_text(encoding="utf-8"))
            results = body.get("results") or []
        except (OSError, ValueError, AttributeError) as e:
            log.warning("cannot read %s (%s): the inputs it failed on are not listed", f, e)
            continue
        earlier = [{**r, "status": "failed"} for r in body.get("earlier_failures") or [] if isinstance(r, Mapping)]
        for r in [*results, *earlier]:
            if not isinstance(r, Mapping) or r.get("status") not in ("failed", "busy"):
                continue
            sid = _text(r.get("session_id"))
            # an earlier run's output is read when its session is loaded, or lies beside this batch.json (a redacted
            # export knows the loaded sessions by their hashed ids only)
            kept = sid is not None and (sid in loaded or (f.parent / sid / "session.json").is_file())
            if kept and r.get("status") == "busy":
                continue  # another batch held it then, and its session is here: nothing is missing
            kind = "earlier_output" if kept else "not_analysed"
            rows.append({"kind": kind, "session_id": sid, "pair_id": _text(r.get("pair")),
                         "date": _text(r.get("date")), "source": _text(r.get("input")),
                         "reason": _text(r.get("error")) or str(r.get("status"))})
        total, done = body.get("total"), body.get("done", len(results))
        if body.get("complete") is False and isinstance(total, int) and isinstance(done, int):
            rows.append({"kind": "unfinished", "session_id": None, "pair_id": None, "date": None,
                         "source": str(f), "reason": f"the batch stopped after {done} of {total} inputs"
                         + (" (interrupted)" if body.get("interrupted") else "")})
    return rows


def unreadable_rows(files: Sequence[Path], reasons: Mapping[Path, str] | None = None) -> list[dict[str, Any]]:
    """``unreadable`` rows for session files the report could not read."""
    return [{"kind": "unreadable", "session_id": None, "pair_id": None, "date": None, "source": str(f),
             "reason": (reasons or {}).get(f) or "the session file could not be read"} for f in files]


def redact_left_out(rows: Sequence[Mapping[str, Any]], pair_map: Mapping[str, str],
                    salt: Optional[bytes]) -> list[dict[str, Any]]:
    """The rows as a redacted report may show them: no file names or error texts (they often hold names), session
    ids hashed with the programme's salt, pair ids as the redacted sessions give them (else hashed)."""
    from sessionscope.report.redact import redacted_id

    out = []
    for r in rows:
        pair = r.get("pair_id")
        out.append({**r, "session_id": redacted_id("session", r["session_id"], salt) if r.get("session_id") else None,
                    "pair_id": (pair_map.get(pair) or redacted_id("pair", pair, salt)) if pair else None,
                    "source": None, "reason": {"unfinished": "the batch stopped before all its inputs were done",
                                               "unreadable": "the session file could not be read"}.get(
                                                   r["kind"], "the input could not be analysed")})
    return out


def left_out_frame(rows: Sequence[Mapping[str, Any]]) -> Any:
    """``programme_left_out`` as a pandas DataFrame (columns :data:`LEFT_OUT_COLUMNS`, even when empty)."""
    import pandas as pd

    return pd.DataFrame([{c: r.get(c) for c in LEFT_OUT_COLUMNS} for r in rows], columns=list(LEFT_OUT_COLUMNS))


def left_out_items(rows: Sequence[Mapping[str, Any]], kinds: Sequence[str] = NOT_COUNTED) -> list[str]:
    """"broken (chen-hale, 2026-12-03) — in/broken.vtt: line 3 …" for each row of ``kinds``."""
    items = []
    for r in rows:
        if r["kind"] not in kinds:
            continue
        where = ", ".join(str(x) for x in (r.get("pair_id"), r.get("date")) if x)
        head = (r.get("session_id") or "") + (f" ({where})" if where else "")
        reason = str(r.get("reason") or "")
        if len(reason) > 200:
            reason = reason[:199] + "…"
        tail = ": ".join(str(x) for x in (r.get("source"), reason) if x)
        items.append(" — ".join(x for x in (head.strip(), tail) if x))
    return items

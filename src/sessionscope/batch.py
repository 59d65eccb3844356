"""The batch runner shared by ``analyze`` (transcripts) and ``run`` (recordings).

Each input is processed in isolation: one broken file is reported with its path and
reason and every other input is still processed and written. Outputs of a session go to
``OUT/<session id>/``; ``session.json`` is written last and atomically, so it doubles as
the "done" marker: a rerun skips inputs whose ``session.json`` was made from the same
input content, config and stages (resume after a crash or kill), and redoes the rest.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import logging
import re
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Optional

from sessionscope import __version__
from sessionscope.config import Config
from sessionscope.errors import InputError, SessionscopeError
from sessionscope.fileio import atomic_write_text, sha256_file
from sessionscope.model import Session, write_session_json
from sessionscope.pipeline import Hook, run_stages

log = logging.getLogger(__name__)

Status = Literal["ok", "resumed", "failed"]


@dataclass(frozen=True)
class BatchItem:
    """One input of a batch, with its manifest entry when there is one."""

    path: Path
    session_id: str
    entry: Any = None  # sessionscope.io.manifest.ManifestEntry


@dataclass(frozen=True)
class ItemResult:
    """What happened to one input."""

    item: BatchItem
    status: Status
    out_dir: Optional[Path] = None
    error: Optional[str] = None
    session: Optional[Session] = None
    seconds: float = 0.0


@dataclass(frozen=True)
class BatchReport:
    """The outcome of a batch; ``ok`` is True only when every input succeeded."""

    results: tuple[ItemResult, ...] = ()
    out_dir: Optional[Path] = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(r.status != "failed" for r in self.results)

    @property
    def failed(self) -> tuple[ItemResult, ...]:
        return tuple(r for r in self.results if r.status == "failed")


def discover(paths: Iterable[str | Path], *, suffixes: Sequence[str]) -> list[Path]:
    """Expand files and folders into input files.

    Folders are searched recursively for the given suffixes (hidden files skipped);
    files named explicitly are always kept, whatever their suffix, so that a wrong file
    is reported rather than silently ignored. A missing path raises :class:`InputError`.
    """
    wanted = {s.lower() for s in suffixes}
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                f for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in wanted and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            if not found:
                log.warning("%s: no input files (%s) in this folder", p, ", ".join(sorted(wanted)))
            out.extend(found)
        elif p.exists():
            out.append(p)
        else:
            raise InputError("no such file or folder", path=p)
    seen: set[Path] = set()
    unique = []
    for f in out:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def safe_id(name: str) -> str:
    """A folder-safe session id from a file name (case kept, odd characters → '-')."""
    return re.sub(r"[^\w.-]+", "-", name, flags=re.UNICODE).strip("-.") or "session"


def make_items(files: Sequence[Path], *, manifest: Any = None) -> list[BatchItem]:
    """Pair each file with its manifest entry and a unique session id."""
    items: list[BatchItem] = []
    used: set[str] = set()
    for f in files:
        entry = manifest.entry_for(f) if manifest is not None else None
        sid = str(entry.id) if entry is not None and getattr(entry, "id", None) else safe_id(f.stem)
        base, n = sid, 2
        while sid in used:
            sid = f"{safe_id(f.parent.name)}-{base}" if n == 2 else f"{base}-{n}"
            n += 1
        used.add(sid)
        items.append(BatchItem(path=f, session_id=sid, entry=entry))
    return items


def config_digest(config: Config, stages: Sequence[str]) -> str:
    """A short hash of the resolved config and stage list (part of the resume key)."""
    blob = json.dumps({"config": config.model_dump(mode="json"), "stages": list(stages)}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _entry_digest(entry: Any) -> Optional[str]:
    if entry is None:
        return None
    dump = entry.model_dump(mode="json") if hasattr(entry, "model_dump") else repr(entry)
    return hashlib.sha256(json.dumps(dump, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _already_done(out: Path, key: dict[str, Any]) -> Optional[Session]:
    path = out / "session.json"
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if (data.get("provenance") or {}).get("resume_key") != key:
            return None
        from sessionscope.model import session_from_dict

        return session_from_dict(data, path=path)
    except (OSError, ValueError, SessionscopeError):
        return None


def run_batch(
    items: Sequence[BatchItem],
    *,
    load: Callable[[BatchItem], Session],
    stages: Sequence[Any],
    config: Config,
    out_dir: str | Path,
    write_extra: Optional[Callable[[Session, Path], None]] = None,
    resume: bool = True,
    hook: Optional[Hook] = None,
    kind: str = "analyze",
) -> BatchReport:
    """Load, analyse and write every item; never let one failure stop the others.

    Args:
        items: inputs with their session ids and manifest entries.
        load: turns an item into a :class:`Session` (transcript reader or audio pipeline).
        stages: instantiated text stages (models already loaded, once).
        config: the resolved configuration (written into the provenance).
        out_dir: output root; each session gets ``out_dir/<session id>/``.
        write_extra: writes additional per-session outputs (summary, exports) before
            ``session.json``.
        resume: skip inputs already processed with the same content, config and stages.
        hook: progress callback ``hook(step, completed=, total=, item=)``.
        kind: recorded in the provenance (``analyze`` or ``run``).
    """
    out_root = Path(out_dir)
    out_root.mkdir(parents=True, exist_ok=True)
    stage_names = [s.name for s in stages]
    cdigest = config_digest(config, stage_names)
    results: list[ItemResult] = []
    for n, item in enumerate(items):
        if hook:
            hook("session", completed=n, total=len(items), item=item)
        t0 = time.perf_counter()
        out = out_root / item.session_id
        try:
            key = {"input_sha256": sha256_file(item.path), "config": cdigest, "manifest": _entry_digest(item.entry),
                   "kind": kind, "version": __version__}
        except OSError as e:
            results.append(ItemResult(item, "failed", error=f"cannot read input: {e.strerror or e}"))
            log.error("%s: cannot read input: %s", item.path, e)
            continue
        if resume and (done := _already_done(out, key)) is not None:
            log.info("%s: already processed, skipping (use --force to redo)", item.path)
            results.append(ItemResult(item, "resumed", out_dir=out, session=done))
            continue
        try:
            session = load(item)
            session = run_stages(session, list(stages), hook=hook, continue_on_error=config.pipeline.continue_on_stage_error)
            if write_extra is not None:
                write_extra(session, out)
            provenance = {
                "tool": "sessionscope", "version": __version__, "kind": kind,
                "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                "input": str(item.path), "stages": stage_names, "resume_key": key,
                "config": config.model_dump(mode="json"),
            }
            write_session_json(session, out / "session.json", provenance=provenance)
            results.append(ItemResult(item, "ok", out_dir=out, session=session, seconds=time.perf_counter() - t0))
        except SessionscopeError as e:
            log.error("%s: %s", item.path, e.message)
            results.append(ItemResult(item, "failed", error=e.message, seconds=time.perf_counter() - t0))
        except Exception as e:  # noqa: BLE001 - isolate unexpected failures per input, keep the trace
            log.error("%s: internal error: %s\n%s", item.path, e, traceback.format_exc())
            results.append(ItemResult(item, "failed", error=f"internal error: {type(e).__name__}: {e}", seconds=time.perf_counter() - t0))
    if hook:
        hook("session", completed=len(items), total=len(items), item=None)
    report = BatchReport(results=tuple(results), out_dir=out_root)
    write_batch_report(report)
    return report


def write_batch_report(report: BatchReport) -> Path:
    """``OUT/batch.json``: per-input status and error, for evaluators and scripts."""
    assert report.out_dir is not None
    rows = [
        {
            "input": str(r.item.path), "session_id": r.item.session_id, "status": r.status,
            "error": r.error, "output": str(r.out_dir) if r.out_dir else None, "seconds": round(r.seconds, 3),
        }
        for r in report.results
    ]
    body = {"ok": report.ok, "total": len(rows), "failed": len(report.failed), "results": rows}
    return atomic_write_text(report.out_dir / "batch.json", json.dumps(body, ensure_ascii=False, indent=2) + "\n")

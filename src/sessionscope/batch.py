"""The batch runner shared by ``analyze`` (transcripts) and ``run`` (recordings).

Each input is processed in isolation by :func:`process_item`, a module-level function
of ``(item, spec, out_dir)`` that engines may run in worker processes or on a cluster:
one broken file is reported with its path and reason and every other input is still
processed and written. Outputs of a session go to ``OUT/<session id>/``;
``session.json`` is written last and atomically, so it doubles as the "done" marker: a
rerun skips inputs whose ``session.json`` was made from the same input content, run
specification (config, stages, participants, language, speaker count, versions) and
manifest entry, and redoes the rest. A lock file per session folder keeps two batches
writing into one ``--out`` from processing the same session twice. ``batch.json`` is
rewritten atomically after every input, so it is current even if the batch is killed; the temporary
files a killed batch leaves (``.batch.json.PID.XXXXXXXX.tmp``, a session's half-written outputs) are
removed by the next run.
"""

from __future__ import annotations

import datetime as _dt
import errno
import hashlib
import json
import logging
import re
import time
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Optional

from sessionscope._version import __version__, code_digest
from sessionscope.errors import InputError, SessionscopeError
from sessionscope.fileio import DirLock, LockHeld, atomic_write_text, remove_stale_temp_files, safe_output_path
from sessionscope.inputs import RemoteInput, entry_for_file, expand_url, input_sha256, is_url
from sessionscope.model import Session, record_stage_run, write_session_json
from sessionscope.model.safe_id import check_safe_id
from sessionscope.pipeline import Hook, run_stages
from sessionscope.runspec import RunSpec

if TYPE_CHECKING:
    from sessionscope.model.manifest import ManifestEntry  # pydantic models: only when a manifest is read

log = logging.getLogger(__name__)

#: ``extra`` of the log record of an input that failed (or is busy in another batch), with the reason its
#: :class:`ItemResult` carries: a caller that lists the results itself (the CLI's closing list) can hold these
#: records back instead of showing each reason twice
ITEM_FAILURE: dict[str, Any] = {"sessionscope_item_failure": True}

#: ok: every stage ran; partial: written, but a stage failed (see provenance.stage_runs);
#: resumed: already done by an earlier run; busy: another live batch holds this session;
#: failed: nothing written for this input.
Status = Literal["ok", "partial", "resumed", "busy", "failed"]


@dataclass(frozen=True)
class BatchItem:
    """One input of a batch, with its manifest entry when there is one."""

    path: Path
    session_id: str
    entry: Optional[ManifestEntry] = None


@dataclass(frozen=True)
class ItemResult:
    """What happened to one input."""

    item: BatchItem
    status: Status
    out_dir: Optional[Path] = None
    error: Optional[str] = None
    session: Optional[Session] = None
    seconds: float = 0.0
    #: why a session an earlier run had written was processed again (what changed: :func:`redo_reason`)
    redone: Optional[str] = None
    #: speaker names an earlier ``remap`` set by hand that the new processing did not give again, as ``remap``'s
    #: arguments (``SPEAKER_00=Ann Lee:junior``): :func:`hand_mapping`
    hand_mapping_lost: tuple[str, ...] = ()


@dataclass(frozen=True)
class BatchReport:
    """The outcome of a batch; ``ok`` is True only when every input succeeded."""

    results: tuple[ItemResult, ...] = ()
    out_dir: Optional[Path] = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Every input fully succeeded: none failed, and none is ``partial`` (written, but a stage failed)."""
        return all(r.status not in ("failed", "partial") for r in self.results)

    @property
    def partial(self) -> tuple[ItemResult, ...]:
        return tuple(r for r in self.results if r.status == "partial")

    @property
    def failed(self) -> tuple[ItemResult, ...]:
        return tuple(r for r in self.results if r.status == "failed")


#: files a folder of sessions holds besides its inputs (manifests, notes, our own outputs): never warned about
SIDE_FILE_SUFFIXES = (".yaml", ".yml", ".md", ".html", ".htm", ".log", ".lock", ".uem", ".parquet", ".xlsx", ".png",
                      ".jpg", ".jpeg", ".svg", ".gz", ".zip", ".sha256", ".npy", ".npz")


def _warn_unread(folder: Path, found: set[Path], wanted: set[str], known: set[str]) -> None:
    """Say which files of ``folder`` are left out because of their type (``notes.pdf``, ``call.amr``): a
    recording or transcript in a format this command does not read must not vanish without a word."""
    unread = sorted(f.relative_to(folder).as_posix() for f in folder.rglob("*")
                    if f.is_file() and f not in found and f.suffix.lower() not in known
                    and f.suffix.lower() not in SIDE_FILE_SUFFIXES
                    and not any(part.startswith(".") for part in f.relative_to(folder).parts))
    if unread:
        log.warning("%s: %d file(s) not read, of a type this command does not take (%s): %s%s", folder, len(unread),
                    ", ".join(sorted(wanted)), ", ".join(unread[:5]),
                    f" and {len(unread) - 5} more" if len(unread) > 5 else "")


def discover(paths: Iterable[str | Path | RemoteInput], *, suffixes: Sequence[str],
             known: Sequence[str] = ()) -> list[Path]:
    """Expand files and folders into input files.

    Folders are searched recursively for the given suffixes (hidden files skipped);
    files named explicitly are always kept, whatever their suffix, so that a wrong file
    is reported rather than silently ignored. A missing path is kept too, unlogged here: the batch reports it
    once, as a failed item ("cannot read input: No such file or directory"), and processes the rest. A ``scheme://`` URL
    is only listed here (fsspec), never read: the worker reads it where it is. Other files of a folder
    are named in a warning, except side files (manifests, notes, outputs: :data:`SIDE_FILE_SUFFIXES`)
    and ``known`` suffixes (the other command's inputs: transcripts beside recordings).
    """
    wanted = {s.lower() for s in suffixes}
    out: list[Path] = []
    for raw in paths:
        if isinstance(raw, RemoteInput) or is_url(raw):  # listed here, read by the worker (sessionscope.inputs)
            out.extend(expand_url(raw, wanted))  # type: ignore[arg-type]  # RemoteInput stands for a Path
            continue
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                f for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in wanted and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            if not found:
                log.warning("%s: no input files (%s) in this folder", p, ", ".join(sorted(wanted)))
            _warn_unread(p, set(found), wanted, wanted | {s.lower() for s in known})
            out.extend(found)
        else:
            out.append(p)  # a missing one fails as its item, logged there (not twice)
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


#: file endings made of two extensions, whose first part is no part of the session's name: Zoom's
#: ``GMT20240124-202901_Recording.transcript.vtt`` (and its captions ``….cc.vtt``) is the session
#: ``GMT20240124-202901_Recording``, as the manifest already matches it to ``GMT20240124-202901_Recording.m4a``
DOUBLE_SUFFIXES = (".transcript.vtt", ".cc.vtt")


def file_session_id(path: Path) -> str:
    """The session id a file gives when no manifest entry names one: its name without the extension, or without a
    known double extension (:data:`DOUBLE_SUFFIXES`), made folder-safe."""
    low = path.name.lower()
    for suffix in DOUBLE_SUFFIXES:
        if low.endswith(suffix) and len(path.name) > len(suffix):
            return safe_id(path.name[: -len(suffix)])
    return safe_id(path.stem)


def legacy_session_id(item: BatchItem) -> Optional[str]:
    """The id an older version gave ``item`` (the file name up to its last extension, "….transcript") when that
    differs from its id now; ``None`` otherwise or when a manifest entry names the id."""
    if item.entry is not None and item.entry.id:
        return None
    old = safe_id(item.path.stem)
    return old if old != item.session_id and item.session_id == file_session_id(item.path) else None


def make_items(files: Sequence[Path], *, manifest: Any = None) -> list[BatchItem]:
    """Pair each file with its manifest entry and a unique, folder-safe session id."""
    items: list[BatchItem] = []
    used: set[str] = set()
    for f in files:
        entry = entry_for_file(f, manifest) if manifest is not None else None
        sid = check_safe_id(entry.id) if entry is not None and entry.id else file_session_id(f)
        base, n = sid, 2
        while sid in used:
            sid = f"{safe_id(f.parent.name)}-{base}" if n == 2 else f"{base}-{n}"
            n += 1
        used.add(sid)
        items.append(BatchItem(path=f, session_id=sid, entry=entry))
    return items


def missing_manifest_files(manifest: Any, items: Sequence[BatchItem], *, suffixes: Sequence[str]) -> list[tuple[str, str]]:
    """The manifest's sessions that name an input of this command (``suffixes``: recordings for ``run``,
    transcripts for ``analyze``) that does not exist, and that no input of the batch matched: ``(session, path)``.

    Such a session is not analysed; it is not an error (a manifest may list a session not yet recorded), but it
    must not vanish without a word (a typo in ``file:``, a recording not copied): each one is logged here."""
    wanted = {s.lower() for s in suffixes}
    matched = {id(it.entry) for it in items if it.entry is not None}
    out: list[tuple[str, str]] = []
    for n, e in enumerate(manifest.entries if manifest is not None else ()):
        name = next((f for f in (e.transcript, e.file) if f and Path(f).suffix.lower() in wanted), None)
        if id(e) in matched or not name or is_url(name):
            continue
        path = Path(name) if Path(name).is_absolute() else Path(manifest.root) / name
        if not path.exists():
            sid = e.id or f"sessions[{n}]"
            log.warning("%s: session '%s' names %s, which does not exist%s: that session is not analysed",
                        manifest.path or "manifest", sid, name, "" if str(path) == name else f" ({path})")
            out.append((sid, str(path)))
    return out


def _entry_digest(entry: Optional[ManifestEntry]) -> Optional[str]:
    if entry is None:
        return None
    # not where the entry's files are written down: the input's content is a key of its own, and the same
    # recording named from another manifest folder (`file: a.wav` / `file: rec/a.wav`) is the same session
    dump = entry.model_dump(mode="json", exclude={"file", "transcript"})
    return hashlib.sha256(json.dumps(dump, sort_keys=True, default=str).encode()).hexdigest()[:16]


def resume_key(item: BatchItem, spec: RunSpec) -> dict[str, Any]:
    """What a finished ``session.json`` must have been made from to be reused: the same input, run spec,
    manifest entry, kind, version and package code (``code_digest``: a retrained head or a changed rule
    between releases makes a new session, while the transcription and diarization caches still hold).

    Raises:
        OSError: the input cannot be read.
    """
    return {"input_sha256": input_sha256(item.path), "spec": spec.digest(), "manifest": _entry_digest(item.entry),
            "kind": spec.kind, "version": __version__, "code": code_digest()}


def _already_done(out: Path, key: dict[str, Any]) -> Optional[Session]:
    path = out / "session.json"
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if (data.get("provenance") or {}).get("resume_key") != key:
            return None
        from sessionscope.model import session_from_dict

        done = session_from_dict(data, path=path)
        if done.provenance.failed:  # a stage failed last time (a crash, memory): a rerun retries it
            log.info("%s: a stage failed last time (%s); processing again", path,
                     ", ".join(r.name for r in done.provenance.failed))
            return None
        return done
    except (OSError, ValueError, SessionscopeError) as e:  # a half-written or outdated file: redo, and say so
        log.warning("%s: cannot resume from it, processing again: %s", path, getattr(e, "message", None) or e)
        return None


#: the parts of the resume key, as the note that says why a written session was processed again names them
_KEY_PARTS = {"input_sha256": "the input's content", "kind": "the command (run / analyze)",
              "spec": "the settings (config, stages, formats, participants, language, speaker count)",
              "manifest": "its manifest entry", "version": "the sessionscope version", "code": "sessionscope's code"}


def redo_reason(out: Path, key: dict[str, Any]) -> Optional[str]:
    """Why the ``session.json`` an earlier run wrote in ``out`` is not reused: what changed in its resume key
    ("the settings (…) changed"), or ``None`` when there is none to compare with. A rerun that redoes finished
    sessions must say why: an edited manifest entry, a config or an upgrade makes every one of them new."""
    path = out / "session.json"
    try:
        old = (json.loads(path.read_text(encoding="utf-8")).get("provenance") or {}).get("resume_key")
    except (OSError, ValueError, AttributeError):  # none, or unreadable (said by _already_done)
        return None
    if not isinstance(old, dict):
        return "it was written by a version that kept no resume key"
    changed = [label for k, label in _KEY_PARTS.items() if old.get(k) != key.get(k)]
    if "the sessionscope version" in changed and "sessionscope's code" in changed:
        changed.remove("sessionscope's code")
    if not changed:
        return None
    return (", ".join(changed[:-1]) + " and " if len(changed) > 1 else "") + changed[-1] + " changed"


def hand_mapping(out: Path) -> dict[str, str]:
    """The speaker names that ``sessionscope remap`` set by hand in ``out/session.json``: label → ``Name:role``
    (the labels whose ``extra.audio.speaker_mapping`` is ``manual``); empty when there are none or no file."""
    try:
        data = json.loads((out / "session.json").read_text(encoding="utf-8"))
        audio = (data.get("extra") or {}).get("audio") or {}
        how, smap = audio.get("speaker_mapping") or {}, audio.get("speaker_map") or {}
        people = {p["id"]: p for p in data.get("participants") or [] if isinstance(p, dict) and "id" in p}
        return {label: f"{people[smap[label]].get('name')}:{people[smap[label]].get('role')}"
                for label, method in how.items() if method == "manual" and smap.get(label) in people}
    except (OSError, ValueError, AttributeError, TypeError):
        return {}


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _carry_hand_mapping(session: Session, by_hand: dict[str, str], before: dict[str, Any], out: Path) -> Session:
    """A session processed again keeps the names a ``remap`` set by hand when its labels still name the same voices
    (:func:`~sessionscope.remapping.same_labels`: the same recording, each label's speech under the same label);
    otherwise it is left as processed, and :func:`lost_hand_mapping` says what to set again."""
    from sessionscope.errors import InputError
    from sessionscope.remapping import remap_session, same_labels

    if not same_labels(before, session, by_hand):
        return session
    try:
        remapped = remap_session(session, by_hand)
    except InputError as e:  # a name the new processing no longer knows: say it is lost, as before
        log.info("%s: the hand-set speaker names could not be carried over (%s)", out, e)
        return session
    log.info("%s: the speaker names set by hand with `sessionscope remap` were carried over (%s)", out,
             ", ".join(f"{k}={v}" for k, v in by_hand.items()))
    return remapped


def lost_hand_mapping(before: dict[str, str], session: Session) -> tuple[str, ...]:
    """Of the hand-set names ``before`` (:func:`hand_mapping`), those the reprocessed ``session`` does not give
    its labels again (a pair's voiceprints may give them back; an unpaired session's names are simply gone), as
    ``remap`` arguments ``LABEL=Name:role``."""
    audio = (session.extra or {}).get("audio") or {}
    smap = audio.get("speaker_map") or {}
    people = {p.id: p for p in session.participants}
    lost = []
    for label, was in before.items():
        p = people.get(smap.get(label, ""))
        if p is None or f"{p.name}:{p.role.value}" != was:
            lost.append(f"{label}={was}")
    return tuple(lost)


def _write_error(e: OSError) -> str:
    if e.errno == errno.ENOSPC:
        return f"cannot write outputs: no space left on device ({e.filename or 'output folder'})"
    return f"cannot write outputs: {e.strerror or e}" + (f" ({e.filename})" if e.filename else "")


def _write(session: Session, out: Path, spec: RunSpec, item: BatchItem, key: dict[str, Any]) -> Session:
    from sessionscope.outputs import write_outputs
    from sessionscope.report.i18n import with_text_language

    session = with_text_language(session)  # a transcript imported without a language: the one its report speaks
    skipped: list[tuple[str, str]] = []
    write_outputs(session, out, spec.formats, config=spec.config, skipped=skipped)
    for fmt, reason in skipped:
        session = record_stage_run(session, f"report.{fmt}", "skipped", reason)
    provenance = {
        "tool": "sessionscope", "version": __version__, "kind": spec.kind,
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "input": str(item.path), "stages": spec.stages().names, "resume_key": key,
        **spec.provenance(),
    }
    write_session_json(session, out / "session.json", provenance=provenance)
    return session


def with_speaker_count_source(session: Session, config: Any) -> Session:
    """A recording's session with ``extra["speaker_count"]``: ``"given"`` (participants, ``--speakers``, or one
    voice per channel) or ``"estimated"`` (the diarization chose it between ``min_speakers`` and ``max_speakers``),
    so that its report can say a count of unnamed speakers is an estimate. Transcripts are returned unchanged."""
    audio = (session.extra or {}).get("audio")
    if not isinstance(audio, dict) or audio.get("diarization") in (None, "off") or "speaker_count" in session.extra:
        return session
    diar = config.diarization
    given = (audio.get("diarization") == "channels" or diar.min_speakers == diar.max_speakers
             or (session.quality is not None and session.quality.speaker_mapping_method is not None))
    return session.evolve(extra={**session.extra, "speaker_count": "given" if given else "estimated"})


def process_item(item: BatchItem, spec: RunSpec, out_dir: str | Path, *, hook: Optional[Hook] = None) -> ItemResult:
    """Everything for one input: resume check, lock, load, stages, outputs, ``session.json`` last.

    Never raises for a bad input, a failing stage or a full disk: the returned
    :class:`ItemResult` says ``failed`` (nothing usable written), ``partial`` (written, a
    stage failed), ``busy`` (another live batch holds the session folder), ``resumed`` or
    ``ok``. Safe to run twice for the same item (all writes are atomic renames).
    """
    t0 = time.perf_counter()

    def failed(msg: str) -> ItemResult:
        log.error("%s: %s", item.path, msg, extra=ITEM_FAILURE)
        return ItemResult(item, "failed", error=msg, seconds=time.perf_counter() - t0)

    try:
        out = safe_output_path(out_dir, item.session_id)
    except InputError as e:
        return failed(e.message)
    try:
        key = resume_key(item, spec)
    except OSError as e:
        return failed(f"cannot read input: {e.strerror or e}")
    if spec.resume and (done := _already_done(out, key)) is not None:
        log.info("%s: already processed, skipping (use --force to redo)", item.path)
        return ItemResult(item, "resumed", out_dir=out, session=done)
    lock = DirLock(out)
    try:
        lock.acquire()
    except LockHeld as e:
        msg = f"being processed by another batch (process {e.pid} on {e.host}); rerun later to resume it"
        log.warning("%s: %s", item.path, msg, extra=ITEM_FAILURE)
        return ItemResult(item, "busy", out_dir=out, error=msg, seconds=time.perf_counter() - t0)
    except OSError as e:
        return failed(_write_error(e))
    try:
        remove_stale_temp_files(out, owned=True)  # a killed run's half-written outputs; the lock makes them ours
        if spec.resume and (done := _already_done(out, key)) is not None:  # finished while we waited
            return ItemResult(item, "resumed", out_dir=out, session=done)
        cfg = spec.config.pipeline
        from sessionscope.inputs import load_item

        redone = redo_reason(out, key) if spec.resume else None  # --force: asked for
        if redone:
            log.info("%s: processed again, although written before: %s", item.path, redone)
        by_hand = hand_mapping(out)  # a remap's names: the new processing maps the speakers afresh
        before = _read_json(out / "session.json") if by_hand else {}
        session = load_item(item, spec, hook)  # a recording comes with its speaker count's source (inputs.py)
        if by_hand:
            session = _carry_hand_mapping(session, by_hand, before, out)
        session = run_stages(session, spec.stages(), hook=hook, continue_on_error=cfg.continue_on_stage_error,
                             skip_unavailable=cfg.skip_unavailable)
        session = _write(session, out, spec, item, key)
        status: Status = "partial" if session.provenance.failed else "ok"
        error = "; ".join(f"stage {r.name} failed: {r.reason}" for r in session.provenance.failed) or None
        lost = lost_hand_mapping(by_hand, session) if by_hand else ()
        if lost:
            log.warning("%s: the speaker names set by hand with `sessionscope remap` (%s) were not carried over to "
                        "the new outputs; run the remap again", out, ", ".join(lost))
        return ItemResult(item, status, out_dir=out, session=session, error=error, seconds=time.perf_counter() - t0,
                          redone=redone, hand_mapping_lost=lost)
    except SessionscopeError as e:
        return failed(e.message)
    except OSError as e:
        return failed(_write_error(e))
    except Exception as e:  # noqa: BLE001 - isolate unexpected failures per input, keep the trace
        log.error("%s: internal error: %s\n%s", item.path, e, traceback.format_exc())
        return ItemResult(item, "failed", error=f"internal error: {type(e).__name__}: {e}",
                          seconds=time.perf_counter() - t0)
    finally:
        lock.release()
        try:
            out.rmdir()  # only when empty: a failed input leaves no folder behind
        except OSError:
            pass


def run_batch(
    items: Sequence[BatchItem],
    spec: RunSpec,
    out_dir: str | Path,
    *,
    hook: Optional[Hook] = None,
    engine: Any = None,
) -> BatchReport:
    """Process every item (in this process, or through ``engine``); never let one failure stop the others.

    Args:
        items: inputs with their session ids and manifest entries.
        spec: the resolved run specification (config, stages, formats, participants…).
        out_dir: output root; each session gets ``out_dir/<session id>/``.
        hook: progress callback ``hook(step, completed=, total=, item=)`` (in-process only).
        engine: an object with ``map(process_item, items, spec=, out_dir=)`` yielding
            ``(index, ItemResult)`` in completion order (worker processes, Ray); ``None``
            runs here, one item after another.

    ``batch.json`` is rewritten (atomically) after every input; a temporary ``batch.json`` left by a batch
    killed while writing it is removed first.
    """
    out_root = Path(out_dir)
    out_root.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(out_root, ("batch.json",))
    items = keep_earlier_folders(items, out_root)
    # what earlier batches into this folder failed on and nothing has written since: kept in batch.json, so that a
    # programme report over a folder filled one command at a time still lists them (round 40)
    carried = {"earlier_failures": earlier_failures(out_root, {item.session_id for item in items})}
    results: list[Optional[ItemResult]] = [None] * len(items)
    if engine is None:
        def _local() -> Iterable[tuple[int, ItemResult]]:
            for n, item in enumerate(items):
                if hook:
                    hook("session", completed=n, total=len(items), item=item)
                yield n, process_item(item, spec, out_root, hook=hook)
        stream: Iterable[tuple[int, ItemResult]] = _local()
    else:  # batch progress (done / failed / running, ETA) from the driver; see sessionscope.engines
        from sessionscope.engines import drive

        stream = drive(engine, process_item, items, spec=spec, out_dir=out_root, hook=hook, lost=lost_item,
                       release=release_dead_worker)
    try:
        for index, result in stream:
            results[index] = result
            _try_write_report(BatchReport(results=tuple(r for r in results if r is not None), out_dir=out_root,
                                          extra={"total": len(items), **carried}))
    except KeyboardInterrupt as e:  # Ctrl-C, or a stop signal the caller turned into one: record it, then stop
        stopped = BatchReport(results=tuple(r for r in results if r is not None), out_dir=out_root,
                              extra={"total": len(items), "interrupted": True, **carried})
        _try_write_report(stopped)
        raise BatchInterrupted(stopped) from e
    if hook:
        hook("session", completed=len(items), total=len(items), item=None)
    report = BatchReport(results=tuple(r for r in results if r is not None), out_dir=out_root, extra=dict(carried))
    _try_write_report(report)
    return report


def earlier_failures(out_root: Path, now: set[str]) -> list[dict[str, Any]]:
    """The failed rows of the ``batch.json`` already in ``out_root`` (its ``results`` and the ``earlier_failures`` it
    carried) whose session is not among this batch's inputs (``now``: session ids) and has no ``session.json`` there
    now. An unreadable ``batch.json`` gives none (it is rewritten anyway)."""
    try:
        body = json.loads((out_root / "batch.json").read_text(encoding="utf-8"))
        rows = [r for r in body.get("results") or [] if isinstance(r, dict) and r.get("status") == "failed"]
        rows += [r for r in body.get("earlier_failures") or [] if isinstance(r, dict)]
    except (OSError, ValueError, AttributeError):
        return []
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        sid = r.get("session_id")
        if not isinstance(sid, str) or sid in now or sid in out:
            continue
        try:
            if (safe_output_path(out_root, sid) / "session.json").is_file():
                continue  # written since (by a run into this folder with another batch): nothing is missing
        except (InputError, OSError):
            pass
        out[sid] = r
    return list(out.values())


class BatchInterrupted(KeyboardInterrupt):
    """A batch stopped by Ctrl-C (or a signal turned into one) before its last input; ``report`` holds the inputs
    finished until then (``batch.json`` says ``"interrupted": true``); a rerun resumes the rest."""

    def __init__(self, report: BatchReport) -> None:
        super().__init__("batch interrupted")
        self.report = report


def keep_earlier_folders(items: Sequence[BatchItem], out_root: Path) -> list[BatchItem]:
    """``items`` with the id an older version gave a session kept where its output is already in ``out_root``.

    Zoom's ``X.transcript.vtt`` was the session ``X.transcript`` before round 16 and is ``X`` now: a rerun into the
    same folder would write ``OUT/X`` beside ``OUT/X.transcript``, and a programme report over the folder would
    count the session twice. So an existing ``OUT/X.transcript/session.json`` (and no ``OUT/X``) keeps the old id,
    with a note saying how to move to the new one.
    """
    ids = {it.session_id for it in items}
    out: list[BatchItem] = []
    for it in items:
        old = legacy_session_id(it)
        if old is not None and old not in ids and (out_root / old / "session.json").is_file() \
                and not (out_root / it.session_id).exists():
            log.warning("%s: its outputs stay in %s (the name an older version gave it); new outputs would be named "
                        "%s: to move, delete that folder and run again", it.path, out_root / old, it.session_id)
            it = replace(it, session_id=old)
            ids.add(old)
        out.append(it)
    return out


def lost_item(item: BatchItem, reason: str) -> ItemResult:
    """The record of an input whose worker died on every attempt (engines: worker killed, node lost)."""
    log.error("%s: %s", item.path, reason, extra=ITEM_FAILURE)
    return ItemResult(item, "failed", error=reason)


def release_dead_worker(item: BatchItem, out_dir: Path, host: str, pid: int) -> None:
    """Before an input is retried: drop the session lock of its worker (``pid`` on ``host``), now known dead."""
    try:
        if DirLock(safe_output_path(out_dir, item.session_id)).break_if_held_by(pid, host):
            log.info("%s: released the lock of lost worker %s on %s", item.path, pid, host)
    except (OSError, InputError):
        pass


def _try_write_report(report: BatchReport) -> None:
    try:
        write_batch_report(report)
    except OSError as e:  # a full disk must not lose the summary the CLI prints
        report.extra["batch_json_error"] = _write_error(e)
        log.error("cannot write %s: %s", Path(report.out_dir or ".") / "batch.json", _write_error(e))


def write_batch_report(report: BatchReport) -> Path:
    """``OUT/batch.json``: per-input status and error, for evaluators and scripts."""
    assert report.out_dir is not None
    rows = [
        {
            "input": str(r.item.path), "session_id": r.item.session_id, "status": r.status,
            "stages": None if r.session is None else [
                {"name": x.name, "status": x.status, "reason": x.reason} for x in r.session.provenance.stage_runs
                if x.status != "ok" or x.reason],
            "error": r.error, "output": str(r.out_dir) if r.out_dir else None, "seconds": round(r.seconds, 3),
            # the manifest's pair and date: a programme report lists a failed input under its pair (report/leftout.py)
            **({"pair": r.item.entry.pair_id} if r.item.entry is not None and r.item.entry.pair_id else {}),
            **({"date": r.item.entry.date.isoformat()} if r.item.entry is not None and r.item.entry.date else {}),
            **({"redone": r.redone} if r.redone else {}),
            **({"hand_mapping_lost": list(r.hand_mapping_lost)} if r.hand_mapping_lost else {}),
        }
        for r in report.results
    ]
    total = int(report.extra.get("total", len(rows)))
    # while the batch runs (or after it was killed) the inputs not yet done have not succeeded: not "ok"
    body = {"ok": report.ok and len(rows) >= total, "complete": len(rows) >= total, "total": total, "done": len(rows),
            "failed": len(report.failed),
            "partial": len(report.partial), "results": rows}
    if report.extra.get("earlier_failures"):  # inputs earlier batches into this folder failed on (:func:`earlier_failures`)
        body["earlier_failures"] = report.extra["earlier_failures"]
    if report.extra.get("interrupted"):  # stopped by Ctrl-C or a signal, not killed: a rerun resumes the rest
        body = {"interrupted": True, **body}
    return atomic_write_text(report.out_dir / "batch.json", json.dumps(body, ensure_ascii=False, indent=2) + "\n")

"""From input files to sessions: transcript selection and the per-item loaders of a batch.

Library logic shared by the CLI, the Python API and the batch engines (worker
processes, Ray): which transcript files of a folder to analyse, which manifest
transcripts to read, and how one batch item becomes a :class:`Session` — a transcript
read and matched to its manifest entry, or a recording transcribed with the entry's
participants. The loaders are module-level functions of ``(item, spec)`` so that they
pickle.
"""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from sessionscope.errors import InputError
from sessionscope.model import Session

if TYPE_CHECKING:
    from sessionscope.batch import BatchItem
    from sessionscope.model.manifest import ManifestEntry  # pydantic models: only when a manifest is read
    from sessionscope.runspec import RunSpec

log = logging.getLogger(__name__)

TRANSCRIPT_SUFFIXES = (".vtt", ".srt", ".sbv", ".stm", ".rttm", ".json", ".txt", ".csv", ".tsv", ".docx")
#: transcripts larger than this are refused before reading (the readers' own limit)
MAX_TRANSCRIPT_BYTES = 512 * 1024 * 1024

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_FSSPEC_HINT = "reading URL inputs needs fsspec: pip install 'sessionscope[ray]' (or pip install fsspec)"


def is_url(raw: Any) -> bool:
    """``scheme://…`` (a URL or object-store path read through fsspec), not a local path."""
    return isinstance(raw, RemoteInput) or (isinstance(raw, str) and _URL.match(raw) is not None)


@dataclass(frozen=True)
class RemoteInput:
    """An input named by URL (``s3://…``, ``gs://…``, ``file://…``, ``memory://…``), read where it is.

    Stands where a batch expects a :class:`~pathlib.Path` (``name``, ``stem``, ``suffix``,
    ``parent``, ``resolve()``), but is never opened as a local file: the driver only lists
    it; the worker hashes it (resume key) and copies it to a worker-local temporary file
    (see :func:`local_copy`). Pickles (a plain string).
    """

    url: str

    def __str__(self) -> str:
        return self.url

    def _rest(self) -> str:
        return self.url.split("://", 1)[1]

    @property
    def name(self) -> str:
        return self._rest().rstrip("/").rsplit("/", 1)[-1]

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix

    @property
    def stem(self) -> str:
        return Path(self.name).stem

    @property
    def parent(self) -> RemoteInput:
        head, rest = self.url.split("://", 1)
        return RemoteInput(f"{head}://{rest.rstrip('/').rsplit('/', 1)[0] if '/' in rest.rstrip('/') else ''}")

    def resolve(self) -> RemoteInput:
        return self

    def is_absolute(self) -> bool:
        return True

    def is_relative_to(self, other: Any) -> bool:
        return False


def _fs(url: str) -> tuple[Any, str]:
    """The fsspec filesystem and in-filesystem path of a URL.

    Raises:
        OSError: fsspec is missing, or the URL's scheme is unknown or needs a missing package.
    """
    try:
        import fsspec
    except ImportError as e:
        raise OSError(_FSSPEC_HINT) from e
    try:
        return fsspec.core.url_to_fs(url)
    except ImportError as e:  # a known scheme whose package is missing (s3fs, gcsfs…)
        raise OSError(f"{url}: {e}") from e
    except ValueError as e:  # "Protocol not known"
        raise OSError(f"{url}: unknown URL scheme ({e})") from e


def expand_url(raw: str | RemoteInput, suffixes: Sequence[str]) -> list[RemoteInput]:
    """List a URL on the driver: a folder becomes its files with ``suffixes`` (hidden ones skipped).

    Only listing: nothing is read. A URL that cannot be listed (missing, unknown scheme,
    fsspec missing) is kept as it is with a warning, so that the batch reports it as failed
    and processes the rest.
    """
    url = str(raw)
    try:
        fs, path = _fs(url)
        if not fs.isdir(path):
            if not fs.exists(path):
                log.warning("%s: no such file or folder", url)
            return [RemoteInput(url)]
        wanted = {s.lower() for s in suffixes}
        found = sorted(f for f in fs.find(path) if Path(f).suffix.lower() in wanted
                       and not any(part.startswith(".") for part in f[len(path):].split("/")))
    except OSError as e:
        log.warning("%s: %s", url, e.strerror or e)
        return [RemoteInput(url)]
    if not found:
        log.warning("%s: no input files (%s) in this folder", url, ", ".join(sorted(wanted)))
    return [RemoteInput(fs.unstrip_protocol(f)) for f in found]


def input_sha256(path: Path | RemoteInput, chunk: int = 1 << 20) -> str:
    """The content hash of an input (local file, or URL streamed on the worker that calls this).

    Raises:
        OSError: the input cannot be read (a missing URL, an unknown scheme, fsspec missing).
    """
    from sessionscope.fileio import sha256_file, sha256_stream

    if not isinstance(path, RemoteInput):
        return sha256_file(path, chunk)
    fs, p = _fs(path.url)
    with fs.open(p, "rb") as f:
        return sha256_stream(f, chunk)


@contextlib.contextmanager
def local_copy(path: Path | RemoteInput, max_bytes: Optional[int] = None) -> Iterator[Path]:
    """A local file for an input: the file itself, or a worker-local temporary copy of a URL (deleted after).

    The copy keeps the URL's file name (readers choose the format by it).

    Raises:
        InputError: the input cannot be read, or is larger than ``max_bytes`` (checked before reading a byte).
    """
    if not isinstance(path, RemoteInput):
        if max_bytes is not None:
            try:
                local_size = path.stat().st_size
            except OSError as e:
                raise InputError(f"cannot read file: {e.strerror or e}", path=path) from e
            if local_size > max_bytes:
                raise InputError(f"file is larger than {max_bytes // (1024 * 1024)} MB; not a transcript", path=path)
        yield path
        return
    tmp = Path(tempfile.mkdtemp(prefix="sessionscope-url-"))
    try:
        try:
            fs, p = _fs(path.url)
            size = fs.size(p) if max_bytes is not None else None
            if max_bytes is not None and size is not None and size > max_bytes:
                raise InputError(f"file is larger than {max_bytes // (1024 * 1024)} MB; not a transcript",
                                 path=path.url)
            local = tmp / (path.name or "input")
            with fs.open(p, "rb") as src, open(local, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        except OSError as e:
            raise InputError(f"cannot read URL: {e.strerror or e}", path=path.url) from e
        yield local
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def manifest_transcripts(manifest: Any) -> tuple[Path | RemoteInput, ...]:
    """The transcript of every manifest session (``transcript``, else a transcript ``file``; a URL is kept as one).

    Raises:
        InputError: no session names a transcript.
    """
    out: list[Path | RemoteInput] = []
    for e in manifest.entries:
        name = e.transcript or (e.file if e.file and Path(e.file).suffix.lower() in TRANSCRIPT_SUFFIXES else None)
        if name and is_url(name):
            out.append(RemoteInput(name))
        elif name:
            p = Path(name)
            out.append(p if p.is_absolute() else Path(manifest.root) / p)
    if not out:
        raise InputError("no session names a transcript (`transcript:` or a transcript `file:`)", path=manifest.path)
    return tuple(out)


def prefer_best_transcript(files: list[Path], named: Iterable[object] = ()) -> list[Path]:
    """Keep one transcript per recording when a folder holds several versions of it.

    * ``X.rttm`` beside a transcript with text (``X.stm``, ``X.vtt``…): corpora ship both
      (speaker times in RTTM, words in STM); the RTTM alone has no words or questions.
    * Zoom's ``X.cc.vtt`` (captions without names) beside ``X.transcript.vtt``, and its
      chat export (``…Chat.txt``: written messages, not speech) beside a ``.vtt``.
    Analysing both would count the same session twice. A file in ``named`` (the paths given on the
    command line) is skipped with a warning rather than a debug note: whoever named it must see why it
    has no session ("4 of 4 sessions written" for 5 files named read as a lost input).
    """
    explicit = {Path(p).resolve() for p in named if isinstance(p, (str, Path)) and Path(p).is_file()}
    names = {(f.parent, f.name.lower()) for f in files}
    stems = {(f.parent, f.stem) for f in files if f.suffix.lower() != ".rttm"}
    kept = []
    for f in files:
        low = f.name.lower()
        if f.suffix.lower() == ".rttm" and (f.parent, f.stem) in stems:
            _skip_note(f, explicit, "the transcript with text for the same recording is used")
            continue
        if low.endswith(".cc.vtt") and (f.parent, low[: -len(".cc.vtt")] + ".transcript.vtt") in names:
            _skip_note(f, explicit, "Zoom's transcript with speaker names for the same recording is used")
            continue
        if low.endswith("chat.txt") and any(p == f.parent and n.endswith(".vtt") for p, n in names):
            _skip_note(f, explicit, "a meeting chat export (written messages) beside the meeting's transcript")
            continue
        kept.append(f)
    return kept


def _skip_note(f: Path, explicit: set[Path], why: str) -> None:
    level = logging.WARNING if f.resolve() in explicit else logging.INFO
    log.log(level, "%s: skipped, %s", f, why)


def named_recordings(path: Path | RemoteInput) -> list[str]:
    """The recordings an STM or RTTM file names (its ``<file>`` field), in order; ``[]`` for other formats, a URL
    or a file that cannot be read (the loader reports that)."""
    suffix = path.suffix.lower()
    if isinstance(path, RemoteInput) or suffix not in (".stm", ".rttm"):
        return []
    field_no = 0 if suffix == ".stm" else 1  # "SPEAKER <file> <channel> …"
    found: dict[str, None] = {}
    try:
        if path.stat().st_size > MAX_TRANSCRIPT_BYTES:
            return []
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                fields = line.split()
                if len(fields) > field_no and not fields[0].startswith(";;"):
                    found.setdefault(fields[field_no], None)
    except OSError:
        return []
    return list(found)


def entry_for_file(path: Path | RemoteInput, manifest: Any) -> Optional[ManifestEntry]:
    """The manifest entry for an input: the one that names the file (its path, name or recording, as for ``run``'s
    recordings), else, for an STM or RTTM file naming one recording, the entry of that recording (by session id, or
    the recording's file name): ``examples/en_session/reference.stm`` names ``en_session``."""
    entry = manifest.entry_for(path)
    if entry is not None:
        return entry
    named = named_recordings(path)
    return manifest.entry_for(named[0]) if len(named) == 1 else None


def _entry(item: BatchItem, spec: RunSpec) -> Optional[ManifestEntry]:
    return item.entry if item.entry is not None else spec.default_entry


def load_transcript_item(item: BatchItem, spec: RunSpec, hook: Any = None) -> Session:
    """Read a transcript and apply its manifest entry (or the ``-p``/``--language`` entry).

    Raises:
        InputError: unreadable, too large or malformed transcript.
    """
    from sessionscope.io import read_transcript

    sid = item.entry.id if item.entry is not None else None
    with local_copy(item.path, MAX_TRANSCRIPT_BYTES) as local:  # a URL: a worker-local copy; size checked first
        session = read_transcript(local, session_id=sid)
    if isinstance(item.path, RemoteInput):
        session = session.evolve(source=item.path.url)
    entry = item.entry
    if entry is None and spec.manifest is not None:
        entry = spec.manifest.entry_for(session)  # STM/RTTM files name their recording
    entry = entry or spec.default_entry
    if entry is not None:
        from sessionscope.io.manifest import apply_manifest  # pydantic models: only when there is an entry

        session = apply_manifest(session, entry)
    elif spec.manifest is not None:
        session = _without_entry(session, item, spec)
    return session.evolve(id=item.session_id)


NO_ENTRY_NOTE = "no session of the manifest matches this file: analysed without its pair, date and participants' roles"


def _without_entry(session: Session, item: BatchItem, spec: RunSpec) -> Session:
    """A manifest was given but none of its sessions is this file (a typo in ``file:``, a renamed file): say so,
    on the console and in the report, instead of writing a session whose every junior/senior figure is empty."""
    from dataclasses import replace

    from sessionscope.model import DataQuality

    where = getattr(spec.manifest, "path", None)
    log.warning("%s: no session of the manifest%s matches this file (by session id, path or file name: check its "
                "'file:'); analysed without its pair, date and participants' roles", item.path,
                f" {where}" if where else "")
    quality = session.quality or DataQuality(timing_available=session.timed)
    if NO_ENTRY_NOTE in quality.notes:
        return session
    return session.evolve(quality=replace(quality, notes=(*quality.notes, NO_ENTRY_NOTE)))


def load_recording_item(item: BatchItem, spec: RunSpec, hook: Any = None) -> Session:
    """Transcribe, diarize and identify the speakers of a recording (``run``).

    The entry's planned topics and notes are kept, as ``analyze`` keeps them.
    """
    from sessionscope.audio.pipeline import transcribe_file
    from sessionscope.batch import with_speaker_count_source
    from sessionscope.io.manifest import apply_entry_metadata

    entry = _entry(item, spec)
    kwargs: dict[str, Any] = {}
    if spec.no_cache:
        kwargs["no_cache"] = True
    with local_copy(item.path) as local:  # a URL: copied by this worker to a temporary file, deleted after
        session = transcribe_file(local, config=spec.config, entry=entry, hook=hook, session_id=item.session_id,
                                  language=spec.language, voiceprint_dir=spec.voiceprint_dir, **kwargs)
    if isinstance(item.path, RemoteInput):
        session = session.evolve(source=item.path.url)
    if entry is not None:
        session = apply_entry_metadata(session, entry)
    elif spec.manifest is not None:
        session = _without_entry(session, item, spec)
    # given or estimated speaker count, for the CLI, batches and the Python API alike (ss.run() never reached batch.py)
    return with_speaker_count_source(session.evolve(id=item.session_id), spec.config)


def load_item(item: BatchItem, spec: RunSpec, hook: Any = None) -> Session:
    """The loader for ``spec.kind``: transcripts for ``analyze``, recordings for ``run``."""
    if spec.loader is not None:
        return spec.loader(item, spec, hook)
    if spec.kind == "run":
        return load_recording_item(item, spec, hook)
    return load_transcript_item(item, spec, hook)

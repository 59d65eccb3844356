"""From input files to sessions: transcript selection and the per-item loaders of a batch.

Library logic shared by the CLI, the Python API and the batch engines (worker
processes, Ray): which transcript files of a folder to analyse, which manifest
transcripts to read, and how one batch item becomes a :class:`Session` — a transcript
read and matched to its manifest entry, or a recording transcribed with the entry's
participants. The loaders are module-level functions of ``(item, spec)`` so that they
pickle.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from sessionscope.errors import InputError
from sessionscope.model import Session
from sessionscope.model.manifest import ManifestEntry

if TYPE_CHECKING:
    from sessionscope.batch import BatchItem
    from sessionscope.runspec import RunSpec

log = logging.getLogger(__name__)

TRANSCRIPT_SUFFIXES = (".vtt", ".srt", ".sbv", ".stm", ".rttm", ".json", ".txt", ".csv", ".tsv", ".docx")
#: transcripts larger than this are refused before reading (the readers' own limit)
MAX_TRANSCRIPT_BYTES = 512 * 1024 * 1024


def manifest_transcripts(manifest: Any) -> tuple[Path, ...]:
    """The transcript of every manifest session (``transcript``, else a transcript ``file``).

    Raises:
        InputError: no session names a transcript.
    """
    out = []
    for e in manifest.entries:
        name = e.transcript or (e.file if e.file and Path(e.file).suffix.lower() in TRANSCRIPT_SUFFIXES else None)
        if name:
            p = Path(name)
            out.append(p if p.is_absolute() else Path(manifest.root) / p)
    if not out:
        raise InputError("no session names a transcript (`transcript:` or a transcript `file:`)", path=manifest.path)
    return tuple(out)


def prefer_best_transcript(files: list[Path]) -> list[Path]:
    """Keep one transcript per recording when a folder holds several versions of it.

    * ``X.rttm`` beside a transcript with text (``X.stm``, ``X.vtt``…): corpora ship both
      (speaker times in RTTM, words in STM); the RTTM alone has no words or questions.
    * Zoom's ``X.cc.vtt`` (captions without names) beside ``X.transcript.vtt``, and its
      chat export (``…Chat.txt``: written messages, not speech) beside a ``.vtt``.
    Analysing both would count the same session twice.
    """
    names = {(f.parent, f.name.lower()) for f in files}
    stems = {(f.parent, f.stem) for f in files if f.suffix.lower() != ".rttm"}
    kept = []
    for f in files:
        low = f.name.lower()
        if f.suffix.lower() == ".rttm" and (f.parent, f.stem) in stems:
            log.info("%s: skipped, the transcript with text for the same recording is used", f)
            continue
        if low.endswith(".cc.vtt") and (f.parent, low[: -len(".cc.vtt")] + ".transcript.vtt") in names:
            log.info("%s: skipped, Zoom's transcript with speaker names is used", f)
            continue
        if low.endswith("chat.txt") and any(p == f.parent and n.endswith(".vtt") for p, n in names):
            log.info("%s: skipped, a meeting chat export (written messages) beside the meeting's transcript", f)
            continue
        kept.append(f)
    return kept


def _entry(item: BatchItem, spec: RunSpec) -> Optional[ManifestEntry]:
    return item.entry if item.entry is not None else spec.default_entry


def load_transcript_item(item: BatchItem, spec: RunSpec, hook: Any = None) -> Session:
    """Read a transcript and apply its manifest entry (or the ``-p``/``--language`` entry).

    Raises:
        InputError: unreadable, too large or malformed transcript.
    """
    from sessionscope.io import read_transcript
    from sessionscope.io.manifest import apply_manifest

    try:
        size = item.path.stat().st_size
    except OSError as e:
        raise InputError(f"cannot read file: {e.strerror or e}", path=item.path) from e
    if size > MAX_TRANSCRIPT_BYTES:  # checked before reading a byte
        raise InputError(f"file is larger than {MAX_TRANSCRIPT_BYTES // (1024 * 1024)} MB; not a transcript",
                         path=item.path)
    session = read_transcript(item.path, session_id=item.entry.id if item.entry is not None else None)
    entry = item.entry
    if entry is None and spec.manifest is not None:
        entry = spec.manifest.entry_for(session)  # STM/RTTM files name their recording
    entry = entry or spec.default_entry
    if entry is not None:
        session = apply_manifest(session, entry)
    return session.evolve(id=item.session_id)


def load_recording_item(item: BatchItem, spec: RunSpec, hook: Any = None) -> Session:
    """Transcribe, diarize and identify the speakers of a recording (``run``).

    The entry's planned topics and notes are kept, as ``analyze`` keeps them.
    """
    from sessionscope.audio.pipeline import transcribe_file
    from sessionscope.io.manifest import apply_entry_metadata

    entry = _entry(item, spec)
    kwargs: dict[str, Any] = {}
    if spec.no_cache:
        kwargs["no_cache"] = True
    session = transcribe_file(item.path, config=spec.config, entry=entry, hook=hook, session_id=item.session_id,
                              language=spec.language, voiceprint_dir=spec.voiceprint_dir, **kwargs)
    if entry is not None:
        session = apply_entry_metadata(session, entry)
    return session.evolve(id=item.session_id)


def load_item(item: BatchItem, spec: RunSpec, hook: Any = None) -> Session:
    """The loader for ``spec.kind``: transcripts for ``analyze``, recordings for ``run``."""
    if spec.loader is not None:
        return spec.loader(item, spec, hook)
    if spec.kind == "run":
        return load_recording_item(item, spec, hook)
    return load_transcript_item(item, spec, hook)

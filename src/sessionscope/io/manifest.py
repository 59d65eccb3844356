"""The session manifest: which file is which session, of which pair, with whom in which role.

A programme evaluator describes a batch once, in YAML (or a spreadsheet saved as CSV)::

    pairs:                       # optional: participants shared by all sessions of a pair
      smirnova-ivanov:
        participants:
          - {name: Anna Smirnova, role: junior, aliases: ["Anna S", "iPhone (2)"]}
          - {name: Boris Ivanov, role: senior, id: boris, voice_sample: voices/boris.wav}
    sessions:
      - id: s01
        pair: smirnova-ivanov
        date: 2026-01-15
        file: recordings/s01.m4a
        transcript: transcripts/s01.vtt   # optional: the transcript of that recording
        language: ru
        topics_planned: [tools, time]

Speaker labels are mapped to participants by name, alias or id, ignoring case and
extra whitespace (:func:`sessionscope.text.normalize_name`); labels that match nobody
stay as they are, listed in ``session.quality.unmapped_speaker_labels``. CSV layouts
are described in ``docs/formats.md`` and :mod:`sessionscope.io.manifest_csv`.
"""

from __future__ import annotations

import difflib
import logging
import re
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Optional, Union

from pydantic import ValidationError

from sessionscope.errors import ManifestError
from sessionscope.model import DataQuality, Participant, Role, Session
from sessionscope.model.manifest import ManifestEntry, ManifestParticipant
from sessionscope.text import normalize_name

__all__ = ["Manifest", "ManifestEntry", "ManifestParticipant", "apply_manifest", "entry_from_options",
           "load_manifest", "participants_from_options"]

log = logging.getLogger(__name__)

_TRANSCRIPT_SUFFIXES = {".vtt", ".srt", ".stm", ".rttm", ".json", ".csv", ".tsv", ".txt", ".text", ".md"}


class Manifest:
    """A loaded manifest: its entries and the folder their paths are relative to."""

    def __init__(self, entries: Sequence[ManifestEntry], *, root: Union[str, Path] = ".",
                 path: Optional[Union[str, Path]] = None) -> None:
        self.entries = tuple(entries)
        self.root = Path(root)
        self.path = Path(path) if path is not None else None

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):  # noqa: ANN204
        return iter(self.entries)

    def __repr__(self) -> str:
        return f"Manifest({self.path or self.root}, {len(self.entries)} sessions)"

    def _files(self, e: ManifestEntry) -> list[str]:
        return [f for f in (e.file, e.transcript) if f]

    def entry_for(self, key: Union[str, Path, Session]) -> Optional[ManifestEntry]:
        """The entry for a file or session id, or ``None``.

        Tried in order: session id; the path (resolved against the manifest's folder
        for the manifest's relative paths); the file name; the file name up to its
        first dot, for entries whose ``file`` is a recording and that name no
        ``transcript`` (so ``s01.transcript.vtt`` finds the entry of ``s01.m4a``); a
        session id equal to the file name without its extension. An ambiguous name gives ``None`` with a warning.
        """
        if isinstance(key, Session):
            found = self.entry_for(key.id)
            return found if found is not None or key.source is None else self.entry_for(Path(key.source))
        text = str(key)
        for e in self.entries:
            if e.id is not None and e.id == text:
                return e
        p = Path(text.split("://", 1)[1] if "://" in text else key)  # a URL input (inputs.RemoteInput): its path
        try:
            target = p.resolve()
        except OSError:
            target = p
        for e in self.entries:
            for f in self._files(e):
                fp = Path(f)
                try:
                    if f == text or (fp if fp.is_absolute() else self.root / fp).resolve() == target:  # same URL/file
                        return e
                except OSError:
                    continue
        base = p.name.split(".")[0]

        def same_recording(e: ManifestEntry) -> bool:
            # "s01.transcript.vtt" belongs to the recording "s01.m4a", unless the entry
            # names its transcript or its file is itself a transcript
            f = e.file
            return (e.transcript is None and f is not None and Path(f).suffix.lower() not in _TRANSCRIPT_SUFFIXES
                    and Path(f).name.split(".")[0] == base)

        for matcher in (lambda e: any(Path(f).name == p.name for f in self._files(e)),
                        lambda e: same_recording(e) or e.id == p.stem):
            hits = [e for e in self.entries if matcher(e)]
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                log.warning("%s matches %d manifest sessions (%s); give the path relative to the manifest",
                            p, len(hits), ", ".join(str(e.id or e.file) for e in hits))
                return None
        return None


def participants_from_options(specs: Iterable[str]) -> tuple[ManifestParticipant, ...]:
    """Participants from CLI options: ``"Anna Smirnova=junior"``, ``"Anna Smirnova|Anna S=junior"``, ``"Eve"``.

    The part before ``=`` is the name, optionally followed by ``|``-separated aliases;
    the role defaults to ``other``.

    Raises:
        ManifestError: an empty name or unknown role, naming the option.
    """
    out = []
    for spec in specs:
        names, sep, role = str(spec).rpartition("=") if "=" in str(spec) else (str(spec), "", "")
        parts = [" ".join(x.split()) for x in names.split("|")]
        if not parts[0]:
            raise ManifestError(f"participant option {spec!r} has no name; expected NAME=ROLE, e.g. 'Anna=junior'")
        try:
            out.append(ManifestParticipant(name=parts[0], role=Role.parse(role if sep else None),
                                           aliases=tuple(a for a in parts[1:] if a)))
        except ValueError as e:
            raise ManifestError(f"participant option {spec!r}: {_first_message(e)}") from e
    try:
        ManifestEntry(participants=tuple(out))
    except ValidationError as e:
        raise ManifestError(f"participant options: {_first_message(e)}") from e
    return tuple(out)


def entry_from_options(specs: Iterable[str], *, language: Optional[str] = None,
                       session_id: Optional[str] = None, pair_id: Optional[str] = None) -> ManifestEntry:
    """A manifest entry from ``-p NAME=ROLE`` options (and ``--language``)."""
    return ManifestEntry(id=session_id, pair_id=pair_id, language=language,
                         participants=participants_from_options(specs))


def _first_message(e: Exception) -> str:
    if isinstance(e, ValidationError):
        err = e.errors()[0]
        return str(err.get("msg", e)).removeprefix("Value error, ")
    return str(e)


def format_validation_error(e: ValidationError, *, where: str) -> str:
    """Readable lines ``where.participants[0].role: message`` from a pydantic error."""
    lines = []
    for err in e.errors():
        loc = where
        for part in err["loc"]:
            loc += f"[{part}]" if isinstance(part, int) else f".{part}"
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["loc"] and err["loc"][-1] == "date" and err["type"].startswith(("date", "datetime")):
            # "invalid character in year" says nothing to someone whose spreadsheet shows 05/03/2026
            msg = (f"{msg}: got {err.get('input')!r}; write dates as YYYY-MM-DD (2026-03-05)"
                   + (" or DD.MM.YYYY" if where.startswith("row ") else ""))  # a CSV takes a spreadsheet's too
        if err["type"] == "extra_forbidden":
            valid = ", ".join(sorted({"pair" if n == "pair_id" else n for n in ManifestEntry.model_fields}
                                     if len(err["loc"]) == 1 else ManifestParticipant.model_fields))
            msg = f"unknown key (valid: {valid})"
        lines.append(f"{loc}: {msg}")
    return "; ".join(lines)


# -- applying an entry to a session ---------------------------------------------------------

def apply_entry_metadata(session: Session, entry: ManifestEntry) -> Session:
    """Id, pair, date, language, planned topics and notes of a manifest entry, without touching speakers.

    Used on its own by ``run`` (the audio pipeline has already mapped voices to the
    entry's participants) and as the last step of :func:`apply_manifest`.
    """
    extra = dict(session.extra)
    if entry.date:
        extra.pop("date_source", None)  # the manifest's date, not the one read from the file name
    if entry.topics_planned:
        extra["topics_planned"] = list(entry.topics_planned)
    if entry.notes:
        extra["manifest_notes"] = entry.notes
    return session.evolve(
        id=entry.id or session.id,
        pair_id=entry.pair_id or session.pair_id,
        date=entry.date or session.date,
        language=entry.language or session.language,
        extra=extra,
    )


def apply_manifest(session: Session, entry: ManifestEntry) -> Session:
    """Give a session its manifest id, pair, date, language and named participants with roles.

    Speaker labels (participant names, or ids) are matched to the entry's participants
    by name, alias or id, case- and whitespace-insensitively. Several labels may map to
    one person (they are merged). Participants of the entry who never speak are kept
    (with zero speech: that a junior never spoke is a finding). Labels that match nobody
    keep their participant (role ``other``) and are listed in
    ``quality.unmapped_speaker_labels``.
    """
    if not isinstance(entry, ManifestEntry):
        raise TypeError(f"apply_manifest needs a ManifestEntry, not {type(entry).__name__}")
    people = entry.participants
    mentry = entry

    new_parts: list[Participant] = [Participant(p.participant_id, p.name, p.role) for p in people]
    used = {p.id for p in new_parts}
    remap: dict[str, str] = {}
    matched = False
    unmapped: list[str] = []
    partial: list[str] = []
    spoke = {u.speaker for u in session.utterances}
    given = _given_name_in_label(session, mentry) if people else {}
    for sp in session.participants:
        match = (mentry.participant_for(sp.name) or mentry.participant_for(sp.id)) if people else None
        if match is None and people and sp.id != "unknown":
            match, how = _loose_match(sp, mentry, given)
            if match is not None:
                partial.append(f"speaker label {sp.name!r} taken as {match.name!r} ({how})")
        if match is not None:
            remap[sp.id] = match.participant_id
            matched = True
            k = next(i for i, q in enumerate(people) if q is match)
            if normalize_name(sp.name) == normalize_name(match.name):
                new_parts[k] = replace(new_parts[k], name=_display_name(match.name, sp.name))
            continue
        pid, n = sp.id, 2
        while pid in used:
            pid, n = f"{sp.id}-{n}", n + 1
        used.add(pid)
        remap[sp.id] = pid
        new_parts.append(Participant(pid, sp.name, sp.role))
        if people and sp.id in spoke and sp.id != "unknown":
            unmapped.append(sp.name)
    utterances = tuple(u if remap.get(u.speaker, u.speaker) == u.speaker else
                       replace(u, speaker=remap[u.speaker]) for u in session.utterances)

    quality = session.quality or DataQuality(timing_available=session.timed)
    notes = list(quality.notes)
    notes += [n for n in partial if n not in notes]
    if people:
        spoke_new = {remap.get(s, s) for s in spoke}
        for p in people:
            if p.participant_id not in spoke_new:
                note = f"manifest participant {p.name!r} has no speech in the transcript"
                if note not in notes:
                    notes.append(note)
                log.info("%s: %s", session.id, note)
        if unmapped:
            names = [p.name for p in people]
            hints = []
            for label in unmapped:
                close = difflib.get_close_matches(label, names, n=1, cutoff=0.5)
                hints.append(f"{label!r}" + (f" (did you mean {close[0]!r}? add it to 'aliases')" if close else ""))
            # "valid names: Kathy" read as if "Kathy" were a name the transcript uses: say which side is which
            log.warning("%s: the transcript's speaker labels %s match none of the participants given (%s); give "
                        "the participants as the transcript names them (-p %s; in Python participants={%r: ROLE}) "
                        "or list the labels under the manifest participant's 'aliases'", session.id, ", ".join(hints),
                        ", ".join(names), shlex.quote(f"{unmapped[0]}=ROLE"), unmapped[0])
        quality = replace(
            quality, unmapped_speaker_labels=tuple(unmapped), notes=tuple(notes),
            speaker_mapping_method=quality.speaker_mapping_method or ("names" if matched else None),
        )
    mapped = session.evolve(
        participants=tuple(new_parts) if people else tuple(
            Participant(remap[p.id], p.name, p.role) for p in session.participants),
        utterances=utterances,
        quality=quality,
    )
    return apply_entry_metadata(mapped, entry)


def _words(name: str) -> set[str]:
    """A name's words for matching: case-folded, without punctuation and number words ("0025_KATHY" → kathy)."""
    return {w for w in re.split(r"[\W_]+", normalize_name(name)) if w and not w.isdigit()}


def _loose_match(sp: Participant, entry: ManifestEntry, given: dict[str, ManifestParticipant]
                 ) -> tuple[Optional[ManifestParticipant], str]:
    """The participant a label names only in part, and how: the label is part of the name ("maya" for Maya Chen),
    or the name given is part of the label ("Conor" for Conor Healy)."""
    found = entry.participant_for(sp.name, partial=True)
    if found is not None:
        return found, "part of the name"
    return given.get(sp.id), "the name given is part of it"


def _given_name_in_label(session: Session, entry: ManifestEntry) -> dict[str, ManifestParticipant]:
    """Speaker id → the participant whose given name is part of that speaker's label ("Conor" in "Conor Healy"),
    where the label matches no participant otherwise and both sides are unique: a first name that two labels
    share ("Anna" in "Anna Lee" and "Anna Bell") or a label two names fit matches nothing."""
    labels = [sp for sp in session.participants
              if sp.id != "unknown" and entry.participant_for(sp.name) is None and entry.participant_for(sp.id) is None
              and entry.participant_for(sp.name, partial=True) is None]
    fits = {p.participant_id: [sp for sp in labels if _words(p.name) and _words(p.name) <= _words(sp.name)]
            for p in entry.participants}
    out: dict[str, ManifestParticipant] = {}
    for p in entry.participants:
        cands = fits[p.participant_id]
        if len(cands) == 1 and sum(cands[0] in f for f in fits.values()) == 1:
            out[cands[0].id] = p
    return out


def _display_name(given: str, label: str) -> str:
    """The better-cased of two spellings of one name (``-p "anna smirnova=junior"`` vs ``Anna Smirnova``).

    A spelling in mixed case wins over an all-lower or all-upper one; between two
    mixed-case spellings the manifest's wins.
    """
    def mixed(s: str) -> bool:
        return s != s.lower() and s != s.upper()

    return label if mixed(label) and not mixed(given) else given


# -- loading ----------------------------------------------------------------------------------

def load_manifest(path: Union[str, Path]) -> Manifest:
    """Load and validate a manifest (YAML, or CSV/TSV by extension or content).

    Raises:
        ManifestError: unreadable file, unknown keys or columns, bad roles or dates,
            duplicate session ids or participant names; the message names the place.
    """
    from sessionscope.io.manifest_csv import ROW_KEY, load_manifest_data

    p = Path(path)
    raw_sessions = load_manifest_data(p)
    entries: list[ManifestEntry] = []
    places: list[str] = []  # "sessions[i]" in YAML, "row N" in a CSV (what a spreadsheet user sees)
    for i, raw in enumerate(raw_sessions):
        if isinstance(raw, dict) and ROW_KEY in raw:
            raw = {k: v for k, v in raw.items() if k != ROW_KEY}
            places.append(f"row {raw_sessions[i][ROW_KEY]}")
        else:
            places.append(f"sessions[{i}]")
        where = places[i] + (f" (id {raw.get('id')!r})" if isinstance(raw, dict) and raw.get("id") else "")
        if not isinstance(raw, dict):
            raise ManifestError(f"{where}: a session must be a mapping of keys, not {type(raw).__name__}", path=p)
        try:
            entry = ManifestEntry.model_validate(raw)
        except ValidationError as e:
            raise ManifestError(format_validation_error(e, where=where), path=p) from e
        if entry.id is None and entry.file is None and entry.transcript is None:
            raise ManifestError(f"{where}: give at least 'id' or 'file'", path=p)
        people = tuple(q.model_copy(update={"voice_sample": str(_resolve(p.parent, q.voice_sample))})
                       if q.voice_sample else q for q in entry.participants)
        entries.append(entry.model_copy(update={"participants": people}))
    if not entries:
        raise ManifestError("the manifest lists no sessions", path=p)
    seen: dict[str, int] = {}
    for i, done in enumerate(entries):
        if done.id is not None:
            if done.id in seen:
                raise ManifestError(f"{places[i]}: session id {done.id!r} is already used by "
                                    f"{places[seen[done.id]]}", path=p)
            seen[done.id] = i
    log.info("%s: %d sessions", p, len(entries))
    return Manifest(entries, root=p.parent, path=p)


def _resolve(root: Path, value: str) -> Path:
    q = Path(value).expanduser()
    return q if q.is_absolute() else root / q

"""Reading manifest files into plain session dicts: YAML (with shared ``pairs``) and CSV.

Two CSV layouts are accepted, told apart by their columns:

* **one row per session** (what evaluators keep in a spreadsheet): ``id, pair, date,
  file, transcript, language, junior, senior, other, topics_planned, notes`` plus
  optional ``junior_id``, ``junior_aliases``, ``junior_voice_sample`` (and the same
  for ``senior``). Several names in one role column are separated by ``;``; aliases by ``|``.
* **one row per participant**: ``id, pair, date, file, transcript, language, name, role,
  participant_id, aliases, voice_sample, topics_planned, notes``. Rows with the same
  ``id`` (or ``file`` when there is no id) form one session; session columns may be
  left empty after the first row but must not contradict it.

Unknown columns are an error naming the valid ones.
"""

from __future__ import annotations

import csv
import io as _io
import logging
import re
from pathlib import Path
from typing import Any

from sessionscope.errors import ManifestError

log = logging.getLogger(__name__)

SESSION_COLS = ("id", "pair", "pair_id", "date", "file", "transcript", "language", "topics_planned", "notes")
ROLE_COLS = ("junior", "senior", "other")
ROLE_SUFFIXES = ("id", "aliases", "voice_sample")
LONG_COLS = ("name", "role", "participant_id", "aliases", "voice_sample")
_TOP_KEYS = ("sessions", "pairs")


def load_manifest_data(path: Path) -> list[Any]:
    """The raw session dicts of a manifest file (YAML or CSV), pair defaults applied."""
    from sessionscope.fileio import YAML_MAX_BYTES

    try:
        if path.stat().st_size > YAML_MAX_BYTES:
            raise ManifestError(f"manifest is larger than {YAML_MAX_BYTES // (1024 * 1024)} MB", path=path)
        data = path.read_bytes()
    except OSError as e:
        raise ManifestError(f"cannot read manifest: {e.strerror or e}", path=path) from e
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        # a spreadsheet saved as "CSV" by a Russian Excel is cp1251 (and ';'-separated): read it as transcripts are
        from sessionscope.io._common import guess_encoding

        encoding = guess_encoding(data)
        text = data.decode(encoding, errors="replace") if encoding else "\ufffd"
        if encoding is None or "\ufffd" in text:
            raise ManifestError("manifest is not UTF-8 text (and no other encoding reads it): save it as UTF-8 "
                                "(Excel: 'CSV UTF-8')", path=path) from e
        log.warning("%s: not UTF-8; read as %s", path, encoding)
    if not text.strip():
        raise ManifestError("manifest is empty", path=path)
    if path.suffix.lower() in (".csv", ".tsv") or (path.suffix.lower() not in (".yaml", ".yml") and _looks_csv(text)):
        return _csv_sessions(text, path=path)
    return _yaml_sessions(text, path=path)


def _looks_csv(text: str) -> bool:
    first = text.split("\n", 1)[0].lower()
    return ("," in first or "\t" in first or ";" in first) and ":" not in first


def _delimiter(header: str) -> str:
    """The CSV's separator, from its header row: tab, ';' (what Excel writes as "CSV" where the decimal mark is a
    comma, as in Russia and most of Europe) or ','."""
    counts = {sep: header.count(sep) for sep in ("\t", ";", ",")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


#: a date as a spreadsheet set to Russian (or German…) shows and exports it: day first, with dots
_DOTTED_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def _iso_date(value: str) -> str:
    """``05.03.2026`` → ``2026-03-05`` (day first: the dotted form is never month-first); anything else unchanged,
    for the manifest's validation to judge. CSV only: a spreadsheet shows and exports its dates so, while a YAML
    manifest is written by hand as documented (YYYY-MM-DD)."""
    m = _DOTTED_DATE.fullmatch(value.strip())
    return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else value


def _yaml_sessions(text: str, *, path: Path) -> list[Any]:
    import yaml

    from sessionscope.fileio import load_yaml_limited

    try:
        doc = load_yaml_limited(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise ManifestError(f"invalid YAML{where}: {getattr(e, 'problem', None) or e}", path=path) from e
    except (ValueError, TypeError, RecursionError) as e:  # a date like 2026-13-45, an alias bomb
        raise ManifestError(f"invalid YAML value: {e}{_bad_date_place(text)}", path=path) from e
    if isinstance(doc, list):
        return doc
    if not isinstance(doc, dict):
        raise ManifestError("a manifest must be a list of sessions or a mapping with 'sessions'", path=path)
    unknown = [k for k in doc if k not in _TOP_KEYS]
    if unknown:
        raise ManifestError(f"unknown top-level key(s) {', '.join(map(repr, unknown))}; valid: {', '.join(_TOP_KEYS)}",
                            path=path)
    sessions = doc.get("sessions")
    if not isinstance(sessions, list):
        raise ManifestError("'sessions' must be a list of sessions", path=path)
    pairs = doc.get("pairs") or {}
    if not isinstance(pairs, dict):
        raise ManifestError("'pairs' must map pair ids to {participants: [...], language: ...}", path=path)
    for pid, spec in pairs.items():
        if not isinstance(spec, dict) or set(spec) - {"participants", "language"}:
            raise ManifestError(f"pairs.{pid}: valid keys are 'participants' and 'language'", path=path)
    out = []
    for s in sessions:
        if isinstance(s, dict):
            pair = s.get("pair", s.get("pair_id"))
            if pair is not None and str(pair) in {str(k) for k in pairs}:
                spec = next(v for k, v in pairs.items() if str(k) == str(pair))
                s = {**{k: v for k, v in spec.items() if v is not None}, **s}
            elif pair is not None and pairs and not s.get("participants"):
                raise ManifestError(f"session {s.get('id') or s.get('file')!r}: pair {pair!r} is not defined under "
                                    f"'pairs' (defined: {', '.join(map(str, pairs))})", path=path)
        out.append(s)
    return out


def _bad_date_place(text: str) -> str:
    """Where a date YAML could not build is ("2026-02-30": PyYAML's error names no line): " (line N: '…')"."""
    import datetime as _dt
    import re

    for n, line in enumerate(text.splitlines(), 1):
        for m in re.finditer(r"(?<![\w.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w.-])", line.split("#", 1)[0]):
            try:
                _dt.date(*(int(g) for g in m.groups()))
            except ValueError:
                return f" (line {n}: {m.group(0)!r})"
    return ""


#: the spreadsheet row (1 = the header) a CSV session starts on, so that an error names the row, not ``sessions[i]``;
#: :func:`sessionscope.io.manifest.load_manifest` takes it out before validation
ROW_KEY = "__csv_row__"


def _split(value: str, sep: str = ";") -> list[str]:
    return [x.strip() for x in value.split(sep) if x.strip()]


def _csv_sessions(text: str, *, path: Path) -> list[Any]:
    text = text.lstrip("\r\n")
    first = text.split("\n", 1)[0]
    try:
        reader = csv.DictReader(_io.StringIO(text), dialect="excel", delimiter=_delimiter(first))
        rows = list(reader)
        reader_cols = [c.strip().lower() for c in reader.fieldnames or ()]
    except csv.Error as e:
        raise ManifestError(f"malformed CSV: {e}", path=path) from e
    long = "name" in reader_cols
    valid = set(SESSION_COLS) | (set(LONG_COLS) if long else
                                 set(ROLE_COLS) | {f"{r}_{s}" for r in ROLE_COLS for s in ROLE_SUFFIXES})
    unknown = [c for c in reader_cols if c and c not in valid]
    if unknown:
        raise ManifestError(f"unknown column(s) {', '.join(map(repr, unknown))}; valid: {', '.join(sorted(valid))}",
                            path=path)
    clean = []
    for n, row in enumerate(rows, 2):
        if None in row:
            raise ManifestError(f"row {n}: more cells than columns", path=path)
        r = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        if any(r.values()):
            clean.append((n, r))
    return _long_rows(clean, path=path) if long else [{**_wide_row(r), ROW_KEY: n} for n, r in clean]


def _session_fields(r: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for c in SESSION_COLS:
        if r.get(c):
            out["pair" if c == "pair_id" else c] = _iso_date(r[c]) if c == "date" else r[c]
    return out


def _wide_row(r: dict[str, str]) -> dict[str, Any]:
    out = _session_fields(r)
    people = []
    for role in ROLE_COLS:
        names = _split(r.get(role, ""))
        for name in names:
            person: dict[str, Any] = {"name": name, "role": role}
            if len(names) == 1:
                if r.get(f"{role}_id"):
                    person["id"] = r[f"{role}_id"]
                if r.get(f"{role}_aliases"):
                    person["aliases"] = _split(r[f"{role}_aliases"], "|")
                if r.get(f"{role}_voice_sample"):
                    person["voice_sample"] = r[f"{role}_voice_sample"]
            people.append(person)
    if people:
        out["participants"] = people
    return out


def _long_rows(rows: list[tuple[int, dict[str, str]]], *, path: Path) -> list[Any]:
    sessions: dict[str, dict[str, Any]] = {}
    for n, r in rows:
        key = r.get("id") or r.get("file") or r.get("transcript")
        if not key:
            raise ManifestError(f"row {n}: give the session's 'id' or 'file'", path=path)
        fields = _session_fields(r)
        s = sessions.setdefault(key, {"participants": [], ROW_KEY: n})
        for k, v in fields.items():
            if k in s and s[k] != v:
                raise ManifestError(f"row {n}: {k} {v!r} contradicts {s[k]!r} given earlier for session {key!r}",
                                    path=path)
            s[k] = v
        if r.get("name"):
            person: dict[str, Any] = {"name": r["name"], "role": r.get("role") or "other"}
            if r.get("participant_id"):
                person["id"] = r["participant_id"]
            if r.get("aliases"):
                person["aliases"] = _split(r["aliases"], "|")
            if r.get("voice_sample"):
                person["voice_sample"] = r["voice_sample"]
            s["participants"].append(person)
    return list(sessions.values())

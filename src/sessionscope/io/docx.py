"""Word (.docx) transcripts as Microsoft Teams, Stream and Google Meet (via Docs) save them.

Only the standard library is used: a .docx is a zip archive whose ``word/document.xml``
holds paragraphs (``w:p``) of text runs (``w:t``), tabs and line breaks. The text is
then read like a plain-text transcript. Layouts seen in practice:

* Teams: a ``Name   0:03`` (or ``Name 0:01:23``, or ``Name 00:01:23 --> 00:01:45``)
  paragraph, then the text;
* Microsoft Stream: ``00:00:00.000 --> 00:00:05.430``, then the name, then the text;
* Google Meet: ``00:05:00`` paragraphs and ``Name: text`` paragraphs.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from sessionscope.errors import InputError
from sessionscope.io.cues import looks_like_name

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAX_XML = 200 * 1024 * 1024
_T = r"\d{1,3}:\d{1,2}(?::\d{1,2})?(?:[.,]\d{1,7})?"
_ARROW_LINE = re.compile(rf"^\s*(?P<start>{_T})\s*-->\s*(?P<end>{_T})\s*$")
_NAME_ARROW = re.compile(rf"^\s*(?P<name>\S.*?)\s+(?P<start>{_T})\s*-->\s*(?P<end>{_T})\s*$")
_NAME_TIME = re.compile(rf"^\s*(?P<name>[^\d\s:][^:\n]{{0,59}}?)\s+(?P<start>{_T})\s*$")

ZIP_MAGIC = b"PK\x03\x04"


def is_docx(path: str | Path) -> bool:
    """Whether the file is a zip archive (a .docx), judged by its first bytes."""
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == ZIP_MAGIC
    except OSError:
        return False


def docx_paragraphs(path: str | Path) -> list[str]:
    """The text of every paragraph of a .docx (tabs and line breaks kept).

    Raises:
        InputError: not a zip, no ``word/document.xml``, or malformed XML.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            try:
                info = zf.getinfo("word/document.xml")
            except KeyError:
                raise InputError("a zip archive but not a Word document (no word/document.xml)", path=path) from None
            if info.file_size > _MAX_XML:
                raise InputError("Word document too large", path=path)
            xml = zf.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, ValueError, EOFError) as e:
        raise InputError(f"cannot open as a Word document: {e}", path=path) from e
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as e:
        raise InputError(f"malformed Word document XML: {e}", path=path) from e
    paras = []
    for p in root.iter(f"{_W}p"):
        parts = []
        for el in p.iter():
            if el.tag == f"{_W}t" and el.text:
                parts.append(el.text)
            elif el.tag == f"{_W}tab":
                parts.append("\t")
            elif el.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        paras.append("".join(parts))
    return paras


def docx_to_text(path: str | Path) -> str:
    """A .docx transcript as text the plain-text or cue reader understands.

    Teams "speaker header" paragraphs become ``Name  0:03`` lines (two spaces, as the
    plain-text reader expects) and Stream's ``start --> end`` / name / text groups
    become WebVTT cues with voice tags.

    Raises:
        InputError: unreadable document, or a document without text.
    """
    lines = [ln for para in docx_paragraphs(path) for ln in para.split("\n")]
    if not any(ln.strip() for ln in lines):
        raise InputError("the Word document has no text", path=path)
    content = [ln for ln in lines if ln.strip()]
    if sum(1 for ln in content if _ARROW_LINE.match(ln)) >= max(1, len(content) // 6):
        return _stream_to_vtt(content)
    out = []
    for ln in lines:
        m = _NAME_ARROW.match(ln)
        if m and looks_like_name(m.group("name"), loose=True):  # a time follows: "Ivanov, Boris  0:03 --> 0:09"
            out.append(f"{m.group('name').strip()}  {_clock(m.group('start'))} --> {_clock(m.group('end'))}")
            continue
        m = _NAME_TIME.match(ln)
        if m and looks_like_name(m.group("name"), loose=True):  # Teams in a tenant: "Ivanov, Boris   0:03"
            out.append(f"{m.group('name').strip()}  {_clock(m.group('start'))}")
            continue
        out.append(ln)
    return "\n".join(out) + "\n"


def _stream_to_vtt(lines: list[str]) -> str:
    """Stream layout (time range, name, text…) as WebVTT with voice tags."""
    cues: list[str] = ["WEBVTT", ""]
    i = 0
    while i < len(lines):
        m = _ARROW_LINE.match(lines[i])
        if not m:
            i += 1
            continue
        j = i + 1
        body = []
        while j < len(lines) and not _ARROW_LINE.match(lines[j]):
            body.append(lines[j].strip())
            j += 1
        # the line after the time range is the speaker's (a directory name "Ivanov, Boris" too: its place tells)
        name = body[0] if len(body) > 1 and looks_like_name(body[0], loose=True) and ":" not in body[0] else None
        text = " ".join(body[1:] if name else body).replace("<", "&lt;")
        start, end = (_clock(m.group("start")), _clock(m.group("end")))
        cues.append(f"{start} --> {end}\n" + (f"<v {name}>{text}</v>" if name else text) + "\n")
        i = j
    return "\n".join(cues)


def _clock(value: str) -> str:
    """``0:0:5.43`` → ``00:00:05.430`` (WebVTT wants two-digit fields and milliseconds)."""
    main, _, frac = value.replace(",", ".").partition(".")
    parts = [int(x) for x in main.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    h, m, s = parts
    ms = int((frac + "000")[:3]) if frac else 0
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"

"""Which transcript format a file holds: content first, the file extension as a tie-breaker.

Meeting tools and people name files loosely (``transcript.txt`` that is really WebVTT,
``.vtt`` exported without its header), so the content decides. The extension only
decides between formats the content cannot tell apart, and a file whose extension
promises a structured format that its content does not have is parsed as that format,
so that the error names the line that is wrong, instead of being read as free text.
"""

from __future__ import annotations

import re
from pathlib import Path

from sessionscope.errors import InputError
from sessionscope.io._common import read_text

#: Input format names accepted by ``read_transcript(fmt=...)``.
FORMATS = ("vtt", "srt", "sbv", "stm", "rttm", "json", "csv", "txt", "docx")

ALIASES = {
    "webvtt": "vtt", "subrip": "srt", "whisperx": "json", "faster-whisper": "json", "whisper": "json",
    "session": "json", "text": "txt", "plain": "txt", "tsv": "csv", "word": "docx", "subviewer": "sbv",
    # speech-to-text services' JSON: the JSON reader tells them apart by content (io.asr_services)
    "assemblyai": "json", "deepgram": "json", "aws-transcribe": "json", "amazon-transcribe": "json", "revai": "json",
    "rev.ai": "json",
}
EXTENSIONS = {".vtt": "vtt", ".srt": "srt", ".stm": "stm", ".rttm": "rttm", ".json": "json", ".csv": "csv",
              ".tsv": "csv", ".txt": "txt", ".text": "txt", ".md": "txt", ".docx": "docx",
              ".sbv": "sbv"}

_ARROW = re.compile(r"^\s*(?:\d+:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?\s*-->\s*(?:\d+:)?\d{1,2}:\d{1,2}", re.MULTILINE)
_RTTM = re.compile(r"^(SPEAKER|LEXEME|SPKR-INFO|NOSCORE|NON-SPEECH|NON-LEX|SEGMENT|NO_RT_METADATA)"
                   r"(\s+\S+){7}", re.IGNORECASE)
_JSON_ARRAY = re.compile(r'\[\s*(?:[{\["\]]|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\s*[,\]]|true\b|false\b|null\b)')
_SBV = re.compile(r"^\d+:\d{1,2}:\d{1,2}(?:\.\d{1,3})?\s*,\s*\d+:\d{1,2}:\d{1,2}(?:\.\d{1,3})?$")
_NUM = re.compile(r"^\d+(?:\.\d+)?$")


def normalize_format(fmt: str) -> str:
    """A canonical format name from a name or alias (case-insensitive).

    Raises:
        InputError: unknown format, naming the valid ones.
    """
    key = str(fmt).strip().lower().lstrip(".")
    key = ALIASES.get(key, key)
    if key not in FORMATS:
        raise InputError(f"unknown transcript format {fmt!r}; valid: {', '.join(FORMATS)}")
    return key


def _content_lines(text: str, limit: int = 50) -> list[str]:
    out = []
    for line in text.split("\n"):
        s = line.strip()
        if s and not s.startswith(";;"):
            out.append(s)
            if len(out) >= limit:
                break
    return out


def _is_stm(lines: list[str]) -> bool:
    if not lines:
        return False
    for s in lines:
        f = s.split(None, 5)
        if len(f) < 5 or not (_NUM.match(f[3]) and _NUM.match(f[4])) or _NUM.match(f[2]):
            return False
    return True


def _is_csv(lines: list[str]) -> bool:
    if len(lines) < 2:
        return False
    header = lines[0].lower()
    sep = "\t" if "\t" in header else ","
    cols = {c.strip().strip('"') for c in header.split(sep)}
    return "text" in cols and bool(cols & {"speaker", "speaker_name", "name"})


def sniff(text: str) -> str | None:
    """The format the text looks like, or ``None`` when it looks like none in particular."""
    head = text.lstrip()
    if head.startswith("WEBVTT"):
        return "vtt"
    if head[:1] == "{" or _JSON_ARRAY.match(head):
        return "json"
    lines = _content_lines(text)
    if lines and all(_RTTM.match(s) for s in lines) and any(s[:7].upper() == "SPEAKER" for s in lines):
        return "rttm"
    if _ARROW.search(text[:20000]):
        return "srt"  # cue timings without a WEBVTT header: SRT (the cue parser accepts both separators)
    if lines and _SBV.match(lines[0]):
        return "sbv"
    if _is_stm(lines):
        return "stm"
    if _is_csv(lines):
        return "csv"
    return None


def detect_text_format(text: str, *, path: str | Path) -> str:
    """Detect the format of already-decoded text (see :func:`detect_format`)."""
    found = sniff(text)
    ext = EXTENSIONS.get(Path(path).suffix.lower())
    if found is not None:
        return found
    # Nothing recognisable: trust the extension, so that the parser reports exactly
    # what is wrong ("line 3: expected a cue timing line…"); free text otherwise.
    return ext if ext not in (None, "docx") else "txt"


def detect_format(path: str | Path) -> str:
    """The transcript format of a file, one of :data:`FORMATS`.

    Raises:
        InputError: unreadable or empty file, or content that contradicts its extension.
    """
    from sessionscope.io.docx import is_docx

    if is_docx(path):
        return "docx"
    return detect_text_format(read_text(path), path=path)

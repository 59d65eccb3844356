"""Tiny text helpers shared across modules (no heavy imports)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from typing import Optional

_WORD = re.compile(r"[\w'’-]+", re.UNICODE)
# transcript marks for sounds and gaps, not words: "{vocalsound}", "{gap}", "[laughter]", "<LAUGH>", "(inaudible)"
_MARKUP = re.compile(r"\{[^{}]*\}|\[[^\[\]]*\]|<[^<>]*>|\((?:laughs?|laughter|inaudible|crosstalk|pause|cough(?:s|ing)?|sighs?)\)",
                     re.IGNORECASE)


def normalize_name(name: str) -> str:
    """Case- and whitespace-insensitive key for matching speaker labels to participants."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def slugify(name: str) -> str:
    """A stable id from a display name ('Anna Petrova' → 'anna-petrova'; Cyrillic kept)."""
    key = normalize_name(name)
    slug = re.sub(r"[^\w]+", "-", key, flags=re.UNICODE).strip("-_")
    return slug or "speaker"


def words(text: str) -> list[str]:
    """Word tokens (letters, digits, apostrophes, hyphens) of a text."""
    return _WORD.findall(text)


def strip_markup(text: str) -> str:
    """The text without transcript marks for sounds and gaps, spaces collapsed."""
    return " ".join(_MARKUP.sub(" ", text).split())


def spoken_tokens(text: str) -> list[str]:
    """The words docs/metrics.md counts: tokens with a letter or digit, transcript marks for sounds and gaps
    ("{vocalsound}", "[laughter]", "<LAUGH>") left out, and a lone "-" between words ("Mm - hmm .") too."""
    return [w for w in words(strip_markup(text)) if any(c.isalnum() for c in w)]


def word_count(text: str) -> int:
    """Number of word tokens in a text."""
    return len(words(text))


def content_start(toks: Sequence[str], fillers: Collection[str]) -> int:
    """Index of the first token after leading ``fillers`` ("so um what…" → the "what"); the last token always stays."""
    i = 0
    while i < len(toks) - 1 and toks[i] in fillers:
        i += 1
    return i


def fmt_clock(seconds: Optional[float]) -> str:
    """Seconds as ``m:ss`` or ``h:mm:ss`` (language-neutral)."""
    if seconds is None:
        return "–"
    s = int(round(max(0.0, seconds)))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def counted(n: int, noun: str, plural: Optional[str] = None) -> str:
    """``n`` with an English noun that agrees ("1 cue", "3 cues"; ``plural`` for irregular ones) for the readers' and
    the pipeline's English notes: "1 cue(s) … were" read as unfinished. The reports' own texts use
    :func:`sessionscope.report.i18n.plural`, which also knows Russian."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def were(n: int) -> str:
    """"was" for one, "were" for the rest ("1 cue … was attributed")."""
    return "was" if n == 1 else "were"

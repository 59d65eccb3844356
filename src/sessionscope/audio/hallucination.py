"""Whisper's known failure modes, found and handled in the open.

Whisper invents text on silence and noise (the subtitle credits it saw in training:
"Thank you for watching", "Продолжение следует…") and falls into repetition loops
("I think I think I think…"). This module drops hallucinated segments and collapses
loops, and returns what it removed so the data-quality section can count and show it.
Nothing here loads a model: it works on the plain segments produced by ``asr``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

#: Phrases Whisper is known to invent on silence/noise (lower case, punctuation stripped).
KNOWN_HALLUCINATIONS = (
    "thank you for watching", "thanks for watching", "thank you for watching and see you next time",
    "please subscribe", "subscribe to my channel", "like and subscribe", "see you in the next video",
    "subtitles by the amaraorg community", "subtitles by", "transcribed by", "captions by",
    "thank you", "thank you very much", "bye", "you",
    "продолжение следует", "субтитры сделал dimatorzok", "субтитры создавал dimatorzok", "редактор субтитров",
    "корректор", "спасибо за просмотр", "подписывайтесь на канал", "субтитры подогнал", "до новых встреч",
    "ставьте лайки", "аплодисменты", "музыка",
)
_SHORT_GENERIC = {"thank you", "thank you very much", "bye", "you", "музыка", "аплодисменты"}


@dataclass(frozen=True)
class AsrWord:
    """A recognised word with timing (s) and Whisper's probability."""

    text: str
    start: float
    end: float
    probability: float


@dataclass(frozen=True)
class AsrSegment:
    """One Whisper segment with the decoder statistics used to judge it."""

    start: float
    end: float
    text: str
    words: tuple[AsrWord, ...] = ()
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0
    compression_ratio: float = 1.0
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class FilterReport:
    """What the filter removed: counts and the removed texts (for the quality section)."""

    hallucinations_dropped: int = 0
    repetitions_dropped: int = 0
    dropped_texts: tuple[str, ...] = field(default_factory=tuple)

    def __add__(self, other: FilterReport) -> FilterReport:
        """Both reports together (a first pass and a second pass over the same recording)."""
        return FilterReport(self.hallucinations_dropped + other.hallucinations_dropped,
                            self.repetitions_dropped + other.repetitions_dropped, self.dropped_texts + other.dropped_texts)


def normalise(text: str) -> str:
    """Lower case, letters/digits/spaces only: the key for phrase matching."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", "", text.lower())).strip()


def is_hallucination(seg: AsrSegment) -> bool:
    """A segment that is a known invented phrase on doubtful audio, or has no support at all.

    A known phrase alone is not enough ("thank you" is often really said): it must also
    come with a high no-speech probability or a low decoder confidence. Generic short
    phrases need stronger evidence than subtitle credits, which nobody says in a meeting.
    """
    key = normalise(seg.text)
    if not key:
        return True
    mean_p = sum(w.probability for w in seg.words) / len(seg.words) if seg.words else None
    doubtful = seg.no_speech_prob > 0.5 or seg.avg_logprob < -1.0 or (mean_p is not None and mean_p < 0.35)
    if key in KNOWN_HALLUCINATIONS or any(key.startswith(p) for p in KNOWN_HALLUCINATIONS if len(p) > 12):
        if key in _SHORT_GENERIC:
            return seg.no_speech_prob > 0.6 or (mean_p is not None and mean_p < 0.3) or seg.avg_logprob < -1.2
        return doubtful or len(key) > 12
    # no known phrase: only reject when every signal says "not speech"
    return seg.no_speech_prob > 0.8 and (seg.avg_logprob < -1.0 or (mean_p is not None and mean_p < 0.2))


def _tokens(words: tuple[AsrWord, ...]) -> list[str]:
    return [normalise(w.text) for w in words]


#: the longest phrase :func:`collapse_loops` looks for (10 before round 21): a far-field decode of round 21's packed
#: second pass (benchmarks/r21_turngap_lib.py) wrote one 18-word sentence four times back to back; none of the
#: 1,112 segments in this machine's transcription cache (everything it had transcribed) changes with 40
#: (benchmarks/r21_loop_scan.py)
LOOP_MAX_WORDS = 30


def collapse_loops(words: tuple[AsrWord, ...], *, min_repeats_single: int = 4,
                   min_repeats_phrase: int = 3, max_n: int = LOOP_MAX_WORDS) -> tuple[tuple[AsrWord, ...], list[str]]:
    """Remove repetition loops: an n-gram repeated back to back is kept once.

    A single word must repeat ``min_repeats_single`` times ("no no no" is normal talk),
    a phrase of 2..``max_n`` words ``min_repeats_phrase`` times. Returns the kept words
    and the removed loops (text of the unit with its repeat count, e.g. ``"Hello. ×5"``).
    """
    toks = _tokens(words)
    keep = list(words)
    removed: list[str] = []
    i = 0
    while i < len(toks):
        best = None
        for n in range(1, max_n + 1):
            if i + 2 * n > len(toks):
                break
            unit = toks[i:i + n]
            if not all(unit):
                continue
            reps = 1
            while toks[i + reps * n:i + (reps + 1) * n] == unit:
                reps += 1
            need = min_repeats_single if n == 1 else min_repeats_phrase
            if reps >= need and (best is None or reps * n > best[0] * best[1]):
                best = (reps, n)
        if best:
            reps, n = best
            cut = slice(i + n, i + reps * n)
            removed.append(f"{_text_of(tuple(keep[i:i + n]))} ×{reps - 1}")
            del toks[cut]
            del keep[cut]
            i += n
        else:
            i += 1
    return tuple(keep), removed


def _text_of(words: tuple[AsrWord, ...]) -> str:
    return "".join(w.text for w in words).strip()


def filter_segments(segments: list[AsrSegment]) -> tuple[list[AsrSegment], FilterReport]:
    """Drop hallucinated segments, collapse repetition loops, drop repeated duplicates.

    Returns the cleaned segments and a :class:`FilterReport`. Segments whose loops were
    collapsed keep their place and get the flag ``"repetition"``.
    """
    out: list[AsrSegment] = []
    halluc = reps = 0
    dropped: list[str] = []
    prev_key = None
    dup_run = 0
    for seg in segments:
        if is_hallucination(seg):
            halluc += 1
            dropped.append(seg.text.strip())
            continue
        key = normalise(seg.text)
        # the same sentence emitted segment after segment is a loop across segments
        dup_run = dup_run + 1 if key == prev_key and len(key.split()) >= 2 else 0
        prev_key = key
        if dup_run >= 2:
            reps += 1
            dropped.append(seg.text.strip())
            continue
        if seg.words:
            kept, removed = collapse_loops(seg.words)
            if removed:
                reps += 1
                dropped.extend(removed)
                seg = replace(seg, words=kept, text=_text_of(kept), flags=(*seg.flags, "repetition"))
        if normalise(seg.text):
            out.append(seg)
    return out, FilterReport(halluc, reps, tuple(dropped))

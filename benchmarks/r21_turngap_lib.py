"""Round 21 (turngap), measured and not shipped: the stretches of ONE diarized voice's speech that the batched
transcription left without words, decoded again packed into shared Whisper windows (per voice, or the voices
one after the other). Used by ``r21_turngap_eval.py`` and ``r21_turngap_guard.py``; tested by
``tests/test_r21_turngap.py``. Why it is not in ``sessionscope``: on the short development files it recovers as many
words as round 9's ``asr.recover_gaps`` (N = 2 s) for ~70 % of its CPU (or 88 % of them for half); but on one long
recording, windows holding 6-10 stretches skip again (41-44 % of round 9's words), and a voice's window of its own
lets Whisper invent text where the diarization and the VAD both took reversed-speech babble for a voice
(docs/benchmarks/audio.md, round 21).
"""

from __future__ import annotations

import logging
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Optional

import numpy as np

from sessionscope.audio.asr import MAX_WORD_S, decode_clips, splice
from sessionscope.audio.decode import SAMPLE_RATE
from sessionscope.audio.hallucination import AsrSegment, AsrWord, FilterReport
from sessionscope.config import AsrConfig

log = logging.getLogger(__name__)

Span = tuple[float, float]
#: a stretch of one voice's speech without words: (start, end, speaker label)
VoiceStretch = tuple[float, float, str]
#: the longest packed clip of one voice's stretches (s): one Whisper window (30 s) with room to spare
TURN_CLIP_S = 28.0
#: silence (s of zeros) between two stretches packed into one clip (0.3, 0.5, 1 s measured: 0.3 best, by little)
TURN_SEP_S = 0.3
#: each stretch widened by this much on each side (a word cut by a turn's edge; :func:`turn_stretches`)
TURN_PAD_S = 0.3


def _union(spans: Sequence[Span]) -> list[Span]:
    """The union of ``spans`` as sorted, disjoint intervals."""
    out: list[Span] = []
    for a, b in sorted(spans):
        if b <= a:
            continue
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _minus(spans: Sequence[Span], cut: Sequence[Span]) -> list[Span]:
    """Sorted, disjoint ``spans`` with the sorted, disjoint ``cut`` removed."""
    out: list[Span] = []
    j = 0
    for a, b in spans:
        while j < len(cut) and cut[j][1] <= a:
            j += 1
        k, lo = j, a
        while k < len(cut) and cut[k][0] < b:
            if cut[k][0] > lo:
                out.append((lo, cut[k][0]))
            lo = max(lo, cut[k][1])
            k += 1
        if lo < b:
            out.append((lo, b))
    return out


def turn_stretches(speech: Sequence[Span], turns: Sequence[Any], words: Sequence[AsrWord], *, min_s: float,
                   max_word_s: float = MAX_WORD_S, other_voice_only: bool = False,
                   around_s: float = 15.0, pad_s: float = 0.0, min_voice_words: int = 0) -> list[VoiceStretch]:
    """Stretches of ONE diarized voice's speech, both detectors agreeing, that hold no word, by time.

    A voice's single-voice regions are the union of its ``turns`` (objects with ``start``, ``end``,
    ``speaker``) less every other voice's turns. Each region is split at the delivered words (a word
    covers at most ``max_word_s`` from its start, as in :func:`uncovered`); a piece between words that holds
    ``min_s`` or more of the transcription's VAD ``speech`` inside the region is a stretch, from its first to its
    last such speech, in pieces of at most :data:`TURN_CLIP_S`. Speech only one detector hears (the
    diarization's turn over a VAD silence, or VAD speech nobody's turn covers or two voices share) is never
    decoded. ``other_voice_only``: only stretches whose voice is not the one holding most words in the
    ``around_s`` on each side (the voice a single decode of a two-voice chunk passes over). ``pad_s``: each
    stretch widened by that much on each side (a word cut by a turn's edge), never over a word's covered span
    nor into the next stretch (two neighbours meet halfway). ``min_voice_words``: only voices whose turns hold at
    least that many delivered words (a voice the first pass never transcribed, e.g. a babble or noise cluster,
    gets no window of its own to invent in).
    """
    vad = _union(speech)
    covered = _union([(w.start, min(w.end, w.start + max_word_s)) for w in words])
    by_voice: dict[str, list[Span]] = {}
    for t in turns:
        by_voice.setdefault(t.speaker, []).append((float(t.start), float(t.end)))
    voices = {k: _union(v) for k, v in by_voice.items()}
    if min_voice_words > 0:
        mids = sorted((w.start + w.end) / 2 for w in words)
        held = {k: sum(bisect_right(mids, b) - bisect_left(mids, a) for a, b in v) for k, v in voices.items()}
        voices = {k: v for k, v in voices.items() if held[k] >= min_voice_words}
    out: list[VoiceStretch] = []
    for spk, own in voices.items():
        others = _union([sp for k, v in voices.items() if k != spk for sp in v])
        for ra, rb in _minus(own, others):
            # the region's word-free pieces: cut at every covered span, splitting where a word lies
            for pa, pb in _minus([(ra, rb)], covered):
                parts = _minus([(pa, pb)], _minus([(pa, pb)], vad))  # VAD speech inside the piece
                if parts and sum(b - a for a, b in parts) >= min_s:
                    a, b = parts[0][0], parts[-1][1]
                    out += [(t, min(b, t + TURN_CLIP_S), spk) for t in np.arange(a, b, TURN_CLIP_S).tolist()
                            if min(b, t + TURN_CLIP_S) > t]
    out.sort()
    if pad_s > 0:
        out = _padded(out, covered, pad_s)
    if other_voice_only:
        out = [st for st in out if _main_voice(st, turns, words, around_s) not in (None, st[2])]
    return out


def _padded(stretches: list[VoiceStretch], covered: Sequence[Span], pad_s: float) -> list[VoiceStretch]:
    """``stretches`` (sorted) widened by ``pad_s`` each side, stopping at the ``covered`` spans and halfway to a
    neighbouring stretch."""
    ends, starts = [b for _, b in covered], [a for a, _ in covered]
    out: list[VoiceStretch] = []
    for i, (a, b, spk) in enumerate(stretches):
        j = bisect_right(ends, a)  # covered spans ending at or before a: the last of them bounds the left
        lo = max(a - pad_s, ends[j - 1] if j else float("-inf"), 0.0)
        k = bisect_left(starts, b)
        hi = min(b + pad_s, starts[k] if k < len(starts) else float("inf"))
        if i and stretches[i - 1][1] > a - 2 * pad_s:
            lo = max(lo, min(a, (stretches[i - 1][1] + a) / 2))
        if i + 1 < len(stretches) and stretches[i + 1][0] < b + 2 * pad_s:
            hi = min(hi, max(b, (stretches[i + 1][0] + b) / 2))
        out.append((min(lo, a), max(hi, b), spk))
    return out


def _main_voice(st: VoiceStretch, turns: Sequence[Any], words: Sequence[AsrWord], around_s: float) -> Optional[str]:
    """The voice whose turns hold most of the words within ``around_s`` of the stretch (None: no word there)."""
    a, b, _ = st
    count: dict[str, int] = {}
    for w in words:
        mid = (w.start + w.end) / 2
        if a - around_s <= mid <= b + around_s:
            for t in turns:
                if t.start <= mid <= t.end:
                    count[t.speaker] = count.get(t.speaker, 0) + 1
    return max(count, key=lambda k: count[k]) if count else None


#: a packed clip: its pieces as (offset in the clip (s), start in the recording (s), length (s))
Clip = list[tuple[float, float, float]]


def pack_by_voice(stretches: Sequence[VoiceStretch], *, clip_s: float = TURN_CLIP_S, sep_s: float = TURN_SEP_S,
                  one_voice: bool = True, max_per_clip: int = 0) -> list[Clip]:
    """Each voice's stretches, in time order, packed into clips of at most ``clip_s`` with ``sep_s`` of silence
    between them (one Whisper window per clip, one voice per window). Clips are ordered by their first stretch.
    ``one_voice`` off: the voices' stretches one voice after the other, sharing clips. ``max_per_clip`` (> 0): at most
    that many stretches per clip."""
    clips: list[tuple[float, Clip]] = []
    groups = [sorted(st for st in stretches if st[2] == spk) for spk in sorted({s for _, _, s in stretches})]
    if not one_voice:
        groups = [[st for g in groups for st in g]]
    for group in groups:
        cur: Clip = []
        end = 0.0
        for a, b, _ in group:
            n = min(b - a, clip_s)
            if cur and (end + sep_s + n > clip_s or 0 < max_per_clip <= len(cur)):
                clips.append((cur[0][1], cur))
                cur, end = [], 0.0
            off = end + sep_s if cur else 0.0
            cur.append((off, a, n))
            end = off + n
        if cur:
            clips.append((cur[0][1], cur))
    return [c for _, c in sorted(clips, key=lambda x: x[0])]


def clip_audio(samples: np.ndarray, clips: Sequence[Clip], *, offset_s: float = 0.0
               ) -> tuple[np.ndarray, list[float]]:
    """The clips' audio back to back (pieces of ``samples``, zeros between them) and each clip's start (s) in it.
    ``samples`` start at ``offset_s`` in the recording."""
    parts: list[np.ndarray] = []
    starts: list[float] = []
    pos = 0
    for clip in clips:
        starts.append(pos / SAMPLE_RATE)
        length = int(round((clip[-1][0] + clip[-1][2]) * SAMPLE_RATE))
        buf = np.zeros(length, dtype=np.float32)
        for off, start, n in clip:
            i = int(round((start - offset_s) * SAMPLE_RATE))
            piece = samples[max(0, i):max(0, i) + int(round(n * SAMPLE_RATE))]
            j = int(round(off * SAMPLE_RATE))
            piece = piece[:max(0, length - j)]
            buf[j:j + len(piece)] = piece
        parts.append(buf)
        pos += length
    return (np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)), starts


#: the most words a decoded piece may hold per second of it (+2): more is a repetition loop that Whisper's word
#: alignment squeezed into the piece
MAX_WORDS_PER_S = 5.0
#: a decoded piece whose words start a word trigram already said in it this often (and for a quarter of its words
#: or more) is a loop of a sentence too long for :func:`~sessionscope.audio.hallucination.collapse_loops` (round 21:
#: a far-field clip looped an 18-word sentence four times)
MAX_REPEATED_TRIGRAMS = 4


def _repeated_trigrams(words: Sequence[AsrWord]) -> int:
    """How many of ``words`` start a word trigram already said before them in ``words``."""
    toks = ["".join(ch for ch in w.text.lower() if ch.isalnum()) for w in words]
    seen: set[tuple[str, ...]] = set()
    n = 0
    for i in range(len(toks) - 2):
        tri = tuple(toks[i:i + 3])
        n += tri in seen
        seen.add(tri)
    return n


def map_clip_words(segments: Sequence[AsrSegment], clips: Sequence[Clip], starts: Sequence[float], *,
                   max_words_per_s: float = MAX_WORDS_PER_S) -> list[AsrSegment]:
    """Segments decoded on :func:`clip_audio`'s array, moved to recording time.

    A word is kept only when its middle lies inside a piece (not in a separator, not past the clip); its times
    are moved by that piece's shift and kept inside it. A segment whose words fall in several pieces is split
    into one segment per run of words of one piece (Whisper's scores copied); a segment with no word kept is dropped.
    A piece that receives more than ``max_words_per_s`` words per second of it (+2), or whose words repeat a
    trigram :data:`MAX_REPEATED_TRIGRAMS` times or more (a quarter of them or more), gets none: a loop.
    """
    pieces = sorted((s0 + off, s0 + off + n, start - (s0 + off)) for clip, s0 in zip(clips, starts, strict=True)
                    for off, start, n in clip)
    lows = [p[0] for p in pieces]
    runs: list[tuple[AsrSegment, int, list[AsrWord]]] = []  # (segment, piece, its words there, moved)
    for seg in segments:
        for w in seg.words:
            mid = (w.start + w.end) / 2
            i = bisect_right(lows, mid) - 1
            if i < 0 or mid > pieces[i][1]:
                continue
            lo, hi, shift = pieces[i]
            moved = AsrWord(w.text, max(lo, w.start) + shift, min(hi, w.end) + shift, w.probability)
            if runs and runs[-1][0] is seg and runs[-1][1] == i:
                runs[-1][2].append(moved)
            else:
                runs.append((seg, i, [moved]))
    looped = set()
    for i, (lo, hi, _) in enumerate(pieces):
        ws = [w for _, j, run in runs if j == i for w in run]
        reps = _repeated_trigrams(ws)
        if len(ws) > max_words_per_s * (hi - lo) + 2 or (reps >= MAX_REPEATED_TRIGRAMS and 4 * reps >= len(ws)):
            looped.add(i)
    if looped:
        log.info("dropped the words of %d decoded stretch(es) that looped", len(looped))
    out = [replace(seg, start=ws[0].start, end=ws[-1].end, text="".join(w.text for w in ws).strip(), words=tuple(ws))
           for seg, i, ws in runs if i not in looped]
    return sorted(out, key=lambda s: s.start)


def recover_turns(pipe: Any, samples: np.ndarray, segments: list[AsrSegment], report: FilterReport,
                  speech: Sequence[Span], turns: Sequence[Any], *, language: str, config: AsrConfig, min_s: float,
                  sep_s: float = TURN_SEP_S, clip_s: float = TURN_CLIP_S, other_voice_only: bool = False,
                  one_voice: bool = True, pad_s: float = TURN_PAD_S, min_voice_words: int = 0, max_per_clip: int = 0,
                  offset_s: float = 0.0) -> tuple[list[AsrSegment], FilterReport, list[VoiceStretch]]:
    """Decode again the stretches of one diarized voice that hold no word (:func:`turn_stretches`), packed per voice.

    Each voice's stretches go into clips of at most ``clip_s`` (:func:`pack_by_voice`), one Whisper window per
    clip, all clips in one small batch (the same beam, language and word timings); the segments pass the same
    hallucination filter, their words are moved back to recording time (:func:`map_clip_words`) and spliced in
    (:func:`splice`, flag ``"recovered"``). Returns (segments, the combined filter report, the stretches decoded).
    """
    stretches = turn_stretches(speech, turns, [w for s in segments for w in s.words], min_s=min_s,
                               other_voice_only=other_voice_only, pad_s=pad_s, min_voice_words=min_voice_words)
    if not stretches:
        return segments, report, []
    clips = pack_by_voice(stretches, clip_s=clip_s, sep_s=sep_s, one_voice=one_voice, max_per_clip=max_per_clip)
    audio, starts = clip_audio(samples, clips, offset_s=offset_s)
    kept, again = decode_clips(pipe, audio, [(s0, s0 + clip[-1][0] + clip[-1][2]) for clip, s0 in zip(clips, starts, strict=True)],
                                language=language, config=config)
    merged = splice(segments, map_clip_words(kept, clips, starts), [(a, b) for a, b, _ in stretches])
    log.info("decoded %d stretch(es) of one voice without words again in %d window(s) (%.1f s): %d word(s) recovered",
             len(stretches), len(clips), sum(b - a for a, b, _ in stretches),
             sum(len(s.words) for s in merged) - sum(len(s.words) for s in segments))
    return merged, report + again, stretches

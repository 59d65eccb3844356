"""Words → speakers → utterances (pure logic, no models).

With a diarization, utterances are its speaker turns (:func:`utterances_from_turns`):
talk time, turns and overlaps are the diarization's, the words fill them in. Without one
(or per channel), utterances are runs of words. Each word goes to the speaker whose turns overlap it most (nearest turn when none
does, e.g. a word just outside the VAD edge). Utterances are cut at every speaker change
and at long pauses. Overlapping speech is kept as overlap: when the recording has one
channel per person each channel is transcribed separately and utterances of different
people may overlap in time, which the dynamics stage counts as interruptions and
backchannels; words spoken while another speaker's turn is active are flagged
``"overlap"``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sessionscope.analysis import intervals as iv
from sessionscope.audio.diarize import SpeakerTurn
from sessionscope.audio.hallucination import AsrSegment, AsrWord


@dataclass(frozen=True)
class LabeledWord:
    """A word with the speaker label it was given."""

    word: AsrWord
    speaker: str
    overlap: bool = False
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class RawUtterance:
    """An utterance before speaker labels are mapped to participants.

    Its times are the speaker turn's (``span``) when it comes from the diarization, else
    its words'. A turn in which no word was recognised has no words: it still counts as
    talk time.
    """

    speaker: str
    words: tuple[LabeledWord, ...]
    span: tuple[float, float] | None = None

    @property
    def start(self) -> float:
        return self.span[0] if self.span is not None else self.words[0].word.start

    @property
    def end(self) -> float:
        return self.span[1] if self.span is not None else self.words[-1].word.end

    @property
    def text(self) -> str:
        return "".join(w.word.text for w in self.words).strip()


class TurnIndex:
    """Turns sorted by start, for fast overlap queries."""

    def __init__(self, turns: Sequence[SpeakerTurn]) -> None:
        self.turns = sorted(turns, key=lambda t: t.start)
        self.starts = [t.start for t in self.turns]
        self.max_len = max((t.end - t.start for t in self.turns), default=0.0)

    def overlaps(self, start: float, end: float) -> dict[str, float]:
        """Seconds of overlap of [start, end] with each speaker's turns."""
        out: dict[str, float] = {}
        i = bisect_left(self.starts, start - self.max_len)
        while i < len(self.turns) and self.turns[i].start < end:
            t = self.turns[i]
            ov = min(end, t.end) - max(start, t.start)
            if ov > 0:
                out[t.speaker] = out.get(t.speaker, 0.0) + ov
            i += 1
        return out

    def nearest(self, start: float, end: float) -> str | None:
        """The speaker of the turn closest in time."""
        if not self.turns:
            return None
        mid = (start + end) / 2
        i = bisect_left(self.starts, mid)
        cands = self.turns[max(0, i - 3): i + 3]
        best = min(cands, key=lambda t: 0.0 if t.start <= mid <= t.end else min(abs(mid - t.start), abs(mid - t.end)))
        return best.speaker


def assign_words(segments: Sequence[AsrSegment], turns: Sequence[SpeakerTurn], *,
                 default: str = "SPEAKER_00", overlap_min: float = 0.5, snap: bool = True) -> list[LabeledWord]:
    """Give every word a speaker label; flag words largely inside another speaker's turn.

    Segments without word timings are treated as one long word. ``snap``: move speaker
    changes to the nearest plausible word boundary (:func:`snap_changes`).
    """
    index = TurnIndex(turns)
    out: list[LabeledWord] = []
    for seg in segments:
        words = seg.words or (AsrWord(seg.text, seg.start, seg.end, 1.0),)
        for w in words:
            ov = index.overlaps(w.start, max(w.end, w.start + 0.01))
            if ov:
                spk = max(ov, key=ov.__getitem__)
                dur = max(w.end - w.start, 0.01)
                others = sum(v for k, v in ov.items() if k != spk)
                overlap = others / dur >= overlap_min
            else:
                spk, overlap = index.nearest(w.start, w.end) or default, False
            out.append(LabeledWord(w, spk, overlap, seg.flags if w is words[0] else ()))
    return snap_changes(out) if snap else out


def snap_changes(words: list[LabeledWord], *, reach: int = 3) -> list[LabeledWord]:
    """Move each speaker change to the most plausible word boundary nearby.

    Diarization turns are accurate to a few hundred milliseconds, words to tens: a change
    that falls inside a phrase is moved (by up to ``reach`` words) to the boundary with
    the longest pause, preferring one after sentence-final punctuation.
    """
    out = list(words)

    def score(k: int) -> float:  # boundary between out[k-1] and out[k]
        gap = out[k].word.start - out[k - 1].word.end
        punct = out[k - 1].word.text.rstrip().endswith((".", "?", "!", "…"))
        return gap + (0.5 if punct else 0.0) + (0.1 if out[k - 1].word.text.rstrip().endswith(",") else 0.0)

    k = 1
    while k < len(out):
        a, b = out[k - 1].speaker, out[k].speaker
        if a != b:
            lo, hi = max(1, k - reach), min(len(out) - 1, k + reach)
            # candidates must keep the run structure: only positions inside a..b runs
            cands = [j for j in range(lo, hi + 1)
                     if all(out[i].speaker == a for i in range(min(j, k), k)) and all(out[i].speaker == b for i in range(k, max(j, k)))]
            best = max(cands, key=lambda j: score(j) - 0.02 * abs(j - k), default=k)  # ties: stay close
            if best != k:
                for i in range(min(best, k), max(best, k)):
                    out[i] = LabeledWord(out[i].word, a if best > k else b, out[i].overlap, out[i].flags)
                k = max(best, k)
        k += 1
    return out


def group_utterances(words: Sequence[LabeledWord], *, max_pause_s: float = 2.0) -> list[RawUtterance]:
    """Consecutive words of one speaker form an utterance, cut at pauses over ``max_pause_s``.

    Words are taken in time order per speaker, so two speakers' utterances may overlap
    (channel-per-speaker input); within one stream a speaker change always cuts.
    """
    out: list[RawUtterance] = []
    current: list[LabeledWord] = []
    for lw in sorted(words, key=lambda x: x.word.start):
        if current and (lw.speaker != current[-1].speaker or lw.word.start - current[-1].word.end > max_pause_s):
            out.append(RawUtterance(current[-1].speaker, tuple(current)))
            current = []
        current.append(lw)
    if current:
        out.append(RawUtterance(current[-1].speaker, tuple(current)))
    return [u for u in out if u.text]


def utterances_from_turns(segments: Sequence[AsrSegment], turns: Sequence[SpeakerTurn], *,
                          attach_s: float = 1.0) -> list[RawUtterance]:
    """The diarization's speaker turns as utterances, each with the words its speaker said in it.

    Talk time and turns come from the diarization (overlaps kept); transcription only
    fills in the words. A word goes to the speaker whose turns cover it most, then to
    that speaker's turn containing (or nearest to) its middle; a turn with no words stays
    an utterance without text (speech without recognised words). A word further than
    ``attach_s`` from every turn of its speaker (speech the diarization missed) becomes
    an utterance of its own, with its run of neighbours. Utterance times are the turn's
    (Whisper's word times spill into pauses by a few hundred ms: widening turns to words
    made the delivered output 10 points of DER worse than the diarization on the simulated
    conversations, all false alarm), so a word attached from just outside keeps its own times.
    """
    if not turns:
        return group_utterances(assign_words(segments, turns, snap=False))
    words = assign_words(segments, turns, snap=False)
    by_speaker: dict[str, list[int]] = {}
    ordered = sorted(turns, key=lambda t: (t.start, t.speaker))
    for i, t in enumerate(ordered):
        by_speaker.setdefault(t.speaker, []).append(i)
    bucket: dict[int, list[LabeledWord]] = {}
    stray: list[LabeledWord] = []
    for lw in words:
        mid = (lw.word.start + lw.word.end) / 2
        cands = by_speaker.get(lw.speaker, [])
        if not cands:
            stray.append(lw)
            continue
        best = min(cands, key=lambda i: 0.0 if ordered[i].start <= mid <= ordered[i].end
                   else min(abs(mid - ordered[i].start), abs(mid - ordered[i].end)))
        t = ordered[best]
        if t.start - attach_s <= mid <= t.end + attach_s:
            bucket.setdefault(best, []).append(lw)
        else:
            stray.append(lw)
    out: list[RawUtterance] = []
    for i, t in enumerate(ordered):
        ws = tuple(sorted(bucket.get(i, []), key=lambda x: x.word.start))
        out.append(RawUtterance(t.speaker, ws, (round(t.start, 3), round(t.end, 3))))
    out.extend(group_utterances(stray))
    out.sort(key=lambda u: (u.start, u.speaker))
    return out


def group_by_stream(streams: dict[str, Sequence[AsrSegment]], *, max_pause_s: float = 2.0) -> list[RawUtterance]:
    """Channel-per-speaker input: each stream is one speaker; utterances may overlap across streams."""
    out: list[RawUtterance] = []
    for speaker, segments in streams.items():
        words = [LabeledWord(w, speaker, False, seg.flags) for seg in segments
                 for w in (seg.words or (AsrWord(seg.text, seg.start, seg.end, 1.0),))]
        out.extend(group_utterances(words, max_pause_s=max_pause_s))
    out.sort(key=lambda u: (u.start, u.speaker))
    # mark words that overlap another speaker's utterance
    marked: list[RawUtterance] = []
    for u in out:
        others = [v for v in out if v.speaker != u.speaker and v.start < u.end and v.end > u.start]
        if not others:
            marked.append(u)
            continue
        ws = tuple(LabeledWord(w.word, w.speaker, any(v.start < w.word.end and v.end > w.word.start for v in others), w.flags)
                   for w in u.words)
        marked.append(RawUtterance(u.speaker, ws))
    return marked


def speaker_text(utterances: Sequence[RawUtterance]) -> dict[str, str]:
    """All text per speaker label, in order (for self-introduction search)."""
    out: dict[str, list[str]] = {}
    for u in utterances:
        if u.text:
            out.setdefault(u.speaker, []).append(u.text)
    return {k: " ".join(v) for k, v in out.items()}


def first_speech(utterances: Sequence[RawUtterance]) -> dict[str, float]:
    """When each speaker label first spoke."""
    out: dict[str, float] = {}
    for u in utterances:
        out.setdefault(u.speaker, u.start)
        out[u.speaker] = min(out[u.speaker], u.start)
    return out


@dataclass(frozen=True)
class FillParams:
    """Where the transcription heard words but the diarization marks nobody (:func:`fill_gaps`).

    Defaults chosen on development data only (round 9: two simulated far-field meeting sets, the
    pyannote AMI excerpts, the libri-dev conversations; docs/benchmarks/audio.md).
    """

    whole: bool = True  # only words no turn touches (the uncovered ends of partly covered words are mostly time spill)
    touch_s: float = 0.15  # ... nor comes this close to (a turn's last word often spills into the pause after it)
    min_word_s: float = 0.1  # shorter words are no evidence (Whisper gives words it could not place almost no length)
    pad_to_s: float = 0.3  # an evidence word spans at least this long, around its middle
    min_s: float = 0.0  # uncovered word-backed stretches shorter than this are left alone
    join_s: float = 0.3  # words closer than this form one stretch
    adjacent_s: float = 0.25  # a stretch this close to a turn takes that turn's speaker
    bridge: bool = False  # also cover the pause between the stretch and the adjacent turn
    embed_min_s: float = 0.5  # a stretch farther from every turn is embedded when at least this long (0: never)
    vad: bool = False  # also the transcription's VAD regions (not only words) as evidence (more false alarm than speech)
    rescore_adjacent: bool = False  # an adjacent stretch of at least embed_min_s is embedded too: the voice it matches ...
    rescore_margin: float = 0.0  # ... better than the neighbour's by more than this (cosine) takes it


def uncovered(spans: Sequence[tuple[float, float]], turns: Sequence[SpeakerTurn]) -> list[tuple[float, float]]:
    """The parts of ``spans`` that no turn (of any speaker) covers."""
    cover = sorted((t.start, t.end) for t in turns)
    out: list[tuple[float, float]] = []
    for s, e in spans:
        cur = s
        for a, b in cover:
            if b <= cur or a >= e:
                continue
            if a > cur:
                out.append((cur, a))
            cur = max(cur, b)
            if cur >= e:
                break
        if cur < e:
            out.append((cur, e))
    return out


def word_spans(segments: Sequence[AsrSegment], *, join_s: float, pad_to_s: float = 0.0, min_word_s: float = 0.0,
               skip: Callable[[float, float], bool] | None = None) -> list[tuple[float, float]]:
    """Stretches of recognised words, each at least ``pad_to_s`` long around its middle, words closer than
    ``join_s`` joined; words shorter than ``min_word_s`` or for which ``skip(start, end)`` is true are left out."""
    out: list[tuple[float, float]] = []
    for w in sorted((w for seg in segments for w in seg.words), key=lambda w: w.start):
        if w.end - w.start < min_word_s or (skip is not None and skip(w.start, w.end)):
            continue
        mid, half = (w.start + w.end) / 2, max(w.end - w.start, pad_to_s) / 2
        s, e = max(0.0, mid - half), mid + half
        if out and s - out[-1][1] <= join_s:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _adjacent(index: TurnIndex, s: float, e: float, reach: float) -> SpeakerTurn | None:
    """The turn ending or starting closest to [s, e], if within ``reach``."""
    i = bisect_left(index.starts, e + reach)
    cands = [t for t in index.turns[max(0, i - 50): i] if t.end >= s - reach and t.start <= e + reach]
    if not cands:
        return None
    return min(cands, key=lambda t: max(0.0, s - t.end, t.start - e))


def fill_gaps(turns: Sequence[SpeakerTurn], segments: Sequence[AsrSegment], *, params: FillParams = FillParams(),
              speech: Sequence[tuple[float, float]] = (),
              voice_of: Callable[[float, float], str | None] | None = None,
              voice_sims: Callable[[float, float], dict[str, float]] | None = None) -> list[SpeakerTurn]:
    """The turns plus a turn for each stretch with recognised words (or, with ``params.vad``, VAD speech)
    that no turn covers: speech the segmentation model did not mark.

    The stretch's speaker: that of the turn within ``adjacent_s`` (its closest edge); else
    ``voice_of(start, end)`` (nearest voice by embedding) when the stretch is at least
    ``embed_min_s`` long; else the speaker of the nearest turn. Without any turn nothing is added.
    ``voice_sims(start, end)``: cosine similarity of the stretch to each voice (then ``voice_of`` is its
    best); with ``params.rescore_adjacent`` an adjacent stretch goes to the best voice instead of the
    neighbour's when that voice is more similar by more than ``params.rescore_margin``.
    """
    if not turns:
        return list(turns)
    if voice_of is None and voice_sims is not None:
        voice_of = _best_of(voice_sims)
    index = TurnIndex(turns)
    pad = params.touch_s
    skip = (lambda s, e: bool(index.overlaps(s - pad, max(e, s + 0.01) + pad))) if params.whole else None
    spans = word_spans(segments, join_s=params.join_s, pad_to_s=params.pad_to_s, min_word_s=params.min_word_s, skip=skip)
    if params.vad:
        spans = sorted([*spans, *speech])
    added: list[SpeakerTurn] = []
    for s, e in iv.merge(uncovered(spans, turns)):
        if e - s < params.min_s:
            continue
        near = _adjacent(index, s, e, params.adjacent_s)
        if near is not None:
            who = near.speaker
            if params.rescore_adjacent and voice_sims is not None and params.embed_min_s > 0 and e - s >= params.embed_min_s:
                sims = voice_sims(s, e)
                best = max(sims, key=sims.__getitem__) if sims else who
                if best != who and sims[best] - sims.get(who, -1.0) > params.rescore_margin:
                    who = best
            if params.bridge:
                s, e = (near.end, e) if near.end <= s else (s, near.start)  # a stretch never overlaps a turn
            added.append(SpeakerTurn(round(s, 3), round(e, 3), who))
            continue
        spk = voice_of(s, e) if voice_of is not None and params.embed_min_s > 0 and e - s >= params.embed_min_s else None
        spk = spk or index.nearest(s, e)
        if spk is not None:
            added.append(SpeakerTurn(round(s, 3), round(e, 3), spk))
    return sorted([*turns, *added], key=lambda t: (t.start, t.speaker))


def _best_of(voice_sims: Callable[[float, float], dict[str, float]]) -> Callable[[float, float], str | None]:
    def voice_of(start: float, end: float) -> str | None:
        sims = voice_sims(start, end)
        return max(sims, key=sims.__getitem__) if sims else None

    return voice_of


@dataclass(frozen=True)
class RescoreParams:
    """Stretches of words inside one talker's turn re-scored against the voices (:func:`rescore_stretches`).

    Defaults chosen on development data only (issue 11, round 17: two simulated far-field meeting sets, the
    pyannote AMI excerpts, the libri-dev conversations, the TTS examples; docs/benchmarks/audio.md).
    """

    min_s: float = 0.75  # stretches of words shorter than this are not embedded
    join_s: float = 0.3  # words of the talker closer than this form one stretch
    margin: float = 0.1  # another voice must be more similar than the talker's by more than this (cosine)
    mode: str = "relabel"  # "relabel": that voice speaks there instead; "add": it also speaks there (overlap; measured worse)


def rescore_stretches(turns: Sequence[SpeakerTurn], segments: Sequence[AsrSegment], *,
                      voice_sims: Callable[[list[tuple[float, float]]], list[dict[str, float]]],
                      params: RescoreParams = RescoreParams()) -> list[SpeakerTurn]:
    """Re-score stretches of recognised words that lie inside one talker's turn (no other voice active there)
    against the voices: where another voice matches the stretch's embedding better than the talker's by more
    than ``params.margin``, that voice takes the stretch (the talker's turn is cut around it) or, with
    ``mode="add"``, is added over it as overlapped speech. ``voice_sims(spans)``: per span, the cosine
    similarity of its embedding to each voice (all stretches in one call, so the embeddings are batched).
    With fewer than two voices nothing changes."""
    voices = {t.speaker for t in turns}
    if len(voices) < 2:
        return list(turns)
    index = TurnIndex(turns)
    stretches: list[tuple[float, float, str]] = []
    for w in sorted((w for seg in segments for w in seg.words), key=lambda w: w.start):
        ov = index.overlaps(w.start, max(w.end, w.start + 0.01))
        if len(ov) != 1:
            continue
        spk = next(iter(ov))
        if stretches and stretches[-1][2] == spk and w.start - stretches[-1][1] <= params.join_s:
            stretches[-1] = (stretches[-1][0], max(stretches[-1][1], w.end), spk)
        else:
            stretches.append((w.start, w.end, spk))
    stretches = [x for x in stretches if x[1] - x[0] >= params.min_s]
    scored = voice_sims([(s, e) for s, e, _ in stretches]) if stretches else []
    out = list(turns)
    for (s, e, spk), sims in zip(stretches, scored, strict=True):
        if not sims:
            continue
        best = max(sims, key=sims.__getitem__)
        if best == spk or sims[best] - sims.get(spk, -1.0) <= params.margin:
            continue
        if params.mode == "relabel":
            cut: list[SpeakerTurn] = []
            for t in out:
                if t.speaker != spk or t.end <= s or t.start >= e:
                    cut.append(t)
                    continue
                cut.extend(SpeakerTurn(a, b, spk) for a, b in ((t.start, s), (e, t.end)) if b - a > 0)
            out = cut
        out.append(SpeakerTurn(round(s, 3), round(e, 3), best))
    return sorted(out, key=lambda t: (t.start, t.speaker))


def fold_wordless_voices(turns: Sequence[SpeakerTurn], segments: Sequence[AsrSegment], *,
                         min_s: float = 0.5) -> list[SpeakerTurn]:
    """Voices with less than ``min_s`` of speech in all and no recognised word are not speakers of their own.

    A forced or bounded count can split a wordless blip (a breath, a click, 0.2 s) off a single talker
    (issue 11, round 16: ru-pisets test_sound_ru.wav, one voice, forced to two by its manifest). Each
    turn of such a voice goes to the other voice it overlaps most, else to the voice of the nearest
    other turn; with no other voice, or no transcription at all, the turns stay as they are.
    """
    total: dict[str, float] = {}
    for t in turns:
        total[t.speaker] = total.get(t.speaker, 0.0) + (t.end - t.start)
    if len(total) < 2 or min_s <= 0 or not segments:  # no transcription: no evidence either way
        return list(turns)
    worded = {lw.speaker for lw in assign_words(segments, turns, snap=False)}
    weak = {s for s, v in total.items() if v < min_s and s not in worded}
    if not weak or len(weak) == len(total):
        return list(turns)
    index = TurnIndex([t for t in turns if t.speaker not in weak])
    out: list[SpeakerTurn] = []
    for t in turns:
        if t.speaker in weak:
            ov = index.overlaps(t.start, t.end)
            spk = max(ov, key=ov.__getitem__) if ov else index.nearest(t.start, t.end)
            t = SpeakerTurn(t.start, t.end, spk or t.speaker)
        out.append(t)
    return out


@dataclass(frozen=True)
class SeamParams:
    """Seamless speaker changes inside running words, checked against the voices (:func:`check_seams`).

    Chosen on the even-indexed half of the development files and confirmed on the odd half (issue 11, round 22:
    the LibriSpeech development conversations and their five call versions, the two simulated far-field meeting
    sets, the pyannote AMI excerpts and sample; ``benchmarks/r22_wdiar_seams.py``).
    """

    pause_s: float = 0.3  # words run across the change: none of their pauses near it, or around a piece, is longer
    gap_s: float = 0.02  # the next label's turn starts at most this long after the last one's ends
    min_s: float = 0.3  # a piece shorter than this is not embedded
    margin: float = 0.0  # the other side's voice must match the piece better by more than this (cosine)


@dataclass(frozen=True)
class Seam:
    """A seamless speaker change: the turns before and after (indexes into the sorted turns), where the first
    ends and the second starts, and the lengths of the pieces of running words on each side (within their turns)."""

    before: int
    after: int
    at: float
    to: float
    left_s: float
    right_s: float


def _run_from(words: Sequence[tuple[float, float]], t: float, side: int, pause_s: float) -> float:
    """How far the words run from ``t`` to the right (``side`` > 0) or left before a pause over ``pause_s``."""
    edge = t
    for s, e in (words if side > 0 else reversed(words)):
        if (e <= t) if side > 0 else (s >= t):
            continue
        if ((s - edge) if side > 0 else (edge - e)) > pause_s:
            break
        edge = max(edge, e) if side > 0 else min(edge, s)
    return abs(edge - t)


def find_seams(turns: Sequence[SpeakerTurn], segments: Sequence[AsrSegment], *,
               params: SeamParams = SeamParams()) -> list[Seam]:
    """Seamless speaker changes (one label's turn ends where another's starts, within 20 ms) with recognised
    words running across them (a word within ``params.pause_s`` of the change): where the diarization's label
    switches inside one person's sentence (30 of the 69 on the choose half of the development files lie exactly
    where two 10 s segmentation chunks 5 s apart are stitched: 7.5, 12.5, ... s). ``turns`` sorted by start."""
    words = sorted((w.start, w.end) for seg in segments for w in seg.words)
    longest = max((e - s for s, e in words), default=0.0)
    starts = [w[0] for w in words]
    turn_starts = [b.start for b in turns]
    p = params.pause_s
    out: list[Seam] = []
    for i, a in enumerate(turns):
        t = a.end
        # the turns starting within [t - 0.02, t + gap_s] (sorted by start: a bisected window, not every turn)
        for j in range(bisect_left(turn_starts, t - 0.02), len(turns)):
            b = turns[j]
            if b.start - t > params.gap_s:
                break
            if b.speaker == a.speaker:
                continue
            # a word overlapping [t - p, b.start + p]: its start is at most b.start + p, and at least
            # t - p - (the longest word), since it ends at or after t - p
            lo, hi = bisect_left(starts, t - p - longest - 1e-6), bisect_left(starts, b.start + p)
            if any(words[k][1] >= t - p and words[k][0] <= b.start + p for k in range(lo, min(hi + 1, len(words)))):
                out.append(Seam(i, j, t, b.start, min(_run_from(words, t, -1, p), t - a.start),
                                min(_run_from(words, b.start, 1, p), b.end - b.start)))
    return out


def mend_seams(turns: Sequence[SpeakerTurn], seams: Sequence[Seam], sims: Sequence[dict[str, float]], *,
               params: SeamParams = SeamParams()) -> list[SpeakerTurn]:
    """Each seam's piece (at least ``params.min_s`` long) whose voice matches the other side's label better than its
    own by more than ``params.margin`` goes to the other side (the better-matching piece, when both would).
    ``sims``: per seam, the left then the right piece's similarity to each voice. ``turns`` as for :func:`find_seams`."""
    out: list[SpeakerTurn | None] = list(turns)
    for k, sm in enumerate(seams):
        a, b = out[sm.before], out[sm.after]
        if a is None or b is None:
            continue
        sl, sr, t = sims[2 * k], sims[2 * k + 1], sm.at
        gain_l = sl.get(b.speaker, -1.0) - sl.get(a.speaker, -1.0) if sm.left_s >= params.min_s and sl else -9.0
        gain_r = sr.get(a.speaker, -1.0) - sr.get(b.speaker, -1.0) if sm.right_s >= params.min_s and sr else -9.0
        if max(gain_l, gain_r) <= params.margin:
            continue
        if gain_l >= gain_r:
            cut = round(t - sm.left_s, 3)
            out[sm.before] = SpeakerTurn(a.start, cut, a.speaker) if cut > a.start + 0.01 else None
            out[sm.after] = SpeakerTurn(cut, b.end, b.speaker)
        else:
            cut = round(sm.to + sm.right_s, 3)
            out[sm.after] = SpeakerTurn(cut, b.end, b.speaker) if cut < b.end - 0.01 else None
            out[sm.before] = SpeakerTurn(a.start, cut, a.speaker)
    return sorted((x for x in out if x is not None), key=lambda x: (x.start, x.speaker))


def check_seams(turns: Sequence[SpeakerTurn], segments: Sequence[AsrSegment], *,
                voice_sims: Callable[[list[tuple[float, float]]], list[dict[str, float]]],
                params: SeamParams = SeamParams()) -> list[SpeakerTurn]:
    """Seamless speaker changes inside running words (:func:`find_seams`), checked against the voices: the piece
    of words on either side that matches the other side's voice moves to it (:func:`mend_seams`; one sentence no
    longer cut between two speakers). ``voice_sims`` as for
    :func:`rescore_stretches`; with fewer than two voices nothing changes."""
    ordered = sorted(turns, key=lambda t: (t.start, t.speaker))
    if len({t.speaker for t in ordered}) < 2:
        return ordered
    seams = find_seams(ordered, segments, params=params)
    if not seams:
        return ordered
    spans = [span for sm in seams for span in ((sm.at - sm.left_s, sm.at), (sm.to, sm.to + sm.right_s))]
    wanted = [k for k, (s, e) in enumerate(spans) if e - s >= params.min_s]  # shorter pieces are not embedded
    sims: list[dict[str, float]] = [{} for _ in spans]
    for k, v in zip(wanted, voice_sims([spans[k] for k in wanted]) if wanted else [], strict=True):
        sims[k] = v
    return mend_seams(ordered, seams, sims, params=params)

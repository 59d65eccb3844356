"""Transcription with faster-whisper: language choice, batched decoding, word timings.

Settings follow ``AsrConfig``: int8 on CPU / float16 on CUDA, the batched pipeline with
Silero VAD on (silence yields no text instead of the famous invented "you"), beam
search, word timestamps. The language is detected only among the configured languages
(default en, ru), or taken from the manifest; an English-only model never gets a
non-English recording (it would answer in invented English). The detection runs inside the
transcription, as faster-whisper alone does it: on the features of its first VAD chunks, with no
VAD pass or features of its own.

The batched pipeline decodes each 30 s chunk of packed VAD speech once, without timestamps, and Whisper
sometimes ends a chunk's text early: the rest of the chunk gets no word at all. After the batched pass,
stretches of VAD speech of at least :data:`RECOVER_GAP_S` with no delivered word (:func:`uncovered`)
are decoded again on their own, as a second small batch with the same options and the same
hallucination filter, and the words found there are spliced in (:func:`recover_gaps`).

Whisper also sometimes writes a whole 30 s chunk in lower case without punctuation ("style drift"), and question
detection loses its "?". With ``asr.repunctuate`` each chunk of :data:`DRIFT_MIN_WORDS` or more words without a
sentence mark is decoded again inside the batched pass, from the same encoder output, with a short punctuated prompt
in the recording's language, and the second decoding is kept only where it is punctuated, loses no words except
merges (two words written as one) and repeats nothing of the prompt (:func:`redecoding_drift`, :func:`redecode_drift`).
"""

from __future__ import annotations

import logging
import math
import re
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Optional

import numpy as np

from sessionscope.audio.decode import SAMPLE_RATE, is_narrowband, trim_heap, vad_level
from sessionscope.audio.hallucination import AsrSegment, AsrWord, FilterReport, collapse_loops, filter_segments
from sessionscope.config import AsrConfig
from sessionscope.errors import AudioError, ModelError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AsrResult:
    """A transcription: cleaned segments, the chosen language, and what was filtered."""

    segments: tuple[AsrSegment, ...]
    language: str
    language_probability: Optional[float]
    language_source: str  # "given" (manifest or --language), "detected", "assumed"
    model: str
    filtered: FilterReport = field(default_factory=FilterReport)
    notes: tuple[str, ...] = ()
    speech: tuple[tuple[float, float], ...] = ()  # the VAD's speech regions (s), reused by diarization
    #: Whisper's own probability of the chosen language among all its languages (``language_probability`` is
    #: renormalised over the configured ones); None when the language was not detected
    language_probability_raw: Optional[float] = None
    #: the stretches of speech (s) decoded again because the batched pass left them without a word
    recovered: tuple[tuple[float, float], ...] = ()


def get_model(config: AsrConfig) -> Any:
    """The configured Whisper model (loaded once per process)."""
    from sessionscope.models import load_whisper

    return load_whisper(config.model, allow_download=config.allow_download, device=config.device,
                        compute_type=config.compute_type, cpu_threads=config.cpu_threads)


def choose_language(model: Any, samples: np.ndarray, *, languages: list[str], forced: Optional[str],
                    model_name: str) -> tuple[tuple[str, Optional[float], str, tuple[str, ...]], Optional[float]]:
    """The recording's language: ((code, probability, how it was chosen, notes), Whisper's own probability
    of the code among all its languages: None when not detected).

    * ``forced`` (manifest / ``--language``) wins, but an English-only model refuses a
      non-English language with a :class:`ModelError`.
    * A multilingual model detects among ``languages`` only (:func:`pick_language`) on the first
      speech of :func:`detection_speech`. (:func:`transcribe` with its VAD on detects inside the
      transcription instead, on the features it computes anyway: :func:`detection_among`.)
    * An English-only model cannot detect: English is assumed and a note says so.
    """
    known = language_without_detection(model, languages=languages, forced=forced, model_name=model_name)
    if known is not None:
        return known, None
    seen = detection_speech(samples)
    try:
        probs = model.detect_language(audio=seen, vad_filter=False, language_detection_segments=DETECTION_WINDOWS)[2]
    except Exception as e:  # ctranslate2 errors on odd input
        raise AudioError(f"language detection failed: {e}") from e
    chosen = pick_language(probs, languages, speech_s=len(seen) / SAMPLE_RATE)
    return chosen, dict(probs).get(chosen[0])


#: 30 s windows of speech the language detection may look at (it stops at the first whose most probable
#: language has a probability over faster-whisper's threshold, 0.5)
DETECTION_WINDOWS = 2

#: with ``asr.recover_gap_s`` set, the value chosen on development audio (benchmarks/asr_gaps_r9.py): a stretch of
#: VAD speech at least this long (s) with no delivered word is decoded again on its own. Off by default
#: (``AsrConfig.recover_gap_s`` None): it costs up to +71 % of the transcription's CPU and invented a sentence on
#: one held-out AMI clip
RECOVER_GAP_S: float = 2.0
#: the most of a stretch (s) one word is taken to cover when looking for speech without words (:func:`uncovered`)
MAX_WORD_S = 1.5


def language_without_detection(model: Any, *, languages: list[str], forced: Optional[str], model_name: str
                               ) -> Optional[tuple[str, Optional[float], str, tuple[str, ...]]]:
    """The language when it needs no detection: given (``"given"``: by the manifest or ``--language``) or an English-only model's
    (``"assumed"``); None for a multilingual model left to detect it."""
    multilingual = bool(model.model.is_multilingual)
    if forced:
        lang = forced.strip().lower()
        if not multilingual and lang != "en":
            raise ModelError(f"the language is {lang!r} but Whisper model {model_name!r} is English-only; "
                             "use a multilingual model (asr.model: base) for non-English recordings")
        return lang, None, "given", ()
    if not multilingual:
        note = (f"language assumed English: model {model_name!r} is English-only and cannot detect it"
                if set(languages) - {"en"} else "")
        return "en", None, "assumed", (note,) if note else ()
    return None


#: the configured languages together must have less than this probability, by Whisper's detection, before a
#: recording is said to be in another language (``benchmarks/r41_language_note.py``, chosen on development
#: recordings): real far-field English gets Welsh or German as the likeliest language with English close behind
OTHER_LANGUAGE_BELOW: float = 0.05
#: and the recording must hold at least this much VAD speech (s): on a second or two Whisper's language
#: identification names Arabic, Japanese or Dutch for real English readers
OTHER_LANGUAGE_MIN_SPEECH_S: float = 1.0


def pick_language(probs: list[tuple[str, float]], languages: list[str], *, speech_s: Optional[float] = None
                  ) -> tuple[str, float, str, tuple[str, ...]]:
    """The most probable of the configured ``languages`` in Whisper's ``(language, probability)`` list:
    (code, its probability renormalised over those languages, ``"detected"``, a note when the recording
    reads as another language).

    The note ("most probable language overall was …") needs the most probable language overall outside the
    configured ones, the configured ones together under :data:`OTHER_LANGUAGE_BELOW`, and, when ``speech_s``
    (the VAD speech the detection could draw on) is given, at least :data:`OTHER_LANGUAGE_MIN_SPEECH_S` of it."""
    table = dict(probs)
    allowed = [lang for lang in languages if lang in table] or list(table)[:1]
    best = max(allowed, key=lambda lang: table.get(lang, 0.0))
    total = sum(table.get(lang, 0.0) for lang in allowed) or 1.0
    top_any = max(table, key=table.__getitem__)
    notes: tuple[str, ...] = ()
    enough = speech_s is None or speech_s >= OTHER_LANGUAGE_MIN_SPEECH_S
    if top_any not in allowed and total < OTHER_LANGUAGE_BELOW and enough:
        notes = (f"most probable language overall was {top_any!r} ({table[top_any]:.2f}); chose {best!r} among "
                 f"the configured languages {', '.join(languages)}",)
    return best, table.get(best, 0.0) / total, "detected", notes


@contextmanager
def detection_among(model: Any, languages: list[str], speech: Optional[list[tuple[float, float]]] = None
                    ) -> Iterator[dict[str, Any]]:
    """Make faster-whisper's own language detection choose among ``languages`` (:func:`pick_language`).

    For one ``transcribe(language=None)`` call of the batched pipeline, which detects the language
    on the features of its first VAD chunks (computed for the transcription anyway) and then decodes
    in the language detected: the model's ``detect_language`` is wrapped so that the language it
    returns, hence the one decoded, is the most probable configured one. The chosen (code,
    probability, source, notes) are put into the yielded dict under ``"chosen"``, and Whisper's own
    probability of that language under ``"raw"``; nothing is put there if the pipeline did not detect.
    ``speech``: the list :func:`recorded_vad` fills (the VAD runs before the detection), so that the note of
    another language can ask for enough speech.
    """
    found: dict[str, Any] = {}
    with _DETECTION_LOCK:  # the wrapper is set on the shared model: one transcription's eager part at a time
        original = model.detect_language

        def wrapper(*args: Any, **kwargs: Any) -> tuple[str, float, list[tuple[str, float]]]:
            try:
                probs = original(*args, **kwargs)[2]
            except Exception as e:  # ctranslate2 errors on odd input
                raise AudioError(f"language detection failed: {e}") from e
            speech_s = None if speech is None else sum(b - a for a, b in speech)
            found["chosen"] = pick_language(probs, languages, speech_s=speech_s)
            found["raw"] = dict(probs).get(found["chosen"][0])
            return found["chosen"][0], found["chosen"][1], probs

        model.detect_language = wrapper
        try:
            yield found
        finally:
            del model.detect_language  # the class's method again


#: held while :func:`detection_among`'s wrapper is on a model (library callers may transcribe from threads)
_DETECTION_LOCK = threading.Lock()


def detection_speech(samples: np.ndarray) -> np.ndarray:
    """The speech that language detection looks at: the VAD speech of :func:`speech_prefix`'s prefix, concatenated.

    What ``detect_language(audio=prefix, vad_filter=True)`` builds itself, without running the VAD over
    the prefix a second time (the prefix search has just run it there).
    """
    prefix, ts = _prefix_and_speech(samples)
    if not ts:
        return np.array([], dtype=np.float32)
    return np.concatenate([prefix[t["start"]:t["end"]] for t in ts])


def speech_prefix(samples: np.ndarray, *, speech_s: float = 60.0, first_s: float = 120.0,
                  margin_s: float = 5.0) -> np.ndarray:
    """The shortest prefix of ``samples`` (120 s, 480 s, … the whole) whose VAD speech before its
    last ``margin_s`` adds up to ``speech_s``.

    Language detection looks at the first 2 × 30 s of speech only; running Silero over the whole
    recording for it cost CPU time and two extra copies of the audio (all the speech, concatenated).
    The VAD runs forward and closes a region after 2 s of silence, so its speech before the
    prefix's last ``margin_s`` is what the whole recording gives: the detection sees the same
    first minute of speech.
    """
    return _prefix_and_speech(samples, speech_s=speech_s, first_s=first_s, margin_s=margin_s, vad_whole=False)[0]


def _prefix_and_speech(samples: np.ndarray, *, speech_s: float = 60.0, first_s: float = 120.0, margin_s: float = 5.0,
                       vad_whole: bool = True) -> tuple[np.ndarray, list[dict[str, int]]]:
    """(:func:`speech_prefix`, the default Silero VAD's speech timestamps of that prefix; with ``vad_whole`` off
    and the whole recording as the prefix, no timestamps: nobody needs them)."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    span = int(first_s * SAMPLE_RATE)
    while span < len(samples):
        ts = get_speech_timestamps(samples[:span], VadOptions())
        limit = span - margin_s * SAMPLE_RATE
        if sum(min(t["end"], limit) - t["start"] for t in ts if t["start"] < limit) >= speech_s * SAMPLE_RATE:
            return samples[:span], ts
        span *= 4
    return samples, get_speech_timestamps(samples, VadOptions()) if vad_whole else []


@contextmanager
def recorded_vad(*, level: bool = False) -> Iterator[list[tuple[float, float]]]:
    """Record the speech regions faster-whisper's own Silero VAD finds (so diarization can reuse them).

    Wraps the module-level ``get_speech_timestamps`` that faster-whisper 1.2.x's batched
    pipeline calls; if that name ever moves, nothing is recorded and nothing breaks. With ``level``
    the VAD sees :func:`~sessionscope.audio.decode.vad_level`'s copy of the audio (each 10 min block at
    -26 dBFS RMS); the audio transcribed is left as it is.
    """
    import faster_whisper.transcribe as fwt

    found: list[tuple[float, float]] = []
    original = getattr(fwt, "get_speech_timestamps", None)
    if original is None:
        yield found
        return

    def wrapper(audio: Any, *args: Any, **kwargs: Any) -> Any:
        out = original(vad_level(audio) if level else audio, *args, **kwargs)
        found.extend((d["start"] / SAMPLE_RATE, d["end"] / SAMPLE_RATE) for d in out)
        return out

    fwt.get_speech_timestamps = wrapper
    try:
        yield found
    finally:
        fwt.get_speech_timestamps = original


def transcribe(samples: np.ndarray, *, config: AsrConfig, language: Optional[str] = None,
               hook: Optional[Callable[..., None]] = None, offset_s: float = 0.0,
               on_language: Optional[Callable[[str], None]] = None, source_rate: Optional[int] = None) -> AsrResult:
    """Transcribe mono 16 kHz ``samples`` into cleaned segments with word timings.

    ``source_rate``: the recording's own sample rate, if known (8 kHz or less: telephone-band, see
    :func:`vad_threshold_for`).

    With the VAD on and ``config.recover_gap_s`` set, stretches of speech that long or longer that the
    batched pass left without a word are decoded again (:func:`recover_gaps`). ``on_language`` is called
    with the language (the one :attr:`AsrResult.language` will hold) as soon as it is chosen, before the
    decoding: work for later stages that depends on it can start meanwhile.

    Raises:
        AudioError: the recording contains no speech (silence, noise only).
        ModelError: model missing, or an English-only model given another language.
    """
    model = get_model(config)
    # with the VAD on, a multilingual model detects the language inside the transcription (as faster-whisper
    # alone does): no VAD pass and no features of its own; without it, on the VAD speech of a prefix
    detect_inside = config.vad and language_without_detection(
        model, languages=list(config.languages), forced=language, model_name=config.model) is None
    raw_prob: Optional[float] = None
    if not detect_inside:
        (lang, prob, how, notes), raw_prob = choose_language(model, samples, languages=list(config.languages),
                                                             forced=language, model_name=config.model)
    from faster_whisper import BatchedInferencePipeline

    pipe = BatchedInferencePipeline(model=model)
    duration = len(samples) / SAMPLE_RATE
    speech: list[tuple[float, float]] = []
    vad_notes: tuple[str, ...] = ()
    if not config.vad:
        # the batched pipeline needs VAD chunks beyond 30 s; fall back to sequential decoding
        segments_iter, _ = model.transcribe(samples, language=lang, beam_size=config.beam_size, vad_filter=False,
                                            word_timestamps=config.word_timestamps, condition_on_previous_text=False)
    else:
        threshold = vad_threshold_for(samples, config, source_rate=source_rate)
        if threshold != config.vad_threshold:
            log.info("telephone-band audio (nothing above 4 kHz): the transcription's VAD threshold %.2f instead of %.2f",
                     threshold, config.vad_threshold)
            vad_notes = (f"telephone-band audio (nothing above 4 kHz): transcription VAD threshold {threshold:g} "
                         f"instead of {config.vad_threshold:g}",)
        kwargs: dict[str, Any] = dict(beam_size=config.beam_size, vad_filter=True, word_timestamps=config.word_timestamps,
                                      batch_size=config.batch_size, vad_parameters=vad_parameters(config, threshold))
        # the VAD, the features and the language detection run eagerly inside transcribe()
        with recorded_vad(level=config.vad_normalise) as speech, \
                detection_among(model, list(config.languages), speech) as detected:
            segments_iter, _ = pipe.transcribe(samples, language=None if detect_inside else lang,
                                               language_detection_segments=DETECTION_WINDOWS, **kwargs)
        if detect_inside:
            if "chosen" not in detected:  # a faster-whisper that no longer detects through detect_language
                raise ModelError("faster-whisper's transcription did not detect the language through detect_language")
            lang, prob, how, notes = detected["chosen"]
            raw_prob = detected["raw"]
    if on_language is not None:
        on_language(lang)
    raw: list[AsrSegment] = []
    try:
        with redecoding_drift(pipe, on=config.repunctuate and config.vad) as redone:
            for seg in segments_iter:  # lazy: decoding happens here
                raw.append(_segment(seg, offset_s, flags=("repunctuated",) if tuple(seg.tokens) in redone else ()))
                if hook:
                    hook("transcribe", completed=min(seg.end, duration), total=duration)
    except (RuntimeError, ValueError) as e:
        raise AudioError(f"transcription failed: {e}") from e
    del segments_iter  # the batched pipeline's features of the whole recording
    trim_heap()
    cleaned, report = filter_segments(raw)
    shifted = [(a + offset_s, b + offset_s) for a, b in speech]
    recovered: list[tuple[float, float]] = []
    gap_s = config.recover_gap_s
    if gap_s is not None and config.vad and config.word_timestamps:
        cleaned, report, recovered = recover_gaps(pipe, samples, cleaned, report, shifted, language=lang, config=config,
                                                  min_gap_s=gap_s, offset_s=offset_s)
    if report.hallucinations_dropped or report.repetitions_dropped:
        log.info("dropped %d hallucinated segment(s), collapsed %d repetition loop(s)",
                 report.hallucinations_dropped, report.repetitions_dropped)
    return AsrResult(segments=tuple(cleaned), language=lang, language_probability=prob, language_source=how,
                     model=config.model, filtered=report, notes=(*notes, *vad_notes),
                     speech=tuple((round(a, 3), round(b, 3)) for a, b in shifted), language_probability_raw=raw_prob,
                     recovered=tuple((round(a, 3), round(b, 3)) for a, b in recovered))


def _segment(seg: Any, offset_s: float, *, flags: tuple[str, ...] = ()) -> AsrSegment:
    """faster-whisper's ``Segment`` as an :class:`AsrSegment`, its times shifted by ``offset_s``."""
    words = tuple(AsrWord(w.word, float(w.start) + offset_s, float(w.end) + offset_s, float(w.probability))
                  for w in (seg.words or ()))
    return AsrSegment(start=float(seg.start) + offset_s, end=float(seg.end) + offset_s, text=seg.text.strip(),
                      words=words, avg_logprob=float(seg.avg_logprob), no_speech_prob=float(seg.no_speech_prob),
                      compression_ratio=float(seg.compression_ratio), flags=flags)


def uncovered(speech: Sequence[tuple[float, float]], words: Sequence[AsrWord], *, min_s: float,
              max_word_s: float = MAX_WORD_S) -> list[tuple[float, float]]:
    """The stretches between delivered words that hold ``min_s`` or more of ``speech`` (sorted, disjoint regions).

    Each stretch runs from the first to the last speech inside it, in pieces of at most 30 s (one
    Whisper window). A word counts as covering at most ``max_word_s`` from its start: when Whisper
    leaves out text, the alignment stretches a neighbouring word over the speech it skipped (round 9:
    "medical" timed 47.9-58.9 s on libri-dev dev00).
    """
    spans = sorted((w.start, min(w.end, w.start + max_word_s)) for w in words)
    starts, ends = [a for a, _ in speech], [b for _, b in speech]
    out: list[tuple[float, float]] = []
    prev = float("-inf")
    for s, e in [*spans, (float("inf"), float("inf"))]:
        if s > prev:
            lo, hi = bisect_right(ends, prev), bisect_left(starts, s)  # the regions reaching into (prev, s)
            parts = [(max(a, prev), min(b, s)) for a, b in zip(starts[lo:hi], ends[lo:hi], strict=True)]
            if parts and sum(b - a for a, b in parts) >= min_s:
                a, b = parts[0][0], parts[-1][1]
                out += [(t, min(b, t + 30.0)) for t in np.arange(a, b, 30.0).tolist()]
        prev = max(prev, e)
    return out


def speech_within(speech: Sequence[tuple[float, float]], start: float, end: float) -> float:
    """Seconds of ``speech`` (sorted, disjoint regions) between ``start`` and ``end``."""
    return sum(max(0.0, min(b, end) - max(a, start)) for a, b in speech)


def splice(segments: Sequence[AsrSegment], found: Sequence[AsrSegment], gaps: Sequence[tuple[float, float]]
           ) -> list[AsrSegment]:
    """``segments`` with the segments of ``found`` whose words' midpoints lie in ``gaps``, in time order.

    A re-decoded gap may reach into speech already transcribed (a word's timing is loose): only its
    words whose middle falls inside a gap are kept, so no word is delivered twice.
    """
    def inside(w: AsrWord) -> bool:
        mid = (w.start + w.end) / 2
        return any(a <= mid <= b for a, b in gaps)

    added = []
    for seg in found:
        words = tuple(w for w in seg.words if inside(w))
        if words == seg.words:
            added.append(replace(seg, flags=(*seg.flags, "recovered")))
        elif words:
            added.append(replace(seg, start=words[0].start, end=words[-1].end, text="".join(w.text for w in words).strip(),
                                 words=words, flags=(*seg.flags, "recovered")))
    return sorted([*segments, *added], key=lambda s: s.start)


def decode_clips(pipe: Any, samples: np.ndarray, clips: Sequence[tuple[float, float]], *, language: str,
                 config: AsrConfig, offset_s: float = 0.0) -> tuple[list[AsrSegment], FilterReport]:
    """The ``clips`` (seconds into ``samples``) decoded by the batched pipeline as one small batch (the configured
    beam and word timings, the given language, no VAD), through the hallucination filter; times plus ``offset_s``."""
    try:
        found_iter, _ = pipe.transcribe(samples, clip_timestamps=[{"start": a, "end": b} for a, b in clips],
                                        language=language, vad_filter=False, beam_size=config.beam_size,
                                        word_timestamps=config.word_timestamps, batch_size=config.batch_size)
        found = [_segment(seg, offset_s) for seg in found_iter]
    except (RuntimeError, ValueError) as e:
        raise AudioError(f"transcription failed: {e}") from e
    return filter_segments(found)


def recover_gaps(pipe: Any, samples: np.ndarray, segments: list[AsrSegment], report: FilterReport,
                 speech: Sequence[tuple[float, float]], *, language: str, config: AsrConfig, min_gap_s: float,
                 offset_s: float = 0.0) -> tuple[list[AsrSegment], FilterReport, list[tuple[float, float]]]:
    """Decode again, on their own, the stretches of ``speech`` of ``min_gap_s`` or more that have no word.

    The stretches go through the batched pipeline as clips of their own (one small batch, the same
    beam, language and word timings), their segments through the same hallucination filter, and the
    words found are spliced in (:func:`splice`). Returns (segments, the combined filter report, the
    stretches decoded). Times are the recording's (``offset_s`` added), ``samples`` start at ``offset_s``.
    """
    gaps = uncovered(speech, [w for s in segments for w in s.words], min_s=min_gap_s)
    if not gaps:
        return segments, report, []
    kept, again = decode_clips(pipe, samples, [(a - offset_s, b - offset_s) for a, b in gaps], language=language,
                               config=config, offset_s=offset_s)
    merged = splice(segments, kept, gaps)
    log.info("decoded %d stretch(es) of speech without words again (%.1f s): %d word(s) recovered", len(gaps),
             sum(b - a for a, b in gaps), sum(len(s.words) for s in merged) - sum(len(s.words) for s in segments))
    total = report + again
    return merged, total, gaps


#: ``asr.repunctuate``: the prompt per language for the second decoding of chunks left without punctuation (round 23:
#: the same chunks decoded with it came out punctuated, 5 of 6 on development audio). No prompt for other languages
REPUNCT_PROMPTS: dict[str, str] = {
    "en": "Hello, how are you? Fine, thanks. Let's start.",
    "ru": "Здравствуйте, как дела? Хорошо, спасибо. Давайте начнём.",
}
#: a batch chunk with at least this many words and no sentence mark is a drift chunk
DRIFT_MIN_WORDS = 8
#: a first-pass word pair the second decoding wrote as one word is a merge, not a lost word, when the joined pair and
#: the word are at least this alike (difflib's character ratio; :func:`merged_words`)
MERGE_MIN_SIMILARITY = 0.6
#: ``asr.repunctuate``: a second decoding gets room for this many times its first decoding's tokens plus
#: :data:`REDECODE_EXTRA_TOKENS` (:func:`redecode_room`); one whose beam search reaches it is not kept. A punctuated
#: rewrite of the same words needs a few tokens more, not twice as many (round 25, development files: kept second
#: decodings and their beams' longest hypotheses at most 1.29x the first decoding with ``base``; up to 1.93x with
#: ``tiny.en``, whose second decoding also finds words its first skipped). Without it a decoding that loops runs to
#: 224 tokens (about 6 CPU s with ``base``)
REDECODE_MAX_RATIO = 2.0
REDECODE_EXTRA_TOKENS = 16
SENTENCE_MARK = re.compile(r"[.?!…]")
_WORD = re.compile(r"[\w']+")


def word_pairs(text: str) -> set[tuple[str, str]]:
    """Consecutive word pairs of ``text`` (lower case, ё as е, punctuation dropped)."""
    words = _WORD.findall(text.lower().replace("ё", "е"))
    return set(zip(words, words[1:], strict=False))


def norm_words(text: str) -> list[str]:
    """The words of ``text`` as the drift rules count them: lower case, ё as е, punctuation dropped."""
    return _WORD.findall(text.lower().replace("ё", "е"))


def delivered_text(text: str) -> str:
    """A chunk's decoded ``text`` as the hallucination filter delivers it: its repetition loops collapsed
    (:func:`~sessionscope.audio.hallucination.collapse_loops`; "the last question, the last question, …" on babble
    is three words, not a drift chunk)."""
    kept, _ = collapse_loops(tuple(AsrWord(f" {w}", 0.0, 0.0, 1.0) for w in text.split()))
    return "".join(w.text for w in kept).strip()


def is_drift(text: str, *, min_words: int = DRIFT_MIN_WORDS) -> bool:
    """A chunk's text of ``min_words`` or more words without any sentence mark (. ? ! …), once its repetition loops
    are collapsed (:func:`delivered_text`)."""
    return len(norm_words(delivered_text(text))) >= min_words and not SENTENCE_MARK.search(text)


def merged_words(old: Sequence[str], new: Sequence[str], *, min_similarity: float = MERGE_MIN_SIMILARITY) -> int:
    """How many of the words ``new`` lacks against ``old`` are merges: two consecutive first-pass words written as one.

    ``old`` and ``new`` (words of :func:`norm_words`) are aligned word by word (difflib, no junk heuristic). A
    *replaced* stretch in which ``new`` has exactly one word fewer than ``old`` counts as one merge when some two
    consecutive ``old`` words of it, joined, and some ``new`` word of it are at least ``min_similarity`` alike
    (difflib's character ratio): 'die and' -> 'diane' 0.73, 'speak good' -> 'speaker' 0.63, 'не зимой' -> 'неземой'
    0.86. A word dropped outright (a deleted stretch) or a stretch two or more words shorter is never a merge.
    """
    from difflib import SequenceMatcher

    merges = 0
    for op, i1, i2, j1, j2 in SequenceMatcher(None, list(old), list(new), autojunk=False).get_opcodes():
        if op != "replace" or (i2 - i1) - (j2 - j1) != 1:
            continue
        pairs = [old[i] + old[i + 1] for i in range(i1, i2 - 1)]
        if any(SequenceMatcher(None, p, w, autojunk=False).ratio() >= min_similarity
               for p in pairs for w in new[j1:j2]):
            merges += 1
    return merges


def repeated_sentences(text: str, *, min_words: int = 4) -> set[tuple[str, ...]]:
    """The sentences (split at . ? ! …; words of :func:`norm_words`) of ``min_words`` or more words that ``text`` holds
    more than once: Whisper's repetition, not always back to back (round 24: tiny.en wrote a 9-word first pass again
    as "You don't mean that you thought me so silly. I really love that. … You don't mean that you thought me so
    silly. You don't mean that you thought me so silly.")."""
    seen: dict[tuple[str, ...], int] = {}
    for part in SENTENCE_MARK.split(text):
        words = tuple(norm_words(part))
        if len(words) >= min_words:
            seen[words] = seen.get(words, 0) + 1
    return {w for w, k in seen.items() if k > 1}


def accept_redecode(old_text: str, new_text: str, prompt: str) -> str:
    """Why the second decoding ``new_text`` of a drift chunk is not kept instead of ``old_text`` ("" when it is kept).

    Kept only when it has a sentence mark, no two consecutive words of ``prompt`` that ``old_text`` did not have (so
    no prompt sentence of two or more words either), no sentence twice whose words ``old_text`` did not hold twice
    (:func:`repeated_sentences`), and no fewer words than ``old_text`` except merges
    (:func:`merged_words`: each word fewer must be two first-pass words written as one); words are counted as the
    hallucination filter delivers them (:func:`delivered_text`).
    """
    old, new = norm_words(delivered_text(old_text)), norm_words(delivered_text(new_text))
    if len(new) < len(old):
        merges = merged_words(old, new)
        if len(old) - len(new) > merges:
            return f"words {len(old)} -> {len(new)} ({merges} merged)"
    if not SENTENCE_MARK.search(new_text):
        return "still no sentence mark"
    copied = (word_pairs(new_text) & word_pairs(prompt)) - word_pairs(old_text)
    if copied:
        return "prompt words " + ", ".join(" ".join(p) for p in sorted(copied))
    said = norm_words(old_text)
    repeated = {w for w in repeated_sentences(new_text)  # not a repetition the first pass had too
                if sum(tuple(said[i:i + len(w)]) == w for i in range(len(said) - len(w) + 1)) < 2}
    if repeated:
        return "repeats " + " / ".join(" ".join(w) for w in sorted(repeated))
    return ""


def redecode_room(first_tokens: int, *, ratio: float = REDECODE_MAX_RATIO, extra: int = REDECODE_EXTRA_TOKENS) -> int:
    """How many tokens a drift chunk's second decoding may have: ``ratio`` times the ``first_tokens`` of its first
    decoding, plus ``extra``."""
    return math.ceil(ratio * first_tokens) + extra


def redecode_max_length(room: int, prompt_tokens: int, max_length: int) -> int:
    """The smallest ``max_length`` for CTranslate2's Whisper ``generate`` that leaves ``room`` tokens after a prompt of
    ``prompt_tokens``, at most ``max_length`` (the model's). CTranslate2 counts the prompt in it and generates at most
    half of it (round 25: 150 -> 75 tokens, 120 -> 60, 448 -> 224; :func:`generated_room`)."""
    return min(max_length, max(2 * room, prompt_tokens + room))


def generated_room(max_length: int, prompt_tokens: int) -> int:
    """How many tokens CTranslate2's Whisper ``generate`` may produce with ``max_length`` after ``prompt_tokens``."""
    return min(max_length // 2, max_length - prompt_tokens)


@contextmanager
def redecoding_drift(pipe: Any, *, on: bool = True, beam_size: Optional[int] = None) -> Iterator[set[tuple[int, ...]]]:
    """While inside, each batch ``pipe`` (a ``BatchedInferencePipeline``) decodes goes through :func:`redecode_drift`
    before its word timings are found; yields the token sequences of the chunks whose second decoding was kept.
    Off (or a pipeline without ``generate_segment_batched``): nothing changes."""
    kept: set[tuple[int, ...]] = set()
    original = getattr(pipe, "generate_segment_batched", None) if on else None
    if original is None:
        if on:  # a faster-whisper without it (1.2.1 has it): no second decoding
            log.warning("asr.repunctuate: this faster-whisper's batched pipeline has no generate_segment_batched; "
                        "chunks without punctuation are not decoded again")
        yield kept
        return

    def generate(features: np.ndarray, tokenizer: Any, options: Any) -> tuple[Any, list[dict[str, Any]]]:
        encoder_output, output = original(features, tokenizer, options)
        return encoder_output, redecode_drift(pipe.model, encoder_output, features, output, tokenizer, options,
                                              kept=kept, beam_size=beam_size)

    pipe.generate_segment_batched = generate
    try:
        yield kept
    finally:
        del pipe.generate_segment_batched  # the class's method again


def redecode_drift(model: Any, encoder_output: Any, features: np.ndarray, output: list[dict[str, Any]], tokenizer: Any,
                   options: Any, *, kept: set[tuple[int, ...]], beam_size: Optional[int] = None,
                   length_cap: bool = True) -> list[dict[str, Any]]:
    """One batch's decodings (``output``, as faster-whisper's ``generate_segment_batched`` returns them), with each
    drift chunk (:func:`is_drift`) decoded again from the same encoder output with :data:`REPUNCT_PROMPTS`' prompt
    for the tokenizer's language, and its second decoding put in its place where :func:`accept_redecode` accepts
    it (its tokens added to ``kept``). Same options as the batch (beam: ``beam_size`` if given); no prompt for the
    language (or per-chunk languages): ``output`` unchanged. The encoder output is reused, not computed again (on
    CPU; on another device the chunks' features are encoded again). With ``length_cap``, each second decoding has
    room for :func:`redecode_room` tokens, and is not kept if any of its beam's hypotheses reaches them (a loop stops
    there instead of at 224 tokens, and a search that ended before is the one it would be without the cap).
    """
    prompt = REPUNCT_PROMPTS.get(tokenizer.language_code)
    if prompt is None or options.multilingual:
        return output
    texts = [tokenizer.decode(o["tokens"]) for o in output]
    idx = [i for i, t in enumerate(texts) if is_drift(t)]
    if not idx:
        return output
    if len(idx) == len(output):
        encoded = encoder_output
    elif encoder_output.device == "cpu":
        import ctranslate2

        encoded = ctranslate2.StorageView.from_array(np.ascontiguousarray(np.asarray(encoder_output)[idx]))
    else:
        encoded = model.encode(features[idx])
    tokens = model.get_prompt(tokenizer, previous_tokens=tokenizer.encode(" " + prompt),  # the space Whisper adds
                              without_timestamps=options.without_timestamps, hotwords=options.hotwords)
    max_length = model.max_length if options.max_new_tokens is None \
        else min(model.max_length, len(tokens) + options.max_new_tokens)
    # each chunk's own room (a beam search that reaches it is cut: not kept); one generate call, room for the largest
    beam = beam_size or options.beam_size
    rooms = [redecode_room(len(output[i]["tokens"])) if length_cap else generated_room(max_length, len(tokens))
             for i in idx]
    if length_cap:
        max_length = min(max_length, max(redecode_max_length(r, len(tokens), max_length) for r in rooms))
    results = model.model.generate(
        encoded, [list(tokens) for _ in idx], beam_size=beam, patience=options.patience,
        num_hypotheses=beam if length_cap else 1, length_penalty=options.length_penalty, max_length=max_length,
        suppress_blank=options.suppress_blank, suppress_tokens=options.suppress_tokens, return_scores=True,
        return_no_speech_prob=True, sampling_temperature=options.temperatures[0],
        repetition_penalty=options.repetition_penalty, no_repeat_ngram_size=options.no_repeat_ngram_size)
    out = list(output)
    for i, room, res in zip(idx, rooms, results, strict=True):
        seq = res.sequences_ids[0]  # the best of the beam's finished hypotheses, as with num_hypotheses=1
        new_text = tokenizer.decode(seq)
        longest = max(len(h) for h in res.sequences_ids)
        if length_cap and longest >= min(room, generated_room(max_length, len(tokens))):
            # the beam search ran into the room (and was cut there, or would be if decoded alone): not whole
            why = f"ran to the length cap ({len(output[i]['tokens'])} -> {longest} tokens)"
        else:
            why = accept_redecode(texts[i], new_text, prompt)
        log.info("chunk without punctuation decoded again with the prompt: %s",
                 why or f"kept ({len(norm_words(texts[i]))} -> {len(norm_words(new_text))} words)")
        if not why:
            # as generate_segment_batched scores a decoding
            out[i] = {"avg_logprob": res.scores[0] * (len(seq) ** options.length_penalty) / (len(seq) + 1),
                      "no_speech_prob": res.no_speech_prob, "tokens": seq}
            kept.add(tuple(seq))
    return out


def vad_parameters(config: AsrConfig, threshold: Optional[float] = None) -> dict[str, Any]:
    """The batched pipeline's ``vad_parameters`` from ``config`` (it adds ``max_speech_duration_s`` = 30 s itself).

    The defaults (threshold 0.5, 160 ms of silence, 400 ms of padding) are the pipeline's own defaults;
    ``threshold`` replaces ``config.vad_threshold`` (see :func:`vad_threshold_for`).
    """
    return {"threshold": config.vad_threshold if threshold is None else threshold,
            "min_silence_duration_ms": config.vad_min_silence_ms, "speech_pad_ms": config.vad_speech_pad_ms}


def vad_threshold_for(samples: np.ndarray, config: AsrConfig, *, source_rate: Optional[int] = None) -> float:
    """The transcription's VAD threshold for ``samples``: ``config.vad_threshold_narrowband`` for telephone-band
    audio (:func:`~sessionscope.audio.decode.is_narrowband`: stored at 8 kHz or less, or nothing above 4 kHz),
    else ``config.vad_threshold``.

    Silero VAD, trained on wideband speech, scores speech that passed a telephone line lower: at 0.5 it
    left out 33 % of the words of simulated phone calls that 0.3 keeps (round 19, docs/benchmarks/audio.md).
    """
    if config.vad_threshold_narrowband is not None and is_narrowband(samples, source_rate=source_rate):
        return config.vad_threshold_narrowband
    return config.vad_threshold


#: bump when a change to this module changes transcriptions (part of the cache key)
ASR_CODE_VERSION = 11  # 3: language detected inside the transcription (its probability moved); 4: VAD input levelled;
# 5: speech left without words by the batched pass decoded again (recover_gaps); 6: telephone-band VAD threshold
# 7: a recording stored at 8 kHz or less is telephone-band whatever its energy above 4 kHz; 8: loops of up to 30 words
# 9: asr.repunctuate's second decoding has room for 2x its first decoding's tokens + 16 (redecode_room); no
# development file changed, but a chunk whose beam search runs past it is no longer kept; 9 also retires transcriptions
# cached under another BLAS thread count (the mel filterbank's float32 product; round 25); 10: the BLAS count held at
# 2, not 1 (models.fixed_blas_threads: the count every earlier figure was measured with); 11: the note of another
# language needs English and Russian under OTHER_LANGUAGE_BELOW and OTHER_LANGUAGE_MIN_SPEECH_S of speech (round 41: a
# transcription cached before kept the old note)


def asr_params(config: AsrConfig) -> dict[str, Any]:
    """The settings that change a transcription (the cache key's ASR part).

    Records what will actually run: the resolved model folder and the device and compute
    type actually picked (``auto`` resolved), with the code version.
    """
    from sessionscope.models import pick_device, resolve_whisper

    try:
        model_path = resolve_whisper(config.model, allow_download=False)
    except Exception:  # noqa: BLE001 - not resolvable offline: the name stands for it (the load will tell)
        model_path = config.model
    device, compute_type = pick_device(config.device, config.compute_type)
    return {"model": config.model, "model_path": str(model_path), "device": device, "compute_type": compute_type,
            "beam_size": config.beam_size, "vad": config.vad, "batch_size": config.batch_size,
            "vad_normalise": config.vad_normalise, "vad_threshold": config.vad_threshold,
            "vad_threshold_narrowband": config.vad_threshold_narrowband,
            "vad_min_silence_ms": config.vad_min_silence_ms, "vad_speech_pad_ms": config.vad_speech_pad_ms,
            "word_timestamps": config.word_timestamps, "languages": sorted(config.languages),
            "recover_gap_s": config.recover_gap_s, "code_version": ASR_CODE_VERSION,
            # only when on: caches made before the setting existed stay valid with it off; 2: round 24's decoding
            # inside the batched pass and its merge rule (round 23's caches with it on are not reused)
            **({"repunctuate": 2} if config.repunctuate else {})}

"""``transcribe_file``: one recording → a speaker-attributed :class:`Session`.

Steps, each handing a typed result to the next:

1. :func:`decode_step` → :class:`Decoded` (bytes hashed, audio decoded once, silence refused);
2. :func:`recognise_step` → :class:`Recognised` (transcription with its VAD regions,
   diarization on the same decoded samples, words placed into the diarization's speaker
   turns; or one stream per channel);
3. :func:`identify_step` → :class:`~sessionscope.audio.identify.Mapping` (labels → participants);
4. :func:`build_session` → the Session: utterances are the speaker turns with their words,
   so talk time, turns and overlaps are the diarization's; stage outcomes
   (``audio.transcription``, ``audio.diarization``, ``audio.speaker_mapping``) go to
   ``provenance.stage_runs`` and per-stage CPU seconds to ``extra.audio.cpu_s``.

ASR and diarization results are cached by content hash, the settings, the method that
will actually run and a code version (``no_cache`` bypasses reading the cache); models
are loaded once per process.

On the CPU with at least two idle cores, the diarization runs in a second thread while the
transcription runs (:func:`concurrent_recognition`; CTranslate2 and ONNX Runtime release
the GIL), on the same decoded samples: neither reads the other's result, both are
deterministic and their thread counts are fixed, so the output is the one the sequential
order gives (``SESSIONSCOPE_AUDIO_CONCURRENT=0`` runs them one after the other).
"""

from __future__ import annotations

import logging
import os
import random
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import numpy as np

from sessionscope.audio import align, identify
from sessionscope.audio.asr import AsrResult, asr_params, transcribe
from sessionscope.audio.cache import (
    ResultCache,
    asr_from_dict,
    asr_to_dict,
    cache_key,
    diarization_from_dict,
    diarization_to_dict,
)
from sessionscope.audio.decode import Audio, keep_freed_memory, load_audio, speech_level
from sessionscope.audio.diarize import (
    Diarization,
    DiarizationParams,
    diarization_params,
    diarize,
    embed_clip,
    level_edge_settings,
    nearest_voice,
    voice_similarities,
)
from sessionscope.config import Config
from sessionscope.errors import AudioError, InputError
from sessionscope.fileio import sha256_file
from sessionscope.model import DataQuality, Participant, Role, Session, Utterance, Word, record_stage_run
from sessionscope.text import counted, slugify

log = logging.getLogger(__name__)

Hook = Optional[Callable[..., None]]


def people_from_entry(entry: Any) -> list[tuple[Participant, Optional[str]]]:
    """(participant, voice sample path) from a manifest entry (``ManifestEntry``), in manifest order."""
    out = []
    for p in getattr(entry, "participants", None) or ():
        name = str(getattr(p, "name", None) or getattr(p, "id", "participant"))
        pid = str(getattr(p, "participant_id", None) or getattr(p, "id", None) or slugify(name))
        role = getattr(p, "role", None)
        role = role if isinstance(role, Role) else Role.parse(None if role is None else str(getattr(role, "value", role)))
        sample = getattr(p, "voice_sample", None)
        out.append((Participant(pid, name, role), str(sample) if sample else None))
    return out


@dataclass
class StageClock:
    """Wall and CPU seconds per audio stage."""

    wall: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        w, c = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.wall[name] = round(self.wall.get(name, 0.0) + time.perf_counter() - w, 3)
            self.cpu[name] = round(self.cpu.get(name, 0.0) + time.process_time() - c, 3)

    def add(self, name: str, wall: float, cpu: float) -> None:
        """Add seconds measured elsewhere (a stage run in another thread)."""
        self.wall[name] = round(self.wall.get(name, 0.0) + wall, 3)
        self.cpu[name] = round(self.cpu.get(name, 0.0) + cpu, 3)


@dataclass(frozen=True)
class Decoded:
    """A decoded recording and its content hash."""

    path: Path
    sha256: str
    audio: Audio
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recognised:
    """What the recognition step found: words, speaker turns, and how they were made."""

    decoded: Decoded
    asr: AsrResult
    results: tuple[AsrResult, ...]
    utterances: tuple[align.RawUtterance, ...]
    diarization: Optional[Diarization]
    channel_mode: bool
    channel_stats: dict[str, float]
    notes: tuple[str, ...]
    stage_runs: tuple[tuple[str, str, Optional[str], float], ...]  # (name, status, reason, seconds)
    clock: StageClock

    @property
    def first_speech(self) -> dict[str, float]:
        """When each speaker label first spoke."""
        return align.first_speech(self.utterances)

    @property
    def labels(self) -> list[str]:
        """The speaker labels in order of first speech."""
        first = self.first_speech
        return sorted(first, key=first.__getitem__)


def seed_everything(sha256: str) -> None:
    """Seed every random generator from the recording's hash: the same file gives the same output
    whatever else runs in the batch, and in whatever order."""
    seed = int(sha256[:8], 16)
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - libraries below may use the global generator
    torch = sys.modules.get("torch")  # not imported for this (3 CPU s): the CPU path runs without torch
    if torch is not None:
        torch.manual_seed(seed)


def _asr(decoded: Decoded, config: Config, language: Optional[str], cache: ResultCache, hook: Hook, *,
         channel: Optional[int] = None, no_cache: bool = False, samples: Optional[np.ndarray] = None,
         on_language: Optional[Callable[[str], None]] = None) -> AsrResult:
    audio = decoded.audio
    params = {**asr_params(config.asr), "language": language, "channel": channel}
    key = cache_key(decoded.sha256, "asr", params)
    if not no_cache and (hit := cache.get("asr", key)) is not None:
        log.info("%s: transcription from cache", audio.source)
        return asr_from_dict(hit)
    if samples is None:
        samples = audio.mono if channel is None else audio.channels[channel]
    result = transcribe(samples, config=config.asr, language=language, hook=hook, on_language=on_language,
                        source_rate=audio.source_rate)
    cache.put("asr", key, asr_to_dict(result))
    return result


def diarization_settings(config: Config) -> DiarizationParams:
    """The overlap-aware diarization's settings from the configuration."""
    dc = config.diarization
    return DiarizationParams(step_s=dc.chunk_step_s, threshold=dc.cluster_threshold, min_cluster_size=dc.min_cluster_size,
                             chunk_fallback=dc.silent_chunk_threshold, refine_long_s=dc.refine_long_s, threads=dc.threads,
                             clustering=dc.clustering, edges=level_edge_settings(dc),
                             overlap_pair=dc.overlap_threshold, overlap_min_s=dc.overlap_min_s, assign_gap_s=dc.assign_gap_s)


def _diarize(decoded: Decoded, config: Config, n_speakers: Optional[int], cache: ResultCache, hook: Hook, *,
             no_cache: bool = False, samples: Optional[np.ndarray] = None) -> Diarization:
    from sessionscope.models import torch_device

    dc = config.diarization
    lo, hi = (n_speakers, n_speakers) if n_speakers else (dc.min_speakers, max(dc.min_speakers, dc.max_speakers))
    params = {**diarization_params(dc), "min": lo, "max": hi}
    key = cache_key(decoded.sha256, "diarization", params)
    if not no_cache and (hit := cache.get("diarization", key)) is not None:
        log.info("%s: diarization from cache", decoded.audio.source)
        return diarization_from_dict(hit)
    device = torch_device(config.asr.device)
    result = diarize(decoded.audio.mono if samples is None else samples, min_speakers=lo, max_speakers=hi, window_s=dc.window_s, step_s=dc.step_s,
                     merge_threshold=dc.merge_threshold, vad_threshold=dc.vad_threshold,
                     segmentation=dc.segmentation, hook=hook,
                     params=diarization_settings(config), device=device)
    cache.put("diarization", key, diarization_to_dict(result))
    return result


CONCURRENT_ENV = "SESSIONSCOPE_AUDIO_CONCURRENT"


def available_cores() -> int:
    """CPU cores this process may use: those it may run on, fewer when ``OMP_NUM_THREADS`` says so (the local
    engine's workers get their share of the cores that way; benchmarks hold one core with it)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    omp = os.environ.get("OMP_NUM_THREADS", "").strip()
    if omp.isdigit() and int(omp) > 0:
        cores = min(cores, int(omp))
    return cores


def others_running(samples: int = 5) -> Optional[int]:
    """Threads of other processes running or ready to run right now (median of a few readings of the
    kernel's count in ``/proc/loadavg``, less this one); None where the count cannot be read."""
    counts = []
    for i in range(samples):
        try:
            with open("/proc/loadavg", encoding="ascii") as fh:
                counts.append(int(fh.read().split()[3].split("/")[0]) - 1)
        except (OSError, IndexError, ValueError):
            return None
        if i + 1 < samples:
            time.sleep(0.01)
    return sorted(counts)[len(counts) // 2]


def concurrent_recognition(config: Config) -> bool:
    """Whether the diarization runs in a second thread during the transcription.

    Yes on the CPU (both the Whisper device and the diarization's) with at least two cores
    (:func:`available_cores`) that other processes are not using (:func:`others_running`): faster-whisper
    alone leaves part of a second core idle (its VAD, features and decoding steps are partly
    single-threaded), which the one-thread diarization fills. On a busy machine there is no idle core to
    fill: there the overlap cost more CPU time (three threads on two cores; +6.6, -1.1 and +7.7 CPU s in
    three alternated pairs) and no wall time was gained, so the two run one after the other. No on CUDA
    (one GPU, and torch's CUDA state is kept out of threads). ``SESSIONSCOPE_AUDIO_CONCURRENT`` = ``0``
    (never) or ``1`` (whenever on the CPU, whatever the cores and the load) overrides. Either way the
    output is the same.
    """
    from sessionscope.models import pick_device, torch_device

    switch = os.environ.get(CONCURRENT_ENV, "auto").strip().lower()
    if switch in ("0", "false", "no", "off"):
        return False
    if pick_device(config.asr.device, config.asr.compute_type)[0] != "cpu" or torch_device(config.asr.device) != "cpu":
        return False
    if switch in ("1", "true", "yes", "on"):
        return True
    cores = available_cores()
    if cores < 2:
        return False
    busy = others_running()
    return busy is None or busy <= cores - 2


def text_warmup(config: Config) -> Optional[Callable[[str], None]]:
    """What the text stages will load for a session in a given language, as a call (None: nothing to load).

    The extraction stage parses every utterance in the session's language (the transcription's):
    for English it imports spaCy and loads its pipeline (≈ 1.9 CPU s), for Russian natasha and
    pymorphy3. Loading them is the same whenever it happens (each is loaded once per process), so
    :func:`_transcribe_and_diarize` does it while the transcription still runs once the diarization
    beside it is done: on two cores faster-whisper leaves part of one idle, and the stage then finds
    them loaded instead of loading them after the recognition, one core busy. A failure is left for
    the stage to meet and report.
    """
    if "extraction" not in config.pipeline.stages:
        return None

    def warm(language: str) -> None:
        try:
            from sessionscope.language import nlp

            if language == "en":
                nlp.english_pipeline()
                tagger = config.extraction.act_tagger
                if tagger and tagger.lower() != "none" and config.extraction.dialogue_act_heads == "bundled":
                    from sessionscope.analysis.extract.tagger import bundled_act_tagger, named_act_tagger

                    loaded = bundled_act_tagger() if tagger == "bundled" else named_act_tagger(tagger)  # errors: the stage's
                    if loaded is not None:
                        loaded.warm()
            elif language == "ru":
                nlp.russian_pipeline()
        except Exception as e:  # noqa: BLE001 - the stage reports a missing model itself
            log.debug("text models not loaded ahead (%s): the extraction stage loads them", e)

    return warm


def _warm_text(config: Config, warm: Optional[Callable[[str], None]], language: str) -> bool:
    """The text stages (:func:`sessionscope.runspec.prepare_stages`: built here when ``run`` left them for now)
    and their models for ``language`` (``warm``, :func:`text_warmup`). True when anything was done."""
    from sessionscope.runspec import prepare_stages

    built = prepare_stages(config)
    if warm is not None:
        warm(language)
    return built or warm is not None


class _Cancelled(Exception):
    """The transcription failed: the diarization running beside it stops at its next progress report."""


def _transcribe_and_diarize(decoded: Decoded, samples: np.ndarray, *, config: Config, language: Optional[str],
                            n_speakers: Optional[int], cache: ResultCache, hook: Hook, no_cache: bool,
                            clock: StageClock) -> tuple[AsrResult, Diarization]:
    """Transcription (this thread) and diarization (a second thread) at once, on the same samples.

    Same results as one after the other: neither reads the other's output, both are deterministic
    with fixed thread counts (ONNX Runtime's are per thread, :func:`~sessionscope.audio.onnx_models.intra_threads`),
    and each checks the cache itself. Errors are those of the sequential order: a failed transcription
    is raised (the diarization is stopped and waited for); otherwise a failed diarization is.

    Accounting: wall seconds per branch (``transcription``, ``diarization``) and of the two together
    (``recognition``). CPU seconds cannot be split by the process's counters while both run: the
    diarization gets its thread's own CPU time (``time.thread_time``; ONNX Runtime with one intra-op
    thread, the default up to 3 cores, computes in the calling thread; with more, its pool threads'
    time is not in it), the transcription the rest of the process's CPU time over the same span.

    When the diarization is done before the transcription, its thread then loads the text stages'
    models for the transcription's language (:func:`text_warmup`; that language is known before the
    decoding starts), with their own wall and CPU seconds (``text_models``, not in the transcription's).
    Not the other way round: spaCy's import hides torch from other threads for a moment
    (:func:`sessionscope.language.nlp._import_spacy`), and the diarization may still need it (a first
    ONNX export, a fallback), whereas the transcription never imports it.
    """
    cancel = threading.Event()
    asr_finished = threading.Event()
    lock = threading.Lock()

    def asr_hook(step: str, *args: Any, **kwargs: Any) -> None:
        if hook:
            with lock:
                hook(step, *args, **kwargs)

    def diar_hook(step: str, *args: Any, **kwargs: Any) -> None:
        if cancel.is_set():
            raise _Cancelled
        if hook and asr_finished.is_set():  # the transcription's progress is shown while it runs
            with lock:
                hook(step, *args, **kwargs)

    diar_clock: dict[str, float] = {}
    warm_clock: dict[str, float] = {}
    warm = text_warmup(config)
    warm_lock = threading.Lock()
    language_chosen: list[str] = []  # the transcription's language, set by its thread as soon as it is chosen

    def warm_once(language: str) -> None:
        """The text stages and their models (:func:`_warm_text`), once."""
        with warm_lock:
            if not warm_clock and not cancel.is_set():
                w, c = time.perf_counter(), time.thread_time()
                if _warm_text(config, warm, language):
                    warm_clock.update(wall=time.perf_counter() - w, cpu=time.thread_time() - c)

    def diarize_branch() -> Diarization:
        w, c = time.perf_counter(), time.thread_time()
        try:
            result = _diarize(decoded, config, n_speakers, cache, diar_hook, no_cache=no_cache, samples=samples)
        finally:
            diar_clock.update(wall=time.perf_counter() - w, cpu=time.thread_time() - c)
        if language_chosen and not asr_finished.is_set():
            warm_once(language_chosen[0])  # while the transcription still runs
        return result

    from concurrent.futures import ThreadPoolExecutor

    w0, c0 = time.perf_counter(), time.process_time()
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sessionscope-diarize")
    try:
        future = pool.submit(diarize_branch)
        asr_hook("transcribe")
        try:
            asr = _asr(decoded, config, language, cache, asr_hook, no_cache=no_cache, samples=samples,
                       on_language=language_chosen.append)
        except BaseException as e:
            cancel.set()
            if isinstance(e, Exception):  # not on Ctrl-C: the thread stops by itself at its next report
                pool.shutdown(wait=True)
            raise
        asr_wall = time.perf_counter() - w0
        asr_finished.set()
        if not future.done():
            asr_hook("diarize")
        diar = future.result()  # the diarization's own error, if any
    finally:
        pool.shutdown(wait=False)
    total_wall, total_cpu = time.perf_counter() - w0, time.process_time() - c0
    clock.add("transcription", asr_wall, max(0.0, total_cpu - diar_clock["cpu"] - warm_clock.get("cpu", 0.0)))
    clock.add("diarization", diar_clock["wall"], diar_clock["cpu"])
    if warm_clock:
        clock.add("text_models", warm_clock["wall"], warm_clock["cpu"])
    clock.add("recognition", total_wall, total_cpu)
    return asr, diar


def decode_step(path: Path, hook: Hook = None) -> Decoded:
    """Hash and decode a recording; refuse silence."""
    try:
        sha = sha256_file(path)
    except OSError as e:
        raise InputError(f"cannot read file: {e.strerror or e}", path=path) from e
    if hook:
        hook("decode")
    audio = load_audio(path)
    level = speech_level(audio.mono)
    if level < -60.0:
        if audio.truncated:  # a file cut off before its sound: say so, not "silent"
            raise AudioError(f"the file looks truncated or damaged: it holds {audio.duration_s:.1f} s of sound"
                             + (f" of {audio.expected_s:.1f} s announced" if audio.expected_s else "")
                             + f" (peak level {level:.0f} dBFS); nothing to transcribe", path=path)
        raise AudioError(f"the recording is silent (peak level {level:.0f} dBFS); nothing to transcribe", path=path)
    notes: tuple[str, ...] = ()
    if audio.truncated:
        notes = (f"the file looks truncated or damaged: decoded {audio.duration_s:.1f} s"
                 + (f" of {audio.expected_s:.1f} s announced" if audio.expected_s else ""),)
    return Decoded(path, sha, audio, notes)


def align_words(asr: AsrResult, diar: Optional[Diarization], samples: np.ndarray, *,
                word_fill: Optional[align.FillParams],
                rescore: Optional[align.RescoreParams] = None,
                seams: Optional[align.SeamParams] = align.SeamParams()) -> list[align.RawUtterance]:
    """The diarization's speaker turns with their words (after the word-backed fill, the re-scoring of
    word stretches against the voices and, after the chunked segmentation, the check of seamless speaker
    changes inside running words against the voices, ``seams``: None: off), or runs of words of one speaker
    without a diarization."""
    if diar is None:
        return align.group_utterances(align.assign_words(asr.segments, ()))
    turns = tuple(align.fold_wordless_voices(diar.turns, asr.segments))
    voices = {k: v for k, v in diar.centroids.items() if k in {t.speaker for t in turns}}
    if turns and word_fill is not None:
        turns = tuple(align.fill_gaps(turns, asr.segments, params=word_fill, voice_of=nearest_voice(samples, voices)))
    if turns and rescore is not None and len(voices) >= 2:
        turns = tuple(align.rescore_stretches(turns, asr.segments, params=rescore, voice_sims=voice_similarities(samples, voices)))
    if turns and seams is not None and len(voices) >= 2 and diar.method.startswith("pyannote-seg3"):  # measured there only
        turns = tuple(align.check_seams(turns, asr.segments, voice_sims=voice_similarities(samples, voices), params=seams))
    return align.utterances_from_turns(asr.segments, turns)


#: words the diarization marks nobody in become talk time (:func:`sessionscope.audio.align.fill_gaps`; None: off)
WORD_FILL: Optional[align.FillParams] = align.FillParams()
#: stretches of words inside one talker's turn that match another voice better go to that voice
#: (:func:`sessionscope.audio.align.rescore_stretches`; None: off)
RESCORE: Optional[align.RescoreParams] = align.RescoreParams()


def recognise_step(decoded: Decoded, *, config: Config, language: Optional[str], n_people: int, cache: ResultCache,
                   hook: Hook = None, no_cache: bool = False, clock: Optional[StageClock] = None,
                   word_fill: Optional[align.FillParams] = WORD_FILL,
                   rescore: Optional[align.RescoreParams] = RESCORE) -> Recognised:
    """Transcription + diarization (or one stream per channel) → utterances with speaker labels.

    ``word_fill``: stretches of recognised words that no speaker turn covers (speech the
    segmentation model did not mark) become turns of the adjacent or nearest voice (None: off).
    ``rescore``: stretches of words inside one talker's turn whose embedding matches another voice
    better go to that voice, when ``diarization.rescore_stretches`` is on (None: never).
    NumPy's BLAS runs a fixed number of threads meanwhile (:func:`~sessionscope.models.fixed_blas_threads`): the same
    output under any worker count or engine.
    """
    from sessionscope.models import fixed_blas_threads

    with fixed_blas_threads():
        return _recognise(decoded, config=config, language=language, n_people=n_people, cache=cache, hook=hook,
                          no_cache=no_cache, clock=clock, word_fill=word_fill, rescore=rescore)


def _recognise(decoded: Decoded, *, config: Config, language: Optional[str], n_people: int, cache: ResultCache,
               hook: Hook, no_cache: bool, clock: Optional[StageClock], word_fill: Optional[align.FillParams],
               rescore: Optional[align.RescoreParams]) -> Recognised:
    audio, dc = decoded.audio, config.diarization
    clock = clock or StageClock()
    notes: list[str] = list(decoded.notes)
    runs: list[tuple[str, str, Optional[str], float]] = []
    channel_stats: dict[str, float]
    channel_mode, channel_stats = False, {}
    if audio.n_channels >= 2 and dc.channel_mode != "never":
        from sessionscope.audio.channels import separate_channels

        channel_mode, channel_stats = separate_channels(audio.channels)
        channel_mode = channel_mode or dc.channel_mode == "always"
    diar: Optional[Diarization] = None
    if channel_mode:
        notes.append(f"diarized by channel ({audio.n_channels} channels, one speaker each)")
        streams: dict[str, Any] = {}
        results = []
        with clock.stage("transcription"):
            for ch in range(audio.n_channels):
                if hook:
                    hook(f"transcribe channel {ch + 1}")
                try:
                    r = _asr(decoded, config, language, cache, hook, channel=ch, no_cache=no_cache)
                except AudioError:
                    continue  # a silent channel
                results.append(r)
                streams[f"SPEAKER_{ch:02d}"] = r.segments
        if not results:
            raise AudioError("no speech found on any channel", path=decoded.path)
        runs.append(("audio.transcription", "ok", None, clock.wall["transcription"]))
        runs.append(("audio.diarization", "ok", "one speaker per channel", 0.0))
        with clock.stage("alignment"):
            raw = align.group_by_stream(streams)
    else:
        # the transcription's Silero VAD regions are not used to skip segmentation chunks (Silero misses
        # quiet far-field speech that the segmentation model finds): the two are independent
        samples = audio.mono  # one channel mix for both
        if dc.enabled and concurrent_recognition(config):
            asr, diar = _transcribe_and_diarize(decoded, samples, config=config, language=language,
                                                n_speakers=n_people or None, cache=cache, hook=hook,
                                                no_cache=no_cache, clock=clock)
        else:
            if hook:
                hook("transcribe")
            with clock.stage("transcription"):
                asr = _asr(decoded, config, language, cache, hook, no_cache=no_cache, samples=samples)
            if dc.enabled:
                if hook:
                    hook("diarize")
                with clock.stage("diarization"):
                    diar = _diarize(decoded, config, n_people or None, cache, hook, no_cache=no_cache, samples=samples)
        del samples
        results = [asr]
        runs.append(("audio.transcription", "ok", None, clock.wall["transcription"]))
        turns: tuple = ()
        if diar is not None:
            turns = diar.turns
            reason = diar.degraded
            if not turns:
                reason = "no speaker turns found: every word given to one speaker" + (f"; {reason}" if reason else "")
                notes.append(f"diarization: {reason}")
            runs.append(("audio.diarization", "ok", reason, clock.wall["diarization"]))
        else:
            runs.append(("audio.diarization", "skipped", "diarization.enabled is off: one speaker", 0.0))
        with clock.stage("alignment"):
            raw = align_words(asr, diar, audio.mono, word_fill=word_fill if dc.word_fill else None,
                              rescore=rescore if dc.rescore_stretches else None,
                              seams=align.SeamParams() if dc.check_seams else None)
    if not raw or (not any(u.words for u in raw) and diar is None):
        dropped = sum(r.filtered.hallucinations_dropped for r in results)
        raise AudioError("no speech found (silence, music or noise only"
                         + (f"; {dropped} hallucinated segment(s) dropped)" if dropped else ")"), path=decoded.path)
    if diar is not None and not any(u.words for u in raw):  # speech the diarization found, no word recognised
        notes.append(f"transcription: no words recognised; {diar.speech_s:.1f} s of speech by {len({u.speaker for u in raw})} "
                     "speaker(s) kept as talk time without text (quiet, far-field or overlapped speech?)")
    return Recognised(decoded, results[0], tuple(results), tuple(raw), diar, channel_mode, channel_stats, tuple(notes),
                      tuple(runs), clock)


def identify_step(rec: Recognised, people: list[tuple[Participant, Optional[str]]], *, config: Config, pair: Optional[str],
                  voiceprint_dir: Optional[str | Path], session_id: str) -> identify.Mapping:
    """Map speaker labels to participants (voiceprints, introductions, addressing, order) and store voiceprints."""
    raw = rec.utterances
    centroids = rec.diarization.centroids if rec.diarization else {}
    pc = config.participants
    store_dir = voiceprint_dir or pc.voiceprint_dir
    store = identify.VoiceprintStore(store_dir) if store_dir else None
    prints: dict[str, np.ndarray] = store.load(pair, [p.id for p, _ in people]) if store and people else {}
    for p, sample in people:
        if sample and centroids:
            clip = load_audio(sample)
            emb = embed_clip(clip.mono)
            if emb is not None:
                prints[p.id] = emb  # an enrollment clip beats an older stored print
    mapping = identify.map_speakers(
        labels=rec.labels, first_speech=rec.first_speech, texts=align.speaker_text(raw),
        people=[identify.Person(p.id, p.name) for p, _ in people], centroids=centroids, prints=prints,
        threshold=pc.voiceprint_threshold, use_introductions=pc.use_introductions,
    )
    kept = False
    if store and pair and pc.save_voiceprints:
        for lab, how in mapping.per_label.items():
            if how in ("voiceprint", "introduction") and lab in centroids:
                store.save(pair, mapping.speaker_map[lab], centroids[lab], session_id=session_id)
        # every speaker's voice, guessed mappings included: the programme report checks them against the
        # pair's other sessions (identify.voice_consistency)
        voices = {lab: centroids[lab] for lab in rec.labels if lab in centroids}
        if voices and people:
            store.save_session(pair, session_id, voices)
            kept = True
    if store and pair and not kept:
        store.drop_session(pair, session_id)  # an earlier run's voices would no longer match this session's labels
    return mapping


def _utterance(i: int, u: align.RawUtterance, pid: str) -> Utterance:
    probs = [w.word.probability for w in u.words]
    flags = list(dict.fromkeys([*(f for w in u.words for f in w.flags), *(["overlap"] if any(w.overlap for w in u.words) else [])]))
    if not u.words:
        flags.append("no_words")  # speech in which no word was recognised: talk time, no text
    return Utterance(
        id=f"u{i:04d}", speaker=pid, text=u.text, start=round(u.start, 3), end=round(u.end, 3),
        words=tuple(Word(w.word.text.strip(), round(w.word.start, 3), round(w.word.end, 3), round(w.word.probability, 4))
                    for w in u.words),
        confidence=round(float(np.mean(probs)), 4) if probs else None, flags=tuple(flags),
    )


def build_session(rec: Recognised, mapping: identify.Mapping, people: list[tuple[Participant, Optional[str]]], *,
                  config: Config, entry: Any, session_id: str) -> Session:
    """The Session: utterances, participants, data quality, audio facts and stage outcomes."""
    raw, asr, diar, audio = rec.utterances, rec.asr, rec.diarization, rec.decoded.audio
    notes = list(rec.notes)
    if rec.channel_mode and people:
        notes.append("channel → participant mapping: " + ", ".join(f"{k}→{v}" for k, v in mapping.speaker_map.items()))
    participants = [p for p, _ in people]
    for lab in rec.labels:
        pid = mapping.speaker_map[lab]
        if pid not in {p.id for p in participants}:
            participants.append(Participant(pid, lab if not people else f"unknown speaker {lab}", Role.OTHER))
    utterances = [_utterance(i, u, mapping.speaker_map[u.speaker]) for i, u in enumerate(raw, 1)]
    words_all = [w.word.probability for u in raw for w in u.words]
    probs = np.asarray(words_all) if words_all else None
    wordless = [u for u in raw if not u.words]
    if wordless:
        notes.append(f"{counted(len(wordless), 'speaker turn')}, {sum(u.end - u.start for u in wordless):.1f} s, had speech "
                     "but no recognised words (counted as talk time)")
    for r in rec.results:
        notes.extend(r.notes)
    notes.extend(mapping.notes)
    if diar and diar.degraded:
        notes.append(f"diarization degraded: {diar.degraded}")
    from sessionscope.analysis.questions import punctuation_notes
    from sessionscope.language.nlp import language_notes

    notes.extend(language_notes([u.text for u in utterances]))  # speech in a language Whisper was not set to
    notes.extend(punctuation_notes([u.text for u in utterances]))  # a recogniser that writes "?" as "." (Whisper may)
    results = rec.results
    quality = DataQuality(
        timing_available=True, asr_model=config.asr.model,
        mean_word_confidence=round(float(probs.mean()), 4) if probs is not None else None,
        low_confidence_word_share=round(float((probs < 0.5).mean()), 4) if probs is not None else None,
        hallucinations_dropped=sum(r.filtered.hallucinations_dropped for r in results),
        repetitions_dropped=sum(r.filtered.repetitions_dropped for r in results),
        dropped_texts=tuple(t for r in results for t in r.filtered.dropped_texts),
        speaker_mapping_method=mapping.method if people else None,
        speaker_mapping_confidence=round(mapping.confidence, 3) if mapping.confidence is not None and people else None,
        speaker_mapping_margin=round(mapping.margin, 4) if mapping.margin is not None and people else None,
        unmapped_speaker_labels=mapping.unmapped, notes=tuple(dict.fromkeys(n for n in notes if n)),
    )
    extra = {"audio": {
        "input_sha256": rec.decoded.sha256, "duration_s": round(audio.duration_s, 3), "channels": audio.n_channels,
        # a file decoded only in part (cut short, damaged): a flag, not only the data-quality note's words (round 23)
        "truncated": audio.truncated,
        "expected_s": None if audio.expected_s is None else round(audio.expected_s, 3),
        "language": asr.language, "language_source": asr.language_source,
        "language_probability": None if asr.language_probability is None else round(asr.language_probability, 4),
        "language_probability_raw": None if asr.language_probability_raw is None else round(asr.language_probability_raw, 4),
        "diarization": "channels" if rec.channel_mode else (diar.method if diar else "off"),
        "channel_test": rec.channel_stats, "speech_s": round(diar.speech_s, 2) if diar else None,
        "speaker_map": mapping.speaker_map, "speaker_mapping": mapping.per_label,
        "utterance_labels": [u.speaker for u in raw],
        "speaker_turns": [[t.start, t.end, t.speaker] for t in diar.turns] if diar else [],
        "wall_s": dict(rec.clock.wall), "cpu_s": dict(rec.clock.cpu),
        "concurrent_recognition": "recognition" in rec.clock.wall,  # transcription and diarization at once
    }}
    pair = getattr(entry, "pair_id", None) or getattr(entry, "pair", None)
    session = Session(
        id=session_id, participants=tuple(participants), utterances=tuple(utterances), pair_id=pair,
        date=getattr(entry, "date", None), language=asr.language, duration_s=round(audio.duration_s, 3),
        source=str(rec.decoded.path), quality=quality, extra=extra,
    )
    for name, status, reason, seconds in rec.stage_runs:
        session = record_stage_run(session, name, status, reason, seconds)  # type: ignore[arg-type]
    if people:
        reason = (f"by {mapping.method}" + ("" if mapping.confidence is not None else "; no measured confidence"))
        session = record_stage_run(session, "audio.speaker_mapping", "ok", reason, rec.clock.wall.get("identification", 0.0))
    return session


def transcribe_file(path: str | Path, *, config: Config, entry: Any = None, hook: Hook = None,
                    session_id: Optional[str] = None, language: Optional[str] = None,
                    voiceprint_dir: Optional[str | Path] = None, cache: Optional[ResultCache] = None,
                    no_cache: bool = False) -> Session:
    """Transcribe, diarize and attribute one recording.

    Args:
        path: audio or video file.
        config: resolved configuration (``asr``, ``diarization``, ``participants``).
        entry: the recording's manifest entry (``ManifestEntry``: participants, roles, voice
            samples, language, pair, date), if any.
        hook: progress callback ``hook(step, completed=, total=)``.
        session_id: overrides the id (default: the entry's id or the file stem).
        language: language for recordings without one in the entry (e.g. ``--language``).
        voiceprint_dir: where voiceprints are kept (default ``participants.voiceprint_dir``).
        cache: result cache (default: the sessionscope cache folder).
        no_cache: recompute transcription and diarization instead of reading the cache
            (fresh results are still written to it).

    Raises:
        AudioError: unreadable, silent or speechless input. ModelError: model problems.
    """
    from sessionscope.models import fixed_blas_threads

    path = Path(path)
    cache = cache or ResultCache()
    clock = StageClock()
    with clock.stage("decode"):
        decoded = decode_step(path, hook)
    keep_freed_memory()
    seed_everything(decoded.sha256)
    people = people_from_entry(entry)
    sid = session_id or str(getattr(entry, "id", None) or path.stem)
    rec = recognise_step(decoded, config=config, language=getattr(entry, "language", None) or language,
                         n_people=len(people), cache=cache, hook=hook, no_cache=no_cache, clock=clock)
    pair = getattr(entry, "pair_id", None) or getattr(entry, "pair", None)
    with clock.stage("identification"), fixed_blas_threads():
        mapping = identify_step(rec, people, config=config, pair=pair, voiceprint_dir=voiceprint_dir, session_id=sid)
    session = build_session(rec, mapping, people, config=config, entry=entry, session_id=sid)
    if session.date is None:  # no manifest date: the one the recording's file name carries, said to come from there
        from sessionscope.io._common import DATE_FROM_NAME, date_in_name

        day = date_in_name(path)
        if day is not None:
            session = session.evolve(date=day, extra={**session.extra, "date_source": DATE_FROM_NAME})
    return session

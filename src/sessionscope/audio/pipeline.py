"""``transcribe_file``: one recording → a speaker-attributed :class:`Session`.

decode → (channel test) → ASR + hallucination filter → diarization → word alignment →
speaker identification → Session with a data-quality section. ASR and diarization
results are cached by content hash; models are loaded once per process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
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
from sessionscope.audio.decode import Audio, load_audio, speech_level
from sessionscope.audio.diarize import Diarization, diarization_params, diarize, embed_clip
from sessionscope.config import Config
from sessionscope.errors import AudioError, InputError
from sessionscope.fileio import sha256_file
from sessionscope.model import DataQuality, Participant, Role, Session, Utterance, Word
from sessionscope.text import slugify

log = logging.getLogger(__name__)

Hook = Optional[Callable[..., None]]




def people_from_entry(entry: Any) -> list[tuple[Participant, Optional[str]]]:
    """(participant, voice sample path) from a manifest entry, in manifest order."""
    out = []
    for p in getattr(entry, "participants", None) or ():
        name = str(getattr(p, "name", None) or getattr(p, "id", "participant"))
        pid = str(getattr(p, "participant_id", None) or getattr(p, "id", None) or slugify(name))
        role = getattr(p, "role", None)
        role = role if isinstance(role, Role) else Role.parse(None if role is None else str(getattr(role, "value", role)))
        sample = getattr(p, "voice_sample", None)
        out.append((Participant(pid, name, role), str(sample) if sample else None))
    return out


def _asr(audio: Audio, sha: str, config: Config, language: Optional[str], cache: ResultCache, hook: Hook,
         channel: Optional[int] = None) -> AsrResult:
    params = {**asr_params(config.asr), "language": language, "channel": channel}
    key = cache_key(sha, "asr", params)
    if (hit := cache.get("asr", key)) is not None:
        log.info("%s: transcription from cache", audio.source)
        return asr_from_dict(hit)
    samples = audio.mono if channel is None else audio.channels[channel]
    result = transcribe(samples, config=config.asr, language=language, hook=hook)
    cache.put("asr", key, asr_to_dict(result))
    return result


def _diarize(audio: Audio, sha: str, config: Config, n_speakers: Optional[int], cache: ResultCache, hook: Hook) -> Diarization:
    dc = config.diarization
    lo, hi = (n_speakers, n_speakers) if n_speakers else (dc.min_speakers, max(dc.min_speakers, dc.max_speakers))
    params = {**diarization_params(dc), "min": lo, "max": hi}
    key = cache_key(sha, "diarization", params)
    if (hit := cache.get("diarization", key)) is not None:
        log.info("%s: diarization from cache", audio.source)
        return diarization_from_dict(hit)
    result = diarize(audio.mono, min_speakers=lo, max_speakers=hi, window_s=dc.window_s, step_s=dc.step_s,
                     merge_threshold=dc.merge_threshold, vad_threshold=dc.vad_threshold,
                     segmentation=dc.segmentation, hook=hook)
    cache.put("diarization", key, diarization_to_dict(result))
    return result


def transcribe_file(path: str | Path, *, config: Config, entry: Any = None, hook: Hook = None,
                    session_id: Optional[str] = None, language: Optional[str] = None,
                    voiceprint_dir: Optional[str | Path] = None, cache: Optional[ResultCache] = None) -> Session:
    """Transcribe, diarize and attribute one recording.

    Args:
        path: audio or video file.
        config: resolved configuration (``asr``, ``diarization``, ``participants``).
        entry: the recording's manifest entry (participants, roles, voice samples,
            language, pair, date), if any.
        hook: progress callback ``hook(step, completed=, total=)``.
        session_id: overrides the id (default: the entry's id or the file stem).
        language: language for recordings without one in the entry (e.g. ``--language``).
        voiceprint_dir: where voiceprints are kept (default ``participants.voiceprint_dir``).
        cache: result cache (default: the sessionscope cache folder).

    Raises:
        AudioError: unreadable, silent or speechless input. ModelError: model problems.
    """
    path = Path(path)
    cache = cache or ResultCache()
    try:
        sha = sha256_file(path)
    except OSError as e:
        raise InputError(f"cannot read file: {e.strerror or e}", path=path) from e
    if hook:
        hook("decode")
    audio = load_audio(path)
    if speech_level(audio.mono) < -60.0:
        raise AudioError(f"the recording is silent (peak level {speech_level(audio.mono):.0f} dBFS); nothing to transcribe",
                         path=path)
    lang = getattr(entry, "language", None) or language
    people = people_from_entry(entry)
    dc = config.diarization
    notes: list[str] = []
    if audio.truncated:
        notes.append(f"the file looks truncated or damaged: decoded {audio.duration_s:.1f} s"
                     + (f" of {audio.expected_s:.1f} s announced" if audio.expected_s else ""))
    channel_mode = False
    channel_stats: dict[str, float] = {}
    if audio.n_channels >= 2 and dc.channel_mode != "never":
        from sessionscope.audio.channels import separate_channels

        channel_mode, channel_stats = separate_channels(audio.channels)
        channel_mode = channel_mode or dc.channel_mode == "always"
    diar: Optional[Diarization] = None
    if channel_mode:
        notes.append(f"diarized by channel ({audio.n_channels} channels, one speaker each)")
        streams: dict[str, Any] = {}
        results = []
        for ch in range(audio.n_channels):
            if hook:
                hook(f"transcribe channel {ch + 1}")
            try:
                r = _asr(audio, sha, config, lang, cache, hook, channel=ch)
            except AudioError:
                continue  # a silent channel
            results.append(r)
            streams[f"SPEAKER_{ch:02d}"] = r.segments
        if not results:
            raise AudioError("no speech found on any channel", path=path)
        asr = results[0]
        raw = align.group_by_stream(streams)
        centroids = {}
    else:
        if hook:
            hook("transcribe")
        asr = _asr(audio, sha, config, lang, cache, hook)
        results = [asr]
        if dc.enabled:
            if hook:
                hook("diarize")
            diar = _diarize(audio, sha, config, len(people) or None, cache, hook)
            turns = diar.turns
        else:
            turns = ()
        raw = align.group_utterances(align.assign_words(asr.segments, turns))
        centroids = diar.centroids if diar else {}
    if not raw:
        dropped = sum(r.filtered.hallucinations_dropped for r in results)
        raise AudioError("no speech found (silence, music or noise only"
                         + (f"; {dropped} hallucinated segment(s) dropped)" if dropped else ")"), path=path)

    # -- who is who -------------------------------------------------------------------
    labels = sorted({u.speaker for u in raw}, key=lambda lab: align.first_speech(raw)[lab])
    pc = config.participants
    pair = getattr(entry, "pair_id", None) or getattr(entry, "pair", None)
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
        labels=labels, first_speech=align.first_speech(raw), texts=align.speaker_text(raw),
        people=[identify.Person(p.id, p.name) for p, _ in people], centroids=centroids, prints=prints,
        threshold=pc.voiceprint_threshold, use_introductions=pc.use_introductions,
    )
    if channel_mode and people:
        notes.append("channel → participant mapping: " + ", ".join(f"{k}→{v}" for k, v in mapping.speaker_map.items()))
    participants = [p for p, _ in people]
    for lab in labels:
        pid = mapping.speaker_map[lab]
        if pid not in {p.id for p in participants}:
            participants.append(Participant(pid, lab if not people else f"unknown speaker {lab}", Role.OTHER))
    if store and pair and pc.save_voiceprints:
        for lab, how in mapping.per_label.items():
            if how in ("voiceprint", "introduction") and lab in centroids:
                store.save(pair, mapping.speaker_map[lab], centroids[lab], session_id=session_id or path.stem)

    # -- the session --------------------------------------------------------------------
    utterances = []
    words_all: list[float] = []
    for i, u in enumerate(raw, 1):
        probs = [w.word.probability for w in u.words]
        words_all.extend(probs)
        flags = tuple(dict.fromkeys([*(f for w in u.words for f in w.flags), *(["overlap"] if any(w.overlap for w in u.words) else [])]))
        utterances.append(Utterance(
            id=f"u{i:04d}", speaker=mapping.speaker_map[u.speaker], text=u.text, start=round(u.start, 3), end=round(u.end, 3),
            words=tuple(Word(w.word.text.strip(), round(w.word.start, 3), round(w.word.end, 3), round(w.word.probability, 4))
                        for w in u.words),
            confidence=round(float(np.mean(probs)), 4) if probs else None, flags=flags,
        ))
    probs = np.asarray(words_all) if words_all else None
    for r in results:
        notes.extend(r.notes)
    notes.extend(mapping.notes)
    quality = DataQuality(
        timing_available=True, asr_model=config.asr.model,
        mean_word_confidence=round(float(probs.mean()), 4) if probs is not None else None,
        low_confidence_word_share=round(float((probs < 0.5).mean()), 4) if probs is not None else None,
        hallucinations_dropped=sum(r.filtered.hallucinations_dropped for r in results),
        repetitions_dropped=sum(r.filtered.repetitions_dropped for r in results),
        dropped_texts=tuple(t for r in results for t in r.filtered.dropped_texts),
        speaker_mapping_method=mapping.method if people else None,
        speaker_mapping_confidence=round(mapping.confidence, 3) if mapping.confidence is not None and people else None,
        unmapped_speaker_labels=mapping.unmapped, notes=tuple(dict.fromkeys(n for n in notes if n)),
    )
    extra = {"audio": {
        "input_sha256": sha, "duration_s": round(audio.duration_s, 3), "channels": audio.n_channels,
        "language": asr.language, "language_source": asr.language_source,
        "language_probability": None if asr.language_probability is None else round(asr.language_probability, 4),
        "diarization": "channels" if channel_mode else (diar.method if diar else "off"),
        "channel_test": channel_stats, "speech_s": round(diar.speech_s, 2) if diar else None,
        "speaker_map": mapping.speaker_map, "speaker_mapping": mapping.per_label,
        "utterance_labels": [u.speaker for u in raw],
        "speaker_turns": [[t.start, t.end, t.speaker] for t in diar.turns] if diar else [],
    }}
    return Session(
        id=session_id or str(getattr(entry, "id", None) or path.stem), participants=tuple(participants),
        utterances=tuple(utterances), pair_id=pair, date=getattr(entry, "date", None), language=asr.language,
        duration_s=round(audio.duration_s, 3), source=str(path), quality=quality, extra=extra,
    )

"""The JSON that commercial speech-to-text services return: AssemblyAI, Deepgram, AWS Transcribe, Rev.ai.

Researchers often already have these files; each becomes the same :class:`Record` list
as the other readers. What is read (the documented output of each service):

* **AssemblyAI** transcript object: ``utterances`` (``speaker`` "A"/"B", ``start``/``end``
  in milliseconds, ``text``, ``confidence``, ``words``), or, without utterances, the
  ``words`` grouped where their ``speaker`` changes; ``language_code``, ``audio_duration`` (s).
* **Deepgram** pre-recorded response: ``results.utterances`` when present, else
  ``results.channels[i].alternatives[0].words`` grouped where ``speaker`` changes
  (``punctuated_word`` preferred); without speakers, each channel of a multichannel
  response is one speaker; ``metadata.duration``, ``detected_language``.
* **AWS Transcribe** job output: ``results.items`` (times as strings of seconds,
  punctuation items joined to the word before), speakers from ``speaker_label`` on items or
  ``results.speaker_labels.segments``; or ``results.channel_labels`` (one speaker per channel).
* **Rev.ai** transcript: ``monologues`` of ``elements`` (``text`` words with ``ts``/``end_ts``,
  ``punct`` marks and spaces).

Speaker labels stay as the service writes them when they are strings (AssemblyAI "A",
AWS "spk_0" / "ch_0"); integer speakers and channels become ``SPEAKER_00``…, the labels
sessionscope's own diarization gives, so ``-p SPEAKER_00=junior`` maps them. A transcript
without speakers is read like any speakerless file: one ``unknown`` participant (its words
split into sentences), with a note saying which option of the service adds speakers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Optional

from sessionscope.errors import InputError
from sessionscope.io._common import Record, Recording, check_time, clean_label, parse_seconds
from sessionscope.model import Word

#: Service names as they appear in messages, by the kind :func:`service_kind` returns.
SERVICES = {"assemblyai": "AssemblyAI", "deepgram": "Deepgram", "aws": "AWS Transcribe", "revai": "Rev.ai"}

_SENTENCE_END = re.compile(r"[.?!…][\"')\]»”]*$")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*")

Pair = tuple[Optional[str], Word]


def service_kind(data: Any) -> Optional[str]:
    """Which service's JSON ``data`` is (a key of :data:`SERVICES`), or ``None`` for none of them."""
    if not isinstance(data, dict) or "segments" in data or "schema_version" in data:
        return None
    if "monologues" in data:
        return "revai"
    results = data.get("results")
    if isinstance(results, dict):
        if results.keys() & {"items", "transcripts", "speaker_labels", "channel_labels"}:
            return "aws"
        if results.keys() & {"channels", "utterances"}:
            return "deepgram"
    if "utterances" in data or "words" in data:
        return "assemblyai"
    return None


def parse_service_json(data: Any, kind: str, *, path: str | Path) -> Recording:
    """Records of a service's transcript JSON (already parsed; ``kind`` from :func:`service_kind`).

    Raises:
        InputError: a field of the wrong type, a word without times, an utterance ending
            before it starts (the message names the utterance, item or word).
    """
    parse = {"assemblyai": _assemblyai, "deepgram": _deepgram, "aws": _aws, "revai": _revai}[kind]
    records, language, duration, unlabelled_hint = parse(data, path)
    rec = Recording(id=Path(path).stem, records=[r for r in records if r is not None],
                    language=_language(language), duration_s=duration)
    if rec.records and all(r.label is None for r in rec.records):
        rec.notes.append(f"{SERVICES[kind]} transcript without speakers (request {unlabelled_hint} to get them): "
                         "its sentences are read as one unknown speaker")
    return rec


# ---- shared pieces ---------------------------------------------------------------------------------------------

def _obj(value: Any, *, where: str, path: str | Path) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"{where} must be an object, not {type(value).__name__}", path=path)
    return value


def _list(container: dict[str, Any], key: str, *, where: str, path: str | Path) -> list[Any]:
    """``container[key]`` as a list; absent or ``null`` is an empty list, anything else an error."""
    value = container.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{where}: '{key}' must be a list, not {type(value).__name__}", path=path)
    return value


def _time(value: Any, *, what: str, path: str | Path, ms: bool = False, required: bool = False) -> Optional[float]:
    """Seconds from seconds (a number or a string of one) or from milliseconds, within the length bound."""
    if value is None:
        if required:
            raise InputError(f"{what} is missing (every word needs a start and an end time)", path=path)
        return None
    if not ms:
        return parse_seconds(value, what=what, path=path)
    raw = parse_seconds(value, what=f"{what} (milliseconds)", path=path, time=False)
    return check_time(raw / 1000, what=what, value=f"{value} ms", path=path) if raw is not None else None


def _word(text: Any, start: Any, end: Any, confidence: Any, *, where: str, path: str | Path,
          ms: bool = False) -> Word:
    if not isinstance(text, str):
        raise InputError(f"{where}: a word needs its text as a string", path=path)
    s = _time(start, what=f"{where}: start", path=path, ms=ms, required=True)
    e = _time(end, what=f"{where}: end", path=path, ms=ms, required=True)
    if s is not None and e is not None and e < s:
        raise InputError(f"{where}: ends ({e}) before it starts ({s})", path=path)
    conf = parse_seconds(confidence, what=f"{where}: confidence", path=path, time=False)
    return Word(text=text.strip(), start=s, end=e, confidence=round(min(conf, 1.0), 4) if conf is not None else None)


def _speaker(value: Any) -> Optional[str]:
    """A speaker label: integers as ``SPEAKER_00``, strings as written."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return f"SPEAKER_{value:02d}"
    return clean_label(str(value))


def _language(value: Any) -> Optional[str]:
    """The primary language subtag ("en_us", "en-US" → "en"), as the WebVTT reader keeps it."""
    if isinstance(value, str) and _LANGUAGE.fullmatch(value.strip()):
        return re.split(r"[-_]", value.strip())[0].lower()
    return None


def _record(label: Optional[str], words: Sequence[Word], *, text: Optional[str] = None,
            start: Optional[float] = None, end: Optional[float] = None, confidence: Any = None,
            where: str = "", path: str | Path = "") -> Optional[Record]:
    """One record from words (and the utterance's own text, times and confidence, when the service gives them)."""
    words = [w for w in words if w.text]
    body = " ".join((text if text is not None else " ".join(w.text for w in words)).split())
    if not body:
        return None
    if start is None and words:
        start = min(w.start for w in words if w.start is not None)
    if end is None and words:
        end = max(w.end for w in words if w.end is not None)
    if start is not None and end is not None and end < start:
        raise InputError(f"{where}: ends ({end}) before it starts ({start})", path=path)
    confs = [w.confidence for w in words if w.confidence is not None]
    conf = round(sum(confs) / len(confs), 4) if confs else parse_seconds(
        confidence, what=f"{where}: confidence", path=path, time=False)
    return Record(label=label, text=body, start=start, end=end, words=tuple(words),
                  confidence=round(min(conf, 1.0), 4) if conf is not None else None)


def _turns(pairs: Sequence[Pair]) -> list[Optional[Record]]:
    """Records of consecutive words: a new one where the speaker changes; words without any speaker one a sentence.

    When some words carry a speaker, a word without one stays with the speaker before it
    (the first speaker for words before any), as the WhisperX reader does.
    """
    first = next((s for s, _ in pairs if s is not None), None)
    out: list[Optional[Record]] = []
    run: list[Word] = []
    label: Optional[str] = None
    current = first
    for spk, w in pairs:
        current = spk if spk is not None else current
        if run and (current != label or (label is None and _SENTENCE_END.search(run[-1].text))):
            out.append(_record(label, run))
            run = []
        label = current
        run.append(w)
    if run:
        out.append(_record(label, run))
    return out


Parsed = tuple[list[Optional[Record]], Any, Optional[float], str]


# ---- AssemblyAI ------------------------------------------------------------------------------------------------

def _assemblyai_word(raw: Any, *, where: str, path: str | Path) -> Pair:
    w = _obj(raw, where=where, path=path)
    return _speaker(w.get("speaker")), _word(w.get("text"), w.get("start"), w.get("end"), w.get("confidence"),
                                            where=where, path=path, ms=True)


def _assemblyai(data: dict[str, Any], path: str | Path) -> Parsed:
    status = data.get("status")
    if status in ("queued", "processing", "error") and not data.get("words") and not data.get("utterances"):
        detail = f" ({data['error']})" if isinstance(data.get("error"), str) else ""
        raise InputError(f"the AssemblyAI transcript has status {status!r}{detail} and no words: fetch it again "
                         "once its status is 'completed'", path=path)
    records: list[Optional[Record]] = []
    utterances = _list(data, "utterances", where="AssemblyAI transcript", path=path)
    if utterances:
        for i, raw in enumerate(utterances):
            where = f"utterance {i}"
            u = _obj(raw, where=where, path=path)
            words = [_assemblyai_word(w, where=f"{where}, word {k}", path=path)
                     for k, w in enumerate(_list(u, "words", where=where, path=path))]
            text = u.get("text")
            if text is not None and not isinstance(text, str):
                raise InputError(f"{where}: 'text' must be a string", path=path)
            records.append(_record(_speaker(u.get("speaker")), [w for _, w in words], text=text,
                                   start=_time(u.get("start"), what=f"{where}: start", path=path, ms=True),
                                   end=_time(u.get("end"), what=f"{where}: end", path=path, ms=True),
                                   confidence=u.get("confidence"), where=where, path=path))
    else:
        records = _turns([_assemblyai_word(w, where=f"word {k}", path=path)
                          for k, w in enumerate(_list(data, "words", where="AssemblyAI transcript", path=path))])
    duration = parse_seconds(data.get("audio_duration"), what="audio_duration", path=path)
    return records, data.get("language_code"), duration, "speaker_labels: true"


# ---- Deepgram --------------------------------------------------------------------------------------------------

def _deepgram(data: dict[str, Any], path: str | Path) -> Parsed:
    results = _obj(data["results"], where="results", path=path)
    meta: dict[str, Any] = data["metadata"] if isinstance(data.get("metadata"), dict) else {}
    channels = _list(results, "channels", where="results", path=path)
    n_meta = meta.get("channels")
    multi = max(len(channels), n_meta if isinstance(n_meta, int) and not isinstance(n_meta, bool) else 0) > 1

    def label(speaker: Any, channel: Any) -> Optional[str]:
        ch = channel if isinstance(channel, int) and not isinstance(channel, bool) else 0
        spk = _speaker(speaker)
        if not multi:
            return spk
        return f"ch{ch} {spk}" if spk is not None else f"SPEAKER_{ch:02d}"

    def word(raw: Any, where: str, channel: Any) -> Pair:
        w = _obj(raw, where=where, path=path)
        text = w.get("punctuated_word") if isinstance(w.get("punctuated_word"), str) else w.get("word")
        return label(w.get("speaker"), channel), _word(text, w.get("start"), w.get("end"), w.get("confidence"),
                                                       where=where, path=path)

    records: list[Optional[Record]] = []
    utterances = _list(results, "utterances", where="results", path=path)
    for i, raw in enumerate(utterances):
        where = f"utterance {i}"
        u = _obj(raw, where=where, path=path)
        words = [word(w, f"{where}, word {k}", u.get("channel")) for k, w in
                 enumerate(_list(u, "words", where=where, path=path))]
        text = u.get("transcript")
        if text is not None and not isinstance(text, str):
            raise InputError(f"{where}: 'transcript' must be a string", path=path)
        records.append(_record(label(u.get("speaker"), u.get("channel")), [w for _, w in words], text=text,
                               start=_time(u.get("start"), what=f"{where}: start", path=path),
                               end=_time(u.get("end"), what=f"{where}: end", path=path),
                               confidence=u.get("confidence"), where=where, path=path))
    language = None
    for c, raw in enumerate(channels):
        ch = _obj(raw, where=f"channel {c}", path=path)
        language = language or ch.get("detected_language")
        alternatives = _list(ch, "alternatives", where=f"channel {c}", path=path)
        if utterances or not alternatives:
            continue
        alt = _obj(alternatives[0], where=f"channel {c}, alternative 0", path=path)
        records += _turns([word(w, f"channel {c}, word {k}", c)
                           for k, w in enumerate(_list(alt, "words", where=f"channel {c}", path=path))])
    duration = parse_seconds(meta.get("duration"), what="metadata.duration", path=path)
    return records, language, duration, "diarize=true, or multichannel=true for one speaker per channel"


# ---- AWS Transcribe --------------------------------------------------------------------------------------------

def _aws_pairs(items: list[Any], *, where: str, path: str | Path,
               speaker_of: Callable[[dict[str, Any], float], Optional[str]]) -> list[Pair]:
    """Words of AWS items; a punctuation item is joined to the word before it, without a space."""
    pairs: list[Pair] = []
    for k, raw in enumerate(items):
        at = f"{where}item {k}"
        item = _obj(raw, where=at, path=path)
        alternatives = _list(item, "alternatives", where=at, path=path)
        alt = _obj(alternatives[0], where=f"{at}, alternative 0", path=path) if alternatives else {}
        content = alt.get("content")
        if not isinstance(content, str):
            raise InputError(f"{at}: needs alternatives[0].content as a string", path=path)
        if item.get("type") == "punctuation":
            if pairs:
                spk, w = pairs[-1]
                pairs[-1] = (spk, replace(w, text=w.text + content.strip()))
            continue
        w = _word(content, item.get("start_time"), item.get("end_time"), alt.get("confidence"), where=at, path=path)
        pairs.append((speaker_of(item, w.start or 0.0), w))
    return pairs


def _aws_segments(results: dict[str, Any], path: str | Path) -> list[tuple[float, float, str]]:
    """``(start, end, label)`` of the items of ``speaker_labels.segments`` (older outputs put speakers only there)."""
    labels = results.get("speaker_labels")
    if labels is None:
        return []
    spans = []
    for i, raw in enumerate(_list(_obj(labels, where="results.speaker_labels", path=path), "segments",
                                  where="results.speaker_labels", path=path)):
        where = f"speaker segment {i}"
        seg = _obj(raw, where=where, path=path)
        spk = _speaker(seg.get("speaker_label"))
        parts = _list(seg, "items", where=where, path=path) or [seg]
        for k, part in enumerate(parts):
            p = _obj(part, where=f"{where}, item {k}", path=path)
            s = _time(p.get("start_time"), what=f"{where}, item {k}: start_time", path=path)
            e = _time(p.get("end_time"), what=f"{where}, item {k}: end_time", path=path)
            label = _speaker(p.get("speaker_label")) or spk
            if s is not None and e is not None and label is not None:
                spans.append((s, e, label))
    return spans


def _aws(data: dict[str, Any], path: str | Path) -> Parsed:
    results = _obj(data["results"], where="results", path=path)
    records: list[Optional[Record]] = []
    if results.get("channel_labels") is not None:
        channels = _obj(results["channel_labels"], where="results.channel_labels", path=path)
        for c, raw in enumerate(_list(channels, "channels", where="results.channel_labels", path=path)):
            ch = _obj(raw, where=f"channel {c}", path=path)
            name = _speaker(ch.get("channel_label")) or f"ch_{c}"
            records += _turns([(name, w) for _, w in _aws_pairs(_list(ch, "items", where=f"channel {c}", path=path),
                                                                where=f"channel {c}, ", path=path,
                                                                speaker_of=lambda _item, _start: None)])
    else:
        spans = _aws_segments(results, path)
        exact = {round(s, 3): label for s, _, label in spans}

        def speaker_of(item: dict[str, Any], start: float) -> Optional[str]:
            own = _speaker(item.get("speaker_label"))
            if own is not None:
                return own
            return exact.get(round(start, 3)) or next((lab for s, e, lab in spans if s <= start < e), None)

        records = _turns(_aws_pairs(_list(results, "items", where="results", path=path), where="", path=path,
                                    speaker_of=speaker_of))
    return records, results.get("language_code"), None, "ShowSpeakerLabels or ChannelIdentification"


# ---- Rev.ai ----------------------------------------------------------------------------------------------------

def _revai_name(mono: dict[str, Any]) -> Optional[str]:
    """The name a monologue gives its speaker (``speaker_name``, or ``speaker_info.display_name``), if any."""
    info = mono.get("speaker_info")
    for name in (mono.get("speaker_name"), info.get("display_name") if isinstance(info, dict) else None):
        if isinstance(name, str) and clean_label(name):
            return clean_label(name)
    return None


def _revai(data: dict[str, Any], path: str | Path) -> Parsed:
    records: list[Optional[Record]] = []
    monologues = [_obj(raw, where=f"monologue {i}", path=path)
                  for i, raw in enumerate(_list(data, "monologues", where="Rev.ai transcript", path=path))]
    # a speaker named in one monologue is the same person in those that only give the number
    names = {repr(m.get("speaker")): n for m in monologues if (n := _revai_name(m)) is not None}
    for i, mono in enumerate(monologues):
        where = f"monologue {i}"
        label = _revai_name(mono) or names.get(repr(mono.get("speaker"))) or _speaker(mono.get("speaker"))
        text: list[str] = []
        words: list[Word] = []
        for k, el in enumerate(_list(mono, "elements", where=where, path=path)):
            at = f"{where}, element {k}"
            e = _obj(el, where=at, path=path)
            value = e.get("value")
            if e.get("type") not in ("text", "punct"):
                continue  # "unknown" elements are tags such as <inaudible>, not words
            if not isinstance(value, str):
                raise InputError(f"{at}: 'value' must be a string", path=path)
            text.append(value)
            if e["type"] == "text":
                words.append(_word(value, e.get("ts"), e.get("end_ts"), e.get("confidence"), where=at, path=path))
            elif value.strip() and words:
                words[-1] = replace(words[-1], text=words[-1].text + value.strip())
        records.append(_record(label, words, text="".join(text), where=where, path=path))
    return records, None, None, "speaker diarization"

"""Whisper-family JSON: WhisperX, faster-whisper / openai-whisper segment dumps, and session.json.

Accepted shapes:

* ``{"segments": [...], "language": "en"}`` (WhisperX, openai-whisper ``--output_format json``);
* ``[{"start": .., "end": .., "text": ..}, ...]`` (a list of faster-whisper ``Segment``
  objects dumped with ``dataclasses.asdict`` / ``_asdict``), or of the arrays that
  ``json.dump`` makes of faster-whisper < 1.0 ``Segment`` NamedTuples;
* ``{"segments": [...], "info": {"language": .., "duration": ..}}`` (segments plus
  faster-whisper's ``TranscriptionInfo``);
* sessionscope's own ``session.json`` (it has ``schema_version``).

Segments carry ``start``, ``end``, ``text`` and optionally ``speaker`` (WhisperX after
``assign_word_speakers``) and ``words`` (``word``/``text``, ``start``, ``end``,
``probability``/``score``, optionally ``speaker``). When words carry speakers but the
segment does not, the segment is split where the word speaker changes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Optional, cast

from sessionscope.errors import InputError
from sessionscope.io._common import Record, Recording, clean_label, parse_seconds
from sessionscope.io.asr_services import parse_service_json, service_kind
from sessionscope.model import Word


def load_json(text: str, *, path: str | Path) -> Any:
    """Parse JSON text, turning syntax errors into :class:`InputError` with the position."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}", path=path) from e
    except RecursionError as e:
        raise InputError("JSON nested too deeply", path=path) from e
    except ValueError as e:  # e.g. an integer of more than 4300 digits (Python's int conversion limit)
        raise InputError(f"invalid JSON: {e}", path=path) from e


def is_session_json(data: Any) -> bool:
    """Whether parsed JSON is a sessionscope ``session.json``."""
    return isinstance(data, dict) and "schema_version" in data and "utterances" in data


_NOT_A_TRANSCRIPT = ("not a transcript JSON this tool reads: expected a JSON list of segments or an object with a "
                     "'segments' list (WhisperX / faster-whisper / openai-whisper), a QMSum meeting "
                     "('meeting_transcripts'), an AssemblyAI transcript ('utterances' / 'words'), a Deepgram or AWS "
                     "Transcribe response ('results'), a Rev.ai transcript ('monologues'), or a sessionscope "
                     "session.json; other exports can be converted to 'Name: text' lines (docs/formats.md)")


def _segments(data: Any, *, path: str | Path) -> tuple[list[Any], dict[str, Any]]:
    if isinstance(data, list):
        if data and all(isinstance(x, dict) and "text" not in x and "words" not in x for x in data):
            # a list of records of some other kind (an annotation export: "meeting_id", "abstract"…) read as
            # segments gave "no utterances found (read as json)": say what was expected and what is there
            keys = sorted({k for x in data[:50] for k in x})[:8]
            raise InputError(f"{_NOT_A_TRANSCRIPT}; this is a list of objects with {', '.join(map(repr, keys))}, "
                             "none with 'text' or 'words'", path=path)
        return data, {}
    if isinstance(data, dict) and isinstance(data.get("segments"), list):
        info = cast(dict[str, Any], data.get("info")) if isinstance(data.get("info"), dict) else {}
        return data["segments"], {**info, **{k: v for k, v in data.items() if k in ("language", "duration")}}
    raise InputError(_NOT_A_TRANSCRIPT, path=path)


def _word(raw: Any, *, where: str, path: str | Path) -> tuple[Optional[str], Word]:
    if not isinstance(raw, dict):
        raise InputError(f"{where}: a word must be an object, not {type(raw).__name__}", path=path)
    text = raw.get("word", raw.get("text"))
    if not isinstance(text, str):
        raise InputError(f"{where}: a word needs a 'word' (or 'text') string", path=path)
    conf = raw.get("probability", raw.get("score"))
    conf_v = parse_seconds(conf, what=f"{where}: probability", path=path, time=False) if conf is not None else None
    speaker = raw.get("speaker")
    return (clean_label(str(speaker)) if speaker is not None else None,
            Word(text=text.strip(), start=parse_seconds(raw.get("start"), what=f"{where}: start", path=path),
                 end=parse_seconds(raw.get("end"), what=f"{where}: end", path=path),
                 confidence=round(min(conf_v, 1.0), 4) if conf_v is not None else None))


def _join(words: list[Word]) -> str:
    return " ".join(w.text for w in words if w.text)


def _from_tuple(seg: list[Any]) -> Any:
    """A faster-whisper < 1.0 ``Segment`` NamedTuple dumped by ``json.dump`` as an array.

    Only the fields whose position never changed are used: start, end, text (2–4) and
    the words, arrays of (start, end, word, probability).
    """
    if len(seg) >= 5 and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in seg[2:4]) \
            and isinstance(seg[4], str):
        words = next((x for x in seg[5:] if isinstance(x, list) and x and all(
            isinstance(w, list) and len(w) >= 4 and isinstance(w[2], str) for w in x)), [])
        return {"start": seg[2], "end": seg[3], "text": seg[4],
                "words": [{"start": w[0], "end": w[1], "word": w[2], "probability": w[3]} for w in words]}
    return seg


def _records_of(seg: Any, *, index: int, path: str | Path) -> list[Record]:
    where = f"segment {index}"
    if isinstance(seg, list):
        seg = _from_tuple(seg)
    if not isinstance(seg, dict):
        raise InputError(f"{where}: a segment must be an object, not {type(seg).__name__}", path=path)
    text = seg.get("text")
    if text is not None and not isinstance(text, str):
        raise InputError(f"{where}: 'text' must be a string", path=path)
    start = parse_seconds(seg.get("start"), what=f"{where}: start", path=path)
    end = parse_seconds(seg.get("end"), what=f"{where}: end", path=path)
    if start is not None and end is not None and end < start:
        raise InputError(f"{where}: ends ({end}) before it starts ({start})", path=path)
    raw_words = seg.get("words") or []
    if not isinstance(raw_words, list):
        raise InputError(f"{where}: 'words' must be a list", path=path)
    pairs = [_word(w, where=f"{where}, word {k}", path=path) for k, w in enumerate(raw_words)]
    words = [w for _, w in pairs if w.text]
    label = clean_label(str(seg["speaker"])) if seg.get("speaker") is not None else None
    confs = [w.confidence for w in words if w.confidence is not None]
    conf = round(sum(confs) / len(confs), 4) if confs else None
    timed_words = bool(words) and all(w.start is not None for w in words)
    if label is None and any(s is not None for s, _ in pairs):
        # WhisperX: speakers only on words -> split the segment at speaker changes
        # (WhisperX leaves words it could not align, e.g. numerals, without time and
        # speaker: they stay with the speaker around them)
        runs: list[tuple[Optional[str], list[Word]]] = []
        pending: list[Word] = []
        for s, w in pairs:
            if not w.text:
                continue
            if s is None:
                (runs[-1][1] if runs else pending).append(w)
            elif runs and runs[-1][0] == s:
                runs[-1][1].append(w)
            else:
                runs.append((s, [*pending, w]))
                pending = []
        out = []
        for s, ws in runs:
            times = [x for w in ws for x in (w.start, w.end) if x is not None]
            rc = [w.confidence for w in ws if w.confidence is not None]
            out.append(Record(label=s, text=_join(ws), start=min(times) if times else start,
                              end=max(times) if times else end, words=tuple(ws),
                              confidence=round(sum(rc) / len(rc), 4) if rc else None))
        return out
    body = " ".join((text if text is not None else _join(words)).split())
    if not body:
        return []
    return [Record(label=label, text=body, start=start, end=end, words=tuple(words) if timed_words else (),
                   confidence=conf)]


#: QMSum's annotation tags inside turns ("{vocalsound}", "{disfmarker}", "{gap}")
_QMSUM_TAG = re.compile(r"\{[a-z_]+\}")


def is_qmsum(data: Any) -> bool:
    """Whether parsed JSON is a QMSum meeting (``meeting_transcripts``: ``speaker`` / ``content`` turns)."""
    turns = data.get("meeting_transcripts") if isinstance(data, dict) else None
    return isinstance(turns, list) and bool(turns) and all(
        isinstance(t, dict) and "speaker" in t and "content" in t for t in turns)


def parse_qmsum(data: Any, *, path: str | Path) -> Recording:
    """Records of a QMSum meeting: one untimed record per turn, its ``{tags}`` removed.

    QMSum (Zhong et al. 2021) gives turns without times; its topic list and queries are
    annotations, not speech, and are not read.
    """
    records = []
    for k, turn in enumerate(data["meeting_transcripts"]):
        if not isinstance(turn["content"], str) or not isinstance(turn["speaker"], str):
            raise InputError(f"turn {k}: 'speaker' and 'content' must be strings", path=path)
        body = " ".join(_QMSUM_TAG.sub(" ", turn["content"]).split())
        if body:
            records.append(Record(label=clean_label(turn["speaker"]), text=body, start=None, end=None))
    rec = Recording(id=Path(path).stem, records=records)
    rec.notes.append("QMSum meeting: turns without times (shares are based on words)")
    return rec


def parse_whisper_json(data: Any, *, path: str | Path) -> Recording:
    """Records of a WhisperX / faster-whisper / openai-whisper JSON document, a QMSum meeting, or a speech-to-text
    service's transcript (:mod:`sessionscope.io.asr_services`), already parsed."""
    if is_qmsum(data):
        return parse_qmsum(data, path=path)
    service = service_kind(data)
    if service is not None:
        return parse_service_json(data, service, path=path)
    segments, info = _segments(data, path=path)
    records: list[Record] = []
    for i, seg in enumerate(segments):
        records.extend(_records_of(seg, index=i, path=path))
    language = info.get("language")
    rec = Recording(id=Path(path).stem, records=records,
                    language=language if isinstance(language, str) and language else None,
                    duration_s=parse_seconds(info.get("duration"), what="duration", path=path))
    if records and all(r.label is None for r in records):
        rec.notes.append("Whisper output without diarization: no speakers (combine with an RTTM via text_path)")
    return rec

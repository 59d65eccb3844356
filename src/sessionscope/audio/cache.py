"""Content-hash cache of transcriptions and diarizations.

Keyed by the SHA-256 of the recording's bytes and the settings that change the result
(model, beam, VAD, speaker bounds…), stored as JSON under ``<cache>/results/``. A
re-analysis after a change to the text stages, a remap, or a rerun after a crash never
transcribes or diarizes the same audio twice. Writes are atomic; an unreadable entry is
treated as a miss.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict
from pathlib import Path
from typing import Any, Optional

from sessionscope.audio.asr import AsrResult
from sessionscope.audio.diarize import Diarization, SpeakerTurn
from sessionscope.audio.hallucination import AsrSegment, AsrWord, FilterReport
from sessionscope.fileio import atomic_write_text

log = logging.getLogger(__name__)

VERSION = 2  # layout of the cache entries; each kind adds its own code version to its key


def cache_key(input_sha256: str, kind: str, params: dict[str, Any]) -> str:
    """A stable key of the input content, the result kind and its parameters."""
    blob = json.dumps({"v": VERSION, "input": input_sha256, "kind": kind, "params": params}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


class ResultCache:
    """JSON results under ``root/<kind>/<key[:2]>/<key>.json``."""

    def __init__(self, root: Optional[str | Path] = None, *, enabled: bool = True) -> None:
        if root is None:
            from sessionscope.models import cache_dir

            root = cache_dir("results")
        self.root = Path(root)
        self.enabled = enabled

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / f"{key}.json"

    def get(self, kind: str, key: str) -> Optional[dict[str, Any]]:
        if not self.enabled:
            return None
        p = self._path(kind, key)
        if not p.is_file():
            return None
        try:
            return json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            log.warning("%s: unreadable cache entry ignored (%s)", p, e)
            return None

    def put(self, kind: str, key: str, data: dict[str, Any]) -> None:
        if self.enabled:
            atomic_write_text(self._path(kind, key), json.dumps(data, ensure_ascii=False))


# -- (de)serialisation -----------------------------------------------------------------
def asr_to_dict(r: AsrResult) -> dict[str, Any]:
    return asdict(r)


def _segment(d: dict[str, Any]) -> AsrSegment:
    return AsrSegment(start=d["start"], end=d["end"], text=d["text"], words=tuple(AsrWord(**w) for w in d["words"]),
                      avg_logprob=d["avg_logprob"], no_speech_prob=d["no_speech_prob"],
                      compression_ratio=d["compression_ratio"], flags=tuple(d["flags"]))


def asr_from_dict(d: dict[str, Any]) -> AsrResult:
    f = d["filtered"]
    return AsrResult(segments=tuple(_segment(s) for s in d["segments"]), language=d["language"],
                     language_probability=d["language_probability"],
                     # cached before round 22 as "manifest", also when the language came from --language
                     language_source="given" if d["language_source"] == "manifest" else d["language_source"],
                     model=d["model"], notes=tuple(d["notes"]),
                     filtered=FilterReport(f["hallucinations_dropped"], f["repetitions_dropped"], tuple(f["dropped_texts"])),
                     speech=tuple((float(a), float(b)) for a, b in d.get("speech", ())),
                     language_probability_raw=d.get("language_probability_raw"),
                     recovered=tuple((float(a), float(b)) for a, b in d.get("recovered", ())))


def diarization_to_dict(d: Diarization) -> dict[str, Any]:
    return asdict(d)


def diarization_from_dict(d: dict[str, Any]) -> Diarization:
    return Diarization(turns=tuple(SpeakerTurn(**t) for t in d["turns"]), centroids=d["centroids"], method=d["method"],
                       speech_s=d["speech_s"], degraded=d.get("degraded"),
                       assignment_similarity=d.get("assignment_similarity"))

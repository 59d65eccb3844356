"""What Whisper makes of near-silent real meeting audio, and what the hallucination filter does with it.

    .venv/bin/python benchmarks/asr_hallucination.py [--clips trn01,trn02] [--json benchmarks/results/asr_hallucination_r8_asr.json]

For each ami-audio-excerpts clip (30 s of far-field AMI audio; reference speech from its RTTM):

* ``level_dbfs``: peak RMS level (``decode.speech_level``);
* ``vad``: the speech regions of faster-whisper's Silero VAD with the transcription's settings
  (default ``VadOptions``) on the audio as it is, and on a copy scaled to a -20 dBFS peak level
  (is quiet speech missed because it is quiet?), and ``vad_covers_reference_s``: the seconds of
  reference speech inside those regions;
* ``pipeline``: the delivered text of ``asr.transcribe`` (VAD on, language auto, filter on) and
  what the filter dropped;
* ``no_vad``: Whisper on the whole clip without the VAD (sequential decoding, language en, beam 5,
  word timestamps; ``ctranslate2.set_random_seed(0)`` before each decode, as the temperature fallback
  samples), every raw segment with the filter's verdict (``hallucination.is_hallucination``)
  and its words outside reference speech (0.5 s collar): the filter's test on real near-silence;
* ``regions`` (clips of ``--region-clips``): each reference speech region (±0.3 s) decoded alone without
  the VAD: what is said there.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asr_language import outside_speech, read_rttm  # noqa: E402
from asr_wer import DATA, write_result  # noqa: E402

SR = 16000


def merged(regions: list[tuple[float, float]], gap: float = 0.3) -> list[tuple[float, float]]:
    """Reference regions (overlapping speakers) merged when closer than ``gap`` seconds."""
    out: list[list[float]] = []
    for a, b in sorted(regions):
        if out and a <= out[-1][1] + gap:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def covered(regions: list[tuple[float, float]], found: list[list[float]]) -> float:
    """Seconds of the (merged) reference speech that lie inside the ``found`` regions."""
    return sum(max(0.0, min(b, d) - max(a, c)) for a, b in merged(regions, 0.0) for c, d in found)


def vad_regions(samples: Any) -> list[list[float]]:
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    return [[round(t["start"] / SR, 2), round(t["end"] / SR, 2)] for t in get_speech_timestamps(samples, VadOptions())]


def raw_segments(
    model: Any, samples: Any, regions: list[tuple[float, float]], offset: float = 0.0
) -> list[dict[str, Any]]:
    """Whisper without the VAD (sequential, en, beam 5, word timestamps): every segment with the filter's verdict."""
    import ctranslate2

    from sessionscope.audio.hallucination import AsrSegment, AsrWord, is_hallucination

    ctranslate2.set_random_seed(0)  # the temperature fallback samples: the same draws every run
    segs, _ = model.transcribe(
        samples, language="en", beam_size=5, vad_filter=False, word_timestamps=True, condition_on_previous_text=False
    )
    out = []
    for s in segs:
        words = tuple(AsrWord(w.word, w.start + offset, w.end + offset, w.probability) for w in (s.words or ()))
        seg = AsrSegment(
            start=s.start + offset,
            end=s.end + offset,
            text=s.text.strip(),
            words=words,
            avg_logprob=s.avg_logprob,
            no_speech_prob=s.no_speech_prob,
            compression_ratio=s.compression_ratio,
        )
        mean_p = sum(w.probability for w in words) / len(words) if words else None
        out.append(
            {
                "start": round(seg.start, 2),
                "end": round(seg.end, 2),
                "text": seg.text,
                "filter": "drop" if is_hallucination(seg) else "keep",
                "no_speech_prob": round(seg.no_speech_prob, 3),
                "avg_logprob": round(seg.avg_logprob, 3),
                "mean_word_probability": None if mean_p is None else round(mean_p, 3),
                "words": [[w.text.strip(), round(w.start, 2), round(w.end, 2), round(w.probability, 3)] for w in words],
                "words_outside_reference": [
                    w.text.strip() for w in words if outside_speech(w.start, w.end, regions, 0.5)
                ],
            }
        )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clips", default="trn01,trn02")
    ap.add_argument("--region-clips", default="trn01,trn02", help="clips whose reference regions are decoded alone")
    ap.add_argument("--model", default="base")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    import numpy as np

    from sessionscope.audio.asr import get_model, transcribe
    from sessionscope.audio.decode import load_audio, speech_level
    from sessionscope.config import AsrConfig

    cfg = AsrConfig(model=args.model)
    model = get_model(cfg)
    folder = DATA / "ami-audio-excerpts"
    ref = read_rttm(folder / "reference.rttm")
    rows = []
    for uri in args.clips.split(","):
        t0 = time.perf_counter()
        samples = load_audio(folder / f"{uri}.wav").mono
        regions = ref.get(uri, [])
        level = speech_level(samples)
        scaled = (samples * 10 ** ((-20 - level) / 20)).astype(np.float32)
        r = transcribe(samples, config=cfg)
        row: dict[str, Any] = {
            "clip": f"ami-audio-excerpts/{uri}",
            "reference_regions": [[round(a, 3), round(b, 3)] for a, b in regions],
            "reference_speech_s": round(sum(b - a for a, b in merged(regions, 0.0)), 2),
            "level_dbfs": round(level, 1),
            "vad": {"as_is": vad_regions(samples), "scaled_to_-20dBFS": vad_regions(scaled)},
            "vad_covers_reference_s": {},
            "pipeline": {
                "language": r.language,
                "probability": round(r.language_probability or 0, 4),
                "delivered_text": " ".join(s.text for s in r.segments).strip(),
                "dropped_texts": list(r.filtered.dropped_texts),
            },
            "no_vad": raw_segments(model, samples, regions),
            "regions": [],
        }
        for a, b in merged(regions) if uri in args.region_clips.split(",") else []:
            lo, hi = max(0.0, a - 0.3), min(len(samples) / SR, b + 0.3)
            segs = raw_segments(model, samples[int(lo * SR) : int(hi * SR)], regions, offset=lo)
            row["regions"].append({"span": [round(lo, 2), round(hi, 2)], "segments": segs})
        row["vad_covers_reference_s"] = {k: round(covered(regions, v), 2) for k, v in row["vad"].items()}
        kept = [x for x in row["no_vad"] if x["filter"] == "keep"]
        dropped = [x for x in row["no_vad"] if x["filter"] == "drop"]
        row["no_vad_summary"] = {
            "segments": len(row["no_vad"]),
            "kept": len(kept),
            "dropped": len(dropped),
            "kept_words": sum(len(x["words"]) for x in kept),
            "kept_words_outside_reference": sum(len(x["words_outside_reference"]) for x in kept),
            "dropped_words": sum(len(x["words"]) for x in dropped),
            "dropped_words_outside_reference": sum(len(x["words_outside_reference"]) for x in dropped),
        }
        row["seconds"] = round(time.perf_counter() - t0, 1)
        rows.append(row)
        print(f"{uri}: level {row['level_dbfs']} dBFS, ref {row['reference_speech_s']} s, vad {row['vad']}")
        print(f"  pipeline: {row['pipeline']}")
        print(f"  no-vad: {row['no_vad_summary']} vad covers {row['vad_covers_reference_s']}")
        for s in row["no_vad"]:
            print(
                f"  no-vad {s['start']}-{s['end']} {s['filter']} nsp={s['no_speech_prob']} lp={s['avg_logprob']} "
                f"p={s['mean_word_probability']} {s['text']!r} outside={s['words_outside_reference']}"
            )
        for g in row["regions"]:
            print(
                f"  region {g['span']}: "
                + " | ".join(
                    f"{s['text']!r} ({s['filter']}, nsp {s['no_speech_prob']}, p {s['mean_word_probability']})"
                    for s in g["segments"]
                )
            )
    if args.json:
        write_result(
            args.json,
            "asr_hallucination.py",
            "ami-audio-excerpts (DEV clips; no kept-back data)",
            {"model": args.model, "clips": rows},
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

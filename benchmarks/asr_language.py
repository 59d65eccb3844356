"""Language detection on every real clip, and what the transcription delivers on near-silent AMI audio.

    .venv/bin/python benchmarks/asr_language.py [--model base] [--json benchmarks/results/asr_language_r8_asr.json]

The detection is the pipeline's: ``sessionscope.audio.asr.transcribe`` with language auto and the
default ``AsrConfig`` (VAD on, so faster-whisper detects on the features of its first VAD chunks,
among the configured languages en, ru; the probability is renormalised over those two; Whisper's own
top-5 probabilities over all its languages, and those of en and ru, are kept as ``whisper_top_languages``). Per clip it
also records the raw Whisper segments before the hallucination filter (text, times, no-speech
probability, mean log-probability, word probabilities), whether the filter kept each one, and, for
clips with a reference RTTM (the AMI excerpts), how many of the delivered words lie outside every
reference speech region (a word counts as inside when its span overlaps a reference region widened
by ``--collar`` seconds on each side): words with no one speaking are suspect.

Clips (../shared/data, read in place; the expected language in brackets): pyannote-sample (en),
ru-pisets-sample en/ru, ru-golos-sample (ru), ru-silero-unlabeled (ru), fw-stereo-2ch mono mix
(en), ami-audio-excerpts trn00..trn07 (en), pyannote-ami-excerpts dev00 dev01 trn05 trn08 (en),
and the first clip of each librispeech-voices speaker (en).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asr_wer import DATA, ROOT, write_result  # noqa: E402


def read_rttm(path: Path) -> dict[str, list[tuple[float, float]]]:
    """uri → reference speech regions (start, end) in seconds (``der.read_rttm`` without the speakers)."""
    from sessionscope.audio.der import read_rttm as speaker_turns

    return {uri: [(a, b) for a, b, _ in turns] for uri, turns in speaker_turns(path).items()}


def outside_speech(start: float, end: float, regions: list[tuple[float, float]], collar: float) -> bool:
    """True when [start, end] overlaps no region widened by ``collar`` on each side."""
    return not any(start < b + collar and end > a - collar for a, b in regions)


#: (name, audio path, expected language, reference regions or None)
Clip = tuple[str, Path, str, Optional[list[tuple[float, float]]]]


def clips() -> list[Clip]:
    out: list[Clip] = [
        (
            "pyannote-sample",
            DATA / "pyannote-sample/sample.wav",
            "en",
            read_rttm(DATA / "pyannote-sample/sample.rttm").get("sample"),
        ),
        ("pisets-en", DATA / "ru-pisets-sample/test_sound_en.wav", "en", None),
        ("pisets-ru", DATA / "ru-pisets-sample/test_sound_ru.wav", "ru", None),
    ]
    out += [(f"golos-{w.stem[:6]}", w, "ru", None) for w in sorted((DATA / "ru-golos-sample").glob("*.wav"))]
    out.append(("silero-ru", DATA / "ru-silero-unlabeled/ru.wav", "ru", None))
    out.append(("fw-stereo-mix", DATA / "fw-stereo-2ch/stereo_diarization.wav", "en", None))
    for folder in ("ami-audio-excerpts", "pyannote-ami-excerpts"):
        ref = read_rttm(DATA / folder / "reference.rttm")
        out += [(f"{folder}/{w.stem}", w, "en", ref.get(w.stem, [])) for w in sorted((DATA / folder).glob("*.wav"))]
    for spk in sorted(p for p in (DATA / "librispeech-voices").iterdir() if p.is_dir()):
        first = next(iter(sorted(spk.glob("*.flac"))), None)
        if first:
            out.append((f"librispeech/{first.stem}", first, "en", None))
    return out


def run_clip(clip: Clip, cfg: Any, collar: float) -> dict[str, Any]:
    import sessionscope.audio.asr as asr_mod
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.hallucination import is_hallucination
    from sessionscope.errors import AudioError

    name, wav, expected, regions = clip
    audio = load_audio(wav)
    samples = audio.mono
    raw: list[Any] = []
    original = asr_mod.filter_segments

    def recording(segments: list[Any]) -> Any:  # the segments as Whisper gave them, before the filter
        raw.extend(segments)
        return original(segments)

    top: list[list[Any]] = []
    original_pick = asr_mod.pick_language

    def picking(probs: list[tuple[str, float]], languages: list[str]) -> Any:  # Whisper's own probabilities
        top.extend([code, round(p, 4)] for code, p in sorted(probs, key=lambda x: -x[1])[:5])
        top.extend([code, round(p, 4)] for code, p in probs if code in languages and [code, round(p, 4)] not in top)
        return original_pick(probs, languages)

    asr_mod.filter_segments = recording
    asr_mod.pick_language = picking
    t0 = time.perf_counter()
    try:
        r = asr_mod.transcribe(samples, config=cfg)
        error = None
    except AudioError as e:
        r, error = None, str(e)
    finally:
        asr_mod.filter_segments = original
        asr_mod.pick_language = original_pick
    secs = time.perf_counter() - t0
    row: dict[str, Any] = {
        "clip": name,
        "audio": str(wav.relative_to(ROOT.parent)),
        "expected": expected,
        "duration_s": round(audio.duration_s, 3),
        "seconds": round(secs, 2),
        "error": error,
    }
    if r is None:
        return row
    row.update(
        detected=r.language,
        correct=r.language == expected,
        source=r.language_source,
        probability=None if r.language_probability is None else round(r.language_probability, 4),
        notes=list(r.notes),
        whisper_top_languages=top,
        vad_speech=[list(s) for s in r.speech],
        vad_speech_s=round(sum(b - a for a, b in r.speech), 2),
        delivered_text=" ".join(s.text for s in r.segments).strip(),
        hallucinations_dropped=r.filtered.hallucinations_dropped,
        repetitions_dropped=r.filtered.repetitions_dropped,
        dropped_texts=list(r.filtered.dropped_texts),
    )
    segs = []
    for s in raw:
        mean_p = sum(w.probability for w in s.words) / len(s.words) if s.words else None
        seg = {
            "start": round(s.start, 2),
            "end": round(s.end, 2),
            "text": s.text,
            "kept": not is_hallucination(s),
            "no_speech_prob": round(s.no_speech_prob, 3),
            "avg_logprob": round(s.avg_logprob, 3),
            "compression_ratio": round(s.compression_ratio, 2),
            "mean_word_probability": None if mean_p is None else round(mean_p, 3),
            "words": [[w.text.strip(), round(w.start, 2), round(w.end, 2), round(w.probability, 3)] for w in s.words],
        }
        if regions is not None:
            seg["words_outside_reference"] = [
                w.text.strip() for w in s.words if outside_speech(w.start, w.end, regions, collar)
            ]
        segs.append(seg)
    row["raw_segments"] = segs
    if regions is not None:
        delivered = [w for s in r.segments for w in s.words]
        out_words = [w for w in delivered if outside_speech(w.start, w.end, regions, collar)]
        row.update(
            reference_speech_s=round(sum(b - a for a, b in regions), 2),
            delivered_words=len(delivered),
            delivered_words_outside_reference=len(out_words),
            outside_words=[
                [w.text.strip(), round(w.start, 2), round(w.end, 2), round(w.probability, 3)] for w in out_words
            ],
        )
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="base")
    ap.add_argument("--only", default="", help="comma-separated clip names (default: all)")
    ap.add_argument("--collar", type=float, default=0.5, help="seconds around reference speech still counted as inside")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    from sessionscope.audio.asr import asr_params, get_model
    from sessionscope.config import AsrConfig

    cfg = AsrConfig(model=args.model)
    get_model(cfg)
    only = {s for s in args.only.split(",") if s}
    rows = []
    for clip in clips():
        if only and clip[0] not in only:
            continue
        row = run_clip(clip, cfg, args.collar)
        rows.append(row)
        extra = (
            f" words {row['delivered_words']} outside ref {row['delivered_words_outside_reference']}"
            if "delivered_words" in row
            else ""
        )
        print(
            f"{row['clip']}: expected {row['expected']} detected {row.get('detected')} p={row.get('probability')} "
            f"{row.get('notes') or ''} err={row['error']}{extra} | {row.get('delivered_text', '')[:100]!r} "
            f"dropped={row.get('dropped_texts')}",
            flush=True,
        )
    detected = [r for r in rows if r.get("detected")]
    summary = {
        "clips": len(rows),
        "detected": len(detected),
        "correct": sum(r["correct"] for r in detected),
        "wrong": [r["clip"] for r in detected if not r["correct"]],
        "no_speech_error": [r["clip"] for r in rows if r["error"]],
    }
    print(summary)
    if args.json:
        settings = {k: v for k, v in asr_params(cfg).items() if k != "model_path"}
        write_result(
            args.json,
            "asr_language.py",
            "real clips of ../shared/data (DEV/sample material; no kept-back data)",
            {"model": args.model, "settings": settings, "collar_s": args.collar, "summary": summary, "clips": rows},
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

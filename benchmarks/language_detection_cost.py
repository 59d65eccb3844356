"""CPU cost of `run`'s language detection, in one process, before and after it moved into the transcription.

    nice -n 5 .venv/bin/python benchmarks/language_detection_cost.py --repeats 5 --json benchmarks/results/language_detection_r5_detect.json
    nice -n 5 .venv/bin/python benchmarks/language_detection_cost.py --repeats 2 --full --json …   # + whole transcriptions

The model (``asr`` of the default configuration: ``base``, int8 on the CPU) is loaded and warmed up once;
then, alternating ``--repeats`` times on the 5-minute recording of ``speed_run.py`` (the same audio),
process CPU seconds (all threads) and wall seconds of:

* ``before``: :func:`~sessionscope.audio.asr.choose_language`, the path ``transcribe`` took before this
  change whenever it detected: Silero VAD over a prefix (120 s, longer until it holds a minute of speech),
  the features of that speech, then Whisper's encoder and language head on up to 2 × 30 s;
* ``after``: what ``transcribe(language=None)`` now adds to a transcription told the language: the batched
  pipeline's own detection on the features of its first VAD chunks (computed for the transcription anyway,
  so not timed here): the concatenation of those features and up to 2 windows through the encoder, with the
  choice among the configured languages;
* ``faster_whisper``: faster-whisper alone's detection in the same pipeline (its default: 1 window).

With ``--full``, whole transcriptions too, alternated: ``transcribe(language=None)`` (detection inside),
``transcribe(language="en")`` and the old order (``choose_language`` then ``transcribe`` told its answer):
the detection's premium in the real call, noisier (tens of CPU seconds each).

Also, for each test recording (the English and Russian examples, the Russian and English clips of
``ru-pisets-sample``, the speed recording), the language and probability that each path gives.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def timed(f: Callable[[], Any]) -> tuple[Any, float, float]:
    c, w = time.process_time(), time.perf_counter()
    r = f()
    return r, time.process_time() - c, time.perf_counter() - w


def pipeline_features(model: Any, samples: np.ndarray) -> list[np.ndarray]:
    """The features of the batched pipeline's VAD chunks, as ``BatchedInferencePipeline.transcribe`` computes them."""
    from faster_whisper.vad import VadOptions, collect_chunks, get_speech_timestamps

    chunk = model.feature_extractor.chunk_length
    ts = get_speech_timestamps(samples, VadOptions(max_speech_duration_s=chunk, min_silence_duration_ms=160))
    chunks, _ = collect_chunks(samples, ts, max_duration=chunk)
    return [model.feature_extractor(c)[..., :-1] for c in chunks]


def inside_detection(model: Any, features: list[np.ndarray], *, languages: list[str] | None, windows: int) -> Any:
    """The pipeline's detection step on its features (``language=None``), restricted as ``transcribe`` does."""
    from sessionscope.audio.asr import pick_language

    out = model.detect_language(features=np.concatenate(features + [np.full((model.model.n_mels, 1), -1.5, dtype="float32")],
                                                        axis=1), language_detection_segments=windows)
    return pick_language(out[2], languages) if languages else out[:2]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--full", action="store_true", help="also time whole transcriptions (expensive)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    from sessionscope.audio import asr
    from sessionscope.audio.decode import load_audio
    from sessionscope.config import load_config
    from speed_run import DATA, build

    cfg = load_config(None).asr
    languages = list(cfg.languages)
    load_start = os.getloadavg()
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "src/sessionscope/audio"], capture_output=True,
                           text=True, cwd=ROOT).stdout.strip()
    model = asr.get_model(cfg)
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "recording.wav"
        source = build(5, wav)
        x = load_audio(wav).mono
    timed(lambda: model.detect_language(audio=x[: 16000 * 30]))  # warm-up: first encoder call
    feats = pipeline_features(model, x)
    cost: dict[str, list[dict[str, float]]] = {"before": [], "after": [], "faster_whisper": []}
    for i in range(args.repeats):
        for kind, f in (("before", lambda: asr.choose_language(model, x, languages=languages, forced=None,
                                                                model_name=cfg.model)),
                        ("after", lambda: inside_detection(model, feats, languages=languages, windows=asr.DETECTION_WINDOWS)),
                        ("faster_whisper", lambda: inside_detection(model, feats, languages=None, windows=1))):
            r, c, w = timed(f)
            cost[kind].append({"cpu_s": round(c, 3), "wall_s": round(w, 3), "language": r[0], "probability": round(float(r[1]), 4)})
            print(i, kind, cost[kind][-1], flush=True)
    median = {k: {m: round(statistics.median(r[m] for r in v), 3) for m in ("cpu_s", "wall_s")} for k, v in cost.items()}
    full: dict[str, list[dict[str, Any]]] = {}
    if args.full:
        runs: dict[str, Callable[[], Any]] = {
            "transcribe_detect_inside": lambda: asr.transcribe(x, config=cfg),
            "transcribe_en": lambda: asr.transcribe(x, config=cfg, language="en"),
            "choose_then_transcribe": lambda: asr.transcribe(
                x, config=cfg, language=asr.choose_language(model, x, languages=languages, forced=None,
                                                            model_name=cfg.model)[0]),
        }
        texts: dict[str, list[str]] = {}
        for i in range(args.repeats):
            for kind, f in runs.items():
                r, c, w = timed(f)
                full.setdefault(kind, []).append({"cpu_s": round(c, 2), "wall_s": round(w, 2), "language": r.language,
                                                  "probability": r.language_probability})
                texts.setdefault(kind, []).append(" ".join(s.text for s in r.segments))
                print(i, kind, full[kind][-1], flush=True)
        median["full"] = {k: {m: round(statistics.median(r[m] for r in v), 2) for m in ("cpu_s", "wall_s")}
                          for k, v in full.items()}
        median["full"]["same_text_all"] = len({t for ts in texts.values() for t in ts}) == 1  # type: ignore[assignment]
    recordings = {"speed recording (5 min)": x}
    for name, path in (("examples/en_session", ROOT / "examples/en_session/recording.ogg"),
                       ("examples/ru_session", ROOT / "examples/ru_session/recording.ogg"),
                       ("ru-pisets-sample/test_sound_ru", DATA / "ru-pisets-sample/test_sound_ru.wav"),
                       ("ru-pisets-sample/test_sound_en", DATA / "ru-pisets-sample/test_sound_en.wav")):
        recordings[name] = load_audio(path).mono
    languages_found = {}
    for name, samples in recordings.items():
        b = asr.choose_language(model, samples, languages=languages, forced=None, model_name=cfg.model)
        a = inside_detection(model, pipeline_features(model, samples), languages=languages, windows=asr.DETECTION_WINDOWS)
        languages_found[name] = {"before": [b[0], round(float(b[1] or 0), 4)], "after": [a[0], round(float(a[1]), 4)]}
        print(name, languages_found[name], flush=True)
    result = {"command": " ".join(["benchmarks/language_detection_cost.py", *sys.argv[1:]]),
              "commit": commit + (" (src/sessionscope/audio with uncommitted changes)" if dirty else ""),
              "date_utc": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "source": source,
              "model": cfg.model, "languages": languages, "repeats": args.repeats, "median": median,
              "runs": cost, "full_runs": full, "languages_found": languages_found,
              "load_average_start": [round(v, 2) for v in load_start],
              "load_average_end": [round(v, 2) for v in os.getloadavg()], "cores": os.cpu_count()}
    print(json.dumps(median, indent=1))
    print("load average", result["load_average_start"], "->", result["load_average_end"])
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

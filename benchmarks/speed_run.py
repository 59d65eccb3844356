"""Speed and memory of the audio pipeline on this machine, per stage.

    .venv/bin/python benchmarks/speed_run.py --minutes 5 --model base
    .venv/bin/python benchmarks/speed_run.py --minutes 120 --diarization-only   # the 2-hour memory check

The recording is built from real speech in ../shared/data (the pyannote sample, the AMI
excerpts and the Russian Silero clip, repeated to the requested length) and written to
a temporary wav. Stages are timed inside one process after the models are loaded
(model load is reported apart); peak memory is the process's maximum RSS.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def build(minutes: float, path: Path) -> float:
    from sessionscope.audio.decode import load_audio

    parts = [load_audio(DATA / "pyannote-sample/sample.wav").mono]
    parts += [load_audio(DATA / f"pyannote-ami-excerpts/{u}.wav").mono * 4 for u in ("dev00", "dev01", "trn05", "trn08")]
    unit = np.concatenate(parts)
    n = int(minutes * 60 * 16000)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        written = 0
        while written < n:
            chunk = unit[: n - written]
            w.writeframes((np.clip(chunk, -1, 1) * 32767).astype("<i2").tobytes())
            written += len(chunk)
    return n / 16000


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=5)
    ap.add_argument("--model", default="base")
    ap.add_argument("--diarization-only", action="store_true")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    from sessionscope.audio import align
    from sessionscope.audio.asr import get_model, transcribe
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.diarize import diarize
    from sessionscope.config import AsrConfig
    from sessionscope.models import load_campplus

    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "long.wav"
        dur = build(args.minutes, wav)
        t: dict[str, float] = {}
        cpu: dict[str, float] = {}
        load0 = __import__("os").getloadavg()[0]
        t0 = time.perf_counter()
        load_campplus()
        if not args.diarization_only:
            get_model(AsrConfig(model=args.model))
        t["model load"] = time.perf_counter() - t0
        base_rss = rss_mb()
        t0, c0 = time.perf_counter(), time.process_time()
        audio = load_audio(wav)
        t["decode"], cpu["decode"] = time.perf_counter() - t0, time.process_time() - c0
        t0, c0 = time.perf_counter(), time.process_time()
        d = diarize(audio.mono)
        t["diarize"], cpu["diarize"] = time.perf_counter() - t0, time.process_time() - c0
        if not args.diarization_only:
            t0, c0 = time.perf_counter(), time.process_time()
            r = transcribe(audio.mono, config=AsrConfig(model=args.model))
            t["transcribe"], cpu["transcribe"] = time.perf_counter() - t0, time.process_time() - c0
            t0 = time.perf_counter()
            align.group_utterances(align.assign_words(r.segments, d.turns))
            t["align"] = time.perf_counter() - t0
    work = sum(v for k, v in t.items() if k != "model load")
    print(f"recording {dur / 60:.1f} min, model {args.model if not args.diarization_only else '-'}, "
          f"{len(d.centroids)} speakers, {len(d.turns)} turns")
    for k, v in t.items():
        if k == "model load":
            print(f"  {k:12s} {v:8.1f} s")
        else:
            print(f"  {k:12s} {v:8.1f} s   RTF {v / dur:.3f}   CPU {cpu.get(k, 0):.1f} s ({cpu.get(k, 0) / dur:.3f} CPU-s per s)")
    print(f"  total (no load) {work:.1f} s   RTF {work / dur:.3f}   CPU {sum(cpu.values()):.1f} s")
    print(f"  load average at start {load0:.1f} on {__import__('os').cpu_count()} cores (RTF is wall time; CPU time is "
          "what the machine would need with no other work)")
    print(f"  peak RSS {rss_mb():.0f} MB (after model load {base_rss:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

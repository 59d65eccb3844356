"""Peak RSS of each audio step of `run` (decode, transcription, segmentation, embeddings), one recording.

    nice -n 5 .venv/bin/python benchmarks/memory_phases.py RECORDING.wav --json benchmarks/results/memory_phases_30min.json

Runs ``transcribe_file`` (the audio half of ``sessionscope run``: no text stages) with a fresh
result cache, samples the process's RSS every 50 ms from a thread, and records the peak and
the RSS at the end of each progress step the pipeline reports (``decode``, ``transcribe``,
``speech detection`` = segmentation, ``diarize`` = embeddings and clustering), with CPU seconds.
A 30-minute recording: ``benchmarks/speed_run.py``'s ``build()`` (simulated conversations).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("recording", type=Path)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from sessionscope.audio.cache import ResultCache
    from sessionscope.audio.pipeline import transcribe_file
    from sessionscope.config import load_config

    peaks: dict[str, float] = {}
    phase = {"name": "start"}
    rows: list[dict] = []

    def sample() -> None:
        while True:
            peaks[phase["name"]] = max(peaks.get(phase["name"], 0.0), rss_mb())
            time.sleep(0.05)

    def hook(step: str, **_: object) -> None:
        if step != phase["name"]:
            rows.append({"step": phase["name"], "peak_rss_mb": round(peaks.get(phase["name"], 0.0)),
                         "rss_after_mb": round(rss_mb()), "cpu_s": round(time.process_time(), 1)})
            print(json.dumps(rows[-1]), flush=True)
            phase["name"] = step

    threading.Thread(target=sample, daemon=True).start()
    load = os.getloadavg()
    session = transcribe_file(args.recording, config=load_config(None), hook=hook,
                              cache=ResultCache(Path(tempfile.mkdtemp())), no_cache=True)
    hook("end")
    out = {"command": " ".join(["benchmarks/memory_phases.py", *sys.argv[1:]]),
           "commit": subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip(),
           "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "duration_s": session.duration_s,
           "load_average_start": [round(x, 2) for x in load], "load_average_end": [round(x, 2) for x in os.getloadavg()],
           "steps": rows, "stage_cpu_s": session.extra["audio"]["cpu_s"]}
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    print(json.dumps(out["stage_cpu_s"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Peak resident memory and thread CPU of one diarization in a fresh process (issue 11, round 17, speed).

    nice -n 10 .venv/bin/python benchmarks/diar_peak_r17_speed.py WAV [--json OUT]

Loads both networks, then runs ``diarize`` once with the settings ``run`` uses and reports the process's peak
RSS (``ru_maxrss``) before and after, the diarization's thread CPU seconds, the speaker count and a hash of the
turns and centroids (same hash: same output). Run it with ``PYTHONPATH=<other src>`` for another code.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("wav", type=Path)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    import sessionscope
    from sessionscope.audio import diarize as dz
    from sessionscope.audio import segmentation
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.pipeline import diarization_settings
    from sessionscope.config import Config
    from sessionscope.models import load_campplus

    audio = load_audio(args.wav)
    cfg = Config()
    dc = cfg.diarization
    segmentation.load_segmentation("cpu")
    load_campplus("cpu")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    c = time.thread_time()
    d = dz.diarize(audio.mono, min_speakers=dc.min_speakers, max_speakers=max(dc.min_speakers, dc.max_speakers),
                   window_s=dc.window_s, step_s=dc.step_s, merge_threshold=dc.merge_threshold,
                   vad_threshold=dc.vad_threshold, segmentation=dc.segmentation, params=diarization_settings(cfg))
    cpu = time.thread_time() - c
    blob = json.dumps([[t.start, t.end, t.speaker] for t in d.turns] + [d.centroids, d.assignment_similarity])
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    res = {"command": " ".join(["benchmarks/diar_peak_r17_speed.py", *map(str, sys.argv[1:])]), "commit": commit,
           "code": str(Path(sessionscope.__file__).parent), "data": str(args.wav),
           "maxrss_mb_before_diarize": round(before / 1024), "maxrss_mb_after": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
           "diarize_cpu_s": round(cpu, 2), "speakers": len(d.speakers), "output_sha": hashlib.sha256(blob.encode()).hexdigest()[:16]}
    print(json.dumps(res))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

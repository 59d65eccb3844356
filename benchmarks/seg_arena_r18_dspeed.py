"""The segmentation network with ONNX Runtime's memory arena on or off: one diarization per fresh process, alternated
(issue 11, round 18, dspeed).

    nice -n 10 .venv/bin/python benchmarks/seg_arena_r18_dspeed.py REC5.wav --pairs 5 \
        --json benchmarks/results/seg_arena_r18_dspeed.json

Round 13 turned the arena off for the segmentation network: it kept a 16-chunk batch's activations (~400 MB) for
the process's life. Since round 17 the network is called on 4 chunks at a time, and with the arena off every call
maps and faults its activations afresh. Each child loads both networks (untimed), then runs ``diarize`` with the
settings ``run`` uses and reports the diarizing thread's CPU seconds, the process's user and system seconds and
minor page faults over the diarization, the peak RSS, and a digest of the turns and centroids (same digest: same
output). ``off`` forces the arena off for the segmentation network and ``on`` on (whatever the checkout's default);
CAM++ keeps its arena in both.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import hashlib, json, resource, sys, time
from sessionscope.audio import onnx_models as om
real_load = om.load
def load(name, *a, **k):
    if name == "segmentation":
        k["arena"] = sys.argv[2] == "on"
    return real_load(name, *a, **k)
om.load = load
from sessionscope.audio import diarize as dz, segmentation as sg
from sessionscope.audio.decode import load_audio
from sessionscope.audio.pipeline import diarization_settings
from sessionscope.config import Config
from sessionscope.models import load_campplus
cfg = Config(); dc = cfg.diarization
samples = load_audio(sys.argv[1]).mono
load_campplus("cpu"); net, _ = sg.load_segmentation("cpu")
r0 = resource.getrusage(resource.RUSAGE_SELF); c = time.thread_time()
d = dz.diarize(samples, min_speakers=dc.min_speakers, max_speakers=max(dc.min_speakers, dc.max_speakers),
               window_s=dc.window_s, step_s=dc.step_s, merge_threshold=dc.merge_threshold, vad_threshold=dc.vad_threshold,
               segmentation=dc.segmentation, params=diarization_settings(cfg))
cpu = time.thread_time() - c; r1 = resource.getrusage(resource.RUSAGE_SELF)
digest = hashlib.sha256(json.dumps([[(t.start, t.end, t.speaker) for t in d.turns], d.centroids]).encode()).hexdigest()[:16]
print(json.dumps({"thread_cpu_s": round(cpu, 3), "user_s": round(r1.ru_utime - r0.ru_utime, 3),
                  "sys_s": round(r1.ru_stime - r0.ru_stime, 3), "minor_faults": r1.ru_minflt - r0.ru_minflt,
                  "max_rss_mb": r1.ru_maxrss // 1024, "arena": getattr(net, "arena", None), "digest": digest}))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("wav", type=Path)
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    runs: dict[str, list[dict]] = {"off": [], "on": []}
    for i in range(args.pairs):
        for mode in (("off", "on") if i % 2 == 0 else ("on", "off")):
            p = subprocess.run([sys.executable, "-c", CHILD, str(args.wav), mode], capture_output=True, text=True,
                               check=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
            runs[mode].append(json.loads(p.stdout.strip().splitlines()[-1]))
            print(i, mode, runs[mode][-1], flush=True)
    keys = ["thread_cpu_s", "user_s", "sys_s", "minor_faults", "max_rss_mb"]
    med = {m: {k: statistics.median(r[k] for r in rs) for k in keys} for m, rs in runs.items()}
    paired = {k: [round(b[k] - a[k], 3) for a, b in zip(runs["off"], runs["on"], strict=True)] for k in keys}
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    res = {"command": " ".join(["benchmarks/seg_arena_r18_dspeed.py", *map(str, sys.argv[1:])]), "commit": commit,
           "recording": str(args.wav), "median": med, "paired_on_minus_off": paired,
           "median_paired_on_minus_off": {k: statistics.median(v) for k, v in paired.items()},
           "same_output": len({r["digest"] for rs in runs.values() for r in rs}) == 1, "runs": runs,
           "load_average": os.getloadavg()}
    print(json.dumps({k: v for k, v in res.items() if k != "runs"}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Where the diarization's CPU goes on one recording, as `run` calls it (round 19, speed19): the diarization alone,
in process, one thread, under cProfile with a CPU-time clock (``time.process_time``), ``--repeats`` times after one
untimed warm-up (models loaded, ONNX sessions created).

    nice -n 10 .venv/bin/python benchmarks/diar_profile_r19_speed19.py REC5.wav --repeats 3 \
        --json benchmarks/results/diar_profile_r19_speed19.json

Reported per repeat: the call's CPU seconds and the CPU seconds (cumulative) of the named phases; medians over repeats.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# (label, file suffix, function name): cumulative CPU seconds of these functions
PHASES = [("segmentation (local_segmentation)", "segmentation.py", "local_segmentation"),
          ("ORT runs (OnnxModel.run, both networks)", "onnx_models.py", "run"),
          ("embeddings (local_embeddings)", "diarize.py", "local_embeddings"),
          ("fbank", "diarize.py", "_fbank"),
          ("clustering (cluster_local_speakers)", "reconstruct.py", "cluster_local_speakers"),
          ("reconstruction", "reconstruct.py", "reconstruct"),
          ("malloc_trim (trim_heap)", "decode.py", "trim_heap"),
          ("speech regions", "diarize.py", "speech_regions")]


def phases(stats: pstats.Stats) -> dict[str, float]:
    out = dict.fromkeys((p[0] for p in PHASES), 0.0)
    for (file, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        for label, suffix, name in PHASES:
            if func == name and file.endswith(suffix):
                out[label] += ct
    return {k: round(v, 3) for k, v in out.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("wav", type=Path)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from sessionscope.audio import diarize as dz
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.pipeline import diarization_settings
    from sessionscope.config import Config

    cfg = Config()
    dc = cfg.diarization
    samples = load_audio(args.wav).mono

    def call() -> object:
        return dz.diarize(samples, min_speakers=dc.min_speakers, max_speakers=max(dc.min_speakers, dc.max_speakers),
                          window_s=dc.window_s, step_s=dc.step_s, merge_threshold=dc.merge_threshold,
                          vad_threshold=dc.vad_threshold, segmentation=dc.segmentation, params=diarization_settings(cfg))

    first = call()  # warm-up
    reps: list[dict[str, Any]] = []
    for _ in range(args.repeats):
        prof = cProfile.Profile(time.process_time)
        c = time.process_time()
        prof.enable()
        d = call()
        prof.disable()
        cpu = time.process_time() - c
        assert [(t.start, t.end, t.speaker) for t in d.turns] == [(t.start, t.end, t.speaker) for t in first.turns]  # type: ignore[attr-defined]
        st = pstats.Stats(prof)
        top = sorted(((k, v) for k, v in st.stats.items()), key=lambda kv: -kv[1][2])[:15]  # type: ignore[attr-defined]
        reps.append({"cpu_s": round(cpu, 3), "phases_cum_cpu_s": phases(st),
                     "top_self_cpu_s": [[f"{Path(f).name}:{fn}", round(v[2], 3), v[1]] for (f, _l, fn), v in top]})
        print(json.dumps(reps[-1]), flush=True)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    import sessionscope

    res = {"command": " ".join(["benchmarks/diar_profile_r19_speed19.py", *map(str, sys.argv[1:])]), "commit": commit,
           "sessionscope_file": sessionscope.__file__, "recording": str(args.wav),
           "data": "speed_run.build(5, ...) recording", "load_average": os.getloadavg(),
           "median_cpu_s": statistics.median(r["cpu_s"] for r in reps),
           "median_phases_cum_cpu_s": {k: statistics.median(r["phases_cum_cpu_s"][k] for r in reps)
                                       for k in reps[0]["phases_cum_cpu_s"]}, "repeats": reps}
    print(json.dumps({k: v for k, v in res.items() if k != "repeats"}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

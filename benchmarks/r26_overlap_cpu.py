"""Diarization CPU seconds of the round-26 settings on about 5 minutes of development audio (issue 11).

    PYTHONPATH=src nice -n 10 .venv/bin/python benchmarks/r26_overlap_cpu.py off 0.4@0.15 gap0.2 --repeats 3 \\
        --json benchmarks/results/r26_overlap_cpu_r26_overlap.json

The recording: the first far-field development meetings (``.cache/conv/farfield``) joined to ``--seconds``
(default 300). Each setting runs ``diarize_local`` as ``run`` does (whole recording, BLAS held as in the pipeline,
the segmentation network included), alternating settings inside each repeat, in this one process (models loaded
and warmed once before timing). Reported: the median CPU and wall seconds per setting, and whether the turns are
those of the first repeat every time. Specs: ``off``; ``TAU[@MIN_S][:late]`` (``overlap_pair``, ``overlap_min_s``,
``overlap_late``); ``gapG`` (``assign_gap_s``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def params_of(spec: str):  # noqa: ANN201
    from sessionscope.audio.diarize import DiarizationParams

    p = DiarizationParams()
    if spec == "off":
        return p
    if spec.startswith("gap"):
        return replace(p, assign_gap_s=float(spec[3:]))
    body, _, where = spec.partition(":")
    tau, _, min_s = body.partition("@")
    return replace(p, overlap_pair=float(tau), overlap_min_s=float(min_s or 0.0), overlap_late=where == "late")


def main() -> int:
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.diarize import diarize_local
    from sessionscope.models import fixed_blas_threads

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("specs", nargs="+")
    ap.add_argument("--seconds", type=float, default=300.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    parts, total = [], 0
    for wav in sorted((ROOT / ".cache" / "conv" / "farfield").glob("*.wav")):
        x = load_audio(wav).mono
        parts.append(x)
        total += len(x)
        if total >= args.seconds * 16000:
            break
    x = np.concatenate(parts)[: int(args.seconds * 16000)]
    with fixed_blas_threads():
        diarize_local(x[: 30 * 16000])  # load and warm the models
    times: dict[str, list[tuple[float, float]]] = {s: [] for s in args.specs}
    turns: dict[str, list] = {s: [] for s in args.specs}
    for _ in range(args.repeats):
        for spec in args.specs:
            p = params_of(spec)
            t0, c0 = time.perf_counter(), time.process_time()
            with fixed_blas_threads():
                d = diarize_local(x, params=p)
            times[spec].append((time.process_time() - c0, time.perf_counter() - t0))
            turns[spec].append([(t.start, t.end, t.speaker) for t in d.turns])
            print(spec, f"cpu {times[spec][-1][0]:.2f} s, wall {times[spec][-1][1]:.2f} s, {len(d.turns)} turns", flush=True)
    summary = {s: {"cpu_s_median": round(float(np.median([c for c, _ in v])), 2),
                   "wall_s_median": round(float(np.median([w for _, w in v])), 2),
                   "cpu_s": [round(c, 2) for c, _ in v], "same_turns_each_repeat": all(t == turns[s][0] for t in turns[s]),
                   "turns": len(turns[s][0])} for s, v in times.items()}
    print(json.dumps(summary, indent=1))
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.write_text(json.dumps({"command": " ".join(["benchmarks/r26_overlap_cpu.py", *sys.argv[1:]]),
                                         "commit": commit, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                         "data": f"development only: the far-field meetings joined to {args.seconds:.0f} s",
                                         "cores": os.cpu_count(), "load_average_at_start": os.getloadavg()[0],
                                         "summary": summary}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

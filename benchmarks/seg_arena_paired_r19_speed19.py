"""The segmentation network with and without ONNX Runtime's memory arena, paired call by call in one process
(round 19, speed19): on a shared box, whole runs of identical code move by more than the arena's effect, so each
4-chunk call of the recording (as `segmentation.local_segmentation` makes them) is run on both sessions back to back,
the order alternating, and the calling thread's CPU time and minor faults of each are summed.

    nice -n 10 .venv/bin/python benchmarks/seg_arena_paired_r19_speed19.py REC5.wav --passes 3 \
        --json benchmarks/results/seg_arena_paired_r19_speed19.json [--no-tune]

``--no-tune``: without glibc's thresholds (`decode.keep_freed_memory`, which `run` sets before the diarization).
Outputs of the two sessions are compared bit for bit.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("wav", type=Path)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--no-tune", action="store_true")
    ap.add_argument("--entry", metavar="KEY=VALUE",
                    help="instead of the arena: side 'on' gets this ONNX Runtime session config entry (arena as shipped)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from sessionscope.audio import onnx_models
    from sessionscope.audio import segmentation as sm
    from sessionscope.audio.decode import keep_freed_memory, load_audio

    tuned = False if args.no_tune else keep_freed_memory()
    off, _cfg = sm.load_segmentation("cpu")
    assert isinstance(off, onnx_models.OnnxModel) and not off.arena
    if args.entry:
        key, value = args.entry.split("=", 1)
        options = onnx_models._options

        def with_entry(*a, **k):  # type: ignore[no-untyped-def]
            so = options(*a, **k)
            so.add_session_config_entry(key, value)
            return so

        onnx_models._options = with_entry
        on = onnx_models.OnnxModel(off.path, off.name, off._fallback_loader, off.meta, arena=False)
        onnx_models._options = options
    else:
        on = onnx_models.OnnxModel(off.path, off.name, off._fallback_loader, off.meta, arena=True)
    x = load_audio(args.wav).mono.astype(np.float32)
    win, hop = int(sm.CHUNK_S * 16000), int(round(2.5 * 16000))
    starts = sm._chunk_starts(len(x), win, hop)
    calls = [np.stack([x[s:s + win] for s in starts[i:i + sm.CALL_CHUNKS]])[:, None, :]
             for i in range(0, len(starts), sm.CALL_CHUNKS)]
    off(calls[0])
    on(calls[0])  # sessions warmed
    tot = {"off": {"cpu_s": 0.0, "faults": 0}, "on": {"cpu_s": 0.0, "faults": 0}}
    per_pass = []
    same = True
    for p in range(args.passes):
        acc = {"off": [0.0, 0], "on": [0.0, 0]}
        for i, batch in enumerate(calls):
            outs = {}
            for name in (("off", "on") if (i + p) % 2 == 0 else ("on", "off")):
                net = off if name == "off" else on
                f0 = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt
                c0 = time.thread_time()
                outs[name] = net(batch)
                acc[name][0] += time.thread_time() - c0
                acc[name][1] += resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - f0
            same = same and bool(np.array_equal(outs["off"], outs["on"]))
        per_pass.append({k: {"cpu_s": round(v[0], 3), "faults": v[1]} for k, v in acc.items()})
        for k, v in acc.items():
            tot[k]["cpu_s"] += v[0]
            tot[k]["faults"] += v[1]
        print(json.dumps(per_pass[-1]), flush=True)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    import sessionscope

    res = {"command": " ".join(["benchmarks/seg_arena_paired_r19_speed19.py", *map(str, sys.argv[1:])]),
           "commit": commit, "sessionscope_file": sessionscope.__file__, "recording": str(args.wav),
           "data": "speed_run.build(5, ...) recording", "glibc_thresholds_set": tuned, "side_on": args.entry or "arena", "calls_per_pass": len(calls),
           "chunks": len(starts), "identical_outputs": same, "passes": per_pass,
           "median_pass": {k: {m: statistics.median(pp[k][m] for pp in per_pass) for m in ("cpu_s", "faults")}
                           for k in ("off", "on")},
           "median_pass_on_minus_off_cpu_s": statistics.median(pp["on"]["cpu_s"] - pp["off"]["cpu_s"] for pp in per_pass),
           "load_average": os.getloadavg()}
    print(json.dumps({k: v for k, v in res.items() if k != "passes"}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

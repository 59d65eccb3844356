"""CPU of CAM++ calls of full-length (3 s) inputs by rows per call, outputs compared bit for bit
(issue 11, round 17, speed).

    nice -n 10 .venv/bin/python benchmarks/cam_batch_r17_speed.py WAV [--sizes 32,16,8,4] [--repeats 15] [--json OUT]

Round 12 (``diar_batch_r12_speed.py``) replayed a whole diarization's CAM++ calls split into smaller calls and
saw "maybe 3-6 % cheaper, not shown". Only the calls of 300-frame inputs (the 3 s cap; most rows) reach
``local_embeddings(batch=32)``'s limit, so this replays just those rows of one diarization of WAV, in
this thread with one intra-op thread (the shipped ``OnnxModel`` session, as ``run``), as calls of each
size in ``--sizes``, the sizes alternated inside every repeat (order rotated per repeat), and reports the
thread CPU seconds per size (median, all runs, paired differences against the first size) and whether each
size's rows are bit-identical to the first size's.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("wav", type=Path)
    ap.add_argument("--sizes", default="32,16,8,4")
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    spec = importlib.util.spec_from_file_location("diar_quant_r17_speed", HERE / "diar_quant_r17_speed.py")
    q = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(q)  # type: ignore[union-attr]
    from sessionscope.audio.onnx_models import intra_threads
    from sessionscope.models import load_campplus

    cam = load_campplus("cpu")
    rows = np.concatenate([b for b in q.record(args.wav)["campplus"] if b.shape[1] == 300])
    sizes = [int(s) for s in args.sizes.split(",")]
    times: dict[int, list[float]] = {s: [] for s in sizes}
    outs: dict[int, np.ndarray] = {}
    with intra_threads(1):
        for r in range(args.repeats):
            order = sizes[r % len(sizes):] + sizes[: r % len(sizes)]
            for s in order:
                c = time.thread_time()
                got = np.concatenate([cam(rows[i:i + s]) for i in range(0, len(rows), s)])
                times[s].append(time.thread_time() - c)
                outs[s] = got
    base = sizes[0]
    res_sizes = {}
    for s in sizes:
        diff = [b - a for a, b in zip(times[base], times[s], strict=True)]
        res_sizes[str(s)] = {"cpu_s_median": round(statistics.median(times[s]), 3), "cpu_s": [round(t, 3) for t in times[s]],
                             f"paired_minus_{base}_median": round(statistics.median(diff), 3),
                             "cheaper_in_repeats": sum(d < 0 for d in diff),
                             "bit_identical": bool(np.array_equal(outs[s], outs[base]))}
        print(s, json.dumps(res_sizes[str(s)]), flush=True)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    res = {"command": " ".join(["benchmarks/cam_batch_r17_speed.py", *map(str, sys.argv[1:])]), "commit": commit,
           "data": f"{args.wav} (speed_run.build(5): pyannote sample + AMI dev/train excerpts)", "rows": int(len(rows)),
           "frames": 300, "sizes": res_sizes}
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Segmentation network (ONNX Runtime, one thread) over the chunks of a recording in batches of several sizes
(issue 11, round 10, runspeed): thread CPU seconds per batch size and whether the outputs are bit-identical.

    nice -n 10 .venv/bin/python benchmarks/segmentation_batch_r10_runspeed.py WAV 16 32 59 8 16 --json OUT

Chunks of 10 s every 5 s (``run``'s default step), every chunk run (no speech filter).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("wav", type=Path)
    ap.add_argument("sizes", type=int, nargs="+")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.onnx_models import infer, intra_threads
    from sessionscope.audio.segmentation import _chunk_starts, load_segmentation

    x = load_audio(args.wav).mono.astype(np.float32)
    net, _ = load_segmentation("cpu")
    win, hop = 160000, 80000
    starts = _chunk_starts(len(x), win, hop)
    first = None
    rows = []
    with intra_threads(1):
        for bs in args.sizes:
            outs = []
            c = time.thread_time()
            for b in range(0, len(starts), bs):
                idx = starts[b:b + bs]
                outs.append(infer(net, np.stack([x[s:s + win] for s in idx])[:, None, :]))
            cpu = time.thread_time() - c
            o = np.concatenate(outs)
            first = o if first is None else first
            rows.append({"batch": bs, "cpu_s": round(cpu, 3), "identical_to_first": bool(np.array_equal(o, first))})
            print(json.dumps(rows[-1]), flush=True)
    if args.json:
        args.json.write_text(json.dumps({"command": " ".join(["benchmarks/segmentation_batch_r10_runspeed.py", *sys.argv[1:]]),
                                         "chunks": len(starts), "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

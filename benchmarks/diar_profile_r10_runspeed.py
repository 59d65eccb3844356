"""Where the diarization's CPU seconds go inside one process (issue 11, round 10, runspeed).

    nice -n 10 .venv/bin/python benchmarks/diar_profile_r10_runspeed.py WAV [--repeats 2] [--json OUT]

Decodes WAV once, loads the networks once (timed apart), then runs ``diarize`` ``--repeats`` times
in this thread with the settings ``run`` uses (default configuration, one intra-op thread on 2 cores),
timing (thread CPU seconds) the segmentation network, the fbank features, CAM++ and the rest
(clustering, reconstruction) by wrapping those functions. Prints and writes the per-part medians and a
hash of the turns and centroids (to compare two codes: same hash, same output). ``--no-trim``: without
``trim_heap`` after each network batch (what the trims cost).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("wav", type=Path)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--no-trim", action="store_true", help="leave out the heap trims after each network batch")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from sessionscope.audio import diarize as dz
    from sessionscope.audio import onnx_models, segmentation
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.pipeline import diarization_settings
    from sessionscope.config import Config
    from sessionscope.models import load_campplus

    parts: dict[str, float] = {}
    shapes: dict[str, list] = {}

    def wrap(mod, name, key):
        fn = getattr(mod, name)

        def inner(*a, **k):
            c = time.thread_time()
            try:
                return fn(*a, **k)
            finally:
                parts[key] = parts.get(key, 0.0) + time.thread_time() - c
        setattr(mod, name, inner)

    t0 = time.thread_time()
    audio = load_audio(args.wav)
    t_decode = time.thread_time() - t0
    cfg = Config()
    dc = cfg.diarization
    t0 = time.thread_time()
    segmentation.load_segmentation("cpu")
    load_campplus("cpu")
    t_load = time.thread_time() - t0
    real_infer = onnx_models.infer

    def infer(model, batch, device="cpu"):
        c = time.thread_time()
        try:
            return real_infer(model, batch, device)
        finally:
            key = "campplus" if batch.ndim == 3 and batch.shape[-1] == 80 else "segmentation_net"
            parts[key] = parts.get(key, 0.0) + time.thread_time() - c
            shapes.setdefault(key, []).append(list(batch.shape))
    onnx_models.infer = infer
    if args.no_trim:
        dz.trim_heap = segmentation.trim_heap = lambda: None
    wrap(dz, "_fbank", "fbank")
    runs = []
    digest = None
    for _ in range(args.repeats):
        parts.clear()
        shapes.clear()
        c = time.thread_time()
        d = dz.diarize(audio.mono, min_speakers=dc.min_speakers, max_speakers=max(dc.min_speakers, dc.max_speakers),
                       window_s=dc.window_s, step_s=dc.step_s, merge_threshold=dc.merge_threshold,
                       vad_threshold=dc.vad_threshold, segmentation=dc.segmentation, params=diarization_settings(cfg))
        total = time.thread_time() - c
        blob = json.dumps([[t.start, t.end, t.speaker] for t in d.turns] + [d.centroids, d.assignment_similarity])
        h = hashlib.sha256(blob.encode()).hexdigest()[:16]
        assert digest in (None, h), "diarization not deterministic"
        digest = h
        runs.append({**{k: round(v, 3) for k, v in parts.items()}, "total": round(total, 3),
                     "rest": round(total - sum(parts.values()), 3)})
        print(json.dumps(runs[-1]), flush=True)
    med = {k: round(statistics.median(r.get(k, 0.0) for r in runs), 3) for k in runs[0]}
    res = {"command": " ".join(["benchmarks/diar_profile_r10_runspeed.py", *sys.argv[1:]]), "decode_cpu_s": round(t_decode, 3),
           "load_cpu_s": round(t_load, 3), "median_cpu_s": med, "runs": runs, "output_sha": digest,
           "batches": {k: len(v) for k, v in shapes.items()},
           "campplus_rows": sum(s[0] for s in shapes.get("campplus", [])),
           "segmentation_chunks": sum(s[0] for s in shapes.get("segmentation_net", []))}
    print(json.dumps({k: v for k, v in res.items() if k != "runs"}))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

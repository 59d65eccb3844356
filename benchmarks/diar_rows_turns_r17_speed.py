"""Same diarization with CAM++ (or the segmentation network) called in 4-row sub-batches? Turns and centroids compared exactly, and CAM++'s
thread CPU summed, on the development sets (issue 11, round 17, speed).

    nice -n 10 .venv/bin/python benchmarks/diar_rows_turns_r17_speed.py [--rows 4] \
        [--sets pyannote-ami libri-dev farfield farfield2 examples] [--json OUT]

Runs ``diarize`` (the settings ``run`` uses) on every file twice, the order alternated per file: CAM++'s calls
as ``local_embeddings`` groups them (up to 32 rows) and the same calls split into sub-batches of ``--rows`` rows
(through the shipped ``OnnxModel``, one intra-op thread as ``run`` on 2 cores). Reports per file whether the
turns and the centroids are equal bit for bit, and CAM++'s thread CPU seconds per variant.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=4)
    ap.add_argument("--net", choices=["campplus", "segmentation"], default="campplus",
                    help="the network whose calls are split (segmentation: chunks of 10 s per call)")
    ap.add_argument("--sets", nargs="+", default=["pyannote-ami", "libri-dev", "farfield", "farfield2", "examples"])
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if {"ami", "libri-report"} & set(args.sets):
        raise SystemExit("held-out sets are not run here")
    spec = importlib.util.spec_from_file_location("diarization_der", HERE / "diarization_der.py")
    dd = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(dd)  # type: ignore[union-attr]
    from sessionscope.audio import diarize as dz
    from sessionscope.audio import onnx_models
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.pipeline import diarization_settings
    from sessionscope.config import Config

    real_infer = onnx_models.infer
    state = {"split": False}
    cpu = {"whole": 0.0, "split": 0.0}  # thread CPU of the chosen network's calls

    def infer(model, batch, device="cpu", **kw):  # type: ignore[no-untyped-def]
        is_cam = batch.ndim == 3 and batch.shape[-1] == 80
        if is_cam == (args.net == "campplus"):
            c = time.thread_time()
            try:
                if state["split"]:
                    return np.concatenate([real_infer(model, batch[i:i + args.rows], device)
                                           for i in range(0, len(batch), args.rows)])
                return real_infer(model, batch, device)
            finally:
                cpu["split" if state["split"] else "whole"] += time.thread_time() - c
        return real_infer(model, batch, device, **kw)

    onnx_models.infer = infer
    cfg = Config()
    dc = cfg.diarization
    rows = []
    n = 0
    for set_name in args.sets:
        for uri, wav, _ in dd.cases(set_name):
            audio = load_audio(wav)
            out = {}
            order = ("whole", "split") if n % 2 == 0 else ("split", "whole")
            n += 1
            for variant in order:
                state["split"] = variant == "split"
                d = dz.diarize(audio.mono, min_speakers=dc.min_speakers, max_speakers=max(dc.min_speakers, dc.max_speakers),
                               window_s=dc.window_s, step_s=dc.step_s, merge_threshold=dc.merge_threshold,
                               vad_threshold=dc.vad_threshold, segmentation=dc.segmentation, params=diarization_settings(cfg))
                out[variant] = d
            a, b = out["whole"], out["split"]
            row = {"set": set_name, "uri": uri, "speakers": len(a.speakers), "same_turns": a.turns == b.turns,
                   "same_centroids": a.centroids == b.centroids,
                   "same_similarity": a.assignment_similarity == b.assignment_similarity}
            rows.append(row)
            print(json.dumps(row), flush=True)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    res = {"command": " ".join(["benchmarks/diar_rows_turns_r17_speed.py", *map(str, sys.argv[1:])]), "commit": commit,
           "data": {s: "development" if s != "examples" else "bundled examples" for s in args.sets},
           "files": len(rows), "all_identical": all(r["same_turns"] and r["same_centroids"] and r["same_similarity"] for r in rows),
           "net": args.net, "rows_per_call": args.rows, "net_thread_cpu_s": {k: round(v, 2) for k, v in cpu.items()}, "rows": rows}
    print(json.dumps({k: v for k, v in res.items() if k != "rows"}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

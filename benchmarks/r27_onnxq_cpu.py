"""The diarization's CPU per recording with CAM++ in float32 and in a static-int8 copy, paired in one process
(issue 11, round 27, onnxq).

    nice -n 10 .venv/bin/python benchmarks/r27_onnxq_cpu.py REC5.wav --int8 INT8.onnx [--pairs 3] [--json OUT]

Decodes WAV once and loads the networks once, then runs ``diarize`` (the settings ``run`` uses, one intra-op
thread as ``run`` on 2 cores) ``--pairs`` times in each variant, alternated (fp32, int8, fp32, ...), in this
thread. Thread CPU seconds of the whole ``diarize`` call and of the CAM++ calls (inputs of shape
(rows, frames, 80)); medians and paired differences; a hash of each variant's turns.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the other benchmark scripts, imported by name


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("wav", type=Path)
    ap.add_argument("--int8", type=Path, required=True)
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    q = importlib.import_module("diar_quant_r17_speed")
    from sessionscope.audio import diarize as dz
    from sessionscope.audio import onnx_models, segmentation
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.pipeline import diarization_settings
    from sessionscope.config import Config
    from sessionscope.models import load_campplus

    audio = load_audio(args.wav)
    segmentation.load_segmentation("cpu")
    load_campplus("cpu")
    qs = q.session(args.int8)
    real_infer = onnx_models.infer
    state = {"int8": False, "cam": 0.0}

    def infer(model, batch, device="cpu"):  # type: ignore[no-untyped-def]
        if batch.ndim == 3 and batch.shape[-1] == 80:
            c = time.thread_time()
            try:
                if state["int8"]:
                    return qs.run(None, {"input": np.ascontiguousarray(batch, dtype=np.float32)})[0]
                return real_infer(model, batch, device)
            finally:
                state["cam"] += time.thread_time() - c
        return real_infer(model, batch, device)

    onnx_models.infer = infer  # type: ignore[assignment]
    cfg = Config()
    dc = cfg.diarization
    runs: dict[str, list[dict[str, float]]] = {"fp32": [], "int8": []}
    hashes: dict[str, set[str]] = {"fp32": set(), "int8": set()}
    with onnx_models.intra_threads(1):
        for _ in range(args.pairs):
            for v in ("fp32", "int8"):
                state["int8"], state["cam"] = v == "int8", 0.0
                c = time.thread_time()
                d = dz.diarize(audio.mono, min_speakers=dc.min_speakers, max_speakers=max(dc.min_speakers, dc.max_speakers),
                               window_s=dc.window_s, step_s=dc.step_s, merge_threshold=dc.merge_threshold,
                               vad_threshold=dc.vad_threshold, segmentation=dc.segmentation, params=diarization_settings(cfg))
                total = time.thread_time() - c
                runs[v].append({"diarize_cpu_s": round(total, 3), "campplus_cpu_s": round(state["cam"], 3)})
                hashes[v].add(hashlib.sha256(repr([(round(t.start, 3), round(t.end, 3), t.speaker) for t in d.turns]).encode()).hexdigest()[:16])
                print(v, runs[v][-1], flush=True)
    med = {v: {k: round(statistics.median(r[k] for r in rs), 3) for k in ("diarize_cpu_s", "campplus_cpu_s")} for v, rs in runs.items()}
    paired = [round(b["diarize_cpu_s"] - a["diarize_cpu_s"], 3) for a, b in zip(runs["fp32"], runs["int8"], strict=True)]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    res = {"command": " ".join(["benchmarks/r27_onnxq_cpu.py", *map(str, sys.argv[1:])]), "commit": commit,
           "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load_average_at_start": os.getloadavg()[0],
           "recording": str(args.wav), "audio_s": round(len(audio.mono) / 16000, 1),
           "int8_sha256": hashlib.sha256(args.int8.read_bytes()).hexdigest(), "runs": runs, "median": med,
           "paired_int8_minus_fp32_diarize_cpu_s": paired, "turn_hashes": {k: sorted(v) for k, v in hashes.items()}}
    print(json.dumps({k: v for k, v in res.items() if k != "runs"}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

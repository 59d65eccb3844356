"""Where the overlap-aware diarization's CPU goes, stage by stage, on one recording, as `run` calls it (round 26,
issue 11, helper "speed"): the diarization alone, in process, on `run`'s thread count, ``--repeats`` times after
one untimed warm-up (models loaded, ONNX sessions created). Each stage is timed with ``time.process_time`` (the
process's CPU, all threads) by wrapping the functions that :func:`sessionscope.audio.diarize.diarize_local` calls;
the CAM++ inputs (rows, frames) of the coarse and the finer embeddings are counted.

    nice -n 10 .venv/bin/python benchmarks/r26_diar_stages_speed.py REC5.wav --repeats 3 \
        --json benchmarks/results/r26_diar_stages_speed.json

``REC5.wav``: the 5-minute recording of ``benchmarks/speed_run.py`` (``--write-recording PATH`` writes it with
``speed_run.build``). The turns of every repeat must equal the warm-up's.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

# (stage, module, function): CPU seconds spent inside these calls (outermost call only)
STAGES = [("segmentation", "sessionscope.audio.segmentation", "local_segmentation"),
          ("split_runs", "sessionscope.audio.diarize", "split_runs"),
          ("embeddings", "sessionscope.audio.diarize", "local_embeddings"),
          ("split_finer", "sessionscope.audio.diarize", "split_finer"),
          ("embed_slots", "sessionscope.audio.diarize", "embed_slots"),
          ("voices_and_runs", "sessionscope.audio.diarize", "voices_and_runs"),
          ("reconstruct", "sessionscope.audio.diarize", "reconstruct"),
          ("frame_db", "sessionscope.audio.diarize", "frame_db"),
          ("level_edges", "sessionscope.audio.diarize", "level_edges"),
          ("cam++ (infer_rows)", "sessionscope.audio.onnx_models", "infer_rows")]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("wav", type=Path)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--write-recording", action="store_true", help="write the 5-minute speed recording to WAV first")
    ap.add_argument("--conversations", type=Path, help="with --write-recording: speed_run.build's conversations folder")
    ap.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                    help="a DiarizationParams field set after the configuration's (e.g. finer_keep_frac=0.8)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    import importlib

    if args.write_recording:
        from speed_run import build

        build(5, args.wav, args.conversations)
    from sessionscope.audio import diarize as dz
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.pipeline import diarization_settings
    from sessionscope.config import Config

    cfg = Config()
    dc = cfg.diarization
    samples = load_audio(args.wav).mono
    cpu: dict[str, float] = {}
    rows: dict[str, list[int]] = {}
    depth = {"n": 0, "finer": 0}

    def wrap(label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def inner(*a: Any, **kw: Any) -> Any:
            if label == "cam++ (infer_rows)":
                which = "finer" if depth["finer"] else "coarse"
                rows.setdefault(which, [0, 0])
                rows[which][0] += len(a[1])
                rows[which][1] += int(a[1].shape[0] * a[1].shape[1])
            if label == "split_finer":
                depth["finer"] += 1
            c = time.process_time()
            try:
                return fn(*a, **kw)
            finally:
                cpu[label] = cpu.get(label, 0.0) + time.process_time() - c
                if label == "split_finer":
                    depth["finer"] -= 1
        return inner

    for label, mod, name in STAGES:
        m = importlib.import_module(mod)
        if hasattr(m, name):  # embed_slots: not in trees before round 26; split_finer: only in those (a test-only wrapper, removed)
            setattr(m, name, wrap(label, getattr(m, name)))

    params = diarization_settings(cfg)
    for item in args.param:
        key, value = item.split("=", 1)
        params = dataclasses.replace(params, **{key: type(getattr(params, key))(value)})

    def call() -> Any:
        return dz.diarize(samples, min_speakers=dc.min_speakers, max_speakers=max(dc.min_speakers, dc.max_speakers),
                          window_s=dc.window_s, step_s=dc.step_s, merge_threshold=dc.merge_threshold,
                          vad_threshold=dc.vad_threshold, segmentation=dc.segmentation, params=params)

    first = call()
    reps: list[dict[str, Any]] = []
    for _ in range(args.repeats):
        cpu.clear()
        rows.clear()
        c = time.process_time()
        d = call()
        total = time.process_time() - c
        assert [(t.start, t.end, t.speaker) for t in d.turns] == [(t.start, t.end, t.speaker) for t in first.turns]
        reps.append({"cpu_s": round(total, 3), "stages_cpu_s": {k: round(v, 3) for k, v in cpu.items()},
                     "campp_rows_frames": {k: list(v) for k, v in rows.items()}})
        print(json.dumps(reps[-1]), flush=True)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    import sessionscope

    labels = sorted({k for r in reps for k in r["stages_cpu_s"]})
    res = {"command": " ".join(["benchmarks/r26_diar_stages_speed.py", *map(str, sys.argv[1:])]), "commit": commit,
           "sessionscope_file": sessionscope.__file__, "recording": str(args.wav), "params": args.param,
           "data": "speed_run.build(5, ...) recording", "load_average": os.getloadavg(),
           "turns": len(first.turns), "speakers": len(first.centroids),
           "median_cpu_s": statistics.median(r["cpu_s"] for r in reps),
           "median_stages_cpu_s": {k: statistics.median(r["stages_cpu_s"].get(k, 0.0) for r in reps) for k in labels},
           "repeats": reps}
    print(json.dumps({k: v for k, v in res.items() if k != "repeats"}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

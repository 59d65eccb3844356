"""Which CAM++ convolutions can be int8 on an AVX-512 VNNI CPU: drift and CPU per node group and calibration
(issue 11, round 27, onnxq; development audio only).

    nice -n 10 .venv/bin/python benchmarks/r27_onnxq_sens.py REC5.wav --calib CALIB.wav [--variants NAME ...] [--json OUT]

Records the CAM++ batches of one diarization of REC5 (evaluated) and of CALIB (calibration; a different
recording) with ``diar_quant_r17_speed.record`` (which ``r27_onnxq_replay.py`` runs); quantises the cached float32 export statically (QDQ, per-channel
int8 weights, uint8 activations) on the Conv nodes whose names match each variant's expression, with ranges
from the calibration batches cut into fixed-length crops (``--crop`` frames: the histogram calibrators need
one shape); replays REC5's batches (one intra-op thread) through float32 and each variant, alternated, and
reports thread CPU (median of ``--repeats``) and the embeddings' cosine to float32 (mean, 1st percentile, min).
"""
from __future__ import annotations

import argparse
import importlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the other benchmark scripts, imported by name

GROUPS = {
    # the convolutions that cost: 2-D head, TDNN 1x1 bottlenecks, local k=3 convs, transits; not the CAM gates
    "heavy": r"^/head/|/linear_local/|tdnnd\d+/linear1/|/transit\d/|^/xvector/tdnn/",
    "heavy_no_conv1": r"^/head/(?!conv1/)|/linear_local/|tdnnd\d+/linear1/|/transit\d/|^/xvector/tdnn/",
    "heavy_no_head": r"/linear_local/|tdnnd\d+/linear1/|/transit\d/|^/xvector/tdnn/",
    "blocks": r"/linear_local/|tdnnd\d+/linear1/",
    "all_conv": r".",
    "head": r"^/head/",
    "heavy_no_transit": r"^/head/|/linear_local/|tdnnd\d+/linear1/",
    "heavy_no_block1": r"^/head/|block[23]/.*(/linear_local/|tdnnd\d+/linear1/)|/transit\d/",
}


def crops(batches: list[np.ndarray], frames: int) -> list[np.ndarray]:
    """Every calibration row cut into consecutive ``frames``-long crops, 8 crops per batch."""
    rows = [r[i:i + frames] for b in batches for r in b for i in range(0, r.shape[0] - frames + 1, frames)]
    return [np.stack(rows[i:i + 8]).astype(np.float32) for i in range(0, len(rows), 8) if len(rows[i:i + 8]) == 8]


def quantise(src: Path, dst: Path, calib: list[np.ndarray], nodes: str, method: str) -> Path:
    import re

    import onnx
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static

    chosen = [n.name for n in onnx.load(str(src)).graph.node if n.op_type == "Conv" and re.search(nodes, n.name)]
    extra: dict[str, object] = {"CalibMovingAverage": False}
    if method == "Percentile":
        extra["CalibPercentile"] = 99.999
    quantize_static(str(src), str(dst), importlib.import_module("diar_quant_r17_speed").Reader("input", calib), quant_format=QuantFormat.QDQ, nodes_to_quantize=chosen,
                    op_types_to_quantize=["Conv"], per_channel=True, reduce_range=False,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                    calibrate_method=getattr(CalibrationMethod, method), extra_options=extra)
    return dst


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("wav", type=Path)
    ap.add_argument("--calib", type=Path, required=True)
    ap.add_argument("--variants", nargs="+", default=["heavy:MinMax", "heavy:Percentile", "heavy:Entropy"],
                    help="GROUP:METHOD (MinMax, Percentile, Entropy)")
    ap.add_argument("--crop", type=int, default=150)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    q = importlib.import_module("diar_quant_r17_speed")
    from sessionscope.models import load_campplus

    cam = load_campplus("cpu")
    batches = q.record(args.wav)["campplus"]
    calib = crops(q.record(args.calib)["campplus"], args.crop)
    tmp = Path(tempfile.mkdtemp(prefix="r27_onnxq_sens_"))
    sessions = {"fp32": q.session(cam.path)}
    build: dict[str, float] = {}
    for v in args.variants:
        group, method = v.split(":")
        c = time.process_time()
        try:
            sessions[v] = q.session(quantise(cam.path, tmp / f"{group}_{method}.onnx", calib, GROUPS[group], method))
        except Exception as e:  # noqa: BLE001
            print(f"{v}: {type(e).__name__}: {e}", file=sys.stderr)
        build[v] = round(time.process_time() - c, 2)
    times: dict[str, list[float]] = {v: [] for v in sessions}
    outs: dict[str, np.ndarray] = {}
    for _ in range(args.repeats):
        for v, s in sessions.items():
            c = time.thread_time()
            got = [s.run(None, {"input": b})[0] for b in batches]
            times[v].append(time.thread_time() - c)
            outs[v] = np.concatenate(got)
    ref = outs["fp32"]
    results = {}
    for v in sessions:
        b = outs[v]
        cos = (ref * b).sum(1) / (np.linalg.norm(ref, axis=1) * np.linalg.norm(b, axis=1) + 1e-12)
        results[v] = {"cpu_s": round(statistics.median(times[v]), 3), "cpu_s_runs": [round(t, 3) for t in times[v]],
                      "build_cpu_s": build.get(v), "cos_mean": round(float(cos.mean()), 6),
                      "cos_p1": round(float(np.percentile(cos, 1)), 6), "cos_min": round(float(cos.min()), 6)}
        print(v, json.dumps(results[v]), flush=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    res = {"command": " ".join(["benchmarks/r27_onnxq_sens.py", *map(str, sys.argv[1:])]), "commit": commit,
           "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "groups": GROUPS,
           "data": {"eval": str(args.wav), "calibration": str(args.calib)}, "rows": len(ref),
           "calib_crops": len(calib), "onnxruntime": __import__("onnxruntime").__version__, "results": results}
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

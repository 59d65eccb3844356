"""CPU cost and output drift of int8 / fp16 variants of the diarization networks (issue 11, round 17, speed).

    nice -n 10 .venv/bin/python benchmarks/diar_quant_r17_speed.py WAV --calib CALIB.wav [--repeats 3] [--json OUT]

Extends ``diar_onnx_variants_r11_diar.py`` (round 11: dynamic int8 only, on another CPU) with *static*
int8 quantisation (QDQ, QLinearConv kernels; activation ranges calibrated on the batches of a different
recording, ``--calib``, so that the evaluated batches are not the calibration ones) and a float16 copy.
Runs ``diarize`` on WAV and on CALIB with the settings ``run`` uses, recording every batch that goes into
CAM++ and the segmentation network; replays WAV's batches through each variant in this thread with one
intra-op thread (as ``run`` on 2 cores), alternating variants inside each repeat; reports thread CPU
seconds (median) and the drift from the shipped float32 copy (CAM++: cosine per embedding; segmentation:
share of frames whose most likely powerset class changes, largest log-probability difference).
Whether a variant keeps the DER is ``diarization_der.py``'s job.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np


def session(path: Path):  # type: ignore[no-untyped-def]
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.add_session_config_entry("session.intra_op.allow_spinning", "0")
    so.log_severity_level = 3
    return ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])


def record(wav: Path) -> dict[str, list[np.ndarray]]:
    from sessionscope.audio import diarize as dz
    from sessionscope.audio import onnx_models
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.pipeline import diarization_settings
    from sessionscope.config import Config

    audio = load_audio(wav)
    dc = Config().diarization
    batches: dict[str, list[np.ndarray]] = {"campplus": [], "segmentation": []}
    real_infer = onnx_models.infer

    def infer(model, batch, device="cpu"):  # type: ignore[no-untyped-def]
        key = "campplus" if batch.ndim == 3 and batch.shape[-1] == 80 else "segmentation"
        batches[key].append(np.ascontiguousarray(batch, dtype=np.float32))
        return real_infer(model, batch, device)

    onnx_models.infer = infer
    try:
        dz.diarize(audio.mono, min_speakers=dc.min_speakers, max_speakers=max(dc.min_speakers, dc.max_speakers),
                   window_s=dc.window_s, step_s=dc.step_s, merge_threshold=dc.merge_threshold,
                   vad_threshold=dc.vad_threshold, segmentation=dc.segmentation, params=diarization_settings(Config()))
    finally:
        onnx_models.infer = real_infer
    return batches


class Reader:
    def __init__(self, name: str, batches: list[np.ndarray]) -> None:
        self.name, self.it = name, iter(batches)

    def get_next(self):  # type: ignore[no-untyped-def]
        b = next(self.it, None)
        return None if b is None else {self.name: b}

    def rewind(self) -> None:  # pragma: no cover - API
        pass


def static_q(src: Path, dst: Path, calib: list[np.ndarray], *, ops: list[str] | None, method: str,
             reduce_range: bool, per_channel: bool = True, nodes: str | None = None) -> Path:
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    pre = dst.with_suffix(".pre.onnx")
    try:
        quant_pre_process(str(src), str(pre), skip_symbolic_shape=True)
    except Exception as e:  # noqa: BLE001
        print(f"pre-process skipped for {src.name}: {e}", file=sys.stderr)
        pre = src
    s = session(pre)
    import onnx

    chosen = None
    if nodes is not None:  # a regular expression over node names: only those are quantised
        chosen = [n.name for n in onnx.load(str(pre)).graph.node if n.op_type == "Conv" and re.search(nodes, n.name)]
    quantize_static(str(pre), str(dst), Reader(s.get_inputs()[0].name, calib), quant_format=QuantFormat.QDQ, nodes_to_quantize=chosen,
                    op_types_to_quantize=ops, per_channel=per_channel, reduce_range=reduce_range,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                    calibrate_method=getattr(CalibrationMethod, method),
                    extra_options={"CalibMovingAverage": False})
    return dst


def dynamic_q(src: Path, dst: Path, ops: list[str] | None) -> Path:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, per_channel=True, op_types_to_quantize=ops,
                     extra_options={"MatMulConstBOnly": True})
    return dst


def fp16(src: Path, dst: Path) -> Path:
    import onnx
    from onnxconverter_common import float16  # type: ignore[import-not-found]

    m = float16.convert_float_to_float16(onnx.load(str(src)), keep_io_types=True)
    onnx.save(m, str(dst))
    return dst


def main(script: str = "benchmarks/diar_quant_r17_speed.py", tmp_prefix: str = "diar_q17_") -> int:
    """``script`` / ``tmp_prefix``: the name written in the result's ``command`` and the scratch dir's prefix (round 27's
    ``r27_onnxq_replay.py`` runs this with its own)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("wav", type=Path)
    ap.add_argument("--calib", type=Path, required=True)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--nets", nargs="+", default=["campplus", "segmentation"])
    ap.add_argument("--variants", nargs="+", help="only these variants (besides fp32)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from sessionscope.audio import segmentation
    from sessionscope.models import load_campplus

    seg_model, _ = segmentation.load_segmentation("cpu")
    cam_model = load_campplus("cpu")
    batches = record(args.wav)
    calib = record(args.calib)
    tmp = Path(tempfile.mkdtemp(prefix=tmp_prefix))
    paths = {"campplus": cam_model.path, "segmentation": seg_model.path}
    variants: dict[str, dict[str, object]] = {}
    build_s: dict[str, float] = {}
    for net in args.nets:
        src = paths[net]
        variants[net] = {"fp32": session(src)}
        specs: dict[str, Any] = {
            "static_head": lambda d, n=net, s=src: static_q(s, d, calib[n], ops=["Conv"], method="MinMax", reduce_range=False, nodes=r"^/head/"),
            "static_head_local": lambda d, n=net, s=src: static_q(s, d, calib[n], ops=["Conv"], method="MinMax", reduce_range=False, nodes=r"^/head/|linear_local|tdnnd\d+/linear1/"),
            "static_head_layers": lambda d, n=net, s=src: static_q(s, d, calib[n], ops=["Conv"], method="MinMax", reduce_range=False, nodes=r"^/head/layer"),
            "static_local": lambda d, n=net, s=src: static_q(s, d, calib[n], ops=["Conv"], method="MinMax", reduce_range=False, nodes=r"linear_local|tdnnd\d+/linear1/"),
            "static_local_pct": lambda d, n=net, s=src: static_q(s, d, calib[n], ops=["Conv"], method="Percentile", reduce_range=False, nodes=r"linear_local|tdnnd\d+/linear1/"),
            "static_no_conv1": lambda d, n=net, s=src: static_q(s, d, calib[n], ops=["Conv"], method="MinMax", reduce_range=False, nodes=r"^(?!/head/conv1/)"),
            "static_xvector": lambda d, n=net, s=src: static_q(s, d, calib[n], ops=["Conv"], method="MinMax", reduce_range=False, nodes=r"^/xvector/"),
            "static_minmax": lambda d, n=net, s=src: static_q(s, d, calib[n], ops=None, method="MinMax", reduce_range=False),
            "static_minmax_rr": lambda d, n=net, s=src: static_q(s, d, calib[n], ops=None, method="MinMax", reduce_range=True),
            "static_conv_minmax": lambda d, n=net, s=src: static_q(s, d, calib[n], ops=["Conv"], method="MinMax", reduce_range=False),
            # round 27 (onnxq): the same convolutions with histogram calibrators
            "static_conv_pct": lambda d, n=net, s=src: static_q(s, d, calib[n], ops=["Conv"], method="Percentile", reduce_range=False),
            "static_conv_entropy": lambda d, n=net, s=src: static_q(s, d, calib[n], ops=["Conv"], method="Entropy", reduce_range=False),
            "dynamic_all": lambda d, s=src: dynamic_q(s, d, None),
        }
        if net == "segmentation":
            specs["dynamic_lstm_matmul"] = lambda d, s=src: dynamic_q(s, d, ["MatMul", "Gemm", "LSTM"])
        for name, fn in specs.items():
            if args.variants and name not in args.variants:
                continue
            c = time.process_time()
            try:
                variants[net][name] = session(fn(tmp / f"{net}_{name}.onnx"))
            except Exception as e:  # noqa: BLE001
                print(f"{net} {name}: {type(e).__name__}: {e}", file=sys.stderr)
            build_s[f"{net}/{name}"] = round(time.process_time() - c, 2)
    results: dict[str, dict[str, object]] = {}
    for net, sessions in variants.items():
        outs: dict[str, list[np.ndarray]] = {}
        times: dict[str, list[float]] = {v: [] for v in sessions}
        for _ in range(args.repeats):
            for v, s in sessions.items():
                name_in = s.get_inputs()[0].name  # type: ignore[attr-defined]
                c = time.thread_time()
                got = [s.run(None, {name_in: b})[0] for b in batches[net]]  # type: ignore[attr-defined]
                times[v].append(time.thread_time() - c)
                outs[v] = got
        ref = np.concatenate(outs["fp32"])
        results[net] = {}
        for v in sessions:
            row: dict[str, object] = {"cpu_s": round(statistics.median(times[v]), 3),
                                      "cpu_s_runs": [round(t, 3) for t in times[v]], "build_cpu_s": build_s.get(f"{net}/{v}")}
            b = np.concatenate(outs[v])
            if net == "campplus":
                cos = (ref * b).sum(1) / (np.linalg.norm(ref, axis=1) * np.linalg.norm(b, axis=1) + 1e-12)
                row.update(cos_min=round(float(cos.min()), 6), cos_mean=round(float(cos.mean()), 6), rows=len(ref))
            else:
                row.update(argmax_changed=round(float((ref.argmax(-1) != b.argmax(-1)).mean()), 6),
                           max_abs_diff=round(float(np.abs(ref - b).max()), 5), chunks=len(ref))
            results[net][v] = row
            print(net, v, json.dumps(row), flush=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    res = {"command": " ".join([script, *map(str, sys.argv[1:])]), "commit": commit,
           "data": {"eval": str(args.wav), "calibration": str(args.calib)},
           "onnxruntime": __import__("onnxruntime").__version__,
           "cpu_flags_vnni": "avx512_vnni" in Path("/proc/cpuinfo").read_text(), "results": results,
           "batches": {k: len(v) for k, v in batches.items()}, "calib_batches": {k: len(v) for k, v in calib.items()}}
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

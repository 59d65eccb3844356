"""CPU cost and output drift of ONNX Runtime variants of the diarization networks (issue 11, round 11, diar).

    nice -n 10 .venv/bin/python benchmarks/diar_onnx_variants_r11_diar.py WAV [--repeats 2] [--json OUT]

Runs ``diarize`` once on WAV with the settings ``run`` uses, recording every batch that goes into
CAM++ and into the segmentation network. Then, in this thread with one intra-op thread (as ``run``
runs the diarization on 2 cores), replays those exact batches through each variant of each network,
alternating variants inside every repeat, and reports the thread CPU seconds (median of repeats) and
how far the outputs move from the shipped float32 copy: CAM++ cosine per embedding (min / mean), the
segmentation's hard decision (share of frames whose most likely powerset class changes) and its
largest log-probability difference. Variants:

* ``fp32``: the cached export (what ``run`` uses);
* ``fp32_nodenormal``: the same with ``session.set_denormal_as_zero``;
* ``int8``: ``onnxruntime.quantization.quantize_dynamic`` (weights int8 per channel, activations
  quantised at run time; Conv, MatMul, LSTM …);
* ``int8_matmul``: dynamic quantisation of MatMul / Gemm / LSTM only (convolutions in float).

Only drift and cost are measured here; whether a variant keeps the DER is ``diarization_der.py``'s job.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def session(path: Path, *, denormal: bool = False):  # type: ignore[no-untyped-def]
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.add_session_config_entry("session.intra_op.allow_spinning", "0")
    if denormal:
        so.add_session_config_entry("session.set_denormal_as_zero", "1")
    so.log_severity_level = 3
    return ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])


def quantised(src: Path, dst: Path, ops: list[str] | None) -> Path:
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.shape_inference import quant_pre_process

    pre = dst.with_suffix(".pre.onnx")
    try:
        quant_pre_process(str(src), str(pre), skip_symbolic_shape=True)
    except Exception as e:  # noqa: BLE001 - pre-processing is optional
        print(f"pre-process skipped for {src.name}: {e}", file=sys.stderr)
        pre = src
    quantize_dynamic(str(pre), str(dst), weight_type=QuantType.QInt8, per_channel=True,
                     op_types_to_quantize=ops, extra_options={"MatMulConstBOnly": True})
    return dst


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("wav", type=Path)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from sessionscope.audio import diarize as dz
    from sessionscope.audio import onnx_models, segmentation
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.pipeline import diarization_settings
    from sessionscope.config import Config
    from sessionscope.models import load_campplus

    audio = load_audio(args.wav)
    cfg = Config()
    dc = cfg.diarization
    seg_model, _ = segmentation.load_segmentation("cpu")
    cam_model = load_campplus("cpu")
    batches: dict[str, list[np.ndarray]] = {"campplus": [], "segmentation": []}
    real_infer = onnx_models.infer

    def infer(model, batch, device="cpu"):  # type: ignore[no-untyped-def]
        key = "campplus" if batch.ndim == 3 and batch.shape[-1] == 80 else "segmentation"
        batches[key].append(np.ascontiguousarray(batch, dtype=np.float32))
        return real_infer(model, batch, device)

    onnx_models.infer = infer
    dz.diarize(audio.mono, min_speakers=dc.min_speakers, max_speakers=max(dc.min_speakers, dc.max_speakers),
               window_s=dc.window_s, step_s=dc.step_s, merge_threshold=dc.merge_threshold,
               vad_threshold=dc.vad_threshold, segmentation=dc.segmentation, params=diarization_settings(cfg))
    onnx_models.infer = real_infer
    tmp = Path(tempfile.mkdtemp(prefix="diar_q_"))
    paths = {"campplus": cam_model.path, "segmentation": seg_model.path}
    variants: dict[str, dict[str, object]] = {}
    for net, src in paths.items():
        variants[net] = {"fp32": session(src), "fp32_nodenormal": session(src, denormal=True)}
        for name, ops in (("int8", None), ("int8_matmul", ["MatMul", "Gemm", "LSTM"])):
            try:
                variants[net][name] = session(quantised(src, tmp / f"{net}_{name}.onnx", ops))
            except Exception as e:  # noqa: BLE001
                print(f"{net} {name}: {type(e).__name__}: {e}", file=sys.stderr)
    results: dict[str, dict[str, object]] = {}
    for net, sessions in variants.items():
        ref = None
        outs: dict[str, list[np.ndarray]] = {}
        times: dict[str, list[float]] = {v: [] for v in sessions}
        for _ in range(args.repeats):
            for v, s in sessions.items():
                name_in = s.get_inputs()[0].name  # type: ignore[attr-defined]
                c = time.thread_time()
                got = [s.run(None, {name_in: b})[0] for b in batches[net]]  # type: ignore[attr-defined]
                times[v].append(time.thread_time() - c)
                outs[v] = got
        ref = outs["fp32"]
        results[net] = {}
        for v in sessions:
            row: dict[str, object] = {"cpu_s": round(statistics.median(times[v]), 3), "cpu_s_runs": [round(t, 3) for t in times[v]]}
            if net == "campplus":
                a = np.concatenate(ref)
                b = np.concatenate(outs[v])
                cos = (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1) + 1e-12)
                row.update(cos_min=round(float(cos.min()), 6), cos_mean=round(float(cos.mean()), 6), rows=len(a))
            else:
                a = np.concatenate(ref)
                b = np.concatenate(outs[v])
                row.update(argmax_changed=round(float((a.argmax(-1) != b.argmax(-1)).mean()), 6),
                           max_abs_diff=round(float(np.abs(a - b).max()), 5), chunks=len(a))
            results[net][v] = row
            print(net, v, json.dumps(row), flush=True)
    res = {"command": " ".join(["benchmarks/diar_onnx_variants_r11_diar.py", *map(str, sys.argv[1:])]),
           "onnxruntime": __import__("onnxruntime").__version__, "results": results,
           "batches": {k: len(v) for k, v in batches.items()}}
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

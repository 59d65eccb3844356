"""CPU cost of the diarization networks' call shapes, outputs compared bit for bit (issue 11, round 12, speed).

    nice -n 10 .venv/bin/python benchmarks/diar_batch_r12_speed.py WAV [--repeats 3] [--json OUT]

Runs ``diarize`` once on WAV with the settings ``run`` uses, recording every batch that goes into
CAM++ and into the segmentation network (the shipped call shapes). Then, in this thread with one
intra-op thread (as ``run`` runs the diarization on 2 cores), replays the same rows through each
variant, alternating variants inside every repeat, and reports per variant the thread CPU seconds
(user + system of this thread), the thread's minor page faults (median of repeats) and whether every
output row is bit-identical to the shipped call shapes' output. Variants: each recorded batch split
into sub-batches of ``--cam-sizes`` rows (CAM++) / ``--seg-sizes`` chunks (segmentation), and each
network with and without ONNX Runtime's CPU memory arena. ``--what`` picks the networks.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np


def session(path: Path, *, arena: bool, opt_file: str | None = None):  # type: ignore[no-untyped-def]
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.add_session_config_entry("session.intra_op.allow_spinning", "0")
    so.log_severity_level = 3
    so.enable_cpu_mem_arena = arena
    return ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])


def thread_faults() -> int:
    return resource.getrusage(resource.RUSAGE_THREAD).ru_minflt


def replay(sess, batches: list[np.ndarray], size: int) -> tuple[list[np.ndarray], float, int]:  # type: ignore[no-untyped-def]
    from sessionscope.audio.decode import trim_heap

    name = sess.get_inputs()[0].name
    outs = []
    f0, c0 = thread_faults(), time.thread_time()
    for b in batches:
        step = size if size > 0 else len(b)
        for i in range(0, len(b), step):
            outs.append(sess.run(None, {name: np.ascontiguousarray(b[i:i + step])})[0])
        trim_heap()  # as the shipped loops do after each batch
    return outs, time.thread_time() - c0, thread_faults() - f0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("wav", type=Path)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--cam-sizes", default="0,1,2,4,8", help="rows per CAM++ call (0: the shipped batches)")
    ap.add_argument("--seg-sizes", default="0,1,2,4", help="chunks per segmentation call (0: the shipped batches)")
    ap.add_argument("--what", default="campplus,segmentation")
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
    recorded: dict[str, list[np.ndarray]] = {"campplus": [], "segmentation": []}
    real_infer = onnx_models.infer

    def infer(model, batch, device="cpu"):  # type: ignore[no-untyped-def]
        key = "campplus" if batch.ndim == 3 and batch.shape[-1] == 80 else "segmentation"
        recorded[key].append(np.array(batch, dtype=np.float32, copy=True))
        return real_infer(model, batch, device)

    onnx_models.infer = infer
    with dz.torch_threads(1):
        dz.diarize(audio.mono, min_speakers=dc.min_speakers, max_speakers=max(dc.min_speakers, dc.max_speakers),
                   window_s=dc.window_s, step_s=dc.step_s, merge_threshold=dc.merge_threshold,
                   vad_threshold=dc.vad_threshold, segmentation=dc.segmentation, params=diarization_settings(cfg))
    onnx_models.infer = real_infer
    paths = {"campplus": cam_model.path, "segmentation": seg_model.path}
    sizes = {"campplus": [int(s) for s in args.cam_sizes.split(",")],
             "segmentation": [int(s) for s in args.seg_sizes.split(",")]}
    shipped_arena = {"campplus": cam_model.arena, "segmentation": seg_model.arena}
    res: dict[str, object] = {"command": " ".join(["benchmarks/diar_batch_r12_speed.py", *sys.argv[1:]]),
                              "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    for net in args.what.split(","):
        batches = recorded[net]
        res[f"{net}_calls_shipped"] = [list(b.shape) for b in batches]
        sessions = {arena: session(paths[net], arena=arena) for arena in (True, False)}
        ref, _, _ = replay(sessions[shipped_arena[net]], batches, 0)
        ref_rows = np.concatenate(ref)
        variants = [(s, a) for s in sizes[net] for a in (True, False)]
        cpu: dict[str, list[float]] = {}
        faults: dict[str, list[int]] = {}
        same: dict[str, bool] = {}
        maxdiff: dict[str, float] = {}
        for rep in range(args.repeats):
            order = variants if rep % 2 == 0 else variants[::-1]
            for s, a in order:
                key = f"size{s or 'shipped'}_{'arena' if a else 'noarena'}"
                outs, c, f = replay(sessions[a], batches, s)
                rows = np.concatenate(outs)
                cpu.setdefault(key, []).append(round(c, 3))
                faults.setdefault(key, []).append(f)
                same[key] = same.get(key, True) and bool(np.array_equal(rows, ref_rows))
                maxdiff[key] = max(maxdiff.get(key, 0.0), float(np.abs(rows - ref_rows).max()))
                print(net, key, f"{c:.3f}", f, same[key], flush=True)
        res[net] = {k: {"cpu_s_median": round(statistics.median(v), 3), "cpu_s": v,
                        "minor_faults_median": int(statistics.median(faults[k])), "bit_identical": same[k],
                        "max_abs_diff": maxdiff[k]} for k, v in cpu.items()}
        res[f"{net}_shipped"] = f"size{'shipped'}_{'arena' if shipped_arena[net] else 'noarena'}"
    print(json.dumps({k: v for k, v in res.items() if not k.endswith("calls_shipped")}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

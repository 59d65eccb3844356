"""Does an int8 CAM++ change the diarization? Turns with the shipped float32 copy against a static-int8 copy
(issue 11, round 17, speed), on the development sets only.

    nice -n 10 .venv/bin/python benchmarks/diar_quant_turns_r17_speed.py --calib CALIB.wav \
        [--sets pyannote-ami libri-dev farfield farfield2 examples] [--nodes REGEX] [--json OUT]

Quantises the cached CAM++ export with ``onnxruntime.quantization.quantize_static`` (QDQ, per-channel int8
weights, uint8 activations, MinMax ranges from the CAM++ inputs of one diarization of ``--calib``), only the
Conv nodes whose names match ``--nodes`` (default: the TDNN blocks' local convolutions, the cheapest drift in
``diar_quant_r17_speed.py``). Then runs ``diarize`` (the settings ``run`` uses) on every file of the sets
twice, CAM++ batches going to float32 and to the int8 copy, and reports per file: speaker count, DER of each
against the reference (collar 0 / 0.25) and the DER between the two (0: same turns). The internal
diarization only (no transcription, no word-backed fill): identical turns here mean identical delivered turns.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def _load(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[name] = mod
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def paired_turns(sets: list[str], qs) -> tuple[list[dict], dict[str, dict], dict[str, float]]:  # type: ignore[no-untyped-def]
    """Diarize every file of ``sets`` twice, CAM++ in float32 (the shipped export) and through the ONNX Runtime session
    ``qs`` (an int8 copy): per-file rows, per-set summary (count right, mean and pooled DER at collar 0 and 0.25), and
    the CAM++ thread CPU seconds of each. Round 27's ``r27_onnxq_turns.py`` runs it on its own quantised copy."""
    dd = _load("diarization_der")
    from sessionscope.audio import diarize as dz
    from sessionscope.audio import onnx_models
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.der import der, read_rttm
    from sessionscope.audio.pipeline import diarization_settings
    from sessionscope.config import Config

    qin = qs.get_inputs()[0].name
    real_infer = onnx_models.infer
    use_int8 = {"on": False}
    cpu = {"fp32": 0.0, "int8": 0.0}

    def infer(model, batch, device="cpu"):  # type: ignore[no-untyped-def]
        if batch.ndim == 3 and batch.shape[-1] == 80:
            c = time.thread_time()
            try:
                if use_int8["on"]:
                    return qs.run(None, {qin: np.ascontiguousarray(batch, dtype=np.float32)})[0]
                return real_infer(model, batch, device)
            finally:
                cpu["int8" if use_int8["on"] else "fp32"] += time.thread_time() - c
        return real_infer(model, batch, device)

    onnx_models.infer = infer
    cfg = Config()
    dc = cfg.diarization
    rows = []
    for set_name in sets:
        for uri, wav, rttm in dd.cases(set_name):
            ref_all = read_rttm(rttm)
            ref = ref_all.get(uri) or next(iter(ref_all.values()))
            audio = load_audio(wav)
            out = {}
            for variant in ("fp32", "int8"):
                use_int8["on"] = variant == "int8"
                d = dz.diarize(audio.mono, min_speakers=dc.min_speakers, max_speakers=max(dc.min_speakers, dc.max_speakers),
                               window_s=dc.window_s, step_s=dc.step_s, merge_threshold=dc.merge_threshold,
                               vad_threshold=dc.vad_threshold, segmentation=dc.segmentation, params=diarization_settings(cfg))
                out[variant] = [(t.start, t.end, t.speaker) for t in d.turns]
            row = {"set": set_name, "uri": uri, "ref_speakers": len({s for *_, s in ref})}
            for variant, turns in out.items():
                row[f"{variant}_speakers"] = len({s for *_, s in turns})
                for c, tag in ((0.0, "c0"), (0.25, "c025")):
                    r = der(ref, turns, collar=c)
                    row[f"{variant}_der_{tag}"] = round(100 * r.der, 2)
                    row[f"{variant}_err_{tag}"] = round(r.der * r.reference, 4)
                    row[f"{variant}_ref_{tag}"] = round(r.reference, 4)
            row["same_turns"] = out["fp32"] == out["int8"]
            row["der_between_c0"] = round(100 * der(out["fp32"], out["int8"]).der, 3) if out["fp32"] else 0.0
            rows.append(row)
            print(json.dumps(row), flush=True)
    onnx_models.infer = real_infer
    summary = {}
    for set_name in sets:
        rs = [r for r in rows if r["set"] == set_name]
        summary[set_name] = {
            "files": len(rs), "same_turns": sum(r["same_turns"] for r in rs),
            "count_right_fp32": sum(r["fp32_speakers"] == r["ref_speakers"] for r in rs),
            "count_right_int8": sum(r["int8_speakers"] == r["ref_speakers"] for r in rs),
            **{f"der_{tag}_{v}": round(statistics.mean(r[f"{v}_der_{tag}"] for r in rs), 2)
               for tag in ("c0", "c025") for v in ("fp32", "int8")},
            **{f"pooled_{tag}_{v}": round(100 * sum(r[f"{v}_err_{tag}"] for r in rs) / sum(r[f"{v}_ref_{tag}"] for r in rs), 2)
               for tag in ("c0", "c025") for v in ("fp32", "int8")}}
    return rows, summary, cpu


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calib", type=Path, required=True)
    ap.add_argument("--sets", nargs="+", default=["pyannote-ami", "libri-dev", "farfield", "farfield2", "examples"])
    ap.add_argument("--nodes", default=r"linear_local|tdnnd\d+/linear1/")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if {"ami", "libri-report"} & set(args.sets):
        raise SystemExit("held-out sets are not run here")
    q = _load("diar_quant_r17_speed")
    from sessionscope.models import load_campplus

    cam = load_campplus("cpu")
    calib = q.record(args.calib)["campplus"]
    tmp = Path(tempfile.mkdtemp(prefix="diar_q17t_"))
    qpath = q.static_q(cam.path, tmp / "campplus_int8.onnx", calib, ops=["Conv"], method="MinMax", reduce_range=False,
                       nodes=args.nodes)
    rows, summary, cpu = paired_turns(args.sets, q.session(qpath))
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    res = {"command": " ".join(["benchmarks/diar_quant_turns_r17_speed.py", *map(str, sys.argv[1:])]), "commit": commit,
           "data": {s: "development" if s != "examples" else "bundled examples" for s in args.sets},
           "calibration": str(args.calib), "nodes": args.nodes, "campplus_cpu_s": {k: round(v, 2) for k, v in cpu.items()},
           "summary": summary, "rows": rows}
    print(json.dumps({k: v for k, v in res.items() if k != "rows"}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

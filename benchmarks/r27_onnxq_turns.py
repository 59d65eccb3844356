"""Does an int8 CAM++ change the diarization? Turns with the shipped float32 copy against a static-int8 copy
(issue 11, round 27, onnxq: the AVX-512 VNNI box), on the development sets only.

    nice -n 10 .venv/bin/python benchmarks/r27_onnxq_turns.py --calib CALIB.wav \
        [--sets conv/dev_r19 farfield farfield2 pyannote-ami ...] [--group heavy] [--method MinMax] [--json OUT]

Round 27 copy of ``diar_quant_turns_r17_speed.py``. Quantises the cached CAM++ export with
``r27_onnxq_sens.quantise`` (QDQ, per-channel int8 weights, uint8 activations, ranges from fixed-length crops
of the CAM++ inputs of one diarization of ``--calib``), the Conv nodes of ``r27_onnxq_sens.GROUPS[--group]``. Then runs ``diarize`` (the settings ``run`` uses) on every file of the sets
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


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calib", type=Path, required=True)
    ap.add_argument("--sets", nargs="+", default=["conv/dev_r19", "conv/dev_r19_calls_clean", "conv/dev_r19_calls_laptop",
                                                  "conv/dev_r19_calls_opus24", "conv/dev_r19_calls_phone",
                                                  "conv/dev_r19_calls_zoom", "farfield", "farfield2", "pyannote-ami"])
    ap.add_argument("--group", default="heavy")
    ap.add_argument("--method", default="MinMax")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if {"ami", "libri-report", "examples", "conv/report"} & set(args.sets):
        raise SystemExit("held-out sets are not run here")
    q = _load("diar_quant_r17_speed")
    sens = _load("r27_onnxq_sens")
    dd = _load("diarization_der")
    from sessionscope.audio import diarize as dz
    from sessionscope.audio import onnx_models
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.der import der, read_rttm
    from sessionscope.audio.pipeline import diarization_settings
    from sessionscope.config import Config
    from sessionscope.models import load_campplus

    cam = load_campplus("cpu")
    calib = sens.crops(q.record(args.calib)["campplus"], 150)
    tmp = Path(tempfile.mkdtemp(prefix="r27_onnxq_t_"))
    qpath = sens.quantise(cam.path, tmp / "campplus_int8.onnx", calib, sens.GROUPS[args.group], args.method)
    qs = q.session(qpath)
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
    for set_name in args.sets:
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
                row[f"{variant}_der_c0"] = round(100 * der(ref, turns).der, 2)
                row[f"{variant}_der_c025"] = round(100 * der(ref, turns, collar=0.25).der, 2)
                for c, tag in ((0.0, "c0"), (0.25, "c025")):
                    r = der(ref, turns, collar=c)
                    row[f"{variant}_err_{tag}"] = round(r.der * r.reference, 4)
                    row[f"{variant}_ref_{tag}"] = round(r.reference, 4)
            row["same_turns"] = out["fp32"] == out["int8"]
            row["der_between_c0"] = round(100 * der(out["fp32"], out["int8"]).der, 3) if out["fp32"] else 0.0
            rows.append(row)
            print(json.dumps(row), flush=True)
    summary = {}
    for set_name in args.sets:
        rs = [r for r in rows if r["set"] == set_name]
        summary[set_name] = {
            "files": len(rs), "same_turns": sum(r["same_turns"] for r in rs),
            "count_right_fp32": sum(r["fp32_speakers"] == r["ref_speakers"] for r in rs),
            "count_right_int8": sum(r["int8_speakers"] == r["ref_speakers"] for r in rs),
            "der_c0_fp32": round(statistics.mean(r["fp32_der_c0"] for r in rs), 2),
            "der_c0_int8": round(statistics.mean(r["int8_der_c0"] for r in rs), 2),
            "der_c025_fp32": round(statistics.mean(r["fp32_der_c025"] for r in rs), 2),
            "der_c025_int8": round(statistics.mean(r["int8_der_c025"] for r in rs), 2),
            **{f"pooled_{tag}_{v}": round(100 * sum(r[f"{v}_err_{tag}"] for r in rs) / sum(r[f"{v}_ref_{tag}"] for r in rs), 2)
               for tag in ("c0", "c025") for v in ("fp32", "int8")}}
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    res = {"command": " ".join(["benchmarks/r27_onnxq_turns.py", *map(str, sys.argv[1:])]), "commit": commit,
           "data": {s: "development" if s != "examples" else "bundled examples" for s in args.sets},
           "calibration": str(args.calib), "group": args.group, "nodes": sens.GROUPS[args.group], "method": args.method,
           "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "campplus_cpu_s": {k: round(v, 2) for k, v in cpu.items()},
           "summary": summary, "rows": rows}
    print(json.dumps({k: v for k, v in res.items() if k != "rows"}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

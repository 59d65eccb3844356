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
import importlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the other benchmark scripts, imported by name


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
    q = importlib.import_module("diar_quant_r17_speed")
    sens = importlib.import_module("r27_onnxq_sens")
    from sessionscope.models import load_campplus

    cam = load_campplus("cpu")
    calib = sens.crops(q.record(args.calib)["campplus"], 150)
    tmp = Path(tempfile.mkdtemp(prefix="r27_onnxq_t_"))
    qpath = sens.quantise(cam.path, tmp / "campplus_int8.onnx", calib, sens.GROUPS[args.group], args.method)
    rows, summary, cpu = importlib.import_module("diar_quant_turns_r17_speed").paired_turns(args.sets, q.session(qpath))
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

"""``diarization_der.py`` with CAM++ run through a static-int8 copy (issue 11, round 27, onnxq; A/B only).

    nice -n 10 .venv/bin/python benchmarks/r27_onnxq_der.py --int8 INT8.onnx [--build-calib CALIB.wav] -- \
        --sets conv/dev_r19 ... --config benchmarks/configs/tiny_en.yaml --json OUT

Every CAM++ batch (the diarization's embeddings and the alignment's voice checks: inputs of shape
(rows, frames, 80)) goes to the int8 ONNX file ``--int8`` instead of the shipped float32 copy; everything
else is ``benchmarks/diarization_der.py`` unchanged. The diarization cache key gets ``campplus_int8`` (the
file's SHA-256), so no float32 result is reused and no int8 result is cached under the default key.
``--build-calib``: write ``--int8`` first, quantising the cached float32 export with
``r27_onnxq_sens.quantise`` (group ``--group``, ranges from ``--build-calib``'s CAM++ inputs).
The float32 baseline is ``diarization_der.py`` itself with the same arguments. No src change: an experiment.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the other benchmark scripts, imported by name


def main() -> int:
    argv = sys.argv[1:]
    rest = argv[argv.index("--") + 1:] if "--" in argv else []
    own = argv[:argv.index("--")] if "--" in argv else argv
    ap = argparse.ArgumentParser()
    ap.add_argument("--int8", type=Path, required=True)
    ap.add_argument("--build-calib", type=Path)
    ap.add_argument("--group", default="heavy")
    ap.add_argument("--method", default="MinMax")
    args = ap.parse_args(own)
    q = importlib.import_module("diar_quant_r17_speed")
    if args.build_calib is not None:
        sens = importlib.import_module("r27_onnxq_sens")
        from sessionscope.models import load_campplus

        cam = load_campplus("cpu")
        calib = sens.crops(q.record(args.build_calib)["campplus"], 150)
        sens.quantise(cam.path, args.int8, calib, sens.GROUPS[args.group], args.method)
    digest = hashlib.sha256(args.int8.read_bytes()).hexdigest()
    print(f"int8 CAM++ {args.int8} sha256 {digest}", file=sys.stderr)
    qs = q.session(args.int8)
    qin = qs.get_inputs()[0].name
    from sessionscope.audio import onnx_models, pipeline

    real_infer = onnx_models.infer
    real_params = pipeline.diarization_params

    def infer(model, batch, device="cpu"):  # type: ignore[no-untyped-def]
        if batch.ndim == 3 and batch.shape[-1] == 80:
            return qs.run(None, {qin: np.ascontiguousarray(batch, dtype=np.float32)})[0]
        return real_infer(model, batch, device)

    def params(config):  # type: ignore[no-untyped-def]
        return {**real_params(config), "campplus_int8": digest[:16]}

    onnx_models.infer = infer  # type: ignore[assignment]
    pipeline.diarization_params = params  # type: ignore[assignment]
    dd = importlib.import_module("diarization_der")
    sys.argv = ["benchmarks/diarization_der.py", *rest]
    return int(dd.main() or 0)


if __name__ == "__main__":
    raise SystemExit(main())

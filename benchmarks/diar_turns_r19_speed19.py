"""The diarization `run` makes on every development file (round 18's `diar_turns_r18_dspeed.py`), with ONNX Runtime's
memory arena on for the segmentation network too (``--arena``; round 19, speed19), to check that it changes no turn.

    PYTHONPATH=/tmp/r19/base/src nice -n 10 .venv/bin/python benchmarks/diar_turns_r19_speed19.py --json A.json
    PYTHONPATH=/tmp/r19/base/src nice -n 10 .venv/bin/python benchmarks/diar_turns_r19_speed19.py --arena --json B.json
    .venv/bin/python benchmarks/diar_turns_r18_dspeed.py --compare A.json B.json --json C.json

Development sets only (pyannote-ami + sample, libri-dev, farfield, farfield2, the bundled examples).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    spec = importlib.util.spec_from_file_location("diar_turns_r18_dspeed", HERE / "diar_turns_r18_dspeed.py")
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=mod.SETS)
    ap.add_argument("--arena", action="store_true", help="the segmentation network with ONNX Runtime's memory arena")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if {"ami", "libri-report"} & set(args.sets):
        raise SystemExit("held-out sets are not run here")
    if args.arena:
        from sessionscope.audio import onnx_models

        load = onnx_models.load
        onnx_models.load = lambda *a, **k: load(*a, **{**k, "arena": True})
    res = mod.run(argparse.Namespace(sets=args.sets, scipy_fft=False, reuse=None))
    import sessionscope

    res.update(command=" ".join(["benchmarks/diar_turns_r19_speed19.py", *sys.argv[1:]]), arena=args.arena,
               sessionscope_file=sessionscope.__file__)
    print(json.dumps({k: v for k, v in res.items() if k != "rows"}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""CPU seconds to load the two diarization networks in a fresh process, before vs after (issue 11, round 12, speed).

    nice -n 10 .venv/bin/python benchmarks/onnx_load_r12_speed.py --before /tmp/r12/base/src [--repeats 5] [--json OUT]

Alternates fresh processes with ``--before`` first on ``PYTHONPATH`` and with this checkout's ``src``;
each loads the segmentation network and CAM++ as the diarization's thread does (one intra-op thread,
checksums and sidecars checked, ONNX Runtime sessions created) and reports that thread's CPU seconds.
The "after" side is run once first, unmeasured, so that its optimised graphs are in the model cache (the
first load on a machine, or after an ONNX Runtime upgrade, writes them: a one-off cost not measured here).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = r"""
import time
from sessionscope.audio.diarize import torch_threads
with torch_threads(1):
    c = time.thread_time()
    from sessionscope.audio import segmentation
    from sessionscope.models import load_campplus
    segmentation.load_segmentation("cpu")
    load_campplus("cpu")
    print(time.thread_time() - c)
"""


def one(src: Path, env: dict[str, str] | None = None) -> float:
    p = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONPATH": str(src), **(env or {})})
    return round(float(p.stdout.strip().splitlines()[-1]), 3)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", type=Path, required=True, help="src folder of the code before")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    after = ROOT / "src"
    one(after)  # the optimised graphs in the cache
    runs: dict[str, list[float]] = {"before": [], "after": []}
    for rep in range(args.repeats):
        for side in (("before", "after") if rep % 2 == 0 else ("after", "before")):
            runs[side].append(one(args.before if side == "before" else after))
            print(side, runs[side][-1], flush=True)
    res = {"command": " ".join(["benchmarks/onnx_load_r12_speed.py", *sys.argv[1:]]),
           "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "load_average": os.getloadavg(),
           "median_cpu_s": {k: statistics.median(v) for k, v in runs.items()}, "runs": runs}
    print(json.dumps(res["median_cpu_s"]))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

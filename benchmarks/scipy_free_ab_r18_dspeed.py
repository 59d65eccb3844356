"""What the diarization's SciPy parts cost a fresh `run` process: imports plus the work they do on a 5-minute file,
the round-start code against this checkout, alternated (issue 11, round 18, dspeed).

    nice -n 10 .venv/bin/python benchmarks/scipy_free_ab_r18_dspeed.py REC5.wav --base /tmp/r18/base/src \
        --repeats 7 --json benchmarks/results/scipy_free_ab_r18_dspeed.json

Each repeat runs two fresh processes (order alternated), one on ``--base`` (``PYTHONPATH``), one on this checkout.
Each imports numpy and decodes the recording untimed, then times (process CPU seconds) what the diarization does
with SciPy at the round start: importing ``sessionscope.audio.diarize`` / ``reconstruct``, the fbank of the whole
recording (``_fbank``: the FFT), the clustering of 100 embeddings of 4 voices with the count forced up to 5
(``agglomerative``: centroid linkage, then average linkage) and 200 small assignments (``_assign_group``). The
``--imports`` variant times, in fresh processes alternated, only the imports: numpy alone, numpy with each of
``scipy.fft``, ``scipy.cluster.hierarchy``, ``scipy.optimize``, and with all three (the round start's diarization).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import sys, time
import numpy as np
from sessionscope.audio.decode import load_audio
samples = load_audio(sys.argv[1]).mono
rng = np.random.default_rng(0)
x = rng.standard_normal((4, 192))[rng.integers(0, 4, 100)] + 0.8 * rng.standard_normal((100, 192))
scores = [rng.standard_normal((3, 5)) for _ in range(200)]
t = time.process_time()
from sessionscope.audio import diarize, reconstruct
f = diarize._fbank(samples)
lab = reconstruct.agglomerative(x, threshold=0.72, min_clusters=5, max_clusters=6)
for s in scores:
    c = np.full(3, -1); sim = np.full(3, np.nan)
    reconstruct._assign_group(s, [0, 1, 2], np.arange(3), c, sim)
cpu = time.process_time() - t
print(cpu, f.shape[0], int(lab.max()) + 1, "scipy" in sys.modules)
"""


IMPORTS = {"numpy": "numpy", "fft": "numpy,scipy.fft", "hierarchy": "numpy,scipy.cluster.hierarchy",
           "optimize": "numpy,scipy.optimize", "fft+hierarchy": "numpy,scipy.fft,scipy.cluster.hierarchy",
           "all three": "numpy,scipy.fft,scipy.cluster.hierarchy,scipy.optimize"}
IMPORT_CHILD = ("import importlib, sys, time\nt = time.process_time()\n"
                "for m in sys.argv[1].split(','):\n    importlib.import_module(m)\nprint(time.process_time() - t)")


def imports(repeats: int) -> dict:
    runs: dict[str, list[float]] = {k: [] for k in IMPORTS}
    for _ in range(repeats):
        for k, mods in IMPORTS.items():
            runs[k].append(float(subprocess.run([sys.executable, "-c", IMPORT_CHILD, mods], capture_output=True,
                                                text=True, check=True).stdout))
    return {"median_cpu_s": {k: round(statistics.median(v), 3) for k, v in runs.items()}, "runs": runs}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("wav", type=Path, nargs="?")
    ap.add_argument("--base", type=Path, help="the round-start src folder")
    ap.add_argument("--imports", action="store_true", help="time the imports alone")
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    command = " ".join(["benchmarks/scipy_free_ab_r18_dspeed.py", *map(str, sys.argv[1:])])
    if args.imports:
        res = {"command": command, "commit": commit, **imports(args.repeats), "load_average": os.getloadavg()}
        print(json.dumps(res["median_cpu_s"]))
        if args.json:
            args.json.write_text(json.dumps(res, indent=1))
        return 0
    if args.wav is None or args.base is None:
        ap.error("WAV and --base are needed (or --imports)")
    runs: dict[str, list[float]] = {"base": [], "new": []}
    info: dict[str, str] = {}
    for i in range(args.repeats):
        for name in (("base", "new") if i % 2 == 0 else ("new", "base")):
            env = {**os.environ, "PYTHONPATH": str(args.base) if name == "base" else str(ROOT / "src")}
            out = subprocess.run([sys.executable, "-c", CHILD, str(args.wav)], capture_output=True, text=True, env=env,
                                 check=True).stdout.split()
            runs[name].append(float(out[0]))
            info[name] = f"frames {out[1]}, clusters {out[2]}, scipy imported {out[3]}"
            print(i, name, out, flush=True)
    med = {k: round(statistics.median(v), 3) for k, v in runs.items()}
    diffs = [round(b - a, 3) for a, b in zip(runs["base"], runs["new"], strict=True)]
    res = {"command": command, "commit": commit,
           "recording": str(args.wav), "median_cpu_s": med, "paired_new_minus_base": diffs,
           "median_paired_diff": round(statistics.median(diffs), 3), "info": info, "runs": runs,
           "load_average": os.getloadavg()}
    print(json.dumps({k: v for k, v in res.items() if k != "runs"}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""CPU seconds of each thread of one `sessionscope run`, by the library its samples fall in (round 26, helper speed2).

Linux ``perf`` (software clock, 999 Hz, so a sample is about 1 ms of CPU) samples every thread of the process; each
thread's samples are counted per shared object (libscipy_openblas: NumPy's BLAS, libgomp: CTranslate2's OpenMP,
onnxruntime, libpython, ...). The thread whose samples are mostly OpenBLAS is NumPy's BLAS worker: its CPU is the
busy-waiting after each product plus its share of the products themselves.

    PYTHONPATH=<tree>/src .venv/bin/python benchmarks/r26_speed2_thread_cpu.py REC.wav --label speed2 \\
        --json benchmarks/results/thread_cpu_r26_<label>_speed2.json [--run-args "--language en"]

Bytecode is cached in ``--pycache`` (as speed_run.py's children run); ``SESSIONSCOPE_AUDIO_CONCURRENT=1`` unless set.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def per_thread(data: Path) -> dict[str, dict[str, int]]:
    """{tid: {shared object: samples}} from ``perf script``."""
    out = subprocess.run(["perf", "script", "-i", str(data), "-F", "tid,ip,dso"], capture_output=True, text=True,
                         check=True).stdout
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        dso = parts[-1].strip("()").rsplit("/", 1)[-1]
        dso = "jit (oneDNN, CTranslate2)" if dso.startswith("perf-") else dso
        counts[parts[0]][dso] += 1
    return {t: dict(c.most_common()) for t, c in counts.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("recording", type=Path)
    ap.add_argument("--label", required=True)
    ap.add_argument("--pycache", type=Path, default=Path(tempfile.gettempdir()) / "r26_speed2_pycache")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--run-args", default="", help="extra `run` options, e.g. '--language en'")
    ap.add_argument("--asr-alone", choices=["detect", "en"],
                    help="time faster-whisper alone instead (speed_run.py's script, this language variant)")
    args = ap.parse_args()
    args.rest = args.run_args.split()
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(args.pycache), "PYTHONWARNINGS": "ignore"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("SESSIONSCOPE_AUDIO_CONCURRENT", "1")
    script = str(Path(sys.executable).parent / "sessionscope")
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, script, "run", str(args.recording), "--out", str(Path(tmp) / "out"), "--no-cache",
               "--no-progress", "--force", *args.rest]
        if args.asr_alone:
            sys.path.insert(0, str(ROOT / "benchmarks"))
            from speed_run import ASR_ALONE

            alone = Path(tmp) / "asr_alone.py"
            alone.write_text(ASR_ALONE)
            cmd = [sys.executable, str(alone), str(args.recording), "", "en" if args.asr_alone == "en" else ""]
        subprocess.run(cmd, env=env, capture_output=True, check=True)  # warm-up: bytecode
        data = Path(tmp) / "perf.data"
        t0 = time.perf_counter()
        subprocess.run(["perf", "record", "-q", "-e", "cpu-clock", "-F", "999", "-o", str(data), "--", *cmd], env=env,
                       capture_output=True, check=True)
        wall = time.perf_counter() - t0
        threads = per_thread(data)
    rows = []
    for tid, c in sorted(threads.items(), key=lambda kv: -sum(kv[1].values())):
        total = sum(c.values())
        top = max(c, key=lambda k: c[k])
        rows.append({"tid": tid, "cpu_s": round(total / 999, 3), "top": top, "by_object_s": {k: round(v / 999, 3)
                                                                                          for k, v in list(c.items())[:6]}})
    blas = [r for r in rows if "openblas" in r["top"]]
    res = {"label": args.label, "pythonpath": os.environ.get("PYTHONPATH"), "recording": str(args.recording),
           "run_options": args.rest, "asr_alone": args.asr_alone, "openblas_thread_timeout": os.environ.get("OPENBLAS_THREAD_TIMEOUT"),
           "concurrent": env["SESSIONSCOPE_AUDIO_CONCURRENT"], "wall_s_under_perf": round(wall, 2),
           "total_cpu_s": round(sum(r["cpu_s"] for r in rows), 3),
           "blas_worker_cpu_s": round(sum(r["cpu_s"] for r in blas), 3), "threads": rows,
           "date_utc": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load_average": os.getloadavg()}
    print(json.dumps({k: v for k, v in res.items() if k != "threads"}), flush=True)
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

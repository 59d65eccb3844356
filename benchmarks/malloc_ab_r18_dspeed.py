"""`run` with glibc's malloc thresholds raised (the default since round 18, dspeed) or left as they are
(``SESSIONSCOPE_MALLOC_TUNE=0``): fresh processes, alternated.

    nice -n 10 .venv/bin/python benchmarks/malloc_ab_r18_dspeed.py REC.wav --pairs 3 \
        --json benchmarks/results/malloc_ab_r18_dspeed.json [-- more run arguments]

Each child runs ``sessionscope run REC --no-cache --no-progress --force --language en`` in process (the
transcription and diarization side by side, ``SESSIONSCOPE_AUDIO_CONCURRENT=1``, as `run` on an idle 2-core box)
and reports its user and system CPU seconds, minor page faults, peak RSS, the audio stages' CPU seconds and a
digest of ``session.json`` without its timing fields (same digest: same output). Bytecode is cached in a temporary
``PYTHONPYCACHEPREFIX`` after one untimed warm-up, as ``speed_run.py`` does.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from speed_run import TIMING_KEYS  # noqa: E402

CHILD = r"""
import hashlib, json, pathlib, resource, sys, tempfile
from sessionscope.audio import decode
from sessionscope.cli import cli
timing, sizes = set(sys.argv[2].split(",")), sys.argv[3].split(",")
if sizes[0]:
    decode.MMAP_THRESHOLD, decode.TRIM_THRESHOLD = int(sizes[0]) << 20, int(sizes[1]) << 20
def strip(x):
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items() if k not in timing}
    return [strip(v) for v in x] if isinstance(x, list) else x
with tempfile.TemporaryDirectory() as tmp:
    try:
        cli.main(["run", sys.argv[1], "--out", tmp, "--no-cache", "--no-progress", "--force", *sys.argv[4:]],
                 prog_name="sessionscope", standalone_mode=False)
    except SystemExit:
        pass
    sj = json.loads(next(pathlib.Path(tmp).rglob("session.json")).read_text())
r = resource.getrusage(resource.RUSAGE_SELF)
digest = hashlib.sha256(json.dumps(strip(sj), sort_keys=True).encode()).hexdigest()[:16]
print(json.dumps({"cpu_s": round(r.ru_utime + r.ru_stime, 2), "user_s": round(r.ru_utime, 2), "sys_s": round(r.ru_stime, 2),
                  "minor_faults": r.ru_minflt, "max_rss_mb": r.ru_maxrss // 1024, "digest": digest,
                  "audio_cpu_s": sj["extra"]["audio"]["cpu_s"], "concurrent": sj["extra"]["audio"].get("concurrent_recognition")}))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("wav", type=Path)
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--sizes", default="", metavar="MMAP_MB,TRIM_MB",
                    help="thresholds of the tuned side (default: decode.MMAP_THRESHOLD / TRIM_THRESHOLD as shipped)")
    ap.add_argument("--no-warmup", action="store_true", help="no untimed first run (long recordings)")
    ap.add_argument("extra", nargs="*", help="more `run` arguments (default: --language en)")
    args = ap.parse_args()
    extra = args.extra or ["--language", "en"]
    runs: dict[str, list[dict]] = {"tuned": [], "off": []}
    with tempfile.TemporaryDirectory() as pyc:
        base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        base.update(PYTHONPYCACHEPREFIX=pyc, PYTHONWARNINGS="ignore", SESSIONSCOPE_AUDIO_CONCURRENT="1")

        def child(mode: str) -> dict:
            env = {**base, "SESSIONSCOPE_MALLOC_TUNE": "1" if mode == "tuned" else "0"}
            p = subprocess.run([sys.executable, "-c", CHILD, str(args.wav), ",".join(sorted(TIMING_KEYS)), args.sizes, *extra],
                               capture_output=True, text=True, env=env, check=True)
            return json.loads(p.stdout.strip().splitlines()[-1])

        if not args.no_warmup:
            child("tuned")  # warm-up: bytecode
        for i in range(args.pairs):
            for mode in (("off", "tuned") if i % 2 == 0 else ("tuned", "off")):
                runs[mode].append(child(mode))
                print(i, mode, json.dumps(runs[mode][-1]), flush=True)
    keys = ["cpu_s", "user_s", "sys_s", "minor_faults", "max_rss_mb"]
    med = {m: {k: statistics.median(r[k] for r in rs) for k in keys} for m, rs in runs.items()}
    paired = {k: [round(b[k] - a[k], 2) for a, b in zip(runs["off"], runs["tuned"], strict=True)] for k in keys}
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    dirty = bool(subprocess.run(["git", "status", "--porcelain", "--", "src"], capture_output=True, text=True,
                                cwd=ROOT).stdout.strip())
    res = {"command": " ".join(["benchmarks/malloc_ab_r18_dspeed.py", *map(str, sys.argv[1:])]),
           "commit": commit + (" (src with uncommitted changes)" if dirty else ""), "recording": str(args.wav),
           "median": med, "paired_tuned_minus_off": paired,
           "median_paired_tuned_minus_off": {k: statistics.median(v) for k, v in paired.items()},
           "same_output": len({r["digest"] for rs in runs.values() for r in rs}) == 1, "runs": runs,
           "load_average": os.getloadavg()}
    print(json.dumps({k: v for k, v in res.items() if k != "runs"}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

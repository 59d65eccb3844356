"""Round 27 (thp): what starting again costs. ``sessionscope run --help`` (an audio command: it starts again with
``glibc.malloc.hugetlb=1`` where that applies, then prints its help) against the same with
``SESSIONSCOPE_MALLOC_TUNE=0`` (no second start), fresh processes alternated, wall and CPU seconds of each
(medians), and ``sessionscope --version`` (never starts again) as a check that the two set-ups differ only there.

    nice -n 10 .venv/bin/python benchmarks/hugepages_start_r27_thp.py --repeats 20 \\
        --json benchmarks/results/hugepages_start_r27_thp.json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

SCRIPT = Path(sys.executable).parent / "sessionscope"


def once(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([str(SCRIPT), *args], env=env, check=True, capture_output=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--json", type=Path, required=True)
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if k not in ("GLIBC_TUNABLES", "SESSIONSCOPE_HUGEPAGES_REEXEC")}
    setups = {
        "run_help_started_again": (["run", "--help"], {**env, "SESSIONSCOPE_MALLOC_TUNE": "1"}),
        "run_help_once": (["run", "--help"], {**env, "SESSIONSCOPE_MALLOC_TUNE": "0"}),
        "version_tune_on": (["--version"], {**env, "SESSIONSCOPE_MALLOC_TUNE": "1"}),
        "version_tune_off": (["--version"], {**env, "SESSIONSCOPE_MALLOC_TUNE": "0"}),
    }
    for a, e in setups.values():  # warm-up: bytecode and the page cache
        once(a, e)
    runs: dict[str, list[tuple[float, float]]] = {k: [] for k in setups}
    for _ in range(args.repeats):
        for k, (a, e) in setups.items():
            runs[k].append(once(a, e))
    med = {k: {"wall_s": round(statistics.median(w for w, _ in r), 4), "cpu_s": round(statistics.median(c for _, c in r), 4)}
           for k, r in runs.items()}
    cost = {m: round(med["run_help_started_again"][m] - med["run_help_once"][m], 4) for m in ("wall_s", "cpu_s")}
    thp = Path("/sys/kernel/mm/transparent_hugepage/enabled")
    result = {"command": " ".join(["benchmarks/hugepages_start_r27_thp.py", *sys.argv[1:]]),
              "pythonpath": os.environ.get("PYTHONPATH"), "thp_enabled": thp.read_text().strip() if thp.exists() else None,
              "repeats": args.repeats, "median": med, "start_again_cost": cost,
              "runs": {k: [[round(w, 4), round(c, 4)] for w, c in r] for k, r in runs.items()}}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=1))
    print(json.dumps({k: v for k, v in result.items() if k != "runs"}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

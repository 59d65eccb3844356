"""Round 27 (thp): `sessionscope run` of one recording under three allocator set-ups, fresh processes alternated,
timed by ``/usr/bin/time`` (wall, user, system, minor faults, peak RSS), and the ``session.json`` of every run
compared with the first, timing fields left out (``speed_run.differences``):

* ``base``: the base checkout's src (``--base``): glibc's tunables as they are, thresholds raised in process;
* ``thp``: this checkout's src: the console script starts again with ``GLIBC_TUNABLES=glibc.malloc.hugetlb=1``;
* ``mmapmax0``: the base checkout with ``MALLOC_MMAP_MAX_=0`` (no mapping per buffer at all, everything from the heap:
  what ``mallopt(M_MMAP_MAX, 0)`` in process would give), the in-process alternative at its extreme.

    nice -n 10 .venv/bin/python benchmarks/hugepages_faults_r27_thp.py REC.wav --base /tmp/r27/base/src --rounds 2 \\
        --json benchmarks/results/speed_5min_r27_thp_faults.json

``--from-log DIR``: assemble the JSON from an earlier run's ``DIR/cross_time.jsonl`` and ``DIR/out_<variant><round>``
(how the round-27 file was written: the same commands, run by a shell loop).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from speed_run import _strip_timings, differences  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).parent / "sessionscope"
FMT = ('{"variant": "%s", "round": %d, "wall_s": %%e, "user_s": %%U, "sys_s": %%S, "minor_faults": %%R, '
       '"max_rss_kb": %%M}')


CODE = "/provenance/resume_key/code"


def variants(base: Path) -> dict[str, tuple[Path, dict[str, str]]]:
    return {"base": (base, {}), "thp": (ROOT / "src", {}), "mmapmax0": (base, {"MALLOC_MMAP_MAX_": "0"})}


def run_all(wav: Path, base: Path, rounds: int, work: Path) -> None:
    env0 = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "GLIBC_TUNABLES")}
    env0.update(PYTHONPYCACHEPREFIX=str(work / "pyc"), PYTHONWARNINGS="ignore")
    for r in range(1, rounds + 1):
        for name, (src, extra) in variants(base).items():
            subprocess.run(["/usr/bin/time", "-f", FMT % (name, r), "-a", "-o", str(work / "cross_time.jsonl"),
                            str(SCRIPT), "run", str(wav), "--out", str(work / f"out_{name}{r}"), "--no-cache",
                            "--no-progress", "--language", "en"],
                           env={**env0, "PYTHONPATH": str(src), **extra}, check=True, capture_output=True)


def assemble(work: Path, command: str) -> dict:
    runs = [json.loads(line) for line in (work / "cross_time.jsonl").read_text().splitlines() if line.strip()]
    outputs = {f"{r['variant']}{r['round']}": _strip_timings(json.loads(next(
        (work / f"out_{r['variant']}{r['round']}").rglob("session.json")).read_text())) for r in runs}
    first = next(iter(outputs))
    diffs = {k: differences(outputs[first], o)[:20] for k, o in outputs.items()}
    cpu = {(r["variant"], r["round"]): r["user_s"] + r["sys_s"] for r in runs}
    paired = {v: [round(cpu[(v, n)] - cpu[("base", n)], 2) for (w, n) in cpu if w == "base" and (v, n) in cpu]
              for v in ("thp", "mmapmax0")}  # CPU s (user + system) against base in the same round
    med = {v: {k: round(statistics.median(r[k] for r in runs if r["variant"] == v), 3)
               for k in ("wall_s", "user_s", "sys_s", "minor_faults", "max_rss_kb")} for v in variants(Path())}
    thp = Path("/sys/kernel/mm/transparent_hugepage/enabled")
    return {"command": command, "median": med, "paired_cpu_s_vs_base": paired, "thp_enabled": thp.read_text().strip() if thp.exists() else None,
            "libc": list(platform.libc_ver()), "cores": os.cpu_count(), "runs": runs,
            "compared_with": first, "differences": diffs,
            # the fingerprint of the source files a run used (batch.resume_key): differs between two checkouts by design
            "identical_outputs": not any(d != CODE for ds in diffs.values() for d in ds)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("wav", type=Path, nargs="?")
    ap.add_argument("--base", type=Path, help="the base checkout's src folder")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--from-log", type=Path)
    ap.add_argument("--json", type=Path, required=True)
    args = ap.parse_args()
    command = " ".join(["benchmarks/hugepages_faults_r27_thp.py", *sys.argv[1:]])
    if args.from_log:
        result = assemble(args.from_log, command)
    else:
        if args.wav is None or args.base is None:
            ap.error("WAV and --base are needed unless --from-log")
        with tempfile.TemporaryDirectory() as tmp:
            run_all(args.wav, args.base, args.rounds, Path(tmp))
            result = assemble(Path(tmp), command)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=1))
    print(json.dumps({k: v for k, v in result.items() if k != "runs"}, indent=1))
    for r in result["runs"]:
        print(r)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

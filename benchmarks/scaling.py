"""Throughput of the batch engines: one local worker, two local workers, a real two-node Ray cluster.

Every run is the real CLI (``sessionscope analyze|run FILES --out DIR ...``) in a fresh
process, timed from start to exit, so model loading and worker start-up are counted.
The Ray cluster is real: ``ray start --head`` plus a second ``ray start --address`` node,
one CPU each, on this machine (:class:`sessionscope.engines.local_cluster.LocalRayCluster`,
ended by PID afterwards); its start-up is reported apart, since a cluster outlives batches.

Inputs (read in place from ``../shared/data``):
* text: 24 AMI meetings (train split, name order, meetings with dialogue acts), the first
  ``--minutes`` of each turned into STM transcripts (speaker, times, words of each dialogue
  act) under ``.cache/scaling/`` — the AMI manual transcripts, not copied into the repository;
* audio: the 30 s AMI excerpts of ``ami-audio-excerpts`` (``run --no-cache``, so every run transcribes).

The machine is shared: the load average is stored before and after every run, next to
its figure. Outputs of every engine are compared (session.json without creation time
and stage seconds) and the comparison is stored too.

    nice -n 10 .venv/bin/python benchmarks/scaling.py --part text --part overhead --part audio
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("SESSIONSCOPE_SHARED_DATA", ROOT.parent / "shared" / "data"))
CACHE = ROOT / ".cache" / "scaling"
CLI = str(Path(sys.executable).with_name("sessionscope"))


def ami_transcripts(n: int, minutes: float) -> list[Path]:
    """The first ``minutes`` of ``n`` AMI train meetings as STM files (cached)."""
    folder = CACHE / f"ami-stm-{minutes:g}min"
    meetings = []
    with open(DATA / "ami-annotations" / "meetings.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["split"] == "train" and int(row["n_acts"]) > 0:
                meetings.append(row["meeting"])
    meetings = sorted(meetings)[:n]
    paths = [folder / f"{m}.stm" for m in meetings]
    if all(p.is_file() for p in paths):
        return paths
    folder.mkdir(parents=True, exist_ok=True)
    lines: dict[str, list[str]] = defaultdict(list)
    wanted = set(meetings)
    with gzip.open(DATA / "ami-annotations" / "dialogue_acts.jsonl.gz", "rt", encoding="utf-8") as fh:
        for raw in fh:
            da = json.loads(raw)
            if da["meeting"] not in wanted or da["start"] is None or da["start"] > minutes * 60 or not da["text"].strip():
                continue
            lines[da["meeting"]].append(f"{da['meeting']} 1 {da['participant']} {da['start']:.2f} {da['end']:.2f} "
                                        f"{da['text'].strip()}")
    for m, p in zip(meetings, paths, strict=True):
        p.write_text("\n".join(lines[m]) + "\n", encoding="utf-8")
    return paths


def recordings(n: int) -> list[Path]:
    return sorted((DATA / "ami-audio-excerpts").glob("*.wav"))[:n]


def audio_seconds(files: list[Path]) -> float:
    import av

    total = 0.0
    for f in files:
        with av.open(str(f)) as c:
            total += c.duration / 1_000_000
    return total


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def run_cli(name: str, command: str, files: list[Path], extra: list[str], *, timeout: float) -> dict:
    out = CACHE / "runs" / name
    shutil.rmtree(out, ignore_errors=True)
    args = [CLI, command, *map(str, files), "--out", str(out), "--no-progress", *extra]
    before = load()
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU of the CLI process and its local worker processes (not of Ray workers: they are the raylets' children)
    cpu = (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)
    batch = json.loads((out / "batch.json").read_text()) if (out / "batch.json").is_file() else {}
    statuses: dict[str, int] = defaultdict(int)
    for r in batch.get("results", []):
        statuses[r["status"]] += 1
    row = {"name": name, "args": [Path(a).name if a.startswith("/") else a for a in args[1:2]] + extra,
           "files": len(files), "wall_s": round(wall, 2), "files_per_hour": round(len(files) / wall * 3600, 1),
           "cpu_s_cli_and_local_workers": round(cpu, 1),
           "exit_code": proc.returncode, "statuses": dict(statuses), "load_before": before, "load_after": load(),
           "out": str(out)}
    if proc.returncode not in (0, 1):
        row["stderr_tail"] = proc.stderr[-2000:]
    print(json.dumps({k: v for k, v in row.items() if k != "stderr_tail"}), flush=True)
    return row


def comparable(out: Path) -> dict[str, dict]:
    """Every session.json without what legitimately differs between runs (creation time, step timings)."""
    found = {}
    for p in sorted(Path(out).glob("*/session.json")):
        d = json.loads(p.read_text(encoding="utf-8"))
        d["provenance"].pop("created", None)
        for r in d["provenance"].get("stage_runs", []):
            r.pop("seconds", None)
        for timing in ("cpu_s", "wall_s"):  # the audio pipeline's step timings (kept in extra.audio)
            (d.get("extra") or {}).get("audio", {}).pop(timing, None)
        found[p.parent.name] = d
    return found


def same_outputs(a: dict, b: dict) -> dict:
    ra, rb = comparable(Path(a["out"])), comparable(Path(b["out"]))
    differing = sorted(k for k in ra.keys() & rb.keys() if ra[k] != rb[k])
    return {"a": a["name"], "b": b["name"], "sessions": len(ra), "identical": ra == rb and len(ra) > 0,
            "missing": sorted(ra.keys() ^ rb.keys()), "differing": differing}


def worker_sessionscope(address: str) -> str:
    """Where a Ray worker of the cluster imports sessionscope from (the frozen copy, checked)."""
    import ray

    ray.init(address=address, configure_logging=False, log_to_driver=False)
    try:
        @ray.remote(num_cpus=0)
        def where() -> str:
            import sessionscope

            return sessionscope.__file__

        return ray.get(where.remote())
    finally:
        ray.shutdown()


def freeze_src() -> dict:
    """Other helpers edit this tree while the benchmark runs: every run uses one frozen copy of src/."""
    snap = CACHE / "snapshot"
    shutil.rmtree(snap, ignore_errors=True)
    shutil.copytree(ROOT / "src", snap / "src", ignore=shutil.ignore_patterns("__pycache__"))
    os.environ["PYTHONPATH"] = str(snap / "src")  # CLI runs, `ray start` nodes and their workers inherit it
    return {"frozen_copy_of_src": str(snap / "src"), "commit": git("rev-parse", "HEAD"),
            "uncommitted_files_in_src": git("status", "--porcelain", "src").splitlines()}


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def summarise(result: dict, runs: dict[str, dict]) -> None:
    """Throughput ratios, the one-file Ray overhead and output identity between engines."""
    def ratio(x: str, y: str) -> float | None:
        return round(runs[y]["wall_s"] / runs[x]["wall_s"], 3) if x in runs and y in runs else None

    result["throughput_ratios"] = {
        "text: ray 2 nodes / local 1 worker": ratio("text-ray-2nodes", "text-local-1"),
        "text: local 2 workers / local 1 worker": ratio("text-local-2", "text-local-1"),
        "audio: ray 2 nodes / local 1 worker": ratio("audio-ray-2nodes", "audio-local-1"),
        "audio: local 2 workers / local 1 worker": ratio("audio-local-2", "audio-local-1"),
    }
    if "one-file-ray" in runs and "one-file-local-1" in runs:
        result["ray_overhead_one_file_s"] = round(runs["one-file-ray"]["wall_s"] - runs["one-file-local-1"]["wall_s"], 2)
    for a_name, b_name in [("text-local-1", "text-local-2"), ("text-local-1", "text-ray-2nodes"),
                           ("audio-local-1", "audio-ray-2nodes"), ("audio-local-1", "audio-local-2")]:
        if a_name in runs and b_name in runs:
            result["comparisons"].append(same_outputs(runs[a_name], runs[b_name]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--part", action="append", choices=["text", "overhead", "audio"], help="what to measure (repeatable)")
    ap.add_argument("--files", type=int, default=24)
    ap.add_argument("--minutes", type=float, default=10.0, help="length of each AMI transcript")
    ap.add_argument("--recordings", type=int, default=4)
    ap.add_argument("--stages", default=None, help="--stages for analyze (default: the configured stages)")
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--threads", type=int, help="OMP_NUM_THREADS etc. for every run (default: libraries decide)")
    ap.add_argument("--no-freeze", dest="freeze", action="store_false",
                    help="run the live tree instead of a frozen copy of src/")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "scaling.json")
    a = ap.parse_args()
    parts = a.part or ["text", "overhead", "audio"]
    extra = ["--stages", a.stages] if a.stages else []
    result: dict = {
        "command": " ".join(["python", "benchmarks/scaling.py", *sys.argv[1:]]),
        "commit": git("rev-parse", "HEAD"), "uncommitted_changes_in_src": bool(git("status", "--porcelain", "src")),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "mem_gb": round(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**30, 1),
                    "note": "2-core VM shared with six other jobs; load averages stored per run"},
        "data": {}, "runs": [], "comparisons": [],
    }
    texts = ami_transcripts(a.files, a.minutes) if {"text", "overhead"} & set(parts) else []
    if texts:
        result["data"]["text"] = {"source": "ami-annotations (AMI manual transcripts, CC BY 4.0), train split",
                                  "meetings": [p.stem for p in texts], "minutes_each": a.minutes,
                                  "utterances": sum(len(p.read_text().splitlines()) for p in texts)}
    audio = recordings(a.recordings) if "audio" in parts else []
    if audio:
        result["data"]["audio"] = {"source": "ami-audio-excerpts (AMI, CC BY 4.0)", "files": [p.name for p in audio],
                                   "audio_s": round(audio_seconds(audio), 1)}
    if a.freeze:
        result["code"] = freeze_src()
    if a.threads:
        # the same BLAS/OpenMP/CTranslate2 thread count in every engine (Ray gives each 1-CPU actor 1 thread)
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(a.threads)
        result["threads"] = a.threads
    runs: dict[str, dict] = {}

    def rec(row: dict) -> dict:
        runs[row["name"]] = row
        result["runs"].append(row)
        return row

    # local engine first (no Ray running), then everything on one two-node cluster
    if "text" in parts:
        rec(run_cli("text-local-1", "analyze", texts, extra, timeout=a.timeout))
        rec(run_cli("text-local-2", "analyze", texts, [*extra, "--workers", "2"], timeout=a.timeout))
    if "overhead" in parts:
        rec(run_cli("one-file-local-1", "analyze", texts[:1], extra, timeout=a.timeout))
    if "audio" in parts:
        rec(run_cli("audio-local-1", "run", audio, ["--no-cache"], timeout=a.timeout))
    from sessionscope.engines.local_cluster import LocalRayCluster

    cluster = LocalRayCluster(nodes=2, cpus=1)
    t0 = time.perf_counter()
    before = load()
    try:
        address = cluster.start()
        result["ray_cluster"] = {"nodes": 2, "cpus_per_node": 1, "start_s": round(time.perf_counter() - t0, 1),
                                 "load_before": before, "load_after": load()}
        ray_args = ["--engine", "ray", "--ray-address", address]
        result["ray_cluster"]["worker_imports_sessionscope_from"] = worker_sessionscope(address)
        if "text" in parts:
            rec(run_cli("text-ray-2nodes", "analyze", texts, [*extra, *ray_args], timeout=a.timeout))
        if "overhead" in parts:
            rec(run_cli("one-file-ray", "analyze", texts[:1], [*extra, *ray_args], timeout=a.timeout))
        if "audio" in parts:
            rec(run_cli("audio-ray-2nodes", "run", audio, ["--no-cache", *ray_args], timeout=a.timeout))
    finally:
        cluster.stop()
    if "audio" in parts and a.recordings > 0:
        rec(run_cli("audio-local-2", "run", audio, ["--no-cache", "--workers", "2"], timeout=a.timeout))

    summarise(result, runs)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: result[k] for k in ("throughput_ratios", "comparisons")}, indent=2))


if __name__ == "__main__":
    main()

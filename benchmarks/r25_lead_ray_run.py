"""Round 25: ``process_batch(kind="run")`` on a Ray started by sessionscope itself (no address) against the local
engine: the same recording, the same config, the result cache off (``no_cache=True``), so both recognise and
diarize it themselves. Compares the two ``session.json`` files without their creation times and stage timings.
Before round 25's fixed BLAS thread count in the audio path (``sessionscope.models.fixed_blas_threads``) the Ray
worker (``OMP_NUM_THREADS=1``) wrote other word confidences, topic scores and a comma more than the calling process.

Usage (from the repository root; about a minute on a 2-core box)::

    nice -n 10 python benchmarks/r25_lead_ray_run.py --json benchmarks/results/r25_lead_ray_run.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "pyannote-sample" / "sample.wav"
VOLATILE = {"created", "seconds", "stage_seconds", "cpu_s", "wall_s", "stage_runs", "timings",
            "concurrent_recognition"}  # times, durations, and whether the diarization ran beside the transcription


def strip(x: Any) -> Any:
    """``x`` without the keys that differ between any two runs (times of day, durations)."""
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items() if k not in VOLATILE}
    if isinstance(x, list):
        return [strip(v) for v in x]
    return x


def differences(a: Any, b: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """(path, a, b) of every leaf where ``a`` and ``b`` differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b)) for d in differences(a.get(k), b.get(k), f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [(path, a, b)]


def numeric(d: tuple[str, Any, Any]) -> bool:
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in d[1:])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", type=Path, required=True)
    args = ap.parse_args()
    if not DATA.is_file():
        sys.exit(f"skipped: {DATA} is absent (../shared/data)")
    import sessionscope as ss

    out: dict[str, Any] = {"command": " ".join(["benchmarks/r25_lead_ray_run.py", *sys.argv[1:]]),
                           "commit": subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                                                    text=True).stdout.strip(),
                           "date_utc": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                           "recording": "shared/data/pyannote-sample/sample.wav (30 s, two people)",
                           "config": "benchmarks/configs/tiny_en.yaml", "engines": {}}
    sessions = {}
    with tempfile.TemporaryDirectory() as tmp:
        for engine in ("local", "ray"):
            t0 = time.perf_counter()
            rep = ss.process_batch(DATA, out=Path(tmp) / engine, kind="run", engine=engine, no_cache=True,
                                   config=str(ROOT / "benchmarks" / "configs" / "tiny_en.yaml"))
            out["engines"][engine] = {"statuses": [r.status for r in rep.results],
                                      "errors": [r.error for r in rep.results if r.error],
                                      "wall_s": round(time.perf_counter() - t0, 1)}
            files = list((Path(tmp) / engine).glob("*/session.json"))
            sessions[engine] = strip(json.loads(files[0].read_text())) if files else None
    diff = differences(sessions["local"], sessions["ray"]) if all(sessions.values()) else [("missing", None, None)]
    out["identical_without_times"] = not diff
    out["numeric_differences"] = len([d for d in diff if numeric(d)])
    out["largest_numeric_difference"] = max((abs(d[1] - d[2]) for d in diff if numeric(d) and ".extra.audio." not in d[0]),
                                            default=0.0)
    out["other_differences"] = [list(d) for d in diff if not numeric(d)][:30]
    out["numeric_difference_paths"] = sorted({d[0].split("[")[0] for d in diff if numeric(d)})
    args.json.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()

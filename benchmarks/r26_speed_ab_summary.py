"""Medians of an A/B of `run` made of alternated ``speed_run.py`` files (round 26, issue 11, helper "speed"): per side
and audio order (``concurrent_recognition``), the diarization's CPU seconds from ``run_stages`` and the whole
process's CPU and wall seconds, and whether each file's outputs were identical.

    .venv/bin/python benchmarks/r26_speed_ab_summary.py --tag final --sides base speed \\
        --json benchmarks/results/speed_5min_r26_final_summary_speed.json

Reads ``benchmarks/results/speed_5min_r26_<tag>_<side><i>_speed.json``.
"""
from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tag", nargs="+", required=True, help="one or more A/B tags, pooled")
    ap.add_argument("--sides", nargs="+", default=["base", "speed"])
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    out: dict[str, Any] = {"tag": args.tag, "sides": {}}
    for side in args.sides:
        files = [f for tag in args.tag
                 for f in sorted((ROOT / "benchmarks" / "results").glob(f"speed_5min_r26_{tag}_{side}[0-9]*_speed.json"))]
        rows: list[dict[str, Any]] = []
        identical = []
        for f in files:
            d = json.loads(f.read_text())
            v = d["variants"]["en"]
            identical.append(v["identical_outputs"])
            kinds = [k for k in v["runs"] if k.startswith("run") and v["runs"][k]]
            runs = [r for k in kinds for r in v["runs"][k]]
            stages = sorted(v["run_stages"], key=lambda s: kinds.index("run" if s["mode"] == "default" else f"run_{s['mode']}"))
            for s, r in zip(stages, runs, strict=True):
                rows.append({"file": f.name, "mode": s["mode"], "concurrent": s["concurrent_recognition"],
                             "diarization_cpu_s": s["audio_cpu_s"]["diarization"], "cpu_s": r["cpu_s"],
                             "wall_s": r["wall_s"], "outside_audio_cpu_s": s["outside_audio_cpu_s"]})
        med: dict[str, Any] = {}
        for label, sel in (("all", rows), ("concurrent", [r for r in rows if r["concurrent"]]),
                           ("sequential", [r for r in rows if not r["concurrent"]])):
            if sel:
                med[label] = {"n": len(sel), **{k: round(statistics.median(r[k] for r in sel), 3)
                                                for k in ("diarization_cpu_s", "cpu_s", "wall_s")}}
        out["sides"][side] = {"files": [f.name for f in files], "identical_outputs_each_file": identical,
                              "median": med, "rows": rows}
    print(json.dumps({s: v["median"] for s, v in out["sides"].items()}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

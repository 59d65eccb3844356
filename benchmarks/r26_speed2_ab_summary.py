"""Medians of an A/B of `run` made of alternated ``speed_run.py`` files (round 26, issue 11, helper "speed2"): per
side and language variant, the process's CPU and wall seconds, the per-stage CPU seconds of ``run_stages`` and the CPU
outside the audio stages, and whether each file's outputs were identical.

    .venv/bin/python benchmarks/r26_speed2_ab_summary.py --tag blas --sides base speed2 \\
        --json benchmarks/results/speed_5min_r26_blas_summary_speed2.json

Reads ``benchmarks/results/speed_5min_r26_<tag>_<side><i>_speed2.json``; ``change`` is the last side less the first.
"""
from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("transcription", "diarization", "text_models", "alignment", "decode")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tag", nargs="+", required=True, help="one or more A/B tags, pooled")
    ap.add_argument("--sides", nargs="+", default=["base", "speed2"])
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    out: dict[str, Any] = {"tag": args.tag, "sides": {}}
    for side in args.sides:
        files = [f for tag in args.tag for f in
                 sorted((ROOT / "benchmarks" / "results").glob(f"speed_5min_r26_{tag}_{side}[0-9]*_speed2.json"))]
        per_variant: dict[str, Any] = {}
        for f in files:
            d = json.loads(f.read_text())
            for name, v in d["variants"].items():
                pv = per_variant.setdefault(name, {"rows": [], "identical_outputs_each_file": [], "load": []})
                pv["identical_outputs_each_file"].append(v["identical_outputs"])
                pv["load"].append([d["load_average_start"][0], d["load_average_end"][0]])
                kind = next(k for k in v["runs"] if k.startswith("run") and v["runs"][k])  # run / run_concurrent / …
                for s, r in zip(v["run_stages"], v["runs"][kind], strict=True):
                    cpu = s["audio_cpu_s"] or {}
                    pv["rows"].append({"file": f.name, "concurrent": s["concurrent_recognition"], "cpu_s": r["cpu_s"],
                                       "wall_s": r["wall_s"], "outside_audio_cpu_s": s["outside_audio_cpu_s"],
                                       **{f"{k}_cpu_s": cpu.get(k, 0.0) for k in STAGES}})
        for pv in per_variant.values():
            rows = pv["rows"]
            keys = [k for k in rows[0] if k not in ("file", "concurrent")]
            pv["median"] = {"n": len(rows), "concurrent": sum(bool(r["concurrent"]) for r in rows),
                            **{k: round(statistics.median(r[k] for r in rows), 3) for k in keys}}
        out["sides"][side] = {"files": [f.name for f in files], "variants": per_variant}
    first, last = args.sides[0], args.sides[-1]
    out["change"] = {v: {k: round(m - out["sides"][first]["variants"][v]["median"][k], 3)
                         for k, m in out["sides"][last]["variants"][v]["median"].items() if k not in ("n", "concurrent")}
                     for v in out["sides"][last]["variants"] if v in out["sides"][first]["variants"]}
    print(json.dumps({s: {v: x["median"] for v, x in o["variants"].items()} for s, o in out["sides"].items()}, indent=1))
    print("change", json.dumps(out["change"], indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

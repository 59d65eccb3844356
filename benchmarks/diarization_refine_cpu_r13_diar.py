"""CPU seconds of the diarization with and without the long-run refinement (round 13), in one process.

    nice -n 10 .venv/bin/python benchmarks/diarization_refine_cpu_r13_diar.py FILE.wav [FILE.wav ...] --repeats 2 \
        --json benchmarks/results/diarization_refine_cpu_r13_diar.json

Alternates off / on per file and repeat (one intra-op thread, as ``run`` on 2 cores); process CPU seconds of
``diarize_local`` (segmentation, CAM++, clustering, reconstruction) and the CAM++ inputs the refinement adds.
Development files only. CPU seconds, not wall time: the shared machine's load moves wall time, not these much.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.diarize import DiarizationParams, diarize_local

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    on = replace(DiarizationParams(), threads=1)
    off = replace(on, refine_long_s=0.0)
    diarize_local(load_audio(args.files[0]).mono[: 16000 * 12], params=on)  # models loaded before timing
    rows = []
    for path in args.files:
        x = load_audio(path).mono
        for rep in range(args.repeats):
            for name, p in (("off", off), ("on", on)):
                t0 = time.process_time()
                d = diarize_local(x, params=p)
                rows.append({"file": str(path), "repeat": rep, "variant": name, "cpu_s": round(time.process_time() - t0, 3),
                             "audio_s": round(len(x) / 16000, 1), "speakers": len(d.speakers)})
                print(json.dumps(rows[-1]), flush=True)
    total = {v: round(sum(r["cpu_s"] for r in rows if r["variant"] == v), 2) for v in ("off", "on")}
    audio = sum(r["audio_s"] for r in rows if r["variant"] == "off")
    summary = {"cpu_s": total, "audio_s": audio, "on_over_off": round(total["on"] / max(total["off"], 1e-9), 3)}
    print(json.dumps(summary))
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.write_text(json.dumps({"command": " ".join(sys.argv), "commit": commit, "summary": summary,
                                         "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

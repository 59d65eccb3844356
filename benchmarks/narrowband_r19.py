"""Which recordings the telephone-band rule calls narrowband (round 19, issue 11): ``high_band_db`` per file.

    .venv/bin/python benchmarks/narrowband_r19.py --json benchmarks/results/narrowband_r19_lead.json

The transcription uses ``asr.vad_threshold_narrowband`` (0.3) instead of ``asr.vad_threshold`` (0.5) for a
recording whose energy above 4.3 kHz is under ``decode.NARROWBAND_DB`` (-55 dB) of its energy below 3.8 kHz
(:func:`sessionscope.audio.decode.high_band_db`). This lists the figure for every recording the benchmarks use,
so it is plain which outputs the rule can change: the simulated telephone calls and pyannote's sample (a real
telephone call) are under the line; every other set (development and held-out conversations, AMI excerpts,
far-field simulations, the examples, the Russian clips) is far above it. Reads audio only (no model).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CONV = ROOT / ".cache" / "conv"

SETS = {
    "ami (held out)": (DATA / "ami-audio-excerpts", "*.wav"),
    "pyannote-ami": (DATA / "pyannote-ami-excerpts", "*.wav"),
    "pyannote-sample (a real telephone call)": (DATA / "pyannote-sample", "*.wav"),
    "ru-golos-sample": (DATA / "ru-golos-sample", "*.wav"),
    "ru-pisets-sample": (DATA / "ru-pisets-sample", "*.wav"),
    "ru-silero-unlabeled": (DATA / "ru-silero-unlabeled", "*.wav"),
    "fw-stereo-2ch": (DATA / "fw-stereo-2ch", "*.wav"),
    "examples": (ROOT / "examples", "*/recording.*"),
    "libri-dev": (CONV / "dev", "*.wav"),
    "libri-report (held out)": (CONV / "report", "*.wav"),
    "farfield": (CONV / "farfield", "*.wav"),
    "farfield2": (CONV / "farfield2", "*.wav"),
    **{f"calls: {c}": (CONV / f"dev_r19_calls_{c}", "*.wav") for c in ("clean", "phone", "opus24", "laptop", "zoom")},
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", type=Path, required=True)
    args = ap.parse_args()
    from sessionscope.audio.decode import NARROWBAND_DB, high_band_db, load_audio

    out: dict = {"command": " ".join(["benchmarks/narrowband_r19.py", *sys.argv[1:]]),
                 "commit": subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                                          text=True).stdout.strip(),
                 "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "narrowband_db": NARROWBAND_DB, "sets": {}}
    for name, (folder, pattern) in SETS.items():
        files = sorted(folder.glob(pattern))
        if not files:
            print(f"{name}: not here ({folder}), skipped")
            continue
        rows = {str(f.relative_to(folder)): round(high_band_db(load_audio(f).mono), 1) for f in files}
        vals = list(rows.values())
        narrow = sum(v < NARROWBAND_DB for v in vals)
        out["sets"][name] = {"files": len(vals), "min_db": min(vals), "max_db": max(vals), "narrowband": narrow, "rows": rows}
        print(f"{name}: {len(vals)} files, {min(vals)} to {max(vals)} dB, narrowband {narrow}")
    args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()

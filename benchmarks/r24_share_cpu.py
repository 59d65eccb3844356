"""Round 24 (issue 11): CPU of the level edges (``reconstruct.frame_db`` + ``reconstruct.level_edges``) per audio minute.

    nice -n 10 .venv/bin/python benchmarks/r24_share_cpu.py --json benchmarks/results/r24_share_cpu.json

On the bundled example recordings (EN, RU), with the diarization's own turns as ``run`` makes them (from the
result cache with the defaults; computed when missing), process CPU of the step alone, median of ``--repeats``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json", type=Path, required=True)
    args = ap.parse_args()
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.pipeline import transcribe_file
    from sessionscope.audio.reconstruct import LevelEdges, frame_db, level_edges
    from sessionscope.config import load_config

    config = load_config(None)
    rows = []
    for audio in sorted(ROOT.glob("examples/*/recording.*")):
        s = transcribe_file(audio, config=config, session_id=audio.parent.name)
        names = sorted({x for *_, x in s.extra["audio"]["speaker_turns"]})
        turns = [(float(a), float(b), names.index(x)) for a, b, x in s.extra["audio"]["speaker_turns"]]
        x = load_audio(audio).mono
        cpu = []
        for _ in range(args.repeats):
            c0 = time.process_time()
            level_edges(turns, frame_db(x), settings=LevelEdges())
            cpu.append(time.process_time() - c0)
        minutes = len(x) / 16000 / 60
        rows.append({"file": str(audio.relative_to(ROOT)), "audio_min": round(minutes, 2), "turns": len(turns),
                     "cpu_s_median": round(float(np.median(cpu)), 4),
                     "cpu_ms_per_audio_min": round(1000 * float(np.median(cpu)) / minutes, 2)})
        print(json.dumps(rows[-1]), flush=True)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    args.json.write_text(json.dumps({"command": " ".join(["benchmarks/r24_share_cpu.py", *sys.argv[1:]]), "commit": commit,
                                     "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                     "data": "bundled examples", "settings": repr(LevelEdges()), "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Round 19 (pairs): does the segmentation network hear the missed speech when the recording is louder or
quieter? (the input level scaled before the network; development data only)

    nice -n 10 .venv/bin/python benchmarks/r19_pairs_gain.py --uris dev00 dev01 dev15 \\
        --ref .cache/conv/dev/reference.rttm --json benchmarks/results/r19_pairs_gain.json

Per gain: seconds of the delivered output's missed reference speech that some chunk's argmax marks as speech,
the share of the reference speech marked, and the seconds of non-speech marked (collar 0).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import r19_pairs_diagnose as diag  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def marked_at(x: np.ndarray, n: int, step_s: float) -> np.ndarray:
    from sessionscope.audio import segmentation as sg

    seg = sg.local_segmentation(x, step_s=step_s)
    t = (np.arange(n) + 0.5) / 100
    f = seg.binarized.shape[1]
    mk = np.zeros(n, dtype=bool)
    for ci, s0 in enumerate(seg.starts):
        rel = t - s0
        ins = (rel >= 0) & (rel < sg.CHUNK_S)
        j = np.clip(np.round((rel[ins] - seg.frame_offset) / seg.frame_step).astype(int), 0, f - 1)
        mk[ins] |= seg.binarized[ci][j].any(axis=1)
    return mk


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folder", type=Path, default=ROOT / ".cache/conv/dev")
    ap.add_argument("--ref", type=Path, help="reference (default: the folder's)")
    ap.add_argument("--uris", nargs="+", required=True)
    ap.add_argument("--gains", type=float, nargs="+", default=[0.1, 0.316, 1.0, 3.16, 10.0])
    ap.add_argument("--config", type=Path, default=ROOT / "benchmarks/configs/tiny_en.yaml")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from sessionscope.audio.der import read_rttm
    from sessionscope.audio.pipeline import diarization_settings
    from sessionscope.config import load_config

    config = load_config(args.config)
    refs = read_rttm(args.ref or args.folder / "reference.rttm")
    step = diarization_settings(config).step_s
    rows: list[dict[str, Any]] = []
    for uri in args.uris:
        diag.analyse(args.folder / f"{uri}.wav", refs[uri], config)
        last = dict(diag.LAST)
        ref, miss, x = last["ref"], last["ref"] & ~last["run"], last["x"]
        for g in args.gains:
            mk = marked_at(np.clip(x * g, -1, 1), len(ref), step)
            row = {"uri": uri, "gain": g, "peak": round(float(np.abs(x * g).max()), 3), "missed_s": round(miss.sum() / 100, 2),
                   "missed_marked_s": round((miss & mk).sum() / 100, 2),
                   "ref_marked_pct": round(100 * (ref & mk).sum() / max(ref.sum(), 1), 1),
                   "nonspeech_marked_s": round((~ref & mk).sum() / 100, 2)}
            rows.append(row)
            print(json.dumps(row), flush=True)
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.write_text(json.dumps({"command": " ".join(["benchmarks/r19_pairs_gain.py", *sys.argv[1:]]),
                                         "commit": commit, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                         "data": "development (libri-dev)", "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

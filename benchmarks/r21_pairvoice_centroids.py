"""Round 21 (pairvoice): CAM++ diarization centroids of the development conversations, labelled by reference
reader (development data only: ``.cache/conv/dev_r19`` and ``dev_r19_calls_*``; never held-out audio).

    nice -n 10 .venv/bin/python benchmarks/r21_pairvoice_centroids.py --json benchmarks/results/r21_pairvoice_centroids.json

Each file is diarized as ``run`` does (default config, the number of reference speakers given, the result cache
used); each diarized label is matched one-to-one to the reference speaker it overlaps most. Stored: folder, uri,
reference speaker (reader id with its speed perturbation), diarized label, overlap seconds and the centroid.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("dev_r19", "dev_r19_calls_clean", "dev_r19_calls_laptop", "dev_r19_calls_opus24",
           "dev_r19_calls_phone", "dev_r19_calls_zoom")


def _rttm(path: Path) -> dict[str, list[tuple[float, float, str]]]:
    out: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for line in path.read_text().splitlines():
        f = line.split()
        if f and f[0] == "SPEAKER":
            out[f[1]].append((float(f[3]), float(f[3]) + float(f[4]), f[7]))
    return out


def _overlap(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> float:
    return sum(max(0.0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--folders", nargs="+", default=list(FOLDERS))
    ap.add_argument("--json", type=Path, required=True)
    args = ap.parse_args()
    from sessionscope.audio.cache import ResultCache
    from sessionscope.audio.hierarchy import linear_sum_assignment
    from sessionscope.audio.pipeline import _diarize, decode_step
    from sessionscope.config import Config

    cfg, cache = Config(), ResultCache()
    rows, t0 = [], time.time()
    for folder in args.folders:
        base = ROOT / ".cache/conv" / folder
        ref = _rttm(base / "reference.rttm")
        for wav in sorted(base.glob("*.wav")):
            turns = ref[wav.stem]
            spk = sorted({s for _, _, s in turns})
            diar = _diarize(decode_step(wav), cfg, len(spk), cache, None)
            labs = sorted(diar.centroids)
            ov = np.array([[_overlap([(t.start, t.end) for t in diar.turns if t.speaker == lab],
                                     [(s, e) for s, e, x in turns if x == r]) for r in spk] for lab in labs])
            rr, cc = linear_sum_assignment(-ov)
            for r, c in zip(rr, cc, strict=True):
                rows.append({"folder": folder, "uri": wav.stem, "speaker": spk[c], "reader": spk[c].split("sp")[0],
                             "label": labs[r], "overlap_s": round(float(ov[r, c]), 2),
                             "ref_s": round(sum(e - s for s, e, x in turns if x == spk[c]), 2),
                             "centroid": np.round(np.asarray(diar.centroids[labs[r]], dtype=float), 6).tolist()})
            print(folder, wav.stem, len(labs), "labels", f"{time.time() - t0:.0f}s", flush=True)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    args.json.write_text(json.dumps({"commit": commit, "split": "dev (LibriSpeech dev readers, simulated conversations)",
                                     "command": " ".join(["benchmarks/r21_pairvoice_centroids.py", *sys.argv[1:]]),
                                     "folders": args.folders, "rows": rows}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

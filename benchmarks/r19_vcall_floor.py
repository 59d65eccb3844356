"""Round 19 (vcall): the chunks that set the speaker-count floor (``distinct_local_speakers``: local speakers of one
chunk, each active ``count_min_s``, not possibly one voice) — their local speakers, seconds, reference owners and
whether they have an embedding of their own (development only).

    .venv/bin/python benchmarks/r19_vcall_floor.py --folder .cache/conv/dev_r19_calls_zoom --uris dev01 dev09 \\
        --json benchmarks/results/r19_vcall_floor_zoom.json
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folder", type=Path, required=True)
    ap.add_argument("--uris", nargs="+", required=True)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from diarization_tune import local_for
    from sessionscope.audio.der import read_rttm
    from sessionscope.audio.diarize import DiarizationParams
    from sessionscope.audio.reconstruct import _normalise

    p = DiarizationParams()
    out = []
    for uri in args.uris:
        seg, emb, usable, _, origin = local_for(args.folder / f"{uri}.wav", p.step_s, p)
        ref = read_rttm(args.folder / "reference.rttm")[uri]
        xn = _normalise(emb.astype(np.float64))
        sec = seg.binarized.sum(axis=1) * seg.frame_step
        t = np.arange(seg.binarized.shape[1]) * seg.frame_step + seg.frame_offset
        for ci in range(len(seg.starts)):
            voices = []
            for k in np.unique(origin[ci][origin[ci] >= 0]):
                sl = origin[ci] == k
                if sec[ci, sl].sum() < p.count_min_s:
                    continue
                e = usable[ci] & sl
                tt = t[seg.binarized[ci][:, sl].any(axis=1)] + seg.starts[ci]
                owners: dict[str, int] = {}
                for a, b, s in ref:
                    n = int(((tt >= a) & (tt < b)).sum())
                    if n:
                        owners[s] = owners.get(s, 0) + n
                voices.append({"local": int(k), "seconds": round(float(sec[ci, sl].sum()), 2), "owners_frames": owners,
                               "from": round(float(tt.min()), 2), "to": round(float(tt.max()), 2),
                               "embedding": _normalise(xn[ci, e].mean(0)) if e.any() else None})
            if len(voices) < 3:
                continue
            dist = {f"{a['local']}-{b['local']}": (None if a["embedding"] is None or b["embedding"] is None
                                                   else round(float(np.linalg.norm(a["embedding"] - b["embedding"])), 3))
                    for a, b in itertools.combinations(voices, 2)}
            row = {"uri": uri, "chunk": ci, "chunk_start": float(seg.starts[ci]),
                   "voices": [{**v, "embedding": v["embedding"] is not None} for v in voices], "distances": dist}
            out.append(row)
            print(json.dumps(row), flush=True)
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.write_text(json.dumps({"command": " ".join(["benchmarks/r19_vcall_floor.py", *sys.argv[1:]]),
                                         "commit": commit, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                         "data": f"development ({args.folder.name})", "chunks": out}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

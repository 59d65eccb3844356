"""Round 19 (vcall): the clusters that one stretch of speech makes (two or more embeddings of the same run in
overlapping chunks, nothing else) — is it a real voice (its reference speaker owns no other cluster) or a split of
a voice that has one, how far is it from the nearest cluster of two or more stretches, and is it ever active at
the same time as that cluster (development only).

    nice -n 10 .venv/bin/python benchmarks/r19_vcall_stretch.py --sets conv/dev_r19_calls_zoom ... \\
        --json benchmarks/results/r19_vcall_stretch.json
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
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", required=True)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from diarization_der import cases
    from diarization_tune import local_for
    from sessionscope.audio.der import read_rttm
    from sessionscope.audio.diarize import DiarizationParams
    from sessionscope.audio.reconstruct import (
        _fold_small,
        _normalise,
        agglomerative,
        distinct_local_speakers,
        stretch_ids,
    )

    p = DiarizationParams()
    rows = []
    for name in args.sets:
        for uri, wav, rttm in cases(name):
            ref = read_rttm(rttm)[uri]
            spk = sorted({s for *_, s in ref})
            seg, emb, usable, trainable, origin = local_for(wav, p.step_s, p)
            lo = max(1, min(distinct_local_speakers(seg, origin, emb, usable, min_s=p.count_min_s,
                                                    distance=p.count_distance), 6))
            train = trainable & usable
            if train.sum() < lo:
                train = usable.copy()
            if train.sum() < 2:
                continue
            xn = _normalise(emb.astype(np.float64))[train]
            ev = stretch_ids(seg, usable)[train]
            f_n = seg.binarized.shape[1]
            t = np.arange(f_n) * seg.frame_step + seg.frame_offset
            own = []
            for ci, k in zip(*np.nonzero(train), strict=True):
                tt = t[seg.binarized[ci][:, k].astype(bool)] + seg.starts[ci]
                ov = [sum(((tt >= a) & (tt < b)).sum() for a, b, s in ref if s == sp) for sp in spk]
                own.append(spk[int(np.argmax(ov))] if max(ov) > 0 else "none")
            own_a = np.array(own)
            # the clusters as the default cut leaves them, before the small ones are folded
            pre = agglomerative(xn, threshold=p.threshold, min_clusters=lo, max_clusters=6, min_cluster_size=1)
            post = _fold_small(pre, xn, p.min_cluster_size)
            ids = np.unique(pre)
            cents = _normalise(np.stack([xn[pre == i].mean(0) for i in ids]))
            major = {int(i): max(spk + ["none"], key=lambda s: int(((pre == i) & (own_a == s)).sum())) for i in ids}
            idx = list(zip(*np.nonzero(train), strict=True))
            large = [int(i) for i in ids if (pre == i).sum() >= 2 and len(np.unique(ev[pre == i])) >= 2]
            for j, i in enumerate(ids):
                m = pre == i
                if m.sum() < 2 or len(np.unique(ev[m])) != 1:
                    continue
                if not large:
                    continue
                d = {o: float(np.linalg.norm(cents[list(ids).index(o)] - cents[j])) for o in large}
                near = min(d, key=lambda o: d[o])
                spk_i = major[int(i)]
                co = any(idx[a][0] == idx[b][0] and bool((seg.binarized[idx[a][0]][:, idx[a][1]]
                                                          & seg.binarized[idx[b][0]][:, idx[b][1]]).any())
                         for a in np.flatnonzero(m) for b in np.flatnonzero(pre == near))
                rows.append({"set": name, "uri": uri, "embeddings": int(m.sum()), "speaker": spk_i,
                             "real_voice": not any(major[o] == spk_i for o in large),
                             "nearest": round(d[near], 3), "nearest_is_same_speaker": major[near] == spk_i,
                             "coactive_with_nearest": co,
                             "folded_by_default": bool(np.isin(post[m], post[~m]).all())})
                print(json.dumps(rows[-1]), flush=True)
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.write_text(json.dumps({"command": " ".join(["benchmarks/r19_vcall_stretch.py", *sys.argv[1:]]),
                                         "commit": commit, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                         "data": "development sets only", "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

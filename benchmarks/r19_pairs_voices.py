"""Round 19 (pairs): why a voice is merged or split in a development conversation — the distances between the
reference speakers' voices as the clustering sees them (development data only).

    nice -n 10 .venv/bin/python benchmarks/r19_pairs_voices.py --uris dev12 dev14 dev00 dev06 dev13 \\
        --json benchmarks/results/r19_pairs_voices.json

Each embedded local speaker (chunk × local slot taking part in the clustering) is labelled with the reference
speaker it overlaps most; per file: the euclidean distance (unit vectors, the clustering's measure; merged
while closer than ``diarization.cluster_threshold``) between the reference speakers' mean embeddings, the
median distance of a speaker's embeddings to its own mean, and the clusters' make-up (embeddings per
reference speaker and cluster).
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

ROOT = Path(__file__).resolve().parents[1]


def _grabber(orig: Any, cap: dict[str, Any]) -> Any:
    def grab(emb: np.ndarray, usable: np.ndarray, trainable: np.ndarray, **kw: Any) -> Any:
        out = orig(emb, usable, trainable, **kw)
        cap.update(emb=emb, usable=usable, trainable=trainable, asg=out, kw=kw)
        return out
    return grab


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folder", type=Path, default=ROOT / ".cache/conv/dev")
    ap.add_argument("--uris", nargs="+", required=True)
    ap.add_argument("--config", type=Path, default=ROOT / "benchmarks/configs/tiny_en.yaml")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from sessionscope.audio import diarize as dz
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.der import read_rttm
    from sessionscope.audio.pipeline import diarization_settings
    from sessionscope.config import load_config

    config = load_config(args.config)
    refs = read_rttm(args.folder / "reference.rttm")
    params = diarization_settings(config)
    rows = []
    for uri in args.uris:
        x = load_audio(args.folder / f"{uri}.wav").mono
        cap: dict[str, Any] = {}
        orig = dz.cluster_local_speakers
        dz.cluster_local_speakers = _grabber(orig, cap)  # type: ignore[assignment]
        try:
            dz.diarize_local(x, params=params, min_speakers=config.diarization.min_speakers,
                             max_speakers=config.diarization.max_speakers)
        finally:
            dz.cluster_local_speakers = orig
        seg_act = cap["kw"].get("activity")
        emb, usable, trainable, asg = cap["emb"], cap["usable"], cap["trainable"], cap["asg"]
        # the local segmentation again (the same call diarize_local made) for the slots' times
        from sessionscope.audio import segmentation as sg
        from sessionscope.audio.reconstruct import split_runs

        seg = sg.local_segmentation(x, step_s=params.step_s, fallback=params.chunk_fallback)
        if params.split_gap_s > 0:
            seg, _ = split_runs(seg, min_gap_s=params.split_gap_s)
        assert seg_act is None or seg_act.shape == seg.binarized.shape
        ref = refs[uri]
        spk = sorted({r[2] for r in ref})
        c_n, f_n, s_n = seg.binarized.shape
        t = np.arange(f_n) * seg.frame_step + seg.frame_offset
        train = trainable & usable
        if train.sum() < max(1, config.diarization.min_speakers):
            train = usable
        lab, vec, clu = [], [], []
        for ci in range(c_n):
            for k in np.flatnonzero(train[ci]):
                on = t[seg.binarized[ci][:, k].astype(bool)] + seg.starts[ci]
                ov = [sum(((on >= a) & (on < b)).sum() for a, b, s_ in ref if s_ == sp) for sp in spk]
                lab.append(spk[int(np.argmax(ov))] if max(ov) > 0 else "none")
                v = emb[ci, k].astype(np.float64)
                vec.append(v / max(np.linalg.norm(v), 1e-9))
                clu.append(int(asg.clusters[ci, k]))
        vec_a = np.array(vec)
        lab_a = np.array(lab)
        means = {sp: vec_a[lab_a == sp].mean(0) for sp in spk if (lab_a == sp).any()}
        means = {sp: m / np.linalg.norm(m) for sp, m in means.items()}
        row = {"uri": uri, "threshold": params.threshold, "clusters": len(asg.centroids),
               "embeddings": {sp: int((lab_a == sp).sum()) for sp in [*spk, "none"]},
               "between": {f"{a}-{b}": round(float(np.linalg.norm(means[a] - means[b])), 3)
                           for i, a in enumerate(spk) for b in spk[i + 1:] if a in means and b in means},
               "within_median": {sp: round(float(np.median(np.linalg.norm(vec_a[lab_a == sp] - means[sp], axis=1))), 3)
                                 for sp in means},
               "make_up": {sp: {str(c): int(((lab_a == sp) & (np.array(clu) == c)).sum()) for c in sorted(set(clu))}
                           for sp in [*spk, "none"]}}
        rows.append(row)
        print(json.dumps(row), flush=True)
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.write_text(json.dumps({"command": " ".join(["benchmarks/r19_pairs_voices.py", *sys.argv[1:]]),
                                         "commit": commit, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                         "data": "development (libri-dev)", "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

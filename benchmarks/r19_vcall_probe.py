"""Round 19 (vcall): what the embeddings of a split-off voice are — one row per clustered local speaker
(chunk × local slot) of each conversation, with where it is, how long and loud it is, how much of it is
double talk, which reference speaker it is, and which cluster the default clustering gave it (development only).

    nice -n 10 .venv/bin/python benchmarks/r19_vcall_probe.py --folder .cache/conv/dev_r19_calls_zoom \\
        --json benchmarks/results/r19_vcall_probe_zoom.json

The local stage (segmentation split into runs, CAM++ embeddings) is cached by ``diarization_tune.local_for``
(``.cache/diar_tune``), so clustering variants can be replayed on it (``r19_vcall_replay.py``).
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
sys.path.insert(0, str(ROOT / "benchmarks"))


def slot_rows(x: np.ndarray, seg: Any, emb: np.ndarray, usable: np.ndarray, trainable: np.ndarray,
              ref: list[tuple[float, float, str]], clusters: np.ndarray) -> list[dict[str, Any]]:
    """Per usable (chunk, slot): times, seconds active / clean, level, reference owner and double talk."""
    from sessionscope.audio.decode import SAMPLE_RATE

    spk = sorted({s for *_, s in ref})
    c_n, f_n, s_n = seg.binarized.shape
    t = np.arange(f_n) * seg.frame_step + seg.frame_offset
    alone = seg.binarized.sum(axis=2) == 1  # (C, F)
    rows = []
    for ci in range(c_n):
        for k in np.flatnonzero(usable[ci]):
            on = seg.binarized[ci][:, k].astype(bool)
            tt = t[on] + seg.starts[ci]
            per = np.array([[(tt >= a) & (tt < b) for a, b, s_ in ref if s_ == sp] for sp in spk], dtype=object)
            cover = np.array([np.any(np.stack(list(p)), axis=0) if len(p) else np.zeros(len(tt), bool) for p in per])
            n_ref = cover.sum(axis=0)
            ov = cover.sum(axis=1)
            owner = spk[int(np.argmax(ov))] if ov.max() > 0 else "none"
            idx = np.clip((tt * SAMPLE_RATE).astype(int), 0, len(x) - 1)
            half = int(seg.frame_step * SAMPLE_RATE / 2)
            sel = np.concatenate([np.arange(max(0, i - half), min(len(x), i + half)) for i in idx]) if len(idx) else idx
            lev = 10 * np.log10(np.mean(x[sel].astype(np.float64) ** 2) + 1e-12) if len(sel) else -120.0
            # where in the owner's reference turn the slot lies
            turns = [(a, b) for a, b, s_ in ref if s_ == owner]
            mid = float(tt.mean()) if len(tt) else 0.0
            pos = None
            for a, b in turns:
                if a <= mid < b:
                    pos = {"from_start": round(mid - a, 2), "to_end": round(b - mid, 2), "turn_s": round(b - a, 2)}
            rows.append({"chunk": ci, "slot": int(k), "start": round(float(tt.min()), 2) if len(tt) else None,
                         "end": round(float(tt.max()), 2) if len(tt) else None,
                         "active_s": round(float(on.sum() * seg.frame_step), 2),
                         "clean_s": round(float((on & alone[ci]).sum() * seg.frame_step), 2),
                         "trainable": bool(trainable[ci, k]), "level_db": round(float(lev), 1),
                         "owner": owner, "purity": round(float(ov.max() / max(1, len(tt))), 3),
                         "ref_overlap": round(float((n_ref >= 2).mean()) if len(tt) else 0.0, 3),
                         "ref_silence": round(float((n_ref == 0).mean()) if len(tt) else 0.0, 3),
                         "turn": pos, "cluster": int(clusters[ci, k])})
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folder", type=Path, required=True)
    ap.add_argument("--uris", nargs="*")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from diarization_tune import local_for
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.der import read_rttm
    from sessionscope.audio.diarize import DiarizationParams
    from sessionscope.audio.reconstruct import _normalise, cluster_local_speakers, distinct_local_speakers

    p = DiarizationParams()
    refs = read_rttm(args.folder / "reference.rttm")
    meta = {}
    cj = args.folder / "conversations.json"
    if cj.is_file():
        for c in json.loads(cj.read_text())["conversations"]:
            meta[c["uri"]] = [s for s, v in c.get("processing", {}).items() if isinstance(v, dict) and v.get("remote")]
    uris = args.uris or sorted(w.stem for w in args.folder.glob("*.wav"))
    out = []
    for uri in uris:
        wav = args.folder / f"{uri}.wav"
        seg, emb, usable, trainable, origin = local_for(wav, p.step_s, p)
        x = load_audio(wav).mono
        seen = distinct_local_speakers(seg, origin, emb, usable, min_s=p.count_min_s, distance=p.count_distance)
        lo = max(1, min(seen, 6))
        asg = cluster_local_speakers(emb, usable, trainable, threshold=p.threshold, min_clusters=lo, max_clusters=6,
                                     min_cluster_size=p.min_cluster_size, activity=seg.binarized)
        rows = slot_rows(x, seg, emb, usable, trainable, refs[uri], asg.clusters)
        xn = _normalise(emb.astype(np.float64))
        cents = asg.centroids
        for r in rows:
            v = xn[r["chunk"], r["slot"]]
            r["dist"] = [round(float(np.linalg.norm(v - c)), 3) for c in cents]
        cent_d = [[round(float(np.linalg.norm(a - b)), 3) for b in cents] for a in cents]
        rec = {"uri": uri, "remote": meta.get(uri, []), "count_floor": lo, "clusters": len(cents),
               "centroid_distances": cent_d, "rows": rows}
        out.append(rec)
        print(uri, len(cents), "clusters", flush=True)
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.write_text(json.dumps({"command": " ".join(["benchmarks/r19_vcall_probe.py", *sys.argv[1:]]),
                                         "commit": commit, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                         "data": f"development ({args.folder.name})", "files": out}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

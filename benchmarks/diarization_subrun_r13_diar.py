"""Long runs re-checked piece by piece against the found voices (DEVELOPMENT data only).

    nice -n 10 .venv/bin/python benchmarks/diarization_subrun_r13_diar.py 3:1.5:0 3:1.5:0.1 4:2:0 \
        --json benchmarks/results/diarization_subrun_r13_diar.json

``diarization_miss_r13_diar.py`` and a purity look at the local runs show that on the real development excerpts
much of the confusion is *impure* runs: one local speaker of a chunk that holds two talkers without a 0.5 s pause
(dev00: 17 % of its single-talker run time). Variant ``L:W:M``: after the default clustering, every run longer
than L s is cut into consecutive pieces of about W s, each piece gets its own CAM++ embedding (its clean frames,
all frames when under 0.5 s clean) and moves to the nearest other voice when that voice is closer than the run's
own by more than M (cosine) and no run active at the same time in that chunk holds it. The voices (centroids,
count) are the defaults'. Costs one CAM++ call per piece.

Development groups: ``pyannote-ami`` (4 excerpts + sample), ``ami-sparse``, ``libri-dev`` (16), ``farfield``
(seed 20261208), ``farfield2`` (seed 20261209); held-out sets never read.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from diarization_dev_r13_diar import default_clustering, dev_groups, scores, summarise, write_json  # noqa: E402
from diarization_link_r13_diar import diarize_linked  # noqa: E402  (sibling scripts)
from diarization_tune import ROOT, local_for  # noqa: E402


def resplit(samples: np.ndarray, loc, clusters: np.ndarray, centroids: np.ndarray, long_s: float, piece_s: float,  # noqa: ANN001
            margin: float):  # noqa: ANN201
    """(segmentation with pieces as slots, their clusters, CAM++ calls)."""
    from sessionscope.audio.decode import SAMPLE_RATE
    from sessionscope.audio.diarize import CHUNK_S, FRAME_S, ChunkFeatures, _pieces, slots_to_segmentation
    from sessionscope.audio.onnx_models import infer
    from sessionscope.audio.reconstruct import _normalise
    from sessionscope.models import load_campplus

    seg = loc[0]
    c_n, f_n, s_n = seg.binarized.shape
    model = load_campplus("cpu")
    feats_of = ChunkFeatures(samples)
    new_slots: list[list[tuple[np.ndarray, int]]] = []  # per chunk: (activity F, cluster)
    calls = 0
    for ci in range(c_n):
        b = seg.binarized[ci].astype(bool)
        slots: list[tuple[np.ndarray, int]] = []
        feats = None
        for r in range(s_n):
            if not b[:, r].any():
                continue
            j = int(clusters[ci, r])
            if j < 0 or b[:, r].sum() * seg.frame_step <= long_s or len(centroids) < 2:
                slots.append((b[:, r], j))
                continue
            if feats is None:
                feats = feats_of.chunk(int(round(seg.starts[ci] * SAMPLE_RATE)), int(CHUNK_S * SAMPLE_RATE))
                t = np.arange(len(feats)) * FRAME_S + 0.0125
                fj = np.clip(np.round((t - seg.frame_offset) / seg.frame_step).astype(int), 0, f_n - 1)
                alone = b.sum(axis=1) == 1
            for piece in _pieces(b[:, r], int(round(piece_s / seg.frame_step))):
                act = np.zeros(f_n, dtype=bool)
                act[piece] = True
                pick = np.flatnonzero(act[fj] & alone[fj])
                if len(pick) < 50:
                    pick = np.flatnonzero(act[fj])
                k = j
                if len(pick) >= 30:
                    f = feats[pick]
                    e = infer(model, (f - f.mean(axis=0, keepdims=True))[None], "cpu")[0]
                    calls += 1
                    sims = _normalise(e.astype(np.float64)) @ centroids.T
                    busy = {int(clusters[ci, q]) for q in range(s_n) if q != r and clusters[ci, q] >= 0
                            and (b[:, q] & act).any()}
                    for cand in np.argsort(-sims):
                        if int(cand) == j:
                            break
                        if int(cand) not in busy and sims[cand] > sims[j] + margin:
                            k = int(cand)
                            break
                slots.append((act, k))
        new_slots.append(slots)
    seg2, cl = slots_to_segmentation(seg, new_slots)
    return seg2, cl, calls


def main() -> int:
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.der import read_rttm
    from sessionscope.audio.diarize import DiarizationParams
    from sessionscope.audio.reconstruct import reconstruct

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("variants", nargs="+", help="LONG_S:PIECE_S:MARGIN")
    ap.add_argument("--farfield2", type=Path, default=ROOT / ".cache/conv/farfield2")
    ap.add_argument("--groups", nargs="*", default=["pyannote-ami", "ami-sparse", "libri-dev", "farfield", "farfield2"])
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    params = DiarizationParams()
    variants = ["default", *args.variants]
    per: dict[str, dict[str, dict[str, float]]] = {v: {} for v in variants}
    cpu = {v: 0.0 for v in variants}
    for group, uri, wav, ref_path in dev_groups(args.farfield2, tuple(args.groups)):
        ref = read_rttm(ref_path)[uri]
        loc = local_for(wav, params.step_s, params)
        seg = loc[0]
        samples = load_audio(wav).mono
        asg, clusters, k, weights = default_clustering(loc, params)
        for v in variants:
            t0 = time.process_time()
            if v == "default":
                turns, _ = diarize_linked(loc, params, 0.0, 0.0)
                hyp = [(t.start, t.end, t.speaker) for t in turns]
                calls = 0
            else:
                long_s, piece_s, margin = (float(x) for x in v.split(":"))
                seg2, cl2, calls = resplit(samples, loc, clusters, asg.centroids, long_s, piece_s, margin)
                raw = reconstruct(seg2, cl2, k, weights=weights, min_on=params.min_on, min_off=params.min_off)
                hyp = [(s, e, f"S{j}") for s, e, j in raw]
            cpu[v] += time.process_time() - t0
            per[v][f"{group}/{uri}"] = scores(ref, hyp, seg.duration, campplus_calls=calls)
        print(group, uri, {v: round(100 * per[v][f"{group}/{uri}"]["der_c0"], 2) for v in variants}, flush=True)
    write_json(args.json, per, summarise(per), cpu_s=cpu)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

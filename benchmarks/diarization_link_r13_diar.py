"""Continuity between overlapping chunks in the speaker assignment (DEVELOPMENT data only).

    nice -n 10 .venv/bin/python benchmarks/diarization_link_r13_diar.py 0.5:0.5 0.5:1.0 0.8:1.0 \
        --json benchmarks/results/diarization_link_r13_diar.json

Chunks of 10 s every 5 s share 5 s. A run of chunk c and a run of chunk c+1 that cover the same shared frames
(intersection over union of their activity there >= IOU, on >= 1 s in common) are very likely one talker.
Variant ``IOU:ALPHA``: each run's cosine scores against the global voices are smoothed with its linked runs'
scores (own + ALPHA x IoU-weighted sum of the linked runs'), then the per-chunk Hungarian assignment runs as
before. The clustering (voices, count) and the embeddings are the defaults' (cached by
``diarization_tune.local_for``); no CAM++ call is added. Unlike round 11's reuse of a continuing run's
embedding (rejected), every run keeps its own embedding and evidence; only the decision looks at its neighbours.

Development groups: ``pyannote-ami`` (4 excerpts + sample), ``ami-sparse``, ``libri-dev`` (16), ``farfield``
(seed 20261208), ``farfield2`` (seed 20261209); held-out sets never read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from diarization_dev_r13_diar import dev_groups, scores, summarise, write_json  # noqa: E402  (sibling scripts)
from diarization_tune import ROOT, local_for  # noqa: E402


def links(seg, usable: np.ndarray, iou_min: float, min_common_s: float = 1.0) -> list[tuple[int, int, int, int, float]]:  # noqa: ANN001
    """(chunk, slot, next chunk, slot, IoU) of runs that cover the same frames of two overlapping chunks."""
    out = []
    f_n = seg.binarized.shape[1]
    for c in range(len(seg.starts) - 1):
        off = int(round((seg.starts[c + 1] - seg.starts[c]) / seg.frame_step))
        if off >= f_n:
            continue
        a = seg.binarized[c, off:].astype(bool)  # shared frames, chunk c's view
        b = seg.binarized[c + 1, :f_n - off].astype(bool)
        n = min(len(a), len(b))
        a, b = a[:n], b[:n]
        for r in np.flatnonzero(usable[c]):
            for q in np.flatnonzero(usable[c + 1]):
                inter = int((a[:, r] & b[:, q]).sum())
                if inter * seg.frame_step < min_common_s:
                    continue
                iou = inter / max(1, int((a[:, r] | b[:, q]).sum()))
                if iou >= iou_min:
                    out.append((c, int(r), c + 1, int(q), iou))
    return out


def diarize_linked(loc, params, iou_min: float, alpha: float):  # noqa: ANN001, ANN201
    """The default diarization of cached local results, with link-smoothed assignment scores (alpha 0: the default)."""
    from sessionscope.audio.diarize import SpeakerTurn, _inherit
    from sessionscope.audio.reconstruct import (
        _assign_group,
        _coactive_groups,
        _normalise,
        cluster_local_speakers,
        distinct_local_speakers,
        reconstruct,
        unsplit_origin,
    )

    seg, emb, usable, trainable, origin = loc
    split = not np.array_equal(origin, unsplit_origin(seg))
    min_speakers = max(1, min(distinct_local_speakers(seg, origin, emb, usable, min_s=params.count_min_s,
                                                      distance=params.count_distance), 6))
    asg = cluster_local_speakers(emb, usable, trainable, threshold=params.threshold, min_clusters=min_speakers,
                                 max_clusters=6, min_cluster_size=params.min_cluster_size, activity=seg.binarized if split else None,
                                 short_voices=params.short_voices, keep_far=params.keep_far)
    clusters = asg.clusters.copy()
    if alpha > 0 and len(asg.centroids):
        xn = _normalise(emb.astype(np.float64))
        score = np.einsum("csd,kd->csk", xn, asg.centroids)
        smooth = score.copy()
        for c, r, c2, q, iou in links(seg, usable, iou_min):
            smooth[c, r] += alpha * iou * score[c2, q]
            smooth[c2, q] += alpha * iou * score[c, r]
        clusters[:] = -1
        sim = np.full(clusters.shape, np.nan)
        for ci in range(clusters.shape[0]):
            locals_ = np.flatnonzero(usable[ci])
            if len(locals_) == 0:
                continue
            groups = (_coactive_groups(seg.binarized[ci][:, locals_].astype(bool)) if split
                      else [list(range(len(locals_)))])
            for g in groups:
                _assign_group(smooth[ci, locals_], g, locals_, clusters[ci], sim[ci])
    k = len(asg.centroids)
    clusters = _inherit(clusters, usable, origin, seg) if split else clusters
    weights = np.hamming(seg.binarized.shape[1] + 2)[1:-1]
    raw = reconstruct(seg, clusters, k, weights=weights, min_on=params.min_on, min_off=params.min_off)
    return [SpeakerTurn(s, e, f"S{j}") for s, e, j in raw], k


def main() -> int:
    from sessionscope.audio.der import read_rttm
    from sessionscope.audio.diarize import DiarizationParams, diarize_local

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("variants", nargs="+", help="IOU:ALPHA")
    ap.add_argument("--farfield2", type=Path, default=ROOT / ".cache/conv/farfield2")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    params = DiarizationParams()
    variants = ["0:0", *args.variants]
    per: dict[str, dict[str, dict[str, float]]] = {v: {} for v in variants}
    for group, uri, wav, ref_path in dev_groups(args.farfield2):
        ref = read_rttm(ref_path)[uri]
        loc = local_for(wav, params.step_s, params)
        for v in variants:
            iou, alpha = (float(x) for x in v.split(":"))
            turns, _ = diarize_linked(loc, params, iou, alpha)
            if v == "0:0":  # the replica must be the shipped diarization
                d = diarize_local(np.zeros(1, dtype=np.float32), params=params, local=loc)
                assert [(t.start, t.end) for t in d.turns] == [(t.start, t.end) for t in turns], uri
            per[v][f"{group}/{uri}"] = scores(ref, [(t.start, t.end, t.speaker) for t in turns], loc[0].duration)
        print(group, uri, {v: round(100 * per[v][f"{group}/{uri}"]["der_c0"], 2) for v in variants}, flush=True)
    write_json(args.json, per, summarise(per))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

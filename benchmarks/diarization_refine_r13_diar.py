"""The shipped long-run refinement (``diarize.refine_long_runs``) swept on cached local results (DEVELOPMENT only).

    nice -n 10 .venv/bin/python benchmarks/diarization_refine_r13_diar.py 4:2:0 4:2:1 3:2:1 \
        --json benchmarks/results/diarization_refine_r13_diar.json

Variant ``LONG_S:PIECE_S:OWN`` (OWN 1: only the seconds of a run inside its chunk's own region are cut and
re-embedded; the rest keeps the run's voice). ``pieces`` counts the CAM++ inputs the refinement adds. Local
segmentation, embeddings and clustering are the defaults' (``diarization_tune.local_for``, cached); groups:
``pyannote-ami`` (4 excerpts + sample), ``ami-sparse``, ``libri-dev`` (16), ``farfield``, ``farfield2``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from diarization_dev_r13_diar import default_clustering, dev_groups, scores, summarise, write_json  # noqa: E402  (sibling scripts)
from diarization_tune import ROOT, local_for  # noqa: E402


def main() -> int:
    from sessionscope.audio import diarize as dz
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.der import read_rttm
    from sessionscope.audio.diarize import DiarizationParams, refine_long_runs
    from sessionscope.audio.reconstruct import reconstruct

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("variants", nargs="+", help="LONG_S:PIECE_S:OWN")
    ap.add_argument("--farfield2", type=Path, default=ROOT / ".cache/conv/farfield2")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    params = DiarizationParams()
    variants = ["off", *args.variants]
    per: dict[str, dict[str, dict[str, float]]] = {v: {} for v in variants}
    counted = {"n": 0}
    real = dz._long_run_pieces

    def counting(*a, **k):  # noqa: ANN002, ANN003, ANN202
        out = real(*a, **k)
        counted["n"] += int(sum(e.any() for e in out[2]))
        return out

    dz._long_run_pieces = counting
    for group, uri, wav, ref_path in dev_groups(args.farfield2):
        ref = read_rttm(ref_path)[uri]
        loc = local_for(wav, params.step_s, params)
        seg = loc[0]
        samples = load_audio(wav).mono
        asg, clusters, k, weights = default_clustering(loc, params)
        for v in variants:
            counted["n"] = 0
            s2, c2 = seg, clusters
            if v != "off" and k >= 2:
                long_s, piece_s, own = v.split(":")
                s2, c2 = refine_long_runs(samples, seg, clusters, asg.centroids, long_s=float(long_s),
                                          piece_s=float(piece_s), own_only=own == "1")
            raw = reconstruct(s2, c2, k, weights=weights, min_on=params.min_on, min_off=params.min_off)
            per[v][f"{group}/{uri}"] = scores(ref, [(s, e, f"S{j}") for s, e, j in raw], seg.duration,
                                              pieces=counted["n"], audio_s=seg.duration)
        print(group, uri, {v: round(100 * per[v][f"{group}/{uri}"]["der_c0"], 2) for v in variants}, flush=True)
    write_json(args.json, per, summarise(per))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

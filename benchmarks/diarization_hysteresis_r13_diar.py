"""Speech just under the segmentation's decision at the edges of marked speech (DEVELOPMENT data only).

    nice -n 10 .venv/bin/python benchmarks/diarization_hysteresis_r13_diar.py 0.5 0.4 0.3 \
        --json benchmarks/results/diarization_hysteresis_r13_diar.json

The segmentation's most likely class decides speech per frame; far-field speech the network scores just under
that decision is missed (``diarization_miss_r13_diar.py``: ``unseen_p0.3-0.5`` / ``unseen_p>=0.5``). Variant
``T`` (a hysteresis, as pyannote's onset / offset binarisation): within a chunk, a frame where the argmax marks
nobody but P(anyone speaks) > T, and that is connected through such frames to marked speech, takes the local
speakers of the nearest marked frame (left neighbour first). Only existing runs grow: no new local speaker, the
embeddings and the clustering are those of the defaults (cached by ``diarization_tune.local_for``), so the
variant isolates what the extra frames do to the delivered turns.

Development groups: ``pyannote-ami`` (4 excerpts + sample), ``ami-sparse``, ``libri-dev`` (16),
``farfield`` (seed 20261208) and ``farfield2`` (seed 20261209); held-out sets never read.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from diarization_dev_r13_diar import dev_groups, scores, summarise, write_json  # noqa: E402  (sibling scripts)
from diarization_miss_r13_diar import chunk_probs  # noqa: E402
from diarization_tune import ROOT, local_for  # noqa: E402


def grow(binarized: np.ndarray, p_speech: np.ndarray, threshold: float) -> np.ndarray:
    """``binarized`` (C × F × S) with runs extended into adjacent frames where P(speech) > ``threshold``."""
    out = binarized.copy()
    for ci in range(out.shape[0]):
        b = out[ci]
        cand = (~b.any(axis=1)) & (p_speech[ci] > threshold)
        for f in range(1, b.shape[0]):  # left to right: take the left neighbour's speakers
            if cand[f] and b[f - 1].any():
                b[f] = b[f - 1]
                cand[f] = False
        for f in range(b.shape[0] - 2, -1, -1):  # right to left for what is left
            if cand[f] and b[f + 1].any():
                b[f] = b[f + 1]
                cand[f] = False
    return out


def main() -> int:
    from sessionscope.audio.der import read_rttm
    from sessionscope.audio.diarize import DiarizationParams, diarize_local

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("variants", nargs="+", type=float, help="hysteresis thresholds (the default is always scored)")
    ap.add_argument("--farfield2", type=Path, default=ROOT / ".cache/conv/farfield2")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    params = DiarizationParams()
    variants = [0.0, *args.variants]
    per: dict[str, dict[str, dict[str, float]]] = {str(v): {} for v in variants}
    for group, uri, wav, ref_path in dev_groups(args.farfield2):
        ref = read_rttm(ref_path)[uri]
        loc = local_for(wav, params.step_s, params)
        p_speech = 1.0 - chunk_probs(wav, loc[0])[..., 0]
        for v in variants:
            seg = loc[0] if v == 0 else replace(loc[0], binarized=grow(loc[0].binarized, p_speech, v))
            d = diarize_local(np.zeros(1, dtype=np.float32), params=params, local=(seg, *loc[1:]))
            per[str(v)][f"{group}/{uri}"] = scores(ref, [(t.start, t.end, t.speaker) for t in d.turns], seg.duration)
        print(group, uri, {v: round(100 * per[str(v)][f"{group}/{uri}"]["der_c0"], 2) for v in variants}, flush=True)
    write_json(args.json, per, summarise(per))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Where the missed speech and the confusion of the diarization are, by cause (DEVELOPMENT data only).

    nice -n 10 .venv/bin/python benchmarks/diarization_miss_r13_diar.py [--farfield-dirs .cache/conv/farfield .cache/conv/farfield2] \
        --json benchmarks/results/diarization_miss_r13_diar.json

Development groups: ``pyannote-ami`` (the four pyannote AMI excerpts + the pyannote sample) and the simulated
far-field meetings of each ``--farfield-dirs`` folder (development readers only). The held-out sets are never
read. Local segmentations and embeddings come from ``diarization_tune.local_for`` (cached); the segmentation
network is run again on the same chunks for its probabilities. Diarization at its defaults
(``DiarizationParams()``) unless ``--set`` changes them.

Per 10 ms frame (collar 0) with ``miss`` = reference speakers - output speakers > 0:

* ``unseen``: no chunk covering the frame marks anyone; split by the largest P(anyone speaks) of those chunks
  (< 0.15, 0.15-0.3, 0.3-0.5, >= 0.5: the argmax chose "nobody" although speech was more likely than not);
* ``cap3``: three or more reference talkers, the segmentation marks two at most (its powerset holds two);
* ``ovl_unmarked``: two reference talkers, no covering chunk marks two; split by the largest probability of
  the two-speaker classes (< 0.2, 0.2-0.35, >= 0.35);
* ``count_round``: a chunk marks as many talkers as the reference (or more than the output) but the
  reconstruction's per-frame count (the weighted mean over chunks, rounded) is lower;
* ``clusters``: the count is high enough but fewer distinct global speakers are active (two co-active local
  speakers in one voice, or fewer voices found than needed).

Confusion seconds are split into ``conf_unfound`` (the reference speaker has no output speaker mapped to it:
a voice the clustering did not find) and ``conf_wrong`` (mapped, but another output speaker holds the frame).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from diarization_tune import AMI_DEV, DATA, ROOT, local_for  # noqa: E402  (a sibling script)

STEP = 0.01


def cases(farfield_dirs: list[Path]) -> list[tuple[str, str, Path, Path]]:
    out = [("pyannote-ami", "sample", DATA / "pyannote-sample/sample.wav", DATA / "pyannote-sample/sample.rttm")]
    out += [("pyannote-ami", u, DATA / f"pyannote-ami-excerpts/{u}.wav", DATA / "pyannote-ami-excerpts/reference.rttm")
            for u in AMI_DEV]
    for d in farfield_dirs:
        out += [(f"farfield:{d.name}", w.stem, w, d / "reference.rttm") for w in sorted(d.glob("*.wav"))]
    return out


def chunk_probs(wav: Path, seg) -> np.ndarray:  # noqa: ANN001
    """(C, F, classes) powerset probabilities of the cached segmentation's chunks."""
    from sessionscope.audio.decode import SAMPLE_RATE, load_audio
    from sessionscope.audio.onnx_models import infer
    from sessionscope.audio.segmentation import CHUNK_S, load_segmentation

    x = load_audio(wav).mono.astype(np.float32)
    win = int(CHUNK_S * SAMPLE_RATE)
    if len(x) < win:
        x = np.pad(x, (0, win - len(x)))
    net, _ = load_segmentation("cpu")
    starts = [int(round(s * SAMPLE_RATE)) for s in seg.starts]
    out = [infer(net, np.stack([x[s:s + win] for s in starts[b:b + 16]])[:, None, :], "cpu")
           for b in range(0, len(starts), 16)]
    return np.exp(np.concatenate(out))


def frame_grid(n: int, seg, values: np.ndarray, how: str) -> np.ndarray:  # noqa: ANN001
    """Per 10 ms frame, the max (or Hamming-weighted mean, ``how='mean'``) of per-chunk frame ``values`` (C × F)."""
    f_n = values.shape[1]
    acc, wsum = np.zeros(n), np.zeros(n)
    w = np.hamming(f_n + 2)[1:-1]
    for ci in range(len(seg.starts)):
        idx = np.round((seg.starts[ci] + np.arange(f_n) * seg.frame_step + seg.frame_offset) / STEP).astype(int)
        ok = idx < n
        if how == "max":
            np.maximum.at(acc, idx[ok], values[ci][ok])
        else:
            np.add.at(acc, idx[ok], values[ci][ok] * w[ok])
            np.add.at(wsum, idx[ok], w[ok])
    if how == "mean":
        acc = np.where(wsum > 0, acc / np.maximum(wsum, 1e-9), 0.0)
    return acc


def matrix(segs, n: int) -> tuple[np.ndarray, list[str]]:  # noqa: ANN001
    labels = sorted({s for *_, s in segs})
    m = np.zeros((len(labels), n), dtype=bool)
    for a, b, s in segs:
        m[labels.index(s), int(round(a / STEP)):int(round(b / STEP))] = True
    return m, labels


def breakdown(wav: Path, ref, params) -> dict[str, float]:  # noqa: ANN001
    from scipy.optimize import linear_sum_assignment

    from sessionscope.audio.diarize import diarize_local
    from sessionscope.audio.segmentation import _powerset_columns

    loc = local_for(wav, params.step_s, params)
    seg = loc[0]
    d = diarize_local(np.zeros(1, dtype=np.float32), params=params, local=loc)
    hyp = [(t.start, t.end, t.speaker) for t in d.turns]
    n = int(np.ceil(seg.duration / STEP))
    R, _ = matrix([(a, min(b, seg.duration), s) for a, b, s in ref], n)
    H, _ = matrix(hyp, n) if hyp else (np.zeros((0, n), dtype=bool), [])
    r, h = R.sum(0), H.sum(0)
    probs = chunk_probs(wav, seg)
    one, two = _powerset_columns()
    p_speech = frame_grid(n, seg, 1.0 - probs[..., 0], "max")
    p_two = frame_grid(n, seg, probs[..., two].sum(-1), "max")
    # local counts from the original (unsplit) activity: a split run is still one talker at a time
    local = seg.binarized.sum(axis=2)
    local_max = frame_grid(n, seg, local.astype(float), "max")
    mean_count = np.floor(frame_grid(n, seg, local.astype(float), "mean") + 0.5)
    miss = np.maximum(0, r - h).astype(float)
    out: dict[str, float] = {"ref_s": r.sum() * STEP, "miss_s": miss.sum() * STEP}
    unseen = local_max == 0
    for lo, hi, name in ((0, 0.15, "unseen_p<0.15"), (0.15, 0.3, "unseen_p0.15-0.3"), (0.3, 0.5, "unseen_p0.3-0.5"),
                         (0.5, 1.1, "unseen_p>=0.5")):
        out[name] = miss[unseen & (p_speech >= lo) & (p_speech < hi)].sum() * STEP
    seen = ~unseen
    fewer = seen & (local_max < r) & (h <= local_max)
    # the part of the miss that the segmentation's count explains; the rest (up to the marked count) is later
    seg_part = np.minimum(miss, r - np.maximum(local_max, h)) * fewer
    out["cap3"] = seg_part[r >= 3].sum() * STEP
    for lo, hi, name in ((0, 0.2, "ovl_unmarked_p<0.2"), (0.2, 0.35, "ovl_unmarked_p0.2-0.35"),
                         (0.35, 1.1, "ovl_unmarked_p>=0.35")):
        out[name] = seg_part[(r == 2) & (p_two >= lo) & (p_two < hi)].sum() * STEP
    later = np.where(seen, miss - seg_part, 0.0)
    low_count = mean_count < np.minimum(r, local_max)
    out["count_round"] = later[low_count].sum() * STEP
    out["clusters"] = later[~low_count].sum() * STEP
    # confusion
    if len(H):
        co = R.astype(np.int32) @ H.T.astype(np.int32)
        ri, hi_ = linear_sum_assignment(-co)
        mapped = dict(zip(ri.tolist(), hi_.tolist(), strict=True))
        correct = np.zeros(n, dtype=np.int32)
        for a, b in mapped.items():
            correct += (R[a] & H[b]).astype(np.int32)
        conf = (np.minimum(r, h) - correct).astype(float)
        unfound = np.zeros(n, dtype=bool)
        for a in range(len(R)):
            if a not in mapped:
                unfound |= R[a]
        out["conf_s"] = conf.sum() * STEP
        out["conf_unfound"] = conf[unfound].sum() * STEP
        out["conf_wrong"] = out["conf_s"] - out["conf_unfound"]
        out["fa_s"] = np.maximum(0, h - r).sum() * STEP
    out["speakers_ref"] = len(R)
    out["speakers_out"] = len(d.centroids)
    return {k: round(float(v), 2) for k, v in out.items()}


def main() -> int:
    from sessionscope.audio.der import read_rttm
    from sessionscope.audio.diarize import DiarizationParams

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--farfield-dirs", type=Path, nargs="*",
                    default=[ROOT / ".cache/conv/farfield", ROOT / ".cache/conv/farfield2"])
    ap.add_argument("--set", nargs="*", default=[], help="DiarizationParams overrides, name=value")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    params = DiarizationParams()
    for kv in args.set:
        k, v = kv.split("=")
        params = replace(params, **{k: type(getattr(params, k))(v)})
    per: dict[str, dict[str, float]] = {}
    for group, uri, wav, ref in cases(args.farfield_dirs):
        per[f"{group}/{uri}"] = breakdown(wav, read_rttm(ref)[uri], params)
        print(f"{group}/{uri}", json.dumps(per[f"{group}/{uri}"]), flush=True)
    groups: dict[str, dict[str, float]] = {}
    for key, row in per.items():
        g = groups.setdefault(key.split("/")[0], {})
        for k, v in row.items():
            g[k] = round(g.get(k, 0.0) + v, 2)
    for g, row in groups.items():
        print(g, json.dumps(row))
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.write_text(json.dumps({"command": " ".join(sys.argv), "commit": commit, "params": repr(params),
                                         "data": "dev: pyannote-ami-excerpts + pyannote-sample + simulated far-field "
                                                 "meetings of the development readers", "groups": groups,
                                         "files": per}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

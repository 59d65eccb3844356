"""Is the overlap the argmax loses in the segmentation's probabilities at all? (round 26, issue 11; development only)

    PYTHONPATH=src nice -n 10 .venv/bin/python benchmarks/r26_overlap_diag.py --sets pyannote-ami farfield farfield2 conv/dev_r19 \\
        --json benchmarks/results/r26_overlap_diag_r26_overlap.json

Every frame of every 10 s chunk (``DiarizationParams.step_s``, as ``run``; the network's outputs from the cache of
``r26_overlap_replay.py``, or computed) against the number of reference speakers at its centre (0, 1, 2 or more).
Per set, over frames the argmax gives one speaker: how many are overlapped in the reference, and, per threshold τ,
how many of them the best two-speaker class holding the argmax's speaker passes (recall of
:func:`~sessionscope.audio.segmentation.added_overlap` without the minimum length) and what share of the frames it
passes are overlapped in the reference (precision; the rest become false alarm). Also: the share of the reference's
overlapped frames the argmax itself marks as a pair. Frame counts, not seconds (about 17 ms each; chunks overlap,
so every instant counts about twice).
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
TAUS = (0.1, 0.2, 0.3, 0.4)


def main() -> int:
    from diarization_der import cases
    from r26_overlap_replay import cached_rows
    from sessionscope.audio import segmentation as seg_mod
    from sessionscope.audio.decode import SAMPLE_RATE, load_audio
    from sessionscope.audio.der import read_rttm
    from sessionscope.audio.diarize import DiarizationParams

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=["pyannote-ami", "farfield", "farfield2", "conv/dev_r19"])
    ap.add_argument("--cache", type=Path, default=Path("/tmp/r26/overlap/seg_logits"))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    rows = cached_rows(args.cache)
    net, cfg = seg_mod.load_segmentation()
    multi = seg_mod._powerset_to_multilabel(cfg.get("num_regular_classes", 3), cfg.get("powerset_max_classes", 2))
    sizes = multi.sum(axis=1)
    pairs = np.flatnonzero(sizes == 2)
    step = DiarizationParams.step_s
    win, hop = int(seg_mod.CHUNK_S * SAMPLE_RATE), int(round(step * SAMPLE_RATE))
    f_step = float(cfg["frame_step"])
    f_off = float(cfg.get("frame_start", 0.0)) + float(cfg["frame_duration"]) / 2
    out: dict[str, dict] = {}
    for set_name in args.sets:
        acc = {"single_frames": 0, "single_ref_overlap": 0, "ref_overlap_frames": 0, "ref_overlap_argmax_pair": 0,
               "ref_overlap_argmax_single": 0, **{f"pass_{t}": 0 for t in TAUS}, **{f"pass_{t}_ref_overlap": 0 for t in TAUS}}
        for uri, wav, rttm in cases(set_name):
            x = load_audio(wav).mono.astype(np.float32)
            ref = read_rttm(rttm)[uri]
            xx = np.pad(x, (0, max(0, win - len(x))))
            starts = seg_mod._chunk_starts(len(x), win, hop)
            for b in range(0, len(starts), 16):
                idx = starts[b:b + 16]
                lp = rows(net, np.stack([xx[s:s + win] for s in idx])[:, None, :], "cpu", seg_mod.CALL_CHUNKS)
                cls = lp.argmax(-1)
                for j, s in enumerate(idx):
                    t = s / SAMPLE_RATE + f_off + np.arange(lp.shape[1]) * f_step
                    n_ref = np.zeros(len(t), dtype=int)
                    for a, e, _ in ref:
                        n_ref += (t >= a) & (t < e)
                    ovl = n_ref >= 2
                    single = sizes[cls[j]] == 1
                    acc["ref_overlap_frames"] += int(ovl.sum())
                    acc["ref_overlap_argmax_pair"] += int((ovl & (sizes[cls[j]] == 2)).sum())
                    acc["ref_overlap_argmax_single"] += int((ovl & single).sum())
                    acc["single_frames"] += int(single.sum())
                    acc["single_ref_overlap"] += int((single & ovl).sum())
                    first = multi[cls[j]].argmax(-1)
                    allowed = multi[pairs].T[first].astype(bool)
                    best = np.where(allowed, np.exp(lp[j][:, pairs]), -1.0).max(-1)
                    for tau in TAUS:
                        hit = single & (best > tau)
                        acc[f"pass_{tau}"] += int(hit.sum())
                        acc[f"pass_{tau}_ref_overlap"] += int((hit & ovl).sum())
        row = {**acc,
               "argmax_pair_share_of_ref_overlap": round(acc["ref_overlap_argmax_pair"] / max(acc["ref_overlap_frames"], 1), 3),
               "argmax_single_share_of_ref_overlap": round(acc["ref_overlap_argmax_single"] / max(acc["ref_overlap_frames"], 1), 3)}
        for tau in TAUS:
            row[f"recall_{tau}"] = round(acc[f"pass_{tau}_ref_overlap"] / max(acc["single_ref_overlap"], 1), 3)
            row[f"precision_{tau}"] = round(acc[f"pass_{tau}_ref_overlap"] / max(acc[f"pass_{tau}"], 1), 3)
        out[set_name] = row
        print(set_name, json.dumps({k: v for k, v in row.items() if not k.startswith("pass_")}), flush=True)
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.write_text(json.dumps({"command": " ".join(["benchmarks/r26_overlap_diag.py", *sys.argv[1:]]),
                                         "commit": commit, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                         "data": "development only: " + " ".join(args.sets), "summary": out}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

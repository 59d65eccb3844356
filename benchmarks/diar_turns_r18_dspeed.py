"""The diarization `run` makes, per development file: turns, centroids, DER and the diarizing thread's CPU, to compare
two code versions (issue 11, round 18, dspeed: SciPy's FFT, linkage and assignment replaced by numpy).

    # the round-start code, then this checkout; then the comparison
    PYTHONPATH=/tmp/r18/base/src nice -n 10 .venv/bin/python benchmarks/diar_turns_r18_dspeed.py --json A.json
    nice -n 10 .venv/bin/python benchmarks/diar_turns_r18_dspeed.py --json B.json
    .venv/bin/python benchmarks/diar_turns_r18_dspeed.py --compare A.json B.json [--json C.json]

Runs ``diarize`` with the settings ``run`` uses (the default configuration) on every file of the development sets
(pyannote-ami + sample, libri-dev, farfield, farfield2) and the bundled examples; never the held-out ``ami`` or
``libri-report``. ``--scipy-fft``: this checkout's code with the fbank's FFT put back to SciPy's (float32), to tell
the FFT's effect from the clustering's. DER of the diarization's own turns (internal: before the word-backed fill
and alignment of `run`) at collars 0 and 0.25 against each file's reference, with :mod:`sessionscope.audio.der`.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SETS = ["pyannote-ami", "libri-dev", "farfield", "farfield2", "examples"]


def _load(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def scipy_fbank(dz):  # type: ignore[no-untyped-def]
    """The round-start fbank (SciPy's float32 FFT), for ``--scipy-fft``."""
    def fbank(samples: np.ndarray) -> np.ndarray:
        import scipy.fft

        x = np.ascontiguousarray(samples, dtype=np.float32) * np.float32(32768.0)
        if len(x) < dz.FBANK_WIN:
            return np.zeros((0, 80), dtype=np.float32)
        n = 1 + (len(x) - dz.FBANK_WIN) // dz.FBANK_HOP
        frames = np.lib.stride_tricks.as_strided(x, shape=(n, dz.FBANK_WIN),
                                                 strides=(x.strides[0] * dz.FBANK_HOP, x.strides[0]), writeable=False)
        mean = frames.mean(axis=1, keepdims=True, dtype=np.float32)
        buf = np.zeros((n, dz.FBANK_FFT), dtype=np.float32)
        np.subtract(frames[:, 1:], np.float32(0.97) * frames[:, :-1], out=buf[:, 1:dz.FBANK_WIN])
        buf[:, 1:dz.FBANK_WIN] -= np.float32(0.03) * mean
        buf[:, 0] = np.float32(0.03) * (frames[:, 0] - mean[:, 0])
        buf[:, :dz.FBANK_WIN] *= dz._povey_window()
        spec = scipy.fft.rfft(buf, axis=1, workers=1)
        power = spec.real * spec.real + spec.imag * spec.imag
        mel = power @ dz._mel_banks()
        return np.log(np.maximum(mel, np.finfo(np.float32).eps)).astype(np.float32, copy=False)
    return fbank


def run(args: argparse.Namespace) -> dict:
    dd = _load("diarization_der")
    from sessionscope.audio import diarize as dz
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.der import read_rttm
    from sessionscope.audio.pipeline import diarization_settings
    from sessionscope.config import Config

    if args.scipy_fft:
        dz._fbank = scipy_fbank(dz)
    if args.reuse is not None:  # the experiment's patch (not shipped): docs/benchmarks/audio.md, round 18 dspeed
        dz.REUSE_OVERLAP = args.reuse
    cfg = Config()
    dc = cfg.diarization
    rows = []
    for set_name in args.sets:
        for uri, wav, rttm in dd.cases(set_name):
            audio = load_audio(wav)
            refs = read_rttm(rttm)
            ref = refs[uri] if uri in refs else next(iter(refs.values()))
            c = time.thread_time()
            d = dz.diarize(audio.mono, min_speakers=dc.min_speakers, max_speakers=max(dc.min_speakers, dc.max_speakers),
                           window_s=dc.window_s, step_s=dc.step_s, merge_threshold=dc.merge_threshold,
                           vad_threshold=dc.vad_threshold, segmentation=dc.segmentation, params=diarization_settings(cfg))
            cpu = time.thread_time() - c
            turns = [(t.start, t.end, t.speaker) for t in d.turns]
            parts = dd.der_parts(ref, turns, audio.duration_s)
            row = {"set": set_name, "uri": uri, "speakers": len(d.speakers), "ref_speakers": len({x for *_, x in ref}),
                   "der_c0": parts["der_c0.0"], "der_c0.25": parts["der_c0.25"],
                   "turns_sha": hashlib.sha256(json.dumps(turns).encode()).hexdigest()[:16], "turns": turns,
                   "centroids": d.centroids, "similarity": d.assignment_similarity, "thread_cpu_s": round(cpu, 3)}
            rows.append(row)
            print(json.dumps({k: v for k, v in row.items() if k not in ("turns", "centroids")}), flush=True)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=HERE.parent).stdout.strip()
    return {"command": " ".join(["benchmarks/diar_turns_r18_dspeed.py", *map(str, sys.argv[1:])]), "commit": commit,
            "pythonpath": os.environ.get("PYTHONPATH"), "scipy_fft": args.scipy_fft, "reuse": args.reuse,
            "data": {s: "development" if s != "examples" else "bundled examples" for s in args.sets},
            "thread_cpu_s_total": round(sum(r["thread_cpu_s"] for r in rows), 2), "rows": rows}


def compare(a: dict, b: dict) -> dict:
    rows, by = [], {(r["set"], r["uri"]): r for r in b["rows"]}
    for ra in a["rows"]:
        rb = by[(ra["set"], ra["uri"])]
        ca, cb = ra["centroids"], rb["centroids"]
        same_keys = sorted(ca) == sorted(cb)
        cdiff = max((float(np.max(np.abs(np.asarray(ca[k]) - np.asarray(cb[k])))) for k in ca), default=0.0) if same_keys else None
        rows.append({"set": ra["set"], "uri": ra["uri"], "same_turns": ra["turns"] == rb["turns"],
                     "same_centroids": ca == cb, "centroid_max_abs_diff": cdiff,
                     "speakers": [ra["speakers"], rb["speakers"]], "der_c0": [ra["der_c0"], rb["der_c0"]],
                     "der_c0.25": [ra["der_c0.25"], rb["der_c0.25"]], "thread_cpu_s": [ra["thread_cpu_s"], rb["thread_cpu_s"]]})
    sets = {}
    for s in dict.fromkeys(r["set"] for r in rows):
        rs = [r for r in rows if r["set"] == s]
        sets[s] = {"files": len(rs), "same_turns": sum(r["same_turns"] for r in rs),
                   "mean_der_c0": [round(statistics.mean(r["der_c0"][i] for r in rs), 2) for i in (0, 1)],
                   "mean_der_c0.25": [round(statistics.mean(r["der_c0.25"][i] for r in rs), 2) for i in (0, 1)],
                   "speakers_changed": sum(r["speakers"][0] != r["speakers"][1] for r in rs)}
    return {"a": {"commit": a["commit"], "pythonpath": a["pythonpath"], "scipy_fft": a.get("scipy_fft")},
            "b": {"commit": b["commit"], "pythonpath": b["pythonpath"], "scipy_fft": b.get("scipy_fft")},
            "files": len(rows), "all_same_turns": all(r["same_turns"] for r in rows),
            "all_same_centroids": all(r["same_centroids"] for r in rows),
            "max_centroid_abs_diff": max((r["centroid_max_abs_diff"] or 0.0) for r in rows),
            "thread_cpu_s_total": [a["thread_cpu_s_total"], b["thread_cpu_s_total"]], "sets": sets, "rows": rows}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=SETS)
    ap.add_argument("--scipy-fft", action="store_true", help="the fbank with SciPy's float32 FFT (the round-start one)")
    ap.add_argument("--reuse", type=float, help="diarize.REUSE_OVERLAP (an experiment: embeddings reused across chunks)")
    ap.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if {"ami", "libri-report"} & set(args.sets):
        raise SystemExit("held-out sets are not run here")
    if args.compare:
        res = compare(*(json.loads(p.read_text()) for p in args.compare))
        res["command"] = " ".join(["benchmarks/diar_turns_r18_dspeed.py", *map(str, sys.argv[1:])])
    else:
        res = run(args)
    print(json.dumps({k: v for k, v in res.items() if k != "rows"}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

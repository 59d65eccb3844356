"""Round 26 (issue 11): a second local speaker where a pair class is probable but not the argmax, replayed.

    PYTHONPATH=src nice -n 10 .venv/bin/python benchmarks/r26_overlap_replay.py off 0.4 0.3 0.2 0.3@0.15 0.3:late \\
        --sets conv/dev_r19 farfield farfield2 pyannote-ami --json benchmarks/results/r26_overlap_replay_r26_overlap.json

Each spec is ``off``, ``TAU`` or ``TAU@MIN_S`` (``DiarizationParams.overlap_pair`` / ``overlap_min_s``,
:func:`sessionscope.audio.segmentation.added_overlap`), with ``:late`` for ``overlap_late`` (the runs, embeddings
and voices from the argmax, the second speakers added to the turns only, ``reconstruct.with_extra``); ``biasB``:
``overlap_count_bias`` B (``reconstruct``: two speakers where the chunks' mean local count is at least 1.5 - B); ``--gap G`` sets ``assign_gap_s`` for every spec
(``--gap 0.2``: round 25's finer runs at 0.2 s). The diarization as ``run`` calls it
(``diarize_local`` on the whole recording, no regions, BLAS held as in the pipeline), the segmentation network's
outputs read from a cache keyed by the input chunks' bytes (``--cache``; the same numbers as the network).
Scored: the diarization's own turns (not the delivered speakers.rttm) against the reference at collar 0 and
0.25 s, per set (per-file means, as ``diarization_der.py``), and the speaker count. Development sets only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def cached_rows(cache: Path):  # noqa: ANN201
    """``onnx_models.infer_rows`` with its outputs cached by the bytes of the batch (segmentation calls only)."""
    from sessionscope.audio import onnx_models

    real = onnx_models.infer_rows
    cache.mkdir(parents=True, exist_ok=True)

    def rows(model, batch, device="cpu", n=None):  # noqa: ANN001, ANN202
        if batch.ndim != 3 or batch.shape[1] != 1:  # not the segmentation's (chunks × 1 × samples)
            return real(model, batch, device, n)
        key = cache / f"{hashlib.sha1(batch.tobytes()).hexdigest()}.npy"
        if key.is_file():
            return np.load(key)
        out = real(model, batch, device, n)
        np.save(key, out)
        return out

    return rows


def main() -> int:
    from diarization_der import cases
    from sessionscope.audio import onnx_models
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.der import der, read_rttm
    from sessionscope.audio.diarize import DiarizationParams, diarize_local
    from sessionscope.models import fixed_blas_threads

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("specs", nargs="+")
    ap.add_argument("--sets", nargs="+", default=["conv/dev_r19", "farfield", "farfield2", "pyannote-ami"])
    ap.add_argument("--gap", type=float, default=DiarizationParams.assign_gap_s)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/r26/overlap/seg_logits"))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    onnx_models.infer_rows = cached_rows(args.cache)  # type: ignore[assignment]
    todo = [(s, *c) for s in args.sets for c in cases(s)]
    per_file: dict[str, dict] = {}
    summary: dict[str, dict] = {}
    for spec in args.specs:
        body, _, where = spec.partition(":")
        tau, _, min_s = body.partition("@")
        p = replace(DiarizationParams(), assign_gap_s=args.gap)
        if tau.startswith("bias"):
            p = replace(p, overlap_count_bias=float(tau[4:]))
        elif tau != "off":
            p = replace(p, overlap_pair=float(tau), overlap_min_s=float(min_s or 0.0), overlap_late=where == "late")
        rows = {}
        for set_name, uri, wav, rttm in todo:
            x = load_audio(wav).mono
            ref = read_rttm(rttm)[uri]
            c0 = time.process_time()
            with fixed_blas_threads():
                d = diarize_local(x, params=p)
            cpu = time.process_time() - c0
            hyp = [(t.start, t.end, t.speaker) for t in d.turns]
            dur = len(x) / 16000
            r0, r25 = (der(ref, hyp, collar=c, uem=(0.0, dur)) for c in (0.0, 0.25))
            rows[f"{set_name}/{uri}"] = {"set": set_name, "der_c0": 100 * r0.der, "der_c25": 100 * r25.der,
                                         "miss_c0": 100 * r0.missed / r0.reference, "fa_c0": 100 * r0.false_alarm / r0.reference,
                                         "conf_c0": 100 * r0.confusion / r0.reference, "cpu_s": round(cpu, 2),
                                         "count_ok": len(d.centroids) == len({s for *_, s in ref}), "turns": len(d.turns)}
        per_file[spec] = rows
        for set_name in args.sets:
            v = [r for r in rows.values() if r["set"] == set_name]
            summary.setdefault(spec, {})[set_name] = {
                **{k: round(float(np.mean([r[k] for r in v])), 2) for k in ("der_c0", "der_c25", "miss_c0", "fa_c0", "conf_c0")},
                "count_ok": f"{sum(r['count_ok'] for r in v)}/{len(v)}", "cpu_s": round(sum(r["cpu_s"] for r in v), 1)}
            print(spec, set_name, json.dumps(summary[spec][set_name]), flush=True)
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.write_text(json.dumps({"command": " ".join(["benchmarks/r26_overlap_replay.py", *sys.argv[1:]]),
                                         "commit": commit, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                         "data": "development only: " + " ".join(args.sets),
                                         "scored": "the diarization's own turns (diarize_local), not the delivered rttm",
                                         "summary": summary, "per_file": per_file}, indent=1, default=float))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""CPU of re-scoring word stretches against the voices (issue 11, round 17, der), against the diarization's own
CAM++ embeddings of the same file.

    nice -n 10 .venv/bin/python benchmarks/diarization_relabel_cpu_r17_der.py --sets pyannote-ami farfield libri-dev examples \\
        --limit 3 --json benchmarks/results/diarization_relabel_cpu_r17_der.json

Per file (cached transcription and local results of ``diarization_cache_r17_der.py``; count free): the CPU seconds
(``time.process_time``, this process, 1 torch thread as ``run`` on this 2-core box) of ``diarize.local_embeddings``
(the diarization's CAM++ step, recomputed) and of the CAM++ embeddings ``align.rescore_stretches`` asks for
(``--min-s``, windows ``--step`` apart; ``pipeline.voice_similarities``, one batched call per file as in ``run``;
``--per-stretch``: one call per stretch, the first measurement), with the number of windows each. Development sets only.
"""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from diarization_der import ROOT, cases


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=["pyannote-ami", "farfield", "libri-dev", "examples"])
    ap.add_argument("--limit", type=int, default=4)
    ap.add_argument("--min-s", type=float, default=0.75)
    ap.add_argument("--step", type=float, default=1.5, help="window step of the stretch embeddings (pipeline.voice_similarities: 1.5)")
    ap.add_argument("--per-stretch", action="store_true", help="one embedding call per stretch (not batched)")
    ap.add_argument("--local", type=Path, default=Path("/tmp/r17/der/local"))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from diarization_cache_r17_der import config_for
    from sessionscope.audio import align
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.diarize import (
        default_threads,
        diarize_local,
        embed_windows,
        local_embeddings,
        torch_threads,
        windows_for,
    )
    from sessionscope.audio.pipeline import diarization_settings, voice_similarities

    rows = []
    for set_name in args.sets:
        config = config_for(set_name)
        params = diarization_settings(config)
        dc = config.diarization
        for uri, wav, _ in cases(set_name)[: args.limit or None]:
            blob = pickle.loads((args.local / f"{set_name}__{uri}.pkl").read_bytes())
            asr, (seg, *_rest) = blob["asr"], blob["local"]
            samples = load_audio(wav).mono
            with torch_threads(params.threads if params.threads > 0 else default_threads()):
                t0 = time.process_time()
                emb, *_ = local_embeddings(samples, seg, max_s=params.embed_max_s, min_s=params.embed_min_s,
                                           min_usable_s=params.min_usable_s, min_train_s=params.min_train_s,
                                           own_only=params.split_gap_s > 0)
                t_local = time.process_time() - t0
                diar = diarize_local(samples, min_speakers=dc.min_speakers, max_speakers=dc.max_speakers, params=params,
                                     local=blob["local"])
                turns = align.fold_wordless_voices(diar.turns, asr.segments)
                asked: list[tuple[float, float]] = []

                def voice_sims(spans: list, asked: list = asked) -> list:
                    asked.extend(spans)
                    return [{} for _ in spans]

                align.rescore_stretches(turns, asr.segments, voice_sims=voice_sims,
                                    params=align.RescoreParams(mode="relabel", min_s=args.min_s))
                n_win = len(windows_for(asked, window_s=1.5, step_s=args.step)) if asked else 0
                t0 = time.process_time()
                if args.per_stretch:  # one CAM++ call per stretch (the first measurement)
                    for s, e in asked:
                        embed_windows(samples, [(s, e)], windows_for([(s, e)], window_s=1.5, step_s=args.step)).mean(axis=0)
                else:  # what run does: pipeline.voice_similarities, every stretch in one batched call
                    voice_similarities(samples, diar.centroids, step_s=args.step)(asked)
                t_relabel = time.process_time() - t0
            row = {"set": set_name, "uri": uri, "duration_s": round(blob["duration_s"], 2), "local_embeddings": int(len(emb)),
                   "local_cpu_s": round(t_local, 3), "stretches": len(asked), "relabel_windows": n_win,
                   "relabel_cpu_s": round(t_relabel, 3), "ratio": round(t_relabel / max(t_local, 1e-9), 3)}
            rows.append(row)
            print(json.dumps(row), flush=True)
    total = {"local_cpu_s": round(sum(r["local_cpu_s"] for r in rows), 2),
             "relabel_cpu_s": round(sum(r["relabel_cpu_s"] for r in rows), 2),
             "audio_s": round(sum(r["duration_s"] for r in rows), 1)}
    total["ratio"] = round(total["relabel_cpu_s"] / max(total["local_cpu_s"], 1e-9), 3)
    print(json.dumps(total))
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.write_text(json.dumps({"command": " ".join(["benchmarks/diarization_relabel_cpu_r17_der.py", *sys.argv[1:]]),
                                         "commit": commit, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                         "data": "development", "total": total, "rows": rows,
                                         "median_ratio": float(np.median([r["ratio"] for r in rows]))}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

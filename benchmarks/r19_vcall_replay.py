"""Round 19 (vcall): clustering variants replayed on the cached local stage (segmentation + CAM++ embeddings of
the default pipeline, ``diarization_tune.local_for``) — count right and diarization-only DER (the turns of
``diarize_local`` against the reference; no transcription, so not the delivered turns that
``diarization_der.py`` scores) per set and file (development only).

Needs the clustering options of commit 309d642, reverted from the library after the round (nothing shipped):
apply ``benchmarks/results/vcall_options_r19_vcall.patch`` (``git apply``) first; without it only the ``default``
variant runs.

    nice -n 10 .venv/bin/python benchmarks/r19_vcall_replay.py --sets conv/dev_r19_calls_zoom ... \\
        --variants default merge_centroids --json benchmarks/results/r19_vcall_replay.json

Variants: ``default`` (the shipped settings); ``merge_centroids``: after the dendrogram cut, clusters whose
centroids are closer than the threshold are merged (closest first); ``distinct_runs``: a cluster's size for the
small-cluster fold counts stretches of time, not embeddings (two embeddings of one run in overlapping chunks are
one piece of evidence); ``both``.
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", required=True)
    ap.add_argument("--variants", nargs="+", default=["default"])
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from diarization_der import cases
    from diarization_tune import local_for
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.der import der, read_rttm
    from sessionscope.audio.diarize import DiarizationParams, diarize_local

    results: dict[str, Any] = {v: {} for v in args.variants}
    for name in args.sets:
        for uri, wav, rttm in cases(name):
            ref = read_rttm(rttm)[uri]
            n_ref = len({s for *_, s in ref})
            audio = load_audio(wav)
            dur = len(audio.mono) / 16000
            for v in args.variants:
                p = DiarizationParams(**VARIANTS[v])
                local = local_for(wav, p.step_s, DiarizationParams())
                d = diarize_local(np.zeros(1, np.float32), params=p, local=local)
                hyp = [(t.start, t.end, t.speaker) for t in d.turns]
                end = dur or max(e for _, e, _ in ref)
                row = {"set": name, "uri": uri, "ref_speakers": n_ref, "speakers": len(d.speakers)}
                for collar in (0.0, 0.25):
                    r = der(ref, hyp, collar=collar, uem=(0.0, end))
                    row[f"err_s_c{collar}"] = round(r.missed + r.false_alarm + r.confusion, 3)
                    row[f"conf_s_c{collar}"] = round(r.confusion, 3)
                    row[f"ref_s_c{collar}"] = round(r.reference, 3)
                results[v].setdefault(name, []).append(row)
        for v in args.variants:
            rows = results[v][name]
            print(f"{name:28s} {v:16s} count {sum(r['speakers'] == r['ref_speakers'] for r in rows)}/{len(rows)} "
                  f"DER c0 {100 * sum(r['err_s_c0.0'] for r in rows) / sum(r['ref_s_c0.0'] for r in rows):.2f} "
                  f"c0.25 {100 * sum(r['err_s_c0.25'] for r in rows) / sum(r['ref_s_c0.25'] for r in rows):.2f} "
                  f"wrong {[(r['uri'], r['speakers']) for r in rows if r['speakers'] != r['ref_speakers']]}",
                  flush=True)
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        summary = {v: {name: {"count_right": sum(r["speakers"] == r["ref_speakers"] for r in rows), "files": len(rows),
                              "der_c0": round(100 * sum(r["err_s_c0.0"] for r in rows) / sum(r["ref_s_c0.0"] for r in rows), 2),
                              "der_c0.25": round(100 * sum(r["err_s_c0.25"] for r in rows)
                                                 / sum(r["ref_s_c0.25"] for r in rows), 2)}
                       for name, rows in by_set.items()} for v, by_set in results.items()}
        args.json.write_text(json.dumps({"command": " ".join(["benchmarks/r19_vcall_replay.py", *sys.argv[1:]]),
                                         "commit": commit, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                         "data": "development sets only", "variants": VARIANTS, "summary": summary,
                                         "files": results}, indent=1))
    return 0


VARIANTS: dict[str, dict[str, Any]] = {"default": {}, "merge_centroids": {"merge_centroids": True},
                                       "distinct_runs": {"distinct_runs": True},
                                       "both": {"merge_centroids": True, "distinct_runs": True},
                                       "runs_nearest": {"distinct_runs": True, "fold_nearest": True},
                                       "all3": {"merge_centroids": True, "distinct_runs": True, "fold_nearest": True},
                                       "nearest": {"fold_nearest": True},
                                       "runs_far0.9": {"distinct_runs": True, "stretch_far": 0.9},
                                       "runs_far0.85": {"distinct_runs": True, "stretch_far": 0.85},
                                       "both_far0.9": {"distinct_runs": True, "stretch_far": 0.9, "merge_centroids": True},
                                       "min3_far0.94": {"min_cluster_size": 3, "keep_far": 0.94},
                                       "min3_far0.9": {"min_cluster_size": 3, "keep_far": 0.9},
                                       "runs_nearest_far0.9": {"distinct_runs": True, "fold_nearest": True,
                                                               "stretch_far": 0.9}}

if __name__ == "__main__":
    raise SystemExit(main())

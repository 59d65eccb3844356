"""Development-set DER of the shipped diarization settings for different CAM++ embedding windows.

    nice -n 5 .venv/bin/python benchmarks/embedding_window_dev.py 3.0,2.0 2.0,1.5 [--quiet 10 15] [--perturbed] \
        [--json benchmarks/results/embedding_window_dev.json]

Each argument is ``embed_max_s,embed_min_s[,threshold]``; everything else is ``DiarizationParams()``. Uses the
development cases and the cached local segmentation / embeddings of ``diarization_tune.py`` (dev
LibriSpeech conversations, pyannote AMI excerpts + sample and their sparse versions; with ``--quiet``, also
the AMI excerpts and sparse versions with their speech that many dB quieter against the room tone; no held-out set).
Embedding CPU seconds are those of the settings not cached yet.
"""
import json
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import diarization_tune as dt  # noqa: E402
from sessionscope.audio.der import der, read_rttm  # noqa: E402
from sessionscope.audio.diarize import DiarizationParams, diarize_local  # noqa: E402


def main() -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("windows", nargs="+", help="embed_max_s,embed_min_s[,clustering threshold]")
    ap.add_argument("--quiet", type=int, nargs="*", default=[], help="also the quiet AMI variants (dB)")
    ap.add_argument("--perturbed", action="store_true",
                    help="also the conversations of speed-perturbed development readers (.cache/conv/devsp)")
    ap.add_argument("--json", type=Path)
    ns = ap.parse_args()
    args, out_path = ns.windows, ns.json
    cases = dt.dev_cases(tuple(ns.quiet), perturbed=ns.perturbed)
    refs = {(c, u): read_rttm(r)[u] for c, u, _, r in cases}
    rows = []
    for spec in args:
        mx, mn, *th = map(float, spec.split(","))
        p = replace(DiarizationParams(), embed_max_s=mx, embed_min_s=mn)
        p = replace(p, threshold=th[0]) if th else p
        t = time.process_time()
        locals_ = {(c, u): dt.local_for(w, p.step_s, p) for c, u, w, _ in cases}
        cpu = time.process_time() - t
        per = {}
        for (c, u), loc in locals_.items():
            d = diarize_local(np.zeros(1, dtype=np.float32), params=p, local=loc)
            hyp = [(x.start, x.end, x.speaker) for x in d.turns]
            r0 = der(refs[(c, u)], hyp, collar=0.0, uem=(0.0, loc[0].duration))
            r25 = der(refs[(c, u)], hyp, collar=0.25, uem=(0.0, loc[0].duration))
            n_ref = len({s for *_, s in refs[(c, u)]})
            per[f"{c}/{u}"] = (r0.der, r25.der, n_ref == len(d.centroids), len(d.centroids) - n_ref)
        row: dict = {"embed_max_s": mx, "embed_min_s": mn, "threshold": p.threshold, "embedding_cpu_s": round(cpu, 1)}
        groups = [("ami", "pyannote"), ("sparse", "ami-sparse"), ("libri", "libri-dev")]
        groups += [("libri_sp", "libri-sp")] if ns.perturbed else []
        groups += [(f"quiet{db}_{kind}", f"quiet-{kind}{db}/") for db in ns.quiet for kind in ("dense", "sparse")]
        for g, pre in groups:
            vals = [v for k, v in per.items() if k.startswith(pre)]
            row[f"{g}_der_c0"] = round(100 * float(np.mean([v[0] for v in vals])), 2)
            row[f"{g}_der_c25"] = round(100 * float(np.mean([v[1] for v in vals])), 2)
            row[f"{g}_count_ok"] = round(float(np.mean([v[2] for v in vals])), 3)
            row[f"{g}_over_under"] = [sum(v[3] > 0 for v in vals), sum(v[3] < 0 for v in vals)]
        row["per_file_c0"] = {k: round(100 * v[0], 2) for k, v in per.items()}
        rows.append(row)
        print(json.dumps(row), flush=True)
    if out_path:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
        out_path.write_text(json.dumps({"command": " ".join(sys.argv), "commit": commit, "split": "development only",
                                        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Development-set DER of the shipped diarization settings for different CAM++ embedding windows.

    nice -n 5 .venv/bin/python benchmarks/embedding_window_dev.py 3.0,2.0 2.0,1.5 [--json benchmarks/results/embedding_window_dev.json]

Each argument is ``embed_max_s,embed_min_s``; everything else is ``DiarizationParams()``. Uses the
development cases and the cached local segmentation / embeddings of ``diarization_tune.py`` (dev
LibriSpeech conversations, pyannote AMI excerpts + sample and their sparse versions; no held-out set).
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
    args = [a for a in sys.argv[1:] if not a.startswith("--json")]
    out_path = None
    if "--json" in sys.argv:
        out_path = Path(sys.argv[sys.argv.index("--json") + 1])
        args = [a for a in args if a != str(out_path)]
    cases = dt.dev_cases()
    refs = {(c, u): read_rttm(r)[u] for c, u, _, r in cases}
    rows = []
    for spec in args:
        mx, mn = map(float, spec.split(","))
        p = replace(DiarizationParams(), embed_max_s=mx, embed_min_s=mn)
        t = time.process_time()
        locals_ = {(c, u): dt.local_for(w, p.step_s, p) for c, u, w, _ in cases}
        cpu = time.process_time() - t
        per = {}
        for (c, u), loc in locals_.items():
            d = diarize_local(np.zeros(1, dtype=np.float32), params=p, local=loc)
            hyp = [(x.start, x.end, x.speaker) for x in d.turns]
            r0 = der(refs[(c, u)], hyp, collar=0.0, uem=(0.0, loc[0].duration))
            r25 = der(refs[(c, u)], hyp, collar=0.25, uem=(0.0, loc[0].duration))
            per[f"{c}/{u}"] = (r0.der, r25.der, len({s for *_, s in refs[(c, u)]}) == len(d.centroids))
        row: dict = {"embed_max_s": mx, "embed_min_s": mn, "embedding_cpu_s": round(cpu, 1)}
        for g, pre in (("ami", "pyannote"), ("sparse", "ami-sparse"), ("libri", "libri")):
            vals = [v for k, v in per.items() if k.startswith(pre)]
            row[f"{g}_der_c0"] = round(100 * float(np.mean([v[0] for v in vals])), 2)
            row[f"{g}_der_c25"] = round(100 * float(np.mean([v[1] for v in vals])), 2)
            row[f"{g}_count_ok"] = round(float(np.mean([v[2] for v in vals])), 3)
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

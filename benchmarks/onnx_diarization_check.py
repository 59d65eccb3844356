"""The diarization with its networks under ONNX Runtime against torch: same turns, DER and CPU seconds.

    nice -n 10 .venv/bin/python benchmarks/onnx_diarization_check.py --json benchmarks/results/onnx_diarization_check.json

Runs :func:`sessionscope.audio.diarize.diarize` (the configured defaults, one torch / ORT thread)
on every development case of ``benchmarks/diarization_tune.py`` (the pyannote sample, the AMI
development excerpts and their sparse versions, the simulated LibriSpeech development
conversations), first with the ONNX Runtime copies of CAM++ and the segmentation network
(``sessionscope.audio.onnx_models``), then with torch (``SESSIONSCOPE_ONNX=0``), in one process.
Reports per file the DER at collar 0 and the speaker count of each, whether the turns are
identical, and the CPU seconds of each pass (models loaded inside each pass).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from diarization_tune import dev_cases
    from sessionscope import models
    from sessionscope.audio import onnx_models
    from sessionscope.audio import segmentation as seg_mod
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.der import der, read_rttm
    from sessionscope.audio.diarize import diarize, torch_threads

    cases = dev_cases()
    passes: dict[str, dict] = {}
    for mode in ("onnx", "torch"):
        os.environ[onnx_models.ENV_SWITCH] = "1" if mode == "onnx" else "0"
        seg_mod.load_segmentation.cache_clear()
        models._load_campplus_any.cache_clear()
        files = {}
        cpu = time.process_time()
        with torch_threads(1):
            for group, uri, wav, ref in cases:
                d = diarize(load_audio(wav).mono)
                score = der(read_rttm(ref)[uri], [(t.start, t.end, t.speaker) for t in d.turns], collar=0.0)
                files[f"{group}/{uri}"] = {"der_c0": round(score.der, 5), "speakers": len(d.speakers),
                                           "turns": [[t.start, t.end, t.speaker] for t in d.turns]}
        backend = type(seg_mod.load_segmentation()[0]).__name__, type(models.load_campplus()).__name__
        passes[mode] = {"cpu_s": round(time.process_time() - cpu, 2), "networks": backend, "files": files}
        print(mode, passes[mode]["cpu_s"], "CPU s", backend, flush=True)
    keys = list(passes["torch"]["files"])
    identical = [k for k in keys if passes["onnx"]["files"][k]["turns"] == passes["torch"]["files"][k]["turns"]]
    rows = {k: {"der_c0_onnx": passes["onnx"]["files"][k]["der_c0"], "der_c0_torch": passes["torch"]["files"][k]["der_c0"],
                "speakers_onnx": passes["onnx"]["files"][k]["speakers"],
                "speakers_torch": passes["torch"]["files"][k]["speakers"], "identical_turns": k in identical}
            for k in keys}
    for k, r in rows.items():
        print(f"{k:28s} DER c0 onnx {r['der_c0_onnx']:.4f} torch {r['der_c0_torch']:.4f}  speakers "
              f"{r['speakers_onnx']}/{r['speakers_torch']}  identical {r['identical_turns']}")
    summary = {"files": len(keys), "identical_turns": len(identical), "cpu_s_onnx": passes["onnx"]["cpu_s"],
               "cpu_s_torch": passes["torch"]["cpu_s"]}
    print(json.dumps(summary))
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "command": " ".join(["benchmarks/onnx_diarization_check.py", *sys.argv[1:]]), "commit": commit,
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "split": "development (diarization_tune.dev_cases)", "load_average_end": list(os.getloadavg()),
            "summary": summary, "files": rows}, indent=1))
    return 0 if len(identical) == len(keys) else 1


if __name__ == "__main__":
    raise SystemExit(main())

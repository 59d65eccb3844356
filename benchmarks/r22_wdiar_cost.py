"""Round 22 (issue 11): what the seam check (``align.check_seams``) costs in the alignment step.

    nice -n 10 .venv/bin/python benchmarks/r22_wdiar_cost.py --json benchmarks/results/r22_wdiar_cost.json

For each development file of ``r22_wdiar.py`` (transcription and diarization from the result cache),
``pipeline.align_words`` runs with the defaults of ``recognise_step`` (word-backed fill on, re-scoring off)
with the seam check off and on, each ``--repeat`` times; the least wall and CPU seconds of each are kept.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("r22_wdiar", ROOT / "benchmarks" / "r22_wdiar.py")
wd = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
spec.loader.exec_module(wd)  # type: ignore[union-attr]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=list(wd.DEV_SETS))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from sessionscope.audio import align
    from sessionscope.audio.cache import ResultCache
    from sessionscope.audio.pipeline import align_words, decode_step, recognise_step, seed_everything
    from sessionscope.config import load_config

    config = load_config(wd.CONFIG)
    rows: list[dict[str, Any]] = []
    for set_name, uri, wav, _, half in wd.files(args.sets):
        decoded = decode_step(wav)
        seed_everything(decoded.sha256)
        rec = recognise_step(decoded, config=config, language=None, n_people=0, cache=ResultCache())
        row: dict[str, Any] = {"set": set_name, "uri": uri, "half": half, "audio_s": round(decoded.audio.duration_s, 2)}
        for name, seams in (("off", None), ("on", align.SeamParams())):
            wall, cpu = [], []
            for _ in range(args.repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                align_words(rec.asr, rec.diarization, decoded.audio.mono, word_fill=align.FillParams(), seams=seams)
                wall.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
            row[f"wall_s_{name}"], row[f"cpu_s_{name}"] = round(min(wall), 4), round(min(cpu), 4)
        rows.append(row)
        print(json.dumps(row), flush=True)
    audio = sum(r["audio_s"] for r in rows)
    summary = {"files": len(rows), "audio_s": round(audio, 1),
               **{f"{k}_{n}": round(sum(r[f"{k}_{n}"] for r in rows), 2) for k in ("wall_s", "cpu_s") for n in ("off", "on")},
               "extra_cpu_s_per_audio_hour": round(3600 * sum(r["cpu_s_on"] - r["cpu_s_off"] for r in rows) / audio, 1)}
    print(json.dumps(summary, indent=1))
    if args.json:
        args.json.write_text(json.dumps({
            "command": " ".join(["benchmarks/r22_wdiar_cost.py", *sys.argv[1:]]), "commit": wd.git_commit(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "data": "development sets only",
            "summary": summary, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

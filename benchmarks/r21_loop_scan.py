"""Would longer repetition units change any cached transcription? The check behind ``hallucination.LOOP_MAX_WORDS``.

    .venv/bin/python benchmarks/r21_loop_scan.py --json benchmarks/results/r21_loop_scan_cache.json

Reads every transcription in this machine's result cache (``sessionscope.models.cache_dir("results")/asr``:
whatever `run` and the benchmarks transcribed here, already through the filter of its day) and counts the
segments where :func:`~sessionscope.audio.hallucination.collapse_loops` with units of up to ``--max-n`` words
removes more than with units of up to 10 (the limit before round 21).
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
from pathlib import Path

from sessionscope.audio.cache import asr_from_dict
from sessionscope.audio.hallucination import collapse_loops
from sessionscope.models import cache_dir


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-n", type=int, default=40)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    files = sorted(p for p in (cache_dir("results") / "asr").rglob("*") if p.suffix in (".json", ".gz"))
    n_files = n_segments = 0
    changed: list[dict] = []
    for f in files:
        try:
            result = asr_from_dict(json.load(gzip.open(f) if f.suffix == ".gz" else open(f)))
        except (OSError, ValueError, KeyError, TypeError):
            continue
        n_files += 1
        for seg in result.segments:
            n_segments += 1
            if len(collapse_loops(seg.words, max_n=args.max_n)[0]) < len(collapse_loops(seg.words, max_n=10)[0]):
                changed.append({"file": f.name, "start": seg.start, "text": seg.text[:200]})
    out = {"commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip(),
           "data": "this machine's transcription cache", "max_n": args.max_n, "files": n_files,
           "segments": n_segments, "segments_changed": len(changed), "changed": changed}
    print(json.dumps({k: v for k, v in out.items() if k != "changed"}))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()

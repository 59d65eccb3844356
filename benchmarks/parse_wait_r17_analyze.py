"""Round 17 (issue 11): how long the ``analyze`` main process waits for its parse helper, before and after.

Usage (from the repository root)::

    python benchmarks/parse_wait_r17_analyze.py --before <src> --after <src> --pairs 3 \\
        --out benchmarks/results/parse_wait_r17_analyze.json

On the 60-minute AMI transcript of ``analyze_speed.py`` (built at run time from AMI *dev* meetings), a child
process runs ``sessionscope analyze`` in-process with ``nlp.parse_texts`` (the extraction stage's call that
takes the helper's parse) wrapped: when it was called (wall and main-process CPU seconds since the child's
start) and how long it waited (wall) for the helper's result, and the run's end. Alternating ``--before`` and
``--after`` (each first on ``PYTHONPATH``). A wait > 0 on an idle machine means the helper is the critical
path there; on a shared box both processes compete with other loads, so the figures are only indicative.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

_CHILD = r'''
import json, os, sys, tempfile, time
T0w, T0c = time.perf_counter(), time.process_time()
from sessionscope.language import nlp
import sessionscope.analysis.extract.stage as S
orig, rec = nlp.parse_texts, {"waits": []}
def timed(texts, *, language=None):
    w, c = time.perf_counter(), time.process_time()
    r = orig(texts, language=language)
    rec["waits"].append({"at_wall": round(w - T0w, 3), "at_main_cpu": round(c - T0c, 3),
                         "wait_wall": round(time.perf_counter() - w, 3)})
    return r
nlp.parse_texts = S.parse_texts = timed
from sessionscope.cli import cli
try:
    cli.main(["analyze", sys.argv[1], "--out", tempfile.mkdtemp() + "/o"], standalone_mode=False)
except SystemExit:
    pass
rec["end_wall"], rec["end_main_cpu"] = round(time.perf_counter() - T0w, 3), round(time.process_time() - T0c, 3)
print(json.dumps(rec))
'''


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--before", type=Path, required=True)
    ap.add_argument("--after", type=Path, required=True)
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    import analyze_speed as A

    result: dict = {"command": "python " + " ".join([Path(__file__).relative_to(ROOT).as_posix(), *sys.argv[1:]]),
                    "commit": subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                                             text=True).stdout.strip(),
                    "cpu_model": A.cpu_model(), "data": "AMI dev meetings (analyze_speed.py's 60-minute STM)",
                    "before": [], "after": []}
    with tempfile.TemporaryDirectory() as tmp:
        stm = Path(tmp) / "meeting60.stm"
        result["transcript"] = A.build_stm(stm)
        base = {**os.environ, "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pyc")}
        base.pop("PYTHONDONTWRITEBYTECODE", None)
        for side in ("before", "after"):  # warm-up: bytecode
            env = {**base, "PYTHONPATH": str(getattr(args, side))}
            subprocess.run([sys.executable, "-c", _CHILD, str(stm)], env=env, capture_output=True, check=True)
        for _ in range(args.pairs):
            for side in ("before", "after"):
                env = {**base, "PYTHONPATH": str(getattr(args, side))}
                load = os.getloadavg()[0]
                p = subprocess.run([sys.executable, "-c", _CHILD, str(stm)], env=env, capture_output=True,
                                   text=True, check=True)
                row = json.loads(p.stdout.strip().splitlines()[-1])
                row["loadavg_1min"] = round(load, 1)
                result[side].append(row)
                print(side, row, file=sys.stderr)
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

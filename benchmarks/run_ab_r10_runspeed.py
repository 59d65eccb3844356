"""Alternated A/B of ``sessionscope run`` (issue 11, round 10, runspeed): CPU and wall seconds per variant,
fresh processes, same recording, outputs compared.

    nice -n 10 .venv/bin/python benchmarks/run_ab_r10_runspeed.py --minutes 5 --repeats 3 \
        --variant 'base:PYTHONPATH=/tmp/r10/base/src' --variant 'head:' --json benchmarks/results/X.json

Each ``--variant NAME:ENV=VALUE,ENV=VALUE`` (empty: as is) is one way of running ``run`` (a code via
``PYTHONPATH``, an environment switch); the variants run one after the other inside each repeat, the order
rotated per repeat. ``--language en`` and ``--asr`` (faster-whisper alone, as ``speed_run.py`` times it) are
optional. Reported per variant: medians of wall / CPU / sys seconds, the per-stage CPU seconds that ``run``
records (``extra.audio.cpu_s``), and whether every ``session.json`` (timings left out), ``speakers.rttm`` and
report file equals the first variant's first run byte for byte (``provenance.resume_key.code``, the hash of
the source code, left out).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import speed_run  # noqa: E402  (the recording, the timing wrapper and the session.json comparison)

ROOT = Path(__file__).resolve().parents[1]


def _outputs(out: Path) -> dict[str, str]:
    """Hash of every output file (session.json without its timing fields)."""
    res = {}
    for f in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = str(f.relative_to(out))
        if f.name == "session.json":
            data = json.loads(f.read_text())
            data.get("provenance", {}).get("resume_key", {}).pop("code", None)  # the hash of the code itself
            data = speed_run._strip_timings(data)
            res[rel] = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]
        elif f.name in ("batch.json",) or f.name.startswith("."):
            continue
        else:
            res[rel] = hashlib.sha256(f.read_bytes()).hexdigest()[:16]
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=5)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--variant", action="append", required=True)
    ap.add_argument("--language", default=None)
    ap.add_argument("--asr", action="store_true", help="also time faster-whisper alone each repeat")
    ap.add_argument("--wav", type=Path, help="use this recording instead of building one")
    ap.add_argument("--keep", type=Path, help="keep every run's output folder under this folder")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    variants = []
    for v in args.variant:
        name, _, envs = v.partition(":")
        env = dict(kv.split("=", 1) for kv in envs.split(",") if kv)
        variants.append((name, env))
    load_start = os.getloadavg()
    runs: dict[str, list[dict]] = {n: [] for n, _ in variants}
    runs["asr"] = []
    ref: dict[str, str] | None = None
    diffs: dict[str, list[str]] = {n: [] for n, _ in variants}
    with tempfile.TemporaryDirectory() as tmp:
        wav = args.wav or Path(tmp) / "recording.wav"
        if args.wav is None:
            speed_run.build(args.minutes, wav)
        script = Path(tmp) / "asr_alone.py"
        script.write_text(speed_run.ASR_ALONE)
        for i in range(args.repeats):
            order = variants[i % len(variants):] + variants[: i % len(variants)]
            for name, env in order:
                out = (args.keep or Path(tmp)) / f"out{i}{name}"
                lang = ["--language", args.language] if args.language else []
                r = speed_run.timed([str(Path(speed_run.PY).parent / "sessionscope"), "run", str(wav), "--out", str(out),
                                     "--no-cache", "--no-progress", "--force", *lang], ROOT, env)
                sj = json.loads(next(out.rglob("session.json")).read_text())
                extra = sj.get("extra", {}).get("audio", {})
                r.update(audio_cpu_s=extra.get("cpu_s"), audio_wall_s=extra.get("wall_s"),
                         concurrent=extra.get("concurrent_recognition"),
                         load=round(os.getloadavg()[0], 2),
                         stages={s["name"]: s["seconds"] for s in (sj.get("provenance") or {}).get("stage_runs") or []})
                hashes = _outputs(out)
                if ref is None:
                    ref = hashes
                d = sorted(k for k in set(ref) | set(hashes) if ref.get(k) != hashes.get(k))
                diffs[name] += [f"repeat {i}: {k}" for k in d]
                runs[name].append(r)
                print(i, name, json.dumps({k: r[k] for k in ("wall_s", "cpu_s", "sys_s", "concurrent", "load")}),
                      json.dumps(r["audio_cpu_s"]), "identical" if not d else f"DIFFERENT {d}", flush=True)
            if args.asr:
                runs["asr"].append(speed_run.timed([speed_run.PY, str(script), str(wav), "",
                                                    "en" if args.language == "en" else ""], ROOT))
                print(i, "asr", runs["asr"][-1], flush=True)
    summary = {}
    for name, rs in runs.items():
        if not rs:
            continue
        med = {k: round(statistics.median(r[k] for r in rs), 3) for k in ("wall_s", "cpu_s", "sys_s", "max_rss_mb")}
        if name != "asr":
            keys = sorted({k for r in rs for k in (r.get("audio_cpu_s") or {})})
            med["audio_cpu_s"] = {k: round(statistics.median((r.get("audio_cpu_s") or {}).get(k, 0.0) for r in rs), 3)
                                  for k in keys}
            med["identical_outputs"] = not diffs[name]
        summary[name] = med
    print(json.dumps(summary, indent=1))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"command": " ".join(["benchmarks/run_ab_r10_runspeed.py", *sys.argv[1:]]),
                                         "date_utc": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                         "variants": dict(variants), "load_average_start": [round(x, 2) for x in load_start],
                                         "load_average_end": [round(x, 2) for x in os.getloadavg()],
                                         "summary": summary, "differences": diffs, "runs": runs}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The diarization alone, as `run` calls it, on development sets: its turns, their DER and the speaker count, and
the CPU seconds (round 26, issue 11, helper "speed"). A cheap check that a change of the diarization's code keeps its
output (``compare``: which files' turns and centroids differ between two JSON files of this script) or how it moves
the diarization-turn DER (the ``diar_der`` columns of ``benchmarks/diarization_der.py``, without transcribing).

    PYTHONPATH=<tree>/src nice -n 10 .venv/bin/python benchmarks/r26_diar_replay_speed.py run \\
        --sets conv/dev_r19 farfield pyannote-ami --config benchmarks/configs/tiny_en.yaml --json A.json
    .venv/bin/python benchmarks/r26_diar_replay_speed.py compare A.json B.json

Sets as in ``diarization_der.py`` (development only: ``conv/dev_r19``, ``farfield``, ``farfield2``, ``pyannote-ami``,
``libri-dev``; the held-out ``ami`` / ``libri-report`` are refused). DER: md-eval convention, overlap scored, collar 0
and 0.25 s, over the whole file; the count is right when the turns have the reference's number of speakers.
"""
from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
HELD_OUT = {"ami", "libri-report"}


def run(args: argparse.Namespace) -> int:
    from diarization_der import cases
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.der import der, read_rttm
    from sessionscope.audio.diarize import diarize
    from sessionscope.audio.pipeline import diarization_settings
    from sessionscope.config import load_config

    if set(args.sets) & HELD_OUT:
        raise SystemExit(f"held-out sets are not replayed here: {sorted(set(args.sets) & HELD_OUT)}")
    config = load_config(args.config)
    dc = config.diarization
    params = diarization_settings(config)
    for item in args.param:  # e.g. finer_keep_frac=0.8
        key, value = item.split("=", 1)
        params = dataclasses.replace(params, **{key: type(getattr(params, key))(value)})
    rows: list[dict[str, Any]] = []
    for set_name in args.sets:
        for uri, wav, rttm in cases(set_name):
            ref = read_rttm(rttm)[uri]
            audio = load_audio(wav)
            c0 = time.process_time()
            d = diarize(audio.mono, min_speakers=dc.min_speakers, max_speakers=max(dc.min_speakers, dc.max_speakers),
                        window_s=dc.window_s, step_s=dc.step_s, merge_threshold=dc.merge_threshold,
                        vad_threshold=dc.vad_threshold, segmentation=dc.segmentation, params=params)
            cpu = time.process_time() - c0
            hyp = [(t.start, t.end, t.speaker) for t in d.turns]
            digest = hashlib.sha256(json.dumps([hyp, d.centroids]).encode()).hexdigest()[:16]
            row: dict[str, Any] = {"set": set_name, "uri": uri, "ref_speakers": len({x for *_, x in ref}),
                                   "hyp_speakers": len(d.centroids), "turns": len(hyp), "sha": digest,
                                   "cpu_s": round(cpu, 3), "audio_s": round(audio.duration_s, 1)}
            for collar in (0.0, 0.25):
                r = der(ref, hyp, collar=collar, uem=(0.0, audio.duration_s))
                row[f"diar_der_c{collar}"] = round(100 * r.der, 2)
            rows.append(row)
            print(json.dumps(row), flush=True)
    summary = {}
    for set_name in args.sets:
        rs = [r for r in rows if r["set"] == set_name]
        summary[set_name] = {"files": len(rs),
                             **{k: round(float(np.mean([r[k] for r in rs])), 3) for k in ("diar_der_c0.0", "diar_der_c0.25")},
                             "count_right": sum(r["ref_speakers"] == r["hyp_speakers"] for r in rs),
                             "cpu_s": round(sum(r["cpu_s"] for r in rs), 2)}
    print(json.dumps(summary, indent=1))
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        import sessionscope

        args.json.write_text(json.dumps({
            "command": " ".join(["benchmarks/r26_diar_replay_speed.py", *sys.argv[1:]]), "commit": commit,
            "sessionscope_file": sessionscope.__file__, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "data": "development", "config": str(args.config or "defaults"), "params": args.param, "load_average": os.getloadavg(),
            "summary": summary, "rows": rows}, indent=1))
    return 0


def compare(args: argparse.Namespace) -> int:
    a, b = (json.loads(Path(p).read_text()) for p in (args.a, args.b))
    rb = {(r["set"], r["uri"]): r for r in b["rows"]}
    diff = [f"{s}/{u}" for (s, u) in ((r["set"], r["uri"]) for r in a["rows"]) if rb.get((s, u), {}).get("sha")
            != next(r["sha"] for r in a["rows"] if (r["set"], r["uri"]) == (s, u))]
    out = {"files": len(a["rows"]), "identical": len(a["rows"]) - len(diff), "different": diff,
           "summary_a": a["summary"], "summary_b": b["summary"]}
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.write_text(json.dumps({"command": " ".join(["benchmarks/r26_diar_replay_speed.py", *sys.argv[1:]]),
                                         **out}, indent=1))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--sets", nargs="+", default=["conv/dev_r19", "farfield", "pyannote-ami"])
    r.add_argument("--config", type=Path)
    r.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="a DiarizationParams field set after the configuration's (e.g. finer_keep_frac=0.8)")
    r.add_argument("--json", type=Path)
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    c.add_argument("--json", type=Path)
    args = ap.parse_args()
    return run(args) if args.cmd == "run" else compare(args)


if __name__ == "__main__":
    raise SystemExit(main())

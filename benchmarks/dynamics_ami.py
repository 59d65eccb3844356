"""Conversation dynamics on real meetings: the AMI diarization references (RTTM, no audio).

Reads every RTTM in ``../shared/data/ami-rttm-reference`` (about 21 h of 4-person
meetings), computes the dynamics, and reports (1) speed: meeting hours analysed per
second of CPU on this machine, (2) the distribution of the balance measures, as a
sanity check against what is known of AMI (scenario meetings with a project manager
who tends to talk most).

    .venv/bin/python benchmarks/dynamics_ami.py [--data ../shared/data/ami-rttm-reference]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sessionscope.analysis.dynamics import compute_metrics
from sessionscope.config import DynamicsConfig
from sessionscope.io import read_transcript

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "ami-rttm-reference")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "dynamics_ami.json")
    args = ap.parse_args()
    files = sorted(args.data.rglob("*.rttm"))
    if not files:
        raise SystemExit(f"no RTTM files under {args.data}")
    cfg = DynamicsConfig()
    t_read = t_dyn = 0.0
    hours = 0.0
    rows = []
    for f in files:
        t0 = time.perf_counter()
        s = read_transcript(f)
        t1 = time.perf_counter()
        m = compute_metrics(s, cfg)
        t2 = time.perf_counter()
        t_read += t1 - t0
        t_dyn += t2 - t1
        dur = m.session["duration_s"] or 0.0
        hours += dur / 3600
        rows.append((f.stem, dur, m.session["balance_score"], m.session["talk_time_gini"],
                     m.session["turn_taking_index"], m.session["overlap_share"], m.session["interruptions"],
                     m.session["speaker_switches_per_min"], m.session["pauses"] / max(dur / 60, 1e-9),
                     m.session["backchannels"], len(m.turns), len(s.utterances)))
    print(f"meetings: {len(rows)}   meeting time: {hours:.1f} h   segments: {sum(r[-1] for r in rows)}")
    print(f"read RTTM: {t_read:.2f} s   dynamics: {t_dyn:.2f} s   -> {hours / max(t_dyn, 1e-9):.0f} meeting-hours per second (dynamics)")
    summary = {}
    for name, idx in (("balance score (max talk share)", 2), ("talk-time Gini", 3), ("turn-taking index", 4),
                      ("overlap share of speech", 5), ("interruptions per meeting", 6), ("speaker switches / min", 7),
                      ("pauses / min", 8), ("backchannels per meeting", 9), ("turns per meeting", 10)):
        vals = [r[idx] for r in rows if r[idx] is not None]
        q = statistics.quantiles(vals, n=4)
        summary[name] = {"median": round(statistics.median(vals), 3), "q1": round(q[0], 3), "q3": round(q[2], 3),
                         "min": round(min(vals), 3), "max": round(max(vals), 3)}
        print(f"{name:32s} median {statistics.median(vals):7.3f}   IQR {q[0]:7.3f} – {q[2]:7.3f}   "
              f"min {min(vals):7.3f}   max {max(vals):7.3f}")
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "command": "python benchmarks/dynamics_ami.py " + " ".join(sys.argv[1:]), "commit": commit,
        "data": "ami-rttm-reference (all RTTMs)", "meetings": len(rows), "hours": round(hours, 2),
        "dynamics_s": round(t_dyn, 2), "loadavg_1min": round(os.getloadavg()[0], 1), "summary": summary,
        "per_meeting": [dict(zip(("meeting", "duration_s", "balance_score", "talk_time_gini", "turn_taking_index",
                                  "overlap_share", "interruptions", "speaker_switches_per_min", "pauses_per_min",
                                  "backchannels", "turns", "segments"), r, strict=True)) for r in rows],
    }, indent=1))


if __name__ == "__main__":
    main()

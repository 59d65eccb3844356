"""Round 19 (vcall): the split-off embeddings against the rest, from ``r19_vcall_probe.py``'s rows (development
only). An embedding is ``split`` when its cluster is the main cluster of no reference speaker (the main cluster of a
speaker: the one holding most of its embeddings); the others are its speaker's main cluster's, remote (the
Opus-coded side of the video call) or local.

    .venv/bin/python benchmarks/r19_vcall_stats.py zoom clean laptop opus24 --json benchmarks/results/r19_vcall_probe_stats.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("conditions", nargs="+")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    out = {}
    for cond in args.conditions:
        d = json.loads((ROOT / f"benchmarks/results/r19_vcall_probe_{cond}.json").read_text())
        groups: dict[str, list[tuple[float, ...]]] = {"split": [], "main_remote": [], "main_local": []}
        for f in d["files"]:
            rows = [r for r in f["rows"] if r["trainable"] and r["owner"] != "none"]
            owners = {r["owner"] for r in rows}
            main_c = {o: max({r["cluster"] for r in rows if r["owner"] == o},
                             key=lambda c, o=o: sum(1 for r in rows if r["owner"] == o and r["cluster"] == c))
                      for o in owners}
            used = set(main_c.values())
            med = {o: float(np.median([r["level_db"] for r in rows if r["owner"] == o])) for o in owners}
            for r in rows:
                o = r["owner"]
                if r["cluster"] != main_c[o] and r["cluster"] in used:
                    continue  # in the other speaker's cluster: confusion, not a split
                g = "split" if r["cluster"] != main_c[o] else ("main_remote" if o in f["remote"] else "main_local")
                tp = r["turn"]
                groups[g].append((r["clean_s"], r["level_db"] - med[o], r["ref_overlap"],
                                  min(tp["from_start"], tp["to_end"]) if tp else -1.0, tp["turn_s"] if tp else -1.0))
        res = {}
        for g, v in groups.items():
            if not v:
                continue
            a = np.array(v)
            inside = a[:, 3] >= 0
            res[g] = {"embeddings": len(a), "clean_s_median": round(float(np.median(a[:, 0])), 2),
                      "clean_under_1.5s": round(float(np.mean(a[:, 0] < 1.5)), 2),
                      "level_vs_speaker_median_db": round(float(np.median(a[:, 1])), 1),
                      "with_double_talk": round(float(np.mean(a[:, 2] > 0)), 2),
                      "inside_a_turn": round(float(np.mean(inside)), 2),
                      "distance_to_turn_edge_s_median": round(float(np.median(a[inside, 3])), 2) if inside.any() else None,
                      "turn_s_median": round(float(np.median(a[inside, 4])), 2) if inside.any() else None}
        out[cond] = res
        print(cond, json.dumps(res), flush=True)
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.write_text(json.dumps({"command": " ".join(["benchmarks/r19_vcall_stats.py", *sys.argv[1:]]),
                                         "commit": commit, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                         "data": "development (dev_r19_calls_*)", "conditions": out}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

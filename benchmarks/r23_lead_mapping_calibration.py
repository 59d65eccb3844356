"""Round 23 (lead): what a voiceprint mapping's margin says about whether it is right — the table behind
``Quality.speaker_mapping_confidence``.

Before round 23 the report showed the smallest cosine margin of a voiceprint mapping (own print minus the best rival)
as "Certainty of the speaker mapping" in per cent: a development pair's right mapping read "14 %". A margin is a
separation, not a probability. This script measures how often a mapping by voiceprint is right at each margin, on
simulated sessions of the 4 LibriSpeech development readers (CAM++ centroids of `r21_pairvoice_centroids.json`:
clean, telephone, video-call, Opus and laptop conditions mixed; sessions drawn as in `r22_pairvoice_camps.py`, the
prints from the pair's first session, each later session mapped with `identify.map_speakers` at the default
threshold, the first speaker random). Bins of the margin were fixed before the counts: 0, 0.02, 0.05, 0.1, 0.2, 0.3.
Per bin: the share right and its Wilson 95 % lower bound; the shipped confidence is that lower bound, made
non-decreasing in the margin, from the ``choose`` draws (seed 20261223); the ``confirm`` draws (another seed) say
whether the table holds on fresh draws of the same voices.

    .venv/bin/python benchmarks/r23_lead_mapping_calibration.py --centroids benchmarks/results/r21_pairvoice_centroids.json \\
        --json benchmarks/results/r23_lead_mapping_calibration.json
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

EDGES = (0.0, 0.02, 0.05, 0.1, 0.2, 0.3)


def wilson_lower(k: int, n: int, z: float = 1.96) -> float:
    if n == 0:
        return 0.0
    p = k / n
    return (p + z * z / (2 * n) - z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n)


def bins(rows: list[tuple[float, bool]]) -> list[dict[str, float]]:
    out = []
    for i, lo in enumerate(EDGES):
        hi = EDGES[i + 1] if i + 1 < len(EDGES) else math.inf
        sel = [r for m, r in rows if lo <= m < hi]
        out.append({"from": lo, "to": hi if hi != math.inf else None, "n": len(sel), "right": int(sum(sel)),
                    "share_right": round(sum(sel) / len(sel), 4) if sel else None,
                    "wilson_lower_95": round(wilson_lower(int(sum(sel)), len(sel)), 4)})
    return out


def draw_rows(pool: dict, seed: int, draws: int, sessions: int) -> list[tuple[float, bool]]:
    from r22_pairvoice_camps import map_later, pair_draws
    from sessionscope.config import Config

    threshold = Config().participants.voiceprint_threshold
    rng = np.random.default_rng(seed)
    rows: list[tuple[float, bool]] = []
    for _, _, s in pair_draws(pool, sessions, draws, rng):
        ids = sorted(s)
        prints = {"a": s[ids[0]]["a"], "b": s[ids[0]]["b"]}
        for sid in ids[1:]:
            m, right, _ = map_later(s[sid], prints, rng, threshold=threshold)
            if m.method == "voiceprint" and m.margin is not None:
                rows.append((m.margin, right))
    return rows


def main() -> int:
    from r22_pairvoice_camps import load_pool

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--centroids", type=Path, required=True)
    ap.add_argument("--json", type=Path, required=True)
    ap.add_argument("--draws", type=int, default=400)
    ap.add_argument("--sessions", type=int, default=4)
    args = ap.parse_args()
    _, pool = load_pool(args.centroids)
    res: dict = {}
    for name, seed in (("choose", 20261223), ("confirm", 20261224)):
        rows = draw_rows(pool, seed, args.draws, args.sessions)
        res[name] = {"seed": seed, "mappings": len(rows), "wrong": sum(not r for _, r in rows), "bins": bins(rows)}
    table, best = [], 0.0
    for b in res["choose"]["bins"]:
        best = max(best, b["wilson_lower_95"])
        table.append([b["from"], round(best, 3)])
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    out = {"commit": commit, "split": "dev (LibriSpeech development readers; centroids of dev_r19 and dev_r19_calls_*)",
           "command": " ".join(["benchmarks/r23_lead_mapping_calibration.py", *sys.argv[1:]]),
           "draws_per_reader_pair": args.draws, "sessions_per_pair": args.sessions, "edges": list(EDGES),
           "shipped_table": table, **res}
    args.json.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps({"table": table, **{k: {"wrong": v["wrong"], "n": v["mappings"],
                                               "bins": [(b["from"], b["n"], b["share_right"], b["wilson_lower_95"])
                                                        for b in v["bins"]]} for k, v in res.items()}}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

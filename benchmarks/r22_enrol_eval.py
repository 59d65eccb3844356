"""Round 22 (lead): after one session of a pair is confirmed by hand (`sessionscope remap`, which now folds its voices
into the pair's voiceprints), how are the pair's later sessions mapped?

Development data only: CAM++ centroids of the 4 LibriSpeech development readers (`r21_pairvoice_centroids.json`;
clean, telephone, video-call, Opus and laptop conditions). Sessions are drawn as in `r22_pairvoice_camps.py`
(each voice from another conversation, none used twice in a pair). Session 0 is confirmed: its two voices become
the voiceprints; every later session is mapped with :func:`sessionscope.audio.identify.map_speakers` (voiceprint
threshold as configured by default), its voices given in a random order of first speech. Counted: mapped by
voice and right, by voice and wrong, left to the order-of-first-speech guess. With ``--fold`` every later session
mapped by voice is folded into the prints too (as `run` does for voiceprint matches).

    .venv/bin/python benchmarks/r22_enrol_eval.py --centroids benchmarks/results/r21_pairvoice_centroids.json --fold-min 0 0.1 0.2 0.3 0.4 \\
        --json benchmarks/results/r22_enrol_eval.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> int:
    from r22_pairvoice_camps import load_pool, map_later, pair_draws
    from sessionscope.config import Config

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--centroids", type=Path, required=True)
    ap.add_argument("--json", type=Path, required=True)
    ap.add_argument("--draws", type=int, default=100)
    ap.add_argument("--sessions", type=int, default=4)
    ap.add_argument("--seed", type=int, default=20261205)
    ap.add_argument("--fold-min", nargs="+", type=float, default=[0.0],
                    help="fold a later voice match into the prints only when its margin (mapping confidence) is at least this")
    args = ap.parse_args()
    threshold = Config().participants.voiceprint_threshold
    data, pool = load_pool(args.centroids)
    out: dict[str, dict[str, int]] = {}
    for fold in [None, *args.fold_min]:
        rng = np.random.default_rng(args.seed)  # the same sessions for every setting
        counts = {"voice_right": 0, "voice_wrong": 0, "guess": 0, "guess_right": 0}
        for _, _, sessions in pair_draws(pool, args.sessions, args.draws, rng):
            ids = sorted(sessions)
            prints = {"a": [sessions[ids[0]]["a"]], "b": [sessions[ids[0]]["b"]]}
            for sid in ids[1:]:
                m, right, labels = map_later(sessions[sid], {p: np.mean(v, axis=0) for p, v in prints.items()}, rng,
                                             threshold=threshold)
                if m.method == "voiceprint":
                    counts["voice_right" if right else "voice_wrong"] += 1
                    if fold is not None and (m.margin or 0.0) >= fold:  # the raw margin (round 23: confidence is calibrated)
                        for lab, pid in m.speaker_map.items():
                            prints[pid].append(sessions[sid][labels[lab]])
                else:
                    counts["guess"] += 1
                    counts["guess_right"] += int(right)
        out["confirmed_session_only" if fold is None else f"fold_matches_margin_{fold:g}"] = counts
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    res = {"commit": commit, "split": "dev (LibriSpeech development readers; centroids of dev_r19 and dev_r19_calls_*)",
           "command": " ".join(["benchmarks/r22_enrol_eval.py", *sys.argv[1:]]), "voiceprint_threshold": threshold,
           "sessions_per_pair": args.sessions, "draws_per_reader_pair": args.draws, "results": out}
    args.json.write_text(json.dumps(res, indent=1) + "\n")
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

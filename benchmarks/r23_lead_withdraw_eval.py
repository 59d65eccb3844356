"""Round 23 (lead): a pair's first session mapped the wrong way round by an introduction, then corrected by hand.

`run` folds the voices of a session mapped by introduction into the pair's voiceprints. When the introduction was
misheard (each voice given to the other participant), both prints start out wrong, and the pair's later sessions
are then matched by voice, the wrong way. The user corrects the session with `sessionscope remap` (both labels
named). Before round 23, the remap could not take the wrong voices out (a print was a running mean, and a session
already in it was not folded in again); since then each print keeps its sessions' voices apart and the correction
replaces them. How are the pair's later sessions mapped afterwards?

Development data only: the CAM++ centroids of the 4 LibriSpeech development readers (`r21_pairvoice_centroids.json`),
sessions drawn as in `r22_pairvoice_camps.py`. The real `VoiceprintStore` and `enrol_confirmed` run in a temporary
folder; run it with the round-start code to get "before":

    .venv/bin/python benchmarks/r23_lead_withdraw_eval.py --centroids benchmarks/results/r21_pairvoice_centroids.json \\
        --json benchmarks/results/r23_lead_withdraw_eval_after.json
    PYTHONPATH=<worktree of ec3b957>/src .venv/bin/python benchmarks/r23_lead_withdraw_eval.py ... --json ..._before.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> int:
    import sessionscope
    from r22_pairvoice_camps import load_pool, map_later, pair_draws
    from sessionscope.audio.identify import VoiceprintStore
    from sessionscope.config import Config
    from sessionscope.model import Session
    from sessionscope.remapping import enrol_confirmed

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--centroids", type=Path, required=True)
    ap.add_argument("--json", type=Path, required=True)
    ap.add_argument("--draws", type=int, default=100)
    ap.add_argument("--sessions", type=int, default=4)
    ap.add_argument("--seed", type=int, default=20261205)
    args = ap.parse_args()
    threshold = Config().participants.voiceprint_threshold
    _, pool = load_pool(args.centroids)
    out: dict[str, dict[str, int]] = {}
    for remap in (False, True):
        rng = np.random.default_rng(args.seed)  # the same sessions both ways
        counts = {"voice_right": 0, "voice_wrong": 0, "guess": 0}
        for _, _, sessions in pair_draws(pool, args.sessions, args.draws, rng):
            ids = sorted(sessions)
            with tempfile.TemporaryDirectory() as tmp:
                store = VoiceprintStore(tmp)
                s0 = sessions[ids[0]]
                store.save_session("pair", ids[0], {"SPEAKER_00": s0["a"], "SPEAKER_01": s0["b"]})
                # the misheard introduction: SPEAKER_00 (A's voice) -> b, SPEAKER_01 (B's voice) -> a; run folds both
                store.save("pair", "b", s0["a"].tolist(), session_id=ids[0])
                store.save("pair", "a", s0["b"].tolist(), session_id=ids[0])
                if remap:  # `sessionscope remap s0 --speaker SPEAKER_00=a --speaker SPEAKER_01=b`
                    fixed = Session(id=ids[0], pair_id="pair",
                                    extra={"audio": {"speaker_map": {"SPEAKER_00": "a", "SPEAKER_01": "b"}}})
                    enrol_confirmed(fixed, ["SPEAKER_00", "SPEAKER_01"], tmp)
                prints = store.load("pair", ["a", "b"])
                for sid in ids[1:]:
                    m, right, _ = map_later(sessions[sid], prints, rng, threshold=threshold)
                    if m.method == "voiceprint":
                        counts["voice_right" if right else "voice_wrong"] += 1
                    else:
                        counts["guess"] += 1
        out["after_remap" if remap else "no_remap"] = counts
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    res = {"commit": commit, "code": str(Path(sessionscope.__file__).parent),
           "split": "dev (LibriSpeech development readers; centroids of dev_r19 and dev_r19_calls_*)",
           "command": " ".join(["benchmarks/r23_lead_withdraw_eval.py", *sys.argv[1:]]), "voiceprint_threshold": threshold,
           "sessions_per_pair": args.sessions, "draws_per_reader_pair": args.draws, "results": out}
    args.json.write_text(json.dumps(res, indent=1) + "\n")
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Turns on real talk when a line holds only non-speech marks (STM ``<LAUGH>``): before / after (round 16, prog).

A listener's laugh transcribed as ``[laughter]`` never took the floor, but the STM reader removes ``<LAUGH>``
from the text, so such a line fell under the length rule for speech without text (RTTM): a laugh longer
than ``backchannel_max_s_without_text`` (1 s) became a turn. This script counts, per session, the turns,
the turns made of non-speech lines only, backchannels, speaker switches, interruptions and the turn-taking
index on SBCSAE SBC001 and SBC009 (never SBC044) and on the 38 AMI RTTM references (no text: must not move).

    PYTHONPATH=/tmp/r16/base/src .venv/bin/python benchmarks/dynamics_nonspeech_r16_prog.py --out before.json
    .venv/bin/python benchmarks/dynamics_nonspeech_r16_prog.py --out after.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
from pathlib import Path

import sessionscope
from sessionscope.analysis.dynamics import compute_metrics
from sessionscope.config import DynamicsConfig
from sessionscope.io import read_transcript

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def measure(path: Path) -> dict:
    s = read_transcript(path)
    m = compute_metrics(s, DynamicsConfig())
    by_id = {u.id: u for u in s.utterances}
    marks_only = [t for t in m.turns if all(not by_id[i].text.strip() and "nonspeech" in by_id[i].flags
                                            for i in t.utterance_ids)]
    return {"session": path.stem, "turns": len(m.turns), "turns_of_marks_only": len(marks_only),
            "turns_by_speaker": {p: v["turns"] for p, v in m.participants.items()},
            "backchannels": m.session["backchannels"], "speaker_switches": m.session["speaker_switches"],
            "interruptions": m.session["interruptions"], "turn_taking_index": m.session["turn_taking_index"],
            "pauses": m.session["pauses"], "mean_turn_s": {p: v.get("mean_turn_s") for p, v in m.participants.items()}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    sbc = [measure(DATA / "sbcsae-text-refs" / f"{n}.stm") for n in ("SBC001", "SBC009")]
    ami = [measure(f) for f in sorted((DATA / "ami-rttm-reference").rglob("*.rttm"))]
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    res = {"code": str(Path(sessionscope.__file__).parent), "commit_of_tree": commit, "sbcsae": sbc,
           "ami_rttm": {"meetings": len(ami), "turns_total": sum(r["turns"] for r in ami),
                        "turns_median": statistics.median(r["turns"] for r in ami),
                        "backchannels_total": sum(r["backchannels"] for r in ami),
                        "interruptions_total": sum(r["interruptions"] for r in ami),
                        "per_meeting_turns": {r["session"]: r["turns"] for r in ami}}}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, indent=1))
    for r in sbc:
        print(r["session"], "turns", r["turns"], "marks-only turns", r["turns_of_marks_only"], r["turns_by_speaker"],
              "bc", r["backchannels"], "switches", r["speaker_switches"], "interruptions", r["interruptions"],
              "TTI", round(r["turn_taking_index"], 3))
    print("AMI", {k: v for k, v in res["ami_rttm"].items() if k != "per_meeting_turns"})


if __name__ == "__main__":
    main()

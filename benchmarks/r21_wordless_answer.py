"""How long are backchannels and answers? The basis of ``questions.WORDLESS_ANSWER_MIN_S`` (round 21).

    .venv/bin/python benchmarks/r21_wordless_answer.py --json benchmarks/results/r21_wordless_answer_mrda_train.json

MRDA *train* meetings only: durations of backchannel acts (label ``b``) and of the responder's first
non-backchannel act within the next five acts after a question that has a responder. A speech stretch left
without words by the transcription carries only its duration; the question is which of the two it more likely is.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import subprocess
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mrda-dialogue-acts"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path)
    ap.add_argument("--cut", type=float, default=1.0)
    args = ap.parse_args()
    split = {r["meeting"]: r["split"] for r in csv.DictReader(open(DATA / "meetings.csv"))}
    acts = [a for a in map(json.loads, gzip.open(DATA / "dialogue_acts.jsonl.gz")) if split.get(a["meeting"]) == "train"]
    bc = np.array([a["end"] - a["start"] for a in acts if a["label"].split("|")[0].split("^")[0] == "b"])
    ans = []
    for i, a in enumerate(acts):
        if a["question"] and a["responder"]:
            for b in acts[i + 1:i + 6]:
                if b["meeting"] == a["meeting"] and b["speaker"] == a["responder"] and not b["label"].startswith("b"):
                    ans.append(b["end"] - b["start"])
                    break
    an = np.array(ans)
    c = args.cut
    out = {
        "data": "MRDA train meetings", "cut_s": c,
        "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip(),
        "backchannels": {"n": len(bc), "quartiles_s": np.percentile(bc, [25, 50, 75]).round(2).tolist(),
                         "share_under_cut": round(float((bc < c).mean()), 3)},
        "answers": {"n": len(an), "quartiles_s": np.percentile(an, [25, 50, 75]).round(2).tolist(),
                    "share_under_cut": round(float((an < c).mean()), 3)},
        "under_cut_backchannel_share": round(float((bc < c).sum() / ((bc < c).sum() + (an < c).sum())), 3),
        "at_or_over_cut_answer_share": round(float((an >= c).sum() / ((bc >= c).sum() + (an >= c).sum())), 3),
    }
    text = json.dumps(out, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()

"""Round 31 (issue 10): how the corpora spell spoken contractions (why the heads read "gonna" as "going to").

Usage (from the repository root; a few seconds)::

    python benchmarks/r31_spoken_counts.py --out benchmarks/results/r31_spoken_counts.json

Per corpus, the TRAIN acts (``dialogue_acts.meetings(corpus, "train")``) whose text holds "gonna", "going to", "wanna",
"want to", "gotta" as whole words (case ignored), and how many of each carry the corpus' action or recommendation tag.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, meetings, write_result  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

FORMS = ("gonna", "going to", "wanna", "want to", "gotta")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    res: dict = {"command": f"python benchmarks/r31_spoken_counts.py --out {args.out}", "commit": commit(),
                 "date": dt.date.today().isoformat(), "split": "train meetings (held-out 15 % included)"}
    rx = {f: re.compile(rf"\b{f}\b", re.IGNORECASE) for f in FORMS}
    for c in CORPORA:
        acts = [a for v in meetings(c, "train").values() for a in v]
        res[c] = {"acts": len(acts), **{f: {"acts": sum(bool(rx[f].search(a.text)) for a in acts),
                                            "action": sum(bool(rx[f].search(a.text)) and a.action for a in acts),
                                            "recommendation": sum(bool(rx[f].search(a.text)) and a.recommendation for a in acts)}
                                        for f in FORMS}}
    write_result(res, args.out)
    print(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

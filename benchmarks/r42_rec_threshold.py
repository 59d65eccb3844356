"""Round 42 (issue 10): can the recommendation threshold alone bring MRDA to F1 0.55? — a sweep on held-out train
meetings.

The English recommendation stacker (the act tagger's, round 29) decides at one threshold for every session (0.24,
chosen by ``(2·F1_meetings + F1_written) / 3`` out of fold). MRDA and AMI may want different ones. This sweep moves
only that threshold and scores the shipped stage per act on the held-out train meetings (MRDA 6, AMI 16; never dev),
as ``dialogue_acts_eval.py`` scores them: an item counts on the act it was found on.

Usage (repository root; about 4 minutes on 2 cores)::

    python benchmarks/r42_rec_threshold.py --out benchmarks/results/r42_rec_threshold.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, meetings, write_result  # noqa: E402
from dialogue_acts_eval import prf, session_of  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

OFFSETS = (-0.1, -0.05, 0.0, 0.05, 0.1, 0.15)


def sweep() -> dict:
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.model import Session

    stage = ExtractionStage()
    heads = stage._session_heads(Session(id="en", participants=(), utterances=(), language="en"))
    stack = heads.tagger
    k = list(stack.kinds).index("recommendation")
    shipped = float(stack.thresholds[k])
    data = {c: sorted(meetings(c, "heldout").items()) for c in CORPORA}
    rows = []
    try:
        for off in OFFSETS:
            stack.thresholds[k] = shipped + off
            row: dict = {"threshold": round(shipped + off, 3)}
            for corpus, ms in data.items():
                tp = fp = fn = 0
                for name, acts in ms:
                    found = {r.utterance_id for r in stage(session_of(name, acts)).recommendations}
                    for a in acts:
                        hit = a.id in found
                        tp += a.recommendation and hit
                        fp += hit and not a.recommendation
                        fn += a.recommendation and not hit
                row[corpus] = prf(tp, fp, fn)
            rows.append(row)
            print(row["threshold"], {c: row[c]["f1"] for c in data}, file=sys.stderr, flush=True)
    finally:
        stack.thresholds[k] = shipped
    return {"shipped_threshold": shipped, "rows": rows,
            "best": {c: max(rows, key=lambda r, c=c: r[c]["f1"])["threshold"] for c in data}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    res = {"command": f"python benchmarks/r42_rec_threshold.py --out {args.out}", "commit": commit(),
           "date": dt.date.today().isoformat(), "split": "held-out train meetings (MRDA 6, AMI 16)", **sweep()}
    write_result(res, args.out)


if __name__ == "__main__":
    main()

"""Would another rate threshold make the `senior_interrupts_junior` flag agree better with the annotations? (round 51)

The flag (``flags.senior_min_interruptions`` 3, ``flags.senior_interruptions_per_10min`` 2.0, and the other way round
less often) is raised from the tool's interruption count. Since round 50 that count is the cut-off model's, which finds
a third to two fifths of the cut-offs and is right about half the time, so it counts fewer than the annotations hold.
This reads the stored per-meeting rows of ``r50_cutoffs.py`` (MRDA: ``r50_cutoffs_{split}.json``; AMI, the fragment
proxy: ``r51_cutoffs_ami_{split}.json``) and, for every ordered pair of people in every meeting, raises the flag from
the gold cut-offs at the shipped thresholds and from the tool's count at each threshold tried; agreement as true / false
/ missed flags and F1, both corpora pooled.

Usage (from the repository root; seconds; the stored results must exist)::

    python benchmarks/r51_flag_thresholds.py --split heldout --out benchmarks/results/r51_flag_thresholds_heldout.json
    python benchmarks/r51_flag_thresholds.py --split dev --out benchmarks/results/r51_flag_thresholds_dev.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import ROOT, meetings, split_run, write_result  # noqa: E402
from r50_cutoffs import talk_span  # noqa: E402

GOLD = (3, 2.0)  # the shipped flags.senior_min_interruptions, flags.senior_interruptions_per_10min
TRIED = [(n, r) for n in (2, 3) for r in (1.0, 1.25, 1.5, 2.0, 2.5)]


def raised(side: dict[str, Any], a: str, b: str, span_s: float, min_n: int, per_10min: float) -> bool:
    n, back = side["pairs"].get(f"{a}>{b}", 0), side["pairs"].get(f"{b}>{a}", 0)
    return n >= min_n and n / (span_s / 600) >= per_10min and back < n


def agreement(rows: list[dict], spans: dict[str, float], min_n: int, per_10min: float) -> dict[str, int]:
    tp = fp = fn = 0
    for r in rows:
        for a in r["people"]:
            for b in r["people"]:
                if a != b:
                    g = raised(r["gold"], a, b, spans[r["meeting"]], *GOLD)
                    t = raised(r["tool"], a, b, spans[r["meeting"]], min_n, per_10min)
                    tp, fp, fn = tp + (g and t), fp + (t and not g), fn + (g and not t)
    return {"true": tp, "false": fp, "missed": fn}


def main(argv: list[str] | None = None) -> int:
    args, head = split_run(__doc__, argv, "r51_flag_thresholds.py")
    sources = {"mrda": f"r50_cutoffs_{args.split}.json", "ami": f"r51_cutoffs_ami_{args.split}.json"}
    data = {}
    for corpus, name in sources.items():
        rows = json.loads((ROOT / "benchmarks" / "results" / name).read_text(encoding="utf-8"))["rows"]["cutoff"]
        data[corpus] = (rows, {m: talk_span(acts) for m, acts in meetings(corpus, args.split).items()})
    out: dict[str, Any] = {**head, "sources": sources, "gold_thresholds": GOLD, "tried": []}
    for min_n, rate in TRIED:
        per = {c: agreement(rows, spans, min_n, rate) for c, (rows, spans) in data.items()}
        tot = {k: sum(p[k] for p in per.values()) for k in ("true", "false", "missed")}
        f1 = 2 * tot["true"] / max(1, 2 * tot["true"] + tot["false"] + tot["missed"])
        prec = tot["true"] / max(1, tot["true"] + tot["false"])
        out["tried"].append({"min_interruptions": min_n, "per_10min": rate, **per, "pooled": tot,
                             "pooled_precision": round(prec, 3), "pooled_f1": round(f1, 3)})
        print(f"n >= {min_n}, {rate:g} per 10 min: {per} pooled F1 {f1:.3f} precision {prec:.3f}")
    write_result(out, args.out, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The checklist's "concrete cases" share with and without small talk, on the bundled example sessions (round 16, "pair").

The example sessions' gold topic segments (``examples/*/gold.json``) give every segment an area and a mode; their small
talk (``other``) is always ``general``. This script analyses each example transcript (``reference.stm`` with
``examples/manifest-reference.yaml``), then computes the checklist's case/problem share of the session time two ways:
counting ``other`` segments whose mode is case/problem (before round 16) and leaving them out (shipped), against
the same share computed from the gold segments. Usage::

    nice -n 10 .venv/bin/python benchmarks/checklist_cases_r16_pair.py --out benchmarks/results/checklist_cases_r16_pair.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    import sessionscope as ss
    from sessionscope.report.checklist import session_checklist

    rows = {}
    for name in ("en_session", "ru_session"):
        gold = json.loads((ROOT / "examples" / name / "gold.json").read_text(encoding="utf-8"))["topic_segments"]
        total = sum(g["end"] - g["start"] for g in gold)
        gold_share = sum(g["end"] - g["start"] for g in gold if g["mode"] in ("case", "problem")) / total
        s = ss.analyze(ROOT / "examples" / name / "reference.stm", manifest=ROOT / "examples" / "manifest-reference.yaml")
        share = {how: next(i.value for i in session_checklist(s, other_area=area).items if i.item == "concrete_cases")
                 for how, area in (("counting_small_talk", "\0none"), ("without_small_talk", "other"))}
        rows[name] = {"gold": round(gold_share, 4), **share,
                      "other_segments": [[g.mode, round(g.end - g.start, 1)] for g in s.topics.segments if g.area == "other"]}
    err = {how: round(sum(abs(r[how] - r["gold"]) for r in rows.values()) / len(rows), 4)
           for how in ("counting_small_talk", "without_small_talk")}
    out = {"command": "python benchmarks/checklist_cases_r16_pair.py " + " ".join(argv or sys.argv[1:]),
           "data": "bundled example sessions (reference transcripts), gold topic segments", "sessions": rows,
           "mean_abs_error": err}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Which parts of ``session.json`` a topic change moved (issue 11, round 10: pooled topic windows).

``outputs_identical.py --keep DIR`` keeps both runs' outputs; this compares their ``session.json``
block by block, and each block again without its topic-area fields (``area``, ``areas``,
``area_scores``…, which follow the topic segments): whether anything but the topics and what is
derived from them changed (the extraction stage's items read the same sentence vectors)::

    python benchmarks/outputs_identical.py --before <before>/src --after <after>/src --keep /tmp/outs \\
        --out benchmarks/results/outputs_r10_analyze.json
    python benchmarks/outputs_r10_analyze.py --keep /tmp/outs --out benchmarks/results/outputs_r10_analyze_blocks.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

AREA_FIELDS = {"area", "areas", "area_scores", "by_area", "area_share"}


def without_areas(o):
    if isinstance(o, dict):
        return {k: without_areas(v) for k, v in o.items() if k not in AREA_FIELDS}
    if isinstance(o, list):
        return [without_areas(v) for v in o]
    return o


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--keep", required=True, help="the folder outputs_identical.py --keep filled")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    keep = Path(args.keep)
    out: dict = {"command": "python benchmarks/outputs_r10_analyze.py " + " ".join(sys.argv[1:]), "sessions": {}}
    for before in sorted(keep.glob("*_before/*/session.json")):
        after = keep / before.parent.parent.name.replace("_before", "_after") / before.parent.name / "session.json"
        a, b = json.loads(before.read_text(encoding="utf-8")), json.loads(after.read_text(encoding="utf-8"))
        blocks = {}
        for k in a:
            if k == "provenance":
                continue
            blocks[k] = "identical" if a[k] == b.get(k) else \
                "areas only" if without_areas(a[k]) == without_areas(b.get(k)) else "DIFFERENT"
        ta, tb = a.get("topics") or {}, b.get("topics") or {}
        out["sessions"][before.parent.name] = {
            "blocks": blocks,
            "segments": [len(ta.get("segments", [])), len(tb.get("segments", []))],
            "area_word_share": [{k: round(v, 3) for k, v in t.get("area_word_share", {}).items()} for t in (ta, tb)],
            "segment_area_mode": [[(s["area"], s["mode"]) for s in t.get("segments", [])] for t in (ta, tb)]}
    Path(args.out).write_text(json.dumps(out, indent=1))
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Round 16 (lead): the knowledge-flow mutuality with and without items marked "to check", against the example
sessions' gold flows.

    python benchmarks/mutuality_examples_r16.py --out benchmarks/results/mutuality_examples_r16.json

Each bundled example (``examples/*/reference.stm``, its manifest entry) is analysed text-only with the default
stages; the shipped flow stage counts only items not marked ``to_check`` ("confident"); the "all items" variant
recomputes :func:`sessionscope.analysis.flow.knowledge_flow` with every item's mark cleared. The gold is the
example's ``knowledge_flow`` (``examples/*/gold.json``, written by another engineer with the script). Two scripted
sessions: a check that the definition does not move the index away from what the sessions hold, not a measure of
real talk (no real session has gold flows).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _flows(kf) -> dict[str, int]:
    out: dict[str, int] = {}
    for rows in kf.matrix.values():
        for giver, row in rows.items():
            for receiver, n in row.items():
                out[f"{giver}->{receiver}"] = out.get(f"{giver}->{receiver}", 0) + n
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    import sessionscope as ss
    from sessionscope.analysis.flow import knowledge_flow

    result: dict = {"command": "python benchmarks/mutuality_examples_r16.py --out " + str(args.out),
                    "commit": subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                                             text=True).stdout.strip(),
                    "date": dt.date.today().isoformat(), "data": "examples/*/reference.stm (bundled, scripted)",
                    "sessions": {}}
    errs: dict[str, list[float]] = {"confident": [], "all_items": []}
    for gold_path in sorted((ROOT / "examples").glob("*/gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))["knowledge_flow"]
        s = ss.analyze(gold_path.parent / "reference.stm", manifest=ROOT / "examples" / "manifest.yaml")
        unmarked = s.evolve(recommendations=tuple(replace(r, to_check=False) for r in s.recommendations),
                            questions=tuple(replace(q, to_check=False) for q in s.questions))
        variants = {"confident": knowledge_flow(s), "all_items": knowledge_flow(unmarked)}
        row = {"gold": {"mutuality_index": gold["mutuality_index"], "flows": gold["flows"]}}
        for name, kf in variants.items():
            mi = kf.mutuality_index
            row[name] = {"mutuality_index": None if mi is None else round(mi, 4), "flows": _flows(kf),
                         "abs_error": None if mi is None else round(abs(mi - gold["mutuality_index"]), 4)}
            if mi is not None:
                errs[name].append(abs(mi - gold["mutuality_index"]))
        row["shipped_equals_confident"] = (s.knowledge_flow is not None
                                           and s.knowledge_flow.mutuality_index == variants["confident"].mutuality_index)
        result["sessions"][gold_path.parent.name] = row
    result["mean_abs_error"] = {k: round(sum(v) / len(v), 4) if v else None for k, v in errs.items()}
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result["mean_abs_error"]), {k: (v["confident"]["mutuality_index"], v["all_items"]["mutuality_index"],
                                                    v["gold"]["mutuality_index"]) for k, v in result["sessions"].items()})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Round 39 (issue 10): the recommendations and action items of a recognised session, with confidence and "to check".

Re-runs the extraction stage on a ``session.json`` written by ``run`` (its utterances as recognised; the items it held
are dropped first), so two code versions can be compared on the same recognised words.

Usage (repository root; under a minute)::

    bash scripts/demo.sh <scratch dir>/demo
    git worktree add -f <scratch dir>/before <round's base commit>
    PYTHONPATH=<scratch dir>/before/src python benchmarks/r39_demo_items.py <scratch dir>/demo/ru_session/session.json \\
        --out benchmarks/results/r39_demo_ru_items_before.json
    python benchmarks/r39_demo_items.py <scratch dir>/demo/ru_session/session.json \\
        --out benchmarks/results/r39_demo_ru_items_after.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_dialogue_acts import commit  # noqa: E402


def main() -> None:
    import sessionscope
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.api import load

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("session", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    s = load(args.session).evolve(recommendations=(), action_items=(), questions=(), problems=())
    out = ExtractionStage()(s)
    res = {"command": f"python benchmarks/r39_demo_items.py <demo>/{args.session.parent.name}/session.json --out {args.out}",
           "commit": commit(), "sessionscope": str(Path(sessionscope.__file__).resolve()), "date": dt.date.today().isoformat(),
           "action_items": [{"utterance_id": a.utterance_id, "task": a.task, "confidence": a.confidence,
                             "to_check": a.to_check} for a in out.action_items],
           "recommendations": [{"utterance_id": r.utterance_id, "text": r.text, "confidence": r.confidence,
                                "to_check": r.to_check} for r in out.recommendations]}
    res["counts"] = {k: {"listed": len(res[k]), "to_check": sum(x["to_check"] for x in res[k])}
                     for k in ("action_items", "recommendations")}
    args.out.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(res["counts"]))


if __name__ == "__main__":
    main()

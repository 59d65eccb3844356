"""Round 41 (issue 10): how often is an action item of method ``rule+head-low`` right, and which of its two
probabilities says so better?

    .venv/bin/python benchmarks/r41_low_head.py --json benchmarks/results/r41_low_head.json

An item of that method (:data:`sessionscope.analysis.extract.rules.LOW_HEAD`, round 34) is a commitment the action rule
found and the dialogue-act heads scored under their threshold, at or above ``extraction.action_rule_floor``; it is
always to check. The real-talk check (``extraction.item_check``) then replaces its confidence with its own
probability, so a report can show "84 % … to check" under the note that items to check are more likely wrong than
right. Here, on every held-out train meeting of MRDA and AMI (never dev), each such item with the corpus gold of its
act (MRDA ``^cc``, AMI ``off``), the heads' probability it had before the check, and the check's; and the Brier score
of each against the gold.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, meetings, write_result  # noqa: E402
from dialogue_acts_eval import session_of  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402


def rows() -> list[dict]:
    import sessionscope.analysis.extract.check as check
    from sessionscope.analysis.extract.rules import LOW_HEAD
    from sessionscope.analysis.extract.stage import ExtractionStage

    before: dict[tuple[str, str], float] = {}
    original = check.apply_check

    def recording(chk, session, parsed, items, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        for it in items.get("action_items", ()):
            if it.method == LOW_HEAD:
                before[(session.id, it.utterance_id)] = it.confidence
        return original(chk, session, parsed, items, *args, **kwargs)

    check.apply_check = recording
    stage = ExtractionStage()
    out = []
    try:
        for corpus in CORPORA:
            for m, acts in sorted(meetings(corpus, "heldout").items()):
                gold = {a.id: a.action for a in acts}
                for it in stage(session_of(m, acts)).action_items:
                    if it.method == LOW_HEAD:
                        out.append({"corpus": corpus, "meeting": m, "act": it.utterance_id,
                                    "gold": bool(gold.get(it.utterance_id)), "heads": before[(m, it.utterance_id)],
                                    "check": it.confidence, "to_check": it.to_check, "task": it.task})
    finally:
        check.apply_check = original
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    items = rows()
    n = len(items)

    def brier(key: str) -> float:
        return round(sum((r[key] - r["gold"]) ** 2 for r in items) / n, 4) if n else float("nan")

    summary = {"items": n, "gold": sum(r["gold"] for r in items), "to_check": sum(r["to_check"] for r in items),
               "check_at_least_0.5": sum(r["check"] >= 0.5 for r in items),
               "gold_among_check_at_least_0.5": sum(r["gold"] for r in items if r["check"] >= 0.5),
               "brier_heads": brier("heads"), "brier_check": brier("check")}
    print(summary)
    if args.json:
        write_result({"command": "python benchmarks/r41_low_head.py" + (f" --json {args.json}" if args.json else ""),
                      "commit": commit(), "split": "held-out train meetings of MRDA and AMI (never dev)",
                      "summary": summary, "items": items}, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

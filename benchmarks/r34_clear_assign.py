"""Round 34: two readings of a task plainly handed out in a group (``assign.clear_assignment``) — the text without
fillers ("the User Interface uh uh Manager will work on…") and a longer sentence limit — scored per act.

Usage (from the repository root; a few minutes on 2 cores)::

    python benchmarks/r34_clear_assign.py --split heldout --out benchmarks/results/r34_clear_assign_heldout.json

Variants: ``shipped`` (25 tokens, fillers kept), ``A`` (fillers dropped), ``B`` (40 tokens), ``AB`` (both). Each meeting
is parsed and scored by the heads once; the items are built for each variant by the stage's ``extract_items`` (as
``dialogue_acts_eval.py`` does). Per corpus and variant: recommendation and action-item P / R / F1 per act, the AMI
human action-item sentences with a linked act found as an action item, and the acts whose items changed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from dialogue_acts import CORPORA, meetings, write_result  # noqa: E402
from r34_action_floor import gold_acts, kind_scores, meeting_inputs  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

VARIANTS = {"shipped": (25, False), "A": (25, True), "B": (40, False), "AB": (40, True)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("heldout", "dev"), required=True)
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    names = args.variants.split(",")

    from sessionscope.analysis.extract import assign
    from sessionscope.analysis.extract.stage import ExtractionStage, extract_items
    from sessionscope.config import DynamicsConfig, ExtractionConfig

    stage = ExtractionStage(ExtractionConfig(), DynamicsConfig())
    stage._model()
    stage._act_heads()
    out: dict = {"command": f"python benchmarks/r34_clear_assign.py --split {args.split} --variants {args.variants} --out {args.out}",
                 "commit": commit(), "split": args.split, "variants": {n: {"max_tokens": VARIANTS[n][0], "drop_fillers": VARIANTS[n][1]} for n in names}}
    t0 = time.time()
    for corpus in CORPORA:
        by_meeting = meetings(corpus, args.split)
        found: dict = {n: {"recommendation": set(), "action": set(), "items": {}} for n in names}
        for _m, sess, parsed, proba, logits in meeting_inputs(stage, by_meeting):
            for n in names:
                assign.CLEAR_MAX_TOKENS, assign.CLEAR_DROP_FILLERS = VARIANTS[n]
                try:
                    items = extract_items(sess, parsed, proba, stage.cfg, stage.dynamics, heads=stage._heads, head_logits=logits,
                                          task_encoder=stage._encoder, assign_threshold=stage.assign_threshold)
                finally:
                    assign.CLEAR_MAX_TOKENS, assign.CLEAR_DROP_FILLERS = VARIANTS["shipped"]
                found[n]["recommendation"].update(r.utterance_id for r in items["recommendations"])
                found[n]["action"].update(a.utterance_id for a in items["action_items"])
                found[n]["items"].update({a.utterance_id: [a.owner, a.task, a.method] for a in items["action_items"]})
        gold = gold_acts(by_meeting)
        texts = {a.id: a.text for acts in by_meeting.values() for a in acts}
        res: dict = {}
        for n in names:
            r = kind_scores(found[n], gold, corpus, args.split, by_meeting)
            if n != "shipped" and "shipped" in found:
                new = sorted(found[n]["action"] - found["shipped"]["action"])
                gone = sorted(found["shipped"]["action"] - found[n]["action"])
                r["actions_added"] = [[u, texts[u], u in gold["action"], found[n]["items"][u]] for u in new]
                r["actions_removed"] = [[u, texts[u], u in gold["action"]] for u in gone]
            res[n] = r
        out[corpus] = {"meetings": len(by_meeting), "acts": sum(len(v) for v in by_meeting.values()), "by_variant": res}
        print(json.dumps({k: {kk: vv for kk, vv in v.items() if not kk.startswith("actions_")} for k, v in res.items()}), flush=True)
    out["seconds"] = round(time.time() - t0)
    write_result(out, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Round 34: an English sentence the action-item rule finds, scored by the heads under their threshold but at
or above a floor, listed as an action item to check (``extraction.action_rule_floor``) — scored per act.

Usage (from the repository root; a few minutes on 2 cores)::

    python benchmarks/r34_action_floor.py --split heldout --floors none,0.15,0.2,0.25,0.3 \\
        --out benchmarks/results/r34_action_floor_heldout.json      # choosing (held-out train meetings)
    python benchmarks/r34_action_floor.py --split dev --floors none,0.2 --out ...   # once, the chosen floor

Each meeting is parsed and scored by the heads once; the items are then built with each floor
(``extract_items``, as ``dialogue_acts_eval.py`` does). Per corpus and floor: recommendation and action-item
P / R / F1 per act (an item counts on the act it was found on), the AMI human action-item sentences found,
and how many items the floor added, how many of them are gold and how many are to check.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from dialogue_acts import CORPORA, ami_action_items, meetings, write_result  # noqa: E402
from dialogue_acts_eval import prf, session_of  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402


def meeting_inputs(stage, by_meeting: dict) -> Iterator[tuple]:
    """Per meeting: ``(meeting, session, parsed, proba, logits)``, parsed and scored by the heads once, as the stage does."""
    from sessionscope.analysis.extract.bare import parse_utterances

    t0 = time.time()
    for m, acts in by_meeting.items():
        sess = session_of(m, acts)
        parsed = parse_utterances([u.text for u in sess.utterances], language="en")
        yield m, sess, parsed, stage.probabilities(parsed), stage.head_logits(sess, parsed)
        print(f"{acts[0].corpus} {m} {time.time() - t0:.0f}s", flush=True)


def gold_acts(by_meeting: dict) -> dict[str, set[str]]:
    return {kind: {a.id for acts in by_meeting.values() for a in acts if getattr(a, kind)} for kind in ("recommendation", "action")}


def kind_scores(found: dict, gold: dict, corpus: str, split: str, by_meeting: dict) -> dict:
    """Recommendation and action-item P / R / F1 per act of the act ids ``found[kind]``; on AMI, the human action-item
    sentences with a linked act found as an action item."""
    r: dict = {}
    for kind in ("recommendation", "action"):
        tp = len(found[kind] & gold[kind])
        r[kind] = prf(tp, len(found[kind]) - tp, len(gold[kind]) - tp)
    if corpus == "ami":
        sents = [s for s in ami_action_items(split) if s["meeting"] in by_meeting]
        r["ami_action_sentences"] = {"n": len(sents), "found": sum(any(d in found["action"] for d in s["da_ids"]) for s in sents)}
    return r


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("heldout", "dev"), required=True)
    ap.add_argument("--floors", default="none,0.15,0.2,0.25,0.3")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    floors = [None if f == "none" else float(f) for f in args.floors.split(",")]

    from sessionscope.analysis.extract.stage import LOW_HEAD, ExtractionStage, extract_items
    from sessionscope.config import DynamicsConfig, ExtractionConfig

    stage = ExtractionStage(ExtractionConfig(), DynamicsConfig())
    stage._model()
    stage._act_heads()
    out: dict = {"command": f"python benchmarks/r34_action_floor.py --split {args.split} --floors {args.floors} --out {args.out}",
                 "commit": commit(), "split": args.split, "floors": floors}
    t0 = time.time()
    for corpus in CORPORA:
        by_meeting = meetings(corpus, args.split)
        found: dict = {f: {"recommendation": set(), "action": set(), "added": []} for f in floors}
        for _m, sess, parsed, proba, logits in meeting_inputs(stage, by_meeting):
            for f in floors:
                cfg = stage.cfg.model_copy(update={"action_rule_floor": f})
                items = extract_items(sess, parsed, proba, cfg, stage.dynamics, heads=stage._heads, head_logits=logits,
                                      task_encoder=stage._encoder, assign_threshold=stage.assign_threshold)
                found[f]["recommendation"].update(r.utterance_id for r in items["recommendations"])
                found[f]["action"].update(a.utterance_id for a in items["action_items"])
                found[f]["added"] += [(a.utterance_id, a.task, a.to_check) for a in items["action_items"] if a.method == LOW_HEAD]
        gold = gold_acts(by_meeting)
        n_acts = sum(len(v) for v in by_meeting.values())
        res: dict = {}
        for f in floors:
            r = kind_scores(found[f], gold, corpus, args.split, by_meeting)
            added = found[f]["added"]
            r["added"] = {"items": len(added), "on_gold_acts": sum(u in gold["action"] for u, _, _ in added),
                          "to_check": sum(bool(c) for _, _, c in added),
                          "examples": [[u, t, u in gold["action"]] for u, t, _ in added[:40]]}
            res["none" if f is None else str(f)] = r
        out[corpus] = {"meetings": len(by_meeting), "acts": n_acts, "by_floor": res}
        print(json.dumps({k: {kk: vv for kk, vv in v.items() if kk != "added"} for k, v in res.items()}, indent=1), flush=True)
    out["seconds"] = round(time.time() - t0)
    write_result(out, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

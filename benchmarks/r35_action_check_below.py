"""Round 35: where the real-talk check marks English action items "to check" (``extraction.item_check_below_actions``),
scored as an evaluator counts: only the items not marked to check.

Usage (from the repository root; a few minutes on 2 cores)::

    python benchmarks/r35_action_check_below.py --split heldout --lines 0.5,0.4,0.3,0.2,0.15 \\
        --out benchmarks/results/r35_action_check_below_heldout.json     # choosing (held-out train meetings)
    python benchmarks/realtalk_gold_r13.py run --work /tmp/r35/gold --tag r35 --sessions ES2004d,SBC044,education_13,ES2002d
    python benchmarks/r35_action_check_below.py --split realtalk --work /tmp/r35/gold --tag r35 \\
        --out benchmarks/results/r35_action_check_below_realtalk.json   # the blind golds (both labellers)

The items are built once as the stage builds them (``extract_items`` → ``ExtractionStage.finish_items``, the shipped
configuration); for each line X an action item the check re-scored (a calibrated confidence) is to check when its
confidence is under X or it is a commitment the heads doubted (``rule+head-low``), as ``check.apply_check`` marks it.
Per corpus and line: counted action items (not to check) P / R / F1 per act against MRDA ``^cc`` / AMI ``off``, and
the AMI human action-item sentences found by a counted item. ``realtalk``: the sessions of a ``realtalk_gold_r13.py
run`` re-marked the same way and scored against both blind golds (strict; tasks = action items not ``in_meeting``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from dialogue_acts import CORPORA, ami_action_items, meetings, write_result  # noqa: E402
from dialogue_acts_eval import prf  # noqa: E402
from r34_action_floor import gold_acts, meeting_inputs  # noqa: E402
from sessionscope.analysis.extract.rules import LOW_HEAD  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402


def to_check(confidence: float | None, method: str | None, line: float, shipped: bool) -> bool:
    """The mark under line ``line`` of an item the check re-scored (``confidence`` not None); others keep ``shipped``."""
    if confidence is None:
        return shipped
    return confidence < line or method == LOW_HEAD


def corpora(args: argparse.Namespace, lines: list[float]) -> dict:
    from sessionscope.analysis.extract.stage import ExtractionStage, extract_items
    from sessionscope.config import DynamicsConfig, ExtractionConfig

    stage = ExtractionStage(ExtractionConfig(), DynamicsConfig())
    stage._model()
    stage._act_heads()
    out: dict = {}
    for corpus in CORPORA:
        by_meeting = meetings(corpus, args.split)
        counted: dict = {x: set() for x in lines}
        for _m, sess, parsed, proba, logits in meeting_inputs(stage, by_meeting):
            items = extract_items(sess, parsed, proba, stage.cfg, stage.dynamics, heads=stage._heads, head_logits=logits,
                                  task_encoder=stage._encoder, assign_threshold=stage.assign_threshold)
            items, _ = stage.finish_items(sess, parsed, items, logits)
            for x in lines:
                counted[x].update(a.utterance_id for a in items["action_items"]
                                  if not to_check(a.confidence, a.method, x, a.to_check))
        gold = gold_acts(by_meeting)["action"]
        res: dict = {}
        for x in lines:
            tp = len(counted[x] & gold)
            r: dict = {"action_counted": prf(tp, len(counted[x]) - tp, len(gold) - tp)}
            if corpus == "ami":
                sents = [s for s in ami_action_items(args.split) if s["meeting"] in by_meeting]
                r["ami_action_sentences_counted"] = {"n": len(sents),
                                                     "found": sum(any(d in counted[x] for d in s["da_ids"]) for s in sents)}
            res[str(x)] = r
        out[corpus] = {"meetings": len(by_meeting), "by_line": res}
        print(corpus, json.dumps(res), flush=True)
    return out


def realtalk(args: argparse.Namespace, lines: list[float]) -> dict:
    import realtalk_gold_r13 as rg

    shared, new = list(rg.FILES), list(rg.NEW_FILES)
    loaded = {sid: rg.art.load(args.work, args.tag, sid) for sid in [*shared, *new]}

    def marked(s: dict, x: float) -> dict:
        acts = [{**a, "to_check": to_check(a.get("confidence"), a.get("method"), x, a.get("to_check", False))}
                for a in s["action_items"]]
        return {**s, "action_items": acts}

    def tasks(scores: dict) -> dict:
        v = scores["pooled"]["tasks (not in_meeting)"]["strict"]
        n = v["not_to_check"]
        return {"listed": v["listed"], "right": v["right"], "counted": n["right"] + n["wrong"], "counted_right": n["right"],
                "counted_precision": n["precision"], "counted_recall": n["recall"]}

    golds = {"gold": rg.load_gold(rg.GOLD), "gold2": rg.load_gold(rg.GOLD2)}
    res: dict = {}
    for x in lines:
        res[str(x)] = {"gold": tasks(rg.score_sessions({s: marked(loaded[s], x) for s in shared}, golds["gold"])),
                       "gold2": tasks(rg.score_sessions({s: marked(loaded[s], x) for s in shared}, golds["gold2"])),
                       "gold2_ES2002d": tasks(rg.score_sessions({s: marked(loaded[s], x) for s in new}, golds["gold2"]))}
    print(json.dumps(res, indent=1))
    return {"run": f"python benchmarks/realtalk_gold_r13.py run --work {args.work} --tag {args.tag} "
                   f"--sessions {','.join([*shared, *new])}", "by_line": res}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("heldout", "dev", "realtalk"), required=True)
    ap.add_argument("--lines", default="0.5,0.4,0.3,0.2,0.15")
    ap.add_argument("--work", type=Path, help="realtalk: the work folder of a realtalk_gold_r13.py run")
    ap.add_argument("--tag", default="r35")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    lines = [float(x) for x in args.lines.split(",")]
    t0 = time.time()
    cmd = f"python benchmarks/r35_action_check_below.py --split {args.split} --lines {args.lines} --out {args.out}"
    if args.split == "realtalk":
        cmd = cmd.replace(" --out", f" --work {args.work} --tag {args.tag} --out")
    out: dict = {"command": cmd, "commit": commit(), "split": args.split, "lines": lines,
                 **(realtalk(args, lines) if args.split == "realtalk" else corpora(args, lines))}
    out["seconds"] = round(time.time() - t0)
    write_result(out, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

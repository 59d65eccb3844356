"""Round 35: recommendations and action items the second-stage check gives a low probability of being right left
off the lists (``extraction.list_below``) — scored per act on the corpora's meetings.

Usage (from the repository root; a few minutes on 2 cores)::

    python benchmarks/r35_list_below.py --split heldout --floors none,0.1,0.15,0.2,0.25,0.3 \\
        --out benchmarks/results/r35_list_below_heldout.json      # choosing (held-out train meetings)
    python benchmarks/r35_list_below.py --split dev --floors none,0.2 --out ...   # once, the chosen floor
    python benchmarks/realtalk_gold_r13.py run --work /tmp/r35/gold --tag r35 --sessions ES2004d,SBC044,education_13,ES2002d
    python benchmarks/r35_list_below.py --split realtalk --work /tmp/r35/gold --tag r35 \
        --out benchmarks/results/r35_list_below_realtalk.json   # the blind golds of real talk (both labellers)
    python benchmarks/r35_list_below.py --split report --work /tmp/r35/report \
        --out benchmarks/results/r35_fold_report_sbc009.json     # what SBC009's summary lists, folded and not

Each meeting is parsed and scored by the heads once; the items are built as the stage builds them (``extract_items``,
then ``ExtractionStage.finish_items``: the learned procedure flag, the check's confidence and the floor) for each
floor. Per corpus and floor: recommendation and action-item P / R / F1 per act (an item counts on the act it was
found on), the AMI human action-item sentences found (and found by an item not marked to check: what an evaluator
sees counted), and how many items the floor left out, how many of those were on gold acts, with examples. ``--split realtalk`` scores the sessions of a ``realtalk_gold_r13.py run`` (made with
every item listed) against both blind golds, each floor applied to the listed items' confidences as
``check.leave_out`` does (all four files are English, every item re-scored by the check): strict precision and
recall per view, and how many of the items under the floor are right. The four files are blind for the check too
(``realtalk_check_r15_lab.py`` drops their labels; the bundled file's ``meta["files"]`` lists what it was trained on);
ES2002d is scored as its own row, as ``realtalk_gold_r13.py`` does. The check was trained on audited real talk that includes advice listed on 16 AMI and 2
MRDA held-out train meetings (``realtalk_check_r15_lab.py``): on those its probability is in-sample.
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
from r34_action_floor import gold_acts, kind_scores, meeting_inputs  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402


def _floored(session: dict, floor: float | None) -> dict:
    if floor is None:
        return session
    keep = {k: [it for it in session[k] if it.get("confidence") is None or it["confidence"] >= floor]
            for k in ("recommendations", "action_items")}
    return {**session, **keep}


def _compact(scores: dict) -> dict:
    """Listed / right / wrong / precision / recall per view of ``score_sessions``' pooled part: strict (borderline gold
    counts neither way), and the right items when borderline gold counts as gold (``lenient_right``)."""
    return {view: {**{k: v["strict"][k] for k in ("listed", "right", "wrong", "precision", "recall")},
                   "lenient_right": v["lenient"]["right"]}
            for view, v in scores["pooled"].items()}


def realtalk(args: argparse.Namespace, floors: list) -> int:
    import realtalk_gold_r13 as rg

    shared = list(rg.FILES)
    new = list(rg.NEW_FILES)
    loaded = {sid: rg.art.load(args.work, args.tag, sid) for sid in [*shared, *new]}
    golds = {"gold": rg.load_gold(rg.GOLD), "gold2": rg.load_gold(rg.GOLD2)}
    out: dict = {"command": f"python benchmarks/r35_list_below.py --split realtalk --work {args.work} --tag {args.tag} "
                            f"--floors {args.floors} --out {args.out}",
                 "run": f"python benchmarks/realtalk_gold_r13.py run --work {args.work} --tag {args.tag} "
                        f"--sessions {','.join([*shared, *new])}",
                 "commit": commit(), "split": "real talk, blind golds (gold: 3 files; gold2: the same 3 and ES2002d)",
                 "in_sample": "none: the item check's training files (its meta['files']) include none of the four",
                 "floors": floors, "by_floor": {}}
    for f in floors:
        row: dict = {}
        for name, gold in golds.items():
            row[name] = _compact(rg.score_sessions({s: _floored(loaded[s], f) for s in shared}, gold))
        row["gold2_ES2002d"] = _compact(rg.score_sessions({s: _floored(loaded[s], f) for s in new}, golds["gold2"]))
        out["by_floor"]["none" if f is None else str(f)] = row
    base = out["by_floor"]["none"]
    for row in out["by_floor"].values():  # what the floor took away: how many of those were right
        row["left_out"] = {g: {view: {"items": base[g][view]["listed"] - row[g][view]["listed"],
                                      "right": base[g][view]["right"] - row[g][view]["right"],
                                      "lenient_right": base[g][view]["lenient_right"] - row[g][view]["lenient_right"]}
                               for view in row[g]} for g in ("gold", "gold2", "gold2_ES2002d")}
    write_result(out, args.out)
    print(json.dumps({k: v["left_out"] for k, v in out["by_floor"].items()}, indent=1))
    return 0


def report(args: argparse.Namespace) -> int:
    """``sessionscope analyze`` of SBCSAE SBC009 (a development file of the round-26 audit) with the report's fold on
    (the default) and off: the recommendations and action items the summary lists to check, and those it folds."""
    import re
    import subprocess

    from dialogue_acts import DATA

    exe = str(Path(sys.executable).with_name("sessionscope"))
    src = DATA / "sbcsae-text-refs" / "SBC009.stm"
    off = args.work / "fold_off.yaml"
    args.work.mkdir(parents=True, exist_ok=True)
    off.write_text("report:\n  fold_to_check_below: null\n", encoding="utf-8")
    out: dict = {"command": f"python benchmarks/r35_list_below.py --split report --work {args.work} --out {args.out}",
                 "commit": commit(), "file": "sbcsae-text-refs/SBC009.stm", "runs": {}}
    for name, extra in (("fold 0.25 (default)", []), ("fold off", ["--config", str(off)])):
        dest = args.work / ("on" if not extra else "off")
        subprocess.run([exe, "analyze", str(src), "--out", str(dest), "--force", "--no-progress", *extra], check=True,
                       stdout=subprocess.DEVNULL)
        md = (dest / "SBC009" / "summary.md").read_text(encoding="utf-8")
        recs = md.split("## Recommendations")[1].split("\n## ")[0]
        acts = md.split("## Action items")[1].split("\n## ")[0]
        folded = [int(n) for n in re.findall(r"(?:and )?(\d+) (?:more )?marked to check under", recs)]
        out["runs"][name] = {"recommendations_listed_to_check": recs.count("**to check**"),
                             "recommendations_folded": sum(folded),
                             "action_items_listed_to_check": acts.count("**to check**"),
                             "action_items_folded": sum(int(n) for n in re.findall(r"(\d+) (?:more )?marked to check under", acts))}
    write_result(out, args.out)
    print(json.dumps(out["runs"], indent=1))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("heldout", "dev", "realtalk", "report"), required=True)
    ap.add_argument("--floors", default="none,0.1,0.15,0.2,0.25,0.3")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--work", type=Path, help="realtalk: the work folder of a realtalk_gold_r13.py run")
    ap.add_argument("--tag", default="r35", help="realtalk: that run's tag")
    args = ap.parse_args(argv)
    floors = [None if f == "none" else float(f) for f in args.floors.split(",")]
    if args.split == "realtalk":
        return realtalk(args, floors)
    if args.split == "report":
        return report(args)

    from sessionscope.analysis.extract.stage import ExtractionStage, extract_items
    from sessionscope.config import DynamicsConfig, ExtractionConfig

    stage = ExtractionStage(ExtractionConfig(), DynamicsConfig())
    stage._model()
    stage._act_heads()
    base_cfg = stage.cfg
    out: dict = {"command": f"python benchmarks/r35_list_below.py --split {args.split} --floors {args.floors} --out {args.out}",
                 "commit": commit(), "split": args.split, "floors": floors}
    t0 = time.time()
    for corpus in CORPORA:
        by_meeting = meetings(corpus, args.split)
        found: dict = {f: {"recommendation": set(), "action": set(), "counted": set(), "left": []} for f in floors}
        for _m, sess, parsed, proba, logits in meeting_inputs(stage, by_meeting):
            items = extract_items(sess, parsed, proba, base_cfg, stage.dynamics, heads=stage._heads, head_logits=logits,
                                  task_encoder=stage._encoder, assign_threshold=stage.assign_threshold)
            for f in floors:
                stage.cfg = base_cfg.model_copy(update={"list_below": f})
                kept, left = stage.finish_items(sess, parsed, items, logits)
                found[f]["recommendation"].update(r.utterance_id for r in kept["recommendations"])
                found[f]["action"].update(a.utterance_id for a in kept["action_items"])
                found[f]["counted"].update(a.utterance_id for a in kept["action_items"] if not a.to_check)
                found[f]["left"] += left
            stage.cfg = base_cfg
        gold = gold_acts(by_meeting)
        res: dict = {}
        for f in floors:
            r = kind_scores(found[f], gold, corpus, args.split, by_meeting)
            if corpus == "ami":  # the human action-item sentences an evaluator sees counted (an item not to check)
                r["ami_action_sentences"]["found_counted"] = sum(
                    any(d in found[f]["counted"] for d in s["da_ids"]) for s in ami_action_items(args.split) if s["meeting"] in by_meeting)
            left = found[f]["left"]
            r["left_out"] = {kind: {"items": sum(x["kind"] == kind for x in left),
                                    "on_gold_acts": sum(x["kind"] == kind and x["utterance_id"] in gold[kind] for x in left),
                                    "examples": [[x["utterance_id"], x["text"], x["confidence"], x["utterance_id"] in gold[kind]]
                                                 for x in left if x["kind"] == kind][:25]}
                             for kind in ("recommendation", "action")}
            res["none" if f is None else str(f)] = r
        out[corpus] = {"meetings": len(by_meeting), "acts": sum(len(v) for v in by_meeting.values()), "by_floor": res}
        print(json.dumps({k: {kk: vv for kk, vv in v.items() if kk != "left_out"} for k, v in res.items()}, indent=1), flush=True)
    out["seconds"] = round(time.time() - t0)
    write_result(out, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

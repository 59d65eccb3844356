"""Round 35: who owns the tasks an AMI meeting's minutes list — the owner of the action items found on the acts each
human action-item sentence is linked to, against the role the sentence names.

Usage (from the repository root; a few minutes on 2 cores)::

    python benchmarks/r35_handout_owners.py --split heldout --out benchmarks/results/r35_handout_owners_heldout.json

AMI scenario meetings: every speaker plays one role (project manager, marketing expert, user interface designer,
industrial designer; ``dialogue_acts.jsonl.gz``'s ``role``). A minuted sentence such as "The marketing expert will work
on user requirements specification." names its owner's role; sentences naming the team ("the team", "they", "all",
"everyone", "members") or no role are counted apart. The sessions are built as ``dialogue_acts_eval.py`` builds them
(participants are the speaker letters, so a role said in the text cannot be matched to a participant by name), and the
items as the stage builds them (``extract_items`` → ``finish_items``). Per sentence naming one or more roles, with an
action item on a linked act: the item's owner(s) (owner, else owners) mapped to roles are right when they include a
named role; also whether that item is counted (not marked to check).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from dialogue_acts import AMI, ami_action_items, meetings, write_result  # noqa: E402
from r34_action_floor import meeting_inputs  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

ROLES = {"PM": r"project manager|\bpm\b", "ME": r"marketing", "UI": r"user interface|\bui\b|interface designer|interface specialist",
         "ID": r"industrial design|\bid\b"}
TEAM = re.compile(r"\b(team|they|all|everyone|everybody|members|group|each)\b", re.I)


def named_roles(text: str) -> set[str]:
    return {role for role, rx in ROLES.items() if re.search(rx, text, re.I)}


def speaker_roles() -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    with gzip.open(AMI / "dialogue_acts.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r.get("role"):
                out[(r["meeting"], r["speaker"])] = r["role"]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("heldout", "dev"), required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)

    from sessionscope.analysis.extract.stage import ExtractionStage, extract_items
    from sessionscope.config import DynamicsConfig, ExtractionConfig

    stage = ExtractionStage(ExtractionConfig(), DynamicsConfig())
    stage._model()
    stage._act_heads()
    roles = speaker_roles()
    by_meeting = meetings("ami", args.split)
    items: dict[str, list] = {}
    for m, sess, parsed, proba, logits in meeting_inputs(stage, by_meeting):
        found = extract_items(sess, parsed, proba, stage.cfg, stage.dynamics, heads=stage._heads, head_logits=logits,
                              task_encoder=stage._encoder, assign_threshold=stage.assign_threshold)
        found, _ = stage.finish_items(sess, parsed, found, logits)
        for a in found["action_items"]:
            items.setdefault(a.utterance_id, []).append((m, a))
    rows = []
    for s in ami_action_items(args.split):
        if s["meeting"] not in by_meeting:
            continue
        want = named_roles(s["text"])
        its = [a for d in s["da_ids"] for _m, a in items.get(d, [])]
        row = {"meeting": s["meeting"], "sentence": s["text"], "named": sorted(want), "team": bool(TEAM.search(s["text"])),
               "items": []}
        for a in its:
            who = [a.owner] if a.owner else list(a.owners)
            got = sorted({roles.get((s["meeting"], w), w or "none") for w in who}) or ["none"]
            row["items"].append({"task": a.task, "method": a.method, "owner_roles": got, "counted": not a.to_check,
                                 "right": bool(want & set(got))})
        rows.append(row)
    scored = [r for r in rows if r["named"] and r["items"]]
    summary = {"sentences": len(rows), "naming_a_role": sum(bool(r["named"]) for r in rows),
               "naming_a_role_with_an_item": len(scored),
               "owner_right": sum(any(i["right"] for i in r["items"]) for r in scored),
               "owner_right_and_counted": sum(any(i["right"] and i["counted"] for i in r["items"]) for r in scored),
               "by_method": {}}
    for r in scored:
        for i in r["items"]:
            b = summary["by_method"].setdefault(i["method"], {"items": 0, "right": 0})
            b["items"] += 1
            b["right"] += i["right"]
    out = {"command": f"python benchmarks/r35_handout_owners.py --split {args.split} --out {args.out}", "commit": commit(),
           "split": args.split, "meetings": len(by_meeting), "summary": summary, "rows": rows}
    write_result(out, args.out)
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

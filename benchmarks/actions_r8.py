"""Round 8 action items: verbless hand-outs, the speaker's own "I'll X so you can Y", MRDA false assignments.

Usage (from the repository root; train meetings only, the dev meetings are never read)::

    nice -n 10 python benchmarks/actions_r8.py --label before --no-handouts --assign-from 89c7cb8 --out benchmarks/results/actions_r8_actions_before.json
    nice -n 10 python benchmarks/actions_r8.py --label handouts --out benchmarks/results/actions_r8_actions.json

Figures, on the rows cached by ``assignment_threshold.py`` (``.cache/actions_r7``: parse, classifier and head
scores of every train meeting; the texts stay out of the repository):

* AMI train meetings (98): the assignment column of every meeting from a head fitted without its fold
  (:func:`assignment_threshold.fold_heads`, cached under ``.cache/actions_r8``); the share of the 183 AMI human
  action-item sentences with a linked act found as an action item (out of fold) and AMI ``off`` action F1 (the
  dialogue-act heads are in sample there, so the F1 is flattered);
* MRDA train meetings (45, heads in sample): ``^cc`` action F1, owner right, the false assignment items by pattern;
* held-out train meetings (MRDA 6, AMI 16): ``^cc`` / ``off`` action F1, owner right, the 28 AMI sentences.

With hand-outs (the default), :func:`sessionscope.analysis.extract.assign.handout_items` runs after the stage's
items, as ``extract_items`` would call it; ``--no-handouts`` measures the stage alone. Every hand-out item is
listed (meeting, act, its gold, whether it is linked to a human action-item sentence, the role the item gives the
part to and the role that sentence names: "owner right" for hand-outs). Texts of hand-outs and false assignments
go to ``.cache/actions_r8/<label>_rows.json`` only.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import pickle
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from assignment_threshold import _extract, fold_heads, pattern_of, prepare_cached, rescore  # noqa: E402
from dialogue_acts import ROOT, ami_action_items  # noqa: E402
from dialogue_acts_eval import _found, score  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

CACHE = ROOT / ".cache" / "actions_r8"
MEETINGS_CSV = ROOT.parent / "shared" / "data" / "ami-annotations" / "meetings.csv"
# the role a human action-item sentence gives the task to ("The industrial designer will…")
_SUMMARY_ROLE = (
    ("UI", re.compile(r"\b(user interface|interface (designer|specialist|expert)|ui designer)\b", re.I)),
    ("ID", re.compile(r"\bindustrial\b", re.I)),
    ("ME", re.compile(r"\bmarketing\b", re.I)),
    ("PM", re.compile(r"\bproject manager\b", re.I)),
)
_ITEM_ROLE = (
    ("UI", re.compile(r"\b(user interface|interface designer)\b")),
    ("ID", re.compile(r"\bindustrial\b")),
    ("ME", re.compile(r"\bmarketing\b")),
    ("PM", re.compile(r"\bproject manager\b")),
)


def ami_roles() -> dict[str, dict[str, str]]:
    """Meeting → speaker letter → scenario role (PM / ME / UI / ID) from the annotations' meetings.csv."""
    out: dict[str, dict[str, str]] = {}
    if not MEETINGS_CSV.exists():
        return out
    with MEETINGS_CSV.open() as f:
        for row in csv.DictReader(f):
            out[row["meeting"]] = {
                sp.split("=")[0]: sp.split("/")[-1] for sp in row["speakers"].split() if "=" in sp and "/" in sp
            }
    return out


def _first_role(text: str, table: tuple) -> str | None:
    hits = [(m.start(), r) for r, pat in table for m in [pat.search(text)] if m]
    return min(hits)[1] if hits else None


def ami_train_oof(stage: Any) -> dict:
    """The AMI train meetings' cached rows with the assignment column from the out-of-fold heads (cached)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / "ami_train_oof.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    data = rescore(stage, prepare_cached(stage, "ami", "train"), fold_heads())
    path.write_bytes(pickle.dumps(data))
    return data


def _owner_role(item: Any, act: Any, sess: Any, parsed: Any, roles: dict[str, str]) -> tuple[str | None, str]:
    """The scenario role an item gives its task to, and how: the owner's role, or for a hand-out to a role (owner
    open where speakers are letters) the role it names before the part; ``None`` when the owner is open."""
    from sessionscope.analysis.extract.assign import expand_roles, handout
    from sessionscope.analysis.extract.stage import other_participant

    if item.owner is not None:
        return roles.get(item.owner), item.method
    if item.method != "handout":
        return None, item.method
    i = next(k for k, u in enumerate(sess.utterances) if u.id == act.id)
    sent = next(s for s in parsed[i] if s.start_char == item.char_start)
    h = handout(sent, [(p.id, p.name) for p in sess.participants], act.speaker, other_participant(sess, i))
    if h is None or h.assignee.how != "role":
        return None, h.assignee.how if h else "?"
    low = " ".join(expand_roles(sent.text).casefold().split())
    cut = low.rfind(h.task.casefold().removeprefix("work on ").removeprefix("the "))
    return _first_role(low[:cut] if cut > 0 else low, _ITEM_ROLE), "role"


def run(stage: Any, corpus: str, data: dict, *, handouts: bool, roles: dict) -> tuple[dict, list[dict]]:
    """Scores of one corpus on prepared meetings (with or without the hand-outs) and the rows to inspect."""
    from sessionscope.analysis.extract.stage import area_by_utterance

    results, by_meeting, rows = {}, {}, []
    link_role: dict[str, str | None] = {}
    if corpus == "ami":
        for split in ("train", "heldout"):
            for s in ami_action_items(split):
                for d in s["da_ids"]:
                    link_role.setdefault(d, _first_role(s["text"], _SUMMARY_ROLE))
    for m, (acts, sess, parsed, proba, logits) in data.items():
        items = _extract(stage, sess, parsed, proba, logits, stage.assign_threshold)
        added = []
        if handouts:
            from sessionscope.analysis.extract.assign import handout_items

            added = handout_items(sess, parsed, list(items["action_items"]), area_by_utterance(sess))
        items = {**items, "action_items": tuple(items["action_items"]) + tuple(added)}
        f = _found(items)
        f["question_stripped"] = {}
        results[m] = {"shipped": f, "before": f, "answered": {}}
        by_meeting[m] = acts
        by_id = {a.id: a for a in acts}
        for a in items["action_items"]:
            act = by_id[a.utterance_id]
            if a.method == "handout" or (a.method.startswith("assignment") and not act.action):
                owner_role, how = _owner_role(a, act, sess, parsed, roles.get(m, {}))
                rows.append(
                    {
                        "meeting": m,
                        "act": act.id,
                        "method": a.method,
                        "gold": act.action,
                        "label": act.label,
                        "linked": act.action_link,
                        "owner": a.owner,
                        "how": how,
                        "owner_role": owner_role,
                        "summary_role": link_role.get(act.id),
                        "pattern": pattern_of(act.text),
                        "text": act.text,
                        "task": a.task,
                    }
                )
    s = score(corpus, by_meeting, results)
    out = {
        "meetings": len(data),
        "action": s["shipped"]["action"],
        "action_owner_right": s["shipped"]["action_owner_right"],
        "action_owner_n": s["shipped"]["action_owner_n"],
        "recommendation": s["shipped"]["recommendation"],
        "action_items_total": s["shipped"]["action_items_total"],
    }
    if "ami_action_sentences" in s:
        out["ami_action_sentences"] = s["ami_action_sentences"]["shipped"]
    ho = [r for r in rows if r["method"] == "handout"]
    judged = [r for r in ho if r["summary_role"] and r["linked"]]
    out["handouts"] = {
        "items": len(ho),
        "linked_to_human_item": sum(r["linked"] for r in ho),
        "gold_action": sum(r["gold"] for r in ho),
        "owner_role_right": round(sum(r["owner_role"] == r["summary_role"] for r in judged) / len(judged), 3)
        if judged
        else None,
        "owner_role_judged": len(judged),
        "how": dict(Counter(r["how"] for r in ho)),
        "owner_open": sum(r["owner"] is None and r["owner_role"] is None for r in ho),
    }
    fa = [r for r in rows if r["method"].startswith("assignment")]
    out["false_assignments"] = {"n": len(fa), "by_pattern": dict(Counter(r["pattern"] for r in fa).most_common())}
    return out, rows


def use_assign_from(rev: str) -> None:
    """Import ``assign.py`` as it was at commit ``rev`` (the "before" of a rule change; the rest of the tree as it is)."""
    import subprocess
    import types

    name = "sessionscope.analysis.extract.assign"
    src = subprocess.run(
        ["git", "show", f"{rev}:src/sessionscope/analysis/extract/assign.py"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    mod = types.ModuleType(name)
    mod.__file__ = str(ROOT / "src" / "sessionscope" / "analysis" / "extract" / "assign.py")
    sys.modules[name] = mod
    exec(compile(src, f"assign.py@{rev}", "exec"), mod.__dict__)  # noqa: S102 - the repository's own file at a commit


def patch_stage_with_handouts() -> None:
    """Make the stage's ``extract_items`` add :func:`handout_items` (what the proposed one-line wiring does)."""
    import sessionscope.analysis.extract.stage as st
    from sessionscope.analysis.extract.assign import handout_items

    orig = st.extract_items

    def extract_items(
        session, parsed, proba, cfg, dyn, heads=None, head_logits=None, task_encoder=None, assign_threshold=None
    ):  # type: ignore[no-untyped-def]
        items = orig(
            session,
            parsed,
            proba,
            cfg,
            dyn,
            heads=heads,
            head_logits=head_logits,
            task_encoder=task_encoder,
            assign_threshold=assign_threshold,
        )
        if assign_threshold is None:
            return items
        added = handout_items(session, parsed, list(items["action_items"]), st.area_by_utterance(session))
        return {**items, "action_items": tuple(items["action_items"]) + tuple(added)}

    st.extract_items = extract_items


def veto_scan() -> dict:
    """How many train acts (train + held-out meetings) the round-8 vetoes match, and how many of them are gold.

    The vetoes may only take talk that the corpora never make a task: no MRDA ``^cc`` act, no AMI ``off`` act and
    no act linked to an AMI human action-item sentence.
    """
    from dialogue_acts import load_acts
    from sessionscope.analysis.extract.assign import _NOT_HANDOUT_R8, expand_roles
    from sessionscope.analysis.extract.heads import tokens

    out = {}
    for corpus in ("mrda", "ami"):
        acts = [a for a in load_acts(corpus) if a.split in ("train", "heldout")]
        hit = [a for a in acts if _NOT_HANDOUT_R8.search(" ".join(tokens(expand_roles(a.text))))]
        out[corpus] = {
            "acts": len(acts),
            "matched": len(hit),
            "gold_action": sum(a.action for a in hit),
            "linked_to_human_item": sum(a.action_link for a in hit),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-handouts", action="store_true", help="the stage's items alone (no verbless hand-outs)")
    ap.add_argument("--label", default="", help="a name for the code measured (JSON and the rows file)")
    ap.add_argument(
        "--parts", default="ami_train,mrda_train,heldout", help="comma list of ami_train, mrda_train, heldout"
    )
    ap.add_argument(
        "--assign-from",
        default=None,
        metavar="COMMIT",
        help="measure assign.py as it was at this commit (implies --no-handouts when it has no hand-outs)",
    )
    ap.add_argument("--out", default="benchmarks/results/actions_r8_actions.json")
    ap.add_argument(
        "--written-dev",
        default=None,
        metavar="JSON",
        help="instead: benchmarks/extraction_eval.py --split dev (written EN/RU dev rows and the example "
        "sessions) with the hand-outs wired into the stage (unless --no-handouts), written to JSON",
    )
    ap.add_argument(
        "--veto-scan",
        default=None,
        metavar="JSON",
        help="instead: how many train acts the round-8 vetoes match and how many of those are gold",
    )
    args = ap.parse_args(argv)
    if args.veto_scan:
        body = {
            "command": " ".join(["python benchmarks/actions_r8.py", *(argv if argv is not None else sys.argv[1:])]),
            "commit": commit(),
            "split": "train + held-out train meetings (acts); dev never read",
            "scan": veto_scan(),
        }
        (ROOT / args.veto_scan).write_text(json.dumps(body, indent=1) + "\n")
        print(json.dumps(body["scan"]))
        return 0
    if args.assign_from:
        use_assign_from(args.assign_from)
    if args.written_dev:
        from extraction_eval import main as written

        if not args.no_handouts:
            patch_stage_with_handouts()
        return written(["--split", "dev", "--out", str(ROOT / args.written_dev)])

    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import DynamicsConfig, ExtractionConfig

    stage = ExtractionStage(ExtractionConfig(), DynamicsConfig())
    stage._model()
    stage._act_heads()
    roles = ami_roles()
    t0 = time.time()
    parts = args.parts.split(",")
    res: dict = {}
    rows: dict = {}
    todo = []
    if "ami_train" in parts:
        todo.append(("train_ami_oof", "ami", lambda: ami_train_oof(stage)))
    if "mrda_train" in parts:
        todo.append(("train_mrda", "mrda", lambda: prepare_cached(stage, "mrda", "train")))
    if "heldout" in parts:
        todo += [(f"heldout_{c}", c, lambda c=c: prepare_cached(stage, c, "heldout")) for c in ("mrda", "ami")]
    for key, corpus, load in todo:
        res[key], rows[key] = run(stage, corpus, load(), handouts=not args.no_handouts, roles=roles)
        print(args.label, key, json.dumps({k: v for k, v in res[key].items() if k != "false_assignments"}), flush=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / f"{args.label or 'run'}_rows.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n")
    out = {
        "command": " ".join(["python benchmarks/actions_r8.py", *(argv if argv is not None else sys.argv[1:])]),
        "commit": commit(),
        "label": args.label,
        "date": dt.date.today().isoformat(),
        "split": "train meetings only: AMI train (assignment head out of fold, dialogue-act heads in sample), MRDA "
        "train (heads in sample), held-out train meetings (MRDA 6, AMI 16); dev never read",
        "handouts": not args.no_handouts,
        "assign_from": args.assign_from or "working tree",
        "threshold": stage.assign_threshold,
        "figures": res,
        "seconds": round(time.time() - t0),
    }
    path = ROOT / args.out
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    print("wrote", path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Round 16 (tasks): what someone will receive is no task; team obligations against AMI's human action items.

Usage (from the repository root)::

    nice -n 10 python benchmarks/tasks_r16_tasks.py scan --out benchmarks/results/tasks_scan_r16_tasks.json
    nice -n 10 python benchmarks/tasks_r16_tasks.py heldout --label r16tasks --out benchmarks/results/tasks_heldout_r16_tasks.json
    python benchmarks/tasks_r16_tasks.py realtalk --work /tmp/r16/tasks/audit --tags base16,after16 \\
        --out benchmarks/results/tasks_realtalk_r16_tasks.json
    nice -n 10 python benchmarks/tasks_r16_tasks.py problems --work /tmp/r16/tasks/audit --tags base16,after16 \\
        --out benchmarks/results/tasks_problems_r16_tasks.json

``scan``: every act of the train and held-out train meetings (dev never read): how many acts
``actions.receives_only`` marks, and how many of them are gold action acts (MRDA ``^cc`` / AMI ``off``) or linked to
an AMI human action-item sentence; the same for the team-obligation patterns :data:`TEAM` ("we need to / we have to /
we should …") and :data:`TEAM_LATER` (the same with a cue of work after the meeting). Texts of the AMI hits go to
``.cache/tasks_r16/`` (not the repository).

``heldout``: the held-out TRAIN meetings' items with the working tree (``errors_r9_actions.heldout`` on the cached
rows, the items ``dialogue_acts_eval.py --split heldout`` scores): how many action items the receiving mark takes and
how many of them are gold / linked; and for the team obligations, what listing every matching act (not already an
action item) as an action item of the group would do: AMI ``off`` precision / recall / F1 (each new item on an ``off``
act is a true positive, every other a false one) and the AMI human action-item sentences found (a sentence is found
when one of its linked acts is an action item), MRDA ``^cc`` likewise.

``realtalk``: the listed tasks (action items not ``in_meeting``) of two runs of ``audit_real_talk.py run`` joined to
the hand labels of rounds 6-13 (``tasks_r14_tasks.realtalk_rows``; the blind files and Bed003 excluded); per run the
tally, and between the runs every item whose owner or mark changed, with its label.

``problems``: the problem rule's word-finding veto (``problems.word_finding``): every act of the train and held-out
train meetings whose problem-rule decision differs between the round-start ``problems.py`` (``66e66a7``) and the
working tree's (the rule reads the text only; the question veto, which needs the parse, is left out on both sides),
and the problems of two real-talk runs (all 26 files; problems carry no hand labels), lost and gained.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tasks_r14_tasks import EXCLUDED, _tally, commit  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "tasks_r16"
BASE = "66e66a7"  # round 16's start

# a team obligation: "we need to / we have to / we'll have to / we should / we must / we've got to …"
TEAM = re.compile(
    r"\bwe(?: all| both| still| also| just| really| then| probably| individually| each)*(?:'ll| will| would|'d)?"
    r"(?: all| also| still| probably| really| then| definitely)* (?:need to|have to|has to|'ve got to|have got to|"
    r"got to|gotta|should|must|ought to)\b"
)
# … with a cue of work after the meeting
TEAM_LATER = re.compile(
    r"\b(?:next (?:meeting|time|week|session)|for (?:the )?next|before (?:the )?next|by (?:the )?next|individual(?:ly)?|"
    r"after (?:the|this) meeting|(?:the )?questionnaire|homework|by (?:monday|tuesday|wednesday|thursday|friday|tomorrow|"
    r"the end)|tomorrow|afterwards|later)\b"
)


def _low(text: str) -> str:
    from sessionscope.analysis.extract.actions import _plain

    return _plain(text)


def team(text: str, later: bool = False) -> bool:
    low = _low(text)
    return bool(TEAM.search(low)) and (not later or bool(TEAM_LATER.search(low)))


def scan() -> dict:
    from dialogue_acts import CORPORA, load_acts
    from sessionscope.analysis.extract.actions import receives_only

    out: dict = {}
    listed = []
    for corpus in CORPORA:
        acts = [a for a in load_acts(corpus) if a.split in ("train", "heldout") and a.meeting not in EXCLUDED]
        row: dict[str, Any] = {"acts": len(acts), "gold_acts": sum(bool(a.action) for a in acts),
                               "linked_acts": sum(bool(a.action_link) for a in acts)}
        for name, fn in (("receives_only", receives_only), ("team", team), ("team_later", lambda t: team(t, True))):
            hit = [a for a in acts if fn(a.text)]
            row[name] = {"matched": len(hit), "gold": sum(bool(a.action) for a in hit),
                         "linked": sum(bool(a.action_link) for a in hit),
                         "heldout_matched": sum(a.split == "heldout" for a in hit)}
            listed += [{"corpus": corpus, "rule": name, "meeting": a.meeting, "split": a.split, "gold": bool(a.action),
                        "linked": bool(a.action_link), "text": a.text} for a in hit if corpus == "ami"]
        out[corpus] = row
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / "scan.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in listed), encoding="utf-8")
    return out


def _prf(tp: int, fp: int, n_gold: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"tp": tp, "fp": fp, "precision": round(p, 3), "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def heldout(label: str) -> dict:
    import errors_r9_actions as r9
    from dialogue_acts import CORPORA, ami_action_items, meetings
    from sessionscope.analysis.extract.actions import receives_only

    figures = r9.heldout(label)
    items = [json.loads(x) for x in (r9.CACHE / f"{label}_items.jsonl").read_text(encoding="utf-8").splitlines()]
    out: dict = {}
    for corpus in CORPORA:
        mine = [r for r in items if r["corpus"] == corpus]
        marked = [r for r in mine if receives_only(r["sentence"])]
        acts = {(m, a.id): a for m, ms in meetings(corpus, "heldout").items() for a in ms}
        n_gold = sum(bool(a.action) for a in acts.values())
        item_acts = {(r["meeting"], r["act"]) for r in mine}
        tp = len({k for k in item_acts if acts[k].action})
        fp = sum(not r["gold"] for r in mine)
        row: dict[str, Any] = {"action": figures[corpus]["action"], "items": len(mine),
                               "receives_marked": {"items": len(marked), "gold": sum(bool(r["gold"]) for r in marked),
                                                   "linked": sum(bool(r["linked"]) for r in marked),
                                                   "texts": [r["sentence"][:140] for r in marked]},
                               "recount_items_as_is": _prf(tp, fp, n_gold)}
        for name, later in (("team", False), ("team_later", True)):
            new = [k for k, a in acts.items() if k not in item_acts and team(a.text, later)]
            ntp = tp + sum(bool(acts[k].action) for k in new)
            nfp = fp + sum(not acts[k].action for k in new)
            entry: dict[str, Any] = {"new_items": len(new), "new_gold": sum(bool(acts[k].action) for k in new),
                                     "new_linked": sum(bool(acts[k].action_link) for k in new),
                                     "action_if_listed": _prf(ntp, nfp, n_gold)}
            if corpus == "ami":
                sents = ami_action_items("heldout")
                found = sum(any((s["meeting"], d) in item_acts for d in s["da_ids"]) for s in sents)
                found_new = sum(any((s["meeting"], d) in item_acts or (s["meeting"], d) in set(new) for d in s["da_ids"])
                                for s in sents)
                entry["human_sentences"] = {"n": len(sents), "found_now": found, "found_if_listed": found_new,
                                            "recovered": [s.get("text", s.get("sentence", ""))[:140] for s in sents
                                                          if not any((s["meeting"], d) in item_acts for d in s["da_ids"])
                                                          and any((s["meeting"], d) in set(new) for d in s["da_ids"])]}
                entry["new_texts"] = [(bool(acts[k].action), bool(acts[k].action_link), acts[k].text[:120]) for k in new]
            row[name] = entry
        out[corpus] = row
    return out


def realtalk(work: Path, tags: list[str], files: tuple[str, ...]) -> dict:
    import audit_real_talk as art
    from tasks_r14_tasks import realtalk_rows

    res: dict = {}
    runs = {}
    for tag in tags:
        rows = realtalk_rows(work, tag, files)
        for r in rows:
            s = art.load(work, tag, r["session"])
            a = next(x for x in s["action_items"] if f"{r['session']}|action|{x['utterance_id']}|{x['task'][:60]}" == r["key"])
            r["owner"], r["owners"] = a.get("owner"), a.get("owners")
        runs[tag] = {r["key"]: r for r in rows}
        sets = {"audited": tuple(f for f in files if f not in art.R13_AMI),
                "r13_ami_heldout_train": tuple(f for f in files if f in art.R13_AMI), "all": files}
        res[tag] = {name: {"action_items": _tally([r for r in rows if r["session"] in sess]),
                           "tasks (not in_meeting)": _tally([r for r in rows if r["session"] in sess and not r["in_meeting"]])}
                    for name, sess in sets.items()}
    if len(tags) == 2:
        a, b = (runs[t] for t in tags)
        res["diff"] = {
            "lost": [(k, a[k]["label"]) for k in a if k not in b],
            "gained": [(k, b[k]["label"]) for k in b if k not in a],
            "mark_changed": [{"key": k, "label": a[k]["label"], "before": a[k]["in_meeting"], "after": b[k]["in_meeting"],
                              "sentence": a[k]["sentence"][:140]} for k in a if k in b and a[k]["in_meeting"] != b[k]["in_meeting"]],
            "owner_changed": [{"key": k, "label": a[k]["label"], "before": [a[k]["owner"], a[k]["owners"]],
                               "after": [b[k]["owner"], b[k]["owners"]], "sentence": a[k]["sentence"][:140]}
                              for k in a if k in b and (a[k]["owner"], a[k]["owners"]) != (b[k]["owner"], b[k]["owners"])],
        }
    return res


def base_problems(rev: str = BASE) -> Any:
    """``problems.py`` as it was at ``rev`` (the rest of the package as it is)."""
    import subprocess
    import types

    src = subprocess.run(["git", "show", f"{rev}:src/sessionscope/analysis/extract/problems.py"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    mod = types.ModuleType("_problems_base")
    exec(compile(src, f"problems.py@{rev}", "exec"), mod.__dict__)  # noqa: S102 - the repository's own file at a commit
    return mod


def problems(work: Path, tags: list[str]) -> dict:
    import glob

    from dialogue_acts import CORPORA, load_acts
    from sessionscope.analysis.extract.problems import _problem_text
    from sessionscope.analysis.extract.rules import norm

    old = base_problems()

    def say(r: tuple) -> str:
        if r[0]:  # the round-start code says True for its one veto (an idiom or a resolved past)
            return "veto:idiom_or_resolved" if r[0] is True else f"veto:{r[0]}"
        return r[1].rule if r[1] is not None else "none"

    out: dict = {}
    for corpus in CORPORA:
        acts = [a for a in load_acts(corpus) if a.split in ("train", "heldout") and a.meeting not in EXCLUDED]
        changed = []
        for a in acts:
            t = norm(a.text)
            b, n = old._problem_text(t, False), _problem_text(t, False)
            if say(b) != say(n):
                changed.append({"split": a.split, "before": say(b), "after": say(n), "text": a.text[:120]})
        out[corpus] = {"acts": len(acts), "changed": len(changed),
                       "problem_hits_removed": sum(not c["before"].startswith(("veto", "none")) for c in changed),
                       "acts_changed": changed}
    runs = {}
    for tag in tags:
        items = set()
        for f in sorted(glob.glob(str(work / tag / "*" / "session.json"))):
            sid = Path(f).parent.name
            if sid in EXCLUDED:
                continue
            s = json.loads(Path(f).read_text(encoding="utf-8"))
            items |= {(sid, p["utterance_id"], p["text"][:120]) for p in s.get("problems") or []}
        runs[tag] = items
    out["realtalk"] = {t: len(v) for t, v in runs.items()}
    if len(tags) == 2:
        a, b = (runs[t] for t in tags)
        out["realtalk"]["lost"] = sorted(a - b)
        out["realtalk"]["gained"] = sorted(b - a)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=("scan", "heldout", "realtalk", "problems"))
    ap.add_argument("--work", type=Path, default=Path("/tmp/r16/tasks/audit"))
    ap.add_argument("--tags", default="base16,after16")
    ap.add_argument("--label", default="r16tasks", help="heldout: name of the items file under .cache/actions_r9")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    argv_s = " ".join(argv if argv is not None else sys.argv[1:])
    body: dict = {"command": f"python benchmarks/tasks_r16_tasks.py {argv_s}", "commit": commit(),
                  "date": dt.date.today().isoformat(), "round_start": BASE}
    if args.cmd == "scan":
        body.update(split="train + held-out train meetings (acts); dev never read", scan=scan())
    elif args.cmd == "problems":
        body.update(split="train + held-out train meetings (acts; dev never read) and the real-talk runs",
                    problems=problems(args.work, args.tags.split(",")))
    elif args.cmd == "heldout":
        body.update(split="held-out TRAIN meetings (MRDA 6, AMI 16) on cached rows; dev never read", figures=heldout(args.label))
    else:
        import realtalk_check_r13_realtalk as rc

        files = tuple(f for f in rc.FILES if f not in EXCLUDED)
        body.update(files=list(files), excluded=list(EXCLUDED), labels="rounds 6-13 (blind files' dropped)",
                    note="precision of listed tasks (right = 'ok'); one labeller per round; missed tasks were not searched for",
                    figures=realtalk(args.work, args.tags.split(","), files))
    text = json.dumps(body, indent=1, ensure_ascii=False)
    if args.out:
        (ROOT / args.out).write_text(text + "\n", encoding="utf-8")
    print(text[:8000])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

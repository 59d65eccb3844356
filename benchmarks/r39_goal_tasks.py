"""Round 39 (issue 10): the programme's goals table writes a task as the pair's report does — what changes.

Reads every ``session.json`` under a results folder, builds the ``programme_goals`` table as ``sessionscope report
programme`` does (lexical follow-up: the task words are the same either way) and lists each goal's owner and task.

Usage (repository root; seconds)::

    sessionscope analyze --manifest examples/manifest-reference.yaml --out <scratch dir>/ref
    PYTHONPATH=<scratch dir>/before/src python benchmarks/r39_goal_tasks.py <scratch dir>/ref --out <scratch dir>/before.json
    python benchmarks/r39_goal_tasks.py <scratch dir>/ref --out <scratch dir>/after.json
    python benchmarks/r39_goal_tasks.py compare --before <scratch dir>/before.json --after <scratch dir>/after.json \\
        --out benchmarks/results/r39_goal_tasks.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_dialogue_acts import commit  # noqa: E402


def read(folder: Path, out: Path) -> None:
    import sessionscope
    from sessionscope.api import load
    from sessionscope.report.goals import follow_goals, goals_table

    sessions = [load(p) for p in sorted(folder.rglob("session.json"))]
    df = goals_table(follow_goals(sessions, encoder=None), sessions)
    res = {"command": f"python benchmarks/r39_goal_tasks.py {folder.name} --out {out.name}", "commit": commit(),
           "sessionscope": str(Path(sessionscope.__file__).resolve()),
           "goals": {f"{r.session_id}/{r.action_item_id}": {"owner": r.owner_name, "task": r.task}
                     for r in df.itertuples()}}
    out.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def compare(before: Path, after: Path, out: Path) -> None:
    b = json.loads(before.read_text(encoding="utf-8"))
    a = json.loads(after.read_text(encoding="utf-8"))
    rows = [{"goal": k, "owner": v["owner"], "before": b["goals"].get(k, {}).get("task"), "after": v["task"]}
            for k, v in a["goals"].items() if b["goals"].get(k) != v]
    res = {"command": f"python benchmarks/r39_goal_tasks.py compare --before {before.name} --after {after.name} --out {out}",
           "date": dt.date.today().isoformat(), "before": {k: b[k] for k in ("command", "commit", "sessionscope")},
           "after": {k: a[k] for k in ("command", "commit", "sessionscope")},
           "goals": len(a["goals"]), "changed": len(rows), "rows": rows}
    out.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in res.items() if k != "rows"}, indent=1))


def main() -> None:
    if sys.argv[1:2] == ["compare"]:
        ap = argparse.ArgumentParser()
        ap.add_argument("cmd")
        ap.add_argument("--before", type=Path, required=True)
        ap.add_argument("--after", type=Path, required=True)
        ap.add_argument("--out", type=Path, required=True)
        args = ap.parse_args()
        compare(args.before, args.after, args.out)
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    read(args.folder, args.out)


if __name__ == "__main__":
    main()

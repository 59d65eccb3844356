"""Round 55 (issue 10): is the "no action items" flag right on real meetings? AMI's human minutes as the reference.

The flag (``flags.min_action_items``, default 1) was raised when fewer tasks than that were counted — and a task
marked "to check" is never counted. On real meetings nearly every task the stage lists is to check (round 35: the
reports count 7 of 69 MRDA and 9 of 144 AMI commitments), so the flag said "no action items" on meetings whose
human minutes list four. The tasks' confidences are calibrated probabilities; the chance that at least
``min_action_items`` of the listed tasks are tasks (Poisson-binomial, :func:`sessionscope.analysis.flow.tasks_likely`)
tells a meeting with likely tasks from one without. Round 55 raises the flag only when that chance is under one half
as well (the half is no tuned threshold: "more likely than not").

Reference: AMI's action-item annotation (``meetings.csv`` ``n_actions``: the human minutes' action items): a meeting
"has tasks" when its minutes list at least one. Scored: every held-out AMI train meeting with dialogue acts (the
heads never trained on them; the rule was read off them, with no parameter chosen), then the AMI dev meetings once.
Also listed: the flag before and after on the real transcripts (Zoom, SBCSAE, QMSum) and the examples (no
reference there).

    python benchmarks/r55_task_flag.py --out benchmarks/results/r55_task_flag.json             # held-out + real
    python benchmarks/r55_task_flag.py --dev --out benchmarks/results/r55_task_flag_dev.json   # AMI dev, once
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import DATA, meetings, write_result  # noqa: E402
from dialogue_acts_eval import session_of  # noqa: E402
from r37_accepted import EXAMPLES, REAL  # noqa: E402
from r54_pass import QMSUM  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402


def _row(session: Any, stage: Any, cfg: Any) -> dict[str, Any]:
    from sessionscope.analysis.flow import compute_flags, task_agreed_map, tasks_likely

    out = stage(session)
    tasks = out.tasks
    counted = sum(1 for a in tasks if not a.to_check)
    flags = {f.code for f in compute_flags(out, cfg)}
    # the chance the flag reads: since round 57 the tasks by the check's "a task was agreed" map
    return {"tasks_listed": len(tasks), "tasks_counted": counted,
            "chance_of_enough_tasks": round(tasks_likely(tasks, cfg.min_action_items, task_agreed_map(out)), 3),
            "flag_before": counted < cfg.min_action_items, "flag_shipped": "no_action_items" in flags}


def _score(rows: dict[str, dict]) -> dict[str, Any]:
    out: dict[str, Any] = {"meetings": len(rows), "with_minuted_tasks": sum(r["minuted_tasks"] > 0 for r in rows.values())}
    for rule in ("flag_before", "flag_shipped"):
        raised = [r for r in rows.values() if r[rule]]
        right = sum(1 for r in raised if r["minuted_tasks"] == 0)
        none = [r for r in rows.values() if r["minuted_tasks"] == 0]
        out[rule] = {"raised": len(raised), "raised_right": right,
                     "meetings_without_minuted_tasks_flagged": f"{sum(1 for r in none if r[rule])} of {len(none)}",
                     "meetings_with_minuted_tasks_flagged": f"{sum(1 for r in rows.values() if r[rule] and r['minuted_tasks'])}"
                                                            f" of {out['with_minuted_tasks']}",
                     "right": sum(1 for r in rows.values() if r[rule] == (r["minuted_tasks"] == 0))}
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dev", action="store_true", help="the AMI dev meetings (once) instead of held-out + real")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.api import read_transcript
    from sessionscope.config import FlagsConfig

    stage, cfg = ExtractionStage(), FlagsConfig()
    minutes = {r["meeting"]: int(r["n_actions"]) for r in csv.DictReader(
        (DATA / "ami-annotations" / "meetings.csv").open(encoding="utf-8"))}
    split = "dev" if args.dev else "heldout"
    ami = {m: {**_row(session_of(m, acts), stage, cfg), "minuted_tasks": minutes[m]}
           for m, acts in sorted(meetings("ami", split).items())}
    res: dict[str, Any] = {"command": f"python benchmarks/r55_task_flag.py{' --dev' if args.dev else ''} --out {args.out}",
                           "commit": commit(), "min_action_items": cfg.min_action_items, "split": split,
                           "ami": _score(ami), "ami_meetings": ami}
    if not args.dev:
        res["real_transcripts"] = {name: _row(read_transcript(path), stage, cfg)
                                   for name, path in {**REAL, **QMSUM, **EXAMPLES}.items()}
    write_result(res, args.out)
    for rule in ("flag_before", "flag_shipped"):
        print(rule, res["ami"][rule])


if __name__ == "__main__":
    main()

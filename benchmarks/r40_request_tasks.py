"""Round 40 (issue 10): a task asked for as a question reads as a task ("look into the company logo", not "Can you
look into the company logo") — what changes.

A new user's pass over a real meeting series (QMSum's ES2004a–d as one team's four sessions) gave the programme's goals
table the task "Can you look into the company logo": the request's frame, kept because the task phrase only left out a
declarative frame ("you will…", "I'll…"). :func:`sessionscope.analysis.extract.actions.task_start` now also leaves out
a request's frame ("can / could / would / will you…", "please", a name called before it).

Usage (repository root; about 7 minutes on 2 cores for each ``read``)::

    git worktree add -f <scratch dir>/before <round's base commit>
    PYTHONPATH=<scratch dir>/before/src python benchmarks/r40_request_tasks.py read --out <scratch dir>/r40_rt_before.json
    python benchmarks/r40_request_tasks.py read --out <scratch dir>/r40_rt_after.json
    python benchmarks/r40_request_tasks.py compare --before <scratch dir>/r40_rt_before.json \\
        --after <scratch dir>/r40_rt_after.json --out benchmarks/results/r40_request_tasks.json

``read`` runs the extraction stage on every held-out train meeting of MRDA and AMI (never dev), the real transcripts
nobody here wrote (the Zoom class, SBC001, SBC009, SBC044), QMSum's ES2004a–d (AMI meetings outside the dialogue-act
splits) and the two bundled examples' reference transcripts, and lists every action item: its task, owner, due date,
confidence, to-check mark and method. ``compare`` lists every item whose fields differ, with both versions, and counts
them (an item found or lost shows as added or removed).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _before_after import cli, compare_reads  # noqa: E402
from dialogue_acts import DATA  # noqa: E402
from r37_accepted import EXAMPLES, read_real  # noqa: E402

QMSUM = {f"qmsum/ES2004{m}": DATA / "qmsum-topics-queries" / f"ES2004{m}.json"
         for m in "abcd"}


def _items(stage, session) -> dict[str, dict]:  # noqa: ANN001
    out = stage(session)
    said = {u.id: u.text for u in out.utterances}
    return {f"{a.utterance_id}:{a.char_start}": {
        "task": a.task, "owner": a.owner, "due": None if a.due_date is None else a.due_date.isoformat(),
        "confidence": None if a.confidence is None else round(a.confidence, 4), "to_check": a.to_check,
        "method": a.method, "said": said.get(a.utterance_id, "")[:300]} for a in out.action_items}


def read(out: Path) -> None:
    read_real(out, "python benchmarks/r40_request_tasks.py read", _items, {**QMSUM, **EXAMPLES})


#: what ``read`` reads (round 41's read is the same)
FILES = ("held-out train meetings of MRDA and AMI; the Zoom class, SBC001, SBC009, SBC044; QMSum ES2004a-d; the "
         "examples' reference transcripts")


def compare(before: Path, after: Path, out: Path) -> dict:
    return compare_reads(before, after, out, script="r40_request_tasks.py", unit="item", files=FILES)


if __name__ == "__main__":
    cli(__doc__, read, compare)

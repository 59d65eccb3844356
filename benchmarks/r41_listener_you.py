"""Round 41 (issue 10): a task taken from someone else's words names its owner in the first person ("try the Pomodoro
method when I prepare slides", not "… when you prepare slides") — what changes.

A task accepted in a word takes the request's or the advice's words (rounds 37–38); the asker's "me" and "my" became
"you" and "your", but the listener's "you" stayed, and the report, reading "you" as the owner's listener, made "when
you prepare slides" into "when Boris prepare slides". :func:`sessionscope.analysis.extract.accept._to_speaker` makes
that "you" "I" (a subject, by the parse) or "me"; the advice frame "recommend that you…" is left out without its "I'd"
too.

Usage (repository root; about 7 minutes on 2 cores for each ``read``; the read is round 40's)::

    git worktree add -f <scratch dir>/before <round's base commit>
    PYTHONPATH=<scratch dir>/before/src python benchmarks/r41_listener_you.py read --out <scratch dir>/r41_you_before.json
    python benchmarks/r41_listener_you.py read --out <scratch dir>/r41_you_after.json
    python benchmarks/r41_listener_you.py compare --before <scratch dir>/r41_you_before.json \\
        --after <scratch dir>/r41_you_after.json --out benchmarks/results/r41_listener_you.json

Files: every held-out train meeting of MRDA and AMI (never dev), the Zoom class, SBC001, SBC009, SBC044, QMSum's
ES2004a–d and the two bundled examples' reference transcripts; every action item's task, owner, due date, confidence,
to-check mark and method.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _before_after import cli, compare_reads  # noqa: E402
from r37_accepted import EXAMPLES, read_real  # noqa: E402
from r40_request_tasks import FILES, QMSUM, _items  # noqa: E402


def read(out: Path) -> None:
    read_real(out, "python benchmarks/r41_listener_you.py read", _items, {**QMSUM, **EXAMPLES})


def compare(before: Path, after: Path, out: Path) -> dict:
    return compare_reads(before, after, out, script="r41_listener_you.py", unit="item", files=FILES)


if __name__ == "__main__":
    cli(__doc__, read, compare)

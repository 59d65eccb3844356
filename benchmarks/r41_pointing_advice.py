"""Round 41 (issue 10): advice that only points back ("Try that for a week.") is shown with the sentence before it, and
a task offered as "Can I…" reads as its task — what changes.

A one-to-one call written for a new user's pass: "I block the first hour of the day for the most important task. Try
that for a week." listed the recommendation "Try that for a week." alone;
:func:`sessionscope.analysis.extract.recommendations.advice_text` now shows such advice (at most eight words, pointing
back: "try that / do the same / give it a go", «попробуйте так») from the speaker's sentence before it, if that is no
question. "Can I show you my draft next time?" was the action item's task word for word; the task's start now passes
over "can / could / may / shall I" as it does over "can you" (round 40).

Usage (repository root; a few minutes on 2 cores for each ``read``)::

    git worktree add -f <scratch dir>/before <round's base commit>
    PYTHONPATH=<scratch dir>/before/src python benchmarks/r41_pointing_advice.py read --out <scratch dir>/r41_pa_before.json
    python benchmarks/r41_pointing_advice.py read --out <scratch dir>/r41_pa_after.json
    python benchmarks/r41_pointing_advice.py compare --before <scratch dir>/r41_pa_before.json \\
        --after <scratch dir>/r41_pa_after.json --out benchmarks/results/r41_pointing_advice.json

Files: round 40's (every held-out train meeting of MRDA and AMI, never dev; the Zoom class, SBC001, SBC009, SBC044;
QMSum's ES2004a–d; the examples' reference transcripts). Every recommendation (text, giver, receiver, confidence,
to-check mark) and action item (task, owner, due date, confidence, to-check mark), keyed by kind and position.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _before_after import cli, compare_reads  # noqa: E402
from r37_accepted import EXAMPLES, read_real  # noqa: E402
from r40_request_tasks import FILES, QMSUM, _items  # noqa: E402


def _both(stage, session) -> dict[str, dict]:  # noqa: ANN001
    out = stage(session)
    recs = {f"rec:{r.utterance_id}:{r.char_end}": {
        "text": r.text, "giver": r.giver, "receiver": r.receiver,
        "confidence": None if r.confidence is None else round(r.confidence, 4), "to_check": r.to_check}
        for r in out.recommendations}
    return {**recs, **{f"act:{k}": v for k, v in _items(lambda s: out, session).items()}}


def read(out: Path) -> None:
    read_real(out, "python benchmarks/r41_pointing_advice.py read", _both, {**QMSUM, **EXAMPLES})


def compare(before: Path, after: Path, out: Path) -> dict:
    return compare_reads(before, after, out, script="r41_pointing_advice.py", unit="item", files=FILES)


if __name__ == "__main__":
    cli(__doc__, read, compare)

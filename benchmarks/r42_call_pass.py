"""Round 42 (issue 10): a new user's third pass over one-to-one calls (English and Russian) — what the task fixes
change on real talk.

The pass found task phrases that do not stand on their own and due dates read from what the task does: a commitment
whose object only points back ("I will send them tomorrow", «пришлю их завтра») now names the thing from the request
before it (:func:`sessionscope.analysis.extract.accept.pointed_task`); "block Tuesday and Thursday mornings" and «утро
вторника и четверга» are no due date, "starting next week" / «со следующей недели» is read whole (its Monday); advice
taken up "for the next sprint" takes the advice; a Russian imperative taken from the other person is the owner's first
person ("предложите" → "предложу"); «настрою её» is the verb (an object pronoun after it). A short answer to the other
person's offer to show something ("Anything else you want me to show you next time?" — "Maybe the dashboards.") is
the speaker's request, not advice (:func:`sessionscope.analysis.extract.request.chooses_from_offer`).

Usage (repository root; about 7 minutes on 2 cores for each ``read``; the read is round 40's)::

    git worktree add -f <scratch dir>/before <round's base commit>
    PYTHONPATH=<scratch dir>/before/src python benchmarks/r42_call_pass.py read --out <scratch dir>/r42_before.json
    python benchmarks/r42_call_pass.py read --out <scratch dir>/r42_after.json
    python benchmarks/r42_call_pass.py compare --before <scratch dir>/r42_before.json \\
        --after <scratch dir>/r42_after.json --out benchmarks/results/r42_call_pass.json

Files: every held-out train meeting of MRDA and AMI (never dev), the Zoom class, SBC001, SBC009, SBC044, QMSum's
ES2004a–d and the two bundled examples' reference transcripts; every action item's task, owner, due date, confidence,
to-check mark and method, and every recommendation's text, giver, receiver, confidence, to-check, request and
procedure marks (round 41's read, ``r41_pointing_advice.py``, with the two marks added).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _before_after import cli, compare_reads  # noqa: E402
from r37_accepted import EXAMPLES, read_real  # noqa: E402
from r40_request_tasks import FILES, QMSUM  # noqa: E402
from r41_pointing_advice import _both as r41_both  # noqa: E402


def _both(stage, session) -> dict[str, dict]:  # noqa: ANN001
    """Round 41's read of every recommendation and action item, with each recommendation's request and procedure
    marks added (what round 42's choice among what the other offers to show changes)."""
    out = stage(session)
    rows = r41_both(lambda s: out, session)
    for r in out.recommendations:
        rows[f"rec:{r.utterance_id}:{r.char_end}"].update(request=r.request, procedure=r.procedure)
    return rows


def read(out: Path) -> None:
    read_real(out, "python benchmarks/r42_call_pass.py read", _both, {**QMSUM, **EXAMPLES})


def compare(before: Path, after: Path, out: Path) -> dict:
    return compare_reads(before, after, out, script="r42_call_pass.py", unit="item", files=FILES)


if __name__ == "__main__":
    cli(__doc__, read, compare)

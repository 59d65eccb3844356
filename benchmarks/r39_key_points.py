"""Round 39 (issue 10): an action item accepted in a word is quoted in the key points with its task — what changes.

A new user's one-to-one call gave the key points "Robert Hale: Okay, I'll try that at the next team meeting." and
"Maya Chen: Sure, I'll send them tomorrow morning.": quotes that say nothing of what was agreed. The key point of an
action item whose sentence does not hold its task (:func:`sessionscope.analysis.flow.action_point`) now adds the task
after an arrow ("… → send you the slides from my training session").

Usage (repository root; about 7 minutes on 2 cores for each ``read``)::

    git worktree add -f <scratch dir>/before <round's base commit>
    PYTHONPATH=<scratch dir>/before/src python benchmarks/r39_key_points.py read --out <scratch dir>/r39_kp_before.json
    python benchmarks/r39_key_points.py read --out <scratch dir>/r39_kp_after.json
    python benchmarks/r39_key_points.py compare --before <scratch dir>/r39_kp_before.json \\
        --after <scratch dir>/r39_kp_after.json --out benchmarks/results/r39_key_points.json

``read`` runs the extraction stage on every held-out train meeting of MRDA and AMI (never dev), the real transcripts
nobody here wrote (the Zoom class, SBC001, SBC009, SBC044) and the two bundled examples' reference transcripts, and
lists every candidate key point (``summarize`` with no limit per area: every item with a measured confidence that is
not to check). ``compare`` lists every point whose text differs, with both versions, and counts them.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _before_after import cli, compare_reads  # noqa: E402
from r37_accepted import EXAMPLES, read_real  # noqa: E402


def _points(stage, session) -> dict[str, dict]:  # noqa: ANN001
    from sessionscope.analysis.flow import summarize

    out = stage(session)
    return {f"{kp.utterance_id}:{n}": {"speaker": kp.speaker, "text": kp.text, "score": kp.score}
            for n, kp in enumerate(sorted(summarize(out, per_area=10**6), key=lambda kp: kp.utterance_id))}


def read(out: Path) -> None:
    read_real(out, "python benchmarks/r39_key_points.py read", _points, EXAMPLES)


def compare(before: Path, after: Path, out: Path) -> dict:
    return compare_reads(before, after, out, script="r39_key_points.py", unit="point",
                         files="held-out train meetings of MRDA and AMI; the Zoom class, SBC001, SBC009, SBC044; "
                               "the examples' reference transcripts")


if __name__ == "__main__":
    cli(__doc__, read, compare)

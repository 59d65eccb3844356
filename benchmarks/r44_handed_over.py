"""Round 44 (issue 10): a fifth new-user pass over one-to-one calls — what the fixes change on real talk, and how often
the corpora hold what they read.

The pass found: tasks handed over in so many words gave no action item or the wrong owner ("Your homework is to read
the chapter on estimation before our next session.", "Homework: …", "One thing for you to do: …", "By next session I
want you to have a draft of the plan.", «Мне нужно, чтобы вы выяснили…», «Вам придётся представить…»;
:func:`sessionscope.analysis.extract.assign.handed_over`); "next time" was no due expression ("Next time, bring the
numbers from the last sprint." — "Will do." gave nothing); an imperative with a deadline in a pair was nobody's task;
"Make sure you talk to Oleg" taken up read "Make sure I talk to Oleg"; "I'd like you to write…" read "like you to
write…"; leave-takings ("Talk to you next time.", "Take care, see you next week.") were listed as advice.

Usage (repository root)::

    git worktree add -f <scratch dir>/before <round's base commit>
    PYTHONPATH=<scratch dir>/before/src python benchmarks/r42_call_pass.py read --out <scratch dir>/r44_before.json
    python benchmarks/r42_call_pass.py read --out <scratch dir>/r44_after.json
    python benchmarks/r44_handed_over.py compare --before <scratch dir>/r44_before.json \\
        --after <scratch dir>/r44_after.json --out benchmarks/results/r44_handed_over.json
    python benchmarks/r44_handed_over.py counts --out benchmarks/results/r44_corpus_counts.json

The reads are round 42's (:mod:`r42_call_pass`: every held-out train meeting of MRDA and AMI, never dev; the Zoom
class, SBC001, SBC009, SBC044, QMSum's ES2004a–d and the two examples' reference transcripts). ``counts`` (about a
minute): on the train meetings of both corpora (never dev), every act (1) that is a leave-taking said whole
(:func:`~sessionscope.analysis.extract.recommendations.farewell`, which now lists no item), (2) whose due expression
is "next time" (:func:`~sessionscope.analysis.extract.dates.find_due`), (3) that hands a task over in so many words
(:func:`~sessionscope.analysis.extract.assign.handed_over`), each with its gold labels (suggestion / commitment).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _before_after import cli, compare_reads  # noqa: E402
from dialogue_acts import CORPORA, meetings, write_result  # noqa: E402
from r40_request_tasks import FILES  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

_NEXT_TIME = re.compile(r"next\s+time", re.IGNORECASE)


def counts(out: Path) -> dict:
    from sessionscope.analysis.extract.assign import handed_over
    from sessionscope.analysis.extract.dates import find_due
    from sessionscope.analysis.extract.recommendations import farewell

    res: dict = {"command": f"python benchmarks/r44_handed_over.py counts --out {out}", "commit": commit(),
                 "split": "train meetings of the dialogue-act splits (never dev)", "corpora": {}}
    tests = {"farewell": lambda text: farewell(text),
             "next_time_due": lambda text: (d := find_due(text)) is not None and bool(_NEXT_TIME.search(d.text)),
             "handed_over": handed_over}
    for corpus in CORPORA:
        found: dict[str, list[dict]] = {name: [] for name in tests}
        for m, acts in sorted(meetings(corpus, "train").items()):
            for a in acts:
                for name, test in tests.items():
                    if test(a.text):
                        found[name].append({"meeting": m, "text": a.text, "label": a.label,
                                            "gold_suggestion": a.recommendation, "gold_commitment": a.action})
        summary = {name: {"acts": len(rows), "gold_suggestion": sum(r["gold_suggestion"] for r in rows),
                          "gold_commitment": sum(r["gold_commitment"] for r in rows)} for name, rows in found.items()}
        print(corpus, json.dumps(summary))
        res["corpora"][corpus] = {"summary": summary, **found}
    write_result(res, out)
    return res


def compare(before: Path, after: Path, out: Path) -> dict:
    return compare_reads(before, after, out, script="r44_handed_over.py", unit="item", files=FILES)


if __name__ == "__main__":
    cli(__doc__, counts, compare, read_cmd="counts")

"""Round 46 (issue 10): a deadline agreed over a few lines — what the change does on real talk, and how often the
corpora hold it.

The change (``sessionscope.analysis.extract.negotiate``): "I can do it by Friday." — "Can you do Wednesday?" —
"Okay, Wednesday then." moves the task's due to Wednesday (it kept Friday, and "I can do it by Friday." to a request
was no task at all); "Can you update the onboarding docs?" — "Sure." — "By when?" — "End of the week." is a task;
«Давай к пятнице, в среду не успею.» is no joint task; "end of day tomorrow" is tomorrow; an English task handed over
names the one who asked ("send Anna the report").

Usage (repository root)::

    git worktree add -f <scratch dir>/before <round's base commit>
    PYTHONPATH=<scratch dir>/before/src python benchmarks/r42_call_pass.py read --out <scratch dir>/r46_before.json
    python benchmarks/r42_call_pass.py read --out <scratch dir>/r46_after.json
    python benchmarks/r46_deadlines.py compare --before <scratch dir>/r46_before.json \\
        --after <scratch dir>/r46_after.json --out benchmarks/results/r46_deadlines.json
    python benchmarks/r46_deadlines.py counts --out benchmarks/results/r46_corpus_counts.json

The reads are round 42's (:mod:`r42_call_pass`: every held-out train meeting of MRDA and AMI, never dev; the Zoom
class, SBC001, SBC009, SBC044, QMSum's ES2004a–d and the two examples' reference transcripts). ``counts`` (a few
minutes: it parses the candidates), on the train meetings of both corpora (never dev): every act that proposes a day
and says nothing else (``negotiate.proposed_due``) and whether the next act, by someone else, agrees to it
(``negotiate.agrees``); every act asking when (``negotiate.asks_when``) and whether the next, by someone else, answers
with a day (``negotiate.answers_when``); every act naming the end of a named day ("end of day tomorrow"). Each with the
gold labels of the acts (commitment ``^cc`` / ``off``). And every request to the listener (``accept._request``)
answered by the next speaker with a refusal (``negotiate._EN_REFUSAL``: "No, sorry, I can't."), and every commitment
in so many words ("I'll…") the next speaker declines (``negotiate._EN_DECLINED``: "No need."), with the request's or
the commitment's gold commitment label: where ``negotiate.refused`` would take a task out; and every act that opens
by calling something off (``negotiate._EN_WITHDRAWN``: "never mind", "forget it", "no need"…), with how many of the
three acts before it by someone else are gold commitments.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _before_after import cli, compare_reads  # noqa: E402
from dialogue_acts import CORPORA, meetings, write_result  # noqa: E402
from r40_request_tasks import FILES  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

_EOD_DAY = re.compile(r"\b(?:end\s+of\s+(?:the\s+)?day|eod|cob|close\s+of\s+business|end\s+of\s+business),?\s+"
                      r"(?:on\s+)?(?:tomorrow|monday|tuesday|wednesday|thursday|friday)\b", re.IGNORECASE)


_WILL = re.compile(r"\b(?:i'll|i will|i can|let me|i'm going to|i am going to)\b", re.IGNORECASE)


class _Session:
    date = dt.date(2026, 12, 7)  # any date: the counts only need the days to compare


class _Cfg:
    meeting_interval_days = 7


def counts(out: Path) -> dict:
    from sessionscope.analysis.extract.accept import _request
    from sessionscope.analysis.extract.dates import find_due
    from sessionscope.analysis.extract.negotiate import (
        _EN_DECLINED,
        _EN_REFUSAL,
        _EN_WITHDRAWN,
        agrees,
        answers_when,
        asks_when,
        proposed_due,
    )
    from sessionscope.language.nlp import parse_texts

    res: dict = {"command": f"python benchmarks/r46_deadlines.py counts --out {out}", "commit": commit(),
                 "split": "train meetings of the dialogue-act splits (never dev)", "corpora": {}}
    session, cfg = _Session(), _Cfg()
    for corpus in CORPORA:
        pairs = []  # (meeting, act, next act by someone else)
        eod = []
        turned = []  # (meeting, act, next act that turns it down, kind)
        called_off: list[dict] = []
        for m, acts in sorted(meetings(corpus, "train").items()):
            for k, a in enumerate(acts):
                nxt = acts[k + 1] if k + 1 < len(acts) and acts[k + 1].speaker != a.speaker else None
                if nxt is not None and _EN_REFUSAL.match(nxt.text):
                    turned.append((m, a, nxt, "refused"))
                elif nxt is not None and _EN_DECLINED.match(nxt.text) and _WILL.search(a.text):
                    turned.append((m, a, nxt, "declined"))
                if _EN_WITHDRAWN.match(a.text) and not a.text.rstrip().endswith("?"):
                    before = [b for b in acts[max(0, k - 3):k] if b.speaker != a.speaker]
                    called_off.append({"meeting": m, "text": a.text, "label": a.label,
                                       "commitments_before": sum(b.action for b in before)})
                if _EOD_DAY.search(a.text):
                    eod.append({"meeting": m, "text": a.text, "label": a.label, "gold_commitment": a.action})
                if nxt is not None and (find_due(a.text) is not None or "when" in a.text.casefold()):
                    pairs.append((m, a, nxt))
        parsed = parse_texts([t for _m, a, n in pairs for t in (a.text, n.text)], language="en")
        proposals: list[dict] = []
        asked: list[dict] = []
        for n, (m, a, nxt) in enumerate(pairs):
            here, there = parsed[2 * n], parsed[2 * n + 1]
            due = next((d for s in here if (d := proposed_due(s, session, cfg)) is not None), None)
            if due is not None:
                said = [agrees(s, due, session, cfg) for s in there]
                proposals.append({"meeting": m, "text": a.text, "reply": nxt.text, "label": a.label,
                                  "reply_label": nxt.label, "agreed": any(said), "refused": False in said,
                                  "gold_commitment": a.action or nxt.action})
            if any(asks_when(s) for s in here):
                day = next((d for s in there if (d := answers_when(s, session, cfg)) is not None), None)
                asked.append({"meeting": m, "text": a.text, "reply": nxt.text, "label": a.label,
                              "reply_label": nxt.label, "answered_with_a_day": day is not None,
                              "gold_commitment": a.action or nxt.action})
        turned_down: list[dict] = []
        for (m, a, nxt, kind), sents in zip(turned, parse_texts([a.text for _m, a, _n, _k in turned], language="en"),
                                            strict=True):
            if kind == "refused" and not any(_request(s, imperative="any") for s in sents):
                continue
            turned_down.append({"meeting": m, "text": a.text, "reply": nxt.text, "kind": kind, "label": a.label,
                                "gold_commitment": a.action})
        summary = {
            "calls_off": {"acts": len(called_off),
                          "after_a_gold_commitment": sum(r["commitments_before"] > 0 for r in called_off)},
            "turned_down": {"acts": len(turned_down), "refused": sum(r["kind"] == "refused" for r in turned_down),
                            "declined": sum(r["kind"] == "declined" for r in turned_down),
                            "gold_commitment": sum(r["gold_commitment"] for r in turned_down)},
            "proposes_a_day": {"acts": len(proposals), "agreed_next": sum(r["agreed"] for r in proposals),
                               "refused_next": sum(r["refused"] for r in proposals),
                               "gold_commitment": sum(r["gold_commitment"] for r in proposals)},
            "asks_when": {"acts": len(asked), "answered_with_a_day": sum(r["answered_with_a_day"] for r in asked),
                          "gold_commitment": sum(r["gold_commitment"] for r in asked)},
            "end_of_a_named_day": {"acts": len(eod), "gold_commitment": sum(r["gold_commitment"] for r in eod)},
        }
        print(corpus, json.dumps(summary))
        res["corpora"][corpus] = {"summary": summary, "proposes_a_day": proposals, "asks_when": asked,
                                  "end_of_a_named_day": eod, "turned_down": turned_down, "calls_off": called_off}
    write_result(res, out)
    return res


def compare(before: Path, after: Path, out: Path) -> dict:
    return compare_reads(before, after, out, script="r46_deadlines.py", unit="item", files=FILES)


if __name__ == "__main__":
    cli(__doc__, counts, compare, read_cmd="counts")

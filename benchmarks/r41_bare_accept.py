"""Round 41 (issue 10): is a request to the listener answered by a bare "Sure." / "Yeah." an action item in real
meetings? Counted, not shipped.

    .venv/bin/python benchmarks/r41_bare_accept.py --json benchmarks/results/r41_bare_accept.json

On the train meetings of MRDA and AMI (the dialogue-act splits' train part; never dev): every act that asks the
listener plainly (``sessionscope.analysis.extract.accept``'s English request pattern, "can / could / would / will
you…", "I need you to…", with a task verb) whose next act by someone else, within two acts, holds only words of assent
(the same module's list; at most six words). Per pair: the request's and the reply's corpus labels, whether the request
is a recommendation in the gold (MRDA ``^cs``/``^co``, AMI ``sug``), whether the reply is an action item (MRDA ``^cc``,
AMI ``off``), and whether either act is linked to an AMI human action-item sentence.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, meetings, write_result  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402


def pairs(corpus: str, split: str) -> list[dict]:
    from sessionscope.analysis.extract.accept import _EN_ASSENT, _EN_NOT_TASK, _EN_REQUEST, _WORD

    out = []
    for m, acts in sorted(meetings(corpus, split).items()):
        for i, a in enumerate(acts):
            found = _EN_REQUEST.search(a.text)
            task = (found.group("task") or found.group("task2") or "").split() if found else []
            if not task or task[0].lower() in _EN_NOT_TASK:
                continue
            reply = next((b for b in acts[i + 1:i + 3] if b.speaker != a.speaker), None)
            if reply is None:
                continue
            words = [w.casefold() for w in _WORD.findall(reply.text)]
            if not words or len(words) > 6 or any(w not in _EN_ASSENT for w in words):
                continue
            out.append({"meeting": m, "request": a.text, "request_label": a.label, "reply": reply.text,
                        "reply_label": reply.label, "request_is_recommendation": a.recommendation,
                        "reply_is_action": reply.action, "linked_to_human_action_item": a.action_link or reply.action_link})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    res: dict = {"command": "python benchmarks/r41_bare_accept.py" + (f" --json {args.json}" if args.json else ""),
                 "commit": commit(), "split": "train meetings of the dialogue-act splits (never dev)", "corpora": {}}
    for corpus in CORPORA:
        rows = pairs(corpus, "train")
        summary = {"pairs": len(rows), **{k: sum(r[k] for r in rows) for k in
                   ("request_is_recommendation", "reply_is_action", "linked_to_human_action_item")}}
        print(corpus, json.dumps(summary))
        res["corpora"][corpus] = {"summary": summary, "pairs": rows}
    if args.json:
        write_result(res, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

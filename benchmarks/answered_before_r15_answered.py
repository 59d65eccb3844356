"""Before (round-start code, 0817492): ``answered`` of the gold questions found on held-out train meetings
against "the corpus has a responder" (the adjacency pairs), as ``dialogue_acts_eval.py`` scores it.

Usage (the round-start checkout's ``src`` on the path; the output names the code it read)::

    PYTHONPATH=/tmp/r15/base/src python benchmarks/answered_before_r15_answered.py \\
        > benchmarks/results/answered_before_heldout_r15_answered.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, meetings  # noqa: E402


def main() -> int:
    import sessionscope
    from sessionscope.analysis.questions import session_questions
    from sessionscope.config import DynamicsConfig
    from sessionscope.model import Participant, Session, Utterance

    dyn = DynamicsConfig()
    out: dict = {"command": "PYTHONPATH=<round-start checkout>/src python benchmarks/answered_before_r15_answered.py",
                 "code": sessionscope.__file__}
    for c in CORPORA:
        pred, gold = [], []
        for m, acts in meetings(c, "heldout").items():
            utts = tuple(Utterance(id=a.id, speaker=a.speaker, text=a.text, start=a.start, end=a.end) for a in acts)
            sess = Session(id=m, participants=tuple(Participant(id=x, name=x) for x in sorted({a.speaker for a in acts})),
                           utterances=utts, language="en")
            answered = {e.utterance_id: e.answered for e in session_questions(sess, dyn)}
            for a in acts:
                if a.question and a.id in answered:
                    pred.append(answered[a.id])
                    gold.append(a.responder is not None)
        p, g = np.array(pred, dtype=bool), np.array(gold, dtype=bool)
        tp, fp, fn = int((p & g).sum()), int((p & ~g).sum()), int((~p & g).sum())
        out[c] = {"n": len(g), "agreement": round(float((p == g).mean()), 4), "tp": tp, "fp": fp, "fn": fn,
                  "f1": round(2 * tp / (2 * tp + fp + fn), 4)}
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

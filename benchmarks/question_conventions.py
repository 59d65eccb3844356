"""How the two meeting corpora mark questions, and what the shipped question head finds of the hard kind.

Usage (from the repository root; ~1 min)::

    python benchmarks/question_conventions.py

Reads the train and held-out train meetings only (never dev). Per corpus: how many acts end in
"?" and how many of those are gold questions (MRDA ``qy qw qo qr qrr``, AMI ``el.*``), how many
gold questions carry a "?", what a "?"-only rule scores, and which labels the "?"-ended
non-questions carry — the label convention that bounds any text-only detector on AMI. Then, on
the held-out MRDA meetings, the recall of the shipped head on declarative questions (``qy^d``)
as bare acts (no punctuation, one utterance per act, through ``find_questions``).

Writes ``benchmarks/results/question_conventions.json``.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, ROOT, load_acts, meetings  # noqa: E402
from train_dialogue_acts import bare_turns, commit  # noqa: E402


def conventions(corpus: str) -> dict:
    """The question-mark convention of one corpus on its train + held-out train meetings."""
    acts = [a for a in load_acts(corpus) if a.split in ("train", "heldout")]
    ends = [a for a in acts if a.text.rstrip().endswith("?")]
    gold = [a for a in acts if a.question]
    tp = sum(a.question for a in ends)
    p, r = tp / len(ends), tp / len(gold)
    others = collections.Counter(a.label.split("|")[0] for a in ends if not a.question)
    return {"acts": len(acts), "gold_questions": len(gold), "acts_ending_in_?": len(ends),
            "gold_given_ends_in_?": round(p, 3), "ends_in_?_given_gold": round(r, 3),
            "gold_with_any_?": round(sum("?" in a.text for a in gold) / len(gold), 3),
            "?_only_rule": {"p": round(p, 3), "r": round(r, 3), "f1": round(2 * p * r / (p + r), 3)},
            "labels_of_?_ended_non_questions": dict(others.most_common(10))}


def declarative_recall() -> dict:
    """The shipped head's recall on MRDA ``qy^d`` acts of the held-out meetings, bare, one utterance per act."""
    from sessionscope.analysis.questions import bundled_question_head, find_questions
    from sessionscope.model import Utterance

    head = bundled_question_head()
    hit = total = 0
    for acts in meetings("mrda", "heldout").values():
        ordered = sorted(acts, key=lambda a: a.start)
        turns = bare_turns(ordered, merge=False)  # the same order: one bare utterance per act
        utts = [Utterance(id=f"t{k}", speaker=s, text=" ".join(ts)) for k, (s, ts, _) in enumerate(turns)]
        found = {e.utterance_id for e in find_questions(utts, language="en", backchannels=(), head=head)}
        for k, a in enumerate(ordered):
            if a.question and "qy^d" in a.label:
                total += 1
                hit += f"t{k}" in found
    return {"found": hit, "gold": total, "recall": round(hit / total, 3) if total else None}


def main() -> int:
    t0 = time.time()
    out: dict = {"command": "python benchmarks/question_conventions.py", "commit": commit(),
                 "date": dt.date.today().isoformat(), "split": "train + heldout train meetings (conventions); "
                 "heldout train meetings (qy^d recall); dev never read"}
    for c in CORPORA:
        out[c] = conventions(c)
        print(c, json.dumps(out[c]), flush=True)
    out["mrda_qy^d_bare_recall_heldout"] = declarative_recall()
    print("MRDA qy^d, bare acts, held-out:", json.dumps(out["mrda_qy^d_bare_recall_heldout"]), flush=True)
    out["seconds"] = round(time.time() - t0)
    path = ROOT / "benchmarks" / "results" / "question_conventions.json"
    path.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print("wrote", path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

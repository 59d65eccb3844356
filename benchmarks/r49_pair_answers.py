"""Who answered in two-person talk: the rule against the learned answer head, on real two-person stretches (round 49).

The learned answer head (``questions.AnswerHead``) decides which reply answers a question in timed English sessions
of three or more speakers; two-person sessions keep the rule, because the head was learned on meetings of 4–9
people and, forced on the two-person English example, it lost one of its 14 answers (round 15). A mentoring
session is two people, so that is where "answered" (and the answers in the knowledge flow) matters most.

The MRDA and AMI meetings hold real two-person talk too: stretches of consecutive acts by exactly two speakers.
Each stretch of at least ``--min-acts`` acts becomes a two-person session (``dialogue_acts_eval.session_of``: the
acts' speakers, times and text as transcribed), its questions are found as the dynamics find them
(``questions.find_questions`` with the shipped question head and the default dynamics settings), and the answer
is attributed twice: by the rule (what two-person sessions get) and by the learned head (forced, as if the session
had three speakers). Gold: a question act whose adjacency-pair responder is the other person is answered, one with
no responder is not; one whose responder is a third person (outside the stretch) is left out.

Usage (from the repository root; ~2 min)::

    python benchmarks/r49_pair_answers.py --split heldout --json benchmarks/results/r49_pair_answers_heldout.json
    python benchmarks/r49_pair_answers.py --split dev --json benchmarks/results/r49_pair_answers_dev.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, Act, meetings, write_result  # noqa: E402
from dialogue_acts_eval import answered_figures, session_of  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402


def two_person_stretches(acts: list[Act], min_acts: int) -> list[list[Act]]:
    """Maximal runs of consecutive acts by exactly two speakers, at least ``min_acts`` long (greedy, left to right)."""
    out: list[list[Act]] = []
    i = 0
    while i < len(acts):
        j, speakers = i, set()
        while j < len(acts) and len(speakers | {acts[j].speaker}) <= 2:
            speakers.add(acts[j].speaker)
            j += 1
        if j - i >= min_acts and len(speakers) == 2:
            out.append(acts[i:j])
            i = j
        else:
            i += 1
    return out


@contextmanager
def head_in_pairs() -> Iterator[None]:
    """The learned answer head used in two-person sessions too, while inside."""
    from sessionscope.analysis import questions

    before = questions.ANSWER_HEAD_MIN_SPEAKERS
    questions.ANSWER_HEAD_MIN_SPEAKERS = 2
    try:
        yield
    finally:
        questions.ANSWER_HEAD_MIN_SPEAKERS = before


def attribute(stretch: list[Act], name: str, *, head: bool) -> dict[str, bool]:
    """Question utterance id → answered, as the dynamics find them in the stretch as a two-person session."""
    from sessionscope.analysis.questions import find_questions
    from sessionscope.config import DynamicsConfig

    dyn = DynamicsConfig()
    sess = session_of(name, stretch)
    utts = sorted(sess.utterances, key=lambda u: u.start)
    kw: dict[str, Any] = {"language": "en", "backchannels": dyn.backchannels,
                          "backchannel_max_words": dyn.backchannel_max_words,
                          "answer_max_utterances": dyn.answer_max_utterances,
                          "answer_max_latency_s": dyn.answer_max_latency_s}
    if head:
        with head_in_pairs():
            events = find_questions(utts, **kw)
    else:
        events = find_questions(utts, answer_head=None, **kw)
    return {e.utterance_id: e.answered for e in events}


def score_split(corpus: str, split: str, min_acts: int) -> dict:
    rows: list[tuple[bool, bool, bool]] = []  # gold, rule, head
    third = not_found = 0
    n_stretches = n_questions = 0
    by_meeting = meetings(corpus, split)
    for m in sorted(by_meeting):
        acts = by_meeting[m]
        if not any(a.responder is not None for a in acts):
            continue  # no adjacency pairs annotated in this meeting: "no responder" would not mean unanswered
        for k, st in enumerate(two_person_stretches(acts, min_acts)):
            n_stretches += 1
            pair = {a.speaker for a in st}
            rule = attribute(st, f"{m}@{k}", head=False)
            head = attribute(st, f"{m}@{k}", head=True)
            for a in st:
                if not a.question:
                    continue
                n_questions += 1
                if a.responder is not None and (a.responder not in pair or a.responder == a.speaker):
                    third += 1
                    continue
                if a.id not in rule:
                    not_found += 1
                    continue
                rows.append((a.responder is not None, rule[a.id], head.get(a.id, False)))
    gold = [g for g, _, _ in rows]
    return {
        "stretches": n_stretches, "gold_questions": n_questions, "left_out_third_person_or_self": third,
        "not_found_as_questions": not_found, "scored": len(rows),
        "base_rate_answered": round(sum(gold) / len(gold), 4) if gold else None,
        "rule": answered_figures([r for _, r, _ in rows], gold),
        "head": answered_figures([h for _, _, h in rows], gold),
        "always_answered": answered_figures([True] * len(rows), gold),
        "head_vs_rule_changed": sum(r != h for _, r, h in rows),
        "changed_right_by_head": sum(r != h and h == g for g, r, h in rows),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="heldout", choices=("heldout", "dev", "train"))
    ap.add_argument("--min-acts", type=int, default=30, help="shortest two-person stretch (acts; default 30)")
    ap.add_argument("--json", type=Path, required=True)
    args = ap.parse_args(argv)
    t0 = time.time()
    out: dict[str, Any] = {
        "command": f"python benchmarks/r49_pair_answers.py --split {args.split}"
                   + (f" --min-acts {args.min_acts}" if args.min_acts != 30 else ""),
        "commit": commit(), "date": dt.date.today().isoformat(), "split": args.split, "min_acts": args.min_acts,
    }
    for corpus in CORPORA:
        out[corpus] = score_split(corpus, args.split, args.min_acts)
        print(corpus, json.dumps(out[corpus], indent=1), flush=True)
    out["seconds"] = round(time.time() - t0)
    write_result(out, args.json, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

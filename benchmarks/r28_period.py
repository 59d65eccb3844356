"""Round 28: questions in a punctuated transcript whose questions end with "." instead of "?" (issue 10).

Usage (from the repository root; held-out TRAIN meetings only, ~2 min)::

    nice -n 10 python benchmarks/r28_period.py --variant off --out benchmarks/results/r28_period_baseline.json
    nice -n 10 python benchmarks/r28_period.py --out benchmarks/results/r28_period_after.json   # shipped (= C0.5)
    nice -n 10 python benchmarks/r28_period.py --variant A --out benchmarks/results/r28_period_variant_A.json   # etc.
    nice -n 10 python benchmarks/r28_period.py --checks    # the ship rule's other rows, before and shipped (~3 min)

Per corpus (MRDA, AMI; the held-out train meetings of ``benchmarks/dialogue_acts.py``), the shipped detector
(``session_questions``, as the dynamics and the extraction stage count questions) scored per dialogue act in four
conditions: as transcribed; every "?" of a gold-question act replaced by "." with probability 0.5 (seeds 0, 1, 2;
their mean too) and 1.0 (:func:`dialogue_acts_eval.qmark_as_period`, which touches only the "?"s); and bare text (all
punctuation and capitals removed). ``--variant`` names a candidate rule of round 28 to score instead of the shipped one
(see :data:`VARIANTS`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, ROOT, Act, meetings, write_result  # noqa: E402
from dialogue_acts_eval import prf, qmark_as_period, session_of  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

SEEDS_HALF = (0, 1, 2)
VARIANTS: dict[str, dict] = {  # the pre-set candidates (A, B(t), C(t)) as questions.PERIOD_RULE / PERIOD_UNRELIABLE_SHARE
    "shipped": {}, "off": {"PERIOD_RULE": "off"}, "A": {"PERIOD_RULE": "shape"},
    "B0.5": {"PERIOD_RULE": "shape_unreliable", "PERIOD_UNRELIABLE_SHARE": 0.5},
    "B0.7": {"PERIOD_RULE": "shape_unreliable", "PERIOD_UNRELIABLE_SHARE": 0.7},
    "C0.5": {"PERIOD_RULE": "unreliable", "PERIOD_UNRELIABLE_SHARE": 0.5},
    "C0.7": {"PERIOD_RULE": "unreliable", "PERIOD_UNRELIABLE_SHARE": 0.7},
}


def conditions() -> list[tuple[str, float | None, int, bool, bool]]:
    """``(name, p, seed, bare, all_acts)`` of every condition scored (``p1.0_all_acts``: every "?" of the transcript,
    not only the gold questions', becomes "." — a recogniser that never writes "?"; described, not in the ship rule)."""
    out: list[tuple[str, float | None, int, bool, bool]] = [("as_transcribed", None, 0, False, False)]
    out += [(f"p0.5_seed{s}", 0.5, s, False, False) for s in SEEDS_HALF]
    out += [("p1.0", 1.0, 0, False, False), ("bare", None, 0, True, False), ("p1.0_all_acts", 1.0, 0, False, True)]
    return out


def unreliable_meetings(by_meeting: dict[str, list[Act]]) -> int:
    """How many meetings ``qmark_unreliable`` flags (their sentences as the detector cuts a punctuated transcript)."""
    from sessionscope.analysis.questions import qmark_unreliable, sentences, transcript_punctuated

    return sum(transcript_punctuated(a.text for a in acts)
               and qmark_unreliable([s for a in acts for s in sentences(a.text)]) for acts in by_meeting.values())


def found_ids(meeting: str, acts: list[Act], dyn, *, bare: bool) -> set[str]:
    from sessionscope.analysis.questions import session_questions

    return {e.utterance_id for e in session_questions(session_of(meeting, acts, strip=bare), dyn)}


def flagged_train(corpus: str, dyn) -> dict:
    """The train meetings (as transcribed) whose "?" ``qmark_unreliable`` calls unreliable, each scored with round 28's
    rule off and as set (the head learned from these meetings: only the change between the two says anything)."""
    from sessionscope.analysis import questions as q

    tm = meetings(corpus, "train")
    out: dict = {"meetings": len(tm), "flagged": unreliable_meetings(tm), "flagged_meetings": {}}
    rule = q.PERIOD_RULE
    for m, acts in tm.items():
        if not q.qmark_unreliable([s for a in acts for s in q.sentences(a.text)]):
            continue
        row = {}
        for name, r in (("off", "off"), ("as_set", rule)):
            q.PERIOD_RULE = r
            q._SESSION_QUESTIONS.clear()
            found = found_ids(m, acts, dyn, bare=False)
            row[name] = prf(sum(a.id in found and a.question for a in acts), sum(a.id in found and not a.question for a in acts),
                            sum(a.question and a.id not in found for a in acts))
        q.PERIOD_RULE = rule
        q._SESSION_QUESTIONS.clear()
        out["flagged_meetings"][m] = row
    return out


def score_corpus(corpus: str, dyn) -> dict:
    by_meeting = meetings(corpus, "heldout")
    res: dict = {"meetings": len(by_meeting), "acts": sum(len(v) for v in by_meeting.values()),
                 "gold_questions": sum(a.question for v in by_meeting.values() for a in v),
                 "gold_questions_ending_qmark": sum(a.question and a.text.rstrip().endswith("?")
                                                    for v in by_meeting.values() for a in v)}
    found_as: dict[str, set[str]] = {}
    for name, p, seed, bare, all_acts in conditions():
        tp = fp = fn = replaced = total = 0
        found_all: set[str] = set()
        cond_meetings: dict[str, list[Act]] = {}
        for m, acts in by_meeting.items():
            if p is not None:
                acts, r_, t_ = qmark_as_period(acts, p, seed, all_acts=all_acts)
                replaced, total = replaced + r_, total + t_
            cond_meetings[m] = acts
            found = found_ids(m, acts, dyn, bare=bare)
            found_all |= found
            for a in acts:
                hit = a.id in found
                tp += hit and a.question
                fp += hit and not a.question
                fn += a.question and not hit
        res[name] = prf(tp, fp, fn)
        if p is not None:
            res[name]["qmarks_replaced"] = replaced
            res[name]["qmarks_of_acts_concerned"] = total
        if not bare:
            res[name]["meetings_qmark_unreliable"] = unreliable_meetings(cond_meetings)
        found_as[name] = found_all
    half = [res[f"p0.5_seed{s}"] for s in SEEDS_HALF]
    res["p0.5_mean"] = {k: round(float(np.mean([h[k] for h in half])), 4) for k in ("p", "r", "f1")}
    gold = {a.id for v in by_meeting.values() for a in v if a.question}
    res["gold_found_as_transcribed_lost_at_p1.0"] = len((found_as["as_transcribed"] - found_as["p1.0"]) & gold)
    return res


def checks() -> int:
    """The ship rule's other rows, each before round 28 (``PERIOD_RULE = "off"``) and shipped: the question figures of
    ``dialogue_acts_eval --only questions --split heldout`` (as transcribed, bare, bare turns, the EN/RU example
    sessions), ``extraction_eval --split dev`` (the written EN/RU rows) and the real-talk choosing half of
    ``questions_realtalk_r12_questions`` (writes ``r28_period_{daeval_heldout,extraction_dev,realtalk_choose}_{off,shipped}.json``)."""
    import dialogue_acts_eval
    import extraction_eval
    import questions_realtalk_r12_questions as realtalk
    from sessionscope.analysis import questions as q

    shipped = q.PERIOD_RULE
    res = ROOT / "benchmarks" / "results"
    for name, rule in (("off", "off"), ("shipped", shipped)):
        q.PERIOD_RULE = rule
        q._SESSION_QUESTIONS.clear()
        dialogue_acts_eval.main(["--only", "questions", "--split", "heldout", "--out", str(res / f"r28_period_daeval_heldout_{name}.json")])
        extraction_eval.main(["--split", "dev", "--out", str(res / f"r28_period_extraction_dev_{name}.json")])
        realtalk.main(["--out", str(res / f"r28_period_realtalk_choose_{name}.json")])
    q.PERIOD_RULE = shipped
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variant", default="shipped", choices=sorted(VARIANTS))
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--checks", action="store_true", help="the ship rule's other rows, before and shipped (see checks())")
    args = ap.parse_args(argv)
    if args.checks:
        return checks()
    if args.out is None:
        ap.error("--out is required")
    from sessionscope.analysis import questions as q
    from sessionscope.analysis.questions import bundled_question_head
    from sessionscope.config import DynamicsConfig

    for k, v in VARIANTS[args.variant].items():
        setattr(q, k, v)
    head = bundled_question_head()
    out: dict = {"command": f"python benchmarks/r28_period.py --variant {args.variant} --out {args.out}",
                 "commit": commit(), "date": dt.date.today().isoformat(), "split": "heldout (train meetings)",
                 "variant": args.variant, "question_head": head.meta.get("trained_on") if head else None}
    t0 = time.time()
    dyn = DynamicsConfig()
    for corpus in CORPORA:
        out[corpus] = score_corpus(corpus, dyn)
        print(corpus, json.dumps({k: out[corpus][k] for k in ("as_transcribed", "p0.5_mean", "p1.0", "bare", "p1.0_all_acts")}),
              flush=True)
    out["mean_f1"] = {c: round(float(np.mean([out[k][c]["f1"] for k in CORPORA])), 4)
                      for c in ("as_transcribed", "p0.5_mean", "p1.0", "bare", "p1.0_all_acts")}
    out["train_meetings_qmark_unreliable_as_transcribed"] = {c: flagged_train(c, dyn) for c in CORPORA}
    out["seconds"] = round(time.time() - t0)
    write_result(out, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

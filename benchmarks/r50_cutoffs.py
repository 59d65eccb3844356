"""Who interrupts whom, by the round-50 cut-off model against the overlap rule, on MRDA's cut-off marks.

Gold as in ``r49_interruptions.py``: an act MRDA marks ``%-`` was cut off by another speaker; its interrupter is the
other speaker whose act (no backchannel) starts nearest the moment it stops (``gold_interruptions``). The systems,
each through ``analysis.dynamics.interruptions`` with the default settings but for:

* ``overlap``: ``dynamics.interruptions: overlap`` (the rule until round 49: overlap ≥ 0.5 s, not a backchannel);
* ``cutoff``: the shipped default, the English cut-off model (the sessions are English);
* ``cutoff_timing``: the model a session in another language gets (timing, word counts, function-word flag), by
  telling the sessions they are German.

Per act (``acts``; per turn with ``--units turn``, under the same keys): cut-off acts found (the act an interruption is counted against), and the share of the counted
interruptions whose interrupted utterance is a cut-off act. Unlike round 49 (which credited an interruption starting
inside a cut-off act) an interruption counts against the very utterance it cuts. Per participant and per ordered
pair: ``r49_interruptions.summarise`` (received and made as shares of the meeting's total, against talk time; who
interrupts whom more).

``--units turn`` joins each speaker's acts across pauses of at most 0.5 s first (a recording's turns, as a
diarization gives them): a turn is cut off when its last act is; found and precision are then counted per turn.
The model's threshold was chosen on the held-out train meetings (``train_cutoffs.py``); dev is for the report.

Usage (from the repository root; about a minute)::

    python benchmarks/r50_cutoffs.py --split heldout --json benchmarks/results/r50_cutoffs_heldout.json
    python benchmarks/r50_cutoffs.py --split heldout --units turn --json benchmarks/results/r50_cutoffs_heldout_turns.json
    python benchmarks/r50_cutoffs.py --split dev --json benchmarks/results/r50_cutoffs_dev.json
    python benchmarks/r50_cutoffs.py --split dev --two-person 30 --json benchmarks/results/r50_cutoffs_pairs_dev.json
    python benchmarks/r50_cutoffs.py --split dev --serial --json benchmarks/results/r51_cutoffs_serial_dev.json
    python benchmarks/r50_cutoffs.py --corpus ami --split dev --json benchmarks/results/r51_cutoffs_ami_dev.json

``--serial`` (round 51): each utterance that still runs when the next other speaker's starts ends there, as a Zoom or
Teams transcript gives them (``train_cutoffs.serialise``); the dynamics then use the models' serial threshold.
``--corpus ami`` (round 51): AMI's acts, with a fragment (``fra``) at a floor change as the proxy gold
(``r49_interruptions.ami_cut_off_ids``). ``--min-probability 0`` counts every floor change (the base rate).

``--two-person 30``: the real two-person talk inside the meetings (stretches of ≥ 30 consecutive acts by exactly two
speakers, as round 49's knowledge-flow check read them), the mentoring case; the pair figures count pairs of sessions
with ≥ 3 cut-offs between the two.

``senior_interrupts_junior_flag``: the flow stage's flag (≥ 3 and ≥ 2 per 10 minutes, one way more than the other)
for every ordered pair of every session, raised from the gold cut-offs and from the tool's count, and how often the
two agree; a session's length is its acts' span with pauses up to 10 s bridged.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import EVAL_SPLITS, Act, split_meetings, write_result  # noqa: E402
from r49_interruptions import gold_and_talk, summarise  # noqa: E402
from train_cutoffs import units  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

SYSTEMS = ("overlap", "cutoff", "cutoff_timing")


def _counts(found: list, people: list[str]) -> dict:
    return {"received": {p: sum(1 for i in found if i.interrupted == p) for p in people},
            "made": {p: sum(1 for i in found if i.interrupter == p) for p in people},
            "pairs": {f"{a}>{b}": n for (a, b), n in sorted(Counter((i.interrupter, i.interrupted)
                                                                    for i in found).items())}}


def meeting_rows(name: str, acts: list[Act], unit: str, after_s: float, *, serial: bool = False,
                 min_probability: float | None = None) -> dict[str, dict]:
    from sessionscope.analysis.dynamics import interruptions
    from sessionscope.config import DynamicsConfig

    us = units(acts, unit, serial=serial)
    gold_cut = {u.id for u, g in us if g}
    utts = [u for u, _ in us]
    people, gold, talk = gold_and_talk(acts, after_s)
    out = {}
    for system in SYSTEMS:
        cfg = DynamicsConfig(interruptions="overlap" if system == "overlap" else "cutoff",
                             interruption_min_probability=min_probability)
        found = interruptions(utts, cfg, "de" if system == "cutoff_timing" else "en")  # any language but English
        counted = {i.interrupted_id for i in found}
        acts_row = {"cut_off_acts": len(gold_cut), "cut_off_found": len(gold_cut & counted), "tool": len(found),
                    "tool_on_cut_off": sum(i.interrupted_id in gold_cut for i in found),
                    "tool_successful": sum(i.successful for i in found),
                    "tool_successful_on_cut_off": sum(i.successful and i.interrupted_id in gold_cut for i in found)}
        tool = _counts(found, people)
        out[system] = {"meeting": name, "people": people, "gold": gold, "tool": tool,
                       "successful": _counts([i for i in found if i.successful], people), "acts": acts_row,
                       "talk_s": {p: round(talk.get(p, 0.0), 2) for p in people}}
    return out


def flag_agreement(rows: list[dict], acts_span: dict[str, float], *, min_n: int = 3, per_10min: float = 2.0) -> dict:
    """``senior_interrupts_junior`` as the flow stage raises it (at least ``min_n`` and ``per_10min`` per 10 minutes,
    a warning when the other interrupted back less often), for every ordered pair of a session, from the gold
    cut-offs and from the tool's count: how often the two agree."""
    out: Counter = Counter()
    for r in rows:
        span = acts_span[r["meeting"]]
        for a in r["people"]:
            for b in r["people"]:
                if a == b:
                    continue
                res = []
                for side in ("gold", "tool"):
                    n, back = r[side]["pairs"].get(f"{a}>{b}", 0), r[side]["pairs"].get(f"{b}>{a}", 0)
                    res.append(n >= min_n and n / (span / 600) >= per_10min and back < n)
                out[{(True, True): "both", (True, False): "gold_only", (False, True): "tool_only",
                     (False, False): "neither"}[res[0], res[1]]] += 1
    return dict(out)


def talk_span(acts: list[Act], bridge_s: float = 10.0) -> float:
    """Seconds from each act to the next with pauses of up to ``bridge_s`` bridged (a pair session joined from
    stretches of a meeting is as long as its stretches, not the meeting)."""
    iv = sorted((a.start, a.end) for a in acts if a.start is not None and a.end is not None)
    total, cur = 0.0, None
    for s, e in iv:
        if cur is not None and s <= cur[1] + bridge_s:
            cur = (cur[0], max(cur[1], e))
            continue
        if cur is not None:
            total += cur[1] - cur[0]
        cur = (s, e)
    return total + (cur[1] - cur[0] if cur is not None else 0.0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="heldout", choices=EVAL_SPLITS)
    ap.add_argument("--corpus", default="mrda", choices=("mrda", "ami"),
                    help="ami (round 51, a second corpus, a proxy): gold = a fragment (fra) at a floor change "
                         "(r49_interruptions.ami_cut_off_ids); the model was trained on MRDA only")
    ap.add_argument("--units", default="act", choices=("act", "turn"))
    ap.add_argument("--after-s", type=float, default=1.0, help="how late after a cut-off act its interrupter may start")
    ap.add_argument("--two-person", type=int, default=0, metavar="N",
                    help="read each meeting's stretches of at least N consecutive acts by exactly two speakers, those "
                         "of the same two joined, as two-person sessions (r49_flow_validity.two_person_sessions)")
    ap.add_argument("--serial", action="store_true",
                    help="the utterances as a caption file that never overlaps gives them (round 51: Zoom's and "
                         "Teams' transcripts; train_cutoffs.serialise)")
    ap.add_argument("--min-probability", type=float, default=None, metavar="P",
                    help="dynamics.interruption_min_probability for both cut-off systems (default: each model's "
                         "threshold)")
    ap.add_argument("--models", type=Path, default=None,
                    help="cut-off models to read instead of the bundled ones (train_cutoffs.py --out F)")
    ap.add_argument("--json", type=Path, required=True)
    args = ap.parse_args(argv)
    if args.models is not None:  # the dynamics read the bundled models: these instead, for this run
        import sessionscope.analysis.cutoffs as cutoffs

        models = cutoffs.load_cutoff_models(args.models)
        cutoffs.bundled_cutoff_models = lambda path=None: models  # type: ignore[assignment]
    t0 = time.time()
    rows: dict[str, list[dict]] = {s: [] for s in SYSTEMS}
    spans: dict[str, float] = {}
    for name, acts in sorted(split_meetings(args.corpus, args.split).items()):
        sessions = {name: acts}
        if args.two_person:
            from r49_flow_validity import two_person_sessions

            sessions = {f"{name}:{who}": xs for who, xs in two_person_sessions(acts, args.two_person).items()}
        for sname, xs in sessions.items():
            spans[sname] = talk_span(xs)
            for system, row in meeting_rows(sname, xs, args.units, args.after_s, serial=args.serial,
                                                      min_probability=args.min_probability).items():
                rows[system].append(row)
    result: dict[str, Any] = {
        "command": "python benchmarks/r50_cutoffs.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "commit": commit(), "date": dt.date.today().isoformat(), "corpus": args.corpus, "split": args.split, "units": args.units,
        "serial": args.serial,
        "min_probability": args.min_probability,
        "models": None if args.models is None else args.models.name,
        "two_person": args.two_person}
    for system in SYSTEMS:
        summ = summarise(rows[system])
        summ["senior_interrupts_junior_flag"] = flag_agreement(rows[system], spans)
        a = summ["acts"]
        result[system] = summ
        print(f"{system:14s} counted {a['tool']:5d}  on a cut-off {a['tool_precision']:.3f}  cut-offs found "
              f"{a['cut_off_found']}/{a['cut_off_acts']} = {a['cut_off_recall']:.3f}  made share MAE "
              f"{summ['tool']['made']['share']['mae']} (talk {summ['tool']['made']['share_from_talk_time']['mae']})  "
              f"received {summ['tool']['received']['share']['mae']} "
              f"(talk {summ['tool']['received']['share_from_talk_time']['mae']})  pairs "
              f"{summ['tool']['ordered_pairs']['who_interrupts_whom_more']}  flag {summ['senior_interrupts_junior_flag']}")
    result["rows"] = rows
    result["seconds"] = round(time.time() - t0, 1)
    write_result(result, args.json, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Receiver of advice in group meetings against AMI's annotated addressees (round 13, issue 10).

Usage (from the repository root; seconds, no models)::

    python benchmarks/receiver_r13_receiver.py            # choose on the choosing half, report the report half
    python benchmarks/receiver_r13_receiver.py --before   # also with PYTHONPATH=/tmp/r13/base/src: nothing new

Data: the AMI **train**-split meetings with addressee annotation (``meetings.csv``; dev meetings
excluded, and ES2002d, a report file of another benchmark; ES2002a/c and IS1005a carry one
addressed act each and add nothing): 14 four-person meetings of 7 teams. Every meeting becomes a
:class:`~sessionscope.model.Session` whose utterances are its dialogue acts (as in
``dialogue_acts_eval.py``). Scored acts: AMI ``sug`` (Suggest: proposals, recommendations,
instructions to another person or the group: the acts the system should list as recommendations)
with an annotated addressee. Gold: one letter = that person; two or more letters = the group
(three letters, all the others, on all but 3 of them).

The teams are split in two by sorted team name (alternately): the **choosing half** fits the
logistic weights of :mod:`sessionscope.analysis.extract.addressee` and chooses among the systems;
the **report half** is scored once with what was chosen. Systems: ``before`` (``other_participant``:
always one person), ``always_group``, ``rule`` (one person iff a "you" without a group form), ``model``
(logistic regression on the cues, fit on the choosing half; threshold 0.5), ``shipped`` (the weights
in the module, which should reproduce ``model``).

Writes ``benchmarks/results/receiver_r13_receiver.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import AMI, ROOT, Act, _meetings_csv, load_acts  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "receiver_r13_receiver.json"
EXCLUDED = {"ES2002d"}  # a report file of ami_extraction.py
GROUP = "GROUP"


def annotated_train_meetings() -> dict[str, list[Act]]:
    splits = _meetings_csv(AMI / "meetings.csv")
    out: dict[str, list[Act]] = {}
    for a in load_acts("ami"):
        if splits.get(a.meeting) == "train" and a.meeting not in EXCLUDED:
            out.setdefault(a.meeting, []).append(a)
    return {m: acts for m, acts in sorted(out.items()) if sum(a.addressee is not None for a in acts) > 1}


def halves(meetings: list[str]) -> tuple[list[str], list[str]]:
    teams = sorted({m[:-1] for m in meetings})
    choose = set(teams[0::2])
    return [m for m in meetings if m[:-1] in choose], [m for m in meetings if m[:-1] not in choose]


def gold(addressee: str) -> str:
    return GROUP if "," in addressee else addressee


def rows(meetings: dict[str, list[Act]], names: list[str], turns: bool = False) -> list[dict]:
    from sessionscope.analysis.extract.stage import other_participant
    from sessionscope.model import Participant, Session, Utterance

    try:
        from sessionscope.analysis.extract.addressee import addressee_features
    except ImportError:  # the round-start code (--before)
        addressee_features = None
    out = []
    for m in names:
        acts = meetings[m]
        # one utterance per act, or (--turns) per speaker turn: consecutive acts of one speaker joined, as a
        # diarized transcript gives them; the scored sentence is the act's text either way
        groups: list[list[Act]] = []
        for a in acts:
            if turns and groups and groups[-1][-1].speaker == a.speaker:
                groups[-1].append(a)
            else:
                groups.append([a])
        utts = tuple(Utterance(id=f"{m}-{i:04d}", speaker=g[0].speaker, text=" ".join(a.text for a in g),
                               start=g[0].start or 0.0, end=g[-1].end or 0.0) for i, g in enumerate(groups))
        session = Session(id=m, language="en", utterances=utts,
                          participants=tuple(Participant(s, s) for s in sorted({a.speaker for a in acts})))
        for i, g in enumerate(groups):
            for a in g:
                if a.label != "sug" or a.addressee is None:
                    continue
                out.append({"meeting": m, "gold": gold(a.addressee), "nearest": other_participant(session, i),
                            "x": addressee_features(session, i, a.text) if addressee_features else None})
    return out


def score(preds: list[str | None], data: list[dict]) -> dict:
    conf: Counter = Counter()
    right = 0
    for p, r in zip(preds, data, strict=True):
        g = r["gold"]
        pk, gk = ("group" if p is None else "person"), ("group" if g == GROUP else "person")
        conf[f"gold_{gk}->pred_{pk}"] += 1
        right += (p is None and g == GROUP) or p == g
    n_person = sum(1 for r in data if r["gold"] != GROUP)
    person_right = sum(1 for p, r in zip(preds, data, strict=True) if r["gold"] != GROUP and p == r["gold"])
    return {"n": len(data), "accuracy": round(right / len(data), 3) if data else None,
            "group_vs_person": dict(sorted(conf.items())),
            "person_addressed_right_person": f"{person_right}/{n_person}",
            "group_addressed_left_without_receiver": f"{conf['gold_group->pred_group']}/{len(data) - n_person}"}


def systems(data: list[dict], weights: tuple[float, ...] | None) -> dict[str, list[str | None]]:
    out: dict[str, list[str | None]] = {"before": [r["nearest"] for r in data],
                                        "always_group": [None for _ in data]}
    if data and data[0]["x"] is not None:
        from sessionscope.analysis.extract.addressee import FEATURES, WEIGHTS, person_probability

        you = FEATURES.index("you_only")
        out["rule"] = [r["nearest"] if r["x"][you] else None for r in data]
        if weights is not None:
            out["model"] = [r["nearest"] if person_probability(r["x"], weights) >= 0.5 else None for r in data]
        out["shipped"] = [r["nearest"] if person_probability(r["x"], WEIGHTS) >= 0.5 else None for r in data]
    return out


def fit(data: list[dict]) -> tuple[float, ...]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x = np.array([r["x"] for r in data], dtype=float)
    y = np.array([r["gold"] != GROUP for r in data], dtype=int)
    lr = LogisticRegression(C=1.0, max_iter=1000).fit(x, y)
    return (round(float(lr.intercept_[0]), 3), *(round(float(w), 3) for w in lr.coef_[0]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--turns", action="store_true", help="utterances = speaker turns (consecutive acts joined)")
    args = ap.parse_args(argv)
    args.out = args.out or OUT.with_name(OUT.stem + ("_turns" if args.turns else "") + ".json")
    meetings = annotated_train_meetings()
    choose_m, report_m = halves(list(meetings))
    choose, report = rows(meetings, choose_m, args.turns), rows(meetings, report_m, args.turns)
    weights = fit(choose) if choose and choose[0]["x"] is not None else None
    on_choose = {k: score(v, choose) for k, v in systems(choose, weights).items()}
    candidates = {k: v for k, v in on_choose.items() if k not in ("before", "shipped")}
    chosen = max(candidates, key=lambda k: candidates[k]["accuracy"]) if candidates else "before"
    rep = systems(report, weights)
    result = {
        "benchmark": "receiver_r13_receiver", "unit": "turn" if args.turns else "act", "gold": "AMI sug acts with an annotated addressee; >=2 letters = group",
        "choosing_meetings": choose_m, "report_meetings": report_m, "fitted_weights": weights,
        "choosing_half": on_choose, "chosen": chosen,
        "report_half": {k: score(v, report) for k, v in rep.items() if k in ("before", chosen, "shipped")},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Round 16 (tasks): who owns a task handed to "you" in a group — against AMI's annotated addressees.

Usage (from the repository root; seconds, no models beyond the bundled assignment head)::

    nice -n 10 python benchmarks/owner_r16_tasks.py --out benchmarks/results/owner_r16_tasks.json
    nice -n 10 python benchmarks/owner_r16_tasks.py --turns --out benchmarks/results/owner_r16_tasks_turns.json
    nice -n 10 python benchmarks/owner_r16_tasks.py --summary [--turns] --out benchmarks/results/owner_summary_r16_tasks[_turns].json

Data: the AMI meetings with addressee annotation are all **train** meetings (none of the held-out train
meetings of ``dialogue_acts.heldout_meeting`` carries one; the dev meetings IS1008a-d are never read): 14
four-person meetings of 7 teams, split in halves by team as round 13 did (``receiver_r13_receiver.halves``):
the **choosing half** (ES2008, IS1000, IS1003, TS3005) fits and chooses, the **report half** (ES2009, IS1001,
IS1006) is scored once with the choice. Each meeting becomes a session whose utterances are its acts (or, with
``--turns``, its speaker turns: consecutive acts of one speaker joined, as a diarized transcript gives them).

Scored acts: the English sentences the stage would hand to "you" (``assign.assignment_target`` gives the
addressee, ``assign.firm_task`` holds in a group) with an annotated addressee, whatever their dialogue-act
label; the subset the stage lists (assignment head at its threshold, or ``clear_assignment``) is reported
apart (small). Gold: one letter = that person; two or more = the group (owner open, every other member).

Systems (owner of the item): ``before`` (the stage at round start: ``other_participant``, the previous other
speaker within three utterances, else the next); ``next`` (the next other speaker within three, else the
previous); ``group`` (always the group); ``model_prev`` / ``model_next`` (the group unless the round-13
receiver cues, refit on the choosing half's assignment acts, say one person, who is then the previous / next
other speaker); ``shipped`` (what the working tree's ``addressee.task_addressee`` gives: ``next``).

``--summary``: a second gold, on every AMI train and held-out train meeting (dev never read): the acts linked to a
human action-item sentence that the stage's assignment step would give to "you" (``assignment_target`` → the
addressee, ``firm_task`` in a group; the heads that decide which acts are listed are not run, so this scores the owner
choice only), where the sentence names one scenario role first ("The industrial designer will work on…",
``actions_r8._SUMMARY_ROLE``); right = the owner's role (``meetings.csv``) is that role. Train meetings count: the owner
choice learned nothing on them (the assignment head, fitted there, is not used).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Optional

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import receiver_r13_receiver as rr  # noqa: E402
from dialogue_acts import ROOT, act_embeddings, load_acts  # noqa: E402

GROUP = "GROUP"


def commit() -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def next_other(session: Any, index: int, reach: int = 3) -> Optional[str]:
    """The next other speaker within ``reach`` utterances (else ``None``)."""
    speaker = session.utterances[index].speaker
    for u in session.utterances[index + 1 : index + 1 + reach]:
        if u.speaker != speaker:
            return u.speaker
    return None


def meeting_session(meeting: str, acts: list[Any], turns: bool) -> tuple[list[list[Any]], Any, list[tuple[str, str]]]:
    """A meeting as a session: one utterance per act, or (``turns``) per speaker turn (consecutive acts of one speaker
    joined, as a diarized transcript gives them); returns the acts of each utterance, the session and the
    ``(id, name)`` participants (the speaker letters)."""
    from sessionscope.model import Participant, Session, Utterance

    groups: list[list[Any]] = []
    for a in acts:
        if turns and groups and groups[-1][-1].speaker == a.speaker:
            groups[-1].append(a)
        else:
            groups.append([a])
    utts = tuple(Utterance(id=f"{meeting}-{i:04d}", speaker=g[0].speaker, text=" ".join(a.text for a in g),
                           start=g[0].start or 0.0, end=g[-1].end or 0.0) for i, g in enumerate(groups))
    speakers = sorted({a.speaker for a in acts})
    session = Session(id=meeting, language="en", utterances=utts, participants=tuple(Participant(x, x) for x in speakers))
    return groups, session, [(x, x) for x in speakers]


def rows(turns: bool) -> list[dict]:
    from sessionscope.analysis.extract.addressee import addressee_features
    from sessionscope.analysis.extract.assign import (
        assignment_cues,
        assignment_target,
        bundled_assignment_head,
        clear_assignment,
        firm_task,
    )
    from sessionscope.analysis.extract.heads import Turn, context_features, cue_features
    from sessionscope.analysis.extract.stage import other_participant
    try:
        from sessionscope.analysis.extract.addressee import task_addressee
    except ImportError:  # the round-start code
        task_addressee = None
    all_acts = load_acts("ami")
    emb = act_embeddings("ami")
    pos = {(a.meeting, a.index): k for k, a in enumerate(all_acts)}
    head = bundled_assignment_head()
    meetings = rr.annotated_train_meetings()
    choose, _report = rr.halves(list(meetings))
    out = []
    for m, acts in meetings.items():
        groups, session, parts = meeting_session(m, acts, turns)
        for i, g in enumerate(groups):
            for a in g:
                if a.addressee is None:
                    continue
                near = other_participant(session, i)
                t = assignment_target(a.text, parts, a.speaker, near)
                if t is None or t.how != "addressee" or not firm_task(a.text, t.how, pair=False):
                    continue
                k = pos[(a.meeting, a.index)]
                prev = all_acts[k - 1] if k > 0 and all_acts[k - 1].meeting == m else None
                nxt = all_acts[k + 1] if k + 1 < len(all_acts) and all_acts[k + 1].meeting == m else None
                dense = np.concatenate([cue_features(a.text), context_features(prev and Turn(prev.text, prev.speaker),
                                                                               a.speaker, nxt and Turn(nxt.text, nxt.speaker))])
                p = float(head.proba(emb[k][None], dense[None], assignment_cues(a.text)[None])[0])
                shipped = None if task_addressee is None else task_addressee(session, i, near)
                out.append({
                    "meeting": m, "half": "choose" if m in choose else "report", "label": a.label,
                    "gold": GROUP if "," in a.addressee else a.addressee, "linked": a.action_link,
                    "listed": bool(p >= head.threshold or clear_assignment(a.text)),
                    "prev": near, "next": next_other(session, i) or near,
                    "x": list(addressee_features(session, i, a.text)),
                    "shipped": shipped,
                })
    return out


def summary_rows(turns: bool) -> list[dict]:
    from actions_r8 import _SUMMARY_ROLE, _first_role, ami_roles
    from dialogue_acts import ami_action_items
    from sessionscope.analysis.extract.addressee import task_addressee
    from sessionscope.analysis.extract.assign import assignment_target, firm_task
    from sessionscope.analysis.extract.stage import other_participant

    roles = ami_roles()
    link: dict[tuple[str, str], str] = {}
    for split in ("train", "heldout"):
        for r in ami_action_items(split):
            role = _first_role(r["text"], _SUMMARY_ROLE)
            for d in r["da_ids"]:
                if role is not None:
                    link.setdefault((r["meeting"], d), role)
    by_meeting: dict[str, list[Any]] = {}
    for a in load_acts("ami"):
        if a.split in ("train", "heldout"):
            by_meeting.setdefault(a.meeting, []).append(a)
    out = []
    for m, acts in sorted(by_meeting.items()):
        if not any((m, a.id) in link for a in acts):
            continue
        groups, session, parts = meeting_session(m, acts, turns)
        for i, g in enumerate(groups):
            for a in g:
                gold = link.get((m, a.id))
                if gold is None:
                    continue
                near = other_participant(session, i)
                t = assignment_target(a.text, parts, a.speaker, near)
                if t is None or t.how != "addressee" or not firm_task(a.text, t.how, pair=False):
                    continue
                r = roles.get(m, {})
                out.append({"meeting": m, "split": a.split, "gold": gold, "before": r.get(near or ""),
                            "shipped": r.get(task_addressee(session, i, near) or ""),
                            "speaker_role": r.get(a.speaker), "text": a.text[:120]})
    return out


def summary(turns: bool) -> dict:
    rows = summary_rows(turns)
    res: dict[str, Any] = {}
    choose = {m[:-1] for m in rr.halves(list(rr.annotated_train_meetings()))[0]}  # the teams the choice was made on
    for split in ("train", "heldout", "all", "all_but_the_choosing_teams"):
        sel = [r for r in rows if split == "all" or r["split"] == split
               or (split == "all_but_the_choosing_teams" and r["meeting"][:-1] not in choose)]
        res[split] = {"n": len(sel), **{k: f"{sum(r[k] == r['gold'] for r in sel)}/{len(sel)}" for k in ("before", "shipped")},
                      "gold_is_speaker": sum(r["speaker_role"] == r["gold"] for r in sel)}
    res["rows"] = rows
    return res


def score(preds: list[str], data: list[dict]) -> dict:
    single = [(p, r) for p, r in zip(preds, data, strict=True) if r["gold"] != GROUP]
    grp = [(p, r) for p, r in zip(preds, data, strict=True) if r["gold"] == GROUP]
    right = sum(p == r["gold"] for p, r in zip(preds, data, strict=True))
    return {"n": len(data), "owner_right": round(right / len(data), 3) if data else None,
            "single_addressee_right": f"{sum(p == r['gold'] for p, r in single)}/{len(single)}",
            "single_addressee_right_share": round(sum(p == r["gold"] for p, r in single) / len(single), 3) if single else None,
            "single_addressee_given_the_group": sum(p == GROUP for p, _ in single),
            "group_addressed_given_the_group": f"{sum(p == GROUP for p, _ in grp)}/{len(grp)}"}


def fit(data: list[dict]) -> tuple[float, ...]:
    from sklearn.linear_model import LogisticRegression

    x = np.array([r["x"] for r in data], dtype=float)
    y = np.array([r["gold"] != GROUP for r in data], dtype=int)
    lr = LogisticRegression(C=1.0, max_iter=1000).fit(x, y)
    return (round(float(lr.intercept_[0]), 3), *(round(float(w), 3) for w in lr.coef_[0]))


def systems(data: list[dict], weights: Optional[tuple[float, ...]]) -> dict[str, list[str]]:
    from sessionscope.analysis.extract.addressee import person_probability

    out = {"before": [r["prev"] for r in data], "next": [r["next"] for r in data], "group": [GROUP for _ in data]}
    if weights is not None:
        person = [person_probability(tuple(r["x"]), weights) >= 0.5 for r in data]
        out["model_prev"] = [r["prev"] if p else GROUP for r, p in zip(data, person, strict=True)]
        out["model_next"] = [r["next"] if p else GROUP for r, p in zip(data, person, strict=True)]
    if data and data[0]["shipped"] is not None:
        out["shipped"] = [r["shipped"] for r in data]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--turns", action="store_true", help="utterances = speaker turns (consecutive acts joined)")
    ap.add_argument("--summary", action="store_true", help="owner role against the linked human action-item sentence")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    if args.summary:
        body = {"command": "python benchmarks/owner_r16_tasks.py " + " ".join(argv if argv is not None else sys.argv[1:]),
                "commit": commit(), "date": dt.date.today().isoformat(), "unit": "turn" if args.turns else "act",
                "split": "AMI train + held-out train meetings (dev never read)",
                "gold": "the scenario role the linked human action-item sentence names first", **summary(args.turns)}
        text = json.dumps(body, indent=1)
        if args.out:
            (ROOT / args.out).write_text(text + "\n", encoding="utf-8")
        print(text[:3000])
        return 0
    data = rows(args.turns)
    choose = [r for r in data if r["half"] == "choose"]
    report = [r for r in data if r["half"] == "report"]
    weights = fit(choose)
    res: dict[str, Any] = {
        "command": "python benchmarks/owner_r16_tasks.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "commit": commit(), "date": dt.date.today().isoformat(), "unit": "turn" if args.turns else "act",
        "split": "AMI train meetings with addressee annotation, halves by team (no held-out train meeting has one)",
        "gold": "annotated addressee: one letter = that person, >= 2 = the group",
        "fitted_weights_on_choosing_half": weights,
        "gold_counts": {h: dict(Counter(r["gold"] == GROUP for r in d)) for h, d in (("choose", choose), ("report", report))},
    }
    for name, d in (("choosing_half", choose), ("report_half", report)):
        res[name] = {k: score(v, d) for k, v in systems(d, weights).items()}
        sub = [r for r in d if r["listed"]]
        res[name + "_listed_only"] = {k: score(v, sub) for k, v in systems(sub, weights).items()}
        sub = [r for r in d if r["linked"]]
        res[name + "_linked_only"] = {k: score(v, sub) for k, v in systems(sub, weights).items()}
    text = json.dumps(res, indent=1)
    if args.out:
        (ROOT / args.out).write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

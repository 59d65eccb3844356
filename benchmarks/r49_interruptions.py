"""Who interrupts whom: the dynamics' interruption counts against MRDA's "interrupted" marks (round 49).

The dynamics stage counts an interruption when another speaker's utterance (not a backchannel) starts inside a
speaker's utterance and overlaps it by at least ``interruption_min_overlap_s`` (docs/metrics.md, *Interruptions*);
the ``senior_interrupts_junior`` flag and the interruption matrix rest on it. The MRDA annotators marked every
dialogue act that was cut off by another speaker (``%-`` in the label; ``%--``, abandoned by the speaker, is not
counted). Gold here: an act marked ``%-`` was interrupted; its interrupter is the other speaker whose act (not one
MRDA tags as a backchannel only) starts nearest the moment it stops, between its start and ``--after-s`` seconds after
its end,
else one who started up to 5 s before it and is still speaking (none found: counted as received only). The tool's
interruptions are counted all (``tool``, what the reports and the flag use) and successful only (``successful``: the
interrupted speaker yields, which is what a cut-off act is).

Each meeting's acts become a session (``dialogue_acts_eval.session_of``: speakers, times and text as transcribed)
and go through ``analysis.dynamics.compute_metrics`` with the default settings. Per participant: interruptions
received and made, gold against the tool, as counts and as shares of the meeting's total, against each one's share of
the talk time as the guess; per ordered pair: the interruption matrix against the gold pairs.

Usage (from the repository root; seconds)::

    python benchmarks/r49_interruptions.py --split heldout --json benchmarks/results/r49_interruptions_heldout.json
    python benchmarks/r49_interruptions.py --split dev --json benchmarks/results/r49_interruptions_dev.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import Act, load_acts, meetings, mrda_parts, write_result  # noqa: E402
from dialogue_acts_eval import session_of  # noqa: E402
from r49_flow_validity import _corr  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402


def interrupted(a: Act) -> bool:
    """MRDA's "interrupted" mark (``%-``), not "abandoned" (``%--``). AMI (round 51, a second corpus for the cut-off
    model, read as a proxy): a fragment (``fra``: an act left incomplete) at a floor change, i.e. another speaker's act
    that is no backchannel starts while it runs or at most 1 s after it ends (:func:`ami_cut_off_ids`); AMI does not
    tell a cut-off from a speaker who trails off and yields."""
    if a.corpus == "ami":
        return a.id in ami_cut_off_ids()
    return "%-" in a.label.replace("%--", "")


@lru_cache(maxsize=1)
def ami_cut_off_ids(max_gap_s: float = 1.0) -> frozenset[str]:
    """The AMI fragments (``fra``) at a floor change: another speaker's act (not ``bck``) starts after the fragment's
    start and no later than ``max_gap_s`` after its end (every split; only timed acts)."""
    out: set[str] = set()
    by: dict[str, list[Act]] = defaultdict(list)
    for a in load_acts("ami"):
        if a.start is not None and a.end is not None:
            by[a.meeting].append(a)
    for acts in by.values():
        acts.sort(key=lambda a: a.start)  # type: ignore[arg-type,return-value]
        for i, a in enumerate(acts):
            if a.label != "fra":
                continue
            for b in acts[i + 1:]:
                if b.start > a.end + max_gap_s:  # type: ignore[operator]
                    break
                if b.speaker != a.speaker and b.start > a.start and b.label != "bck":  # type: ignore[operator]
                    out.add(a.id)
                    break
    return frozenset(out)


def backchannel_act(a: Act) -> bool:
    """An act tagged as a backchannel only (MRDA general tag ``b``; AMI ``bck``): it takes no floor, so it interrupts
    nobody."""
    if a.corpus == "ami":
        return a.label == "bck"
    return {g for g, _ in mrda_parts(a.label)} == {"b"}


def gold_interruptions(acts: list[Act], after_s: float) -> tuple[Counter, Counter, Counter]:
    """Received per speaker, made per speaker and ``(interrupter, interrupted)`` pairs from the marks."""
    timed = sorted((a for a in acts if a.start is not None and a.end is not None), key=lambda a: a.start)
    received: Counter = Counter()
    made: Counter = Counter()
    pairs: Counter = Counter()
    for i, a in enumerate(timed):
        if not interrupted(a):
            continue
        received[a.speaker] += 1
        who: Optional[str] = None
        best = None
        for b in timed[i + 1:]:
            if b.start > a.end + after_s:
                break
            if b.speaker != a.speaker and b.start >= a.start and not backchannel_act(b) \
                    and (best is None or abs(b.start - a.end) < abs(best.start - a.end)):
                best = b  # the other act starting nearest the moment the cut-off act stops
        if best is not None:
            who = best.speaker
        if who is None:  # someone who started before this act and is still speaking
            for b in reversed(timed[:i]):
                if b.speaker != a.speaker and b.end > a.start and b.start >= a.start - 5.0 and not backchannel_act(b):
                    who = b.speaker
                    break
        if who is not None:
            made[who] += 1
            pairs[who, a.speaker] += 1
    return received, made, pairs


def gold_and_talk(acts: list[Act], after_s: float) -> tuple[list[str], dict, dict[str, float]]:
    """The meeting's people, the gold interruptions (received, made, pairs) and each one's talk time (s)."""
    received, made, pairs = gold_interruptions(acts, after_s)
    people = sorted({a.speaker for a in acts})
    talk: dict[str, float] = defaultdict(float)
    for a in acts:
        if a.start is not None and a.end is not None:
            talk[a.speaker] += max(0.0, a.end - a.start)
    gold = {"received": {p: received.get(p, 0) for p in people}, "made": {p: made.get(p, 0) for p in people},
            "pairs": {f"{a}>{b}": n for (a, b), n in sorted(pairs.items())}}
    return people, gold, dict(talk)


def _tool(found: list[tuple[str, str, bool, str]], people: list[str], *, successful_only: bool) -> dict:
    kept = [(w, v) for w, v, ok, _ in found if ok or not successful_only]
    pairs = Counter(kept)
    return {"received": {p: sum(1 for _, v in kept if v == p) for p in people},
            "made": {p: sum(1 for w, _ in kept if w == p) for p in people},
            "pairs": {f"{a}>{b}": n for (a, b), n in sorted(pairs.items())}}


def act_matches(acts: list[Act], sess: Any, found: list[tuple[str, str, bool, str]]) -> dict[str, int]:
    """Cut-off acts the tool finds (an interruption of that speaker starting inside the act), and the tool's
    interruptions that land on a cut-off act (the interrupted speaker's act running when it starts is one)."""
    start = {u.id: u.start for u in sess.utterances}
    by_id = {a.id: a for a in acts}
    cut = [a for a in acts if interrupted(a) and a.start is not None and a.end is not None]
    found_cut = sum(any(v == a.speaker and a.start < start[bid] < a.end for _, v, _, bid in found) for a in cut)
    on_cut = on_cut_ok = 0
    for _, v, ok, bid in found:
        b = by_id[bid]
        hit = any(interrupted(a) for a in acts
                  if a.speaker == v and a.start is not None and a.end is not None and a.start < b.start < a.end)
        on_cut += hit
        on_cut_ok += hit and ok
    return {"cut_off_acts": len(cut), "cut_off_found": found_cut, "tool": len(found), "tool_on_cut_off": on_cut,
            "tool_successful": sum(ok for _, _, ok, _ in found), "tool_successful_on_cut_off": on_cut_ok}


def meeting_row(name: str, acts: list[Act], after_s: float, min_overlap_s: Optional[float] = None) -> dict:
    from sessionscope.analysis.dynamics import compute_metrics, find_interruptions
    from sessionscope.config import DynamicsConfig

    sess = session_of(name, acts)
    # the rule measured in round 49 (the default until round 50's cut-offs: benchmarks/r50_cutoffs.py)
    cfg = DynamicsConfig(interruptions="overlap", **({} if min_overlap_s is None
                                                    else {"interruption_min_overlap_s": min_overlap_s}))
    metrics = compute_metrics(sess, cfg)
    found = find_interruptions(sess.utterances, cfg)
    people, gold, talk = gold_and_talk(acts, after_s)
    part = metrics.participants
    return {
        "meeting": name, "people": people, "gold": gold,
        "tool": {"received": {p: int(part.get(p, {}).get("interruptions_received") or 0) for p in people},
                 "made": {p: int(part.get(p, {}).get("interruptions_made") or 0) for p in people},
                 "pairs": {f"{a}>{b}": n for a, row in sorted((metrics.interruption_matrix or {}).items())
                           for b, n in sorted(row.items()) if n}},
        "successful": _tool(found, people, successful_only=True),
        "acts": act_matches(acts, sess, found),
        "talk_s": {p: round(talk.get(p, 0.0), 2) for p in people},
    }


def summarise(rows: list[dict]) -> dict:
    out: dict[str, Any] = {"meetings": len(rows), "participants": sum(len(r["people"]) for r in rows),
                           "gold_received": sum(sum(r["gold"]["received"].values()) for r in rows),
                           "gold_made": sum(sum(r["gold"]["made"].values()) for r in rows),
                           "tool_all": sum(sum(r["tool"]["made"].values()) for r in rows),
                           "tool_successful": sum(sum(r["successful"]["made"].values()) for r in rows)}
    acts = {k: sum(r["acts"][k] for r in rows) for k in rows[0]["acts"]} if rows else {}
    if acts:
        acts["cut_off_recall"] = round(acts["cut_off_found"] / max(acts["cut_off_acts"], 1), 3)
        acts["tool_precision"] = round(acts["tool_on_cut_off"] / max(acts["tool"], 1), 3)
        acts["tool_successful_precision"] = round(acts["tool_successful_on_cut_off"] / max(acts["tool_successful"], 1), 3)
    out["acts"] = acts
    for system in ("tool", "successful"):
        res: dict[str, Any] = {}
        for kind in ("received", "made"):
            g_all, t_all, gs, ts, ws = [], [], [], [], []
            for r in rows:
                gt = sum(r["gold"][kind].values())
                tt = sum(r[system][kind].values())
                st = sum(r["talk_s"].values())
                for p in r["people"]:
                    g_all.append(r["gold"][kind][p])
                    t_all.append(r[system][kind][p])
                    if gt >= 5 and tt > 0 and st > 0:
                        gs.append(r["gold"][kind][p] / gt)
                        ts.append(r[system][kind][p] / tt)
                        ws.append(r["talk_s"][p] / st)
            res[kind] = {"counts": _corr(g_all, t_all), "share": _corr(gs, ts, mae=True, digits=4),
                         "share_from_talk_time": _corr(gs, ws, mae=True, digits=4)}
        # ordered pairs: who interrupts whom more, for pairs with at least 3 gold interruptions between them
        agree = disagree = none = 0
        g_pairs, t_pairs = [], []
        for r in rows:
            people = r["people"]
            for i, a in enumerate(people):
                for b in people[i + 1:]:
                    gab, gba = r["gold"]["pairs"].get(f"{a}>{b}", 0), r["gold"]["pairs"].get(f"{b}>{a}", 0)
                    tab, tba = r[system]["pairs"].get(f"{a}>{b}", 0), r[system]["pairs"].get(f"{b}>{a}", 0)
                    g_pairs += [gab, gba]
                    t_pairs += [tab, tba]
                    if gab + gba < 3 or gab == gba:
                        continue
                    if tab == tba:
                        none += 1
                    elif (gab > gba) == (tab > tba):
                        agree += 1
                    else:
                        disagree += 1
        res["ordered_pairs"] = {"counts": _corr(g_pairs, t_pairs),
                                "who_interrupts_whom_more": {"agree": agree, "disagree": disagree,
                                                             "tool_tied_or_none": none}}
        out[system] = res
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="heldout", choices=("heldout", "dev"))
    ap.add_argument("--after-s", type=float, default=1.0, help="how late after a cut-off act its interrupter may start")
    ap.add_argument("--min-overlap-s", type=float, default=None,
                    help="dynamics.interruption_min_overlap_s for the tool (default: the shipped 0.5)")
    ap.add_argument("--json", type=Path, required=True)
    args = ap.parse_args(argv)
    t0 = time.time()
    rows = [meeting_row(m, acts, args.after_s, args.min_overlap_s) for m, acts in sorted(meetings("mrda", args.split).items())]
    out = {"command": f"python benchmarks/r49_interruptions.py --split {args.split}"
                      + (f" --after-s {args.after_s:g}" if args.after_s != 1.0 else "")
                      + (f" --min-overlap-s {args.min_overlap_s:g}" if args.min_overlap_s is not None else ""),
           "commit": commit(), "date": dt.date.today().isoformat(), "seconds": round(time.time() - t0),
           "summary": summarise(rows), "meetings": rows}
    print(json.dumps(out["summary"], indent=1))
    write_result(out, args.json, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

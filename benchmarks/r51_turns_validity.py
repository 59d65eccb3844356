"""Do the dynamics' turns count what the annotators' floor holds? Turns against MRDA and AMI dialogue acts (round 51).

A turn (docs/metrics.md, *Turns*) is a hold of the floor until another speaker takes it; backchannels take no floor.
Gold here, from the corpora's labels: the acts in time order without those tagged backchannel only (MRDA ``b``, AMI
``bck``; ``r49_interruptions.backchannel_act``); a turn starts where such an act's speaker differs from the previous
one's. The tool: ``analysis.dynamics.compute_metrics`` on the meeting's acts as utterances (speakers, times and text
as transcribed; its own backchannel rule and floor logic). Per person: share of the meeting's turns, tool against gold
(mean absolute error in points, against the share of the talk time as the guess); per meeting: the turn-taking index
(1 − normalised Gini of the turn counts, the tool's own formula on both), and the total number of turns.

Usage (from the repository root; a minute or two per split)::

    python benchmarks/r51_turns_validity.py --split heldout --out benchmarks/results/r51_turns_validity_heldout.json
    python benchmarks/r51_turns_validity.py --split dev --out benchmarks/results/r51_turns_validity_dev.json
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import meetings, split_run, write_result  # noqa: E402
from dialogue_acts_eval import session_of  # noqa: E402
from r49_interruptions import backchannel_act  # noqa: E402


def gold_turns(acts: list) -> dict[str, int]:
    out: dict[str, int] = {}
    prev = None
    for a in sorted((a for a in acts if a.start is not None and a.end is not None), key=lambda a: (a.start, a.end)):
        if backchannel_act(a):
            continue
        if a.speaker != prev:
            out[a.speaker] = out.get(a.speaker, 0) + 1
            prev = a.speaker
    return out


def main(argv: list[str] | None = None) -> int:
    from sessionscope.analysis.dynamics import _equality, compute_metrics
    from sessionscope.config import DynamicsConfig

    args, head = split_run(__doc__, argv, "r51_turns_validity.py")
    cfg = DynamicsConfig()
    out: dict[str, Any] = {**head}
    for corpus in ("mrda", "ami"):
        share_err, talk_err, idx, totals, rows = [], [], [], [], []
        for name, acts in sorted(meetings(corpus, args.split).items()):
            m = compute_metrics(session_of(name, acts), cfg)
            people = sorted(m.participants)
            tool = {p: int(m.participants[p].get("turns") or 0) for p in people}
            gold = gold_turns(acts)
            gt, tt = sum(gold.get(p, 0) for p in people), sum(tool.values())
            talk = {p: m.participants[p].get("talk_share") or 0.0 for p in people}
            for p in people:
                g = gold.get(p, 0) / gt if gt else 0.0
                share_err.append(abs(tool[p] / tt - g) if tt else g)
                talk_err.append(abs(talk[p] - g))
            gi, ti = _equality([gold.get(p, 0) for p in people]), _equality([tool[p] for p in people])
            if gi is not None and ti is not None:
                idx.append((gi, ti))
            totals.append((gt, tt))
            rows.append({"meeting": name, "people": len(people), "gold_turns": gt, "tool_turns": tt,
                         "gold_index": None if gi is None else round(gi, 3), "tool_index": None if ti is None else round(ti, 3),
                         "gold_by_person": {p: gold.get(p, 0) for p in people}, "tool_by_person": tool})
        r = statistics.correlation([g for g, _ in idx], [t for _, t in idx]) if len(idx) > 2 else None
        out[corpus] = {
            "meetings": len(rows), "people": len(share_err),
            "turn_share_error_points": round(100 * statistics.fmean(share_err), 2),
            "talk_share_as_guess_error_points": round(100 * statistics.fmean(talk_err), 2),
            "turn_taking_index_mean_abs_error": round(statistics.fmean(abs(g - t) for g, t in idx), 3),
            "turn_taking_index_r": None if r is None else round(r, 3),
            "turns_tool_over_gold": round(sum(t for _, t in totals) / max(1, sum(g for g, _ in totals)), 3),
            "rows": rows}
        print(corpus, {k: v for k, v in out[corpus].items() if k != "rows"})
    write_result(out, args.out, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

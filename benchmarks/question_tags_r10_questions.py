"""Confirmation tags among the questions found, against MRDA ``^g`` (tag question), held-out train meetings.

Usage (from the repository root; ~1 min)::

    nice -n 10 python benchmarks/question_tags_r10_questions.py [--split heldout|train] [--out PATH]

Runs ``session_questions`` (as the dynamics and the extraction stage count questions) on every
meeting of the split, as transcribed and with punctuation and capitals removed, and scores the
``confirmation_tag`` flag of each question found (one dialogue act = one utterance) against the
MRDA ``^g`` label of that act: P / R / F1 among the acts found as questions, and how many of all
``^g`` acts are found as questions and flagged. AMI has no tag label: the flagged share and
examples are given for reference. Dev meetings are never read. Writes
``benchmarks/results/question_tags_heldout_r10_questions.json`` (``--split train``: ``…_train_…``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, ROOT, meetings, mrda_parts  # noqa: E402


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def main(argv: list[str] | None = None) -> int:
    from dialogue_acts_eval import commit, session_of
    from sessionscope.analysis.questions import session_questions
    from sessionscope.config import DynamicsConfig

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("heldout", "train"), default="heldout")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--examples", type=int, default=15)
    args = ap.parse_args(argv)
    out_path = args.out or ROOT / "benchmarks" / "results" / f"question_tags_{args.split}_r10_questions.json"
    dyn = DynamicsConfig()
    out: dict = {"command": f"python benchmarks/question_tags_r10_questions.py --split {args.split}", "commit": commit(),
                 "split": f"{args.split} train meetings (dev never read)",
                 "gold": "MRDA ^g (tag question) in any part of the act's label; AMI: none (counts only)"}
    for corpus in CORPORA:
        res: dict = {}
        for mode in ("transcribed", "bare"):
            tp = fp = fn = 0
            g_all = g_found = found_n = flagged_n = 0
            labels: Counter = Counter()
            ex: dict[str, list[str]] = {"fp": [], "fn": [], "flagged": []}
            for m, acts in meetings(corpus, args.split).items():
                events = {e.utterance_id: e for e in session_questions(session_of(m, acts, strip=mode == "bare"), dyn)}
                for a in acts:
                    g = corpus == "mrda" and "g" in set().union(*(s for _, s in mrda_parts(a.label)))
                    g_all += g
                    e = events.get(a.id)
                    if e is None:
                        continue
                    found_n += 1
                    g_found += g
                    flagged_n += e.confirmation_tag
                    if e.confirmation_tag:
                        labels[a.label] += 1
                        if len(ex["flagged"]) < args.examples:
                            ex["flagged"].append(f"{a.text}  [{a.label}]")
                    if corpus != "mrda":
                        continue
                    if e.confirmation_tag and g:
                        tp += 1
                    elif e.confirmation_tag:
                        fp += 1
                        if len(ex["fp"]) < args.examples:
                            ex["fp"].append(f"{a.text}  [{a.label}]")
                    elif g:
                        fn += 1
                        if len(ex["fn"]) < args.examples:
                            ex["fn"].append(f"{a.text}  [{a.label}]")
            r: dict = {"questions_found": found_n, "flagged": flagged_n}
            if corpus == "mrda":
                r |= {"tag_vs_g_among_found": _prf(tp, fp, fn), "g_acts": g_all, "g_found_as_questions": g_found,
                      "g_found_and_flagged": tp}
            r["flagged_labels"] = dict(labels.most_common(12))
            r["examples"] = {k: v for k, v in ex.items() if v}
            res[mode] = r
            print(corpus, mode, json.dumps({k: v for k, v in r.items() if k != "examples"}), flush=True)
        out[corpus] = res
    out_path.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    print("wrote", out_path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

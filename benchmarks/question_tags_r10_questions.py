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

``--sbcsae``: no gold, counts only — on the three SBCSAE conversations (``shared/data/sbcsae-text-refs``,
real informal talk), how many questions and unanswered ("open") questions there are and how many of
them are marked as tags, with the tags' texts (``question_tags_sbcsae_r10_questions.json``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, DATA, ROOT, meetings, mrda_parts  # noqa: E402


def sbcsae(out_path: Path) -> dict:
    """Questions, open questions and the tags among them on the SBCSAE conversations (counts, no gold)."""
    from dialogue_acts_eval import commit
    from sessionscope.analysis.questions import session_questions
    from sessionscope.config import DynamicsConfig
    from sessionscope.io import read_transcript

    out: dict = {"command": "python benchmarks/question_tags_r10_questions.py --sbcsae", "commit": commit(),
                 "data": "shared/data/sbcsae-text-refs/*.stm (no question gold: counts only)"}
    for path in sorted((DATA / "sbcsae-text-refs").glob("*.stm")):
        events = session_questions(read_transcript(path), DynamicsConfig())
        tags = [e for e in events if e.confirmation_tag]
        out[path.stem] = {"questions": len(events), "open": sum(not e.answered for e in events), "tags": len(tags),
                          "open_tags": sum(not e.answered for e in tags),
                          "tag_texts": dict(Counter(e.text for e in tags).most_common())}
        print(path.stem, json.dumps({k: v for k, v in out[path.stem].items() if k != "tag_texts"}), flush=True)
    out_path.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    print("wrote", out_path)
    return out


def score_mode(corpus: str, mode: str, split: str, dyn, n_examples: int) -> dict:
    """The flag against ``^g`` (MRDA) or the flagged labels (AMI) of one corpus, as transcribed or bare."""
    from dialogue_acts_eval import prf, session_of
    from sessionscope.analysis.questions import session_questions

    tp = fp = fn = g_all = g_found = found_n = flagged_n = 0
    labels: Counter = Counter()
    ex: dict[str, list[str]] = {"fp": [], "fn": [], "flagged": []}

    def keep(kind: str, a) -> None:
        if len(ex[kind]) < n_examples:
            ex[kind].append(f"{a.text}  [{a.label}]")

    for m, acts in meetings(corpus, split).items():
        events = {e.utterance_id: e for e in session_questions(session_of(m, acts, strip=mode == "bare"), dyn)}
        for a in acts:
            g = corpus == "mrda" and "g" in set().union(*(s for _, s in mrda_parts(a.label)))
            g_all += g
            e = events.get(a.id)
            if e is None:
                continue
            found_n, g_found, flagged_n = found_n + 1, g_found + g, flagged_n + e.confirmation_tag
            if e.confirmation_tag:
                labels[a.label] += 1
                keep("flagged", a)
            if corpus == "mrda" and e.confirmation_tag != g:
                fp, fn = fp + e.confirmation_tag, fn + g
                keep("fp" if e.confirmation_tag else "fn", a)
            elif corpus == "mrda" and g:
                tp += 1
    r: dict = {"questions_found": found_n, "flagged": flagged_n}
    if corpus == "mrda":
        r |= {"tag_vs_g_among_found": prf(tp, fp, fn), "g_acts": g_all, "g_found_as_questions": g_found,
              "g_found_and_flagged": tp}
    r["flagged_labels"] = dict(labels.most_common(12))
    r["examples"] = {k: v for k, v in ex.items() if v}
    return r


def main(argv: list[str] | None = None) -> int:
    from dialogue_acts_eval import commit
    from sessionscope.config import DynamicsConfig

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("heldout", "train"), default="heldout")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--examples", type=int, default=15)
    ap.add_argument("--sbcsae", action="store_true", help="only the counts on the SBCSAE conversations")
    args = ap.parse_args(argv)
    if args.sbcsae:
        sbcsae(args.out or ROOT / "benchmarks" / "results" / "question_tags_sbcsae_r10_questions.json")
        return 0
    out_path = args.out or ROOT / "benchmarks" / "results" / f"question_tags_{args.split}_r10_questions.json"
    dyn = DynamicsConfig()
    out: dict = {"command": f"python benchmarks/question_tags_r10_questions.py --split {args.split}", "commit": commit(),
                 "split": f"{args.split} train meetings (dev never read)",
                 "gold": "MRDA ^g (tag question) in any part of the act's label; AMI: none (counts only)"}
    for corpus in CORPORA:
        out[corpus] = {}
        for mode in ("transcribed", "bare"):
            r = out[corpus][mode] = score_mode(corpus, mode, args.split, dyn, args.examples)
            print(corpus, mode, json.dumps({k: v for k, v in r.items() if k != "examples"}), flush=True)
    out_path.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    print("wrote", out_path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Bare-text question errors on the held-out train meetings, by type (round 10, helper "questions").

Usage (from the repository root; ~1 min)::

    nice -n 10 python benchmarks/question_errors_r10_questions.py [--out PATH] [--examples N]

Runs ``session_questions`` on every held-out train meeting of MRDA and AMI with punctuation and
capitals removed (as ``dialogue_acts_eval.py --only questions --split heldout`` scores the
"question_stripped" row) and sorts the false negatives and false positives into types by their
words: tag questions ("…right", "…you know"), lone tags, "or"-questions, wh-fragments, inversion
after a discourse marker ("so do you…"), inversion / wh at the start, short acts, declaratives.
Also the MRDA specific tags of the misses (``^d`` declarative, ``^g`` tag, ``^rt`` rising tone).
Dev meetings are never read. Writes ``benchmarks/results/question_errors_heldout_r10_questions.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, ROOT, meetings, mrda_parts  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "question_errors_heldout_r10_questions.json"
_TAG_END = ("right", "you know", "yeah", "okay", "huh", "eh", "no", "or not", "isn't it", "don't you think", "see")
_MARKERS = {"so", "and", "but", "well", "okay", "ok", "um", "uh", "oh", "now", "then", "or", "like", "yeah", "alright"}


def error_type(text: str) -> str:
    """The type of a bare act, by its words (first match wins)."""
    from sessionscope.analysis.questions import EN_WH, Q_AUX, Q_SUBJ, bare_text, question_shape, question_tokens

    toks = question_tokens(bare_text(text))
    if not toks:
        return "empty"
    s = " ".join(toks)
    if s in _TAG_END or s in {"right", "you know", "yeah", "huh", "okay", "really", "what"}:
        return "lone_tag_or_backchannel"
    if len(toks) >= 3 and any(s.endswith(" " + t) for t in _TAG_END):
        return "tag_question"
    if toks[-1] == "or" or " or " in f" {s} " and len(toks) <= 12:
        return "or_question"
    shape = question_shape(toks)
    if shape == "WH":
        return "wh_start"
    if shape == "INV":
        return "inversion_start" if toks[0] not in _MARKERS else "inversion_after_marker"
    for j in range(1, len(toks) - 1):
        if toks[j - 1] in _MARKERS and toks[j] in Q_AUX and toks[j + 1] in Q_SUBJ:
            return "inversion_inside"
        if toks[j - 1] in _MARKERS and toks[j] in EN_WH:
            return "wh_inside"
    if any(t in EN_WH for t in toks):
        return "wh_elsewhere"
    if len(toks) <= 2:
        return "short"
    if len(toks) <= 4:
        return "short_3_4"
    return "declarative"


def main(argv: list[str] | None = None) -> int:
    from dialogue_acts_eval import commit, question_meeting
    from sessionscope.config import DynamicsConfig

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--examples", type=int, default=12, help="example texts kept per type")
    args = ap.parse_args(argv)
    dyn = DynamicsConfig()
    out: dict = {"command": "python benchmarks/question_errors_r10_questions.py", "commit": commit(),
                 "split": "held-out train meetings (bare: no punctuation, no capitals); dev never read"}
    for corpus in CORPORA:
        by_meeting = meetings(corpus, "heldout")
        fn: Counter = Counter()
        fp: Counter = Counter()
        tp: Counter = Counter()
        gold_types: Counter = Counter()
        mrda_tags: dict[str, Counter] = {"fn": Counter(), "tp": Counter()}
        ex: dict[str, list[str]] = {}
        for m, acts in by_meeting.items():
            found = question_meeting(m, acts, dyn)["shipped"]["question_stripped"]
            for a in acts:
                t = error_type(a.text)
                hit = a.id in found
                if a.question:
                    gold_types[t] += 1
                if a.question and hit:
                    tp[t] += 1
                elif a.question:
                    fn[t] += 1
                    ex.setdefault(f"fn/{t}", []).append(a.text)
                elif hit:
                    fp[t] += 1
                    ex.setdefault(f"fp/{t}", []).append(f"{a.text}  [{a.label}]")
                if corpus == "mrda" and a.question:
                    spec = set().union(*(s for _, s in mrda_parts(a.label)))
                    for k in ("d", "g", "rt", "bu", "f"):
                        if k in spec:
                            mrda_tags["fn" if not hit else "tp"][k] += 1
        types = sorted(set(fn) | set(fp) | set(tp))
        out[corpus] = {
            "by_type": {t: {"gold": gold_types[t], "tp": tp[t], "fn": fn[t], "fp": fp[t],
                            "recall": round(tp[t] / gold_types[t], 3) if gold_types[t] else None} for t in types},
            "totals": {"tp": sum(tp.values()), "fn": sum(fn.values()), "fp": sum(fp.values())},
            "examples": {k: v[: args.examples] for k, v in sorted(ex.items())},
        }
        if corpus == "mrda":
            out[corpus]["mrda_specific_tags_of_gold"] = {k: dict(v) for k, v in mrda_tags.items()}
        print(corpus, json.dumps(out[corpus]["by_type"]), flush=True)
    args.out.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    print("wrote", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

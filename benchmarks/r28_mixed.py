"""Round 28: questions in a punctuated transcript with whole stretches written without punctuation (issue 10).

Usage (from the repository root; held-out TRAIN meetings only, ~3 min a variant)::

    nice -n 10 python benchmarks/r28_mixed.py --variant off --out benchmarks/results/r28_mixed_off.json
    nice -n 10 python benchmarks/r28_mixed.py --variant A4 --out benchmarks/results/r28_mixed_A4.json   # etc.
    nice -n 10 python benchmarks/r28_mixed.py --checks A4   # the ship rule's other rows, off and A4

Per corpus (MRDA, AMI; the held-out train meetings of ``benchmarks/dialogue_acts.py``), the detector
(``session_questions``, as the dynamics and the extraction stage count questions) scored per dialogue act: as
transcribed; every 30-second chunk of a meeting made bare (no punctuation, no capitals) with probability 0.2 and 0.4
(:func:`dialogue_acts_eval.bare_stretches`, seeds 0, 1, 2, and their mean), on all acts and on the acts inside the
bare chunks only (and, described apart, with a speaker's consecutive acts inside a bare chunk merged into one
utterance as a recogniser gives a turn: :func:`score_turns`); every "?" of a gold question written "."
(:func:`dialogue_acts_eval.qmark_as_period`, 1.0, round 28's period condition); and bare text. ``--variant`` names a candidate rule (:data:`VARIANTS`, as
``questions.MIXED_RULE`` / ``MIXED_MIN_WORDS`` / ``MIXED_MIN_SHARE``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from dataclasses import replace as dc_replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, ROOT, Act, meetings, write_result  # noqa: E402
from dialogue_acts_eval import bare_stretches, prf, qmark_as_period  # noqa: E402
from r28_period import SEEDS_HALF, found_ids  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

SEEDS = SEEDS_HALF
STRETCH_P = (0.2, 0.4)
STRETCH_S = 30.0
VARIANTS: dict[str, dict] = {  # the pre-set candidates (written down before any scoring)
    "shipped": {}, "off": {"MIXED_RULE": "off"},
    "A4": {"MIXED_RULE": "all", "MIXED_MIN_WORDS": 4}, "A6": {"MIXED_RULE": "all", "MIXED_MIN_WORDS": 6},
    "B4": {"MIXED_RULE": "share", "MIXED_MIN_WORDS": 4, "MIXED_MIN_SHARE": 0.25},
    "C4": {"MIXED_RULE": "lower", "MIXED_MIN_WORDS": 4},
    "C2": {"MIXED_RULE": "lower", "MIXED_MIN_WORDS": 2},  # exploratory, added after the pre-set ones were scored
}


_SHIPPED: dict = {}


def set_variant(name: str) -> None:
    """Set ``questions``' round-28 mixed-rule constants to candidate ``name`` (``shipped``: the module's own values)."""
    from sessionscope.analysis import questions as q

    keys = ("MIXED_RULE", "MIXED_MIN_WORDS", "MIXED_MIN_SHARE")
    if not _SHIPPED:
        _SHIPPED.update({k: getattr(q, k) for k in keys})
    for k, v in {**_SHIPPED, **VARIANTS[name]}.items():
        setattr(q, k, v)
    q._SESSION_QUESTIONS.clear()


def _score(acts_found: list[tuple[Act, bool]]) -> dict:
    return prf(sum(h and a.question for a, h in acts_found), sum(h and not a.question for a, h in acts_found),
               sum(a.question and not h for a, h in acts_found))


def score_corpus(corpus: str, dyn, by_meeting: dict[str, list[Act]] | None = None) -> dict:
    """The conditions on ``by_meeting`` (default: the corpus' held-out train meetings; round 31 passes its tune ones)."""
    by_meeting = meetings(corpus, "heldout") if by_meeting is None else by_meeting
    res: dict = {"meetings": len(by_meeting), "acts": sum(len(v) for v in by_meeting.values()),
                 "gold_questions": sum(a.question for v in by_meeting.values() for a in v)}
    conds: list[tuple[str, str, float, int]] = [("as_transcribed", "", 0.0, 0)]
    conds += [(f"stretch{p:g}_seed{s}", "stretch", p, s) for p in STRETCH_P for s in SEEDS]
    conds += [("qmark1.0", "qmark", 1.0, 0), ("bare", "bare", 0.0, 0)]
    for name, kind, p, seed in conds:
        rows: list[tuple[Act, bool]] = []
        inside: list[tuple[Act, bool]] = []
        n_bare = n_chunks = 0
        for m, acts in by_meeting.items():
            ids: set[str] = set()
            if kind == "stretch":
                acts, ids, b_, c_ = bare_stretches(acts, p, seed, stretch_s=STRETCH_S, meeting=m)
                n_bare, n_chunks = n_bare + b_, n_chunks + c_
            elif kind == "qmark":
                acts, _, _ = qmark_as_period(acts, p, seed)
            found = found_ids(m, acts, dyn, bare=kind == "bare")
            rows += [(a, a.id in found) for a in acts]
            inside += [(a, a.id in found) for a in acts if a.id in ids]
        res[name] = _score(rows)
        if kind == "stretch":
            res[name]["in_bare_stretches"] = _score(inside)
            res[name]["chunks_bare"], res[name]["chunks"], res[name]["acts_bare"] = n_bare, n_chunks, len(inside)
    for p in STRETCH_P:
        runs = [res[f"stretch{p:g}_seed{s}"] for s in SEEDS]
        res[f"stretch{p:g}_mean"] = {k: round(float(np.mean([r[k] for r in runs])), 4) for k in ("p", "r", "f1")}
        res[f"stretch{p:g}_mean"]["in_bare_stretches_f1"] = round(float(np.mean([r["in_bare_stretches"]["f1"] for r in runs])), 4)
    return res


def merge_bare_turns(acts: list[Act], bare_ids: set[str]) -> list[tuple[Act, list[Act]]]:
    """A speaker's consecutive acts inside one bare chunk merged into one utterance (a recogniser's turn): each unit
    with the acts it covers (an act outside the bare chunks is its own unit)."""
    out: list[tuple[Act, list[Act]]] = []
    chunk, last_chunk = 0, None
    for a in acts:
        if a.start is not None:
            chunk = int(a.start // STRETCH_S)
        if out and a.id in bare_ids and out[-1][1][-1].id in bare_ids and out[-1][0].speaker == a.speaker and chunk == last_chunk:
            u, parts = out[-1]
            out[-1] = (dc_replace(u, text=f"{u.text} {a.text}".strip(), end=a.end if a.end is not None else u.end), [*parts, a])
        else:
            out.append((a, [a]))
        last_chunk = chunk
    return out


def score_turns(corpus: str, dyn, by_meeting: dict[str, list[Act]] | None = None) -> dict:
    """Described, not in the ship rule: the stretch condition with each bare chunk's turns merged, scored per unit
    (a merged turn is a question when one of its acts is)."""
    by_meeting = meetings(corpus, "heldout") if by_meeting is None else by_meeting
    res: dict = {}
    for p in STRETCH_P:
        for seed in SEEDS:
            rows: list[tuple[bool, bool]] = []
            inside: list[tuple[bool, bool]] = []
            for m, acts in by_meeting.items():
                acts, ids, _, _ = bare_stretches(acts, p, seed, stretch_s=STRETCH_S, meeting=m)
                units = merge_bare_turns(acts, ids)
                found = found_ids(m, [u for u, _ in units], dyn, bare=False)
                for u, parts in units:
                    row = (any(a.question for a in parts), u.id in found)
                    rows.append(row)
                    if u.id in ids:
                        inside.append(row)
            res[f"stretch{p:g}_seed{seed}"] = {
                **prf(sum(g and f for g, f in rows), sum(f and not g for g, f in rows), sum(g and not f for g, f in rows)),
                "units": len(rows), "in_bare_stretches": prf(sum(g and f for g, f in inside), sum(f and not g for g, f in inside),
                                                             sum(g and not f for g, f in inside)), "units_bare": len(inside)}
        runs = [res[f"stretch{p:g}_seed{s}"] for s in SEEDS]
        res[f"stretch{p:g}_mean"] = {"f1": round(float(np.mean([r["f1"] for r in runs])), 4),
                                     "in_bare_stretches_f1": round(float(np.mean([r["in_bare_stretches"]["f1"] for r in runs])), 4)}
    return res


def checks(variant: str) -> int:
    """The ship rule's other rows with the rule off and as ``variant``: the question figures of ``dialogue_acts_eval
    --only questions --split heldout`` (as transcribed, bare, bare turns, the EN/RU example sessions) and
    ``extraction_eval --split dev`` (the written EN/RU rows); described, not in the ship rule: the real-talk choosing
    half of ``questions_realtalk_r12_questions``. Writes ``r28_mixed_{daeval_heldout,extraction_dev,realtalk_choose}_*.json``."""
    import dialogue_acts_eval
    import extraction_eval
    import questions_realtalk_r12_questions as realtalk

    res = ROOT / "benchmarks" / "results"
    for name in ("off", variant):
        set_variant(name)
        dialogue_acts_eval.main(["--only", "questions", "--split", "heldout", "--out", str(res / f"r28_mixed_daeval_heldout_{name}.json")])
        extraction_eval.main(["--split", "dev", "--out", str(res / f"r28_mixed_extraction_dev_{name}.json")])
        realtalk.main(["--out", str(res / f"r28_mixed_realtalk_choose_{name}.json")])
    set_variant("shipped")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variant", default="shipped", choices=sorted(VARIANTS))
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--checks", default=None, choices=sorted(VARIANTS), metavar="VARIANT",
                    help="the ship rule's other rows, rule off and VARIANT (see checks())")
    args = ap.parse_args(argv)
    if args.checks:
        return checks(args.checks)
    if args.out is None:
        ap.error("--out is required")
    from sessionscope.analysis import questions as q
    from sessionscope.analysis.questions import bundled_question_head
    from sessionscope.config import DynamicsConfig

    set_variant(args.variant)
    head = bundled_question_head()
    out: dict = {"command": f"python benchmarks/r28_mixed.py --variant {args.variant} --out {args.out}",
                 "commit": commit(), "date": dt.date.today().isoformat(), "split": "heldout (train meetings)",
                 "variant": args.variant, "rule": {k: getattr(q, k) for k in ("MIXED_RULE", "MIXED_MIN_WORDS", "MIXED_MIN_SHARE",
                                                                               "PERIOD_RULE")},
                 "stretch_s": STRETCH_S, "question_head": head.meta.get("trained_on") if head else None}
    t0 = time.time()
    dyn = DynamicsConfig()
    keys = ("as_transcribed", *(f"stretch{p:g}_mean" for p in STRETCH_P), "qmark1.0", "bare")
    for corpus in CORPORA:
        out[corpus] = score_corpus(corpus, dyn)
        out[corpus]["turns_merged_in_bare_stretches"] = score_turns(corpus, dyn)
        print(corpus, json.dumps({k: out[corpus][k] for k in keys}), flush=True)
        print(corpus, "turns", json.dumps({k: v for k, v in out[corpus]["turns_merged_in_bare_stretches"].items()
                                           if k.endswith("mean")}), flush=True)
    out["seconds"] = round(time.time() - t0)
    write_result(out, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Discussion modes of small talk: does an ``other`` segment's mode carry information? (round 16, helper "pair")

Reports on real talk showed "Other (small talk, logistics) (current trend)": the mode heads
classify every window, small talk included. This script runs the shipped topics stage on the
40 seeded *choosing* AMI train meetings (``topics_ami.py --split train --limit 40``, never dev)
and scores the per-utterance modes (mode spans) and the segment modes against the weak mode
gold (``topics_ami.MODE_GOLD``) twice:

* ``as_is``: the stage's output;
* ``other_general``: every segment of the taxonomy's ``other`` area (and its mode spans) given
  the default mode, i.e. small talk is not called a trend, a case or a problem.

It also reports which modes the ``other`` segments' words carry and how many weak-gold words
lie inside ``other`` segments. Usage::

    nice -n 10 .venv/bin/python benchmarks/topics_other_mode_r16_pair.py --out benchmarks/results/topics_other_mode_r16_pair.json
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import topics_ami as ta  # noqa: E402


def other_general(topics, other: str, default: str):
    """``topics`` with every ``other``-area segment (and its mode spans) in the default mode."""
    segs = tuple(replace(s, mode=default, mode_spans=tuple(replace(sp, mode=default) for sp in s.mode_spans))
                 if s.area == other else s for s in topics.segments)
    return replace(topics, segments=segs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=40)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    from sessionscope.analysis.topics.taxonomy import load_taxonomy
    from sessionscope.config import TopicsConfig
    from sessionscope.text import word_count

    tax = load_taxonomy(TopicsConfig().taxonomy)
    default = tax.default_mode
    variant: list[dict] = []
    other_modes: Counter = Counter()
    gold_in_other: Counter = Counter()
    seg_counts = Counter()
    original = ta.score_meeting

    def scored(utts, kinds, segidx, topics, topics_gold, *, other, mode_gold=None):
        row = original(utts, kinds, segidx, topics, topics_gold, other=other, mode_gold=mode_gold)
        variant.append(original(utts, kinds, segidx, other_general(topics, other, default), topics_gold,
                                other=other, mode_gold=mode_gold))
        pos = {uid: i for i, uid in enumerate(uid for s in topics.segments for uid in s.utterance_ids)}
        for s in topics.segments:
            seg_counts[("other" if s.area == other else "substantive", s.mode)] += 1
            if s.area != other:
                continue
            for sp in s.mode_spans:
                for uid in sp.utterance_ids:
                    i = pos[uid]
                    n = word_count(utts[i]["text"])
                    other_modes[sp.mode] += n
                    if mode_gold is not None and mode_gold[i] is not None:
                        gold_in_other[mode_gold[i]] += n
        return row

    ta.score_meeting = scored
    rows, summary = ta.evaluate("train", args.limit, {})
    vsum = ta.summarise(variant)
    keys = ("modes_vs_weak_gold", "segment_modes_vs_weak_gold", "mode_words", "segment_mode_words")
    out = {
        "command": "python benchmarks/topics_other_mode_r16_pair.py " + " ".join(argv or sys.argv[1:]),
        "commit": ta._commit(), "split": "train (40 seeded choosing meetings)",
        "as_is": {k: summary[k] for k in keys},
        "other_general": {k: vsum[k] for k in keys},
        "other_segment_words_by_mode_span": dict(other_modes.most_common()),
        "weak_gold_words_inside_other_segments": dict(gold_in_other.most_common()),
        "segments_by_kind_and_mode": {f"{a}/{m}": n for (a, m), n in sorted(seg_counts.items())},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1))
    print(json.dumps({k: v for k, v in out.items() if k not in ("as_is", "other_general")}, indent=1))
    for k in ("as_is", "other_general"):
        print(k, out[k]["modes_vs_weak_gold"]["balanced_accuracy"], out[k]["segment_modes_vs_weak_gold"]["balanced_accuracy"],
              out[k]["modes_vs_weak_gold"]["recall"])
    return 0


if __name__ == "__main__":
    sys.exit(main())

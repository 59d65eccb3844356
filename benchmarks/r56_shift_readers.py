"""Round 56 (issue 10): the subject shifts and who opens them on real conversations, against blind readers.

The shift head (``analysis/topics/shifts.py``) was trained and chosen on AMI design meetings of four. Mentoring
sessions are mostly two people talking; the closest real talk here with no topic labels of its own is SBCSAE's
conversations (SBC009 and SBC044: two speakers; SBC001: three) and the Zoom class meeting. This script lists each one's
floor turns for readers who see neither the tool's output nor this script, and scores the tool against their marks.

Usage (repository root)::

    python benchmarks/r56_shift_readers.py candidates          # .cache/r56_shifts/<source>.txt
    # two readers per source (round 56: helpers that saw only benchmarks/data/r56_shift_readers_instructions.md and
    # the conversation) mark, blind, every turn where a new subject starts, one JSON line each:
    #   {"source": ..., "turn": <n>, "subject": "<2-5 words>"}  → benchmarks/data/r56_shift_labels_{1,2}.jsonl
    python benchmarks/r56_shift_readers.py score --json benchmarks/results/r56_shift_readers.json

``score``: per source, segmentation against each reader (Pk and WindowDiff over turns, ``k`` half the reader's mean
segment length) for the subject shifts, the topic-area segments, an even split with the reader's count, and the other
reader (how far two readers agree: the ceiling); and who opens the subjects — each participant's share of the
openings by the stage's rule (:func:`~sessionscope.analysis.topics.stage.initiator` over the segment) for the reader's
segments against the shifts', the area segments' and each one's share of the words. Nothing is fitted or chosen here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import ROOT, write_result  # noqa: E402
from r37_accepted import code_commit  # noqa: E402
from topic_segmentation import pk, windowdiff  # noqa: E402

WORK = ROOT / ".cache" / "r56_shifts"
REAL = ROOT / ".cache" / "real"
DATA = ROOT.parent / "shared" / "data"
SOURCES = {"SBC001": "sbcsae-text-refs/SBC001.stm", "SBC009": "sbcsae-text-refs/SBC009.stm",
           "SBC044": "sbcsae-text-refs/SBC044.stm",
           "zoom": "zoom-vtt-class-meeting/GMT20240124-202901_Recording.transcript.vtt"}
LABELS = [ROOT / "benchmarks" / "data" / f"r56_shift_labels_{n}.jsonl" for n in (1, 2)]


def _session(name: str):
    from sessionscope.api import read_transcript

    path = DATA / SOURCES[name]
    if not path.is_file():
        raise SystemExit(f"{path} is absent: this benchmark reads ../shared/data")
    return read_transcript(path)


def _letters(session) -> dict[str, str]:
    order: list[str] = []
    for u in session.utterances:
        if u.speaker not in order:
            order.append(u.speaker)
    return {s: chr(ord("A") + i) for i, s in enumerate(order)}


def candidates() -> None:
    from sessionscope.analysis.topics.shifts import floor_turns

    WORK.mkdir(parents=True, exist_ok=True)
    for name in SOURCES:
        session = _session(name)
        who = _letters(session)
        lines = [f"T{n} [{who[session.utterances[g[0]].speaker]}] " + " ".join(session.utterances[i].text for i in g)
                 for n, g in enumerate(floor_turns(session.utterances))]
        (WORK / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(name, len(lines), "turns")


def _read_labels() -> list[dict[str, list[int]]]:
    out = []
    for path in LABELS:
        marks: dict[str, set[int]] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                marks.setdefault(d["source"], set()).add(int(d["turn"]))
        out.append({k: sorted(v | {0}) for k, v in marks.items()})
    return out


def _openers(session, turns: list[list[int]], starts: list[int]) -> list[str]:
    """Who opened each segment starting at the turns ``starts``: the stage's rule over the segment's utterances."""
    from sessionscope.analysis.topics.stage import initiator

    got = []
    for k, a in enumerate(starts):
        b = starts[k + 1] if k + 1 < len(starts) else len(turns)
        who = initiator([session.utterances[i] for g in turns[a:b] for i in g])
        if who:
            got.append(who)
    return got


def _shares(openers: list[str], people: list[str]) -> dict[str, float]:
    c = Counter(openers)
    tot = sum(c.values())
    return {p: (c[p] / tot if tot else 0.0) for p in people}


def score(out: Path) -> dict:
    from sessionscope.analysis.topics.shifts import floor_turns
    from sessionscope.analysis.topics.stage import TopicsStage

    labels = _read_labels()
    stage = TopicsStage()
    rows: list[dict[str, Any]] = []
    pooled: dict[str, list[tuple[float, float]]] = {}
    for name in SOURCES:
        session = _session(name)
        res = stage(session)
        turns = floor_turns(session.utterances)
        turn_of = {i: n for n, g in enumerate(turns) for i in g}
        index = {u.id: i for i, u in enumerate(session.utterances)}
        n = len(turns)
        shifts = sorted({turn_of[index[x.utterance_id]] for x in res.topics.shifts})
        areas = sorted({turn_of[index[s.utterance_ids[0]]] for s in res.topics.segments})
        people = sorted({u.speaker for u in session.utterances})

        words = Counter()
        for u in session.utterances:
            words[u.speaker] += len(u.text.split())
        row: dict[str, Any] = {"source": name, "turns": n, "participants": len(people), "shifts": len(shifts),
                               "area_segments": len(areas), "readers": {}}
        systems = {"subject_shifts": shifts, "area_segments": areas}
        shares = {"subject_shifts": _shares(_openers(session, turns, shifts), people),
                  "area_segments": _shares(_openers(session, turns, areas), people),
                  "words": {p: words[p] / max(1, sum(words.values())) for p in people}}
        for r, lab in enumerate(labels, start=1):
            ref = lab.get(name)
            if not ref:
                continue
            other = labels[2 - r].get(name)
            k = max(2, round(n / len(ref) / 2))
            hyp = {**systems, "even": [round(n * i / len(ref)) for i in range(len(ref))]}
            if other:
                hyp["other_reader"] = other
            seg = {s: {"segments": len(h), "pk": round(pk(ref[1:], [b for b in h if b], n, k), 3),
                       "windowdiff": round(windowdiff(ref[1:], [b for b in h if b], n, k), 3)} for s, h in hyp.items()}
            gold = _shares(_openers(session, turns, ref), people)
            init = {s: round(float(np.mean([abs(sh[p] - gold[p]) for p in people])), 3) for s, sh in shares.items()}
            if other:
                init["other_reader"] = round(float(np.mean([abs(_shares(_openers(session, turns, other), people)[p] - gold[p])
                                                            for p in people])), 3)
            for s, sh in shares.items():
                pooled.setdefault(s, []).extend((sh[p], gold[p]) for p in people)
            row["readers"][r] = {"segments": len(ref), "k": k, "segmentation": seg, "initiation_share": gold,
                                 "initiation_mean_abs_error": init}
        row["initiation_share"] = {s: {p: round(v, 3) for p, v in sh.items()} for s, sh in shares.items()}
        row["turn_starts"] = {"subject_shifts": shifts, "area_segments": areas,
                              **{f"reader_{r}": lab.get(name, []) for r, lab in enumerate(labels, start=1)}}
        rows.append(row)
        print(name, json.dumps({r: v["segmentation"] for r, v in row["readers"].items()}), file=sys.stderr)
    summary = {}
    for s, pairs in pooled.items():
        a, b = np.array(pairs).T
        summary[s] = {"n": len(a), "mean_abs_error": round(float(np.mean(np.abs(a - b))), 3),
                      "pearson": round(float(np.corrcoef(a, b)[0, 1]), 3) if len(a) > 2 and a.std() and b.std() else None}
    for s in ("subject_shifts", "area_segments", "even", "other_reader"):
        vals = [row["readers"][r]["segmentation"][s] for row in rows for r in row["readers"]
                if s in row["readers"][r]["segmentation"]]
        summary[f"segmentation_{s}"] = {m: round(float(np.mean([v[m] for v in vals])), 3) for m in ("pk", "windowdiff")} \
            | {"of": len(vals)}
    result = {"command": f"python benchmarks/r56_shift_readers.py score --json {out}",
              "commit": code_commit(Path(__file__).resolve().parents[1] / "src" / "sessionscope"),
              "date": dt.date.today().isoformat(), "labels": [str(p.relative_to(ROOT)) for p in LABELS],
              "summary": summary, "sources": rows}
    write_result(result, out, indent=1)
    print(json.dumps(summary, indent=1))
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("candidates")
    sc = sub.add_parser("score")
    sc.add_argument("--json", type=Path, required=True)
    args = ap.parse_args(argv)
    if args.cmd == "candidates":
        candidates()
    else:
        score(args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

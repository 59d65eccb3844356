"""Round 57 (issue 10): action items and recommendations in real two-person talk, against blind readers.

``r57_action_readers.py`` and ``r57_rec_readers.py`` read group meetings; mentoring sessions are mostly two people.
Real two-person talk here comes from the same meetings: each stretch of at least ``MIN_ACTS`` consecutive dialogue acts
by exactly two speakers (``r49_pair_answers.two_person_stretches``) of the AMI and ICSI **train** meetings (not the
heads' held-out 15 %, not dev, not a file the check was trained on) becomes a two-person session of its speaker turns,
analysed by ``analyze`` (dynamics, extraction), by the code of round 57 before the action map applied to every
session (the items' confidences are the check's own probabilities): are they right, and does the map fitted on the
group meetings hold here (``map_of_the_group_meetings``)?

Usage (repository root)::

    python benchmarks/r57_pair_readers.py sample    # .cache/r57_pairs/{actions,recs}_<n>.txt; benchmarks/data/r57_pair_key.json
    # one reader per file, the action and recommendation instructions of the group studies
    # → benchmarks/data/r57_pair_{action,rec}_labels_<n>.jsonl
    python benchmarks/r57_pair_readers.py score --json benchmarks/results/r57_pair_readers.json

Every listed action item with a confidence is read; recommendations, ``REC_PER_BAND`` per confidence band. ``score``:
per kind, the confidence against the labels (population-weighted by band), what the reports count (action items ≥ 0.5
and not moves in the meeting; recommendations ≥ 0.6 and not procedure or request) and a ``sigmoid(a · logit p + b)``
map scored by meeting and corpus to corpus, as for group meetings.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import ROOT  # noqa: E402
from r57_action_readers import calibration_study  # noqa: E402
from r57_action_readers import reader_text as action_text  # noqa: E402
from r57_rec_readers import reader_text as rec_text  # noqa: E402

WORK = ROOT / ".cache" / "r57_pairs"
LABELS_DIR = ROOT / "benchmarks" / "data"
KEY = LABELS_DIR / "r57_pair_key.json"
SEED = 5758
MIN_ACTS = 20
REC_BANDS = (0.0, 0.1, 0.2, 0.3, 0.45, 0.6, 0.75, 0.9, 1.01)
REC_PER_BAND = 40
READERS = 8
LINES = {"action": 0.5, "recommendation": 0.6}  # what the reports count from


def stretches() -> dict[str, list[dict]]:
    """``{"<corpus>:<meeting>@<first act>": turns}``: the two-person stretches of the eligible train meetings."""
    from dialogue_acts import heldout_meeting, meetings
    from r49_pair_answers import two_person_stretches
    from sessionscope.analysis.extract.check import bundled_item_check
    from topics_ami import turns

    check = bundled_item_check()
    seen = set(check.meta.get("files", [])) if check else set()
    out = {}
    for corpus in ("ami", "mrda"):
        for m, acts in sorted(meetings(corpus, "train").items()):
            if m in seen or heldout_meeting(m):
                continue
            for st in two_person_stretches(acts, MIN_ACTS):
                rows = [{"speaker": a.speaker, "start": a.start, "end": a.end if a.end is not None else a.start, "text": a.text}
                        for a in st if a.start is not None and a.text.strip()]
                if len({r["speaker"] for r in rows}) == 2:
                    out[f"{corpus}:{m}@{st[0].index}"] = turns(rows)
    return out


def listed(name: str, turns: list[dict]) -> list[dict]:
    from sessionscope.api import analyze
    from topics_ami import to_session

    s = analyze(to_session(name.split(":", 1)[1], turns), stages=["dynamics", "extraction"])
    index = {u.id: i for i, u in enumerate(s.utterances)}
    out = [{"kind": "action", "meeting": name, "utterance": index[a.utterance_id], "utterance_id": a.utterance_id,
            "owner": a.owner, "owners": list(a.owners), "task": a.task, "due_text": a.due_text, "confidence": a.confidence,
            "to_check": a.to_check, "in_meeting": a.in_meeting, "method": a.method}
           for a in s.action_items if a.confidence is not None]
    out += [{"kind": "recommendation", "meeting": name, "utterance": index[r.utterance_id], "utterance_id": r.utterance_id,
             "giver": r.giver, "receiver": r.receiver, "text": r.text, "confidence": r.confidence, "to_check": r.to_check,
             "in_meeting": bool(r.procedure or r.request), "method": r.method}
            for r in s.recommendations if r.confidence is not None]
    return out


def sample(args: argparse.Namespace) -> int:
    per = stretches()
    items = []
    for name, turns in per.items():
        items += listed(name, turns)
    acts = [it for it in items if it["kind"] == "action"]
    acts = [{**it, "band": [0.0, 1.01], "band_items": len(acts)} for it in acts]  # every one read
    recs = [it for it in items if it["kind"] == "recommendation"]
    rng = np.random.default_rng(SEED)
    chosen_recs = []
    for lo, hi in zip(REC_BANDS, REC_BANDS[1:], strict=False):
        band = [it for it in recs if lo <= it["confidence"] < hi]
        take = rng.choice(len(band), size=min(REC_PER_BAND, len(band)), replace=False) if band else []
        chosen_recs += [{**band[int(k)], "band": [lo, hi], "band_items": len(band)} for k in sorted(take)]
    WORK.mkdir(parents=True, exist_ok=True)
    key: dict = {"stretches": len(per), "min_acts": MIN_ACTS, "listed": {"action": len(acts), "recommendation": len(recs)}}
    for kind, chosen, prefix, text in (("action", acts, "P", action_text), ("recommendation", chosen_recs, "Q", rec_text)):
        order = rng.permutation(len(chosen))
        for k, i in enumerate(order):
            chosen[int(i)]["id"] = f"{prefix}{k:03d}"
        files: dict[int, list[str]] = {}
        for k, i in enumerate(order):
            it = chosen[int(i)]
            files.setdefault(k % READERS + 1, []).append(f"=== {'I' if kind == 'action' else ''}{it['id']}\n"
                                                          f"{text(it, per[it['meeting']])}\n")
        for n, parts in files.items():
            (WORK / f"{'actions' if kind == 'action' else 'recs'}_{n}.txt").write_text("\n".join(parts), encoding="utf-8")
        key[kind] = chosen
    KEY.write_text(json.dumps(key, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(per)} two-person stretches: {len(acts)} action items (all read), {len(recs)} recommendations "
          f"({len(chosen_recs)} read)")
    return 0


def read_labels(kind: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for n in range(1, READERS + 1):
        path = LABELS_DIR / f"r57_pair_{'action' if kind == 'action' else 'rec'}_labels_{n}.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                out[r["id"].lstrip("I") if kind == "action" else r["id"]] = r["category"]
    return out


def score(args: argparse.Namespace) -> int:
    from collections import Counter

    from dialogue_acts import write_result
    from train_dialogue_acts import commit

    key = json.loads(KEY.read_text(encoding="utf-8"))
    out: dict = {"command": "python benchmarks/r57_pair_readers.py score " + " ".join(sys.argv[2:]), "commit": commit(),
                 "stretches": key["stretches"], "min_acts": key["min_acts"], "listed": key["listed"]}
    for kind in ("action", "recommendation"):
        labels = read_labels(kind)
        read_in_band = Counter(tuple(it["band"]) for it in key[kind])
        rows = [{**it, "category": labels[it["id"]], "right": labels[it["id"]] == "ok", "check": it["confidence"],
                 "band_read": read_in_band[tuple(it["band"])]} for it in key[kind] if it["id"] in labels]
        study, split = calibration_study(rows, LINES[kind], lambda name: name.split("@")[0])
        res: dict = {"read": len(rows), "right": sum(r["right"] for r in rows),
                     "categories": dict(Counter(r["category"] for r in rows).most_common()), **study}
        from sessionscope.analysis.extract.check import ItemCheck, bundled_check_path

        shipped_map = ItemCheck.load(bundled_check_path()).calibration.get(kind)
        if shipped_map:  # the map fitted on the group meetings' labels (r57_action_readers.py), never on these
            from sessionscope.analysis.extract.check import mapped

            p = np.clip(np.array([r["confidence"] for r in rows]), 1e-3, 1 - 1e-3)
            # since round 58 the map also reads the task phrase (r58_task_terms.py): (a, b, w...)
            q = mapped(shipped_map, p, [r["task"] for r in rows] if len(shipped_map) > 2 else None)
            res["map_of_the_group_meetings"] = {"a": shipped_map[0], "b": shipped_map[1], "params": list(shipped_map), **split(q)}
        res["rows"] = [{k: r.get(k) for k in ("id", "meeting", "utterance_id", "owner", "giver", "receiver", "task", "text",
                                              "confidence", "to_check", "in_meeting", "method", "category")} for r in rows]
        out[kind] = res
        print(kind, json.dumps({k: v for k, v in res.items() if k not in ("rows",)}, indent=1)[:3000])
    if args.json:
        write_result(out, args.json)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("sample", help="write the reader files")
    sc = sub.add_parser("score", help="the confidences against the readers' labels")
    sc.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    return {"sample": sample, "score": score}[args.cmd](args)


if __name__ == "__main__":
    raise SystemExit(main())

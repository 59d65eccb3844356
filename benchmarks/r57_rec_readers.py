"""Round 57 (issue 10): is a recommendation's confidence what it says on real meetings? Blind readers label a sample.

The companion of ``r57_action_readers.py`` for recommendations. An English recommendation's ``confidence`` is the
real-talk check's probability that it is right (``analysis/extract/check.py``; its recommendation part was fitted on
1,955 labelled items of rounds 13–15); under ``extraction.check_below_recommendations`` (0.6) it is "to check", and
only the rest (not about running the meeting, not a request) are counted as advice by the reports, the flags and
the knowledge flow.

Usage (repository root)::

    python benchmarks/r57_rec_readers.py sample      # .cache/r57_recs/reader_<n>.txt; benchmarks/data/r57_rec_key.json
    # one reader per file (helpers that saw only benchmarks/data/r57_rec_readers_instructions.md and their file)
    # labels every item, one JSON line each → benchmarks/data/r57_rec_labels_<n>.jsonl
    python benchmarks/r57_rec_readers.py score --json benchmarks/results/r57_rec_readers.json

The sample is fixed before anything is labelled: AMI and ICSI train meetings (not the dialogue-act heads' held-out
15 %, not dev, not a file the check was trained on), chosen with their own seed; each meeting's speaker turns
analysed by ``sessionscope.api.analyze`` with the dynamics and extraction stages; every listed recommendation with a
confidence is a candidate and ``PER_BAND`` are drawn from each confidence band. Readers see the item's turn with two
turns before and after and the sentence listed, never its confidence, method or flags. ``score`` reports the
confidence against the labels per band and, as ``r57_action_readers.py calibrate`` does for action items, a
``sigmoid(a · logit(p) + b)`` map scored corpus to corpus and by meeting (nothing is written into the check here).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import ROOT  # noqa: E402
from r57_action_readers import calibration_study, context_lines  # noqa: E402
from r57_action_readers import meetings_to_read as action_meetings  # noqa: E402

WORK = ROOT / ".cache" / "r57_recs"
LABELS_DIR = ROOT / "benchmarks" / "data"
KEY = LABELS_DIR / "r57_rec_key.json"
SEED = 5757
AMI_MEETINGS = 30
MRDA_MEETINGS = 24
BANDS = (0.0, 0.1, 0.2, 0.3, 0.45, 0.6, 0.75, 0.9, 1.01)
PER_BAND = 50
READERS = 8
CATEGORIES = ("ok", "not_advice_description", "fragment", "not_advice_story_or_quote", "not_advice_reading_aloud",
              "not_advice_backchannel_or_social", "not_advice_question", "request_not_advice", "self_directed",
              "meeting_talk")


def meetings_to_read() -> dict[str, list[dict]]:
    """The train meetings of this study: the action study's pools and rules, this study's own seed and counts."""
    return action_meetings(seed=SEED, ami=AMI_MEETINGS, mrda=MRDA_MEETINGS)


def listed(name: str, turns: list[dict]) -> list[dict]:
    from sessionscope.api import analyze
    from topics_ami import to_session

    s = analyze(to_session(name.split(":", 1)[1], turns), stages=["dynamics", "extraction"])
    index = {u.id: i for i, u in enumerate(s.utterances)}
    return [{"meeting": name, "utterance": index[r.utterance_id], "utterance_id": r.utterance_id, "giver": r.giver,
             "receiver": r.receiver, "text": r.text, "confidence": r.confidence, "to_check": r.to_check,
             "procedure": r.procedure, "request": r.request, "method": r.method}
            for r in s.recommendations if r.confidence is not None]


def reader_text(item: dict, turns: list[dict]) -> str:
    lines, _ = context_lines(item, turns)
    return "\n".join(lines) + f"\nLISTED: \"{item['text']}\""


def sample(args: argparse.Namespace) -> int:
    per = meetings_to_read()
    items = []
    for name, turns in per.items():
        items += listed(name, turns)
        print(name, len(items), flush=True)
    rng = np.random.default_rng(SEED + 1)
    chosen = []
    for lo, hi in zip(BANDS, BANDS[1:], strict=False):
        band = [it for it in items if lo <= it["confidence"] < hi]
        take = rng.choice(len(band), size=min(PER_BAND, len(band)), replace=False) if band else []
        chosen += [{**band[int(k)], "band": [lo, hi], "band_items": len(band)} for k in sorted(take)]
    order = rng.permutation(len(chosen))
    for k, i in enumerate(order):
        chosen[int(i)]["id"] = f"R{k:03d}"
    KEY.write_text(json.dumps({"listed": len(items), "items": chosen}, ensure_ascii=False, separators=(",", ":")) + "\n",
                   encoding="utf-8")
    WORK.mkdir(parents=True, exist_ok=True)
    files: dict[int, list[str]] = {}
    for k, i in enumerate(order):
        it = chosen[int(i)]
        files.setdefault(k % READERS + 1, []).append(f"=== {it['id']}\n{reader_text(it, per[it['meeting']])}\n")
    for n, parts in files.items():
        (WORK / f"reader_{n}.txt").write_text("\n".join(parts), encoding="utf-8")
    print(f"{len(items)} recommendations listed on {len(per)} meetings; {len(chosen)} sampled → {len(files)} reader files")
    return 0


def read_labels() -> dict[str, str]:
    out: dict[str, str] = {}
    for n in range(1, READERS + 1):
        for line in (LABELS_DIR / f"r57_rec_labels_{n}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                out[r["id"]] = r["category"]
    return out


def score(args: argparse.Namespace) -> int:
    from collections import Counter

    from dialogue_acts import write_result
    from train_dialogue_acts import commit

    key = json.loads(KEY.read_text(encoding="utf-8"))
    labels = read_labels()
    read_in_band = Counter(tuple(it["band"]) for it in key["items"])
    rows = [{**it, "category": labels[it["id"]], "right": labels[it["id"]] == "ok", "check": it["confidence"],
             "in_meeting": bool(it["procedure"] or it["request"]), "band_read": read_in_band[tuple(it["band"])]}
            for it in key["items"] if it["id"] in labels]
    # what the reports count: advice (not about running the meeting, not a request) at or above the 0.6 line
    out: dict = {"command": "python benchmarks/r57_rec_readers.py score " + " ".join(sys.argv[2:]), "commit": commit(),
                 "listed_on_the_meetings": key["listed"], "meetings": len({r["meeting"] for r in rows}), "read": len(rows),
                 "right": sum(r["right"] for r in rows), "categories": dict(Counter(r["category"] for r in rows).most_common())}
    out.update(calibration_study(rows, 0.6)[0])
    out["rows"] = [{k: r[k] for k in ("id", "meeting", "utterance_id", "giver", "receiver", "text", "confidence", "to_check",
                                      "procedure", "request", "method", "category")} for r in rows]
    print(json.dumps({k: v for k, v in out.items() if k != "rows"}, indent=1)[:5000])
    if args.json:
        write_result(out, args.json)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("sample", help="write the reader files")
    sc = sub.add_parser("score", help="the confidence against the readers' labels, and a map scored out of sample")
    sc.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    return {"sample": sample, "score": score}[args.cmd](args)


if __name__ == "__main__":
    raise SystemExit(main())

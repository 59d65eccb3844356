"""Key points and flow outputs of the same sessions analysed before and after a change (round 16, helper polish).

Reads two ``analyze`` output folders (``OUT/<session>/session.json``; a Zoom id's ".transcript" is ignored when
pairing sessions) and writes, per session: whether the measured fields (metrics, topics, items, knowledge flow) are
identical, the key points before and after (score, kind of item, text) and the flag messages that changed.

    nice -n 10 python benchmarks/keypoints_r16_polish.py BEFORE_OUT AFTER_OUT --out benchmarks/results/keypoints_r16_polish.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

MEASURED = ("metrics", "topics", "recommendations", "action_items", "questions", "problems", "knowledge_flow",
            "utterances")
KINDS = (("problem", "problems"), ("recommendation", "recommendations"), ("action", "action_items"))


def _load(folder: Path) -> dict[str, dict]:
    return {p.parent.name.removesuffix(".transcript"): json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(folder.glob("*/session.json"))}


def _points(s: dict) -> list[dict]:
    kinds: dict[str, list[str]] = {}
    for kind, key in KINDS:
        for it in s.get(key) or []:
            kinds.setdefault(it["utterance_id"], []).append(f"{kind} ({'measured' if it.get('confidence') is not None else 'no confidence'})")
    return [{"score": kp["score"], "area": kp["area"], "items_of_its_utterance": kinds.get(kp["utterance_id"], []),
             "text": kp["text"]} for kp in s.get("summary") or []]


def compare(before: Path, after: Path) -> dict:
    b, a = _load(before), _load(after)
    sessions = {}
    for sid in sorted(set(b) & set(a)):
        sb, sa = b[sid], a[sid]
        fb = [f["message"] for f in sb.get("flags") or []]
        fa = [f["message"] for f in sa.get("flags") or []]
        pb, pa = _points(sb), _points(sa)
        sessions[sid] = {
            "measured_fields_identical": {k: sb.get(k) == sa.get(k) for k in MEASURED},
            "key_points_before": pb, "key_points_after": pa,
            "removed": [p["text"] for p in pb if p["text"] not in {q["text"] for q in pa}],
            "added": [p["text"] for p in pa if p["text"] not in {q["text"] for q in pb}],
            "flags_changed": [[x, y] for x, y in zip(fb, fa, strict=False) if x != y],
            "flag_values_identical": [f.get("value") for f in sb.get("flags") or []]
            == [f.get("value") for f in sa.get("flags") or []],
        }
    n_b = sum(len(s["key_points_before"]) for s in sessions.values())
    n_a = sum(len(s["key_points_after"]) for s in sessions.values())
    fixed = sum(1 for s in sessions.values() for p in s["key_points_before"] if p["score"] == 0.5)
    return {"before": str(before), "after": str(after), "sessions": sessions,
            "totals": {"sessions": len(sessions), "key_points_before": n_b, "key_points_after": n_a,
                       "key_points_scored_0.5_before": fixed,
                       "all_measured_fields_identical": all(all(s["measured_fields_identical"].values())
                                                            for s in sessions.values())}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    res = compare(args.before, args.after)
    args.out.write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(res["totals"]))


if __name__ == "__main__":
    main()

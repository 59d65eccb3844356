"""Round 12 (audit): the audited real-talk items by error kind, and what the confidence says about them.

Usage (from the repository root; the runs come from ``audit_real_talk.py run``)::

    python benchmarks/audit_r12_audit.py labels --work /tmp/r12/audit --tag base12      # carry rounds 6-11's labels over
    python benchmarks/audit_r12_audit.py errors --work /tmp/r12/audit --tag base12 --out …
    python benchmarks/audit_r12_audit.py confidence --work /tmp/r12/audit --tag base12 --out …
    python benchmarks/audit_r12_audit.py diff --work /tmp/r12/audit --tags base12,after12   # items gained / lost

``labels`` joins every earlier label file (a later round's label wins) with this round's own labels
(``audit_real_talk_r12_audit_labels.json``, ``labels``) and lists the items of the run that still have
none. ``errors`` counts, per file set, the listed recommendations (all, and the advice: not flagged
``procedure``) and the task list (action items not flagged ``in_meeting``) by label. ``confidence`` gives the
right share per confidence band and the ranking (AUC) of right over wrong items.

Which files were designed on: ``DESIGN`` (rounds 6-11's development files) and ``SEEN`` (held aside in
earlier rounds, counted once each then, designed on from round 12); ``ES2004d`` is this round's unseen
meeting, counted once before / after at the end.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import audit_real_talk as art  # noqa: E402

RESULTS = art.ROOT / "benchmarks" / "results"
EARLIER = ("audit_real_talk_r6_audit.json", "audit_real_talk_r7_informal.json", "audit_real_talk_r8_recs_labels.json",
           "audit_real_talk_r9_recs_labels.json", "audit_real_talk_r9_actions_labels.json",
           "audit_real_talk_r10_recs_labels.json", "audit_real_talk_r10_actions_labels.json",
           "audit_real_talk_r11_recs_labels.json")
OWN = RESULTS / "audit_real_talk_r12_audit_labels.json"
DESIGN = ("SBC001", "SBC009", "ZOOM", "TS3003a", "TS3007b", "ES2014b")
SEEN = ("SBC044", "education_13", "ES2004c", "Bed003", "TS3011b", "ES2004b", "ES2004a")
UNSEEN = ("ES2004d",)
BANDS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
# round 8-9's short names of audit_real_talk.CATEGORIES' kinds ("meeting_procedure" is round 8-10's name of meeting_talk)
CANON = {"description": "not_advice_description", "question": "not_advice_question",
         "backchannel": "not_advice_backchannel_or_social", "reading_aloud": "not_advice_reading_aloud",
         "narrative": "not_advice_story_or_quote", "request": "request_not_advice", "meeting_procedure": "meeting_talk"}


def all_labels(own: Path = OWN) -> dict[str, str]:
    """Item key -> label: rounds 6-11 in order (a later one wins), then this round's own labels (recommendations and actions)."""
    out = {k: v for k, v in art.label_files([RESULTS / f for f in EARLIER]).items() if "|question|" not in k}
    if own.exists():
        out.update(json.loads(own.read_text(encoding="utf-8")).get("labels", {}))
    return out


def rows(work: Path, tag: str, sessions: list[str], labels: dict[str, str]) -> list[dict]:
    """One row per listed recommendation / action item: key, kind, flags, confidence, label (None when unlabelled)."""
    out = []
    for sid in sessions:
        s = art.load(work, tag, sid)
        flags = {("recommendation", r["utterance_id"], r["text"][:60]): bool(r.get("procedure"))
                 for r in s.get("recommendations") or []}
        flags.update({("action", a["utterance_id"], a["task"][:60]): bool(a.get("in_meeting"))
                      for a in s.get("action_items") or []})
        for it in art.items(s):
            if it["kind"] == "question":
                continue
            flag = flags.get((it["kind"], it["utterance_id"], (it.get("task") or it["text"])[:60]), False)
            out.append({"session": sid, "key": it["key"], "kind": it["kind"], "flag": flag,
                        "confidence": it["confidence"], "label": canon(labels.get(it["key"]), it["kind"]),
                        "text": it.get("task") or it["text"]})
    return out


def canon(label: str | None, kind: str) -> str | None:
    """One name per error kind: a recommendation's short round-8/9 names mapped to :data:`CANON`'s."""
    return CANON.get(label, label) if kind == "recommendation" and label is not None else label


def is_right(label: str | None) -> bool:
    return label == "ok"


def tally(rs: list[dict]) -> dict:
    lab = [r for r in rs if r["label"] is not None]
    by: dict[str, int] = {}
    for r in lab:
        by[r["label"]] = by.get(r["label"], 0) + 1
    ok = sum(is_right(r["label"]) for r in lab)
    return {"listed": len(rs), "labelled": len(lab), "right": ok, "share_right": round(ok / len(lab), 3) if lab else None,
            "by_label": dict(sorted(by.items(), key=lambda kv: -kv[1]))}


def errors(rs: list[dict], sets: dict[str, tuple[str, ...]]) -> dict:
    out: dict = {}
    for name, sess in sets.items():
        sel = [r for r in rs if r["session"] in sess]
        recs = [r for r in sel if r["kind"] == "recommendation"]
        acts = [r for r in sel if r["kind"] == "action"]
        out[name] = {"recommendations": tally(recs), "advice (not procedure)": tally([r for r in recs if not r["flag"]]),
                     "action_items": tally(acts), "tasks (not in_meeting)": tally([r for r in acts if not r["flag"]])}
    return out


def auc(pos: list[float], neg: list[float]) -> float | None:
    """Probability that a right item has a higher confidence than a wrong one (ties count half)."""
    if not pos or not neg:
        return None
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    return round(wins / (len(pos) * len(neg)), 3)


def bands(rs: list[dict], threshold: float) -> dict:
    lab = [r for r in rs if r["label"] is not None and r["confidence"] is not None]
    out = []
    for lo, hi in zip(BANDS, BANDS[1:], strict=False):
        sel = [is_right(r["label"]) for r in lab if lo <= r["confidence"] < hi]
        out.append({"from": lo, "below": min(hi, 1.0), "items": len(sel), "right": sum(sel),
                    "share_right": round(sum(sel) / len(sel), 3) if sel else None})
    hi_ = [is_right(r["label"]) for r in lab if r["confidence"] >= threshold]
    lo_ = [is_right(r["label"]) for r in lab if r["confidence"] < threshold]
    return {"items": len(lab), "right": sum(is_right(r["label"]) for r in lab), "bands": out,
            "threshold": threshold, "at_or_above": [sum(hi_), len(hi_)], "below_to_check": [sum(lo_), len(lo_)],
            "auc": auc([r["confidence"] for r in lab if is_right(r["label"])],
                       [r["confidence"] for r in lab if not is_right(r["label"])])}


def confidence(rs: list[dict], sets: dict[str, tuple[str, ...]], thresholds: dict[str, float]) -> dict:
    out: dict = {}
    for name, sess in sets.items():
        sel = [r for r in rs if r["session"] in sess]
        out[name] = {"recommendations": bands([r for r in sel if r["kind"] == "recommendation"], thresholds["recommendation"]),
                     "advice (not procedure)": bands([r for r in sel if r["kind"] == "recommendation" and not r["flag"]],
                                                     thresholds["recommendation"]),
                     "tasks (not in_meeting)": bands([r for r in sel if r["kind"] == "action" and not r["flag"]],
                                                     thresholds["action"])}
    return out


def thresholds() -> dict[str, float]:
    """The configured "to check" thresholds (items below them are shown to check)."""
    from sessionscope.config import load_config

    ex = load_config(None).extraction
    return {"recommendation": float(ex.recommendation_check_below), "action": float(ex.check_below)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=("labels", "errors", "confidence", "diff"))
    ap.add_argument("--work", type=Path, default=Path("/tmp/r12/audit"))
    ap.add_argument("--tag", default="base12")
    ap.add_argument("--tags", default="base12,after12", help="diff: two runs")
    ap.add_argument("--sets", default="design,seen", help="file sets: design, seen, unseen (comma-separated)")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    named = {"design": DESIGN, "seen": SEEN, "unseen": UNSEEN}
    sets = {n: named[n] for n in args.sets.split(",") if n}
    sets_all = [s for v in sets.values() for s in v]
    labels = all_labels()
    if args.cmd == "labels":
        for r in rows(args.work, args.tag, sets_all, labels):
            if r["label"] is None:
                print(json.dumps({"key": r["key"], "flag": r["flag"], "confidence": r["confidence"]}, ensure_ascii=False))
        return
    if args.cmd == "diff":
        a, b = args.tags.split(",")
        ra = {r["key"]: r for r in rows(args.work, a, sets_all, labels)}
        rb = {r["key"]: r for r in rows(args.work, b, sets_all, labels)}
        res = {"lost": [(k, ra[k]["label"]) for k in ra if k not in rb],
               "gained": [(k, rb[k]["label"]) for k in rb if k not in ra],
               "flag_changed": [(k, ra[k]["flag"], rb[k]["flag"], ra[k]["label"]) for k in ra
                                if k in rb and ra[k]["flag"] != rb[k]["flag"]],
               "confidence_changed": sum(1 for k in ra if k in rb and ra[k]["confidence"] != rb[k]["confidence"])}
        print(json.dumps(res, indent=1, ensure_ascii=False))
        return
    rs = rows(args.work, args.tag, sets_all, labels)
    res: dict = {"command": "python benchmarks/audit_r12_audit.py " + " ".join(sys.argv[1:]), "commit": art.commit(),
                 "tag": args.tag, "sets": sets, "label_files": [*EARLIER, OWN.name],
                 "note": "precision only (missed items were not searched for); one labeller per round; 'design' and 'seen' "
                         "files were designed on (see the module docstring)"}
    if args.cmd == "errors":
        res["counts"] = errors(rs, sets)
    else:
        th = thresholds()
        res["thresholds"] = th
        res["confidence"] = confidence(rs, sets, th)
    art.emit(res, args.out)


if __name__ == "__main__":
    main()

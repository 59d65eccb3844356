"""Extraction accuracy on the labelled EN/RU sets and the bundled example sessions; speed.

Usage (from the repository root)::

    python benchmarks/extraction_eval.py --split test      # the figures in docs/benchmarks/extraction.md
    python benchmarks/extraction_eval.py --split dev       # tuning (never tune on test)
    python benchmarks/extraction_eval.py --speed           # a 60-minute transcript through the stage

Each labelled row is one utterance from speaker A to speaker B. Three systems are scored:
the rules alone, the classifier alone (probability ≥ 0.5), and the shipped fusion
(``ExtractionStage`` defaults). Action items found correctly are checked for owner and
due date (resolved against the fixed session date). Questions use the shared question
detection; gold = labelled ``question`` or ending in "?". Results are printed as Markdown
and written to ``benchmarks/results/extraction_eval.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extraction_data import KINDS, ROOT, SESSION_DATE, load_rows  # noqa: E402


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def predict_rows(rows, cfg, clf, enc, heads=None, qhead=None):
    """For each row: {system: (kind or None, hit, sentence)} plus question detection.

    With ``heads`` (the dialogue-act heads) a fourth system, ``shipped``, decides through
    :func:`~sessionscope.analysis.extract.stage.head_decision` as the stage does (a row has
    no neighbours: zero context); with ``qhead`` questions come from the question head.
    """
    from sessionscope.analysis.extract.bare import parse_utterances  # the stage's own parse (bare rows: see .bare)
    from sessionscope.analysis.extract.stage import RULES, fuse
    from sessionscope.analysis.questions import question_sentences
    from sessionscope.config import ExtractionConfig

    out = []
    by_lang: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_lang.setdefault(r.lang, []).append(i)
    parsed: list = [None] * len(rows)
    for lang, idx in by_lang.items():
        for i, sents in zip(idx, parse_utterances([rows[i].text for i in idx], language=lang), strict=True):
            parsed[i] = sents
    flat = [s.text for sents in parsed for s in sents]
    emb = enc.encode(flat)
    probs = iter(clf.predict_proba(emb)) if clf is not None else None
    logits = None
    if heads is not None:
        import numpy as np

        from sessionscope.analysis.extract.assign import assignment_cues, bundled_assignment_head
        from sessionscope.analysis.extract.heads import CTX_NAMES, cue_features
        from sessionscope.analysis.extract.stage import assignment, decide
        from sessionscope.model import Participant, Session

        dense = np.stack([np.concatenate([cue_features(t), np.zeros(len(CTX_NAMES), np.float32)]) for t in flat])
        logits = iter(heads.scores(flat, emb, dense))
        ahead = bundled_assignment_head()  # tasks assigned to the other person of the pair become action items
        passign = iter(ahead.proba(emb, dense, np.stack([assignment_cues(t) for t in flat])) if ahead else [None] * len(flat))
        pair = Session(id="row", participants=(Participant(id="a", name="a"), Participant(id="b", name="b")), utterances=())
    rules_cfg = ExtractionConfig(classifier=None)
    for r, sents in zip(rows, parsed, strict=True):
        res = {"rules": None, "classifier": None, "fused": None}
        if heads is not None:
            res["shipped"] = None
        best_p = (0.0, None)
        for s in sents:
            hits = {k: rule(s) for k, rule in RULES.items()}
            p = dict(zip(clf.labels, map(float, next(probs)), strict=True)) if probs is not None else None
            if logits is not None:
                d, _ = decide(s, hits, p, heads, next(logits), cfg)
                pa = next(passign)
                assigned = assignment(s, d, pa, ahead.threshold, pair, "a", "b") if ahead is not None else None
                d = assigned[0] if assigned is not None else d
                if d is not None and (res["shipped"] is None or d.confidence > res["shipped"][0].confidence):
                    res["shipped"] = (d, s)
            for name, d in (("rules", fuse(hits, None, rules_cfg)), ("fused", fuse(hits, p, cfg))):
                if d is not None and (res[name] is None or d.confidence > res[name][0].confidence):
                    res[name] = (d, s)
            if p:
                k, v = max(p.items(), key=lambda kv: kv[1])
                if v >= 0.5 and v > best_p[0]:
                    best_p = (v, k)
        res["classifier"] = best_p[1]
        if qhead is not None and r.lang != "ru":  # Russian: the lexical rule decides (as in questions._head_questions)
            res["question"] = bool(qhead.is_question([x.text for x in sents] or [r.text])[0].any())
        else:
            res["question"] = bool(question_sentences(r.text, language=r.lang))
        out.append(res)
    return out


def score(rows, preds, lang: str) -> dict:
    from sessionscope.analysis.extract.actions import task_phrase
    from sessionscope.analysis.extract.assign import assignment_target
    from sessionscope.analysis.extract.dates import find_due
    from sessionscope.analysis.extract.stage import _owner

    res: dict = {}
    idx = [i for i, r in enumerate(rows) if r.lang == lang]
    systems = ("rules", "classifier", "fused", "shipped") if "shipped" in preds[0] else ("rules", "classifier", "fused")
    final = systems[-1]
    for system in systems:
        res[system] = {}
        for k in KINDS:
            tp = fp = fn = 0
            for i in idx:
                pk = preds[i][system] if system == "classifier" else (preds[i][system][0].kind if preds[i][system] else None)
                gold = rows[i].label == k
                tp += gold and pk == k
                fp += (not gold) and pk == k
                fn += gold and pk != k
            res[system][k] = prf(tp, fp, fn)
        hn = [i for i in idx if rows[i].hard_negative_for]
        wrong = 0
        for i in hn:
            pk = preds[i][system] if system == "classifier" else (preds[i][system][0].kind if preds[i][system] else None)
            wrong += pk == rows[i].hard_negative_for
        res[system]["hard_negative_fp_rate"] = round(wrong / len(hn), 3) if hn else None
    # owner and due date of correctly found action items (fused system)
    owner_ok = due_ok = n = 0
    errors = []
    for i in idx:
        fused = preds[i][final]
        if rows[i].label != "action" or not fused or fused[0].kind != "action":
            continue
        d, sent = fused
        owner, owners = _owner(sent, d.hit, "A", "B")
        if d.method.startswith("assignment"):  # a task assigned to the other one of the pair (or both), as the stage owns it
            target = assignment_target(sent.text, [("A", "A"), ("B", "B")], "A", "B")
            owner = target.owner if target is not None else owner
        role = "both" if owner is None else "speaker" if owner == "A" else "addressee"
        due = find_due(sent.text, session_date=SESSION_DATE)
        got_date = due.date.isoformat() if due and due.date else ""
        n += 1
        owner_ok += role == rows[i].owner
        due_ok += got_date == rows[i].due_date
        if role != rows[i].owner or got_date != rows[i].due_date:
            errors.append({"text": rows[i].text, "owner": [role, rows[i].owner], "due": [got_date, rows[i].due_date],
                           "task": task_phrase(sent, d.hit) if d.hit else ""})
    res["actions_found"] = n
    res["owner_accuracy"] = round(owner_ok / n, 3) if n else None
    res["due_date_accuracy"] = round(due_ok / n, 3) if n else None
    res["owner_due_errors"] = errors
    tp = fp = fn = 0
    for i in idx:
        gold = rows[i].label == "question" or rows[i].text.rstrip().endswith("?")
        tp += gold and preds[i]["question"]
        fp += (not gold) and preds[i]["question"]
        fn += gold and not preds[i]["question"]
    res["question"] = prf(tp, fp, fn)
    return res


def example_sessions(stage) -> dict:
    """Score the stage on the bundled example sessions (examples/*/gold.json), utterance-level."""
    from sessionscope.model import Participant, Role, Session, Utterance

    out = {}
    for gold_path in sorted((ROOT / "examples").glob("*/gold.json")):
        g = json.loads(gold_path.read_text(encoding="utf-8"))
        meta = g["session"]
        s = Session(
            id=meta["id"], language=meta.get("language"), date=dt.date.fromisoformat(meta["date"]) if meta.get("date") else None,
            participants=tuple(Participant(p["id"], p["name"], Role.parse(p.get("role"))) for p in meta["participants"]),
            utterances=tuple(Utterance(id=u["id"], speaker=u["speaker"], text=u["text"], start=u.get("start"),
                                       end=u.get("end")) for u in g["utterances"]),
        )
        pred = stage(s)
        res = {}
        for key, gkey in (("recommendations", "recommendations"), ("action_items", "action_items"), ("problems", "problems")):
            gold_u = [x["utterance_id"] for x in g.get(gkey, [])]
            pred_u = [x.utterance_id for x in getattr(pred, key)]
            tp = len(set(gold_u) & set(pred_u))
            res[key] = prf(tp, len(set(pred_u) - set(gold_u)), len(set(gold_u) - set(pred_u)))
        owner_ok = due_ok = n = 0
        gold_acts = {a["utterance_id"]: a for a in g.get("action_items", [])}
        for a in pred.action_items:
            ga = gold_acts.get(a.utterance_id)
            if ga is None:
                continue
            n += 1
            owner_ok += a.owner == ga.get("owner") or set(a.owners) == set(ga.get("owners", []))
            due_ok += (a.due_date.isoformat() if a.due_date else None) == ga.get("due_date")
        res["owner_accuracy"] = round(owner_ok / n, 3) if n else None
        res["due_date_accuracy"] = round(due_ok / n, 3) if n else None
        out[meta["id"]] = res
    return out


def speed(stage) -> dict:
    """A ~60-minute transcript (the English example repeated, texts made unique so no cache helps) through the stage.

    Models are already loaded here (the evaluation ran first); load times are measured apart.
    """
    from sessionscope.model import Participant, Role, Session, Utterance

    g = json.loads((ROOT / "examples" / "en_session" / "gold.json").read_text(encoding="utf-8"))
    span = g["utterances"][-1]["end"]
    reps = int(3600 // span) + 1
    utts = []
    for k in range(reps):
        for u in g["utterances"]:
            utts.append(Utterance(id=f"{k}-{u['id']}", speaker=u["speaker"], text=f"{u['text']} ({k})",
                                  start=u["start"] + k * span, end=u["end"] + k * span))
    s = Session(id="speed", language="en", participants=tuple(Participant(p["id"], p["name"], Role.parse(p["role"]))
                                                             for p in g["session"]["participants"]),
                utterances=tuple(utts))
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import ExtractionConfig

    t = time.perf_counter()
    stage(s)
    full = time.perf_counter() - t
    t = time.perf_counter()
    ExtractionStage(ExtractionConfig(classifier=None))(s)
    rules = time.perf_counter() - t
    return {"utterances": len(utts), "minutes": round(reps * span / 60, 1), "seconds_rules_and_classifier": round(full, 2),
            "seconds_rules_only": round(rules, 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="test", choices=["dev", "test", "examples"],
                    help="examples = the rows paraphrasing the example sessions (reported apart, never trained on)")
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--no-heads", dest="heads", action="store_false",
                    help="the previous release: rules + written-set classifier, lexical question rule")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "extraction_eval.json")
    args = ap.parse_args(argv)

    from sessionscope.analysis.extract.classifier import bundled_classifier_path, load_classifier
    from sessionscope.analysis.extract.heads import bundled_act_heads
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.analysis.questions import bundled_question_head
    from sessionscope.config import ExtractionConfig
    from sessionscope.language.embeddings import get_encoder

    cfg = ExtractionConfig(classifier="bundled", dialogue_act_heads="bundled" if args.heads else None)
    clf = load_classifier(bundled_classifier_path())
    enc = get_encoder(clf.encoder)
    results: dict = {"split": args.split, "heads": args.heads,
                     "command": f"python benchmarks/extraction_eval.py --split {args.split}" + ("" if args.heads else " --no-heads")}
    rows = load_rows(splits=(args.split,))
    t = time.perf_counter()
    heads = bundled_act_heads() if args.heads else None
    preds = predict_rows(rows, cfg, clf, enc, heads=heads, qhead=bundled_question_head() if args.heads else None)
    results["rows"] = len(rows)
    results["seconds"] = round(time.perf_counter() - t, 1)
    for lang in ("en", "ru"):
        results[lang] = score(rows, preds, lang)
    stage = ExtractionStage(cfg, classifier=clf, encoder=enc)
    if not args.heads:
        import sessionscope.analysis.questions as q

        q.find_questions.__kwdefaults__["head"] = None  # the lexical question rule, as before the heads
    results["examples"] = example_sessions(stage)
    if args.speed:
        results["speed"] = speed(stage)

    print(f"## Labelled set, split={args.split} ({len(rows)} rows)\n")
    print("| lang | system | recommendation P/R/F1 | action P/R/F1 | problem P/R/F1 | hard-neg FP rate |")
    print("|---|---|---|---|---|---|")
    for lang in ("en", "ru"):
        for system in [k for k in ("rules", "classifier", "fused", "shipped") if k in results[lang]]:
            r = results[lang][system]
            cells = [f"{r[k]['p']:.2f}/{r[k]['r']:.2f}/**{r[k]['f1']:.2f}**" for k in KINDS]
            print(f"| {lang} | {system} | " + " | ".join(cells) + f" | {r['hard_negative_fp_rate']} |")
    for lang in ("en", "ru"):
        r = results[lang]
        print(f"\n{lang}: actions found {r['actions_found']}, owner accuracy {r['owner_accuracy']}, "
              f"due-date accuracy {r['due_date_accuracy']}; questions P/R/F1 {r['question']['p']}/{r['question']['r']}/{r['question']['f1']}")
        for e in r["owner_due_errors"]:
            print(f"  - {e}")
    print("\n## Example sessions (utterance-level)\n")
    for sid, r in results["examples"].items():
        print(f"- {sid}: " + ", ".join(f"{k} F1 {v['f1']} (P {v['p']}, R {v['r']})" for k, v in r.items() if isinstance(v, dict))
              + f"; owner acc {r['owner_accuracy']}, due acc {r['due_date_accuracy']}")
    if args.speed:
        print(f"\nspeed: {results['speed']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Questions, recommendations and action items scored per dialogue act on real meetings (MRDA, AMI dev).

Usage (from the repository root; ~10 min on 2 cores)::

    nice -n 10 python benchmarks/dialogue_acts_eval.py            # DEV meetings (the reported figures)
    python benchmarks/dialogue_acts_eval.py --split heldout        # held-out train meetings (choosing)
    python benchmarks/dialogue_acts_eval.py --sample               # the frozen sample of tests/test_extract_heads.py
    python benchmarks/dialogue_acts_eval.py --only questions --split heldout   # questions only (~1 min)
    python benchmarks/dialogue_acts_eval.py --only questions --split heldout --bare-stretches 0.4 --seed 0
        # each 30-s chunk made bare with probability 0.4 (round 28; also --qmark-as-period P)
    python benchmarks/dialogue_acts_eval.py --split heldout --bare-stretches 0.4 --seed 0   # every kind (also --bare)

Each meeting becomes a :class:`~sessionscope.model.Session` whose utterances are its
dialogue acts (speaker, times, text), and goes through the extraction stage's own
functions (``parse_texts`` → ``ExtractionStage.probabilities`` / ``head_logits`` →
``extract_items`` → ``ExtractionStage.finish_items``; questions through ``session_questions``, as the dynamics count
them), so the figures describe what users get. An item counts on the act it was found on. Since round 35 the
recommendations and action items are also scored as *counted* (``*_counted``): only the items not marked to check,
which the reports, the checklist and the flags count.

Systems: ``shipped`` (the trained heads; the default configuration) and ``before``
(the previous release's rules + written-set classifier and lexical question rule).
Questions are also scored with all punctuation and capitals removed from every act.
Gold: see ``benchmarks/dialogue_acts.py``. Writes ``benchmarks/results/dialogue_acts_eval.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
import zlib
from dataclasses import replace as dc_replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import (  # noqa: E402
    CORPORA,
    EVAL_SPLITS,
    ROOT,
    Act,
    ami_action_items,
    no_meetings_message,
    split_meetings,
)
from train_dialogue_acts import commit, turn_question_f1  # noqa: E402

SAMPLE_MEETINGS = {"mrda": ("Bed003", "Bro018"), "ami": ("ES2011a", "IS1008a")}
SAMPLE_ACTS = 150


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def qmark_as_period(acts: list[Act], p: float, seed: int = 0, *, all_acts: bool = False) -> tuple[list[Act], int, int]:
    """Every "?" of a gold-question act (``all_acts``: of any act) replaced by "." with probability ``p`` (nothing
    else changes).

    The condition of a punctuated transcript whose recogniser (or transcriber) writes questions with a final
    "." (round 28). Each act draws from its own generator (seed and act id), so with one seed the "?"s replaced
    at a smaller ``p`` are among those replaced at a larger one. Returns the acts, the "?"s replaced and the "?"s
    of the acts concerned in all.
    """
    out, replaced, total = [], 0, 0
    for a in acts:
        if not (a.question or all_acts) or "?" not in a.text:
            out.append(a)
            continue
        rng = random.Random(zlib.crc32(f"{seed}:{a.id}".encode()))
        chars = []
        for ch in a.text:
            if ch == "?":
                total += 1
                if rng.random() < p:
                    replaced += 1
                    ch = "."
            chars.append(ch)
        out.append(dc_replace(a, text="".join(chars)))
    return out, replaced, total


def bare_stretches(acts: list[Act], p: float, seed: int = 0, *, stretch_s: float = 30.0,
                   meeting: str = "") -> tuple[list[Act], set[str], int, int]:
    """Whole stretches of a punctuated meeting made bare (no punctuation, no capitals), each with probability ``p``.

    The condition of a recogniser that writes most of its 30-second windows punctuated and some with no punctuation
    at all ("style drift", round 28): act ``a`` belongs to chunk ``int(a.start // stretch_s)`` (an act without a time to
    its predecessor's chunk), and each chunk draws once from its own generator (seed, meeting, chunk), so with one
    seed the chunks made bare at a smaller ``p`` are among those made bare at a larger one. Returns the acts, the ids
    of the acts made bare, and the chunks made bare and in all.
    """
    from sessionscope.analysis.extract.heads import strip_punctuation

    out, ids, chunks = [], set(), {}
    chunk = 0
    for a in acts:
        if a.start is not None:
            chunk = int(a.start // stretch_s)
        if chunk not in chunks:
            chunks[chunk] = random.Random(zlib.crc32(f"{seed}:{meeting}:{chunk}".encode())).random() < p
        if chunks[chunk]:
            ids.add(a.id)
            out.append(dc_replace(a, text=strip_punctuation(a.text)))
        else:
            out.append(a)
    return out, ids, sum(chunks.values()), len(chunks)


def session_of(meeting: str, acts: list[Act], *, strip: bool = False):
    from sessionscope.analysis.extract.heads import strip_punctuation
    from sessionscope.model import Participant, Session, Utterance

    speakers = sorted({a.speaker for a in acts})
    utts = tuple(Utterance(id=a.id, speaker=a.speaker, text=strip_punctuation(a.text) if strip else a.text,
                           start=a.start, end=a.end) for a in acts)
    return Session(id=meeting, participants=tuple(Participant(id=s, name=s) for s in speakers), utterances=utts,
                   language="en")


def run_meeting(meeting: str, acts: list[Act], stage, stage_before) -> dict:
    """Per act id: the kinds found by each system, with owner and confidence."""
    from sessionscope.analysis.extract.bare import parse_utterances
    from sessionscope.analysis.extract.stage import extract_items
    from sessionscope.analysis.questions import find_questions, session_questions

    sess = session_of(meeting, acts)
    parsed = parse_utterances([u.text for u in sess.utterances], language="en")  # the stage's own parse
    proba = stage.probabilities(parsed)
    logits = stage.head_logits(sess, parsed)
    shipped = extract_items(sess, parsed, proba, stage.cfg, stage.dynamics, heads=stage._heads, head_logits=logits,
                            task_encoder=stage._encoder, assign_threshold=stage.assign_threshold)
    # round 35: the lists as the session gets them (the learned procedure flag, the real-talk check's confidence and
    # to_check, extraction.list_below): the same items as before, now with the marks an evaluator's counts use
    shipped, _ = stage.finish_items(sess, parsed, shipped, logits)
    before = extract_items(sess, parsed, stage_before.probabilities(parsed), stage_before.cfg, stage_before.dynamics)
    dyn = stage.dynamics
    bare = session_of(meeting, acts, strip=True)
    kw = {"language": "en", "backchannels": dyn.backchannels, "backchannel_max_words": dyn.backchannel_max_words,
          "answer_max_utterances": dyn.answer_max_utterances, "answer_max_latency_s": dyn.answer_max_latency_s}
    utts_sorted = sorted(sess.utterances, key=lambda u: u.start)
    bare_sorted = sorted(bare.utterances, key=lambda u: u.start)
    out = {
        "shipped": _found(shipped),
        "before": _found(before),
    }
    out["shipped"]["question_stripped"] = {e.utterance_id: e.confidence for e in session_questions(bare, dyn)}
    out["before"]["question"] = {e.utterance_id: None for e in find_questions(utts_sorted, head=None, answer_head=None, **kw)}
    out["before"]["question_stripped"] = {e.utterance_id: None for e in find_questions(bare_sorted, head=None, answer_head=None, **kw)}
    out["answered"] = {q.utterance_id: (q.answered, q.answer_utterance_id) for q in shipped["questions"]}
    out["answered_rule"] = rule_answers(utts_sorted, kw)
    return out


def rule_answers(utts_sorted: list, kw: dict) -> dict:
    """The shipped question head's questions with the answer attributed by the rule (no learned answer head)."""
    from sessionscope.analysis.questions import find_questions

    return {e.utterance_id: (e.answered, e.answer_utterance_id) for e in find_questions(utts_sorted, answer_head=None, **kw)}


def question_meeting(meeting: str, acts: list[Act], dyn) -> dict:
    """Questions only (``--only questions``): ``session_questions`` as transcribed and bare, and the lexical rule.

    The same calls as :func:`run_meeting` makes for questions (the extraction stage's
    questions are ``session_questions``' own), without parsing or the other heads.
    """
    from sessionscope.analysis.questions import find_questions, session_questions

    sess, bare = session_of(meeting, acts), session_of(meeting, acts, strip=True)
    kw = {"language": "en", "backchannels": dyn.backchannels, "backchannel_max_words": dyn.backchannel_max_words,
          "answer_max_utterances": dyn.answer_max_utterances, "answer_max_latency_s": dyn.answer_max_latency_s}
    shipped = session_questions(sess, dyn)
    empty = {"recommendation": {}, "action": {}, "n_actions": 0, "recommendation_counted": {}, "action_counted": {}}
    return {
        "shipped": {**empty, "question": {e.utterance_id: e.confidence for e in shipped},
                    "question_stripped": {e.utterance_id: e.confidence for e in session_questions(bare, dyn)}},
        "before": {**empty,
                   "question": {e.utterance_id: None for e in find_questions(sorted(sess.utterances, key=lambda u: u.start),
                                                                              head=None, answer_head=None, **kw)},
                   "question_stripped": {e.utterance_id: None for e in find_questions(
                       sorted(bare.utterances, key=lambda u: u.start), head=None, answer_head=None, **kw)}},
        "answered": {e.utterance_id: (e.answered, e.answer_utterance_id) for e in shipped},
        "answered_rule": rule_answers(sorted(sess.utterances, key=lambda u: u.start), kw),
    }


QUESTION_KEYS = ("question", "question_stripped", "question_incl_rhetorical")


def question_scores(scores: dict, acts_by_meeting: dict[str, list[Act]], results: dict[str, dict]) -> dict:
    """The question part of :func:`score`'s result (``--only questions``), with the bare text's calibration too."""
    bands = []
    rows = [(results[a.meeting]["shipped"]["question_stripped"][a.id], a.question)
            for m in acts_by_meeting.values() for a in m if a.id in results[a.meeting]["shipped"]["question_stripped"]]
    for lo, hi in ((0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01)):
        sel = [(c, g) for c, g in rows if c is not None and lo <= c < hi]
        if sel:
            bands.append({"band": [lo, min(hi, 1.0)], "n": len(sel), "mean_confidence": round(float(np.mean([c for c, _ in sel])), 3),
                          "precision": round(sum(g for _, g in sel) / len(sel), 3)})
    return {**{s: {k: scores[s][k] for k in QUESTION_KEYS} for s in ("shipped", "before")},
            "calibration_shipped": {"question": scores["calibration_shipped"]["question"], "question_stripped": bands},
            "answered_agrees_with_responder": scores["answered_agrees_with_responder"],
            "answered_vs_responder": scores["answered_vs_responder"]}


def _found(items: dict) -> dict:
    rec = {}
    for r in items["recommendations"]:
        rec[r.utterance_id] = max(rec.get(r.utterance_id) or 0, r.confidence or 0)
    act: dict = {}
    for a in items["action_items"]:
        act.setdefault(a.utterance_id, []).append((a.owner, a.owners, a.confidence))
    return {"recommendation": rec, "action": act, "question": {q.utterance_id: q.confidence for q in items["questions"]},
            "n_actions": len(items["action_items"]),
            # round 35: the items not marked to check, which the reports, checklist and flags count
            "recommendation_counted": {r.utterance_id: r.confidence for r in items["recommendations"] if not r.to_check},
            "action_counted": {a.utterance_id: a.confidence for a in items["action_items"] if not a.to_check}}


def score(corpus: str, acts_by_meeting: dict[str, list[Act]], results: dict[str, dict]) -> dict:
    res: dict = {}
    all_acts = [a for m in acts_by_meeting.values() for a in m]
    for system in ("shipped", "before"):
        s: dict = {}
        for kind, gold_attr, key in (("question", "question", "question"), ("question_stripped", "question", "question_stripped"),
                                     ("question_incl_rhetorical", "question_with_qh", "question"),
                                     ("recommendation", "recommendation", "recommendation"), ("action", "action", "action"),
                                     ("recommendation_counted", "recommendation", "recommendation_counted"),
                                     ("action_counted", "action", "action_counted")):
            tp = fp = fn = 0
            for a in all_acts:
                found = a.id in results[a.meeting][system][key]
                gold = getattr(a, gold_attr)
                tp += found and gold
                fp += found and not gold
                fn += gold and not found
            s[kind] = prf(tp, fp, fn)
        # owner of action items found on gold commitment/offer acts (gold owner = the act's speaker)
        right = shared = n = 0
        for a in all_acts:
            if a.action and a.id in results[a.meeting][system]["action"]:
                for owner, owners, _ in results[a.meeting][system]["action"][a.id]:
                    n += 1
                    right += owner == a.speaker
                    shared += owner == a.speaker or (owner is None and a.speaker in owners)
        s["action_owner_right"] = round(right / n, 3) if n else None
        s["action_owner_right_or_shared"] = round(shared / n, 3) if n else None
        s["action_owner_n"] = n
        s["action_items_total"] = sum(results[m][system]["n_actions"] for m in acts_by_meeting)
        res[system] = s
    # calibration of the shipped confidences: per kind, precision by confidence band
    cal: dict = {}
    for kind, key in (("question", "question"), ("recommendation", "recommendation"), ("action", "action")):
        rows = []
        for a in all_acts:
            c = results[a.meeting]["shipped"][key].get(a.id)
            if a.id in results[a.meeting]["shipped"][key]:
                conf = c if not isinstance(c, list) else max(x[2] or 0 for x in c)
                rows.append((conf, getattr(a, kind)))
        bands = []
        for lo, hi in ((0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01)):
            sel = [g for c, g in rows if c is not None and lo <= c < hi]
            confs = [c for c, _ in rows if c is not None and lo <= c < hi]
            if sel:
                bands.append({"band": [lo, min(hi, 1.0)], "n": len(sel), "mean_confidence": round(float(np.mean(confs)), 3),
                              "precision": round(sum(sel) / len(sel), 3)})
        cal[kind] = bands
    res["calibration_shipped"] = cal
    # answered questions vs the corpus adjacency pairs (responder = another speaker answered)
    agree = n = 0
    for a in all_acts:
        ans = results[a.meeting]["answered"].get(a.id)
        if ans is not None and a.question:
            n += 1
            agree += ans[0] == (a.responder is not None)
    res["answered_agrees_with_responder"] = {"n": n, "agreement": round(agree / n, 3) if n else None}
    res["answered_vs_responder"] = answered_vs_responder(acts_by_meeting, results)
    if corpus == "ami":
        res["ami_action_sentences"] = ami_sentences(acts_by_meeting, results)
    return res


def answered_figures(pred, gold) -> dict:
    """Agreement of ``answered`` with "the corpus has a responder", and P / R / F1 of ``answered=True``."""
    pred, gold = np.asarray(pred, dtype=bool), np.asarray(gold, dtype=bool)
    n = len(gold)
    tp, fp, fn = int((pred & gold).sum()), int((pred & ~gold).sum()), int((~pred & gold).sum())
    return {"n": n, "agreement": round(float((pred == gold).mean()), 4) if n else None, **prf(tp, fp, fn),
            "answered_share": round(float(pred.mean()), 4) if n else None}


def answered_vs_responder(acts_by_meeting: dict[str, list[Act]], results: dict[str, dict]) -> dict:
    """``answered`` of the gold questions found against "the corpus has a responder" (the adjacency pairs).

    Meetings without any adjacency-pair responder are left out (not annotated, not unanswered). Figures for the
    shipped attribution, the rule alone (``answered_rule``, when the run has it) and "always answered"; the base
    rate is the share of these questions with a responder.
    """
    kept = {m for m, acts in acts_by_meeting.items() if any(a.responder is not None for a in acts)}
    rows = [(a, results[a.meeting]) for m in sorted(kept) for a in acts_by_meeting[m]
            if a.question and a.id in results[a.meeting]["answered"]]
    gold = [a.responder is not None for a, _ in rows]
    out: dict = {"meetings": len(kept), "meetings_without_ap_left_out": len(acts_by_meeting) - len(kept),
                 "gold_questions_found": len(rows), "base_rate_responder": round(float(np.mean(gold)), 4) if rows else None,
                 "shipped": answered_figures([r["answered"][a.id][0] for a, r in rows], gold),
                 "always_answered": answered_figures([True] * len(rows), gold)}
    if all("answered_rule" in r for _, r in rows):
        out["rule"] = answered_figures([r["answered_rule"].get(a.id, (False, None))[0] for a, r in rows], gold)
    return out


def ami_sentences(acts_by_meeting: dict[str, list[Act]], results: dict[str, dict]) -> dict:
    """AMI human action-item sentences with at least one linked act found as an action item (or any item)."""
    out: dict = {}
    splits = {acts[0].split for acts in acts_by_meeting.values() if acts}  # dev, or heldout when choosing
    sents = [s for split in sorted(splits) for s in ami_action_items(split) if s["meeting"] in acts_by_meeting]
    for system in ("shipped", "before"):
        act_hit = any_hit = counted = 0
        for s in sents:
            r = results[s["meeting"]][system]
            act_hit += any(d in r["action"] for d in s["da_ids"])
            any_hit += any(d in r["action"] or d in r["recommendation"] for d in s["da_ids"])
            counted += any(d in r.get("action_counted", ()) for d in s["da_ids"])
        n = len(sents)
        out[system] = {"n_sentences": n, "found_as_action": round(act_hit / n, 3) if n else None,
                       "found_as_action_or_recommendation": round(any_hit / n, 3) if n else None,
                       # round 35: found by an action item not marked to check (what the reports count)
                       "found_as_counted_action": round(counted / n, 3) if n else None}
    return out


def markdown(path: Path) -> str:
    """The tables of docs/benchmarks/extraction.md from a results file."""
    r = json.loads(path.read_text(encoding="utf-8"))
    lines = ["| corpus | kind (gold) | shipped P / R / **F1** | before P / R / F1 |", "|---|---|---|---|"]
    gold = {"mrda": {"question": "q* (not qh)", "question_stripped": "q*, no punctuation/capitals",
                     "question_incl_rhetorical": "q* incl. qh", "recommendation": "^cs, ^co", "action": "^cc",
                     "recommendation_counted": "^cs, ^co; items not to check", "action_counted": "^cc; items not to check"},
            "ami": {"question": "el.*", "question_stripped": "el.*, no punctuation/capitals",
                    "question_incl_rhetorical": "el.*", "recommendation": "sug", "action": "off",
                    "recommendation_counted": "sug; items not to check", "action_counted": "off; items not to check"}}
    for corpus in CORPORA:
        if corpus not in r:
            continue
        for kind in ("question", "question_stripped", "recommendation", "action", "recommendation_counted", "action_counted"):
            if kind not in r[corpus]["shipped"]:  # results written before round 35
                continue
            a, b = r[corpus]["shipped"][kind], r[corpus]["before"][kind]
            lines.append(f"| {corpus.upper()} ({r[corpus]['meetings']} meetings, {r[corpus]['acts']} acts) | {kind} ({gold[corpus][kind]}) | "
                         f"{a['p']:.2f} / {a['r']:.2f} / **{a['f1']:.2f}** | {b['p']:.2f} / {b['r']:.2f} / {b['f1']:.2f} |")
    lines.append("")
    for corpus in CORPORA:
        if corpus not in r:
            continue
        c = r[corpus]
        lines.append(f"- {corpus.upper()}: action-item owner right {c['shipped']['action_owner_right']} "
                     f"(n={c['shipped']['action_owner_n']}; before {c['before']['action_owner_right']}); answered agrees with the "
                     f"corpus responder on {c['answered_agrees_with_responder']['agreement']} of "
                     f"{c['answered_agrees_with_responder']['n']} gold questions found")
        if "answered_vs_responder" in c:  # rounds 15 on: F1 of answered=True, the rule's and "always answered"
            v = c["answered_vs_responder"]
            rule = f"; rule {v['rule']['agreement']} / F1 {v['rule']['f1']}" if "rule" in v else ""
            lines.append(f"- {corpus.upper()}: answered vs responder (base rate {v['base_rate_responder']}, "
                         f"{v['meetings_without_ap_left_out']} meetings without adjacency pairs left out): shipped agreement "
                         f"{v['shipped']['agreement']} / F1 {v['shipped']['f1']}{rule}; always answered "
                         f"{v['always_answered']['agreement']} / F1 {v['always_answered']['f1']}")
        if "ami_action_sentences" in c:
            s_, b_ = c["ami_action_sentences"]["shipped"], c["ami_action_sentences"]["before"]
            lines.append(f"- AMI human action-item sentences with a linked act found as an action item: "
                         f"{s_['found_as_action']} (as action or recommendation {s_['found_as_action_or_recommendation']}; "
                         f"n={s_['n_sentences']}); before {b_['found_as_action']} ({b_['found_as_action_or_recommendation']})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="dev", choices=EVAL_SPLITS,
                    help="dev (the reported figures), heldout (choosing) or test (a kept-back set added to the data)")
    ap.add_argument("--sample", action="store_true", help="only the frozen sample used by the slow test")
    ap.add_argument("--corpus", choices=CORPORA, default=None)
    ap.add_argument("--markdown", type=Path, default=None, help="print the doc tables of a results file and exit")
    ap.add_argument("--out", type=Path, default=None,
                    help="write the result here instead of benchmarks/results/dialogue_acts_eval[_SPLIT].json "
                         "(for trying a change on held-out without replacing the stored figures)")
    ap.add_argument("--qmark-as-period", type=float, default=None, metavar="P",
                    help="every '?' of a gold-question act becomes '.' with probability P "
                         "(a punctuated transcript that ends questions with '.'; round 28)")
    ap.add_argument("--bare-stretches", type=float, default=None, metavar="P",
                    help="each --stretch-s chunk of a meeting loses all punctuation and capitals with "
                         "probability P (a recogniser whose punctuation drifts off for whole chunks; round 28)")
    ap.add_argument("--bare", action="store_true",
                    help="full run only: every act without punctuation or capitals (round 28, recommendations and "
                         "action items on bare text; questions have their own bare rows)")
    ap.add_argument("--stretch-s", type=float, default=30.0, help="the chunk length of --bare-stretches (seconds)")
    ap.add_argument("--seed", type=int, default=0, help="the seed of --qmark-as-period / --bare-stretches")
    ap.add_argument("--only", choices=("questions",), default=None,
                    help="questions only (no parsing, no other heads; ~1 min): writes dialogue_acts_eval_questions[_SPLIT].json; "
                         "with --sample, refreshes only the question rows of dialogue_acts_eval_sample.json")
    args = ap.parse_args(argv)
    if args.markdown:
        print(markdown(args.markdown))
        return 0
    # the corpora with meetings in the split (a kept-back set may hold one corpus only); none stops here, before the
    # models load, with what to add
    args.corpora = corpora = [c for c in ((args.corpus,) if args.corpus else CORPORA)
               if args.sample or split_meetings(c, args.split, required=False)]
    if not corpora:
        ap.error(no_meetings_message(args.split, args.corpus))
    if args.only == "questions":
        if args.bare:
            ap.error("--bare goes with the full run (the question rows already have their bare figures)")
        if (args.qmark_as_period is not None or args.bare_stretches is not None) and args.sample:
            ap.error("--qmark-as-period / --bare-stretches do not go with --sample (the frozen sample's rows are as transcribed)")
        return questions_main(args)
    if (args.qmark_as_period is not None or args.bare_stretches is not None or args.bare) and args.sample:
        ap.error("--qmark-as-period / --bare-stretches / --bare do not go with --sample")
    if args.bare and (args.qmark_as_period is not None or args.bare_stretches is not None):
        ap.error("--bare makes every act bare: it goes with neither --qmark-as-period nor --bare-stretches")

    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import DynamicsConfig, ExtractionConfig

    stage = ExtractionStage(ExtractionConfig(), DynamicsConfig())
    stage._model()
    stage._act_heads()
    before = ExtractionStage(ExtractionConfig(dialogue_act_heads=None), DynamicsConfig(), classifier=stage._classifier,
                             encoder=stage._encoder)
    cond_args = ((f" --qmark-as-period {args.qmark_as_period} --seed {args.seed}" if args.qmark_as_period is not None else "")
                 + (f" --bare-stretches {args.bare_stretches} --stretch-s {args.stretch_s:g} --seed {args.seed}"
                    if args.bare_stretches is not None else "") + (" --bare" if args.bare else ""))
    out: dict = {"command": "python benchmarks/dialogue_acts_eval.py" + (" --sample" if args.sample else f" --split {args.split}")
                            + cond_args,
                 "commit": commit(), "date": dt.date.today().isoformat(), "split": "sample" if args.sample else args.split,
                 "heads": stage._heads.meta if stage._heads else None,
                 "lexical_head": stage._heads.lexical.meta if stage._heads and stage._heads.lexical else None}
    t0 = time.time()
    for corpus in corpora:
        by_meeting = split_meetings(corpus, "dev" if args.sample else args.split)
        if args.sample:
            by_meeting = {m: by_meeting[m][:SAMPLE_ACTS] for m in SAMPLE_MEETINGS[corpus]}
        if cond_args:  # the condition applied to the acts themselves, so every system and kind reads the same text
            out.setdefault("conditions", {})[corpus] = apply_conditions(by_meeting, args)
        results = {}
        for m, acts in by_meeting.items():
            results[m] = run_meeting(m, acts, stage, before)
            print(f"{corpus} {m}: {len(acts)} acts, {time.time() - t0:.0f}s", flush=True)
        out[corpus] = {"meetings": len(by_meeting), "acts": sum(len(v) for v in by_meeting.values()),
                       **score(corpus, by_meeting, results)}
        print(json.dumps({k: v for k, v in out[corpus].items() if k != "calibration_shipped"}, indent=1), flush=True)
    out["seconds"] = round(time.time() - t0)
    cond = (f"_qmark{args.qmark_as_period:g}_seed{args.seed}" if args.qmark_as_period is not None else "") \
        + (f"_stretch{args.bare_stretches:g}_seed{args.seed}" if args.bare_stretches is not None else "") + ("_bare" if args.bare else "")
    name = "dialogue_acts_eval_sample.json" if args.sample else \
        f"dialogue_acts_eval{'' if args.split == 'dev' else '_' + args.split}{cond}.json"
    path = args.out or ROOT / "benchmarks" / "results" / name
    path.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    print("wrote", path)
    return 0


def apply_conditions(by_meeting: dict[str, list[Act]], args: argparse.Namespace) -> dict:
    """The full run's text condition, in place on ``by_meeting``: ``--qmark-as-period``, ``--bare-stretches`` or ``--bare``.

    Every kind is then scored on the changed text, one utterance per act (an item counts on the act it was found
    on); the ``question_stripped`` rows stay "every act bare". Returns what was changed.
    """
    from sessionscope.analysis.extract.heads import strip_punctuation

    info: dict = {}
    for m in list(by_meeting):
        if args.qmark_as_period is not None:
            by_meeting[m], r_, t_ = qmark_as_period(by_meeting[m], args.qmark_as_period, args.seed)
            info["qmarks_replaced"] = info.get("qmarks_replaced", 0) + r_
            info["gold_question_qmarks"] = info.get("gold_question_qmarks", 0) + t_
        if args.bare_stretches is not None:
            by_meeting[m], ids, b_, c_ = bare_stretches(by_meeting[m], args.bare_stretches, args.seed,
                                                        stretch_s=args.stretch_s, meeting=m)
            info["chunks_bare"] = info.get("chunks_bare", 0) + b_
            info["chunks"] = info.get("chunks", 0) + c_
            info["acts_bare"] = info.get("acts_bare", 0) + len(ids)
        if args.bare:
            by_meeting[m] = [dc_replace(a, text=strip_punctuation(a.text)) for a in by_meeting[m]]
            info["acts_bare"] = info.get("acts_bare", 0) + len(by_meeting[m])
    return info


def example_questions(dyn) -> dict:
    """Questions on the bundled example sessions (``examples/*/gold.json``, utterance level), as written and bare.

    Gold: the example's ``questions`` (one per question utterance; ``answered``). Russian is
    only measurable here (no Russian dialogue-act corpus).
    """
    from sessionscope.analysis.extract.heads import strip_punctuation
    from sessionscope.analysis.questions import find_questions, session_questions
    from sessionscope.model import Participant, Session, Utterance

    out: dict = {}
    for lang in ("en", "ru"):
        gold = json.loads((ROOT / "examples" / f"{lang}_session" / "gold.json").read_text(encoding="utf-8"))
        want = {q["utterance_id"]: q["answered"] for q in gold["questions"]}
        res: dict = {}
        for strip in (False, True):
            utts = tuple(Utterance(id=u["id"], speaker=u["speaker"], start=u["start"], end=u["end"],
                                   text=strip_punctuation(u["text"]) if strip else u["text"]) for u in gold["utterances"])
            sess = Session(id=f"{lang}_session", language=lang, utterances=utts,
                           participants=tuple(Participant(id=p, name=p) for p in sorted({u.speaker for u in utts})))
            kw = {"backchannels": dyn.backchannels, "backchannel_max_words": dyn.backchannel_max_words,
                  "answer_max_utterances": dyn.answer_max_utterances, "answer_max_latency_s": dyn.answer_max_latency_s}
            for system, events in (("shipped", session_questions(sess, dyn)),
                                   ("before", find_questions(list(utts), language=lang, head=None, answer_head=None, **kw))):
                got = {e.utterance_id: e.answered for e in events}
                tp = len(set(got) & set(want))
                key = "question_stripped" if strip else "question"
                res.setdefault(system, {})[key] = prf(tp, len(got) - tp, len(want) - tp)
                if not strip:
                    both = set(got) & set(want)
                    res[system]["answered_right"] = round(sum(got[u] == want[u] for u in both) / len(both), 3) if both else None
            if not strip:  # the shipped questions with the rule's answer attribution (no learned answer head)
                timed = sorted(utts, key=lambda u: u.start)
                rule = {e.utterance_id: e.answered for e in find_questions(timed, language=lang, answer_head=None, **kw)}
                both = set(rule) & set(want)
                res["shipped"]["answered_right_rule"] = round(sum(rule[u] == want[u] for u in both) / len(both), 3) if both else None
        out[lang] = {"utterances": len(gold["utterances"]), "gold_questions": len(want), **res}
    return out


def questions_main(args: argparse.Namespace) -> int:
    """``--only questions``: the question figures through ``session_questions``, as the dynamics and the stage count them.

    Besides the per-act figures (as transcribed and bare), ``turns_stripped``: bare text with a
    speaker's consecutive acts merged into one utterance, as speech recognition without
    punctuation gives a turn (:func:`train_dialogue_acts.turn_question_f1`; a turn counts as a
    question when one of its acts is), for the shipped head, the shipped head with the rule
    cuts alone (no learned clause cutter) and the lexical rule.
    """
    from dataclasses import replace

    from sessionscope.analysis.questions import bundled_question_head
    from sessionscope.config import DynamicsConfig

    dyn = DynamicsConfig()
    head = bundled_question_head()
    split = "sample" if args.sample else args.split
    qmark = getattr(args, "qmark_as_period", None)
    stretch = getattr(args, "bare_stretches", None)
    out: dict = {"command": "python benchmarks/dialogue_acts_eval.py --only questions"
                            + (" --sample" if args.sample else f" --split {args.split}")
                            + (f" --qmark-as-period {qmark} --seed {args.seed}" if qmark is not None else "")
                            + (f" --bare-stretches {stretch} --stretch-s {args.stretch_s:g} --seed {args.seed}"
                               if stretch is not None else ""),
                 "commit": commit(), "date": dt.date.today().isoformat(), "split": split,
                 "question_head": head.meta if head is not None else None}
    t0 = time.time()
    for corpus in args.corpora:
        by_meeting = split_meetings(corpus, "dev" if args.sample else args.split)
        if args.sample:
            by_meeting = {m: by_meeting[m][:SAMPLE_ACTS] for m in SAMPLE_MEETINGS[corpus]}
        if qmark is not None:
            n_rep = n_all = 0
            for m in list(by_meeting):
                by_meeting[m], r_, t_ = qmark_as_period(by_meeting[m], qmark, args.seed)
                n_rep, n_all = n_rep + r_, n_all + t_
            out.setdefault("qmark_replaced", {})[corpus] = {"replaced": n_rep, "gold_question_qmarks": n_all}
        in_bare: set[str] = set()
        if stretch is not None:
            n_bare = n_chunks = 0
            for m in list(by_meeting):
                by_meeting[m], ids, b_, c_ = bare_stretches(by_meeting[m], stretch, args.seed, stretch_s=args.stretch_s,
                                                            meeting=m)
                in_bare |= ids
                n_bare, n_chunks = n_bare + b_, n_chunks + c_
            out.setdefault("bare_stretches", {})[corpus] = {"chunks_bare": n_bare, "chunks": n_chunks, "acts_bare": len(in_bare)}
        results = {m: question_meeting(m, acts, dyn) for m, acts in by_meeting.items()}
        out[corpus] = {"meetings": len(by_meeting), "acts": sum(len(v) for v in by_meeting.values()),
                       **question_scores(score(corpus, by_meeting, results), by_meeting, results)}
        if stretch is not None:  # the shipped questions on the acts inside the bare chunks only
            sel = [a for v in by_meeting.values() for a in v if a.id in in_bare]
            hit = [a.id in results[a.meeting]["shipped"]["question"] for a in sel]
            out[corpus]["shipped"]["question_in_bare_stretches"] = prf(
                sum(h and a.question for h, a in zip(hit, sel, strict=True)),
                sum(h and not a.question for h, a in zip(hit, sel, strict=True)),
                sum(a.question and not h for h, a in zip(hit, sel, strict=True)))
        if not args.sample:  # bare turns (a speaker's consecutive acts merged, as a recogniser gives them)
            out[corpus]["turns_stripped"] = {
                "shipped": turn_question_f1(by_meeting, head),
                "shipped_rule_cuts_only": turn_question_f1(by_meeting, replace(head, cut_weights=None)) if head else None,
                "before": turn_question_f1(by_meeting, None)}
        print(corpus, json.dumps({k: out[corpus][k] for k in ("shipped", "answered_agrees_with_responder")}),
              json.dumps(out[corpus].get("turns_stripped")), flush=True)
    if not args.sample:
        out["examples"] = example_questions(dyn)
        print("examples", json.dumps(out["examples"]), flush=True)
    out["seconds"] = round(time.time() - t0)
    results_dir = ROOT / "benchmarks" / "results"
    if args.sample:  # the frozen sample's question rows, the other kinds as they are
        path = results_dir / "dialogue_acts_eval_sample.json"
        full = json.loads(path.read_text(encoding="utf-8"))
        for corpus in (args.corpus,) if args.corpus else CORPORA:
            for system in ("shipped", "before"):
                full[corpus][system].update(out[corpus][system])
            full[corpus]["calibration_shipped"]["question"] = out[corpus]["calibration_shipped"]["question"]
            full[corpus]["answered_agrees_with_responder"] = out[corpus]["answered_agrees_with_responder"]
        full["questions_refreshed"] = {k: out[k] for k in ("command", "commit", "date")}
        path.write_text(json.dumps(full, indent=2, ensure_ascii=False) + "\n")
    else:
        cond = f"_qmark{qmark:g}_seed{args.seed}" if qmark is not None else ""
        cond += f"_stretch{stretch:g}_seed{args.seed}" if stretch is not None else ""
        path = args.out or results_dir / f"dialogue_acts_eval_questions{'' if args.split == 'dev' else '_' + args.split}{cond}.json"
        path.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    print("wrote", path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

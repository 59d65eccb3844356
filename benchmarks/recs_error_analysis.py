"""Recommendation errors of the shipped extraction on held-out train meetings (never dev), and rule checks on train meetings.

Usage (from the repository root)::

    python benchmarks/recs_error_analysis.py cache      # parse + classifier + head rows of held-out meetings (~2 min, cached)
    python benchmarks/recs_error_analysis.py dump       # false positives / negatives of recommendations (seconds)
    python benchmarks/recs_error_analysis.py train      # candidate patterns: gold recommendation vs not on train meetings
    python benchmarks/recs_error_analysis.py confidence --out benchmarks/results/recs_confidence_heldout_r8_recs.json
        # precision of the found recommendations per confidence bin, and F1 for each min_confidence (round 8)
    python benchmarks/recs_error_analysis.py own-side-variants --out benchmarks/results/recs_own_side_heldout_r8_recs.json
        # held-out recs F1 with the own-side drop off, as shipped and its measured variants (round 8)
    python benchmarks/recs_error_analysis.py r9-candidates --out benchmarks/results/recs_candidates_heldout_r9_recs.json
        # held-out effect of dropping the found recommendations a candidate fires on: descriptions, meeting procedure (round 9)
    python benchmarks/recs_error_analysis.py heldout-without-informal --out benchmarks/results/X.json
        # dialogue_acts_eval.py --split heldout with the informal-talk drop (rules.informal_context) switched off:
        # the same code's baseline for that change (round 7)

``dump`` re-runs :func:`~sessionscope.analysis.extract.stage.extract_items` (the rules as they are in the
working tree) on the cached rows, so a rule change is scored on held-out in seconds; the
whole-pipeline figure is still ``dialogue_acts_eval.py --split heldout``. ``train`` counts, on *train* (not held-out)
meetings, the acts where the recommendation rule fires that match each candidate pattern, and the imperative rule's
verbs, split by the corpus label (a pattern is vetoed only where it is rarely a suggestion in both corpora).
Writes ``benchmarks/results/recs_error_analysis_r5_recs2_{dump,train}.json``.
"""

from __future__ import annotations

import argparse
import collections
import json
import pickle
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, ROOT, meetings  # noqa: E402
from dialogue_acts_eval import session_of  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

CACHE = ROOT / ".cache" / "dialogue_acts" / "recs2_heldout_rows.pkl"
OUT = ROOT / "benchmarks" / "results" / "recs_error_analysis_r5_recs2.json"
ERRORS = ROOT / ".cache" / "dialogue_acts" / "recs2_heldout_errors.jsonl"  # texts: never in the repository

# candidate non-suggestion patterns (English); each checked on train meetings before any is used
PATTERNS = {
    "and_lead": r"^(and|or)\b",
    "and_then_lead": r"^(and |or |so )?then\b",
    "remember_fact": r"\bremember (that|the|when|what|how|we|i|it|this|those|these|there|last|our)\b",
    "dont_worry": r"\b(don't|do not|never) worry\b|\bnever mind\b|\bno worries\b",
    "let_me": r"\blet me\b",
    "example": r"^((and|so|but|uh|um|like)\W+)*(for example|for instance|like)\b",
    "trailing_break": r"(==|--|-)\s*$",
    "three_words_or_fewer": r"^\W*(\w+\W*){1,3}$",
    "i_mean": r"^((so|and|but|uh|um)\W+)*i mean\b",
    "you_know": r"^((so|and|but|uh|um)\W+)*you know\b",
    "if_lead": r"^((and|so|but|uh|um)\W+)*(if|when|whenever|once)\b",
}
TRAIN_PARSED = ROOT / ".cache" / "dialogue_acts" / "recs2_train_parsed_{}.pkl"


def build_cache() -> None:
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import DynamicsConfig, ExtractionConfig
    from sessionscope.language.nlp import parse_texts

    stage = ExtractionStage(ExtractionConfig(), DynamicsConfig())
    stage._model()
    stage._act_heads()
    rows: dict = {}
    for corpus in CORPORA:
        for m, acts in meetings(corpus, "heldout").items():
            sess = session_of(m, acts)
            parsed = parse_texts([u.text for u in sess.utterances], language="en")
            rows[(corpus, m)] = (parsed, stage.probabilities(parsed), stage.head_logits(sess, parsed))
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    with CACHE.open("wb") as fh:
        pickle.dump(rows, fh)


def _heldout_items(corpus: str):
    """Per held-out meeting of ``corpus``: its acts, parsed sentences and the working tree's extracted items (cached rows)."""
    from sessionscope.analysis.extract.stage import ExtractionStage, extract_items
    from sessionscope.config import DynamicsConfig, ExtractionConfig

    stage = ExtractionStage(ExtractionConfig(), DynamicsConfig())
    stage._model()
    stage._act_heads()
    with CACHE.open("rb") as fh:
        rows = pickle.load(fh)
    for m, acts in meetings(corpus, "heldout").items():
        parsed, proba, logits = rows[(corpus, m)]
        sess = session_of(m, acts)
        items = extract_items(sess, parsed, proba, stage.cfg, stage.dynamics, heads=stage._heads, head_logits=logits,
                              task_encoder=stage._encoder, assign_threshold=stage.assign_threshold)
        yield m, acts, parsed, items


def dump() -> dict:
    from sessionscope.analysis.extract.recommendations import recommendation_rule

    out: dict = {}
    for corpus in CORPORA:
        tp = fp = fn = 0
        errors = []
        for m, acts, parsed, items in _heldout_items(corpus):
            found = {r.utterance_id: r.confidence for r in items["recommendations"]}
            for k, a in enumerate(acts):
                hit = a.id in found
                tp += hit and a.recommendation
                fp += hit and not a.recommendation
                fn += a.recommendation and not hit
                if hit != a.recommendation:
                    rules = [(h.rule, h.veto) for h in (recommendation_rule(s) for s in parsed[k]) if h is not None]
                    errors.append({"type": "fp" if hit else "fn", "meeting": m, "id": a.id, "label": a.label,
                                   "text": a.text, "conf": found.get(a.id), "rules": rules,
                                   "prev": acts[k - 1].text if k else None, "next": acts[k + 1].text if k + 1 < len(acts) else None,
                                   "same_speaker_next": k + 1 < len(acts) and acts[k + 1].speaker == a.speaker})
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        by_rule = collections.Counter(f"{e['type']}:{'+'.join(n + ('(veto)' if v else '') for n, v in e['rules']) or 'no rule'}"
                                      for e in errors)
        by_label = collections.Counter(f"{e['type']}:{e['label']}" for e in errors)
        out[corpus] = {"tp": tp, "fp": fp, "fn": fn, "p": round(p, 3), "r": round(r, 3),
                       "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
                       "errors_by_rule": dict(by_rule.most_common()), "errors_by_label": dict(by_label.most_common(30))}
        # the texts stay out of the repository (corpus data): a local file for reading the errors
        with ERRORS.open("w" if corpus == CORPORA[0] else "a", encoding="utf-8") as fh:
            fh.writelines(json.dumps({"corpus": corpus, **e}, ensure_ascii=False) + "\n" for e in errors)
    return out


CONF_BINS = (0.0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
MIN_CONFIDENCES = (0.3, 0.35, 0.4, 0.45, 0.5, 0.6)


def confidence() -> dict:
    """Per corpus, held-out: the share of found recommendations that are gold per confidence bin, and P / R / F1
    if items below each ``min_confidence`` were not shown (an act counts as found when any of its sentences is)."""
    out: dict = {}
    for corpus in CORPORA:
        acts_conf: list[tuple[float, bool]] = []  # per found act: its best confidence, gold or not
        gold = 0
        for _m, acts, _parsed, items in _heldout_items(corpus):
            best: dict[str, float] = {}
            for r in items["recommendations"]:
                best[r.utterance_id] = max(best.get(r.utterance_id, 0.0), r.confidence or 0.0)
            by_id = {a.id: a for a in acts}
            acts_conf += [(c, by_id[u].recommendation) for u, c in best.items()]
            gold += sum(a.recommendation for a in acts)
        bins = []
        for lo, hi in zip(CONF_BINS, CONF_BINS[1:], strict=False):
            sel = [g for c, g in acts_conf if lo <= c < hi]
            bins.append({"from": lo, "below": min(hi, 1.0), "found": len(sel), "gold": sum(sel),
                         "precision": round(sum(sel) / len(sel), 3) if sel else None})
        sweep = {}
        for t in (0.0, *MIN_CONFIDENCES):
            tp = sum(g for c, g in acts_conf if c >= t)
            n = sum(1 for c, _ in acts_conf if c >= t)
            p, r = (tp / n if n else 0.0), tp / gold
            sweep[str(t)] = {"tp": tp, "fp": n - tp, "p": round(p, 3), "r": round(r, 3),
                             "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}
        out[corpus] = {"gold": gold, "bins": bins, "min_confidence": sweep}
    return out


# the own-side drop (rules.own_side_context, round 8): the shipped setting and the variants measured against it
OWN_SIDE_VARIANTS: dict[str, dict | None] = {
    "off": None,  # no own-side drop: the round-start behaviour
    "shipped": {},  # an answer of >= 40 words to a question put to "you"
    "asked_any_length": {"min_words": 0},
    "long_run": {"need_question": False},  # any run of >= 40 words, after a question or not
    "shipped_no_habitual": {"habitual": False},
}


def patch_own_side(variant: str) -> None:
    """Make ``stage.extract_items`` use the own-side drop with a variant's settings (``off``: none)."""
    import functools

    import sessionscope.analysis.extract.stage as stage
    from sessionscope.analysis.extract.rules import own_side_context

    kw = OWN_SIDE_VARIANTS[variant]
    stage.own_side_context = (lambda *a, **k: {}) if kw is None else functools.partial(own_side_context, **kw)  # type: ignore[assignment]


def heldout_recommendation_f1() -> dict:
    """Held-out recommendation P / R / F1 per corpus of ``stage.extract_items`` as it is now (cached rows; an act
    counts as found when an item lies on it)."""
    row = {}
    for corpus in CORPORA:
        tp = fp = gold = 0
        for _m, acts, _parsed, items in _heldout_items(corpus):
            found = {r.utterance_id for r in items["recommendations"]}
            tp += sum(a.recommendation for a in acts if a.id in found)
            fp += sum(not a.recommendation for a in acts if a.id in found)
            gold += sum(a.recommendation for a in acts)
        p, r = tp / (tp + fp) if tp + fp else 0.0, tp / gold
        row[corpus] = {"tp": tp, "fp": fp, "fn": gold - tp, "p": round(p, 3), "r": round(r, 3),
                       "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}
    return row


def own_side_variants() -> dict:
    """Held-out recommendation P / R / F1 per corpus for each :data:`OWN_SIDE_VARIANTS` entry (cached rows)."""
    out: dict = {}
    for variant in OWN_SIDE_VARIANTS:
        patch_own_side(variant)
        out[variant] = {"settings": OWN_SIDE_VARIANTS[variant], **heldout_recommendation_f1()}
    patch_own_side("shipped")
    return {"variants": out}


# round 9: candidates for the real-talk errors (descriptions, meeting procedure), each as a hard drop of the found
# recommendations it fires on; the shipped change is the description *veto* (the heads weigh it), scored by ``dump``
PROCEDURE = {
    "agenda": r"\b(next|last|previous|first|final) (slide|item|point|topic|agenda item|presentation|speaker)\b|\bagenda\b"
              r"|\bmove on\b|\bgo on to\b",
    "floor": r"\b(can|could|would|will) you (start|begin|go first|present|go ahead|continue|take over)\b"
             r"|\bwho (wants to|will|'s going to) (start|go first|begin)\b|\b(your|my) turn\b|\bover to you\b"
             r"|\bstart with (you|yourself|him|her)\b",
    "time": r"\b\w+ minutes? (left|per|each)\b|\bin the next (few|couple of|\w+) minutes\b|\b(lunch|coffee) break\b|\bafter lunch\b",
    "files": r"\bsave (it|this|that|them|the \w+|as)\b|\bsave as\b|\bread only\b|\bcontrol [a-z]_? \w+\b",
    "meeting": r"\b(this|the|our|next) meeting\b|\bminutes\b",
}


ALL_MODALS = frozenset({"will", "'ll", "wo", "would", "'d", "might", "may", "could", "can", "ca", "should", "shall", "must"})
# modals of prediction and likelihood ("it might be expensive", "that will cost more", "it would be a solution"), not
# of possibility or advice ("it could be yellow", "it should be small", "it can be blue"): measured in round 9
PREDICTION_MODALS = frozenset({"will", "'ll", "wo", "would", "'d", "might", "may"})


def _candidates() -> dict:
    """Per candidate: the name and its test on one parsed sentence."""
    from sessionscope.analysis.extract.recommendations import description
    from sessionscope.analysis.extract.rules import norm
    from sessionscope.text import strip_markup

    out = {"description": description,
           "description_modal": lambda s: description(s, modals=ALL_MODALS),
           "description_prediction": lambda s: description(s, modals=PREDICTION_MODALS),
           "description_obligation": lambda s: description(s, obligation=True)}
    for name, pat in PROCEDURE.items():
        out[f"procedure_{name}"] = lambda s, rx=re.compile(pat): bool(rx.search(norm(strip_markup(s.text))))
    return out


def r9_candidates() -> dict:
    """Held-out P / R / F1 of recommendations if the found ones a candidate fires on were dropped (act level: an act
    stays found while any of its found sentences is kept), with the removed acts per corpus: gold vs not."""
    cands = _candidates()
    out: dict = {"base": {}, "candidates": {name: {} for name in cands}}
    for corpus in CORPORA:
        gold = tp = fp = 0
        removed = {name: [0, 0] for name in cands}  # gold, not gold
        for _m, acts, parsed, items in _heldout_items(corpus):
            gold += sum(a.recommendation for a in acts)
            idx = {a.id: k for k, a in enumerate(acts)}
            sents: dict[int, list] = {}
            for r in items["recommendations"]:
                i = idx[r.utterance_id]
                sents.setdefault(i, []).append(next(s for s in parsed[i] if s.start_char == r.char_start))
            tp += sum(acts[i].recommendation for i in sents)
            fp += sum(not acts[i].recommendation for i in sents)
            for name, test in cands.items():
                for i, ss in sents.items():
                    if all(test(s) for s in ss):
                        removed[name][0 if acts[i].recommendation else 1] += 1
        p, r = tp / (tp + fp), tp / gold
        base = 2 * p * r / (p + r)
        out["base"][corpus] = {"tp": tp, "fp": fp, "fn": gold - tp, "f1": round(base, 4)}
        for name, (g, n) in removed.items():
            t2, f2 = tp - g, fp - n
            p2, r2 = t2 / (t2 + f2), t2 / gold
            f1 = 2 * p2 * r2 / (p2 + r2)
            out["candidates"][name][corpus] = {"removed_gold": g, "removed_not_gold": n, "f1": round(f1, 4),
                                               "f1_change": round(f1 - base, 4)}
    return out


def train_counts() -> dict:
    """Per corpus, on *train* meetings: the rule-hit acts matching each pattern and the imperative verbs, gold vs not."""
    from sessionscope.analysis.extract.recommendations import en_imperative, recommendation_rule
    from sessionscope.analysis.extract.rules import norm
    from sessionscope.language.nlp import parse_texts

    res: dict = {}
    for corpus in CORPORA:
        acts = [a for v in meetings(corpus, "train").values() for a in v]
        path = Path(str(TRAIN_PARSED).format(corpus))
        if path.exists():
            with path.open("rb") as fh:
                parsed = pickle.load(fh)
        else:
            parsed = parse_texts([a.text for a in acts], language="en")
            with path.open("wb") as fh:
                pickle.dump(parsed, fh)
        hit_acts, verbs = [], collections.defaultdict(lambda: [0, 0])
        for a, sents in zip(acts, parsed, strict=True):
            hits = [(s, recommendation_rule(s)) for s in sents]
            if any(h is not None and not h.veto for _, h in hits):
                hit_acts.append(a)
            for s, h in hits:
                if h is not None and h.rule == "imperative":
                    verbs[en_imperative(s)][a.recommendation] += 1
        res[corpus] = {"acts": len(acts), "gold": sum(a.recommendation for a in acts), "rule_hit_acts": len(hit_acts),
                       "rule_hit_gold": sum(a.recommendation for a in hit_acts), "patterns": {}, "imperative_verbs": {
                           v: {"not_gold": n, "gold": g} for v, (n, g) in sorted(verbs.items(), key=lambda kv: -sum(kv[1]))}}
        for name, pat in PATTERNS.items():
            sel = [a for a in hit_acts if re.search(pat, norm(a.text), re.I)]
            res[corpus]["patterns"][name] = {"rule_hit": len(sel), "gold": sum(a.recommendation for a in sel)}
    return res


def heldout_without_informal(out: Path | None) -> int:
    """The held-out evaluation of ``dialogue_acts_eval.py`` with the informal-talk drop switched off (its baseline)."""
    import dialogue_acts_eval
    import sessionscope.analysis.extract.stage as stage

    stage.informal_context = lambda *a, **k: {}  # type: ignore[assignment]
    path = (out or ROOT / "benchmarks" / "results" / "dialogue_acts_eval_heldout_r7_informal_base.json").resolve()
    rc = dialogue_acts_eval.main(["--split", "heldout", "--out", str(path)])
    doc = json.loads(path.read_text())
    doc["command"] = f"python benchmarks/recs_error_analysis.py heldout-without-informal --out {path.relative_to(ROOT)}"
    doc["note"] = "dialogue_acts_eval.py --split heldout with stage.informal_context switched off (the change's baseline)"
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    return rc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=("cache", "dump", "train", "heldout-without-informal", "confidence", "own-side-variants",
                                     "r9-candidates"))
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    if args.what == "cache":
        build_cache()
        return 0
    if args.what == "heldout-without-informal":
        return heldout_without_informal(args.out)
    body = {"dump": dump, "confidence": confidence, "own-side-variants": own_side_variants, "train": train_counts,
            "r9-candidates": r9_candidates}[args.what]()
    path = args.out or OUT.with_name(OUT.stem + f"_{args.what}.json")
    path.write_text(json.dumps({"command": f"python benchmarks/recs_error_analysis.py {args.what}", "commit": commit(),
                                "split": "train" if args.what == "train" else "heldout", **body}, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

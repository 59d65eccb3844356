"""Round 17 (acts): the recommendation / action operating point and the cost of each drop, on held-out TRAIN meetings.

Usage (from the repository root; needs ``recs_error_analysis.py cache`` first, the shipped heads' rows)::

    nice -n 10 python benchmarks/recs_operating_r17_acts.py sweep --out benchmarks/results/recs_operating_heldout_r17_acts.json
    nice -n 10 python benchmarks/recs_operating_r17_acts.py ablate --out benchmarks/results/recs_ablation_heldout_r17_acts.json
    nice -n 10 python benchmarks/recs_operating_r17_acts.py combos --out benchmarks/results/recs_combos_heldout_r17_acts.json

Every setting re-runs :func:`~sessionscope.analysis.extract.stage.extract_items` (the working tree's rules, every
drop of the stage) on the cached parse / classifier / head rows of the held-out train meetings (MRDA 6, AMI 16) and
scores act-level P / R / F1 per corpus the way ``dialogue_acts_eval.py --split heldout`` counts them (an act is found
when an item lies on it). ``sweep``: the English stacker's thresholds (``act_lexical_en.npz``; shipped 0.29 / 0.41)
for recommendations and action items. ``ablate``: each drop of the stage and each recommendation veto switched off
alone, at the shipped thresholds — a drop that removes more true than false corpus items is a candidate to relax.
No dev meeting is read.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import pickle
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, meetings  # noqa: E402
from dialogue_acts_eval import session_of  # noqa: E402
from recs_error_analysis import CACHE  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

REC_THRESHOLDS = (0.20, 0.22, 0.24, 0.26, 0.27, 0.28, 0.29, 0.30, 0.32, 0.34)
ACT_THRESHOLDS = (0.25, 0.30, 0.35, 0.38, 0.41, 0.47)
VETOES = ("reported_speech", "question", "subordinate_only", "discourse", "meeting_itself", "description")
DROPS = ("quoted", "informal", "own_side", "assign_from_rec", "habitual", "not_promised", "handouts", "problem_override")


def _label_group(a) -> str:  # noqa: ANN001
    """The act's label group for the breakdown: MRDA ^cs / ^co / both / ^cc / other; AMI its type."""
    if a.corpus == "ami":
        return a.label
    from dialogue_acts import mrda_parts

    spec = set().union(*(sp for _, sp in mrda_parts(a.label)))
    if {"cs", "co"} <= spec:
        return "^cs+^co"
    for t in ("cs", "co", "cc"):
        if t in spec:
            return "^" + t
    return "other"


def _prf(tp: int, fp: int, gold: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / gold if gold else 0.0
    return {"tp": tp, "fp": fp, "fn": gold - tp, "p": round(p, 4), "r": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


@contextlib.contextmanager
def patched(setting: dict):
    """The stage module with the drops / vetoes of ``setting`` switched off (restored on exit)."""
    from sessionscope.analysis.extract import stage

    saved = {name: getattr(stage, name) for name in ("quoted_by_frame", "informal_context", "own_side_context",
                                                      "assignment", "habitual_context", "not_promised", "handout_items")}
    saved_rule, saved_problem = stage.RULES["recommendation"], stage.RULES["problem"]
    off = set(setting.get("off", ()))
    try:
        if "quoted" in off:
            stage.quoted_by_frame = lambda *a, **k: set()  # type: ignore[assignment]
        if "informal" in off:
            stage.informal_context = lambda *a, **k: set()  # type: ignore[assignment]
        if "own_side" in off:
            stage.own_side_context = lambda *a, **k: set()  # type: ignore[assignment]
        if "habitual" in off:
            stage.habitual_context = lambda *a, **k: set()  # type: ignore[assignment]
        if "not_promised" in off:
            stage.not_promised = lambda *a, **k: False  # type: ignore[assignment]
        if "problem_override" in off:  # no problem rule: a problem no longer outranks the heads' item
            stage.RULES["problem"] = lambda sent: None
        if "handouts" in off:
            stage.handout_items = lambda *a, **k: []  # type: ignore[assignment]
        if "assign_from_rec" in off:
            orig_assign = saved["assignment"]

            def assignment(sent, d, *a, **k):  # noqa: ANN001, ANN202
                return None if d is not None and d.kind == "recommendation" else orig_assign(sent, d, *a, **k)

            stage.assignment = assignment  # type: ignore[assignment]
        vetoes = {v[len("veto:"):] for v in off if v.startswith("veto:")}
        if vetoes:
            def rule(sent):  # noqa: ANN001, ANN202
                hit = saved_rule(sent)
                return None if hit is not None and hit.veto and hit.rule in vetoes else hit

            stage.RULES["recommendation"] = rule
        yield
    finally:
        for name, f in saved.items():
            setattr(stage, name, f)
        stage.RULES["recommendation"], stage.RULES["problem"] = saved_rule, saved_problem


def relexed(heads, lexical, sess, parsed, logits: list) -> list:
    """The cached rows with the lexical columns recomputed by ``lexical`` (the stage's contexts: the utterance's
    neighbours), the MLP and assignment columns as cached."""
    from sessionscope.analysis.extract.heads import Turn, lexical_feature_ids

    k_n = len(heads.labels)
    utts = sess.utterances
    out = []
    for i, sents in enumerate(parsed):
        prev = Turn(utts[i - 1].text, utts[i - 1].speaker) if i > 0 else None
        nxt = Turn(utts[i + 1].text, utts[i + 1].speaker) if i + 1 < len(utts) else None
        new = []
        for j, s in enumerate(sents):
            row = np.array(logits[i][j], dtype=np.float64)
            row[k_n:2 * k_n] = lexical.logits([lexical_feature_ids(s.text, prev, utts[i].speaker, nxt)])[0]
            new.append(row)
        out.append(new)
    return out


def run(settings: list[dict], lexical_path: Path | None = None) -> dict:
    from sessionscope.analysis.extract.heads import load_lexical_head
    from sessionscope.analysis.extract.stage import ExtractionStage, extract_items
    from sessionscope.config import DynamicsConfig, ExtractionConfig

    stage = ExtractionStage(ExtractionConfig(), DynamicsConfig())
    stage._model()
    stage._act_heads()
    heads = stage._heads
    with CACHE.open("rb") as fh:
        cached = pickle.load(fh)
    data = {(c, m): (acts, *cached[(c, m)]) for c in CORPORA for m, acts in meetings(c, "heldout").items()}
    lexical_note = None
    if lexical_path is not None:  # another English lexical head (and its stacker / thresholds) on the same MLP heads
        lex = load_lexical_head(lexical_path)
        same = bool(np.array_equal(lex.weights, heads.lexical.weights) and np.array_equal(lex.bias, heads.lexical.bias))
        heads = replace(heads, lexical=lex)
        if not same:
            data = {(c, m): (acts, parsed, proba, relexed(heads, lex, session_of(m, acts), parsed, logits))
                    for (c, m), (acts, parsed, proba, logits) in data.items()}
        lexical_note = {"path": str(lexical_path), "weights_identical_to_shipped": same, "meta": lex.meta}
    shipped = [float(x) for x in heads.lexical.thresholds]
    out: dict = {"commit": commit(), "date": dt.date.today().isoformat(), "split": "heldout (train meetings)",
                 "cache": str(CACHE.name), "shipped_thresholds": dict(zip(heads.labels, shipped, strict=True)),
                 "lexical_head": lexical_note, "settings": []}
    for s in settings:
        t0 = time.time()
        th = np.array([s.get("thr", {}).get(k, shipped[j]) for j, k in enumerate(heads.labels)], dtype=np.float64)
        h = replace(heads, lexical=replace(heads.lexical, thresholds=th))
        row: dict = {"name": s["name"], "thresholds": dict(zip(heads.labels, th.tolist(), strict=True)),
                     "off": list(s.get("off", ()))}
        with patched(s):
            counts = {c: {"rec": [0, 0, 0], "act": [0, 0, 0]} for c in CORPORA}
            by_label: dict = {}
            for (c, m), (acts, parsed, proba, logits) in data.items():
                items = extract_items(session_of(m, acts), parsed, proba, stage.cfg, stage.dynamics, heads=h,
                                      head_logits=logits, task_encoder=stage._encoder,
                                      assign_threshold=stage.assign_threshold)
                recs_found = {r.utterance_id for r in items["recommendations"]}
                for a in acts:  # recall / false items by the corpus label (MRDA ^cs vs ^co, AMI sug; the other labels)
                    tag = _label_group(a)
                    b = by_label.setdefault(c, {}).setdefault(tag, [0, 0])
                    b[0] += 1
                    b[1] += a.id in recs_found
                for key, found, gold_of in (("rec", {r.utterance_id for r in items["recommendations"]}, "recommendation"),
                                            ("act", {a.utterance_id for a in items["action_items"]}, "action")):
                    cnt = counts[c][key]
                    cnt[0] += sum(getattr(a, gold_of) for a in acts if a.id in found)
                    cnt[1] += sum(not getattr(a, gold_of) for a in acts if a.id in found)
                    cnt[2] += sum(getattr(a, gold_of) for a in acts)
        for c in CORPORA:
            row[c] = {"recommendation": _prf(*counts[c]["rec"]), "action": _prf(*counts[c]["act"]),
                      "recommendations_by_label": {k: {"acts": n, "found_as_recommendation": f}
                                                   for k, (n, f) in sorted(by_label.get(c, {}).items())}}
        for key, kind in (("rec", "recommendation"), ("act", "action")):
            pooled = [sum(counts[c][key][i] for c in CORPORA) for i in range(3)]
            row[f"{kind}_pooled"] = _prf(*pooled)
            row[f"{kind}_mean_f1"] = round(float(np.mean([row[c][kind]["f1"] for c in CORPORA])), 4)
        row["seconds"] = round(time.time() - t0, 1)
        out["settings"].append(row)
        print(json.dumps({k: row[k] for k in ("name", "recommendation_mean_f1", "action_mean_f1", "seconds")}),
              json.dumps({c: [row[c]["recommendation"]["f1"], row[c]["action"]["f1"],
                              row[c]["recommendation"]["tp"], row[c]["recommendation"]["fp"],
                              row[c]["action"]["tp"], row[c]["action"]["fp"]] for c in CORPORA}), flush=True)
    return out


def sweep_settings() -> list[dict]:
    return ([{"name": f"rec_thr={t}", "thr": {"recommendation": t}} for t in REC_THRESHOLDS]
            + [{"name": f"act_thr={t}", "thr": {"action": t}} for t in ACT_THRESHOLDS])


def ablate_settings() -> list[dict]:
    return ([{"name": "shipped"}] + [{"name": f"no_{d}", "off": [d]} for d in DROPS]
            + [{"name": f"no_veto_{v}", "off": [f"veto:{v}"]} for v in VETOES])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=["sweep", "ablate", "custom"])
    ap.add_argument("--settings", type=str, default=None, help="custom: a JSON list of settings")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--lexical", type=Path, default=None,
                    help="score with this English lexical head / stacker (act_lexical_en.npz layout) instead of the bundled one")
    args = ap.parse_args(argv)
    settings = {"sweep": sweep_settings, "ablate": ablate_settings,
                "custom": lambda: json.loads(args.settings)}[args.what]()
    out = run(settings, args.lexical)
    out["command"] = "python benchmarks/recs_operating_r17_acts.py " + " ".join(argv if argv is not None else sys.argv[1:])
    args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print("wrote", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

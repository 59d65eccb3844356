"""Round 25 (answer): where the shipped answer head and the rule disagree with "the corpus links a responder".

Usage (from the repository root; ~30 s)::

    nice -n 10 .venv/bin/python benchmarks/r25_answer_errors.py

On the **held-out train** meetings of MRDA and AMI (the gold questions the shipped question head finds there, as
``train_answer_head_r15_answered.py`` scores them), every question is put in groups — its corpus label, who it is put
to (a group word such as "anyone" / "we" / "you guys", "you", or neither), its shape, how many candidates it has and
of what kind the head's best one is, the first candidate's latency, whether the responder is inside the window — and
for each group the head's and the rule's agreement, precision, recall and F1 of answered=True are given, with the
head's false negatives and false positives. Dev meetings are never read. Writes
``benchmarks/results/r25_answer_errors.json``.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, ROOT, meetings, mrda_parts  # noqa: E402
from dialogue_acts_eval import answered_figures  # noqa: E402
from train_answer_head_r15_answered import question_rows  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

GROUP_WORDS = frozenset({"anyone", "anybody", "everyone", "everybody", "somebody", "someone", "guys", "y'all", "we",
                         "us", "our", "we're", "we've", "we'll", "let's"})


def addressed(question: str) -> str:
    """"group" when the question is put to several people by its words, "you" when to the listener, else "none"."""
    from sessionscope.analysis.questions import question_tokens

    toks = set(question_tokens(question))
    if toks & GROUP_WORDS:
        return "group"
    return "you" if toks & {"you", "your", "you're", "you've", "you'd", "you'll"} else "none"


def label_group(corpus: str, label: str) -> str:
    if corpus == "ami":
        return label
    tags = {g for g, _ in mrda_parts(label)} & {"qy", "qw", "qo", "qr", "qrr"}
    return "+".join(sorted(tags)) or "other"


def feature_value(feats: list[str], name: str) -> str:
    return next((f.split("=", 1)[1] for f in feats if f.startswith(name + "=") and ":" not in f), "-")


def corpus_marks(corpus: str, dyn) -> dict:
    """How much of the train and held-out text reads differently on the spoken words, and, on the train meetings,
    where the first candidate that overlaps the question by more than 1 s ends (inside the question or after it)."""
    from sessionscope.analysis.questions import is_backchannel, reply_window, spoken_backchannel
    from sessionscope.text import spoken_tokens, strip_markup, words
    from train_answer_head_r15_answered import utterances

    bc = list(dyn.backchannels)
    n = marked = wordless = bc_changed = 0
    overlap = {"inside": [0, 0], "past": [0, 0]}  # [candidates, of them the responder's]
    for split in ("train", "heldout"):
        for acts in meetings(corpus, split).values():
            for a in acts:
                n += 1
                marked += strip_markup(a.text) != " ".join(a.text.split())
                wordless += bool(words(a.text)) and not spoken_tokens(a.text)
                bc_changed += is_backchannel(a.text, bc, max_words=dyn.backchannel_max_words) != \
                    spoken_backchannel(a.text, bc, max_words=dyn.backchannel_max_words)
            if split != "train":
                continue
            utts, gold = utterances(acts), {a.id: a for a in acts}
            for i, u in enumerate(utts):
                if not gold[u.id].question:
                    continue
                _, window = reply_window(utts, i, dyn.answer_max_utterances, dyn.answer_max_latency_s)
                if window and utts[window[0][0]].start - u.end < -1.0:
                    c = utts[window[0][0]]
                    k = "inside" if c.end <= u.end else "past"
                    overlap[k][0] += 1
                    overlap[k][1] += c.speaker == gold[u.id].responder
    return {"acts_train_and_heldout": n, "acts_with_a_bracketed_mark": marked,
            "acts_with_tokens_but_no_spoken_word": wordless, "acts_whose_backchannel_test_changes": bc_changed,
            "train_first_candidate_overlapping_by_more_than_1s": {
                k: {"candidates": v[0], "responder_rate": round(v[1] / v[0], 3) if v[0] else None}
                for k, v in overlap.items()}}


def main() -> int:
    from sessionscope.analysis.questions import bundled_answer_head, question_shape, question_tokens
    from sessionscope.config import DynamicsConfig

    head = bundled_answer_head()
    assert head is not None, "no answer head shipped"
    dyn = DynamicsConfig()
    out: dict = {"command": "nice -n 10 .venv/bin/python benchmarks/r25_answer_errors.py", "commit": commit(),
                 "split": "MRDA + AMI held-out train meetings", "threshold": head.threshold}
    for c in CORPORA:
        recs = []
        for _, acts in meetings(c, "heldout").items():
            by_id = {a.id: a for a in acts}
            for r in question_rows(acts, dyn, detected=True):
                a = by_id[r["id"]]
                p = [head.proba(f) for f in r["feats"]]
                k = int(np.argmax(p)) if p else -1
                best = r["feats"][k] if p else []
                first = r["feats"][0] if p else []
                recs.append({
                    "id": r["id"], "text": a.text[:120], "gold": r["gold"], "rule": r["rule"],
                    "head": bool(p) and p[k] >= head.threshold, "p": round(max(p), 3) if p else None,
                    "groups": {
                        "label": label_group(c, a.label),
                        "addressed": addressed(a.text),
                        "shape": question_shape(question_tokens(a.text)),
                        "candidates": str(len(p)),
                        "best_kind": feature_value(best, "kind") if p else "none",
                        "best_pos": feature_value(best, "pos") if p else "none",
                        "first_latency": feature_value(first, "lat") if p else "none",
                        "responder_in_window": str(any(r["labels"])),
                        "rule_answers": str(r["rule"]),
                    }})
        table: dict = defaultdict(dict)
        for g in recs[0]["groups"]:
            for v in sorted({x["groups"][g] for x in recs}):
                sel = [x for x in recs if x["groups"][g] == v]
                gold = [x["gold"] for x in sel]
                h = answered_figures([x["head"] for x in sel], gold)
                ru = answered_figures([x["rule"] for x in sel], gold)
                table[g][v] = {"n": len(sel), "responder_rate": round(float(np.mean(gold)), 3),
                               "head": {k: h[k] for k in ("agreement", "p", "r", "f1", "answered_share")},
                               "rule": {k: ru[k] for k in ("agreement", "p", "r", "f1", "answered_share")},
                               "head_fn": h["fn"], "head_fp": h["fp"], "rule_fn": ru["fn"], "rule_fp": ru["fp"]}
        fn = [x for x in recs if x["gold"] and not x["head"]]
        fp = [x for x in recs if x["head"] and not x["gold"]]
        out[c] = {"questions": len(recs), "head": answered_figures([x["head"] for x in recs], [x["gold"] for x in recs]),
                  "rule": answered_figures([x["rule"] for x in recs], [x["gold"] for x in recs]), "groups": table,
                  "head_fn_examples": [(x["text"], x["p"], x["groups"]["best_kind"]) for x in fn[:25]],
                  "head_fp_examples": [(x["text"], x["p"], x["groups"]["best_kind"]) for x in fp[:25]],
                  "corpus_marks": corpus_marks(c, dyn)}
    path = ROOT / "benchmarks" / "results" / "r25_answer_errors.json"
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    for c in CORPORA:
        print(c, "head", out[c]["head"], "rule", out[c]["rule"], out[c]["corpus_marks"])
        for g, vals in out[c]["groups"].items():
            for v, s in vals.items():
                print(f"  {g}={v}: n={s['n']} resp={s['responder_rate']} head a/r/f1={s['head']['agreement']}/"
                      f"{s['head']['r']}/{s['head']['f1']} rule a/r/f1={s['rule']['agreement']}/{s['rule']['r']}/"
                      f"{s['rule']['f1']} head fn/fp={s['head_fn']}/{s['head_fp']}")
    print("wrote", path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

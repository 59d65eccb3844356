"""Round 25 (answer): the answer head reading the spoken words, against the head before and the rule.

Usage (from the repository root; ~1–2 min on the shared 2-core box)::

    nice -n 10 .venv/bin/python benchmarks/r25_answer.py --old-src /tmp/r25/base/src
    nice -n 10 .venv/bin/python benchmarks/r25_answer.py dump --out /tmp/x.json   # one side only (the code on the path)

``compare`` (the default) dumps the per-question decisions twice: with the code and answer head of ``--old-src``
(a worktree of the round's start, in a subprocess with ``PYTHONPATH``) and with this checkout's; then scores both and
the rule on the **held-out train** meetings of MRDA and AMI (the gold questions the shipped question head finds there,
scored against "the corpus links a responder", as ``train_answer_head_r15_answered.py`` and
``dialogue_acts_eval.py --split heldout`` score them). Noise: a paired bootstrap over meetings (clusters) and over
questions (2,000 draws, seed 0) of each difference in agreement and in F1, and the per-meeting wins.

It also reads the timed transcripts of three or more people that the real-talk audit designs on (SBC001, ZOOM: no
gold responders) and counts, for each head, the questions whose answer changes when the transcript marks
("<LAUGH>", "{vocalsound}") are removed from every utterance (question sentences, windows and the rule held fixed):
the head that reads the words the metrics count changes none. Dev meetings are never read.
Writes ``benchmarks/results/r25_answer_heldout.json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, DATA, ROOT, meetings  # noqa: E402
from dialogue_acts_eval import answered_figures  # noqa: E402
from train_answer_head_r15_answered import question_rows, question_scores  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

TALK = {"SBC001": "sbcsae-text-refs/SBC001.stm",
        "ZOOM": "zoom-vtt-class-meeting/GMT20240124-202901_Recording.transcript.vtt"}
BOOT = 2000
VARIANTS = ("qmsum", "all")
QMSUM = ("TS3003a", "TS3007b", "ES2014b")  # AMI train meetings the real-talk audit designs on (untimed: the rule)


def _talk(head) -> dict:
    """Per real-talk session: the head's answer to each question, on the transcript as read and without its marks."""
    from sessionscope.analysis.questions import (
        _head_questions,
        _rule_answer,
        bundled_question_head,
        reply_window,
        wordless_blip,
    )
    from sessionscope.config import DynamicsConfig
    from sessionscope.io import read_transcript
    from sessionscope.text import strip_markup

    dyn = DynamicsConfig()
    bc = list(dyn.backchannels)
    out = {}
    for name, rel in TALK.items():
        s = read_transcript(DATA / rel)
        utts = sorted(s.utterances, key=lambda u: u.start or 0.0)
        bare = [dataclasses.replace(u, text=strip_markup(u.text)) for u in utts]
        qhead = bundled_question_head()
        assert qhead is not None, "no question head shipped"
        found = _head_questions(utts, qhead, "en")
        rows = []
        for i, (qs, _) in enumerate(found):
            if not qs:
                continue
            _, window = reply_window(utts, i, dyn.answer_max_utterances, dyn.answer_max_latency_s)
            window = [(j, k) for j, k in window if not wordless_blip(utts[j], utts)]
            rule = _rule_answer(utts, window, qs, bc, dyn.backchannel_max_words, "en")
            a = head.answer(utts, i, window, qs, rule, bc, dyn.backchannel_max_words)
            b = head.answer(bare, i, window, qs, rule, bc, dyn.backchannel_max_words)
            marked = any(strip_markup(utts[j].text) != utts[j].text.strip() for j, _ in window) or \
                strip_markup(utts[i].text) != utts[i].text.strip()
            rows.append({"id": utts[i].id, "answer": None if a is None else utts[a].id,
                         "answer_without_marks": None if b is None else utts[b].id, "marks_near": marked})
        out[name] = {"speakers": len({u.speaker for u in utts}), "questions": rows}
    return out


def _marked(text: str, key: str, variant: str) -> str:
    """``text`` with AMI-style transcript marks added (deterministic per act id).

    ``qmsum``: at about the rate of QMSum's AMI transcripts (``qmsum_marks`` in the output: about a third of their
    turns hold a mark, 9–23 % start with "{vocalsound}"): 20 % of acts start with "{vocalsound}", 15 % more get "{disfmarker}" after their first word.
    ``all``: every act starts with "{vocalsound}".
    """
    if variant == "all":
        return f"{{vocalsound}} {text}"
    h = zlib.crc32(key.encode()) % 100
    if h < 20:
        return f"{{vocalsound}} {text}"
    if h < 35:
        first, _, rest = text.partition(" ")
        return f"{first} {{disfmarker}} {rest}".strip()
    return text


def marked_rows(acts, dyn, variant: str) -> list[dict]:
    """:func:`question_rows` (held-out scoring) with the rule and the head reading marked texts; the question
    sentences are found on the texts as the corpus gives them, so both sides score the same questions."""
    from sessionscope.analysis.questions import (
        _head_questions,
        _rule_answer,
        answer_candidate_features,
        bundled_question_head,
        reply_window,
    )
    from train_answer_head_r15_answered import utterances

    utts = utterances(acts)
    marked = [dataclasses.replace(u, text=_marked(u.text, u.id, variant)) for u in utts]
    gold = {a.id: a for a in acts}
    bc = list(dyn.backchannels)
    qhead = bundled_question_head()
    assert qhead is not None, "no question head shipped"
    found = _head_questions(utts, qhead, "en")
    rows = []
    for i, u in enumerate(utts):
        a = gold[u.id]
        qs = found[i][0]
        if not a.question or not qs:
            continue
        qs = [_marked(q, f"{u.id}:{k}", variant) if k == 0 else q for k, q in enumerate(qs)]
        _, window = reply_window(marked, i, dyn.answer_max_utterances, dyn.answer_max_latency_s)
        rule = _rule_answer(marked, window, qs, bc, dyn.backchannel_max_words, "en")
        feats = [answer_candidate_features(marked, i, j, pos, own, qs, rule, bc, dyn.backchannel_max_words)
                 for pos, (j, own) in enumerate(window, start=1)]
        rows.append({"id": u.id, "meeting": a.meeting, "feats": feats, "rule": rule is not None,
                     "gold": a.responder is not None})
    return rows


def _qmsum() -> dict:
    """The rule's answers on QMSum's marked, untimed AMI train meetings that the real-talk audit designs on."""
    from sessionscope.analysis.questions import session_questions
    from sessionscope.config import DynamicsConfig
    from sessionscope.io import read_transcript
    from sessionscope.text import strip_markup

    out: dict = {}
    marks: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        for m in QMSUM:
            turns = json.loads((DATA / "qmsum-topics-queries" / f"{m}.json").read_text(encoding="utf-8"))
            path = Path(tmp) / f"qmsum_{m}.txt"
            path.write_text("".join(f"{t['speaker']}: {t['content']}\n" for t in turns["meeting_transcripts"]),
                            encoding="utf-8")
            s = read_transcript(path)
            text = {u.id: u.text for u in s.utterances}
            qs = session_questions(s, DynamicsConfig())
            contents = [t["content"] for t in turns["meeting_transcripts"]]
            marks[m] = {"turns": len(contents),
                        "turns_with_a_mark": sum(strip_markup(t) != " ".join(t.split()) for t in contents),
                        "turns_starting_with_vocalsound": sum(t.lstrip().startswith("{vocalsound}") for t in contents)}
            out[m] = [{"id": q.utterance_id, "question": q.text, "answer": q.answer_utterance_id,
                       "answer_text": text.get(q.answer_utterance_id or "", "")} for q in qs]
    out["marks"] = marks
    return out


def dump(path: Path) -> None:
    """Per held-out question: gold, rule, the shipped head's best score and threshold (the code on ``sys.path``)."""
    import sessionscope.analysis.questions as q
    from sessionscope.config import DynamicsConfig

    head = q.bundled_answer_head()
    assert head is not None, "no answer head shipped"
    dyn = DynamicsConfig()
    res: dict = {"module": q.__file__, "features_version": q.ANSWER_FEATURES_VERSION, "threshold": head.threshold,
                 "head_meta": head.meta, "heldout": {}}
    for c in CORPORA:
        per = []
        for m, acts in meetings(c, "heldout").items():
            rows = question_rows(acts, dyn, detected=True)
            scores = question_scores(rows, head.weights, head.bias)
            per += [{"meeting": m, "id": r["id"], "gold": r["gold"], "rule": r["rule"], "score": float(sc),
                     "head": bool(sc >= head.threshold)} for r, sc in zip(rows, scores, strict=True)]
        res["heldout"][c] = per
        for variant in VARIANTS:
            per = []
            for m, acts in meetings(c, "heldout").items():
                rows = marked_rows(acts, dyn, variant)
                scores = question_scores(rows, head.weights, head.bias)
                per += [{"meeting": m, "id": r["id"], "gold": r["gold"], "rule": r["rule"], "score": float(sc),
                         "head": bool(sc >= head.threshold)} for r, sc in zip(rows, scores, strict=True)]
            res.setdefault("marked", {}).setdefault(variant, {})[c] = per
    res["talk"] = _talk(head)
    res["qmsum"] = _qmsum()
    path.write_text(json.dumps(res) + "\n")


def _diff_stats(meet: np.ndarray, gold: np.ndarray, a: np.ndarray, b: np.ndarray, rng) -> dict:
    """``a`` minus ``b`` in agreement and F1, with paired bootstrap intervals over meetings and over questions."""

    def f1(pred, g):
        tp = float((pred & g).sum())
        d = float(pred.sum() + g.sum())
        return 2 * tp / d if d else 0.0

    def both(idx):
        g = gold[idx]
        return (float((a[idx] == g).mean() - (b[idx] == g).mean()), f1(a[idx], g) - f1(b[idx], g))

    full = both(np.arange(len(gold)))
    names = np.unique(meet)
    by_m = {m: np.flatnonzero(meet == m) for m in names}
    cl, qu = [], []
    for _ in range(BOOT):
        pick = rng.choice(names, len(names))
        cl.append(both(np.concatenate([by_m[m] for m in pick])))
        qu.append(both(rng.integers(0, len(gold), len(gold))))
    cl_a, qu_a = np.array(cl), np.array(qu)

    def ci(x):
        return [round(float(v), 4) for v in np.percentile(x, [2.5, 97.5])]

    per = {m: (float((a[ix] == gold[ix]).mean()), float((b[ix] == gold[ix]).mean())) for m, ix in by_m.items()}
    return {"agreement_diff": round(full[0], 4), "f1_diff": round(full[1], 4),
            "agreement_diff_95ci_meetings": ci(cl_a[:, 0]), "agreement_diff_95ci_questions": ci(qu_a[:, 0]),
            "f1_diff_95ci_meetings": ci(cl_a[:, 1]), "f1_diff_95ci_questions": ci(qu_a[:, 1]),
            "meetings_better": sum(x > y for x, y in per.values()), "meetings_worse": sum(x < y for x, y in per.values()),
            "meetings_tied": sum(x == y for x, y in per.values()),
            "questions_decided_differently": int((a != b).sum())}


def compare(old: dict, new: dict) -> dict:
    rng = np.random.default_rng(0)
    out: dict = {}
    for c in CORPORA:
        o, n = old["heldout"][c], new["heldout"][c]
        assert [r["id"] for r in o] == [r["id"] for r in n], "the two sides scored other questions"
        assert [r["gold"] for r in o] == [r["gold"] for r in n] and [r["rule"] for r in o] == [r["rule"] for r in n]
        gold = np.array([r["gold"] for r in n], dtype=bool)
        meet = np.array([r["meeting"] for r in n])
        rule = np.array([r["rule"] for r in n], dtype=bool)
        oh = np.array([r["head"] for r in o], dtype=bool)
        nh = np.array([r["head"] for r in n], dtype=bool)
        out[c] = {"questions": len(n), "meetings": len(set(meet)), "base_rate_responder": round(float(gold.mean()), 4),
                  "rule": answered_figures(list(rule), list(gold)), "old_head": answered_figures(list(oh), list(gold)),
                  "new_head": answered_figures(list(nh), list(gold)),
                  "new_minus_old": _diff_stats(meet, gold, nh, oh, rng),
                  "new_minus_rule": _diff_stats(meet, gold, nh, rule, rng),
                  "old_minus_rule": _diff_stats(meet, gold, oh, rule, rng),
                  "per_meeting": {m: {"n": int((meet == m).sum()), "gold": int(gold[meet == m].sum()),
                                      **{k: {"agreement": round(float((p[meet == m] == gold[meet == m]).mean()), 4),
                                             "answered": int(p[meet == m].sum())}
                                         for k, p in (("rule", rule), ("old_head", oh), ("new_head", nh))}}
                                  for m in sorted(set(meet))}}
    marked: dict = {}
    for variant in VARIANTS:
        marked[variant] = {}
        for c in CORPORA:
            plain = {"old_head": old["heldout"][c], "new_head": new["heldout"][c]}
            sides = {"old_head": old["marked"][variant][c], "new_head": new["marked"][variant][c]}
            assert [r["id"] for r in sides["old_head"]] == [r["id"] for r in plain["new_head"]]
            truth = [r["gold"] for r in plain["new_head"]]
            v: dict = {"rule": answered_figures([r["rule"] for r in sides["new_head"]], truth),
                       "rule_decisions_changed_by_marks": sum(a["rule"] != b["rule"] for a, b in
                                                              zip(sides["new_head"], plain["new_head"], strict=True))}
            for k in sides:
                v[k] = answered_figures([r["head"] for r in sides[k]], truth)
                v[f"{k}_decisions_changed_by_marks"] = sum(a["head"] != b["head"] for a, b in
                                                          zip(sides[k], plain[k], strict=True))
            marked[variant][c] = v
    out["marked_heldout"] = marked
    talk: dict = {}
    for name in TALK:
        sides = {}
        for side, d in (("old_head", old), ("new_head", new)):
            qs = d["talk"][name]["questions"]
            sides[side] = {"questions": len(qs), "answered": sum(r["answer"] is not None for r in qs),
                           "questions_with_marks_near": sum(r["marks_near"] for r in qs),
                           "answer_changes_without_marks": sum(r["answer"] != r["answer_without_marks"] for r in qs),
                           "changed": [r["id"] for r in qs if r["answer"] != r["answer_without_marks"]]}
        oq = {r["id"]: r["answer"] for r in old["talk"][name]["questions"]}
        nq = {r["id"]: r["answer"] for r in new["talk"][name]["questions"]}
        talk[name] = {"speakers": new["talk"][name]["speakers"], **sides,
                      "old_vs_new_answer_differs": sum(oq[k] != nq.get(k) for k in oq)}
    out["talk_marks"] = talk
    qm: dict = {}
    for m in QMSUM:
        o, n = old["qmsum"][m], new["qmsum"][m]
        assert [r["id"] for r in o] == [r["id"] for r in n]
        qm[m] = {"questions": len(n), "answered_before": sum(r["answer"] is not None for r in o),
                 "answered_after": sum(r["answer"] is not None for r in n),
                 "changed": [{"question": a["question"][:100], "before": a["answer_text"][:100],
                              "after": b["answer_text"][:100]} for a, b in zip(o, n, strict=True)
                             if a["answer"] != b["answer"]]}
    out["qmsum_rule"] = qm
    out["qmsum_marks"] = new["qmsum"]["marks"]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", nargs="?", default="compare", choices=("compare", "dump"))
    ap.add_argument("--old-src", type=Path, default=Path("/tmp/r25/base/src"),
                    help="the src/ folder of the round's start (a git worktree)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "r25_answer_heldout.json")
    args = ap.parse_args(argv)
    if args.mode == "dump":
        dump(args.out)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        old_p, new_p = Path(tmp) / "old.json", Path(tmp) / "new.json"
        env = {**os.environ, "PYTHONPATH": str(args.old_src)}
        subprocess.run([sys.executable, __file__, "dump", "--out", str(old_p)], env=env, check=True)
        dump(new_p)
        old, new = json.loads(old_p.read_text()), json.loads(new_p.read_text())
    assert Path(old["module"]).is_relative_to(args.old_src), f"the old side imported {old['module']}"
    res = {"command": "nice -n 10 .venv/bin/python benchmarks/r25_answer.py --old-src " + str(args.old_src),
           "commit": commit(), "old_src_commit": subprocess.run(["git", "-C", str(args.old_src), "rev-parse", "HEAD"],
                                                                capture_output=True, text=True).stdout.strip(),
           "split": "MRDA + AMI held-out train meetings (dialogue_acts.heldout_meeting); real talk SBC001, ZOOM",
           "old": {"features_version": old["features_version"], "threshold": old["threshold"],
                   "C": old["head_meta"].get("C")},
           "new": {"features_version": new["features_version"], "threshold": new["threshold"],
                   "C": new["head_meta"].get("C")},
           **compare(old, new)}
    args.out.write_text(json.dumps(res, indent=2) + "\n")
    for c in CORPORA:
        r = res[c]
        print(c, {k: (r[k]["agreement"], r[k]["f1"]) for k in ("rule", "old_head", "new_head")},
              {k: {x: r[k][x] for x in ("agreement_diff", "agreement_diff_95ci_meetings", "f1_diff",
                                        "f1_diff_95ci_meetings")} for k in ("new_minus_old", "new_minus_rule")})
    print(json.dumps(res["talk_marks"]))
    print(json.dumps(res["qmsum_rule"], indent=1))
    print(json.dumps({v: {c: {k: (x[k]["agreement"], x[k]["f1"]) if isinstance(x[k], dict) else x[k] for k in x}
                          for c, x in d.items()} for v, d in res["marked_heldout"].items()}))
    print("wrote", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

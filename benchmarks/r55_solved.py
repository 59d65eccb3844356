"""Round 55 (issue 10): is a raised problem's "solved" right on real talk?

``Session.problems[].solved`` feeds ``problems_solved`` and ``problems_solved_share`` (docs/metrics.md), the programme
guide's "share of problems raised that were successfully solved" — the one quantitative outcome measure the guide
names for a programme. A problem counts as solved when a recommendation by someone else, or any action item, follows
within ``extraction.problem_window_utterances`` utterances until round 54 (:func:`sessionscope.analysis.extract.problems.link_solutions`).
That rule was never checked against a reader. This script lists every problem the shipped stage finds on real talk
nobody here wrote (the sources of round 54's problem check), with the talk that follows it, for blind labellers, and
scores the rule and its variants against their labels.

Usage (repository root)::

    python benchmarks/r55_solved.py candidates     # ~6 minutes: .cache/r55_solved/{for_labeller,tool}.jsonl
    # labellers who see neither the tool's items nor this script read for_labeller.jsonl and write, per line,
    # {"key": ..., "difficulty": "yes"|"no", "addressed": "yes"|"no"|"unsure", "first": <n or null>, "by": "raiser"|"other"|null}
    # to benchmarks/data/r55_solved_labels_{1,2}.jsonl (two labellers, each item labelled by both)
    python benchmarks/r55_solved.py score --out benchmarks/results/r55_solved.json
    python benchmarks/r55_solved.py signals --out benchmarks/results/r55_solved_signals.json   # measured, not shipped

``candidates``: the extraction stage (shipped defaults, or the code on ``PYTHONPATH``) on round 54's seeded sample of
MRDA and AMI **train** meetings (20 and 30; never held-out, never dev), QMSum's eleven meetings, SBC001/009/044 and the
Zoom class. For every problem: the problem utterance, the two utterances before it and the talk after it (at least 15
utterances and 150 words, at most 40 utterances), speakers as letters; kept apart for the scoring (the labellers never
see it): the tool's ``solved`` and every recommendation and action item the stage lists from the problem's utterance to
40 utterances after it, with its kind, speaker, offset, marks and confidence. The texts stay in ``.cache`` (corpus
data); the label files hold keys and labels only.

``score``: per variant of the rule (round 54's and round 55's first; the result names the one that reproduces the
``solved`` of the code the candidates were read with), agreement
with the labels on the problems both labellers call a difficulty and agree on (yes / no; "unsure" left out), precision
and recall of "solved", and the solved share it gives against the labelled share; choice on the corpus train meetings,
the figure reported on the other half and the real transcripts (QMSum, SBCSAE, Zoom).
``signals``: whether anything cheaper than a reader tells an addressed problem (AUC per signal of the talk after it,
a logistic model of them across the halves, the semantic link by the shipped sentence encoder): measured, not shipped.

Before/after (round 55): ``candidates --work <scratch dir>/before_work`` with ``PYTHONPATH`` on a worktree of the
round's base, then ``score --work <scratch dir>/before_work --out benchmarks/results/r55_solved_before.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
from confidence_r8 import wilson  # noqa: E402
from dialogue_acts import ROOT, write_result  # noqa: E402
from r37_accepted import code_commit  # noqa: E402
from r54_problem_check import _sources  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

WORK = ROOT / ".cache" / "r55_solved"
FOR_LABELLER = WORK / "for_labeller.jsonl"
TOOL = WORK / "tool.jsonl"
LABELS = [ROOT / "benchmarks" / "data" / f"r55_solved_labels_{n}.jsonl" for n in (1, 2)]
AFTER_MIN_UTTS, AFTER_MIN_WORDS, AFTER_MAX_UTTS = 15, 150, 40
REACH = 40  # items listed for the variants: from the problem's utterance to this many utterances after it


def _letters(utts: list[Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for u in utts:
        if u.speaker not in out:
            n = len(out)
            out[u.speaker] = chr(ord("A") + n) if n < 26 else f"S{n + 1}"
    return out


def candidates(work: Path = WORK) -> None:
    import sessionscope
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.text import word_count

    stage = ExtractionStage()
    work.mkdir(parents=True, exist_ok=True)
    (work / "read.json").write_text(json.dumps({
        "commit": code_commit(Path(sessionscope.__file__).resolve().parent),
        "sessionscope": str(Path(sessionscope.__file__).resolve())}) + "\n", encoding="utf-8")
    n = 0
    with (work / FOR_LABELLER.name).open("w", encoding="utf-8") as lab, \
            (work / TOOL.name).open("w", encoding="utf-8") as tool:
        for name, session in _sources():
            out = stage(session)  # type: ignore[operator]
            utts = list(out.utterances)
            pos = {u.id: k for k, u in enumerate(utts)}
            who = _letters(utts)
            items: list[dict[str, Any]] = []
            for r in out.recommendations:
                items.append({"id": r.id, "kind": "recommendation", "at": pos[r.utterance_id], "speaker": r.giver,
                              "receiver": r.receiver, "to_check": r.to_check, "procedure": r.procedure,
                              "request": r.request, "in_meeting": False, "confidence": r.confidence, "text": r.text})
            for a in out.action_items:
                items.append({"id": a.id, "kind": "action", "at": pos[a.utterance_id],
                              "speaker": utts[pos[a.utterance_id]].speaker, "owner": a.owner, "to_check": a.to_check,
                              "procedure": False, "request": False, "in_meeting": a.in_meeting,
                              "confidence": a.confidence, "text": a.task})
            for p in out.problems:
                k = pos[p.utterance_id]
                key = f"{name}:{p.utterance_id}:{p.text[:30]}"
                after, words = [], 0
                for m in range(k + 1, min(len(utts), k + 1 + AFTER_MAX_UTTS)):
                    if len(after) >= AFTER_MIN_UTTS and words >= AFTER_MIN_WORDS:
                        break
                    after.append({"n": m - k, "speaker": who[utts[m].speaker], "text": utts[m].text})
                    words += len(utts[m].text.split())
                lab.write(json.dumps({
                    "key": key, "source": name, "raiser": who[p.raiser],
                    "before": [{"speaker": who[u.speaker], "text": u.text} for u in utts[max(0, k - 2):k]],
                    "utterance": {"n": 0, "speaker": who[utts[k].speaker], "text": utts[k].text},
                    "problem_sentence": p.text, "after": after}, ensure_ascii=False) + "\n")
                near = [{**{x: y for x, y in it.items() if x not in ("speaker", "receiver", "owner")},
                         "offset": it["at"] - k, "by_raiser": it["speaker"] == p.raiser,
                         "to_raiser": it.get("receiver") == p.raiser if it["kind"] == "recommendation" else None,
                         "to_group": it.get("receiver") is None if it["kind"] == "recommendation" else None,
                         "owner_raiser": it.get("owner") == p.raiser if it["kind"] == "action" else None}
                        for it in items if k <= it["at"] <= k + REACH]
                for x in near:
                    del x["at"]
                tool.write(json.dumps({
                    "key": key, "source": name, "solved": p.solved, "solution_ids": list(p.solution_ids),
                    "n_speakers": len(who), "shown_after": len(after), "items": near,
                    # the stage's own word count of each utterance after the problem (offset 1, 2, …)
                    "words_after": [word_count(u.text) for u in utts[k + 1:k + 1 + REACH]]},
                    ensure_ascii=False) + "\n")
                n += 1
            print(name, len(out.problems), flush=True)
    print("wrote", n, "candidates to", work)


# --- scoring -------------------------------------------------------------------------------------------------------

Variant = Callable[[dict], bool]
ROUND54 = "10 utterances (shipped to round 54)"
ROUND55 = "10 utterances or 150 words, whichever reaches further (shipped in round 55)"


def _rule(window: int = 10, *, words: Optional[int] = None, counted_only: bool = False, no_moves: bool = False,
          no_requests: bool = False, no_procedure: bool = False, rec_to: bool = False,
          actions_by: Optional[str] = None) -> Variant:
    """A "solved" rule over the listed items near the problem (``actions_by``: None any speaker, "raiser" / "other";
    ``words``: an utterance that starts within this many words of talk after the problem utterance is in the window
    too, ``window`` > 0 or not; words counted as the stage counts them)."""
    def solved(row: dict) -> bool:
        for it in row["items"]:
            cum = row.get("words_before", [])
            in_words = words is not None and 0 <= it["offset"] < len(cum) and cum[it["offset"]] < words
            in_utts = window > 0 and 0 <= it["offset"] <= window
            if not (in_words or in_utts):
                continue
            if counted_only and it["to_check"]:
                continue
            if it["kind"] == "recommendation":
                if it["by_raiser"] or (no_requests and it["request"]) or (no_procedure and it["procedure"]):
                    continue
                if rec_to and not (it["to_raiser"] or it["to_group"]):
                    continue
                return True
            if no_moves and it["in_meeting"]:
                continue
            if actions_by == "raiser" and not it["by_raiser"]:
                continue
            if actions_by == "other" and it["by_raiser"]:
                continue
            return True
        return False
    return solved


VARIANTS: dict[str, Variant] = {
    ROUND54: _rule(10),
    "window 5": _rule(5),
    "window 15": _rule(15),
    "window 20": _rule(20),
    "within 50 words": _rule(0, words=50),
    "within 100 words": _rule(0, words=100),
    "within 150 words": _rule(0, words=150),
    ROUND55: _rule(10, words=150),
    "10 utterances or 100 words, whichever reaches further": _rule(10, words=100),
    "items not to check only": _rule(10, counted_only=True),
    "no requests, no meeting procedure": _rule(10, no_requests=True, no_procedure=True),
    "no moves within the meeting": _rule(10, no_moves=True),
    "no requests, procedure or moves": _rule(10, no_requests=True, no_procedure=True, no_moves=True),
    "advice to the raiser or the group only": _rule(10, rec_to=True),
    "no requests, procedure or moves; not to check": _rule(10, counted_only=True, no_requests=True,
                                                           no_procedure=True, no_moves=True),
}


def _read_labels() -> list[dict[str, dict]]:
    return [{r["key"]: r for r in (json.loads(x) for x in p.read_text(encoding="utf-8").splitlines() if x.strip())}
            if p.exists() else {} for p in LABELS]


def _confusion(rows: list[tuple[bool, bool]]) -> dict[str, Any]:
    tp = sum(1 for t, g in rows if t and g)
    fp = sum(1 for t, g in rows if t and not g)
    fn = sum(1 for t, g in rows if not t and g)
    tn = sum(1 for t, g in rows if not t and not g)
    n = len(rows)
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f = 2 * p * r / (p + r) if p and r else None
    kappa = None
    if n:
        po = (tp + tn) / n
        pe = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / (n * n)
        kappa = round((po - pe) / (1 - pe), 3) if pe < 1 else None
    return {"n": n, "tp": tp, "fp": fp, "fn": fn, "tn": tn, "accuracy": round((tp + tn) / n, 3) if n else None,
            "accuracy_ci95": wilson(tp + tn, n), "precision": None if p is None else round(p, 3),
            "recall": None if r is None else round(r, 3), "f1": None if f is None else round(f, 3), "kappa": kappa,
            "tool_share": round((tp + fp) / n, 3) if n else None, "labelled_share": round((tp + fn) / n, 3) if n else None}


CHOOSE, REPORT = "choose: half of the train meetings", "report: the other half and the real transcripts"


def _part(source: str, train_sources: list[str]) -> str:
    """Every other sampled train meeting (in name order) is for choosing; the rest and the real transcripts report."""
    if source in train_sources and train_sources.index(source) % 2 == 0:
        return CHOOSE
    return REPORT


def _gold(labs: list[dict]) -> Optional[bool]:
    """Both labellers' "addressed" (over all the talk they were shown) when they agree on yes / no."""
    vals = [lab.get("addressed") for lab in labs]
    return vals[0] == "yes" if len(set(vals)) == 1 and vals[0] in ("yes", "no") else None


def _shown_path(p: Path) -> str:
    """A path as the stored result shows it: from the repository root, or a scratch folder's name."""
    p = p.resolve()
    return str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else f"<scratch dir>/{p.name}"


def score(out: Path, work: Path = WORK) -> dict:
    tool = [json.loads(x) for x in (work / TOOL.name).read_text(encoding="utf-8").splitlines()]
    read = json.loads((work / "read.json").read_text(encoding="utf-8"))
    reach_past_shown = 0
    for r in tool:  # words of talk (the stage's count) before each utterance after the problem (offset 0: none)
        cum, total = [0], 0
        for w in r["words_after"]:
            cum.append(total)
            total += w
        r["words_before"] = cum
        reach_past_shown += sum(1 for c in cum[r["shown_after"] + 1:] if c < 150) > 0
    labels = _read_labels()
    reproduces = [name for name in (ROUND54, ROUND55) if all(VARIANTS[name](r) == r["solved"] for r in tool)]
    both = [(r, [lab[r["key"]] for lab in labels]) for r in tool if all(r["key"] in lab for lab in labels)]
    # agreement between the labellers
    agree: dict[str, Any] = {}
    for field in ("difficulty", "addressed"):
        pairs = [(ls[0].get(field), ls[1].get(field)) for _r, ls in both] if len(labels) == 2 else []
        agree[field] = {"n": len(pairs), "same": sum(1 for a, b in pairs if a == b),
                        "kappa": _kappa(pairs)}
    difficulty = [(r, ls) for r, ls in both if all(lab.get("difficulty") == "yes" for lab in ls)]
    res: dict[str, Any] = {
        "command": f"python benchmarks/r55_solved.py score --out {_shown_path(out)}"
                   + ("" if work == WORK else f" --work {_shown_path(work)}"), "commit": commit(),
        "candidates_read_with": read["commit"],
        "candidates": len(tool), "labelled_by_both": len(both), "both_call_it_a_difficulty": len(difficulty),
        "rules_reproducing_the_tools_solved": reproduces,
        # the labellers were shown 150 words by a plain split; the stage counts fewer (no "|", "--", "=="), so for these
        # problems its 150 words reach past the talk shown: they are scored as labelled
        "problems_whose_150_words_reach_past_the_talk_shown": reach_past_shown,
        "labeller_agreement": agree, "parts": {}}
    addressed = [ls for _r, ls in difficulty if all(lab.get("addressed") == "yes" for lab in ls)]
    res["addressed_by_both"] = len(addressed)
    res["first_way_forward_after_utterance_10"] = [sum(1 for ls in addressed if int(ls[n].get("first") or 0) > 10)
                                                   for n in range(len(labels))]
    # of the scored problems, those the round-55 rule links only through an item past the talk the labellers saw
    res["scored_linked_only_past_the_talk_shown"] = sum(
        1 for r, ls in difficulty if _gold(ls) is not None and VARIANTS[ROUND55](r)
        and not VARIANTS[ROUND55]({**r, "items": [it for it in r["items"] if it["offset"] <= r["shown_after"]]}))
    train_sources = sorted({r["source"] for r in tool if r["source"].split("/")[0] in ("mrda", "ami")})
    for part in (CHOOSE, REPORT, "all"):
        rows = [(r, ls) for r, ls in difficulty if part == "all" or _part(r["source"], train_sources) == part]
        gold = [(r, g) for r, ls in rows if (g := _gold(ls)) is not None]
        per: dict[str, Any] = {"difficulties": len(rows), "labellers_agree_on_addressed": len(gold),
                               "sources": sorted({r["source"] for r, _ in rows})}
        for name, rule in VARIANTS.items():
            per[name] = _confusion([(rule(r), g) for r, g in gold])
        res["parts"][part] = per
    write_result(res, out)
    return res


def _kappa(pairs: list[tuple[Any, Any]]) -> Optional[float]:
    pairs = [(a, b) for a, b in pairs if a is not None and b is not None]
    n = len(pairs)
    if not n:
        return None
    cats = sorted({x for p in pairs for x in p})
    po = sum(1 for a, b in pairs if a == b) / n
    pe = sum((sum(1 for a, _ in pairs if a == c) / n) * (sum(1 for _, b in pairs if b == c) / n) for c in cats)
    return round((po - pe) / (1 - pe), 3) if pe < 1 else None


def _signals_of(row: dict, shown: dict, words: int = 150) -> dict[str, float]:
    """What the talk after a problem shows, within ``words`` words: listed items and how the others respond."""
    raiser, talk, other, speakers, first_other, cum = shown["raiser"], 0, 0, set(), None, [0]
    for u in shown["after"]:
        cum.append(talk)
        if talk < words and u["speaker"] != raiser:
            other += len(u["text"].split())
            speakers.add(u["speaker"])
            first_other = u["n"] if first_other is None else first_other
        talk += len(u["text"].split())
    near = [it for it in row["items"] if 0 <= it["offset"] < len(cum) and cum[it["offset"]] < words]
    recs = [it for it in near if it["kind"] == "recommendation" and not it["by_raiser"]]
    return {"advice by another listed": float(bool(recs)),
            "its highest confidence": max((it["confidence"] or 0.5 for it in recs), default=0.0),
            "a task listed": float(any(it["kind"] == "action" for it in near)),
            "words by others": other / words, "other speakers": float(len(speakers)),
            "first reply by another (utterances)": float(first_other or 20),
            "a question back in the next 5": float(any(u["speaker"] != raiser and "?" in u["text"]
                                                      for u in shown["after"][:5]))}


def signals(out: Path, work: Path = WORK) -> dict:
    """Per-signal AUC against the readers' "addressed" (difficulties both call so, both agree), a logistic model of
    them all fitted on one half and scored on the other, and the semantic link between the problem and the others'
    talk (the shipped sentence encoder: highest and mean cosine)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    from sessionscope.language.embeddings import get_encoder

    tool = {r["key"]: r for r in map(json.loads, (work / TOOL.name).read_text(encoding="utf-8").splitlines())}
    shown = {r["key"]: r for r in map(json.loads, (work / FOR_LABELLER.name).read_text(encoding="utf-8").splitlines())}
    labels = _read_labels()
    train_sources = sorted({r["source"] for r in tool.values() if r["source"].split("/")[0] in ("mrda", "ami")})
    rows = []
    for k, r in tool.items():
        ls = [lab[k] for lab in labels]
        if all(lab.get("difficulty") == "yes" for lab in ls) and (g := _gold(ls)) is not None:
            rows.append((k, _part(r["source"], train_sources), g))
    feats = {k: _signals_of(tool[k], shown[k]) for k, _p, _g in rows}
    enc = get_encoder()
    for k, _p, _g in rows:
        s = shown[k]
        t, others = 0, []
        for u in s["after"]:
            if t >= 150:
                break
            if u["speaker"] != s["raiser"]:
                others.append(u["text"])
            t += len(u["text"].split())
        if others:
            x = np.asarray(enc.encode([s["problem_sentence"], *others]), float)
            x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-9
            cos = x[1:] @ x[0]
            feats[k]["semantic link, highest"], feats[k]["semantic link, mean"] = float(cos.max()), float(cos.mean())
        else:
            feats[k]["semantic link, highest"] = feats[k]["semantic link, mean"] = 0.0
    names = list(feats[rows[0][0]])
    y = np.array([g for _k, _p, g in rows])
    res: dict[str, Any] = {"command": f"python benchmarks/r55_solved.py signals --out {_shown_path(out)}",
                           "commit": commit(), "difficulties_scored": len(rows), "addressed_share": round(float(y.mean()), 3),
                           "auc_per_signal": {n: round(float(roc_auc_score(y, [feats[k][n] for k, _p, _g in rows])), 3)
                                              for n in names},
                           "logistic_across_halves": {}}
    for fit, test in ((CHOOSE, REPORT), (REPORT, CHOOSE)):
        a = [(feats[k], g) for k, p, g in rows if p == fit]
        b = [(feats[k], g) for k, p, g in rows if p == test]
        clf = LogisticRegression(C=1.0, max_iter=1000).fit(np.array([[f[n] for n in names] for f, _ in a]),
                                                           [g for _, g in a])
        pr = clf.predict_proba(np.array([[f[n] for n in names] for f, _ in b]))[:, 1]
        res["logistic_across_halves"][f"fitted on '{fit}', scored on the other"] = round(
            float(roc_auc_score([g for _, g in b], pr)), 3)
    write_result(res, out)
    return res


def main(argv: Optional[list[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    ca = sub.add_parser("candidates")
    ca.add_argument("--work", type=Path, default=WORK, help="where the candidates go (default: .cache/r55_solved)")
    sc = sub.add_parser("score")
    sc.add_argument("--out", type=Path, required=True)
    sc.add_argument("--work", type=Path, default=WORK, help="the candidates scored (default: .cache/r55_solved)")
    si = sub.add_parser("signals")
    si.add_argument("--out", type=Path, required=True)
    si.add_argument("--work", type=Path, default=WORK, help="the candidates read (default: .cache/r55_solved)")
    args = ap.parse_args(argv)
    if args.cmd == "candidates":
        candidates(args.work)
    elif args.cmd == "signals":
        signals(args.out, args.work)
    else:
        score(args.out, args.work)


if __name__ == "__main__":
    main()

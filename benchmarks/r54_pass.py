"""Round 54 (issue 10): a new user's pass over a committee hearing and real meetings — what the fixes change on real talk.

The pass (QMSum's Welsh Parliament hearing education_13, Bed003, TS3011b, ES2014b, the Zoom class, SBCSAE) found:
"Perhaps you can run us through it quickly." (a committee member to a witness) was listed and counted as the member's
advice, not as a request to be told (:data:`sessionscope.analysis.extract.request._EN_TOLD`: "run / talk / take me
through", "fill me in", "bring me up to speed", "keep me posted", "give us an overview"; Russian «введите меня в курс»,
«держите нас в курсе»); and "I'm not sure if you received them as well", "I'm not sure how long we've got left", "I'm
not sure whether we want to look at the size issue" were listed as problems raised: the rule now needs the speaker's
own doing after "not sure how / what / whether" (:data:`sessionscope.analysis.extract.problems._EN_NOT_SURE`).

Usage (repository root; ``read`` about 7 minutes on 2 cores)::

    git worktree add -f <scratch dir>/before <round's base commit>
    PYTHONPATH=<scratch dir>/before/src python benchmarks/r54_pass.py read --out <scratch dir>/r54_before.json
    python benchmarks/r54_pass.py read --out <scratch dir>/r54_after.json
    python benchmarks/r54_pass.py compare --before <scratch dir>/r54_before.json \\
        --after <scratch dir>/r54_after.json --out benchmarks/results/r54_pass.json
    python benchmarks/r54_pass.py counts --out benchmarks/results/r54_pass_counts.json
    PYTHONPATH=<scratch dir>/before/src python benchmarks/r54_pass.py classifier --before <scratch dir>/r54_before.json \
        --out benchmarks/results/r54_classifier_problems.json
    python benchmarks/recs_error_analysis.py cache   # once: the held-out train meetings' parsed rows (~2 min)
    python benchmarks/r54_pass.py own-side --out benchmarks/results/r54_own_side_heldout.json

``read``: every held-out train meeting of MRDA and AMI (never dev), the Zoom class, SBC001, SBC009, SBC044, all eleven
QMSum meetings (education_13 and Bed003 among them) and the two examples' reference transcripts; every recommendation
(text, giver, receiver, confidence, to check, request and procedure marks), action item (round 40's read) and problem
(text, raiser, solved). ``counts`` (seconds, no parsing): on the train meetings of both corpora (never dev), the acts
the round-53 "not sure" and "don't know how" patterns and this round's mark, with their corpus labels (no corpus labels problems: the texts
are there to be read), the acts whose first firing problem pattern now lies in a condition or a forecast, and the acts
the request rule marks through the new phrases, with their suggestion labels.
``own-side`` (measured, not shipped): held-out recommendation P / R / F1 per corpus on the cached rows
(``recs_error_analysis.py``) with the own-side rule as shipped (the question before the answer is put to "you") and
with any question without "we / us / our / let's" (a committee's "does that mean there would be a need for the CPS
in England…?" answered "We'd need to make sure…").
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _before_after import cli, compare_reads  # noqa: E402
from dialogue_acts import CORPORA, DATA, meetings, write_result  # noqa: E402
from r37_accepted import EXAMPLES, read_real  # noqa: E402
from r40_request_tasks import _items  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

QMSUM = {f"qmsum/{p.stem}": p for p in sorted((DATA / "qmsum-topics-queries").glob("*.json"))}
FILES = ("held-out train meetings of MRDA and AMI; the Zoom class, SBC001, SBC009, SBC044; the eleven QMSum meetings; "
         "the examples' reference transcripts")
#: round 53's "not sure" alternative of the problem rule ``not_sure_how`` and "don't know how" of ``cannot``, for ``counts``
R53_NOT_SURE = (r"\b(i'm|i am) (not sure|unsure) (how|what|where|whether|if)\b"
                r"|\b(i|we) (really |still |always |constantly |just )?don't (really )?know how\b")


def _rows(stage, session) -> dict[str, dict]:  # noqa: ANN001
    out = stage(session)
    rows = {f"act:{k}": v for k, v in _items(lambda s: out, session).items()}
    for r in out.recommendations:
        rows[f"rec:{r.utterance_id}:{r.char_end}"] = {
            "text": r.text, "giver": r.giver, "receiver": r.receiver,
            "confidence": None if r.confidence is None else round(r.confidence, 4), "to_check": r.to_check,
            "request": r.request, "procedure": r.procedure}
    for p in out.problems:
        rows[f"problem:{p.utterance_id}:{p.text[:40]}"] = {"text": p.text, "raiser": p.raiser, "solved": p.solved}
    return rows


def read(out: Path) -> None:
    read_real(out, "python benchmarks/r54_pass.py read", _rows, {**QMSUM, **EXAMPLES})


def compare(before: Path, after: Path, out: Path) -> dict:
    return compare_reads(before, after, out, script="r54_pass.py", unit="item", files=FILES)


def counts(out: Path) -> dict:
    from sessionscope.analysis.extract.problems import _EN_KNOW_HOW, _EN_NOT_SURE, first_pattern
    from sessionscope.analysis.extract.request import _EN_TOLD, request_text
    from sessionscope.analysis.extract.rules import norm

    old, told = re.compile(R53_NOT_SURE), re.compile(_EN_TOLD, re.IGNORECASE)
    new = re.compile(_EN_NOT_SURE + r"|\b(i|we) (really |still |always |constantly |just )?don't (really )?" + _EN_KNOW_HOW)
    res: dict = {"command": f"python benchmarks/r54_pass.py counts --out {out}", "commit": commit(),
                 "split": "train meetings of the dialogue-act splits (never dev)", "corpora": {}}
    for corpus in CORPORA:
        rows: list[dict] = []
        requests: list[dict] = []
        acts = 0
        held: list[dict] = []
        for m_, acts_m in sorted(meetings(corpus, "train").items()):
            for a in acts_m:
                acts += 1
                t = norm(a.text)
                was, now = bool(old.search(t)), bool(new.search(t))
                if was or now:
                    rows.append({"meeting": m_, "text": a.text, "label": a.label, "round53": was, "round54": now})
                # the first pattern that fires, as the rule reads it: in a condition, or a "too much" forecast
                why = first_pattern(t)[2]
                if why is not None:
                    held.append({"meeting": m_, "text": a.text, "label": a.label, "why": why})
                if told.search(t) and request_text(a.text, "en"):
                    requests.append({"meeting": m_, "text": a.text, "label": a.label,
                                     "gold_recommendation": a.recommendation})
        summary = {"acts": acts, "not_sure_round53": sum(r["round53"] for r in rows),
                   "not_sure_round54": sum(r["round54"] for r in rows),
                   "not_sure_dropped": sum(r["round53"] and not r["round54"] for r in rows),
                   "not_sure_added": sum(r["round54"] and not r["round53"] for r in rows),
                   "problem_pattern_in_a_condition": sum(r["why"] == "conditional" for r in held),
                   "too_much_as_a_forecast": sum(r["why"] == "forecast" for r in held),
                   "request_new_phrases": len(requests),
                   "request_new_phrases_gold_recommendation": sum(r["gold_recommendation"] for r in requests)}
        print(corpus, summary)
        res["corpora"][corpus] = {"summary": summary, "not_sure": rows, "request_new_phrases": requests,
                                  "condition_or_forecast": held}
    write_result(res, out)
    return res


def classifier_only(before: Path, out: Path) -> dict:
    """Of the problems a ``read`` lists, those no problem rule fires on (the written-set classifier's alone), per group
    of sources; run in the code version that made the read (its rules), as ``read`` is."""
    import sessionscope
    from r37_accepted import code_commit
    from sessionscope.analysis.extract.problems import problem_rule
    from sessionscope.language.nlp import parse_texts

    files = json.loads(before.read_text(encoding="utf-8"))["files"]
    groups: dict[str, dict] = {}
    for name, rows in files.items():
        head = name.split("/")[0]
        group = "corpus meetings" if head in CORPORA else "examples" if head == "examples" else "real transcripts"
        g = groups.setdefault(group, {"problems": 0, "classifier_only": 0, "texts": []})
        for key, row in rows.items():
            if not key.startswith("problem:"):
                continue
            lang = "ru" if re.search("[а-яё]", row["text"], re.IGNORECASE) else "en"  # the Russian example
            hits = [problem_rule(x) for x in parse_texts([row["text"]], language=lang)[0]]
            g["problems"] += 1
            if not any(h is not None and not h.veto for h in hits):
                g["classifier_only"] += 1
                g["texts"].append({"file": name, "text": row["text"]})
    print({k: (v["problems"], v["classifier_only"]) for k, v in groups.items()})
    res = {"command": f"python benchmarks/r54_pass.py classifier --before {before.name} --out {out}",
           "rules_of": code_commit(Path(sessionscope.__file__).resolve().parent), "groups": groups}
    write_result(res, out)
    return res


def own_side(out: Path) -> dict:
    import functools

    import recs_error_analysis as rea
    import sessionscope.analysis.extract.stage as stage
    from sessionscope.analysis.extract import rules

    def context(speakers, parsed, *, mode: str):  # noqa: ANN001, ANN202
        """:func:`rules.own_side_context` with the asking question chosen by ``mode``."""
        found: dict = {}
        runs = rules._speaker_runs(speakers, parsed)
        for r, run in enumerate(runs):
            sents = [parsed[i][j] for i, j in run]
            if not r or not sents or sents[0].language != "en":
                continue
            if sum(len(rules._words(s)) for s in sents) < rules.OWN_SIDE_WORDS:
                continue
            asked = [s for i, j in runs[r - 1] if rules.question(s := parsed[i][j])]
            words = [{t.lower for t in s.tokens} for s in asked]
            if mode == "shipped" and not any(w & {"you", "your"} for w in words):
                continue
            if mode == "not_we" and not any(not w & {"we", "us", "our", "let"} for w in words):
                continue
            for key, sent in zip(run, sents, strict=True):
                if rules.own_side_plan(sent):
                    found[key] = "own_side"
        return found

    res: dict = {"command": f"python benchmarks/r54_pass.py own-side --out {out}", "commit": commit(),
                 "split": "held-out train meetings (recs_error_analysis.py's cached rows)", "variants": {}}
    shipped = stage.own_side_context
    try:
        for mode in ("shipped", "not_we"):
            stage.own_side_context = functools.partial(context, mode=mode)  # type: ignore[assignment]
            row = rea.heldout_recommendation_f1()
            print(mode, row)
            res["variants"][mode] = row
    finally:
        stage.own_side_context = shipped  # type: ignore[assignment]
    write_result(res, out)
    return res


if __name__ == "__main__":
    if sys.argv[1:2] in (["counts"], ["own-side"], ["classifier"]):  # read / compare go through the shared command line
        import argparse

        ap = argparse.ArgumentParser(description="r54_pass.py counts | own-side | classifier")
        ap.add_argument("cmd", choices=("counts", "own-side", "classifier"))
        ap.add_argument("--out", type=Path, required=True)
        ap.add_argument("--before", type=Path, help="classifier: a read of the round's base code")
        args = ap.parse_args()
        if args.cmd == "classifier":
            if args.before is None:
                ap.error("classifier needs --before")
            classifier_only(args.before, args.out)
        else:
            (counts if args.cmd == "counts" else own_side)(args.out)
    else:
        cli(__doc__, read, compare)

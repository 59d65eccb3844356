"""Round 54 (issue 10): how often is a listed problem a difficulty, by the rule that found it — on real talk.

Problems are found by rules only in English sessions the heads read (round 54), and carry no measured confidence
(``Problem.confidence`` is null). Before a confidence can be set, it has to be measured: this script lists every
English problem the shipped stage finds on real talk nobody here wrote, for a blind labeller, and scores the labels
per rule.

Usage (repository root)::

    python benchmarks/r54_problem_check.py candidates      # ~6 minutes: writes .cache/r54_problems/candidates.jsonl
    # a labeller who sees neither the rule nor this script reads candidates.jsonl and writes, per line,
    # {"key": ..., "label": "yes" | "no" | "unsure"} to benchmarks/data/r54_problem_labels.jsonl
    python benchmarks/r54_problem_check.py score --out benchmarks/results/r54_problem_check.json

``candidates``: the extraction stage (shipped defaults) on a seeded sample of MRDA and AMI **train** meetings (20 and 30;
never held-out, never dev), QMSum's eleven meetings, SBC001/009/044 and the Zoom class; every problem item with the
sentence, the utterance before and after (for the labeller), and the problem rule that fires on it (kept apart from
what the labeller reads). The texts stay in ``.cache`` (corpus data); the labels file holds keys (source, utterance
id, the sentence's first 30 characters) and labels only. The stored labels are of the candidates of commit 7ab93e67:
``candidates`` run with later code lists the problems that code finds, and ``score`` counts only those labelled.
``score``: per rule and in all, the share of items labelled a difficulty (``unsure`` counted apart), with a 95 %
Wilson interval, and the same per source (corpus meetings / real transcripts); and how well a per-rule confidence
learned without the source being scored predicts its labels (leave-one-source-out Brier score, against the pooled
share), and the per-rule table that would be ``Problem.confidence`` (each rule's share of "yes" with one "yes" and
one "no" added), applied to the English example's problems. Measured, not shipped (docs/benchmarks/extraction.md, round
54): it would mark 3 of the 4 gold problems the stage finds in the written English example "to check" — meeting talk
is not mentoring talk.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, DATA, ROOT, meetings, write_result  # noqa: E402
from dialogue_acts_eval import session_of  # noqa: E402
from r37_accepted import REAL  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

WORK = ROOT / ".cache" / "r54_problems"
CANDIDATES = WORK / "candidates.jsonl"
LABELS = ROOT / "benchmarks" / "data" / "r54_problem_labels.jsonl"
SAMPLE = {"mrda": 20, "ami": 30}
SEED = 54


def _sources() -> list[tuple[str, object]]:
    """(name, session) of every source read: the sampled train meetings, then the real transcripts."""
    from sessionscope.api import read_transcript

    out: list[tuple[str, object]] = []
    for corpus in CORPORA:
        ms = sorted(meetings(corpus, "train").items())
        for m, acts in random.Random(SEED).sample(ms, min(SAMPLE[corpus], len(ms))):
            out.append((f"{corpus}/{m}", session_of(m, acts)))
    real = {**REAL, **{f"qmsum/{p.stem}": p for p in sorted((DATA / "qmsum-topics-queries").glob("*.json"))}}
    for name, path in real.items():
        out.append((name, read_transcript(path)))
    return out


def candidates() -> None:
    from sessionscope.analysis.extract.problems import problem_rule
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.language.nlp import parse_texts

    stage = ExtractionStage()
    WORK.mkdir(parents=True, exist_ok=True)
    n = 0
    with CANDIDATES.open("w", encoding="utf-8") as fh:
        for name, session in _sources():
            out = stage(session)  # type: ignore[operator]
            utts = list(out.utterances)
            pos = {u.id: k for k, u in enumerate(utts)}
            for p in out.problems:
                k = pos[p.utterance_id]
                hits = [problem_rule(s) for s in parse_texts([p.text], language="en")[0]]
                rules = sorted({h.rule for h in hits if h is not None and not h.veto})
                fh.write(json.dumps({
                    "key": f"{name}:{p.utterance_id}:{p.text[:30]}", "source": name,
                    "before": utts[k - 1].text if k else None, "sentence": p.text, "utterance": utts[k].text,
                    "after": utts[k + 1].text if k + 1 < len(utts) else None, "rules": rules}, ensure_ascii=False) + "\n")
                n += 1
            print(name, len(out.problems), flush=True)
    print("wrote", n, "candidates to", CANDIDATES)


def _read() -> tuple[list[dict], dict[str, str]]:
    """The candidates and their labels (key -> "yes" / "no" / "unsure")."""
    cands = [json.loads(x) for x in CANDIDATES.read_text(encoding="utf-8").splitlines()]
    labels = {r["key"]: r["label"] for r in map(json.loads, LABELS.read_text(encoding="utf-8").splitlines())}
    return cands, labels


def _laplace(rows: list[tuple[dict, str]]) -> dict[str, dict]:
    """Per rule: yes, no and the share of yes with one of each added."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for c, lab in rows:
        counts[c["rules"][0]][0 if lab == "yes" else 1] += 1
    return {r: {"yes": y, "no": n, "confidence": round((y + 1) / (y + n + 2), 3)} for r, (y, n) in sorted(counts.items())}


def _loso(rows: list[tuple[dict, str]]) -> dict:
    """Leave-one-source-out: each source's items scored with the table learned on the others (Brier), against the
    pooled share of the others."""
    se_rule = se_pool = 0.0
    for src in sorted({c["source"] for c, _ in rows}):
        train = [(c, lab) for c, lab in rows if c["source"] != src]
        table = _laplace(train)
        pool = (sum(lab == "yes" for _, lab in train) + 1) / (len(train) + 2)
        for c, lab in rows:
            if c["source"] == src:
                y = 1.0 if lab == "yes" else 0.0
                p = table.get(c["rules"][0], {}).get("confidence", pool)
                se_rule += (p - y) ** 2
                se_pool += (pool - y) ** 2
    return {"items": len(rows), "brier_per_rule": round(se_rule / len(rows), 4),
            "brier_pooled_share": round(se_pool / len(rows), 4)}


def _example_problems(table: dict[str, dict]) -> list[dict]:
    """The English example's problems (its reference transcript, the shipped stage) with the confidence the table
    would give them, and whether its gold lists each."""
    from sessionscope.analysis.extract.problems import problem_rule
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.api import read_transcript
    from sessionscope.language.nlp import parse_texts

    gold = json.loads((ROOT / "examples" / "en_session" / "gold.json").read_text(encoding="utf-8"))["problems"]
    out = ExtractionStage()(read_transcript(ROOT / "examples" / "en_session" / "reference.stm"))
    rows = []
    for p in out.problems:
        hits = [problem_rule(x) for x in parse_texts([p.text], language="en")[0]]
        rule = next((h.rule for h in hits if h is not None and not h.veto), None)
        conf = table.get(rule or "", {}).get("confidence")
        rows.append({"text": p.text, "rule": rule, "confidence": conf, "to_check": conf is not None and conf < 0.5,
                     "gold": any(g["text"] in p.text or p.text in g["text"] for g in gold)})
    return rows


def _wilson(k: int, n: int, z: float = 1.96) -> list[float]:
    if not n:
        return [0.0, 1.0]
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return [round(c - h, 3), round(c + h, 3)]


def score(out: Path) -> dict:
    cands, labels = _read()
    groups: dict[str, dict[str, int]] = defaultdict(lambda: {"yes": 0, "no": 0, "unsure": 0})
    for c in cands:
        lab = labels.get(c["key"])
        if lab is None:
            continue
        src = "corpus meetings" if c["source"].split("/")[0] in CORPORA else "real transcripts"
        for g in ("all", f"source: {src}", *(f"rule: {r}" for r in (c["rules"] or ["(none)"]))):
            groups[g][lab] += 1
    shares = {}
    for g, v in sorted(groups.items()):
        n = v["yes"] + v["no"]
        shares[g] = {**v, "precision": round(v["yes"] / n, 3) if n else None, "wilson95": _wilson(v["yes"], n)}
        print(f"{g:40s} {v}  precision {shares[g]['precision']}  {shares[g]['wilson95']}")
    rows = [(c, labels[c["key"]]) for c in cands if labels.get(c["key"]) in ("yes", "no")]
    loso = _loso(rows)
    print("leave-one-source-out", loso)
    table = _laplace(rows)
    example = _example_problems(table)
    print("English example:", example)
    res = {"command": f"python benchmarks/r54_problem_check.py score --out {out}", "commit": commit(),
           "candidates": len(cands), "labelled": sum(c["key"] in labels for c in cands), "leave_one_source_out": loso,
           "per_rule_confidence_not_shipped": table, "english_example_with_that_table": example,
           "sample": {"train meetings": SAMPLE, "seed": SEED, "real": "QMSum 11, SBC001/009/044, the Zoom class"},
           "labels": str(LABELS.relative_to(ROOT)), "groups": shares}
    write_result(res, out)
    return res


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cmd", choices=("candidates", "score"))
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "r54_problem_check.json")
    args = ap.parse_args()
    candidates() if args.cmd == "candidates" else score(args.out)

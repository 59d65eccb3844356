"""Round 32 (issue 10): how much do the act tagger's scores of a sentence depend on the batch it is scored with?

Usage (from the repository root; ~10 min on 2 cores)::

    nice -n 10 python benchmarks/r32_tagger_batch.py --out benchmarks/results/r32_tagger_batch.json

The shipped English act tagger (``tagger.ActTagger.logits``) scores a session's sentences in length-sorted batches of
``tagger.BATCH`` (64) through an int8 ONNX graph made by ``quantize_dynamic``, which sets each activation's scale per
batch: a sentence's logits then depend on the other sentences of its batch. This runs the whole extraction stage
(``ExtractionStage()(session)``) on every held-out train meeting of MRDA and AMI (no dev meeting) twice, as shipped and
with ``BATCH = 1`` (every sentence alone, so its scores depend on it alone), and counts

* the tagger logits that differ (max and mean absolute difference, per column), and
* the listed recommendations, action items and questions that differ (by utterance and kind), with the corpus gold
  figures (F1 against MRDA ``^cs``/``^co``, ``^cc``, ``q*``; AMI ``sug``, ``off``, ``el.*``) of both runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, ROOT, meetings  # noqa: E402
from dialogue_acts_eval import session_of  # noqa: E402


def _f1(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def stage_items(split: str = "heldout") -> dict:
    """Every ``split`` meeting of MRDA and AMI through the whole extraction stage: per meeting, the tagger logits of
    every sentence, the acts listed as recommendations, action items and questions, and the acts' gold booleans."""
    from sessionscope.analysis.extract.bare import parse_utterances
    from sessionscope.analysis.extract.stage import ExtractionStage

    stage = ExtractionStage()
    out: dict = {}
    for corpus in CORPORA:
        for m, acts in sorted(meetings(corpus, split).items()):
            sess = session_of(m, acts)
            parsed = parse_utterances([u.text for u in sess.utterances], language="en")
            logits = stage.head_logits(sess, parsed)
            res = stage(sess)
            out[f"{corpus}/{m}"] = {
                "tagger": [row[4:7].tolist() for rows in logits for row in rows] if logits else [],
                "recommendation": sorted({r.utterance_id for r in res.recommendations}),
                "action": sorted({a.utterance_id for a in res.action_items}),
                "question": sorted({q.utterance_id for q in res.questions}),
                "gold": {a.id: [a.recommendation, a.action, a.question] for a in acts},
            }
    return out


def run(batch: int | None) -> dict:
    from sessionscope.analysis.extract import tagger

    saved = tagger.BATCH
    if batch is not None:
        tagger.BATCH = batch
    try:
        return stage_items()
    finally:
        tagger.BATCH = saved


def compare(shipped: dict, alone: dict, names: tuple[str, str] = ("shipped", "alone")) -> dict:
    """Tagger logits and listed items of two runs of :func:`run`-shaped results, with their gold figures under ``names``."""
    res: dict = {"per_corpus": {}}
    diffs = []
    for corpus in CORPORA:
        keys = [k for k in shipped if k.startswith(corpus + "/")]
        c: dict = {"meetings": len(keys)}
        for kind, g in (("recommendation", 0), ("action", 1), ("question", 2)):
            changed = sum(len(set(shipped[k][kind]) ^ set(alone[k][kind])) for k in keys)
            counts = {}
            for name, run_ in zip(names, (shipped, alone), strict=True):
                tp = fp = fn = 0
                for k in keys:
                    found, gold = set(run_[k][kind]), run_[k]["gold"]
                    tp += sum(1 for a in found if gold.get(a, [0, 0, 0])[g])
                    fp += sum(1 for a in found if not gold.get(a, [0, 0, 0])[g])
                    fn += sum(1 for a, v in gold.items() if v[g] and a not in found)
                counts[name] = _f1(tp, fp, fn)
            c[kind] = {"acts_listed_differently": changed, **counts}
        res["per_corpus"][corpus] = c
        for k in keys:
            a, b = np.asarray(shipped[k]["tagger"]), np.asarray(alone[k]["tagger"])
            if a.size:
                diffs.append(np.abs(a - b))
    d = np.concatenate(diffs) if diffs else np.zeros((0, 3))
    res["tagger_logits"] = {"sentences": int(d.shape[0]), "columns": ["question", "recommendation", "action"],
                            "max_abs_diff": d.max(axis=0).round(4).tolist() if d.size else None,
                            "mean_abs_diff": d.mean(axis=0).round(4).tolist() if d.size else None,
                            "share_over_0.1": (d > 0.1).mean(axis=0).round(4).tolist() if d.size else None,
                            "share_over_0.5": (d > 0.5).mean(axis=0).round(4).tolist() if d.size else None}
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    t = time.time()
    shipped = run(None)
    t1 = time.time()
    alone = run(1)
    t2 = time.time()
    res = {"command": "python benchmarks/r32_tagger_batch.py" + (f" --out {args.out}" if args.out else ""),
           "commit": commit, "date": dt.date.today().isoformat(), "split": "held-out train meetings (MRDA 6, AMI 16)",
           "seconds": {"shipped": round(t1 - t, 1), "batch_1": round(t2 - t1, 1)}, **compare(shipped, alone)}
    print(json.dumps({k: res[k] for k in ("tagger_logits", "per_corpus", "seconds")}, indent=1))
    if args.out:
        args.out.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

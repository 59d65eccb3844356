"""Round 28 (issue 10): the shipped system on the held-out train meetings and the ``tune`` meetings, per act.

The same calls and scoring as ``benchmarks/dialogue_acts_eval.py`` (``run_meeting`` and ``score``
imported from it, same stage set-up as its ``main``); besides the scores it keeps, per act, what the
shipped system found, so that ``r28_ft_eval.py`` can combine the fine-tuned tagger with it.

Usage (from the repository root; ~15 min on 2 cores)::

    nice -n 10 python benchmarks/r28_ft_shipped.py

Writes ``benchmarks/results/dialogue_acts_eval_heldout_r28_ft_shipped.json`` (the eval's own format,
held-out train meetings) and ``.cache/r28_ft/shipped_acts.json`` (per split, corpus and meeting: the
act ids found per kind; the ``tune`` meetings are TRAIN meetings the shipped heads were fitted on).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, ROOT  # noqa: E402
from dialogue_acts_eval import run_meeting, score  # noqa: E402
from r28_ft_data import split_meetings  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

WORK = Path(__file__).resolve().parents[1] / ".cache" / "r28_ft"  # checkpoints, ONNX files, probabilities (never shipped)
KEYS = ("question", "question_stripped", "recommendation", "action")


def main() -> int:
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import DynamicsConfig, ExtractionConfig

    stage = ExtractionStage(ExtractionConfig(), DynamicsConfig())
    stage._model()
    stage._act_heads()
    before = ExtractionStage(ExtractionConfig(dialogue_act_heads=None), DynamicsConfig(), classifier=stage._classifier,
                             encoder=stage._encoder)
    out: dict = {"command": "python benchmarks/r28_ft_shipped.py (= dialogue_acts_eval.py --split heldout)",
                 "commit": commit(), "date": dt.date.today().isoformat(), "split": "heldout",
                 "heads": stage._heads.meta if stage._heads else None,
                 "lexical_head": stage._heads.lexical.meta if stage._heads and stage._heads.lexical else None}
    per_act: dict = {}
    t0 = time.time()
    for split in ("heldout", "tune"):
        for corpus in CORPORA:
            by_meeting = split_meetings(corpus, split)
            results = {}
            for m, acts in by_meeting.items():
                results[m] = run_meeting(m, acts, stage, before)
                per_act.setdefault(split, {}).setdefault(corpus, {})[m] = {k: sorted(results[m]["shipped"][k]) for k in KEYS}
                print(f"{split} {corpus} {m}: {len(acts)} acts, {time.time() - t0:.0f}s", flush=True)
            if split == "heldout":
                out[corpus] = {"meetings": len(by_meeting), "acts": sum(len(v) for v in by_meeting.values()),
                               **score(corpus, by_meeting, results)}
        if split == "heldout":
            out["seconds"] = round(time.time() - t0)
            path = ROOT / "benchmarks" / "results" / "dialogue_acts_eval_heldout_r28_ft_shipped.json"
            path.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
            print("wrote", path, flush=True)
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "shipped_acts.json").write_text(json.dumps({"commit": commit(), **per_act}) + "\n")
    print("wrote", WORK / "shipped_acts.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Round 29 (issue 10): are verbless listed recommendations ("Or even clear.") less often the corpora's suggestions?

Usage (from the repository root; about 2 minutes)::

    nice -n 10 python benchmarks/r29_fragments.py --out benchmarks/results/r29_fragments_heldout.json

Every held-out TRAIN meeting (MRDA 6, AMI 16; dev never read) goes through the shipped extraction stage, each act one
utterance. Each listed recommendation is parsed (spaCy) and counted as a fragment by three definitions: no verb or
auxiliary; three words or fewer; no verb or two words or fewer. For each, the table gives the listed items, how many
are on a gold suggestion act (MRDA ``^cs``/``^co``, AMI ``sug``), and the F1 the corpus would give if they were dropped.
A measurement for the question "would a fragment gate help", nothing is changed by it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, meetings  # noqa: E402
from dialogue_acts_eval import prf, session_of  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

DEFINITIONS = {"no_verb": lambda v, w: v == 0, "le_3_words": lambda v, w: w <= 3, "no_verb_or_le_2_words": lambda v, w: v == 0 or w <= 2}


def main(argv: list[str] | None = None) -> int:
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.language.nlp import parse_sentence

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    stage = ExtractionStage()
    res: dict = {"command": f"python benchmarks/r29_fragments.py --out {args.out}", "commit": commit(),
                 "date": dt.date.today().isoformat(), "split": "held-out train meetings"}
    for c in CORPORA:
        items, n_gold = [], 0
        for m, acts in meetings(c, "heldout").items():
            out = stage(session_of(m, acts))
            gold = {a.id: a.recommendation for a in acts}
            n_gold += sum(gold.values())
            for u in {r.utterance_id for r in out.recommendations}:  # an item counts on its act, once
                texts = [r.text for r in out.recommendations if r.utterance_id == u]
                toks = [t for s in texts for t in parse_sentence(s, language="en").tokens]
                items.append((bool(gold[u]), sum(t.pos in ("VERB", "AUX") for t in toks), sum(t.pos != "PUNCT" for t in toks)))
        tp = sum(g for g, _, _ in items)
        row: dict = {"listed_acts": len(items), "gold_acts": n_gold, "shipped": prf(tp, len(items) - tp, n_gold - tp)}
        for name, f in DEFINITIONS.items():
            frag = [g for g, v, w in items if f(v, w)]
            k = sum(frag)
            row[name] = {"fragments": len(frag), "on_gold": k, "precision": round(k / len(frag), 3) if frag else None,
                         "f1_if_dropped": prf(tp - k, len(items) - tp - (len(frag) - k), n_gold - tp + k)["f1"]}
        res[c] = row
        print(c, json.dumps(row), flush=True)
    args.out.write_text(json.dumps(res, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

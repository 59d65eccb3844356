"""Round 39 (issue 10): would a commitment that repeats the verb of an offer or request just before be worth listing?

A new user's call: "And I can share my notes on the client escalation process with you." — "Oh, please do." —
"Great, I'll share them this afternoon." The last line is the commitment (with its due date), but the dialogue-act
heads give it 0.15, under the action rule's floor (0.25), so it is no item. A candidate fix: list such a commitment
(the action rule's, not vetoed, under the floor) to check when its verb echoes one said with an object in the three
utterances before (``accept.echoed_task`` finds one). This counts, on real meetings, how many sentences it would add
and how many of them the corpora tag as the speaker's commitment (MRDA ``^cc``, AMI ``off``).

Usage (repository root; about 1 minute for ``heldout``, 6 for ``train``)::

    python benchmarks/r39_echo_floor.py --split train --out benchmarks/results/r39_echo_floor_train.json
    python benchmarks/r39_echo_floor.py --split heldout --out benchmarks/results/r39_echo_floor_heldout.json

Train and held-out train meetings only: the candidate was judged here and never run on dev.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, meetings  # noqa: E402
from dialogue_acts_eval import session_of  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402


def candidates(split: str) -> list[dict]:
    """Every English sentence the action rule finds (not vetoed) that the stage lists as nothing, with the heads'
    action probability, the act's tag and the task an echo would give."""
    from sessionscope.analysis.extract.accept import echoed_task
    from sessionscope.analysis.extract.actions import task_phrase
    from sessionscope.analysis.extract.bare import is_bare, parse_utterances
    from sessionscope.analysis.extract.stage import RULES, ExtractionStage, decide, head_decision, punctuated_floor

    stage = ExtractionStage()
    rows = []
    for corpus in CORPORA:
        for m, acts in sorted(meetings(corpus, split).items()):
            sess = session_of(m, acts)
            parsed = parse_utterances([u.text for u in sess.utterances], language="en")
            proba = stage.probabilities(parsed)
            logits = stage.head_logits(sess, parsed)
            speakers = [u.speaker for u in sess.utterances]
            for i, sents in enumerate(parsed):
                for j, sent in enumerate(sents):
                    hits = {k: r(sent) for k, r in RULES.items()}
                    hit = hits.get("action")
                    if hit is None or hit.veto or logits is None or proba is None:
                        continue
                    d, _ = punctuated_floor(*decide(sent, hits, proba[i][j], stage._heads, logits[i][j], stage.cfg),
                                            bare=is_bare(sess.utterances[i].text))
                    if d is not None:
                        continue
                    _, probs = head_decision(stage._heads, logits[i][j], hits, lexical=True)
                    task = task_phrase(sent, hit, max_words=stage.cfg.max_task_words)
                    rows.append({"corpus": corpus, "meeting": m, "act": acts[i].id, "commitment_tag": acts[i].action,
                                 "p_action": round(float(probs.get("action", 0.0)), 4), "text": sent.text,
                                 "task": task, "echo": echoed_task(sent, task, speakers[i], speakers, parsed, i),
                                 "before": sess.utterances[i - 1].text if i else None})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=("train", "heldout"), required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    rows = candidates(args.split)
    echo = [r for r in rows if r["echo"]]
    res = {"command": f"python benchmarks/r39_echo_floor.py --split {args.split} --out {args.out}", "commit": commit(),
           "date": dt.date.today().isoformat(), "split": args.split,
           "rule_commitments_without_item": len(rows), "of_them_tagged_commitment": sum(r["commitment_tag"] for r in rows),
           "with_echo": len(echo), "with_echo_tagged_commitment": sum(r["commitment_tag"] for r in echo), "echo_rows": echo}
    args.out.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in res.items() if k != "echo_rows"}, indent=1))


if __name__ == "__main__":
    main()

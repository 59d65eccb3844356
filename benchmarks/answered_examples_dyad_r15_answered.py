"""Why the answer head is used only from three speakers on: the two-person example sessions with the head forced on.

Usage: ``python benchmarks/answered_examples_dyad_r15_answered.py`` → ``benchmarks/results/answered_examples_dyad_r15_answered.json``.
"Answered right" of the gold questions found on ``examples/en_session`` (two people) with the rule (shipped for
two people) and with the answer head forced on (``ANSWER_HEAD_MIN_SPEAKERS`` set to 2 for this run only), with each
question's best candidate probability.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import ROOT  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402


def main() -> int:
    import sessionscope.analysis.questions as q
    from sessionscope.config import DynamicsConfig
    from sessionscope.model import Utterance

    dyn = DynamicsConfig()
    gold = json.loads((ROOT / "examples" / "en_session" / "gold.json").read_text(encoding="utf-8"))
    want = {g["utterance_id"]: g["answered"] for g in gold["questions"]}
    utts = sorted((Utterance(id=u["id"], speaker=u["speaker"], start=u["start"], end=u["end"], text=u["text"])
                   for u in gold["utterances"]), key=lambda u: u.start)
    kw = {"language": "en", "backchannels": dyn.backchannels, "backchannel_max_words": dyn.backchannel_max_words,
          "answer_max_utterances": dyn.answer_max_utterances, "answer_max_latency_s": dyn.answer_max_latency_s}
    head = q.bundled_answer_head()
    assert head is not None, "no answer head shipped"
    out: dict = {"command": "python benchmarks/answered_examples_dyad_r15_answered.py", "commit": commit(),
                 "threshold": head.threshold}
    shipped = {e.utterance_id: e.answered for e in q.find_questions(utts, **kw)}
    saved = q.ANSWER_HEAD_MIN_SPEAKERS
    try:
        q.ANSWER_HEAD_MIN_SPEAKERS = 2
        forced = {e.utterance_id: e for e in q.find_questions(utts, **kw)}
    finally:
        q.ANSWER_HEAD_MIN_SPEAKERS = saved
    both = sorted(set(forced) & set(want))
    out["answered_right_shipped"] = round(sum(shipped[u] == want[u] for u in both) / len(both), 3)
    out["answered_right_head_forced"] = round(sum(forced[u].answered == want[u] for u in both) / len(both), 3)
    idx = {u.id: i for i, u in enumerate(utts)}
    rows = []
    for u in both:
        i = idx[u]
        _, window = q.reply_window(utts, i, dyn.answer_max_utterances, dyn.answer_max_latency_s)
        qs = [forced[u].text]
        rule = q._rule_answer(utts, window, qs, list(dyn.backchannels), dyn.backchannel_max_words, "en")
        p = head.scores(utts, i, window, qs, rule, list(dyn.backchannels), dyn.backchannel_max_words)
        rows.append({"utterance_id": u, "gold": want[u], "shipped": shipped[u], "head_forced": forced[u].answered,
                     "best_p": round(max(p), 3) if p else None})
    out["questions"] = rows
    path = ROOT / "benchmarks" / "results" / "answered_examples_dyad_r15_answered.json"
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps({k: out[k] for k in ("answered_right_shipped", "answered_right_head_forced")}), "wrote", path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

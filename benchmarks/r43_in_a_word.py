"""Round 43 (issue 10): a fourth new-user pass over one-to-one calls — what the fixes change on real talk, and how often
the corpora hold the two cases.

The pass found: a commitment made in a word to the other's advice or request ("Sign up for the course before the end
of the month." — "Will do."; «Запишитесь до конца месяца.» — «Запишусь.») gave no action item
(:func:`sessionscope.analysis.extract.accept.commits_in_a_word`, :func:`sessionscope.analysis.extract.stage.in_a_word`);
"Book a room for the workshop." — "OK, I'll book it tomorrow." took its object from a sentence two lines up (the
tagger reads a sentence-opening "Book" as a noun); a Russian task handed to the listener was listed in the second
person («Посмотрите каналы продаж…»; now «посмотреть каналы продаж…», :func:`sessionscope.language.morph.task_for_listener`);
the other one's «моей команде» under the listener's name (now «команде Сергея» in the reports).

Usage (repository root)::

    git worktree add -f <scratch dir>/before <round's base commit>
    PYTHONPATH=<scratch dir>/before/src python benchmarks/r42_call_pass.py read --out <scratch dir>/r43_before.json
    python benchmarks/r42_call_pass.py read --out <scratch dir>/r43_after.json
    python benchmarks/r43_in_a_word.py compare --before <scratch dir>/r43_before.json \\
        --after <scratch dir>/r43_after.json --out benchmarks/results/r43_in_a_word.json
    python benchmarks/r43_in_a_word.py counts --out benchmarks/results/r43_corpus_counts.json

The reads are round 42's (:mod:`r42_call_pass`: every held-out train meeting of MRDA and AMI, never dev;
the Zoom class, SBC001, SBC009, SBC044, QMSum's ES2004a–d and the two examples' reference transcripts; every item's
task, owner, due date, confidence, to-check mark and method), about 7 minutes each. ``counts`` (about 1 minute): on
the train meetings of both corpora (never dev), (1) every act that commits in a word (the shipped function) right
after another speaker's act, with both acts' gold labels; (2) every act that opens with a condition ("if / when / once
…") and goes on "I'll / I will …", the case this round left as it was, with its gold label.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _before_after import cli, compare_reads  # noqa: E402
from dialogue_acts import CORPORA, meetings, write_result  # noqa: E402
from r40_request_tasks import FILES  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

_CONDITIONAL = re.compile(r"^(?:\W*(?:and|so|but|okay|ok|well|uh|um|yeah)\W+)*(?:if|when|once|as soon as)\b.{3,120}?"
                          r"\bi(?:'ll| will| am going to|'m going to|'m gonna)\s+\w+", re.IGNORECASE)
_SHORT = re.compile(r"^\W*(?:\w+\W+){0,5}\w*\W*$")  # at most six words: what can commit in a word


def counts(out: Path) -> dict:
    from sessionscope.analysis.extract.accept import commits_in_a_word, other_before
    from sessionscope.language.nlp import parse_texts

    res: dict = {"command": f"python benchmarks/r43_in_a_word.py counts --out {out}", "commit": commit(),
                 "split": "train meetings of the dialogue-act splits (never dev)", "corpora": {}}
    for corpus in CORPORA:
        in_a_word, conditional = [], []
        for m, acts in sorted(meetings(corpus, "train").items()):
            speakers = [a.speaker for a in acts]
            for i, a in enumerate(acts):
                if _CONDITIONAL.search(a.text):
                    conditional.append({"meeting": m, "text": a.text, "label": a.label, "gold_commitment": a.action})
                k = other_before(a.speaker, speakers, i)
                if k is None or not _SHORT.match(a.text):
                    continue
                sent, before = parse_texts([a.text, acts[k].text], language="en")
                if not sent or not commits_in_a_word(sent[0], before):
                    continue
                in_a_word.append({"meeting": m, "before": acts[k].text, "before_label": acts[k].label,
                                  "before_gold_advice": acts[k].recommendation, "text": a.text, "label": a.label,
                                  "gold_commitment": a.action})
        summary = {"in_a_word": len(in_a_word), "in_a_word_gold_commitment": sum(r["gold_commitment"] for r in in_a_word),
                   "in_a_word_after_gold_advice": sum(r["before_gold_advice"] for r in in_a_word),
                   "conditional": len(conditional),
                   "conditional_gold_commitment": sum(r["gold_commitment"] for r in conditional)}
        print(corpus, json.dumps(summary))
        res["corpora"][corpus] = {"summary": summary, "in_a_word": in_a_word, "conditional": conditional}
    write_result(res, out)
    return res


def compare(before: Path, after: Path, out: Path) -> dict:
    return compare_reads(before, after, out, script="r43_in_a_word.py", unit="item", files=FILES)


if __name__ == "__main__":
    cli(__doc__, counts, compare, read_cmd="counts")

"""Round 45 (issue 10): a sixth new-user pass over one-to-one calls, the whole summary read as the pair reads it —
what the fixes change on real talk, and how often the corpora hold what they read.

The pass found: "I'll talk to Marco tomorrow and send the client two options by Wednesday." was one task due tomorrow
(:func:`sessionscope.analysis.extract.recap.dated_conjuncts`); «Я подготовлю предложение по автотестам и отправлю его
Игорю до четверга.» read «отправлю его Игорю»; a Russian recap task lost its object clause («рассказать»); «скажи на
планёрке первым: …, давайте обсудим» was no advice but the pair's task «обсудим»; "And loop in Marco…" was no advice;
"I'll try it next week and tell you how it went." after a question and its answer between read "try it…"; "I'll bring
it up at the planning meeting" read "bring your dashboard up…"; «напишу ей» did not say to whom; "The junior came with
questions" was met by «Как ваши дела?» and «Через две недели в то же время?»
(:func:`sessionscope.analysis.questions.social_question`).

Usage (repository root)::

    git worktree add -f <scratch dir>/before <round's base commit>
    PYTHONPATH=<scratch dir>/before/src python benchmarks/r42_call_pass.py read --out <scratch dir>/r45_before.json
    python benchmarks/r42_call_pass.py read --out <scratch dir>/r45_after.json
    python benchmarks/r45_summary_pass.py compare --before <scratch dir>/r45_before.json \\
        --after <scratch dir>/r45_after.json --out benchmarks/results/r45_summary_pass.json
    python benchmarks/r45_summary_pass.py counts --out benchmarks/results/r45_corpus_counts.json

The reads are round 42's (:mod:`r42_call_pass`: every held-out train meeting of MRDA and AMI, never dev; the Zoom
class, SBC001, SBC009, SBC044, QMSum's ES2004a–d and the two examples' reference transcripts). ``counts`` (a few
minutes: it parses the candidates): on the train meetings of both corpora (never dev), every act (1) that is a
question of courtesy or arranging the next meeting said whole (``social_question``), with its gold question label, and
(2) that names two tasks with a due expression each (``dated_pairs``: where an action item would be cut in two), with
its gold commitment label, and (3) that offers to do something and is taken up by the next speaker
(``offer.offered_verb``, ``offer.takes_offer``), with the offer's gold commitment label.
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

_CONJ = re.compile(r"\b(?:and|then)\b", re.IGNORECASE)


def counts(out: Path) -> dict:
    from sessionscope.analysis.extract.dates import find_due
    from sessionscope.analysis.extract.offer import _EN_OFFER, _EN_TAKES, offered_verb
    from sessionscope.analysis.extract.recap import dated_pairs
    from sessionscope.analysis.questions import social_question
    from sessionscope.language.nlp import parse_texts

    res: dict = {"command": f"python benchmarks/r45_summary_pass.py counts --out {out}", "commit": commit(),
                 "split": "train meetings of the dialogue-act splits (never dev)", "corpora": {}}
    for corpus in CORPORA:
        social: list[dict] = []
        candidates = []
        offers = []
        for m, acts in sorted(meetings(corpus, "train").items()):
            for k, a in enumerate(acts):
                nxt = acts[k + 1] if k + 1 < len(acts) else None
                if nxt is not None and nxt.speaker != a.speaker and _EN_OFFER.match(a.text.lstrip()) \
                        and _EN_TAKES.match(" ".join(nxt.text.split())):
                    offers.append((m, a, nxt))
                if social_question(a.text):
                    social.append({"meeting": m, "text": a.text, "label": a.label, "gold_question": a.question})
                if _CONJ.search(a.text) and find_due(a.text) is not None:
                    candidates.append((m, a))
        dated: list[dict] = []
        for (m, a), sents in zip(candidates, parse_texts([a.text for _m, a in candidates], language="en"), strict=True):
            for sent in sents:
                for _k, _v, first, second in dated_pairs(sent):
                    dated.append({"meeting": m, "text": a.text, "label": a.label, "first": first.text,
                                  "second": second.text, "gold_commitment": a.action})
                    break
        taken = [{"meeting": m, "text": a.text, "reply": nxt.text, "label": a.label, "gold_commitment": a.action}
                 for (m, a, nxt), sents in zip(offers, parse_texts([a.text for _m, a, _n in offers], language="en"),
                                               strict=True) if sents and offered_verb(sents[-1]) is not None]
        summary = {"social_question": {"acts": len(social), "gold_question": sum(r["gold_question"] for r in social)},
                   "two_dated_tasks": {"acts": len(dated), "gold_commitment": sum(r["gold_commitment"] for r in dated)},
                   "offer_taken_up": {"acts": len(taken), "gold_commitment": sum(r["gold_commitment"] for r in taken)}}
        print(corpus, json.dumps(summary))
        res["corpora"][corpus] = {"summary": summary, "social_question": social, "two_dated_tasks": dated,
                                  "offer_taken_up": taken}
    write_result(res, out)
    return res


def compare(before: Path, after: Path, out: Path) -> dict:
    return compare_reads(before, after, out, script="r45_summary_pass.py", unit="item", files=FILES)


if __name__ == "__main__":
    cli(__doc__, counts, compare, read_cmd="counts")

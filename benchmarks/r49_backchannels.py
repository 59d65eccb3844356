"""Which utterances are backchannels: the dynamics' rule against MRDA's and AMI's backchannel tags (round 49).

A backchannel ("yeah", "mm-hmm", «угу»: ``dynamics.backchannels``, at most ``backchannel_max_words`` words) takes no
floor: it starts no turn, interrupts nobody and answers no open question (docs/metrics.md). Gold: MRDA acts whose
only general tag is ``b`` (backchannel), AMI acts of type ``bck``. Each act is one utterance, as the corpora segment
them; precision and recall of :func:`sessionscope.analysis.dynamics.backchannel` on them, with the shipped list and,
with ``--words``, another list (comma-separated; ``--words before`` is the list of rounds 1–48).

Usage (from the repository root; seconds)::

    python benchmarks/r49_backchannels.py --split heldout --json benchmarks/results/r49_backchannels_heldout.json
    python benchmarks/r49_backchannels.py --split dev --json benchmarks/results/r49_backchannels_dev.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, Act, meetings, mrda_parts, write_result  # noqa: E402
from dialogue_acts_eval import prf, session_of  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402


def gold_backchannel(a: Act) -> bool:
    if a.corpus == "mrda":
        return {g for g, _ in mrda_parts(a.label)} == {"b"}
    return a.label == "bck"


def score(corpus: str, split: str, words: list[str]) -> dict[str, Any]:
    from sessionscope.analysis.dynamics import backchannel
    from sessionscope.config import DynamicsConfig

    cfg = DynamicsConfig(backchannels=words)
    c: Counter = Counter()
    missed: Counter = Counter()
    extra: Counter = Counter()
    for m, acts in sorted(meetings(corpus, split).items()):
        sess = session_of(m, acts)
        for a, u in zip(acts, sess.utterances, strict=True):
            g, p = gold_backchannel(a), backchannel(u, cfg)
            c[g, p] += 1
            if g and not p:
                missed[" ".join(a.text.lower().split())[:30]] += 1
            elif p and not g:
                extra[" ".join(a.text.lower().split())[:30]] += 1
    return {"acts": sum(c.values()), "gold": c[True, True] + c[True, False],
            **prf(c[True, True], c[False, True], c[True, False]),
            "most_missed": missed.most_common(10), "most_extra": extra.most_common(10)}


def main(argv: list[str] | None = None) -> int:
    from sessionscope.analysis.questions import ANSWER_HEAD_BACKCHANNELS
    from sessionscope.config import DynamicsConfig

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="heldout", choices=("heldout", "dev"))
    ap.add_argument("--words", default=None, help="'before' (rounds 1-48) or a comma-separated list (default: shipped)")
    ap.add_argument("--json", type=Path, required=True)
    args = ap.parse_args(argv)
    shipped = list(DynamicsConfig().backchannels)
    if args.words == "before":  # the default of rounds 1-48, which the bundled answer head was trained with
        words = list(ANSWER_HEAD_BACKCHANNELS)
    elif args.words:
        words = [w.strip() for w in args.words.split(",") if w.strip()]
    else:
        words = shipped
    out: dict[str, Any] = {"command": f"python benchmarks/r49_backchannels.py --split {args.split}"
                                      + (f" --words {args.words}" if args.words else ""),
                           "commit": commit(), "date": dt.date.today().isoformat(), "words": words}
    for corpus in CORPORA:
        out[corpus] = score(corpus, args.split, words)
        print(corpus, {k: out[corpus][k] for k in ("acts", "gold", "p", "r", "f1")})
    write_result(out, args.json, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

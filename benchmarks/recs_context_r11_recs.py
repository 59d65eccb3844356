"""Round 11 (recs): three dialogue-context cues for missed suggestions, counted before any code was written.

Usage (from the repository root)::

    nice -n 10 python benchmarks/recs_context_r11_recs.py --out benchmarks/results/recs_context_r11_recs.json

Each cue is counted against the corpus gold (MRDA ``^cs``/``^co``, AMI ``sug``); a cue would only be worth a feature
or a rule if the acts it marks were suggestions far more often than the acts around them:

* ``elicited`` (held-out train meetings): another speaker asked for ideas within the three acts before ("what do you
  think", "any ideas", "what should we…", "how about you", "should we…"): is the act a suggestion?
* ``short_after_question`` (train meetings): an act of at most five words right after another speaker's question
  (a "?" or a wh-opening) — the "a round one" answers: is it a suggestion?
* ``continuation`` (held-out train meetings, with the shipped items of ``recs_r10_recs.py rows``): the act after a
  found recommendation by the same speaker (other speakers' replies of one or two words skipped) that the shipped code
  does not find, opening with "and", "or", "but", "so", "if", "maybe"…: is it a suggestion?

Counts only; no text is written. No dev meeting is read.
"""

from __future__ import annotations

import argparse
import collections
import json
import pickle
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, meetings  # noqa: E402
from recs_r10_recs import ROWS  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

ELICIT = re.compile(r"\b(what do (you|we) think|any (other )?(ideas|suggestions|thoughts)|what (should|shall|could|can|do) "
                    r"(we|i)\b|how (should|shall|could|can|do) (we|i)\b|what would you (suggest|recommend|do)|what else|"
                    r"which one|what about you|do you have (any )?(ideas|suggestions)|should we|shall we|"
                    r"what's your (idea|opinion|suggestion)|your (ideas|opinion|suggestions))", re.I)
WH_OPEN = re.compile(r"^((um|uh|so|and|okay|well|but)\s+)*(what|which|how|where|when|who|any)\b")
CONTINUATION = re.compile(r"^((um|uh)\s+)*(and|or|but|so|then|with|like|if|because|cause|'cause|instead|maybe|just)\b")
_WORD = re.compile(r"[a-z']+")


def _table(counter: collections.Counter) -> dict:
    """``{cue on/off: {"acts", "suggestions", "share"}}`` from a Counter of ``(cue, gold)``."""
    out = {}
    for cue in (True, False):
        n = counter[(cue, True)] + counter[(cue, False)]
        out["cue" if cue else "no cue"] = {"acts": n, "suggestions": counter[(cue, True)],
                                          "share": round(counter[(cue, True)] / n, 4) if n else None}
    return out


def elicited() -> dict:
    out = {}
    for c in CORPORA:
        st: collections.Counter = collections.Counter()
        for acts in meetings(c, "heldout").values():
            for i, a in enumerate(acts):
                cue = any(acts[k].speaker != a.speaker and ELICIT.search(acts[k].text) for k in range(max(0, i - 3), i))
                st[(cue, a.recommendation)] += 1
        out[c] = _table(st)
    return out


def short_after_question() -> dict:
    out = {}
    for c in CORPORA:
        st: collections.Counter = collections.Counter()
        for acts in meetings(c, "train").values():
            for i, a in enumerate(acts):
                w = _WORD.findall(a.text.lower())
                if not w or len(w) > 5:
                    continue
                prev = next((acts[k] for k in (i - 1, i - 2) if k >= 0 and acts[k].speaker != a.speaker), None)
                cue = prev is not None and ("?" in prev.text or WH_OPEN.search(prev.text.lower()) is not None)
                st[(cue, a.recommendation)] += 1
        out[c] = _table(st)
    return out


def shipped_acts() -> dict[str, set[int]]:
    """Per held-out meeting, the indices of the acts the shipped code finds a recommendation on (``recs_r10_recs.py rows``)."""
    with ROWS.open("rb") as fh:
        rows = pickle.load(fh)["rows"]
    found: dict[str, set[int]] = collections.defaultdict(set)
    for r in rows:
        if r["shipped"]:
            found[r["meeting"]].add(r["i"])
    return found


def continuation() -> dict:
    found = shipped_acts()
    out = {}
    for c in CORPORA:
        st: collections.Counter = collections.Counter()
        for m, acts in meetings(c, "heldout").items():
            for i, a in enumerate(acts):
                if i == 0 or i in found[m]:
                    continue
                k = i - 1
                while k >= 0 and acts[k].speaker != a.speaker and len(acts[k].text.split()) <= 2:
                    k -= 1
                if k < 0 or acts[k].speaker != a.speaker or k not in found[m]:
                    continue
                st[(CONTINUATION.search(a.text.lower()) is not None, a.recommendation)] += 1
        out[c] = _table(st)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path)
    a = ap.parse_args(argv)
    res = {"command": "python benchmarks/recs_context_r11_recs.py " + " ".join(argv if argv is not None else sys.argv[1:]),
           "commit": commit(), "split": "held-out train meetings (elicited, continuation), train meetings (short_after_question)",
           "elicited": elicited(), "short_after_question": short_after_question(), "continuation": continuation()}
    text = json.dumps(res, indent=1)
    if a.out:
        a.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

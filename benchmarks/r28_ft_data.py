"""Round 28 (issue 10): data of the fine-tuned act tagger (MRDA + AMI acts, previous act as context).

Splits (never the corpora's dev split): ``heldout`` = the held-out 15 % of train meetings of
:mod:`dialogue_acts` (scored once per final variant); ``tune`` = a fixed ~10 % of the remaining
train meetings (CRC32 of ``"tune:" + meeting``), for choosing thresholds and the checkpoint;
``fit`` = the rest, for fine-tuning. Gold labels are the :class:`dialogue_acts.Act` booleans.
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import CORPORA, Act, meetings  # noqa: E402

TUNE_PERCENT = 10
KINDS = ("question", "recommendation", "action")


def tune_meeting(meeting: str) -> bool:
    """A fixed ~10 % of the (non-held-out) train meetings, for thresholds and checkpoints."""
    return zlib.crc32(f"tune:{meeting}".encode()) % 100 < TUNE_PERCENT


def split_meetings(corpus: str, split: str) -> dict[str, list[Act]]:
    """``fit`` / ``tune`` (train meetings) or ``heldout`` (the held-out train meetings), meeting → acts."""
    if split == "heldout":
        return meetings(corpus, "heldout")
    if split not in ("fit", "tune"):
        raise ValueError(split)
    return {m: a for m, a in meetings(corpus, "train").items() if tune_meeting(m) == (split == "tune")}


def bare(text: str) -> str:
    """All punctuation and capitals removed (the shipped stripping of the evaluation)."""
    from sessionscope.analysis.extract.heads import strip_punctuation

    return strip_punctuation(text)


def pair(acts: list[Act], i: int, *, strip: bool) -> tuple[str, str]:
    """(previous segment, current act) texts: the previous act with a speaker-change word, or "start"."""
    cur = acts[i].text
    if i == 0:
        prev = "start"
    else:
        p = acts[i - 1]
        prev = ("same " if p.speaker == acts[i].speaker else "other ") + (bare(p.text) if strip else p.text)
    return prev, bare(cur) if strip else cur


def summary() -> dict:
    out = {}
    for c in CORPORA:
        for s in ("fit", "tune", "heldout"):
            ms = split_meetings(c, s)
            acts = [a for v in ms.values() for a in v]
            out[f"{c}/{s}"] = {"meetings": len(ms), "acts": len(acts), **{k: sum(getattr(a, k) for a in acts) for k in KINDS}}
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(summary(), indent=1))

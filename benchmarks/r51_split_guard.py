"""A sentence split between two speakers read as a cut-off: would a lower-case guard help? (round 51, not shipped)

In a caption file or a recogniser's output a speaker change can fall inside one sentence (Zoom gave Conor Healy's
"And then" to another participant; the next cue, "this is the code…", goes on in lower case). The cut-off model reads
such an A as left hanging. The guard measured here: B starts in lower case (not "i") after an A without a final mark
(. ? ! …) — the sentence goes on, so no cut-off. AMI is the only capitalised corpus here (fragments at a floor change
as the proxy gold, ``r49_interruptions.ami_cut_off_ids``), act by act, as recorded and made serial; the English model.

Usage (from the repository root; about a minute)::

    python benchmarks/r51_split_guard.py --split heldout --out benchmarks/results/r51_split_guard_heldout.json
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import meetings, split_run, write_result  # noqa: E402
from r51_question_guard import scored, tally  # noqa: E402
from train_cutoffs import units  # noqa: E402

_LETTER = re.compile(r"[^\W\d_]")


def goes_on(a_text: str, b_text: str) -> bool:
    """B starts in lower case (not "i") after an A without a final mark."""
    m = _LETTER.search(b_text)
    return (not a_text.rstrip().endswith((".", "?", "!", "…")) and m is not None and m.group(0).islower()
            and not re.match(r"\s*i\b", b_text))


def main(argv: list[str] | None = None) -> int:
    from sessionscope.analysis.dynamics import interruptions
    from sessionscope.config import DynamicsConfig

    args, head = split_run(__doc__, argv, "r51_split_guard.py")
    cfg = DynamicsConfig()
    out: dict[str, Any] = {**head, "corpus": "ami"}
    for serial in (False, True):
        res: dict[str, list[int]] = {}
        n_cut = 0
        for _, acts in sorted(meetings("ami", args.split).items()):
            us = units(acts, "act", serial=serial)
            cut = {u.id for u, g in us if g}
            n_cut += len(cut)
            text = {u.id: u.text for u, _ in us}
            found = interruptions([u for u, _ in us], cfg, "en")
            for name, keep in (("none", found),
                               ("guard", [i for i in found if not goes_on(text[i.interrupted_id], text[i.utterance_id])])):
                tally(res, name, keep, cut)
        row = scored(res, n_cut)
        out["serial" if serial else "recorded"] = row
        print("serial" if serial else "recorded", row)
    write_result(out, args.out, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

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

import argparse
import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import meetings, write_result  # noqa: E402
from train_cutoffs import units  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

_LETTER = re.compile(r"[^\W\d_]")


def goes_on(a_text: str, b_text: str) -> bool:
    """B starts in lower case (not "i") after an A without a final mark."""
    m = _LETTER.search(b_text)
    return (not a_text.rstrip().endswith((".", "?", "!", "…")) and m is not None and m.group(0).islower()
            and not re.match(r"\s*i\b", b_text))


def main(argv: list[str] | None = None) -> int:
    from sessionscope.analysis.dynamics import interruptions
    from sessionscope.config import DynamicsConfig

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="heldout", choices=("heldout", "dev"))
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    cfg = DynamicsConfig()
    out: dict[str, Any] = {"command": "python benchmarks/r51_split_guard.py " + " ".join(
        argv if argv is not None else sys.argv[1:]), "commit": commit(), "date": dt.date.today().isoformat(),
        "split": args.split, "corpus": "ami"}
    for serial in (False, True):
        res = {k: [0, 0, 0] for k in ("none", "guard")}
        n_cut = 0
        for _, acts in sorted(meetings("ami", args.split).items()):
            us = units(acts, "act", serial=serial)
            cut = {u.id for u, g in us if g}
            n_cut += len(cut)
            text = {u.id: u.text for u, _ in us}
            found = interruptions([u for u, _ in us], cfg, "en")
            for name, keep in (("none", found),
                               ("guard", [i for i in found if not goes_on(text[i.interrupted_id], text[i.utterance_id])])):
                res[name][0] += len(keep)
                res[name][1] += sum(i.interrupted_id in cut for i in keep)
                res[name][2] += len({i.interrupted_id for i in keep} & cut)
        row: dict[str, Any] = {"cut_off_acts": n_cut}
        for name, (n, on, hit) in res.items():
            p, r = on / max(1, n), hit / max(1, n_cut)
            row[name] = {"counted": n, "precision": round(p, 3), "recall": round(r, 3),
                         "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}
        out["serial" if serial else "recorded"] = row
        print("serial" if serial else "recorded", row)
    write_result(out, args.out, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Round 20 (asrgap): how much of the recovered text repeats text the first pass already delivered?

    .venv/bin/python benchmarks/r20_asrgap_probe_dupes.py --json benchmarks/results/r20_asrgap_probe_dupes_dev.json

Reads ``r20_asrgap_prefix_probe_dev.json`` (the encoder-reuse probe and the round-9 second pass, libri-dev) and
``r20_asrgap_recover_dev.json`` (the first pass's text of the same files, variant ``base``). A recovered word counts
as a repeat when the word trigram starting at it (lower case, letters only) occurs in the first pass's text.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asr_wer import ROOT, write_result  # noqa: E402

RES = ROOT / "benchmarks/results"


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def repeats(text: str, first: str) -> tuple[int, int]:
    """(words, words starting a trigram found in ``first``)."""
    ws, fs = tokens(text), tokens(first)
    grams = {tuple(fs[i: i + 3]) for i in range(len(fs) - 2)}
    return len(ws), sum(1 for i in range(len(ws) - 2) if tuple(ws[i: i + 3]) in grams)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    probe = json.loads((RES / "r20_asrgap_prefix_probe_dev.json").read_text(encoding="utf-8"))
    first = json.loads((RES / "r20_asrgap_recover_dev.json").read_text(encoding="utf-8"))
    out: dict[str, Any] = {"files": {}}
    tot = {"second_pass": [0, 0], "probe": [0, 0]}
    for uri, f in probe["files"].items():
        base = first["files"][uri]["base"]["text"]
        row = {}
        for k in ("second_pass", "probe"):
            n, rep = repeats(f[k]["text"].replace("|", " "), base)
            row[k] = {"words": n, "repeated": rep}
            tot[k][0] += n
            tot[k][1] += rep
        out["files"][uri] = row
    out["total"] = {k: {"words": v[0], "repeated": v[1]} for k, v in tot.items()}
    print(out["total"])
    if args.json:
        write_result(args.json, "r20_asrgap_probe_dupes.py", "DEVELOPMENT (libri-dev)", out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

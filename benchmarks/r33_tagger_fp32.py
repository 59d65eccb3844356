"""Round 33 (issue 10): the English act tagger's ONNX graph, int8 with per-token scales, dynamic int8 and float32.

Usage (from the repository root; ~4 min on 2 cores)::

    nice -n 10 python benchmarks/r33_tagger_fp32.py --compare int8-dynamic int8 --out benchmarks/results/r33_tagger_int8.json
    nice -n 10 python benchmarks/r33_tagger_fp32.py --compare int8-dynamic fp32 --out …
    nice -n 10 python benchmarks/r33_tagger_fp32.py --compare int8-dynamic int8 --split dev --out …

Round 32 (``r32_tagger_batch.py``) found that the int8 graph of rounds 29–32 (``tagger.PRECISION = "int8-dynamic"``,
ONNX Runtime's ``quantize_dynamic``) gives logits of a sentence that depend on its batch: it sets each activation's
int8 scale per run. Two graphs without that: ``fp32`` (the fine-tuned model's own logits, about twice the time) and
``int8`` (round 33's :func:`~sessionscope.analysis.extract.tagger.per_token_int8`: one scale per token). This runs the
whole extraction stage (``ExtractionStage()(session)``) on every held-out train meeting of MRDA and AMI (``--split
dev``: the dev meetings, run once, after the decision) with each of the two graphs of ``--compare`` and reports the
tagger logits that differ and the recommendations, action items and questions listed, with their corpus gold figures
(F1 against MRDA ``^cs``/``^co``, ``^cc``, ``q*``; AMI ``sug``, ``off``, ``el.*``) under each graph's name, and each
run's wall seconds (the first run of a graph exports it into the model cache).

``r33_tagger_fp32.json`` was written by this script's first version, when the dynamic graph was still named ``int8``:
its ``int8`` is today's ``int8-dynamic``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import ROOT  # noqa: E402
from r32_tagger_batch import compare, stage_items  # noqa: E402


def run(precision: str, split: str) -> dict:
    from sessionscope.analysis.extract import tagger

    saved = tagger.PRECISION
    tagger.PRECISION = precision
    tagger.bundled_act_tagger.cache_clear()
    try:
        assert tagger.bundled_act_tagger() is not None, "the act tagger does not load here"
        return stage_items(split)
    finally:
        tagger.PRECISION = saved
        tagger.bundled_act_tagger.cache_clear()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="heldout", choices=("heldout", "dev"))
    ap.add_argument("--compare", nargs=2, default=["int8-dynamic", "int8"], metavar=("BEFORE", "AFTER"),
                    help="two of tagger.PRECISIONS")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    first, second = args.compare
    t = time.time()
    a = run(first, args.split)
    t1 = time.time()
    b = run(second, args.split)
    t2 = time.time()
    cmd = f"python benchmarks/r33_tagger_fp32.py --compare {first} {second}" + (" --split dev" if args.split == "dev" else "")
    res = {"command": cmd + (f" --out {args.out}" if args.out else ""), "commit": commit, "date": dt.date.today().isoformat(),
           "split": "held-out train meetings (MRDA 6, AMI 16)" if args.split == "heldout" else "dev meetings",
           "seconds": {first: round(t1 - t, 1), second: round(t2 - t1, 1)}, **compare(a, b, (first, second))}
    print(json.dumps({k: res[k] for k in ("tagger_logits", "per_corpus", "seconds")}, indent=1))
    if args.out:
        args.out.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

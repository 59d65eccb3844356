"""Round 29 (issue 10): action items — the act tagger's logits in the shipped action stacker's own form (mlp+rules).

Usage (from the repository root; a few minutes once ``train_act_tagger.py`` has filled its caches)::

    nice -n 10 python benchmarks/r29_action_nolex.py --out benchmarks/results/r29_action_nolex.json

The OOF search of ``train_act_lexical.stack`` (held-out train meetings + written EN dev rows) with the inputs the
shipped action stacker uses (``mlp+rules``, no lexical logits), without and with the tagger's three logits, over 6
fold seeds (seed 0 = the shipped folds), and a 1,000-draw meeting bootstrap of the mean per-corpus F1 difference on the
shipped folds (``r29_tagger_bootstrap.compare``). The ship rule (progress notes, written before scoring): objective
>= +0.02, no corpus F1 lower by more than 0.01, written EN F1 not lower, bootstrap 2.5 % point > 0 and every fold
seed's objective higher.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_act_lexical as tal  # noqa: E402
from r29_tagger_bootstrap import compare, tagger_inputs  # noqa: E402
from train_dialogue_acts import KINDS, commit  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    d = tal.data()
    hz_tag, wz_tag = tagger_inputs(d)
    k = KINDS.index("action")
    res: dict = {"command": f"python benchmarks/r29_action_nolex.py --out {args.out}", "commit": commit(),
                 "date": dt.date.today().isoformat(),
                 **compare(d, k, tal.columns(d["hz"], d["hev"], k, None, True), tal.columns(d["wz"], d["wev"], k, None, True),
                           hz_tag, wz_tag)}
    s0 = res["fold_seeds"][0]
    res["rule_met"] = bool(s0["objective"][1] - s0["objective"][0] >= 0.02
                           and all(v[1] - v[0] >= -0.01 for v in s0["meetings_f1"].values())
                           and s0["written_with"] >= s0["written_without"] and res["bootstrap_shipped_folds"]["p2.5"] > 0
                           and all(r["objective"][1] > r["objective"][0] for r in res["fold_seeds"]))
    args.out.write_text(json.dumps(res, indent=1) + "\n")
    print(json.dumps({"bootstrap": res["bootstrap_shipped_folds"], "rule_met": res["rule_met"]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

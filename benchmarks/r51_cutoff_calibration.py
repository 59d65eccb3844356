"""Is a counted interruption's probability a measured confidence? Precision by probability band (round 51).

Each interruption the cut-off model counts carries the model's probability (``session.json``:
``metrics.interruption_events[].probability``). This scores them by band against the annotations, through
``analysis.dynamics.interruptions`` with the default settings, act by act, as ``r50_cutoffs.py`` reads the meetings:
MRDA (an act marked ``%-`` is cut off) and AMI (a fragment at a floor change, the proxy of
``r49_interruptions.ami_cut_off_ids``), as recorded and made serial (``train_cutoffs.serialise``: the serial
threshold). An interruption is right when the utterance it cuts is a cut-off act.

Usage (from the repository root; about a minute per split)::

    python benchmarks/r51_cutoff_calibration.py --split heldout --out benchmarks/results/r51_cutoff_calibration_heldout.json
    python benchmarks/r51_cutoff_calibration.py --split dev --out benchmarks/results/r51_cutoff_calibration_dev.json
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import meetings, split_run, write_result  # noqa: E402
from train_cutoffs import units  # noqa: E402

BANDS = ((0.0, 0.35), (0.35, 0.5), (0.5, 0.7), (0.7, 1.01))


def bands(rows: list[tuple[float, bool]]) -> list[dict[str, Any]]:
    out = []
    for lo, hi in BANDS:
        sel = [(p, g) for p, g in rows if lo <= p < hi]
        if sel:
            out.append({"band": [lo, min(hi, 1.0)], "n": len(sel), "mean_probability": round(sum(p for p, _ in sel) / len(sel), 3),
                        "precision": round(sum(g for _, g in sel) / len(sel), 3)})
    return out


def main(argv: list[str] | None = None) -> int:
    from sessionscope.analysis.dynamics import interruptions
    from sessionscope.config import DynamicsConfig

    args, head = split_run(__doc__, argv, "r51_cutoff_calibration.py")
    cfg = DynamicsConfig()
    out: dict[str, Any] = {**head}
    for corpus in ("mrda", "ami"):
        for serial in (False, True):
            rows: list[tuple[float, bool]] = []
            for _, acts in sorted(meetings(corpus, args.split).items()):
                us = units(acts, "act", serial=serial)
                cut = {u.id for u, g in us if g}
                rows += [(i.probability, i.interrupted_id in cut)
                         for i in interruptions([u for u, _ in us], cfg, "en") if i.probability is not None]
            key = f"{corpus}{'_serial' if serial else ''}"
            out[key] = {"counted": len(rows), "precision": round(sum(g for _, g in rows) / max(1, len(rows)), 3),
                        "by_band": bands(rows)}
            print(key, out[key])
    write_result(out, args.out, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

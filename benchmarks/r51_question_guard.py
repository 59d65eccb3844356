"""Is an utterance that ends with "?" ever cut off? The question guard of the cut-off models (round 51).

The timing model (sessions outside English) reads no word identities, so a finished question whose last word is a
function word («…а вы как?», "so what?") scores like a sentence left hanging, and the reply to it like a cut-off.
The guard skips every floor change after an utterance ending with "?". Measured here for both models on the MRDA
(``%-`` marks) and AMI (fragments at a floor change, ``r49_interruptions.ami_cut_off_ids``) meetings, act by act, as
recorded and made serial (``train_cutoffs.serialise``):

* ``none``: no guard (``cutoffs.TIMING_QUESTION_GUARD`` off for this run);
* ``guard``: the interruptions whose cut-off utterance ends with "?" left out, the text as transcribed (MRDA writes a
  cut question "?==", so the guard cannot touch it);
* ``guard_strip``: the same after MRDA's "==" / "-" marks are taken off the end, as if a recogniser wrote "?" on a
  question it heard cut off (the case against the guard).

Precision = counted interruptions on a cut-off act; recall = cut-off acts found; F1 of the two. Shipped: the guard for
the timing model only (chosen on the held-out meetings, dev read once after).

Usage (from the repository root; about two minutes per split)::

    python benchmarks/r51_question_guard.py --split heldout --out benchmarks/results/r51_question_guard_heldout.json
    python benchmarks/r51_question_guard.py --split dev --out benchmarks/results/r51_question_guard_dev.json
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import meetings, split_run, write_result  # noqa: E402
from train_cutoffs import units  # noqa: E402


def tally(res: dict[str, list[int]], name: str, keep: list, cut: set[str]) -> None:
    """Add the interruptions ``keep`` of one meeting to ``res[name]``: counted, on a cut-off act, cut-off acts found."""
    c = res.setdefault(name, [0, 0, 0])
    c[0] += len(keep)
    c[1] += sum(i.interrupted_id in cut for i in keep)
    c[2] += len({i.interrupted_id for i in keep} & cut)


def scored(res: dict[str, list[int]], n_cut: int) -> dict[str, Any]:
    """Per variant of ``res``: counted, precision, recall (of ``n_cut`` cut-off acts) and F1; with ``cut_off_acts``."""
    row: dict[str, Any] = {"cut_off_acts": n_cut}
    for name, (n, on, hit) in res.items():
        p, r = on / max(1, n), hit / max(1, n_cut)
        row[name] = {"counted": n, "precision": round(p, 3), "recall": round(r, 3),
                     "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}
    return row


def main(argv: list[str] | None = None) -> int:
    import sessionscope.analysis.cutoffs as cutoffs
    from sessionscope.analysis.dynamics import interruptions
    from sessionscope.config import DynamicsConfig

    args, head = split_run(__doc__, argv, "r51_question_guard.py")
    cutoffs.TIMING_QUESTION_GUARD = False  # the guard is applied below, per variant
    cfg = DynamicsConfig()
    out: dict[str, Any] = {**head, "rows": {}}
    for corpus in ("mrda", "ami"):
        for model, language in (("en", "en"), ("timing", "de")):  # any language but English gets the timing model
            for serial in (False, True):
                res: dict[str, list[int]] = {}
                n_cut = 0
                for _, acts in sorted(meetings(corpus, args.split).items()):
                    us = units(acts, "act", serial=serial)
                    cut = {u.id for u, g in us if g}
                    n_cut += len(cut)
                    text = {u.id: u.text for u, _ in us}
                    found = interruptions([u for u, _ in us], cfg, language)
                    for name, keep in (("none", found),
                                       ("guard", [i for i in found if not cutoffs.ends_asked(text[i.interrupted_id])]),
                                       ("guard_strip", [i for i in found
                                                        if not cutoffs.ends_asked(text[i.interrupted_id].rstrip(" =-"))])):
                        tally(res, name, keep, cut)
                key = f"{corpus}_{model}_{'serial' if serial else 'recorded'}"
                row = scored(res, n_cut)
                out["rows"][key] = row
                print(key, {k: v for k, v in row.items() if k != "cut_off_acts"})
    write_result(out, args.out, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

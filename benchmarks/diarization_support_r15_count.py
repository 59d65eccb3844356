"""Fold support (round 15, count): do runs too short to cluster keep a one-run cluster from being folded? DEVELOPMENT only.

    nice -n 10 .venv/bin/python benchmarks/diarization_support_r15_count.py default support support,mcs=3 \
        --json benchmarks/results/diarization_support_r15_count.json

Each variant is ``name[,key=value...]`` over :class:`DiarizationParams` (``support`` sets ``fold_support``,
``mcs`` ``min_cluster_size``, ``th`` ``threshold``). On the cached local results of the default pipeline
(``diarization_tune.local_for``) of pyannote-ami + sample (5), libri-dev (16), far-field seeds 20261208 and
20261209 (10 each): per group mean and pooled DER (collar 0 and 0.25), miss / false alarm / confusion (collar 0,
points of the pooled reference), speakers found right, and talk share within ±5 points (after the optimal mapping).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from diarization_der import share_errors
from diarization_tune import ROOT, dev_cases, local_for

GROUPS = ("pyannote-ami", "libri-dev", "farfield", "farfield2")


def variant(spec: str):  # noqa: ANN201
    from sessionscope.audio.diarize import DiarizationParams

    p = DiarizationParams()
    for part in spec.split(",")[0:]:
        if part in ("default", ""):
            continue
        if part == "support":
            p = replace(p, fold_support=True)
            continue
        k, v = part.split("=")
        if k == "mcs":
            p = replace(p, min_cluster_size=int(v))
        elif k == "th":
            p = replace(p, threshold=float(v))
        else:
            raise SystemExit(f"unknown variant key {k!r}")
    return p


def main() -> int:
    from sessionscope.audio.der import der, read_rttm
    from sessionscope.audio.diarize import diarize_local

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("variants", nargs="+")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    cases = dev_cases(farfield=True)
    ff2 = ROOT / ".cache" / "conv" / "farfield2"
    cases += [("farfield2", w.stem, w, ff2 / "reference.rttm") for w in sorted(ff2.glob("*.wav"))]
    cases = [("pyannote-ami" if c == "pyannote-sample" else c, u, w, r) for c, u, w, r in cases]
    cases = [c for c in cases if c[0] in GROUPS]
    base = variant("default")
    locals_ = {(c, u): local_for(w, 5.0, base) for c, u, w, _ in cases}
    refs = {(c, u): read_rttm(r)[u] for c, u, _, r in cases}
    out = []
    for spec in args.variants:
        p = variant(spec)
        row: dict = {"variant": spec, "groups": {}, "files": {}}
        acc: dict[str, dict] = {}
        for (c, u), loc in locals_.items():
            d = diarize_local(np.zeros(1, dtype=np.float32), params=p, local=loc)
            ref = refs[(c, u)]
            hyp = [(t.start, t.end, t.speaker) for t in d.turns]
            r0 = der(ref, hyp, collar=0.0, uem=(0.0, loc[0].duration))
            r25 = der(ref, hyp, collar=0.25, uem=(0.0, loc[0].duration))
            nref = len({s for *_, s in ref})
            errs = share_errors(ref, hyp)
            within = sum(v <= 5 for v in errs.values())
            row["files"][f"{c}/{u}"] = {"der_c0": round(100 * r0.der, 2), "der_c25": round(100 * r25.der, 2),
                                        "found": len(d.centroids), "ref": nref}
            a = acc.setdefault(c, {"c0": [], "c25": [], "ref0": 0.0, "err0": 0.0, "ref25": 0.0, "err25": 0.0,
                                   "miss": 0.0, "fa": 0.0, "conf": 0.0, "ok": 0, "n": 0, "within": 0, "talkers": 0})
            a["c0"].append(r0.der)
            a["c25"].append(r25.der)
            a["ref0"] += r0.reference
            a["err0"] += r0.der * r0.reference
            a["ref25"] += r25.reference
            a["err25"] += r25.der * r25.reference
            a["miss"] += r0.missed
            a["fa"] += r0.false_alarm
            a["conf"] += r0.confusion
            a["ok"] += int(len(d.centroids) == nref)
            a["n"] += 1
            a["within"] += within
            a["talkers"] += len(errs)
        for c, a in acc.items():
            row["groups"][c] = {"der_c0_mean": round(100 * float(np.mean(a["c0"])), 2),
                                "der_c25_mean": round(100 * float(np.mean(a["c25"])), 2),
                                "der_c0_pooled": round(100 * a["err0"] / a["ref0"], 2),
                                "der_c25_pooled": round(100 * a["err25"] / max(a["ref25"], 1e-9), 2),
                                "miss_fa_conf_c0": [round(100 * a[k] / a["ref0"], 2) for k in ("miss", "fa", "conf")],
                                "count_right": f"{a['ok']}/{a['n']}",
                                "talk_share_within_5pt": f"{a['within']}/{a['talkers']}"}
        print(json.dumps({"variant": spec, "groups": row["groups"]}), flush=True)
        out.append(row)
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        args.json.write_text(json.dumps({"command": " ".join(sys.argv), "commit": commit,
                                         "data": "development only: pyannote-ami + sample, libri-dev, far-field seeds "
                                                 "20261208 and 20261209; cached local results (diarization only)",
                                         "rows": out}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

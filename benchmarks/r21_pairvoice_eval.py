"""Round 21 (pairvoice): are a pair's guessed speaker mappings consistent? Calibration of the swap margin on
development conversations (centroids from benchmarks/r21_pairvoice_centroids.py; development data only).

    nice -n 10 .venv/bin/python benchmarks/r21_pairvoice_eval.py \\
        --centroids benchmarks/results/r21_pairvoice_centroids.json --json benchmarks/results/r21_pairvoice_eval.json

1. Cosines of CAM++ centroids of the same reader vs different readers, across different conversations (same
   recording condition; and across conditions), with the speed-perturbed copies of a reader counted as the
   same reader (harder: their pitch differs) and apart.
2. Simulated pairs: the conversations of one condition with the same two (or three) readers are one pair's
   sessions, every mapping guessed. For each session and each subset of 2..all sessions containing it:
   mapped right (a flag is false), and with its voices swapped (for three: rotated) while the others are right
   (a flag is a detection; a flag of another session there is counted apart). Swept over thresholds with
   :func:`sessionscope.audio.identify.voice_consistency` as shipped.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def _q(v: list[float]) -> dict[str, float]:
    a = np.asarray(v)
    return {"n": len(v), "min": round(float(a.min()), 3), "p05": round(float(np.percentile(a, 5)), 3),
            "median": round(float(np.median(a)), 3), "p95": round(float(np.percentile(a, 95)), 3),
            "max": round(float(a.max()), 3)} if v else {"n": 0}


def _sweep(cases: list[dict], thresholds: list[float]) -> list[dict[str, object]]:
    """Per threshold and kind of pair: false flags (mapped right), detections (swapped), others flagged."""
    sweep = []
    for th in thresholds:
        entry: dict[str, object] = {"threshold": th}
        for n_people, size, where in [(n, z, w) for n in (2, 3) for z in ("2", "3+") for w in ("same", "mixed")]:
            cs = [c for c in cases if len(c["readers"]) == n_people and c["folder"].startswith("mixed") == (where == "mixed")
                  and (len(c["sessions"]) == 2) == (size == "2")]
            if not cs:
                continue
            entry[f"{n_people}p/{size}_sessions/{where}_condition"] = {
                "n": len(cs),
                "false_flag_rate": round(sum(c["margin_right"] >= th for c in cs) / len(cs), 4),
                "detection_rate": round(sum(c["margin_swapped"] >= th for c in cs) / len(cs), 4),
                "others_flagged_rate": round(sum(m >= th for c in cs for m in c["others_margin_when_swapped"])
                                             / max(1, sum(len(c["others_margin_when_swapped"]) for c in cs)), 4)}
        sweep.append(entry)
    return sweep


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--centroids", type=Path, required=True)
    ap.add_argument("--json", type=Path, required=True)
    ap.add_argument("--thresholds", nargs="+", type=float, default=[0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4])
    args = ap.parse_args()
    from sessionscope.audio.identify import voice_consistency

    data = json.loads(args.centroids.read_text())
    rows = [r | {"v": np.asarray(r["centroid"], dtype=float)} for r in data["rows"]]
    # 1. cosines across different conversations
    cos: dict[str, list[float]] = defaultdict(list)
    for a, b in combinations(rows, 2):
        if a["uri"] == b["uri"]:
            continue  # the same conversation (in another condition) is not another session
        where = "same_condition" if a["folder"] == b["folder"] else "across_conditions"
        if a["reader"] != b["reader"]:
            kind = "different_reader"
        else:
            kind = "same_reader_same_speed" if a["speaker"] == b["speaker"] else "same_reader_other_speed"
        cos[f"{where}/{kind}"].append(_cos(a["v"], b["v"]))
    # 2. simulated pairs, per condition
    by: dict[tuple[str, tuple[str, ...]], dict[str, dict[str, np.ndarray]]] = defaultdict(dict)
    for r in rows:
        by[(r["folder"], ())][r["uri"]] = by[(r["folder"], ())].get(r["uri"], {}) | {r["reader"]: r["v"]}
    pairs: dict[tuple[str, tuple[str, ...]], dict[str, dict[str, np.ndarray]]] = defaultdict(dict)
    for (folder, _), convs in by.items():
        for uri, voices in convs.items():
            pairs[(folder, tuple(sorted(voices)))][uri] = voices
    # the same pairs with each session recorded in another condition (rotating over the conditions)
    folders = sorted({f for f, _ in by})
    for (folder, readers), sess in list(pairs.items()):
        if folder != folders[0]:
            continue
        for shift in range(len(folders)):
            pairs[(f"mixed+{shift}", readers)] = {u: by[(have[(i + shift) % len(have)], ())][u]
                                                  for i, u in enumerate(sorted(sess))
                                                  for have in [[f for f in folders if u in by[(f, ())]]]}
    cases = []
    for (folder, readers), sess in sorted(pairs.items()):
        uris = sorted(sess)
        for k in range(2, len(uris) + 1):
            for subset in combinations(uris, k):
                for t in subset:
                    base = {u: sess[u] for u in subset}
                    right = voice_consistency(base, set(subset), threshold=-9)
                    ids = sorted(readers)
                    wrong = dict(base)
                    wrong[t] = {ids[i]: sess[t][ids[(i + 1) % len(ids)]] for i in range(len(ids))}
                    swapped = voice_consistency(wrong, set(subset), threshold=-9)
                    cases.append({"folder": folder, "readers": list(readers), "sessions": list(subset), "target": t,
                                  "margin_right": right[t].margin, "margin_swapped": swapped[t].margin,
                                  "others_margin_when_swapped": [swapped[u].margin for u in subset if u != t]})
    sweep = _sweep(cases, args.thresholds)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    out = {"commit": commit, "split": "dev (LibriSpeech dev readers, simulated conversations; dev_r19 and dev_r19_calls_*)",
           "command": " ".join(["benchmarks/r21_pairvoice_eval.py", *sys.argv[1:]]),
           "centroids_commit": data["commit"],
           "cosines": {k: _q(v) for k, v in sorted(cos.items())},
           "margins": {f"{n}p/{w}/{m}": _q([c[w] for c in cases if len(c["readers"]) == n
                                            and c["folder"].startswith("mixed") == (m == "mixed_condition")])
                       for n in (2, 3) for w in ("margin_right", "margin_swapped") for m in ("same_condition", "mixed_condition")},
           "sweep": sweep, "n_cases": len(cases), "cases": cases}
    args.json.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps({k: out[k] for k in ("cosines", "margins", "sweep")}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

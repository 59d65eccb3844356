"""Train the cut-off models the dynamics' interruptions rest on (round 50): ``resources/dialogue_acts/cutoff_heads.json``.

Data: the ICSI meetings' dialogue acts (``../shared/data/mrda-dialogue-acts``, read in place). An act MRDA marks
``%-`` (interrupted; ``%--``, abandoned, is not) was cut off by another speaker. Every floor change of
``sessionscope.analysis.cutoffs.floor_changes`` (B, not a backchannel, starts while A speaks or up to
``interruption_max_gap_s`` after) is a row, labelled by whether A was cut off; its features are
``cutoff_features`` (timing, word counts and, for the English model, A's last word and B's first). The rows come
twice, so that the models read both a transcript's sentences and a recording's turns: once with one utterance per
act, once with each speaker's acts joined across pauses of at most 0.5 s (a diarization's speech regions; a turn is
cut off when its last act is).

* fitted on the train meetings (not the held-out 15 %, never dev): scikit-learn's ``LogisticRegression`` (lbfgs,
  C = 1, deterministic), the English lexical features kept where they occur in at least 20 rows;
* threshold: the F1-best of 0.10, 0.15, …, 0.75 on the held-out train meetings' rows (both unit kinds);
* ``threshold_serial`` (round 51): the same choice on the held-out rows made serial (:func:`serialise`: a caption file
  that never overlaps, as Zoom's and Teams' transcripts are, where the timing cannot show anyone talking over
  another); the dynamics use it for a session in which no two speakers' utterances overlap.

Usage (from the repository root; about a minute)::

    python benchmarks/train_cutoffs.py            # writes src/sessionscope/resources/dialogue_acts/cutoff_heads.json
    python benchmarks/train_cutoffs.py --out F    # elsewhere
    python benchmarks/train_cutoffs.py --fit-serial --out F   # round 51's experiment, not shipped: fitted on the rows
                                                              # made serial (read it with r50_cutoffs.py --models F)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import ROOT, Act, meetings  # noqa: E402
from r49_interruptions import interrupted  # noqa: E402
from train_dialogue_acts import commit  # noqa: E402

MIN_COUNT = 20
THRESHOLDS = [round(0.10 + 0.05 * i, 2) for i in range(14)]
TURN_GAP_S = 0.5


def serialise(utts: list[Any]) -> list[Any]:
    """The utterances as a caption file that never overlaps gives them (Zoom's and Teams' transcripts, round 51): in
    order of start, each one that still runs when the next other speaker's starts ends there (its words kept)."""
    import dataclasses

    order = sorted(utts, key=lambda u: (u.start, u.end))
    out = []
    for i, u in enumerate(order):
        nxt = next((v.start for v in order[i + 1:] if v.speaker != u.speaker and v.start >= u.start), None)
        end = u.end if nxt is None or nxt >= u.end else nxt
        out.append(dataclasses.replace(u, end=round(end, 3)) if end != u.end else u)
    return out


def units(acts: list[Act], kind: str, *, serial: bool = False) -> list[tuple[Any, bool]]:
    """Utterances with their gold (cut off or not): one per timed act, or each speaker's acts joined into turns;
    ``serial``: then made a caption file that never overlaps (:func:`serialise`)."""
    if serial:
        us = units(acts, kind)
        gold = {u.id: g for u, g in us}
        return [(u, gold[u.id]) for u in serialise([u for u, _ in us])]
    from sessionscope.model import Utterance

    timed = [a for a in acts if a.start is not None and a.end is not None]
    if kind == "act":
        return [(Utterance(id=a.id, speaker=a.speaker, text=a.text, start=a.start, end=a.end), interrupted(a))
                for a in timed]
    by: dict[str, list[Act]] = {}
    for a in sorted(timed, key=lambda a: a.start):  # type: ignore[arg-type,return-value]
        by.setdefault(a.speaker, []).append(a)
    out = []
    for spk, xs in by.items():
        cur = [xs[0]]
        for a in xs[1:] + [None]:  # type: ignore[list-item]
            if a is not None and a.start - max(c.end for c in cur) <= TURN_GAP_S:  # type: ignore[operator,type-var]
                cur.append(a)
                continue
            out.append((Utterance(id=cur[0].id, speaker=spk, text=" ".join(c.text for c in cur), start=cur[0].start,
                                  end=max(c.end for c in cur)), interrupted(cur[-1])))  # type: ignore[type-var]
            if a is not None:
                cur = [a]
    return out


def rows(split: str, *, lexical: bool, serial: bool = False) -> tuple[list[dict[str, float]], list[bool], dict[str, int]]:
    from sessionscope.analysis.cutoffs import cutoff_features, floor_changes
    from sessionscope.analysis.dynamics import backchannel
    from sessionscope.config import DynamicsConfig

    cfg = DynamicsConfig()
    X: list[dict[str, float]] = []
    y: list[bool] = []
    counts: Counter = Counter()
    for _name, acts in sorted(meetings("mrda", split).items()):
        for kind in ("act", "turn"):
            us = units(acts, kind, serial=serial)
            gold = {u.id: g for u, g in us}
            utts = [u for u, _ in us]
            for fc in floor_changes(utts, [not backchannel(u, cfg) for u in utts], cfg.interruption_max_gap_s):
                X.append(cutoff_features(fc.a, fc.b, a_next_start=fc.a_next_start, lexical=lexical))
                y.append(gold[fc.a.id])
                counts[f"{kind}_rows"] += 1
            counts[f"{kind}_cut_off_units"] += sum(gold.values())
    counts["rows"], counts["positive_rows"] = len(y), sum(y)
    return X, y, dict(counts)


def fit(lexical: bool, *, serial_rows: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score

    Xtr, ytr, ctr = rows("train", lexical=lexical, serial=serial_rows)
    Xho, yho, cho = rows("heldout", lexical=lexical, serial=serial_rows)
    freq = Counter(k for x in Xtr for k in x if "=" in k)
    keep = {k for k, n in freq.items() if n >= MIN_COUNT}

    def filt(X: list[dict[str, float]]) -> list[dict[str, float]]:
        return [{k: v for k, v in x.items() if "=" not in k or k in keep} for x in X]

    dv = DictVectorizer()
    A = dv.fit_transform(filt(Xtr))
    lr = LogisticRegression(C=1.0, max_iter=5000).fit(A, np.array(ytr))
    def choose(X: list[dict[str, float]], labels: list[bool]) -> tuple[float, dict[float, dict], float]:
        p = lr.predict_proba(dv.transform(filt(X)))[:, 1]
        y = np.array(labels)
        by_thr = {}
        for t in THRESHOLDS:
            d = p >= t
            tp = int((d & y).sum())
            prec, rec = tp / max(1, int(d.sum())), tp / max(1, int(y.sum()))
            by_thr[t] = {"tp": tp, "found": int(d.sum()), "precision": round(prec, 3), "recall": round(rec, 3),
                         "f1": round(2 * prec * rec / (prec + rec), 3) if prec + rec else 0.0}
        best = max(THRESHOLDS, key=lambda t: (by_thr[t]["f1"], -t))
        return best, by_thr, round(float(average_precision_score(y, p)), 3)

    best, by_thr, ap = choose(Xho, yho)
    Xhs, yhs, chs = rows("heldout", lexical=lexical, serial=True)
    best_s, by_thr_s, ap_s = choose(Xhs, yhs)
    weights = {name: round(float(w), 5) for name, w in zip(dv.get_feature_names_out(), lr.coef_[0], strict=True)
               if abs(w) >= 1e-5}
    model = {"weights": weights, "bias": round(float(lr.intercept_[0]), 5), "threshold": best,
             "threshold_serial": best_s, "lexical": lexical}
    report = {"train": ctr, "heldout": cho, "features": len(weights), "heldout_average_precision": ap,
              "heldout_by_threshold": by_thr, "threshold": best, "heldout_serial": chs,
              "heldout_serial_average_precision": ap_s, "heldout_serial_by_threshold": by_thr_s,
              "threshold_serial": best_s}
    return model, report


def main(argv: list[str] | None = None) -> int:
    from sessionscope.analysis.cutoffs import CUTOFF_FEATURES_VERSION, CUTOFF_FILE

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "sessionscope" / "resources" / "dialogue_acts" / CUTOFF_FILE)
    ap.add_argument("--fit-serial", action="store_true",
                    help="fit (and choose the first threshold) on the rows made serial instead (round 51's experiment; "
                         "give --out)")
    args = ap.parse_args(argv)
    if args.fit_serial and args.out == ap.get_default("out"):
        ap.error("--fit-serial is an experiment: give --out (the shipped models are fitted on the rows as recorded)")
    models, reports = {}, {}
    for name, lexical in (("en", True), ("timing", False)):
        models[name], reports[name] = fit(lexical, serial_rows=args.fit_serial)
        r = reports[name]
        print(name, "held-out AP", r["heldout_average_precision"], "threshold", r["threshold"],
              r["heldout_by_threshold"][r["threshold"]], "| serial AP", r["heldout_serial_average_precision"],
              "threshold", r["threshold_serial"], r["heldout_serial_by_threshold"][r["threshold_serial"]])
    out = {"features_version": CUTOFF_FEATURES_VERSION, "models": models,
           "meta": {"command": "python benchmarks/train_cutoffs.py" + (
                        f" --fit-serial --out {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}"
                        if args.fit_serial else ""),
                    "commit": commit(),
                    "date": dt.date.today().isoformat(),
                    "data": "ICSI MRDA train meetings (../shared/data/mrda-dialogue-acts), not the held-out 15 % "
                            "(thresholds) nor dev; gold: %- (interrupted)",
                    "training": reports}}
    args.out.write_text(json.dumps(out, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    print("wrote", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

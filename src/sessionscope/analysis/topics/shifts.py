"""Where the talk moves to a new subject, and who moves it there (round 56).

``topic_initiation_share`` was read off the topic-*area* segments: a segment starts where the area
changes, so two subjects of one area were one "topic", and on real meetings the area segments rarely
started where a person opened a subject (round 49: r 0.19 against AMI's human topic openers, no
better than a guess). A subject shift is a different event from an area change, so it has its own
small model:

* the talk is read in **floor turns** (a speaker's consecutive utterances less than
  :data:`TURN_GAP_S` apart: the unit the head was trained on, AMI's acts joined the same way);
* each turn gets the evidence that a new subject starts there: how far the talk before it
  (2, 4 and 8 turns) is from the talk after it in the session's sentence encoder, the pause before
  it, its length and the previous turn's, and — in English — the words that open it ("okay", "so",
  "next", "let's move on to…");
* a logistic head (``resources/topic_shift_head.json``, trained with balanced class weights on AMI's
  human top-level topic boundaries in the train meetings, ``benchmarks/train_topic_shifts.py``)
  gives each turn a score (it ranks turns; not a calibrated probability);
* the session gets one shift per ``words_per_shift`` words of talk (the rate at which blind readers
  marked new subjects in real conversations, round 56): the turns with the highest scores, each
  at or above the head's ``floor`` (its own decision point) and at least ``min_gap`` turns from
  one already taken; the session's first turn always opens one. A fixed score threshold, chosen on
  AMI, found two shifts in 25-minute conversations where readers marked 11 to 16: AMI's short
  turns and chaired meetings are not how two people talk;
* a shift's opener is :func:`~sessionscope.analysis.topics.stage.initiator`'s rule over its turns;
  its area is the area (the stage's area segments) that holds most of its words. Every shift
  counts for ``topic_initiation_share``, small talk included; with fewer than :data:`MIN_SHIFTS`
  shifts there is no share (``None``: not measured).

Other languages than English use the head fitted without the English opening words (the
``neutral`` head; Russian has no topic-labelled meetings to measure it on).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import numpy as np

from sessionscope.errors import ModelError
from sessionscope.model import Utterance

#: fewer shifts than this (the opening included) give no initiation share: from one or two events it could only be
#: 0, ½ or 1 (a session of under about 950 words at the readers' rate has one or two)
MIN_SHIFTS = 3
#: the shipped heads, under the package's resources
SHIFT_HEAD = "topic_shift_head.json"
#: consecutive utterances of one speaker closer than this (seconds) are one floor turn, as the training meetings' acts
TURN_GAP_S = 2.0
#: how many turns before and after a turn are compared (their mean sentence vectors)
CONTEXTS = (2, 4, 8)
#: an English turn's first two words that may open a subject (one feature each)
CUES = ("okay", "ok", "so", "right", "alright", "now", "next", "um", "uh", "well", "anyway", "and", "let's", "then",
        "mm", "yeah", "good", "great", "the", "i", "we", "is", "what", "moving", "let", "last", "first", "that",
        "thank", "thanks", "item")
_OPENING = re.compile(r"\b(next|move on|moving on|agenda|let's (talk|go|move|look|start|discuss)|"
                      r"the (next|last|first) (thing|point|item)|that's it)\b")
_WORD = re.compile(r"[a-z']+")
_TOKEN = re.compile(r"\w+")
NEUTRAL_FEATURES = tuple(f"away_{w}" for w in CONTEXTS) + ("pause", "words", "words_before", "new_speaker")
ENGLISH_FEATURES = NEUTRAL_FEATURES + tuple(f"cue_{c}" for c in CUES) + ("opening_phrase",)


def floor_turns(utterances: Sequence[Utterance], gap_s: float = TURN_GAP_S) -> list[list[int]]:
    """Indices of the utterances of each floor turn: a speaker's consecutive utterances less than ``gap_s`` apart
    (untimed: every consecutive utterance of one speaker)."""
    out: list[list[int]] = []
    end: Optional[float] = None  # the current turn's latest end
    for i, u in enumerate(utterances):
        prev = utterances[out[-1][-1]] if out else None
        near = u.start is None or end is None or u.start - end < gap_s
        if prev is not None and prev.speaker == u.speaker and near:
            out[-1].append(i)
            end = u.end if end is None else end if u.end is None else max(end, u.end)
        else:
            out.append([i])
            end = u.end
    return out


def shift_features(texts: Sequence[str], speakers: Sequence[str], starts: Sequence[Optional[float]],
                   ends: Sequence[Optional[float]], vectors: np.ndarray, *, english: bool) -> np.ndarray:
    """One row per floor turn (:data:`ENGLISH_FEATURES` or :data:`NEUTRAL_FEATURES`); ``vectors``: each turn's
    sentence vector (unit rows)."""
    n = len(texts)
    V = np.asarray(vectors, dtype=np.float64).reshape(n, -1)
    # the mean vectors of the w turns before each turn and of the w turns from it on, by cumulative sums
    cum = np.vstack([np.zeros((1, V.shape[1])), np.cumsum(V, axis=0)])
    idx = np.arange(n)
    away = []
    for w in CONTEXTS:
        lo, hi = np.maximum(idx - w, 0), np.minimum(idx + w, n)
        before, after = cum[idx] - cum[lo], cum[hi] - cum[idx]  # sums; a cosine needs no division by the counts
        dots = (before * after).sum(axis=1)
        norms = np.linalg.norm(before, axis=1) * np.linalg.norm(after, axis=1)
        away.append(np.where(idx > 0, 1.0 - dots / (norms + 1e-9), 0.0))
    pause = np.zeros(n)  # seconds since the previous turn ended (0 untimed), within [-2, 10]
    for i in range(1, n):
        start, end = starts[i], ends[i - 1]
        if start is not None and end is not None:
            pause[i] = min(max(start - end, -2.0), 10.0)
    words = np.log1p([len(_TOKEN.findall(t)) for t in texts])
    cols = [*away, pause, words, np.concatenate([[0.0], words[:-1]]) if n else words,
            np.array([1.0 if i and speakers[i] != speakers[i - 1] else 0.0 for i in range(n)])]
    if english:
        first = [_WORD.findall(t.lower())[:8] for t in texts]
        cols += [np.array([1.0 if c in w[:2] else 0.0 for w in first]) for c in CUES]
        cols.append(np.array([1.0 if _OPENING.search(" ".join(w)) else 0.0 for w in first]))
    rows = np.column_stack(cols) if n else np.zeros((0, len(cols)))
    return np.asarray(rows, dtype=np.float64).reshape(n, len(ENGLISH_FEATURES if english else NEUTRAL_FEATURES))


@dataclass(frozen=True)
class ShiftHead:
    """A standardised logistic head over :func:`shift_features`, with its decision rule."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    floor: float
    words_per_shift: float
    min_gap: int

    def proba(self, X: np.ndarray) -> np.ndarray:
        if X.shape[1] != len(self.features):
            raise ModelError(f"topic shift head expects {len(self.features)} features, got {X.shape[1]}")
        z = ((X - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


def heads_from_dict(data: dict) -> dict[str, ShiftHead]:
    out = {}
    for name in ("english", "neutral"):
        h = data[name]
        out[name] = ShiftHead(tuple(h["features"]), np.asarray(h["mean"]), np.asarray(h["scale"]),
                              np.asarray(h["coef"]), float(h["intercept"]), float(h["floor"]),
                              float(h["words_per_shift"]), int(h["min_gap"]))
        if out[name].features != (ENGLISH_FEATURES if name == "english" else NEUTRAL_FEATURES):
            raise ModelError(f"topic shift head {name!r} was trained on other features than this code computes; "
                             f"retrain it (benchmarks/train_topic_shifts.py)")
    return out


@lru_cache(maxsize=1)
def bundled_heads() -> dict[str, ShiftHead]:
    """The shipped heads (``resources/topic_shift_head.json``), read once."""
    from sessionscope.fileio import bundled_resource

    try:
        return heads_from_dict(json.loads(bundled_resource(SHIFT_HEAD).read_text(encoding="utf-8")))
    except (OSError, KeyError, ValueError) as e:
        raise ModelError(f"the bundled topic shift head could not be read ({e}); reinstall sessionscope") from e


def spoken_words(texts: Sequence[str]) -> int:
    """Words of talk as the shift rate counts them: runs of word characters ("it's" is two)."""
    return sum(len(_TOKEN.findall(t)) for t in texts)


def pick_shifts(p: np.ndarray, *, count: int, floor: float, min_gap: int) -> list[int]:
    """Turns that open a subject: 0, then up to ``count`` − 1 more, the highest scores first, each at or above
    ``floor`` and none within ``min_gap`` turns of one already taken."""
    taken = [0] if len(p) else []
    for i in np.argsort(-p, kind="stable"):
        if len(taken) >= count or p[i] < floor:
            break
        if i and all(abs(int(i) - j) >= min_gap for j in taken):
            taken.append(int(i))
    return sorted(taken)


def shift_count(words: int, words_per_shift: float) -> int:
    """How many subjects a session of ``words`` words gets (at least its opening)."""
    return max(1, round(words / words_per_shift))


def detect_shifts(utterances: Sequence[Utterance], turn_vectors: Callable[[Sequence[Sequence[int]]], np.ndarray], *,
                  english: bool, heads: Optional[dict[str, ShiftHead]] = None
                  ) -> list[tuple[list[int], float]]:
    """The session's subjects: per shift, the utterance indices it covers (to the next shift) and the head's
    score at its first turn (``nan`` for the session's opening, which is no decision)."""
    turns = floor_turns(utterances)
    if not turns:
        return []
    head = (heads or bundled_heads())["english" if english else "neutral"]
    vecs = turn_vectors(turns)
    texts = [" ".join(utterances[i].text for i in t) for t in turns]
    X = shift_features(texts, [utterances[t[0]].speaker for t in turns], [utterances[t[0]].start for t in turns],
                       [max((e for e in (utterances[i].end for i in t) if e is not None), default=None) for t in turns],
                       vecs, english=english)
    p = head.proba(X)
    count = shift_count(spoken_words([u.text for u in utterances]), head.words_per_shift)
    firsts = pick_shifts(p, count=count, floor=head.floor, min_gap=head.min_gap)
    out = []
    for k, a in enumerate(firsts):
        b = firsts[k + 1] if k + 1 < len(firsts) else len(turns)
        out.append(([i for t in turns[a:b] for i in t], float("nan") if a == 0 else float(p[a])))
    return out


__all__ = ["CONTEXTS", "CUES", "ENGLISH_FEATURES", "MIN_SHIFTS", "NEUTRAL_FEATURES", "SHIFT_HEAD", "ShiftHead", "TURN_GAP_S", "bundled_heads",
           "detect_shifts", "floor_turns", "heads_from_dict", "pick_shifts", "shift_count", "shift_features",
           "spoken_words"]

"""Cut-offs: did another speaker's utterance cut this speaker off? (round 50; definitions in docs/metrics.md)

The dynamics' interruptions were, until round 49, every utterance (not a backchannel) that started inside another
speaker's and overlapped it by 0.5 s. Against the acts the ICSI annotators marked as cut off by another speaker
(MRDA ``%-``), that rule found about a fifth of them, and about one in six of what it counted was one (round 49,
``benchmarks/r49_interruptions.py``): most overlaps are talk over a speaker who goes on, or a reply that starts
just before the other has finished. This module scores each floor change instead: B (not a backchannel) starts while
A (another speaker, not a backchannel either) is speaking, or up to ``interruption_max_gap_s`` after A stopped, and a
logistic model learned on MRDA's marks (``benchmarks/train_cutoffs.py``) gives the probability that B cut A off,
from

* the timing: how long A goes on after B starts (or how long the gap is), how long A and B are, whether A's speaker
  speaks again within 1 s / 3 s (cut-off speakers often restart);
* A's words as a recogniser writes them: how many, whether the last one is a function word ("the", "and", "to", "we";
  «и», «что», «в»: a sentence left hanging), and, in English, which one it is and which word B starts with.

The transcripts' own cut-off signs (MRDA's ``==``, word fragments such as ``th-``) are no features: recognisers do
not write them. Outside English the "timing" model reads the timing, the word counts and the function-word flag (its
Russian words are the English ones' counterparts; the word identities were learned on English only), and an utterance
that ends with a question mark is never cut off there (round 51, :data:`TIMING_QUESTION_GUARD`). A pair in which either
utterance has no recognised words (RTTM input, speech
the recogniser left without words) keeps the overlap rule: nothing here can read it.

A session in which no two speakers' utterances overlap (a Zoom or Teams transcript: its cues follow one another; round
51) cannot show anyone talking over another, so the model's probabilities there rest on the words and the pauses
alone; each model carries a second threshold, ``threshold_serial``, chosen the same way on the held-out meetings
made serial (``benchmarks/train_cutoffs.py``), and :func:`threshold_for` picks it.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from sessionscope.model import Utterance
from sessionscope.text import spoken_tokens

CUTOFF_FEATURES_VERSION = 1
#: the bundled models' file (``resources/dialogue_acts``)
CUTOFF_FILE = "cutoff_heads.json"

#: words a complete sentence rarely ends on: a speaker stopping on one was most likely cut off (English learned on
#: MRDA; the Russian ones are their counterparts, read by the same weight: not measured on Russian talk)
FUNCTION_WORDS = frozenset("""
a an the and or but so because if that which who whom whose when where while to of in on at for with from by as than
then i we you he she they it my our your his her their its this these those is are was were be been am do does did
have has had will would can could should shall may might must not just like um uh well you're i'm it's that's we're
they're there's what how why there here about into over very really kind sort lot
и а но или что чтобы если когда где пока потому поэтому как чем то в во на с со к ко по о об от из у за для до при
через над под я мы ты вы он она оно они мой моя мои наш наша наши ваш ваша ваши его её их это этот эта эти тот та те
не ни бы же ли вот ну э эм который которая которые
""".split())


#: round 51: the timing model (no word identities) skips a floor change after an utterance that ends with a question
#: mark: the question was finished and asked for the reply («…а вы как?» in the Russian example); held-out and dev
#: meetings, MRDA and AMI, recorded and serial: precision up 2–4 points at no recall (``benchmarks/r51_question_guard.py``
#: turns it off to measure it). The English model reads the last words and is not guarded: with MRDA's cut questions
#: ("?==") read as a recogniser might write them ("?"), it lost 3 points of recall on the held-out meetings.
TIMING_QUESTION_GUARD = True


def ends_asked(text: str) -> bool:
    """Whether an utterance ends with a question mark (a question finished, not cut off)."""
    return text.rstrip().endswith(("?", "？"))


def feature_words(text: str) -> list[str]:
    """The words of an utterance as a recogniser writes them (docs/metrics.md, *Interruptions*): the tokens of
    letters, digits, apostrophes and hyphens ``text.spoken_tokens`` counts (transcript marks such as "{vocalsound}"
    and "==" left out), lower case, without word fragments ("th-", "s-": a token ending in a hyphen)."""
    return [tok.lower() for tok in spoken_tokens(text) if not tok.endswith("-")]


def cutoff_features(a: Utterance, b: Utterance, *, a_next_start: Optional[float], lexical: bool,
                    a_words: Optional[list[str]] = None, b_words: Optional[list[str]] = None) -> dict[str, float]:
    """The features of "B cut A off": A and B timed, B starting after A does. ``a_next_start``: when A's speaker
    next starts an utterance after A ends (``None``: never)."""
    wa = feature_words(a.text) if a_words is None else a_words
    wb = feature_words(b.text) if b_words is None else b_words
    ov = float(a.end) - float(b.start)  # type: ignore[arg-type]  # timed
    resume = math.inf if a_next_start is None else a_next_start - float(a.end)  # type: ignore[arg-type]
    f = {
        "ov": max(-1.0, min(3.0, ov)),
        "ov_pos": float(ov > 0),
        "ov_after": max(0.0, min(3.0, ov)),
        "gap": max(0.0, min(1.0, -ov)),
        "dur_a": min(10.0, float(a.end) - float(a.start)),  # type: ignore[arg-type]
        "log_words_a": math.log1p(len(wa)),
        "dur_b": min(10.0, float(b.end) - float(b.start)),  # type: ignore[arg-type]
        "log_words_b": math.log1p(len(wb)),
        "b_ends_first": float(float(b.end) < float(a.end)),  # type: ignore[arg-type]
        "a_resumes_1s": float(resume < 1.0),
        "a_resumes_3s": float(resume < 3.0),
    }
    last = wa[-1] if wa else ""
    f["last_function_word"] = float(last in FUNCTION_WORDS)
    if lexical:
        f["last=" + last] = 1.0
        f["first_b=" + (wb[0] if wb else "")] = 1.0
    return f


@dataclass(frozen=True)
class CutoffModel:
    """A logistic model over :func:`cutoff_features` (absent features count 0)."""

    weights: dict[str, float]
    bias: float
    threshold: float
    lexical: bool
    meta: dict[str, Any] = field(default_factory=dict)
    #: the threshold for a session in which no two speakers overlap (``None``: ``threshold``)
    threshold_serial: Optional[float] = None

    def probability(self, feats: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in feats.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def load_cutoff_models(path: str | Path) -> dict[str, CutoffModel]:
    """The models written by ``benchmarks/train_cutoffs.py``: ``{"en": …, "timing": …}``."""
    from sessionscope.errors import ModelError

    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        if raw.get("features_version") != CUTOFF_FEATURES_VERSION:
            raise ModelError(f"{path}: cut-off models of another feature version (retrain them with "
                             "`python benchmarks/train_cutoffs.py`)")
        return {name: CutoffModel(weights={k: float(v) for k, v in m["weights"].items()}, bias=float(m["bias"]),
                                  threshold=float(m["threshold"]), lexical=bool(m["lexical"]), meta=raw.get("meta", {}),
                                  threshold_serial=None if m.get("threshold_serial") is None
                                  else float(m["threshold_serial"]))
                for name, m in raw["models"].items()}
    except FileNotFoundError as e:
        raise ModelError(f"cut-off models not found: {path}") from e
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise ModelError(f"{path} holds no cut-off models (written by benchmarks/train_cutoffs.py): {e}") from e


@lru_cache(maxsize=4)
def bundled_cutoff_models(path: Optional[str] = None) -> dict[str, CutoffModel]:
    from sessionscope.fileio import bundled_resource

    return load_cutoff_models(path or bundled_resource("dialogue_acts", CUTOFF_FILE))


def utterances_language(utterances: Sequence[Utterance], language: Optional[str]) -> Optional[str]:
    """``language``, or when it is unknown (a transcript imported without one: the batch stores the guess only after
    the stages) the one its report will speak, guessed the same way from the first 500 utterances' text
    (``report.i18n.report_language``); ``None`` without text."""
    if language:
        return language
    text = " ".join(u.text for u in utterances[:500])
    if not any(ch.isalpha() for ch in text):
        return None
    from sessionscope.language.nlp import detect_language

    return detect_language(text)


def model_for(language: Optional[str], models: dict[str, CutoffModel]) -> CutoffModel:
    """The English model (with the lexical features) for English sessions, the timing model otherwise."""
    return models["en"] if (language or "").lower().startswith("en") else models["timing"]


def never_overlap(utterances: Sequence[Utterance]) -> bool:
    """Whether two or more speakers are timed and no two of them overlap (``io._common.any_overlap``, the overlap the
    dynamics measure): a caption file whose cues follow one another (Zoom's, Teams')."""
    from sessionscope.io._common import any_overlap

    timed = [u for u in utterances if u.timed]
    return len({u.speaker for u in timed}) >= 2 and not any_overlap(timed)


def threshold_for(model: CutoffModel, utterances: Sequence[Utterance], serial: Optional[bool] = None) -> float:
    """The model's threshold for these utterances: ``threshold_serial`` when they are serial and the model has one,
    else ``threshold``. ``serial``: ``None`` = when no two speakers overlap (:func:`never_overlap`); a recording's
    speaker times, which can show overlap, are never serial (``False``: its lack of overlap is a finding)."""
    if serial is None:
        serial = never_overlap(utterances)
    return model.threshold_serial if serial and model.threshold_serial is not None else model.threshold


@dataclass(frozen=True)
class FloorChange:
    """B (``b``) starting while A (``a``, another speaker) speaks or up to the gap after A stopped."""

    a: Utterance
    b: Utterance
    a_next_start: Optional[float]


def floor_changes(utterances: Sequence[Utterance], holds_floor: Sequence[bool], max_gap_s: float) -> list[FloorChange]:
    """Each timed utterance that holds the floor (``holds_floor``: not a backchannel), with the other speaker's
    floor-holding utterance it follows: one still running when it starts (the one that ends last; ties: the one that
    started first), else the one that ended last (same ties), at most ``max_gap_s`` before it. ``utterances`` in any
    order; timed ones only are read. ``a_next_start``: the first start of A's speaker after A's start and no earlier
    than 0.01 s before A's end (any utterance of theirs, a backchannel too)."""
    timed = [(u, hf) for u, hf in zip(utterances, holds_floor, strict=True) if u.timed]
    timed.sort(key=lambda x: (float(x[0].start), float(x[0].end)))  # type: ignore[arg-type]
    starts: dict[str, list[float]] = {}
    for u, _ in timed:
        starts.setdefault(u.speaker, []).append(float(u.start))  # type: ignore[arg-type]
    out: list[FloorChange] = []
    recent: list[Utterance] = []  # floor-holding utterances that may still precede a later start
    for b, hf in timed:
        bs = float(b.start)  # type: ignore[arg-type]
        recent = [a for a in recent if float(a.end) > bs - max_gap_s]  # type: ignore[arg-type]
        if hf:
            best: Optional[Utterance] = None
            for a in recent:
                if a.speaker == b.speaker or not float(a.start) < bs:  # type: ignore[arg-type]
                    continue
                if best is None:
                    best = a
                    continue
                run_a, run_best = float(a.end) > bs, float(best.end) > bs  # type: ignore[arg-type]
                if (run_a and not run_best) or (run_a == run_best and float(a.end) > float(best.end)):  # type: ignore[arg-type]
                    best = a
            if best is not None:
                s = starts[best.speaker]
                i = bisect_left(s, float(best.end) - 0.01)  # type: ignore[arg-type]
                while i < len(s) and s[i] <= float(best.start):  # type: ignore[arg-type]
                    i += 1
                out.append(FloorChange(best, b, s[i] if i < len(s) else None))
            recent.append(b)
    return out

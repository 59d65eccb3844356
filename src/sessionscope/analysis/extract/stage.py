"""The extraction stage: recommendations, action items, questions and problems.

Per sentence (same splitter as the question detection), each rule module gives a
decision (hit, veto or nothing) and, when configured, the embedding classifier gives a
probability per kind. They are fused (see :func:`fuse`), the best kind above
``extraction.min_confidence`` becomes an item, and items get the speaker, the other
person (receiver / addressee), the topic area of the segment holding the utterance, the
due date resolved against ``session.date``, and, for problems, the items that followed
as solutions. Questions come from :mod:`sessionscope.analysis.questions` with the
dynamics settings, so they match ``questions_asked`` / ``questions_answered`` exactly.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Optional

import numpy as np

from sessionscope.analysis.extract.actions import action_rule, task_phrase
from sessionscope.analysis.extract.dates import find_due
from sessionscope.analysis.extract.problems import link_solutions, problem_rule
from sessionscope.analysis.extract.recommendations import recommendation_rule
from sessionscope.analysis.extract.rules import RuleHit
from sessionscope.analysis.questions import session_questions
from sessionscope.config import Config, DynamicsConfig, ExtractionConfig
from sessionscope.language.nlp import Sentence, parse_texts
from sessionscope.model import ActionItem, Problem, Question, Recommendation, Session
from sessionscope.text import word_count

log = logging.getLogger(__name__)

RULES = {"recommendation": recommendation_rule, "action": action_rule, "problem": problem_rule}
_FIRST = {"i", "we", "я", "мы"}
_SECOND = {"you", "ты", "вы"}


@dataclass(frozen=True, slots=True)
class Decision:
    """The fused decision for one sentence."""

    kind: str
    confidence: float
    method: str
    hit: Optional[RuleHit]


def fuse(hits: dict[str, Optional[RuleHit]], proba: Optional[dict[str, float]], cfg: ExtractionConfig) -> Optional[Decision]:
    """Combine rule decisions and classifier probabilities into at most one item kind.

    * a veto (hard negative) rules its kind out whatever the classifier says;
    * a rule hit scores ``(1 - w) · rule + w · p`` (``w = classifier_weight``; the rule
      alone without a classifier);
    * no rule: the classifier alone adds the item when ``p ≥ classifier_only_threshold``,
      with confidence ``p``.

    The best-scoring kind wins if it reaches ``min_confidence``.
    """
    best: Optional[Decision] = None
    for kind, hit in hits.items():
        p = proba.get(kind) if proba else None
        if hit is not None and hit.veto:
            continue
        if hit is not None:
            conf = hit.confidence if p is None else (1 - cfg.classifier_weight) * hit.confidence + cfg.classifier_weight * p
            method = "rule" if p is None else "rule+classifier"
        elif p is not None and p >= cfg.classifier_only_threshold:
            conf, method = p, "classifier"
        else:
            continue
        if conf >= cfg.min_confidence and (best is None or conf > best.confidence):
            best = Decision(kind, float(conf), method, hit)
    return best


def other_participant(session: Session, index: int) -> Optional[str]:
    """Whom utterance ``index`` is addressed to: the other one of a pair, else the nearest other speaker.

    In groups the previous other speaker (whom one is replying to) is preferred, then the next one.
    """
    speaker = session.utterances[index].speaker
    ids = [p.id for p in session.participants] or sorted({u.speaker for u in session.utterances})
    others = [p for p in ids if p != speaker]
    if len(others) == 1:
        return others[0]
    for j in range(index - 1, max(-1, index - 4), -1):
        if session.utterances[j].speaker != speaker:
            return session.utterances[j].speaker
    for u in session.utterances[index + 1 : index + 4]:
        if u.speaker != speaker:
            return u.speaker
    return None


def area_by_utterance(session: Session) -> dict[str, str]:
    """Topic area of each utterance, from ``session.topics`` segments (empty without topics)."""
    if session.topics is None:
        return {}
    return {uid: seg.area for seg in session.topics.segments for uid in seg.utterance_ids}


def _owner(sent: Sentence, hit: Optional[RuleHit], speaker: str, receiver: Optional[str]) -> tuple[Optional[str], tuple[str, ...]]:
    role = hit.owner if hit is not None and hit.owner else None
    if role is None:  # classifier-only: guess from the grammatical person
        role = _person_role(sent)
    if role == "addressee" and receiver:
        return receiver, (receiver,)
    if role == "both":
        both = tuple(x for x in (speaker, receiver) if x)
        return None, both
    return speaker, (speaker,)


def _person_role(sent: Sentence) -> str:
    """speaker / addressee / both from the first person-marked verb or pronoun ("let me" = speaker)."""
    lowers = sent.lowers
    if lowers[:2] in (["let", "me"], ["let", "'s"]) or "let's" in lowers[:2]:
        return "speaker" if lowers[1] == "me" else "both"
    for tok in sent.tokens:
        person, number = tok.feats.get("Person"), tok.feats.get("Number")
        if tok.lower in _FIRST or (tok.pos == "VERB" and person == "1"):
            return "both" if number == "Plur" or tok.lower in {"we", "we'll", "мы"} else "speaker"
        if tok.lower in _SECOND or (tok.pos == "VERB" and (person == "2" or tok.feats.get("Mood") == "Imp")):
            return "addressee"
    return "speaker"


def extract_items(
    session: Session,
    parsed: Sequence[Sequence[Sentence]],
    proba: Optional[Sequence[Sequence[Optional[dict[str, float]]]]],
    cfg: ExtractionConfig,
    dyn: DynamicsConfig,
) -> dict[str, tuple[Any, ...]]:
    """Build the four item lists from parsed sentences and (optional) classifier output.

    Args:
        session: the session (utterances, participants, date, topics).
        parsed: for each utterance, its parsed sentences.
        proba: for each utterance and sentence, ``{kind: probability}`` or ``None``.
    """
    areas = area_by_utterance(session)
    recs: list[Recommendation] = []
    acts: list[ActionItem] = []
    probs: list[tuple[int, str, Sentence, Decision]] = []
    solutions: list[tuple[int, str, str, str]] = []
    for i, (utt, sents) in enumerate(zip(session.utterances, parsed, strict=True)):
        if "hallucination" in utt.flags:
            continue
        receiver = other_participant(session, i)
        for j, sent in enumerate(sents):
            hits = {kind: rule(sent) for kind, rule in RULES.items()}
            p = proba[i][j] if proba is not None else None
            d = fuse(hits, p, cfg)
            if d is None:
                continue
            area = areas.get(utt.id)
            if d.kind == "recommendation":
                rid = f"rec-{len(recs) + 1:03d}"
                recs.append(Recommendation(
                    id=rid, utterance_id=utt.id, start=utt.start, giver=utt.speaker, receiver=receiver,
                    text=sent.text, area=area, confidence=round(d.confidence, 3), char_start=sent.start_char,
                    char_end=sent.end_char, method=d.method,
                ))
                solutions.append((i, "recommendation", utt.speaker, rid))
            elif d.kind == "action":
                owner, owners = _owner(sent, d.hit, utt.speaker, receiver)
                due = find_due(sent.text, session_date=session.date, meeting_interval_days=cfg.meeting_interval_days)
                hit = d.hit or RuleHit("action", d.confidence, "classifier")
                aid = f"act-{len(acts) + 1:03d}"
                acts.append(ActionItem(
                    id=aid, utterance_id=utt.id, start=utt.start, owner=owner,
                    task=task_phrase(sent, hit, max_words=cfg.max_task_words), due_text=due.text if due else None,
                    due_date=due.date if due else None, confidence=round(d.confidence, 3), area=area,
                    char_start=sent.start_char, char_end=sent.end_char, method=d.method, owners=owners,
                ))
                solutions.append((i, "action", utt.speaker, aid))
            else:
                probs.append((i, utt.speaker, sent, d))
    problems = []
    for n, (i, speaker, sent, d) in enumerate(probs, 1):
        utt = session.utterances[i]
        sol = link_solutions(i, speaker, solutions, window=cfg.problem_window_utterances)
        problems.append(Problem(
            id=f"prob-{n:03d}", utterance_id=utt.id, start=utt.start, raiser=speaker, text=sent.text,
            solved=bool(sol), solution_ids=sol, area=areas.get(utt.id), confidence=round(d.confidence, 3),
        ))
    events = session_questions(session, dyn)  # the dynamics' own call, so counts agree
    starts = {u.id: u.start for u in session.utterances}
    questions = tuple(
        Question(
            id=f"q-{n:03d}", utterance_id=e.utterance_id, start=starts.get(e.utterance_id), asker=e.asker,
            addressee=e.addressee, text=e.text, answered=e.answered, answer_utterance_id=e.answer_utterance_id,
            area=areas.get(e.utterance_id),
        )
        for n, e in enumerate(events, 1)
    )
    return {"recommendations": tuple(recs), "action_items": tuple(acts), "questions": questions, "problems": tuple(problems)}


class ExtractionStage:
    """Pipeline stage: fills recommendations, action items, questions and problems.

    Args:
        cfg: extraction settings.
        dynamics: the dynamics settings (question/answer detection must match the metrics).
        classifier: a :class:`~sessionscope.analysis.extract.classifier.LinearClassifier`
            (injected in tests); ``None`` loads the configured one lazily.
        encoder: an object with ``encode(texts) -> ndarray`` (injected in tests).
    """

    name: ClassVar[str] = "extraction"
    requires: ClassVar[tuple[str, ...]] = ("utterances",)
    assigns: ClassVar[tuple[str, ...]] = ("recommendations", "action_items", "questions", "problems")

    def __init__(self, cfg: ExtractionConfig | None = None, dynamics: DynamicsConfig | None = None, *,
                 classifier: Any = None, encoder: Any = None) -> None:
        self.cfg = cfg or ExtractionConfig()
        self.dynamics = dynamics or DynamicsConfig()
        self._classifier = classifier
        self._encoder = encoder

    @classmethod
    def from_config(cls, config: Config) -> ExtractionStage:
        return cls(config.extraction, config.dynamics)

    def _model(self) -> tuple[Any, Any]:
        if self._classifier is None and self.cfg.classifier and self.cfg.classifier.lower() != "none":
            from sessionscope.analysis.extract.classifier import bundled_classifier_path, load_classifier

            path = bundled_classifier_path() if self.cfg.classifier == "bundled" else self.cfg.classifier
            self._classifier = load_classifier(path)
        if self._classifier is not None and self._encoder is None:
            from sessionscope.language.embeddings import get_encoder

            self._encoder = get_encoder(self._classifier.encoder)
        return self._classifier, self._encoder

    def probabilities(self, parsed: Sequence[Sequence[Sentence]]) -> Optional[list[list[Optional[dict[str, float]]]]]:
        """Classifier probabilities for every sentence long enough to judge (``None`` without a classifier)."""
        clf, enc = self._model()
        if clf is None:
            return None
        todo = [(i, j, s.text) for i, sents in enumerate(parsed) for j, s in enumerate(sents)
                if word_count(s.text) >= self.cfg.classifier_min_words]
        out: list[list[Optional[dict[str, float]]]] = [[None] * len(sents) for sents in parsed]
        if todo:
            p = clf.predict_proba(np.asarray(enc.encode([t for _, _, t in todo])))
            for (i, j, _), row in zip(todo, p, strict=True):
                out[i][j] = {k: float(v) for k, v in zip(clf.labels, row, strict=True)}
        return out

    def __call__(self, session: Session, *, hook: Any = None) -> Session:
        lang = session.language if session.language in ("en", "ru") else None
        parsed = parse_texts([u.text for u in session.utterances], language=lang)
        if hook:
            hook("extraction: classifier")
        proba = self.probabilities(parsed)
        items = extract_items(session, parsed, proba, self.cfg, self.dynamics)
        log.info("%s: %d recommendations, %d action items, %d questions, %d problems", session.id,
                 len(items["recommendations"]), len(items["action_items"]), len(items["questions"]), len(items["problems"]))
        clf = self._classifier
        extra = dict(session.extra)
        extra["extraction"] = {  # provenance, and the marker the flow stage checks
            "classifier": None if clf is None else {"encoder": clf.encoder, "trained": clf.meta.get("trained")},
            "min_confidence": self.cfg.min_confidence,
        }
        return session.evolve(**items, extra=extra)


__all__ = ["ExtractionStage", "extract_items", "fuse", "other_participant"]

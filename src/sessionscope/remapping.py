"""Correcting who-is-who in a processed recording without transcribing again.

A session made by ``run`` keeps, per utterance, the diarization label it came from
(``extra["audio"]["utterance_labels"]``), so a new label → participant mapping can
rewrite the speakers; the text stages then run on the result
(:func:`sessionscope.api.remap` does both, ``sessionscope remap`` from the command line).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sessionscope.errors import InputError
from sessionscope.model import Participant, Role, Session, record_stage_run
from sessionscope.pipeline import STAGES
from sessionscope.text import slugify

#: the start of the data-quality note listing the labels whose participant the user set by hand
HAND_NOTE = "speaker mapping corrected by hand: "


def _name_and_role(value: str) -> tuple[str, Role | None]:
    """``"Anna:junior"`` → ``("Anna", Role.JUNIOR)``; a value without a known role after its last colon is a name."""
    name, sep, role = value.rpartition(":")
    if sep and name.strip() and role.strip().lower() in {r.value for r in Role}:
        return name.strip(), Role(role.strip().lower())
    return value.strip(), None


def remap_session(session: Session, mapping: Mapping[str, str]) -> Session:
    """A copy of ``session`` with utterances re-attributed by diarization label.

    ``mapping`` maps labels (``SPEAKER_00``) to participant ids or names. A value
    ``NAME:ROLE`` (``Anna:junior``) adds a participant the session does not know yet; so
    does a bare ``NAME`` when the session has no named participant at all (a recording
    ``run`` without ``-p`` or a manifest: its only participants are the labels). Raises
    :class:`~sessionscope.errors.InputError` for sessions without labels, unknown labels
    or, in a session with named participants, an unknown name without a role.
    """
    audio = (session.extra or {}).get("audio") or {}
    labels = audio.get("utterance_labels")
    if not labels or len(labels) != len(session.utterances):
        raise InputError(f"session {session.id!r} has no speaker labels to remap (only sessions made by `run` have them)")
    known = sorted(set(labels))
    by_key = {p.id: p.id for p in session.participants} | {p.name.lower(): p.id for p in session.participants}
    smap = dict(audio.get("speaker_map") or {lab: lab for lab in known})
    named = [p for p in session.participants if p.id not in known]  # participants who are not diarization labels
    added: dict[str, Participant] = {}
    for lab, who in mapping.items():
        if lab not in known:
            raise InputError(f"unknown speaker label {lab!r}; labels in this session: {', '.join(known)}")
        name, role = _name_and_role(who)
        pid = by_key.get(name) or by_key.get(name.lower())
        if pid is not None:  # a participant the session (or this mapping) already has, or another label (a merge)
            have = next((p for p in [*session.participants, *added.values()] if p.id == pid), None)
            if role is not None and have is not None and have.role != role:
                raise InputError(f"{name!r} is already a participant, as {have.role.value}; give the name alone")
        else:
            if role is None and named:
                raise InputError(f"unknown participant {who!r}; participants: "
                                 + ", ".join(f"{p.id} ({p.name})" for p in named)
                                 + f"; to add someone new, give a role: {lab}={name}:junior (or :senior, :other)")
            pid = slugify(name)
            if pid in by_key.values():
                raise InputError(f"{name!r} gives the id {pid!r}, which is already taken; choose another name")
            added[pid] = Participant(pid, name, role or Role.OTHER)
            by_key |= {pid: pid, name.lower(): pid}
        smap[lab] = pid
    utterances = tuple(replace(u, speaker=smap[lab]) for u, lab in zip(session.utterances, labels, strict=True))
    used = {u.speaker for u in utterances}
    participants = [p for p in session.participants if p.role != Role.OTHER or p.id in used]
    participants += [p for pid, p in added.items() if pid not in {q.id for q in participants}]
    participants += [Participant(s, s, Role.OTHER) for s in sorted(used - {p.id for p in participants})]
    per_label = dict(audio.get("speaker_mapping") or {})
    per_label.update({lab: "manual" for lab in mapping})
    extra = {**session.extra, "audio": {**audio, "speaker_map": smap, "speaker_mapping": per_label}}
    # how each named label was matched now: "manual" only when the user named them all. No confidence: a
    # hand correction is not measured (a constant 100 % read as "Certainty of the speaker mapping: 100 %")
    methods = {per_label.get(lab) or "manual" for lab in known if smap[lab] != lab} - {"unmapped"}
    method = methods.pop() if len(methods) == 1 else ("mixed" if methods else "manual")
    quality = session.quality
    if quality is not None:
        # the notes of the old mapping ("… by order of first speech (a guess)", "speaker mapping by order: no measured
        # confidence …") no longer describe it, nor does an earlier correction's note (round 41: a second remap left
        # "SPEAKER_00→Anna" beside "SPEAKER_00→Boris"): one note lists every label corrected by hand as it now stands
        notes = tuple(n for n in quality.notes if "order of first speech" not in n
                      and not n.startswith(("speaker mapping by ", HAND_NOTE))) + (
            HAND_NOTE + ", ".join(f"{lab}→{pid}" for lab, pid in smap.items() if per_label.get(lab) == "manual"),)
        quality = replace(quality, speaker_mapping_method=method, speaker_mapping_confidence=None,
                          speaker_mapping_margin=None, notes=notes,
                          unmapped_speaker_labels=tuple(lab for lab in known if smap[lab] == lab))
    # the text stages run again on the remapped session: their old outcomes no longer hold; the mapping step's
    # outcome is the new one (its row said "by order" beside the data-quality row's "mixed")
    runs = session.provenance.stage_runs
    prov = replace(session.provenance, stage_runs=tuple(r for r in runs if r.name not in STAGES))
    remapped = session.evolve(utterances=utterances, participants=tuple(participants), extra=extra, quality=quality,
                              provenance=prov, metrics=None, topics=None, recommendations=(), action_items=(),
                              questions=(), problems=(), knowledge_flow=None, summary=(), flags=())
    return record_stage_run(remapped, "audio.speaker_mapping", "ok", f"by {method}; no measured confidence")


def same_labels(before: Mapping[str, Any], session: Session, labels: Iterable[str], *,
                min_agreement: float = 0.8) -> bool:
    """Whether the speaker ``labels`` of a reprocessed recording still name the voices they named in the session
    written before (``before``: that ``session.json`` as read): the same recording (``input_sha256``), and for each
    label, at least ``min_agreement`` of its earlier speaking time lies under the same label now, more than under any
    other. Then a hand correction (``remap``) of those labels can be applied to the new session again."""
    extra = before.get("extra")
    old_audio = (extra.get("audio") if isinstance(extra, dict) else None) or {}
    new_audio = (session.extra or {}).get("audio") or {}
    if not old_audio.get("input_sha256") or old_audio.get("input_sha256") != new_audio.get("input_sha256"):
        return False
    old_utts = before.get("utterances")
    if not isinstance(old_utts, list):
        return False
    old_labels, new_labels = old_audio.get("utterance_labels") or [], new_audio.get("utterance_labels") or []
    if len(old_labels) != len(old_utts) or len(new_labels) != len(session.utterances):
        return False
    from sessionscope.audio.align import TurnIndex
    from sessionscope.audio.diarize import SpeakerTurn

    now = TurnIndex([SpeakerTurn(u.start, u.end, lab) for u, lab in zip(session.utterances, new_labels, strict=True)
                     if u.start is not None and u.end is not None])
    for label in labels:
        shared: dict[str, float] = {}
        total = 0.0
        for u, lab in zip(old_utts, old_labels, strict=True):
            a, b = (u.get("start"), u.get("end")) if isinstance(u, dict) else (None, None)
            if lab != label or a is None or b is None:
                continue
            total += b - a
            for other, seconds in now.overlaps(a, b).items():
                shared[other] = shared.get(other, 0.0) + seconds
        if total <= 0 or max(shared, key=lambda k: shared[k], default=None) != label \
                or shared[label] < min_agreement * total:
            return False
    return True


@dataclass(frozen=True)
class Enrolment:
    """What a ``remap`` did to the pair's voiceprints (participant ids)."""

    created: tuple[str, ...] = ()  # a new voiceprint from this session's named voice
    updated: tuple[str, ...] = ()  # an existing voiceprint given this session's named voice
    withdrawn: tuple[str, ...] = ()  # a voiceprint that had taken in a voice of this session ``run`` mapped wrongly
    unchanged: tuple[str, ...] = ()  # already holding this very voice by hand (the same remap again)

    @property
    def enrolled(self) -> tuple[str, ...]:
        return tuple(sorted({*self.created, *self.updated}))

    def __bool__(self) -> bool:
        return bool(self.created or self.updated or self.withdrawn or self.unchanged)


def enrol_confirmed(session: Session, labels: Iterable[str], voiceprint_dir: str | Path) -> Enrolment:
    """After a hand correction (``remap``): fold the voices ``run`` kept for this session's ``labels`` (those the
    user named) into their participants' voiceprints, so that the pair's later sessions are matched by voice,
    with a measured margin, instead of by order of first speech; and take this session's voice out of any print
    ``run`` had folded it into under a mapping the correction contradicts (a wrong introduction: the voice a
    label now names someone else). Two labels named as one person give one voice, their mean. A hand-confirmed
    voice replaces the session's earlier one in a print, and a later ``run`` of the session does not undo it
    (:meth:`~sessionscope.audio.identify.VoiceprintStore.save`). Nothing is done without a pair or without kept
    voices (``run`` keeps them with voiceprints on)."""
    import numpy as np

    from sessionscope.audio.identify import VoiceprintStore

    if not session.pair_id:
        return Enrolment()
    store = VoiceprintStore(voiceprint_dir)
    kept = store.load_sessions(session.pair_id).get(session.id) or {}
    smap = ((session.extra or {}).get("audio") or {}).get("speaker_map") or {}
    voices: dict[str, list[np.ndarray]] = {}
    for lab in labels:
        pid = smap.get(lab)
        if pid is not None and pid != lab and lab in kept:
            voices.setdefault(pid, []).append(kept[lab])
    withdrawn: list[str] = []
    for pid, (by, voice) in store.holders(session.pair_id, session.id).items():
        if pid in voices or by == "hand" or not kept:
            continue
        source = max(kept, key=lambda lab: float(  # the label whose kept voice ``run`` folded in
            voice @ kept[lab] / max(np.linalg.norm(voice) * np.linalg.norm(kept[lab]), 1e-9)))
        if smap.get(source) != pid and store.withdraw(session.pair_id, pid, session.id):
            withdrawn.append(pid)
    created: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    for pid, vs in sorted(voices.items()):
        existed = store.load(session.pair_id, [pid]) != {}
        if store.save(session.pair_id, pid, np.mean(vs, axis=0).tolist(), session_id=session.id, by="hand"):
            (updated if existed else created).append(pid)
        else:
            unchanged.append(pid)
    return Enrolment(tuple(created), tuple(updated), tuple(sorted(withdrawn)), tuple(unchanged))

"""Correcting who-is-who in a processed recording without transcribing again.

A session made by ``run`` keeps, per utterance, the diarization label it came from
(``extra["audio"]["utterance_labels"]``), so a new label → participant mapping can
rewrite the speakers; the text stages then run on the result
(:func:`sessionscope.api.remap` does both, ``sessionscope remap`` from the command line).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from sessionscope.errors import InputError
from sessionscope.model import Participant, Role, Session
from sessionscope.pipeline import STAGES


def remap_session(session: Session, mapping: Mapping[str, str]) -> Session:
    """A copy of ``session`` with utterances re-attributed by diarization label.

    ``mapping`` maps labels (``SPEAKER_00``) to participant ids or names. Raises
    :class:`~sessionscope.errors.InputError` for sessions without labels, unknown labels
    or unknown participants.
    """
    audio = (session.extra or {}).get("audio") or {}
    labels = audio.get("utterance_labels")
    if not labels or len(labels) != len(session.utterances):
        raise InputError(f"session {session.id!r} has no speaker labels to remap (only sessions made by `run` have them)")
    known = sorted(set(labels))
    by_key = {p.id: p.id for p in session.participants} | {p.name.lower(): p.id for p in session.participants}
    smap = dict(audio.get("speaker_map") or {lab: lab for lab in known})
    for lab, who in mapping.items():
        if lab not in known:
            raise InputError(f"unknown speaker label {lab!r}; labels in this session: {', '.join(known)}")
        pid = by_key.get(who) or by_key.get(who.lower())
        if pid is None:
            raise InputError(f"unknown participant {who!r}; participants: "
                             + ", ".join(f"{p.id} ({p.name})" for p in session.participants))
        smap[lab] = pid
    utterances = tuple(replace(u, speaker=smap[lab]) for u, lab in zip(session.utterances, labels, strict=True))
    used = {u.speaker for u in utterances}
    participants = [p for p in session.participants if p.role != Role.OTHER or p.id in used]
    participants += [Participant(s, s, Role.OTHER) for s in sorted(used - {p.id for p in participants})]
    per_label = dict(audio.get("speaker_mapping") or {})
    per_label.update({lab: "manual" for lab in mapping})
    extra = {**session.extra, "audio": {**audio, "speaker_map": smap, "speaker_mapping": per_label}}
    quality = session.quality
    if quality is not None:
        notes = tuple(n for n in quality.notes if "order of first speech" not in n) + (
            "speaker mapping corrected by hand: " + ", ".join(f"{k}→{v}" for k, v in mapping.items()),)
        quality = replace(quality, speaker_mapping_method="manual", speaker_mapping_confidence=1.0, notes=notes,
                          unmapped_speaker_labels=tuple(lab for lab in known if smap[lab] == lab))
    # the text stages run again on the remapped session: their old outcomes no longer hold
    prov = replace(session.provenance, stage_runs=tuple(r for r in session.provenance.stage_runs if r.name not in STAGES))
    return session.evolve(utterances=utterances, participants=tuple(participants), extra=extra, quality=quality,
                          provenance=prov, metrics=None, topics=None, recommendations=(), action_items=(), questions=(), problems=(),
                          knowledge_flow=None, summary=(), flags=())

"""Export sessions as a ConvoKit corpus, so existing conversation-analysis tools apply.

ConvoKit (Chang et al. 2020) stores a corpus as a folder of five files, which
``convokit.Corpus(filename=folder)`` loads:

* ``utterances.jsonl`` — one JSON object per line with ``id``, ``speaker``,
  ``conversation_id`` (the id of the conversation's first utterance in ConvoKit's own
  corpora; any id works), ``reply-to`` (the previous utterance, ``null`` for the first),
  ``timestamp``, ``text``, ``meta`` and ``vectors``;
* ``speakers.json`` — speaker id → ``{"meta": {...}, "vectors": []}``;
* ``conversations.json`` — conversation id → ``{"meta": {...}, "vectors": []}``;
* ``corpus.json`` — corpus-level metadata;
* ``index.json`` — the type of every metadata field per component
  (``"utterances-index"``, ``"speakers-index"``, ``"conversations-index"``,
  ``"overall-index"``), the format ``"version"`` and the ``"vectors"`` list.

One session is one conversation. Speaker ids are made unique per pair
(``<pair>:<participant id>``), so the same person is one ConvoKit speaker across a
pair's sessions; their role goes into the speaker metadata. ConvoKit needs a reply
structure: each utterance replies to the one before it (a linear conversation).
Timestamps are seconds from the start of the recording (``null`` when untimed).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sessionscope import __version__
from sessionscope.fileio import atomic_write_text
from sessionscope.model import Session
from sessionscope.report.tables import stage_ran

INDEX_VERSION = 1


def _type_name(value: Any) -> str:
    return f"<class '{type(value).__name__}'>"


def _index(records: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    """Field → [type string] as ConvoKit's ``ConvoKitIndex`` records them (first non-null value wins)."""
    out: dict[str, list[str]] = {}
    for meta in records:
        for k, v in meta.items():
            if k not in out and v is not None:
                out[k] = [_type_name(v)]
    return out


def speaker_key(session: Session, participant_id: str) -> str:
    """The corpus-wide speaker id of a participant."""
    return f"{session.pair_id or session.id}:{participant_id}"


def corpus_records(sessions: Iterable[Session]) -> dict[str, Any]:
    """The five ConvoKit components as plain Python objects."""
    utterances: list[dict[str, Any]] = []
    speakers: dict[str, dict[str, Any]] = {}
    conversations: dict[str, dict[str, Any]] = {}
    sessions = list(sessions)
    for s in sessions:
        roles = {p.id: p for p in s.participants}
        area_of: dict[str, str] = {}
        if s.topics:
            for seg in s.topics.segments:
                area_of.update(dict.fromkeys(seg.utterance_ids, seg.area))
        recs = {r.utterance_id for r in s.advice}
        procedure = {r.utterance_id for r in s.recommendations if r.procedure}  # "Next slide, please."
        requests = {r.utterance_id for r in s.help_requests}  # "Show me how."
        acts = {a.utterance_id for a in s.tasks}
        moves = {a.utterance_id for a in s.action_items if a.in_meeting}  # "I'll draw it on the whiteboard"
        qs = {q.utterance_id for q in s.questions}
        # round 51: the interruptions the dynamics counted (metrics.interruption_events)
        cuts = {e.utterance_id: e for e in (s.metrics.interruption_events if s.metrics else ())}
        cut_off = {e.interrupted_utterance_id for e in cuts.values()}
        # an item detected with low confidence: researchers can leave it out or check it
        check = {x.utterance_id for x in (*s.recommendations, *s.action_items, *s.questions) if x.to_check}  # type: ignore[attr-defined]  # all three have both
        for p in s.participants:
            key = speaker_key(s, p.id)
            speakers.setdefault(key, {"meta": {"name": p.name, "role": p.role.value, "participant_id": p.id,
                                               "pair_id": s.pair_id}, "vectors": []})
        previous = None
        for u in s.utterances:
            key = speaker_key(s, u.speaker)
            if key not in speakers:  # a speaker label that was never mapped to a participant
                speakers[key] = {"meta": {"name": u.speaker, "role": "other", "participant_id": u.speaker,
                                          "pair_id": s.pair_id}, "vectors": []}
            uid = f"{s.id}:{u.id}"
            utterances.append({
                "id": uid, "speaker": key, "conversation_id": s.id, "reply-to": previous,
                "timestamp": u.start, "text": u.text,
                "meta": {"end": u.end, "role": roles[u.speaker].role.value if u.speaker in roles else "other",
                         "topic_area": area_of.get(u.id), "is_recommendation": u.id in recs, "is_procedure_suggestion": u.id in procedure,
                         "is_help_request": u.id in requests,
                         "is_action_item": u.id in acts, "is_in_meeting_move": u.id in moves, "is_question": u.id in qs, "to_check": u.id in check,
                         "confidence": u.confidence, "flags": list(u.flags),
                         "interrupts": f"{s.id}:{cuts[u.id].interrupted_utterance_id}" if u.id in cuts else None,
                         "interruption_probability": cuts[u.id].probability if u.id in cuts else None,
                         "is_cut_off": u.id in cut_off},
                "vectors": [],
            })
            previous = uid
        m = s.metrics.session if s.metrics else {}
        extracted = stage_ran(s, "extraction")
        conversations[s.id] = {"meta": {
            "pair_id": s.pair_id, "date": s.date.isoformat() if s.date else None, "language": s.language,
            "duration_s": s.span_s, "balance_score": m.get("balance_score"),
            "talk_time_gini": m.get("talk_time_gini"), "turn_taking_index": m.get("turn_taking_index"),
            "mutuality_index": s.knowledge_flow.mutuality_index if s.knowledge_flow else None,
            # unknown (null), not 0, when the extraction did not run (as in the research tables)
            "n_recommendations": len(s.advice) if extracted else None,
            "n_action_items": len(s.tasks) if extracted else None,
            "flags": [f.code for f in s.flags],
        }, "vectors": []}
    corpus = {"name": "sessionscope export", "generator": f"sessionscope {__version__}",
              "n_sessions": len(sessions), "timestamp_unit": "seconds from the start of each recording"}
    index = {
        "utterances-index": _index(u["meta"] for u in utterances),
        "speakers-index": _index(v["meta"] for v in speakers.values()),
        "conversations-index": _index(v["meta"] for v in conversations.values()),
        "overall-index": _index([corpus]),
        "version": INDEX_VERSION,
        "vectors": [],
    }
    return {"utterances": utterances, "speakers": speakers, "conversations": conversations, "corpus": corpus,
            "index": index}


def export_convokit(sessions: Iterable[Session], out_dir: str | Path) -> Path:
    """Write a ConvoKit corpus folder; returns it (load with ``convokit.Corpus(filename=str(out_dir))``)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rec = corpus_records(sessions)
    atomic_write_text(out / "utterances.jsonl",
                      "".join(json.dumps(u, ensure_ascii=False) + "\n" for u in rec["utterances"]))
    for name, key in (("speakers.json", "speakers"), ("conversations.json", "conversations"),
                      ("corpus.json", "corpus"), ("index.json", "index")):
        atomic_write_text(out / name, json.dumps(rec[key], ensure_ascii=False))
    return out

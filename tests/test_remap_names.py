"""``remap`` names the speakers of a recording run without participants (model-free)."""

from __future__ import annotations

import pytest

from helpers import make_session
from sessionscope.errors import InputError
from sessionscope.model import Participant, Role
from sessionscope.remapping import remap_session


def _labelled(participants=None):  # noqa: ANN001, ANN202
    s = make_session([("SPEAKER_00", 0, 1, "hello there"), ("SPEAKER_01", 1, 2, "hi, how are you"),
                      ("SPEAKER_00", 2, 3, "fine")])
    extra = {"audio": {"utterance_labels": ["SPEAKER_00", "SPEAKER_01", "SPEAKER_00"]}}
    if participants is None:
        return s.evolve(extra=extra)
    ids = [p.id for p in participants]
    utts = tuple(u.__class__(u.id, ids[0] if u.speaker == "SPEAKER_00" else ids[1], u.text, u.start, u.end)
                 for u in s.utterances)
    extra["audio"]["speaker_map"] = {"SPEAKER_00": ids[0], "SPEAKER_01": ids[1]}
    return s.evolve(utterances=utts, participants=tuple(participants), extra=extra)


def test_a_run_without_participants_gets_names_and_roles() -> None:
    out = remap_session(_labelled(), {"SPEAKER_00": "Anna Petrova:junior", "SPEAKER_01": "Boris"})
    assert [u.speaker for u in out.utterances] == ["anna-petrova", "boris", "anna-petrova"]
    people = {p.id: p for p in out.participants}
    assert set(people) == {"anna-petrova", "boris"}  # the labels are gone: nobody speaks as them
    assert people["anna-petrova"] == Participant("anna-petrova", "Anna Petrova", Role.JUNIOR)
    assert people["boris"].role == Role.OTHER and people["boris"].name == "Boris"


def test_two_labels_can_become_one_person_and_a_label_can_join_another() -> None:
    out = remap_session(_labelled(), {"SPEAKER_00": "Anna:junior", "SPEAKER_01": "anna"})
    assert {u.speaker for u in out.utterances} == {"anna"} and [p.id for p in out.participants] == ["anna"]
    merged = remap_session(_labelled(), {"SPEAKER_01": "SPEAKER_00"})
    assert {u.speaker for u in merged.utterances} == {"SPEAKER_00"}


def test_with_named_participants_an_unknown_name_needs_a_role() -> None:
    s = _labelled([Participant("anna", "Anna", Role.JUNIOR), Participant("boris", "Boris", Role.SENIOR)])
    with pytest.raises(InputError, match="give a role: SPEAKER_01=Bors:junior"):
        remap_session(s, {"SPEAKER_01": "Bors"})  # a typo is not silently a new person
    out = remap_session(s, {"SPEAKER_01": "Carla:senior"})
    # Boris stays a participant (a named role is kept even when silent), Carla joins as senior
    assert {p.id: p.role for p in out.participants} == {"anna": Role.JUNIOR, "boris": Role.SENIOR, "carla": Role.SENIOR}
    swapped = remap_session(s, {"SPEAKER_00": "Boris", "SPEAKER_01": "anna:junior"})
    assert [u.speaker for u in swapped.utterances] == ["boris", "anna", "boris"]
    with pytest.raises(InputError, match="already a participant, as junior"):
        remap_session(s, {"SPEAKER_01": "Anna:senior"})


def test_a_name_with_a_colon_that_is_not_a_role_stays_a_name() -> None:
    out = remap_session(_labelled(), {"SPEAKER_00": "Dr: Who"})
    who = next(p for p in out.participants if p.name == "Dr: Who")
    assert who.role == Role.OTHER and out.utterances[0].speaker == who.id

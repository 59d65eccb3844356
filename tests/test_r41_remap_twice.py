"""Round 41: a second ``remap`` of one session leaves one note of the hand corrections as they now stand (a new user
swapped the speakers of a session corrected before: its notes read "SPEAKER_00→Anna Lee" and "SPEAKER_00→boris-ray")."""

from __future__ import annotations

from helpers import make_session
from sessionscope.model import DataQuality, Participant, Role
from sessionscope.remapping import HAND_NOTE, remap_session


def _run_session():  # noqa: ANN202
    s = make_session([("anna", 0, 1, "hello there"), ("boris", 1, 2, "hi, how are you"), ("anna", 2, 3, "fine")])
    people = (Participant("anna", "Anna Lee", Role.JUNIOR), Participant("boris", "Boris Ray", Role.SENIOR))
    extra = {"audio": {"utterance_labels": ["SPEAKER_00", "SPEAKER_01", "SPEAKER_00"],
                       "speaker_map": {"SPEAKER_00": "anna", "SPEAKER_01": "boris"},
                       "speaker_mapping": {"SPEAKER_00": "voiceprint", "SPEAKER_01": "voiceprint"}}}
    quality = DataQuality(notes=("telephone-band audio (nothing above 4 kHz)",), speaker_mapping_method="voiceprint")
    return s.evolve(participants=people, extra=extra, quality=quality)


def hand_notes(session) -> list[str]:  # noqa: ANN001
    return [n for n in session.quality.notes if n.startswith(HAND_NOTE)]


def test_a_second_correction_replaces_the_first_note() -> None:
    once = remap_session(_run_session(), {"SPEAKER_00": "boris", "SPEAKER_01": "anna"})
    assert hand_notes(once) == [HAND_NOTE + "SPEAKER_00→boris, SPEAKER_01→anna"]
    twice = remap_session(once, {"SPEAKER_00": "anna", "SPEAKER_01": "boris"})
    assert hand_notes(twice) == [HAND_NOTE + "SPEAKER_00→anna, SPEAKER_01→boris"]
    assert [u.speaker for u in twice.utterances] == ["anna", "boris", "anna"]
    assert "telephone-band audio (nothing above 4 kHz)" in twice.quality.notes  # other notes kept


def test_a_later_correction_of_one_label_keeps_the_earlier_one_of_the_other() -> None:
    once = remap_session(_run_session(), {"SPEAKER_01": "Carla:senior"})
    assert hand_notes(once) == [HAND_NOTE + "SPEAKER_01→carla"]
    twice = remap_session(once, {"SPEAKER_00": "boris"})
    assert hand_notes(twice) == [HAND_NOTE + "SPEAKER_00→boris, SPEAKER_01→carla"]
    assert twice.quality.speaker_mapping_method == "manual"

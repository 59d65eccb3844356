"""The session manifest (YAML, CSV), entry lookup, CLI participant options and apply_manifest."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessionscope.errors import InputError, ManifestError
from sessionscope.io import read_transcript
from sessionscope.io.manifest import (
    ManifestEntry,
    apply_manifest,
    entry_from_options,
    load_manifest,
    participants_from_options,
)
from sessionscope.model import Role

YAML = """\
pairs:
  smirnova-ivanov:
    language: ru
    participants:
      - {name: Anna Smirnova, role: junior, aliases: ["Anna S", "iPhone (2)"]}
      - {name: Boris Ivanov, role: senior, id: boris, voice_sample: voices/boris.wav}
sessions:
  - id: s01
    pair: smirnova-ivanov
    date: 2026-01-15
    file: recordings/s01.m4a
    transcript: transcripts/s01.transcript.vtt
    topics_planned: [tools, time]
  - id: s02
    pair: other-pair
    date: "2026-01-22"
    file: recordings/s02.vtt
    language: EN
    participants:
      - name: Carl
        role: senior
      - name: Dana
        role: junior
"""

VTT = """WEBVTT

00:00:00.000 --> 00:00:03.000
<v anna  s>Can you show me how you plan the week?</v>

00:00:03.500 --> 00:00:06.000
<v Boris Ivanov>Sure, I block mornings.</v>

00:00:06.500 --> 00:00:08.000
<v Zoom Guest>Sorry, wrong room.</v>
"""


@pytest.fixture
def manifest_path(tmp_path):
    p = tmp_path / "sessions.yaml"
    p.write_text(YAML, encoding="utf-8")
    return p


def test_yaml_with_pairs(manifest_path, tmp_path):
    m = load_manifest(manifest_path)
    assert len(m) == 2 and m.root == tmp_path
    s01, s02 = m.entries
    assert (s01.id, s01.pair_id, s01.date, s01.language) == ("s01", "smirnova-ivanov", dt.date(2026, 1, 15), "ru")
    assert [(p.name, p.role, p.participant_id) for p in s01.participants] == [
        ("Anna Smirnova", Role.JUNIOR, "anna-smirnova"), ("Boris Ivanov", Role.SENIOR, "boris")]
    assert s01.participants[1].voice_sample == str(tmp_path / "voices" / "boris.wav")
    assert s01.topics_planned == ("tools", "time")
    assert s02.language == "en" and s02.date == dt.date(2026, 1, 22)
    assert [p.role for p in s02.participants] == [Role.SENIOR, Role.JUNIOR]


def test_entry_for(manifest_path, tmp_path, monkeypatch):
    m = load_manifest(manifest_path)
    assert m.entry_for("s02").id == "s02"
    assert m.entry_for(tmp_path / "recordings" / "s01.m4a").id == "s01"
    assert m.entry_for(tmp_path / "transcripts" / "s01.transcript.vtt").id == "s01"
    monkeypatch.chdir(tmp_path)
    assert m.entry_for("recordings/s02.vtt").id == "s02"
    assert m.entry_for("/elsewhere/s02.vtt").id == "s02"  # by file name
    assert m.entry_for("/elsewhere/s01.cc.vtt") is None  # s01 names its transcript
    assert m.entry_for("/elsewhere/s02.cc.vtt") is None  # s02's file is itself a transcript
    assert m.entry_for("/elsewhere/s02.txt").id == "s02"  # base name equal to the session id
    assert m.entry_for("/elsewhere/unknown.vtt") is None


def test_entry_for_transcript_of_a_recording(tmp_path):
    p = tmp_path / "m.yaml"
    p.write_text("sessions:\n- {id: a, file: rec/GMT2024_Recording.m4a}\n- {id: b, file: rec/other.m4a}\n",
                 encoding="utf-8")
    m = load_manifest(p)
    assert m.entry_for(tmp_path / "GMT2024_Recording.transcript.vtt").id == "a"
    assert m.entry_for(tmp_path / "other.srt").id == "b"


def test_entry_for_ambiguous_name(tmp_path, caplog):
    p = tmp_path / "m.yaml"
    p.write_text("sessions:\n- {id: a, file: x/call.vtt}\n- {id: b, file: y/call.vtt}\n", encoding="utf-8")
    m = load_manifest(p)
    assert m.entry_for(tmp_path / "y" / "call.vtt").id == "b"
    with caplog.at_level(logging.WARNING):
        assert m.entry_for("/other/call.vtt") is None
    assert "matches 2 manifest sessions" in caplog.text


def test_apply_manifest_maps_labels(manifest_path, tmp_path, caplog):
    f = tmp_path / "transcripts" / "s01.transcript.vtt"
    f.parent.mkdir()
    f.write_text(VTT, encoding="utf-8")
    m = load_manifest(manifest_path)
    with caplog.at_level(logging.WARNING):
        s = apply_manifest(read_transcript(f), m.entry_for(f))
    assert (s.id, s.pair_id, s.date, s.language) == ("s01", "smirnova-ivanov", dt.date(2026, 1, 15), "ru")
    assert [(p.id, p.name, p.role) for p in s.participants] == [
        ("anna-smirnova", "Anna Smirnova", Role.JUNIOR), ("boris", "Boris Ivanov", Role.SENIOR),
        ("zoom-guest", "Zoom Guest", Role.OTHER)]
    assert [u.speaker for u in s.utterances] == ["anna-smirnova", "boris", "zoom-guest"]
    assert s.quality.unmapped_speaker_labels == ("Zoom Guest",)
    assert s.quality.speaker_mapping_method == "names"
    assert s.extra["topics_planned"] == ["tools", "time"]
    assert "Zoom Guest" in caplog.text
    assert apply_manifest(s, m.entry_for("s01")) == s  # idempotent


def test_apply_manifest_merges_labels_and_keeps_silent_participants(tmp_path):
    f = tmp_path / "c.txt"
    f.write_text("Anna Smirnova: hi\nAnna S: it's me again from the phone\nANNA SMIRNOVA: ok\n", encoding="utf-8")
    entry = entry_from_options(["Anna Smirnova|Anna S=junior", "Boris=senior"], language="ru")
    s = apply_manifest(read_transcript(f), entry)
    assert [u.speaker for u in s.utterances] == ["anna-smirnova"] * 3
    assert [(p.id, p.role) for p in s.participants] == [("anna-smirnova", Role.JUNIOR), ("boris", Role.SENIOR)]
    assert any("'Boris' has no speech" in n for n in s.quality.notes)
    assert s.language == "ru" and s.quality.unmapped_speaker_labels == ()


def test_apply_manifest_partial_name_and_display_name(tmp_path):
    f = tmp_path / "c.txt"
    f.write_text("maya: hello\nRobert Hale: morning\n", encoding="utf-8")
    s = apply_manifest(read_transcript(f), entry_from_options(["Maya Chen=junior", "robert hale=senior"]))
    assert [(p.name, p.role) for p in s.participants] == [("Maya Chen", Role.JUNIOR), ("Robert Hale", Role.SENIOR)]
    assert any("'maya' taken as 'Maya Chen'" in n for n in s.quality.notes)
    # an ambiguous part of a name does not match
    f.write_text("Chen: hello\n", encoding="utf-8")
    s = apply_manifest(read_transcript(f), entry_from_options(["Maya Chen=junior", "Li Chen=senior"]))
    assert s.quality.unmapped_speaker_labels == ("Chen",)


def test_participants_from_options():
    ps = participants_from_options(["Anna=junior", "  Boris   Ivanov = senior ", "Eve"])
    assert [(p.name, p.role) for p in ps] == [("Anna", Role.JUNIOR), ("Boris Ivanov", Role.SENIOR), ("Eve", Role.OTHER)]
    with pytest.raises(ManifestError, match="unknown role 'boss'"):
        participants_from_options(["Anna=boss"])
    with pytest.raises(ManifestError, match="no name"):
        participants_from_options(["=junior"])
    with pytest.raises(ManifestError, match="same id"):
        participants_from_options(["Anna=junior", "anna=senior"])


def test_csv_one_row_per_session(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("id,pair,date,file,language,junior,senior,junior_aliases,senior_id,other\n"
                 "s01,p1,2026-02-01,a.vtt,ru,Anna Smirnova,Boris Ivanov,Anna S|Annushka,boris,Olga; Pavel\n"
                 "s02,p1,2026-02-08,b.vtt,,Anna Smirnova,Boris Ivanov,,,\n", encoding="utf-8")
    m = load_manifest(p)
    a, b = m.entries
    assert [(x.name, x.role, x.participant_id) for x in a.participants] == [
        ("Anna Smirnova", Role.JUNIOR, "anna-smirnova"), ("Boris Ivanov", Role.SENIOR, "boris"),
        ("Olga", Role.OTHER, "olga"), ("Pavel", Role.OTHER, "pavel")]
    assert a.participants[0].aliases == ("Anna S", "Annushka") and a.pair_id == "p1"
    assert b.language is None and b.date == dt.date(2026, 2, 8)


def test_csv_one_row_per_participant(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("id,pair,date,file,name,role,aliases\n"
                 "s01,p1,2026-02-01,a.vtt,Anna,junior,Anna S|A.\n"
                 "s01,,,,Boris,senior,\n"
                 "s02,p1,2026-02-08,b.vtt,Anna,junior,\n", encoding="utf-8")
    a, b = load_manifest(p).entries
    assert [(x.name, x.role) for x in a.participants] == [("Anna", Role.JUNIOR), ("Boris", Role.SENIOR)]
    assert a.file == "a.vtt" and len(b.participants) == 1
    p.write_text("id,file,name,role\ns01,a.vtt,Anna,junior\ns01,b.vtt,Boris,senior\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="row 3: file 'b.vtt' contradicts 'a.vtt'"):
        load_manifest(p)


@pytest.mark.parametrize("text, match", [
    ("sessions:\n- {id: s1, file: a.vtt, colour: red}\n", r"sessions\[0\] \(id 's1'\)\.colour: unknown key \(valid: .*pair"),
    ("sessions:\n- {id: s1, participants: [{name: A, role: boss}]}\n",
     r"sessions\[0\] \(id 's1'\)\.participants\[0\]\.role: unknown role 'boss'; valid roles: junior"),
    ("sessions:\n- {id: s1, participants: [{name: A, age: 3}]}\n", r"participants\[0\]\.age: unknown key \(valid: aliases"),
    ("sessions:\n- {id: s1, date: 15.01.2026}\n", r"\.date: "),
    ("sessions:\n- {id: s1}\n- {id: s1}\n", "session id 's1' is already used"),
    ("sessions:\n- {pair: x}\n", "give at least 'id' or 'file'"),
    ("sessions:\n- {id: s1, participants: [{name: A}, {name: B, aliases: [a]}]}\n", "'a' names both"),
    ("sessions: [\n", "invalid YAML at line"),
    ("42\n", "must be a list of sessions"),
    ("session: []\n", "unknown top-level key"),
    ("pairs: {p: {participants: []}}\nsessions:\n- {id: s1, pair: q}\n", "pair 'q' is not defined"),
    ("", "empty"),
    ("sessions: []\n", "lists no sessions"),
    ("sessions:\n- {id: s1, date: 2026-13-45}\n", "invalid YAML value: month must be in 1..12"),
])
def test_yaml_errors(tmp_path, text, match):
    p = tmp_path / "m.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError, match=match) as e:
        load_manifest(p)
    assert isinstance(e.value, InputError) and e.value.path == str(p)


def test_csv_errors(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("id,file,junior,mentor_name\ns1,a.vtt,Anna,Boris\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="unknown column.*'mentor_name'.*valid: .*junior"):
        load_manifest(p)
    p.write_text("id,file,junior\ns1,a.vtt,Anna,extra\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="row 2: more cells than columns"):
        load_manifest(p)
    with pytest.raises(ManifestError, match="cannot read"):
        load_manifest(tmp_path / "missing.yaml")


def test_top_level_list_and_numeric_ids(tmp_path):
    p = tmp_path / "m.yml"
    p.write_text("- {id: 7, file: a.vtt, participants: [{name: A, id: 12}]}\n", encoding="utf-8")
    (e,) = load_manifest(p).entries
    assert e.id == "7" and e.participants[0].participant_id == "12"
    assert ManifestEntry(pair="x").pair_id == "x"


def test_bundled_example_manifest(repo_root):
    m = load_manifest(repo_root / "examples" / "manifest.yaml")
    e = m.entry_for(repo_root / "examples" / "en_session" / "recording.ogg")
    assert e is not None and e.id == "en_session"
    s = apply_manifest(read_transcript(repo_root / "examples" / "en_session" / "reference.stm"), e)
    assert {p.name: p.role for p in s.participants} == {"Maya Chen": Role.JUNIOR, "Robert Hale": Role.SENIOR}


def test_russian_names_and_roles(tmp_path):
    f = tmp_path / "встреча.txt"
    f.write_text("[00:00:01] Анна: Какие инструменты вы используете?\n[00:00:05] Борис Иванов: В основном Outlook.\n",
                 encoding="utf-8")
    s = read_transcript(f)
    assert [p.id for p in s.participants] == ["анна", "борис-иванов"]
    s = apply_manifest(s, entry_from_options(["Анна Смирнова=младший", "борис иванов=старший"], language="ru"))
    assert [(p.id, p.name, p.role) for p in s.participants] == [
        ("анна-смирнова", "Анна Смирнова", Role.JUNIOR), ("борис-иванов", "Борис Иванов", Role.SENIOR)]


BOMB = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
"""


def test_yaml_alias_bomb_refused_in_manifest_and_config(tmp_path):
    from sessionscope.config import load_config
    from sessionscope.errors import ConfigError

    m = tmp_path / "bomb.yaml"
    m.write_text("bomb:\n" + "".join("  " + line + "\n" for line in BOMB.splitlines())
                 + "sessions:\n- {id: s1, file: a.vtt, topics_planned: *g}\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="alias bomb"):
        load_manifest(m)
    c = tmp_path / "bomb-config.yaml"
    c.write_text(BOMB + "pipeline: {stages: *g}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="alias bomb"):
        load_config(c)
    ok = tmp_path / "anchors.yaml"  # ordinary anchors still work
    ok.write_text("sessions:\n- {id: s1, file: a.vtt, participants: &p [{name: Anna, role: junior}]}\n"
                  "- {id: s2, file: b.vtt, participants: *p}\n", encoding="utf-8")
    assert [len(e.participants) for e in load_manifest(ok)] == [1, 1]


@pytest.mark.parametrize("bad_id", ["../../x", "/abs/path", "a/b", "..", ".hidden", "a b", "x\\y"])
def test_unsafe_session_ids_refused_in_yaml_and_csv(tmp_path, bad_id):
    y = tmp_path / "m.yaml"
    y.write_text(f"sessions:\n- id: {json.dumps(bad_id)}\n  file: a.vtt\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="not a safe name"):
        load_manifest(y)
    c = tmp_path / "m.csv"
    c.write_text(f"id,file,junior\n\"{bad_id}\",a.vtt,Anna\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="not a safe name"):
        load_manifest(c)

_yaml_bits = st.sampled_from(["sessions:", "\n- ", "id: ", "s1", "../x", "file: ", "a.vtt", "participants: ",
                              "[{name: Anna, role: junior}]", "{name: B, role: mentor}", "pairs:", "  p1:", "date: ",
                              "2026-13-45", "2026-01-02", "&a ", "*a", "*b", "[", "]", "{", "}", ":", ",", "\"", "'",
                              "topics_planned: ", "notes: ", "\t", "  ", "\n", "é", "\x00", "junior", "id,file,junior\n"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.lists(_yaml_bits, max_size=30).map("".join), suffix=st.sampled_from([".yaml", ".csv", ".txt"]))
def test_any_manifest_text_loads_or_fails_clearly(tmp_path, text, suffix):
    f = tmp_path / f"m{suffix}"
    f.write_text(text, encoding="utf-8")
    try:
        m = load_manifest(f)
    except ManifestError as e:
        assert str(f) in str(e)
        return
    for e in m.entries:
        assert e.id is None or (".." not in e.id and "/" not in e.id)

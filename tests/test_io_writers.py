"""Writers (RTTM, SRT, VTT, CSV, JSON) and read → write → read round trips, incl. hypothesis properties."""

from __future__ import annotations

import csv

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessionscope.errors import InputError
from sessionscope.io import export_problem, read_transcript, write_transcript
from sessionscope.io.writers import CSV_COLUMNS, to_rttm, to_srt, to_vtt
from sessionscope.model import Participant, Role, Session, Utterance


def session(timed=True):
    people = (Participant("anna", "Anna Smirnova", Role.JUNIOR), Participant("boris", "Boris <Ivanov>", Role.SENIOR),
              Participant("unknown", "Unknown speaker"))
    t = (lambda a, b: {"start": a, "end": b}) if timed else (lambda a, b: {})
    utts = (Utterance("u0001", "anna", "Hi, Boris & co. <3", **t(0.5, 2.25)),
            Utterance("u0002", "boris", "Hello\nAnna.", confidence=0.9, flags=("overlap",), **t(2.0, 65.0)),
            Utterance("u0003", "unknown", "Hmm.", **t(3661.0, 3662.5)))
    return Session(id="s 01", participants=people, utterances=utts)


def test_vtt_output():
    text = to_vtt(session())
    assert text.startswith("WEBVTT\n\nu0001\n00:00:00.500 --> 00:00:02.250\n<v Anna Smirnova>Hi, Boris &amp; co. &lt;3</v>\n")
    assert "<v Boris &lt;Ivanov&gt;>Hello Anna.</v>" in text
    assert "01:01:01.000 --> 01:01:02.500\nHmm.\n" in text  # unknown speaker: no voice tag


def test_srt_output():
    text = to_srt(session())
    assert text.split("\n\n")[1] == "2\n00:00:02,000 --> 00:01:05,000\nBoris <Ivanov>: Hello Anna."
    assert text.endswith("3\n01:01:01,000 --> 01:01:02,500\nHmm.\n")


def test_rttm_output():
    lines = to_rttm(session()).splitlines()
    assert lines[0] == "SPEAKER s_01 1 0.500 1.750 <NA> <NA> anna <NA> <NA>"
    assert len(lines) == 3 and all(len(x.split()) == 10 for x in lines)


def test_csv_output(tmp_path):
    p = write_transcript(session(), tmp_path / "u.csv", "csv")
    rows = list(csv.DictReader(p.open(encoding="utf-8")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[1]["text"] == "Hello\nAnna." and rows[1]["role"] == "senior" and rows[1]["flags"] == "overlap"
    assert rows[1]["duration"] == "63.000" and rows[2]["speaker_name"] == ""


def test_untimed_session(tmp_path, caplog):
    s = session(timed=False)
    assert export_problem(s, "csv") is None and export_problem(session(), "srt") is None
    for fmt in ("rttm", "srt", "vtt"):
        assert "no timestamps" in export_problem(s, fmt)
        with pytest.raises(InputError, match="no timestamps.*use csv or json"):
            write_transcript(s, tmp_path / f"x.{fmt}", fmt)
    assert not (tmp_path / "x.srt").exists()
    back = read_transcript(write_transcript(s, tmp_path / "x.csv", "csv"))
    assert [u.text for u in back.utterances] == ["Hi, Boris & co. <3", "Hello Anna.", "Hmm."] and not back.timed
    partly = s.evolve(utterances=(s.utterances[0].__class__("u9", "anna", "timed", start=1.0, end=2.0),
                                  *s.utterances))
    write_transcript(partly, tmp_path / "p.vtt", "vtt")
    assert "without times are left out" in caplog.text
    assert [u.text for u in read_transcript(tmp_path / "p.vtt").utterances] == ["timed"]


def test_unknown_format(tmp_path):
    with pytest.raises(InputError, match="unknown export format 'docx'"):
        write_transcript(session(), tmp_path / "x.docx", "docx")


@pytest.mark.parametrize("fmt", ["vtt", "srt", "csv", "json", "rttm"])
def test_round_trip(tmp_path, fmt):
    s = session()
    back = read_transcript(write_transcript(s, tmp_path / f"t.{fmt}", fmt))
    names = {p.id: p.name for p in s.participants}
    bnames = {p.id: p.name for p in back.participants}
    want = [(names[u.speaker], u.text if fmt == "json" else " ".join(u.text.split()), u.start, u.end)
            for u in s.utterances]
    got = [(bnames[u.speaker], u.text, u.start, u.end) for u in back.utterances]
    if fmt == "rttm":  # ids instead of names, no text
        want = [(u.speaker, "", u.start, u.end) for u in s.utterances]
        want[2] = ("unknown", "", 3661.0, 3662.5)
    assert got == want
    assert [p.id for p in back.participants] == ["anna-smirnova" if fmt != "rttm" and fmt != "json" else "anna",
                                                 *([] if fmt in ("rttm", "json") else ["boris-ivanov", "unknown"]),
                                                 *(["boris", "unknown"] if fmt in ("rttm", "json") else [])]


_names = st.sampled_from(["Anna", "Boris Ivanov", "Анна Смирнова", "Dr. Ko", "speaker_00", "O'Neil"])
_texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    lambda t: t.strip() and ":" not in t and "-->" not in t)


@st.composite
def sessions(draw):
    n = draw(st.integers(1, 12))
    t, utts, people = 0.0, [], {}
    for i in range(n):
        name = draw(_names)
        people.setdefault(name, Participant(name.lower().replace(" ", "-"), name))
        t += draw(st.integers(0, 5000)) / 1000
        dur = draw(st.integers(1, 20000)) / 1000
        utts.append(Utterance(f"u{i + 1:04d}", people[name].id, draw(_texts), start=round(t, 3), end=round(t + dur, 3)))
    return Session(id="prop", participants=tuple(people.values()), utterances=tuple(utts))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(s=sessions(), fmt=st.sampled_from(["vtt", "srt", "csv"]))
def test_round_trip_property(tmp_path, s, fmt):
    back = read_transcript(write_transcript(s, tmp_path / f"p.{fmt}", fmt))
    names = {p.id: p.name for p in s.participants}
    bnames = {p.id: p.name for p in back.participants}
    want = sorted(((u.start, names[u.speaker], " ".join(u.text.split()), u.end) for u in s.utterances),
                  key=lambda r: r[0])
    got = [(u.start, bnames[u.speaker], u.text, u.end) for u in back.utterances]
    assert [(a, b, d) for a, b, _, d in got] == [(a, b, d) for a, b, _, d in want]
    assert [c for _, _, c, _ in got] == [c for _, _, c, _ in want]


# Any name and any text (markup, entities, formula starts, quotes, backslashes) survive a CSV round trip
# exactly (up to whitespace), and a VTT round trip with voice tags.
_any_names = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1,
                     max_size=20).filter(lambda t: t.strip())
_any_texts = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40),
    st.lists(st.sampled_from(["=1+1", "+", "-", "@", "'", "<b>", "&amp;", "&", "<", ">", "{\\an8}", "\\", "$x$",
                              "word", " ", "\"", ",", "<v x>", "</v>"]), min_size=1, max_size=8).map("".join),
).filter(lambda t: t.strip() and "-->" not in t)


@st.composite
def any_sessions(draw):
    n = draw(st.integers(1, 6))
    t, utts, people = 0.0, [], {}
    for i in range(n):
        name = " ".join(draw(_any_names).split())
        key = " ".join(name.casefold().split())
        people.setdefault(key, Participant(f"p{len(people)}", name))
        t += draw(st.integers(0, 5000)) / 1000
        utts.append(Utterance(f"u{i + 1:04d}", people[key].id, draw(_any_texts), start=round(t, 3),
                              end=round(t + draw(st.integers(1, 9000)) / 1000, 3)))
    return Session(id="prop", participants=tuple(people.values()), utterances=tuple(utts))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(s=any_sessions(), fmt=st.sampled_from(["csv", "vtt"]))
def test_round_trip_any_names_and_text(tmp_path, s, fmt):
    back = read_transcript(write_transcript(s, tmp_path / f"p.{fmt}", fmt), fmt=fmt)
    names = {p.id: p.name for p in s.participants}
    bnames = {p.id: p.name for p in back.participants}
    want = sorted(((u.start, u.end, names[u.speaker], " ".join(u.text.split())) for u in s.utterances),
                  key=lambda r: r[0])
    got = [(u.start, u.end, bnames[u.speaker], u.text) for u in back.utterances]
    assert got == want

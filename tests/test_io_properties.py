"""Property tests: arbitrary text or bytes never crash a reader — it parses or raises InputError —
and whatever it reads has bounded, ordered, non-negative times."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessionscope.errors import InputError
from sessionscope.io import DEFAULT_MAX_DURATION_S, FORMATS, read_transcript
from sessionscope.io.manifest import load_manifest
from sessionscope.model import Session

# Text built from format fragments finds far more parser paths than uniform noise.
_FRAGMENTS = [
    "WEBVTT", "\n", "\n\n", "00:00:01.000 --> 00:00:02.000", "00:01,5 --> 00:00,1", "01:02:03,004 --> 01:02:04,000",
    "<v Anna>", "</v>", "<v.loud>", "<c.yellow>", "<00:00:01.500>", "&amp;", "&#x41;", "Anna:", "Dr. Ko:", " text ",
    "NOTE x", "STYLE", "1", "rec 1 A 0.5 1.5 hello", "rec 1 B 2 1 bad", ";; c", "<o,f0,male>", "<LAUGH>",
    "ignore_time_segment_in_scoring", "SPEAKER f 1 0.0 1.0 <NA> <NA> a <NA> <NA>", "LEXEME f 1 0.1 0.2 hi lex a <NA>",
    "SPEAKER f 1 x y", '{"segments": [', '{"start": 0, "end": 1, "text": "hi", "speaker": "S0"}', "]}", "[", "]",
    '"words": [{"word": "a", "start": null}]', "[00:00:05]", "(0:07)", "00:00:09\tBo:\t", "Anna  00:03",
    "speaker,start,end,text", "0:00:01.000,0:00:02.500", "A,1,2,hi", 'B,"x",,', "\ufeff", "\r\n", "\t", "-->", "99:99:99.999", "Привет", "—",
    "9999999:00:00.000", "999:00:00,000", "00:01:0x.000", "00:00:01.0005", "1e308", "1e999", "-0", "NaN",
    '"end": 1' + "0" * 30, "86400.001", "23:59:59.999", "24:00:00.001", "[00:01:02 - 00:01:00]", "A,5,2,x",
    "Bo [0:09 - 0:03]:", '"start": 5, "end": 2',
]
texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(_FRAGMENTS), max_size=40).map("".join),
    st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=8)), max_size=30).map(" ".join),
)
suffixes = st.sampled_from([".vtt", ".srt", ".stm", ".rttm", ".json", ".csv", ".txt", ".docx", ".dat", ""])


def _check(path: Path, **kwargs) -> None:
    try:
        s = read_transcript(path, **kwargs)
    except InputError as e:
        assert e.path == str(path) and e.message
        return
    assert isinstance(s, Session) and s.utterances
    ids = [u.id for u in s.utterances]
    assert len(set(ids)) == len(ids)
    pids = {p.id for p in s.participants}
    assert len(pids) == len(s.participants) and {u.speaker for u in s.utterances} <= pids
    starts = [u.start for u in s.utterances]
    if all(x is not None for x in starts):
        assert starts == sorted(starts)
    times = [x for u in s.utterances for x in (u.start, u.end, *(t for w in u.words for t in (w.start, w.end)))
             if x is not None]
    assert all(0 <= x <= DEFAULT_MAX_DURATION_S for x in times)  # bounded: no 999-hour sessions
    for u in s.utterances:
        if u.start is not None and u.end is not None:
            assert u.start <= u.end
    if s.duration_s is not None:
        assert 0 <= s.duration_s <= DEFAULT_MAX_DURATION_S


@settings(max_examples=300, deadline=None)
@given(text=texts, suffix=suffixes)
def test_detect_and_read_any_text(text, suffix):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"input{suffix}"
        p.write_text(text, encoding="utf-8")
        _check(p)


@settings(max_examples=100, deadline=None)
@given(data=st.one_of(st.binary(max_size=300), st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b)),
       suffix=suffixes)
def test_read_any_bytes(data, suffix):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"input{suffix}"
        p.write_bytes(data)
        _check(p)


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=60, deadline=None)
@given(text=texts)
def test_every_reader_forced(fmt, text):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "input.bin"
        p.write_text(text, encoding="utf-8")
        _check(p, fmt=fmt)


@settings(max_examples=100, deadline=None)
@given(text=st.one_of(st.text(max_size=200), st.lists(st.sampled_from([
    "sessions:", "\n", "- ", "id: s1", "file: a.vtt", "participants:", "  - {name: A, role: junior}", "role: boss",
    "pairs:", "  p: {participants: []}", "pair: p", "date: 2026-13-45", "{", "id,file,junior", "s1,a.vtt,Anna",
    "name,role", ",", "\t", "aliases: [x]", "voice_sample: v.wav", "- 42",
]), max_size=20).map("".join)), suffix=st.sampled_from([".yaml", ".csv", ".txt"]))
def test_manifest_any_text(text, suffix):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"m{suffix}"
        p.write_text(text, encoding="utf-8")
        try:
            m = load_manifest(p)
        except InputError as e:  # ManifestError is an InputError
            assert e.message
            return
        for e in m.entries:
            assert e.id or e.file or e.transcript


@settings(max_examples=60, deadline=None)
@given(paragraphs=st.lists(texts, max_size=12))
def test_docx_any_paragraphs(paragraphs):
    from test_io_readers import make_docx

    with tempfile.TemporaryDirectory() as d:
        p = make_docx(Path(d) / "t.docx", [x.replace("\x00", "") for x in paragraphs])
        _check(p)

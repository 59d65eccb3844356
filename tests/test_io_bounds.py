"""Times in transcripts are bounded and checked: impossible or malformed times get a clear error naming the place."""

from __future__ import annotations

import json
import time

import pytest

from sessionscope.errors import InputError
from sessionscope.io import DEFAULT_MAX_DURATION_S, read_transcript


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def vtt(*timings: str) -> str:
    cues = [f"{k}\n{t}\n<v Anna>line {k}</v>\n" for k, t in enumerate(timings, 1)]
    return "WEBVTT\n\n" + "\n".join(cues)


def test_default_bound_is_a_day() -> None:
    assert DEFAULT_MAX_DURATION_S == 24 * 3600


def test_absurd_end_time_is_rejected_fast(tmp_path) -> None:
    p = write(tmp_path, "a.vtt", vtt("00:00:01.000 --> 00:00:02.000", "00:00:03.000 --> 9999999:00:00.000"))
    t0 = time.monotonic()
    with pytest.raises(InputError, match=r"line 8, cue 2: timestamp '9999999:00:00.000' is 9,999,999.0 h"):
        read_transcript(p)
    assert time.monotonic() - t0 < 5  # no minutes-long hang


def test_999_hours_rejected_and_limit_configurable(tmp_path) -> None:
    p = write(tmp_path, "a.srt", "1\n00:00:01,000 --> 999:00:00,000\nAnna: hi\n")
    with pytest.raises(InputError, match=r"cue 1.*past the 24.0 h limit"):
        read_transcript(p)
    s = read_transcript(p, max_duration_s=1000 * 3600)
    assert s.utterances[0].end == 999 * 3600
    with pytest.raises(InputError, match="max_duration_s"):
        read_transcript(p, max_duration_s=0)


@pytest.mark.parametrize("bad", ["00:01:0x.000", "00:00:05.0005", "00:00:05.000x"])
def test_malformed_end_time_is_not_truncated(tmp_path, bad: str) -> None:
    p = write(tmp_path, "a.vtt", vtt("00:00:01.000 --> 00:00:02.000", f"00:00:03.000 --> {bad}"))
    with pytest.raises(InputError, match=r"line 8 \(cue 2\): expected a cue timing line"):
        read_transcript(p)


def test_error_blames_the_timing_line_not_the_text(tmp_path) -> None:
    # no cue identifier: the bad timing line is the block's first line, the text follows it
    p = write(tmp_path, "a.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nok\n\n00:00:03.000 -> 00:00:04.000\n"
                                 "Anna: the text\n")
    with pytest.raises(InputError) as e:
        read_transcript(p)
    assert "line 6 (cue 2)" in e.value.message and "'00:00:03.000 -> 00:00:04.000'" in e.value.message
    assert "the text" not in e.value.message


def test_settings_after_the_end_time_still_work(tmp_path) -> None:
    s = read_transcript(write(tmp_path, "a.vtt", vtt("00:00:01.000 --> 00:00:02.500 align:start position:10%")))
    assert s.utterances[0].end == 2.5


@pytest.mark.parametrize(("name", "text", "where"), [
    ("a.stm", "rec 1 A 0.0 400000.0 hello\n", "line 1: end time"),
    ("a.rttm", "SPEAKER f 1 86000.0 1000.0 <NA> <NA> a <NA> <NA>\n", "line 1: end (tbeg + tdur)"),
    ("a.json", json.dumps({"segments": [{"start": 0, "end": 1, "text": "a"}, {"start": 1, "end": 1e12, "text": "b"}]}),
     "segment 1: end"),
    ("a.csv", "speaker,start,end,text\nA,0,1,hi\nB,1,999:00:00,yo\n", "row 3: end"),
    ("a.txt", "[00:00:01] Anna: hi\n[30:00:00] Boris: hello\n", "line 2"),
    ("a.sbv", "0:00:01.000,0:00:02.000\nAnna: hi\n\n0:00:03.000,48:00:00.000\nBo: yo\n", "cue 2"),
    # ranges that end before they start
    ("a.txt", "[00:01:02 - 00:01:00] Anna: hi\n[00:01:05 - 00:01:09] Bob: yo\n", "line 1: the time range ends"),
    ("a.txt", "Anna [00:00:05 - 00:00:01]: hi\nBob: yo\n", "line 1: the time range ends"),
    ("a.csv", "speaker,start,end,text\nA,1,2,hi\nB,5,2,yo\n", "row 3: ends (2 s) before it starts (5 s)"),
])
def test_every_reader_rejects_impossible_times(tmp_path, name: str, text: str, where: str) -> None:
    with pytest.raises(InputError) as e:
        read_transcript(write(tmp_path, name, text))
    assert where in e.value.message, e.value.message
    assert "limit" in e.value.message or "before it starts" in e.value.message or "range ends" in e.value.message


def test_huge_integer_time_gets_a_short_message(tmp_path) -> None:
    p = write(tmp_path, "a.json", json.dumps({"segments": [{"start": 0, "end": 10 ** 400, "text": "a"}]}))
    with pytest.raises(InputError, match="segment 0: end must be a number of seconds") as e:
        read_transcript(p)
    assert len(e.value.message) < 200


def test_probabilities_are_not_times(tmp_path) -> None:
    data = [{"start": 0, "end": 1, "text": "hi", "words": [{"word": "hi", "start": 0, "end": 1, "probability": 0.9}]}]
    s = read_transcript(write(tmp_path, "a.json", json.dumps(data)))
    assert s.utterances[0].words[0].confidence == 0.9


def test_out_of_order_cues_are_noted(tmp_path) -> None:
    s = read_transcript(write(tmp_path, "a.vtt", vtt("00:00:05.000 --> 00:00:06.000", "00:00:01.000 --> 00:00:02.000")))
    assert [u.start for u in s.utterances] == [1.0, 5.0]
    assert any("1 utterance starts before the one written above it" in n for n in s.quality.notes)


def test_integer_beyond_python_limit_is_an_input_error(tmp_path) -> None:
    p = write(tmp_path, "a.json", '[{"start": 0, "end": 1' + "0" * 5000 + ', "text": "a"}]')
    with pytest.raises(InputError, match="invalid JSON"):
        read_transcript(p)


# -- encodings (issue 9, item 9) -------------------------------------------------------------

@pytest.mark.parametrize(("text", "encoding", "name"), [
    ("Jürgen: Grüß dich, wie geht's?\nAnna: Très bien, ça marche.\n", "latin-1", "Windows-1252"),
    ("José: ¿Qué tal? Señor Muñoz está aquí.\nAnna: Bien.\n", "cp1252", "Windows-1252"),
    ("Анна: Привет, как дела? Обсудим задачи.\nБорис: Хорошо.\n", "cp1251", "Windows-1251"),
    ("Анна: Привет, как дела? Обсудим задачи.\nБорис: Хорошо.\n", "koi8-r", "KOI8-R"),
])
def test_legacy_encoding_is_detected_and_noted(tmp_path, text: str, encoding: str, name: str) -> None:
    p = tmp_path / "t.txt"
    p.write_bytes(text.encode(encoding))
    s = read_transcript(p)
    first = text.split(":")[0]
    assert s.participants[0].name == first  # "Jürgen", not "Jьrgen"
    assert " ".join(u.text for u in s.utterances) in " ".join(x.split(": ", 1)[1] for x in text.splitlines())
    note = next(n for n in s.quality.notes if "not UTF-8" in n)
    assert name in note and "guessed" in note


@pytest.mark.parametrize("encoding", ["cp1251", "cp1252", "koi8-r", "utf-8"])
def test_windows_line_endings_and_a_dos_end_mark_are_text(tmp_path, encoding: str) -> None:
    """A legacy-encoded file saved on Windows (CRLF; an old editor's Ctrl-Z at the end) is read, not refused as binary."""
    text = ("Анна: Доброе утро, как прошла неделя?\r\nБорис: Много работы, отчёт к пятнице.\r\n" if encoding != "cp1252"
            else "José: ¿Qué tal la semana?\r\nAnna: Bien, el informe está listo.\r\n")
    p = tmp_path / "t.txt"
    for tail in (b"", b"\x1a"):
        p.write_bytes(text.encode(encoding) + tail)
        s = read_transcript(p)
        assert [u.text for u in s.utterances] == [x.split(": ", 1)[1] for x in text.split("\r\n") if x]
    p.write_bytes(text.encode(encoding)[:20] + b"\x01\x02" + text.encode(encoding)[20:])
    with pytest.raises(InputError):  # other control characters still mark a binary file
        read_transcript(p)


def test_utf8_gets_no_encoding_note(tmp_path) -> None:
    p = tmp_path / "t.txt"
    p.write_text("Jürgen: Grüß dich\nAnna: hi\n", encoding="utf-8")
    assert not any("UTF-8" in n for n in read_transcript(p).quality.notes)


def test_session_json_times_are_bounded(tmp_path) -> None:
    from sessionscope.model import Participant, Session, Utterance, write_session_json

    s = Session(id="x", participants=(Participant("a", "A"),),
                utterances=(Utterance("u1", "a", "hi", start=0.0, end=1.0), Utterance("u2", "a", "yo", 2.0, 3.6e7)))
    p = write_session_json(s, tmp_path / "session.json")
    with pytest.raises(InputError, match="utterance u2: end .* limit"):
        read_transcript(p)
    assert read_transcript(p, max_duration_s=4e7).utterances[1].end == 3.6e7


def test_limit_from_the_environment(tmp_path, monkeypatch) -> None:
    p = write(tmp_path, "a.srt", "1\n00:00:01,000 --> 30:00:00,000\nAnna: hi\n")
    with pytest.raises(InputError, match="SESSIONSCOPE_MAX_DURATION_S=<seconds>"):
        read_transcript(p)
    monkeypatch.setenv("SESSIONSCOPE_MAX_DURATION_S", str(48 * 3600))
    assert read_transcript(p).utterances[0].end == 30 * 3600
    monkeypatch.setenv("SESSIONSCOPE_MAX_DURATION_S", "lots")
    with pytest.raises(InputError, match="SESSIONSCOPE_MAX_DURATION_S must be a positive number"):
        read_transcript(p)


def test_size_limit_checked_before_reading(tmp_path, monkeypatch) -> None:
    import sessionscope.io._common as common

    p = write(tmp_path, "big.txt", "Anna: " + "word " * 100)
    monkeypatch.setattr(common, "_MAX_BYTES", 64)
    opened = []
    real_open, real_read = type(p).open, type(p).read_bytes
    monkeypatch.setattr(type(p), "open", lambda self, *a, **k: opened.append(self) or real_open(self, *a, **k))
    monkeypatch.setattr(type(p), "read_bytes", lambda self: opened.append(self) or real_read(self))
    with pytest.raises(InputError, match="larger than"):
        read_transcript(p)
    assert p not in opened  # refused from its size, never read


def test_implausible_times_are_noted(tmp_path) -> None:
    s = read_transcript(write(tmp_path, "a.vtt", vtt("00:00:01.000 --> 00:00:02.000", "00:00:03.000 --> 01:30:00.000",
                                                     "01:30:01.000 --> 01:30:02.000", "05:00:00.000 --> 05:00:02.000")))
    notes = " ".join(s.quality.notes)
    assert "1 utterance lasts more than an hour (u0002)" in notes
    assert "no speech for 12,598 s before u0004" in notes
    ok = read_transcript(write(tmp_path, "b.vtt", vtt("00:00:01.000 --> 00:00:02.000", "00:50:00.000 --> 00:51:00.000")))
    assert not any("check" in n for n in ok.quality.notes)


def test_missing_blank_line_between_cues(tmp_path) -> None:
    # the next cue's identifier and timing were read as text of the previous cue, with wrong times
    s = read_transcript(write(tmp_path, "a.vtt", "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n<v Anna>hi</v>\n2\n"
                                                 "00:00:03.000 --> 00:00:04.000\n<v Bob>yo</v>\n"))
    assert [(u.text, u.start, u.end) for u in s.utterances] == [("hi", 1.0, 2.0), ("yo", 3.0, 4.0)]
    with pytest.raises(InputError, match=r"line 5 \(cue 2\): expected a cue timing line"):
        read_transcript(write(tmp_path, "b.srt", "1\n00:00:01,000 --> 00:00:02,000\nAnna: hi\n2\n"
                                                 "00:00:03,000 --> 00:00:0x\nBob: yo\n"))
    speech = read_transcript(write(tmp_path, "c.srt", "1\n00:00:01,000 --> 00:00:02,000\nAnna: A --> B is the flow\n"))
    assert speech.utterances[0].text == "A --> B is the flow"  # an arrow inside speech is no timing line

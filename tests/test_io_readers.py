"""Transcript readers on hand-written snippets of every format (no models, milliseconds)."""

from __future__ import annotations

import json
import logging

import pytest

from sessionscope.errors import InputError
from sessionscope.io import FORMATS, detect_format, read_transcript, read_transcripts
from sessionscope.model import Role


def write(tmp_path, name, text, *, encoding="utf-8", newline="\n"):
    p = tmp_path / name
    p.write_bytes(text.replace("\n", newline).encode(encoding))
    return p


def rows(session):
    names = {p.id: p.name for p in session.participants}
    return [(names[u.speaker], u.text, u.start, u.end) for u in session.utterances]


# -- WebVTT ------------------------------------------------------------------------------

TEAMS = """WEBVTT

NOTE written by Teams

3f2a9c1e-1/12-0
00:00:01.000 --> 00:00:04.500 align:start position:10%
<v Anna Smirnova>Good morning, Boris. Shall we start?</v>

3f2a9c1e-1/15-0
00:00:05.000 --> 00:00:09.000
<v Boris Ivanov>Yes. I tried &quot;Notion&quot; &amp; <i>Todoist</i> this week.</v>

STYLE
::cue { color: yellow }

00:00:09.500 --> 00:00:11.000
<v.loud Anna Smirnova><c.yellow>Great</c><00:00:10.000> news!
"""


def test_teams_voice_tags_entities_settings(tmp_path):
    s = read_transcript(write(tmp_path, "teams.vtt", TEAMS))
    assert rows(s) == [
        ("Anna Smirnova", "Good morning, Boris. Shall we start?", 1.0, 4.5),
        ("Boris Ivanov", 'Yes. I tried "Notion" & Todoist this week.', 5.0, 9.0),
        ("Anna Smirnova", "Great news!", 9.5, 11.0),
    ]
    assert [(p.id, p.name, p.role) for p in s.participants] == [
        ("anna-smirnova", "Anna Smirnova", Role.OTHER), ("boris-ivanov", "Boris Ivanov", Role.OTHER)]
    assert [u.id for u in s.utterances] == ["u0001", "u0002", "u0003"]
    assert s.id == "teams" and s.source == str(tmp_path / "teams.vtt") and s.language is None
    assert s.quality.timing_available and s.timed


def test_zoom_name_prefix_and_unlabelled_cue(tmp_path):
    text = """WEBVTT

1
00:00:00.050 --> 00:00:01.790
Anna Smirnova: Hi!

2
00:00:02.070 --> 00:00:04.050
Dr. Boris Ivanov: Let's get this started: first, tools.

3
00:05:07.300 --> 00:05:07.980
Hmm.
"""
    s = read_transcript(write(tmp_path, "GMT_Recording.transcript.vtt", text))
    assert rows(s) == [
        ("Anna Smirnova", "Hi!", 0.05, 1.79),
        ("Dr. Boris Ivanov", "Let's get this started: first, tools.", 2.07, 4.05),
        ("Unknown speaker", "Hmm.", 307.3, 307.98),
    ]
    assert s.participants[-1].id == "unknown"
    assert any("no speaker label" in n for n in s.quality.notes)


def test_captions_without_names_keep_colons_as_text(tmp_path):
    text = "WEBVTT\n\n00:01.000 --> 00:03.000\nNote: the deadline moved\n\n00:03.000 --> 00:04.000\nYep. Okay.\n\n" \
           "00:04.000 --> 00:06.000\nSo this is the window\n"
    s = read_transcript(write(tmp_path, "x.cc.vtt", text))
    assert [p.id for p in s.participants] == ["unknown"]
    assert s.utterances[0].text == "Note: the deadline moved" and s.utterances[0].start == 1.0
    assert any("names no speakers" in n for n in s.quality.notes)


def test_vtt_two_voices_in_one_cue_split_time(tmp_path):
    text = "WEBVTT\n\n00:00:00.000 --> 00:00:04.000\n<v Anna>Ready?</v>\n<v Boris>Yes, I am.</v>\n"
    s = read_transcript(write(tmp_path, "two.vtt", text))
    assert [(r[0], r[1]) for r in rows(s)] == [("Anna", "Ready?"), ("Boris", "Yes, I am.")]
    a, b = s.utterances
    assert a.start == 0.0 and a.end == b.start and b.end == 4.0 and 0 < a.end < 2.0


def test_vtt_crlf_bom_and_cp1251(tmp_path):
    s = read_transcript(write(tmp_path, "crlf.vtt", "\ufeff" + TEAMS, newline="\r\n"))
    assert rows(s)[0] == ("Anna Smirnova", "Good morning, Boris. Shall we start?", 1.0, 4.5)
    ru = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Анна>Привет, Борис!</v>\n"
    s = read_transcript(write(tmp_path, "ru.vtt", ru, encoding="cp1251"))
    assert rows(s) == [("Анна", "Привет, Борис!", 1.0, 2.0)] and s.participants[0].id == "анна"
    s = read_transcript(write(tmp_path, "u16.vtt", ru, encoding="utf-16"))
    assert rows(s) == [("Анна", "Привет, Борис!", 1.0, 2.0)]


def test_vtt_errors_name_the_line(tmp_path):
    with pytest.raises(InputError, match="line 3"):
        read_transcript(write(tmp_path, "bad.vtt", "WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nhello\n"))
    with pytest.raises(InputError, match="before it starts"):
        read_transcript(write(tmp_path, "rev.vtt", "WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nhello\n"))
    with pytest.raises(InputError, match="no utterances"):
        read_transcript(write(tmp_path, "hdr.vtt", "WEBVTT\n\nNOTE nothing here\n"))


# -- SRT -----------------------------------------------------------------------------------

def test_srt_with_names_tags_and_multiline(tmp_path):
    text = """1
00:00:01,000 --> 00:00:03,200
Anna: So how do you plan
your week?

2
00:00:03,500 --> 00:00:06,000 X1:100 X2:200 Y1:10 Y2:20
{\\an8}<font color="#ffff00">Boris:</font> With a paper diary.

3
00:00:06,500 --> 00:00:08,000
- Anna: Really?
- Boris: Really.
"""
    s = read_transcript(write(tmp_path, "call.srt", text))
    got = rows(s)
    assert got[:2] == [("Anna", "So how do you plan your week?", 1.0, 3.2),
                       ("Boris", "With a paper diary.", 3.5, 6.0)]
    assert [(r[0], r[1]) for r in got[2:]] == [("Anna", "Really?"), ("Boris", "Really.")]
    assert got[2][2] == 6.5 and got[3][3] == 8.0


def test_srt_without_names(tmp_path):
    text = "1\n00:00:01,000 --> 00:00:02,000\nHello there.\n\n2\n00:00:02,500 --> 00:00:04,000\nGeneral Kenobi.\n"
    s = read_transcript(write(tmp_path, "movie.srt", text))
    assert [p.id for p in s.participants] == ["unknown"] and len(s.utterances) == 2
    assert detect_format(tmp_path / "movie.srt") == "srt"


# -- STM -----------------------------------------------------------------------------------

STM = """;; CATEGORY "0" "" ""
;; LABEL "O" "Overall" "All"
rec1 1 Anna 0.50 2.75 <o,f0,female> Hello Boris <LAUGH>
rec1 1 inter_segment_gap 2.75 3.00
rec1 1 Boris 3.00 5.00 hi Anna how are you
rec1 1 excluded 5.00 9.00 ignore_time_segment_in_scoring
rec2 A spk1 0.00 1.00 second recording
"""


def test_stm_comments_labels_ignored_regions_and_recordings(tmp_path, caplog):
    p = write(tmp_path, "ref.stm", STM)
    with caplog.at_level(logging.WARNING):
        s = read_transcript(p)
    assert "2 recordings" in caplog.text
    assert s.id == "rec1"
    assert rows(s) == [("Anna", "Hello Boris", 0.5, 2.75), ("Boris", "hi Anna how are you", 3.0, 5.0)]
    assert s.utterances[0].flags == ("nonspeech",)
    assert read_transcript(p, session_id="rec2").utterances[0].text == "second recording"
    assert read_transcript(p, session_id="rec2").id == "rec2"
    assert [x.id for x in read_transcripts(p)] == ["rec1", "rec2"]


def test_stm_bad_time(tmp_path):
    with pytest.raises(InputError, match="line 1: begin time"):
        read_transcript(write(tmp_path, "bad.stm", "rec 1 A x1 2.0 hello\n"), fmt="stm")


# -- RTTM ----------------------------------------------------------------------------------

RTTM = """SPEAKER meet 1 0.00 2.00 <NA> <NA> spk_A <NA> <NA>
SPEAKER meet 1 2.50 1.50 <NA> <NA> spk_B <NA> <NA>
SPKR-INFO meet 1 <NA> <NA> <NA> adult_male spk_A <NA>
SPEAKER meet 1 4.00 3.00 <NA> <NA> spk_A <NA> <NA>
"""


def test_rttm_speaker_lines(tmp_path):
    s = read_transcript(write(tmp_path, "d.rttm", RTTM))
    assert rows(s) == [("spk_A", "", 0.0, 2.0), ("spk_B", "", 2.5, 4.0), ("spk_A", "", 4.0, 7.0)]
    assert s.id == "meet" and [p.id for p in s.participants] == ["spk_a", "spk_b"]
    assert any("without words" in n for n in s.quality.notes)


def test_rttm_lexemes_become_text(tmp_path):
    text = RTTM + ("LEXEME meet 1 0.10 0.40 hello lex spk_A <NA>\nLEXEME meet 1 0.60 0.50 there lex spk_A <NA>\n"
                   "LEXEME meet 1 2.60 0.30 hi lex spk_B <NA>\n")
    s = read_transcript(write(tmp_path, "w.rttm", text))
    assert [u.text for u in s.utterances] == ["hello there", "hi", ""]
    assert [w.text for w in s.utterances[0].words] == ["hello", "there"]


def test_rttm_with_separate_whisper_text(tmp_path):
    words = [{"word": " Hello", "start": 0.1, "end": 0.5, "probability": 0.9},
             {"word": " there.", "start": 0.6, "end": 1.2, "probability": 0.8},
             {"word": " Hi!", "start": 2.6, "end": 2.9, "probability": 0.99},
             {"word": " Late", "start": 3.9, "end": 4.3, "probability": 0.7}]
    seg = [{"start": 0.1, "end": 4.3, "text": " Hello there. Hi! Late", "words": words}]
    js = write(tmp_path, "asr.json", json.dumps({"segments": seg, "language": "en"}))
    s = read_transcript(write(tmp_path, "d.rttm", RTTM), text_path=js)
    assert [(u.speaker, u.text) for u in s.utterances] == [("spk_a", "Hello there."), ("spk_b", "Hi!"),
                                                            ("spk_a", "Late")]
    assert s.language == "en" and s.utterances[0].confidence == pytest.approx(0.85)
    with pytest.raises(InputError, match="only used with RTTM"):
        read_transcript(js, text_path=js)


def test_rttm_malformed(tmp_path):
    with pytest.raises(InputError, match="line 1"):
        read_transcript(write(tmp_path, "bad.rttm", "SPEAKER meet 1 0.0\n"), fmt="rttm")
    with pytest.raises(InputError, match="tdur"):
        read_transcript(write(tmp_path, "bad2.rttm", "SPEAKER meet 1 0.0 -1 <NA> <NA> a <NA> <NA>\n"))


# -- Whisper JSON --------------------------------------------------------------------------

def test_whisperx_speakers_on_segments_and_words(tmp_path):
    data = {"language": "ru", "segments": [
        {"start": 0.0, "end": 2.0, "text": " Привет всем.", "speaker": "SPEAKER_00",
         "words": [{"word": "Привет", "start": 0.0, "end": 0.8, "score": 0.9, "speaker": "SPEAKER_00"},
                   {"word": "всем.", "start": 0.9, "end": 2.0, "score": 0.7, "speaker": "SPEAKER_00"}]},
        {"start": 2.5, "end": 5.0, "text": " Да. Начнём с инструментов.",
         "words": [{"word": "Да.", "start": 2.5, "end": 2.8, "score": 0.95, "speaker": "SPEAKER_01"},
                   {"word": "Начнём", "start": 3.0, "end": 3.5, "score": 0.9, "speaker": "SPEAKER_00"},
                   {"word": "с", "score": 0.5},
                   {"word": "инструментов.", "start": 3.7, "end": 5.0, "score": 0.8, "speaker": "SPEAKER_00"}]},
    ]}
    s = read_transcript(write(tmp_path, "wx.json", json.dumps(data, ensure_ascii=False)))
    assert s.language == "ru"
    assert [(u.speaker, u.text, u.start, u.end) for u in s.utterances] == [
        ("speaker_00", "Привет всем.", 0.0, 2.0), ("speaker_01", "Да.", 2.5, 2.8),
        ("speaker_00", "Начнём с инструментов.", 3.0, 5.0)]
    assert s.utterances[0].words[1].confidence == 0.7 and s.utterances[0].confidence == pytest.approx(0.8)


def test_faster_whisper_segment_list_without_speakers(tmp_path):
    segs = [{"id": 1, "seek": 0, "start": 0.0, "end": 3.2, "text": " Hello, everyone.", "tokens": [1, 2],
             "avg_logprob": -0.2, "no_speech_prob": 0.01,
             "words": [{"start": 0.0, "end": 1.0, "word": " Hello,", "probability": 0.9},
                       {"start": 1.1, "end": 3.2, "word": " everyone.", "probability": 0.95}]},
            {"id": 2, "seek": 0, "start": 3.5, "end": 4.0, "text": " ", "words": None}]
    s = read_transcript(write(tmp_path, "fw.json", json.dumps(segs)))
    assert [(u.speaker, u.text) for u in s.utterances] == [("unknown", "Hello, everyone.")]
    assert [w.text for w in s.utterances[0].words] == ["Hello,", "everyone."]
    data = {"segments": segs, "info": {"language": "en", "duration": 61.5}}
    s = read_transcript(write(tmp_path, "fw2.json", json.dumps(data)))
    assert s.duration_s == 61.5 and s.language == "en"


def test_session_json_is_read_back(tmp_path):
    from sessionscope.model import write_session_json

    s = read_transcript(write(tmp_path, "t.vtt", TEAMS))
    write_session_json(s, tmp_path / "session.json")
    back = read_transcript(tmp_path / "session.json")
    assert back == s
    assert read_transcript(tmp_path / "session.json", session_id="x").id == "x"


@pytest.mark.parametrize("payload, match", [
    ('{"segments": [', "invalid JSON at line 1"),
    ('{"foo": 1}', "not a transcript JSON this tool reads"),
    ('[{"start": "abc", "end": 1, "text": "x"}]', "segment 0: start"),
    ('[{"start": 2, "end": 1, "text": "x"}]', "ends"),
    ('[{"start": 0, "end": 1, "text": 5}]', "'text' must be a string"),
    ('[{"start": 0, "end": 1, "text": "x", "words": [{"start": 0}]}]', "word 0"),
    ('[1, 2]', "segment 0"),
])
def test_json_errors(tmp_path, payload, match):
    with pytest.raises(InputError, match=match):
        read_transcript(write(tmp_path, "bad.json", payload))


# -- plain text ----------------------------------------------------------------------------

def test_plain_untimed_with_continuations(tmp_path):
    text = "Anna: What tools do you use\nfor planning?\n\nBoris: Mostly Outlook.\nAnna: Try Todoist.\n"
    s = read_transcript(write(tmp_path, "notes.txt", text))
    assert rows(s) == [("Anna", "What tools do you use for planning?", None, None),
                       ("Boris", "Mostly Outlook.", None, None), ("Anna", "Try Todoist.", None, None)]
    assert not s.timed and not s.quality.timing_available
    assert any("no timestamps" in n for n in s.quality.notes)


@pytest.mark.parametrize("text", [
    "[00:00:01] Anna: Hi there.\n[00:00:04.5] Boris: Hello.\n",
    "00:00:01 Anna: Hi there.\n00:00:04.5 Boris: Hello.\n",
    "(0:01) Anna: Hi there.\n(0:04.5) Boris: Hello.\n",
    "Anna [00:00:01]: Hi there.\nBoris [00:00:04.5]: Hello.\n",
    "Anna  00:01\nHi there.\n\nBoris  00:04.5\nHello.\n",
    "00:00:01\tAnna:\tHi there.\n00:00:04.5\tBoris:\tHello.\n",
])
def test_plain_with_start_times(tmp_path, text):
    s = read_transcript(write(tmp_path, "t.txt", text))
    assert rows(s) == [("Anna", "Hi there.", 1.0, None), ("Boris", "Hello.", 4.5, None)]
    assert any("start times only" in n for n in s.quality.notes)


def test_plain_with_ranges_is_timed(tmp_path):
    s = read_transcript(write(tmp_path, "t.txt", "[00:01 - 00:03] Anna: Hi.\n[00:03.5 - 00:05] Boris: Hey.\n"))
    assert rows(s) == [("Anna", "Hi.", 1.0, 3.0), ("Boris", "Hey.", 3.5, 5.0)] and s.timed


def test_plain_prose_without_names(tmp_path):
    s = read_transcript(write(tmp_path, "memo.txt", "We met today.\nNote: next time bring the plan.\nBye.\n"))
    assert [p.id for p in s.participants] == ["unknown"]
    assert [u.text for u in s.utterances][1] == "Note: next time bring the plan."


# -- CSV -----------------------------------------------------------------------------------

def test_csv_table(tmp_path):
    text = 'speaker,start,end,text\nAnna,0:01,0:03,"Hello, Boris"\nBoris,3.5,5,Hi\n'
    s = read_transcript(write(tmp_path, "t.csv", text))
    assert rows(s) == [("Anna", "Hello, Boris", 1.0, 3.0), ("Boris", "Hi", 3.5, 5.0)]


# -- detection and errors ------------------------------------------------------------------

def test_detection_from_content_not_extension(tmp_path):
    assert detect_format(write(tmp_path, "x.txt", TEAMS)) == "vtt"
    assert read_transcript(tmp_path / "x.txt").utterances[0].speaker == "anna-smirnova"
    assert detect_format(write(tmp_path, "x.dat", STM)) == "stm"
    assert detect_format(write(tmp_path, "x.vtt", RTTM)) == "rttm"
    assert detect_format(write(tmp_path, "y.txt", "[1, 2]")) == "json"
    assert detect_format(write(tmp_path, "z", "Anna: hi\n")) == "txt"
    assert detect_format(write(tmp_path, "noheader.vtt", "00:00:01.000 --> 00:00:02.000\nhi\n")) == "srt"
    assert set(FORMATS) == {"vtt", "srt", "sbv", "stm", "rttm", "json", "csv", "txt", "docx"}


def test_extension_contradicted_by_content(tmp_path):
    with pytest.raises(InputError, match=r"line 1 \(cue 1\): expected a cue timing line"):
        read_transcript(write(tmp_path, "x.srt", "just some words\n"))


@pytest.mark.parametrize("content, match", [
    (b"", "empty"), (b"  \n\n", "empty"), (b"\x00\x01\x02 not a subtitle \xff\xfe", "binary"),
])
def test_bad_files(tmp_path, content, match):
    p = tmp_path / "f.vtt"
    p.write_bytes(content)
    with pytest.raises(InputError, match=match) as e:
        read_transcript(p)
    assert e.value.path == str(p)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_transcript(tmp_path / "nope.vtt")
    with pytest.raises(InputError, match="folder"):
        read_transcript(tmp_path)


def test_forced_format_and_aliases(tmp_path):
    p = write(tmp_path, "x.txt", "Anna: 00:00:01.000 --> 00:00:02.000\n")
    assert read_transcript(p, fmt="plain").utterances[0].text == "00:00:01.000 --> 00:00:02.000"
    with pytest.raises(InputError, match="unknown transcript format 'pdf'; valid: vtt, srt, sbv"):
        read_transcript(p, fmt="pdf")
    with pytest.raises(InputError, match="cannot open as a Word document"):
        read_transcript(p, fmt="docx")


def test_participant_ids_unique_and_case_insensitive(tmp_path):
    text = "Anna: one\nANNA : two\nA.nna: three\nA nna: four\n"
    s = read_transcript(write(tmp_path, "t.txt", text))
    assert [(p.id, p.name) for p in s.participants] == [("anna", "Anna"), ("a-nna", "A.nna"), ("a-nna-2", "A nna")]
    assert [u.speaker for u in s.utterances] == ["anna", "anna", "a-nna", "a-nna-2"]


def test_plain_bare_time_lines_google_meet(tmp_path):
    text = "00:00:00\nAnna: Hi.\nBoris: Hello.\n\n00:05:00\nAnna: Let's start\nwith tools.\n"
    s = read_transcript(write(tmp_path, "meet.txt", text))
    assert rows(s) == [("Anna", "Hi.", 0.0, None), ("Boris", "Hello.", None, None),
                       ("Anna", "Let's start with tools.", 300.0, None)]
    assert [u.id for u in s.utterances] == ["u0001", "u0002", "u0003"]  # file order kept (not all starts known)


def test_vtt_metadata_youtube_header_and_teams_notes(tmp_path):
    yt = "WEBVTT\nKind: captions\nLanguage: ru\n\n00:00:01.000 --> 00:00:02.000\nПривет\n"
    s = read_transcript(write(tmp_path, "yt.vtt", yt))
    assert s.language == "ru" and s.utterances[0].text == "Привет"
    teams = ('WEBVTT\nNOTE duration:"01:02:03.4560000"\nNOTE language:en-us\n\nNOTE Confidence: 0.8934\n\n'
             "00:00:01.000 --> 00:00:02.000\n<v Anna>Hello.</v>\n\n00:00:02.000 --> 00:00:03.000\n<v Boris>Hi.</v>\n")
    s = read_transcript(write(tmp_path, "stream.vtt", teams))
    assert (s.language, s.duration_s) == ("en", 3723.456)
    assert [u.confidence for u in s.utterances] == [0.8934, None]
    # a cue right after the WEBVTT line (no blank line) is still read
    s = read_transcript(write(tmp_path, "tight.vtt", "WEBVTT\n00:00:01.000 --> 00:00:02.000\nhi\n"))
    assert s.utterances[0].text == "hi"


def test_faster_whisper_namedtuples_dumped_as_arrays(tmp_path):
    # json.dump(list(segments)) with faster-whisper 0.10: Segment and Word are NamedTuples
    segs = [[0, 0, 0.0, 2.5, " Hello there.", [50364, 2425], 0.0, -0.21, 1.1, 0.01,
             [[0.0, 1.0, " Hello", 0.93], [1.1, 2.5, " there.", 0.88]]],
            [1, 0, 3.0, 4.0, " Bye.", [123], 0.0, -0.3, 1.0, 0.02, None]]
    s = read_transcript(write(tmp_path, "fw010.json", json.dumps(segs)))
    assert [(u.text, u.start, u.end) for u in s.utterances] == [("Hello there.", 0.0, 2.5), ("Bye.", 3.0, 4.0)]
    assert [w.text for w in s.utterances[0].words] == ["Hello", "there."]


# -- Word .docx ------------------------------------------------------------------------------

def make_docx(path, paragraphs):
    """A minimal .docx: one w:p per paragraph, '\n' as w:br, '\t' as w:tab."""
    import zipfile
    from xml.sax.saxutils import escape

    def run(text):
        parts = []
        for i, line in enumerate(text.split("\n")):
            if i:
                parts.append("<w:br/>")
            for k, chunk in enumerate(line.split("\t")):
                if k:
                    parts.append("<w:tab/>")
                parts.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
        return "<w:r>" + "".join(parts) + "</w:r>"

    body = "".join(f"<w:p>{run(p)}</w:p>" for p in paragraphs)
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w='
           f'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", xml)
    return path


@pytest.mark.parametrize("paragraphs", [
    ["Mentoring session", "Anna Smirnova   0:03", "Good morning.", "Boris Ivanov   1:02:05", "Hi, Anna. Let's start."],
    ["Anna Smirnova 0:03\nGood morning.", "Boris Ivanov 1:02:05\nHi, Anna.\nLet's start."],
])
def test_docx_teams(tmp_path, paragraphs):
    p = make_docx(tmp_path / "meeting.docx", paragraphs)
    assert detect_format(p) == "docx"
    s = read_transcript(p)
    assert rows(s) == [("Anna Smirnova", "Good morning.", 3.0, None),
                       ("Boris Ivanov", "Hi, Anna. Let's start.", 3725.0, None)]
    assert s.extra["input_format"] == "docx"
    assert any("before the first speaker" in n for n in s.quality.notes) == (paragraphs[0] == "Mentoring session")


def test_docx_teams_ranges_and_stream(tmp_path):
    p = make_docx(tmp_path / "r.docx", ["Anna  00:00:01.5 --> 00:00:04", "Hello.", "Boris  00:00:05 --> 00:00:06", "Hi."])
    assert rows(read_transcript(p)) == [("Anna", "Hello.", 1.5, 4.0), ("Boris", "Hi.", 5.0, 6.0)]
    p = make_docx(tmp_path / "s.docx", ["0:0:0.0 --> 0:0:5.430", "Anna Smirnova", "Good <morning>.",
                                        "0:0:5.5 --> 0:0:7.0", "Boris Ivanov", "Hi."])
    s = read_transcript(p)
    assert rows(s) == [("Anna Smirnova", "Good <morning>.", 0.0, 5.43), ("Boris Ivanov", "Hi.", 5.5, 7.0)]


def test_docx_google_meet(tmp_path):
    p = make_docx(tmp_path / "meet.docx", ["00:00:00", "Anna: Hi.", "Boris: Hello.", "00:05:00", "Anna: Tools now."])
    assert rows(read_transcript(p)) == [("Anna", "Hi.", 0.0, None), ("Boris", "Hello.", None, None),
                                        ("Anna", "Tools now.", 300.0, None)]


def test_docx_errors(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "x.docx", "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="not a Word document"):
        read_transcript(tmp_path / "x.docx")
    (tmp_path / "t.docx").write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(InputError, match="cannot open as a Word document"):
        read_transcript(tmp_path / "t.docx")
    with pytest.raises(InputError, match="no text"):
        read_transcript(make_docx(tmp_path / "e.docx", ["", "  "]))


def test_zoom_display_names_with_parentheses(tmp_path):
    text = ("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAnna Smirnova (she/her): Hi all.\n\n"
            "2\n00:00:02.000 --> 00:00:03.000\nBoris's iPhone (2): Hello (sorry, late).\n")
    s = read_transcript(write(tmp_path, "z.vtt", text))
    assert [(r[0], r[1]) for r in rows(s)] == [("Anna Smirnova (she/her)", "Hi all."),
                                               ("Boris's iPhone (2)", "Hello (sorry, late).")]
    assert [p.id for p in s.participants] == ["anna-smirnova-she-her", "boris-s-iphone-2"]


def test_rttm_text_goes_to_the_turn_covering_it(tmp_path):
    rttm = ("SPEAKER m 1 0.0 10.0 <NA> <NA> A <NA> <NA>\nSPEAKER m 1 4.0 2.0 <NA> <NA> B <NA> <NA>\n"
            "SPEAKER m 1 10.5 3.0 <NA> <NA> B <NA> <NA>\n")
    segs = [{"start": 0.5, "end": 3.5, "text": "long talk by A"},
            {"start": 4.05, "end": 5.9, "text": "B says yes"},       # inside both: B starts nearest
            {"start": 8.0, "end": 11.0, "text": "mostly A"},        # 2 s in A, 0.5 s in B
            {"start": 14.0, "end": 14.5, "text": "after everything"}]  # no overlap: nearest turn
    js = write(tmp_path, "seg.json", json.dumps(segs))
    s = read_transcript(write(tmp_path, "m.rttm", rttm), text_path=js)
    assert [(u.speaker, u.text) for u in s.utterances] == [
        ("a", "long talk by A mostly A"), ("b", "B says yes"), ("b", "after everything")]


def test_sbv_captions(tmp_path):
    text = "0:00:01.000,0:00:03.500\nAnna: Shall we start?\n\n0:00:04.000,0:00:06.000\nBoris: Yes.\nLet's go.\n"
    p = write(tmp_path, "captions.sbv", text)
    assert detect_format(p) == "sbv" and detect_format(write(tmp_path, "c.txt", text)) == "sbv"
    assert rows(read_transcript(p)) == [("Anna", "Shall we start?", 1.0, 3.5), ("Boris", "Yes. Let's go.", 4.0, 6.0)]

"""Speech-to-text services' JSON (AssemblyAI, Deepgram, AWS Transcribe, Rev.ai) read like the other transcripts.

Each sample is small and hand-written in the shape the service documents for its output.
"""

from __future__ import annotations

import copy
import json

import pytest

from sessionscope.errors import InputError
from sessionscope.io import read_transcript
from sessionscope.io.asr_services import service_kind
from sessionscope.io.detect import normalize_format


def write(tmp_path, name, data):
    p = tmp_path / name
    p.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return p


def rows(session):
    names = {p.id: p.name for p in session.participants}
    return [(names[u.speaker], u.text, u.start, u.end) for u in session.utterances]


def _aai_word(text, start, end, conf, speaker):
    return {"text": text, "start": start, "end": end, "confidence": conf, "speaker": speaker}


ASSEMBLYAI = {
    "id": "6rlr37h4ad-1d2c-4b9e-b8f5-8d63b0e6a0c2", "status": "completed", "language_code": "en_us",
    "audio_duration": 12, "text": "Hello, Boris. How was the week? Busy, but fine.",
    "words": [
        _aai_word("Hello,", 250, 650, 0.98, "A"), _aai_word("Boris.", 700, 1100, 0.9, "A"),
        _aai_word("How", 1300, 1450, 1.0, "A"), _aai_word("was", 1450, 1600, 0.99, "A"),
        _aai_word("the", 1600, 1700, 0.97, "A"), _aai_word("week?", 1700, 2100, 0.95, "A"),
        _aai_word("Busy,", 3000, 3400, 0.8, "B"), _aai_word("but", 3400, 3600, 0.9, "B"),
        _aai_word("fine.", 3600, 4000, 0.7, "B"),
    ],
    "utterances": [
        {"speaker": "A", "start": 250, "end": 2100, "confidence": 0.965, "text": "Hello, Boris. How was the week?",
         "words": []},
        {"speaker": "B", "start": 3000, "end": 4000, "confidence": 0.8, "text": "Busy, but fine.", "words": []},
    ],
}
ASSEMBLYAI["utterances"][0]["words"] = ASSEMBLYAI["words"][:6]  # type: ignore[index]
ASSEMBLYAI["utterances"][1]["words"] = ASSEMBLYAI["words"][6:]  # type: ignore[index]


def test_assemblyai_utterances_ms_to_seconds(tmp_path):
    s = read_transcript(write(tmp_path, "aai.json", ASSEMBLYAI))
    assert rows(s) == [("A", "Hello, Boris. How was the week?", 0.25, 2.1), ("B", "Busy, but fine.", 3.0, 4.0)]
    assert [p.id for p in s.participants] == ["a", "b"]
    u0 = s.utterances[0]
    assert [w.text for w in u0.words][:2] == ["Hello,", "Boris."]
    assert (u0.words[0].start, u0.words[0].end, u0.words[0].confidence) == (0.25, 0.65, 0.98)
    assert u0.confidence == round((0.98 + 0.9 + 1.0 + 0.99 + 0.97 + 0.95) / 6, 4)
    assert s.language == "en" and s.duration_s == 12.0
    assert s.extra["input_format"] == "json"


def test_assemblyai_words_only_grouped_by_speaker(tmp_path):
    data = {**ASSEMBLYAI, "utterances": None}
    s = read_transcript(write(tmp_path, "aai_words.json", data))
    assert rows(s) == [("A", "Hello, Boris. How was the week?", 0.25, 2.1), ("B", "Busy, but fine.", 3.0, 4.0)]


def test_assemblyai_without_speakers_is_one_unknown_speaker(tmp_path):
    data = {**ASSEMBLYAI, "utterances": None,
            "words": [{**w, "speaker": None} for w in ASSEMBLYAI["words"]]}  # type: ignore[attr-defined]
    s = read_transcript(write(tmp_path, "aai_nospk.json", data))
    assert [p.id for p in s.participants] == ["unknown"]
    # split into sentences, as a caption file without names gives one cue after another
    assert [u.text for u in s.utterances] == ["Hello, Boris.", "How was the week?", "Busy, but fine."]
    assert any("speaker_labels: true" in n for n in s.quality.notes)
    assert any("names no speakers" in n for n in s.quality.notes)


def test_assemblyai_unfinished_transcript(tmp_path):
    p = write(tmp_path, "queued.json", {"id": "x", "status": "processing", "words": None, "utterances": None})
    with pytest.raises(InputError, match="status 'processing'") as e:
        read_transcript(p)
    assert str(p) in str(e.value)


DEEPGRAM_WORDS = [
    {"word": "hello", "punctuated_word": "Hello,", "start": 0.5, "end": 0.9, "confidence": 0.99, "speaker": 0,
     "speaker_confidence": 0.8},
    {"word": "boris", "punctuated_word": "Boris.", "start": 0.9, "end": 1.4, "confidence": 0.93, "speaker": 0},
    {"word": "hi", "punctuated_word": "Hi!", "start": 2.0, "end": 2.3, "confidence": 0.9, "speaker": 1},
    {"word": "anna", "punctuated_word": "Anna.", "start": 2.3, "end": 2.8, "confidence": 0.85, "speaker": 1},
]
DEEPGRAM = {
    "metadata": {"request_id": "a1b2", "duration": 3.1, "channels": 1, "models": ["nova-2"]},
    "results": {"channels": [{"detected_language": "en", "language_confidence": 0.99, "alternatives": [
        {"transcript": "Hello, Boris. Hi! Anna.", "confidence": 0.98, "words": DEEPGRAM_WORDS}]}]},
}


def test_deepgram_words_grouped_by_speaker(tmp_path):
    s = read_transcript(write(tmp_path, "dg.json", DEEPGRAM))
    assert rows(s) == [("SPEAKER_00", "Hello, Boris.", 0.5, 1.4), ("SPEAKER_01", "Hi! Anna.", 2.0, 2.8)]
    assert s.utterances[0].words[0].confidence == 0.99
    assert s.language == "en" and s.duration_s == 3.1


def test_deepgram_utterances_preferred(tmp_path):
    data = copy.deepcopy(DEEPGRAM)
    data["results"]["utterances"] = [
        {"start": 0.5, "end": 1.4, "confidence": 0.96, "channel": 0, "transcript": "Hello, Boris.",
         "words": DEEPGRAM_WORDS[:2], "speaker": 0, "id": "u1"},
        {"start": 2.0, "end": 2.8, "confidence": 0.87, "channel": 0, "transcript": "Hi! Anna.",
         "words": DEEPGRAM_WORDS[2:], "speaker": 1, "id": "u2"},
    ]
    s = read_transcript(write(tmp_path, "dg_utt.json", data))
    assert rows(s) == [("SPEAKER_00", "Hello, Boris.", 0.5, 1.4), ("SPEAKER_01", "Hi! Anna.", 2.0, 2.8)]
    assert s.utterances[1].confidence == round((0.9 + 0.85) / 2, 4)


def test_deepgram_multichannel_one_speaker_per_channel(tmp_path):
    def chan(words):
        return {"alternatives": [{"transcript": "", "confidence": 0.9, "words": words}]}
    nospk = [{k: v for k, v in w.items() if k not in ("speaker", "speaker_confidence")} for w in DEEPGRAM_WORDS]
    data = {"metadata": {"duration": 3.1, "channels": 2},
            "results": {"channels": [chan(nospk[:2]), chan(nospk[2:])]}}
    s = read_transcript(write(tmp_path, "dg_multi.json", data))
    assert rows(s) == [("SPEAKER_00", "Hello, Boris.", 0.5, 1.4), ("SPEAKER_01", "Hi! Anna.", 2.0, 2.8)]


def _aws_word(content, start, end, conf="0.99", speaker=None):
    item = {"start_time": start, "end_time": end, "alternatives": [{"confidence": conf, "content": content}],
            "type": "pronunciation"}
    return {**item, "speaker_label": speaker} if speaker else item


def _aws_punct(content):
    return {"alternatives": [{"confidence": "0.0", "content": content}], "type": "punctuation"}


AWS_ITEMS = [
    _aws_word("Hello", "4.87", "5.02", "1.0", "spk_0"), _aws_punct(","), _aws_word("Boris", "5.02", "5.4", "0.97", "spk_0"),
    _aws_punct("."), _aws_word("Hi", "8.49", "8.88", "0.9", "spk_1"), _aws_punct("!"),
]
AWS = {"jobName": "mentoring-01", "accountId": "111122223333", "status": "COMPLETED",
       "results": {"transcripts": [{"transcript": "Hello, Boris. Hi!"}], "items": AWS_ITEMS}}


def test_aws_items_with_speaker_labels(tmp_path):
    s = read_transcript(write(tmp_path, "aws.json", AWS))
    assert rows(s) == [("spk_0", "Hello, Boris.", 4.87, 5.4), ("spk_1", "Hi!", 8.49, 8.88)]
    assert [w.text for w in s.utterances[0].words] == ["Hello,", "Boris."]
    assert s.utterances[0].words[1].confidence == 0.97


def test_aws_speakers_from_segments_only(tmp_path):
    items = [{k: v for k, v in it.items() if k != "speaker_label"} for it in AWS_ITEMS]
    segments = [
        {"start_time": "4.87", "end_time": "5.4", "speaker_label": "spk_0", "items": [
            {"start_time": "4.87", "end_time": "5.02", "speaker_label": "spk_0"},
            {"start_time": "5.02", "end_time": "5.4", "speaker_label": "spk_0"}]},
        {"start_time": "8.49", "end_time": "8.88", "speaker_label": "spk_1", "items": [
            {"start_time": "8.49", "end_time": "8.88", "speaker_label": "spk_1"}]},
    ]
    data = {"results": {"transcripts": [], "speaker_labels": {"speakers": 2, "segments": segments}, "items": items}}
    s = read_transcript(write(tmp_path, "aws_old.json", data))
    assert rows(s) == [("spk_0", "Hello, Boris.", 4.87, 5.4), ("spk_1", "Hi!", 8.49, 8.88)]


def test_aws_channel_identification(tmp_path):
    def chan(label, items):
        return {"channel_label": label, "items": [{**it, "channel_label": label} for it in items]}
    items = [{k: v for k, v in it.items() if k != "speaker_label"} for it in AWS_ITEMS]
    data = {"results": {"transcripts": [], "channel_labels": {"channels": [chan("ch_0", items[:4]),
                                                                           chan("ch_1", items[4:])],
                                                              "number_of_channels": 2}, "items": items}}
    s = read_transcript(write(tmp_path, "aws_ch.json", data))
    assert rows(s) == [("ch_0", "Hello, Boris.", 4.87, 5.4), ("ch_1", "Hi!", 8.49, 8.88)]


REVAI = {"monologues": [
    {"speaker": 0, "elements": [
        {"type": "text", "value": "Hello", "ts": 0.5, "end_ts": 0.9, "confidence": 1.0},
        {"type": "punct", "value": ","}, {"type": "punct", "value": " "},
        {"type": "text", "value": "Boris", "ts": 0.9, "end_ts": 1.4, "confidence": 0.92},
        {"type": "punct", "value": "."}]},
    {"speaker": 1, "speaker_name": "Boris Ivanov", "elements": [
        {"type": "text", "value": "Hi", "ts": 2.0, "end_ts": 2.3, "confidence": 0.9},
        {"type": "punct", "value": "!"}, {"type": "punct", "value": " "},
        {"type": "unknown", "value": "<inaudible>"}]},
    {"speaker": 1, "elements": [
        {"type": "text", "value": "Thanks", "ts": 3.0, "end_ts": 3.4, "confidence": 0.8},
        {"type": "punct", "value": "."}]},
]}


def test_revai_monologues(tmp_path):
    s = read_transcript(write(tmp_path, "rev.json", REVAI))
    # speaker 1 is named in one monologue: the same person in the next, which gives only the number
    assert rows(s) == [("SPEAKER_00", "Hello, Boris.", 0.5, 1.4), ("Boris Ivanov", "Hi!", 2.0, 2.3),
                       ("Boris Ivanov", "Thanks.", 3.0, 3.4)]
    assert [w.text for w in s.utterances[0].words] == ["Hello,", "Boris."]
    assert s.utterances[0].confidence == 0.96


@pytest.mark.parametrize("data, kind", [
    (ASSEMBLYAI, "assemblyai"), (DEEPGRAM, "deepgram"), (AWS, "aws"), (REVAI, "revai"),
    ({"segments": []}, None), ({"results": [1]}, None), ({"schema_version": 1, "utterances": []}, None),
])
def test_service_kind(data, kind):
    assert service_kind(data) == kind


def test_format_aliases():
    assert {normalize_format(a) for a in ("assemblyai", "deepgram", "aws-transcribe", "revai")} == {"json"}


def _broken_word_time(data):
    data = copy.deepcopy(data)
    del data["utterances"][0]["words"][1]["start"]
    return data


@pytest.mark.parametrize("data, match", [
    ({**ASSEMBLYAI, "utterances": "A: hello"}, "'utterances' must be a list, not str"),
    (_broken_word_time(ASSEMBLYAI), r"utterance 0, word 1: start is missing"),
    ({**ASSEMBLYAI, "utterances": [{"speaker": "A", "start": 2000, "end": 1000, "text": "x"}]}, "ends"),
    ({"results": {"channels": [{"alternatives": [{"words": [{"word": "hi", "end": 1.0}]}]}]}},
     r"channel 0, word 0: start is missing"),
    ({"results": {"channels": {"0": {}}}}, "'channels' must be a list"),
    ({"results": {"items": [_aws_word("Hello", "abc", "5.0")]}}, r"item 0: start must be a number"),
    ({"results": {"items": [{"type": "pronunciation", "start_time": "1.0", "end_time": "1.2"}]}},
     r"item 0: needs alternatives\[0\].content"),
    ({"monologues": [{"speaker": 0, "elements": [{"type": "text", "value": "hi", "ts": 1.0}]}]},
     r"monologue 0, element 0: end is missing"),
    ({"monologues": {"speaker": 0}}, "'monologues' must be a list"),
    ({"results": {"foo": 1}}, "not a transcript JSON this tool reads.*AssemblyAI.*Rev.ai"),
])
def test_malformed_files_name_the_file_and_place(tmp_path, data, match):
    p = write(tmp_path, "broken.json", data)
    with pytest.raises(InputError, match=match) as e:
        read_transcript(p)
    assert e.value.path == str(p) and str(p) in str(e.value)


def test_times_in_milliseconds_are_bounded_as_seconds(tmp_path):
    # 2 h in milliseconds is far more than the 24 h bound read as seconds, and must still be accepted
    data = {"utterances": [{"speaker": "A", "start": 7_200_000, "end": 7_201_000, "text": "Late."}]}
    s = read_transcript(write(tmp_path, "late.json", data))
    assert (s.utterances[0].start, s.utterances[0].end) == (7200.0, 7201.0)
    with pytest.raises(InputError, match="past the 24.0 h limit"):
        read_transcript(write(tmp_path, "later.json", {"utterances": [
            {"speaker": "A", "start": 90_000_000, "end": 90_001_000, "text": "x"}]}))


def test_end_to_end_roles_from_labels(tmp_path):
    """What ``analyze FILE -p A=junior -p B=senior`` does: read, then map the service's labels to roles."""
    from sessionscope.io.manifest import apply_manifest, entry_from_options
    from sessionscope.model import Role

    s = read_transcript(write(tmp_path, "GMT20240124-202901_Recording.json", ASSEMBLYAI))
    s = apply_manifest(s, entry_from_options(["A=junior", "B=senior"]))
    roles = {p.name: p.role for p in s.participants}
    assert roles == {"A": Role.JUNIOR, "B": Role.SENIOR}
    assert str(s.date) == "2024-01-24" and s.timed

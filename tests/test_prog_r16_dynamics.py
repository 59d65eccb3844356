"""Round 16 (prog): a line of non-speech marks alone never takes the floor, whatever the reader did with the marks."""

from __future__ import annotations

from pathlib import Path

from sessionscope.analysis.dynamics import compute_metrics
from sessionscope.config import DynamicsConfig
from sessionscope.io import read_transcript

# Nathan holds the floor; Kathy laughs for 1.65 s in his pause (SBC009 228.43-230.08 is such a line), he goes on
STM = """\
T 1 NATHAN 0.00 4.00 so the square root of two goes here
T 1 KATHY 4.20 5.85 <LAUGH>
T 1 NATHAN 6.00 9.00 and then you multiply it by itself
T 1 KATHY 9.20 12.00 oh I see what you mean now
"""


def test_a_long_laugh_line_of_stm_is_no_turn(tmp_path: Path) -> None:
    p = tmp_path / "t.stm"
    p.write_text(STM, encoding="utf-8")
    m = compute_metrics(read_transcript(p), DynamicsConfig())
    turns = {pid: v["turns"] for pid, v in m.participants.items()}
    assert turns == {"nathan": 1, "kathy": 1}  # was nathan 2, kathy 2: the laugh took the floor
    assert m.participants["kathy"]["backchannels"] == 1
    assert m.session["speaker_switches"] == 1
    assert m.session["pauses"] == 1  # Nathan's 2 s silence around the laugh is his pause, not a gap


def test_speech_without_text_is_still_judged_by_its_length(tmp_path: Path) -> None:
    """RTTM segments (no transcript at all) keep the length rule: 1.65 s of speech takes the floor."""
    rttm = "\n".join(f"SPEAKER t 1 {s:.2f} {d:.2f} <NA> <NA> {who} <NA> <NA>"
                     for s, d, who in ((0.0, 4.0, "NATHAN"), (4.2, 1.65, "KATHY"), (6.0, 3.0, "NATHAN")))
    p = tmp_path / "t.rttm"
    p.write_text(rttm + "\n", encoding="utf-8")
    m = compute_metrics(read_transcript(p), DynamicsConfig())
    assert len(m.turns) == 3


def test_transcript_marks_are_no_words(tmp_path: Path) -> None:
    """QMSum / AMI plain text keeps "{vocalsound}", "{disfmarker}", "{gap}" in the text: they are not words."""
    from sessionscope.analysis.dynamics import spoken_words

    assert spoken_words("I'm {gap} .") == 1
    assert spoken_words("So {disfmarker} let's see - [laughter] okay") == 4
    p = tmp_path / "m.txt"
    p.write_text("Project Manager: {vocalsound} Hmm , that's interesting .\nUser Interface: {gap}\n"
                 "Project Manager: So {disfmarker} the remote .\n", encoding="utf-8")
    m = compute_metrics(read_transcript(p), DynamicsConfig())
    assert m.participants["project-manager"]["word_count"] == 6
    assert m.participants["user-interface"]["word_count"] == 0
    assert m.participants["project-manager"]["word_share"] == 1.0
    assert [t.words for t in m.turns] == [6]  # "{gap}" alone is no turn and no word

"""Round 29 (issue 10): a report says when its questions, advice and tasks were read from word order."""

from __future__ import annotations

import datetime as dt

import pytest

from sessionscope.analysis import questions as q
from sessionscope.analysis.questions import NO_PUNCTUATION_NOTE, punctuation_notes

UNRELIABLE = ["What do you think about it.", "Do you want to go first.", "Are you sure about the date.",
              "Can we move it to Friday.", "Yes, Friday works.", "Is it ready?"]


def test_a_bare_transcript_gets_the_word_order_note() -> None:
    assert punctuation_notes(["hello there how are you", "fine thanks what about you", "good"]) == [NO_PUNCTUATION_NOTE]
    assert punctuation_notes(["ok", "yes"]) == []  # nothing of two words or more: nothing to say


def test_unreliable_question_marks_are_counted_in_the_note() -> None:
    [note] = punctuation_notes(UNRELIABLE)
    assert note.startswith("question marks are unreliable in this transcript (1 of 5 sentences worded as questions")
    assert punctuation_notes(["What do you think about it?", "Do you want to go first?", "Are you sure about it?",
                              "Can we move it to Friday?", "Yes, Friday works."]) == []


def test_the_note_follows_the_rule_that_reads_the_questions(monkeypatch) -> None:
    monkeypatch.setattr(q, "PERIOD_RULE", "off")  # the "." sentences are then not re-read: nothing to tell
    assert punctuation_notes(UNRELIABLE) == []


def test_readers_add_the_note_and_reports_translate_it(tmp_path) -> None:
    from sessionscope.io import read_transcript
    from sessionscope.report.i18n import translate_note

    p = tmp_path / "bare.txt"
    p.write_text("Anna: hello there how are you\nBoris: fine thanks what about you\nAnna: good so what did you try\n",
                 encoding="utf-8")
    s = read_transcript(p)
    assert NO_PUNCTUATION_NOTE in s.quality.notes
    ru = translate_note(NO_PUNCTUATION_NOTE, "ru")
    assert ru != NO_PUNCTUATION_NOTE and "по порядку слов" in ru
    [note] = punctuation_notes(UNRELIABLE)
    assert "1 из 5" in translate_note(note, "ru")
    p.write_text("Anna: Hello there, how are you?\nBoris: Fine, thanks. What about you?\n", encoding="utf-8")
    assert not any("punctuation" in n or "question marks" in n for n in read_transcript(p).quality.notes)


def test_the_programme_carries_the_note() -> None:
    from sessionscope.model import DataQuality
    from sessionscope.report.programme import data_notes
    from test_report_data import full_session

    s = full_session(sid="s", pair="p1", date=dt.date(2026, 1, 5)).evolve(
        quality=DataQuality(notes=(NO_PUNCTUATION_NOTE, "utterances sorted")))
    assert data_notes(s) == NO_PUNCTUATION_NOTE


@pytest.mark.parametrize("texts", [UNRELIABLE, ["hello there how are you", "fine thanks"]])
def test_notes_agree_with_the_question_reading(texts) -> None:
    """The note says "word order" exactly when the question detection reads the transcript bare or re-reads its "."."""
    punctuated = q.transcript_punctuated(texts)
    sents = [s for t in texts for s in q.sentences(t)]
    reread = punctuated and q.qmark_unreliable(sents)
    assert bool(punctuation_notes(texts)) == (not punctuated or reread)

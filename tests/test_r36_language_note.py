"""Round 36: a transcript in another language than English or Russian says so in its report (no models)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sessionscope.language.nlp import LANGUAGE_NOTE_BELOW, LANGUAGE_NOTE_MIN_WORDS, english_share, language_notes

SAMPLES = json.loads((Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "r36_language_samples.json")
                     .read_text(encoding="utf-8"))["samples"]
ENGLISH = ("Hi everyone, thanks for coming. Today we will talk about the new project. I looked at the numbers and I think "
           "we should review the schedule again. Can you send me the report by Friday? Yes, I will. We also need to talk "
           "to the client because he was not happy with the last delivery. What do you think, shall we set up a meeting? "
           "Good idea, I will call him tomorrow.")


@pytest.mark.parametrize("lang", ["de", "es", "fr", "it", "nl", "pt"])
def test_latin_script_text_in_another_language_gets_the_note(lang: str) -> None:
    [note] = language_notes([SAMPLES[lang]])
    share, n = english_share([SAMPLES[lang]])
    assert share is not None and share < LANGUAGE_NOTE_BELOW and n >= LANGUAGE_NOTE_MIN_WORDS
    assert note.startswith(f"the text does not read as English: {round(100 * share)} % of its {n} words")


@pytest.mark.parametrize("lang", ["ru", "uk", "bg"])
def test_cyrillic_text_is_not_judged(lang: str) -> None:
    assert language_notes([SAMPLES[lang]]) == []


def test_english_and_short_text_get_no_note() -> None:
    share, n = english_share([ENGLISH])
    assert share is not None and share > 0.4 and n >= LANGUAGE_NOTE_MIN_WORDS
    assert language_notes([ENGLISH]) == []
    short = " ".join(SAMPLES["de"].split()[: LANGUAGE_NOTE_MIN_WORDS - 5])
    assert language_notes([short]) == []  # too few words to tell
    assert language_notes([]) == [] and english_share([]) == (None, 0)


def test_a_mostly_english_transcript_with_a_foreign_stretch_is_english() -> None:
    assert language_notes([ENGLISH] * 3 + [SAMPLES["de"]]) == []


def test_readers_add_the_note_and_reports_translate_it(tmp_path) -> None:
    from sessionscope.io import read_transcript
    from sessionscope.report.i18n import translate_note

    p = tmp_path / "de.txt"
    half = len(SAMPLES["de"]) // 2
    p.write_text(f"Anna: {SAMPLES['de'][:half]}\nBoris: {SAMPLES['de'][half:]}\n", encoding="utf-8")
    [note] = [n for n in read_transcript(p).quality.notes if n.startswith("the text does not read as English")]
    ru = translate_note(note, "ru")
    assert ru.startswith("текст не похож на английский") and " слов лишь 3 %" in ru
    p.write_text(f"Anna: {ENGLISH}\nBoris: Sure.\n", encoding="utf-8")
    assert not any("read as English" in n for n in read_transcript(p).quality.notes)


def test_whispers_other_language_note_is_translated() -> None:
    from sessionscope.audio.asr import pick_language
    from sessionscope.report.i18n import translate_note

    _lang, _p, _how, notes = pick_language([("de", 0.96), ("en", 0.03), ("ru", 0.01)], ["en", "ru"])
    [note] = notes
    assert translate_note(note, "ru") == "вероятнее всего язык записи — «de» (0,96); выбран «en» из заданных языков: en, ru"


def test_the_programme_carries_both_notes() -> None:
    from sessionscope.model import DataQuality
    from sessionscope.report.programme import data_notes
    from test_report_data import full_session

    [note] = language_notes([SAMPLES["fr"]])
    s = full_session(sid="s", pair="p1", date=dt.date(2026, 1, 5)).evolve(quality=DataQuality(notes=(note, "utterances sorted")))
    assert data_notes(s) == note
    other = "most probable language overall was 'de' (0.90); chose 'en' among the configured languages en, ru"
    s = s.evolve(quality=DataQuality(notes=(other,)))
    assert data_notes(s) == other


def test_the_console_names_a_session_in_another_language(tmp_path, capsys) -> None:
    import dataclasses

    from sessionscope.batch import BatchItem, BatchReport, ItemResult
    from sessionscope.cli.common import print_report
    from test_report_data import full_session

    def report(notes: tuple[str, ...]) -> BatchReport:
        s = full_session(sid="de")
        assert s.quality is not None
        s = s.evolve(quality=dataclasses.replace(s.quality, notes=notes))
        return BatchReport(results=(ItemResult(BatchItem(tmp_path / "de.txt", "de"), "ok", out_dir=tmp_path / "de",
                                               session=s),), out_dir=tmp_path)

    print_report(report(tuple(language_notes([SAMPLES["de"]]))))
    err = " ".join(capsys.readouterr().err.split())
    assert "not English or Russian, analysed as English anyway in de (3 % common English words)" in err, err
    from sessionscope.audio.asr import pick_language

    print_report(report(pick_language([("de", 0.97), ("en", 0.02), ("ru", 0.01)], ["en", "ru"])[3]))
    assert "in de (spoken language detected as 'de' (0.97))" in " ".join(capsys.readouterr().err.split())
    print_report(report(()))
    assert "not English or Russian" not in capsys.readouterr().err

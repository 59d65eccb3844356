"""Round 21, ruaudit: what `run` handed a Russian pair, read back (benchmarks/r21_ruaudit.py). Model-free.

R1: the tiny-voice note showed its command as \\`sessionscope remap\\` in summary.md and with literal backticks in
report.html (the note was plain text, escaped whole). R2: "фрагментов речи без распознанных слов: 1, 0,1 с" ran the
count into the decimal. R3: the checklist's feedback row read "обратная связь — обратная связь могла быть вне записи"
(English: "feedback — feedback may be given …"). R4: "Либо Игорь Петрович почти не говорил(а)". R5: the timeline of
a short Russian session had "0.2 0.4" on its axis beside the report's "0,47". R6: "двух-с-половиной-минутных окон".
"""

from __future__ import annotations

from helpers import make_session
from sessionscope.analysis.dynamics import compute_metrics
from sessionscope.config import DynamicsConfig
from sessionscope.model import DataQuality, Participant, Role, Session, Utterance


def _sliver(language: str) -> Session:
    """Two named people on one voice: the second got a 0.9 s sliver with one word (the Silero file, -p two names)."""
    utts = (Utterance("u0001", "anna", " ".join(["слово"] * 60), 0.0, 30.0),
            Utterance("u0002", "igor", "так", 30.5, 31.4))
    s = Session(id="s", participants=(Participant("anna", "Анна", Role.JUNIOR),
                                      Participant("igor", "Игорь Петрович", Role.SENIOR)),
                utterances=utts, language=language, duration_s=31.5)
    s = s.evolve(metrics=compute_metrics(s, DynamicsConfig()))
    return s.evolve(quality=DataQuality(asr_model="base", speaker_mapping_method="order"))


def test_tiny_voice_note_keeps_its_command_as_code() -> None:
    from sessionscope.report.session_html import render_session_html
    from sessionscope.report.session_md import render_session_markdown

    for lang, head in (("ru", "## Качество данных"), ("en", "## Data quality")):
        s = _sliver(lang)
        md = render_session_markdown(s).split(head)[1]
        line = next(x for x in md.splitlines() if x.startswith("- Игорь Петрович: "))
        assert "`sessionscope remap`" in line and "\\`" not in line, line
        page = render_session_html(s, charts=False)
        assert "<code>sessionscope remap</code>" in page
        assert "(`sessionscope remap`" not in page


def test_tiny_voice_note_in_russian_has_no_gender_fallback() -> None:
    from sessionscope.report.session_md import render_session_markdown

    md = render_session_markdown(_sliver("ru")).split("## Качество данных")[1]
    assert "Либо этот участник почти не говорил, либо голосов в записи меньше" in md
    assert "(а)" not in md.split("**Шаги анализа")[0]


def test_wordless_turn_note_keeps_count_and_seconds_apart() -> None:
    from sessionscope.report.i18n import translate_note

    for note in ("1 speaker turn, 0.1 s, had speech but no recognised words (counted as talk time)",
                 "3 speaker turns, 2.4 s, had speech but no recognised words (counted as talk time)"):
        ru = translate_note(note, "ru")
        assert ru.startswith("фрагментов речи без распознанных слов: ")
        assert ", 0,1 с" not in ru and ", 2,4 с" not in ru
    assert translate_note("1 speaker turn, 0.1 s, had speech but no recognised words (counted as talk time)", "ru") \
        == "фрагментов речи без распознанных слов: 1 (0,1 с), учтены как время речи"


def test_feedback_row_does_not_repeat_its_name() -> None:
    from sessionscope.report.checklist import checklist_section
    from sessionscope.report.i18n import Translator
    from sessionscope.report.programme_i18n import pt

    s = make_session([("kim", 0.0, 5.0, "What should I read first?"), ("rob", 5.0, 9.0, "Start with the guide.")],
                     roles={"kim": "junior", "rob": "senior"}, duration=9.0)
    for lang, want in (("ru", "обратная связь могла быть вне записи"), ("en", "feedback may be given outside the recording")):
        t = Translator(lang)
        row = next(r for r in checklist_section(s.evolve(language=lang), t).rows if r[0] == pt(t, "item_feedback"))
        assert row[2].startswith(want), row
        assert "обратная связь — обратная связь" not in row[2] and "feedback — feedback" not in row[2]


def test_russian_timeline_axis_uses_the_decimal_comma() -> None:
    from sessionscope.report.charts import render_timeline, timeline_spec
    from sessionscope.report.i18n import Translator

    rows = [("anna", 0.0, 20.0, "привет"), ("igor", 21.0, 50.0, "здравствуйте")]
    ru = timeline_spec(make_session(rows, language="ru", duration=50.0), Translator("ru"))
    en = timeline_spec(make_session(rows, language="en", duration=50.0), Translator("en"))
    assert ru is not None and en is not None
    svg_ru, svg_en = render_timeline(ru), render_timeline(en)
    assert ">0,2<" in svg_ru and ">0.2<" not in svg_ru
    assert ">0.2<" in svg_en


def test_russian_dominance_sentence_reads_naturally() -> None:
    from sessionscope.report.i18n import Translator

    text = Translator("ru")("dominance_sentence", share="0 %")
    assert text == "В 0 % отрезков по 2,5 минуты слово держал один человек."


def test_russian_date_axis_and_figures_on_line_charts() -> None:
    """The Russian dashboard's charts read "2026 Nov 8 … Dec 1" and "0.79": `line_chart_svg(lang="ru")` writes
    Russian months and the decimal comma (dashboard.py passes the language)."""
    import datetime as dt

    from sessionscope.report.charts import _date_ticks, line_chart_svg

    o = dt.date(2026, 11, 8).toordinal()
    en, ru = _date_ticks(o, o + 24), _date_ticks(o, o + 24, "ru")
    assert [v for v, _ in en] == [v for v, _ in ru]
    assert en[0][1] == "2026 Nov 8" and ru[0][1] == "8 ноя 2026"
    assert any(lab == "Dec 2" for _, lab in en) and any(lab == "2 дек" for _, lab in ru)
    assert not any(m in lab for _, lab in ru for m in ("Nov", "Dec"))
    series = [{"label": "smirnova-volkov", "points": [(dt.date(2026, 11, 10), 1.0, "a"), (dt.date(2026, 11, 17), 0.79, "b")]}]
    svg_ru = line_chart_svg(series=series, title="Длительность", ylabel="минуты", gid_prefix="m", lang="ru")
    svg_en = line_chart_svg(series=series, title="Duration", ylabel="minutes", gid_prefix="m")
    assert "2026-11-17: 0,79" in svg_ru and "0.79" not in svg_ru and "ноя" in svg_ru and "Nov" not in svg_ru
    assert "2026-11-17: 0.79" in svg_en and "Nov" in svg_en


def test_russian_questions_to_check_needs_no_plural() -> None:
    """"из 3 вопросов проверить: 3" (and "из 21 вопросов", a wrong case) → "с пометкой «проверить»: 3 из 3"."""
    from sessionscope.report.i18n import Translator

    for asked in (3, 21):
        text = Translator("ru")("questions_to_check", n=2, asked=asked)
        assert text == f"с пометкой «проверить»: 2 из {asked}"

"""Round 27 (leftovers): the evaluator audit's two open findings (benchmarks/results/r27_evalaudit_findings.json,
EA-11 and EA-13). Model-free: sessions from ``test_report_data``, the lexical goal method."""

from __future__ import annotations

from dataclasses import replace

from sessionscope.report.checklist import checklist_section, session_checklist
from sessionscope.report.i18n import Translator
from test_report_data import full_session


def _with_items_to_check():  # noqa: ANN202
    """full_session with Boris's r3, Anna's q3 and the dated a1 marked to check."""
    s = full_session()
    return s.evolve(
        recommendations=tuple(replace(r, to_check=True) if r.id == "r3" else r for r in s.recommendations),
        questions=tuple(replace(q, to_check=True) if q.id == "q3" else q for q in s.questions),
        action_items=tuple(replace(a, to_check=True) if a.id == "a1" else a for a in s.action_items))


def test_checklist_measures_count_the_counted_items_then_those_to_check() -> None:
    """EA-13: "junior 2/8, senior 15/15" and "(0 of 4)" counted the items marked to check, the status did not."""
    items = {i.item: i for i in session_checklist(_with_items_to_check()).items}
    assert items["both_ways"].measure == "questions/recommendations: junior 1/1 (+1 to check), senior 1/1 (+1 to check)"
    assert items["recommendations_recorded"].measure == "recommendations found (+1 to check)"
    assert items["recommendations_recorded"].value == 2
    assert items["junior_questions"].measure == "questions asked by the junior (+1 to check)"
    assert items["junior_questions"].value == 1
    # a1 (owner and due date) is the one to check: 0 of the 2 counted, 1 to check; the status is unchanged
    goals = items["goals_owner_date"]
    assert goals.measure == "action items with an owner and a due date (0 of 2; +1 to check)" and goals.value == 0
    assert goals.status == "cant_tell"
    # a side that advised only by items marked to check is named in a not-met reason beside the sides with none
    s = _with_items_to_check()
    s = s.evolve(recommendations=tuple(r for r in s.recommendations if r.giver != "anna"),
                 questions=tuple(q for q in s.questions if q.asker != "anna"))
    item = next(i for i in session_checklist(s).items if i.item == "both_ways")
    assert item.status == "not_met" and item.measure == "questions/recommendations: junior 0/0, senior 1/1 (+1 to check)"
    assert item.reason.startswith("the junior asked no question; the junior gave no recommendation;")
    assert "only" not in item.reason
    s = s.evolve(recommendations=tuple(replace(r, to_check=True) for r in s.recommendations))
    item = next(i for i in session_checklist(s).items if i.item == "both_ways")
    assert item.reason.startswith("the junior asked no question; the junior gave no recommendation; "
                                  "the senior gave only recommendations marked to check")
    # nothing to check: the measures read as before
    plain = {i.item: i for i in session_checklist(full_session()).items}
    assert plain["both_ways"].measure == "questions/recommendations: junior 2/1, senior 1/2"
    assert plain["goals_owner_date"].measure == "action items with an owner and a due date (1 of 3)"
    assert plain["junior_questions"].measure == "questions asked by the junior"


def test_checklist_section_shows_those_to_check_apart_in_both_languages() -> None:
    s = _with_items_to_check()
    rows = {r[0]: r[2] for r in checklist_section(s, Translator("en")).rows}
    assert "junior 1/1 (+1 to check), senior 1/1 (+1 to check)" in rows["Both asked and both advised"]
    assert "recommendations found: 2 (+1 to check; threshold 1)" in rows["Recommendations recorded"]
    assert ": 0 (+1 to check; threshold 1)" in rows["Small goals with owners and dates"]
    ru = [r[2] for r in checklist_section(s.evolve(language="ru"), Translator("ru")).rows]
    assert any("1/1 (+1 на проверку)" in r and "to check" not in r for r in ru)
    assert any("найдено рекомендаций: 2 (+1 на проверку; порог 1)" in r for r in ru)
    assert not any("to check" in r for r in ru)


ZOOM_NOTES = ("1 cue without a speaker name was attributed to the previous speaker (Zoom and Teams split one person's "
              "speech into cues and name the speaker only on the first)",
              "no two cues of the vtt file overlap: nobody is heard talking over another, so interruptions are cut-offs "
              "read from the words and pauses alone (none are counted with dynamics.interruptions: overlap)")
AUDIO_NOTES = ("telephone-band audio (nothing above 4 kHz): transcription VAD threshold 0.3 instead of 0.5",
               "speaker mapping by introduction: no measured confidence (only voiceprint matches have one)")


def _noted_programme(*, uncounted: bool = True):  # noqa: ANN202
    """``uncounted``: the Zoom session's interruptions left empty, as the overlap rule leaves a cue file without
    overlaps (the cut-off model, the default since round 51, counts them)."""
    import dataclasses
    import datetime as dt

    from sessionscope.analysis.dynamics import INTERRUPTION_MEASURES
    from sessionscope.model import DataQuality
    from sessionscope.report.programme import build_programme

    zoom = full_session(sid="zoom", pair="p1", date=dt.date(2026, 1, 5)).evolve(quality=DataQuality(notes=ZOOM_NOTES))
    if uncounted:
        m = zoom.metrics
        assert m is not None
        zoom = zoom.evolve(metrics=dataclasses.replace(
            m, session={**m.session, "interruptions": None},
            participants={p: {**row, **dict.fromkeys(INTERRUPTION_MEASURES)} for p, row in m.participants.items()}))
    audio = full_session(sid="call", pair="p2", date=dt.date(2026, 1, 6)).evolve(
        quality=DataQuality(asr_model="tiny.en", speaker_mapping_method="introduction", notes=AUDIO_NOTES))
    plain = full_session(sid="plain", pair="p3", date=dt.date(2026, 1, 7))
    return build_programme([zoom, audio, plain], encoder=None, goal_vectors=None)


def test_session_data_notes_that_bear_on_figures_reach_the_programme() -> None:
    """EA-11: the Zoom meeting's "interruptions are not counted", the sample's "telephone-band audio" and "speaker
    mapping by introduction: no measured confidence" were on its session pages only."""
    prog = _noted_programme()
    notes = dict(zip(prog.sessions["session_id"], prog.sessions["data_notes"], strict=True))
    assert notes["zoom"] == ZOOM_NOTES[1]  # the cue given to the previous speaker changes no figure
    assert notes["call"] == "; ".join(AUDIO_NOTES)
    assert not isinstance(notes["plain"], str)  # empty (None or NaN in pandas)
    assert "data_notes" in prog.tables()["programme_sessions"].columns


def test_the_notes_that_bear_on_key_figures_stand_under_them_in_both_languages() -> None:
    from sessionscope.report.dashboard import render_dashboard
    from sessionscope.report.programme import render_programme_markdown

    prog = _noted_programme()
    md = render_programme_markdown(prog)
    assert ("1 of 3 sessions is a transcript whose cues never overlap: the overlap rule cannot show anyone cutting "
            "in there, so its interruptions are not counted") in md and md.rstrip().count(": zoom.") == 1
    assert "1 of 3 sessions had its speakers matched to the participants by what was said" in md
    assert "rest on that match: call." in md
    assert md.index("interruptions are not counted") < md.index("## ")  # under the key figures
    ru = render_programme_markdown(prog, language="ru")
    assert "1 из 3 встреч: расшифровка, фрагменты которой нигде не пересекаются" in ru
    assert "уверенность не измерена" in ru and "interruptions" not in ru
    html = render_dashboard(prog)
    assert "interruptions are not counted" in html and "with no measured confidence" in html
    assert "не считаются" in render_dashboard(prog, language="ru")
    # nothing to say: no line
    plain = render_programme_markdown(_noted_programme().__class__(**{**vars(prog), "sessions": prog.sessions[
        prog.sessions["session_id"] == "plain"]}))
    assert "never overlap" not in plain and "no measured confidence" not in plain


def test_a_cue_file_whose_interruptions_were_counted_needs_no_programme_note() -> None:
    """Round 51: the cut-off model counts the interruptions of a transcript whose cues never overlap (from the words
    and pauses, with its serial threshold), so the programme says nothing of them "not counted"."""
    from sessionscope.report.programme import render_programme_markdown

    prog = _noted_programme(uncounted=False)
    md = render_programme_markdown(prog)
    assert "never overlap" not in md and "1 of 3 sessions had its speakers matched" in md
    assert "нигде не пересекаются" not in render_programme_markdown(prog, language="ru")


def _written_strings() -> list[str]:
    """Every string the package's code (the programme module aside) can write as a literal, f-strings with each
    placeholder read as "1"."""
    import ast
    from pathlib import Path

    import sessionscope

    root = Path(sessionscope.__file__).parent
    out: list[str] = []
    for path in root.rglob("*.py"):
        if path.name == "programme.py" and path.parent.name == "report":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                out.append(node.value)
            elif isinstance(node, ast.JoinedStr):
                out.append("".join(v.value if isinstance(v, ast.Constant) else "1" for v in node.values))
    return out


def test_every_carried_data_note_is_still_one_the_code_writes() -> None:
    """The notes are matched by their English text: a reworded note would silently stop reaching the programme (and
    a note that opens with a count, "3 of 10 utterances have no speaker label", is found inside its text)."""
    import re

    from sessionscope.report.programme import DATA_NOTE_PATTERNS

    written = _written_strings()
    missing = [p for p in DATA_NOTE_PATTERNS if not any(re.search(p, s) for s in written)]
    assert missing == []


def test_a_note_that_opens_with_a_count_is_carried() -> None:
    import datetime as dt

    from sessionscope.model import DataQuality
    from sessionscope.report.programme import data_notes

    s = full_session(sid="s", pair="p1", date=dt.date(2026, 1, 5)).evolve(quality=DataQuality(notes=(
        "3 of 10 utterances have no speaker label (participant 'x')",
        "2 speaker turns, 4.1 s, had speech but no recognised words (counted as talk time)", "utterances sorted")))
    assert data_notes(s) == ("3 of 10 utterances have no speaker label (participant 'x'); 2 speaker turns, 4.1 s, "
                             "had speech but no recognised words (counted as talk time)")

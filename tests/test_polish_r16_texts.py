"""Round 16, helper "polish": what the round-16 audits (/tmp/r16/pair_findings.md, prog_findings.md) left open in
key points, flag texts, Russian plurals and titles, the checklist's question count, remap's step row and redacted
names. Each test fails on the code before the fix; model-free.
"""

from __future__ import annotations

from helpers import make_session
from sessionscope.analysis.flow import compute_flags, summarize
from sessionscope.config import FlagsConfig
from sessionscope.model import (
    DataQuality,
    Metrics,
    Participant,
    Problem,
    Question,
    Recommendation,
    Role,
    Session,
    record_stage_run,
)
from sessionscope.report.i18n import Translator, translate_flag
from sessionscope.report.session_md import render_session_markdown


def _pair(rows: list[tuple[str, float, float, str]], language: str = "en", duration: float = 600.0) -> Session:
    s = make_session(rows, roles={"kim": "junior", "rob": "senior"}, duration=duration, language=language)
    names = {"kim": "Kim", "rob": "Rob"}
    return s.evolve(participants=tuple(Participant(p.id, names[p.id], p.role) for p in s.participants))


# -- 1. key points: measured confidences only, no word-finding -------------------------------------------------------
def _talk() -> Session:
    return _pair([("kim", 0.0, 5.0, "I have no idea what I'm looking at."),
                  ("rob", 5.0, 10.0, "You should block two hours every morning."),
                  ("kim", 10.0, 15.0, "I don't know how to say it."),
                  ("rob", 15.0, 20.0, "Try writing the plan down first.")])


def test_problem_without_measured_confidence_is_no_key_point() -> None:
    """SBC001 / the Zoom class: problems (found by rules, confidence None) were ranked with a fixed 0.5 and 4 of 7 such
    key points were fillers ("I have no idea what I'm looking at.")."""
    s = _talk()
    s = s.evolve(problems=(Problem("prob-001", "u0001", 0.0, "kim", "I have no idea what I'm looking at.", False,
                                   area="tools"),),
                 recommendations=(Recommendation("rec-001", "u0002", 5.0, "rob", "kim",
                                                 "You should block two hours every morning.", area="tools",
                                                 confidence=0.62, method="head"),))
    points = summarize(s)
    assert [kp.text for kp in points] == ["You should block two hours every morning."]
    assert points[0].score == round(0.95 * 0.62, 3)  # the measured confidence, weighted by kind


def test_unmeasured_recommendation_is_no_key_point_and_the_report_says_why() -> None:
    s = _talk().evolve(recommendations=(Recommendation("rec-001", "u0004", 15.0, "rob", "kim",
                                                       "Try writing the plan down first.", area="time"),))
    s = s.evolve(summary=summarize(s))
    assert s.summary == ()
    md = render_session_markdown(s)
    assert "ranked by a measured confidence" in md and "No key points were extracted." not in md


def test_word_finding_is_no_key_point_even_with_a_confidence() -> None:
    """A sentence that is only the speaker looking for a word is no key point, whatever the item's confidence (the
    problems rule's own word-finding veto, reused)."""
    s = _talk().evolve(recommendations=(
        Recommendation("rec-001", "u0003", 10.0, "kim", "rob", "I don't know how to say it.", area="time",
                       confidence=0.9, method="head"),
        Recommendation("rec-002", "u0004", 15.0, "rob", "kim", "Try writing the plan down first.", area="time",
                       confidence=0.7, method="head")))
    assert [kp.text for kp in summarize(s)] == ["Try writing the plan down first."]
    ru = _pair([("kim", 0.0, 5.0, "Не знаю, как сказать."), ("rob", 5.0, 9.0, "Попробуй планировать утро.")], "ru")
    ru = ru.evolve(recommendations=(
        Recommendation("rec-001", "u0001", 0.0, "kim", "rob", "Не знаю, как сказать.", confidence=0.8, method="head"),
        Recommendation("rec-002", "u0002", 5.0, "rob", "kim", "Попробуй планировать утро.", confidence=0.8,
                       method="head")))
    assert [kp.text for kp in summarize(ru)] == ["Попробуй планировать утро."]


# -- 2. flag texts ---------------------------------------------------------------------------------------------------
def test_short_session_flag_says_m_ss_not_0_0_min() -> None:
    """out_edge: a 1.4 s recording read "the session lasts 0.0 min"."""
    s = _pair([("kim", 0.0, 0.7, "hello"), ("rob", 0.7, 1.4, "hi")], duration=1.4)
    flag = next(f for f in compute_flags(s, FlagsConfig()) if f.code == "short_session")
    # round 23: under a minute in seconds ("0:30 min" read as thirty minutes)
    assert flag.message == "the session lasts 1 s (the guide asks for at least 60 min)", flag.message
    assert flag.value == 0.0  # the measure is unchanged
    assert translate_flag(flag.message, "ru") == "встреча длится 1 с (методика просит не меньше 60 мин)"
    # a session.json of rounds 21–22 keeps its Russian text
    assert translate_flag("the session lasts 0:01 min (the guide asks for at least 60 min)", "ru") == (
        "встреча длится 0:01 мин (методика просит не меньше 60 мин)")
    # a session.json of rounds 16–20 (no unit) keeps its Russian text
    assert translate_flag("the session lasts 1:09 (the guide asks for at least 60 min)", "ru") == (
        "встреча длится 1:09 (методика просит не меньше 60 мин)")
    # a session.json written before keeps its Russian text
    assert translate_flag("the session lasts 1.2 min (the guide asks for at least 60)", "ru").startswith(
        "встреча длится 1,2 мин")


def test_interruption_and_action_item_flags_in_the_singular() -> None:
    """out_en: "interrupted junior Kim 1 times"; "1 action items found"."""
    s = _pair([("kim", 0.0, 30.0, "I keep missing deadlines."), ("rob", 29.0, 600.0, "Let me stop you there.")])
    s = s.evolve(metrics=Metrics(participants={"kim": {"talk_share": 0.3}, "rob": {"talk_share": 0.7}},
                                 interruption_matrix={"rob": {"kim": 1}}))
    flags = {f.code: f.message for f in compute_flags(s, FlagsConfig(senior_interruptions_per_10min=1.0, senior_min_interruptions=1,
                                                                     min_action_items=2))}
    assert flags["senior_interrupts_junior"] == "senior Rob interrupted junior Kim 1 time (1.0 per 10 min)"
    assert "перебиваний: 1" in translate_flag(flags["senior_interrupts_junior"], "ru")
    two = s.evolve(metrics=Metrics(interruption_matrix={"rob": {"kim": 2}}))
    assert "interrupted junior Kim 2 times" in {f.code: f.message for f in compute_flags(
        two, FlagsConfig(senior_interruptions_per_10min=1.0, senior_min_interruptions=1))}["senior_interrupts_junior"]
    from sessionscope.model import ActionItem

    one = s.evolve(action_items=(ActionItem("act-001", "u0001", 0.0, "kim", "send the plan", confidence=0.8),),
                   extra={"extraction": {}})
    msg = {f.code: f.message for f in compute_flags(one, FlagsConfig(min_action_items=2))}["no_action_items"]
    assert msg.startswith("1 action item found (at least 2 expected)"), msg
    assert translate_flag(msg, "ru").startswith("найдено задач: 1")


# -- 3. Russian plurals, titles, stage statuses ------------------------------------------------------------------------
def test_one_plural_helper_for_russian_numerals() -> None:
    from sessionscope.report.i18n import plural

    forms = "перебивали {n} раз|перебивали {n} раза|перебивали {n} раз"
    assert [plural(forms, n, "ru").split()[-1] for n in (1, 2, 4, 5, 11, 12, 21, 22, 25)] == [
        "раз", "раза", "раза", "раз", "раз", "раз", "раз", "раза", "раз"]
    assert plural("cut off {n} time|cut off {n} times", 1, "en") == "cut off {n} time"
    assert Translator("ru").count("count_sessions", 3) == plural(Translator("ru")("count_sessions", n=3), 3, "ru") == "3 встречи"


def _cut_off_session(n_cuts: int, language: str) -> Session:
    rows: list[tuple[str, float, float, str]] = []
    t = 0.0
    for i in range(n_cuts):
        rows += [("kim", t, t + 20.0, f"So the plan for week {i} is to finish the report and then"),
                 ("rob", t + 18.0, t + 40.0, "Wait, before that, let me tell you about the budget first.")]
        t += 40.0
    rows.append(("kim", t, t + 600.0, "Okay, I will think about the budget then and write to you."))
    s = _pair(rows, language=language, duration=t + 600.0)
    return s.evolve(metrics=Metrics(participants={"kim": {"talk_share": 0.6}, "rob": {"talk_share": 0.4}}))


def test_checklist_cut_off_count_in_the_right_form() -> None:
    """programme_i18n: "перебит {n} раз" was wrong for 2–4 ("перебит 2 раз"); English "cut off 1 times"."""
    from sessionscope.report.checklist import checklist_section

    ru = checklist_section(_cut_off_session(2, "ru"), Translator("ru"))
    row = next(r for r in ru.rows if r[0].startswith("Младший говорил свободно"))
    assert "перебивали 2 раза" in row[2], row
    en = checklist_section(_cut_off_session(1, "en"), Translator("en"))
    row = next(r for r in en.rows if r[0].startswith("The junior spoke freely"))
    assert "cut off 1 time" in row[2] and "1 times" not in row[2], row


def test_russian_checklist_title_is_not_recommendations() -> None:
    """The checklist sat as "Рекомендации методики…" next to "Рекомендации" (the advice given)."""
    md = render_session_markdown(_pair([("kim", 0.0, 5.0, "Привет."), ("rob", 5.0, 9.0, "Здравствуй.")], "ru"))
    titles = [ln for ln in md.splitlines() if ln.startswith("## ")]
    assert "## Чек-лист методики" in titles, titles
    assert sum(1 for x in titles if x.startswith("## Рекомендации")) <= 1, titles


def test_stage_statuses_of_the_not_analysed_note_in_russian() -> None:
    from sessionscope.report.programme_i18n import stages_note

    note = stages_note(Translator("ru"), n=1, total=8, listed="SBC009b (topics: skipped, extraction: failed)")
    assert "skipped" not in note and "failed" not in note and "topics" not in note, note
    assert "SBC009b («Тематические области»: пропущен, «Рекомендации, задачи, вопросы»: ошибка)" in note
    en = stages_note(Translator("en"), n=1, total=8, listed="SBC009b (topics: skipped)")
    assert "SBC009b (topics: skipped)" in en


# -- 7. the checklist's junior questions beside the participant table -------------------------------------------------
def test_checklist_junior_questions_say_the_confirmation_checks() -> None:
    """SBC009: "questions asked by the junior 5" beside the participant table's 14 (9 confirmation tags left out)."""
    from sessionscope.report.checklist import checklist_section, session_checklist

    s = _pair([("kim", 0.0, 5.0, "How do I plan the week?"), ("rob", 5.0, 9.0, "Start on Monday."),
               ("kim", 9.0, 12.0, "Right?"), ("rob", 12.0, 15.0, "Yes."), ("kim", 15.0, 18.0, "You know?")])
    qs = (Question("q-001", "u0001", 0.0, "kim", "rob", "How do I plan the week?", True, confidence=0.9),
          Question("q-002", "u0003", 9.0, "kim", "rob", "Right?", True, confidence=0.9, confirmation_tag=True),
          Question("q-003", "u0005", 15.0, "kim", "rob", "You know?", False, confidence=0.9, confirmation_tag=True))
    s = s.evolve(questions=qs, metrics=Metrics(participants={"kim": {"questions_asked": 3, "talk_share": 0.5},
                                                             "rob": {"questions_asked": 0, "talk_share": 0.5}}))
    item = next(i for i in session_checklist(s).items if i.item == "junior_questions")
    assert item.value == 1 and item.measure == "questions asked by the junior (3 with confirmation checks and courtesy questions)"
    en = next(r for r in checklist_section(s, Translator("en")).rows if r[0] == "The junior came with questions")
    assert "questions asked by the junior: 1 (threshold 2; 3 with confirmation checks such as" in en[2], en
    ru = next(r for r in checklist_section(s.evolve(language="ru"), Translator("ru")).rows
              if r[0] == "Младший пришёл с вопросами")
    assert "вопросов младшего: 1 (порог 2; вместе с переспросами-подтверждениями" in ru[2] and "— 3" in ru[2], ru


# -- 5. remap: the step row and the quality row agree ------------------------------------------------------------------
def _recorded() -> Session:
    s = _pair([("kim", 0.0, 5.0, "hello there"), ("rob", 5.0, 9.0, "hi, how are you")])
    notes = ("some speakers were mapped to participants by order of first speech (a guess); correct with "
             "`sessionscope remap` if wrong",
             "speaker mapping by order: no measured confidence (only voiceprint matches have one)")
    s = s.evolve(quality=DataQuality(asr_model="tiny.en", speaker_mapping_method="order", notes=notes),
                 extra={"audio": {"utterance_labels": ["SPEAKER_00", "SPEAKER_01"],
                                  "speaker_map": {"SPEAKER_00": "kim", "SPEAKER_01": "rob"},
                                  "speaker_mapping": {"SPEAKER_00": "order", "SPEAKER_01": "order"}}})
    return record_stage_run(s, "audio.speaker_mapping", "ok", "by order; no measured confidence", 0.0)


def test_remap_step_row_agrees_with_the_quality_row() -> None:
    """out_edge2_remap: after `remap --speaker SPEAKER_00=rob` the step row still said "by order; no measured
    confidence" while the quality row said "mixed"."""
    from sessionscope.remapping import remap_session

    s = remap_session(_recorded(), {"SPEAKER_00": "rob"})
    assert s.quality is not None and s.quality.speaker_mapping_method == "mixed"
    assert s.provenance.outcome("audio.speaker_mapping").reason == "by mixed; no measured confidence"
    assert not any(n.startswith("speaker mapping by order") for n in s.quality.notes), s.quality.notes
    md = render_session_markdown(s)
    quality = md.split("## Data quality")[1]
    assert "order" not in quality.replace("by order of first speech", ""), quality
    assert "| mixed; no measured confidence |" in quality and "| mixed |" in quality, quality
    both = remap_session(_recorded(), {"SPEAKER_00": "rob", "SPEAKER_01": "kim"})
    assert both.provenance.outcome("audio.speaker_mapping").reason == "by manual; no measured confidence"
    ru = render_session_markdown(both.evolve(language="ru")).split("## Качество данных")[1]
    assert "| вручную; уверенность не измерена |" in ru and "by " not in ru, ru


# -- 6. redacted names are the role: not "Other 1 (other)" -------------------------------------------------------------
def test_redacted_names_are_not_followed_by_their_role() -> None:
    from sessionscope.report.redact import redact_session

    s = make_session([("ann", 0.0, 5.0, "You should try the new tool."), ("bob", 5.0, 9.0, "Thanks, I will."),
                      ("cy", 9.0, 12.0, "Me too."), ("dee", 12.0, 15.0, "Same here.")],
                     roles={"ann": "senior", "bob": "junior"}, duration=15.0)
    s = s.evolve(recommendations=(Recommendation("rec-001", "u0001", 0.0, "ann", "bob", "You should try the new tool.",
                                                 confidence=0.8, method="head"),),
                 metrics=Metrics(participants={p: {"talk_share": 0.25} for p in ("ann", "bob", "cy", "dee")}))
    md = render_session_markdown(redact_session(s, ner=False))
    for repeated in ("Other 1 (other", "Other 2 (other", "Senior (senior", "Junior (junior"):
        assert repeated not in md, (repeated, md)
    assert "Senior → Junior" in md and "Other 1 (25 %)" in md, md
    plain = render_session_markdown(s)
    assert "Ann (senior) → Bob (junior)" in plain and "Cy (other, 25 %)" in plain
    assert Translator("ru").with_role("Участник 2", Role.OTHER) == "Участник 2"
    assert Translator("en").with_role("Other 2", Role.JUNIOR) == "Other 2 (junior)"  # not the junior's label

"""Round 16, helper "pair": what a mentoring pair receives, checked on real recordings and transcripts.

Each test reproduces something seen in the summaries of ``sessionscope run`` / ``analyze`` on the shared real
material (/tmp/r16/pair_findings.md) and fails on the round-start code (66e66a7). Model-free.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from helpers import make_session
from sessionscope.model import (
    DataQuality,
    KeyPoint,
    Metrics,
    Participant,
    Question,
    Recommendation,
    Role,
    Session,
    Topics,
    TopicSegment,
)
from sessionscope.report.session_md import render_session_markdown


def _pair(language: str = "en") -> Session:
    rows = [("lena", 0.0, 20.0, "I keep missing deadlines at work."), ("rob", 20.0, 40.0, "Try blocking time."),
            ("lena", 40.0, 60.0, "Thanks, see you next week.")]
    s = make_session(rows, roles={"lena": "junior", "rob": "senior"}, duration=60.0, language=language)
    names = {"lena": "Lena", "rob": "Rob"}
    return s.evolve(participants=tuple(Participant(p.id, names[p.id], p.role) for p in s.participants))


def _segment(area: str, mode: str, start: float, end: float, uids: tuple[str, ...]) -> TopicSegment:
    return TopicSegment(area=area, mode=mode, start=start, end=end, utterance_ids=uids, initiator="lena",
                        confidence=0.7)


def test_small_talk_segment_has_no_discussion_mode() -> None:
    """out_en/diane-sheila-01 (pyannote sample.wav): "0:07–0:30: Other (small talk, logistics) (current trend)";
    TS3003a, Bed003, the Zoom class: "Other (small talk, logistics) (problem situation)". The mode heads classify
    every window, small talk too; the report leaves the mode out for the `other` area (kept in session.json)."""
    s = _pair().evolve(topics=Topics(
        segments=(_segment("time", "problem", 0.0, 40.0, ("u0001", "u0002")),
                  _segment("other", "trend", 40.0, 60.0, ("u0003",))),
        area_time_share={"time": 0.67, "other": 0.33}))
    md = render_session_markdown(s)
    assert "- 0:00–0:40: Time management and priorities (problem situation), opened by: Lena" in md
    assert "- 0:40–1:00: Other (small talk, logistics), opened by: Lena" in md
    assert "current trend" not in md
    ru = render_session_markdown(s.evolve(language="ru"))
    assert "актуальный тренд" not in ru and "(проблемная ситуация)" in ru


def test_key_points_of_small_talk_come_last() -> None:
    """TS3003a / Bed003 / the Zoom class: the key points under "Other (small talk, logistics)" led the list (the
    points were grouped by area id, and "other" sorts before "projects" and "tools"). Now in the topic table's
    order (largest share first), small talk last."""
    s = _pair().evolve(
        topics=Topics(area_time_share={"other": 0.5, "tools": 0.2, "projects": 0.3}),
        summary=(KeyPoint("other", "u0003", "lena", "Maybe you have to hold it upside-down.", 0.9),
                 KeyPoint("projects", "u0001", "lena", "I keep missing deadlines at work.", 0.8),
                 KeyPoint("tools", "u0002", "rob", "Try blocking time.", 0.7)))
    md = render_session_markdown(s)
    key = md.split("## Key points")[1].split("##")[0]
    order = [key.index(x) for x in ("missing deadlines", "blocking time", "upside-down")]
    assert order == sorted(order), key


def test_no_questions_is_said_in_words() -> None:
    """out_en/stereo-01, trn05, diane-sheila-01: "0 questions were asked (0 answered)." (RU: "Задано вопросов: 0
    (с ответом: 0)."): a count of answers to nothing."""
    metrics = Metrics(participants={"lena": {"talk_share": 0.6}, "rob": {"talk_share": 0.4}},
                      session={"questions": 0, "questions_answered": 0})
    s = _pair().evolve(metrics=metrics)
    md = render_session_markdown(s)
    assert "No questions were asked." in md and "0 questions" not in md
    ru = render_session_markdown(s.evolve(language="ru"))
    assert "Вопросов не задано." in ru and "Задано вопросов: 0" not in ru


def _question(i: int, asker: str, to_check: bool) -> Question:
    return Question(id=f"q{i}", utterance_id="u0001", start=0.0, asker=asker, addressee=None, text="How?",
                    answered=True, confidence=0.3 if to_check else 0.9, to_check=to_check)


def _rec(i: int, giver: str, to_check: bool) -> Recommendation:
    return Recommendation(id=f"r{i}", utterance_id="u0002", start=20.0, giver=giver, receiver=None,
                          text="don't hear that New Jersey now.", confidence=0.32 if to_check else 0.8,
                          to_check=to_check)


def test_checklist_both_ways_and_junior_questions_not_met_by_items_to_check() -> None:
    """out_en/diane-sheila-01: "Both asked and both advised … junior 0/1" counted "don't hear that New Jersey now."
    (32 %, to check), while "Recommendations recorded" already said "can't tell — met only by items marked to
    check". The same rule now holds for "both asked and both advised" and "the junior came with questions"."""
    from sessionscope.report.checklist import CANT_TELL, MET, TO_CHECK_REASON, session_checklist

    def status(s: Session, item: str) -> tuple[str, str | None]:
        got = next(i for i in session_checklist(s).items if i.item == item)
        return got.status, got.reason

    sure = (_question(1, "lena", False), _question(2, "rob", False), _question(3, "lena", False))
    recs = (_rec(1, "rob", False),)
    s = _pair().evolve(questions=sure, recommendations=(*recs, _rec(2, "lena", False)))
    assert status(s, "both_ways")[0] == MET
    s = _pair().evolve(questions=sure, recommendations=(*recs, _rec(2, "lena", True)))
    assert status(s, "both_ways") == (CANT_TELL, TO_CHECK_REASON)
    s = _pair().evolve(questions=(_question(1, "lena", False), _question(3, "lena", True)),
                       metrics=Metrics(participants={"lena": {"questions_asked": 2}, "rob": {"questions_asked": 0}}))
    assert status(s, "junior_questions") == (CANT_TELL, TO_CHECK_REASON)


def test_russian_notes_use_the_decimal_comma() -> None:
    """out_ru/anna-igor-03 (ru-pisets test_sound_ru.wav): "фрагментов речи без распознанных слов: 1, 0.2 с" beside
    the report's own "0,1 мин"."""
    from sessionscope.report.i18n import translate_note

    note = "1 speaker turn(s), 0.2 s, had speech but no recognised words (counted as talk time)"
    assert translate_note(note, "ru") == "фрагментов речи без распознанных слов: 1 (0,2 с), учтены как время речи"
    assert translate_note(note, "en") == note
    # round 17: the note now agrees with its count; both wordings are translated
    for new in ("1 speaker turn, 0.2 s, had speech but no recognised words (counted as talk time)",
                "3 speaker turns, 0.2 s, had speech but no recognised words (counted as talk time)"):
        assert translate_note(new, "ru").startswith("фрагментов речи без распознанных слов: ")
    assert "прочитано 18,7 с из заявленных 30,0 с" in translate_note(
        "the file looks truncated or damaged: decoded 18.7 s of 30.0 s announced", "ru")


def test_channel_mapping_note_names_the_participants() -> None:
    """out_en/stereo-01 (fw-stereo-2ch): "channel → participant mapping: SPEAKER_00→lena, SPEAKER_01→rob": ids,
    not the names the rest of the report uses. Other notes keep their words (a participant "a" must not make
    "(a guess)" read "(A guess)")."""
    s = _pair().evolve(quality=DataQuality(asr_model="tiny.en", notes=(
        "channel → participant mapping: SPEAKER_00→lena, SPEAKER_01→rob",
        "some speakers were mapped to participants by order of first speech (a guess); correct with "
        "`sessionscope remap` if wrong")))
    s = s.evolve(participants=(*s.participants, Participant("a", "Alex", Role.OTHER)))
    md = render_session_markdown(s)
    assert "SPEAKER\\_00→Lena, SPEAKER\\_01→Rob" in md, md
    assert "(a guess)" in md


def test_one_voice_in_a_recording_of_two_is_not_domination() -> None:
    """out_edge/one_speaker_en (ru-pisets test_sound_en.wav, one voice, -p Lena=junior -p Rob=senior): "Lena (junior)
    dominated the conversation, with 100 % of the talk time; Rob had little room to speak." Rob was never heard:
    the report says so and how to rerun, as it does for one voice without participants."""
    metrics = Metrics(participants={"lena": {"talk_share": 1.0}, "rob": {"talk_share": 0.0}},
                      session={"questions": 0, "turns": 1})
    s = _pair().evolve(metrics=metrics, quality=DataQuality(asr_model="tiny.en"))
    md = render_session_markdown(s)
    assert "dominated" not in md and "little room" not in md
    assert "Only Lena can be heard in the recording; Rob was not heard" in md
    assert "`--speakers 2`" in md
    ru = render_session_markdown(s.evolve(language="ru"))
    assert "В записи слышен только один участник (Lena); не слышно: Rob" in ru
    # a transcript (no speech recognition) with a silent participant keeps its finding: somebody else typed it
    plain = render_session_markdown(s.evolve(quality=DataQuality()))
    assert "dominated" in plain


def test_console_table_keeps_whole_session_ids(tmp_path: Path) -> None:
    """`run in_ru` on an 80-column console printed three rows "anna-igo…": the sessions could not be told apart;
    a 1.4 s recording's duration read "0.0 min". Ids are folded, never cut, and durations read m:ss."""
    from sessionscope.cli import cli

    for i in (1, 2, 3):
        (tmp_path / f"anna-igor-2026-11-0{i}.vtt").write_text(
            "WEBVTT\n\n00:00:00.000 --> 00:00:01.400\n<v Anna>Hello there, how are you?\n\n"
            "00:00:01.500 --> 00:00:03.000\n<v Igor>Fine, thanks.\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["analyze", str(tmp_path), "--out", str(tmp_path / "out"), "--stages", "dynamics",
                                   "--no-progress"], env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    # round 17: at 80 columns the summary is one block per session (the table broke words), each id whole on a line
    for i in (1, 2, 3):
        assert any(line.startswith(f"anna-igor-2026-11-0{i} ") for line in res.output.splitlines()), res.output
    assert "0:03" in res.output and " min" not in res.output


def test_untimed_transcript_tables_have_no_column_of_dashes() -> None:
    """out_txt/TS3003a, Bed003 (QMSum JSON, no times): the action-item and open-question tables had an "At" column
    of "–" in every row. Left out when no row has a time (as the confidence column when none was measured)."""
    from sessionscope.model import ActionItem

    s = make_session([("anna", "I will send the slides by Friday."), ("boris", "What are we going to do?")],
                     roles={"anna": "junior", "boris": "senior"})
    s = s.evolve(action_items=(ActionItem(id="a1", utterance_id="u0001", start=None, owner="anna",
                                          task="send the slides", due_text="by Friday"),),
                 questions=(Question(id="q1", utterance_id="u0002", start=None, asker="boris", addressee=None,
                                     text="What are we going to do?", answered=False),))
    md = render_session_markdown(s)
    assert "| Owner | Task | Due |\n" in md and "| Asked by | Question |\n" in md, md
    timed = render_session_markdown(make_session([("anna", 0.0, 2.0, "What now?")]).evolve(
        questions=(Question(id="q1", utterance_id="u0001", start=0.0, asker="anna", addressee=None,
                            text="What now?", answered=False),)))
    assert "| Asked by | Question | At |" in timed


def test_remap_warns_when_a_participant_loses_every_voice(tmp_path: Path) -> None:
    """out_edge2_remap/short_speech: `remap … --speaker SPEAKER_00=rob` on a run that mapped SPEAKER_00→lena,
    SPEAKER_01→rob gave Rob both voices and Lena none, with nothing said on the console. It now warns, naming the
    labels and the fix."""
    from sessionscope.cli import cli
    from sessionscope.model import write_session_json

    s = make_session([("lena", 0, 1, "hello there"), ("rob", 1, 2, "hi, how are you"), ("lena", 2, 3, "fine")],
                     roles={"lena": "junior", "rob": "senior"})
    s = s.evolve(participants=(Participant("lena", "Lena", Role.JUNIOR), Participant("rob", "Rob", Role.SENIOR)),
                 extra={"audio": {"utterance_labels": ["SPEAKER_00", "SPEAKER_01", "SPEAKER_00"],
                                  "speaker_map": {"SPEAKER_00": "lena", "SPEAKER_01": "rob"}}})
    write_session_json(s, tmp_path / "session.json", provenance={"stages": ["dynamics"], "config": {}})
    runner = CliRunner()
    res = runner.invoke(cli, ["remap", str(tmp_path), "--speaker", "SPEAKER_00=rob", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert ("warning: Lena (junior) has no speech after this remap (the labels now read SPEAKER_00→Rob, "
            "SPEAKER_01→Rob); if Lena speaks in the recording, name that label: --speaker LABEL=lena") in res.output
    res = runner.invoke(cli, ["remap", str(tmp_path), "--speaker", "SPEAKER_00=lena", "--format", "json"])
    assert res.exit_code == 0 and "warning" not in res.output, res.output


def test_html_shows_the_reports_own_commands_as_code_and_names_as_text() -> None:
    """report.html of out_edge/one_speaker_en: "run it again with `--speakers 2`" with its Markdown backticks
    on the page (the Markdown report keeps them as a code span). A name filled in stays escaped text."""
    from sessionscope.report.session_html import render_session_html

    metrics = Metrics(participants={"lena": {"talk_share": 1.0}, "rob": {"talk_share": 0.0}})
    s = _pair().evolve(metrics=metrics, quality=DataQuality(asr_model="tiny.en"))
    s = s.evolve(participants=(Participant("lena", "<b>Lena</b>", Role.JUNIOR), s.participants[1]))
    page = render_session_html(s, charts=False)
    assert "run it again with <code>--speakers 2</code>" in page and "`--speakers" not in page
    assert "Only &lt;b&gt;Lena&lt;/b&gt; can be heard" in page and "<b>Lena</b>" not in page


def test_checklist_quotes_sure_items_before_items_to_check() -> None:
    """out_qm/TS3011b: "Recommendations recorded | met | recommendations found: 72 — «So just cancel it. | Uh if
    it if it if it's wireless I could just uh put it in the .»": the evidence quoted the first two in time, both
    marked to check (22 %, 41 %), not any of the items that met the item."""
    from sessionscope.report.checklist import session_checklist

    s = _pair().evolve(recommendations=(
        Recommendation(id="r1", utterance_id="u0001", start=0.0, giver="lena", receiver=None, text="I keep missing",
                       confidence=0.22, to_check=True),
        Recommendation(id="r2", utterance_id="u0002", start=20.0, giver="rob", receiver=None, text="Try blocking time.",
                       confidence=0.8)))
    item = next(i for i in session_checklist(s).items if i.item == "recommendations_recorded")
    assert item.evidence[0] == ("u0002", "Try blocking time.")


def test_console_says_which_sessions_have_guessed_speakers(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """`run in_en --manifest …`: the table showed "Kim (junior) 69 %" for dev00, dev01, trn05, trn08 and stereo-01,
    whose speakers were mapped to the manifest's people by order of first speech (a guess, said only inside each
    report). Every finding depends on who is junior: the console now names those sessions and the fix."""
    from sessionscope.batch import BatchItem, BatchReport, ItemResult
    from sessionscope.cli.common import print_report

    metrics = Metrics(participants={"lena": {"talk_share": 0.6}, "rob": {"talk_share": 0.4}}, session={})
    guessed = _pair().evolve(id="dev00", metrics=metrics, extra={"audio": {"speaker_mapping": {
        "SPEAKER_00": "order", "SPEAKER_01": "order"}}})
    known = _pair().evolve(id="sample", metrics=metrics, extra={"audio": {"speaker_mapping": {
        "SPEAKER_00": "introduction", "SPEAKER_01": "introduction"}}})
    report = BatchReport(results=tuple(ItemResult(BatchItem(tmp_path / f"{s.id}.wav", s.id), "ok", session=s)
                                       for s in (guessed, known)), out_dir=tmp_path)
    print_report(report)
    err = " ".join(capsys.readouterr().err.split())
    assert "speakers mapped to participants by order of first speech (a guess) in dev00:" in err, err
    assert "sessionscope remap" in err and "sample" not in err.split("(a guess) in")[1].split(":")[0]


def test_no_minus_zero_in_the_figures() -> None:
    """out_edge/one_speaker_en: "Talk-time entropy (1 = equal) | -0.00" (the entropy of one voice is -1e-17)."""
    from sessionscope.report.i18n import Translator

    en, ru = Translator("en"), Translator("ru")
    assert en.num(-1e-17) == "0.00" and ru.num(-0.0) == "0,00" and en.pct(-1e-9) == "0 %"
    assert en.num(-0.5) == "-0.50" and en.num(-2.0, -1) == "-2" and ru.pct(-0.25) == "-25 %"


def test_checklist_cannot_tell_how_freely_the_junior_spoke_with_one_voice() -> None:
    """out_edge/one_speaker_en: "The junior spoke freely, not cut off | met | junior talk share: 100 %" beside "Only
    Lena can be heard in the recording": one voice gives 100 % or 0 %, not a finding about the pair."""
    from sessionscope.report.checklist import CANT_TELL, ONE_VOICE_REASON, session_checklist

    for shares in ({"lena": 1.0, "rob": 0.0}, {"lena": 0.0, "rob": 1.0}):
        metrics = Metrics(participants={k: {"talk_share": v} for k, v in shares.items()})
        s = _pair().evolve(metrics=metrics, quality=DataQuality(asr_model="tiny.en"))
        item = next(i for i in session_checklist(s).items if i.item == "junior_spoke_freely")
        assert (item.status, item.reason) == (CANT_TELL, ONE_VOICE_REASON)
        md = render_session_markdown(s.evolve(language="ru"))
        assert "в записи слышен только один из пары" in md
    # a transcript where the senior never speaks keeps its finding
    metrics = Metrics(participants={"lena": {"talk_share": 1.0}, "rob": {"talk_share": 0.0}})
    item = next(i for i in session_checklist(_pair().evolve(metrics=metrics)).items if i.item == "junior_spoke_freely")
    assert item.status != CANT_TELL


def test_small_talk_is_no_concrete_case_in_the_checklist() -> None:
    """out_exru/ru_session (examples/ru_session/reference.stm): "Concrete cases … met — «Добрый день, Игорь Петрович!
    Хорошо, спасибо, наконец-то выспалась.»": the greeting's `other` segment had mode "case". Small talk no longer
    counts (the report shows it without a mode). Example sessions' share vs their gold: EN 0.860 → 0.722 (gold
    0.718), RU 0.751 → 0.697 (gold 0.745)."""
    from sessionscope.report.checklist import session_checklist

    s = _pair().evolve(topics=Topics(segments=(_segment("other", "case", 0.0, 20.0, ("u0001",)),
                                               _segment("time", "problem", 20.0, 40.0, ("u0002",)),
                                               _segment("time", "general", 40.0, 60.0, ("u0003",)))))
    item = next(i for i in session_checklist(s).items if i.item == "concrete_cases")
    assert item.value == round(1 / 3, 4) and [uid for uid, _ in item.evidence] == ["u0002"]
    md = render_session_markdown(s)
    assert "I keep missing deadlines" not in md.split("Concrete cases")[1].split("\n")[0]


def test_russian_interruption_flag_does_not_decline_names_wrongly() -> None:
    """out_exru/ru_session: "старший Игорь Петрович Волков перебил(а) младшего Анна Смирнова 1 раз(а)": a name in
    the nominative after "младшего", and "1 раз(а)". Names now stand in brackets, the count after a colon."""
    from sessionscope.report.i18n import translate_flag

    ru = translate_flag("senior Игорь Петрович Волков interrupted junior Анна Смирнова 1 times (2.3 per 10 min)", "ru")
    # since round 21 the verb agrees with a first name the dictionary knows ("перебивал" for Игорь)
    assert ru == "старший (Игорь Петрович Волков) перебивал младшую (Анна Смирнова); перебиваний: 1 (2,3 за 10 мин)"
    # round 22: the role word agrees with her name, the name itself stays in the nominative

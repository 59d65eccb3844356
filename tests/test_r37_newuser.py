"""Round 37 (issue 10): what a new user's pass over real-looking inputs found. Model-free."""

from __future__ import annotations

import pytest

from sessionscope.analysis.questions import phatic_question


@pytest.mark.parametrize("text", [
    "Hi Boris, can you hear me okay?", "Can you hear me, Boris?", "Boris, can you hear me?", "Hi Boris?",
    "Hello, Anna Smirnova?", "Алло, Игорь Петрович, вы меня слышите?", "Анна, ты меня слышишь?",
])
def test_a_channel_check_that_calls_the_other_by_name_is_phatic(text: str) -> None:
    assert phatic_question(text)


@pytest.mark.parametrize("text", [
    "Hi Boris, how was the trip?", "Hi Boris, can you explain Jira?", "Hello Kitty is a brand?",
    "Hello? What about Jira?", "Why can you hear me?", "Boris can you hear the difference?",
    "Игорь, вы меня слышите, когда я говорю быстро?",
    # written bare (no capitals), a name cannot be told from a word: round 27's rule alone
    "hi boris can you hear me",
])
def test_a_name_never_makes_an_asking_question_phatic(text: str) -> None:
    assert not phatic_question(text)


# -- a task accepted in a word takes its words from the request -------------------------------------------------------
def _parsed(rows, language):  # noqa: ANN001, ANN202
    from sessionscope.analysis.extract.bare import parse_utterances

    return parse_utterances([t for _, t in rows], language=language)


def _accepted(rows, language="en"):  # noqa: ANN001, ANN202
    """What the last row's last sentence takes from the rows before, given the phrase the stage made of it."""
    from sessionscope.analysis.extract.accept import accepted_task
    from sessionscope.analysis.extract.actions import task_phrase
    from sessionscope.analysis.extract.rules import RuleHit

    parsed = _parsed(rows, language)
    sent = parsed[-1][-1]
    task = task_phrase(sent, RuleHit("action", 0.5, "classifier"))
    got = accepted_task(sent, task, rows[-1][0], [s for s, _ in rows], parsed, len(rows) - 1)
    return None if got is None else (got[0], got[1].text if got[1] else None)


@pytest.mark.parametrize(("rows", "want"), [
    ([("b", "Thanks, I'll try. Could you prepare a short guide for my team?"), ("a", "Sure, I will, by our next meeting.")],
     ("prepare a short guide for your team", None)),
    ([("b", "Can you also send me the slides from last week?"), ("a", "Yes, will do.")],
     ("send you the slides from last week", None)),
    ([("b", "Could you please send me your notes by Friday?"), ("a", "Sure."), ("a", "I'll do it.")],
     ("send you my notes", "by Friday")),
    ([("b", "I need you to update the client list."), ("a", "Okay, no problem, I can do that.")],
     ("update the client list", None)),
])
def test_an_acceptance_in_a_word_takes_the_requests_task(rows, want) -> None:  # noqa: ANN001
    assert _accepted(rows) == want


@pytest.mark.parametrize("rows", [
    # the acceptance names its own task
    [("b", "Could you prepare a short guide?"), ("a", "Sure, I'll send you the old one tomorrow.")],
    # no request before: a question about the listener, an explanation asked for (said now), the speaker's own line
    [("b", "Can you hear me?"), ("a", "Yes, I will.")],
    [("b", "Could you explain the board again?"), ("a", "Sure, I will.")],
    [("a", "Could you prepare a short guide?"), ("a", "Sure, I will.")],
    [("b", "We need a short guide for the team."), ("a", "Sure, I will.")],
])
def test_an_acceptance_keeps_its_words_without_a_plain_request(rows) -> None:  # noqa: ANN001
    assert _accepted(rows) is None


@pytest.mark.parametrize(("rows", "want"), [
    ([("b", "А вы могли бы подготовить короткую инструкцию для моей команды?"), ("a", "Да, подготовлю к следующей встрече.")],
     "подготовить короткую инструкцию для вашей команды"),
    ([("b", "Можешь прислать мне ссылку на доску?"), ("a", "Конечно, пришлю.")], "прислать тебе ссылку на доску"),
    ([("b", "Не могли бы вы, пожалуйста, обновить список клиентов до пятницы?"), ("a", "Хорошо, сделаю.")],
     "обновить список клиентов"),
])
def test_a_russian_acceptance_takes_the_requests_task(rows, want) -> None:  # noqa: ANN001
    got = _accepted(rows, "ru")
    assert got is not None and got[0] == want


def test_a_russian_acceptance_with_a_task_of_its_own_keeps_it() -> None:
    rows = [("b", "Можете подготовить инструкцию?"), ("a", "Да, подготовлю шаблон отчёта к пятнице.")]
    assert _accepted(rows, "ru") is None


def test_the_stage_gives_the_accepted_item_the_requests_task() -> None:
    """The shipped stage on a pair: the acceptance's item (as the stage lists it) reads as the request's task."""
    from helpers import make_session
    from sessionscope.analysis.extract.stage import ExtractionStage

    rows = [("boris", 0.0, 5.0, "Thanks, I'll try. Could you prepare a short guide for my team?"),
            ("anna", 5.5, 8.0, "Sure, I will, by our next meeting.")]
    out = ExtractionStage()(make_session(rows, roles={"anna": "junior", "boris": "senior"}))
    items = [a for a in out.action_items if a.utterance_id == "u0002"]
    assert items, "the acceptance is listed (as the stage found it before this change)"
    assert items[0].task == "prepare a short guide for your team" and items[0].owner == "anna"
    assert items[0].due_text == "by our next meeting"


@pytest.mark.parametrize(("text", "language", "want"), [
    ("Sure, I will", "en", True), ("will do", "en", True), ("No problem, I can do that", "en", True),
    ("No, I will not", "en", False), ("No", "en", False), ("send the slides", "en", False),
    ("подготовлю", "ru", True), ("да, сделаю", "ru", True), ("без проблем", "ru", True), ("нет", "ru", False),
    ("подготовлю шаблон", "ru", False),
])
def test_what_an_acceptance_says(text: str, language: str, want: bool) -> None:
    from sessionscope.analysis.extract.accept import elliptic

    (sent,), = _parsed([("a", text)], language)
    assert elliptic(text, sent) is want


# -- display names with a comma or a bar ------------------------------------------------------------------------------
_ZOOM = """WEBVTT

1
00:00:01.000 --> 00:00:05.000
Anna Smirnova (she/her): Hi Boris, how are you doing today?

2
00:00:05.500 --> 00:00:09.000
{boris}: Fine, thanks. Let's look at the dashboard you built.

3
00:00:09.500 --> 00:00:15.000
Anna Smirnova (she/her): Sure. You should filter by region first.

4
00:00:15.500 --> 00:00:20.000
{boris}: Good idea. I'll send the filtered report to the client on Monday.
"""


@pytest.mark.parametrize("boris", ["Boris Ivanov | Acme Corp", "Ivanov, Boris"])
def test_a_zoom_display_name_with_a_comma_or_a_bar_is_a_speaker(tmp_path, boris: str) -> None:  # noqa: ANN001
    """Before round 37 such a cue went to the previous speaker: Boris was silent and Anna had all the talk."""
    from sessionscope.io import read_transcript

    f = tmp_path / "call.transcript.vtt"
    f.write_text(_ZOOM.format(boris=boris), encoding="utf-8")
    s = read_transcript(f)
    assert [p.name for p in s.participants] == ["Anna Smirnova (she/her)", boris]
    assert [u.speaker for u in s.utterances][1::2] == [s.participants[1].id] * 2


def test_teams_and_plain_speaker_headers_take_last_first_names(tmp_path) -> None:  # noqa: ANN001
    from sessionscope.io import read_transcript

    f = tmp_path / "teams.txt"
    f.write_text("Smirnova, Anna   0:01\nHi Boris, how are you?\n\nIvanov, Boris   0:05\nFine, thanks.\n", encoding="utf-8")
    s = read_transcript(f)
    assert [p.name for p in s.participants] == ["Smirnova, Anna", "Ivanov, Boris"]
    g = tmp_path / "lines.txt"
    g.write_text("Ivanov, Boris: Hello.\nSmirnova, Anna: Hi.\nIvanov, Boris: Let's start.\nSmirnova, Anna: Sure.\n",
                 encoding="utf-8")
    assert [p.name for p in read_transcript(g).participants] == ["Ivanov, Boris", "Smirnova, Anna"]


def test_a_sentence_with_a_comma_and_a_colon_said_once_is_no_name(tmp_path) -> None:  # noqa: ANN001
    from sessionscope.io import read_transcript
    from sessionscope.io.cues import recurring_names, split_name_prefix

    assert split_name_prefix("So, the plan: we ship on Monday.") == (None, "So, the plan: we ship on Monday.")
    assert recurring_names(["So, the plan: we ship.", "Anna: ok", "Well, the thing is: no."]) == frozenset()
    f = tmp_path / "lines.txt"
    f.write_text("Anna: Okay.\nBoris: So, the plan: we ship on Monday.\nAnna: Well, in short: yes.\n", encoding="utf-8")
    s = read_transcript(f)
    assert [p.name for p in s.participants] == ["Anna", "Boris"]
    assert s.utterances[1].text == "So, the plan: we ship on Monday."


# -- advice taken up in a word ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "language", "want"), [
    ("try that", "en", True), ("Okay, I'll try that", "en", True), ("give it a go", "en", True), ("do it", "en", True),
    ("try the new board", "en", False), ("try", "en", False), ("No, I won't do that", "en", False),
    ("попробую", "ru", True), ("так и сделаю", "ru", True), ("учту", "ru", True), ("попробую новый шаблон", "ru", False),
])
def test_what_taking_up_advice_says(text: str, language: str, want: bool) -> None:
    from sessionscope.analysis.extract.accept import takes_up_advice

    (sent,), = _parsed([("a", text)], language)
    assert takes_up_advice(text, sent) is want


@pytest.mark.parametrize(("rows", "language", "want"), [
    ([("anna", 0.0, 6.0, "You should block two hours every Monday for your client reports."),
      ("boris", 6.5, 9.0, "Okay, I'll try that next Monday.")], "en", "block two hours every Monday for my client reports"),
    ([("anna", 0.0, 6.0, "Вам стоит блокировать утро под глубокую работу, без встреч."),
      ("boris", 6.5, 9.0, "Хорошо, попробую с понедельника.")], "ru", "блокировать утро под глубокую работу, без встреч"),
])
def test_the_stage_gives_advice_taken_up_in_a_word_the_advices_task(rows, language, want) -> None:  # noqa: ANN001
    from helpers import make_session
    from sessionscope.analysis.extract.stage import ExtractionStage

    out = ExtractionStage()(make_session(rows, roles={"anna": "junior", "boris": "senior"}, language=language))
    assert [r.utterance_id for r in out.recommendations] == ["u0001"]
    items = [a for a in out.action_items if a.utterance_id == "u0002"]
    assert items and items[0].task == want and items[0].owner == "boris"


# -- the next meeting the pair agreed on ------------------------------------------------------------------------------
_DAY = __import__("datetime").date(2026, 11, 24)


@pytest.mark.parametrize(("text", "want"), [
    ("Same time in two weeks, on the eighth of December?", "2026-12-08"),
    ("Встречаемся через две недели, седьмого декабря, в это же время?", "2026-12-07"),  # the calendar date wins
    ("Same time next week?", "2026-12-01"), ("Let's meet again on December 15.", "2026-12-15"),
    ("Созвонимся в следующий четверг.", "2026-12-03"), ("Следующая встреча 7 декабря.", "2026-12-07"),
])
def test_the_next_meeting_a_pair_agrees_on(text: str, want: str) -> None:
    from sessionscope.analysis.extract.dates import agreed_next_meeting

    assert str(agreed_next_meeting(["Thanks, that was useful.", text], _DAY)) == want


@pytest.mark.parametrize("text", [
    "I'll run a poll before next Monday's meeting.",  # another meeting
    "I will see you at our next meeting.",  # no day named
    "See you tomorrow at the office.",  # colleagues part for the day
    "Let's meet again in March next year.",  # beyond two months: no next session of this pair's cadence
    "The report is due on December 15.",  # no meeting arranged
])
def test_no_next_meeting_is_read_where_none_is_arranged(text: str) -> None:
    from sessionscope.analysis.extract.dates import agreed_next_meeting

    assert agreed_next_meeting([text], _DAY) is None
    assert agreed_next_meeting([text], None) is None


def test_before_our_next_meeting_is_the_day_agreed_in_the_session() -> None:
    import datetime as dt

    from helpers import make_session
    from sessionscope.analysis.extract.stage import ExtractionStage

    rows = [("anna", 0.0, 5.0, "You should take the short AI course for managers."),
            ("boris", 5.5, 9.0, "Fair enough. I'll do it before our next meeting."),
            ("anna", 9.5, 12.0, "Great. Same time in two weeks, on the eighth of December?"),
            ("boris", 12.5, 13.0, "Yes, see you then.")]
    session = make_session(rows, roles={"anna": "junior", "boris": "senior"})
    out = ExtractionStage()(__import__("dataclasses").replace(session, date=_DAY))
    item = next(a for a in out.action_items if a.utterance_id == "u0002")
    assert item.due_date == dt.date(2026, 12, 8)  # the configured 7 days would say 2026-12-01


def test_word_transcripts_take_directory_names(tmp_path) -> None:  # noqa: ANN001
    """Teams (name and time on one line) and Stream (time range, then the name) Word exports with "Last, First"."""
    from sessionscope.io import read_transcript
    from test_io_readers import make_docx

    teams = make_docx(tmp_path / "teams.docx", ["Smirnova, Anna   0:03", "Hello, Boris.", "Ivanov, Boris   0:07", "Hi."])
    assert [p.name for p in read_transcript(teams).participants] == ["Smirnova, Anna", "Ivanov, Boris"]
    stream = make_docx(tmp_path / "stream.docx", ["0:0:0.0 --> 0:0:5.430", "Smirnova, Anna", "Good morning.",
                                                  "0:0:5.5 --> 0:0:7.0", "Ivanov, Boris", "Hi."])
    assert [p.name for p in read_transcript(stream).participants] == ["Smirnova, Anna", "Ivanov, Boris"]


def test_the_provenance_says_what_the_next_meeting_resolved_to() -> None:
    import dataclasses

    from helpers import make_session
    from sessionscope.analysis.extract.stage import ExtractionStage

    agreed = [("anna", 0.0, 5.0, "Thanks, that was useful."), ("boris", 5.5, 9.0, "Same time in two weeks, on the eighth of December?")]
    plain = [("anna", 0.0, 5.0, "Thanks, that was useful."), ("boris", 5.5, 9.0, "Bye.")]
    stage = ExtractionStage()
    got = [stage(dataclasses.replace(make_session(rows), date=_DAY)).extra["extraction"]["next_meeting"] for rows in (agreed, plain)]
    assert got == [{"date": "2026-12-08", "from": "agreed in the session"},
                   {"date": "2026-12-01", "from": "extraction.meeting_interval_days"}]
    assert stage(make_session(plain)).extra["extraction"]["next_meeting"] is None  # no session date: no due date resolved

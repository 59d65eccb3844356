"""Round 42 (issue 10): a third new-user pass over one-to-one calls — task phrases that stand on their own and due
dates that are due dates.

"Could you send me your notes on the escalation process?" — "Yes, I will send them to you tomorrow, together with the
slides." gave the task "send them to you, together with the slides"; "I will block Tuesday and Thursday mornings
starting next week." was due "Tuesday" with the task "block and Thursday mornings starting"; its Russian twin was due
«вторника»; «Конечно, настрою её в четверг и приглашу…» lost its first verb (tagged as the noun «настрой»)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

SESSION = dt.date(2026, 12, 1)  # a Tuesday


@pytest.mark.parametrize(("text", "due", "date"), [
    ("I will block Tuesday and Thursday mornings starting next week.", "starting next week", dt.date(2026, 12, 7)),
    ("I can do Monday, Wednesday and Friday evenings.", None, None),
    ("I will call Tuesday and Thursday.", "Tuesday", dt.date(2026, 12, 8)),  # no part of the day: still a date
    ("I'll do it on Monday and Tuesday morning.", "on Monday", dt.date(2026, 12, 7)),
    ("From next week I will run the stand-ups.", "From next week", dt.date(2026, 12, 7)),
    ("I will finish it by next week.", "by next week", dt.date(2026, 12, 11)),
    ("Заблокирую утро вторника и четверга со следующей недели.", "со следующей недели", dt.date(2026, 12, 7)),
    ("Сделаю до вторника.", "до вторника", dt.date(2026, 12, 8)),
    ("Сделаю на следующей неделе.", "на следующей неделе", dt.date(2026, 12, 11)),
])
def test_due_dates_and_what_the_task_does(text: str, due: str | None, date: dt.date | None) -> None:
    from sessionscope.analysis.extract.dates import find_due

    got = find_due(text, session_date=SESSION)
    assert (got.text if got else None) == due
    assert (got.date if got else None) == date


@pytest.mark.parametrize(("word", "want"), [
    ("предложите", "предложу"), ("пересматривайте", "буду пересматривать"), ("разбейте", "разобью"),
    ("запишитесь", "запишусь"), ("работе", None), ("мой", None),
    # also the indicative "вы" form: its first person ("хотите" is "you want" as often as "want!")
    ("узнаете", "узнаю"), ("хотите", "хочу"),
    # discourse, not a task: left as said
    ("давайте", None), ("извините", None), ("знаете", None),
    # singular (informal) imperatives only when the dictionary is sure: "пришли" is as often "came"
    ("поставь", "поставлю"), ("говори", "буду говорить"), ("пришли", None), ("свой", None), ("стой", None),
    ("будьте", "буду"),
])
def test_a_russian_imperative_in_the_first_person(word: str, want: str | None) -> None:
    from sessionscope.language.morph import first_person_of_imperative

    assert first_person_of_imperative(word) == want


def test_a_russian_imperative_taken_on_reads_as_the_owners() -> None:
    from sessionscope.analysis.extract.accept import _ru_to_speaker

    assert _ru_to_speaker("и предложите мне новую дату", informal=False, gender=None) == "и предложу вам новую дату"


def test_an_object_pronoun_makes_the_word_before_it_a_verb() -> None:
    from sessionscope.language.nlp import parse_texts

    sent = parse_texts(["Конечно, настрою её в четверг и приглашу ваших руководителей групп."], language="ru")[0][0]
    tok = next(t for t in sent.tokens if t.text == "настрою")
    assert tok.pos == "VERB" and tok.feats.get("Person") == "1"


_CALL_EN = [
    ("robert", 0.0, 4.0, "Could you set up a board for my team?"),
    ("maya", 4.5, 9.0, "Sure, I'll set it up on Thursday and invite your three leads."),
    ("maya", 9.5, 13.0, "Could you send me your notes on the client escalation process?"),
    ("robert", 13.5, 19.0, "Yes, I will send them to you tomorrow, together with the slides from my talk."),
    ("robert", 19.5, 24.0, "Review the plan with the team every Monday, and move the dates as soon as a task runs late."),
    ("maya", 24.5, 27.0, "I can try that for the next sprint."),
    ("maya", 27.5, 31.0, "I will block Tuesday and Thursday mornings starting next week."),
]

_CALL_RU = [
    ("sergey", 0.0, 4.0, "Можете настроить такую доску для моего отдела?"),
    ("olga", 4.5, 9.0, "Конечно, настрою её в четверг и приглашу ваших руководителей групп."),
    ("olga", 9.5, 13.0, "Можете прислать мне ваши заметки по процессу эскалации?"),
    ("sergey", 13.5, 19.0, "Да, пришлю их завтра вместе со слайдами моего доклада."),
    ("sergey", 19.5, 24.0, "Да, позвоните до пятницы и предложите новую дату, в которой вы уверены."),
    ("olga", 24.5, 27.0, "Хорошо, позвоню в среду."),
    ("olga", 27.5, 31.0, "Заблокирую утро вторника и четверга со следующей недели."),
]


def _tasks(rows: list, language: str, names: dict[str, str]) -> dict[str, tuple[str, str | None]]:
    from helpers import make_session
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.model import Participant, Role

    ids = list(names)
    session = make_session(rows, roles={ids[0]: "junior", ids[1]: "senior"}, language=language)
    session = dataclasses.replace(session, date=SESSION, participants=(
        Participant(ids[0], names[ids[0]], Role.JUNIOR), Participant(ids[1], names[ids[1]], Role.SENIOR)))
    out = ExtractionStage()(session)
    return {a.utterance_id: (a.task, a.due_text) for a in out.action_items}


def test_an_english_call_s_tasks_stand_on_their_own() -> None:
    got = _tasks(_CALL_EN, "en", {"maya": "Maya", "robert": "Robert"})
    assert got["u0002"] == ("set a board up and invite your three leads", "on Thursday")
    assert got["u0004"] == ("send my notes on the client escalation process to you, together with the slides from my talk",
                            "tomorrow")
    assert got["u0007"] == ("block Tuesday and Thursday mornings", "starting next week")
    assert got["u0006"] == ("review the plan with the team every Monday, and move the dates as soon as a task runs late "
                            "(for the next sprint)", None)


def test_a_russian_call_s_tasks_stand_on_their_own() -> None:
    got = _tasks(_CALL_RU, "ru", {"olga": "Ольга Орлова", "sergey": "Сергей Петров"})
    assert got["u0002"] == ("настрою такую доску для вашего отдела и приглашу ваших руководителей групп", "в четверг")
    assert got["u0004"] == ("пришлю вам мои заметки по процессу эскалации вместе со слайдами моего доклада", "завтра")
    assert got["u0006"][0] == "позвоню и предложу новую дату"
    assert got["u0007"] == ("Заблокирую утро вторника и четверга", "со следующей недели")


@pytest.mark.parametrize(("task", "want"), [
    ("try that for the next sprint", True), ("try it over the next two weeks", True), ("try that", True),
    ("try that at the meeting", True), ("try the new board for the next sprint", False),
])
def test_advice_taken_up_for_a_while(task: str, want: bool) -> None:
    from sessionscope.analysis.extract.accept import takes_up_advice
    from sessionscope.language.nlp import parse_texts

    sent = parse_texts([f"I can {task}."], language="en")[0][0]
    assert takes_up_advice(task, sent) is want


def test_a_light_verb_s_pronoun_is_left_as_said() -> None:
    """Round 42's read of real meetings: "I'll do it on the whiteboard" had taken "a pretty PowerPoint slide" from the
    speaker's own "do" before it."""
    rows = [
        ("anna", 0.0, 4.0, "Could you do a slide of the first design?"),
        ("boris", 4.5, 8.0, "Sure, I'll do it on the whiteboard tomorrow."),
    ]
    got = _tasks(rows, "en", {"anna": "Anna", "boris": "Boris"})
    assert got["u0002"][0] == "do it on the whiteboard"


@pytest.mark.parametrize(("offer", "reply", "language", "want"), [
    ("Anything else you want me to show you next time?", "Maybe the dashboards.", "en", True),
    ("Should I walk you through the new report?", "Yes, the filters part, please.", "en", True),
    ("Anything else you want me to show you next time?", "Maybe the dashboards, and you should also try the API.",
     "en", False),  # advice in another clause
    ("Anything else you want me to show you next time.", "Maybe the dashboards.", "en", False),  # no question
    ("How was the client meeting?", "Maybe the dashboards.", "en", False),  # no offer
    ("Что ещё вам показать в следующий раз?", "Может быть, дашборды.", "ru", True),
    ("Что ещё вам показать в следующий раз?", "Попробуйте сначала сами разобраться с фильтрами и дашбордами.", "ru",
     False),
])
def test_a_choice_among_what_the_other_offers_to_show(offer: str, reply: str, language: str, want: bool) -> None:
    from sessionscope.analysis.extract.request import chooses_from_offer
    from sessionscope.language.nlp import parse_texts

    o = parse_texts([offer], language=language)[0][-1]
    r = parse_texts([reply], language=language)[0][0]
    assert chooses_from_offer(o, r) is want


def test_maybe_the_dashboards_is_a_request_not_the_seniors_advice() -> None:
    from helpers import make_session
    from sessionscope.analysis.extract.stage import ExtractionStage

    rows = [
        ("dev", 0.0, 4.0, "Anything else you want me to show you next time?"),
        ("helen", 4.5, 6.0, "Maybe the dashboards."),
    ]
    out = ExtractionStage()(make_session(rows, roles={"dev": "junior", "helen": "senior"}))
    listed = [r for r in out.recommendations if r.utterance_id == "u0002"]
    assert listed and all(r.request for r in listed)  # listed as the heads find it, but as a request
    assert not [r for r in out.advice if r.giver == "helen"]


def test_russian_advice_taken_up_at_a_meeting() -> None:
    rows = [
        ("dmitry", 0.0, 5.0, "Говори спокойно и предлагай варианты: сейчас за доплату или в следующем релизе бесплатно."),
        ("katya", 5.5, 8.0, "Хорошо, попробую на встрече в четверг."),
    ]
    got = _tasks(rows, "ru", {"katya": "Катя Орлова", "dmitry": "Дмитрий Петров"})
    assert got["u0002"] == ("буду говорить спокойно и буду предлагать варианты: сейчас за доплату или в следующем "
                            "релизе бесплатно (на встрече)", "в четверг")


def test_a_pair_s_summary_says_who_shared_what() -> None:
    """Round 42: the summary said only that knowledge flowed both ways; what each taught, by topic area, was in
    session.json and the researchers' tables alone."""
    from sessionscope.model import KnowledgeFlow
    from sessionscope.report.session_md import render_session_markdown
    from test_report_data import full_session

    flows = {"tools": {"anna": {"boris": 6}}, "time": {"boris": {"anna": 2}, "anna": {"boris": 1}},
             "other": {"boris": {"anna": 3}}, "projects": {"boris": {"anna": 2}}}
    s = full_session().evolve(knowledge_flow=KnowledgeFlow(matrix=flows, mutuality_index=0.8))
    md = render_session_markdown(s)
    assert ("What each shared, by topic area (recommendations given and questions answered) — Anna Smirnova → Boris "
            "Ivanov: Tools and technology 6, Time management and priorities 1; Boris Ivanov → Anna Smirnova: Time "
            "management and priorities 2, Project management 2.") in md  # small talk left out, ties in the guide's order
    ru = render_session_markdown(full_session(language="ru").evolve(knowledge_flow=KnowledgeFlow(matrix=flows,
                                                                                                 mutuality_index=0.8)))
    assert "Кто чем делился, по темам (данные советы и ответы на вопросы) — " in ru
    # no topic areas (the topics did not run): nothing to say by area
    bare = full_session().evolve(knowledge_flow=KnowledgeFlow(matrix={"all": {"anna": {"boris": 2}}}, mutuality_index=0.0))
    assert "What each shared" not in render_session_markdown(bare)


def test_the_programme_says_who_taught_whom_by_area(tmp_path) -> None:  # noqa: ANN001
    """Round 42: reverse mentoring's question — in which areas does the junior teach the senior? — had no answer in
    the programme report; the per-session matrices were in the research tables only."""
    from sessionscope.model import KnowledgeFlow
    from sessionscope.report.dashboard import render_dashboard
    from sessionscope.report.programme import build_programme, render_programme_markdown
    from test_report_data import full_session

    a = full_session(sid="s1").evolve(knowledge_flow=KnowledgeFlow(
        matrix={"tools": {"anna": {"boris": 4}}, "clients": {"boris": {"anna": 2}}, "other": {"boris": {"anna": 5}}},
        mutuality_index=0.67))
    b = full_session(sid="s2", date=dt.date(2026, 3, 9)).evolve(knowledge_flow=KnowledgeFlow(
        matrix={"tools": {"anna": {"boris": 1}, "boris": {"anna": 1}}, "all": {"anna": {"boris": 3}}},
        mutuality_index=0.5))
    c = full_session(sid="s3", pair="pair-b").evolve(knowledge_flow=None)  # no flows: no row
    prog = build_programme([a, b, c], encoder=None, goal_vectors=None)
    rows = prog.flows.to_dict(orient="records")
    assert rows == [
        {"pair_id": "pair-a", "area": "clients", "junior_to_senior": 0, "senior_to_junior": 2, "n_sessions": 1},
        {"pair_id": "pair-a", "area": "tools", "junior_to_senior": 5, "senior_to_junior": 1, "n_sessions": 2},
    ]  # small talk and flows without an area left out
    assert "programme_flows" in prog.tables()
    md = render_programme_markdown(prog)
    assert "## Who taught whom, by topic area" in md
    assert "| Tools and technology | 5 | 1 | 2 |\n| Client service and relationships | 0 | 2 | 1 |" in md
    assert "| Инструменты и технологии | 5 | 1 | 2 |" in render_programme_markdown(prog, language="ru")
    html = render_dashboard(prog)
    assert 'id="flow-areas"' in html and '<td>Tools and technology</td><td class="num">5</td>' in html
    # s3 has no knowledge flow: the figures are over the sessions where it could be measured, and say so
    assert prog.flow_sessions == 2 and "Over the 2 of 3 sessions where it could be measured" in md
    # no session measured (the extraction did not run): "not measured", not "none found"
    none = build_programme([c], encoder=None, goal_vectors=None)
    assert none.flow_sessions == 0
    assert "Not measured: no session has a knowledge flow" in render_programme_markdown(none)
    assert "Not measured: no session has a knowledge flow" in render_dashboard(none)


def test_a_thing_named_in_the_promise_itself_comes_first() -> None:
    """"I have the slides and I will send them" after "send me the links": "them" is the slides (the nearest thing,
    of its number), not the links of the same verb before (which round 38's echo, and round 42's first reading, took)."""
    rows = [
        ("boris", 0.0, 4.0, "Okay, send me the links, I will review them before the next meeting."),
        ("anna", 4.5, 8.0, "I have the slides and I will send them to you tomorrow."),
    ]
    got = _tasks(rows, "en", {"anna": "Anna", "boris": "Boris"})
    assert got["u0002"] == ("send the slides to you", "tomorrow")


@pytest.mark.parametrize(("text", "want"), [
    ("I have the slides and I will send them to you.", "send the slides to you"),
    ("I have the report and I will send it to you.", "send the report to you"),
    ("I have the report and I will send them to you.", None),  # "them" is not the report
    ("I will send them to you.", None),  # nothing named before in the sentence
])
def test_pointed_here(text: str, want: str | None) -> None:
    from sessionscope.analysis.extract.accept import pointed_here
    from sessionscope.language.nlp import parse_texts

    sent = parse_texts([text], language="en")[0][0]
    task = text[text.index("send"):].rstrip(".")
    assert pointed_here(sent, task) == want


def test_a_pronoun_in_a_clause_after_the_task_is_left_as_said() -> None:
    """Round 42's read of real meetings (AMI TS3009a): "I'll show you the tools we have here, so that we can all use
    them." took "the tools we have here" into its purpose clause."""
    from sessionscope.analysis.extract.accept import pointed_here
    from sessionscope.language.nlp import parse_texts

    text = "I'll show you the tools we have here, so that we can all use them."
    sent = parse_texts([text], language="en")[0][0]
    assert pointed_here(sent, "show you the tools we have here, so that we can all use them") is None


def test_a_russian_bare_verb_takes_the_object_of_the_request_before_it() -> None:
    """The Russian example as recognised: «Хорошо, пришлите ссылки, посмотрю к следующей встрече.» gave the task
    «посмотрю». An intransitive verb («позвоню») takes nothing from a request's object."""
    from sessionscope.analysis.extract.accept import pointed_here
    from sessionscope.language.nlp import parse_texts

    sent = parse_texts(["Хорошо, пришлите ссылки, посмотрю к следующей встрече."], language="ru")[0][0]
    assert pointed_here(sent, "посмотрю") == "посмотрю ссылки"
    sent = parse_texts(["Хорошо, пришлите номер, позвоню завтра."], language="ru")[0][0]
    assert pointed_here(sent, "позвоню") is None
    sent = parse_texts(["Хорошо, посмотрю к следующей встрече."], language="ru")[0][0]
    assert pointed_here(sent, "посмотрю") is None


@pytest.mark.parametrize(("said", "want"), [
    ("вам я бы посоветовала подписаться на каналы", "подписаться на каналы"),
    ("я бы посоветовал вам подписаться на каналы", "подписаться на каналы"),
    ("посоветовала бы подписаться на каналы", "подписаться на каналы"),
    ("советую подписаться на каналы", "подписаться на каналы"),
])
def test_a_russian_advice_frame_in_any_order(said: str, want: str) -> None:
    """The Russian example: «А вам я бы посоветовала подписаться…» taken up gave «мне я бы посоветовала подписаться…»
    (the frame was read only as «я бы посоветовала», «посоветовала бы»)."""
    from sessionscope.analysis.extract.accept import _ADVICE_FRAME

    m = _ADVICE_FRAME.match(said)
    assert m is not None and said[m.end():] == want


@pytest.mark.parametrize(("text", "want"), [
    ("Как понять, что кампания была успешной.", True),
    ("Что мне делать с клиентом, который не платит вовремя.", True),
    ("Можете прислать ссылку на доску в Miro к четвергу.", True),
    ("Не могли бы вы прислать отчёт.", True),
    ("Можете не волноваться.", False),  # a permission
    ("Как сделать лучше, я не знаю.", False),  # the speaker's own question to answer
    ("Что делать, решим завтра.", False),
    ("Когда закончишь, пришли отчёт.", False),
    ("Как обычно.", False),
])
def test_a_russian_question_with_an_infinitive_and_a_full_stop(text: str, want: bool) -> None:
    """faster-whisper writes many Russian questions with "."; «как/что (мне) + infinitive» and «можете + infinitive»
    ask even with a comma after them (round 42; before: only an interrogative opening a sentence with no comma)."""
    from sessionscope.analysis.questions import ru_unmarked_question

    assert ru_unmarked_question(text) is want


@pytest.mark.parametrize(("task", "want"), [
    ("try it and tell you what I think", "try it and tell you what I think"),  # the object, not a hedge
    ("let you know how I feel about it", "let you know how I feel about it"),
    ("send the report, I think", "send the report"),
    ("send the report I think", "send the report"),
    ("finish the slides or something", "finish the slides"),
])
def test_a_closing_hedge_and_an_object_that_ends_alike(task: str, want: str) -> None:
    """"I'll try it on the reporting module this week and tell you what I think." gave the task "try it on the reporting
    module and tell Priya what": "I think" was dropped as a hedge (round 42)."""
    from sessionscope.analysis.extract.actions import _EN_HEDGE_TAIL

    assert _EN_HEDGE_TAIL.sub("", task) == want


def test_let_me_in_russian_is_the_speakers_task() -> None:
    """«Давайте я вам завтра настрою ваш аккаунт.» (the junior's offer) was the senior's task: «настрою» was tagged as
    the noun «настрой», no rule fired, and the heads' item took its owner from the imperative «давайте» (the listener)."""
    from sessionscope.language.nlp import parse_texts

    rows = [
        ("marina", 0.0, 4.0, "А можно туда загрузить наш шаблон с логотипом?"),
        ("alexey", 4.5, 9.0, "Да, в настройках есть пункт «Фирменный стиль». Давайте я вам завтра настрою ваш аккаунт."),
    ]
    from helpers import make_session
    from sessionscope.analysis.extract.stage import ExtractionStage

    out = ExtractionStage()(make_session(rows, roles={"alexey": "junior", "marina": "senior"}, language="ru"))
    assert [(a.owner, a.due_text) for a in out.action_items] == [("alexey", "завтра")]
    # the verb reading agrees with «я» a few words before; a subject that already has its verb keeps the noun
    tags = {t.text: t.pos for s in parse_texts(["Давайте я вам завтра настрою ваш аккаунт.",
                                                "Я по вечерам разгребаю почту."], language="ru") for t in s[0].tokens}
    assert tags["настрою"] == "VERB" and tags["почту"] == "NOUN"

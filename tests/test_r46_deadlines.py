"""Round 46 (issue 10): a deadline agreed over a few lines.

"I can do it by Friday." — "Can you do Wednesday? The client meets on Thursday." — "Okay, Wednesday then." gave no
task at all ("I can do it by Friday" was no commitment: its due expression counted as task words of its own), and
when the task was listed its due stayed the first day named; «Давай к пятнице, в среду не успею.» was a joint task
«в среду не успею»; «Пришли, пожалуйста, отчёт.» — «Сделаю к пятнице.» read «пришли, пожалуйста, отчёт» under the
one who sends it; "end of day tomorrow" was the session's day."""

from __future__ import annotations

import datetime as dt

import pytest

SESSION = dt.date(2026, 12, 7)  # a Monday
EN = {"boris": "Boris Lee", "anna": "Anna Kim"}
RU = {"boris": "Борис Волков", "anna": "Анна Орлова"}


def _items(lines: list[tuple[str, str]], language: str):
    from helpers import pair_items

    rows = [(who, 5.0 * n, 5.0 * n + 4.0, text) for n, (who, text) in enumerate(lines)]
    return pair_items(rows, language, EN if language == "en" else RU, SESSION)


def _tasks(out) -> list[tuple[str | None, str, str | None, dt.date | None]]:  # noqa: ANN001
    return [(a.owner, a.task, a.due_text, a.due_date) for a in out.action_items]


WED, FRI, TODAY = dt.date(2026, 12, 9), dt.date(2026, 12, 11), SESSION


# -- model-free: what proposes a day, what agrees to it ------------------------------------------------------------------
class _S:
    date = SESSION


class _C:
    meeting_interval_days = 7


def _sent(text: str, language: str):
    from sessionscope.language.nlp import parse_sentence

    return parse_sentence(text, language=language)


@pytest.mark.parametrize(("language", "text", "want"), [
    ("en", "Can you do Wednesday?", WED),
    ("en", "How about Friday?", FRI),
    ("en", "Friday would be more realistic.", FRI),
    ("en", "I can't do Wednesday, but Friday works.", FRI),
    ("en", "Friday works, I can't do Wednesday.", FRI),  # the refusal before its day, in the clause after the comma
    ("en", "Could you send them today instead?", TODAY),
    ("en", "Wednesday is not possible.", None),  # a refusal of its only day proposes none
    ("en", "I'll be in Berlin on Wednesday.", None),  # words of its own: no proposal
    ("en", "The client meets on Thursday.", None),
    ("en", "Wednesday.", None),  # nothing proposes: an answer, not a proposal
    ("ru", "А к среде успеешь?", WED),
    ("ru", "Давай к пятнице, в среду не успею.", FRI),
    ("ru", "Может, в пятницу?", FRI),
    ("ru", "В среду у меня планёрка.", None),
])
def test_a_line_proposing_another_day(language: str, text: str, want: dt.date | None) -> None:
    from sessionscope.analysis.extract.negotiate import proposed_due

    due = proposed_due(_sent(text, language), _S(), _C())
    assert (due.date if due else None) == want


@pytest.mark.parametrize(("language", "text", "want"), [
    ("en", "Okay, Wednesday then.", True),
    ("en", "Sure, no problem.", True),
    ("en", "Wednesday works for me.", True),
    ("en", "No, that's too early.", False),
    ("en", "Friday then.", None),  # another day: not this one
    ("en", "I'll ask Marco first.", None),
    ("ru", "Да, успею.", True),
    ("ru", "Хорошо, к среде.", True),
    ("ru", "Нет, не успею.", False),
])
def test_a_line_agreeing_to_the_day(language: str, text: str, want: bool | None) -> None:
    from sessionscope.analysis.extract.dates import find_due
    from sessionscope.analysis.extract.negotiate import agrees

    wednesday = find_due("к среде" if language == "ru" else "Wednesday", session_date=SESSION)
    assert agrees(_sent(text, language), wednesday, _S(), _C()) is want


# -- the stage: the due agreed on, whoever proposed it ------------------------------------------------------------------
def test_i_can_do_it_by_friday_is_a_commitment_and_wednesday_is_agreed() -> None:
    out = _items([("anna", "Can you get the export script finished?"), ("boris", "I can do it by Friday."),
                  ("anna", "Can you do Wednesday? The client meets on Thursday."), ("boris", "Okay, Wednesday then.")],
                 "en")
    assert _tasks(out) == [("boris", "get the export script finished", "Wednesday", WED)]


def test_i_can_do_it_by_friday_alone_keeps_friday() -> None:
    out = _items([("anna", "Can you get the export script finished?"), ("boris", "I can do it by Friday."),
                  ("anna", "Great, thanks.")], "en")
    assert _tasks(out) == [("boris", "get the export script finished", "by Friday", FRI)]


def test_the_owner_s_counter_proposal_agreed() -> None:
    out = _items([("anna", "Could you send me the report by Wednesday?"), ("boris", "Friday would be more realistic."),
                  ("anna", "OK, Friday then.")], "en")
    assert _tasks(out) == [("boris", "send me the report", "Friday", FRI)]


def test_a_counter_proposal_refused_keeps_the_first_day() -> None:
    out = _items([("anna", "Could you send me the report by Wednesday?"), ("boris", "Friday would be more realistic."),
                  ("anna", "No, sorry, Wednesday is the latest.")], "en")
    assert _tasks(out) == [("boris", "send me the report", "by Wednesday", WED)]


def test_a_proposal_nobody_answers_changes_nothing() -> None:
    out = _items([("anna", "I'll send you the slides tomorrow."), ("boris", "Could you send them today instead?"),
                  ("anna", "By the way, did you see the new dashboard?")], "en")
    assert [(o, d) for o, _t, d, _x in _tasks(out)] == [("anna", "tomorrow")]


def test_the_other_s_proposal_agreed_and_the_agreement_is_no_second_task() -> None:
    out = _items([("anna", "I'll send you the slides tomorrow."), ("boris", "Could you send them today instead?"),
                  ("anna", "Sure, no problem.")], "en")
    assert _tasks(out) == [("anna", "send you the slides", "today", TODAY)]


def test_russian_counter_proposal_is_no_joint_task() -> None:
    out = _items([("anna", "Сможешь прислать отчёт к среде?"), ("boris", "Давай к пятнице, в среду не успею."),
                  ("anna", "Хорошо, к пятнице.")], "ru")
    assert _tasks(out) == [("boris", "прислать отчёт", "к пятнице", FRI)]


def test_russian_request_taken_up_then_an_earlier_day() -> None:
    out = _items([("anna", "Пришли, пожалуйста, отчёт."), ("boris", "Сделаю к пятнице."),
                  ("anna", "А к среде успеешь?"), ("boris", "Да, успею.")], "ru")
    assert _tasks(out) == [("boris", "пришлю отчёт", "к среде", WED)]


def test_russian_earlier_day_refused() -> None:
    out = _items([("anna", "Пришли, пожалуйста, отчёт."), ("boris", "Сделаю к пятнице."),
                  ("anna", "А к среде успеешь?"), ("boris", "Нет, не успею, только к пятнице.")], "ru")
    assert [(o, d) for o, _t, d, _x in _tasks(out)] == [("boris", "к пятнице")]


# -- a day asked for, a request taken up in a bare word ------------------------------------------------------------------
@pytest.mark.parametrize(("language", "text", "want"), [
    ("en", "By when?", True),
    ("en", "Okay, when can you have it?", True),
    ("en", "What's a realistic deadline?", True),
    ("en", "When is the next meeting?", False),
    ("en", "Why?", False),
    ("ru", "К какому числу?", True),
    ("ru", "А когда сможешь?", True),
    ("ru", "Почему?", False),
])
def test_asking_when(language: str, text: str, want: bool) -> None:
    from sessionscope.analysis.extract.negotiate import asks_when

    assert asks_when(_sent(text, language)) is want


def test_a_yes_then_by_when_and_a_day_is_a_task() -> None:
    out = _items([("anna", "Can you update the onboarding docs?"), ("boris", "Sure."), ("anna", "By when?"),
                  ("boris", "End of the week.")], "en")
    assert _tasks(out) == [("boris", "update the onboarding docs", "end of the week", FRI)]
    assert [a.method for a in out.action_items] == ["agreed"]


def test_a_yes_between_two_to_something_after_the_call_is_a_task_to_check() -> None:
    out = _items([("anna", "Could you send me the report?"), ("boris", "Sure."), ("anna", "Great.")], "en")
    assert _tasks(out) == [("boris", "send you the report", None, None)]
    assert [(a.method, a.to_check) for a in out.action_items] == [("agreed", True)]


@pytest.mark.parametrize(("language", "asked"), [
    ("en", "Could you share your screen?"),  # a move of the moment
    ("en", "Can you give me an example?"),
    ("en", "Can you try it now?"),
    ("en", "Can you tell me more about the client?"),  # no task verb ("tell")
    ("ru", "Можешь показать экран?"),
])
def test_a_yes_to_a_request_of_the_moment_is_no_task(language: str, asked: str) -> None:
    out = _items([("anna", asked), ("boris", "Да." if language == "ru" else "Sure.")], language)
    assert _tasks(out) == []


def test_a_yes_in_a_group_is_still_no_task() -> None:
    import dataclasses

    from helpers import make_session
    from sessionscope.analysis.extract.stage import ExtractionStage

    session = make_session([("anna", 0.0, 3.0, "Could you send me the report?"), ("boris", 3.5, 4.0, "Sure."),
                            ("carl", 4.5, 6.0, "And the budget is fine.")])
    session = dataclasses.replace(session, date=SESSION)
    assert ExtractionStage()(session).action_items == ()


def test_a_yes_then_a_day_proposed_and_agreed_is_one_task() -> None:
    out = _items([("anna", "Could you send me the report?"), ("boris", "Sure."),
                  ("anna", "Could you have it by Friday?"), ("boris", "Yes, no problem.")], "en")
    assert _tasks(out) == [("boris", "send you the report", "by Friday", FRI)]


def test_a_commitment_without_a_day_gets_the_day_it_is_asked_for() -> None:
    out = _items([("anna", "Can you update the onboarding docs?"), ("boris", "Sure, I'll do it."),
                  ("anna", "When do you think you can have it?"), ("boris", "Probably Thursday.")], "en")
    assert [(o, t, d) for o, t, d, _x in _tasks(out)] == [("boris", "update the onboarding docs", "Thursday")]


def test_russian_yes_then_the_day() -> None:
    out = _items([("anna", "Обновишь документацию для новичков?"), ("boris", "Да, конечно."),
                  ("anna", "К какому числу?"), ("boris", "К пятнице.")], "ru")
    assert _tasks(out) == [("boris", "обновить документацию для новичков", "к пятнице", FRI)]


# -- a task asked after and not yet done -----------------------------------------------------------------------------------
def test_not_yet_then_a_day_and_the_day_negotiated() -> None:
    out = _items([("anna", "Before we start, did you manage to send the survey?"),
                  ("boris", "Not yet, sorry. I can do it by Friday."),
                  ("anna", "Friday is too late, the client meets on Thursday. Can you do Wednesday?"),
                  ("boris", "Okay, Wednesday then.")], "en")
    assert _tasks(out) == [("boris", "send the survey", "Wednesday", WED)]


def test_done_already_is_no_task() -> None:
    out = _items([("anna", "Did you get a chance to look at the dashboard?"),
                  ("boris", "Yes, I looked at it yesterday.")], "en")
    assert _tasks(out) == []


def test_russian_not_yet() -> None:
    out = _items([("anna", "Ты успел отправить опрос?"), ("boris", "Ещё нет, сделаю к пятнице.")], "ru")
    assert _tasks(out) == [("boris", "отправить опрос", "к пятнице", FRI)]


@pytest.mark.parametrize(("language", "text", "want"), [
    ("en", "Did you manage to send the survey?", "send the survey"),
    ("en", "Have you had a chance to read my notes?", "read your notes"),
    ("en", "Did you send the survey?", None),  # a plain question about the past: no task asked after
    ("en", "Did you manage to hear the talk?", None),
    ("ru", "Вы успели посмотреть мой отчёт?", "посмотреть ваш отчёт"),
])
def test_a_question_asking_after_a_task(language: str, text: str, want: str | None) -> None:
    from sessionscope.analysis.extract.accept import _asked_if_done

    found = _asked_if_done(_sent(text, language), None)
    assert (found[0] if found else None) == want


@pytest.mark.parametrize(("text", "due", "date"), [
    ("I'll send it end of day tomorrow.", "end of day tomorrow", dt.date(2026, 12, 8)),
    ("I'll send it by EOD Friday.", "by EOD Friday", FRI),
    ("I'll send it by end of day.", "by end of day", SESSION),  # the session's day, as before
])
def test_the_end_of_a_named_day_is_that_day(text: str, due: str, date: dt.date) -> None:
    from sessionscope.analysis.extract.dates import find_due

    found = find_due(text, session_date=SESSION)
    assert found is not None and (found.text, found.date) == (due, date)


@pytest.mark.parametrize(("proposal", "reply", "due"), [
    ("Let's aim for Friday.", "Okay.", "for Friday"),
    ("Friday at the latest, please.", "Sure.", "Friday"),
    ("Does Friday work for you?", "Yes, Friday works.", "Friday"),
    ("Is Monday okay?", "Monday is fine.", "Monday"),
])
def test_more_ways_of_proposing_a_day(proposal: str, reply: str, due: str) -> None:
    out = _items([("anna", "I'll send you the draft next week."), ("boris", proposal), ("anna", reply)], "en")
    assert [(a.owner, a.task, a.due_text) for a in out.action_items] == [("anna", "send you the draft", due)]
    assert out.recommendations == ()  # the day asked for is no advice


def test_how_have_we_done_today_proposes_no_day() -> None:
    from sessionscope.analysis.extract.negotiate import proposed_due

    assert proposed_due(_sent("How have we done today?", "en"), _S(), _C()) is None
    assert proposed_due(_sent("How about today?", "en"), _S(), _C()) is not None


# -- as a recogniser writes it: no punctuation, no capitals --------------------------------------------------------------
def test_bare_english_not_yet_and_a_day_negotiated() -> None:
    out = _items([("anna", "before we start did you manage to send the survey"),
                  ("boris", "not yet sorry i can do it by friday"),
                  ("anna", "friday is too late the client meets on thursday can you do wednesday"),
                  ("boris", "okay wednesday then")], "en")
    assert _tasks(out) == [("boris", "send the survey", "wednesday", WED)]


def test_bare_russian_not_yet_and_an_earlier_day() -> None:
    out = _items([("anna", "ты успел отправить опрос"), ("boris", "ещё нет сделаю к пятнице"),
                  ("anna", "а к среде успеешь"), ("boris", "да успею")], "ru")
    assert _tasks(out) == [("boris", "отправить опрос", "к среде", WED)]


def test_bare_russian_counter_proposal() -> None:
    out = _items([("anna", "сможешь прислать отчёт к среде"), ("boris", "давай к пятнице в среду не успею"),
                  ("anna", "хорошо к пятнице")], "ru")
    assert _tasks(out) == [("boris", "прислать отчёт", "к пятнице", FRI)]


def test_a_request_s_own_day_is_the_one_after_its_verb() -> None:
    from sessionscope.analysis.extract.accept import _request

    found = _request(_sent("Friday is too late, so could you send it on Wednesday?", "en"))
    assert found is not None and found[0] == "send it" and found[1] is not None and found[1].text == "on Wednesday"
    found = _request(_sent("By Friday, could you send me the report?", "en"))
    assert found is not None and found[1] is not None and found[1].text == "By Friday"


# -- a task refused, an offer declined ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("language", "asked", "answer"), [
    ("en", "Could you send me the report by Wednesday?", "No, sorry, I can't, I'm travelling all week."),
    ("en", "Could you send me the report by Wednesday?", "I'm afraid not, I'm on holiday."),
    ("en", "Please review my pull request before Friday.", "Sorry, I won't have time this week."),
    ("en", "I'll send you the slides tomorrow.", "No need, I already have them."),  # an offer declined
    ("ru", "Сможешь прислать отчёт к среде?", "Нет, не успею, я в отпуске."),
    ("ru", "Я пришлю тебе шаблон завтра.", "Спасибо, не нужно, у меня есть."),
])
def test_a_task_turned_down_is_no_task(language: str, asked: str, answer: str) -> None:
    assert _tasks(_items([("anna", asked), ("boris", answer)], language)) == []


@pytest.mark.parametrize(("asked", "answer", "due"), [
    ("Could you send me the report by Wednesday?", "No problem.", "by Wednesday"),  # assent, not a refusal
    ("Could you send me the report by Wednesday?", "Sure, no worries.", "by Wednesday"),
    ("Could you review my draft by Friday?", "I can't wait to read it!", "by Friday"),
])
def test_no_problem_is_no_refusal(asked: str, answer: str, due: str) -> None:
    assert [d for _o, _t, d, _x in _tasks(_items([("anna", asked), ("boris", answer)], "en"))] == [due]


def test_a_refusal_with_another_day_is_a_negotiation() -> None:
    out = _items([("anna", "Could you send me the report by Wednesday?"),
                  ("boris", "I can't do Wednesday, but Friday works."), ("anna", "OK.")], "en")
    assert [(o, d) for o, _t, d, _x in _tasks(out)] == [("boris", "Friday")]


def test_the_speaker_s_own_no_is_no_refusal() -> None:
    # the one who asked says "no" to someone else's point in the next line, not the one asked: unchanged
    out = _items([("anna", "Could you send me the report by Wednesday?"), ("anna", "No, actually, Thursday is fine.")],
                 "en")
    assert [o for o, _t, _d, _x in _tasks(out)] == ["boris"]


def test_a_yes_that_goes_on_with_its_own_task_adds_none() -> None:
    out = _items([("anna", "Could you set it up with me?"), ("boris", "Sure. I'll send you a short guide by Friday.")],
                 "en")
    assert [t for _o, t, _d, _x in _tasks(out)] == ["send you a short guide"]


def test_advice_taken_up_with_okay_is_no_request() -> None:
    out = _items([("anna", "Call her, don't email."), ("boris", "Okay. I'll call her tomorrow.")], "en")
    assert [a.method for a in out.action_items if a.method == "agreed"] == []


@pytest.mark.parametrize(("language", "asked", "yes", "task"), [
    ("en", "Please send me the link to the dashboard.", "Sure.", "send you the link to the dashboard"),
    ("ru", "Пришли мне, пожалуйста, ссылку на доску.", "Хорошо.", "прислать тебе ссылку на доску"),
    ("ru", "Можешь, пожалуйста, прислать ссылку на доску?", "Да.", "прислать ссылку на доску"),  # a comma after «можешь»
])
def test_a_polite_imperative_is_asked_too(language: str, asked: str, yes: str, task: str) -> None:
    out = _items([("anna", asked), ("boris", yes)], language)
    assert [(a.owner, a.task, a.method) for a in out.action_items] == [("boris", task, "agreed")]


@pytest.mark.parametrize(("language", "lines"), [
    ("en", [("anna", "Could you send me the report by Wednesday?"), ("boris", "Sure."),
            ("anna", "Actually, never mind, I'll pull it myself.")]),
    ("ru", [("anna", "Пришли мне отчёт к среде."), ("boris", "Хорошо."), ("anna", "Хотя нет, не надо, я сама возьму.")]),
])
def test_a_task_called_off_by_the_one_who_asked(language: str, lines: list) -> None:
    assert [o for o, _t, _d, _x in _tasks(_items(lines, language))] in ([], ["anna"])  # Boris's task is gone


def test_a_promise_called_off_is_no_advice_either() -> None:
    out = _items([("boris", "I'll prepare the slides for Friday."),
                  ("anna", "Actually, forget the slides, Marco already has them.")], "en")
    assert _tasks(out) == [] and out.recommendations == ()


def test_the_owner_s_own_never_mind_calls_nothing_off() -> None:
    out = _items([("boris", "I'll prepare the slides for Friday."), ("anna", "Great."),
                  ("boris", "Never mind the colours, they can wait.")], "en")
    assert [t for _o, t, _d, _x in _tasks(out)] == ["prepare the slides"]

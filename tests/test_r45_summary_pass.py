"""Round 45 (issue 10): a sixth new-user pass over one-to-one calls, the whole summary read as the pair reads it.

"I'll talk to Marco tomorrow and send the client two options by Wednesday." was one task due tomorrow; «Я подготовлю
предложение по автотестам и отправлю его Игорю до четверга.» read «отправлю его Игорю»; «Тогда к следующей встрече ты
расскажешь, как прошла планёрка, а я принесу свои шаблоны.» read «рассказать»; «Тогда скажи на планёрке первым: я
вчера прислал предложение, давайте обсудим.» was no advice but the pair's task «обсудим»; "And loop in Marco before
you send it" was no advice; "I'll try it next week and tell you how it went." after a question and its answer read
"try it…"; "The junior came with questions" was met by «Как ваши дела?» and «Через две недели в то же время?»."""

from __future__ import annotations

import datetime as dt

import pytest

SESSION = dt.date(2026, 12, 7)  # a Monday
EN = {"alex": "Alex Reed", "nina": "Nina Park"}
RU = {"denis": "Денис Волков", "marina": "Марина Орлова"}


def _items(lines: list[tuple[str, str]], language: str):
    from helpers import pair_items

    rows = [(who, 5.0 * n, 5.0 * n + 4.0, text) for n, (who, text) in enumerate(lines)]
    return pair_items(rows, language, EN if language == "en" else RU, SESSION)


def _tasks(out, uid: str) -> list[tuple[str | None, str, str | None]]:  # noqa: ANN001
    return [(a.owner, a.task, a.due_text) for a in out.action_items if a.utterance_id == uid]


# -- two tasks with a deadline each in one sentence ---------------------------------------------------------------------
@pytest.mark.parametrize(("language", "said", "want"), [
    ("en", "Okay, I'll talk to Marco tomorrow and send the client two options by Wednesday.",
     [("alex", "talk to Marco", "tomorrow"), ("alex", "send the client two options", "by Wednesday")]),
    ("en", "I'll prepare the proposal today and send it to Igor by Thursday.",  # "it" is the proposal
     [("alex", "prepare the proposal", "today"), ("alex", "send the proposal to Igor", "by Thursday")]),
    ("en", "I'll fix the filter today and show you on Friday.",  # the second names nothing of its own: one task
     [("alex", "fix the filter and show you on Friday", "today")]),
    ("en", "I'll prepare the proposal and send it to Igor by Thursday.",  # one deadline: one task
     [("alex", "prepare the proposal and send it to Igor", "by Thursday")]),
    ("en", "Fair enough. I'll rebuild the pipeline chart this week and keep the old file until the end of the month, "
           "just in case.",  # the one task was cut at its word limit: the second is read from the sentence
     [("alex", "rebuild the pipeline chart", "this week"), ("alex", "keep the old file, just in case",
                                                             "the end of the month")]),
    ("ru", "Я позвоню клиенту завтра и отправлю договор юристам до пятницы.",
     [("denis", "позвоню клиенту", "завтра"), ("denis", "отправлю договор юристам", "до пятницы")]),
    ("ru", "Я настрою фильтр до пятницы и покажу вам на следующей встрече.",
     [("denis", "настрою фильтр и покажу вам на следующей встрече", "до пятницы")]),
])
def test_two_dated_tasks_in_one_sentence_are_two_items(language: str, said: str, want: list) -> None:
    ask = "So what will you do?" if language == "en" else "Хорошо. Что будешь делать?"
    out = _items([("nina" if language == "en" else "marina", ask), ("alex" if language == "en" else "denis", said)],
                 language)
    assert _tasks(out, "u0002") == want


def test_the_second_task_gets_its_own_date_and_a_new_id() -> None:
    out = _items([("nina", "What's next?"), ("alex", "I'll talk to Marco tomorrow and send the client two options by "
                                                     "Wednesday.")], "en")
    items = [a for a in out.action_items if a.utterance_id == "u0002"]
    assert [a.due_date for a in items] == [dt.date(2026, 12, 8), dt.date(2026, 12, 9)]
    assert len({a.id for a in items}) == 2 and items[0].char_end == items[1].char_start


def test_a_split_task_handed_over_in_russian_keeps_both_verbs_in_the_infinitive() -> None:
    out = _items([("marina", "Подготовьте отчёт к среде и пришлите его мне в пятницу вечером."),
                  ("denis", "Хорошо.")], "ru")
    assert _tasks(out, "u0001") == [("denis", "подготовить отчёт и прислать его мне в пятницу вечером", "к среде")]


# -- a Russian commitment of two coordinated verbs keeps the first -------------------------------------------------------
def test_a_russian_commitment_of_two_verbs_keeps_the_first() -> None:
    out = _items([("marina", "Что будешь делать?"),
                  ("denis", "Понял. Я подготовлю предложение по автотестам и отправлю его Игорю до четверга.")], "ru")
    assert _tasks(out, "u0002") == [("denis", "подготовлю предложение по автотестам и отправлю его Игорю", "до четверга")]


# -- a Russian recap clause goes on through a clause without a person of its own ----------------------------------------
def test_a_recap_task_keeps_its_object_clause() -> None:
    out = _items([("denis", "Попробую с понедельника."),
                  ("marina", "Отлично. Тогда к следующей встрече ты расскажешь, как прошла планёрка, а я принесу свои "
                             "шаблоны.")], "ru")
    got = _tasks(out, "u0002")
    assert ("denis", "рассказать, как прошла планёрка", "к следующей встрече") in got
    assert ("marina", "принесу свои шаблоны", None) in got


# -- words to say are quoted; «скажи …» is advice ------------------------------------------------------------------------
def test_what_to_say_at_a_meeting_is_advice_not_a_task_of_both() -> None:
    out = _items([("denis", "А если руководитель не читает почту?"),
                  ("marina", "Тогда скажи на планёрке первым: я вчера прислал предложение, давайте обсудим.")], "ru")
    assert [r.utterance_id for r in out.recommendations] == ["u0002"]
    assert not [a for a in out.action_items if a.utterance_id == "u0002"]


@pytest.mark.parametrize(("text", "want"), [
    ("Тогда скажи на планёрке первым: я вчера прислал предложение.", True),
    ("Скажи ему, что отчёт будет в пятницу.", True),
    ("Скажите, а как вы это делаете?", False),  # opens a question
    ("Скажите, пожалуйста, где это лежит.", False),
    ("Скажи мне, когда будет готово.", False),  # a request to the speaker
])
def test_when_skazhi_is_advice(text: str, want: bool) -> None:
    from sessionscope.analysis.extract.recommendations import _ru_imperative
    from sessionscope.language.nlp import parse_sentence

    assert _ru_imperative(parse_sentence(text, language="ru")) is want


# -- imperatives the small tagger reads as nouns -------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "rule"), [
    ("And loop in Marco before you send it, he knows that account.", "imperative"),
    ("Just ping me on Slack.", "imperative"),
    ("Switch colours.", "imperative"),  # the parser makes "Switch" a subject: no sign
    ("Text is too small here.", "description"),  # a noun before an auxiliary
])
def test_imperatives_read_as_nouns(text: str, rule: str) -> None:
    from sessionscope.analysis.extract.recommendations import recommendation_rule
    from sessionscope.language.nlp import parse_sentence

    hit = recommendation_rule(parse_sentence(text, language="en"))
    assert hit is not None and hit.rule == rule


# -- advice taken up after a question and its answer ---------------------------------------------------------------------
def test_advice_taken_up_after_a_question_between_names_the_advice() -> None:
    out = _items([
        ("nina", "Try blocking two hours every morning for focused work. I do that and it changed my week."),
        ("alex", "I could try that. Do you also turn off email?"),
        ("nina", "I check email three times a day, that's it."),
        ("alex", "I'll try it next week and tell you how it went."),
    ], "en")
    assert _tasks(out, "u0004") == [
        ("alex", "try blocking two hours every morning for focused work and tell you how it went", "next week")]


def test_a_line_that_only_writes_down_takes_no_advice_from_further_back() -> None:
    out = _items([
        ("marina", "Вам стоит блокировать утро под глубокую работу."),
        ("denis", "А почту тоже?"),
        ("marina", "Почту три раза в день."),
        ("denis", "Давайте я запишу."),
    ], "ru")
    assert all("блокировать" not in a.task for a in out.action_items if a.utterance_id == "u0004")


def test_russian_advice_taken_up_with_a_report_back() -> None:
    out = _items([
        ("marina", "Выключай уведомления на два часа утром. Я так делаю уже год."),
        ("denis", "А почту тоже?"),
        ("marina", "Почту смотрю три раза в день."),
        ("denis", "Попробую с понедельника и расскажу, как получилось."),
    ], "ru")
    got = _tasks(out, "u0004")
    assert got and got[0][0] == "denis" and got[0][1].startswith("буду выключать уведомления на два часа утром")
    assert got[0][1].endswith("и расскажу, как получилось")


# -- courtesy and arranging the next meeting are no questions about work -------------------------------------------------
@pytest.mark.parametrize(("text", "want"), [
    ("Yes, loud and clear. How was your week?", True),
    ("Deal. Same time in two weeks?", True),
    ("Shall we meet next Tuesday?", True),
    ("Да, всё хорошо слышно. Как ваши дела?", True),
    ("Договорились. Через две недели в то же время?", True),
    ("Встречаемся в четверг?", True),
    ("How are you doing with your time otherwise?", False),
    ("How was the client call?", False),
    ("Can we talk at length about the budget?", False),
    ("Как у тебя со временем? Успеваешь?", False),
    ("How are you? And how do I connect the CRM export?", False),  # one question about work is enough
])
def test_social_question(text: str, want: bool) -> None:
    from sessionscope.analysis.questions import social_question

    assert social_question(text) is want


def test_the_checklist_leaves_courtesy_questions_out_of_the_junior_s_questions() -> None:
    import dataclasses

    from helpers import make_session
    from sessionscope.analysis.dynamics import DynamicsStage
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.report.checklist import NOT_MET, session_checklist

    rows = [("alex", 0.0, 3.0, "How was your week?"), ("nina", 3.5, 6.0, "Busy, thanks. Two client escalations."),
            ("alex", 6.5, 9.0, "Same time in two weeks?"), ("nina", 9.5, 11.0, "Yes, same time.")]
    session = make_session(rows, roles={"alex": "junior", "nina": "senior"})
    session = ExtractionStage()(DynamicsStage()(dataclasses.replace(session, date=SESSION)))
    assert len([q for q in session.questions if q.asker == "alex"]) == 2
    item = next(i for i in session_checklist(session).items if i.item == "junior_questions")
    assert item.value == 0 and item.status == NOT_MET
    assert item.measure == "questions asked by the junior (2 with confirmation checks and courtesy questions)"


# -- a phrasal verb's pronoun is no object said with the plain verb -----------------------------------------------------
def test_bring_it_up_is_no_bring_my_dashboard() -> None:
    out = _items([
        ("nina", "Sure, next time I'll bring my dashboard."),
        ("alex", "What do you think about moving the release to Tuesdays?"),
        ("nina", "That's a good idea, Fridays are risky. Talk to your manager about it."),
        ("alex", "I'll bring it up at the planning meeting on Monday."),
    ], "en")
    assert _tasks(out, "u0004") == [("alex", "bring it up at the planning meeting", "on Monday")]


def test_set_it_up_still_names_what_was_set_up() -> None:
    out = _items([("alex", "Could you set up the board for my team?"), ("nina", "Sure, I'll set it up on Friday.")], "en")
    assert _tasks(out, "u0002") == [("nina", "set up the board for your team", "on Friday")]


# -- a Russian pronoun for a person named just before ----------------------------------------------------------------
@pytest.mark.parametrize(("before", "said", "want"), [
    ("Отлично. И поговори с Ольгой, она ведёт такие таблицы.", "Напишу ей завтра.", "напишу Ольге"),
    ("И с Игорем тоже поговори.", "Хорошо, созвонюсь с ним в среду.", "созвонюсь с Игорем"),
    ("И с Игорем тоже поговори.", "Напишу ей завтра.", "напишу ей"),  # no woman named: as said
    ("Спроси Марину, она знает.", "Напишу ей завтра.", "напишу ей"),  # a participant's own name is no third person
])
def test_a_russian_pronoun_names_the_person_said_before(before: str, said: str, want: str) -> None:
    out = _items([("marina", before), ("denis", said)], "ru")
    got = _tasks(out, "u0002")
    assert got and got[0][1].casefold() == want.casefold()


# -- an imperative done for the speaker, with a weekday, is the listener's task -----------------------------------------
def test_ping_me_on_thursday_is_the_listener_s_task_but_a_habit_s_day_is_not() -> None:
    out = _items([("alex", "Can I show you my next pull request before I submit it?"),
                  ("nina", "Sure, ping me on Thursday."),
                  ("alex", "Great."),
                  ("nina", "Plan the week on Sunday evening.")], "en")
    assert _tasks(out, "u0002") == [("alex", "ping me", "on Thursday")]
    assert not _tasks(out, "u0004") and [r.utterance_id for r in out.recommendations] == ["u0004"]


@pytest.mark.parametrize(("text", "want"), [
    ("Great, talk to you Thursday.", True), ("Talk to you on Friday!", True),
    ("Talk to you Thursday about the budget plan.", False),
])
def test_talk_to_you_on_a_weekday_is_a_leave_taking(text: str, want: bool) -> None:
    from sessionscope.analysis.extract.recommendations import farewell

    assert farewell(text) is want


# -- Russian advice said as a rule or a possibility; «начну …» with a deadline ---------------------------------------------
@pytest.mark.parametrize(("text", "rule"), [
    ("Секрет в том, чтобы сначала отсортировать их по важности.", "my_advice"),
    ("Моё правило — умножай первую оценку на два.", "my_advice"),
    ("Ещё можно вести журнал оценок и реального времени.", "you_could"),
    ("В Jira можно фильтровать задачи по компоненту.", None),  # what a tool allows
    ("Можно я покажу вам свой пулл-реквест?", "question"),
])
def test_russian_advice_as_a_rule_or_a_possibility(text: str, rule: str | None) -> None:
    from sessionscope.analysis.extract.recommendations import recommendation_rule
    from sessionscope.language.nlp import parse_sentence

    hit = recommendation_rule(parse_sentence(text, language="ru"))
    assert (hit.rule if hit is not None else None) == rule


@pytest.mark.parametrize(("text", "task"), [
    ("Начну журнал на этой неделе.", "Начну журнал"),
    ("Начну вести журнал с понедельника.", "Начну вести журнал"),
    ("Начну с главного.", None),  # a move in the talk
])
def test_nachnu_with_a_deadline_is_a_commitment(text: str, task: str | None) -> None:
    out = _items([("marina", "Можно вести журнал оценок."), ("denis", text)], "ru")
    got = _tasks(out, "u0002")
    assert (got[0][1] if got else None) == task


# -- "her" / "him" name the person said with the same verb just before ---------------------------------------------------
@pytest.mark.parametrize(("before", "said", "want"), [
    ("And ask Olga to send you the template, she has the latest one.", "I'll ask her today.",
     "ask Olga to send me the template"),
    ("And call Boris about the budget.", "I'll call him tomorrow.", "call Boris about the budget"),
    ("Did you meet Anna?", "I'll ask her tomorrow.", "ask her"),  # another verb: as said
])
def test_a_person_pointed_to_is_named(before: str, said: str, want: str) -> None:
    out = _items([("nina", before), ("alex", said)], "en")
    got = _tasks(out, "u0002")
    assert got and got[0][1] == want


@pytest.mark.parametrize("text", ["Please do.", "Yes, please."])
def test_an_offer_accepted_is_no_advice(text: str) -> None:
    from sessionscope.analysis.extract.recommendations import recommendation_rule
    from sessionscope.language.nlp import parse_sentence

    hit = recommendation_rule(parse_sentence(text, language="en"))
    assert hit is None or hit.veto


# -- a suggestion said as one is advice between two people, whatever day it names ---------------------------------------
def test_i_d_suggest_you_with_a_day_is_advice_and_the_acceptance_the_task() -> None:
    out = _items([
        ("nina", "And who decides the number?"),
        ("alex", "The team with the product owner. I'd suggest you join our SLO review next Tuesday, you'll see how "
                 "it works."),
        ("nina", "Good idea. I'll join on Tuesday."),
    ], "en")
    assert [(r.giver, r.utterance_id) for r in out.recommendations] == [("alex", "u0002")]
    assert [(a.owner, a.task, a.utterance_id) for a in out.action_items] == [("nina", "join our SLO review", "u0003")]


# -- an offer taken up is the offerer's task ----------------------------------------------------------------------------
@pytest.mark.parametrize(("language", "offer", "reply", "task"), [
    ("en", "Want me to book the room for Friday?", "Sure, that would be great.", "book the room"),
    ("en", "I could also introduce you to Marco.", "That would be really helpful, thanks.", "introduce you to Marco"),
    ("ru", "Могу прислать тебе свой шаблон.", "Да, пожалуйста, было бы здорово.", "прислать тебе свой шаблон"),
    ("ru", "Хочешь, познакомлю тебя с Ольгой?", "Было бы здорово!", "познакомлю тебя с Ольгой"),
])
def test_an_offer_taken_up_is_the_offerer_s_task(language: str, offer: str, reply: str, task: str) -> None:
    who = ("nina", "alex") if language == "en" else ("marina", "denis")
    out = _items([(who[0], offer), (who[1], reply)], language)
    got = [(a.owner, a.task, a.method) for a in out.action_items]
    assert got == [(who[0], task, "offer")]
    assert not out.recommendations  # an offer is no advice


@pytest.mark.parametrize(("offer", "reply"), [
    ("I can send you my template.", "No thanks, I have one."),  # declined
    ("I could be wrong about that.", "Yes, please."),  # no offer to do
    ("I can send you my template.", "I'll think about it."),
])
def test_no_task_without_an_offer_taken_up(offer: str, reply: str) -> None:
    out = _items([("nina", offer), ("alex", reply)], "en")
    assert not [a for a in out.action_items if a.method == "offer"]


def test_taking_on_what_the_other_said_needs_doing() -> None:
    out = _items([("nina", "Also, someone should update the onboarding page, it's two years old."),
                  ("alex", "I can take that, if nobody else wants it."),
                  ("nina", "Please do.")], "en")
    assert [(a.owner, a.task, a.method) for a in out.action_items] == [("alex", "update the onboarding page", "offer")]


def test_if_you_like_is_no_part_of_a_task() -> None:
    out = _items([("nina", "I can send you my template, if you like."), ("alex", "Yes, please.")], "en")
    assert [(a.owner, a.task) for a in out.action_items] == [("nina", "send you my template")]


# -- an item that starts inside a Russian sentence is not re-scored by the English check ---------------------------------
def test_russian_items_inside_a_sentence_keep_the_sentence_s_confidence() -> None:
    out = _items([("marina", "Хорошо. Что будешь делать?"),
                  ("denis", "Я позвоню клиенту завтра и отправлю договор юристам до пятницы."),
                  ("marina", "Отлично. Тогда к следующей встрече ты расскажешь, как прошла планёрка, а я принесу свои "
                             "шаблоны.")], "ru")
    split = [a.confidence for a in out.action_items if a.utterance_id == "u0002"]
    recap = [a.confidence for a in out.action_items if a.utterance_id == "u0003"]
    assert len(split) == 2 and split[0] == split[1]  # (the second was re-scored as English: 0.85 / 0.97)
    assert len(recap) == 2 and recap[0] == recap[1]  # (0.96 / 0.18)


@pytest.mark.parametrize(("text", "rule"), [
    ("Да, я предлагаю идеи, а их как будто не слышат, а потом то же самое говорит кто-то другой.", "description"),
    ("Я предлагаю изменения, но их отклоняют.", "description"),
    ("Предлагаю новые правила для планёрок.", "advice_verb"),  # proposed now
    ("Предлагаю следующие изменения: убрать отчёт.", "advice_verb"),
    ("Предлагаю тебе вести журнал.", "advice_verb"),
])
def test_proposing_as_a_habit_is_no_advice(text: str, rule: str) -> None:
    from sessionscope.analysis.extract.recommendations import recommendation_rule
    from sessionscope.language.nlp import parse_sentence

    assert recommendation_rule(parse_sentence(text, language="ru")).rule == rule


def test_the_assignment_step_and_the_dated_imperative_read_one_for_the_speaker_alike() -> None:
    # one decision (accept.en_dated_imperative) tells the assignment step that a weekday or "next time" says by when
    # for an imperative done for the speaker; "next time" alone still makes no habit a task
    out = _items([("alex", "Anything else for next time?"), ("nina", "Next time, send me the numbers from the sprint."),
                  ("alex", "Okay."), ("nina", "Next time, write their questions down.")], "en")
    assert _tasks(out, "u0002") == [("alex", "send me the numbers from the sprint", "Next time")]
    assert not _tasks(out, "u0004")

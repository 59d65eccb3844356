"""Extraction rules on hand-written sentences, EN and RU: positives and hard negatives.

Uses the real parsers (spaCy en_core_web_sm, natasha), loaded once per process.
"""

from __future__ import annotations

import pytest

pytest.importorskip("spacy")
pytest.importorskip("natasha")

from sessionscope.analysis.extract.actions import action_rule, task_phrase  # noqa: E402
from sessionscope.analysis.extract.problems import problem_rule  # noqa: E402
from sessionscope.analysis.extract.recommendations import recommendation_rule  # noqa: E402
from sessionscope.language.nlp import detect_language, parse_sentence, parse_texts  # noqa: E402

pytestmark = pytest.mark.slow


def _fires(rule, text: str) -> bool:
    hit = rule(parse_sentence(text))
    return hit is not None and not hit.veto


@pytest.mark.parametrize("text", [
    "You should try time-blocking your mornings.",
    "I'd recommend Notion for this.",
    "Try keeping a task list.",
    "Don't overload yourself with meetings.",
    "If I were you, I'd talk to the team lead first.",
    "What helped me was a weekly review on Fridays.",
    "Why don't you ask the client directly?",
    "It's worth setting up a shared calendar.",
    "Попробуйте вести список задач.",
    "Советую начать с малого.",
    "Я бы на вашем месте делегировал эту часть.",
    "Тебе стоит попробовать Notion.",
    "Стоит заранее договориться о формате отчёта.",
    "Мне очень помогло планирование на неделю вперёд.",
    "Почему бы не спросить клиента напрямую?",
    "And for the first one, call her, don't email.",            # imperative after a comma
    "When an idea gets used, thank the person by name.",
    "Block Friday afternoon for learning.",                      # the small model tags "Block" as a noun
    "Сократите отчёт до одной страницы.",                        # slovnet reads it as an infinitive
    "Не перегружайте понедельник встречами.",
    "Feel free to ping me if the plan slips.",                    # "feel free" stays advice
    "Don't feel rushed into a decision.",                         # negated: advice, not a dropped "I"
    "Remember to back up your notes.",
])
def test_recommendation_positives(text: str) -> None:
    assert _fires(recommendation_rule, text)


@pytest.mark.parametrize("text", [
    "My boss told me I should delegate more.",      # reported speech
    "She recommended that book to everyone.",
    "Should I use Trello for this?",                 # a question, not a suggestion
    "Do you think we should hire someone?",
    "That was great advice.",                        # mentions advice
    "Look, it's complicated.",                       # discourse imperative
    "Он посоветовал мне купить курс.",
    "Мне советовали читать больше.",
    "Этот курс стоит дорого.",                       # «стоит» = costs
    "Стоит ли мне менять работу?",
    "Смотри, тут всё сложно.",
    "Don't remind me.",
    "Have you thought about where you want to be in a year?",  # a coaching question
    "Проходите, садитесь.",
    "'Kay.",
    "um ==",                                         # transcript debris read as a verb by the small model
    "and uh ==",
    "so just keep ==",                               # a verb with no word after it
    "rea- ==",                                       # a cut-off word
    "Just want to have something easy to use.",      # a dropped "I", not advice
    "Feel like fruit.",
    "Remember that was a minimum requirement.",      # recalling a fact
])
def test_recommendation_hard_negatives(text: str) -> None:
    assert not _fires(recommendation_rule, text)


@pytest.mark.parametrize(("text", "owner", "task"), [
    ("I'll send you the deck by Friday.", "speaker", "send you the deck"),
    ("I'm going to try the Pomodoro app this week.", "speaker", "try the Pomodoro app"),
    ("Let's review the plan at our next meeting.", "both", "review the plan"),
    ("Can you send me the draft by Monday?", "addressee", "send me the draft"),
    ("Your homework is to write down three priorities.", "addressee", "write down three priorities"),  # round 43: "to" left out
    ("Пришлю отчёт до пятницы.", "speaker", "Пришлю отчёт"),
    ("Я подготовлю презентацию к следующей встрече.", "speaker", "подготовлю презентацию"),
    ("Давайте созвонимся на следующей неделе.", "both", "созвонимся"),
    ("Пришлите мне черновик до понедельника.", "addressee", "Пришлите мне черновик"),
    ("С тебя план на неделю.", "addressee", "план на неделю"),
    ("Я настрою общую доску завтра.", "speaker", "настрою общую доску"),     # «настрою» is also a noun
    ("Давайте я запишу все правки.", "speaker", "запишу все правки"),
    ("Хорошо, пришлите ссылки, посмотрю к следующей встрече.", "speaker", "посмотрю"),
    ("Send me the timeline by the end of the month, and we'll go through it together.", "addressee",
     "Send me the timeline"),  # round 17: the second clause with its own subject is not this task
])
def test_action_positives_owner_and_task(text: str, owner: str, task: str) -> None:
    sent = parse_sentence(text)
    hit = action_rule(sent)
    assert hit is not None and not hit.veto
    assert hit.owner == owner
    assert task_phrase(sent, hit) == task


@pytest.mark.parametrize("text", [
    "I'll be honest with you.",
    "I sent the report yesterday.",
    "If I have time, I'll look into it.",
    "I would have done it differently.",
    "Will you be at the conference?",
    "Я бы сделал это иначе.",
    "Я отправил отчёт вчера.",
    "Если успею, посмотрю.",
    "Скажу честно, мне было сложно.",
    "Ты придёшь на конференцию?",
])
def test_action_hard_negatives(text: str) -> None:
    assert not _fires(action_rule, text)


@pytest.mark.parametrize("text", [
    "I'm struggling with prioritisation.",
    "I can't figure out how to set up the automation.",
    "The problem is that nobody reads my reports.",
    "I find it hard to say no to my manager.",
    "У меня проблема с дедлайнами.",
    "Не понимаю, как настроить рассылку.",
    "Я постоянно не успеваю закрыть задачи.",
    "Мне сложно выступать перед командой.",
])
def test_problem_positives(text: str) -> None:
    assert _fires(problem_rule, text)


@pytest.mark.parametrize("text", [
    "No problem at all.",
    "I used to struggle with this, but not any more.",
    "Do you have any problems with the new CRM?",
    "Без проблем, сделаем.",
    "Раньше у меня были проблемы с планированием.",
    "У тебя есть сложности с CRM?",
])
def test_problem_hard_negatives(text: str) -> None:
    assert not _fires(problem_rule, text)


def test_language_detection_and_offsets() -> None:
    assert detect_language("Попробуйте Notion для заметок") == "ru"
    assert detect_language("Try Notion.") == "en"
    text = "Okay. You should try it! Thanks."
    sents = parse_texts([text], language="en")[0]
    assert [text[s.start_char:s.end_char] for s in sents] == ["Okay.", "You should try it!", "Thanks."]


@pytest.mark.parametrize("text", [
    "I'll present some ideas today.", "I'll mute myself.", "Let me share my screen.", "We'll go through the agenda first.",
    "Сейчас я покажу слайды.", "Я поделюсь экраном.",
])
def test_talk_about_the_meeting_itself_is_vetoed(text: str) -> None:
    hit = action_rule(parse_sentence(text))
    assert hit is not None and hit.veto and hit.rule == "meeting_itself"

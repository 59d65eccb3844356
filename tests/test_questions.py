"""Question detection in English and Russian (positives and look-alike negatives)."""

import pytest

from sessionscope.analysis.questions import is_backchannel, is_question, question_sentences

EN_Q = [
    "What do you think?", "how do you usually plan the week", "Do you use Notion", "can we move it to Friday",
    "Is it worth automating", "Why did the export fail", "Shall we start", "Any ideas?",
]
EN_NOT = [
    "What I mean is that we should try it.", "I do use Notion.", "You can move it to Friday.",
    "How nice!", "When I was junior I did that too.", "Do it tomorrow!", "Ok.",
]
RU_Q = [
    "Как вы обычно планируете неделю", "Почему отчёт не выгружается", "Знаешь ли ты про Трелло",
    "Сколько времени это займёт", "Что ты думаешь об этом?", "А можно перенести на пятницу?",
]
RU_NOT = [
    "Что касается клиентов, всё хорошо.", "Как я уже говорил, это важно.", "Когда я начинал, было сложнее.",
    "Где-то так.", "Я попробую завтра.",
]


@pytest.mark.parametrize("text", EN_Q)
def test_english_questions(text):
    assert is_question(text, language="en")


@pytest.mark.parametrize("text", EN_NOT)
def test_english_non_questions(text):
    assert not is_question(text, language="en")


@pytest.mark.parametrize("text", RU_Q)
def test_russian_questions(text):
    assert is_question(text, language="ru")


@pytest.mark.parametrize("text", RU_NOT)
def test_russian_non_questions(text):
    assert not is_question(text, language="ru")


def test_question_sentences_split():
    assert question_sentences("We tried Jira. Did it help? Not really.") == ["Did it help?"]


def test_backchannels():
    bc = ["yeah", "mm-hmm", "угу", "i see", "ok"]
    assert is_backchannel("Yeah.", bc)
    assert is_backchannel("mm-hmm, yeah", bc)
    assert is_backchannel("Угу", bc)
    assert is_backchannel("I see", bc)
    assert not is_backchannel("Yeah, but the deadline is tight", bc)


@pytest.mark.parametrize("text,expected", [
    ("you know?", False), ("a long time you know?", False), ("The tool is great, right?", False),
    ("Is that right?", True), ("Right?", False), ("what was I gonna say.", False),
    ("is I kinda had a b- general idea,", False), ("Do you know?", True), ("Это удобно, правда?", False),
    ("Ты знаешь, как это сделать?", True), ("And you know what we start out with?", True),
])
def test_tags_and_trusted_punctuation(text, expected):
    assert is_question(text) is expected

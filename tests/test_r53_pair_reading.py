"""Round 53, reading a pair's report: a pre-question ("Can I ask you something?", «можно я тоже спрошу») is answered by
the reply to the question it announces, which comes after the asker's own next words (no models: the rule decides in
pairs); a problem sentence recognised as two segments is listed once."""

from dataclasses import replace

import pytest

from sessionscope.analysis.questions import find_questions, pre_question, reply_window
from sessionscope.model import Utterance

BACKCHANNELS = ("yeah", "yes", "mhm", "да", "угу")


@pytest.mark.parametrize(
    "sentence",
    [
        "Can I ask you something?",
        "can i ask a quick question about this side ?",
        "So could I just ask one question, um",
        "Do you mind if I ask you a personal question?",
        "Sam, can I ask you something?",
        "Игорь Петрович, можно я тоже спрошу, у меня сложная ситуация с клиентом.",
        "Можно вопрос?",
        "А можно мне ещё спросить?",
    ],
)
def test_pre_questions(sentence: str) -> None:
    assert pre_question(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Can I ask why you did that?",
        "Can you ask him something?",
        "What would you ask them?",
        "Можно я тоже попробую?",
        "Можно сделать отдельный чат?",
    ],
)
def test_questions_that_ask_themselves(sentence: str) -> None:
    assert not pre_question(sentence)


def _pair(first: str, language: str) -> list[Utterance]:
    """A asks, goes on for 13 s in three utterances (the announced question), then B answers."""
    own = {
        "en": ["I have a tricky situation with a client.", "They left an angry comment under our post.",
               "They say we missed the deadline for the campaign."],
        "ru": ["У меня сложная ситуация с клиентом.", "Они оставили гневный комментарий под нашим постом.",
               "Пишут, что мы сорвали сроки запуска рекламы."],
    }[language]
    reply = {"en": "First rule: don't argue in public, answer briefly and then call them.",
             "ru": "Первое правило: не спорьте публично, ответьте коротко и позвоните."}[language]
    return [
        Utterance(id="u1", speaker="A", text=first, start=0.0, end=2.0),
        Utterance(id="u2", speaker="A", text=own[0], start=2.2, end=6.0),
        Utterance(id="u3", speaker="A", text=own[1], start=6.2, end=10.0),
        Utterance(id="u4", speaker="A", text=own[2], start=10.2, end=15.0),
        Utterance(id="u5", speaker="B", text=reply, start=15.5, end=20.0),
    ]


@pytest.mark.parametrize(("first", "language"), [("Can I ask you something?", "en"),
                                                 ("Игорь Петрович, можно я тоже спрошу?", "ru")])
def test_a_pre_question_is_answered_after_the_askers_run(first: str, language: str) -> None:
    events = find_questions(_pair(first, language), language=language, backchannels=BACKCHANNELS, head=None)
    assert [(e.utterance_id, e.answered, e.answer_utterance_id) for e in events] == [("u1", True, "u5")]


def test_a_question_followed_by_a_long_own_run_stays_unanswered() -> None:
    """The latency rule is unchanged for a question that asks itself: 13.5 s of the asker's own talk before the
    reply (beyond ``answer_max_latency_s``, 6 s) leave it unanswered."""
    events = find_questions(_pair("Why did the campaign start late?", "en"), language="en",
                            backchannels=BACKCHANNELS, head=None)
    assert [(e.utterance_id, e.answered) for e in events] == [("u1", False)]


def test_the_askers_run_ends_at_a_long_pause() -> None:
    """The run the latency is counted from continues only while each utterance starts within the latency."""
    utts = _pair("Can I ask you something?", "en")
    late = [*utts[:3], replace(utts[3], start=22.0, end=25.0), replace(utts[4], start=36.0, end=40.0)]
    assert reply_window(late, 0, 2, 10.0, after_asker=True)[1] == []
    assert reply_window(utts, 0, 2, 10.0, after_asker=True)[1] == [(4, 3)]
    assert reply_window(utts, 0, 2, 10.0)[1] == []


def test_a_problem_sentence_recognised_as_two_segments_is_listed_once() -> None:
    """The recognised Russian example: «В целом нормально, | к пятнадцатому декабря мы не успеваем, | слишком много
    правок от отдела продаж.» holds a problem in each of its last two segments; the report listed the same whole
    sentence twice. One row, solved when either part was."""
    from helpers import make_session
    from sessionscope.model import Problem
    from sessionscope.report.view import build_view

    s = make_session([
        ("anna", 179.4, 180.5, "В целом нормально,"),
        ("anna", 180.7, 182.8, "к пятнадцатому декабря мы не успеваем,"),
        ("anna", 183.0, 184.9, "слишком много правок от отдела продаж."),
        ("igor", 185.3, 190.0, "Тогда собираем все правки в один список."),
        ("anna", 191.0, 193.0, "И ещё у меня проблема со временем."),
    ], roles={"anna": "junior", "igor": "senior"}, language="ru")
    s = s.evolve(problems=(
        Problem(id="p1", utterance_id="u0002", start=180.7, raiser="anna", text="к пятнадцатому декабря мы не успеваем,",
                solved=False),
        Problem(id="p2", utterance_id="u0003", start=183.0, raiser="anna", text="слишком много правок от отдела продаж.",
                solved=True, solution_ids=("act-1",)),
        Problem(id="p3", utterance_id="u0005", start=191.0, raiser="anna", text="И ещё у меня проблема со временем.",
                solved=False),
    ))
    rows = build_view(s).section("problems").rows
    assert [r[1] for r in rows] == [
        "В целом нормально, к пятнадцатому декабря мы не успеваем, слишком много правок от отдела продаж. (за ней совет или задача)",
        "И ещё у меня проблема со временем. (без совета или задачи)",
    ]
    assert rows[0][3] == "3:01"  # the first part's time


def test_find_questions_defaults_are_the_configs() -> None:
    """The library's defaults and the configuration's agree (round 53 moved the answer window 10 → 6 s in both)."""
    import inspect

    from sessionscope.config import DynamicsConfig

    cfg, params = DynamicsConfig(), inspect.signature(find_questions).parameters
    for name in ("answer_max_latency_s", "answer_max_utterances", "backchannel_max_words"):
        assert params[name].default == getattr(cfg, name), name

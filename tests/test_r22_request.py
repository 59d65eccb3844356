"""Round 22 (request): a request for the speaker's own learning or help is listed, not counted as the speaker's advice.

Model-free: the rule reads text only (hand-written sentences, EN and RU, none copied from a corpus); the wiring is
checked on hand-built sessions (Session.advice, knowledge flow, per-person counts, flags, the report's list). The
stage test at the end parses with spaCy / natasha (marked slow, skipped without them).
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import pytest

from helpers import make_session
from sessionscope.analysis.extract.request import own_request, request_text
from sessionscope.language.nlp import Sentence

EN_REQUESTS = [
    "Show me how you set it up.",
    "Okay, show me.",
    "Can you walk me through it?",
    "Could you explain that again?",
    "Tell me more about the board.",
    "So can you send me the link?",
    "Teach me how to do it.",
    "Help me with the pivot table, please.",
    "Explain that again, please.",
    "Would you mind showing me?",
    "I'd love to see how you did that.",
    "Walk me through the dashboard.",
    "Please send me the slides.",
    "Maybe you could send me the template.",
    "Hmm, interesting, just show me the filter first.",
    # round 54: being brought up to date
    "Perhaps you can run us through it quickly.",
    "Can you talk me through the numbers?",
    "Fill me in on the client call.",
    "Could you give us a quick overview of the plan?",
    "Keep me posted.",
    "Can you bring us up to speed?",
    "Catch me up on the client call.",
    "Could you update us on the migration?",
]
EN_NOT_REQUESTS = [
    "Let me show you.",  # the speaker teaches
    "I'll tell you what happened.",
    "I can walk you through it after lunch.",
    "You should ask him to show you.",  # advice to involve someone else
    "Show them the demo.",
    "Tell her you need more time.",
    "Explain the benefits to the client.",
    "Explain it to them in plain words.",
    "Explain why, not just what.",  # a bare "explain" is advice on how to talk to others
    "Try it and tell me how it went.",  # advice in another clause stays advice
    "Send the agenda before the call.",
    "Call her, don't email.",
    "Don't tell me you forgot.",
    "He asked me to show him the report.",
    "The history log can maybe tell us which one.",  # a subject and a modal: no imperative
    "That might then help me a lot.",
    "Give us a chance.",  # round 54: no request to be told
    "Take me to the station.",
    "You should take them through the demo.",
    "Let me run you through it.",
    "I'll fill you in later.",
    "You should update us on the migration every week.",  # advice to report: stays advice
    "Try it and keep me posted.",  # advice in another clause stays advice
]
RU_REQUESTS = [
    "попробую, покажите, как это настроить.",  # the round-21 audit's sentence (recognised speech)
    "И вечером расскажите, как прошло.",
    "Покажете, как это настроить?",
    "Пришлите мне ссылку на доску до конца месяца.",
    "Подскажите, пожалуйста, где это найти.",
    "Объясните мне, как это работает.",
    "Можете показать, как это сделать?",
    "Научите меня пользоваться нейросетью.",
    "Можешь мне объяснить?",
    "Расскажите подробнее про курс.",
    "Не могли бы вы прислать мне шаблон?",
    "Скиньте мне, пожалуйста, файл.",
    "Введите меня в курс дела.",  # round 54
    "Держите нас в курсе, пожалуйста.",
]
RU_NOT_REQUESTS = [
    "Давайте я покажу.",  # the speaker teaches
    "Я вам расскажу, как это работает.",
    "Покажите клиенту цифры.",  # shown to someone else: advice
    "Объясните команде, зачем это нужно.",
    "Расскажите ему о своих успехах.",
    "Пришлите клиенту отчёт.",
    "Расскажите о своих успехах на планёрке.",  # another audience named later in the sentence
    "Покажите, как это работает, всей команде.",
    "Попросите его показать отчёт.",
    "Попробуйте сами, а потом расскажите, как прошло.",  # advice in another clause stays advice
    "Держите клиента в курсе.",  # round 54: someone else kept up to date
    "Нужно ввести в курс нового сотрудника.",
    "Проверяйте почту три раза в день.",
]


@pytest.mark.parametrize("text", EN_REQUESTS)
def test_english_requests(text: str) -> None:
    assert request_text(text, "en")


@pytest.mark.parametrize("text", EN_NOT_REQUESTS)
def test_english_near_misses_are_no_requests(text: str) -> None:
    assert not request_text(text, "en")


@pytest.mark.parametrize("text", RU_REQUESTS)
def test_russian_requests(text: str) -> None:
    assert request_text(text, "ru")


@pytest.mark.parametrize("text", RU_NOT_REQUESTS)
def test_russian_near_misses_are_no_requests(text: str) -> None:
    assert not request_text(text, "ru")


def test_the_sentence_form_reads_its_language() -> None:
    assert own_request(Sentence("Покажите, как это настроить.", 0, 28, language="ru"))
    # the English rule does not read Russian, nor the Russian one English; another language is never a request
    assert not own_request(Sentence("Покажите, как это настроить.", 0, 28, language="en"))
    assert not own_request(Sentence("Show me how.", 0, 12, language="ru"))
    assert not request_text("Zeig mir, wie das geht.", "de")


def _session():
    from sessionscope.analysis.flow import item_measures, knowledge_flow
    from sessionscope.model import Recommendation

    s = make_session([("igor", 0, 10, "Хорошо, попробую. Покажите, как это настроить."),
                      ("anna", 10, 20, "Вам стоит завести отложенный постинг."),
                      ("igor", 20, 30, "Не спорьте с клиентом публично."),
                      ("anna", 30, 40, "Проверяйте почту три раза в день.")],
                     roles={"anna": "junior", "igor": "senior"}, language="ru", sid="req")
    recs = (Recommendation("rec-001", "u0001", 0.0, "igor", "anna", "Покажите, как это настроить.", confidence=0.67,
                           request=True),
            Recommendation("rec-002", "u0002", 10.0, "anna", "igor", "Вам стоит завести отложенный постинг.", confidence=0.9),
            Recommendation("rec-003", "u0003", 20.0, "igor", "anna", "Не спорьте с клиентом публично.", confidence=0.9),
            Recommendation("rec-004", "u0004", 30.0, "anna", "igor", "Проверяйте почту три раза в день.", confidence=0.9))
    s = dataclasses.replace(s, recommendations=recs)
    s = dataclasses.replace(s, knowledge_flow=knowledge_flow(s))
    return s, item_measures(s)


def test_a_request_is_not_the_askers_advice() -> None:
    s, (part, sess) = _session()
    assert [r.id for r in s.advice] == ["rec-002", "rec-003", "rec-004"]
    assert part["igor"]["recommendations_given"] == 1 and part["anna"]["recommendations_received"] == 1
    assert sess["recommendations"] == 3 and sess["procedure_suggestions"] == 0  # a request is no procedure item either
    kf = s.knowledge_flow
    assert kf is not None and kf.recommendation_matrix["all"]["igor"] == {"anna": 1}  # the request is no advice given
    # it is weighed as a question: anna, asked, speaks next, so she explained once to igor
    assert kf.explanation_matrix == {"all": {"anna": {"igor": 1}}}
    assert kf.mutuality_index == pytest.approx(2 * 1 / 4)  # igor→anna 1, anna→igor 2 + 1 (with the request as advice: 1.0)


def _flow_of(recs, rows=None, questions=()):
    from sessionscope.analysis.flow import knowledge_flow

    s = make_session(rows or [("igor", 0, 10, "Покажите, как это настроить."), ("anna", 10, 20, "Конечно, смотрите.")],
                     roles={"anna": "junior", "igor": "senior"}, language="ru", sid="flow")
    return knowledge_flow(dataclasses.replace(s, recommendations=recs, questions=questions)).explanation_matrix


def _req(text: str = "Покажите, как это настроить.", **kw):
    from sessionscope.model import Recommendation

    return Recommendation("rec-001", "u0001", 0.0, kw.pop("giver", "igor"), kw.pop("receiver", "anna"), text,
                          request=True, **kw)


def test_a_request_taken_up_at_once_is_an_explanation_by_the_one_asked() -> None:
    from sessionscope.model import Question

    assert _flow_of((_req(),)) == {"all": {"anna": {"igor": 1}}}
    assert _flow_of((_req(to_check=True),)) == {}  # unsure: listed, not counted
    assert _flow_of((_req(receiver=None),)) == {}  # to the whole group: nobody in particular was asked
    assert _flow_of((_req("И вечером расскажите, как прошло."),)) == {}  # for later: the next turn is no answer
    assert _flow_of((_req(), ), rows=[("igor", 0, 10, "Покажите, как это настроить."), ("boris", 10, 20, "Я покажу.")]) == {}
    assert _flow_of((_req(),), rows=[("igor", 0, 10, "Покажите, как это настроить."), ("anna", 10, 20, "")]) == {}
    # a question on the same utterance counts already (once)
    q = Question("q-001", "u0001", 0.0, "igor", "anna", "Покажете, как это настроить?", answered=True,
                 answer_utterance_id="u0002")
    assert _flow_of((_req(),), questions=(q,)) == {"all": {"anna": {"igor": 1}}}
    from sessionscope.model import Recommendation

    advice = Recommendation("rec-001", "u0001", 0.0, "igor", "anna", "Покажите клиенту цифры.")
    assert _flow_of((advice,)) == {}  # advice is no request


def test_the_report_lists_requests_apart() -> None:
    from sessionscope.report.session_md import render_session_markdown

    s, _ = _session()
    md = render_session_markdown(s)
    assert "Просьбы показать, рассказать или прислать (перечислено, но не учитывается как совет)" in md
    listed = md.split("Просьбы показать")[1]
    assert "Покажите, как это настроить." in listed.split("\n#")[0]
    en = render_session_markdown(dataclasses.replace(s, language="en"))
    assert "Requests to be shown, told or sent something (listed, not counted as advice)" in en


def test_the_no_advice_flag_says_what_was_listed() -> None:
    from sessionscope.analysis.flow import compute_flags
    from sessionscope.config import FlagsConfig

    s, _ = _session()
    s = dataclasses.replace(s, recommendations=s.recommendations[:1])
    flag = next(f for f in compute_flags(s, FlagsConfig()) if f.code == "no_recommendations")
    assert "only 1 request to be shown, told or sent something, which is not counted as advice" in flag.message


def test_the_flag_survives_session_json(tmp_path: Path) -> None:
    from sessionscope.model import read_session_json, write_session_json

    s, _ = _session()
    write_session_json(s, tmp_path / "s.json")
    back = read_session_json(tmp_path / "s.json")
    assert [r.request for r in back.recommendations] == [True, False, False, False]
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["recommendations"][0]["request"] is True


def test_the_benchmark_views_count_advice_without_requests(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    pytest.importorskip("dialogue_acts")
    from r22_request import _session_view  # type: ignore[import-not-found]
    from sessionscope.model import write_session_json

    s, _ = _session()
    write_session_json(s, tmp_path / "s.json")
    v = _session_view(tmp_path / "s.json", None)
    assert (v["n_recommendations"], v["n_advice"], v["n_requests"]) == (4, 3, 1)
    assert v["advice_by_giver"] == {"anna": 2, "igor": 1}


@pytest.mark.slow
def test_the_stage_sets_the_flag() -> None:
    pytest.importorskip("spacy")
    pytest.importorskip("natasha")
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.config import ExtractionConfig

    s = make_session([("igor", 0, 10, "Хорошо, попробую. Покажите, как это настроить."),
                      ("anna", 10, 20, "Попробуйте делить задачи на срочные и важные.")],
                     roles={"anna": "junior", "igor": "senior"}, language="ru", sid="stage")
    out = ExtractionStage(ExtractionConfig(classifier=None, dialogue_act_heads=None))(s)
    by_text = {r.text: r.request for r in out.recommendations}
    assert by_text.get("Покажите, как это настроить.") is True
    assert by_text.get("Попробуйте делить задачи на срочные и важные.") is False
    assert [r.text for r in out.advice] == ["Попробуйте делить задачи на срочные и важные."]


@pytest.mark.parametrize(("text", "later"), [
    ("Show me how you set it up.", False),
    ("Tell me how it went.", True),
    ("Send me the link tomorrow.", True),
    ("Покажите, как это настроить.", False),
    ("И вечером расскажите, как прошло.", True),
    ("Расскажите на следующей встрече, что получилось.", True),
])
def test_a_request_for_later(text: str, later: bool) -> None:
    from sessionscope.analysis.extract.request import deferred_request

    assert deferred_request(text) is later

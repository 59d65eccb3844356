"""Round 41 (issue 10): a Russian task taken from the other person's words speaks of its owner as "я".

«Не могли бы вы прислать мне слайды, которые вы показывали на ревью?» — «Да, пришлю сегодня вечером.» gave the task
«прислать вам слайды, которые вы показывали на ревью»: "вам" was the asker, "вы" the owner, and the report printed
«прислать Борису слайды, которые вы показывали на ревью» under Анна's name."""

from __future__ import annotations

import dataclasses

import pytest


@pytest.mark.parametrize(("word", "gender", "want"), [
    ("показывали", "femn", "показывала"), ("показывали", "masc", "показывал"), ("показывали", None, None),
    ("узнаете", None, "узнаю"), ("покажешь", None, "покажу"), ("можете", None, "могу"), ("слайды", None, None),
])
def test_a_verb_said_to_you_in_the_first_person(word: str, gender: str | None, want: str | None) -> None:
    from sessionscope.language.morph import first_person_verb

    assert first_person_verb(word, gender) == want


@pytest.mark.parametrize(("phrase", "informal", "gender", "want"), [
    ("прислать мне слайды, которые у вас есть", False, None, "прислать вам слайды, которые у меня есть"),
    ("прислать мне слайды, которые вы показывали на ревью", False, "femn",
     "прислать вам слайды, которые я показывала на ревью"),
    # the past without a gender stays as said, pronoun and all
    ("прислать мне слайды, которые вы показывали на ревью", False, None,
     "прислать вам слайды, которые вы показывали на ревью"),
    ("записывать, что ты узнаешь от клиента, и показать мне", True, None,
     "записывать, что я узнаю от клиента, и показать тебе"),
    ("попросить своего руководителя дать тебе обратную связь", True, "masc",
     "попросить своего руководителя дать мне обратную связь"),
])
def test_a_phrase_in_the_words_of_the_one_who_takes_it_on(phrase: str, informal: bool, gender: str | None,
                                                          want: str) -> None:
    from sessionscope.analysis.extract.accept import _ru_to_speaker

    assert _ru_to_speaker(phrase, informal=informal, gender=gender) == want


_CALL = [
    ("boris", 0.0, 5.0, "Вам стоит записывать, что вы узнали, после каждого звонка клиенту."),
    ("anna", 5.5, 7.0, "Хорошая идея, попробую."),
    ("boris", 7.5, 12.0, "Не могли бы вы прислать мне слайды, которые вы показывали на ревью?"),
    ("anna", 12.5, 15.0, "Да, пришлю сегодня вечером."),
]


def test_the_stage_and_the_report_on_a_russian_call() -> None:
    from helpers import make_session
    from sessionscope.analysis.extract.stage import ExtractionStage
    from sessionscope.model import Participant, Role
    from sessionscope.report.tasktext import task_for_reader

    session = make_session(_CALL, roles={"anna": "junior", "boris": "senior"}, language="ru")
    session = dataclasses.replace(session, participants=(Participant("anna", "Анна Смирнова", Role.JUNIOR),
                                                         Participant("boris", "Борис Иванов", Role.SENIOR)))
    out = ExtractionStage()(session)
    got = {a.utterance_id: a for a in out.action_items}
    assert got["u0002"].task == "записывать, что я узнала, после каждого звонка клиенту"
    assert got["u0004"].task == "прислать вам слайды, которые я показывала на ревью"
    assert task_for_reader(got["u0004"], out, language="ru") == "прислать Борису Иванову слайды, которые я показывала на ревью"

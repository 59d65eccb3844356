"""Round 56: Russian flag messages translated clause by clause (``report.i18n.translate_flag``)."""

from __future__ import annotations

from sessionscope.report.i18n import FLAG_CLAUSES_RU, translate_flag


def test_a_message_of_several_clauses_is_translated_clause_by_clause():
    msg = ("2 action items found (at least 3 expected); 2 more marked to check are not counted (confirm them); by their "
           "confidences, the chance that at least 1 of the 2 listed is a task: 42%; 3 moves within the meeting itself "
           "are listed but not counted as tasks")
    assert translate_flag(msg, "ru") == (
        "найдено задач: 2 (ожидается не меньше 3); не учтено с пометкой «проверить»: 2 (подтвердите их); вероятность по "
        "их уверенности, что хотя бы 1 из 2 перечисленных — задачи: 42 %; действия в ходе самой встречи (3) "
        "перечислены, но задачами не считаются")
    assert translate_flag(msg, "en") == msg


def test_a_count_with_items_to_check_and_nothing_else_is_translated():
    # until round 56 this combination had no pattern and the Russian report's cell was empty
    assert translate_flag("0 action items found (at least 1 expected); 1 marked to check is not counted (confirm it)",
                          "ru") == "найдено задач: 0 (ожидается не меньше 1); не учтено с пометкой «проверить»: 1 (подтвердите их)"


def test_each_clause_agrees_with_its_own_name():
    msg = ("senior Игорь Петрович Волков interrupted junior Анна Смирнова 1 time (0.5 per 10 min); junior Анна Смирнова "
           "interrupted Игорь Петрович Волков 2 times: the interruptions went both ways")
    ru = translate_flag(msg, "ru")
    assert ru.startswith("старший (Игорь Петрович Волков) перебивал младшую (Анна Смирнова)")
    # the junior's own verb (it took the senior's gender until round 56)
    assert "младшая (Анна Смирнова) перебивала старшего (Игорь Петрович Волков): 2; перебивали друг друга" in ru


def test_an_unknown_clause_leaves_the_cell_empty_rather_than_half_english():
    assert translate_flag("3 action items found (at least 4 expected); something new happened", "ru") == ""
    assert translate_flag("an unknown message", "ru") == ""
    assert len(FLAG_CLAUSES_RU) == 6

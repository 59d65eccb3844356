"""Round 24 (lead): task phrases as the report shows them; a Russian object said before its verb."""

from __future__ import annotations

from sessionscope.analysis.extract.actions import _ru_object_before
from sessionscope.language.nlp import Sentence, Token
from sessionscope.model import ActionItem, Participant, Role, Session, Utterance
from sessionscope.report.tasktext import task_for_reader


def _pair(text: str, speaker: str, *, lang: str = "en", third: bool = False) -> Session:
    names = ("Maya Chen", "Robert Hale") if lang == "en" else ("Анна Смирнова", "Игорь Волков")
    parts = [Participant("m", names[0], Role.JUNIOR), Participant("r", names[1], Role.SENIOR)]
    if third:
        parts.append(Participant("x", "Kim Lee", Role.OTHER))
    return Session(id="s", language=lang, participants=tuple(parts), utterances=(Utterance("u1", speaker, text, 0.0, 3.0),))


def _item(task: str, owner: str) -> ActionItem:
    return ActionItem(id="a1", utterance_id="u1", start=0.0, owner=owner, task=task)


def test_you_and_me_become_the_other_persons_name() -> None:
    s = _pair("I'll send you a short guide.", "m")
    assert task_for_reader(_item("send you a short guide", "m"), s) == "send Robert Hale a short guide"
    s = _pair("Deal, send me the timeline by the end of the month.", "r")
    assert task_for_reader(_item("send me the timeline", "m"), s) == "send Robert Hale the timeline"
    assert task_for_reader(_item("join the community you mentioned", "m"), _pair("x", "m")) == \
        "join the community Robert Hale mentioned"
    assert task_for_reader(_item("share your notes", "m"), _pair("x", "m")) == "share Robert Hale's notes"


def test_pronouns_of_the_owner_and_of_groups_stay_as_said() -> None:
    s = _pair("Can you send your draft?", "r")
    assert task_for_reader(_item("send your draft", "m"), s) == "send your draft"  # "your" is the owner's own
    s = _pair("I'll send you the deck.", "m", third=True)
    assert task_for_reader(_item("send you the deck", "m"), s) == "send you the deck"  # whom "you" means is a guess
    s = _pair("I'll send you the deck.", "unknown-speaker")
    assert task_for_reader(_item("send you the deck", "m"), s) == "send you the deck"


def test_russian_pronouns_become_the_name_in_their_case() -> None:
    s = _pair("Пришлите мне ссылку на доску.", "r", lang="ru")
    assert task_for_reader(_item("Пришлите мне ссылку на доску", "m"), s, language="ru") == \
        "Пришлите Игорю Волкову ссылку на доску"
    s = _pair("Я вернусь к тебе с вариантами.", "m", lang="ru")
    assert task_for_reader(_item("вернусь к тебе с вариантами", "m"), s, language="ru") == \
        "вернусь к Игорю Волкову с вариантами"
    assert task_for_reader(_item("поделюсь с тобой планом", "m"), s, language="ru") == \
        "поделюсь с Игорем Волковым планом"
    assert task_for_reader(_item("узнаю у тебя адрес", "m"), s, language="ru") == "узнаю у Игоря Волкова адрес"


def _sentence(words: list[tuple[str, str, str]]) -> Sentence:
    """A parsed Russian sentence from (word, pos, VerbForm) triples, separated by single spaces."""
    toks, pos, text = [], 0, ""
    for w, p, vf in words:
        if text and p != "PUNCT":
            text += " "
            pos += 1
        toks.append(Token(text=w, lemma=w.lower(), pos=p, idx=pos, feats={"VerbForm": vf} if vf else {}))
        text += w
        pos += len(w)
    return Sentence(text=text, start_char=0, end_char=len(text), tokens=tuple(toks), language="ru")


def test_russian_object_before_its_verb_is_part_of_the_task() -> None:
    s = _sentence([("Отчёты", "NOUN", ""), ("по", "ADP", ""), ("проектам", "NOUN", ""), ("я", "PRON", ""),
                   ("создам", "VERB", "Fin"), ("до", "ADP", ""), ("среды", "NOUN", ""), (".", "PUNCT", "")])
    start = s.text.index("создам")
    assert _ru_object_before(s, start, None) == "Отчёты по проектам"  # the subject "я" left out
    s = _sentence([("Шаблон", "NOUN", ""), ("завтра", "ADV", ""), ("пришлю", "VERB", "Fin")])
    due = (s.text.index("завтра"), s.text.index("завтра") + len("завтра"))
    assert _ru_object_before(s, s.text.index("пришлю"), due) == "Шаблон"  # the due date is the item's
    # no noun before the verb, a frame before an infinitive, a clause boundary: nothing taken
    s = _sentence([("Можно", "ADV", ""), ("я", "PRON", ""), ("тоже", "ADV", ""), ("спрошу", "VERB", "Fin")])
    assert _ru_object_before(s, s.text.index("спрошу"), None) == ""
    s = _sentence([("Ваша", "DET", ""), ("задача", "NOUN", ""), ("—", "PUNCT", ""), ("спросить", "VERB", "Inf")])
    assert _ru_object_before(s, s.text.index("спросить"), None) == ""
    s = _sentence([("Ссылки", "NOUN", ""), (",", "PUNCT", ""), ("посмотрю", "VERB", "Fin")])
    assert _ru_object_before(s, s.text.index("посмотрю"), None) == ""


def test_the_balance_label_says_what_is_even_for_the_group() -> None:
    import dataclasses

    from sessionscope.report.session_md import render_session_markdown
    from test_report_data import full_session

    s = full_session()
    assert "50 % is even for a pair" in render_session_markdown(s)
    m = s.metrics
    three = s.evolve(metrics=dataclasses.replace(m, participants={**m.participants, "kim": dict(m.participants["anna"])}))
    md = render_session_markdown(three)
    assert "33 % is even for 3 people" in md and "for a pair" not in md
    assert "для 3 человек 33 % — поровну" in render_session_markdown(three.evolve(language="ru"))


def test_topic_initiator_counts_words_as_the_metrics_do() -> None:
    from sessionscope.analysis.topics.stage import initiator

    utts = (Utterance("u1", "m", "{vocalsound} {disfmarker} okay so", 0.0, 1.0),  # 2 words, not 4
            Utterance("u2", "r", "let's talk about the budget now", 1.0, 3.0))
    assert initiator(utts) == "r"


def test_the_package_exports_what_the_readme_uses() -> None:
    import sessionscope as ss
    from sessionscope import api, errors
    from sessionscope.engines.base import EngineError

    assert ss.with_participants is api.with_participants
    for name in ("ConfigError", "InputError", "ManifestError", "AudioError", "ModelError", "StageError"):
        assert getattr(ss, name) is getattr(errors, name) and issubclass(getattr(ss, name), ss.SessionscopeError)
    assert ss.EngineError is EngineError


def test_an_unmatched_participant_warning_speaks_cli_and_python(caplog) -> None:
    import logging

    from sessionscope.io.manifest import apply_manifest, entry_from_options

    s = Session(id="s", participants=(Participant("kathy", "Kathy", Role.OTHER),),
                utterances=(Utterance("u1", "kathy", "Hello there.", 0.0, 1.0),))
    with caplog.at_level(logging.WARNING, logger="sessionscope.io.manifest"):
        apply_manifest(s, entry_from_options(["Anna=junior"]))
    text = caplog.text
    assert "-p Kathy=ROLE" in text and "participants={'Kathy': ROLE}" in text


def test_a_coordinated_russian_object_before_its_verb_is_kept_whole() -> None:
    """Round 52: «А я отчёты и презентации пришлю к пятнице» read «презентации пришлю» (the walk back stopped at «и»);
    the bundled example's «а чат и по проектам создам до среды» read «по проектам создам»."""
    s = _sentence([("Отчёты", "NOUN", ""), ("и", "CCONJ", ""), ("презентации", "NOUN", ""), ("пришлю", "VERB", "Fin")])
    assert _ru_object_before(s, s.text.index("пришлю"), None) == "Отчёты и презентации"
    s = _sentence([("а", "CCONJ", ""), ("чат", "NOUN", ""), ("и", "CCONJ", ""), ("по", "ADP", ""),
                   ("проектам", "NOUN", ""), ("создам", "VERB", "Fin")])
    assert _ru_object_before(s, s.text.index("создам"), None) == "чат и по проектам"  # not the leading «а»
    # «и» as "even / also" after the subject, or right before the verb: no coordinated object
    s = _sentence([("я", "PRON", ""), ("и", "PART", ""), ("отчёт", "NOUN", ""), ("пришлю", "VERB", "Fin")])
    assert _ru_object_before(s, s.text.index("пришлю"), None) == "отчёт"
    s = _sentence([("Отчёт", "NOUN", ""), ("и", "CCONJ", ""), ("пришлю", "VERB", "Fin")])
    assert _ru_object_before(s, s.text.index("пришлю"), None) == ""
    s = _sentence([("Игорь", "PROPN", ""), ("или", "CCONJ", ""), ("я", "PRON", ""), ("пришлю", "VERB", "Fin")])
    assert _ru_object_before(s, s.text.index("пришлю"), None) == ""  # the subject's conjunction, no object after it


def test_an_owner_named_as_the_subject_leaves_the_task_phrase() -> None:
    """Round 52: a chair's "Lee is going to call the client" under owner Lee read "Lee is going to call the client"."""
    from sessionscope.analysis.extract.actions import without_owner_subject

    assert without_owner_subject("Lee is going to call the client", ["Lee"]) == "call the client"
    assert without_owner_subject("Sam will prepare the budget slides", ["Sam Park", "Sam", "sam"]) == \
        "prepare the budget slides"
    assert without_owner_subject("Lee's going to check it", ["Lee"]) == "check it"
    assert without_owner_subject("The Industrial Designer is going to work on the design",
                                 ["Industrial Designer", "industrial-designer"]) == "work on the design"
    assert without_owner_subject("the User Interface Designer is going to do the functions",
                                 ["User Interface", "user interface"]) == "do the functions"
    # another person named, no modal frame after the name, nothing after the frame: unchanged
    assert without_owner_subject("Sam will call Lee", ["Lee"]) == "Sam will call Lee"
    assert without_owner_subject("Lee's report to the board", ["Lee"]) == "Lee's report to the board"
    assert without_owner_subject("Lee will", ["Lee"]) == "Lee will"
    assert without_owner_subject("call the client", ["Lee"]) == "call the client"


def test_a_passive_task_keeps_its_be_and_be_able_to_is_a_frame() -> None:
    """Round 52: "You will be sent a transcript following the meeting to check for accuracy" read "sent a transcript…"
    under the one who will receive it, as if they had sent it."""
    from sessionscope.analysis.extract.actions import task_start

    def task(text: str) -> str:
        return text[task_start(text, "en"):]

    assert task("You will be sent a transcript to check for accuracy.") == "be sent a transcript to check for accuracy."
    assert task("I'll be asked to present the results.") == "be asked to present the results."
    assert task("I'll be able to send it by Friday.") == "send it by Friday."
    assert task("You'll be presenting the slides.") == "presenting the slides."  # not a passive: as before
    assert task("We will send it tomorrow.") == "send it tomorrow."

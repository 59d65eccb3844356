"""Redaction: names → role labels everywhere, e-mails / phones / NER person names masked."""

from __future__ import annotations

import json

import pytest

from sessionscope.model import Participant, Role, Session, Utterance, session_to_dict
from sessionscope.report.redact import (
    EMAIL,
    PHONE,
    SALT_FILE,
    TextRedactor,
    load_or_create_salt,
    redact_session,
    redacted_id,
    role_labels,
)
from sessionscope.report.session_html import render_session_html
from sessionscope.report.session_md import render_session_markdown
from sessionscope.report.tables import session_tables
from test_report_data import full_session


@pytest.mark.parametrize("text", ["anna.s@example.com", "a+b@mail.co.uk", "иван@почта.рф"])
def test_email_pattern(text: str) -> None:
    assert EMAIL.fullmatch(text)


@pytest.mark.parametrize("text", ["+1 415 555 0132", "+7 (495) 123-45-67", "8 916 123 45 67", "020 7946 0018"])
def test_phone_pattern(text: str) -> None:
    assert PHONE.search(f"call {text} now").group(0).strip() == text


@pytest.mark.parametrize("text", ["in 2026", "at 10:30", "version 3.8.0", "room 12"])
def test_phone_pattern_spares_numbers(text: str) -> None:
    assert PHONE.search(text) is None


def test_role_labels_number_duplicates() -> None:
    s = Session(id="x", participants=(Participant("a", "A", Role.JUNIOR), Participant("b", "B", Role.JUNIOR),
                                      Participant("c", "C", Role.SENIOR)), language="en")
    assert role_labels(s) == {"a": ("junior-1", "Junior 1"), "b": ("junior-2", "Junior 2"), "c": ("senior", "Senior")}


def test_rules_replace_known_names_and_russian_inflections() -> None:
    r = TextRedactor({"Анна Смирнова": "Младший", "Борис Иванов": "Старший"}, language="ru", ner=False)
    out = r.rules("Я попросила Анну и Бориса Иванова, а Смирновой написала на anna@example.com")
    assert "Анн" not in out and "Борис" not in out and "Смирнов" not in out and "@" not in out
    assert "Младший" in out and "Старший" in out and "[email]" in out
    en = TextRedactor({"Anna Smirnova": "Junior"}, language="en", ner=False)
    assert en.rules("Anna's plan; ANNA agreed") == "Junior plan; Junior agreed"
    assert en.rules("Annabel came") == "Annabel came"  # not a prefix match in English


def test_redact_session_without_ner_removes_every_name_and_id() -> None:
    s = full_session()
    r = redact_session(s, ner=False)
    blob = json.dumps(session_to_dict(r), ensure_ascii=False)
    for secret in ("Anna", "Boris", "Smirnova", "Ivanov", "anna.s@example.com", "415 555", '"anna"', '"boris"'):
        assert secret not in blob, secret
    assert [p.id for p in r.participants] == ["junior", "senior"]
    assert [p.name for p in r.participants] == ["Junior", "Senior"]
    assert r.recommendations[0].giver == "junior" and r.action_items[0].owner == "senior"
    assert set(r.metrics.participants) == {"junior", "senior"}
    assert r.metrics.participants["junior"]["talk_share"] == s.metrics.participants["anna"]["talk_share"]
    # the production shape matrix[area][giver][receiver]: ids renamed at the giver and receiver levels only
    assert s.knowledge_flow.matrix["tools"] == {"anna": {"boris": 1}}
    assert r.knowledge_flow.matrix["tools"] == {"junior": {"senior": 1}}
    assert r.knowledge_flow.matrix["clients"] == {"senior": {"junior": 1}}
    assert r.knowledge_flow.recommendation_matrix["time"] == {"senior": {"junior": 1}}
    assert r.knowledge_flow.explanation_matrix["all"] == {"junior": {"senior": 1}, "senior": {"junior": 1}}
    assert r.knowledge_flow.mutuality_index == s.knowledge_flow.mutuality_index
    assert all(not u.words for u in r.utterances) and r.source is None
    assert r.extra["redacted"] is True
    assert r.utterances[0].text.startswith("Hi Senior,")


def test_ids_containing_names_are_hashed() -> None:
    s = full_session().evolve(id="2026-03-02-anna-boris", pair_id="anna-smirnova+boris")
    r = redact_session(s, ner=False)
    assert r.id.startswith("session-") and "anna" not in r.id
    assert r.pair_id.startswith("pair-") and r.pair_id == redact_session(s, ner=False).pair_id  # stable
    kept = redact_session(full_session(), ner=False)
    assert kept.id == "s1" and kept.pair_id == "pair-a"


def test_hashed_ids_are_salted_and_not_guessable(tmp_path) -> None:
    import hashlib
    import stat

    s = full_session().evolve(id="2026-03-02-anna-boris", pair_id="anna-smirnova+boris")
    unsalted = hashlib.sha256(b"anna-smirnova+boris").hexdigest()
    salt = load_or_create_salt(tmp_path)
    assert load_or_create_salt(tmp_path) == salt and len(salt) >= 16  # kept: reruns give the same ids
    assert stat.S_IMODE((tmp_path / SALT_FILE).stat().st_mode) == 0o600
    a = redact_session(s, ner=False, salt=salt)
    assert a.pair_id == redact_session(s, ner=False, salt=salt).pair_id
    assert unsalted[:8] not in a.pair_id and unsalted[:16] not in a.pair_id
    other = redact_session(s, ner=False, salt=load_or_create_salt(tmp_path / "other"))
    assert other.pair_id != a.pair_id and other.id != a.id  # another programme cannot link them
    assert redacted_id("pair", "x", b"k" * 32) == redacted_id("pair", "x", b"k" * 32) != redacted_id("pair", "x")


def test_email_pattern_is_linear_on_long_cues() -> None:
    import signal

    def hang(*_):  # a hang guard, not a speed assertion: the old pattern took ~30 s here
        raise TimeoutError("e-mail masking did not finish within 10 s")

    old = signal.signal(signal.SIGALRM, hang)
    signal.alarm(10)
    try:
        text = "a." * 30000 + " write to anna.s@example.com"
        out = TextRedactor({}, ner=False).rules(text)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert out.endswith("write to [email]")


def test_redacted_outputs_carry_no_names() -> None:
    r = redact_session(full_session(), ner=False)
    html = render_session_html(r, redacted=True)
    md = render_session_markdown(r, redacted=True)
    for text in (html, md):
        assert "Anna" not in text and "Boris" not in text and "example.com" not in text
    assert "redacted copy" in md
    tables = session_tables([r])
    flat = " ".join(df.astype(str).to_csv() for df in tables.values())
    assert "Anna" not in flat and "Boris" not in flat


@pytest.mark.slow
def test_ner_masks_other_people_english() -> None:
    r = redact_session(full_session())
    texts = " ".join(u.text for u in r.utterances)
    assert "Maria" not in texts and "[name]" in texts
    assert "[phone]" in texts and "[email]" in texts
    assert "CRM" in texts  # not taken for a name


@pytest.mark.slow
def test_ner_masks_other_people_russian() -> None:
    parts = (Participant("a", "Анна Смирнова", Role.JUNIOR), Participant("b", "Борис Иванов", Role.SENIOR))
    utts = (Utterance("u1", "a", "Мне советовал Пётр Сергеевич Кузнецов из отдела продаж."),
            Utterance("u2", "b", "Позвоните Анне по номеру +7 916 123-45-67."))
    r = redact_session(Session(id="ru", participants=parts, utterances=utts, language="ru"))
    assert "Кузнецов" not in r.utterances[0].text and "[name]" in r.utterances[0].text
    assert r.utterances[1].text == "Позвоните Младший по номеру [phone]."


def test_unmapped_speaker_labels_and_manifest_notes_are_redacted() -> None:
    from sessionscope.model import DataQuality

    s = full_session()
    extra_utt = Utterance("u9999", "Maria K", "Sorry, Maria K here, I joined late.", 600.0, 603.0)
    s = s.evolve(utterances=s.utterances + (extra_utt,),
                 quality=DataQuality(unmapped_speaker_labels=("Maria K",), notes=("Maria K was not in the manifest",)),
                 extra={"manifest_notes": "Anna asked to reschedule", "topics_planned": ["tools"]})
    r = redact_session(s, ner=False)
    blob = json.dumps(session_to_dict(r), ensure_ascii=False)
    assert "Maria" not in blob and "Anna" not in blob
    assert r.utterances[-1].speaker == "speaker-1" and r.quality.unmapped_speaker_labels == ("speaker-1",)
    assert r.extra["topics_planned"] == ["tools"]


@pytest.mark.parametrize(("value", "names"), [
    ("Звонок-с-Борисом-12.03", ["Борисом"]),  # Cyrillic, any case
    ("session_03_yulia", ["yulia"]), ("dmitry-call", ["dmitry"]), ("olga_2026-03-05", ["olga"]),  # Latin spellings
    ("weekly-sync-2026-03-05", []), ("mentoring-session-3", []), ("ES2002d", []), ("vera-notes", ["vera"]),
    ("Roman-review", []),  # "роман" is a novel far more often than a name
])
def test_first_names_in_ids(value: str, names: list[str]) -> None:
    from sessionscope.report.redact import id_first_names

    assert id_first_names(value) == names


def test_ids_naming_someone_never_named_are_hashed() -> None:
    parts = (Participant("a", "Анна Смирнова", Role.JUNIOR), Participant("b", "Игорь Волков", Role.SENIOR))
    s = Session(id="Звонок-с-Борисом-12.03", pair_id="pair-3", participants=parts, language="ru",
                utterances=(Utterance("u1", "a", "Добрый день."),))
    r = redact_session(s, ner=False)
    assert r.id.startswith("session-") and "Борис" not in r.id
    assert r.pair_id == "pair-3"  # names nobody: kept readable


@pytest.mark.slow
def test_ids_holding_a_name_the_talk_mentions_are_hashed() -> None:
    s = full_session()
    s = s.evolve(id="weekly-sync-heather",
                 utterances=s.utterances + (Utterance("u9998", "anna", "Heather Smith sent the slides.", 590.0, 593.0),))
    r = redact_session(s)
    assert r.id.startswith("session-") and "heather" not in r.id
    assert redact_session(s.evolve(id="weekly-sync-3")).id == "weekly-sync-3"

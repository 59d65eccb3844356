"""Round 21, lead: what the audit of `run`'s outputs on development audio found in the text stages (F1, F8).

F1: on recognised audio a question was "answered" by a 0.27 s blip the transcription left without words, and a
1.5 s word-less turn counted as an explanation in the knowledge flow ("Knowledge flowed both ways" with no words
behind it). F8: "the session lasts 1:09 (… at least 60 min)" read as an hour. Model-free.
"""

from __future__ import annotations

from dataclasses import replace

from helpers import make_session
from sessionscope.analysis.flow import compute_flags, knowledge_flow
from sessionscope.analysis.questions import WORDLESS_ANSWER_MIN_S, find_questions, wordless_blip
from sessionscope.config import FlagsConfig
from sessionscope.model import Question


def _answered_by(rows: list[tuple[str, float, float, str]]) -> list[str | None]:
    s = make_session(rows)
    events = find_questions(s.utterances, language="en", backchannels=["yeah", "mm"], head=None, answer_head=None)
    return [e.answer_utterance_id for e in events]


def test_a_wordless_blip_answers_no_question_in_a_transcribed_session() -> None:
    rows = [("kim", 0.0, 3.0, "What's the password for the server?"),
            ("rob", 3.1, 3.4, ""),  # 0.3 s the transcription left empty
            ("rob", 5.0, 8.0, "It's in the shared vault.")]
    assert _answered_by(rows) == ["u0003"]
    # the same blip at 1 s or more is speech that may answer (words lost, talk kept)
    longer = [rows[0], ("rob", 3.0, 3.0 + WORDLESS_ANSWER_MIN_S, ""), rows[2]]
    assert _answered_by(longer) == ["u0002"]


def test_wordless_speech_still_answers_when_the_session_has_no_text_at_all() -> None:
    s = make_session([("kim", 0.0, 3.0, ""), ("rob", 3.1, 3.4, "")])
    assert not wordless_blip(s.utterances[1], s.utterances)  # RTTM input: nothing else to go by
    t = make_session([("kim", 0.0, 3.0, "Hello there."), ("rob", 3.1, 3.4, "")])
    assert wordless_blip(t.utterances[1], t.utterances)
    u = make_session([("kim", "Hello there."), ("rob", "")])
    assert not wordless_blip(u.utterances[1], u.utterances)  # untimed: no duration to judge


def test_an_answer_without_words_is_no_explanation_in_the_flow() -> None:
    s = make_session([("kim", 0.0, 3.0, "What's the password for the server?"),
                      ("rob", 3.1, 4.6, ""),
                      ("rob", 5.0, 8.0, "Why did you ask me?"),
                      ("kim", 8.1, 10.0, "Because the deploy needs it.")], roles={"kim": "junior", "rob": "senior"})
    qs = (Question("q-001", "u0001", 0.0, "kim", "rob", "What's the password for the server?", True, "u0002", 0.9),
          Question("q-002", "u0003", 5.0, "rob", "kim", "Why did you ask me?", True, "u0004", 0.9))
    flow = knowledge_flow(s.evolve(questions=qs))
    ex = flow.explanation_matrix
    assert sum(n for rows in ex.values() for row in rows.values() for n in row.values()) == 1
    assert any(row.get("rob") == 1 for rows in ex.values() for g, row in rows.items() if g == "kim")
    # with words the same answer is an explanation
    worded = s.evolve(utterances=tuple(u if u.id != "u0002" else replace(u, text="It's in the vault.")
                                       for u in s.utterances), questions=qs)
    ex2 = knowledge_flow(worded).explanation_matrix
    assert sum(n for rows in ex2.values() for row in rows.values() for n in row.values()) == 2


def test_short_session_flag_names_its_unit() -> None:
    s = make_session([("kim", 0.0, 30.0, "hello"), ("rob", 30.0, 69.0, "hi")], duration=69.0)
    flag = next(f for f in compute_flags(s, FlagsConfig()) if f.code == "short_session")
    assert flag.message == "the session lasts 1:09 min (the guide asks for at least 60 min)"


def _three(carl_words: int, carl_s: float, *, asr: str | None = "tiny.en"):
    from sessionscope.analysis.dynamics import compute_metrics
    from sessionscope.config import DynamicsConfig
    from sessionscope.model import DataQuality, Participant, Role, Session, Utterance

    utts = (Utterance("u0001", "diane", " ".join(["said"] * 40), 0.0, 14.0),
            Utterance("u0002", "carl", " ".join(["so"] * carl_words), 14.0, 14.0 + carl_s),
            Utterance("u0003", "sheila", " ".join(["said"] * 40), 15.0 + carl_s, 29.0 + carl_s))
    s = Session(id="s", participants=(Participant("diane", "Diane", Role.JUNIOR), Participant("sheila", "Sheila", Role.SENIOR),
                                      Participant("carl", "Carl", Role.OTHER)),
                utterances=utts, language="en", duration_s=30.0 + carl_s)
    s = s.evolve(metrics=compute_metrics(s, DynamicsConfig()))
    return s.evolve(quality=DataQuality(asr_model=asr, speaker_mapping_method="order"))


def test_a_sliver_of_a_voice_named_as_a_participant_is_said() -> None:
    """F7: three names on the two-person pyannote sample gave "Carl (other) 3 %" with 1 word and no caveat."""
    from sessionscope.report.session_md import render_session_markdown
    from sessionscope.report.view import tiny_voices

    s = _three(1, 0.9)
    assert [(n, w) for n, _t, _s, w in tiny_voices(s)] == [("Carl", 1)]
    quality = render_session_markdown(s).split("## Data quality")[1]
    assert "Carl: 0:01 of talk time (3 %), recognised words: 1. Either Carl hardly spoke" in quality, quality
    ru = render_session_markdown(s.evolve(language="ru")).split("## Качество данных")[1]
    assert "либо голосов в записи меньше, чем названо участников" in ru
    assert tiny_voices(_three(30, 10.0)) == []  # a real third voice
    assert tiny_voices(_three(1, 0.9, asr=None)) == []  # an imported transcript


def test_a_recording_loaded_outside_a_batch_records_its_speaker_count_source(monkeypatch, tmp_path) -> None:
    """The audit: `ss.run()` never went through batch.py, so its sessions never said the count was estimated."""
    import sessionscope.audio.pipeline as audio_pipeline
    from sessionscope.batch import BatchItem
    from sessionscope.inputs import load_recording_item
    from sessionscope.model import DataQuality
    from sessionscope.runspec import build_run_spec

    def fake_transcribe_file(path, **kwargs):
        s = make_session([("SPEAKER_00", 0.0, 3.0, "hello there"), ("SPEAKER_01", 3.0, 5.0, "hi")])
        return s.evolve(quality=DataQuality(asr_model="tiny.en"),
                        extra={"audio": {"diarization": "pyannote-seg3-local+campplus+agglomerative+overlap"}})

    monkeypatch.setattr(audio_pipeline, "transcribe_file", fake_transcribe_file)
    wav = tmp_path / "call.wav"
    wav.write_bytes(b"")
    item = BatchItem(path=wav, session_id="call", entry=None)
    estimated = load_recording_item(item, build_run_spec("run"))
    assert estimated.extra["speaker_count"] == "estimated"
    given = load_recording_item(item, build_run_spec("run", speakers=2))
    assert given.extra["speaker_count"] == "given"


def test_the_russian_dashboard_dates_its_trends_in_russian() -> None:
    """ruaudit: the charts write Russian months when asked; the dashboard did not ask."""
    import datetime as dt

    from sessionscope.report.dashboard import render_dashboard
    from sessionscope.report.programme import build_programme
    from test_report_data import full_session

    day = dt.date(2026, 11, 9)
    sessions = [full_session(sid=f"s{k}", date=day + dt.timedelta(days=14 * k)) for k in range(3)]
    prog = build_programme(sessions, encoder=None, goal_vectors=None)
    ru, en = render_dashboard(prog, language="ru"), render_dashboard(prog)
    assert "ноя" in ru and "Nov" not in ru.split("<svg", 1)[1]
    assert "Nov" in en


def test_one_recognised_word_in_the_singular() -> None:
    """ruaudit: the sparse-words note could read "only 1 recognised words"."""
    from sessionscope.report.session_md import render_session_markdown
    from test_r21_audit import _call

    quality = render_session_markdown(_call(1)).split("## Data quality")[1]
    assert "but only 1 recognised word (2 a minute" in quality, quality
    assert "распознанных слов лишь 1 (" in render_session_markdown(_call(1).evolve(language="ru"))


def test_russian_verbs_agree_with_the_named_person() -> None:
    """ruaudit: «Разговор вёл(а) Анна Смирнова», «Игорь Петрович дал(а) 3 из 4 рекомендаций»."""
    from sessionscope.report.i18n import Translator, agree, russian_gender, translate_flag

    assert russian_gender("Анна Смирнова") == "femn" and russian_gender("Игорь Петрович") == "masc"
    assert russian_gender("Саша") is None and russian_gender("SPEAKER_00") is None and russian_gender("Tom") is None
    t = Translator("ru")
    assert t("bal_led", name="Анна Смирнова", share="70 %", unit="времени речи").startswith("Разговор вела Анна")
    assert t("bal_led", name="Игорь Петрович", share="70 %", unit="времени речи").startswith("Разговор вёл Игорь")
    assert "вёл(а) Саша" in t("bal_led", name="Саша", share="70 %", unit="времени речи")  # either: left as it was
    assert agree("больше всех говорил(а) Мария", "Мария") == "больше всех говорила Мария"
    flag = translate_flag("senior Игорь Петрович interrupted junior Анна 3 times (1.5 per 10 min)", "ru")
    assert flag.startswith("старший (Игорь Петрович) перебивал младшую (Анна)"), flag
    assert translate_flag("Анна gave 3 of 4 recommendations (75%)", "ru").startswith("Анна дала 3 из 4")

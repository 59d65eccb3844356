"""Reports on real conversations: the Santa Barbara Corpus transcripts in ../shared/data (25–29 min each)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from sessionscope.analysis.dynamics import compute_metrics
from sessionscope.config import DynamicsConfig
from sessionscope.model import Participant, Role, Session, Utterance
from sessionscope.report.programme import build_programme
from sessionscope.report.redact import redact_session
from sessionscope.report.session_html import render_session_html
from sessionscope.report.session_md import render_session_markdown
from sessionscope.report.tables import session_tables


def read_stm(path: Path, *, pair: str, date: dt.date) -> Session:
    """A timed, speaker-attributed session from an STM file (first two speakers as junior/senior)."""
    utts, speakers = [], {}
    for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines()):
        parts = line.split(maxsplit=5)
        if len(parts) < 6 or line.startswith(";;"):
            continue
        _f, _ch, spk, start, end, text = parts
        speakers.setdefault(spk, spk.split("_", 1)[-1].title())
        utts.append(Utterance(f"u{n:05d}", spk, text, float(start), float(end)))
    roles = [Role.JUNIOR, Role.SENIOR] + [Role.OTHER] * 20
    people = tuple(Participant(pid, name, roles[i]) for i, (pid, name) in enumerate(speakers.items()))
    s = Session(id=path.stem, participants=people, utterances=tuple(utts), language="en", pair_id=pair, date=date)
    return s.evolve(metrics=compute_metrics(s, DynamicsConfig()))


@pytest.fixture(scope="module")
def sbc(shared_data: Path) -> list[Session]:
    files = sorted((shared_data / "sbcsae-text-refs").glob("*.stm"))
    assert files, "sbcsae-text-refs has no STM files"
    return [read_stm(f, pair="sbc", date=dt.date(2026, 1, 5) + dt.timedelta(days=7 * i)) for i, f in enumerate(files)]


def test_session_reports_of_real_conversations(sbc: list[Session]) -> None:
    for s in sbc:
        html = render_session_html(s)
        md = render_session_markdown(s)
        assert html.count("<svg") == 2
        for p in s.participants:
            assert p.name in html and p.name in md
        # the timeline has a bar for every timed utterance, in one group per speaker row
        rows = re.findall(r'<g id="timeline-[^"]*-row-\d+"[^>]*>(.*?)</g>', html)
        assert len(rows) == len(s.participants)
        assert sum(row.count("<rect") for row in rows) == sum(u.timed for u in s.utterances)
        top = max(s.participants, key=lambda p: s.metrics.participants[p.id]["talk_share"])
        assert f"{top.name} ({top.role.value})" in md.split("## Who drove the conversation")[1].split("\n\n")[1]


@pytest.mark.slow
def test_redaction_on_real_transcript(sbc: list[Session]) -> None:
    s = sbc[0]
    r = redact_session(s)
    names = [p.name for p in s.participants]
    text = " ".join(u.text for u in r.utterances)
    for name in names:
        assert not re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE), name
    assert len(r.utterances) == len(s.utterances)
    assert r.metrics.session["balance_score"] == s.metrics.session["balance_score"]
    md = render_session_markdown(r, redacted=True)
    assert not any(name in md for name in names)


def test_programme_over_real_conversations(sbc: list[Session]) -> None:
    prog = build_programme(sbc)
    pair = prog.pairs.iloc[0]
    assert pair["n_sessions"] == len(sbc)
    assert pair["total_hours"] == pytest.approx(sum(s.span_s for s in sbc) / 3600)
    tables = session_tables(sbc)
    assert len(tables["utterances"]) == sum(len(s.utterances) for s in sbc)
    assert len(tables["turns"]) == sum(len(s.metrics.turns) for s in sbc)

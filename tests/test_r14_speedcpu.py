"""The HTML report's compiled template kept between processes (round 14, speedcpu)."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from sessionscope.analysis.dynamics import compute_metrics
from sessionscope.config import DynamicsConfig
from sessionscope.model import Participant, Role, Session, Utterance
from sessionscope.report import session_html
from sessionscope.report.session_html import render_session_html, template_env

jinja2 = pytest.importorskip("jinja2")


def _session() -> Session:
    people = (Participant("a", "Anna", Role.JUNIOR), Participant("b", "Boris", Role.SENIOR))
    texts = ["How do I split the migration?", "Start with the read path, then move the writes next week.",
             "Should I write the rollback first?", "Yes, and send me the plan by Friday."]
    utts = tuple(Utterance(f"u{i}", "ab"[i % 2], t, 4.0 * i, 4.0 * i + 3.5) for i, t in enumerate(texts))
    s = Session(id="s1", participants=people, utterances=utts, language="en")
    return s.evolve(metrics=compute_metrics(s, DynamicsConfig()))


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SESSIONSCOPE_HOME", str(tmp_path / "home"))
    template_env.cache_clear()
    yield tmp_path / "home"
    template_env.cache_clear()


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each template jinja2 compiles from source (a cache hit compiles nothing)."""
    seen: list[str] = []
    original = jinja2.Environment.compile

    def spy(self, source, name=None, filename=None, raw=False, defer_init=False):  # noqa: ANN001, ANN202
        seen.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    return seen


def test_second_environment_reads_the_compiled_template(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _compiles(monkeypatch)
    first = render_session_html(_session())
    assert seen == ["session.html.j2"]
    files = list((home / "templates").glob("*.jinja"))
    assert len(files) == 1 and files[0].stat().st_size > 1000
    template_env.cache_clear()  # a new process: a new environment, the same cache folder
    second = render_session_html(_session())
    assert seen == ["session.html.j2"]  # not compiled again
    assert second == first


def test_same_page_as_without_a_cache(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cached = render_session_html(_session())
    template_env.cache_clear()
    render_session_html(_session())  # from the cache
    monkeypatch.setattr(session_html, "_bytecode_cache", lambda _jinja2: None)
    template_env.cache_clear()
    assert template_env().bytecode_cache is None
    assert render_session_html(_session()) == cached


def test_changed_or_broken_cache_is_compiled_again(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = render_session_html(_session())
    (path,) = (home / "templates").glob("*.jinja")
    path.write_bytes(b"not a jinja cache")
    template_env.cache_clear()
    seen = _compiles(monkeypatch)
    assert render_session_html(_session()) == page
    assert seen == ["session.html.j2"]
    assert path.read_bytes().startswith(b"j2")  # rewritten


def test_no_cache_folder_still_renders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("SESSIONSCOPE_HOME", str(blocker / "home"))  # under a file: cannot be made
    template_env.cache_clear()
    try:
        assert template_env().bytecode_cache is None
        assert "Anna" in render_session_html(_session())
    finally:
        template_env.cache_clear()


def test_unwritable_cache_is_ignored(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = template_env()

    def refuse(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
        raise PermissionError(13, "read-only")

    monkeypatch.setattr("tempfile.NamedTemporaryFile", refuse)
    assert "Anna" in render_session_html(_session())
    assert env.bytecode_cache is not None
    assert not list((home / "templates").glob("*.jinja"))


def test_files_of_other_versions_pruned_when_unused(home: Path) -> None:
    folder = home / "templates"
    folder.mkdir(parents=True)
    name_key = hashlib.sha1(b"session.html.j2").hexdigest()  # jinja2's key of the template
    old = folder / f"{name_key}-000000000000.jinja"
    recent = folder / f"{name_key}-111111111111.jinja"
    other = folder / "unrelated.txt"
    for f in (old, recent, other):
        f.write_bytes(b"x")
    week_ago = time.time() - 8 * 86400
    os.utime(old, (week_ago, week_ago))
    os.utime(other, (week_ago, week_ago))
    render_session_html(_session())
    assert not old.exists() and recent.exists() and other.exists()
    assert len(list(folder.glob(f"{name_key}-*.jinja"))) == 2


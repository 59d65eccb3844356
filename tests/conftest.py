"""Shared fixtures. Real evaluation data lives in ../shared/data (never copied here)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("SESSIONSCOPE_SHARED_DATA", ROOT.parent / "shared" / "data"))

#: packages that no extra installs: a test may still skip without them in CI
NOT_IN_ANY_EXTRA = frozenset({"convokit"})


def _strict_importorskip(original):  # noqa: ANN001, ANN202 - wraps pytest.importorskip
    """In CI, a missing package that the ``[all,dev]`` install should provide is a failure, not a skip.

    A module-level ``pytest.importorskip("spacy")`` would otherwise silently skip a whole file
    (dozens of cases) in a broken CI install, as the shared-data fixture below refuses to.
    """
    def importorskip(modname: str, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        try:
            return original(modname, *args, **kwargs)
        except pytest.skip.Exception:
            if modname.split(".")[0] in NOT_IN_ANY_EXTRA:
                raise
            pytest.fail(f"{modname} is not importable in CI; `pip install -e '.[all,dev]'` should provide it",
                        pytrace=False)

    importorskip.__wrapped__ = original  # type: ignore[attr-defined]
    return importorskip


if os.environ.get("CI") and not hasattr(pytest.importorskip, "__wrapped__"):
    pytest.importorskip = _strict_importorskip(pytest.importorskip)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared evaluation data folder; skips (with the reason) when absent."""
    if not SHARED_DATA.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"shared data folder {SHARED_DATA} is missing in CI")
        pytest.skip(f"shared evaluation data not found at {SHARED_DATA} (set SESSIONSCOPE_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture()
def fake_parser(monkeypatch):
    """Replace the English parser by one that splits as the real one does, gives one token per word and records each
    call with the thread it ran in (tests/test_parse_prefetch.py, tests/test_extract_bare.py)."""
    import threading

    from sessionscope.language import nlp
    from sessionscope.language.nlp import Sentence, Token

    calls: list[tuple[list[str], str]] = []

    def parse_en(items):
        calls.append(([t for t, _, _ in items], threading.current_thread().name))
        return [Sentence(text=t, start_char=s, end_char=e, language="en",
                         tokens=tuple(Token(text=w, lemma=w.casefold(), pos="X", idx=0) for w in t.split()))
                for t, s, e in items]

    monkeypatch.setattr(nlp, "_parse_en", parse_en)
    monkeypatch.setattr(nlp, "_import_spacy", lambda: None)
    monkeypatch.setattr(nlp, "_PREFETCHED", {})
    monkeypatch.setattr(nlp, "PARSE_HELPER", False)  # a thread of this process, which sees the fake
    return calls

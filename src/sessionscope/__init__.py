"""sessionscope: turn recorded mentoring sessions into evidence.

The public API is small and importing it is cheap (heavy dependencies load lazily)::

    import sessionscope as ss
    session = ss.analyze("meeting.vtt", participants={"Anna": "junior", "Boris": "senior"})
    frames = ss.frames(session)          # pandas DataFrames: utterances, turns, metrics…
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sessionscope._version import __version__

_LAZY = {
    "analyze": "sessionscope.api",
    "load": "sessionscope.api",
    "read_transcript": "sessionscope.api",
    "frames": "sessionscope.api",
    "process_batch": "sessionscope.api",
    "run": "sessionscope.api",
    "transcribe": "sessionscope.api",
    "remap": "sessionscope.api",
    "with_participants": "sessionscope.api",
    "load_config": "sessionscope.config",
    "Config": "sessionscope.config",
    "Session": "sessionscope.model",
    "Participant": "sessionscope.model",
    "Utterance": "sessionscope.model",
    "Word": "sessionscope.model",
    "Role": "sessionscope.model",
    "SessionscopeError": "sessionscope.errors",
    "ConfigError": "sessionscope.errors",
    "InputError": "sessionscope.errors",
    "ManifestError": "sessionscope.errors",
    "AudioError": "sessionscope.errors",
    "ModelError": "sessionscope.errors",
    "StageError": "sessionscope.errors",
    "EngineError": "sessionscope.engines.base",
}

if TYPE_CHECKING:  # pragma: no cover
    from sessionscope.api import (  # noqa: F401
        analyze,
        frames,
        load,
        process_batch,
        read_transcript,
        remap,
        run,
        transcribe,
        with_participants,
    )
    from sessionscope.config import Config, load_config  # noqa: F401
    from sessionscope.engines.base import EngineError  # noqa: F401
    from sessionscope.errors import (  # noqa: F401
        AudioError,
        ConfigError,
        InputError,
        ManifestError,
        ModelError,
        SessionscopeError,
        StageError,
    )
    from sessionscope.model import Participant, Role, Session, Utterance, Word  # noqa: F401


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sessionscope' has no attribute {name!r}")


__all__ = ["__version__", *_LAZY]

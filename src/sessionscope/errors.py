"""The error hierarchy.

Every error a user can cause derives from :class:`SessionscopeError`. Messages name
the bad value, the file and what would be valid. Only the CLI turns these into exit
codes; the library raises and logs.
"""

from __future__ import annotations

from pathlib import Path


class SessionscopeError(Exception):
    """Base class of every error sessionscope raises on purpose."""

    code = "E000"

    def __init__(self, message: str, *, path: str | Path | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.message = message
        super().__init__(f"{self.path}: {message}" if self.path else message)


class ConfigError(SessionscopeError):
    """A configuration file or option is invalid."""

    code = "E100"


class InputError(SessionscopeError):
    """An input file cannot be read or parsed (empty, malformed, unsupported)."""

    code = "E200"


class ManifestError(InputError):
    """A session manifest is malformed or inconsistent."""

    code = "E210"


class ModelError(SessionscopeError):
    """A model is not installed, cannot be loaded, or is unsuitable for the input."""

    code = "E300"


class AudioError(InputError):
    """An audio or video file cannot be decoded or carries no usable speech."""

    code = "E400"


class StageError(SessionscopeError):
    """A pipeline stage cannot run on this session (a requirement is missing)."""

    code = "E500"

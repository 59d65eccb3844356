"""The one place that knows where models live.

Short names map to exact sources; loaders elsewhere cache their instances with
``functools.lru_cache`` so a model is loaded once per process. The cache root comes from
one environment variable, ``SESSIONSCOPE_HOME`` (default ``~/.cache/sessionscope``).
Nothing is downloaded unless the user explicitly allows it.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_HOME = "SESSIONSCOPE_HOME"


def cache_dir(*parts: str) -> Path:
    """The sessionscope cache folder (or a sub-folder of it), created on demand."""
    root = Path(os.environ.get(ENV_HOME) or Path.home() / ".cache" / "sessionscope").expanduser()
    path = root.joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path

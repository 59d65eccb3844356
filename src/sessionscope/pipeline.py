"""The stage contract, the stage registry and session-level composition.

Every stage is a small object with the same contract (compare spaCy components):

* ``name`` — its registry name;
* ``requires`` — what it needs on the session (``"utterances"``, ``"timing"``, ``"topics"``…);
* ``assigns`` — the session fields it fills;
* ``from_config(config)`` — construction from the validated :class:`~sessionscope.config.Config`;
* ``__call__(session, *, hook=None) -> Session`` — returns a new session.

Stages are registered by dotted path and imported only when used, so that
``import sessionscope`` stays fast and works without the optional extras.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any, ClassVar, Optional, Protocol, runtime_checkable

from sessionscope.config import Config
from sessionscope.errors import ConfigError, SessionscopeError, StageError
from sessionscope.model import Session

log = logging.getLogger(__name__)

#: Progress hook, pyannote-style: ``hook(step, completed=None, total=None)``.
Hook = Callable[..., None]

#: Text stages by name → "module:Class". Extend by adding a line.
STAGES: dict[str, str] = {
    "dynamics": "sessionscope.analysis.dynamics:DynamicsStage",
    "topics": "sessionscope.analysis.topics.stage:TopicsStage",
    "extraction": "sessionscope.analysis.extract.stage:ExtractionStage",
    "flow": "sessionscope.analysis.flow:KnowledgeFlowStage",
}


@runtime_checkable
class Stage(Protocol):
    """What every pipeline stage looks like."""

    name: ClassVar[str]
    requires: ClassVar[tuple[str, ...]]
    assigns: ClassVar[tuple[str, ...]]

    @classmethod
    def from_config(cls, config: Config) -> Stage: ...

    def __call__(self, session: Session, *, hook: Optional[Hook] = None) -> Session: ...


def _has(session: Session, need: str) -> bool:
    if need == "utterances":
        return bool(session.utterances)
    if need == "timing":
        return session.timed
    value = getattr(session, need, None)
    return bool(value)


def stage_class(name: str) -> type:
    """Import the stage class registered under ``name``."""
    try:
        target = STAGES[name]
    except KeyError:
        raise ConfigError(f"unknown stage {name!r}; valid stages: {', '.join(sorted(STAGES))}") from None
    module, _, attr = target.partition(":")
    try:
        return getattr(importlib.import_module(module), attr)
    except ImportError as e:
        raise ConfigError(
            f"stage {name!r} needs an optional dependency that is not installed ({e.name}); "
            "install sessionscope with the matching extra, e.g. pip install 'sessionscope[nlp]'"
        ) from e


def build_stages(config: Config, names: Optional[list[str]] = None) -> list[Any]:
    """Instantiate the configured stages (each loads its models once).

    A stage whose optional dependency is not installed (e.g. the ``nlp`` extra on a
    text-only install) is skipped with a warning when ``pipeline.skip_unavailable`` is
    on (the default), so the dynamics still run; otherwise it is a :class:`ConfigError`.
    """
    stages = []
    for n in names or config.pipeline.stages:
        try:
            stages.append(stage_class(n).from_config(config))
        except (ConfigError, ImportError) as e:
            missing_dep = isinstance(e, ImportError) or isinstance(e.__cause__, ImportError)
            if not (missing_dep and config.pipeline.skip_unavailable) or n == "dynamics":
                if isinstance(e, ImportError):
                    raise ConfigError(f"stage {n!r} cannot load: {e}") from e
                raise
            log.warning("stage %s skipped: %s", n, e)
    return stages


def run_stages(
    session: Session,
    stages: list[Any],
    *,
    hook: Optional[Hook] = None,
    continue_on_error: bool = True,
) -> Session:
    """Apply stages in order; a stage whose requirements are missing is skipped with a note."""
    for stage in stages:
        missing = [r for r in getattr(stage, "requires", ()) if r not in ("timing",) and not _has(session, r)]
        if missing:
            log.info("%s: skipping stage %s (needs %s)", session.id, stage.name, ", ".join(missing))
            continue
        if hook:
            hook(stage.name)
        try:
            session = stage(session, hook=hook)
        except SessionscopeError:
            raise
        except Exception as e:  # a bug or model failure in an optional stage
            if not continue_on_error or stage.name == "dynamics":
                raise StageError(f"stage {stage.name!r} failed: {e}") from e
            log.exception("%s: stage %s failed; continuing without it", session.id, stage.name)
            note = f"stage {stage.name} failed: {type(e).__name__}: {e}"
            quality = session.quality
            from dataclasses import replace

            from sessionscope.model import DataQuality

            quality = replace(quality or DataQuality(timing_available=session.timed), notes=(*(quality.notes if quality else ()), note))
            session = session.evolve(quality=quality)
    return session

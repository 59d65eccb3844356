"""What ran to produce a session: one :class:`StageRun` per stage and sub-step.

A failed or skipped stage must never read as "nothing found": a report that says "no
recommendations were detected" is only true when the extraction stage ran. Every stage
(``dynamics``, ``topics``, ``extraction``, ``flow``) and every sub-step that can degrade
(``audio.diarization``, ``report.redaction``, ``topics.head``…) appends one row with
:func:`record_stage_run`; readers ask :meth:`Provenance.outcome`.

The batch runner adds the run-level facts (resolved run specification, library and
model versions, resume key) to the ``provenance`` object of ``session.json``; only the
typed part lives on the :class:`~sessionscope.model.Session`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal, Optional

if TYPE_CHECKING:
    from sessionscope.model.types import Session

StageStatus = Literal["ok", "skipped", "failed"]
STAGE_STATUSES: tuple[str, ...] = ("ok", "skipped", "failed")


@dataclass(frozen=True, slots=True)
class StageRun:
    """The outcome of one stage or sub-step.

    ``status`` is ``ok`` (ran; ``reason`` may note a degradation, e.g. "fallback without
    the segmentation model"), ``skipped`` (did not run: ``reason`` says why, e.g. "not
    requested", "needs timing", "spaCy not installed") or ``failed`` (raised; ``reason``
    holds the error). ``seconds`` is the wall time spent in it (0 when it did not run).
    """

    name: str
    status: StageStatus
    reason: Optional[str] = None
    seconds: float = 0.0

    def __post_init__(self) -> None:
        if self.status not in STAGE_STATUSES:
            raise ValueError(f"stage status {self.status!r}; valid: {', '.join(STAGE_STATUSES)}")


@dataclass(frozen=True, slots=True)
class Provenance:
    """The typed part of a session's provenance: what ran, in order."""

    stage_runs: tuple[StageRun, ...] = ()

    def outcome(self, name: str) -> Optional[StageRun]:
        """The last recorded outcome of stage ``name`` (``None`` if never recorded)."""
        for run in reversed(self.stage_runs):
            if run.name == name:
                return run
        return None

    def ran(self, name: str) -> bool:
        """Whether stage ``name`` ran successfully (its results can be read as "found / none found")."""
        run = self.outcome(name)
        return run is not None and run.status == "ok"

    @property
    def failed(self) -> tuple[StageRun, ...]:
        """Stages and sub-steps whose last outcome is ``failed``."""
        last = {r.name: r for r in self.stage_runs}
        return tuple(r for r in last.values() if r.status == "failed")


def record_stage_run(
    session: Session, name: str, status: StageStatus, reason: Optional[str] = None, seconds: float = 0.0
) -> Session:
    """A copy of ``session`` with one more :class:`StageRun` in ``provenance.stage_runs``.

    Example (a sub-step that degraded)::

        session = record_stage_run(session, "audio.diarization", "ok",
                                   "segmentation model missing: fixed-window fallback", 3.2)
    """
    run = StageRun(name=name, status=status, reason=reason, seconds=round(float(seconds), 3))
    prov = session.provenance
    return replace(session, provenance=replace(prov, stage_runs=(*prov.stage_runs, run)))

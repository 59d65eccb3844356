"""ONNX Runtime copies of the diarization networks (CAM++, pyannote segmentation-3.0) for CPU runs.

The shipped torch weights stay the source of truth. On first use each network is exported
once with ``torch.onnx.export`` (the TorchScript exporter, which needs the ``onnx`` package
only at export time) into the model cache (``<SESSIONSCOPE_HOME>/onnx``), under a name keyed
by the weights' SHA-256, the torch version, the opset and :data:`EXPORT_VERSION`. The file is
written next to its final name and checked before it is renamed into place (atomic): the
exported graph must give the same outputs as torch on fixed inputs (CAM++ embeddings cosine
≥ :data:`MIN_COSINE`, segmentation log-probabilities within :data:`MAX_ABS_DIFF`). A sidecar
JSON (written last) records the ONNX file's own SHA-256, checked on every load, and the
figures of that check. The graph that ONNX Runtime optimises from it on first load is kept beside it,
keyed by that file's SHA-256, ONNX Runtime's version and the CPU's instruction sets (its layout
transforms are hardware-specific), and loaded from there afterwards (checked by its own digest): the
same kernels and outputs, without optimising again in every process.

:class:`OnnxModel` is a drop-in for the torch module's call: the same input (a torch tensor
or a numpy array, batch first) gives the same kind of output with the same shape. It runs
with as many intra-op threads as torch is set to at call time (one ORT session per thread
count, no spinning): :func:`sessionscope.audio.diarize.torch_threads` governs both.

Any failure (no ``onnxruntime``, no ``onnx`` for the first export, an export that does not
match, a damaged cache file, an ORT error while running) falls back to the torch module and
is logged: results are the same either way, only slower. ``SESSIONSCOPE_ONNX=0`` switches
ONNX Runtime off; CUDA devices always use torch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any, Optional

import numpy as np

from sessionscope.models import _sha256, mark_used, prune_stale

log = logging.getLogger(__name__)

ENV_SWITCH = "SESSIONSCOPE_ONNX"
#: bump when the export (inputs, names, axes, opset) changes: old cache files are then ignored
EXPORT_VERSION = 1
OPSET = 17
MIN_COSINE = 0.9999
MAX_ABS_DIFF = 1e-3


def enabled(device: str = "cpu") -> bool:
    """Whether the ONNX Runtime path may be used for ``device`` (CPU only; ``SESSIONSCOPE_ONNX=0`` turns it off)."""
    if device != "cpu" or os.environ.get(ENV_SWITCH, "1").strip().lower() in ("0", "false", "no", "off"):
        return False
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "none"


def cache_path(name: str, weights_sha256: str) -> Path:
    """Where the ONNX copy of ``name`` (weights with that SHA-256) lives in the model cache."""
    from sessionscope.models import cache_dir

    torch_v = _version("torch").replace("+", "_")
    return cache_dir("onnx") / f"{name}-{weights_sha256[:16]}-torch{torch_v}-opset{OPSET}-v{EXPORT_VERSION}.onnx"


#: an ONNX cache file: an export (``.onnx``, sidecar ``.json``) or its optimised graph for one machine
#: (``.<digest>.ort-<tag>.opt.onnx``, ``.opt.sha256``); the network's name is the kind pruned together
_CACHE_NAME = re.compile(r"^(?P<model>[a-z][a-z0-9_]*)-[0-9a-f]{16}-torch[^-]+-opset\d+-v\d+\.")


def _cache_kind(name: str) -> Optional[str]:
    m = _CACHE_NAME.match(name)
    return None if m is None else m["model"]


def _prune(written: Path) -> None:
    """Remove this network's exports and optimised graphs that other installs or machines left unused for a week
    (torch, ONNX Runtime or CPU changed): each is tens of MB and nothing else removes them."""
    prune_stale(written, _cache_kind, what="ONNX cache")


def _sidecar(path: Path) -> Path:
    return path.with_suffix(".json")


def write_sidecar(path: Path, meta: dict[str, Any]) -> None:
    """Write the sidecar of a published ONNX file atomically: it is the commit marker, written last."""
    side = _sidecar(path)
    fd, stmp = tempfile.mkstemp(prefix=f".{side.stem}.", suffix=".json.tmp", dir=side.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(meta, fh, indent=1)
    os.chmod(stmp, 0o644)
    os.replace(stmp, side)


def read_sidecar(path: Path, data: Optional[bytes] = None) -> Optional[dict[str, Any]]:
    """The sidecar of a cached ONNX file when it exists and the file's SHA-256 matches it, else None. ``data``: the
    file's bytes, already read by the caller (checked instead of reading the file again)."""
    side = _sidecar(path)
    if not path.is_file() or not side.is_file():
        return None
    try:
        meta = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    digest = hashlib.sha256(data).hexdigest() if data is not None else _sha256(path)
    if not isinstance(meta, dict) or meta.get("sha256") != digest:
        log.warning("ONNX cache file %s does not match its sidecar: exported again", path)
        return None
    return meta


def _options(threads: int, arena: bool, level: Any) -> Any:
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = max(1, threads)
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = level
    so.add_session_config_entry("session.intra_op.allow_spinning", "0")  # no busy-waiting on a shared machine
    so.log_severity_level = 3
    so.enable_cpu_mem_arena = arena
    return so


def _session(path: Path, threads: int, arena: bool = True, sha256: Optional[str] = None) -> Any:
    """An ORT session of ``path`` (all graph optimisations). With ``sha256`` (the file's checked digest), the
    optimised graph is kept in the cache for this machine and ONNX Runtime (:func:`optimized_path`) and loaded
    from there next time without optimising again: same kernels, bit-identical outputs, about a third of
    CAM++'s session creation (docs/benchmarks/audio.md, round 12)."""
    import onnxruntime as ort

    from sessionscope.models import disable_onnx_telemetry

    disable_onnx_telemetry()
    opt = optimized_path(path, sha256) if sha256 else None
    if opt is not None and _optimized_ok(opt):
        try:
            mark_used(opt, opt.with_suffix(".sha256"))
            return ort.InferenceSession(str(opt), _options(threads, arena, ort.GraphOptimizationLevel.ORT_DISABLE_ALL),
                                        providers=["CPUExecutionProvider"])
        except Exception as e:  # noqa: BLE001 - the optimised copy is only a shortcut: optimise again
            log.warning("optimised ONNX graph %s not loaded (%s): optimised again", opt, e)
    so = _options(threads, arena, ort.GraphOptimizationLevel.ORT_ENABLE_ALL)
    tmp: Optional[Path] = None
    if opt is not None:
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{opt.stem}.", suffix=".onnx.tmp", dir=opt.parent)
            os.close(fd)
            tmp = Path(tmp_name)
            so.optimized_model_filepath = str(tmp)
        except OSError as e:  # a read-only cache: optimised in memory each time, as before
            log.debug("optimised ONNX graph not kept (%s)", e)
    try:
        sess = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
        if opt is not None and tmp is not None:
            _publish_optimized(tmp, opt)
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    return sess


def _cpu_tag() -> Optional[str]:
    """What the optimised graph depends on besides the model: ONNX Runtime's version and the CPU's instruction
    sets (its layout transforms follow the vector width). None where the CPU's flags cannot be read."""
    import platform

    flags = None
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith(("flags", "Features")):
                    flags = " ".join(sorted(line.split(":", 1)[1].split()))
                    break
    except OSError:
        return None
    if not flags:
        return None
    import hashlib

    blob = f"{_version('onnxruntime')}|{platform.machine()}|{flags}"
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def optimized_path(path: Path, sha256: str) -> Optional[Path]:
    """Where the optimised graph of ``path`` (whose SHA-256 is ``sha256``) is kept for this machine, or None
    (the CPU unknown: optimised in memory each time)."""
    tag = _cpu_tag()
    if tag is None:
        return None
    return path.with_name(f"{path.stem}.{sha256[:16]}.ort-{tag}.opt.onnx")


def _optimized_ok(opt: Path) -> bool:
    side = opt.with_suffix(".sha256")
    try:
        return opt.is_file() and side.read_text(encoding="utf-8").strip() == _sha256(opt)
    except OSError:
        return False


def _publish_optimized(tmp: Path, opt: Path) -> None:
    """Move a freshly written optimised graph into place; its digest is written last (the commit marker)."""
    try:
        if tmp.stat().st_size == 0:
            return
        digest = _sha256(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, opt)
        fd, stmp = tempfile.mkstemp(prefix=f".{opt.stem}.", suffix=".sha256.tmp", dir=opt.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(digest)
        os.chmod(stmp, 0o644)
        os.replace(stmp, opt.with_suffix(".sha256"))
    except OSError as e:
        log.debug("optimised ONNX graph not kept (%s)", e)
        return
    _prune(opt)


class _ThreadSetting(threading.local):
    stack: list[int]

    def __init__(self) -> None:
        self.stack = []  # set by intra_threads (innermost last), per thread: concurrent stages do not see each other's


_SETTING = _ThreadSetting()


def _threads_stack() -> list[int]:
    return _SETTING.stack


def _default_threads() -> int:
    stack = _threads_stack()
    if stack:
        return stack[-1]
    return unbound_threads()


def unbound_threads() -> int:
    """The thread count outside an :func:`intra_threads` block: torch's when it is loaded, else half the cores (≤ 4)."""
    if "torch" in sys.modules:
        return int(sys.modules["torch"].get_num_threads())
    return max(1, min(4, (os.cpu_count() or 2) // 2))


@contextmanager
def intra_threads(n: int) -> Iterator[None]:
    """ONNX Runtime sessions run with ``n`` intra-op threads inside this block, and so does torch when it is
    loaded (imported before, or by a fallback inside); torch is not imported for it. The ONNX Runtime
    setting holds for the calling thread only (torch's own setting is process-wide)."""
    stack = _threads_stack()
    stack.append(max(1, n))
    torch = sys.modules.get("torch")
    before = torch.get_num_threads() if torch is not None else None
    if torch is not None:
        torch.set_num_threads(max(1, n))
    try:
        yield
    finally:
        stack.pop()
        if torch is not None and before is not None:
            torch.set_num_threads(before)


def infer(model: Any, batch: np.ndarray, device: str = "cpu") -> np.ndarray:
    """Outputs (float32 numpy) of ``model`` for a batch: an :class:`OnnxModel` (no torch needed) or a torch
    module on ``device`` (run in inference mode, the result brought back to the CPU)."""
    if isinstance(model, OnnxModel):
        return np.asarray(model(np.ascontiguousarray(batch, dtype=np.float32)))
    import torch

    stack = _threads_stack()
    if stack and torch.get_num_threads() != stack[-1]:  # torch loaded inside an intra_threads block
        torch.set_num_threads(stack[-1])
    with torch.inference_mode():
        return model(torch.from_numpy(batch).to(device)).float().cpu().numpy()


def infer_rows(model: Any, batch: np.ndarray, device: str = "cpu", rows: Optional[int] = None) -> np.ndarray:
    """:func:`infer`, an :class:`OnnxModel` being called on at most ``rows`` rows at a time (outputs stacked back).

    ONNX Runtime's CPU kernels compute every row on its own, so the numbers are the same bit for bit; smaller
    calls keep the activations in cache (CAM++: 4 rows, docs/benchmarks/audio.md, round 17). A torch module
    (GPU, fallback) gets the whole batch in one call, as before."""
    if rows is not None and isinstance(model, OnnxModel) and 0 < rows < len(batch):
        return np.concatenate([infer(model, batch[i:i + rows], device) for i in range(0, len(batch), rows)])
    return infer(model, batch, device)


class OnnxModel:
    """An ONNX Runtime session callable like the torch module it was exported from.

    ``model(x)`` with ``x`` a torch tensor returns a torch tensor (on the CPU), with a numpy
    array a numpy array; one input, one output, batch first. ``fallback`` builds the torch
    module, used (and logged once) if ONNX Runtime fails on an input.
    """

    def __init__(self, path: Path, name: str, fallback: Callable[[], Any], meta: Optional[dict[str, Any]] = None, *,
                 arena: bool = True) -> None:
        self.path, self.name, self.meta, self.arena = path, name, meta or {}, arena
        self._fallback_loader = fallback
        self._fallback: Any = None
        self._sessions: dict[int, Any] = {}
        self._lock = threading.Lock()
        first = self.session(_default_threads())
        self.input_name = first.get_inputs()[0].name
        self.output_name = first.get_outputs()[0].name

    def session(self, threads: int) -> Any:
        """The ORT session with ``threads`` intra-op threads (created once)."""
        with self._lock:
            s = self._sessions.get(threads)
            if s is None:
                s = self._sessions[threads] = _session(self.path, threads, self.arena, self.meta.get("sha256"))
            return s

    def run(self, x: np.ndarray) -> np.ndarray:
        """Outputs of a float32 batch (numpy in, numpy out)."""
        out = self.session(_default_threads()).run([self.output_name], {self.input_name: x})[0]
        return np.asarray(out)

    def __call__(self, x: Any) -> Any:
        is_torch = not isinstance(x, np.ndarray)
        arr = np.ascontiguousarray((x.detach().cpu().numpy() if is_torch else x), dtype=np.float32)
        if self._fallback is None:
            try:
                out = self.run(arr)
            except Exception as e:  # noqa: BLE001 - any ORT failure: torch gives the same numbers
                log.warning("ONNX Runtime failed on %s %s (%s): torch is used from now on", self.name, arr.shape, e)
                self._fallback = self._fallback_loader()
            else:
                if is_torch:
                    import torch

                    return torch.from_numpy(out)
                return out
        import torch

        before = torch.get_num_threads()
        torch.set_num_threads(_default_threads())
        try:
            with torch.inference_mode():
                res = self._fallback(torch.from_numpy(arr))
        finally:
            torch.set_num_threads(before)
        return res if is_torch else res.float().cpu().numpy()

    def eval(self) -> OnnxModel:
        """No-op (an exported graph is always in inference mode), for code written against torch modules."""
        return self


def export(name: str, weights_sha256: str, build: Callable[[], Any], examples: list[np.ndarray], *,
           dynamic_axes: dict[str, dict[int, str]], check: str, extra: Optional[dict[str, Any]] = None
           ) -> tuple[Path, dict[str, Any]]:
    """Export the torch module ``build()`` to the cache, check it against torch on ``examples``, publish atomically.

    ``check``: ``cosine`` (rows of the output compared by cosine, ≥ :data:`MIN_COSINE`) or
    ``absdiff`` (max absolute difference ≤ :data:`MAX_ABS_DIFF`). Raises on any failure.
    """
    import torch

    path = cache_path(name, weights_sha256)
    module = build()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".onnx.tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        import warnings

        with warnings.catch_warnings(), torch.inference_mode(False), torch.no_grad():
            warnings.simplefilter("ignore")  # exporter deprecation and tracer notes
            torch.onnx.export(module, (torch.from_numpy(examples[0]),), str(tmp), dynamo=False, opset_version=OPSET,
                              input_names=["input"], output_names=["output"], dynamic_axes=dynamic_axes,
                              do_constant_folding=True)
        sess = _session(tmp, 1)
        worst = 1.0 if check == "cosine" else 0.0
        for x in examples:
            with torch.inference_mode():
                ref = module(torch.from_numpy(x)).float().cpu().numpy()
            got = sess.run(None, {"input": x})[0]
            if got.shape != ref.shape:
                raise ValueError(f"ONNX output shape {got.shape} != torch {ref.shape}")
            if check == "cosine":
                a, b = ref.reshape(len(ref), -1), got.reshape(len(got), -1)
                cos = (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1) + 1e-12)
                worst = min(worst, float(cos.min()))
                ok = worst >= MIN_COSINE
            else:
                worst = max(worst, float(np.abs(ref - got).max()))
                ok = worst <= MAX_ABS_DIFF
            if not ok:
                raise ValueError(f"ONNX export of {name} differs from torch ({check} {worst})")
        meta = {"name": name, "weights_sha256": weights_sha256, "sha256": _sha256(tmp), "torch": _version("torch"),
                "onnx": _version("onnx"), "onnxruntime": _version("onnxruntime"), "opset": OPSET,
                "export_version": EXPORT_VERSION, "check": check, "worst": worst,
                "example_shapes": [list(x.shape) for x in examples], "extra": extra or {}}
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the cache is readable like the other model files
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    write_sidecar(path, meta)
    log.info("exported %s to ONNX (%s %.6g): %s", name, check, worst, path)
    _prune(path)
    return path, meta


def load(name: str, weights_sha256: str, build: Callable[[], Any], examples: Callable[[], list[np.ndarray]], *,
         dynamic_axes: dict[str, dict[int, str]], check: str,
         extra: Optional[Callable[[], dict[str, Any]]] = None, arena: bool = True) -> Optional[OnnxModel]:
    """The cached ONNX copy of a network (exported first if needed), or None when ONNX cannot be used (logged).

    ``extra()`` is stored in the sidecar at export (e.g. the segmentation model's configuration, so that a
    cached copy loads without torch); it is ``meta["extra"]`` of the returned model. ``arena``: ONNX
    Runtime's CPU memory arena (kept for the process's life once grown; off: buffers go back after each run).
    """
    path = cache_path(name, weights_sha256)
    meta = read_sidecar(path)
    if meta is not None:
        mark_used(path, _sidecar(path))
    try:
        if meta is None:
            path, meta = export(name, weights_sha256, build, examples(), dynamic_axes=dynamic_axes, check=check,
                                extra=extra() if extra else None)
        return OnnxModel(path, name, build, meta, arena=arena)
    except Exception as e:  # noqa: BLE001 - ONNX is an acceleration: torch always works
        log.warning("ONNX Runtime not used for %s (%s: %s): torch runs it", name, type(e).__name__, e)
        return None


def _segmentation_examples() -> list[np.ndarray]:
    """Fixed 10 s waveforms (noise with tone bursts) on which the ONNX copy must match torch."""
    rng = np.random.default_rng(0)
    t = np.arange(160_000, dtype=np.float64) / 16_000
    out = []
    for batch in (1, 2):  # the first one is traced: small is quicker
        x = 0.02 * rng.standard_normal((batch, 1, len(t)))
        for b in range(batch):
            f0 = 120.0 + 60.0 * b
            x[b, 0] += 0.2 * np.sin(2 * np.pi * f0 * t) * (np.sin(2 * np.pi * 0.3 * t) > 0)
        out.append(x.astype(np.float32))
    return out


def load_segmentation(device: str, torch_loader: Callable[[str], tuple[Any, dict[str, Any]]]
                      ) -> Optional[tuple[OnnxModel, dict[str, Any]]]:
    """(ONNX copy of pyannote segmentation-3.0, its configuration), or None (use ``torch_loader``).

    The checkpoint's SHA-256 is checked here too; a cached copy loads without torch, its
    configuration coming from the sidecar.
    """
    if not enabled(device):
        return None
    from sessionscope.errors import ModelError
    from sessionscope.models import SEGMENTATION_SHA256, segmentation_paths

    _, ckpt = segmentation_paths()
    if _sha256(ckpt) != SEGMENTATION_SHA256:
        raise ModelError(f"segmentation checkpoint checksum mismatch, expected {SEGMENTATION_SHA256}", path=ckpt)
    model = load("segmentation", SEGMENTATION_SHA256, lambda: torch_loader(device)[0], _segmentation_examples,
                 dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, check="absdiff",
                 extra=lambda: {"config": torch_loader(device)[1]},
                 # no memory arena: it kept a batch of 16 chunks' activations (~400 MB) for the process's life, on
                 # top of the transcription's memory when both run at once; same outputs, few large batches, no
                 # measurable CPU cost (docs/benchmarks/audio.md, Memory)
                 arena=False)
    if model is None:
        return None
    cfg = (model.meta.get("extra") or {}).get("config")
    if not isinstance(cfg, dict):
        log.warning("ONNX segmentation sidecar has no model configuration: torch runs it")
        return None
    return model, cfg


__all__ = ["load_segmentation", "infer", "infer_rows", "intra_threads", "OnnxModel", "enabled", "load", "export", "cache_path", "read_sidecar", "ENV_SWITCH", "EXPORT_VERSION"]

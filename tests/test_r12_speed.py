"""Issue 11, round 12 (speed): ONNX Runtime's optimised graph kept per machine, loaded without optimising again.

The optimised copy must give bit-identical outputs (the same kernels), be keyed by the source file's digest,
ONNX Runtime's version and the CPU, be re-made when damaged, and never be written where the CPU is unknown.
"""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")
ort = pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

from sessionscope.audio import onnx_models  # noqa: E402
from sessionscope.models import _sha256  # noqa: E402
from test_audio_onnx import home  # noqa: E402, F401 - the model cache in a temporary folder

AXES = {"input": {0: "batch", 2: "frames"}, "output": {0: "batch"}}


class Net(torch.nn.Module):
    """2-D convolutions (which ONNX Runtime re-lays out for the CPU's vector width), batch norm, pooling."""

    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.c1 = torch.nn.Conv2d(1, 16, 3, padding=1)
        self.bn = torch.nn.BatchNorm2d(16)
        self.c2 = torch.nn.Conv2d(16, 8, 3, padding=1)
        self.bn.running_mean.uniform_(-0.1, 0.1)
        self.bn.running_var.uniform_(0.5, 1.5)

    def forward(self, x):  # noqa: ANN001, ANN201
        h = torch.relu(self.bn(self.c1(x.unsqueeze(1))))
        return self.c2(h).mean(dim=(2, 3))


def _examples() -> list[np.ndarray]:
    rng = np.random.default_rng(1)
    return [rng.standard_normal((2, 20, 40)).astype(np.float32), rng.standard_normal((1, 20, 60)).astype(np.float32)]


def _model() -> onnx_models.OnnxModel:
    m = onnx_models.load("net", "cd" * 32, lambda: Net().eval(), _examples, dynamic_axes=AXES, check="absdiff")
    assert isinstance(m, onnx_models.OnnxModel)
    return m


def _opt(model: onnx_models.OnnxModel):  # noqa: ANN202
    path = onnx_models.optimized_path(model.path, model.meta["sha256"])
    assert path is not None
    return path


X = np.random.default_rng(3).standard_normal((3, 20, 57)).astype(np.float32)


def _in_memory(path) -> np.ndarray:  # noqa: ANN001
    """Outputs of a session optimised in memory (what every process did before this round)."""
    s = onnx_models._session(path, 1)
    return s.run(None, {"input": X})[0]


@pytest.mark.usefixtures("home")
def test_optimised_graph_kept_and_reused_with_identical_outputs(monkeypatch):
    if onnx_models._cpu_tag() is None:
        pytest.skip("CPU flags unreadable here: nothing is kept")
    model = _model()
    opt = _opt(model)
    assert opt.is_file() and opt.with_suffix(".sha256").read_text() == _sha256(opt)
    assert opt.parent == model.path.parent and model.meta["sha256"][:16] in opt.name
    assert not list(opt.parent.glob("*.tmp"))
    ref = _in_memory(model.path)
    assert np.array_equal(model(X), ref)  # the session that wrote it
    # a new process: loaded from the kept graph, without optimising again, same bits
    levels = []
    real = onnx_models._options

    def spy(threads, arena, level):  # noqa: ANN001, ANN202
        levels.append(level)
        return real(threads, arena, level)

    monkeypatch.setattr(onnx_models, "_options", spy)
    ino = opt.stat().st_ino  # not written again (its time changes: reading marks it used, round 13)
    again = onnx_models.OnnxModel(model.path, "net", lambda: pytest.fail("torch"), model.meta)
    assert levels == [ort.GraphOptimizationLevel.ORT_DISABLE_ALL]
    assert opt.stat().st_ino == ino
    assert np.array_equal(again(X), ref)


@pytest.mark.usefixtures("home")
def test_a_damaged_optimised_graph_is_made_again():
    if onnx_models._cpu_tag() is None:
        pytest.skip("CPU flags unreadable here")
    model = _model()
    opt = _opt(model)
    good = opt.read_bytes()
    opt.write_bytes(good[:-16] + b"\0" * 16)  # damaged: its digest no longer matches
    again = onnx_models.OnnxModel(model.path, "net", lambda: pytest.fail("torch"), model.meta)
    assert np.array_equal(again(X), _in_memory(model.path))
    assert opt.with_suffix(".sha256").read_text() == _sha256(opt)
    opt.with_suffix(".sha256").unlink()  # no commit marker (a writer interrupted): not trusted, made again
    onnx_models.OnnxModel(model.path, "net", lambda: pytest.fail("torch"), model.meta)
    assert opt.with_suffix(".sha256").read_text() == _sha256(opt)


@pytest.mark.usefixtures("home")
def test_keyed_by_runtime_version_and_cpu(monkeypatch):
    if onnx_models._cpu_tag() is None:
        pytest.skip("CPU flags unreadable here")
    model = _model()
    first = _opt(model)
    monkeypatch.setattr(onnx_models, "_version", lambda dist: "0.0-other")
    other = onnx_models.optimized_path(model.path, model.meta["sha256"])
    assert other is not None and other != first
    assert onnx_models.optimized_path(model.path, "ef" * 32) != first  # another source file


@pytest.mark.usefixtures("home")
def test_nothing_kept_where_the_cpu_is_unknown(monkeypatch):
    monkeypatch.setattr(onnx_models, "_cpu_tag", lambda: None)
    model = _model()
    assert onnx_models.optimized_path(model.path, model.meta["sha256"]) is None
    assert not list(model.path.parent.glob("*.opt.onnx"))
    assert np.array_equal(model(X), _in_memory(model.path))


@pytest.mark.slow
def test_real_networks_identical_from_the_kept_graph(shared_data, monkeypatch):
    """The shipped CAM++ and segmentation networks on real speech: the same bits from the kept graph as from a
    session optimised in memory (the ordinary model cache, as the other real-model tests use)."""
    if onnx_models._cpu_tag() is None:
        pytest.skip("CPU flags unreadable here")
    monkeypatch.delenv(onnx_models.ENV_SWITCH, raising=False)
    from sessionscope import models
    from sessionscope.audio import segmentation as seg_mod
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.diarize import ChunkFeatures

    x = load_audio(shared_data / "pyannote-sample" / "sample.wav").mono[: 16000 * 30]
    seg_mod.load_segmentation.cache_clear()
    models._load_campplus_any.cache_clear()
    try:
        net, _ = seg_mod.load_segmentation()
        cam = models.load_campplus()
        assert isinstance(net, onnx_models.OnnxModel) and isinstance(cam, onnx_models.OnnxModel)
        feats = ChunkFeatures(x).chunk(0, 160000)
        inputs = {"campplus": (cam, np.stack([feats[a:a + 300] - feats[a:a + 300].mean(0) for a in (0, 300, 600)])),
                  "segmentation": (net, np.stack([x[s:s + 160000] for s in (0, 80000)])[:, None, :])}
        for name, (model, batch) in inputs.items():
            ref = onnx_models._session(model.path, 1, model.arena).run(None, {"input": batch})[0]
            again = onnx_models.OnnxModel(model.path, name, lambda: pytest.fail("torch"), model.meta, arena=model.arena)
            assert _opt(again).is_file() and _opt(again).with_suffix(".sha256").is_file()
            assert np.array_equal(again(batch), ref), name
    finally:
        seg_mod.load_segmentation.cache_clear()
        models._load_campplus_any.cache_clear()

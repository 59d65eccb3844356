"""ONNX Runtime copies of the diarization networks: same numbers as torch, cached, checked, with a torch fallback.

The unit tests export tiny torch modules (no model files); the real-model tests compare the
shipped CAM++ and segmentation networks under ONNX Runtime with torch on real speech.
"""

from __future__ import annotations

import json
import logging

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

from sessionscope.audio import onnx_models  # noqa: E402

AXES = {"input": {0: "batch"}, "output": {0: "batch"}}


@pytest.fixture()
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("SESSIONSCOPE_HOME", str(tmp_path))
    monkeypatch.delenv(onnx_models.ENV_SWITCH, raising=False)
    return tmp_path


class Tiny(torch.nn.Module):
    """Conv + ReLU + mean over time: (B, 4, T) -> (B, 3); T is fixed in the export (no dynamic axis)."""

    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.conv = torch.nn.Conv1d(4, 3, 3)

    def forward(self, x):  # noqa: ANN001, ANN201
        return torch.relu(self.conv(x)).mean(dim=-1)


class Noisy(Tiny):
    def forward(self, x):  # noqa: ANN001, ANN201
        return super().forward(x) + torch.rand(x.shape[0], 3)


def _examples() -> list[np.ndarray]:
    rng = np.random.default_rng(1)
    return [rng.standard_normal((2, 4, 20)).astype(np.float32), rng.standard_normal((1, 4, 20)).astype(np.float32)]


def _load(build, check="absdiff"):  # noqa: ANN001, ANN202
    return onnx_models.load("tiny", "ab" * 32, build, _examples, dynamic_axes=AXES, check=check,
                            extra=lambda: {"config": {"k": 1}})


def test_export_cache_and_drop_in_call(home):
    module = Tiny().eval()
    model = _load(lambda: module)
    assert isinstance(model, onnx_models.OnnxModel)
    path = onnx_models.cache_path("tiny", "ab" * 32)
    assert path.is_file() and path.parent == home / "onnx"
    meta = json.loads(path.with_suffix(".json").read_text())
    assert meta["extra"] == {"config": {"k": 1}} and meta["worst"] <= onnx_models.MAX_ABS_DIFF
    x = torch.from_numpy(np.random.default_rng(2).standard_normal((5, 4, 20)).astype(np.float32))
    with torch.inference_mode():
        ref = module(x)
    got = model(x)  # torch in, torch out, same shape and numbers
    assert isinstance(got, torch.Tensor) and got.shape == ref.shape
    assert torch.allclose(got, ref, atol=1e-5)
    got_np = model(x.numpy())  # numpy in, numpy out
    assert isinstance(got_np, np.ndarray) and np.allclose(got_np, ref.numpy(), atol=1e-5)
    # a second load reuses the cached file (not exported again: the builder is never called)
    ino = path.stat().st_ino  # not written again (its time changes: loading marks it used, round 13)
    again = _load(lambda: pytest.fail("exported again"))
    assert again is not None and path.stat().st_ino == ino


def test_a_damaged_cache_file_is_exported_again(home):
    _load(lambda: Tiny().eval())
    path = onnx_models.cache_path("tiny", "ab" * 32)
    path.write_bytes(path.read_bytes()[:-10] + b"0123456789")
    assert onnx_models.read_sidecar(path) is None
    model = _load(lambda: Tiny().eval())
    assert model is not None and onnx_models.read_sidecar(path) is not None


def test_an_export_that_differs_from_torch_is_refused(home, caplog):
    with caplog.at_level(logging.WARNING, logger="sessionscope.audio.onnx_models"):
        assert _load(lambda: Noisy().eval()) is None
    assert "torch runs it" in caplog.text
    assert not list((home / "onnx").glob("*.onnx")) and not list((home / "onnx").glob("*.tmp"))


def test_an_ort_failure_falls_back_to_torch(home, caplog):
    module = Tiny().eval()
    model = _load(lambda: module)
    x = torch.randn(2, 4, 31)  # the export fixed T = 20: ONNX Runtime refuses, torch does not
    with caplog.at_level(logging.WARNING, logger="sessionscope.audio.onnx_models"):
        got = model(x)
    assert "torch is used from now on" in caplog.text
    with torch.inference_mode():
        assert torch.allclose(got, module(x))


def test_switch_and_devices(monkeypatch):
    monkeypatch.setenv(onnx_models.ENV_SWITCH, "0")
    assert not onnx_models.enabled("cpu")
    monkeypatch.setenv(onnx_models.ENV_SWITCH, "1")
    assert onnx_models.enabled("cpu") and not onnx_models.enabled("cuda")


@pytest.mark.slow
def test_real_networks_match_torch_on_real_speech(shared_data, monkeypatch):
    """CAM++ embeddings (cosine >= 0.9999) and segmentation outputs (same decisions) of ONNX Runtime vs torch.

    Uses the ordinary model cache (the copies other tests and runs use), exporting them if needed."""
    monkeypatch.delenv(onnx_models.ENV_SWITCH, raising=False)
    from sessionscope import models
    from sessionscope.audio import segmentation as seg_mod
    from sessionscope.audio.decode import load_audio
    from sessionscope.audio.diarize import ChunkFeatures

    x = load_audio(shared_data / "pyannote-sample" / "sample.wav").mono[: 16000 * 30]
    seg_mod.load_segmentation.cache_clear()
    models._load_campplus_any.cache_clear()
    try:
        net, cfg = seg_mod.load_segmentation()
        cam = models.load_campplus()
        assert isinstance(net, onnx_models.OnnxModel) and isinstance(cam, onnx_models.OnnxModel)
        tnet, tcfg = seg_mod._load_torch_segmentation("cpu")
        assert cfg == tcfg
        chunks = torch.from_numpy(np.stack([x[s:s + 160000] for s in (0, 80000, 160000)]))[:, None, :]
        with torch.inference_mode():
            ref = tnet(chunks).numpy()
        got = net(chunks).numpy()
        assert got.shape == ref.shape and np.abs(got - ref).max() < 1e-3
        assert (got.argmax(-1) == ref.argmax(-1)).mean() > 0.999
        feats = ChunkFeatures(x).chunk(0, 160000)
        batch = np.stack([feats[a:a + 250] - feats[a:a + 250].mean(0) for a in (0, 300, 600)])
        with torch.inference_mode():
            e_ref = models._load_campplus("cpu")(torch.from_numpy(batch)).numpy()
        e_got = cam(torch.from_numpy(batch)).numpy()
        cos = (e_ref * e_got).sum(1) / np.linalg.norm(e_ref, axis=1) / np.linalg.norm(e_got, axis=1)
        assert cos.min() >= 0.9999
    finally:
        seg_mod.load_segmentation.cache_clear()
        models._load_campplus_any.cache_clear()


@pytest.mark.slow
def test_cpu_diarization_runs_without_importing_torch(shared_data, tmp_path):
    """With the ONNX copies cached, a CPU diarization never imports torch (about 3 CPU s and 200 MB per run)."""
    import os
    import subprocess
    import sys

    from sessionscope import models
    from sessionscope.audio import segmentation as seg_mod

    seg_mod.load_segmentation.cache_clear()
    models._load_campplus_any.cache_clear()
    assert isinstance(seg_mod.load_segmentation()[0], onnx_models.OnnxModel)  # exported into the cache if needed
    assert isinstance(models.load_campplus(), onnx_models.OnnxModel)
    code = (
        "import sys\n"
        "from sessionscope.audio.decode import load_audio\n"
        "from sessionscope.audio.diarize import diarize\n"
        "from sessionscope.models import torch_device\n"
        f"x = load_audio({str(shared_data / 'pyannote-sample' / 'sample.wav')!r}).mono[:16000 * 30]\n"
        "d = diarize(x)\n"
        "imported = 'torch' in sys.modules\n"
        "print(len(d.speakers), imported, torch_device('auto'), 'torch' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != onnx_models.ENV_SWITCH}
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    n, imported, device, after = res.stdout.split()
    assert int(n) >= 2 and imported == "False"
    if device == "cpu":  # no GPU here: choosing the device did not import torch either
        assert after == "False"

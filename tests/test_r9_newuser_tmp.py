"""Round 9 new-user pass: a batch killed while writing leaves temporary files; the next run removes them.

Model-free: a real SIGKILL of a process stopped inside :func:`atomic_write_text`, then ``run_batch`` on the
same output folder (fake loader, as in ``test_batch.py``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import replace

from helpers import make_session
from sessionscope.batch import make_items, run_batch
from sessionscope.config import Config
from sessionscope.fileio import TEMP_NAME, atomic_write_text, remove_stale_temp_files
from sessionscope.runspec import build_run_spec


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def _load(item, spec, hook=None):
    return make_session([("a", 0, 1, "hello there"), ("b", 1, 2, "hi, how are you?")], sid=item.session_id)


def _spec():
    return replace(build_run_spec("analyze", config=Config(), stages=["dynamics"], formats=("markdown",)), loader=_load)


def test_temp_name_carries_the_writer_pid_and_matches_the_pattern(tmp_path, monkeypatch):
    seen = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (seen.append(os.path.basename(a)), real(a, b)))
    atomic_write_text(tmp_path / "batch.json", "{}")
    m = TEMP_NAME.match(seen[0])
    assert m and m["name"] == "batch.json" and m["pid"] == str(os.getpid())


def test_only_our_temp_files_of_gone_writers_are_removed(tmp_path):
    dead, live = _dead_pid(), os.getpid()
    names = {
        f".batch.json.{dead}.ab12cd_9.tmp": True,  # killed writer
        f".batch.json.{live}.ab12cd_9.tmp": False,  # a live writer (this process)
        f".report.html.{dead}.ab12cd_9.tmp": False,  # not a name asked for
        f"batch.json.{dead}.ab12cd_9.tmp": False,  # not our pattern (no leading dot)
        ".batch.json.tmp": False,  # not our pattern
        f".batch.json.{dead}.AB12CD_9.tmp": False,  # mkstemp never makes capitals
        "notes.tmp": False,
    }
    for n in names:
        (tmp_path / n).write_text("x", encoding="utf-8")
    removed = remove_stale_temp_files(tmp_path, ("batch.json",))
    assert sorted(p.name for p in removed) == sorted(n for n, gone in names.items() if gone)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(n for n, gone in names.items() if not gone)


def test_legacy_temp_names_without_pid_go_by_age(tmp_path):
    old, new = tmp_path / ".batch.json.k3j2h1g0.tmp", tmp_path / ".batch.json.a1b2c3d4.tmp"
    for f in (old, new):
        f.write_text("x", encoding="utf-8")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    assert remove_stale_temp_files(tmp_path, ("batch.json",)) == [old]
    assert new.exists()


_KILLED_WRITER = """
import os, sys, time
from sessionscope.fileio import atomic_write_text
os.replace = lambda a, b: (print("written", flush=True), time.sleep(600))  # stopped between write and rename
atomic_write_text(sys.argv[1], "{}")
"""


def test_sigkill_during_batch_json_write_then_rerun_cleans_and_resumes(tmp_path):
    out = tmp_path / "out"
    f = tmp_path / "in" / "s1.txt"
    f.parent.mkdir()
    f.write_text("one", encoding="utf-8")
    first = run_batch(make_items([f]), _spec(), out)
    assert [r.status for r in first.results] == ["ok"]
    # a batch killed (SIGKILL) while rewriting batch.json, and one killed while writing a session's report
    p = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(out / "batch.json")], stdout=subprocess.PIPE, text=True)
    assert p.stdout is not None and p.stdout.readline().strip() == "written"
    p.kill()
    p.wait()
    left = [x.name for x in out.iterdir() if TEMP_NAME.match(x.name)]
    assert len(left) == 1 and left[0].startswith(f".batch.json.{p.pid}.")
    stray = out / "s1" / f".summary.md.{_dead_pid()}.zz99yy88.tmp"
    stray.write_text("half", encoding="utf-8")
    (out / "s1" / "session.json").unlink()  # that session was not finished
    g = tmp_path / "in" / "s2.txt"
    g.write_text("two", encoding="utf-8")
    rerun = run_batch(make_items([f, g]), _spec(), out)
    assert [r.status for r in rerun.results] == ["ok", "ok"]
    assert not [x for x in out.rglob("*") if TEMP_NAME.match(x.name)]
    assert json.loads((out / "batch.json").read_text(encoding="utf-8"))["done"] == 2
    assert (out / "s1" / "summary.md").is_file()


def test_a_live_batch_temp_file_is_kept(tmp_path):
    """Another batch writing into the same folder right now: its temporary file is not ours to remove."""
    p = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = tmp_path / f".batch.json.{p.pid}.q1w2e3r4.tmp"
        live.write_text("x", encoding="utf-8")
        run_batch([], _spec(), tmp_path)
        assert live.exists()
    finally:
        p.kill()
        p.wait()

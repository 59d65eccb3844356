"""The console script ends at once after its command, without losing exit handlers, output or the exit code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

_RUN = """
import atexit, sys, threading, time
from pathlib import Path
marker = Path(sys.argv[1])
atexit.register(lambda: marker.with_suffix(".atexit").write_text("ran"))
class Freed:  # freed only by the interpreter's own finalisation, which the quick exit leaves out
    def __del__(self):
        marker.with_suffix(".freed").write_text("freed")
kept = Freed()
if sys.argv[2] == "thread":  # a non-daemon thread still working when the command ends: the ordinary exit waits
    threading.Thread(target=lambda: (time.sleep(0.5), marker.with_suffix(".thread").write_text("done"))).start()
from sessionscope.cli import main
sys.argv = ["sessionscope", *sys.argv[3:]]
main()
"""


def _main(tmp_path: Path, *args: str, thread: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _RUN, str(tmp_path / "m"), "thread" if thread else "-", *args],
                          capture_output=True, text=True, timeout=120)


def test_success_prints_runs_the_exit_handlers_and_exits_0(tmp_path):
    res = _main(tmp_path, "--version")
    assert res.returncode == 0, res.stderr
    assert "sessionscope, version" in res.stdout
    assert (tmp_path / "m.atexit").read_text() == "ran"
    assert not (tmp_path / "m.freed").exists()  # the quick exit: no object-by-object finalisation


def test_usage_errors_keep_their_code_and_message(tmp_path):
    res = _main(tmp_path, "no-such-command")
    assert res.returncode == 2
    assert "No such command" in res.stderr
    assert (tmp_path / "m.atexit").read_text() == "ran"


def test_a_failed_batch_exits_1(tmp_path):
    res = _main(tmp_path, "analyze", str(tmp_path / "missing.vtt"), "--out", str(tmp_path / "out"), "--no-progress")
    assert res.returncode == 1, res.stdout + res.stderr
    assert (tmp_path / "out" / "batch.json").is_file()


def test_a_running_non_daemon_thread_is_waited_for(tmp_path):
    res = _main(tmp_path, "--version", thread=True)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "m.thread").read_text() == "done"
    assert (tmp_path / "m.atexit").read_text() == "ran"
    assert (tmp_path / "m.freed").read_text() == "freed"  # the ordinary exit

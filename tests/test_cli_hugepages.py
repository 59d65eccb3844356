"""The audio commands start again once with transparent huge pages for malloc (``sessionscope.cli.hugepages``):
when they do, with which arguments and environment. No models; one subprocess test starts a real process again."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sessionscope.cli import hugepages as h

PY = "/venv/bin/python"
SCRIPT = "/venv/bin/sessionscope"
MADVISE = "always [madvise] never\n"


def plan(args: tuple[str, ...] = ("run", "a.wav", "--out", "o"), *, env: dict[str, str] | None = None,
         thp: str | None = MADVISE, libc: tuple[str, str] = ("glibc", "2.36"), platform: str = "linux",
         orig: list[str] | None = None) -> tuple[list[str], dict[str, str]] | None:
    return h.reexec_plan(argv=["sessionscope", *args], orig_argv=orig if orig is not None else [PY, SCRIPT, *args],
                         executable=PY, env={"HOME": "/h"} if env is None else env, platform=platform, libc=libc,
                         thp=thp)


def test_run_starts_again_with_the_tunable_the_same_arguments_and_a_marker():
    got = plan()
    assert got is not None
    args, env = got
    assert args == [PY, SCRIPT, "run", "a.wav", "--out", "o"]
    assert env == {"HOME": "/h", "GLIBC_TUNABLES": "glibc.malloc.hugetlb=1", h.MARKER: "1"}


def test_the_interpreter_is_named_by_its_full_path_and_keeps_its_own_options():
    args, _ = plan(orig=["python3", "-X", "importtime", "-m", "sessionscope", "run", "a.wav", "--out", "o"]) or ([], {})
    assert args == [PY, "-X", "importtime", "-m", "sessionscope", "run", "a.wav", "--out", "o"]


def test_the_tunable_is_added_to_the_users_other_tunables():
    _, env = plan(env={"GLIBC_TUNABLES": "glibc.malloc.arena_max=2"}) or ([], {})
    assert env["GLIBC_TUNABLES"] == "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"


@pytest.mark.parametrize("tunables", ["glibc.malloc.hugetlb=0", "glibc.malloc.hugetlb=2",
                                      "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"])
def test_a_hugetlb_the_user_set_is_kept(tunables):
    assert plan(env={"GLIBC_TUNABLES": tunables}) is None


@pytest.mark.parametrize("value", ["0", "false", "off", " No "])
def test_the_malloc_opt_out_turns_it_off(value):
    assert plan(env={"SESSIONSCOPE_MALLOC_TUNE": value}) is None
    assert plan(env={"SESSIONSCOPE_MALLOC_TUNE": "1"}) is not None


def test_the_opt_out_is_the_one_of_the_malloc_thresholds():
    from sessionscope.audio.decode import MALLOC_ENV

    assert h.OPT_OUT == MALLOC_ENV


def test_the_started_again_process_never_starts_again():
    _, env = plan() or ([], {})
    assert plan(env=env) is None
    assert plan(env={h.MARKER: "1"}) is None


@pytest.mark.parametrize(("thp", "expected"), [
    (MADVISE, True),
    ("[always] madvise never\n", False),  # the kernel already gives huge pages by itself
    ("always madvise [never]\n", False),  # nothing to gain
    ("", False),
    (None, False),  # no THP in this kernel (or not readable)
])
def test_only_the_madvise_mode_needs_it(thp, expected):
    assert (plan(thp=thp) is not None) is expected


@pytest.mark.parametrize(("libc", "expected"), [
    (("glibc", "2.35"), True),
    (("glibc", "2.40"), True),
    (("glibc", "3.0"), True),
    (("glibc", "2.34"), False),  # no glibc.malloc.hugetlb before 2.35
    (("glibc", "2.17"), False),
    (("", ""), False),  # musl, or unknown
    (("glibc", "weird"), False),
])
def test_glibc_2_35_or_later(libc, expected):
    assert (plan(libc=libc) is not None) is expected


@pytest.mark.parametrize("platform", ["darwin", "win32", "freebsd14"])
def test_only_on_linux(platform):
    assert plan(platform=platform) is None


@pytest.mark.parametrize(("args", "expected"), [
    (("run", "a.wav"), True),
    (("-v", "run", "a.wav"), True),
    (("-q", "-vv", "run", "--help"), True),
    (("analyze", "t.vtt", "--out", "o"), False),  # text commands: not worth a second start
    (("report", "programme", "o"), False),
    (("config", "show"), False),
    (("--version",), False),
    (("--help",), False),
    ((), False),
    (("--", "run"), False),
])
def test_only_audio_commands(args, expected):
    assert (plan(args) is not None) is expected


def test_a_program_calling_main_with_arguments_of_its_own_is_not_started_again():
    # pytest's own command line, say, while sys.argv was set to the console script's
    assert plan(orig=[PY, "-m", "pytest", "-q", "tests/"]) is None
    assert plan(orig=[PY]) is None


def test_thp_mode_and_command_parsing():
    assert h.thp_mode("always defer defer+madvise [madvise] never") == "madvise"
    assert h.thp_mode("always madvise never") is None
    assert h.command_of(["-v", "run", "x"]) == "run"
    assert h.glibc_version(("glibc", "2.36")) == (2, 36)


_CHILD = """
import json, os, sys
from pathlib import Path
from sessionscope.cli import hugepages, main
hugepages._read = lambda path: "always [madvise] never"  # this machine's THP mode and glibc left out of the test
import platform
platform.libc_ver = lambda: ("glibc", "2.36")
with Path(os.environ["HP_LOG"]).open("a") as f:
    f.write(json.dumps({"pid": os.getpid(), "tunables": os.environ.get("GLIBC_TUNABLES"),
                        "marker": os.environ.get(hugepages.MARKER), "argv": sys.argv[1:]}) + "\\n")
main()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="os.execve with the glibc tunable: Linux only")
def test_the_console_script_starts_again_once_and_the_new_process_sees_the_tunable(tmp_path: Path):
    log = tmp_path / "log.jsonl"
    env = {k: v for k, v in __import__("os").environ.items()
           if k not in ("GLIBC_TUNABLES", h.MARKER, "SESSIONSCOPE_MALLOC_TUNE")}
    res = subprocess.run([sys.executable, "-c", _CHILD, "-q", "run", "--help"], capture_output=True, text=True,
                         timeout=120, env={**env, "HP_LOG": str(log)})
    assert res.returncode == 0, res.stderr
    assert "Usage: sessionscope run" in res.stdout  # the command itself ran, in the new process, once
    starts = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(starts) == 2
    assert starts[0]["pid"] == starts[1]["pid"]  # replaced, not a child
    assert starts[0]["tunables"] is None and starts[0]["marker"] is None
    assert starts[1]["tunables"] == "glibc.malloc.hugetlb=1" and starts[1]["marker"] == "1"
    assert starts[0]["argv"] == starts[1]["argv"] == ["-q", "run", "--help"]

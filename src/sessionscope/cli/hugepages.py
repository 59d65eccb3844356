"""Transparent huge pages for malloc's memory in the audio commands: the CLI starts itself again, once, with
``GLIBC_TUNABLES=glibc.malloc.hugetlb=1``.

CTranslate2's and the networks' large buffers are mapped fresh for each batch and faulted in 4 KiB page by page:
5.4–5.8 s of kernel time in a 5-minute `run` and in faster-whisper alone (round 26). With the tunable, glibc
(2.35 and later) asks the kernel for huge pages on the memory it maps (``madvise(MADV_HUGEPAGE)``) and grows its heap
in 2 MiB steps, so where the kernel's THP mode is ``madvise`` one fault maps 2 MiB instead of 4 KiB (round 27:
docs/benchmarks/audio.md, "hugetlb").

glibc reads ``GLIBC_TUNABLES`` once, when the process starts, and has no call that sets it later (``mallopt`` has no
such parameter; ``madvise`` covers only ranges that exist, not the buffers mapped later; Linux's only per-process THP
switch, ``PR_SET_THP_DISABLE``, turns them off), so the console script replaces itself (``os.execve``: same process
id, same arguments, same standard streams) with the tunable added, before anything else is imported or printed.
It does so only when it helps and only once:

* Linux with glibc 2.35 or later (older glibcs and other C libraries do not know the tunable);
* the kernel's THP mode is ``madvise``: under ``never`` nothing can change, under ``always`` the kernel already backs
  every large enough mapping with huge pages by itself;
* the user has not set ``glibc.malloc.hugetlb`` themselves (any value, kept as it is);
* ``SESSIONSCOPE_MALLOC_TUNE`` is not ``0`` (the opt-out of :func:`sessionscope.audio.decode.keep_freed_memory`);
* the command runs the audio path (:data:`AUDIO_COMMANDS`): the text commands allocate little and are not worth
  the second start (about 35 ms of CPU: ``benchmarks/hugepages_start_r27_thp.py``);
* :data:`MARKER` is not already in the environment (set in the new process: it never loops), and the arguments
  this process was started with end with the ones the command line sees (a program that calls ``main()`` with
  arguments of its own, as the tests do, is never started again in its own place).

The library (:func:`sessionscope.api.run` and the like) and Ray workers started by a cluster of their own get
nothing: the tunable can only be set by whoever starts the process (set ``GLIBC_TUNABLES=glibc.malloc.hugetlb=1`` in
their environment to have it). Worker processes that the console script starts itself inherit it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence

#: the glibc tunable and its value: ``1`` = ``madvise(MADV_HUGEPAGE)`` on malloc's mappings and its heap grown in
#: huge-page steps (``2`` would use reserved hugetlbfs pages, which a machine rarely has)
TUNABLE = "glibc.malloc.hugetlb"
VALUE = "1"
#: set in the started-again process: it never starts itself a second time
MARKER = "SESSIONSCOPE_HUGEPAGES_REEXEC"
#: the opt-out shared with :func:`sessionscope.audio.decode.keep_freed_memory` (kept in step with its MALLOC_ENV)
OPT_OUT = "SESSIONSCOPE_MALLOC_TUNE"
#: commands that decode and transcribe recordings (``run``: one file or folders of them)
AUDIO_COMMANDS = frozenset({"run"})
#: the first glibc that reads ``glibc.malloc.hugetlb``
MIN_GLIBC = (2, 35)
THP_ENABLED = "/sys/kernel/mm/transparent_hugepage/enabled"


def thp_mode(text: str | None) -> str | None:
    """The selected mode in the kernel's ``transparent_hugepage/enabled`` text (``always [madvise] never`` →
    ``madvise``); None when there is none."""
    if not text:
        return None
    for word in text.split():
        if word.startswith("[") and word.endswith("]"):
            return word[1:-1]
    return None


def glibc_version(libc: tuple[str, str]) -> tuple[int, int] | None:
    """``platform.libc_ver()``'s answer as (major, minor) when it is glibc; None otherwise."""
    name, version = libc
    if name != "glibc":
        return None
    try:
        major, minor = version.split(".")[:2]
        return int(major), int(minor)
    except ValueError:
        return None


def command_of(args: Sequence[str]) -> str | None:
    """The subcommand among the console script's arguments: the first that is not an option (the group's own
    options, ``-v``/``-q``/``--help``/``--version``, take no value)."""
    for a in args:
        if a == "--":
            return None
        if not a.startswith("-"):
            return a
    return None


def _opted_out(env: Mapping[str, str]) -> bool:
    return env.get(OPT_OUT, "1").strip().lower() in ("0", "false", "no", "off")


def _has_tunable(tunables: str) -> bool:
    return any(part.split("=", 1)[0].strip() == TUNABLE for part in tunables.split(":"))


def reexec_plan(*, argv: Sequence[str], orig_argv: Sequence[str], executable: str, env: Mapping[str, str],
                platform: str, libc: tuple[str, str], thp: str | None) -> tuple[list[str], dict[str, str]] | None:
    """The arguments and environment to start the console script again with (for ``os.execve(executable, …)``), or
    None when it should go on as it is. ``argv``: what the command line sees (``sys.argv``), ``orig_argv``: what
    the interpreter was started with (``sys.orig_argv``), ``thp``: the text of :data:`THP_ENABLED` (None: not
    readable). Pure: it reads nothing and changes nothing."""
    if MARKER in env or _opted_out(env) or not platform.startswith("linux") or not executable:
        return None
    if command_of(argv[1:]) not in AUDIO_COMMANDS:
        return None
    version = glibc_version(libc)
    if version is None or version < MIN_GLIBC or thp_mode(thp) != "madvise":
        return None
    tunables = env.get("GLIBC_TUNABLES", "")
    if _has_tunable(tunables):
        return None
    args = list(argv[1:])
    if len(orig_argv) < 1 + len(args) or (args and list(orig_argv[-len(args):]) != args):
        return None  # started some other way (a program calling main() with arguments of its own)
    new_env = dict(env)
    new_env["GLIBC_TUNABLES"] = f"{tunables}:{TUNABLE}={VALUE}" if tunables else f"{TUNABLE}={VALUE}"
    new_env[MARKER] = "1"
    # the interpreter by its full path (a bare "python" in argv[0] would be looked up on PATH again), with the
    # interpreter's own options (-X, -O, -m module, -c code) and the arguments as they came
    return [executable, *orig_argv[1:]], new_env


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="ascii", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def reexec_with_hugepages() -> None:
    """Start this process again with :data:`TUNABLE` when :func:`reexec_plan` says so (no return then); otherwise
    return at once. A failed ``execve`` (say, a deleted interpreter) is not an error: the command goes on without."""
    if not sys.platform.startswith("linux") or MARKER in os.environ:
        return
    import platform

    plan = reexec_plan(argv=sys.argv, orig_argv=getattr(sys, "orig_argv", []), executable=sys.executable,
                       env=os.environ, platform=sys.platform, libc=platform.libc_ver(), thp=_read(THP_ENABLED))
    if plan is None:
        return
    args, env = plan
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    try:
        os.execve(args[0], args, env)
    except OSError:
        return


__all__ = ["reexec_plan", "reexec_with_hugepages", "thp_mode", "glibc_version", "command_of", "TUNABLE", "MARKER",
           "AUDIO_COMMANDS"]

"""Small file helpers shared by every writer: atomic writes and content hashes."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

log = logging.getLogger(__name__)

#: the name :func:`atomic_write_bytes` gives its temporary file: ``.NAME.PID.XXXXXXXX.tmp`` (``tempfile.mkstemp``'s
#: 8 random characters; ``PID`` of the writer since round 9, absent in files left by earlier versions)
TEMP_NAME = re.compile(r"^\.(?P<name>.+?)\.(?:(?P<pid>\d+)\.)?[a-z0-9_]{8}\.tmp$")
#: a temporary file of an earlier version (no PID in its name) older than this is left over: a write takes milliseconds
LEGACY_TEMP_MIN_AGE_S = 60.0


def bundled_resource(*parts: str) -> Path:
    """The path of a file shipped in the package's ``resources`` folder (``bundled_resource("taxonomy.yaml")``)."""
    from importlib import resources

    return Path(str(resources.files("sessionscope").joinpath("resources", *parts)))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temp file in the same folder, then rename).

    A reader never sees a half-written file, and a crash leaves the old file intact.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # the writer's PID in the name lets a later run tell a killed writer's leftover from a live one's file
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def atomic_write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write text atomically; see :func:`atomic_write_bytes`."""
    return atomic_write_bytes(path, text.encode(encoding))


def _writer_gone(path: Path, pid: str | None) -> bool:
    """Whether the process that wrote temporary file ``path`` is gone (killed during the write)."""
    try:
        written = path.stat().st_mtime
    except OSError:
        return False
    if pid is None:  # an earlier version's name: judged by age
        return time.time() - written > LEGACY_TEMP_MIN_AGE_S
    n = int(pid)
    if n == os.getpid():
        return False
    try:
        os.kill(n, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        pass
    started = _process_start_time(n)  # a process that started after the write only reuses the PID
    return started is not None and started > written + 1.0


def remove_stale_temp_files(folder: str | Path, names: tuple[str, ...] | None = None, *,
                            owned: bool = False) -> list[Path]:
    """Remove the temporary files a killed writer left in ``folder`` (not in its subfolders).

    Only files named as :func:`atomic_write_bytes` names them (:data:`TEMP_NAME`) are touched, and only those
    for one of ``names`` (``None``: any name). A file is removed when its writer is gone (its PID in the name
    is no live process of this host), or always when ``owned`` (the caller holds the folder's
    :class:`DirLock`, so no one else writes there). A SIGKILL during a write leaves such a file; the real
    file beside it is never half-written.

    Returns:
        The files removed.
    """
    removed: list[Path] = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return removed
    for f in entries:
        m = TEMP_NAME.match(f.name)
        if m is None or (names is not None and m["name"] not in names) or not f.is_file() or f.is_symlink():
            continue
        if owned or _writer_gone(f, m["pid"]):
            try:
                f.unlink()
            except OSError:
                continue
            removed.append(f)
    if removed:
        log.info("%s: removed %d temporary file(s) left by a killed run: %s", folder, len(removed),
                 ", ".join(p.name for p in removed))
    return removed


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    """Hex SHA-256 of a file's content, read in chunks."""
    with open(path, "rb") as fh:
        return sha256_stream(fh, chunk)


def sha256_stream(fh: BinaryIO, chunk: int = 1 << 20) -> str:
    """Hex SHA-256 of what is left to read in an open binary file (a local file or an fsspec one)."""
    h = hashlib.sha256()
    while block := fh.read(chunk):
        h.update(block)
    return h.hexdigest()


def safe_output_path(root: str | Path, *parts: str) -> Path:
    """``root/parts…``, guaranteed to stay inside ``root`` (no ``..``, absolute parts or links out).

    Every writer that builds a path from data (a session id, a pair id, a participant
    id) goes through this, so a manifest id like ``../../x`` or ``/abs/path`` can never
    place a file outside the output folder.

    Raises:
        InputError: a part is empty, absolute, contains a path separator or ``..``, or
            the resolved path leaves ``root``.
    """
    from sessionscope.errors import InputError

    base = Path(root)
    for part in parts:
        text = str(part)
        if (not text or text in (".", "..") or "/" in text or "\\" in text or "\x00" in text
                or Path(text).is_absolute() or Path(text).drive):
            raise InputError(f"unsafe output name {text!r}: names must not be empty, absolute or contain "
                             "'/', '\\', '..'", path=base)
    target = base.joinpath(*map(str, parts))
    resolved_root = base.resolve()
    resolved = target.resolve()
    if resolved != resolved_root and not resolved.is_relative_to(resolved_root):
        raise InputError(f"output path {target} would be outside the output folder {base}", path=base)
    return target


def _process_start_time(pid: int) -> float | None:
    """When process ``pid`` started (seconds since the epoch), on Linux; ``None`` elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[19])  # field 22 of stat: start time in clock ticks after boot
        boot = next(float(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                    if line.startswith("btime "))
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


class LockHeld(Exception):
    """Another live process holds the lock (``pid`` and ``host`` say which)."""

    def __init__(self, path: Path, pid: int | None, host: str | None) -> None:
        self.path, self.pid, self.host = path, pid, host
        super().__init__(f"{path} is held by process {pid} on {host}")


class DirLock:
    """An exclusive lock on an output folder: a ``.sessionscope.lock`` file made with ``O_EXCL``.

    The file holds ``PID HOST``. A lock left by a process that is gone (killed batch, same
    host) is stale and taken over; a lock of a live process raises :class:`LockHeld`, so
    two batches writing into one ``--out`` never process the same session twice.
    Use as a context manager.
    """

    NAME = ".sessionscope.lock"

    def __init__(self, folder: str | Path) -> None:
        self.path = Path(folder) / self.NAME
        self._held = False

    def _holder(self) -> tuple[int | None, str | None]:
        try:
            pid_s, _, host = self.path.read_text(encoding="utf-8").strip().partition(" ")
            return int(pid_s), host or None
        except (OSError, ValueError):
            return None, None

    def _recent(self, seconds: float = 5.0) -> bool:
        import time

        try:
            return time.time() - self.path.stat().st_mtime < seconds
        except OSError:
            return False

    def _alive(self, pid: int) -> bool:
        """Whether the lock's process still runs (a process that started after the lock was written
        merely reuses its PID: the lock is stale)."""
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        started = _process_start_time(pid)
        try:
            written = self.path.stat().st_mtime
        except OSError:
            return True
        return started is None or started <= written + 1.0

    def acquire(self) -> DirLock:
        import socket

        host = socket.gethostname()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                pid, holder_host = self._holder()
                if pid is None and self._recent():  # being written by its owner right now
                    raise LockHeld(self.path, None, None) from None
                if pid is not None and (holder_host != host or (pid != os.getpid() and self._alive(pid))):
                    raise LockHeld(self.path, pid, holder_host) from None
                if pid == os.getpid():
                    raise LockHeld(self.path, pid, holder_host) from None
                try:  # stale: its process is gone (or the file is unreadable half-written garbage)
                    self.path.unlink()
                except FileNotFoundError:
                    pass
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(f"{os.getpid()} {host}\n")
            self._held = True
            return self
        pid, holder_host = self._holder()
        raise LockHeld(self.path, pid, holder_host)

    def break_if_held_by(self, pid: int, host: str) -> bool:
        """Remove the lock if ``pid`` on ``host`` holds it: a worker known to be dead (engines,
        after a worker or node was lost), whose lock another host cannot judge stale."""
        if self._holder() != (pid, host):
            return False
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        return True

    def release(self) -> None:
        if self._held:
            self._held = False
            try:
                self.path.unlink()
            except FileNotFoundError:
                pass

    def __enter__(self) -> DirLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


#: manifests and configs are small; a bigger YAML file is a mistake or an attack
YAML_MAX_BYTES = 16 * 1024 * 1024
#: values after expanding YAML aliases (a "billion laughs" file expands to ~10^9)
YAML_MAX_NODES = 1_000_000


def load_yaml_limited(text: str, *, max_bytes: int = YAML_MAX_BYTES, max_nodes: int = YAML_MAX_NODES) -> object:
    """``yaml.safe_load`` with bounds: file size, and the size of the document once aliases are expanded.

    Anchors and aliases stay allowed (a manifest may reuse a participant with ``*anna``),
    but a document whose aliases multiply into more than ``max_nodes`` values (an alias
    bomb) or refer to themselves is refused before anything walks it.

    Raises:
        ValueError: too large, too many values after alias expansion, or self-referencing.
        yaml.YAMLError: not valid YAML.
    """
    import yaml

    if len(text) > max_bytes:
        raise ValueError(f"YAML text is larger than {max_bytes // (1024 * 1024)} MB")
    doc = yaml.safe_load(text)  # aliases are shared objects here: cheap until expanded
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: object) -> int:
        if not isinstance(node, (list, dict)):
            return 1
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise ValueError("YAML document refers to itself (recursive alias)")
        active.add(key)
        children = [*node.keys(), *node.values()] if isinstance(node, dict) else node
        total = 1
        for child in children:
            total += size(child)
            if total > max_nodes:
                raise ValueError(f"YAML document expands to more than {max_nodes:,} values (alias bomb?)")
        active.discard(key)
        sizes[key] = total
        return total

    try:
        size(doc)
    except RecursionError as e:
        raise ValueError("YAML document is nested too deeply") from e
    return doc

"""The package version, in a leaf module so that any layer can read it without importing the package root."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

__version__ = "0.1.0"


@functools.cache
def code_digest(root: str | None = None) -> str:
    """A digest of the package's own source and resource files (16 hex digits).

    The version number says which release made an output; between releases (a development checkout, a
    retrained head file) the code changes while the version does not. Resuming a batch must not reuse a
    ``session.json`` made by other code, so the resume key carries this digest too. Reads the package's
    files once per process (about 4 MB); ``__pycache__`` folders and compiled files are left out.
    """
    base = Path(root) if root else Path(__file__).parent
    h = hashlib.sha256()
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        rel = path.relative_to(base)
        if "__pycache__" in rel.parts or path.suffix in (".pyc", ".pyo"):
            continue
        h.update(rel.as_posix().encode("utf-8") + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:16]

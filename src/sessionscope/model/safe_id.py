"""Safe session and participant ids (they name output folders and files).

Apart from :mod:`sessionscope.model.manifest` (whose pydantic models a run without a manifest
never needs) so that the batch runner can check an id without building them;
:func:`check_safe_id` is importable from both.
"""

from __future__ import annotations

import re

#: a session or participant id: letters, digits, '_', '-', '.', not starting with '.' or '-'
_SAFE_ID = re.compile(r"^\w[\w.-]*$", re.UNICODE)


def check_safe_id(value: str, *, what: str = "session id") -> str:
    """``value`` if it is a safe slug for a folder or file name, else ``ValueError`` saying why.

    Refused: path separators, ``..``, a leading dot or dash, spaces and other
    punctuation, control characters, more than 128 characters.
    """
    if len(value) > 128 or not _SAFE_ID.match(value) or ".." in value:
        raise ValueError(
            f"{what} {value!r} is not a safe name: use letters, digits, '_', '-' and '.' "
            "(no '/', '\\', '..', spaces, or leading '.'/'-'; at most 128 characters)"
        )
    return value


__all__ = ["check_safe_id"]

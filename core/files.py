"""Writing files people keep: whole or not at all, readable by their owner only.

Exports, reports and calendars hold a person's job search, so they are
written to a temporary file next to the target (created for the owner only)
and moved over it once complete: a full disk or an interrupted command never
leaves a half-written file where the old one was.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Iterator

from coachflow.errors import CoachflowError


@contextmanager
def write_whole(path: str | os.PathLike[str], *, binary: bool = False) -> Iterator[IO[Any]]:
    """A stream that becomes the file ``path`` when the ``with`` block ends without an error.

    Text streams are UTF-8 and write line endings as given (CSV chooses its own).
    Missing folders are created. The file is readable and writable by its owner only.

    :raises CoachflowError: ``PATH: cannot write the file: REASON`` when the
        file or its folder cannot be written; nothing is left behind.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        raise CoachflowError(f"{target}: cannot write the file: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "wb") if binary else os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            yield stream
        os.replace(temporary, target)
    except OSError as exc:
        raise CoachflowError(f"{target}: cannot write the file: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


__all__ = ["write_whole"]

"""The journal: every event and action a person records, and the questions steps ask of it.

:mod:`coachflow.journal.base` is the interface (:class:`Journal`, the write
side; :class:`JournalReader`, the read side steps get as ``ctx.journal``);
:mod:`coachflow.journal.sqlite` is the default backend, one file per person.
:func:`open_journal` is the one way to open a journal: the engine, the
commands and plugins receive what it returns and never pick a backend.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from coachflow.journal.base import (
    ACTION_STATUSES,
    FEEDBACK_REQUEST_KEY,
    Entry,
    Journal,
    JournalReader,
    RunningSummary,
    StoredAction,
    Tally,
)
from coachflow.journal.paths import check_profile_name, default_journal_path, profile_journals, resolve_journal_path

if TYPE_CHECKING:
    from coachflow.applications import Application

#: What ``open_journal`` takes for a journal that lives only as long as the object.
IN_MEMORY = ":memory:"

#: URL schemes that name a database server rather than a file.
SERVER_SCHEMES: tuple[str, ...] = ("postgresql://", "postgres://")

#: The ways to open a journal (see :func:`open_journal`).
MODES: tuple[str, ...] = ("write", "read", "dry-run")


def is_server_url(target: str | os.PathLike[str]) -> bool:
    """True when ``target`` names a database server (``postgresql://...``) rather than a file."""
    return isinstance(target, str) and target.startswith(SERVER_SCHEMES)


def open_journal(target: str | os.PathLike[str], *, mode: str = "write", missing_ok: bool = False) -> Journal:
    """Open the journal ``target`` names: a file path, or ``":memory:"`` for a throwaway one.

    :param mode: ``write`` (create it if needed, upgrade an older schema),
        ``read`` (never change it: works on a read-only file or disk; an
        older schema is upgraded in memory), or ``dry-run`` (writes may be
        made but never reach it: the engine rolls them back, and a journal
        that may not be written is copied into memory first).
    :param missing_ok: with ``read``, an empty journal in memory when there
        is none yet (a dry run always gets one).
    :raises JournalError: when it cannot be opened, is not a journal, or
        was written by a newer coachflow; one line that names it.
    """
    from coachflow.errors import JournalError
    from coachflow.journal import sqlite

    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if is_server_url(target):
        raise JournalError(f"{_without_password(str(target))}: this coachflow cannot open a database server yet")
    if str(target) == IN_MEMORY:
        return sqlite.SqliteJournal.in_memory()
    path = Path(target).expanduser()
    if mode == "write":
        return sqlite.SqliteJournal.open(path)
    if not path.exists() and (missing_ok or mode == "dry-run"):
        return sqlite.SqliteJournal.in_memory()
    if mode == "read":
        return sqlite.SqliteJournal.open(path, read_only=True)
    return sqlite.SqliteJournal.open_for_dry_run(path)


def _without_password(url: str) -> str:
    """A server URL as messages may show it: any password replaced by ``***``."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    user = f"{parts.username}:***@" if parts.username else ":***@"
    netloc = user + host + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


__all__ = [
    "ACTION_STATUSES", "FEEDBACK_REQUEST_KEY", "IN_MEMORY", "MODES", "Entry", "Journal", "JournalReader",
    "RunningSummary", "StoredAction", "Tally", "check_profile_name", "default_journal_path", "is_server_url",
    "open_journal", "profile_journals", "resolve_journal_path",
]

"""The journal: every event and action a person records, and the questions steps ask of it.

:mod:`coachflow.journal.base` is the interface (:class:`Journal`, the write
side; :class:`JournalReader`, the read side steps get as ``ctx.journal``);
:mod:`coachflow.journal.sqlite` is the default backend, one file per person;
:mod:`coachflow.journal.postgres` keeps a whole practice's clients in one
PostgreSQL database (``pip install 'coachflow[postgres]'``).
:func:`open_journal` is the one way to open a journal: the engine, the
commands and plugins receive what it returns and never pick a backend.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coachflow.journal.base import (
    ACTION_STATUSES,
    FEEDBACK_REQUEST_KEY,
    Entry,
    Journal,
    JournalReader,
    Practice,
    RunningSummary,
    StoredAction,
)
from coachflow.journal.paths import (
    SERVER_SCHEMES,
    check_profile_name,
    default_journal_path,
    is_server_url,
    profile_journals,
    resolve_journal_path,
)

if TYPE_CHECKING:
    from coachflow.applications import Application
    from coachflow.journal.periods import Tally
    from coachflow.practice import BoardFacts

#: What ``open_journal`` takes for a journal that lives only as long as the object.
IN_MEMORY = ":memory:"

#: The ways to open a journal (see :func:`open_journal`).
MODES: tuple[str, ...] = ("write", "read", "dry-run")


def open_journal(target: str | os.PathLike[str], *, mode: str = "write", missing_ok: bool = False,
                 client: str | None = None) -> Journal:
    """Open the journal ``target`` names: a file path, ``":memory:"`` for a throwaway one,
    or a PostgreSQL URL (``postgresql://user@host/db``) and the ``client`` whose journal it is.

    :param mode: ``write`` (create it if needed, upgrade an older schema),
        ``read`` (never change it: works on a read-only file or disk; an
        older schema is upgraded in memory), or ``dry-run`` (writes may be
        made but never reach it: the engine rolls them back, and a journal
        that may not be written is copied into memory first).
    :param missing_ok: with ``read``, an empty journal in memory when there
        is none yet (a dry run always gets one).
    :param client: with a server URL, the client (a profile name) whose
        journal to open; one database holds many. Ignored for a file.
    :raises JournalError: when it cannot be opened, is not a journal, or
        was written by a newer coachflow; one line that names it.
    """
    from coachflow.errors import JournalError
    from coachflow.journal import sqlite

    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if is_server_url(target):
        from coachflow.journal import postgres  # psycopg is imported only here, for a server

        return postgres.open_client(str(target), client, mode=mode, missing_ok=missing_ok)
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


def open_practice(target: str | None = None, *, mode: str = "write") -> Practice:
    """Open a coach's practice: the PostgreSQL practice store a URL names, else the clients on this machine.

    On this machine (``target`` is ``None``), each client has a settings file
    in ``<data dir>/clients`` and a journal in ``<data dir>/profiles``; in a
    store, both are in its tables, and the connecting coach sees only their
    own clients.

    :param mode: ``write`` (a store in an empty database is set up first) or ``read`` (an empty
        database is a practice with no clients yet, left as it is).
    :raises JournalError: when the store cannot be used (see :func:`open_journal`).
    """
    if target is not None and is_server_url(target):
        from coachflow.journal import postgres

        return postgres.PracticeStore.open(str(target), mode="write" if mode == "write" else "read")
    from coachflow.journal.sqlite import FilePractice

    return FilePractice()


def _without_password(url: str) -> str:
    """A server URL as messages may show it: any password replaced by ``***``.

    Both places a libpq URL can hold one are covered: ``user:secret@host``
    and a ``password=`` query parameter. The rest is left as written.
    """
    import re

    scheme, separator, rest = url.partition("://")
    if not separator:
        return url
    authority, _, tail = re.match(r"([^/?#]*)(.*)", rest, re.S).group(1, 0, 2)
    if "@" in authority:
        userinfo, _, hostinfo = authority.rpartition("@")
        if ":" in userinfo:
            authority = f"{userinfo.partition(':')[0]}:***@{hostinfo}"
    tail = re.sub(r"([?&]password=)[^&#]*", r"\1***", tail)
    return f"{scheme}://{authority}{tail}"


def __getattr__(name: str) -> Any:
    """``BoardFacts`` and ``Tally``, imported on first use: a run needs neither (see :mod:`coachflow.journal.base`)."""
    if name in ("BoardFacts", "Tally"):
        from coachflow.journal import base

        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ACTION_STATUSES", "FEEDBACK_REQUEST_KEY", "IN_MEMORY", "MODES", "BoardFacts", "Entry", "Journal", "JournalReader",
    "Practice", "RunningSummary", "StoredAction", "Tally", "check_profile_name", "default_journal_path", "is_server_url",
    "open_journal", "open_practice", "profile_journals", "resolve_journal_path",
]

"""Where journals live: the file a command uses, and one per profile (a coach's client).

The order is ``--journal``, ``COACHFLOW_JOURNAL``, the workflow's
``[settings] journal`` (taken from the workflow file's folder), else the
user's data directory as platformdirs finds it, with a file per profile.
Any of the first three may instead name a PostgreSQL practice store
(``postgresql://...``), where the profile names the client.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from coachflow.errors import JournalError

#: URL schemes that name a database server rather than a file.
SERVER_SCHEMES: tuple[str, ...] = ("postgresql://", "postgres://")

#: What a profile name may hold: it becomes a file name.
PROFILE_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


def check_profile_name(profile: str) -> str:
    """Return ``profile`` if it can name a journal file, else raise :class:`JournalError`."""
    if not PROFILE_NAME.fullmatch(profile):
        raise JournalError(
            f"profile {profile!r}: use 1 to 64 letters, digits, '-' or '_' (for example: alex-smith)"
        )
    return profile


def data_dir() -> Path:
    """coachflow's data directory (platformdirs' ``user_data_dir``: ``~/.local/share/coachflow`` on Linux)."""
    import platformdirs  # only commands that touch the journal pay for this import

    return Path(platformdirs.user_data_dir("coachflow", appauthor=False))


def default_journal_path(profile: str | None = None, *, data: Path | None = None) -> Path:
    """Where the journal lives when no path is given: the user's data directory.

    Each profile (one per client, for coaches) has its own file.

    :param data: the data directory, when the caller has it already.
    """
    base = data or data_dir()
    if profile:
        return base / "profiles" / f"{check_profile_name(profile)}.sqlite3"
    return base / "journal.sqlite3"


def profile_journals() -> dict[str, Path]:
    """The profiles that have a journal in the data directory: name -> file, by name."""
    try:
        files = sorted((data_dir() / "profiles").glob("*.sqlite3"))
    except OSError:
        return {}
    return {path.stem: path for path in files if PROFILE_NAME.fullmatch(path.stem) and path.is_file()}


def is_server_url(target: object) -> bool:
    """True when ``target`` names a database server (``postgresql://...``) rather than a file."""
    return isinstance(target, str) and target.startswith(SERVER_SCHEMES)


def resolve_journal_path(
    option: str | None = None,
    *,
    settings_path: str | None = None,
    profile: str | None = None,
    workflow_dir: Path | None = None,
) -> Path | str:
    """Choose the journal: ``--journal``, ``COACHFLOW_JOURNAL``, the workflow's
    ``[settings] journal``, else the user's data directory (per ``--profile``).

    A relative ``settings_path`` is taken from the workflow file's folder. A
    server URL (see :func:`is_server_url`) is returned as it is, a string.

    :raises JournalError: when the profile name could not be a file name.
    """
    profile = profile or os.environ.get("COACHFLOW_CLIENT") or os.environ.get("COACHFLOW_PROFILE") or None
    if profile is not None:
        check_profile_name(profile)  # even when unused here: a typo deserves a word
    if option is not None and not option.strip():
        raise JournalError("--journal: the file name is empty")
    if option:
        return option if is_server_url(option) else Path(option).expanduser()
    env = os.environ.get("COACHFLOW_JOURNAL")
    if env:
        return env if is_server_url(env) else Path(env).expanduser()
    if settings_path:
        if is_server_url(settings_path):
            return settings_path
        return settings_journal_path(settings_path, workflow_dir if workflow_dir is not None else Path.cwd())
    return default_journal_path(profile)


#: How every SQLite database file begins.
_SQLITE_HEADER = b"SQLite format 3\x00"


def settings_journal_path(setting: str, workflow_dir: Path) -> Path:
    """The journal a workflow's ``[settings] journal`` names, checked before anything opens it.

    A workflow travels between people, so the file it names must stay inside
    the workflow's folder once symbolic links are followed (``sub -> /elsewhere``
    cannot carry it out), and an existing file there must already be a
    coachflow journal: ``journal = ".gitkeep"`` must not turn someone's file
    into a database.

    :param setting: the value of ``settings.journal``, relative to the workflow's folder.
    :param workflow_dir: the folder the workflow file is in.
    :returns: the journal's path, symbolic links followed.
    :raises JournalError: one line saying what is wrong and what to write instead.
    """
    folder = workflow_dir.resolve()
    path = (folder / setting).resolve()
    if not path.is_relative_to(folder):
        raise JournalError(
            f"settings.journal: '{setting}' leads outside the workflow's folder {folder} (to {path}); name a file "
            "inside the folder, or use --journal or COACHFLOW_JOURNAL for a journal elsewhere"
        )
    if path.exists() and not path.is_dir() and not _is_journal_file(path):
        raise JournalError(
            f"settings.journal: {path} is a file that is not a coachflow journal, and coachflow will not turn it "
            "into one; name a new file, such as \"journal.sqlite3\""
        )
    return path


def _is_journal_file(path: Path) -> bool:
    """True for a file that holds a coachflow journal (or a journal coachflow began but has no tables yet)."""
    import sqlite3

    try:
        with open(path, "rb") as file:
            if file.read(len(_SQLITE_HEADER)) != _SQLITE_HEADER:
                return False
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except (OSError, sqlite3.Error):
        return True  # unreadable here: opening the journal says why, in its own words
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.Error:
        return True  # a damaged journal is the journal's to report
    finally:
        connection.close()
    return version > 0 or tables == 0


__all__ = ["PROFILE_NAME", "SERVER_SCHEMES", "check_profile_name", "data_dir", "default_journal_path", "is_server_url",
           "profile_journals", "resolve_journal_path", "settings_journal_path"]

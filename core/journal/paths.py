"""Where journals live: the file a command uses, and one per profile (a coach's client).

The order is ``--journal``, ``COACHFLOW_JOURNAL``, the workflow's
``[settings] journal`` (taken from the workflow file's folder), else the
user's data directory as platformdirs finds it, with a file per profile.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from coachflow.errors import JournalError

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


def default_journal_path(profile: str | None = None) -> Path:
    """Where the journal lives when no path is given: the user's data directory.

    Each profile (one per client, for coaches) has its own file.
    """
    if profile:
        return data_dir() / "profiles" / f"{check_profile_name(profile)}.sqlite3"
    return data_dir() / "journal.sqlite3"


def profile_journals() -> dict[str, Path]:
    """The profiles that have a journal in the data directory: name -> file, by name."""
    try:
        files = sorted((data_dir() / "profiles").glob("*.sqlite3"))
    except OSError:
        return {}
    return {path.stem: path for path in files if PROFILE_NAME.fullmatch(path.stem) and path.is_file()}


def resolve_journal_path(
    option: str | None = None,
    *,
    settings_path: str | None = None,
    profile: str | None = None,
    workflow_dir: Path | None = None,
) -> Path:
    """Choose the journal file: ``--journal``, ``COACHFLOW_JOURNAL``, the workflow's
    ``[settings] journal``, else the user's data directory (per ``--profile``).

    A relative ``settings_path`` is taken from the workflow file's folder.

    :raises JournalError: when the profile name could not be a file name.
    """
    profile = profile or os.environ.get("COACHFLOW_PROFILE") or None
    if profile is not None:
        check_profile_name(profile)  # even when unused here: a typo deserves a word
    if option is not None and not option.strip():
        raise JournalError("--journal: the file name is empty")
    if option:
        return Path(option).expanduser()
    env = os.environ.get("COACHFLOW_JOURNAL")
    if env:
        return Path(env).expanduser()
    if settings_path:
        path = Path(settings_path).expanduser()
        if not path.is_absolute() and workflow_dir is not None:
            path = workflow_dir / path
        return path
    return default_journal_path(profile)


__all__ = ["PROFILE_NAME", "check_profile_name", "data_dir", "default_journal_path", "profile_journals",
           "resolve_journal_path"]

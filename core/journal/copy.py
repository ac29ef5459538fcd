"""Copying journals between backends: a file or a folder of profiles to a practice store, and back.

Events, their runs and actions, and a coach's notes are copied. A client's
settings come along between a practice store and a data directory: copied
into a store from a folder named ``profiles``, the settings file beside it
(``<data dir>/clients/NAME.toml``) goes into the client's row when that row
holds no settings yet; copied from a store into a folder named ``profiles``,
the row's settings are written to ``clients/NAME.toml`` beside it when there
is no such file yet. Settings already there are never overwritten.

:func:`plan_copy` turns a source and a destination (a SQLite file, a folder
of profile files, a PostgreSQL URL) into one :class:`CopyJob` per journal;
:func:`copy_journal` copies one. Each journal is copied in one transaction
of the destination, keeping every id, time and status, and rows the
destination already holds are left alone, so a copy that was stopped (or
killed) is completed by running it again, and running it twice adds
nothing. At the end both sides are counted, and a difference is an error.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

import attrs

from coachflow.errors import JournalError
from coachflow.journal import Journal, is_server_url, open_journal
from coachflow.journal.paths import PROFILE_NAME

T = TypeVar("T")

#: The file name a profile's journal has in a folder of profiles.
PROFILE_SUFFIX = ".sqlite3"


@attrs.frozen
class CopyJob:
    """One journal to copy: its name (the client or profile), where it is read and where it is written."""

    name: str
    source: str
    destination: str
    #: The client to open on each side (``None`` for a file).
    source_client: str | None = None
    destination_client: str | None = None

    def open_source(self) -> Journal:
        """The journal to read, never changed."""
        return open_journal(self.source, mode="read", client=self.source_client)

    def open_destination(self) -> Journal:
        """The journal to write, created when it is new."""
        return open_journal(self.destination, client=self.destination_client)


@attrs.frozen
class Copied:
    """What copying one journal did, and what both sides hold afterwards."""

    name: str
    events: int
    actions: int
    notes: int
    added_events: int
    added_actions: int
    added_notes: int


def _shown(target: str | os.PathLike[str]) -> str:
    from coachflow.journal import _without_password

    return _without_password(str(target))


def plan_copy(source: str, destination: str, *, profile: str | None = None) -> list[CopyJob]:
    """The journals ``coachflow journal copy SOURCE DESTINATION`` copies, one job each.

    - A file: one journal, the client ``profile`` (default: the file's name
      without ``.sqlite3``) on a server.
    - A folder: every profile file in it (``NAME.sqlite3``), client ``NAME``.
    - A server URL with ``profile``: that client; without: every client the
      connecting role can see.

    The destination is a server URL, a file (for one journal) or a folder
    (created if needed; one ``NAME.sqlite3`` per journal).

    :raises JournalError: when the source holds nothing to copy, or a name
        could not be a client's.
    """
    if is_server_url(source):
        names = [profile] if profile else _server_clients(source)
        jobs = [(name, source, name) for name in names]
        if not jobs:
            raise JournalError(f"{_shown(source)}: there are no clients you can see in this practice store")
    else:
        path = Path(source).expanduser()
        if path.is_dir():
            files = sorted(p for p in path.glob(f"*{PROFILE_SUFFIX}") if PROFILE_NAME.fullmatch(p.stem))
            if not files:
                raise JournalError(f"{path}: no profile journals here (files named NAME{PROFILE_SUFFIX})")
            jobs = [(file.stem, str(file), None) for file in files]
        elif path.is_file():
            name = profile or path.stem
            if is_server_url(destination) and not PROFILE_NAME.fullmatch(name):
                raise JournalError(f"{path}: '{name}' cannot name a client; give one with --profile NAME")
            jobs = [(name, str(path), None)]
        else:
            raise JournalError(f"{path}: there is no journal here")
    return [_job(name, source_target, source_client, destination, len(jobs))
            for name, source_target, source_client in jobs]


def _job(name: str, source: str, source_client: str | None, destination: str, count: int) -> CopyJob:
    if is_server_url(destination):
        return CopyJob(name, source, destination, source_client, name)
    target = Path(destination).expanduser()
    if target.is_dir() or count > 1 or (is_server_url(source) and not target.suffix):
        target = target / f"{name}{PROFILE_SUFFIX}"
    return CopyJob(name, source, str(target), source_client, None)


def _server_clients(url: str) -> list[str]:
    from coachflow.journal.postgres import PracticeStore

    store = PracticeStore(url)
    try:
        store.check_schema(set_up=False)
        return store.client_names()
    finally:
        store.close()


def copy_journal(job: CopyJob, *, progress: Callable[[int], None] | None = None) -> Copied:
    """Copy one journal (see the module's description) and check both sides hold the same.

    :param progress: called with how many more rows were read, as they are.
    :raises JournalError: when the destination holds another journal, or
        the counts differ afterwards (someone wrote to one side meanwhile).
    """
    with job.open_source() as source, job.open_destination() as destination:
        reader = source.reader
        held = destination.reader.last_event_id()
        if held and destination.reader.identity() != reader.identity():
            raise JournalError(f"{destination.location}: already holds another journal than {source.location}; "
                               "copy into an empty one (or another client)")
        entries = _counted(reader.entries(), progress)
        actions = _counted(reader.actions(), progress)
        notes = _counted(reader.notes(), progress)
        added_events, added_actions, added_notes = destination.copy_in(entries, actions, notes)
        counts = (reader.count(), reader.count_actions(), len(reader.notes()))
        copied = (destination.reader.count(), destination.reader.count_actions(), len(destination.reader.notes()))
    if counts != copied:
        raise JournalError(
            f"{destination.location}: holds {copied[0]} events, {copied[1]} actions and {copied[2]} notes after the "
            f"copy, {source.location} {counts[0]}, {counts[1]} and {counts[2]}; one of them was written meanwhile "
            "or they had parted ways; look at both before copying again")
    _copy_settings(job)
    return Copied(job.name, *counts, added_events, added_actions, added_notes)


def _copy_settings(job: CopyJob) -> None:
    """Bring a client's settings along between a practice store and a data directory (see the module's description)."""
    if is_server_url(job.destination) == is_server_url(job.source):
        return
    profile = Path(job.destination if is_server_url(job.source) else job.source).expanduser()
    settings = profile.parent.parent / "clients" / f"{job.name}.toml"
    if profile.parent.name != "profiles":
        return
    from coachflow.clients import client_to_toml, parse_client
    from coachflow.journal import open_practice

    if is_server_url(job.destination):
        if not settings.is_file():
            return
        client = parse_client(job.name, settings.read_text(encoding="utf-8"), str(settings))
        with open_practice(job.destination) as practice:
            if practice.settings_of(job.name) is None:
                practice.save_client(client)
        return
    if settings.exists():
        return
    with open_practice(job.source) as practice:
        client = practice.settings_of(job.source_client or job.name)
    if client is None:
        return
    from coachflow.files import write_whole

    with write_whole(settings) as stream:
        stream.write(client_to_toml(client))


def rows_to_copy(job: CopyJob) -> int:
    """How many events, actions and notes the source of ``job`` holds (for a progress bar)."""
    with job.open_source() as source:
        return source.reader.count() + source.reader.count_actions() + len(source.reader.notes())


def _counted(items: Iterable[T], progress: Callable[[int], None] | None) -> Iterator[T]:
    for item in items:
        yield item
        if progress is not None:
            progress(1)


__all__ = ["CopyJob", "Copied", "copy_journal", "plan_copy", "rows_to_copy"]

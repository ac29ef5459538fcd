"""The journal: every event and action, kept in one SQLite file.

The engine writes it; steps read it through :class:`JournalReader` (the
``ctx.journal`` they receive), which offers questions rather than SQL:
which events, which applications are open, what feedback came from a
company, how many of something happened in a window.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence

import attrs

from coachflow.errors import JournalError
from coachflow.models import (
    EVENT_CLASSES,
    Action,
    Event,
    event_fields,
    event_to_dict,
)

#: The schema version this code writes; see :data:`MIGRATIONS`.
SCHEMA_VERSION = 1

#: Forward migrations: ``MIGRATIONS[n]`` brings a version ``n - 1`` journal to ``n``.
MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        type TEXT NOT NULL,
        date TEXT NOT NULL,
        company TEXT NOT NULL DEFAULT '',
        role TEXT NOT NULL DEFAULT '',
        stage TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        fingerprint TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    );
    CREATE INDEX events_by_type_date ON events (type, date);
    CREATE INDEX events_by_company ON events (company COLLATE NOCASE, role COLLATE NOCASE);
    CREATE INDEX events_by_fingerprint ON events (fingerprint);
    CREATE TABLE actions (
        id INTEGER PRIMARY KEY,
        event_id INTEGER NOT NULL REFERENCES events (id),
        workflow TEXT NOT NULL,
        step TEXT NOT NULL,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL DEFAULT '',
        due TEXT,
        key TEXT,
        status TEXT NOT NULL DEFAULT 'open',
        created_at TEXT NOT NULL
    );
    CREATE INDEX actions_by_due ON actions (status, due);
    CREATE INDEX actions_by_key ON actions (key);
    """,
}

_EVENT_COLUMNS = ("type", "date", "company", "role", "stage", "kind", "reason", "source", "text", "notes")
_CLOSING_CONDITION = "(c.type = 'rejection' OR (c.type = 'milestone' AND c.kind IN ('withdrawn', 'accepted')))"


def fingerprint(event: Event) -> str:
    """A stable digest of an event's content; equal events share it (used by import)."""
    data = json.dumps(event_to_dict(event), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


@attrs.frozen
class Application:
    """An application opened by an ``applied`` milestone and not yet closed."""

    company: str
    role: str
    applied: dt.date
    event_id: int

    def age_days(self, today: dt.date) -> int:
        """Days since the application was sent."""
        return (today - self.applied).days


@attrs.frozen
class StoredAction:
    """An action as the journal keeps it, with its id and status."""

    id: int
    event_id: int
    workflow: str
    action: Action
    status: str  # open, done or cancelled
    created_at: dt.datetime


def _row_to_event(row: sqlite3.Row) -> Event:
    event_type = row["type"]
    values: dict[str, Any] = {name: row[name] for name in event_fields(event_type)}
    values["date"] = dt.date.fromisoformat(row["date"])
    return EVENT_CLASSES[event_type](**values)


def _row_to_stored_action(row: sqlite3.Row) -> StoredAction:
    action = Action(
        kind=row["kind"],
        title=row["title"],
        body=row["body"],
        due=dt.datetime.fromisoformat(row["due"]) if row["due"] else None,
        key=row["key"],
        step=row["step"],
    )
    return StoredAction(
        id=row["id"],
        event_id=row["event_id"],
        workflow=row["workflow"],
        action=action,
        status=row["status"],
        created_at=dt.datetime.fromisoformat(row["created_at"]),
    )


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


class JournalReader:
    """Read-only questions about a person's history; steps get one as ``ctx.journal``."""

    def __init__(self, connection: sqlite3.Connection):
        self._db = connection

    def events(
        self,
        type: str | None = None,
        *,
        company: str | None = None,
        role: str | None = None,
        kind: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> list[Event]:
        """Events matching every filter given, oldest first.

        :param type: ``rejection``, ``feedback`` or ``milestone``.
        :param company: the company, compared without regard to case.
        :param role: the role, compared without regard to case.
        :param kind: a milestone kind.
        :param since: the first date included.
        :param until: the last date included.
        """
        return [_row_to_event(row) for row in self._select_events(type, company, role, kind, since, until)]

    def iter_entries(
        self,
        type: str | None = None,
        *,
        company: str | None = None,
        role: str | None = None,
        kind: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> Iterator[tuple[int, Event]]:
        """Like :meth:`events`, but streams ``(event_id, event)`` pairs one at a time."""
        for row in self._select_events(type, company, role, kind, since, until):
            yield row["id"], _row_to_event(row)

    def _select_events(self, type, company, role, kind, since, until) -> sqlite3.Cursor:
        clauses, params = self._filters(type=type, company=company, role=role, kind=kind, since=since, until=until)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        return self._db.execute(f"SELECT * FROM events {where} ORDER BY date, id", params)

    @staticmethod
    def _filters(**filters: Any) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        for column in ("type", "kind", "stage"):
            if filters.get(column) is not None:
                clauses.append(f"{column} = ?")
                params.append(filters[column])
        for column in ("company", "role"):
            if filters.get(column) is not None:
                clauses.append(f"{column} = ? COLLATE NOCASE")
                params.append(filters[column])
        if filters.get("since") is not None:
            clauses.append("date >= ?")
            params.append(_iso(filters["since"]))
        if filters.get("until") is not None:
            clauses.append("date <= ?")
            params.append(_iso(filters["until"]))
        return clauses, params

    def count(
        self,
        type: str | None = None,
        *,
        kind: str | None = None,
        stage: str | None = None,
        company: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> int:
        """How many events match every filter given (see :meth:`events`)."""
        clauses, params = self._filters(type=type, kind=kind, stage=stage, company=company, since=since, until=until)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        return self._db.execute(f"SELECT count(*) FROM events {where}", params).fetchone()[0]

    def open_applications(self, as_of: dt.date | None = None) -> list[Application]:
        """The pipeline: applications sent and not yet closed, oldest first.

        An ``applied`` milestone opens an application for its company and
        role; a later rejection, ``withdrawn`` or ``accepted`` milestone for
        the same company and role closes it. A closing event with no role
        closes every open application at that company.

        :param as_of: ignore events after this date (default: all).
        """
        cutoff = _iso(as_of) or "9999-12-31"
        rows = self._db.execute(
            f"""
            SELECT a.id, a.company, a.role, a.date FROM events a
            WHERE a.type = 'milestone' AND a.kind = 'applied' AND a.date <= :cutoff
              AND NOT EXISTS (
                SELECT 1 FROM events c
                WHERE c.company = a.company COLLATE NOCASE
                  AND (c.role = a.role COLLATE NOCASE OR c.role = '' OR a.role = '')
                  AND {_CLOSING_CONDITION}
                  AND (c.date > a.date OR (c.date = a.date AND c.id > a.id))
                  AND c.date <= :cutoff)
              AND NOT EXISTS (
                SELECT 1 FROM events b
                WHERE b.type = 'milestone' AND b.kind = 'applied'
                  AND b.company = a.company COLLATE NOCASE AND b.role = a.role COLLATE NOCASE
                  AND (b.date < a.date OR (b.date = a.date AND b.id < a.id))
                  AND b.date <= :cutoff
                  AND NOT EXISTS (
                    SELECT 1 FROM events c
                    WHERE c.company = b.company COLLATE NOCASE
                      AND (c.role = b.role COLLATE NOCASE OR c.role = '' OR b.role = '')
                      AND {_CLOSING_CONDITION}
                      AND (c.date > b.date OR (c.date = b.date AND c.id > b.id))
                      AND c.date <= :cutoff))
            ORDER BY a.date, a.id
            """,
            {"cutoff": cutoff},
        ).fetchall()
        return [
            Application(company=r["company"], role=r["role"], applied=dt.date.fromisoformat(r["date"]), event_id=r["id"])
            for r in rows
        ]

    def feedback_for(self, company: str, role: str | None = None) -> list[Event]:
        """Feedback received about a company (and role, when given), oldest first."""
        return self.events("feedback", company=company, role=role)

    def actions(
        self,
        *,
        status: str | None = None,
        step: str | None = None,
        key: str | None = None,
        due_before: dt.datetime | None = None,
    ) -> list[StoredAction]:
        """Actions steps returned in earlier runs, oldest first.

        :param status: ``open``, ``done`` or ``cancelled``.
        :param step: the step id that returned them.
        :param key: the action key.
        :param due_before: only actions with a due date-time at or before this.
        """
        clauses: list[str] = []
        params: list[Any] = []
        for column, value in (("status", status), ("step", step), ("key", key)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if due_before is not None:
            clauses.append("due IS NOT NULL AND due <= ?")
            params.append(due_before.isoformat(timespec="minutes"))
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._db.execute(f"SELECT * FROM actions {where} ORDER BY coalesce(due, created_at), id", params)
        return [_row_to_stored_action(r) for r in rows]

    # --- Streaming and counting actions, for reports and calendar export ------
    # Added by the reports helper: `coachflow report` and `coachflow calendar`
    # must not hold every action of a long search in memory.

    def iter_actions(
        self,
        *,
        status: str | None = None,
        kind: str | None = None,
        step: str | None = None,
        due_after: dt.datetime | None = None,
        due_before: dt.datetime | None = None,
        with_due: bool = False,
    ) -> Iterator[StoredAction]:
        """Stream actions one at a time, soonest due first (undated ones last).

        :param status: ``open``, ``done`` or ``cancelled``.
        :param kind: an action kind, such as ``reminder``.
        :param step: the step id that returned them.
        :param due_after: only actions due strictly after this date-time.
        :param due_before: only actions due at or before this date-time.
        :param with_due: only actions that have a due date-time.
        """
        where, params = self._action_filters(status=status, kind=kind, step=step, due_after=due_after,
                                             due_before=due_before, with_due=with_due)
        rows = self._db.execute(f"SELECT a.* FROM actions a {where} ORDER BY a.due IS NULL, a.due, a.id", params)
        for row in rows:
            yield _row_to_stored_action(row)

    def count_actions(
        self,
        *,
        status: str | None = None,
        kind: str | None = None,
        step: str | None = None,
        due_before: dt.datetime | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> int:
        """How many actions match every filter given (see :meth:`iter_actions`).

        :param since: only actions made for events dated on or after this day.
        :param until: only actions made for events dated on or before this day.
        """
        where, params = self._action_filters(status=status, kind=kind, step=step, due_before=due_before,
                                             since=since, until=until)
        join = "JOIN events e ON e.id = a.event_id" if since is not None or until is not None else ""
        return self._db.execute(f"SELECT count(*) FROM actions a {join} {where}", params).fetchone()[0]

    def identity(self) -> str:
        """A short id that stays the same for this journal, wherever the file moves.

        It is a digest of the first event and the moment it was recorded, so
        calendar exports can give each action a UID that survives re-export;
        an empty journal has the id of no event.
        """
        row = self._db.execute("SELECT fingerprint, recorded_at FROM events ORDER BY id LIMIT 1").fetchone()
        seed = f"{row['fingerprint']}|{row['recorded_at']}" if row is not None else ""
        return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:16]

    @staticmethod
    def _action_filters(**filters: Any) -> tuple[str, list[Any]]:
        """The WHERE clause for actions (aliased ``a``; ``since``/``until`` need events as ``e``)."""
        clauses: list[str] = []
        params: list[Any] = []
        for column in ("status", "kind", "step"):
            if filters.get(column) is not None:
                clauses.append(f"a.{column} = ?")
                params.append(filters[column])
        if filters.get("with_due"):
            clauses.append("a.due IS NOT NULL")
        if filters.get("due_after") is not None:
            clauses.append("a.due > ?")
            params.append(filters["due_after"].isoformat(timespec="minutes"))
        if filters.get("due_before") is not None:
            clauses.append("a.due <= ?")
            params.append(filters["due_before"].isoformat(timespec="minutes"))
        if filters.get("since") is not None:
            clauses.append("e.date >= ?")
            params.append(_iso(filters["since"]))
        if filters.get("until") is not None:
            clauses.append("e.date <= ?")
            params.append(_iso(filters["until"]))
        return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), params


class Journal:
    """A person's journal file, open for reading and writing.

    Use :meth:`open` or :meth:`in_memory`; close it with :meth:`close` or a
    ``with`` block. Writes happen inside :meth:`transaction`.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path | None):
        self._db = connection
        self.path = path
        self.reader = JournalReader(connection)

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> "Journal":
        """Open (creating if needed, readable by its owner only) the journal at ``path``.

        :raises JournalError: when the file cannot be created or is not a journal.
        """
        path = Path(path).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            os.close(fd)
            connection = sqlite3.connect(path, isolation_level=None, timeout=30.0, check_same_thread=False)
        except OSError as exc:
            raise JournalError(f"{path}: cannot open the journal: {exc.strerror or exc}") from None
        except sqlite3.Error as exc:
            raise JournalError(f"{path}: cannot open the journal: {exc}") from None
        journal = cls(connection, path)
        try:
            journal._prepare(wal=True)
        except sqlite3.DatabaseError as exc:
            connection.close()
            raise JournalError(f"{path}: not a coachflow journal ({exc})") from None
        return journal

    @classmethod
    def in_memory(cls) -> "Journal":
        """A journal that lives only as long as this object (for dry runs and tests)."""
        journal = cls(sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False), None)
        journal._prepare(wal=False)
        return journal

    def _prepare(self, *, wal: bool) -> None:
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA busy_timeout = 30000")
        if wal:
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.execute("PRAGMA foreign_keys = ON")
        self.migrate()

    @property
    def schema_version(self) -> int:
        """The schema version stored in the file (``PRAGMA user_version``)."""
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        """Bring the file's schema up to :data:`SCHEMA_VERSION`, one step at a time."""
        with self.transaction():
            version = self.schema_version
            if version > SCHEMA_VERSION:
                raise JournalError(
                    f"{self.path}: written by a newer coachflow (schema {version}); upgrade coachflow"
                )
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[target].split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {target}")

    @contextmanager
    def transaction(self) -> Iterator["Journal"]:
        """Group writes so that they all land or none does.

        Nested use joins the outer transaction.
        """
        if self._db.in_transaction:
            yield self
            return
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")

    def begin(self) -> None:
        """Start a write transaction (see :meth:`commit` and :meth:`rollback`)."""
        if not self._db.in_transaction:
            self._db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        """Make the writes since :meth:`begin` permanent."""
        if self._db.in_transaction:
            self._db.execute("COMMIT")

    def rollback(self) -> None:
        """Forget the writes since :meth:`begin`."""
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    def add_event(self, event: Event, *, recorded_at: dt.datetime | None = None) -> int:
        """Write one event and return its id (inside the caller's transaction, if any)."""
        data = event_to_dict(event)
        values = [data.get(column, "") or "" for column in _EVENT_COLUMNS]
        stamp = (recorded_at or dt.datetime.now()).isoformat(timespec="seconds")
        cursor = self._db.execute(
            f"INSERT INTO events ({', '.join(_EVENT_COLUMNS)}, fingerprint, recorded_at) "
            f"VALUES ({', '.join('?' * len(_EVENT_COLUMNS))}, ?, ?)",
            [*values, fingerprint(event), stamp],
        )
        return int(cursor.lastrowid)

    def has_event(self, event: Event) -> bool:
        """True when an event with exactly this content is already in the journal."""
        row = self._db.execute("SELECT 1 FROM events WHERE fingerprint = ? LIMIT 1", (fingerprint(event),))
        return row.fetchone() is not None

    def add_actions(
        self, event_id: int, workflow: str, actions: Sequence[Action], *, created_at: dt.datetime | None = None
    ) -> list[int]:
        """Write the actions a run produced for an event; return their ids."""
        stamp = (created_at or dt.datetime.now()).isoformat(timespec="seconds")
        ids = []
        for action in actions:
            cursor = self._db.execute(
                "INSERT INTO actions (event_id, workflow, step, kind, title, body, due, key, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    event_id,
                    workflow,
                    action.step,
                    action.kind,
                    action.title,
                    action.body,
                    action.due.isoformat(timespec="minutes") if action.due else None,
                    action.key,
                    stamp,
                ),
            )
            ids.append(int(cursor.lastrowid))
        return ids

    def cancel_actions(self, keys: Sequence[str]) -> int:
        """Mark open actions with any of these keys cancelled; return how many."""
        if not keys:
            return 0
        cursor = self._db.execute(
            f"UPDATE actions SET status = 'cancelled' WHERE status = 'open' AND key IN ({', '.join('?' * len(keys))})",
            list(keys),
        )
        return cursor.rowcount

    def set_action_status(self, action_id: int, status: str) -> StoredAction:
        """Mark one action ``done`` (or ``open`` again); return it.

        :raises JournalError: when there is no action with that id.
        """
        with self.transaction():
            cursor = self._db.execute("UPDATE actions SET status = ? WHERE id = ?", (status, action_id))
            if cursor.rowcount == 0:
                raise JournalError(f"there is no action with id {action_id}")
        row = self._db.execute("SELECT * FROM actions WHERE id = ?", (action_id,)).fetchone()
        return _row_to_stored_action(row)

    def integrity_check(self) -> str:
        """SQLite's own verdict on the file: ``"ok"`` when it is sound."""
        return self._db.execute("PRAGMA integrity_check").fetchone()[0]

    def close(self) -> None:
        """Close the file; uncommitted writes are lost."""
        self._db.close()

    def __enter__(self) -> "Journal":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


def default_journal_path(profile: str | None = None) -> Path:
    """Where the journal lives when no path is given: the user's data directory.

    Each profile (one per client, for coaches) has its own file.
    """
    import platformdirs  # only commands that touch the journal pay for this import

    base = Path(platformdirs.user_data_dir("coachflow", appauthor=False))
    if profile:
        return base / "profiles" / f"{profile}.sqlite3"
    return base / "journal.sqlite3"


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
    """
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
    return default_journal_path(profile or os.environ.get("COACHFLOW_PROFILE") or None)

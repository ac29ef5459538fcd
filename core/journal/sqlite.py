"""The SQLite journal: every event and action of one person, kept in one file.

The default backend of the :mod:`journal interface <coachflow.journal.base>`:
nothing to set up, one file per person (or per ``--profile``), readable by
its owner only, in WAL mode so that readers and a writer work at once. Its
schema version is ``PRAGMA user_version``; :data:`MIGRATIONS` brings an older
file forward. Open it through :func:`coachflow.journal.open_journal`.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any, Collection, Iterable, Iterator, Sequence

from coachflow.applications import Application, fold, key_of
from coachflow.errors import JournalError
from coachflow.journal.base import EVENT_COLUMNS, FEEDBACK_REQUEST_KEY, Entry, Journal, JournalReader, Practice
from coachflow.journal.base import StoredAction, entry_from_row, event_conditions, event_from_row, event_values
from coachflow.journal.base import fingerprint, stored_action_from_row
from coachflow.journal.dialect import Dialect
from coachflow.journal.open_rule import open_applications_query
from coachflow.models import Action, Event

if TYPE_CHECKING:
    from coachflow.journal.periods import PeriodSummary, SaidText, Tally
    from coachflow.practice import BoardFacts, Note

#: The schema version this code writes; see :data:`MIGRATIONS`.
SCHEMA_VERSION = 8

#: Forward migrations: ``MIGRATIONS[n]`` brings a version ``n - 1`` journal to ``n``.
#: Never edit a released entry: add the next version instead (tests build
#: each earlier version from these texts and migrate it forward).
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
    # 2: remember which workflow ran on each event even when it returned no
    # actions, when an action was marked done, and find milestones by kind.
    2: """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        event_id INTEGER NOT NULL REFERENCES events (id),
        workflow TEXT NOT NULL,
        ran_at TEXT NOT NULL
    );
    CREATE INDEX runs_by_event ON runs (event_id);
    INSERT INTO runs (event_id, workflow, ran_at)
        SELECT event_id, workflow, min(created_at) FROM actions GROUP BY event_id, workflow ORDER BY min(id);
    ALTER TABLE actions ADD COLUMN done_at TEXT;
    CREATE INDEX events_by_type_kind_date ON events (type, kind, date);
    """,
    # 3: find an event's copies through the (type, kind, date) index, then
    # compare their content (see _SAME_CONTENT). An index of the fingerprints,
    # whose keys are random, had most of its pages rewritten by every batch
    # of writes: it was half the cost of recording an event, and hashing
    # each event was a tenth more. New rows leave the fingerprint column
    # empty; it stays because dropping a column needs SQLite 3.35, which
    # some systems' Python still lacks. The (type, date)
    # index goes too: rejections and feedback have an empty kind, so the
    # (type, kind, date) index answers the same questions (_filters asks
    # for kind = '' for them). Open actions are found by key and status:
    # with the key alone, every cancelled and done action with that key was
    # read again on each run. And the workflow that ran on an event in the
    # transaction that recorded it (a replay) is kept in the event's row: a
    # runs row per replayed event was a fifth of what recording one cost.
    # Later runs (run --again, a run after an import) still get runs rows.
    3: """
    DROP INDEX events_by_fingerprint;
    DROP INDEX events_by_type_date;
    DROP INDEX actions_by_key;
    CREATE INDEX actions_by_key_status ON actions (key, status);
    ALTER TABLE events ADD COLUMN workflow TEXT;
    """,
    # 4: a company's events are found by company alone. With the role in the
    # key, a history of 100 companies and 5 roles had 500 places where new
    # rows went, too many pages to stay cached while a replay wrote: the
    # index cost more than the rest of recording an event. Questions about
    # one role read that company's rows, a small share of any journal.
    4: """
    DROP INDEX events_by_company;
    CREATE INDEX events_by_company ON events (company COLLATE NOCASE);
    """,
    # 5: each event keeps the key of its application (coachflow.applications:
    # Unicode case folding, whitespace made single), computed in Python when
    # it is written, so that SQL compares companies and roles exactly as
    # Python does. SQLite's NOCASE folds ASCII letters only: "Öko AG" and
    # "öko AG" were two companies to the journal and one to the steps. The
    # company index goes on with the type, kind and date of the
    # (type, kind, date) index, so that SQLite prefers it for a question
    # about one company's rejections without a planner hint.
    5: """
    ALTER TABLE events ADD COLUMN company_key TEXT NOT NULL DEFAULT '';
    ALTER TABLE events ADD COLUMN role_key TEXT NOT NULL DEFAULT '';
    UPDATE events SET company_key = coachflow_fold(company), role_key = coachflow_fold(role);
    DROP INDEX events_by_company;
    CREATE INDEX events_by_company ON events (company_key, type, kind, date);
    """,
    # 6: a coach's notes about a client's weeks (coachflow note, coachflow digest).
    6: """
    CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        day TEXT NOT NULL,
        text TEXT NOT NULL,
        written_at TEXT NOT NULL
    );
    CREATE INDEX notes_by_day ON notes (day);
    """,
    # 7: a rejection recorded with a run keeps the verdict the run gave on its reason
    # (coachflow.reasons.Verdict.to_json), so that a report counts what the run said even
    # after the coach changes the keywords. Rows from before read as unclassified (null).
    7: """
    ALTER TABLE events ADD COLUMN verdict TEXT;
    """,
    # 8: a step asks for its own open actions of some kinds on every event (StepContext.cancel_open):
    # found by step and kind, not by reading every open action of every step (which grows with
    # the messages a long search leaves open).
    8: """
    CREATE INDEX actions_by_step ON actions (status, step, kind);
    """,
}

# The fingerprint column is left empty (see migration 3).
_INSERT_EVENT = (
    f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}, company_key, role_key, fingerprint, recorded_at, workflow, "
    f"verdict) VALUES ({', '.join('?' * len(EVENT_COLUMNS))}, ?, ?, '', ?, ?, ?)"
)
#: An event copied from another journal keeps its id; one already there is left alone.
_COPY_EVENT = (
    f"INSERT OR IGNORE INTO events (id, {', '.join(EVENT_COLUMNS)}, company_key, role_key, fingerprint, recorded_at, "
    f"workflow, verdict) VALUES (?, {', '.join('?' * len(EVENT_COLUMNS))}, ?, ?, '', ?, ?, ?)"
)

#: The largest id SQLite can give a row (a signed 64-bit integer).
MAX_ROW_ID = 2**63 - 1

#: Rows holding exactly an event's content: every column of it, compared
#: exactly, with the event's :func:`~coachflow.journal.base.event_values` as
#: parameters. The (type, kind, date) index narrows the search to that day's events.
_SAME_CONTENT = " AND ".join(f"{column} = ?" for column in EVENT_COLUMNS)


#: What a person can do about each kind of SQLite failure, by error name prefix.
_SQLITE_ADVICE: tuple[tuple[str, str], ...] = (
    ("SQLITE_READONLY", "the journal is read-only; check that you may write to the file and its folder"),
    ("SQLITE_FULL", "the disk is full, so the change was not saved; free some space and try again"),
    ("SQLITE_IOERR", "the disk could not be written or read ({error}); check that it is not full or failing"),
    ("SQLITE_CANTOPEN", "cannot open the journal file; check that its folder exists and that you may write to it"),
    ("SQLITE_BUSY", "another coachflow is using the journal; try again in a moment"),
    ("SQLITE_LOCKED", "another coachflow is using the journal; try again in a moment"),
    ("SQLITE_NOTADB", "not a coachflow journal ({error})"),
    ("SQLITE_CORRUPT", "the journal file is damaged ({error}); restore it from a backup or export what can be read"),
)


def journal_error(path: Path | None, exc: sqlite3.Error) -> JournalError:
    """Turn a SQLite failure into a one-line :class:`JournalError` naming the file.

    Every journal operation goes through :class:`_JournalConnection`, so a
    read-only file, a full disk or a damaged file is reported the same way
    by every command, as a message a person can act on.
    """
    name = getattr(exc, "sqlite_errorname", "") or ""
    error = " ".join(str(exc).split()) or type(exc).__name__
    advice = next((text for prefix, text in _SQLITE_ADVICE if name.startswith(prefix)), None)
    message = advice.format(error=error) if advice else f"the journal could not be used ({error})"
    return JournalError(f"{path}: {message}" if path is not None else message)


class _JournalConnection(sqlite3.Connection):
    """A SQLite connection that raises :class:`JournalError` instead of ``sqlite3.Error``."""

    journal_path: Path | None = None

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        try:
            return super().execute(sql, parameters)
        except sqlite3.Error as exc:
            raise journal_error(self.journal_path, exc) from exc

    def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:
        try:
            return super().executemany(sql, parameters)
        except sqlite3.Error as exc:
            raise journal_error(self.journal_path, exc) from exc


def _connect(database: str | Path, path: Path | None, **options: Any) -> _JournalConnection:
    connection = sqlite3.connect(database, isolation_level=None, check_same_thread=False,
                                 factory=_JournalConnection, **options)
    connection.journal_path = path
    return connection


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


class SqliteReader(JournalReader):
    """The read side of a SQLite journal (see :class:`~coachflow.journal.base.JournalReader`)."""

    def __init__(self, connection: sqlite3.Connection):
        super().__init__()
        self._db = connection

    def recorded_after(self, event_id: int, *, through: int, types: Sequence[str] | None = None,
                       ) -> Iterator[tuple[int, Event]]:
        """``(event_id, event)`` for the events recorded after ``event_id`` up to ``through``, as recorded."""
        for row in self._db.execute("SELECT * FROM events WHERE id > ? AND id <= ? ORDER BY id", (event_id, through)):
            if types is None or row["type"] in types:
                yield row["id"], event_from_row(row)

    def last_event_id(self) -> int:
        """The id of the last event recorded (0 for an empty journal)."""
        return self._db.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]

    def latest_event_date(self) -> dt.date | None:
        """The latest date of any event (``None`` for an empty journal)."""
        latest = self._db.execute("SELECT max(date) FROM events").fetchone()[0]
        return dt.date.fromisoformat(latest) if latest is not None else None

    def events(self, type: str | None = None, *, company: str | None = None, role: str | None = None,
               kind: str | None = None, since: dt.date | None = None, until: dt.date | None = None) -> list[Event]:
        """Events matching every filter given, by date (then as recorded)."""
        where, params = _where(type=type, company=company, role=role, kind=kind, since=since, until=until)
        return [event_from_row(row) for row in self._db.execute(f"SELECT * FROM events {where} ORDER BY date, id", params)]

    def entries(self, type: str | None = None, *, company: str | None = None, role: str | None = None,
                kind: str | None = None, since: dt.date | None = None, until: dt.date | None = None,
                with_workflows: bool = True) -> Iterator[Entry]:
        """Like :meth:`events`, streamed one :class:`Entry` at a time, with when each was recorded."""
        where, params = _where(type=type, company=company, role=role, kind=kind, since=since, until=until)
        columns = f"events.*, {_WORKFLOWS}" if with_workflows else "events.*, NULL AS workflows"
        for row in self._db.execute(f"SELECT {columns} FROM events {where} ORDER BY date, id", params):
            yield entry_from_row(row)

    def count(self, type: str | None = None, *, kind: str | None = None, stage: str | None = None,
              company: str | None = None, role: str | None = None, since: dt.date | None = None,
              until: dt.date | None = None) -> int:
        """How many events match every filter given (``stage`` is a rejection's)."""
        where, params = _where(type=type, kind=kind, stage=stage, company=company, role=role, since=since, until=until)
        return self._db.execute(f"SELECT count(*) FROM events {where}", params).fetchone()[0]

    def keys_with_news(self, *, since: dt.date, until: dt.date) -> set[tuple[str, str]]:
        """The application keys of the events dated in a window, in one query."""
        return {(company, role) for company, role in self._db.execute(
            "SELECT DISTINCT company_key, role_key FROM events WHERE date >= ? AND date <= ? AND company_key != ''",
            (since.isoformat(), until.isoformat()))}

    def open_applications(self, as_of: dt.date | None = None) -> list[Application]:
        """The pipeline: applications sent and not yet closed, oldest first (the rules of :mod:`coachflow.applications`)."""
        sql, params = open_applications_query(_DIALECT)
        rows = self._db.execute(sql, {**params, "cutoff": _iso(as_of) or "9999-12-31"}).fetchall()
        return [
            Application(company=r["company"], role=r["role"], applied=dt.date.fromisoformat(r["date"]), event_id=r["id"])
            for r in rows
        ]

    def tally(self, *, since: dt.date | None = None, until: dt.date | None = None) -> Tally:
        """Count rejections, feedback and milestones (by kind) dated in a window, in one query."""
        from coachflow.journal.periods import Tally  # for status and reports: a run never asks

        where, params = _where(since=since, until=until)
        counts: dict[tuple[str, str], int] = {
            (row[0], row[1]): row[2]
            for row in self._db.execute(f"SELECT type, kind, count(*) FROM events {where} GROUP BY type, kind", params)
        }
        return Tally(
            rejections=sum(n for (event_type, _), n in counts.items() if event_type == "rejection"),
            feedback=sum(n for (event_type, _), n in counts.items() if event_type == "feedback"),
            milestones={kind: n for (event_type, kind), n in counts.items() if event_type == "milestone"},
        )

    def feedback_requested(self, *, since: dt.date | None = None, until: dt.date | None = None) -> int:
        """How many feedback requests steps drafted (and nobody cancelled) for events in a window."""
        clauses, params = _filters(since=since, until=until)
        where = "".join(f" AND e.{clause}" for clause in clauses)
        # A range on the key (rather than LIKE) lets SQLite use the key index.
        return self._db.execute(
            "SELECT count(*) FROM actions a JOIN events e ON e.id = a.event_id "
            f"WHERE a.key >= ? AND a.key < ? AND a.status != 'cancelled'{where}",
            [FEEDBACK_REQUEST_KEY, FEEDBACK_REQUEST_KEY[:-1] + chr(ord(FEEDBACK_REQUEST_KEY[-1]) + 1), *params],
        ).fetchone()[0]

    def said_texts(self, *, since: dt.date | None = None, until: dt.date | None = None) -> Iterator[SaidText]:
        """Feedback texts and rejection reasons grouped in SQL (see :func:`coachflow.journal.periods.said_texts`)."""
        from coachflow.journal.periods import said_texts  # only a report asks: a run never loads it

        return said_texts(lambda sql, params: self._db.execute(sql, params), _DIALECT, since=since, until=until,
                          date_in=dt.date.isoformat)

    def period_summary(self, *, since: dt.date | None = None, until: dt.date, win_kinds: Collection[str] = (),
                       recent_wins: int = 10, news_since: dt.date | None = None) -> PeriodSummary:
        """Count what a report says about a period, in SQL (see :mod:`coachflow.journal.periods`)."""
        from coachflow.journal.periods import period_summary  # only a report asks: a run never loads it

        return period_summary(
            lambda sql, params: self._db.execute(sql, params).fetchall(), _DIALECT, since=since, until=until,
            win_kinds=win_kinds, recent_wins=recent_wins,
            feedback_requested=lambda start, end: self.feedback_requested(since=start, until=end),
            date_in=dt.date.isoformat, date_out=dt.date.fromisoformat, news_since=news_since,
        )

    def entry_like(self, event: Event) -> Entry | None:
        """The latest entry with exactly this event's content, or ``None``."""
        row = self._db.execute(
            f"SELECT events.*, {_WORKFLOWS} FROM events WHERE {_SAME_CONTENT} ORDER BY id DESC LIMIT 1",
            event_values(event),
        ).fetchone()
        return entry_from_row(row) if row is not None else None

    def event(self, event_id: int) -> Event | None:
        """The event with this id, or ``None``."""
        if not 0 < event_id <= MAX_ROW_ID:
            return None
        row = self._db.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
        return event_from_row(row) if row is not None else None

    def not_yet_recorded(self, events: Sequence[Event]) -> list[Event]:
        """The events of ``events`` that the journal does not hold yet, in their order (copies counted)."""
        keys = [tuple(event_values(event)) for event in events]
        have = {
            key: self._db.execute(f"SELECT count(*) FROM events WHERE {_SAME_CONTENT}", key).fetchone()[0]
            for key in dict.fromkeys(keys)
        }
        new: list[Event] = []
        for event, key in zip(events, keys):
            if have[key] > 0:
                have[key] -= 1
            else:
                new.append(event)
        return new

    def actions(self, *, status: str | None = None, step: str | None = None, key: str | None = None,
                due_before: dt.datetime | None = None, kinds: Sequence[str] | None = None) -> list[StoredAction]:
        """Actions steps returned in earlier runs, by due date (else creation), oldest first."""
        where, params = _action_filters(status, step, key, due_before, kinds)
        rows = self._db.execute(f"SELECT * FROM actions {where} ORDER BY coalesce(due, created_at), id", params)
        return [stored_action_from_row(r) for r in rows]

    def count_actions(self, *, status: str | None = None, step: str | None = None, key: str | None = None,
                      due_before: dt.datetime | None = None, kinds: Sequence[str] | None = None) -> int:
        """How many actions match every filter given (see :meth:`actions`)."""
        where, params = _action_filters(status, step, key, due_before, kinds)
        return self._db.execute(f"SELECT count(*) FROM actions {where}", params).fetchone()[0]

    def next_due(self, after: dt.datetime) -> StoredAction | None:
        """The open action due soonest after ``after``, or ``None``."""
        row = self._db.execute(
            "SELECT * FROM actions WHERE status = 'open' AND due > ? ORDER BY due, id LIMIT 1",
            (after.isoformat(timespec="minutes"),),
        ).fetchone()
        return stored_action_from_row(row) if row is not None else None

    def action(self, action_id: int) -> StoredAction | None:
        """The action with this id, or ``None``."""
        if not 0 < action_id <= MAX_ROW_ID:  # SQLite cannot even look up larger numbers
            return None
        row = self._db.execute("SELECT * FROM actions WHERE id = ?", (action_id,)).fetchone()
        return stored_action_from_row(row) if row is not None else None

    def due_actions(self, *, after: dt.datetime | None = None) -> Iterator[StoredAction]:
        """Open actions that have a due time, streamed one at a time, soonest due first."""
        where, params = "status = 'open' AND due IS NOT NULL", []
        if after is not None:
            where += " AND due > ?"
            params.append(after.isoformat(timespec="minutes"))
        for row in self._db.execute(f"SELECT * FROM actions WHERE {where} ORDER BY due, id", params):
            yield stored_action_from_row(row)

    def notes(self, *, since: dt.date | None = None, until: dt.date | None = None) -> list[Note]:
        """The coach's notes about days in a window, oldest first."""
        from coachflow.practice import Note  # for a digest or a copy: a run never asks for notes

        where, params = _where(since=since, until=until)
        rows = self._db.execute(f"SELECT * FROM notes {where.replace('date', 'day')} ORDER BY day, id", params)
        return [Note(id=row["id"], day=dt.date.fromisoformat(row["day"]), text=row["text"],
                     written_at=dt.datetime.fromisoformat(row["written_at"])) for row in rows]

    def identity(self) -> str:
        """A short id that stays the same for this journal, wherever the file moves.

        It is a digest of the first event and the moment it was recorded; an
        empty journal has the id of no event.
        """
        import hashlib

        row = self._db.execute("SELECT * FROM events ORDER BY id LIMIT 1").fetchone()
        # The fingerprint of its content, as schemas 1 and 2 stored it: the id
        # stays what it was for journals that have them.
        seed = f"{fingerprint(event_from_row(row))}|{row['recorded_at']}" if row is not None else ""
        return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:16]


#: The workflows that ran on an event, joined by newlines, as a column named ``workflows``.
_WORKFLOWS = ("(SELECT group_concat(workflow, char(10)) FROM "
              "(SELECT workflow FROM runs WHERE runs.event_id = events.id ORDER BY runs.id)) AS workflows")


def _sqlite_day(expression: str) -> str:
    # Days since 1 January of year 1: julianday() of an ISO date is N.5, and of that day 1721425.5.
    return f"(CAST(julianday({expression}) AS INTEGER) - 1721425)"


#: How the queries of coachflow.journal.open_rule and coachflow.journal.periods read this journal.
_DIALECT = Dialect(events="events", scope="1 = 1", day=_sqlite_day)


def _where(**filters: Any) -> tuple[str, list[Any]]:
    """A ``WHERE`` clause (or nothing) and its parameters for :func:`_filters`' filters."""
    clauses, params = _filters(**filters)
    return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), params


def _filters(**filters: Any) -> tuple[list[str], list[Any]]:
    conditions = event_conditions(**filters)
    return ([f"{column} {operator} ?" for column, operator, _ in conditions],
            [_iso(value) if isinstance(value, dt.date) else value for _, _, value in conditions])


def _action_filters(status: str | None, step: str | None, key: str | None, due_before: dt.datetime | None,
                    kinds: Sequence[str] | None = None) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for column, value in (("status", status), ("step", step), ("key", key)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if due_before is not None:
        clauses.append("due IS NOT NULL AND due <= ?")
        params.append(due_before.isoformat(timespec="minutes"))
    if kinds is not None:
        clauses.append(f"kind IN ({', '.join('?' * len(kinds))})" if kinds else "0")
        params.extend(kinds)
    return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), params


class SqliteJournal(Journal):
    """A journal in one SQLite file (or in memory), open for reading and writing.

    Open one with :func:`coachflow.journal.open_journal` (or :meth:`open` and
    :meth:`in_memory` here).
    """

    def __init__(self, connection: sqlite3.Connection, path: Path | None):
        self._db = connection
        #: The file, or ``None`` for a journal in memory.
        self.path = path
        self.location = str(path) if path is not None else "a journal in memory"
        self.reader: SqliteReader = SqliteReader(connection)
        #: The last moment written as a timestamp and its text: a replay
        #: stamps every row with the same moment.
        self._stamped: tuple[dt.datetime | None, str] = (None, "")

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, read_only: bool = False) -> "SqliteJournal":
        """Open (creating if needed, readable by its owner only) the journal at ``path``.

        :param read_only: open an existing journal for reading only, for
            commands that only read: it works on a file or folder that may
            not be written (a read-only disk, a backup) and never changes
            the file. A journal from an older coachflow is then upgraded in
            memory, not on disk. Writing through it raises
            :class:`JournalError`.
        :raises JournalError: when the file cannot be created or is not a journal.
        """
        path = Path(path).expanduser()
        if path.is_dir():
            raise JournalError(f"{path}: is a folder, not a journal file")
        if read_only:
            return cls._open_read_only(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            os.close(fd)
        except IsADirectoryError:
            raise JournalError(f"{path}: is a folder, not a journal file") from None
        except OSError as exc:
            raise JournalError(f"{path}: cannot open the journal: {exc.strerror or exc}") from None
        try:
            connection = _connect(path, path, timeout=30.0)
        except sqlite3.Error as exc:
            raise journal_error(path, exc) from exc
        journal = cls(connection, path)
        try:
            journal._prepare(wal=True)
        except JournalError:
            connection.close()
            raise
        return journal

    @classmethod
    def _open_read_only(cls, path: Path) -> "SqliteJournal":
        if not path.is_file():
            raise JournalError(f"{path}: there is no journal here")
        uri = path.resolve().as_uri()
        # A journal in WAL mode needs a shared-memory file beside it even to
        # be read; where that cannot be created (a read-only folder or disk)
        # the file is opened as immutable, which is safe because nobody can
        # write it there either.
        for options in ("mode=ro", "mode=ro&immutable=1"):
            connection = None
            try:
                connection = _connect(f"{uri}?{options}", path, timeout=30.0, uri=True)
                connection.row_factory = sqlite3.Row
                connection.execute("PRAGMA busy_timeout = 30000")
                version = connection.execute("PRAGMA user_version").fetchone()[0]
                break
            except (sqlite3.Error, JournalError) as exc:
                if connection is not None:
                    connection.close()
                last_error = exc
        else:
            raise last_error if isinstance(last_error, JournalError) else journal_error(path, last_error)
        journal = cls(connection, path)
        journal._refuse_newer(version)
        if version < SCHEMA_VERSION:
            journal = journal.copy_in_memory()
        return journal

    @classmethod
    def open_for_dry_run(cls, path: str | os.PathLike[str]) -> "SqliteJournal | None":
        """The journal at ``path`` for a dry run, or ``None`` when there is none yet.

        A dry run writes inside a transaction that the engine rolls back, so a
        current, writable journal is used as it is; only a journal that may
        not be written, or that an older coachflow wrote (upgrading it would
        change the file), is copied into memory first. Copying every time
        would hold a whole history in memory for one look ahead.
        """
        path = Path(path).expanduser()
        if not path.exists():
            return None
        journal = cls.open(path, read_only=True)
        if journal._db.execute("PRAGMA database_list").fetchone()["file"] == "":
            return journal  # an older schema: read_only already upgraded a copy in memory
        if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
            journal.close()
            return cls.open(path)
        return journal.copy_in_memory()

    def copy_in_memory(self) -> "SqliteJournal":
        """A journal in memory holding what this one holds, brought up to date; this one is closed."""
        try:
            return self.scratch_copy()
        finally:
            self.close()

    @classmethod
    def in_memory(cls) -> "SqliteJournal":
        """A journal that lives only as long as this object (for dry runs and tests)."""
        journal = cls(_connect(":memory:", None), None)
        journal._prepare(wal=False)
        return journal

    def _prepare(self, *, wal: bool) -> None:
        self._db.row_factory = sqlite3.Row
        # Migration 5 computes the stored application keys with the same fold Python uses.
        self._db.create_function("coachflow_fold", 1, fold, deterministic=True)
        self._db.execute("PRAGMA busy_timeout = 30000")
        if wal:
            self._use_wal()
            self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.execute("PRAGMA foreign_keys = ON")
        self.migrate()

    def _use_wal(self, patience: float = 30.0) -> None:
        """Switch a journal to WAL mode, which lets readers and a writer work at once.

        The mode is stored in the file, so only the first open of a new journal
        changes it; SQLite answers "database is locked" at once (without its
        busy timeout) when two processes try that together, so wait and retry.
        """
        import time

        deadline = time.monotonic() + patience
        while True:
            if self._db.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
                return
            try:
                self._db.execute("PRAGMA journal_mode = WAL")
                return
            except JournalError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.02)

    @property
    def schema_version(self) -> int:
        """The schema version stored in the file (``PRAGMA user_version``)."""
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        """Bring the file's schema up to :data:`SCHEMA_VERSION`, one step at a time.

        A journal that is already current is only read, so opening it never
        waits for another process's write.
        """
        self._refuse_newer(self.schema_version)
        if self.schema_version == SCHEMA_VERSION:
            return
        with self.transaction():
            version = self.schema_version  # again: another process may have migrated meanwhile
            self._refuse_newer(version)
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[target].split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {target}")

    def _refuse_newer(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise JournalError(f"{self.path}: written by a newer coachflow (schema {version}); upgrade coachflow")

    @property
    def in_transaction(self) -> bool:
        """True between :meth:`begin` and :meth:`commit` or :meth:`rollback`."""
        return self._db.in_transaction

    def begin(self) -> None:
        """Start a write transaction (see :meth:`commit` and :meth:`rollback`)."""
        if not self._db.in_transaction:
            self._db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        """Make the writes since :meth:`begin` permanent, or none of them.

        When SQLite refuses the commit (a full disk, a constraint checked at
        the end), the writes are rolled back, as :meth:`rollback` does, and
        the error is raised.
        """
        if self._db.in_transaction:
            try:
                self._db.execute("COMMIT")
            except BaseException:
                self.rollback()  # SQLite may have kept the transaction open; summaries saw its events
                raise

    def rollback(self) -> None:
        """Forget the writes since :meth:`begin`.

        Never raises: it runs while another error is on its way out, which
        must not be hidden (SQLite may already have rolled back by itself
        after a full disk or an I/O error).
        """
        # Summaries may have seen events that are now gone, and their ids
        # will be given to the next events recorded.
        self.reader.forget_summaries()
        if self._db.in_transaction:
            try:
                self._db.execute("ROLLBACK")
            except JournalError:
                pass

    def add_event(self, event: Event, *, recorded_at: dt.datetime | None = None, workflow: str | None = None,
                  verdict: str | None = None) -> int:
        """Write one event and return its id (inside the caller's transaction, if any).

        :param workflow: the workflow that runs on the event in this same
            transaction; its run is then recorded with the event, and
            :meth:`add_actions` is told not to record it again.
        :param verdict: what the run said about a rejection's reason (see :meth:`Journal.add_event`).
        """
        values = event_values(event)
        values += (*key_of(event), self._stamp(recorded_at), workflow, verdict)
        return int(self._db.execute(_INSERT_EVENT, values).lastrowid)

    def set_verdict(self, event_id: int, verdict: str) -> None:
        """Keep ``verdict`` with an event already in the journal (see :meth:`Journal.set_verdict`)."""
        self._db.execute("UPDATE events SET verdict = ? WHERE id = ?", (verdict, event_id))

    def _stamp(self, moment: dt.datetime | None) -> str:
        """``moment`` (default: now) as the text rows keep, to the second."""
        if moment is None:
            return dt.datetime.now().isoformat(timespec="seconds")
        if moment is not self._stamped[0]:  # identity: equal aware times may differ in text
            self._stamped = (moment, moment.isoformat(timespec="seconds"))
        return self._stamped[1]

    def add_actions(
        self, event_id: int, workflow: str, actions: Sequence[Action], *, created_at: dt.datetime | None = None,
        run_recorded: bool = False,
    ) -> list[int]:
        """Record that ``workflow`` ran on an event and write the actions it produced; return their ids.

        :param run_recorded: the run is already recorded with the event
            (``add_event(..., workflow=...)``).
        """
        stamp = self._stamp(created_at)
        if not run_recorded:
            self._db.execute("INSERT INTO runs (event_id, workflow, ran_at) VALUES (?, ?, ?)",
                             (event_id, workflow, stamp))
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
        # One key at a time: with several, SQLite walks every open action
        # instead of the key index (10 ms per event on a long history).
        cursor = self._db.executemany(
            "UPDATE actions SET status = 'cancelled' WHERE key = ? AND status = 'open'", [(key,) for key in dict.fromkeys(keys)]
        )
        return cursor.rowcount

    def _write_action_status(self, action_id: int, status: str, done_at: str | None) -> None:
        self._db.execute("UPDATE actions SET status = ?, done_at = ? WHERE id = ?", (status, done_at, action_id))

    def add_note(self, text: str, *, day: dt.date, written_at: dt.datetime | None = None) -> int:
        """Keep a coach's note about ``day``; return its id."""
        with self.transaction():
            cursor = self._db.execute("INSERT INTO notes (day, text, written_at) VALUES (?, ?, ?)",
                                      (day.isoformat(), text, self._stamp(written_at)))
        return int(cursor.lastrowid)

    def copy_in(self, entries: Iterable[Entry], actions: Iterable[StoredAction], notes: Iterable[Note] = (),
                ) -> tuple[int, int, int]:
        """Write entries, actions and notes as another journal holds them (same ids); return how many were new."""
        with self.transaction():
            added_events = added_actions = added_notes = 0
            for entry in entries:
                values = event_values(entry.event)
                first = entry.workflows[0] if entry.workflows else None
                cursor = self._db.execute(
                    _COPY_EVENT,
                    [entry.id, *values, *key_of(entry.event), entry.recorded_at.isoformat(), first, entry.verdict],
                )
                if cursor.rowcount:  # later runs only for a new event: copying again adds none twice
                    added_events += 1
                    self._db.executemany(
                        "INSERT INTO runs (event_id, workflow, ran_at) VALUES (?, ?, ?)",
                        [(entry.id, workflow, entry.recorded_at.isoformat()) for workflow in entry.workflows[1:]])
            for stored in actions:
                action = stored.action
                cursor = self._db.execute(
                    "INSERT OR IGNORE INTO actions (id, event_id, workflow, step, kind, title, body, due, key, status, "
                    "created_at, done_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (stored.id, stored.event_id, stored.workflow, action.step, action.kind, action.title, action.body,
                     action.due.isoformat(timespec="minutes") if action.due else None, action.key, stored.status,
                     stored.created_at.isoformat(), stored.done_at.isoformat() if stored.done_at else None),
                )
                added_actions += cursor.rowcount
            for note in notes:
                cursor = self._db.execute("INSERT OR IGNORE INTO notes (id, day, text, written_at) VALUES (?, ?, ?, ?)",
                                          (note.id, note.day.isoformat(), note.text, note.written_at.isoformat()))
                added_notes += cursor.rowcount
        return added_events, added_actions, added_notes

    def integrity_check(self) -> str:
        """SQLite's own verdict on the file: ``"ok"`` when it is sound."""
        return self._db.execute("PRAGMA integrity_check").fetchone()[0]

    def close(self) -> None:
        """Close the file; uncommitted writes are lost."""
        self._db.close()

    def scratch_copy(self) -> "SqliteJournal":
        """A copy in memory of what this journal holds; its writes never reach the file."""
        copy = SqliteJournal(_connect(":memory:", None), self.path)
        try:
            self._db.backup(copy._db)
        except sqlite3.Error as exc:
            copy.close()
            raise journal_error(self.path, exc) from exc
        copy._prepare(wal=False)
        return copy


class FilePractice(Practice):
    """A practice on one machine: a settings file and a SQLite journal per client, in the data directory.

    Client ``NAME``'s settings are ``clients/NAME.toml`` and their journal is
    ``profiles/NAME.sqlite3`` (the file ``--profile NAME`` uses). The board
    keeps what it read of each journal in ``clients/.board-cache.json``, with
    the size and time of the file it came from, and reads again only the
    journals that changed (see :class:`coachflow.practice.FactsCache`).
    """

    def __init__(self, data: Path | None = None):
        from coachflow.clients import clients_dir
        from coachflow.journal.paths import data_dir

        #: The data directory the practice lives in.
        self.data = data or data_dir()
        self.location = str(clients_dir(self.data))

    def client_names(self) -> list[str]:
        """The clients that have a settings file or a journal (``--profile NAME``), by name."""
        from coachflow.clients import client_ids, is_client_name

        journals = self.data / "profiles"
        try:
            profiles = {path.stem for path in journals.glob("*.sqlite3") if is_client_name(path.stem)}
        except OSError:
            profiles = set()
        return sorted(set(client_ids(self.data)) | profiles)

    def client(self, name: str) -> Any:
        """The client ``name``, from their settings file; one with only a journal has the default settings."""
        from coachflow.clients import Client, check_client_name, client_file, load_client
        from coachflow.journal.paths import default_journal_path

        if not client_file(name, data=self.data).is_file() and default_journal_path(
                check_client_name(name), data=self.data).is_file():
            return Client(id=name)
        return load_client(name)

    def settings_text(self, name: str) -> str | None:
        """The text of the client's settings file, or ``None`` when they have none."""
        from coachflow.clients import ClientError, client_file

        path = client_file(name, data=self.data)
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise ClientError(f"{path}: cannot read the client's settings ({exc})") from None

    def settings_of(self, name: str) -> Any:
        """The client from their settings file, or ``None`` when they have none."""
        from coachflow.clients import client_file, load_client

        return load_client(name) if client_file(name, data=self.data).is_file() else None

    def save_client(self, client: Any, *, new: bool = False) -> str:
        """Write ``client``'s settings file whole; return its path."""
        from coachflow.clients import ClientError, client_file, save_client

        if new and client_file(client.id, data=self.data).exists():
            raise ClientError(f"there is a client {client.id!r} already; change it with: coachflow client set "
                              f"{client.id} KEY VALUE")
        return str(save_client(client))

    def remove_client(self, name: str) -> list[str]:
        """Delete the client's settings file and journal file; return their paths."""
        from coachflow.clients import remove_client

        return [str(path) for path in remove_client(name)]

    def open_client(self, name: str, *, mode: str = "write", missing_ok: bool = False) -> Journal:
        """Open ``profiles/NAME.sqlite3``."""
        from coachflow.journal import open_journal
        from coachflow.journal.paths import default_journal_path

        return open_journal(default_journal_path(name, data=self.data), mode=mode, missing_ok=missing_ok)

    def where(self, name: str) -> tuple[str, str]:
        """The client's settings file and journal file."""
        from coachflow.clients import client_file
        from coachflow.journal.paths import default_journal_path

        return str(client_file(name, data=self.data)), str(default_journal_path(name, data=self.data))

    def board(self, now: dt.datetime, *, run_days: int = 7,
              missed_after_days: int = 2,
              on_problem: Any = None) -> Iterator[tuple[Any, BoardFacts]]:
        """Each client with their board facts, read only from the journals that changed since the last board.

        One journal is open at a time, and only while its client is asked
        about, so memory stays flat in the number of clients. A client with
        a journal and no settings file is on it with the default settings.
        """
        from coachflow.clients import ClientError, client_file, clients_dir
        from coachflow.journal.paths import default_journal_path
        from coachflow.practice import NO_FACTS, FactsCache, client_facts

        cache = FactsCache(clients_dir(self.data) / ".board-cache.json")
        seen: list[str] = []
        for name in self.client_names():
            seen.append(name)
            try:
                client = cache.client(name, client_file(name, data=self.data))
            except ClientError as exc:
                if on_problem is None:
                    raise
                on_problem(name, exc)
                continue
            path = default_journal_path(name, data=self.data)
            stamp = FactsCache.stamp(path)
            if stamp is None:
                yield client, NO_FACTS.on(now, run_days=run_days, missed_after_days=missed_after_days)
                continue
            opened: list[SqliteJournal] = []

            def reader() -> JournalReader:
                if not opened:
                    opened.append(SqliteJournal.open(path, read_only=True))
                return opened[0].reader

            try:
                facts = cache.get(name, stamp)
                if facts is None:
                    facts = client_facts(reader())
                    cache.put(name, stamp, facts)
                on_the_day = facts.on(now, reader, run_days=run_days, missed_after_days=missed_after_days)
            finally:
                while opened:
                    opened.pop().close()
            yield client, on_the_day
        cache.keep_only(seen)
        cache.save()

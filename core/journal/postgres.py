"""The PostgreSQL journal: a practice's clients in one database, each coach seeing only their own.

The second backend of the :mod:`journal interface <coachflow.journal.base>`.
One database (the *practice store*) holds many clients; every row of every
table carries its client's id, and a client is what ``--profile`` names on
a file journal. Open one with :func:`coachflow.journal.open_journal`::

    open_journal("postgresql://coach_ana@db.example/practice", client="alex-smith")

The driver is psycopg 3 (``pip install 'coachflow[postgres]'``), imported
only when a PostgreSQL URL is opened. libpq does the connecting, so
``PGPASSWORD``, ``~/.pgpass``, ``PGSERVICE`` and ``?service=NAME`` work as
they do for ``psql``; messages show a URL without its password.

**Who sees what.** A coach is a PostgreSQL role in the group
:data:`COACH_ROLE`. Row-level security on every table lets a coach read and
write the clients whose ``coach`` is their role name, and nothing else; a
client is created by the coach who first writes to it. Members of
:data:`ADMIN_ROLE`, and the role that owns the tables (who ran
``coachflow journal migrate``), see every client. ``docs/practice-store.md``
walks through setting this up.

**Writers.** :meth:`PostgresJournal.begin` takes a transaction-level
advisory lock on the client, so that writers of one client take turns (the
duplicate check of :func:`coachflow.recording.record_event` and the write
after it are one step) while writers of different clients never wait for
each other. Ids are counted per client, as in a file of its own, and the
database refuses a second row with a client's id or a second row claiming
to be the same copy of an event (a unique key on the event's content and
its copy number), whatever any process does.

**Schema.** The tables live in the schema ``coachflow``; its version is in
``coachflow.schema_version``, and :data:`MIGRATIONS` brings an older store
forward. Migrating is the administrator's job (``coachflow journal
migrate``); an empty database is set up on first use by a role that may.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import TYPE_CHECKING, Any, Collection, Iterable, Iterator, Sequence

from coachflow.applications import Application, key_of
from coachflow.errors import JournalError
from coachflow.journal.base import EVENT_COLUMNS, FEEDBACK_REQUEST_KEY, Entry, Journal, JournalReader, Practice
from coachflow.journal.base import StoredAction, entry_from_row, event_conditions, event_from_row, event_values
from coachflow.journal.base import fingerprint, stored_action_from_row
from coachflow.journal.dialect import Dialect, position_of
from coachflow.journal.open_rule import (
    closing_condition, last_closes, open_applications_query, opened_after, opening_condition,
)
from coachflow.journal.periods import (
    GROUPED_REJECTIONS, SAID, SAYS_SOMETHING, KeptCounts, PeriodSummary, SaidText, Tally, kept_counts_refresh,
    period_summary, said_texts,
)
from coachflow.models import Action, Event
from coachflow.practice import BoardFacts, Note
from coachflow.wording import plural

try:
    import psycopg
    from psycopg.rows import dict_row
except ImportError:  # the optional extra is not installed: open_client says so in one line
    psycopg = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from coachflow.journal.sqlite import SqliteJournal

#: The schema version this code writes; see :data:`MIGRATIONS`.
SCHEMA_VERSION = 5

#: The PostgreSQL group role of coaches: its members see the clients they coach.
COACH_ROLE = "coachflow_coach"
#: The PostgreSQL group role of practice administrators: its members see every client.
ADMIN_ROLE = "coachflow_admin"

#: The first key of the advisory locks writers take (the second is the client's id).
LOCK_SPACE = 0x636F6163  # "coac"
#: The advisory lock a migration holds, so that two first uses do not both set up the schema.
MIGRATION_LOCK = 0x636F6164

#: The largest id a client's row can have (PostgreSQL ``bigint``).
MAX_ROW_ID = 2**63 - 1

#: Who may see a row of a client: the coach it belongs to. Tables that hang off
#: a client check its id against the clients the coach may see (which the
#: clients table's own policy decides).
_OWN_CLIENTS = "client_id IN (SELECT id FROM coachflow.clients WHERE coach = current_user)"

#: Forward migrations: ``MIGRATIONS[n]`` brings a version ``n - 1`` store to ``n``.
#: Never edit a released entry: add the next version instead. Times are kept
#: as the ISO text the SQLite journal keeps (compared byte by byte: ``C``
#: collation), so that both backends order and copy them exactly, whether a
#: time was written with its UTC offset or without.
MIGRATIONS: dict[int, str] = {
    1: f"""
    CREATE TABLE coachflow.schema_version (version integer NOT NULL);
    INSERT INTO coachflow.schema_version VALUES (0);
    CREATE TABLE coachflow.clients (
        id serial PRIMARY KEY,
        name text COLLATE "C" NOT NULL UNIQUE,
        coach text COLLATE "C" NOT NULL DEFAULT current_user,
        created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX clients_by_coach ON coachflow.clients (coach);
    CREATE TABLE coachflow.events (
        client_id integer NOT NULL REFERENCES coachflow.clients (id),
        id bigint NOT NULL,
        type text COLLATE "C" NOT NULL,
        date date NOT NULL,
        company text NOT NULL DEFAULT '',
        role text NOT NULL DEFAULT '',
        stage text COLLATE "C" NOT NULL DEFAULT '',
        kind text COLLATE "C" NOT NULL DEFAULT '',
        reason text NOT NULL DEFAULT '',
        source text NOT NULL DEFAULT '',
        text text NOT NULL DEFAULT '',
        notes text NOT NULL DEFAULT '',
        company_key text COLLATE "C" NOT NULL DEFAULT '',
        role_key text COLLATE "C" NOT NULL DEFAULT '',
        content_key bytea NOT NULL,
        copy integer NOT NULL,
        recorded_at text COLLATE "C" NOT NULL,
        workflow text,
        PRIMARY KEY (client_id, id),
        UNIQUE (client_id, content_key, copy)
    );
    CREATE INDEX events_by_type_kind_date ON coachflow.events (client_id, type, kind, date);
    CREATE INDEX events_by_company ON coachflow.events (client_id, company_key, type, kind, date);
    CREATE INDEX events_by_date ON coachflow.events (client_id, date, id);
    CREATE TABLE coachflow.runs (
        client_id integer NOT NULL,
        id bigint NOT NULL,
        event_id bigint NOT NULL,
        workflow text NOT NULL,
        ran_at text COLLATE "C" NOT NULL,
        PRIMARY KEY (client_id, id),
        FOREIGN KEY (client_id, event_id) REFERENCES coachflow.events (client_id, id)
    );
    CREATE INDEX runs_by_event ON coachflow.runs (client_id, event_id);
    CREATE TABLE coachflow.actions (
        client_id integer NOT NULL,
        id bigint NOT NULL,
        event_id bigint NOT NULL,
        workflow text NOT NULL,
        step text NOT NULL,
        kind text COLLATE "C" NOT NULL,
        title text NOT NULL,
        body text NOT NULL DEFAULT '',
        due text COLLATE "C",
        key text COLLATE "C",
        status text COLLATE "C" NOT NULL DEFAULT 'open',
        created_at text COLLATE "C" NOT NULL,
        done_at text COLLATE "C",
        PRIMARY KEY (client_id, id),
        FOREIGN KEY (client_id, event_id) REFERENCES coachflow.events (client_id, id)
    );
    CREATE INDEX actions_by_due ON coachflow.actions (client_id, status, due);
    CREATE INDEX actions_by_key_status ON coachflow.actions (client_id, key, status);
    CREATE INDEX actions_by_event ON coachflow.actions (client_id, event_id);

    GRANT USAGE ON SCHEMA coachflow TO {COACH_ROLE}, {ADMIN_ROLE};
    GRANT SELECT ON coachflow.schema_version TO {COACH_ROLE}, {ADMIN_ROLE};
    GRANT SELECT, INSERT ON coachflow.clients, coachflow.events, coachflow.runs TO {COACH_ROLE};
    GRANT SELECT, INSERT, UPDATE ON coachflow.actions TO {COACH_ROLE};
    GRANT SELECT, INSERT, UPDATE, DELETE ON coachflow.clients, coachflow.events, coachflow.runs,
        coachflow.actions TO {ADMIN_ROLE};
    GRANT USAGE ON SEQUENCE coachflow.clients_id_seq TO {COACH_ROLE}, {ADMIN_ROLE};

    ALTER TABLE coachflow.clients ENABLE ROW LEVEL SECURITY;
    ALTER TABLE coachflow.events ENABLE ROW LEVEL SECURITY;
    ALTER TABLE coachflow.runs ENABLE ROW LEVEL SECURITY;
    ALTER TABLE coachflow.actions ENABLE ROW LEVEL SECURITY;
    CREATE POLICY own_clients ON coachflow.clients TO {COACH_ROLE}
        USING (coach = current_user) WITH CHECK (coach = current_user);
    CREATE POLICY own_events ON coachflow.events TO {COACH_ROLE} USING ({_OWN_CLIENTS}) WITH CHECK ({_OWN_CLIENTS});
    CREATE POLICY own_runs ON coachflow.runs TO {COACH_ROLE} USING ({_OWN_CLIENTS}) WITH CHECK ({_OWN_CLIENTS});
    CREATE POLICY own_actions ON coachflow.actions TO {COACH_ROLE} USING ({_OWN_CLIENTS}) WITH CHECK ({_OWN_CLIENTS});
    CREATE POLICY every_client ON coachflow.clients TO {ADMIN_ROLE} USING (true) WITH CHECK (true);
    CREATE POLICY every_event ON coachflow.events TO {ADMIN_ROLE} USING (true) WITH CHECK (true);
    CREATE POLICY every_run ON coachflow.runs TO {ADMIN_ROLE} USING (true) WITH CHECK (true);
    CREATE POLICY every_action ON coachflow.actions TO {ADMIN_ROLE} USING (true) WITH CHECK (true);
    """,
    # 2: a coach's notes about a client's weeks (coachflow note, coachflow digest), kept
    # and guarded like the rest of the client's journal.
    2: f"""
    CREATE TABLE coachflow.notes (
        client_id integer NOT NULL REFERENCES coachflow.clients (id),
        id bigint NOT NULL,
        day date NOT NULL,
        text text NOT NULL,
        written_at text COLLATE "C" NOT NULL,
        PRIMARY KEY (client_id, id)
    );
    CREATE INDEX notes_by_day ON coachflow.notes (client_id, day);
    GRANT SELECT, INSERT ON coachflow.notes TO {COACH_ROLE};
    GRANT SELECT, INSERT, UPDATE, DELETE ON coachflow.notes TO {ADMIN_ROLE};
    ALTER TABLE coachflow.notes ENABLE ROW LEVEL SECURITY;
    CREATE POLICY own_notes ON coachflow.notes TO {COACH_ROLE} USING ({_OWN_CLIENTS}) WITH CHECK ({_OWN_CLIENTS});
    CREATE POLICY every_note ON coachflow.notes TO {ADMIN_ROLE} USING (true) WITH CHECK (true);
    """,
    # 3: the practice in the store. Each client's settings (the TOML of a client file) live
    # with the client, so every coach's machine sees the same ones; a coach may change the
    # settings of their own clients and remove them whole. Feedback texts and rejection
    # reasons carry the themes they raise (see _themes_of), so that the board counts
    # recurring themes in the database; _AFTER_MIGRATION tags the rows already there.
    # display_name and pipeline_target repeat the two settings the board shows, so that it
    # reads them without parsing every client's settings. board_facts keeps what the board
    # aggregated of each client's events, with the last event id it was aggregated up to
    # (see PracticeStore.board).
    3: f"""
    ALTER TABLE coachflow.clients ADD COLUMN settings text;
    ALTER TABLE coachflow.clients ADD COLUMN display_name text NOT NULL DEFAULT '';
    ALTER TABLE coachflow.clients ADD COLUMN pipeline_target integer;
    ALTER TABLE coachflow.events ADD COLUMN themes text[] COLLATE "C" NOT NULL DEFAULT '{{}}';
    GRANT UPDATE (settings, display_name, pipeline_target) ON coachflow.clients TO {COACH_ROLE};
    GRANT DELETE ON coachflow.clients, coachflow.events, coachflow.runs, coachflow.actions, coachflow.notes
        TO {COACH_ROLE};
    CREATE TABLE coachflow.board_facts (
        client_id integer PRIMARY KEY REFERENCES coachflow.clients (id) ON DELETE CASCADE,
        last_event bigint NOT NULL,
        last_activity date NOT NULL,
        open_applications integer NOT NULL,
        themes text[] COLLATE "C" NOT NULL
    );
    GRANT SELECT, INSERT, UPDATE, DELETE ON coachflow.board_facts TO {COACH_ROLE}, {ADMIN_ROLE};
    ALTER TABLE coachflow.board_facts ENABLE ROW LEVEL SECURITY;
    CREATE POLICY own_board_facts ON coachflow.board_facts TO {COACH_ROLE}
        USING ({_OWN_CLIENTS}) WITH CHECK ({_OWN_CLIENTS});
    CREATE POLICY every_board_fact ON coachflow.board_facts TO {ADMIN_ROLE} USING (true) WITH CHECK (true)
    """,
    # 4: a rejection recorded with a run keeps the verdict the run gave on its reason
    # (coachflow.reasons.Verdict.to_json), as the SQLite journal does from its version 7.
    # Rows from before read as unclassified (null). A coach may set it on their clients'
    # events (a run on an event imported without --run classifies it then), nothing else.
    4: f"""
    ALTER TABLE coachflow.events ADD COLUMN verdict text;
    GRANT UPDATE (verdict) ON coachflow.events TO {COACH_ROLE}
    """,
    # 5: what a report counts, kept for each client up to the event id in report_facts, so
    # that a report over a long search reads a row per application, per application key, per
    # day, per group of rejection reasons and per text said (coachflow.journal.periods.KeptCounts,
    # PostgresReader.keep_counts). Events are only ever added, so each report adds the events
    # after that id (and works out again the applications of the companies they are about). A
    # verdict set later moves a rejection to another group of reasons: kept_reasons_stale says
    # so, and the next report groups the client's reasons again. Guarded like the rest of the
    # client's journal.
    5: f"""
    CREATE TABLE coachflow.report_facts (
        client_id integer PRIMARY KEY REFERENCES coachflow.clients (id) ON DELETE CASCADE,
        last_event bigint NOT NULL
    );
    CREATE TABLE coachflow.kept_applications (
        client_id integer NOT NULL REFERENCES coachflow.clients (id) ON DELETE CASCADE,
        company_key text COLLATE "C" NOT NULL,
        role_key text COLLATE "C" NOT NULL,
        sent integer NOT NULL,
        closed integer,
        outcome integer,
        reach_1 integer,
        reach_2 integer,
        reach_3 integer,
        reach_4 integer
    );
    CREATE INDEX kept_applications_by_company ON coachflow.kept_applications (client_id, company_key);
    CREATE INDEX actions_by_step ON coachflow.actions (client_id, status, step, kind);
    CREATE TABLE coachflow.kept_application_keys (
        client_id integer NOT NULL REFERENCES coachflow.clients (id) ON DELETE CASCADE,
        company_key text COLLATE "C" NOT NULL,
        role_key text COLLATE "C" NOT NULL,
        first_applications integer,
        first_interviews integer,
        first_offers integer,
        PRIMARY KEY (client_id, company_key, role_key)
    );
    CREATE TABLE coachflow.kept_event_days (
        client_id integer NOT NULL REFERENCES coachflow.clients (id) ON DELETE CASCADE,
        date date NOT NULL,
        type text COLLATE "C" NOT NULL,
        kind text COLLATE "C" NOT NULL,
        stage text COLLATE "C" NOT NULL,
        n integer NOT NULL,
        PRIMARY KEY (client_id, date, type, kind, stage)
    );
    CREATE TABLE coachflow.kept_reasons (
        client_id integer NOT NULL REFERENCES coachflow.clients (id) ON DELETE CASCADE,
        group_key text COLLATE "C" NOT NULL,
        company text NOT NULL,
        reason text NOT NULL,
        notes text NOT NULL,
        verdict text,
        n integer NOT NULL,
        first_position bigint NOT NULL,
        PRIMARY KEY (client_id, group_key)
    );
    CREATE TABLE coachflow.kept_reasons_stale (
        client_id integer PRIMARY KEY REFERENCES coachflow.clients (id) ON DELETE CASCADE
    );
    CREATE TABLE coachflow.kept_texts (
        client_id integer NOT NULL REFERENCES coachflow.clients (id) ON DELETE CASCADE,
        group_key text COLLATE "C" NOT NULL,
        company text NOT NULL,
        role text NOT NULL,
        said text NOT NULL,
        positions bigint[] NOT NULL,
        PRIMARY KEY (client_id, group_key)
    );
    GRANT SELECT, INSERT, UPDATE, DELETE ON coachflow.report_facts, coachflow.kept_applications,
        coachflow.kept_application_keys, coachflow.kept_event_days, coachflow.kept_reasons,
        coachflow.kept_reasons_stale, coachflow.kept_texts TO {COACH_ROLE}, {ADMIN_ROLE};
    ALTER TABLE coachflow.report_facts ENABLE ROW LEVEL SECURITY;
    ALTER TABLE coachflow.kept_applications ENABLE ROW LEVEL SECURITY;
    ALTER TABLE coachflow.kept_application_keys ENABLE ROW LEVEL SECURITY;
    ALTER TABLE coachflow.kept_event_days ENABLE ROW LEVEL SECURITY;
    ALTER TABLE coachflow.kept_reasons ENABLE ROW LEVEL SECURITY;
    ALTER TABLE coachflow.kept_reasons_stale ENABLE ROW LEVEL SECURITY;
    ALTER TABLE coachflow.kept_texts ENABLE ROW LEVEL SECURITY;
    CREATE POLICY own_kept_reasons ON coachflow.kept_reasons TO {COACH_ROLE}
        USING ({_OWN_CLIENTS}) WITH CHECK ({_OWN_CLIENTS});
    CREATE POLICY own_kept_reasons_stale ON coachflow.kept_reasons_stale TO {COACH_ROLE}
        USING ({_OWN_CLIENTS}) WITH CHECK ({_OWN_CLIENTS});
    CREATE POLICY own_kept_texts ON coachflow.kept_texts TO {COACH_ROLE}
        USING ({_OWN_CLIENTS}) WITH CHECK ({_OWN_CLIENTS});
    CREATE POLICY every_kept_reason ON coachflow.kept_reasons TO {ADMIN_ROLE} USING (true) WITH CHECK (true);
    CREATE POLICY every_kept_reasons_stale ON coachflow.kept_reasons_stale TO {ADMIN_ROLE}
        USING (true) WITH CHECK (true);
    CREATE POLICY every_kept_text ON coachflow.kept_texts TO {ADMIN_ROLE} USING (true) WITH CHECK (true);
    CREATE POLICY own_report_facts ON coachflow.report_facts TO {COACH_ROLE}
        USING ({_OWN_CLIENTS}) WITH CHECK ({_OWN_CLIENTS});
    CREATE POLICY own_kept_applications ON coachflow.kept_applications TO {COACH_ROLE}
        USING ({_OWN_CLIENTS}) WITH CHECK ({_OWN_CLIENTS});
    CREATE POLICY own_kept_application_keys ON coachflow.kept_application_keys TO {COACH_ROLE}
        USING ({_OWN_CLIENTS}) WITH CHECK ({_OWN_CLIENTS});
    CREATE POLICY own_kept_event_days ON coachflow.kept_event_days TO {COACH_ROLE}
        USING ({_OWN_CLIENTS}) WITH CHECK ({_OWN_CLIENTS});
    CREATE POLICY every_report_fact ON coachflow.report_facts TO {ADMIN_ROLE} USING (true) WITH CHECK (true);
    CREATE POLICY every_kept_application ON coachflow.kept_applications TO {ADMIN_ROLE}
        USING (true) WITH CHECK (true);
    CREATE POLICY every_kept_application_key ON coachflow.kept_application_keys TO {ADMIN_ROLE}
        USING (true) WITH CHECK (true);
    CREATE POLICY every_kept_event_day ON coachflow.kept_event_days TO {ADMIN_ROLE} USING (true) WITH CHECK (true)
    """,
}

#: Where the store keeps each client's report counts (see migration 5).
KEPT_COUNTS = KeptCounts(applications="coachflow.kept_applications",
                         application_keys="coachflow.kept_application_keys",
                         event_days="coachflow.kept_event_days", reasons="coachflow.kept_reasons")
#: The tables of a client's kept report counts (rows that follow from their events alone).
_KEPT_TABLES = ("kept_applications", "kept_application_keys", "kept_event_days", "kept_reasons", "kept_texts")

#: The first key of the advisory lock a client's kept report counts are brought up to date under.
KEPT_COUNTS_LOCK = 0x636F6165

#: The digest of :data:`coachflow.themes.DEFAULT_THEMES` that the stored theme tags follow.
#: A change to the themes (or to how texts are matched) changes what every tagged row
#: should hold, so it is a migration: add one that calls :func:`_tag_themes` and empties
#: coachflow.board_facts, and set this to :func:`themes_digest` (a test compares the two).
TAGGED_THEMES = "6785ef1e248a283c"



def themes_digest() -> str:
    """A digest of the themes the code tags texts with (compared with :data:`TAGGED_THEMES`)."""
    from coachflow.themes import DEFAULT_THEMES

    return hashlib.sha256(json.dumps(DEFAULT_THEMES, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def _themes_of(event_type: str, text: str, reason: str) -> list[str]:
    """The themes a feedback text or a rejection reason raises, as the board's theme counting reads them.

    The same tagging :class:`coachflow.themes.ThemeIndex` does for
    :func:`coachflow.themes.recurring_themes` with the default themes, so
    the board counts the same themes on either backend.
    """
    said = text if event_type == "feedback" else reason if event_type == "rejection" else ""
    if not said:
        return []
    from coachflow.themes import tag_text

    return tag_text(said)


def _tag_themes(store: "PracticeStore") -> None:
    """Tag every stored feedback text and rejection reason with its themes (inside the migration's transaction)."""
    after = (0, 0)
    while True:
        rows = store.execute(
            "SELECT client_id, id, type, text, reason FROM coachflow.events "
            "WHERE (type = 'feedback' OR (type = 'rejection' AND reason != '')) AND (client_id, id) > (%s, %s) "
            f"ORDER BY client_id, id LIMIT {PAGE}", after).fetchall()
        if not rows:
            return
        tagged = [{"client": row["client_id"], "id": row["id"],
                   "themes": _themes_of(row["type"], row["text"], row["reason"])} for row in rows]
        store.executemany("UPDATE coachflow.events SET themes = %(themes)s WHERE client_id = %(client)s AND id = %(id)s",
                          [row for row in tagged if row["themes"]])
        after = (rows[-1]["client_id"], rows[-1]["id"])


#: Work in Python a migration needs after its SQL, in the same transaction.
_AFTER_MIGRATION = {3: _tag_themes}

#: Made before the first migration when they are missing (roles belong to the
#: whole server, so a second practice database on it shares them).
_ROLES = (COACH_ROLE, ADMIN_ROLE)


# --- opening -------------------------------------------------------------------------


def _require_psycopg(location: str) -> None:
    if psycopg is None:
        raise JournalError(
            f"{location}: a PostgreSQL practice store needs psycopg; install it with: pip install 'coachflow[postgres]'"
        )


def _shown(url: str) -> str:
    from coachflow.journal import _without_password

    return _without_password(url)


def connect(url: str) -> "psycopg.Connection[Any]":
    """A connection to the server ``url`` names, as libpq makes it, in autocommit mode.

    :raises JournalError: one line naming the URL (without its password)
        when the server cannot be reached or refuses the login.
    """
    shown = _shown(url)
    _require_psycopg(shown)
    from psycopg.conninfo import conninfo_to_dict

    try:
        given = conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise JournalError(f"{shown}: not a PostgreSQL URL libpq understands ({_libpq_reason(exc)})") from None
    extra: dict[str, Any] = {"fallback_application_name": "coachflow"}
    if "connect_timeout" not in given:
        extra["connect_timeout"] = 10  # a server that never answers: say so rather than hang
    try:
        return psycopg.connect(url, autocommit=True, row_factory=dict_row, **extra)
    except psycopg.Error as exc:
        raise _connect_error(shown, exc) from None


def _libpq_reason(exc: BaseException) -> str:
    """libpq's own words, on one line, without psycopg's prefix or the ``FATAL:`` tag."""
    # libpq adds a hint on a second line ("Is the server running...?"); the advice says as much.
    text = " ".join((str(exc).strip().splitlines() or [type(exc).__name__])[0].split())
    for prefix in ("connection failed: ", "connection is bad: "):
        if text.startswith(prefix):
            text = text[len(prefix):]
    text = text.replace("FATAL: ", "").replace("ERROR: ", "")
    # "connection to server on socket ... failed: why" -> why, where
    head, sep, why = text.partition(" failed: ")
    if sep and head.startswith("connection to server"):
        text = f"{why} ({head.removeprefix('connection to ')})"
    return text


def _connect_error(shown: str, exc: BaseException) -> JournalError:
    reason = _libpq_reason(exc)
    lowered = reason.lower()
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        advice = "the server refused the login; check the user and password (in the URL, PGPASSWORD or ~/.pgpass)"
    elif "does not exist" in lowered and "database" in lowered:
        advice = "there is no such database on the server; check the name, or create it (createdb NAME)"
    elif "role" in lowered and "does not exist" in lowered:
        advice = "there is no such user on the server; check the name in the URL"
    elif any(words in lowered for words in ("connection refused", "no such file or directory", "timeout expired",
                                            "could not translate host name", "server closed the connection")):
        advice = "cannot reach the database server; is it running, and is the address right?"
    else:
        advice = "cannot connect to the database server"
    return JournalError(f"{shown}: {advice} ({reason})")


def open_client(url: str, client: str | None, *, mode: str = "write", missing_ok: bool = False) -> Journal:
    """Open client ``client``'s journal in the practice store at ``url`` (see :func:`open_journal`).

    ``write`` creates the client (owned by the connecting coach) when it is
    new, and sets up the schema of an empty database; ``read`` and
    ``dry-run`` never change the store, and give an empty journal in memory
    for a client that has none yet (``read`` only with ``missing_ok``).

    :raises JournalError: when no client is named, the server cannot be
        used, the database is not coachflow's, or its schema is older or
        newer than this coachflow's.
    """
    from coachflow.journal.paths import check_profile_name

    shown = _shown(url)
    _require_psycopg(shown)
    if not client:
        raise JournalError(f"{shown}: a practice store holds many clients; name one with --profile NAME "
                           "(or COACHFLOW_PROFILE)")
    check_profile_name(client)
    store = PracticeStore(url)
    try:
        if mode == "dry-run" and store.schema_version == 0:
            # The run would set the store up; until then its client has an empty journal.
            store._refuse_foreign()
            store.close()
            from coachflow.journal.sqlite import SqliteJournal

            return SqliteJournal.in_memory()
        store.check_schema(set_up=mode == "write")
        client_id = store.client_id(client, create=mode == "write")
        if client_id is None:
            if missing_ok or mode == "dry-run":
                store.close()
                from coachflow.journal.sqlite import SqliteJournal

                return SqliteJournal.in_memory()
            raise JournalError(f"{shown}: there is no client '{client}' you can see in this practice store")
        return PostgresJournal(store, client, client_id, read_only=mode == "read")
    except BaseException:
        store.close()
        raise


class PracticeStore(Practice):
    """One connection to a practice store: its schema, its clients, and the practice they make.

    :class:`PostgresJournal` is one client's journal through it; the
    ``journal migrate`` and ``journal copy`` commands use it directly, and
    the coaching commands (``client``, ``clients board``, ``digest``,
    ``note``) use it as the :class:`~coachflow.journal.base.Practice` of the
    coach who connects: row-level security shows them their own clients and
    nothing else. A client's settings are the TOML of a client file, kept in
    the ``settings`` column of their row.
    """

    def __init__(self, url: str):
        self.url = url
        #: The URL as messages show it (no password).
        self.shown = _shown(url)
        self.location = self.shown
        self.connection = connect(url)

    #: True for a database that holds no store yet, opened for reading: a practice without clients.
    empty = False

    @classmethod
    def open(cls, url: str, *, mode: str = "write") -> "PracticeStore":
        """The store at ``url``, its schema checked (``write``: an empty database is set up first;
        ``read``: an empty database is a practice with no clients, and stays as it is).

        :raises JournalError: as :func:`open_client` does.
        """
        _require_psycopg(_shown(url))
        store = cls(url)
        try:
            if mode != "write" and store.schema_version == 0:
                store._refuse_foreign()
                store.empty = True
            else:
                store.check_schema(set_up=mode == "write")
        except BaseException:
            store.close()
            raise
        return store

    # --- running statements ---------------------------------------------------------

    def execute(self, sql: str, params: Any = None) -> "psycopg.Cursor[Any]":
        """Run one statement; a failure is a one-line :class:`JournalError` naming the store."""
        try:
            return self.connection.execute(sql, params)
        except psycopg.Error as exc:
            raise self.error(exc) from exc

    def executemany(self, sql: str, rows: Iterable[Any], *, returning: bool = False) -> "psycopg.Cursor[Any]":
        """Run one statement for each of ``rows`` (pipelined by psycopg)."""
        cursor = self.connection.cursor()
        try:
            cursor.executemany(sql, rows, returning=returning)
        except psycopg.Error as exc:
            raise self.error(exc) from exc
        return cursor

    def one(self, sql: str, params: Any = None) -> dict[str, Any] | None:
        """The first row of a query, or ``None``."""
        return self.execute(sql, params).fetchone()

    def value(self, sql: str, params: Any = None) -> Any:
        """The first column of the first row of a query."""
        row = self.execute(sql, params).fetchone()
        return next(iter(row.values())) if row else None

    def error(self, exc: BaseException) -> JournalError:
        """What a person can do about a failed statement, in one line."""
        if self.connection.broken or isinstance(exc, psycopg.OperationalError) and self.connection.closed:
            return JournalError(f"{self.shown}: lost the connection to the database server; "
                                "whatever was being written was not kept. Try again when the server is back")
        sqlstate = getattr(exc, "sqlstate", None) or ""
        reason = " ".join(str(exc).split()) or type(exc).__name__
        if sqlstate == "42501":  # insufficient_privilege, including a row-level security refusal
            return JournalError(f"{self.shown}: the database refused this for your role ({reason}); "
                                "a coach writes only their own clients")
        if sqlstate == "25006":  # read_only_sql_transaction
            return JournalError(f"{self.shown}: the server is read-only here ({reason})")
        if sqlstate.startswith("53"):  # insufficient resources: disk full, out of memory
            return JournalError(f"{self.shown}: the database server is out of room ({reason}); nothing was kept")
        if sqlstate.startswith(("08", "57")):  # connection exception, operator intervention
            return JournalError(f"{self.shown}: lost the connection to the database server ({reason}); "
                                "whatever was being written was not kept")
        return JournalError(f"{self.shown}: the practice store could not be used ({reason})")

    # --- the schema -----------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        """The store's schema version (0 for a database coachflow has not set up)."""
        if self.value("SELECT to_regclass('coachflow.schema_version') IS NOT NULL") is False:
            return 0
        return int(self.value("SELECT max(version) FROM coachflow.schema_version") or 0)

    def check_schema(self, *, set_up: bool) -> None:
        """Refuse a store that is not coachflow's, older (without ``set_up``: any) or newer than this code.

        :param set_up: create the schema in an empty database.
        """
        version = self.schema_version
        self._refuse_newer(version)
        if version == SCHEMA_VERSION:
            return
        if version == 0:
            self._refuse_foreign()
            if set_up:
                self._set_up()
                return
            raise JournalError(f"{self.shown}: this database holds no practice store yet, so there is nothing "
                               "to read; the first write to it (coachflow run, client add) sets one up, or: "
                               "coachflow journal migrate --journal URL")
        raise JournalError(f"{self.shown}: the practice store is at schema {version}, this coachflow needs "
                           f"{SCHEMA_VERSION}; the practice administrator upgrades it with: coachflow journal migrate")

    def _set_up(self) -> None:
        """Set up the store in an empty database, as a first write does; a role that may not gets
        one line saying who can, rather than the database's refusal."""
        try:
            self.migrate()
        except JournalError as exc:
            if getattr(exc.__cause__, "sqlstate", None) != "42501":  # insufficient_privilege
                raise
            raise JournalError(f"{self.shown}: this database holds no practice store yet, and your role may not "
                               "set one up; the practice administrator does, with: coachflow journal migrate "
                               "--journal URL") from None

    def _refuse_newer(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise JournalError(f"{self.shown}: written by a newer coachflow (schema {version}); upgrade coachflow")

    def _refuse_foreign(self) -> None:
        """A database that holds tables of its own, and no coachflow schema, is some other program's."""
        foreign = self.value(
            "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg\\_%'"
        )
        if foreign:
            raise JournalError(f"{self.shown}: this database is not a coachflow practice store (it holds "
                               f"{plural(foreign, 'other table')}); point --journal at an empty database or at a "
                               "practice store")

    def migrate(self, up_to: int = SCHEMA_VERSION) -> int:
        """Bring the schema up to :data:`SCHEMA_VERSION` (or ``up_to``) in one transaction; return the version it was at.

        Makes the group roles :data:`COACH_ROLE` and :data:`ADMIN_ROLE` when
        the server lacks them (which needs the ``CREATEROLE`` privilege).

        :raises JournalError: for a newer schema, a database that is not
            coachflow's, or a role not allowed to change it.
        """
        self.execute("BEGIN")
        try:
            self.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            before = self.schema_version  # again, under the lock: another process may have done it meanwhile
            self._refuse_newer(before)
            if before == 0:
                self._refuse_foreign()
                for role in _ROLES:
                    if not self.value("SELECT count(*) FROM pg_catalog.pg_roles WHERE rolname = %s", (role,)):
                        self.execute(f"CREATE ROLE {role} NOLOGIN")
                self.execute("CREATE SCHEMA IF NOT EXISTS coachflow")
            for target in range(before + 1, up_to + 1):
                for statement in MIGRATIONS[target].split(";"):
                    if statement.strip():
                        self.execute(statement)
                if target in _AFTER_MIGRATION:
                    _AFTER_MIGRATION[target](self)
                self.execute("UPDATE coachflow.schema_version SET version = %s", (target,))
            self.execute("COMMIT")
        except BaseException:
            self._rollback_quietly()
            raise
        return before

    def _rollback_quietly(self) -> None:
        try:
            self.connection.execute("ROLLBACK")
        except psycopg.Error:
            pass  # a broken connection has rolled back on the server already

    # --- clients --------------------------------------------------------------------

    def client_id(self, name: str, *, create: bool) -> int | None:
        """The id of client ``name`` (one the connecting role may see), creating it when asked.

        A new client belongs to the connecting role. A name another coach
        already uses is, to this coach, a client they cannot see.
        """
        found = self.value("SELECT id FROM coachflow.clients WHERE name = %s", (name,))
        if found is not None or not create:
            return found
        # DO NOTHING: two first runs for a new client at once make one client.
        self.execute("INSERT INTO coachflow.clients (name) VALUES (%s) ON CONFLICT (name) DO NOTHING", (name,))
        found = self.value("SELECT id FROM coachflow.clients WHERE name = %s", (name,))
        if found is None:
            raise JournalError(f"{self.shown}: the client name '{name}' is taken by another coach of this practice; "
                               "choose another --profile name")
        return found

    def client_names(self) -> list[str]:
        """The names of the clients the connecting role may see, in order."""
        if self.empty:
            return []
        return [row["name"] for row in self.execute("SELECT name FROM coachflow.clients ORDER BY name")]

    # --- the practice: clients' settings, the board -----------------------------------

    def client(self, name: str) -> Any:
        """Client ``name`` with the settings their row holds (none yet: the defaults).

        :raises ClientError: for a client this coach cannot see, or settings
            that are not right.
        """
        from coachflow.clients import ClientError, check_client_name, parse_client
        from coachflow.errors import did_you_mean

        check_client_name(name)
        row = None if self.empty else self.one("SELECT settings FROM coachflow.clients WHERE name = %s", (name,))
        if row is None:
            known = self.client_names()
            hint = did_you_mean(name, known) or (f"; your clients are {', '.join(known)}" if known else
                                                 "; add one with: coachflow client add NAME")
            raise ClientError(f"there is no client {name!r} of yours in {self.shown}{hint}")
        return parse_client(name, row["settings"] or "", self._settings_source(name))

    def settings_of(self, name: str) -> Any:
        """The client with the settings their row holds, or ``None`` for one without settings (or none at all)."""
        from coachflow.clients import check_client_name, parse_client

        check_client_name(name)
        row = None if self.empty else self.one("SELECT settings FROM coachflow.clients WHERE name = %s", (name,))
        if row is None or row["settings"] is None:
            return None
        return parse_client(name, row["settings"], self._settings_source(name))

    def settings_text(self, name: str) -> str | None:
        """The settings the client's row holds (TOML), or ``None`` when they have none yet."""
        from coachflow.clients import check_client_name

        check_client_name(name)
        row = None if self.empty else self.one("SELECT settings FROM coachflow.clients WHERE name = %s", (name,))
        if row is None:
            self.client(name)  # no such client: the one line that says so, with the names there are
        return row["settings"]

    def _settings_source(self, name: str) -> str:
        """Where a client's settings are, as errors about them name it."""
        return f"{self.shown} (client {name})"

    def save_client(self, client: Any, *, new: bool = False) -> str:
        """Keep ``client``'s settings in their row; with ``new``, add the client (owned by this coach)."""
        from coachflow.clients import ClientError, check_client_name, client_to_toml

        check_client_name(client.id)
        text = client_to_toml(client)
        where = f"the practice store {self.shown}"
        values = (text, client.name, client.pipeline_target, client.id)
        if new:
            added = self.one("INSERT INTO coachflow.clients (settings, display_name, pipeline_target, name) "
                             "VALUES (%s, %s, %s, %s) ON CONFLICT (name) DO NOTHING RETURNING id", values)
            if added is not None:
                return where
            row = self.one("SELECT settings FROM coachflow.clients WHERE name = %s", (client.id,))
            if row is None:
                raise ClientError(f"the client name {client.id!r} is taken by another coach of this practice; "
                                  "choose another name")
            if row["settings"] is not None:
                raise ClientError(f"there is a client {client.id!r} already; change it with: coachflow client set "
                                  f"{client.id} KEY VALUE")
            # A client their first run made: they get their settings now.
        changed = self.execute("UPDATE coachflow.clients SET settings = %s, display_name = %s, pipeline_target = %s "
                               "WHERE name = %s", values)
        if not changed.rowcount:
            raise ClientError(f"there is no client {client.id!r} of yours in {self.shown}")
        return where

    def remove_client(self, name: str) -> list[str]:
        """Delete the client's row and every row of their journal, in one transaction (their writers wait)."""
        from coachflow.wording import plural

        self.client(name)  # an unknown client: one line that says so
        self.execute("BEGIN")
        try:
            client_id = self.value("SELECT id FROM coachflow.clients WHERE name = %s", (name,))
            self.execute("SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_SPACE, client_id))
            counts = {}
            for table in ("report_facts", *_KEPT_TABLES, "kept_reasons_stale", "notes", "actions", "runs", "events"):
                counts[table] = self.execute(f"DELETE FROM coachflow.{table} WHERE client_id = %s",
                                             (client_id,)).rowcount
            self.execute("DELETE FROM coachflow.clients WHERE id = %s", (client_id,))
            self.execute("COMMIT")
        except BaseException:
            self._rollback_quietly()
            raise
        return [f"{name}'s settings from the practice store {self.shown}",
                f"{name}'s journal from the practice store {self.shown} ({plural(counts['events'], 'event')}, "
                f"{plural(counts['actions'], 'action')}, {plural(counts['notes'], 'note')})"]

    def open_client(self, name: str, *, mode: str = "write", missing_ok: bool = False) -> Journal:
        """Client ``name``'s journal, on a connection of its own."""
        return open_client(self.url, name, mode=mode, missing_ok=missing_ok)

    def where(self, name: str) -> tuple[str, str]:
        """The client's row (their settings) and their journal, in this store."""
        return f"the practice store {self.shown}", f"{self.shown} (client {name})"

    def board(self, now: dt.datetime, *, run_days: int = 7,
              missed_after_days: int = 2,
              on_problem: Any = None) -> Iterator[tuple[Any, BoardFacts]]:
        """Every client this coach sees, with their board facts, aggregated by the database.

        Two statements. The first brings ``coachflow.board_facts`` up to date
        for the clients whose events changed since it was last brought up to
        date (their last event id differs): their last activity, open
        applications (the rules of :meth:`PostgresReader.open_applications`,
        for all of them at once) and the themes that recurred in the 90 days
        up to their last event (from each text's stored theme tags). The
        second reads those with what depends on the day: the rejections of
        the week, the newest of them, the overdue actions. No event passes
        through Python. The settings it shows come from columns that only
        ever hold checked values, so ``on_problem`` is never called here.
        """
        from coachflow.clients import Client
        from coachflow.practice import THEME_DAYS, WEEK_DAYS
        from coachflow.upkeep import Lapse

        if self.empty:
            return
        today = now.date()
        params = {"today": today, "week_start": today - dt.timedelta(days=WEEK_DAYS - 1),
                  "run_start": today - dt.timedelta(days=run_days - 1), "now": now.isoformat(timespec="minutes"),
                  # what has lapsed is not overdue (the rule the run marks missed by)
                  "lapsed_before": Lapse(after_days=missed_after_days).horizon(now).isoformat(timespec="minutes")}
        self.execute("BEGIN")
        try:
            # Row-level security makes every index lookup look dear to the planner, which then
            # spends more time compiling the queries (JIT) than running them.
            self.execute("SET LOCAL jit = off")
            # Working out many clients at once (the first board) sorts and groups a row per
            # application: in memory rather than in temporary files.
            self.execute("SET LOCAL work_mem = '64MB'")
            refresh, refresh_params = _refresh_board_facts()
            self.execute(refresh, {**refresh_params, "theme_days": THEME_DAYS})
            rows = self.execute(_BOARD, params).fetchall()  # one small row per client
            self.execute("COMMIT")
        except BaseException:
            self._rollback_quietly()
            raise
        for row in rows:
            # The settings the board shows, from the columns that repeat them (see migration 3).
            client = Client(id=row["name"], name=row["display_name"], pipeline_target=row["pipeline_target"])
            latest = ((row["latest_date"], row["latest_company"], row["latest_stage"])
                      if row["latest_date"] is not None else None)
            yield client, BoardFacts(
                last_activity=row["last_activity"], open_applications=row["open_applications"],
                rejections_this_week=row["rejections"], rejections_in_run=row["rejections_in_run"],
                latest_rejection=latest, overdue=row["overdue"],
                themes=tuple(row["themes"] or ()))

    def close(self) -> None:
        """Close the connection; uncommitted writes are lost."""
        self.connection.close()


# --- rows to records -------------------------------------------------------------------


def _content_key(values: Sequence[Any]) -> bytes:
    """The digest of an event's content (its :func:`event_values`) that the unique copy key holds."""
    return hashlib.sha256(json.dumps(list(values), ensure_ascii=False).encode("utf-8")).digest()


#: The workflows that ran on an event after it was recorded, joined by newlines.
_WORKFLOWS = ("(SELECT string_agg(r.workflow, E'\\n' ORDER BY r.id) FROM coachflow.runs r "
              "WHERE r.client_id = e.client_id AND r.event_id = e.id) AS workflows")

#: How many rows a streamed question fetches at a time.
PAGE = 2000


class PostgresReader(JournalReader):
    """The read side of one client's journal in a practice store."""

    def __init__(self, store: PracticeStore, client_id: int):
        super().__init__()
        self._store = store
        self._client = client_id
        #: While the journal holds the client's write lock no other process can
        #: add an event, so the last id is asked once and then kept up to date
        #: by add_event: running summaries ask for it on every question.
        self._locked = False
        self._last_known: int | None = None

    def _rows(self, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self._store.execute(sql, {"client": self._client, **params}).fetchall()

    def _paged(self, where: str, params: dict[str, Any], *, columns: str = "e.*", table: str = "coachflow.events e",
               order: tuple[str, str] = ("e.date", "e.id")) -> Iterator[dict[str, Any]]:
        """Rows in ``order`` a page at a time: a long history is never held whole, and a
        caller that stops early leaves the connection free for its next question."""
        first, second = order
        after = ""
        params = dict(params)
        while True:
            rows = self._rows(
                f"SELECT {columns} FROM {table} WHERE {where}{after} ORDER BY {first}, {second} LIMIT {PAGE}", params)
            yield from rows
            if len(rows) < PAGE:
                return
            last = rows[-1]
            params["after_first"], params["after_second"] = last[first.split(".")[-1]], last[second.split(".")[-1]]
            after = f" AND ({first}, {second}) > (%(after_first)s, %(after_second)s)"

    def recorded_after(self, event_id: int, *, through: int, types: Sequence[str] | None = None,
                       ) -> Iterator[tuple[int, Event]]:
        """``(event_id, event)`` for the events recorded after ``event_id`` up to ``through``, as recorded."""
        if event_id >= through:
            return  # nothing new: a summary asks this on every question, so ask the server nothing
        where = "e.client_id = %(client)s AND e.id > %(from)s AND e.id <= %(through)s"
        params: dict[str, Any] = {"from": event_id, "through": through}
        if types is not None:
            where += " AND e.type = ANY(%(types)s)"
            params["types"] = list(types)
        for row in self._paged(where, params, order=("e.client_id", "e.id")):
            yield row["id"], event_from_row(row)

    def last_event_id(self) -> int:
        """The id of the last event recorded (0 for an empty journal)."""
        if self._locked and self._last_known is not None:
            return self._last_known
        last = self._store.value("SELECT coalesce(max(id), 0) FROM coachflow.events WHERE client_id = %s",
                                 (self._client,))
        if self._locked:
            self._last_known = last
        return last

    def latest_event_date(self) -> dt.date | None:
        """The latest date of any event (``None`` for an empty journal): one probe of the date index."""
        return self._store.value("SELECT max(date) FROM coachflow.events WHERE client_id = %s", (self._client,))

    def events(self, type: str | None = None, *, company: str | None = None, role: str | None = None,
               kind: str | None = None, since: dt.date | None = None, until: dt.date | None = None) -> list[Event]:
        """Events matching every filter given, by date (then as recorded)."""
        where, params = _where(type=type, company=company, role=role, kind=kind, since=since, until=until)
        return [event_from_row(row) for row in self._paged(where, params)]

    def entries(self, type: str | None = None, *, company: str | None = None, role: str | None = None,
                kind: str | None = None, since: dt.date | None = None, until: dt.date | None = None,
                with_workflows: bool = True) -> Iterator[Entry]:
        """Like :meth:`events`, streamed one :class:`Entry` at a time, with when each was recorded."""
        where, params = _where(type=type, company=company, role=role, kind=kind, since=since, until=until)
        columns = f"e.*, {_WORKFLOWS}" if with_workflows else "e.*, NULL AS workflows"
        for row in self._paged(where, params, columns=columns):
            yield entry_from_row(row)

    def count(self, type: str | None = None, *, kind: str | None = None, stage: str | None = None,
              company: str | None = None, role: str | None = None, since: dt.date | None = None,
              until: dt.date | None = None) -> int:
        """How many events match every filter given (``stage`` is a rejection's)."""
        where, params = _where(type=type, kind=kind, stage=stage, company=company, role=role, since=since, until=until)
        return self._rows(f"SELECT count(*) AS n FROM coachflow.events e WHERE {where}", params)[0]["n"]

    def keys_with_news(self, *, since: dt.date, until: dt.date) -> set[tuple[str, str]]:
        """The application keys of the events dated in a window, in one query."""
        return {(row["company_key"], row["role_key"]) for row in self._rows(
            "SELECT DISTINCT company_key, role_key FROM coachflow.events WHERE client_id = %(client)s "
            "AND date >= %(since)s AND date <= %(until)s AND company_key != ''", {"since": since, "until": until})}

    def open_applications(self, as_of: dt.date | None = None) -> list[Application]:
        """The pipeline: applications sent and not yet closed, oldest first (the rules of :mod:`coachflow.applications`)."""
        sql, params = open_applications_query(_DIALECT)
        rows = self._rows(sql, {**params, "cutoff": as_of or dt.date(9999, 12, 31)})
        return [Application(company=r["company"], role=r["role"], applied=r["date"], event_id=r["id"]) for r in rows]

    def tally(self, *, since: dt.date | None = None, until: dt.date | None = None) -> Tally:
        """Count rejections, feedback and milestones (by kind) dated in a window, in one query."""
        where, params = _where(since=since, until=until)
        counts = {(row["type"], row["kind"]): row["n"] for row in self._rows(
            f"SELECT type, kind, count(*) AS n FROM coachflow.events e WHERE {where} GROUP BY type, kind", params)}
        return Tally(
            rejections=sum(n for (event_type, _), n in counts.items() if event_type == "rejection"),
            feedback=sum(n for (event_type, _), n in counts.items() if event_type == "feedback"),
            milestones={kind: n for (event_type, kind), n in counts.items() if event_type == "milestone"},
        )

    def feedback_requested(self, *, since: dt.date | None = None, until: dt.date | None = None) -> int:
        """How many feedback requests steps drafted (and nobody cancelled) for events in a window."""
        where, params = _where(since=since, until=until)
        return self._rows(
            "SELECT count(*) AS n FROM coachflow.actions a JOIN coachflow.events e "
            "ON e.client_id = a.client_id AND e.id = a.event_id "
            f"WHERE a.client_id = %(client)s AND starts_with(a.key, %(prefix)s) AND a.status != 'cancelled' AND {where}",
            {**params, "prefix": FEEDBACK_REQUEST_KEY},
        )[0]["n"]

    def said_texts(self, *, since: dt.date | None = None, until: dt.date | None = None) -> Iterator[SaidText]:
        """Feedback texts and rejection reasons grouped: from the kept texts (see :meth:`keep_counts`), or
        grouped in SQL when they cannot be used (:func:`coachflow.journal.periods.said_texts`)."""
        if self.keep_counts() is not None:
            return self._kept_texts(since, until)
        return said_texts(lambda sql, params: [tuple(row.values()) for row in self._rows(sql, dict(params))], _DIALECT, since=since, until=until,
                          date_in=lambda day: day)

    def period_summary(self, *, since: dt.date | None = None, until: dt.date, win_kinds: Collection[str] = (),
                       recent_wins: int = 10, news_since: dt.date | None = None) -> PeriodSummary:
        """Count what a report says about a period, in SQL (see :mod:`coachflow.journal.periods`).

        The store keeps the client's applications and counts up to date (:meth:`keep_counts`) and
        counts from those; inside a write transaction, or for a role that may not keep them, it
        counts from the events.
        """
        return period_summary(
            lambda sql, params: [tuple(row.values()) for row in self._rows(sql, dict(params))], _DIALECT,
            since=since, until=until, win_kinds=win_kinds, recent_wins=recent_wins,
            feedback_requested=lambda start, end: self.feedback_requested(since=start, until=end),
            date_in=lambda day: day, date_out=lambda day: day, kept=self.keep_counts(), news_since=news_since,
        )

    def _kept_texts(self, since: dt.date | None, until: dt.date | None) -> Iterator[SaidText]:
        low = position_of(since, 0) if since is not None else 0
        high = position_of(until + dt.timedelta(days=1), 0) if until is not None else MAX_ROW_ID
        rows = self._rows("SELECT company, role, said, positions FROM coachflow.kept_texts "
                          "WHERE client_id = %(client)s", {})
        for row in rows:
            positions = sorted(position for position in row["positions"] if low <= position < high)
            if positions:
                yield SaidText(row["company"], row["role"], row["said"], tuple(positions))

    def keep_counts(self) -> KeptCounts | None:
        """Bring the client's kept report counts up to date with their events, in one transaction of
        its own; return where they are, or ``None`` when they cannot be used here.

        Only the events recorded since the last time are added (see
        :func:`coachflow.journal.periods.kept_counts_refresh`); the first time, every event. Two
        reports of one client take turns; writers do not wait for them. ``None``: the connection is
        inside a transaction (a run's own questions), or the role may not write the kept counts.
        """
        store = self._store
        if self._locked or store.connection.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            return None
        client = {"client": self._client}
        try:
            store.connection.execute("BEGIN")
            store.connection.execute("SELECT pg_advisory_xact_lock(%s, %s)", (KEPT_COUNTS_LOCK, self._client))
            found = store.connection.execute(
                "SELECT coalesce((SELECT last_event FROM coachflow.report_facts WHERE client_id = %(client)s), 0) "
                "AS last, (SELECT coalesce(max(id), 0) FROM coachflow.events WHERE client_id = %(client)s) AS newest",
                client).fetchone()
            last, newest = found["last"], found["newest"]
            if newest < last:  # events taken away (never done by coachflow): count everything again
                for table in _KEPT_TABLES:
                    store.connection.execute(f"DELETE FROM coachflow.{table} WHERE client_id = %(client)s", client)
                last = 0
            stale = store.connection.execute("DELETE FROM coachflow.kept_reasons_stale WHERE client_id = %(client)s",
                                             client).rowcount and last
            if stale or newest > last:
                # As for the board: planning, not running, is what JIT would speed up here.
                store.connection.execute("SET LOCAL jit = off")
                store.connection.execute("SET LOCAL work_mem = '64MB'")
            if stale:
                store.connection.execute("DELETE FROM coachflow.kept_reasons WHERE client_id = %(client)s", client)
                store.connection.execute(_KEEP_REASONS, {**client, "last": 0, "newest": last})
            if newest > last:
                window = {**client, "last": last, "newest": newest}
                for sql, params in kept_counts_refresh(_DIALECT, KEPT_COUNTS, ("client_id", "client"),
                                                       everything=last == 0):
                    store.connection.execute(sql, {**params, **window})
                store.connection.execute(_KEEP_REASONS, window)
                store.connection.execute(_KEEP_TEXTS, window)
                store.connection.execute(
                    "INSERT INTO coachflow.report_facts (client_id, last_event) VALUES (%(client)s, %(newest)s) "
                    "ON CONFLICT (client_id) DO UPDATE SET last_event = excluded.last_event", window)
            store.connection.execute("COMMIT")
        except psycopg.errors.InsufficientPrivilege:
            store._rollback_quietly()
            return None
        except psycopg.Error as exc:
            store._rollback_quietly()
            raise store.error(exc) from exc
        except BaseException:
            store._rollback_quietly()
            raise
        return KEPT_COUNTS

    def entry_like(self, event: Event) -> Entry | None:
        """The latest entry with exactly this event's content, or ``None``."""
        rows = self._rows(
            f"SELECT e.*, {_WORKFLOWS} FROM coachflow.events e "
            "WHERE e.client_id = %(client)s AND e.content_key = %(content)s ORDER BY e.copy DESC LIMIT 1",
            {"content": _content_key(event_values(event))},
        )
        return entry_from_row(rows[0]) if rows else None

    def event(self, event_id: int) -> Event | None:
        """The event with this id, or ``None``."""
        if not 0 < event_id <= MAX_ROW_ID:
            return None
        rows = self._rows("SELECT * FROM coachflow.events WHERE client_id = %(client)s AND id = %(id)s",
                          {"id": event_id})
        return event_from_row(rows[0]) if rows else None

    def not_yet_recorded(self, events: Sequence[Event]) -> list[Event]:
        """The events of ``events`` that the journal does not hold yet, in their order (copies counted)."""
        keys = [_content_key(event_values(event)) for event in events]
        distinct = list(dict.fromkeys(keys))
        have: dict[bytes, int] = {}
        for start in range(0, len(distinct), PAGE):
            for row in self._rows(
                "SELECT content_key, count(*) AS n FROM coachflow.events "
                "WHERE client_id = %(client)s AND content_key = ANY(%(keys)s) GROUP BY content_key",
                {"keys": distinct[start:start + PAGE]},
            ):
                have[bytes(row["content_key"])] = row["n"]
        new: list[Event] = []
        for event, key in zip(events, keys):
            if have.get(key, 0) > 0:
                have[key] -= 1
            else:
                new.append(event)
        return new

    def actions(self, *, status: str | None = None, step: str | None = None, key: str | None = None,
                due_before: dt.datetime | None = None, kinds: Sequence[str] | None = None) -> list[StoredAction]:
        """Actions steps returned in earlier runs, by due date (else creation), oldest first."""
        where, params = _action_filters(status, step, key, due_before, kinds)
        rows = self._rows(f"SELECT * FROM coachflow.actions WHERE {where} ORDER BY coalesce(due, created_at), id",
                          params)
        return [stored_action_from_row(row) for row in rows]

    def count_actions(self, *, status: str | None = None, step: str | None = None, key: str | None = None,
                      due_before: dt.datetime | None = None, kinds: Sequence[str] | None = None) -> int:
        """How many actions match every filter given (see :meth:`actions`)."""
        where, params = _action_filters(status, step, key, due_before, kinds)
        return self._rows(f"SELECT count(*) AS n FROM coachflow.actions WHERE {where}", params)[0]["n"]

    def next_due(self, after: dt.datetime) -> StoredAction | None:
        """The open action due soonest after ``after``, or ``None``."""
        rows = self._rows(
            "SELECT * FROM coachflow.actions WHERE client_id = %(client)s AND status = 'open' AND due > %(after)s "
            "ORDER BY due, id LIMIT 1", {"after": after.isoformat(timespec="minutes")})
        return stored_action_from_row(rows[0]) if rows else None

    def action(self, action_id: int) -> StoredAction | None:
        """The action with this id, or ``None``."""
        if not 0 < action_id <= MAX_ROW_ID:
            return None
        rows = self._rows("SELECT * FROM coachflow.actions WHERE client_id = %(client)s AND id = %(id)s",
                          {"id": action_id})
        return stored_action_from_row(rows[0]) if rows else None

    def due_actions(self, *, after: dt.datetime | None = None) -> Iterator[StoredAction]:
        """Open actions that have a due time, streamed one at a time, soonest due first."""
        where = "client_id = %(client)s AND status = 'open' AND due IS NOT NULL"
        params: dict[str, Any] = {}
        if after is not None:
            where += " AND due > %(after)s"
            params["after"] = after.isoformat(timespec="minutes")
        for row in self._paged(where, params, columns="*", table="coachflow.actions", order=("due", "id")):
            yield stored_action_from_row(row)

    def notes(self, *, since: dt.date | None = None, until: dt.date | None = None) -> list[Note]:
        """The coach's notes about days in a window, oldest first."""
        where, params = "client_id = %(client)s", {}
        if since is not None:
            where, params["since"] = where + " AND day >= %(since)s", since
        if until is not None:
            where, params["until"] = where + " AND day <= %(until)s", until
        rows = self._rows(f"SELECT * FROM coachflow.notes WHERE {where} ORDER BY day, id", params)
        return [Note(id=row["id"], day=row["day"], text=row["text"],
                     written_at=dt.datetime.fromisoformat(row["written_at"])) for row in rows]

    def identity(self) -> str:
        """A short id that stays the same for this journal, wherever it moves.

        The same digest as the SQLite journal's (the first event and when it
        was recorded), so a journal copied to or from a file keeps it, and
        calendar entries exported from either are the same entries.
        """
        rows = self._rows("SELECT * FROM coachflow.events WHERE client_id = %(client)s ORDER BY id LIMIT 1", {})
        seed = f"{fingerprint(event_from_row(rows[0]))}|{rows[0]['recorded_at']}" if rows else ""
        return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:16]


def _postgres_param(sql: str) -> str:
    """``:name`` parameters as psycopg's ``%(name)s`` (the queries hold no ``%`` and no ``::`` casts)."""
    return re.sub(r":(\w+)", r"%(\1)s", sql)


def _postgres_day(expression: str) -> str:
    if expression.startswith(":"):  # a parameter: a date sent as one
        expression = f"CAST({expression} AS date)"
    return f"({expression} - DATE '0001-01-01')"


#: How the queries of coachflow.journal.periods read one client's journal.
_DIALECT = Dialect(events="coachflow.events", scope="client_id = :client", day=_postgres_day, param=_postgres_param,
                   collect=lambda expression: f"string_agg(CAST({expression} AS text), ',')")


#: Add a client's rejections with ids in (last, newest] to their kept groups of reasons: the rows
#: periods.py's reasons query groups the period's rejections into, with how many and the first's place.
_KEEP_REASONS = f"""
INSERT INTO coachflow.kept_reasons AS kept (client_id, group_key, company, reason, notes, verdict, n, first_position)
SELECT client_id, md5(CAST(ROW(company, reason, notes, verdict) AS text)), company, reason, notes, verdict,
       count(*), min({_DIALECT.position()})
FROM coachflow.events
WHERE client_id = %(client)s AND id > %(last)s AND id <= %(newest)s AND {GROUPED_REJECTIONS}
GROUP BY client_id, company, reason, notes, verdict
ON CONFLICT (client_id, group_key) DO UPDATE
SET n = kept.n + excluded.n, first_position = least(kept.first_position, excluded.first_position)
"""

#: Add a client's feedback texts and rejection reasons with ids in (last, newest] to their kept texts:
#: each distinct text said about an application, with the place of every event that said it.
_KEEP_TEXTS = f"""
INSERT INTO coachflow.kept_texts AS kept (client_id, group_key, company, role, said, positions)
SELECT client_id, md5(CAST(ROW(company, role, said) AS text)), company, role, said, array_agg(position)
FROM (SELECT client_id, company, role, {SAID} AS said, {_DIALECT.position()} AS position
      FROM coachflow.events
      WHERE client_id = %(client)s AND id > %(last)s AND id <= %(newest)s AND {SAYS_SOMETHING}) AS texts
GROUP BY client_id, company, role, said
ON CONFLICT (client_id, group_key) DO UPDATE SET positions = kept.positions || excluded.positions
"""

def _where(**filters: Any) -> tuple[str, dict[str, Any]]:
    """The conditions (one client's events, then each filter given) and their parameters."""
    clauses = ["e.client_id = %(client)s"]
    params: dict[str, Any] = {}
    for number, (column, operator, value) in enumerate(event_conditions(**filters)):
        clauses.append(f"e.{column} {operator} %(p{number})s")
        params[f"p{number}"] = value
    return " AND ".join(clauses), params


def _action_filters(status: str | None, step: str | None, key: str | None, due_before: dt.datetime | None,
                    kinds: Sequence[str] | None = None) -> tuple[str, dict[str, Any]]:
    clauses = ["client_id = %(client)s"]
    params: dict[str, Any] = {}
    for column, value in (("status", status), ("step", step), ("key", key)):
        if value is not None:
            clauses.append(f"{column} = %({column})s")
            params[column] = value
    if due_before is not None:
        clauses.append("due IS NOT NULL AND due <= %(due_before)s")
        params["due_before"] = due_before.isoformat(timespec="minutes")
    if kinds is not None:
        clauses.append("kind = ANY(%(kinds)s)")
        params["kinds"] = list(kinds)
    return " AND ".join(clauses), params


# --- the write side --------------------------------------------------------------------

_INSERT_EVENT = f"""
    INSERT INTO coachflow.events (client_id, id, {', '.join(EVENT_COLUMNS)}, company_key, role_key,
                                  content_key, copy, recorded_at, workflow, themes, verdict)
    SELECT %(client)s, {{id}}, {', '.join(f'%({c})s' for c in EVENT_COLUMNS)}, %(company_key)s, %(role_key)s,
           %(content_key)s,
           (SELECT coalesce(max(copy), 0) + 1 FROM coachflow.events
            WHERE client_id = %(client)s AND content_key = %(content_key)s),
           %(recorded_at)s, %(workflow)s, %(themes)s, %(verdict)s
    {{conflict}}
    RETURNING id
"""
#: A new event takes the client's next id; its copy number counts the copies already there.
_ADD_EVENT = _INSERT_EVENT.format(
    id="(SELECT coalesce(max(id), 0) + 1 FROM coachflow.events WHERE client_id = %(client)s)", conflict="")
#: An event copied from another journal keeps its id; one already there is left alone.
_COPY_EVENT = _INSERT_EVENT.format(id="%(id)s", conflict="ON CONFLICT (client_id, id) DO NOTHING")

_NEXT_ID = "(SELECT coalesce(max(id), 0) + 1 FROM coachflow.{table} WHERE client_id = %(client)s)"
_ADD_RUN = ("INSERT INTO coachflow.runs (client_id, id, event_id, workflow, ran_at) "
            f"VALUES (%(client)s, {_NEXT_ID.format(table='runs')}, %(event_id)s, %(workflow)s, %(ran_at)s)")
_ACTION_COLUMNS = ("event_id", "workflow", "step", "kind", "title", "body", "due", "key", "status", "created_at",
                   "done_at")
_INSERT_ACTION = (f"INSERT INTO coachflow.actions (client_id, id, {', '.join(_ACTION_COLUMNS)}) "
                  f"VALUES (%(client)s, {{id}}, {', '.join(f'%({c})s' for c in _ACTION_COLUMNS)}) {{conflict}} "
                  "RETURNING id")
_ADD_ACTION = _INSERT_ACTION.format(id=_NEXT_ID.format(table="actions"), conflict="")
_COPY_ACTION = _INSERT_ACTION.format(id="%(id)s", conflict="ON CONFLICT (client_id, id) DO NOTHING")
_INSERT_NOTE = ("INSERT INTO coachflow.notes (client_id, id, day, text, written_at) "
                "VALUES (%(client)s, {id}, %(day)s, %(text)s, %(written_at)s) {conflict} RETURNING id")
_ADD_NOTE = _INSERT_NOTE.format(id=_NEXT_ID.format(table="notes"), conflict="")
_COPY_NOTE = _INSERT_NOTE.format(id="%(id)s", conflict="ON CONFLICT (client_id, id) DO NOTHING")


def _refresh_board_facts() -> tuple[str, dict[str, Any]]:
    """Bring coachflow.board_facts up to date for every client whose last event is not the one
    their facts were aggregated up to (all of them, the first time), in one statement: so the
    facts and the last event id they are kept with come from one snapshot. Events are only
    ever added (a client is removed whole), so a client's last event id says whether anything
    changed; facts whose last activity is not the latest event date (kept before the board
    took the latest date rather than the date of the event recorded last) are made again too.
    The last activity is the latest event date, whatever order the events were entered in.
    Open applications are counted with the open rule of
    :mod:`coachflow.journal.open_rule`, for many clients at once: a company and role is open
    when its latest ``applied`` came after every close of it. A theme recurs when it came up
    in two applications or more in the 90 days up to the last activity; a mention with no role
    counts as an application of its own only at a company where no mention had a role (the
    rule of coachflow.themes.ThemeIndex).

    Returns the statement and its parameters, but for ``theme_days``.
    """
    params: dict[str, Any] = {}
    closing = _postgres_param(closing_condition(params))
    opening = _postgres_param(opening_condition(params))
    position = _DIALECT.position()
    sql = f"""
WITH latest AS (
    SELECT c.id AS client_id, last.id AS last_event,
           (SELECT max(e.date) FROM coachflow.events e WHERE e.client_id = c.id) AS last_date
    FROM coachflow.clients c
    CROSS JOIN LATERAL (SELECT id FROM coachflow.events e WHERE e.client_id = c.id ORDER BY e.id DESC LIMIT 1) last
),
changed AS (
    SELECT l.client_id, l.last_event, l.last_date
    FROM latest l
    LEFT JOIN coachflow.board_facts f ON f.client_id = l.client_id
    WHERE f.last_event IS DISTINCT FROM l.last_event OR f.last_activity IS DISTINCT FROM l.last_date
),
lifecycle AS (
    SELECT client_id, company_key, role_key, type, kind, {position} AS position
    FROM coachflow.events
    WHERE client_id IN (SELECT client_id FROM changed) AND company_key != '' AND ({closing} OR {opening})
),
closing AS (SELECT client_id, company_key, role_key, position FROM lifecycle WHERE {closing}),
{last_closes("closing", partition=("client_id",))},
latest_applied AS (
    SELECT client_id, company_key, role_key, max(position) AS position FROM lifecycle WHERE {opening}
    GROUP BY client_id, company_key, role_key
),
open_counts AS (
    SELECT a.client_id, count(*) AS n
    FROM latest_applied a
    LEFT JOIN last_close_by_company c ON c.client_id = a.client_id AND c.company_key = a.company_key
    LEFT JOIN last_close_by_role r
        ON r.client_id = a.client_id AND r.company_key = a.company_key AND r.role_key = a.role_key
    WHERE {opened_after("a.position", "a.role_key")}
    GROUP BY a.client_id
)
INSERT INTO coachflow.board_facts (client_id, last_event, last_activity, open_applications, themes)
SELECT ch.client_id, ch.last_event, ch.last_date, coalesce(o.n, 0), coalesce(themes.names, '{{}}')
FROM changed ch
LEFT JOIN open_counts o ON o.client_id = ch.client_id
LEFT JOIN LATERAL (
    SELECT array_agg(theme ORDER BY applications DESC, theme COLLATE "C") AS names
    FROM (SELECT theme, count(*) FILTER (WHERE role_key != '' OR NOT company_has_role) AS applications
          FROM (SELECT DISTINCT t.theme, e.company_key, e.role_key,
                       bool_or(e.role_key != '') OVER (PARTITION BY t.theme, e.company_key) AS company_has_role
                FROM coachflow.events e CROSS JOIN LATERAL unnest(e.themes) AS t(theme)
                WHERE e.client_id = ch.client_id AND e.type IN ('feedback', 'rejection') AND e.kind = ''
                  AND e.date BETWEEN ch.last_date - %(theme_days)s::int AND ch.last_date
                  AND e.themes != '{{}}') mentions
          GROUP BY theme) counted
    WHERE applications >= 2
) themes ON true
ON CONFLICT (client_id) DO UPDATE SET last_event = excluded.last_event, last_activity = excluded.last_activity,
    open_applications = excluded.open_applications, themes = excluded.themes
"""
    return sql, params

#: The practice board, once coachflow.board_facts is up to date: a row per client the
#: connecting role sees (row-level security), the kept facts and, from the indexes that
#: start with the client's id, what depends on the day: the rejections of the week (and of the
#: days a hard run is counted over), the newest of the week's (the first recorded of its date),
#: and the overdue actions that have not lapsed.
_BOARD = """
SELECT c.name, c.display_name, c.pipeline_target, f.last_activity, coalesce(f.open_applications, 0) AS open_applications,
       f.themes, noes.week::int AS rejections, noes.run::int AS rejections_in_run, latest.date AS latest_date, latest.company AS latest_company,
       latest.stage AS latest_stage, overdue.n::int AS overdue
FROM coachflow.clients c
LEFT JOIN coachflow.board_facts f ON f.client_id = c.id
CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE e.date >= %(week_start)s) AS week,
                           count(*) FILTER (WHERE e.date >= %(run_start)s) AS run
                    FROM coachflow.events e
                    WHERE e.client_id = c.id AND e.type = 'rejection' AND e.kind = ''
                      AND e.date BETWEEN least(%(week_start)s, %(run_start)s) AND %(today)s) noes
LEFT JOIN LATERAL (SELECT date, company, stage FROM coachflow.events e
                   WHERE e.client_id = c.id AND e.type = 'rejection' AND e.kind = ''
                     AND e.date BETWEEN %(week_start)s AND %(today)s
                   ORDER BY e.date DESC, e.id LIMIT 1) latest ON true
CROSS JOIN LATERAL (SELECT count(*) AS n FROM coachflow.actions a
                    WHERE a.client_id = c.id AND a.status = 'open' AND a.due IS NOT NULL
                      AND a.due <= %(now)s AND a.due >= %(lapsed_before)s) overdue
ORDER BY c.name
"""


class PostgresJournal(Journal):
    """One client's journal in a practice store, open for reading and writing.

    Open one with :func:`coachflow.journal.open_journal`.
    """

    def __init__(self, store: PracticeStore, client: str, client_id: int, *, read_only: bool = False):
        self._store = store
        #: The client (profile) whose journal this is.
        self.client = client
        self._client = client_id
        self._read_only = read_only
        self._in_transaction = False
        self.location = f"{store.shown} (client {client})"
        self.reader: PostgresReader = PostgresReader(store, client_id)

    # --- transactions -------------------------------------------------------------

    @property
    def in_transaction(self) -> bool:
        """True between :meth:`begin` and :meth:`commit` or :meth:`rollback`."""
        return self._in_transaction

    def begin(self) -> None:
        """Start a write transaction; other writers of this client wait until it ends."""
        if self._in_transaction:
            return
        self._in_transaction = True
        try:
            # One round trip (both numbers are ints of ours, never a value from outside).
            self._store.execute(f"BEGIN; SELECT pg_advisory_xact_lock({LOCK_SPACE}, {int(self._client)})")
        except BaseException:
            self.rollback()
            raise
        self.reader._locked, self.reader._last_known = True, None

    def commit(self) -> None:
        """Make the writes since :meth:`begin` permanent, or none of them (then raise)."""
        if not self._in_transaction:
            return
        self._unlocked()
        try:
            self._store.connection.execute("COMMIT")
        except psycopg.Error as exc:
            self._in_transaction = False
            self.reader.forget_summaries()
            if self._store.connection.broken or self._store.connection.closed:
                raise JournalError(
                    f"{self._store.shown}: lost the connection to the database server while saving, so it may or "
                    f"may not have been kept; check with: coachflow history --profile {self.client}") from exc
            self._store._rollback_quietly()
            raise self._store.error(exc) from exc
        self._in_transaction = False

    def rollback(self) -> None:
        """Forget the writes since :meth:`begin`; never raises. Running summaries are forgotten too."""
        self.reader.forget_summaries()
        self._unlocked()
        if self._in_transaction:
            self._in_transaction = False
            self._store._rollback_quietly()

    def _unlocked(self) -> None:
        self.reader._locked, self.reader._last_known = False, None

    def _writing(self) -> None:
        if self._read_only:
            raise JournalError(f"{self.location}: opened for reading only")

    # --- writes -----------------------------------------------------------------------

    def _event_params(self, event: Event, recorded_at: str, workflow: str | None,
                      verdict: str | None = None) -> dict[str, Any]:
        values = event_values(event)
        params = dict(zip(EVENT_COLUMNS, values))
        params["date"] = getattr(event, "date")
        company_key, role_key = key_of(event)
        params.update(client=self._client, company_key=company_key, role_key=role_key,
                      content_key=_content_key(values), recorded_at=recorded_at, workflow=workflow,
                      verdict=verdict, themes=_themes_of(values[0], params["text"], params["reason"]))
        return params

    def add_event(self, event: Event, *, recorded_at: dt.datetime | None = None, workflow: str | None = None,
                  verdict: str | None = None) -> int:
        """Write one event and return its id (inside the caller's transaction, if any); see
        :meth:`Journal.add_event` for ``workflow`` and ``verdict``."""
        self._writing()
        with self.transaction():
            params = self._event_params(event, _stamp(recorded_at), workflow, verdict)
            event_id = int(self._store.value(_ADD_EVENT, params))
            self.reader._last_known = event_id
            return event_id

    def set_verdict(self, event_id: int, verdict: str) -> None:
        """Keep ``verdict`` with an event already in the journal (see :meth:`Journal.set_verdict`)."""
        self._writing()
        with self.transaction():
            self._store.execute("UPDATE coachflow.events SET verdict = %(verdict)s "
                                "WHERE client_id = %(client)s AND id = %(id)s",
                                {"verdict": verdict, "client": self._client, "id": event_id})
            # The kept groups of reasons no longer hold (see migration 5).
            self._store.execute("INSERT INTO coachflow.kept_reasons_stale VALUES (%(client)s) ON CONFLICT DO NOTHING",
                                {"client": self._client})

    def add_actions(self, event_id: int, workflow: str, actions: Sequence[Action], *,
                    created_at: dt.datetime | None = None, run_recorded: bool = False) -> list[int]:
        """Record that ``workflow`` ran on an event and write the actions it produced; return their ids."""
        self._writing()
        stamp = _stamp(created_at)
        with self.transaction():
            if not run_recorded:
                self._store.execute(_ADD_RUN, {"client": self._client, "event_id": event_id, "workflow": workflow,
                                               "ran_at": stamp})
            ids = []
            for action in actions:  # one at a time: each takes the next id after the one before
                ids.append(int(self._store.value(_ADD_ACTION, {
                    "client": self._client, "event_id": event_id, "workflow": workflow, "step": action.step,
                    "kind": action.kind, "title": action.title, "body": action.body,
                    "due": action.due.isoformat(timespec="minutes") if action.due else None, "key": action.key,
                    "status": "open", "created_at": stamp, "done_at": None,
                })))
            return ids

    def cancel_actions(self, keys: Sequence[str]) -> int:
        """Mark open actions with any of these keys cancelled; return how many."""
        if not keys:
            return 0
        self._writing()
        with self.transaction():
            return self._store.execute(
                "UPDATE coachflow.actions SET status = 'cancelled' "
                "WHERE client_id = %s AND key = ANY(%s) AND status = 'open'",
                (self._client, list(dict.fromkeys(keys))),
            ).rowcount

    def _write_action_status(self, action_id: int, status: str, done_at: str | None) -> None:
        self._writing()
        self._store.execute("UPDATE coachflow.actions SET status = %s, done_at = %s WHERE client_id = %s AND id = %s",
                            (status, done_at, self._client, action_id))

    def add_note(self, text: str, *, day: dt.date, written_at: dt.datetime | None = None) -> int:
        """Keep a coach's note about ``day``; return its id."""
        self._writing()
        with self.transaction():
            return int(self._store.value(_ADD_NOTE, {"client": self._client, "id": None, "day": day, "text": text,
                                                     "written_at": _stamp(written_at)}))

    def copy_in(self, entries: Iterable[Entry], actions: Iterable[StoredAction], notes: Iterable[Note] = (),
                ) -> tuple[int, int, int]:
        """Write entries, actions and notes as another journal holds them (same ids); return how many were new."""
        self._writing()
        with self.transaction():
            added_events = 0
            for batch in _batches(entries):
                rows = []
                runs = []
                for entry in batch:
                    first = entry.workflows[0] if entry.workflows else None
                    rows.append({**self._event_params(entry.event, entry.recorded_at.isoformat(), first,
                                                      entry.verdict),
                                 "id": entry.id})
                    runs.extend({"client": self._client, "event_id": entry.id, "workflow": workflow,
                                 "ran_at": entry.recorded_at.isoformat()} for workflow in entry.workflows[1:])
                self.reader._last_known = None  # ids of its own: ask the server again
                cursor = self._store.executemany(_COPY_EVENT, rows, returning=True)
                new = _returned_ids(cursor)
                added_events += len(new)
                # Later runs only for events that were new here: a copy run again adds none twice.
                later_runs = [run for run in runs if run["event_id"] in new]
                if later_runs:
                    self._store.executemany(_ADD_RUN, later_runs)
            added_actions = 0
            for batch in _batches(actions):
                cursor = self._store.executemany(_COPY_ACTION, [{
                    "client": self._client, "id": stored.id, "event_id": stored.event_id,
                    "workflow": stored.workflow, "step": stored.action.step, "kind": stored.action.kind,
                    "title": stored.action.title, "body": stored.action.body,
                    "due": stored.action.due.isoformat(timespec="minutes") if stored.action.due else None,
                    "key": stored.action.key, "status": stored.status,
                    "created_at": stored.created_at.isoformat(),
                    "done_at": stored.done_at.isoformat() if stored.done_at else None,
                } for stored in batch], returning=True)
                added_actions += len(_returned_ids(cursor))
            added_notes = 0
            for batch in _batches(notes):
                cursor = self._store.executemany(_COPY_NOTE, [{
                    "client": self._client, "id": note.id, "day": note.day, "text": note.text,
                    "written_at": note.written_at.isoformat()} for note in batch], returning=True)
                added_notes += len(_returned_ids(cursor))
        return added_events, added_actions, added_notes

    # --- upkeep -------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        """The practice store's schema version."""
        return self._store.schema_version

    def migrate(self) -> None:
        """Bring the store's schema up to date; refuse one written by a newer coachflow."""
        self._store.migrate()

    def integrity_check(self) -> str:
        """``"ok"`` when every action and run of this client belongs to one of its events, and ids are unique.

        The keys make this so; it is asked anyway, so that a store edited
        by hand is caught.
        """
        orphans = self._store.value(
            "SELECT (SELECT count(*) FROM coachflow.actions a WHERE a.client_id = %(c)s AND NOT EXISTS "
            "(SELECT 1 FROM coachflow.events e WHERE e.client_id = a.client_id AND e.id = a.event_id)) + "
            "(SELECT count(*) FROM coachflow.runs r WHERE r.client_id = %(c)s AND NOT EXISTS "
            "(SELECT 1 FROM coachflow.events e WHERE e.client_id = r.client_id AND e.id = r.event_id))",
            {"c": self._client})
        if not orphans:
            return "ok"
        return f"{plural(orphans, 'action or run', 'actions or runs')} {'belongs' if orphans == 1 else 'belong'} to no event"

    def scratch_copy(self) -> "SqliteJournal":
        """A copy in memory (a SQLite journal) of this client's journal; its writes never reach the store."""
        from coachflow.journal.sqlite import SqliteJournal

        copy = SqliteJournal.in_memory()
        copy.copy_in(self.reader.entries(), self.reader.actions(), self.reader.notes())
        return copy

    def close(self) -> None:
        """Close the connection; uncommitted writes are lost."""
        self._in_transaction = False
        self._store.close()


def _stamp(moment: dt.datetime | None) -> str:
    """``moment`` (default: now) as the text rows keep, to the second (as the SQLite journal keeps it)."""
    return (moment or dt.datetime.now()).isoformat(timespec="seconds")


def _batches(items: Iterable[Any], size: int = PAGE) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _returned_ids(cursor: "psycopg.Cursor[Any]") -> set[int]:
    """The ids an ``executemany(..., returning=True)`` inserted (rows skipped by ON CONFLICT return none)."""
    ids: set[int] = set()
    while True:
        row = cursor.fetchone()
        if row is not None:
            ids.add(int(row["id"]))
        if not cursor.nextset():
            return ids


__all__ = [
    "ADMIN_ROLE", "COACH_ROLE", "MIGRATIONS", "SCHEMA_VERSION", "PostgresJournal", "PostgresReader", "PracticeStore",
    "connect", "open_client",
]

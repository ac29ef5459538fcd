"""A PostgreSQL server for the tests: one environment variable names it, each test run gets its own database.

``COACHFLOW_TEST_POSTGRES`` is a libpq URL of a role that may create
databases and roles (a superuser of a throwaway cluster: ``.ci/run`` starts
one). Without it the PostgreSQL tests skip, saying how to run them; under
``CI=true`` they fail instead, because CI must never skip them.
"""

from __future__ import annotations

import os
import secrets
from typing import Iterator
from urllib.parse import quote

import pytest

#: The one variable that names the test server.
SERVER_ENV = "COACHFLOW_TEST_POSTGRES"

# Read once, at import: the suite's autouse fixture clears every COACHFLOW_ variable.
SERVER_URL = os.environ.get(SERVER_ENV) or None
IN_CI = os.environ.get("CI", "").lower() == "true"

HOW_TO_RUN = (
    f"no PostgreSQL server for the practice-store tests: set {SERVER_ENV} to a libpq URL of a role that may "
    f"create databases and roles (e.g. {SERVER_ENV}=postgresql://postgres@/postgres?host=/tmp/pg), "
    "or run .ci/run, which starts a throwaway server"
)


def require_server() -> str:
    """The server URL; skip the test without one (fail under CI=true)."""
    if SERVER_URL is None:
        if IN_CI:
            pytest.fail(f"CI=true but {HOW_TO_RUN}")
        pytest.skip(HOW_TO_RUN)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        message = "psycopg is not installed: pip install -e '.[test,postgres]'"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return SERVER_URL


def _parts(url: str) -> dict[str, str]:
    from psycopg.conninfo import conninfo_to_dict

    return {key: str(value) for key, value in conninfo_to_dict(url).items()}


def url_for(base: str, *, user: str | None = None, password: str | None = None, dbname: str | None = None,
            with_password: bool = True) -> str:
    """A ``postgresql://`` URL for the same server as ``base``, as another user or database.

    The host and port go in the query, so that a Unix socket folder works as a TCP host does.
    """
    parts = _parts(base)
    user = user or parts.get("user", "")
    password = password if password is not None else (parts.get("password") if user == parts.get("user") else None)
    dbname = dbname or parts.get("dbname", "postgres")
    credentials = quote(user, safe="") + (f":{quote(password, safe='')}" if password and with_password else "")
    query = "&".join(f"{key}={quote(parts[key], safe='/')}" for key in ("host", "port", "sslmode") if parts.get(key))
    return f"postgresql://{credentials}@/{quote(dbname, safe='')}" + (f"?{query}" if query else "")


def admin_connection(url: str, dbname: str | None = None):
    """A psycopg connection (autocommit) as the server's test administrator."""
    import psycopg

    return psycopg.connect(url_for(url, dbname=dbname) if dbname else url, autocommit=True)


class PracticeServer:
    """A fresh database on the test server and the roles made for it, dropped at the end."""

    def __init__(self, server: str):
        self.server = server
        self.tag = secrets.token_hex(4)
        self.dbname = f"coachflow_test_{self.tag}"
        self.roles: list[str] = []
        with admin_connection(server) as connection:
            connection.execute(f'CREATE DATABASE "{self.dbname}"')
        #: The store as the server's administrator (the owner of its tables) sees it.
        self.admin_url = url_for(server, dbname=self.dbname)

    def coach(self, name: str, password: str | None = None) -> str:
        """Make a coach (a login role in coachflow_coach) and return a URL that connects as them."""
        from coachflow.journal.postgres import COACH_ROLE

        return self.role(name, password, member_of=COACH_ROLE)

    def role(self, name: str, password: str | None = None, *, member_of: str | None = None) -> str:
        """Make a login role for this test database; return a URL that connects as it."""
        role = f"{name}_{self.tag}"
        password = password or secrets.token_urlsafe(12)
        with admin_connection(self.server) as connection:
            connection.execute(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{password}'"
                               + (f" IN ROLE {member_of}" if member_of else ""))
        self.roles.append(role)
        return url_for(self.server, user=role, password=password, dbname=self.dbname)

    def drop(self) -> None:
        """Drop the database and the roles (other connections to it are ended first)."""
        with admin_connection(self.server) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')
            for role in self.roles:
                connection.execute(f'DROP ROLE IF EXISTS "{role}"')


def practice_server() -> Iterator[PracticeServer]:
    """A :class:`PracticeServer`, set up as a practice store, for a fixture to yield."""
    server = PracticeServer(require_server())
    try:
        from coachflow.journal.postgres import PracticeStore

        store = PracticeStore(server.admin_url)
        store.migrate()
        store.close()
        yield server
    finally:
        server.drop()


def new_client() -> str:
    """A client name no other test uses."""
    return f"client-{secrets.token_hex(6)}"

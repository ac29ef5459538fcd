"""The PostgreSQL practice store: who sees what, its schema, its errors, its secrets, and copying to and from it.

These run against a real server (see ``tests/support/postgres.py``); the
interface itself is tested on both backends by ``test_contract.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from coachflow.cli import cli
from coachflow.errors import JournalError
from coachflow.journal import open_journal
from coachflow.models import Action, Milestone, Rejection
from support.postgres import PracticeServer, admin_connection, new_client, practice_server, require_server, url_for

DAY = dt.date(2026, 3, 2)


@pytest.fixture(scope="module")
def server():
    yield from practice_server()


@pytest.fixture(scope="module")
def coaches(server):
    """Two coaches, each with a client and a few events and actions recorded through coachflow."""
    ana, ben = server.coach("ana"), server.coach("ben")
    clients = {}
    for url, name in ((ana, "ana"), (ben, "ben")):
        client = new_client()
        with open_journal(url, client=client) as journal, journal.transaction():
            event_id = journal.add_event(Rejection(company=f"{name} corp", role="Analyst", stage="screen", date=DAY))
            journal.add_actions(event_id, "w", [Action(kind="task", title=f"{name}'s task", key=f"{name}-key")])
            journal.add_note(f"{name}'s note", day=DAY)
        clients[name] = client
    return {"ana": ana, "ben": ben, "clients": clients}


def invoke(*args, env=None):
    return CliRunner().invoke(cli, list(args), env=env)


def raw(url: str):
    """A plain psycopg connection as the role in ``url``, as any SQL client would connect."""
    import psycopg

    return psycopg.connect(url, autocommit=True)


# --- row-level security -----------------------------------------------------------------------


def test_a_coach_with_raw_sql_reads_nothing_of_another_coachs_clients(coaches):
    with raw(coaches["ana"]) as connection:
        names = [row[0] for row in connection.execute("SELECT name FROM coachflow.clients")]
        assert names == [coaches["clients"]["ana"]]
        companies = [row[0] for row in connection.execute("SELECT company FROM coachflow.events")]
        assert companies == ["ana corp"]
        titles = [row[0] for row in connection.execute("SELECT title FROM coachflow.actions")]
        assert titles == ["ana's task"]
        assert connection.execute("SELECT count(*) FROM coachflow.runs").fetchone()[0] == 1
        assert [row[0] for row in connection.execute("SELECT text FROM coachflow.notes")] == ["ana's note"]
        assert connection.execute(
            "SELECT count(*) FROM coachflow.events WHERE company = 'ben corp'").fetchone()[0] == 0


def test_a_coach_with_raw_sql_writes_nothing_of_another_coachs_clients(coaches, server):
    import psycopg

    with admin_connection(server.server, server.dbname) as admin:
        ben_client = admin.execute("SELECT id FROM coachflow.clients WHERE name = %s",
                                   (coaches["clients"]["ben"],)).fetchone()[0]
        before = admin.execute("SELECT count(*), string_agg(status, ',') FROM coachflow.actions "
                               "WHERE client_id = %s", (ben_client,)).fetchone()
    with raw(coaches["ana"]) as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            connection.execute(
                "INSERT INTO coachflow.events (client_id, id, type, date, content_key, copy, recorded_at) "
                "VALUES (%s, 99, 'rejection', '2026-03-02', '\\x00', 1, '2026-03-02T09:00:00')", (ben_client,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            connection.execute("INSERT INTO coachflow.clients (name, coach) VALUES ('stolen', %s)",
                               (server.roles[1],))
        assert connection.execute("UPDATE coachflow.actions SET status = 'done' WHERE client_id = %s",
                                  (ben_client,)).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            connection.execute("INSERT INTO coachflow.notes (client_id, id, day, text, written_at) "
                               "VALUES (%s, 99, '2026-03-02', 'planted', '2026-03-02T09:00:00')", (ben_client,))
        # A coach may remove their own clients whole (coachflow client remove); another's rows are not there.
        for table in ("notes", "actions", "runs", "events", "board_facts", "clients"):
            assert connection.execute(f"DELETE FROM coachflow.{table} WHERE client_id = %s" if table != "clients"
                                      else "DELETE FROM coachflow.clients WHERE id = %s", (ben_client,)).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("UPDATE coachflow.clients SET coach = current_user")
    with admin_connection(server.server, server.dbname) as admin:
        after = admin.execute("SELECT count(*), string_agg(status, ',') FROM coachflow.actions "
                              "WHERE client_id = %s", (ben_client,)).fetchone()
        assert after == before
        assert admin.execute("SELECT count(*) FROM coachflow.events WHERE client_id = %s", (ben_client,)).fetchone()[0] == 1
        assert admin.execute("SELECT count(*) FROM coachflow.clients WHERE name = 'stolen'").fetchone()[0] == 0


def test_every_table_of_the_store_keeps_a_coach_to_their_own_clients(coaches, server):
    # Reports and the board keep rows of their own for each client (board_facts, report_facts, kept_*):
    # with both coaches' kept rows there, a coach's role sees and removes none of the other's, in any table.
    for coach in ("ana", "ben"):
        result = invoke("report", "--format", "json", "--journal", coaches[coach], "--profile", coaches["clients"][coach])
        assert result.exit_code == 0, result.output
        assert invoke("clients", "board", "--journal", coaches[coach]).exit_code == 0
    with admin_connection(server.server, server.dbname) as admin:
        tables = [name for name, in admin.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'coachflow' AND c.relkind = 'r' AND c.relname != 'schema_version' ORDER BY 1")]
        unguarded = [name for name, in admin.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'coachflow' AND c.relkind = 'r' AND c.relname != 'schema_version' "
            "AND NOT c.relrowsecurity")]
        ben_client = admin.execute("SELECT id FROM coachflow.clients WHERE name = %s",
                                   (coaches["clients"]["ben"],)).fetchone()[0]
        held = {table: admin.execute(f"SELECT count(*) FROM coachflow.{table} WHERE "
                                     f"{'id' if table == 'clients' else 'client_id'} = %s", (ben_client,)).fetchone()[0]
                for table in tables}
    assert unguarded == []
    assert {"report_facts", "kept_applications", "kept_event_days", "kept_reasons", "board_facts"} <= {
        table for table, rows in held.items() if rows}
    with raw(coaches["ana"]) as connection:
        for table in tables:
            column = "id" if table == "clients" else "client_id"
            assert connection.execute(f"SELECT count(*) FROM coachflow.{table} WHERE {column} = %s",
                                      (ben_client,)).fetchone()[0] == 0, table
            assert connection.execute(f"DELETE FROM coachflow.{table} WHERE {column} = %s",
                                      (ben_client,)).rowcount == 0, table


def test_through_coachflow_a_coach_cannot_open_another_coachs_client(coaches):
    with pytest.raises(JournalError, match="is taken by another coach of this practice"):
        open_journal(coaches["ana"], client=coaches["clients"]["ben"])
    with pytest.raises(JournalError, match="there is no client"):
        open_journal(coaches["ana"], client=coaches["clients"]["ben"], mode="read")
    result = invoke("status", "--format", "json", "--journal", coaches["ana"], "--profile", coaches["clients"]["ben"])
    assert result.exit_code == 0 and json.loads(result.stdout)["feedback"]["requested"] == 0  # an empty journal


def test_a_practice_administrator_sees_every_client(coaches, server):
    from coachflow.journal.postgres import ADMIN_ROLE

    manager = server.role("manager", member_of=ADMIN_ROLE)
    with raw(manager) as connection:
        companies = sorted(row[0] for row in connection.execute("SELECT company FROM coachflow.events"))
    assert {"ana corp", "ben corp"} <= set(companies)
    with open_journal(manager, client=coaches["clients"]["ben"], mode="read") as journal:
        assert [e.company for e in journal.reader.events()] == ["ben corp"]


# --- the schema -------------------------------------------------------------------------------


@pytest.fixture
def fresh():
    """An empty database of its own, dropped at the end."""
    server = PracticeServer(require_server())
    yield server
    server.drop()


def test_an_empty_database_is_set_up_on_first_use_and_migrate_then_has_nothing_to_do(fresh):
    client = new_client()
    result = invoke("run", "milestone", "--kind", "applied", "--company", "Acme", "--role", "Analyst",
                    "--journal", fresh.admin_url, "--profile", client)
    assert result.exit_code == 0, result.output
    result = invoke("journal", "migrate", "--journal", fresh.admin_url)
    assert result.exit_code == 0 and result.stdout.endswith("already at schema 5; nothing to do\n")


def test_migrate_sets_up_an_empty_database(fresh):
    result = invoke("journal", "migrate", "--journal", fresh.admin_url)
    assert result.exit_code == 0
    assert result.stdout == f"{fresh.admin_url}: set up as a practice store at schema 5\n"


def test_a_store_at_an_older_schema_is_refused_until_migrate_upgrades_it_keeping_everything(fresh):
    from coachflow.journal.postgres import SCHEMA_VERSION, PracticeStore

    store = PracticeStore(fresh.admin_url)
    store.migrate(up_to=1)  # as the first coachflow with a practice store left it
    store.close()
    with admin_connection(fresh.server, fresh.dbname) as admin:
        admin.execute("INSERT INTO coachflow.clients (name) VALUES ('alex')")
        admin.execute("INSERT INTO coachflow.events (client_id, id, type, date, company, role, kind, company_key, "
                      "role_key, content_key, copy, recorded_at) SELECT id, 1, 'milestone', '2026-03-02', 'Acme', "
                      "'Analyst', 'applied', 'acme', 'analyst', '\\x00', 1, '2026-03-02T09:00:00' FROM coachflow.clients")
    result = invoke("status", "--journal", fresh.admin_url, "--profile", "alex")
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {fresh.admin_url}: the practice store is at schema 1, this coachflow needs "
                             f"{SCHEMA_VERSION}; the practice administrator upgrades it with: coachflow journal migrate\n")
    result = invoke("journal", "migrate", "--journal", fresh.admin_url)
    assert result.stdout == f"{fresh.admin_url}: upgraded from schema 1 to {SCHEMA_VERSION}\n"
    with open_journal(fresh.admin_url, client="alex") as journal:
        journal.add_note("Good week", day=DAY)  # the table schema 2 adds
    with open_journal(fresh.admin_url, client="alex", mode="read") as journal:
        assert [e.company for e in journal.reader.events()] == ["Acme"]
        assert [note.text for note in journal.reader.notes()] == ["Good week"]


def test_a_store_from_a_newer_coachflow_is_refused_in_one_line_and_never_written(fresh):
    with open_journal(fresh.admin_url, client="alex") as journal:
        journal.add_event(Milestone(kind="applied", company="Acme", role="Analyst", date=DAY))
    with admin_connection(fresh.server, fresh.dbname) as admin:
        admin.execute("UPDATE coachflow.schema_version SET version = 99")
    for args in (("run", "milestone", "--kind", "applied", "--company", "Beta", "--role", "Analyst"),
                 ("status",), ("journal", "migrate")):
        result = invoke(*args, "--journal", fresh.admin_url, *(("--profile", "new") if args[0] != "journal" else ()))
        assert result.exit_code == 2
        assert result.stderr == f"Error: {fresh.admin_url}: written by a newer coachflow (schema 99); upgrade coachflow\n"
    with admin_connection(fresh.server, fresh.dbname) as admin:
        assert admin.execute("SELECT count(*) FROM coachflow.events").fetchone()[0] == 1
        assert admin.execute("SELECT count(*) FROM coachflow.clients").fetchone()[0] == 1


def test_a_database_that_is_not_coachflows_is_refused_and_left_alone(fresh):
    with admin_connection(fresh.server, fresh.dbname) as admin:
        admin.execute("CREATE TABLE invoices (id int)")
    for args in (("run", "milestone", "--kind", "applied", "--company", "Acme", "--role", "Analyst", "--profile", "a"),
                 ("journal", "migrate")):
        result = invoke(*args, "--journal", fresh.admin_url)
        assert result.exit_code == 2
        assert result.stderr == (f"Error: {fresh.admin_url}: this database is not a coachflow practice store (it holds "
                                 "1 other table); point --journal at an empty database or at a practice store\n")
    with admin_connection(fresh.server, fresh.dbname) as admin:
        assert admin.execute("SELECT to_regnamespace('coachflow')").fetchone()[0] is None


def test_a_coach_cannot_set_up_a_store_and_is_told_who_can(fresh):
    coach = fresh.coach("carl")
    result = invoke("run", "milestone", "--kind", "applied", "--company", "Acme", "--role", "Analyst",
                    "--journal", coach, "--profile", "alex")
    from coachflow.journal import _without_password

    shown = _without_password(coach)
    assert (result.exit_code, result.stderr) == (2, (
        f"Error: {shown}: this database holds no practice store yet, and your role may not set one up; the "
        "practice administrator does, with: coachflow journal migrate --journal URL\n"))
    result = invoke("status", "--journal", coach, "--profile", "alex")
    assert result.exit_code == 2
    assert f"Error: {shown}: this database holds no practice store yet, so there is nothing to read" in result.stderr


def test_a_read_of_an_empty_database_says_there_is_nothing_yet_and_a_write_sets_it_up(fresh):
    """docs/practice-store.md listed this as an error the administrator fixes; a first write sets it up."""
    shown = fresh.admin_url
    for args in (("status", "--profile", "a"), ("history", "--profile", "a"), ("due", "--profile", "a"),
                 ("export", "--format", "jsonl", "--profile", "a")):
        result = invoke(*args, "--journal", fresh.admin_url)
        assert (result.exit_code, result.stderr) == (2, (
            f"Error: {shown}: this database holds no practice store yet, so there is nothing to read; the first "
            "write to it (coachflow run, client add) sets one up, or: coachflow journal migrate --journal URL\n")), args
    listed = invoke("client", "list", "--journal", fresh.admin_url)
    assert (listed.exit_code, listed.stdout) == (0, "No clients yet. Add one with: coachflow client add NAME\n")
    dry = invoke("run", "milestone", "--kind", "applied", "--company", "Acme", "--profile", "a", "--dry-run",
                 "--journal", fresh.admin_url)
    assert dry.exit_code == 0 and "Acme" in dry.stdout
    with admin_connection(fresh.server, fresh.dbname) as admin:  # a dry run leaves the database as it was
        assert admin.execute("SELECT to_regnamespace('coachflow')").fetchone()[0] is None
    assert invoke("run", "milestone", "--kind", "applied", "--company", "Acme", "--profile", "a",
                  "--journal", fresh.admin_url).exit_code == 0
    status = invoke("status", "--profile", "a", "--journal", fresh.admin_url)
    assert status.exit_code == 0 and "Acme" in status.stdout


# --- errors and secrets --------------------------------------------------------------------------


def test_server_errors_are_one_line_exit_2_and_never_show_the_password(server):
    secret = "Sup3r-s3cret-pw"
    coach = server.coach("dana", secret)
    wrong = url_for(server.server, user=server.roles[-1], password="not-" + secret, dbname=server.dbname)
    down = f"postgresql://{server.roles[-1]}:{secret}@/practice?host=/nonexistent-coachflow-socket"
    cases = [
        (wrong, "the server refused the login; check the user and password (in the URL, PGPASSWORD or ~/.pgpass)"),
        (down, "cannot reach the database server; is it running, and is the address right?"),
        (url_for(coach, dbname="no_such_database_here"), "there is no such database on the server"),
        (coach, "a practice store holds many clients; name one with --profile NAME (or COACHFLOW_PROFILE)"),
    ]
    for url, message in cases:
        result = invoke("status", "--journal", url, *(("--profile", "alex") if "--profile" not in message else ()))
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
        assert message in result.stderr and secret not in result.stderr and "***" in result.stderr


def test_the_password_stays_out_of_trace_plugins_and_reports(server, tmp_path):
    secret = "Tr4ce-s3cret"
    coach = server.coach("erin", secret)
    client = new_client()
    env = {"COACHFLOW_JOURNAL": coach, "COACHFLOW_PROFILE": client}
    (tmp_path / "c.ics.jsonl").write_text('{"type": "milestone", "kind": "applied", "company": "Beta", '
                                          '"role": "Analyst", "date": "2026-11-02"}\n', encoding="utf-8")
    outputs = []
    for args in (("--trace", "run", "rejection", "--company", "Acme", "--role", "Analyst", "--stage", "interview"),
                 ("plugins",), ("report", "--format", "markdown"), ("report", "-o", str(tmp_path / "r.html")),
                 ("calendar", "-o", str(tmp_path / "c.ics")), ("status", "--format", "json"), ("due", "--all"),
                 ("history", "--format", "json"), ("export",), ("path",), ("path", "--format", "json"),
                 ("import", "--dry-run", str(tmp_path / "c.ics.jsonl"))):
        result = invoke(*args, env=env)
        assert result.exit_code == 0, (args, result.output)
        outputs.append(result.output)
    outputs += [(tmp_path / "r.html").read_text(encoding="utf-8"), (tmp_path / "c.ics").read_text(encoding="utf-8")]
    assert "Acme" in outputs[0] and "trace: " in outputs[0]
    assert all(secret not in text for text in outputs)


def test_pgpassword_pgpass_and_a_service_name_work_as_libpq_users_expect(server, tmp_path, monkeypatch):
    secret = "L1bpq-s3cret"
    with_password = server.coach("fay", secret)
    role = server.roles[-1]
    bare = url_for(with_password, with_password=False)
    assert secret not in bare
    client = new_client()
    args = ("history", "--journal", bare, "--profile", client)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "missing"))
    assert invoke(*args).exit_code == 2  # no password from anywhere: refused
    monkeypatch.setenv("PGPASSWORD", secret)
    assert invoke(*args).exit_code == 0
    monkeypatch.delenv("PGPASSWORD")
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"*:*:{server.dbname}:{role}:{secret}\n", encoding="utf-8")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    assert invoke(*args).exit_code == 0
    from psycopg.conninfo import conninfo_to_dict

    parts = conninfo_to_dict(bare)
    services = tmp_path / "pg_service.conf"
    services.write_text(f"[practice]\nhost={parts['host']}\n" + (f"port={parts['port']}\n" if "port" in parts else "")
                        + f"dbname={server.dbname}\nuser={role}\n", encoding="utf-8")
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    result = invoke("run", "milestone", "--kind", "applied", "--company", "Acme", "--role", "Analyst",
                    "--journal", "postgresql://?service=practice", "--profile", client)
    assert result.exit_code == 0, result.output
    assert invoke(*args).stdout.startswith("Mon 2") or "Acme" in invoke(*args).stdout


def test_a_connection_dropped_mid_run_is_one_line_and_keeps_nothing(server):
    client = new_client()
    journal = open_journal(server.admin_url, client=client)
    try:
        journal.begin()
        event_id = journal.add_event(Milestone(kind="applied", company="Acme", role="Analyst", date=DAY))
        pid = journal._store.connection.info.backend_pid
        with admin_connection(server.server, server.dbname) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        with pytest.raises(JournalError, match="lost the connection to the database server") as caught:
            journal.add_actions(event_id, "w", [Action(kind="task", title="Never kept")])
        assert "\n" not in str(caught.value)
        journal.rollback()
    finally:
        journal.close()
    with open_journal(server.admin_url, client=client, mode="read") as again:
        assert again.reader.count() == 0 and again.reader.count_actions() == 0


def test_a_connection_dropped_during_a_cli_run_exits_2_and_keeps_nothing(server, tmp_path):
    client = new_client()
    plugin = tmp_path / "drop_connection.py"
    plugin.write_text(
        "import coachflow, psycopg\n"
        f"ADMIN = {server.admin_url!r}\n"
        "class Drop(coachflow.Step):\n"
        "    '''Ends every other connection to the store, as a server restart would.'''\n"
        "    name = 'drop-connection'\n"
        "    @coachflow.hookimpl\n"
        "    def on_milestone(self, event, ctx):\n"
        "        with psycopg.connect(ADMIN, autocommit=True) as c:\n"
        "            c.execute('SELECT pg_terminate_backend(pid) FROM pg_stat_activity '\n"
        "                      'WHERE datname = current_database() AND pid <> pg_backend_pid()')\n"
        "        return coachflow.Action(kind='task', title='Never kept')\n"
        "@coachflow.hookimpl\n"
        "def register_steps(register):\n"
        "    register(Drop)\n", encoding="utf-8")
    workflow = tmp_path / "drop.toml"
    workflow.write_text('[workflow]\nname = "Drop"\n\n[[steps]]\nuses = "drop-connection"\n', encoding="utf-8")
    result = invoke("--plugin", str(plugin), "run", "milestone", "--kind", "applied", "--company", "Acme",
                    "--role", "Analyst", "-w", str(workflow), "--journal", server.admin_url, "--profile", client)
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and "lost the connection to the database server" in result.stderr
    with open_journal(server.admin_url, client=client, mode="read", missing_ok=True) as again:
        assert again.reader.count() == 0


# --- the report's kept counts ---------------------------------------------------------------------


def test_a_report_on_the_store_counts_from_what_it_keeps_and_adds_what_came_since(server, tmp_path):
    client, file = new_client(), tmp_path / "same.sqlite3"
    for journal_args in (["--journal", server.admin_url, "--profile", client], ["--journal", str(file)]):
        _record(journal_args, *SEARCH)

    def reports_agree() -> dict:
        on_store = invoke("report", "--format", "json", "--journal", server.admin_url, "--profile", client)
        on_file = invoke("report", "--format", "json", "--journal", str(file))
        assert on_store.exit_code == 0, on_store.output
        assert on_store.stdout == on_file.stdout
        return json.loads(on_store.stdout)

    def kept() -> tuple:
        with admin_connection(server.server, server.dbname) as admin:
            return admin.execute(
                "SELECT f.last_event, (SELECT count(*) FROM coachflow.kept_applications a WHERE a.client_id = c.id) "
                "FROM coachflow.clients c JOIN coachflow.report_facts f ON f.client_id = c.id WHERE c.name = %s",
                (client,)).fetchone()

    assert reports_agree()["applications"]["sent"] == 2
    assert kept() == (3, 2)  # up to the third event: two applications, Öko AG's closed
    # A no recorded late, dated before the applications it is about: Beta's application is worked out again.
    late = ["rejection", "--company", "Beta", "--role", "Engineer", "--stage", "screen", "--date", "2026-11-04"]
    for journal_args in (["--journal", server.admin_url, "--profile", client], ["--journal", str(file)]):
        _record(journal_args, late)
    assert reports_agree()["applications"]["outcomes"] == {"open": 0, "rejected": 2, "withdrawn": 0, "accepted": 0}
    assert kept() == (4, 2)


# --- journal copy ---------------------------------------------------------------------------------


def _record(journal_args: list[str], *runs: list[str]) -> None:
    for args in runs:
        result = invoke("run", *args, *journal_args)
        assert result.exit_code == 0, result.output


SEARCH = [
    ["milestone", "--kind", "applied", "--company", "Öko AG", "--role", "Analyst", "--date", "2026-11-02"],
    ["milestone", "--kind", "applied", "--company", "Beta", "--role", "Engineer", "--date", "2026-11-03"],
    ["rejection", "--company", "öko ag", "--role", "analyst", "--stage", "interview", "--date", "2026-11-20"],
]


def test_copy_a_file_to_the_store_and_back_keeps_everything_and_twice_adds_nothing(server, tmp_path):
    source = tmp_path / "alex.sqlite3"
    _record(["--journal", str(source)], *SEARCH)
    with open_journal(source, mode="read") as journal:
        first_open = journal.reader.actions(status="open")[0].id
    assert invoke("done", str(first_open), "--journal", str(source)).exit_code == 0
    client = new_client()
    first = invoke("journal", "copy", str(source), server.admin_url, "--profile", client)
    assert first.exit_code == 0, first.output
    assert first.stdout == f"{client}: 3 events and {_count_actions(source)} actions on both sides (3 and " \
                           f"{_count_actions(source)} new in {server.admin_url})\n"
    again = invoke("journal", "copy", str(source), server.admin_url, "--profile", client)
    assert again.stdout.endswith("(0 and 0 new in " + server.admin_url + ")\n")
    back = tmp_path / "back.sqlite3"
    assert invoke("journal", "copy", server.admin_url, str(back), "--profile", client).exit_code == 0
    for args in (("history", "--format", "json"), ("due", "--all", "--format", "json"), ("status", "--format", "json"),
                 ("report", "--format", "json")):
        on_file = invoke(*args, "--journal", str(source))
        on_server = invoke(*args, "--journal", server.admin_url, "--profile", client)
        on_copy = invoke(*args, "--journal", str(back))
        assert on_file.stdout == on_server.stdout == on_copy.stdout, args


def _count_actions(path: Path) -> int:
    with open_journal(path, mode="read") as journal:
        return journal.reader.count_actions()


def test_copy_every_profile_to_the_store_and_every_client_back(server, tmp_path):
    profiles = tmp_path / "profiles"
    names = [new_client(), new_client()]
    for name in names:
        _record(["--journal", str(profiles / f"{name}.sqlite3")], *SEARCH[:2])
    coach = server.coach("gus")
    result = invoke("journal", "copy", str(profiles), coach)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("Copied 2 journals: 4 events and ")
    back = tmp_path / "back"
    result = invoke("journal", "copy", coach, str(back))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in back.iterdir() if p.suffix == ".sqlite3") == sorted(f"{n}.sqlite3" for n in names)


def test_copy_brings_client_settings_into_the_store_and_back_into_a_data_folder(server, tmp_path):
    profiles = tmp_path / "data" / "profiles"
    name = new_client()
    _record(["--journal", str(profiles / f"{name}.sqlite3")], SEARCH[0])
    settings = tmp_path / "data" / "clients" / f"{name}.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text('name = "Sam Lee"\ncoach = "Ana"\ntimezone = "Europe/Berlin"\npipeline_target = 4\n',
                        encoding="utf-8")
    coach = server.coach("hal")
    assert invoke("journal", "copy", str(profiles), coach).exit_code == 0

    restored = tmp_path / "restored" / "profiles"
    result = invoke("journal", "copy", coach, str(restored))
    assert result.exit_code == 0, result.output
    written = tmp_path / "restored" / "clients" / f"{name}.toml"
    assert tomllib.loads(written.read_text(encoding="utf-8")) == {
        "name": "Sam Lee", "coach": "Ana", "timezone": "Europe/Berlin", "pipeline_target": 4}
    assert written.stat().st_mode & 0o077 == 0  # a client's settings are for their coach's eyes
    # Settings already on the destination are never overwritten; a folder not named profiles gets none.
    written.write_text('name = "Sam"\n', encoding="utf-8")
    assert invoke("journal", "copy", coach, str(restored)).exit_code == 0
    assert written.read_text(encoding="utf-8") == 'name = "Sam"\n'
    backup = tmp_path / "backup"
    assert invoke("journal", "copy", coach, str(backup)).exit_code == 0
    assert sorted(p.name for p in backup.iterdir()) == [f"{name}.sqlite3"]


def test_copy_refuses_a_destination_that_holds_another_journal(server, tmp_path):
    client = new_client()
    _record(["--journal", server.admin_url, "--profile", client], SEARCH[1])
    source = tmp_path / "other.sqlite3"
    _record(["--journal", str(source)], SEARCH[0])
    result = invoke("journal", "copy", str(source), server.admin_url, "--profile", client)
    assert result.exit_code == 2 and "already holds another journal than" in result.stderr
    with open_journal(server.admin_url, client=client, mode="read") as journal:
        assert journal.reader.count() == 1


def test_the_journal_group_is_listed_and_copy_explains_itself():
    assert "journal" in invoke("--help").stdout
    assert "Copy journals between SQLite files and a PostgreSQL practice store" in invoke(
        "journal", "copy", "--help").stdout
    assert os.environ.get("COACHFLOW_JOURNAL") is None


def test_copy_shows_a_progress_bar_on_a_terminal_and_nothing_else_elsewhere(tmp_path):
    import pty
    import subprocess
    import sys

    source, target = tmp_path / "alex.sqlite3", tmp_path / "copy.sqlite3"
    _record(["--journal", str(source)], *SEARCH)
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "coachflow", "journal", "copy", str(source), str(target)],
                               stdout=subprocess.PIPE, stderr=follower, text=True)
    os.close(follower)
    out, _ = process.communicate(timeout=120)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert process.returncode == 0 and out.startswith("alex: 3 events and ")
    assert b"Copying" in shown and b"12/12" in shown  # 3 events and 9 actions read
    plain = invoke("journal", "copy", str(source), str(tmp_path / "again.sqlite3"))
    assert plain.stderr == "" and plain.stdout.startswith("alex: 3 events and ")


def test_a_dry_run_on_the_store_writes_nothing_and_done_marks_an_action(server):
    client = new_client()
    journal = ["--journal", server.admin_url, "--profile", client]
    dry = invoke("run", *SEARCH[0], *journal, "--dry-run")
    assert dry.exit_code == 0 and "Dry run: nothing was written" in dry.stdout
    with open_journal(server.admin_url, client=client, mode="read", missing_ok=True) as opened:
        assert opened.reader.count() == 0
    _record(journal, *SEARCH[:2])
    dry = invoke("run", *SEARCH[2], *journal, "--dry-run")
    assert dry.exit_code == 0
    with open_journal(server.admin_url, client=client, mode="read") as opened:
        assert opened.reader.count() == 2
        first_open = opened.reader.actions(status="open")[0].id
    result = invoke("done", str(first_open), *journal)
    assert result.exit_code == 0 and result.stdout.startswith(f"Done: #{first_open} ")
    again = invoke("run", *SEARCH[1], *journal)
    assert again.exit_code == 2 and "already in your journal" in again.output


def test_a_workflow_names_a_practice_store_by_service_but_never_its_host(server, tmp_path, monkeypatch):
    from psycopg.conninfo import conninfo_to_dict

    parts = conninfo_to_dict(server.admin_url)
    services = tmp_path / "pg_service.conf"
    services.write_text(f"[practice]\nhost={parts['host']}\n" + (f"port={parts['port']}\n" if "port" in parts else "")
                        + f"dbname={server.dbname}\nuser={parts.get('user', 'postgres')}\n", encoding="utf-8")
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    client = new_client()
    workflow = tmp_path / "practice.toml"
    workflow.write_text('[workflow]\nname = "Practice"\n\n[settings]\njournal = "postgresql://?service=practice"\n\n'
                        '[[steps]]\nuses = "celebrate-wins"\n', encoding="utf-8")
    result = invoke("run", *SEARCH[0], "-w", str(workflow), "--profile", client)
    assert result.exit_code == 0, result.output
    with open_journal(server.admin_url, client=client, mode="read") as journal:
        assert journal.reader.count() == 1
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text('[workflow]\nname = "Elsewhere"\n\n[settings]\njournal = "postgresql://me@db.example/x"\n',
                         encoding="utf-8")
    result = invoke("validate", str(elsewhere))
    assert result.exit_code == 2 and "may name a practice store by service or database only" in result.output

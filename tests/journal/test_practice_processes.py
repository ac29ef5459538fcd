"""Many processes on one practice store: concurrent writers, and writers killed half-way.

Real processes against a real server (see ``tests/support/postgres.py``).
The sizes are small enough for a shared two-core machine;
``benchmarks/practice_store.py`` runs the issue's full figures (16 writers
of 500 events each) and measures them.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

import pytest

from coachflow.journal import open_journal
from coachflow.journal.postgres import LOCK_SPACE
from coachflow.models import Milestone, Rejection
from support.pg_writer import default_runner, record_many
from support.postgres import admin_connection, new_client, practice_server
WRITERS = 16
#: Events per writer here (the benchmark records 500 each).
EVENTS_EACH = 40


@pytest.fixture(scope="module")
def server():
    yield from practice_server()


def _write(queue, url: str, client: str, number: int, count: int, mode: str, runner) -> None:
    try:
        queue.put((number, record_many(url, client, number, count, mode, runner)))
    except BaseException:
        queue.put((number, traceback.format_exc()))
        raise


def run_writers(url: str, clients: list[str], count: int, mode: str) -> list[tuple[int, int]]:
    """Start one writer process per client name at once; wait for all; return what each recorded and found.

    The processes are forked from this one with the workflow loaded, so that
    sixteen of them start at once on a small machine; each opens its own
    connection, as sixteen ``coachflow run`` would.
    """
    runner = default_runner()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    writers = [context.Process(target=_write, args=(queue, url, client, number, count, mode, runner))
               for number, client in enumerate(clients)]
    for writer in writers:
        writer.start()
    reports = dict(queue.get(timeout=600) for _ in writers)
    for writer in writers:
        writer.join(timeout=60)
        assert writer.exitcode == 0
    errors = [report for report in reports.values() if isinstance(report, str)]
    assert errors == []  # no writer saw an error
    return [reports[number] for number in range(len(writers))]


def contents(server, client: str) -> list[tuple]:
    with admin_connection(server.server, server.dbname) as admin:
        return admin.execute(
            "SELECT e.id, e.company, e.date FROM coachflow.events e JOIN coachflow.clients c ON c.id = e.client_id "
            "WHERE c.name = %s ORDER BY e.id", (client,)).fetchall()


def test_sixteen_writers_into_one_client_record_every_event_exactly_once(server):
    client = new_client()
    results = run_writers(server.admin_url, [client] * WRITERS, EVENTS_EACH, "distinct")
    assert results == [(EVENTS_EACH, 0)] * WRITERS
    rows = contents(server, client)
    assert [row[0] for row in rows] == list(range(1, WRITERS * EVENTS_EACH + 1))  # ids without gaps or repeats
    assert len({row[1] for row in rows}) == WRITERS * EVENTS_EACH
    with open_journal(server.admin_url, client=client, mode="read") as journal:
        assert journal.reader.count() == WRITERS * EVENTS_EACH and journal.integrity_check() == "ok"
        runs = [entry.workflows for entry in journal.reader.entries()]
        assert all(len(workflows) == 1 for workflows in runs)  # each event's run recorded once


def test_sixteen_writers_into_sixteen_clients_each_get_their_own_events(server):
    clients = [new_client() for _ in range(WRITERS)]
    results = run_writers(server.admin_url, clients, EVENTS_EACH, "distinct")
    assert results == [(EVENTS_EACH, 0)] * WRITERS
    for number, client in enumerate(clients):
        rows = contents(server, client)
        assert [row[0] for row in rows] == list(range(1, EVENTS_EACH + 1))
        assert {row[1] for row in rows} == {f"Company {number}-{i}" for i in range(EVENTS_EACH)}


def test_sixteen_identical_runs_at_once_record_each_event_once(server):
    client = new_client()
    count = 10
    results = run_writers(server.admin_url, [client] * WRITERS, count, "same")
    assert sum(recorded for recorded, _ in results) == count
    assert sum(already for _, already in results) == count * (WRITERS - 1)
    assert sorted(row[1] for row in contents(server, client)) == sorted(f"Company {i}" for i in range(count))


# --- killed half-way ---------------------------------------------------------------------


def coachflow(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "coachflow", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def kill_while_writing(process: subprocess.Popen, server, *, committed: list[str] = ()) -> None:
    """SIGKILL ``process`` while it holds a client's write lock (inside a transaction), once
    the clients ``committed`` hold events (so that the kill comes between two of them)."""
    deadline = time.monotonic() + 300
    with admin_connection(server.server, server.dbname) as admin:
        while time.monotonic() < deadline:
            held = admin.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s "
                                 "AND granted", (LOCK_SPACE,)).fetchone()[0]
            done = all(client_counts(server, name)[0] for name in committed)
            if held and done:
                break
            assert process.poll() is None, process.communicate()
            time.sleep(0.01)
        else:
            pytest.fail("the command never started writing")
        process.send_signal(signal.SIGKILL)
        process.communicate()
        assert process.returncode == -signal.SIGKILL, "the command finished before it could be killed"


def big_file_journal(path: Path, companies: int, prefix: str) -> int:
    with open_journal(path) as journal, journal.transaction():
        for number in range(companies):
            day = dt.date(2025, 1, 1) + dt.timedelta(days=number % 600)
            journal.add_event(Milestone(kind="applied", company=f"{prefix} {number}", role="Analyst", date=day))
            journal.add_event(Rejection(company=f"{prefix} {number}", role="Analyst", stage="screen", date=day))
    return companies * 2


def client_counts(server, client: str) -> tuple[int, int]:
    with admin_connection(server.server, server.dbname) as admin:
        return admin.execute(
            "SELECT count(*), count(DISTINCT (e.id)) FROM coachflow.events e JOIN coachflow.clients c "
            "ON c.id = e.client_id WHERE c.name = %s", (client,)).fetchone()


def test_a_copy_killed_half_way_leaves_a_consistent_store_and_running_it_again_completes_it(server, tmp_path):
    profiles = tmp_path / "profiles"
    names = sorted(new_client() for _ in range(3))
    sizes = {name: big_file_journal(profiles / f"{name}.sqlite3", companies, name)
             for name, companies in zip(names, (200, 4000, 4000))}
    process = coachflow("journal", "copy", str(profiles), server.admin_url)
    kill_while_writing(process, server, committed=names[:1])
    counts = [client_counts(server, name) for name in names]
    assert counts[0] == (sizes[names[0]],) * 2  # copied whole before the kill
    for name, (count, distinct) in zip(names, counts):  # each client is there whole or not at all
        assert count in (0, sizes[name]) and distinct == count
    assert counts[2] == (0, 0)
    again = coachflow("journal", "copy", str(profiles), server.admin_url)
    out, err = again.communicate(timeout=600)
    assert again.returncode == 0, err
    assert out.splitlines()[-1].startswith(f"Copied 3 journals: {sum(sizes.values())} events and 0 actions")
    for name in names:
        assert client_counts(server, name) == (sizes[name], sizes[name])
        with open_journal(server.admin_url, client=name, mode="read") as journal:
            assert journal.integrity_check() == "ok"


def test_an_import_killed_half_way_keeps_nothing_and_running_it_again_imports_each_event_once(server, tmp_path):
    client = new_client()
    source = tmp_path / "search.jsonl"
    lines = []
    for number in range(3000):
        day = (dt.date(2025, 1, 1) + dt.timedelta(days=number % 600)).isoformat()
        lines.append(json.dumps({"type": "milestone", "kind": "applied", "company": f"Company {number}",
                                 "role": "Analyst", "date": day}))
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ("import", str(source), "--journal", server.admin_url, "--profile", client)
    process = coachflow(*args)
    kill_while_writing(process, server)
    assert client_counts(server, client) == (0, 0)
    for expected in ("added 3000, already there 0", "added 0, already there 3000"):
        again = coachflow(*args)
        out, err = again.communicate(timeout=600)
        assert again.returncode == 0, err
        assert out == f"{source}: {expected}\n"
    assert client_counts(server, client) == (3000, 3000)

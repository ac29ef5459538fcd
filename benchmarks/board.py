"""The practice board over many clients: how long `coachflow clients board` takes, and its memory.

    python benchmarks/board.py                       # 2,000 clients x 500 events (builds them first)
    python benchmarks/board.py --clients 200 --events 500
    python benchmarks/board.py --store URL           # the same practice in a PostgreSQL practice store

Each client gets a settings file and a SQLite journal of their own in a
temporary data folder, with a realistic mix of applications, rejections,
feedback and wins over a year. Building them is not timed; the board is,
as a fresh `coachflow` process each time (the median of the repeats), with
its peak memory. Not part of the test suite.

With ``--store URL`` (a role that may create databases and roles, such as
``COACHFLOW_TEST_POSTGRES``) the practice is built instead in a fresh
database (``coachflow_board_<random>``, dropped at the end) as one coach's
clients, with SQL (generate_series) in the same mix and with a few open
actions each, and the board is run as that coach, through row-level
security, as a coach would run it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FEEDBACK = ["Strong answers but the system design lacked depth", "Communication was clear and warm",
            "They wanted more experience with SQL", "Great portfolio; presentation ran long",
            "Needed someone who already knew their stack"]
REASONS = ["", "internal candidate", "hiring freeze", "more experience with SQL", "budget cut", ""]


def build(data: Path, clients: int, events: int, seed: int = 7) -> None:
    """Make ``clients`` clients with ``events`` events each under the data folder ``data``."""
    os.environ["XDG_DATA_HOME"] = str(data)
    from coachflow.clients import Client, save_client
    from coachflow.journal import open_journal
    from coachflow.journal.paths import default_journal_path
    from coachflow.models import Feedback, Milestone, Rejection

    rng = random.Random(seed)
    start = dt.date(2025, 11, 1)
    for number in range(clients):
        client_id = f"client-{number:05d}"
        save_client(Client(id=client_id, name=f"Client {number}", coach="Sam", pipeline_target=rng.choice([3, 5, 8])))
        with open_journal(default_journal_path(client_id)) as journal, journal.transaction():
            for index in range(events):
                day = start + dt.timedelta(days=index * 390 // events)
                company, role = f"Company {rng.randrange(events // 3 + 1)}", rng.choice(["Analyst", "Engineer"])
                roll = rng.random()
                if roll < 0.45:
                    event = Milestone(kind="applied", company=company, role=role, date=day)
                elif roll < 0.75:
                    event = Rejection(company=company, role=role, stage=rng.choice(["application", "screen",
                                      "interview", "final"]), reason=rng.choice(REASONS), date=day)
                elif roll < 0.9:
                    event = Feedback(company=company, role=role, source="recruiter", text=rng.choice(FEEDBACK),
                                     date=day)
                else:
                    event = Milestone(kind=rng.choice(["interview-invitation", "good-conversation"]),
                                      company=company, role=role, date=day)
                journal.add_event(event)


def time_board(data: Path, repeats: int) -> tuple[float, float, float]:
    """Seconds of the first `coachflow clients board --format json` (every journal read), the median
    of the next ones (journals unchanged, their facts kept), and the peak memory in MiB."""
    env = {**os.environ, "XDG_DATA_HOME": str(data), "COACHFLOW_NOW": "2026-11-25T17:30", "COACHFLOW_NO_PLUGINS": "1"}
    times = []
    for _ in range(repeats + 1):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "coachflow", "clients", "board", "--format", "json"], env=env,
                       stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return times[0], statistics.median(times[1:]), peak


def build_store(url: str, coach: str, clients: int, events: int) -> None:
    """Make ``clients`` clients of ``coach`` with ``events`` events each in the practice store at ``url``,
    in the mix of :func:`build` (the texts tagged with their themes as coachflow tags them), and five
    open actions each, two of them overdue on the benchmark's day."""
    import psycopg

    from coachflow.journal.postgres import _themes_of
    from coachflow.clients import Client, client_to_toml

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE TEMPORARY TABLE texts (type text, n int, said text, themes text[])")
        for event_type, texts in (("feedback", FEEDBACK), ("rejection", REASONS)):
            for number, said in enumerate(texts):
                connection.execute("INSERT INTO texts VALUES (%s, %s, %s, %s)", (
                    event_type, number, said, _themes_of(event_type, said if event_type == "feedback" else "",
                                                         said if event_type == "rejection" else "")))
        targets = [3, 5, 8]
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO coachflow.clients (name, coach, settings, display_name, pipeline_target) "
                "VALUES (%s, %s, %s, %s, %s)", [
                    (f"client-{number:05d}", coach, client_to_toml(Client(
                        id=f"client-{number:05d}", name=f"Client {number}", coach="Sam",
                        pipeline_target=targets[number % 3])), f"Client {number}", targets[number % 3])
                    for number in range(clients)])
        # roll: 0-44 applied, 45-74 rejection, 75-89 feedback, 90-99 another milestone (as build() draws them)
        connection.execute(f"""
            INSERT INTO coachflow.events (client_id, id, type, date, company, role, stage, kind, reason, source, text,
                                          company_key, role_key, content_key, copy, recorded_at, themes)
            SELECT g.client_id, g.id,
                   CASE WHEN g.roll < 45 OR g.roll >= 90 THEN 'milestone' WHEN g.roll < 75 THEN 'rejection'
                        ELSE 'feedback' END,
                   DATE '2025-11-01' + (g.id - 1) * 390 / {events},
                   'Company ' || g.company, g.role,
                   CASE WHEN g.roll BETWEEN 45 AND 74 THEN (ARRAY['application', 'screen', 'interview', 'final'])[1 + g.pick % 4]
                        ELSE '' END,
                   CASE WHEN g.roll < 45 THEN 'applied' WHEN g.roll >= 90 THEN
                        (ARRAY['interview-invitation', 'good-conversation'])[1 + g.pick % 2] ELSE '' END,
                   coalesce(r.said, ''), CASE WHEN g.roll BETWEEN 75 AND 89 THEN 'recruiter' ELSE '' END,
                   coalesce(f.said, ''),
                   'company ' || g.company, lower(g.role), decode(md5(g.client_id || ':' || g.id), 'hex'), 1,
                   '2026-01-01T09:00:00', coalesce(r.themes, f.themes, '{{}}')
            FROM (SELECT c.id AS client_id, e AS id, abs(hashtext(c.id || '/' || e)) % 100 AS roll,
                         abs(hashtext(e || '/' || c.id)) AS pick,
                         abs(hashtext(c.id || '#' || e)) % ({events} / 3 + 1) AS company,
                         CASE WHEN abs(hashtext(e || '#' || c.id)) % 2 = 0 THEN 'Analyst' ELSE 'Engineer' END AS role
                  FROM coachflow.clients c CROSS JOIN generate_series(1, {events}) e) g
            LEFT JOIN texts r ON g.roll BETWEEN 45 AND 74 AND r.type = 'rejection' AND r.n = g.pick % {len(REASONS)}
            LEFT JOIN texts f ON g.roll BETWEEN 75 AND 89 AND f.type = 'feedback' AND f.n = g.pick % {len(FEEDBACK)}
            """)
        connection.execute("""
            INSERT INTO coachflow.actions (client_id, id, event_id, workflow, step, kind, title, due, key, status,
                                           created_at)
            SELECT c.id, a, a, 'Bench', 'maintain-momentum', 'task', 'Send an application',
                   CASE WHEN a <= 2 THEN '2026-11-20T09:00' ELSE '2026-12-0' || a || 'T09:00' END, 'bench-' || a,
                   'open', '2026-11-01T09:00:00'
            FROM coachflow.clients c CROSS JOIN generate_series(1, 5) a
            """)
        connection.execute("VACUUM ANALYZE")


def time_store_board(url: str, repeats: int) -> tuple[list[float], float]:
    """Seconds of each `coachflow clients board --format json --journal URL` (a fresh process each; the
    first one works out every client's kept facts, the others find them up to date), and the peak
    memory in MiB."""
    env = {**os.environ, "COACHFLOW_NOW": "2026-11-25T17:30", "COACHFLOW_NO_PLUGINS": "1"}
    env.pop("COACHFLOW_JOURNAL", None)
    times = []
    for _ in range(repeats + 1):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "coachflow", "clients", "board", "--format", "json", "--journal", url],
                       env=env, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    return times, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def query_seconds(url: str, repeats: int) -> float:
    """The median seconds of the board's own query, in this process (the command without its start-up)."""
    import datetime as dt

    from coachflow.journal import open_practice
    from coachflow.practice import practice_board

    times = []
    with open_practice(url, mode="read") as practice:
        for _ in range(repeats):
            started = time.perf_counter()
            practice_board(practice, dt.datetime(2026, 11, 25, 17, 30))
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def store_main(server: str, clients: int, events: int, repeats: int) -> int:
    """Build the practice in a fresh database as one coach's, time the board as that coach, drop it all."""
    import secrets

    import psycopg

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from support.postgres import url_for

    from coachflow.journal.postgres import COACH_ROLE, PracticeStore

    tag = secrets.token_hex(4)
    dbname, coach = f"coachflow_board_{tag}", f"board_coach_{tag}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{dbname}"')
    try:
        admin_url = url_for(server, dbname=dbname)
        store = PracticeStore(admin_url)
        store.migrate()
        store.close()
        password = secrets.token_urlsafe(12)
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f"CREATE ROLE {coach} LOGIN PASSWORD '{password}' IN ROLE {COACH_ROLE}")
        started = time.perf_counter()
        build_store(admin_url, coach, clients, events)
        built = time.perf_counter() - started
        coach_url = url_for(server, user=coach, password=password, dbname=dbname)
        times, peak = time_store_board(coach_url, repeats)
        query = query_seconds(coach_url, repeats)
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            admin.execute(f"DROP ROLE IF EXISTS {coach}")
    print(f"practice store, {clients} clients x {events} events ({clients * events:,} events), as their coach: "
          f"built in {built:.0f} s; first board {times[0]:.2f} s (every client's facts worked out), then "
          f"{statistics.median(times[1:]):.2f} s (median of {repeats}, nothing new), of which the board itself "
          f"(in the process: its two statements, the rows, the sorting) {query:.2f} s; peak {peak:.0f} MiB")
    return 0


def main() -> int:
    """Build the practice, time the board, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--store", metavar="URL", help="build the practice in a PostgreSQL practice store on the "
                        "server URL names (a role that may create databases and roles)")
    args = parser.parse_args()
    if args.store:
        return store_main(args.store, args.clients, args.events, args.repeats)
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        started = time.perf_counter()
        build(data, args.clients, args.events)
        built = time.perf_counter() - started
        first, again, peak = time_board(data, args.repeats)
    print(f"{args.clients} clients x {args.events} events ({args.clients * args.events:,} events): "
          f"built in {built:.0f} s; first board {first:.2f} s (every journal read), then {again:.2f} s "
          f"(median of {args.repeats}, journals unchanged); peak {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmarks of the PostgreSQL practice store, each against the same work on SQLite.

    python benchmarks/practice_store.py --server postgresql://postgres@/postgres?host=/tmp/pg
    python benchmarks/practice_store.py --server URL --quick     # smaller sizes: a first look
    python benchmarks/practice_store.py --server URL run writers # only those parts (run, report, writers)

``--server`` (default: ``COACHFLOW_TEST_POSTGRES``) is a role that may create
a database; the benchmark makes one, ``coachflow_bench_<random>``, and drops
it at the end. It measures:

1. **A run among many clients.** ``record_event`` with the built-in
   workflow for one client holding ``--target-events`` events, in a store
   with that client alone and again after ``--clients`` other clients with
   ``--events-per-client`` events each were added; and the same client's
   history in a SQLite file of its own. Median and 90th percentile of
   ``--runs`` runs, in the process (a connection already open), plus the
   whole ``coachflow run`` command, median of 5 fresh processes.
2. **A report over a long history.** ``coachflow report --format json``
   for one client of ``--report-events`` events, on PostgreSQL and on
   SQLite, median of 3 after a first one (on the store, the first report
   works out the counts the store keeps; its time is shown too).
3. **16 concurrent writers.** ``--writers`` processes recording
   ``--events-each`` events each with the built-in workflow, all into one
   client and each into a client of its own (and, for comparison, all into
   one SQLite file): throughput and the 50th and 99th percentile latency of
   a run.

The filler clients are written with one SQL statement (generate_series),
not through coachflow: they are there to be other people's data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NOW = dt.datetime(2026, 11, 25, 17, 30)

#: What the benchmark can measure (see the module's description).
PARTS = ("run", "report", "writers")


def default_runner():
    from coachflow.engine import WorkflowRunner
    from coachflow.plugin.host import build_host
    from coachflow.workflow import load_default_workflow

    return WorkflowRunner(load_default_workflow(build_host(load_entry_points=False).registry))


def history(count: int, prefix: str = "Company"):
    """A plausible search: applications, then rejections and interviews for some of them."""
    from coachflow.models import Feedback, Milestone, Rejection

    events = []
    for number in range(count):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=number * 700 // max(count, 1))
        company = f"{prefix} {number // 3}"
        kind = number % 3
        if kind == 0:
            events.append(Milestone(kind="applied", company=company, role="Analyst", date=day))
        elif kind == 1 and number % 2:
            events.append(Rejection(company=company, role="Analyst", stage="screen", date=day,
                                    reason="They needed more SQL"))
        elif kind == 1:
            events.append(Milestone(kind="interview-invitation", company=company, role="Analyst", date=day))
        else:
            events.append(Feedback(company=company, role="Analyst", text="Stronger portfolio next time", date=day))
    return events


def fill(journal, events) -> None:
    """Write ``events`` quickly (one transaction, no workflow, batched), with ids in order."""
    from coachflow.journal import Entry

    journal.copy_in((Entry(id=number, event=event, recorded_at=NOW) for number, event in enumerate(events, 1)), [])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run_latencies(target: str, client: str | None, runs: int, runner, tag: str, warm_up: int = 5) -> list[float]:
    """Seconds for each of ``runs`` record_event calls into one journal (new events, never duplicates),
    after ``warm_up`` untimed ones (the first runs of a connection prepare its statements)."""
    from coachflow.journal import open_journal
    from coachflow.models import Milestone
    from coachflow.recording import record_event

    times = []
    with open_journal(target, client=client) as journal:
        for number in range(-warm_up, runs):
            event = Milestone(kind="applied", company=f"New {tag} {number}", role="Analyst", date=NOW.date())
            started = time.perf_counter()
            record_event(runner, event, journal, now=NOW)
            if number >= 0:
                times.append(time.perf_counter() - started)
    return times


def ms(values: list[float]) -> str:
    """Median and 90th percentile, in milliseconds."""
    return f"{statistics.median(values) * 1000:.1f} ms (p90 {percentile(values, 0.9) * 1000:.1f})"


def interleaved_runs(journals: dict[str, tuple[str, str | None]], runs: int, runner) -> dict[str, list[float]]:
    """Seconds of each ``record_event`` into each journal, one run in each per round (after warm-up runs)."""
    from coachflow.journal import open_journal
    from coachflow.models import Milestone
    from coachflow.recording import record_event

    opened = {name: open_journal(target, client=client) for name, (target, client) in journals.items()}
    times: dict[str, list[float]] = {name: [] for name in journals}
    try:
        for number in range(-5, runs):  # the first runs of a connection prepare its statements
            for name, journal in opened.items():
                event = Milestone(kind="applied", company=f"New {number}", role="Analyst", date=NOW.date())
                started = time.perf_counter()
                record_event(runner, event, journal, now=NOW)
                if number >= 0:
                    times[name].append(time.perf_counter() - started)
    finally:
        for journal in opened.values():
            journal.close()
    return times


def interleaved_commands(commands: dict[str, list[str]], env: dict[str, str], repeats: int = 5) -> dict[str, float]:
    """Median seconds of each ``coachflow`` command in a fresh process, one of each per round."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for number in range(repeats):
        for name, args in commands.items():
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "coachflow", *args, "--company", f"Command {number}"],
                           env=env, check=True, stdout=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def add_filler_clients(connection, clients: int, per_client: int) -> None:
    connection.execute("INSERT INTO coachflow.clients (name) SELECT 'filler-' || n FROM generate_series(1, %s) n",
                       (clients,))
    connection.execute(
        """
        INSERT INTO coachflow.events (client_id, id, type, date, company, role, stage, kind, company_key, role_key,
                                      content_key, copy, recorded_at)
        SELECT c.id, e,
               CASE WHEN e %% 3 = 1 THEN 'rejection' ELSE 'milestone' END,
               DATE '2024-01-01' + (e * 700 / %(per)s),
               'Company ' || (e / 3), 'Analyst',
               CASE WHEN e %% 3 = 1 THEN 'screen' ELSE '' END,
               CASE WHEN e %% 3 = 1 THEN '' WHEN e %% 3 = 0 THEN 'applied' ELSE 'interview-invitation' END,
               'company ' || (e / 3), 'analyst', decode(md5(c.id || ':' || e), 'hex'), 1, '2026-01-01T09:00:00'
        FROM coachflow.clients c CROSS JOIN generate_series(1, %(per)s) e WHERE c.name LIKE 'filler-%%'
        """, {"per": per_client})
    connection.execute("ANALYZE")


def _writer(queue, target: str, client: str | None, number: int, count: int, runner) -> None:
    try:
        queue.put((number, run_latencies(target, client, count, runner, f"w{number}-{client}", warm_up=0)))
    except BaseException as exc:  # reported, then the parent fails
        queue.put((number, repr(exc)))


def concurrent(target: str, clients: list[str | None], count: int, runner) -> tuple[float, float, float, int]:
    """(throughput per second, p50 seconds, p99 seconds, errors) of writers started at once."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    writers = [context.Process(target=_writer, args=(queue, target, client, number, count, runner))
               for number, client in enumerate(clients)]
    started = time.perf_counter()
    for writer in writers:
        writer.start()
    reports = [queue.get(timeout=3600) for _ in writers]
    elapsed = time.perf_counter() - started
    for writer in writers:
        writer.join()
    latencies = [value for _, report in reports if isinstance(report, list) for value in report]
    errors = sum(1 for _, report in reports if not isinstance(report, list))
    for _, report in reports:
        if not isinstance(report, list):
            print("writer error:", report, file=sys.stderr)
    return len(latencies) / elapsed, percentile(latencies, 0.5), percentile(latencies, 0.99), errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the PostgreSQL practice store against SQLite.")
    parser.add_argument("--server", default=os.environ.get("COACHFLOW_TEST_POSTGRES"),
                        help="libpq URL of a role that may create a database (default: COACHFLOW_TEST_POSTGRES)")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a first look")
    parser.add_argument("--clients", type=int, help="other clients in the store (default 2000, quick 200)")
    parser.add_argument("--events-per-client", type=int, help="events of each other client (default 500, quick 100)")
    parser.add_argument("--target-events", type=int, default=500, help="events of the measured client (default 500)")
    parser.add_argument("--runs", type=int, help="timed runs per journal (default 40, quick 15)")
    parser.add_argument("--report-events", type=int, help="events of the report's client (default 50,000, quick 10,000)")
    parser.add_argument("--writers", type=int, default=16, help="concurrent writers (default 16)")
    parser.add_argument("--events-each", type=int, help="events per writer (default 500, quick 50)")
    parser.add_argument("chosen", nargs="*", choices=[[], *PARTS], metavar="PART",
                        help=f"what to measure (default: all): {', '.join(PARTS)}")
    options = parser.parse_args(argv)
    chosen = options.chosen or list(PARTS)
    if not options.server:
        parser.error("give --server URL or set COACHFLOW_TEST_POSTGRES")
    quick = options.quick
    clients = options.clients or (200 if quick else 2000)
    per_client = options.events_per_client or (100 if quick else 500)
    runs = options.runs or (15 if quick else 40)
    report_events = options.report_events or (10_000 if quick else 50_000)
    events_each = options.events_each or (50 if quick else 500)

    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    from coachflow.journal import open_journal
    from coachflow.journal.postgres import PracticeStore

    dbname = f"coachflow_bench_{secrets.token_hex(4)}"
    with psycopg.connect(options.server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{dbname}"')
    created = [dbname]
    parts = conninfo_to_dict(options.server)
    query = "&".join(f"{key}={parts[key]}" for key in ("host", "port") if parts.get(key))
    credentials = parts.get("user", "") + (f":{parts['password']}" if parts.get("password") else "")
    url = f"postgresql://{credentials}@/{dbname}" + (f"?{query}" if query else "")
    scratch = Path(tempfile.mkdtemp(prefix="coachflow-bench-"))
    rows: list[tuple[str, str]] = []
    try:
        store = PracticeStore(url)
        store.migrate()
        store.close()
        runner = default_runner()
        target_history = history(options.target_events)

        # 1. A run among many clients: the same client in a store of its own, in a store of many,
        # and in a file; the runs interleaved, so that a busy moment of the machine hits all three.
        env = {**os.environ, "HOME": str(scratch), "COACHFLOW_NO_PLUGINS": "1", "COACHFLOW_NOW": NOW.isoformat()}
        if "run" in chosen:
            many_url = url.replace(f"/{dbname}", f"/{dbname}_many")
            with psycopg.connect(options.server, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{dbname}_many"')
            created.append(f"{dbname}_many")
            store = PracticeStore(many_url)
            store.migrate()
            store.close()
            sqlite_file = scratch / "target.sqlite3"
            for target, client in ((url, "target"), (many_url, "target"), (str(sqlite_file), None)):
                with open_journal(target, client=client) as journal:
                    fill(journal, target_history)
            started = time.perf_counter()
            with psycopg.connect(many_url, autocommit=True) as connection:
                add_filler_clients(connection, clients, per_client)
                connection.execute("VACUUM ANALYZE")  # now, rather than autovacuum during the timed runs
                total = connection.execute("SELECT count(*) FROM coachflow.events").fetchone()[0]
            fill_seconds = time.perf_counter() - started
            journals = {"file": (str(sqlite_file), None), "alone": (url, "target"), "many": (many_url, "target")}
            times = interleaved_runs(journals, runs, runner)
            command = ["run", "milestone", "--kind", "applied", "--role", "Analyst"]
            commands = {name: [*command, "--journal", target] + (["--profile", client] if client else [])
                        for name, (target, client) in journals.items()}
            seconds = interleaved_commands(commands, env)
            rows += [
                (f"run, SQLite file of the client alone ({options.target_events} events)", ms(times["file"])),
                ("run, store holding that client alone", ms(times["alone"])),
                (f"run, store of {clients + 1:,} clients, {total:,} events", ms(times["many"])),
                ("  ratio: among many / alone",
                 f"{statistics.median(times['many']) / statistics.median(times['alone']):.2f}x"),
                ("  ratio: among many / SQLite file",
                 f"{statistics.median(times['many']) / statistics.median(times['file']):.2f}x"),
                ("'coachflow run' command: SQLite file / store alone / store among many",
                 " / ".join(f"{seconds[name] * 1000:.0f}" for name in ("file", "alone", "many")) + " ms"),
                (f"(building {clients:,} other clients with SQL, then VACUUM ANALYZE, took)", f"{fill_seconds:.0f} s"),
            ]

        # 2. A report over a long history.
        if "report" in chosen:
            report_rows(url, scratch, report_events, env, rows)

        # 3. Concurrent writers.
        if "writers" in chosen:
            writer_rows(url, scratch, options.writers, events_each, runner, rows)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        with psycopg.connect(options.server, autocommit=True) as admin:
            for name in created:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    width = max(len(name) for name, _ in rows)
    print(f"| {'measurement':<{width}} | result |")
    print(f"| {'-' * width} | --- |")
    for name, value in rows:
        print(f"| {name:<{width}} | {value} |")
    return 0


def report_rows(url: str, scratch: Path, report_events: int, env: dict[str, str], rows: list) -> None:
    """``coachflow report`` on one long history, in the store and in a file."""
    from coachflow.journal import open_journal

    long_history = history(report_events, prefix="Firm")
    with open_journal(url, client="long") as journal:
        fill(journal, long_history)
    long_file = scratch / "long.sqlite3"
    with open_journal(long_file) as journal:
        fill(journal, long_history)
    report = ["report", "--format", "json", "--until", "2026-11-25"]
    times, first = {}, {}

    def timed(args: list[str]) -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "coachflow", *args], env=env, check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - started

    for name, args in (("sqlite", [*report, "--journal", str(long_file)]),
                       ("postgresql", [*report, "--journal", url, "--profile", "long"])):
        # The store's first report works out the counts it keeps for the client; later ones add
        # only what came since. Both are shown.
        first[name] = timed(args)
        times[name] = statistics.median(timed(args) for _ in range(3))
    rows += [
        (f"report of {report_events:,} events, SQLite file", f"{times['sqlite']:.2f} s"),
        (f"report of {report_events:,} events, practice store", f"{times['postgresql']:.2f} s "
                                                                f"(the first one, keeping its counts: "
                                                                f"{first['postgresql']:.2f} s)"),
    ]


def writer_rows(url: str, scratch: Path, writers: int, events_each: int, runner, rows: list) -> None:
    """Throughput and latency of ``writers`` processes at once: into one client, a client each, one file."""
    for label, target, names in (
        (f"{writers} writers, one client", url, ["busy"] * writers),
        (f"{writers} writers, a client each", url, [f"own-{n}" for n in range(writers)]),
        (f"{writers} writers, one SQLite file", str(scratch / "busy.sqlite3"), [None] * writers),
    ):
        throughput, p50, p99, errors = concurrent(target, names, events_each, runner)
        rows.append((f"{label}, {events_each} runs each",
                     f"{throughput:.0f} runs/s, p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
                     f"{errors} writer errors"))


if __name__ == "__main__":
    sys.exit(main())

"""One writer of the concurrency tests: records events into a practice store, as ``coachflow run`` does.

Run as a script (``python pg_writer.py URL CLIENT WRITER COUNT MODE``) or
call :func:`record_many` in a forked process. MODE
``distinct`` records events no other writer records; ``same`` records the
events every writer records (so all but one run of each find it there).
Prints how many events it recorded and how many it found already there;
any error ends it with a traceback and a non-zero exit code.
"""

from __future__ import annotations

import datetime as dt
import sys


def default_runner():
    """A runner of the built-in workflow, as ``coachflow run`` uses."""
    from coachflow.engine import WorkflowRunner
    from coachflow.plugin.host import build_host
    from coachflow.workflow import load_default_workflow

    return WorkflowRunner(load_default_workflow(build_host(load_entry_points=False).registry))


def record_many(url: str, client: str, writer: int, count: int, mode: str, runner=None) -> tuple[int, int]:
    """Record ``count`` events into ``client``'s journal; return how many were recorded and how many found."""
    from coachflow.journal import open_journal
    from coachflow.models import Milestone
    from coachflow.recording import AlreadyRecorded, record_event

    runner = runner or default_runner()
    now = dt.datetime(2026, 11, 25, 17, 30)
    recorded = already = 0
    with open_journal(url, client=client) as journal:
        for number in range(count):
            company = f"Company {writer}-{number}" if mode == "distinct" else f"Company {number}"
            event = Milestone(kind="applied", company=company, role="Analyst",
                              date=dt.date(2026, 1, 1) + dt.timedelta(days=number % 300))
            try:
                record_event(runner, event, journal, now=now)
                recorded += 1
            except AlreadyRecorded:
                already += 1
    return recorded, already


if __name__ == "__main__":
    url, client, writer, count, mode = sys.argv[1:]
    print(*record_many(url, client, int(writer), int(count), mode))

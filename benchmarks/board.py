"""The practice board over many clients: how long `coachflow clients board` takes, and its memory.

    python benchmarks/board.py                       # 2,000 clients x 500 events (builds them first)
    python benchmarks/board.py --clients 200 --events 500

Each client gets a settings file and a SQLite journal of their own in a
temporary data folder, with a realistic mix of applications, rejections,
feedback and wins over a year. Building them is not timed; the board is,
as a fresh `coachflow` process each time (the median of the repeats), with
its peak memory. Not part of the test suite.
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


def main() -> int:
    """Build the practice, time the board, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
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

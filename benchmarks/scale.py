"""Scale: commands that read the whole journal, on journals of growing size.

Each command is timed (median of repeats) and its peak memory read on
journals of 10,000, 100,000 and 1,000,000 events. Time should grow at most
in proportion to the journal and memory should stay flat. A command this
build does not have is listed as skipped, so adding one is one function::

    @benchmark("scale")
    def status_at_scale(session):
        return command_at_scale(session, "status", target_seconds={100_000: 1.0})
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import statistics
import sys
from pathlib import Path
from typing import Sequence

from harness import Row, Session, benchmark, coachflow_command, precompile_coachflow, quiet_environment, run_command

SIZES: tuple[int, ...] = (10_000, 100_000, 1_000_000)
QUICK_SIZES: tuple[int, ...] = (10_000, 100_000)
#: A command slower than this on a journal is timed once, not warmed up and repeated.
SLOW_COMMAND = 10.0
NOW = "2026-03-01T09:00:00"

_journals: dict[tuple[Path, int], Path] = {}


def command_available(name: str) -> bool:
    """True when this build of coachflow has the command ``name``."""
    from coachflow.cli import BUILTIN_COMMANDS

    return name in BUILTIN_COMMANDS


def build_journal(path: Path, count: int) -> Path:
    """A journal of ``count`` events (the throughput benchmark's made-up history) and their actions.

    Written through the journal's own API in large transactions: a run of
    the built-in workflow recorded for every event, with the actions the
    first built-in step gives for each rejection (a note and a dated
    check-in), all but the last two weeks' marked done.
    """
    from throughput import history

    from coachflow.journal import open_journal
    from coachflow.models import Action

    events = history(count)
    with open_journal(path) as journal:
        for start in range(0, count, 20_000):
            with journal.transaction():
                for event in events[start:start + 20_000]:
                    event_id = journal.add_event(event, recorded_at=dt.datetime(2026, 3, 1, 9, 0))
                    if event.type != "rejection":
                        journal.add_actions(event_id, "Bounce back", [], created_at=dt.datetime(2026, 3, 1, 9, 0))
                        continue
                    due = dt.datetime.combine(event.date, dt.time(9, 0)) + dt.timedelta(days=1)
                    actions = [
                        Action(kind="message", title=f"It's all right to be disappointed about {event.company}",
                               step="allow-disappointment"),
                        Action(kind="reminder", title=f"Check in: ready to move on from {event.company}?",
                               due=due, key=f"check-in:{event.company.casefold()}:{event.role.casefold()}",
                               step="allow-disappointment"),
                    ]
                    journal.add_actions(event_id, "Bounce back", actions, created_at=due)
    with contextlib.closing(sqlite3.connect(path)) as db, db:  # all but the last two weeks' actions are done
        db.execute("UPDATE actions SET status = 'done' WHERE coalesce(due, created_at) < ?",
                   ((events[-1].date - dt.timedelta(days=14)).isoformat(),))
    return path


def journal_of(session: Session, count: int) -> Path:
    """The journal of ``count`` events for this session, built on first use.

    A journal left in ``--workdir`` by an earlier run is used again when it
    holds exactly ``count`` events and was built by this schema version.
    """
    key = (session.workdir, count)
    if key not in _journals:
        folder = session.workdir / "scale"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"journal-{count}.sqlite3"
        if not _holds(path, count):
            for stale in folder.glob(f"{path.name}*"):
                stale.unlink()
            session.log(f"  scale: building a journal of {count:,} events")
            build_journal(path, count)
        _journals[key] = path
    return _journals[key]


def _holds(path: Path, count: int) -> bool:
    from coachflow.journal.sqlite import SCHEMA_VERSION

    if not path.exists():
        return False
    with contextlib.closing(sqlite3.connect(path)) as db:
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            return version == SCHEMA_VERSION and db.execute("SELECT count(*) FROM events").fetchone()[0] == count
        except sqlite3.Error:
            return False


def command_at_scale(session: Session, name: str, arguments: Sequence[str] = (), *,
                     target_seconds: dict[int, float] | None = None, label: str | None = None) -> list[Row]:
    """Time ``coachflow NAME ARGUMENTS`` on each journal size; one row per size.

    The ratio column is the time relative to the smallest journal, next to
    how many times more events there are; the extra column is peak memory.

    :param target_seconds: journal size -> the most seconds the command may take.
    :param label: how the table names the command (default: the command line).
    """
    label = label or " ".join(["coachflow", name, *arguments])
    if not command_available(name):
        return [Row("scale", label, None, "s", note=f"skipped: this build has no '{name}' command")]
    precompile_coachflow()
    sizes = QUICK_SIZES if session.quick else SIZES
    repeats = 1 if session.quick else 3
    home = session.scratch(f"scale-{name}")
    argv = coachflow_command([name, *arguments])
    rows: list[Row] = []
    first: tuple[int, float, int] | None = None
    for size in sizes:
        env = quiet_environment(home)
        env.update({"COACHFLOW_JOURNAL": str(journal_of(session, size)), "COACHFLOW_NOW": NOW})
        session.log(f"  scale: {label} on {size:,} events x {repeats}")
        # The first run warms the file cache; when it is slow it is the only one, which says enough
        # and keeps the whole benchmark short.
        runs = [run_command(argv, env=env, cwd=home)]
        if runs[0][0] <= SLOW_COMMAND:
            runs = [run_command(argv, env=env, cwd=home) for _ in range(repeats)]
        seconds = statistics.median(s for s, _ in runs)
        peak = max(p for _, p in runs)
        first = first or (size, seconds, peak)
        notes = [f"{size // first[0]}x the events"] if size != first[0] else []
        if size != first[0]:
            notes.append(f"memory {peak / first[2]:.2f}x")
        limit = (target_seconds or {}).get(size)
        if limit is not None:
            notes.append(f"target under {limit:g} s: {'ok' if seconds < limit else 'over'}")
        rows.append(Row("scale", f"{label}, {size:,} events", seconds, "s", ratio=seconds / first[1],
                        extra=f"{peak / 1024:.0f} MiB peak", note="; ".join(notes)))
    return rows


@benchmark("scale")
def status_at_scale(session: Session) -> list[Row]:
    """``coachflow status`` on large journals (target: 100,000 events in under a second)."""
    return command_at_scale(session, "status", target_seconds={100_000: 1.0})


@benchmark("scale")
def report_at_scale(session: Session) -> list[Row]:
    """``coachflow report`` on large journals."""
    return command_at_scale(session, "report")


@benchmark("scale")
def run_at_scale(session: Session) -> list[Row]:
    """``coachflow run`` with the built-in workflow on large journals (a dry run: the journal stays as built)."""
    return command_at_scale(session, "run", ["rejection", "--company", "Acme", "--role", "Data Analyst",
                                             "--stage", "interview", "--dry-run"],
                            label="coachflow run rejection ... --dry-run")


if __name__ == "__main__":  # build a journal by hand: python benchmarks/scale.py PATH COUNT
    build_journal(Path(sys.argv[1]), int(sys.argv[2]))

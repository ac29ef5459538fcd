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

import datetime as dt
import sqlite3
import statistics
import sys
from pathlib import Path
from typing import Sequence

from harness import Row, Session, benchmark, console_script, precompile_coachflow, quiet_environment, run_command

SIZES: tuple[int, ...] = (10_000, 100_000, 1_000_000)
QUICK_SIZES: tuple[int, ...] = (10_000, 100_000)
#: The longest a single timed command may take before the size is reported as too slow.
COMMAND_TIME_LIMIT = 120.0
NOW = "2026-03-01T09:00:00"

_journals: dict[tuple[Path, int], Path] = {}


def command_available(name: str) -> bool:
    """True when this build of coachflow has the command ``name``."""
    from coachflow.cli import BUILTIN_COMMANDS

    return name in BUILTIN_COMMANDS


def build_journal(path: Path, count: int) -> Path:
    """A journal of ``count`` events (the throughput benchmark's made-up history) and their actions.

    Written through the journal's own API in large transactions, with the
    actions the first built-in step would give for each rejection (a note
    and a dated check-in), the older ones marked done.
    """
    from throughput import history

    from coachflow.journal import Journal
    from coachflow.models import Action

    events = history(count)
    with Journal.open(path) as journal:
        for start in range(0, count, 20_000):
            with journal.transaction():
                for event in events[start:start + 20_000]:
                    event_id = journal.add_event(event, recorded_at=dt.datetime(2026, 3, 1, 9, 0))
                    if event.type != "rejection":
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
    with sqlite3.connect(path) as db:  # a person has dealt with all but the last two weeks' actions
        db.execute("UPDATE actions SET status = 'done' WHERE due < ?",
                   ((events[-1].date - dt.timedelta(days=14)).isoformat(),))
    db.close()
    return path


def journal_of(session: Session, count: int) -> Path:
    """The journal of ``count`` events for this session, built on first use."""
    key = (session.workdir, count)
    if key not in _journals:
        folder = session.workdir / "scale"
        folder.mkdir(parents=True, exist_ok=True)
        session.log(f"  scale: building a journal of {count:,} events")
        _journals[key] = build_journal(folder / f"journal-{count}.sqlite3", count)
    return _journals[key]


def command_at_scale(session: Session, name: str, arguments: Sequence[str] = (), *,
                     target_seconds: dict[int, float] | None = None) -> list[Row]:
    """Time ``coachflow NAME ARGUMENTS`` on each journal size; one row per size.

    The ratio column is the time relative to the smallest journal, next to
    how many times more events there are; the extra column is peak memory.

    :param target_seconds: journal size -> the most seconds the command may take.
    """
    label = " ".join(["coachflow", name, *arguments])
    if not command_available(name):
        return [Row("scale", label, None, "s", note=f"skipped: this build has no '{name}' command")]
    precompile_coachflow()
    sizes = QUICK_SIZES if session.quick else SIZES
    repeats = 1 if session.quick else 3
    home = session.scratch(f"scale-{name}")
    argv = [str(console_script("coachflow")), name, *arguments]
    rows: list[Row] = []
    first: tuple[int, float, int] | None = None
    for size in sizes:
        env = quiet_environment(home)
        env.update({"COACHFLOW_JOURNAL": str(journal_of(session, size)), "COACHFLOW_NOW": NOW})
        session.log(f"  scale: {label} on {size:,} events x {repeats}")
        runs = []
        for _ in range(repeats):
            seconds, peak = run_command(argv, env=env, cwd=home)
            runs.append((seconds, peak))
            if seconds > COMMAND_TIME_LIMIT:
                break
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


if __name__ == "__main__":  # build a journal by hand: python benchmarks/scale.py PATH COUNT
    build_journal(Path(sys.argv[1]), int(sys.argv[2]))

"""Throughput: many events replayed through the engine into a journal file.

The baseline does by hand the least the engine must do per event: one pluggy
dispatch to as many no-op hook implementations as the workflow has steps,
and one ``sqlite3`` insert, committed in batches the size the engine uses.
The engine is measured with no-op steps (its own overhead: records, contexts,
result checks, the journal's indexes), with the default step time limit and
without it, and with the default workflow (what ``coachflow import --run``
costs with the real steps).
"""

from __future__ import annotations

import datetime as dt
import inspect
import random
import sqlite3
import statistics
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from harness import Row, Session, benchmark

#: As many no-op steps (and hook implementations in the baseline) as a typical workflow has steps.
NOOP_STEPS = 6
TARGET = 2.0
#: The most the default step time limit may add to the no-op replay.
TIME_LIMIT_TARGET = 1.2
#: The most seconds one replay of the default workflow may take before it is cut short.
DEFAULT_WORKFLOW_BUDGET = 60.0

COMPANIES = [f"{prefix} {suffix}" for prefix in ("Acme", "Beta", "Corto", "Delta", "Evergreen", "Fjord",
                                                   "Gamma", "Helix", "Iris", "Juno")
             for suffix in ("Labs", "Systems", "Analytics", "Health", "Bank", "Retail", "Media", "Energy",
                            "Logistics", "Studio")]
ROLES = ["Data Analyst", "Analytics Engineer", "Product Analyst", "BI Developer", "Data Scientist"]
REASONS = ["", "", "internal candidate", "more experience needed", "position closed", "salary expectations"]
FEEDBACK = ["System design answers lacked depth.", "Great communication, but SQL was shaky.",
            "We wanted someone with more stakeholder experience.", "Strong portfolio; culture fit concerns."]


#: The made-up history ends the day before the benchmarks' "today" and spans ten years.
HISTORY_END = dt.date(2026, 2, 28)
HISTORY_DAYS = 3650


def history(count: int, seed: int = 7) -> list[Any]:
    """A made-up job search of ``count`` events in date order, as a person would record it.

    Mostly applications and rejections, some feedback and small wins,
    spread evenly over the ten years up to :data:`HISTORY_END`.
    """
    from coachflow.models import Feedback, Milestone, Rejection

    chooser = random.Random(seed)
    start = HISTORY_END - dt.timedelta(days=HISTORY_DAYS - 1)
    events = []
    for index in range(count):
        day = start + dt.timedelta(days=index * HISTORY_DAYS // count)
        company, role = chooser.choice(COMPANIES), chooser.choice(ROLES)
        roll = chooser.random()
        if roll < 0.45:
            events.append(Milestone(kind="applied", company=company, role=role, date=day))
        elif roll < 0.80:
            events.append(Rejection(company=company, role=role, date=day, stage=chooser.choice(
                ("application", "screen", "interview", "final")), reason=chooser.choice(REASONS)))
        elif roll < 0.92:
            events.append(Feedback(company=company, role=role, source="recruiter", date=day,
                                   text=chooser.choice(FEEDBACK)))
        else:
            events.append(Milestone(kind=chooser.choice(("good-conversation", "interview-invitation",
                                                         "positive-feedback")), company=company, date=day))
    return events


def replay_batch_size() -> int:
    """The batch size ``WorkflowRunner.replay`` commits with by default."""
    from coachflow.engine import WorkflowRunner

    return inspect.signature(WorkflowRunner.replay).parameters["batch_size"].default


def noop_plugin() -> Any:
    """A plugin offering a step that handles every event and does nothing."""
    import coachflow

    class Noop(coachflow.Step):
        """Does nothing, on every event."""

        name = "noop"

        @coachflow.hookimpl
        def on_rejection(self, event, ctx):
            return None

        @coachflow.hookimpl
        def on_feedback(self, event, ctx):
            return None

        @coachflow.hookimpl
        def on_milestone(self, event, ctx):
            return None

    class Plugin:
        @coachflow.hookimpl
        def register_steps(self, register):
            register(Noop)

    return Plugin()


def raw_baseline(events: Sequence[Any], path: str, *, schema: str) -> float:
    """Seconds for pluggy dispatch to no-ops plus one sqlite3 insert per event."""
    import pluggy

    from coachflow import hookimpl
    from coachflow.plugin import hookspecs
    from coachflow.plugin.hookspecs import WORKFLOW_HOOKS

    class NoopHooks:
        @hookimpl
        def on_rejection(self, event, ctx):
            return None

        @hookimpl
        def on_feedback(self, event, ctx):
            return None

        @hookimpl
        def on_milestone(self, event, ctx):
            return None

    manager = pluggy.PluginManager("coachflow")
    manager.add_hookspecs(hookspecs)
    for number in range(NOOP_STEPS):
        manager.register(NoopHooks(), name=f"noop-{number}")
    hooks = {event_type: getattr(manager.hook, name) for event_type, name in WORKFLOW_HOOKS.items()}
    db = sqlite3.connect(path, isolation_level=None)
    from coachflow.applications import fold

    db.create_function("coachflow_fold", 1, fold, deterministic=True)  # the journal's schema uses it
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.executescript(schema)
    insert = ("INSERT INTO events (type, date, company, role, stage, kind, reason, source, text, notes, "
              "fingerprint, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    batch = replay_batch_size()
    stamp = "2026-03-01T09:00:00"
    start = time.perf_counter()
    db.execute("BEGIN IMMEDIATE")
    for index, event in enumerate(events):
        hooks[event.type](event=event, ctx=None)
        db.execute(insert, (event.type, event.date.isoformat(), event.company, event.role,
                                     getattr(event, "stage", ""), getattr(event, "kind", ""),
                                     getattr(event, "reason", ""), getattr(event, "source", ""),
                                     getattr(event, "text", ""), getattr(event, "notes", ""),
                                     "", stamp))
        if index % batch == batch - 1:
            db.execute("COMMIT")
            db.execute("BEGIN IMMEDIATE")
    db.execute("COMMIT")
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


@dataclass
class Replay:
    """What one replay measured."""

    seconds: float
    events: int
    failures: int  # events with a failing step: the figure would not be fair
    #: Per-event time over the last tenth of the events replayed, divided by
    #: that over the first tenth: about 1 when the cost per event stays flat.
    growth: float | None


def replay(workflow: Any, events: Sequence[Any], path: str, *, budget: float | None = None,
           progress: Callable[[int, float], None] | None = None) -> Replay:
    """Replay events through ``workflow`` into a new journal at ``path``.

    :param budget: stop after this many seconds (a step whose cost grows
        with the journal would otherwise take hours).
    :param progress: called about every ten seconds with (events, seconds).

    Without ``budget`` and ``progress`` only the whole replay is timed, and
    ``growth`` is ``None``.
    """
    from coachflow.engine import WorkflowRunner
    from coachflow.journal import open_journal

    runner = WorkflowRunner(workflow)
    journal = open_journal(path)
    now = dt.datetime(2026, 3, 1, 9, 0)
    marks: list[float] = []  # the clock after each event
    failures = 0
    start = time.perf_counter()
    next_report = start + 10
    replaying = runner.replay(events, journal, now=now)
    if budget is None and progress is None:
        # Timing only the whole: a clock read per event would be the benchmark's cost, not the engine's.
        done = 0
        for result in replaying:
            failures += bool(result.errors)
            done += 1
        elapsed = time.perf_counter() - start
        journal.close()
        return Replay(seconds=elapsed, events=done, failures=failures, growth=None)
    for result in replaying:
        failures += bool(result.errors)
        clock = time.perf_counter()
        marks.append(clock)
        if progress and clock > next_report:
            progress(len(marks), clock - start)
            next_report = clock + 10
        if budget is not None and clock - start > budget:
            break
    replaying.close()  # an early stop rolls back only the batch in progress
    elapsed = time.perf_counter() - start
    journal.close()
    growth = None
    tenth = len(marks) // 10
    if tenth >= 10:
        first = (marks[tenth - 1] - start) / tenth
        last = (marks[-1] - marks[-tenth - 1]) / tenth
        growth = last / first if first > 0 else None
    return Replay(seconds=elapsed, events=len(marks), failures=failures, growth=growth)


def journal_schema() -> str:
    """The journal's own tables and indexes, as the current code creates them."""
    from coachflow.journal.sqlite import MIGRATIONS

    return ";".join(MIGRATIONS[version] for version in sorted(MIGRATIONS))


def bare_schema() -> str:
    """The same events table without any index."""
    return journal_schema().split("CREATE INDEX")[0].split("CREATE TABLE actions")[0]


@benchmark("throughput")
def throughput(session: Session) -> list[Row]:
    """Events per second of the raw baseline, the engine's own overhead and the default workflow."""
    from coachflow.plugin.host import build_host
    from coachflow.workflow import load_default_workflow, parse_workflow

    count = session.events
    repeats = 1 if session.quick else 3
    events = history(count)
    folder = session.scratch("throughput")
    host = build_host(extra_plugins=[("benchmark-noop", noop_plugin())])
    noop_workflow = parse_workflow(
        '[workflow]\nname = "no-op"\n' + '[[steps]]\nuses = "noop"\n' * NOOP_STEPS, host.registry, source="<no-op>")
    counter = iter(range(10**6))

    def fresh(name: str) -> str:
        return str(folder / f"{name}-{next(counter)}.sqlite3")

    warm_up = events[:2000]  # first runs pay for imports, caches and file creation
    raw_baseline(warm_up, fresh("warm-up"), schema=journal_schema())
    replay(noop_workflow, warm_up, fresh("warm-up"))
    session.log(f"  throughput: raw baseline, {count:,} events x {repeats}")
    raw = statistics.median(raw_baseline(events, fresh("raw"), schema=bare_schema()) for _ in range(repeats))
    raw_schema = statistics.median(raw_baseline(events, fresh("raw-schema"), schema=journal_schema())
                                   for _ in range(repeats))
    unlimited_workflow = parse_workflow('[workflow]\nname = "no-op, no limit"\n[settings]\nstep_timeout = 0\n'
                                        + '[[steps]]\nuses = "noop"\n' * NOOP_STEPS, host.registry, source="<no-op>")
    session.log(f"  throughput: engine with {NOOP_STEPS} no-op steps, with and without the time limit, "
                f"{count:,} events x {repeats}")
    noop_runs, unlimited_runs = [], []
    for _ in range(repeats):  # interleaved, so that a busy moment hits both alike
        noop_runs.append(replay(noop_workflow, events, fresh("noop")).seconds)
        unlimited_runs.append(replay(unlimited_workflow, events, fresh("unlimited")).seconds)
    noop, unlimited = statistics.median(noop_runs), statistics.median(unlimited_runs)

    def per_event(seconds: float, done: int = count) -> float:
        return seconds / done

    def speed(seconds: float, done: int = count) -> str:
        return f"{per_event(seconds, done) * 1e6:.1f} µs/event"

    rows = [
        Row("throughput", f"raw: pluggy dispatch to {NOOP_STEPS} no-ops + sqlite3 insert (baseline)",
            count / raw, "events/s", ratio=1.0, extra=speed(raw)),
        Row("throughput", "raw, into the journal's own table and indexes",
            count / raw_schema, "events/s", ratio=raw_schema / raw, extra=speed(raw_schema),
            note="what the schema costs by itself"),
        Row("throughput", f"engine: replay, {NOOP_STEPS} no-op steps", count / noop, "events/s",
            ratio=noop / raw, target=TARGET, extra=speed(noop),
            note=f"{noop / raw_schema:.2f}x the same-schema baseline; with the default step time limit"),
        Row("throughput", f"engine: replay, {NOOP_STEPS} no-op steps, step_timeout = 0 (no limit)",
            count / unlimited, "events/s", ratio=unlimited / raw, extra=speed(unlimited),
            note=f"the default time limit costs {noop / unlimited:.2f}x this (target <= {TIME_LIMIT_TARGET}x): "
                 + ("ok" if noop / unlimited <= TIME_LIMIT_TARGET else "over")),
    ]

    default_workflow = load_default_workflow(host.registry)
    steps = f"{len(default_workflow.steps)} step{'s' if len(default_workflow.steps) != 1 else ''}"
    session.log(f"  throughput: default workflow ({steps}), up to {count:,} events")
    measured = replay(default_workflow, events, fresh("default"), budget=DEFAULT_WORKFLOW_BUDGET,
                      progress=lambda n, s: session.log(f"    {n:,} events in {s:.0f} s"))
    notes = []
    if measured.events < count:
        notes.append(f"stopped after {DEFAULT_WORKFLOW_BUDGET:g} s at {measured.events:,} events")
    if measured.growth is not None:
        notes.append(f"the last tenth {measured.growth:.1f}x as slow per event as the first")
    if measured.failures:
        notes.append(f"{measured.failures:,} events had a failing step")
    rows.append(Row("throughput", f"engine: replay, default workflow ({steps})",
                    measured.events / measured.seconds, "events/s",
                    ratio=per_event(measured.seconds, measured.events) / per_event(raw),
                    extra=speed(measured.seconds, measured.events), note="; ".join(notes)))

    return rows

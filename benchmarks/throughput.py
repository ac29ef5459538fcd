"""Throughput: many events replayed through the engine into a journal file.

The baseline does by hand the least the engine must do per event: one pluggy
dispatch to as many no-op hook implementations as the workflow has steps,
and one ``sqlite3`` insert, committed in batches the size the engine uses.
The engine is measured twice: with no-op steps (its own overhead: records,
contexts, result checks, the journal's fingerprint and indexes) and with the
default workflow (what ``coachflow import --run`` costs with the real steps).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import json
import random
import sqlite3
import statistics
import time
from typing import Any, Callable, Sequence

from harness import Row, Session, benchmark

#: As many no-op steps (and hook implementations in the baseline) as a typical workflow has steps.
NOOP_STEPS = 6
TARGET = 2.0
#: The most seconds one replay of the default workflow may take before it is cut short.
DEFAULT_WORKFLOW_BUDGET = 120.0

COMPANIES = [f"{prefix} {suffix}" for prefix in ("Acme", "Beta", "Corto", "Delta", "Evergreen", "Fjord",
                                                   "Gamma", "Helix", "Iris", "Juno")
             for suffix in ("Labs", "Systems", "Analytics", "Health", "Bank", "Retail", "Media", "Energy",
                            "Logistics", "Studio")]
ROLES = ["Data Analyst", "Analytics Engineer", "Product Analyst", "BI Developer", "Data Scientist"]
REASONS = ["", "", "internal candidate", "more experience needed", "position closed", "salary expectations"]
FEEDBACK = ["System design answers lacked depth.", "Great communication, but SQL was shaky.",
            "We wanted someone with more stakeholder experience.", "Strong portfolio; culture fit concerns."]


def history(count: int, seed: int = 7) -> list[Any]:
    """A made-up job search of ``count`` events in date order, as a person would record it.

    Mostly applications and rejections, some feedback and small wins,
    about twenty events a day from 1 January 2000.
    """
    from coachflow.models import Feedback, Milestone, Rejection

    chooser = random.Random(seed)
    start = dt.date(2000, 1, 1)
    events = []
    for index in range(count):
        day = start + dt.timedelta(days=index // 20)
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


def raw_baseline(events: Sequence[Any], path: str, *, schema: str, fingerprints: Sequence[str] | None) -> float:
    """Seconds for pluggy dispatch to no-ops plus one sqlite3 insert per event."""
    import pluggy

    from coachflow import hookimpl, hookspecs
    from coachflow.hookspecs import WORKFLOW_HOOKS

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
                            getattr(event, "stage", ""), getattr(event, "kind", ""), getattr(event, "reason", ""),
                            getattr(event, "source", ""), getattr(event, "text", ""), getattr(event, "notes", ""),
                            fingerprints[index] if fingerprints else "", stamp))
        if index % batch == batch - 1:
            db.execute("COMMIT")
            db.execute("BEGIN IMMEDIATE")
    db.execute("COMMIT")
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


def replay(workflow: Any, events: Sequence[Any], path: str, *, budget: float | None = None,
           progress: Callable[[int, float], None] | None = None) -> tuple[float, int, list[float], int]:
    """Replay events through ``workflow`` into a new journal at ``path``.

    :param budget: stop after this many seconds (the events so far are kept).
    :return: seconds, events replayed, the seconds each tenth of them took, and how
        many events had a failing step (a step failure would make the figure unfair).
    """
    from coachflow.engine import WorkflowRunner
    from coachflow.journal import Journal

    runner = WorkflowRunner(workflow)
    journal = Journal.open(path)
    now = dt.datetime(2026, 3, 1, 9, 0)
    tenth = max(1, len(events) // 10)
    tenths: list[float] = []
    start = mark = time.perf_counter()
    done = 0
    failures = 0
    replaying = runner.replay(events, journal, now=now)
    for result in replaying:
        failures += bool(result.errors)
        done += 1
        if done % tenth == 0:
            now_time = time.perf_counter()
            tenths.append(now_time - mark)
            mark = now_time
            if progress:
                progress(done, now_time - start)
            if budget is not None and now_time - start > budget:
                break
    replaying.close()  # an early stop rolls back only the batch in progress
    elapsed = time.perf_counter() - start
    journal.close()
    return elapsed, done, tenths, failures


def journal_schema() -> str:
    """The journal's own tables and indexes, as the current code creates them."""
    from coachflow.journal import MIGRATIONS

    return ";".join(MIGRATIONS[version] for version in sorted(MIGRATIONS))


def bare_schema() -> str:
    """The same events table without any index."""
    return journal_schema().split("CREATE INDEX")[0].split("CREATE TABLE actions")[0]


def fingerprints_of(events: Sequence[Any]) -> list[str]:
    """What the journal stores as fingerprints, computed ahead of the baseline's clock."""
    from coachflow.models import event_to_dict

    return [hashlib.sha256(json.dumps(event_to_dict(e), sort_keys=True, ensure_ascii=False).encode()).hexdigest()
            for e in events]


@benchmark("throughput")
def throughput(session: Session) -> list[Row]:
    """Events per second of the raw baseline, the engine's own overhead and the default workflow."""
    from coachflow.host import build_host
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
    raw_baseline(warm_up, fresh("warm-up"), schema=journal_schema(), fingerprints=fingerprints_of(warm_up))
    replay(noop_workflow, warm_up, fresh("warm-up"))
    session.log(f"  throughput: raw baseline, {count:,} events x {repeats}")
    raw = statistics.median(raw_baseline(events, fresh("raw"), schema=bare_schema(), fingerprints=None)
                            for _ in range(repeats))
    fingerprints = fingerprints_of(events)
    raw_schema = statistics.median(raw_baseline(events, fresh("raw-schema"), schema=journal_schema(),
                                                fingerprints=fingerprints) for _ in range(repeats))
    session.log(f"  throughput: engine with {NOOP_STEPS} no-op steps, {count:,} events x {repeats}")
    noop_runs = [replay(noop_workflow, events, fresh("noop")) for _ in range(repeats)]
    noop = statistics.median(seconds for seconds, _, _, _ in noop_runs)

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
            note=f"{noop / raw_schema:.2f}x the same-schema baseline"),
    ]

    default_workflow = load_default_workflow(host.registry)
    steps = f"{len(default_workflow.steps)} step{'s' if len(default_workflow.steps) != 1 else ''}"
    session.log(f"  throughput: default workflow ({steps}), up to {count:,} events")
    seconds, done, tenths, failures = replay(default_workflow, events, fresh("default"), budget=DEFAULT_WORKFLOW_BUDGET,
                                   progress=lambda n, s: session.log(f"    {n:,} events in {s:.1f} s"))
    growth = tenths[-1] / tenths[0] if len(tenths) >= 2 and tenths[0] > 0 else None
    note = f"last tenth {growth:.1f}x as slow as the first" if growth else ""
    if failures:
        note = f"{failures:,} events had a failing step; " + note
    if done < count:
        note = f"stopped after {DEFAULT_WORKFLOW_BUDGET:g} s at {done:,} events; " + note
    rows.append(Row("throughput", f"engine: replay, default workflow ({steps})",
                    done / seconds, "events/s", ratio=per_event(seconds, done) / per_event(raw),
                    extra=speed(seconds, done), note=note))

    timed = parse_workflow('[workflow]\nname = "no-op, time limit"\n[settings]\nstep_timeout = 5.0\n'
                           + '[[steps]]\nuses = "noop"\n' * NOOP_STEPS, host.registry, source="<no-op>")
    few = events[: max(1, count // 5)]
    session.log(f"  throughput: {NOOP_STEPS} no-op steps with settings.step_timeout, {len(few):,} events")
    seconds, done, _, _ = replay(timed, few, fresh("timeout"))
    rows.append(Row("throughput", f"engine: replay, {NOOP_STEPS} no-op steps, step_timeout set", done / seconds,
                    "events/s", ratio=per_event(seconds, done) / per_event(raw), extra=speed(seconds, done),
                    note="each step call crosses to a worker thread"))
    return rows

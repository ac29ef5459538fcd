"""The time limit on step calls: on by default, stops a step in the main thread, cuts a step
left behind in a helper thread off from the journal, and never crashes however small it is."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import coachflow
from coachflow.engine import WorkflowRunner
from coachflow.journal import open_journal
from coachflow.models import event_from_dict
from coachflow.plugin.host import build_host
from coachflow.time_limit import DEFAULT_STEP_TIMEOUT, StepLeftBehind
from coachflow.workflow import parse_workflow

from support import NOW, rejection


class _Steps:
    """Steps that take their time, in the ways a plugin's step can."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.stop = threading.Event()

    @coachflow.hookimpl
    def register_steps(self, register):
        plugin = self

        class Slow(coachflow.Step):
            """Takes a fifth of a second."""

            name = "slow"

            @coachflow.hookimpl
            def on_rejection(self, event, ctx):
                time.sleep(0.2)
                return coachflow.Action(kind="task", title="Done slowly")

        class Stubborn(coachflow.Step):
            """Swallows every exception and goes on sleeping."""

            name = "stubborn"

            @coachflow.hookimpl
            def on_rejection(self, event, ctx):
                while not plugin.stop.is_set():
                    try:
                        time.sleep(0.05)
                    except Exception:  # a plugin's own broad handler
                        pass

        class Reader(coachflow.Step):
            """Reads the journal over and over until it is told to stop."""

            name = "reader"

            @coachflow.hookimpl
            def on_rejection(self, event, ctx):
                while not plugin.stop.is_set():
                    try:
                        ctx.journal.events()
                        ctx.journal.actions()
                    except StepLeftBehind:
                        plugin.seen.append("cut off")
                        return
                    except Exception as exc:  # anything else is a bug this test is looking for
                        plugin.seen.append(f"{type(exc).__name__}: {exc}")
                        return

        register(Slow)
        register(Stubborn)
        register(Reader)


def run(runner: WorkflowRunner):
    """Run the rejection through ``runner`` in a throwaway journal."""
    with open_journal(":memory:") as journal:
        return runner.run(REJECTION, journal=journal, now=NOW)


def runner_for(steps: _Steps, settings: str, *uses: str) -> WorkflowRunner:
    host = build_host(load_entry_points=False, extra_plugins=[("slow-steps", steps)])
    toml = f'[workflow]\nname = "limits"\n[settings]\n{settings}\n' + "".join(
        f'[[steps]]\nuses = "{name}"\n' for name in uses)
    return WorkflowRunner(parse_workflow(toml, host.registry, source="limits.toml"))


REJECTION = event_from_dict(rejection("2026-11-25", "Acme"))


def test_every_workflow_has_a_time_limit_unless_it_turns_it_off():
    host = build_host(load_entry_points=False)
    plain = parse_workflow('[workflow]\nname = "w"\n[[steps]]\nuses = "allow-disappointment"\n', host.registry)

    assert plain.settings.step_timeout == DEFAULT_STEP_TIMEOUT == 10


def test_zero_turns_the_time_limit_off_and_a_small_one_stops_the_step():
    steps = _Steps()

    unlimited = run(runner_for(steps, "step_timeout = 0", "slow"))
    limited = run(runner_for(steps, "step_timeout = 0.05", "slow"))

    assert (unlimited.ran, unlimited.errors) == (["slow"], [])
    assert limited.ran == []
    assert [e.error for e in limited.errors] == [
        "took longer than 0.05 seconds (settings.step_timeout) and was stopped"]


def test_a_step_that_swallows_exceptions_is_stopped_all_the_same():
    steps = _Steps()
    try:
        result = run(runner_for(steps, "step_timeout = 0.1", "stubborn", "allow-disappointment"))
    finally:
        steps.stop.set()

    assert [e.step for e in result.errors] == ["stubborn"]
    assert result.ran == ["allow-disappointment"]


def test_a_step_left_behind_in_a_helper_thread_never_reads_the_journal_again(tmp_path: Path):
    # Signals reach the main thread only: a program running workflows in a thread of its own
    # gets the helper-thread limit, and the step it leaves behind is cut off from the journal.
    steps = _Steps()
    runner = runner_for(steps, "step_timeout = 0.1", "reader", "allow-disappointment")
    outcome: dict = {}

    def run_and_close() -> None:
        with open_journal(tmp_path / "journal.sqlite3") as journal:
            outcome["result"] = runner.run(REJECTION, journal=journal, now=NOW)

    worker = threading.Thread(target=run_and_close)
    worker.start()
    worker.join(30)
    deadline = time.monotonic() + 10
    while not steps.seen and time.monotonic() < deadline:
        time.sleep(0.01)
    steps.stop.set()

    result = outcome["result"]
    assert [e.error for e in result.errors] == [
        "took longer than 0.1 seconds (settings.step_timeout) and was left running, cut off from the journal"]
    assert result.ran == ["allow-disappointment"]
    assert steps.seen == ["cut off"]


STRESS = '''
import sys, threading, time
from coachflow.engine import WorkflowRunner
from coachflow.journal import open_journal
from coachflow.models import event_from_dict
from coachflow.plugin.host import build_host
from coachflow.workflow import default_workflow_text, parse_workflow

toml = default_workflow_text().replace('on_error = "continue"', 'on_error = "continue"\\nstep_timeout = 0.001')
workflow = parse_workflow(toml, build_host(load_entry_points=False).registry)
path, runs, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
with open_journal(path) as journal, journal.transaction():  # a history for the steps to read
    for number in range(20):
        journal.add_event(event_from_dict({"type": "milestone", "kind": "applied", "date": "2026-10-01",
                                           "company": f"Company {number}", "role": "Analyst"}))

def event(number):
    return event_from_dict({"type": "rejection", "date": "2026-11-20", "company": f"Company {number % 20}",
                            "role": "Analyst", "stage": "interview", "reason": "position closed"})

def many(count, stop_at, done):
    runner = WorkflowRunner(workflow)
    for number in range(count):
        if time.monotonic() > stop_at:
            break
        with open_journal(path) as journal:  # closed right after each run, as the command does
            runner.run(event(number), journal=journal, dry_run=number % 3 != 0)
        done.append(number)

stop_at = time.monotonic() + seconds
in_main, in_thread = [], []
many(runs, stop_at, in_main)
worker = threading.Thread(target=many, args=(runs, stop_at + seconds, in_thread))
worker.start()
worker.join()
with open_journal(path) as journal:
    print(len(in_main), len(in_thread), journal.integrity_check())
'''


def test_a_tiny_time_limit_never_crashes_a_run_however_often(tmp_path: Path):
    # A workflow file travels between people: step_timeout = 0.001 must be safe. Hundreds of
    # runs, in the main thread (the clock signal) and in a helper thread (steps left behind),
    # each closing its journal right after; in a process of its own, so that a crash fails this.
    environment = {k: v for k, v in os.environ.items() if not k.startswith("COACHFLOW_")}
    finished = subprocess.run([sys.executable, "-c", textwrap.dedent(STRESS), str(tmp_path / "j.sqlite3"), "300", "4"],
                              env=environment, capture_output=True, text=True, timeout=120)

    assert finished.returncode == 0, finished.stderr[-2000:]
    in_main, in_thread, integrity = finished.stdout.split()
    # each part stops after 4 seconds: hundreds of runs on an idle machine, fewer on a busy one
    assert int(in_main) >= 50 and int(in_thread) >= 50, finished.stdout
    assert integrity == "ok"
    assert "Fatal Python error" not in finished.stderr

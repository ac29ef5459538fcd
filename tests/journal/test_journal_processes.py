"""The journal under real processes: two writers at once, and a writer killed mid-run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from coachflow.journal import open_journal

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

# Records events through the engine, as `coachflow run` does, with a one-step
# workflow (so the actions counted do not depend on the built-in workflow),
# printing each event id once its run has returned.
WRITER = textwrap.dedent("""
    import datetime as dt, os, sys, time
    from coachflow.engine import WorkflowRunner
    from coachflow.plugin.host import build_host
    from coachflow.journal import open_journal
    from coachflow.models import Milestone, Rejection
    from coachflow.workflow import parse_workflow

    path, company, count, start_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    workflow = parse_workflow('[workflow]\\nname = "One step"\\n[[steps]]\\nuses = "allow-disappointment"\\n',
                              build_host(load_entry_points=False).registry)
    runner = WorkflowRunner(workflow)
    while not os.path.exists(start_file):
        time.sleep(0.005)
    journal = open_journal(path)
    number = 0
    while count == 0 or number < count:
        day = dt.date(2026, 1, 1) + dt.timedelta(days=number % 300)
        role = f"Role {number}"
        event = (Rejection(company=company, role=role, stage="screen", date=day) if number % 2
                 else Milestone(kind="applied", company=company, role=role, date=day))
        result = runner.run(event, journal=journal)
        print(result.event_id, flush=True)
        number += 1
    journal.close()
""")


def start_writer(path, company: str, count: int, start_file) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), company, str(count), str(start_file)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def test_two_processes_writing_200_events_each_leave_400(tmp_path):
    path = tmp_path / "shared.sqlite3"  # created by whichever process gets there first
    start = tmp_path / "go"
    writers = [start_writer(path, company, 200, start) for company in ("Acme", "Beta")]
    start.touch()
    outputs = [writer.communicate(timeout=300) for writer in writers]
    for writer, (out, err) in zip(writers, outputs):
        assert writer.returncode == 0, err
        assert len(out.split()) == 200
    with open_journal(path) as journal:
        assert journal.reader.count() == 400
        assert journal.reader.count(company="Acme") == journal.reader.count(company="Beta") == 200
        stored_ids = {entry.id for entry in journal.reader.entries(with_workflows=False)}
        printed = {int(i) for out, _ in outputs for i in out.split()}
        assert printed == stored_ids
        # every rejection got its actions, in both processes
        assert journal.reader.count_actions(kinds=("reminder",)) == 200
        assert journal.integrity_check() == "ok"


def test_a_process_killed_mid_run_leaves_a_sound_journal_with_every_committed_event(tmp_path):
    path = tmp_path / "journal.sqlite3"
    start = tmp_path / "go"
    start.touch()
    writer = start_writer(path, "Acme", 0, start)  # 0: runs until killed
    committed = []
    assert writer.stdout is not None
    for line in writer.stdout:
        committed.append(int(line))
        if len(committed) == 60:
            break
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=60)
    assert writer.returncode == -signal.SIGKILL
    with open_journal(path) as journal:
        assert journal.integrity_check() == "ok"
        stored = {entry.id for entry in journal.reader.entries(with_workflows=False)}
        assert set(committed) <= stored
        # each stored event either has its run recorded or was the one cut short
        unfinished = [e.id for e in journal.reader.entries() if not e.workflows]
        assert len(unfinished) <= 1


# A workflow whose second step kills its own process: the event was committed
# before the steps ran, so it must survive; the run's actions never land.
KILLED_BY_A_STEP = textwrap.dedent("""
    import datetime as dt, os, signal, sys
    import coachflow
    from coachflow.engine import WorkflowRunner
    from coachflow.plugin.host import build_host
    from coachflow.journal import open_journal
    from coachflow.models import Rejection
    from coachflow.workflow import parse_workflow

    class Vanish(coachflow.Step):
        name = "vanish"

        @coachflow.hookimpl
        def on_rejection(self, event, ctx):
            os.kill(os.getpid(), signal.SIGKILL)

    class Plugin:
        @coachflow.hookimpl
        def register_steps(self, register):
            register(Vanish)

    host = build_host(load_entry_points=False, extra_plugins=[("vanish", Plugin())])
    workflow = parse_workflow(
        '[workflow]\\nname = "Doomed"\\n[[steps]]\\nuses = "allow-disappointment"\\n[[steps]]\\nuses = "vanish"\\n',
        host.registry)
    journal = open_journal(sys.argv[1])
    WorkflowRunner(workflow).run(Rejection(company="Acme", stage="final", date=dt.date(2026, 3, 2)), journal=journal)
""")


def test_a_step_that_kills_the_process_leaves_the_journal_as_it_was(tmp_path):
    path = tmp_path / "journal.sqlite3"
    process = subprocess.run([sys.executable, "-c", KILLED_BY_A_STEP, str(path)],
                             capture_output=True, text=True, timeout=120)
    assert process.returncode == -signal.SIGKILL, process.stderr
    with open_journal(path) as journal:
        assert journal.integrity_check() == "ok"
        # A run lands whole or not at all: running the command again records it.
        assert journal.reader.events() == []
        assert journal.reader.actions() == []

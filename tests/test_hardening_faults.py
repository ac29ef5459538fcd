"""Faults: steps that break, hang or return garbage; processes killed mid-run; disks that refuse writes.

The faulty steps are a real installed plugin: a module and its
``.dist-info`` folder (with a ``coachflow`` entry point) in a folder put on
``sys.path``, found by the same discovery as any plugin a user installs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from coachflow.cli import cli
from coachflow.engine import WorkflowRunner
from coachflow.errors import JournalError
from coachflow.plugin.host import build_host
from coachflow.journal import open_journal
from coachflow.models import Rejection
from coachflow.workflow import parse_workflow


@pytest.fixture(autouse=True)
def load_installed_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about installed plugins, so coachflow must load them
    (conftest switches installed plugins off for the rest of the suite)."""
    monkeypatch.delenv("COACHFLOW_NO_PLUGINS", raising=False)
    monkeypatch.setenv("COACHFLOW_LOAD_PLUGINS", "faulty")  # this file's plugin, and no other installed one

PLUGIN_MODULE = "coachflow_faulty_steps"
NOW = "2026-03-14T09:30:00"

FAULTY_STEPS = '''
"""Steps that misbehave on purpose, for coachflow's fault tests."""

import os
import sys
import threading
import time

import coachflow


#: Set by a test to let hung steps finish.
RELEASE = threading.Event()


class Raises(coachflow.Step):
    """Raises an error."""

    name = "raises"

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        raise RuntimeError("the step broke")


class Hangs(coachflow.Step):
    """Blocks until released (or forever), after leaving a mark that it started."""

    name = "hangs"

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        marker = os.environ.get("FAULTY_STEPS_MARKER")
        if marker:
            with open(marker, "w") as file:
                file.write("started")
        RELEASE.wait()
        return coachflow.Action(kind="task", title="Too late")


class HangsAtEvent(coachflow.Step):
    """Blocks at the Nth event it sees (FAULTY_STEPS_HANG_AT), after leaving a mark."""

    name = "hangs-at-event"
    seen = 0

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        HangsAtEvent.seen += 1
        if HangsAtEvent.seen == int(os.environ["FAULTY_STEPS_HANG_AT"]):
            with open(os.environ["FAULTY_STEPS_MARKER"], "w") as file:
                file.write("started")
            RELEASE.wait()
        return coachflow.Action(kind="task", title=f"Follow up with {event.company}")


GARBAGE = {
    "text": lambda: "hello",
    "table": lambda: {"kind": "task", "title": "x"},
    "generator": lambda: (x for x in ()),
    "nested-list": lambda: [[coachflow.Action(kind="task", title="x")]],
    "due-text": lambda: coachflow.Action(kind="reminder", title="x", due="tomorrow"),
    "body-none": lambda: coachflow.Action(kind="task", title="x", body=None),
    "key-number": lambda: coachflow.Action(kind="task", title="x", key=7),
}


class ReturnsGarbage(coachflow.Step):
    """Returns something that is not an action, chosen by FAULTY_STEPS_GARBAGE."""

    name = "returns-garbage"

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        return GARBAGE[os.environ["FAULTY_STEPS_GARBAGE"]]()


class Exits(coachflow.Step):
    """Calls sys.exit."""

    name = "exits"

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        sys.exit(3)


class BrokenSetup(coachflow.Step):
    """Fails when the workflow creates it."""

    name = "broken-setup"

    def __init__(self, options):
        raise ValueError("cannot start")

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        return None


@coachflow.hookimpl
def register_steps(register):
    for step in (Raises, Hangs, HangsAtEvent, ReturnsGarbage, Exits, BrokenSetup):
        register(step)
'''


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the faulty-steps plugin as pip would install it."""
    site = tmp_path_factory.mktemp("site")
    (site / f"{PLUGIN_MODULE}.py").write_text(FAULTY_STEPS, encoding="utf-8")
    info = site / f"{PLUGIN_MODULE}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: coachflow-faulty-steps\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[coachflow]\nfaulty = {PLUGIN_MODULE}\n")
    return site


@pytest.fixture
def installed(plugin_site: Path, monkeypatch: pytest.MonkeyPatch):
    """The plugin, importable in this process; hung steps are released afterwards."""
    monkeypatch.syspath_prepend(str(plugin_site))
    import importlib

    module = importlib.import_module(PLUGIN_MODULE)
    module.RELEASE.clear()
    yield module
    module.RELEASE.set()


def write_workflow(folder: Path, *steps: str, settings: str = "") -> Path:
    path = folder / "coachflow.toml"
    text = '[workflow]\nname = "faults"\n'
    if settings:
        text += f"[settings]\n{settings}\n"
    for step in steps:
        text += f'[[steps]]\nuses = "{step}"\n'
    path.write_text(text, encoding="utf-8")
    return path


def run_cli(args: list[str], journal: Path, **env: str):
    return CliRunner().invoke(cli, args, env={"COACHFLOW_JOURNAL": str(journal), "COACHFLOW_NOW": NOW,
                                              "COACHFLOW_WORKFLOW": None, **env})


def run_rejection(workflow: Path, journal: Path, *extra: str, **env: str):
    return run_cli(["run", "rejection", "--company", "Acme", "--role", "Data Analyst", "--stage", "interview",
                    "-w", str(workflow), "--format", "json", *extra], journal, **env)


def journal_with_one_event(folder: Path) -> Path:
    """A journal in ``folder`` after one ordinary run."""
    journal = folder / "journal.sqlite3"
    assert run_cli(["run", "rejection", "--company", "Acme"], journal).exit_code == 0
    return journal


#: chmod cannot make a file read-only for root, who may write anything.
permissions_bind = pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                                      reason="file permissions do not bind root")


def journal_rows(path: Path) -> tuple[int, list[tuple[str, str]]]:
    """(number of events, [(step, kind) of each action]) read with plain sqlite3."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        events = db.execute("SELECT count(*) FROM events").fetchone()[0]
        actions = db.execute("SELECT step, kind FROM actions ORDER BY id").fetchall()
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        orphans = db.execute("SELECT count(*) FROM actions WHERE event_id NOT IN (SELECT id FROM events)")
        assert orphans.fetchone()[0] == 0
    return events, actions


# --- steps that fail ------------------------------------------------------------------


def test_a_step_that_raises_is_reported_and_the_rest_of_the_run_completes(installed, tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    result = run_rejection(write_workflow(tmp_path, "raises", "allow-disappointment"), journal)
    assert result.exit_code == 1
    output = json.loads(result.stdout)
    assert output["errors"] == [{"step": "raises", "uses": "raises", "error": "RuntimeError: the step broke"}]
    assert output["ran"] == ["allow-disappointment"]
    assert journal_rows(journal) == (1, [("allow-disappointment", "message"), ("allow-disappointment", "reminder")])


def test_a_failed_step_is_shown_in_the_text_output(installed, tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    workflow = write_workflow(tmp_path, "raises", "allow-disappointment")
    result = run_cli(["run", "rejection", "--company", "Acme", "-w", str(workflow)], journal)
    assert result.exit_code == 1
    assert "Step raises failed: RuntimeError: the step broke" in result.stdout
    assert "Check in: ready to move on from Acme?" in result.stdout
    assert "Traceback" not in result.output


def test_a_step_that_hangs_past_the_time_limit_is_stopped(installed, tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    workflow = write_workflow(tmp_path, "hangs", "allow-disappointment", settings="step_timeout = 0.2")
    result = run_rejection(workflow, journal)
    assert result.exit_code == 1
    output = json.loads(result.stdout)
    assert output["errors"] == [{"step": "hangs", "uses": "hangs",
                                 "error": "took longer than 0.2 seconds (settings.step_timeout) and was stopped"}]
    assert output["ran"] == ["allow-disappointment"]
    assert [a["kind"] for a in output["actions"]] == ["message", "reminder"]
    # The hung step was stopped: releasing it now changes nothing, its action was never kept.
    installed.RELEASE.set()
    assert journal_rows(journal)[1] == [("allow-disappointment", "message"), ("allow-disappointment", "reminder")]


def test_steps_after_a_hung_one_still_get_their_time(installed, tmp_path: Path) -> None:
    workflow = write_workflow(tmp_path, "hangs", "hangs", "allow-disappointment", settings="step_timeout = 0.1")
    output = json.loads(run_rejection(workflow, tmp_path / "j.sqlite3").stdout)
    assert [e["step"] for e in output["errors"]] == ["hangs", "hangs-2"]
    assert output["ran"] == ["allow-disappointment"]


def test_a_hung_step_does_not_keep_the_process_alive(plugin_site: Path, tmp_path: Path) -> None:
    workflow = write_workflow(tmp_path, "hangs", settings="step_timeout = 0.2")
    env = {**os.environ, "PYTHONPATH": str(plugin_site), "COACHFLOW_JOURNAL": str(tmp_path / "j.sqlite3"),
           "COACHFLOW_NOW": NOW}
    finished = subprocess.run([sys.executable, "-c", "from coachflow.cli import main; main()", "run", "rejection",
                               "--company", "Acme", "-w", str(workflow)], env=env, capture_output=True, text=True,
                              timeout=60)
    assert finished.returncode == 1
    assert "Step hangs failed: took longer than 0.2 seconds" in finished.stdout
    assert finished.stderr == ""


@pytest.mark.parametrize(("garbage", "message"), [
    ("text", "returned 'hello', which is not an action (coachflow.Action)"),
    ("table", "returned {'kind': 'task', 'title': 'x'}, which is not an action (coachflow.Action)"),
    ("generator", "returned <generator object"),
    ("nested-list", "returned [Action(kind='task', title='x'"),
    ("due-text", "returned an action whose due is 'tomorrow', not a date and time (datetime.datetime)"),
    ("body-none", "returned an action with kind 'task', title 'x' and body None;"),
    ("key-number", "returned an action whose key is 7, not text"),
])
def test_a_step_that_returns_garbage_is_reported(installed, tmp_path: Path, garbage: str, message: str) -> None:
    journal = tmp_path / "journal.sqlite3"
    workflow = write_workflow(tmp_path, "returns-garbage", "allow-disappointment")
    result = run_rejection(workflow, journal, FAULTY_STEPS_GARBAGE=garbage)
    assert result.exit_code == 1, result.output
    (error,) = json.loads(result.stdout)["errors"]
    assert error["step"] == "returns-garbage" and error["error"].startswith(message), error
    assert journal_rows(journal) == (1, [("allow-disappointment", "message"), ("allow-disappointment", "reminder")])


def test_a_step_that_calls_sys_exit_is_a_failed_step(installed, tmp_path: Path) -> None:
    result = run_rejection(write_workflow(tmp_path, "exits", "allow-disappointment"), tmp_path / "j.sqlite3")
    assert result.exit_code == 1
    output = json.loads(result.stdout)
    assert output["errors"][0]["error"] == "SystemExit: 3" and output["ran"] == ["allow-disappointment"]


def test_a_step_that_cannot_be_set_up_is_reported_on_every_run(installed, tmp_path: Path) -> None:
    result = run_rejection(write_workflow(tmp_path, "broken-setup", "allow-disappointment"), tmp_path / "j.sqlite3")
    assert result.exit_code == 1
    (error,) = json.loads(result.stdout)["errors"]
    assert error == {"step": "broken-setup", "uses": "broken-setup",
                     "error": "could not be set up (ValueError: cannot start)"}


def test_on_error_stop_ends_the_run_at_the_first_failure(installed, tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    workflow = write_workflow(tmp_path, "raises", "allow-disappointment", settings='on_error = "stop"')
    output = json.loads(run_rejection(workflow, journal).stdout)
    assert output["ran"] == [] and output["actions"] == []
    assert journal_rows(journal) == (1, [])  # the event is kept even though no step ran


# --- processes killed mid-run ----------------------------------------------------------


def wait_for(path: Path, process: subprocess.Popen) -> None:
    """Wait until the child has written ``path`` (it is then blocked inside a step)."""
    deadline = time.monotonic() + 60
    while not path.exists():
        if process.poll() is not None:
            raise AssertionError(f"the child ended early: {process.stderr.read() if process.stderr else ''}")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError("the child never reached the step")
        time.sleep(0.02)


def test_a_run_killed_while_a_step_runs_leaves_the_journal_as_it_was(plugin_site: Path, tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    marker = tmp_path / "started"
    assert run_cli(["run", "rejection", "--company", "Beta"], journal).exit_code == 0
    events_before, actions_before = journal_rows(journal)
    workflow = write_workflow(tmp_path, "allow-disappointment", "hangs")
    env = {**os.environ, "PYTHONPATH": str(plugin_site), "COACHFLOW_JOURNAL": str(journal), "COACHFLOW_NOW": NOW,
           "FAULTY_STEPS_MARKER": str(marker)}
    child = subprocess.Popen([sys.executable, "-c", "from coachflow.cli import main; main()", "run", "rejection",
                              "--company", "Acme", "-w", str(workflow)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wait_for(marker, child)
    child.send_signal(signal.SIGKILL)
    child.wait()
    # A run lands whole or not at all: the killed one left no event, no action, no record of running.
    assert journal_rows(journal) == (events_before, actions_before)
    assert [entry.workflows for entry in _entries_in(journal)] == [("Bounce back",)] * events_before
    assert run_cli(["run", "rejection", "--company", "Gamma"], journal).exit_code == 0  # and it is still usable
    assert journal_rows(journal)[0] == events_before + 1


def test_a_replay_killed_midway_keeps_only_whole_batches(plugin_site: Path, tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    marker = tmp_path / "started"
    script = textwrap.dedent(f"""
        import datetime as dt
        from coachflow.engine import WorkflowRunner
        from coachflow.plugin.host import build_host
        from coachflow.journal import open_journal
        from coachflow.models import Rejection
        from coachflow.workflow import parse_workflow

        registry = build_host().registry
        workflow = parse_workflow('[workflow]\\nname = "r"\\n[[steps]]\\nuses = "allow-disappointment"\\n'
                                  '[[steps]]\\nuses = "hangs-at-event"\\n', registry)
        events = [Rejection(company=f"Company {{n}}", date=dt.date(2026, 1, 1)) for n in range(1000)]
        with open_journal({str(journal)!r}) as journal:
            for _ in WorkflowRunner(workflow).replay(events, journal, batch_size=200):
                pass
    """)
    env = {**os.environ, "PYTHONPATH": str(plugin_site), "FAULTY_STEPS_MARKER": str(marker),
           "FAULTY_STEPS_HANG_AT": "750"}
    child = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    wait_for(marker, child)
    child.send_signal(signal.SIGKILL)
    child.wait()
    events, actions = journal_rows(journal)
    assert events == 600  # three whole batches of 200; the fourth was in progress
    assert len(actions) == 600 * 3  # each event kept with all of its actions
    with open_journal(journal) as reopened:
        assert reopened.integrity_check() == "ok"


# --- disks that refuse writes -----------------------------------------------------------


def test_a_full_journal_is_a_journal_error_and_the_run_leaves_nothing_behind(tmp_path: Path) -> None:
    workflow = parse_workflow('[workflow]\nname = "w"\n[[steps]]\nuses = "allow-disappointment"\n',
                              build_host(load_entry_points=False).registry)
    with open_journal(tmp_path / "journal.sqlite3") as journal:
        runner = WorkflowRunner(workflow)
        runner.run(Rejection(company="Acme", date=dt.date(2026, 3, 1)), journal=journal)
        # SQLite's own way to make the disk full for this connection only.
        pages = journal._db.execute("PRAGMA page_count").fetchone()[0]
        journal._db.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(JournalError, match=r"journal\.sqlite3: the disk is full, so the change was not saved"):
            runner.run(Rejection(company="Beta", notes="x" * 100_000, date=dt.date(2026, 3, 2)), journal=journal)
        assert [e.company for e in journal.reader.events()] == ["Acme"]


def _run_with_file_size_limit(args: list[str], env: dict[str, str], limit: int) -> subprocess.CompletedProcess:
    """Run coachflow with writes beyond ``limit`` bytes per file failing, as on a full disk."""
    def limit_writes() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write instead of killing the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    return subprocess.run([sys.executable, "-c", "from coachflow.cli import main; main()", *args], env=env,
                          capture_output=True, text=True, preexec_fn=limit_writes, timeout=120)


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs POSIX file size limits")
def test_a_disk_that_refuses_writes_is_one_line_and_the_journal_survives(tmp_path: Path) -> None:
    journal = journal_with_one_event(tmp_path)
    env = {**os.environ, "COACHFLOW_JOURNAL": str(journal), "COACHFLOW_NOW": NOW}
    notes = tmp_path / "event.json"
    notes.write_text(json.dumps({"type": "rejection", "company": "Beta", "notes": "x" * 3_000_000}))
    refused = _run_with_file_size_limit(["run", "--event", str(notes)], env, limit=1_000_000)
    assert refused.returncode == 2, refused.stderr
    assert refused.stderr == (f"Error: {journal}: the disk could not be written or read (disk I/O error); "
                              "check that it is not full or failing\n")
    assert journal_rows(journal)[0] == 1


@contextlib.contextmanager
def tiny_filesystem(where: Path, size: str):
    """A small RAM disk mounted at ``where``; skips the test where mounting is not allowed."""
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                             capture_output=True) if os.geteuid() == 0 else None
    if mounted is None or mounted.returncode != 0:
        pytest.skip("mounting a small filesystem needs root")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_a_full_disk_is_one_line_and_the_journal_survives(tmp_path: Path) -> None:
    with tiny_filesystem(tmp_path / "disk", "256k") as disk:
        journal = journal_with_one_event(disk)
        notes = tmp_path / "event.json"
        notes.write_text(json.dumps({"type": "rejection", "company": "Beta", "notes": "x" * 1_000_000}))
        result = run_cli(["run", "--event", str(notes)], journal)
        assert result.exit_code == 2
        assert result.stderr == f"Error: {journal}: the disk is full, so the change was not saved; free some " \
                                "space and try again\n"
        assert journal_rows(journal)[0] == 1


def test_runs_on_a_nearly_full_disk_save_whole_or_say_nothing_was_saved_and_work_later(tmp_path: Path) -> None:
    # With 48 KiB free, runs used to save their event, fail on their next steps, say
    # "the change was not saved", and then refuse the retry as a duplicate.
    with tiny_filesystem(tmp_path / "disk", "2m") as disk:
        journal = journal_with_one_event(disk)
        filler = disk / "filler"
        filler.write_bytes(b"\0" * (os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize - 48 * 1024))
        companies = [f"Company {n}" for n in range(12)]
        failed = []
        for company in companies:
            result = run_cli(["run", "rejection", "--company", company, "--notes", "n" * 2000], journal)
            if result.exit_code != 0:
                assert result.exit_code == 2, result.output
                assert "the change was not saved" in result.stderr
                failed.append(company)
            stored = {event.company for event in _events_in(journal)}
            assert (company in stored) == (company not in failed)
        assert failed, "the disk never filled up: the test needs a smaller filler"
        filler.unlink()
        for company in failed:
            again = run_cli(["run", "rejection", "--company", company, "--notes", "n" * 2000], journal)
            assert again.exit_code == 0, again.output
        assert sorted(event.company for event in _events_in(journal))[1:] == sorted(companies)


def _events_in(journal: Path) -> list:
    return [entry.event for entry in _entries_in(journal)]


def _entries_in(journal: Path) -> list:
    with open_journal(journal, mode="read") as reading:
        return list(reading.reader.entries())


def test_a_read_only_disk_is_one_line(tmp_path: Path) -> None:
    with tiny_filesystem(tmp_path / "disk", "1m") as disk:
        journal = journal_with_one_event(disk)
        assert subprocess.run(["mount", "-o", "remount,ro", str(disk)]).returncode == 0
        result = run_cli(["run", "rejection", "--company", "Beta"], journal)
        assert result.exit_code == 2
        assert result.stderr == f"Error: {journal}: cannot open the journal: Read-only file system\n"


@permissions_bind
def test_a_read_only_journal_file_is_one_line(tmp_path: Path) -> None:
    journal = journal_with_one_event(tmp_path)
    journal.chmod(0o400)
    result = run_cli(["run", "rejection", "--company", "Beta"], journal)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {journal}: cannot open the journal: Permission denied\n"


@permissions_bind
def test_a_read_only_journal_folder_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    journal = journal_with_one_event(folder)
    for leftover in folder.glob("journal.sqlite3-*"):
        leftover.unlink()
    folder.chmod(0o500)
    try:
        result = run_cli(["run", "rejection", "--company", "Beta"], journal)
    finally:
        folder.chmod(0o700)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {journal}: ") and result.stderr.count("\n") == 1


def test_a_file_that_is_not_a_journal_is_one_line(tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    journal.write_bytes(b"these are my notes, not a database\n" * 200)
    result = run_cli(["run", "rejection", "--company", "Acme"], journal)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {journal}: not a coachflow journal (file is not a database)\n"
    assert journal.read_bytes().startswith(b"these are my notes")  # and it was left alone


def test_a_folder_where_the_journal_should_be_is_one_line(tmp_path: Path) -> None:
    result = run_cli(["run", "rejection", "--company", "Acme"], tmp_path)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path}: is a folder, not a journal file\n"


def test_a_journal_under_a_file_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file, not a folder")
    result = run_cli(["run", "rejection", "--company", "Acme"], blocker / "journal.sqlite3")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {blocker / 'journal.sqlite3'}: cannot open the journal: ")
    assert result.stderr.count("\n") == 1

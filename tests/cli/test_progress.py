"""Progress on standard error for long work: shown in a terminal, never in a pipe or with --quiet.

The terminal is a real pseudo-terminal (the pty module) holding the command's standard
error, as when a person runs it; standard output is a pipe, as when they redirect it.
"""

from __future__ import annotations

import datetime as dt
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from click.testing import CliRunner

from coachflow.cli import cli
from coachflow.cli.journal_commands import (
    EXPORT_PROGRESS_FROM,
    IMPORT_PROGRESS_FROM,
    READ_PROGRESS_FROM,
    RUN_PROGRESS_FROM,
)
from coachflow.cli.report_commands import REPORT_PROGRESS_FROM

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are a POSIX thing")

EVENTS = max(IMPORT_PROGRESS_FROM, READ_PROGRESS_FROM, REPORT_PROGRESS_FROM, EXPORT_PROGRESS_FROM)
COMPANIES = ["Acme", "Beta", "Gamma", "Delta", "Epsilon"]


def spreadsheet(path: Path, count: int) -> Path:
    """A CSV of ``count`` applications, a few a day over the years before the suite's today."""
    lines = ["date,type,company,role"]
    for number in range(count):
        day = dt.date(2026, 11, 1) - dt.timedelta(days=number // 3)
        lines.append(f"{day.isoformat()},applied,{COMPANIES[number % 5]} {number},Analyst")
    path.write_text("\n".join(lines) + "\n")
    return path


def coachflow(args: list[str], cwd: Path, *, terminal: bool) -> tuple[int, str, str]:
    """Run coachflow in a new process: standard error on a pseudo-terminal, or on a pipe."""
    command = [sys.executable, "-m", "coachflow", *args]
    env = {**os.environ, "COLUMNS": "60"}
    if not terminal:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
        return done.returncode, done.stdout, done.stderr
    controller, terminal_end = pty.openpty()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=terminal_end)
    os.close(terminal_end)
    seen = bytearray()
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the process closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(controller)
    stdout = process.stdout.read().decode()
    process.stdout.close()
    return process.wait(), stdout, seen.decode()


@pytest.fixture(scope="module")
def big_sheet(tmp_path_factory) -> Path:
    return spreadsheet(tmp_path_factory.mktemp("sheet") / "big.csv", EVENTS)


@pytest.fixture(scope="module")
def big_journal(big_sheet) -> Path:
    journal = big_sheet.with_name("big.sqlite3")
    result = CliRunner().invoke(cli, ["import", str(big_sheet), "--journal", str(journal)],
                                env={"COACHFLOW_NOW": "2026-11-25T17:30", "COACHFLOW_NO_PLUGINS": "1"})
    assert result.exit_code == 0, result.output
    return journal


def test_a_big_import_shows_its_progress_on_a_terminal_and_the_summary_stays_on_stdout(tmp_path, big_sheet):
    code, stdout, stderr = coachflow(["import", str(big_sheet), "--journal", "j.sqlite3"], tmp_path, terminal=True)

    assert code == 0, stderr
    assert stdout == f"{big_sheet}: added {EVENTS}, already there 0\n"
    assert "Reading" in stderr and "Importing" in stderr
    assert "100%" in stderr
    # Click draws the bar on one line, going back to its start with a carriage return, fitted to the width
    drawn = re.sub(r"\x1b\[[?0-9;]*[A-Za-z]", "", stderr).replace("\r", "\n").splitlines()
    assert all(len(line) <= 60 for line in drawn), drawn


def test_a_big_import_writes_nothing_on_stderr_when_it_is_not_a_terminal(tmp_path, big_sheet):
    code, stdout, stderr = coachflow(["import", str(big_sheet), "--journal", "j.sqlite3"], tmp_path, terminal=False)

    assert (code, stderr) == (0, "")
    assert stdout == f"{big_sheet}: added {EVENTS}, already there 0\n"


def test_quiet_import_writes_nothing_even_on_a_terminal(tmp_path, big_sheet, big_journal):
    code, stdout, stderr = coachflow(["import", str(big_sheet), "--quiet", "--journal", str(big_journal)], tmp_path,
                                     terminal=True)
    assert (code, stdout, stderr) == (0, "", "")


@pytest.fixture(scope="module")
def journal_of_noes(tmp_path_factory) -> Path:
    """A journal of as many rejections, with their reasons, as make a report show its progress."""
    folder = tmp_path_factory.mktemp("noes")
    lines = ["date,type,company,role,stage,reason"]
    for number in range(REPORT_PROGRESS_FROM):
        day = dt.date(2026, 11, 1) - dt.timedelta(days=number // 3)
        lines.append(f"{day.isoformat()},rejection,{COMPANIES[number % 5]} {number},Analyst,screen,More SQL please")
    (folder / "noes.csv").write_text("\n".join(lines) + "\n")
    journal = folder / "noes.sqlite3"
    result = CliRunner().invoke(cli, ["import", str(folder / "noes.csv"), "--journal", str(journal)],
                                env={"COACHFLOW_NOW": "2026-11-25T17:30", "COACHFLOW_NO_PLUGINS": "1"})
    assert result.exit_code == 0, result.output
    return journal


# A report counts in the database; what it reads row by row are the texts (feedback, reasons).
@pytest.mark.parametrize(("args", "label", "journal"), [
    (["report", "-o", "report.html"], "Reading the journal", "journal_of_noes"),
    (["export", "-o", "events.csv"], "Exporting", "big_journal"),
])
def test_reports_and_exports_of_a_big_journal_show_progress_only_on_a_terminal_and_not_when_quiet(
        tmp_path, request, args, label, journal):
    args = [*args, "--journal", str(request.getfixturevalue(journal))]

    code, stdout, stderr = coachflow(args, tmp_path, terminal=True)
    assert code == 0, stderr
    assert label in stderr and "100%" in stderr

    code, stdout, stderr = coachflow([*args, "--force"], tmp_path, terminal=False)  # the file is there now
    assert code == 0
    assert label not in stderr and "\r" not in stderr
    assert stderr == ("" if args[0] == "report" else f"Exported {EVENTS} events to events.csv\n")

    code, stdout, stderr = coachflow([*args, "--quiet", "--force"], tmp_path, terminal=True)
    assert (code, stdout, stderr) == (0, "", "")


def test_a_small_import_shows_no_bar_even_on_a_terminal(tmp_path):
    sheet = spreadsheet(tmp_path / "small.csv", 50)
    code, stdout, stderr = coachflow(["import", str(sheet), "--journal", "j.sqlite3"], tmp_path, terminal=True)
    assert (code, stderr) == (0, "")


def test_import_run_shows_its_progress_event_by_event(tmp_path):
    sheet = spreadsheet(tmp_path / "history.csv", RUN_PROGRESS_FROM)
    code, stdout, stderr = coachflow(["import", str(sheet), "--run", "--journal", "j.sqlite3"], tmp_path,
                                     terminal=True)

    assert code == 0, stderr
    assert stdout.splitlines()[0] == f"{sheet}: added {RUN_PROGRESS_FROM}, already there 0"
    assert "Running" in stderr and "100%" in stderr

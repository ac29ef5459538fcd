"""Stress: the same `coachflow run` started several times at the same moment records the event once.

Each round starts the processes, lets each import coachflow and wait at a
shared starting line (a file that appears), then releases them together.
Exactly one of them records the rejection and its next steps; every other
one is told it is already in the journal, and the journal holds one event
whose actions were written once.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time

import pytest

PROCESSES = 4
ROUNDS = 12

RUNNER = r"""
import os, sys, time
from coachflow.cli import cli
start = sys.argv[1]
while not os.path.exists(start):
    time.sleep(0.0005)
cli.main(sys.argv[2:], prog_name="coachflow")
"""


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_identical_runs_started_together_record_one_event(tmp_path, round_number):
    journal = tmp_path / "journal.sqlite3"
    start = tmp_path / "start"
    args = ["run", "rejection", "--company", "Acme", "--role", "Analyst", "--stage", "interview",
            "--date", "2026-11-25", "--journal", str(journal)]
    environment = {**os.environ, "COACHFLOW_NO_PLUGINS": "1", "COACHFLOW_NOW": "2026-11-25T17:30"}
    processes = [subprocess.Popen([sys.executable, "-c", RUNNER, str(start), *args], env=environment,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(PROCESSES)]
    time.sleep(0.3 + 0.05 * round_number % 3)  # let them all reach the starting line
    start.touch()
    outcomes = [(process.wait(timeout=120), process.stderr.read()) for process in processes]
    for process in processes:
        process.stdout.close()
        process.stderr.close()

    codes = sorted(code for code, _ in outcomes)
    assert codes == [0] + [2] * (PROCESSES - 1), outcomes
    refused = [stderr for code, stderr in outcomes if code == 2]
    assert all("this rejection is already in your journal" in stderr for stderr in refused), refused
    with sqlite3.connect(journal) as connection:
        assert connection.execute("SELECT count(*) FROM events").fetchone() == (1,)
        titles = [row[0] for row in connection.execute("SELECT title FROM actions")]
    assert titles and len(titles) == len(set(titles)), titles

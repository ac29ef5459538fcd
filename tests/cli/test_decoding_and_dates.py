"""Arguments and environment values that are not text, and dates beyond 1900 to 2200, are one line.

``history --company $'\\xff'`` ended in UnicodeEncodeError, and ``init
$'init_\\xff.toml'`` too, leaving an empty file that a second ``init`` said
already existed. ``COACHFLOW_NOW=0001-01-01T00:00`` crashed ``status``,
``calendar`` and ``history --since yesterday``, ``9999-12-31T23:59`` crashed
``report``, and events recorded under such a clock could not be imported
again. These run the real command, in a fresh process where the bytes matter.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coachflow.cli import cli


def _coachflow(args: list[bytes], cwd: Path, **env: bytes) -> subprocess.CompletedProcess:
    environment = {**os.environb, b"COACHFLOW_JOURNAL": str(cwd / "journal.sqlite3").encode(), **{
        key.encode(): value for key, value in env.items()}}
    return subprocess.run([sys.executable, b"-m", b"coachflow", *args], cwd=cwd, env=environment,
                          capture_output=True, timeout=60)


def _one_line(completed: subprocess.CompletedProcess, text: str) -> None:
    assert completed.returncode == 2, completed.stderr
    assert completed.stderr.decode() == f"Error: {text}\n"
    assert completed.stdout == b""


@pytest.mark.parametrize(("args", "name"), [
    ([b"history", b"--company", b"\xff"], "--company"),
    ([b"history", b"--role", b"Caf\xe9"], "--role"),
    ([b"history", b"--kind=\xff"], "--kind"),
    ([b"run", b"rejection", b"--company", b"\xffcme", b"--dry-run"], "--company"),
    ([b"report", b"-o\xff.md"], "-o"),
    ([b"steps", b"\xff"], "NAME"),
    ([b"--plugin", b"\xff.py", b"steps"], "--plugin"),
])
def test_an_argument_that_is_not_utf8_is_one_line_naming_it(tmp_path: Path, args: list[bytes], name: str) -> None:
    _one_line(_coachflow(args, tmp_path),
              f"{name}: holds bytes that are not UTF-8 text; check the terminal's encoding")


def test_init_with_a_file_name_that_is_not_utf8_writes_nothing(tmp_path: Path) -> None:
    _one_line(_coachflow([b"init", b"init_\xff.toml"], tmp_path),
              "PATH: holds bytes that are not UTF-8 text; check the terminal's encoding")
    assert list(tmp_path.iterdir()) == []
    assert _coachflow([b"init", b"init.toml"], tmp_path).returncode == 0  # and a good name still works


@pytest.mark.parametrize("variable", ["COACHFLOW_JOURNAL", "COACHFLOW_PROFILE", "COACHFLOW_WORKFLOW", "HOME"])
def test_an_environment_value_that_is_not_utf8_is_one_line_naming_it(tmp_path: Path, variable: str) -> None:
    _one_line(_coachflow([b"status"], tmp_path, **{variable: b"/tmp/\xff"}),
              f"{variable}: holds bytes that are not UTF-8 text; set it again from a UTF-8 terminal")


# --- dates ------------------------------------------------------------------------------------


def _invoke(args: list[str], tmp_path: Path, now: str | None = "2026-03-14T09:30"):
    env = {"COACHFLOW_JOURNAL": str(tmp_path / "journal.sqlite3"), "COACHFLOW_NOW": now}
    return CliRunner().invoke(cli, args, env=env)


@pytest.mark.parametrize("now", ["0001-01-01T00:00", "1899-12-31T23:59", "2201-01-01T00:00", "9999-12-31T23:59"])
@pytest.mark.parametrize("command", [["status"], ["calendar"], ["history", "--since", "yesterday"], ["report"],
                                     ["run", "rejection", "--company", "Acme"], ["due"]])
def test_a_clock_outside_1900_to_2200_is_one_line(tmp_path: Path, now: str, command: list[str]) -> None:
    result = _invoke(command, tmp_path, now=now)
    assert result.exit_code == 2, result.output
    assert result.stderr == (f"Error: COACHFLOW_NOW: {now} is out of range; coachflow works with dates from "
                             "1900-01-01 to 2200-12-31\n")
    assert not (tmp_path / "journal.sqlite3").exists()


def test_a_clock_with_an_offset_is_an_instant_read_as_local_time(tmp_path: Path) -> None:
    assert _invoke(["run", "rejection", "--company", "Acme"], tmp_path).exit_code == 0
    result = _invoke(["due", "--all", "--format", "json"], tmp_path, now="2026-03-20T09:30+02:00")
    assert result.exit_code == 0, result.stderr
    result = _invoke(["run", "rejection", "--company", "Acme"], tmp_path, now="not-a-time+02:00")
    assert result.exit_code == 2
    assert result.stderr == ("Error: COACHFLOW_NOW: 'not-a-time+02:00' is not a date-time such as "
                             "2026-03-14T09:30\n")


def test_yesterday_before_the_first_day_is_refused_like_any_date(tmp_path: Path) -> None:
    result = _invoke(["history", "--since", "yesterday"], tmp_path, now="1900-01-01T09:00")
    assert result.exit_code == 2
    assert result.stderr == "Error: --since: 1899-12-31 is out of range; use a date from 1900-01-01 to 2200-12-31\n"


@pytest.mark.parametrize("option", ["--since", "--until"])
def test_a_period_beyond_the_range_is_refused(tmp_path: Path, option: str) -> None:
    result = _invoke(["report", option, "9999-12-31"], tmp_path)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {option}: 9999-12-31 is out of range; use a date from 1900-01-01 to 2200-12-31\n"


@pytest.mark.parametrize(("now", "dates"), [("1900-01-02T09:00", ["1900-01-01", "1900-01-02"]),
                                            ("2200-12-31T21:00", ["2200-12-30", "2200-12-31"])])
def test_what_the_first_and_last_days_record_is_exported_and_imported_again(tmp_path: Path, now: str,
                                                                             dates: list[str]) -> None:
    for date in dates:
        result = _invoke(["run", "rejection", "--company", "Acme", "--date", date, "--again"], tmp_path, now=now)
        assert result.exit_code == 0, result.output
    for command in (["status"], ["calendar", "--all"], ["report"], ["due", "--all"], ["history"]):
        assert _invoke(command, tmp_path, now=now).exit_code == 0, command
    for fmt in ("jsonl", "csv"):
        exported = tmp_path / f"all.{fmt}"
        assert _invoke(["export", "-o", str(exported)], tmp_path, now=now).exit_code == 0
        copy = tmp_path / f"copy-{fmt}.sqlite3"
        result = CliRunner().invoke(cli, ["import", str(exported), "--journal", str(copy)], env={"COACHFLOW_NOW": now})
        assert result.exit_code == 0, result.output
        assert result.stdout == f"{exported}: added 2, already there 0\n"
    lines = _invoke(["export"], tmp_path, now=now).stdout.splitlines()
    assert [json.loads(line)["date"] for line in lines] == dates

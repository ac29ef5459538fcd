"""Refused values are said in coachflow's words, naming the option or key, with what was given:
never Click's or attrs' programmer wording ("0 is not in the range 1<=x<=3660", "must be >= 2"),
and with plurals that agree with their numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from coachflow.cli import cli


def coachflow(*args: str, code: int = 2):
    result = CliRunner().invoke(cli, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


@pytest.mark.parametrize(("args", "error"), [
    (["done", "abc"], "ACTION_ID: give the number of a reminder or task as 'coachflow due' shows it (#3 is 3), not 'abc' "
                      "(see 'coachflow done --help')"),
    (["done", "0"], "ACTION_ID: give the number of a reminder or task as 'coachflow due' shows it (#3 is 3), not 0 "
                    "(see 'coachflow done --help')"),
    (["status", "--days", "0"], "--days: give a whole number of days from 1 to 3660, not 0 (see 'coachflow status --help')"),
    (["status", "--days", "lots"], "--days: give a whole number of days from 1 to 3660, not 'lots' "
                                   "(see 'coachflow status --help')"),
    (["status", "--format", "xml"], "--format: give text or json, not 'xml' (see 'coachflow status --help')"),
    (["client", "add", "sam", "--target", "0"], "--target: give a whole number of applications from 1 to 100, not 0 "
                                                "(see 'coachflow client add --help')"),
    (["run", "rejection", "--company", "Acme", "-w", "nowhere.toml", "--format", "pdf"],
     "--format: give text, markdown or json, not 'pdf' (see 'coachflow run --help')"),
])
def test_a_refused_option_value_is_named_and_said_in_words(args, error):
    assert coachflow(*args).stderr == f"Error: {error}\n"


def test_a_report_from_a_future_day_without_until_is_after_today():
    coachflow("run", "milestone", "--kind", "applied", "--company", "Acme", code=0)
    assert coachflow("report", "--since", "2027-01-01").stderr == (
        "Error: --since 2027-01-01 is after today (2026-11-25); give a day up to today\n")
    assert coachflow("report", "--since", "2027-01-01", "--until", "2026-12-01").stderr == (
        "Error: --since 2027-01-01 is after --until 2026-12-01; swap them\n")


def test_a_step_option_out_of_range_says_the_bound_in_words(tmp_path: Path):
    workflow = tmp_path / "w.toml"
    workflow.write_text('[workflow]\nname = "x"\n\n[[steps]]\nuses = "feedback-patterns"\nwith.min_applications = 1\n\n'
                        '[[steps]]\nuses = "maintain-momentum"\nwith.target = 500\n', encoding="utf-8")
    assert coachflow("validate", str(workflow)).stderr == (
        f"Error: {workflow}:6: steps[1].with.min_applications: must be 2 or more, not 1\n"
        f"Error: {workflow}:10: steps[2].with.target: must be 100 or less, not 500\n")


def test_a_clients_step_value_out_of_range_names_the_option(tmp_path: Path):
    added = coachflow("client", "add", "sam", code=0).stdout
    settings = Path(added.split("settings in ")[1].rstrip(".\n"))
    settings.write_text(settings.read_text(encoding="utf-8") + "\n[steps.allow-disappointment]\nwindow_hours = 0\n",
                        encoding="utf-8")
    result = coachflow("run", "rejection", "--company", "Acme", "--client", "sam", "--dry-run")
    assert result.stderr == f"Error: {settings}:3: steps.allow-disappointment.window_hours: must be 1 or more, not 0\n"


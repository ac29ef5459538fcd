"""coachflow report, coachflow calendar and run --format markdown, as people use them."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from coachflow.cli import cli
from support.report_history import EXPECTED, build_journal


@pytest.fixture
def journal_path(tmp_path, monkeypatch):
    path = tmp_path / "journal.sqlite3"
    build_journal(path).close()
    monkeypatch.setenv("COACHFLOW_JOURNAL", str(path))
    monkeypatch.chdir(tmp_path)  # no ./coachflow.toml: the built-in workflow
    return path


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


def test_report_defaults_to_markdown_on_standard_output(journal_path):
    result = invoke("report", "--since", "2026-10-05", "--until", "2026-11-01")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Job search report: Mon 5 Oct 2026 to Sun 1 Nov 2026\n")
    assert f"| Applications sent | {EXPECTED['applications_sent']} |" in result.output


def test_report_json(journal_path):
    result = invoke("report", "--since", "2026-10-05", "--until", "2026-11-01", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["applications"]["sent"] == EXPECTED["applications_sent"]
    assert data["generated_at"] == "2026-11-25T17:30"  # the suite's COACHFLOW_NOW


def test_report_to_an_html_file_takes_the_format_from_its_name(journal_path, tmp_path):
    target = tmp_path / "reports" / "october.html"
    result = invoke("report", "--since", "2026-10-05", "--until", "2026-11-01", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote the html report for 2026-10-05 to 2026-11-01 to {target}.\n"
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert f'data-metric="applications-sent">{EXPECTED["applications_sent"]}<' in html
    assert list(target.parent.iterdir()) == [target]  # no temporary file left behind


def test_report_reads_the_journal_named_by_profile(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from coachflow.journal import default_journal_path

    build_journal(default_journal_path("client-a")).close()
    result = invoke("report", "--profile", "client-a", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["applications"]["sent"] == 8


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "5 Oct"], "Error: --since: '5 Oct' is not a date; write it as YYYY-MM-DD"),
        (["--since", "2026-11-02", "--until", "2026-11-01"], "Error: --since 2026-11-02 is after --until 2026-11-01"),
        (["--format", "pdf"], "Error: --format: give markdown, html or json, not 'pdf'"),
        (["--since", "2027-01-01"], "Error: --since 2027-01-01 is after today (2026-11-25); give a day up to today\n"),
    ],
)
def test_report_refuses_bad_options_in_one_line(journal_path, args, message):
    result = invoke("report", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message), result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert result.stdout == ""


def test_report_without_a_journal_is_an_empty_report_and_creates_nothing(tmp_path):
    missing = tmp_path / "none.sqlite3"
    result = invoke("report", "--journal", str(missing), "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"No journal at {missing} yet; it starts with your first 'coachflow run'.\n"
    data = json.loads(result.stdout)
    assert data["applications"]["sent"] == 0 and data["period"] == {"start": "2026-11-25", "end": "2026-11-25"}
    assert not missing.exists()


def test_report_finds_the_journal_a_workflow_names(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    build_journal(tmp_path / "data" / "search.sqlite3").close()
    (tmp_path / "coachflow.toml").write_text(
        '[workflow]\nname = "Mine"\n\n[settings]\njournal = "data/search.sqlite3"\n\n'
        '[[steps]]\nuses = "allow-disappointment"\n', encoding="utf-8")
    result = invoke("report", "--since", "2026-10-05", "--until", "2026-11-01", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["applications"]["sent"] == EXPECTED["applications_sent"]


def test_report_cannot_write_into_a_file_that_is_a_folder(journal_path, tmp_path):
    (tmp_path / "taken.md").mkdir()
    result = invoke("report", "-o", str(tmp_path / "taken.md"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {tmp_path / 'taken.md'}: cannot write the file")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".taken")] == []


def test_run_format_markdown(tmp_path, monkeypatch):
    monkeypatch.setenv("COACHFLOW_JOURNAL", str(tmp_path / "journal.sqlite3"))
    monkeypatch.chdir(tmp_path)
    result = invoke("run", "rejection", "--company", "Acme_Labs", "--role", "Data Analyst", "--stage", "interview",
                    "--format", "markdown")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == r"### Rejection: Data Analyst at Acme\_Labs (interview stage), Wed 25 Nov 2026"
    assert any(line.startswith("- **Reminder:** ") and line.endswith("*(due Thu 26 Nov 2026, 17:30)*")
               for line in lines)
    assert "*Dry run" not in result.output


def test_run_markdown_keeps_a_drafts_line_breaks_inside_one_quote():
    from coachflow.models import Action, Rejection, RunResult
    from coachflow.output import render

    result = RunResult(
        event=Rejection(company="Acme", stage="screen", date=dt.date(2026, 11, 25)),
        workflow="w",
        actions=[Action(kind="draft", title="Ask for feedback", body="Hi Sam,\n\nThanks for your time.\nBest,\nAlex")],
    )
    assert render("run", result, "markdown").splitlines()[2:] == [
        "- **Draft:** Ask for feedback",
        "",
        "  > Hi Sam,",
        "  >",
        "  > Thanks for your time.  ",
        "  > Best,  ",
        "  > Alex",
    ]

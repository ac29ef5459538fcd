"""``-`` is standard output for every ``-o`` and standard input for every file to read.

Through real pipes between coachflow processes, and through Click's runner with input.
Each test also checks that no file named ``-`` appears and nothing says "Wrote ... to -".
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

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-25T17:30"
MINIMAL = (ROOT / "examples" / "workflows" / "minimal.toml").read_text(encoding="utf-8")
EVENTS_CSV = ROOT / "examples" / "journal" / "events.csv"


def environment(home: Path) -> dict[str, str]:
    """A user's environment with an empty home, the README's clock, no other COACHFLOW_ setting."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACHFLOW_")}
    env.update({"HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "COACHFLOW_NOW": NOW})
    return env


def coachflow(*arguments: str, cwd: Path, stdin=None, stdout=subprocess.PIPE) -> subprocess.Popen:
    """Start ``coachflow ARGUMENTS`` as its own process."""
    return subprocess.Popen([sys.executable, "-m", "coachflow", *arguments], cwd=cwd, env=environment(cwd),
                            stdin=stdin, stdout=stdout, stderr=subprocess.PIPE)


def pipe(first: list[str], second: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess, subprocess.CompletedProcess]:
    """``coachflow FIRST | coachflow SECOND`` through an operating-system pipe; both results."""
    writer = coachflow(*first, cwd=cwd)
    reader = coachflow(*second, cwd=cwd, stdin=writer.stdout)
    writer.stdout.close()  # the reader holds the pipe now; the writer sees it close if the reader stops
    out, err = reader.communicate(timeout=120)
    writer_err = writer.stderr.read()
    writer.wait(timeout=120)
    writer.stderr.close()
    done = subprocess.CompletedProcess(first, writer.returncode, b"", writer_err)
    return done, subprocess.CompletedProcess(second, reader.returncode, out, err)


def run(*arguments: str, input: str | bytes | None = None, journal: Path | None = None):
    """``coachflow ARGUMENTS`` through Click's runner, with the README's clock."""
    args = [*arguments, *(["--journal", str(journal)] if journal else [])]
    return CliRunner().invoke(cli, args, input=input, env={"COACHFLOW_NOW": NOW})


@pytest.fixture
def demo(tmp_path, monkeypatch) -> Path:
    """The example journal, imported into a fresh file; the working folder is tmp_path."""
    monkeypatch.chdir(tmp_path)
    journal = tmp_path / "demo.sqlite3"
    result = run("import", str(ROOT / "examples" / "journal" / "events.jsonl"), journal=journal)
    assert result.exit_code == 0, result.output
    # and one rejection with its next steps, so the calendar has reminders
    result = run("run", "rejection", "--company", "Acme", "--role", "Data Analyst", "--stage", "interview",
                 journal=journal)
    assert result.exit_code == 0, result.output
    return journal


def no_dash_file(folder: Path) -> None:
    assert not (folder / "-").exists()


# Real pipes: one coachflow process writes to '-', another reads '-'.

def test_export_to_a_pipe_imports_from_it_into_another_journal(demo, tmp_path):
    for fmt in ("jsonl", "csv"):
        copy = tmp_path / f"copy-{fmt}.sqlite3"
        export, imported = pipe(["export", "--format", fmt, "-o", "-", "--journal", str(demo)],
                                ["import", "-", "--input-format", fmt, "--journal", str(copy)], cwd=tmp_path)
        assert export.returncode == 0, export.stderr
        assert export.stderr == b""  # no "Exported ... to -"
        assert (imported.returncode, imported.stdout.decode()) == (0, "standard input: added 43, already there 0\n")
    no_dash_file(tmp_path)


def test_init_to_a_pipe_validates_from_it(tmp_path):
    init, validate = pipe(["init", "-"], ["validate", "-"], cwd=tmp_path)
    assert (init.returncode, init.stderr) == (0, b"")
    assert validate.returncode == 0, validate.stderr
    assert validate.stdout.decode() == "standard input: ok, workflow 'Bounce back' with 6 steps\n"
    assert list(tmp_path.iterdir()) == []  # neither coachflow.toml nor '-' was written


def test_schema_to_a_pipe_is_the_json_schema(tmp_path):
    process = coachflow("schema", "-o", "-", cwd=tmp_path)
    out, err = process.communicate(timeout=120)
    assert (process.returncode, err) == (0, b"")
    assert json.loads(out)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    no_dash_file(tmp_path)


def test_report_and_calendar_to_a_pipe(demo, tmp_path):
    for arguments, start in ((["report", "-o", "-"], b"# Job search report: Tue 1 Sep 2026 to Wed 25 Nov 2026\n"),
                             (["report", "--format", "html", "-o", "-"], b"<!DOCTYPE html>"),
                             (["calendar", "-o", "-"], b"BEGIN:VCALENDAR\r\n")):
        process = coachflow(*arguments, "--journal", str(demo), cwd=tmp_path)
        out, err = process.communicate(timeout=120)
        assert (process.returncode, err) == (0, b""), arguments
        assert out.startswith(start), arguments
        assert b"Wrote" not in out
    no_dash_file(tmp_path)


def test_an_event_and_a_workflow_each_come_through_a_pipe(tmp_path):
    event = b'type = "rejection"\ncompany = "Acme"\nrole = "Data Analyst"\nstage = "interview"\n'
    process = coachflow("run", "--event", "-", "--dry-run", cwd=tmp_path, stdin=subprocess.PIPE)
    out, err = process.communicate(event, timeout=120)
    assert process.returncode == 0, err
    assert out.decode().startswith("Rejection: Data Analyst at Acme (interview stage), Wed 25 Nov 2026\n")

    process = coachflow("run", "rejection", "--company", "Acme", "--dry-run", "--format", "json", "-w", "-",
                        cwd=tmp_path, stdin=subprocess.PIPE)
    out, err = process.communicate(MINIMAL.encode(), timeout=120)
    assert process.returncode == 0, err
    assert json.loads(out)["workflow"] == "Minimal"
    no_dash_file(tmp_path)


def test_an_export_previews_through_a_pipe_and_a_test_file_runs_from_one(demo, tmp_path):
    export, preview = pipe(["export", "-o", "-", "--journal", str(demo)], ["preview", "--events", "-"], cwd=tmp_path)
    assert (export.returncode, preview.returncode) == (0, 0), preview.stderr
    assert preview.stdout.decode().startswith(
        "What a client reads from the workflow 'Bounce back' in the events of standard input.\n")

    (tmp_path / "default_workflow.toml").write_text(
        (ROOT / "core" / "default_workflow.toml").read_text(encoding="utf-8"), encoding="utf-8")
    process = coachflow("test", "-", cwd=tmp_path, stdin=subprocess.PIPE)
    out, err = process.communicate((ROOT / "core" / "default_workflow.test.toml").read_bytes(), timeout=120)
    assert (process.returncode, err) == (0, b"")
    assert out.decode().endswith("7 cases: all passed\n")
    no_dash_file(tmp_path)


# Click's runner with input: every reader of '-', every writer of '-o -'.

def test_validate_reads_standard_input_among_files(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text(MINIMAL, encoding="utf-8")
    result = run("validate", "-", str(good), input=MINIMAL)
    assert result.exit_code == 0, result.output
    assert result.stdout == ("standard input: ok, workflow 'Minimal' with 2 steps\n"
                             f"{good}: ok, workflow 'Minimal' with 2 steps\n")


def test_validate_names_standard_input_in_each_problem():
    result = run("validate", "-", input='[workflow]\nname = "x"\n\n[[steps]]\nuses = "allow-disappointment"\n'
                                       'with = { window_hours = "a day" }\n')
    assert result.exit_code == 2
    assert result.stderr == ("Error: standard input:6: steps[1].with.window_hours: expected an integer, "
                             "got 'a day'\n")


def test_standard_input_that_is_not_utf8_is_one_line_naming_the_line():
    result = run("validate", "-", input=b'[workflow]\nname = "caf\xe9"\n')
    assert (result.exit_code, result.stderr) == (
        2, "Error: standard input:2: the workflow is not UTF-8 text (byte 0xe9); send it as UTF-8\n")
    result = run("import", "-", input=b"date,type,company,role\n2026-03-02,applied,Caf\xe9,Analyst\n")
    assert (result.exit_code, result.stderr) == (
        2, "Error: standard input:2: the file to import is not UTF-8 text (byte 0xe9); send it as UTF-8\n")
    result = run("run", "--event", "-", "--dry-run", input=b'type = "rejection"\ncompany = "Caf\xe9"\n')
    assert (result.exit_code, result.stderr) == (
        2, "Error: standard input:2: the event file is not UTF-8 text (byte 0xe9); send it as UTF-8\n")


def test_standard_input_is_read_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("validate", "-", "-", input=MINIMAL)
    assert (result.exit_code, result.stdout) == (2, "")
    assert "'-' (standard input) can be given once" in result.stderr
    result = run("run", "--event", "-", "-w", "-", "--dry-run", input='type = "rejection"\ncompany = "Acme"\n')
    assert result.exit_code == 2
    assert "--event and -w both ask for standard input ('-')" in result.stderr
    result = run("import", "-", "--run", "-w", "-", journal=tmp_path / "j.sqlite3",
                 input=EVENTS_CSV.read_text(encoding="utf-8"))
    assert result.exit_code == 2
    assert "the file to import and -w both ask for standard input ('-')" in result.stderr
    assert not (tmp_path / "j.sqlite3").exists()


def test_a_workflow_on_standard_input_runs_and_its_errors_name_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("run", "rejection", "--company", "Acme", "--dry-run", "-w", "-",
                 input='[workflow]\nname = "x"\n\n[[steps]]\nuses = "no-such-step"\n')
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: standard input:5: steps[1].uses: unknown step type 'no-such-step'")
    result = run("run", "rejection", "--company", "Acme", "--dry-run", "--format", "json", "-w", "-", input=MINIMAL)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["workflow"] == "Minimal"


def test_a_workflow_on_standard_input_names_the_journal_from_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    flow = MINIMAL + '\n[settings]\njournal = "from-stdin.sqlite3"\n'
    result = CliRunner().invoke(cli, ["run", "rejection", "--company", "Acme", "-w", "-"], input=flow,
                                env={"COACHFLOW_NOW": NOW, "COACHFLOW_JOURNAL": None})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "from-stdin.sqlite3").is_file()
    result = CliRunner().invoke(cli, ["history", "-w", "-"], input=flow,
                                env={"COACHFLOW_NOW": NOW, "COACHFLOW_JOURNAL": None})
    assert result.exit_code == 0, result.output
    assert "Acme" in result.stdout


def test_an_event_on_standard_input_names_it_in_errors():
    result = run("run", "feedback", "--event", "-", "--dry-run", input='type = "rejection"\ncompany = "Acme"\n')
    assert (result.exit_code, result.stderr) == (
        2, "Error: standard input: holds a rejection event, but the command says feedback\n")


def test_every_dash_o_writes_to_standard_output_and_no_file(demo, tmp_path):
    for arguments, start in ((["report", "-o", "-"], "# Job search report"),
                             (["report", "--format", "json", "-o", "-"], "{"),
                             (["calendar", "-o", "-"], "BEGIN:VCALENDAR"),
                             (["export", "-o", "-"], '{"type": "milestone"'),
                             (["export", "--format", "csv", "-o", "-"], "type,date,company,role")):
        result = run(*arguments, journal=demo)
        assert result.exit_code == 0, (arguments, result.output)
        assert result.stdout.startswith(start), arguments
        assert "Wrote" not in result.output and "Exported" not in result.output, arguments
        assert result.stdout == run(*arguments[:-2], journal=demo).stdout, arguments  # the same as without -o
    result = run("schema", "-o", "-")
    assert (result.exit_code, result.stdout) == (0, run("schema").stdout)
    result = run("init", "-")
    # no '#:schema' line: no schema file is written beside standard output
    assert result.exit_code == 0 and result.stdout.startswith("# A coachflow workflow.")
    assert sorted(path.name for path in tmp_path.iterdir() if not path.name.startswith("demo.sqlite3")) == []


def test_init_to_standard_output_ignores_an_existing_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "coachflow.toml").write_text("# mine\n", encoding="utf-8")
    result = run("init", "-")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "coachflow.toml").read_text(encoding="utf-8") == "# mine\n"


def test_preview_to_standard_output_and_events_from_standard_input(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("preview", "-o", "-")
    assert (result.exit_code, result.stdout) == (0, run("preview").stdout)
    event = 'type = "rejection"\ncompany = "Acme"\ndate = "2026-11-20"\n'
    result = run("preview", "--events", "-", input=event)
    assert result.exit_code == 0, result.output
    assert "in the events of standard input." in result.stdout and "Acme" in result.stdout
    result = run("preview", "--events", "-", input="type,date\nrejection,2026-11-20\n")
    assert (result.exit_code, result.stderr) == (2, "Error: standard input:1: the first line must name the columns "
                                                    "date, type, company, role; missing: company, role (found 2 "
                                                    "columns separated by commas: 'type', 'date')\n")
    assert list(tmp_path.iterdir()) == []


def test_a_test_file_on_standard_input_names_it_and_junit_xml_needs_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("test", "-", input="x\n")
    assert (result.exit_code, result.stderr) == (
        2, "Error: standard input:1:2: TOML syntax error: Expected '=' after a key in a key/value pair\n")
    result = run("test", "-", "-", input="x\n")
    assert result.exit_code == 2 and "is given more than once" in result.stderr
    result = run("test", "--junit-xml", "-", "-", input="x\n")
    assert (result.exit_code, result.stderr) == (2, "Error: --junit-xml -: the results already go to standard "
                                                    "output; name a file for the XML (see 'coachflow test --help')\n")
    assert list(tmp_path.iterdir()) == []

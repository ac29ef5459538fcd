"""The coachflow command, as a person at a terminal uses it."""

from __future__ import annotations

import json
import sqlite3
import tomllib

import pytest
from click.testing import CliRunner

from coachflow.cli import cli


@pytest.fixture
def journal_path(tmp_path, monkeypatch):
    path = tmp_path / "journal.sqlite3"
    monkeypatch.setenv("COACHFLOW_JOURNAL", str(path))
    return path


def invoke(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


def rows(path, sql):
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


def test_run_with_the_built_in_workflow_prints_dated_next_steps(journal_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./coachflow.toml here: the built-in workflow runs
    result = invoke("run", "rejection", "--company", "Acme", "--role", "Data Analyst", "--stage", "interview")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Rejection: Data Analyst at Acme (interview stage), Wed 25 Nov 2026\n")
    assert "Acme" in result.output
    assert "(due Thu 26 Nov 2026, 17:30)" in result.output
    assert rows(journal_path, "SELECT type, company, role, stage, date FROM events") == [
        ("rejection", "Acme", "Data Analyst", "interview", "2026-11-25")
    ]
    assert rows(journal_path, "SELECT count(*) FROM actions")[0][0] >= 1


def test_run_json_is_one_object_for_programs(journal_path):
    result = invoke("run", "rejection", "--company", "Acme", "--stage", "final", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["event"] == {
        "type": "rejection", "company": "Acme", "role": "", "stage": "final", "date": "2026-11-25",
        "reason": "", "notes": "",
    }
    assert data["workflow"] == "Bounce back"
    assert data["errors"] == []
    reminder = next(a for a in data["actions"] if a["kind"] == "reminder")
    assert reminder["due"] == "2026-11-26T17:30"
    assert set(reminder) >= {"step", "kind", "title", "body", "due"}


def test_dry_run_writes_nothing(journal_path):
    result = invoke("run", "rejection", "--company", "Acme", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dry run: nothing was written to the journal." in result.output
    assert not journal_path.exists()


def test_dry_run_on_an_existing_journal_leaves_it_as_it_was(journal_path):
    assert invoke("run", "rejection", "--company", "Acme").exit_code == 0
    assert invoke("run", "rejection", "--company", "Beta", "--dry-run").exit_code == 0
    assert rows(journal_path, "SELECT company FROM events") == [("Acme",)]


def test_workflow_file_option_and_env_and_local_file_are_used_in_that_order(journal_path, tmp_path, monkeypatch):
    def write(name, label):
        path = tmp_path / name
        path.write_text(f'[workflow]\nname = "{label}"\n[[steps]]\nuses = "allow-disappointment"\n')
        return path

    monkeypatch.chdir(tmp_path)
    write("coachflow.toml", "local")
    env_file = write("env.toml", "from env")
    option_file = write("option.toml", "from option")

    def workflow_name(*extra):
        result = invoke("run", "rejection", "--company", "Acme", "--format", "json", "--dry-run", *extra)
        assert result.exit_code == 0, result.output
        return json.loads(result.output)["workflow"]

    assert workflow_name() == "local"
    monkeypatch.setenv("COACHFLOW_WORKFLOW", str(env_file))
    assert workflow_name() == "from env"
    assert workflow_name("-w", str(option_file)) == "from option"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "rejection", "--role", "Analyst"], "Error: --company: missing; a rejection needs a company\n"),
        (["run", "rejection", "--company", "Acme", "--stage", "intervew"],
         "Error: --stage: 'intervew' is not a stage; use one of application, screen, interview, final, offer "
         "(did you mean 'interview'?)\n"),
        (["run", "rejection", "--company", "Acme", "--date", "last tuesday"],
         "Error: --date: 'last tuesday' is not a date; write it as YYYY-MM-DD (e.g. 2026-03-14), today or yesterday\n"),
        (["run", "milestone", "--kind", "aplied", "--company", "Beta"],
         "Error: --kind: 'aplied' is not a milestone kind; use one of applied, good-conversation, "
         "interview-invitation, positive-feedback, offer, accepted, withdrawn (did you mean 'applied'?)\n"),
        (["run", "feedback", "--company", "Acme", "--text", "ok", "--stage", "final"],
         "Error: --stage does not apply to feedback; it takes --company, --role, --source, --text, --date "
         "(see 'coachflow run --help')\n"),
        (["run", "vacation"], None),
        (["run"], "Error: say which event: rejection, feedback or milestone (or give --event FILE with a type) "
         "(see 'coachflow run --help')\n"),
    ],
)
def test_bad_event_input_is_one_line_and_exit_code_2(journal_path, args, message):
    result = invoke(*args)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.output
    if message:
        assert result.stderr == message
    assert not journal_path.exists()


def test_event_from_a_toml_file_and_from_json_on_stdin(journal_path, tmp_path):
    event_file = tmp_path / "event.toml"
    event_file.write_text('type = "rejection"\ncompany = "Acme"\nrole = "Analyst"\nstage = "screen"\ndate = 2026-11-20\n')
    result = invoke("run", "--event", str(event_file), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["event"]["stage"] == "screen"
    assert json.loads(result.output)["event"]["date"] == "2026-11-20"

    result = invoke("run", "feedback", "--event", "-", "--format", "json",
                    input='{"company": "Acme", "text": "Strong SQL", "source": "recruiter"}')
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["event"]["source"] == "recruiter"
    assert rows(journal_path, "SELECT type FROM events ORDER BY id") == [("rejection",), ("feedback",)]


def test_event_file_that_is_neither_toml_nor_json(journal_path, tmp_path):
    bad = tmp_path / "event.json"
    bad.write_text("{company: Acme")
    result = invoke("run", "rejection", "--event", str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {bad}:1:2: not valid JSON: Expecting property name")
    mismatch = tmp_path / "event.toml"
    mismatch.write_text('type = "feedback"\ncompany = "Acme"\ntext = "x"\n')
    result = invoke("run", "rejection", "--event", str(mismatch))
    assert result.stderr == f"Error: {mismatch}: holds a feedback event, but the command says rejection\n"


def test_an_invalid_workflow_stops_the_run_with_every_problem(journal_path, tmp_path):
    flow = tmp_path / "flow.toml"
    flow.write_text('[workflow]\nname = "x"\n[[steps]]\nuses = "allow-disappointment"\nwith.window_hours = "a day"\n'
                    '[[steps]]\nuses = "nope"\n')
    result = invoke("run", "rejection", "--company", "Acme", "-w", str(flow))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {flow}:5: steps[1].with.window_hours: expected an integer, got 'a day'",
        f"Error: {flow}:7: steps[2].uses: unknown step type 'nope'; 'coachflow steps' lists them",
    ]
    assert not journal_path.exists()


def test_validate_reports_each_file(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text('[workflow]\nname = "Good"\n[[steps]]\nuses = "allow-disappointment"\n')
    bad = tmp_path / "bad.toml"
    bad.write_text('[workflow]\nname = "Bad"\n[[steps]]\nuses = "allow-disappointment"\nwith.window_hours = 0\n')
    result = invoke("validate", str(good))
    assert (result.exit_code, result.output) == (0, f"{good}: ok, workflow 'Good' with 1 step\n")
    result = invoke("validate", str(good), str(bad))
    assert result.exit_code == 2
    assert result.stdout == f"{good}: ok, workflow 'Good' with 1 step\n"
    assert result.stderr == f"Error: {bad}:5: steps[1].with.window_hours: must be 1 or more, not 0\n"


def test_init_writes_a_valid_starter_and_refuses_to_overwrite(tmp_path):
    target = tmp_path / "coachflow.toml"
    result = invoke("init", str(target))
    assert result.exit_code == 0, result.output
    data = tomllib.loads(target.read_text())
    assert data["workflow"]["name"] == "Bounce back"
    assert data["steps"][0]["uses"] == "allow-disappointment"
    assert data["steps"][0]["with"]["window_hours"] == 24
    assert data["settings"]["step_timeout"] == 10  # the time limit every step has, written out to be seen
    assert "# step_timeout: the seconds one step may take" in target.read_text()
    assert invoke("validate", str(target)).exit_code == 0

    target.write_text("# my edits\n")
    result = invoke("init", str(target))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {target}: the file exists; add --force to replace it, or name another file\n"
    assert target.read_text() == "# my edits\n"
    assert invoke("init", str(target), "--force").exit_code == 0
    assert "Bounce back" in target.read_text()


def test_steps_lists_step_types_and_explains_one():
    result = invoke("steps")
    assert result.exit_code == 0
    assert "allow-disappointment" in result.output
    result = invoke("steps", "allow-disappointment")
    assert result.exit_code == 0
    assert "window_hours  (integer; default: 24)" in result.output
    assert "How long to give the disappointment" in result.output
    assert "Placeholders: " in result.output
    data = json.loads(invoke("steps", "allow-disappointment", "--format", "json").output)
    option = next(o for o in data[0]["options"] if o["name"] == "window_hours")
    assert option == {"name": "window_hours", "type": "integer", "required": False, "default": 24,
                      "help": option["help"], "placeholders": []}
    result = invoke("steps", "allow-disapointment")
    assert result.exit_code == 2
    assert result.stderr == "Error: unknown step type 'allow-disapointment' (did you mean 'allow-disappointment'?)\n"


def test_version_and_help_everywhere():
    result = invoke("--version")
    assert result.output == "coachflow, version 0.1.0\n"
    for command in ([], ["run"], ["validate"], ["init"], ["steps"]):
        result = invoke(*command, "--help")
        assert result.exit_code == 0
        assert "Usage: coachflow" in result.output


def test_coachflow_now_must_be_a_date_time(journal_path, monkeypatch):
    monkeypatch.setenv("COACHFLOW_NOW", "soon")
    result = invoke("run", "rejection", "--company", "Acme")
    assert result.exit_code == 2
    assert result.stderr == "Error: COACHFLOW_NOW: 'soon' is not a date-time such as 2026-03-14T09:30\n"


def test_skipped_steps_show_only_with_verbose(journal_path):
    plain = invoke("run", "feedback", "--company", "Beta", "--text", "Clear answers", "--dry-run")
    assert plain.exit_code == 0, plain.output
    assert "Skipped" not in plain.output
    verbose = invoke("run", "feedback", "--company", "Beta", "--text", "Clear answers", "--dry-run", "-v")
    assert "Skipped analyze-control: runs on rejection, milestone, not feedback" in verbose.output


# --- the same event twice, dates, Ctrl-C (found by a new user's review) ------------------------


ACME = ("run", "rejection", "--company", "Acme", "--role", "Data Analyst", "--stage", "interview")


def test_running_the_same_command_twice_records_the_event_once(journal_path):
    assert invoke(*ACME).exit_code == 0
    again = invoke(*ACME)
    assert again.exit_code == 2
    assert again.stderr == ("Error: this rejection is already in your journal (recorded Wed 25 Nov 2026); nothing "
                            "was added. Add --again to record it once more.\n")
    assert again.stdout == ""
    assert rows(journal_path, "SELECT count(*) FROM events") == [(1,)]
    actions = rows(journal_path, "SELECT count(*) FROM actions")
    assert invoke(*ACME, "--dry-run").exit_code == 0  # a dry run shows what would happen, as before
    assert rows(journal_path, "SELECT count(*) FROM actions") == actions
    assert invoke(*ACME, "--again").exit_code == 0
    assert rows(journal_path, "SELECT count(*) FROM events") == [(2,)]


def test_a_different_stage_is_a_different_event(journal_path):
    assert invoke(*ACME).exit_code == 0
    assert invoke(*ACME[:-1], "final").exit_code == 0
    assert rows(journal_path, "SELECT stage FROM events ORDER BY id") == [("interview",), ("final",)]


@pytest.mark.parametrize(("word", "day"), [("today", "2026-11-25"), ("yesterday", "2026-11-24"), ("Yesterday", "2026-11-24")])
def test_today_and_yesterday_count_from_coachflow_now(journal_path, monkeypatch, word, day):
    monkeypatch.setenv("COACHFLOW_NOW", "2026-11-25T17:30")
    result = invoke("run", "rejection", "--company", "Acme", "--date", word, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["event"]["date"] == day


def test_today_in_an_event_file_counts_from_coachflow_now(journal_path, tmp_path, monkeypatch):
    monkeypatch.setenv("COACHFLOW_NOW", "2030-02-01T09:00")
    event = tmp_path / "event.toml"
    event.write_text('type = "feedback"\ncompany = "Acme"\ntext = "Clear answers"\ndate = "yesterday"\n')
    result = invoke("run", "--event", str(event))
    assert result.exit_code == 0, result.output
    assert rows(journal_path, "SELECT date FROM events") == [("2030-01-31",)]


def test_an_event_dated_after_today_is_refused(journal_path):
    result = invoke("run", "rejection", "--company", "Acme", "--date", "2026-11-26")
    assert (result.exit_code, result.stderr) == (
        2, "Error: --date: 2026-11-26 is in the future; record events when they have happened\n")
    assert not journal_path.exists()


def test_a_late_event_gets_reminders_from_now_not_in_the_past(journal_path):
    result = invoke("run", "rejection", "--company", "Acme", "--date", "2026-11-01", "--format", "json")
    assert result.exit_code == 0, result.output
    dues = [a["due"] for a in json.loads(result.stdout)["actions"] if a["due"]]
    assert dues and min(dues) >= "2026-11-25T17:30"


INTERRUPTED_STEP = '''
import coachflow


class Slow(coachflow.Step):
    """A step the person stops with Ctrl-C."""

    name = "slow"

    @coachflow.hookimpl
    def on_rejection(self, event, ctx):
        import os
        if os.environ.get("STOP_THE_STEP"):
            raise KeyboardInterrupt
        return coachflow.Action(kind="task", title=f"Next step for {event.company}")


@coachflow.hookimpl
def register_steps(register):
    register(Slow)
'''


def test_ctrl_c_in_a_step_records_nothing_and_running_again_records_the_event_whole(journal_path, tmp_path,
                                                                                   monkeypatch):
    (tmp_path / "slow_step.py").write_text(INTERRUPTED_STEP)
    (tmp_path / "flow.toml").write_text('[workflow]\nname = "slow"\n[[steps]]\nuses = "slow"\n')
    args = ("--plugin", str(tmp_path / "slow_step.py"), "run", "rejection", "--company", "Acme",
            "-w", str(tmp_path / "flow.toml"))
    monkeypatch.setenv("STOP_THE_STEP", "1")
    stopped = invoke(*args)
    assert stopped.exit_code == 130
    assert stopped.stderr == "Stopped: nothing was recorded; run the same command again to record the rejection.\n"
    assert rows(journal_path, "SELECT count(*) FROM events") == [(0,)]
    monkeypatch.delenv("STOP_THE_STEP")
    again = invoke(*args)
    assert again.exit_code == 0, again.output
    assert "To do: Next step for Acme" in again.stdout
    assert rows(journal_path, "SELECT count(*) FROM events") == [(1,)]
    assert rows(journal_path, "SELECT event_id, title FROM actions") == [(1, "Next step for Acme")]
    assert invoke(*args).exit_code == 2  # now it is recorded: a third run is a duplicate


def test_an_imported_event_gets_its_next_steps_when_run_and_is_not_recorded_twice(journal_path, tmp_path):
    (tmp_path / "one.jsonl").write_text(
        '{"type": "rejection", "date": "2026-11-25", "company": "Acme", "role": "", "stage": "application"}\n')
    assert invoke("import", str(tmp_path / "one.jsonl"), "--journal", str(journal_path)).exit_code == 0
    resumed = invoke("run", "rejection", "--company", "Acme", "--journal", str(journal_path))
    assert resumed.exit_code == 0, resumed.output
    assert "was already in your journal (recorded Wed 25 Nov 2026) without its next steps" in resumed.stderr
    assert rows(journal_path, "SELECT count(*) FROM events") == [(1,)]
    assert rows(journal_path, "SELECT count(*) FROM runs") == [(1,)]


def test_run_help_says_the_default_stage():
    assert "application (the default)" in " ".join(invoke("run", "--help").output.split())


def test_an_empty_journal_option_is_refused(tmp_path):
    result = invoke("run", "rejection", "--company", "Acme", "--journal", "")
    assert result.exit_code == 2
    assert result.stderr == "Error: --journal: the file name is empty\n"


GROUP_PLUGIN = '''
import click, coachflow

@coachflow.hookimpl
def register_commands(cli):
    @cli.group()
    def networking():
        """Keep in touch with your network."""

    @networking.command()
    def nudge():
        """Nudge someone you have not written to in a while."""
        click.echo("nudged")
'''


@pytest.mark.parametrize("arguments", [[], ["networking"]], ids=["coachflow", "a plugin group"])
def test_a_bare_group_prints_its_help_on_stdout_and_exits_0(tmp_path, arguments):
    # Click 8.1 printed the help; 8.2 and later raise an error that holds it. Both look like 8.1.
    plugin = tmp_path / "networking.py"
    plugin.write_text(GROUP_PLUGIN, encoding="utf-8")
    result = CliRunner(env={"COACHFLOW_PLUGINS": str(plugin), "COACHFLOW_NO_PLUGINS": "0"}).invoke(cli, arguments)

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Usage: coachflow {' '.join(arguments)}".rstrip() + " [OPTIONS] COMMAND")
    assert "\\n" not in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("arguments", [["-h"], ["networking", "-h"], ["networking", "nudge", "-h"], ["run", "-h"]])
def test_dash_h_shows_help_on_every_command_and_group(tmp_path, arguments):
    plugin = tmp_path / "networking.py"
    plugin.write_text(GROUP_PLUGIN, encoding="utf-8")
    result = invoke("--plugin", str(plugin), *arguments)

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Usage: coachflow")
    assert "-h, --help" in result.stdout

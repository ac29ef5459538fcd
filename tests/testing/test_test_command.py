"""`coachflow test`: cases run through a workflow, with what a coach reads when one fails."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from coachflow.cli import cli

ROOT = Path(__file__).resolve().parents[2]

WORKFLOW = """
[workflow]
name = "Gentle"

[[steps]]
uses = "allow-disappointment"
with = { window_hours = 48 }

[[steps]]
uses = "request-feedback"
when = { stage = ["interview", "final"] }
"""

PASSING = """
workflow = "coachflow.toml"
now = "2026-11-25T17:30"

[[cases]]
name = "two days after a no"
event = { type = "rejection", company = "Acme", stage = "interview" }

[[cases.expect]]
step = "allow-disappointment"
kind = "reminder"
title = "Acme"
due = "+2d"
"""


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env)


def write(folder: Path, tests: str, *, workflow: str = WORKFLOW, name: str = "coachflow.test.toml") -> Path:
    (folder / "coachflow.toml").write_text(textwrap.dedent(workflow), encoding="utf-8")
    path = folder / name
    path.write_text(textwrap.dedent(tests), encoding="utf-8")
    return path


def test_a_passing_file_says_ok_per_case_and_exits_0(tmp_path):
    path = write(tmp_path, PASSING)

    result = invoke("test", str(path))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{path}  (workflow 'Gentle', 1 case)",
        "  ok    two days after a no",
        "",
        "1 case: all passed",
    ]


def test_a_failing_case_shows_what_was_expected_beside_what_came_out(tmp_path):
    path = write(tmp_path, PASSING.replace('due = "+2d"', 'due = "+1d"'))

    result = invoke("test", str(path))

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[1] == "  FAIL  two days after a no (line 5)"
    assert lines[2] == ('        line 9: expected a reminder from allow-disappointment, title containing "Acme", '
                        "due on Thu 26 Nov 2026 (+1d)")
    assert lines[3] == "        got none among the 4 actions:"
    assert lines[4].startswith("          1. allow-disappointment, message: It's all right to be disappointed about Acme")
    assert lines[5] == ("          2. allow-disappointment, reminder: Check in: ready to move on from Acme?  "
                        "(due Fri 27 Nov 2026, 17:30)")
    assert lines[6].startswith("          3. request-feedback, draft: Ask the recruiter at Acme for feedback")
    assert lines[7].startswith("          4. request-feedback, reminder: One follow-up")
    assert lines[-1] == "1 case: 0 passed, 1 failed"


def test_a_body_expectation_that_fails_shows_the_bodies_of_that_step(tmp_path):
    path = write(tmp_path, PASSING.replace('due = "+2d"', 'body = "a whole week"'))

    result = invoke("test", str(path))

    assert result.exit_code == 1
    assert "body containing \"a whole week\"" in result.stdout
    assert "               | The time you gave Acme is up." in result.stdout
    # Only the bodies of actions the other filters select are shown: not the draft's.
    assert "| Most companies" not in result.stdout


def test_absent_and_count_show_the_actions_that_should_not_be_there(tmp_path):
    path = write(tmp_path, PASSING + """
[[cases.expect]]
step = "request-feedback"
absent = true

[[cases.expect]]
kind = "reminder"
count = 1
""")

    result = invoke("test", str(path))

    assert result.exit_code == 1
    out = result.stdout
    assert "line 15: expected no action from request-feedback\n        got 2:\n" in out
    assert "          1. request-feedback, draft: Ask the recruiter at Acme for feedback" in out
    assert "line 19: expected exactly 1 reminder\n        got 2:\n" in out
    assert "          2. request-feedback, reminder: One follow-up" in out


def test_a_step_that_did_not_run_says_why(tmp_path):
    path = write(tmp_path, PASSING.replace('stage = "interview"', 'stage = "screen"') + """
[[cases.expect]]
step = "request-feedback"
kind = "draft"
""")

    result = invoke("test", str(path))

    assert result.exit_code == 1
    assert "        request-feedback did not run: stage is screen, not interview or final" in result.stdout


def test_the_history_is_run_through_the_workflow_before_the_event(tmp_path):
    # The first no planned a follow-up for Acme; a second no from the same
    # application must not plan another one: only true if the history ran.
    path = write(tmp_path, """
workflow = "coachflow.toml"
now = "2026-11-25T17:30"

[[cases]]
name = "one follow-up per application"
given = [{ type = "rejection", company = "Acme", role = "Analyst", stage = "interview", date = "-3d" }]
event = { type = "rejection", company = "Acme", role = "Analyst", stage = "final" }

[[cases.expect]]
step = "request-feedback"
kind = "reminder"
absent = true

[[cases]]
name = "without the history, the follow-up is planned"
event = { type = "rejection", company = "Acme", role = "Analyst", stage = "final" }

[[cases.expect]]
step = "request-feedback"
kind = "reminder"
due = "+7d"
""")

    result = invoke("test", str(path))

    assert result.exit_code == 0, result.output
    assert "2 cases: all passed" in result.stdout


def test_due_dates_absolute_relative_to_the_minute_and_none(tmp_path):
    path = write(tmp_path, """
workflow = "coachflow.toml"
now = 2026-11-25T17:30:00

[[cases]]
name = "dates"
event = { type = "rejection", company = "Acme", stage = "interview" }
expect = [
    { kind = "reminder", step = "allow-disappointment", due = 2026-11-27 },
    { kind = "reminder", step = "allow-disappointment", due = 2026-11-27T17:30:00 },
    { kind = "reminder", step = "allow-disappointment", due = "2026-11-27T17:30" },
    { kind = "reminder", step = "allow-disappointment", due = "+48h" },
    { kind = "reminder", step = "allow-disappointment", due = "+1d24h" },
    { kind = "reminder", step = "allow-disappointment", due = "+2d1m", absent = true },
    { kind = "message", due = "none", count = 1 },
]
""")

    result = invoke("test", str(path))

    assert result.exit_code == 0, result.output


def test_title_and_body_match_regular_expressions_and_texts_are_case_sensitive(tmp_path):
    path = write(tmp_path, """
workflow = "coachflow.toml"
now = "2026-11-25T17:30"

[[cases]]
name = "texts"
event = { type = "rejection", company = "Acme", stage = "interview" }
expect = [
    { title_matches = "^Check in: .* Acme\\\\?$" },
    { body_matches = "(?i)MOST COMPANIES" },
    { body = "MOST COMPANIES", absent = true },
]
""")

    result = invoke("test", str(path))

    assert result.exit_code == 0, result.output


def test_a_clients_support_contacts_and_target_fill_the_step_options(tmp_path):
    workflow = WORKFLOW + '\n[[steps]]\nuses = "maintain-momentum"\n'
    path = write(tmp_path, """
workflow = "coachflow.toml"
now = "2026-11-25T17:30"
client = { support_contacts = ["Sam"] }

[[cases]]
name = "the file's client"
event = { type = "rejection", company = "Acme", stage = "interview" }
expect = [{ step = "allow-disappointment", kind = "task", title = "Talk to Sam" }]

[[cases]]
name = "the workflow's target"
event = { type = "milestone", kind = "applied", company = "Beta" }
expect = [{ step = "maintain-momentum", kind = "task", title = "Send 4 more applications" }]

[[cases]]
name = "the case's client on top of the file's"
client = { support_contacts = ["Priya"], pipeline_target = 2 }
given = [{ type = "milestone", kind = "applied", company = "Beta", date = "-5d" }]
event = { type = "rejection", company = "Acme", stage = "interview" }
expect = [{ step = "allow-disappointment", kind = "task", title = "Talk to Priya" }]

[[cases]]
name = "the client's target"
client = { pipeline_target = 2 }
event = { type = "milestone", kind = "applied", company = "Beta" }
expect = [{ step = "maintain-momentum", kind = "task", title = "Send 1 more application" }]
""", workflow=workflow)

    result = invoke("test", str(path))

    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_a_clients_names_variables_and_step_options_read_as_for_run_client(tmp_path):
    workflow = WORKFLOW.replace(
        'with = { window_hours = 48 }',
        'with = { window_hours = 48, check_in = "{client_name}, time to check in with {coach_name} about {client_team}." }')
    path = write(tmp_path, """
workflow = "coachflow.toml"
now = "2026-11-25T17:30"
client = { name = "Jo", coach = "Rowan", variables = { team = "the data team" } }

[[cases]]
name = "the client's words"
event = { type = "rejection", company = "Acme", stage = "interview" }
expect = [{ step = "allow-disappointment", kind = "reminder", body = "Jo, time to check in with Rowan about the data team.", due = "+2d" }]

[[cases]]
name = "the client's own window"
client = { steps = { allow-disappointment = { window_hours = 24 } } }
event = { type = "rejection", company = "Acme", stage = "interview" }
expect = [{ step = "allow-disappointment", kind = "reminder", due = "+24h" }]
""", workflow=workflow)

    result = invoke("test", str(path))

    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_a_workflow_using_client_values_needs_a_client_in_each_case(tmp_path):
    workflow = WORKFLOW.replace('with = { window_hours = 48 }', 'with = { check_in = "{coach_name} will ask." }')
    path = write(tmp_path, PASSING.replace('name = "two days after a no"',
                                           'name = "two days after a no"\nclient = { name = "Jo" }'),
                 workflow=workflow)

    result = invoke("test", str(path))

    assert result.exit_code == 2
    assert result.stderr == (f"Error: {path}:7: cases[1].client: step allow-disappointment uses {{coach_name}}, a "
                             'client\'s value; give the case a client with it: client = { coach = "..." }\n')


def test_a_step_that_fails_fails_the_case_even_when_the_expectations_hold(tmp_path):
    plugin = tmp_path / "broken.py"
    plugin.write_text(textwrap.dedent('''
        import coachflow

        class Broken(coachflow.Step):
            """Fails on every rejection."""
            name = "broken"

            @coachflow.hookimpl
            def on_rejection(self, event, ctx):
                raise RuntimeError("no connection to the ATS")

        @coachflow.hookimpl
        def register_steps(register):
            register(Broken)
    '''), encoding="utf-8")
    path = write(tmp_path, PASSING, workflow=WORKFLOW + '\n[[steps]]\nuses = "broken"\n')

    result = invoke("--plugin", str(plugin), "test", str(path))

    assert result.exit_code == 1
    assert "        step broken failed: RuntimeError: no connection to the ATS" in result.stdout


def test_an_installed_plugins_steps_can_be_tested(tmp_path):
    plugin = tmp_path / "nudge.py"
    plugin.write_text(textwrap.dedent('''
        import coachflow

        class Nudge(coachflow.Step):
            """Ask a friend along after a no."""
            name = "nudge"

            @coachflow.hookimpl
            def on_rejection(self, event, ctx):
                return coachflow.Action(kind="task", title=f"Tell a friend about {event.company}")

        @coachflow.hookimpl
        def register_steps(register):
            register(Nudge)
    '''), encoding="utf-8")
    path = write(tmp_path, """
workflow = "coachflow.toml"
now = "2026-11-25T17:30"

[[cases]]
name = "the plugin's step speaks"
event = { type = "rejection", company = "Acme" }
expect = [{ step = "nudge", kind = "task", title = "Tell a friend about Acme", count = 1 }]
""", workflow='[workflow]\nname = "With a plugin"\n\n[[steps]]\nuses = "nudge"\n')

    result = invoke("--plugin", str(plugin), "test", str(path))

    assert result.exit_code == 0, result.output


def test_json_output_has_every_case_with_its_failures_and_actions(tmp_path):
    path = write(tmp_path, PASSING + """
[[cases]]
name = "a failing one"
event = { type = "rejection", company = "Beta" }
expect = [{ kind = "celebration" }]
""")

    result = invoke("test", str(path), "--format", "json")

    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["passed"], data["failed"]) == (1, 1)
    first, second = data["cases"]
    assert (first["case"], first["passed"], first["failures"]) == ("two days after a no", True, [])
    assert first["actions"][1]["due"] == "2026-11-27T17:30"
    assert second["failures"] == [{"line": 18, "expected": "a celebration", "selected": []}]
    assert [action["kind"] for action in second["actions"]] == ["message", "reminder"]


def test_junit_xml_for_ci(tmp_path):
    path = write(tmp_path, PASSING + """
[[cases]]
name = "a failing one"
event = { type = "rejection", company = "Beta" }
expect = [{ kind = "celebration" }]
""")
    report = tmp_path / "results.xml"

    result = invoke("test", str(path), "--junit-xml", str(report))

    assert result.exit_code == 1
    root = ElementTree.parse(report).getroot()
    assert (root.tag, root.get("tests"), root.get("failures")) == ("testsuites", "2", "1")
    suite = root.find("testsuite")
    assert suite.get("name") == str(path)
    cases = suite.findall("testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        ("coachflow.test", "two days after a no"), ("coachflow.test", "a failing one")]
    assert cases[0].find("failure") is None
    failure = cases[1].find("failure")
    assert failure.get("message") == "expected a celebration"
    assert "got none among the 2 actions:" in failure.text


def test_an_unwritable_junit_file_is_one_line_and_exit_2(tmp_path):
    path = write(tmp_path, PASSING)

    result = invoke("test", str(path), "--junit-xml", str(tmp_path / "missing" / "results.xml"))

    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {tmp_path / 'missing' / 'results.xml'}: cannot write the JUnit XML")


def test_a_folder_runs_every_test_file_in_it(tmp_path):
    write(tmp_path, PASSING, name="a.test.toml")
    write(tmp_path, PASSING.replace("two days after a no", "again"), name="b.test.toml")
    (tmp_path / "notes.toml").write_text("not = 'a test file'\n", encoding="utf-8")

    result = invoke("test", str(tmp_path))

    assert result.exit_code == 0, result.output
    assert "2 cases in 2 files: all passed" in result.stdout


def test_a_folder_without_test_files_and_a_missing_file_are_one_line_each(tmp_path):
    assert invoke("test", str(tmp_path)).stderr == f"Error: {tmp_path}: no test files (*.test.toml) in this folder\n"
    missing = invoke("test", str(tmp_path / "nope.test.toml"))
    assert (missing.exit_code, missing.stderr) == (2, f"Error: {tmp_path / 'nope.test.toml'}: no such test file\n")


def test_nothing_is_written_to_any_journal(tmp_path):
    path = write(tmp_path, PASSING)
    journal = tmp_path / "journal.sqlite3"

    result = invoke("test", str(path), env={"COACHFLOW_JOURNAL": str(journal)})

    assert result.exit_code == 0
    assert not journal.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["coachflow.test.toml", "coachflow.toml"]


@pytest.mark.parametrize("tests", [
    "core/default_workflow.test.toml",
    "examples/workflows/full-method.test.toml",
    "examples/workflows/custom-coach.test.toml",
    "examples/workflows/minimal.test.toml",
])
def test_the_shipped_test_files_pass(tests):
    result = invoke("test", str(ROOT / tests))

    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_every_example_workflow_has_a_test_file():
    workflows = sorted(p for p in (ROOT / "examples" / "workflows").glob("*.toml") if not p.name.endswith(".test.toml"))
    assert workflows
    for workflow in workflows:
        assert workflow.with_name(workflow.stem + ".test.toml").is_file(), workflow


def test_a_shipped_case_fails_when_the_workflow_changes(tmp_path):
    # The tests guard the workflow: a coach who shortens the window sees it.
    shutil.copy(ROOT / "examples" / "workflows" / "full-method.test.toml", tmp_path)
    text = (ROOT / "examples" / "workflows" / "full-method.toml").read_text(encoding="utf-8")
    (tmp_path / "full-method.toml").write_text(text.replace("window_hours = 24", "window_hours = 12"), encoding="utf-8")

    result = invoke("test", str(tmp_path / "full-method.test.toml"))

    assert result.exit_code == 1
    assert "  FAIL  A no gets a day, then a check-in" in result.stdout
    assert "(due Thu 26 Nov 2026, 08:00)" in result.stdout  # 05:30 is before the day starts


def test_trace_shows_the_hook_calls_of_each_case(tmp_path):
    path = write(tmp_path, PASSING)

    result = invoke("--trace", "test", str(path))

    assert result.exit_code == 0
    assert "trace: workflow 'Gentle': on_rejection(event=Rejection(company='Acme'" in result.stderr
    assert "1 case: all passed" in result.stdout


def test_escape_sequences_in_names_and_texts_are_shown_not_obeyed(tmp_path):
    # A test file and a workflow come from someone else; what they hold must not move the cursor.
    workflow = WORKFLOW.replace('with = { window_hours = 48 }',
                               'with = { window_hours = 48, check_in = "Time\\u001b[2K is up" }')
    path = write(tmp_path, PASSING.replace('name = "two days after a no"', 'name = "two days\\u001b]8;;x\\u0007"')
                 + '\n[[cases.expect]]\nbody = "nowhere"\n', workflow=workflow)
    report = tmp_path / "results.xml"

    result = invoke("test", str(path), "--junit-xml", str(report))

    assert result.exit_code == 1
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "FAIL  two days\\u001b]8;;x\\u0007 (line 5)" in result.stdout
    assert "| Time\\u001b[2K is up" in result.stdout
    case = ElementTree.parse(report).getroot().find("testsuite/testcase")  # well-formed XML
    assert case.get("name") == "two days\\u001b]8;;x\\u0007"


def test_junit_xml_replaces_an_earlier_results_file_but_never_a_journal(tmp_path):
    path = write(tmp_path, PASSING)
    report = tmp_path / "results.xml"
    report.write_text("<old/>", encoding="utf-8")

    assert invoke("test", str(path), "--junit-xml", str(report)).exit_code == 0
    assert ElementTree.parse(report).getroot().tag == "testsuites"

    journal = tmp_path / "journal.sqlite3"
    assert invoke("run", "milestone", "--kind", "applied", "--company", "Acme", "--journal", str(journal)).exit_code == 0
    before = journal.read_bytes()
    result = invoke("test", str(path), "--junit-xml", str(journal))
    assert result.exit_code == 2
    assert result.stdout == ""  # refused before anything ran
    assert journal.read_bytes() == before

"""A broken test file: one line per problem, with file, line and key path, and exit code 2."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from coachflow.cli import cli

WORKFLOW = """
[workflow]
name = "Gentle"

[[steps]]
uses = "allow-disappointment"

[[steps]]
id = "ask"
uses = "request-feedback"
"""

HEAD = """workflow = "coachflow.toml"
now = "2026-11-25T17:30"

[[cases]]
name = "a no"
"""

GOOD_CASE = HEAD + """event = { type = "rejection", company = "Acme" }

[[cases.expect]]
step = "ask"
"""


def check(tmp_path: Path, text: str, *, workflow: str = WORKFLOW) -> list[str]:
    """Run the test file ``text``; it must be refused: the error lines, without 'Error: '."""
    (tmp_path / "coachflow.toml").write_text(textwrap.dedent(workflow), encoding="utf-8")
    path = tmp_path / "coachflow.test.toml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["test", str(path)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert all(line.startswith("Error: ") for line in lines), lines
    return [line[len("Error: "):].replace(str(path), "FILE") for line in lines]


def test_the_good_case_passes(tmp_path):
    (tmp_path / "coachflow.toml").write_text(WORKFLOW, encoding="utf-8")
    (tmp_path / "coachflow.test.toml").write_text(GOOD_CASE, encoding="utf-8")
    assert CliRunner().invoke(cli, ["test", str(tmp_path / "coachflow.test.toml")]).exit_code == 0


@pytest.mark.parametrize(("text", "expected"), [
    (GOOD_CASE + 'colour = "blue"\n',
     'FILE:10: cases[1].expect[1].colour: unknown key; known keys: step, kind, title, title_matches, body, '
     'body_matches, due, count, absent'),
    ("wrokflow = 'x'\n" + GOOD_CASE,
     "FILE:1: wrokflow: unknown key (did you mean 'workflow'?)"),
    (GOOD_CASE.replace('name = "a no"', 'name = "a no"\nevnt = 1'),
     "FILE:6: cases[1].evnt: unknown key (did you mean 'event'?)"),
    (GOOD_CASE.replace('step = "ask"', 'step = "ask"\ntitel = "Acme"'),
     "FILE:10: cases[1].expect[1].titel: unknown key (did you mean 'title'?)"),
    (GOOD_CASE.replace('company = "Acme" }', 'compnay = "Acme" }'),
     "FILE:6: cases[1].event.compnay: a rejection has no such field; it has company, role, stage, date, reason, "
     "notes (did you mean 'company'?)"),
    (GOOD_CASE.replace('name = "a no"', 'name = "a no"\nclient = { suport_contacts = ["Sam"] }'),
     "FILE:6: cases[1].client.suport_contacts: not a client setting (did you mean 'support_contacts'?)"),
])
def test_an_unknown_key_is_named_with_its_line(tmp_path, text, expected):
    assert check(tmp_path, text) == [expected]


@pytest.mark.parametrize(("text", "expected"), [
    (GOOD_CASE.replace('"2026-11-25T17:30"', '"2026-11-31T17:30"'),
     'FILE:2: now: expected a date and time such as "2026-11-25T17:30", got \'2026-11-31T17:30\''),
    (GOOD_CASE.replace('"2026-11-25T17:30"', '2026-11-25'),
     'FILE:2: now: expected a date and time such as "2026-11-25T17:30", got 2026-11-25'),
    (GOOD_CASE.replace('company = "Acme" }', 'company = "Acme", date = "2026-02-30" }'),
     "FILE:6: cases[1].event.date: '2026-02-30' is not a date; write it as YYYY-MM-DD (e.g. 2026-03-14), today, "
     "yesterday or a number of days before now such as -3d"),
    (GOOD_CASE.replace('company = "Acme" }', 'company = "Acme", date = "soon" }'),
     "FILE:6: cases[1].event.date: 'soon' is not a date; write it as YYYY-MM-DD (e.g. 2026-03-14), today, "
     "yesterday or a number of days before now such as -3d"),
    (GOOD_CASE.replace('company = "Acme" }', 'company = "Acme", date = "2026-12-01" }'),
     "FILE:6: cases[1].event.date: 2026-12-01 is in the future; record events when they have happened"),
    (GOOD_CASE.replace('event =', 'given = [{ type = "rejection", company = "Beta", date = "-3x" }]\nevent ='),
     "FILE:6: cases[1].given[1].date: '-3x' is not a date; write it as YYYY-MM-DD (e.g. 2026-03-14), today, "
     "yesterday or a number of days before now such as -3d"),
    (GOOD_CASE.replace('event =', 'given = [{ type = "rejection", company = "Beta", date = "soon" }]\nevent ='),
     "FILE:6: cases[1].given[1].date: 'soon' is not a date; write it as YYYY-MM-DD (e.g. 2026-03-14), today, "
     "yesterday or a number of days before now such as -3d"),
    (GOOD_CASE.replace('event =', 'given = [{ type = "rejection", company = "Beta" }]\nevent ='),
     "FILE:6: cases[1].given[1].date: missing; every event of the history needs its date: YYYY-MM-DD "
     "(e.g. 2026-03-14), today, yesterday or a number of days before now such as -3d"),
    (GOOD_CASE.replace('event =', 'given = [{ type = "rejection", company = "Beta", date = "-1d", '
                                  'recorded = "2026-11-26T09:00" }]\nevent ='),
     "FILE:6: cases[1].given[1].recorded: 2026-11-26T09:00 is after the case's now (2026-11-25T17:30); history "
     "is recorded before the event under test"),
    (GOOD_CASE.replace('step = "ask"', 'step = "ask"\ndue = "tomorrow"'),
     "FILE:10: cases[1].expect[1].due: 'tomorrow' is not a due date; write +1d (that day), +2h or +1d2h (that "
     'minute), a date (2026-11-26), a date and time ("2026-11-26T17:30"), or "none"'),
    (GOOD_CASE.replace('step = "ask"', 'step = "ask"\ndue = "2026-11-31"'),
     "FILE:10: cases[1].expect[1].due: '2026-11-31' is not a due date; write +1d (that day), +2h or +1d2h "
     '(that minute), a date (2026-11-26), a date and time ("2026-11-26T17:30"), or "none"'),
])
def test_a_bad_date_is_named_with_its_line(tmp_path, text, expected):
    assert check(tmp_path, text) == [expected]


def test_every_problem_of_a_test_file_is_reported_in_one_pass(tmp_path):
    second = GOOD_CASE[GOOD_CASE.index("[[cases]]"):].replace('company = "Acme" }', 'compnay = "Acme", stage = "finale" }')
    lines = check(tmp_path, GOOD_CASE + "\n" + second)
    assert lines == [
        "FILE:12: cases[2].name: another case (the 1st) already has this name; give each case its own",
        "FILE:13: cases[2].event.compnay: a rejection has no such field; it has company, role, stage, date, reason, "
        "notes (did you mean 'company'?)",
        "FILE:13: cases[2].event.stage: 'finale' is not a stage; use one of application, screen, interview, final, "
        "offer (did you mean 'final'?)",
    ]


def test_the_event_under_test_takes_every_date_form_its_message_lists(tmp_path):
    (tmp_path / "coachflow.toml").write_text(textwrap.dedent(WORKFLOW), encoding="utf-8")
    path = tmp_path / "coachflow.test.toml"
    for date in ("2026-11-20", "today", "yesterday", "-2d"):
        path.write_text(GOOD_CASE.replace('company = "Acme" }', f'company = "Acme", date = "{date}" }}'), encoding="utf-8")
        result = CliRunner().invoke(cli, ["test", str(path)])
        assert (result.exit_code, result.stderr) == (0, ""), (date, result.output)


def test_an_expectation_naming_an_unknown_step_lists_the_workflows_steps(tmp_path):
    assert check(tmp_path, GOOD_CASE.replace('step = "ask"', 'step = "request-feedback"')) == [
        "FILE:9: cases[1].expect[1].step: the workflow has no step 'request-feedback'; its steps are "
        "allow-disappointment, ask"]
    assert check(tmp_path, GOOD_CASE.replace('step = "ask"', 'step = "alow-disappointment"')) == [
        "FILE:9: cases[1].expect[1].step: the workflow has no step 'alow-disappointment' (did you mean "
        "'allow-disappointment'?); its steps are allow-disappointment, ask"]


@pytest.mark.parametrize(("expectation", "expected"), [
    ('kind = "remider"', "FILE:9: cases[1].expect[1].kind: 'remider' is not a kind of action (did you mean "
                         "'reminder'?); use one of message, draft, prompt, task, reminder, insight, celebration"),
    ('title_matches = "(unclosed"', "FILE:9: cases[1].expect[1].title_matches: not a regular expression: "
                                    "missing ), unterminated subpattern at position 0"),
    ('title = ""', "FILE:9: cases[1].expect[1].title: expected the text the title contains, got ''"),
    ("count = -1", "FILE:9: cases[1].expect[1].count: expected a number of actions (0 or more), got -1"),
    ('count = "2"', "FILE:9: cases[1].expect[1].count: expected a number of actions (0 or more), got '2'"),
    ('absent = "yes"', "FILE:9: cases[1].expect[1].absent: expected true or false, got 'yes'"),
    ("count = 1\nabsent = true", "FILE:10: cases[1].expect[1].absent: use either absent = true or count, not both "
                                 "(absent is count = 0)"),
])
def test_a_bad_expectation_is_named_with_its_line(tmp_path, expectation, expected):
    assert check(tmp_path, GOOD_CASE.replace('step = "ask"', expectation)) == [expected]


def test_an_empty_expectation_and_a_case_without_one(tmp_path):
    assert check(tmp_path, HEAD + 'event = { type = "rejection", company = "Acme" }\nexpect = [{}]\n') == [
        "FILE:7: cases[1].expect[1]: an empty expectation checks nothing; use some of step, kind, title, "
        "title_matches, body, body_matches, due, count, absent"]
    assert check(tmp_path, HEAD + 'event = { type = "rejection", company = "Acme" }\n') == [
        "FILE:4: cases[1].expect: missing; add at least one [[cases.expect]] table saying what the workflow "
        "should return"]


def test_missing_pieces_of_a_file_and_a_case(tmp_path):
    assert check(tmp_path, 'now = "2026-11-25T17:30"\n') == [
        'FILE: workflow: missing; name the workflow file to test, relative to this file: workflow = "coachflow.toml"']
    assert check(tmp_path, 'workflow = "coachflow.toml"\n') == [
        "FILE: cases: missing; add at least one [[cases]] table with a name, an event and what to expect"]
    assert check(tmp_path, 'workflow = "coachflow.toml"\n\n[[cases]]\nexpect = [{ kind = "draft" }]\n') == [
        "FILE:3: cases[1].name: missing; give the case a name that says what it checks",
        'FILE:3: cases[1].now: missing; give the case a clock (now = "2026-11-25T17:30"), or set now at the top '
        "of the file for every case",
        'FILE:3: cases[1].event: missing; give the event under test: event = { type = "rejection", company = "Acme" }',
    ]
    assert check(tmp_path, GOOD_CASE.replace('company = "Acme" }', 'stage = "screen" }')) == [
        "FILE:6: cases[1].event.company: missing; a rejection needs a company"]


def test_two_cases_with_one_name(tmp_path):
    text = GOOD_CASE + '\n[[cases]]\nname = "a no"\nevent = { type = "rejection", company = "Beta" }\n' \
                       'expect = [{ kind = "draft" }]\n'
    assert check(tmp_path, text) == [
        "FILE:12: cases[2].name: another case (the 1st) already has this name; give each case its own"]


def test_bad_client_settings(tmp_path):
    text = GOOD_CASE.replace('name = "a no"', 'name = "a no"\nclient = { pipeline_target = "five", timezone = '
                                                '"Mars/Olympus", quiet_hours = "late", target = 3 }')
    assert check(tmp_path, text) == [
        "FILE:6: cases[1].client.target: not a client setting (did you mean 'pipeline_target'?)",
        "FILE:6: cases[1].client.pipeline_target: expected a whole number from 1 to 100, got 'five'",
        "FILE:6: cases[1].client.timezone: 'Mars/Olympus' is not a time zone such as \"Europe/Berlin\"",
        "FILE:6: cases[1].client.quiet_hours: expected a window such as \"21:00-08:00\", got 'late'",
    ]


def test_a_client_value_a_step_refuses_is_reported_in_the_steps_words(tmp_path):
    text = 'client = { steps = { allow-disappointment = { window_hours = 0 } } }\n' + GOOD_CASE
    assert check(tmp_path, text) == [
        "FILE:1: client.steps.allow-disappointment.window_hours: must be 1 or more, not 0"]
    text = 'client = { steps = { allow-disapointment = { window_hours = 3 } } }\n' + GOOD_CASE
    assert check(tmp_path, text) == [
        "FILE:1: client.steps.allow-disapointment: the workflow has no step with that id (did you mean "
        "'allow-disappointment'?)"]


def test_a_clients_step_options_are_type_checked_as_a_with_table_is(tmp_path):
    """``window_hours = "a day"`` gave a Python error; ``support_contacts = "Sam"`` became S, a and m."""
    text = ('client = { steps = { allow-disappointment = { window_hours = "a day", support_contacts = "Sam" }, '
            'ask = { follow_up_days = 4.5 } } }\n' + GOOD_CASE)
    assert check(tmp_path, text) == [
        "FILE:1: client.steps.allow-disappointment.window_hours: expected an integer, got 'a day'",
        "FILE:1: client.steps.allow-disappointment.support_contacts: expected a list, got 'Sam'",
        "FILE:1: client.steps.ask.follow_up_days: expected an integer, got 4.5",
    ]
    case = GOOD_CASE + '\n[cases.client.steps.allow-disappointment]\nwindow_hours = "a day"\n'
    line = case.splitlines().index('window_hours = "a day"') + 1
    assert check(tmp_path, case) == [
        f"FILE:{line}: cases[1].client.steps.allow-disappointment.window_hours: expected an integer, got 'a day'"]


def test_every_problem_of_a_file_is_reported_in_the_order_of_the_file(tmp_path):
    text = GOOD_CASE.replace('step = "ask"', 'step = "nope"\nkind = "nope"') + 'extra = 1\n'
    assert [line.split(":")[1] for line in check(tmp_path, text)] == ["9", "10", "11"]


def test_a_toml_syntax_error(tmp_path):
    assert check(tmp_path, GOOD_CASE + "[[cases]\n") == [
        "FILE:10:8: TOML syntax error: Expected ']]' at the end of an array declaration"]


def test_a_missing_or_broken_workflow(tmp_path):
    assert check(tmp_path, GOOD_CASE.replace('"coachflow.toml"', '"other.toml"')) == [
        f"FILE:1: workflow: no workflow file at {tmp_path / 'other.toml'}; the path counts from the test file's folder"]
    broken = WORKFLOW.replace('uses = "request-feedback"', 'uses = "request-feedbak"')
    lines = check(tmp_path, GOOD_CASE, workflow=broken)
    assert lines == [f"{tmp_path / 'coachflow.toml'}:10: steps[2].uses: unknown step type 'request-feedbak' (did you "
                     "mean 'request-feedback'?); 'coachflow steps' lists them"]


def test_problems_in_several_files_are_all_reported_and_nothing_runs(tmp_path):
    (tmp_path / "coachflow.toml").write_text(WORKFLOW, encoding="utf-8")
    (tmp_path / "a.test.toml").write_text(GOOD_CASE.replace('step = "ask"', 'step = "nope"'), encoding="utf-8")
    (tmp_path / "b.test.toml").write_text(GOOD_CASE, encoding="utf-8")
    (tmp_path / "c.test.toml").write_text(GOOD_CASE + "oops = 1\n", encoding="utf-8")

    result = CliRunner().invoke(cli, ["test", str(tmp_path)])

    assert result.exit_code == 2
    assert result.stdout == ""
    assert [line.split(":")[1].strip() for line in result.stderr.splitlines()] == [
        str(tmp_path / "a.test.toml"), str(tmp_path / "c.test.toml")]


def test_a_file_that_is_not_utf8(tmp_path):
    (tmp_path / "coachflow.toml").write_text(WORKFLOW, encoding="utf-8")
    path = tmp_path / "coachflow.test.toml"
    path.write_bytes(GOOD_CASE.encode("utf-8").replace(b"Acme", b"Acm\xe9"))

    result = CliRunner().invoke(cli, ["test", str(path)])

    assert (result.exit_code, result.stderr) == (
        2, f"Error: {path}:6: the file is not UTF-8 text (byte 0xe9); save it as UTF-8\n")


def test_validate_checks_a_test_file_without_running_it(tmp_path):
    (tmp_path / "coachflow.toml").write_text(WORKFLOW, encoding="utf-8")
    good = tmp_path / "coachflow.test.toml"
    good.write_text(GOOD_CASE, encoding="utf-8")
    bad = tmp_path / "bad.test.toml"
    bad.write_text(GOOD_CASE.replace('step = "ask"', 'step = "nope"'), encoding="utf-8")

    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "coachflow.toml"), str(good), str(bad)])

    assert result.exit_code == 2
    assert result.stdout.splitlines() == [f"{tmp_path / 'coachflow.toml'}: ok, workflow 'Gentle' with 2 steps",
                                          f"{good}: ok, 1 test case for workflow 'Gentle'"]
    assert result.stderr.startswith(f"Error: {bad}:9: cases[1].expect[1].step: the workflow has no step 'nope'")


def test_validate_json_gives_a_test_files_problems_with_their_pointers(tmp_path):
    import json

    (tmp_path / "coachflow.toml").write_text(WORKFLOW, encoding="utf-8")
    bad = tmp_path / "bad.test.toml"
    bad.write_text(GOOD_CASE.replace('step = "ask"', 'step = "nope"'), encoding="utf-8")
    good = tmp_path / "coachflow.test.toml"
    good.write_text(GOOD_CASE, encoding="utf-8")

    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(good), str(bad)])

    assert result.exit_code == 2
    first, second = json.loads(result.stdout)
    assert first == {"file": str(good), "valid": True, "workflow": "Gentle", "steps": None, "cases": 1,
                     "problems": []}
    assert second["valid"] is False
    [problem] = second["problems"]
    assert (problem["line"], problem["path"], problem["pointer"]) == (9, "cases[1].expect[1].step",
                                                                      "/cases/0/expect/0/step")

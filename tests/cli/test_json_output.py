"""--format json on validate and done: what programs and editors read."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from coachflow.cli import cli

GOOD = '[workflow]\nname = "Good"\n\n[[steps]]\nuses = "allow-disappointment"\n'
BAD = ('[workflow]\nname = "Bad"\n\n[[steps]]\nuses = "allow-disappointment"\n'
       'with = { window_hours = "a day", support_contacts = ["Sam", 3] }\n\n'
       '[[steps]]\nuses = "allow-disapointment"\n')


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_validate_as_json_lists_each_problem_with_both_numberings(tmp_path):
    (tmp_path / "good.toml").write_text(GOOD)
    (tmp_path / "bad.toml").write_text(BAD)
    good, bad = str(tmp_path / "good.toml"), str(tmp_path / "bad.toml")

    result = invoke("validate", good, bad, "--format", "json")

    assert result.exit_code == 2
    assert result.stderr == ""
    checked = json.loads(result.stdout)
    assert checked[0] == {"file": good, "valid": True, "workflow": "Good", "steps": 1, "problems": []}
    assert {key: checked[1][key] for key in ("file", "valid", "workflow", "steps")} == {
        "file": bad, "valid": False, "workflow": None, "steps": None}
    assert [(p["line"], p["path"], p["pointer"]) for p in checked[1]["problems"]] == [
        (6, "steps[1].with.window_hours", "/steps/0/with/window_hours"),
        (6, "steps[1].with.support_contacts[2]", "/steps/0/with/support_contacts/1"),
        (9, "steps[2].uses", "/steps/1/uses"),
    ]
    # the text of each problem is exactly the line 'validate' prints for people
    text = invoke("validate", good, bad)
    assert [f"Error: {p['text']}" for p in checked[1]["problems"]] == text.stderr.splitlines()
    assert checked[1]["problems"][0]["message"] == "expected an integer, got 'a day'"


def test_the_json_pointers_find_the_values_a_json_schema_validator_finds(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    import tomllib

    (tmp_path / "bad.toml").write_text(BAD)
    schema = json.loads(invoke("schema").stdout)
    data = tomllib.loads(BAD)
    found = {"/" + "/".join(map(str, error.absolute_path)) for error in jsonschema.Draft202012Validator(schema)
             .iter_errors(data)}

    checked = json.loads(invoke("validate", str(tmp_path / "bad.toml"), "--format", "json").stdout)
    pointers = {problem["pointer"] for problem in checked[0]["problems"]}
    assert "/steps/0/with/window_hours" in found & pointers


def test_validate_json_for_a_file_that_is_not_toml_gives_its_line_and_column(tmp_path):
    (tmp_path / "broken.toml").write_text('[workflow]\nname = "x\n')
    result = invoke("validate", str(tmp_path / "broken.toml"), "--format", "json")
    problem = json.loads(result.stdout)[0]["problems"][0]
    assert (result.exit_code, problem["line"], problem["column"], problem["path"]) == (2, 2, 10, "")
    assert problem["message"].startswith("TOML syntax error: ")


def test_done_as_json_gives_the_actions_and_whether_each_changed(tmp_path, monkeypatch):
    monkeypatch.setenv("COACHFLOW_JOURNAL", str(tmp_path / "j.sqlite3"))
    invoke("run", "rejection", "--company", "Acme", "--stage", "interview")
    due = json.loads(invoke("due", "--all", "--format", "json").stdout)
    first = due[0]["id"]

    result = invoke("done", str(first), "--format", "json")
    assert result.exit_code == 0, result.output
    [action] = json.loads(result.stdout)
    assert {key: action[key] for key in ("id", "status", "changed", "title")} == {
        "id": first, "status": "done", "changed": True, "title": due[0]["title"]}
    assert action["done_at"] == "2026-11-25T17:30:00"

    [again] = json.loads(invoke("done", str(first), "--format", "json").stdout)
    assert (again["status"], again["changed"]) == ("done", False)
    [undone] = json.loads(invoke("done", str(first), "--undo", "--format", "json").stdout)
    assert (undone["status"], undone["changed"], undone["done_at"]) == ("open", True, None)

"""The test file format's JSON Schema (`coachflow schema --tests`) and `coachflow init --with-tests`."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from coachflow.cli import cli
from coachflow.testing.files import BUILTIN_TESTS_TITLE, default_workflow_tests_text

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ["core/default_workflow.test.toml", "examples/workflows/full-method.test.toml",
           "examples/workflows/custom-coach.test.toml", "examples/workflows/minimal.test.toml"]


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def as_json(value):
    """TOML data as an editor's schema checker sees it: dates and times as text."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def validator():
    result = invoke("schema", "--tests")
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("path", SHIPPED)
def test_the_shipped_test_files_validate(validator, path):
    data = tomllib.loads((ROOT / path).read_text(encoding="utf-8"))
    assert list(validator.iter_errors(as_json(data))) == []


@pytest.mark.parametrize(("change", "where"), [
    (lambda d: d.update(colour="blue"), "colour"),
    (lambda d: d["cases"][0].update(evnt={}), "evnt"),
    (lambda d: d["cases"][0]["expect"][0].update(kind="remider"), "remider"),
    (lambda d: d["cases"][0]["expect"][0].update(count=2, absent=True), "should not be valid"),
    (lambda d: d["cases"][0]["expect"][0].update(step="Not An Id"), "Not An Id"),
    (lambda d: d["cases"][0]["event"].update(text="a rejection has no text"), "text"),
    (lambda d: d["cases"][0]["event"].update(stage="lunch"), "lunch"),
    (lambda d: d["cases"][0].update(given=[{"type": "rejection", "company": "Acme"}]), "date"),
    (lambda d: d["cases"][0].update(client={"pipeline_target": "five"}), "five"),
    (lambda d: d["cases"][0].update(client={"target": 3}), "target"),
    (lambda d: d.pop("workflow"), "workflow"),
])
def test_a_broken_test_file_does_not_validate(validator, change, where):
    data = as_json(tomllib.loads((ROOT / SHIPPED[0]).read_text(encoding="utf-8")))
    change(data)
    errors = list(validator.iter_errors(data))
    assert errors
    assert any(where in error.message or where in str(list(error.path)) for error in errors), \
        [error.message for error in errors]


def test_the_schema_command_writes_a_file(tmp_path):
    target = tmp_path / "coachflow-tests.schema.json"

    result = invoke("schema", "--tests", "-o", str(target))

    assert result.exit_code == 0
    assert result.stdout == (f"Wrote {target}. Put '#:schema ./coachflow-tests.schema.json' on the first line of a "
                             "test file next to it.\n")
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == "coachflow workflow tests"


def test_init_with_tests_writes_a_test_file_that_passes(tmp_path):
    workflow = tmp_path / "rowan.toml"

    result = invoke("init", str(workflow), "--with-tests")

    assert result.exit_code == 0, result.output
    tests = tmp_path / "rowan.test.toml"
    assert result.stdout == (f"Wrote {workflow} and its tests, {tests} (and the schemas beside them, for editors "
                             f"that check TOML). Edit the workflow, then check it still does what the tests say: "
                             f"coachflow test {tests}\n")
    text = tests.read_text(encoding="utf-8")
    assert text.startswith("#:schema ./coachflow-tests.schema.json\n"
                           "# Tests for rowan.toml, started from those of the built-in workflow.\n")
    schema = json.loads((tmp_path / "coachflow-tests.schema.json").read_text(encoding="utf-8"))
    assert schema["title"] == "coachflow workflow tests"
    assert (tmp_path / "coachflow.schema.json").is_file()
    assert "#   coachflow test rowan.test.toml\n" in text
    assert tomllib.loads(text)["workflow"] == "rowan.toml"
    run = invoke("test", str(tests))
    assert run.exit_code == 0, run.output
    assert run.stdout.endswith("7 cases: all passed\n")


def test_init_with_tests_and_no_schema_writes_the_two_files_only(tmp_path):
    result = invoke("init", str(tmp_path / "coachflow.toml"), "--with-tests", "--no-schema")

    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["coachflow.test.toml", "coachflow.toml"]
    assert (tmp_path / "coachflow.test.toml").read_text(encoding="utf-8").startswith(BUILTIN_TESTS_TITLE.replace(
        "the built-in workflow (default_workflow.toml).", "coachflow.toml, started from those of the built-in "
        "workflow."))


def test_init_with_tests_refuses_to_overwrite_either_file(tmp_path):
    (tmp_path / "coachflow.test.toml").write_text("# mine\n", encoding="utf-8")

    result = invoke("init", str(tmp_path), "--with-tests")

    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path / 'coachflow.test.toml'}: the file exists; add --force to replace it, or name another file\n"
    assert not (tmp_path / "coachflow.toml").exists()  # nothing half-written
    assert invoke("init", str(tmp_path), "--with-tests", "--force").exit_code == 0
    assert (tmp_path / "coachflow.test.toml").read_text(encoding="utf-8") != "# mine\n"


def test_a_starter_tests_a_changed_workflow(tmp_path):
    workflow = tmp_path / "coachflow.toml"
    assert invoke("init", str(workflow), "--with-tests").exit_code == 0
    text = workflow.read_text(encoding="utf-8")
    workflow.write_text(text.replace("target = 5", "target = 3"), encoding="utf-8")

    result = invoke("test", str(tmp_path / "coachflow.test.toml"))

    # With three open applications wanted, five open ones no longer leave one to add after a no.
    assert result.exit_code == 1
    assert "  FAIL  A first no after an interview" in result.stdout


def test_the_built_in_tests_keep_the_lines_a_starter_replaces():
    text = default_workflow_tests_text()
    assert text.startswith(BUILTIN_TESTS_TITLE + "\n")
    assert '\nworkflow = "default_workflow.toml"\n' in text
    assert "#   coachflow test default_workflow.test.toml\n" in text

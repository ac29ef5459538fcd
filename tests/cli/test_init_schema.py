"""coachflow init writes the '#:schema' line editors read, and the schema it points to."""

from __future__ import annotations

import json
import tomllib

import pytest
from click.testing import CliRunner

from coachflow.cli import cli


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_init_writes_the_schema_line_first_and_the_schema_beside_the_workflow(tmp_path):
    target = tmp_path / "client" / "coachflow.toml"

    result = invoke("init", str(target))

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Wrote {target} (and coachflow.schema.json beside it, for editors that check "
                                    "TOML). Edit it")
    assert target.read_text().splitlines()[0] == "#:schema ./coachflow.schema.json"
    schema = tmp_path / "client" / "coachflow.schema.json"
    assert json.loads(schema.read_text()) == json.loads(invoke("schema").stdout)
    assert invoke("validate", str(target)).exit_code == 0


def test_the_workflow_init_writes_is_valid_against_the_schema_it_points_to(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    target = tmp_path / "coachflow.toml"
    invoke("init", str(target))

    first_line = target.read_text().splitlines()[0]
    schema_file = tmp_path / first_line.removeprefix("#:schema ")
    jsonschema.Draft202012Validator(json.loads(schema_file.read_text())).validate(tomllib.loads(target.read_text()))


def test_init_no_schema_writes_neither(tmp_path):
    target = tmp_path / "coachflow.toml"

    result = invoke("init", str(target), "--no-schema")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Wrote {target}. Edit it")
    assert target.read_text().startswith("# A coachflow workflow.")
    assert not (tmp_path / "coachflow.schema.json").exists()

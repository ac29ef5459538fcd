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


def test_the_workflow_guide_explains_the_line_init_writes(tmp_path):
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[2] / "docs" / "workflows.md").read_text(encoding="utf-8")
    assert invoke("init", str(tmp_path / "coachflow.toml")).exit_code == 0
    first_line = (tmp_path / "coachflow.toml").read_text().splitlines()[0]
    section = guide.split("## Checking as you type: the `#:schema` line", 1)[1].split("\n## ", 1)[0]
    assert first_line in section  # the guide shows the very line init writes, and says what it is for
    assert "coachflow schema -o coachflow.schema.json" in section and "--no-schema" in section

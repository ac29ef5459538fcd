"""coachflow path: where the journal, the data directory, the client profiles and the workflow are."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coachflow.cli import cli


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data" / "coachflow"


def coachflow(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_path_lists_every_place_and_says_what_does_not_exist_yet(data_dir):
    from coachflow import workflow

    built_in = Path(workflow.__file__).with_name("default_workflow.toml").resolve()
    assert coachflow("path") == (
        f"journal:  {data_dir / 'journal.sqlite3'}  (not created yet; 'coachflow run' creates it)\n"
        f"data:     {data_dir}\n"
        f"profiles: {data_dir / 'profiles'}  (none yet; --profile NAME starts one)\n"
        f"workflow: {built_in}  (the built-in one; 'coachflow init' writes one to edit)\n"
    )
    assert built_in.is_file()


def test_path_follows_the_options_and_the_workflow_settings_as_other_commands_do(data_dir, tmp_path):
    (tmp_path / "coachflow.toml").write_text('[workflow]\nname = "Mine"\n\n[settings]\njournal = "client.sqlite3"\n\n'
                                             '[[steps]]\nuses = "allow-disappointment"\n')
    assert coachflow("path", "journal") == f"{tmp_path / 'client.sqlite3'}\n"
    assert coachflow("path", "workflow") == f"{tmp_path / 'coachflow.toml'}\n"
    assert coachflow("path", "journal", "--journal", "elsewhere.sqlite3") == f"{tmp_path / 'elsewhere.sqlite3'}\n"
    assert coachflow("path", "data") == f"{data_dir}\n"


def test_path_of_a_profile_is_the_journal_its_commands_use(data_dir):
    coachflow("run", "milestone", "--kind", "applied", "--company", "Acme", "--profile", "alex")

    assert coachflow("path", "journal", "--profile", "alex") == f"{data_dir / 'profiles' / 'alex.sqlite3'}\n"
    assert (data_dir / "profiles" / "alex.sqlite3").is_file()
    assert f"profiles: {data_dir / 'profiles'}  (alex)\n" in coachflow("path")


def test_path_as_json(data_dir):
    coachflow("run", "milestone", "--kind", "applied", "--company", "Acme")
    coachflow("run", "milestone", "--kind", "applied", "--company", "Acme", "--profile", "sam")

    data = json.loads(coachflow("path", "--format", "json"))
    assert {key: data[key] for key in ("journal", "journal_exists", "data", "profiles", "workflow_is_built_in")} == {
        "journal": str(data_dir / "journal.sqlite3"), "journal_exists": True, "data": str(data_dir),
        "profiles": {"sam": str(data_dir / "profiles" / "sam.sqlite3")}, "workflow_is_built_in": True}
    assert json.loads(coachflow("path", "journal", "--format", "json")) == {
        "journal": str(data_dir / "journal.sqlite3"), "journal_exists": True}


def test_path_opens_no_journal_and_creates_nothing(data_dir):
    coachflow("path")
    coachflow("path", "journal", "--profile", "alex")
    assert not data_dir.exists()

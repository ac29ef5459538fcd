"""``-o FILE`` never writes over a journal or another database, and replaces a file only with ``--force``.

``report --journal victim.sqlite3 -o victim.sqlite3`` used to succeed, and
the journal was gone ("not a coachflow journal"); ``calendar -o`` the same.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from coachflow.cli import cli

#: Each command that takes -o, with the arguments that make it write something.
COMMANDS = {
    "report": ["report"],
    "calendar": ["calendar"],
    "export": ["export", "--format", "jsonl"],
    "schema": ["schema"],
    "preview": ["preview"],
    "board": ["clients", "board"],
    "digest": ["digest", "--client", "kim"],
}
#: The commands above that read no journal file of their own.
NO_JOURNAL = {"schema", "preview", "board", "digest"}
#: A file name for each command's output, as a person would choose it.
SUFFIX = {"export": ".jsonl", "report": ".md", "calendar": ".ics", "schema": ".json", "preview": ".txt",
          "board": ".txt", "digest": ".txt"}


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = tmp_path / "victim.sqlite3"
    result = CliRunner().invoke(cli, ["run", "rejection", "--company", "Acme", "--journal", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _invoke(command: str, journal: Path, *args: str):
    arguments = [*COMMANDS[command], *args]
    if command == "digest" and CliRunner().invoke(cli, ["client", "show", "kim"]).exit_code != 0:
        assert CliRunner().invoke(cli, ["client", "add", "kim", "--name", "Kim"]).exit_code == 0
    if command not in NO_JOURNAL:
        arguments += ["--journal", str(journal)]
    return CliRunner().invoke(cli, arguments)


def _events(journal: Path) -> int:
    with sqlite3.connect(journal) as db:
        return db.execute("SELECT count(*) FROM events").fetchone()[0]


@pytest.mark.parametrize("command", ["report", "calendar", "export"])
def test_the_journal_in_use_is_never_written_over(journal: Path, command: str) -> None:
    for force in ([], ["--force"]):
        result = _invoke(command, journal, "-o", str(journal), *force)
        assert result.exit_code == 2, result.output
        assert result.stderr == (f"Error: -o {journal}: that is the journal this command reads; "
                                 "name another file for the output\n")
    assert _events(journal) == 1


@pytest.mark.parametrize("command", list(COMMANDS))
def test_no_database_is_written_over_even_with_force(journal: Path, tmp_path: Path, command: str) -> None:
    other = tmp_path / "other.sqlite3"
    assert CliRunner().invoke(cli, ["run", "feedback", "--company", "Beta", "--text", "Thin answers",
                                    "--journal", str(other)]).exit_code == 0
    disguised = tmp_path / f"other{SUFFIX[command]}"  # a journal under another name is still a journal
    disguised.write_bytes(other.read_bytes())
    for target in (other, disguised, Path(f"{other}-wal")):
        if not target.exists():
            continue
        result = _invoke(command, journal, "-o", str(target), "--force")
        assert result.exit_code == 2, result.output
        assert result.stderr == (f"Error: -o {target}: that file is a database (a journal, perhaps), and coachflow "
                                 "never writes over one, even with --force; name another file\n")
    assert _events(other) == 1


@pytest.mark.parametrize("command", list(COMMANDS))
def test_an_existing_file_is_replaced_only_with_force(journal: Path, tmp_path: Path, command: str) -> None:
    target = tmp_path / f"out{SUFFIX[command]}"
    target.write_text("keep me\n", encoding="utf-8")
    refused = _invoke(command, journal, "-o", str(target))
    assert refused.exit_code == 2
    assert refused.stderr == f"Error: -o {target}: the file exists; add --force to replace it, or name another file\n"
    assert target.read_text(encoding="utf-8") == "keep me\n"
    replaced = _invoke(command, journal, "-o", str(target), "--force")
    assert replaced.exit_code == 0, replaced.output
    assert target.read_text(encoding="utf-8") != "keep me\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []  # no temporary file left


def test_a_symbolic_link_to_the_journal_is_the_journal(journal: Path, tmp_path: Path) -> None:
    link = tmp_path / "report.md"
    link.symlink_to(journal)
    result = _invoke("report", journal, "-o", str(link), "--force")
    assert result.exit_code == 2 and "that is the journal this command reads" in result.stderr
    assert _events(journal) == 1


def test_a_new_file_needs_no_force(journal: Path, tmp_path: Path) -> None:
    target = tmp_path / "new" / "search.jsonl"
    result = _invoke("export", journal, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text(encoding="utf-8"))["company"] == "Acme"


def test_init_never_writes_over_a_journal_even_with_force(journal: Path, tmp_path: Path) -> None:
    """``init j.sqlite3 --force`` used to replace the journal with a workflow, and it was lost."""
    for force in ([], ["--force"]):
        result = CliRunner().invoke(cli, ["init", str(journal), *force])
        assert result.exit_code == 2, result.output
        assert result.stderr == (f"Error: {journal}: that file is a database (a journal, perhaps), and coachflow "
                                 "never writes over one, even with --force; name another file\n")
    assert _events(journal) == 1
    history = CliRunner().invoke(cli, ["history", "--journal", str(journal)])
    assert history.exit_code == 0 and "Acme" in history.output


def test_init_never_writes_its_schema_over_a_journal(journal: Path, tmp_path: Path) -> None:
    schema = tmp_path / "coachflow.schema.json"
    schema.write_bytes(journal.read_bytes())
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "coachflow.toml")])
    assert result.exit_code == 2, result.output
    assert "that file is a database" in result.stderr and str(schema) in result.stderr
    assert not (tmp_path / "coachflow.toml").exists()
    assert schema.read_bytes() == journal.read_bytes()


def test_init_replaces_another_file_only_with_force(tmp_path: Path) -> None:
    target = tmp_path / "coachflow.toml"
    target.write_text("# mine\n", encoding="utf-8")
    refused = CliRunner().invoke(cli, ["init", str(target)])
    assert refused.exit_code == 2
    assert refused.stderr == f"Error: {target}: the file exists; add --force to replace it, or name another file\n"
    assert target.read_text(encoding="utf-8") == "# mine\n"
    assert CliRunner().invoke(cli, ["init", str(target), "--force"]).exit_code == 0
    assert "[workflow]" in target.read_text(encoding="utf-8")


def test_junit_xml_is_never_written_over_a_journal(journal: Path, tmp_path: Path) -> None:
    assert CliRunner().invoke(cli, ["init", str(tmp_path), "--with-tests"]).exit_code == 0
    result = CliRunner().invoke(cli, ["test", str(tmp_path / "coachflow.test.toml"), "--junit-xml", str(journal)])
    assert result.exit_code == 2, result.output
    assert result.stderr == (f"Error: --junit-xml {journal}: that file is a database (a journal, perhaps), and "
                             "coachflow never writes over one, even with --force; name another file\n")
    assert _events(journal) == 1

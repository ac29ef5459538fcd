"""A workflow's ``settings.journal`` cannot leave the workflow's folder or take over a file.

The docs promise that a workflow someone sends you cannot choose where your
journal lives. In a shared folder with ``sub -> /elsewhere``, ``journal =
"sub/j.sqlite3"`` created the journal outside it, and ``journal =
".gitkeep"`` turned an existing empty file into a database.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from coachflow.cli import cli


def _shared_folder(tmp_path: Path, journal: str) -> tuple[Path, Path]:
    folder = tmp_path / "shared"
    folder.mkdir()
    workflow = folder / "coachflow.toml"
    workflow.write_text(f'[workflow]\nname = "Shared"\n\n[settings]\njournal = "{journal}"\n\n'
                        '[[steps]]\nuses = "allow-disappointment"\n', encoding="utf-8")
    return folder, workflow


def _run(workflow: Path, *args: str):
    return CliRunner().invoke(cli, ["run", "rejection", "--company", "Acme", "-w", str(workflow), *args])


def _one_error(result, text: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: {text}\n"


def test_a_symlinked_folder_cannot_carry_the_journal_outside(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    folder, workflow = _shared_folder(tmp_path, "sub/j.sqlite3")
    (folder / "sub").symlink_to(elsewhere)
    _one_error(_run(workflow), f"{workflow}:5: settings.journal: 'sub/j.sqlite3' leads outside the workflow's folder {folder} "
               f"(to {elsewhere / 'j.sqlite3'}); name a file inside the folder, or use --journal or "
               "COACHFLOW_JOURNAL for a journal elsewhere")
    assert list(elsewhere.iterdir()) == []


def test_a_symlinked_journal_file_cannot_point_outside_either(tmp_path: Path) -> None:
    target = tmp_path / "victim.sqlite3"
    folder, workflow = _shared_folder(tmp_path, "journal.sqlite3")
    (folder / "journal.sqlite3").symlink_to(target)
    result = _run(workflow)
    expected = (f"Error: {workflow}:5: settings.journal: 'journal.sqlite3' leads outside the workflow's folder "
                f"{folder} (to {target}); name a file inside the folder, or use --journal or COACHFLOW_JOURNAL "
                "for a journal elsewhere\n")
    assert (result.exit_code, result.stderr) == (2, expected)
    assert not target.exists()
    # the reading commands find the journal the same way, and refuse the same way, with the file and line
    history = CliRunner().invoke(cli, ["history", "-w", str(workflow)])
    assert (history.exit_code, history.stderr) == (2, expected)


@pytest.mark.parametrize(("name", "content"), [(".gitkeep", b""), ("notes.txt", b"my notes\n")])
def test_an_existing_file_that_is_not_a_journal_is_left_alone(tmp_path: Path, name: str, content: bytes) -> None:
    folder, workflow = _shared_folder(tmp_path, name)
    (folder / name).write_bytes(content)
    _one_error(_run(workflow), f"{workflow}:5: settings.journal: {folder / name} is a file that is not a coachflow journal, "
               "and coachflow will not turn it into one; name a new file, such as \"journal.sqlite3\"")
    assert (folder / name).read_bytes() == content
    assert CliRunner().invoke(cli, ["done", "1", "-w", str(workflow)]).exit_code == 2
    assert (folder / name).read_bytes() == content


def test_another_program_s_database_is_not_taken_over(tmp_path: Path) -> None:
    folder, workflow = _shared_folder(tmp_path, "app.db")
    with sqlite3.connect(folder / "app.db") as db:
        db.execute("CREATE TABLE bookmarks (url TEXT)")
    result = _run(workflow)
    assert result.exit_code == 2 and "is a file that is not a coachflow journal" in result.stderr
    with sqlite3.connect(folder / "app.db") as db:
        assert [row[0] for row in db.execute("SELECT name FROM sqlite_master")] == ["bookmarks"]


def test_a_journal_in_the_folder_or_a_real_subfolder_is_used(tmp_path: Path) -> None:
    folder, workflow = _shared_folder(tmp_path, "data/journal.sqlite3")
    assert _run(workflow).exit_code == 0
    assert (folder / "data" / "journal.sqlite3").is_file()
    again = _run(workflow)  # an existing journal is a journal
    assert again.exit_code == 2 and "already in your journal" in again.stderr
    # a link that stays inside the folder is fine too
    (folder / "link").symlink_to(folder / "data")
    workflow.write_text(workflow.read_text().replace("data/journal", "link/journal"), encoding="utf-8")
    assert _run(workflow, "--again").exit_code == 0
    with sqlite3.connect(folder / "data" / "journal.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM events").fetchone() == (2,)

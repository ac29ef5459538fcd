"""docs/journal.md works exactly as written: each command runs, each output shown is what it prints."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from coachflow.cli import cli

DOC = Path(__file__).resolve().parents[2] / "docs" / "journal.md"
FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks() -> list[tuple[str, str]]:
    """(info string, body) of each fenced block, in order."""
    return [(m.group(1).strip(), m.group(2)) for m in FENCE.finditer(DOC.read_text(encoding="utf-8"))]


def test_the_journal_doc_runs_as_written(tmp_path, monkeypatch):
    for name in ("COACHFLOW_JOURNAL", "COACHFLOW_PROFILE", "COACHFLOW_WORKFLOW"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COACHFLOW_NOW", "2026-03-14T10:00")  # the doc says to set this
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    found = blocks()
    commands_run = 0
    for index, (info, body) in enumerate(found):
        if info.startswith("csv file="):
            (tmp_path / info.split("=", 1)[1]).write_text(body, encoding="utf-8")
            continue
        if info != "bash":
            continue
        output = ""
        for line in body.splitlines():
            assert line.startswith("coachflow "), f"not a coachflow command: {line}"
            result = CliRunner().invoke(cli, shlex.split(line)[1:])
            assert result.exit_code == 0, (line, result.output)
            output = result.stdout
            commands_run += 1
        following = found[index + 1] if index + 1 < len(found) else None
        if following is not None and following[0] == "text" and not following[1].startswith("{"):
            assert output == following[1], f"output of: {body.splitlines()[-1]}"
    assert commands_run >= 15


@pytest.mark.parametrize("command", ["history", "status", "due", "done", "export", "import"])
def test_every_journal_command_has_a_section_in_the_doc(command):
    assert f"### `coachflow {command}" in DOC.read_text(encoding="utf-8") or \
        f"`coachflow {command}`" in DOC.read_text(encoding="utf-8")
